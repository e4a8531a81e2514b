"""Count terms: the batched document-term matrix, counts per outlet or article, TF-IDF.

Per-article step (text in, counts out) and combining step (group sums) of the terms
analysis; :mod:`analysis.terms.distinctive` scores what is counted here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import schema as S
from analysis import tokens as T
from analysis.errors import ParameterError
from analysis.kernel import release_memory
from analysis.reuse.columns import _within  # position within runs of equal values
from analysis.terms.columns import (
    COUNT,
    DOC_FREQ,
    IDF,
    MISSING_GROUP,
    NGRAM,
    PER_1K,
    TERM,
    TF_IDF,
)


class DocTermMatrix(NamedTuple):
    """Counts of terms per text: ``matrix[i, j]`` is how often term j occurs in text i."""

    matrix: sp.csr_matrix  # int64 counts, texts x terms
    terms: np.ndarray  # normalised term keys (object array of str; n-gram words joined by " ")
    ngram: np.ndarray  # int64 words per term
    surfaces: np.ndarray  # display form of each term (most frequent surface of each word)
    words: np.ndarray  # int64 tokens per text (stopwords and numbers included)


def _check_range(ngram_range) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in ngram_range)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"ngram_range: {ngram_range!r}; use two integers [min, max]") from exc
    if not 1 <= lo <= hi <= 3:
        raise ParameterError(f"ngram_range: {ngram_range!r}; need 1 <= min <= max <= 3")
    return lo, hi


BATCH_TOKENS = 250_000  # tokens per batch of count_matrix (bounds its per-token arrays: ~20 MB)


def _order_batch(ids: np.ndarray, doc_of: np.ndarray, n: int, stop: np.ndarray, number: np.ndarray | None,
                 n_docs: int, rows: np.ndarray | None = None):
    """Count one batch's n-grams of one order: (unique codes in first-seen order, local csr).

    `stop` and `number` flag each *token* (its raw form's flags, as :func:`analysis.tokens.tokenize`
    gives them): with stemming, "willing" is no stopword although its term is "will". N-grams
    stay within a text (`doc_of`); they are counted in row ``rows[token]`` (default: the text).
    """
    m = max(len(ids) - n + 1, 0)
    valid = (doc_of[:m] == doc_of[n - 1:n - 1 + m]) & ~stop[:m] & ~stop[n - 1:n - 1 + m]
    if number is not None:
        for k in range(n):
            valid &= ~number[k:k + m]
    pos = np.flatnonzero(valid)
    del valid
    if n == 1:
        codes = ids[pos].astype(np.int64)
    else:
        codes = ids[pos].astype(np.int64)
        for k in range(1, n):
            codes = codes * _CODE_BASE + ids[pos + k]
    cols, uniques = pd.factorize(codes)
    del codes
    mat = sp.csr_matrix((np.ones(len(pos), dtype=np.int32), ((doc_of if rows is None else rows)[pos],
                                                             cols.astype(np.int32))),
                        shape=(n_docs, len(uniques)))
    mat.sum_duplicates()
    if mat.nnz and int(mat.data.max()) < 2**16:  # held until every batch is counted: 2 bytes a cell, not 4
        mat.data = mat.data.astype(np.uint16)
    return uniques, mat


_CODE_BASE = 1 << 21  # n-gram code = id_1 * 2^21 + id_2 ...: unique while the vocabulary < 2,097,152


def _decode(codes: np.ndarray, n: int) -> np.ndarray:
    """Split n-gram codes into their word ids (len(codes) x n)."""
    parts = np.empty((len(codes), n), dtype=np.int64)
    for k in range(n - 1, -1, -1):
        parts[:, k] = codes % _CODE_BASE
        codes = codes // _CODE_BASE
    return parts


def _join(words: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Join the words of each n-gram with spaces (object array); each string built once."""
    if parts.shape[1] == 1:
        return words[parts[:, 0]].astype(object)
    out = np.empty(len(parts), dtype=object)
    out[:] = [" ".join(t) for t in zip(*(words[parts[:, k]] for k in range(parts.shape[1])))]
    return out


def count_matrix(
    texts: Iterable[str],
    *,
    ngram_range: Sequence[int] = (1, 1),
    min_count: int = 1,
    keep_numbers: bool = True,
    **token_options,
) -> DocTermMatrix:
    """Count the terms (n-grams) of each text into a sparse document-term matrix.

    Parameters
    ----------
    texts : iterable of str
        One text per unit; n-grams never cross units (pass sentences to keep them within
        sentences).
    ngram_range : (int, int), default (1, 1)
        Smallest and largest n-gram, within 1..3.
    min_count : int, default 1
        Keep terms occurring at least this often in all texts together.
    keep_numbers : bool, default True
        Count number tokens and n-grams containing them.
    **token_options
        ``lowercase, fold_accents, stopwords, stem, phrases`` as in
        :func:`analysis.tokens.tokenize`.

    Returns
    -------
    DocTermMatrix
        ``matrix`` (texts x terms), term keys, n-gram sizes, display forms, words per text.
        Columns are ordered by n-gram size, then by first occurrence.

    Notes
    -----
    Stopwords are not counted as unigrams, and an n-gram is not counted when it starts or
    ends with one ("state of emergency" counts, "of the" does not). N-grams are formed on
    the full token stream, so stopwords inside them are kept.

    Cost: O(tokens) time. Texts are encoded and counted in batches of about
    :data:`BATCH_TOKENS` tokens (:class:`analysis.tokens.Encoder` keeps one vocabulary), so
    per-token arrays exist for one batch at a time; what grows with the corpus is the
    vocabulary and the per-batch counts (about 8 bytes per non-zero cell) until they are
    copied into the result (12 bytes per non-zero cell). ``bench/terms.py`` measures the
    peak against scikit-learn's CountVectorizer. N-gram codes pack word ids in 21 bits, so
    n-grams need fewer than 2,097,152 distinct terms (a ParameterError says so).

    Examples
    --------
    >>> d = count_matrix(["Oil supplies to Cuba.", "Cuba’s oil supplies were cut."], ngram_range=(1, 2))
    >>> d.matrix.toarray().tolist(), d.terms.tolist(), d.words.tolist()
    ([[1, 1, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1]], ['oil', 'supplies', 'cuba', 'cut', 'oil supplies', 'cuba oil'], [4, 5])
    """
    counted = _count(texts, ngram_range, min_count, keep_numbers, token_options)
    counted = counted._replace(matrix=counted.matrix.astype(np.int64, copy=False))  # int64, as documented
    keys, shown = [], []
    for parts in counted.parts:
        keys.append(_join(counted.word_terms, parts))
        key, show = keys[-1], _join(counted.word_surfaces, parts)
        same = show == key
        show[same] = key[same]  # one string object where the display form is the key (~half the terms)
        shown.append(show)
        del key, show, same
    empty = np.zeros(0, dtype=object)
    return DocTermMatrix(counted.matrix, np.concatenate(keys) if keys else empty, counted.ngram,
                         np.concatenate(shown) if shown else empty, counted.words)


class _Counted(NamedTuple):
    """:func:`count_matrix` before any term is written out as a string."""

    matrix: sp.csr_matrix  # texts x terms
    parts: list  # per n-gram order: the word ids of each kept column (columns x n)
    word_terms: np.ndarray  # term key of each word id
    word_surfaces: np.ndarray  # display form of each word id
    ngram: np.ndarray  # int64 words per column
    words: np.ndarray  # int64 tokens per text
    totals: np.ndarray | None  # int64 counts per row of every term, also those below min_count (None: min_count 1)


