"""Putting a finished report in place atomically, and zipping it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from analysis import corpus as C
from analysis.errors import OutputError

REPORT_ENTRIES = ("index.html", "run.json", "notebooks", "tables", "figures", "processed")
VERSIONS = ".versions"  # out/.versions/<id>/: one complete report each
CURRENT = ".current"  # out/.current -> .versions/<id>: the one link a new report swaps
LOCK = ".lock"


def _report_paths(out: Path) -> tuple[Path, Path]:
    """Return (`out` made absolute without following its last link, a fresh staging folder)."""
    out = Path(os.path.abspath(out))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return out, out / VERSIONS / f"{stamp}-{os.getpid()}.partial"


class _Lock:
    """An exclusive, non-blocking lock on a report folder (``out/.lock`` holds the pid)."""

    def __init__(self, out: Path):
        self.path, self.fh = out / LOCK, None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks here; runs are not serialised
            return self
        self.fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "unknown"
            self.fh.close()
            raise OutputError(f"--out {self.path.parent}: another report (pid {holder}) is being "
                              "written there; wait for it to finish or choose another --out") from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()  # closing releases the lock


def _install(staging: Path, out: Path) -> Path:
    """Make the finished report in `staging` the one `out` shows, in one atomic step.

    `out` holds fixed links (``index.html -> .current/index.html``, ``tables ->
    .current/tables``...) and one link ``.current -> .versions/<id>``; installing renames
    the staging folder to its final name and replaces ``.current`` with ``os.replace``, so
    a reader of `out` sees the old report or the new one, never a mix, even if the process
    is killed at any point. A report folder from an older version (real folders instead of
    links) is converted once. Where the file system has no symbolic links, the entries are
    moved into place one by one (not atomic). Returns the installed version folder.
    """
    final = staging.with_name(staging.name.removesuffix(".partial"))
    staging.rename(final)
    link_tmp = out / f"{CURRENT}.{os.getpid()}.tmp"
    try:
        link_tmp.unlink(missing_ok=True)
        os.symlink(Path(VERSIONS) / final.name, link_tmp, target_is_directory=True)
    except OSError:
        return _install_by_moving(final, out)
    os.replace(link_tmp, out / CURRENT)
    for name in REPORT_ENTRIES:
        entry, target = out / name, Path(CURRENT) / name
        if entry.is_symlink() and Path(os.readlink(entry)) == target:
            continue
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
        elif entry.is_dir():  # a report written by an older version: converted once
            shutil.rmtree(entry)
        os.symlink(target, entry, target_is_directory=name not in ("index.html", "run.json"))
    for old in (out / VERSIONS).iterdir():
        if old != final:  # the previous report, and failed runs' staging folders
            shutil.rmtree(old, ignore_errors=True)
    return final


def _install_by_moving(final: Path, out: Path) -> Path:
    """Fallback without symbolic links: move each entry into `out` (index.html last)."""
    for entry in sorted(final.iterdir(), key=lambda e: e.name == "index.html"):
        dest, trash = out / entry.name, out / f".{entry.name}.old"
        if trash.exists():
            shutil.rmtree(trash) if trash.is_dir() else trash.unlink()
        if dest.exists():
            dest.rename(trash)
        entry.rename(dest)
        if trash.exists():
            shutil.rmtree(trash) if trash.is_dir() else trash.unlink()
    final.rmdir()
    return out




def write_zip(folder: Path) -> Path:
    """Write ``<folder>.zip`` holding every file of `folder`, atomically; return its path.

    Parameters
    ----------
    folder : pathlib.Path
        The report folder.

    Returns
    -------
    pathlib.Path
        The archive; entries are sorted and time-stamped 2026-01-01, so the same report
        always gives the same archive.
    """
    root = (folder / CURRENT).resolve() if (folder / CURRENT).is_symlink() else folder
    members = {f"{folder.name}/{path.relative_to(root).as_posix()}": path.read_bytes()
               for path in sorted(p for p in root.rglob("*") if p.is_file())
               if not path.relative_to(root).parts[0].startswith(".")}
    target = folder.with_suffix(".zip")
    C.atomic_write_bytes(target, C.zip_bytes(members))
    return target
