"""Tests for analysis.entities: alias files, proposals without a file, mention finding."""

from __future__ import annotations

from pathlib import Path

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


def test_find_mentions_builds_one_automaton_per_alias_table_and_a_new_one_when_it_changes(shipped, monkeypatch):
    # patch the namespace E.find_mentions runs in: pytest's --doctest-modules may import
    # analysis/entities/mentions.py a second time, and `from analysis.entities import mentions`
    # would then give the second module, not the one E.find_mentions reads
    scope = E.find_mentions.__globals__
    real, builds = scope["_automaton"], []
    monkeypatch.setitem(scope, "_BUILT", type(scope["_BUILT"])())  # none built yet
    monkeypatch.setitem(scope, "_automaton", lambda a, titled=False: builds.append(titled) or real(a, titled=titled))
    s = _sentences("Hammer met Rubio.")
    first = E.find_mentions(s, aliases=shipped)
    again = E.find_mentions(s, aliases=shipped.copy())  # an equal table (the next chunk's call)
    assert builds == [True] and again.equals(first) and list(first[E.SURFACE]) == ["Hammer", "Rubio"]
    edited = shipped.copy()
    edited.loc[edited[E.ALIAS] == "Rubio", E.ALIAS] = "Rubi"  # one alias changed: a new table
    assert list(E.find_mentions(s, aliases=edited)[E.SURFACE]) == ["Hammer"] and builds == [True, True]


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
        ["Ana Pérez", "name", "Ana Pérez", 1], ["Ana Pérez", "surname", "Pérez", 0],  # implied surname
        ["Donald Trump", "name", "Donald Trump", 1], ["Donald Trump", "surname", "Trump", 2]]
    assert E.propose_entities(s, min_count=2)[E.ENTITY].unique().tolist() == ["Donald Trump"]


def test_ambiguous_surname_stays_separate():
    s = _sentences("Fidel Castro ruled.", "Then Raúl Castro ruled.", "Then Castro spoke.")
    p = E.propose_entities(s)
    castro = p[p[E.ALIAS] == "Castro"]
    assert castro[E.ENTITY].tolist() == ["Castro"]


def test_min_count_must_be_positive():
    with pytest.raises(AnalysisError, match="min_count"):
        E.propose_entities(_sentences("Trump."), min_count=0)


# ------------------------------------------------------- proposals on real-news sentence shapes
def _proposed(*texts: str) -> pd.DataFrame:
    return E.propose_entities(pd.DataFrame({S.SENTENCE_TEXT: list(texts)}))


def _people(p: pd.DataFrame) -> dict[str, set[str]]:
    """Person entity -> the forms seen in the text (implied surnames, count 0, left out)."""
    pp = p[(p[E.ENTITY_TYPE] == "person") & (p[E.COUNT] > 0)]
    return pp.groupby(E.ENTITY)[E.ALIAS].apply(set).to_dict()


def test_calendar_words_party_tags_shouting_and_title_lines_are_not_names():
    p = _proposed("Brett Kavanaugh Sworn In As Newest Supreme Court Justice",
                  "Judge Brett Kavanaugh Friday denied the claims.", "Democrats said Brett Kavanaugh IS unfit.",
                  "UNLESS Jeff Flake votes no, the nomination passes.",
                  "Sen. Jeff Flake (R-AZ) spoke in Minnesota Thursday.", "Sen. Lisa Murkowski (R-AK) was undecided.")
    flat = {fold_for_matching(a) for a in p[E.ALIAS]}
    for junk in ("brett kavanaugh friday", "brett kavanaugh is", "unless jeff flake", "minnesota thursday",
                 "r-ak", "r-az", "is", "unless", "newest supreme court justice", "sworn"):
        assert junk not in flat
    assert _people(p) == {"Brett Kavanaugh": {"Brett Kavanaugh"}, "Jeff Flake": {"Jeff Flake"},
                          "Lisa Murkowski": {"Lisa Murkowski"}}
    assert p.set_index(E.ALIAS).loc["Minnesota", E.ENTITY_TYPE] == "place"  # "in Minnesota"


