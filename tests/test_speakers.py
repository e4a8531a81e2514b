"""Speakers on two sets of real articles (issue 17), and the phrase reader's shapes.

``tests/data/speakers_test.tsv`` holds 132 quotations hand-labelled with their true speakers
in 10 articles (10 outlets, 4 corpora of ``shared/corpus``), ``speakers_final.tsv`` 40 in 5
more; their texts are stored beside them, so the tests run without the shared corpus. Both
were labelled before the rules saw them (first scores 0.598 and 0.657) and both are now
development data: their errors were read while the rules changed. The held-out figure of the
third pass is the lead's, on a set this module does not read. See ``tests/data/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import quotes as Q
from analysis.clean import fold_for_matching
from analysis.quotes.speakers import read_speaker
from analysis.sentences import split_sentences
from tests.test_quotes import DEV_LABELS, same_speaker, score_speakers

DATA = Path(__file__).parent / "data"
TEST_LABELS = DATA / "speakers_test.tsv"
TEST_ARTICLES = DATA / "speakers_test_articles.jsonl"
FINAL_LABELS = DATA / "speakers_final.tsv"  # labelled after all rule changes, scored once
FINAL_ARTICLES = DATA / "speakers_final_articles.jsonl"
# Test-set floors: a little below what the rules (speakers="rules") score (recall 1.000 = 132/132
# since mixed quotation marks pair, speaker accuracy 0.955 = 126/132 on body quotations; 0.598 =
# 76/127 before issue 17's second pass, 0.811 after it). The set's errors were read while the
# rules changed, so these are regression guards of the rules, not held-out figures.
RECALL_FLOOR = 0.95
ACCURACY_FLOOR = 0.93


def load_test_set(labels_path=TEST_LABELS, articles_path=TEST_ARTICLES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (labels, articles) of a held-out speaker set; articles keyed "corpus/article_id"."""
    labels = pd.read_csv(labels_path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    arts = pd.read_json(articles_path, lines=True, dtype=False)
    arts = arts.assign(article_id=arts["corpus"] + "/" + arts["article_id"])
    return labels, arts[["article_id", "outlet", "headline", "text"]]


def score_stored_set(labels_path, articles_path, speakers: str) -> tuple[float, float, list, int]:
    """Extract quotations (no alias file) from a stored set's articles and score their body text."""
    labels, arts = load_test_set(labels_path, articles_path)
    quotes = Q.extract_quotes(arts, split_sentences(arts), aliases=None, speakers=speakers)
    return score_speakers(labels, quotes[quotes[Q.LOCATION] == "text"].reset_index(drop=True))


@pytest.fixture(scope="module")
def held_out():
    labels, arts = load_test_set()
    quotes = Q.extract_quotes(arts, split_sentences(arts), aliases=None, speakers="rules")  # the rules' guard
    body = quotes[quotes[Q.LOCATION] == "text"].reset_index(drop=True)  # the labels are of body text
    return labels, arts, body


def test_test_set_is_independent_and_well_formed(held_out):
    """At least 100 quotations, 8 outlets, 3 corpora; no article of the dev files; each snippet in its text."""
    labels, arts, _ = held_out
    assert len(labels) >= 100 and labels["outlet"].nunique() >= 8 and labels["corpus"].nunique() >= 3
    dev = pd.read_csv(DEV_LABELS, sep="\t", dtype=str, keep_default_na=False)
    dev_entities = (DATA / "entities_dev.yaml").read_text(encoding="utf-8")
    for aid in labels["article_id"].unique():
        assert aid not in set(dev["article_id"]) and f"id: {aid}" not in dev_entities, aid
    text = dict(zip(arts["article_id"], arts["text"].map(lambda t: fold_for_matching(t).lower()), strict=True))
    for r in labels.itertuples(index=False):
        assert fold_for_matching(r.quote).lower() in text[f"{r.corpus}/{r.article_id}"], (r.article_id, r.quote)
        assert r.speaker and r.evidence, (r.article_id, r.quote)
    with open(TEST_ARTICLES, encoding="utf-8") as f:
        assert all(json.loads(line)["text"] for line in f)


def test_speakers_on_held_out_articles(held_out):
    """Recall and speaker accuracy on the held-out set, with no alias file (floors above)."""
    labels, _, body = held_out
    recall, accuracy, errors, n = score_speakers(labels, body)
    found = round(recall * n)
    print(f"held-out: {n} labelled quotations, recall {recall:.3f} ({found}/{n}), "
          f"speaker accuracy {accuracy:.3f} ({round(accuracy * found)}/{found})")
    for e in errors:
        print("  ", e)
    assert recall >= RECALL_FLOOR, errors
    assert accuracy >= ACCURACY_FLOOR, errors


def test_speakers_on_final_check_set():
    """40 quotations of 5 more articles (5 new outlets), labelled after the second pass's rule changes.

    Scored once then: recall 0.875 (35/40), speaker accuracy 0.657 (23/35); that stays the
    held-out figure of the second pass. In the third pass this set became development data:
    its errors were read and the rules changed for their causes, so today's figures (recall
    1.000 = 40/40 now that one quotation may serve several labelled paragraphs, accuracy 0.925 =
    37/40; the session-start code scores 0.600 = 24/40 with the same scorer) are not held out.
    Floors just below them (a regression guard of ``speakers="rules"``, not a target).
    """
    labels, arts = load_test_set(FINAL_LABELS, FINAL_ARTICLES)
    assert len(labels) == 40 and labels["outlet"].nunique() == 5
    seen = set(pd.read_csv(TEST_LABELS, sep="\t", dtype=str, comment="#")["outlet"])
    seen |= set(pd.read_csv(DEV_LABELS, sep="\t", dtype=str)["outlet"])
    assert not set(labels["outlet"]) & seen
    quotes = Q.extract_quotes(arts, split_sentences(arts), aliases=None, speakers="rules")
    recall, accuracy, errors, n = score_speakers(labels, quotes[quotes[Q.LOCATION] == "text"].reset_index(drop=True))
    print(f"final check set: {n} quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    assert recall >= 0.97 and accuracy >= 0.90, errors


def test_scoring_counts_by_hand():
    """score_speakers on a hand-made table: one right, one wrong, one not found."""
    labels = pd.DataFrame({"corpus": "c", "article_id": "a", "quote": ["one", "two", "three"],
                           "speaker": ["Ted Cruz", "Raj Shah", "Ann Coulter"]})
    quotes = pd.DataFrame({"article_id": "c/a", Q.QUOTE: ["One.", "Two, yes."], Q.SPEAKER: ["Cruz", "White House"],
                           Q.CUE: ["after", "after"]})
    recall, accuracy, errors, n = score_speakers(labels, quotes)
    assert (n, recall, accuracy) == (3, 2 / 3, 1 / 2)
    assert [e[-1] for e in errors] == ["after", "NOT FOUND"]
    # one quotation over two labelled paragraphs serves both; a repeated snippet needs a second quotation
    labels = pd.DataFrame({"corpus": "c", "article_id": "a", "quote": ["one", "two", "one", "one"],
                           "speaker": "Ted Cruz"})
    quotes = pd.DataFrame({"article_id": "c/a", Q.QUOTE: ["One. Two.", "One more."], Q.SPEAKER: ["Cruz", "Rubio"],
                           Q.CUE: "after"})
    recall, accuracy, errors, n = score_speakers(labels, quotes)
    assert (n, recall, accuracy) == (4, 3 / 4, 2 / 3)
    assert [e[-1] for e in errors] == ["after", "NOT FOUND"]
    assert same_speaker("R. H. Tawney", "R. H. Tawney") and not same_speaker("R", "R. H. Tawney")


@pytest.mark.parametrize("text, pos, name, kind, role", [
    # initials and dotted acronyms do not end the phrase
    ("The early 20th-century British writer R. H. Tawney noted", 0, "R. H. Tawney", "person",
     "The early 20th-century British writer"),
    ("said U.N. Secretary-General António Guterres on Monday", 5, "António Guterres", "person",
     "U.N. Secretary-General"),
    # a document or body of an institution names the institution
    ("accused in a recent Washington Post editorial that", 11, "Washington Post", "organization", ""),
    ("reads a U.S. proposal presented to the council.", 6, "U.S.", "organization", ""),
    ("the Bush campaign wrote in a memo", 0, "Bush campaign", "organization", ""),
    ("Russia’s U.N. mission wrote Thursday", 0, "Russia’s U.N. mission", "organization", ""),
    # unchanged shapes
    ("said Republican strategist Ron Bonjean. Next", 5, "Ron Bonjean", "person", "Republican strategist"),
    ("said the White House on Friday", 5, "White House", "organization", ""),
])
def test_read_speaker_shapes(text, pos, name, kind, role):
    got = read_speaker(text, pos)
    assert (got.name, got.type, got.role) == (name, kind, role)


@pytest.mark.parametrize("text, pos", [
    ("said the Russian statement.", 5),  # a nationality before a document: no one named
    ("said a Trump statement.", 5),  # a person's document: left to the caller, not read as a speaker
    ("said the campaign.", 5),  # a lower-case description
    ("said one senior House Republican source.", 5),  # an anonymous source
    ("said the U.S. The next day", 5),  # a sentence-final acronym then a new sentence: no name read
    ("Another yell of protest", 0),  # a determiner is no name
])
def test_read_speaker_reads_no_one(text, pos):
    assert read_speaker(text, pos) is None
