"""entities.entity_mentions: mentions found once per selection and alias table, the same tables after."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis import actors, partition
from analysis import corpus as C
from analysis import entities as E
from analysis import quotes as Q
from analysis.clean import fold_for_matching
from analysis.entities import mentions as M
from analysis.entities import resolve as R
from analysis.errors import ParameterError
from analysis.quotes import extract as X
from tests.conftest import BUNDLED
from tests.entities.test_mentions import _aliases, _sentences


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prepared")
    C.prepare(BUNDLED, folder)
    articles, sentences = C.open_corpus(BUNDLED, processed_dir=folder)
    aliases = E.entity_aliases(sentences, corpus=BUNDLED, entities_file="", processed_dir=str(folder))
    return folder, articles, sentences, aliases


def _kept(folder) -> list:
    return sorted((folder / "cache").glob("entity-mentions-*.parquet"))


def test_kept_mentions_equal_finding_them_and_are_found_once(opened, monkeypatch):
    folder, _, sentences, aliases = opened
    for old in _kept(folder):
        old.unlink()
    direct = partition.per_article(E.find_mentions, sentences, aliases=aliases, chunk_articles=7)
    first = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder))
    assert len(_kept(folder)) == 1
    monkeypatch.setattr(partition, "per_article", lambda *a, **k: pytest.fail("found again"))
    again = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder))
    assert len(first) > 100
    pd.testing.assert_frame_equal(first, direct)
    pd.testing.assert_frame_equal(again, direct)
    # the sentiment page opens the corpus without the articles' text: the same sentences, the same key
    _, textless = C.open_corpus(BUNDLED, processed_dir=folder, text=False)
    pd.testing.assert_frame_equal(E.entity_mentions(textless, aliases=aliases, processed_dir=str(folder)), direct)


def test_another_selection_or_alias_table_is_found_anew(opened):
    folder, _, sentences, aliases = opened
    E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder))
    before = len(_kept(folder))
    part = sentences[sentences["outlet"] == sentences["outlet"].iloc[0]]
    some = E.entity_mentions(part, aliases=aliases, processed_dir=str(folder))
    pd.testing.assert_frame_equal(some, E.find_mentions(part, aliases=aliases))
    fewer = aliases.iloc[::2].reset_index(drop=True)
    other = E.entity_mentions(sentences, aliases=fewer, processed_dir=str(folder))
    pd.testing.assert_frame_equal(other, E.find_mentions(sentences, aliases=fewer))
    renamed = aliases.assign(entity=aliases["entity"].str.upper())  # same aliases, other entities
    upper = E.entity_mentions(sentences, aliases=renamed, processed_dir=str(folder))
    assert set(upper["entity"]) == {e.upper() for e in E.find_mentions(sentences, aliases=aliases)["entity"]}
    assert len(_kept(folder)) == before + 3
    shipped = E.load_aliases(E.SHIPPED_ALIASES)  # an alias file
    pd.testing.assert_frame_equal(E.entity_mentions(sentences, aliases=shipped, processed_dir=""),
                                  E.find_mentions(sentences, aliases=shipped))


def test_actor_mentions_and_quotes_from_kept_mentions_are_the_same(opened):
    folder, articles, sentences, aliases = opened
    body = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder))
    copy = body.copy()
    for chunk in (0, 3):
        pd.testing.assert_frame_equal(
            partition.per_article(actors.actor_mentions, sentences, articles, aliases=aliases,
                                  chunk_articles=chunk, split={"mentions": body}),
            partition.per_article(actors.actor_mentions, sentences, articles, aliases=aliases,
                                  chunk_articles=chunk))
        pd.testing.assert_frame_equal(
            partition.per_article(Q.extract_quotes, articles, sentences, aliases=aliases,
                                  chunk_articles=chunk, split={"mentions": body}),
            partition.per_article(Q.extract_quotes, articles, sentences, aliases=aliases,
                                  chunk_articles=chunk))
    pd.testing.assert_frame_equal(body, copy)  # the callers' tables are not written to


def test_chosen_columns_equal_those_of_the_whole_table_found_or_kept_and_quotes_need_no_more(opened):
    """`columns=` reads only those columns of the kept file; computing still keeps every column."""
    folder, articles, sentences, aliases = opened
    for old in _kept(folder):
        old.unlink()
    whole = partition.per_article(E.find_mentions, sentences, aliases=aliases)
    for columns in (list(Q.MENTIONS_READ), ["surface", "sentence_id"]):
        found = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder), columns=columns)
        pd.testing.assert_frame_equal(found, whole[columns])  # the first computes (and keeps all of it)
        assert list(pd.read_parquet(_kept(folder)[0]).columns) == list(E.MENTION_COLUMNS)
        kept = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder), columns=columns)
        pd.testing.assert_frame_equal(kept, whole[columns])
        pd.testing.assert_frame_equal(E.entity_mentions(sentences, aliases=aliases, columns=columns),
                                      whole[columns])  # no folder: found here
    assert len(_kept(folder)) == 1
    read = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(folder), columns=Q.MENTIONS_READ)
    for chunk in (0, 3):  # extract_quotes reads no other column of the mentions
        pd.testing.assert_frame_equal(
            partition.per_article(Q.extract_quotes, articles, sentences, aliases=aliases,
                                  chunk_articles=chunk, split={"mentions": read}),
            partition.per_article(Q.extract_quotes, articles, sentences, aliases=aliases, chunk_articles=chunk))
    with pytest.raises(ParameterError, match=r"\['speaker'\] are not mention columns; valid: \['sentence_id'"):
        E.entity_mentions(sentences, aliases=aliases, columns=["entity", "speaker"])


def _marked(texts) -> bool:
    """Whether find_mentions matches these texts title-cased (no character changes length under title case)."""
    return all(len(f.title()) == len(f) for f in map(fold_for_matching, texts))


@pytest.mark.parametrize("seed", range(60))
def test_quote_mentions_from_kept_mentions_on_random_texts(seed):
    """The headline-only path gives the same {(article, location): mentions} as the one joined call.

    Where find_mentions matches the sentences and the headlines the same way, alone and
    joined (title-cased or not: a "ß" anywhere in one call makes it match the whole call
    unmarked, which differs for rare letters such as "ı" or U+0345), which holds for every
    sentence and headline of the 4,142 abp-2013 and the generated corpora.
    """
    rng = random.Random(seed)
    aliases = _aliases(rng, with_title_breaker=rng.random() < 0.2)
    sentences = _sentences(rng)
    heads = _sentences(rng)
    heads = heads.assign(sentence_id=heads["article_id"] + "/headline", start=0)
    if rng.random() < 0.2:
        heads = heads.iloc[:0]
    marked = _marked(sentences["sentence_text"])
    if marked != _marked(heads["sentence_text"]):  # keep the headlines matched as the sentences are
        heads = heads[heads["sentence_text"].map(lambda t: _marked([t]) == marked)]
    found = E.find_mentions(sentences, aliases=aliases)
    assert X._mentions_by_article(sentences, heads, aliases, found) == \
        X._mentions_by_article(sentences, heads, aliases)


def test_a_known_digest_is_not_hashed_again_and_only_for_that_table(monkeypatch):
    rng = random.Random(5)
    aliases = _aliases(rng, with_title_breaker=False)
    sentences = _sentences(rng)
    expected = E.find_mentions(sentences, aliases=aliases)
    # the namespace E.find_mentions runs in (pytest's --doctest-modules may import the module twice)
    scope = E.find_mentions.__globals__
    digest = scope["_alias_digest"](aliases)
    calls = []
    real = scope["_alias_digest"]
    monkeypatch.setitem(scope, "_alias_digest", lambda t: calls.append(1) or real(t))
    with scope["_known_digest"](aliases, digest):
        pd.testing.assert_frame_equal(E.find_mentions(sentences, aliases=aliases), expected)
        assert not calls
        E.find_mentions(sentences, aliases=aliases.copy())  # an equal table, another object: hashed
        hashed = len(calls)
        assert hashed >= 1
    E.find_mentions(sentences, aliases=aliases)  # after the block: hashed again
    assert len(calls) > hashed and not scope["_DIGESTS"]


def test_mentions_key_reads_only_the_columns_find_mentions_reads(opened):
    _, _, sentences, aliases = opened
    digest = M._alias_digest(aliases)
    key = R._texts_key(sentences[list(R.MENTION_INPUTS)], digest)
    assert key == R._texts_key(sentences.assign(quoted="x")[list(R.MENTION_INPUTS)], digest)
    assert key != R._texts_key(sentences.assign(start=sentences["start"] + 1)[list(R.MENTION_INPUTS)], digest)


def test_found_mentions_are_joined_column_by_column_into_the_same_table_and_bytes(opened, monkeypatch, tmp_path):
    # chunks of 2 articles: per_article's text columns are Arrow arrays of one piece per chunk
    _, _, sentences, aliases = opened
    monkeypatch.setattr(partition, "LOCAL_CHUNK", 2)
    direct = partition.per_article(E.find_mentions, sentences, aliases=aliases)
    assert direct["surface"].array.__arrow_array__().num_chunks > 1
    found = E.entity_mentions(sentences, aliases=aliases, processed_dir="")
    pd.testing.assert_frame_equal(found, direct)
    for col in ("sentence_id", "article_id", "outlet", "entity", "type", "kind", "surface"):
        assert found[col].array.__arrow_array__().num_chunks == 1, col
    C.write_table(direct, tmp_path / "pieces.parquet")
    C.write_table(found, tmp_path / "joined.parquet")
    assert (tmp_path / "joined.parquet").read_bytes() == (tmp_path / "pieces.parquet").read_bytes()


def test_kept_mentions_are_written_chunk_by_chunk_into_the_bytes_of_the_whole_table(opened, monkeypatch, tmp_path):
    """The cache file is written from the chunks' parts as they come: the bytes of writing the joined table."""
    _, _, sentences, aliases = opened
    monkeypatch.setattr(partition, "LOCAL_CHUNK", 2)  # three chunks of the five articles
    parts = list(partition.per_article_parts(E.find_mentions, sentences, aliases=aliases))
    assert len(parts) == 3 and all(len(p) for p in parts)
    whole = partition.per_article(E.find_mentions, sentences, aliases=aliases)
    written = []
    real = partition.per_article_parts
    monkeypatch.setattr(partition, "per_article_parts", lambda *a, **k: (written.append(p) or p for p in real(*a, **k)))
    monkeypatch.setattr(partition, "per_article", lambda *a, **k: pytest.fail("the table was joined whole"))
    kept = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(tmp_path))
    assert len(written) == 3
    pd.testing.assert_frame_equal(kept, whole)
    C.write_table(whole, tmp_path / "whole.parquet")
    assert _kept(tmp_path)[0].read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    again = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(tmp_path), columns=["entity", "end"])
    pd.testing.assert_frame_equal(again, whole[["entity", "end"]])
    assert len(written) == 3  # read, not found again


def test_the_automaton_is_not_kept_after_the_mentions_are_found(opened):
    _, _, sentences, aliases = opened
    key = (True, M._alias_digest(aliases))
    E.find_mentions(sentences, aliases=aliases)
    assert key in M._BUILT  # a direct call keeps it for the next chunk
    E.entity_mentions(sentences, aliases=aliases, processed_dir="")
    assert key not in M._BUILT