def test_titles_are_cut_and_kept():
    p = _proposed("Democratic Senator Richard Blumenthal asked.", "Blumenthal pressed on.",
                  "Former Arkansas Governor Mike Huckabee quit.", "Republican John Kasich left.",
                  "Secretary of State Hillary Clinton spoke.", "Mayor de Blasio said supplies were low.")
    got = p.set_index(E.ALIAS)
    assert got.loc["Richard Blumenthal", E.TITLE] == "Democratic Senator"
    assert got.loc["Blumenthal", E.ENTITY] == "Richard Blumenthal"
    assert got.loc["Mike Huckabee", E.TITLE] == "Former Arkansas Governor"
    assert got.loc["John Kasich", E.TITLE] == "Republican"
    assert "Hillary Clinton" in got.index and "de Blasio" in got.index
    assert not {"Democratic Senator Richard Blumenthal", "Senator", "Republican John Kasich",
                "State Hillary Clinton"} & set(got.index)


def test_surnames_merge_into_the_one_full_name_and_the_trumps_stay_apart():
    p = _proposed("Judge Brett Kavanaugh spoke.", "Mr. Kavanaugh testified.", "Kavanaugh denied it.",
                  "Judge Kavanaugh answered.", "President Donald Trump praised him.", "President Trump spoke.",
                  "Trump said the vote was close.", "Donald Trump called him.", "Donald Trump said again.",
                  "Eric Trump tweeted.", "Ivanka Trump attended.")
    people = _people(p)
    assert people["Brett Kavanaugh"] == {"Brett Kavanaugh", "Kavanaugh"}
    # "Trump" goes to Donald Trump: 3 full-name mentions against 1 each for Eric and Ivanka
    assert people["Donald Trump"] == {"Donald Trump", "Trump"}
    assert people["Eric Trump"] == {"Eric Trump"} and people["Ivanka Trump"] == {"Ivanka Trump"}
    # without a dominant full name a shared surname stays apart (2 against 1 is not 3 to 1)
    p2 = _proposed("Donald Trump spoke.", "Donald Trump left.", "Eric Trump tweeted.", "Then Trump spoke.")
    assert p2.loc[p2[E.ALIAS] == "Trump", E.ENTITY].tolist() == ["Trump"]
    # ... unless the title before the bare surname was written before one full name only
    p3 = _proposed("President Donald Trump spoke.", "Donald Trump left.", "Eric Trump tweeted.",
                   "President Trump spoke.")
    assert p3.loc[p3[E.ALIAS] == "Trump", E.ENTITY].tolist() == ["Donald Trump"]


def test_implied_surnames_find_headline_mentions_but_never_a_shared_or_common_one():
    p = _proposed("Marco Rubio spoke.", "Scott Brown won.", "Jerry Brown lost.", "Will Folks wrote.",
                  "Folks here agree.", "folks agree.")
    implied = p[p[E.COUNT] == 0]
    assert implied[[E.ENTITY, E.ALIAS_KIND, E.ALIAS]].values.tolist() == [["Marco Rubio", "surname", "Rubio"]]


def test_first_names_alone_and_initials_merge():
    p = _proposed("Hillary Clinton won.", "Hillary spoke.", "Donald J. Trump tweeted.", "Donald Trump spoke.",
                  "Chris Wallace asked.", "Chris Christie left.", "Chris, answer me.")
    people = _people(p)
    assert people["Hillary Clinton"] == {"Hillary Clinton", "Hillary"}
    assert people["Donald Trump"] == {"Donald Trump", "Donald J. Trump"}
    assert "Chris" not in people["Chris Wallace"] | people["Chris Christie"]  # two Chrises: not merged


def test_types_from_corpus_evidence():
    p = _proposed("The White House said the vote would come.", "Protesters gathered in Washington.",
                  "The Senate Judiciary Committee met.", "They told CNN so.", "Ted Cruz, 45, said he won.",
                  "Hide Caption 3 of 10", "Hide Caption 4 of 10", "The Obama administration acted.",
                  "President Obama spoke.", "Election Day came.", "Voters in Alabama, Oklahoma and "
                  "South Carolina agreed.")
    t = p.drop_duplicates(E.ENTITY).set_index(E.ENTITY)[E.ENTITY_TYPE].to_dict()
    assert t["White House"] == "organization" and t["Senate Judiciary Committee"] == "organization"
    assert t["CNN"] == "organization" and t["Washington"] == "place" and t["Alabama"] == "place"
    assert t["South Carolina"] == "place"  # listed beside places
    assert t["Ted Cruz"] == "person" and t["Obama"] == "person"  # "the Obama administration" is not "the X"
    assert t["Hide Caption"] == "other" and t["Election Day"] == "other"


