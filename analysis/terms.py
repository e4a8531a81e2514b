"""Count terms and find the terms that set outlets apart, for any number of outlets.

Counting runs on :func:`analysis.tokens.encode` (one token rule for the whole package) and
is vectorised: n-grams are integer codes built with numpy, counted into a scipy sparse
document-term matrix, and turned into strings only for the terms that are kept.

Keyness compares each outlet with the rest of the corpus, and any chosen pair of outlets,
with three statistics side by side, all on the same counts:

* the log-odds ratio with an informative Dirichlet prior and its z-score (Monroe, Colaresi
  & Quinn 2008, "Fightin' Words", Political Analysis 16(4), eq. 16-22), prior from the
  whole corpus's term frequencies, prior size a parameter;
* Dunning's log-likelihood G2 (1993) with its chi-square(1) p-value, and Benjamini-Hochberg
  q-values over every test in the table (:func:`analysis.stats.adjust_pvalues`);
* Hardie's (2014) log ratio, log2 of the ratio of relative frequencies, as effect size.

Raw counts in both groups and document frequencies stand beside every score, and
minimum-count and minimum-document filters keep one article from making a term "typical"
of an outlet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import schema as S
from analysis import stats
from analysis import tokens as T
from analysis.errors import ParameterError
from analysis.params import ENTITIES_FILE, Param

# --- columns ------------------------------------------------------------------------------
TERM = T.TERM  # the term, shown in its most frequent surface form ("Díaz-Canel", "oil supplies")
NGRAM = "ngram"  # number of words in the term (a joined name counts as one)
COUNT = "count"  # occurrences
PER_1K = "per_1k"  # occurrences per 1,000 words (words: analysis.tokens.word_counts)
DOC_FREQ = "doc_freq"  # articles containing the term
COMPARISON = "comparison"  # "vs rest" or "vs <outlet>"
COUNT_REST = "count_rest"  # occurrences in the comparison group
PER_1K_REST = "per_1k_rest"
DOC_FREQ_REST = "doc_freq_rest"
LOG_ODDS = "log_odds"  # Monroe et al.'s delta, natural log
LOG_ODDS_Z = "log_odds_z"  # delta / sqrt(var): > 0 the outlet uses the term more
G2 = "g2"  # Dunning's log-likelihood, >= 0
P_VALUE = "p_value"  # chi-square(1) upper tail of g2
Q_VALUE = "q_value"  # Benjamini-Hochberg over every row of the keyness table
LOG_RATIO = "log_ratio"  # log2 of the ratio of per-word rates (0.5 added to both counts)
TF_IDF = "tf_idf"
IDF = "idf"
SCORE = "score"
MEASURE = "measure"
RELATIVE_POSITION = "relative_position"

COUNTS_COLUMNS = (S.OUTLET, TERM, NGRAM, COUNT, PER_1K, DOC_FREQ)
KEYNESS_COLUMNS = (S.OUTLET, COMPARISON, TERM, COUNT, COUNT_REST, PER_1K, PER_1K_REST, DOC_FREQ,
                   LOG_ODDS_Z, G2, P_VALUE, Q_VALUE, LOG_RATIO)
REST = "vs rest"
MISSING_GROUP = "(none)"  # group of articles whose `by` value is missing

DEFAULT_PRIOR_SIZE = 100.0  # alpha_0: pseudo-counts of the corpus-frequency prior (Monroe et al.)
DEFAULT_MIN_COUNT = 5  # a term is tested when it occurs >= 5 times in the two groups together
DEFAULT_MIN_DOCS = 2  # ... and in >= 2 articles, so one article cannot carry it alone
LOG_RATIO_PSEUDO = 0.5  # added to both counts in the log ratio (Hardie 2014's zero correction)

PARAMETERS: dict[str, Param] = {
    "ngram_range": Param(list, "[min, max] words per term, within 1..3", item_type=int),
    "min_count": Param(int, "minimum occurrences for a term to be counted/tested", min=1),
    "min_docs": Param(int, "minimum articles containing a term for it to be tested", min=1),
    "stopwords": Param(str, "stopword list: 'english' or 'none'", choices=("english", "none")),
    "extra_stopwords": Param(list, "more words to treat as stopwords", item_type=str),
    "stem": Param(bool, "stem words with NLTK's Porter stemmer"),
    "keep_numbers": Param(bool, "count numbers as terms"),
    "entities_file": ENTITIES_FILE,
    "prior_size": Param((int, float), "Dirichlet prior size alpha_0 of the log-odds", min=0.001),
    "pair": Param(list, "two outlets to compare head to head; [] picks the two largest",
                  item_type=str),
    "inspect_terms": Param(list, "terms to show in context and in the dispersion plot",
                           item_type=str),
    "top_n": Param(int, "terms per outlet in the tables and figures", min=1, max=100),
}


class DocTermMatrix(NamedTuple):
    """Counts of terms per text: ``matrix[i, j]`` is how often term j occurs in text i."""

    matrix: sp.csr_matrix  # int64 counts, texts x terms
    terms: np.ndarray  # normalised term keys (object array of str; n-gram words joined by " ")
    ngram: np.ndarray  # int64 words per term
    surfaces: np.ndarray  # display form of each term (most frequent surface of each word)
    words: np.ndarray  # int64 tokens per text (stopwords and numbers included)


def _check_range(ngram_range) -> tuple[int, int]:
    try:
        lo, hi = (int(v) for v in ngram_range)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"ngram_range: {ngram_range!r}; use two integers [min, max]") from exc
    if not 1 <= lo <= hi <= 3:
        raise ParameterError(f"ngram_range: {ngram_range!r}; need 1 <= min <= max <= 3")
    return lo, hi


BATCH_TOKENS = 250_000  # tokens per batch of count_matrix (bounds its per-token arrays: ~20 MB)


def _order_batch(ids: np.ndarray, doc_of: np.ndarray, n: int, stop: np.ndarray, number: np.ndarray | None,
                 n_docs: int):
    """Count one batch's n-grams of one order: (unique codes in first-seen order, local csr)."""
    m = max(len(ids) - n + 1, 0)
    valid = (doc_of[:m] == doc_of[n - 1:n - 1 + m]) & ~stop[ids[:m]] & ~stop[ids[n - 1:n - 1 + m]]
    if number is not None:
        for k in range(n):
            valid &= ~number[ids[k:k + m]]
    pos = np.flatnonzero(valid)
    del valid
    if n == 1:
        codes = ids[pos].astype(np.int64)
    else:
        codes = ids[pos].astype(np.int64)
        for k in range(1, n):
            codes = codes * _CODE_BASE + ids[pos + k]
    cols, uniques = pd.factorize(codes)
    del codes
    mat = sp.csr_matrix((np.ones(len(pos), dtype=np.int32), (doc_of[pos], cols.astype(np.int32))),
                        shape=(n_docs, len(uniques)))
    mat.sum_duplicates()
    return uniques, mat


