"""Score each mention's sentence toward the person it names, and average per outlet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis import stats
from analysis.errors import SchemaError
from analysis.kernel import collector_paused
from analysis.toward.batch import _feature_rows
from analysis.toward.model import CLASSES, TowardModel, load_model

# --- columns ----------------------------------------------------------------------------
POLARITY = "polarity"  # "negative", "neutral" or "positive": the most probable class
SCORE = "score"  # P(positive) - P(negative), in [-1, 1]
P_NEGATIVE, P_NEUTRAL, P_POSITIVE = "p_negative", "p_neutral", "p_positive"
TOWARD_COLUMNS = (POLARITY, SCORE, P_NEGATIVE, P_NEUTRAL, P_POSITIVE)
MEAN_SCORE = "mean_score"
SHARE_POS, SHARE_NEG = "share_pos", "share_neg"  # shares of mentions called positive / negative
N_MENTIONS, N_ARTICLES = "n_mentions", "n_articles"
BY_OUTLET_COLUMNS = (S.OUTLET, E.ENTITY, N_MENTIONS, MEAN_SCORE, S.CI_LOW, S.CI_HIGH, SHARE_POS,
                     SHARE_NEG, N_ARTICLES, E.ENTITY_TYPE)

# The mention columns toward() reads (sentence_id, start, end) and toward_by_outlet() groups by, with the
# article_id that partition.per_article splits on: pass mentions.loc[rows, list(TOWARD_INPUTS)] when only the
# scores per outlet are wanted, so the scored table does not carry kind and surface (about a fifth of it).
TOWARD_INPUTS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, E.ENTITY, E.ENTITY_TYPE, S.START, S.END)
# The columns toward_by_outlet() reads: what the notebook asks toward(columns=) to return (the scored table
# then leaves out the sentence ids, offsets and class probabilities: about half of it).
SUMMARY_INPUTS = (S.OUTLET, S.ARTICLE_ID, E.ENTITY, E.ENTITY_TYPE, SCORE, POLARITY)

BATCH_MENTIONS = 2_000  # mentions whose features (about 80 columns each) and sentences are held at once
# (5,000 before session 31: one chunk of 1,000 generated articles, 64,706 mentions, peaked at 576 MB with
# 5,000 and 545-554 MB with 2,000 from the same start, same CPU, same scores)


def _context_spans(context, ids: pd.Index, starts_all: np.ndarray, pos: np.ndarray, starts: np.ndarray,
                   ends: np.ndarray):
    """Return (sentence positions, starts, ends within the sentence) of the mentions to mask.

    `ids` are the sentence ids (unique), `starts_all` the sentences' offsets, `pos` the
    mentions' sentence positions. O(context rows) (an index look-up, no per-row Python).
    """
    if context is None:
        return pos, starts, ends
    S.check_columns(context, [S.SENTENCE_ID, S.START, S.END], table="context")
    cpos = ids.get_indexer(context[S.SENTENCE_ID])
    known = cpos >= 0  # mentions of other sentences mask nothing here
    cpos = cpos[known]
    offset = starts_all[cpos]
    return (cpos, context[S.START].to_numpy(dtype=np.int64)[known] - offset,
            context[S.END].to_numpy(dtype=np.int64)[known] - offset)


def toward(mentions: pd.DataFrame, sentences: pd.DataFrame, *, model=None,
           context: pd.DataFrame | None = None, only: str | None = None,
           columns: list[str] | None = None) -> pd.DataFrame:
    """Score the sentiment of each mention's sentence toward the person (or thing) it names.

    Parameters
    ----------
    mentions : pandas.DataFrame
        From :func:`analysis.entities.find_mentions` (needs ``sentence_id``, ``start``,
        ``end``, offsets into ``articles.text``).
    sentences : pandas.DataFrame
        The sentence table the mentions were found in (``sentence_id``, ``start``,
        ``sentence_text``).
    model : str, os.PathLike or TowardModel, optional
        A model file or loaded model; default the shipped NewsMTSC model.
    context : pandas.DataFrame, optional
        All the mentions of these sentences (``sentence_id, start, end``), whose spans are
        masked as other mentions; default `mentions` itself. Pass the whole table when
        `mentions` is a selection (the people a report shows): each score is then the one
        it gets among all the mentions, and only the selection pays for features.
    only : str, optional
        A boolean column of `mentions`: only its True rows are scored and returned (without
        this column), and with `context` None every row of `mentions` is their context. The
        same scores as passing those rows with ``context=mentions``, without copying the
        selection first: ``toward(all.assign(shown=mask), s, only="shown")`` equals
        ``toward(all[mask], s, context=all)``. Through ``partition.per_article`` each
        chunk selects its own rows.
    columns : list of str, optional
        The columns returned, in this order: any of `mentions`' columns and
        :data:`TOWARD_COLUMNS`. Default: every column of `mentions`, then
        :data:`TOWARD_COLUMNS`. The same values as selecting them from the full table, but
        the columns left out are never copied: through ``partition.per_article`` the
        concatenated table holds only these (the notebook keeps :data:`SUMMARY_INPUTS`,
        what :func:`toward_by_outlet` reads).

    Returns
    -------
    pandas.DataFrame
        One row per mention (per True row of `only`), same rows and order as `mentions`
        (index reset): its columns (or `columns`), then ``polarity`` ("negative", "neutral",
        "positive": the most probable class), ``score`` (P(positive) - P(negative), in [-1, 1], > 0 favourable),
        ``p_negative``, ``p_neutral``, ``p_positive`` (rounded to 6 decimals).

    Raises
    ------
    SchemaError
        If a table lacks a column (naming it), a mention's sentence is not in
        `sentences`, or its offsets fall outside its sentence (naming the row), or
        `columns` names a column that is neither.

    Notes
    -----
    A logistic regression on NewsMTSC (Hamborg & Donnay, EACL 2021): in 5-fold
    cross-validation grouped by article its macro-F1 is in ``load_model().metadata``
    and the README (about 0.66, against 0.51 for VADER on the sentence and 0.83 for the
    published transformer). It reads one sentence: it cannot see irony, the article's
    framing, or whom a pronoun means, and it was trained on US political news (2017-19),
    so other topics and styles may score worse. Other mentions in the same sentence are
    masked. It separates people in different clauses ("Smith won praise from voters, while
    Jones faced harsh criticism": positive, negative) but mostly not the agent from the
    patient of one verb: "Díaz-Canel rejected Trump's threats" scores negative for both
    (-0.79 and -0.92), as does "Smith was accused of fraud by Jones" (NewsMTSC's
    annotators often rate an attacker negative too). Cost O(characters) per distinct
    sentence of a batch of :data:`BATCH_MENTIONS` mentions (tokens, stems and VADER once
    for all its mentions; VADER skipped when no word is in its lexicon; the sentence
    masked once with every mention as ``<o>``), O(log tokens) Python per mention (its
    target's place, quotation and VADER sides), and O(tokens of its sentence) per mention
    in numpy (:func:`analysis.toward.batch._feature_rows`: every feature a mask over the
    masked sentences copied per mention; distinct tokens looked up in the model once per
    batch, word pairs by binary search). The per-sentence part (VADER's rules, tokens and
    Porter stems) is now most of the time. Python's cyclic garbage collector is paused while
    the batches are built (their objects hold no cycles and are freed by reference counts;
    its passes over them, and over everything else the process holds, took a fifth or more
    of the CPU: the report's 412,809 scored mentions of 10,000 generated articles took
    75.5 CPU s with it, 54.4 and 63.4 s without, same scores). Memory O(batch), not O(mentions) (the 71,869
    mentions of 1,000 abp-2013 articles peaked at 1.1 GB before batching, 0.38 GB after,
    same scores).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "start": [0], "sentence_text": [
    ...     "Smith won praise from voters, while Jones faced harsh criticism."]})
    >>> m = pd.DataFrame({"sentence_id": ["a/0", "a/0"], "entity": ["Smith", "Jones"],
    ...                   "start": [0, 36], "end": [5, 41]})
    >>> toward(m, s)[["entity", "polarity"]].values.tolist()
    [['Smith', 'positive'], ['Jones', 'negative']]
    """
    S.check_columns(mentions, [S.SENTENCE_ID, S.START, S.END] + ([only] if only is not None else []),
                    table="mentions")
    S.check_columns(sentences, [S.SENTENCE_ID, S.START, S.SENTENCE_TEXT], table="sentences")
    if only is not None:
        context = mentions if context is None else context
        mentions = mentions.loc[mentions[only].to_numpy(dtype=bool)].drop(columns=only)
    for col in TOWARD_COLUMNS:
        if col in mentions.columns:
            raise SchemaError(f"mentions table already has a {col!r} column; drop it first")
    if columns is not None:
        columns = list(columns)
        unknown = [c for c in columns if c not in mentions.columns and c not in TOWARD_COLUMNS]
        if unknown:
            raise SchemaError(f"columns: {unknown[0]!r} is neither a mentions column nor one of {list(TOWARD_COLUMNS)}")
    model = model if isinstance(model, TowardModel) else load_model(model)
    kept = [c for c in mentions.columns if columns is None or c in columns]  # only these are copied
    out = mentions[kept].reset_index(drop=True).copy()
    if sentences[S.SENTENCE_ID].duplicated().any():
        dup = sentences.loc[sentences[S.SENTENCE_ID].duplicated(), S.SENTENCE_ID].iloc[0]
        raise SchemaError(f"sentences table repeats sentence_id {dup!r}; ids must be unique")
    ids = pd.Index(sentences[S.SENTENCE_ID])  # unique (checked): positions by look-up, no per-row isin
    sid = mentions[S.SENTENCE_ID].reset_index(drop=True)
    pos = ids.get_indexer(sid)
    missing = pos < 0
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise SchemaError(f"mentions row {i}: sentence_id {sid.iloc[i]!r} is not in the "
                          "sentences table; pass the sentence table the mentions came from")
    texts = sentences[S.SENTENCE_TEXT].iloc[pos].astype(str).tolist()
    starts_all = sentences[S.START].to_numpy(dtype=np.int64)
    offset = starts_all[pos]
    starts = mentions[S.START].to_numpy(dtype=np.int64) - offset
    ends = mentions[S.END].to_numpy(dtype=np.int64) - offset
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    bad = (starts < 0) | (ends > lengths) | (ends <= starts)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SchemaError(f"mentions row {i}: start/end {mentions[S.START].iloc[i]}-"
                          f"{mentions[S.END].iloc[i]} fall outside sentence {sid.iloc[i]!r} "
                          f"(offsets {offset[i]}-{offset[i] + lengths[i]}); use offsets into "
                          "articles.text, as find_mentions gives")
    spans: dict = {}  # sentence position -> spans of the mentions to mask, in context order
    for s_, a, b in zip(*(x.tolist() for x in _context_spans(context, ids, starts_all, pos, starts, ends)),
                        strict=True):
        spans.setdefault(s_, []).append((a, b))
    others = [spans.get(s_, []) for s_ in pos.tolist()]
    p = np.zeros((len(out), 3))
    starts, ends = starts.tolist(), ends.tolist()
    with collector_paused():  # a batch's tokens are many small acyclic tuples and lists: its passes cost ~20%
        for b0 in range(0, len(out), BATCH_MENTIONS):  # features (and sentence tokens) of one batch alive at a time
            b1 = min(b0 + BATCH_MENTIONS, len(out))
            rows, cols, dense = _feature_rows(model, texts[b0:b1], starts[b0:b1], ends[b0:b1], others[b0:b1])
            p[b0:b1] = model._proba_rows(rows, cols, b1 - b0, dense)
    out[POLARITY] = np.asarray(CLASSES, dtype=object)[p.argmax(axis=1)] if len(out) else []
    out[SCORE] = np.round(p[:, 2] - p[:, 0], 6)
    for j, col in enumerate((P_NEGATIVE, P_NEUTRAL, P_POSITIVE)):
        if columns is None or col in columns:
            out[col] = np.round(p[:, j], 6)
    return out if columns is None else out[columns]


def toward_by_outlet(scored: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT, seed: int = 0,
                     level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Average toward-scores per outlet and entity, with bootstrap intervals.

    Parameters
    ----------
    scored : pandas.DataFrame
        From :func:`toward` on :func:`analysis.entities.find_mentions` output (needs
        ``outlet``, ``article_id``, ``entity``, ``type``, ``score``, ``polarity``).
    n_boot, seed, level
        Bootstrap replicates, seed and level (:func:`analysis.stats.bootstrap_means`).

    Returns
    -------
    pandas.DataFrame
        One row per (outlet, entity): ``outlet``, ``entity``, ``n_mentions``,
        ``mean_score`` (mean of the mentions' scores), ``ci_low``, ``ci_high`` (resampling
        articles, then mentions), ``share_pos`` / ``share_neg`` (share of mentions whose
        polarity is positive / negative), ``n_articles``, ``type``; sorted by outlet and
        entity. Empty (same columns) for no mentions.

    Notes
    -----
    Every mention weighs the same, so a person named five times in one sentence counts
    five times. An entity with one mention in an outlet gets a zero-width interval: read
    ``n_mentions`` and ``n_articles`` first. The model's own error (macro-F1 about 0.66)
    is not in the interval.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["X"] * 3, "article_id": ["a", "a", "b"],
    ...                   "entity": ["T"] * 3, "type": ["person"] * 3,
    ...                   "score": [0.5, -0.1, 0.2], "polarity": ["positive", "neutral",
    ...                   "positive"]})
    >>> toward_by_outlet(d, n_boot=200)[["entity", "n_mentions", "mean_score",
    ...                                  "share_pos", "n_articles"]].values.tolist()
    [['T', 3, 0.2, 0.666667, 2]]
    """
    S.check_columns(scored, [S.OUTLET, S.ARTICLE_ID, E.ENTITY, E.ENTITY_TYPE, SCORE, POLARITY],
                    table="toward scores")
    if scored.empty:
        return pd.DataFrame(columns=list(BY_OUTLET_COLUMNS))
    boot = stats.bootstrap_means(scored, value=SCORE, group=[S.OUTLET, E.ENTITY],
                                 cluster=S.ARTICLE_ID, n_boot=n_boot, seed=seed, level=level)
    d = scored.assign(_pos=scored[POLARITY].eq("positive"), _neg=scored[POLARITY].eq("negative"))
    g = d.groupby([S.OUTLET, E.ENTITY], sort=True)
    agg = g.agg(_pos=("_pos", "mean"), _neg=("_neg", "mean"),
                _type=(E.ENTITY_TYPE, "first")).reset_index()
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], E.ENTITY: boot[E.ENTITY], N_MENTIONS: boot[S.N],
        MEAN_SCORE: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW], S.CI_HIGH: boot[S.CI_HIGH],
        SHARE_POS: agg["_pos"].to_numpy(dtype=float), SHARE_NEG: agg["_neg"].to_numpy(dtype=float),
        N_ARTICLES: boot[stats.N_CLUSTERS], E.ENTITY_TYPE: agg["_type"].to_numpy(),
    })
    floats = [MEAN_SCORE, S.CI_LOW, S.CI_HIGH, SHARE_POS, SHARE_NEG]
    return out.assign(**{c: out[c].astype(float).round(6) for c in floats})
