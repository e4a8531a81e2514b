"""Attribute each direct quotation of a text to its speaker: the sentence shapes of news.

:func:`attribute_text` finds the quotations of one text (:func:`analysis.sentences.scan_quotes`)
and gives each a speaker candidate, the reporting verb and the rule (``cue``) that applied;
:func:`analysis.quotes.extract.extract_quotes` turns the records into the quotes table. Names are
read as phrases by :mod:`analysis.quotes.speakers` (through :func:`analysis.quotes.names._cand_at`);
the attributions after a quotation are in :mod:`analysis.quotes.after`. The rules, in the order
they are tried, are listed in :func:`analysis.quotes.extract.extract_quotes`'s Notes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import replace

from analysis.quotes.after import _after
from analysis.quotes.context import (
    _ADVERB_RE,
    _ADVERBS,
    _DOC_WORD_RE,
    _GENERIC_DOC,
    _GENERIC_PERSON,
    _LEADING,
    _NOT_NAMES,
    _PREPOSITIONS,
    _SIGNED_BY,
    _SUBORDINATORS,
    _WORD_RE,
    _Article,
    _Cand,
    _candidates,
    _credit,
    _in_parentheses,
    _possessive,
    _sentence_end,
    _sentence_start,
    _since,
)
from analysis.quotes.names import _cand_at
from analysis.quotes.speakers import read_speaker
from analysis.quotes.verbs import _VERB_LEMMA, _VERB_RE
from analysis.sentences import paragraph_spans as _paragraphs
from analysis.sentences import scan_quotes

_RELAYS = ("report", "according to")  # verbs of a source relaying another's words
_PLAIN_VERB_RE = re.compile(r"\b(said|says|added|wrote|told)(?![\w-])")  # the subject scan's verbs (a small regex)


_NAME_WINDOW = 300  # characters before a verb searched for an unlisted subject name
_NAME_BEFORE_VERB = re.compile(r"([A-Z][\w’'.-]*[A-Za-z](?:\s+[A-Z][\w’'-]*[A-Za-z]){0,3})\s+" + _ADVERBS + r"$")


_ADJACENT_ROLE = re.compile(r"\b[Tt]he\s+(?:[\w’'.-]+\s+){0,6}?(" + "|".join(_GENERIC_PERSON) + r")\s+"
                            + _ADVERBS + r"$", re.I)
_ADJACENT_PRONOUN = re.compile(r"\b([Hh]e|[Ss]he|[Tt]hey)\s+" + _ADVERBS + r"$")
# "Cruz, 45, said", "X, chairwoman of Y, said", "Rep. X (R) of Oregon says"
_ADJACENT_NAME = re.compile(r"((?:[A-Z][\w’'.-]*\s+){0,5}[A-Z][\w’'-]*[A-Za-z])(?:,\s*\d{1,3},)?"
                            r"(?:\s*\([A-Z]{1,2}(?:-[A-Za-z.]+)?\))?(?:\s+of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?"
                            r"(?:,\s+[a-z][^,“”\"«»]{1,70},)?\s+" + _ADVERBS + r"$")


_ADJACENT_WHO = re.compile(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'-]*){0,3})(?:,\s+[^,“”\"«»]{1,80})?,\s+who\s+"
                           + _ADVERBS + r"$")


def _adjacent_subject(art: _Article, lo: int, verb_start: int) -> _Cand | None:
    """Return who is named right before the verb ("... Rep. Tom Davis said", "Cruz, 45, said", "he said").

    A relative "who" is its name's ("... by Susan Rice, the U.S. ambassador, who called it a ...").
    """
    text = art.text
    lo = max(lo, verb_start - _NAME_WINDOW)
    m = _ADJACENT_WHO.search(text, lo, verb_start)
    if m and not art.inside(m.start(1)):
        cand = _cand_at(art, m.start(1))
        if cand is not None and cand.kind not in ("pronoun", "generic") and cand.type in ("person", "organization"):
            return cand
    m = _ADJACENT_PRONOUN.search(text, lo, verb_start)
    if m and not art.inside(m.start(1)):
        return _cand_at(art, m.start(1))
    m = _ADJACENT_ROLE.search(text, lo, verb_start)  # "the Kentucky Republican said": refers back
    if m and not art.inside(m.start()):
        for c in art.cands_from(m.start()):  # an alias file's role ("the US president") names its entity
            if c.start == m.start() and c.kind not in ("pronoun", "generic"):
                return c
            break
        surface = text[m.start():m.end(1)]
        return _Cand(m.start(), m.end(1), surface, "person", "generic", surface, m.group(1).lower())
    m = _ADJACENT_NAME.search(text, lo, verb_start)
    if not m or art.inside(m.start(1)):
        return None
    at = m.start(1)
    for word in re.finditer(r"\S+", m.group(1)):  # "But Pelosi said": start at the first word that can name
        if word.group(0).lower().rstrip(".,") not in _NOT_NAMES:
            at = m.start(1) + word.start()
            break
    else:
        return None
    k = bisect_left(art.starts, at) - 1  # a mention that began before the run ("Bureau of Western Hemisphere Affairs")
    while k >= 0 and art.cands[k].start >= at - 80:
        c = art.cands[k]
        if c.start < at < c.end and c.kind not in ("pronoun", "generic"):
            return c
        k -= 1
    read = read_speaker(text, at, m.end(1))
    if read is None or read.type != "person" or read.end != m.end(1) or _VERB_RE.fullmatch(read.name.split()[-1]):
        return None
    return _cand_at(art, at)


# Lower-case nouns of a role or an anonymous source: after a name that only modifies them ("China’s
# U.N. ambassador", "One senior House Republican source", "Trump administration officials"), and with
# no name after them, the phrase names no one.
_ROLE_NOUNS = ("ambassador", "spokesman", "spokeswoman", "spokesperson", "official", "officials", "source",
               "sources", "aide", "aides", "adviser", "advisers", "advisor", "staffer", "staffers", "diplomat",
               "diplomats", "envoy", "negotiator", "negotiators", "insider", "insiders")
_UNNAMED_ROLE = re.compile(r"(?:\s+[a-z][\w-]*){0,2}?\s+(?:" + "|".join(_ROLE_NOUNS) + r")(?![\w-])(?!,?\s+[A-Z])")


def _unnamed_role(text: str, end: int) -> bool:
    """Tell whether the name ending at `end` only modifies a role noun with no name after it; O(1)."""
    return _UNNAMED_ROLE.match(text, end) is not None


def _subject(art: _Article, lo: int, verb_start: int) -> _Cand | None:
    """Return the speaker of the clause ``[lo, verb_start)``.

    The name or pronoun right before the verb, else the first plausible candidate (neither
    possessive nor after a preposition), read as a whole phrase (titles cut).
    """
    text = art.text
    adjacent = _adjacent_subject(art, lo, verb_start)
    if adjacent is not None:
        return adjacent
    for c in art.cands_from(lo):
        if art.inside(c.start):
            continue
        if c.start >= verb_start:
            break
        prev = text[max(lo, c.start - 12):c.start].split()
        if prev and prev[-1].lower() in _PREPOSITIONS or _possessive(text, c.end):
            continue
        adjacent = _ADVERB_RE.fullmatch(text, c.end, verb_start) is not None
        if c.type == "place" and not adjacent:
            continue
        if c.kind in ("pronoun", "generic"):
            return c
        if _unnamed_role(text, c.end):
            return None  # "China’s U.N. ambassador defended ..., saying": a role, no one named
        read = _cand_at(art, c.start)  # "Republican House Speaker John Boehner": the name, not "Republican"
        if read is not None and read.end > c.end and re.search(r"\b[a-z]+ed\b", text[c.end:read.end]):
            read = c  # "Barack Obama denounced Senate Republicans ..., calling it": a past tense ends the subject
        return read if read is not None and read.end <= verb_start else c
    lo = max(lo, verb_start - _NAME_WINDOW)  # a name and its adverbs are shorter than this
    art.work += verb_start - lo
    m = _NAME_BEFORE_VERB.search(text, lo, verb_start)
    return _cand_at(art, m.start(1)) if m else None


def _before(art: _Article, sent: int, lo: int, qs: int) -> tuple[_Cand | None, str, str] | None:
    """Match an attribution before a quotation: X said: “...” / X declared, “...” / X said that ... “...”."""
    text = art.text
    verbs = [m for m in _VERB_RE.finditer(text, lo, qs) if not art.inside(m.start())]
    strong = text[lo:qs].rstrip()[-1:] in (",", ":")
    if not verbs:
        if text[lo:qs].rstrip().endswith(":"):  # a colon after a clause naming the speaker
            cand = _colon_subject(art, sent, text.rindex(":", lo, qs))
            return (cand, "", "colon") if cand else None
        return None
    verb = verbs[-1]
    if verb.group(1).lower() == "according to":
        cand = _cand_at(art, _LEADING.match(text, verb.end(), qs).end())
        return (cand, verb.group(1), "according") if cand else None
    cand = _subject(art, lo, verb.start())
    if cand is None and lo > sent:
        return None, verb.group(1), "same-sentence"  # inherit the previous piece's speaker
    if cand is None:
        cand = _subject(art, sent, verb.start())
    if cand is None and not verb.group(1).endswith("ing") and _VERB_LEMMA.get(verb.group(1).lower()) != "tell":
        # "said X, “...”"; not the object of "accusing X of", nor the listener of "told X"
        cand = _cand_at(art, _LEADING.match(text, verb.end(), qs).end())
    return (cand, verb.group(1), "before" if strong else "clause") if cand else None


# "one of the panelists, Pia Glenn, sang:", "Glenn, for her part, tweeted her defiance:": a name, an
# optional aside, then at most three lower-case words (the verb and its object) before the colon
_COLON_TAIL = re.compile(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'-]*){0,3}),?(?:\s+[a-z][^,“”\"«»:]{0,40},)?"
                         r"(?:\s+[a-z][\w’'-]*){1,4}\s*$")


def _colon_subject(art: _Article, sent: int, colon: int) -> _Cand | None:
    """Return the speaker of a clause ending in a colon before a quotation.

    A name followed by its verb right before the colon ("..., Pia Glenn, sang:"), else the
    subject of the clause (:func:`_subject`), else a name right before the colon ("This is
    from the U-T San Diego:").
    """
    text = art.text
    m = _COLON_TAIL.search(text, max(sent, colon - 160), colon)
    if m and not art.inside(m.start(1)) and m.group(1).split()[0].lower() not in _NOT_NAMES \
            and not m.group(1).endswith(("’s", "'s", "’", "'")):  # "... greeted the news of Tallent's hiring with:"
        cand = _cand_at(art, m.start(1))
        if cand is not None and cand.kind not in ("pronoun",) and cand.type in ("person", "organization"):
            return cand
    return _subject(art, sent, colon)


def _later_in_sentence(art: _Article, k: int) -> tuple[_Cand, str, str] | None:
    """Return (speaker, verb, "later") named by a reporting verb later in the quotation's sentence.

    "Murray and Ryan haven’t yet “closed the deal” ..., but are “moving in the right
    direction,” Mr. Durbin said.": the attribution at the end of the sentence covers every
    quotation in it. The name right before the verb ("Mr. Durbin said"), or right after it
    when the verb follows a quotation or comma ("..., said Mr. Durbin").
    """
    text = art.text
    qe = art.spans[k][1]
    end = _sentence_end(art, qe - 1)
    for verb in _VERB_RE.finditer(text, qe, end):
        if art.inside(verb.start()) or verb.group(1).endswith("ing"):
            continue
        cand = _adjacent_subject(art, qe, verb.start())
        if cand is None and text[qe:verb.start()].rstrip()[-1:] in ",”\"’'»":
            cand = _cand_at(art, _LEADING.match(text, verb.end(), end).end())
        if cand is not None and cand.end <= end:
            return cand, verb.group(1), "later"
    return None


def _note_documents(art: _Article, lo: int, hi: int, who: _Cand) -> None:
    """Record `who` as the issuer of each document named in ``[lo, hi)`` ("X wrote in a memo")."""
    for m in _DOC_WORD_RE.finditer(art.text, lo, hi):
        if not art.inside(m.start()):
            issued = art.issuers.setdefault(m.group(1).lower(), [])
            insort(issued, (m.start(), len(issued), who))


def _resolve(art: _Article, cand: _Cand, pos: int, *, named: bool = True) -> _Cand:
    """Resolve a pronoun or generic noun to the most recent fitting speaker or named person; O(log n).

    "he" / "she" skip people the article marks as the other gender; a speaker (subject of a
    reporting verb, or already attributed) in this paragraph or the two before wins over a
    more recent name that only appears in passing ("... debate with Mr. Sanders. “...,” she said").
    """
    if cand.kind not in ("pronoun", "generic"):
        return cand
    if cand.keyword in _GENERIC_DOC:
        signed = _SIGNED_BY.match(art.text, cand.end)
        signer = _cand_at(art, signed.end()) if signed else None
        if signer is not None and signer.kind not in ("pronoun", "generic"):
            return signer
        issued = art.issuers.get(cand.keyword, [])
        i = bisect_left(issued, (pos,)) - 1
        if i >= 0:  # the last one named: an article's "memo" is usually one document throughout
            return issued[i][2]
        spoken = art.antecedents.best("any", "", pos, since=_since(art, pos), named=False)
        return spoken or cand  # not a name merely mentioned nearby
    gender = {"he": "m", "she": "f"}.get(cand.surface.lower(), "?") if cand.kind == "pronoun" else "?"
    return art.antecedents.best(cand.type, cand.keyword, pos, gender=gender, since=_since(art, pos),
                                named=named) or cand


def _quote_text(text: str, start: int, end: int) -> str:
    """Return the quoted words without the outer marks; paragraph breaks become one space."""
    open_len = 2 if text[start:start + 2] in ("''", "``") else 1
    close_len = 2 if text[end - 2:end] == "''" else 1
    inner = text[start + open_len:end - close_len]
    return re.sub(r"\s*\n\s*\n\s*(?:''|``|[“„«\"])?", " ", inner).strip()


def _as_speaker(c: _Cand) -> _Cand:
    """Return `c` as a person when a name of unknown type is the subject of a reporting verb.

    "Sanders said he ...": a name the entity proposals could not type ("other", "unknown") but
    that speaks is a person for the pronouns after it ("“...,” he said"); organisations and
    places keep their type. O(1).
    """
    if c.type in ("other", "unknown") and c.kind in ("name", "surname", "unlisted"):
        return replace(c, type="person")
    return c


def _attribute(art: _Article, k: int, prev: dict | None) -> dict:
    """Attribute quotation `k` of `art`; `prev` is the previous quotation's record (or None)."""
    qs, qe = art.spans[k]
    text = art.text
    sent = _sentence_start(art, qs)
    same_sentence = prev is not None and prev["end"] > sent
    lo = prev["end"] if same_sentence else sent
    p_end = art.paragraph_of(qe - 1)[1]
    limit = min(art.spans[k + 1][0], p_end) if k + 1 < len(art.spans) else p_end
    found = _before(art, sent, lo, qs)
    if found is None or found[2] == "clause" or found[2] == "same-sentence":
        after = _after(art, qe, limit)
        if not (after and found and found[0] is not None and _VERB_LEMMA.get(after[1].lower()) in _RELAYS):
            found = after or found  # "X said he was “...,” the Associated Press reported": X, relayed by AP
    cand, verb, cue = found if found else (None, "", "none")
    opens = not text[sent:qs].strip(" \t\n:;—–-")  # the quotation opens its sentence (“...” he said. : “...”)
    if cand is None and not same_sentence and (not opens or _quote_text(text, qs, qe).endswith(",")):
        cand, verb, cue = _later_in_sentence(art, k) or (cand, verb, cue)  # not after “... politics.” The NRA
    p_start = art.paragraph_of(qs)[0]
    prev_end = prev["end"] if prev else 0
    if cand is None and not same_sentence and opens and sent > p_start:
        before = _previous_sentence(art, sent, prev_end)  # "McCarthy said as much. “I think ...”"
        if before is not None:
            cand, verb, cue = before
    elif cand is None and opens and sent == p_start and prev_end <= p_start:
        cand, verb, cue = _colon_paragraph(art, p_start, prev_end) or (cand, verb, cue)
    if cand is None and same_sentence:
        cand, verb, cue = prev["cand"], verb or prev["verb"], "same-sentence"
    elif cand is None and prev is not None and opens and prev["cand"] is not None \
            and art.paragraph_of(prev["start"])[1] >= p_start - 3:
        cand, verb, cue = prev["cand"], "", "continuation"
    if cand is None and not same_sentence:
        cand, verb, cue = _passive_agent(art, qs, qe, limit) or _possessive_source(art, sent, qs) or (cand, verb, cue)
    if cand is None and not opens and not _TITLE_CASE.fullmatch(text, qs + 1, qe - 1):
        cand, cue = _named_subject(art, sent, qs), "subject"  # “...” in a sentence with no reporting verb
    elif cand is None and opens and sent > p_start and _sentence_start(art, sent - 1) >= prev_end:
        cand, cue = _named_subject(art, _sentence_start(art, sent - 1), sent), "previous-subject"
    if cand is None:
        cue = "none"
    resolved = _resolve(art, cand, qs) if cand is not None else None
    if resolved is not None and resolved.kind not in ("pronoun", "generic"):
        art.speakers.append((max(qs, cand.start), resolved))
        art.antecedents.add(max(qs, cand.start), _as_speaker(resolved), pool="spoken")
        if cue in ("before", "after", "clause", "later", "according"):
            _note_documents(art, sent, _sentence_end(art, qe - 1), resolved)  # "..., the campaign wrote in a memo"
    between = text[prev["end"]:qs] if same_sentence else ""
    interrupted = same_sentence and cue in ("before", "after", "same-sentence") and \
        len(_WORD_RE.findall(between)) <= 8 and prev["quote"].endswith(",")
    return {"start": qs, "end": qe, "cand": cand, "resolved": resolved, "verb": verb, "cue": cue,
            "quote": _quote_text(text, qs, qe), "interrupted": interrupted}


# Nouns of what a person said or wrote: "Holder's April 24 statement that ... is a “...”", "Noonan's
# column last week about how we're “...”". Closed class of speech and document nouns.
_SPEECH_NOUNS = ("statement", "statements", "remarks", "comment", "comments", "words", "column", "op-ed",
                 "speech", "testimony", "claim", "assessment", "promise", "message", "tweet", "letter", "memo",
                 "argument", "response", "warning", "pledge", "assertion", "admission", "description",
                 "complaint", "answer", "reply", "quip", "retort", "essay", "post", "editorial")
_OWNER = re.compile(r"(?:,?[ \t]+(?:Jr|Sr)\.?)?(?:’s|'s|’|')(?![\w’'])")  # "Holder Jr.’s", "Obama’s"
_OWNED_SPEECH = re.compile(r"(?:[ \t]+[\w’'-]+){0,4}?[ \t]+(?:" + "|".join(_SPEECH_NOUNS) + r")(?![\w-])")


def _possessive_source(art: _Article, sent: int, qs: int) -> tuple[_Cand, str, str] | None:
    """Return (owner, "", "possessive") for “...” after "NAME's [few words] statement/column/remarks ...".

    News names the source of quoted words through the owner of a speech noun: "Attorney General Eric
    H. Holder Jr.'s April 24 statement that awarding citizenship ... is a “matter of civil and human
    rights”". The last such owner in the sentence before the quotation (no other quotation between),
    with words between the noun and the quotation (not "labeled Obama's speech “harshly ideological”",
    the labeller's words);
    a name the entity proposals give or one read there, whatever its type (a country's statement, or a
    person the proposals typed a place or left untyped). O(candidates of the sentence).
    """
    text = art.text
    found = None
    for c in art.cands_from(sent):
        if c.start >= qs:
            break
        own = _OWNER.match(text, c.end, qs)
        if c.kind in ("pronoun", "generic") or art.inside(c.start) or own is None:
            continue
        m = _OWNED_SPEECH.match(text, own.end(), qs)
        if m and not any(ch in text[m.end():qs] for ch in "“”\"«»") and re.search(r"\w", text[m.end():qs]):
            found = c  # words between the noun and the quotation: its content ("statement that ... “...”")
    if found is None:
        return None
    cand = _cand_at(art, found.start)
    cand = cand if cand is not None and cand.end <= found.end and cand.type in ("person", "organization") else found
    return cand, "", "possessive"  # whatever its type: one who owns a statement speaks


# "was quashed as a “poison pill” by Majority Leader Harry Reid", "smeared as a “liar” and perjurer by ...
# E.J. Dionne": a past participle, "as", the quotation, then "by" and the agent who said it
_AS_BEFORE = re.compile(r"[a-z]{2,}ed\s+as\s+(?:an?\s+|the\s+)?$")
_BY_AFTER = re.compile(r"[”\"’'»]?(?:\s+(?:and|or)\s+[a-z][\w-]*+)?\s+by\s+(?=\S)")
_AGENT_END = re.compile(r"\s+(?:--|—|–)|[,;!?(]|(?<=[a-z])\.")  # not the dots of "E.J. Dionne"


def _passive_agent(art: _Article, qs: int, qe: int, limit: int) -> tuple[_Cand, str, str] | None:
    """Return (agent, "", "agent") for a quotation a passive verb gives to "by X"; O(length of the clause).

    The agent is the last person or organisation named before the clause ends (a dash, comma or
    sentence end): "by DOJ proxy and Washington Post tool E.J. Dionne" is Dionne.
    """
    text = art.text
    if not _AS_BEFORE.search(text, max(0, qs - 40), qs):
        return None
    by = _BY_AFTER.match(text, qe - 1 if text[qe - 1:qe] in "”\"’'»" else qe, limit)
    if by is None:
        return None
    stop = _AGENT_END.search(text, by.end(), min(limit, by.end() + 100))
    end = stop.start() if stop else min(limit, by.end() + 100)
    agent = None
    for c in art.cands_from(by.end()):
        if c.start >= end:
            break
        if c.kind not in ("pronoun", "generic") and c.type in ("person", "organization") \
                and not _possessive(text, c.end):
            agent = c
    if agent is None:
        return None
    cand = _cand_at(art, agent.start)
    if cand is None or cand.type not in ("person", "organization"):
        cand = agent
    return cand, "", "agent"


def _colon_paragraph(art: _Article, p_start: int, prev_end: int) -> tuple[_Cand, str, str] | None:
    """Return (speaker, "", "colon") for a quotation opening a paragraph after one that ends in a colon.

    "He offered a more full-throated regret in a statement to CNN:" then the quotation as its
    own paragraph: the speaker of the colon's clause, as if the two were one paragraph.
    """
    text = art.text
    head = text[:p_start].rstrip()
    if not head.endswith(":"):
        return None
    colon = len(head) - 1
    sent = _sentence_start(art, colon)
    if prev_end > sent:
        return None
    cand = _colon_subject(art, sent, colon)
    return (cand, "", "colon") if cand is not None else None


def _previous_sentence(art: _Article, sent: int, prev_end: int) -> tuple[_Cand, str, str] | None:
    """Return (subject, verb, "previous-sentence") of the last reporting verb of the sentence before `sent`.

    For a quotation that opens a sentence right after one that names its speaker with a
    reporting verb, in the same paragraph ("Cohen dismissed the idea. “I can't see ...”"), when
    that sentence holds no quotation (else the quotation continues: “...,” she said. “...”).
    """
    text = art.text
    start = _sentence_start(art, sent - 1)
    if prev_end > start:
        return None
    verbs = [m for m in _VERB_RE.finditer(text, start, sent) if not art.inside(m.start())]
    if not verbs or verbs[-1].group(1).lower() == "according to":
        return None
    cand = _subject(art, start, verbs[-1].start())
    return (cand, verbs[-1].group(1), "previous-sentence") if cand is not None else None


def _clause_subject(art: _Article, s: int, end: int, *, places: bool = False, named: bool = True) -> _Cand | None:
    """Return the subject of the sentence starting at `s` (candidates before `end`), resolved; O(candidates).

    The sentence's first candidate in subject position: outside quotations and parentheses,
    not possessive, not a gerund ("Overtaking South Korea ..."), at most three words into
    its clause, no preposition before it in the clause. A pronoun or generic noun is
    resolved; None when the first name is not the subject or is not a person or organisation.
    """
    text = art.text
    k = bisect_left(art.starts, s)
    while k < len(art.cands) and art.cands[k].start < end:
        c = art.cands[k]
        k += 1
        art.work += 1
        if art.inside(c.start) or _in_parentheses(text, c.start) or c.surface.split()[0].endswith("ing") \
                or _credit(text, c):  # "toggle caption Tony Gutierrez/AP": a credit line has no subject
            continue
        if _possessive(text, c.end):  # "Bush’s campaign is now directing ...": the body is the subject
            body = _cand_at(art, c.start)
            if body is None or body.type != "organization" or body.end <= c.end:
                continue
            c = body
        clause = text[s:c.start].rsplit(",", 1)[-1].lower().split()
        if len(clause) > 3 or any(w in _PREPOSITIONS for w in clause) or clause[:1] and clause[0] in _SUBORDINATORS:
            if "," in text[c.end:min(end, c.end + 120)]:
                continue  # an opening phrase or clause ("Late on Election Day, Law ...", "While Ryan predicted ..., X")
            return None  # the sentence's first name is not its subject
        if c.kind not in ("pronoun", "generic") and _unnamed_role(text, c.end):
            return None  # "One senior House Republican source predicted ...": no one named
        if c.kind == "generic" and c.type == "organization" and re.search(r"\s[A-Z]", c.surface):
            name = re.sub(r"^(?:the|this|that)\s+", "", c.surface, flags=re.I)  # "The Russian foreign ministry ..."
            c = _Cand(c.end - len(name), c.end, name, "organization", "unlisted", name)  # names itself
        elif c.kind in ("pronoun", "generic"):
            c = _resolve(art, c, c.start, named=named)
        else:
            c = _cand_at(art, c.start) or c
        return c if c.type in ("person", "organization", "any") or places and c.type == "place" else None
    return None


# a quotation in title case is a title ("has released a new book “Immigration Wars,”"), not words said
# Possessive quantifiers (*+): a word and the separators after it are taken whole, so a long
# all-capitals quotation that fails at its end cannot be re-split letter by letter (with plain
# `*` the match is exponential in the quotation's length: 21 capitals 0.24 s, 40 never ends).
# The strings matched are the same (tests/test_speakers.py compares them).
_TITLE_CASE = re.compile(r"\W*(?:(?:[A-Z0-9][\w’'-]*+|a|an|the|of|in|on|for|to|and|or|with|at|by)[\s,:.!?—–-]*+)+"
                         r"[”\"’'»]?")


def _named_subject(art: _Article, s: int, end: int) -> _Cand | None:
    """Return the sentence's subject (:func:`_clause_subject`) when it names a person or organisation.

    "It rained." has no speaker, nor has "WASHINGTON — The Pentagon's plan to erase the
    “stain” ..." (a place); a pronoun counts once resolved ("He blamed ... “head winds”").
    """
    c = _clause_subject(art, s, end)
    if c is None or c.kind in ("pronoun", "generic") or c.surface.lower() == "it" \
            or c.type not in ("person", "organization"):
        return None
    return c


def _sentence_subjects(art: _Article) -> None:
    """Enter the subject of each sentence as a speaker antecedent.

    "White House press secretary Josh Earnest was asked ...": see :func:`_clause_subject`. A
    pronoun subject ("She served as ...") is resolved there, so the chain of reference stays
    alive across paragraphs. O(sentences + candidates).
    """
    starts = sorted({*art.breaks, *(a for a, _ in art.paragraphs)})
    for n, s in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(art.text)
        c = _clause_subject(art, s, end)
        if c is not None and c.kind not in ("pronoun", "generic") and c.type in ("person", "organization"):
            art.antecedents.add(c.start, c, pool="spoken")
            _note_documents(art, s, end, c)


def attribute_text(text: str, mentions: list[tuple]) -> list[dict]:
    """Find and attribute every quotation of one text; return one record per quotation."""
    return attribute_article(text, mentions)[1]


def attribute_article(text: str, mentions: list[tuple]) -> tuple[_Article, list[dict]]:
    """Return the indexed text (:class:`~analysis.quotes.context._Article`) and its quotation records.

    The records are :func:`attribute_text`'s; the article is what :mod:`analysis.quotes.model`
    reads the candidates of each quotation from.
    """
    spans, _ = scan_quotes(text)
    art = _Article(text, spans, _candidates(text, mentions, spans), _paragraphs(text))
    _sentence_subjects(art)
    for m in _PLAIN_VERB_RE.finditer(text):  # "Gillespie digital director Eric Wilson said ...": a speaker
        if not art.inside(m.start()):
            c = _adjacent_subject(art, max(0, m.start() - 120), m.start())
            c = _resolve(art, c, m.start()) if c is not None else None  # "She also said ...": who she is
            if c is not None and c.kind not in ("pronoun", "generic"):
                art.antecedents.add(m.start(), _as_speaker(c), pool="spoken")
    out: list[dict] = []
    for k in range(len(spans)):
        out.append(_attribute(art, k, out[-1] if out else None))
    return art, out
