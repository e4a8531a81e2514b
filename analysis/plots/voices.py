"""Draw the voices, reuse and facts figures (notebook 40_voices_reuse)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.plots import MAX_ROWS, cell_text, heatmap, more_note, short, top_items

TOP_SPEAKERS = 8  # speakers shown by name in the voice-share bars; the rest are "other"
_LOADED_COLOUR = "#c44e52"  # loaded verbs
_NEUTRAL_COLOUR = "#4c72b0"  # neutral verbs


def voice_share_bars(voices: pd.DataFrame, *, top: int = TOP_SPEAKERS, ax=None):
    """Draw one stacked horizontal bar per outlet: the share of quoted words per speaker.

    Parameters
    ----------
    voices : pandas.DataFrame
        From :func:`analysis.quotes.voice_share`.
    top : int, default :data:`TOP_SPEAKERS`
        Speakers with the most quoted words overall get their own colour; the rest are
        grouped as "other".
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = ax or plt.subplots(figsize=(8, 3.5))[1]
    if voices.empty:
        ax.set_title("Voice share: no quotations")
        return ax
    totals = voices.groupby("speaker")["n_words"].sum().sort_values(ascending=False, kind="stable")
    keep = list(totals.index[:top])
    v = voices.assign(who=voices["speaker"].where(voices["speaker"].isin(keep), "other"))
    wide = v.pivot_table(index=S.OUTLET, columns="who", values="voice_share", aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=[c for c in keep + ["other"] if c in wide.columns]).sort_index(ascending=False)
    n_words = voices.groupby(S.OUTLET)["outlet_quoted_words"].first()
    left = np.zeros(len(wide))
    colours = plt.get_cmap("tab10").colors
    for i, who in enumerate(wide.columns):
        ax.barh(wide.index, wide[who].to_numpy(), left=left, label=who,
                color="#bbbbbb" if who == "other" else colours[i % 10])
        left += wide[who].to_numpy()
    ax.set_yticks(range(len(wide)), [f"{o} (n={n_words[o]} words)" for o in wide.index])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the outlet's quoted words")
    ax.set_title("Who gets a voice: voice share per outlet")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    return ax


MAX_VERBS = 30  # verb columns drawn in the verb matrix; the rest are counted in its title


