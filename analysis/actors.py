"""Measure who is prominent in each outlet's coverage: mentions, first position, words.

People and organisations come from an alias file or are proposed from the text by
:mod:`analysis.entities` (the one entity implementation of the package: name variants
such as "Díaz-Canel" / "Diaz-Canel" / "Miguel Díaz Canel" are merged there).
:func:`actor_mentions` finds every mention in the body and the headline, with where it
falls (headline, lead sentence, first paragraph, later); :func:`actor_prominence` gives
mentions per outlet, each actor's share of them and the position of first mention;
:func:`actor_words` lists the words most associated with each actor in each outlet
(sentences mentioning the actor against the outlet's other sentences).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis.errors import ParameterError

# --- columns -----------------------------------------------------------------------------
ACTOR = "actor"  # canonical entity name
POSITION = "position"  # where a mention falls: one of POSITIONS
MENTIONS = "mentions"  # body mentions (headline excluded)
SHARE = "share"  # mentions / all actor mentions in the outlet's body text
FIRST_POSITION = "first_position"  # typical position of first mention (see actor_prominence)
ARTICLES = "articles"  # articles of the outlet
ARTICLES_MENTIONING = "articles_mentioning"  # of which mention the actor (body or headline)
IN_HEADLINE = "in_headline"  # of which name the actor in the headline
TERM = "term"
COUNT = "count"  # term count in sentences mentioning the actor
OTHER = "other"  # term count in the outlet's other sentences
LOG_RATIO = "log_ratio"  # log2 of the smoothed rate ratio (actor sentences / others)

# Positions from most to least prominent (news-writing convention: the inverted pyramid).
POSITIONS = ("headline", "lead", "first_paragraph", "later")
HEADLINE_SUFFIX = "/headline"  # sentence_id of a headline: "<article_id>/headline"
ACTOR_TYPES = ("person", "organization")  # entity types counted as actors
MENTION_COLUMNS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, ACTOR, E.ENTITY_TYPE, E.ALIAS_KIND,
                   E.SURFACE, S.START, S.END, POSITION)
PROMINENCE_COLUMNS = (S.OUTLET, ACTOR, MENTIONS, SHARE, FIRST_POSITION, ARTICLES_MENTIONING,
                      IN_HEADLINE, ARTICLES)
WORD_COLUMNS = (S.OUTLET, ACTOR, TERM, COUNT, OTHER, LOG_RATIO)
SMOOTHING = 0.5  # added to both counts in the log ratio (Jeffreys-style), so zeros are finite
ALL_WORDS = ""  # the actor of an actor_word_counts row that counts all the outlet's words
FOLD_CHUNK = 250  # articles per counted chunk of actor_words_folded (bench/framing_memory.py)


def headline_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the headlines as a sentence-like table (offsets into the headline).

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``headline``).

    Returns
    -------
    pandas.DataFrame
        One row per article with a headline: ``sentence_id`` ("<article_id>/headline"),
        ``article_id``, ``outlet``, ``start`` (0), ``sentence_text`` (the headline).

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "headline": ["Trump warns", None]})
    >>> headline_sentences(a).sentence_id.tolist()
    ['a/headline']
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.HEADLINE], table="articles")
    has = articles[articles[S.HEADLINE].notna() & (articles[S.HEADLINE].astype(str).str.strip() != "")]
    return pd.DataFrame({S.SENTENCE_ID: has[S.ARTICLE_ID].astype(str) + HEADLINE_SUFFIX,
                         S.ARTICLE_ID: has[S.ARTICLE_ID].to_numpy(), S.OUTLET: has[S.OUTLET].to_numpy(),
                         S.START: 0, S.SENTENCE_TEXT: has[S.HEADLINE].astype(str).to_numpy()})


def actor_mentions(sentences: pd.DataFrame, articles: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
                   types=ACTOR_TYPES) -> pd.DataFrame:
    """Find every actor mention in the body text and the headlines; say where each falls.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (with ``paragraph`` and ``sentence``).
    articles : pandas.DataFrame
        The articles table (for headlines).
    aliases : pandas.DataFrame, optional
        From :func:`analysis.entities.load_aliases`; None proposes entities from the body
        sentences with :func:`analysis.entities.propose_entities` (name variants merged;
        headlines are searched for those entities, not mined for names).
    types : iterable of str, default ("person", "organization")
        Entity types counted as actors.

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``sentence_id``, ``article_id``, ``outlet``, ``actor``,
        ``type``, ``kind``, ``surface``, ``start``, ``end`` and ``position`` ("headline",
        "lead", "first_paragraph" or "later"). Offsets point into ``articles.text``, or
        into ``articles.headline`` for headline rows (``sentence_id`` ending "/headline").

    Notes
    -----
    "lead" is the first sentence of the body, "first_paragraph" the rest of the first
    paragraph. Pronouns ("he") are not resolved, so later mentions are undercounted for
    every actor alike. Proposed entities carry a guessed type; check them.

    Cost: O(characters) for the mentions (one automaton pass over body and headlines),
    plus O(mentions log mentions) for the ordering.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "headline": ["Rubio speaks"],
    ...                   "text": ["Marco Rubio spoke. Then Trump did."]})
    >>> from analysis.sentences import split_sentences
    >>> m = actor_mentions(split_sentences(a), a)
    >>> m[["actor", "surface", "position"]].values.tolist()
    [['Marco Rubio', 'Rubio', 'headline'], ['Marco Rubio', 'Marco Rubio', 'lead']]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.PARAGRAPH, S.SENTENCE, S.START,
                                S.SENTENCE_TEXT], table="sentences")
    heads = headline_sentences(articles)
    if aliases is None:  # body text only: a headline's title case makes every word look like a name
        aliases = E.propose_entities(sentences)
    body = E.find_mentions(sentences, aliases=aliases)
    where = sentences.set_index(S.SENTENCE_ID)[[S.PARAGRAPH, S.SENTENCE]]
    para = where[S.PARAGRAPH].reindex(body[S.SENTENCE_ID]).to_numpy()
    sent = where[S.SENTENCE].reindex(body[S.SENTENCE_ID]).to_numpy()
    body[POSITION] = np.where(sent == 0, "lead", np.where(para == 0, "first_paragraph", "later"))
    head = E.find_mentions(heads, aliases=aliases) if len(heads) else body.iloc[:0]
    head = head.assign(**{POSITION: "headline"})
    out = pd.concat([head, body], ignore_index=True).rename(columns={E.ENTITY: ACTOR})
    out = out[out[E.ENTITY_TYPE].isin(list(types))]
    order = {aid: i for i, aid in enumerate(dict.fromkeys(sentences[S.ARTICLE_ID]))}
    out = out.assign(_a=out[S.ARTICLE_ID].map(order), _p=out[POSITION] != "headline")
    out = out.sort_values(["_a", "_p", S.START], kind="stable").reset_index(drop=True)
    return out[list(MENTION_COLUMNS)]


