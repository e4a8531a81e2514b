"""What the report's reuse window (``window_days``) keeps and costs, on the real year of articles.

Issue 15. On a long corpus most article pairs that share a passage were published months apart and
share a stock phrase; their number grows with the square of the corpus and the sentence alignment
of every such pair is where the reuse step's time went. ``shared_passages(..., window_days=N)``
compares only articles published at most N days apart (undated ones with all). This prints, for
the first ``--size`` articles of ``shared/corpus/abp-2013.jsonl``:

1. every article pair sharing a passage (no window) by how far apart the two were published, with
   the shared words per pair (median, quartiles): what a window leaves out;
2. the reuse chain of the voices notebook (``shared_passages``, ``align_sentences``, ``reuse_pairs``,
   ``originality``) without a window and with each ``--windows`` value, interleaved ``--repeat``
   times: CPU seconds (the shingle table is made once, outside the timing) and the rows of each table.

    python bench/reuse_window.py                      # all 4,142 articles, window 30 (the report's)
    python bench/reuse_window.py --size 1000 --windows 7 30 90
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = ROOT.parent / "shared" / "corpus" / "abp-2013.jsonl"
GAPS = [-1, 0, 1, 3, 7, 30, 90, 400]  # bucket edges in days, as pd.cut bins


def gap_table(articles: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """One row per gap bucket: article pairs sharing a passage and their shared words (sum over passages)."""
    from analysis.corpus import publication_days

    days = pd.Series(publication_days(articles), index=articles["article_id"].astype(str))
    words = passages.groupby(["article_a", "article_b"], sort=False)["n_words"].sum().reset_index()
    gap = (days.reindex(words["article_a"]).to_numpy() - days.reindex(words["article_b"]).to_numpy())
    words["gap"] = np.abs(gap)
    grouped = words.groupby(pd.cut(words["gap"], GAPS), observed=False)["n_words"]
    return grouped.describe()[["count", "25%", "50%", "75%", "max"]].rename(columns={"count": "pairs"})


def chain(articles, sentences, shingles, window):
    """The voices notebook's reuse cells; return CPU seconds and the tables' sizes."""
    from analysis import reuse as R

    t = time.process_time()
    passages = R.shared_passages(articles, shingles=shingles, window_days=window)
    aligned = R.align_sentences(sentences, passages)
    pairs = R.reuse_pairs(articles, passages, aligned)
    orig = R.originality(articles, sentences, pairs, aligned)
    return {"window_days": window if window is not None else "none", "cpu_s": round(time.process_time() - t, 1),
            "pairs": len(pairs), "passages": len(passages), "aligned": len(aligned),
            "with_source": int((orig["likely_source"] != "").sum())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=4142, help="first N articles of the year")
    ap.add_argument("--windows", type=int, nargs="+", default=[30], help="windows in days, beside no window")
    ap.add_argument("--repeat", type=int, default=2, help="interleaved rounds")
    ap.add_argument("--year", type=Path, default=YEAR)
    args = ap.parse_args()
    from analysis import partition
    from analysis import reuse as R
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    articles = load_corpus(str(args.year)).head(args.size).reset_index(drop=True)
    sentences = split_sentences(articles)
    shingles = partition.per_article(R.shingle_table, articles)
    print(f"{len(articles)} articles; pairs sharing a passage by days apart (shared words per pair):")
    print(gap_table(articles, R.shared_passages(articles, shingles=shingles)).to_string())
    rows = [chain(articles, sentences, shingles, w) for _ in range(args.repeat) for w in [None, *args.windows]]
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
