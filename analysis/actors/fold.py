"""Count actor words chunk by chunk and fold the counts as packed integer keys (:func:`actor_words_folded`).

Split from :mod:`analysis.actors` (whose public names it uses, and which re-exports
:func:`actor_words_folded`): the tokenizing of each chunk of articles on integers
(:func:`_chunk_keys`), the vocabularies, and the fold of sorted packed keys and counts.
"""

from __future__ import annotations

from itertools import islice

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.actors import (
    ACTOR,
    ALL_WORDS,
    COUNT,
    FOLD_CHUNK,
    POSITION,
    TERM,
    _check_top,
    _ranked,
    actor_word_counts,
    words_by_actor,
)
from analysis.errors import ParameterError
from analysis.partition import take_rows


class _Vocabulary:
    """Strings numbered in the order first seen: a code per string, the same across chunks."""

    def __init__(self) -> None:
        self.code: dict[str, int] = {}

    def encode(self, values: pd.Series) -> np.ndarray:
        codes, uniques = pd.factorize(values)  # one dictionary look-up per distinct value of the chunk
        known = self.code
        mine = np.fromiter((known.setdefault(u, len(known)) for u in uniques.tolist()), dtype=np.int64,
                           count=len(uniques))
        return mine[codes].astype(np.int32)

    def decode(self, codes: np.ndarray) -> np.ndarray:
        return np.array(list(self.code), dtype=object)[codes]


_BITS = 21  # bits of an actor code and of a term code in a packed key; the outlet code above them
_MASK = (1 << _BITS) - 1


