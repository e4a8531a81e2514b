"""Compute bootstrap intervals and multiple-comparison control, seeded and shared.

Small corpora need intervals and raw counts beside every score. The bootstrap here is a
two-stage cluster bootstrap: within each group (an outlet) it resamples clusters (its
articles) with replacement, then units (sentences) within each drawn cluster. With one
article in a group only the second stage varies, so the interval then says nothing about
how the outlet's *other* articles might differ: say so where it matters.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import ParameterError

DEFAULT_N_BOOT = 2000  # bootstrap replicates; ~0.5 pp Monte Carlo error on a 95% bound
DEFAULT_LEVEL = 0.95  # two-sided confidence level
ESTIMATE = "estimate"
N_CLUSTERS = "n_clusters"


def _rng(seed: int, key: str) -> np.random.Generator:
    """One generator per (seed, group name): a group's interval ignores the other groups."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


def _replicates(values: np.ndarray, clusters: np.ndarray, n_boot: int,
                rng: np.random.Generator) -> np.ndarray:
    """Return `n_boot` bootstrap means of `values` (two-stage when several clusters)."""
    _, inverse = np.unique(clusters, return_inverse=True)
    groups = [values[inverse == k] for k in range(inverse.max() + 1)]
    if len(groups) == 1:
        idx = rng.integers(0, len(values), size=(n_boot, len(values)))
        return values[idx].mean(axis=1)
    out = np.empty(n_boot)
    sizes = np.array([len(g) for g in groups])
    for b in range(n_boot):
        drawn = rng.integers(0, len(groups), size=len(groups))
        total = 0.0
        for k in drawn:
            total += groups[k][rng.integers(0, sizes[k], size=sizes[k])].sum()
        out[b] = total / sizes[drawn].sum()
    return out


def _check_boot(n_boot: int, level: float) -> None:
    if not isinstance(n_boot, int) or n_boot < 100:
        raise ParameterError(f"n_boot: {n_boot!r}; use an integer >= 100")
    if not 0.5 <= level < 1:
        raise ParameterError(f"level: {level!r}; use a number in [0.5, 1)")


