"""Memory map of the report notebooks (issue 15): each kernel's peak, cell by cell.

``bench/scale.py`` gives the report's summed peak and its largest process; this says which
notebook and which cell that is, and how each notebook's peak grows with the corpus. For each
size it writes the scale corpus (``bench/scale.corpus_of``: the first N articles of the year,
generated beyond it), prepares it, then runs each report notebook's code cells in a fresh
Python process, as its kernel would (the parameters cell, then ``processed_dir`` and ``corpus``
set, ``out_dir`` empty so nothing is saved; freed memory released after each cell, as the report's
kernels do), and prints per notebook its peak resident memory
(``VmHWM``), the resident memory at the end and its largest tables. ``--cells`` prints a
line per cell: seconds, resident memory after it and the peak so far.

Baseline in the same run: a process that imports the notebooks' modules and opens the prepared
corpus (``corpus.open_corpus``) and nothing else; ``peak / baseline`` is what the analyses add
to holding the corpus. Then the growth exponent of each notebook's peak (memory ~ articles^k,
least squares on log-log) and the peak at 40,000 articles it extrapolates to, by that power law
and by a straight line (a fixed part, the imports, plus a part per article): the fixed part makes
the exponent of small sizes low, so read the line when the sizes are far apart. Memory does not
depend on the machine's load, so these figures hold on a busy machine; the seconds do not.

    python bench/memory.py --sizes 1000 4142                 # every notebook, two sizes
    python bench/memory.py --sizes 4142 --notebooks 30_framing --cells
    python bench/memory.py --corpus FILE --processed DIR     # an already prepared corpus
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("00_corpus", "10_terms", "20_sentiment", "30_framing", "40_voices_reuse")
BASELINE = "baseline"  # the corpus opened, nothing else


def child(notebook: str, corpus: str, processed: str, cells: bool) -> None:
    """Run `notebook`'s code cells in this process; print one JSON line of its memory."""
    import time

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    import psutil

    import analysis.kernel as kernel

    # what the report's post-cell hook runs (revisions before session 28: release_memory; before 26: none)
    release_memory = getattr(kernel, "_release_cell", getattr(kernel, "release_memory", lambda: None))

    me = psutil.Process()
    rss = lambda: me.memory_info().rss / 2**20  # noqa: E731
    # VmHWM: this process's peak since exec (ru_maxrss would carry the forking parent's peak)
    peak = lambda: int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024  # noqa: E731
    scope: dict = {}
    if notebook == BASELINE:
        from analysis import actors, entities, frames, labels, quotes, reuse, sentiment, terms  # noqa: F401
        from analysis import corpus as C

        articles, sentences = C.open_corpus(corpus, processed_dir=processed)
        scope = {"articles": articles, "sentences": sentences}
        release_memory()  # as a kernel does after the cell that opened the corpus: end_mb is what it holds
    else:
        nb = nbformat.read(ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
        for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            t0 = time.perf_counter()
            exec(cell.source, scope)  # noqa: S102 (the project's own notebook)
            if "parameters" in cell.metadata.get("tags", []):
                scope.update(corpus=corpus, processed_dir=processed, out_dir="")
            plt.close("all")
            release_memory()  # as the report's kernels do after every cell (analysis.kernel.release_after_cells)
            if cells:
                first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
                print(f"    {notebook}:{i:02d} {time.perf_counter() - t0:7.1f} s  rss {rss():6.0f} MB  "
                      f"peak {peak():6.0f} MB  {first}", file=sys.stderr, flush=True)
    tables = sorted(((name, value.memory_usage(deep=True).sum() / 2**20) for name, value in scope.items()
                     if isinstance(value, pd.DataFrame)), key=lambda x: -x[1])[:4]
    print(json.dumps({"notebook": notebook, "peak_mb": peak(), "end_mb": rss(),
                      "tables": ", ".join(f"{n} {mb:.0f}" for n, mb in tables)}))


def measure(notebook: str, corpus: Path, processed: Path, cells: bool) -> dict:
    env = {**os.environ, "NEWSFRAMES_PROGRESS": "0", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, __file__, "--child", notebook, str(corpus), str(processed),
                          *(["--cells"] if cells else [])], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode or not lines:
        return {"notebook": notebook, "peak_mb": float("nan"), "end_mb": float("nan"), "tables": "failed"}
    return json.loads(lines[-1])


def exponent(sizes, values) -> float:
    ok = [(n, v) for n, v in zip(sizes, values) if v and v > 0 and np.isfinite(v)]
    if len(ok) < 2:
        return float("nan")
    return float(np.polyfit(np.log([n for n, _ in ok]), np.log([v for _, v in ok]), 1)[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--notebooks", nargs="+", default=list(NOTEBOOKS))
    ap.add_argument("--cells", action="store_true", help="a line per cell (stderr)")
    ap.add_argument("--corpus", type=Path, default=None, help="with --processed: an already prepared corpus")
    ap.add_argument("--processed", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="keep corpora and prepared folders here")
    ap.add_argument("--child", nargs=3, metavar=("NOTEBOOK", "CORPUS", "PROCESSED"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child, cells=args.cells)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from scale import corpus_of

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        prepared = ([(len(pd.read_parquet(args.processed / "articles.parquet", columns=["article_id"])),
                      args.corpus, args.processed)] if args.processed else [])
        for n in ([] if args.processed else args.sizes):
            corpus = corpus_of(n, tmp)
            subprocess.run([sys.executable, "-m", "analysis", "prepare", str(corpus), "--out", str(tmp / f"p{n}")],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            prepared.append((n, corpus, tmp / f"p{n}"))
        for n, corpus, processed in prepared:
            for notebook in [BASELINE, *args.notebooks]:
                row = {"articles": n, **measure(notebook, corpus, processed, args.cells)}
                rows.append(row)
                print(json.dumps({k: round(v) if isinstance(v, float) and np.isfinite(v) else v
                                  for k, v in row.items()}), flush=True)
    table = pd.DataFrame(rows)
    base = table[table["notebook"] == BASELINE].set_index("articles")["peak_mb"]
    table["peak_over_baseline"] = table["peak_mb"] / table["articles"].map(base)
    print()
    print(table.drop(columns="tables").round(2).to_string(index=False))
    sizes = sorted(table["articles"].unique())
    if len(sizes) > 1:
        print("\ngrowth of each peak (memory ~ articles^k) and its extrapolation to 40,000 articles:")
        for notebook, group in table.groupby("notebook", sort=False):
            group = group.sort_values("articles")
            k = exponent(group["articles"], group["peak_mb"])
            last = group.iloc[-1]
            at_40k = last["peak_mb"] * (40000 / last["articles"]) ** k if np.isfinite(k) else float("nan")
            slope, fixed = np.polyfit(group["articles"], group["peak_mb"], 1)
            print(f"  {notebook:16s} k = {k:4.2f}   {last['peak_mb']:6.0f} MB at {last['articles']:,} "
                  f"-> {at_40k:6.0f} MB at 40,000 (power law); {fixed:4.0f} MB + {slope * 1000:4.0f} MB per "
                  f"1,000 articles -> {fixed + slope * 40000:6.0f} MB (straight line)")


if __name__ == "__main__":
    main()
