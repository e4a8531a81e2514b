"""Sentence alignment of article pairs that share passages, with word diffs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import SchemaError
from analysis.partition import take_rows
from analysis.reuse.columns import (
    _PREFILTER,
    _WORD_RE,
    ALIGN_COLUMNS,
    ARTICLE_A,
    ARTICLE_B,
    DIFF,
    NGRAM,
    SENTENCE_A,
    SENTENCE_B,
    SIMILARITY,
    TEXT_A,
    TEXT_B,
    THRESHOLD,
    _first_seen,
    _repeat_numbers,
    _sorted_unique,
)
from analysis.reuse.matcher import SequenceMatcher
from analysis.reuse.passages import PART_ROWS, _check_params


def word_diff(a: str, b: str) -> str:
    """Return a word-level diff of two sentences: ``[-removed-]`` and ``{+added+}``.

    Parameters
    ----------
    a, b : str
        The two sentences (a is the "before").

    Returns
    -------
    str
        `a` with the words `b` removed marked ``[-...-]`` and the words `b` added marked
        ``{+...+}``; unchanged words as written in `b`. Words are compared after folding
        case, accents and quotes.

    Examples
    --------
    >>> word_diff("Russia supplies 7,500 barrels.", "Russia provides roughly 7,500 barrels.")
    'Russia [-supplies-] {+provides roughly+} 7,500 barrels.'
    """
    wa, wb = a.split(), b.split()
    fa, fb = _folded_words(a, wa), _folded_words(b, wb)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, fa, fb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(wb[j1:j2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(wa[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(wb[j1:j2]) + "+}")
    return " ".join(out)


_STRIP = ".,;:!?“”\"'"  # what word_diff strips from a folded word's ends


def _folded_words(text: str, words: list[str]) -> list[str]:
    """Return ``fold_for_matching(w).lower().strip(_STRIP)`` for each of `words` (``text.split()``).

    An ASCII text is folded by lower-casing it once (what ``fold_for_matching`` does to an
    ASCII word, and lower case keeps ASCII whitespace where it is); another word by word.
    O(characters).

    Examples
    --------
    >>> _folded_words("Oil, “Díaz” rose.", "Oil, “Díaz” rose.".split())
    ['oil', 'diaz', 'rose']
    """
    if text.isascii():
        return [w.strip(_STRIP) for w in text.lower().split()]
    return [fold_for_matching(w).lower().strip(_STRIP) for w in words]


def _align_pair(sa: list, sb: list, threshold: float, candidates: list,
                ratios: dict | None = None) -> list[tuple[int, int, float]]:
    """Align two lists of token tuples one to one; return (i, j, similarity).

    `candidates` (i, j) are the sentence pairs whose word sets pass the Jaccard prefilter
    and whose difflib upper bounds (``real_quick_ratio``, ``quick_ratio``) reach
    `threshold`, found by sparse products and bit masks (:func:`_candidates`); only their exact ratio
    is computed here, and only once per pair of word sequences: `ratios` (one dict per
    :func:`align_sentences` call) keeps each (a, b) ratio, since wire copy brings the same
    sentences back in many article pairs; it is keyed by one int, ``sa.key(i) << 32 |
    sb.key(j)``, where the sequences have numbers (:class:`_Sentences`: :func:`_sequence_ids`,
    equal exactly when the words are; some 100 bytes an entry, where a pair of the sentences'
    int32 columns as bytes took some 400), else by the pair of sequences themselves. Equal
    sequences have ratio 1.0 without difflib
    (2n / 2n); for the others one matcher per sentence of b is reused across the
    sentences of a (difflib indexes its second sequence, the costly part), which gives
    the ratio a fresh matcher gives. The matcher is :mod:`analysis.reuse.matcher`'s
    (difflib's algorithm, compiled when cydifflib is installed: the same ratios). O(sum over
    candidates of difflib's cost, about linear in the two sentences' words).
    """
    ratios = {} if ratios is None else ratios
    numbered = hasattr(sa, "key") and hasattr(sb, "key")  # sequence numbers (< 2**31): one int per pair
    key_a, key_b = (getattr(s, "key", s.__getitem__) for s in (sa, sb))  # a compact, exact key of a sequence
    scored, matchers = [], {}
    for i, j in candidates:
        ka, kb = key_a(i), key_b(j)
        if ka == kb:
            ratio = 1.0
        else:
            key = ka << 32 | kb if numbered else (ka, kb)
            ratio = ratios.get(key)
            if ratio is None:
                matcher = matchers.get(j)
                if matcher is None:
                    matcher = matchers[j] = SequenceMatcher(None, (), sb[j], autojunk=False)
                matcher.set_seq1(sa[i])
                ratio = ratios[key] = matcher.ratio()
        if ratio >= threshold:
            scored.append((-ratio, i, j))
    scored.sort()
    used_a, used_b, out = set(), set(), []
    for neg, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, -neg))
    return sorted(out)


_WORD_BLOCK = 500_000  # words whose repeats are numbered at once in _Occurrences (some 10 int64 arrays of them)


class _Occurrences:
    """Every sentence's word occurrences as one int32 column number per word (the paired articles' words).

    The k-th repeat of a word in a sentence is its own column, so that shared columns count
    shared words with repeats, as difflib's ``quick_ratio`` does: a first occurrence's column
    is the word's id (below ``n_words``), a repeat's is ``n_words`` + the number of its
    (word, k) pair; ``base`` gives a repeat column's word id back. ``bounds`` are the
    sentences' word offsets, ``sizes`` their distinct words and ``n_tokens`` their words
    (int64).

    `wid` is the words' ids in a row: one int32 array, which becomes ``occ`` (its repeats
    rewritten in place: pass a copy to keep it), or a list of int32 arrays (blocks of it, as
    :func:`_word_ids` reads them), copied into ``occ`` one at a time and dropped from the
    list, so the words are held once, not twice. The (word, k) pairs are numbered in order
    of first appearance, block after block (:data:`_WORD_BLOCK` words at a time): each
    block's distinct pairs are looked up in the sorted pairs seen so far and the new ones
    added, so memory is one block's arrays and the distinct pairs, not an int64 key per
    repeat of the corpus. Any numbering serves: columns are compared for equality and
    renumbered per batch of article pairs (:func:`_candidates`). O(words log words).
    """

    def __init__(self, wid, counts: np.ndarray, block: int | None = None):
        block = _WORD_BLOCK if block is None else block
        n = len(counts)
        counts = np.asarray(counts, dtype=np.int64)
        self.bounds = np.r_[0, np.cumsum(counts)].astype(np.int64)
        self.n_tokens = counts
        if isinstance(wid, list):  # blocks: copied into one array, each dropped once copied
            self.occ = np.empty(int(self.bounds[-1]), dtype=np.int32)
            at = 0
            while wid:
                part = wid.pop(0)
                self.occ[at:at + len(part)] = part
                at += len(part)
                del part
        else:
            self.occ = np.asarray(wid, dtype=np.int32)  # first occurrences keep their word id; repeats renumbered
        self.n_words = int(self.occ.max(initial=-1)) + 1
        self.sizes = np.zeros(n, dtype=np.int64)
        seen, seen_id = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)  # (word, k) keys so far, sorted
        lo = 0
        while lo < n:  # sentences in blocks of about `block` words: the sort's memory is bounded
            hi = min(n, int(np.searchsorted(self.bounds, self.bounds[lo] + block, side="right")))
            hi = max(hi, lo + 1)
            w0, w1 = self.bounds[lo], self.bounds[hi]
            row = np.repeat(np.arange(hi - lo, dtype=np.int64), counts[lo:hi])
            wid_block = self.occ[w0:w1].astype(np.int64)
            repeat = _repeat_numbers(row * (self.n_words + 1) + wid_block)  # the k-th repeat of a word in its sentence
            self.sizes[lo:hi] = np.bincount(row[repeat == 0], minlength=hi - lo)
            del row
            again = np.flatnonzero(repeat)
            keys = repeat[again] * self.n_words + wid_block[again]
            del repeat, wid_block
            # number the block's new keys after the ones seen so far, in order of first appearance
            order = np.argsort(keys, kind="stable")  # (a sort: numpy 2.3's unique hashes, slower here)
            ranked = keys[order]
            head = np.r_[True, ranked[1:] != ranked[:-1]] if len(ranked) else np.zeros(0, dtype=bool)
            uniq, first = ranked[head], order[head]  # each distinct key and where it first appears
            del order, ranked, head
            k = np.minimum(np.searchsorted(seen, uniq), max(len(seen) - 1, 0))
            new = ~(seen[k] == uniq) if len(seen) else np.ones(len(uniq), dtype=bool)
            fresh = uniq[new][np.argsort(first[new], kind="stable")]
            merged = np.r_[seen, fresh]
            merged_id = np.r_[seen_id, np.arange(len(seen), len(merged), dtype=np.int64)]
            order = np.argsort(merged, kind="stable")
            seen, seen_id = merged[order], merged_id[order]
            del merged, merged_id, order, uniq, first, fresh, new, k
            self.occ[again + w0] = self.n_words + seen_id[np.searchsorted(seen, keys)]
            del again, keys
            lo = hi
        self.base = np.empty(len(seen), dtype=np.int32)  # a repeat column's word id
        self.base[seen_id] = seen % max(self.n_words, 1)
        self.n_columns = self.n_words + len(seen)
        self._lut = np.full(self.n_columns, -1, dtype=np.int32)  # column -> batch column (_candidates' scratch)
        self._word_of = None  # column -> word id (words)
        del seen, seen_id
        self.bit, self.mask, self.first_bits = _frequent_masks(self.occ, self.bounds, self.n_columns, self.n_words,
                                                               block)
        self.sid = _sequence_ids(self.occ, self.bounds, block)  # equal exactly when two sentences' words are

    def key(self, k: int) -> int:
        """Sentence `k`'s sequence number: equal exactly when its words are (:func:`_sequence_ids`)."""
        return int(self.sid[k])

    def words(self, k: int) -> tuple:
        """Sentence `k`'s word ids, as a tuple of ints."""
        if self._word_of is None:  # column -> word id (made at the first call: 4 bytes a column)
            self._word_of = np.r_[np.arange(self.n_words, dtype=np.int32), self.base]
        return tuple(self._word_of[self.occ[self.bounds[k]:self.bounds[k + 1]]].tolist())


