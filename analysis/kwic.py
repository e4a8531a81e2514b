"""Show every hit in context: keyword-in-context (KWIC) lines with article and sentence.

Any analysis that counts something at character offsets in ``articles.text`` (a term, a
frame cue, a quotation) passes its hits to :func:`kwic` and gets one line per hit, so every
number in a table can be traced to the text it came from. :func:`kwic_terms` finds the
hits of terms (words, names, n-grams) in a token table first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis import tokens as T
from analysis.errors import ParameterError, SchemaError

LEFT = "left"  # up to `width` characters before the hit (whitespace runs shown as one space)
MATCH = "match"  # the hit itself, text[start:end]
RIGHT = "right"  # up to `width` characters after the hit
QUERY = "query"  # the term as asked for (kwic_terms)
DEFAULT_WIDTH = 60  # characters of context each side: one line in a notebook


_SPACES = re.compile(r"\s+")


def _squash(texts) -> list:
    """Show each run of whitespace in each of `texts` as one space (``re.sub(r"\\s+", " ", text)``).

    Only a text with two spaces in a row or a non-printable character can change: every
    whitespace character but " " is non-printable (Unicode separators and controls), so
    the others are kept as they are and the pattern runs on the rest (a quarter of the
    context windows of news text). Same values as ``Series.str.replace(r"\\s+", " ",
    regex=True)``, which runs the pattern on every text. O(characters).
    """
    return [t if "  " not in t and t.isprintable() else _SPACES.sub(" ", t) for t in texts]


def _check_hits(articles: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    texts = articles.set_index(S.ARTICLE_ID)[S.TEXT]
    if texts.index.has_duplicates:
        raise SchemaError("articles table has duplicate article_id values")
    unknown = sorted(set(hits[S.ARTICLE_ID].astype(str).unique()) - set(texts.index.astype(str)))
    if unknown:
        raise SchemaError(f"hits refer to article_id(s) {unknown[:5]} not in the articles table")
    try:
        start = hits[S.START].astype("int64").to_numpy()
        end = hits[S.END].astype("int64").to_numpy()
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"hits: start/end must be integer offsets ({exc})") from exc
    length = texts.str.len().reindex(hits[S.ARTICLE_ID]).to_numpy()
    bad = np.flatnonzero((start < 0) | (end < start) | (end > length))
    if len(bad):
        raise SchemaError(f"hits rows {bad[:5].tolist()}: start/end outside 0 <= start <= end <= "
                          "len(text) of their article")
    return texts


def _sentence_ids(hits: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
    """Return the sentence containing each hit's start (NA when it falls between sentences)."""
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.START, S.END], table="sentences")
    left = pd.DataFrame({S.ARTICLE_ID: hits[S.ARTICLE_ID].astype(str).to_numpy(),
                         S.START: hits[S.START].astype("int64").to_numpy(),
                         "_row": np.arange(len(hits))}).sort_values(S.START, kind="stable")
    right = pd.DataFrame({S.ARTICLE_ID: sentences[S.ARTICLE_ID].astype(str).to_numpy(),
                          S.START: sentences[S.START].astype("int64").to_numpy(),
                          "_end": sentences[S.END].astype("int64").to_numpy(),
                          S.SENTENCE_ID: sentences[S.SENTENCE_ID].to_numpy()}).sort_values(S.START)
    m = pd.merge_asof(left, right, on=S.START, by=S.ARTICLE_ID, direction="backward")
    sid = m[S.SENTENCE_ID].where(m[S.START] < m["_end"])
    return pd.Series(sid.to_numpy(), index=m["_row"].to_numpy()).sort_index()


