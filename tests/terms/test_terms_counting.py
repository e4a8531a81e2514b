"""Tests for analysis.terms.counting: article rows counted batch by batch, tables made column by column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from analysis import terms as M
from analysis.terms import counting
from tests.test_terms import TRICKY


def by_sentence_then_summed(sentences, options):
    """The article x terms matrix the former way: count every sentence, then add each article's rows."""
    c = counting._count(sentences["sentence_text"].tolist(), (1, 2), 1, False, options)
    ids, row = np.unique(pd.factorize(sentences["article_id"])[0], return_inverse=True)
    pick = sp.csr_matrix((np.ones(len(row), dtype=np.int64), (row, np.arange(len(row)))), shape=(len(ids), len(row)))
    return (pick @ c.matrix).tocsr(), c


@pytest.mark.parametrize("batch_tokens", [3, 40, counting.BATCH_TOKENS])
@pytest.mark.parametrize("options", [{}, {"stem": True}, {"phrases": {"Donald Trump": ["Trump"]}}])
def test_article_rows_counted_in_batches_equal_summed_sentence_rows(bundled_sentences, monkeypatch, batch_tokens,
                                                                    options):
    # batches of a few characters cut inside articles unless they end with a whole article
    monkeypatch.setattr(counting, "BATCH_TOKENS", batch_tokens)
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    opts = counting.token_options("english", [], options.get("stem", False), options.get("phrases"))
    got = counting._article_counts(sentences, (1, 2), 1, False, opts)
    want, c = by_sentence_then_summed(sentences, opts)
    assert got.matrix.shape == want.shape and got.matrix.dtype == want.dtype
    assert (got.matrix != want).nnz == 0 and got.matrix.has_sorted_indices
    assert got.terms[np.arange(len(got.terms))].tolist() == counting._Names(c)[np.arange(len(got.terms))].tolist()
    if not options.get("phrases"):  # (with phrases the words are counted apart, names split)
        words = pd.DataFrame({"a": sentences["article_id"], "w": c.words}).groupby("a", sort=False)["w"].sum()
        assert got.articles["words"].tolist() == words.tolist()
    assert got.articles["article_id"].tolist() == list(dict.fromkeys(sentences["article_id"]))


def test_articles_out_of_order_take_the_sentence_path_and_give_the_same_matrix(bundled_sentences):
    shuffled = bundled_sentences.sample(frac=1, random_state=0)  # sentences of an article apart
    for sentences in (bundled_sentences, shuffled):
        counted = M.article_counts(sentences, ngram_range=(1, 2), keep_numbers=False)
        want, _ = by_sentence_then_summed(sentences, counting.token_options())
        assert (counted.matrix != want).nnz == 0


def test_term_counts_sorted_as_the_table_was(bundled_sentences):
    # independent: build the table row by row from the article matrix and sort it with pandas
    counted = M.article_counts(bundled_sentences, ngram_range=(1, 2))
    got = M.term_counts(bundled_sentences, ngram_range=(1, 2), level="article", counted=counted)
    coo = counted.matrix.tocoo()
    terms = counted.terms[coo.col]
    art = counted.articles
    want = pd.DataFrame({"article_id": art["article_id"].to_numpy()[coo.row], "term": terms, "count": coo.data})
    want = want.sort_values(["article_id", "count", "term"], ascending=[True, False, True], kind="stable")
    assert got[["article_id", "term", "count"]].values.tolist() == want.values.tolist()
    assert got["term"].dtype == "str"


@pytest.mark.parametrize("level", ["outlet", "article"])
@pytest.mark.parametrize("top", [None, 1, 8])
def test_tf_idf_on_codes_equals_pandas_grouping_and_sorting(bundled_sentences, level, top):
    counts = M.term_counts(bundled_sentences, level=level, ngram_range=(1, 2))
    doc = counts.columns[0]
    key = [doc, "term"] if doc == "outlet" else [doc, "term", "ngram"]
    want = counting._tf_idf_table(counts, doc, key, counts[doc].nunique(), top)
    got = M.tf_idf(counts, top=top)
    pd.testing.assert_frame_equal(got, want)
    # ties: the same display string twice in one document, equal scores across terms
    tied = pd.DataFrame({"outlet": ["X", "X", "X", "Y"], "term": ["b", "a", "a", "a"], "per_1k": [1.0, 1.0, 1.0, 2.0]})
    pd.testing.assert_frame_equal(M.tf_idf(tied, top=top),
                                  counting._tf_idf_table(tied, "outlet", ["outlet", "term"], 2, top))