def actor_prominence(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Summarise actors per outlet: mentions, share of mentions, position of first mention.

    Parameters
    ----------
    mentions : pandas.DataFrame
        From :func:`actor_mentions`.
    articles : pandas.DataFrame
        The articles table (to count each outlet's articles).

    Returns
    -------
    pandas.DataFrame
        One row per outlet x actor mentioned there: ``outlet``, ``actor``, ``mentions``
        (body text), ``share`` (of all actor mentions in the outlet's body text),
        ``first_position`` (where the actor first appears: in an outlet with several
        articles, the median over the articles mentioning it, rounded towards more
        prominent), ``articles_mentioning``, ``in_headline``, ``articles``. Sorted by
        outlet, then mentions (descending), then actor.

    Notes
    -----
    Headline mentions set the position but are not counted in ``mentions`` or
    ``share`` (a headline is not body text). ``share`` sums to 1 per outlet over the
    actors listed. Articles without a headline can only score "lead" or lower.
    Cost: O(mentions log mentions), group reductions only.

    Examples
    --------
    >>> m = pd.DataFrame({"article_id": ["a", "a", "a"], "outlet": ["X"] * 3,
    ...     "actor": ["Rubio", "Rubio", "Trump"], "position": ["headline", "later", "lead"]})
    >>> a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"]})
    >>> actor_prominence(m, a).values.tolist()
    [['X', 'Rubio', 1, 0.5, 'headline', 1, 1, 1], ['X', 'Trump', 1, 0.5, 'lead', 1, 0, 1]]
    """
    S.check_columns(mentions, [S.ARTICLE_ID, S.OUTLET, ACTOR, POSITION], table="mentions")
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET], table="articles")
    bad = sorted(set(mentions[POSITION]) - set(POSITIONS))
    if bad:
        raise ParameterError(f"mentions: position values {bad} are not among {list(POSITIONS)}")
    rank = mentions[POSITION].map({p: i for i, p in enumerate(POSITIONS)})
    m = mentions.assign(_rank=rank)
    per_article = m.groupby([S.OUTLET, ACTOR, S.ARTICLE_ID])["_rank"].min().reset_index()
    per_article["_head"] = (per_article["_rank"] == 0).astype("int64")
    # built-in group reductions, not a Python function per group (31,785 groups at 4,142 articles):
    # the median of integer ranks is exact in float64 (an integer or a half), so its floor is the
    # same as numpy's
    summary = per_article.groupby([S.OUTLET, ACTOR]).agg(
        _median=("_rank", "median"), **{ARTICLES_MENTIONING: (S.ARTICLE_ID, "nunique"),
                                        IN_HEADLINE: ("_head", "sum")}).reset_index()
    summary["_median"] = np.floor(summary["_median"].to_numpy()).astype("int64")
    body = m[m[POSITION] != "headline"]
    counts = body.groupby([S.OUTLET, ACTOR]).size().rename(MENTIONS).reset_index()
    out = summary.merge(counts, how="left", on=[S.OUTLET, ACTOR])
    out[MENTIONS] = out[MENTIONS].fillna(0).astype("int64")
    total = out.groupby(S.OUTLET)[MENTIONS].transform("sum")
    out[SHARE] = (out[MENTIONS] / total.where(total > 0)).astype(float)
    out[FIRST_POSITION] = [POSITIONS[i] for i in out["_median"]]
    out[ARTICLES] = out[S.OUTLET].map(articles.groupby(S.OUTLET)[S.ARTICLE_ID].nunique()).astype("int64")
    out = out.sort_values([S.OUTLET, MENTIONS, ACTOR], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)[list(PROMINENCE_COLUMNS)]


def actor_word_counts(mentions: pd.DataFrame, sentences: pd.DataFrame, *,
                      tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count the words of the sentences naming each actor, and all the outlet's words.

    The per-article step of :func:`actor_words` (:func:`words_by_actor` combines it):
    counts of different articles add up, so the corpus can be counted in chunks.

    Parameters
    ----------
    mentions : pandas.DataFrame
        From :func:`actor_mentions` (headline rows are ignored).
    sentences : pandas.DataFrame
        The sentence table.
    tokens : pandas.DataFrame, optional
        :func:`analysis.tokens.tokenize` of `sentences` (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        One row per outlet x actor x term: ``outlet``, ``actor``, ``term``, ``count`` (in
        sentences naming the actor), and one per outlet x term with ``actor`` ""
        (:data:`ALL_WORDS`, every counted word of the outlet). Stopwords, numbers and the
        words of the mentions themselves are left out. Sorted by outlet, actor, term.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "article_id": ["a"] * 2, "outlet": ["X"] * 2,
    ...     "start": [0, 30], "sentence_text": ["Trump threatened tariffs.", "Havana answered."]})
    >>> m = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "actor": ["Trump"],
    ...     "start": [0], "end": [5], "position": ["lead"]})
    >>> actor_word_counts(m, s).values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['X', '', 'answered', 1], ['X', '', 'havana', 1], ['X', '', 'tariffs', 1], ['X', '', 'threatened', 1],
     ['X', 'Trump', 'tariffs', 1], ['X', 'Trump', 'threatened', 1]]

    Notes
    -----
    O(tokens x actors named in the same sentence), by joins and group counts; memory
    O(tokens of the sentences given) — pass chunks of articles
    (:func:`analysis.partition.per_article`) to bound it.
    """
    from analysis.tokens import IS_STOPWORD, TOKEN_KIND, tokenize

    S.check_columns(mentions, [S.SENTENCE_ID, S.OUTLET, ACTOR, S.START, S.END, POSITION], table="mentions")
    toks = (tokenize(sentences) if tokens is None else tokens).reset_index(drop=True)
    body = mentions[mentions[POSITION] != "headline"]
    # tokens inside a mention (the actor's own name or role) are left out: a join on the
    # sentence, so the cost is tokens x mentions of the same sentence, not of the corpus
    spans = body[[S.SENTENCE_ID, S.START, S.END]].drop_duplicates().rename(columns={S.START: "_a", S.END: "_b"})
    pos = toks[[S.SENTENCE_ID, S.START, S.END]].assign(_i=np.arange(len(toks)))
    hit = pos.merge(spans, on=S.SENTENCE_ID)
    inside = np.zeros(len(toks), dtype=bool)
    inside[hit.loc[(hit["_a"] <= hit[S.START]) & (hit[S.END] <= hit["_b"]), "_i"].to_numpy()] = True
    keep = (~toks[IS_STOPWORD].to_numpy(dtype=bool)) & (toks[TOKEN_KIND] == "word").to_numpy() & ~inside
    toks = toks.loc[keep, [S.OUTLET, S.SENTENCE_ID, "term"]]
    actor_sents = body[[S.OUTLET, ACTOR, S.SENTENCE_ID]].drop_duplicates()
    joined = actor_sents.merge(toks, on=[S.OUTLET, S.SENTENCE_ID])
    by_actor = joined.groupby([S.OUTLET, ACTOR, "term"], sort=False).size()
    everything = toks.groupby([S.OUTLET, "term"], sort=False).size()
    out = pd.DataFrame({
        S.OUTLET: np.concatenate([everything.index.get_level_values(0), by_actor.index.get_level_values(0)]),
        ACTOR: np.concatenate([np.full(len(everything), ALL_WORDS, dtype=object),
                               by_actor.index.get_level_values(1).to_numpy(dtype=object)]),
        TERM: np.concatenate([everything.index.get_level_values(1), by_actor.index.get_level_values(2)]),
        COUNT: np.concatenate([everything.to_numpy(), by_actor.to_numpy()]).astype("int64"),
    })
    return out.sort_values([S.OUTLET, ACTOR, TERM], kind="stable", ignore_index=True)


def add_word_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Add up :func:`actor_word_counts` of different chunks of articles (same columns and order).

    Examples
    --------
    >>> c = pd.DataFrame({"outlet": ["X", "X"], "actor": ["", ""], "term": ["a", "a"], "count": [1, 2]})
    >>> add_word_counts(c).values.tolist()
    [['X', '', 'a', 3]]
    """
    return counts.groupby([S.OUTLET, ACTOR, TERM], sort=True)[COUNT].sum().astype("int64").reset_index()


def _check_top(top, min_count) -> None:
    if not isinstance(top, int) or top < 1 or not isinstance(min_count, int) or min_count < 1:
        raise ParameterError(f"top={top!r}, min_count={min_count!r}; use integers >= 1")


def words_by_actor(counts: pd.DataFrame, *, top: int = 8, min_count: int = 2) -> pd.DataFrame:
    """List the words most associated with each actor in each outlet, from word counts.

    The combining step of :func:`actor_words`; `counts` come from
    :func:`actor_word_counts` (of the whole corpus, or chunks added up).

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`actor_word_counts`.
    top : int, default 8
        Words kept per outlet x actor.
    min_count : int, default 2
        A word must occur this often in the actor's sentences.

    Returns
    -------
    pandas.DataFrame
        As :func:`actor_words`.

    Notes
    -----
    O(rows of `counts`), by merges; the "other" count is the outlet's total minus the
    actor's, so no pass per actor or outlet.
    """
    _check_top(top, min_count)
    S.check_columns(counts, [S.OUTLET, ACTOR, TERM, COUNT], table="counts")
    is_all = (counts[ACTOR] == ALL_WORDS).to_numpy()
    c_in = counts[~is_all]
    per_outlet = counts.loc[is_all, [S.OUTLET, TERM, COUNT]].rename(columns={COUNT: "_tot"})
    n_in = c_in.groupby([S.OUTLET, ACTOR], sort=False)[COUNT].sum().rename("_n_in").reset_index()
    n_outlet = per_outlet.groupby(S.OUTLET, sort=False)["_tot"].sum().rename("_n_outlet").reset_index()
    out = c_in[c_in[COUNT] >= min_count]
    out = out.merge(n_in, on=[S.OUTLET, ACTOR]).merge(per_outlet, on=[S.OUTLET, TERM]).merge(n_outlet, on=S.OUTLET)
    return _ranked(out[S.OUTLET].to_numpy(), out[ACTOR].to_numpy(), out[TERM].to_numpy(), out[COUNT].to_numpy(),
                   out["_tot"].to_numpy(), out["_n_in"].to_numpy(), out["_n_outlet"].to_numpy(), top=top)


def _ranked(outlet, actor, term, c, tot, n_in, n_outlet, *, top: int) -> pd.DataFrame:
    """Return the table of :func:`words_by_actor` from its rows' labels and counts (any row order)."""
    c = np.asarray(c, dtype="int64")
    o = np.asarray(tot, dtype="int64") - c
    n_in_a = np.asarray(n_in, dtype="int64")
    n_out_a = np.asarray(n_outlet, dtype="int64") - n_in_a
    ratio = np.log2(((c + SMOOTHING) / (n_in_a + 1)) / ((o + SMOOTHING) / (n_out_a + 1)))
    out = pd.DataFrame({S.OUTLET: outlet, ACTOR: actor, TERM: term, COUNT: c, OTHER: o, LOG_RATIO: ratio.astype(float)})
    out = out.sort_values([S.OUTLET, ACTOR, LOG_RATIO, COUNT, TERM], ascending=[True, True, False, False, True],
                          kind="stable")
    return out.groupby([S.OUTLET, ACTOR], sort=False).head(top).reset_index(drop=True)


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


_ENCODER_TERMS = 1 << 16  # a fresh tokenizer after this many terms: bounds its dictionaries' memory


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
            word = self.word
            self.term[new] = [word.setdefault(t, len(word)) for t in self.encoder.terms[new].tolist()]
        return self.term[ids]

    def decode_words(self, codes: np.ndarray) -> np.ndarray:
        return np.array(list(self.word), dtype=object)[codes]


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
    sentence (a mention of the same outlet). Sentence ids must be distinct.
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
    at = pd.Index(sentences[S.SENTENCE_ID]).get_indexer(body[S.SENTENCE_ID])  # -1: not a sentence of the chunk
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
    by_actor = (o_tok[tok] << (2 * _BITS)) | (np.repeat(p_actor, n) << _BITS) | term[tok]
    if max(len(codes.actor.code), len(codes.word), len(codes.outlet.code)) > _MASK:
        raise ParameterError(f"actor_words_folded: more than {_MASK:,} distinct outlets, actors or words "
                             "(they are packed in 21 bits each); use words_by_actor(partition.per_article("
                             "actor_word_counts, mentions, sentences)) for this corpus")
    key = np.concatenate([everything, by_actor])
    return _summed(key, np.ones(len(key), dtype=np.int64))


def _chunk_word_counts(chunk: list[pd.DataFrame]) -> pd.DataFrame:
    return actor_word_counts(chunk[0], chunk[1])


_PENDING = 8  # chunk rows wait until they are 1/_PENDING of the sum's rows, then merge at once
_PENDING_MIN = 1 << 18  # ... or this many


def _folded_codes(mentions: pd.DataFrame, sentences: pd.DataFrame, chunk_articles: int):
    """Count and fold the chunks here with one :class:`_Codes` (the integer path of actor_words_folded).

    Returns the summed (keys, counts) or None, the vocabularies (``TERM`` a decoding
    function) and None. Each chunk's summed keys wait in a list until they hold
    1/:data:`_PENDING` of the sum's rows, then are summed together and merged into the
    sum by :func:`_added_into`: O(R) per merge, and a merge per R/_PENDING chunk rows,
    so O(chunk rows) in all, not O(R) per chunk.
    """
    from analysis.partition import article_chunks

    codes = _Codes()
    m_cols = [S.ARTICLE_ID, S.SENTENCE_ID, S.OUTLET, ACTOR, S.START, S.END, POSITION]
    s_cols = [S.ARTICLE_ID, S.SENTENCE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT]
    S.check_columns(sentences, s_cols, table="sentences")
    total, pending, waiting = None, [], 0
    for m, s in article_chunks([mentions[m_cols], sentences[s_cols]], chunk_articles):
        key, c = _chunk_keys(codes, m, s)
        if codes.encoder.n_terms > _ENCODER_TERMS:
            codes.renew()
        pending.append((key, c))
        waiting += len(key)
        if waiting >= max(_PENDING_MIN, (len(total[0]) if total is not None else 0) // _PENDING):
            total, pending, waiting = _merged(total, pending), [], 0
    total = _merged(total, pending)
    del pending
    vocab = {S.OUTLET: codes.outlet, ACTOR: codes.actor, TERM: codes.decode_words}
    return total, vocab, None


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

    Returns the summed (keys, counts) or None, the vocabularies and an empty counts table
    (None without chunks). O(R) per chunk for the fold (R: rows so far).
    """
    from analysis.corpus import map_ordered
    from analysis.partition import article_chunks

    vocab = {S.OUTLET: _Vocabulary(), ACTOR: _Vocabulary(), TERM: _Vocabulary()}
    total, empty = None, None
    for part in map_ordered(_chunk_word_counts, article_chunks([mentions, sentences], chunk_articles), client=client):
        empty = part.iloc[:0] if empty is None else empty
        if not len(part):
            continue
        codes = [vocab[column].encode(part[column]) for column in (S.OUTLET, ACTOR, TERM)]
        if max(len(vocab[ACTOR].code), len(vocab[TERM].code), len(vocab[S.OUTLET].code)) > _MASK:
            raise ParameterError(f"actor_words_folded: more than {_MASK:,} distinct outlets, actors or words "
                                 "(they are packed in 21 bits each); use words_by_actor(partition.per_article("
                                 "actor_word_counts, mentions, sentences)) for this corpus")
        o, a, t = (code.astype(np.int64) for code in codes)
        total = _added_into(total, *_summed((o << (2 * _BITS)) | (a << _BITS) | t,
                                            part[COUNT].to_numpy(dtype=np.int64)))
        del part, codes, o, a, t
    return total, vocab, empty


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
    :func:`actor_word_counts`, plus O(chunk rows) for the folding in all. Without a
    `client` (and with distinct sentence ids) the chunks are counted here on integers
    (:func:`_chunk_keys`): one :class:`analysis.tokens.Encoder` tokenizes chunk after chunk
    (each distinct token normalised once per encoder, renewed every
    :data:`_ENCODER_TERMS` terms) and no token table of strings is built; each chunk's
    summed keys wait until they are 1/:data:`_PENDING` of the sum's rows and are then merged
    into the sorted sum at once (:func:`_added_into`: O(R) per merge for R rows so far, a
    merge per R/8 chunk rows, so not O(R) per chunk as when every chunk was merged, which
    made the fold grow as chunks x rows). With a `client` each chunk's table is counted
    there and folded as it comes (O(R) per chunk). Memory: the counting of one chunk
    (O(tokens of `chunk_articles` articles)), plus 16 bytes per outlet x actor x word (a
    packed int64 key and an int64 count, grown in place, not copied), plus up to 1/8 of
    that waiting, plus about 10 bytes more per row while the summed rows are ranked, plus
    the vocabularies (one string per distinct outlet, actor and word) and the encoder's
    dictionaries. At most 2,097,151 distinct outlets, actors and words each (21 bits of the
    key; a clear error beyond). At 10,000 generated articles (``bench/framing_memory.py
    --steps actors``, base 3e236f4) the integer path took 20 instead of 60 CPU seconds and
    peaked about 300 instead of 420 MB above the corpus; the same table.

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
    if client is not None or not sentences[S.SENTENCE_ID].is_unique:  # chunks counted apart, as tables
        total, vocab, empty = _folded_tables(mentions, sentences, client, chunk_articles)
        terms = vocab[TERM].decode
    else:
        total, vocab, empty = _folded_codes(mentions, sentences, chunk_articles)
        terms = vocab[TERM]
    if total is None or not len(total[0]):
        return words_by_actor(empty if empty is not None else actor_word_counts(mentions, sentences),
                              top=top, min_count=min_count)
    key, c = total
    del total
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


def actor_words(mentions: pd.DataFrame, sentences: pd.DataFrame, *, top: int = 8, min_count: int = 2,
                tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """List the words most associated with each actor in each outlet.

    Parameters
    ----------
    mentions, sentences, tokens : pandas.DataFrame
        As :func:`actor_word_counts`.
    top, min_count : int, default 8 and 2
        As :func:`words_by_actor`.

    Returns
    -------
    pandas.DataFrame
        One row per outlet x actor x word: ``outlet``, ``actor``, ``term``, ``count`` (in
        sentences mentioning the actor), ``other`` (in the outlet's other sentences),
        ``log_ratio`` (log2 of the ratio of the two rates per token, each count plus 0.5).
        Sorted by outlet, actor, log ratio (descending), count (descending), term.

    Notes
    -----
    Stopwords, numbers and the words of the mentions themselves (the actor's own name or
    role) are left out. A sentence naming two actors counts for both. With one short
    article per outlet the counts are tiny: read ``count`` before ``log_ratio``.

    :func:`words_by_actor` of :func:`actor_word_counts`: the per-article counting step and
    the combining step in one call. For a large corpus count in chunks of articles
    (``partition.per_article(actor_word_counts, mentions, sentences)``) and combine, which
    gives the same table without the whole corpus's tokens in memory. Cost: O(tokens x
    actors named in the same sentence).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "a/1", "a/2"], "article_id": ["a"] * 3,
    ...     "outlet": ["X"] * 3, "start": [0, 30, 60],
    ...     "sentence_text": ["Trump threatened tariffs again.", "Trump threatened Cuba.",
    ...                       "Havana answered calmly."]})
    >>> m = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "article_id": ["a", "a"], "outlet": ["X", "X"],
    ...     "actor": ["Trump", "Trump"], "start": [0, 30], "end": [5, 35], "position": ["lead", "later"]})
    >>> actor_words(m, s)[["actor", "term", "count", "other"]].values.tolist()
    [['Trump', 'threatened', 2, 0]]
    """
    _check_top(top, min_count)
    return words_by_actor(actor_word_counts(mentions, sentences, tokens=tokens), top=top, min_count=min_count)
