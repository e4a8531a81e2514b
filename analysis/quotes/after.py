"""Attributions that follow a quotation: “...,” X said / said X / according to X / “...,” X lectured.

:func:`_after` is the rule :func:`analysis.quotes.attribute._attribute` tries when nothing
before the quotation names its speaker; the others are its cases. Speakers are read with
:func:`analysis.quotes.names._cand_at`.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from analysis.quotes.context import (
    _ADVERB_RE,
    _APPOSITIVE,
    _GENERIC_WORDS,
    _LATE_ATTRIBUTION,
    _LEADING,
    _appositive_ends,
    _Article,
    _Cand,
    _sentence_start,
)
from analysis.quotes.names import _cand_at
from analysis.quotes.verbs import _VERB_RE

_PLAIN_VERBS = frozenset(("said", "says", "added", "wrote", "told", "according to"))


def _verb_after(text: str, pos: int) -> re.Match | None:
    """Return the reporting verb that follows `pos` after auxiliaries/adverbs, if any."""
    adv = _ADVERB_RE.match(text, pos)
    if not adv:
        return None
    return _VERB_RE.match(text, adv.end())


def _ends_sentence(text: str, end: int) -> bool:
    """Tell whether ``text[:end]`` ends, before white space and closing marks, in . ! or ?; O(1)."""
    i = end
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0 and text[i - 1] in "”\"’'»":
        i -= 1
    return i > 0 and text[i - 1] in ".!?"


def _after(art: _Article, qe: int, limit: int) -> tuple[_Cand, str, str] | None:
    """Match an attribution right after a quotation: “...,” X said / said X / according to X.

    After a quotation that ends a sentence (“... ZERO!” Trump posted), an attribution
    that runs into the next quotation without a sentence end (“...” The leader
    criticized those who “...”) introduces that one instead and is not taken. After one
    that ends in a full stop, only a plain "X said." is taken: “... my shoes.” Sen. Harry
    Reid also blasted Republicans is a new sentence (news style closes an attributed
    quotation with a comma).
    """
    text = art.text
    found = _after_match(art, qe, limit)
    if found is None:
        return None
    if _ends_sentence(text, qe) and limit < art.paragraph_of(qe - 1)[1] \
            and not re.search(r"[.!?]", text[found[3]:limit]):
        return None
    if text[qe - 2:qe - 1] == "." and (found[1] not in _PLAIN_VERBS or re.match(r"\s+that\b", text[found[3]:])):
        return None  # “... in my shoes.” Sen. Harry Reid also blasted ...: a new sentence, not an attribution
    return found[:3]


_OPEN_ASIDE = re.compile(r",\s+[a-z][^,.;:!?“”\"«»]{1,80}?\s+(said|says|told|added|wrote)\b")


def _after_match(art: _Article, qe: int, limit: int) -> tuple[_Cand, str, str, int] | None:
    """Return (speaker, verb, cue, end of the match) for an attribution after a quotation."""
    text = art.text
    p = _LEADING.match(text, qe, limit).end()
    cand = _cand_at(art, p)
    if cand is not None and cand.end <= limit:
        pos = cand.end
        app = _APPOSITIVE.match(text, pos)
        for q in (pos, *([app.end()] if app else []), *_appositive_ends(text, pos, limit)):
            verb = _verb_after(text, q)
            if verb and verb.end() <= limit:
                return cand, verb.group(1), "after", verb.end()
        aside = _OPEN_ASIDE.match(text, pos, limit)  # "Dmitri V. Trenin, director of the Carnegie Moscow Center told"
        if aside and aside.group(1) in _PLAIN_VERBS:
            return cand, aside.group(1), "after", aside.end()
    verb = _VERB_RE.match(text, p)
    if verb and verb.end() < limit:
        cand = _cand_at(art, _LEADING.match(text, verb.end(), limit).end())
        if cand is not None and cand.end <= limit:
            cue = "according" if verb.group(1).lower() == "according to" else "after"
            return cand, verb.group(1), cue, cand.end
    late = _LATE_ATTRIBUTION.match(text, p, limit)
    if late and text[qe - 2:qe - 1] not in ".!?" and late.end() > p:
        verb = _VERB_RE.match(text, late.end())
        if verb and verb.group(1) in _PLAIN_VERBS:  # "..., said Stephen Morse", "..., according to X"
            cand = _cand_at(art, _LEADING.match(text, verb.end(), limit).end())
            if cand is not None and cand.end <= limit and cand.kind not in ("pronoun", "generic"):
                cue = "according" if verb.group(1) == "according to" else "after"
                return cand, verb.group(1), cue, cand.end
        cand = _cand_at(art, late.end())  # "... as an urgent need, she says."
        verb = _verb_after(text, cand.end) if cand is not None else None
        if verb and verb.group(1) in _PLAIN_VERBS and verb.end() <= limit \
                and re.match(r"\s*[.!?]", text[verb.end():verb.end() + 2]):
            return cand, verb.group(1), "after", verb.end()
    return _comma_attribution(art, qe, p, limit) or _anonymous_attribution(art, p, limit)


# "“...,” the reporter said", "“...,” an agent told Townhall", "“...,” supporters chanted": a speaker
# named by a common noun only (one the generic nouns do not resolve); the words name no one
_ANONYMOUS = re.compile(r"(?:(?:the|a|an|one|another)\s+(?:[a-z][\w-]*+\s+){0,2}?([a-z][\w-]*+)|([a-z][\w-]*+s))\s+")


def _anonymous_attribution(art: _Article, p: int, limit: int) -> tuple[_Cand, str, str, int] | None:
    """Return (anonymous speaker, verb, "after", end) for “...,” the reporter said; O(1).

    The speaker's kind is "anonymous": the quotation is attributed, to no one by name, and no
    later rule gives it to a name nearby (``speaker`` "(unattributed)").
    """
    text = art.text
    m = _ANONYMOUS.match(text, p, limit)
    if m is None or (m.group(1) or m.group(2)) in _GENERIC_WORDS or (m.group(1) or "").endswith("ing"):
        return None
    verb = _VERB_RE.match(text, m.end())
    if verb is None or verb.end() > limit or verb.group(1).lower() == "according to":
        return None
    surface = text[m.start():m.end()].strip()
    return _Cand(m.start(), m.start() + len(surface), surface, "none", "anonymous", surface), verb.group(1), \
        "after", verb.end()


# A verb of any kind in the third person or past tense: "lectured", "laments", "put it"
_ANY_VERB = re.compile(r"\s+(?:[a-z]+ly\s+)?([a-z][a-z-]+(?:ed|es|s)(?:\s+it)?|put it|wrote|said|says)(?![\w’'-])")
_CLAUSE_END = re.compile(r"\s*(?:[.!?;]|,?\s+(?:on|in|at|to|during|after|before|when|while|from|of|about)\b)")
_AS_NAME = re.compile(r",?\s+as\s+(?:the\s+)?(?=[A-Z])")  # "as the Daily Beast’s John Avlon tongue-in-cheeks it"
_VERB_THEN_NAME = re.compile(r"([a-z]{2,}(?:ed|es|s))\s+(?=[A-Z])")


def _comma_attribution(art: _Article, qe: int, p: int, limit: int) -> tuple[_Cand, str, str, int] | None:
    """Return (speaker, verb, "after", end) for “...,” NAME VERBED. / “...,” VERBS NAME. / “...,” as NAME put it.

    A quotation closed by a comma is, in news style, followed by its attribution, whatever its
    verb ("“...,” Hudak lectured.", "“...,” laments The Washington Post."): the name and one
    verb (third person or past tense) that end the clause; "as NAME VERBED" right after it
    names its source wherever the quotation stands. Tried after the reporting-verb rules;
    O(length of the clause).
    """
    text = art.text
    as_ = _AS_NAME.match(text, qe)  # “a virtual tie,” as Sanders put it
    if as_ and (text[qe - 2:qe - 1] == "," or text[qe:qe + 1] == ","):
        cand = _cand_at(art, as_.end())
        verb = _ANY_VERB.match(text, cand.end) if cand is not None and cand.kind not in ("pronoun", "generic") \
            else None
        if verb and verb.end() <= limit and cand.type in ("person", "organization", "other", "unknown"):
            return cand, verb.group(1), "after", verb.end()
    if text[qe - 2:qe - 1] != ",":
        return None
    k = bisect_left(art.spans, (qe,)) - 1  # the quotation ending at `qe`
    qs = art.spans[k][0] if k >= 0 and art.spans[k][1] == qe else qe
    if text[_sentence_start(art, qs):qs].strip(" \t\n:;—–-"):
        return None  # “an independent newspaper,” endorsed Democrats: the quotation does not open its sentence
    cand = _cand_at(art, p)
    if cand is not None and cand.end <= limit and cand.kind not in ("pronoun", "generic") \
            and cand.type in ("person", "organization", "other", "unknown"):
        verb = _ANY_VERB.match(text, cand.end)
        if verb and verb.end() <= limit and (_CLAUSE_END.match(text, verb.end()) if verb.group(1).endswith("ed")
                                             else re.match(r"\s*[.!?;,]", text[verb.end():verb.end() + 3])):
            # a present form must end the clause: "Democratic staffers on the committee said" is no verb
            return cand, verb.group(1), "after", verb.end()
    verb = _VERB_THEN_NAME.match(text, p)
    if verb:
        at = verb.end() + 4 if text.startswith("The ", verb.end()) else verb.end()  # "laments The Washington Post"
        cand = _cand_at(art, at)
        if cand is not None and cand.end <= limit and cand.kind not in ("pronoun", "generic") \
                and cand.type in ("person", "organization", "other", "unknown") and _CLAUSE_END.match(text, cand.end):
            return cand, verb.group(1), "after", cand.end
    return None