def test_link_text_glued_by_a_scraper():
    p = _proposed("Speaker Nancy Pelosi Nancy PelosiMnuchin emerges as key asset MORE (D-Calif.) said it.",
                  "Rep. Thomas Massie Thomas Harold MassieSunday shows preview MORE (R-Ky.) objected.",
                  "Read CNNOpinion pieces.")
    flat = set(p[E.ALIAS])
    assert {"Nancy Pelosi", "Thomas Massie"} <= flat
    assert not {"Nancy Pelosi Nancy", "Thomas Harold", "Read CNNOpinion", "D-Calif", "R-Ky"} & flat


def test_proposals_do_not_mutate_and_are_deterministic():
    s = _sentences("Miguel Díaz-Canel spoke.", "Diaz-Canel spoke again.", "Trump said no.")
    before = s.copy()
    a, b = E.propose_entities(s), E.propose_entities(s.sample(frac=1, random_state=1))
    pd.testing.assert_frame_equal(s, before)
    pd.testing.assert_frame_equal(a, b)  # sentence order does not change the table


# --------------------------------------------------------------------------- alias files out
def test_alias_yaml_round_trip_of_proposals_and_shipped_file(tmp_path, bundled_sentences, shipped):
    p = E.propose_entities(bundled_sentences)
    path = E.write_aliases(p, tmp_path / "sub" / "entities.yaml", corpus="bundled")
    back = E.load_aliases(path)
    # expected: every proposed row, less later variants of one entity that fold to the same form
    rank = p[E.ALIAS_KIND].map({k: i for i, k in enumerate(E.KINDS)})
    want = p.assign(_r=rank, _f=p[E.ALIAS].map(lambda a: " ".join(fold_for_matching(a).split())),
                    _n=p[E.ALIAS] != p[E.ENTITY]).sort_values([E.ENTITY, "_r", "_n"], kind="stable")
    want = want.drop_duplicates([E.ENTITY, "_f"])[list(E.ALIAS_COLUMNS)]
    assert len(want) < len(p)  # the bundled corpus has accent variants ("Nicolas" / "Nicolás")
    assert sorted(map(tuple, back.values)) == sorted(map(tuple, want.values))
    # the shipped, hand-written file survives a write and a read unchanged (roles included)
    again = E.load_aliases(E.write_aliases(shipped, tmp_path / "shipped.yaml"))
    pd.testing.assert_frame_equal(again, shipped)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Alias file") and "corpus: bundled" in text
    assert not list((tmp_path / "sub").glob(".*.tmp"))  # atomic: no temp file left behind


def test_alias_yaml_quotes_what_yaml_would_misread(tmp_path):
    t = pd.DataFrame({E.ENTITY: ["No", "Yes: Party"], E.ENTITY_TYPE: ["person", "organization"],
                      E.ALIAS_KIND: "name", E.ALIAS: ["No", "Yes: Party"]})
    assert E.load_aliases(E.write_aliases(t, tmp_path / "a.yaml"))[E.ENTITY].tolist() == ["No", "Yes: Party"]
    with pytest.raises(E.AliasError, match="unknown"):
        E.aliases_yaml(t.assign(type="robot"))


# ------------------------------------------------------------------------------- mentions
def test_one_pass_matches_the_per_sentence_path(bundled_sentences, shipped):
    from analysis.entities.mentions import _automaton, _sentence_matches

    auto = _automaton(shipped)
    want = []
    for sid, text in zip(bundled_sentences[S.SENTENCE_ID], bundled_sentences[S.SENTENCE_TEXT], strict=True):
        want += [(sid, e, text[a:b]) for a, b, e, _t, _k in _sentence_matches(text, fold_for_matching(text), auto)]
    got = E.find_mentions(bundled_sentences, aliases=shipped)
    assert list(zip(got[S.SENTENCE_ID], got[E.ENTITY], got[E.SURFACE], strict=True)) == want