def _count(texts, ngram_range, min_count, keep_numbers, token_options, groups=None) -> _Counted:
    """Count as :func:`count_matrix` does, keeping each column's word ids instead of its strings.

    O(tokens) (see :func:`count_matrix`); the strings of the columns are made by the caller,
    for the columns it shows (:class:`_Names`). With `groups` (the row of each text: 0, 1, 2...
    in text order, the texts of a row consecutive, e.g. the sentences of each article) the
    matrix has one row per group, counted batch by batch (a batch holds whole groups), so no
    texts x terms matrix is made: the same matrix as summing the rows of each group after.
    """
    lo, hi = _check_range(ngram_range)
    if not isinstance(min_count, int | np.integer) or min_count < 1:
        raise ParameterError(f"min_count: {min_count!r}; use an integer >= 1")
    n_texts, size_of, texts_in = _text_source(texts)
    n_rows = n_texts if groups is None else (int(groups[-1]) + 1 if len(groups) else 0)
    enc = T.Encoder(**token_options)
    orders = list(range(lo, hi + 1))
    batches: list[tuple[int, np.ndarray, list]] = []  # (first text, tokens per text, per order)
    start = 0
    while start < n_texts:
        stop_at = start + 1
        budget = 6 * BATCH_TOKENS  # characters, about six per token
        size = size_of(start)
        while stop_at < n_texts and size + size_of(stop_at) <= budget:
            size += size_of(stop_at)
            stop_at += 1
        while groups is not None and stop_at < n_texts and groups[stop_at] == groups[stop_at - 1]:
            stop_at += 1  # a batch ends with a whole group
        raw_ids, lengths = enc.add_raw(texts_in(start, stop_at))
        if enc.n_terms >= _CODE_BASE and hi > 1:
            raise ParameterError(f"ngram_range: {ngram_range!r}; the texts have more than "
                                 f"{_CODE_BASE:,} distinct terms, too many for n-grams; count unigrams")
        _raws, raw_term, raw_stop, raw_number = enc.raw_forms()
        ids = raw_term.astype(np.int32)[raw_ids]
        stop, number = raw_stop[raw_ids], raw_number[raw_ids]  # per token, as tokenize flags it
        doc_of = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        first, n_local, rows = start, len(lengths), None
        if groups is not None:
            first = int(groups[start])
            n_local = int(groups[stop_at - 1]) - first + 1
            rows = (groups[start:stop_at] - first).astype(np.int32)[doc_of]
        per = [_order_batch(ids, doc_of, n, stop, None if keep_numbers else number, n_local, rows)
               for n in orders]
        del ids, doc_of, stop, number, raw_ids, rows
        batches.append((first, n_local, lengths, per))
        start = stop_at
    info = enc.finish()
    del enc  # its chunk dictionary (every distinct chunk, ~100 MB at 40,000 generated articles)
    release_memory()  # the batches' freed temporaries (tokens, factorize tables), before the columns are mapped
    col_maps, names, sizes, offset = [], [], [], 0
    for o, n in enumerate(orders):  # global columns: first occurrence over the batches
        local_uniques = [b[3][o][0] for b in batches]
        for b in batches:  # the batch's codes now live in local_uniques only
            b[3][o] = (len(b[3][o][0]), b[3][o][1])
        maps, guniq = _first_seen_codes(local_uniques)  # each batch's codes numbered over all batches
        del local_uniques
        total = np.zeros(len(guniq), dtype=np.int64)
        for b, local in zip(batches, maps, strict=True):
            total += np.bincount(local[b[3][o][1].indices], weights=b[3][o][1].data,
                                 minlength=len(guniq)).astype(np.int64)
        keep = np.flatnonzero(total >= min_count)
        new_col = np.full(len(guniq), -1, dtype=np.int64 if len(guniq) >= 2**31 else np.int32)
        new_col[keep] = offset + np.arange(len(keep))
        col_maps.append([new_col[m] for m in maps])
        del maps
        release_memory()  # the hash table of this order's codes
        names.append(_decode(guniq[keep], n) if n > 1 else guniq[keep].reshape(-1, 1))
        sizes.append(np.full(len(keep), n, dtype=np.int64))
        offset += len(keep)
    row_nnz = np.zeros(n_rows, dtype=np.int64)
    totals = np.zeros(n_rows, dtype=np.int64) if min_count > 1 else None  # every column's counts, dropped or not
    for k, (first, n_local, _, per) in enumerate(batches):
        for (_, mat), cmaps in zip(per, col_maps):
            rows = np.repeat(np.arange(n_local), np.diff(mat.indptr))
            row_nnz[first:first + n_local] += np.bincount(rows[cmaps[k][mat.indices] >= 0], minlength=n_local)
            if totals is not None:
                totals[first:first + n_local] += _row_sums(mat)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(row_nnz, out=indptr[1:])
    del row_nnz
    idx_type = np.int32 if max(offset, int(indptr[-1])) < 2**31 else np.int64
    indices = np.empty(int(indptr[-1]), dtype=idx_type)
    n_tokens = sum(int(b[2].sum()) for b in batches)  # no cell counts more than every token
    data = np.empty(int(indptr[-1]), dtype=np.int32 if n_tokens < 2**31 else np.int64)
    for k, (first, n_local, lengths, per) in enumerate(batches):
        rows, cols, vals = [], [], []
        for (_, mat), cmaps in zip(per, col_maps):
            r = np.repeat(np.arange(n_local), np.diff(mat.indptr))
            c = cmaps[k][mat.indices]
            ok = c >= 0
            rows.append(r[ok]), cols.append(c[ok]), vals.append(mat.data[ok])
        rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        order = np.lexsort((cols, rows))
        at = indptr[first]
        indices[at:at + len(order)] = cols[order]
        data[at:at + len(order)] = vals[order]
        batches[k] = (first, n_local, lengths, [])  # free the batch's counts
        del rows, cols, vals, order, per
        if k % 8 == 7:  # the freed batches given back as the matrix fills (they are in the heap, below mmap size)
            release_memory()
    matrix = sp.csr_matrix((data, indices, indptr), shape=(n_rows, offset))
    matrix.has_sorted_indices = True
    words = np.concatenate([b[2] for b in batches]) if batches else np.zeros(0, np.int64)
    return _Counted(matrix, names, info.terms, info.surfaces,
                    np.concatenate(sizes) if sizes else np.zeros(0, np.int64), words.astype(np.int64), totals)


def _first_seen_codes(parts: list) -> tuple[list, np.ndarray]:
    """Return each part's codes and the distinct values: ``pd.factorize`` of the parts' concatenation.

    The codes number the int64 values in first-seen order over all parts (each part's codes
    int32 when they fit). The parts are
    looked up one by one in one hash table of the values seen so far (pandas' Int64HashTable,
    the one ``pd.factorize`` uses), new values numbered in order, so neither the concatenation
    nor its int64 codes are made (at 40,000 generated articles the factorize of every batch's
    distinct bigrams was :func:`article_counts`' peak). Each part must hold distinct values
    (a batch's uniques). Without that table (another pandas), ``pd.factorize``. Emptied: the
    list's parts are dropped as they are numbered. O(total values).
    """
    try:
        from pandas._libs.hashtable import Int64HashTable

        table = Int64HashTable()
    except (ImportError, AttributeError):  # pragma: no cover - pandas without it
        table = None
    if table is None or not hasattr(table, "lookup") or not hasattr(table, "map_keys_to_values"):
        sizes = [len(p) for p in parts]  # pragma: no cover
        codes, uniques = pd.factorize(np.concatenate(parts) if parts else np.zeros(0, np.int64))  # pragma: no cover
        parts.clear()  # pragma: no cover
        codes = _narrow_codes(codes)  # pragma: no cover
        return list(np.split(codes, np.cumsum(sizes)[:-1])) if sizes else [], np.asarray(uniques)  # pragma: no cover
    codes, new_values, n = [], [], 0
    for i in range(len(parts)):
        values = np.ascontiguousarray(parts[i], dtype=np.int64)
        parts[i] = None
        at = np.asarray(table.lookup(values), dtype=np.int64)
        new = at < 0
        k = int(new.sum())
        if k:
            ids = np.arange(n, n + k, dtype=np.int64)
            fresh = values[new]
            table.map_keys_to_values(fresh, ids)
            at[new] = ids
            new_values.append(fresh)
            n += k
        codes.append(at.astype(np.int32) if n < 2**31 else at)  # (codes of earlier parts are below n)
    del table
    return codes, (np.concatenate(new_values) if new_values else np.zeros(0, np.int64))