def kwic(articles: pd.DataFrame, hits: pd.DataFrame, *, width: int = DEFAULT_WIDTH,
         sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one keyword-in-context line per hit.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id, outlet, text``).
    hits : pandas.DataFrame
        One row per hit: ``article_id, start, end`` (offsets into ``articles.text``) and any
        label columns, which are kept.
    width : int, default 60
        Characters of context on each side.
    sentences : pandas.DataFrame, optional
        The sentence table of the same articles, to look up each hit's sentence; when
        omitted, a ``sentence_id`` column of `hits` is used, else the articles are split.

    Returns
    -------
    pandas.DataFrame
        One row per hit: ``outlet, article_id, sentence_id, start, end``, the label
        columns, then ``left, match, right``; sorted by outlet, article, start, end.
        ``sentence_id`` is missing for a hit that starts between sentences.

    Raises
    ------
    SchemaError
        For missing columns, unknown articles or offsets outside the text.
    ParameterError
        For a width below 0.

    Notes
    -----
    Context is cut at `width` characters, not at word boundaries, and runs of whitespace
    (paragraph breaks) are shown as one space; ``match`` is always ``text[start:end]``.
    O(hits x width + characters of the articles) in time; memory O(hits x width) for the
    table returned, as Arrow strings. The order of the lines is found from the sort keys
    first and every column built once in that order (label columns taken in C as stored),
    and the context strings exist as Python objects only :data:`_BLOCK` lines at a time:
    until 2026-12 every label column became Python strings, the whole table was built,
    then sorted into a copy (at 313,600 frame cue hits of 4,142 articles: 358 MB above the
    corpus at the peak for a table of 94 MB).

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"],
    ...                   "text": ["Havana said no.\\n\\nTrump said yes."]})
    >>> h = pd.DataFrame({"article_id": ["a"], "start": [17], "end": [22], "cue": ["trump"]})
    >>> kwic(a, h, width=8).values.tolist()
    [['X', 'a', 'a/1', 17, 22, 'trump', 'id no. ', 'Trump', ' said ye']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    S.check_columns(hits, [S.ARTICLE_ID, S.START, S.END], table="hits")
    if not isinstance(width, int | np.integer) or isinstance(width, bool) or width < 0:
        raise ParameterError(f"width: {width!r}; use an integer >= 0")
    texts = _check_hits(articles, hits)
    if sentences is None and S.SENTENCE_ID in hits.columns:
        sentence_ids = hits[S.SENTENCE_ID].to_numpy()
    else:
        if sentences is None:
            from analysis.sentences import split_sentences

            sentences = split_sentences(articles)
        sentence_ids = _sentence_ids(hits, sentences).to_numpy() if len(hits) else []
    labels = [c for c in hits.columns if c not in (S.ARTICLE_ID, S.OUTLET, S.START, S.END, S.SENTENCE_ID,
                                                    LEFT, MATCH, RIGHT)]
    outlet = articles.set_index(S.ARTICLE_ID)[S.OUTLET].reindex(hits[S.ARTICLE_ID]).to_numpy()
    start = hits[S.START].astype("int64").to_numpy()
    end = hits[S.END].astype("int64").to_numpy()
    if not len(hits):  # no lines: the column types an empty table has always had
        return pd.DataFrame({S.OUTLET: outlet, S.ARTICLE_ID: hits[S.ARTICLE_ID].to_numpy(),
                             S.SENTENCE_ID: sentence_ids, S.START: start, S.END: end,
                             **{c: hits[c].to_numpy() for c in labels}, LEFT: [], MATCH: [], RIGHT: []})
    # the order of the lines first, from the sort keys alone (the same stable sort as sorting the
    # built table), so every column is built once, already in order
    keys = pd.DataFrame({S.OUTLET: outlet, S.ARTICLE_ID: hits[S.ARTICLE_ID].to_numpy(), S.START: start, S.END: end})
    order = keys.sort_values([S.OUTLET, S.ARTICLE_ID, S.START, S.END], kind="stable").index.to_numpy()
    del keys
    start, end = start[order], end[order]
    # each article's text once as a Python string, looked up by position: reindexing the
    # texts to the hits would copy a whole article per hit (2.4 GB for 78,000 cue hits)
    unique_texts = texts.tolist()
    text_of = texts.index.get_indexer(hits[S.ARTICLE_ID])[order]
    out = pd.DataFrame({
        S.OUTLET: outlet[order],
        S.ARTICLE_ID: _in_order(hits[S.ARTICLE_ID], order),
        S.SENTENCE_ID: _in_order(sentence_ids, order),
        S.START: start, S.END: end,
        **{c: _in_order(hits[c], order) for c in labels},
    })
    for name, context in ((LEFT, lambda t, s, e: t[max(0, s - width):s]), (MATCH, lambda t, s, e: t[s:e]),
                          (RIGHT, lambda t, s, e: t[e:e + width])):
        out[name] = _text_column(unique_texts, text_of, start, end, context, squash=name != MATCH)
    return out


_BLOCK = 50_000  # KWIC lines whose context strings exist as Python objects at once


def _in_order(column, order: np.ndarray):
    """`column` (a Series or array) taken in `order`, as the constructor of the table would store it.

    An Arrow string column stays one (taken in C); any other is taken as a NumPy array, as
    ``column.to_numpy()`` was before (the constructor then infers the same type).
    """
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.StringDtype):
        return column.take(order).reset_index(drop=True)
    return np.asarray(column.to_numpy() if isinstance(column, pd.Series) else column)[order]


