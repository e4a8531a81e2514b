"""Benchmark sentiment toward each mention against VADER scoring of the same mentions.

    python bench/toward.py                    # quick: 300 articles of abp-2013
    python bench/toward.py --articles 4142    # the whole development table
    python bench/toward.py --steps --sizes 1000 4142 --against b9012b4   # issue 15: exponent, old code
    python bench/toward.py --cpu-against e215d0f --articles 1000 --repeats 2   # CPU seconds, interleaved

``--cpu-against REV`` runs the toward cell (``toward`` on every mention, ``toward_by_outlet`` on
the people named twice or more) alternately with this tree's package and the package at REV,
each run in a fresh process on the same saved mentions, and prints each run's CPU seconds
(``time.process_time``, which a loaded shared machine inflates far less than wall time), the
new/old ratio of each interleaved pair, and whether the two tables are byte-identical.

``--steps`` times the toward cell of ``notebooks/20_sentiment.ipynb`` (``toward`` and
``toward_by_outlet``) at each size of the real year, with a baseline in the same run and,
with ``--against REV``, the package at REV on the same inputs, every table compared byte
for byte (``bench/sentiment.py``'s :func:`step_bench`).

Mentions come from a real development corpus (default ``/work/shared/corpus/abp-2013.jsonl``,
or ``--corpus`` any corpus newsframes reads), found without an alias file
(:func:`analysis.entities.find_mentions` proposing names). The baseline, in the same run,
is :func:`analysis.sentiment.entity_scores` with ``unit="window"``: VADER on each mention's
ten-word window, one score per mention. Ours is :func:`analysis.toward.toward` (features,
VADER once per sentence, numpy logistic regression). Model loading is timed apart (cold
start), and the result is checked identical on a second run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = Path("/work/shared/corpus/abp-2013.jsonl")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--articles", type=int, default=300, help="first N articles of the corpus")
    ap.add_argument("--steps", action="store_true", help="time the toward cell at --sizes (issue 15)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4142])
    ap.add_argument("--against", help="git revision whose package runs the same steps")
    ap.add_argument("--cpu-against", help="git revision: CPU seconds of the toward cell, new and old interleaved")
    ap.add_argument("--repeats", type=int, default=2, help="interleaved pairs (with --cpu-against)")
    ap.add_argument("--cpu-worker", nargs=2, help=argparse.SUPPRESS)  # (data folder, output prefix)
    args = ap.parse_args()
    if args.cpu_worker:
        _cpu_worker(*args.cpu_worker)
        return
    if args.cpu_against:
        if not _cpu_against(args.cpu_against, Path(args.corpus), args.articles, args.repeats):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    if args.steps:
        sys.path.insert(0, str(ROOT / "bench"))
        from sentiment import step_bench

        if not step_bench(["toward"], args.sizes, against=args.against, year=Path(args.corpus)):
            raise SystemExit("FAILED: a table differs from the old code's")
        return

    from analysis import entities as E
    from analysis import sentiment as V
    from analysis import toward as T
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    articles = load_corpus(args.corpus).head(args.articles)
    sentences = split_sentences(articles)
    mentions = E.find_mentions(sentences)
    n = len(mentions)
    print(f"{len(articles):,} articles, {len(sentences):,} sentences, {n:,} mentions "
          f"({mentions.entity.nunique():,} proposed entities)")
    V.score_texts(["warm up VADER."])
    t0 = time.perf_counter()
    T.load_model()
    print(f"model load (cold start, once per process): {time.perf_counter() - t0:6.2f} s")

    t0 = time.perf_counter()
    V.entity_scores(mentions, sentences, unit="window")
    t_base = time.perf_counter() - t0
    print(f"baseline VADER window per mention:  {t_base:6.2f} s  {n / t_base:9,.0f} mentions/s")
    t0 = time.perf_counter()
    ours = T.toward(mentions, sentences)
    t = time.perf_counter() - t0
    print(f"toward (features + numpy LR):       {t:6.2f} s  {n / t:9,.0f} mentions/s  "
          f"x{t_base / t:.2f} of the baseline's speed")
    again = T.toward(mentions, sentences)
    same = ours.to_csv(index=False) == again.to_csv(index=False)
    print(f"second run identical: {same}")
    print("polarity shares:", ours.polarity.value_counts(normalize=True).round(3).to_dict())
    if not same or n / t < 2000:
        raise SystemExit("FAILED: not deterministic or below 2,000 mentions/s")
    pd.set_option("display.width", 160)


def _cpu_worker(data: str, out: str) -> None:
    """Run the toward cell on saved mentions; print CPU seconds as JSON; write both tables."""
    import json
    import os

    sys.path.insert(0, os.getcwd())  # the package under test (this tree's or the old one), before ROOT
    from analysis import toward as T

    sentences, mentions = pd.read_pickle(Path(data) / "sentences.pkl"), pd.read_pickle(Path(data) / "mentions.pkl")
    T.load_model()
    t0 = time.process_time()
    scored = T.toward(mentions, sentences)
    t1 = time.process_time()
    frequent = mentions.groupby("entity").size().loc[lambda n: n >= 2].index
    people = scored[scored["type"].isin(["person", "organization"]) & scored["entity"].isin(frequent)]
    by = T.toward_by_outlet(people, n_boot=2000, seed=0)
    t2 = time.process_time()
    scored.to_csv(out + "-toward.csv", index=False)
    by.to_csv(out + "-by_outlet.csv", index=False)
    print(json.dumps({"toward": t1 - t0, "toward_by_outlet": t2 - t1, "module": T.__file__}))


def _cpu_against(rev: str, corpus: Path, n: int, repeats: int) -> bool:
    """Time the toward cell of this tree and of `rev` alternately (CPU seconds); True if the tables are equal."""
    import json
    import os
    import subprocess
    import tempfile

    from analysis import entities as E
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sys.path.insert(0, str(ROOT / "bench"))
        from revision import package_at

        old = package_at(rev, tmp / "old")
        articles = load_corpus(str(corpus)).head(n)
        sentences = split_sentences(articles)
        mentions = E.find_mentions(sentences)
        sentences.to_pickle(tmp / "sentences.pkl")
        mentions.to_pickle(tmp / "mentions.pkl")
        print(f"{len(articles):,} articles, {len(sentences):,} sentences, {len(mentions):,} mentions; CPU seconds",
              flush=True)
        same, ratios = True, []
        for r in range(repeats):
            times = {}
            for tag in ("new", "old") if r % 2 == 0 else ("old", "new"):
                pkg = ROOT if tag == "new" else old
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--cpu-worker", str(tmp),
                                       str(tmp / f"{tag}{r}")], cwd=pkg, capture_output=True, text=True,
                                      env={**os.environ, "PYTHONPATH": str(pkg), "PYTHONHASHSEED": "0"})
                if done.returncode:
                    raise SystemExit(f"{tag} worker failed:\n{done.stderr[-3000:]}")
                times[tag] = json.loads(done.stdout.strip().splitlines()[-1])
                if not times[tag].pop("module").startswith(str(pkg)):
                    raise SystemExit(f"{tag} worker imported the wrong package")
                print(f"  pair {r + 1} {tag}: " + ", ".join(f"{k} {v:.1f}" for k, v in times[tag].items()), flush=True)
            for name in ("toward", "by_outlet"):
                same &= (tmp / f"new{r}-{name}.csv").read_bytes() == (tmp / f"old{r}-{name}.csv").read_bytes()
            ratios.append({k: times["old"][k] / times["new"][k] for k in times["new"]})
            print(f"  pair {r + 1} old/new: " + ", ".join(f"{k} x{v:.2f}" for k, v in ratios[-1].items()), flush=True)
        print(f"tables byte-identical: {same}")
        return same


if __name__ == "__main__":
    main()
