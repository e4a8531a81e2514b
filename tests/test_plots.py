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


def test_short_cuts_with_an_ellipsis():
    assert plots.short("x" * 100_000) == "x" * 39 + "…" and len(plots.short("x" * 41)) == 40
    assert plots.short("Reuters") == "Reuters" and plots.short(12) == "12"


def test_save_figure_cuts_a_huge_label_and_stays_small(tmp_path):
    # issue 14: a 100,000-character outlet name made a 6 MB PNG; every label is cut to 40 characters
    import pandas as pd

    from analysis.plots import terms as term_plots

    name = "N" * 100_000
    counts = pd.DataFrame({"outlet": [name, name, "B"], "term": ["oil", "sea", "oil"], "ngram": 1,
                           "count": [3, 1, 2], "per_1k": [3.0, 1.0, 2.0], "doc_freq": 1})
    fig, ax = plt.subplots(figsize=(8, 4))
    term_plots.top_terms(counts, ax=ax)
    plots.save_figure(fig, "huge", tmp_path)
    png = (tmp_path / "figures" / "huge.png").stat().st_size
    svg = (tmp_path / "figures" / "huge.svg").read_text()
    assert png < 100_000 and "N" * 41 not in svg and "N" * 23 + "…" in svg
    with Image.open(tmp_path / "figures" / "huge.png") as im:
        assert im.size[0] < 1500
    plt.close(fig)


def _counts(n_outlets, per=3):
    import pandas as pd

    rows = [(f"outlet {i:03d}", f"term{j}", 1, 100 - i + j, 1.0, 1) for i in range(n_outlets) for j in range(per)]
    return pd.DataFrame(rows, columns=["outlet", "term", "ngram", "count", "per_1k", "doc_freq"])


def test_top_terms_caps_rows_counts_the_rest_and_bounds_height():
    from analysis.plots import terms as term_plots

    fig, ax = plt.subplots(figsize=(8, 0.2 * 8 * 112 + 1.2))  # what the notebook asked for 112 outlets
    term_plots.top_terms(_counts(112), n=3, ax=ax, max_rows=30)
    assert len(ax.get_yticks()) == 30  # 10 outlets x 3 terms
    assert ax.get_title().endswith("(102 more outlets in tables/terms_counts.csv)")
    shown = {t.get_text().split(" · ")[0] for t in ax.get_yticklabels()}
    assert shown == {f"outlet {i:03d}" for i in range(10)}  # the ten with most counted occurrences
    assert fig.get_figheight() <= plots.MAX_HEIGHT
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 3.6))  # few outlets: nothing left out, the given height kept
    term_plots.top_terms(_counts(4), n=3, ax=ax)
    assert "more outlets" not in ax.get_title() and fig.get_figheight() == 3.6
    plt.close(fig)


def test_dispersion_plot_draws_at_most_max_rows_articles():
    import pandas as pd

    from analysis.plots import terms as term_plots

    arts = pd.DataFrame({"article_id": [f"a{i:04d}" for i in range(1000)], "outlet": "X"})
    occ = pd.DataFrame({"query": "oil", "article_id": ["a0007"] * 3 + ["a0500"], "outlet": "X",
                        "relative_position": [0.1, 0.2, 0.3, 0.5]})
    fig, ax = plt.subplots(figsize=(8, 0.35 * 1000 + 1.5))
    term_plots.dispersion_plot(occ, arts, ax=ax)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 25 and "X · a0007" in labels and "X · a0500" in labels
    assert "975 more articles" in ax.get_title() and fig.get_figheight() <= plots.MAX_HEIGHT
    plt.close(fig)


def test_more_note_and_top_items():
    import pandas as pd

    assert plots.more_note(3, "terms", "terms_keyness") == " (3 more terms in tables/terms_keyness.csv)"
    assert plots.top_items(pd.Series({"b": 2, "a": 2, "c": 1}), 2) == (["a", "b"], 1)


