# newsframes: two commands do everything on a fresh machine.
#   make report   set up .venv (pinned, offline resources), then build reports/ from data/raw/
#   make test     set up .venv, then run ruff and the test suite
#   make wheel    build the distribution (dist/newsframes_analysis-*.whl) for `pip install`
# Set-up installs from wheelhouse/ with no network when that folder exists (make wheelhouse).
# It installs every pinned package of requirements.lock (core, [lab], [dask], [dev]), then this
# package editable, and registers the "Python (newsframes)" Jupyter kernel the notebooks name.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
LOCK := requirements.lock
STAMP := $(VENV)/.installed
WHEELHOUSE := wheelhouse
PIP_SOURCE := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE),)
CORPUS ?= data/raw
OUT ?= reports

.PHONY: setup report test lint lab bench wheel wheelhouse clean-venv

setup: $(STAMP)

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(PIP_SOURCE) --require-hashes -r $(LOCK)
	@# the distribution was called "newsframes" before (a name PyPI gives an unrelated project)
	@$(PY) -m pip uninstall --quiet --disable-pip-version-check -y newsframes >/dev/null 2>&1 || true
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name newsframes --display-name "Python (newsframes)" >/dev/null
	$(PY) -m analysis resources
	@touch $(STAMP)

# Bytecode for the editable package: kernels import it five times per report, and with
# PYTHONDONTWRITEBYTECODE set (as on our CI machines) Python would recompile it in each.
report: $(STAMP)
	@$(PY) -m compileall -q analysis
	$(BIN)/newsframes report $(CORPUS) --out $(OUT) --processed data/processed $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check analysis tests bench
	$(PY) -m pytest -q $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# The wheel carries every subpackage, lexicon, notebook, parameter file, lesson and the bundled
# corpus; built here without network from the set-up's setuptools.
wheel: $(STAMP)
	$(PY) -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w dist .
	@rm -rf build *.egg-info
	@ls dist/*.whl

bench: $(STAMP)
	@$(PY) -m compileall -q analysis
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# For another machine, name its platform and Python: make wheelhouse PLATFORM=macosx_11_0_arm64 PYVER=3.12
PLATFORM ?=
PYVER ?= $(shell $(PYTHON) -c 'import platform; print(platform.python_version())')
wheelhouse: $(LOCK)
	$(PYTHON) -m pip download --quiet --disable-pip-version-check --require-hashes --no-deps \
		--only-binary=:all: --python-version $(PYVER) $(if $(PLATFORM),--platform $(PLATFORM),) \
		-r $(LOCK) -d $(WHEELHOUSE)
	@# and this package's own wheel, for `pip install --no-index --find-links wheelhouse newsframes-analysis`
	$(PYTHON) -m pip wheel --quiet --disable-pip-version-check --no-deps -w $(WHEELHOUSE) .
	@rm -rf build *.egg-info
	@echo "wheelhouse/: $$(ls $(WHEELHOUSE) | wc -l) wheels; copy the repository with it for offline set-up"

clean-venv:
	rm -rf $(VENV)
