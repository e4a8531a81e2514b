"""Draw the term figures (notebook 10_terms): top terms, distinctive terms, pair scatter, dispersion."""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis import terms as M
from analysis.plots import MAX_ROWS, fit_height, more_note, short, top_items
from analysis.reuse.columns import _within

RASTER_POINTS = 2000  # scatters with more points are rasterised in the SVG (1.4 MB -> ~0.2 MB at 14,000)
OVER, UNDER = "#c44e52", "#4c72b0"  # used more / less by the outlet than by its comparison


def _grouped_labels(df: pd.DataFrame, by: str = S.OUTLET) -> list[str]:
    return [f"{short(o, 24)} · {short(t, 24)}" for o, t in zip(df[by], df[M.TERM])]


def _pick_groups(df: pd.DataFrame, by: str, per_group: int, max_rows: int,
                 count_sums: pd.DataFrame | None = None) -> tuple[pd.DataFrame, int]:
    """Keep the groups with the most occurrences so that about `max_rows` rows are drawn.

    `count_sums` (``by, count``): each group's occurrences in the whole table, when `df`
    holds only some of its rows.
    """
    n_groups = max(1, max_rows // max(per_group, 1))
    if count_sums is None:
        sums = df.groupby(by)[M.COUNT].sum()
    else:
        sums = pd.Series(count_sums[M.COUNT].to_numpy(), index=count_sums[by].to_numpy())
    kept, n_more = top_items(sums, n_groups)
    return df[df[by].isin(kept)], n_more


def top_terms(counts: pd.DataFrame, *, n: int = 8, by: str = S.OUTLET, max_rows: int = 3 * MAX_ROWS,
              table: str = "terms_counts", count_sums=None, ax=None):
    """Draw each outlet's most frequent terms as horizontal bars of their rate per 1,000 words.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`analysis.terms.term_counts` (level "outlet").
    n : int, default 8
        Terms per outlet.
    by : str, default "outlet"
        The group column.
    max_rows : int, default 75
        At most this many bars: the outlets with the most counted words are drawn, the
        others counted in the title ("N more outlets in tables/<table>.csv").
    table : str, default "terms_counts"
        Table named in the title for the outlets left out.
    count_sums : pandas.DataFrame, optional
        ``by, count``: each group's ``count`` summed over the whole table
        (:meth:`analysis.terms.SortedCounts.count_sums`), the size the groups drawn are
        picked by. With it, `counts` may hold only each group's first rows
        (:meth:`analysis.terms.SortedCounts.rows` with ``keep >= n``): the same figure.
        Default: summed over `counts`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; its figure's height is fitted to the rows (bounded).

    Returns
    -------
    matplotlib.axes.Axes
        Bars labelled "outlet · term" (each cut at 24 characters), raw count at the end of
        each bar.

    Notes
    -----
    O(rows of `counts`) to select; drawing is bounded by `max_rows`.
    """
    shown, n_more = _pick_groups(counts, by, n, max_rows, count_sums)
    top = shown.sort_values([by, M.COUNT, M.TERM], ascending=[True, False, True])
    top = top.groupby(by, sort=True).head(n).iloc[::-1]
    ax = ax or plt.subplots(figsize=(7, 0.22 * len(top) + 1))[1]
    fit_height(ax, len(top))
    codes = pd.factorize(top[by])[0]
    colors = np.where(codes % 2 == 0, "#4c72b0", "#8172b3")
    y = np.arange(len(top))
    ax.barh(y, top[M.PER_1K].to_numpy(), color=colors)
    for yi, v, c in zip(y, top[M.PER_1K].to_numpy(), top[M.COUNT].to_numpy()):
        ax.text(v, yi, f" {c}", va="center", fontsize=7)
    ax.set_yticks(y, _grouped_labels(top, by), fontsize=7)
    ax.set_xlabel("per 1,000 words (raw count at bar end)")
    ax.set_title(f"Most frequent terms per {by}" + more_note(n_more, f"{by}s", table))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def distinctive_terms(keyness: pd.DataFrame, *, n: int = 5, comparison: str = M.REST, by: str = S.OUTLET,
                      max_rows: int = 3 * MAX_ROWS, table: str = "terms_keyness", count_sums=None, ax=None):
    """Draw a diverging bar chart of log-odds z-scores, the n most over- and under-used terms.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`analysis.terms.keyness`.
    n : int, default 5
        Terms per direction and outlet.
    comparison : str, default "vs rest"
        Which comparison to draw.
    by : str, default "outlet"
        The group column (as passed to :func:`analysis.terms.keyness`).
    max_rows : int, default 75
        At most about this many bars: the groups with the most occurrences of their tested
        terms are drawn, the others counted in the title.
    table : str, default "terms_keyness"
        Table named in the title for the groups left out.
    count_sums : pandas.DataFrame, optional
        ``by, comparison, count``: the sum of ``count`` over each group's rows of each
        comparison of the whole table (:meth:`analysis.terms.SortedKeyness.count_sums`), the
        size the groups drawn are picked by. With it, `keyness` may hold only the rows that
        can be drawn (:meth:`analysis.terms.SortedKeyness.rows` with ``keep >= n``): the same
        figure. Default: summed over `keyness`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; its figure's height is fitted to the rows (bounded).

    Returns
    -------
    matplotlib.axes.Axes
        Bars to the right: the outlet uses the term more; to the left: less. Each bar is
        annotated "count : count_rest"; a dashed line marks |z| = 1.96.

    Notes
    -----
    O(rows of `keyness` log rows) to rank, on integer arrays: only the rows that can be drawn
    (each group's `n` largest and smallest z, ties included) are taken from the table, so
    memory is a few numbers per row, not a copy of the comparison's rows (at 10,000 articles
    the copies raised the figure's peak by 463 MB over a 309 MB table); drawing is bounded
    by `max_rows`.
    """
    top, n_more = _distinctive_rows(keyness, n, comparison, by, max_rows, count_sums)
    ax = ax or plt.subplots(figsize=(7, 0.22 * len(top) + 1))[1]
    fit_height(ax, len(top))
    y = np.arange(len(top))
    z = top[M.LOG_ODDS_Z].to_numpy()
    ax.barh(y, z, color=np.where(z > 0, OVER, UNDER))
    for yi, zi, a, b in zip(y, z, top[M.COUNT].to_numpy(), top[M.COUNT_REST].to_numpy()):
        ax.text(zi, yi, f" {a}:{b} " if zi > 0 else f" {a}:{b} ", va="center",
                ha="left" if zi > 0 else "right", fontsize=7)
    for x in (-1.96, 1.96):
        ax.axvline(x, color="grey", lw=0.8, ls="--")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, _grouped_labels(top, by), fontsize=7)
    ax.set_xlabel("log-odds z-score (Monroe et al. 2008); labels: count in outlet : count in comparison")
    ax.set_title(f"Distinctive terms, each {by} {short(comparison)}" + more_note(n_more, f"{by}s", table))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _distinctive_rows(keyness: pd.DataFrame, n: int, comparison: str, by: str,
                      max_rows: int, count_sums: pd.DataFrame | None = None) -> tuple[pd.DataFrame, int]:
    """Pick the rows :func:`distinctive_terms` draws, in its order; also the number of groups left out.

    The same rows and order as selecting the comparison's rows, keeping the groups of
    :func:`_pick_groups` and sorting them by group, z descending and term (tested), but the
    sort runs on the candidates only: in each kept group the rows whose z reaches its `n`-th
    largest positive or `n`-th smallest negative z. O(rows log rows) on integer arrays.
    """
    in_cmp = (keyness[M.COMPARISON] == comparison).to_numpy(dtype=bool)
    group, names = pd.factorize(keyness[by])
    rows = np.flatnonzero(in_cmp & (group >= 0))
    del in_cmp
    group = group[rows]
    if count_sums is None:
        sums = pd.Series(keyness[M.COUNT].to_numpy()[rows]).groupby(group).sum()
        sums = pd.Series(sums.to_numpy(), index=names[sums.index])
    else:  # the whole table's sums, given (`keyness` may be the rows that can be drawn)
        given = count_sums[count_sums[M.COMPARISON] == comparison]
        sums = pd.Series(given[M.COUNT].to_numpy(), index=given[by].to_numpy())
    kept, n_more = top_items(sums, max(1, max_rows // max(2 * n, 1)))
    keep = np.isin(group, pd.Index(names).get_indexer(kept))
    rows, group = rows[keep], group[keep]
    z = keyness[M.LOG_ODDS_Z].to_numpy(dtype=float)[rows]
    pick = np.zeros(len(rows), dtype=bool)
    for sign in (1.0, -1.0):  # the n largest positive, then the n smallest negative z of each group
        side = np.flatnonzero(sign * z > 0)
        order = side[np.lexsort((-sign * z[side], group[side]))]
        at = np.flatnonzero(_within(group[order]) == n - 1)  # the n-th row of each group with n or more
        bound = np.full(len(names), -np.inf)
        bound[group[order[at]]] = sign * z[order[at]]
        pick[side[sign * z[side] >= bound[group[side]]]] = True
    k = keyness.take(rows[pick])
    ranked = k.sort_values([by, M.LOG_ODDS_Z, M.TERM], ascending=[True, False, True])
    over = ranked[ranked[M.LOG_ODDS_Z] > 0].groupby(by).head(n)
    under = ranked[ranked[M.LOG_ODDS_Z] < 0].groupby(by).tail(n)
    return pd.concat([over, under]).sort_values([by, M.LOG_ODDS_Z], ascending=[False, True]), n_more


def pair_scatter(keyness: pd.DataFrame, *, outlet: str, other: str, n_labels: int = 12, by: str = S.OUTLET,
                 ax=None):
    """Draw the rate of each term in one outlet against another, labelling the most distinctive.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`analysis.terms.keyness` with the pair ``(outlet, other)``.
    outlet, other : str
        The pair compared.
    n_labels : int, default 12
        Terms labelled, by largest |z| (at most :data:`analysis.plots.MAX_ROWS`; each cut at
        :data:`analysis.plots.MAX_LABEL` characters).
    by : str, default "outlet"
        The group column.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        Log-log axes (rates + 0.1 per 1,000 so zero counts show); the diagonal is equal use.

    Notes
    -----
    O(terms of the pair); one point per term (a scatter, not one row per term).
    """
    k = keyness[(keyness[by] == outlet) & (keyness[M.COMPARISON] == f"vs {other}")]
    n_labels = min(n_labels, MAX_ROWS)
    outlet, other = short(outlet), short(other)
    ax = ax or plt.subplots(figsize=(6, 6))[1]
    x, y = k[M.PER_1K].to_numpy() + 0.1, k[M.PER_1K_REST].to_numpy() + 0.1
    z = k[M.LOG_ODDS_Z].to_numpy()
    # thousands of points: drawn as one image inside the SVG (the labels stay text)
    ax.scatter(x, y, s=12, c=np.where(z > 0, OVER, UNDER), alpha=0.6, rasterized=len(x) > RASTER_POINTS)
    lim = [0.08, max(x.max(initial=1), y.max(initial=1)) * 1.5]
    ax.plot(lim, lim, color="grey", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):  # plain "0.1", "1", "10": readable, and no mathtext to parse
        axis.set_major_formatter(mticker.FormatStrFormatter("%g"))
        axis.set_minor_formatter(mticker.NullFormatter())
    order = np.argsort(-np.abs(z), kind="stable")[:n_labels]
    for i in order:
        ax.annotate(short(k[M.TERM].iloc[i]), (x[i], y[i]), fontsize=7, xytext=(2, 2), textcoords="offset points")
    ax.set_xlabel(f"{outlet}: per 1,000 words (+0.1)")
    ax.set_ylabel(f"{other}: per 1,000 words (+0.1)")
    ax.set_title(f"{outlet} vs {other}: red = more in {outlet}")
    return ax


def dispersion_plot(occurrences: pd.DataFrame, articles: pd.DataFrame, *, max_rows: int = MAX_ROWS,
                    table: str = "terms_dispersion", ax=None):
    """Draw where each inspected term occurs within each article (one row per article).

    Parameters
    ----------
    occurrences : pandas.DataFrame
        Output of :func:`analysis.terms.dispersion`.
    articles : pandas.DataFrame
        The articles (``article_id, outlet``): every article gets a row, even without hits,
        while there are at most `max_rows` of them.
    max_rows : int, default 25
        With more articles, the `max_rows` with the most hits are drawn (ties: outlet, id)
        and the rest counted in the title.
    table : str, default "terms_dispersion"
        Table named in the title (its per-outlet summary covers every article).
    ax : matplotlib.axes.Axes, optional
        Where to draw; its figure's height is fitted to the rows (bounded).

    Returns
    -------
    matplotlib.axes.Axes
        x: relative position in the article (0 = first word); one marker colour per term.

    Notes
    -----
    O(articles log articles + occurrences); drawing is bounded by `max_rows`.
    """
    rows = articles[[S.OUTLET, S.ARTICLE_ID]].sort_values([S.OUTLET, S.ARTICLE_ID])  # not every column sorted
    n_more = 0
    if len(rows) > max_rows:
        hits = occurrences.groupby(S.ARTICLE_ID).size()
        rows = rows.assign(_hits=rows[S.ARTICLE_ID].map(hits).fillna(0).to_numpy())
        top = rows.sort_values(["_hits", S.OUTLET, S.ARTICLE_ID], ascending=[False, True, True],
                               kind="stable").head(max_rows)
        n_more = len(rows) - len(top)
        rows = top.sort_values([S.OUTLET, S.ARTICLE_ID])[[S.OUTLET, S.ARTICLE_ID]]
        occurrences = occurrences[occurrences[S.ARTICLE_ID].isin(rows[S.ARTICLE_ID])]
    ax = ax or plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))[1]
    fit_height(ax, len(rows), per_row=0.35)
    index = {a: i for i, a in enumerate(rows[S.ARTICLE_ID])}
    queries = list(dict.fromkeys(occurrences["query"]))
    offsets = np.linspace(-0.25, 0.25, len(queries)) if len(queries) > 1 else [0.0]
    for q, off, color in zip(queries, offsets, plt.get_cmap("tab10").colors):
        occ = occurrences[occurrences["query"] == q]
        ys = occ[S.ARTICLE_ID].map(index).to_numpy(dtype=float) + off
        ax.scatter(occ[M.RELATIVE_POSITION], ys, marker="|", s=120, color=color, label=short(q))
    ax.set_yticks(range(len(rows)), [f"{short(o, 24)} · {short(a, 16)}"
                                     for o, a in zip(rows[S.OUTLET], rows[S.ARTICLE_ID])], fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_yaxis()
    ax.set_xlabel("relative position in the article")
    note = f" ({n_more:,} more articles; per outlet in tables/{table}.csv)" if n_more else ""
    ax.set_title("Where the inspected terms occur" + (" (articles with most hits)" if n_more else "") + note)
    if queries:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax
