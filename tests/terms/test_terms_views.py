"""Tests for the notebook's views of the keyness table: top_rows and the distinctive-terms figure's rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import terms as M
from analysis.plots import terms as P


@pytest.fixture(scope="module")
def keyness(bundled_sentences):
    outlets = bundled_sentences["outlet"].drop_duplicates().tolist()
    return M.keyness(bundled_sentences, pairs=[tuple(outlets[:2])], min_count=2, min_docs=1, ngram_range=(1, 2))


def tied_table() -> pd.DataFrame:
    """Groups with tied z at the cut, a missing group and z, a comparison of another name, shuffled."""
    rng = np.random.default_rng(3)
    n = 400
    t = pd.DataFrame({"outlet": rng.choice(["A", "B", "C", None], size=n, p=[0.4, 0.3, 0.25, 0.05]),
                      "comparison": rng.choice(["vs rest", "vs B"], size=n, p=[0.8, 0.2]),
                      "term": [f"t{i % 37}" for i in range(n)],
                      "count": rng.integers(1, 30, size=n),
                      "count_rest": rng.integers(1, 30, size=n),
                      "log_odds_z": rng.choice([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, np.nan], size=n)})
    return t.astype({"outlet": "str", "comparison": "str", "term": "str"})


def old_distinctive(keyness, n, comparison="vs rest", by="outlet", max_rows=75):
    """The figure's rows as distinctive_terms selected them before (copies of the comparison's rows)."""
    k = keyness[keyness["comparison"] == comparison]
    k, n_more = P._pick_groups(k, by, 2 * n, max_rows)
    ranked = k.sort_values([by, "log_odds_z", "term"], ascending=[True, False, True])
    over = ranked[ranked["log_odds_z"] > 0].groupby(by).head(n)
    under = ranked[ranked["log_odds_z"] < 0].groupby(by).tail(n)
    return pd.concat([over, under]).sort_values([by, "log_odds_z"], ascending=[False, True]), n_more


@pytest.mark.parametrize("n", [0, 1, 3, 8, 50])
@pytest.mark.parametrize("over", [False, True])
def test_top_rows_equal_boolean_selection_then_groupby_head(keyness, n, over):
    for table in (keyness, keyness.sample(frac=1, random_state=0), tied_table()):
        for comparison in ("vs rest", *table["comparison"].unique()[:2]):
            keep = table["comparison"] == comparison
            if over:
                keep &= table["log_odds_z"] > 0
            want = table[keep].groupby("outlet").head(n)
            pd.testing.assert_frame_equal(M.top_rows(table, n, comparison=comparison, over=over), want)


def test_top_rows_by_hand():
    k = pd.DataFrame({"outlet": ["X", "X", "Y", "X", "Y"], "comparison": ["vs rest"] * 5,
                      "log_odds_z": [3.0, -1.0, 2.0, 1.0, -4.0]})
    assert M.top_rows(k, 2).index.tolist() == [0, 1, 2, 4]
    assert M.top_rows(k, 2, over=True).index.tolist() == [0, 2, 3]


@pytest.mark.parametrize("n", [1, 2, 4, 8])
@pytest.mark.parametrize("max_rows", [2, 6, 75])
def test_distinctive_rows_equal_the_sort_of_every_row(keyness, n, max_rows):
    # ties of z at each group's cut, missing groups and z, few groups kept (max_rows), any row order
    for table in (keyness, keyness.sample(frac=1, random_state=1), tied_table()):
        got, got_more = P._distinctive_rows(table, n, "vs rest", "outlet", max_rows)
        want, want_more = old_distinctive(table, n, max_rows=max_rows)
        pd.testing.assert_frame_equal(got, want)
        assert got_more == want_more
