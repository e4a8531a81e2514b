"""Bench the bootstraps of many small groups (outlet x entity) and the sentiment page's others, old against new.

    python bench/bootstrap_groups.py --scores SCORES.pkl --units UNITS.pkl [--people PEOPLE.pkl] --against 14f2ce8

Each package (this tree's ``analysis``, and the one at git revision ``--against``) runs in
its own fresh process, one after the other, and computes from the same pickled inputs:
``entity_sentiment`` of the entity units (the sentiment page's entity cell after
``entity_scores``: tens of thousands of outlet x entity groups of a few sentences),
``toward_by_outlet`` of the toward scores when given, then ``voice_sentiment``,
``outlet_sentiment`` and the example-overrides ``outlet_sentiment`` of the sentence scores.
Printed: CPU seconds of each step for both, their ratio, and whether the step's table is
byte-identical (SHA-256 of its CSV). ``--repeats`` runs the pair again, alternating which
goes first. Inputs: ``UNITS.pkl`` is ``entity_scores(..., unit_text=False)`` filtered as the
notebook filters it (types person/organization, entities of 2+ mentions); SCORES.pkl
``score_sentences``' table; PEOPLE.pkl ``toward``'s table. ``--in-process`` times only the
entity units' ``bootstrap_means``, old and new alternately in one process that also holds
the sentence scores (as the notebook's kernel does).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from revision import module_at, package_at, worker_json  # noqa: E402

WORKER = r'''
import sys, time, hashlib, json
import pandas as pd
from analysis import sentiment as V, toward as T
scores_path, units_path, people_path = sys.argv[1:4]
out = {}
def run(name, f):
    t0 = time.process_time(); table = f()
    out[name] = (time.process_time() - t0, hashlib.sha256(table.to_csv(index=False).encode()).hexdigest())
units = pd.read_pickle(units_path)
run("entity_sentiment", lambda: V.entity_sentiment(units, n_boot=2000, seed=0))
del units
if people_path:
    people = pd.read_pickle(people_path)
    run("toward_by_outlet", lambda: T.toward_by_outlet(people, n_boot=2000, seed=0))
    del people
if scores_path:
    scores = pd.read_pickle(scores_path)
    run("voice_sentiment", lambda: V.voice_sentiment(scores, n_boot=2000, seed=0))
    run("outlet_sentiment", lambda: V.outlet_sentiment(scores, n_boot=2000, seed=0))
    rescored = V.rescore(scores, overrides=V.load_overrides(V.EXAMPLE_OVERRIDES))
    run("example_outlet_sentiment", lambda: V.outlet_sentiment(rescored, n_boot=2000, seed=0))
print(json.dumps(out))
'''


def run_pair(old_pkg: Path, args, first: str) -> dict:
    runs = {}
    order = ("old", "new") if first == "old" else ("new", "old")
    for name in order:
        pkg = old_pkg if name == "old" else ROOT
        runs[name] = worker_json(pkg, WORKER, args.scores or "", args.units, args.people or "")
    return runs


def in_process(old_pkg: Path, args) -> bool:
    """Old and new ``bootstrap_means`` of the entity units alternately in this process.

    The process first reads the sentence scores too (when given), as the notebook kernel
    holds them (and much more) while the entity cell runs.
    """
    import time

    import pandas as pd

    held = pd.read_pickle(args.scores) if args.scores else None  # noqa: F841 - held, as in the kernel
    units = pd.read_pickle(args.units)
    mods = {"old": module_at(old_pkg), "new": module_at(ROOT)}
    same = True
    for r in range(args.repeats):
        got = {}
        for name in ("old", "new") if r % 2 == 0 else ("new", "old"):
            t0 = time.process_time()
            got[name] = mods[name].bootstrap_means(units, value="compound", group=["outlet", "entity"],
                                                   cluster="article_id", n_boot=2000, seed=0)
            print(f"  {name}: {time.process_time() - t0:7.2f} CPU s", end="", flush=True)
        ok = got["old"].to_csv(index=False) == got["new"].to_csv(index=False)
        same &= ok
        print(f"   identical: {ok}")
    return same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--against", default="14f2ce8", help="git revision of the old package")
    ap.add_argument("--units", required=True, help="pickled entity units (entity_sentiment's input)")
    ap.add_argument("--scores", help="pickled sentence scores (voice, outlet, example-overrides steps)")
    ap.add_argument("--people", help="pickled toward table (toward_by_outlet step)")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--in-process", action="store_true",
                    help="only the entity units' bootstrap_means, old and new alternately in one process")
    args = ap.parse_args()
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        old_pkg = package_at(args.against, Path(tmp) / "old")
        if args.in_process:
            if not in_process(old_pkg, args):
                raise SystemExit("FAILED: the tables differ")
            return
        for r in range(args.repeats):
            runs = run_pair(old_pkg, args, "old" if r % 2 == 0 else "new")
            for step in runs["old"]:
                (t_old, h_old), (t_new, h_new) = runs["old"][step], runs["new"][step]
                same &= h_old == h_new
                print(f"{step:26s} old {t_old:7.2f}  new {t_new:7.2f} CPU s  ratio {t_new / t_old:5.2f}  "
                      f"identical: {h_old == h_new}  ({h_new[:12]})", flush=True)
    if not same:
        raise SystemExit("FAILED: a table differs from the old code's")


if __name__ == "__main__":
    main()
