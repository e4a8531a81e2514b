"""Tests for analysis.reuse: candidate pairs, shared passages, alignment, originality."""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from analysis import reuse as R
from analysis.errors import ParameterError, SchemaError
from analysis.reuse import align as reuse_align
from analysis.sentences import split_sentences
from tests.conftest import TINY


@pytest.fixture(scope="module")
def bundled_reuse(bundled_articles, bundled_sentences):
    passages = R.shared_passages(bundled_articles)
    aligned = R.align_sentences(bundled_sentences, passages)
    pairs = R.reuse_pairs(bundled_articles, passages, aligned)
    return passages, aligned, pairs


def test_close_paraphrase_pair_is_top(bundled_reuse):
    _, aligned, pairs = bundled_reuse
    top = pairs.iloc[0]
    assert (top["article_a"][:3], top["article_b"][:3]) == ("000", "001")
    assert top["shared_share_a"] > 2 * pairs.iloc[1][["shared_share_a", "shared_share_b"]].max()
    pair = aligned[aligned["article_a"].str.startswith("000") & aligned["article_b"].str.startswith("001")]
    assert (pair["kind"] == "paraphrase").sum() >= 5
    # golden case: Pinon's supply figures, reworded ("supplies" -> "provides roughly")
    pinon = pair[pair["text_a"].str.startswith("Pinon")].iloc[0]
    assert "[-supplies-] {+provides roughly+}" in pinon["diff"]


def test_passage_offsets_and_text(bundled_reuse, bundled_articles):
    passages, _, _ = bundled_reuse
    text = dict(zip(bundled_articles["article_id"], bundled_articles["text"]))
    for r in passages.itertuples():
        assert text[r.article_a][r.start_a:r.end_a] == r.text_a
        assert text[r.article_b][r.start_b:r.end_b] == r.text_b
        assert r.n_words >= R.NGRAM
    longest = passages.sort_values("n_words").iloc[-1]
    assert "Energy Institute at the University of Texas at Austin" in longest["text_a"] or longest["n_words"] >= 9


def _brute_pairs(hashes, max_df, min_shared, days=None, window=None):
    """Independent implementation: count rare shared shingles for every pair within the window."""
    df: dict[int, int] = {}
    for h in hashes:
        for x in set(h.tolist()):
            df[x] = df.get(x, 0) + 1
    rare = [{x for x in set(h.tolist()) if 2 <= df[x] <= max_df} for h in hashes]
    out = []
    for a, b in combinations(range(len(hashes)), 2):
        k = len(rare[a] & rare[b])
        dated = days is not None and window is not None and days[a] is not None and days[b] is not None
        if k >= min_shared and not (dated and abs(days[a] - days[b]) > window):
            out.append([a, b, k])
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_pairs_match_all_pairs_comparison(seed):
    rng = np.random.default_rng(seed)
    hashes = [rng.integers(0, 40, size=rng.integers(0, 15)).astype(np.uint64) for _ in range(12)]
    for max_df, min_shared in ((3, 1), (5, 2), (12, 3)):
        assert R.candidate_pairs(hashes, max_df=max_df, min_shared=min_shared).tolist() == \
            _brute_pairs(hashes, max_df, min_shared)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("window", [0, 1, 3])
def test_candidate_pairs_window_matches_all_pairs_comparison(seed, window):
    rng = np.random.default_rng(seed)
    hashes = [rng.integers(0, 30, size=rng.integers(0, 15)).astype(np.uint64) for _ in range(12)]
    days = [None if rng.random() < 0.25 else int(rng.integers(0, 6)) for _ in range(12)]
    as_array = np.array([np.nan if d is None else d for d in days], dtype=float)
    got = R.candidate_pairs(hashes, max_df=12, min_shared=1, days=as_array, window_days=window).tolist()
    assert got == _brute_pairs(hashes, 12, 1, days=days, window=window)
    assert got != R.candidate_pairs(hashes, max_df=12, min_shared=1).tolist()  # the window drops some pair