_FREQUENT = 24  # the most frequent occurrence columns, counted by bit masks (uint32: at most 32), not by the product


def _frequent_masks(occ: np.ndarray, bounds: np.ndarray, n_columns: int, n_words: int,
                    block: int | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the :data:`_FREQUENT` most frequent columns of `occ` as bits: (bit per column, masks, first bits).

    ``bit[c]`` is column c's bit (-1 for the other columns), ``mask[k]`` (uint32) has the bits
    of sentence k's frequent columns (a column is in a sentence at most once, so shared bits
    count shared occurrences) and ``first_bits`` those of the frequent columns that are first
    occurrences (word ids: shared ones count shared distinct words). Ties in frequency go to
    the lower column. O(words); memory 4 bytes a sentence, 8 a column and one block's words.

    Examples
    --------
    >>> bit, mask, first = _frequent_masks(np.array([0, 1, 0, 2, 1], dtype=np.int32), np.array([0, 2, 5]), 3, 2)
    >>> bit.tolist(), mask.tolist(), first
    ([0, 1, 2], [3, 7], 3)
    """
    block = _WORD_BLOCK if block is None else block
    df = np.zeros(n_columns, dtype=np.int64)
    for lo in range(0, len(occ), block):  # (bincount takes int64: a copy of these words only)
        df += np.bincount(occ[lo:lo + block], minlength=n_columns)
    top = np.argsort(-df, kind="stable")[:_FREQUENT]
    del df
    bit = np.full(n_columns, -1, dtype=np.int8)
    bit[top] = np.arange(len(top), dtype=np.int8)
    n = len(bounds) - 1
    mask = np.zeros(n, dtype=np.uint32)
    lengths = np.diff(bounds)
    lo = 0
    while lo < n:  # sentences in blocks of about `block` words
        hi = max(lo + 1, min(n, int(np.searchsorted(bounds, bounds[lo] + block, side="right")) - 1))
        b = bit[occ[bounds[lo]:bounds[hi]]]
        at = np.flatnonzero(b >= 0)
        owner = np.repeat(np.arange(lo, hi, dtype=np.int64), lengths[lo:hi])[at]
        mask[lo:hi] = np.bincount(owner - lo, weights=np.left_shift(1, b[at].astype(np.int64)),
                                  minlength=hi - lo).astype(np.uint32)
        lo = hi
    first = int(np.left_shift(1, np.flatnonzero(top < n_words)).sum()) if len(top) else 0
    return bit, mask, first


_HASH_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier of _sequence_ids' polynomial hash


def _sequence_ids(occ: np.ndarray, bounds: np.ndarray, block: int | None = None) -> np.ndarray:
    """Return a number per sentence (int32), equal for two sentences exactly when their words are.

    `occ` holds the sentences' words one after another (``occ[bounds[k]:bounds[k + 1]]`` is
    sentence k's). Each sentence is hashed (a polynomial of its words mod 2**64, :data:`_WORD_BLOCK`
    words at a time), sentences of the same length and hash get one number, and every
    sentence is then checked word by word against the first of its group: the few that differ
    (a hash collision) are numbered by their words themselves. So the numbers are exact, not
    probable. Numbers are 0..m-1 in no particular order. O(words + sentences log sentences);
    memory a few arrays of one block's words and 8 bytes a sentence.

    Examples
    --------
    >>> sid = _sequence_ids(np.array([1, 2, 1, 2, 3, 1], dtype=np.int32), np.array([0, 2, 4, 4, 6]))
    >>> sid[0] == sid[1], len(set(sid.tolist())), sorted(set(sid.tolist()))
    (np.True_, 3, [0, 1, 2])
    """
    block = _WORD_BLOCK if block is None else block
    n = len(bounds) - 1
    lengths = np.diff(bounds).astype(np.int64)
    if not n:
        return np.zeros(0, dtype=np.int32)
    power = np.ones(int(lengths.max(initial=0)) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(1, len(power)):
            power[k] = power[k - 1] * _HASH_MULT
    h = np.zeros(n, dtype=np.uint64)
    cuts = [0]
    while cuts[-1] < n:  # sentences in blocks of about `block` words
        lo = cuts[-1]
        hi = max(lo + 1, min(n, int(np.searchsorted(bounds, bounds[lo] + block, side="right")) - 1))
        cuts.append(hi)
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        w0, w1 = int(bounds[lo]), int(bounds[hi])
        if w1 == w0:
            continue
        pos = np.arange(w1 - w0, dtype=np.int64) - np.repeat(bounds[lo:hi] - w0, lengths[lo:hi])
        with np.errstate(over="ignore"):
            terms = (occ[w0:w1].astype(np.uint64) + np.uint64(1)) * power[pos]
        del pos
        full = np.flatnonzero(lengths[lo:hi])  # reduceat of an empty sentence would read its neighbour
        h[lo + full] = np.add.reduceat(terms, (bounds[lo:hi] - w0)[full])
        del terms
    order = np.lexsort((h, lengths))
    new = np.r_[True, (h[order][1:] != h[order][:-1]) | (lengths[order][1:] != lengths[order][:-1])]
    group = np.cumsum(new, dtype=np.int64) - 1
    rep = order[new][group]  # the first sentence (in this order) of each sentence's group
    sid = np.empty(n, dtype=np.int64)
    sid[order] = group
    first = np.empty(n, dtype=np.int64)
    first[order] = rep
    del order, new, group, rep, h
    m = int(sid.max()) + 1
    bad = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):  # every sentence against its group's first, word by word
        w0, w1 = int(bounds[lo]), int(bounds[hi])
        if w1 == w0:
            continue
        owner = np.repeat(np.arange(lo, hi, dtype=np.int64), lengths[lo:hi])
        other = bounds[first[owner]] + (np.arange(w0, w1, dtype=np.int64) - bounds[owner])
        bad.append(np.unique(owner[occ[w0:w1] != occ[other]]))
        del owner, other
    bad = np.concatenate([np.zeros(0, dtype=np.int64), *bad])
    if len(bad):  # hash collisions (about never): those sentences numbered by their words
        known: dict[bytes, int] = {}
        for k in bad.tolist():
            sid[k] = known.setdefault(occ[bounds[k]:bounds[k + 1]].tobytes(), m + len(known))
        _, sid = np.unique(sid, return_inverse=True)  # dense again
    return sid.astype(np.int32)


class _Sentences:
    """The word-id tuples of one article's sentences, made when read (the sequence `_align_pair` takes)."""

    def __init__(self, occurrences: _Occurrences, first: int, n: int):
        self._occ, self._first, self._n = occurrences, first, n
        self._made: dict[int, tuple] = {}  # tuples made so far (this pair's sentences only)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> tuple:
        made = self._made.get(i)
        if made is None:
            if not 0 <= i < self._n:
                raise IndexError(i)
            made = self._made[i] = self._occ.words(self._first + i)
        return made

    def key(self, i: int) -> int:
        """Sentence `i`'s sequence number: equal exactly when the word sequences are."""
        return int(self._occ.sid[self._first + i])

    def __iter__(self):
        return (self[i] for i in range(self._n))


