"""Read a speaker's name from the words that name them: titles and roles split off, organisations told apart.

News names a speaker inside a noun phrase: "Republican strategist Ron Bonjean", "House Speaker
Nancy Pelosi, D-Calif.", "Crossroads’ Paul Lindsay", "New York Governor Andrew Cuomo",
"conservative Rep. David Schweikert", "the White House". :func:`read_speaker` reads such a
phrase from a given offset and returns the name (the last run of capitalised words that are
not title or role words, after any possessive), the role words before it, and whether it is
a person or an organisation. :func:`article_people` collects, once per article, the full
names its surnames stand for ("Cruz" -> "Ted Cruz") and the gender the text makes plain
(Mr./Mrs./Ms., or "X said she ...").

Rules, not a trained model: NLTK's taggers and chunkers need data that cannot be downloaded
here, and spaCy models are not pinned in this project. The rules are measured on
hand-labelled quotations from real articles (``tests/data/speakers_dev.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.quotes.verbs import _VERB_LEMMA

# Capitalised words that are titles, roles, parties or offices when they precede a name
# (lower case here). A name is the run of capitalised words after the last of these.
TITLE_WORDS = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor rev rev. sir dame lord lady
sen sen. sens sens. senator senators rep rep. reps reps. representative congressman congresswoman
gov gov. governor lt lt. gen gen. adm adm. col col. sgt sgt. maj maj. capt capt. cmdr cmdr.
president vice speaker leader majority minority whip chairman chairwoman chair chairs director
secretary secretary-general minister ambassador envoy mayor judge justice attorney general
commissioner chief officer executive ceo cfo founder spokesman spokeswoman spokesperson
press strategist adviser advisor aide economist analyst pollster candidate nominee first prime
premier king queen prince princess pope sheriff chancellor delegate lawmaker councilman
councilwoman assemblyman assemblywoman deputy acting former state treasury defense homeland
security commerce labor justice interior energy education health transportation agriculture
democrat democrats democratic republican republicans gop dem house senate white u.s. us u.s
federal national party committee caucus campaign manager coach
""".split())
# Words that make a capitalised run an organisation rather than a person.
ORG_WORDS = frozenset("""
house department ministry committee party agency office administration campaign association
union council bureau commission service institute foundation university court congress senate
pentagon kremlin times post journal news press reuters group inc inc. corp corp. company bank
fund government embassy army police network center centre organization organisation
""".split())
_PARTICLES = frozenset("de del della di da van von der bin al la le st. st".split())
# a word ending in a dot that does not end a sentence: initials ("R.", "H."), dotted acronyms
# ("U.N.", "U.S."), titles ("Sen."), party-state tags ("R-Ky.")
_ABBREV = re.compile(r"^(?:(?:[A-Z]\.)+|(?:Mr|Mrs|Ms|Dr|Sen|Sens|Rep|Reps|Gov|Lt|Gen|Adm|Col|Sgt|Maj|"
                     r"Capt|Cmdr|Prof|Rev|Jr|Sr|St|Ft|Mt|R-\w+|D-\w+|I-\w+)\.)$")
_DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$")  # "U.S.", "U.N.": a country or an institution
# after an abbreviation, a capitalised function word starts a new sentence ("... the U.S. The next day")
_NEW_SENTENCE = re.compile(r"[ \t]+(?:The|A|An|He|She|It|They|We|I|But|And|In|On|At|This|That|There|Its|His|Her)\b")
# Lower-case nouns after a capitalised run that make the run the source: a document it issued
# ("a Washington Post editorial", "a U.S. proposal") or the body speaking for it ("the Bush
# campaign", "Russia's U.N. mission"). Documents give the run; bodies give the run with the noun.
DOCUMENT_NOUNS = frozenset("editorial statement report letter memo memorandum proposal release column op-ed "
                           "tweet post filing resolution draft".split())
