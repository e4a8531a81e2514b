"""Align sentences of different outlets that say the same thing (the first step of label discovery).

:func:`align_sentences` pairs near-identical sentences of different outlets: mutual best TF-IDF
cosine (:func:`tfidf_rows`), candidates from an inverted index of rare terms
(:func:`_close_pairs`). :mod:`analysis.labels.discovery` lists the words the aligned sentences
replaced with each other.
"""

from __future__ import annotations

import functools
import itertools
import re

import numpy as np
import pandas as pd

from analysis import frames as F
from analysis import schema as S
from analysis.errors import ParameterError
from analysis.labels.concepts import SIMILARITY

ALIGN_COLUMNS = ("sentence_a", "sentence_b", "outlet_a", "outlet_b", SIMILARITY)
# Cosine a mutual-best sentence pair needs. On the bundled corpus reworded wire copy scores
# 0.3-0.9 ("make an agreement"/"make a deal" is 0.31); below 0.3 pairs share a topic only.
DEFAULT_MIN_SIMILARITY = 0.3
MIN_WORDS = 6  # sentences shorter than this are not aligned (too little to compare)
MAX_DF = 100  # align_sentences compares sentences sharing a term found in at most this many sentences
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@functools.lru_cache(maxsize=8)
def _at_least(n: int) -> re.Pattern:
    """Return a pattern that matches at the start of a text of at least `n` :data:`_WORD` words (n >= 1).

    Each repeat skips what is not a word character, then takes one :data:`_WORD` match, as
    ``_WORD.findall`` takes them (possessive quantifiers: a word is taken whole, as the greedy
    match findall returns, and never split to make up the count). O(characters up to the n-th word).
    """
    return re.compile(r"(?:\W*+\w++(?:[-'’]\w++)*+)" + f"{{{n}}}")


def _enough_words(texts: list[str], min_words: int) -> list[bool]:
    """``[len(_WORD.findall(t)) >= min_words for t in texts]`` without listing the words (tested).

    One match per text that stops at the `min_words`-th word (:func:`_at_least`); findall made a
    string of every word: the 161,775 sentences of the 4,142 abp-2013 articles in 0.12 s instead
    of 0.74 s (under cProfile, 12 of align_sentences' 106 s at 40,000 generated articles went to
    findall). O(characters up to the `min_words`-th word) per text.
    """
    if min_words <= 0:
        return [True] * len(texts)
    match = _at_least(min_words).match
    return [match(t) is not None for t in texts]

def _analyzer():
    from analysis.resources import stopwords

    stop = stopwords("english")
    return lambda text: [w for w in F.match_text(text).split() if w not in stop]


def tfidf_rows(texts, analyzer):
    """Return the L2-normalised TF-IDF matrix of `texts` (rows) over their sorted vocabulary.

    Parameters
    ----------
    texts : sequence of str
        The documents (here: sentences).
    analyzer : callable
        Text -> list of terms.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(1 + ln tf) * (ln((1 + n) / (1 + df)) + 1)``, each row scaled to unit length (rows
        without terms stay zero); columns are the terms in sorted order. ``None`` when no
        text has a term.

    Notes
    -----
    The same numbers as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (the tests
    compare the matrices); written with scipy.sparse because importing scikit-learn takes
    about a second in the framing notebook's kernel. Terms are numbered by
    :func:`pandas.factorize` (hashing in C) and ranked by one sort of the distinct terms,
    not by a Python lookup per token.
    Cost: O(tokens) for the analyzer and the numbering, plus O(vocabulary x log vocabulary).

    Examples
    --------
    By hand: columns (cuba, oil); idf = (ln(3/3) + 1, ln(3/2) + 1) = (1, 1.4055); row 1 is
    (1, (1 + ln 2) * 1.4055) = (1, 2.3797), of length 2.5813.

    >>> X = tfidf_rows(["oil oil cuba", "cuba"], str.split)
    >>> X.toarray().round(4).tolist()
    [[0.3874, 0.9219], [1.0, 0.0]]
    """
    docs = [analyzer(t) for t in texts]
    codes, uniques = pd.factorize(np.fromiter(itertools.chain.from_iterable(docs), dtype=object,
                                              count=sum(map(len, docs))))
    return _tfidf_codes(np.repeat(np.arange(len(docs)), [len(d) for d in docs]), codes, uniques, len(docs))


