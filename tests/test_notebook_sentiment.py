"""Run notebooks/20_sentiment.ipynb on the bundled corpus and check the tables it writes."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import BUNDLED

SENTENCES = ["article_id", "outlet", "sentence_id", "sentence", "neg", "neu", "pos", "compound",
             "quoted"]
OUTLETS = ["outlet", "n_articles", "n_sentences", "mean_compound", "ci_low", "ci_high",
           "share_pos", "share_neg"]
ENTITIES = ["outlet", "entity", "n_mentions", "mean_compound", "ci_low", "ci_high"]


@pytest.fixture(scope="module")
def out(run_notebook, bundled_processed):
    return run_notebook("20_sentiment", corpus=str(BUNDLED), processed_dir=str(bundled_processed),
                        n_boot=200)


def _table(folder, name):
    return pd.read_csv(folder / "tables" / f"{name}.csv")


def test_tables_named_in_the_issue(out, bundled_sentences):
    sentences = _table(out, "sentiment_sentences")
    assert list(sentences.columns[:len(SENTENCES)]) == SENTENCES
    assert len(sentences) == len(bundled_sentences)
    outlets = _table(out, "sentiment_outlets")
    assert list(outlets.columns) == OUTLETS
    assert outlets.n_sentences.sum() == len(bundled_sentences) and len(outlets) == 5
    entities = _table(out, "sentiment_entities")
    assert list(entities.columns[:len(ENTITIES)]) == ENTITIES
    # the shipped aliases merge every Díaz-Canel variant into one row per outlet
    assert (entities.entity == "Miguel Díaz-Canel").sum() == 4
    assert _table(out, "sentiment_overrides").empty  # default: VADER unchanged
    for name in ("sentiment_voices", "sentiment_words", "sentiment_extremes",
                 "sentiment_differences", "sentiment_articles"):
        assert not _table(out, name).empty
    for fig in ("sentiment_outlets", "sentiment_entities", "sentiment_voices", "sentiment_words"):
        assert (out / "figures" / f"{fig}.png").exists()


def test_window_unit_and_overrides_are_recorded(run_notebook, bundled_processed, out):
    other = run_notebook("20_sentiment", corpus=str(BUNDLED), processed_dir=str(bundled_processed),
                         n_boot=200, unit="window", window=5, overrides_file="example",
                         entities_file="")
    used = _table(other, "sentiment_overrides")
    assert sorted(used.word) == ["critical", "no", "party", "security", "united"]
    assert used.valence.isna().all() and used.source.str.endswith("vader_overrides_news.yaml").all()
    before, after = _table(out, "sentiment_sentences"), _table(other, "sentiment_sentences")
    assert (before.compound != after.compound).sum() > 10  # "united", "no"... now score 0
    assert not _table(other, "sentiment_entities").empty  # proposed entities, windows


def test_bad_parameter_stops_the_notebook(run_notebook):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError, match="unit"):
        run_notebook("20_sentiment", corpus=str(BUNDLED), unit="paragraph")