_CODE_BASE = 1 << 21  # n-gram code = id_1 * 2^21 + id_2 ...: unique while the vocabulary < 2,097,152


def _decode(codes: np.ndarray, n: int) -> np.ndarray:
    """Split n-gram codes into their word ids (len(codes) x n)."""
    parts = np.empty((len(codes), n), dtype=np.int64)
    for k in range(n - 1, -1, -1):
        parts[:, k] = codes % _CODE_BASE
        codes = codes // _CODE_BASE
    return parts


def _join(words: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """Join the words of each n-gram with spaces (object array); each string built once."""
    if parts.shape[1] == 1:
        return words[parts[:, 0]].astype(object)
    out = np.empty(len(parts), dtype=object)
    out[:] = [" ".join(t) for t in zip(*(words[parts[:, k]] for k in range(parts.shape[1])))]
    return out


def count_matrix(
    texts: Iterable[str],
    *,
    ngram_range: Sequence[int] = (1, 1),
    min_count: int = 1,
    keep_numbers: bool = True,
    **token_options,
) -> DocTermMatrix:
    """Count the terms (n-grams) of each text into a sparse document-term matrix.

    Parameters
    ----------
    texts : iterable of str
        One text per unit; n-grams never cross units (pass sentences to keep them within
        sentences).
    ngram_range : (int, int), default (1, 1)
        Smallest and largest n-gram, within 1..3.
    min_count : int, default 1
        Keep terms occurring at least this often in all texts together.
    keep_numbers : bool, default True
        Count number tokens and n-grams containing them.
    **token_options
        ``lowercase, fold_accents, stopwords, stem, phrases`` as in
        :func:`analysis.tokens.tokenize`.

    Returns
    -------
    DocTermMatrix
        ``matrix`` (texts x terms), term keys, n-gram sizes, display forms, words per text.
        Columns are ordered by n-gram size, then by first occurrence.

    Notes
    -----
    Stopwords are not counted as unigrams, and an n-gram is not counted when it starts or
    ends with one ("state of emergency" counts, "of the" does not). N-grams are formed on
    the full token stream, so stopwords inside them are kept.

    Cost: O(tokens) time. Texts are encoded and counted in batches of about
    :data:`BATCH_TOKENS` tokens (:class:`analysis.tokens.Encoder` keeps one vocabulary), so
    per-token arrays exist for one batch at a time; what grows with the corpus is the
    vocabulary and the per-batch counts (about 8 bytes per non-zero cell) until they are
    copied into the result (12 bytes per non-zero cell). ``bench/terms.py`` measures the
    peak against scikit-learn's CountVectorizer. N-gram codes pack word ids in 21 bits, so
    n-grams need fewer than 2,097,152 distinct terms (a ParameterError says so).

    Examples
    --------
    >>> d = count_matrix(["Oil supplies to Cuba.", "Cuba’s oil supplies were cut."], ngram_range=(1, 2))
    >>> d.matrix.toarray().tolist(), d.terms.tolist(), d.words.tolist()
    ([[1, 1, 1, 0, 1, 0], [1, 1, 1, 1, 1, 1]], ['oil', 'supplies', 'cuba', 'cut', 'oil supplies', 'cuba oil'], [4, 5])
    """
    lo, hi = _check_range(ngram_range)
    if not isinstance(min_count, int | np.integer) or min_count < 1:
        raise ParameterError(f"min_count: {min_count!r}; use an integer >= 1")
    texts = texts if isinstance(texts, list) else list(texts)
    enc = T.Encoder(**token_options)
    orders = list(range(lo, hi + 1))
    batches: list[tuple[int, np.ndarray, list]] = []  # (first text, tokens per text, per order)
    start = 0
    while start < len(texts):
        stop_at = start + 1
        budget = 6 * BATCH_TOKENS  # characters, about six per token
        size = len(texts[start])
        while stop_at < len(texts) and size + len(texts[stop_at]) <= budget:
            size += len(texts[stop_at])
            stop_at += 1
        ids, lengths = enc.add(texts[start:stop_at])
        if enc.n_terms >= _CODE_BASE and hi > 1:
            raise ParameterError(f"ngram_range: {ngram_range!r}; the texts have more than "
                                 f"{_CODE_BASE:,} distinct terms, too many for n-grams; count unigrams")
        stop, number = enc.arrays()
        doc_of = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
        per = [_order_batch(ids, doc_of, n, stop, None if keep_numbers else number, len(lengths))
               for n in orders]
        del ids, doc_of
        batches.append((start, lengths, per))
        start = stop_at
    info = enc.finish()
    n_texts = len(texts)
    col_maps, keys, shown, sizes, offset = [], [], [], [], 0
    for o, n in enumerate(orders):  # global columns: first occurrence over the batches
        allu = np.concatenate([b[2][o][0] for b in batches]) if batches else np.zeros(0, np.int64)
        for b in batches:  # the batch's codes now live in allu only
            b[2][o] = (len(b[2][o][0]), b[2][o][1])
        gcols, guniq = pd.factorize(allu)
        del allu
        gcols = gcols.astype(np.int32) if len(guniq) < 2**31 else gcols
        total = np.zeros(len(guniq), dtype=np.int64)
        maps, at = [], 0
        for b in batches:
            n_u, mat = b[2][o]
            local = gcols[at:at + n_u]
            at += n_u
            maps.append(local)
            total += np.bincount(local[mat.indices], weights=mat.data, minlength=len(guniq)).astype(np.int64)
        keep = np.flatnonzero(total >= min_count)
        new_col = np.full(len(guniq), -1, dtype=np.int64 if len(guniq) >= 2**31 else np.int32)
        new_col[keep] = offset + np.arange(len(keep))
        col_maps.append([new_col[m] for m in maps])
        del gcols, maps
        parts = _decode(guniq[keep], n) if n > 1 else guniq[keep].reshape(-1, 1)
        keys.append(_join(info.terms, parts))
        key, show = keys[-1], _join(info.surfaces, parts)
        same = show == key
        show[same] = key[same]  # one string object where the display form is the key (~half the terms)
        shown.append(show)
        del key, show, same
        sizes.append(np.full(len(keep), n, dtype=np.int64))
        offset += len(keep)
    row_nnz = np.zeros(n_texts, dtype=np.int64)
    for k, (first, lengths, per) in enumerate(batches):
        for (_, mat), cmaps in zip(per, col_maps):
            rows = np.repeat(np.arange(len(lengths)), np.diff(mat.indptr))
            row_nnz[first:first + len(lengths)] += np.bincount(rows[cmaps[k][mat.indices] >= 0],
                                                                minlength=len(lengths))
    indptr = np.zeros(n_texts + 1, dtype=np.int64)
    np.cumsum(row_nnz, out=indptr[1:])
    del row_nnz
    idx_type = np.int32 if max(offset, int(indptr[-1])) < 2**31 else np.int64
    indices = np.empty(int(indptr[-1]), dtype=idx_type)
    data = np.empty(int(indptr[-1]), dtype=np.int64)
    for k, (first, lengths, per) in enumerate(batches):
        rows, cols, vals = [], [], []
        for (_, mat), cmaps in zip(per, col_maps):
            r = np.repeat(np.arange(len(lengths)), np.diff(mat.indptr))
            c = cmaps[k][mat.indices]
            ok = c >= 0
            rows.append(r[ok]), cols.append(c[ok]), vals.append(mat.data[ok])
        rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        order = np.lexsort((cols, rows))
        at = indptr[first]
        indices[at:at + len(order)] = cols[order]
        data[at:at + len(order)] = vals[order]
        batches[k] = (first, lengths, [])  # free the batch's counts
        del rows, cols, vals, order, per
    matrix = sp.csr_matrix((data, indices, indptr), shape=(n_texts, offset))
    matrix.has_sorted_indices = True
    words = np.concatenate([b[1] for b in batches]) if batches else np.zeros(0, np.int64)
    empty = np.zeros(0, dtype=object)
    return DocTermMatrix(matrix, np.concatenate(keys) if keys else empty,
                         np.concatenate(sizes) if sizes else np.zeros(0, np.int64),
                         np.concatenate(shown) if shown else empty, words.astype(np.int64))


def token_options(stopwords="english", extra_stopwords=(), stem=False, phrases=None) -> dict:
    """Build :func:`analysis.tokens.tokenize` options from notebook-style parameters.

    Parameters
    ----------
    stopwords : str, iterable of str or None, default "english"
        A shipped list, your own words, or None / "none".
    extra_stopwords : iterable of str, default ()
        Words added to the list.
    stem : bool, default False
        Porter stemming.
    phrases : dict or list, optional
        Alias list (see :func:`analysis.tokens.tokenize`).

    Returns
    -------
    dict
        ``stopwords, stem, phrases`` for :func:`analysis.tokens.tokenize`.

    Examples
    --------
    >>> sorted(token_options("none", ["said"])["stopwords"])
    ['said']
    """
    stop = None if stopwords in (None, "none") else stopwords
    if extra_stopwords:
        from analysis.resources import stopwords as shipped

        stop = set(shipped(stop) if isinstance(stop, str) else (stop or ())) | set(extra_stopwords)
    return {"stopwords": stop, "stem": stem, "phrases": phrases}


class _Corpus(NamedTuple):
    """Counts per article, with article metadata: what every table here is built from."""

    matrix: sp.csr_matrix  # articles x terms
    articles: pd.DataFrame  # article_id, outlet, words (word_counts order)
    terms: np.ndarray  # display forms
    ngram: np.ndarray


def _article_counts(sentences, ngram_range, min_count, keep_numbers, options, by=S.OUTLET) -> _Corpus:
    """Count terms per article (O(tokens)); ``articles`` gets the `by` label of each article."""
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT, by], table="sentences")
    if sentences.empty:
        raise ParameterError("sentences: the table is empty (no articles selected?)")
    dtm = count_matrix(sentences[S.SENTENCE_TEXT].tolist(), ngram_range=ngram_range, min_count=min_count,
                       keep_numbers=keep_numbers, **options)
    if options.get("phrases"):  # joined names change the token count: count words apart
        words = T.word_counts(sentences)
    else:  # same tokens as word_counts (stopwords and stemming do not change the count)
        per = pd.DataFrame({S.ARTICLE_ID: sentences[S.ARTICLE_ID].to_numpy(),
                            S.OUTLET: sentences[S.OUTLET].to_numpy(), T.WORDS: dtm.words})
        words = per.groupby([S.ARTICLE_ID, S.OUTLET], sort=False)[T.WORDS].sum().reset_index()
        words = words.astype({T.WORDS: "int64"})
    if by != S.OUTLET:
        label = sentences.groupby(S.ARTICLE_ID, sort=False)[by].first()
        words = words.assign(**{by: label.reindex(words[S.ARTICLE_ID]).to_numpy()})
    row = pd.Index(words[S.ARTICLE_ID]).get_indexer(sentences[S.ARTICLE_ID])
    pick = sp.csr_matrix((np.ones(len(row), dtype=np.int64), (row, np.arange(len(row)))),
                         shape=(len(words), len(row)))
    return _Corpus((pick @ dtm.matrix).tocsr(), words, dtm.surfaces, dtm.ngram)


