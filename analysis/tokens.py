"""Split text into word and number tokens: a tidy token table and a fast encoder.

One tokenisation rule serves the whole package. A token is a run of letters and digits,
with inner hyphens ("Díaz-Canel"), inner apostrophes ("O’Brien", "don’t"), inner
underscores (joined phrases) and, between digits, inner "." and "," ("1,000", "3.5"); or
an initialism written with periods ("U.S."). A possessive "’s"/"'s" after a token is
dropped from it; punctuation is never a token. En and em dashes separate tokens
("US–Cuba" is two tokens); only the hyphen joins.

Each token gets a *term*, its normalised form: accents and case folded with
:func:`analysis.clean.fold_for_matching` ("Díaz-Canel" and "Diaz-Canel" are one term),
periods removed from initialisms ("U.S." -> "us"), thousands separators removed from
numbers ("1,000" -> "1000"), optionally stemmed (NLTK's Porter stemmer, no download), and
mapped through an alias list (``phrases``) that also joins multi-word names into one term
("Donald Trump" -> "donald_trump").

:func:`tokenize` returns one row per token with character offsets (for KWIC);
:func:`encode` is the fast path for counting, equal in its terms to :func:`tokenize`
(tested), and :func:`word_counts` gives the per-1,000-words denominators.

Why not NLTK's ``RegexpTokenizer``: NLTK 3.10 runs every tokenizer regex through a
per-call timeout wrapper (``nltk.redos``), about 7 MB/s and failing on one very long
string. :data:`TOKEN_RE` is compiled with Python's ``re`` and is ReDoS-safe by
construction (see :func:`tokenize` Notes), so it needs no timeout.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import ParameterError

# --- token table columns -----------------------------------------------------------------
POSITION = "position"  # 0-based token index within the article (before any token is dropped)
TOKEN = "token"  # the token as written in articles.text (text[start:end])
TERM = "term"  # the normalised term the token counts as
TOKEN_KIND = "kind"  # "word" or "number"
IS_STOPWORD = "is_stopword"  # True when the term is in the stopword list
WORDS = "words"  # tokens per article (words and numbers, stopwords included)

TOKEN_COLUMNS = (S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, POSITION, S.START, S.END, TOKEN, TERM,
                 TOKEN_KIND, IS_STOPWORD)
KINDS = ("word", "number")
PHRASE_JOINER = "_"  # joins the words of a multi-word name in its term ("donald_trump")

# Letters/digits ([^\W_]) with joiners that the repeated class can never match, so every
# character has exactly one way to be matched: linear time, no catastrophic backtracking.
TOKEN_RE = re.compile(
    r"((?:[^\W\d_]\.){2,}"  # initialism: U.S. / a.m.
    r"|[^\W_]+(?:(?:[-‐‑_]|['’](?![sS]\b)|(?<=\d)[.,](?=\d))[^\W_]+)*)"  # word / number
    r"(?:['’][sS]\b)?"  # possessive 's, matched but outside the token
)
_INITIALISM = re.compile(r"(?:[^\W\d_]\.){2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_HYPHENS = str.maketrans({"‐": "-", "‑": "-", "’": "'"})


def _fold_keep_case(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _stopword_set(stopwords) -> frozenset[str]:
    from analysis import resources

    if stopwords is None:
        return frozenset()
    if isinstance(stopwords, str):
        return resources.stopwords(stopwords)
    try:
        return frozenset(fold_for_matching(str(w)) for w in stopwords)
    except TypeError as exc:
        raise ParameterError(f"stopwords: {stopwords!r}; use a language name ('english'), "
                             "a list of words, or None") from exc


class _Normaliser:
    """Map a raw token (as matched) to (term, kind, is_stopword), memoised per raw token."""

    def __init__(self, *, lowercase, fold_accents, stopwords, stem, aliases):
        self.lowercase, self.fold_accents = bool(lowercase), bool(fold_accents)
        self.stop = _stopword_set(stopwords)
        self.aliases = aliases
        self.stemmer = None
        if stem:
            from analysis._nltk import PorterStemmer

            self.stemmer = PorterStemmer()
        self.memo: dict[str, tuple[str, str, bool]] = {}

    def fold(self, raw: str) -> str:
        if self.lowercase and self.fold_accents:
            return fold_for_matching(raw)
        t = raw.translate(_HYPHENS)
        t = _fold_keep_case(t) if self.fold_accents else t
        return t.lower() if self.lowercase else t

    def __call__(self, raw: str) -> tuple[str, str, bool]:
        hit = self.memo.get(raw)
        if hit is not None:
            return hit
        t = self.fold(raw)
        kind = "word"
        if _INITIALISM.fullmatch(t):
            t = t.replace(".", "")
        elif _NUMBER.fullmatch(t):
            kind = "number"
            if _THOUSANDS.fullmatch(t):
                t = t.replace(",", "")
        t = self.aliases.get(fold_for_matching(t), t)
        is_stop = kind == "word" and fold_for_matching(t) in self.stop
        if self.stemmer is not None and kind == "word" and t.isalpha():
            t = self.stemmer.stem(t, to_lowercase=self.lowercase)
        out = (t, kind, is_stop)
        self.memo[raw] = out
        return out


def _phrase_key(text: str) -> str:
    return PHRASE_JOINER.join(fold_for_matching(m.group(1)) for m in TOKEN_RE.finditer(text))


class _Phrases:
    r"""Find multi-word phrases in folded text: leftmost, longest at one start, whole words.

    The same occurrences as the regex ``(?<![^\W_])(?:p1|p2|...)(?![^\W_])`` with the longest
    phrases first (tested), never overlapping, but in one Aho-Corasick pass (pyahocorasick),
    O(characters + occurrences), where Python's ``re`` tries every alternative at every
    position (5 ms a sentence with the names proposed for 1,000 abp-2013 articles).
    """

    def __init__(self, phrases: set[str]):
        import ahocorasick

        self.auto = ahocorasick.Automaton()
        for phrase in phrases:
            self.auto.add_word(phrase, len(phrase))
        self.auto.make_automaton()

    def spans(self, folded: str) -> list[tuple[int, int]]:
        """Return the (start, end) of each phrase occurrence chosen, in text order."""
        n, found = len(folded), []
        for last, length in self.auto.iter(folded):
            start, end = last - length + 1, last + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue  # not whole words ([^\W_] is str.isalnum)
            found.append((start, end))
        found.sort(key=lambda m: (m[0], -m[1]))
        chosen, reach = [], 0
        for start, end in found:
            if start >= reach:
                chosen.append((start, end))
                reach = end
        return chosen


def _compile_phrases(phrases) -> tuple[_Phrases | None, dict[str, str]]:
    """Return (finder of multi-word variants in folded text, folded variant key -> term)."""
    if phrases is None:
        return None, {}
    if isinstance(phrases, str):
        raise ParameterError(f"phrases: {phrases!r} is a string; use a list of phrases or a "
                             "dict {term: [variants]}")
    groups = phrases.items() if isinstance(phrases, Mapping) else ((p, []) for p in phrases)
    aliases: dict[str, str] = {}
    multi: set[str] = set()
    for canonical, variants in groups:
        if isinstance(variants, str):
            variants = [variants]
        key = _phrase_key(str(canonical))
        if not key:
            raise ParameterError(f"phrases: {canonical!r} has no word in it")
        for v in [str(canonical), *map(str, variants)]:
            words = [fold_for_matching(m.group(1)) for m in TOKEN_RE.finditer(v)]
            if words:
                aliases[PHRASE_JOINER.join(words)] = key
            if len(words) > 1:
                multi.add(" ".join(words))
    if not multi:
        return None, aliases
    return _Phrases(multi), aliases


def phrase_terms(phrases) -> dict[str, str]:
    """Return each variant of `phrases`, folded and joined, mapped to the term it becomes.

    Parameters
    ----------
    phrases : dict or list
        As in :func:`tokenize`.

    Returns
    -------
    dict
        ``"trump" -> "donald_trump"``: the key is the variant's words as terms joined by
        ``"_"``, the value the term :func:`tokenize` gives every occurrence of it.

    Examples
    --------
    >>> phrase_terms({"Donald Trump": ["Trump"]})
    {'donald_trump': 'donald_trump', 'trump': 'donald_trump'}
    """
    return _compile_phrases(phrases)[1]


def _join_phrases(text: str, phrase_re: _Phrases | None) -> str:
    """Replace the spaces inside each phrase occurrence by "_" (same length: offsets hold)."""
    if phrase_re is None:
        return text
    spans = phrase_re.spans(fold_for_matching(text))
    if not spans:
        return text
    parts, last = [], 0
    for s, e in spans:
        parts += [text[last:s], text[s:e].replace(" ", PHRASE_JOINER)]
        last = e
    parts.append(text[last:])
    return "".join(parts)


def _check_options(stopwords, phrases, lowercase, fold_accents, stem):
    for name, value in (("lowercase", lowercase), ("fold_accents", fold_accents), ("stem", stem)):
        if not isinstance(value, bool):
            raise ParameterError(f"{name}: {value!r}; use True or False")
    phrase_re, aliases = _compile_phrases(phrases)
    norm = _Normaliser(lowercase=lowercase, fold_accents=fold_accents, stopwords=stopwords,
                       stem=stem, aliases=aliases)
    return phrase_re, norm


def _repeated(column: pd.Series, rows: np.ndarray):
    """Return `column`'s values at `rows`, typed as a DataFrame would type them given as Python objects.

    A ``str`` column is taken as it is (one Arrow take, no Python object per row); any other
    column is handed over as a list, so pandas infers its type from the values (int ids stay
    int64, categories become ``str``) as it did when tokens were rows of tuples.
    """
    if column.dtype == "str":
        return column.take(rows).reset_index(drop=True)
    return list(column.to_numpy()[rows])


@functools.cache
def _space_table() -> np.ndarray:
    return np.array([chr(c).isspace() for c in range(128)], dtype=bool)


def _is_space(codes: np.ndarray) -> np.ndarray:
    """``str.isspace`` of each code point (ASCII by a table, the few others one by one)."""
    out = np.zeros(len(codes), dtype=bool)
    ascii_ = codes < 128
    out[ascii_] = _space_table()[codes[ascii_]]
    other = np.unique(codes[~ascii_])
    spaced = other[[chr(c).isspace() for c in other.tolist()]] if len(other) else other
    if len(spaced):
        out[~ascii_] = np.isin(codes[~ascii_], spaced)
    return out


def tokenize(
    sentences: pd.DataFrame,
    *,
    lowercase: bool = True,
    fold_accents: bool = True,
    stopwords: str | Iterable[str] | None = "english",
    stem: bool = False,
    phrases: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
    keep_numbers: bool = True,
) -> pd.DataFrame:
    """Return the token table of a sentence table: one row per token.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id, article_id, outlet, start, sentence_text``).
    lowercase : bool, default True
        Fold case in terms.
    fold_accents : bool, default True
        Fold accents in terms ("Díaz" -> "diaz").
    stopwords : str, iterable of str or None, default "english"
        Stopword list: a shipped language, your own words, or None. Stopwords are *flagged*
        in ``is_stopword``, never removed here, so positions and n-grams stay intact;
        counting functions drop them.
    stem : bool, default False
        Stem purely alphabetic word terms with NLTK's Porter stemmer.
    phrases : dict or list, optional
        Alias list: ``{"Díaz-Canel": ["Díaz Canel", "Miguel Díaz-Canel"]}`` maps every
        variant (and the key) to one term; a plain list joins each multi-word name into one
        term. Multi-word terms join their words with "_" ("united_states"); their token
        spans the whole name.
    keep_numbers : bool, default True
        Keep number tokens (``kind == "number"``); False drops them (positions keep gaps).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TOKEN_COLUMNS`, in sentence order: ``start``/``end`` are offsets into
        ``articles.text`` (``token == text[start:end]``), ``position`` counts tokens within
        the article.

    Raises
    ------
    SchemaError
        If `sentences` lacks a column.
    ParameterError
        For a bad option.

    Notes
    -----
    Cost: O(characters) of vectorised scanning for whitespace plus O(whitespace chunks) of
    C-level splitting; :data:`TOKEN_RE` and the normalisation run once per *distinct* chunk
    and raw form, not per token (:meth:`Encoder.add_spans`; 2.4-2.8x faster than matching every text,
    with the same rows, on 1,000 abp-2013 articles). Memory O(tokens) for the table.
    :data:`TOKEN_RE` is linear-time: each repeated class (letters/digits) is followed by
    a mandatory joiner it cannot match, so the engine never has two ways to split a run,
    and the lookarounds read one character. Python's ``re`` is used directly, without
    NLTK's ``nltk.redos`` timeout wrapper, which is both slow and fails on long strings.
    Case folding merges "US" (the country) with "us" (the pronoun); "it's"/"let's" lose
    their "'s" as possessives do.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...                   "start": [10], "sentence_text": ["Díaz-Canel’s 1,000 U.S. aides—left."]})
    >>> tokenize(s)[["position", "start", "end", "token", "term", "kind", "is_stopword"]].values.tolist()
    [[0, 10, 20, 'Díaz-Canel', 'diaz-canel', 'word', False], [1, 23, 28, '1,000', '1000', 'number', False], \
[2, 29, 33, 'U.S.', 'us', 'word', False], [3, 34, 39, 'aides', 'aides', 'word', False], \
[4, 40, 44, 'left', 'left', 'word', False]]
    >>> tokenize(s, phrases={"Díaz-Canel": ["Miguel Díaz Canel"]}).term.iloc[0]
    'diaz-canel'
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    enc = Encoder(lowercase=lowercase, fold_accents=fold_accents, stopwords=stopwords, stem=stem, phrases=phrases)
    texts = sentences[S.SENTENCE_TEXT].tolist()
    raw_ids, per_text, starts, ends = enc.add_spans(texts)
    raws, raw_term, raw_stop, raw_number = enc.raw_forms()
    which = np.repeat(np.arange(len(texts)), per_text)
    base = sentences[S.START].to_numpy(dtype=np.int64)[which]
    surfaces = np.array(raws, dtype=object)[raw_ids]
    if phrases is not None:  # a joined phrase's surface is the text's own (spaces, not "_")
        joined = np.flatnonzero(np.fromiter((PHRASE_JOINER in r for r in raws), dtype=bool,
                                            count=len(raws))[raw_ids])
        surfaces[joined] = [texts[w][a:b] for w, a, b in zip(which[joined], starts[joined], ends[joined])]
    terms = enc.terms[raw_term[raw_ids]]
    kinds = np.where(raw_number[raw_ids], "number", "word").astype(object)
    cols = [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, S.START, S.END, TOKEN, TERM, TOKEN_KIND, IS_STOPWORD]
    out = pd.DataFrame([], columns=cols) if not len(which) else pd.DataFrame({
        S.ARTICLE_ID: _repeated(sentences[S.ARTICLE_ID], which),
        S.OUTLET: _repeated(sentences[S.OUTLET], which),
        S.SENTENCE_ID: _repeated(sentences[S.SENTENCE_ID], which),
        S.START: base + starts, S.END: base + ends,
        TOKEN: surfaces.tolist(), TERM: terms.tolist(), TOKEN_KIND: kinds.tolist(),
        IS_STOPWORD: raw_stop[raw_ids].tolist()}, columns=cols)
    out.insert(3, POSITION, out.groupby(S.ARTICLE_ID, sort=False).cumcount().astype("int64"))
    out = out.astype({S.START: "int64", S.END: "int64", IS_STOPWORD: "bool"})
    if not keep_numbers:
        out = out[out[TOKEN_KIND] != "number"].reset_index(drop=True)
    return out


class Encoded(NamedTuple):
    """Texts encoded as term ids: the fast path behind counting (see :func:`encode`)."""

    ids: np.ndarray  # int32, one per token, all texts concatenated
    lengths: np.ndarray  # int64, tokens per text
    terms: np.ndarray  # the term of each id (object array of str)
    kinds: np.ndarray  # "word"/"number" per id
    is_stopword: np.ndarray  # bool per id
    surfaces: np.ndarray  # most frequent surface form per id (phrases with spaces)
    counts: np.ndarray  # int64 corpus frequency per id


class Encoder:
    """Encode texts batch by batch into term ids shared by every batch (streaming :func:`encode`).

    Parameters
    ----------
    lowercase, fold_accents, stopwords, stem, phrases
        As in :func:`tokenize`.

    Notes
    -----
    Each distinct whitespace chunk is normalised once for the whole stream (the chunk,
    raw-form and term dictionaries persist across batches), so encoding a corpus in batches
    costs O(tokens) like one call, and memory holds one batch's per-token arrays plus the
    dictionaries (O(distinct chunks)), not the whole corpus's tokens.

    Examples
    --------
    >>> enc = Encoder(stopwords=None)
    >>> [enc.add([t])[0].tolist() for t in ["Oil, Cuba.", "cuba oil"]]
    [[0, 1], [1, 0]]
    >>> enc.finish().terms.tolist(), enc.finish().counts.tolist()
    (['oil', 'cuba'], [2, 2])
    """

    def __init__(self, *, lowercase: bool = True, fold_accents: bool = True,
                 stopwords: str | Iterable[str] | None = "english", stem: bool = False,
                 phrases: Mapping[str, Iterable[str]] | Iterable[str] | None = None):
        self._phrase_re, self._norm = _check_options(stopwords, phrases, lowercase, fold_accents, stem)
        # chunk -> id, numbered on first sight. The factory is a counter, not the dict's own
        # __len__ (the same ids, as nothing is ever removed): that made the dict reference itself,
        # so every encoder's chunks outlived it until the cyclic collector ran
        self._chunks: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        self._done = 0  # chunks already split into raw tokens
        self._term_id: dict[str, int] = {}
        self._raw_id: dict[str, int] = {}
        self._terms: list[str] = []
        self._kinds: list[str] = []
        self._stops: list[bool] = []
        self._raws: list[str] = []
        self._raw_term: list[int] = []
        self._raw_flags = bytearray()  # per raw form: 1 stopword, 2 number (its own, as tokenize flags it)
        self._ptr, self._flat = [0], []  # per distinct chunk: where its tokens' raw ids start in _flat
        self._soff, self._eoff = array("i"), array("i")  # each _flat token's offsets in its chunk
        self._raw_counts = np.zeros(0, dtype=np.int64)
        self._n_texts = 0

    def add(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Encode one batch: ``(ids, lengths)``, int32 term ids and int64 tokens per text.

        Parameters
        ----------
        texts : iterable of str
            The batch's texts.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Term ids of every token of the batch (texts concatenated), tokens per text.

        Notes
        -----
        O(tokens of the batch + new distinct chunks).
        """
        raw_ids, lengths = self.add_raw(texts)
        return np.asarray(self._raw_term, dtype=np.int32)[raw_ids], lengths

    def add_raw(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Encode one batch as raw-form ids: ``(raw_ids, lengths)`` (see :meth:`raw_forms`).

        A raw form is a token as matched (phrase words joined by "_"); :meth:`add` gives
        the term of each. Same cost as :meth:`add`.

        Parameters
        ----------
        texts : iterable of str
            The batch's texts.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Raw-form ids of every token of the batch (texts concatenated), tokens per text.
        """
        raw_ids, lengths, _ = self._add(texts, spans=False)
        return raw_ids, lengths

    def add_spans(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Encode one batch as :meth:`add_raw` does, with each token's offsets in its text.

        Parameters
        ----------
        texts : iterable of str
            The batch's texts.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray)
            Raw-form ids, tokens per text, and each token's int64 start and end in its text:
            the spans ``TOKEN_RE.finditer`` gives over the text (phrase joining keeps offsets).

        Notes
        -----
        The chunks' offsets come from one vectorised scan of the batch for whitespace, so
        this costs O(characters) more than :meth:`add_raw`.
        """
        raw_ids, lengths, (starts, ends) = self._add(texts, spans=True)
        return raw_ids, lengths, starts, ends

    def _add(self, texts: Iterable[str], *, spans: bool):
        """Encode one batch: raw ids, tokens per text, and (starts, ends) when `spans` (else None)."""
        texts = texts if isinstance(texts, list) else list(texts)
        for k, text in enumerate(texts):
            if not isinstance(text, str):
                raise ParameterError(f"texts: item {self._n_texts + k} is {type(text).__name__}, not str")
        joined = texts if self._phrase_re is None else [_join_phrases(t, self._phrase_re) for t in texts]
        seq, lengths = self._split(joined)
        self._n_texts += len(lengths)
        raw_id, term_id, norm = self._raw_id, self._term_id, self._norm
        terms, raws, raw_term, flat, ptr = self._terms, self._raws, self._raw_term, self._flat, self._ptr
        soff, eoff = self._soff, self._eoff
        for chunk in itertools.islice(self._chunks, self._done, None):  # dict order == chunk id order
            for m in TOKEN_RE.finditer(chunk):
                raw = m.group(1)
                r = raw_id.get(raw)
                if r is None:
                    term, kind, stop = norm(raw)
                    t = term_id.setdefault(term, len(term_id))
                    if t == len(terms):
                        terms.append(term), self._kinds.append(kind), self._stops.append(stop)
                    r = raw_id[raw] = len(raws)
                    raws.append(raw), raw_term.append(t)
                    self._raw_flags.append(int(stop) | 2 * (kind == "number"))
                flat.append(r)
                soff.append(m.start(1)), eoff.append(m.end(1))
            ptr.append(len(flat))
        self._done = len(self._chunks)
        ptr_a = np.asarray(ptr, dtype=np.int64)
        n_tok = np.diff(ptr_a)[seq]
        doc_of_chunk = np.repeat(np.arange(len(lengths)), lengths)
        lengths_tok = np.bincount(doc_of_chunk, weights=n_tok, minlength=len(lengths)).astype(np.int64)
        at = ptr_a[seq]  # each token's place in `flat`: most chunks are one token, the rest expanded
        if not (n_tok == 1).all():
            at = np.repeat(at - np.cumsum(n_tok) + n_tok, n_tok) + np.arange(int(n_tok.sum()), dtype=np.int64)
        raw_ids = np.asarray(flat, dtype=np.int32)[at]
        counts = np.bincount(raw_ids, minlength=len(raws))
        counts[:len(self._raw_counts)] += self._raw_counts
        self._raw_counts = counts
        if not spans:
            return raw_ids, lengths_tok, None
        # chunk offsets: the batch's texts joined by one space, scanned for whitespace
        size = np.fromiter(map(len, joined), dtype=np.int64, count=len(joined))
        text_at = np.cumsum(size + 1) - size - 1
        codes = np.frombuffer(" ".join(joined).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        word = ~_is_space(codes)
        chunk_start = np.flatnonzero(word & ~np.r_[False, word[:-1]])
        origin = np.repeat(chunk_start - text_at[doc_of_chunk], n_tok)
        return raw_ids, lengths_tok, (origin + np.asarray(soff, dtype=np.int64)[at],
                                      origin + np.asarray(eoff, dtype=np.int64)[at])

    def _split(self, texts: list[str]) -> tuple[np.ndarray, list[int]]:
        """Split `texts` at white space and give each chunk its id: (int32 ids, chunks per text).

        New chunks are numbered in order of first occurrence, as ``str.split`` and a dict
        would number them; the split itself is Arrow's ``utf8_split_whitespace`` and
        ``dictionary_encode`` (C, 2x the Python loop on abp-2013), whose white space is
        Python's ``str.isspace`` at every code point (tested), so the chunks are
        ``str.split()``'s. Texts Arrow cannot take (lone surrogates) take the Python loop.
        O(characters) in C plus O(distinct chunks of the batch) in Python.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        get = self._chunks.__getitem__
        try:
            lists = pc.utf8_split_whitespace(pa.array(texts, type=pa.large_string()))
        except (pa.ArrowException, UnicodeError):
            seq_arr, lengths = array("i"), []
            for text in texts:
                parts = text.split()
                seq_arr.extend(map(get, parts))
                lengths.append(len(parts))
            return (np.frombuffer(seq_arr, dtype=np.int32) if len(seq_arr) else np.zeros(0, np.int32)), lengths
        flat = pc.list_flatten(lists)
        full = pc.greater(pc.binary_length(flat), 0)  # Arrow gives "" before leading and after trailing space
        parent = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        lengths = np.bincount(parent[full.to_numpy(zero_copy_only=False)], minlength=len(texts)).tolist()
        coded = pc.dictionary_encode(pc.filter(flat, full))
        ids = np.fromiter(map(get, coded.dictionary.to_pylist()), dtype=np.int32, count=len(coded.dictionary))
        return ids[coded.indices.to_numpy(zero_copy_only=False)], lengths

    def raw_forms(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """Return every raw form seen so far with its term id and its own flags.

        Returns
        -------
        (list of str, numpy.ndarray, numpy.ndarray, numpy.ndarray)
            Raw forms by raw id (phrase words joined by "_"), the int64 term id of each, and
            whether each raw form is a stopword and a number, as :func:`tokenize` flags the
            token. The flags are the raw form's: with ``stem=True`` "willing" is no stopword
            although its term "will" is also the term of the stopword "will".

        Notes
        -----
        O(distinct raw forms).
        """
        flags = np.frombuffer(bytes(self._raw_flags), dtype=np.uint8)
        return (list(self._raws), np.asarray(self._raw_term, dtype=np.int64), (flags & 1).astype(bool),
                (flags & 2).astype(bool))

    def finish(self) -> Encoded:
        """Return what :func:`encode` returns for every batch added so far (``ids`` empty).

        Returns
        -------
        Encoded
            Per-id ``terms, kinds, is_stopword, surfaces, counts``; ``ids`` and ``lengths``
            are empty (each batch's came from :meth:`add`).

        Notes
        -----
        O(distinct raw forms + distinct terms).
        """
        raw_term = np.asarray(self._raw_term, dtype=np.int64)
        n = len(self._terms)
        counts = np.bincount(raw_term, weights=self._raw_counts, minlength=n).astype(np.int64)
        return Encoded(np.zeros(0, np.int32), np.zeros(0, np.int64), np.array(self._terms, dtype=object),
                       np.array(self._kinds, dtype=object), np.array(self._stops, dtype=bool),
                       _surfaces(self._raws, raw_term, self._raw_counts, n), counts)

    @property
    def terms(self) -> np.ndarray:
        """Every term seen so far, by term id (object array; :meth:`finish` without the rest)."""
        return np.array(self._terms, dtype=object)

    @property
    def n_terms(self) -> int:
        """Distinct terms seen so far."""
        return len(self._terms)


def encode(
    texts: Iterable[str],
    *,
    lowercase: bool = True,
    fold_accents: bool = True,
    stopwords: str | Iterable[str] | None = "english",
    stem: bool = False,
    phrases: Mapping[str, Iterable[str]] | Iterable[str] | None = None,
) -> Encoded:
    """Encode texts as arrays of term ids, with the same terms as :func:`tokenize`.

    Parameters
    ----------
    texts : iterable of str
        One text per unit (sentence or article); n-grams never cross units.
    lowercase, fold_accents, stopwords, stem, phrases
        As in :func:`tokenize`.

    Returns
    -------
    Encoded
        ``ids`` (one per token), ``lengths`` (tokens per text) and per-id ``terms``,
        ``kinds``, ``is_stopword``, ``surfaces`` and ``counts``.

    Notes
    -----
    Tokens never contain whitespace, so each text is split on whitespace (C speed), each
    distinct chunk is numbered with a dict, and :data:`TOKEN_RE` and the normalisation run
    once per *distinct* chunk, not per token. Numbers are kept (``kinds`` marks them).
    O(tokens + distinct chunks); memory O(tokens) for the ids (use :class:`Encoder` to
    stream batches).

    Examples
    --------
    >>> e = encode(["Cuba’s leader, Díaz-Canel.", "Diaz-Canel and cuba"])
    >>> e.terms[e.ids].tolist(), e.lengths.tolist()
    (['cuba', 'leader', 'diaz-canel', 'diaz-canel', 'and', 'cuba'], [3, 3])
    >>> e.surfaces.tolist(), e.counts.tolist(), e.is_stopword.tolist()
    (['Cuba', 'leader', 'Díaz-Canel', 'and'], [2, 1, 2, 1], [False, False, False, True])
    """
    enc = Encoder(lowercase=lowercase, fold_accents=fold_accents, stopwords=stopwords, stem=stem,
                  phrases=phrases)
    ids, lengths = enc.add(texts)
    return enc.finish()._replace(ids=ids, lengths=lengths)


def _surfaces(raws: list[str], raw_term: np.ndarray, raw_counts: np.ndarray, n_terms: int) -> np.ndarray:
    """Return the most frequent raw form per term (ties: first seen); "_" shown as a space."""
    order = np.lexsort((np.arange(len(raws)), -raw_counts, raw_term))
    first = order[np.r_[True, raw_term[order][1:] != raw_term[order][:-1]]] if len(order) else order
    out = np.empty(n_terms, dtype=object)
    out[raw_term[first]] = [raws[i].replace(PHRASE_JOINER, " ").translate(_HYPHENS) for i in first]
    return out


@functools.cache
def _plain_normaliser() -> _Normaliser:
    return _Normaliser(lowercase=True, fold_accents=True, stopwords=None, stem=False, aliases={})


def clear_shared_memo() -> None:
    """Empty the memo :func:`normalise_term` shares across calls (a pure cache: no result changes).

    Returns
    -------
    None

    Examples
    --------
    >>> normalise_term("Havana's"), clear_shared_memo(), normalise_term("Havana's")
    ('havana', None, 'havana')

    Notes
    -----
    The report's kernels call it after every cell (:func:`analysis.kernel.release_after_cells`):
    the memo keeps every distinct token the kernel normalised, and its entries pin freed memory.
    O(entries).
    """
    if _plain_normaliser.cache_info().currsize:
        _plain_normaliser().memo.clear()


def word_counts(sentences: pd.DataFrame) -> pd.DataFrame:
    """Count the words of each article with exactly the tokenizer's rule.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``article_id, outlet, sentence_text``).

    Returns
    -------
    pandas.DataFrame
        One row per article in the table (first-seen order): ``article_id, outlet, words``.
        Words are all tokens of :func:`tokenize`: words and numbers, stopwords included,
        no phrase joining; the denominator of every "per 1,000 words" rate.

    Notes
    -----
    O(characters) in C (Arrow splits the texts at white space) plus O(distinct whitespace
    chunks) of :data:`TOKEN_RE` matching, counted without normalising any token; equal to
    ``encode(texts, stopwords=None).lengths`` (tested), 1.9x faster on abp-2013 (1.5 against 2.8 s).

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"],
    ...                   "sentence_text": ["Díaz-Canel’s aides — left.", "1,000 of them.", "—"]})
    >>> word_counts(s).values.tolist()
    [['a', 'X', 6], ['b', 'Y', 0]]
    """
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT], table="sentences")
    lengths = _token_counts(sentences[S.SENTENCE_TEXT].tolist())
    per = pd.DataFrame({S.ARTICLE_ID: sentences[S.ARTICLE_ID].to_numpy(),
                        S.OUTLET: sentences[S.OUTLET].to_numpy(), WORDS: lengths})
    out = per.groupby([S.ARTICLE_ID, S.OUTLET], sort=False)[WORDS].sum().reset_index()
    return out.astype({WORDS: "int64"})


def _token_counts(texts: list[str]) -> np.ndarray:
    """Tokens per text, as ``encode(texts, stopwords=None).lengths`` counts them, without terms.

    Each distinct whitespace chunk's :data:`TOKEN_RE` matches are counted once
    (``findall``, in C); no token is normalised. O(characters) in C plus O(distinct chunks).
    """
    enc = Encoder(stopwords=None)
    for k, text in enumerate(texts):
        if not isinstance(text, str):
            raise ParameterError(f"texts: item {k} is {type(text).__name__}, not str")
    seq, lengths = enc._split(texts)
    per_chunk = np.fromiter((len(TOKEN_RE.findall(c)) for c in enc._chunks), dtype=np.int64, count=len(enc._chunks))
    text_of = np.repeat(np.arange(len(lengths)), lengths)
    return np.bincount(text_of, weights=per_chunk[seq], minlength=len(lengths)).astype(np.int64)


def normalise_term(text: str, **options) -> str:
    """Return the term of `text` as :func:`tokenize` would make it (words joined by " ").

    Parameters
    ----------
    text : str
        A word, name or phrase as a user writes it ("Díaz-Canel", "United States").
    **options
        ``lowercase``, ``fold_accents``, ``stem`` as in :func:`tokenize`.

    Returns
    -------
    str
        The terms of its tokens joined by a space ("diaz-canel", "united states").

    Examples
    --------
    >>> normalise_term("Díaz-Canel’s"), normalise_term("The U.S. Navy")
    ('diaz-canel', 'the us navy')
    """
    norm = _Normaliser(lowercase=options.get("lowercase", True),
                       fold_accents=options.get("fold_accents", True), stopwords=None,
                       stem=options.get("stem", False), aliases={}) if options else _plain_normaliser()
    return " ".join(norm(m.group(1))[0] for m in TOKEN_RE.finditer(text))