def _text_column(texts: list, text_of: np.ndarray, start: np.ndarray, end: np.ndarray, context,
                 *, squash: bool) -> pd.Series:
    """Return ``context(text, start, end)`` of each line as a string column, built :data:`_BLOCK` lines at a time.

    Each block's strings are converted to the table's string type before the next block is
    made, so at most one block of them is held as Python objects. O(lines x width).
    """
    blocks = []
    for lo in range(0, len(start), _BLOCK):
        part = [context(texts[i], a, b) for i, a, b in zip(text_of[lo:lo + _BLOCK].tolist(),
                                                              start[lo:lo + _BLOCK].tolist(),
                                                              end[lo:lo + _BLOCK].tolist(), strict=True)]
        blocks.append(pd.Series(_squash(part) if squash else part, dtype="str"))
    if not blocks:
        return pd.Series([], dtype="str")
    return pd.concat(blocks, ignore_index=True) if len(blocks) > 1 else blocks[0]


def _occurrences(words: list[str], where, lookup: dict, codes: np.ndarray, sent: np.ndarray,
                 pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and last token index of every occurrence of a term's `words`.

    `where(term)` gives the token indices of one term, `lookup` a term's code in `codes` (one
    per token), `sent` and `pos` each token's sentence and position. A phrase is looked up
    as one joined token first (how an alias file's phrases are tokenised), else as its words
    in a row within one sentence. O(occurrences of the first word x words).
    """
    n_tokens = len(codes)
    idx = where(T.PHRASE_JOINER.join(words) if len(words) > 1 else words[0])
    last = idx
    if len(words) > 1 and not len(idx):
        idx = where(words[0])
        for k, w in enumerate(words[1:], start=1):
            j = np.minimum(idx + k, n_tokens - 1)
            c = lookup.get(w, -1)
            idx = idx[(idx + k < n_tokens) & (codes[j] == c) & (sent[j] == sent[idx]) & (pos[j] == pos[idx] + k)]
        last = idx + len(words) - 1
    return idx, last


def term_hits(tokens: pd.DataFrame, terms: Iterable[str], *, stem: bool = False,
              phrases=None) -> pd.DataFrame:
    """Find where each term occurs in a token table.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The token table of :func:`analysis.tokens.tokenize`.
    terms : iterable of str
        Words, names or n-grams as a reader writes them ("Díaz-Canel", "oil supplies",
        "United States"); each is normalised like the tokens were.
    stem : bool, default False
        Set when `tokens` was made with ``stem=True``.
    phrases : dict or list, optional
        The ``phrases`` `tokens` was made with. Given, a query that is one of their variants
        ("Trump") is looked up as its joined term ("donald_trump"), and so is each such word
        of a longer query, by the phrases alone. Omitted, the same is read from `tokens`'
        own surface forms, which depends on which articles the table holds.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence: ``query, term, article_id, outlet, sentence_id, start,
        end`` (the span of the whole n-gram), in token order per query. A multi-word query
        matches a joined phrase term or consecutive tokens within one sentence.

    Notes
    -----
    O(tokens log tokens) once (the tokens are grouped by term), then O(hits of the
    query's first word) per query: a report asking for three terms per outlet no longer
    scans the whole token table once per term (123 queries on 1,000 articles: 16 s of
    string comparisons before). With `phrases`, each article's hits depend on that article
    only (a per-article step, :func:`analysis.terms.term_contexts`).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...                   "start": [0], "sentence_text": ["Cut oil supplies to Cuba’s oil"]})
    >>> term_hits(T.tokenize(s), ["oil supplies", "Cuba"])[["query", "start", "end"]].values.tolist()
    [['oil supplies', 4, 16], ['Cuba', 20, 24]]
    """
    S.check_columns(tokens, [T.TERM, S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, T.POSITION, S.START, S.END],
                    table="tokens")
    if isinstance(terms, str):
        raise ParameterError(f"terms: {terms!r} is a string; pass a list of terms")
    tok = tokens  # read by position (iloc): no copy of the token table
    cols = [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, S.START, S.END]
    col_at = [tok.columns.get_loc(c) for c in cols]
    # one pass: every query is then a lookup, not a scan; factorised as stored (Arrow strings),
    # not through a Python object per token (902 MB more at 1,000 articles)
    codes, uniq = pd.factorize(tok[T.TERM].astype(str))
    lookup = {t: i for i, t in enumerate(uniq)}
    order = np.argsort(codes, kind="stable")  # token indices grouped by term, ascending within
    bounds = np.searchsorted(codes[order], np.arange(len(uniq) + 1))
    sent = pd.factorize(tok[S.SENTENCE_ID])[0]
    pos = tok[T.POSITION].to_numpy()
    ends = tok[S.END].to_numpy()

    def where(t: str) -> np.ndarray:
        c = lookup.get(t)
        return order[bounds[c]:bounds[c + 1]] if c is not None else np.zeros(0, dtype=np.int64)

    found = []  # (query, term, first token indices, last token indices), taken in one go below
    forms: dict[str, str] | None = None
    if phrases is not None:  # variant -> joined term, from the phrases alone
        variants = T.phrase_terms(phrases)
    for query in terms:
        norm = T.normalise_term(str(query), stem=stem) if stem else T.normalise_term(str(query))
        if not norm:
            raise ParameterError(f"terms: {query!r} contains no word")
        if phrases is not None:
            joined = variants.get(norm.replace(" ", T.PHRASE_JOINER))
            norm = joined or " ".join(variants.get(w, w) for w in norm.split(" "))
        elif norm not in lookup and norm.replace(" ", T.PHRASE_JOINER) not in lookup:
            if forms is None:  # surface form -> term, for aliased names ("Trump" -> donald_trump)
                pairs = tok[[T.TOKEN, T.TERM]].drop_duplicates()
                forms = {T.normalise_term(f): t for f, t in zip(pairs[T.TOKEN], pairs[T.TERM])}
            norm = forms.get(norm) or " ".join(forms.get(w, w) for w in norm.split(" "))
        words = norm.split(" ")
        idx, last = _occurrences(words, where, lookup, codes, sent, pos)
        found.append((str(query), " ".join(words), idx, last))
    if not found:
        return pd.DataFrame(columns=[QUERY, T.TERM, *cols])
    # one take of the hits' rows for all the queries (a take per query cost more than the search)
    sizes = [len(f[2]) for f in found]
    hit = tok.iloc[np.concatenate([f[2] for f in found]).astype(np.int64), col_at].reset_index(drop=True)
    hit[S.END] = ends[np.concatenate([f[3] for f in found]).astype(np.int64)]
    hit.insert(0, QUERY, pd.Series(np.repeat([f[0] for f in found], sizes), dtype="str"))
    hit.insert(1, T.TERM, pd.Series(np.repeat([f[1] for f in found], sizes), dtype="str"))
    return hit


def kwic_terms(tokens: pd.DataFrame, articles: pd.DataFrame, terms: Iterable[str], *,
               width: int = DEFAULT_WIDTH, sentences: pd.DataFrame | None = None,
               stem: bool = False) -> pd.DataFrame:
    """Return the KWIC lines of every occurrence of `terms`.

    Parameters
    ----------
    tokens : pandas.DataFrame
        The token table of :func:`analysis.tokens.tokenize` for `articles`.
    articles : pandas.DataFrame
        The articles table.
    terms : iterable of str
        Words, names or n-grams (see :func:`term_hits`).
    width : int, default 60
        Characters of context each side.
    sentences : pandas.DataFrame, optional
        The sentence table (split afresh when omitted).
    stem : bool, default False
        Set when `tokens` was made with ``stem=True``.

    Returns
    -------
    pandas.DataFrame
        One row per occurrence, as :func:`kwic`, with label columns ``query, term``;
        sorted by outlet, article, start.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": ["Díaz-Canel spoke."]})
    >>> from analysis.sentences import split_sentences
    >>> s = split_sentences(a)
    >>> kwic_terms(T.tokenize(s), a, ["Diaz-Canel"], width=5)[["query", "match", "right"]].values.tolist()
    [['Diaz-Canel', 'Díaz-Canel', ' spok']]
    """
    hits = term_hits(tokens, terms, stem=stem)
    return kwic(articles, hits, width=width, sentences=sentences)
