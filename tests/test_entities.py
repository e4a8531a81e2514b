"""Tests for analysis.entities: alias files, proposals without a file, mention finding."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import entities as E
from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import AnalysisError


def _sentences(*texts: str, outlet: str = "X") -> pd.DataFrame:
    """A sentence table of one article whose text is the sentences joined by one space."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return pd.DataFrame({
        S.SENTENCE_ID: [f"a/{i}" for i in range(len(texts))], S.ARTICLE_ID: "a",
        S.OUTLET: outlet, S.START: starts, S.SENTENCE_TEXT: list(texts),
    })


def _write(tmp_path, text: str):
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped():
    return E.load_aliases(E.SHIPPED_ALIASES)


@pytest.fixture(scope="module")
def bundled_mentions(bundled_sentences, shipped):
    return E.find_mentions(bundled_sentences, aliases=shipped)


# ------------------------------------------------------------------------- alias files
def test_shipped_file_has_the_people_of_the_corpus(shipped):
    people = set(shipped.loc[shipped[E.ENTITY_TYPE] == "person", E.ENTITY])
    assert {"Miguel Díaz-Canel", "Donald Trump", "Marco Rubio", "Claudia Sheinbaum",
            "Bruno Rodríguez", "Nicolás Maduro", "Mike Hammer", "Jorge Piñón", "Chris Wright",
            "Cilia Flores", "Fidel Castro", "Barack Obama", "Hugo Chávez"} <= people
    assert list(shipped.columns) == list(E.ALIAS_COLUMNS)
    # every folded alias belongs to exactly one entity
    keys = shipped[E.ALIAS].map(lambda a: " ".join(fold_for_matching(a).split()))
    assert keys.groupby(keys).apply(lambda k: shipped.loc[k.index, E.ENTITY].nunique()).max() == 1


def test_ambiguous_role_is_not_shipped(shipped):
    # 002: "Rubio could become Cuba's president" -- not Díaz-Canel
    assert "cuba's president" not in set(shipped[E.ALIAS].map(fold_for_matching))


