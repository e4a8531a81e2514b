"""Time the framing steps on 100 / 1,000 / 4,000 real articles and fit their growth exponents.

Articles are the first N of ``shared/corpus/abp-2013.jsonl`` (loaded with analysis.corpus);
each step is timed (CPU seconds of the process) in the same run, beside a baseline that is linear by construction
(counting words with ``analysis.tokens.word_counts``). The growth exponent of a step is the
slope of log(time) against log(articles) from the middle to the largest size; the floor is
1.2. Steps: find_cues, frame_profile (by outlet and by article), align_sentences,
substitutions + candidate_labels, extract_facts, fact_conflicts.

Two reference paths run in the same process, each checked to give the identical table:
``find_cues`` folding and substituting text by text (the path before issue 15's fix) and
``extract_facts`` scanning every character with the figure pattern (``_FIGURE.finditer``,
before the Aho-Corasick anchoring); their ratio to the current path is printed.

Usage::

    nice .venv/bin/python bench/framing.py                 # 100, 1000, 4000 articles
    nice .venv/bin/python bench/framing.py --sizes 100 1000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import corpus as C
from analysis import facts as FA
from analysis import frames as F
from analysis import labels as L
from analysis.frames import matching
from analysis.labels import discovery
from analysis.tokens import word_counts

CORPUS = Path("/work/shared/corpus/abp-2013.jsonl")


def timed(fn):
    """Return fn's result and the CPU seconds of this process it took.

    CPU time, not wall time: the machine is shared (load averages of 10 on 2 cores were seen),
    and wall times then swing by 2-3x between runs while CPU times stay within a few percent.
    """
    t = time.process_time()
    out = fn()
    return out, time.process_time() - t


def _per_text(texts):
    """The folding before the fix: match_text text by text, then joined (same result, one call per text)."""
    texts = [str(t) for t in texts]
    if not texts:
        return " ", np.zeros(0, dtype=np.int64)
    joined = " " + matching._SEP.join(matching.match_text(t) for t in texts) + " "
    lengths = np.fromiter((len(t) + len(matching._SEP) for t in texts), dtype=np.int64, count=len(texts))
    return joined, np.concatenate([[1], 1 + np.cumsum(lengths)[:-1]])


def reference(fn, module, name, replacement):
    """Run fn with ``module.name`` replaced (the reference path), and restore it."""
    saved = getattr(module, name)
    setattr(module, name, replacement)
    try:
        return timed(fn)
    finally:
        setattr(module, name, saved)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 4000])
    ap.add_argument("--corpus", default=str(CORPUS))
    args = ap.parse_args()
    articles = C.load_corpus(args.corpus)
    sentences = C.split_articles(articles)
    lexicon = F.load_lexicon()
    rows = []
    for n in args.sizes:
        arts = articles.iloc[:n]
        sent = sentences[sentences["article_id"].isin(arts["article_id"])].reset_index(drop=True)
        discovery._tokens.cache_clear()  # each size starts cold: no word forms cached by the last
        discovery._term.cache_clear()
        words, t_base = timed(lambda: word_counts(sent))  # noqa: B023
        hits, t_cues = timed(lambda: F.find_cues(sent, lexicon=lexicon))  # noqa: B023
        ref_hits, t_cues_ref = reference(lambda: F.find_cues(sent, lexicon=lexicon),  # noqa: B023
                                         F.lexicon, "prepare_texts", _per_text)
        assert ref_hits.equals(hits), "find_cues: the reference path gives another table"
        _, t_prof = timed(lambda: F.frame_profile(hits, sent, lexicon=lexicon, words=words))  # noqa: B023
        _, t_part = timed(lambda: F.frame_profile(hits, sent, lexicon=lexicon, words=words, by="article"))  # noqa: B023
        aligned, t_align = timed(lambda: L.align_sentences(sent))  # noqa: B023
        _, t_subs = timed(lambda: L.candidate_labels(L.substitutions(aligned, sent)))  # noqa: B023
        facts, t_facts = timed(lambda: FA.extract_facts(sent, articles=arts))  # noqa: B023
        ref_facts, t_facts_ref = reference(lambda: FA.extract_facts(sent, articles=arts),  # noqa: B023
                                           FA, "_figures", FA._FIGURE.finditer)
        assert ref_facts.equals(facts), "extract_facts: the reference path gives another table"
        _, t_conf = timed(lambda: FA.fact_conflicts(facts, articles=arts))  # noqa: B023
        rows.append({"articles": n, "sentences": len(sent), "baseline word_counts": t_base, "find_cues": t_cues,
                     "frame_profile outlet": t_prof, "frame_profile article": t_part, "align_sentences": t_align,
                     "substitutions+candidates": t_subs, "extract_facts": t_facts, "fact_conflicts": t_conf,
                     "ref find_cues per text": t_cues_ref, "ref extract_facts finditer": t_facts_ref})
        print(pd.DataFrame(rows).round(2).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    if len(table) >= 2:
        lo, hi = table.iloc[-2], table.iloc[-1]
        print(f"\ngrowth exponent, {int(lo.articles)} -> {int(hi.articles)} articles (floor 1.2):")
        for col in table.columns[2:]:
            slope = np.log(hi[col] / lo[col]) / np.log(hi.articles / lo.articles)
            print(f"  {col:26s} {slope:5.2f}  ({hi[col] / hi['baseline word_counts']:.1f}x baseline)")
    last = table.iloc[-1]
    print(f"\nat {int(last.articles)} articles, the reference path takes (identical tables):")
    print(f"  find_cues      {last['ref find_cues per text'] / last['find_cues']:.1f}x the current path's CPU time")
    ratio = last["ref extract_facts finditer"] / last["extract_facts"]
    print(f"  extract_facts  {ratio:.1f}x the current path's CPU time")


if __name__ == "__main__":
    main()
