"""Features of one mention of a person in one sentence: strings for training, model columns for scoring.

:func:`mention_features` gives the features as strings (training's input,
``python -m analysis.train_toward``); :func:`_feature_ids_table` gives the same features
of many mentions as the columns of a fitted model, mention by mention, working once per
distinct sentence where it can. Scoring uses :func:`analysis.toward.batch._feature_rows`,
the same columns built with numpy over a whole batch (tested equal to this module's).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from analysis.toward.model import TowardModel

FEATURE_VERSION = 1  # bump when mention_features changes: a model must match its features

# --- features ---------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_QUOTES = frozenset('"“”«»')
_REPORTING = frozenset(
    "said says say told tells wrote writes added adds according stated explained noted argued "
    "claimed insisted tweeted announced asked replied responded declared warned suggested "
    "acknowledged".split())
_PRONOUNS = frozenset("he she his her him they them their i we you it".split())
_CLAUSE_BREAKS = frozenset([",", ";", ":", "—", "–", "(", ")", "but", "while", "although",
                            "though", "whereas", "who", "which", "because"])
_NEAR = 3  # VADER tokens each side counted as "near" the target
_WINDOW = 4  # words each side kept as side features
TARGET, OTHER = "<t>", "<o>"
N_NUMERIC = 9


@functools.cache
def _stem(word: str) -> str:
    """Return NLTK's Porter stem of a lower-case word (other tokens unchanged), cached."""
    if not word[0].isalpha():
        return word
    return _stemmer().stem(word)


@functools.cache
def _stemmer():
    from analysis._nltk import PorterStemmer

    return PorterStemmer()


@functools.cache
def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(map(_stem, words))


def _norm(x: float) -> float:
    """VADER's normalisation of a valence sum into (-1, 1)."""
    return x / math.sqrt(x * x + 15)


@functools.cache
def _vader():
    """Return (analyzer, SentiText class, valence function) of :mod:`analysis.sentiment` (no overrides).

    The class is the sentiment module's fast one when it passed its probes, else NLTK's;
    the function the module's :func:`analysis.sentiment.vader._lexicon_valences` (NLTK's
    rules on lexicon words only) when it equals the module's full loop on the probes.
    """
    from analysis._nltk import SentiText
    from analysis.sentiment import vader as V

    sia = V._analyzer(())
    cls = V._fast_sentitext() if V._scorer(()).__name__ == "fast" else SentiText
    punctuation = re.compile(sia.constants.REGEX_REMOVE_PUNCTUATION.pattern)  # see _punctuation_re
    st = [cls(t, sia.constants.PUNC_LIST, punctuation) for t in V._PROBES]
    same = all(V._lexicon_valences(sia, x) == V._valences(sia, x) for x in st)
    return sia, cls, V._lexicon_valences if same else V._valences


@functools.cache
def _punctuation_re() -> re.Pattern:
    """Return NLTK's punctuation pattern compiled with ``re``.

    NLTK 3.10 wraps its patterns in ``nltk.redos.TimedPattern`` (the ``regex`` engine
    under a wall-clock timeout), which on a loaded machine took 2.5 ms per sentence; the
    pattern is one character class, so ``re`` gives the same matches (tested).
    """
    sia, _, _ = _vader()
    return re.compile(sia.constants.REGEX_REMOVE_PUNCTUATION.pattern)


def _vader_tokens(text: str) -> tuple[list[tuple[int, int]], list[float]]:
    """Return the character span and NLTK VADER valence of each VADER token of `text`."""
    sia, cls, valences = _vader()
    c = sia.constants
    st = cls(text, c.PUNC_LIST, _punctuation_re())
    vals = valences(sia, st)
    # VADER's tokens are the whitespace-separated words of two or more characters
    spans = [m.span() for m in _VADER_WORD.finditer(text)]
    return spans, vals


_VADER_WORD = re.compile(r"\S\S+")  # a whitespace-separated run of two or more characters
_QUOTE_CHAR = re.compile("[" + re.escape("".join(sorted(_QUOTES))) + "]")