@pytest.mark.parametrize("text, message", [
    ("entities: [", "not valid UTF-8 YAML"),
    ("people: []", "top-level 'entities:'"),
    ("entities:\n  - type: person\n", "entity #1: missing or empty 'name'"),
    ("entities:\n  - name: A\n    type: robot\n", "type 'robot' is not one of"),
    ("entities:\n  - name: A\n    aliases: B\n", "'aliases' must be a list"),
    ("entities:\n  - name: A\n    colour: red\n", "unknown key(s) ['colour']"),
    ("entities:\n  - name: A\n  - name: A\n", "repeats the name 'A'"),
    ("entities:\n  - name: Raúl Castro\n    surnames: [Castro]\n"
     "  - name: Fidel Castro\n    surnames: [CASTRO]\n",
     "alias 'CASTRO' of entity #2 ('Fidel Castro') is already an alias of 'Raúl Castro'"),
])
def test_bad_alias_files_name_file_and_entry(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(E.AliasError) as err:
        E.load_aliases(path)
    assert message in str(err.value) and str(path) in str(err.value)
    assert isinstance(err.value, AnalysisError)


def test_missing_alias_file(tmp_path):
    with pytest.raises(E.AliasError, match="not found"):
        E.load_aliases(tmp_path / "nope.yaml")


def test_folded_duplicates_within_one_entity_are_kept_once(tmp_path):
    path = _write(tmp_path, "entities:\n  - name: Díaz-Canel\n    type: person\n"
                            "    aliases: [Diaz-Canel, DÍAZ-CANEL]\n    roles: [the leader]\n")
    got = E.load_aliases(path)
    assert got[[E.ALIAS_KIND, E.ALIAS]].values.tolist() == [["name", "Díaz-Canel"],
                                                            ["role", "the leader"]]


# ------------------------------------------------------------------------------ mentions
@pytest.mark.parametrize("text, expected", [
    # accent, hyphen and case variants all resolve to the one canonical name
    ("Díaz-Canel spoke.", [("Miguel Díaz-Canel", "surname", "Díaz-Canel")]),
    ("Diaz-Canel spoke.", [("Miguel Díaz-Canel", "surname", "Diaz-Canel")]),
    ("DIAZ CANEL spoke.", [("Miguel Díaz-Canel", "surname", "DIAZ CANEL")]),
    ("Miguel Díaz Canel spoke.", [("Miguel Díaz-Canel", "name", "Miguel Díaz Canel")]),
    # a role directly before the name is one mention, not two
    ("Cuban President Miguel Díaz-Canel spoke.",
     [("Miguel Díaz-Canel", "name", "Cuban President Miguel Díaz-Canel")]),
    # possessive: the mention stops before the apostrophe
    ("Trump’s threats grew.", [("Donald Trump", "surname", "Trump")]),
    # longest match wins: an organisation named after a person is not the person
    ("The Trump administration acted.", [("US government", "name", "The Trump administration")]),
    # whole words only; lower-case "hammer" is not Mike Hammer; "us" is not the US
    ("They hammer us with Trumpism.", []),
    ("Hammer met the US envoy.", [("Mike Hammer", "surname", "Hammer"),
                                  ("United States", "name", "US")]),
    ("the Cuban leader said", [("Miguel Díaz-Canel", "role", "the Cuban leader")]),
    # the unambiguous-role rule: a hypothetical president of Cuba is not Díaz-Canel
    ("Rubio could become Cuba's president.", [("Marco Rubio", "surname", "Rubio"),
                                              ("Cuba", "name", "Cuba")]),
    ("Jorge Piñón and Pinon.", [("Jorge Piñón", "name", "Jorge Piñón"),
                                ("Jorge Piñón", "surname", "Pinon")]),
])
def test_find_mentions_cases(shipped, text, expected):
    got = E.find_mentions(_sentences(text), aliases=shipped)
    assert [tuple(r) for r in got[[E.ENTITY, E.ALIAS_KIND, E.SURFACE]].values] == expected


def test_offsets_point_into_article_text(bundled_articles, bundled_mentions):
    texts = bundled_articles.set_index(S.ARTICLE_ID)[S.TEXT]
    got = [texts[a][s:e] for a, s, e in bundled_mentions[[S.ARTICLE_ID, S.START, S.END]].values]
    assert got == bundled_mentions[E.SURFACE].tolist()
    assert list(bundled_mentions.columns) == list(E.MENTION_COLUMNS)


def test_no_overlapping_mentions(bundled_mentions):
    for _, part in bundled_mentions.groupby(S.ARTICLE_ID):
        ends = part.sort_values(S.START)
        assert (ends[S.START].to_numpy()[1:] >= ends[S.END].to_numpy()[:-1]).all()


def test_bundled_variants_merge(bundled_mentions):
    # hand count from data/raw: the Cuban president is written "Miguel Díaz Canel" (000),
    # "Miguel Diaz-Canel" (001, 003), "Miguel Díaz-Canel" (002), surnames "Díaz-Canel" /
    # "Diaz-Canel", and "The Cuban leader" (002)
    dc = bundled_mentions[bundled_mentions[E.ENTITY] == "Miguel Díaz-Canel"]
    folded = set(dc[E.SURFACE].map(fold_for_matching))
    assert {"diaz-canel", "cuban president miguel diaz canel", "miguel diaz-canel",
            "the cuban leader"} <= folded
    assert set(dc[S.ARTICLE_ID].str[:3]) == {"000", "001", "002", "003"}  # 004 never names him
    assert len(dc) == 17
    maduro = bundled_mentions[bundled_mentions[E.ENTITY] == "Nicolás Maduro"]
    assert {"Nicolas Maduro", "Maduro"} <= set(maduro[E.SURFACE].str.replace(
        r"^Venezuelan (President|leader) ", "", regex=True))
    assert (bundled_mentions[E.ENTITY] == "Donald Trump").sum() == 40


def test_aliases_none_uses_proposals():
    s = _sentences("Miguel Díaz-Canel spoke.", "Diaz-Canel spoke again.")
    got = E.find_mentions(s)
    assert got[E.ENTITY].unique().tolist() == ["Miguel Díaz-Canel"]
    assert got[E.SURFACE].tolist() == ["Miguel Díaz-Canel", "Diaz-Canel"]


def test_find_mentions_checks_columns():
    with pytest.raises(AnalysisError, match="lacks column"):
        E.find_mentions(pd.DataFrame({"sentence_text": ["x"]}))


def test_find_mentions_does_not_mutate(shipped):
    s = _sentences("Trump spoke.")
    before = s.copy()
    E.find_mentions(s, aliases=shipped)
    pd.testing.assert_frame_equal(s, before)


# ----------------------------------------------------------------------------- proposals
def test_proposals_on_bundled_corpus(bundled_sentences):
    p = E.propose_entities(bundled_sentences)
    by = p.groupby(E.ENTITY)[E.ALIAS].apply(set).to_dict()
    dc = next(k for k in by if fold_for_matching(k) == "miguel diaz-canel")
    # accent, hyphen/space and surname variants merged into one entity
    assert {"Miguel Díaz Canel", "Miguel Diaz-Canel", "Miguel Díaz-Canel", "Díaz-Canel",
            "Diaz-Canel"} <= by[dc]
    assert by["Donald Trump"] == {"Donald Trump", "Trump"}  # "President Trump", "Trump’s"
    assert {"Nicolas Maduro", "Nicolás Maduro", "Maduro"} <= by["Nicolas Maduro"]
    assert by["Mike Hammer"] == {"Mike Hammer", "Hammer"}  # "... in Cuba Mike Hammer"
    assert "Pinon" in by["Jorge Pinon"]  # surname seen only at sentence starts
    # titles, sentence-initial words, weekdays and shouting are not names
    flat = {fold_for_matching(a) for a in p[E.ALIAS]}
    for bad in ("president", "the us", "monday", "sounds", "meanwhile", "oil", "zero",
                "secretary of state marco rubio", "cuban president miguel diaz canel"):
        assert bad not in flat


def test_proposals_counts_and_min_count():
    s = _sentences("Donald Trump spoke.", "Trump’s aide spoke.", "President Trump left.",
                   "Ana Pérez stayed.")
    p = E.propose_entities(s)
    assert p[[E.ENTITY, E.ALIAS_KIND, E.ALIAS, E.COUNT]].values.tolist() == [
        ["Ana Pérez", "name", "Ana Pérez", 1], ["Donald Trump", "name", "Donald Trump", 1],
        ["Donald Trump", "surname", "Trump", 2]]
    assert E.propose_entities(s, min_count=2)[E.ENTITY].unique().tolist() == ["Donald Trump"]


def test_ambiguous_surname_stays_separate():
    s = _sentences("Fidel Castro ruled.", "Then Raúl Castro ruled.", "Then Castro spoke.")
    p = E.propose_entities(s)
    castro = p[p[E.ALIAS] == "Castro"]
    assert castro[E.ENTITY].tolist() == ["Castro"]


def test_min_count_must_be_positive():
    with pytest.raises(AnalysisError, match="min_count"):
        E.propose_entities(_sentences("Trump."), min_count=0)
