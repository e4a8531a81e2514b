"""Articles, outlets and voices: explicit aggregates of sentence scores, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis import stats
from analysis.errors import ParameterError
from analysis.sentiment.columns import (
    COMPOUND,
    MEAN_COMPOUND,
    N_ARTICLES,
    N_OUTLETS,
    N_SENTENCES,
    NEG_THRESHOLD,
    POS_THRESHOLD,
    SHARE_NEG,
    SHARE_POS,
    VOICE,
    VOICES,
)


# ------------------------------------------------------------------------ aggregation
def _share_table(df: pd.DataFrame, keys: list[str], value: str = COMPOUND) -> pd.DataFrame:
    """Shares of units with compound >= 0.05 and <= -0.05 per group (sorted, NaN keys dropped).

    One grouped mean of two boolean columns: O(rows), where a Python function applied group by
    group cost a pandas call per group (seconds with thousands of outlet x entity groups).
    Means of 0/1 values are exact, so the shares equal each group's own ``(c >= 0.05).mean()``.
    Text keys are grouped in their own (Arrow) storage: ``to_numpy()`` made a Python string of
    every row of every key (the outlet and entity of each entity unit: about 110 bytes a
    row), the same groups in the same (code point) order. Memory O(rows) of codes and flags.
    """
    v = df[value]
    flags = pd.DataFrame({SHARE_POS: (v >= POS_THRESHOLD).to_numpy(), SHARE_NEG: (v <= NEG_THRESHOLD).to_numpy()})
    by = [df[k].array if isinstance(df[k].dtype, pd.StringDtype) else df[k].to_numpy() for k in keys]
    return flags.groupby(by, sort=True).mean().rename_axis(keys)


def _aligned(table: pd.DataFrame | pd.Series, keys: list) -> np.ndarray:
    """Rows of `table` (indexed by group) in the order of `keys` (group names or tuples)."""
    index = pd.MultiIndex.from_tuples(keys) if keys and isinstance(keys[0], tuple) else pd.Index(keys)
    return table.reindex(index).to_numpy()


def article_sentiment(scores: pd.DataFrame) -> pd.DataFrame:
    """Aggregate sentence scores to articles; return one row per article.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``outlet``, ``n_sentences``, ``mean_compound`` (mean of the
        sentence compounds), ``share_pos`` / ``share_neg`` (share of sentences with
        compound >= 0.05 / <= -0.05); sorted by outlet, article.

    Notes
    -----
    An article's score is never VADER run on the whole article as one string: VADER's
    compound saturates towards +-1 on long texts, so a long article would look extreme.

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"],
    ...                   "compound": [0.5, -0.3, 0.0]})
    >>> article_sentiment(d).values.tolist()
    [['a', 'X', 2, 0.1, 0.5, 0.5], ['b', 'Y', 1, 0.0, 0.0, 0.0]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="sentence scores")
    keys = [S.OUTLET, S.ARTICLE_ID]
    columns = [S.ARTICLE_ID, S.OUTLET, N_SENTENCES, MEAN_COMPOUND, SHARE_POS, SHARE_NEG]
    grouped = scores.groupby(keys, sort=True)
    sizes = grouped.size()
    if sizes.empty:
        return pd.DataFrame([], columns=columns)
    codes = grouped.ngroup().to_numpy(dtype=float)  # NaN: a row with a missing key (dropped)
    kept = np.flatnonzero(~np.isnan(codes))
    values = scores[COMPOUND].to_numpy(dtype=float)[kept[np.argsort(codes[kept], kind="stable")]]
    ends = np.cumsum(sizes.to_numpy())
    # numpy's mean of each article's slice: the same pairwise sum as Series.mean, so the same bits
    means = [round(float(values[a:b].mean()), 6) for a, b in zip(ends - sizes.to_numpy(), ends, strict=True)]
    shares = _share_table(scores, keys)
    return pd.DataFrame({
        S.ARTICLE_ID: sizes.index.get_level_values(1).to_numpy(dtype=object),
        S.OUTLET: sizes.index.get_level_values(0).to_numpy(dtype=object),
        N_SENTENCES: sizes.to_numpy(dtype="int64"), MEAN_COMPOUND: means,
        SHARE_POS: shares[SHARE_POS].to_numpy(), SHARE_NEG: shares[SHARE_NEG].to_numpy()}, columns=columns)


