"""Tests for analysis.kernel: which kernel the notebooks run on."""

from __future__ import annotations

import json
import sys

import pytest

from analysis.kernel import FALLBACK, KERNEL_NAME, kernel_name, transport_encryption


def _spec(folder, argv0):
    target = folder / "kernels" / KERNEL_NAME
    target.mkdir(parents=True)
    (target / "kernel.json").write_text(json.dumps({
        "argv": [argv0, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (newsframes)", "language": "python"}))


@pytest.mark.parametrize(("argv0", "expected"), [
    ("python", KERNEL_NAME),  # the wheel's spec: jupyter_client substitutes sys.executable
    (sys.executable, KERNEL_NAME),  # make's spec for this .venv
    ("/another/env/bin/python", FALLBACK),  # registered by another environment: not used
])
def test_project_kernel_only_when_it_starts_this_interpreter(tmp_path, monkeypatch, argv0, expected):
    _spec(tmp_path, argv0)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # searched before the user and sys.prefix folders
    assert kernel_name() == expected


def test_transport_encryption_is_a_valid_policy():
    assert transport_encryption() in {"auto", "disabled"}