def _row_sums(m: sp.csr_matrix) -> np.ndarray:
    """Exact int64 sum of each row of a csr matrix (integer data; scipy's sum in int64), O(non-zero cells)."""
    return np.asarray(m.sum(axis=1, dtype=np.int64)).ravel()


def _text_source(texts):
    """Return ``(number of texts, length of text i, texts[a:b] as a list)`` for :func:`_count`'s batches.

    A ``str`` column without missing values (a sentence table's text) is read batch by batch:
    its lengths come from Arrow and each batch's Python strings are made when the batch is
    encoded, so the corpus's text is never one list of Python strings (77 MB at 10,000
    generated articles, 378,770 sentences). Anything else is made a list first, as before.
    O(texts) for the lengths.
    """
    if isinstance(texts, pd.Series) and isinstance(texts.dtype, pd.StringDtype) and not texts.isna().any():
        sizes = texts.str.len().to_numpy(dtype=np.int64)  # code points, as len() counts them
        return len(texts), lambda i: int(sizes[i]), lambda a, b: texts.iloc[a:b].tolist()
    texts = texts if isinstance(texts, list) else list(texts)
    return len(texts), lambda i: len(texts[i]), lambda a, b: texts[a:b]


class _Names:
    """The display form of each column of a :class:`_Counted`, each made when first asked for.

    ``names[idx]`` is ``count_matrix(...).surfaces[idx]``; a keyness table tests a fraction
    of the n-grams counted with ``min_count=1``, so the strings of the rest are never joined.
    O(columns asked for) per call.
    """

    def __init__(self, counted: _Counted, columns: np.ndarray | None = None):
        self._parts = counted.parts
        self._surfaces = counted.word_surfaces
        self._starts = np.cumsum([0] + [len(p) for p in counted.parts])
        self._columns = columns  # the counted columns these names are of (None: all)
        n = self._starts[-1] if columns is None else len(columns)
        self._made = np.empty(n, dtype=object)
        self._done = np.zeros(n, dtype=bool)

    def __len__(self) -> int:
        return len(self._made)

    def take(self, columns: np.ndarray) -> _Names:
        """Return the names of `columns` (indices into this object) as another lazy :class:`_Names`."""
        out = _Names.__new__(_Names)
        out._parts, out._surfaces, out._starts = self._parts, self._surfaces, self._starts
        out._columns = columns if self._columns is None else self._columns[columns]
        out._made = self._made[columns]
        out._done = self._done[columns]
        return out

    def __getitem__(self, idx) -> np.ndarray:
        idx = np.asarray(idx, dtype=np.int64)
        need = np.unique(idx[~self._done[idx]])
        if len(need):
            cols = need if self._columns is None else self._columns[need]
            order = np.searchsorted(self._starts, cols, side="right") - 1
            for o, parts in enumerate(self._parts):
                mine = np.flatnonzero(order == o)
                if len(mine):
                    self._made[need[mine]] = _join(self._surfaces, parts[cols[mine] - self._starts[o]])
            self._done[need] = True
        return self._made[idx]


def token_options(stopwords="english", extra_stopwords=(), stem=False, phrases=None) -> dict:
    """Build :func:`analysis.tokens.tokenize` options from notebook-style parameters.

    Parameters
    ----------
    stopwords : str, iterable of str or None, default "english"
        A shipped list, your own words, or None / "none".
    extra_stopwords : iterable of str, default ()
        Words added to the list.
    stem : bool, default False
        Porter stemming.
    phrases : dict or list, optional
        Alias list (see :func:`analysis.tokens.tokenize`).

    Returns
    -------
    dict
        ``stopwords, stem, phrases`` for :func:`analysis.tokens.tokenize`.

    Examples
    --------
    >>> sorted(token_options("none", ["said"])["stopwords"])
    ['said']
    """
    stop = None if stopwords in (None, "none") else stopwords
    if extra_stopwords:
        from analysis.resources import stopwords as shipped

        stop = set(shipped(stop) if isinstance(stop, str) else (stop or ())) | set(extra_stopwords)
    return {"stopwords": stop, "stem": stem, "phrases": phrases}


class ArticleCounts(NamedTuple):
    """Counts of every term per article, with article metadata: what term_counts and keyness are built from.

    Made by :func:`article_counts`; pass it to :func:`term_counts` and
    :func:`analysis.terms.keyness` (``counted=``) so that the corpus is tokenised and
    counted once for both.
    """

    matrix: sp.csr_matrix  # articles x terms
    articles: pd.DataFrame  # article_id, outlet, words (word_counts order)
    terms: _Names  # display forms, made when asked for (terms[idx])
    ngram: np.ndarray
    options: tuple  # how the terms were counted: (ngram_range, keep_numbers, token options)
    min_count: int = 1  # terms occurring fewer times in the corpus have no column
    totals: np.ndarray | None = None  # int64 occurrences per article of every term, columns or not (None: row sums)
    groups: tuple | None = None  # group_counts: (by, names, counts, docs, words, totals) and no matrix (None)


_Corpus = ArticleCounts


def _options_key(ngram_range, keep_numbers, options) -> tuple:
    lo, hi = _check_range(ngram_range)
    stop = options.get("stopwords")
    stop = stop if stop is None or isinstance(stop, str) else tuple(sorted(map(str, stop)))
    return ((lo, hi), bool(keep_numbers), stop, bool(options.get("stem")), repr(options.get("phrases")))


def _article_counts(sentences, ngram_range, min_count, keep_numbers, options, by=S.OUTLET) -> ArticleCounts:
    """Count terms per article (O(tokens)); ``articles`` gets the `by` label of each article.

    When each article's sentences are consecutive, the batches of :func:`_count` are summed
    into article rows as they are counted (``groups``): no sentences x terms matrix, the same
    article x terms matrix (tested); otherwise the sentence rows are added up after.
    """
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT, by], table="sentences")
    if sentences.empty:
        raise ParameterError("sentences: the table is empty (no articles selected?)")
    article, ids = pd.factorize(sentences[S.ARTICLE_ID], sort=False)
    # each article's sentences consecutive (a prepared corpus): counted per article batch by batch
    grouped = bool(len(article)) and article[0] == 0 and bool((np.diff(article) >= 0).all())
    counted = _count(sentences[S.SENTENCE_TEXT], ngram_range, min_count, keep_numbers, options,
                     groups=article if grouped else None)  # the text read batch by batch (_text_source)
    if options.get("phrases"):  # joined names change the token count: count words apart
        words = T.word_counts(sentences)
    else:  # same tokens as word_counts (stopwords and stemming do not change the count)
        words = _article_words(sentences, article, ids, counted.words)
    if grouped and len(words) != len(ids):  # an article under two outlets: count by sentence, then add up
        grouped = False
        counted = _count(sentences[S.SENTENCE_TEXT], ngram_range, min_count, keep_numbers, options)
    matrix = counted.matrix
    if not grouped:
        row = pd.Index(words[S.ARTICLE_ID]).get_indexer(sentences[S.ARTICLE_ID])
        pick = sp.csr_matrix((np.ones(len(row), dtype=np.int64), (row, np.arange(len(row)))),
                             shape=(len(words), len(row)))
        matrix = (pick @ matrix).tocsr()
        totals = None if counted.totals is None else pick @ counted.totals
    else:
        totals = counted.totals
    out = ArticleCounts(matrix, words, _Names(counted), counted.ngram, _options_key(ngram_range, keep_numbers, options),
                        int(min_count), totals)
    return _labelled(out, sentences, by)