def test_no_match_across_sentences():
    a = pd.DataFrame({E.ENTITY: ["Ana Pérez"], E.ENTITY_TYPE: "person", E.ALIAS_KIND: "name",
                      E.ALIAS: ["Ana Pérez"]})
    assert E.find_mentions(_sentences("I met Ana", "Pérez left."), aliases=a).empty
    assert E.find_mentions(_sentences("I met Ana Pérez."), aliases=a)[E.SURFACE].tolist() == ["Ana Pérez"]


# ------------------------------------------------------------------ measured on labelled news
def test_score_proposals_by_hand():
    a = pd.DataFrame({E.ENTITY: ["Ted Cruz", "Ted Cruz", "Cruz Jr", "Iowa"], E.ENTITY_TYPE: "person",
                      E.ALIAS_KIND: "name", E.ALIAS: ["Ted Cruz", "Cruz", "Rafael", "Iowa"]})
    m = pd.DataFrame({S.ARTICLE_ID: "x", E.ENTITY: ["Ted Cruz", "Iowa"], E.ENTITY_TYPE: "person"})
    g = pd.DataFrame({"set": "dev", "corpus": "c", S.ARTICLE_ID: "x", E.ENTITY: ["Ted Cruz"] * 3 + ["Mike Lee", "Iowa"],
                      E.ENTITY_TYPE: ["person"] * 4 + ["place"],
                      E.ALIAS: ["Ted Cruz", "Cruz", "Rafael", "Lee", "Iowa"]})
    got = E.score_proposals(a, m, g).set_index("measure")
    # precision: Ted Cruz yes, Iowa no -> 1/2; recall: Cruz found, Lee not -> 1/2
    # gold pairs: (ted cruz, cruz), (ted cruz, rafael), (cruz, rafael) = 3; system pairs: (ted cruz, cruz) = 1
    assert got.loc["person_precision", ["hits", "total"]].tolist() == [1, 2]
    assert got.loc["person_recall", ["hits", "total"]].tolist() == [1, 2]
    assert got.loc["merge_precision", ["hits", "total"]].tolist() == [1, 1]
    assert got.loc["merge_recall", ["hits", "total"]].tolist() == [1, 3]
    assert got.loc["org_place_as_person", ["hits", "total"]].tolist() == [1, 1]


DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def dev_scores():
    if not (DEV / "iowa-caucus-2016").is_dir():
        pytest.skip(f"development corpora not found at {DEV}")
    return E.score_dev_corpora(DEV)


def test_dev_corpora_precision_recall_floors(dev_scores):
    scores, _junk = dev_scores
    got = scores[(scores.corpus == "all") & (scores.set == "dev")].set_index("measure")["value"]
    # measured (README, bench/entities.py --quality): 0.955, 0.985, 1.000, 0.957, 0.012
    assert got["person_precision"] >= 0.93
    assert got["person_recall"] >= 0.96
    assert got["merge_precision"] >= 0.97
    assert got["merge_recall"] >= 0.93
    assert got["org_place_as_person"] <= 0.03
    held = scores[(scores.corpus == "all") & (scores.set == "held-out")].set_index("measure")["value"]
    # four articles labelled after the first tuning: 16/21 = 0.762 precision, 16/17 = 0.941 recall then;
    # 16/19 = 0.842 since "in Sandy Hook we ..." no longer reads as a modifier and "Sign up for Daily
    # Newsletters" is furniture (issue 17, second pass)
    assert held["person_precision"] >= 0.8 and held["person_recall"] >= 0.9


def test_dev_corpora_listed_junk_is_absent(dev_scores):
    _scores, junk = dev_scores
    assert junk.empty, junk.values.tolist()


def test_gold_file_is_well_formed():
    gold, junk = E.load_gold()
    assert gold.groupby(["set", "corpus"])[S.ARTICLE_ID].nunique().to_dict() == {
        ("dev", "abp-2013.jsonl"): 4, ("dev", "iowa-caucus-2016"): 4, ("dev", "midterms-2014"): 4,
        ("dev", "stimulus-2020"): 4, ("held-out", "abp-2013.jsonl"): 4}
    assert (gold[E.ENTITY_TYPE] == "person").sum() > 150 and "Hide Caption" in junk


