"""Draw the sentiment figures (notebook 20_sentiment)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis import sentiment as V
from analysis.plots import MAX_ROWS, cell_text, heatmap, more_note, short, top_items

_BLUE, _RED, _GREY = "#4c72b0", "#c44e52", "#8c8c8c"
_VOICE_COLOURS = {"narration": _BLUE, "mixed": _GREY, "quoted": "#dd8452"}


RASTER_POINTS = 2000  # dot plots with more points are rasterised in the SVG
ROW_DOTS = 1000  # sentence dots drawn per outlet row at most (a fixed random sample; boxes use every sentence)
CELL_LABELS = 400  # heatmaps with more cells are drawn without per-cell numbers


def _zero_line(ax, vertical: bool = True) -> None:
    (ax.axvline if vertical else ax.axhline)(0, color=_GREY, lw=0.8, ls="--", zorder=1)
    ax.spines[["top", "right"]].set_visible(False)


def outlet_means(outlets: pd.DataFrame, *, members: pd.DataFrame | None = None, max_rows: int = MAX_ROWS,
                 ax=None):
    """Draw each outlet's (or group's) mean compound with its bootstrap interval (point-range).

    Parameters
    ----------
    outlets : pandas.DataFrame
        From :func:`analysis.sentiment.outlet_sentiment`; with ``n_outlets`` (``group_by``)
        its rows are groups of outlets.
    members : pandas.DataFrame, optional
        The sentence scores (:func:`analysis.sentiment.score_sentences`). When they carry
        ``source_outlet`` (outlets grouped), each outlet's own mean is drawn as a grey dot
        on its group's row, sized by its sentences: the spread the group's interval
        accounts for, since outlets are the bootstrap's first-stage clusters.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        Outlets drawn: those with most sentences; the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> o = pd.DataFrame({"outlet": ["left", "right"], "n_outlets": [2, 1], "n_articles": [3, 2],
    ...                   "n_sentences": [9, 5], "mean_compound": [0.1, -0.2], "ci_low": [0.0, -0.3],
    ...                   "ci_high": [0.2, -0.1]})
    >>> s = pd.DataFrame({"outlet": ["left"] * 3 + ["right"], "source_outlet": ["A", "A", "B", "C"],
    ...                   "compound": [0.1, 0.3, -0.1, -0.2]})
    >>> ax = outlet_means(o, members=s)
    >>> ax.get_title(), len(ax.collections[-1].get_offsets())  # three outlets as dots
    ('Sentiment by group of outlets (grey: each outlet)', 3)

    Notes
    -----
    O(outlets log outlets + sentences); labels cut at :data:`analysis.plots.MAX_LABEL`
    characters.
    """
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    kept, n_more = top_items(outlets.set_index(S.OUTLET)[V.N_SENTENCES], max_rows)
    d = outlets[outlets[S.OUTLET].isin(kept)]
    d = d.sort_values(S.OUTLET, ascending=False).reset_index(drop=True)
    y = np.arange(len(d))
    ax.errorbar(d[V.MEAN_COMPOUND], y, xerr=[d[V.MEAN_COMPOUND] - d[S.CI_LOW],
                                             d[S.CI_HIGH] - d[V.MEAN_COMPOUND]],
                fmt="o", color=_BLUE, capsize=3, zorder=3)
    grouped = V.N_OUTLETS in d.columns
    labels = [f"{short(o)}\n{f'{k} outlets, ' if grouped else ''}{a} art., {n} sent." for o, k, a, n in
              zip(d[S.OUTLET], d[V.N_OUTLETS] if grouped else d[S.OUTLET], d[V.N_ARTICLES], d[V.N_SENTENCES],
                  strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    _zero_line(ax)
    ax.set_xlabel("mean sentence compound (VADER), 95% bootstrap interval")
    title = "Sentiment by outlet"
    if grouped and members is not None and S.SOURCE_OUTLET in members.columns:
        own = members.groupby([S.OUTLET, S.SOURCE_OUTLET], observed=True)[V.COMPOUND].agg(["mean", "size"])
        own = own.reset_index()
        row = pd.Series(y, index=d[S.OUTLET]).reindex(own[S.OUTLET]).to_numpy()
        shown = ~np.isnan(row)
        ax.scatter(own["mean"][shown], row[shown] - 0.25, s=8 + 40 * np.sqrt(own["size"][shown] / own["size"].max()),
                   color=_GREY, alpha=0.6, edgecolors="none", zorder=2)
        title = "Sentiment by group of outlets (grey: each outlet)"
    elif grouped:
        title = "Sentiment by group of outlets"
    ax.set_title(title + more_note(n_more, "outlets", "sentiment_outlets"))
    return ax


def sentence_distributions(scores: pd.DataFrame, *, max_rows: int = MAX_ROWS, max_dots: int = ROW_DOTS, ax=None):
    """Draw sentences' compound scores as dots, one row per outlet, with a box of them all.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`analysis.sentiment.score_sentences`.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        Outlets drawn: those with most sentences; the rest are counted in the title.
    max_dots : int, default :data:`ROW_DOTS`
        Dots drawn per row at most: a row with more sentences shows a fixed random sample
        of them (said on the axis); its box still summarises every sentence.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> s = pd.DataFrame({"outlet": ["X"] * 5 + ["Y"] * 2, "compound": [0.1, 0.2, -0.5, 0.0, 0.9, -0.1, 0.3]})
    >>> ax = sentence_distributions(s, max_dots=3)
    >>> [len(c.get_offsets()) for c in ax.collections], ax.get_xlabel()
    ([2, 3], 'sentence compound score (one dot per sentence; at most 3 per row, a random sample)')

    Notes
    -----
    O(sentences) to group them, O(rows x `max_dots`) to draw; with more than
    :data:`RASTER_POINTS` dots they are one image inside the SVG (a vector dot per sentence
    made tens of MB). A corpus of a million sentences drew a million dots before the cap.
    """
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    kept, n_more = top_items(scores.groupby(S.OUTLET).size(), max_rows)
    outlets = sorted(kept, reverse=True)
    by_outlet = dict(list(scores.loc[scores[S.OUTLET].isin(outlets), [S.OUTLET, V.COMPOUND]]
                          .groupby(S.OUTLET, sort=False, observed=True)[V.COMPOUND]))
    data = [by_outlet[o].to_numpy() for o in outlets]
    ax.boxplot(data, orientation="horizontal", widths=0.5, showfliers=False,
               medianprops={"color": _RED}, positions=range(len(outlets)))
    rng = np.random.default_rng(0)  # fixed jitter and sample: byte-identical figures
    dots = [vals if len(vals) <= max_dots else np.sort(rng.choice(vals, max_dots, replace=False)) for vals in data]
    for y, vals in enumerate(dots):
        ax.scatter(vals, y + rng.uniform(-0.18, 0.18, len(vals)), s=10, color=_BLUE,
                   alpha=0.6, zorder=3, rasterized=sum(map(len, dots)) > RASTER_POINTS)
    ax.set_yticks(range(len(outlets)), [short(o) for o in outlets], fontsize=8)
    _zero_line(ax)
    ax.set_xlim(-1.05, 1.05)
    sampled = any(len(v) > max_dots for v in data)
    ax.set_xlabel("sentence compound score (one dot per sentence"
                  + (f"; at most {max_dots:,} per row, a random sample)" if sampled else ")"))
    rows = "group of outlets" if S.SOURCE_OUTLET in scores.columns else "outlet"
    ax.set_title(f"Sentence scores by {rows}" + more_note(n_more, "outlets", "sentiment_sentences"))
    return ax


def entity_heatmap(entities: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw an entity x outlet heatmap of mean compound, each cell labelled with its count.

    Parameters
    ----------
    entities : pandas.DataFrame
        From :func:`analysis.sentiment.entity_sentiment`.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        At most this many entities (most mentioned) and outlets (most mentions); the rest
        are counted in the title. Cells are labelled while there are at most
        :data:`CELL_LABELS` of them.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(rows of `entities`); drawing bounded by ``max_rows^2`` cells.
    """
    ax = ax or plt.subplots(figsize=(8, 5))[1]
    ents, n_ent = top_items(entities.groupby(E.ENTITY)[V.N_UNITS].sum(), max_rows)
    outs, n_out = top_items(entities.groupby(S.OUTLET)[V.N_UNITS].sum(), max_rows)
    entities = entities[entities[E.ENTITY].isin(ents) & entities[S.OUTLET].isin(outs)]
    mean = entities.pivot(index=E.ENTITY, columns=S.OUTLET, values=V.MEAN_COMPOUND)
    count = entities.pivot(index=E.ENTITY, columns=S.OUTLET, values=V.N_UNITS)
    if mean.empty:
        ax.text(0.5, 0.5, "no entity mentions", ha="center", va="center", transform=ax.transAxes)
        return ax
    order = count.sum(axis=1).sort_values(ascending=False, kind="stable").index
    mean, count = mean.loc[order], count.loc[order]
    im = heatmap(ax, mean.to_numpy(dtype=float), cmap="RdBu", vmin=-1, vmax=1)
    for (i, j), v in np.ndenumerate(mean.to_numpy(dtype=float) if mean.size <= CELL_LABELS else np.zeros((0, 0))):
        if not np.isnan(v):
            cell_text(ax, j, i, f"{v:+.2f}\nn={int(count.iat[i, j])}", fontsize=7)
    ax.set_xticks(range(mean.shape[1]), [short(c) for c in mean.columns], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(mean.shape[0]), [short(c) for c in mean.index], fontsize=8)
    ax.figure.colorbar(im, ax=ax, label="mean compound")
    more = " and ".join(f"{n:,} more {w}" for n, w in ((n_ent, "entities"), (n_out, "outlets")) if n > 0)
    ax.set_title("Sentiment of sentences naming each entity (n = sentences or windows)"
                 + (f" ({more} in tables/sentiment_entities.csv)" if more else ""))
    return ax


