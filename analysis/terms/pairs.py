"""Collocations of a corpus of any size: integer pair counts folded chunk by chunk, then scored.

:func:`analysis.terms.collocation_counts` writes one row of strings per outlet and word pair
(its table is what :func:`analysis.terms.collocations` scores); on a large corpus that table,
and the string groupby that adds the chunks' tables up, are the terms notebook's largest
memory. Here the same counts stay integers until the end:

- :func:`collocation_codes` is the per-article step: a chunk of sentences in, its pair, word
  and surface-form counts out as sorted integer keys into the chunk's own vocabularies
  (:class:`PairCodes`);
- :class:`PairTotals` is the combining step: it maps each chunk's vocabularies onto global
  ones and adds its keys into sorted key/count arrays (12 bytes per distinct outlet-pair),
  and scores the sum (:meth:`PairTotals.collocations`) with the strings made only for the
  rows shown;
- :func:`collocation_table` runs both, in chunks of articles here or as tasks on a Dask
  cluster (:func:`analysis.corpus.map_ordered`), and gives the table the notebook built from
  ``per_article(collocation_counts)`` and :func:`~analysis.terms.collocations`, byte for byte.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis import tokens as T
from analysis.errors import ParameterError
from analysis.terms.columns import COUNT, FIRST, MEASURE, SCORE, SECOND, TERM, UNIT
from analysis.terms.context import _encoded_counts, collocation_counts
from analysis.terms.distinctive import g2_test

_BITS = 21  # a pair key packs (outlet, first, second) ids of 21 bits each into one int64
_BASE = 1 << _BITS
_MASK = _BASE - 1
MEASURES = ("likelihood", "pmi")


class PairCodes(NamedTuple):
    """One chunk's collocation counts as integer codes into the chunk's own vocabularies.

    ``pairs``: outlet, first and second word ids and counts of each distinct pair of adjacent
    kept words of one sentence; ``words``: outlet, word id and count; ``forms``: word id,
    surface id and count (over all outlets). ``terms``, ``outlets`` and ``surfaces`` are the
    strings of the ids (object arrays, each string once). The rows are the non-empty rows of
    :func:`analysis.terms.collocation_counts` on the same sentences, with the ids in place of
    the strings.
    """

    terms: np.ndarray
    outlets: np.ndarray
    surfaces: np.ndarray
    pairs: tuple  # (outlet, first, second, count)
    words: tuple  # (outlet, term, count)
    forms: tuple  # (term, surface, count)


def collocation_codes(sentences: pd.DataFrame, *, tokenize: dict | None = None) -> PairCodes:
    """Count what :func:`analysis.terms.collocations` scores, by integer codes: a per-article step.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id, article_id, outlet, start, sentence_text``).
    tokenize : dict, optional
        Options of :func:`analysis.tokens.tokenize`, as for
        :func:`analysis.terms.collocation_counts`.

    Returns
    -------
    PairCodes
        The counts of :func:`analysis.terms.collocation_counts` on `sentences` (the same
        rows), each string column as integer ids into the chunk's vocabularies; counts of
        different chunks add up (:class:`PairTotals`).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": "a", "outlet": "X",
    ...     "start": [0], "sentence_text": ["Oil supplies to Cuba"]})
    >>> c = collocation_codes(s)
    >>> c.terms[c.pairs[1]].tolist(), c.terms[c.pairs[2]].tolist(), c.pairs[3].tolist()
    (['oil', 'supplies'], ['supplies', 'cuba'], [1, 1])

    Notes
    -----
    O(tokens) to encode, as :func:`analysis.terms.collocation_counts`; the strings are the
    chunk's vocabulary (each distinct word, outlet and surface once), never one string per
    row. Sentences of a table whose outlet is missing, or that hold an underscore of their
    own while alias phrases are joined, are counted through
    :func:`analysis.terms.collocation_counts`' string table and encoded from it.
    """
    options = dict(tokenize or {})
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    texts = sentences[S.SENTENCE_TEXT].tolist()
    own = False
    if options.get("phrases"):
        own = any(T.PHRASE_JOINER in t for t in texts)
    if own or sentences[S.OUTLET].isna().any():
        return _codes_of_table(collocation_counts(sentences, tokenize=options))
    terms, outlets, raws, raw_term, pairs, words, forms, n = _encoded_counts(sentences, options)
    surface, surfaces = pd.factorize(pd.Series(raws, dtype=object), sort=False)
    (pair_keys, pair_n), (word_keys, word_n), (form_keys, form_n) = pairs, words, forms
    # forms: raw ids -> (term id, surface id); two raw forms with one surface string add up
    f_key = raw_term[form_keys].astype(np.int64) * max(len(surfaces), 1) + surface[form_keys]
    f_key, f_n = _summed(f_key, form_n)
    return PairCodes(np.asarray(terms, dtype=object), np.asarray(outlets, dtype=object),
                     np.asarray(surfaces, dtype=object),
                     (pair_keys // (n * n), pair_keys // n % n, pair_keys % n, pair_n.astype(np.int64)),
                     (word_keys // n, word_keys % n, word_n.astype(np.int64)),
                     (f_key // max(len(surfaces), 1), f_key % max(len(surfaces), 1), f_n))


def _summed(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct `keys` and the sum of `counts` of each. O(n log n)."""
    uniq, inverse = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inverse, weights=counts, minlength=len(uniq)).astype(np.int64)


