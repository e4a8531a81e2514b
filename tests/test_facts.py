"""Tests for analysis.facts: numeric claims, normalisation, outlet x fact matrix, conflicts."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import facts as F


def _one(text, published=None):
    s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "start": [0],
                      "sentence_text": [text]})
    arts = pd.DataFrame({"article_id": ["a"], "published": [published]})
    return F.extract_facts(s, articles=arts)


# golden cases: sentence -> (value, value_high, unit, qualifier) of the first figure
@pytest.mark.parametrize("text, value, high, unit, qualifier", [
    ("It was providing 35,000 barrels of oil a day.", 35000, 35000, "barrels/day", "exact"),
    ("Mexico supplies about 5,500 barrels of oil per day.", 5500, 5500, "barrels/day", "about"),
    ("Venezuela would transfer 30 to 50 million barrels of oil.", 30e6, 50e6, "barrels", "range"),
    ("It could be worth up to $2.8 billion.", 2.8e9, 2.8e9, "USD", "up to"),
    ("The raid killed at least 100 people.", 100, 100, "casualties", "at least"),
    ("Dozens of people were arrested.", 24, 24, "people", "vague"),
    ("Prices rose 12.5% last year.", 12.5, 12.5, "%", "exact"),
    ("Support fell by 3 percent.", 3, 3, "%", "exact"),
    ("More than 2,000 migrants arrived.", 2000, 2000, "migrants", "more than"),
    ("The regime has ruled since 1959.", 1959, 1959, "year", "exact"),
    ("Between 10 and 20 ships waited.", 10, 20, "ships", "range"),
    ("Three ministers resigned.", 3, 3, "ministers", "exact"),
])
def test_figures(text, value, high, unit, qualifier):
    f = _one(text).iloc[0]
    assert (f["value"], f["value_high"], f["unit"], f["qualifier"]) == (value, high, unit, qualifier)


def test_date_takes_year_from_article():
    f = _one("The operation on January 3 ended.", published="2026-01-12").iloc[0]
    assert f["unit"] == "date" and f["date"] == "2026-01-03" and math.isnan(f["value"])


@pytest.mark.parametrize("text", ["No one dictates what we do.", "Air Force One landed.", "It was ZERO!",
                                  "Cuba is one of the few left."])
def test_ambiguous_number_words_are_not_counts(text):
    assert _one(text).empty


def test_bundled_fact_matrix_shows_oil_and_casualties(bundled_sentences, bundled_articles):
    facts = F.extract_facts(bundled_sentences, articles=bundled_articles)
    m = F.fact_matrix(facts, outlets=sorted(bundled_articles["outlet"].unique())).set_index("fact")
    w, u0, u2 = "Wyoming Star", "unidentified-000", "unidentified-002"
    expected = {  # figure -> outlets that report it (read off the articles)
        "35,000 barrels/day": {u0, w}, "5,500 barrels/day": {u0, w}, "7,500 barrels": {u0, w},
        "30–50 million barrels": {u2}, "$2.8 billion": {u2},
        "100 casualties": {u0, w}, "32 casualties": {u0, w, u2},
    }
    for fact, outlets in expected.items():
        row = m.loc[fact]
        assert {o for o in m.columns if o not in ("unit", "value", "n_outlets") and row[o] > 0} == outlets, fact
    assert (facts["start"] < facts["end"]).all()


def test_facts_offsets_point_into_text(bundled_sentences, bundled_articles):
    facts = F.extract_facts(bundled_sentences, articles=bundled_articles)
    text = dict(zip(bundled_articles["article_id"], bundled_articles["text"]))
    for r in facts.itertuples():
        assert text[r.article_id][r.start:r.end] == r.surface


def test_conflicts_between_outlets():
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "c/0"], "article_id": ["a", "b", "c"],
                      "outlet": ["X", "Y", "Z"], "start": [0, 0, 0], "sentence_text": [
                          "The raid killed at least 100 people.", "The raid killed 80 people.",
                          "The raid killed at least 100 people."]})
    c = F.fact_conflicts(F.extract_facts(s))
    assert sorted(map(tuple, c[["outlet_a", "outlet_b"]].values.tolist())) == [("X", "Y"), ("Y", "Z")]


def test_conflicts_need_the_same_quantity_story_and_statement():
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "c/0", "d/0"], "article_id": list("abcd"),
                      "outlet": ["X", "Y", "Z", "W"], "start": 0, "sentence_text": [
                          "The bombing in Boston killed 3 people and injured 264 others, police said.",
                          "The bombing in Boston killed 3 people and injured 176 others, police said.",
                          "Tsarnaev, 26, was killed in Boston, police said.",  # an age, not a count
                          "The bombing in Boston killed 3 people and injured 180 others, police said."]})
    arts = pd.DataFrame({"article_id": list("abcd"), "published": ["2013-04-16", "2013-04-17", "2013-04-19",
                                                                    "2013-09-01"], "topic": "terrorism"})
    f = F.extract_facts(s, articles=arts)
    assert {"people killed", "people wounded"} <= set(f.quantity) <= {"people killed", "people wounded", ""}
    c = F.fact_conflicts(f, articles=arts, sentences=s)
    # 264 vs 176 injured (same story, a day apart); d is months later: another story
    assert c[["outlet_a", "fact_a", "outlet_b", "fact_b"]].values.tolist() == [
        ["X", "264 casualties", "Y", "176 casualties"]]
    assert c.text_a.iloc[0].startswith("The bombing") and c.quantity.iloc[0] == "people wounded"
    # another topic: never compared
    other = arts.assign(topic=["terrorism", "sports", "terrorism", "terrorism"])
    assert F.fact_conflicts(F.extract_facts(s, articles=other), articles=other).empty


@pytest.mark.parametrize(("a", "b", "conflict"), [
    ("$2 trillion", "$2.2 trillion", False),  # rounding allows 1.5-2.5 trillion
    ("at least 100", "120", False), ("at least 100", "80", True), ("about 30", "32", False),
    ("49.9%", "49.8%", True),
])
def test_interval_rule(a, b, conflict):
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "Y"], "start": 0,
                      "sentence_text": [f"Officials in Texas said {a} soldiers were wounded in the attack there.",
                                        f"Officials in Texas said {b} soldiers were wounded in the attack there."]})
    if a.endswith("%"):
        s["sentence_text"] = [f"Clinton won {a} of the vote in Iowa caucuses.",
                              f"Clinton won {b} of the vote in Iowa caucuses."]
    if a.startswith("$"):
        s["sentence_text"] = [f"Congress passed a {a} stimulus package on Friday.",
                              f"Congress passed a {b} stimulus package on Friday."]
    c = F.fact_conflicts(F.extract_facts(s))
    assert (len(c) == 1) == conflict


def test_dev_sample_conflict_precision():
    # hand labels of every conflict proposed on the development corpora (tests/data/README.md)
    d = pd.read_csv(Path(__file__).parent / "data" / "facts_dev.tsv", sep="\t")
    assert len(d) >= 50 and set(d.verdict) == {"right", "wrong"}
    shown, dropped = F.conflict_summary(d)
    assert len(shown) >= 10 and (shown.verdict == "right").mean() >= 0.7
    assert dropped.conflicts.sum() + len(shown) == len(d)


# --- extraction fixes and the summary rule, measured on the held-out sample (facts_test.tsv) ---------
@pytest.mark.parametrize(("text", "surface", "value", "quantity"), [
    ("Forty-five employees who lived nearby stayed at the hotels.", "Forty-five employees", 45.0, "employee"),
    ("Tamerlan Tsarnaev, 26, died after a shootout with police.", "26", 26.0, ""),  # an age, not a toll
    ("The tornado in Joplin, in 211, when 161 people were killed.", "211", 211.0, ""),  # 161 is the toll
])
def test_extraction_fixes(text, surface, value, quantity):
    f = _one(text)
    row = f[f.surface == surface].iloc[0]
    assert row.value == value and row.quantity == quantity


def test_a_casualty_word_before_a_list_still_counts_each_figure():
    f = _one("The raid killed at least 100 people and three soldiers.")
    assert f.quantity.tolist() == ["people killed", "soldier killed"]


def test_summary_rules_and_their_order():
    c = pd.DataFrame({"quantity": ["people killed", "people wounded", "people wounded", "people killed", "job"],
                      "fact_a": ["278 casualties", "30 casualties", "200 casualties", "5 casualties", "1 job"],
                      "fact_b": ["275 casualties", "170 casualties", "146 casualties", "40 casualties", "2 jobs"],
                      "surface_a": ["278 people", "30", "hundreds", "5", "1 job"],
                      "surface_b": ["275 people", "170", "146", "40", "2 jobs"]})
    kept, dropped = F.conflict_summary(c)
    assert kept.fact_a.tolist() == ["278 casualties"]
    assert dropped.conflicts.tolist() == [1, 1, 1, 1]  # other quantity, below 10, vague, 5.7 times apart
    assert dropped.reason.str.startswith(("quantity", "a figure below", "a vague", "figures more than")).all()


def test_held_out_conflict_precision():
    # labelled before any rule change (tests/data/README.md): the first rule stated 20 right of 51
    d = pd.read_csv(Path(__file__).parent / "data" / "facts_test.tsv", sep="\t")
    assert len(d) >= 60 and set(d.verdict) == {"right", "wrong"}
    untuned = d[d.shown_untuned]
    assert len(untuned) == 51 and (untuned.verdict == "right").sum() == 20
    shown, dropped = F.conflict_summary(d)
    assert (shown.verdict == "right").mean() >= 0.7 and (shown.verdict == "right").sum() == 20
    assert dropped.conflicts.sum() + len(shown) == len(d)


@pytest.mark.parametrize("text", [
    "The raid killed at least 100 people; Venezuela will send 30 to 50 million barrels worth up to $2.8 billion.",
    "A roundabout 5 miles away, the F16 and Dismay 5 and moreover 7 someone said one of the few.",
    "“About 35,000 barrels” a day, Díaz-Canel’s government said on January 3, 2026, of US$2 billion.",
    "İstanbul saw ſome 5 and ı 12 thousands of people, dozens more, between 10 and 20%.",
    "Forty-five employees, thirty-one days, twenty two, a dozen, hundreds of thousands.",
    "", "No figures here at all.",
])
def test_figures_are_finditer(text):
    # the anchored scan equals the regular expression's own finditer (also checked on every
    # sentence of the development corpora when it was written: 67,129 figures on abp-2013)
    want = [(m.span(), m.groupdict()) for m in F._FIGURE.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in F._figures(text)] == want


# --- final-sample failure classes (tests/data/facts_final.tsv) ----------------------------------------
@pytest.mark.parametrize(("text", "surface"), [
    ("The dead ranged in age from 46 to 73, according to the mayor.", "46 to 73"),  # ages, not a toll
    ("Officer Richard H. Donahue Jr., 33, was seriously injured.", "33"),  # an age after "Jr.,"
    ("Update: 100 of the injured were released from hospital, officials said.", "100"),  # part of a total
    ("Police said 3 of the 10 dead were children.", "3"),  # part of a total
    ("Of the 22 people killed Friday, state media said 12 died in Alexandria.", "12"),  # part of a named total
])
def test_ages_and_parts_of_a_total_are_not_tolls(text, surface):
    f = _one(text)
    assert f[f.surface.str.startswith(surface)].quantity.tolist() == [""]


def test_a_toll_among_a_group_is_still_a_toll():
    # "Of those [patients], 355 died": the deaths are all the dead, not a part of them (MSF's Ghouta toll)
    assert _one("Of those, 355 died.").quantity.tolist() == ["people killed"]


def test_a_toll_of_another_year_is_compared_only_with_that_year():
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "c/0"], "article_id": list("abc"), "outlet": ["X", "Y", "Z"],
                      "start": 0, "sentence_text": [
                          "The pipe bombs killed two and injured 100 in 1996 at the Olympics in Atlanta.",
                          "The bombs killed three and injured 176 people at the marathon.",
                          "The pipe bombs killed two and injured 180 in 1996 at the Olympics in Atlanta."]})
    arts = pd.DataFrame({"article_id": list("abc"), "published": ["2013-04-16", "2013-04-16", "2013-04-17"]})
    c = F.fact_conflicts(F.extract_facts(s, articles=arts), articles=arts, min_overlap=0.0)
    # 1996's 100 and 180 injured are compared (a misreport); neither is compared with 2013's 176
    assert c[["fact_a", "fact_b"]].values.tolist() == [["100 casualties", "180 casualties"]]
    # the rule reads the years from the facts table: without them 100 (1996) is compared with 176 (2013)
    f = F.extract_facts(s, articles=arts)
    c = F.fact_conflicts(f[f.unit != "year"], articles=arts, min_overlap=0.0)
    assert ["100 casualties", "176 casualties"] in c[["fact_a", "fact_b"]].values.tolist()
    # without publication dates every year named counts, so the same holds
    c = F.fact_conflicts(F.extract_facts(s), min_overlap=0.0)
    assert c[["fact_a", "fact_b"]].values.tolist() == [["100 casualties", "180 casualties"]]