def test_reuse_heatmap_draws_the_top_articles_only():
    import pandas as pd

    from analysis.plots import voices as voice_plots

    arts = pd.DataFrame({"article_id": [f"art{i:03d}" for i in range(40)], "outlet": "O" * 100})
    pairs = pd.DataFrame({"article_a": [f"art{i:03d}" for i in range(0, 30, 2)],
                          "article_b": [f"art{i:03d}" for i in range(1, 31, 2)],
                          "shared_share_a": np.linspace(0.1, 0.9, 15), "shared_share_b": 0.5})
    fig, ax = plt.subplots()
    voice_plots.reuse_heatmap(pairs, arts, ax=ax)
    assert len(ax.get_yticks()) == 25 and "15 more articles in tables/reuse_pairs.csv" in ax.get_title()
    assert all(len(t.get_text()) <= 40 for t in ax.get_yticklabels())
    plt.close(fig)


def test_entity_heatmap_and_outlet_means_cap_rows():
    import pandas as pd

    from analysis.plots import sentiment as sentiment_plots

    e = pd.DataFrame([(f"E{i:02d}", f"O{j:02d}", 0.1, 3 + i + j) for i in range(30) for j in range(28)],
                     columns=["entity", "outlet", "mean_compound", "n_units"])
    fig, ax = plt.subplots()
    sentiment_plots.entity_heatmap(e, ax=ax)
    assert len(ax.get_yticks()) == 25 and len(ax.get_xticks()) == 25
    assert "5 more entities and 3 more outlets in tables/sentiment_entities.csv" in ax.get_title()
    assert not any(t.get_text().startswith("+0.10") for t in ax.texts)  # 625 cells: no per-cell labels
    plt.close(fig)
    o = pd.DataFrame({"outlet": [f"O{i:03d}" for i in range(112)], "n_articles": 5, "n_sentences": range(112),
                      "mean_compound": 0.0, "ci_low": -0.1, "ci_high": 0.1})
    fig, ax = plt.subplots(figsize=(6, plots.height_for(112)))
    sentiment_plots.outlet_means(o, ax=ax)
    assert len(ax.get_yticks()) == 25 and "(87 more outlets in tables/sentiment_outlets.csv)" in ax.get_title()
    assert fig.get_figheight() <= plots.MAX_HEIGHT
    plt.close(fig)


def test_framing_figures_cap_outlet_columns():
    import pandas as pd

    from analysis.plots import framing as framing_plots

    prof = pd.DataFrame([("sv", fr, f"outlet {o:03d}", o + 1, 1.0, 0.1, 0.05, 0.2)
                         for fr in ("conflict", "economic") for o in range(40)],
                        columns=["scheme", "frame", "outlet", "hits", "per_1k", "share_sentences", "ci_low", "ci_high"])
    fig, ax = plt.subplots()
    framing_plots.frame_heatmap(prof, scheme="sv", ax=ax)
    assert len(ax.get_xticks()) == 25 and "(15 more outlets in tables/frames.csv)" in ax.get_title()
    assert {t.get_text() for t in ax.get_xticklabels()} == {f"outlet {o:03d}" for o in range(15, 40)}
    plt.close(fig)
    fig, ax = plt.subplots()
    framing_plots.frame_pointrange(prof, scheme="sv", ax=ax)
    assert len(ax.get_legend().get_texts()) == 10 and "30 more outlets" in ax.get_title()
    plt.close(fig)


def test_corpus_figures_cap_outlets_and_skip_dot_labels_when_many():
    import pandas as pd

    from analysis.plots import corpus as corpus_plots

    arts = pd.DataFrame({"outlet": [f"O{i % 30:02d}" for i in range(600)], "words": range(600),
                         "published": ["2013-05-24"] * 599 + [None]})
    fig, axes = plt.subplots(1, 3)
    corpus_plots.articles_per_outlet(arts, ax=axes[0])
    corpus_plots.article_lengths(arts, ax=axes[1])
    corpus_plots.timeline(arts, ax=axes[2])
    for ax in axes:
        assert len(ax.get_yticks()) == 25 and "(5 more outlets in tables/corpus.csv)" in ax.get_title()
    assert not axes[1].texts  # 600 articles: no per-dot word counts
    assert "(1 undated, not shown)" in axes[2].get_title()
    plt.close(fig)


