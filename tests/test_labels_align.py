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
