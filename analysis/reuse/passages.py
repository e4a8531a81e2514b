"""Shingles and shared passages: which article pairs share word n-grams, and where."""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import ParameterError, SchemaError
from analysis.reuse.columns import (
    _HASH_BASE,
    _WORD_RE,
    ARTICLE_A,
    ARTICLE_B,
    END_A,
    END_B,
    MAX_DF,
    MIN_SHARED,
    N_WORDS,
    NGRAM,
    PASSAGE_COLUMNS,
    SHINGLE,
    START_A,
    START_B,
    TEXT_A,
    TEXT_B,
    _first_seen,
    _sorted_unique,
)

_PAIR_KEYS = 2_000_000  # (article, article) keys of shared shingles made at once in candidate_pairs (16 MB)
_SPLIT_RE = re.compile("(" + _WORD_RE.pattern + ")")  # split keeps the words: gap, word, gap, ..., gap


def _words(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return the folded words of `text` with their start and end offsets.

    One :meth:`re.Pattern.split` with the word pattern captured gives the gaps and the words
    alternately, so the offsets are the running sum of their lengths: the words and spans of
    ``_WORD_RE.finditer``, without a match object per word (1.7x faster on abp-2013). O(text).
    """
    parts = _SPLIT_RE.split(fold_for_matching(text))  # folding lower-cases (lower() is idempotent)
    ends = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
    return parts[1::2], ends[0:-1:2].copy(), ends[1::2].copy()


def _shingles(ids: np.ndarray, n: int) -> np.ndarray:
    """Return one 64-bit rolling hash per word n-gram of a word-id sequence."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(len(ids) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _HASH_BASE + ids[k:len(ids) - n + 1 + k].astype(np.uint64)
    return h


def _word_hashes(flat: list[str]) -> np.ndarray:
    """Return ``pandas.util.hash_array`` of the words (uint64), each distinct word hashed once.

    ``hash_array`` of an object array factorizes it in pandas and hashes the distinct values;
    here Arrow's dictionary encoding numbers the words (about 2x faster than pandas' factorize
    of Python strings) and ``hash_array(..., categorize=False)`` hashes each distinct word: the
    same values, which depend on a word's letters only. O(words).
    """
    if not flat:
        return np.zeros(0, dtype=np.uint64)
    codes, distinct = _first_seen(flat)
    return pd.util.hash_array(np.asarray(distinct, dtype=object), categorize=False)[codes]


SHINGLE_COLUMNS = (S.ARTICLE_ID, S.START, S.END, SHINGLE)


def shingle_table(articles: pd.DataFrame, *, n: int = NGRAM) -> pd.DataFrame:
    """Return every word of every article with the hash of the shingle it starts: a per-article step.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).
    n : int, default :data:`NGRAM`
        Words per shingle.

    Returns
    -------
    pandas.DataFrame
        One row per word, in article and text order: ``article_id`` (dictionary-encoded
        Arrow text), ``start``, ``end``
        (int32 offsets of the word in ``text``) and ``shingle``, the 64-bit hash of the `n` words
        starting there (0 for an article's last ``n - 1`` words, which start none). Words are
        folded (:func:`analysis.clean.fold_for_matching`) and hashed by their letters
        (:func:`pandas.util.hash_array`), so an article's rows depend on that article alone
        and :func:`analysis.partition.per_article` can shingle a corpus in chunks or on a
        cluster; :func:`shared_passages` takes the table whole.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a"], "text": ["Talks resume next week"]})
    >>> t = shingle_table(a, n=3)
    >>> t[["start", "end"]].values.tolist(), (t["shingle"] > 0).tolist()
    ([[0, 5], [6, 12], [13, 17], [18, 22]], [True, True, False, False])

    Notes
    -----
    O(words): one regex pass per article, one vectorised hash of the distinct words and one
    rolling hash over the chunk's words (the n-grams that cross into the next article set to
    0); 20 bytes a word: the id dictionary-encoded (Arrow ``dictionary<int32, string>``: 4
    bytes a word and each id once, where Arrow text took some 24 bytes a word, most of the
    table), offsets as int32, the hash as uint64. :func:`analysis.partition.per_article`'s
    chunks concatenate into one column of several dictionaries, which compares, factorizes
    and converts (``astype(str)``) as text does.
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    _check_params(n)
    sizes, starts, ends, h = _shingle_arrays(articles[S.TEXT].astype(str).tolist(), n)
    codes, ids = pd.factorize(articles[S.ARTICLE_ID].astype(str).to_numpy(dtype=object))
    article = pa.DictionaryArray.from_arrays(pa.array(np.repeat(codes.astype(np.int32), sizes), type=pa.int32()),
                                             pa.array(list(ids), type=pa.string()))
    return pd.DataFrame({S.ARTICLE_ID: pd.arrays.ArrowExtensionArray(article),
                         S.START: starts, S.END: ends, SHINGLE: h})


def _shingle_arrays(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return each text's word count (int64) and, per word of all texts in a row, its start and end (int32) and shingle.

    The arrays of :func:`shingle_table` without the article column: the hash of the `n`
    words starting at a word (uint64), 0 for a text's last ``n - 1`` words. O(words).
    """
    words = [_words(text) for text in texts]
    sizes = np.array([len(toks) for toks, _, _ in words], dtype=np.int64)
    word_hash = _word_hashes([t for toks, _, _ in words for t in toks])
    h = np.zeros(len(word_hash), dtype=np.uint64)
    sh = _shingles(word_hash, n)  # every n words of the chunk in a row; those crossing into the next article ...
    ends = np.repeat(np.cumsum(sizes), sizes)[:len(sh)]
    h[:len(sh)] = np.where(np.arange(len(sh)) + n <= ends, sh, 0)  # ... are 0, as the last n - 1 words of each
    del sh, ends
    starts = np.concatenate([np.zeros(0, np.int64), *(w[1] for w in words)]).astype(np.int32)
    ends = np.concatenate([np.zeros(0, np.int64), *(w[2] for w in words)]).astype(np.int32)
    return sizes, starts, ends, h


def _article_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return a code per row of an ``article_id`` column and the distinct ids as text (codes index them).

    For shingle_table's dictionary-encoded column the codes come from each Arrow chunk's
    indices through its small dictionary (no string per row is read or compared); for any
    other column, or one with missing ids, ``pd.factorize(column.astype(str))`` (a missing id a
    code of its own). The same
    row-to-id mapping either way; only the numbering of the ids may differ. O(rows).
    """
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(dtype.pyarrow_dtype) and not column.hasnans:
        chunks = [c for c in pa.chunked_array(column.array.__arrow_array__()).chunks if len(c)]
        if chunks:
            words = np.concatenate([c.dictionary.to_numpy(zero_copy_only=False).astype(str).astype(object)
                                    for c in chunks])
            glob, names = pd.factorize(words)
            luts = np.split(glob.astype(np.int64), np.cumsum([len(c.dictionary) for c in chunks])[:-1])
            codes = np.concatenate([lut[c.indices.to_numpy(zero_copy_only=False)] for lut, c in zip(luts, chunks)])
            return codes, pd.Index(names, dtype=object).astype(str)
    codes, names = pd.factorize(column.astype(str), use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64), pd.Index(names).astype(str)


def _index(articles: pd.DataFrame, shingles: pd.DataFrame, n: int):
    """Return (word bounds per article, word starts, word ends, shingle hashes per article).

    `shingles` is :func:`shingle_table` of `articles`, in any article order; the result
    follows `articles`. A table already in the articles' order (the notebook's: per_article
    keeps it) is read in place: the offsets (int32, as the table holds them) and hashes are
    views of its columns, not sorted copies. O(words); memory one int64 per word (the
    words' article numbers) while it runs, plus sorted copies only for a table in another order.
    """
    ids = articles[S.ARTICLE_ID].astype(str)
    # the ids of the words' articles, one per word: factorized (Arrow's dictionary encoding,
    # no Python string per word), then the few distinct ids looked up in the articles table
    word_codes, names = _article_codes(shingles[S.ARTICLE_ID])
    codes = pd.Index(ids).get_indexer(names)[word_codes]
    del word_codes
    if (codes < 0).any():
        bad = shingles[S.ARTICLE_ID].iloc[int(np.flatnonzero(codes < 0)[0])]
        raise SchemaError(f"shingles table has article_id {bad!r}, which is not in the articles table; "
                          "pass shingle_table(articles) of the same articles")
    counts = np.bincount(codes, minlength=len(ids))
    bounds = np.r_[0, np.cumsum(counts)]
    starts, ends = shingles[S.START].to_numpy(), shingles[S.END].to_numpy()
    h = shingles[SHINGLE].to_numpy(dtype=np.uint64)
    if len(codes) and (codes[1:] < codes[:-1]).any():  # not in the articles' order: sort (else read in place)
        order = np.argsort(codes, kind="stable")
        starts, ends, h = starts[order], ends[order], h[order]
        del order
    del codes
    hashes = [h[bounds[k]:bounds[k] + max(0, counts[k] - n + 1)] for k in range(len(ids))]
    return bounds, starts, ends, hashes


_CHUNK = 500  # articles tokenised and hashed at a time by shared_passages when it makes the shingles


def _chunk(texts: pd.Series, lo: int) -> list[str]:
    """Return the texts ``lo`` to ``lo + _CHUNK`` as Python strings (``astype(str)``, as for the whole column)."""
    return texts.iloc[lo:lo + _CHUNK].astype(str).tolist()


def _cut(texts: pd.Series, art: np.ndarray, start: np.ndarray, end: np.ndarray):
    """Return ``text[start:end]`` of text ``art`` for each entry, reading the texts :data:`_CHUNK` at a time.

    The same strings as slicing ``texts.astype(str).tolist()``, as the text column a
    DataFrame makes of that list (``str``: Arrow ``large_string``), without holding every
    text, or every slice, as a Python string at once: the entries are grouped by chunk of
    texts (one stable sort), each chunk read once and its slices turned into Arrow text at
    once; the chunks' Arrow arrays are then put back in entry order (``take``).
    O(entries log entries + the chunks' text); memory the slices' text about twice, in Arrow.
    """
    if not len(art):
        return []  # (an empty list: the DataFrame's empty column stays as before, object)
    order = np.argsort(art, kind="stable")
    bounds = np.searchsorted(art[order], np.arange(0, len(texts) + _CHUNK, _CHUNK))
    parts = [pa.array([], type=pa.large_string())]
    for c, lo in enumerate(range(0, len(texts), _CHUNK)):
        at = order[bounds[c]:bounds[c + 1]]
        if not len(at):
            continue
        chunk = _chunk(texts, lo)
        parts.append(pa.array([chunk[x][s:e] for x, s, e in zip((art[at] - lo).tolist(), start[at].tolist(),
                                                                 end[at].tolist())], type=pa.large_string()))
        del chunk
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    joined = pa.concat_arrays(parts).take(pa.array(inverse))
    del parts
    return pd.array(joined, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _chunked_index(texts: pd.Series, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Shared]:
    """Return (word bounds per text, word starts, word lengths, :class:`_Shared` of the shingles) of `texts`.

    :func:`shingle_table`'s arrays, made :data:`_CHUNK` texts at a time (read from the
    column a chunk at a time: :func:`_chunk`) and kept as compact
    as they are read: the starts as int32 and the lengths in the smallest unsigned type that
    holds them (``uint8`` for any word under 256 characters); of the hashes, the shingles'
    only (not the 0 of a text's last ``n - 1`` words), until :class:`_Shared` has kept
    those found in two texts or more. The same starts, ends (start + length) and shingles
    as ``_index(articles, shingle_table(articles, n=n), n)``. O(words); memory 13 bytes a
    word at the peak (8 of them the hashes, dropped before the sort's result is used) plus
    one chunk's Python words.
    """
    starts, lengths, blocks, sizes = [], [], [], []
    for lo in range(0, len(texts), _CHUNK):
        size, start, end, h = _shingle_arrays(_chunk(texts, lo), n)
        first = np.cumsum(size) - size
        place = np.arange(len(h)) - np.repeat(first, size)  # each word's place in its text
        blocks.append(h[place < np.repeat(size - n + 1, size)])  # the words that start a shingle
        del h, place
        length = end - start
        lengths.append(length.astype(np.min_scalar_type(int(length.max(initial=0)))))
        starts.append(start)
        sizes.append(size)
        del start, end, length
    size = np.concatenate([np.zeros(0, np.int64), *sizes])
    shared = _Shared(blocks, np.maximum(size - n + 1, 0))
    del blocks
    return np.r_[0, np.cumsum(size)], _joined(starts, np.int32), _joined(lengths, np.uint8), shared


def _joined(parts: list[np.ndarray], dtype) -> np.ndarray:
    """Return ``np.concatenate(parts)`` (at least `dtype`), emptying `parts` as each is copied: not held twice."""
    out = np.empty(sum(len(x) for x in parts), dtype=np.result_type(dtype, *parts))
    at = 0
    while parts:
        x = parts.pop(0)
        out[at:at + len(x)] = x
        at += len(x)
    return out


def _max_df(max_df: int | float, n_articles: int) -> int:
    """Return the document-frequency cap in articles: an int as is, a float as a share of the corpus."""
    if isinstance(max_df, float) and 0 < max_df <= 1:
        return max(2, int(max_df * n_articles))
    if isinstance(max_df, bool) or not isinstance(max_df, int) or max_df < 2:
        raise ParameterError(f"max_df must be an int >= 2 (articles) or a float in (0, 1] (share of "
                             f"articles); got {max_df!r}")
    return max_df


def _check_window(window_days) -> None:
    if window_days is not None and (isinstance(window_days, bool) or not isinstance(window_days, int)
                                    or window_days < 0):
        raise ParameterError(f"window_days must be None (compare every pair) or an int >= 0 (days); "
                             f"got {window_days!r}")


def candidate_pairs(hashes: list[np.ndarray], *, max_df: int | float = MAX_DF,
                    min_shared: int = MIN_SHARED, days: np.ndarray | None = None,
                    window_days: int | None = None) -> np.ndarray:
    """Return the article pairs that share enough rare shingles, without comparing all pairs.

    Parameters
    ----------
    hashes : list of numpy.ndarray
        Shingle hashes of each article (any order, repeats allowed).
    max_df : int or float, default :data:`MAX_DF`
        Shingles found in more articles are ignored (boilerplate); a float in (0, 1] is
        a share of the articles (at least 2).
    min_shared : int, default :data:`MIN_SHARED`
        Distinct shared shingles a pair needs.
    days : numpy.ndarray, optional
        Publication day of each article (:func:`analysis.corpus.publication_days`; NaN when
        undated).
    window_days : int, optional
        With `days`: two dated articles published more than this many days apart are not
        a pair (0: the same day only); an undated article pairs with any. None: no window.

    Returns
    -------
    numpy.ndarray
        Shape (k, 3): article index a < b and the number of shared shingles, sorted.

    Notes
    -----
    Keeps the shingles found in at least two articles (:class:`_Shared`: the hashes sorted a
    bucket of their top bits at a time) and emits pairs only inside groups of at
    most `max_df` articles, so the work is O(S log S + S * max_df) for S shingles; the
    pairs are counted 2,000,000 keys at a time (:data:`_PAIR_KEYS`) into the distinct pairs
    so far, so memory is O(S + distinct pairs), not O(S * max_df) (a corpus that repeats
    passages across many articles emits many pairs per shingle): the hashes, one byte of
    each, a bucket's sort (:data:`_BUCKET` entries) and the entries of the shared shingles. The
    window is applied to the emitted pairs (O(pairs)); what it saves is the per-pair work
    downstream (passages, sentence alignment), which otherwise grows with the pairs of
    articles anywhere in the corpus that share a common phrase.

    Examples
    --------
    >>> h = [np.array([1, 2, 3], dtype=np.uint64), np.array([2, 3, 9], dtype=np.uint64),
    ...      np.array([7], dtype=np.uint64)]
    >>> candidate_pairs(h).tolist()
    [[0, 1, 2]]
    """
    max_df = _max_df(max_df, len(hashes))
    if min_shared < 1:
        raise ParameterError(f"min_shared must be >= 1; got {min_shared!r}")
    _check_window(window_days)
    shared = _Shared.of(hashes)
    return shared.pairs(max_df=max_df, min_shared=min_shared, days=days, window_days=window_days)


_BUCKET = 1_000_000  # shingle hashes sorted at once in _Shared (by their top bits): some 40 MB of arrays


class _Shared:
    """The entries (article, position) of the shingles found in two or more articles, numbered.

    Made from the shingle hashes of each article in a row, given as `blocks` (arrays whose
    concatenation they are: per article, or per chunk of articles) and `counts` (each
    article's number of shingles). A shingle in one article only can make no pair and no
    run (:meth:`pairs`, :meth:`runs`), and most shingles are (88% at 10,000 generated
    articles), so only the others are kept:

    - ``art``, ``pos`` (int32), ``hid`` (int32, 0..``n_ids`` - 1, equal for equal hashes):
      every entry of a kept shingle, in (article, position) order;
    - ``members`` (int32) and ``bounds``: each kept shingle's distinct articles, ascending,
      shingle after shingle (``members[bounds[k]:bounds[k + 1]]``), for :meth:`pairs`.

    `blocks` is emptied once read (``blocks.clear()``): a caller that hands over its only
    reference to the hashes has them freed before the entries are numbered.

    Notes
    -----
    The hashes are sorted a bucket at a time: the entries whose hash has the same top bits
    (2**bits buckets of about :data:`_BUCKET` entries), so besides the hashes (8 bytes a
    shingle, the caller's) and their top byte (1 byte a shingle) the sort holds one bucket
    (some 40 bytes an entry of it); then only the repeated ones: their place (int64) and
    number, sorted by number once (the distinct articles per shingle, for the pairs) and
    by place. O(S log S) for S shingles.
    """

    def __init__(self, blocks: list[np.ndarray], counts: np.ndarray):
        counts = np.asarray(counts, dtype=np.int64)
        self.n_articles = len(counts)
        total = int(counts.sum())
        bits = 0 if total <= _BUCKET else min(8, int(np.ceil(np.log2(total / _BUCKET))))
        offsets = np.cumsum([0] + [len(b) for b in blocks])
        tops = [(b >> np.uint64(64 - bits)).astype(np.uint8) for b in blocks] if bits else None
        places, numbers, n_ids = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], 0
        for bucket in range(1 << bits):
            if bits:
                sel = [np.flatnonzero(t == bucket) for t in tops]
                vals = np.concatenate([np.zeros(0, np.uint64), *(b[x] for b, x in zip(blocks, sel))])
                where = np.concatenate([np.zeros(0, np.int64), *(x + o for x, o in zip(sel, offsets.tolist()))])
                del sel
            else:
                vals = np.concatenate([np.zeros(0, np.uint64), *blocks]).astype(np.uint64, copy=False)
                where = np.arange(total, dtype=np.int64)
            order = np.argsort(vals, kind="stable")
            vals, where = vals[order], where[order]
            del order
            same = vals[1:] == vals[:-1]
            del vals
            repeated = np.zeros(len(where), dtype=bool)
            repeated[1:] = same
            repeated[:-1] |= same
            new = np.ones(len(where), dtype=bool)
            new[1:] = ~same
            del same
            number = np.cumsum(new[repeated]) - 1 + n_ids  # the repeated hashes numbered, bucket after bucket
            n_ids = int(number[-1]) + 1 if len(number) else n_ids
            places.append(where[repeated])
            numbers.append(number)
            del where, repeated, new, number
        del tops
        blocks.clear()  # the hashes are not read again: dropped here when the caller handed them over
        place = np.concatenate(places)
        del places
        order = np.argsort(place)  # places are distinct: (article, position) order
        place = place[order]
        number = np.concatenate(numbers).astype(np.int32)[order]
        del numbers, order
        ends = np.cumsum(counts)
        art = np.searchsorted(ends, place, side="right").astype(np.int32)
        pos = (place - (ends - counts)[art]).astype(np.int32)
        del place
        # the distinct articles of each repeated shingle (entries by number, articles ascending within)
        by = np.argsort(number, kind="stable")
        num_s, art_s = number[by], art[by]
        del number
        first = np.r_[True, num_s[1:] != num_s[:-1]] if len(by) else np.zeros(0, dtype=bool)
        distinct = first.copy()
        distinct[1:] |= art_s[1:] != art_s[:-1]
        del num_s
        group = np.cumsum(first, dtype=np.int32) - 1  # the shingle's rank among the repeated ones
        df = np.bincount(group[distinct], minlength=int(first.sum()))
        del first
        keep = df >= 2  # in two articles or more (not only repeated inside one)
        self.members = art_s[distinct & keep[group]]
        del art_s, distinct
        self.bounds = np.r_[0, np.cumsum(df[keep])].astype(np.int64)
        dense = (np.cumsum(keep, dtype=np.int32) - 1)[group]
        dense[~keep[group]] = -1
        del group
        hid = np.empty(len(by), dtype=np.int32)
        hid[by] = dense
        del by, dense
        kept = hid >= 0
        self.art, self.pos, self.hid = art[kept], pos[kept], hid[kept]
        self.n_ids = int(keep.sum())

    @classmethod
    def of(cls, hashes: list[np.ndarray]) -> _Shared:
        """Return the shared shingles of per-article hash arrays (one block per article)."""
        return cls([np.asarray(h, dtype=np.uint64) for h in hashes],
                   np.array([len(h) for h in hashes], dtype=np.int64))

    def pairs(self, *, max_df: int, min_shared: int, days: np.ndarray | None,
              window_days: int | None) -> np.ndarray:
        """:func:`candidate_pairs` of the shingles (`max_df` in articles): (a, b, shared), sorted."""
        n = self.n_articles
        sizes = np.diff(self.bounds)
        firsts = self.bounds[:-1]
        art = self.members
        pair_keys, counts = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        for size in _sorted_unique(sizes[(sizes >= 2) & (sizes <= max_df)]):
            starts_all = firsts[sizes == size]
            step = max(1, _PAIR_KEYS // (int(size) * (int(size) - 1) // 2))  # shingles whose pairs are made at once
            for lo in range(0, len(starts_all), step):
                members = art[starts_all[lo:lo + step, None] + np.arange(size)[None, :]].astype(np.int64)
                keys = np.concatenate([members[:, i] * n + members[:, j]
                                       for i, j in combinations(range(int(size)), 2)])
                del members
                # fold into the distinct pairs so far: memory O(distinct pairs + _PAIR_KEYS), not O(shingles x pairs)
                pair_keys, counts = _add_counts(pair_keys, counts, keys)
        if not len(pair_keys):
            return np.zeros((0, 3), dtype=np.int64)
        keep = counts >= min_shared
        if window_days is not None and days is not None:
            gap = np.abs(np.asarray(days, dtype=float)[pair_keys // n] - np.asarray(days, dtype=float)[pair_keys % n])
            keep &= ~(gap > window_days)  # NaN (an undated article) is never further than the window
        pair_keys, counts = pair_keys[keep], counts[keep]
        return np.stack([pair_keys // n, pair_keys % n, counts], axis=1).astype(np.int64)

    def runs(self, pairs: np.ndarray) -> tuple[np.ndarray, ...]:
        """:func:`_runs` of these shingles: (pair, start in a, start in b, shingles) of each run."""
        empty = np.zeros(0, dtype=np.int64)
        if not len(pairs) or not self.n_ids:
            return empty, empty, empty, empty
        n_ids, art, pos, hid = self.n_ids, self.art, self.pos, self.hid
        key = art.astype(np.int64) * n_ids + hid
        order = np.argsort(key, kind="stable")  # by (article, shingle), first occurrence first
        key_sorted = key[order]
        del key
        first = np.r_[True, key_sorted[1:] != key_sorted[:-1]]
        table, table_pos = key_sorted[first], pos[order][first].astype(np.int64)  # (article, shingle) -> first position
        del key_sorted, order, first
        s_bounds = np.r_[0, np.cumsum(np.bincount(art, minlength=self.n_articles))]
        a_idx, b_idx = pairs[:, 0], pairs[:, 1]
        out = []
        step = 2_000  # pairs at a time: bounded memory
        for lo in range(0, len(pairs), step):
            a, b = a_idx[lo:lo + step], b_idx[lo:lo + step]
            sizes = s_bounds[a + 1] - s_bounds[a]
            pair = np.repeat(np.arange(lo, lo + len(a)), sizes)
            at = np.repeat(s_bounds[a] - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(int(sizes.sum()))
            i, h = pos[at].astype(np.int64), hid[at]
            query = np.repeat(b, sizes) * n_ids + h
            k = np.minimum(np.searchsorted(table, query), len(table) - 1)
            hit = table[k] == query
            pair, i, j = pair[hit], i[hit], table_pos[k[hit]]
            if not len(pair):
                continue
            new = np.r_[True, (pair[1:] != pair[:-1]) | (i[1:] != i[:-1] + 1) | (j[1:] != j[:-1] + 1)]
            starts = np.flatnonzero(new)
            out.append((pair[starts], i[starts], j[starts], np.diff(np.r_[starts, len(pair)])))
        if not out:
            return empty, empty, empty, empty
        return tuple(np.concatenate(parts) for parts in zip(*out))


def _add_counts(keys: np.ndarray, counts: np.ndarray, more: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct keys of `keys` (with `counts`) and `more` (each once), with summed counts, sorted.

    ``np.unique(np.r_[all keys], return_counts=True)`` folded one batch at a time, by sorting.
    O((k + m) log(k + m)) for k distinct keys so far and m new ones.
    """
    new_keys = np.sort(more)
    first = np.flatnonzero(np.r_[True, new_keys[1:] != new_keys[:-1]]) if len(new_keys) else np.zeros(0, np.int64)
    new_counts = np.diff(np.r_[first, len(new_keys)]).astype(np.int64)
    new_keys = new_keys[first]
    if not len(keys):
        return new_keys, new_counts
    merged = np.r_[keys, new_keys]
    summed = np.r_[counts, new_counts]
    order = np.argsort(merged, kind="stable")
    merged, summed = merged[order], summed[order]
    first = np.flatnonzero(np.r_[True, merged[1:] != merged[:-1]])
    return merged[first], np.add.reduceat(summed, first)


def _runs(hashes: list[np.ndarray], pairs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return (pair, start in a, start in b, shingles) of each diagonal run of shared shingles.

    For each pair (a, b), every shingle of a that b also holds is matched to its first
    occurrence in b; a run is a maximal sequence of matches with consecutive positions in
    both. All pairs at once (:meth:`_Shared.runs`): the shingles found in two articles or
    more are numbered densely (:class:`_Shared`), (article, shingle) keys sorted once, and
    each pair's lookups are one :func:`numpy.searchsorted` over the shingles of a that some
    other article holds. O(S log S + sum over pairs of a's shared shingles); memory: the
    bucketed sort of the hashes, then the shared shingles' entries only.
    """
    return _Shared.of(hashes).runs(pairs)


def _check_params(n: int, threshold: float | None = None) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or not 2 <= n <= 20:
        raise ParameterError(f"n (words per shingle) must be an int in [2, 20]; got {n!r}")
    if threshold is not None and not 0 < threshold <= 1:
        raise ParameterError(f"threshold (sentence similarity) must be in (0, 1]; got {threshold!r}")


def shared_passages(articles: pd.DataFrame, *, n: int = NGRAM, max_df: int | float = MAX_DF,
                    min_shared: int = MIN_SHARED, shingles: pd.DataFrame | None = None,
                    window_days: int | None = None, texts: bool = True) -> pd.DataFrame:
    """Find the word passages each pair of articles shares.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).
    n : int, default :data:`NGRAM`
        Words per shingle; a passage is at least `n` words long.
    max_df : int or float, default :data:`MAX_DF`
        Shingles in more articles than this do not make a pair a candidate (they still
        count inside a candidate pair's passages); a float in (0, 1] is a share of the
        articles.
    min_shared : int, default :data:`MIN_SHARED`
        Distinct shared shingles a pair needs before its passages are listed.
    shingles : pandas.DataFrame, optional
        :func:`shingle_table` of `articles` with the same `n`, made beforehand (in chunks or on
        a cluster with :func:`analysis.partition.per_article`); made here when omitted.
    window_days : int, optional
        Compare only articles published at most this many days apart (``published``; 0:
        the same day); an undated article is compared with every article. None (default)
        compares every pair; the report uses :data:`WINDOW_DAYS`.
    texts : bool, default True
        False leaves out the last two columns (``text_a``, ``text_b``, most of the table's
        memory): :func:`passage_texts` adds them to any rows later, and :func:`passage_parts`
        gives the whole table a block of rows at a time, to save it.

    Returns
    -------
    pandas.DataFrame
        One row per shared passage, columns :data:`PASSAGE_COLUMNS`: the two articles
        (article_a earlier in the table), character offsets of the passage in each text
        (``text[start:end]``), its length in words and the passage as written in each.
        Sorted by pair (table order), then start_a.

    Raises
    ------
    ParameterError
        For `n` outside [2, 20], `max_df` neither an int >= 2 nor a float in (0, 1],
        `min_shared` < 1, or `window_days` neither None nor an int >= 0.

    Notes
    -----
    Words are compared after folding case, accents, quotes and dashes
    (:func:`analysis.clean.fold_for_matching`), so "Díaz-Canel" = "Diaz-Canel". A passage
    is a maximal run of consecutive shared n-grams at the same relative offset in both
    texts; a repeated phrase maps to its first occurrence in article_b. A pair that shares
    only reworded sentences and no n-gram of `n` words is not found (lower `n`). With
    `window_days`, text an outlet re-runs months later is not found either; on a year of
    articles (abp-2013, 4,142) a 30-day window keeps 22,885 of the 68,782 pairs, and pairs
    further apart share a median of 10 words (a stock phrase more often than a copy).

    Cost: O(words) to tokenise and hash, O(S log S) to sort the S shingles and find the
    candidate pairs (:func:`candidate_pairs`), and O(S log S + sum over candidate pairs of
    the first article's shingles that another article also holds) to find the runs, all
    pairs at once in numpy (:func:`_runs`); plus the passages' text. Memory: without
    `shingles`, no table of a row per word: the texts are read, tokenised and hashed
    :data:`_CHUNK` articles at a time (:func:`_chunked_index`), keeping 13 bytes a word (the
    int32 start, the word's length in one byte, the 8-byte hash) until :class:`_Shared` has
    kept the shingles found in two articles or more (12% of the entries at 10,000 generated
    articles; the hashes are then dropped), sorted a bucket of :data:`_BUCKET` at a time;
    then 5 bytes a word, those entries and the runs of 2,000 pairs at a time. With
    `shingles`, the table's columns are read in place (hashes, offsets) as well. The table
    without `texts` is some 70 bytes a passage (9.2 MB for the 137,192 passages of 10,000
    generated articles); the texts add about twice the passages' characters, in Arrow.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "text": [
    ...     "Officials said the talks would resume next week in Havana, sources said.",
    ...     "The talks would resume next week in Havana, according to diplomats."]})
    >>> shared_passages(arts)[["article_a", "article_b", "n_words", "text_b"]].values.tolist()
    [['a', 'b', 8, 'The talks would resume next week in Havana']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    _check_params(n)
    ids = articles[S.ARTICLE_ID].astype(str).tolist()
    texts_col = articles[S.TEXT]  # read a chunk of articles at a time (_chunk, _cut): not all as Python strings at once
    max_df = _max_df(max_df, len(ids))
    if min_shared < 1:
        raise ParameterError(f"min_shared must be >= 1; got {min_shared!r}")
    _check_window(window_days)
    if shingles is None:  # made here a chunk of articles at a time: no table of a row per word
        w_bounds, starts, lengths, shared = _chunked_index(texts_col, n)
    else:
        w_bounds, starts, ends, hashes = _index(articles, shingles, n)
        lengths = ends - starts
        del ends
        shared = _Shared.of(hashes)
        del hashes
    if window_days is not None:
        from analysis.corpus import publication_days
    pairs = shared.pairs(max_df=max_df, min_shared=min_shared, window_days=window_days,
                         days=None if window_days is None else publication_days(articles))
    pair, i, j, k = shared.runs(pairs)
    del shared
    a, b = pairs[pair, 0], pairs[pair, 1]
    last = k + n - 2  # index of the run's last word, relative to its first
    end_a, end_b = w_bounds[a] + i + last, w_bounds[b] + j + last
    sa, ea = starts[w_bounds[a] + i], starts[end_a] + lengths[end_a].astype(np.int64)
    sb, eb = starts[w_bounds[b] + j], starts[end_b] + lengths[end_b].astype(np.int64)
    del w_bounds, starts, lengths, pair, i, j, k, end_a, end_b
    out = pd.DataFrame({ARTICLE_A: [ids[x] for x in a.tolist()], ARTICLE_B: [ids[x] for x in b.tolist()],
                        START_A: sa, END_A: ea, START_B: sb, END_B: eb, N_WORDS: last + 1},
                       columns=list(PASSAGE_COLUMNS[:-2]))
    out = out.astype({c: "int64" for c in (START_A, END_A, START_B, END_B, N_WORDS)})
    if not texts:
        return out
    return out.assign(**{TEXT_A: _cut(texts_col, a, sa, ea), TEXT_B: _cut(texts_col, b, sb, eb)})


def passage_texts(articles: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Return `passages` with the passage as written in each article: ``text_a`` and ``text_b`` added.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table :func:`shared_passages` read (``article_id``, ``text``).
    passages : pandas.DataFrame
        Rows of ``shared_passages(articles, texts=False)`` (any of them, in any order).

    Returns
    -------
    pandas.DataFrame
        A copy of `passages` with ``text_a`` = ``text[start_a:end_a]`` of article_a's text and
        ``text_b`` likewise, as the last two columns: the rows of ``shared_passages(articles)``
        (same values and dtypes).

    Raises
    ------
    SchemaError
        For an article of `passages` not in `articles`.

    Notes
    -----
    The texts are read :data:`_CHUNK` articles at a time, and only the chunks that hold
    an article of these rows (:func:`_cut`). O(rows log rows + those chunks' text); memory
    the rows' passages' text about twice, in Arrow.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "text": ["Talks resume in Havana.", "So talks resume."]})
    >>> p = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "start_a": [0], "end_a": [12],
    ...                   "start_b": [3], "end_b": [15], "n_words": [2]})
    >>> passage_texts(arts, p)[["text_a", "text_b"]].values.tolist()
    [['Talks resume', 'talks resume']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    S.check_columns(passages, [ARTICLE_A, ARTICLE_B, START_A, END_A, START_B, END_B], table="passages")
    return _with_texts(articles[S.TEXT], pd.Index(articles[S.ARTICLE_ID].astype(str)), passages)


def _with_texts(texts: pd.Series, ids: pd.Index, passages: pd.DataFrame) -> pd.DataFrame:
    """:func:`passage_texts` with the articles' ids as an Index (looked up for each call's rows)."""
    if not ids.is_unique:
        raise SchemaError("articles has repeated article_id values; passage texts need one article per id")
    where = [ids.get_indexer(passages[c].astype(str)) for c in (ARTICLE_A, ARTICLE_B)]
    for c, w in zip((ARTICLE_A, ARTICLE_B), where):
        if (w < 0).any():
            raise SchemaError(f"passages has {c} {passages[c].iloc[int(np.flatnonzero(w < 0)[0])]!r}, which is not "
                              "in the articles table; pass the articles shared_passages read")
    spans = [(passages[x].to_numpy(np.int64), passages[y].to_numpy(np.int64)) for x, y in ((START_A, END_A),
                                                                                          (START_B, END_B))]
    return passages.assign(**{TEXT_A: _cut(texts, where[0], *spans[0]), TEXT_B: _cut(texts, where[1], *spans[1])})


PART_ROWS = 1 << 18  # passage rows per block of passage_parts (262,144: four make a Parquet row group)


def passage_parts(articles: pd.DataFrame, passages: pd.DataFrame, *, rows: int = PART_ROWS):
    """Yield the rows of `passages` with their texts (:func:`passage_texts`), `rows` at a time.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table :func:`shared_passages` read.
    passages : pandas.DataFrame
        ``shared_passages(articles, texts=False)``.
    rows : int, default :data:`PART_ROWS`
        Rows per block.

    Yields
    ------
    pandas.DataFrame
        Consecutive blocks of ``shared_passages(articles)`` (one empty block for an empty
        table): for :func:`analysis.corpus.save_table_parts`, which saves them as the file
        of the whole table, so that the passages' texts are never all held.

    Notes
    -----
    O(rows log rows + the texts of the articles of each block): a block of consecutive
    passages holds a run of articles (the table is sorted by pair). Memory: one block
    and its texts.
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    S.check_columns(passages, [ARTICLE_A, ARTICLE_B, START_A, END_A, START_B, END_B], table="passages")
    ids = pd.Index(articles[S.ARTICLE_ID].astype(str))
    for lo in range(0, max(len(passages), 1), rows):
        yield _with_texts(articles[S.TEXT], ids, passages.iloc[lo:lo + rows])