def _article_words(sentences: pd.DataFrame, article: np.ndarray, ids: pd.Index, words: np.ndarray) -> pd.DataFrame:
    """Words per (article, outlet) in first-seen order: ``article_id, outlet, words``, summed from each sentence's.

    `article` and `ids` are ``pd.factorize(sentences.article_id)``. The same table as
    ``groupby([article_id, outlet], sort=False).sum()`` (tested), grouped on integer codes:
    the groupby on the two columns made a Python string per sentence of each (at 40,000
    generated articles, 1.5 million sentences, the peak of :func:`article_counts`, +690 MB
    over its result). O(sentences); memory a few integer arrays per sentence. A missing
    article id or outlet takes pandas' grouping (which leaves its sentences out).
    """
    outlet, outlets = pd.factorize(sentences[S.OUTLET], sort=False)
    if (article < 0).any() or (outlet < 0).any():
        per = pd.DataFrame({S.ARTICLE_ID: sentences[S.ARTICLE_ID].to_numpy(),
                            S.OUTLET: sentences[S.OUTLET].to_numpy(), T.WORDS: words})
        out = per.groupby([S.ARTICLE_ID, S.OUTLET], sort=False)[T.WORDS].sum().reset_index()
        return out.astype({T.WORDS: "int64"})
    pair, first = pd.factorize(article.astype(np.int64) * max(len(outlets), 1) + outlet, sort=False)
    total = np.zeros(len(first), dtype=np.int64)
    np.add.at(total, pair, np.asarray(words, dtype=np.int64))
    n = max(len(outlets), 1)
    return pd.DataFrame({S.ARTICLE_ID: ids.take(first // n).to_numpy(), S.OUTLET: outlets.take(first % n).to_numpy(),
                         T.WORDS: total})


def _labelled(corpus: ArticleCounts, sentences: pd.DataFrame, by: str) -> ArticleCounts:
    """`corpus` with the `by` label of each article (its first sentence's) in ``articles``."""
    if by == S.OUTLET or by in corpus.articles.columns:
        return corpus
    label = sentences.groupby(S.ARTICLE_ID, sort=False)[by].first()
    words = corpus.articles.assign(**{by: label.reindex(corpus.articles[S.ARTICLE_ID]).to_numpy()})
    return corpus._replace(articles=words)


def _given_counts(counted, sentences, ngram_range, min_count, keep_numbers, options, by=S.OUTLET,
                  need: int | None = None) -> ArticleCounts:
    """Return `counted` checked against the call's options and `sentences`, cut to `min_count`; or a new count.

    `need` (default `min_count`): the call reads only terms occurring at least this often, so a
    `counted` cut at a higher ``min_count`` is refused (it lacks terms the call reads).
    """
    if counted is None:
        return _article_counts(sentences, ngram_range, min_count, keep_numbers, options, by=by)
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT, by], table="sentences")
    if not isinstance(counted, ArticleCounts):
        raise ParameterError(f"counted: {type(counted).__name__}; pass what article_counts returns, or None")
    want = _options_key(ngram_range, keep_numbers, options)
    if counted.options != want:
        raise ParameterError(f"counted: counted with {counted.options}, but this call asks for {want} "
                             "(ngram_range, keep_numbers, stopwords, stem, phrases); count again with these")
    ids = sentences.groupby([S.ARTICLE_ID, S.OUTLET], sort=False).size().index.get_level_values(0)  # as counted
    if len(ids) != len(counted.articles) or not (ids.to_numpy(dtype=object)
                                                 == counted.articles[S.ARTICLE_ID].to_numpy(dtype=object)).all():
        raise ParameterError("counted: its articles are not those of `sentences` (counted on another selection?)")
    need = min_count if need is None else need
    if counted.min_count > need:
        raise ParameterError(f"counted: counted with min_count={counted.min_count}, but this call reads terms "
                             f"occurring {need} times; count again with min_count <= {need}")
    if min_count > counted.min_count and counted.groups is not None:  # summed into groups: cut their columns
        by_, names, counts, docs, words, totals = counted.groups
        keep = np.flatnonzero(np.asarray(counts.sum(axis=0, dtype=np.int64)).ravel() >= min_count)
        if len(keep) < counts.shape[1]:
            totals = _row_sums(counts) if totals is None else totals
            groups = (by_, names, counts[:, keep].tocsr(), docs[:, keep].tocsr(), words, totals)
            counted = counted._replace(terms=counted.terms.take(keep), ngram=counted.ngram[keep],
                                       min_count=int(min_count), groups=groups)
    elif min_count > counted.min_count:
        total = np.asarray(counted.matrix.sum(axis=0)).ravel()
        keep = np.flatnonzero(total >= min_count)
        if len(keep) < len(total):  # (every column kept: the matrix as it is, not a copy of it)
            totals = _row_sums(counted.matrix) if counted.totals is None else counted.totals
            counted = counted._replace(matrix=counted.matrix[:, keep].tocsr(), terms=counted.terms.take(keep),
                                       ngram=counted.ngram[keep], min_count=int(min_count), totals=totals)
    return _labelled(counted, sentences, by)


def article_counts(
    sentences: pd.DataFrame,
    *,
    ngram_range: Sequence[int] = (1, 1),
    keep_numbers: bool = True,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
    min_count: int = 1,
) -> ArticleCounts:
    """Count every term of every article once, for :func:`term_counts` and :func:`analysis.terms.keyness`.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``article_id, outlet, sentence_text``).
    ngram_range, keep_numbers, stopwords, extra_stopwords, stem, phrases
        As in :func:`term_counts`; the calls given the result must ask for the same.
    min_count : int, default 1
        Give a column only to terms occurring at least this often in the corpus. The tables
        stay the same as long as :func:`term_counts` and :func:`analysis.terms.keyness`
        are called with a ``min_count`` of at least this (a lower one is refused): the
        notebook counts with its ``min_count`` once, so the rare n-grams (at 10,000
        generated articles 91% of the columns and 24% of the cells) are never held.

    Returns
    -------
    ArticleCounts
        ``matrix`` (articles x terms, every term reaching `min_count`), ``articles`` (``article_id,
        outlet, words``, one row per article in first-seen order), ``terms`` (display
        forms, each made when first read), ``ngram``, ``options``, ``min_count`` and
        ``totals`` (occurrences per article of every term, with or without a column: the
        keyness prior's totals; None when `min_count` is 1, the matrix's row sums).

    Raises
    ------
    ParameterError
        For an empty table or bad options.

    Notes
    -----
    O(tokens) time; memory O(non-zero article-term cells), about 12 bytes each (the
    vocabulary's strings are made only for the terms a table shows), plus one batch of
    :data:`BATCH_TOKENS` tokens' arrays; when each article's sentences are consecutive (a
    prepared corpus) the batches are summed into article rows as they are counted, so no
    sentences x terms matrix is held (at 10,000 articles 7.1 million sentence cells against
    6.5 million article cells, and no product). Passing the result
    as ``counted=`` to :func:`term_counts` (which then keeps the terms reaching its
    ``min_count``) and :func:`analysis.terms.keyness` gives their tables byte for byte
    (tested) with one tokenisation instead of two. With `min_count` > 1 the columns below it
    are dropped while the batches are assembled (their cells never enter the matrix) and
    ``totals`` costs 8 bytes per article: O(tokens) time still, memory O(non-zero cells of
    the terms kept) plus O(kept terms) for their names.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                   "sentence_text": ["Cuba needs oil.", "Oil, oil."]})
    >>> c = article_counts(s)
    >>> c.matrix.toarray().tolist(), c.terms[[0, 1, 2]].tolist()
    ([[1, 1, 1], [0, 0, 2]], ['Cuba', 'needs', 'oil'])
    >>> term_counts(s, counted=c).equals(term_counts(s))
    True
    """
    return _article_counts(sentences, ngram_range, min_count, keep_numbers,
                           token_options(stopwords, extra_stopwords, stem, phrases))


