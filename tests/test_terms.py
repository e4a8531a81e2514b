"""Tests for analysis.terms: counts, TF-IDF, keyness (against hand and independent computations)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from analysis import terms as M
from analysis import tokens as T
from analysis.errors import ParameterError

# Tiny corpus, two outlets, stopwords off so every word counts.
# X: a = "oil oil oil talks", b = "oil talks"      -> oil 4, talks 2, n_X = 6
# Y: c = "talks talks oil",   d = "talks sea"      -> oil 1, talks 3, sea 1, n_Y = 5
TINY = pd.DataFrame({"article_id": list("abcd"), "outlet": ["X", "X", "Y", "Y"],
                     "sentence_text": ["oil oil oil talks", "oil talks", "talks talks oil", "talks sea"]})


def monroe_loop(y_i, y_j, prior, a0):
    """Plain-loop Monroe et al. (2008) eq. 16 and 18-19, written independently of the module."""
    n_i, n_j, n = sum(y_i), sum(y_j), sum(prior)
    out = []
    for yi, yj, p in zip(y_i, y_j, prior):
        a = a0 * p / n
        d = (math.log((yi + a) / (n_i + a0 - yi - a)) - math.log((yj + a) / (n_j + a0 - yj - a)))
        out.append((d, d / math.sqrt(1 / (yi + a) + 1 / (yj + a))))
    return out


def test_keyness_each_vs_rest_by_hand():
    k = M.keyness(TINY, stopwords=None, min_count=1, min_docs=1, prior_size=11)
    x = k[(k.outlet == "X")].set_index("term")
    # hand: prior = corpus counts oil 5, talks 5, sea 1 (n = 11), a0 = 11 -> alpha = 5, 5, 1
    # oil, X vs rest: ln((4+5)/(6+11-4-5)) - ln((1+5)/(5+11-1-5)) = ln(9/8) - ln(6/10) = 0.628609
    assert x.loc["oil", "log_odds"] == pytest.approx(math.log(9 / 8) - math.log(6 / 10))
    assert x.loc["oil", "log_odds_z"] == pytest.approx(0.628609 / math.sqrt(1 / 9 + 1 / 6), abs=1e-6)
    # sea: X has 0, rest 1 -> ln(1/16) - ln(2/14)
    assert x.loc["sea", "log_odds"] == pytest.approx(math.log(1 / 16) - math.log(2 / 14))
    # raw counts and rates beside the score: oil 4 of 6 words, rest 1 of 5 words
    assert x.loc["oil", ["count", "count_rest", "doc_freq"]].tolist() == [4, 1, 2]
    assert x.loc["oil", "per_1k"] == pytest.approx(4000 / 6, abs=1e-5)
    assert x.loc["oil", "per_1k_rest"] == pytest.approx(200.0)
    # log ratio: log2(((4 + .5)/6) / ((1 + .5)/5)) = log2(2.5)
    assert x.loc["oil", "log_ratio"] == pytest.approx(math.log2(2.5))


def test_g2_by_hand_and_against_scipy():
    # hand: oil X vs rest, 2x2 [[4, 1], [2, 4]]; N = 11, E = [[30/11, 25/11], [36/11, 30/11]]
    obs = np.array([[4, 1], [2, 4]])
    exp = np.array([[30 / 11, 25 / 11], [36 / 11, 30 / 11]])
    hand = 2 * (obs * np.log(obs / exp)).sum()
    g, p = M.g2_test([4], [1], [6], [5])
    assert g[0] == pytest.approx(hand)
    stat, p_scipy, _, _ = chi2_contingency(obs, correction=False, lambda_="log-likelihood")
    assert g[0] == pytest.approx(stat) and p[0] == pytest.approx(p_scipy)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_keyness_arrays_against_independent_implementations(seed):
    rng = np.random.default_rng(seed)
    counts = rng.poisson(3, size=(4, 30))
    counts[:, 0] = 0
    counts[0, 0] = 5  # a term only one group uses
    docs = np.minimum(counts, 2)
    words = counts.sum(axis=1) + 10
    res = M.keyness_arrays(counts, docs, words, pairs=[(1, 2)], prior_size=50, min_count=1, min_docs=1)
    prior = counts.sum(axis=0)
    for i, j, cols in res:
        y_i = counts[i]
        y_j = prior - counts[i] if j is None else counts[j]
        idx = cols["term_index"]
        ref = monroe_loop(y_i.tolist(), y_j.tolist(), prior.tolist(), 50)
        assert np.allclose(cols["log_odds"], [ref[t][0] for t in idx])
        assert np.allclose(cols["log_odds_z"], [ref[t][1] for t in idx])
        for t, g2, p in zip(idx, cols["g2"], cols["p_value"]):
            table = np.array([[y_i[t], y_j[t]], [y_i.sum() - y_i[t], y_j.sum() - y_j[t]]])
            if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
                continue  # scipy needs non-empty margins
            stat, ps, _, _ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
            assert g2 == pytest.approx(stat, rel=1e-7, abs=1e-9) and p == pytest.approx(ps, rel=1e-7)


def test_keyness_filters_and_q_values():
    k = M.keyness(TINY, stopwords=None, min_count=2, min_docs=3)
    # oil: 5 occurrences in 3 articles (a, b, c); talks: 5 in 4; sea: 1 in 1 -> dropped
    assert sorted(k.term.unique()) == ["oil", "talks"]
    from statsmodels.stats.multitest import multipletests

    assert np.allclose(k.q_value, multipletests(k.p_value, method="fdr_bh")[1])


def test_keyness_pairs_and_columns():
    s = pd.concat([TINY, pd.DataFrame({"article_id": ["e"], "outlet": ["Z"], "sentence_text": ["sea oil"]})])
    k = M.keyness(s, stopwords=None, min_count=1, min_docs=1, pairs=[("X", "Y")])
    assert list(k.columns[:13]) == list(M.KEYNESS_COLUMNS)
    pair = k[k.comparison == "vs Y"].set_index("term")
    assert pair.loc["oil", ["count", "count_rest"]].tolist() == [4, 1]
    assert set(k.comparison) == {"vs rest", "vs Y"}
    with pytest.raises(ParameterError):
        M.keyness(s, pairs=[("X", "nope")])
    with pytest.raises(ParameterError):
        M.keyness(TINY[TINY.outlet == "X"])


def test_term_counts_per_outlet_and_article():
    c = M.term_counts(TINY, stopwords=None)
    assert c.values.tolist() == [
        ["X", "oil", 1, 4, pytest.approx(666.666667), 2], ["X", "talks", 1, 2, pytest.approx(333.333333), 2],
        ["Y", "talks", 1, 3, 600.0, 2], ["Y", "oil", 1, 1, 200.0, 1], ["Y", "sea", 1, 1, 200.0, 1]]
    a = M.term_counts(TINY, stopwords=None, level="article")
    assert a[a.article_id == "a"][["term", "count", "doc_freq"]].values.tolist() == [["oil", 3, 3], ["talks", 1, 4]]


def test_count_matrix_ngrams_equal_plain_loop(bundled_sentences):
    # independent: count n-grams with a Python loop over the token table
    texts = bundled_sentences.sentence_text.tolist()
    dtm = M.count_matrix(texts, ngram_range=(1, 3), stopwords=None)
    tok = T.tokenize(bundled_sentences, stopwords=None)
    expect: dict[str, int] = {}
    for _, g in tok.groupby("sentence_id", sort=False):
        ts = g.term.tolist()
        for n in (1, 2, 3):
            for i in range(len(ts) - n + 1):
                key = " ".join(ts[i:i + n])
                expect[key] = expect.get(key, 0) + 1
    got = dict(zip(dtm.terms, np.asarray(dtm.matrix.sum(axis=0)).ravel()))
    assert got == expect
    assert dtm.words.sum() == len(tok)


def test_count_matrix_stopword_edges_and_min_count():
    d = M.count_matrix(["the state of emergency", "state of emergency of the state"], ngram_range=(2, 3))
    assert dict(zip(d.terms, np.asarray(d.matrix.sum(axis=0)).ravel())) == {"state of emergency": 2}
    d = M.count_matrix(["a b a", "a"], stopwords=None, min_count=2)
    assert d.terms.tolist() == ["a"]
    with pytest.raises(ParameterError):
        M.count_matrix(["x"], ngram_range=(1, 4))


def test_tf_idf_by_hand():
    c = M.term_counts(TINY, stopwords=None)
    t = M.tf_idf(c).set_index(["outlet", "term"])
    # sea: in 1 of 2 outlets -> idf = ln(3/2) + 1; tf = 200 per 1,000
    assert t.loc[("Y", "sea"), "tf_idf"] == pytest.approx(200 * (math.log(3 / 2) + 1), abs=1e-6)
    assert t.loc[("Y", "oil"), "idf"] == pytest.approx(1.0)


def test_collocations_and_dispersion(bundled_sentences, bundled_articles):
    tok = T.tokenize(bundled_sentences)
    col = M.collocations(tok, measure="pmi", top=5)
    assert (col.groupby("outlet").size() <= 5).all() and (col["count"] >= 2).all()
    assert "international law" in set(M.collocations(tok).term.str.lower())
    occ = M.dispersion(tok, ["oil"])
    assert len(occ) == int((tok.term == "oil").sum())
    assert occ.relative_position.between(0, 1).all()
    summary = M.dispersion_summary(occ, bundled_articles)
    assert summary["count"].sum() == len(occ) and len(summary) == 5
    with pytest.raises(ParameterError):
        M.collocations(tok, measure="dice")


def test_collocations_from_counts_per_article_equal_collocations_from_the_token_table(bundled_sentences):
    # the report's path: counts of each article added up (per_article, one chunk per article),
    # then scored; the same table as scoring the whole corpus's tokens
    from analysis.partition import per_article

    tok = T.tokenize(bundled_sentences, stem=True)
    counts = per_article(M.collocation_counts, bundled_sentences, chunk_articles=1, tokenize={"stem": True})
    pd.testing.assert_frame_equal(counts, M.collocation_counts(bundled_sentences, tokenize={"stem": True}))
    for measure in ("likelihood", "pmi"):
        pd.testing.assert_frame_equal(M.collocations(counts, measure=measure, top=50),
                                      M.collocations(tok, measure=measure, top=50))
    words = counts[counts.unit == "word"]  # by hand: every kept word counted once per outlet
    keep = tok[~tok.is_stopword & (tok[T.TOKEN_KIND] == "word")]
    assert words["count"].sum() == len(keep)
    assert counts[counts.unit == "form"]["count"].sum() == len(keep)


TRICKY = pd.DataFrame({
    "sentence_id": ["a/0", "a/1", "b/0", "b/1", "c/0"], "article_id": ["a", "a", "b", "b", "c"],
    "outlet": ["X", "X", "Y", "Y", "X"], "start": [0, 40, 0, 50, 0],
    "sentence_text": ["I will be willing, Donald Trump said of 1,000 U.S. jobs.",
                      "Trump wrote to @some_user and Donald_Trump fans.",
                      "Díaz-Canel’s willing oil oil; oil-rich Cuba's oil.", "", "the the of"]})


@pytest.mark.parametrize("options", [
    {}, {"keep_numbers": False}, {"stem": True}, {"stopwords": None}, {"stopwords": ["oil"]},
    {"phrases": {"Donald Trump": ["Trump", "Donald Trump"]}},
    {"phrases": {"Donald Trump": ["Trump"]}, "stem": True, "fold_accents": False},
])
def test_collocation_counts_equal_counting_the_token_table(bundled_sentences, options):
    # the encoded path against the token table it replaced (independent: tokenize's own loop):
    # stemmed stopwords ("willing" -> "will"), underscores of the text's own beside joined phrases,
    # numbers, an empty sentence and a sentence of stopwords only
    from analysis.terms.context import _pair_counts

    for sentences in (TRICKY, bundled_sentences, TRICKY.iloc[:0]):
        got = M.collocation_counts(sentences, tokenize=options)
        want = _pair_counts(T.tokenize(sentences, **options))
        pd.testing.assert_frame_equal(got, want)
    forms = M.collocation_counts(TRICKY, tokenize=options)
    forms = set(forms.loc[forms.unit == "form", "second"])
    assert "some_user" in forms  # the text's own underscore stays
    assert ("Donald Trump" in forms) == bool(options.get("phrases"))


def test_term_contexts_are_kwic_lines_and_dispersion_positions(bundled_sentences, bundled_articles):
    from analysis import kwic as K

    phrases = {"Miguel Díaz-Canel": ["Díaz-Canel", "Diaz-Canel"]}
    options = {"phrases": phrases, "stem": False, "keep_numbers": False}
    tok = T.tokenize(bundled_sentences, **options)
    queries = ["oil", "Díaz-Canel", "oil supplies"]
    got = M.term_contexts(bundled_sentences, articles=bundled_articles, terms=queries, tokenize=options)
    lines = K.kwic_terms(tok, bundled_articles, queries, sentences=bundled_sentences)
    pd.testing.assert_frame_equal(got[list(lines.columns)], lines)
    where = M.dispersion(tok, queries)
    cols = ["query", "article_id", "start", "position", "relative_position"]
    mine = got[cols].sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, where[cols].sort_values(cols).reset_index(drop=True))
    assert (got["term"][got["query"] == "Díaz-Canel"] == "miguel_diaz-canel").all()
    assert len(got[got["query"] == "Díaz-Canel"]) > 3


@pytest.mark.parametrize("options", [
    {}, {"keep_numbers": False}, {"stem": True}, {"stopwords": None},
    {"phrases": {"Donald Trump": ["Trump", "Donald Trump"]}, "keep_numbers": False},
    {"phrases": {"Donald Trump": ["Trump"]}, "stem": True, "fold_accents": False},
])
def test_term_contexts_hits_from_ids_equal_the_token_table_path(bundled_sentences, options):
    # the id path (no token table) against term_hits on tokenize's table, then _positions;
    # TRICKY ends an article on a number (dropped with keep_numbers=False: the article's
    # length is then its last kept position + 1), has n-gram queries across a stopword and an
    # underscore of the text's own
    from analysis.terms.context import _encoded_hits, _positions, term_hits_of

    queries = ["oil", "Trump", "Donald Trump", "U.S. jobs", "oil oil", "1,000", "willing", "the of",
               "Díaz-Canel", "nowhere", "some_user"]
    tricky = pd.concat([TRICKY, TRICKY.iloc[[0]].assign(sentence_id="c/9", article_id="c",
                                                         sentence_text="Oil fell 3.5")], ignore_index=True)
    tricky["start"] = np.arange(len(tricky)) * 100  # token starts unique within an article, as in real tables
    for sentences in (tricky, bundled_sentences):
        tok = T.tokenize(sentences, **options)
        want = _positions(tok, term_hits_of(tok, queries, options))
        got = _encoded_hits(sentences, queries, options)
        pd.testing.assert_frame_equal(got, want)
        assert len(want) > 3


def test_term_hits_reads_name_variants_from_the_phrases_not_the_tokens():
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": "X", "start": 0,
                      "sentence_text": ["Donald Trump spoke.", "Trump cards and a trump."]})
    phrases = {"Donald Trump": ["Trump"]}
    tok = T.tokenize(s, phrases=phrases)
    from analysis.kwic import term_hits

    hits = term_hits(tok, ["Trump", "Trump cards", "Donald Trump"], phrases=phrases)
    assert hits[["query", "term", "article_id", "start", "end"]].values.tolist() == [
        ["Trump", "donald_trump", "a", 0, 12], ["Trump", "donald_trump", "b", 0, 5],
        ["Trump", "donald_trump", "b", 18, 23], ["Trump cards", "donald_trump cards", "b", 0, 11],
        ["Donald Trump", "donald_trump", "a", 0, 12], ["Donald Trump", "donald_trump", "b", 0, 5],
        ["Donald Trump", "donald_trump", "b", 18, 23]]
    # the same hits for b from b's tokens alone: nothing is read from other articles' tokens
    alone = term_hits(tok[tok.article_id == "b"], ["Trump", "Trump cards"], phrases=phrases)
    assert alone[["start", "end"]].values.tolist() == [[0, 5], [18, 23], [0, 11]]


@pytest.mark.parametrize("measure,min_freq", [("likelihood", 2), ("pmi", 2), ("likelihood", 1), ("pmi", 1)])
def test_collocations_match_nltk_finder(bundled_sentences, measure, min_freq):
    # independent implementation: NLTK's BigramCollocationFinder, one document per sentence
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    tok = T.tokenize(bundled_sentences)
    ours = M.collocations(tok, measure=measure, min_freq=min_freq, top=10_000)
    keep = tok[~tok.is_stopword & (tok[T.TOKEN_KIND] == "word")]
    scorer = {"likelihood": BigramAssocMeasures.likelihood_ratio, "pmi": BigramAssocMeasures.pmi}[measure]
    for outlet, part in keep.groupby("outlet"):
        finder = BigramCollocationFinder.from_documents(part.groupby("sentence_id", sort=False).term.agg(list))
        finder.apply_freq_filter(min_freq)
        theirs = [(round(score, 4), finder.ngram_fd[p], finder.word_fd[p[0]], finder.word_fd[p[1]], " ".join(p))
                  for p, score in finder.score_ngrams(scorer)]
        mine = ours[ours.outlet == outlet]
        assert len(theirs) > 0
        assert sorted(t[:4] for t in theirs) == sorted(
            zip(mine.score.round(4), mine["count"], mine.count_first, mine.count_second))
        plain = {t[4]: t[:4] for t in theirs}  # most display forms are the terms, capitalised
        rows = list(zip(mine.term.str.lower(), mine.score.round(4), mine["count"], mine.count_first,
                        mine.count_second))
        found = [(plain[term], tuple(row)) for term, *row in rows if term in plain]
        assert len(found) >= 0.9 * len(rows) and all(a == b for a, b in found)
        top3 = M.collocations(tok[tok.outlet == outlet], measure=measure, min_freq=min_freq, top=3)
        assert top3.score.round(4).tolist() == [t[0] for t in theirs[:3]]


def test_deterministic(bundled_sentences):
    a = M.keyness(bundled_sentences, ngram_range=(1, 2))
    b = M.keyness(bundled_sentences.sample(frac=1, random_state=1).sort_index(), ngram_range=(1, 2))
    pd.testing.assert_frame_equal(a, b)


def test_count_matrix_in_many_batches_equals_one_batch(bundled_sentences, monkeypatch):
    texts = bundled_sentences.sentence_text.tolist()
    one = M.count_matrix(texts, ngram_range=(1, 3), min_count=2)
    from analysis.terms import counting

    monkeypatch.setattr(counting, "BATCH_TOKENS", 7)  # a batch per sentence or two
    many = M.count_matrix(texts, ngram_range=(1, 3), min_count=2)
    assert (one.matrix != many.matrix).nnz == 0 and one.matrix.shape == many.matrix.shape
    assert one.terms.tolist() == many.terms.tolist() and one.surfaces.tolist() == many.surfaces.tolist()
    assert one.words.tolist() == many.words.tolist()


def test_encoder_batches_equal_encode(bundled_sentences):
    texts = bundled_sentences.sentence_text.tolist()
    whole = T.encode(texts)
    enc = T.Encoder()
    ids = np.concatenate([enc.add(texts[i:i + 5])[0] for i in range(0, len(texts), 5)])
    info = enc.finish()
    assert whole.terms[whole.ids].tolist() == info.terms[ids].tolist()
    assert whole.surfaces.tolist() == info.surfaces.tolist() and whole.counts.tolist() == info.counts.tolist()


def test_min_expected_leaves_out_only_absent_unexpected_terms_and_bh_counts_them():
    # X never uses "sea"; its expected count there is 1 x 6/11 = 0.55 words: below 1, so it is left out
    full = M.keyness(TINY, stopwords=None, min_count=1, min_docs=1, min_expected=0)
    cut = M.keyness(TINY, stopwords=None, min_count=1, min_docs=1, min_expected=1)
    gone = full.merge(cut, how="left", on=["outlet", "comparison", "term"], indicator=True)
    assert gone.loc[gone._merge == "left_only", ["outlet", "term", "count_x"]].values.tolist() == [["X", "sea", 0]]
    kept = full.set_index(["outlet", "term"]).loc[cut.set_index(["outlet", "term"]).index]
    assert np.allclose(kept.log_odds_z, cut.log_odds_z) and np.allclose(kept.p_value, cut.p_value)
    # q: BH over all 6 tests, the left-out one counted as p = 1 (never lower than BH over the 5 kept)
    from statsmodels.stats.multitest import multipletests

    assert np.allclose(cut.q_value, multipletests(np.r_[cut.p_value, 1.0], method="fdr_bh")[1][:-1])
    assert (cut.q_value.to_numpy() >= multipletests(cut.p_value, method="fdr_bh")[1] - 1e-12).all()
    # "auto" keeps every row of a small table
    pd.testing.assert_frame_equal(M.keyness(TINY, stopwords=None, min_count=1, min_docs=1), full)
    with pytest.raises(ParameterError, match="min_expected"):
        M.keyness(TINY, min_expected=-1)


def test_keyness_by_another_column_and_sparse_arrays_equal_dense():
    s = TINY.assign(bias=["left", "left", "right", "right"], outlet=["X", "Z", "Y", "W"])
    by_bias = M.keyness(s, by="bias", stopwords=None, min_count=1, min_docs=1)
    by_outlet = M.keyness(TINY, stopwords=None, min_count=1, min_docs=1)
    assert by_bias.columns[0] == "bias" and set(by_bias.bias) == {"left", "right"}
    pd.testing.assert_frame_equal(by_bias.drop(columns="bias"), by_outlet.drop(columns="outlet"))
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    counts = rng.poisson(1, size=(5, 40))
    docs = np.minimum(counts, 1)
    dense = M.keyness_arrays(counts, docs, counts.sum(axis=1), pairs=[(0, 1)], min_count=2, min_docs=1)
    sparse = M.keyness_arrays(sp.csr_matrix(counts), sp.csr_matrix(docs), counts.sum(axis=1), pairs=[(0, 1)],
                              min_count=2, min_docs=1)
    for (i, j, a), (k, m, b) in zip(dense, sparse):
        assert (i, j) == (k, m) and all(np.array_equal(a[c], b[c], equal_nan=True) for c in a)


def test_keyness_summary_keeps_top_terms_per_comparison():
    k = M.keyness(TINY, stopwords=None, min_count=1, min_docs=1)
    assert M.keyness_summary(k).equals(k)  # small: whole
    cut = M.keyness_summary(k, top=1, max_rows=1)
    assert cut.groupby(["outlet", "comparison"]).size().max() <= 2
    x = cut[cut.outlet == "X"].set_index("term")
    assert x.log_odds_z.max() == k[k.outlet == "X"].log_odds_z.max()
    assert x.log_odds_z.min() == k[k.outlet == "X"].log_odds_z.min()
    assert "all 4 tested rows" in M.summary_note(4, 4) and "(2 rows;" in M.summary_note(9, 2)


def test_stemmed_counts_keep_a_word_whose_stem_is_a_stopword_whatever_the_order():
    # "willing" stems to "will", a stopword; the token is no stopword (tokenize's flag), so it
    # counts, and "will" itself never does. Before, the term took the flag of its first raw
    # form, so the counts changed with the order of the texts.
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "Y"], "start": 0,
                      "sentence_text": ["I will go.", "He was willing to go, willing indeed."]})
    for order in (s, s.iloc[::-1]):
        got = M.term_counts(order, stem=True, min_count=1)
        assert sorted(got[["outlet", "term", "count"]].values.tolist()) == [
            ["X", "go", 1], ["Y", "go", 1], ["Y", "indeed", 1], ["Y", "willing", 2]]
    tok = T.tokenize(s, stem=True)
    kept = tok[~tok.is_stopword & (tok.kind == "word")]
    assert kept.groupby("outlet").size().to_dict() == {"X": 1, "Y": 4}  # the same tokens, by hand


@pytest.mark.parametrize("options", [
    {}, {"ngram_range": (1, 2), "keep_numbers": False}, {"ngram_range": (1, 3), "stem": True, "stopwords": None},
    {"ngram_range": (1, 2), "phrases": {"Donald Trump": ["Trump"]}, "extra_stopwords": ["said"]},
])
def test_counted_once_gives_term_counts_and_keyness_byte_for_byte(bundled_sentences, options):
    # one article_counts shared by term_counts (cut to its min_count) and keyness, against each counting alone
    options = {"keep_numbers": True, **options}  # keyness's default is False, term_counts' True
    counted = M.article_counts(bundled_sentences, **options)
    for level in ("outlet", "article"):
        for min_count in (1, 2, 5):
            want = M.term_counts(bundled_sentences, level=level, min_count=min_count, **options)
            got = M.term_counts(bundled_sentences, level=level, min_count=min_count, counted=counted, **options)
            assert got.to_csv() == want.to_csv()
            assert len(want) > 20
    lead = bundled_sentences.groupby("outlet").size().index[:2]
    grouped = bundled_sentences.assign(bias=np.where(bundled_sentences.outlet == lead[0], "left", "right"))
    for by, table in (("outlet", bundled_sentences), ("bias", grouped)):
        pairs = [tuple(lead)] if by == "outlet" else [("left", "right")]
        want = M.keyness(table, by=by, pairs=pairs, min_count=2, **options)
        got = M.keyness(table, by=by, pairs=pairs, min_count=2, counted=counted, **options)
        assert got.to_csv() == want.to_csv()
    words = M.count_matrix(bundled_sentences.sentence_text.tolist(), ngram_range=options.get("ngram_range", (1, 1)),
                           keep_numbers=options["keep_numbers"],
                           **M.token_options(options.get("stopwords", "english"), options.get("extra_stopwords", ()),
                                             options.get("stem", False), options.get("phrases")))
    assert counted.terms[np.arange(len(words.surfaces))[::-1]].tolist() == words.surfaces[::-1].tolist()


def test_counted_refuses_other_options_or_other_articles(bundled_sentences):
    counted = M.article_counts(bundled_sentences, ngram_range=(1, 2))
    with pytest.raises(ParameterError, match="ngram_range"):
        M.term_counts(bundled_sentences, counted=counted)
    with pytest.raises(ParameterError, match="articles"):
        M.keyness(bundled_sentences[bundled_sentences.article_id != bundled_sentences.article_id.iloc[0]],
                  ngram_range=(1, 2), keep_numbers=True, counted=counted)
    with pytest.raises(ParameterError, match="article_counts"):
        M.term_counts(bundled_sentences, counted="counts")
