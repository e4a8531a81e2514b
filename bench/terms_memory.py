"""Where the terms notebook's memory goes: each statement of each code cell, and the line at its peak.

Usage::

    python bench/terms_memory.py /tmp/b10/corpus-10000.jsonl:/tmp/b10/processed
    python bench/terms_memory.py CORPUS:PREPARED --against 1287166 --save   # old tree too, tables compared
    python bench/terms_memory.py CORPUS:PREPARED --against 14f2ce8 --save --notebook /tmp/10_terms.ipynb
    python bench/terms_memory.py CORPUS:PREPARED --against 14f2ce8 --save --last 5   # up to the keyness cell
    python bench/terms_memory.py CORPUS:PREPARED --against c84a671 --save --write-table /tmp/terms/write_table_new.py
    python bench/terms_memory.py /tmp/b31k/corpus-40000.jsonl:/tmp/b31k/p40000 --save --reference /tmp/b31k/r40000

Runs the code cells of ``notebooks/10_terms.ipynb`` in one fresh process per tree (as
``bench/terms.py --kernel`` does), but statement by statement (``ast``): for each statement the
CPU seconds, the resident memory before and after (after ``release_memory``) and the peak during
it (``VmHWM`` reset through ``/proc/self/clear_refs``). A sampling thread reads the resident
size every few milliseconds and keeps the main thread's stack (lines inside ``analysis/``) at the
highest sample, so a statement's peak is attributed to the library line that was running. With
``--against REV`` the package at REV runs the same cells in its own process afterwards; with
``--save`` both write their tables and figures to temporary folders, compared byte for byte
(``--reference DIR``: the new tree's against the ``terms_*`` files of a report folder made
before, e.g. c84a671's report of the same corpus, without running the old tree). With
``--notebook`` the new tree runs that copy of the notebook (a requested cell change); the old
tree always runs the notebook of its revision (``git show REV:notebooks/10_terms.ipynb``).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _status(field: str) -> float:
    return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0]) / 1024


class _Sampler(threading.Thread):
    """Sample resident memory; keep the main thread's library stack at the highest sample."""

    def __init__(self, pkg: str, every: float = 0.003):
        super().__init__(daemon=True)
        self.pkg, self.every = pkg, every
        self.main = threading.main_thread().ident
        self.page = os.sysconf("SC_PAGE_SIZE") / 2**20
        self.reset()
        self.stop = False

    def reset(self) -> None:
        self.top, self.where = 0.0, ""

    def run(self) -> None:
        with open("/proc/self/statm") as f:
            while not self.stop:
                f.seek(0)
                rss = int(f.read().split()[1]) * self.page
                if rss > self.top:
                    frame = sys._current_frames().get(self.main)
                    lines = []
                    while frame is not None:
                        name = frame.f_code.co_filename
                        if name.startswith(self.pkg) and "/analysis/" in name:
                            lines.append(f"{Path(name).name}:{frame.f_lineno}")
                        frame = frame.f_back
                    self.top, self.where = rss, " < ".join(lines[:4])
                time.sleep(self.every)


