"""Tests for analysis.labels.align's TF-IDF build: bit for bit the matrix of the COO construction it replaced."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from analysis.labels import align as A
from analysis.terms import smoothed_idf


def _reference(rows, codes, uniques, n_docs):
    """_tfidf_codes before the CSR was built directly and the weights computed in place."""
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order))
    cols = rank[codes]
    X = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_docs, len(uniques)))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=len(uniques))
    X.data = (1.0 + np.log(X.data)) * smoothed_idf(n_docs, df)[X.indices]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return (sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ X).tocsr()


def _same_bits(a, b) -> bool:
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and a.indices.dtype == b.indices.dtype and a.data.tobytes() == b.data.tobytes())


def test_tfidf_codes_equal_the_coo_build_bit_for_bit(bundled_sentences):
    texts = bundled_sentences.sentence_text.tolist() + ["", "the the the"]  # rows without terms
    rows, codes, uniques = A._match_terms(texts, chunk=13)
    got = A._tfidf_codes(rows, codes, uniques, len(texts))
    assert got.nnz > 1000 and _same_bits(got, _reference(rows, codes, uniques, len(texts)))
    # terms not in document order take the COO path: the same matrix
    perm = np.random.default_rng(0).permutation(len(rows))
    assert _same_bits(A._tfidf_codes(rows[perm], codes[perm], uniques, len(texts)), got)
    # repeated terms in a row (tf > 1) and a document of one term
    rows, codes = np.array([0, 0, 0, 1, 2, 2], np.int32), np.array([1, 0, 1, 2, 2, 2], np.int32)
    uniques = np.array(["b", "a", "c"], dtype=object)
    assert _same_bits(A._tfidf_codes(rows, codes, uniques, 4), _reference(rows, codes, uniques, 4))


def test_tfidf_owned_in_blocks_equals_the_matrix_product_build(bundled_sentences):
    """The weights, norms and scaling done in place a few entries at a time: diags(1 / norms) @ X's bits."""
    texts = bundled_sentences.sentence_text.tolist() + ["", "the the the"]
    rows, codes, uniques = A._match_terms(texts, chunk=13)
    want = _reference(rows, codes, uniques, len(texts))
    for chunk in (1, 7, 500, 1 << 20):
        terms = [rows.copy(), codes.copy(), uniques.copy()]
        got = A._tfidf_owned(terms, len(texts), chunk=chunk)
        assert terms == [] and _same_bits(got, want) and not got.has_sorted_indices


def test_row_blocks_cover_every_row_once():
    indptr = np.array([0, 0, 5, 5, 6, 20, 20, 21])
    for chunk in (1, 3, 6, 100):
        blocks = list(A._row_blocks(indptr, chunk))
        assert blocks[0][0] == 0 and blocks[-1][1] == 7
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(blocks, blocks[1:], strict=False))
    assert list(A._row_blocks(np.array([0]), 5)) == []


def test_columns_equal_scipys_column_indexing(bundled_sentences):
    texts = bundled_sentences.sentence_text.tolist()
    X = A._tfidf_codes(*A._match_terms(texts), len(texts))
    df = np.bincount(X.indices, minlength=X.shape[1])
    for keep in ((df >= 2) & (df <= 5), df > 5, df > 10**9):
        want = X[:, np.flatnonzero(keep)].tocsr()
        for chunk in (1, 97, 1 << 20):
            assert _same_bits(A._columns(X, keep, chunk=chunk), want) and want.indptr.dtype == X.indptr.dtype
            spoilt = X.copy()
            assert _same_bits(A._columns(spoilt, keep, in_place=True, chunk=chunk), want)


def test_close_pairs_the_same_owned_and_in_small_batches(bundled_sentences, monkeypatch):
    texts = bundled_sentences.sentence_text.tolist()
    X = A._tfidf_codes(*A._match_terms(texts), len(texts))
    outlet = bundled_sentences.outlet.to_numpy()

    def pairs(**kw):
        return [np.concatenate(x) for x in zip(*A._close_pairs(X.copy(), outlet, 5, 0.2, chunk=50, **kw),
                                               strict=True)]

    want = pairs()
    assert len(want[0]) > 50
    got = pairs(own=True)
    monkeypatch.setattr(A, "PAIR_CHUNK", 3)
    monkeypatch.setattr(A, "TFIDF_CHUNK", 11)
    small = pairs(own=True)
    for a, b, c in zip(want, got, small, strict=True):
        assert a.tobytes() == b.tobytes() == c.tobytes() and a.dtype == b.dtype == c.dtype


def test_rows_read_from_a_column_of_several_arrow_chunks():
    import pandas as pd
    import pyarrow as pa

    texts = [f"sentence {k}" for k in range(10)]
    col = pd.Series(pd.array(pa.chunked_array([texts[:3], texts[3:4], texts[4:]], type=pa.large_string()),
                             dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
    rows = np.array([9, 0, 4, 3, 8], dtype=np.int64)
    got = A._Rows(col, rows)
    assert len(got) == 5 and got[0:5] == [texts[k] for k in rows] and got[1:3] == ["sentence 0", "sentence 4"]


def test_enough_words_equals_counting_the_words(bundled_sentences):
    # one match that stops at the n-th word: the same verdicts as len(_WORD.findall(t)) >= n, on the bundled
    # sentences and on random texts of word characters, joiners, white space, digits and underscores
    rng = np.random.default_rng(3)
    alphabet = ["a", "bc", "é", "1", "٣", "_", "-", "'", "’", " ", ".", ",", "\n", "--", "'s", "Ж"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 25))) for _ in range(3000)]
    texts += bundled_sentences["sentence_text"].astype(str).tolist() + ["", "a", "a-", "-a", "a-'b", "a_b c"]
    for n in (-1, 0, 1, 2, 3, A.MIN_WORDS, 9):
        assert A._enough_words(texts, n) == [len(A._WORD.findall(t)) >= n for t in texts], n
