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

FIGURE_DPI = 150  # PNG resolution: sharp on screen, small on disk
SVG_HASH_SALT = "newsframes"  # fixed salt: SVG element ids are the same on every run


def save_figure(fig, name: str, out_dir: str | os.PathLike) -> list[Path]:
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
    list of pathlib.Path
        The written files (empty when `out_dir` is "").
    """
    if not out_dir:
        return []
    paths = []
    for fmt, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        buf = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
            fig.savefig(buf, format=fmt, dpi=FIGURE_DPI, bbox_inches="tight", metadata=meta)
        path = Path(out_dir) / "figures" / f"{name}.{fmt}"
        atomic_write_bytes(path, buf.getvalue())
        paths.append(path)
    return paths