def _group(corpus: _Corpus, labels: np.ndarray) -> tuple[np.ndarray, sp.csr_matrix, sp.csr_matrix, np.ndarray]:
    """Sum article counts into groups: (names, counts G x V, doc freq G x V, words G), sparse.

    O(non-zero article-term cells); never a dense groups x terms array.
    """
    g, names = pd.factorize(pd.Series(labels, dtype=object).fillna(MISSING_GROUP).astype(str), sort=True)
    names = np.asarray(names, dtype=object)
    ind = sp.csr_matrix((np.ones(len(g), dtype=np.int64), (g, np.arange(len(g)))),
                        shape=(len(names), len(g)))
    counts = (ind @ corpus.matrix).tocsr()
    present = corpus.matrix.copy()
    present.data = np.ones_like(present.data)
    docs = (ind @ present).tocsr()
    for m in (counts, docs):
        m.sort_indices()
    words = ind @ corpus.articles[T.WORDS].to_numpy()
    return names, counts, docs, words


def term_counts(
    sentences: pd.DataFrame,
    *,
    level: str = "outlet",
    ngram_range: Sequence[int] = (1, 1),
    min_count: int = 1,
    keep_numbers: bool = True,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Count every term per outlet (or per article): raw, per 1,000 words, document frequency.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``article_id, outlet, sentence_text``).
    level : {"outlet", "article"}, default "outlet"
        One row per (outlet, term) or per (article, term).
    ngram_range : (int, int), default (1, 1)
        Term sizes, within 1..3; n-grams stay within sentences.
    min_count : int, default 1
        Drop terms with fewer occurrences in the whole corpus.
    keep_numbers, stopwords, stem, phrases
        As in :func:`count_matrix` / :func:`analysis.tokens.tokenize`.
    extra_stopwords : iterable of str, default ()
        Words added to the stopword list.

    Returns
    -------
    pandas.DataFrame
        One row per group and term occurring in it: ``outlet, term, ngram, count, per_1k,
        doc_freq`` (articles of the outlet containing it) - with ``article_id`` first and
        ``doc_freq`` counted over the corpus at level "article". Sorted by group, then
        count descending, then term.

    Notes
    -----
    O(tokens) to count, O(rows log rows) to sort, where rows are the non-zero group-term
    (or article-term) cells: the counts stay sparse, never a dense groups x terms array.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
    ...                   "sentence_text": ["Cuba needs oil.", "Oil, oil.", "Cuba talks."]})
    >>> term_counts(s).values.tolist()
    [['X', 'oil', 1, 3, 600.0, 2], ['X', 'Cuba', 1, 1, 200.0, 1], ['X', 'needs', 1, 1, 200.0, 1], \
['Y', 'Cuba', 1, 1, 500.0, 1], ['Y', 'talks', 1, 1, 500.0, 1]]
    """
    if level not in ("outlet", "article"):
        raise ParameterError(f"level: {level!r}; use 'outlet' or 'article'")
    corpus = _article_counts(sentences, ngram_range, min_count, keep_numbers,
                             token_options(stopwords, extra_stopwords, stem, phrases))
    if level == "outlet":
        names, counts, docs, words = _group(corpus, corpus.articles[S.OUTLET].to_numpy(dtype=object))
        keys = {S.OUTLET: names}
        counts = counts.tocoo()
        g, v, c = counts.row, counts.col, counts.data
        d = np.asarray(docs[g, v]).ravel()
    else:
        counts = corpus.matrix.sorted_indices().tocoo()
        g, v, c = counts.row, counts.col, counts.data
        d = np.bincount(v, minlength=counts.shape[1])[v]
        words = corpus.articles[T.WORDS].to_numpy()
        keys = {S.ARTICLE_ID: corpus.articles[S.ARTICLE_ID].to_numpy(),
                S.OUTLET: corpus.articles[S.OUTLET].to_numpy()}
    out = pd.DataFrame({**{k: a[g] for k, a in keys.items()}, TERM: corpus.terms[v],
                        NGRAM: corpus.ngram[v], COUNT: c, PER_1K: _per_1k(c, words[g]), DOC_FREQ: d})
    first = next(iter(keys))
    out = out.sort_values([first, COUNT, TERM], ascending=[True, False, True], kind="stable")
    return out.astype({COUNT: "int64", DOC_FREQ: "int64", NGRAM: "int64"}).reset_index(drop=True)


def _per_1k(count, words):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.round(np.where(words > 0, 1000.0 * count / np.maximum(words, 1), np.nan), 6)


def smoothed_idf(n_docs, df):
    """Return scikit-learn's smoothed idf, ``ln((1 + n_docs) / (1 + df)) + 1``.

    Parameters
    ----------
    n_docs : int
        Documents in the collection.
    df : array-like of int
        Documents containing each term.

    Returns
    -------
    numpy.ndarray
        One idf per term; a term in every document gets 1, never 0.

    Examples
    --------
    >>> smoothed_idf(2, [1, 2]).round(4).tolist()
    [1.4055, 1.0]
    """
    return np.log((1 + n_docs) / (1 + np.asarray(df, dtype=float))) + 1.0


def tf_idf(counts: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """Score each term of each document (article or outlet) by TF-IDF.

    Parameters
    ----------
    counts : pandas.DataFrame
        Output of :func:`term_counts` at either level; the documents are its first column
        (``article_id`` at level "article", ``outlet`` at level "outlet").
    top : int, optional
        Keep the `top` highest-scoring terms per document.

    Returns
    -------
    pandas.DataFrame
        One row per document and term: the input columns plus ``idf`` and ``tf_idf``, sorted
        by document, then ``tf_idf`` descending, then term.

    Notes
    -----
    ``tf`` is the rate per 1,000 words (``per_1k``), ``idf = ln((1 + N) / (1 + df)) + 1``
    with N documents and df documents containing the term (scikit-learn's smoothed idf), so a
    term in every document still scores > 0. With five documents idf takes five values:
    it separates "only here" from "everywhere", nothing finer.

    Examples
    --------
    >>> c = pd.DataFrame({"outlet": ["X", "X", "Y"], "term": ["oil", "cuba", "cuba"],
    ...                   "per_1k": [10.0, 10.0, 10.0]})
    >>> tf_idf(c)[["outlet", "term", "tf_idf"]].round(3).values.tolist()
    [['X', 'oil', 14.055], ['X', 'cuba', 10.0], ['Y', 'cuba', 10.0]]
    """
    doc = counts.columns[0]
    S.check_columns(counts, [doc, TERM, PER_1K], table="counts")
    key = [doc, TERM] if doc == S.OUTLET else [doc, TERM, NGRAM]
    n_docs = counts[doc].nunique()
    df = counts.groupby(TERM, sort=False)[doc].transform("nunique")
    out = counts.assign(**{IDF: smoothed_idf(n_docs, df.to_numpy())})
    out[TF_IDF] = (out[PER_1K] * out[IDF]).round(6)
    out = out.sort_values([doc, TF_IDF, TERM], ascending=[True, False, True], kind="stable")
    if top is not None:
        out = out.groupby(doc, sort=False).head(top)
    return out.reset_index(drop=True).drop(columns=[c for c in key if c not in out.columns])


def log_odds_dirichlet(y_i, y_j, prior, *, prior_size: float = DEFAULT_PRIOR_SIZE):
    """Return Monroe et al.'s log-odds ratio with informative Dirichlet prior, and its z-score.

    Parameters
    ----------
    y_i, y_j : array-like of int
        Counts of each term in group i and group j (same shape; trailing axis = terms).
    prior : array-like of float
        Background counts of each term (the whole corpus); the prior is
        ``alpha_w = prior_size * prior_w / sum(prior)``.
    prior_size : float, default 100
        ``alpha_0``, the prior's total pseudo-count: larger shrinks rare terms more.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``delta`` (natural-log odds ratio, i over j) and ``z = delta / sqrt(var)``.

    Notes
    -----
    Monroe, Colaresi & Quinn (2008), eq. 16 (delta) and 18-19 (variance
    ``1/(y_i + alpha) + 1/(y_j + alpha)``); group totals ``n`` are summed over the terms
    given, so pass the whole vocabulary, then filter. The z-score assumes independent
    tokens; words cluster in articles, so with few articles it overstates certainty.

    Examples
    --------
    By hand: alpha = (3, 1); delta_0 = ln(13/1) - ln(8/6) = 2.2773,
    z_0 = 2.2773 / sqrt(1/13 + 1/8) = 5.0678.

    >>> d, z = log_odds_dirichlet([[10, 0]], [[5, 5]], [15, 5], prior_size=4)
    >>> d.round(4).tolist(), z.round(4).tolist()
    ([[2.2773, -2.2773]], [[5.0678, -2.1083]])
    """
    y_i, y_j = np.asarray(y_i, dtype=float), np.asarray(y_j, dtype=float)
    prior = np.asarray(prior, dtype=float)
    alpha = prior_size * prior / prior.sum()
    n_i = y_i.sum(axis=-1, keepdims=True)
    n_j = y_j.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log(y_i + alpha) - np.log(n_i + prior_size - y_i - alpha)
                 - np.log(y_j + alpha) + np.log(n_j + prior_size - y_j - alpha))
        z = delta / np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
    return delta, z


def g2_test(a, b, n_a, n_b):
    """Return Dunning's log-likelihood G2 and its p-value for counts `a` of `n_a` vs `b` of `n_b`.

    Parameters
    ----------
    a, b : array-like of int
        Occurrences of a term in group A and group B.
    n_a, n_b : array-like of int
        Tokens in group A and group B (broadcast against `a`, `b`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``g2 = 2 * sum(O * ln(O / E))`` over the 2x2 table (0 ln 0 = 0) and its
        chi-square(1) upper-tail p-value.

    Notes
    -----
    Unsigned: read the direction from ``log_ratio`` or ``log_odds_z``. Like every token
    count test it treats tokens as independent draws, which they are not.

    Examples
    --------
    By hand: E = 6, 6, 994, 994; 2 * (10 ln(10/6) + 2 ln(2/6) + 990 ln(990/994)
    + 998 ln(998/994)) = 5.8543.

    >>> g, p = g2_test([10], [2], [1000], [1000])
    >>> round(float(g[0]), 4), round(float(p[0]), 4)
    (5.8543, 0.0155)
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n_a, n_b = np.asarray(n_a, dtype=float), np.asarray(n_b, dtype=float)
    total = n_a + n_b
    share_a = n_a / total
    observed = (a, b, n_a - a, n_b - b)
    k = a + b
    expected = (k * share_a, k * (1 - share_a), (total - k) * share_a, (total - k) * (1 - share_a))
    g2 = np.zeros(np.broadcast(a, b, n_a, n_b).shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        for o, e in zip(observed, expected):
            g2 = g2 + np.where(o > 0, o * np.log(o / e), 0.0)
    g2 = np.maximum(2.0 * g2, 0.0)
    from scipy.special import chdtrc  # chi2(df).sf without scipy.stats' half-second import

    return g2, chdtrc(1, g2)


def _compare(y_i, y_j, d_i, d_j, w_i, w_j, alpha, n_i, n_j, prior_size):
    """Return the score columns of one comparison over its candidate terms (1-D arrays).

    ``alpha`` is the prior of those terms, ``n_i``/``n_j`` the groups' token totals over the
    whole vocabulary, so the scores equal :func:`log_odds_dirichlet` and :func:`g2_test` on
    full vectors, restricted afterwards. O(candidates).
    """
    y_i, y_j = y_i.astype(np.int64), y_j.astype(np.int64)
    fi, fj = y_i.astype(float), y_j.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = (np.log(fi + alpha) - np.log(n_i + prior_size - fi - alpha)
                 - np.log(fj + alpha) + np.log(n_j + prior_size - fj - alpha))
        z = delta / np.sqrt(1.0 / (fi + alpha) + 1.0 / (fj + alpha))
    g2, p = g2_test(fi, fj, float(n_i), float(n_j))
    ratio = np.log2(((fi + LOG_RATIO_PSEUDO) / max(n_i, 1)) / ((fj + LOG_RATIO_PSEUDO) / max(n_j, 1)))
    return {COUNT: y_i, COUNT_REST: y_j, PER_1K: _per_1k(y_i, w_i), PER_1K_REST: _per_1k(y_j, w_j),
            DOC_FREQ: d_i.astype(np.int64), DOC_FREQ_REST: d_j.astype(np.int64), LOG_ODDS: delta,
            LOG_ODDS_Z: z, G2: g2, P_VALUE: p, LOG_RATIO: ratio}


def _row(m: sp.csr_matrix, i: int, idx: np.ndarray) -> np.ndarray:
    """Values of row `i` of a canonical csr matrix at sorted columns `idx` (0 where absent)."""
    lo, hi = m.indptr[i], m.indptr[i + 1]
    cols, vals = m.indices[lo:hi], m.data[lo:hi]
    at = np.searchsorted(cols, idx)
    hit = at < len(cols)
    hit[hit] = cols[at[hit]] == idx[hit]
    out = np.zeros(len(idx), dtype=np.int64)
    out[hit] = vals[at[hit]]
    return out


def _expected_floor(n_rows: int, n_terms: int, min_expected) -> float:
    """Resolve ``min_expected``: "auto" is 0 (test all) up to 1,000,000 rows, else 1."""
    if min_expected == "auto":
        return 0.0 if n_rows * n_terms <= AUTO_ALL_ROWS else 1.0
    if isinstance(min_expected, bool) or not isinstance(min_expected, int | float) or min_expected < 0:
        raise ParameterError(f"min_expected: {min_expected!r}; use a number >= 0 or 'auto'")
    return float(min_expected)


AUTO_ALL_ROWS = 1_000_000  # "auto": every term in every vs-rest comparison up to this many rows


def keyness_arrays(counts, docs, words: np.ndarray, *, pairs=(),
                   prior_size: float = DEFAULT_PRIOR_SIZE, min_count: int = DEFAULT_MIN_COUNT,
                   min_docs: int = DEFAULT_MIN_DOCS, min_expected: float | str = 0.0,
                   each_vs_rest: bool = True) -> list[tuple[int, int | None, dict]]:
    """Score every term for each group against the rest, and for chosen pairs (vectorised).

    Parameters
    ----------
    counts, docs : numpy.ndarray or scipy.sparse matrix
        Groups x terms: occurrences and documents containing each term.
    words : numpy.ndarray
        Words per group (the per-1,000 denominators).
    pairs : sequence of (int, int)
        Group indices compared head to head.
    prior_size, min_count, min_docs
        As in :func:`keyness`.
    min_expected : float or "auto", default 0
        In a group-vs-rest comparison, a term the group never uses is tested only when its
        expected count in the group (``total * n_group / n_all``) reaches this; 0 tests every
        term; "auto" is 0 up to :data:`AUTO_ALL_ROWS` rows and 1 above.
    each_vs_rest : bool, default True
        Include the group-vs-rest comparisons.

    Returns
    -------
    list of (int, int or None, dict)
        One entry per comparison: target group, other group (None = the rest), and the score
        columns of the tested terms plus ``"term_index"`` (sorted) and ``"n_tests"`` (the
        terms that pass ``min_count``/``min_docs``, tested or not).

    Notes
    -----
    Cost O(non-zero group-term cells + tested rows) with ``min_expected > 0``: a group is
    compared on the terms it uses and on the frequent terms it could be expected to use
    (a prefix of the terms sorted by frequency), never on a dense groups x terms array.
    With ``min_expected = 0`` every term passing the filters is a row of every vs-rest
    comparison: O(groups x terms), today's complete table. A term left out has count 0
    and an expected count below ``min_expected``: its G2 is then below about
    ``2 * min_expected``, so it could not be significant (``p >= 0.16`` for 1).

    Examples
    --------
    >>> c = np.array([[10, 2, 50], [1, 9, 50]]); d = np.array([[2, 1, 2], [1, 2, 2]])
    >>> [(i, j, r["term_index"].tolist()) for i, j, r in keyness_arrays(c, d, np.array([100, 100]))]
    [(0, None, [0, 1, 2]), (1, None, [0, 1, 2])]
    """
    counts = sp.csr_matrix(counts, dtype=np.int64)
    docs = sp.csr_matrix(docs, dtype=np.int64)
    for m in (counts, docs):
        m.sum_duplicates()
        m.eliminate_zeros()
    words = np.asarray(words)
    prior = np.asarray(counts.sum(axis=0)).ravel()
    doc_total = np.asarray(docs.sum(axis=0)).ravel()
    alpha = prior_size * prior.astype(float) / prior.sum()
    n_all = int(prior.sum())
    n_group = np.asarray(counts.sum(axis=1)).ravel()
    ok_total = np.flatnonzero((prior >= min_count) & (doc_total >= min_docs))
    floor = _expected_floor(counts.shape[0], len(ok_total), min_expected)
    by_freq = ok_total[np.argsort(-prior[ok_total], kind="stable")]
    out = []
    for i in range(counts.shape[0] if each_vs_rest else 0):
        if floor > 0:
            used = counts.indices[counts.indptr[i]:counts.indptr[i + 1]]
            need = floor * n_all / max(int(n_group[i]), 1)
            k = int(np.searchsorted(-prior[by_freq], -need, side="right"))
            cand = np.union1d(np.intersect1d(used, ok_total, assume_unique=True), by_freq[:k])
        else:
            cand = ok_total
        y_i, d_i = _row(counts, i, cand), _row(docs, i, cand)
        cols = _compare(y_i, prior[cand] - y_i, d_i, doc_total[cand] - d_i, words[i], words.sum() - words[i],
                        alpha[cand], int(n_group[i]), n_all - int(n_group[i]), prior_size)
        cols["term_index"] = cand
        cols["n_tests"] = len(ok_total)
        out.append((i, None, cols))
    for i, j in pairs:
        used = np.union1d(counts.indices[counts.indptr[i]:counts.indptr[i + 1]],
                          counts.indices[counts.indptr[j]:counts.indptr[j + 1]])
        y_i, y_j = _row(counts, i, used), _row(counts, j, used)
        d_i, d_j = _row(docs, i, used), _row(docs, j, used)
        keep = (y_i + y_j >= min_count) & (d_i + d_j >= min_docs)
        cand = used[keep]
        cols = _compare(y_i[keep], y_j[keep], d_i[keep], d_j[keep], words[i], words[j], alpha[cand],
                        int(n_group[i]), int(n_group[j]), prior_size)
        cols["term_index"] = cand
        cols["n_tests"] = len(cand)
        out.append((i, j, cols))
    return out


def keyness(
    sentences: pd.DataFrame,
    *,
    by: str = S.OUTLET,
    pairs: Iterable[Sequence[str]] = (),
    each_vs_rest: bool = True,
    prior_size: float = DEFAULT_PRIOR_SIZE,
    min_count: int = DEFAULT_MIN_COUNT,
    min_docs: int = DEFAULT_MIN_DOCS,
    min_expected: float | str = "auto",
    ngram_range: Sequence[int] = (1, 1),
    keep_numbers: bool = False,
    stopwords: str | Iterable[str] | None = "english",
    extra_stopwords: Iterable[str] = (),
    stem: bool = False,
    phrases: Mapping | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Find the terms that distinguish each outlet (or group) from the rest, and chosen pairs.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``article_id, outlet, sentence_text``, and the `by` column).
    by : str, default "outlet"
        The column whose values are compared (e.g. "bias" to compare left / center / right);
        an article belongs to the value of its first sentence; a missing value is the group
        :data:`MISSING_GROUP`. The output's first column is named `by`.
    pairs : iterable of (str, str), default ()
        Groups compared head to head (first against second).
    each_vs_rest : bool, default True
        Compare every group with all other groups together.
    prior_size : float, default 100
        Monroe et al.'s ``alpha_0``; the prior's shape is the whole corpus's term counts.
    min_count : int, default 5
        Test a term only if it occurs this often in the two groups together.
    min_docs : int, default 2
        ... and in at least this many of their articles.
    min_expected : float or "auto", default "auto"
        A term a group never uses is a row of its vs-rest comparison only when its expected
        count there reaches this (see :func:`keyness_arrays`); "auto" keeps every row up to
        :data:`AUTO_ALL_ROWS` rows (so small corpora keep the complete table) and uses 1
        above.
    ngram_range, keep_numbers, stopwords, extra_stopwords, stem, phrases
        As in :func:`term_counts` (numbers are left out by default).

    Returns
    -------
    pandas.DataFrame
        One row per comparison and tested term: :data:`KEYNESS_COLUMNS` (with `by` in place
        of ``outlet``) plus ``ngram``, ``doc_freq_rest`` and ``log_odds``. ``q_value`` is
        Benjamini-Hochberg over every test, rows left out by ``min_expected`` counted as
        tests with p = 1 (conservative). Sorted by group, comparison, ``log_odds_z``
        descending, term.

    Raises
    ------
    ParameterError
        For fewer than two groups, an unknown group in `pairs`, or bad options.

    Notes
    -----
    Scores treat tokens as independent; words cluster within articles, so with a few
    articles per outlet a large z or a small q describes *these articles*, not the outlet's
    habits. ``min_docs`` guards against one article carrying a term; it cannot give an
    outlet with one article a second one. Cost: O(tokens) to count, then O(non-zero
    group-term cells + rows) to score (O(groups x terms) when every row is kept), and
    O(rows log rows) to sort.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": list("abcd"), "outlet": ["X", "X", "Y", "Y"],
    ...     "sentence_text": ["oil oil oil talks", "oil talks", "talks talks oil", "talks sea"]})
    >>> k = keyness(s, min_count=2)
    >>> k[["outlet", "term", "count", "count_rest", "log_ratio"]].round(3).values.tolist()
    [['X', 'oil', 4, 1, 1.322], ['X', 'talks', 2, 3, -0.748], ['Y', 'talks', 3, 2, 0.748], ['Y', 'oil', 1, 4, -1.322]]
    """
    corpus = _article_counts(sentences, ngram_range, 1, keep_numbers,
                             token_options(stopwords, extra_stopwords, stem, phrases), by=by)
    names, counts, docs, words = _group(corpus, corpus.articles[by].to_numpy(dtype=object))
    if len(names) < 2:
        raise ParameterError(f"keyness needs at least two values of {by!r}; found {list(names)}")
    where = {n: k for k, n in enumerate(names)}
    pair_idx = []
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2 or any(p not in where for p in pair) or pair[0] == pair[1]:
            raise ParameterError(f"pairs: {pair!r}; use two different values of {by!r} of {list(names)}")
        pair_idx.append((where[pair[0]], where[pair[1]]))
    parts, n_tests = [], 0
    for i, j, cols in keyness_arrays(counts, docs, words, pairs=pair_idx, prior_size=prior_size,
                                     min_count=min_count, min_docs=min_docs, min_expected=min_expected,
                                     each_vs_rest=each_vs_rest):
        idx = cols.pop("term_index")
        n_tests += cols.pop("n_tests")
        parts.append(pd.DataFrame({by: names[i], COMPARISON: REST if j is None else f"vs {names[j]}",
                                   TERM: corpus.terms[idx], NGRAM: corpus.ngram[idx], **cols}))
    out = pd.concat(parts, ignore_index=True)
    out[Q_VALUE] = stats.adjust_pvalues(out[P_VALUE].to_numpy(), n_tests=max(n_tests, len(out)))
    order = [by, *KEYNESS_COLUMNS[1:], NGRAM, DOC_FREQ_REST, LOG_ODDS]
    out = out[order].sort_values([by, COMPARISON, LOG_ODDS_Z, TERM],
                                 ascending=[True, True, False, True], kind="stable")
    ints = [COUNT, COUNT_REST, DOC_FREQ, DOC_FREQ_REST, NGRAM]
    return out.astype(dict.fromkeys(ints, "int64")).reset_index(drop=True)


def keyness_summary(keyness: pd.DataFrame, *, top: int = 50, max_rows: int = 50_000,
                    by: str = S.OUTLET) -> pd.DataFrame:
    """Keep what a reader of the keyness table uses: all of it when small, else the top terms.

    Parameters
    ----------
    keyness : pandas.DataFrame
        Output of :func:`keyness`.
    top : int, default 50
        When cut, the `top` most over-used and `top` most under-used terms (by
        ``log_odds_z``) of each group and comparison are kept.
    max_rows : int, default 50,000
        Tables with at most this many rows are returned whole.
    by : str, default "outlet"
        The group column (as passed to :func:`keyness`).

    Returns
    -------
    pandas.DataFrame
        A new table, rows in the input's order (``q_value`` is unchanged: it was computed
        over every test, kept or not). Save the full table beside it as Parquet.

    Notes
    -----
    O(rows) (one stable group-wise head/tail over the already sorted table).

    Examples
    --------
    >>> k = pd.DataFrame({"outlet": ["X"] * 5, "comparison": "vs rest", "log_odds_z": [3, 2, 0, -1, -2]})
    >>> keyness_summary(k, top=1, max_rows=2).log_odds_z.tolist()
    [3, -2]
    """
    if len(keyness) <= max_rows:
        return keyness.copy()
    keys = [by, COMPARISON]
    g = keyness.groupby(keys, sort=False)[LOG_ODDS_Z]
    rank_hi = g.rank(method="first", ascending=False)
    rank_lo = g.rank(method="first", ascending=True)
    keep = ((rank_hi <= top) & (keyness[LOG_ODDS_Z] > 0)) | ((rank_lo <= top) & (keyness[LOG_ODDS_Z] < 0))
    return keyness[keep.to_numpy()].reset_index(drop=True)


def summary_note(n_full: int, n_summary: int, *, top: int = 50, name: str = "terms_keyness") -> str:
    """Say what the keyness CSV holds beside the full Parquet table (one line for the page).

    Parameters
    ----------
    n_full, n_summary : int
        Rows of the full table and of :func:`keyness_summary`'s.
    top : int, default 50
        The `top` passed to :func:`keyness_summary`.
    name : str, default "terms_keyness"
        Table name.

    Returns
    -------
    str

    Examples
    --------
    >>> summary_note(10, 10)
    'tables/terms_keyness.csv and tables/terms_keyness.parquet: all 10 tested rows.'
    """
    if n_full == n_summary:
        return f"tables/{name}.csv and tables/{name}.parquet: all {n_full:,} tested rows."
    return (f"tables/{name}.parquet: all {n_full:,} tested rows; tables/{name}.csv: the {top} most over- and "
            f"{top} most under-used terms of each comparison ({n_summary:,} rows; q-values over all tests).")


def phrases_from_aliases(aliases: pd.DataFrame, *, kinds: Iterable[str] = ("name", "surname")) -> dict:
    """Turn an entity alias table into a ``phrases`` mapping: one term per entity.

    Parameters
    ----------
    aliases : pandas.DataFrame
        Output of :func:`analysis.entities.load_aliases` (``entity, kind, alias``).
    kinds : iterable of str, default ("name", "surname")
        Alias kinds joined into the entity's term; roles ("the Cuban leader") are left as
        words by default, because they are descriptions, not names.

    Returns
    -------
    dict
        Entity name -> list of its aliases of those kinds.

    Examples
    --------
    >>> a = pd.DataFrame({"entity": ["Miguel Díaz-Canel"] * 3, "kind": ["name", "surname", "role"],
    ...                   "alias": ["Miguel Díaz-Canel", "Díaz Canel", "the Cuban leader"]})
    >>> phrases_from_aliases(a)
    {'Miguel Díaz-Canel': ['Miguel Díaz-Canel', 'Díaz Canel']}
    """
    S.check_columns(aliases, ["entity", "kind", "alias"], table="aliases")
    use = aliases[aliases["kind"].isin(list(kinds))]
    return {e: g["alias"].tolist() for e, g in use.groupby("entity", sort=False)}


def collocations(
    tokens: pd.DataFrame,
    *,
    measure: str = "likelihood",
    min_freq: int = 2,
    top: int = 10,
) -> pd.DataFrame:
    """Find each outlet's collocations (adjacent word pairs), scored as NLTK's finder does.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The token table of :func:`analysis.tokens.tokenize`; stopwords and numbers are left
        out, pairs never cross sentences.
    measure : {"likelihood", "pmi"}, default "likelihood"
        Dunning's log-likelihood G2 (:func:`g2_test`, as NLTK's
        ``BigramAssocMeasures.likelihood_ratio``) or pointwise mutual information in bits
        (``log2(n_ab * N / (n_a * n_b))``, as ``BigramAssocMeasures.pmi``).
    min_freq : int, default 2
        Keep pairs seen at least this often in the outlet (PMI overrates pairs seen once).
    top : int, default 10
        Pairs per outlet.

    Returns
    -------
    pandas.DataFrame
        One row per outlet and pair: ``outlet, term, count, count_first, count_second,
        score, measure`` - the term shown in its most frequent surface forms; sorted by
        outlet, score descending, term.

    Notes
    -----
    The counts are NLTK's ``BigramCollocationFinder.from_documents`` with one document per
    sentence (the tests compare every score with it); counting is vectorised here so the
    terms notebook need not import NLTK. Stopwords and numbers are removed *before*
    pairing, so "oil ... supplies" across a removed "of" is a pair. Both measures assume
    independent tokens; on a few articles a pair seen twice can top the list.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "article_id": "a", "outlet": "X",
    ...     "start": [0, 30], "sentence_text": ["Oil supplies to Cuba fell", "Oil supplies fell"]})
    >>> collocations(T.tokenize(s))[["term", "count", "count_first"]].values.tolist()
    [['Oil supplies', 2, 2]]
    """
    S.check_columns(tokens, [S.OUTLET, S.SENTENCE_ID, T.TERM, T.TOKEN, T.TOKEN_KIND, T.IS_STOPWORD],
                    table="tokens")
    if measure not in ("likelihood", "pmi"):
        raise ParameterError(f"measure: {measure!r}; use one of ['likelihood', 'pmi']")
    keep = tokens.loc[~tokens[T.IS_STOPWORD] & (tokens[T.TOKEN_KIND] == "word"),
                      [S.OUTLET, S.SENTENCE_ID, T.TERM]].reset_index(drop=True)
    same = keep[S.SENTENCE_ID].eq(keep[S.SENTENCE_ID].shift(-1)).to_numpy()
    pairs = pd.DataFrame({S.OUTLET: keep[S.OUTLET].to_numpy()[:-1][same[:-1]],
                          "w1": keep[T.TERM].to_numpy()[:-1][same[:-1]],
                          "w2": keep[T.TERM].to_numpy()[1:][same[:-1]]})
    fd = pairs.groupby([S.OUTLET, "w1", "w2"], sort=False).size().rename(COUNT).reset_index()
    fd = fd[fd[COUNT] >= min_freq]
    words = keep.groupby([S.OUTLET, T.TERM], sort=False).size()
    total = keep.groupby(S.OUTLET, sort=False).size()
    n_ab = fd[COUNT].to_numpy(dtype=float)
    n_a = words.reindex(pd.MultiIndex.from_arrays([fd[S.OUTLET], fd["w1"]])).to_numpy(dtype=float)
    n_b = words.reindex(pd.MultiIndex.from_arrays([fd[S.OUTLET], fd["w2"]])).to_numpy(dtype=float)
    n = total.reindex(fd[S.OUTLET]).to_numpy(dtype=float)
    if measure == "likelihood":  # first word w1 or not (n_a, n - n_a); second word w2 or not
        score = g2_test(n_ab, n_b - n_ab, n_a, n - n_a)[0]
    else:
        score = np.log2(n_ab * n) - np.log2(n_a * n_b)
    shown = _display(tokens)
    out = fd.assign(count_first=n_a.astype("int64"), count_second=n_b.astype("int64"), _raw=score,
                    **{SCORE: np.round(score, 6), MEASURE: measure})
    out = out.sort_values([S.OUTLET, "_raw", "w1", "w2"], ascending=[True, False, True, True],
                          kind="stable").groupby(S.OUTLET, sort=False).head(top)
    out[TERM] = [f"{shown[a]} {shown[b]}" for a, b in zip(out["w1"], out["w2"], strict=True)]
    out = out.sort_values([S.OUTLET, SCORE, TERM], ascending=[True, False, True], kind="stable")
    cols = [S.OUTLET, TERM, COUNT, "count_first", "count_second", SCORE, MEASURE]
    return out[cols].astype({COUNT: "int64"}).reset_index(drop=True)


def _display(tokens: pd.DataFrame) -> dict[str, str]:
    """Return term -> its most frequent token form (ties: first seen)."""
    forms = tokens.groupby([T.TERM, T.TOKEN], sort=False).size().rename("n").reset_index()
    forms = forms.sort_values("n", ascending=False, kind="stable").drop_duplicates(T.TERM)
    return dict(zip(forms[T.TERM], forms[T.TOKEN].str.replace("\n", " ")))


def dispersion(tokens: pd.DataFrame, terms: Iterable[str], *, stem: bool = False) -> pd.DataFrame:
    """Locate every occurrence of `terms` within its article (for a dispersion plot).

    Parameters
    ----------
    tokens : pandas.DataFrame
        The token table of :func:`analysis.tokens.tokenize`.
    terms : iterable of str
        Words, names or n-grams as a reader writes them.
    stem : bool, default False
        Set when `tokens` was made with ``stem=True``.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence: ``query, term, article_id, outlet, sentence_id, start, end,
        position, relative_position`` (token position / tokens in the article, in [0, 1)),
        sorted by outlet, article, position.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": "a", "outlet": "X",
    ...                   "start": [0], "sentence_text": ["Oil first, then talks, then oil"]})
    >>> d = dispersion(T.tokenize(s), ["oil"])
    >>> d.position.tolist(), d.relative_position.tolist()
    ([0, 5], [0.0, 0.833333])
    """
    from analysis.kwic import term_hits

    hits = term_hits(tokens, terms, stem=stem)
    where = tokens.set_index([S.ARTICLE_ID, S.START])[T.POSITION]
    pos = where.reindex(pd.MultiIndex.from_arrays([hits[S.ARTICLE_ID], hits[S.START]])).to_numpy()
    size = tokens.groupby(S.ARTICLE_ID)[T.POSITION].max() + 1
    hits[T.POSITION] = pos.astype("int64")
    hits[RELATIVE_POSITION] = np.round(pos / size.reindex(hits[S.ARTICLE_ID]).to_numpy(), 6)
    return hits.sort_values([S.OUTLET, S.ARTICLE_ID, T.POSITION], kind="stable").reset_index(drop=True)


def dispersion_summary(occurrences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Summarise where each term occurs across each outlet's articles.

    Parameters
    ----------
    occurrences : pandas.DataFrame
        Output of :func:`dispersion`.
    articles : pandas.DataFrame
        The articles (``article_id, outlet``) the occurrences were sought in.

    Returns
    -------
    pandas.DataFrame
        One row per outlet and query: ``outlet, query, articles`` (the outlet's articles),
        ``doc_freq`` (articles with the term), ``count``, and ``first_relative`` (earliest
        relative position, i.e. how high in an article the term first appears). Sorted by
        outlet and query; outlets without the term show zeros.

    Examples
    --------
    >>> occ = pd.DataFrame({"outlet": ["X", "X"], "query": ["oil"] * 2, "article_id": ["a", "a"],
    ...                     "relative_position": [0.5, 0.1]})
    >>> a = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    >>> dispersion_summary(occ, a).values.tolist()
    [['X', 'oil', 2, 1, 2, 0.1], ['Y', 'oil', 1, 0, 0, nan]]
    """
    from analysis.kwic import QUERY

    S.check_columns(occurrences, [S.OUTLET, QUERY, S.ARTICLE_ID, RELATIVE_POSITION], table="occurrences")
    n_art = articles.groupby(S.OUTLET).size().rename("articles")
    got = occurrences.groupby([S.OUTLET, QUERY]).agg(
        doc_freq=(S.ARTICLE_ID, "nunique"), count=(S.ARTICLE_ID, "size"),
        first_relative=(RELATIVE_POSITION, "min"))
    grid = pd.MultiIndex.from_product([n_art.index, occurrences[QUERY].unique()], names=[S.OUTLET, QUERY])
    out = got.reindex(grid).reset_index().join(n_art, on=S.OUTLET)
    out[[DOC_FREQ, COUNT]] = out[[DOC_FREQ, COUNT]].fillna(0).astype("int64")
    out = out[[S.OUTLET, QUERY, "articles", DOC_FREQ, COUNT, "first_relative"]]
    return out.sort_values([S.OUTLET, QUERY], kind="stable").reset_index(drop=True)