def verb_matrix(profile: pd.DataFrame, *, top: int = TOP_SPEAKERS, max_rows: int = MAX_ROWS,
                max_verbs: int = MAX_VERBS, ax=None):
    """Draw reporting verbs (columns) by outlet and speaker (rows); loaded verbs in red.

    Parameters
    ----------
    profile : pandas.DataFrame
        From :func:`analysis.quotes.verb_profile`.
    top : int, default :data:`TOP_SPEAKERS`
        Keep the speakers with the most quotations.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        At most this many (outlet, speaker) rows: those with the most quotations (ties: by
        name), drawn in outlet and speaker order; the rest are counted in the title.
    max_verbs : int, default :data:`MAX_VERBS`
        At most this many verbs: those with the most quotations in the rows drawn (ties: by
        name), in name order; the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(profile rows log rows) to select; drawing is bounded by `max_rows` x `max_verbs` cells.
    With 69 outlets, eight speakers each gave 552 rows and about 100 verbs: 30 s to draw
    (10,000 articles), an 8.7 MB SVG and labels printed over each other (issue 15).

    Examples
    --------
    >>> prof = pd.DataFrame({"outlet": ["X", "X", "Y"], "speaker": ["Ann", "Bo", "Ann"],
    ...                      "verb": ["say", "claim", "say"], "verb_class": ["neutral", "loaded", "neutral"],
    ...                      "n_quotes": [3, 1, 2]})
    >>> verb_matrix(prof, max_rows=2).get_title().split(") ", 1)[1]
    '(1 more outlet · speaker rows in tables/quote_verbs.csv)'
    """
    ax = ax or plt.subplots(figsize=(10, 6))[1]
    p = profile[profile["verb"] != ""]
    keep = p.groupby("speaker")["n_quotes"].sum().sort_values(ascending=False, kind="stable").index[:top]
    p = p[p["speaker"].isin(keep)]
    if p.empty:
        ax.set_title("Reporting verbs: none")
        return ax
    rows, n_more_rows = top_items(p.groupby([S.OUTLET, "speaker"])["n_quotes"].sum(), max_rows)
    p = p[pd.MultiIndex.from_frame(p[[S.OUTLET, "speaker"]]).isin(rows)]
    verbs, n_more_verbs = top_items(p.groupby("verb")["n_quotes"].sum(), max_verbs)
    p = p[p["verb"].isin(verbs)]
    wide = p.pivot_table(index=[S.OUTLET, "speaker"], columns="verb", values="n_quotes", aggfunc="sum",
                         fill_value=0)
    loaded = set(p.loc[p["verb_class"] == "loaded", "verb"])
    heatmap(ax, wide.to_numpy(), cmap="Greys", vmin=0)
    for (r, c), val in np.ndenumerate(wide.to_numpy()):
        if val:
            cell_text(ax, c, r, str(val), color="white" if val > 1 else "black", fontsize=8)
    ax.set_yticks(range(len(wide)), [f"{o} · {s}" for o, s in wide.index], fontsize=8)
    ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=60, ha="right", fontsize=8)
    for label in ax.get_xticklabels():
        label.set_color(_LOADED_COLOUR if label.get_text() in loaded else _NEUTRAL_COLOUR)
    ax.set_title("Reporting verbs by outlet and speaker (red: loaded, blue: neutral)"
                 + more_note(n_more_rows, "outlet · speaker rows", "quote_verbs")
                 + more_note(n_more_verbs, "verbs", "quote_verbs"))
    return ax


def reuse_heatmap(pairs: pd.DataFrame, articles: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw the reuse matrix: the share of the row article's words shared with the column article.

    Parameters
    ----------
    pairs : pandas.DataFrame
        From :func:`analysis.reuse.reuse_pairs`.
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``), for the axis labels and order.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        With more articles, only the `max_rows` sharing the most text with another article
        are drawn (a top-N heatmap); the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(pairs + max_rows^2): a 1,000-article corpus no longer draws a million cells
    (issue 15: a 187 MB SVG).
    """
    ax = ax or plt.subplots(figsize=(6, 5))[1]
    n_more = 0
    if len(articles) > max_rows:
        share = pd.concat([pairs.groupby("article_a")["shared_share_a"].max(),
                           pairs.groupby("article_b")["shared_share_b"].max()]).groupby(level=0).max()
        share = share.reindex(articles[S.ARTICLE_ID].astype(str)).fillna(0)
        kept, n_more = top_items(share, max_rows)
        articles = articles[articles[S.ARTICLE_ID].astype(str).isin(kept)]
    ids = articles[S.ARTICLE_ID].astype(str).tolist()
    pos = {a: i for i, a in enumerate(ids)}
    m = np.full((len(ids), len(ids)), np.nan)  # NaN: no shared passage (and the diagonal)
    for a, b, sa, sb in pairs[["article_a", "article_b", "shared_share_a", "shared_share_b"]].itertuples(index=False):
        if a in pos and b in pos:
            m[pos[a], pos[b]], m[pos[b], pos[a]] = sa, sb
    top = float(np.nanmax(m)) if np.isfinite(m).any() else 0.0
    im = heatmap(ax, np.nan_to_num(m), cmap="Reds", vmin=0, vmax=max(0.05, top))
    ax.set_aspect("equal")  # article x article: square cells
    for (r, c), val in np.ndenumerate(m):
        if not np.isnan(val):
            cell_text(ax, c, r, f"{val:.0%}", fontsize=8, color="white" if val > 0.6 * top else "black")
    labels = [f"{a[:12]} ({short(o, 24)})" for a, o in zip(ids, articles[S.OUTLET].astype(str))]
    ax.set_xticks(range(len(ids)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(ids)), labels, fontsize=8)
    ax.figure.colorbar(im, ax=ax, label="share of row article's words shared with column article")
    ax.set_title("Text reuse between articles" + (" (those sharing most)" if n_more else "")
                 + more_note(n_more, "articles", "reuse_pairs"))
    return ax


def originality_bars(orig: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw each article's originality (share of sentences with no counterpart elsewhere).

    Parameters
    ----------
    orig : pandas.DataFrame
        From :func:`analysis.reuse.originality`.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        With more articles, only the `max_rows` least original ones are drawn (ties: table
        order), in table order; the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(articles log articles) to select, drawing bounded by `max_rows` bars: at 1,000
    articles one bar and one label per article took 18.5 s to draw (issue 15).
    """
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    n_more = max(len(orig) - max_rows, 0)
    if n_more:
        keep = orig["originality"].reset_index(drop=True).sort_values(kind="stable", na_position="last")
        orig = orig.iloc[np.sort(keep.index[:max_rows].to_numpy())]
    o = orig.iloc[::-1]
    labels = [f"{a[:12]} ({out}, n={n})" for a, out, n in zip(o[S.ARTICLE_ID], o[S.OUTLET], o["n_sentences"])]
    ax.barh(labels, o["originality"].to_numpy(), color="#55a868")
    for y, (v, src) in enumerate(zip(o["originality"], o["likely_source"])):
        ax.text(v, y, f" {v:.0%}" + (f"  source: {src[:12]}" if src else ""), va="center", fontsize=8)
    ax.set_xlim(0, 1.4)
    ax.set_xlabel("share of sentences with no counterpart in another article")
    ax.set_title("Originality per article" + (" (the least original)" if n_more else "")
                 + more_note(n_more, "articles", "reuse_originality"))
    return ax


