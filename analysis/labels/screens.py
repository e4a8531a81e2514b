"""Screens for discovered label pairs: why two aligned runs of words are not two labels for one thing.

:func:`_verdict` screens a substitution by its words (function words, numbers, dates,
reporting verbs, forms of one word, abbreviations, different kinds of word: :func:`word_kind`);
:func:`_referent` screens two name runs by the structure of their two sentences (two speakers
of one reporting verb, parts of two different names), with the words the corpus writes in
lower case (:func:`_lower_case_words`). :mod:`analysis.labels.discovery` applies them; the
reasons are the values of its ``reason`` column. Measured precision: README (labels).
"""

from __future__ import annotations

import functools
import os
import re

import pandas as pd

# --- screening word lists (documented in the module docstring; measured in README) ------------
_REPORTING = frozenset("""said says say saying told tells tell added adds noted notes wrote writes write
explained explains explaining stated states asked asks claimed claims argued argues according reported
reports reporting insisted insists announced announces declared declares warned warns acknowledged
acknowledges admitted admits believe believes believed think thinks thought suggested suggests
calling called call calls recalled recalls described describes continued continues tweeted posted
indicated indicates confirmed confirms replied replies responded responds commented comments""".split())
_TIME = frozenset("""monday tuesday wednesday thursday friday saturday sunday today tonight yesterday
tomorrow morning afternoon evening night week weekend month year day days weeks months years hours hour
minutes minute time times recently earlier later ago last next first second third final early late
january february march april may june july august september october november december jan feb mar apr
jun jul aug sep sept oct nov dec""".split())
_FILLER = frozenset("""also even still already yet just however though although instead including
new many much mr mrs ms dr sen rep gov lt gen pres st jr sr inc co corp
would could might must shall may can will also really very like well way thing things lot
percent per cent number anything something nothing everything anyone someone everyone nobody
anybody somebody everybody whose whoever whatever whichever""".split())
_NUMBER_WORDS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve thirteen
fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions billion billions dozen dozens half""".split())
_CAPTION = re.compile(r"\b(?:file\s+photo|photo(?:graph)?s?\b|getty\s+images|ap\s+photo|reuters/|afp/|"
                      r"image\s+(?:source|credit)|caption|click\s+here|subscribe|sign\s+up)", re.I)
# what every match of _CAPTION holds, in lower case: an ASCII text without one of these has no caption
_CAPTION_WORDS = ("photo", "getty", "reuters/", "afp/", "image", "caption", "click", "subscribe", "sign")


def _is_caption(text: str) -> bool:
    """``_CAPTION.search(text) is not None``, the regular expression run only on texts that may match (tested).

    An ASCII text is searched for the match's literal words (:data:`_CAPTION_WORDS`, after
    ``lower()``, which for ASCII is what the pattern's IGNORECASE folds) first; other texts
    (Unicode case folding: "ſ" matches "s") go to the pattern. On the 161,775 sentences of the
    4,142 abp-2013 articles: 0.57 s instead of 1.09 s (the same verdicts). O(characters of `text`).
    """
    if text.isascii():
        low = text.lower()
        if not any(w in low for w in _CAPTION_WORDS):
            return False
    return _CAPTION.search(text) is not None


_ADJ = re.compile(r"(?:ic|ical|ional|tial|ntal|ous|ful|less|able|ible|ish|ese)$")
_DIGIT = re.compile(r"\d")
_PARTY_STATE = re.compile(r"^[rdi]-[a-z]")  # "R-Texas", "D-W.Va." (party-state designations)


def _inflection(a: str, b: str) -> bool:
    """Whether two labels look like forms of one word ("threats"/"threatened", "gay"/"gays")."""
    n = len(os.path.commonprefix([a, b]))
    short, long = sorted((a, b), key=len)
    return (n >= 4 and n >= 0.6 * min(len(a), len(b))) or long in (short + "s", short + "es")


def _part_of(la: list[str], lb: list[str]) -> bool:
    """Whether one label is a part of the other's hyphenated word ("pocket" / "out-of-pocket")."""
    parts_a = {p for t in la for p in t.split("-")}
    parts_b = {p for t in lb for p in t.split("-")}
    return (any("-" in t for t in la + lb)
            and (set(la) <= parts_b or set(lb) <= parts_a or parts_a <= parts_b or parts_b <= parts_a))


