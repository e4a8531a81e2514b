"""Tests for the set-up commands: pinned install, offline from a wheelhouse, resources provisioned."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, cwd) -> str:
    return subprocess.run(["make", "-n", "-B", target], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_setup_installs_the_hashed_lock_then_the_package_then_resources():
    out = _dry_run("setup", ROOT)
    lines = [ln for ln in out.splitlines() if "pip install" in ln or "analysis resources" in ln]
    assert "--require-hashes -r requirements.lock" in lines[0]
    assert "--no-deps --no-build-isolation -e ." in lines[1]
    assert lines[2].endswith("-m analysis resources")


def test_setup_installs_from_wheelhouse_with_no_network_when_present(tmp_path):
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    assert "--no-index" not in _dry_run("setup", tmp_path)
    (tmp_path / "wheelhouse").mkdir()
    (tmp_path / "wheelhouse" / "x-1.0-py3-none-any.whl").write_bytes(b"")
    out = _dry_run("setup", tmp_path)
    assert re.search(r"pip install .*--no-index --find-links wheelhouse .*--require-hashes -r requirements.lock", out)


def test_every_locked_requirement_is_pinned_with_hashes():
    text = (ROOT / "requirements.lock").read_text()
    reqs = re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", text, re.M)
    assert len(reqs) > 50
    names = {n.lower() for n, _ in reqs}
    assert {"nltk", "pandas", "papermill", "vadersentiment", "matplotlib", "jupyterlab", "setuptools"} <= names
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 1)[1])
    assert all("--hash=sha256:" in b for b in blocks if "==" in b)


def test_report_and_test_targets_depend_on_setup():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^report: \$\(STAMP\)", makefile, re.M) and re.search(r"^test: \$\(STAMP\)", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_lock_pins_core_and_every_extra_and_says_how_it_was_made():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert set(project["optional-dependencies"]) == {"lab", "dask", "dev"}
    assert not any(d.startswith("jupyterlab") for d in project["dependencies"]), "JupyterLab belongs to [lab]"
    text = (ROOT / "requirements.lock").read_text()
    assert "uv pip compile pyproject.toml --all-extras" in text.splitlines()[1]
    names = {n.lower() for n in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.M)}
    assert {"jupyterlab", "dask", "distributed", "pytest", "papermill"} <= names


def test_distribution_name_is_not_the_taken_newsframes_but_command_and_package_are():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["name"] == "newsframes-analysis"
    assert config["project"]["scripts"] == {"newsframes": "analysis.cli:main"}
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["analysis*"]


def test_setup_registers_the_kernel_the_notebooks_name():
    out = _dry_run("setup", ROOT)
    assert re.search(r"-m ipykernel install --sys-prefix --name newsframes", out)
