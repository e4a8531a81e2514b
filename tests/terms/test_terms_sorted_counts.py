"""Tests for SortedCounts: the per-outlet counts table as parts, and the rows the notebook's counts cells use."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import terms as M
from analysis.plots import terms as P
from tests.test_terms import TRICKY

OPTIONS = {"ngram_range": (1, 2), "keep_numbers": False, "min_count": 2}


@pytest.fixture(scope="module")
def sentences(bundled_sentences):
    return pd.concat([TRICKY, bundled_sentences], ignore_index=True)


@pytest.fixture(scope="module")
def counted(sentences):
    return M.article_counts(sentences, ngram_range=(1, 2), keep_numbers=False, min_count=2)


@pytest.fixture(scope="module")
def whole(sentences, counted):
    return M.term_counts(sentences, counted=counted, **OPTIONS)


def test_table_is_the_sort_of_every_row(whole):
    # independent of SortedCounts: pandas' stable sort by outlet, count descending, term
    want = whole.sample(frac=1, random_state=0).sort_values(["outlet", "count", "term"],
                                                            ascending=[True, False, True], kind="stable")
    pd.testing.assert_frame_equal(whole, want.reset_index(drop=True))
    assert list(whole.columns) == list(M.COUNTS_COLUMNS) and len(whole) > 500


@pytest.mark.parametrize("rows", [1, 97, 1 << 18])
def test_parts_are_the_table_cut_in_blocks(sentences, counted, whole, rows):
    parts = list(M.sorted_counts(sentences, counted=counted, **OPTIONS).parts(rows=rows))
    assert all(len(p) == rows for p in parts[:-1]) and 0 < len(parts[-1]) <= rows
    got = pd.concat(parts)
    assert got.index.tolist() == list(range(len(whole)))
    pd.testing.assert_frame_equal(got.reset_index(drop=True), whole)


def test_parts_saved_are_the_bytes_of_the_saved_table(sentences, counted, whole, tmp_path, monkeypatch):
    from analysis import corpus as C
    from analysis.corpus import files

    monkeypatch.setattr(files, "PARQUET_ROW_GROUP", 300)
    monkeypatch.setattr(files, "LARGE_TABLE_ROWS", 500)  # saved as Parquet, as at 40,000 articles
    C.save_table(whole, "c", tmp_path / "a")
    C.save_table_parts(M.sorted_counts(sentences, counted=counted, **OPTIONS).parts(rows=777), "c", tmp_path / "b")
    a, b = (tmp_path / d / "tables" / "c.parquet" for d in "ab")
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize("keep", [1, 3, 8])
def test_rows_kept_give_the_counts_cells_what_the_whole_table_gives(sentences, counted, whole, keep):
    scored = M.sorted_counts(sentences, counted=counted, **OPTIONS)
    rows, sums = scored.rows(keep, tf_idf_top=keep), scored.count_sums()
    assert len(rows) < len(whole)
    pd.testing.assert_frame_equal(rows, whole.loc[rows.index])
    for n in range(keep + 1):
        pd.testing.assert_frame_equal(rows.groupby("outlet").head(n), whole.groupby("outlet").head(n))
    for n in range(1, keep + 1):
        for max_rows in (2, 6, 75):
            got, got_more = P._pick_groups(rows, "outlet", n, max_rows, sums)
            want, want_more = P._pick_groups(whole, "outlet", n, max_rows)
            order = (["outlet", "count", "term"], [True, False, True])
            pd.testing.assert_frame_equal(got.sort_values(order[0], ascending=order[1]).groupby("outlet").head(n),
                                          want.sort_values(order[0], ascending=order[1]).groupby("outlet").head(n))
            assert got_more == want_more
    for top in range(1, keep + 1):
        pd.testing.assert_frame_equal(M.tf_idf(rows, top=top), M.tf_idf(whole, top=top))
    want_sums = whole.groupby("outlet", sort=False)["count"].sum().reset_index()
    pd.testing.assert_frame_equal(sums, want_sums, check_dtype=False)
    assert sums["count"].dtype == np.int64


def test_rows_without_tf_idf_are_each_outlets_first_rows_by_hand():
    s = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
                      "sentence_text": ["Cuba needs oil.", "Oil, oil.", "Cuba talks."]})
    scored = M.sorted_counts(s)
    assert scored.rows(2).index.tolist() == [0, 1, 3, 4]
    assert scored.rows(0).empty and scored.count_sums().values.tolist() == [["X", 5], ["Y", 2]]