def _codes_of_table(table: pd.DataFrame) -> PairCodes:
    """:class:`PairCodes` of a :func:`analysis.terms.collocation_counts` table (its strings factorised)."""
    unit = table[UNIT].to_numpy(dtype=object)
    first, first_of = pd.factorize(table[FIRST].to_numpy(dtype=object), sort=False)
    second = table[SECOND].to_numpy(dtype=object)
    outlet, outlets = pd.factorize(table[S.OUTLET].to_numpy(dtype=object), sort=False)
    count = table[COUNT].to_numpy(dtype=np.int64)
    terms = pd.Index(first_of, dtype=object)
    p, w, f = unit == "pair", unit == "word", unit == "form"
    # a pair's second word is a word of the same outlet, hence in `first` too
    second_id = terms.get_indexer(second[p])
    surface, surfaces = pd.factorize(second[f], sort=False)
    return PairCodes(np.asarray(first_of, dtype=object), np.asarray(outlets, dtype=object),
                     np.asarray(surfaces, dtype=object),
                     (outlet[p].astype(np.int64), first[p].astype(np.int64), second_id.astype(np.int64), count[p]),
                     (outlet[w].astype(np.int64), first[w].astype(np.int64), count[w]),
                     (first[f].astype(np.int64), surface.astype(np.int64), count[f]))


class _Vocabulary:
    """Strings to global ids in first-seen order (a dict), and the strings of the ids."""

    def __init__(self):
        self.ids: dict = {}

    def map(self, strings: np.ndarray) -> np.ndarray:
        """Global ids of `strings` (object array), new strings numbered from the end. O(len(strings))."""
        ids = self.ids
        return np.fromiter((ids.setdefault(s, len(ids)) for s in strings), dtype=np.int64, count=len(strings))

    def strings(self) -> np.ndarray:
        return np.array(list(self.ids), dtype=object) if self.ids else np.zeros(0, dtype=object)

    def __len__(self) -> int:
        return len(self.ids)


def _merge(keys: np.ndarray, counts: np.ndarray, new_keys: np.ndarray, new_counts: np.ndarray):
    """Add sorted distinct `new_keys` into sorted distinct `keys` (counts summed). O(len(keys) + new log keys)."""
    at = np.searchsorted(keys, new_keys)
    hit = at < len(keys)
    hit[hit] = keys[at[hit]] == new_keys[hit]
    counts[at[hit]] += new_counts[hit]
    miss = ~hit
    return np.insert(keys, at[miss], new_keys[miss]), np.insert(counts, at[miss], new_counts[miss])


_SCORE_ROWS = 1 << 18  # pairs per block of PairTotals.collocations' scores
_BUCKET_SHIFT = _BITS + 16  # a bucket of pair keys: one outlet's pairs whose first word id has the same 2**16s


def _bucket(keys: np.ndarray) -> np.ndarray:
    """Bucket of each pair key: ``key >> _BUCKET_SHIFT``, the outlet and the first word id's high bits.

    Buckets are ranges of keys, so sorted keys are in bucket order and the buckets' arrays
    concatenated in bucket order are sorted.
    """
    return keys >> _BUCKET_SHIFT


