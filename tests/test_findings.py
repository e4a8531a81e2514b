"""Tests for analysis.findings: wording follows the evidence, never beyond it."""

from __future__ import annotations

import pandas as pd

from analysis import findings as F


def _sent(means, lows, highs, excludes):
    outlets = ["A", "B"]
    o = pd.DataFrame({"outlet": outlets, "n_articles": 1, "n_sentences": [20, 30], "mean_compound": means,
                      "ci_low": lows, "ci_high": highs})
    d = pd.DataFrame({"a": ["A"], "b": ["B"], "excludes_zero": [excludes]})
    return {"sentiment_outlets": o, "sentiment_differences": d}


def test_sentiment_overlap_is_worded_as_unsupported():
    row = F.sentiment_findings(_sent([-0.1, 0.05], [-0.3, -0.1], [0.1, 0.2], False))[0]
    assert not row["supported"] and "cannot tell" in row["finding"]
    assert "A -0.10 (95% CI -0.30 to +0.10), n = 20" in row["finding"]


def test_sentiment_difference_excluding_zero_is_supported():
    row = F.sentiment_findings(_sent([-0.5, 0.4], [-0.6, 0.3], [-0.4, 0.5], True))[0]
    assert row["supported"] and "is supported" in row["finding"]


def _keyness(q):
    return {"terms_keyness": pd.DataFrame({
        "outlet": ["A", "A", "B"], "comparison": "vs rest", "term": ["oil", "deal", "said"],
        "count": [9, 2, 0], "count_rest": [1, 2, 21], "per_1k": [20.0, 4.0, 0.0], "per_1k_rest": [2.0, 4.0, 10.0],
        "log_odds_z": [3.1, 0.1, -2.5], "q_value": [q, 0.9, 0.01]})}


def test_terms_supported_only_under_q_level():
    rows = F.term_findings(_keyness(0.2))
    a = [r for r in rows if r["outlet"] == "A"][0]
    assert not a["supported"] and "'oil'" in a["finding"] and "No difference this size survives" in a["finding"]
    assert any(r["supported"] and "uses 'said' less than the rest: 0 against 21" in r["finding"] for r in rows)
    assert F.term_findings(_keyness(0.01))[0]["supported"]


def test_labels_only_one_or_two_outlets_and_quotes_are_attributed():
    lab = pd.DataFrame({"concept": "gov", "outlet": ["A", "B", "C", "D", "A"],
                        "label": ["regime", "government", "government", "government", "government"],
                        "count": [2, 1, 1, 1, 1], "quoted": [2, 0, 0, 0, 0]})
    rows = F.label_findings({"labels": lab})
    assert len(rows) == 1
    assert rows[0]["finding"].startswith("Only A uses 'regime' for gov: 2 time(s) — all inside quotations")
    assert "3 other outlet(s)" in rows[0]["finding"]


def test_frame_zero_share_gets_an_exact_interval_not_a_zero_width_one():
    f = pd.DataFrame({"outlet": ["A", "B"], "scheme": "semetko_valkenburg", "frame": "conflict", "hits": [4, 0],
                      "share_sentences": [0.2, 0.0], "ci_low": [0.05, 0.0], "ci_high": [0.4, 0.0],
                      "sentences": [20, 19], "sentences_with_frame": [4, 0]})
    row = F.frame_findings({"frames": f})[0]
    assert not row["supported"]  # 0 of 19 is compatible with up to 18%, which overlaps 5%-40%
    assert "0% of B's (0%–18%)" in row["finding"]


def test_collect_findings_skips_missing_tables_and_keeps_columns():
    out = F.collect_findings({})
    assert list(out.columns) == list(F.FINDING_COLUMNS) and out.empty


def test_voices_ratio_wording():
    v = pd.DataFrame({"outlet": ["A", "A", "B", "C", "C"], "speaker": ["Trump", "Díaz", "Trump", "Trump", "Díaz"],
                      "n_words": [30, 10, 20, 11, 10], "outlet_quoted_words": [40, 40, 20, 21, 21]})
    rows = {r["outlet"]: r["finding"] for r in F.voice_findings({"voices": v})}
    assert rows["A"].startswith("A quotes 3.0 times as many words of Trump as of Díaz")
    assert rows["B"].startswith("B quotes Trump and never Díaz")
    assert rows["C"].startswith("C quotes about as many words of Trump as of Díaz")


def test_reuse_names_the_top_pair_and_the_next_share():
    pairs = pd.DataFrame({"article_a": ["000x", "002x"], "article_b": ["001x", "003x"], "shared_share_a": [0.27, 0.05],
                          "shared_share_b": [0.25, 0.12], "n_passages": [17, 4], "n_aligned": [7, 2]})
    corpus = pd.DataFrame({"article_id": ["000x", "001x"], "outlet": ["X", "Y"]})
    row = F.reuse_findings({"reuse_pairs": pairs, "corpus": corpus})[0]
    assert row["finding"] == ("Articles 000 (X) and 001 (Y) share 27% and 25% of their words in 17 passages, "
                              "with 7 reworded sentences aligned; no other pair shares more than 12%.")


def test_facts_only_one_outlet():
    m = pd.DataFrame({"fact": ["$2.8 billion", "32 casualties"], "unit": ["USD", "casualties"], "value": [2.8e9, 32],
                      "A": [1, 1], "B": [0, 1], "n_outlets": [1, 2]})
    rows = F.fact_findings({"fact_matrix": m})
    assert [r["finding"] for r in rows] == ["Only A reports $2.8 billion."]