def _group_codes(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group code of each article and the group names (sorted; a missing label is MISSING_GROUP)."""
    g, names = pd.factorize(pd.Series(labels, dtype=object).fillna(MISSING_GROUP).astype(str), sort=True)
    return g, np.asarray(names, dtype=object)


def _group(corpus: _Corpus, labels: np.ndarray) -> tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Sum article counts into groups: (names, counts G x V, doc freq G x V, words G), sparse.

    O(non-zero article-term cells); never a dense groups x terms array. Memory: the group
    matrices plus one byte per article-term cell (the presence matrix shares the article
    matrix's indices; a copy of that matrix was 12 bytes per cell, 74 MB at 10,000 articles).
    """
    g, names = _group_codes(labels)
    ind = sp.csr_matrix((np.ones(len(g), dtype=np.int64), (g, np.arange(len(g)))),
                        shape=(len(names), len(g)))
    counts = (ind @ corpus.matrix).tocsr()
    m = corpus.matrix  # 1 where an article has the term: the matrix's own indices, no copy of them
    present = sp.csr_matrix((np.ones(len(m.data), dtype=np.int8), m.indices, m.indptr), shape=m.shape)
    docs = (ind @ present).tocsr()  # int64 (ind's type): sums of int8 ones, not wrapped
    del present
    for m in (counts, docs):
        m.sort_indices()
    words = ind @ corpus.articles[T.WORDS].to_numpy()
    return names, counts, docs, words


def _grouped(corpus: ArticleCounts, by: str) -> tuple:
    """``(names, counts, docs, words, totals)`` of `corpus` summed by `by`: :func:`_group`'s, and the group totals.

    ``totals`` are the groups' occurrences of every term (None when `corpus` has no
    ``totals``: the counts' row sums). From :func:`group_counts`' groups when `corpus` has
    them (counts and docs widened back to int64: the same matrices), else summed here.
    O(non-zero article-term cells), or O(non-zero group-term cells) with groups.
    """
    if corpus.groups is not None:
        g_by, names, counts, docs, words, totals = corpus.groups
        if g_by != by:
            raise ParameterError(f"counted: summed by {g_by!r} (group_counts), but this call groups by {by!r}; "
                                 f"pass article_counts' result or group_counts(..., by={by!r})")
        wide = [sp.csr_matrix((m.data.astype(np.int64), m.indices, m.indptr), shape=m.shape) for m in (counts, docs)]
        for m, w in zip((counts, docs), wide, strict=True):  # the int64 values on the stored index arrays, not a copy
            w.indices, w.indptr, w.has_sorted_indices = m.indices, m.indptr, m.has_sorted_indices
        return names, wide[0], wide[1], words, totals
    labels = corpus.articles[by].to_numpy(dtype=object)
    names, counts, docs, words = _group(corpus, labels)
    totals = None
    if corpus.totals is not None:
        totals = np.zeros(len(names), dtype=np.int64)
        np.add.at(totals, _group_codes(labels)[0], corpus.totals)
    return names, counts, docs, words, totals


def group_counts(counted: ArticleCounts, *, by: str = S.OUTLET) -> ArticleCounts:
    """Sum :func:`article_counts`' article rows into groups, and drop the article rows.

    Parameters
    ----------
    counted : ArticleCounts
        What :func:`article_counts` returns.
    by : str, default "outlet"
        A column of ``counted.articles`` whose values are the groups.

    Returns
    -------
    ArticleCounts
        `counted` without its ``matrix`` (None), with ``groups``: the group names (sorted),
        the groups x terms counts and document frequencies, words and term totals per group.
        :func:`sorted_counts`, :func:`term_counts` (level "outlet") and
        :func:`analysis.terms.sorted_keyness` grouping by `by` give the same tables from it as
        from `counted` (tested); level "article" needs the article rows and refuses it.

    Raises
    ------
    ParameterError
        When `counted` is no :func:`article_counts` result or `by` is no column of its articles.

    Notes
    -----
    O(non-zero article-term cells) once, instead of once per table. Memory: the groups' cells
    (two int32 values and one int32 index each when they fit, about 12 bytes: at 40,000
    generated articles 7.6 million outlet-term cells against 44 million article-term cells,
    351 MB) in place of the article matrix, which the caller frees by dropping `counted`.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
    ...                   "sentence_text": ["Cuba needs oil.", "Oil, oil.", "Cuba talks."]})
    >>> g = group_counts(article_counts(s))
    >>> g.matrix is None, g.groups[2].toarray().tolist(), g.groups[3].toarray().tolist()
    (True, [[1, 1, 3, 0], [1, 0, 0, 1]], [[1, 1, 2, 0], [1, 0, 0, 1]])
    >>> term_counts(s, counted=g).equals(term_counts(s))
    True
    """
    if not isinstance(counted, ArticleCounts) or counted.matrix is None:
        raise ParameterError(f"counted: {type(counted).__name__}; pass what article_counts returns")
    if by not in counted.articles.columns:
        raise ParameterError(f"by: {by!r} is no column of the counted articles {list(counted.articles.columns)}")
    names, counts, docs, words, totals = _grouped(counted, by)
    narrow = []
    for m in (counts, docs):  # values of 0..total occurrences: int32 when they fit, widened again when read
        top = int(m.data.max()) if m.nnz else 0
        narrow.append(m.astype(np.int32) if top < 2**31 else m)
    if np.array_equal(narrow[0].indices, narrow[1].indices) and np.array_equal(narrow[0].indptr, narrow[1].indptr):
        narrow[1].indices, narrow[1].indptr = narrow[0].indices, narrow[0].indptr  # the same cells: shared
    return counted._replace(matrix=None, totals=None, groups=(by, names, narrow[0], narrow[1], words, totals))


def term_counts(
    sentences: pd.DataFrame,
    *,
    level: str = "outlet",
    ngram_range: Sequence[int] = (1, 1),
    min_count: int = 1,
    keep_numbers: bool = True,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
    counted: ArticleCounts | None = None,
) -> pd.DataFrame:
    """Count every term per outlet (or per article): raw, per 1,000 words, document frequency.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``article_id, outlet, sentence_text``).
    level : {"outlet", "article"}, default "outlet"
        One row per (outlet, term) or per (article, term).
    ngram_range : (int, int), default (1, 1)
        Term sizes, within 1..3; n-grams stay within sentences.
    min_count : int, default 1
        Drop terms with fewer occurrences in the whole corpus.
    keep_numbers, stopwords, stem, phrases
        As in :func:`count_matrix` / :func:`analysis.tokens.tokenize`.
    extra_stopwords : iterable of str, default ()
        Words added to the stopword list.
    counted : ArticleCounts, optional
        :func:`article_counts` of the same `sentences` with the same options, shared with
        :func:`analysis.terms.keyness` so the corpus is tokenised once; the same table.

    Returns
    -------
    pandas.DataFrame
        One row per group and term occurring in it: ``outlet, term, ngram, count, per_1k,
        doc_freq`` (articles of the outlet containing it) - with ``article_id`` first and
        ``doc_freq`` counted over the corpus at level "article". Sorted by group, then
        count descending, then term.

    Notes
    -----
    O(tokens) to count (nothing with `counted`; then O(non-zero article-term cells) to keep
    the terms reaching `min_count`, nothing copied when `counted` was made with this
    `min_count`), O(rows log rows) to sort, where rows are the non-zero
    group-term (or article-term) cells: the counts stay sparse, never a dense groups x terms
    array. Only the kept terms' display strings are made; the document frequencies are the
    group presence matrix's values read in place (O(rows); it has the counts' cells) rather
    than looked up cell by cell. Memory: the table (one string per
    row in Arrow, each distinct term converted once) plus a few integer arrays per row to
    sort it; the rows are sorted as integer keys and each column made once in that order
    (at 10,000 articles, 1.9 million rows: about 130 MB for the table).

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
    ...                   "sentence_text": ["Cuba needs oil.", "Oil, oil.", "Cuba talks."]})
    >>> term_counts(s).values.tolist()
    [['X', 'oil', 1, 3, 600.0, 2], ['X', 'Cuba', 1, 1, 200.0, 1], ['X', 'needs', 1, 1, 200.0, 1], \
['Y', 'Cuba', 1, 1, 500.0, 1], ['Y', 'talks', 1, 1, 500.0, 1]]
    """
    if level not in ("outlet", "article"):
        raise ParameterError(f"level: {level!r}; use 'outlet' or 'article'")
    corpus = _given_counts(counted, sentences, ngram_range, min_count, keep_numbers,
                           token_options(stopwords, extra_stopwords, stem, phrases))
    if level == "outlet":
        return SortedCounts(corpus).table()
    if corpus.matrix is None:
        raise ParameterError("counted: summed into groups (group_counts); level 'article' needs article_counts' result")
    counts = corpus.matrix.sorted_indices().tocoo()
    g, v, c = counts.row, counts.col, counts.data
    d = np.bincount(v, minlength=counts.shape[1])[v]
    del counts
    words = corpus.articles[T.WORDS].to_numpy()
    keys = {S.ARTICLE_ID: corpus.articles[S.ARTICLE_ID].to_numpy(),
            S.OUTLET: corpus.articles[S.OUTLET].to_numpy()}
    # sorted by integer keys (ranks of the group and term strings, count descending, stably), then
    # each column taken once in that order: the table is made once, not made, sorted and copied
    used, term = np.unique(v, return_inverse=True)
    shown = corpus.terms[used]  # display forms of the terms shown, each made once
    first = next(iter(keys))
    order = np.lexsort((_rank(shown)[term], -c, _rank(keys[first])[g]))
    g, term, c, d = g[order], term[order], c[order], d[order]
    del order
    lead = {k: (_strings(a, g) if k == S.OUTLET and first == S.OUTLET else a[g]) for k, a in keys.items()}
    out = pd.DataFrame({**lead, TERM: _strings(shown, term)})
    for name, column in ((NGRAM, lambda: corpus.ngram[used][term]), (COUNT, lambda: c),
                         (PER_1K, lambda: _per_1k_rows(c, words, g)), (DOC_FREQ, lambda: d)):
        out[name] = column()  # one by one: no consolidated copy of the numeric columns
    return out.astype({COUNT: "int64", DOC_FREQ: "int64", NGRAM: "int64"}).reset_index(drop=True)


def sorted_counts(
    sentences: pd.DataFrame,
    *,
    ngram_range: Sequence[int] = (1, 1),
    min_count: int = 1,
    keep_numbers: bool = True,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
    counted: ArticleCounts | None = None,
) -> SortedCounts:
    """Count as :func:`term_counts` does per outlet, and hold the table as arrays in its row order.

    Parameters
    ----------
    sentences, ngram_range, min_count, keep_numbers, stopwords, extra_stopwords, stem, phrases, counted
        As in :func:`term_counts`.

    Returns
    -------
    SortedCounts
        :meth:`SortedCounts.parts` gives ``term_counts(...)`` (level "outlet") a block of rows
        at a time, for :func:`analysis.corpus.save_table_parts`; :meth:`SortedCounts.rows` the
        rows a page shows, from which :func:`tf_idf` gives what it gives on the whole table;
        :meth:`SortedCounts.table` the whole table (tested equal).

    Notes
    -----
    Cost as :func:`term_counts`. Memory: about 14 bytes per row (group, term, count and
    document frequency codes, int32 or smaller), where the table is about 70 (at 40,000
    generated articles, 7.6 million rows: 520 MB).

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
    ...                   "sentence_text": ["Cuba needs oil.", "Oil, oil.", "Cuba talks."]})
    >>> c = sorted_counts(s)
    >>> len(c), [len(p) for p in c.parts(rows=2)], c.rows(1).index.tolist()
    (5, [2, 2, 1], [0, 3])
    """
    corpus = _given_counts(counted, sentences, ngram_range, min_count, keep_numbers,
                           token_options(stopwords, extra_stopwords, stem, phrases))
    return SortedCounts(corpus)


class SortedCounts:
    """The per-outlet term counts table held as arrays in its row order (made by :func:`sorted_counts`).

    Rows sorted by integer keys (the ranks of the outlet and term strings, count descending,
    stably); the outlet and term strings are taken from their vocabularies and ``per_1k``
    computed only for the rows asked for.

    Notes
    -----
    Memory: about 14 bytes per row; :meth:`parts` and :meth:`rows` make only the rows they give.
    """

    def __init__(self, corpus: ArticleCounts):
        names, counts, docs, words, _ = _grouped(corpus, S.OUTLET)
        if np.array_equal(counts.indptr, docs.indptr) and np.array_equal(counts.indices, docs.indices):
            d = docs.data  # the same cells in the same order (positive counts): no lookup of each cell
        else:
            d = None
        counts = counts.tocoo()
        g, v, c = counts.row, counts.col, counts.data
        if d is None:
            d = np.asarray(docs[g, v]).ravel()
        del counts, docs  # (g, v, c are its arrays; the coo object would keep them after they are sorted)
        c, d = _narrow_codes(c), _narrow_codes(d)  # int32 when they fit: half the bytes through the sort
        # sorted by integer keys (ranks of the group and term strings, count descending, stably), then
        # each column taken once in that order: the table is made once, not made, sorted and copied
        used, term = np.unique(v, return_inverse=True)
        del v
        term = _narrow_codes(term)
        self._names, self._words = names, words
        shown = corpus.terms[used]  # display forms of the terms shown, each made once
        self._ngram = np.asarray(corpus.ngram)[used]
        top = int(c.max()) if len(c) else 0
        order = _packed_order(_narrow_codes(_rank(shown))[term], top - c,  # count descending
                              _narrow_codes(_rank(names))[g])
        self._shown = pd.Series(np.asarray(shown, dtype=object), dtype="str")  # Arrow strings, converted once
        del shown
        self._g = g[order].astype(np.int32 if len(names) < 2**31 else np.int64)
        del g
        self._term = _narrow_codes(term[order])
        del term
        self._c = _narrow_codes(c[order])
        del c
        self._d = _narrow_codes(d[order])
        del d, order
        starts = np.flatnonzero(np.r_[True, self._g[1:] != self._g[:-1]]) if len(self._g) else np.zeros(0, np.int64)
        self._runs = list(zip(starts.tolist(), np.r_[starts[1:], len(self._g)].astype(np.int64).tolist(), strict=True))

    def __len__(self) -> int:
        return len(self._g)

    def _frame(self, at) -> pd.DataFrame:
        """Make the table's rows `at` (a slice or sorted positions), indexed by position."""
        g, term, c = self._g[at], self._term[at], self._c[at].astype(np.int64)
        out = pd.DataFrame({S.OUTLET: _strings(self._names, g),
                            TERM: self._shown.take(term).reset_index(drop=True)})  # as _strings(shown, term)
        for name, column in ((NGRAM, lambda: self._ngram[term].astype(np.int64)), (COUNT, lambda: c),
                             (PER_1K, lambda: _per_1k_rows(c, self._words, g)),
                             (DOC_FREQ, lambda: self._d[at].astype(np.int64))):
            out[name] = column()  # one by one: no consolidated copy of the numeric columns
        if isinstance(at, slice):
            out.index = pd.RangeIndex(*at.indices(len(self))[:2])
        else:
            out.index = pd.Index(np.asarray(at, dtype=np.int64))
        return out

    def table(self) -> pd.DataFrame:
        """Return the whole table: :func:`term_counts` at level "outlet"."""
        return self._frame(slice(0, len(self)))

    def parts(self, rows: int | None = None) -> Iterator[pd.DataFrame]:
        """Give the table `rows` rows at a time, in order (at least one part).

        For :func:`analysis.corpus.save_table_parts`; by default a part is a sixteenth of a Parquet
        row group (:data:`PART_ROWS`), which the save gathers into its row groups a column at a
        time (the same file); freed memory is given back after each row group's worth of parts
        (:func:`analysis.kernel.release_memory`). O(rows); memory: one part (about 5 MB for
        65,536 rows) and the save's row group.
        """
        from analysis.kernel import release_memory

        rows = rows or PART_ROWS
        n = len(self)
        for k, a in enumerate(range(0, max(n, 1), rows)):
            yield self._frame(slice(a, min(a + rows, n)))
            if (k + 1) * rows % _RELEASE_ROWS < rows:  # about once per row group: parts saved, given back
                release_memory()

    def count_sums(self) -> pd.DataFrame:
        """Return each outlet's ``count`` summed over its rows (``outlet, count``), in table order.

        What ``plots.terms.top_terms`` ranks the outlets by (its `count_sums`). O(rows).
        """
        return pd.DataFrame({S.OUTLET: _strings(self._names, self._g[[s for s, _ in self._runs]]),
                             COUNT: np.array([int(self._c[s:e].sum(dtype=np.int64)) for s, e in self._runs],
                                             dtype=np.int64)})

    def rows(self, keep: int, *, tf_idf_top: int | None = None) -> pd.DataFrame:
        """Return the rows a page shows, indexed by their position in the table.

        Each outlet's first `keep` rows (its most frequent terms: ``groupby(outlet).head(n)`` and
        ``plots.terms.top_terms`` for ``n <= keep``, the latter with :meth:`count_sums`), and
        with `tf_idf_top` the rows :func:`tf_idf` can keep with ``top=tf_idf_top`` and every row
        of their terms, so that ``tf_idf(rows, top=tf_idf_top)`` is ``tf_idf`` of the whole
        table (tested). O(rows).
        """
        picked = [np.arange(s, min(s + max(int(keep), 0), e)) for s, e in self._runs]
        if tf_idf_top is not None and len(self):
            code = np.repeat(np.arange(len(self._runs)), [e - s for s, e in self._runs])  # outlet codes, sorted
            per_1k = _per_1k_rows(self._c, self._words, self._g)
            cand = _top_candidates(per_1k, code, len(self._runs), int(np.ceil(tf_idf_top)))
            del per_1k, code
            picked.append(np.flatnonzero(np.isin(self._term, np.unique(self._term[cand]))))
        at = np.unique(np.concatenate(picked)) if picked else np.zeros(0, np.int64)
        return self._frame(at)


def _packed_order(*keys: np.ndarray) -> np.ndarray:
    """Return ``np.lexsort(keys)`` (the last key first) for non-negative integer keys: one packed key sorted.

    When the keys' bits add up to at most 63 they are packed into one int64 (the last key in
    the highest bits), whose stable argsort is the lexsort's order (tested): one key array
    and the order instead of a key array per key (at 40,000 generated articles, 7.6 million
    counts rows, the counts table's sort was its step's peak, +730 MB over the memory before
    it). Otherwise ``np.lexsort``. O(n log n).
    """
    widths = [int(k.max()).bit_length() if len(k) else 0 for k in keys]
    if sum(widths) > 63 or any(len(k) and int(k.min()) < 0 for k in keys):
        return np.lexsort(keys)
    if not keys:
        return np.zeros(0, dtype=np.int64)
    packed = keys[-1].astype(np.int64)  # the first key of the order in the highest bits
    for k, w in zip(keys[-2::-1], widths[-2::-1], strict=True):
        packed <<= w
        packed |= k  # in place: no shifted copy of each key
    return np.argsort(packed, kind="stable")


def _narrow_codes(values: np.ndarray) -> np.ndarray:
    """Non-negative integers as int32 when they fit (indexing and arithmetic give the same values)."""
    return values.astype(np.int32) if not len(values) or int(values.max()) < 2**31 else values


def _rank(strings: np.ndarray) -> np.ndarray:
    """Rank of each of `strings` in sorted (code point) order; equal strings get the same rank.

    O(n log n) string comparisons.
    """
    return np.unique(np.asarray(strings, dtype=object), return_inverse=True)[1].astype(np.int64)


def _strings(vocabulary: np.ndarray, codes: np.ndarray) -> pd.Series:
    """Return ``vocabulary[codes]`` as a ``str`` column, each distinct string converted once."""
    return pd.Series(np.asarray(vocabulary, dtype=object), dtype="str").take(codes).reset_index(drop=True)


def _per_1k_rows(count: np.ndarray, words: np.ndarray, group: np.ndarray) -> np.ndarray:
    """``_per_1k(count, words[group])`` computed in blocks of :data:`_PER_1K_ROWS` rows: the same floats.

    The whole-column form held half a dozen float temporaries per row at once (at 40,000
    generated articles, 7.6 million rows of the counts table: ~60 MB each). O(rows).
    """
    out = np.empty(len(count), dtype=float)
    for a in range(0, len(count), _PER_1K_ROWS):
        out[a:a + _PER_1K_ROWS] = _per_1k(count[a:a + _PER_1K_ROWS], words[group[a:a + _PER_1K_ROWS]])
    return out


_PER_1K_ROWS = 1 << 18  # rows per block of _per_1k_rows
# rows per part of SortedCounts.parts and SortedKeyness.parts: a sixteenth of a Parquet row group
# (analysis.corpus.files.PARQUET_ROW_GROUP), which save_table_parts gathers a column at a time. At 10,000
# generated articles (/tmp/terms/s33/save_probe.py) the keyness save peaked +392 MB over the memory before
# it with parts of a whole row group (a 134 MB part made, converted and copied into its row group), +290
# with these; the counts save +197 and +151; the same bytes
PART_ROWS = 1 << 16
_RELEASE_ROWS = 1 << 20  # parts give freed memory back about every this many rows


def _per_1k(count, words):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.round(np.where(words > 0, 1000.0 * count / np.maximum(words, 1), np.nan), 6)


def smoothed_idf(n_docs, df):
    """Return scikit-learn's smoothed idf, ``ln((1 + n_docs) / (1 + df)) + 1``.

    Parameters
    ----------
    n_docs : int
        Documents in the collection.
    df : array-like of int
        Documents containing each term.

    Returns
    -------
    numpy.ndarray
        One idf per term; a term in every document gets 1, never 0.

    Examples
    --------
    >>> smoothed_idf(2, [1, 2]).round(4).tolist()
    [1.4055, 1.0]
    """
    return np.log((1 + n_docs) / (1 + np.asarray(df, dtype=float))) + 1.0


def tf_idf(counts: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """Score each term of each document (article or outlet) by TF-IDF.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`term_counts` at either level; the documents are its first column
        (``article_id`` at level "article", ``outlet`` at level "outlet").
    top : int, optional
        Keep the `top` highest-scoring terms per document.

    Returns
    -------
    pandas.DataFrame
        One row per document and term: the input columns plus ``idf`` and ``tf_idf``, sorted
        by document, then ``tf_idf`` descending, then term.

    Notes
    -----
    ``tf`` is the rate per 1,000 words (``per_1k``), ``idf = ln((1 + N) / (1 + df)) + 1``
    with N documents and df documents containing the term (scikit-learn's smoothed idf), so a
    term in every document still scores > 0. With five documents idf takes five values:
    it separates "only here" from "everywhere", nothing finer.

    Cost: with `top`, O(rows) (at 40,000 generated articles, 7.6 million rows: 6.8 CPU s
    before, when every row's term was factorised in sorted order and every row sorted):
    each row gets bounds of its score (idf lies between 1 and its value for df = 1), the
    smallest lower bound among the first `top` rows of each document is at most that
    document's `top`-th score, and only the rows whose upper bound reaches it can be kept
    (with :func:`term_counts`' order, count descending, a few hundred per outlet). Their
    terms' document frequencies are counted over the rows of those terms only (one hash
    lookup per row), and the candidates are sorted; the result is that of sorting every row
    (tested). Without `top`, O(rows log rows) on integer codes (every row is sorted). Memory:
    a few arrays per row; only the kept rows are taken from the table.

    Examples
    --------
    >>> c = pd.DataFrame({"outlet": ["X", "X", "Y"], "term": ["oil", "cuba", "cuba"],
    ...                   "per_1k": [10.0, 10.0, 10.0]})
    >>> tf_idf(c)[["outlet", "term", "tf_idf"]].round(3).values.tolist()
    [['X', 'oil', 14.055], ['X', 'cuba', 10.0], ['Y', 'cuba', 10.0]]
    """
    doc = counts.columns[0]
    S.check_columns(counts, [doc, TERM, PER_1K], table="counts")
    key = [doc, TERM] if doc == S.OUTLET else [doc, TERM, NGRAM]
    d_code, d_names = pd.factorize(counts[doc], sort=True)  # codes are ranks in the column's sort order
    if (d_code < 0).any() or counts[TERM].isna().any():  # a missing document or term: pandas' rules for them
        return _tf_idf_table(counts, doc, key, counts[doc].nunique(), top)
    n_docs = len(d_names)
    if top is None:
        rows = np.arange(len(counts))
    else:
        rows = _top_candidates(counts[PER_1K].to_numpy(dtype=float), d_code, n_docs, int(np.ceil(top)))
        rows = _rows_of_terms(counts[TERM], rows) if len(rows) else rows
    # documents per term by integer codes (over every row of each term in `rows`), scores as arrays
    terms = counts[TERM] if len(rows) == len(counts) else counts[TERM].take(rows)
    t_code, t_names = pd.factorize(terms, sort=True)
    d_code = d_code[rows]
    cells = pd.unique(t_code.astype(np.int64) * n_docs + d_code)  # distinct (term, document) cells
    df = np.bincount(cells // max(n_docs, 1), minlength=len(t_names))[t_code]
    idf = smoothed_idf(n_docs, df)
    score = np.round(counts[PER_1K].to_numpy(dtype=float)[rows] * idf, 6)
    order = np.lexsort((t_code, -score, d_code))
    if top is not None:
        within = _within(d_code[order])
        order = order[within < top]
    out = counts.take(rows[order]).assign(**{IDF: idf[order], TF_IDF: score[order]})
    return out.reset_index(drop=True).drop(columns=[c for c in key if c not in out.columns])


def _rows_of_terms(terms: pd.Series, rows: np.ndarray) -> np.ndarray:
    """Every row of `terms` holding one of the terms at `rows`, ascending.

    O(len(terms)): one hash lookup per row in the set of the few terms at `rows` (pyarrow's
    ``is_in`` on an Arrow-backed column, whose values pandas would turn into Python strings).
    """
    if isinstance(terms.dtype, pd.StringDtype) and terms.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        column = pa.array(terms.array)
        mask = pc.is_in(column, value_set=pc.unique(column.take(pa.array(rows))))
        return np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    return np.flatnonzero(terms.isin(terms.take(rows).unique()))


def _top_candidates(per_1k: np.ndarray, d_code: np.ndarray, n_docs: int, top: int) -> np.ndarray:
    """Rows that can be among the `top` highest TF-IDF scores of their document (a superset), ascending.

    A row's score ``round(per_1k * idf, 6)`` lies between its values at idf = 1 and at the
    largest idf (df = 1). The first `top` rows of a document (in table order) have `top`
    scores, so the smallest of their lower bounds is at most the document's `top`-th score:
    a row whose upper bound stays below it cannot be kept. A missing rate sorts last (lower
    bound -inf); a margin of 2e-5 covers rounding. O(rows): a stable radix sort of small
    document codes, then a few passes over the rows; O(documents x top) for the bounds.
    """
    if top <= 0 or not len(per_1k):
        return np.zeros(0, dtype=np.int64)
    hi_idf = float(smoothed_idf(n_docs, 1))  # the lowest idf, of a term in every document, is 1.0
    high = per_1k * hi_idf
    low = per_1k
    if (per_1k < 0).any():  # a negative rate: the larger idf gives the lower score
        low, high = np.fmin(per_1k, high), np.fmax(per_1k, high)
    size = np.bincount(d_code, minlength=n_docs)
    start = np.cumsum(size) - size
    by_doc = np.argsort(d_code.astype(np.int16) if n_docs < 2**15 else d_code, kind="stable")
    k = min(top, int(size.max()))
    at = start[:, None] + np.arange(k)  # the first k rows of each document, in table order
    inside = np.arange(k) < size[:, None]
    first = np.where(inside, low[by_doc[np.where(inside, at, 0)]], np.inf)
    floor = np.where(np.isnan(first), -np.inf, first).min(axis=1)  # fewer rows than `top`: all of them pass
    floor -= 2e-5 + 1e-9 * np.abs(floor)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(~(high < floor[d_code]))  # a missing upper bound is kept


def _tf_idf_table(counts: pd.DataFrame, doc: str, key: list, n_docs: int, top: int | None) -> pd.DataFrame:
    """:func:`tf_idf` with pandas' grouping and sorting (missing documents or terms)."""
    df = counts.groupby(TERM, sort=False)[doc].transform("nunique")
    out = counts.assign(**{IDF: smoothed_idf(n_docs, df.to_numpy())})
    out[TF_IDF] = (out[PER_1K] * out[IDF]).round(6)
    out = out.sort_values([doc, TF_IDF, TERM], ascending=[True, False, True], kind="stable")
    if top is not None:
        out = out.groupby(doc, sort=False).head(top)
    return out.reset_index(drop=True).drop(columns=[c for c in key if c not in out.columns])
