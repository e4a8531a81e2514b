"""Tests for analysis.findings: wording follows the evidence, never beyond it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

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


def _outlets(n_articles, n_sentences, means, half=0.05):
    k = len(means)
    names = [f"O{i}" for i in range(k)]
    o = pd.DataFrame({"outlet": names, "n_articles": n_articles, "n_sentences": n_sentences,
                      "mean_compound": means, "ci_low": [m - half for m in means],
                      "ci_high": [m + half for m in means]})
    d = pd.DataFrame([(a, b, True) for i, a in enumerate(names) for b in names[i + 1:]],
                     columns=["a", "b", "excludes_zero"])
    return {"sentiment_outlets": o, "sentiment_differences": d}


def test_extreme_pair_p_by_hand_and_bonferroni_over_pairs():
    from scipy.stats import norm

    # 95% intervals of half-width 1.959964 x 0.1: se_a = se_b = 0.1; z = 0.3 / sqrt(0.02) = 2.1213;
    # p = 2 (1 - Phi(2.1213)) = 0.0339
    h = norm.ppf(0.975) * 0.1
    p, adj = F.extreme_pair_p(0.3, 0.3 - h, 0.3 + h, 0.0, -h, h, k=4)
    assert p == pytest.approx(2 * norm.sf(0.3 / np.sqrt(0.02)), rel=1e-6)
    assert p == pytest.approx(0.0339, abs=1e-4) and adj == pytest.approx(6 * p)  # 4 outlets: 6 pairs
    assert F.extreme_pair_p(0.3, 0.3 - h, 0.3 + h, 0.0, -h, h, k=2)[1] == pytest.approx(p)


def test_extreme_of_many_outlets_needs_the_selection_adjustment():
    # two outlets 0.3 apart with se 0.1 each: supported alone (p = 0.034), not as the extremes of 10
    two = F.sentiment_findings(_outlets(10, 100, [0.0, 0.3], half=0.196))[0]
    assert two["supported"]
    many = F.sentiment_findings(_outlets(10, 100, [0.0] + [0.15] * 8 + [0.3], half=0.196))[0]
    assert not many["supported"] and "extremes of 10 outlets" in many["finding"]
    assert many["p_value"] == pytest.approx(min(1, 45 * two["p_value"]))


def test_small_outlets_are_not_picked_as_extremes():
    t = _outlets([10, 10, 10, 1], [100, 100, 100, 11], [0.0, 0.1, 0.2, 0.9])
    row = F.sentiment_findings(t)[0]
    assert "O3" not in row["finding"] and "O2" in row["finding"] and "O0" in row["finding"]
    assert "1 outlet(s) below 5 articles and 30 sentences were not compared" in row["finding"]
    row = F.sentiment_findings(t, min_articles=1, min_sentences=1)[0]
    assert "O3" in row["finding"]
    # fewer than two large enough: every outlet compared, and said
    row = F.sentiment_findings(_outlets([1, 1], [11, 48], [0.0, 0.5]))[0]
    assert "Every outlet is below the minimum size" in row["finding"]


def test_term_findings_capped_per_outlet_with_count_of_the_rest():
    k = pd.DataFrame({"outlet": "A", "comparison": "vs rest", "term": [f"t{i}" for i in range(8)],
                      "count": 9, "count_rest": 1, "per_1k": 1.0, "per_1k_rest": 0.1,
                      "log_odds_z": np.arange(8, 0, -1.0), "p_value": 0.001, "q_value": 0.01})
    rows = F.term_findings({"terms_keyness": k}, per_outlet=3)
    assert len(rows) == 1 + 3 and "5 more terms with q < 0.05 in tables/terms_keyness.csv" in rows[0]["finding"]
    assert [r["finding"].split("'")[1] for r in rows[1:]] == ["t0", "t1", "t2"]


def test_fact_conflicts_capped_and_the_selection_hook_is_called(monkeypatch):
    from analysis import facts

    m = pd.DataFrame({"fact": ["1 dead"], "unit": ["casualties"], "value": [1.0], "A": [1], "B": [0],
                      "n_outlets": [1]})
    c = pd.DataFrame({"outlet_a": "A", "outlet_b": "B", "fact_a": [f"{i + 60} casualties" for i in range(120)],
                      "fact_b": "200 casualties", "quantity": "people killed", "surface_a": "x", "surface_b": "y"})
    rows = F.fact_findings({"fact_matrix": m, "fact_conflicts": c}, max_conflicts=50)
    assert len([r for r in rows if " reports " in r["finding"] and " where " in r["finding"]]) == 50
    assert any(r["finding"].startswith("70 more conflicting figures") for r in rows)
    # the framing helper's filter decides what may be stated; what it drops is counted, with why
    monkeypatch.setattr(facts, "conflict_summary", lambda df: (df.head(2), pd.DataFrame(
        {"reason": ["a figure below 10"], "conflicts": [118]})))
    rows = F.fact_findings({"fact_matrix": m, "fact_conflicts": c})
    assert len([r for r in rows if " where " in r["finding"]]) == 2
    assert any(r["finding"].startswith("118 proposed conflicts are not stated here") and
               "a figure below 10: 118" in r["finding"] and not r["supported"] for r in rows)


def test_collect_findings_ranks_by_bh_over_findings():
    from statsmodels.stats.multitest import multipletests

    t = _outlets(10, 100, [0.0, 0.1, 0.3], half=0.196)
    t["frames"] = pd.DataFrame({"outlet": ["O0", "O1", "O2"], "scheme": "semetko_valkenburg", "frame": "conflict",
                                "hits": [4, 9, 30], "share_sentences": [0.04, 0.09, 0.3],
                                "ci_low": [0.01, 0.04, 0.2], "ci_high": [0.1, 0.17, 0.4],
                                "sentences": [100, 100, 100], "sentences_with_frame": [4, 9, 30]})
    out = F.collect_findings(t)
    tested = out[out.p_value.notna()]
    assert len(tested) == 2
    assert np.allclose(tested.q_value, multipletests(tested.p_value, method="fdr_bh")[1])
    assert list(out.columns) == list(F.FINDING_COLUMNS)


def _pairs():
    return pd.DataFrame({"label_a": ["rebels"], "label_b": ["terrorists"], "outlets": [3], "pairs": [2],
                         "similarity": [0.5], "outlets_a": ["A; C"], "outlets_b": ["B"], "example_a": ["a/0"],
                         "example_b": ["b/0"], "context_a": ["the rebels of"], "context_b": ["the terrorists of"],
                         "text_a": [""], "text_b": [""]})


def test_discovered_label_pairs_and_the_drop_counts():
    dropped = pd.DataFrame({"reason": ["reporting verb", "no shared content word on both sides"],
                            "substitutions": [7, 3], "candidates": [4, 2]})
    rows = F.label_findings({"label_pairs": _pairs(), "label_dropped": dropped})
    assert len(rows) == 2 and "'rebels' (A; C) and 'terrorists' (B)" in rows[0]["finding"]
    # the learned filter stated it (the label_pairs table); held out, 8 of the 9 pairs it stated were right
    # (0.89 >= 0.7; exact 95% CI 0.52-1.00): a supported finding, with its record in the text
    assert rows[0]["supported"]
    assert "of 9 pairs the learned filter stated on held-out slices, 8 were" in rows[0]["finding"]
    assert "0.89, 95% CI 0.52-1.00" in rows[0]["finding"]
    scored = pd.read_csv(Path(__file__).parent / "data" / "labels_sixth_filter.tsv", sep="\t", comment="#")
    stated = scored[scored["stated"]]
    assert F.LABEL_PAIRS_HELD_OUT == (int((stated["verdict"] == "right").sum()), len(stated))
    assert F.LABEL_CANDIDATES_HELD_OUT == (int((scored["verdict"] == "right").sum()), len(scored))
    assert not rows[1]["supported"]
    assert rows[1]["finding"].startswith("6 candidate label pairs are not stated")
    assert "reporting verb: 4 pair(s); no shared content word on both sides: 2 pair(s)" in rows[1]["finding"]


def test_discovered_label_pairs_from_the_substitution_table_alone():
    subs = pd.DataFrame({"sentence_a": ["a/0", "a/1", "a/2"], "sentence_b": ["b/0", "c/1", "d/2"],
                         "outlet_a": "A", "outlet_b": ["B", "C", "D"], "similarity": 0.6, "label_a": "gop",
                         "label_b": "republican", "context_a": "x", "context_b": "y", "reason": ""})
    rows = F.label_findings({"label_substitutions": subs})
    assert "'gop' (A) and 'republican' (B; C; D)" in rows[0]["finding"]
    # no learned filter without the sentences: the rules alone, 21 of 54 held out (0.39): a candidate only
    assert not rows[0]["supported"] and "of 54 pairs the rules alone stated" in rows[0]["finding"]
    assert len(rows) == 1  # nothing dropped: no row about drops
    assert F.label_findings({}) == []
