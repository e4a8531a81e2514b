"""Bench the bootstrap of the sentiment notebook: this tree's against the package at a git revision.

    python bench/bootstrap.py --articles 4000 --sentences 40          # one outlet's replicates, CPU s
    python bench/bootstrap.py --tables SCORES.pkl PEOPLE.pkl --against 1287166   # the notebook's tables

Without ``--tables`` it times :func:`analysis.stats._replicates` on one group shaped like an
outlet of the 40,000-article corpus (``--articles`` clusters of about ``--sentences``
entries, n_boot 2000), this tree's and the revision's alternately in this process, and
checks the replicates bit for bit. With ``--tables`` (a pickled sentence-score table, as
``analysis.sentiment.score_sentences`` gives, and optionally a pickled toward table, as
``analysis.toward.toward`` gives) each package computes the notebook's bootstrapped tables
(``outlet_sentiment``, ``outlet_differences``, ``voice_sentiment``, the example-overrides
``outlet_sentiment`` of cell 23, ``toward_by_outlet``) in its own fresh process; the CPU
seconds of each and whether every table's CSV is byte-identical are printed. A package
whose ``outlet_sentiment`` takes ``rescored`` computes both outlet tables in one call (the
draws shared, as the notebook does since session 31): its time is given to
``outlet_sentiment``, and the example's shows 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from revision import module_at, package_at, worker_json  # noqa: E402


def bench_replicates(old_pkg: Path, articles: int, sentences: int, n_boot: int, repeats: int) -> bool:
    old, new = module_at(old_pkg), module_at(ROOT)
    g = np.random.default_rng(1)
    sizes = g.integers(max(1, sentences // 4), sentences * 7 // 4 + 1, articles)
    clusters = np.repeat(np.arange(articles), sizes)
    values = np.round(g.uniform(-1, 1, len(clusters)), 4)  # compound scores have 4 decimals
    print(f"one group: {articles:,} clusters, {len(values):,} entries, n_boot {n_boot}")
    same = True
    for r in range(repeats):
        got = {}
        for name, mod in (("old", old), ("new", new)) if r % 2 == 0 else (("new", new), ("old", old)):
            t0 = time.process_time()
            got[name] = mod._replicates(values, clusters, n_boot, np.random.default_rng([0, 7]))
            print(f"  {name}: {time.process_time() - t0:7.2f} CPU s", end="")
        same &= got["old"].tobytes() == got["new"].tobytes()
        print(f"   identical: {got['old'].tobytes() == got['new'].tobytes()}")
    return same


WORKER = r'''
import sys, time, hashlib, json, inspect
import pandas as pd
from analysis import sentiment as V, toward as T
scores = pd.read_pickle(sys.argv[1])
people = pd.read_pickle(sys.argv[2]) if sys.argv[2] else None
out = {}
def run(name, f):
    t0 = time.process_time(); table = f()
    out[name] = (time.process_time() - t0, hashlib.sha256(table.to_csv(index=False).encode()).hexdigest())
example = V.load_overrides(V.EXAMPLE_OVERRIDES)
rescored = V.rescore(scores, overrides=example)
def digest(table):
    return hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()
shared = "rescored" in inspect.signature(V.outlet_sentiment).parameters
if shared:  # both outlet tables from one call (the draws shared): its time given to the first
    t0 = time.process_time()
    mine, theirs = V.outlet_sentiment(scores, n_boot=2000, seed=0, rescored=rescored)
    out["outlet_sentiment"] = (time.process_time() - t0, digest(mine))
    out["example_outlet_sentiment"] = (0.0, digest(theirs))
else:
    run("outlet_sentiment", lambda: V.outlet_sentiment(scores, n_boot=2000, seed=0))
run("outlet_differences", lambda: V.outlet_differences(scores, n_boot=2000, seed=0))
run("voice_sentiment", lambda: V.voice_sentiment(scores, n_boot=2000, seed=0))
if not shared:
    run("example_outlet_sentiment", lambda: V.outlet_sentiment(rescored, n_boot=2000, seed=0))
if people is not None:
    run("toward_by_outlet", lambda: T.toward_by_outlet(people, n_boot=2000, seed=0))
print(json.dumps(out))
'''


def bench_tables(old_pkg: Path, scores: str, people: str) -> bool:
    runs = {}
    for name, pkg in (("old", old_pkg), ("new", ROOT)):
        runs[name] = worker_json(pkg, WORKER, scores, people or "")
    same = True
    for step in runs["old"]:
        (t_old, h_old), (t_new, h_new) = runs["old"][step], runs["new"][step]
        same &= h_old == h_new
        print(f"{step:26s} old {t_old:7.2f}  new {t_new:7.2f} CPU s  ratio {t_new / t_old:5.2f}  "
              f"identical: {h_old == h_new}")
    total = {name: sum(t for t, _ in run.values()) for name, run in runs.items()}
    print(f"{'all':26s} old {total['old']:7.2f}  new {total['new']:7.2f} CPU s  "
          f"ratio {total['new'] / total['old']:5.2f}")
    return same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--against", default="1287166", help="git revision of the old package")
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--sentences", type=int, default=40, help="mean entries per cluster")
    ap.add_argument("--n-boot", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=4, help="alternating runs (without --tables)")
    ap.add_argument("--tables", nargs="+", metavar="PICKLE", help="sentence scores [and toward scores]")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_pkg = package_at(args.against, Path(tmp) / "old")
        if args.tables:
            ok = bench_tables(old_pkg, args.tables[0], args.tables[1] if len(args.tables) > 1 else "")
        else:
            ok = bench_replicates(old_pkg, args.articles, args.sentences, args.n_boot, args.repeats)
    if not ok:
        raise SystemExit("FAILED: replicates or a table differ from the old code's")


if __name__ == "__main__":
    main()
