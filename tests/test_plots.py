"""Tests for analysis.plots.save_figure: one layout, both formats, same crop as matplotlib's."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from analysis import plots  # noqa: E402


def _figure(n_axes: int):
    fig, axes = plt.subplots(1, n_axes, figsize=(6, 3), layout="constrained", squeeze=False)
    for i, ax in enumerate(axes[0]):
        ax.barh(["a very long category label on the left", "short"], [3, 1 + i])
        ax.set_title(f"panel {i}: a title that is fairly long")
        ax.set_xlabel("count")
    return fig


@pytest.mark.parametrize("n_axes", [1, 2])
def test_png_has_matplotlib_tight_crop(tmp_path, n_axes):
    # independent: matplotlib's own savefig(bbox_inches="tight") of the same figure
    ref = io.BytesIO()
    _figure(n_axes).savefig(ref, format="png", dpi=plots.FIGURE_DPI, bbox_inches="tight")
    fig = _figure(n_axes)
    plots.save_figure(fig, "f", tmp_path)
    ours = Image.open(tmp_path / "figures" / "f.png").size
    theirs = Image.open(io.BytesIO(ref.getvalue())).size
    # same crop up to text-metric rounding: matplotlib lays out at the save dpi, we at the figure's
    assert abs(ours[0] - theirs[0]) <= 0.01 * theirs[0] and abs(ours[1] - theirs[1]) <= 0.01 * theirs[1], (
        ours, theirs)
    svg = (tmp_path / "figures" / "f.svg").read_text()
    assert "a very long category label on the left" in svg  # text kept as text (fonttype none)
    plt.close("all")


def test_layout_runs_once_and_files_are_identical_on_rerun(tmp_path):
    fig = _figure(2)
    hinting = matplotlib.rcParams["text.hinting"]
    plots.save_figure(fig, "f", tmp_path / "a")
    assert fig.get_layout_engine() is None  # frozen: the SVG used the PNG's positions
    assert matplotlib.rcParams["text.hinting"] == hinting  # SAVE_RC applies only while saving
    plots.save_figure(_figure(2), "f", tmp_path / "b")
    for suffix in ("png", "svg"):
        assert (tmp_path / "a" / "figures" / f"f.{suffix}").read_bytes() == (
            tmp_path / "b" / "figures" / f"f.{suffix}").read_bytes()
    plt.close("all")


def test_no_out_dir_saves_nothing_and_keeps_layout(tmp_path):
    fig = _figure(1)
    assert plots.save_figure(fig, "f", "") is None
    assert fig.get_layout_engine() is not None and not (tmp_path / "figures").exists()
    plt.close("all")


def _heatmap(label):
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.imshow([[0.1, 0.9], [0.5, 0.3]], cmap="Blues")
    ax.set_yticks([0, 1], ["first row label", "second"])
    label(ax, 0, 0, "12")
    label(ax, 1, 1, "+0.30\nn=4")
    return fig


def test_cell_text_is_drawn_but_leaves_layout_and_crop_unchanged(tmp_path):
    # the same heatmap with ordinary centred ax.text labels is the reference
    plots.save_figure(_heatmap(lambda ax, x, y, t: ax.text(x, y, t, ha="center", va="center")),
                      "f", tmp_path / "text")
    fig = _heatmap(plots.cell_text)
    assert [t.get_in_layout() for t in fig.axes[0].texts] == [False, False]
    plots.save_figure(fig, "f", tmp_path / "cell")
    ref, ours = (Image.open(tmp_path / d / "figures" / "f.png") for d in ("text", "cell"))
    assert ours.size == ref.size and ours.tobytes() == ref.tobytes()  # same pixels: labels drawn
    blank = _heatmap(lambda ax, x, y, t: None)
    plots.save_figure(blank, "f", tmp_path / "blank")
    assert Image.open(tmp_path / "blank" / "figures" / "f.png").tobytes() != ours.tobytes()
    plt.close("all")


def test_heatmap_has_imshow_geometry_and_colours_each_cell():
    # independent reference: the colormap itself, read back at each cell centre of the drawn PNG
    values = [[0.0, 1.0, 0.25], [float("nan"), 0.5, 0.75]]
    cmap = matplotlib.colormaps["viridis"].with_extremes(bad="red")
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    mesh = plots.heatmap(ax, values, cmap=cmap, vmin=0, vmax=1)
    assert ax.get_xlim() == (-0.5, 2.5) and ax.get_ylim() == (1.5, -0.5)  # as imshow: row 0 on top
    assert len(ax.images) == 0 and mesh.get_array().mask.tolist() == [[False] * 3, [True, False, False]]
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    height = pixels.shape[0]
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            x, y = ax.transData.transform((j, i))
            got = pixels[int(round(height - y)), int(round(x)), :3]
            want = np.round(np.array(cmap(np.nan if np.isnan(v) else v)[:3]) * 255)
            assert np.abs(got.astype(int) - want).max() <= 1, (i, j, got, want)
    plt.close("all")


def test_pair_scatter_labels_log_axes_with_plain_numbers():
    import pandas as pd

    from analysis import schema as S
    from analysis import terms as M
    from analysis.plots import terms as T

    k = pd.DataFrame({S.OUTLET: ["A"] * 3, M.COMPARISON: ["vs B"] * 3, M.TERM: ["x", "y", "z"],
                      M.PER_1K: [0.0, 5.0, 50.0], M.PER_1K_REST: [2.0, 0.5, 30.0], M.LOG_ODDS_Z: [-1.0, 2.0, 0.5]})
    ax = T.pair_scatter(k, outlet="A", other="B")
    ax.figure.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert {"0.1", "1", "10"} <= set(shown) and not any("$" in t for t in shown)  # no 10^n mathtext
    plt.close("all")