def _chunked(column: pd.Series) -> pd.Series:
    """`column` as an Arrow-backed str column of several chunks."""
    import pyarrow as pa

    values = column.tolist()
    parts = [values[i:i + 7] for i in range(0, len(values), 7)]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, type=pa.large_string())), index=column.index)


@pytest.mark.parametrize("top", [1, 3, 8, 1000])
def test_tf_idf_top_candidates_give_the_sort_of_every_row(bundled_sentences, top):
    # the top rows found among the bounded candidates equal pandas' sort of every row, also when the
    # table's order makes the bounds loose (shuffled), for object and multi-chunk Arrow columns
    counts = M.term_counts(bundled_sentences, ngram_range=(1, 2))
    shuffled = counts.sample(frac=1, random_state=1).reset_index(drop=True)
    as_object = shuffled.astype({"outlet": object, "term": object})
    chunked = shuffled.assign(term=_chunked(shuffled["term"]))
    for table in (counts, shuffled, as_object, chunked):
        want = counting._tf_idf_table(table, "outlet", ["outlet", "term"], table["outlet"].nunique(), top)
        pd.testing.assert_frame_equal(M.tf_idf(table, top=top), want)


def test_tf_idf_top_keeps_ties_missing_and_negative_rates_in_order():
    # the 2nd score of X ties three rows (two of one term); Y has a missing rate, Z a negative one
    c = pd.DataFrame({"outlet": ["X", "X", "X", "X", "X", "Y", "Y", "Y", "Z", "Z", "Z"],
                      "term": ["d", "c", "b", "b", "a", "a", "e", "c", "f", "a", "g"],
                      "per_1k": [9.0, 1.0, 2.0, 2.0, 2.0, np.nan, 1.0, 3.0, -1.0, -0.5, 0.25]})
    for top in (1, 2, 3, 4):
        for table in (c, c.iloc[::-1].reset_index(drop=True)):
            want = counting._tf_idf_table(table, "outlet", ["outlet", "term"], 3, top)
            pd.testing.assert_frame_equal(M.tf_idf(table, top=top), want)
    # by hand: X's top 2 are d (idf of a term in one of 3 outlets, ln(4/2) + 1) and then, of the three
    # rows at 2.0, "a" (in all three outlets, idf 1) scores 2.0, "b" (only X) 2 * 1.693: b, first of the two
    got = M.tf_idf(c, top=2)
    assert got[got.outlet == "X"]["term"].tolist() == ["d", "b"]
    assert got[got.outlet == "X"]["tf_idf"].tolist() == [round(9 * (np.log(2) + 1), 6), round(2 * (np.log(2) + 1), 6)]
    assert M.tf_idf(c, top=0).empty
    # rates that round to one score: the second row ties the first after rounding and wins on its term
    near = pd.DataFrame({"outlet": ["X", "X"], "term": ["b", "a"], "per_1k": [1.0000004, 1.0000001]})
    assert M.tf_idf(near, top=1)["term"].tolist() == ["a"]
    # each term in one outlet only: no row of another outlet comes in with a candidate's term
    own = c.assign(term=c["outlet"] + c["term"])
    for top in (1, 2, 3, 4):
        want = counting._tf_idf_table(own, "outlet", ["outlet", "term"], 3, top)
        pd.testing.assert_frame_equal(M.tf_idf(own, top=top), want)


