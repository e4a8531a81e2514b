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
                   types=ACTOR_TYPES, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
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
    mentions : pandas.DataFrame, optional
        ``find_mentions(sentences, aliases=aliases)`` found before (e.g. by
        :func:`analysis.entities.entity_mentions`, once for every notebook; with
        ``partition.per_article`` pass it as ``split={"mentions": ...}``); None finds them
        here. Only the headlines are then searched.

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

    Cost: O(characters) for the mentions (one automaton pass over body and headlines;
    the headlines only when `mentions` are given), plus O(mentions log mentions) for the
    ordering.

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
    body = E.find_mentions(sentences, aliases=aliases) if mentions is None else mentions
    where = sentences.set_index(S.SENTENCE_ID)[[S.PARAGRAPH, S.SENTENCE]]
    para = where[S.PARAGRAPH].reindex(body[S.SENTENCE_ID]).to_numpy()
    sent = where[S.SENTENCE].reindex(body[S.SENTENCE_ID]).to_numpy()
    # assign: a new table, the caller's `mentions` stay as they were
    body = body.assign(**{POSITION: np.where(sent == 0, "lead", np.where(para == 0, "first_paragraph", "later"))})
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


# the chunked, integer-coded path of actor_words (imported last: it uses the names above)
from analysis.actors.fold import actor_words_folded as actor_words_folded  # noqa: E402
