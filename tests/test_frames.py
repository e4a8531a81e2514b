"""Tests for analysis.frames: cue syntax, leftmost-longest matching, scores, coding sheet, agreement."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis import frames as F
from analysis.errors import ParameterError, ResourceError, SchemaError


def _sentences(*texts: str, outlet: str = "X", article: str = "a") -> pd.DataFrame:
    starts = np.cumsum([0, *[len(t) + 1 for t in texts[:-1]]])
    return pd.DataFrame({"sentence_id": [f"{article}/{i}" for i in range(len(texts))],
                         "article_id": article, "outlet": outlet, "start": starts,
                         "sentence_text": list(texts)})


def _lexicon(frames: dict[str, list[str]], scheme: str = "s") -> pd.DataFrame:
    rows = [(scheme, f, f, c, F.cue_kind(c), "") for f, cues in frames.items() for c in cues]
    rows += [(scheme, f, f, pd.NA, pd.NA, "") for f, cues in frames.items() if not cues]  # as load_lexicon
    return pd.DataFrame(rows, columns=list(F.LEXICON_COLUMNS))


def _matches(cues: list[str], text: str) -> list[str]:
    return [text[a:b] for _, a, b, _ in F.CueMatcher(cues).find([text])]


# --- matching: phrase, stem, overlap ------------------------------------------------------
@pytest.mark.parametrize(("cues", "text", "expected"), [
    # whole words only: "war" is not in "warn", "award" or "software"
    (["war"], "War, warn, award, software, war.", ["War", "war"]),
    # stems extend to the end of the word, at a word start only
    (["sanction*"], "Sanctions, sanctioned, unsanctioned sanction", ["Sanctions", "sanctioned", "sanction"]),
    # phrases: one separator (space, hyphen, apostrophe, period) between words
    (["make a deal"], "make a deal; Make-a-deal; make  a deal; make a, deal", ["make a deal", "Make-a-deal"]),
    (["u.s."], "The U.S. and the US and u s", ["U.S", "u s"]),
    # accents and case folded, offsets in the original text
    (["diaz-canel"], "DÍAZ-CANEL met Díaz Canel", ["DÍAZ-CANEL", "Díaz Canel"]),
    (["pressure"], "“Pressure” works", ["Pressure"]),
    # stem as the last word of a phrase
    (["human right*"], "human rights groups, humane rights", ["human rights"]),
])
def test_word_stem_and_phrase_matching(cues, text, expected):
    assert _matches(cues, text) == expected


@pytest.mark.parametrize(("cues", "text", "expected"), [
    # the longer phrase wins over the word inside it: "deal" is not counted again
    (["deal", "make a deal"], "make a deal now", ["make a deal"]),
    # leftmost wins: "strike a deal" starts before "deal with", which overlaps it
    (["strike a deal", "deal with"], "strike a deal with Cuba", ["strike a deal"]),
    # chains: the greedy pass keeps the first and the third, the second overlaps both
    (["a b", "b c", "c d"], "a b c d", ["a b", "c d"]),
    # a word and a stem of the same span: counted once
    (["sanctions", "sanction*"], "sanctions", ["sanctions"]),
    # a failed longer candidate ("war crime" followed by "s") does not block "war"
    (["war", "war crime"], "war crimes", ["war"]),
    # repeated cue listed twice: one hit per occurrence
    (["threat*", "threat*"], "threats and threatened", ["threats", "threatened"]),
    # an overlapping stem and phrase of different lengths at the same start
    (["econom*", "economic sanctions"], "economic sanctions hurt the economy",
     ["economic sanctions", "economy"]),
])
def test_overlapping_cues_are_never_double_counted(cues, text, expected):
    assert _matches(cues, text) == expected


def test_matches_never_cross_texts_and_offsets_are_local():
    m = F.CueMatcher(["make a deal", "deal"])
    found = m.find(["they must make a", "deal now", "a deal"])
    assert found == [(1, 0, 4, 1), (2, 2, 6, 1)]


def test_matcher_agrees_with_an_independent_regex_implementation():
    # Independent check: a regex alternation per position, longest first, greedy.
    rng = np.random.default_rng(3)
    vocab = ["oil", "oil supplies", "supplies", "supply*", "cut off", "cut", "off", "deal*", "make a deal"]
    words = ["oil", "supplies", "supply", "cut", "off", "deal", "dealing", "make", "a", "the", "offer"]
    text = " ".join(rng.choice(words, size=400))
    got = _matches(vocab, text)
    pats = [(re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) + r"(?!\w)") for c in vocab]
    expected, pos = [], 0
    for m in re.finditer(r"(?<!\w)\w", text):
        if m.start() < pos:
            continue
        spans = [mm.end() for p in pats if (mm := re.compile(p).match(text, m.start()))]
        if spans:
            end = max(spans)
            expected.append(text[m.start():end])
            pos = end
    assert got == expected


@pytest.mark.parametrize(("cue", "message"), [("sanc*tion", "only allowed at the end"), ("--", "empty")])
def test_bad_cues_raise(cue, message):
    with pytest.raises(ParameterError, match=message):
        F.cue_key(cue)


# --- lexicon files ------------------------------------------------------------------------
def test_shipped_lexicons_have_the_published_frames():
    lex = F.load_lexicon()
    sv = F.frames_of(lex[lex.scheme == "semetko_valkenburg"]).frame.tolist()
    assert sv == ["conflict", "human_interest", "economic", "morality", "responsibility"]
    pf = F.frames_of(lex[lex.scheme == "policy_frames"])
    assert len(pf) == 15 and pf.frame.iloc[-1] == "other" and not pf.has_cues.iloc[-1]
    assert lex.cue.notna().sum() > 500


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("scheme: s\nframes: {a: {cues: [war, 'x*y']}}\n", "only allowed at the end"),
    ("scheme: s\nframes: {a: {cues: [war]}, b: {cues: [War]}}\n", "also a cue of frame"),
    ("scheme: s\nframes: {a: {cues: war}}\n", "must be a list"),
    ("scheme: s\nframes: {a: {cues: [war], colour: red}}\n", "unknown key"),
    ("frames: [\n", "not valid UTF-8 YAML"),
])
def test_bad_lexicon_files_name_file_and_frame(tmp_path, yaml_text, message):
    path = tmp_path / "lex.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ResourceError, match=message):
        F.load_lexicon(path)


# --- hits and scores ----------------------------------------------------------------------
def test_find_cues_offsets_point_into_the_article_text(bundled_articles, bundled_sentences):
    hits = F.find_cues(bundled_sentences)
    text = bundled_articles.set_index("article_id").text
    assert len(hits) > 100
    assert all(text[a][s:e] == sur for a, s, e, sur in zip(hits.article_id, hits.start, hits.end, hits.surface))
    # within a scheme no two hits overlap
    for _, part in hits.groupby(["scheme", "article_id"]):
        part = part.sort_values("start")
        assert (part.start.to_numpy()[1:] >= part.end.to_numpy()[:-1]).all()


def test_frame_profile_against_hand_counts():
    s = _sentences("Both sides clash over sanctions.", "Sanctions and tariffs cost money.", "Nothing here.",
                   outlet="X", article="a")
    s = pd.concat([s, _sentences("A quiet day.", outlet="Y", article="b")], ignore_index=True)
    lex = _lexicon({"conflict": ["both sides", "clash*"], "economic": ["sanction*", "tariff*", "cost"],
                    "empty": []})
    words = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "words": [13, 3]})
    p = F.frame_profile(F.find_cues(s, lexicon=lex), s, lexicon=lex, words=words, n_boot=200)
    assert list(p.columns[:8]) == ["outlet", "scheme", "frame", "hits", "per_1k", "share_sentences",
                                   "ci_low", "ci_high"]
    x = p[p.outlet == "X"].set_index("frame")
    # conflict: "Both sides", "clash" = 2 hits in 1 of 3 sentences; economic: 4 hits in 2 of 3
    assert x.loc["conflict", "hits"] == 2 and x.loc["economic", "hits"] == 4
    assert x.loc["conflict", "per_1k"] == pytest.approx(2 * 1000 / 13)
    assert x.loc["economic", "share_sentences"] == pytest.approx(2 / 3)
    assert x.loc["economic", "sentences_with_frame"] == 2 and x.loc["economic", "sentences"] == 3
    assert np.isnan(x.loc["empty", "per_1k"]) and x.loc["empty", "hits"] == 0
    y = p[p.outlet == "Y"].set_index("frame")  # every frame scored for every outlet
    assert y.loc["conflict", "hits"] == 0 and y.loc["conflict", "share_sentences"] == 0.0
    art = F.frame_profile(F.find_cues(s, lexicon=lex), s, lexicon=lex, by="article", words=words, n_boot=200)
    assert set(art.article_id) == {"a", "b"} and len(art) == 6


def test_trace_marks_every_hit_of_a_cell():
    s = _sentences("Sanctions and tariffs bite.", "No cue.")
    lex = _lexicon({"economic": ["sanction*", "tariff*"]})
    t = F.trace(F.find_cues(s, lexicon=lex), s, frame="economic")
    assert t.marked.tolist() == ["[[Sanctions]] and [[tariffs]] bite."] and t.hits.tolist() == [2]
    with pytest.raises(SchemaError):
        F.trace(F.find_cues(s, lexicon=lex), s, colour="red")


# --- coding sheet and agreement -----------------------------------------------------------
def test_coding_sheet_samples_and_has_empty_coder_columns(bundled_sentences):
    hits = F.find_cues(bundled_sentences)
    sheet = F.coding_sheet(bundled_sentences, hits, n=20, seed=1)
    assert len(sheet) == 20 and sheet.sentence_id.is_unique
    assert [c for c in sheet.columns if c.startswith("coder_")] == [
        "coder_conflict", "coder_human_interest", "coder_economic", "coder_morality", "coder_responsibility"]
    assert (sheet.filter(like="coder_") == "").all().all()
    again = F.coding_sheet(bundled_sentences, hits, n=20, seed=1)
    pd.testing.assert_frame_equal(sheet, again)
    with pytest.raises(ParameterError, match="no frames"):
        F.coding_sheet(bundled_sentences, hits, scheme="nope")


def _alpha_by_hand(a: list[int], b: list[int]) -> float:
    """Krippendorff's alpha, nominal, two coders, no missing: 1 - (n - 1) * d / (n0 * n1)."""
    n = 2 * len(a)
    n1 = sum(a) + sum(b)
    d = sum(x != y for x, y in zip(a, b, strict=True))
    return 1 - (n - 1) * d / ((n - n1) * n1)


