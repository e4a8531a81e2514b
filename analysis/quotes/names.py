"""Who a phrase names: the speaker candidate read at an offset of the text.

:func:`_cand_at` turns the words at an offset into a speaker candidate: the entity mentioned
there, or a name read as a phrase (:func:`analysis.quotes.speakers.read_speaker`), with titles
and roles cut and the article's full name for a surname. Every attribution rule
(:mod:`analysis.quotes.attribute`, :mod:`analysis.quotes.after`) reads its speaker through it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from analysis.clean import fold_for_matching
from analysis.quotes.context import _INSTITUTION_WORDS, _NAME_RE, _NOT_NAMES, _Article, _Cand
from analysis.quotes.model import _modifies
from analysis.quotes.speakers import Speaker, read_speaker
from analysis.quotes.verbs import _VERB_RE


def _cand_at(art: _Article, pos: int, *, places: bool = True) -> _Cand | None:
    """Return the speaker named by the phrase starting at `pos`: a mention, or a name read there.

    The phrase is read with :func:`analysis.quotes.speakers.read_speaker`, so title and role
    words are not the speaker ("Republican strategist Ron Bonjean" is Ron Bonjean). A person's
    name is resolved to the entity mentioned there when the surnames agree, else to the full
    name the article gives that surname, else kept as written. A place or organisation that
    only modifies the person named right after it (:func:`analysis.quotes.model._modifies`:
    "Virginia Gov.-elect Terry McAuliffe", "Health and Human Services Secretary Kathleen
    Sebelius") gives way to that person.

    O(phrase + candidates within it) the first time; the answer depends only on the text and
    its candidates, so it is kept (``art.named``) and a rule asking again (one in five asks
    repeat one) gets it in O(1).
    """
    key = (pos, places)
    if key not in art.named:
        art.named[key] = _read_cand_at(art, pos, places)
    return art.named[key]


def _read_cand_at(art: _Article, pos: int, places: bool) -> _Cand | None:
    """Return :func:`_cand_at`'s answer, read from the text (not kept)."""
    cand = _cand_at_phrase(art, pos, places=places)
    if cand is None or cand.type == "person" or cand.kind in ("pronoun", "generic"):
        return cand
    for n in art.cands_from(cand.end):
        if n.start - cand.end > 40:
            break
        if n.start >= cand.end and n.type == "person" and n.kind in ("name", "surname", "unlisted") \
                and _modifies(art.text, cand.end, n.start):
            head = _cand_at_phrase(art, n.start)
            if head is not None and head.type == "person":
                return replace(head, start=cand.start, surface=art.text[cand.start:head.end],
                               role=art.text[cand.start:n.start].strip())
        break
    of = _OF_NAME.match(art.text, cand.end)
    if of and of.group(1).split()[0].lower() not in _NOT_NAMES and cand.type in ("organization", "other", "unknown") \
            and not any(n.type == "person" for n in _cands_between(art, cand.end, of.end())):
        end = of.end()  # "the Virginia Chamber of Commerce", "Democracy for America": one name
        name = re.sub(r"^(?:the|The)\s+", "", art.text[cand.start:end])
        return _Cand(cand.start, end, name, "organization", "unlisted", art.text[cand.start:end])
    return cand


def _cands_between(art: _Article, lo: int, hi: int) -> list[_Cand]:
    """Return the candidates starting in ``[lo, hi)``; O(log n + found)."""
    out = []
    for c in art.cands_from(lo):
        if c.start >= hi:
            break
        out.append(c)
    return out


# "of"/"for" and up to four capitalised words after an organisation's name continue it
_OF_NAME = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?([A-Z][\w’'.-]*+(?:\s+[A-Z][\w’'.-]*+){0,3})(?![\w’'-])")


def _cand_at_phrase(art: _Article, pos: int, *, places: bool = True) -> _Cand | None:
    """Return the speaker named by the phrase starting at `pos` (:func:`_cand_at` before heads)."""
    mention = None
    for c in art.cands_from(pos):
        if c.start == pos and (places or c.type != "place"):
            mention = c
            break
        if c.start > pos:
            break
    read = read_speaker(art.text, pos, min(len(art.text), pos + 200))
    if read is not None and read.type == "person" and (mention is None or mention.kind in ("pronoun", "generic")
                                                        or _surname(mention.entity) != _surname(read.name)):
        return _named(art, pos, read)
    if read is not None and read.type == "organization" and (mention is None or mention.kind == "generic"
                                                              or read.end > mention.end):
        return _Cand(pos, read.end, read.name, "organization", "unlisted", art.text[pos:read.end])  # "the White House"
    if mention is not None:
        return mention
    m = _NAME_RE.match(art.text, pos)
    if m and m.group(0).split()[0].lower() not in _NOT_NAMES and not _VERB_RE.fullmatch(m.group(0)):
        words = m.group(0)
        typ = "organization" if any(w in words for w in _INSTITUTION_WORDS) else "person"
        return _Cand(m.start(), m.end(), words, typ, "unlisted", words)
    return None


def _surname(name: str) -> str:
    words = fold_for_matching(name).lower().split()
    return words[-1] if words else ""


def _named(art: _Article, pos: int, read: Speaker) -> _Cand:
    """Turn a name read from the text into a candidate spanning ``[pos, end of the name)``."""
    for c in art.cands_from(read.start):
        if c.start >= read.end:
            break
        if c.type == "person" and c.kind in ("name", "surname") and _surname(c.entity) == _surname(read.name):
            return _Cand(pos, read.end, c.entity, "person", c.kind, art.text[pos:read.end], role=read.role)
    name = read.name
    if " " not in name and name in art.full_names:
        return _Cand(pos, read.end, art.full_names[name], "person", "surname", art.text[pos:read.end], role=read.role)
    return _Cand(pos, read.end, name, "person", "unlisted", art.text[pos:read.end], role=read.role)
