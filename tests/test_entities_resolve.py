"""Tests for analysis.entities.resolve: one proposal per corpus, the same mentions as before."""

from __future__ import annotations

import pandas as pd

from analysis import actors
from analysis import corpus as C
from analysis import entities as E
from analysis import quotes as Q
from tests.conftest import BUNDLED


def test_cached_proposals_equal_proposing_and_give_the_same_mentions_quotes_and_actors(tmp_path):
    C.prepare(BUNDLED, tmp_path)
    articles, sentences = C.open_corpus(BUNDLED, processed_dir=tmp_path)
    first = E.entity_aliases(sentences, corpus=BUNDLED, entities_file="", processed_dir=str(tmp_path))
    cached = E.entity_aliases(sentences, corpus=BUNDLED, entities_file="", processed_dir=str(tmp_path))
    assert len(list((tmp_path / "cache").glob("proposed-entities-*.parquet"))) == 1
    pd.testing.assert_frame_equal(first, E.propose_entities(sentences))
    pd.testing.assert_frame_equal(cached, first)
    pd.testing.assert_frame_equal(E.find_mentions(sentences, aliases=cached),
                                  E.find_mentions(sentences, aliases=None))
    pd.testing.assert_frame_equal(actors.actor_mentions(sentences, articles, aliases=cached),
                                  actors.actor_mentions(sentences, articles, aliases=None))
    pd.testing.assert_frame_equal(Q.extract_quotes(articles, sentences, aliases=cached),
                                  Q.extract_quotes(articles, sentences, aliases=None))


def test_another_selection_is_proposed_anew_and_a_file_wins(tmp_path):
    C.prepare(BUNDLED, tmp_path)
    _, sentences = C.open_corpus(BUNDLED, processed_dir=tmp_path)
    part = sentences[sentences["outlet"] == sentences["outlet"].iloc[0]]
    E.entity_aliases(sentences, corpus=BUNDLED, entities_file="", processed_dir=str(tmp_path))
    some = E.entity_aliases(part, corpus=BUNDLED, entities_file="", processed_dir=str(tmp_path))
    pd.testing.assert_frame_equal(some, E.propose_entities(part))
    assert len(list((tmp_path / "cache").glob("proposed-entities-*.parquet"))) == 2
    shipped = E.entity_aliases(sentences, corpus=BUNDLED, entities_file="auto", processed_dir=str(tmp_path))
    pd.testing.assert_frame_equal(shipped, E.load_aliases(E.SHIPPED_ALIASES))


def test_texts_key_block_by_block_is_content_key(monkeypatch):
    """The key hashed in blocks of 3 rows is content_key's (so caches written before stay valid)."""
    from analysis.corpus import content_key
    from analysis.entities import resolve as R

    t = pd.DataFrame({"sentence_text": pd.array([f"Sentence {i} by Ana Pérez." for i in range(10)], dtype="str")})
    monkeypatch.setattr(R, "KEY_BLOCK", 3)
    assert R._texts_key(t, "v1") == content_key(t, "v1")
    assert R._texts_key(t, "v1") != R._texts_key(t.iloc[::-1], "v1") != R._texts_key(t, "v2")
    assert R._texts_key(t.iloc[:0], "v1") == content_key(t.iloc[:0], "v1")
