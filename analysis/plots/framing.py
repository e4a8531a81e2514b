"""Draw the framing figures (notebook 30_framing): frame heatmap and point-range, label heatmap, actors."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import actors as A
from analysis import frames as F
from analysis import labels as L
from analysis import schema as S
from analysis.plots import MAX_ROWS, cell_text, heatmap, more_note, short, top_items

CMAP = "Blues"  # sequential: every value here is a count or share, 0 = white
POINT_OUTLETS = 10  # outlets dodged per frame in the point-range figure (one tab10 colour each)


def _cap_outlets(df: pd.DataFrame, size: str, n: int) -> tuple[pd.DataFrame, int]:
    """Keep the `n` outlets with the largest total `size` (ties: name); return them and how many were left."""
    if df[S.OUTLET].nunique() <= n:
        return df, 0
    kept, n_more = top_items(df.groupby(S.OUTLET)[size].sum(), n)
    return df[df[S.OUTLET].isin(kept)], n_more


def _annotate(ax, values: np.ndarray, labels: np.ndarray, vmax: float) -> None:
    for (i, j), text in np.ndenumerate(labels):
        if not text:
            continue
        v = values[i, j]
        dark = np.isfinite(v) and vmax > 0 and v > 0.6 * vmax
        cell_text(ax, j, i, text, fontsize=7, color="white" if dark else "black")


def frame_heatmap(profile: pd.DataFrame, *, scheme: str, value: str = F.SHARE_SENTENCES,
                  max_outlets: int = MAX_ROWS, ax=None):
    """Draw frames (rows) x outlets (columns) of one scheme, coloured by `value`.

    Parameters
    ----------
    profile : pandas.DataFrame
        From :func:`analysis.frames.frame_profile` (``by="outlet"``).
    scheme : str
        The scheme to draw.
    value : str, default "share_sentences"
        Column to colour by ("share_sentences" or "per_1k").
    max_outlets : int, default :data:`analysis.plots.MAX_ROWS`
        Outlet columns drawn (most cue hits); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        Each cell shows the value and, below it, the raw hit count; frames without cues
        (NaN) are grey and marked "n/a".

    Notes
    -----
    O(rows of `profile`); drawing bounded by frames x `max_outlets` cells.
    """
    part, n_more = _cap_outlets(profile[profile[F.SCHEME] == scheme], F.HITS, max_outlets)
    frames = list(dict.fromkeys(part[F.FRAME]))
    grid = part.pivot(index=F.FRAME, columns=S.OUTLET, values=value).reindex(frames)
    hits = part.pivot(index=F.FRAME, columns=S.OUTLET, values=F.HITS).reindex(frames)
    ax = ax or plt.subplots(figsize=(1.3 * grid.shape[1] + 2.5, 0.42 * len(frames) + 1.2))[1]
    values = grid.to_numpy(dtype=float)
    vmax = np.nanmax(values) if np.isfinite(values).any() else 1.0
    cmap = plt.get_cmap(CMAP).with_extremes(bad="#dddddd")  # a copy; set_bad is to be deprecated
    heatmap(ax, values, cmap=cmap, vmin=0, vmax=vmax or 1.0)
    fmt = "{:.0%}" if value == F.SHARE_SENTENCES else "{:.1f}"
    labels = np.array([[("n/a" if not np.isfinite(v) else f"{fmt.format(v)}\n({int(h)})")
                        for v, h in zip(row_v, row_h, strict=True)]
                       for row_v, row_h in zip(values, hits.to_numpy(), strict=True)], dtype=object)
    _annotate(ax, values, labels, vmax)
    ax.set_xticks(range(grid.shape[1]), [short(c) for c in grid.columns], rotation=30, ha="right")
    ax.set_yticks(range(len(frames)), frames)
    what = "share of sentences with a cue" if value == F.SHARE_SENTENCES else "cue hits per 1,000 words"
    ax.set_title(f"{scheme}: {what} (hits in brackets)" + more_note(n_more, "outlets", "frames"), fontsize=10)
    return ax


def frame_pointrange(profile: pd.DataFrame, *, scheme: str, max_outlets: int = POINT_OUTLETS, ax=None):
    """Draw each frame's share of sentences per outlet as points with bootstrap intervals.

    Parameters
    ----------
    profile : pandas.DataFrame
        From :func:`analysis.frames.frame_profile` (``by="outlet"``).
    scheme : str
        The scheme to draw.
    max_outlets : int, default 10
        Outlets drawn (most cue hits), one colour each; the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        One row per frame, outlets dodged vertically, a horizontal line for each interval.

    Notes
    -----
    O(rows of `profile`); drawing bounded by frames x `max_outlets` points.
    """
    part = profile[(profile[F.SCHEME] == scheme) & profile[F.SHARE_SENTENCES].notna()]
    part, n_more = _cap_outlets(part, F.HITS, max_outlets)
    frames = list(dict.fromkeys(part[F.FRAME]))[::-1]
    outlets = sorted(part[S.OUTLET].unique())
    ax = ax or plt.subplots(figsize=(7, 0.5 * len(frames) + 1.2))[1]
    colors = plt.get_cmap("tab10")
    step = 0.7 / max(len(outlets), 1)
    for k, outlet in enumerate(outlets):
        rows = part[part[S.OUTLET] == outlet].set_index(F.FRAME).reindex(frames)
        y = np.arange(len(frames)) - 0.35 + step * (k + 0.5)
        ax.hlines(y, rows[S.CI_LOW], rows[S.CI_HIGH], color=colors(k % 10), lw=1.5)
        ax.plot(rows[F.SHARE_SENTENCES], y, "o", color=colors(k % 10), ms=4, label=short(outlet))
    ax.set_yticks(range(len(frames)), frames)
    ax.set_xlabel("share of sentences with at least one cue (95% bootstrap interval)")
    ax.set_xlim(left=0)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(scheme + more_note(n_more, "outlets", "frames"), fontsize=10)
    return ax


def label_heatmap(table: pd.DataFrame, *, max_outlets: int = MAX_ROWS, ax=None):
    """Draw concept:label (rows) x outlets (columns), coloured by share within the concept.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`analysis.labels.label_table`.
    max_outlets : int, default :data:`analysis.plots.MAX_ROWS`
        Outlet columns drawn (most label hits); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        Each cell shows the raw count (blank for zero); colour is the label's share of the
        concept's label hits in that outlet; horizontal lines separate concepts. Labels that no outlet
        used are left out.

    Notes
    -----
    O(rows of `table`); drawing bounded by labels x `max_outlets` cells.
    """
    table, n_more = _cap_outlets(table, L.COUNT, max_outlets)
    used = table.groupby([L.CONCEPT, L.LABEL])[L.COUNT].transform("sum") > 0
    part = table[used].assign(row=lambda d: d[L.CONCEPT] + ": " + d[L.LABEL])
    rows = list(dict.fromkeys(part["row"]))
    share = part.pivot(index="row", columns=S.OUTLET, values=L.SHARE).reindex(rows)
    count = part.pivot(index="row", columns=S.OUTLET, values=L.COUNT).reindex(rows)
    ax = ax or plt.subplots(figsize=(1.2 * max(share.shape[1], 1) + 3.5, 0.26 * max(len(rows), 1) + 1.2))[1]
    if not rows:
        ax.text(0.5, 0.5, "no label of the concept file occurs", ha="center", va="center")
        ax.set_axis_off()
        return ax
    values = share.to_numpy(dtype=float)
    heatmap(ax, np.nan_to_num(values), cmap=CMAP, vmin=0, vmax=1)
    counts = count.to_numpy().astype(int)
    _annotate(ax, values, np.where(counts > 0, counts.astype(str), ""), 1.0)  # zeros left blank
    concepts = [r.split(": ")[0] for r in rows]
    for i in range(1, len(rows)):
        if concepts[i] != concepts[i - 1]:
            ax.axhline(i - 0.5, color="black", lw=0.8)
    ax.set_xticks(range(share.shape[1]), [short(c) for c in share.columns], rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    ax.set_title("Labels per outlet: count (colour = share of the concept's labels)"
                 + more_note(n_more, "outlets", "labels"), fontsize=10)
    return ax


def actor_prominence(prominence: pd.DataFrame, *, top: int = 8, max_outlets: int = MAX_ROWS, ax=None):
    """Draw each outlet's most mentioned actors as a dot matrix of their share of mentions.

    Parameters
    ----------
    prominence : pandas.DataFrame
        From :func:`analysis.actors.actor_prominence`.
    top : int, default 8
        Actors shown (most mentioned over all outlets).
    max_outlets : int, default :data:`analysis.plots.MAX_ROWS`
        Outlet columns drawn (most actor mentions); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        Dot area is the share of the outlet's actor mentions; the letter in each dot is
        the first-mention position (H headline, L lead, P first paragraph, later blank).

    Notes
    -----
    O(rows of `prominence`); drawing bounded by `top` x `max_outlets` dots.
    """
    prominence, n_more = _cap_outlets(prominence, A.MENTIONS, max_outlets)
    totals = prominence.groupby(A.ACTOR)[A.MENTIONS].sum().sort_values(ascending=False, kind="stable")
    actors = list(totals.index[:top])[::-1]
    outlets = sorted(prominence[S.OUTLET].unique())
    ax = ax or plt.subplots(figsize=(1.2 * max(len(outlets), 1) + 3, 0.4 * max(len(actors), 1) + 1.2))[1]
    mark = {"headline": "H", "lead": "L", "first_paragraph": "P", "later": ""}
    part = prominence[prominence[A.ACTOR].isin(actors)]
    for r in part.itertuples(index=False):
        x, y = outlets.index(getattr(r, S.OUTLET)), actors.index(r.actor)
        ax.scatter(x, y, s=1500 * (r.share if np.isfinite(r.share) else 0) + 5, color="#4c72b0", alpha=0.6)
        cell_text(ax, x, y, mark[r.first_position], fontsize=7, color="black")
    ax.set_xticks(range(len(outlets)), [short(o) for o in outlets], rotation=30, ha="right")
    ax.set_yticks(range(len(actors)), [short(a) for a in actors])
    ax.set_xlim(-0.6, len(outlets) - 0.4)
    ax.set_ylim(-0.6, len(actors) - 0.4)
    ax.set_title("Share of actor mentions (H/L/P: first named in headline/lead/first paragraph)"
                 + more_note(n_more, "outlets", "actors"), fontsize=9)
    return ax


def _scheme_axes(profile: pd.DataFrame, axes, height: float):
    schemes = list(dict.fromkeys(profile[F.SCHEME]))
    if axes is None:
        fig, grid = plt.subplots(1, max(len(schemes), 1), figsize=(7 * max(len(schemes), 1), height),
                                 layout="constrained", squeeze=False)
        axes = list(grid[0])
    if len(axes) < len(schemes):
        raise ValueError(f"axes: {len(axes)} given, {len(schemes)} schemes to draw")
    return schemes, list(axes)


def frame_heatmaps(profile: pd.DataFrame, *, value: str = F.SHARE_SENTENCES, axes=None):
    """Draw :func:`frame_heatmap` for every scheme of `profile`, side by side.

    Parameters
    ----------
    profile : pandas.DataFrame
        From :func:`analysis.frames.frame_profile` (``by="outlet"``).
    value : str, default "share_sentences"
        Column to colour by.
    axes : sequence of matplotlib.axes.Axes, optional
        One per scheme; a new figure's by default.

    Returns
    -------
    list of matplotlib.axes.Axes
    """
    schemes, axes = _scheme_axes(profile, axes, 7)
    for ax, scheme in zip(axes, schemes, strict=False):
        frame_heatmap(profile, scheme=scheme, value=value, ax=ax)
    return axes


def frame_pointranges(profile: pd.DataFrame, *, axes=None):
    """Draw :func:`frame_pointrange` for every scheme of `profile`, side by side.

    Parameters
    ----------
    profile : pandas.DataFrame
        From :func:`analysis.frames.frame_profile` (``by="outlet"``).
    axes : sequence of matplotlib.axes.Axes, optional
        One per scheme; a new figure's by default.

    Returns
    -------
    list of matplotlib.axes.Axes
    """
    schemes, axes = _scheme_axes(profile, axes, 7)
    for ax, scheme in zip(axes, schemes, strict=False):
        frame_pointrange(profile, scheme=scheme, ax=ax)
    return axes