def test_top_candidates_contain_every_kept_row(bundled_sentences):
    # the candidates are a superset of the rows kept, and with the table's own order few more
    counts = M.term_counts(bundled_sentences, ngram_range=(1, 2))
    d_code, names = pd.factorize(counts["outlet"], sort=True)
    rows = counting._top_candidates(counts["per_1k"].to_numpy(), d_code, len(names), 8)
    kept = counting._tf_idf_table(counts, "outlet", ["outlet", "term"], len(names), 8)
    index = pd.MultiIndex.from_frame(counts[["outlet", "term"]])
    assert set(index.get_indexer(pd.MultiIndex.from_frame(kept[["outlet", "term"]]))) <= set(rows)
    assert len(rows) < len(counts) / 2


@pytest.mark.parametrize("seed", range(5))
def test_group_sums_counts_and_documents_as_dense_arithmetic(seed):
    """_group's doc-frequency matrix (int8 presence sharing the article matrix's indices) against dense sums."""
    rng = np.random.default_rng(seed)
    n_art, n_terms = int(rng.integers(1, 400)), int(rng.integers(1, 40))  # > 127 articles: int8 would wrap
    dense = rng.integers(0, 300, size=(n_art, n_terms)) * (rng.random((n_art, n_terms)) < 0.9)
    matrix = sp.csr_matrix(dense.astype(np.int64))
    labels = rng.choice(np.array(["b", "a", None, "c"], dtype=object), size=n_art)
    arts = pd.DataFrame({"article_id": [f"x{i}" for i in range(n_art)], "outlet": labels,
                         "words": rng.integers(0, 1000, size=n_art)})
    corpus = counting.ArticleCounts(matrix, arts, None, np.ones(n_terms, dtype=np.int64), ())
    before = (matrix.data.copy(), matrix.indices.copy(), matrix.indptr.copy())
    names, counts, docs, words = counting._group(corpus, labels)
    key = pd.Series(labels, dtype=object).fillna(M.MISSING_GROUP).astype(str).to_numpy()
    assert names.tolist() == sorted(set(key))
    for g, name in enumerate(names):
        rows = key == name
        assert counts[g].toarray().ravel().tolist() == dense[rows].sum(axis=0).tolist()
        assert docs[g].toarray().ravel().tolist() == (dense[rows] > 0).sum(axis=0).tolist()
        assert words[g] == arts["words"].to_numpy()[rows].sum()
    assert counts.dtype == docs.dtype == np.int64
    assert all((a == b).all() for a, b in zip(before, (matrix.data, matrix.indices, matrix.indptr)))  # not modified


@pytest.mark.parametrize("seed", range(4))
def test_text_column_read_batch_by_batch_counts_as_the_list(monkeypatch, seed):
    """A str column (lengths from Arrow, each batch's strings made when encoded) against the same texts as a list."""
    rng = np.random.default_rng(seed)
    alphabet = list("ab cd\u00e9\u00fc-\u2019.,\n\t") + ["\U0001f600", "\u4e2d", "\u0301", "Oil", "Cuba"]
    texts = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 40)))) for _ in range(int(rng.integers(1, 80)))]
    column = pd.Series(texts, dtype="str")
    n, size_of, texts_in = counting._text_source(column)
    assert n == len(texts) and [size_of(i) for i in range(n)] == [len(t) for t in texts]  # code points
    assert texts_in(3, 9) == texts[3:9]
    monkeypatch.setattr(counting, "BATCH_TOKENS", int(rng.integers(1, 6)))  # batches of a few characters
    for groups in (None, np.arange(len(texts)) // 3):  # per text, and three texts per row
        got = counting._count(column, (1, 2), 1, True, {"stopwords": None}, groups=groups)
        want = counting._count(list(texts), (1, 2), 1, True, {"stopwords": None}, groups=groups)
        assert (got.matrix != want.matrix).nnz == 0 and got.matrix.shape == want.matrix.shape
        assert got.words.tolist() == want.words.tolist()
        assert all((a == b).all() for a, b in zip(got.parts, want.parts))
        assert got.word_surfaces.tolist() == want.word_surfaces.tolist()


def test_text_column_with_a_missing_value_takes_the_list_path():
    n, size_of, texts_in = counting._text_source(pd.Series(["oil", None], dtype="str"))
    assert n == 2 and isinstance(texts_in(0, 2), list) and size_of(0) == 3
