"""Link one quotation across the articles that quote it, and find who paraphrased it."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import ParameterError
from analysis.quotes.columns import QUOTE, QUOTE_ID, SPEAKER, UNATTRIBUTED
from analysis.quotes.context import _WORD_RE
from analysis.reuse.columns import _repeat_numbers, _sorted_unique, _unique_inverse
from analysis.reuse.matcher import SequenceMatcher

# ------------------------------------------------------------------------ cross-outlet links
LINK_ID = "quote_group"  # id of a quotation reported in several articles ("g0", "g1", ...)
STATUS = "status"  # "quoted" (quotation marks) or "paraphrased" (same words, no marks)
SIMILARITY = "similarity"  # word overlap with the group's reference quotation (0-1)
LINK_COLUMNS = (LINK_ID, S.ARTICLE_ID, S.OUTLET, STATUS, SPEAKER, "text", SIMILARITY, QUOTE_ID)
MIN_LINK_WORDS = 3  # quotations must share at least this many words (in order) to be linked
MAX_LENGTH_RATIO = 4  # a fragment links to a quotation at most this many times longer
_CHUNK = 2_000  # quotations (or groups) whose candidate pairs are found at once (bounds the memory of the products)
_BLOCK = 20_000  # plain sentences read (folded, split into words) at a time
_MATCHERS = 2_000  # difflib matchers of reference quotations kept at once (each indexes its words)
_PAIRS = 20_000  # candidate pairs whose shared words are counted at once (two row copies each: ~10 MB)
_SIGNED = 250_000  # candidate pairs whose signatures are compared at once (two 32-byte rows each: ~16 MB)
_PRODUCT = 250_000  # (quotation, key, reference) hits of one sparse product of candidate pairs (~100 bytes each)


def _tokens(text: str) -> list[str]:
    """Return the words of `text`, folded (lower case, accents, quotes; O(text))."""
    return _WORD_RE.findall(fold_for_matching(text))  # folding lower-cases (and lower() is idempotent)


def _overlap(a: list[str], b: list[str], matcher=None) -> float:
    """Return matched words (difflib blocks, order kept) / length of the shorter list.

    `matcher`, a :class:`~analysis.reuse.matcher.SequenceMatcher` (difflib's algorithm,
    compiled when cydifflib is installed) whose second sequence is already `b`, saves
    indexing `b` again when one reference is compared with many quotations.
    O(len(a) x len(b)) at worst, about linear for sentences of news.
    """
    if min(len(a), len(b)) < MIN_LINK_WORDS:
        return 0.0
    if matcher is None:
        matcher = SequenceMatcher(None, a, b, autojunk=False)
    else:
        matcher.set_seq1(a)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / min(len(a), len(b)) if matched >= MIN_LINK_WORDS else 0.0


def _least_shared(threshold: float, n):
    """Return the least whole number k with ``k / n >= threshold`` (float division, as the ratios are taken), per n.

    ``ceil(threshold x n)`` up to rounding: the product is rounded once, so the answer is
    nudged by one where ``k / n`` says otherwise. `n` an int or an int array (n >= 1). O(len(n)).
    """
    n = np.asarray(n, dtype=np.int64)
    safe = np.maximum(n, 1)
    k = np.ceil(threshold * safe).astype(np.int64)
    k = np.where((k - 1) / safe >= threshold, k - 1, k)
    k = np.where(k / safe < threshold, k + 1, k)
    return k if k.ndim else int(k)


def _prefix_words(words: list[str], need: int, rank: dict[str, int]) -> set[str]:
    """Return the distinct words among the ``len(words) - need + 1`` rarest occurrences.

    Prefix filtering (Chaudhuri et al., 2006; Bayardo et al., 2007): a text that shares at
    least `need` of the occurrences in `words` shares at least one of these, since at most
    ``len(words) - need`` of them can be missed. Rarest first (by `rank`, then the word), so
    the inverted lists looked up are short.
    """
    if need > len(words):
        return set()
    return set(sorted(words, key=lambda w: (rank.get(w, 0), w))[:len(words) - need + 1])


def _rows(lists: list[list[str]], vocab: dict[str, int], n_rows: int):
    """Return a binary CSR matrix with a 1 at (row, vocab[key]) for each key of each list."""
    from scipy import sparse

    indptr, indices = [0], []
    for keys in lists:
        indices.extend(sorted({vocab[k] for k in keys}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.int32)
    return sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                             shape=(n_rows, len(vocab)))


def _quote_groups(quotes: pd.DataFrame, threshold: float, *, toks: list[list[str]] | None = None) -> list[list[int]]:
    """Group quotations of different articles around a reference quotation (no chaining).

    Longest quotations first; each joins the first group whose reference (its longest
    member) it overlaps by at least `threshold`, with the same speaker (or either
    unattributed), else it starts a group. Only groups spanning two articles are kept.

    Notes
    -----
    A quotation of n words joins a reference only if they share ``need = max(3, k)``
    words, k the least count with ``k / n >= threshold`` (:func:`_least_shared`), counted
    with repeats (difflib matches no more), and the reference is at most four times
    longer. (Until session 27 k was ``floor(threshold x n)``, one less for most n: a
    6-word quotation sharing "the", "to", "the" with a reference was a candidate, and
    difflib compared 227,638 pairs at 10,000 generated articles, 96% of them failing;
    with the least count 20,484, same groups.) Prefix filtering (Chaudhuri et al., ICDE 2006;
    Xiao et al., "PPJoin", WWW 2008) finds every such pair: with word occurrences ordered
    rarest first, a quotation's first ``n - need + 1`` words and a possible reference's
    first ``len - need_min + 1`` (``need_min``: the least any quotation it may take asks
    for) share a word. Those pairs come out of sparse matrix products (scipy) whose
    columns are (speaker, word) keys, so only quotations whose speakers may be linked
    meet, made 2,000 quotations at a time in group order against the references at most
    four times longer (bounded memory); a 256-bit signature of each quotation's words
    (:func:`_signatures`) bounds the shared words from above in a few int operations per
    pair and drops most (a short quotation of stopwords and one rare word meets every
    reference holding its stopwords: 9.7 million pairs at 10,000 generated articles, 1.8
    million kept by 128 bits, fewer by 256); the shared words of the rest come out of another product
    (occurrences as columns), all in C; article and length conditions are array masks.
    Only the pairs left (sharing enough words) are checked in Python, with difflib, in
    the order the groups were made: the groups are the ones comparing each quotation with
    every group gives. Cost: O(words) to index, plus O(pairs sharing a rare word) in
    sparse products, plus difflib on the pairs sharing ``need`` words. Memory: the
    quotations' words (a list of str per quotation) and a few int arrays of their word
    occurrences, O(quotation words), the intermediate index arrays deleted once the
    matrices are built; the candidate pairs of one product, at most about
    :data:`_PRODUCT` (quotation, key, reference) hits (the rows of a 2,000-quotation chunk
    are cut by their hit counts, :func:`_cuts`: one chunk made 817,000 pairs at 10,000
    generated articles, each pair about 100 bytes of index arrays and masks), their
    signatures compared :data:`_SIGNED` pairs at a time (in place) and shared words counted
    :data:`_PAIRS` pairs at a time; the pairs kept as two int arrays (not a Python list per
    quotation), and at most :data:`_MATCHERS` difflib matchers (a fresh matcher gives the
    same ratio). At 4,142 abp-2013 articles (44,433 quotations) 134 MB above what it is
    given (205 MB before session 26); with :func:`link_quotes` (session 28, peak of the
    whole step): 483-505 -> 408 MB at 4,142, 623-638 -> 502 MB at 10,000 generated articles.
    """
    toks = [_tokens(q) for q in quotes[QUOTE]] if toks is None else toks
    arts = pd.factorize(quotes[S.ARTICLE_ID].astype(str))[0]
    speakers, speaker_names = pd.factorize(quotes[SPEAKER].astype(str))
    nobody = speaker_names.get_loc(UNATTRIBUTED) if UNATTRIBUTED in speaker_names else -1
    n_quotes = len(toks)
    lengths = np.array([len(t) for t in toks], dtype=np.int64)
    order = sorted(range(n_quotes), key=lambda i: (-len(toks[i]), i))
    position = np.empty(n_quotes, dtype=np.int64)
    position[order] = np.arange(n_quotes)
    need = np.maximum(MIN_LINK_WORDS, _least_shared(threshold, lengths)).astype(np.int64)
    shortest = np.ceil(lengths / MAX_LENGTH_RATIO)
    need_min = np.maximum(MIN_LINK_WORDS, _least_shared(threshold, shortest.astype(np.int64))).astype(np.int64)
    linkable = lengths >= MIN_LINK_WORDS  # overlap 0 with anything below: never joins, never joined
    occ_q, occ_w, rarity = _occurrences(toks)
    # prefix words, speaker-keyed: a quotation probes (its speaker, word) and (unattributed,
    # word), an unattributed one (anyone, word); a reference is indexed under (its speaker,
    # word) and (anyone, word). So the product pairs exactly the quotations whose speakers
    # may be linked (same, or either unattributed) and that share a prefix word.
    n_speakers = len(speaker_names) + 1  # the last key is "anyone"
    pq, pw = _prefix(occ_q, occ_w, rarity, lengths - need + 1, linkable)
    pk = speakers[pq]
    spoken = pk != nobody
    probe_q = np.r_[pq[spoken], pq[spoken], pq[~spoken]]
    probe_k = np.r_[pk[spoken], np.full(int(spoken.sum()), nobody), np.full(int((~spoken).sum()), n_speakers - 1)]
    probe_w = np.r_[pw[spoken], pw[spoken], pw[~spoken]]
    if nobody < 0:  # no unattributed quotation: nothing is indexed under that key
        keep = probe_k >= 0
        probe_q, probe_k, probe_w = probe_q[keep], probe_k[keep], probe_w[keep]
    iq, iw = _prefix(occ_q, occ_w, rarity, lengths - need_min + 1, linkable)
    index_q = np.r_[iq, iq]
    index_k = np.r_[speakers[iq], np.full(len(iq), n_speakers - 1)]
    index_w = np.r_[iw, iw]
    keys, inverse, _ = _unique_inverse(np.r_[probe_k * (len(rarity) + 1) + probe_w,
                                             index_k * (len(rarity) + 1) + index_w])
    probe = _binary(probe_q, inverse[:len(probe_q)], (n_quotes, len(keys)))
    indexed = _binary(index_q, inverse[len(probe_q):], (n_quotes, len(keys)))
    del pq, pw, pk, spoken, probe_q, probe_k, probe_w, iq, iw, index_q, index_k, index_w, keys, inverse
    # shared words with repeats: the k-th repeat of a word is its own column ("we" twice: we/0, we/1)
    repeat = _repeat_numbers(occ_q * (len(rarity) + 1) + occ_w)
    occ = _binary(occ_q, _unique_inverse(occ_w * (int(lengths.max(initial=0)) + 1) + repeat)[1], (n_quotes, None))
    sig = _signatures(occ_q, occ_w, n_quotes)
    del repeat, occ_q, occ_w, rarity  # the matrices and signatures hold what the pairs need
    # rows in group order (longest first): a chunk of quotations probes only the contiguous
    # run of references before it that are at most MAX_LENGTH_RATIO times longer
    ranked = np.asarray(order, dtype=np.int64)
    probe, indexed = probe[ranked], indexed[ranked]
    longer = -lengths[ranked]  # ascending
    found_i, found_j = [], []
    for lo in range(0, n_quotes, _CHUNK):  # bounded memory: the pairs of _CHUNK quotations at a time
        hi = min(lo + _CHUNK, n_quotes)
        first = int(np.searchsorted(longer, -MAX_LENGTH_RATIO * lengths[ranked[lo]]))
        if first >= hi:
            continue
        refs_t = indexed[first:hi].T.tocsr()  # the chunk's references, one row per key
        # the product's rows are cut so that each part makes at most about _PRODUCT pairs: a
        # row's (key, reference) hits bound its pairs from above (short quotations of common
        # words meet most references: 817,000 pairs for one chunk at 10,000 generated articles)
        hits = probe[lo:hi] @ np.diff(refs_t.indptr)
        for a, b in _cuts(hits, _PRODUCT):
            pairs = (probe[lo + a:lo + b] @ refs_t).tocoo()
            i_idx = ranked[pairs.row.astype(np.int64) + (lo + a)]
            j_idx = ranked[pairs.col.astype(np.int64) + first]
            del pairs
            keep = (position[j_idx] < position[i_idx]) & (arts[i_idx] != arts[j_idx]) \
                & (lengths[j_idx] <= MAX_LENGTH_RATIO * lengths[i_idx]) \
                & ((speakers[i_idx] == speakers[j_idx]) | (speakers[i_idx] == nobody) | (speakers[j_idx] == nobody))
            i_idx, j_idx = i_idx[keep], j_idx[keep]
            # upper bound first (a few int ops per pair, _SIGNED pairs at a time): words of i whose
            # signature bit j lacks are not shared
            keep = np.zeros(len(i_idx), dtype=bool)
            for at in range(0, len(i_idx), _SIGNED):
                i_at, j_at = i_idx[at:at + _SIGNED], j_idx[at:at + _SIGNED]
                lacking = sig[j_at]  # a copy, inverted and masked in place: one 32-byte row per pair
                np.invert(lacking, out=lacking)
                np.bitwise_and(lacking, sig[i_at], out=lacking)
                absent = np.bitwise_count(lacking).sum(axis=1, dtype=np.int64)
                keep[at:at + _SIGNED] = lengths[i_at] - absent >= need[i_at]
            i_idx, j_idx = i_idx[keep], j_idx[keep]
            shared = np.zeros(len(i_idx), dtype=np.int64)
            for at in range(0, len(i_idx), _PAIRS):  # shared occurrences of _PAIRS pairs at a time
                rows_i, rows_j = occ[i_idx[at:at + _PAIRS]], occ[j_idx[at:at + _PAIRS]]
                shared[at:at + _PAIRS] = np.asarray(rows_i.multiply(rows_j).sum(axis=1)).ravel()
            keep = shared >= need[i_idx]
            found_i.append(i_idx[keep])
            found_j.append(j_idx[keep])
    i_idx = np.concatenate(found_i) if found_i else np.zeros(0, dtype=np.int64)
    j_idx = np.concatenate(found_j) if found_j else np.zeros(0, dtype=np.int64)
    by = np.lexsort((position[j_idx], i_idx))  # each quotation's references in group order: int arrays
    refs = j_idx[by]
    bounds = np.searchsorted(i_idx[by], np.arange(n_quotes + 1)).tolist()
    del i_idx, j_idx, by
    group_of: dict[int, list[int]] = {}  # reference quotation -> its group
    groups: list[list[int]] = []
    matchers: dict = {}  # one per reference: difflib indexes its words once (at most _MATCHERS kept)
    for i in order:
        for ref in refs[bounds[i]:bounds[i + 1]].tolist():
            if ref not in group_of:
                continue
            if ref not in matchers:
                if len(matchers) >= _MATCHERS:  # a fresh matcher gives the same ratio: bounded memory
                    matchers.clear()
                matchers[ref] = SequenceMatcher(None, (), toks[ref], autojunk=False)
            if _overlap(toks[i], toks[ref], matchers[ref]) >= threshold:
                group_of[ref].append(i)
                break
        else:
            groups.append([i])
            group_of[i] = groups[-1]
    return [sorted(g) for g in groups if len({arts[i] for i in g}) > 1]


_SIGNATURE_WORDS = 4  # 64-bit words per quotation signature (256 bits)


def _signatures(occ_q: np.ndarray, occ_w: np.ndarray, n_lists: int) -> np.ndarray:
    """Return a 256-bit signature per list: bit ``hash(word) mod 256`` set for each of its words.

    ``uint64`` array of shape (n_lists, 4). Two lists share no word whose bit one of them
    lacks, so ``n_i - popcount(sig_i & ~sig_j)`` bounds the words (repeats counted) list i
    shares with list j from above, whatever the hash (a shared bit may be two different
    words; an absent bit is never a shared word). O(words).
    """
    sig = np.zeros((n_lists, _SIGNATURE_WORDS), dtype=np.uint64)
    if not len(occ_q):
        return sig
    mixed = (occ_w.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(56)  # 8 bits: 0-255
    half, bit = (mixed >> np.uint64(6)).astype(np.int64), mixed & np.uint64(63)
    np.bitwise_or.at(sig, (occ_q, half), np.left_shift(np.uint64(1), bit))
    return sig


def _cuts(weights: np.ndarray, budget: int) -> list[tuple[int, int]]:
    """Cut ``range(len(weights))`` into consecutive ``(start, stop)`` parts of total weight at most `budget`.

    A part ends before the row that would take it past `budget` (a row heavier than `budget`
    is a part of its own); weights >= 0. O(len(weights)) with one bisection per part.
    """
    total = np.cumsum(np.asarray(weights, dtype=np.int64))
    out, a = [], 0
    while a < len(total):
        base = total[a - 1] if a else 0
        b = max(a + 1, int(np.searchsorted(total, base + budget, side="right")))
        out.append((a, b))
        a = b
    return out


def _occurrences(token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return every word occurrence as (list, word id), and each word id's rarity rank.

    The rarity rank orders the words by the number of lists holding them, then by the word
    itself (the order :func:`_prefix_words` sorts by). O(words + vocabulary log vocabulary).
    """
    flat = [w for toks in token_lists for w in toks]
    occ_q = np.repeat(np.arange(len(token_lists), dtype=np.int64), [len(t) for t in token_lists])
    occ_w, vocab = pd.factorize(pd.Series(flat, dtype=object))
    occ_w = occ_w.astype(np.int64)
    df = np.zeros(len(vocab), dtype=np.int64)
    if len(flat):
        distinct = _sorted_unique(occ_q * len(vocab) + occ_w)
        df = np.bincount(distinct % len(vocab), minlength=len(vocab))
    words, counts = vocab.tolist(), df.tolist()
    by_rarity = sorted(range(len(words)), key=lambda k: (counts[k], words[k]))
    rarity = np.empty(len(vocab), dtype=np.int64)
    rarity[by_rarity] = np.arange(len(vocab))
    return occ_q, occ_w, rarity