@functools.cache
def _stem_raw(raw: str) -> str:
    """Return :func:`_stem` of a token as written (lower-cased first), cached per written form."""
    return _stem(raw.lower())


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, lower-case Porter stem) of each word or punctuation token: O(characters)."""
    found = list(_TOKEN.finditer(text))  # map over the matches: a third faster than a comprehension
    return list(zip(map(re.Match.start, found), map(re.Match.end, found),
                    map(_stem_raw, map(re.Match.group, found))))


def _owners(tokens: list[tuple], spans: list[tuple[int, int]]) -> list[tuple[int, ...]]:
    """Return, for each token, the indices of the spans it overlaps, in `spans` order.

    O(tokens + len(spans) log len(tokens) + overlaps): tokens are sorted and do not overlap.
    """
    owners: list[tuple[int, ...]] = [()] * len(tokens)
    if spans:
        starts = [t[0] for t in tokens]
        ends = [t[1] for t in tokens]
        for k, (x, y) in enumerate(spans):
            for i in range(bisect.bisect_right(ends, x), bisect.bisect_left(starts, y)):
                owners[i] += (k,)
    return owners


def mention_features(text: str, start: int, end: int, *, others=(), vader=None,
                     tokens=None) -> tuple[list[str], list[float]]:
    """Return the sparse (string) and dense features of one target mention in one sentence.

    Parameters
    ----------
    text : str
        The sentence.
    start, end : int
        Character offsets of the mention in `text` (``text[start:end]`` is the name).
    others : iterable of (int, int), optional
        Spans of other entity mentions in the sentence, masked as ``<o>``.
    vader : tuple, optional
        ``(spans, valences)`` of the sentence from a previous call (computed if None).
    tokens : list, optional
        The sentence's tokens from a previous call (computed if None).

    Returns
    -------
    (list of str, list of float)
        Feature strings (repeat = count) and :data:`N_NUMERIC` numbers in (-1, 1).

    Notes
    -----
    O(characters) per call: VADER and tokenising the sentence dominate unless `vader` and
    `tokens` are passed. These strings are the training input; scoring builds the same
    features as model columns (:func:`_feature_ids_table`, tested equal).

    Examples
    --------
    >>> words, numbers = mention_features("Critics praised Smith for the deal.", 16, 21)
    >>> [w for w in words if w.startswith(("l1:", "r1:"))]  # Porter stems
    ['l1:prais', 'r1:for']
    >>> round(numbers[0], 3)  # VADER valences left of the target: critics -1.2, praised +2.2
    0.25
    """
    tokens = tokens if tokens is not None else _tokens(text)
    spans = list(others)
    vader = vader if vader is not None else _vader_tokens(text)
    return _features(text, start, end, tokens, spans, _owners(tokens, spans), vader,
                     _vader_bounds(vader[0]))


def _vader_bounds(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]] | None:
    """Return the starts and ends of VADER's token spans, or None when not in text order."""
    starts = [a for a, _ in spans]
    ends = [b for _, b in spans]
    ordered = all(x <= y for x, y in zip(starts, starts[1:])) and all(x <= y for x, y in zip(ends, ends[1:]))
    return (starts, ends) if ordered else None


def _sequence(tokens, spans, owners, s, e) -> tuple[list[str], int]:
    """Return the sentence's stems with the target as ``<t>`` and other mentions as ``<o>``, and its index.

    O(tokens + overlaps). A token overlapping the target is the target's; else the first
    other span (in `spans` order) it overlaps makes it ``<o>``, consecutive tokens of one
    span giving one ``<o>``.
    """
    seq: list[str] = []
    tpos, last_other = None, None
    for (a, b, word), owned in zip(tokens, owners):
        if b > s and a < e:
            if tpos is None:
                tpos = len(seq)
                seq.append(TARGET)
            continue
        o = None
        for k in owned:  # the first other mention (in `others` order) the token overlaps
            if spans[k] != (s, e):
                o = k
                break
        if o is not None:
            if o != last_other:
                seq.append(OTHER)
            last_other = o
            continue
        last_other = None
        seq.append(word)
    if tpos is None:
        tpos = len(seq)
        seq.append(TARGET)
    return seq, tpos


def _clause(seq: list[str], tpos: int) -> tuple[int, int]:
    """Return the bounds (lo, hi) of the target's clause in `seq`: O(clause length)."""
    breaks = _stems(_CLAUSE_BREAKS)
    lo = tpos
    while lo > 0 and seq[lo - 1] not in breaks:
        lo -= 1
    hi = tpos + 1
    while hi < len(seq) and seq[hi] not in breaks:
        hi += 1
    return lo, hi


