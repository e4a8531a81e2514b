"""The evidence behind the scores: the most extreme sentences, the words that drive them."""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis.errors import ParameterError
from analysis.sentiment.aggregate import _round
from analysis.sentiment.columns import (
    COMPOUND,
    LEXICON_VALENCE,
    NEG_THRESHOLD,
    POS_THRESHOLD,
    VALENCE,
    WORD,
)
from analysis.sentiment.vader import _check_overrides, _token_valer, analyzer


# ---------------------------------------------------------------------------- evidence
def extreme_sentences(scores: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """Return the `n` most positive and `n` most negative sentences of each outlet.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.
    n : int, default 3
        Sentences per outlet and direction.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``direction`` ("positive"/"negative"), ``rank`` (1 = most extreme),
        ``sentence_id``, ``compound``, ``quoted``, ``sentence_text``. Only sentences past
        the +-0.05 thresholds; ties broken by sentence id.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["X"] * 3, "sentence_id": ["a/0", "a/1", "a/2"],
    ...                   "compound": [0.5, -0.7, 0.0], "quoted": ["none"] * 3,
    ...                   "sentence_text": ["Good.", "Bad!", "So."]})
    >>> extreme_sentences(d, n=2)[["direction", "rank", "sentence_text"]].values.tolist()
    [['negative', 1, 'Bad!'], ['positive', 1, 'Good.']]
    """
    S.check_columns(scores, [S.OUTLET, S.SENTENCE_ID, COMPOUND, S.QUOTED, S.SENTENCE_TEXT],
                    table="sentence scores")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n: {n!r}; use an integer >= 1")
    parts = []
    for direction, sign, keep in (("negative", 1, scores[COMPOUND] <= NEG_THRESHOLD),
                                  ("positive", -1, scores[COMPOUND] >= POS_THRESHOLD)):
        d = scores[keep].assign(_key=scores[COMPOUND] * sign)
        d = d.sort_values([S.OUTLET, "_key", S.SENTENCE_ID]).groupby(S.OUTLET).head(n)
        d = d.assign(direction=direction, rank=d.groupby(S.OUTLET).cumcount() + 1)
        parts.append(d)
    out = pd.concat(parts).sort_values([S.OUTLET, "direction", "rank"])
    return out[[S.OUTLET, "direction", "rank", S.SENTENCE_ID, COMPOUND, S.QUOTED,
                S.SENTENCE_TEXT]].reset_index(drop=True)


MAX_AUDIT_SENTENCES = 5_000  # sentences per outlet read for the word audit (a seeded sample beyond)


def _audit_sample(scores: pd.DataFrame, cap: int | None) -> pd.DataFrame:
    """Each outlet's sentences, or a seeded sample of `cap` of them (in table order) when it has more."""
    if not cap:
        return scores
    keep = []
    for outlet, idx in scores.groupby(S.OUTLET, sort=True).indices.items():
        if len(idx) > cap:
            rng = np.random.default_rng(zlib.crc32(str(outlet).encode("utf-8")))
            idx = np.sort(rng.choice(idx, size=cap, replace=False))
        keep.append(idx)
    return scores.iloc[np.sort(np.concatenate(keep))] if keep else scores


def word_contributions(scores: pd.DataFrame, *, overrides: dict | None = None,
                       top: int = 10, max_sentences: int | None = MAX_AUDIT_SENTENCES) -> pd.DataFrame:
    """Return the words that push each outlet's sentences most positive and most negative.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences` (needs ``outlet`` and ``sentence_text``).
    overrides : dict, optional
        The lexicon overrides the scores were made with.
    top : int, default 10
        Words per outlet and direction.
    max_sentences : int or None, default MAX_AUDIT_SENTENCES
        Read at most this many sentences per outlet: a seeded random sample (the same on
        every run) for larger outlets; None reads all. Counts and sums are then over the
        sample, and ``n_read`` says how many sentences were read.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``direction``, ``rank``, ``word`` (lower case), ``count`` (sentences
        where it carried valence), ``lexicon_valence``, ``valence`` (its summed valence
        over the outlet's sentences, after VADER's rules), ``share`` (of the outlet's
        total absolute valence), ``n_read`` (the outlet's sentences read).

    Notes
    -----
    O(tokens of the distinct sentences read): VADER's rules are applied word by word in
    Python, once per distinct sentence (about 0.12 ms a sentence: 40,684 sentences of 1,000
    abp-2013 articles in 4.9 s), hence the per-outlet cap.

    The compound is a non-linear function of the summed valences, so a word's share of
    the summed valence is an approximation of its weight in the compound. This is the
    audit table: look here for words VADER reads out of context ("united" in "United
    States", "party" in "Communist Party", "critical" meaning "crucial").

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["X", "X"], "sentence_text": ["A good day.",
    ...                   "A bad day, a good end."]})
    >>> word_contributions(d, top=1)[["direction", "word", "count", "valence"]].values.tolist()
    [['negative', 'bad', 1, -2.5], ['positive', 'good', 2, 3.8]]
    """
    S.check_columns(scores, [S.OUTLET, S.SENTENCE_TEXT], table="sentence scores")
    lexicon = analyzer(overrides).lexicon
    valences = _token_valer(tuple(sorted(_check_overrides(overrides).items())))
    scores = _audit_sample(scores, max_sentences)
    n_read = scores.groupby(S.OUTLET, sort=True).size()
    seen: dict[str, list[tuple[str, float]]] = {}  # each distinct sentence through VADER once
    rows = []
    for outlet, text in zip(scores[S.OUTLET].tolist(), scores[S.SENTENCE_TEXT].tolist(), strict=True):
        text = str(text)
        found = seen.get(text)
        if found is None:
            found = seen[text] = [(word.lower(), float(val)) for word, val in valences(text) if val]
        rows.extend((outlet, word, val) for word, val in found)
    cols = [S.OUTLET, "direction", "rank", WORD, E.COUNT, LEXICON_VALENCE, VALENCE, "share", "n_read"]
    if not rows:
        return pd.DataFrame(columns=cols)
    d = pd.DataFrame(rows, columns=[S.OUTLET, WORD, VALENCE])
    agg = d.groupby([S.OUTLET, WORD], sort=True).agg(
        **{E.COUNT: (VALENCE, "size"), VALENCE: (VALENCE, "sum")}).reset_index()
    total = d.assign(a=d[VALENCE].abs()).groupby(S.OUTLET)["a"].sum()
    agg["share"] = agg[VALENCE].abs() / agg[S.OUTLET].map(total)
    agg[LEXICON_VALENCE] = agg[WORD].map(lambda w: lexicon.get(w, np.nan)).astype(float)
    agg["direction"] = np.where(agg[VALENCE] > 0, "positive", "negative")
    agg = agg.assign(_k=-agg[VALENCE].abs()).sort_values([S.OUTLET, "direction", "_k", WORD])
    agg = agg.groupby([S.OUTLET, "direction"]).head(top)
    agg["rank"] = agg.groupby([S.OUTLET, "direction"]).cumcount() + 1
    agg["n_read"] = agg[S.OUTLET].map(n_read).astype("int64")
    return _round(agg[cols].reset_index(drop=True))