@pytest.mark.parametrize(("pred", "coder"), [
    ([1, 1, 0, 0], [1, 0, 0, 0]),  # 8/15 = 0.5333: precision 1/2, recall 1/1
    ([1, 0, 1, 0, 1, 0], [1, 0, 0, 1, 1, 0]),
    ([0, 0, 1], [0, 0, 0]),  # alpha 0: the only positive is a disagreement
])
def test_coding_agreement_against_hand_computation(pred, coder):
    sheet = pd.DataFrame({"predicted": ["conflict" if p else "" for p in pred],
                          "coder_conflict": [str(c) for c in coder]})
    row = F.coding_agreement(sheet).iloc[0]
    tp = sum(p and c for p, c in zip(pred, coder, strict=True))
    assert row["n"] == len(pred) and row["both"] == tp
    assert row["precision"] == pytest.approx(tp / sum(pred))
    assert (np.isnan(row["recall"]) if not sum(coder) else row["recall"] == pytest.approx(tp / sum(coder)))
    assert row["alpha"] == pytest.approx(_alpha_by_hand(pred, coder))


def test_coding_agreement_skips_blank_rows_and_rejects_bad_cells():
    sheet = pd.DataFrame({"predicted": ["a", "a; b", ""], "coder_a": ["x", "", "no"], "coder_b": ["0", "", "yes"]})
    out = F.coding_agreement(sheet).set_index("frame")
    assert out.loc["a", "n"] == 2 and out.loc["a", "both"] == 1 and out.loc["b", "coder"] == 1
    assert np.isnan(out.loc["b", "precision"])  # dictionary predicted b only in the uncoded row
    with pytest.raises(SchemaError, match="row 1.*'maybe'"):
        F.coding_agreement(pd.DataFrame({"predicted": ["a"], "coder_a": ["maybe"]}))
    with pytest.raises(SchemaError, match="some frame columns are blank"):
        F.coding_agreement(pd.DataFrame({"predicted": ["a"], "coder_a": ["1"], "coder_b": [""]}))