def _flags(text, s, e, left, right, lo, tpos, in_quote: bool, has_quote: bool) -> list[str]:
    """Return the ``f:`` features of a target, in :func:`_features` order: O(window)."""
    out = []
    if lo == tpos:
        out.append("f:clausefirst")
    if in_quote:
        out.append("f:inquote")
    if has_quote:
        out.append("f:hasquote")
    if not any(w[0].isalnum() for w in left):
        out.append("f:first")
    if not any(w[0].isalnum() for w in right):
        out.append("f:last")
    reporting = _stems(_REPORTING)
    if any(w in reporting for w in right[:3]):
        out.append("f:saidafter")
    if any(w in reporting for w in left[-3:]):
        out.append("f:saidbefore")
    mention = text[s:e].lower()
    if mention in _PRONOUNS:
        out.append("f:pron")
    if text[e:e + 2] in ("'s", "’s") or mention.endswith(("'s", "’s")):
        out.append("f:poss")
    return out


def _sides(vader, bounds, s, e) -> tuple[list, list]:
    """Return VADER's valences left (ending by `s`) and right (starting at `e`) of the target.

    O(log tokens + side length) when `bounds` (spans in text order), else O(tokens).
    """
    if vader is None:  # no lexicon word (:func:`_may_have_valence`): no valence on either side
        return [], []
    spans, vals = vader
    if bounds is None:
        lv = [v for (a, b), v in zip(spans, vals) if b <= s]
        rv = [v for (a, b), v in zip(spans, vals) if a >= e]
    else:  # spans in text order: the tokens ending by s are a prefix, those starting at e or later a suffix
        n = min(len(spans), len(vals))
        lv = vals[:min(n, bisect.bisect_right(bounds[1], s))]
        rv = vals[min(n, bisect.bisect_left(bounds[0], e)):n]
    return lv, rv


# "v:" feature names by side, distance bucket (0: 1st-2nd token, 1: 3rd-5th, 2: further) and sign
_BUCKET = (0, 0, 1, 1, 1)
_VNAMES = {side: tuple((f"v:{side}{d}-", f"v:{side}{d}+") for d in range(3)) for side in "LR"}


def _valence_names(lv, rv) -> list[str]:
    """Return the ``v:`` features: one per non-zero valence, by side, distance and sign."""
    out = []
    for side, vs in (("L", lv[::-1]), ("R", rv)):
        names = _VNAMES[side]
        for d, v in enumerate(vs):
            if v:
                out.append(names[_BUCKET[d] if d < 5 else 2][v > 0])
    return out


def _numbers(lv, rv, total: float) -> list[float]:
    """Return the :data:`N_NUMERIC` dense features (Python sums, left to right): O(sides)."""
    return [_norm(sum(lv)), _norm(sum(rv)), _norm(sum(lv[-_NEAR:])), _norm(sum(rv[:_NEAR])),
            total, _norm(sum([v for v in lv if v > 0])), _norm(sum([v for v in lv if v < 0])),
            _norm(sum([v for v in rv if v > 0])), _norm(sum([v for v in rv if v < 0]))]


_NO_NUMBERS = _numbers([], [], _norm(0))


def _features(text, s, e, tokens, spans, owners, vader, bounds) -> tuple[list[str], list[float]]:
    """Return :func:`mention_features` given the sentence's tokens, owners and VADER spans.

    O(tokens) per mention, about 80 strings built; :func:`_feature_ids` gives the same
    features as model columns without the strings.
    """
    seq, tpos = _sequence(tokens, spans, owners, s, e)
    words = [w for w in seq if w[0].isalnum() or w[0] == "<"]
    out = ["w:" + w for w in words]
    out += ["b:" + a + " " + b for a, b in zip(words, words[1:])]
    left, right = seq[:tpos], seq[tpos + 1:]
    out += [f"l{i + 1}:{w}" for i, w in enumerate(reversed(left[-3:]))]
    out += [f"r{i + 1}:{w}" for i, w in enumerate(right[:3])]
    out += ["L:" + w for w in left[-_WINDOW:] if w[0].isalnum()]
    out += ["R:" + w for w in right[:_WINDOW] if w[0].isalnum()]
    out.append("l12:" + " ".join(left[-2:]))
    out.append("r12:" + " ".join(right[:2]))
    lo, hi = _clause(seq, tpos)
    out += ["C:" + w for w in seq[lo:tpos] + seq[tpos + 1:hi] if w[0].isalnum()]
    out += _flags(text, s, e, left, right, lo, tpos, bool(sum(text.count(q, 0, s) for q in _QUOTES) % 2),
                  any(q in text for q in _QUOTES))
    lv, rv = _sides(vader, bounds, s, e)
    out += _valence_names(lv, rv)
    return out, _numbers(lv, rv, _norm(sum(vader[1]) if vader is not None else 0))