# --------------------------------------------------------------------------- held-out set (issue 17)
@pytest.fixture(scope="module")
def test_set_scores():
    return E.score_articles()  # the 10 stored articles of tests/data/speakers_test_articles.jsonl


def test_held_out_entity_set_floors(test_set_scores):
    """Proposals on 10 new articles (128 people), labelled before the second pass of issue 17.

    First scored (commit 352fc56): precision 0.790 (113/143), recall 0.883 (113/128), merge recall
    0.792 (38/48), organisations and places as people 0.120 (14/117). Now (README): 0.863, 0.938,
    0.938, 0.068. Floors a little below.
    """
    scores, junk = test_set_scores
    got = scores[scores.corpus == "all"].set_index("measure")
    print(got[["hits", "total", "value"]].round(3).to_string())
    v = got["value"]
    assert v["person_precision"] >= 0.82 and v["person_recall"] >= 0.92
    assert v["merge_precision"] >= 0.97 and v["merge_recall"] >= 0.88
    assert v["org_place_as_person"] <= 0.08
    assert got.loc["person_recall", "total"] == 128
    assert len(junk) <= 14, junk.values.tolist()  # 17 junk strings were proposed as people at first


def test_held_out_gold_is_well_formed():
    gold, junk = E.load_gold(E.evaluate.TEST_GOLD)
    assert gold.groupby("corpus")[S.ARTICLE_ID].nunique().to_dict() == {
        "abp-2013.jsonl": 3, "iowa-caucus-2016": 1, "midterms-2014": 4, "stimulus-2020": 2}
    assert gold.loc[gold[E.ENTITY_TYPE] == "person", [S.ARTICLE_ID, E.ENTITY]].drop_duplicates().shape[0] == 128
    assert {"Photo Bush", "Contagion Rages", "Part-time America"} <= set(junk)
    dev, _ = E.load_gold()
    assert not set(gold[S.ARTICLE_ID]) & set(dev[S.ARTICLE_ID])


def test_gold_table_errors_name_the_file(tmp_path):
    bad = tmp_path / "g.tsv"
    bad.write_text("corpus\tarticle_id\tname\tlabel\tperson\nc\ta\tX\tthing\t\n", encoding="utf-8")
    with pytest.raises(E.AliasError, match=r"g.tsv: label 'thing' in row 1; expected person"):
        E.load_gold(bad)
    bad.write_text("corpus\tarticle_id\tname\n", encoding="utf-8")
    with pytest.raises(E.AliasError, match=r"missing column\(s\) \['label', 'person'\]"):
        E.load_gold(bad)


def test_places_and_titles_the_second_pass_reads():
    """Rules of issue 17's second pass, each on sentences shaped like the held-out errors."""
    p = _proposed("U.N. Secretary-General António Guterres spoke.", "Guterres said so.",
                  "Voters in South Carolina and New Hampshire agreed.", "It came from North Korea.",
                  "Sen. Jeanne Shaheen of New Hampshire said no.", "Bill Clinton signed it.",
                  "Asa Hutchinson in Arkansas, Bruce Rauner in Illinois and Charlie Baker agreed.",
                  "In Illinois, Rauner said so.",
                  "A gunman opened fire at Sandy Hook last December.", "What happened in Sandy Hook we know.",
                  "The Vice-President Joe Biden spoke.")
    t = p.drop_duplicates(E.ENTITY).set_index(E.ENTITY)[E.ENTITY_TYPE].to_dict()
    people = _people(p)
    assert people["António Guterres"] == {"António Guterres", "Guterres"}  # "Secretary-General" is a title
    assert t["South Carolina"] == t["New Hampshire"] == t["North Korea"] == "place"  # place first words
    assert t["Jeanne Shaheen"] == "person" and t["New Hampshire"] == "place"
    assert t["Bill Clinton"] == "person"  # "Bill" first is a first name, not a bill
    assert t["Bruce Rauner"] == t["Asa Hutchinson"] == "person"  # people listed with their places
    assert "Rauner" in people["Bruce Rauner"]  # "In Illinois, Rauner said": two names and a comma are no list
    furniture = _proposed("Sign up for Daily Newsletters", "Photo by Win McNamee/Getty Images",
                          "(Photo: Evan Vucci, AP)", "Evan Vucci said so.")
    kinds = furniture.drop_duplicates(E.ENTITY).set_index(E.ENTITY)[E.ENTITY_TYPE].to_dict()
    assert kinds["Daily Newsletters"] != "person"  # only in short lines with no sentence end ... but
    assert kinds["Win McNamee"] == kinds["Evan Vucci"] == "person"  # ... a photo credit names people
    assert t["Sandy Hook"] == "place"  # "at Sandy Hook last December": "last" starts no noun phrase
    assert "Joe Biden" in people and "Vice-President Joe Biden" not in people


