"""The four steps of the voices reuse cell, old code against new: CPU, working memory, equal tables.

Usage::

    python bench/reuse_steps.py --ref 3e236f4 --processed /tmp/b10/processed
    python bench/reuse_steps.py --ref 3e236f4 --processed /tmp/finb/p4142 --repeats 2

Runs, in a fresh process per version (REF's ``analysis/`` by ``git archive``, and the working
tree), alternating ``--repeats`` times, the cell's calls on a folder ``newsframes prepare``
wrote (opened as the notebook opens it): ``per_article(shingle_table)``, ``shared_passages``
(30-day window), ``align_sentences``, ``reuse_pairs`` (then the shingles are deleted) and
``originality``. Printed per step: CPU seconds of the process, resident memory before the
step and its peak above that (``VmHWM``, reset through ``/proc/self/clear_refs``), rows
out, and the md5 of each table's CSV text and dtypes (and of the shingle hashes and word
starts), which must be the same for both versions; the exit status is 1 when one is not.
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
stats, digests = {}, {}

def step(name, f):
    gc.collect()
    before = mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    t = time.process_time()
    out = f()
    stats[name] = {"seconds": time.process_time() - t, "before": before, "peak": mb("VmHWM") - before}
    return out

def digest(name, table):
    text = table.to_csv(index=False).encode() + str(table.dtypes.to_dict()).encode()
    digests[name] = f"{len(table)} {hashlib.md5(text).hexdigest()}"

table = sys.argv[2] == "table"  # the cell as it was: a shingle table made first and passed to both steps
sh = step("shingles", lambda: partition.per_article(R.shingle_table, arts, n=5) if table else None)
p = step("passages", lambda: R.shared_passages(arts, n=5, max_df=50, min_shared=2, shingles=sh, window_days=30))
digest("passages", p)
al = step("align", lambda: R.align_sentences(sents, p, threshold=0.5))
digest("aligned", al)
pr = step("pairs", lambda: R.reuse_pairs(arts, p, al, shingles=sh))
digest("pairs", pr)
del sh
o = step("originality", lambda: R.originality(arts, sents, pr, al))
digest("originality", o)
print(json.dumps({"stats": stats, "digests": digests}))
"""


def run(package: Path, processed: str, cell: str = "table") -> dict:
    from revision import worker_json  # (bench/ is on sys.path: the script's folder)

    return worker_json(package, WORKER, processed, cell, env={"TQDM_DISABLE": "1"})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", required=True, help="old revision (git archive of analysis/)")
    ap.add_argument("--processed", required=True, help="folder written by `newsframes prepare`")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--new-cell", choices=("chunked", "table"), default="chunked",
                    help="the working tree's cell: shared_passages and reuse_pairs make their own shingles, a "
                         "chunk of articles at a time (chunked, session 31's cell), or read a shingle table "
                         "(table, the cell before); REF runs the table cell")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from revision import package_at

    with tempfile.TemporaryDirectory() as tmp:
        old = package_at(args.ref, Path(tmp) / "ref")
        runs = {"old": [], "new": []}
        for _ in range(args.repeats):
            for name, package in (("old", old), ("new", ROOT)):
                runs[name].append(run(package, args.processed, "table" if name == "old" else args.new_cell))
    print(f"{'step':12s} {'version':7s} {'CPU s':>7s} {'before MB':>9s} {'peak +MB':>8s}")
    for step in runs["old"][0]["stats"]:
        for name in ("old", "new"):
            for r in runs[name]:
                s = r["stats"][step]
                print(f"{step:12s} {name:7s} {s['seconds']:7.1f} {s['before']:9.0f} {s['peak']:8.0f}")
    same = True
    for table, value in runs["old"][0]["digests"].items():
        values = {r["digests"][table] for name in runs for r in runs[name]}
        same &= len(values) == 1
        print(f"{table:12s} {'identical' if len(values) == 1 else 'DIFFERENT'} {value}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