def test_binomial_bootstrap_matches_the_unit_level_cluster_bootstrap():
    # independent implementation: analysis.stats.bootstrap_means resamples articles, then the
    # 0/1 sentence values within them; the count-based bootstrap must give the same interval
    # up to Monte Carlo error (20,000 replicates: about 0.01 on these bounds)
    from analysis.stats import bootstrap_means

    sizes, carrying = [12, 5, 30, 8, 20], [3, 5, 4, 0, 10]
    values = np.concatenate([np.r_[np.ones(k), np.zeros(n - k)] for n, k in zip(sizes, carrying)])
    d = pd.DataFrame({"outlet": "X", "article_id": np.repeat(list("abcde"), sizes), "x": values})
    ref = bootstrap_means(d, value="x", n_boot=20000, seed=3).iloc[0]
    low, high = F.binomial_cluster_bootstrap(np.array(sizes), np.array([carrying]), n_boot=20000,
                                             rng=np.random.default_rng(5))
    assert low[0] == pytest.approx(ref.ci_low, abs=0.015) and high[0] == pytest.approx(ref.ci_high, abs=0.015)
    # one article: sentences resampled; rows all 0 or all 1 have a zero-width interval
    one = bootstrap_means(d[d.article_id == "c"], value="x", n_boot=20000, seed=3).iloc[0]
    low, high = F.binomial_cluster_bootstrap(np.array([30]), np.array([[4], [0], [30]]), n_boot=20000,
                                             rng=np.random.default_rng(5))
    assert low[0] == pytest.approx(one.ci_low, abs=0.015) and high[0] == pytest.approx(one.ci_high, abs=0.015)
    assert (low[1], high[1], low[2], high[2]) == (0, 0, 1, 1)