_SET_BIT_SHIFT = 24
_SET_BIT = 1 << _SET_BIT_SHIFT  # a first occurrence weighs this much in a prefilter product (see _candidates)


def _ranges(first: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Return ``first[t], first[t] + 1, ..., first[t] + count[t] - 1`` for every t, one after another (int64).

    Examples
    --------
    >>> _ranges(np.array([5, 0, 9]), np.array([2, 0, 3])).tolist()
    [5, 6, 9, 10, 11]
    """
    count = np.asarray(count, dtype=np.int64)
    ends = np.cumsum(count)
    return np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) + np.repeat(
        np.asarray(first, dtype=np.int64) - (ends - count), count)


def _candidates(occurrences: _Occurrences, starts: np.ndarray, lengths: np.ndarray, pair_a: np.ndarray,
                pair_b: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentence pairs (k, i, j) of the article pairs (`pair_a[k]`, `pair_b[k]`) worth comparing with difflib.

    A pair of sentence i of `pair_a[k]` and sentence j of `pair_b[k]` is kept when its word
    sets overlap >= _PREFILTER (Jaccard) and difflib's two upper bounds of the ratio reach
    `threshold`: ``real_quick_ratio`` (2 min(la, lb) / (la + lb), from the lengths) and
    ``quick_ratio`` (2 x shared words with repeats / (la + lb)); the same float operations as
    :mod:`difflib`, so the same pairs pass. Returned sorted by (k, i, j) (int64 arrays).

    Shared words are counted in two parts. The :data:`_FREQUENT` most frequent occurrence
    columns (:class:`_Occurrences`: "the", "of", a second "the"...; a quarter of the words)
    are bits of a mask per sentence (:func:`_frequent_masks`): a pair shares the bits set in
    both. The others come from one sparse product for all the pairs given (a batch of
    :func:`_aligned_rows`; one product per article cost more in scipy's and numpy's per-call
    overheads than in the product): each run of equal `pair_a` (an article and its partners)
    has its own block of columns, the article's columns numbered after the previous runs'
    (keys ``run * n_columns + column``; the partners' words looked up run by run through the
    occurrences' scratch lookup), so the product of the articles' sentences (first
    occurrences weigh ``1 + _SET_BIT``, repeats 1) and the partners' sentences' binary
    patterns is block-diagonal, each entry shared occurrences + ``_SET_BIT`` x shared distinct
    words. Leaving the frequent columns out of the product leaves out the sentence pairs that
    share only those (about two thirds of its entries at 10,000 generated articles); such a
    pair can pass only if both sentences are "heavy", a share of their words in frequent
    columns that reaches the overlap the bounds require (at least ``threshold * l / (2 -
    threshold)`` of a sentence of l words, from both bounds), so every pair of heavy
    sentences is tested too, on its bits alone (a pair the product also holds counts fewer
    words there and passes only if it passes with all of them: the tests only rise with the
    counts). O(the pairs' words + sentence pairs sharing a rare word + pairs of heavy
    sentences); memory a few arrays of those (bounded by :func:`_aligned_rows`' batches,
    :data:`_SENTENCE_PAIRS`) and the batch's words.
    """
    from scipy import sparse

    occ, bounds, n_tokens, sizes = occurrences.occ, occurrences.bounds, occurrences.n_tokens, occurrences.sizes
    empty = np.zeros(0, dtype=np.int64)
    if not len(pair_a):
        return empty, empty, empty
    pair_a, pair_b = np.asarray(pair_a, dtype=np.int64), np.asarray(pair_b, dtype=np.int64)
    new_run = np.r_[True, pair_a[1:] != pair_a[:-1]]
    run_of_pair = np.cumsum(new_run, dtype=np.int64) - 1
    arts = pair_a[new_run]
    n_cols = np.int64(occurrences.n_columns)
    # the runs' articles: their sentences (rows of A) and their words but the frequent, keyed by (run, column)
    rows_a = _ranges(starts[arts], lengths[arts])  # sentence numbers among the occurrences'
    tok_a = n_tokens[rows_a]
    cols = occ[_ranges(bounds[rows_a], tok_a)]
    rare = occurrences.bit[cols] < 0
    kept = np.r_[0, np.cumsum(rare)][np.r_[0, np.cumsum(tok_a)]].astype(np.int32)  # each sentence's rare words
    cols = cols[rare]
    keys = np.repeat(np.repeat(np.arange(len(arts), dtype=np.int64), lengths[arts]), np.diff(kept)) * n_cols + cols
    del rare
    uniq = _sorted_unique(keys)
    k = max(len(uniq), 1)
    weight = np.where(cols < occurrences.n_words, 1 + _SET_BIT, 1).astype(np.int64)
    del cols
    mat_a = sparse.csr_matrix((weight, np.searchsorted(uniq, keys).astype(np.int32), kept), shape=(len(rows_a), k))
    del keys, weight, kept
    # the partners' sentences (rows of B): their occurrences of a column their run's article has, found run by run
    # through the occurrences' scratch lookup (column -> the batch's column, -1 elsewhere; reset after each run)
    rows_b = _ranges(starts[pair_b], lengths[pair_b])
    pair_of_row = np.repeat(np.arange(len(pair_b), dtype=np.int64), lengths[pair_b])
    tok_b = n_tokens[rows_b]
    w0, w1 = bounds[starts[pair_b]], bounds[starts[pair_b] + lengths[pair_b]]  # each partner's words
    local = np.concatenate([occ[x:y] for x, y in zip(w0.tolist(), w1.tolist())])  # (6x _ranges' gather)
    ends_b = np.cumsum(np.add.reduceat(w1 - w0, np.flatnonzero(new_run))).tolist()
    ends_u = np.searchsorted(uniq, np.arange(1, len(arts) + 1, dtype=np.int64) * n_cols).tolist()
    lut, lo_b, lo_u = occurrences._lut, 0, 0
    for hi_b, hi_u in zip(ends_b, ends_u):
        used = uniq[lo_u:hi_u] % n_cols
        lut[used] = np.arange(lo_u, hi_u, dtype=np.int32)
        local[lo_b:hi_b] = lut[local[lo_b:hi_b]]
        lut[used] = -1
        lo_b, lo_u = hi_b, hi_u
    hit = np.flatnonzero(local >= 0)
    indptr_b = np.searchsorted(hit, np.r_[0, np.cumsum(tok_b)]).astype(np.int32)
    mat_b = sparse.csr_matrix((np.ones(len(hit), dtype=np.int64), local[hit], indptr_b), shape=(len(rows_b), k))
    del local, hit, indptr_b, uniq
    product = mat_a @ mat_b.T
    del mat_a, mat_b
    mask_a, mask_b = occurrences.mask[rows_a], occurrences.mask[rows_b]
    # every pair of heavy sentences of a pair (those whose frequent words could make the overlap alone)
    need = np.ceil(threshold * (1 - 1e-9) * tok_a / (2 - threshold * (1 - 1e-9)) - 1e-9)
    heavy_a = np.flatnonzero((tok_a > 0) & (np.bitwise_count(mask_a) >= np.maximum(need, 1)))
    need = np.ceil(threshold * (1 - 1e-9) * tok_b / (2 - threshold * (1 - 1e-9)) - 1e-9)
    heavy_b = np.flatnonzero((tok_b > 0) & (np.bitwise_count(mask_b) >= np.maximum(need, 1)))
    del need
    run_of_row = np.repeat(np.arange(len(arts), dtype=np.int64), lengths[arts])
    n_a = np.bincount(run_of_row[heavy_a], minlength=len(arts))  # heavy sentences of each run's article
    off_a, n_a = (np.cumsum(n_a) - n_a)[run_of_pair], n_a[run_of_pair]
    n_b = np.bincount(pair_of_row[heavy_b], minlength=len(pair_b))  # ... and of each partner
    off_b = np.cumsum(n_b) - n_b
    per_pair = n_a * n_b
    u = _ranges(np.zeros(len(per_pair), dtype=np.int64), per_pair)
    t = np.repeat(np.arange(len(per_pair), dtype=np.int64), per_pair)
    h_rows = heavy_a[off_a[t] + u // np.maximum(n_b[t], 1)]
    h_cols = heavy_b[off_b[t] + u % np.maximum(n_b[t], 1)]
    del u, t, heavy_a, heavy_b, n_a, n_b, off_a, off_b, per_pair
    # each entry of the product, then each pair of heavy sentences: the same three tests on their counts
    # first a bound that needs no gather per entry: a pair that passes shares at least t * la / (2 - t) words (t
    # the threshold, from both bounds), of which row i's frequent words give at most their number, so its rare
    # ones (the product's low bits) reach the rest (most entries share one or two rare words: few are left)
    t = threshold * (1 - 1e-9)  # (a hair below: the float tests pass nothing this bound drops)
    least = np.maximum(np.ceil(t * tok_a / (2 - t) - np.bitwise_count(mask_a) - 1e-6), 1).astype(np.int64)
    indptr = product.indptr
    near = np.flatnonzero((product.data & (_SET_BIT - 1)) >= np.repeat(least, np.diff(indptr)))
    del least
    p_rows = np.searchsorted(indptr, near, side="right").astype(np.int64) - 1
    p_cols = product.indices[near].astype(np.int64)
    data = product.data[near]
    del product, indptr, near
    passed = []
    for rows, cols, counts in ((p_rows, p_cols, data), (h_rows, h_cols, None)):
        both = mask_a[rows] & mask_b[cols]
        la, lb = tok_a[rows], tok_b[cols]
        shared = np.bitwise_count(both).astype(np.int64)
        if counts is not None:
            shared += counts & (_SET_BIT - 1)
        length = (la + lb).astype(np.float64)
        keep = np.flatnonzero(2.0 * shared / length >= threshold)
        del shared, length
        rows, cols, la, lb, both = rows[keep], cols[keep], la[keep], lb[keep], both[keep]
        inter = np.bitwise_count(both & np.uint32(occurrences.first_bits)).astype(np.int64)
        if counts is not None:
            inter += counts[keep] >> _SET_BIT_SHIFT
        union = sizes[rows_a[rows]] + sizes[rows_b[cols]] - inter
        length = (la + lb).astype(np.float64)
        keep = (inter / union >= _PREFILTER) & (2.0 * np.minimum(la, lb) / length >= threshold)
        passed.append(rows[keep] * max(len(rows_b), 1) + cols[keep])
        del rows, cols, la, lb, both, keep
    del p_rows, p_cols, data, h_rows, h_cols
    found = _sorted_unique(np.concatenate(passed))  # (a pair of heavy sentences can pass both ways)
    rows, cols = found // max(len(rows_b), 1), found % max(len(rows_b), 1)
    pair = pair_of_row[cols]
    i, j = rows_a[rows] - starts[pair_a[pair]], rows_b[cols] - starts[pair_b[pair]]
    order = np.lexsort((j, i, pair))
    return pair[order], i[order], j[order]


def _word_ids(texts: pd.Series, rows: np.ndarray | None = None, *,
              blocks: bool = False) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Return the folded words of each text as int32 ids, one after another, and each text's word count.

    Words are numbered in order of first appearance (a word is one id everywhere); the texts
    (those at positions `rows`, in that order, or all) are read :data:`_BLOCK` at a time,
    folded, and split into words by one regex scan of the block (the folded texts joined with
    :data:`_MARK`, a word no folded text has, which then gives each text's count), so no
    Python object per word outlives its block and no copy of the texts is made. With
    `blocks` the ids come as the list of each block's array (for :class:`_Occurrences`,
    which copies them into one without holding them twice). O(words) time; memory 4 bytes
    per word plus the vocabulary.
    """
    vocab: dict[str, int] = {}
    rows = np.arange(len(texts)) if rows is None else np.asarray(rows)
    wid, counts = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int64)]
    for lo in range(0, len(rows), _BLOCK):
        folded = [fold_for_matching(t) for t in take_rows(texts, rows[lo:lo + _BLOCK]).astype(str).tolist()]
        # one regex scan of the block: each folded text followed by a word folded (lower-case) text never has
        words = _WORD_RE.findall(f" {_MARK} ".join(folded) + f" {_MARK}") if folded else []
        codes, distinct = _first_seen(words)  # the block's words numbered in order of first appearance
        del words
        mark = distinct.index(_MARK) if folded else -1
        ends = np.flatnonzero(codes == mark)
        if len(ends) != len(folded):  # (cannot happen while folded text is lower case) a text by itself
            found = [_WORD_RE.findall(t) for t in folded]
            codes, distinct = _first_seen([w for toks in found for w in toks])
            sizes, mark = np.array([len(toks) for toks in found], dtype=np.int64), -1
            del found
        else:
            sizes = np.diff(np.r_[-1, ends]) - 1
            codes = np.delete(codes, ends)
        del folded, ends
        glob = np.array([vocab.setdefault(w, len(vocab)) if k != mark else -1 for k, w in enumerate(distinct)],
                        dtype=np.int32)
        wid.append(glob[codes] if len(codes) else np.zeros(0, dtype=np.int32))
        counts.append(np.asarray(sizes, dtype=np.int64))
    return wid if blocks else np.concatenate(wid), np.concatenate(counts)


_MARK = "Q"  # between texts in _word_ids' scan: upper case, so no folded text has it (nor a word joined to it)
_BLOCK = 5_000  # sentences read (folded, split into words) at a time (20,000: +34 MB at the peak at 10,000 articles)


def align_sentences(sentences: pd.DataFrame, passages: pd.DataFrame, *, threshold: float = THRESHOLD,
                    texts: bool = True) -> pd.DataFrame:
    """Align the sentences of every article pair that shares passages, one to one.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``article_id``, ``sentence_text``).
    passages : pandas.DataFrame
        From :func:`shared_passages`; its pairs are the ones aligned.
    threshold : float, default :data:`THRESHOLD`
        Minimum similarity: difflib's ratio of the two word sequences (2 * matched words
        / total words), in (0, 1].
    texts : bool, default True
        False leaves out the two sentences' texts (``text_a``, ``text_b``; the diff stays):
        :func:`alignment_texts` adds them to any rows later, and :func:`alignment_parts`
        gives the whole table a block of rows at a time, to save it.

    Returns
    -------
    pandas.DataFrame
        One row per aligned sentence pair, columns :data:`ALIGN_COLUMNS`: ``kind`` is
        "identical" when the words are the same (after folding), else "paraphrase";
        ``diff`` marks what article_b removed ``[-...-]`` and added ``{+...+}``. Sorted
        by pair, then sentence order in article_a.

    Raises
    ------
    ParameterError
        For a threshold outside (0, 1].

    Notes
    -----
    Greedy one-to-one matching, best similarity first; sentences whose word sets overlap
    less than 0.2 (Jaccard) are not compared: the overlaps of a pair's sentences come from
    bit masks of the most frequent words and a sparse product of the others, per batch of
    pairs (:func:`_candidates`), which also give difflib's two upper bounds of the ratio
    (``real_quick_ratio``, ``quick_ratio``), so difflib runs only on the sentence pairs that
    can reach `threshold`, once per distinct pair of word sequences.
    Cost: O(words) to index, O(pairs x words of an article + sentence pairs sharing a rare
    word) in the products, plus difflib on the distinct sentence pairs that pass (compiled
    where cydifflib is installed: :mod:`analysis.reuse.matcher`, the same ratios); the pairs
    themselves grow faster than the articles on wire copy (93,525 at 10,000 generated
    articles, 914,771 at 40,000).
    Memory: the paired articles' words as one int32 array of word ids (4 bytes a word, plus
    the vocabulary), one int32 occurrence column per word (:class:`_Occurrences`) and a
    sequence number and a frequent-word mask per sentence, one batch's product at a time, the ratios of the
    distinct sentence pairs compared (keyed by one int: 28,884 at 10,000 generated articles),
    and the aligned rows as typed arrays (33 bytes a row, :func:`_aligned_rows`); the word
    tuples difflib reads are made for the candidate pairs only, and the rows' texts and diffs
    :data:`_ROWS` rows at a time into Arrow text (:func:`_alignment_table`), then the table.
    Similarity counts shared words in order, so a sentence that moves a clause scores lower
    than one that swaps a word. A sentence
    split in two by the other outlet aligns with one half only.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"],
    ...     "sentence_text": ["Russia supplies 7,500 barrels of oil.", "Russia provides 7,500 barrels of oil."]})
    >>> p = pd.DataFrame({"article_a": ["a"], "article_b": ["b"]})
    >>> align_sentences(s, p)[["sentence_a", "sentence_b", "similarity", "kind"]].values.tolist()
    [['a/0', 'b/0', 0.857143, 'paraphrase']]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.SENTENCE_TEXT], table="sentences")
    S.check_columns(passages, [ARTICLE_A, ARTICLE_B], table="passages")
    _check_params(NGRAM, threshold)
    article = sentences[S.ARTICLE_ID]
    at = np.flatnonzero(article.isin(_distinct(passages[ARTICLE_A], passages[ARTICLE_B])).to_numpy(dtype=bool))
    codes, names = pd.factorize(take_rows(article, at))
    at = at[np.argsort(codes, kind="stable")]  # each article's sentences together, in table order
    lengths = np.bincount(codes, minlength=len(names)).astype(np.int64)
    starts = np.r_[0, np.cumsum(lengths)][:-1]
    del codes
    pair_a, pair_b = _pair_codes(passages, names)
    wid, counts = _word_ids(sentences[S.SENTENCE_TEXT], at, blocks=True)
    occurrences = _Occurrences(wid, counts)
    del wid, counts
    found = _aligned_rows(occurrences, starts, lengths, pair_a, pair_b, threshold)
    del occurrences
    return _alignment_table(sentences, names, at, pair_a, pair_b, *found, texts=texts)


