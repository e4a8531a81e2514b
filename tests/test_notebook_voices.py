"""Run notebooks/40_voices_reuse.ipynb on the bundled corpus and check the tables it writes."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import params
from analysis import quotes as Q
from analysis.errors import ParameterError
from tests.conftest import BUNDLED

REQUIRED = {  # table -> columns the issue names, in order
    "quotes": ["article_id", "outlet", "speaker", "verb", "verb_class", "quote", "n_words", "start_char", "end_char"],
    "reuse_pairs": ["article_a", "article_b", "shared_share_a", "shared_share_b", "n_passages", "n_aligned"],
    "voices": None, "reuse_passages": None, "facts": None,
}


@pytest.fixture(scope="module")
def out(run_notebook, bundled_processed):
    return run_notebook("40_voices_reuse", corpus=str(BUNDLED), processed_dir=str(bundled_processed))


def test_tables_exist_with_issue_columns(out):
    for name, cols in REQUIRED.items():
        table = pd.read_csv(out / "tables" / f"{name}.csv")
        assert len(table), name
        if cols:
            assert list(table.columns[:len(cols)]) == cols


def test_notebook_findings(out):
    pairs = pd.read_csv(out / "tables" / "reuse_pairs.csv")
    assert (pairs.loc[0, "article_a"][:3], pairs.loc[0, "article_b"][:3]) == ("000", "001")
    quotes = pd.read_csv(out / "tables" / "quotes.csv", keep_default_na=False)
    assert {"Miguel Díaz-Canel", "Donald Trump", "Marco Rubio", "Claudia Sheinbaum", "Bruno Rodríguez",
            "Mike Hammer", "Cuban Ministry of Foreign Affairs", "Bureau of Western Hemisphere Affairs"} <= set(
        quotes["speaker"])
    matrix = pd.read_csv(out / "tables" / "fact_matrix.csv")
    assert {"35,000 barrels/day", "30–50 million barrels", "$2.8 billion", "100 casualties"} <= set(matrix["fact"])
    assert {"voices_share", "voices_verbs", "reuse_matrix", "reuse_originality", "facts_matrix"} <= {
        p.stem for p in (out / "figures").glob("*.png")}


@pytest.mark.parametrize("name, value", [("ngram", 1), ("similarity", 1.5), ("max_df", 1), ("fact_units", [3]),
                                         ("entities_file", 3), ("window_days", -1), ("window_days", 2.5)])
def test_bad_parameters_raise(name, value):
    good = dict(corpus=str(BUNDLED), processed_dir="", out_dir="", outlets=[], date_from="", date_to="",
                entities_file="auto", ngram=5, similarity=0.5, min_shared=2, max_df=50, link_threshold=0.6,
                window_days=30, top_speakers=8, fact_units=[])
    params.validate(Q.PARAMETERS, **good)
    with pytest.raises(ParameterError, match=name):
        params.validate(Q.PARAMETERS, **{**good, name: value})
