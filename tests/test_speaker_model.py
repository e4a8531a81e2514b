"""Tests for analysis.quotes.model (the learned speaker chooser) and analysis.train_speakers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analysis import quotes as Q
from analysis.errors import ParameterError, ResourceError
from analysis.quotes.attribute import attribute_article
from analysis.quotes.model import (
    MODEL_FILE,
    Candidate,
    RulePick,
    SpeakerModel,
    _bin,
    load_model,
    quotation_candidates,
    with_previous,
    with_rules,
)

ROOT = Path(__file__).resolve().parent.parent


def _mentions(text: str, names: dict) -> list[tuple]:
    """Mentions of every occurrence of each surface: {surface: (entity, type, kind)}."""
    out = []
    for surface, (entity, typ, kind) in names.items():
        at = text.find(surface)
        while at >= 0:
            if not any(a <= at < b for a, b, *_ in out):
                out.append((at, at + len(surface), entity, typ, kind))
            at = text.find(surface, at + 1)
    return sorted(out)


TEXT = ("Jane Doe met John Roe in Paris. “We are ready,” Doe said.\n\n"
        "Roe disagreed with her. “No,” he said.")
NAMES = {"Jane Doe": ("Jane Doe", "person", "name"), "John Roe": ("John Roe", "person", "name"),
         "Doe": ("Jane Doe", "person", "surname"), "Roe": ("John Roe", "person", "surname"),
         "Paris": ("Paris", "place", "name")}


@pytest.fixture(scope="module")
def candidates():
    art, records = attribute_article(TEXT, _mentions(TEXT, NAMES))
    return art, records, quotation_candidates(art, records)


def test_candidates_are_the_rules_pick_the_named_people_and_unattributed(candidates):
    _, records, cands = candidates
    assert [r["cue"] for r in records] == ["after", "after"]
    assert [c.name for c in cands[0]] == ["Jane Doe", "John Roe", Q.UNATTRIBUTED]  # no place
    assert [c.rule for c in cands[0]] == [True, False, False]
    assert [c.name for c in cands[1] if c.rule] == ["John Roe"]  # "he" resolved by the rules


def test_features_of_an_invented_sentence(candidates):
    _, _, cands = candidates
    doe, roe, unattributed = (set(c.features) for c in cands[0])
    # "“We are ready,” Doe said.": right after the quotation, the verb right after the name
    assert {"rule", "rule|cue=after", "rule|via=surname", "side=after", "dchar=<3", "dsent=<1", "dpar=<1",
            "verb_right_after", "type=person", "kind=surname", "rank=0",
            "q:opens_sentence&verb_right_after", "q:then_name_verb&verb_right_after"} <= doe
    assert "mentions_before=<2" in doe  # "Jane Doe" named once before the quotation
    # "Jane Doe met John Roe in Paris.": before, the sentence's object, not its subject
    assert {"side=before", "other|cue=after", "rank_before=0", "dsent=<2", "kind=name", "rank=1"} <= roe
    assert "subject" not in roe and "verb_right_after" not in roe and "rule" not in roe
    roe2 = next(c for c in cands[1] if c.name == "John Roe")  # "Roe disagreed with her."
    assert {"subject", "side=before", "rule", "rule|via=pronoun"} <= set(roe2.features)
    assert "q:then_pronoun_verb&unattributed" in cands[1][-1].features
    assert {"unattributed", "unattributed|cue=after", "unattributed|n=<4"} <= unattributed


def test_gender_feature_from_the_pronoun_after_the_quotation():
    text = "Mrs. Ann Lee and Mr. Bo Kim spoke. “Yes,” she said."
    names = {"Ann Lee": ("Ann Lee", "person", "name"), "Bo Kim": ("Bo Kim", "person", "name")}
    art, records = attribute_article(text, _mentions(text, names))
    got = {c.name: c.features for c in quotation_candidates(art, records)[0]}
    assert "gender=same" in got["Ann Lee"] and "gender=other" in got["Bo Kim"]
    assert "q:then_pronoun_verb&unattributed" in got[Q.UNATTRIBUTED]


@pytest.mark.parametrize("x, label", [(0, "<1"), (1, "<2"), (4, "<5"), (5, ">=5"), (99, ">=5")])
def test_bins(x, label):
    assert _bin(x, (1, 2, 3, 5)) == label


def _cand(name, *features, rule=False):
    return Candidate(name, "person", "name", name, "", rule, tuple(features))


def test_with_rules_marks_the_pick_adds_an_unread_name_and_treats_an_unresolved_pronoun_as_no_one():
    base = [_cand("Ted Cruz", "a"), _cand("Bo Kim", "b"), Candidate(Q.UNATTRIBUTED, "none", "none", "", "", False,
                                                                   ("unattributed",))]
    out = with_rules(base, RulePick("Cruz", "person", "surname", "Cruz", "Sen.", "after", "surname"))
    assert [c.name for c in out if c.rule] == ["Ted Cruz"]  # the surname agrees
    assert out[0].role == "Sen." and "rule|cue=after" in out[0].features and "other|cue=after" in out[1].features
    out = with_rules(base, RulePick("Ron Bonjean", "person", "unlisted", "strategist Ron Bonjean", "", "after",
                                    "unlisted"))
    assert out[0].name == "Ron Bonjean" and out[0].rule and "unmentioned" in out[0].features and len(out) == 4
    out = with_rules(base, RulePick("he", "none", "none", "", "", "after", "pronoun"))
    assert [c.name for c in out if c.rule] == [Q.UNATTRIBUTED]
    assert "unattributed|rule_unresolved" in out[-1].features


def test_with_previous_marks_only_the_previous_speaker():
    base = [_cand("A", "x"), _cand("B", "y"), Candidate(Q.UNATTRIBUTED, "none", "none", "", "", False,
                                                        ("unattributed", "q:opens_paragraph&unattributed"))]
    out = with_previous(base, "B")
    assert out[1].features == ("y", "previous_pick", "q:opens_paragraph&previous_pick")
    assert out[0] == base[0] and out[2] == base[2]
    assert with_previous(base, None) is base


def test_model_scores_by_hand():
    m = SpeakerModel({"weights": {"a": 1.0, "b": 2.5, "c": -1.0}, "intercept": -0.5})
    cands = [_cand("A", "a", "c"), _cand("B", "b"), _cand("C", "a", "zzz")]
    assert [m.score(c) for c in cands] == [-0.5, 2.0, 0.5]
    assert m.choose(cands) == 1
    assert m.choose([_cand("A", "a"), _cand("B", "a")]) == 0  # ties: the first


def test_bad_model_and_bad_option_are_refused(tmp_path, bundled_articles, bundled_sentences):
    with pytest.raises(ResourceError, match="weights"):
        SpeakerModel({"intercept": 0})
    bad = tmp_path / "m.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ResourceError, match="m.json"):
        load_model(bad)
    with pytest.raises(ParameterError, match="'rules'"):
        Q.extract_quotes(bundled_articles, bundled_sentences, speakers="parser")


def test_model_keeps_rows_and_columns_and_changes_only_speakers(bundled_articles, bundled_sentences):
    rules = Q.extract_quotes(bundled_articles, bundled_sentences)  # the default
    model = Q.extract_quotes(bundled_articles, bundled_sentences, speakers="model")
    again = Q.extract_quotes(bundled_articles, bundled_sentences, speakers="model")
    assert list(model.columns) == list(rules.columns) and model.dtypes.equals(rules.dtypes)
    assert model.equals(again)  # deterministic
    same = ["article_id", "quote_id", "start_char", "end_char", "quote", "verb", "group", "location"]
    assert model[same].equals(rules[same])
    kept = model[Q.CUE] != "model"
    assert model[kept].equals(rules[kept])
    changed = model[~kept]
    assert (changed[Q.SPEAKER] != rules.loc[~kept, Q.SPEAKER]).all()
    # on the bundled corpus (written on by the rules) the model overrules 2 of 54, both right -> wrong (read by
    # hand: Donald Trump's "Sounds good to me!" and "make a deal soon"; README, "Which to use after the fifth
    # pass": the default stays rules)
    assert (len(model), len(changed)) == (54, 2)


def test_shipped_model_loads():
    m = load_model()
    assert m.meta["n_quotations"] >= 300 and "rule" in m.weights and m.weights["verb_right_after"] > 0
    assert m.meta["rule_features_from"] == {"dev": "ddb78ba", "test": "b9012b4", "final": "708d65b",
                                            "holdout": "cc7734f", "fresh": "060955a", "blind": "2d1ab11"}
    assert m.meta["n_quotations"] == 655 and "speakers_blind.tsv" in m.meta["trained_on"]  # all six sets
    assert m.meta["c"] == 0.03


@pytest.mark.skipif(not Path("/work/shared/corpus").is_dir(), reason="speakers_dev.tsv's articles are there")
def test_retraining_gives_the_shipped_model(tmp_path):
    """python -m analysis.train_speakers writes the same bytes as analysis/resource_files/speaker_model.json."""
    for ref in ("ddb78ba", "b9012b4", "708d65b", "cc7734f", "060955a", "2d1ab11"):
        if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", ref], capture_output=True).returncode:
            pytest.skip(f"commit {ref} not in this checkout")
    from analysis import train_speakers

    out = tmp_path / "speaker_model.json"
    assert train_speakers.main(["--out", str(out)]) == 0
    assert out.read_bytes() == MODEL_FILE.read_bytes()


@pytest.mark.parametrize("name, right, found", [("test", 114, 132), ("final", 39, 40), ("holdout", 75, 110),
                                                ("fresh", 87, 111), ("blind", 100, 111)])
def test_model_on_the_stored_sets(name, right, found):
    """speakers="model" on the five stored sets (its own training data since the sixth pass: not held out).

    A regression guard: the counts it scores now. Today's rules score 126/132, 37/40, 76/110,
    89/111 and 107/111 there (written on the first two, changed on the other three's errors); the
    held-out comparison is leave-one-set-out in ``python -m analysis.train_speakers --cv`` (README,
    509/661 against 423/661 for the rules before each set was labelled; on the blind set, the one
    the rules before it had matured on, 91/111 against 95/111) and the lead's score of the sealed
    set.
    """
    from analysis.sentences import split_sentences
    from analysis.train_speakers import load_set
    from tests.test_quotes import score_speakers

    labels, arts, _ = load_set(name)
    quotes = Q.extract_quotes(arts, split_sentences(arts), aliases=None, speakers="model")
    recall, accuracy, errors, n = score_speakers(labels, quotes[quotes[Q.LOCATION] == "text"].reset_index(drop=True))
    assert (round(recall * n), round(accuracy * recall * n)) == (found, right), errors


@pytest.mark.parametrize("text, joined", [
    ("Republican strategist Ron Bonjean", True), ("Virginia Gov.-elect Terry McAuliffe", True),
    ("White House spokesman Raj Shah", True), ("NBC's Kelly O'Donnell", True),
    ("Jane Doe met John Roe", False), ("Obama, Romney", False), ("Cruz. Rubio", False),
])
def test_a_name_that_only_modifies_the_next(text, joined):
    from analysis.quotes.model import _modifies

    first, last = {"Republican strategist Ron Bonjean": (10, 23), "Virginia Gov.-elect Terry McAuliffe": (8, 20),
                   "White House spokesman Raj Shah": (11, 22), "NBC's Kelly O'Donnell": (3, 6),
                   "Jane Doe met John Roe": (8, 13), "Obama, Romney": (5, 7), "Cruz. Rubio": (4, 6)}[text]
    assert _modifies(text, first, last) is joined


def test_a_modifier_is_no_candidate_and_passes_the_rules_pick_to_its_head():
    text = "“We will win,” said Republican strategist Ron Bonjean."
    names = {"Republican": ("Republican", "organization", "name"), "Ron Bonjean": ("Ron Bonjean", "person", "name")}
    art, records = attribute_article(text, _mentions(text, names))
    shape = quotation_candidates(art, records, rules=False)[0]
    assert [(c.name, c.head) for c in shape] == [("Republican", "Ron Bonjean"), ("Ron Bonjean", ""),
                                                  (Q.UNATTRIBUTED, "")]
    assert "modifies_name" in shape[0].features and "verb_right_before" not in shape[0].features
    assert "verb_right_before" in shape[1].features  # the phrase's verb is the head's: "said Republican ..."
    out = with_rules(shape, RulePick("Republican", "organization", "name", "Republican", "", "after", "name"))
    assert [(c.name, c.rule) for c in out] == [("Ron Bonjean", True), (Q.UNATTRIBUTED, False)]