MATCH_CHUNK = 50_000  # texts split and numbered at a time by _match_terms


def _match_terms(texts, chunk: int = MATCH_CHUNK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(rows, codes, uniques)``: the terms :func:`_analyzer` gives each text, numbered.

    The same terms as calling the analyzer per text, but its stopword test runs once per
    distinct word of each chunk of `chunk` texts (on the chunk's factorised words) instead of
    once per word. `rows`: the text of each term; `codes`: positions in `uniques` (the kept words
    in order of first occurrence, not sorted); both int32.

    Notes
    -----
    Cost: O(characters) in C per text, plus O(distinct words per chunk) in Python. Memory:
    the int32 rows and codes (8 bytes a term) plus one chunk's Arrow strings and lists; all texts
    split at once, with int64 arrays, peaked at 458 MB above the corpus at 10,000 generated
    articles.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from analysis.resources import stopwords

    stop = stopwords("english")
    vocab: dict[str, int] = {}  # kept word -> code, in order of first occurrence
    rows, codes = [], []
    for lo in range(0, len(texts), chunk):
        # match_text leaves " " as the only white space, so splitting at each space (and dropping the
        # empty pieces) is str.split(); Arrow splits and numbers the words without a Python string per word
        parts = pc.split_pattern(pa.array([F.match_text(t) for t in texts[lo:lo + chunk]], type=pa.large_string()),
                                 " ")
        lengths = pc.list_value_length(parts).to_numpy(zero_copy_only=False).astype(np.int64)
        words = pc.dictionary_encode(pc.list_flatten(parts))
        del parts
        local = words.dictionary.to_pylist()
        code = np.fromiter((-1 if w == "" or w in stop else vocab.setdefault(w, len(vocab)) for w in local),
                           dtype=np.int32, count=len(local))[words.indices.to_numpy(zero_copy_only=False)]
        del words
        on = code >= 0
        rows.append(np.repeat(np.arange(lo, lo + len(lengths), dtype=np.int32), lengths)[on])
        codes.append(code[on])
    if not rows:
        return np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, dtype=object)
    # one column joined and its parts let go of before the other: never both columns twice
    rows = _joined(rows)
    return rows, _joined(codes), np.array(list(vocab), dtype=object)


def _joined(parts: list) -> np.ndarray:
    """``np.concatenate(parts)``, `parts` emptied (its arrays freed once copied, as far as the caller holds none)."""
    out = np.concatenate(parts)
    parts.clear()
    return out


def _tfidf_codes(rows: np.ndarray, codes: np.ndarray, uniques: np.ndarray, n_docs: int):
    """:func:`tfidf_rows` from numbered terms (`rows`: the document of each term). O(terms + V log V).

    The arrays stay the caller's; :func:`_tfidf_owned` is the build (it lets go of them as it goes).
    """
    return _tfidf_owned([rows, codes, uniques], n_docs)


TFIDF_CHUNK = 1 << 20  # matrix entries _tfidf_owned weighs, sums and scales at a time


def _row_blocks(indptr: np.ndarray, chunk: int):
    """Yield (first row, end row) of consecutive rows holding about `chunk` entries each (at least one row)."""
    n = len(indptr) - 1
    lo = 0
    while lo < n:
        hi = max(int(np.searchsorted(indptr, indptr[lo] + chunk, side="right")) - 1, lo + 1)
        yield lo, min(hi, n)
        lo = min(hi, n)


def _tfidf_owned(terms: list, n_docs: int, chunk: int = TFIDF_CHUNK):
    """:func:`_tfidf_codes` of ``terms = [rows, codes, uniques]``, emptying `terms` and freeing each array once read.

    Notes
    -----
    Terms in document order (as :func:`_match_terms` gives them) make the CSR rows directly. The
    weights, the norms' squares and the rows' scaling are computed in place, `chunk` entries at a
    time: the scaled rows are each row's entries in reverse order times ``1 / norm``, which is what
    ``sp.diags(1 / norms) @ X`` (scipy's ``csr_matmat``, which lists a row's columns in the reverse
    order of their insertion) gives, bit for bit, without its second matrix (tested against that
    construction: indptr, indices and their dtype, data bytes; the alignment's cosines are summed
    in that order). Memory: the terms' int32 rows and columns until the matrix is made (each freed
    once read when the caller gives them up, as :func:`align_sentences` does), then the matrix
    (12 bytes an entry) and a few arrays of `chunk` entries; the matrix product held a second
    matrix and the weights a float64 temporary of every entry.
    """
    import scipy.sparse as sp

    from analysis.terms import smoothed_idf

    rows, codes, uniques = terms
    terms.clear()
    if not len(uniques):
        return None
    n_terms = len(uniques)
    order = np.argsort(uniques, kind="stable")  # the vocabulary in sorted order, as sorted() gives it
    del uniques
    rank = np.empty(len(order), dtype=np.int32 if len(order) < 2**31 else np.int64)
    rank[order] = np.arange(len(order))
    del order
    cols = rank[codes]
    del rank, codes
    if len(rows) and bool((rows[1:] >= rows[:-1]).all()):
        # terms in document order (as _match_terms and tfidf_rows give them): the CSR rows directly, without
        # the COO matrix and its conversion (two more copies of every term); sum_duplicates then sorts and
        # adds each row's terms, as the conversion did: the same matrix
        indptr = np.zeros(n_docs + 1, dtype=cols.dtype if len(cols) < np.iinfo(cols.dtype).max else np.int64)
        np.cumsum(np.bincount(rows, minlength=n_docs), out=indptr[1:])
        del rows
        X = sp.csr_matrix((np.ones(len(cols)), cols, indptr), shape=(n_docs, n_terms))
    else:
        X = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_docs, n_terms))
        del rows
    del cols
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=n_terms)
    idf = smoothed_idf(n_docs, df)
    del df
    data, indices, indptr = X.data, X.indices, X.indptr
    # (1 + ln tf) * idf in place: the same operations in the same order as the expression, no temporaries
    np.log(data, out=data)
    data += 1.0
    squares = np.zeros(n_docs)
    for lo, hi in _row_blocks(indptr, chunk):
        s, e = int(indptr[lo]), int(indptr[hi])
        data[s:e] *= idf[indices[s:e]]
        # the squares summed by the sparse row sums of the whole matrix (each row's sum is its own)
        block = sp.csr_matrix((data[s:e] * data[s:e], indices[s:e], indptr[lo:hi + 1] - s), shape=(hi - lo, n_terms))
        squares[lo:hi] = np.asarray(block.sum(axis=1)).ravel()
        del block
    del idf
    norms = np.sqrt(squares)
    del squares
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    del norms
    # sp.diags(inv) @ X in place: each row reversed (csr_matmat's order) and times its 1 / norm
    for lo, hi in _row_blocks(indptr, chunk):
        s, e = int(indptr[lo]), int(indptr[hi])
        row = np.repeat(np.arange(lo, hi), np.diff(indptr[lo:hi + 1]))
        mirror = (indptr[row].astype(np.int64) + indptr[row + 1] - 1) - np.arange(s, e)
        indices[s:e] = indices[mirror]
        data[s:e] = inv[row] * data[mirror]
        del row, mirror
    X = sp.csr_matrix((data, indices, indptr), shape=X.shape)  # its sorted-indices flag found again
    return X


