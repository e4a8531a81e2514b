"""Discover label pairs without a concept file: align sentences, list screened word substitutions.

:func:`align_sentences` pairs near-identical sentences of different outlets (mutual best
TF-IDF cosine, candidates from an inverted index of rare terms);
:func:`substitutions` lists the words one sentence replaced with the other's, each with the
screening verdict (``reason``: "" when kept); :func:`candidate_labels` ranks the kept
substitutions by how many outlets and sentence pairs show them, with the sentences beside;
:func:`label_discovery_summary` returns only the pairs a summary page may state, and counts
what was dropped and why.

What is kept ("two words for the same thing"): a run of at most `max_span` content words
replaced by another run, inside two aligned sentences whose words agree on both sides of the
run (the same slot of the same statement), the two runs of the same kind (both names,
both common words of the same word class by suffix: nouns, -ed/-ing verb forms, -ly
adverbs, adjective suffixes), neither a function word, number, date, weekday or time
word, number word, pronoun ("anything"), reporting verb ("said"/"told"), title
abbreviation, single letter, nor a form or hyphenated part of the other word
("gay"/"gays", "pocket"/"out-of-pocket");
sentences that are photo captions or credits are not used. No part-of-speech tagger is
used: none ships with the environment (NLTK's needs a data download), so the word-class
test is by suffix and capitalisation; see README (labels) for its measured precision.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import ParameterError
from analysis.labels.align import (  # noqa: F401  (re-exported: the discovery steps in one place)
    _STR,
    ALIGN_COLUMNS,
    DEFAULT_MIN_SIMILARITY,
    MAX_DF,
    MIN_WORDS,
    _close_pairs,
    _release,
    _repeat_column,
    align_sentences,
    tfidf_rows,
)
from analysis.labels.concepts import PAIRS, SIMILARITY
from analysis.labels.screens import (
    _CAPTION,  # noqa: F401  (read as discovery._CAPTION by bench/labels_parts.py)
    DIFFERENT_NAMES,
    MISALIGNED,
    _is_caption,
    _lower_case_words,
    _referent_parts,
    _resolve_referent,
    _verdict,
)
from analysis.reuse.matcher import SequenceMatcher  # difflib's, compiled when cydifflib is installed

REASON = "reason"  # why a substitution is not a label candidate ("" when it is)
SUBSTITUTION_COLUMNS = ("sentence_a", "sentence_b", "outlet_a", "outlet_b", SIMILARITY,
                        "label_a", "label_b", "context_a", "context_b", REASON)
OUTLETS = "outlets"  # distinct outlets using either label of a pair
CANDIDATE_COLUMNS = ("label_a", "label_b", OUTLETS, PAIRS, SIMILARITY, "outlets_a", "outlets_b",
                     "example_a", "example_b", "context_a", "context_b", "text_a", "text_b")

MAX_SPAN = 3  # longest substitution (in words) reported on each side
CONTEXT_WIDTH = 5  # shared words looked at on each side of a substitution (one must be a content word)
SAME_STATEMENT = 0.7  # aligned pairs this similar need no shared content word around a substitution
# aligned pairs substitutions() reads, and whose rows it makes Arrow strings, at a time (the table does not depend on
# it); 20,000: a block's Python strings are what the heap holds beside the loop (50,000 at 10,000 generated articles:
# save_substitutions peak +511 against +496 MB, held after +145 against +112, CPU 33.7 against 32.2 s)
SUBSTITUTION_CHUNK = 20_000
@functools.lru_cache(maxsize=200_000)
def _term(word: str) -> str:
    from analysis.tokens import normalise_term

    return normalise_term(word)


def _tokenize(text: str, terms: dict[str, str] | None = None) -> tuple[tuple[str, int, int], ...]:
    """Return (term, start, end) per token, with the project's token rule ("U.S." -> "us").

    `terms`: word form -> term, filled as new forms come (each distinct form normalised once, by
    :func:`analysis.tokens.normalise_term`; the normalisation was 60% of :func:`substitutions`);
    without it the forms go through :func:`_term`. Cost: O(characters of `text`).
    """
    from analysis.tokens import TOKEN_RE

    found = list(TOKEN_RE.finditer(text))
    words = [m[1] for m in found]
    if terms is None:
        return tuple(zip(map(_term, words), [m.start(1) for m in found], [m.end(1) for m in found], strict=True))
    for w in words:
        if w not in terms:
            terms[w] = _own_term(w, terms)
    return tuple(zip(map(terms.__getitem__, words), [m.start(1) for m in found], [m.end(1) for m in found],
                     strict=True))


def _own_term(word: str, terms: dict) -> str:
    """:func:`analysis.tokens.normalise_term` of `word` by a normaliser of the table `terms` (its own memo).

    The shared normaliser's memo would keep every word form of the aligned sentences, scattered
    among the call's small objects, until the kernel empties it after the cell; this one's memo is
    dropped with `terms` at the end of :func:`substitutions`. The same normaliser settings as
    ``normalise_term`` without options (tested). O(characters of `word`).
    """
    from analysis.tokens import TOKEN_RE, _Normaliser

    norm = terms.get(_NORMALISER)
    if norm is None:
        norm = terms[_NORMALISER] = _Normaliser(lowercase=True, fold_accents=True, stopwords=None, stem=False,
                                                aliases={})
    term = " ".join(norm(m.group(1))[0] for m in TOKEN_RE.finditer(word))
    # `terms` is the memo: the normaliser's own kept every word form again with a tuple (31 MB for the 104,872
    # forms of the aligned sentences of 10,000 generated articles)
    norm.memo.clear()
    return term


_NORMALISER = "\x00normaliser"  # the key of a terms table's own normaliser (no token holds a NUL character)


class _Tokens:
    """A sentence's tokens as :func:`_tokenize` gives them, held as a list of terms and an int array of spans.

    ``toks[k]`` is ``(term, start, end)`` and ``toks[lo:hi]`` a tuple of those, made when read;
    :attr:`terms` is the list of terms (shared with the caller's term table). What
    :func:`substitutions` keeps of each aligned sentence from its first pair to its last: 16 bytes
    a token (a list entry and two C ints) instead of a tuple of three and two int objects (about
    130 bytes). O(1) per token read.
    """

    __slots__ = ("terms", "spans")

    def __init__(self, terms: list[str], spans):
        self.terms, self.spans = terms, spans

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, k):
        if isinstance(k, slice):
            lo, hi, step = k.indices(len(self.terms))
            if step != 1:
                return tuple(self[i] for i in range(lo, hi, step))
            spans = self.spans
            return tuple(zip(self.terms[lo:hi], spans[2 * lo:2 * hi:2], spans[2 * lo + 1:2 * hi:2]))
        if k < 0:
            k += len(self.terms)
        return self.terms[k], self.spans[2 * k], self.spans[2 * k + 1]


def _spans(toks) -> object:
    """Return the start and end of each token, one after the other (:class:`_Tokens` keeps them so). O(tokens)."""
    if isinstance(toks, _Tokens):
        return toks.spans
    return [x for _, start, end in toks for x in (start, end)]


def _tokenize_compact(text: str, terms: dict[str, str]) -> _Tokens:
    """:func:`_tokenize` of `text` with the term table `terms`, as :class:`_Tokens`. O(characters of `text`)."""
    from array import array

    from analysis.tokens import TOKEN_RE

    found = list(TOKEN_RE.finditer(text))
    words = [m[1] for m in found]
    for w in words:
        if w not in terms:
            terms[w] = _own_term(w, terms)
    return _Tokens(list(map(terms.__getitem__, words)), array("i", [x for m in found for x in m.span(1)]))


# A few sentences (the learned filter's examples, the summary's pairs it compares again): a small cache,
# not one that holds the sentences of a whole corpus after the call. substitutions() tokenises with a
# table of its own call, each aligned sentence once, dropped after its last pair.
_tokens = functools.lru_cache(maxsize=2048)(_tokenize)


def _trim(terms: list[str], lo: int, hi: int, stop: frozenset[str]) -> tuple[int, int]:
    """Narrow ``terms[lo:hi]`` past stopwords and bare numbers at either end. O(words trimmed)."""
    while lo < hi and (terms[lo] in stop or terms[lo].isdigit()):
        lo += 1
    while hi > lo and (terms[hi - 1] in stop or terms[hi - 1].isdigit()):
        hi -= 1
    return lo, hi


def _shared_context(ops: list, n: int, terms: list[str], stop: frozenset[str], width: int = CONTEXT_WIDTH) -> bool:
    """Whether the words both sentences share right before and right after opcode `n` include a content word.

    The `width` shared words on each side (difflib "equal" blocks next to the replacement)
    must each hold a word that is not a stopword: then the two runs fill the same slot of
    the same statement. Two different statements aligned by a few common words ("It's the
    right thing to do" / "It's the same sort of thing") share only stopwords around the run.
    `terms`: the terms of sentence a (``[t[0] for t in _tokens(a)]``).
    """
    before = ops[n - 1] if n > 0 and ops[n - 1][0] == "equal" else None
    after = ops[n + 1] if n + 1 < len(ops) and ops[n + 1][0] == "equal" else None
    if before is None or after is None:
        return False
    left = terms[max(before[1], before[2] - width):before[2]]
    right = terms[after[1]:min(after[2], after[1] + width)]
    return any(t not in stop for t in left) and any(t not in stop for t in right)


def _pair_subs(ta: str, tb: str, max_span: int, stop: frozenset[str], similarity: float = 1.0,
               common: frozenset[str] | None = None) -> list[tuple[str, str, str, str, str, str]]:
    """Return (label_a, label_b, context_a, context_b, reason, summary reason) per substitution of two sentences.

    The summary reason (the last element, only :func:`label_discovery_summary` reads it) is ""
    when the run fills the same slot of one statement and may name the same referent:
    :data:`NO_SHARED_CONTEXT` unless the pair is at least :data:`SAME_STATEMENT` similar or the
    words both sentences share on each side of the run include a content word
    (:func:`_shared_context`); with `common` (words the corpus writes in lower case), else a
    reason of :func:`_referent`. Cost: O(words of the two sentences) (difflib), plus O(words of
    the names) per kept run.
    """
    return _resolve(_pair_rows(ta, tb, max_span, stop, similarity >= SAME_STATEMENT, referents=common is not None),
                    common)


def _resolve(rows: list[tuple], common: frozenset[str] | None) -> list[tuple[str, str, str, str, str, str]]:
    """Return :func:`_pair_subs`'s rows from :func:`_pair_rows`' (the summary reason settled with `common`)."""
    return [(la, lb, ca, cb, reason, context or ("" if common is None or reason else _resolve_referent(parts, common)))
            for la, lb, ca, cb, reason, context, parts in rows]


# The same-slot verdicts of the last substitutions() call (_slot_verdicts), by (text_a, text_b, similar enough to
# be one statement), for the pairs with a kept row: the summary's same-slot check (_screen_context) reads them
# instead of comparing the two sentences again. Keyed by the texts, so a lookup is right whatever table it comes
# from.
_SLOTS: dict[tuple[str, str, bool], dict[tuple[str, str], tuple[str | None, str]]] = {}
# save_substitutions' kept rows carry their verdict in these two columns instead (not saved)
SLOT_COLUMNS = ("same_slot", "same_slot_words")
_WORDS_SEP = "\x00"  # between the words of a verdict (no term holds a NUL character)


def _slot_verdicts(rows: list[tuple]) -> dict[tuple[str, str], tuple[str | None, str]]:
    """Return the summary's same-slot verdict of each label pair of the kept rows of one aligned pair.

    `rows`: :func:`_pair_rows`' rows of the pair (default `max_span`). The summary
    (:func:`_screen_context`) gives a kept row of labels (la, lb) the reason "" when one of the
    pair's runs of those labels has the why "" (:func:`_resolve`), else the last run's why; a
    why may depend on the corpus's lower-case words (the referent check's word). Returned per
    label pair as ``(why, words)``: the verdict is "" when one of `words` (NUL-separated, "" for
    none) is not among those words, else `why` (:func:`_settle`); ``why`` None when the runs do
    not reduce to that (a referent verdict and a word together, which :func:`_referent_parts`
    never gives): the summary compares that pair again. O(rows); a few short strings per kept
    label pair, where the rows themselves were kept before.
    """
    labels = {(r[0], r[1]) for r in rows if r[4] == ""}
    out: dict[tuple[str, str], tuple[str | None, str]] = {}
    for la, lb, _, _, reason, context, (verdict, word) in rows:
        key = (la, lb)
        if key not in labels or out.get(key) == ("", ""):
            continue
        if context:
            why, words = context, ""
        elif reason or not word:
            why, words = ("" if reason else verdict), ""
        elif verdict:
            why, words = None, ""
        else:  # DIFFERENT_NAMES when the corpus writes the word in lower case, else ""
            why, words = DIFFERENT_NAMES, word
        state = out.get(key)
        if why == "":
            out[key] = ("", "")
        elif why is None or (state is not None and state[0] is None):
            out[key] = (None, "")
        else:
            out[key] = (why, _WORDS_SEP.join(w for w in (state[1] if state else "", words) if w))
    return out


def _settle(why: str, words: str, common: frozenset[str]) -> str:
    """Return a :func:`_slot_verdicts` verdict with the corpus's lower-case words `common`. O(words)."""
    return "" if words and any(w not in common for w in words.split(_WORDS_SEP)) else why


def _pair_rows(ta: str, tb: str, max_span: int, stop: frozenset[str], same_statement: bool,
               caption: str | None = None, *, referents: bool = True, ka: tuple | None = None,
               kb: tuple | None = None, terms_a: list[str] | None = None,
               terms_b: list[str] | None = None) -> list[tuple]:
    """Return (label_a, label_b, context_a, context_b, reason, context reason, referent parts) per substitution.

    :func:`_pair_subs` before the lower-case words of a corpus are known: the referent check is
    kept as :func:`_referent_parts` (with `referents`, for kept rows with shared context) and
    settled by :func:`_resolve`. `caption`: the caption reason of the pair when already known.
    `ka`, `kb`: the sentences' :func:`_tokens` when the caller has them; `terms_a`, `terms_b`:
    their terms (``[t[0] for t in ka]``), when the caller has them too (a sentence of several
    pairs: listed once). Two sentences of the same terms give no row without a comparison
    (difflib's only opcode would be "equal").

    Notes
    -----
    Cost: O(words of the two sentences) (difflib), O(1) beyond the tokens for equal terms. The
    terms are read from the term lists (trimming, the labels, the misalignment test, the
    shared-context test), not from the token tuples, and the shared-context test runs only for
    a replacement that gives a row (it ran for every replacement, 564,101 times for 540,946 rows
    at 10,000 generated articles); the same rows (tested against the code before). Together
    about 12% less time than reading the token tuples (100,000 aligned pairs of 10,000 generated
    articles, tokens given: 4.2 against 4.8 s).
    """
    if ka is None:
        ka = _tokens(ta)
    if kb is None:
        kb = _tokens(tb)
    if terms_a is None:
        terms_a = [t[0] for t in ka]
    if terms_b is None:
        terms_b = [t[0] for t in kb]
    if terms_a == terms_b:
        return []
    matcher = SequenceMatcher(None, terms_a, terms_b, autojunk=False)
    if caption is None:
        caption = "photo caption or credit" if (_is_caption(ta) or _is_caption(tb)) else ""
    out = []
    ops = matcher.get_opcodes()
    na, nb = len(ka), len(kb)
    pa, pb = _spans(ka), _spans(kb)  # token k spans pa[2k]:pa[2k + 1] (no tuple read per token)
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace":
            continue
        edge = "" if (i1 > 0 and j1 > 0 and i2 < na and j2 < nb) else "edge of a sentence"
        context = None  # the shared-context reason, found when the run gives a row
        # runs of equal length are paired word by word ("an agreement" / "a deal"); after a first
        # pair, a function word facing a content word ends that: "buyers to skirt" / "purchasers
        # pass federal" pairs buyers / purchasers, and the rest is a rewrite, not a second pair
        misaligned = -1
        if i2 - i1 > max_span or j2 - j1 > max_span:
            spans, long = [(i1, i2, j1, j2)], "rewrite longer than max_span"
        elif i2 - i1 == j2 - j1:
            spans, long = [], ""
            for k in range(i2 - i1):
                if k and (terms_a[i1 + k] in stop) != (terms_b[j1 + k] in stop):
                    misaligned = len(spans)
                    spans.append((i1 + k, i2, j1 + k, j2))
                    break
                spans.append((i1 + k, i1 + k + 1, j1 + k, j1 + k + 1))
        else:
            spans, long = [(i1, i2, j1, j2)], ""
        for n_span, (a1, a2, b1, b2) in enumerate(spans):
            a1, a2 = _trim(terms_a, a1, a2, stop)
            b1, b2 = _trim(terms_b, b1, b2, stop)
            if a1 == a2 or b1 == b2:
                continue  # stopwords or bare numbers on one side: not a substitution at all
            la, lb = terms_a[a1:a2], terms_b[b1:b2]
            if la == lb:
                continue
            reason = (long or caption or edge or (MISALIGNED if n_span == misaligned else "")
                      or _verdict(la, lb, [ta[pa[2 * k]:pa[2 * k + 1]] for k in range(a1, a2)],
                                  [tb[pb[2 * k]:pb[2 * k + 1]] for k in range(b1, b2)]))
            if reason == "forms of one word" and not (long or caption or edge):
                continue  # as before: never listed
            if context is None:
                context = "" if same_statement or _shared_context(ops, n, terms_a, stop) else NO_SHARED_CONTEXT
            ca = ta[pa[2 * max(i1 - 1, 0)]:pa[2 * min(i2, na - 1) + 1]]
            cb = tb[pb[2 * max(j1 - 1, 0)]:pb[2 * min(j2, nb - 1) + 1]]
            parts = (_referent_parts(ta, ka, (a1, a2), tb, kb, (b1, b2)) if referents and not (context or reason)
                     else ("", ""))
            out.append((" ".join(la), " ".join(lb), ca, cb, reason, context, parts))
    return out


def substitutions(aligned: pd.DataFrame, sentences: pd.DataFrame, *, max_span: int = MAX_SPAN,
                  chunk: int = SUBSTITUTION_CHUNK) -> pd.DataFrame:
    """List the words one outlet replaced with another's in aligned sentences, screened.

    Parameters
    ----------
    aligned : pandas.DataFrame
        From :func:`align_sentences`.
    sentences : pandas.DataFrame
        The sentence table the alignment came from.
    max_span : int, default 3
        Longest replaced run of words a label candidate may have on each side (longer runs
        are rewrites, listed with that reason).
    chunk : int, default 20,000
        Aligned pairs read at a time (their texts as Python strings, their rows made Arrow
        strings); the table does not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per substitution: the pair's ``sentence_a``, ``sentence_b``, ``outlet_a``,
        ``outlet_b``, ``similarity``, then ``label_a``/``label_b`` (the replaced words,
        folded, stopwords trimmed from the edges), ``context_a``/``context_b`` (the
        replaced words with one word either side, as written) and ``reason``: "" for a
        label candidate, else why not: "photo caption or credit", "edge of a sentence",
        "rewrite longer than max_span", "number", "date or time word", "reporting verb",
        "function word or title", "spelling variant" ("tax exempt" / "tax-exempt"),
        "abbreviation" ("NSA" / "National Security Agency", "R-Texas" / "Texas"),
        "different kinds of word" (see :func:`word_kind`).

    Notes
    -----
    Word runs are compared with difflib's SequenceMatcher (:mod:`analysis.reuse.matcher`). Runs of equal length
    are paired word by word ("an agreement" / "a deal" gives "agreement" / "deal"). Pairs
    of stopwords or bare numbers and forms of one word ("threats" / "threatened") are not
    listed at all. Even kept candidates can be paraphrase noise: read them in context
    before putting a pair into a concept file. Cost: O(characters of the distinct aligned
    sentences) to tokenise them, each once in a table of this call (dropped after the
    sentence's last pair: memory O(sentences with pairs still to come), nothing left after
    the call), plus O(words of the two sentences) per distinct pair of texts (difflib; two
    texts of the same terms need no comparison, and the same two texts aligned again are
    compared once): linear in the number of aligned pairs (which itself grows faster than
    the corpus: more sentences find a partner in more outlets). Each sentence's caption test
    runs once, however many pairs it is in. With the default `max_span`, the same-slot verdict of
    each label pair of a kept row (:func:`_slot_verdicts`: a few short strings, not the runs) is
    kept by the pair's texts until the next call, so that :func:`label_discovery_summary` settles
    its same-slot check without comparing the two sentences again. A report saves the table without
    holding it: :func:`save_substitutions`. The table is built by columns (the pair's five values
    repeated by its number of rows, one list per string column): no tuple and float object per row
    and no 2-D object array, which at 10,000 generated articles (540,946 rows) lowered the call's
    peak by about 75 MB and what it leaves resident by about 70 MB (bench/labels_memory.py); the
    same frame, dtypes included, as the table of rows (tested). Cost: O(rows) for the columns.
    Memory (issue 15): the aligned sentences are numbered by text in C (:func:`_text_codes`) and
    their texts read as Python strings `chunk` pairs at a time; the tokens of a sentence are kept
    from its first pair to its last (O(sentences with pairs on both sides of the block)); each
    block's labels, contexts and reasons become Arrow strings at once, so the call holds the
    table as Arrow strings plus one block of Python strings, never the whole table as Python
    lists. At 10,000 generated articles (540,946 rows) its peak fell from +757 to about +570 MB
    above the memory before the cell, its CPU time from 24 to 21-23 s (bench/labels_memory.py).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "outlet": ["A", "B"],
    ...     "sentence_text": ["He rejected hostility, intimidation or economic coercion.",
    ...                       "He rejected hostility, threats and economic coercion."]})
    >>> substitutions(align_sentences(s), s)[["label_a", "label_b", "context_b", "reason"]].values.tolist()
    [['intimidation', 'threats', 'hostility, threats and economic', '']]
    """
    import pyarrow as pa

    _SLOTS.clear()
    n = len(aligned)
    per_pair = np.zeros(n, dtype=np.int64)  # rows of each aligned pair
    arrow: tuple[list, ...] = ([], [], [], [], [])  # label_a, label_b, context_a, context_b, reason: per block
    for lo, rows, strings, _ in _substitution_blocks(aligned, sentences, max_span=max_span, chunk=chunk,
                                                     slots=_SLOTS):
        per_pair[lo:lo + len(rows)] = rows
        for parts, values in zip(arrow, strings, strict=True):
            parts.append(values)
    if not per_pair.sum():
        return pd.DataFrame([], columns=list(SUBSTITUTION_COLUMNS))
    pick = np.repeat(np.arange(n), per_pair)
    table = {c: _repeat_column(aligned[c], pick) for c in ALIGN_COLUMNS[:4]}
    table[SIMILARITY] = aligned[SIMILARITY].to_numpy(dtype=np.float64)[pick]
    for c, parts in zip(SUBSTITUTION_COLUMNS[5:], arrow, strict=True):  # one column's two copies at a time
        table[c] = pd.array(pa.chunked_array(parts, type=pa.large_string()).combine_chunks(), dtype=_STR)
        parts.clear()
    _release()
    return pd.DataFrame(table)


SCREENED_COLUMNS = (REASON, "substitutions", "candidates")  # save_substitutions' screened rows: label_dropped's


def save_substitutions(aligned: pd.DataFrame, sentences: pd.DataFrame, out_dir, *,
                       name: str = "label_substitutions", max_span: int = MAX_SPAN,
                       chunk: int = SUBSTITUTION_CHUNK) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Save :func:`substitutions`' table block by block; return its kept rows, and its other rows counted.

    Parameters
    ----------
    aligned, sentences, max_span, chunk
        As for :func:`substitutions`.
    out_dir : str or os.PathLike
        The report folder (``tables/<name>``, as :func:`analysis.corpus.save_table` writes the
        whole table: the same bytes), or "" to save nothing.
    name : str, default "label_substitutions"
        The table's file name without suffix.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``kept``: the rows whose ``reason`` is "" (label candidates), in table order, with the
        columns of :func:`substitutions` and then :data:`SLOT_COLUMNS` (with the default
        `max_span`: each row's same-slot verdict, which :func:`label_discovery_summary` reads
        instead of comparing the two sentences again). ``screened``: the other rows counted,
        one row per reason (sorted): ``reason``, ``substitutions`` (rows) and ``candidates``
        (distinct unordered label pairs), as :func:`label_discovery_summary` counts them in its
        dropped table. What :func:`candidate_labels` (``kept``) and
        :func:`label_discovery_summary` (``kept, screened=screened``) read: the same candidates,
        pairs and dropped counts as from the whole table (tested).

    Notes
    -----
    The table is never held: each block of `chunk` aligned pairs is made a frame and handed to
    :func:`analysis.corpus.save_table_parts`, which writes the file a row group at a time; of a
    block only its kept rows (the same values) and its screened rows' distinct (reason, label,
    label) as numbers are kept (:class:`_ScreenCounts`). At 10,000 generated articles that is
    64,893 kept rows of 540,946 (12%). Cost: that of :func:`substitutions`, plus O(rows) in C
    for the counts and O(distinct screened labels) once (:class:`_ScreenCounts`). Memory:
    :func:`substitutions`' loop (without the table), the save's row groups
    (:func:`analysis.corpus.save_table_parts`), the kept rows, and the screened labels (each
    block's distinct labels, as Arrow strings) and their distinct triples (8 bytes each).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "outlet": ["A", "B"],
    ...     "sentence_text": ["He rejected hostility, intimidation or economic coercion on Monday night.",
    ...                       "He rejected hostility, threats and economic coercion on Tuesday night."]})
    >>> kept, screened = save_substitutions(align_sentences(s), s, "")
    >>> kept[["label_a", "label_b", "reason"]].values.tolist()
    [['intimidation', 'threats', '']]
    >>> screened.values.tolist()
    [['date or time word', 1, 1]]
    """
    from analysis import corpus as C

    _SLOTS.clear()  # a former substitutions() call's verdicts: the kept rows carry their own
    kept: list[pd.DataFrame] = []
    counts = _ScreenCounts()
    C.save_table_parts(_table_blocks(aligned, sentences, max_span, chunk, kept, counts), name, out_dir)
    if kept:
        kept_rows = pd.concat(kept, ignore_index=True)
    else:
        kept_rows = pd.DataFrame([], columns=[*SUBSTITUTION_COLUMNS, *SLOT_COLUMNS])
    del kept
    screened = pd.DataFrame(counts.result(), columns=list(SCREENED_COLUMNS)).astype(
        {"substitutions": "int64", "candidates": "int64"})
    del counts
    _release()
    return kept_rows, screened


def _table_blocks(aligned: pd.DataFrame, sentences: pd.DataFrame, max_span: int, chunk: int, kept: list,
                  counts: _ScreenCounts):
    """Yield :func:`substitutions`' table a block of `chunk` aligned pairs at a time (at least one frame).

    Each block's kept rows (with their :data:`SLOT_COLUMNS`) go to `kept`; its other rows are
    added to `counts`. The blocks concatenated are :func:`substitutions`' table (tested). O(rows)
    per block.
    """
    import pyarrow.compute as pc

    any_rows = False
    for lo, rows, strings, verdict in _substitution_blocks(aligned, sentences, max_span=max_span, chunk=chunk):
        if not rows.sum():
            continue
        any_rows = True
        pick = np.repeat(np.arange(len(rows)), rows)
        part = aligned.iloc[lo:lo + len(rows)]
        table = {c: _repeat_column(part[c], pick) for c in ALIGN_COLUMNS[:4]}
        table[SIMILARITY] = part[SIMILARITY].to_numpy(dtype=np.float64)[pick]
        for c, values in zip(SUBSTITUTION_COLUMNS[5:], strings, strict=True):
            table[c] = pd.array(values, dtype=_STR)
        block = pd.DataFrame(table)
        del table, part, pick
        on = pc.equal(strings[4], "")
        rows_kept = block[on.to_numpy(zero_copy_only=False)].reset_index(drop=True)
        if verdict is not None:
            rows_kept = rows_kept.assign(**{c: pd.array(v, dtype=_STR) for c, v in zip(SLOT_COLUMNS, verdict,
                                                                                      strict=True)})
        kept.append(rows_kept)
        off = pc.invert(on)
        counts.add(*(pc.filter(strings[k], off) for k in (4, 0, 1)))
        del strings, verdict, rows_kept, on, off
        yield block
    if not any_rows:
        yield pd.DataFrame([], columns=list(SUBSTITUTION_COLUMNS))


class _ScreenCounts:
    """Rows and distinct unordered label pairs per reason, of rows added a block at a time.

    A block's labels are numbered among themselves (Arrow's ``dictionary_encode`` of the block:
    its distinct labels, kept as Arrow strings, and each label's number); its distinct (reason,
    label, label) are kept as one int64 each (reason in the top 5 bits, the two label numbers in
    29 bits each, the smaller label, in Python's string order, first). :meth:`result` numbers the
    blocks' labels across blocks once (one ``dictionary_encode`` of the blocks' distinct labels),
    renumbers the keys and counts the distinct ones: what :func:`_dropped_counts` gives for those
    rows (tested).

    Notes
    -----
    Cost: O(rows of a block) per block in C, plus O(the blocks' distinct labels) once. Looking
    each block's labels up among all labels so far (``index_in``, which hashes its value set at
    every call) cost O(blocks x distinct labels): on the 1,554,738 screened rows of 40,000
    generated articles in 52 blocks (1,379,934 distinct labels), 15.4-17.5 s, now 2.6-4.0 s.
    Memory: each block's distinct labels (a label in several blocks is kept once per block:
    2,404,669 there, against 1,379,934 kept once before), their keys (8 bytes each), and, in
    :meth:`result`, the labels' numbering (one Arrow dictionary encoding of them all: its distinct
    labels and an int32 per block label). Measured alone on those rows: 165-174 MB held after the
    blocks (before: 323-435, much of it Arrow's pool keeping the copies each block's join of all
    labels left), a peak of 514-553 MB (before: 437-491); within :func:`save_substitutions` at
    40,000 articles its peak was 798-866 MB above its start (before: 880-920).
    """

    BITS = 29  # label numbers: up to 536,870,912 distinct labels

    def __init__(self):
        self.labels: list = []  # per block: its distinct labels (Arrow strings), numbered by position
        self.reasons: list[str] = []
        self.rows: list[int] = []
        self.keys: list[np.ndarray] = []  # per block: its distinct keys, by the block's label numbers
        self.sizes: list[int] = []  # per block: its distinct labels

    def add(self, reason, label_a, label_b) -> None:
        """Count rows given as three Arrow string arrays (no missing value)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(reason):
            return
        first = pc.less_equal(label_a, label_b)  # Arrow compares UTF-8 bytes: Python's string order
        both = pc.dictionary_encode(pa.concat_arrays([pc.if_else(first, label_a, label_b),
                                                       pc.if_else(first, label_b, label_a)]))
        del first
        number = both.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        for name in pc.unique(reason).to_pylist():
            if name not in self.reasons:
                self.reasons.append(name)
                self.rows.append(0)
        if len(both.dictionary) >= 1 << self.BITS or len(self.reasons) > 31:
            raise ValueError(f"{len(both.dictionary)} labels, {len(self.reasons)} reasons: too many to count")
        code = pc.index_in(reason, value_set=pa.array(self.reasons, type=reason.type)).to_numpy(
            zero_copy_only=False).astype(np.int64)
        for k, n in enumerate(np.bincount(code, minlength=len(self.reasons)).tolist()):
            self.rows[k] += n
        n = len(reason)
        self.keys.append(np.unique((code << (2 * self.BITS)) | (number[:n] << self.BITS) | number[n:]))
        self.labels.append(both.dictionary)
        self.sizes.append(len(both.dictionary))

    def result(self) -> list[tuple[str, int, int]]:
        """(reason, rows, distinct unordered label pairs) per reason with rows, sorted."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.keys:
            # each block's labels numbered among all blocks' (one dictionary encoding of them all, whose chunks
            # share its one dictionary: not joined first, no copy of the labels), its keys renumbered
            glob = pc.dictionary_encode(pa.chunked_array(self.labels, type=pa.large_string()))
            self.labels = []
            if len({(len(c.dictionary), *(b.address for b in c.dictionary.buffers()[1:])) for c in glob.chunks}) > 1:
                glob = glob.unify_dictionaries()  # chunks of different dictionaries (8.7 s at 40,000 articles)
            if len(glob.chunks[0].dictionary) >= 1 << self.BITS:
                raise ValueError(f"{len(glob.chunks[0].dictionary)} labels: too many to count")
            number = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in glob.chunks])
            del glob
            mask = np.int64((1 << self.BITS) - 1)
            parts, start = [], 0
            for key, n in zip(self.keys, self.sizes, strict=True):
                to = number[start:start + n].astype(np.int64)
                start += n
                high = (key >> (2 * self.BITS)) << (2 * self.BITS)  # the reason, in place
                parts.append(high | (to[(key >> self.BITS) & mask] << self.BITS) | to[key & mask])
            del number
            keys = np.unique(np.concatenate(parts))
            del parts
        else:
            keys = np.zeros(0, dtype=np.int64)
        pairs = np.bincount(keys >> (2 * self.BITS), minlength=len(self.reasons))
        return sorted((name, n, int(pairs[k])) for k, (name, n) in enumerate(zip(self.reasons, self.rows,
                                                                                strict=True)) if n)


def _substitution_blocks(aligned: pd.DataFrame, sentences: pd.DataFrame, *, max_span: int, chunk: int,
                         slots: dict | None = None):
    """Yield :func:`substitutions`' rows a block of `chunk` aligned pairs at a time.

    Per block: ``(lo, rows, strings, verdicts)``: the block's first aligned pair, the rows of each
    of its pairs (int64), the rows' label_a, label_b, context_a, context_b and reason as five Arrow
    large strings, and, with the default `max_span`, the same-slot verdict of each kept row in
    order (:func:`_slot_verdicts`: two Arrow large strings, ``why`` null where not settled), else
    None. `slots`: filled with each pair's verdicts by (text_a, text_b, same statement), as
    :data:`_SLOTS` is. The pairs' own five values are not in the block (the callers take them
    from `aligned`).

    Notes
    -----
    The aligned sentences are numbered by text in C (:func:`_text_codes`) and their texts read
    as Python strings a block at a time; the tokens of a sentence are kept from its first pair to
    its last (O(sentences with pairs on both sides of the block)); a block's strings are made
    Arrow strings before the next block is read. A block's text numbers, pair keys and
    same-statement flags are read as Python lists (not a numpy scalar per use), and the caption
    test runs the pattern only on texts that hold one of its words (:func:`_is_caption`). Cost:
    see :func:`substitutions`.
    """
    import pyarrow as pa

    from analysis.resources import stopwords

    S.check_columns(aligned, ALIGN_COLUMNS, table="aligned")
    S.check_columns(sentences, [S.SENTENCE_ID, S.SENTENCE_TEXT], table="sentences")
    if not isinstance(max_span, int) or max_span < 1:
        raise ParameterError(f"max_span: {max_span!r}; use an integer >= 1")
    stop = stopwords("english")
    keep = max_span == MAX_SPAN  # what the summary's same-slot check compares again
    n = len(aligned)
    # each aligned sentence as a number of its text (texts numbered in C); the texts are read as Python strings
    # a block of pairs at a time, so that no list or dict holds every aligned text during the loop
    code, texts = _text_codes(aligned, sentences)
    code_a, code_b = code[:n], code[n:]
    del code
    _release()
    same_statement = aligned[SIMILARITY].to_numpy(dtype=np.float64) >= SAME_STATEMENT
    # each aligned sentence is tokenised and searched for a caption once, however many pairs it is in;
    # its tokens are dropped after its last pair (memory O(sentences whose pairs are not all done))
    left = np.bincount(np.r_[code_a, code_b], minlength=len(texts)).tolist()  # a list: read and set per pair
    # the same two texts aligned again (copies in several articles): compared once, kept until their last pair
    key = code_a.astype(np.int64) * max(len(texts), 1) + code_b
    uniq, count = np.unique(key, return_counts=True)
    again = dict(zip(uniq[count > 1].tolist(), count[count > 1].tolist(), strict=True))
    del uniq, count
    done: dict[tuple[int, bool], list] = {}
    tokens: dict[int, tuple] = {}  # text code -> (tokens, terms, caption)
    terms: dict[str, str] = {}  # word form -> term, this call only
    for lo in range(0, n, chunk):
        block_a = texts.take(code_a[lo:lo + chunk]).tolist()
        block_b = texts.take(code_b[lo:lo + chunk]).tolist()
        per_pair = np.zeros(len(block_a), dtype=np.int64)
        # the rows' five strings go to one list each, made Arrow strings at the end of the block: no Python
        # string of the table's labels, contexts and reasons is held beyond one block
        own: tuple[list, ...] = ([], [], [], [], [])  # label_a, label_b, context_a, context_b, reason
        why: list = []  # the same-slot verdict of each kept row (the summary's check), in order
        words: list[str] = []
        # the block's numbers as Python ints (a numpy scalar read per use cost more than the list)
        for k, ta, tb, ca, cb, pair, same in zip(range(lo, lo + len(block_a)), block_a, block_b,
                                                 code_a[lo:lo + chunk].tolist(), code_b[lo:lo + chunk].tolist(),
                                                 key[lo:lo + chunk].tolist(), same_statement[lo:lo + chunk].tolist(),
                                                 strict=True):
            for c, t in ((ca, ta), (cb, tb)):
                if c not in tokens:
                    toks = _tokenize_compact(t, terms)
                    tokens[c] = (toks, toks.terms, _is_caption(t))
            subs = done.get((pair, same))
            if subs is None:
                (ka, terms_a, cap_a), (kb, terms_b, cap_b) = tokens[ca], tokens[cb]
                subs = _pair_rows(ta, tb, max_span, stop, same, "photo caption or credit" if cap_a or cap_b else "",
                                  referents=keep, ka=ka, kb=kb, terms_a=terms_a, terms_b=terms_b)
                if pair in again:
                    done[(pair, same)] = subs
            if pair in again:
                again[pair] -= 1
                if not again[pair]:
                    done.pop((pair, same), None)
            for c in (ca, cb):
                left[c] -= 1
                if not left[c]:
                    del tokens[c]
            if keep and any(sub[4] == "" for sub in subs):
                # the summary looks up only the kept rows' label pairs, and only their verdict: a few strings
                # per label pair, not the runs (55,350 row tuples of 41,666 pairs at 10,000 generated articles)
                verdicts = _slot_verdicts(subs)
                if slots is not None:
                    slots[(ta, tb, same)] = verdicts
                for sub in subs:
                    if sub[4] == "":
                        w, ws = verdicts[(sub[0], sub[1])]
                        why.append(w)
                        words.append(ws)
            per_pair[k - lo] = len(subs)
            for column, values in zip(own, zip(*subs, strict=False), strict=False):  # zip(*[]) gives no column
                column.extend(values)
        del block_a, block_b
        strings = [pa.array(column, type=pa.large_string()) for column in own]
        del own
        verdict = (pa.array(why, type=pa.large_string()), pa.array(words, type=pa.large_string())) if keep else None
        del why, words
        yield lo, per_pair, strings, verdict
    del tokens, terms, left, again, done, texts, code_a, code_b, key, same_statement


def _text_codes(aligned: pd.DataFrame, sentences: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Return each aligned sentence's text number (``sentence_a`` then ``sentence_b``) and the distinct texts.

    The texts :func:`_texts` gives the aligned ids (a repeated id: its last text), numbered by
    :func:`pandas.factorize` (equal texts, one number). An id not in `sentences` raises KeyError, as
    the lookup in that dict did. Cost: O(sentences + pairs), in C (Arrow's ``is_in`` and ``index_in``)
    when the ids are Arrow strings; memory: the chosen rows and the numbers, no Python string per id
    or text.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    ids = pd.concat([aligned["sentence_a"], aligned["sentence_b"]], ignore_index=True)
    sid = sentences[S.SENTENCE_ID]
    arrow = sid.dtype == _STR and ids.dtype == _STR and not ids.isna().any()
    if arrow:
        value = pa.array(ids.array)
        chosen = pc.is_in(pa.array(sid.array), value_set=pc.unique(value)).to_numpy(zero_copy_only=False)
    else:
        chosen = _isin(sid, pd.unique(np.asarray(ids.tolist(), dtype=object)))
    rows = sentences.loc[chosen, [S.SENTENCE_ID, S.SENTENCE_TEXT]].drop_duplicates(S.SENTENCE_ID, keep="last")
    if arrow:
        where = pc.index_in(value, value_set=pa.array(rows[S.SENTENCE_ID].array)).to_numpy(zero_copy_only=False)
        where = np.nan_to_num(where, nan=-1).astype(np.int64)
        del value
    else:
        where = pd.Index(rows[S.SENTENCE_ID]).get_indexer(ids)
    if (where < 0).any():
        raise KeyError(ids.iloc[int(np.flatnonzero(where < 0)[0])])
    number, texts = pd.factorize(rows[S.SENTENCE_TEXT].astype(str))
    return number[where], texts


def _isin(column: pd.Series, values: np.ndarray) -> np.ndarray:
    """Return ``column.isin(values).to_numpy()``: by Arrow's ``is_in`` when both are strings, else by pandas.

    pandas' ``isin`` on an Arrow-backed string column makes an Arrow scalar of each value in Python
    first (1.06 s for the 301,062 aligned sentence ids of 10,000 generated articles, against
    0.11 s). Taken only when the column is Arrow-backed strings and every value is a str (no
    missing id), where the two give the same rows (tested). Cost: O(values + rows), in C.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = column.dtype
    if (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" and len(values)
            and all(isinstance(v, str) for v in values.tolist())):
        arr = pa.array(column.array)
        return np.asarray(pc.is_in(arr, value_set=pa.array(values.tolist(), type=arr.type))
                          .to_numpy(zero_copy_only=False), dtype=bool)
    return column.isin(values).to_numpy()


