"""Tests for analysis.partition: each per-article step, cut into chunks of articles (here or on a
two-worker Dask cluster), gives the table one call on the whole corpus gives."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

from analysis import actors as A
from analysis import corpus as C
from analysis import entities as E
from analysis import frames
from analysis import terms as M
from analysis.errors import ParameterError
from analysis.partition import PER_ARTICLE, _concatenated, article_chunks, per_article, per_article_parts
from tests.conftest import BUNDLED


@pytest.fixture(scope="module")
def bundled():
    articles, sentences = C.open_corpus(BUNDLED)
    aliases = E.entity_aliases(sentences, corpus=BUNDLED, entities_file="")  # proposed: the general case
    mentions = E.find_mentions(sentences, aliases=aliases)
    return articles, sentences, aliases, mentions


def _calls(bundled):
    """(tables, split, options) of every per-article step, as the notebooks call them."""
    articles, sentences, aliases, mentions = bundled
    actors = A.actor_mentions(sentences, articles, aliases=aliases)
    return {
        "score_sentences": ((sentences,), {}, {}),
        "find_mentions": ((sentences,), {}, {"aliases": aliases}),
        "entity_scores": ((mentions, sentences), {}, {"unit": "window", "window": 5}),
        # as the sentiment notebook: the people it shows, every mention masked as context
        "toward": ((mentions[mentions["type"] == "person"], sentences), {"context": mentions}, {}),
        "find_cues": ((sentences,), {}, {"lexicon": frames.load_lexicon()}),
        "actor_mentions": ((sentences, articles), {}, {"aliases": aliases}),
        "actor_word_counts": ((actors, sentences), {}, {}),
        "tokenize": ((sentences,), {}, {"stem": True}),
        "word_counts": ((sentences,), {}, {}),
        "collocation_counts": ((sentences,), {}, {"tokenize": {"phrases": M.phrases_from_aliases(aliases)}}),
        # a name's variant ("Trump") finds its joined name wherever the phrases say, not only in
        # chunks whose tokens show that form
        "term_contexts": ((sentences,), {"articles": articles},
                          {"terms": ["Trump", "oil", "Díaz-Canel", "United States", "regime"],
                           "tokenize": {"phrases": M.phrases_from_aliases(aliases), "keep_numbers": False}}),
        "extract_quotes": ((articles, sentences), {}, {"aliases": aliases}),
        "extract_facts": ((sentences,), {"articles": articles}, {}),
        "shingle_table": ((articles,), {}, {"n": 4}),
    }


def _step(name):
    module = next(m for m, n in PER_ARTICLE if n == name)
    return getattr(importlib.import_module(module), name)


def test_every_registered_step_is_tested_and_importable_where_registered(bundled):
    assert {name for _, name in PER_ARTICLE} == set(_calls(bundled))


@pytest.mark.parametrize("name", [name for _, name in PER_ARTICLE])
@pytest.mark.parametrize("size", [1, 2])
def test_a_step_in_chunks_of_articles_equals_one_call_on_the_whole_corpus(bundled, name, size):
    tables, split, options = _calls(bundled)[name]
    whole = _step(name)(*tables, **split, **options)
    assert len(whole) > 0  # an empty table would prove nothing
    chunked = per_article(_step(name), *tables, chunk_articles=size, split=split, **options)
    pd.testing.assert_frame_equal(chunked, whole.reset_index(drop=True))


def test_without_chunks_the_step_is_called_once_on_the_whole_tables(bundled):
    _, sentences, _, _ = bundled
    whole = _step("word_counts")(sentences)
    assert per_article(_step("word_counts"), sentences).equals(whole)


def test_a_step_in_several_chunks_shows_progress_unless_switched_off(bundled, capsys, monkeypatch):
    _, sentences, _, _ = bundled
    n = sentences["article_id"].nunique()
    monkeypatch.delenv("NEWSFRAMES_PROGRESS", raising=False)
    per_article(_step("word_counts"), sentences, chunk_articles=2)
    err = capsys.readouterr().err
    assert err.startswith("\rword_counts:   0%|") and f"| 0/{-(-n // 2)} [" in err  # chunks of 2 articles
    per_article(_step("word_counts"), sentences, chunk_articles=n)  # one chunk: no bar
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("NEWSFRAMES_PROGRESS", "0")  # what the report's kernels get
    per_article(_step("word_counts"), sentences, chunk_articles=2)
    assert capsys.readouterr().err == ""


def test_chunks_hold_whole_articles_in_first_seen_order_and_keep_row_order():
    s = pd.DataFrame({"article_id": ["b", "a", "b", "c", "a"], "n": [1, 2, 3, 4, 5]})
    m = pd.DataFrame({"article_id": ["c", "a"], "n": [9, 8]})
    chunks = [[t["n"].tolist() for t in chunk] for chunk in article_chunks([s, m], 2)]
    assert chunks == [[[1, 2, 3, 5], [8]], [[4], [9]]]



@pytest.mark.parametrize(("first", "second"), [("str", "str"), ("object", "object"), ("str", "object"),
                                               ("object", "str")])
def test_chunks_are_the_same_whether_ids_are_arrow_text_or_python_strings(first, second):
    # Arrow text is looked up by pyarrow's index_in, anything else by Index.get_indexer: the same chunks
    import numpy as np

    rng = np.random.default_rng(3)
    ids = [f"id{i}" for i in rng.permutation(40)]
    s = pd.DataFrame({"article_id": pd.array(rng.choice(ids, 300), dtype=first), "n": range(300)})
    m = pd.DataFrame({"article_id": pd.array(rng.choice(ids, 90)[::-1], dtype=second), "n": range(90)})
    want = []  # by hand: articles in first-seen order (first table, then the second), `size` at a time
    order = list(dict.fromkeys([*s["article_id"].astype(object), *m["article_id"].astype(object)]))
    for k in range(0, len(order), 7):
        keep = set(order[k:k + 7])
        want.append([t.index[t["article_id"].astype(object).isin(keep)].tolist() for t in (s, m)])
    got = [[t.index.tolist() for t in chunk] for chunk in article_chunks([s, m], 7)]
    assert got == want and len(got) == -(-len(order) // 7)


def test_chunks_take_arrow_columns_piece_by_piece_and_equal_iloc():
    # text in several Arrow chunks (as read from a prepared corpus), nullable ints, floats, a
    # repeated column name and a non-default index: every chunk equals iloc of its rows
    import numpy as np

    rng = np.random.default_rng(7)
    n = 500
    parts = [pd.Series(rng.choice(["x y", "z", None, "Díaz"], k), dtype="str") for k in (120, 1, 250, 129)]
    t = pd.DataFrame({"article_id": pd.array(rng.choice([f"a{i}" for i in range(60)], n), dtype="str"),
                      "text": pd.concat(parts, ignore_index=True),
                      "n": pd.array(rng.integers(0, 9, n), dtype="int64[pyarrow]"),
                      "f": rng.random(n)}).set_axis(np.arange(n) * 3 + 1)
    t.insert(3, "n2", t["f"])
    t.columns = ["article_id", "text", "n", "f", "f"]
    assert t["text"].array.__arrow_array__().num_chunks == 4
    ids = list(dict.fromkeys(t["article_id"]))
    for k, (chunk,) in enumerate(article_chunks([t], 9)):
        want = t[t["article_id"].isin(ids[k * 9:(k + 1) * 9])]
        pd.testing.assert_frame_equal(chunk, want)

def test_unknown_steps_and_bad_chunk_sizes_are_refused(bundled):
    _, sentences, _, _ = bundled
    with pytest.raises(ParameterError, match="'len' is not a per-article step; known: score_sentences"):
        per_article(len, sentences, chunk_articles=1)
    with pytest.raises(ParameterError, match="chunk_articles -1"):
        per_article(_step("word_counts"), sentences, chunk_articles=-1)


@pytest.mark.parametrize("name", [name for (_, name), combine in PER_ARTICLE.items() if combine is _concatenated])
@pytest.mark.parametrize("size", [0, 1, 2])
def test_the_parts_of_a_concatenated_step_are_its_table_chunk_by_chunk(bundled, name, size):
    tables, split, options = _calls(bundled)[name]
    parts = list(per_article_parts(_step(name), *tables, chunk_articles=size, split=split, **options))
    assert all(len(p) for p in parts)
    assert len(parts) == 1 if size == 0 else len(parts) >= 2  # 0: the five articles in one call
    whole = per_article(_step(name), *tables, chunk_articles=size, split=split, **options)
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)


def test_parts_leave_out_empty_chunks_unless_all_are_empty_and_refuse_combined_steps(bundled):
    articles, sentences, aliases, _ = bundled
    find = _step("find_mentions")
    one = aliases[aliases["entity"] == "Marco Rubio"]  # named in some articles only
    parts = list(per_article_parts(find, sentences, chunk_articles=1, aliases=one))
    named = set(find(sentences, aliases=one)["article_id"])
    assert 0 < len(named) < articles["article_id"].nunique() and len(parts) == len(named)
    nobody = aliases.iloc[:0]
    parts = list(per_article_parts(find, sentences, chunk_articles=1, aliases=nobody))
    assert len(parts) == 1 and parts[0].empty and list(parts[0].columns) == list(E.MENTION_COLUMNS)
    with pytest.raises(ParameterError, match="'actor_word_counts''s partial tables are combined, not concatenated"):
        list(per_article_parts(_step("actor_word_counts"), A.actor_mentions(sentences, articles, aliases=aliases),
                               sentences, chunk_articles=1))
    with pytest.raises(ParameterError, match="chunk_articles -1"):
        list(per_article_parts(find, sentences, chunk_articles=-1, aliases=aliases))


@pytest.fixture(scope="module")
def two_workers():
    pytest.importorskip("distributed")
    from analysis.cluster import dask_client

    with dask_client(workers=2) as client:
        yield client


@pytest.mark.parametrize("name", [name for _, name in PER_ARTICLE])
def test_a_step_on_a_two_worker_dask_cluster_equals_the_single_process_table(bundled, two_workers, name):
    tables, split, options = _calls(bundled)[name]
    whole = _step(name)(*tables, **split, **options)
    there = per_article(_step(name), *tables, client=two_workers, chunk_articles=2, split=split, **options)
    pd.testing.assert_frame_equal(there, whole.reset_index(drop=True))


def test_count_tables_are_folded_as_they_arrive_into_the_table_of_one_combine():
    # the sum so far absorbs the waiting parts once they are as long; hand-made parts whose
    # keys repeat across parts, an empty part, and the order of arrival checked by the calls
    from analysis.partition import _added_word_counts, _folded

    rows = [("X", "", "oil", 1), ("X", "T", "oil", 2), ("Y", "", "sea", 1)]
    parts = [pd.DataFrame([rows[k % 3]], columns=["outlet", "actor", "term", "count"]) for k in range(7)]
    parts.insert(3, parts[0].iloc[:0])
    calls = []

    def combine(table, options):
        calls.append(len(table))
        return _added_word_counts(table, options)

    got = _folded(iter(parts), combine, {})
    assert got.values.tolist() == [["X", "", "oil", 3], ["X", "T", "oil", 4], ["Y", "", "sea", 2]]
    assert got.equals(_added_word_counts(pd.concat(parts, ignore_index=True), {}))
    assert calls == [2, 4, 6, 3]  # after 2 parts, then whenever as many rows wait as the sum holds (by hand)