def test_frame_profile_is_deterministic_and_per_unit(bundled_sentences):
    lex = F.load_lexicon(F.SEMETKO_VALKENBURG)
    hits = F.find_cues(bundled_sentences, lexicon=lex)
    a = F.frame_profile(hits, bundled_sentences, lexicon=lex, n_boot=500, seed=1)
    pd.testing.assert_frame_equal(a, F.frame_profile(hits, bundled_sentences, lexicon=lex, n_boot=500, seed=1))
    # an outlet's interval does not depend on which other outlets are in the table
    first = a.outlet.iloc[0]
    alone = bundled_sentences[bundled_sentences.outlet == first]
    b = F.frame_profile(hits[hits.outlet == first], alone, lexicon=lex, n_boot=500, seed=1)
    pd.testing.assert_frame_equal(a[a.outlet == first].reset_index(drop=True), b, check_dtype=False)
    assert ((a.ci_low <= a.share_sentences) & (a.share_sentences <= a.ci_high)).all()
    per_article = F.frame_profile(hits, bundled_sentences, lexicon=lex, by="article", n_boot=500)
    assert (per_article.articles == 1).all()  # one article per row (was the sentence count before 2026-12)


@pytest.mark.parametrize("texts", [
    ["A deal.", "Sanctions!"], ["Díaz-Canel’s “make a deal”", "plain ascii `tick`", "", "İstanbul ΣΟΦΙΑΣ"],
    [],
])
def test_prepare_texts_equals_folding_text_by_text(texts):
    from analysis.frames import matching as M

    joined, starts = M.prepare_texts(texts)
    assert joined == " " + "  ".join(M.match_text(t) for t in texts) + " " if texts else joined == " "
    assert [joined[s:s + len(t)] for s, t in zip(starts, texts, strict=True)] == [M.match_text(t) for t in texts]
    m = M.CueMatcher(["deal", "make a deal", "sanction*", "istanbul"])
    assert m.find_prepared((joined, starts)) == m.find(texts)


def test_quantiles_from_counts_equal_numpy_quantile_bit_for_bit():
    # the per-article bounds are read from counts of the binomial draws; np.quantile of the
    # same draws (what the profile called before) must give the very same floats
    from analysis.frames.profile import _quantiles_of_counts

    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 80))
        rows, reps = int(rng.integers(1, 6)), int(rng.choice([100, 101, 999, 2000, 2001, 4000]))
        draws = rng.binomial(n, rng.uniform(0, 1, size=(rows, 1)), size=(rows, reps))
        alpha = float(rng.choice([0.025, 0.05, 0.005, 0.25, (1 - 0.95) / 2, (1 - 0.9) / 2, rng.uniform(0, 0.25)]))
        q = [alpha, 1 - alpha]
        got = _quantiles_of_counts(draws, n, q)
        want = np.quantile(draws / n, q, axis=1)
        assert got.shape == want.shape and np.array_equal(got.view(np.int64), want.view(np.int64))
    # edges: every draw 0 or n, the last order statistic, one row
    for draws in (np.zeros((1, 100), np.int64), np.full((2, 100), 7), np.r_[np.zeros(99), 7][None].astype(np.int64)):
        np.testing.assert_array_equal(_quantiles_of_counts(draws, 7, [0.025, 0.975, 1.0]),
                                      np.quantile(draws / 7, [0.025, 0.975, 1.0], axis=1))


def test_one_cluster_bootstrap_equals_the_percentiles_of_its_draws():
    # the one-article path against the formula it replaced: the same generator calls, then np.quantile
    rng = np.random.default_rng(2)
    for _ in range(50):
        n = int(rng.integers(2, 60))
        k = rng.integers(0, n + 1, size=(int(rng.integers(1, 12)), 1))
        seed, level, n_boot = int(rng.integers(1000)), float(rng.choice([0.95, 0.9, 0.5])), int(rng.choice([100, 2000]))
        low, high = F.binomial_cluster_bootstrap(np.array([n]), k, n_boot=n_boot, level=level,
                                                 rng=np.random.default_rng(seed))
        share = k[:, 0] / n
        vary = (share > 0) & (share < 1)
        want_low, want_high = share.copy(), share.copy()
        if vary.any():
            reps = np.random.default_rng(seed).binomial(n, np.repeat(k[vary] / n, n_boot, axis=1)) / n
            alpha = (1 - level) / 2
            want_low[vary], want_high[vary] = np.quantile(reps, [alpha, 1 - alpha], axis=1)
        assert np.array_equal(low, want_low) and np.array_equal(high, want_high)