def _texts(sentences: pd.DataFrame, ids=None) -> dict[str, str]:
    """Return sentence id -> text, the columns read as lists (iterating Arrow-backed columns is slow).

    `ids`: only these sentences (the same entries as the whole table's dict restricted to them:
    the rows are chosen by ``isin``, in table order, so a repeated id still maps to its last text).
    Cost: O(sentences) for the choice (in C), plus O(characters of the chosen texts) to read them:
    without `ids`, a Python string of every sentence (about 115 MB of 378,770 sentences).
    """
    if ids is not None:
        sentences = sentences.loc[_isin(sentences[S.SENTENCE_ID], pd.unique(np.asarray(ids, dtype=object))),
                                  [S.SENTENCE_ID, S.SENTENCE_TEXT]]
    return dict(zip(sentences[S.SENTENCE_ID].tolist(), sentences[S.SENTENCE_TEXT].astype(str).tolist(), strict=True))


def candidate_labels(subs: pd.DataFrame, *, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rank candidate label pairs: kept substitutions seen in the most outlets and sentence pairs.

    Parameters
    ----------
    subs : pandas.DataFrame
        From :func:`substitutions` (rows with a non-empty ``reason`` are left out; a table
        without ``reason`` counts every row).
    sentences : pandas.DataFrame, optional
        The sentence table; when given, ``text_a`` / ``text_b`` hold the first example's
        two sentences in full (else "").

    Returns
    -------
    pandas.DataFrame
        One row per unordered label pair: ``label_a`` < ``label_b``, ``outlets`` (distinct
        outlets using either label in the aligned pairs), ``pairs`` (aligned sentence
        pairs showing it), ``similarity`` (their mean), ``outlets_a`` / ``outlets_b``
        (outlets using each label, "; "-separated), ``example_a`` / ``example_b``
        (sentence ids of the first pair), ``context_a`` / ``context_b``, ``text_a`` /
        ``text_b``. Sorted by outlets, pairs, similarity (all descending), then labels.

    Notes
    -----
    Cost: O(substitutions log substitutions) in numpy and pandas (labels, ids and outlets numbered by
    :func:`pandas.factorize`; the distinct sentence pairs and outlets of each label pair by ``drop_duplicates``
    and ``np.unique`` of integer keys), plus O(label pairs) in Python for the output's strings and each
    pair's ``np.mean`` (the same float as the mean of its rows in table order), plus O(sentences) in C to
    look up the examples' texts with `sentences`. A pair seen once, in two outlets, is weak evidence: the
    summary page states only the pairs :func:`label_discovery_summary` keeps. Memory (issue 15): a few
    integer arrays of the rows and the output's strings; the loop over the rows' Python strings it
    replaces kept a dict of sets and lists per label pair and every kept row's sentence text (64,893 kept
    rows of 10,000 generated articles: peak +180 -> +131 MB, CPU 1.6 -> 0.8 s; the same table, bytes
    and dtypes).

    Examples
    --------
    >>> subs = pd.DataFrame({"sentence_a": ["a/1"], "sentence_b": ["b/4"], "outlet_a": ["A"],
    ...     "outlet_b": ["B"], "similarity": [0.8], "label_a": ["threats"],
    ...     "label_b": ["intimidation"], "context_a": ["t"], "context_b": ["i"], "reason": [""]})
    >>> candidate_labels(subs)[["label_a", "label_b", "outlets", "outlets_a", "example_a"]].values.tolist()
    [['intimidation', 'threats', 2, 'B', 'b/4']]
    """
    S.check_columns(subs, SUBSTITUTION_COLUMNS[:-1], table="substitutions")
    if REASON in subs.columns:
        subs = subs[(_filled(subs[REASON]) == "").to_numpy()]
    n = len(subs)
    if not n:
        return pd.DataFrame([], columns=list(CANDIDATE_COLUMNS)).astype(
            {OUTLETS: "int64", PAIRS: "int64", SIMILARITY: "float64"})
    # the labels numbered; each row's pair ordered by the labels' ranks in Python's string order (lb < la: flip)
    labels, names = pd.factorize(pd.concat([subs["label_a"], subs["label_b"]], ignore_index=True))
    names = names.tolist()
    rank = _ranks(names)
    flip = rank[labels[n:]] < rank[labels[:n]]
    first_label, second_label = np.where(flip, labels[n:], labels[:n]), np.where(flip, labels[:n], labels[n:])
    del labels, rank
    # one group per unordered pair, numbered in the order of its first row (the order of the table before sorting)
    group = pd.factorize(first_label.astype(np.int64) * len(names) + second_label)[0]
    n_groups = int(group.max()) + 1
    first = np.full(n_groups, n, dtype=np.int64)
    np.minimum.at(first, group, np.arange(n))  # each pair's first row: its example
    first_label, second_label = first_label[first], second_label[first]
    ids, id_names = pd.factorize(pd.concat([subs["sentence_a"], subs["sentence_b"]], ignore_index=True))
    n_pairs = np.bincount(pd.DataFrame({"g": group, "a": ids[:n], "b": ids[n:]}).drop_duplicates()["g"].to_numpy(),
                          minlength=n_groups)
    fl = flip[first]
    id_names = id_names.tolist()
    example_a = [id_names[k] for k in np.where(fl, ids[n:][first], ids[:n][first]).tolist()]
    example_b = [id_names[k] for k in np.where(fl, ids[:n][first], ids[n:][first]).tolist()]
    del ids, id_names
    outlets, outlet_names = pd.factorize(pd.concat([subs["outlet_a"], subs["outlet_b"]], ignore_index=True))
    outlet_names = outlet_names.tolist()
    side_a, side_b = np.where(flip, outlets[n:], outlets[:n]), np.where(flip, outlets[:n], outlets[n:])
    del outlets, flip
    outlets_a = _joined_names(group, side_a, outlet_names, n_groups)[0]
    outlets_b = _joined_names(group, side_b, outlet_names, n_groups)[0]
    n_outlets = _joined_names(np.r_[group, group], np.r_[side_a, side_b], outlet_names, n_groups)[1]
    del side_a, side_b
    # each pair's mean similarity as np.mean of its rows' values in table order (the same float)
    order = np.argsort(group, kind="stable")
    sims = subs[SIMILARITY].to_numpy(dtype=np.float64)[order]
    bounds = np.r_[np.searchsorted(group[order], np.arange(n_groups)), n].tolist()
    del order, group
    mean = [float(np.mean(sims[a:b])) for a, b in zip(bounds, bounds[1:], strict=False)]
    del sims, bounds
    ca, cb = subs["context_a"].take(first).tolist(), subs["context_b"].take(first).tolist()
    fl = fl.tolist()
    text = {} if sentences is None else _texts(sentences, example_a + example_b)  # the examples' sentences only
    out = pd.DataFrame({"label_a": [names[k] for k in first_label.tolist()],
                        "label_b": [names[k] for k in second_label.tolist()],
                        OUTLETS: n_outlets.tolist(), PAIRS: n_pairs.tolist(), SIMILARITY: mean,
                        "outlets_a": outlets_a, "outlets_b": outlets_b, "example_a": example_a, "example_b": example_b,
                        "context_a": [b if f else a for a, b, f in zip(ca, cb, fl, strict=True)],
                        "context_b": [a if f else b for a, b, f in zip(ca, cb, fl, strict=True)],
                        "text_a": [text.get(k, "") for k in example_a], "text_b": [text.get(k, "") for k in example_b]})
    out = out.astype({OUTLETS: "int64", PAIRS: "int64", SIMILARITY: "float64"})
    return out.sort_values([OUTLETS, PAIRS, SIMILARITY, "label_a", "label_b"],
                           ascending=[False, False, False, True, True], kind="stable").reset_index(drop=True)


def _ranks(names: list) -> np.ndarray:
    """Each name's position among `names` in Python's sorted order (stable for equal names). O(n log n)."""
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(names))
    return rank


def _joined_names(group: np.ndarray, codes: np.ndarray, names: list, n_groups: int) -> tuple[list[str], np.ndarray]:
    """Per group 0..n_groups-1: its distinct names (``names[codes]`` of its rows) sorted, joined by "; ", and how many.

    What ``"; ".join(sorted(set_of_the_group's_names))`` gives; every group must have a row. O(rows log rows).
    """
    width = max(len(names), 1)
    rank = _ranks(names)
    key = np.unique(group.astype(np.int64) * width + rank[codes])
    by_rank = np.empty(len(names), dtype=np.int64)
    by_rank[rank] = np.arange(len(names))
    words = [names[k] for k in by_rank[key % width].tolist()]
    bounds = np.searchsorted(key // width, np.arange(n_groups + 1)).tolist()
    return ["; ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)], np.diff(bounds)


NO_SHARED_CONTEXT = "no shared content word on both sides"  # the summary's reason (see _shared_context)
LEARNED_FILTER = "learned filter's score below its threshold"  # analysis.labels.model


def _screen_context(subs: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Return `subs` with kept rows whose run is not in the same slot of one statement marked NO_SHARED_CONTEXT.

    A kept row's verdict is read from its :data:`SLOT_COLUMNS` when `subs` has them
    (:func:`save_substitutions`; settled with the corpus's lower-case words, :func:`_settle`).
    The aligned pairs of the other kept rows are compared again (:func:`_pair_subs`, default
    `max_span`), or their verdicts read from the last :func:`substitutions` call when it made
    them (:data:`_SLOTS`); a kept row that the comparison does not find (another `max_span`) is
    left as it is. Cost: O(kept rows) with the verdicts at hand, else O(words of the aligned
    pairs with a kept substitution), plus O(characters of `sentences`) for the lower-case words.
    """
    from analysis.resources import stopwords

    kept = subs[REASON] == ""
    if not kept.any():
        return subs
    stop = stopwords("english")
    common = _lower_case_words(sentences[S.SENTENCE_TEXT])
    why = np.empty(int(kept.sum()), dtype=object)
    todo = np.ones(len(why), dtype=bool)
    if all(c in subs.columns for c in SLOT_COLUMNS):
        for k, (w, ws) in enumerate(zip(*(subs.loc[kept, c].tolist() for c in SLOT_COLUMNS), strict=True)):
            if isinstance(w, str):
                why[k], todo[k] = _settle(w, ws, common), False
    if todo.any():
        rows = subs.loc[kept, ["sentence_a", "sentence_b", SIMILARITY, "label_a", "label_b"]][todo]
        slot: dict[tuple, str] = {}
        pairs = rows.drop_duplicates(["sentence_a", "sentence_b"])
        text = _texts(sentences, pairs["sentence_a"].tolist() + pairs["sentence_b"].tolist())
        for a, b, sim in zip(*(pairs[c].tolist() for c in ("sentence_a", "sentence_b", SIMILARITY)), strict=True):
            if a in text and b in text:
                ta, tb = text[a], text[b]
                found = _SLOTS.get((ta, tb, float(sim) >= SAME_STATEMENT))
                if found is not None and all(w is not None for w, _ in found.values()):
                    for (la, lb), (w, ws) in found.items():
                        slot[(a, b, la, lb)] = _settle(w, ws, common)
                    continue
                for la, lb, *_, w in _pair_subs(ta, tb, MAX_SPAN, stop, float(sim), common):
                    slot[(a, b, la, lb)] = "" if slot.get((a, b, la, lb)) == "" else w
        why[todo] = [slot.get(r, "") for r in zip(*(rows[c].tolist() for c in ("sentence_a", "sentence_b", "label_a",
                                                                              "label_b")), strict=True)]
    out = subs.assign(**{REASON: _replaced(subs[REASON], kept.to_numpy(), why)})
    _release()
    return out


def _filled(column: pd.Series) -> pd.Series:
    """``column.astype(object).fillna("")`` as str when `column` is str (Arrow: no Python string per row)."""
    if column.dtype == _STR:
        return column.fillna("")
    return column.astype(object).fillna("")


def _replaced(column: pd.Series, where: np.ndarray, values: np.ndarray):
    """Return `column`'s values with those at the True rows of `where` replaced by `values` (in order).

    For a str column, Arrow's ``replace_with_mask`` (in C, no Python string per row); else an object
    array, as before. O(rows).
    """
    if column.dtype == _STR and all(isinstance(v, str) for v in values.tolist()):
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = pa.array(column.array)
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        return pd.array(pc.replace_with_mask(arr, pa.array(where), pa.array(values.tolist(), type=arr.type)),
                        dtype=_STR)
    out = column.to_numpy(dtype=object).copy()
    out[np.flatnonzero(where)] = values
    return out


def _dropped_counts(subs: pd.DataFrame) -> list[tuple[str, int, int]]:
    """Return (reason, substitutions, distinct unordered label pairs) per non-empty reason, by reason.

    For str columns by numbers: the reasons and the labels factorised (Arrow's dictionary
    encoding), each row's two labels ordered by their ranks in sorted order (Arrow's string
    order, which is Python's), the distinct (reason, label, label) triples by one ``np.unique``
    of int64 keys; no Python string per row. Else by pandas on the rows' Python strings
    (:func:`_unordered`), as before. Cost: O(rows log rows); memory: a few int64 arrays of the rows.
    """
    columns = [REASON, "label_a", "label_b"]
    if all(subs[c].dtype == _STR for c in columns) and not subs[columns].isna().any().any():
        reason, names = pd.factorize(subs[REASON])
        labels, words = pd.factorize(pd.concat([subs["label_a"], subs["label_b"]], ignore_index=True))
        rank = np.empty(len(words), dtype=np.int64)
        rank[np.asarray(words.argsort())] = np.arange(len(words))
        a, b = rank[labels[:len(subs)]], rank[labels[len(subs):]]
        del labels, rank
        on = np.asarray(names != "")[reason]
        reason, lo, hi = reason[on].astype(np.int64), np.minimum(a, b)[on], np.maximum(a, b)[on]
        del a, b, on
        v = np.int64(max(len(words), 1))
        pairs = np.bincount(np.unique((reason * v + lo) * v + hi) // (v * v), minlength=len(names))
        rows = np.bincount(reason, minlength=len(names))
        return sorted((name, int(rows[k]), int(pairs[k])) for k, name in enumerate(names.tolist()) if rows[k])
    reasons = subs.loc[(subs[REASON] != "").to_numpy(), columns]
    return [(reason, len(part), len(set(_unordered(part)))) for reason, part in reasons.groupby(REASON, sort=True)]


# Rules for a label pair the summary page may state (measured precision: README, labels).
MIN_FINDING_OUTLETS = 3  # distinct outlets using either label
MIN_FINDING_PAIRS = 2  # aligned sentence pairs showing the substitution
TOP_FINDINGS = 20


def _unordered(subs: pd.DataFrame) -> list[tuple[str, str]]:
    """Each row's (label_a, label_b) in sorted order: one key per pair whichever side each label is on.

    A list comprehension, not ``DataFrame.apply(axis=1)``, which builds a Series per row (under cProfile, 75 s of
    the summary's 152 s on 540,946 substitutions of 10,000 generated articles). O(rows).
    """
    return [(a, b) if a <= b else (b, a) for a, b in zip(subs["label_a"].tolist(), subs["label_b"].tolist(),
                                                         strict=True)]


def label_discovery_summary(subs: pd.DataFrame, *, sentences: pd.DataFrame | None = None,
                            min_outlets: int = MIN_FINDING_OUTLETS, min_pairs: int = MIN_FINDING_PAIRS,
                            top: int = TOP_FINDINGS, model="shipped",
                            context_sentences: pd.DataFrame | None = None,
                            screened: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the discovered label pairs a summary may state, and what was dropped and why.

    Parameters
    ----------
    subs : pandas.DataFrame
        From :func:`substitutions`.
    sentences : pandas.DataFrame, optional
        Passed to :func:`candidate_labels` (full example sentences).
    min_outlets : int, default 3
        Distinct outlets a pair needs (either label).
    min_pairs : int, default 2
        Aligned sentence pairs a pair needs.
    top : int, default 20
        At most this many pairs are returned (the best ranked).
    model : "shipped", dict, str, os.PathLike or None, default "shipped"
        The learned filter (:mod:`analysis.labels.model`) applied, with `sentences`, to the
        pairs the rules keep: a pair is stated only when its score reaches the model's
        threshold (dropped ones are counted under :data:`LEARNED_FILTER`). ``None`` states what
        the rules keep; a dict or path gives another model. Without `sentences` the filter is
        not applied (its features read the example sentences).
    context_sentences : pandas.DataFrame, optional
        The sentence table the filter measures how alike the two labels' contexts are on
        (:func:`analysis.labels.model.context_similarity`); default `sentences`. When `sentences`
        is a slice of a corpus (a month, an outlet group), give the whole corpus's sentences: the
        filter was trained with the context measured over the whole corpus each slice was cut from.
    screened : pandas.DataFrame, optional
        The rows left out of `subs` because a screen dropped them, counted per reason
        (:func:`save_substitutions`: ``reason``, ``substitutions``, ``candidates``); they are
        added to the dropped table as they are. `subs` then holds the kept rows (none of the
        summary's own reasons may be among `screened`'s).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The kept candidates (columns of :func:`candidate_labels`), and one row per reason
        for dropping: ``reason``, ``substitutions`` (rows of `subs` dropped for it) and
        ``candidates`` (distinct label pairs dropped for it; a pair dropped for several
        reasons is counted under each), including "fewer than min_outlets outlets or
        min_pairs sentence pairs" and "beyond the top".

    With `sentences`, kept substitutions must also fill the same slot of one statement:
    the pair is at least :data:`SAME_STATEMENT` similar, or the words both sentences share
    on each side of the run (up to :data:`CONTEXT_WIDTH`) include a content word; else the
    reason is "no shared content word on both sides". Two names must also be able to name
    one referent (:func:`_referent`): not two speakers of one reporting verb
    (:data:`DIFFERENT_SPEAKERS`), not two modifiers of an organisation's name or two last
    words of names that begin alike (:data:`DIFFERENT_NAMES`; "lower case" is read from the
    `sentences`). Without `sentences` these checks are skipped.

    Notes
    -----
    The thresholds are what the hand-labelled samples support (README, labels). Held out
    (``tests/data/labels_test.tsv``, monthly runs of abp-2013, labelled before any change):
    the earlier rules stated 70 right of 116 pairs (0.60); with the same-slot check and the
    number-word, pronoun, plural and hyphen-part screens, 45 of 60 (0.75), after the
    errors had been read, so no longer held out. The final sample
    (``tests/data/labels_final.tsv``, labelled by someone who had not tuned the rules)
    stated 31 right of 51 (0.61); the referent checks and the contraction and misalignment
    screens were added after reading its errors (README, labels, has the figures after).
    Cost: O(substitutions), plus O(characters of `sentences`) for the lower-case words and
    O(words of the aligned pairs with a kept substitution) for the same-slot check, which reads
    the runs the last :func:`substitutions` call kept and then frees them (41,666 pairs' texts,
    263 MB resident at 10,000 generated articles): a second summary of the same substitutions
    compares those pairs again, with the same result.

    Examples
    --------
    >>> subs = pd.DataFrame({"sentence_a": ["a/1", "a/2"], "sentence_b": ["b/4", "b/5"],
    ...     "outlet_a": ["A", "A"], "outlet_b": ["B", "B"], "similarity": [0.8, 0.7],
    ...     "label_a": ["threats", "said"], "label_b": ["intimidation", "told"],
    ...     "context_a": ["t", "s"], "context_b": ["i", "t"], "reason": ["", "reporting verb"]})
    >>> kept, dropped = label_discovery_summary(subs)
    >>> len(kept), dropped.values.tolist()
    (0, [['reporting verb', 1, 1], ['fewer than 3 outlets or 2 sentence pairs', 1, 1]])
    """
    S.check_columns(subs, SUBSTITUTION_COLUMNS, table="substitutions")
    subs = subs.assign(**{REASON: _filled(subs[REASON]).astype(str)})  # from a CSV, "" is NaN
    if sentences is not None:
        subs = _screen_context(subs, sentences)
    _SLOTS.clear()  # read once, above: the texts of every pair with a kept row (263 MB at 10,000 articles)
    # the three columns the counts read, not copies of every column of the dropped rows (+300 MB at 10,000
    # generated articles: 476,053 of 540,946 substitutions dropped, each group taken from all ten columns)
    dropped = _dropped_counts(subs)
    if screened is not None:  # the screens' reasons, counted by save_substitutions
        both = sorted(set(screened[REASON]) & {reason for reason, *_ in dropped})
        if both:  # distinct pairs of two sets cannot be added up (the screens never give the summary's reasons)
            raise ParameterError(f"screened: reasons {both} are also the summary's; give the whole table as subs")
        dropped = sorted(dropped + [(str(r), int(n), int(c)) for r, n, c in
                                    zip(*(screened[k].tolist() for k in SCREENED_COLUMNS), strict=True)])
    cand = candidate_labels(subs, sentences=sentences)
    weak = (cand[OUTLETS] < min_outlets) | (cand[PAIRS] < min_pairs)
    weak_pairs = set(zip(cand.loc[weak, "label_a"], cand.loc[weak, "label_b"], strict=True))
    n_weak_subs = sum(k in weak_pairs for k in _unordered(subs[subs[REASON] == ""])) if len(cand) else 0
    dropped.append((f"fewer than {min_outlets} outlets or {min_pairs} sentence pairs", n_weak_subs, int(weak.sum())))
    strong = cand[~weak]
    if len(strong) > top:
        dropped.append(("beyond the top", 0, len(strong) - top))
    kept = strong.head(top).reset_index(drop=True)
    if model is not None and sentences is not None and len(kept):
        from analysis.labels.model import load_label_model, score_pairs

        m = model if isinstance(model, dict) else load_label_model(None if model == "shipped" else model)
        ctx = sentences if context_sentences is None else context_sentences
        ok = (score_pairs(kept, model=m, sentences=ctx) >= float(m["threshold"])).to_numpy()
        if not ok.all():
            dropped.append((LEARNED_FILTER, 0, int((~ok).sum())))
        kept = kept[ok].reset_index(drop=True)
    return kept, pd.DataFrame(dropped, columns=[REASON, "substitutions", "candidates"])


__all__ = ["ALIGN_COLUMNS", "REASON", "SUBSTITUTION_COLUMNS", "OUTLETS", "CANDIDATE_COLUMNS", "DEFAULT_MIN_SIMILARITY",
           "MAX_SPAN", "MIN_WORDS", "MAX_DF", "CONTEXT_WIDTH", "SAME_STATEMENT", "NO_SHARED_CONTEXT", "LEARNED_FILTER",
           "MIN_FINDING_OUTLETS", "MIN_FINDING_PAIRS", "TOP_FINDINGS", "tfidf_rows",
           "align_sentences", "substitutions", "save_substitutions", "SCREENED_COLUMNS", "SLOT_COLUMNS",
           "candidate_labels", "label_discovery_summary"]