def _summed(key: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct packed keys in order and the summed counts of each. O(n log n)."""
    order = np.argsort(key, kind="stable")
    key, c = key[order], c[order]
    del order
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    return key[starts], np.add.reduceat(c, starts) if len(c) else c


def _check_codes(*vocabularies) -> None:
    """Refuse more distinct outlets, actors or words than a packed key's 21 bits hold."""
    if max(len(v) for v in vocabularies) > _MASK:
        raise ParameterError(f"actor_words_folded: more than {_MASK:,} distinct outlets, actors or words "
                             "(they are packed in 21 bits each); use words_by_actor(partition.per_article("
                             "actor_word_counts, mentions, sentences)) for this corpus")


_BLOCK = 1 << 18  # old keys moved at a time when new keys are merged into the sum in place


def _added_into(total: tuple[np.ndarray, np.ndarray] | None, key: np.ndarray,
                c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Add distinct sorted packed keys and their counts into the sorted keys and counts so far.

    Keys are ``outlet << 42 | actor << 21 | term``, so their order is that of (outlet, actor,
    term) codes. Counts of keys already there are added in place; the arrays of the sum are
    grown in place (``ndarray.resize``: ``realloc``, which for large arrays remaps their pages
    instead of copying them) and the new keys merged in from the end, the old keys moved up
    a block at a time, so the sum is never held twice.

    Notes
    -----
    O(R + n log R) time for R keys so far and n new ones; memory: the grown sum (16 bytes a
    key) plus O(n + :data:`_BLOCK`).
    """
    if total is None:
        return np.array(key, dtype=np.int64), np.array(c, dtype=np.int64)  # own their memory: resizable
    keys, counts = total
    size = len(keys)
    pos = np.searchsorted(keys, key)
    found = pos < size
    found[found] = keys[pos[found]] == key[found]
    counts[pos[found]] += c[found]
    new = ~found
    key, c, pos = key[new], c[new], pos[new]  # pos: the old keys before each new key, in order
    del found, new
    if not len(key):
        return keys, counts
    keys.resize(size + len(key), refcheck=False)
    counts.resize(size + len(key), refcheck=False)
    # old key i moves up by the number of new keys placed before it; from the end down, so a
    # block's destination never overwrites an old key not yet moved
    for hi in range(size, int(pos[0]), -_BLOCK):
        lo = max(hi - _BLOCK, int(pos[0]))
        to = np.arange(lo, hi) + np.searchsorted(pos, np.arange(lo, hi), side="right")
        keys[to] = keys[lo:hi].copy()
        counts[to] = counts[lo:hi].copy()
    at = pos + np.arange(len(key))
    keys[at] = key
    counts[at] = c
    return keys, counts


_ENCODER_TERMS = 1 << 17  # a fresh tokenizer after this many terms: bounds its dictionaries' memory (bench/actors.py)


class _Codes:
    """Codes of outlets, actors and words for :func:`actor_words_folded`'s integer path.

    Words are tokenized by an :class:`analysis.tokens.Encoder` (tokenize's defaults) kept
    across chunks, so each distinct token is normalised once per encoder, and replaced by a
    fresh one (:meth:`renew`) once it holds :data:`_ENCODER_TERMS` terms; word codes are
    kept by term string, so they are the same across encoders.
    """

    def __init__(self) -> None:
        self.outlet, self.actor = _Vocabulary(), _Vocabulary()
        self.actor.code[ALL_WORDS] = 0  # the outlet-wide rows (an actor named "" adds into them, as before)
        self.word: dict[str, int] = {}  # term -> word code
        self.spelled: list[str] = []  # word code -> term
        self.renew()

    def renew(self) -> None:
        from analysis.tokens import Encoder

        self.encoder = Encoder()
        self.term = np.zeros(0, dtype=np.int64)  # the encoder's term id -> word code (-1: not looked up)

    def words(self, ids: np.ndarray) -> np.ndarray:
        """Return the word codes of the encoder's term ids `ids`, numbering new words. O(len(ids) + new terms)."""
        n = self.encoder.n_terms
        if len(self.term) < n:
            self.term = np.concatenate([self.term, np.full(n - len(self.term), -1, dtype=np.int64)])
        new = np.unique(ids[self.term[ids] < 0])
        if len(new):
            word, spelled = self.word, self.spelled
            n = len(word)
            self.term[new] = [word.setdefault(t, len(word)) for t in self.encoder.terms[new].tolist()]
            spelled.extend(reversed(list(islice(reversed(word), len(word) - n))))  # the words numbered now
        return self.term[ids]

    def decode_words(self, codes: np.ndarray) -> np.ndarray:
        """Return the terms of word codes `codes` (an object array). O(len(codes))."""
        out = np.empty(len(codes), dtype=object)
        spelled = self.spelled
        out[:] = [spelled[i] for i in codes.tolist()]
        return out


def _codes_of(vocab: _Vocabulary, values: pd.Series) -> np.ndarray:
    """int64 codes of `values`, -1 where missing (dropped, as group keys are)."""
    missing = values.isna().to_numpy()
    out = np.full(len(values), -1, dtype=np.int64)
    if not missing.all():
        out[~missing] = vocab.encode(values[~missing])
    return out


def _chunk_keys(codes: _Codes, mentions: pd.DataFrame, sentences: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the packed keys and counts of :func:`actor_word_counts` of one chunk, summed (integer path).

    The same rows as ``actor_word_counts(mentions, sentences)`` encoded: the words are
    :class:`analysis.tokens.Encoder`'s (tokenize's) of the sentences, kept as tokenize's
    ``kind == "word"`` and not ``is_stopword``, minus the tokens inside a body mention of
    the same sentence; each is counted for its outlet and for every actor named in its
    sentence (a mention of the same outlet). Raises :class:`_RepeatedIds` if a sentence id
    repeats in the chunk.
    O(tokens + token x mention pairs of the same sentence + pairs log pairs).
    """
    enc = codes.encoder
    texts = sentences[S.SENTENCE_TEXT].tolist()
    raw_ids, per_text, starts, ends = enc.add_spans(texts)
    _, raw_term, raw_stop, raw_number = enc.raw_forms()
    which = np.repeat(np.arange(len(texts)), per_text)
    word = np.flatnonzero(~(raw_stop | raw_number)[raw_ids])
    which, raw_ids = which[word], raw_ids[word]
    base = sentences[S.START].to_numpy(dtype=np.int64)[which]
    t_start, t_end = base + starts[word], base + ends[word]
    del starts, ends, base
    body = mentions[(mentions[POSITION] != "headline").to_numpy()]
    ids = pd.Index(sentences[S.SENTENCE_ID])
    if not ids.is_unique:
        raise _RepeatedIds
    at = ids.get_indexer(body[S.SENTENCE_ID])  # -1: not a sentence of the chunk
    # tokens inside a mention span of their sentence (old: a merge on sentence id)
    spans = pd.DataFrame({"s": at, "a": body[S.START].to_numpy(dtype=np.int64),
                          "b": body[S.END].to_numpy(dtype=np.int64)})
    spans = spans[spans["s"] >= 0].drop_duplicates().sort_values("s", kind="stable")
    s_of, lo_b, hi_b = spans["s"].to_numpy(), spans["a"].to_numpy(), spans["b"].to_numpy()
    lo = np.searchsorted(s_of, which, side="left")
    n = np.searchsorted(s_of, which, side="right") - lo
    tok = np.repeat(np.arange(len(which)), n)
    span = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(len(tok))
    inside = np.zeros(len(which), dtype=bool)
    inside[tok[(lo_b[span] <= t_start[tok]) & (t_end[tok] <= hi_b[span])]] = True
    del tok, span, lo, n, t_start, t_end
    o_sent = _codes_of(codes.outlet, sentences[S.OUTLET])
    keep = np.flatnonzero(~inside & (o_sent[which] >= 0))
    which = which[keep]  # sorted: tokens in sentence order
    term = codes.words(raw_term[raw_ids[keep]])
    del keep, inside, raw_ids
    o_tok = o_sent[which]
    everything = (o_tok << (2 * _BITS)) | term  # actor code 0: ALL_WORDS
    # (sentence, actor) of the body mentions whose outlet is the sentence's: each counts every kept token
    a_code = _codes_of(codes.actor, body[ACTOR])
    o_men = _codes_of(codes.outlet, body[S.OUTLET])
    ok = (at >= 0) & (a_code >= 0) & (o_men >= 0)
    ok[ok] = o_men[ok] == o_sent[at[ok]]
    pairs = np.unique((at[ok] << 32) | a_code[ok])
    p_sent, p_actor = pairs >> 32, pairs & 0xFFFFFFFF
    first = np.searchsorted(which, np.arange(len(texts) + 1))
    n = first[p_sent + 1] - first[p_sent]
    tok = np.repeat(first[p_sent] - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    _check_codes(codes.actor.code, codes.word, codes.outlet.code)
    by_actor = (o_tok[tok] << (2 * _BITS)) | (np.repeat(p_actor, n) << _BITS) | term[tok]
    key = np.concatenate([everything, by_actor])
    return _summed(key, np.ones(len(key), dtype=np.int64))


def _chunk_word_counts(chunk: list[pd.DataFrame]) -> pd.DataFrame:
    return actor_word_counts(chunk[0], chunk[1])


_PENDING = 8  # chunk rows wait until they are 1/_PENDING of the sum's rows, then merge at once
_PENDING_MIN = 1 << 18  # ... or this many


class _RepeatedIds(Exception):
    """A chunk's sentence ids repeat: :func:`_chunk_keys` cannot place its mentions."""


def _outlet_chunks(tables: list[pd.DataFrame], chunk_articles: int, kept: list | None = None):
    """Return whether the articles are ordered by outlet, and their chunks of `chunk_articles` articles.

    `tables` are the sentences first, then any other tables of the same articles (the
    mentions); each chunk is a list of their rows (:func:`analysis.partition.take_rows`, in table order) for the
    same articles, as :func:`analysis.partition.article_chunks` gives; `kept`, if given, a
    boolean array or None per table: only those rows are taken. The articles come outlet by
    outlet (the outlet of their sentences), in the order of the outlets' names (as the words
    table sorts them), and within an outlet in the order the sentences first name them, so
    an outlet's words are counted in consecutive chunks and its sum can be ranked and
    dropped before the next outlet's. If some article's sentences name two outlets, the
    articles keep that order (False: one sum for every outlet, as before). Articles whose
    sentences name no outlet, and rows of the other tables whose article has no sentence,
    are in no chunk: nothing of theirs is counted (a token counts for its sentence's outlet,
    a mention where its outlet is its sentence's).

    Notes
    -----
    O(rows log rows) to order the rows, then O(rows) for the takes; memory: a few integer
    arrays of the tables' rows, then one chunk's rows.
    """
    sentences = tables[0]
    article, articles = pd.factorize(sentences[S.ARTICLE_ID], use_na_sentinel=False)
    outlet, outlets = pd.factorize(sentences[S.OUTLET])  # -1: missing
    n_articles, n_outlets = len(articles), max(len(outlets), 1)
    named = outlet >= 0
    pairs = np.unique(article[named].astype(np.int64) * n_outlets + outlet[named])  # (article, outlet) named
    del named, outlet
    rank = np.full(n_articles, -1, dtype=np.int64)  # each article's outlet rank; -1: none, not counted
    by_outlet = not (len(pairs) and (np.diff(pairs // n_outlets) == 0).any())
    if by_outlet:
        by_name = np.empty(len(outlets), dtype=np.int64)
        by_name[np.argsort(np.asarray(outlets, dtype=object), kind="stable")] = np.arange(len(outlets))
        rank[pairs // n_outlets] = by_name[pairs % n_outlets]
    else:
        rank[pairs // n_outlets] = 0
    del pairs, outlets
    order = np.argsort(rank, kind="stable")  # articles outlet by outlet
    chunk = np.full(n_articles + 1, -1, dtype=np.int64)  # each article's chunk; the last entry: no article
    counted = order[rank[order] >= 0]
    chunk[counted] = np.arange(len(counted)) // chunk_articles
    del rank, order, counted
    rows_by_chunk = []
    for k, table in enumerate(tables):
        if k:
            codes, ids = pd.factorize(table[S.ARTICLE_ID], use_na_sentinel=False)
            article = pd.Index(articles).get_indexer(ids)[codes] if len(ids) else codes
            del codes, ids
        key = chunk[article]  # -1 (the last entry) for an article of no sentence
        if kept is not None and kept[k] is not None:
            key[~kept[k]] = -1
        rows = np.argsort(key, kind="stable")
        rows_by_chunk.append((rows, key[rows]))
        del key
    del article, chunk

    def chunks():
        n = int(rows_by_chunk[0][1][-1]) + 1 if len(rows_by_chunk[0][1]) else 0
        for k in range(n):
            part = []
            for table, (rows, key) in zip(tables, rows_by_chunk):
                mine = rows[np.searchsorted(key, k):np.searchsorted(key, k, side="right")]
                part.append(pd.DataFrame({c: take_rows(table[c], mine) for c in table.columns}))
            yield part

    return by_outlet, chunks()


def _by_outlet(vocab: _Vocabulary, key: np.ndarray, c: np.ndarray, by_outlet: bool):
    """Yield (outlet, (keys, counts)) for each outlet of a chunk's sorted keys, in the order of the outlets' names.

    With `by_outlet` False, (0, (keys, counts)) once. Nothing for no keys.
    """
    if not len(key):
        return
    if not by_outlet:
        yield 0, (key, c)
        return
    o = key >> (2 * _BITS)
    starts = np.flatnonzero(np.r_[True, o[1:] != o[:-1]])
    ends = np.r_[starts[1:], len(key)]
    names = vocab.decode(o[starts])
    for i in np.argsort(names, kind="stable").tolist():
        yield names[i], (key[starts[i]:ends[i]], c[starts[i]:ends[i]])


def _folded_codes(mentions: pd.DataFrame, sentences: pd.DataFrame, chunk_articles: int):
    """Yield each outlet's summed (keys, counts) (:func:`_outlet_chunks`, :func:`_fold`), counted here on integers.

    Yields the vocabularies (``TERM`` a decoding function) first: one :class:`_Codes` serves
    every chunk.
    """
    codes = _Codes()
    m_cols = [S.ARTICLE_ID, S.SENTENCE_ID, S.OUTLET, ACTOR, S.START, S.END, POSITION]
    s_cols = [S.ARTICLE_ID, S.SENTENCE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT]
    S.check_columns(sentences, s_cols, table="sentences")
    body = (mentions[POSITION] != "headline").to_numpy()  # only body mentions count
    by_outlet, chunks = _outlet_chunks([sentences[s_cols], mentions[m_cols]], chunk_articles, kept=[None, body])
    del body
    yield {S.OUTLET: codes.outlet, ACTOR: codes.actor, TERM: codes.decode_words}

    def counted():
        for s, m in chunks:
            yield from _by_outlet(codes.outlet, *_chunk_keys(codes, m, s), by_outlet)
            if codes.encoder.n_terms > _ENCODER_TERMS:
                codes.renew()

    yield from _group_sums(counted())


def _group_sums(parts):
    """Yield the :func:`_fold` of each run of (group, (keys, counts)) parts of the same group."""
    from itertools import groupby

    for _, run in groupby(parts, key=lambda part: part[0]):
        yield _fold(part for _, part in run)


def _fold(parts) -> tuple[np.ndarray, np.ndarray] | None:
    """Sum the distinct sorted (keys, counts) of `parts` into one sorted sum; None for no keys.

    Each part waits in a list until the waiting keys are 1/:data:`_PENDING` of the sum's
    rows (or :data:`_PENDING_MIN`), then they are summed together and merged into the sum by
    :func:`_added_into`: O(R) per merge, and a merge per R/_PENDING keys of the parts, so
    O(keys of the parts) in all, not O(R) per part (which grew as parts x rows).
    """
    total, pending, waiting = None, [], 0
    for key, c in parts:
        pending.append((key, c))
        waiting += len(key)
        if waiting >= max(_PENDING_MIN, (len(total[0]) if total is not None else 0) // _PENDING):
            total, pending, waiting = _merged(total, pending), [], 0
    return _merged(total, pending)


def _merged(total, pending):
    """Add the pending chunks' (keys, counts) into `total` (:func:`_added_into`)."""
    pending = [p for p in pending if len(p[0])]
    if not pending:
        return total
    if len(pending) == 1:
        return _added_into(total, *pending[0])
    key, c = np.concatenate([p[0] for p in pending]), np.concatenate([p[1] for p in pending])
    pending.clear()
    return _added_into(total, *_summed(key, c))


def _folded_tables(mentions: pd.DataFrame, sentences: pd.DataFrame, client, chunk_articles: int):
    """Count each chunk with :func:`actor_word_counts` (on `client` if given) and fold the tables' codes.

    Yields the vocabularies first, then each outlet's summed (keys, counts) or None
    (:func:`_outlet_chunks`, :func:`_fold`, as on the integer path); `empty` of the
    vocabularies is then an empty counts table (None without chunks).
    """
    from analysis.corpus import map_ordered

    vocab = {S.OUTLET: _Vocabulary(), ACTOR: _Vocabulary(), TERM: _Vocabulary(), "empty": None}
    yield vocab
    by_outlet, chunks = _outlet_chunks([sentences, mentions], chunk_articles)

    def counted():
        for part in map_ordered(_chunk_word_counts, ([m, s] for s, m in chunks), client=client):
            vocab["empty"] = part.iloc[:0] if vocab["empty"] is None else vocab["empty"]
            if not len(part):
                continue
            o, a, t = (vocab[column].encode(part[column]).astype(np.int64) for column in (S.OUTLET, ACTOR, TERM))
            _check_codes(vocab[ACTOR].code, vocab[TERM].code, vocab[S.OUTLET].code)
            key, c = _summed((o << (2 * _BITS)) | (a << _BITS) | t, part[COUNT].to_numpy(dtype=np.int64))
            yield from _by_outlet(vocab[S.OUTLET], key, c, by_outlet)

    yield from _group_sums(counted())


def _top_rows(total, vocab: dict, terms, *, top: int, min_count: int) -> pd.DataFrame:
    """Return :func:`_ranked`'s table of the summed (keys, counts) `total`.

    The rows of each outlet x actor are consecutive in the sorted keys; the outlet-wide rows
    (actor code of :data:`ALL_WORDS`) give each word's outlet count and the outlet's total.
    O(R) for R keys plus the ranking of the rows kept (count >= `min_count`).
    """
    key, c = total
    everything = vocab[ACTOR].code.get(ALL_WORDS, -1)
    pair = key >> _BITS  # outlet << 21 | actor: the rows of one outlet x actor are consecutive
    is_all = (pair & _MASK) == everything
    run = np.ones(len(pair), dtype=bool)
    run[1:] = pair[1:] != pair[:-1]
    del pair
    starts = np.flatnonzero(run)
    del run
    n_in_run = np.add.reduceat(c, starts)  # words per outlet x actor
    all_key, all_count = key[is_all], c[is_all]  # sorted; actor code `everything` in every key
    n_outlet = np.zeros(len(vocab[S.OUTLET].code), dtype=np.int64)
    np.add.at(n_outlet, all_key >> (2 * _BITS), all_count)
    keep = np.flatnonzero(~is_all & (c >= min_count))
    del is_all
    n_in = n_in_run[np.searchsorted(starts, keep, side="right") - 1]
    key, c = key[keep], c[keep]
    o, a, t = key >> (2 * _BITS), (key >> _BITS) & _MASK, key & _MASK
    tot = all_count[np.searchsorted(all_key, (key & ~(_MASK << _BITS)) | (np.int64(max(everything, 0)) << _BITS))]
    return _ranked(vocab[S.OUTLET].decode(o), vocab[ACTOR].decode(a), terms(t), c, tot, n_in,
                   n_outlet[o], top=top)


def actor_words_folded(mentions: pd.DataFrame, sentences: pd.DataFrame, *, top: int = 8, min_count: int = 2,
                       client=None, chunk_articles: int = FOLD_CHUNK) -> pd.DataFrame:
    """List the words most associated with each actor in each outlet, counting chunk by chunk.

    The same table as ``words_by_actor(partition.per_article(actor_word_counts, mentions,
    sentences))`` (and :func:`actor_words`), with memory bounded: each chunk of articles is
    counted by :func:`actor_word_counts` and its counts folded into integer code arrays at
    once, so no table of strings with a row per outlet x actor x word is built for the corpus.

    Parameters
    ----------
    mentions, sentences : pandas.DataFrame
        As :func:`actor_word_counts`.
    top, min_count : int, default 8 and 2
        As :func:`words_by_actor`.
    client : distributed.Client, optional
        Count the chunks on this Dask cluster (:func:`analysis.cluster.connect`); the
        folding runs here.
    chunk_articles : int, default :data:`FOLD_CHUNK`
        Articles per counted chunk.

    Returns
    -------
    pandas.DataFrame
        As :func:`words_by_actor`.

    Notes
    -----
    Cost in time: O(tokens x actors named in the same sentence) for the counting, as
    :func:`actor_word_counts`, plus O(chunk rows) for the folding in all, plus O(rows log
    rows) to order the articles. The articles are counted outlet by outlet, in the order of
    the outlets' names (:func:`_outlet_chunks`; chunks may hold the end of one outlet and the
    start of the next): each outlet's keys are summed apart (:func:`_fold`), its rows ranked
    as soon as its last chunk is counted (:func:`_top_rows`) and its sum dropped, so only
    one outlet's sum is held, and the ranked outlets, concatenated, are the table sorted.
    (If an article's sentences name two outlets, one sum for all, as before.) The chunks'
    rows are taken piece by piece of their Arrow columns (:func:`analysis.partition.take_rows`), not by
    ``iloc``, which copies a whole text column per take. Without a `client` the chunks are
    counted here on integers (:func:`_chunk_keys`; a chunk whose sentence ids repeat sends
    the whole call to the table path): one :class:`analysis.tokens.Encoder` tokenizes chunk
    after chunk (each distinct token normalised once per encoder, renewed every
    :data:`_ENCODER_TERMS` terms) and no token table of strings is built; each chunk's
    summed keys wait until they are 1/:data:`_PENDING` of the outlet's sum and are then
    merged into it at once (:func:`_added_into`). With a `client` each chunk's table is
    counted there and its codes folded the same way. Memory: the counting of one chunk
    (O(tokens of `chunk_articles` articles)), plus 16 bytes per outlet x actor x word of one
    outlet (a packed int64 key and an int64 count), plus the ranked table so far, plus a few
    integer arrays of the sentences' and mentions' rows, plus the vocabularies (one string
    per distinct outlet, actor and word) and the encoder's dictionaries. At most 2,097,151
    distinct outlets, actors and words each (21 bits of the key; a clear error beyond).
    ``bench/framing_memory.py --steps actors --base c84a671`` (same table, md5
    5fafc11f88c4a444 at 10,000 generated articles): peak above the step's start 327-382 ->
    225 MB at 10,000, 11.4-12.2 -> 12.0-12.8 CPU s (load ~4 on 2 cores); at 40,000 1,316 ->
    355 MB, 56.2 -> 64.0 CPU s (load ~2), the saved table the same bytes as c84a671's report's
    (the former single sum held 24 million keys, 385 MB, and each chunk's take copied the
    text column).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "X"],
    ...     "start": [0, 0], "sentence_text": ["Trump threatened tariffs.", "Trump threatened Cuba."]})
    >>> m = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "X"],
    ...     "actor": ["Trump", "Trump"], "start": [0, 0], "end": [5, 5], "position": ["lead", "lead"]})
    >>> actor_words_folded(m, s, chunk_articles=1)[["actor", "term", "count", "other"]].values.tolist()
    [['Trump', 'threatened', 2, 0]]
    """
    _check_top(top, min_count)
    if isinstance(chunk_articles, bool) or not isinstance(chunk_articles, int) or chunk_articles < 1:
        raise ParameterError(f"chunk_articles: {chunk_articles!r}; use an integer >= 1")
    S.check_columns(mentions, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, ACTOR, S.START, S.END, POSITION],
                    table="mentions")
    if client is None:
        try:
            return _words_of(_folded_codes(mentions, sentences, chunk_articles), mentions, sentences,
                             top=top, min_count=min_count)
        except _RepeatedIds:  # a chunk's sentence ids repeat: counted as tables (below)
            pass
    return _words_of(_folded_tables(mentions, sentences, client, chunk_articles), mentions, sentences,
                     top=top, min_count=min_count)


def _words_of(folded, mentions: pd.DataFrame, sentences: pd.DataFrame, *, top: int, min_count: int) -> pd.DataFrame:
    """Return the words table of the outlets' sums `folded` yields after its vocabularies.

    Each outlet's rows are ranked as its sum arrives (:func:`_top_rows`), the sum then
    dropped; the outlets come in the order of their names, so the tables concatenated are
    the table sorted.
    """
    vocab = next(folded)
    terms = vocab[TERM] if callable(vocab[TERM]) else vocab[TERM].decode
    tables = []
    for total in folded:
        if total is not None and len(total[0]):
            tables.append(_top_rows(total, vocab, terms, top=top, min_count=min_count))
        del total
    if not tables:
        empty = vocab.get("empty")
        return words_by_actor(empty if empty is not None else actor_word_counts(mentions, sentences),
                              top=top, min_count=min_count)
    kept = [t for t in tables if len(t)]
    if len(kept) <= 1:
        return (kept or tables)[0]
    return pd.concat(kept, ignore_index=True)