BODY_NOUNS = frozenset("campaign mission delegation administration government ministry embassy office".split())
_SOURCE_NOUNS = DOCUMENT_NOUNS | BODY_NOUNS
# Lower-case words that end a speaker's noun phrase (clause words, prepositions, verbs).
_STOP = frozenset("""
who whom whose which that and or but said says say told tells added adds wrote writes in on at
for during after before when while as to with from by about was is are were has had have will
would could should may might can also later then who's it he she they we i you this these those
than like into over under since until amid against via
""".split())
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_DETERMINERS = frozenset("another one some many most several each every both this that these those".split())
_TOKEN = re.compile(r"[^\s,;:!?()\[\]“”\"«»—–]+")
_SEPARATOR = re.compile(r"[ \t]+")
# a lower-case past tense after a name ends the phrase ("Romney dinged President Obama": the subject
# is Romney, not a role "Romney dinged" before Obama); role nouns do not end in -ed
_PAST_TENSE = re.compile(r"[a-z]{2,}ed$")
MAX_TOKENS = 10  # words read for one speaker phrase


@dataclass(frozen=True)
class Speaker:
    """A speaker read from a noun phrase: the name, the role before it, and the phrase's extent."""

    start: int  # offset of the name
    end: int  # offset one past the name
    name: str
    role: str  # the title and role words before the name ("Republican strategist"), or ""
    type: str  # "person" or "organization"
    phrase_start: int
    phrase_end: int  # one past the last word of the phrase (the name, usually)


def _capitalised(tok: str) -> bool:
    return tok[:1].isupper()


def _possessive(tok: str) -> bool:
    return tok.endswith(("’s", "'s", "’", "'")) and len(tok) > 2


