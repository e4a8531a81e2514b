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
