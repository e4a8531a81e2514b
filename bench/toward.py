"""Benchmark sentiment toward each mention against VADER scoring of the same mentions.

    python bench/toward.py                    # quick: 300 articles of abp-2013
    python bench/toward.py --articles 4142    # the whole development table
    python bench/toward.py --steps --sizes 1000 4142 --against b9012b4   # issue 15: exponent, old code

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
    args = ap.parse_args()
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


if __name__ == "__main__":
    main()
