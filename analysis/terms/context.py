"""Terms in context: alias phrases, collocations, dispersion within articles.

Each has a per-article step that needs no token table of the whole corpus
(:func:`collocation_counts`, whose counts add up, and :func:`term_contexts`) for
:func:`analysis.partition.per_article`, beside the token-table functions for a notebook cell
(:func:`collocations`, :func:`dispersion`, :func:`analysis.kwic.kwic_terms`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis import tokens as T
from analysis.errors import ParameterError
from analysis.kwic import DEFAULT_WIDTH, _occurrences
from analysis.reuse.columns import _repeat_numbers  # groupby().cumcount() by one stable sort
from analysis.terms.columns import (
    COUNT,
    DOC_FREQ,
    FIRST,
    MEASURE,
    PAIR_COUNT_COLUMNS,
    RELATIVE_POSITION,
    SCORE,
    SECOND,
    TERM,
    UNIT,
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
    if measure not in ("likelihood", "pmi"):
        raise ParameterError(f"measure: {measure!r}; use one of ['likelihood', 'pmi']")
    counts = tokens if UNIT in tokens.columns else _pair_counts(tokens)
    S.check_columns(counts, list(PAIR_COUNT_COLUMNS), table="pair counts")
    unit = counts[UNIT]
    fd = counts.loc[unit == "pair", [S.OUTLET, FIRST, SECOND, COUNT]].rename(columns={FIRST: "w1", SECOND: "w2"})
    fd = fd[fd[COUNT] >= min_freq]
    words = counts[unit == "word"].set_index([S.OUTLET, FIRST])[COUNT]
    total = words.groupby(level=0, sort=False).sum()
    n_ab = fd[COUNT].to_numpy(dtype=float)
    n_a = words.reindex(pd.MultiIndex.from_arrays([fd[S.OUTLET], fd["w1"]])).to_numpy(dtype=float)
    n_b = words.reindex(pd.MultiIndex.from_arrays([fd[S.OUTLET], fd["w2"]])).to_numpy(dtype=float)
    n = total.reindex(fd[S.OUTLET]).to_numpy(dtype=float)
    if measure == "likelihood":  # first word w1 or not (n_a, n - n_a); second word w2 or not
        score = g2_test(n_ab, n_b - n_ab, n_a, n - n_a)[0]
    else:
        score = np.log2(n_ab * n) - np.log2(n_a * n_b)
    forms = counts[unit == "form"].sort_values([COUNT, SECOND], ascending=[False, True], kind="stable")
    forms = forms.drop_duplicates(FIRST)
    shown = dict(zip(forms[FIRST], forms[SECOND].str.replace("\n", " ")))
    out = fd.assign(count_first=n_a.astype("int64"), count_second=n_b.astype("int64"), _raw=score,
                    **{SCORE: np.round(score, 6), MEASURE: measure})
    out = out.sort_values([S.OUTLET, "_raw", "w1", "w2"], ascending=[True, False, True, True],
                          kind="stable").groupby(S.OUTLET, sort=False).head(top)
    out[TERM] = [f"{shown[a]} {shown[b]}" for a, b in zip(out["w1"], out["w2"], strict=True)]
    out = out.sort_values([S.OUTLET, SCORE, TERM], ascending=[True, False, True], kind="stable")
    cols = [S.OUTLET, TERM, COUNT, "count_first", "count_second", SCORE, MEASURE]
    return out[cols].astype({COUNT: "int64"}).reset_index(drop=True)


def _pair_counts(tokens: pd.DataFrame) -> pd.DataFrame:
    S.check_columns(tokens, [S.OUTLET, S.SENTENCE_ID, T.TERM, T.TOKEN, T.TOKEN_KIND, T.IS_STOPWORD],
                    table="tokens")
    keep = tokens.loc[~tokens[T.IS_STOPWORD] & (tokens[T.TOKEN_KIND] == "word"),
                      [S.OUTLET, S.SENTENCE_ID, T.TERM, T.TOKEN]].reset_index(drop=True)
    same = keep[S.SENTENCE_ID].eq(keep[S.SENTENCE_ID].shift(-1)).to_numpy()[:-1]
    outlet, term = keep[S.OUTLET].to_numpy(), keep[T.TERM].to_numpy()
    parts = [
        pd.DataFrame({UNIT: "pair", S.OUTLET: outlet[:-1][same], FIRST: term[:-1][same], SECOND: term[1:][same]}),
        pd.DataFrame({UNIT: "word", S.OUTLET: outlet, FIRST: term, SECOND: ""}),
        pd.DataFrame({UNIT: "form", S.OUTLET: "", FIRST: term, SECOND: keep[T.TOKEN].to_numpy()}),
    ]
    table = pd.concat([p.astype("str") for p in parts], ignore_index=True)
    return add_pair_counts(table.assign(**{COUNT: 1}))


def add_pair_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Add up pair counts of several chunks of articles (the combining step).

    Parameters
    ----------
    counts : pandas.DataFrame
        Rows of :func:`collocation_counts`, possibly from several calls.

    Returns
    -------
    pandas.DataFrame
        One row per ``unit, outlet, first, second`` with the summed ``count``, sorted by
        those four columns: the table one call on all the articles gives.

    Examples
    --------
    >>> c = pd.DataFrame({"unit": "word", "outlet": "X", "first": ["oil", "oil"], "second": "", "count": [2, 3]})
    >>> add_pair_counts(c)["count"].tolist()
    [5]

    Notes
    -----
    O(rows log rows).
    """
    S.check_columns(counts, list(PAIR_COUNT_COLUMNS), table="pair counts")
    keys = [UNIT, S.OUTLET, FIRST, SECOND]
    out = counts.groupby(keys, sort=True)[COUNT].sum().reset_index()
    return out.astype({COUNT: "int64"})[list(PAIR_COUNT_COLUMNS)]


