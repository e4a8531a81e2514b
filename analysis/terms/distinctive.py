"""Score distinctive terms: log-odds with a Dirichlet prior, G2, log ratio, on sparse group counts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import schema as S
from analysis import stats
from analysis.errors import ParameterError
from analysis.reuse.columns import _within
from analysis.terms.columns import (
    COMPARISON,
    COUNT,
    COUNT_REST,
    DEFAULT_MIN_COUNT,
    DEFAULT_MIN_DOCS,
    DEFAULT_PRIOR_SIZE,
    DOC_FREQ,
    DOC_FREQ_REST,
    G2,
    KEYNESS_COLUMNS,
    LOG_ODDS,
    LOG_ODDS_Z,
    LOG_RATIO,
    LOG_RATIO_PSEUDO,
    NGRAM,
    P_VALUE,
    PER_1K,
    PER_1K_REST,
    Q_VALUE,
    REST,
    TERM,
)
from analysis.terms.counting import (
    _RELEASE_ROWS,
    PART_ROWS,
    ArticleCounts,
    _given_counts,
    _grouped,
    _per_1k,
    _rank,
    _strings,
    token_options,
)


def log_odds_dirichlet(y_i, y_j, prior, *, prior_size: float = DEFAULT_PRIOR_SIZE):
    """Return Monroe et al.'s log-odds ratio with informative Dirichlet prior, and its z-score.

    Parameters
    ----------
    y_i, y_j : array-like of int
        Counts of each term in group i and group j (same shape; trailing axis = terms).
    prior : array-like of float
        Background counts of each term (the whole corpus); the prior is
        ``alpha_w = prior_size * prior_w / sum(prior)``.
    prior_size : float, default 100
        ``alpha_0``, the prior's total pseudo-count: larger shrinks rare terms more.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``delta`` (natural-log odds ratio, i over j) and ``z = delta / sqrt(var)``.

    Notes
    -----
    Monroe, Colaresi & Quinn (2008), eq. 16 (delta) and 18-19 (variance
    ``1/(y_i + alpha) + 1/(y_j + alpha)``); group totals ``n`` are summed over the terms
    given, so pass the whole vocabulary, then filter. The z-score assumes independent
    tokens; words cluster in articles, so with few articles it overstates certainty.

    Examples
    --------
    By hand: alpha = (3, 1); delta_0 = ln(13/1) - ln(8/6) = 2.2773,
    z_0 = 2.2773 / sqrt(1/13 + 1/8) = 5.0678.

    >>> d, z = log_odds_dirichlet([[10, 0]], [[5, 5]], [15, 5], prior_size=4)
    >>> d.round(4).tolist(), z.round(4).tolist()
    ([[2.2773, -2.2773]], [[5.0678, -2.1083]])
    """
    y_i, y_j = np.asarray(y_i, dtype=float), np.asarray(y_j, dtype=float)
    prior = np.asarray(prior, dtype=float)
    alpha = prior_size * prior / prior.sum()
    n_i = y_i.sum(axis=-1, keepdims=True)
    n_j = y_j.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log(y_i + alpha) - np.log(n_i + prior_size - y_i - alpha)
                 - np.log(y_j + alpha) + np.log(n_j + prior_size - y_j - alpha))
        z = delta / np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
    return delta, z


def g2_test(a, b, n_a, n_b):
    """Return Dunning's log-likelihood G2 and its p-value for counts `a` of `n_a` vs `b` of `n_b`.

    Parameters
    ----------
    a, b : array-like of int
        Occurrences of a term in group A and group B.
    n_a, n_b : array-like of int
        Tokens in group A and group B (broadcast against `a`, `b`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``g2 = 2 * sum(O * ln(O / E))`` over the 2x2 table (0 ln 0 = 0) and its
        chi-square(1) upper-tail p-value.

    Notes
    -----
    Unsigned: read the direction from ``log_ratio`` or ``log_odds_z``. Like every token
    count test it treats tokens as independent draws, which they are not.

    Examples
    --------
    By hand: E = 6, 6, 994, 994; 2 * (10 ln(10/6) + 2 ln(2/6) + 990 ln(990/994)
    + 998 ln(998/994)) = 5.8543.

    >>> g, p = g2_test([10], [2], [1000], [1000])
    >>> round(float(g[0]), 4), round(float(p[0]), 4)
    (5.8543, 0.0155)
    """
    g2 = _g2(a, b, n_a, n_b)
    from scipy.special import chdtrc  # chi2(df).sf without scipy.stats' half-second import

    return g2, chdtrc(1, g2)


def _g2(a, b, n_a, n_b) -> np.ndarray:
    """G2 of :func:`g2_test` without its p-value (the chi-square tail costs more than G2 itself)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n_a, n_b = np.asarray(n_a, dtype=float), np.asarray(n_b, dtype=float)
    total = n_a + n_b
    share_a = n_a / total
    observed = (a, b, n_a - a, n_b - b)
    k = a + b
    expected = (k * share_a, k * (1 - share_a), (total - k) * share_a, (total - k) * (1 - share_a))
    g2 = np.zeros(np.broadcast(a, b, n_a, n_b).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected):
            g2 = g2 + np.where(o > 0, o * np.log(o / e), 0.0)
    return np.maximum(2.0 * g2, 0.0)


def _delta(fi, fj, alpha, n_i, n_j, prior_size):
    """Monroe et al.'s delta, elementwise (`n_i`, `n_j` scalars or one per row): the same floats either way."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.log(fi + alpha) - np.log(n_i + prior_size - fi - alpha)
                - np.log(fj + alpha) + np.log(n_j + prior_size - fj - alpha))


def _log_ratio(fi, fj, n_i, n_j):
    """Hardie's log ratio, elementwise (`n_i`, `n_j` scalars or one per row)."""
    return np.log2(((fi + LOG_RATIO_PSEUDO) / np.maximum(n_i, 1)) / ((fj + LOG_RATIO_PSEUDO) / np.maximum(n_j, 1)))


def _compare(y_i, y_j, d_i, d_j, w_i, w_j, alpha, n_i, n_j, prior_size, lazy=False):
    """Return the score columns of one comparison over its candidate terms (1-D arrays).

    ``alpha`` is the prior of those terms, ``n_i``/``n_j`` the groups' token totals over the
    whole vocabulary, so the scores equal :func:`log_odds_dirichlet` and :func:`g2_test` on
    full vectors, restricted afterwards. O(candidates). `lazy`: only the counts,
    ``log_odds_z`` and ``p_value`` (what the table is sorted and adjusted by) and the
    comparison's scalars under ``"_scalars"``; :class:`SortedKeyness` computes the other columns in
    the table's order (:func:`_derived`, the same floats).
    """
    y_i, y_j = y_i.astype(np.int64), y_j.astype(np.int64)
    fi, fj = y_i.astype(float), y_j.astype(float)
    delta = _delta(fi, fj, alpha, n_i, n_j, prior_size)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = delta / np.sqrt(1.0 / (fi + alpha) + 1.0 / (fj + alpha))
    g2, p = g2_test(fi, fj, float(n_i), float(n_j))
    if lazy:  # the counts (>= 0) as int32 when they fit: half the bytes held until the table is sorted
        return {COUNT: _narrow(y_i), COUNT_REST: _narrow(y_j), DOC_FREQ: _narrow(d_i), DOC_FREQ_REST: _narrow(d_j),
                LOG_ODDS_Z: z, P_VALUE: p, "_scalars": (w_i, w_j, n_i, n_j)}
    ratio = _log_ratio(fi, fj, n_i, n_j)
    return {COUNT: y_i, COUNT_REST: y_j, PER_1K: _per_1k(y_i, w_i), PER_1K_REST: _per_1k(y_j, w_j),
            DOC_FREQ: d_i.astype(np.int64), DOC_FREQ_REST: d_j.astype(np.int64), LOG_ODDS: delta,
            LOG_ODDS_Z: z, G2: g2, P_VALUE: p, LOG_RATIO: ratio}


def _row(m: sp.csr_matrix, i: int, idx: np.ndarray) -> np.ndarray:
    """Values of row `i` of a canonical csr matrix at sorted columns `idx` (0 where absent)."""
    lo, hi = m.indptr[i], m.indptr[i + 1]
    cols, vals = m.indices[lo:hi], m.data[lo:hi]
    at = np.searchsorted(cols, idx)
    hit = at < len(cols)
    hit[hit] = cols[at[hit]] == idx[hit]
    out = np.zeros(len(idx), dtype=np.int64)
    out[hit] = vals[at[hit]]
    return out


def _expected_floor(n_rows: int, n_terms: int, min_expected) -> float:
    """Resolve ``min_expected``: "auto" is 0 (test all) up to 1,000,000 rows, else 1."""
    if min_expected == "auto":
        return 0.0 if n_rows * n_terms <= AUTO_ALL_ROWS else 1.0
    if isinstance(min_expected, bool) or not isinstance(min_expected, int | float) or min_expected < 0:
        raise ParameterError(f"min_expected: {min_expected!r}; use a number >= 0 or 'auto'")
    return float(min_expected)


AUTO_ALL_ROWS = 1_000_000  # "auto": every term in every vs-rest comparison up to this many rows


def keyness_arrays(counts, docs, words: np.ndarray, *, pairs=(),
                   prior_size: float = DEFAULT_PRIOR_SIZE, min_count: int = DEFAULT_MIN_COUNT,
                   min_docs: int = DEFAULT_MIN_DOCS, min_expected: float | str = 0.0,
                   each_vs_rest: bool = True, totals=None) -> list[tuple[int, int | None, dict]]:
    """Score every term for each group against the rest, and for chosen pairs (vectorised).

    Parameters
    ----------
    counts, docs : numpy.ndarray or scipy.sparse matrix
        Groups x terms: occurrences and documents containing each term.
    words : numpy.ndarray
        Words per group (the per-1,000 denominators).
    pairs : sequence of (int, int)
        Group indices compared head to head.
    prior_size, min_count, min_docs
        As in :func:`keyness`.
    min_expected : float or "auto", default 0
        In a group-vs-rest comparison, a term the group never uses is tested only when its
        expected count in the group (``total * n_group / n_all``) reaches this; 0 tests every
        term; "auto" is 0 up to :data:`AUTO_ALL_ROWS` rows and 1 above.
    each_vs_rest : bool, default True
        Include the group-vs-rest comparisons.
    totals : numpy.ndarray, optional
        Occurrences per group of every term, also of terms that are no column of `counts`
        (counted with a ``min_count``, :func:`analysis.terms.article_counts`): the group and
        corpus totals of the log-odds and G2. Default: the row sums of `counts`.

    Returns
    -------
    list of (int, int or None, dict)
        One entry per comparison: target group, other group (None = the rest), and the score
        columns of the tested terms plus ``"term_index"`` (sorted) and ``"n_tests"`` (the
        terms that pass ``min_count``/``min_docs``, tested or not).

    Notes
    -----
    Cost O(non-zero group-term cells + tested rows) with ``min_expected > 0``: a group is
    compared on the terms it uses and on the frequent terms it could be expected to use
    (a prefix of the terms sorted by frequency), never on a dense groups x terms array.
    With ``min_expected = 0`` every term passing the filters is a row of every vs-rest
    comparison: O(groups x terms), today's complete table. A term left out has count 0
    and an expected count below ``min_expected``: its G2 is then below about
    ``2 * min_expected``, so it could not be significant (``p >= 0.16`` for 1).

    Examples
    --------
    >>> c = np.array([[10, 2, 50], [1, 9, 50]]); d = np.array([[2, 1, 2], [1, 2, 2]])
    >>> [(i, j, r["term_index"].tolist()) for i, j, r in keyness_arrays(c, d, np.array([100, 100]))]
    [(0, None, [0, 1, 2]), (1, None, [0, 1, 2])]
    """
    return _scores(counts, docs, words, pairs=pairs, prior_size=prior_size, min_count=min_count, min_docs=min_docs,
                   min_expected=min_expected, each_vs_rest=each_vs_rest, totals=totals)


def _scores(counts, docs, words, *, pairs, prior_size, min_count, min_docs, min_expected, each_vs_rest, totals,
            lazy=False) -> list[tuple[int, int | None, dict]]:
    """Score as :func:`keyness_arrays` does; `lazy` keeps what the table is built from.

    With `lazy` each comparison holds what :func:`_compare` gives lazily, and ``"_alpha"``
    (the prior of every term, one array shared by the comparisons).
    """
    counts = sp.csr_matrix(counts, dtype=np.int64)
    docs = sp.csr_matrix(docs, dtype=np.int64)
    for m in (counts, docs):
        m.sum_duplicates()
        m.eliminate_zeros()
    words = np.asarray(words)
    prior = np.asarray(counts.sum(axis=0)).ravel()
    doc_total = np.asarray(docs.sum(axis=0)).ravel()
    n_group = np.asarray(counts.sum(axis=1)).ravel() if totals is None else np.asarray(totals, dtype=np.int64)
    n_all = int(prior.sum()) if totals is None else int(n_group.sum())
    alpha = prior_size * prior.astype(float) / n_all
    ok_total = np.flatnonzero((prior >= min_count) & (doc_total >= min_docs))
    floor = _expected_floor(counts.shape[0], len(ok_total), min_expected)
    by_freq = ok_total[np.argsort(-prior[ok_total], kind="stable")]
    out = []
    for i in range(counts.shape[0] if each_vs_rest else 0):
        if floor > 0:
            used = counts.indices[counts.indptr[i]:counts.indptr[i + 1]]
            need = floor * n_all / max(int(n_group[i]), 1)
            k = int(np.searchsorted(-prior[by_freq], -need, side="right"))
            cand = np.union1d(np.intersect1d(used, ok_total, assume_unique=True), by_freq[:k])
        else:
            cand = ok_total
        y_i, d_i = _row(counts, i, cand), _row(docs, i, cand)
        cols = _compare(y_i, prior[cand] - y_i, d_i, doc_total[cand] - d_i, words[i], words.sum() - words[i],
                        alpha[cand], int(n_group[i]), n_all - int(n_group[i]), prior_size, lazy)
        cols["term_index"] = cand
        cols["n_tests"] = len(ok_total)
        out.append((i, None, cols))
    for i, j in pairs:
        used = np.union1d(counts.indices[counts.indptr[i]:counts.indptr[i + 1]],
                          counts.indices[counts.indptr[j]:counts.indptr[j + 1]])
        y_i, y_j = _row(counts, i, used), _row(counts, j, used)
        d_i, d_j = _row(docs, i, used), _row(docs, j, used)
        keep = (y_i + y_j >= min_count) & (d_i + d_j >= min_docs)
        cand = used[keep]
        cols = _compare(y_i[keep], y_j[keep], d_i[keep], d_j[keep], words[i], words[j], alpha[cand],
                        int(n_group[i]), int(n_group[j]), prior_size, lazy)
        cols["term_index"] = cand
        cols["n_tests"] = len(cand)
        out.append((i, j, cols))
    if lazy:
        for _, _, cols in out:
            cols["_alpha"] = alpha
    return out


def keyness(
    sentences: pd.DataFrame,
    *,
    by: str = S.OUTLET,
    pairs: Iterable[Sequence[str]] = (),
    each_vs_rest: bool = True,
    prior_size: float = DEFAULT_PRIOR_SIZE,
    min_count: int = DEFAULT_MIN_COUNT,
    min_docs: int = DEFAULT_MIN_DOCS,
    min_expected: float | str = "auto",
    ngram_range: Sequence[int] = (1, 1),
    keep_numbers: bool = False,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
    counted: ArticleCounts | None = None,
) -> pd.DataFrame:
    """Find the terms that distinguish each outlet (or group) from the rest, and chosen pairs.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``article_id, outlet, sentence_text``, and the `by` column).
    by : str, default "outlet"
        The column whose values are compared (e.g. "bias" to compare left / center / right);
        an article belongs to the value of its first sentence; a missing value is the group
        :data:`MISSING_GROUP`. The output's first column is named `by`.
    pairs : iterable of (str, str), default ()
        Groups compared head to head (first against second).
    each_vs_rest : bool, default True
        Compare every group with all other groups together.
    prior_size : float, default 100
        Monroe et al.'s ``alpha_0``; the prior's shape is the whole corpus's term counts.
    min_count : int, default 5
        Test a term only if it occurs this often in the two groups together.
    min_docs : int, default 2
        ... and in at least this many of their articles.
    min_expected : float or "auto", default "auto"
        A term a group never uses is a row of its vs-rest comparison only when its expected
        count there reaches this (see :func:`keyness_arrays`); "auto" keeps every row up to
        :data:`AUTO_ALL_ROWS` rows (so small corpora keep the complete table) and uses 1
        above.
    ngram_range, keep_numbers, stopwords, extra_stopwords, stem, phrases
        As in :func:`term_counts` (numbers are left out by default).
    counted : ArticleCounts, optional
        :func:`analysis.terms.article_counts` of the same `sentences` with the same
        options (shared with :func:`term_counts`): the same table without counting again.

    Returns
    -------
    pandas.DataFrame
        One row per comparison and tested term: :data:`KEYNESS_COLUMNS` (with `by` in place
        of ``outlet``) plus ``ngram``, ``doc_freq_rest`` and ``log_odds``. ``q_value`` is
        Benjamini-Hochberg over every test, rows left out by ``min_expected`` counted as
        tests with p = 1 (conservative). Sorted by group, comparison, ``log_odds_z``
        descending, term.

    Raises
    ------
    ParameterError
        For fewer than two groups, an unknown group in `pairs`, or bad options.

    Notes
    -----
    Scores treat tokens as independent; words cluster within articles, so with a few
    articles per outlet a large z or a small q describes *these articles*, not the outlet's
    habits. ``min_docs`` guards against one article carrying a term; it cannot give an
    outlet with one article a second one. Cost: O(tokens) to count (nothing with
    `counted`), then O(non-zero group-term cells + rows) to score (O(groups x terms) when
    every row is kept), O(rows log rows) to sort, and O(distinct tested terms) strings made
    (the display form of a term no comparison tests is never written out). Memory: the
    scored arrays (7 numbers per row: the four counts, the term, ``log_odds_z`` and
    ``p_value``), sorted into :class:`SortedKeyness`' arrays (about 52 bytes per row), then
    the table built column by column from them; ``per_1k``, ``per_1k_rest``, ``g2``,
    ``log_ratio`` and ``log_odds`` are computed in the table's order from its counts, in
    blocks of :data:`_DERIVED_ROWS` rows (the same floats: the same operations on each row,
    tested), not held for every row beside the table (they were 12 numbers per row before).
    A page that saves the table needs not hold it: :func:`sorted_keyness` gives it block by
    block (at 40,000 generated articles the table is 8.3 million rows, 1,227 MB).
    `counted` made with a ``min_count`` (:func:`analysis.terms.article_counts`) is accepted
    when it is at most this call's `min_count`: its ``totals`` give the prior and group
    totals over every term.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": list("abcd"), "outlet": ["X", "X", "Y", "Y"],
    ...     "sentence_text": ["oil oil oil talks", "oil talks", "talks talks oil", "talks sea"]})
    >>> k = keyness(s, min_count=2)
    >>> k[["outlet", "term", "count", "count_rest", "log_ratio"]].round(3).values.tolist()
    [['X', 'oil', 4, 1, 1.322], ['X', 'talks', 2, 3, -0.748], ['Y', 'talks', 3, 2, 0.748], ['Y', 'oil', 1, 4, -1.322]]
    """
    return sorted_keyness(sentences, by=by, pairs=pairs, each_vs_rest=each_vs_rest, prior_size=prior_size,
                          min_count=min_count, min_docs=min_docs, min_expected=min_expected, ngram_range=ngram_range,
                          keep_numbers=keep_numbers, stopwords=stopwords, extra_stopwords=extra_stopwords,
                          stem=stem, phrases=phrases, counted=counted).table()


def sorted_keyness(
    sentences: pd.DataFrame,
    *,
    by: str = S.OUTLET,
    pairs: Iterable[Sequence[str]] = (),
    each_vs_rest: bool = True,
    prior_size: float = DEFAULT_PRIOR_SIZE,
    min_count: int = DEFAULT_MIN_COUNT,
    min_docs: int = DEFAULT_MIN_DOCS,
    min_expected: float | str = "auto",
    ngram_range: Sequence[int] = (1, 1),
    keep_numbers: bool = False,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
    counted: ArticleCounts | None = None,
) -> SortedKeyness:
    """Score as :func:`keyness` does, and hold the table as arrays in its row order, no string made yet.

    Parameters
    ----------
    sentences, by, pairs, each_vs_rest, prior_size, min_count, min_docs, min_expected, ngram_range, \
keep_numbers, stopwords, extra_stopwords, stem, phrases, counted
        As in :func:`keyness`.

    Returns
    -------
    SortedKeyness
        :meth:`SortedKeyness.parts` gives :func:`keyness`' table a block of rows at a time (to
        save it with :func:`analysis.corpus.save_table_parts`), :meth:`SortedKeyness.summary`
        its :func:`keyness_summary`, :meth:`SortedKeyness.rows` the rows a page shows and
        :meth:`SortedKeyness.table` the whole table, each the same rows and values (tested).

    Raises
    ------
    ParameterError
        As :func:`keyness`.

    Notes
    -----
    Cost as :func:`keyness` up to the sort. Memory: about 52 bytes per row of the table (the four
    counts as int32 when they fit, ``log_odds_z``, ``p_value``, ``q_value``, the term and
    comparison codes),
    against about 150 bytes per row for the table itself (at 40,000 generated articles, 8.3
    million rows: 1,227 MB).

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": list("abcd"), "outlet": ["X", "X", "Y", "Y"],
    ...     "sentence_text": ["oil oil oil talks", "oil talks", "talks talks oil", "talks sea"]})
    >>> k = sorted_keyness(s, min_count=2)
    >>> len(k), [len(p) for p in k.parts(rows=3)], k.rows(1).index.tolist()
    (4, [3, 1], [0, 1, 2, 3])
    """
    corpus = _given_counts(counted, sentences, ngram_range, 1, keep_numbers,
                           token_options(stopwords, extra_stopwords, stem, phrases), by=by, need=min_count)
    # (a corpus counted with a min_count: its group totals and prior over every term, not the columns')
    names, counts, docs, words, totals = _grouped(corpus, by)
    if len(names) < 2:
        raise ParameterError(f"keyness needs at least two values of {by!r}; found {list(names)}")
    where = {n: k for k, n in enumerate(names)}
    pair_idx = []
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2 or any(p not in where for p in pair) or pair[0] == pair[1]:
            raise ParameterError(f"pairs: {pair!r}; use two different values of {by!r} of {list(names)}")
        pair_idx.append((where[pair[0]], where[pair[1]]))
    scored = _scores(counts, docs, words, pairs=pair_idx, prior_size=prior_size, min_count=min_count,
                     min_docs=min_docs, min_expected=min_expected, each_vs_rest=each_vs_rest, totals=totals, lazy=True)
    del counts, docs  # groups x terms: not needed while the table is built
    return SortedKeyness(scored, names, corpus, by, prior_size)


class SortedKeyness:
    """The keyness table held as arrays in its row order: given whole, a block of rows at a time, or in part.

    Made by :func:`sorted_keyness` (:func:`keyness` is ``sorted_keyness(...).table()``). The rows
    are sorted by integer keys: the comparisons (one group against the rest or against another
    group) are put in the table's order by the ranks of their group and comparison strings, and
    the rows of each by ``log_odds_z`` descending, then the rank of the term string, stably
    (each comparison sorted on its own: the order of one lexsort of every row, tested). Every
    column is then one array in that order: the four counts (int32 when they fit), ``log_odds_z``,
    ``p_value``, ``q_value`` (Benjamini-Hochberg over every test at once) and the term and comparison codes.
    The string columns are taken from their vocabularies (each distinct string converted once)
    and ``per_1k``, ``per_1k_rest``, ``g2``, ``log_ratio`` and ``log_odds`` computed from the
    counts (:func:`_derived`, the same floats) only for the rows asked for.

    Notes
    -----
    Memory: about 52 bytes per row (at 40,000 generated articles, 8.3 million rows: ~430 MB)
    where the table is about 150 (1,227 MB); :meth:`parts` and :meth:`rows` make only the
    rows they give. The sort holds one comparison's keys at a time. O(rows log rows) to sort.
    """

    def __init__(self, scored: list, names: np.ndarray, corpus: ArticleCounts, by: str, prior_size: float):
        from analysis.kernel import release_memory

        release_memory()  # the scoring's temporaries (the group matrices, per-comparison arrays)
        self.by, self.prior_size, self._names = by, prior_size, names
        sizes = np.array([len(cols["term_index"]) for _, _, cols in scored], dtype=np.int64)
        n_tests = sum(int(cols.pop("n_tests")) for _, _, cols in scored)
        self._scalars = np.array([cols.pop("_scalars") for _, _, cols in scored], dtype=np.int64).reshape(-1, 4)
        alpha = scored[0][2].pop("_alpha") if scored else np.zeros(0)
        for _, _, cols in scored[1:]:
            del cols["_alpha"]
        self._group_of = np.array([i for i, _, _ in scored], dtype=np.int64)  # each comparison's group
        self._comparisons = np.array([REST if j is None else f"vs {names[j]}" for _, j, _ in scored], dtype=object)
        self._pair = np.array([j is not None for _, j, _ in scored], dtype=bool)
        used, term = _used_terms(scored, len(alpha))  # np.unique of the term columns, by a presence mask
        self._alpha = alpha[used]  # the prior of each tested term
        shown = corpus.terms[used]  # the display form of each tested term, made once
        self._ngram = np.asarray(corpus.ngram)[used]
        z = _concatenated(scored, LOG_ODDS_Z)
        order, self._runs = self._sorted(sizes, z, term, _rank(shown))
        self._shown = pd.Series(np.asarray(shown, dtype=object), dtype="str")  # Arrow strings, converted once
        del shown
        self._z = z[order]
        del z
        self._term = term[order]
        del term
        entry = np.repeat(np.arange(len(scored), dtype=np.int32), sizes)
        self._entry = entry[order]  # the comparison of each row
        del entry
        self._counts = {}
        for c in (COUNT, COUNT_REST, DOC_FREQ, DOC_FREQ_REST):
            self._counts[c] = _narrow(_concatenated(scored, c)[order])  # counts are >= 0: int32 when they fit
        self._p = _concatenated(scored, P_VALUE)[order]
        del order
        # Benjamini-Hochberg of the sorted p-values: the q-values sorted (tied p-values get one q whatever
        # their order, so the same floats as adjusting in the scored order and sorting, tested)
        self._q = _q_values(self._p, max(n_tests, int(sizes.sum())))
        release_memory()  # the sort's and the q-values' temporaries, before Arrow allocates strings

    def _sorted(self, sizes: np.ndarray, z: np.ndarray, term: np.ndarray, t_rank: np.ndarray):
        """Return the row order (int32 positions) and its runs ``(start, stop, pair?)``, one per group and comparison.

        The comparisons are ordered by group rank, then comparison rank, stably; the rows of
        comparisons with equal keys (a pair given twice) are sorted together, as one lexsort of
        every row would. O(rows log rows), the keys of one run at a time.
        """
        g_rank = _rank(self._names)[self._group_of]
        c_rank = _rank(self._comparisons) if len(self._comparisons) else np.zeros(0, np.int64)
        by_key = np.lexsort((c_rank, g_rank))
        starts = np.cumsum(sizes) - sizes
        parts, runs, at = [], [], 0
        k = 0
        while k < len(by_key):
            e = k + 1
            while e < len(by_key) and g_rank[by_key[e]] == g_rank[by_key[k]] and c_rank[by_key[e]] == c_rank[by_key[k]]:
                e += 1
            pos = np.concatenate([np.arange(starts[i], starts[i] + sizes[i]) for i in by_key[k:e]])
            pos = pos[np.lexsort((t_rank[term[pos]], -z[pos]))]
            parts.append(_narrow(pos))
            runs.append((at, at + len(pos), bool(self._pair[by_key[k]])))
            at += len(pos)
            k = e
        order = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        return order, runs

    def __len__(self) -> int:
        return len(self._z)

    def _frame(self, at, full: bool = True) -> pd.DataFrame:
        """Make the table's rows `at` (a slice or sorted positions), indexed by position.

        Every column, or :data:`KEYNESS_COLUMNS` only (`full` False).
        """
        entry, term = self._entry[at], self._term[at]
        out = pd.DataFrame({self.by: _strings(self._names, self._group_of[entry]),
                            COMPARISON: _strings(self._comparisons, entry)})
        out[TERM] = self._shown.take(term).reset_index(drop=True)  # as _strings(shown, term)
        for c in [*KEYNESS_COLUMNS[3:], *((NGRAM, DOC_FREQ_REST, LOG_ODDS) if full else ())]:
            if c == Q_VALUE:
                column = self._q[at]
            elif c == P_VALUE:
                column = self._p[at]
            elif c == LOG_ODDS_Z:
                column = self._z[at]
            elif c == NGRAM:
                column = self._ngram[term].astype(np.int64)
            elif c in (PER_1K, PER_1K_REST, G2, LOG_RATIO, LOG_ODDS):
                column = _derived(c, out, self._scalars, entry, self._alpha, term, self.prior_size)
            else:
                column = self._counts[c][at].astype(np.int64)
            out[c] = column  # inserted one by one: no consolidated copy of the numeric columns
            del column
        if isinstance(at, slice):
            out.index = pd.RangeIndex(*at.indices(len(self))[:2])
        else:
            out.index = pd.Index(np.asarray(at, dtype=np.int64))
        return out

    def table(self) -> pd.DataFrame:
        """Return the whole table (:func:`keyness`' result); the arrays are dropped as their columns are made.

        Peak: about the table plus the arrays not yet taken (freed memory is given back after
        each column, :func:`analysis.kernel.release_memory`). The object is spent afterwards.
        """
        from analysis.kernel import release_memory

        out = self._frame(slice(0, len(self)))
        for name in ("_z", "_p", "_q", "_term", "_entry", "_counts"):
            delattr(self, name)
        release_memory()
        return out

    def parts(self, rows: int | None = None) -> Iterator[pd.DataFrame]:
        """Give the :data:`KEYNESS_COLUMNS` of the table, `rows` rows at a time, in order (at least one part).

        For :func:`analysis.corpus.save_table_parts` (the same file as saving the whole
        table's :data:`KEYNESS_COLUMNS`). By default a part is a sixteenth of a Parquet row
        group (:data:`analysis.terms.counting.PART_ROWS`), which the save gathers into its row
        groups a column at a time, and what the process has freed is given back about once
        per row group (:func:`analysis.kernel.release_memory`). A part of a whole row group
        (1,048,576 rows, 134 MB) cost more to make than the part itself: at 10,000 generated
        articles the save peaked +392 MB over the memory before it with those, +290 with these
        (/tmp/terms/s33/save_probe.py, the same bytes). O(rows); memory: one part and the save's row group.
        """
        from analysis.kernel import release_memory

        rows = rows or PART_ROWS
        n = len(self)
        for k, a in enumerate(range(0, max(n, 1), rows)):
            yield self._frame(slice(a, min(a + rows, n)), full=False)
            if (k + 1) * rows % _RELEASE_ROWS < rows:  # about once per row group: parts saved, given back
                release_memory()

    def rows(self, keep: int) -> pd.DataFrame:
        """Return the rows a page shows, with every column, indexed by their position in the table.

        Of each group's vs-rest comparison (and each run of a group and comparison): the first
        `keep` rows and the last `keep` rows with ``log_odds_z < 0``; every row of the pair
        comparisons. So :func:`top_rows` (``n <= keep``, also with `over`),
        ``plots.terms.distinctive_terms`` (``n <= keep``, with :meth:`count_sums`) and the pair's
        rows give what they give on the whole table. O(rows) to find them.
        """
        keep = max(int(keep), 0)
        picked = []
        for s, e, pair in self._runs:
            if pair:
                picked.append(np.arange(s, e))
                continue
            picked.append(np.arange(s, min(s + keep, e)))
            under = s + np.flatnonzero(self._z[s:e] < 0)
            picked.append(under[max(len(under) - keep, 0):])
        at = np.unique(np.concatenate(picked)) if picked else np.zeros(0, np.int64)
        return self._frame(at)

    def summary(self, *, top: int = 50, max_rows: int = 50_000) -> pd.DataFrame:
        """:func:`keyness_summary` of the table's :data:`KEYNESS_COLUMNS` (the same rows, tested).

        Of each run (group and comparison) the `top` largest ``log_odds_z > 0`` and the `top`
        smallest ``< 0`` (ties in table order), from its own rows. O(rows log rows).
        """
        if len(self) <= max_rows:
            return self._frame(slice(0, len(self)), full=False)
        picked = []
        for s, e, _ in self._runs:
            z = self._z[s:e]
            for sign in (-1.0, 1.0):  # the `top` largest z > 0, then the `top` smallest z < 0
                first = np.argsort(sign * z, kind="stable")[:top]  # stable: ties in table order; NaN last
                picked.append(s + first[(z[first] > 0) if sign < 0 else (z[first] < 0)])
        at = np.unique(np.concatenate(picked)) if picked else np.zeros(0, np.int64)
        return self._frame(at, full=False).reset_index(drop=True)

    def count_sums(self) -> pd.DataFrame:
        """Return ``count`` summed over each group's rows of each comparison (``by, comparison, count``), table order.

        What ``plots.terms.distinctive_terms`` ranks the groups by (its `count_sums`). O(rows).
        """
        runs = [(s, e) for s, e, _ in self._runs if e > s]
        entry = self._entry[[s for s, _ in runs]] if runs else np.zeros(0, np.int64)
        return pd.DataFrame({
            self.by: _strings(self._names, self._group_of[entry]), COMPARISON: _strings(self._comparisons, entry),
            COUNT: np.array([int(self._counts[COUNT][s:e].sum(dtype=np.int64)) for s, e in runs], dtype=np.int64)})


def _q_values(p: np.ndarray, n_tests: int) -> np.ndarray:
    """Return ``stats.adjust_pvalues(p, n_tests=n_tests)`` (Benjamini-Hochberg): the same floats, fewer arrays.

    The same operations in the same order (the ranked p-values times ``n_tests``, divided by
    their rank, the running minimum from the end, capped at 1; tested bit for bit), a block of
    :data:`_DERIVED_ROWS` ranked values at a time, the running minimum carried from block to
    block (a minimum is exact, so the same floats): the sort order (int32) and the result are
    held, not the ranked values beside them (stats holds about seven float arrays; at 40,000
    generated articles, 8.3 million p-values, that was the terms kernel's peak, +1,065 MB over
    the memory before the keyness step). A missing p-value, or fewer tests than p-values,
    takes stats' path. O(m log m).
    """
    if not len(p) or n_tests < len(p) or np.isnan(p).any():
        return stats.adjust_pvalues(p, n_tests=n_tests)
    order = _narrow(np.argsort(p, kind="stable"))[::-1]  # largest p first: the running minimum runs forward
    q = np.empty_like(p)
    n, low = len(p), np.inf
    for a in range(0, n, _DERIVED_ROWS):  # ranks n, n - 1, ... 1
        at = order[a:a + _DERIVED_ROWS]
        ranked = p[at]
        ranked *= int(n_tests)
        ranked /= np.arange(n - a, max(n - a - _DERIVED_ROWS, 0), -1)
        np.minimum.accumulate(ranked, out=ranked)
        np.minimum(ranked, low, out=ranked)  # the running minimum of the blocks before
        low = ranked[-1]
        np.minimum(ranked, 1.0, out=ranked)
        q[at] = ranked
    return q


def _used_terms(scored: list, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``np.unique`` of every comparison's ``term_index`` with its inverse (narrowed: :func:`_narrow`).

    The term indices are columns (``0 <= i < n_terms``): the distinct ones are found with a
    mask of the columns and each row's rank among them read from its running sum, so neither
    the concatenated int64 column nor np.unique's sort (its order, sorted copy, mask and
    int64 inverse: about 40 bytes per row, 330 MB at 40,000 generated articles' 8.3 million
    rows) is made; the comparisons' ``term_index`` are dropped as they are read. The same
    arrays (tested). O(rows + n_terms); memory 4 bytes per row and 5 per column.
    """
    present = np.zeros(n_terms, dtype=bool)
    for _, _, cols in scored:
        present[cols["term_index"]] = True
    used = np.flatnonzero(present)
    rank = _narrow(np.cumsum(present, dtype=np.int64) - 1)  # rank of each used column among the used
    del present
    parts = [rank[cols.pop("term_index")] for _, _, cols in scored]
    term = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
    return used, term


def _narrow(positions: np.ndarray) -> np.ndarray:
    """Non-negative int64 positions as int32 when they fit (half the bytes; indexing gives the same values)."""
    return positions.astype(np.int32) if not len(positions) or int(positions.max()) < 2**31 else positions


def _derived(name: str, out: pd.DataFrame, scalars: np.ndarray, comparison: np.ndarray, alpha: np.ndarray,
             term: np.ndarray, prior_size: float) -> np.ndarray:
    """Column `name` of the sorted keyness table, computed from its counts (taken before it, in ``out``).

    ``scalars[k]`` are comparison k's ``(w_i, w_j, n_i, n_j)`` and ``comparison`` each row's k:
    each row gets the operations :func:`_compare` applies to it, with that row's scalars, so the
    floats are those of computing each comparison and then sorting (tested). O(rows).
    """
    y_i, y_j = (out[c].to_numpy(dtype=np.int64) for c in (COUNT, COUNT_REST))
    column = np.empty(len(y_i), dtype=float)
    for a in range(0, len(y_i), _DERIVED_ROWS):  # in blocks: the temporaries (a dozen in g2_test) of one block
        b = a + _DERIVED_ROWS
        k = comparison[a:b]
        if name in (PER_1K, PER_1K_REST):
            column[a:b] = _per_1k((y_i if name == PER_1K else y_j)[a:b], scalars[:, 0 if name == PER_1K else 1][k])
            continue
        fi, fj = y_i[a:b].astype(float), y_j[a:b].astype(float)
        n_i, n_j = scalars[:, 2][k], scalars[:, 3][k]
        if name == G2:
            column[a:b] = _g2(fi, fj, n_i.astype(float), n_j.astype(float))
        elif name == LOG_RATIO:
            column[a:b] = _log_ratio(fi, fj, n_i, n_j)
        else:
            column[a:b] = _delta(fi, fj, alpha[term[a:b]], n_i, n_j, prior_size)
    return column


_DERIVED_ROWS = 1 << 18  # rows per block of _derived (a dozen float temporaries: about 25 MB)


def _concatenated(scored: list, name: str, keep: bool = False) -> np.ndarray:
    """Column `name` of every comparison, concatenated (each part dropped unless `keep`).

    Without `keep` the parts are copied one by one into the result and dropped once copied,
    the freed ones given back every :data:`_RELEASE_PARTS` parts (they are heap-sized), so
    the parts and their concatenation are not both held (at 40,000 generated articles the
    p-values' was the keyness step's peak). The same array as ``np.concatenate``. O(rows).
    """
    from analysis.kernel import release_memory

    if keep or not scored:
        parts = [cols[name] if keep else cols.pop(name) for _, _, cols in scored]
        return np.concatenate(parts) if parts else np.zeros(0)
    out = np.empty(sum(len(cols[name]) for _, _, cols in scored),
                   dtype=np.result_type(*(cols[name].dtype for _, _, cols in scored)))
    at = 0
    for k, (_, _, cols) in enumerate(scored):
        part = cols.pop(name)
        out[at:at + len(part)] = part
        at += len(part)
        del part
        if k % _RELEASE_PARTS == _RELEASE_PARTS - 1:
            release_memory()
    return out


_RELEASE_PARTS = 16  # comparisons copied between two releases of freed memory in _concatenated


def keyness_summary(keyness: pd.DataFrame, *, top: int = 50, max_rows: int = 50_000,
                    by: str = S.OUTLET) -> pd.DataFrame:
    """Keep what a reader of the keyness table uses: all of it when small, else the top terms.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`keyness`.
    top : int, default 50
        When cut, the `top` most over-used and `top` most under-used terms (by
        ``log_odds_z``) of each group and comparison are kept.
    max_rows : int, default 50,000
        Tables with at most this many rows are returned whole.
    by : str, default "outlet"
        The group column (as passed to :func:`keyness`).

    Returns
    -------
    pandas.DataFrame
        A new table, rows in the input's order (``q_value`` is unchanged: it was computed
        over every test, kept or not). Save the full table beside it as Parquet.

    Notes
    -----
    O(rows log rows): the rows sorted by integer group codes and ``log_odds_z`` (stably, so
    ties keep the table's order, as pandas' rank "first"), twice, and the first `top` of each
    group kept (the same rows as pandas' group-wise ranks, tested). Memory: a few integer
    arrays per row; pandas' grouping on the two string columns and its two float rank
    columns raised the peak by 704 MB at 40,000 generated articles (8.3 million rows).

    Examples
    --------
    >>> k = pd.DataFrame({"outlet": ["X"] * 5, "comparison": "vs rest", "log_odds_z": [3, 2, 0, -1, -2]})
    >>> keyness_summary(k, top=1, max_rows=2).log_odds_z.tolist()
    [3, -2]
    """
    if len(keyness) <= max_rows:
        return keyness.copy()
    group = _codes(keyness[by])
    if (group < 0).any():  # a missing group or comparison: pandas' grouping leaves it out
        return _summary_table(keyness, top, by)
    second = _codes(keyness[COMPARISON])
    if (second < 0).any():
        return _summary_table(keyness, top, by)
    width = int(second.max()) + 1 if len(second) else 1
    group = group.astype(np.int64 if (int(group.max()) + 1) * width >= 2**31 else np.int32) * width + second
    del second
    z = keyness[LOG_ODDS_Z].to_numpy(dtype=float)
    keep = np.zeros(len(z), dtype=bool)
    for sign in (-1.0, 1.0):  # the `top` largest z > 0, then the `top` smallest z < 0, of each group
        order = np.lexsort((sign * z, group))  # stable: ties in table order (rank "first"); NaN last
        rows = order[_within(group[order]) < top]
        del order
        keep[rows[(z[rows] > 0) if sign < 0 else (z[rows] < 0)]] = True
    return keyness[keep].reset_index(drop=True)


def _codes(column: pd.Series) -> np.ndarray:
    """``pd.factorize(column)[0]`` (first-seen order, -1 where missing), int32 for an Arrow-backed column.

    Arrow's dictionary encoding gives the same codes as 4-byte integers without pandas' int64
    copy (at 40,000 generated articles each factorize of an 8.3-million-row keyness column
    raised the peak by ~190 MB; :func:`keyness_summary` held two). O(rows).
    """
    array = getattr(column.array, "_pa_array", None)
    if array is None or getattr(array, "num_chunks", 1) != 1:  # (several chunks: pandas' codes)
        return pd.factorize(column)[0]
    import pyarrow as pa
    import pyarrow.compute as pc

    indices = pc.dictionary_encode(array).combine_chunks().indices if len(column) else pa.array([], pa.int32())
    return indices.fill_null(-1).to_numpy().astype(np.int32, copy=False)


def _summary_table(keyness: pd.DataFrame, top: int, by: str) -> pd.DataFrame:
    """:func:`keyness_summary`'s cut with pandas' group-wise ranks (a table with missing keys)."""
    g = keyness.groupby([by, COMPARISON], sort=False)[LOG_ODDS_Z]
    rank_hi = g.rank(method="first", ascending=False)
    rank_lo = g.rank(method="first", ascending=True)
    keep = ((rank_hi <= top) & (keyness[LOG_ODDS_Z] > 0)) | ((rank_lo <= top) & (keyness[LOG_ODDS_Z] < 0))
    return keyness[keep.to_numpy()].reset_index(drop=True)


def top_rows(keyness: pd.DataFrame, n: int = 8, *, comparison: str = REST, over: bool = False,
             by: str = S.OUTLET) -> pd.DataFrame:
    """Return the first `n` rows of each group in one comparison: the notebook's view of the keyness table.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`keyness` (any row order).
    n : int, default 8
        Rows kept per group (``>= 0``).
    comparison : str, default "vs rest"
        The comparison whose rows are kept.
    over : bool, default False
        Keep only rows with ``log_odds_z > 0`` (terms the group uses more).
    by : str, default "outlet"
        The group column (as passed to :func:`keyness`).

    Returns
    -------
    pandas.DataFrame
        ``keyness[(keyness.comparison == comparison) & (z > 0 if over)].groupby(by).head(n)``,
        the same rows, order and index (tested), with rows of a missing group left out as
        groupby leaves them out.

    Notes
    -----
    O(rows) time and a few integer arrays per row of memory (a mask, the group codes, the
    positions kept); the boolean selection it replaces copied every row of the comparison
    first (at 10,000 articles, 451 MB over a 309 MB table for the "vs rest" rows).

    Examples
    --------
    >>> k = pd.DataFrame({"outlet": ["X", "X", "X", "Y"], "comparison": ["vs rest", "vs Y", "vs rest", "vs rest"],
    ...                   "log_odds_z": [2.0, 1.0, -1.0, 3.0]})
    >>> top_rows(k, 1).index.tolist(), top_rows(k, 2, over=True).index.tolist()
    ([0, 3], [0, 3])
    """
    if n < 0:  # pandas' meaning of a negative head: every row but the last -n
        keep = keyness[COMPARISON] == comparison
        if over:
            keep &= keyness[LOG_ODDS_Z] > 0
        return keyness[keep].groupby(by).head(n)
    keep = (keyness[COMPARISON] == comparison).to_numpy(dtype=bool)
    if over:
        keep = keep & (keyness[LOG_ODDS_Z] > 0).to_numpy(dtype=bool)
    rows = np.flatnonzero(keep)
    del keep
    group = _codes(keyness[by])[rows]
    rows, group = rows[group >= 0], group[group >= 0]
    by_group = np.argsort(group, kind="stable")
    first = np.sort(by_group[_within(group[by_group]) < n])
    return keyness.take(rows[first])


def summary_note(n_full: int, n_summary: int, *, top: int = 50, name: str = "terms_keyness") -> str:
    """Say what the keyness CSV holds beside the full Parquet table (one line for the page).

    Parameters
    ----------
    n_full, n_summary : int
        Rows of the full table and of :func:`keyness_summary`'s.
    top : int, default 50
        The `top` passed to :func:`keyness_summary`.
    name : str, default "terms_keyness"
        Table name.

    Returns
    -------
    str

    Examples
    --------
    >>> summary_note(10, 10)
    'tables/terms_keyness.csv and tables/terms_keyness.parquet: all 10 tested rows.'
    """
    if n_full == n_summary:
        return f"tables/{name}.csv and tables/{name}.parquet: all {n_full:,} tested rows."
    return (f"tables/{name}.parquet: all {n_full:,} tested rows; tables/{name}.csv: the {top} most over- and "
            f"{top} most under-used terms of each comparison ({n_summary:,} rows; q-values over all tests).")