def _worker(pkg: str, corpus: str, processed: str, out: str, notebook: str = "", last: str = "",
            write_table: str = "") -> None:
    sys.path.insert(0, pkg)
    if write_table:  # a requested analysis.corpus.files.write_table (a file defining it), used by save_table
        import importlib.util

        from analysis.corpus import files

        spec = importlib.util.spec_from_file_location("_requested_write_table", write_table)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        files.write_table = module.write_table
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    from analysis import terms as M

    assert M.__file__.startswith(pkg), M.__file__
    try:
        from analysis.kernel import release_memory
    except ImportError:
        release_memory = lambda: None  # noqa: E731
    sampler = _Sampler(pkg)
    sampler.start()
    nb = nbformat.read(notebook or ROOT / "notebooks" / "10_terms.ipynb", as_version=4)
    scope: dict = {}
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        if last and i > int(last):
            break
        tree = ast.parse(cell.source)
        for stmt in tree.body:
            code = compile(ast.Module(body=[stmt], type_ignores=[]), f"cell{i}", "exec")
            before = _status("VmRSS")
            Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
            sampler.reset()
            t0 = time.process_time()
            exec(code, scope)  # noqa: S102 (the project's own notebook)
            cpu = time.process_time() - t0
            peak = _status("VmHWM")
            where = sampler.where
            release_memory()
            text = ast.get_source_segment(cell.source, stmt).splitlines()[0][:60]
            print(json.dumps({"cell": i, "cpu_s": round(cpu, 2), "before_mb": round(before), "peak_mb": round(peak),
                              "rss_mb": round(_status("VmRSS")), "at": where, "source": text}), flush=True)
        plt.close("all")  # after the cell: a figure is saved by a later statement of its cell
        if "parameters" in cell.metadata.get("tags", []):
            scope.update(corpus=corpus, processed_dir=processed, out_dir=out)
    sampler.stop = True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", help="CORPUS[:PREPARED]")
    ap.add_argument("--against", help="also run the package at this revision")
    ap.add_argument("--save", action="store_true", help="save the tables and compare them byte for byte")
    ap.add_argument("--notebook", default="",
                    help="run this copy of 10_terms.ipynb in the new tree (e.g. a change to request); "
                         "the old tree runs the notebook of its revision")
    ap.add_argument("--out", default="", help="with --save: write the new tree's report folder here (kept)")
    ap.add_argument("--reference", default="",
                    help="with --save: compare the new tree's tables and figures with the terms_* files of this "
                         "report folder (made by the old tree from the same corpus)")
    ap.add_argument("--last", default="", help="stop after this code cell (0 = the parameters), e.g. 5: keyness")
    ap.add_argument("--write-table", default="",
                    help="the new tree saves its tables with the write_table defined in this file (a requested "
                         "change to analysis.corpus.files); the old tree keeps its own")
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)  # pkg corpus processed out [notebook [last [wt]]]
    args = ap.parse_args()
    if args.worker:
        _worker(*args.worker)
        return
    from bench.revision import package_at

    corpus, _, processed = args.corpus.partition(":")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pkgs = {"new": str(ROOT)}
        if args.against:
            pkgs["old"] = str(package_at(args.against, tmp / "old"))
            for name in ("bundled_corpus", "notebooks"):
                link = tmp / "old" / "analysis" / name
                if not link.exists():
                    link.unlink(missing_ok=True)
                    link.symlink_to((ROOT / "analysis" / name).resolve())
        peaks = {}
        out_new = str(Path(args.out).resolve()) if args.save and args.out else str(tmp / "out-new")
        for tag, pkg in pkgs.items():
            out = str(tmp / f"out-{tag}") if args.save else ""
            if args.save and tag == "new":
                out = out_new
            env = {**os.environ, "NEWSFRAMES_PROGRESS": "0"}
            notebook = str(Path(args.notebook).resolve()) if args.notebook and tag == "new" else ""
            if tag == "old":  # the notebook as it was at that revision (the checkout's may call newer code)
                notebook = str(tmp / "old-10_terms.ipynb")
                Path(notebook).write_bytes(subprocess.run(
                    ["git", "show", f"{args.against}:notebooks/10_terms.ipynb"], cwd=ROOT, check=True,
                    capture_output=True).stdout)
            write_table = str(Path(args.write_table).resolve()) if args.write_table and tag == "new" else ""
            cmd = ["nice", sys.executable, __file__, "--worker", pkg, corpus, processed, out, notebook, args.last,
                   write_table]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
            rows = [json.loads(ln) for ln in done.stdout.splitlines() if ln.startswith("{")]
            print(f"{tag} ({pkg}): cell, CPU s, MB before, peak, after; peak's line")
            for r in rows:
                print(f"  {r['cell']:2d} {r['cpu_s']:6.1f} s {r['before_mb']:6d} {r['peak_mb']:6d} {r['rss_mb']:6d}"
                      f"  {r['source']}\n{'':29s}{r['at']}")
            peaks[tag] = max(r["peak_mb"] for r in rows)
            print(f"  {tag}: kernel peak {peaks[tag]} MB, CPU {sum(r['cpu_s'] for r in rows):.1f} s", flush=True)
        if args.save and (args.against or args.reference):
            old_dir = Path(args.reference) if args.reference else tmp / "out-old"
            for kind in ("tables", "figures"):
                new_t, old_t = Path(out_new) / kind, old_dir / kind
                names = sorted({f.name for f in new_t.iterdir() if f.name.startswith("terms_")}
                               | {f.name for f in old_t.iterdir() if f.name.startswith("terms_")})
                differs = [n for n in names if not (new_t / n).exists() or not (old_t / n).exists()
                           or (new_t / n).read_bytes() != (old_t / n).read_bytes()]
                verdict = "byte-identical" if not differs else "DIFFER: " + ", ".join(differs)
                print(f"{len(names)} saved {kind}: {verdict}")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