def collocation_counts(sentences: pd.DataFrame, *, tokenize: dict | None = None) -> pd.DataFrame:
    """Count what :func:`collocations` scores, per outlet: a per-article step.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table.
    tokenize : dict, optional
        Options of :func:`analysis.tokens.tokenize` (``stopwords``, ``stem``, ``phrases``,
        ``keep_numbers``...), as the token table would be made.

    Returns
    -------
    pandas.DataFrame
        ``unit, outlet, first, second, count``: one row per adjacent pair of kept words in
        one sentence (``unit`` "pair"), per kept word (``"word"``, `second` empty) and per
        surface form of a kept word (``"form"``: `first` the term, `second` the form,
        `outlet` empty); stopwords and numbers are not kept. Sorted by the first four
        columns. Counts of different articles add up (:func:`add_pair_counts`), so
        :func:`analysis.partition.per_article` runs it on chunks of a corpus of any size
        and :func:`collocations` scores the sum exactly as it scores the token table.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": "a", "outlet": "X",
    ...     "start": [0], "sentence_text": ["Oil supplies to Cuba"]})
    >>> collocation_counts(s).values.tolist()[:2]
    [['form', '', 'cuba', 'Cuba', 1], ['form', '', 'oil', 'Oil', 1]]

    Notes
    -----
    O(tokens) to encode (:class:`analysis.tokens.Encoder`: each distinct whitespace chunk
    is tokenised once), O(distinct pairs log distinct pairs) to sort; memory a few int
    arrays per token, not a token table. Equal, row for row, to counting the token table of
    :func:`analysis.tokens.tokenize` (:func:`_pair_counts`, which the tests compare it with);
    when alias phrases are given, sentences with an underscore of their own take that path,
    since only there a joined raw form does not tell its surface.
    """
    options = dict(tokenize or {})
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    texts = sentences[S.SENTENCE_TEXT].tolist()
    own = np.zeros(len(texts), dtype=bool)
    if options.get("phrases"):
        own = np.fromiter((T.PHRASE_JOINER in t for t in texts), dtype=bool, count=len(texts))
    if not own.any() and not sentences[S.OUTLET].isna().any():
        return _encoded_pair_counts(sentences, options, ranked=True)
    parts = [_encoded_pair_counts(sentences[~own] if own.any() else sentences, options)]
    if own.any():
        parts.append(_pair_counts(T.tokenize(sentences[own], **options)))
    return add_pair_counts(pd.concat(parts, ignore_index=True))


