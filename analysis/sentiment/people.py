"""Sentiment around each person or organisation: the sentence (or words) that names them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis import stats
from analysis.errors import ParameterError, SchemaError
from analysis.sentiment.aggregate import _aligned, _cluster, _round, _share_table
from analysis.sentiment.columns import (
    COMPOUND,
    DEFAULT_WINDOW,
    MEAN_COMPOUND,
    N_ARTICLES,
    N_MENTIONS,
    N_UNITS,
    SHARE_NEG,
    SHARE_POS,
    UNIT_TEXT,
    UNITS,
)
from analysis.sentiment.vader import score_texts

# ---------------------------------------------------------------------------- entities
_WORD_RE = re.compile(r"\S+")
# The mention columns entity_scores reads: a unit's keys, and the offsets of a "window" unit. The notebook
# passes mentions[list(ENTITY_INPUTS)] with a column flagging the mentions of the entities its tables show
# (only=), instead of every mention (kind and surface carried, and units made for entities no table shows).
_UNIT_KEYS = (S.OUTLET, S.ARTICLE_ID, S.SENTENCE_ID, E.ENTITY, E.ENTITY_TYPE)
ENTITY_INPUTS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, E.ENTITY, E.ENTITY_TYPE, S.START, S.END)


def _window_text(text: str, start: int, end: int, window: int) -> str:
    """Return the mention plus `window` whitespace-separated words on each side."""
    spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    first = next((k for k, (_, e) in enumerate(spans) if e > start), len(spans))
    last = max((k for k, (s, _) in enumerate(spans) if s < end), default=first)
    lo, hi = max(0, first - window), min(len(spans), last + window + 1)
    return text[spans[lo][0]:spans[hi - 1][1]] if hi > lo else ""


def entity_scores(mentions: pd.DataFrame, sentences: pd.DataFrame, *, unit: str = "sentence",
                  window: int = DEFAULT_WINDOW, overrides: dict | None = None,
                  scores: pd.DataFrame | None = None, unit_text: bool = True,
                  only: str | None = None) -> pd.DataFrame:
    """Score the text around each entity's mentions; one row per (entity, unit).

    Parameters
    ----------
    mentions : pandas.DataFrame
        From :func:`analysis.entities.find_mentions`, or its :data:`ENTITY_INPUTS` columns
        (``outlet``, ``article_id``, ``sentence_id``, ``entity``, ``type``, and ``start``,
        ``end`` for unit "window"). A selection of mentions gives the units of the
        entities (and types) it keeps: a unit is the group of one entity's mentions in one
        sentence (or one mention), so its rows are those of all the mentions, filtered.
    sentences : pandas.DataFrame
        The sentence table the mentions were found in.
    unit : {"sentence", "window"}, default "sentence"
        "sentence": each sentence mentioning the entity is scored once, however many
        times it names the entity; "window": each mention is scored on itself plus
        `window` words either side, within its sentence.
    window : int, default 10
        Words each side of a mention (unit "window").
    overrides : dict, optional
        Lexicon overrides.
    scores : pandas.DataFrame, optional
        :func:`score_sentences`' table of these sentences, made with the same `overrides`
        (``sentence_id``, ``compound``): with unit "sentence" each sentence's compound is
        read from it instead of running VADER again (the same numbers); ignored with unit
        "window" (windows are other texts). None scores the units here.
    unit_text : bool, default True
        Keep the scored text of each unit (``unit_text``). False leaves the column out; with
        unit "sentence" and `scores` given, the texts are then never read. The sentence of
        every unit is most of the table's memory (72 of 116 MB in the 400,913 units the
        sentiment notebook shows at 10,000 generated articles), held through the chunks'
        concatenation and re-sort; :func:`entity_sentiment` does not read it.
    only : str, optional
        A boolean column of `mentions`: only its True rows make units, as if `mentions`
        held only them (the notebook flags the entities its tables show instead of copying
        their mentions; through ``partition.per_article`` each chunk selects its own rows).

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``article_id``, ``sentence_id``, ``entity``, ``type``, ``n_mentions``
        (in this unit), ``unit_text`` (unless `unit_text` is False), ``compound``; sorted by
        outlet, entity, sentence.

    Raises
    ------
    SchemaError
        If `scores` lacks ``sentence_id`` or ``compound``, or a mentioned sentence
        (naming it).

    Notes
    -----
    The scored text is the sentence (or window) around the name, not sentiment *toward*
    the entity: "Díaz-Canel rejected Trump's threats" is negative for both men. The
    window unit narrows the context, but VADER still cannot tell who is the target.
    O(units) look-ups plus VADER on each distinct unit text, or, given `scores`, a hash
    look-up per unit instead of VADER (28,118 sentences naming an entity in 1,000
    abp-2013 articles: 4.5 s of VADER). The table given is trusted to come from the same
    overrides: scores made with other overrides give those overrides' numbers. Memory
    O(units): the unit texts are taken from the sentence column in its own storage (Arrow
    strings stay Arrow; no Python string per sentence of the table), or not at all with
    ``unit_text=False`` and `scores`.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...                   "start": [0], "sentence_text": ["Trump praised the good deal, "
    ...                   "but Rubio warned of a terrible crisis."]})
    >>> m = E.find_mentions(s, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    >>> r = entity_scores(m, s, unit="window", window=3)
    >>> r[["entity", "unit_text", "compound"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Donald Trump', 'Trump praised the good', 0.7269],
     ['Marco Rubio', 'good deal, but Rubio warned of a', -0.1779]]
    >>> from analysis.sentiment import score_sentences
    >>> scored = score_sentences(s.assign(sentence=0, quoted="none"))
    >>> entity_scores(m, s, scores=scored)["compound"].tolist()  # read, not scored again
    [-0.886, -0.886]
    """
    if unit not in UNITS:
        raise ParameterError(f"unit: {unit!r}; use one of {list(UNITS)}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ParameterError(f"window: {window!r}; use an integer >= 1")
    keys = list(_UNIT_KEYS)
    needed = keys + ([S.START, S.END] if unit == "window" else []) + ([only] if only is not None else [])
    S.check_columns(mentions, needed, table="mentions")
    S.check_columns(sentences, [S.SENTENCE_ID, S.START, S.SENTENCE_TEXT], table="sentences")
    if only is not None:
        mentions = mentions.loc[mentions[only].to_numpy(dtype=bool)]
    ids = pd.Index(sentences[S.SENTENCE_ID].to_numpy())  # a look-up, not a re-indexed copy of the table

    def column(col: str, sentence_ids) -> np.ndarray:
        pos = ids.get_indexer(sentence_ids) if ids.is_unique else None
        if pos is None or (pos < 0).any():  # repeated or unknown ids: the indexed table's own error
            return sentences.set_index(S.SENTENCE_ID).loc[sentence_ids, col].to_numpy()
        return sentences[col].to_numpy()[pos]

    given = scores is not None and unit == "sentence"
    if unit == "sentence":
        units = mentions.groupby(keys, sort=False).size().rename(N_MENTIONS).reset_index()
        if unit_text or not given:
            units[UNIT_TEXT] = _taken(sentences[S.SENTENCE_TEXT], ids, units[S.SENTENCE_ID], column)
    else:
        units = mentions[keys].assign(**{N_MENTIONS: 1})
        offset = column(S.START, mentions[S.SENTENCE_ID])
        units[UNIT_TEXT] = [
            _window_text(t, s - o, e - o, window) for t, s, e, o in zip(
                column(S.SENTENCE_TEXT, mentions[S.SENTENCE_ID]), mentions[S.START],
                mentions[S.END], offset, strict=True)]
    if given:
        units[COMPOUND] = _given_compound(scores, units[S.SENTENCE_ID])
    else:
        units[COMPOUND] = score_texts(units[UNIT_TEXT].tolist(), overrides=overrides)[:, 3] \
            if len(units) else []
    if not unit_text:
        units = units.drop(columns=UNIT_TEXT, errors="ignore")
    units[N_MENTIONS] = units[N_MENTIONS].astype("int64")
    return units.sort_values([S.OUTLET, E.ENTITY, S.SENTENCE_ID], kind="stable").reset_index(
        drop=True)


def _taken(texts: pd.Series, ids: pd.Index, sentence_ids: pd.Series, fallback) -> pd.api.extensions.ExtensionArray:
    """Return the text of each sentence id, taken from `texts` in its own storage (Arrow strings stay Arrow).

    ``texts.to_numpy()[pos]`` made a Python string of every sentence of the table, which
    pandas turned back into its string type when the column was assigned: the same values
    (the peak of ``entity_scores`` is the same within a run's spread, +551 against +525 MB at
    10,000 generated articles; its CPU 3.0 against 4.2 s, one run each). Unknown or repeated
    ids go to `fallback` (the indexed table's own error). O(units).
    """
    pos = ids.get_indexer(sentence_ids) if ids.is_unique else None
    if pos is None or (pos < 0).any():
        return fallback(S.SENTENCE_TEXT, sentence_ids)
    return texts.array.take(pos)


def _given_compound(scores: pd.DataFrame, sentence_ids: pd.Series) -> np.ndarray:
    """Return the compound of each sentence id from a :func:`score_sentences` table: O(rows) hashing."""
    S.check_columns(scores, [S.SENTENCE_ID, COMPOUND], table="scores")
    ids = pd.Index(scores[S.SENTENCE_ID].to_numpy())
    pos = ids.get_indexer(sentence_ids) if ids.is_unique else None
    if pos is None:
        dup = scores.loc[scores[S.SENTENCE_ID].duplicated(), S.SENTENCE_ID].iloc[0]
        raise SchemaError(f"scores repeats sentence_id {dup!r}; pass score_sentences' table")
    if (pos < 0).any():
        missing = sentence_ids.iloc[int(np.flatnonzero(pos < 0)[0])]
        raise SchemaError(f"scores has no row for sentence_id {missing!r}; pass score_sentences' table "
                          "of the same sentences (or scores=None to score them here)")
    return scores[COMPOUND].to_numpy(dtype=float)[pos]


def entity_sentiment(units: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT, seed: int = 0,
                     level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Average entity units per outlet with bootstrap intervals; one row per (outlet, entity).

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`entity_scores`.
    n_boot, seed, level
        As in :func:`outlet_sentiment`.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``entity``, ``n_mentions``, ``mean_compound``, ``ci_low``, ``ci_high``,
        ``type``, ``n_units`` (sentences or windows averaged), ``n_articles``,
        ``share_pos``, ``share_neg``; sorted by outlet and entity.

    Notes
    -----
    An entity named in one sentence of an outlet gets that sentence's score and a
    zero-width interval: read ``n_units`` first.

    Examples
    --------
    >>> u = pd.DataFrame({"outlet": ["X"] * 3, "article_id": ["a"] * 3,
    ...                   "entity": ["T", "T", "R"], "type": ["person"] * 3,
    ...                   "n_mentions": [2, 1, 1], "compound": [0.4, 0.0, -0.5]})
    >>> entity_sentiment(u, n_boot=200)[["entity", "n_mentions", "n_units",
    ...                                  "mean_compound"]].values.tolist()
    [['R', 1, 1, -0.5], ['T', 3, 2, 0.2]]
    """
    S.check_columns(units, [S.OUTLET, S.ARTICLE_ID, E.ENTITY, E.ENTITY_TYPE, N_MENTIONS, COMPOUND],
                    table="entity units")
    cols = [S.OUTLET, E.ENTITY, N_MENTIONS, MEAN_COMPOUND, S.CI_LOW, S.CI_HIGH, E.ENTITY_TYPE,
            N_UNITS, N_ARTICLES, SHARE_POS, SHARE_NEG]  # the columns first
    if units.empty:
        return pd.DataFrame(columns=cols)
    boot = stats.bootstrap_means(units, value=COMPOUND, group=[S.OUTLET, E.ENTITY],
                                 cluster=_cluster(units), n_boot=n_boot, seed=seed, level=level)
    grouped = units.groupby([S.OUTLET, E.ENTITY], sort=True)
    keys = list(zip(boot[S.OUTLET], boot[E.ENTITY], strict=True))
    types, counts = grouped[E.ENTITY_TYPE].first(), grouped[N_MENTIONS].sum()
    shares = _share_table(units, [S.OUTLET, E.ENTITY])
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], E.ENTITY: boot[E.ENTITY],
        E.ENTITY_TYPE: _aligned(types, keys), N_MENTIONS: [int(c) for c in _aligned(counts, keys)],
        N_UNITS: boot[S.N], N_ARTICLES: boot[stats.N_CLUSTERS],
        MEAN_COMPOUND: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW], S.CI_HIGH: boot[S.CI_HIGH],
        SHARE_POS: _aligned(shares[SHARE_POS], keys), SHARE_NEG: _aligned(shares[SHARE_NEG], keys),
    })
    return _round(out[cols])


def toward(mentions: pd.DataFrame, sentences: pd.DataFrame, **options) -> pd.DataFrame:
    """Score the sentiment toward each mentioned person; one row per mention.

    The sentence's tone *toward the name*, not its overall tone: a model trained on
    NewsMTSC (Hamborg & Donnay, EACL 2021), read on first use. See
    :func:`analysis.toward.toward` for parameters, columns (``polarity``, ``score`` in
    [-1, 1], class probabilities) and measured accuracy.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "start": [0, 40],
    ...                   "sentence_text": ["Voters praised Smith for his courage.",
    ...                                     "Smith was arrested for fraud."]})
    >>> m = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "start": [14, 40], "end": [19, 45]})
    >>> toward(m, s).polarity.tolist()
    ['positive', 'negative']

    A third of mentions are wrong (macro-F1 0.665): "Critics praised Smith." comes out
    negative, the word "critics" outweighing the verb.
    """
    from analysis.toward import toward as _toward

    return _toward(mentions, sentences, **options)
