"""The memory-lean helpers of reuse.passages against numpy/pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.reuse import passages as P
from analysis.reuse.columns import _unique_inverse


@pytest.mark.parametrize("n", [0, 1, 7, 5_000])
def test_unique_inverse_equals_numpy_unique(n):
    rng = np.random.default_rng(n)
    values = rng.integers(0, n // 3 + 2, n).astype(np.uint64) * np.uint64(2**40)  # 64-bit hashes, repeats
    got = _unique_inverse(values)
    want = np.unique(values, return_inverse=True, return_counts=True)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)
    assert got[1].dtype == np.int64 and got[0].dtype == np.uint64


def test_index_follows_the_articles_order_with_shingles_in_any_order():
    arts = pd.DataFrame({"article_id": ["b", "a", "c"], "text": ["one two three four", "five six seven", "x y"]})
    table = P.shingle_table(arts, n=2)
    shuffled = table.iloc[[7, 0, 4, 1, 8, 2, 5, 3, 6]].reset_index(drop=True)
    bounds, starts, _, hashes = P._index(arts, shuffled, 2)
    np.testing.assert_array_equal(bounds, [0, 4, 7, 9])  # b: 4 words, a: 3, c: 2
    np.testing.assert_array_equal(starts[:4], [0, 4, 8, 14])  # b's word offsets, in text order
    assert [len(h) for h in hashes] == [3, 2, 1]
    with pytest.raises(P.SchemaError, match="'zz'"):
        P._index(arts, shuffled.assign(article_id=["zz"] + shuffled["article_id"].tolist()[1:]), 2)


@pytest.mark.parametrize("seed", [0, 1])
def test_candidate_pairs_in_small_batches_equal_counting_every_pair(monkeypatch, seed):
    from itertools import combinations

    rng = np.random.default_rng(seed)
    hashes = [rng.integers(1, 120, rng.integers(0, 30)).astype(np.uint64) for _ in range(25)]
    for max_df, min_shared in ((50, 1), (6, 2)):
        owners: dict[int, set[int]] = {}
        for a, h in enumerate(hashes):
            for x in set(h.tolist()):
                owners.setdefault(x, set()).add(a)
        want: dict[tuple[int, int], int] = {}
        for arts in owners.values():
            if 2 <= len(arts) <= max_df:
                for a, b in combinations(sorted(arts), 2):
                    want[(a, b)] = want.get((a, b), 0) + 1
        want_rows = sorted([a, b, n] for (a, b), n in want.items() if n >= min_shared)
        whole = P.candidate_pairs(hashes, max_df=max_df, min_shared=min_shared)
        monkeypatch.setattr(P, "_PAIR_KEYS", 5)  # a few keys per batch: many folds
        batched = P.candidate_pairs(hashes, max_df=max_df, min_shared=min_shared)
        monkeypatch.undo()
        assert batched.tolist() == whole.tolist() == want_rows
        assert batched.dtype == np.int64 and len(want_rows) > 5


@pytest.mark.parametrize("seed", range(4))
def test_word_hashes_equal_pandas_hash_array_of_the_words(seed):
    rng = np.random.default_rng(seed)
    letters = list("abcxyz09’'-.") + ["é", "ß", "İ", "\u0301", "日"]
    for n in (0, 1, 7, 3000):
        words = ["".join(rng.choice(letters, int(rng.integers(1, 6))).tolist()) for _ in range(n)]
        expected = pd.util.hash_array(np.array(words, dtype=object)) if n else np.zeros(0, np.uint64)
        got = P._word_hashes(words)
        assert got.dtype == np.uint64 and np.array_equal(got, expected)


def _runs_by_hand(hashes, pairs):
    """Each shingle of a matched to its first occurrence in b; runs of consecutive (i, j), pair by pair."""
    out = []
    for p, (a, b, _) in enumerate(pairs.tolist()):
        first_b = {}
        for j, h in enumerate(hashes[b].tolist()):
            first_b.setdefault(h, j)
        run = None
        for i, h in enumerate(hashes[a].tolist()):
            j = first_b.get(h)
            if j is None:
                continue
            if run is not None and i == run[1] + run[3] and j == run[2] + run[3]:
                run[3] += 1
            else:
                if run is not None:
                    out.append(tuple(run))
                run = [p, i, j, 1]
        if run is not None:
            out.append(tuple(run))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_runs_equal_matching_each_pair_by_hand(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    # few distinct values: repeats inside an article, shingles held by one article only, empty articles
    hashes = [rng.integers(0, 12, int(rng.integers(0, 30))).astype(np.uint64) for _ in range(n)]
    pairs = np.array([(a, b, 0) for a in range(n) for b in range(a + 1, n)], dtype=np.int64)
    got = list(zip(*(x.tolist() for x in P._runs(hashes, pairs))))
    assert got == _runs_by_hand(hashes, pairs)


@pytest.mark.parametrize("bucket", [1_000_000, 7])
@pytest.mark.parametrize("seed", range(8))
def test_shared_keeps_the_shingles_of_two_articles_or_more(monkeypatch, seed, bucket):
    """_Shared against counting each hash's articles by hand, in one bucket and in many (hashes spread over 64 bits)."""
    monkeypatch.setattr(P, "_BUCKET", bucket)
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**63, 40, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    hashes = [values[rng.integers(0, int(rng.integers(1, 40)), int(rng.integers(0, 12)))]
              for _ in range(int(rng.integers(0, 7)))]
    owners: dict[int, set[int]] = {}
    for a, h in enumerate(hashes):
        for x in h.tolist():
            owners.setdefault(x, set()).add(a)
    want = [(a, i, x) for a, h in enumerate(hashes) for i, x in enumerate(h.tolist()) if len(owners[x]) >= 2]
    # blocks need not be articles: the same entries from the hashes cut anywhere
    flat = np.concatenate([np.zeros(0, np.uint64), *hashes])
    cut = sorted(rng.integers(0, len(flat) + 1, 3).tolist())
    for shared in (P._Shared.of(hashes), P._Shared(np.split(flat, cut), np.array([len(h) for h in hashes]))):
        got = list(zip(shared.art.tolist(), shared.pos.tolist()))
        assert got == [(a, i) for a, i, _ in want]
        assert shared.art.dtype == shared.pos.dtype == shared.hid.dtype == np.int32
        # the same hash, the same number; different hashes, different numbers; numbers 0..n_ids-1
        pairs = set(zip([x for _, _, x in want], shared.hid.tolist()))
        assert len(pairs) == len({h for h, _ in pairs}) == len({k for _, k in pairs}) == shared.n_ids
        assert set(shared.hid.tolist()) == set(range(shared.n_ids))
        groups = [shared.members[lo:hi].tolist() for lo, hi in zip(shared.bounds[:-1], shared.bounds[1:])]
        assert sorted(groups) == sorted(sorted(arts) for arts in owners.values() if len(arts) >= 2)


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_chunked_index_equals_index_of_the_shingle_table(monkeypatch, chunk):
    texts = ["One two three four five. Two three four five six!", "", "x", "Él dijo: «three four five six» ok",
             "w" * 300 + " two three four five"]
    arts = pd.DataFrame({"article_id": list("abcde"), "text": texts})
    bounds, starts, ends, hashes = P._index(arts, P.shingle_table(arts, n=3), 3)
    monkeypatch.setattr(P, "_CHUNK", chunk)
    got_bounds, got_starts, lengths, shared = P._chunked_index(arts["text"], 3)
    np.testing.assert_array_equal(got_bounds, bounds)
    np.testing.assert_array_equal(got_starts, starts)
    np.testing.assert_array_equal(got_starts + lengths.astype(np.int64), ends)
    assert lengths.dtype == np.uint16  # a word of 300 characters: uint8 does not hold it
    want = P._Shared.of(hashes)
    for name in ("art", "pos", "hid", "members", "bounds"):
        np.testing.assert_array_equal(getattr(shared, name), getattr(want, name))


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_cut_slices_the_texts_as_the_whole_column_does(monkeypatch, chunk):
    texts = pd.Series(["alpha beta", "x", "gamma delta epsilon", "", "zeta"], dtype="string[pyarrow]")
    art, start, end = np.array([2, 0, 4, 2, 1, 0]), np.array([6, 0, 1, 0, 0, 6]), np.array([11, 5, 3, 5, 4, 10])
    whole = texts.astype(str).tolist()
    monkeypatch.setattr(P, "_CHUNK", chunk)
    got = P._cut(texts, art, start, end)
    assert got.tolist() == [whole[a][s:e] for a, s, e in zip(art, start, end)]
    # the column a DataFrame makes of the list of slices: the same dtype and values
    pd.testing.assert_series_equal(pd.Series(got), pd.Series([whole[a][s:e] for a, s, e in zip(art, start, end)]))
    assert P._cut(texts, art[:0], start[:0], end[:0]) == []
    old = pd.DataFrame({"text_a": [], "n": np.zeros(0, np.int64)})  # as shared_passages made an empty table
    assert pd.DataFrame({"text_a": P._cut(texts, art[:0], start[:0], end[:0]), "n": old["n"]}).dtypes.equals(old.dtypes)