def _encoded_pair_counts(sentences: pd.DataFrame, options: dict, *, ranked: bool = False) -> pd.DataFrame:
    """:func:`collocation_counts` by term ids (sentences whose raw forms tell their surface).

    With `ranked`, the rows come out as :func:`add_pair_counts` would give them: each key
    is unique by construction (one row per id pair, id and raw form, and ids, outlets and
    surfaces are one-to-one with their strings), so the rows are sorted by the ranks of
    their strings (O(vocabulary log vocabulary) string comparisons, then an integer sort)
    and the string columns taken from typed vocabularies, instead of grouping on four
    string columns. Without it, the caller adds the rows up.
    """
    terms, outlets, raws, raw_term, (pair_keys, pair_n), (word_keys, word_n), (form_keys, form_n), n = \
        _encoded_counts(sentences, options)
    if ranked and len(set(raws)) == len(raws):
        return _ranked_pair_table(terms, np.asarray(outlets, dtype=object), raws, raw_term,
                                  (pair_keys, pair_n), (word_keys, word_n), (form_keys, form_n), n)
    surfaces = np.array(raws or [""], dtype=object)
    outlets = np.asarray(outlets, dtype=object)
    table = pd.DataFrame({
        UNIT: ["pair"] * len(pair_keys) + ["word"] * len(word_keys) + ["form"] * len(form_keys),
        S.OUTLET: np.r_[outlets[pair_keys // (n * n)], outlets[word_keys // n], np.full(len(form_keys), "", object)],
        FIRST: np.r_[terms[pair_keys // n % n], terms[word_keys % n], terms[raw_term[form_keys]]],
        SECOND: np.r_[terms[pair_keys % n], np.full(len(word_keys), "", object), surfaces[form_keys]],
        COUNT: np.r_[pair_n, word_n, form_n].astype("int64"),
    })
    return table.astype({c: "str" for c in (UNIT, S.OUTLET, FIRST, SECOND)})


def _encoded_counts(sentences: pd.DataFrame, options: dict):
    """Encode `sentences` and count their kept words' pairs, words and raw forms by integer keys.

    Returns ``(terms, outlets, raws, raw_term, pairs, words, forms, n)``: the term vocabulary,
    the outlets (strings), each raw form's surface (a joined phrase's joiner made a space) and
    term id, then (sorted distinct keys, counts) of (outlet * n + first) * n + second,
    outlet * n + term and raw id, with ``n`` the vocabulary size (at least 1). O(tokens) to
    encode plus O(kept tokens log kept tokens) to count; what :func:`_encoded_pair_counts`
    and :func:`analysis.terms.pairs.collocation_codes` are made from.
    """
    enc = T.Encoder(**{k: v for k, v in options.items() if k != "keep_numbers"})
    raw_ids, lengths = enc.add_raw(sentences[S.SENTENCE_TEXT].tolist())
    raws, raw_term, is_stop, is_number = enc.raw_forms()
    terms = enc.terms
    term = raw_term[raw_ids]
    kept = ~is_stop[raw_ids] & ~is_number[raw_ids]
    sent = np.repeat(np.arange(len(sentences)), lengths)[kept]
    raw_ids, term = raw_ids[kept], term[kept]
    outlet_code, outlets = pd.factorize(sentences[S.OUTLET].astype("str"), sort=False)
    outlet = outlet_code[sent]
    same = sent[:-1] == sent[1:]
    n = max(len(terms), 1)  # (outlet, first, second) as one int64 key: outlets x n^2 < 2^63
    pairs = np.unique((outlet[:-1][same].astype(np.int64) * n + term[:-1][same]) * n + term[1:][same],
                      return_counts=True)
    words = np.unique(outlet.astype(np.int64) * n + term, return_counts=True)
    forms = np.unique(raw_ids.astype(np.int64), return_counts=True)
    if options.get("phrases"):  # a joined phrase ("Donald_Trump"): its surface has spaces
        raws = [r.replace(T.PHRASE_JOINER, " ") for r in raws]
    return terms, outlets, raws, raw_term, pairs, words, forms, n


def _rank(strings) -> np.ndarray:
    """Rank of each of distinct `strings` in sorted (code point) order."""
    order = np.argsort(np.asarray(strings, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _ranked_pair_table(terms, outlets, surfaces, raw_term, pairs, words, forms, n) -> pd.DataFrame:
    """Build :func:`add_pair_counts`' table from unique id keys, sorted by their strings (units in order)."""
    (pair_keys, pair_n), (word_keys, word_n), (form_keys, form_n) = pairs, words, forms
    t_rank, o_rank, s_rank = _rank(terms), _rank(outlets), _rank(surfaces)
    p_out, p_first, p_second = pair_keys // (n * n), pair_keys // n % n, pair_keys % n
    p = np.lexsort((t_rank[p_second], t_rank[p_first], o_rank[p_out])) if len(pair_keys) else pair_keys
    w_out, w_term = word_keys // n, word_keys % n
    w = np.lexsort((t_rank[w_term], o_rank[w_out])) if len(word_keys) else word_keys
    f_term = raw_term[form_keys]
    f = np.lexsort((s_rank[form_keys], t_rank[f_term])) if len(form_keys) else form_keys
    n_t, n_o = len(terms), len(outlets)
    vocab_first = pd.Series(list(terms), dtype="str")
    vocab_second = pd.Series([*terms, "", *surfaces], dtype="str")  # term ids, then "", then raw ids
    vocab_outlet = pd.Series([*outlets, ""], dtype="str")
    units = pd.Series(["form", "pair", "word"], dtype="str")
    sizes = (len(form_keys), len(pair_keys), len(word_keys))
    return pd.DataFrame({
        UNIT: units.take(np.repeat(np.arange(3), sizes)).reset_index(drop=True),
        S.OUTLET: vocab_outlet.take(np.r_[np.full(sizes[0], n_o), p_out[p], w_out[w]]).reset_index(drop=True),
        FIRST: vocab_first.take(np.r_[f_term[f], p_first[p], w_term[w]]).reset_index(drop=True),
        SECOND: vocab_second.take(np.r_[n_t + 1 + form_keys[f], p_second[p], np.full(sizes[2], n_t)])
        .reset_index(drop=True),
        COUNT: np.r_[form_n[f], pair_n[p], word_n[w]].astype("int64"),
    })


def term_contexts(sentences: pd.DataFrame, *, articles: pd.DataFrame, terms: Iterable[str],
                  tokenize: dict | None = None, width: int = DEFAULT_WIDTH) -> pd.DataFrame:
    """Find every occurrence of `terms`, with its KWIC line and place in the article: a per-article step.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table.
    articles : pandas.DataFrame
        The articles of `sentences` (their ``text`` gives the context).
    terms : iterable of str
        Words, names or n-grams as a reader writes them; a variant of an alias phrase finds
        its joined name (:func:`analysis.kwic.term_hits` with the phrases).
    tokenize : dict, optional
        Options of :func:`analysis.tokens.tokenize`, as the token table would be made.
    width : int, default 60
        Characters of context each side.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence: the columns of :func:`analysis.kwic.kwic_terms` (``outlet,
        article_id, sentence_id, start, end, query, term, left, match, right``) then
        ``position, relative_position`` as :func:`dispersion` gives them; sorted by outlet,
        article, start, end. The rows of one query are :func:`analysis.kwic.kwic_terms`'
        and, in position order, :func:`dispersion`'s, without a token table of the corpus.

    Examples
    --------
    >>> from analysis.sentences import split_sentences
    >>> a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": ["Oil first, then talks, then oil."]})
    >>> term_contexts(split_sentences(a), articles=a, terms=["oil"], width=5)[
    ...     ["match", "right", "position", "relative_position"]].values.tolist()
    [['Oil', ' firs', 0, 0.0], ['oil', '.', 5, 0.833333]]

    Notes
    -----
    O(tokens of `sentences`) to encode (:meth:`analysis.tokens.Encoder.add_spans`) plus
    O(hits of each query) to find them (on term ids, :func:`_encoded_hits`) and O(hits x
    width) for the lines; memory a few integer arrays per token, no token table (15.7 -> 7.7
    CPU s on abp-2013 in 1,000-article chunks, the same rows), and
    :func:`analysis.partition.per_article` bounds it on any corpus.
    """
    from analysis.kwic import QUERY, kwic

    options = dict(tokenize or {})
    if isinstance(terms, str):
        raise ParameterError(f"terms: {terms!r} is a string; pass a list of terms")
    terms = list(terms)
    hits = _encoded_hits(sentences, terms, options)
    if hits is None:  # ids of another type than str, or no token: through the token table
        tokens = T.tokenize(sentences, **options)
        hits = _positions(tokens, term_hits_of(tokens, terms, options))
    out = kwic(articles, hits, width=width, sentences=sentences)
    lead = [c for c in out.columns if c not in (T.POSITION, RELATIVE_POSITION)]
    return out[lead + [T.POSITION, RELATIVE_POSITION]].astype({QUERY: "str"})


def _encoded_hits(sentences: pd.DataFrame, terms: list, options: dict) -> pd.DataFrame | None:
    """:func:`_positions` of :func:`term_hits_of` on ``tokenize(sentences)``, from term ids.

    The same rows, columns and types as the token-table path, without the token table:
    the sentences are encoded once (:meth:`analysis.tokens.Encoder.add_spans`) and each
    query is looked up among the kept tokens' term ids exactly as
    :func:`analysis.kwic.term_hits` looks it up among the table's rows (a multi-word query:
    its joined term, else consecutive tokens of one sentence). Returns None when the
    sentence table's id columns are not ``str`` (their type would then be inferred from the
    token rows) or no token is kept; the caller takes the token-table path. O(tokens) to
    encode plus O(hits) per query.
    """
    from analysis.kwic import QUERY

    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    labels = [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID]
    if any(sentences[c].dtype != "str" for c in labels):
        return None
    keep_numbers = options.get("keep_numbers", True)
    enc = T.Encoder(**{k: v for k, v in options.items() if k != "keep_numbers"})
    texts = sentences[S.SENTENCE_TEXT].tolist()
    raw_ids, per_text, starts, ends = enc.add_spans(texts)
    _raws, raw_term, _stop, raw_number = enc.raw_forms()
    which = np.repeat(np.arange(len(texts)), per_text)
    art = pd.factorize(sentences[S.ARTICLE_ID])[0][which]  # tokenize's groupby(article).cumcount()
    position = _repeat_numbers(art)
    kept = np.ones(len(raw_ids), dtype=bool) if keep_numbers else ~raw_number[raw_ids]
    if not kept.any():
        return None
    which, art, position = which[kept], art[kept], position[kept]
    codes = raw_term[raw_ids[kept]]
    base = sentences[S.START].to_numpy(dtype=np.int64)[which]
    starts, ends = base + starts[kept], base + ends[kept]
    sent = pd.factorize(sentences[S.SENTENCE_ID])[0][which]
    lookup = {t: i for i, t in enumerate(enc.terms.tolist())}
    by_term = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[by_term], np.arange(len(lookup) + 1))

    def where(t: str) -> np.ndarray:
        c = lookup.get(t)
        return by_term[bounds[c]:bounds[c + 1]] if c is not None else np.zeros(0, dtype=np.int64)

    stem = options.get("stem", False)
    variants = T.phrase_terms(options.get("phrases") or {})
    found = []
    for query in terms:  # as analysis.kwic.term_hits with phrases given
        norm = T.normalise_term(str(query), stem=stem) if stem else T.normalise_term(str(query))
        if not norm:
            raise ParameterError(f"terms: {query!r} contains no word")
        joined = variants.get(norm.replace(" ", T.PHRASE_JOINER))
        norm = joined or " ".join(variants.get(w, w) for w in norm.split(" "))
        words = norm.split(" ")
        idx, last = _occurrences(words, where, lookup, codes, sent, position)
        found.append((str(query), " ".join(words), idx, last))
    if not found:
        return None
    sizes = [len(f[2]) for f in found]
    at = np.concatenate([f[2] for f in found]).astype(np.int64)
    rows = which[at]
    hits = pd.DataFrame({QUERY: pd.Series(np.repeat([f[0] for f in found], sizes), dtype="str"),
                         T.TERM: pd.Series(np.repeat([f[1] for f in found], sizes), dtype="str"),
                         **{c: sentences[c].take(rows).reset_index(drop=True) for c in labels},
                         S.START: starts[at],
                         S.END: ends[np.concatenate([f[3] for f in found]).astype(np.int64)]})
    size = np.zeros(int(art.max()) + 1, dtype=np.int64)
    np.maximum.at(size, art, position + 1)  # tokens per article as _positions counts them (kept ones)
    hits[T.POSITION] = position[at]
    hits[RELATIVE_POSITION] = np.round(position[at] / size[art[at]], 6)
    return hits


def term_hits_of(tokens: pd.DataFrame, terms: Iterable[str], options: dict) -> pd.DataFrame:
    """:func:`analysis.kwic.term_hits` with the stemming and phrases `tokens` was made with."""
    from analysis.kwic import term_hits

    return term_hits(tokens, terms, stem=options.get("stem", False), phrases=options.get("phrases") or {})


def _positions(tokens: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    """Add each hit's token position and its position relative to the article's length."""
    where = tokens.set_index([S.ARTICLE_ID, S.START])[T.POSITION]
    pos = where.reindex(pd.MultiIndex.from_arrays([hits[S.ARTICLE_ID], hits[S.START]])).to_numpy()
    size = tokens.groupby(S.ARTICLE_ID)[T.POSITION].max() + 1
    hits = hits.copy()
    hits[T.POSITION] = pos.astype("int64")
    hits[RELATIVE_POSITION] = np.round(pos / size.reindex(hits[S.ARTICLE_ID]).to_numpy(), 6)
    return hits


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

    hits = _positions(tokens, term_hits(tokens, terms, stem=stem))
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
