"""The steps of the voices reuse cell, old code against new: CPU, working memory, equal tables and files.

Usage::

    python bench/reuse_steps.py --ref c84a671 --processed /tmp/reuse/p10000
    python bench/reuse_steps.py --ref c84a671 --processed /tmp/finb/p4142 --repeats 2 --new-cell lean

Runs, in a fresh process per version (REF's ``analysis/`` by ``git archive``, and the working
tree), alternating ``--repeats`` times, the cell's calls on a folder ``newsframes prepare``
wrote (opened as the notebook opens it): REF runs the cell as it was (a shingle table made
first by ``per_article(shingle_table)``); the working tree runs ``--new-cell``: ``table`` (the
same calls), ``chunked`` (session 31's cell: no shingle table) or ``lean`` (session 32's cell,
the default: passages and alignments made without their text columns and saved a block of
rows at a time with them, ``passage_parts`` / ``alignment_parts`` through
``corpus.save_table_parts``). Steps: ``shingles``, ``passages``, ``align``, ``pairs``, ``save``
(the three tables saved as the notebook saves them, into a temporary report folder; the
shingles deleted before), ``originality`` (and its table saved). Printed per step: CPU
seconds of the process, resident memory before the step and its peak above that
(``VmHWM``, reset through ``/proc/self/clear_refs``); then the cell's peak over its start
(the largest before + peak of its steps up to ``save``; the lean cell is four notebook cells, and
``analysis.kernel.release_memory`` runs after each, as in a report kernel, and the passages are
dropped before ``originality``); then, which must be the same for
both versions (exit status 1 if not): the md5 of the saved files' bytes and of the pairs'
and originality's CSV text and dtypes. ``--keep`` keeps the saved folders (printed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import gc, hashlib, json, sys, time
from pathlib import Path

def mb(field):
    return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0]) / 1024

from analysis import corpus as C, partition, reuse as R
arts, sents = C.open_corpus(str(C.BUNDLED_CORPUS), processed_dir=sys.argv[1])
cell, out = sys.argv[2], sys.argv[3]
stats, digests = {}, {}

def step(name, f):
    gc.collect()
    before = mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    t = time.process_time()
    result = f()
    stats[name] = {"seconds": time.process_time() - t, "before": before, "peak": mb("VmHWM") - before}
    return result

def digest(name, table):
    text = table.to_csv(index=False).encode() + str(table.dtypes.to_dict()).encode()
    digests[name] = f"{len(table)} {hashlib.md5(text).hexdigest()}"

lean = cell == "lean"  # session 32: passages and alignments without texts, saved in blocks with them
table = cell == "table"  # the cell as it was: a shingle table made first and passed to both steps
sh = step("shingles", lambda: partition.per_article(R.shingle_table, arts, n=5) if table else None)
kw = {"texts": False} if lean else {}
from analysis.kernel import release_memory  # what a report kernel does after every cell

def cell_ends():  # the lean cell is four notebook cells: passages | align | pairs | saves
    if lean:
        release_memory()

p = step("passages", lambda: R.shared_passages(arts, n=5, max_df=50, min_shared=2, shingles=sh, window_days=30, **kw))
cell_ends()
al = step("align", lambda: R.align_sentences(sents, p, threshold=0.5, **kw))
cell_ends()
pr = step("pairs", lambda: R.reuse_pairs(arts, p, al, shingles=sh))
digest("pairs", pr)
del sh
cell_ends()

def save():
    C.save_table(pr, "reuse_pairs", out)
    if lean:
        C.save_table_parts(R.passage_parts(arts, p), "reuse_passages", out)
        C.save_table_parts(R.alignment_parts(sents, al), "reuse_alignments", out)
    else:
        C.save_table(p, "reuse_passages", out)
        C.save_table(al, "reuse_alignments", out)

step("save", save)
release_memory()  # the end of the reuse cell (every version)
if lean:  # the notebook drops the passages once its top rows are shown
    del p
o = step("originality", lambda: R.originality(arts, sents, pr, al))
digest("originality", o)
C.save_table(o, "reuse_originality", out)
for f in sorted((Path(out) / "tables").iterdir()):
    digests[f.name] = hashlib.md5(f.read_bytes()).hexdigest()
print(json.dumps({"stats": stats, "digests": digests}))
"""


def run(package: Path, processed: str, cell: str = "table", out: str | None = None) -> dict:
    """One version's steps in a fresh process; its tables saved into `out` (a temporary folder when None)."""
    from revision import worker_json  # (bench/ is on sys.path: the script's folder)

    if out is not None:
        return worker_json(package, WORKER, processed, cell, out, env={"TQDM_DISABLE": "1"})
    with tempfile.TemporaryDirectory() as tmp:
        return worker_json(package, WORKER, processed, cell, tmp, env={"TQDM_DISABLE": "1"})


def cell_summary(stats: dict) -> str:
    """The cell's peak over its start (before the first step) up to its saves, its CPU, and what it held after."""
    cell = [s for name, s in stats.items() if name != "originality"]
    start = cell[0]["before"]
    peak = max(s["before"] + s["peak"] for s in cell) - start
    return (f"peak +{peak:.0f} MB over {start:.0f}, CPU {sum(s['seconds'] for s in cell):.1f} s, held before "
            f"originality +{stats['originality']['before'] - start:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", required=True, help="old revision (git archive of analysis/)")
    ap.add_argument("--processed", required=True, help="folder written by `newsframes prepare`")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--new-cell", choices=("lean", "chunked", "table"), default="lean",
                    help="the working tree's cell: passages and alignments without texts, saved in blocks with "
                         "them (lean, session 32's), shared_passages and reuse_pairs making their own shingles "
                         "(chunked, session 31's cell), or a shingle table (table, the cell before); REF runs "
                         "the table cell")
    ap.add_argument("--ref-cell", choices=("lean", "chunked", "table"), default="table",
                    help="the cell REF runs (table: c84a671's)")
    ap.add_argument("--keep", help="save the tables under this folder (old/ and new/) instead of a temporary one")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from revision import package_at

    with tempfile.TemporaryDirectory() as tmp:
        old = package_at(args.ref, Path(tmp) / "ref")
        runs = {"old": [], "new": []}
        for _ in range(args.repeats):
            for name, package in (("old", old), ("new", ROOT)):
                keep = None if not args.keep else str(Path(args.keep) / name)
                runs[name].append(run(package, args.processed, args.ref_cell if name == "old" else args.new_cell,
                                      keep))
    print(f"{'step':12s} {'version':7s} {'CPU s':>7s} {'before MB':>9s} {'peak +MB':>8s}")
    for step in runs["old"][0]["stats"]:
        for name in ("old", "new"):
            for r in runs[name]:
                s = r["stats"][step]
                print(f"{step:12s} {name:7s} {s['seconds']:7.1f} {s['before']:9.0f} {s['peak']:8.0f}")
    for name in ("old", "new"):
        for r in runs[name]:
            print(f"cell {name}: " + cell_summary(r["stats"]))
    same = True
    for table, value in runs["old"][0]["digests"].items():
        values = {r["digests"][table] for name in runs for r in runs[name]}
        same &= len(values) == 1
        print(f"{table:12s} {'identical' if len(values) == 1 else 'DIFFERENT'} {value}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