def word_kind(words: list[str]) -> str:
    """Return the kind of a run of words as written: "name", or the head word's class by suffix.

    Parameters
    ----------
    words : list of str
        The words as written (case kept), not at the start of a sentence.

    Returns
    -------
    str
        "name" when the last word (the head of an English noun phrase) is capitalised,
        else "adverb" (-ly), "verb-ed", "verb-ing", "adjective" (-ic, -al, -ous, -ive,
        -ful, -less, -able, -ible, -ary, -ish, -ian, -ese) or "noun" (anything else).

    Notes
    -----
    A suffix test, not a tagger: "said" and "deal" are both "noun" here, "critical" and
    "chemical" both "adjective". It only has to tell apart the two sides of a substitution, where a
    mismatch ("formula" / "proportionally") is evidence of a rewrite, not a label choice.
    Cost: O(length of the run).

    Examples
    --------
    >>> [word_kind(w) for w in (["GOP"], ["relief"], ["ousted"], ["economic"], ["Senate", "majority"])]
    ['name', 'noun', 'verb-ed', 'adjective', 'noun']
    """
    head = words[-1]
    if head[:1].isupper():
        return "name"
    low = head.lower()
    if low.endswith("ly"):
        return "adverb"
    if low.endswith("ed"):
        return "verb-ed"
    if low.endswith("ing"):
        return "verb-ing"
    if _ADJ.search(low):
        return "adjective"
    return "noun"


@functools.lru_cache(maxsize=1)
def _contraction_heads() -> frozenset[str]:
    """Return the function words a contraction may start with ("they're", "we've": pronoun + verb)."""
    from analysis.resources import stopwords

    return frozenset(w for w in stopwords("english") if "'" not in w)


def _abbreviation(short: list[str], long: list[str]) -> bool:
    """Whether `short` is one word made of the initials of `long` ("nsa" / "national security agency")."""
    return len(short) == 1 and len(long) > 1 and short[0] == "".join(w[0] for w in long)


def _verdict(la: list[str], lb: list[str], wa: list[str], wb: list[str]) -> str:
    """Return why a substitution (folded terms la/lb, written words wa/wb) is not a label pair."""
    terms = la + lb
    if any(_DIGIT.search(t) or t in _NUMBER_WORDS for t in terms):
        return "number"
    if any(t in _TIME for t in terms):
        return "date or time word"
    if any(t in _REPORTING for t in terms):
        return "reporting verb"
    if any(t in _FILLER or ("'" in t and t.split("'")[0] in _contraction_heads()) for t in terms):
        return "function word or title"
    a, b = " ".join(la), " ".join(lb)
    if a == b or _inflection(a, b) or _inflection(la[-1], lb[-1]) or any(
            _inflection(x, y) for x in la for y in lb if min(len(x), len(y)) >= 3):
        return "forms of one word"
    if re.sub(r"\W", "", a) == re.sub(r"\W", "", b) or _part_of(la, lb):
        return "spelling variant"
    if any(len(t) == 1 for t in terms):
        return "abbreviation"
    if _abbreviation(la, lb) or _abbreviation(lb, la) or any(_PARTY_STATE.match(t) for t in terms):
        return "abbreviation"
    if word_kind(wa) != word_kind(wb):
        return "different kinds of word"
    return ""


MISALIGNED = "function word facing a content word"  # the rest of an equal-length run paired word by word
DIFFERENT_SPEAKERS = "two names as speakers of one reporting verb"
DIFFERENT_NAMES = "parts of two different names"


def _name_span(text: str, toks: tuple, lo: int, hi: int) -> tuple[int, int]:
    """Return the token span of the capitalised name around tokens ``lo:hi`` of `text`.

    The span grows over neighbouring capitalised words written with only a space between
    them, or after a short abbreviation ("Rep. Cory Gardner", "Gen. Martin Dempsey"); a comma,
    quotation mark or lower-case word ends it.
    """
    def joined(k: int) -> bool:  # tokens k and k + 1 are parts of one name
        gap = text[toks[k][2]:toks[k + 1][1]]
        word = text[toks[k][1]:toks[k][2]]
        return (gap == " " or (gap == ". " and len(word) <= 4 and word[:1].isupper())) and \
            text[toks[k + 1][1]:toks[k + 1][1] + 1].isupper()

    while lo > 0 and text[toks[lo - 1][1]:toks[lo - 1][1] + 1].isupper() and joined(lo - 1):
        lo -= 1
    while hi < len(toks) and joined(hi - 1):
        hi += 1
    return lo, hi