# candidate pairs whose common part is computed at a time: two rows' worth of common columns each (at 10,000
# generated articles 500,000 pairs took about 130 MB, _close_pairs' peak)
PAIR_CHUNK = 100_000


def _columns(X, keep: np.ndarray, *, in_place: bool = False, chunk: int = TFIDF_CHUNK):
    """Return ``X[:, np.flatnonzero(keep)].tocsr()`` (the kept columns renumbered in order), bit for bit.

    Each row keeps its entries in their order, as scipy's column indexing does (tested). With
    `in_place`, the kept entries are moved to the front of X's own arrays (X is spoilt; the result
    is views of them): no copy of the kept entries beside the matrix. Cost: O(entries), `chunk`
    entries at a time; memory: the result's indptr and arrays of `chunk` entries (plus the kept
    entries without `in_place`).
    """
    import scipy.sparse as sp

    data, indices, ptr = X.data, X.indices, X.indptr
    number = np.cumsum(keep, dtype=np.int64) - 1
    number = number.astype(indices.dtype) if len(number) < np.iinfo(indices.dtype).max else number
    indptr = np.zeros(X.shape[0] + 1, dtype=ptr.dtype)
    blocks = list(_row_blocks(ptr, chunk))
    total = 0
    for lo, hi in blocks:  # each row's end among the kept entries
        s, e = int(ptr[lo]), int(ptr[hi])
        seen = np.zeros(e - s + 1, dtype=np.int64)
        np.cumsum(keep[indices[s:e]], out=seen[1:])
        indptr[lo + 1:hi + 1] = total + seen[ptr[lo + 1:hi + 1] - s]
        total += int(seen[-1])
    if in_place:
        out_data, out_indices = data, indices
    else:
        out_data, out_indices = np.empty(total, dtype=data.dtype), np.empty(total, dtype=indices.dtype)
    for lo, hi in blocks:  # in place the kept entries only move forward: a block is read before it is written
        s, e = int(ptr[lo]), int(ptr[hi])
        on = keep[indices[s:e]]
        w = int(indptr[lo])
        values, columns = data[s:e][on], number[indices[s:e][on]]
        out_data[w:w + len(values)] = values
        out_indices[w:w + len(values)] = columns
        del on, values, columns
    return sp.csr_matrix((out_data[:total], out_indices[:total], indptr), shape=(X.shape[0], int(keep.sum())))


