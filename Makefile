# newsframes: two commands do everything on a fresh machine.
#   make report   set up .venv (pinned, offline resources), then build reports/ from data/raw/
#   make test     set up .venv, then run ruff and the test suite
# Set-up installs from wheelhouse/ with no network when that folder exists (make wheelhouse).

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

.PHONY: setup report test lint lab bench wheelhouse clean-venv

setup: $(STAMP)

$(STAMP): $(LOCK) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(PIP_SOURCE) --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
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
	$(PY) -m ipykernel install --sys-prefix --name newsframes --display-name "Python (newsframes)"
	$(BIN)/jupyter lab notebooks/

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
	@echo "wheelhouse/: $$(ls $(WHEELHOUSE) | wc -l) wheels; copy the repository with it for offline set-up"

clean-venv:
	rm -rf $(VENV)
