"""The package as it was at a git revision, for benches that time old code against new in one run."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_at(rev: str, folder: Path) -> Path:
    """Extract ``analysis/`` of git revision `rev` into `folder` (created); return `folder`.

    Put the returned folder first on ``sys.path`` (or ``PYTHONPATH``) of a fresh process to
    import that revision's package. ``git archive`` reads the commit, not the working tree,
    so edits made meanwhile do not leak in.
    """
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev, "analysis"], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def module_at(package: Path, name: str = "analysis.stats"):
    """Import module `name` of the ``analysis`` package in folder `package` as its own object.

    Two versions of one module in one process (old against new, alternating): the
    ``analysis`` modules already imported are set aside while `name` is loaded from
    `package`, then put back, so the returned module's own imports of other ``analysis``
    modules are `package`'s at load time.
    """
    import importlib.util
    import sys

    saved = {k: v for k, v in sys.modules.items() if k == "analysis" or k.startswith("analysis.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(package))
    try:
        spec = importlib.util.find_spec(name)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(package))
        for k in [k for k in sys.modules if k == "analysis" or k.startswith("analysis.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return mod


def run_worker(package: Path, code: str, *args: str, env: dict | None = None) -> str:
    """Run ``python -c code args`` importing ``analysis`` from folder `package`; return its stdout.

    The worker runs in `package` (``cwd``): ``python -c`` puts the current folder first on
    ``sys.path``, before ``PYTHONPATH``, so started from the checkout an "old" worker would
    import the working tree (session 30 found old-vs-new comparisons that compared new with
    new). Path arguments are made absolute for that reason; pass "" for none.
    """
    import os
    import sys

    args = [os.path.abspath(a) if a and os.path.exists(a) else a for a in args]
    full = {**os.environ, **(env or {}), "PYTHONPATH": str(package)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=package, env=full, check=True,
                          capture_output=True, text=True).stdout


def worker_json(package: Path, code: str, *args: str, env: dict | None = None):
    """:func:`run_worker`, then the JSON object the worker printed on its last line."""
    import json

    return json.loads(run_worker(package, code, *args, env=env).strip().splitlines()[-1])
