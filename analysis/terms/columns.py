"""Column names, defaults and notebook parameters of :mod:`analysis.terms`."""

from __future__ import annotations

from analysis import schema as S
from analysis import tokens as T
from analysis.params import ENTITIES_FILE, Param

# --- columns ------------------------------------------------------------------------------
TERM = T.TERM  # the term, shown in its most frequent surface form ("Díaz-Canel", "oil supplies")
NGRAM = "ngram"  # number of words in the term (a joined name counts as one)
COUNT = "count"  # occurrences
PER_1K = "per_1k"  # occurrences per 1,000 words (words: analysis.tokens.word_counts)
DOC_FREQ = "doc_freq"  # articles containing the term
COMPARISON = "comparison"  # "vs rest" or "vs <outlet>"
COUNT_REST = "count_rest"  # occurrences in the comparison group
PER_1K_REST = "per_1k_rest"
DOC_FREQ_REST = "doc_freq_rest"
LOG_ODDS = "log_odds"  # Monroe et al.'s delta, natural log
LOG_ODDS_Z = "log_odds_z"  # delta / sqrt(var): > 0 the outlet uses the term more
G2 = "g2"  # Dunning's log-likelihood, >= 0
P_VALUE = "p_value"  # chi-square(1) upper tail of g2
Q_VALUE = "q_value"  # Benjamini-Hochberg over every row of the keyness table
LOG_RATIO = "log_ratio"  # log2 of the ratio of per-word rates (0.5 added to both counts)
TF_IDF = "tf_idf"
IDF = "idf"
SCORE = "score"
MEASURE = "measure"
RELATIVE_POSITION = "relative_position"
UNIT = "unit"  # collocation counts: "pair" (first, second), "word" (first) or "form" (term first, surface second)
FIRST = "first"
SECOND = "second"
PAIR_COUNT_COLUMNS = (UNIT, S.OUTLET, FIRST, SECOND, COUNT)

COUNTS_COLUMNS = (S.OUTLET, TERM, NGRAM, COUNT, PER_1K, DOC_FREQ)
KEYNESS_COLUMNS = (S.OUTLET, COMPARISON, TERM, COUNT, COUNT_REST, PER_1K, PER_1K_REST, DOC_FREQ,
                   LOG_ODDS_Z, G2, P_VALUE, Q_VALUE, LOG_RATIO)
REST = "vs rest"
MISSING_GROUP = "(none)"  # group of articles whose `by` value is missing

DEFAULT_PRIOR_SIZE = 100.0  # alpha_0: pseudo-counts of the corpus-frequency prior (Monroe et al.)
DEFAULT_MIN_COUNT = 5  # a term is tested when it occurs >= 5 times in the two groups together
DEFAULT_MIN_DOCS = 2  # ... and in >= 2 articles, so one article cannot carry it alone
LOG_RATIO_PSEUDO = 0.5  # added to both counts in the log ratio (Hardie 2014's zero correction)

PARAMETERS: dict[str, Param] = {
    "ngram_range": Param(list, "[min, max] words per term, within 1..3", item_type=int),
    "min_count": Param(int, "minimum occurrences for a term to be counted/tested", min=1),
    "min_docs": Param(int, "minimum articles containing a term for it to be tested", min=1),
    "stopwords": Param(str, "stopword list: 'english' or 'none'", choices=("english", "none")),
    "extra_stopwords": Param(list, "more words to treat as stopwords", item_type=str),
    "stem": Param(bool, "stem words with NLTK's Porter stemmer"),
    "keep_numbers": Param(bool, "count numbers as terms"),
    "entities_file": ENTITIES_FILE,
    "prior_size": Param((int, float), "Dirichlet prior size alpha_0 of the log-odds", min=0.001),
    "pair": Param(list, "two outlets to compare head to head; [] picks the two largest",
                  item_type=str),
    "inspect_terms": Param(list, "terms to show in context and in the dispersion plot",
                           item_type=str),
    "top_n": Param(int, "terms per outlet in the tables and figures", min=1, max=100),
}

__all__ = [
    "TERM", "NGRAM", "COUNT", "PER_1K", "DOC_FREQ", "COMPARISON", "COUNT_REST", "PER_1K_REST",
    "DOC_FREQ_REST", "LOG_ODDS", "LOG_ODDS_Z", "G2", "P_VALUE", "Q_VALUE", "LOG_RATIO", "TF_IDF", "IDF",
    "SCORE", "MEASURE", "RELATIVE_POSITION", "UNIT", "FIRST", "SECOND", "PAIR_COUNT_COLUMNS",
    "COUNTS_COLUMNS", "KEYNESS_COLUMNS", "REST", "MISSING_GROUP",
    "DEFAULT_PRIOR_SIZE", "DEFAULT_MIN_COUNT", "DEFAULT_MIN_DOCS", "LOG_RATIO_PSEUDO", "PARAMETERS",
]