def voice_means(voices: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw quoted speech against narration per outlet (point-range, one colour per voice).

    Parameters
    ----------
    voices : pandas.DataFrame
        From :func:`analysis.sentiment.voice_sentiment`.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        Outlets drawn (most sentences); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(rows of `voices`).
    """
    ax = ax or plt.subplots(figsize=(7, 3.5))[1]
    size = voices.groupby(S.OUTLET)[V.N_UNITS].sum() if V.N_UNITS in voices.columns else voices.groupby(S.OUTLET).size()
    kept, n_more = top_items(size, max_rows)
    voices = voices[voices[S.OUTLET].isin(kept)]
    outlets = sorted(kept, reverse=True)
    offsets = {"narration": -0.2, "mixed": 0.0, "quoted": 0.2}
    for voice, part in voices.groupby(V.VOICE, sort=True):
        y = np.array([outlets.index(o) for o in part[S.OUTLET]]) + offsets.get(voice, 0)
        ax.errorbar(part[V.MEAN_COMPOUND], y,
                    xerr=[part[V.MEAN_COMPOUND] - part[S.CI_LOW],
                          part[S.CI_HIGH] - part[V.MEAN_COMPOUND]],
                    fmt="o", capsize=2, color=_VOICE_COLOURS.get(voice, _GREY),
                    label=voice, zorder=3)
    ax.set_yticks(range(len(outlets)), [short(o) for o in outlets], fontsize=8)
    _zero_line(ax)
    ax.legend(fontsize=8, frameon=False, loc="best")
    ax.set_xlabel("mean sentence compound, 95% bootstrap interval")
    ax.set_title("Quoted speech against narration" + more_note(n_more, "outlets", "sentiment_voices"))
    return ax


def top_words(contributions: pd.DataFrame, *, n: int = 15, ax=None):
    """Draw the lexicon words with the largest summed valence over all outlets.

    Parameters
    ----------
    contributions : pandas.DataFrame
        From :func:`analysis.sentiment.word_contributions`.
    n : int, default 15
        Words to show.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = ax or plt.subplots(figsize=(6, 4.5))[1]
    total = contributions.groupby(V.WORD)[[V.VALENCE, E.COUNT]].sum()
    total = total.loc[total[V.VALENCE].abs().sort_values(ascending=False, kind="stable").index]
    total = total.head(n).iloc[::-1]
    colours = [_BLUE if v > 0 else _RED for v in total[V.VALENCE]]
    ax.barh([f"{w} ({c})" for w, c in zip(total.index, total[E.COUNT], strict=True)],
            total[V.VALENCE], color=colours)
    _zero_line(ax)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("summed valence over all sentences (word (sentences))")
    ax.set_title("Words that drive the scores")
    return ax