def fact_heatmap(matrix: pd.DataFrame, *, max_rows: int = MAX_ROWS, ax=None):
    """Draw the outlet x fact matrix: which outlet reports which figure.

    Parameters
    ----------
    matrix : pandas.DataFrame
        From :func:`analysis.facts.fact_matrix`.
    max_rows : int, default :data:`analysis.plots.MAX_ROWS`
        At most this many facts (reported by most outlets) and outlets (most mentions);
        the rest are counted in the title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    O(facts x outlets) to select; drawing bounded by ``max_rows^2`` cells.
    """
    ax = ax or plt.subplots(figsize=(7, 4))[1]
    outlets = [c for c in matrix.columns if c not in ("fact", "unit", "value", "n_outlets")]
    outlets, n_out = top_items(matrix[outlets].sum(), max_rows) if len(outlets) > max_rows else (outlets, 0)
    n_fact = max(len(matrix) - max_rows, 0)
    if n_fact:
        keep = matrix["n_outlets"].sort_values(ascending=False, kind="stable").index[:max_rows]
        matrix = matrix.loc[sorted(keep)]
    grid = matrix[outlets].to_numpy()
    heatmap(ax, grid > 0, cmap="Blues", vmin=0, vmax=1.5)
    for (r, c), val in np.ndenumerate(grid):
        if val:
            cell_text(ax, c, r, str(val), fontsize=8)
    ax.set_yticks(range(len(matrix)), [short(f) for f in matrix["fact"]], fontsize=8)
    ax.set_xticks(range(len(outlets)), [short(o) for o in outlets], rotation=30, ha="right", fontsize=8)
    more = " and ".join(f"{n:,} more {w}" for n, w in ((n_fact, "figures"), (n_out, "outlets")) if n > 0)
    ax.set_title("Which outlet reports which figure (mentions)" + (f" ({more} in tables/fact_matrix.csv)"
                                                                   if more else ""))
    return ax