def test_sentence_dots_are_a_fixed_sample_per_row_but_the_boxes_summarise_every_sentence():
    import numpy as np
    import pandas as pd

    from analysis.plots import sentiment as P

    rng = np.random.default_rng(3)
    s = pd.DataFrame({"outlet": ["big"] * 5000 + ["small"] * 40,  # the big row's scores all differ
                      "compound": np.r_[rng.permutation(np.linspace(-1, 1, 5000)), rng.uniform(-1, 1, 40)]})

    def drawn(max_dots):
        fig, ax = plt.subplots()
        P.sentence_distributions(s, max_dots=max_dots, ax=ax)
        out = [c.get_offsets().data[:, 0] for c in ax.collections], [line.get_xydata().tolist() for line in ax.lines]
        plt.close(fig)
        return out, ax.get_xlabel()

    (dots, boxes), label = drawn(1000)
    (all_dots, all_boxes), full_label = drawn(10_000)
    assert [len(d) for d in dots] == [40, 1000] and [len(d) for d in all_dots] == [40, 5000]
    assert boxes == all_boxes  # quartiles and whiskers of all 5,000, not of the sample
    assert set(dots[1]) <= set(s.compound[s.outlet == "big"])  # real scores, each drawn once
    assert len(set(dots[1])) == 1000 and (drawn(1000)[0][0][1] == dots[1]).all()  # the same sample every time
    assert "at most 1,000 per row" in label and "at most" not in full_label


def _verb_profile(n_outlets: int, n_verbs: int):
    """Outlet i quotes speaker "Ann" with verb j (j < n_verbs) i + j + 1 times, and "Bo" once with "say"."""
    import pandas as pd

    rows = [{"outlet": f"O{i:02d}", "speaker": "Ann", "verb": f"v{j:02d}",
             "verb_class": "loaded" if j % 2 else "neutral", "n_quotes": i + j + 1}
            for i in range(n_outlets) for j in range(n_verbs)]
    rows += [{"outlet": f"O{i:02d}", "speaker": "Bo", "verb": "say", "verb_class": "neutral", "n_quotes": 1}
             for i in range(n_outlets)]
    return pd.DataFrame(rows)


def test_verb_matrix_draws_at_most_max_rows_and_max_verbs_and_counts_the_rest():
    from analysis.plots import voices

    prof = _verb_profile(40, 45)  # 80 outlet x speaker rows; 45 verbs in Ann's rows, "say" in Bo's
    fig, ax = plt.subplots()
    voices.verb_matrix(prof, ax=ax)
    rows = [t.get_text() for t in ax.get_yticklabels()]
    verbs = [t.get_text() for t in ax.get_xticklabels()]
    # Ann's rows have the most quotations, the later outlets most of all: O15..O39, in order
    assert rows == [f"O{i:02d} · Ann" for i in range(15, 40)]
    # in those rows verb j has sum over i of (i + j + 1): the 30 largest are v15..v44 ("say" has 0)
    assert verbs == [f"v{j:02d}" for j in range(15, 45)]
    assert ax.get_title().endswith("(55 more outlet · speaker rows in tables/quote_verbs.csv)"
                                   " (15 more verbs in tables/quote_verbs.csv)")
    assert [t.get_color() for t in ax.get_xticklabels()][:2] == ["#c44e52", "#4c72b0"]  # v15 loaded, v16 not
    plt.close(fig)


def test_verb_matrix_within_its_bounds_draws_every_row_and_verb_as_before():
    from analysis.plots import voices

    prof = _verb_profile(6, 5)  # 12 rows, 6 verbs: nothing left out
    fig, ax = plt.subplots()
    voices.verb_matrix(prof, ax=ax)
    wide = prof.pivot_table(index=["outlet", "speaker"], columns="verb", values="n_quotes", aggfunc="sum", fill_value=0)
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{o} · {s}" for o, s in wide.index]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(wide.columns)
    assert ax.get_title() == "Reporting verbs by outlet and speaker (red: loaded, blue: neutral)"
    np.testing.assert_array_equal(np.asarray(ax.collections[0].get_array()).reshape(wide.shape), wide.to_numpy())
    plt.close(fig)