def _referent(ta: str, ka: tuple, a: tuple[int, int], tb: str, kb: tuple, b: tuple[int, int],
              common: frozenset[str]) -> str:
    """Return why two name runs cannot name one referent ("" when they may), from their sentences.

    Both runs must be names (capitalised head). Two cases, both read off the structure of the
    two sentences, not off word lists:

    * a name as the speaker of a reporting verb right after or before it ("Mr. Kerry said" /
      "Obama said"): two speakers of one statement are two people, not two labels;
    * a run inside a longer name whose head is not itself a name: the rest of the name goes on
      after the run on both sides and ends in a word the corpus also writes in lower case
      ("Senate Budget Committee" / "Senate Judiciary Committee", "House Oversight"), or the
      run ends the name after the same first words on both sides ("Labor Department" / "Labor
      Statistics"). Different modifiers of an organisation's name name two organisations; a
      person's title before the person's name ("Senate Minority Leader Mitch McConnell" /
      "Senate Republican Leader Mitch McConnell") is kept, as the name's head is the person.
    """
    return _resolve_referent(_referent_parts(ta, ka, a, tb, kb, b), common)


def _referent_parts(ta: str, ka: tuple, a: tuple[int, int], tb: str, kb: tuple, b: tuple[int, int]) -> tuple[str, str]:
    """Return :func:`_referent`'s verdict as far as the two sentences settle it, and the word left to look up.

    ``(verdict, word)``: the verdict is :data:`DIFFERENT_NAMES` when ``word`` ("" for none) is
    among the corpus's lower-case words, else ``verdict`` (:func:`_resolve_referent`). Split so
    that :func:`analysis.labels.substitutions` can read the sentences once and the summary look
    the word up in its own corpus later. Cost: O(tokens of the two names).
    """
    (a1, a2), (b1, b2) = a, b
    if not (ta[ka[a2 - 1][1]:ka[a2 - 1][1] + 1].isupper() and tb[kb[b2 - 1][1]:kb[b2 - 1][1] + 1].isupper()):
        return "", ""
    for toks, lo, hi in ((ka, a1, a2), (kb, b1, b2)):
        if (hi < len(toks) and toks[hi][0] in _REPORTING) or (lo > 0 and toks[lo - 1][0] in _REPORTING):
            return DIFFERENT_SPEAKERS, ""
    sa, sb = _name_span(ta, ka, a1, a2), _name_span(tb, kb, b1, b2)
    right_a, right_b = [t[0] for t in ka[a2:sa[1]]], [t[0] for t in kb[b2:sb[1]]]
    left_a, left_b = [t[0] for t in ka[sa[0]:a1]], [t[0] for t in kb[sb[0]:b1]]
    if right_a and right_a == right_b:
        return "", right_a[-1]  # DIFFERENT_NAMES if the corpus writes it in lower case
    if not right_a and not right_b and left_a and left_a == left_b:
        return DIFFERENT_NAMES, ""
    return "", ""


def _resolve_referent(parts: tuple[str, str], common: frozenset[str]) -> str:
    """Return :func:`_referent`'s verdict from :func:`_referent_parts` and the corpus's lower-case words."""
    verdict, word = parts
    return DIFFERENT_NAMES if word and word in common else verdict


_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")
LOWER_CASE_CHUNK = 20_000  # texts joined and searched at a time by _lower_case_words


def _lower_case_words(texts: pd.Series, *, chunk: int = LOWER_CASE_CHUNK) -> frozenset[str]:
    """Return the words the texts write in lower case at least once ("committee", not "mcconnell").

    Notes
    -----
    Cost: O(characters) in C to split `chunk` texts at a time at white space and keep each
    distinct piece once (Arrow), plus one regular-expression pass over the distinct pieces of
    the chunk joined by a space. A word cannot contain white space, and a piece's first
    character follows white space or a joining space, which the look-behind passes alike, so
    the words are those of one pass over all texts joined (tested): at 10,000 generated articles
    the pass over the distinct pieces took 1.5 s against 2.5 s over the texts (378,770 sentences,
    most of their pieces repeated). Memory O(characters and distinct pieces of one chunk) plus the
    distinct words: one string of the whole corpus and a list of every lower-case word in it
    took 534 MB at 10,000 generated articles.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    words: set[str] = set()
    for lo in range(0, len(texts), chunk):
        pieces = pc.unique(pc.list_flatten(pc.utf8_split_whitespace(
            pa.array(texts.iloc[lo:lo + chunk].astype(str).tolist(), type=pa.large_string()))))
        words.update(_LOWER_WORD.findall(" ".join(pieces.to_pylist())))
    return frozenset(words)

__all__ = ["word_kind", "MISALIGNED", "DIFFERENT_SPEAKERS", "DIFFERENT_NAMES"]
