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
    fa = [fold_for_matching(w).lower().strip(".,;:!?“”\"'") for w in wa]
    fb = [fold_for_matching(w).lower().strip(".,;:!?“”\"'") for w in wb]
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


def _align_pair(sa: list, sb: list, threshold: float, candidates: list,
                ratios: dict | None = None) -> list[tuple[int, int, float]]:
    """Align two lists of token tuples one to one; return (i, j, similarity).

    `candidates` (i, j) are the sentence pairs whose word sets pass the Jaccard prefilter
    and whose difflib upper bounds (``real_quick_ratio``, ``quick_ratio``) reach
    `threshold`, found by sparse products (:func:`_prefiltered`); only their exact ratio
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
    renumbered per article (:func:`_prefiltered`). O(words log words).
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
        self._lut = np.full(self.n_columns, -1, dtype=np.int32)  # column -> local column (_prefiltered's scratch)
        del seen, seen_id
        self.sid = _sequence_ids(self.occ, self.bounds, block)  # equal exactly when two sentences' words are

    def key(self, k: int) -> int:
        """Sentence `k`'s sequence number: equal exactly when its words are (:func:`_sequence_ids`)."""
        return int(self.sid[k])

    def words(self, k: int) -> tuple:
        """Sentence `k`'s word ids, as a tuple of ints."""
        w = self.occ[self.bounds[k]:self.bounds[k + 1]]
        if len(self.base):
            w = np.where(w < self.n_words, w, self.base[np.maximum(w - self.n_words, 0)])
        return tuple(w.tolist())


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
_SET_BIT = 1 << _SET_BIT_SHIFT  # a first occurrence weighs this much in a prefilter product (see _prefiltered)
def _prefiltered(occurrences: _Occurrences, starts: dict, lengths: dict, a: str, partners: list[str],
                 threshold: float) -> dict:
    """Sentence pairs (i, j) of article `a` and each partner worth comparing with difflib.

    A pair is kept when its word sets overlap >= _PREFILTER (Jaccard) and difflib's two
    upper bounds of the ratio reach `threshold`: ``real_quick_ratio`` (2 min(la, lb) / (la
    + lb), from the lengths) and ``quick_ratio`` (2 x shared words with repeats / (la +
    lb)); the same float operations as :mod:`difflib`, so the same pairs pass. One sparse
    product per article `a` against all its partners' sentences at once (not one per
    pair: scipy's per-call overhead dominated) gives both counts: a's sentences x a's
    occurrence columns (:class:`_Occurrences`; first occurrences weigh ``1 + _SET_BIT``,
    repeats 1) times the partners' sentences' binary pattern over the same columns, so
    each entry is shared occurrences + ``_SET_BIT`` x shared distinct words; split back by
    partner. Only `a`'s columns take part (renumbered 0..K-1 through a scratch lookup that
    is reset afterwards; the matrices built as CSR straight from the int32 columns), so
    nothing costs per column of the corpus. The matrices' offsets are int32 (scipy scans
    int64 ones on every construction to choose an index type), and of the product's entries
    only those passing ``quick_ratio`` go on to the other two tests (15,985 of 42.5 million
    for the first 4,000 articles with partners at 10,000 generated articles).
    O(a's and the partners' words + pairs of their sentences that share a word occurrence),
    which common words make nearly all of them: the largest part of the cost (104.8 million
    product entries for 9,553 articles at 10,000 generated articles). Memory: these words and
    pairs, one article at a time.
    """
    from scipy import sparse

    occ, bounds, lut = occurrences.occ, occurrences.bounds, occurrences._lut
    sizes, n_tokens = occurrences.sizes, occurrences.n_tokens
    first, la_ = starts[a], lengths[a]
    ra = np.arange(first, first + la_)
    rb = np.concatenate([np.arange(starts[b], starts[b] + lengths[b]) for b in partners])
    owner = np.repeat(np.arange(len(partners)), [lengths[b] for b in partners])
    local = rb - np.repeat([starts[b] for b in partners], [lengths[b] for b in partners])
    cols_a = occ[bounds[first]:bounds[first + la_]]
    used = _sorted_unique(cols_a)
    lut[used] = np.arange(len(used), dtype=np.int32)
    try:
        loc_a = lut[cols_a]
        loc_b = lut[np.concatenate([occ[bounds[starts[b]]:bounds[starts[b] + lengths[b]]] for b in partners])]
    finally:
        lut[used] = -1
    k = max(len(used), 1)
    weight = np.where(cols_a < occurrences.n_words, 1 + _SET_BIT, 1).astype(np.int64)
    # int32 indices and offsets: scipy then does not scan them to choose its index type (most of its per-call cost)
    mat_a = sparse.csr_matrix((weight, loc_a, (bounds[first:first + la_ + 1] - bounds[first]).astype(np.int32)),
                              shape=(la_, k))
    hit = np.flatnonzero(loc_b >= 0)  # the partners' occurrences that a has too (positions, not a mask's cumsum)
    ends_b = np.cumsum(n_tokens[rb])  # each partner sentence's end among the concatenated words
    indptr_b = np.searchsorted(hit, np.r_[0, ends_b]).astype(np.int32)
    mat_b = sparse.csr_matrix((np.ones(len(hit), dtype=np.int64), loc_b[hit], indptr_b), shape=(len(rb), k))
    del loc_b, hit
    product = mat_a @ mat_b.T
    del mat_a, mat_b
    data = product.data
    # difflib's quick_ratio bound first, on every entry: few pass it, and the other two tests (the same float
    # operations as before) then read only those; shared occurrences are the low bits, shared words the high
    la = np.repeat(n_tokens[ra], np.diff(product.indptr))
    cols = product.indices.astype(np.int64)
    length = (la + n_tokens[rb][cols]).astype(np.float64)
    keep = np.flatnonzero(2.0 * (data & (_SET_BIT - 1)) / length >= threshold)
    del length
    rows = np.repeat(np.arange(la_, dtype=np.int64), np.diff(product.indptr))[keep]
    cols, la, data = cols[keep], la[keep], data[keep]
    del product
    inter, lb = data >> _SET_BIT_SHIFT, n_tokens[rb][cols]
    union = sizes[ra][rows] + sizes[rb][cols] - inter
    length = (la + lb).astype(np.float64)
    keep = (inter / union >= _PREFILTER) & (2.0 * np.minimum(la, lb) / length >= threshold)
    rows, cols = rows[keep], cols[keep]
    order = np.lexsort((local[cols], rows, owner[cols]))  # by partner, then (i, j)
    rows, cols, who = rows[order], local[cols[order]], owner[cols[order]]
    bounds_p = np.searchsorted(who, np.arange(len(partners) + 1))
    rows, cols = rows.tolist(), cols.tolist()
    return {b: list(zip(rows[bounds_p[k]:bounds_p[k + 1]], cols[bounds_p[k]:bounds_p[k + 1]]))
            for k, b in enumerate(partners)}


