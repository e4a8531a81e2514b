"""Draw the corpus-overview figures (notebook 00_corpus)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import schema as S
from analysis.plots import MAX_ROWS, more_note, short, top_items

LABELLED_DOTS = 200  # article_lengths writes each article's word count while there are at most this many


def articles_per_outlet(articles: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw a horizontal bar chart of the number of articles per outlet.

    Parameters
    ----------
    articles : pandas.DataFrame
        One row per article (``outlet``).
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        Outlets drawn (most articles); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(articles).
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    counts = articles[S.OUTLET].value_counts()
    kept, n_more = top_items(counts, max_rows)
    counts = counts[kept].sort_index(ascending=False)
    ax.barh([short(o) for o in counts.index], counts.to_numpy(), color="#4c72b0")
    for y, v in enumerate(counts.to_numpy()):
        ax.text(v, y, f" {v}", va="center")
    ax.set_xlabel("articles")
    ax.set_title("Articles per outlet" + more_note(n_more, "outlets", "corpus"))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def article_lengths(overview: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw words per article as dots, one row per outlet.

    Parameters
    ----------
    overview : pandas.DataFrame
        One row per article with ``outlet`` and ``words`` (see
        :func:`analysis.overview.corpus_overview`).
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        Outlets drawn (most articles); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
        Each dot is labelled with its word count while there are at most
        :data:`LABELLED_DOTS` articles.

    Notes
    -----
    O(articles).
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    kept, n_more = top_items(overview[S.OUTLET].value_counts(), max_rows)
    overview = overview[overview[S.OUTLET].isin(kept)]
    outlets = sorted(kept, reverse=True)
    label = len(overview) <= LABELLED_DOTS
    words_of = dict(tuple(overview.groupby(S.OUTLET)["words"]))
    for y, outlet in enumerate(outlets):
        words = words_of.get(outlet, pd.Series(dtype="int64"))
        ax.scatter(words, [y] * len(words), color="#4c72b0", zorder=3, rasterized=not label)
        for w in words if label else ():
            ax.annotate(f"{w}", (w, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8)
    ax.set_yticks(range(len(outlets)), [short(o) for o in outlets])
    ax.set_xlim(left=0)
    ax.set_xlabel("words per article (after cleaning)")
    ax.set_title("Article length" + more_note(n_more, "outlets", "corpus"))
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def timeline(articles: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw publication dates per outlet; undated articles are listed in the title.

    Parameters
    ----------
    articles : pandas.DataFrame
        One row per article (``outlet``, ``published``).
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        Outlets drawn (most articles); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(articles).
    """
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    kept, n_more = top_items(articles[S.OUTLET].value_counts(), max_rows)
    outlets = sorted(kept, reverse=True)
    undated = int((articles[S.PUBLISHED].isna() | (articles[S.PUBLISHED] == "")).sum())
    articles = articles[articles[S.OUTLET].isin(kept)]
    dated = articles[articles[S.PUBLISHED].notna() & (articles[S.PUBLISHED] != "")]
    days_of = dict(tuple(dated.groupby(S.OUTLET)[S.PUBLISHED]))
    for y, outlet in enumerate(outlets):
        days = pd.to_datetime(days_of.get(outlet, pd.Series(dtype=object)))
        ax.scatter(days, [y] * len(days), color="#dd8452", zorder=3, rasterized=len(dated) > 2000)
    ax.set_yticks(range(len(outlets)), [short(o) for o in outlets])
    ax.set_title("Publication dates" + (f" ({undated} undated, not shown)" if undated else "")
                 + more_note(n_more, "outlets", "corpus"))
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return ax
