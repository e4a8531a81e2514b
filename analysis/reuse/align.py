"""Sentence alignment of article pairs that share passages, with word diffs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.reuse.columns import (
    _PREFILTER,
    _WORD_RE,
    ALIGN_COLUMNS,
    ARTICLE_A,
    ARTICLE_B,
    NGRAM,
    SIMILARITY,
    THRESHOLD,
    _first_seen,
    _repeat_numbers,
    _sorted_unique,
)
from analysis.reuse.matcher import SequenceMatcher
from analysis.reuse.passages import _check_params


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
    sentences back in many article pairs; it is keyed by ``sa.key(i)``, ``sb.key(j)`` where
    the sequences have it (:class:`_Sentences`: the int32 occurrence columns as bytes, equal
    exactly when the words are; about a fifth of the memory of a tuple of Python ints),
    else by the sequences themselves. Equal sequences have ratio 1.0 without difflib
    (2n / 2n); for the others one matcher per sentence of b is reused across the
    sentences of a (difflib indexes its second sequence, the costly part), which gives
    the ratio a fresh matcher gives. The matcher is :mod:`analysis.reuse.matcher`'s
    (difflib's algorithm, compiled when cydifflib is installed: the same ratios). O(sum over
    candidates of difflib's cost, about linear in the two sentences' words).
    """
    ratios = {} if ratios is None else ratios
    key_a, key_b = (getattr(s, "key", s.__getitem__) for s in (sa, sb))  # a compact, exact key of a sequence
    scored, matchers = [], {}
    for i, j in candidates:
        ka, kb = key_a(i), key_b(j)
        if ka == kb:
            ratio = 1.0
        else:
            ratio = ratios.get((ka, kb))
            if ratio is None:
                matcher = matchers.get(j)
                if matcher is None:
                    matcher = matchers[j] = SequenceMatcher(None, (), sb[j], autojunk=False)
                matcher.set_seq1(sa[i])
                ratio = ratios[(ka, kb)] = matcher.ratio()
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

    def key(self, k: int) -> bytes:
        """Sentence `k`'s occurrence columns as bytes (int32): equal exactly when its words are (a bijection)."""
        return self.occ[self.bounds[k]:self.bounds[k + 1]].tobytes()

    def words(self, k: int) -> tuple:
        """Sentence `k`'s word ids, as a tuple of ints."""
        w = self.occ[self.bounds[k]:self.bounds[k + 1]]
        if len(self.base):
            w = np.where(w < self.n_words, w, self.base[np.maximum(w - self.n_words, 0)])
        return tuple(w.tolist())


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

    def key(self, i: int) -> bytes:
        """Sentence `i`'s occurrence columns as bytes: equal exactly when the word sequences are."""
        return self._occ.key(self._first + i)

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
        for text in texts.iloc[rows[lo:lo + _BLOCK]].astype(str).tolist():
            toks = _WORD_RE.findall(fold_for_matching(text))  # folded words are lower case already
            sizes.append(len(toks))
            words.extend(toks)
        codes, distinct = _first_seen(words)  # the block's words numbered in order of first appearance
        del words
        glob = np.array([vocab.setdefault(w, len(vocab)) for w in distinct], dtype=np.int32)
        wid.append(glob[codes] if len(codes) else np.zeros(0, dtype=np.int32))
        counts.append(np.asarray(sizes, dtype=np.int64))
    return wid if blocks else np.concatenate(wid), np.concatenate(counts)


_BLOCK = 20_000  # sentences read (folded, split into words) at a time


def align_sentences(sentences: pd.DataFrame, passages: pd.DataFrame, *, threshold: float = THRESHOLD) -> pd.DataFrame:
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
    the vocabulary), one int32 occurrence column per word (:class:`_Occurrences`), one article's candidate
    pairs at a time, and the ratios of the distinct sentence pairs compared; the word tuples
    difflib reads are made for the candidate pairs only, and the rows' texts at the end.
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
    pairs = passages[[ARTICLE_A, ARTICLE_B]].drop_duplicates()
    needed = set(pairs[ARTICLE_A]) | set(pairs[ARTICLE_B])
    at = np.flatnonzero(sentences[S.ARTICLE_ID].isin(needed).to_numpy(dtype=bool))
    codes, names = pd.factorize(sentences[S.ARTICLE_ID].iloc[at])
    at = at[np.argsort(codes, kind="stable")]  # each article's sentences together, in table order
    lengths = dict(zip(names.tolist(), np.bincount(codes, minlength=len(names)).tolist()))
    starts = dict(zip(names.tolist(), np.r_[0, np.cumsum(list(lengths.values()))][:-1].tolist()))
    del codes
    wid, counts = _word_ids(sentences[S.SENTENCE_TEXT], at, blocks=True)
    occurrences = _Occurrences(wid, counts)
    del wid, counts
    present = [(a, b) for a, b in pairs.itertuples(index=False) if lengths.get(a) and lengths.get(b)]
    partners: dict[str, list[str]] = {}
    for a, b in present:
        partners.setdefault(a, []).append(b)
    found, ratios, candidates = [], {}, {}
    for a, b in present:
        if a not in candidates:  # one article's candidates at a time (made when its first pair comes)
            candidates = {a: _prefiltered(occurrences, starts, lengths, a, partners[a], threshold)}
        toks_a = _Sentences(occurrences, starts[a], lengths[a])
        toks_b = _Sentences(occurrences, starts[b], lengths[b])
        for i, j, sim in _align_pair(toks_a, toks_b, threshold, candidates[a][b], ratios):
            found.append((a, b, starts[a] + i, starts[b] + j, round(sim, 6), toks_a.key(i) == toks_b.key(j)))
    del ratios, candidates, occurrences
    rows_a = at[[f[2] for f in found]] if found else np.zeros(0, dtype=np.int64)
    rows_b = at[[f[3] for f in found]] if found else np.zeros(0, dtype=np.int64)
    ids_a, ids_b = (sentences[S.SENTENCE_ID].iloc[r].tolist() for r in (rows_a, rows_b))
    texts_a, texts_b = (sentences[S.SENTENCE_TEXT].iloc[r].astype(str).tolist() for r in (rows_a, rows_b))
    rows = [(a, b, sa, sb, sim, "identical" if same else "paraphrase", ta, tb, "" if same else word_diff(ta, tb))
            for (a, b, _, _, sim, same), sa, sb, ta, tb in zip(found, ids_a, ids_b, texts_a, texts_b)]
    return pd.DataFrame(rows, columns=list(ALIGN_COLUMNS)).astype({SIMILARITY: "float64"})
