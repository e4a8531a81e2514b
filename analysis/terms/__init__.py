"""Count terms and find the terms that set outlets apart, for any number of outlets.

Counting runs on :func:`analysis.tokens.encode` (one token rule for the whole package) and
is vectorised: n-grams are integer codes built with numpy, counted into a scipy sparse
document-term matrix, and turned into strings only for the terms that are kept.

Keyness compares each outlet with the rest of the corpus, and any chosen pair of outlets,
with three statistics side by side, all on the same counts:

* the log-odds ratio with an informative Dirichlet prior and its z-score (Monroe, Colaresi
  & Quinn 2008, "Fightin' Words", Political Analysis 16(4), eq. 16-22), prior from the
  whole corpus's term frequencies, prior size a parameter;
* Dunning's log-likelihood G2 (1993) with its chi-square(1) p-value, and Benjamini-Hochberg
  q-values over every test in the table (:func:`analysis.stats.adjust_pvalues`);
* Hardie's (2014) log ratio, log2 of the ratio of relative frequencies, as effect size.

Raw counts in both groups and document frequencies stand beside every score, and
minimum-count and minimum-document filters keep one article from making a term "typical"
of an outlet.

The package is split by concern: :mod:`~analysis.terms.columns` (names, defaults, notebook
parameters), :mod:`~analysis.terms.counting` (the per-article counting step and the group
sums), :mod:`~analysis.terms.distinctive` (the keyness statistics) and :mod:`~analysis.terms.context`
(collocations, keyword-in-context, dispersion, alias phrases; per-article steps
for each) and :mod:`~analysis.terms.pairs` (collocations of a large corpus: integer pair counts
folded chunk by chunk); every name stays importable as
``analysis.terms.X``.
"""

from analysis.terms.columns import *  # noqa: F403
from analysis.terms.columns import __all__ as _columns
from analysis.terms.context import (
    add_pair_counts,
    collocation_counts,
    collocations,
    dispersion,
    dispersion_summary,
    phrases_from_aliases,
    term_contexts,
)
from analysis.terms.counting import (
    BATCH_TOKENS,
    ArticleCounts,
    DocTermMatrix,
    SortedCounts,
    article_counts,
    count_matrix,
    group_counts,
    smoothed_idf,
    sorted_counts,
    term_counts,
    tf_idf,
    token_options,
)
from analysis.terms.distinctive import (
    AUTO_ALL_ROWS,
    SortedKeyness,
    g2_test,
    keyness,
    keyness_arrays,
    keyness_summary,
    log_odds_dirichlet,
    sorted_keyness,
    summary_note,
    top_rows,
)
from analysis.terms.pairs import PairCodes, PairTotals, collocation_codes, collocation_table

__all__ = [
    *_columns, "phrases_from_aliases", "collocation_counts", "add_pair_counts", "collocations", "term_contexts",
    "dispersion", "dispersion_summary", "DocTermMatrix", "ArticleCounts", "article_counts",
    "group_counts",
    "BATCH_TOKENS", "count_matrix", "token_options", "term_counts", "sorted_counts", "SortedCounts", "smoothed_idf",
    "tf_idf", "AUTO_ALL_ROWS",
    "log_odds_dirichlet", "g2_test", "keyness_arrays", "keyness", "sorted_keyness", "SortedKeyness",
    "keyness_summary", "summary_note", "top_rows",
    "PairCodes", "PairTotals", "collocation_codes", "collocation_table",
]