def _distinct(*columns: pd.Series):
    """Return the distinct values of the columns together (``pandas.unique`` of their concatenation), for isin.

    ``Series.isin`` of a whole column of Arrow text makes a Python string of every value;
    of its distinct values (Arrow's own unique) it does not: 0.08 against 1.99 CPU s and 5
    against 58 MB for the sentences of 10,000 generated articles and their passages'
    articles. O(values).
    """
    return pd.unique(pd.concat(list(columns), ignore_index=True))


def _pair_codes(passages: pd.DataFrame, names: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct (article_a, article_b) pairs of `passages` as codes into `names`, first seen first.

    Pairs with an article not in `names` (no sentences) are left out. The two columns are
    factorized together (Arrow's dictionary encoding: no Python string per passage), their
    few distinct ids looked up in `names`, and the pairs are the distinct ``a * len(names) +
    b``: what ``drop_duplicates`` of the two text columns gives. O(passages).
    """
    codes, uniq = pd.factorize(pd.concat([passages[ARTICLE_A], passages[ARTICLE_B]], ignore_index=True))
    lut = np.r_[names.get_indexer(uniq), -1]  # a missing id (code -1) is no article
    codes = lut[codes]
    a, b = codes[:len(passages)], codes[len(passages):]
    del codes
    keep = (a >= 0) & (b >= 0)
    key = pd.unique(a[keep] * max(len(names), 1) + b[keep])  # in order of first appearance
    del a, b, keep
    return key // max(len(names), 1), key % max(len(names), 1)


def _aligned_rows(occurrences: _Occurrences, starts: np.ndarray, lengths: np.ndarray, pair_a: np.ndarray,
                  pair_b: np.ndarray, threshold: float) -> tuple[np.ndarray, ...]:
    """Align every pair (article codes `pair_a`, `pair_b`): (pair, sentence a, sentence b, similarity, identical).

    The aligned sentence pairs in pair order, then :func:`_align_pair`'s order: the pair's
    index, both sentences' places among the occurrences' sentences (int64), the similarity
    rounded to 6 digits and whether the words are the same. The candidates come from one
    :func:`_candidates` product per batch of whole runs of equal `pair_a` (an article and its
    partners), about :data:`_SENTENCE_PAIRS` sentence pairs a batch; a pair without
    candidates aligns nothing and is skipped. The ratio cache is shared by all pairs. Rows are
    kept in typed arrays (8 bytes a number, no Python object per row). O(pairs + prefilter
    products + difflib on the distinct candidate pairs).
    """
    from array import array

    kp, ra, rb, sims, same = array("q"), array("q"), array("q"), array("d"), array("b")
    first, size = starts.tolist(), lengths.tolist()
    codes_a, codes_b = pair_a.tolist(), pair_b.tolist()
    ratios: dict = {}
    for lo, hi in _batches(lengths, pair_a, pair_b):
        kk, ii, jj = _candidates(occurrences, starts, lengths, pair_a[lo:hi], pair_b[lo:hi], threshold)
        cut = np.flatnonzero(np.r_[True, kk[1:] != kk[:-1], True]).tolist() if len(kk) else [0]
        kk, ii, jj = (kk + lo).tolist(), ii.tolist(), jj.tolist()
        toks_a, last = None, -1
        for s, e in zip(cut[:-1], cut[1:]):  # each pair with candidates
            k = kk[s]
            a, b = codes_a[k], codes_b[k]
            if a != last:  # (an article's word tuples are kept for its run of pairs)
                toks_a, last = _Sentences(occurrences, first[a], size[a]), a
            toks_b = _Sentences(occurrences, first[b], size[b])
            for i, j, sim in _align_pair(toks_a, toks_b, threshold, list(zip(ii[s:e], jj[s:e])), ratios):
                kp.append(k)
                ra.append(first[a] + i)
                rb.append(first[b] + j)
                sims.append(round(sim, 6))
                same.append(toks_a.key(i) == toks_b.key(j))
        del kk, ii, jj, cut
    del ratios
    return (np.frombuffer(kp, dtype=np.int64), np.frombuffer(ra, dtype=np.int64), np.frombuffer(rb, dtype=np.int64),
            np.frombuffer(sims, dtype=np.float64), np.frombuffer(same, dtype=np.int8).astype(bool))


_SENTENCE_PAIRS = 1_000_000  # sentence pairs (an article's x its partners') per _candidates product, about


def _batches(lengths: np.ndarray, pair_a: np.ndarray, pair_b: np.ndarray,
             budget: int | None = None) -> list[tuple[int, int]]:
    """Cut the pairs into batches (lo, hi) of whole runs of equal `pair_a`, about `budget` sentence pairs each.

    A run's sentence pairs are its article's sentences times its partners'; a run larger
    than `budget` is a batch of its own. O(pairs).

    Examples
    --------
    >>> _batches(np.array([2, 3, 1]), np.array([0, 0, 1, 2]), np.array([1, 2, 2, 0]), budget=8)
    [(0, 2), (2, 4)]
    """
    budget = _SENTENCE_PAIRS if budget is None else budget
    n = len(pair_a)
    if not n:
        return []
    work = (lengths[pair_a] * lengths[pair_b]).astype(np.int64)
    runs = np.flatnonzero(np.r_[True, pair_a[1:] != pair_a[:-1]])
    per_run = np.add.reduceat(work, runs).tolist()
    out, lo, acc = [], 0, 0
    for start, w in zip(runs.tolist(), per_run):
        if acc and acc + w > budget:
            out.append((lo, start))
            lo, acc = start, 0
        acc += w
    out.append((lo, n))
    return out


_ROWS = 10_000  # aligned rows whose texts and diffs are made at once (Python strings for these rows only)


def _alignment_table(sentences: pd.DataFrame, names: pd.Index, at: np.ndarray, pair_a: np.ndarray,
                     pair_b: np.ndarray, kp: np.ndarray, ra: np.ndarray, rb: np.ndarray, sims: np.ndarray,
                     same: np.ndarray, *, texts: bool = True) -> pd.DataFrame:
    """Return the alignments table of :func:`_aligned_rows`' arrays, made :data:`_ROWS` rows at a time.

    Each block of rows is made as before for all rows at once (a list of tuples of Python
    strings, its texts read from `sentences` at rows ``at[ra]``, ``at[rb]``, its diffs by
    :func:`word_diff`, typed by ``pandas.DataFrame``) and kept as that small frame; the
    blocks are then concatenated and each text column joined into one Arrow chunk, a column
    at a time (so that saving it copies nothing). The same table, values and dtypes, as one
    frame of every row. Without `texts`, the texts are read for the diffs and left out.
    O(rows + their texts); memory the table plus one block's Python strings and one column's copy.
    """
    columns = list(ALIGN_COLUMNS)
    if not len(kp):
        out = pd.DataFrame([], columns=columns).astype({SIMILARITY: "float64"})
        return out if texts else out.drop(columns=[TEXT_A, TEXT_B])
    ids = np.asarray(names, dtype=object)
    ids_col, text_col = sentences[S.SENTENCE_ID], sentences[S.SENTENCE_TEXT]
    blocks = []
    for lo in range(0, len(kp), _ROWS):
        k = kp[lo:lo + _ROWS]
        rows_a, rows_b = at[ra[lo:lo + _ROWS]], at[rb[lo:lo + _ROWS]]
        ids_a, ids_b = (take_rows(ids_col, r).tolist() for r in (rows_a, rows_b))
        texts_a, texts_b = (take_rows(text_col, r).astype(str).tolist() for r in (rows_a, rows_b))
        rows = [(a, b, sa, sb, sim, "identical" if eq else "paraphrase", ta, tb, "" if eq else word_diff(ta, tb))
                for a, b, sa, sb, sim, eq, ta, tb in zip(ids[pair_a[k]].tolist(), ids[pair_b[k]].tolist(), ids_a,
                                                         ids_b, sims[lo:lo + _ROWS].tolist(),
                                                         same[lo:lo + _ROWS].tolist(), texts_a, texts_b)]
        del ids_a, ids_b, texts_a, texts_b
        block = pd.DataFrame(rows, columns=columns).astype({SIMILARITY: "float64"})
        del rows
        blocks.append(block if texts else block.drop(columns=[TEXT_A, TEXT_B]))
        del block
    out = blocks[0] if len(blocks) == 1 else pd.concat(blocks, ignore_index=True)
    del blocks
    for c in out.columns:  # each Arrow text column in one chunk (pd.concat chained the blocks' chunks)
        if isinstance(out[c].dtype, pd.StringDtype) and out[c].dtype.storage == "pyarrow":
            chunks = out[c].array.__arrow_array__()
            if chunks.num_chunks > 1:
                out[c] = pd.array(chunks.combine_chunks(), dtype=out[c].dtype)
                del chunks
    return out


def alignment_texts(sentences: pd.DataFrame, alignments: pd.DataFrame) -> pd.DataFrame:
    """Return `alignments` with the two sentences' texts: ``text_a`` and ``text_b`` put back before ``diff``.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table :func:`align_sentences` read (``sentence_id``, ``article_id``,
        ``sentence_text``).
    alignments : pandas.DataFrame
        Rows of ``align_sentences(sentences, passages, texts=False)`` (any of them).

    Returns
    -------
    pandas.DataFrame
        The rows with the columns of ``align_sentences(sentences, passages)``: the same
        values and dtypes.

    Raises
    ------
    SchemaError
        For a sentence of `alignments` not in `sentences`.

    Notes
    -----
    The sentences are looked up among those of the rows' articles only (one
    :meth:`pandas.Series.isin` over the article column, then ``pyarrow.compute.index_in``
    of the rows' ids among those sentences' ids: no Python string per id; an id is unique
    in the corpus, else its first row is taken), and their texts
    taken as Arrow text (a Python string per text only for a column not held as Arrow text).
    O(sentences + rows); memory the rows' articles' sentence ids and the rows' texts.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"],
    ...     "sentence_text": ["Russia supplies 7,500 barrels of oil.", "Russia provides 7,500 barrels of oil."]})
    >>> lean = align_sentences(s, pd.DataFrame({"article_a": ["a"], "article_b": ["b"]}), texts=False)
    >>> alignment_texts(s, lean)[["text_a", "diff"]].values.tolist()
    [['Russia supplies 7,500 barrels of oil.', 'Russia [-supplies-] {+provides+} 7,500 barrels of oil.']]
    """
    import pyarrow.compute as pc

    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.SENTENCE_TEXT], table="sentences")
    S.check_columns(alignments, [ARTICLE_A, ARTICLE_B, SENTENCE_A, SENTENCE_B, DIFF], table="alignments")
    rows = np.flatnonzero(sentences[S.ARTICLE_ID].isin(_distinct(alignments[ARTICLE_A], alignments[ARTICLE_B]))
                          .to_numpy(dtype=bool))
    ids = _arrow_text(sentences[S.SENTENCE_ID], rows)  # (ids are unique in the corpus: an id's first row is its row)
    text = sentences[S.SENTENCE_TEXT]
    out = alignments.copy(deep=False)
    at = out.columns.get_loc(DIFF) if DIFF in out.columns else len(out.columns)
    for name, column in ((TEXT_A, SENTENCE_A), (TEXT_B, SENTENCE_B)):
        where = pc.index_in(_arrow_text(alignments[column]), value_set=ids).fill_null(-1).to_numpy()
        if (where < 0).any():
            bad = alignments[column].iloc[int(np.flatnonzero(where < 0)[0])]
            raise SchemaError(f"alignments has {column} {bad!r}, which is not in the sentences table; pass the "
                              "sentences align_sentences read")
        if len(out) and isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow" \
                and text.dtype.na_value is np.nan:
            values = take_rows(text, rows[where]).set_axis(out.index)  # already the str column a list of them makes
        else:  # a Series of the list, as align_sentences' DataFrame of tuples types it (str; object when empty)
            values = pd.Series(take_rows(text, rows[where]).astype(str).tolist(), index=out.index)
        out.insert(at, name, values)
        at += 1
    return out


def _arrow_text(column: pd.Series, rows: np.ndarray | None = None):
    """Return a text column (its values at positions `rows`, or all) as one Arrow ``large_string`` array.

    A column held as Arrow text is read in place (:func:`analysis.partition.take_rows` from its chunks: a copy of
    the rows asked for only); another is converted through its Python values. O(rows).
    """
    import pyarrow as pa

    if hasattr(column.array, "__arrow_array__"):
        values = (column if rows is None else take_rows(column, rows)).array.__arrow_array__()
    else:
        picked = column if rows is None else column.iloc[rows]
        values = pa.array(picked.astype(object).tolist(), type=pa.large_string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values.cast(pa.large_string())


def alignment_parts(sentences: pd.DataFrame, alignments: pd.DataFrame, *, rows: int = PART_ROWS):
    """Yield the rows of `alignments` with their texts (:func:`alignment_texts`), `rows` at a time.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table :func:`align_sentences` read.
    alignments : pandas.DataFrame
        ``align_sentences(sentences, passages, texts=False)``.
    rows : int, default :data:`~analysis.reuse.passages.PART_ROWS`
        Rows per block.

    Yields
    ------
    pandas.DataFrame
        Consecutive blocks of ``align_sentences(sentences, passages)`` (one empty block for an
        empty table): for :func:`analysis.corpus.save_table_parts`, which saves them as the
        file of the whole table.

    Notes
    -----
    O(blocks x sentences + rows): each block looks its sentences up among its articles'
    (:func:`alignment_texts`). Memory: one block and its texts.
    """
    for lo in range(0, max(len(alignments), 1), rows):
        yield alignment_texts(sentences, alignments.iloc[lo:lo + rows])