def test_window_keeps_near_and_undated_pairs_only():
    story = "the minister said the talks would resume next week in the capital"
    arts = pd.DataFrame({"article_id": list("abcd"), "text": [f"{story}. Own {w}." for w in "wxyz"],
                         "published": ["2026-01-01", "2026-01-05", "2026-03-01", None]})
    every = R.shared_passages(arts)
    pairs = lambda t: sorted(set(zip(t["article_a"], t["article_b"])))  # noqa: E731
    assert pairs(every) == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    # a-b 4 days apart; c two months later; d undated, so compared with all
    assert pairs(R.shared_passages(arts, window_days=4)) == [("a", "b"), ("a", "d"), ("b", "d"), ("c", "d")]
    assert pairs(R.shared_passages(arts, window_days=3)) == [("a", "d"), ("b", "d"), ("c", "d")]
    kept = R.shared_passages(arts, window_days=4)
    near = {("a", "b"), ("a", "d"), ("b", "d"), ("c", "d")}
    expected = every[[p in near for p in zip(every.article_a, every.article_b)]]
    pd.testing.assert_frame_equal(kept, expected.reset_index(drop=True))  # same rows, nothing else changed
    assert pairs(R.shared_passages(arts.drop(columns="published"), window_days=0)) == pairs(every)


def test_bundled_corpus_is_inside_the_reports_window(bundled_articles):
    """The report's 30-day window changes nothing on the bundled corpus (its dates span 21 days)."""
    from analysis.corpus import publication_days

    days = publication_days(bundled_articles)
    assert np.nanmax(days) - np.nanmin(days) == 21
    pd.testing.assert_frame_equal(R.shared_passages(bundled_articles, window_days=R.WINDOW_DAYS),
                                  R.shared_passages(bundled_articles))


def test_boilerplate_does_not_make_pairs():
    common = "recommended stories list of three items end of list"
    own = ("alpha beta gamma delta", "epsilon zeta eta theta", "iota kappa lambda mu", "nu xi omicron pi")
    arts = pd.DataFrame({"article_id": list("abcd"), "text": [f"{common}. {w}." for w in own]})
    assert R.shared_passages(arts, max_df=3).empty  # shared by all four > 3
    assert len(R.shared_passages(arts, max_df=4)) == 6  # every pair


@pytest.mark.parametrize("a, b, diff", [
    ("Russia supplies 7,500 barrels.", "Russia supplies 7,500 barrels.", "Russia supplies 7,500 barrels."),
    ("He said no.", "He said yes.", "He said [-no.-] {+yes.+}"),
    ("Díaz-Canel said it.", "Diaz-Canel said it loudly.", "Diaz-Canel said it {+loudly.+}"),
])
def test_word_diff(a, b, diff):
    assert R.word_diff(a, b) == diff


def test_alignment_is_one_to_one_and_thresholded(bundled_reuse):
    _, aligned, _ = bundled_reuse
    for _, grp in aligned.groupby(["article_a", "article_b"]):
        assert grp["sentence_a"].is_unique and grp["sentence_b"].is_unique
    assert (aligned["similarity"] >= R.THRESHOLD).all()


def test_shared_share_hand_count():
    arts = pd.DataFrame({"article_id": ["a", "b"], "text": [
        "one two three four five six seven eight nine ten",  # 10 words, first 6 shared
        "one two three four five six alpha beta"]})  # 8 words, 6 shared
    passages = R.shared_passages(arts, min_shared=1)
    sents = split_sentences(arts.assign(outlet="X"))
    pairs = R.reuse_pairs(arts, passages, R.align_sentences(sents, passages))
    assert pairs[["shared_share_a", "shared_share_b", "n_passages"]].values.tolist() == [[0.6, 0.75, 1]]