def test_a_surname_with_two_letters_swapped_joins_its_full_name():
    p = _proposed("Chairman Reince Preibus spoke.", "Priebus reportedly declared victory.",
                  "Mr. Cohen said so.", "Then Cohne laughed.", "Ann Cohen agreed.")
    people = _people(p)
    assert people["Reince Preibus"] == {"Reince Preibus", "Priebus"}  # a typo of the writer's (seen in abp-2013)
    assert "Cohne" not in people["Ann Cohen"]  # five letters: too short to trust a swap
    from analysis.entities.propose import _swapped_surnames

    assert _swapped_surnames(["priebus", "smiht", "gerathgy"], {"reince preibus", "jim geraghty"}) == {
        "priebus": "reince preibus"}  # one swap of neighbouring letters only; "gerathgy" is two away
    assert _swapped_surnames(["abcdfe"], {"xavier abcdef", "yann abcdef"}) == {}  # two full names fit: none


def test_candidates_memo_and_reversed_lookbacks_match_the_plain_forms():
    """The memoised, reversed-regex path gives what the plain forward reading gives.

    Reference: the forward regexes of the former code (``([^\\W\\d_]+)\\W*$`` and
    ``\\b(?:said|says|according to)\\s*$`` searched in the 40 characters before a name), and
    ``_candidates`` without a shared memo, on every sentence of the 10 held-out articles.
    """
    import re

    from analysis.entities import candidates as P
    from analysis.resources import stopwords

    prev_word = re.compile(r"([^\W\d_]+)\W*$")
    said_before = re.compile(r"\b(?:said|says|according to)\s*$")
    arts = pd.read_json(E.evaluate.TEST_ARTICLES, lines=True, dtype=False)
    texts = [t for body in arts["text"] for t in body.split("\n") if t.strip()]
    for t in texts:
        for i in range(0, len(t), 7):
            left = t[max(0, i - 40):i]
            fwd, rev = prev_word.search(left), P._PREV_WORD_REV.match(left[::-1])
            assert (fwd.group(1) if fwd else "") == (rev.group(1)[::-1] if rev else ""), left
            assert bool(said_before.search(left)) == bool(P._SAID_BEFORE_REV.match(left[::-1])), left
    stop = frozenset(stopwords("english"))
    common = P._common_words(texts)[0] | stop
    memo: dict = {}
    for t in texts:
        assert P._candidates(t, stop, common, memo) == P._candidates(t, stop, common), t


# --- what stands before a name, and names with Arabic articles (session 21, fresh held-out errors) ----
@pytest.mark.parametrize("texts, person, aliases, not_people", [
    # a role in title case before a name written alone elsewhere; the corpus writes the role in lower case
    (("Author Malcolm Gladwell has a new book.", "The author spoke.", "Malcolm Gladwell said so.",
      "Gladwell agreed."), "Malcolm Gladwell", {"Malcolm Gladwell", "Gladwell"}, {"Author Malcolm Gladwell"}),
    # an organisation's name before a person's: both kept, apart
    (("It is the field, said the head of the National Border Patrol Council Shawn Moran.", "Moran said more."),
     "Shawn Moran", {"Shawn Moran", "Moran"}, {"National Border Patrol Council Shawn Moran"}),
    # a lower-case hyphenated Arabic article belongs to the name; the bare surname merges into it
    (("Anwar al-Awlaki was killed in 2011.", "Officials said Awlaki had inspired the attack."),
     "Anwar al-Awlaki", {"Anwar al-Awlaki", "Awlaki"}, {"Anwar"}),
    # "Bill" first is a first name, so the place after "of" is split off
    (("Senator Bill Frist of Tennessee spoke.", "Frist said no."), "Bill Frist", {"Bill Frist", "Frist"},
     {"Frist of Tennessee", "Bill Frist of Tennessee"}),
    # "adviser" is a title; a full name is not the tail of a rarer, longer name
    (("National Security Adviser Susan Rice said it.", "Susan Rice spoke.", "Susan Rice left.",
      "Rice said so."), "Susan Rice", {"Susan Rice", "Rice"}, {"Security Adviser Susan Rice"}),
])
def test_what_stands_before_a_name(texts, person, aliases, not_people):
    p = E.propose_entities(_sentences(*texts))
    people = p[p[E.ENTITY_TYPE] == "person"]
    assert set(people.loc[people[E.ENTITY] == person, E.ALIAS]) >= aliases, p.values.tolist()
    assert not set(people[E.ENTITY]) & not_people, p.values.tolist()