@pytest.mark.parametrize("rows", [1, 7, 10**6])
def test_passages_without_texts_then_with_them_are_the_whole_table(bundled_articles, monkeypatch, rows):
    from analysis import reuse as R
    from analysis.errors import SchemaError

    whole = R.shared_passages(bundled_articles, n=4)
    lean = R.shared_passages(bundled_articles, n=4, texts=False)
    assert list(lean.columns) == list(R.PASSAGE_COLUMNS[:-2]) and len(whole) > 20
    pd.testing.assert_frame_equal(lean, whole[lean.columns])
    monkeypatch.setattr(P, "_CHUNK", 2)  # texts read two articles at a time
    pd.testing.assert_frame_equal(R.passage_texts(bundled_articles, lean), whole)
    parts = list(R.passage_parts(bundled_articles, lean, rows=rows))
    assert len(parts) == -(-len(whole) // rows)
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)
    shuffled = lean.sample(frac=1, random_state=0)  # any rows, any order
    pd.testing.assert_frame_equal(R.passage_texts(bundled_articles, shuffled), whole.loc[shuffled.index])
    none = R.shared_passages(bundled_articles.iloc[:1], n=4)  # one article: no pair, the empty table
    (only,) = R.passage_parts(bundled_articles, R.shared_passages(bundled_articles.iloc[:1], n=4, texts=False))
    assert none.empty and only.dtypes.equals(none.dtypes) and list(only.columns) == list(none.columns)
    with pytest.raises(SchemaError, match="not in the articles"):
        R.passage_texts(bundled_articles.iloc[1:], lean)