def _may_have_valence(text: str) -> bool:
    """Return False when no VADER token of `text` can be in VADER's lexicon: every valence is then 0.

    A token's VADER word is the token or it without its leading or trailing ASCII
    punctuation (NLTK's ``SentiText``), lower-cased for the lexicon; only lexicon words
    get a non-zero valence (boosters, negations and "but" only change those). This tests
    each lower-cased token and it stripped at both ends (a superset: True may still give
    only zeros). O(characters), about 5 us; about 30% of abp-2013's sentences have no
    lexicon word and skip VADER.
    """
    from analysis.sentiment.vader import _may_have_valence as may

    return may(_vader()[0].lexicon.keys(), text)


class _Sentence:
    """What every mention of one sentence shares: tokens, VADER valences, quote positions.

    Built once per distinct sentence text of a batch: O(characters) (VADER dominates,
    about 0.2 ms a sentence; skipped when :func:`_may_have_valence` is False, ``vader``
    then None: no valence, every dense feature 0).
    """

    __slots__ = ("text", "tokens", "vader", "bounds", "quotes", "has_quote", "total")

    def __init__(self, text: str):
        self.text = text
        self.vader = _vader_tokens(text) if _may_have_valence(text) else None
        self.tokens = _tokens(text)
        # VADER's spans come from one regex scan, so in text order: no need to check it
        self.bounds = None if self.vader is None else ([a for a, _ in self.vader[0]], [b for _, b in self.vader[0]])
        self.quotes = [m.start() for m in _QUOTE_CHAR.finditer(text)]
        self.has_quote = bool(self.quotes)
        self.total = _norm(sum(self.vader[1])) if self.vader is not None else _norm(0)


def _features_table(texts, starts, ends, others) -> tuple[list[list[str]], np.ndarray]:
    """Return the feature strings and dense features of many mentions (training's input).

    O(characters) per mention; VADER runs once per distinct sentence. Inference uses
    :func:`_feature_ids_table`, the same features as model columns.
    """
    docs, dense = [], np.zeros((len(texts), N_NUMERIC))
    for i, (sent, s, e, oth, owners) in enumerate(_mentions(texts, starts, ends, others)):
        words, numbers = _features(sent.text, s, e, sent.tokens, oth, owners, sent.vader, sent.bounds)
        docs.append(words)
        dense[i] = numbers
    return docs, dense


def _mentions(texts, starts, ends, others):
    """Yield (sentence, start, end, other spans, token owners), each sentence and owner list built once.

    The owner list is one object per (sentence, other spans): callers may key caches by its id.
    """
    cache: dict[str, _Sentence] = {}
    owned: dict[tuple, list] = {}  # (text, other spans) -> owners: the same for every mention of a sentence
    for text, s, e, oth in zip(texts, starts, ends, others, strict=True):
        sent = cache.get(text)
        if sent is None:
            sent = cache[text] = _Sentence(text)
        oth = list(oth)
        key = (text, tuple(oth))
        owners = owned.get(key)
        if owners is None:
            owners = owned[key] = _owners(sent.tokens, oth)
        yield sent, s, e, oth, owners


def _masked(tokens, spans, owners) -> tuple[list[str], dict] | None:
    """Return the sentence with every span masked as ``<o>`` and the index of each span's ``<o>``.

    For a target whose span is among `spans`, :func:`_sequence` is this list with the
    target's ``<o>`` read as ``<t>`` at that index, provided no token is overlapped by two
    different spans; None when one is (then each mention takes :func:`_sequence`).
    O(tokens + overlaps).
    """
    seq: list[str] = []
    runs: dict[tuple, int] = {}
    last = None
    for (_, _, word), owned in zip(tokens, owners):
        if not owned:
            last = None
            seq.append(word)
            continue
        span = spans[owned[0]]
        for k in owned[1:]:
            if spans[k] != span:
                return None
        if owned[0] != last:
            runs[span] = len(seq)
            seq.append(OTHER)
        last = owned[0]
    return seq, runs


