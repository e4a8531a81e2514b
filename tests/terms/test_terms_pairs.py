"""Tests for analysis.terms.pairs: integer collocation counts folded chunk by chunk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import terms as M
from analysis import tokens as T
from analysis.errors import ParameterError
from analysis.partition import per_article
from analysis.terms.pairs import MEASURES, PairTotals, _merge, collocation_codes
from tests.test_terms import TRICKY

OPTIONS = [
    {}, {"keep_numbers": False}, {"stem": True}, {"stopwords": None},
    {"phrases": {"Donald Trump": ["Trump", "Donald Trump"]}},
    {"phrases": {"Donald Trump": ["Trump"]}, "stem": True, "fold_accents": False},
]


def string_path(sentences, options, top, chunk, min_freq=2):
    """The notebook's former cell: string pair counts per chunk added up, scored by each measure."""
    counts = per_article(M.collocation_counts, sentences, chunk_articles=chunk, tokenize=options)
    return pd.concat([M.collocations(counts, measure=m, top=top, min_freq=min_freq) for m in ("likelihood", "pmi")],
                     ignore_index=True)


@pytest.mark.parametrize(("options", "chunk", "top", "min_freq"), [
    *[(options, 1000, 10_000, 1) for options in OPTIONS],  # one chunk: every pair, every option
    *[(OPTIONS[k], 1, top, min_freq) for k in (0, 2, 4) for top, min_freq in ((8, 2), (10_000, 1))],  # folded
])
def test_collocation_table_equals_the_string_path(bundled_sentences, options, chunk, top, min_freq):
    # TRICKY: own underscores beside joined phrases (the table-encoded fallback), numbers, an empty
    # sentence, a sentence of stopwords only; the bundled corpus: five outlets, one article each
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    want = string_path(sentences, options, top, chunk, min_freq)
    got = M.collocation_table(sentences, tokenize=options, top=top, min_freq=min_freq, chunk_articles=chunk)
    pd.testing.assert_frame_equal(got, want)
    assert got.to_csv(index=False) == want.to_csv(index=False)
    assert len(got) > 20


def test_codes_are_the_string_counts(bundled_sentences):
    # the rows of collocation_counts, with ids in place of strings (independent: the string table)
    for options in OPTIONS:
        for sentences in (TRICKY, bundled_sentences):
            c = collocation_codes(sentences, tokenize=options)
            table = M.collocation_counts(sentences, tokenize=options)
            po, p1, p2, pn = c.pairs
            got = {("pair", c.outlets[o], c.terms[a], c.terms[b], n) for o, a, b, n in zip(po, p1, p2, pn)}
            wo, wt, wn = c.words
            got |= {("word", c.outlets[o], c.terms[t], "", n) for o, t, n in zip(wo, wt, wn)}
            ft, fs, fn = c.forms
            got |= {("form", "", c.terms[t], c.surfaces[s], n) for t, s, n in zip(ft, fs, fn)}
            assert got == set(map(tuple, table.values.tolist()))
            assert len(got) == len(table)


def test_totals_by_hand():
    # X: "oil supplies fell" + "oil supplies rose"; Y: "oil fell"
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "c/0"], "article_id": ["a", "b", "c"],
                      "outlet": ["X", "X", "Y"], "start": 0,
                      "sentence_text": ["Oil supplies fell", "OIL supplies rose", "Oil fell"]})
    totals = PairTotals()
    for k in range(3):
        totals.add(collocation_codes(s.iloc[k:k + 1]))
    out = totals.collocations(measure="pmi", min_freq=1, top=10)
    x = out[out.outlet == "X"].set_index("term")
    # X: N = 6 words, oil 2, supplies 2, "oil supplies" 2 -> pmi = log2(2 * 6 / (2 * 2)) = log2(3)
    assert x.loc["Oil supplies", ["count", "count_first", "count_second"]].tolist() == [2, 2, 2]
    assert x.loc["Oil supplies", "score"] == pytest.approx(np.log2(3), abs=1e-6)
    # "Oil" is shown: 2 of its 3 surfaces; Y's only pair
    assert out[out.outlet == "Y"].term.tolist() == ["Oil fell"]
    with pytest.raises(ParameterError):
        totals.collocations(measure="dice")
    with pytest.raises(ParameterError):
        M.collocation_table(s, measures=["dice"])


def test_merge_adds_counts_and_keeps_keys_sorted():
    rng = np.random.default_rng(0)
    keys, counts = np.zeros(0, np.int64), np.zeros(0, np.int64)
    want: dict = {}
    for _ in range(20):
        new = np.unique(rng.integers(0, 300, size=50))
        n = rng.integers(1, 5, size=len(new))
        keys, counts = _merge(keys, counts, new, n)
        for k, v in zip(new.tolist(), n.tolist()):
            want[k] = want.get(k, 0) + v
    assert keys.tolist() == sorted(want) and counts.tolist() == [want[k] for k in sorted(want)]


def test_empty_and_no_pairs():
    s = TRICKY.iloc[4:5]  # "the the of": no kept word
    assert len(M.collocation_table(s)) == 0
    assert len(M.collocation_table(TRICKY.iloc[:0])) == 0
    tok = T.tokenize(TRICKY.iloc[:1])
    assert M.collocation_table(TRICKY.iloc[:1], min_freq=1).iloc[:0].columns.tolist() == \
        M.collocations(tok).columns.tolist()


def test_on_a_two_worker_dask_cluster_the_same_table(bundled_sentences):
    pytest.importorskip("distributed")
    from analysis.cluster import dask_client

    options = {"phrases": {"Donald Trump": ["Trump"]}}
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    with dask_client(workers=2) as client:
        there = M.collocation_table(sentences, tokenize=options, min_freq=1, top=50, client=client, chunk_articles=2)
    pd.testing.assert_frame_equal(there, string_path(sentences, options, 50, 1000, min_freq=1))