def read_speaker(text: str, pos: int, limit: int | None = None) -> Speaker | None:
    """Read the speaker's noun phrase that starts at `pos`; return the name in it, or None.

    "and" joins roles before a name ("Democratic strategist and CNN contributor Paul Begala").

    Parameters
    ----------
    text : str
        The article text.
    pos : int
        Where the phrase starts (after "said", or right after a quotation).
    limit : int, optional
        Do not read past this offset.

    Returns
    -------
    Speaker or None
        The last run of capitalised words that are not titles or roles, after any possessive,
        with the role words before it; an organisation when the phrase ends in a capitalised
        run holding an organisation word ("the White House"). None when the phrase ends in a
        lower-case noun ("the agency", "a Reuters tally") or holds no name.

    Notes
    -----
    Reads at most ten words, stopping at punctuation (a comma ends "Nancy Pelosi, D-Calif."),
    a clause or verb word ("who", "said", "told", "of" once a name has begun) or the end of a
    sentence. Cost O(phrase). Known failures: a title missing from :data:`TITLE_WORDS` is read
    as part of the name ("Whip" is listed, "Czar" is not); a lower-case name is not a name.

    Examples
    --------
    >>> s = read_speaker("said Republican strategist Ron Bonjean. Next", 5)
    >>> s.name, s.role, s.type
    ('Ron Bonjean', 'Republican strategist', 'person')
    >>> read_speaker("said the White House on Friday", 5).name
    'White House'
    >>> read_speaker("said New York Governor Andrew Cuomo, who", 5).name
    'Andrew Cuomo'
    >>> read_speaker("said the agency.", 5) is None
    True
    """
    limit = len(text) if limit is None else min(limit, len(text))
    toks: list[tuple[int, int, str]] = []
    i = pos
    named = False
    while len(toks) < MAX_TOKENS and i < limit:
        m = _TOKEN.match(text, i, limit)
        if not m:
            break
        tok = m.group(0)
        if not tok.strip("-–—"):
            break  # "E.J. Dionne -- who ...": a dash ends the phrase
        low = tok.lower().rstrip(".")
        if (low in _STOP and not (low == "and" and toks and not named)) or (low == "of" and named) \
                or low in _VERB_LEMMA and not _capitalised(tok) \
                or named and _PAST_TENSE.match(tok):  # "Diaz-Canel vowed", "Romney dinged": a verb ends it
            break
        end_sentence = tok.endswith(".") and (not _ABBREV.match(tok) and tok.lower() not in TITLE_WORDS
                                              or _DOTTED.match(tok) is not None
                                              and _NEW_SENTENCE.match(text, m.end(), limit) is not None)
        word = tok[:-1] if end_sentence else tok
        toks.append((m.start(), m.start() + len(word), word))
        if _capitalised(word) and word.lower() not in TITLE_WORDS:
            named = True
        i = m.end()
        if end_sentence:
            break
        sep = _SEPARATOR.match(text, i, limit)
        if not sep:
            break
        i = sep.end()
    for j in range(1, len(toks)):  # "a U.S. proposal presented to ...": the phrase ends at its noun
        if not _capitalised(toks[j][2]) and toks[j][2].lower() not in _PARTICLES:
            if _capitalised(toks[j - 1][2]) and toks[j][2].lower() in _SOURCE_NOUNS:
                toks = toks[:j + 1]
            break
    head = toks[-1][2].lower() if toks else ""
    document = len(toks) >= 2 and _capitalised(toks[-2][2]) and head in DOCUMENT_NOUNS
    if len(toks) >= 2 and _capitalised(toks[-2][2]) and head in _SOURCE_NOUNS:
        noun = toks.pop()  # "a Washington Post editorial", "the Bush campaign", "Russia’s U.N. mission"
        if head in BODY_NOUNS:
            run = list(_trailing_run(toks))
            start = run[0][0]
            return Speaker(start, noun[1], text[start:noun[1]], "", "organization", toks[0][0], noun[1])
    while toks and not _capitalised(toks[-1][2]) and toks[-1][2].lower() not in _PARTICLES:
        if toks[-1][2].lower() in ("the", "a", "an", "of"):
            toks.pop()
            continue
        return None  # the phrase's head is a lower-case noun: "the agency", "a Reuters tally"
    if not toks:
        return None
    # the trailing run of capitalised words (particles inside), cut after the last title or possessive
    run: list[tuple[int, int, str]] = []
    for tok in reversed(toks):
        word = tok[2]
        if _capitalised(word) or (word.lower() in _PARTICLES and run):
            run.insert(0, tok)
        else:
            break
    whole = run[:]
    name: list[tuple[int, int, str]] = []
    for tok in reversed(run):
        word = tok[2]
        if word.lower().rstrip(".") in TITLE_WORDS or word.lower() in TITLE_WORDS or _possessive(word):
            break
        name.insert(0, tok)
    while name and (name[0][2].lower() in _PARTICLES or name[0][2].endswith("ing")):
        name.pop(0)  # "Overtaking South Korea ...": a sentence-initial gerund is not part of a name
    while name and name[-1][2].lower() in _WEEKDAYS:
        name.pop()  # "Gallup analysts Tuesday released": a day is no part of a name
    if name and any(t[2].lower() in ORG_WORDS for t in name) or len(name) == 1 and _DOTTED.match(name[0][2]):
        name = []  # "Treasury Department": the run is an institution; "U.S.", "U.N.": a country or a body
    if not name:
        org = [t for t in whole if not _possessive(t[2])]
        while len(org) > 1 and org[0][2].lower() in ("former", "acting", "u.s.", "us"):
            org.pop(0)
        if org and (any(t[2].lower().rstrip(".") in ORG_WORDS for t in org)
                    or len(org) == 1 and _DOTTED.match(org[0][2])):
            start, end = org[0][0], org[-1][1]
            return Speaker(start, end, text[start:end], "", "organization", toks[0][0], toks[-1][1])
        return None
    if document or len(name) == 1 and name[0][2].lower() in _DETERMINERS:
        return None  # "a Trump statement": only an institution's document names it; "Another yell of": no one
    start, end = name[0][0], name[-1][1]
    role = text[toks[0][0]:start].strip()
    if role.lower().rstrip(".") in ("mr", "mrs", "ms", "miss"):
        role = ""  # an honorific is not a role
    return Speaker(start, end, text[start:end], role, "person", toks[0][0], toks[-1][1])


