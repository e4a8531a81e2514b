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


# --- SortedKeyness: the table as parts, its summary and the rows a page shows --------------------------------

PAIRS = {"one pair": lambda o: [tuple(o[:2])], "a pair twice": lambda o: [tuple(o[:2]), tuple(o[:2])],
         "no pair": lambda o: [], "two pairs": lambda o: [(o[2], o[0]), tuple(o[:2])]}


def sorted_keyness(bundled_sentences, case, **options):
    outlets = bundled_sentences["outlet"].drop_duplicates().tolist()
    return M.sorted_keyness(bundled_sentences, pairs=PAIRS[case](outlets), min_count=2, min_docs=1,
                            ngram_range=(1, 2), **options)


@pytest.mark.parametrize("case", list(PAIRS))
def test_sorted_table_equals_one_sort_of_every_row(bundled_sentences, case):
    # independent of SortedKeyness: every comparison's columns from keyness_arrays, pandas' stable sort
    got = sorted_keyness(bundled_sentences, case).table()
    assert got.index.equals(pd.RangeIndex(len(got))) and len(got) > 1000
    k = got.sample(frac=1, random_state=0)
    want = k.sort_values(["outlet", "comparison", "log_odds_z", "term"], ascending=[True, True, False, True],
                         kind="stable")
    if case != "a pair twice":  # (its two copies of each row tie: their order is the scored order, not the sample's)
        pd.testing.assert_frame_equal(got, want.reset_index(drop=True))


@pytest.mark.parametrize("case", list(PAIRS))
@pytest.mark.parametrize("rows", [97, 1 << 18])
def test_parts_are_the_table_cut_in_blocks(bundled_sentences, case, rows):
    whole = sorted_keyness(bundled_sentences, case).table()[list(M.KEYNESS_COLUMNS)]
    parts = list(sorted_keyness(bundled_sentences, case).parts(rows=rows))
    assert all(len(p) == rows for p in parts[:-1]) and 0 < len(parts[-1]) <= rows
    got = pd.concat(parts)
    assert got.index.tolist() == list(range(len(whole)))
    pd.testing.assert_frame_equal(got.reset_index(drop=True), whole)


def test_parts_saved_are_the_bytes_of_the_saved_table(bundled_sentences, tmp_path, monkeypatch):
    from analysis import corpus as C
    from analysis.corpus import files

    monkeypatch.setattr(files, "PARQUET_ROW_GROUP", 300)  # several row groups, cut inside the parts
    whole = sorted_keyness(bundled_sentences, "one pair").table()
    C.save_table(whole[list(M.KEYNESS_COLUMNS)], "k", tmp_path / "a", parquet=True)
    C.save_table_parts(sorted_keyness(bundled_sentences, "one pair").parts(rows=777), "k", tmp_path / "b",
                       parquet=True)
    a, b = (tmp_path / d / "tables" / "k.parquet" for d in "ab")
    assert a.read_bytes() == b.read_bytes() and len(whole) > 1000


@pytest.mark.parametrize("case", ["one pair", "a pair twice", "no pair"])
@pytest.mark.parametrize(("top", "max_rows"), [(1, 0), (3, 10), (50, 100), (50, 50_000), (0, 0)])
def test_summary_equals_keyness_summary_of_the_table(bundled_sentences, case, top, max_rows):
    whole = sorted_keyness(bundled_sentences, case).table()[list(M.KEYNESS_COLUMNS)]
    want = M.keyness_summary(whole, top=top, max_rows=max_rows)
    got = sorted_keyness(bundled_sentences, case).summary(top=top, max_rows=max_rows)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("case", ["one pair", "two pairs", "no pair"])
@pytest.mark.parametrize("keep", [1, 3, 8])
def test_rows_kept_give_the_page_what_the_whole_table_gives(bundled_sentences, case, keep):
    whole = sorted_keyness(bundled_sentences, case).table()
    scored = sorted_keyness(bundled_sentences, case)
    rows, sums = scored.rows(keep), scored.count_sums()
    assert len(rows) < len(whole) / 3
    pd.testing.assert_frame_equal(rows, whole.loc[rows.index])  # the table's rows, indexed by position
    for n in range(keep + 1):
        for over in (False, True):
            pd.testing.assert_frame_equal(M.top_rows(rows, n, over=over), M.top_rows(whole, n, over=over))
    for n in range(1, keep + 1):
        for max_rows in (2, 6, 75):
            got, got_more = P._distinctive_rows(rows, n, "vs rest", "outlet", max_rows, sums)
            want, want_more = P._distinctive_rows(whole, n, "vs rest", "outlet", max_rows)
            pd.testing.assert_frame_equal(got, want)
            assert got_more == want_more
    for comparison in whole["comparison"].unique():
        if comparison != "vs rest":  # the pairs' rows, whole
            pd.testing.assert_frame_equal(rows[rows.comparison == comparison], whole[whole.comparison == comparison])
    want_sums = whole.groupby(["outlet", "comparison"], sort=False)["count"].sum().reset_index()
    pd.testing.assert_frame_equal(sums, want_sums, check_dtype=False)
    assert (sums["count"].dtype == np.int64)


def hand_sentences() -> pd.DataFrame:
    return pd.DataFrame({"article_id": list("abcdef"), "outlet": ["X", "X", "Y", "Y", "Z", "Z"],
                      "sentence_text": ["oil oil oil talks sea", "oil talks sea", "talks talks oil sea",
                                        "talks sea sea", "sea oil talks", "sea talks oil"]})


def test_one_row_parts_by_hand():
    s = hand_sentences()
    whole = M.keyness(s, min_count=2, min_docs=1)
    parts = list(M.sorted_keyness(s, min_count=2, min_docs=1).parts(rows=1))
    assert [len(p) for p in parts] == [1] * len(whole) and len(whole) == 9
    pd.testing.assert_frame_equal(pd.concat(parts), whole[list(M.KEYNESS_COLUMNS)])


def test_rows_keep_tied_and_negative_ends_by_hand():
    s = hand_sentences()
    whole = M.keyness(s, min_count=2, min_docs=1)
    rows = M.sorted_keyness(s, min_count=2, min_docs=1).rows(1)
    for (o, c), block in whole.groupby(["outlet", "comparison"]):
        want = {block.index[0], *block.index[block.log_odds_z.to_numpy() < 0][-1:]}
        assert set(rows[(rows.outlet == o) & (rows.comparison == c)].index) == want