def test_pairs_read_word_offsets_from_the_shingles(bundled_reuse, bundled_articles):
    """reuse_pairs(shingles=) counts the words the tokenising path counts, on the bundled corpus and by hand."""
    passages, aligned, pairs = bundled_reuse
    got = R.reuse_pairs(bundled_articles, passages, aligned, shingles=R.shingle_table(bundled_articles))
    pd.testing.assert_frame_equal(got, pairs)
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "text": [
        "one two three four five six seven eight nine ten", "one two three four five six alpha beta", "!!!"]})
    passages = R.shared_passages(arts, min_shared=1)
    got = R.reuse_pairs(arts, passages, R.align_sentences(split_sentences(arts.assign(outlet="X")), passages),
                        shingles=R.shingle_table(arts))  # "c" has no words, hence no shingle rows
    assert got[["shared_words_a", "words_a", "shared_words_b", "words_b"]].values.tolist() == [[6, 10, 6, 8]]


def test_originality_and_source(bundled_reuse, bundled_articles, bundled_sentences):
    _, aligned, pairs = bundled_reuse
    orig = R.originality(bundled_articles, bundled_sentences, pairs, aligned).set_index("article_id")
    row = orig.loc[orig.index.str.startswith("001")].iloc[0]
    assert row["likely_source"].startswith("000") and "AFP" in row["source_evidence"]
    assert row["originality"] == pytest.approx(1 - row["n_with_counterpart"] / row["n_sentences"])
    assert orig.loc[orig.index.str.startswith("000"), "likely_source"].iloc[0] == ""


@pytest.mark.parametrize("kwargs", [{"n": 1}, {"n": 30}, {"max_df": 1}, {"max_df": 1.5}, {"min_shared": 0},
                                    {"window_days": -1}, {"window_days": 2.5}, {"window_days": True}])
def test_bad_parameters_raise(bundled_articles, kwargs):
    with pytest.raises(ParameterError):
        R.shared_passages(bundled_articles, **kwargs)


def test_deterministic(bundled_articles):
    a = R.shared_passages(bundled_articles)
    b = R.shared_passages(bundled_articles.iloc[::-1].iloc[::-1])
    pd.testing.assert_frame_equal(a, b)


def test_sparse_prefilter_gives_the_all_pairs_alignment(monkeypatch):
    """The prefilter by sparse product (and difflib's upper bounds) changes no alignment."""
    from difflib import SequenceMatcher

    from analysis import corpus as C

    arts = C.load_corpus(TINY)
    texts = arts.text.tolist()
    arts = pd.concat([arts, arts.assign(article_id=arts.article_id + "x",
                                        text=[t.replace("the", "a").replace(".", ". Also.") for t in texts])])
    sents = C.split_articles(arts)
    passages = R.shared_passages(arts, n=3, min_shared=1)
    fast = R.align_sentences(sents, passages, threshold=0.3)

    def every_pair(sa, sb, threshold, candidates=None, ratios=None):
        scored = []
        for i, ta in enumerate(sa):
            for j, tb in enumerate(sb):
                set_a, set_b = set(ta), set(tb)
                union = len(set_a | set_b)
                if union and len(set_a & set_b) / union >= 0.2:
                    ratio = SequenceMatcher(None, ta, tb, autojunk=False).ratio()
                    if ratio >= threshold:
                        scored.append((-ratio, i, j))
        used_a, used_b, out = set(), set(), []
        for neg, i, j in sorted(scored):
            if i not in used_a and j not in used_b:
                used_a.add(i), used_b.add(j), out.append((i, j, -neg))
        return sorted(out)

    monkeypatch.setattr(reuse_align, "_align_pair", every_pair)
    slow = R.align_sentences(sents, passages, threshold=0.3)
    assert len(fast) > 5
    pd.testing.assert_frame_equal(fast, slow)


def test_originality_bars_draw_at_most_max_rows_least_original_first():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.plots import voices as VP

    orig = pd.DataFrame({"article_id": [f"a{i}" for i in range(30)], "outlet": "X", "n_sentences": 10,
                         "originality": [i / 30 for i in range(30)][::-1], "likely_source": ""})
    fig, ax = plt.subplots()
    VP.originality_bars(orig, max_rows=25, ax=ax)
    drawn = [t.get_text() for t in ax.get_yticklabels()]
    plt.close(fig)
    assert len(drawn) == 25  # the 25 least original: a5 ... a29 (originality falls with i)
    assert drawn[0].startswith("a29") and drawn[-1].startswith("a5 ")
    assert "5 more articles in tables/reuse_originality.csv" in ax.get_title()