def bootstrap_means(
    df: pd.DataFrame,
    *,
    value: str,
    group: str | list[str] = S.OUTLET,
    cluster: str | None = S.ARTICLE_ID,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Return the mean of `value` per group with a percentile bootstrap interval.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit (e.g. sentence).
    value : str
        Numeric column to average.
    group : str or list of str, default "outlet"
        Column(s) defining the groups.
    cluster : str or None, default "article_id"
        Column of the clusters resampled first; None resamples units only.
    n_boot : int, default 2000
        Bootstrap replicates (>= 100).
    seed : int, default 0
        Seed; the same seed gives the same intervals, whatever other groups exist.
    level : float, default 0.95
        Confidence level of the two-sided percentile interval.

    Returns
    -------
    pandas.DataFrame
        One row per group: the group column(s), ``n`` (units), ``n_clusters``,
        ``estimate`` (the plain mean), ``ci_low``, ``ci_high``. Sorted by group.

    Notes
    -----
    A group with a single unit gets ``ci_low == ci_high == estimate`` (no spread can be
    estimated); read its ``n`` before its interval.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["A"] * 4, "article_id": ["a", "a", "b", "b"],
    ...                   "x": [0.0, 1.0, 1.0, 1.0]})
    >>> r = bootstrap_means(d, value="x", n_boot=500)
    >>> r[["outlet", "n", "n_clusters", "estimate"]].values.tolist()
    [['A', 4, 2, 0.75]]
    >>> bool(r.ci_low.iloc[0] <= 0.75 <= r.ci_high.iloc[0])
    True
    """
    _check_boot(n_boot, level)
    keys = [group] if isinstance(group, str) else list(group)
    S.check_columns(df, [value, *keys, *([cluster] if cluster else [])], table="input")
    alpha = (1 - level) / 2
    rows = []
    for name, part in df.groupby(keys, sort=True, dropna=False):
        name = name if isinstance(name, tuple) else (name,)
        vals = part[value].to_numpy(dtype=float)
        clus = part[cluster].astype(str).to_numpy() if cluster else np.arange(len(part))
        n_clus = len(np.unique(clus)) if cluster else len(part)
        if len(vals) > 1:
            reps = _replicates(vals, clus if cluster else np.zeros(len(vals)), n_boot,
                               _rng(seed, "\x1f".join(map(str, name))))
            low, high = np.quantile(reps, [alpha, 1 - alpha])
        else:
            low = high = vals.mean() if len(vals) else np.nan
        rows.append((*name, len(vals), n_clus, vals.mean(), low, high))
    return pd.DataFrame(rows, columns=[*keys, S.N, N_CLUSTERS, ESTIMATE, S.CI_LOW, S.CI_HIGH])


def bootstrap_differences(
    df: pd.DataFrame,
    *,
    value: str,
    group: str = S.OUTLET,
    cluster: str | None = S.ARTICLE_ID,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Return every pairwise difference of group means with a bootstrap interval.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit.
    value, group, cluster, n_boot, seed, level
        As in :func:`bootstrap_means` (one group column).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (a < b): ``a``, ``b``, ``n_a``, ``n_b``,
        ``estimate`` (mean a minus mean b), ``ci_low``, ``ci_high`` and ``excludes_zero``
        (whether the interval lies wholly on one side of zero).

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["A"] * 3 + ["B"] * 3, "article_id": list("aaabbb"),
    ...                   "x": [1.0, 0.9, 0.8, 0.0, 0.1, -0.1]})
    >>> r = bootstrap_differences(d, value="x", n_boot=500)
    >>> r[["a", "b", "estimate", "excludes_zero"]].round(3).values.tolist()
    [['A', 'B', 0.9, True]]
    """
    _check_boot(n_boot, level)
    S.check_columns(df, [value, group, *([cluster] if cluster else [])], table="input")
    alpha = (1 - level) / 2
    reps, means, sizes = {}, {}, {}
    for name, part in df.groupby(group, sort=True):
        vals = part[value].to_numpy(dtype=float)
        clus = part[cluster].astype(str).to_numpy() if cluster else np.zeros(len(vals))
        reps[name] = _replicates(vals, clus, n_boot, _rng(seed, str(name)))
        means[name], sizes[name] = vals.mean(), len(vals)
    names = sorted(reps)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            low, high = np.quantile(reps[a] - reps[b], [alpha, 1 - alpha])
            rows.append((a, b, sizes[a], sizes[b], means[a] - means[b], low, high,
                         bool(low > 0 or high < 0)))
    return pd.DataFrame(rows, columns=["a", "b", "n_a", "n_b", ESTIMATE, S.CI_LOW, S.CI_HIGH,
                                       "excludes_zero"])


def adjust_pvalues(p_values, *, method: str = "fdr_bh") -> np.ndarray:
    """Return p-values adjusted for multiple comparisons (default Benjamini-Hochberg).

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values; NaN entries stay NaN and are not counted as tests.
    method : str, default "fdr_bh"
        "fdr_bh", or any other method of :func:`statsmodels.stats.multitest.multipletests`.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (q-values for "fdr_bh"), same order as the input.

    Notes
    -----
    "fdr_bh" is the step-up ``q_(i) = min_{j >= i} min(1, p_(j) m / j)`` in numpy, because
    importing statsmodels costs about a second in every notebook kernel that needs it;
    the tests check it against statsmodels' ``multipletests`` on random and tied p-values.
    Other methods call statsmodels.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, float("nan")]).round(3).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    if method == "fdr_bh":
        x = p[ok]
        order = np.argsort(x, kind="stable")
        ranked = x[order] * len(x) / np.arange(1, len(x) + 1)
        q = np.empty_like(x)
        q[order] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
        out[ok] = q
        return out
    from statsmodels.stats.multitest import multipletests

    out[ok] = multipletests(p[ok], method=method)[1]
    return out