def outlet_sentiment(scores: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT,
                     seed: int = 0, level: float = stats.DEFAULT_LEVEL,
                     rescored: pd.DataFrame | None = None) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Aggregate sentence scores to outlets with bootstrap intervals; one row per outlet.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.
    n_boot, seed, level
        Bootstrap replicates, seed and confidence level (:func:`analysis.stats.bootstrap_means`).
    rescored : pandas.DataFrame, optional
        The same sentences scored otherwise, e.g. ``rescore(scores, overrides=...)`` (same
        rows in the same order, only ``compound`` may differ). When given, both tables are
        returned, the second that of ``outlet_sentiment(rescored, ...)`` byte for byte, from
        the same draws (drawn once).

    Returns
    -------
    pandas.DataFrame, or a tuple of two with `rescored`
        ``outlet``, ``n_articles``, ``n_sentences``, ``mean_compound`` (mean over all the
        outlet's sentences), ``ci_low``, ``ci_high``, ``share_pos``, ``share_neg``; sorted
        by outlet.

    Notes
    -----
    The mean weights every sentence equally, so long articles weigh more. The interval
    resamples the outlet's articles, then sentences within each drawn article; with one
    article it only reflects sentence-to-sentence variation inside that article, not how
    the outlet's other articles might differ. Cost O(n_boot x sentences), mostly the
    draws; `rescored` adds neither draws nor, for outlets of 4,096 sentences or more, a
    pass of its own (:func:`analysis.stats.bootstrap_means_of`: both tables for the first
    10,000 of the 40,000 generated articles in 10.2 CPU s, where the two calls took 30).

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": list("aabb"), "outlet": ["X"] * 4,
    ...                   "compound": [0.5, 0.1, -0.2, 0.0]})
    >>> r = outlet_sentiment(d, n_boot=200)
    >>> r[["outlet", "n_articles", "n_sentences", "mean_compound", "share_pos"]].values.tolist()
    [['X', 2, 4, 0.1, 0.5]]
    >>> _, other = outlet_sentiment(d, n_boot=200, rescored=d.assign(compound=[0.5, 0.1, 0.2, 0.0]))
    >>> other.equals(outlet_sentiment(d.assign(compound=[0.5, 0.1, 0.2, 0.0]), n_boot=200))
    True
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="sentence scores")
    cluster = _cluster(scores)
    if rescored is None:
        boot = stats.bootstrap_means(scores, value=COMPOUND, group=S.OUTLET, cluster=cluster,
                                     n_boot=n_boot, seed=seed, level=level)
        return _outlet_table(scores, boot)
    S.check_columns(rescored, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="rescored sentence scores")
    keys = [S.OUTLET, *([cluster] if isinstance(cluster, str) else cluster)]
    if len(rescored) != len(scores) or any(c not in rescored.columns for c in keys) or not all(
            rescored[c].equals(scores[c]) for c in keys):  # same rows: the draws are the same
        raise ParameterError("rescored: not the same sentences as scores (outlets, articles and order must match)")
    other = "\x1frescored"  # a column name no score table has
    df = scores[keys].assign(**{COMPOUND: scores[COMPOUND], other: rescored[COMPOUND].to_numpy()})
    boot = stats.bootstrap_means_of(df, values=[COMPOUND, other], group=S.OUTLET, cluster=cluster,
                                    n_boot=n_boot, seed=seed, level=level)
    return _outlet_table(scores, boot[COMPOUND]), _outlet_table(rescored, boot[other])


def _outlet_table(scores: pd.DataFrame, boot: pd.DataFrame) -> pd.DataFrame:
    """:func:`outlet_sentiment`'s table from the scores and their outlets' bootstrap table."""
    shares = _share_table(scores, [S.OUTLET])
    n_articles = scores.groupby(S.OUTLET, sort=True)[S.ARTICLE_ID].nunique()
    names = boot[S.OUTLET].tolist()
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], N_ARTICLES: n_articles.loc[boot[S.OUTLET]].to_numpy(),
        N_SENTENCES: boot[S.N],
        MEAN_COMPOUND: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW], S.CI_HIGH: boot[S.CI_HIGH],
        SHARE_POS: _aligned(shares[SHARE_POS], names), SHARE_NEG: _aligned(shares[SHARE_NEG], names),
    })
    if S.SOURCE_OUTLET in scores.columns:  # grouped: the outlets are the first-stage clusters
        out.insert(1, N_OUTLETS, boot[stats.N_CLUSTERS].to_numpy())
    return _round(out)


