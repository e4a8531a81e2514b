"""Find text reuse between articles: shared passages, aligned paraphrases, originality.

Two articles reuse each other's text when they share word n-grams ("shingles"). Instead of
comparing every pair of articles (quadratic), :func:`shared_passages` indexes every
shingle of the corpus once, keeps those found in at least two and at most `max_df`
articles (more is boilerplate shared by everyone, which says nothing about who copied
whom), and compares only the pairs that share at least `min_shared` of them; the cost
grows with the number of shingles, not with the number of pairs (see ``bench/reuse.py``).
For each candidate pair it reports the shared passages with character offsets.

:func:`align_sentences` then aligns the sentences of each candidate pair one to one
(word-sequence similarity, :mod:`difflib`), labels each aligned pair identical or
paraphrase, and shows a word-level diff, so a reader sees exactly what an outlet changed.
:func:`reuse_pairs` summarises each pair (share of each article covered by shared text)
and :func:`originality` gives each article its share of sentences with no counterpart
elsewhere and a likely source (an earlier article it shares text with, or a wire credit).

The package follows the split every analysis has (issue 15): :func:`shingle_table` is the
per-article step and :func:`shared_passages` the combining step that pairs articles
(``passages``); ``align`` aligns the sentences of those pairs; ``summary`` reads passages
and alignments into per-pair and per-article tables; ``columns`` names every column once.
"""

from analysis.reuse.align import align_sentences, alignment_parts, alignment_texts, word_diff
from analysis.reuse.columns import (
                                    ALIGN_COLUMNS,
                                    ALIGN_KIND,
                                    ARTICLE_A,
                                    ARTICLE_B,
                                    DIFF,
                                    END_A,
                                    END_B,
                                    LIKELY_SOURCE,
                                    MAX_DF,
                                    MIN_SHARED,
                                    N_ALIGNED,
                                    N_PARAPHRASED,
                                    N_PASSAGES,
                                    N_WORDS,
                                    NGRAM,
                                    ORIGINALITY,
                                    PAIR_COLUMNS,
                                    PASSAGE_COLUMNS,
                                    SENTENCE_A,
                                    SENTENCE_B,
                                    SHARED_SHARE_A,
                                    SHARED_SHARE_B,
                                    SHINGLE,
                                    SIMILARITY,
                                    SOURCE_EVIDENCE,
                                    START_A,
                                    START_B,
                                    TEXT_A,
                                    TEXT_B,
                                    THRESHOLD,
                                    WINDOW_DAYS,
)
from analysis.reuse.passages import (
    PART_ROWS,
    SHINGLE_COLUMNS,
    candidate_pairs,
    passage_parts,
    passage_texts,
    shared_passages,
    shingle_table,
)
from analysis.reuse.summary import originality, reuse_pairs

__all__ = [
    "ALIGN_COLUMNS",
    "ALIGN_KIND",
    "ARTICLE_A",
    "ARTICLE_B",
    "DIFF",
    "END_A",
    "END_B",
    "LIKELY_SOURCE",
    "MAX_DF",
    "MIN_SHARED",
    "NGRAM",
    "N_ALIGNED",
    "N_PARAPHRASED",
    "N_PASSAGES",
    "N_WORDS",
    "ORIGINALITY",
    "PAIR_COLUMNS",
    "PART_ROWS",
    "PASSAGE_COLUMNS",
    "SENTENCE_A",
    "SENTENCE_B",
    "SHARED_SHARE_A",
    "SHARED_SHARE_B",
    "SHINGLE",
    "SHINGLE_COLUMNS",
    "SIMILARITY",
    "SOURCE_EVIDENCE",
    "START_A",
    "START_B",
    "TEXT_A",
    "TEXT_B",
    "THRESHOLD",
    "WINDOW_DAYS",
    "align_sentences",
    "alignment_parts",
    "alignment_texts",
    "candidate_pairs",
    "originality",
    "passage_parts",
    "passage_texts",
    "reuse_pairs",
    "shared_passages",
    "shingle_table",
    "word_diff",
]
