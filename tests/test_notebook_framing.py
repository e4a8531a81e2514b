"""Run notebooks/30_framing.ipynb on the bundled corpus and on a corpus without concept or alias files."""

from __future__ import annotations

import pandas as pd

from tests.conftest import BUNDLED

FRAMES_COLUMNS = ["outlet", "scheme", "frame", "hits", "per_1k", "share_sentences", "ci_low", "ci_high"]


def test_notebook_on_the_bundled_corpus(run_notebook, bundled_processed, bundled_sentences):
    out = run_notebook("30_framing", corpus=str(BUNDLED), processed_dir=str(bundled_processed), n_boot=100,
                       coding_sample=30)
    tables = out / "tables"
    frames = pd.read_csv(tables / "frames.csv")
    assert list(frames.columns[:8]) == FRAMES_COLUMNS
    assert len(frames) == 5 * 20  # 5 outlets x (5 + 15) frames
    labels = pd.read_csv(tables / "labels.csv")
    assert list(labels.columns[:4]) == ["concept", "outlet", "label", "count"] and labels["count"].sum() > 100
    actors = pd.read_csv(tables / "actors.csv")
    assert list(actors.columns[:5]) == ["outlet", "actor", "mentions", "share", "first_position"]
    # every number traces to sentences: the KWIC table has one line per counted hit
    kwic = pd.read_csv(tables / "frames_kwic.csv")
    assert len(kwic) == frames.hits.sum() and kwic.sentence_id.isin(bundled_sentences.sentence_id).all()
    assert len(pd.read_csv(tables / "labels_kwic.csv")) == labels["count"].sum()
    assert len(pd.read_csv(tables / "coding_sheet.csv", keep_default_na=False)) == 30
    cand = pd.read_csv(tables / "label_candidates.csv")
    assert {"intimidation", "threats"} <= set(cand.label_a) | set(cand.label_b)
    for name in ("frames_heatmap", "frames_pointrange", "labels_heatmap", "actors_prominence"):
        assert (out / "figures" / f"{name}.png").exists()


def test_notebook_without_concept_or_alias_files(run_notebook, tiny_corpus):
    out = run_notebook("30_framing", corpus=str(tiny_corpus), processed_dir="", n_boot=100, coding_sample=0)
    tables = out / "tables"
    frames = pd.read_csv(tables / "frames.csv")
    # every frame scored for every outlet, even the outlet with no cue at all
    assert set(frames.outlet) == {"Alpha", "Beta", "Gamma"} and len(frames) == 3 * 20
    assert frames.loc[frames.frame != "other", "share_sentences"].notna().all()
    labels = pd.read_csv(tables / "labels.csv")
    assert labels.empty and list(labels.columns[:4]) == ["concept", "outlet", "label", "count"]
    actors = pd.read_csv(tables / "actors.csv")
    # names proposed from the text, variants merged: "Díaz-Canel" / "Diaz-Canel" are one actor
    alpha = actors[actors.outlet == "Alpha"]
    assert (alpha.actor.str.contains("Canel")).sum() == 1
    assert alpha.loc[alpha.actor.str.contains("Canel"), "mentions"].iloc[0] == 3
