"""Tests for analysis.clean: furniture removal, metadata extraction, folding."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.clean import clean_articles, clean_text, fold_for_matching, parse_date, removals
from analysis.errors import CorpusError, SchemaError


@pytest.mark.parametrize(
    ("raw", "kind", "kept"),
    [
        # related-story box of the kind in data/raw/000
        ("It rained.\nRecommended stories\nlist of 3 itemsend of list\nIt stopped.", "furniture",
         "It rained.\n\nIt stopped."),
        ("Advertisement:\nIt rained.", "furniture", "It rained."),
        # letters footer as in data/raw/001
        ("It rained.\nWyoming Star publishes letters, opinions, and tips submissions as a public "
         "service.", "footer", "It rained."),
        ("It rained.\nWyoming Star Staff", "byline", "It rained."),
        ("By Jane Roe\nIt rained.", "byline", "It rained."),
        # AFP-style crosshead as in data/raw/004
        ("It rained.\n- 'No more oil' -\nIt stopped.", "crosshead", "It rained.\n\nIt stopped."),
        ("It rained.\n  • Published January 14, 2026", "published-line", "It rained."),
        (" date 2026-02-02 US President Donald Trump said Sunday.", "date-prefix",
         "US President Donald Trump said Sunday."),
    ],
)
def test_furniture_is_removed_and_recorded(raw, kind, kept):
    c = clean_text(raw)
    assert c.text == kept
    assert kind in [r["kind"] for r in c.removed]


@pytest.mark.parametrize(
    ("raw", "dateline", "published", "wire", "text"),
    [
        ("HAVANA: Cuba's president denied talks.", "HAVANA", None, None, "Cuba's president denied talks."),
        ("Havana, January 12, 2026 — Díaz-Canel rejected the demand.", "Havana", "2026-01-12", None,
         "Díaz-Canel rejected the demand."),
        ("HAVANA (AFP) — Talks stalled.", "HAVANA", None, "AFP", "Talks stalled."),
        ("Talks stalled.\nSource: AFP", None, None, "AFP", "Talks stalled."),
        # a colon inside a sentence is not a dateline
        ("Trump wrote: it is over.", None, None, None, "Trump wrote: it is over."),
    ],
)
def test_dateline_wire_and_date(raw, dateline, published, wire, text):
    c = clean_text(raw)
    assert (c.dateline, c.published, c.wire, c.text) == (dateline, published, wire, text)


def test_repeated_headline_and_navigation_as_in_001():
    raw = ("Latin America Politics USA World\n\nDiaz-Canel shuts down talk of US–Cuba talks\n\n"
           "Diaz-Canel shuts down talk of US–Cuba talks\nSource: AFP\n\nCuban President spoke.")
    c = clean_text(raw)
    assert c.headline == "Diaz-Canel shuts down talk of US–Cuba talks"
    assert c.text == "Cuban President spoke."
    assert [r["kind"] for r in c.removed] == ["navigation", "headline", "repeated-headline", "wire-credit"]
    assert [r["line"] for r in c.removed] == [1, 3, 5, 6]


def test_given_headline_is_moved_out_of_the_body_even_with_other_quotes():
    c = clean_text("Cuba’s leader denies talks\nHAVANA: He spoke.", headline="Cuba's leader denies talks")
    assert c.headline == "Cuba’s leader denies talks" and c.text == "He spoke." and c.dateline == "HAVANA"


def test_soft_wrapped_lines_are_joined_but_paragraphs_kept():
    c = clean_text("The president said the talks\nwould go on.\nA new paragraph.")
    assert c.text == "The president said the talks would go on.\n\nA new paragraph."


def test_unicode_is_nfc_and_spaces_are_tidied():
    c = clean_text("Di\u0301az-Canel\u00a0 spoke.\u200b\n\u00a0\n\n\nEnd.")
    assert c.text == "Díaz-Canel spoke.\n\nEnd."


def test_ordinary_text_is_left_alone():
    raw = "Cuba is a free nation. No one dictates what we do.\nTrump said: “Sounds good to me!”"
    c = clean_text(raw)
    assert c.removed == [] and c.text == raw.replace("\n", "\n\n")


@pytest.mark.parametrize(("text", "iso"), [
    ("January 12, 2026", "2026-01-12"), ("Jan. 3 2026", "2026-01-03"), ("Sept. 9, 2025", "2025-09-09"),
    ("2026-02-02", "2026-02-02"), ("February 30, 2026", None), ("next Tuesday", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_fold_is_one_char_for_one_char_over_latin_and_punctuation():
    sample = "".join(chr(c) for c in range(0x20, 0x2FF)) + "‘’“”–—…\u00a0İ"
    folded = fold_for_matching(sample)
    assert len(folded) == len(sample)
    assert fold_for_matching("Díaz-Canel") == fold_for_matching("Diaz-Canel") == "diaz-canel"
    assert fold_for_matching("Cuba’s “regime” – Nicolás") == "cuba's \"regime\" - nicolas"


def test_clean_articles_keeps_extras_prefers_given_values_and_does_not_mutate():
    df = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "raw_text": ["Published January 1, 2026\nHi there."],
                       "published": ["2026-01-05"], "extra": ["kept"]})
    before = df.copy()
    out = clean_articles(df)
    pd.testing.assert_frame_equal(df, before)
    assert out.loc[0, "published"] == "2026-01-05"  # the manifest wins over the text
    assert out.loc[0, "extra"] == "kept"
    assert json.loads(out.loc[0, "removed"])[0]["kind"] == "published-line"
    assert list(out.columns[:11]) == ["article_id", "outlet", "published", "headline", "dateline", "wire",
                                      "url", "text", "raw_text", "removed", "source"]


def test_clean_articles_errors():
    with pytest.raises(SchemaError, match="raw_text"):
        clean_articles(pd.DataFrame({"article_id": ["a"], "outlet": ["X"]}))
    with pytest.raises(CorpusError, match="f.txt: no text left"):
        clean_articles(pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "source": ["f.txt"],
                                     "raw_text": ["Recommended stories\nAdvertisement:"]}))


def test_bundled_corpus_cleaning(bundled_articles):
    """Golden facts about the five bundled articles, read off the raw files by hand."""
    a = bundled_articles.set_index("article_id")
    # 000: 'Published' line and the related-stories box removed, standfirst is the headline
    assert a.loc["000_c1997996c60295cf", "published"] == "2026-01-12"
    assert "Recommended stories" not in a.loc["000_c1997996c60295cf", "text"]
    # 001: AFP credit, byline and letters footer removed; headline appears once
    t = a.loc["001_0f4e047e1ce6ea22", "text"]
    assert a.loc["001_0f4e047e1ce6ea22", "wire"] == "AFP"
    assert "Wyoming Star" not in t and "Diaz-Canel shuts down" not in t and "Latin America Politics" not in t
    # 002: dateline with date; 003: HAVANA dateline, no date in the text
    assert a.loc["002_5e8d803c2965fb30", ["dateline", "published"]].tolist() == ["Havana", "2026-01-12"]
    assert a.loc["003_cc79dd2a6b1cb410", "dateline"] == "HAVANA"
    assert pd.isna(a.loc["003_cc79dd2a6b1cb410", "published"])
    assert a.loc["003_cc79dd2a6b1cb410", "text"].startswith("Cuba’s President Miguel Diaz-Canel")
    # 004: stray date prefix
    assert a.loc["004_df562d561251218f", "text"].startswith("US President Donald Trump said Sunday")
    assert a.loc["004_df562d561251218f", "published"] == "2026-02-02"
    rem = removals(bundled_articles)
    assert set(rem["kind"]) >= {"furniture", "footer", "byline", "wire-credit", "published-line", "dateline",
                                "date-prefix", "crosshead", "headline", "repeated-headline", "navigation"}
    # every removal names a real line of the raw file whose text contains the removed text
    for art, line, text in zip(rem["article_id"], rem["line"], rem["removed_text"]):
        raw_line = a.loc[art, "raw_text"].split("\n")[line - 1]
        assert text.split()[0] in raw_line


def test_fold_for_matching_equals_the_whole_table_on_every_branch():
    """Few and many non-ASCII characters take different paths; each gives what ``str.translate``
    with the folding table gives, lone surrogates included (ASCII text is only lower-cased)."""
    import random

    from analysis.clean import _FOLD

    rng = random.Random(3)
    special = [chr(k) for k in _FOLD] + ["д", "Ω", "\ud800", "`", "\u00a0", "İ"]
    plain = list("abcXYZ .,'-`\n")
    texts = []
    for share in (0.0, 0.02, 0.1, 0.5, 1.0):
        for _ in range(400):
            n = rng.randint(0, 60)
            texts.append("".join(rng.choice(special) if rng.random() < share else rng.choice(plain)
                                 for _ in range(n)))
    assert [fold_for_matching(t) for t in texts] == [t.lower() if t.isascii() else t.translate(_FOLD).lower()
                                                     for t in texts]
    assert fold_for_matching("a `b`") == "a `b`"  # ASCII: case only (the backtick kept), as before
    assert fold_for_matching("“a” `b`") == "\"a\" 'b'"
