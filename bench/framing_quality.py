"""Precision of discovered label pairs and shown fact conflicts on held-out slices of abp-2013.

The hand-labelled samples (tests/data/labels_test.tsv, facts_test.tsv; how they were made:
tests/data/README.md) were drawn from runs that the development samples (labels_dev.tsv,
facts_dev.tsv) did not use:

* labels: ``align_sentences`` -> ``substitutions`` -> ``label_discovery_summary`` on each
  calendar month of abp-2013 separately (the dev sample ranked the whole year at once); every
  pair the summary states in any month, except pairs already labelled in labels_dev.tsv.
* facts: ``extract_facts`` without the ``topic`` column (a corpus without a story column, so
  figures are compared within ``max_days`` only; the dev sample used ``topic`` as the story),
  ``fact_conflicts`` at the default ``min_overlap`` 0.25 and at 0.15; every conflict not in
  facts_dev.tsv at 0.25, every conflict the summary rule states at 0.15, and 15 drawn
  (``random_state=16``) of those it does not state.

``score`` runs the pipeline again with the current rules and looks up the verdict of every
item the summary states (label pairs by their two labels, test sample first, then the dev
sample; conflicts by sentence ids and figures). Items no sample labels are counted as
"unlabelled" and left out of the precision: a rule change that surfaces new items must have
them labelled before its figure means anything. Precision has a 95% Clopper-Pearson interval.

Usage::

    nice .venv/bin/python bench/framing_quality.py score        # both sections, ~4 min
    nice .venv/bin/python bench/framing_quality.py score --unlabelled new.tsv  # + stated rows to label
    nice .venv/bin/python bench/framing_quality.py samples      # candidate rows to label (TSV to stdout)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from scipy.stats import binomtest

from analysis import corpus as C
from analysis import facts as FA
from analysis import labels as L

CORPUS = Path("/work/shared/corpus/abp-2013.jsonl")
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FACT_RUNS = {"no topic, max_days 3, min_overlap 0.25": 0.25, "no topic, max_days 3, min_overlap 0.15": 0.15}


def _load():
    articles = C.load_corpus(str(CORPUS))
    sentences = C.split_articles(articles)
    month = dict(zip(articles["article_id"], articles["published"].astype(str).str[:7], strict=True))
    return articles, sentences, sentences["article_id"].map(month)


def month_summaries(sentences: pd.DataFrame, month: pd.Series) -> pd.DataFrame:
    """Return the label pairs label_discovery_summary states for each month (one row per pair and month)."""
    parts = []
    for m, part in sentences.groupby(month.to_numpy(), sort=True):
        part = part.reset_index(drop=True)
        subs = L.substitutions(L.align_sentences(part), part)
        kept, _ = L.label_discovery_summary(subs, sentences=part)
        parts.append(kept.assign(slice=f"published {m}", rank=range(1, len(kept) + 1)))
    return pd.concat(parts, ignore_index=True)


def fact_runs(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Return every conflict of the held-out runs (no story column), with the run's name."""
    facts = FA.extract_facts(sentences, articles=articles.drop(columns=["topic"]))
    return pd.concat([FA.fact_conflicts(facts, articles=articles, sentences=sentences, min_overlap=mo).assign(run=run)
                      for run, mo in FACT_RUNS.items()], ignore_index=True)


def _precision(verdicts: pd.Series) -> str:
    known = verdicts.dropna()
    k, n = int((known == "right").sum()), len(known)
    if not n:
        return f"0 labelled of {len(verdicts)} shown"
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    return (f"{k}/{n} = {k / n:.2f} (95% CI {ci.low:.2f}-{ci.high:.2f}); "
            f"{len(verdicts) - n} shown but unlabelled")


def score(unlabelled: str = "") -> None:
    articles, sentences, month = _load()
    test = pd.read_csv(DATA / "labels_test.tsv", sep="\t")
    dev = pd.read_csv(DATA / "labels_dev.tsv", sep="\t")
    key = lambda d: [tuple(sorted(p)) for p in zip(d["label_a"], d["label_b"], strict=True)]  # noqa: E731
    test_v, dev_v = dict(zip(key(test), test["verdict"], strict=True)), dict(zip(key(dev), dev["verdict"], strict=True))
    shown = month_summaries(sentences, month)
    k = key(shown)
    held_out = pd.Series([test_v.get(x) for x in k], dtype=object)
    either = pd.Series([test_v.get(x, dev_v.get(x)) for x in k], dtype=object)
    print(f"label pairs the summary states, 12 monthly runs of abp-2013 ({len(shown)} rows, top <= 20 per month):")
    print(f"  pairs not in the dev sample (held out):  {_precision(held_out[[x not in dev_v for x in k]])}")
    print(f"  all stated rows (dev verdicts reused):   {_precision(either)}")
    if unlabelled:
        cols = ["slice", "rank", "label_a", "label_b", "outlets", "pairs", "context_a", "context_b", "text_a", "text_b"]
        shown.loc[either.isna().to_numpy(), cols].to_csv(unlabelled, sep="\t", index=False)
    ftest = pd.read_csv(DATA / "facts_test.tsv", sep="\t")
    fdev = pd.read_csv(DATA / "facts_dev.tsv", sep="\t")
    fkey = lambda d: list(zip(d["sentence_a"], d["sentence_b"], d["fact_a"], d["fact_b"], strict=True))  # noqa: E731
    dev_fv = dict(zip(fkey(fdev), fdev["verdict"], strict=True))
    fv = {**dev_fv, **dict(zip(fkey(ftest), ftest["verdict"], strict=True))}
    conflicts = fact_runs(articles, sentences)
    for run, part in conflicts.groupby("run", sort=False):
        kept, dropped = FA.conflict_summary(part.drop(columns="run"))
        new = [x for x in fkey(kept) if x not in dev_fv]
        print(f"fact conflicts, {run}: {len(part)} proposed, {len(kept)} stated")
        print("  stated, not in the dev sample (held out): "
              f"{_precision(pd.Series([fv.get(x) for x in new], dtype=object))}")
        print(f"  stated, all (dev verdicts reused):        "
              f"{_precision(pd.Series([fv.get(x) for x in fkey(kept)], dtype=object))}")
        print(f"  all proposed:                             "
              f"{_precision(pd.Series([fv.get(x) for x in fkey(part)], dtype=object))}")
        print("  dropped: " + "; ".join(f"{r.reason}: {r.conflicts}" for r in dropped.itertuples()))


def samples() -> None:
    articles, sentences, month = _load()
    shown = month_summaries(sentences, month)
    shown.to_csv(sys.stdout, sep="\t", index=False)
    fact_runs(articles, sentences).to_csv(sys.stdout, sep="\t", index=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["score", "samples"])
    ap.add_argument("--unlabelled", default="", help="score: write the stated rows no sample labels to this TSV")
    args = ap.parse_args()
    score(args.unlabelled) if args.what == "score" else samples()


if __name__ == "__main__":
    main()