def _trailing_run(toks: list[tuple[int, int, str]]):
    """Yield the trailing run of capitalised tokens (possessives and particles inside), in order."""
    run: list[tuple[int, int, str]] = []
    for tok in reversed(toks):
        if _capitalised(tok[2]) or (tok[2].lower() in _PARTICLES and run):
            run.insert(0, tok)
        else:
            break
    yield from run


# Runs of capitalised words and honorifics. Both begin with a literal capital and check the character
# before it by a look-behind taken after it, so the engine skips to the next capital (or "M") instead of
# trying a leading look-behind or word boundary at every character: the same matches and groups as
# r"(?<![\w’'])(?:[A-Z][\w’'-]*\.?\s+){0,4}[A-Z][\w’'-]*[A-Za-z]" (2.3x faster) and
# r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w’'-]*\s+){0,2}([A-Z][\w’'-]*[A-Za-z])" (25x), compared on
# every text of abp-2013 (raw and cleaned, and the headlines) and in tests/test_quotes.py.
_RUN = re.compile(r"[A-Z](?<![\w’'][A-Z])(?:[\w’'-]*\.?\s+[A-Z]){0,4}[\w’'-]*[A-Za-z]")
_HONORIFIC = re.compile(r"(M(?<!\wM)(?:r|rs|s|iss))\.?\s+(?:[A-Z][\w’'-]*\s+){0,2}([A-Z][\w’'-]*[A-Za-z])")
_SAID_PRONOUN = re.compile(r"([A-Z][\w’'-]*[A-Za-z])(?:,[^,.]{1,40},)?\s+(?:also\s+)?(?:said|says|added|told \w+)"
                           r"\s+(?:that\s+)?(he|she)\b")


def article_people(text: str) -> tuple[dict[str, str], dict[str, str]]:
    """Return ({surname: full name}, {surname: "f" or "m"}) for the people an article names.

    A surname maps to the first full name (two to four capitalised words, titles cut) in the
    article that ends with it, when only one full name does. Gender comes from honorifics
    (Mr. / Mrs., Ms., Miss) and from "X said she / he ..."; a surname seen with both is left
    out. O(text): three regular-expression scans (the honorifics' only in a text that holds
    "Mr", "Ms" or "Miss"), and a few operations per run of capitalised words.

    Examples
    --------
    >>> full, gender = article_people("Sen. Ted Cruz won. Mrs. Clinton said she was glad. Cruz said he was too.")
    >>> full["Cruz"], gender["Clinton"], gender["Cruz"]
    ('Ted Cruz', 'f', 'm')
    """
    full: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for m in _RUN.finditer(text):
        words = m.group(0).split()
        if len(words) < 2:
            continue  # one word (two in three runs) is no full name, whatever is cut from it
        while words and (words[0].lower() in TITLE_WORDS or words[0].lower().rstrip(".") in TITLE_WORDS
                         or _possessive(words[0])):
            words.pop(0)
        if not 2 <= len(words) <= 4 or any(w.lower().rstrip(".") in TITLE_WORDS or _possessive(w) or
                                           w.lower() in ORG_WORDS for w in words):
            continue
        name = " ".join(words)
        full.setdefault(words[-1], set()).add(name)
        first.setdefault(words[-1], name)
    names = {s: first[s] for s, v in full.items() if len({n.split()[0] for n in v}) == 1}
    seen: dict[str, set[str]] = {}
    for m in _HONORIFIC.finditer(text) if "Mr" in text or "Ms" in text or "Miss" in text else ():
        seen.setdefault(m.group(2), set()).add("m" if m.group(1) == "Mr" else "f")
    for m in _SAID_PRONOUN.finditer(text):
        seen.setdefault(m.group(1), set()).add("m" if m.group(2) == "he" else "f")
    gender = {s: g.pop() for s, g in seen.items() if len(g) == 1}
    return names, gender
