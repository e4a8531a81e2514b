"""Tests for analysis.terms.counting: article rows counted batch by batch, tables made column by column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from analysis import terms as M
from analysis.errors import ParameterError
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
    assert got.matrix.shape == want.shape and got.matrix.dtype == np.int32  # counts below 2**31: int32 cells
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


@pytest.mark.parametrize("options", [
    {"ngram_range": (1, 2), "keep_numbers": False},
    {"ngram_range": (1, 3), "stem": True, "stopwords": None, "keep_numbers": True},
    {"ngram_range": (1, 2), "phrases": {"Donald Trump": ["Trump"]}, "keep_numbers": False},
])
@pytest.mark.parametrize("shuffled", [False, True])
def test_counted_with_a_min_count_gives_the_tables_of_counting_alone(bundled_sentences, options, shuffled):
    # article_counts(min_count=m): the columns of the terms reaching m, the per-article totals of every term;
    # term_counts and keyness at min_count >= m give the tables of counting every term (no `counted`)
    sentences = pd.concat([TRICKY, bundled_sentences], ignore_index=True)
    if shuffled:  # an article's sentences apart: the sentence rows are added up after (the other path)
        sentences = sentences.sample(frac=1, random_state=3).reset_index(drop=True)
    every = M.article_counts(sentences, **options)
    total = np.asarray(every.matrix.sum(axis=0)).ravel()
    lead = sentences.groupby("outlet").size().index[:2]
    grouped = sentences.assign(bias=np.where(sentences.outlet == lead[0], "left", "right"))
    for m in (2, 5):
        cut = M.article_counts(sentences, min_count=m, **options)
        keep = np.flatnonzero(total >= m)
        assert 0 < len(keep) < len(total) and cut.min_count == m
        assert cut.matrix.shape == (every.matrix.shape[0], len(keep)) and cut.matrix.dtype == every.matrix.dtype
        assert (cut.matrix != every.matrix[:, keep]).nnz == 0
        assert cut.matrix.has_sorted_indices == every.matrix.has_sorted_indices
        assert cut.terms[np.arange(len(keep))].tolist() == every.terms[keep].tolist()
        assert cut.ngram.tolist() == every.ngram[keep].tolist()
        assert cut.totals.tolist() == np.asarray(every.matrix.sum(axis=1)).ravel().tolist()
        assert cut.articles.equals(every.articles)
        for level in ("outlet", "article"):
            for k in (m, m + 1):
                want = M.term_counts(sentences, level=level, min_count=k, **options)
                got = M.term_counts(sentences, level=level, min_count=k, counted=cut, **options)
                pd.testing.assert_frame_equal(got, want, check_exact=True)
        for by, table in (("outlet", sentences), ("bias", grouped)):
            pairs = [tuple(lead)] if by == "outlet" else [("left", "right")]
            for k in (m, m + 2):
                want = M.keyness(table, by=by, pairs=pairs, min_count=k, **options)
                got = M.keyness(table, by=by, pairs=pairs, min_count=k, counted=cut, **options)
                assert len(want) > 20
                pd.testing.assert_frame_equal(got, want, check_exact=True)
                assert got.to_csv() == want.to_csv()
        # a lower min_count reads terms the cut counts lack: refused
        with pytest.raises(ParameterError, match="min_count"):
            M.term_counts(sentences, min_count=m - 1, counted=cut, **options)
        with pytest.raises(ParameterError, match="min_count"):
            M.keyness(sentences, min_count=m - 1, counted=cut, **options)


@pytest.mark.parametrize("seed", range(5))
def test_keyness_arrays_on_kept_columns_with_totals_equal_the_whole_vocabulary(seed):
    # the terms below min_count left out of counts and docs, their occurrences still in `totals`
    rng = np.random.default_rng(seed)
    n_groups, n_terms = int(rng.integers(2, 6)), int(rng.integers(5, 300))
    dense = rng.integers(0, 6, size=(n_groups, n_terms)) * (rng.random((n_groups, n_terms)) < 0.4)
    docs = np.minimum(dense, rng.integers(1, 4, size=dense.shape)) * (dense > 0)
    words = dense.sum(axis=1) + rng.integers(0, 50, size=n_groups)
    pairs = [(0, 1), (n_groups - 1, 0)]
    for min_count, min_expected in ((2, 0.0), (4, 0.0), (3, 1.0), (5, 0.5)):
        keep = np.flatnonzero(dense.sum(axis=0) >= min_count)
        want = M.keyness_arrays(dense, docs, words, pairs=pairs, min_count=min_count, min_docs=2,
                                min_expected=min_expected)
        got = M.keyness_arrays(dense[:, keep], docs[:, keep], words, pairs=pairs, min_count=min_count, min_docs=2,
                               min_expected=min_expected, totals=dense.sum(axis=1))
        assert len(got) == len(want)
        for (gi, gj, g), (wi, wj, w) in zip(got, want):
            assert (gi, gj) == (wi, wj) and g.keys() == w.keys()
            assert keep[g["term_index"]].tolist() == w["term_index"].tolist()
            for name in w:
                if name not in ("term_index", "n_tests"):
                    assert np.array_equal(g[name], w[name], equal_nan=True), name  # the same floats, bit for bit
            assert g["n_tests"] == w["n_tests"]


@pytest.mark.parametrize("seed", range(3))
def test_row_sums_equal_dense_sums(seed):
    rng = np.random.default_rng(seed)
    dense = rng.integers(0, 2**31 - 1, size=(int(rng.integers(0, 30)), 7)) * (rng.random((1, 7)) < 0.5)
    m = sp.csr_matrix(dense.astype(np.int32))
    assert counting._row_sums(m).tolist() == dense.sum(axis=1).tolist()  # int64: no int32 wrap


@pytest.mark.parametrize("min_expected", [0.0, 1.0])
@pytest.mark.parametrize("block", [7, 1 << 18])
@pytest.mark.parametrize("twice", [False, True])  # a pair given twice: its rows sorted together (one run)
def test_keyness_columns_computed_in_table_order_equal_the_scored_columns_sorted(bundled_sentences, monkeypatch,
                                                                                 min_expected, block, twice):
    # independent of _table: every comparison's columns from keyness_arrays, one frame, q-values, pandas' sort;
    # the table computes log_odds, g2, log_ratio and the rates in its own order from the counts (in blocks of
    # `block` rows): the same floats
    from analysis import stats
    from analysis.terms import distinctive
    from analysis.terms.columns import KEYNESS_COLUMNS

    monkeypatch.setattr(distinctive, "_DERIVED_ROWS", block)

    options = {"ngram_range": (1, 2), "keep_numbers": False}
    counted = M.article_counts(bundled_sentences, min_count=2, **options)
    names, counts, docs, words = counting._group(counted, counted.articles["outlet"].to_numpy(dtype=object))
    pairs = [(0, 1), (len(names) - 1, 0), *([(0, 1)] if twice else [])]
    scored = M.keyness_arrays(counts, docs, words, pairs=pairs, min_count=3, min_docs=2, min_expected=min_expected,
                              totals=np.bincount(counting._group_codes(counted.articles["outlet"].to_numpy())[0],
                                                 weights=counted.totals).astype(np.int64))
    frames, n_tests = [], 0
    for i, j, cols in scored:
        n_tests += cols.pop("n_tests")
        index = cols.pop("term_index")
        frames.append(pd.DataFrame({"outlet": names[i], "comparison": "vs rest" if j is None else f"vs {names[j]}",
                                    "term": counted.terms[index], **cols, "ngram": counted.ngram[index]}))
    want = pd.concat(frames, ignore_index=True)
    want["q_value"] = stats.adjust_pvalues(want["p_value"].to_numpy(), n_tests=max(n_tests, len(want)))
    want = want.sort_values(["outlet", "comparison", "log_odds_z", "term"], ascending=[True, True, False, True],
                            kind="stable")
    got = M.keyness(bundled_sentences, pairs=[(names[i], names[j]) for i, j in pairs], min_count=3, min_docs=2,
                    min_expected=min_expected, counted=counted, **options)
    assert len(got) == len(want) > 100
    columns = [*KEYNESS_COLUMNS, "ngram", "doc_freq_rest", "log_odds"]
    assert list(got.columns) == columns
    for c in columns:
        a, b = got[c].to_numpy(), want[c].to_numpy()
        assert a.tolist() == b.tolist() if a.dtype == object or b.dtype == object else np.array_equal(a, b, True), c


def test_outlet_term_counts_and_doc_freq_equal_sums_over_the_article_matrix(bundled_sentences):
    # independent of _group: per outlet, the sum and the number of articles > 0 of each term's column
    counted = M.article_counts(bundled_sentences, ngram_range=(1, 2), min_count=2)
    got = M.term_counts(bundled_sentences, ngram_range=(1, 2), min_count=3, counted=counted)
    dense = counted.matrix.toarray()
    outlet = counted.articles["outlet"].to_numpy()
    want = {}
    for o in np.unique(outlet):
        part = dense[outlet == o]
        for j in np.flatnonzero((part.sum(axis=0) > 0) & (dense.sum(axis=0) >= 3)):
            want[(o, counted.terms[[j]][0])] = (int(part[:, j].sum()), int((part[:, j] > 0).sum()))
    assert len(got) == len(want) > 100
    assert {(o, t): (c, d) for o, t, c, d in got[["outlet", "term", "count", "doc_freq"]].itertuples(index=False)} \
        == want


@pytest.mark.parametrize("seed", range(8))
def test_keyness_summary_on_codes_equals_pandas_group_ranks(seed):
    # the former code (pandas' group-wise rank "first", kept as _summary_table) on random tables in any
    # row order: ties (few distinct z), zeros of both signs, NaN, groups absent from a comparison
    from analysis.terms import distinctive

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    z = rng.choice(np.array([-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, np.nan, np.inf, -np.inf]), size=n)
    z = np.where(rng.random(n) < 0.5, rng.normal(size=n).round(1), z)
    k = pd.DataFrame({"outlet": pd.Series(rng.choice(list("abcde"), size=n), dtype="str"),
                      "comparison": pd.Series(rng.choice(["vs rest", "vs a", "vs b"], size=n), dtype="str"),
                      "term": [f"t{i}" for i in range(n)], "log_odds_z": z})
    for top in (1, 3, 50):
        want = distinctive._summary_table(k, top, "outlet")
        got = M.keyness_summary(k, top=top, max_rows=0)
        pd.testing.assert_frame_equal(got, want)
    missing = k.assign(outlet=k["outlet"].where(rng.random(n) < 0.9))  # a missing group: pandas' way
    pd.testing.assert_frame_equal(M.keyness_summary(missing, top=2, max_rows=0),
                                  distinctive._summary_table(missing, 2, "outlet"))


@pytest.mark.parametrize("case", ["plain", "two outlets", "missing"])
def test_article_words_equal_pandas_grouping(case):
    # reference: pandas' groupby on the two string columns (as article_counts grouped before)
    rng = np.random.default_rng(3)
    n = 400
    art = pd.Series(rng.choice([f"a{i}" for i in range(60)], size=n), dtype="str")
    outlet = pd.Series(rng.choice(["X", "Y", "Z"], size=n), dtype="str")
    if case == "plain":  # each article one outlet
        outlet = pd.Series(np.where(art.str[1:].astype(int) % 2 == 0, "X", "Y"), dtype="str")
    if case == "missing":
        art[5], outlet[9] = None, None
    sentences = pd.DataFrame({"article_id": art, "outlet": outlet})
    words = rng.integers(0, 30, size=n)
    article, ids = pd.factorize(sentences["article_id"], sort=False)
    got = counting._article_words(sentences, article, ids, words)
    want = (pd.DataFrame({"article_id": art.to_numpy(), "outlet": outlet.to_numpy(), "words": words})
            .groupby(["article_id", "outlet"], sort=False)["words"].sum().reset_index().astype({"words": "int64"}))
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_count_matrix_stays_int64_while_article_rows_are_int32(bundled_sentences):
    d = M.count_matrix(bundled_sentences["sentence_text"].head(50).tolist(), ngram_range=(1, 2))
    counted = M.article_counts(bundled_sentences.head(50), ngram_range=(1, 2))
    assert d.matrix.dtype == np.int64 and counted.matrix.dtype == np.int32


def test_narrow_positions_int32_only_when_they_fit():
    from analysis.terms import distinctive

    small = distinctive._narrow(np.array([0, 7, 2**31 - 1], dtype=np.int64))
    assert small.dtype == np.int32 and small.tolist() == [0, 7, 2**31 - 1]
    assert distinctive._narrow(np.array([2**31], dtype=np.int64)).dtype == np.int64
    assert distinctive._narrow(np.zeros(0, dtype=np.int64)).dtype == np.int32


def test_per_1k_in_blocks_equals_the_whole_column(monkeypatch):
    rng = np.random.default_rng(5)
    count = rng.integers(0, 40, size=1000)
    words = np.r_[0, rng.integers(1, 5000, size=20)]  # a group without words gives NaN
    group = rng.integers(0, len(words), size=1000)
    monkeypatch.setattr(counting, "_PER_1K_ROWS", 7)
    got = counting._per_1k_rows(count, words, group)
    np.testing.assert_array_equal(got, counting._per_1k(count, words[group]))  # NaN where NaN, bit for bit
    assert counting._per_1k_rows(count[:0], words, group[:0]).shape == (0,)


def test_codes_are_pandas_factorize_codes():
    from analysis.terms.distinctive import _codes

    rng = np.random.default_rng(2)
    values = rng.choice(np.array(["vs rest", "vs b", "a", None], dtype=object), size=200)
    for column in (pd.Series(values, dtype="str"), pd.Series(values, dtype=object), pd.Series([], dtype="str"),
                   pd.concat([pd.Series(values[:50], dtype="str"), pd.Series(values[50:], dtype="str")])):
        assert _codes(column).tolist() == pd.factorize(column)[0].tolist()


@pytest.mark.parametrize("seed", range(4))
def test_packed_order_is_lexsort(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 3000))
    keys = (rng.integers(0, 50, n), rng.integers(0, 7, n), rng.integers(0, 3, n))
    assert counting._packed_order(*keys).tolist() == np.lexsort(keys).tolist()
    wide = (rng.integers(0, 2**40, n), rng.integers(0, 2**30, n))  # 70 bits: lexsort itself
    assert counting._packed_order(*wide).tolist() == np.lexsort(wide).tolist()
    assert counting._packed_order(np.zeros(n, np.int64)).tolist() == list(range(n))


@pytest.mark.parametrize("seed", range(4))
def test_q_values_are_adjust_pvalues_bit_for_bit(seed, monkeypatch):
    from analysis import stats
    from analysis.terms import distinctive

    monkeypatch.setattr(distinctive, "_DERIVED_ROWS", 17)  # the ranks divided in blocks
    rng = np.random.default_rng(seed)
    p = np.round(rng.random(int(rng.integers(1, 2000))), int(rng.integers(1, 4)))  # many ties
    p[rng.random(len(p)) < 0.05] = 1.0
    for n_tests in (len(p), len(p) + 1000):
        want = stats.adjust_pvalues(p, n_tests=n_tests)
        assert distinctive._q_values(p, n_tests).tobytes() == want.tobytes()
    p[0] = np.nan  # stats' path
    assert distinctive._q_values(p, len(p)).tobytes() == stats.adjust_pvalues(p, n_tests=len(p)).tobytes()


@pytest.mark.parametrize("seed", range(4))
def test_first_seen_codes_are_factorize_of_the_concatenation(seed):
    rng = np.random.default_rng(seed)
    parts = [pd.unique(rng.integers(-50, 2**40 if seed % 2 else 60, int(rng.integers(0, 40)))).astype(np.int64)
             for _ in range(int(rng.integers(0, 12)))]
    whole = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    want_codes, want_uniques = pd.factorize(whole)
    codes, uniques = counting._first_seen_codes(list(parts))
    got = np.concatenate(codes) if codes else np.zeros(0, np.int64)
    assert got.tolist() == want_codes.tolist() and uniques.tolist() == want_uniques.tolist()
    assert all(c.dtype == np.int32 for c in codes)


@pytest.mark.parametrize("seed", range(4))
def test_used_terms_are_unique_of_the_concatenation(seed):
    from analysis.terms import distinctive

    rng = np.random.default_rng(seed)
    n_terms = int(rng.integers(1, 300))
    scored = [(k, None, {"term_index": np.unique(rng.integers(0, n_terms, int(rng.integers(0, 200))))})
              for k in range(int(rng.integers(0, 6)))]
    whole = np.concatenate([c["term_index"] for _, _, c in scored]) if scored else np.zeros(0)
    want_used, want_term = np.unique(whole, return_inverse=True)
    used, term = distinctive._used_terms(scored, n_terms)
    assert used.tolist() == want_used.tolist() and term.tolist() == want_term.tolist()
    assert term.dtype == np.int32 and all("term_index" not in c for _, _, c in scored)


def test_concatenated_is_np_concatenate():
    from analysis.terms import distinctive

    rng = np.random.default_rng(0)
    parts = [rng.random(int(n)) for n in rng.integers(0, 50, 40)] + [np.arange(3, dtype=np.int32)]
    scored = [(k, None, {"x": p, "y": p}) for k, p in enumerate(parts)]
    want = np.concatenate(parts)
    got = distinctive._concatenated(scored, "x")
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
    assert all("x" not in c and "y" in c for _, _, c in scored)
    assert distinctive._concatenated(scored, "y", keep=True).tobytes() == want.tobytes()
    assert len(distinctive._concatenated([], "x")) == 0