@pytest.mark.parametrize("text, kept, dropped", [
    ("The Iran-backed Hezbollah fighters and Sunni-led Syria rebels met.", set(),
     {"Iran-backed Hezbollah", "Sunni-led Syria"}),
    ("Ban Ki-moon met Lee Myung-bak, reported Hyung-jin Kim.", {"Ban Ki-moon", "Lee Myung-bak", "Hyung-jin Kim"},
     set()),
    ("A Todd Akin-style remark by Todd Akin drew fire.", {"Todd Akin"}, {"Todd Akin-style"}),
])
def test_compound_modifiers_are_not_names(text, kept, dropped):
    names = set(E.propose_entities(_sentences(text))[E.ALIAS])
    assert kept <= names and not names & dropped, names


@pytest.mark.parametrize("run, initial, names", [
    ("Former Arkansas Governor Mike Huckabee", False, [("Mike Huckabee", "Former Arkansas Governor", 1)]),
    ("Jeanne Shaheen of New Hampshire", False, [("Jeanne Shaheen", "", 0), ("New Hampshire", "", 0)]),
    ("Obama’s", False, [("Obama", "", 0)]),
    ("Meanwhile", True, []),
    ("The  White\tHouse", False, [("White House", "", 0)]),
])
def test_run_names_offsets_point_at_each_name_in_its_run(run, initial, names):
    """What a run gives, with offsets into the run: the text there is the name (spaces collapsed)."""
    from analysis.entities import candidates as P

    got = P._run_names(run, initial, frozenset({"the", "of"}), frozenset({"the", "of", "meanwhile"}))
    assert [(g[2], g[3], g[4]) for g in got] == names
    for first, end, name, *_ in got:
        assert " ".join(run[first:end].split()) == name


# --- proposals read the sentences block by block (session 26, issue 15: bounded memory) ----------
def test_proposals_block_by_block_equal_one_block(monkeypatch, bundled_sentences):
    """Blocks of 3 sentences (word counts, uses and reused repeats folded block by block) give the
    table of one block holding every sentence, on the bundled corpus plus repeated sentences."""
    from analysis.entities import candidates as K
    from analysis.entities import propose as P

    s = pd.concat([bundled_sentences, bundled_sentences.head(7)], ignore_index=True)  # texts written twice
    texts = s[S.SENTENCE_TEXT].astype(str).tolist()
    whole_words = K._common_words(texts)
    monkeypatch.setattr(P, "TEXT_BLOCK", len(s) + 1)
    whole = E.propose_entities(s)
    for block in (1, 3):
        monkeypatch.setattr(K, "TEXT_BLOCK", block)
        monkeypatch.setattr(P, "TEXT_BLOCK", block)
        assert K._common_words(texts) == whole_words
        assert K._common_words(P._TextColumn(s[S.SENTENCE_TEXT])) == whole_words
        pd.testing.assert_frame_equal(E.propose_entities(s), whole)
    repeated = P._repeated(P._TextColumn(s[S.SENTENCE_TEXT]))
    assert repeated.tolist() == s[S.SENTENCE_TEXT].duplicated(keep=False).tolist()  # (no collision here)
    assert repeated.sum() >= 14
