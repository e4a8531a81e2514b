"""Draw the corpus-overview figures (notebook 00_corpus)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis import schema as S


def articles_per_outlet(articles: pd.DataFrame, *, ax=None):
    """Draw a horizontal bar chart of the number of articles per outlet.

    Parameters
    ----------
    articles : pandas.DataFrame
        One row per article (``outlet``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    counts = articles[S.OUTLET].value_counts().sort_index(ascending=False)
    ax.barh(counts.index, counts.to_numpy(), color="#4c72b0")
    for y, v in enumerate(counts.to_numpy()):
        ax.text(v, y, f" {v}", va="center")
    ax.set_xlabel("articles")
    ax.set_title("Articles per outlet")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def article_lengths(overview: pd.DataFrame, *, ax=None):
    """Draw words per article as dots, one row per outlet.

    Parameters
    ----------
    overview : pandas.DataFrame
        One row per article with ``outlet`` and ``words`` (see
        :func:`analysis.overview.corpus_overview`).
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    outlets = sorted(overview[S.OUTLET].unique(), reverse=True)
    for y, outlet in enumerate(outlets):
        words = overview.loc[overview[S.OUTLET] == outlet, "words"]
        ax.scatter(words, [y] * len(words), color="#4c72b0", zorder=3)
        for w in words:
            ax.annotate(f"{w}", (w, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=8)
    ax.set_yticks(range(len(outlets)), outlets)
    ax.set_xlim(left=0)
    ax.set_xlabel("words per article (after cleaning)")
    ax.set_title("Article length")
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def timeline(articles: pd.DataFrame, *, ax=None):
    """Draw publication dates per outlet; undated articles are listed in the title.

    Parameters
    ----------
    articles : pandas.DataFrame
        One row per article (``outlet``, ``published``).
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    outlets = sorted(articles[S.OUTLET].unique(), reverse=True)
    dated = articles[articles[S.PUBLISHED].notna() & (articles[S.PUBLISHED] != "")]
    for y, outlet in enumerate(outlets):
        days = pd.to_datetime(dated.loc[dated[S.OUTLET] == outlet, S.PUBLISHED])
        ax.scatter(days, [y] * len(days), color="#dd8452", zorder=3)
    ax.set_yticks(range(len(outlets)), outlets)
    undated = len(articles) - len(dated)
    ax.set_title("Publication dates" + (f" ({undated} undated, not shown)" if undated else ""))
    ax.grid(axis="x", alpha=0.3)
    ax.figure.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return ax