def _top_of_runs(score: np.ndarray, run: np.ndarray, top) -> np.ndarray:
    """Positions (ascending) of the rows that can be among the `top` highest `score` of their run.

    `run` is non-decreasing (each outlet's pairs consecutive). A run of more than `top` rows
    keeps the rows whose score reaches its `top`-th largest (ties kept), so whatever breaks
    the ties, its first `top` rows by score descending are among them. With a NaN score or a
    `top` that is no positive integer every row is kept (the caller's full sort decides).
    O(rows): one ``np.partition`` per run.
    """
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top <= 0 or np.isnan(score).any():
        return np.arange(len(score))
    starts = np.flatnonzero(np.r_[True, run[1:] != run[:-1]]) if len(run) else np.zeros(0, np.int64)
    keep = np.zeros(len(score), dtype=bool)
    for s, e in zip(starts, np.r_[starts[1:], len(run)].astype(np.int64)):
        if e - s <= top:
            keep[s:e] = True
            continue
        part = score[s:e]
        keep[s:e] = part >= np.partition(part, e - s - top)[e - s - top]
    return np.flatnonzero(keep)


def _rank(strings: np.ndarray) -> np.ndarray:
    """Rank of each of distinct `strings` in sorted (code point) order."""
    order = np.argsort(strings, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


class PairTotals:
    """Pair, word and surface-form counts of many chunks added up by integer keys: the combining step.

    ``add`` one :class:`PairCodes` after another (any chunking of whole articles gives the
    same totals), then :meth:`collocations` scores them as :func:`analysis.terms.collocations`
    scores the summed string table.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": "X",
    ...     "start": [0, 0], "sentence_text": ["Oil supplies fell", "Oil supplies rose"]})
    >>> totals = PairTotals()
    >>> for chunk in (s.iloc[:1], s.iloc[1:]):
    ...     _ = totals.add(collocation_codes(chunk))
    >>> totals.collocations(measure="pmi")[["term", "count", "count_first"]].values.tolist()
    [['Oil supplies', 2, 2]]

    Notes
    -----
    Memory: 12 bytes per distinct (outlet, pair) (an int64 key, an int32 count while fewer than
    2**31 pairs are added), 16 per (outlet, word) and (word, surface), plus
    the global vocabularies (each distinct word and surface string once). The pairs are kept in
    sorted arrays per outlet and range of 65,536 first word ids (:func:`_bucket`), each merged on
    its own, so adding a chunk holds one bucket twice, not every pair. Adding a chunk is O(distinct keys so
    far) (one sorted insert per bucket it touches) plus O(chunk keys log keys). Word ids and
    outlets must stay below 2,097,152 each (a ParameterError says so).
    """

    def __init__(self):
        self._terms, self._outlets, self._surfaces = _Vocabulary(), _Vocabulary(), _Vocabulary()
        empty = np.zeros(0, dtype=np.int64)
        self._pairs: dict[int, tuple] = {}  # bucket (_bucket) -> sorted distinct keys and their int32 counts
        self._kept: tuple | None = None  # after drop_below: (min_freq, keys, counts) of the pairs kept
        self._added, self._count_type = 0, np.int32  # pair occurrences added; int64 counts once they reach 2**31
        self._words = (empty.copy(), empty.copy())
        self._forms = (empty.copy(), empty.copy())

    def add(self, codes: PairCodes) -> PairTotals:
        """Add one chunk's counts (in place); returns self."""
        if self._kept is not None:
            raise ParameterError("collocations: pairs were dropped (drop_below); add every chunk before")
        t = self._terms.map(codes.terms)
        o = self._outlets.map(codes.outlets)
        s = self._surfaces.map(codes.surfaces)
        if len(self._terms) > _BASE or len(self._outlets) > _BASE or len(self._surfaces) > 1 << 31:
            raise ParameterError(f"collocations: {len(self._terms):,} distinct words and {len(self._outlets):,} "
                                 f"outlets; pair counts hold fewer than {_BASE:,} of each")
        po, p1, p2, pn = codes.pairs
        wo, wt, wn = codes.words
        ft, fs, fn = codes.forms
        self._add_pairs(((o[po] << _BITS) + t[p1] << _BITS) + t[p2], pn)
        for name, key, n in (("_words", (o[wo] << _BITS) + t[wt], wn),
                             ("_forms", (t[ft] << 31) + s[fs], fn)):
            order = np.argsort(key, kind="stable")
            setattr(self, name, _merge(*getattr(self, name), key[order], np.asarray(n, dtype=np.int64)[order]))
        return self

    def _add_pairs(self, key: np.ndarray, n) -> None:
        """Merge a chunk's distinct pair keys into their buckets, one bucket at a time.

        A bucket's old arrays are dropped from ``self._pairs`` before its merged arrays are
        made, so the merge holds the other buckets, and one bucket twice: with every pair in
        one pair of arrays, the merge held them all twice (at 40,000 generated articles it was
        the terms kernel's collocations peak, +1,232 MB). O(bucket sizes + chunk log chunk).
        """
        order = np.argsort(key, kind="stable")  # keys sorted are in bucket order (buckets are key ranges)
        key, n = key[order], np.asarray(n, dtype=np.int64)[order]
        self._added += int(n.sum())
        if self._added >= 2**31 and self._count_type is np.int32:  # a pair could reach 2**31: int64 from now on
            self._count_type = np.int64
            self._pairs = {k: (keys, counts.astype(np.int64)) for k, (keys, counts) in self._pairs.items()}
        n = n.astype(self._count_type)  # int32 while all pairs added count fewer than 2**31: 12 bytes a pair, not 16
        bucket = _bucket(key)
        bounds = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1], True]) if len(key) else np.zeros(1, np.int64)
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=self._count_type))
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            k = int(bucket[a])
            old = self._pairs.pop(k, empty)
            self._pairs[k] = _merge(*old, key[a:b], n[a:b])
            del old

    def drop_below(self, min_freq: int) -> PairTotals:
        """Forget the pairs counted fewer than `min_freq` times (in place, after the last :meth:`add`); returns self.

        :meth:`collocations` with this `min_freq` or a higher one gives the same table as
        before (a lower one, or another :meth:`add`, raises ParameterError). The kept pairs
        are copied bucket by bucket into one sorted pair of arrays, each bucket dropped once
        copied, so the pairs are never held twice (at 40,000 generated articles the
        concatenation beside the buckets was the collocations' peak); most distinct pairs
        are seen once. O(pairs); memory: the kept pairs (12 bytes each).
        """
        from analysis.kernel import release_memory

        if self._kept is not None:
            if min_freq < self._kept[0]:
                raise ParameterError(f"min_freq: {min_freq}; the pairs below {self._kept[0]} were dropped")
            return self
        n = sum(int(np.count_nonzero(c >= min_freq)) for _, c in self._pairs.values())
        keys, counts = np.empty(n, dtype=np.int64), np.empty(n, dtype=self._count_type)
        at = 0
        for i, k in enumerate(sorted(self._pairs)):  # bucket order is key order
            bucket_keys, bucket_counts = self._pairs.pop(k)
            keep = bucket_counts >= min_freq
            m = int(np.count_nonzero(keep))
            keys[at:at + m], counts[at:at + m] = bucket_keys[keep], bucket_counts[keep]
            at += m
            del bucket_keys, bucket_counts, keep
            if i % 256 == 255:  # the buckets copied so far, given back (each is below the heap's mmap size)
                release_memory()
        self._kept = (min_freq, keys, counts)
        release_memory()
        return self

    def _pair_counts(self, min_freq) -> tuple[np.ndarray, np.ndarray]:
        """Keys and counts of the pairs counted at least `min_freq` times, sorted (buckets in key order)."""
        if self._kept is not None:
            floor, keys, counts = self._kept
            if min_freq < floor:
                raise ParameterError(f"min_freq: {min_freq}; the pairs below {floor} were dropped (drop_below)")
            if min_freq == floor:
                return keys, counts
            return keys[counts >= min_freq], counts[counts >= min_freq]
        parts = [(keys[counts >= min_freq], counts[counts >= min_freq])
                 for keys, counts in (self._pairs[k] for k in sorted(self._pairs))]
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=self._count_type)
        return np.concatenate([k for k, _ in parts]), np.concatenate([c for _, c in parts])

    def collocations(self, *, measure: str = "likelihood", min_freq: int = 2, top: int = 10) -> pd.DataFrame:
        """Score the summed counts: :func:`analysis.terms.collocations` of the summed table.

        Parameters
        ----------
        measure : {"likelihood", "pmi"}, default "likelihood"
            As in :func:`analysis.terms.collocations`.
        min_freq : int, default 2
            Keep pairs seen at least this often in the outlet.
        top : int, default 10
            Pairs per outlet.

        Returns
        -------
        pandas.DataFrame
            One row per outlet and pair: ``outlet, term, count, count_first, count_second,
            score, measure``, the same table (values, types, order) as
            :func:`analysis.terms.collocations` on the summed
            :func:`analysis.terms.collocation_counts`.

        Notes
        -----
        O(pairs reaching `min_freq`) to score, in blocks of :data:`_SCORE_ROWS` pairs (one
        block's temporaries; the same floats), and O(pairs) to keep in each outlet only the pairs
        whose score reaches its `top`-th largest (:func:`_top_of_runs`, ties kept); only those
        are ordered, O(c log c) for c of them (ties broken by the words' ranks, O(vocabulary log
        vocabulary) string comparisons). Memory: the keys and one score per pair, not a dozen
        floats per pair (the same table, tested). Term strings are made only for the `top` rows
        of each outlet. Both measures assume
        independent tokens (see :func:`analysis.terms.collocations`).
        """
        if measure not in MEASURES:
            raise ParameterError(f"measure: {measure!r}; use one of {list(MEASURES)}")
        keys, counts = self._pair_counts(min_freq)  # sorted: each outlet's pairs are one run
        word_keys, word_n = self._words
        total = np.bincount(word_keys >> _BITS, weights=word_n, minlength=len(self._outlets))
        score = np.empty(len(keys))
        for a in range(0, len(keys), _SCORE_ROWS):  # in blocks: the temporaries (a dozen in g2_test) of one block
            b = a + _SCORE_ROWS
            score[a:b] = self._scored(keys[a:b], counts[a:b], total, measure)[0]
        cand = _top_of_runs(score, keys >> 2 * _BITS, top)  # each outlet's rows that can be among its `top`
        keys, score = keys[cand], score[cand]
        _, n_ab, n_a, n_b = self._scored(keys, counts[cand], total, measure)
        del counts, cand
        outlet, w1, w2 = keys >> 2 * _BITS, keys >> _BITS & _MASK, keys & _MASK
        terms, outlets = self._terms.strings(), self._outlets.strings()
        t_rank, o_rank = _rank(terms), _rank(outlets)
        order = np.lexsort((t_rank[w2], t_rank[w1], -score, o_rank[outlet]))
        group = o_rank[outlet[order]]
        start = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1] if len(order) else np.zeros(0, np.int64)
        within = np.arange(len(order)) - np.repeat(start, np.diff(np.r_[start, len(order)]))
        rows = order[within < top]
        shown = self._shown(terms)
        out = pd.DataFrame({
            S.OUTLET: pd.Series(outlets[outlet[rows]], dtype="str"),
            COUNT: n_ab[rows].astype("int64"),
            "count_first": n_a[rows].astype("int64"), "count_second": n_b[rows].astype("int64"),
            SCORE: np.round(score[rows], 6), MEASURE: pd.Series([measure] * len(rows), dtype="str"),
        })
        out[TERM] = [f"{shown[a]} {shown[b]}" for a, b in zip(w1[rows], w2[rows], strict=True)]
        out = out.sort_values([S.OUTLET, SCORE, TERM], ascending=[True, False, True], kind="stable")
        cols = [S.OUTLET, TERM, COUNT, "count_first", "count_second", SCORE, MEASURE]
        return out[cols].reset_index(drop=True)

    def _scored(self, keys: np.ndarray, n: np.ndarray, total: np.ndarray, measure: str):
        """``(score, n_ab, n_a, n_b)`` of pair `keys` counted `n` times (floats); elementwise, so blocks agree."""
        n_ab = n.astype(float)
        outlet, w1, w2 = keys >> 2 * _BITS, keys >> _BITS & _MASK, keys & _MASK
        word_keys, word_n = self._words
        n_a = word_n[np.searchsorted(word_keys, (outlet << _BITS) + w1)].astype(float)
        n_b = word_n[np.searchsorted(word_keys, (outlet << _BITS) + w2)].astype(float)
        n_all = total[outlet]
        if measure == "likelihood":
            score = g2_test(n_ab, n_b - n_ab, n_a, n_all - n_a)[0]
        else:
            score = np.log2(n_ab * n_all) - np.log2(n_a * n_b)
        return score, n_ab, n_a, n_b

    def _shown(self, terms: np.ndarray) -> np.ndarray:
        """Display form of each word id: its most frequent surface, ties to the first in code point order."""
        keys, counts = self._forms
        surfaces = self._surfaces.strings()
        term, surface = keys >> 31, keys & ((1 << 31) - 1)
        order = np.lexsort((_rank(surfaces)[surface], -counts, term))
        first = order[np.r_[True, term[order][1:] != term[order][:-1]]] if len(order) else order
        shown = terms.copy()
        shown[term[first]] = [s.replace("\n", " ") for s in surfaces[surface[first]]]
        return shown