def _word_ids(texts: pd.Series, rows: np.ndarray | None = None, *,
              blocks: bool = False) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Return the folded words of each text as int32 ids, one after another, and each text's word count.

    Words are numbered in order of first appearance (a word is one id everywhere); the texts
    (those at positions `rows`, in that order, or all) are read :data:`_BLOCK` at a time,
    so no Python object per word outlives its block and no copy of the texts is made. With
    `blocks` the ids come as the list of each block's array (for :class:`_Occurrences`,
    which copies them into one without holding them twice). O(words) time; memory 4 bytes
    per word plus the vocabulary.
    """
    vocab: dict[str, int] = {}
    rows = np.arange(len(texts)) if rows is None else np.asarray(rows)
    wid, counts = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int64)]
    for lo in range(0, len(rows), _BLOCK):
        words, sizes = [], []
        for text in take_rows(texts, rows[lo:lo + _BLOCK]).astype(str).tolist():
            toks = _WORD_RE.findall(fold_for_matching(text))  # folded words are lower case already
            sizes.append(len(toks))
            words.extend(toks)
        codes, distinct = _first_seen(words)  # the block's words numbered in order of first appearance
        del words
        glob = np.array([vocab.setdefault(w, len(vocab)) for w in distinct], dtype=np.int32)
        wid.append(glob[codes] if len(codes) else np.zeros(0, dtype=np.int32))
        counts.append(np.asarray(sizes, dtype=np.int64))
    return wid if blocks else np.concatenate(wid), np.concatenate(counts)


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
    one sparse product of their word occurrences, which also gives difflib's two upper
    bounds of the ratio (``real_quick_ratio``, ``quick_ratio``), so difflib runs only on the
    sentence pairs that can reach `threshold`, once per distinct pair of word sequences.
    Cost: O(words) to index, O(pairs x sentence pairs sharing a word) in the sparse
    products, plus difflib on the distinct sentence pairs that pass (compiled where cydifflib
    is installed: :mod:`analysis.reuse.matcher`, the same ratios).
    Memory: the paired articles' words as one int32 array of word ids (4 bytes a word, plus
    the vocabulary), one int32 occurrence column per word (:class:`_Occurrences`) and a
    sequence number per sentence, one article's candidate pairs at a time, the ratios of the
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
    rounded to 6 digits and whether the words are the same. An article's candidates come from
    one :func:`_prefiltered` call for its run of consecutive pairs; the ratio cache is shared
    by all pairs. Rows are kept in typed arrays (8 bytes a number, no Python object per row).
    O(pairs + prefilter products + difflib on the distinct candidate pairs).
    """
    from array import array

    kp, ra, rb, sims, same = array("q"), array("q"), array("q"), array("d"), array("b")
    first, size = starts.tolist(), lengths.tolist()
    ratios: dict = {}
    cut = np.flatnonzero(np.r_[True, pair_a[1:] != pair_a[:-1], True]).tolist() if len(pair_a) else [0]  # runs of a
    for lo, hi in zip(cut[:-1], cut[1:]):
        a = int(pair_a[lo])
        partners = pair_b[lo:hi].tolist()
        candidates = _prefiltered(occurrences, first, size, a, partners, threshold)
        toks_a = _Sentences(occurrences, first[a], size[a])
        for k, b in zip(range(lo, hi), partners):
            toks_b = _Sentences(occurrences, first[b], size[b])
            for i, j, sim in _align_pair(toks_a, toks_b, threshold, candidates[b], ratios):
                kp.append(k)
                ra.append(first[a] + i)
                rb.append(first[b] + j)
                sims.append(round(sim, 6))
                same.append(toks_a.key(i) == toks_b.key(j))
        del candidates
    del ratios
    return (np.frombuffer(kp, dtype=np.int64), np.frombuffer(ra, dtype=np.int64), np.frombuffer(rb, dtype=np.int64),
            np.frombuffer(sims, dtype=np.float64), np.frombuffer(same, dtype=np.int8).astype(bool))


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
