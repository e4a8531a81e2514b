"""Tests for group_counts: the article rows summed into groups give the same tables, and are dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import terms as M
from analysis.errors import ParameterError
from tests.test_terms import TRICKY

OPTIONS = {"ngram_range": (1, 2), "keep_numbers": False}


@pytest.fixture(scope="module")
def sentences(bundled_sentences):
    return pd.concat([TRICKY, bundled_sentences], ignore_index=True)


@pytest.fixture(scope="module", params=[1, 2])
def counted(request, sentences):
    return M.article_counts(sentences, min_count=request.param, **OPTIONS)


def test_groups_are_the_sums_by_hand(sentences, counted):
    g = M.group_counts(counted)
    assert g.matrix is None and g.totals is None
    by, names, counts, docs, words, totals = g.groups
    labels = counted.articles["outlet"].to_numpy(dtype=object)
    assert by == "outlet" and names.tolist() == sorted(set(labels))
    dense = counted.matrix.toarray()
    for k, name in enumerate(names):  # every article of the group added up, and its articles with the term
        mine = labels == name
        assert (counts[k].toarray().ravel() == dense[mine].sum(axis=0)).all()
        assert (docs[k].toarray().ravel() == (dense[mine] > 0).sum(axis=0)).all()
        assert words[k] == counted.articles["words"].to_numpy()[mine].sum()
        if counted.totals is None:
            assert totals is None
        else:
            assert totals[k] == counted.totals[mine].sum()
    assert counts.dtype == np.int32 and docs.dtype == np.int32 and docs.indices is counts.indices


@pytest.mark.parametrize("min_count", [2, 3])
def test_counts_tables_are_the_same(sentences, counted, min_count):
    g = M.group_counts(counted)
    want = M.term_counts(sentences, counted=counted, min_count=min_count, **OPTIONS)
    pd.testing.assert_frame_equal(M.term_counts(sentences, counted=g, min_count=min_count, **OPTIONS), want)
    pd.testing.assert_frame_equal(M.sorted_counts(sentences, counted=g, min_count=min_count, **OPTIONS).table(),
                                  want)


@pytest.mark.parametrize(("min_count", "pairs", "min_expected"),
                         [(2, [], "auto"), (3, [("abc", "cnn")], 0.0), (2, [("cnn", "abc"), ("cnn", "abc")], 1.0)])
def test_keyness_tables_are_the_same(sentences, counted, min_count, pairs, min_expected):
    names = set(counted.articles["outlet"])
    pairs = [p for p in pairs if set(p) <= names] or [tuple(sorted(names)[:2])]
    kw = dict(pairs=pairs, min_count=min_count, min_docs=2, min_expected=min_expected, **OPTIONS)
    want = M.keyness(sentences, counted=counted, **kw)
    grouped = M.group_counts(counted)
    before = [a.copy() for m in grouped.groups[2:4] for a in (m.data, m.indices, m.indptr)]
    got = M.sorted_keyness(sentences, counted=grouped, **kw)
    pd.testing.assert_frame_equal(got.table(), want)
    M.sorted_counts(sentences, counted=grouped, min_count=min_count, **OPTIONS).table()
    after = [a for m in grouped.groups[2:4] for a in (m.data, m.indices, m.indptr)]
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))  # read, never changed in place


def test_other_groups(sentences):
    counted = M.article_counts(sentences, min_count=2, **OPTIONS)
    outlets = sorted(set(counted.articles["outlet"]))
    side = np.where(counted.articles["outlet"].isin(outlets[::2]), "first", "second")
    counted = counted._replace(articles=counted.articles.assign(side=side))
    sentences = sentences.assign(side=np.where(sentences["outlet"].isin(outlets[::2]), "first", "second"))
    want = M.keyness(sentences, by="side", counted=counted, min_count=2, **OPTIONS)
    got = M.keyness(sentences, by="side", counted=M.group_counts(counted, by="side"), min_count=2, **OPTIONS)
    pd.testing.assert_frame_equal(got, want)
    with pytest.raises(ParameterError, match="summed by 'side'"):
        M.keyness(sentences, counted=M.group_counts(counted, by="side"), min_count=2, **OPTIONS)


def test_refused(sentences, counted):
    g = M.group_counts(counted)
    with pytest.raises(ParameterError, match="level 'article'"):
        M.term_counts(sentences, level="article", counted=g, min_count=counted.min_count, **OPTIONS)
    with pytest.raises(ParameterError, match="pass what article_counts returns"):
        M.group_counts(g)
    with pytest.raises(ParameterError, match="no column"):
        M.group_counts(counted, by="topic")