def _close_pairs(X, outlet: np.ndarray, max_df: int, min_similarity: float, chunk: int = 4000, *,
                 own: bool = False):
    """Yield (i, j, cosine) arrays of close sentence pairs of different outlets, i < j.

    Terms are split into rare ones (in 2 to `max_df` sentences) and common ones. Candidate
    pairs share a rare term: the sparse product of the rare columns, in row chunks, gives
    their rare part of the cosine. Cauchy-Schwarz bounds the common part by the product
    of the rows' common-term norms, so only pairs that could still reach
    `min_similarity` get their common part computed, pair by pair (vectorised).
    Cost: O(pairs sharing a rare term) for the products, in C; memory O(those pairs of one
    chunk of rows). (A tighter bound by groups of common terms was measured and not kept: 16
    groups still left 70-78% of the pairs to compute, at a cost near the exact common part.)
    `own`: X is the caller's no longer (:func:`align_sentences`): its arrays become the common
    columns (:func:`_columns` in place), so X, the rare and the common columns are never held at
    once (two copies of the matrix's entries: +814 MB at 40,000 generated articles).
    """
    outlet = pd.factorize(outlet)[0]  # integer codes: equal exactly where the labels are, compared in C
    df = np.bincount(X.indices, minlength=X.shape[1])
    rare = _columns(X, (df >= 2) & (df <= max_df))
    common = _columns(X, df > max_df, in_place=own)
    del X, df  # the rare and common columns are all that is read below
    # the rows' common norms a block of rows at a time (each row's sum is its own): no squared copy of them all
    common_norm = np.zeros(common.shape[0])
    for lo, hi in _row_blocks(common.indptr, TFIDF_CHUNK):
        block = common[lo:hi]
        common_norm[lo:hi] = np.asarray(block.multiply(block).sum(axis=1)).ravel()
    np.sqrt(common_norm, out=common_norm)
    rare_t = rare.T.tocsr()
    for lo in range(0, rare.shape[0], chunk):
        part = (rare[lo:lo + chunk] @ rare_t).tocoo()
        i, j, sim = part.row + lo, part.col, part.data
        ok = (i < j) & (outlet[i] != outlet[j]) & (sim + common_norm[i] * common_norm[j] >= min_similarity - 1e-12)
        i, j, sim = i[ok], j[ok], sim[ok]
        for k in range(0, len(i), PAIR_CHUNK):  # each pair's common part is its own: the same sums in any batch
            a, b = i[k:k + PAIR_CHUNK], j[k:k + PAIR_CHUNK]
            sim[k:k + PAIR_CHUNK] += np.asarray(common[a].multiply(common[b]).sum(axis=1)).ravel()
        ok = sim >= min_similarity - 1e-12
        yield i[ok], j[ok], sim[ok]