def _round(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Round float columns so saved tables are byte-identical across platforms."""
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    return df.assign(**{c: df[c].round(digits) for c in floats})


MAX_PAIRWISE = 12  # outlets up to which every pair is compared; beyond, each outlet against the rest
REST = "all other outlets"  # the `b` of a comparison against the rest of the corpus


def _cluster(scores: pd.DataFrame) -> str | list[str]:
    """Bootstrap clusters: articles, or [outlet, article] when outlets are grouped (group_by)."""
    return [S.SOURCE_OUTLET, S.ARTICLE_ID] if S.SOURCE_OUTLET in scores.columns else S.ARTICLE_ID


def outlet_differences(scores: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT,
                       seed: int = 0, level: float = stats.DEFAULT_LEVEL,
                       pairs: str = "auto") -> pd.DataFrame:
    """Return differences of outlet mean compounds with bootstrap intervals.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.
    n_boot, seed, level
        As in :func:`outlet_sentiment`.
    pairs : {"auto", "all", "rest"}, default "auto"
        "all": every pair of outlets; "rest": each outlet against all other outlets
        together (``b`` is :data:`REST`); "auto": "all" up to :data:`MAX_PAIRWISE` outlets,
        else "rest".

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``a``, ``b``, ``n_a``, ``n_b`` (sentences), ``estimate``
        (mean a minus mean b), ``ci_low``, ``ci_high``, ``excludes_zero``.

    Notes
    -----
    With many outlets some intervals exclude zero by chance (10 pairs at 95%: about one
    in two corpora shows at least one). Treat them as leads to read, not findings.
    "all" costs O(n_boot x (sentences + outlets^2)); "rest" O(n_boot x (sentences +
    outlets)): each outlet is resampled once (articles, then sentences; outlets, then
    articles, when grouped), and "the rest" is the mean of the other outlets' replicates
    weighted by their sentence counts (a stratified bootstrap of the pooled mean). The
    replicates of outlets with 1,000 sentences or more are those :func:`outlet_sentiment`
    just drew from the same seed, looked up rather than drawn again
    (:func:`analysis.stats._memo_replicates`).

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": list("aabb"), "outlet": list("XXYY"),
    ...                   "compound": [0.5, 0.3, -0.2, 0.0]})
    >>> outlet_differences(d, n_boot=200)[["a", "b", "estimate"]].values.tolist()
    [['X', 'Y', 0.5]]
    >>> outlet_differences(d, n_boot=200, pairs="rest")[["a", "b", "estimate"]].values.tolist()
    [['X', 'all other outlets', 0.5], ['Y', 'all other outlets', -0.5]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="sentence scores")
    if pairs not in ("auto", "all", "rest"):
        raise ParameterError(f"pairs: {pairs!r} is not one of 'auto', 'all', 'rest'")
    n_outlets = scores[S.OUTLET].nunique()
    if pairs == "all" or (pairs == "auto" and n_outlets <= MAX_PAIRWISE):
        return _round(stats.bootstrap_differences(scores, value=COMPOUND, group=S.OUTLET,
                                                  cluster=_cluster(scores), n_boot=n_boot, seed=seed,
                                                  level=level))
    return _round(stats.bootstrap_versus_rest(scores, value=COMPOUND, group=S.OUTLET, cluster=_cluster(scores),
                                              n_boot=n_boot, seed=seed, level=level, rest=REST))


# ----------------------------------------------------------------------------- voices
def voice_sentiment(scores: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT,
                    seed: int = 0, level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Compare quoted speech with the reporter's narration; one row per (outlet, voice).

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences` (needs ``quoted``).
    n_boot, seed, level
        As in :func:`outlet_sentiment`.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``voice`` ("narration": no quotation; "mixed": partly quoted;
        "quoted": wholly inside quotation marks), ``n_articles``, ``n_sentences``,
        ``mean_compound``, ``ci_low``, ``ci_high``, ``share_pos``, ``share_neg``; sorted by
        outlet and voice.

    Notes
    -----
    "mixed" sentences hold both the quote and its attribution ("..., Díaz-Canel said"),
    so their score mixes both voices. Quotation marks are the only signal: reported
    speech without them ("he said talks were underway") counts as narration.

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": list("aaa"), "outlet": ["X"] * 3,
    ...                   "compound": [0.5, 0.3, -0.2], "quoted": ["none", "none", "whole"]})
    >>> voice_sentiment(d, n_boot=200)[["voice", "n_sentences", "mean_compound"]].values.tolist()
    [['narration', 2, 0.4], ['quoted', 1, -0.2]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND, S.QUOTED], table="sentence scores")
    bad = sorted(set(scores[S.QUOTED].dropna()) - set(VOICES))
    if bad:
        raise ParameterError(f"quoted column holds {bad}; valid: {list(VOICES)}")
    clusters = _cluster(scores)
    needed = [S.OUTLET, COMPOUND, *([clusters] if isinstance(clusters, str) else clusters)]
    df = scores[needed].assign(**{VOICE: scores[S.QUOTED].map(VOICES)})  # no copy of the texts
    boot = stats.bootstrap_means(df, value=COMPOUND, group=[S.OUTLET, VOICE],
                                 cluster=clusters, n_boot=n_boot, seed=seed, level=level)
    shares = _share_table(df, [S.OUTLET, VOICE])
    keys = list(zip(boot[S.OUTLET], boot[VOICE], strict=True))
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], VOICE: boot[VOICE], N_ARTICLES: boot[stats.N_CLUSTERS],
        N_SENTENCES: boot[S.N], MEAN_COMPOUND: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW],
        S.CI_HIGH: boot[S.CI_HIGH], SHARE_POS: _aligned(shares[SHARE_POS], keys),
        SHARE_NEG: _aligned(shares[SHARE_NEG], keys),
    })
    return _round(out)
