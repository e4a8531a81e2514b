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