def _best_per_outlet(i: np.ndarray, j: np.ndarray, sim: np.ndarray,
                     code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep, of the pairs (i, j, sim), each i's best j in each outlet (`code`: outlet code of each sentence).

    The best is the highest `sim`, then the lowest j (the pairs are distinct, so one per i and
    outlet), as sorting by similarity (descending) and j, then keeping the first row of each i
    and outlet, gives it. Applying this to parts of the pairs and again to the union of the
    parts' results gives its result on all of them. Returned sorted by i, outlet.
    Cost: O(p log p) for p pairs (one lexsort).
    """
    oj = code[j]
    order = np.lexsort((j, -sim, oj, i))
    i, j, sim, oj = i[order], j[order], sim[order], oj[order]
    first = np.ones(len(i), dtype=bool)
    first[1:] = (i[1:] != i[:-1]) | (oj[1:] != oj[:-1])
    return i[first], j[first], sim[first]


def align_sentences(sentences: pd.DataFrame, *, min_similarity: float = DEFAULT_MIN_SIMILARITY,
                    min_words: int = MIN_WORDS, max_df: int = MAX_DF) -> pd.DataFrame:
    """Pair near-identical sentences of different outlets (mutual best TF-IDF match).

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``outlet``, ``sentence_text``).
    min_similarity : float, default 0.3
        Cosine similarity (TF-IDF, stopwords removed) a pair needs, in (0, 1].
    min_words : int, default 6
        Sentences with fewer words are not aligned.
    max_df : int, default 100
        Only sentences sharing at least one term found in at most this many sentences are
        compared (an inverted index of rare terms chooses the candidate pairs).

    Returns
    -------
    pandas.DataFrame
        One row per aligned pair: ``sentence_a``, ``sentence_b`` (ids), ``outlet_a`` <
        ``outlet_b``, ``similarity``; each sentence is the other's best match among the
        other outlet's candidate sentences. Sorted by similarity (descending), then ids.

    Raises
    ------
    ParameterError
        For a similarity outside (0, 1] or a `max_df` below 2.

    Notes
    -----
    Aligned sentences are usually the same statement or the same wire copy, reworded; the
    pairs feed :func:`substitutions`. IDF is fitted on the given sentences. The cosine
    of a candidate pair is computed on all its terms; pairs whose shared terms are all
    common (each in more than `max_df` sentences) are never compared. With at most
    `max_df` sentences every pair sharing a term is a candidate, so the result is that
    of the exhaustive comparison. Sentences are counted as long enough by one match that stops
    at the `min_words`-th word (:func:`_enough_words`), not by listing every word. Cost:
    O(characters) to read the terms (per sentence in C;
    Arrow splits and numbers the words, the stopword test runs once per distinct word), plus
    O(pairs sharing a rare term) <= O(max_df x term occurrences) for the candidates: linear in
    the corpus for a fixed `max_df` (the exhaustive comparison was quadratic and refused more
    than 50,000 sentences), though on copied text the rare terms fill up towards `max_df` and
    the candidates grow faster than the sentences (5.9 to 18.6 million from 4,142 abp-2013
    articles to 10,000 generated ones, exponent 1.4 in the sentences).
    Memory: O(term occurrences) for the matrix, freed once split into its rare and common
    columns; the texts are read as Python strings :data:`MATCH_CHUNK` at a time by position (no
    copied sentence table), ids and outlets taken in Arrow. At 10,000 generated articles the
    call's peak fell from +460 to +290-350 MB (bench/labels_memory.py, issue 15).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "b/1"], "outlet": ["A", "B", "B"],
    ...     "sentence_text": ["Trump urged Havana to make a deal before it is too late.",
    ...                       "Trump urged Havana to make an agreement before it is too late.",
    ...                       "Oil shipments from Mexico continued through the weekend."]})
    >>> align_sentences(s).round(2).values.tolist()
    [['a/0', 'b/0', 'A', 'B', 0.74]]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.OUTLET, S.SENTENCE_TEXT], table="sentences")
    if not 0 < min_similarity <= 1:
        raise ParameterError(f"min_similarity: {min_similarity!r}; use a number in (0, 1]")
    if not isinstance(max_df, int) or max_df < 2:
        raise ParameterError(f"max_df: {max_df!r}; use an integer >= 2")
    empty = pd.DataFrame(columns=list(ALIGN_COLUMNS))
    # the sentences long enough, by position: their texts are read as Python strings a chunk at a time
    # (MATCH_CHUNK), never the whole column at once and never copied into a table of their own
    col = sentences[S.SENTENCE_TEXT]
    rows = np.flatnonzero(np.fromiter(
        (ok for lo in range(0, len(col), MATCH_CHUNK)
         for ok in _enough_words(col.iloc[lo:lo + MATCH_CHUNK].astype(str).tolist(), min_words)), dtype=bool,
        count=len(col)))
    outlets = sentences[S.OUTLET].take(rows).reset_index(drop=True)
    if outlets.nunique() < 2:
        return empty
    # = tfidf_rows(texts, _analyzer()); the terms' arrays are let go of as the matrix is made
    terms = list(_match_terms(_Rows(col, rows)))
    _release()  # the Arrow words of the chunks, held by Arrow's pool until given back
    X = _tfidf_owned(terms, len(rows))
    if X is None:  # empty vocabulary: nothing to compare
        return empty
    code, names = pd.factorize(outlets)  # equal exactly where the outlets are; -1 for a missing one
    del outlets
    parts, chunks = [], 0
    close = _close_pairs(X, code, max_df, min_similarity, own=True)
    del X  # held by the generator only until it has split the matrix into its rare and common terms
    for i, j, sim in close:
        chunks += 1  # each pair both ways; only each sentence's best per other outlet is kept
        parts.append(_best_per_outlet(np.r_[i, j], np.r_[j, i], np.r_[sim, sim], code))
    del close
    _release()
    if not chunks:
        return empty
    i, j, sim = _best_per_outlet(*(np.concatenate(x) for x in zip(*parts, strict=True)), code)
    del parts
    n = np.int64(len(rows))
    # mutual: j's best in i's outlet is i too (each such pair is found from both sides: kept once); outlet_a <
    # outlet_b compared by the outlets' ranks in sorted order (Python's string order, as comparing the strings)
    rank = np.empty(len(names) + 1, dtype=np.int64)
    rank[:-1] = np.argsort(np.argsort(np.asarray(names.tolist(), dtype=object), kind="stable"), kind="stable")
    rank[-1] = -1  # code -1 (a missing outlet) never reaches here: pairs need two different outlets' codes
    mutual = np.isin(j * n + i, i * n + j) & (rank[code[i]] < rank[code[j]])
    i, j, sim = i[mutual], j[mutual], sim[mutual]
    out = pd.DataFrame({"sentence_a": _repeat_column(sentences[S.SENTENCE_ID], rows[i]),
                        "sentence_b": _repeat_column(sentences[S.SENTENCE_ID], rows[j]),
                        "outlet_a": _repeat_column(sentences[S.OUTLET], rows[i]),
                        "outlet_b": _repeat_column(sentences[S.OUTLET], rows[j]), SIMILARITY: sim})
    return out.sort_values([SIMILARITY, "sentence_a", "sentence_b"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def _release() -> None:
    """Give memory freed by Arrow's pool and the C heap back to the system (:func:`analysis.kernel.release_memory`).

    Arrow's pool (mimalloc) keeps what a freed array held until asked: inside one call of label
    discovery at 10,000 generated articles it held 290 MB that no table used (bench/labels_memory.py).
    Tens of milliseconds for a heap of a gigabyte.
    """
    from analysis.kernel import release_memory

    release_memory()


class _Rows:
    """The texts of `column` at `rows` as a sequence whose slices are lists (what :func:`_match_terms` reads).

    A slice reads only its texts as Python strings (each Arrow chunk's take, then ``tolist``), so the kept
    texts are never a list or a column of their own. O(slice) per slice. Taken by
    :func:`analysis.partition.take_rows`: Arrow's take from the column of a prepared corpus (several
    chunks) first joined the whole column, once per slice (apache/arrow#39565): at 10,000 generated
    articles :func:`_match_terms` peaked at +205 MB above its start, +168 so.
    """

    def __init__(self, column: pd.Series, rows: np.ndarray):
        self.column, self.rows = column, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, part: slice) -> list:
        from analysis.partition import take_rows

        return take_rows(self.column, self.rows[part]).tolist()


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # the str dtype pandas infers for a list of Python strings


def _repeat_column(column: pd.Series, pick: np.ndarray):
    """Return ``column``'s values at `pick` with the dtype pandas infers for them as a list of Python objects.

    Arrow strings (pandas' str) and numpy numbers are taken as they are (in C); any other dtype goes
    through a list, as the tables were built before. O(len(pick)).
    """
    if column.dtype == _STR or (isinstance(column.dtype, np.dtype) and column.dtype.kind in "iuf"):
        return column.array.take(pick)
    values = column.tolist()
    return pd.DataFrame({"x": list(map(values.__getitem__, pick.tolist()))})["x"].array


__all__ = ["ALIGN_COLUMNS", "DEFAULT_MIN_SIMILARITY", "MIN_WORDS", "MAX_DF", "tfidf_rows", "align_sentences"]