@pytest.mark.parametrize("top", [1, 3])
def test_collocation_table_scored_in_blocks_and_cut_per_outlet_equals_the_string_path(bundled_sentences, monkeypatch,
                                                                                      top):
    # blocks of 5 pairs and a `top` far below each outlet's pairs: only the candidates are sorted
    from analysis.terms import pairs

    monkeypatch.setattr(pairs, "_SCORE_ROWS", 5)
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    want = string_path(sentences, OPTIONS[0], top, 1, 1)
    got = M.collocation_table(sentences, tokenize=OPTIONS[0], top=top, min_freq=1, chunk_articles=1)
    pd.testing.assert_frame_equal(got, want)


def test_top_of_runs_keeps_every_row_that_a_tie_break_can_put_first():
    from analysis.terms.pairs import _top_of_runs

    rng = np.random.default_rng(11)
    run = np.sort(rng.integers(0, 6, size=300))
    score = rng.integers(0, 8, size=300).astype(float)  # many ties
    score[run == 2] = np.inf
    for top in (1, 2, 5, 40):
        got = set(_top_of_runs(score, run, top).tolist())
        for seed in range(20):  # any tie-break: its first `top` rows of each run are kept
            tie = np.random.default_rng(seed).permutation(len(score))
            order = np.lexsort((tie, -score, run))
            within = np.arange(len(order)) - np.searchsorted(run[order], run[order])
            assert set(order[within < top].tolist()) <= got
        for r in np.unique(run):  # and nothing below a run's top-th score
            mine = np.sort(score[run == r])[::-1]
            floor = mine[min(top, len(mine)) - 1]
            assert all(score[i] >= floor for i in got if run[i] == r)
    score[0] = np.nan  # NaN: every row (the full sort decides)
    assert _top_of_runs(score, run, 3).tolist() == list(range(300))
    assert _top_of_runs(score[:0], run[:0], 3).tolist() == []


@pytest.mark.parametrize("shift", [63, 2 * 21, 21 + 16, 21 + 2])
def test_pairs_in_buckets_per_outlet_give_the_same_table_and_totals(bundled_sentences, monkeypatch, shift):
    # one bucket (the former single sorted array), one per outlet, the default, and ranges of 4 first word ids
    from analysis.terms import pairs

    monkeypatch.setattr(pairs, "_BUCKET_SHIFT", shift)
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    totals = PairTotals()
    for _, chunk in sentences.groupby("article_id", sort=False):
        totals.add(collocation_codes(chunk))
    n_outlets = len(totals._outlets)
    assert len(totals._pairs) == (1 if shift > 2 * 21 else n_outlets) if shift > 30 else len(totals._pairs) > n_outlets
    for k, (keys, counts) in totals._pairs.items():  # each bucket sorted, distinct, its own keys
        assert (np.diff(keys) > 0).all() and (pairs._bucket(keys) == k).all() and (counts > 0).all()
    keys, counts = totals._pair_counts(1)
    assert (np.diff(keys) > 0).all()  # sorted
    codes = collocation_codes(sentences)  # every pair of one chunk, summed
    t, o = totals._terms.map(codes.terms), totals._outlets.map(codes.outlets)
    want = ((o[codes.pairs[0]] << pairs._BITS) + t[codes.pairs[1]] << pairs._BITS) + t[codes.pairs[2]]
    assert sorted(zip(keys.tolist(), counts.tolist())) == sorted(zip(want.tolist(), codes.pairs[3].tolist()))
    got = M.collocation_table(sentences, tokenize=OPTIONS[0], top=3, min_freq=1, chunk_articles=1)
    pd.testing.assert_frame_equal(got, string_path(sentences, OPTIONS[0], 3, 1, 1))


def test_drop_below_keeps_the_tables_of_its_min_freq_and_above(bundled_sentences):
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    totals = PairTotals()
    for _, chunk in sentences.groupby("article_id", sort=False):
        totals.add(collocation_codes(chunk))
    want = {(m, f): totals.collocations(measure=m, min_freq=f, top=5) for m in MEASURES for f in (2, 3)}
    keys, counts = totals._pair_counts(2)
    assert counts.dtype == np.int32 and len(keys) < sum(len(k) for k, _ in totals._pairs.values())
    assert totals.drop_below(2) is totals and not totals._pairs
    got_keys, got_counts = totals._pair_counts(2)
    assert got_keys.tolist() == keys.tolist() and got_counts.tolist() == counts.tolist()
    for (m, f), table in want.items():
        pd.testing.assert_frame_equal(totals.collocations(measure=m, min_freq=f, top=5), table)
    with pytest.raises(ParameterError, match="dropped"):
        totals.collocations(min_freq=1)
    with pytest.raises(ParameterError, match="drop_below"):
        totals.add(collocation_codes(sentences.iloc[:3]))


def test_pair_counts_widen_before_they_could_overflow(monkeypatch):
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": "X",
                      "start": [0, 0], "sentence_text": ["Oil supplies fell", "Oil supplies rose"]})
    totals = PairTotals()
    totals.add(collocation_codes(s.iloc[:1]))
    totals._added = 2**31 - 1  # as if 2**31 - 1 pair occurrences had been added
    totals.add(collocation_codes(s.iloc[1:]))
    assert all(c.dtype == np.int64 for _, c in totals._pairs.values())
    assert totals.collocations(measure="pmi", min_freq=1)["count"].tolist() == [2, 1, 1]
