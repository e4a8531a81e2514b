"""Terms in context: alias phrases, collocations, dispersion within articles."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis import tokens as T
from analysis.errors import ParameterError
from analysis.terms.columns import (
    COUNT,
    DOC_FREQ,
    MEASURE,
    RELATIVE_POSITION,
    SCORE,
    TERM,
)
from analysis.terms.distinctive import g2_test


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