def test_shingles_made_in_chunks_give_the_same_passages(bundled_articles):
    # the report's path: shingle_table per chunk of articles (here one article a chunk), then
    # shared_passages on the whole table; the same passages as shingling inside
    from analysis.partition import per_article

    shingles = per_article(R.shingle_table, bundled_articles, chunk_articles=1, n=4)
    whole = R.shared_passages(bundled_articles, n=4)
    assert len(whole) > 0
    pd.testing.assert_frame_equal(R.shared_passages(bundled_articles, n=4, shingles=shingles), whole)
    # one row per word, offsets into the text: the words of the first article by hand
    first = bundled_articles.iloc[0]
    mine = shingles[shingles["article_id"] == first["article_id"]]
    text = first["text"]
    assert [text[s:e] for s, e in zip(mine["start"].head(3), mine["end"].head(3))] == \
        re.findall(r"\w+(?:[’'.-]\w+)*", text)[:3]
    assert (mine["shingle"].iloc[-3:] == 0).all() and (mine["shingle"].iloc[:-3] != 0).all()


def test_a_shingle_table_of_other_articles_is_refused(bundled_articles):
    other = R.shingle_table(bundled_articles.iloc[:1].assign(article_id="elsewhere"))
    with pytest.raises(SchemaError, match="elsewhere"):
        R.shared_passages(bundled_articles, shingles=other)


def test_matcher_gives_difflibs_blocks_opcodes_and_ratios():
    """The compiled matcher (cydifflib, when installed) and the standard library agree exactly."""
    import difflib
    import random

    from analysis.reuse.matcher import SequenceMatcher

    rng = random.Random(7)
    words = [f"w{k}" for k in range(12)]  # a small vocabulary: many repeats and ties
    for _ in range(400):
        a = [rng.choice(words) for _ in range(rng.randint(0, 30))]
        b = [w for w in a if rng.random() > 0.2] + [rng.choice(words) for _ in range(rng.randint(0, 5))]
        rng.shuffle(b) if rng.random() < 0.2 else None
        ours, ref = SequenceMatcher(None, a, b, autojunk=False), difflib.SequenceMatcher(None, a, b, autojunk=False)
        assert [tuple(m) for m in ours.get_matching_blocks()] == ref.get_matching_blocks()
        assert ours.get_opcodes() == ref.get_opcodes()
        assert ours.ratio() == ref.ratio()
        reused = SequenceMatcher(None, (), b, autojunk=False)  # the second sequence indexed once, as align does
        reused.set_seq1(a)
        assert reused.ratio() == ref.ratio()


def test_words_are_the_word_pattern_matches():
    """_words' offsets (one split, running sums) are the spans finditer gives, on odd text."""
    from analysis.clean import fold_for_matching
    from analysis.reuse.columns import _WORD_RE
    from analysis.reuse.passages import _words

    for text in ["", "  ", "a", " Díaz-Canel’s  “regime” — 7,500 barrels.\n\nU.S. o'clock ", "x-", "-x -"]:
        toks, starts, ends = _words(text)
        spans = [m.span() for m in _WORD_RE.finditer(fold_for_matching(text))]
        assert toks == [fold_for_matching(text)[a:b] for a, b in spans]
        assert list(zip(starts.tolist(), ends.tolist())) == spans
        assert starts.dtype == ends.dtype == np.int64


def test_sorted_unique_and_repeat_numbers_are_numpy_and_pandas():
    """The sort-based helpers give np.unique's array and groupby().cumcount()'s numbers."""
    from analysis.reuse.columns import _repeat_numbers, _sorted_unique

    rng = np.random.default_rng(5)
    for n, high in ((0, 1), (1, 1), (1000, 7), (5000, 10**9)):
        keys = rng.integers(0, high, n)
        assert np.array_equal(_sorted_unique(keys), np.unique(keys)) and _sorted_unique(keys).dtype == keys.dtype
        assert _repeat_numbers(keys).tolist() == pd.Series(keys).groupby(keys).cumcount().tolist()