def _prefix(occ_q: np.ndarray, occ_w: np.ndarray, rarity: np.ndarray, keep: np.ndarray,
            linkable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (list, word id) of the distinct words among each list's `keep` rarest occurrences.

    The vectorised :func:`_prefix_words` (lists not `linkable`, or with `keep` < 1, give none).
    O(words log words).
    """
    by = np.lexsort((rarity[occ_w], occ_q))
    q, w = occ_q[by], occ_w[by]
    starts = np.searchsorted(q, np.arange(len(keep)))
    rank = np.arange(len(q)) - starts[q]  # rank of the occurrence within its list, rarest first
    sel = (rank < keep[q]) & linkable[q]
    q, w = q[sel], w[sel]
    if not len(q):
        return q, w
    distinct = _sorted_unique(q * (len(rarity) + 1) + w)
    return distinct // (len(rarity) + 1), distinct % (len(rarity) + 1)


def _binary(rows: np.ndarray, cols: np.ndarray, shape: tuple):
    """Return a binary CSR matrix with a 1 at each (row, col) (repeats count once)."""
    from scipy import sparse

    cols = np.asarray(cols, dtype=np.int64)
    n_cols = shape[1] if shape[1] is not None else int(cols.max(initial=-1)) + 1
    m = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (np.asarray(rows, dtype=np.int64), cols)),
                          shape=(shape[0], max(n_cols, 1)))
    m.sum_duplicates()
    m.data[:] = 1
    return m


def _content_hits(sentences: pd.DataFrame, rows: np.ndarray, words: frozenset, vocab: dict[str, int]):
    """Return a binary CSR matrix (sentence of `rows`, word id): the distinct words of `words` each holds.

    The sentences are read :data:`_BLOCK` at a time (their text, folded and split into words
    as :func:`_tokens` does), and only the words of `words` are kept, as int arrays: no Python
    object per sentence outlives its block. The matrix is built from its parts (per sentence
    a count, per hit a word id; column indices sorted), the matrix :func:`_binary` makes of
    the (row, word id) pairs. O(words of the sentences) time; memory O(block) plus 8 bytes
    per hit (its column index and its 1), and no (row, column) pair arrays.
    """
    from scipy import sparse

    from analysis.partition import take_rows

    sizes, codes = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int32)]
    text = sentences[S.SENTENCE_TEXT]
    for lo in range(0, len(rows), _BLOCK):
        held_sizes, ids = [], []
        for t in take_rows(text, rows[lo:lo + _BLOCK]).tolist():  # not iloc: see partition.take_rows
            held = words.intersection(_tokens(t))
            held_sizes.append(len(held))
            ids.extend(vocab[w] for w in held)
        sizes.append(np.asarray(held_sizes, dtype=np.int64))
        codes.append(np.asarray(ids, dtype=np.int32))
    indptr = np.r_[0, np.cumsum(np.concatenate(sizes))]
    del sizes
    indices = np.concatenate(codes)
    del codes
    m = sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr),
                          shape=(len(rows), max(len(vocab), 1)))
    m.sort_indices()
    return m


def _paraphrases(wanted: list, sentences: pd.DataFrame, plain: np.ndarray, threshold: float) -> list[tuple]:
    """Return "paraphrased" rows: plain sentences of other articles holding `threshold` of a group's content words.

    `plain` are the positions (in `sentences`) of the sentences without quotation marks.
    Only the groups' content words count, so only those are looked for in the sentences
    (:func:`_content_hits`: int arrays, block by block). Prefix filtering again: a sentence
    holding ``need`` of the content words (repeats counted) holds one of the rarest ``len -
    need + 1``; the (group, sentence) pairs sharing such a word come out of a sparse product
    (:data:`_CHUNK` groups at a time), the content words each sentence holds out of another,
    and only the pairs reaching `threshold` become rows (in group, then sentence order).
    The rows are the exhaustive comparison's: the prefix only skips pairs that cannot reach
    `threshold`, whatever order ranks the words.

    Cost: O(words of the plain sentences) to read them, once; O(pairs sharing a rare content
    word) in the products. Memory: one block of sentence texts, 8 bytes per (sentence,
    content word) hit held as a CSR matrix and its transpose, and the candidate pairs of
    one product (at most about :data:`_PRODUCT` hits, :func:`_cuts`); the ids and texts are
    read only for the rows kept (a quoting article's sentence is dropped by int codes).
    """
    if not wanted or not len(plain):
        return []
    words = sorted({w for _, content, _ in wanted for w in content})
    vocab = {w: k for k, w in enumerate(words)}
    sents = _content_hits(sentences, plain, frozenset(words), vocab)
    df = np.bincount(sents.indices, minlength=len(words))  # sentences holding each content word
    rank = {w: n for w, n in zip(words, df.tolist()) if n}  # a word no sentence holds is never looked up
    prefix = _rows([[w for w in _prefix_words(content, max(1, _least_shared(threshold, len(content))), rank)
                     if w in rank] for _, content, _ in wanted], vocab, len(wanted))
    counts = _count_rows([content for _, content, _ in wanted], vocab)
    n_content = np.array([len(content) for _, content, _ in wanted], dtype=np.int64)
    sents_t = sents.T.tocsr()  # one row per content word: converted once, not per product
    per_word = np.diff(sents_t.indptr)  # sentences holding each word
    found = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))]
    for lo in range(0, len(wanted), _CHUNK):
        hi = min(lo + _CHUNK, len(wanted))
        # cut so that one product makes at most about _PRODUCT pairs (a group's prefix words'
        # sentences bound its pairs from above)
        for a, b in _cuts(prefix[lo:hi] @ per_word, _PRODUCT):
            pairs = (prefix[lo + a:lo + b] @ sents_t).tocoo()
            g_idx, k_idx = pairs.row.astype(np.int64) + (lo + a), pairs.col.astype(np.int64)
            del pairs
            held = np.zeros(len(g_idx), dtype=np.int64)  # content words (with repeats) each candidate sentence holds
            for at in range(0, len(g_idx), _PAIRS):
                part = counts[g_idx[at:at + _PAIRS]].multiply(sents[k_idx[at:at + _PAIRS]])
                held[at:at + _PAIRS] = np.asarray(part.sum(axis=1)).ravel()
            share = held / n_content[g_idx]  # the float division Python does
            keep = share >= threshold
            found.append((g_idx[keep], k_idx[keep], share[keep]))
    del sents, sents_t, prefix, counts
    g_idx, k_idx, share = (np.concatenate(parts) for parts in zip(*found))
    by = np.lexsort((share, k_idx, g_idx))
    g_idx, k_idx, share = g_idx[by], k_idx[by], share[by]
    at = plain[k_idx]
    # a sentence of an article that quotes the group is no paraphrase: dropped by article codes
    # (int arrays) before any id or text of the candidates is read as a Python object
    art_codes, art_ids = pd.factorize(sentences[S.ARTICLE_ID])
    quoting = [aid for _, _, arts in wanted for aid in arts]
    quoting_g = np.repeat(np.arange(len(wanted), dtype=np.int64), [len(arts) for _, _, arts in wanted])
    quoting_code = pd.Index(art_ids).get_indexer(pd.Index(quoting, dtype=object)).astype(np.int64)
    width = len(art_ids) + 1  # code -1 (an id no sentence has) stays apart from every code
    kept = ~np.isin(g_idx * width + art_codes[at].astype(np.int64), quoting_g * width + quoting_code)
    at, share = at[kept], share[kept]
    gids = [wanted[g][0] for g in g_idx[kept].tolist()]
    aids, outlets, texts = (_taken(sentences[c], at) for c in (S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT))
    return [(gid, aid, outlet, "paraphrased", "", text, round(sh, 6), "")
            for gid, aid, outlet, text, sh in zip(gids, aids, outlets, texts, share.tolist())]


def _taken(column: pd.Series, at: np.ndarray) -> list:
    """Return ``column.iloc[at].tolist()``, an Arrow column taken chunk by chunk.

    pandas' ``iloc`` on a chunked Arrow string column joins its chunks first (a copy of the
    whole column: +56 MB for the sentence texts at 10,000 generated articles), and so does
    pyarrow's own ``take`` on the chunked array (apache/arrow#39565), which this used until
    session 33; :func:`analysis.partition.take_rows` takes each chunk's rows from that chunk.
    O(len(at) log len(at)).
    """
    from analysis.partition import take_rows

    return take_rows(column, np.asarray(at, dtype=np.int64)).tolist()


def _count_rows(lists: list[list[str]], vocab: dict[str, int]):
    """Return a CSR matrix of how often each key occurs in each list."""
    from scipy import sparse

    indptr, indices, data = [0], [], []
    for keys in lists:
        for k, n in sorted(Counter(vocab[w] for w in keys).items()):
            indices.append(k)
            data.append(n)
        indptr.append(len(indices))
    return sparse.csr_matrix((np.asarray(data, dtype=np.int64), np.asarray(indices, dtype=np.int64),
                              np.asarray(indptr)), shape=(len(lists), len(vocab)))


def link_quotes(quotes: pd.DataFrame, sentences: pd.DataFrame, *, threshold: float = 0.6) -> pd.DataFrame:
    """Link one quotation across the outlets that quote it, and find who paraphrased it.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`extract_quotes`.
    sentences : pandas.DataFrame
        The sentence table (``article_id``, ``outlet``, ``sentence_text``, ``quoted``).
    threshold : float, default 0.6
        Minimum word overlap (matched words in order / words of the shorter text), in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per (quotation group, article), columns :data:`LINK_COLUMNS`, for groups
        quoted by at least two articles: "quoted" rows carry the quotation, "paraphrased"
        rows a sentence with no quotation marks in another article that repeats at least
        `threshold` of the group's longest quotation's content words. Sorted by group
        size (largest first), group, status, article.

    Notes
    -----
    Groups form around the longest quotation, with the same speaker, so fragments do not
    chain unrelated quotations together; a fragment of fewer than three words ("too
    late") is never linked, nor a fragment to a quotation more than four times its
    length. Paraphrase detection counts the quotation's lower-case content words only
    (names are in every sentence about the story). Paraphrase here means the same
    content words without quotation marks; a reworded paraphrase is found by
    :mod:`analysis.reuse` instead.

    Cost: grouping is O(words) to index plus sparse products over the (quotation,
    reference) pairs sharing a rare word, and difflib only on the pairs sharing enough
    words (see :func:`_quote_groups`); paraphrases likewise: sparse products over the
    (group, sentence) pairs sharing one of the group's rarest content words, not
    O(groups x sentences). Same result as the exhaustive comparison (prefix filtering
    only skips pairs that cannot reach `threshold`): checked equal, table for table, with
    the exhaustive implementation on the bundled corpus, the three dev corpora and the
    first 300 and 1,000 articles of abp-2013, and with the previous implementation on all
    4,142 (``bench/voices.py --check``). The number of candidate pairs still grows faster
    than the corpus (a quotation reported by m articles makes m^2 pairs, and a short
    quotation of common words meets every reference holding them), but since session 27
    a pair costs a few int operations (the least shared count and the word signatures of
    :func:`_quote_groups`) and difflib runs only on pairs that can link: CPU 0.9-1.0 s at
    1,000 abp-2013 articles, 4.9-5.8 s at 4,142, 10.5-12.5 s at 10,000 and 71 s at 40,000
    generated ones (before: 1.1, 8.0, 29.5 and 523 s; exponent 1.65 -> 1.15;
    ``bench/quotes.py --link-tables``).

    Memory: the quotations' as :func:`_quote_groups` says, and for paraphrases the plain
    sentences are read 20,000 at a time and only the groups' content words kept, as int
    arrays (8 bytes per sentence holding one): no Python object per sentence of the corpus
    (the word set per plain sentence held before session 26 made the step's working memory
    +761 MB at 4,142 abp-2013 articles; ``bench/voices.py --memory`` measures it). The
    quotations' words share one str object per distinct word (52 -> 14 MB at 10,000
    generated articles). Peak of the step (session 28, ``bench/quotes.py --link-tables``):
    483-505 -> 408 MB at 4,142 abp-2013 articles, 623-638 -> 502 MB at 10,000 generated ones,
    same CPU. At 40,000 generated articles (133,956 quotations, 1.5 million sentences) the step
    rose +708 MB over its start, +521 since session 33: the plain sentences' texts and the
    kept rows are taken chunk by chunk (:func:`analysis.partition.take_rows`), where ``iloc``
    and pyarrow's ``take`` joined the whole text column first (205 MB) for every block.

    Raises
    ------
    SchemaError
        If a table lacks a required column.
    ParameterError
        If `threshold` is not a number in (0, 1].

    Examples
    --------
    >>> q = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "speaker": ["T", "T"],
    ...                   "quote": ["We are talking to the people of the island", "talking to the people"],
    ...                   "quote_id": ["a/q0", "b/q0"]})
    >>> s = pd.DataFrame({"article_id": ["c"], "outlet": ["Z"], "quoted": ["none"],
    ...                   "sentence_text": ["He said they were talking to people on the island."]})
    >>> link_quotes(q, s)[["article_id", "status", "similarity"]].values.tolist()
    [['a', 'quoted', 1.0], ['b', 'quoted', 1.0], ['c', 'paraphrased', 1.0]]
    """
    from analysis.resources import stopwords

    S.check_columns(quotes, [S.ARTICLE_ID, S.OUTLET, SPEAKER, QUOTE, QUOTE_ID], table="quotes")
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT, S.QUOTED], table="sentences")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise ParameterError(f"link_quotes: threshold {threshold!r}; use a number in (0, 1]")
    stop = stopwords("english")
    plain = np.flatnonzero((sentences[S.QUOTED] == "none").to_numpy(dtype=bool, na_value=False))  # no quotation marks
    quotes = quotes.reset_index(drop=True)
    col = {c: quotes[c].tolist() for c in (S.ARTICLE_ID, S.OUTLET, SPEAKER, QUOTE, QUOTE_ID)}
    one: dict[str, str] = {}  # one str object per distinct word, shared by every list holding it
    toks = [[one.setdefault(w, w) for w in _tokens(t)] for t in col[QUOTE]]
    del one
    rows, wanted = [], []  # wanted: (group id, content words, quoting articles) of each group
    for members in _quote_groups(quotes, threshold, toks=toks):
        top = max(members, key=lambda m: (len(toks[m]), col[QUOTE][m]))  # the longest quotation
        ref, ref_toks = col[QUOTE][top], toks[top]
        gid = min(col[QUOTE_ID][m] for m in members)
        for m in members:
            rows.append((gid, col[S.ARTICLE_ID][m], col[S.OUTLET][m], "quoted", col[SPEAKER][m], col[QUOTE][m],
                         round(_overlap(toks[m], ref_toks), 6), col[QUOTE_ID][m]))
        content = [fold_for_matching(w).lower() for w in _WORD_RE.findall(ref)  # names do not count:
                   if w[:1].islower() and fold_for_matching(w).lower() not in stop]  # "Donald Trump" is everywhere
        if len(content) >= MIN_LINK_WORDS:
            wanted.append((gid, content, {col[S.ARTICLE_ID][m] for m in members}))
    rows += _paraphrases(wanted, sentences, plain, threshold)
    out = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    size = out.groupby(LINK_ID)[S.ARTICLE_ID].transform("nunique")
    out = out.assign(_size=size).sort_values(["_size", LINK_ID, STATUS, S.ARTICLE_ID],
                                             ascending=[False, True, False, True], kind="stable")
    return out.drop(columns="_size").reset_index(drop=True)