class _Base:
    """Model columns of a masked sentence's words and word pairs, shared by its mentions."""

    __slots__ = ("seq", "runs", "word_at", "words", "w", "b")

    def __init__(self, seq, runs, w, b):
        self.seq, self.runs = seq, runs
        self.word_at, self.words = {}, []
        for j, x in enumerate(seq):
            if x[0].isalnum() or x[0] == "<":
                self.word_at[j] = len(self.words)
                self.words.append(x)
        self.w = [w.get(x, -1) for x in self.words]
        self.b = [b.get(x, -1) for x in zip(self.words, self.words[1:])]


def _feature_ids_table(model: TowardModel, texts, starts, ends, others) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the model columns of every mention's features, their counts per mention, and the dense features.

    The same features as :func:`_features_table` looked up in ``model.vocabulary``,
    without building strings (a feature the model does not know is -1, weight 0; tested
    equal). A sentence's words and word pairs are looked up once, with every mention
    masked, and each of its mentions changes its own ``<o>`` into ``<t>`` (three lookups)
    when no token is overlapped by two different mentions; else each mention builds its
    own sequence. O(characters) per distinct sentence plus O(window) per mention (O(tokens)
    on the fallback).
    """
    lookup = model.columns
    w, b, lpos, rpos, big_l, big_r, c, l12, r12, fixed = (
        lookup["w"], lookup["b"], [lookup[f"l{i}"] for i in (1, 2, 3)], [lookup[f"r{i}"] for i in (1, 2, 3)],
        lookup["L"], lookup["R"], lookup["C"], lookup["l12"], lookup["r12"], lookup["fixed"])
    w_target = w.get(TARGET, -1)
    bases: dict[int, _Base | None] = {}  # id(owners) -> masked sentence (owners lists live as long as the batch)
    cols: list[int] = []
    counts: list[int] = []
    dense: list[list[float]] = []
    for sent, s, e, oth, owners in _mentions(texts, starts, ends, others):
        n0 = len(cols)
        key = id(owners)
        if key not in bases:
            masked = _masked(sent.tokens, oth, owners)
            bases[key] = None if masked is None else _Base(*masked, w, b)
        base = bases[key]
        tpos = None if base is None else base.runs.get((s, e))
        if tpos is not None:  # the sentence's masked words with this mention's <o> as <t>
            seq = base.seq
            j, words = base.word_at[tpos], base.words
            cols += base.w
            cols[n0 + j] = w_target
            cols += base.b
            if j > 0:
                cols[n0 + len(words) + j - 1] = b.get((words[j - 1], TARGET), -1)
            if j + 1 < len(words):
                cols[n0 + len(words) + j] = b.get((TARGET, words[j + 1]), -1)
        else:
            seq, tpos = _sequence(sent.tokens, oth, owners, s, e)
            words = [x for x in seq if x[0].isalnum() or x[0] == "<"]
            cols += [w.get(x, -1) for x in words]
            cols += [b.get(x, -1) for x in zip(words, words[1:])]
        left, right = seq[:tpos], seq[tpos + 1:]
        cols += [d.get(x, -1) for d, x in zip(lpos, left[:-4:-1])]
        cols += [d.get(x, -1) for d, x in zip(rpos, right[:3])]
        cols += [big_l.get(x, -1) for x in left[-_WINDOW:] if x[0].isalnum()]
        cols += [big_r.get(x, -1) for x in right[:_WINDOW] if x[0].isalnum()]
        cols.append(l12.get(" ".join(left[-2:]), -1))
        cols.append(r12.get(" ".join(right[:2]), -1))
        lo, hi = _clause(seq, tpos)  # reads neither seq[tpos] nor beyond the clause
        cols += [c.get(x, -1) for x in seq[lo:tpos] + seq[tpos + 1:hi] if x[0].isalnum()]
        in_quote = bool(bisect.bisect_left(sent.quotes, s) % 2)
        lv, rv = _sides(sent.vader, sent.bounds, s, e)
        cols += [fixed.get(x, -1) for x in _flags(sent.text, s, e, left, right, lo, tpos, in_quote, sent.has_quote)]
        if sent.vader is not None:
            cols += [fixed.get(x, -1) for x in _valence_names(lv, rv)]
            dense.append(_numbers(lv, rv, sent.total))
        else:  # no VADER token has a valence (:func:`_may_have_valence`): all zero, as _numbers gives
            dense.append(_NO_NUMBERS)
        counts.append(len(cols) - n0)
    return (np.asarray(cols, dtype=np.int64), np.asarray(counts, dtype=np.int64),
            np.asarray(dense, dtype=float).reshape(len(counts), N_NUMERIC))
