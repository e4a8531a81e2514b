"""Draw figures: one function per figure, each drawing on a given matplotlib ``ax``.

Figure functions take the tidy table first and ``ax`` as a keyword, draw and return the
``ax``. They live in one submodule per analysis (``plots.corpus``, ``plots.terms``,
``plots.sentiment``, ``plots.framing``, ``plots.voices``); :func:`save_figure` writes a
figure as PNG and SVG, byte-identical on re-runs.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

from analysis.corpus import atomic_write_bytes

FIGURE_DPI = 100  # PNG resolution: matplotlib's default figure.dpi, the size Jupyter shows inline;
# 120 took 15 % longer to draw for no gain at that size (the SVG is for zooming and print)
SAVE_RC = {  # in force while save_figure lays out and draws
    "svg.hashsalt": "newsframes",  # fixed salt: SVG element ids are the same on every run
    "svg.fonttype": "none",  # text stays text: half the size, faster, searchable
    "text.hinting": "no_hinting",  # smooth glyphs; text-heavy PNGs draw 20 % faster than autohinted
}
DISPLAY_SCALE = 100 / FIGURE_DPI  # shown at the size Jupyter's inline backend would use
MAX_LABEL = 40  # characters of a tick label or annotation (outlet, term, entity); longer ones end in "…"
MAX_TEXT = 120  # characters of any other text (titles, axis labels, legends)
MAX_ROWS = 25  # outlets / terms / articles drawn as rows of one figure; the rest are counted in its title
ROW_INCHES = 0.22  # height of one bar row
MAX_HEIGHT = 12.0  # inches: no figure taller than 1,200 px at FIGURE_DPI
ELLIPSIS = "…"


def short(text, width: int = MAX_LABEL) -> str:
    """Return `text` as a string of at most `width` characters, cut with an ellipsis.

    Parameters
    ----------
    text : object
        A label (converted with ``str``).
    width : int, default :data:`MAX_LABEL`
        Maximum length, the ellipsis included.

    Returns
    -------
    str
        `text` unchanged when short enough, else its first ``width - 1`` characters and "…".

    Notes
    -----
    O(width): a 100,000-character outlet name costs nothing to draw once cut.

    Examples
    --------
    >>> short("Washington Times"), short("x" * 50, 10)
    ('Washington Times', 'xxxxxxxxx…')
    """
    text = str(text)
    return text if len(text) <= width else text[:width - 1] + ELLIPSIS


def more_note(n_more: int, what: str, table: str) -> str:
    """Return the caption telling how many rows a figure left out and where they are.

    Parameters
    ----------
    n_more : int
        Rows not drawn.
    what : str
        Plural noun ("outlets", "terms", "articles").
    table : str
        Table name under ``tables/`` that holds them all.

    Returns
    -------
    str
        "" when nothing was left out, else e.g. " (12 more outlets in tables/terms_counts.csv)".

    Examples
    --------
    >>> more_note(12, "outlets", "terms_counts"), more_note(0, "outlets", "x")
    (' (12 more outlets in tables/terms_counts.csv)', '')
    """
    return f" ({n_more:,} more {what} in tables/{table}.csv)" if n_more > 0 else ""


def top_items(sizes, n: int = MAX_ROWS) -> tuple[list, int]:
    """Pick the `n` largest items of a size mapping (ties: by name); return them and how many are left.

    Parameters
    ----------
    sizes : pandas.Series
        Item -> size (articles, words, counts).
    n : int, default :data:`MAX_ROWS`
        Items kept.

    Returns
    -------
    (list, int)
        The kept items in name order, and the number left out.

    Notes
    -----
    O(items log items).

    Examples
    --------
    >>> import pandas as pd
    >>> top_items(pd.Series({"A": 1, "B": 5, "C": 5}), 2)
    (['B', 'C'], 1)
    """
    import pandas as pd

    s = pd.Series(sizes)
    order = sorted(s.index, key=lambda k: (-s[k], str(k)))
    kept = sorted(order[:n], key=str)
    return kept, len(order) - len(kept)


def fit_height(ax, rows: int, *, per_row: float = ROW_INCHES, extra: float = 1.2) -> None:
    """Bound the height of `ax`'s figure: at most :data:`MAX_HEIGHT`, and not far above its rows' need.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        A single-axes figure's axes.
    rows : int
        Rows drawn.
    per_row, extra : float
        Inches per row and for title and axis.

    Returns
    -------
    None

    Notes
    -----
    A height the caller chose is kept while it is at most :data:`MAX_HEIGHT` and at most
    1.5 times ``per_row * rows + extra``; otherwise it becomes that need, within 2.5 and
    :data:`MAX_HEIGHT` inches (a notebook sizing a figure for 112 outlets, of which the
    function drew 25, gets a figure for 25).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(8, 90))
    >>> fit_height(ax, 1000); float(fig.get_figheight())
    12.0
    >>> fit_height(ax, 10); float(fig.get_figheight())
    3.4
    >>> fit_height(ax, 11); float(fig.get_figheight())
    3.4
    >>> plt.close(fig)
    """
    need = per_row * rows + extra
    now = ax.figure.get_figheight()
    if now > MAX_HEIGHT or now > 1.5 * need:
        ax.figure.set_figheight(round(min(max(need, 2.5), MAX_HEIGHT), 2))


def height_for(rows: int, *, per_row: float = 0.3, extra: float = 1.2, low: float = 3.6) -> float:
    """Return a figure height in inches for `rows` rows: ``per_row * min(rows, MAX_ROWS) + extra``.

    Parameters
    ----------
    rows : int
        Rows the data has (outlets, entities); a figure function draws at most
        :data:`MAX_ROWS` of them.
    per_row, extra : float
        Inches per row and for title and axis.
    low : float, default 3.6
        Smallest height.

    Returns
    -------
    float
        Between `low` and :data:`MAX_HEIGHT`.

    Examples
    --------
    >>> height_for(5), height_for(112)
    (3.6, 8.7)
    """
    return round(min(max(per_row * min(rows, MAX_ROWS) + extra, low), MAX_HEIGHT), 2)


def _shorten_texts(fig) -> None:
    """Cut every tick label to :data:`MAX_LABEL` characters and other texts to :data:`MAX_TEXT`.

    The safety net of :func:`save_figure`: a figure function that forgot to cut a label
    (a 100,000-character outlet name) still draws in milliseconds. O(texts).
    """
    import matplotlib.text as mtext
    import matplotlib.ticker as mticker

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, mticker.FixedFormatter) and any(len(str(t)) > MAX_LABEL for t in fmt.seq):
                fmt.seq = [short(t) for t in fmt.seq]
    for t in fig.findobj(mtext.Text):
        text = t.get_text()
        if len(text) > MAX_TEXT:
            t.set_text(short(text, MAX_TEXT))


def heatmap(ax, values, **style):
    """Draw a matrix as coloured cells, cell (i, j) centred on x = j, y = i, row 0 on top.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    values : array-like of shape (rows, columns)
        The values; masked or NaN cells take the colormap's "bad" colour.
    **style
        Passed to :meth:`matplotlib.axes.Axes.pcolormesh` (``cmap``, ``vmin``, ``vmax``...).

    Returns
    -------
    matplotlib.collections.QuadMesh
        For a colorbar.

    Notes
    -----
    The geometry of ``ax.imshow(values, aspect="auto")``, so tick positions and
    :func:`cell_text` coordinates are the same; but the cells are vector shapes: the SVG
    stays sharp at any zoom, and no image is resampled and PNG-encoded into it (for the
    report's six heatmaps that was 0.3 s of drawing).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> mesh = heatmap(ax, [[1, 2, 3], [4, 5, 6]], cmap="Blues")
    >>> [float(v) for v in (*ax.get_xlim(), *ax.get_ylim())]
    [-0.5, 2.5, 1.5, -0.5]
    >>> plt.close(fig)
    """
    import numpy as np

    values = np.ma.masked_invalid(np.asarray(values, dtype=float))
    n_rows, n_cols = values.shape
    mesh = ax.pcolormesh(np.arange(n_cols + 1) - 0.5, np.arange(n_rows + 1) - 0.5, values, **style)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)  # row 0 at the top, as imshow draws it
    return mesh


def cell_text(ax, x: float, y: float, text: str, **style):
    """Write `text` centred on the cell at (`x`, `y`) of a heatmap, outside the layout.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The heatmap's axes.
    x, y : float
        Data coordinates of the cell centre: column, row of :func:`heatmap`.
    text : str
        The label.
    **style
        Passed to :meth:`matplotlib.axes.Axes.text` (``fontsize``, ``color``...).

    Returns
    -------
    matplotlib.text.Text

    Notes
    -----
    A cell label lies inside its axes, so it cannot change the layout or the tight crop;
    ``in_layout=False`` tells matplotlib so, and the layout pass skips measuring it (a
    heatmap has one label per cell: most of a figure's text). It is still drawn.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> cell_text(ax, 0, 0, "3").get_in_layout()
    False
    >>> plt.close(fig)
    """
    return ax.text(x, y, text, ha="center", va="center", in_layout=False, **style)


def _show_png(fig, png: bytes) -> None:
    """Show the saved PNG in a running IPython kernel and close `fig` (no second render)."""
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return
    if get_ipython() is None:
        return
    width = int.from_bytes(png[16:20], "big")  # PNG IHDR: width in pixels
    display(Image(data=png, format="png", width=int(width * DISPLAY_SCALE)))
    import matplotlib.pyplot as plt

    plt.close(fig)


def _freeze_layout(fig):
    """Run `fig`'s layout engine once, fix the result and return the tight bounding box.

    This is what ``savefig(bbox_inches="tight")`` does on every call (a layout pass, a
    hidden draw and a bounding-box pass before the real draw); done once here, each format
    then costs one draw.
    """
    renderer = fig.canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    bbox = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # the positions just computed stay as they are
    return bbox


def save_figure(fig, name: str, out_dir: str | os.PathLike) -> None:
    """Save `fig` as ``out_dir/figures/<name>.png`` and ``.svg``, atomically.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    name : str
        File name without suffix (e.g. "corpus_timeline").
    out_dir : str or os.PathLike
        The report folder; "" saves nothing.

    Returns
    -------
    None
        Nothing: as the last line of a notebook cell it adds no output (the files are
        ``figures/<name>.png`` and ``.svg`` under `out_dir`).

    Notes
    -----
    The layout (constrained or tight) is computed once and then fixed, and both files are
    cropped to the same tight bounding box (padded by ``savefig.pad_inches``), so each
    format costs one draw instead of the three of ``savefig(bbox_inches="tight")``. In a
    notebook with `out_dir` set, the saved PNG is displayed and the figure closed, so
    Jupyter's inline backend does not draw it a third time. With `out_dir` "" nothing
    changes: the figure shows as usual. While saving, :data:`SAVE_RC` is in force: fixed SVG
    ids, text kept as text in the SVG, and unhinted glyphs (smooth, and a fifth faster to
    draw than matplotlib's default autohinting in text-heavy figures). Before the layout,
    tick labels longer than :data:`MAX_LABEL` and other texts longer than :data:`MAX_TEXT`
    are cut with an ellipsis (a safety net for labels a figure function did not cut).
    Cost O(texts + drawn elements); figure functions keep both bounded (:data:`MAX_ROWS`).
    """
    if not out_dir:
        return
    images = {}
    _shorten_texts(fig)
    with matplotlib.rc_context(SAVE_RC):  # the layout measures text as the PNG draws it
        bbox = _freeze_layout(fig)
        for fmt, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=FIGURE_DPI, bbox_inches=bbox, metadata=meta)
            images[fmt] = buf.getvalue()
    for fmt, data in images.items():
        atomic_write_bytes(Path(out_dir) / "figures" / f"{name}.{fmt}", data)
    _show_png(fig, images["png"])
