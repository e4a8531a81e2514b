"""Execute notebooks/10_terms.ipynb with papermill on the bundled corpus and on a CSV corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import terms as M

from .conftest import BUNDLED


def test_notebook_bundled(run_notebook, bundled_processed):
    out = run_notebook("10_terms", corpus=str(BUNDLED), processed_dir=str(bundled_processed))
    counts = pd.read_csv(out / "tables" / "terms_counts.csv")
    keyness = pd.read_csv(out / "tables" / "terms_keyness.csv")
    assert list(counts.columns) == list(M.COUNTS_COLUMNS)
    assert list(keyness.columns) == list(M.KEYNESS_COLUMNS)
    assert counts.outlet.nunique() == 5 and set(counts.ngram) == {1, 2}
    # the alias file joins "Díaz Canel" / "Díaz-Canel" / "Diaz-Canel": one row per outlet
    dc = counts[counts.term.str.lower().str.replace("í", "i") == "diaz-canel"]
    assert len(dc) == 4 and dc["count"].sum() == 16
    # default filters: every tested term occurs >= 5 times in >= 2 articles of the two groups
    assert (keyness["count"] + keyness["count_rest"] >= 5).all()
    assert keyness.q_value.between(0, 1).all() and (keyness.q_value >= keyness.p_value - 1e-12).all()
    assert set(keyness.comparison) == {"vs rest", "vs unidentified-004"}  # the two largest: 002 (834 words), 004 (496)
    kwic = pd.read_csv(out / "tables" / "terms_kwic.csv")
    assert {"Díaz-Canel", "oil"} <= set(kwic["query"]) and kwic.sentence_id.notna().all()
    for name in ("terms_top", "terms_distinctive", "terms_pair", "terms_dispersion"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 1000


def test_notebook_csv_corpus(run_notebook, tmp_path):
    rows = [("n1", "North", "The port strike closed the harbour. Dockers said the strike would go on."),
            ("n2", "North", "Dockers marched on Monday. The strike, the union said, is about pay."),
            ("s1", "South", "Ministers said the harbour reopened. Trade resumed at the harbour."),
            ("s2", "South", "Ministers praised traders as the harbour reopened for trade.")]
    path = tmp_path / "mini.csv"
    pd.DataFrame(rows, columns=["id", "outlet", "text"]).to_csv(path, index=False)
    out = run_notebook("10_terms", corpus=str(path), entities_file="", ngram_range=[1, 1], min_count=2,
                       inspect_terms=["strike", "harbour"], pair=["North", "South"], top_n=5)
    keyness = pd.read_csv(out / "tables" / "terms_keyness.csv").set_index(["outlet", "comparison", "term"])
    # hand: strike North 3, South 0; dockers 2 vs 0 -> North uses them more
    assert keyness.loc[("North", "vs rest", "strike"), ["count", "count_rest", "doc_freq"]].tolist() == [3, 0, 2]
    assert keyness.loc[("North", "vs South", "strike"), "log_odds_z"] > 0
    assert keyness.loc[("South", "vs rest", "harbour"), "log_ratio"] > 0
    counts = pd.read_csv(out / "tables" / "terms_counts.csv")
    assert counts[(counts.outlet == "South") & (counts.term == "harbour")]["count"].tolist() == [3]  # 2 in s1, 1 in s2
    kwic = pd.read_csv(out / "tables" / "terms_kwic.csv")
    assert (kwic.groupby("query").size() == pd.Series({"harbour": 4, "strike": 3})).all()


def test_notebook_rejects_bad_parameter(run_notebook):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="ngram_range"):
        run_notebook("10_terms", corpus=str(BUNDLED), ngram_range="1-2")