def _codes_of_chunk(options: dict, chunk: list[pd.DataFrame]) -> PairCodes:
    return collocation_codes(chunk[0], tokenize=options)


def collocation_table(sentences: pd.DataFrame, *, tokenize: dict | None = None,
                      measures: Sequence[str] = MEASURES, min_freq: int = 2, top: int = 10,
                      client=None, chunk_articles: int = 0) -> pd.DataFrame:
    """Each outlet's top collocations by each measure, counted chunk by chunk as integers.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id, article_id, outlet, start, sentence_text``).
    tokenize : dict, optional
        Options of :func:`analysis.tokens.tokenize` (``stopwords``, ``stem``, ``phrases``...).
    measures : sequence of {"likelihood", "pmi"}, default both
        One block of rows per measure, in this order.
    min_freq, top
        As in :func:`analysis.terms.collocations`.
    client : distributed.Client, optional
        Count the chunks as tasks on this Dask cluster; they are added up here.
    chunk_articles : int, default 0
        Articles per chunk; 0 as :func:`analysis.partition.per_article` picks it (1,000 here).

    Returns
    -------
    pandas.DataFrame
        The :func:`analysis.terms.collocations` tables of each measure, concatenated with a
        fresh index: the table of ``pd.concat([collocations(per_article(collocation_counts,
        ...), measure=m, top=top) for m in measures])`` (tested equal), one row per
        measure, outlet and pair.

    Raises
    ------
    ParameterError
        For an unknown measure or a bad chunk size.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": "X",
    ...     "start": [0, 0], "sentence_text": ["Oil supplies fell", "Oil supplies rose"]})
    >>> collocation_table(s, chunk_articles=1)[["term", "count", "measure"]].values.tolist()
    [['Oil supplies', 2, 'likelihood'], ['Oil supplies', 2, 'pmi']]

    Notes
    -----
    Time O(tokens) to count, as the string path, without its groupby of four string
    columns per fold. Memory: one chunk's tokens (:data:`analysis.partition.LOCAL_CHUNK`
    articles) plus :class:`PairTotals`' 12 bytes per distinct outlet-pair and 16 per outlet-word
    and word-surface, instead of a row of strings for each; the pairs seen fewer than
    `min_freq` times are dropped before the scores (:meth:`PairTotals.drop_below`), so the
    scores' arrays are made for the kept pairs beside those alone. Measured against the string path
    (``python bench/terms.py --collocations CORPUS:PREPARED``, fresh processes, peak over
    the opened corpus; identical tables): 4,142 abp-2013 articles +212 against +517 MB,
    4.7 against 9.7 CPU s; 10,000 articles (the year and generated ones) +384 against
    +1,288 MB, 18.9 against 43.6 CPU s.
    """
    from analysis import partition
    from analysis.corpus import map_ordered

    for m in measures:
        if m not in MEASURES:
            raise ParameterError(f"measures: {m!r}; use any of {list(MEASURES)}")
    if isinstance(chunk_articles, bool) or not isinstance(chunk_articles, int) or chunk_articles < 0:
        raise ParameterError(f"chunk_articles {chunk_articles!r}: expected 0 (the default size) or a "
                             "number of articles, 1 or more")
    size = chunk_articles or (partition._chunk_for(client, sentences) if client is not None
                              else partition.LOCAL_CHUNK)
    run = functools.partial(_codes_of_chunk, dict(tokenize or {}))
    parts = map_ordered(run, partition.article_chunks([sentences], size), client=client)
    parts = partition._with_progress(parts, -(-sentences[S.ARTICLE_ID].nunique() // size), "collocations")
    totals = PairTotals()
    for codes in parts:
        totals.add(codes)
    del parts
    totals.drop_below(min_freq)  # every measure reads the same pairs: the rarer ones freed before scoring
    tables = [totals.collocations(measure=m, min_freq=min_freq, top=top) for m in measures]
    return pd.concat(tables, ignore_index=True)


__all__ = ["MEASURES", "PairCodes", "PairTotals", "collocation_codes", "collocation_table"]
