"""Read name candidates from text: capitalised runs cut into names, with what surrounds each.

The first half of :func:`analysis.entities.propose_entities`: each sentence on its own gives its
candidate names and the evidence of one use (after a title, before "said", after "in" or "the",
in a list...), given the corpus's common words (:func:`_common_words`). :mod:`~analysis.entities.propose`
merges the variants and types the names. The word lists here are shared by both.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from analysis.entities.aliases import _key as _fold_key

__all__ = ["ORG_WORDS", "OTHER_WORDS", "PERSON_TITLES", "PLACE_WORDS"]
# The per-token caches below are emptied after each call of propose_entities (:func:`clear_caches`):
# they kept their last entries in the process after it (253,058 at 10,000 generated articles). Unbounded
# during the call they missed less (_key: 230,815 misses against 507,601) but took more CPU time
# (34.6 against 31.4 s, best of two each), so they stay bounded.
CACHE_SIZE = 1 << 16
_key = lru_cache(maxsize=CACHE_SIZE)(_fold_key)  # the same tokens come back all through a corpus

# --- name tokens ------------------------------------------------------------------------
_CAP = r"[^\W\d_a-z]"  # an upper-case (or title-case) letter, accents included
# abbreviations written with a final dot that belong to a name run ("Sen. Ted Cruz", "Ed Jr.")
_ABBREV = (r"(?:Mrs|Mr|Ms|Mmes|Dr|Sens|Sen|Reps|Rep|Govs|Gov|Gens|Gen|Lt|Col|Sgt|Capt|Adm|Cmdr|Rev|Prof|Atty|"
           r"Supt|Jr|Sr|St)\.")
# (an Arabic article written in lower case and hyphenated belongs to the name: "Anwar al-Awlaki")
_TOKEN = (rf"(?:{_ABBREV}|(?:{_CAP}\.){{2,4}}|{_CAP}\.(?=[ \t\u00a0]+{_CAP})"
          rf"|(?:al-|el-)?{_CAP}[^\W\d_]*(?:['’‐‑-][^\W\d_]+)*)")
_CONNECT = r"(?:of|de|del|la|los|las|da|do|dos|van|von|der|al|bin)"  # inside names only
_SP = r"[ \t\u00a0]+"  # a run never crosses a line break (captions, furniture lines)
_SEQ = re.compile(rf"(?<![@#\w./]){_TOKEN}(?:{_SP}(?:{_CONNECT}{_SP})?{_TOKEN})*")
# in ASCII text the re.ASCII forms find the same runs (\w, \W and \d mean the same there; no \s in
# _SEQ or _SHOUT_HINT) a third faster: sre tests ASCII classes without Unicode look-ups
_SEQ_ASCII = re.compile(_SEQ.pattern, re.ASCII)
_PARTICLE_BEFORE = re.compile(r"(?:^|\s)(de|van|von|da|di|del|la|le)\s$")  # "de Blasio"

_ARTICLES = frozenset({"the", "a", "an"})
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec "
    "today tonight yesterday tomorrow".split())
_PARTY_TAG = re.compile(r"^[RDI]-[^\W\d_]{1,5}\.?$")  # "R-Ky.", "D-Calif", "R-AK": party and state
_DOTTED = re.compile(rf"^(?:{_CAP}\.){{2,4}}$")  # "U.S.", "F.B.I.": an acronym, never part of a name
# "PelosiMnuchin", "TrumpHealth", "CNNOpinion": link text glued to a name by a scraper
_GLUED = re.compile(r"[a-zà-ÿ]{3,}[A-Z]|^[A-Z]{3,}(?=[a-z]{2})")
_POSSESSIVE = re.compile(r"['’]s?$")
# a compound modifier: "Iran-backed", "Sunni-led", "Hamas-run", "Bible-believing", "Todd Akin-style";
# not a hyphenated given name ("Ban Ki-moon", "Hyung-jin Kim", "Lee Myung-bak")
_MODIFIER = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*-(?:[a-z]+ed|[a-z]{2,}ing|run|led|style|like|type|level|esque|"
                       r"centric|heavy|friendly|free|wide)$")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

# Titles and roles written before a name; a name run is cut after the last of them
# ("Former Arkansas Governor Mike Huckabee" -> "Mike Huckabee", title "Former Arkansas Governor").
# PERSON_TITLES prove that what follows is a person; descriptors (party) only are cut.
PERSON_TITLES = frozenset(
    "president vice senator sen. sens. rep. reps. representative congressman congresswoman governor gov. "
    "govs. mayor secretary speaker leader whip chairman chairwoman chair director commissioner ambassador "
    "minister chancellor premier judge justice attorney general gen. gens. adm. admiral col. colonel sgt. "
    "capt. captain lt. lieutenant officer chief pope king queen prince princess mr. mrs. ms. mmes. miss dr. "
    "rev. rabbi bishop cardinal sheriff detective professor prof. ceo spokesman spokeswoman spokesperson "
    "laureate moderator host anchor nominee pastor treasurer comptroller auditor commander superintendent "
    "supt. trooper agent coach lawmaker strategist analyst economist correspondent columnist "
    "adviser advisor then-senator then-sen. then-president then-governor then-gov. then-rep. cmdr. atty. "
    "mr mrs ms dr sen rep gov gen".split())
_DESCRIPTORS = frozenset("former republican republicans democrat democratic gop independent "
                         "liberal conservative then".split())
# Words that make a name an organisation or a place (checked on every token of the name).
ORG_WORDS = frozenset(
    "ministry department dept bureau institute institution party university college school agency council "
    "administration government committee commission bank company corp corporation inc llc ltd co group "
    "office house embassy army navy marines court congress senate parliament union association foundation forces "
    "news times post journal tribune herald gazette magazine press network channel radio tv television "
    "daily telegraph examiner chronicle courier dispatch bulletin "
    "airlines airline airways motors center centre hospital clinic church caucus convention coalition "
    "fund reserve board authority service services campaign organization organisation club league "
    "republicans democrats republican democratic gop federation alliance trust society project "
    "initiative program programme act bill law".split())
# Words that make a capitalised run an event, award or date, not a name ("Election Day", "Bronze Star").
OTHER_WORDS = frozenset("day days week weekend night eve summit debate war star medal award awards prize cup "
                        "games olympics series season era marathon".split())
PLACE_WORDS = frozenset("county city state states island islands river street avenue valley beach mountain "
                        "mountains lake bay coast county's province district harbor harbour park airport "
                        "square road heights falls springs drive lane boulevard capitol".split())
_PREP_PLACE = frozenset("in across throughout near outside at".split())
_GIVEN_NAME_WORDS = frozenset({"bill"})  # organisation words that are also first names, read as such when first
# first words of place names that are not first names ("North Korea", "New Hampshire", "El Centro")
_PLACE_HEADS = frozenset("north south east west northern southern eastern western new san santa los las el "
                         "fort port saint mount cape upper lower greater".split())
_SAID = re.compile(r"^[\s,]*(?:(?:\d{1,3})\s*,\s*)?(?:said|says|told|added|asked|wrote|explained|noted|"
                   r"argued|insisted|replied|stated|tweeted|recalled|acknowledged|declared|warned)\b")
_AGE = re.compile(r"^\s*,\s*\d{1,3}\s*[,.]")  # "Cruz, 45, said"
# "said X", "according to X": r"\b(?:said|says|according to)\s*$" before the name, matched on the
# reversed text at its start (O(match), not a search from every position of the 40 characters)
_SAID_BEFORE_REV = re.compile(r"\s*(?:dias|syas|ot gnidrocca)\b")
_MODIFIED = re.compile(r"^(?:['’]s?\b|\s+(?!(?:is|was|has|had|have|are|were|will|would|could|can|may|"
                       r"might|must|should|said|says|and|or|but|to|of|in|on|at|for|with|by|from|that|which|"
                       r"who|as|after|before|since|during|than|where|when|"
                       # a pronoun or an adverb of time after the name starts a clause ("in Sandy Hook
                       # we should", "at Sandy Hook last December"): the name modifies nothing
                       r"we|he|she|they|i|you|it|its|their|his|her|last|this|next|earlier|later|then|now|"
                       r"today|yesterday|tonight|ago|because|if|so|not|also|while|until|though|although)\b)"
                       r"(?![a-z]+ed\b)[a-z])")
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|to\s+)$")
_HEADLINE_SHARE = 0.7  # a sentence with this share of capitalised words (>= 6 words) is a title line
# three words in capitals in a row (or "A"/"I" after the first): a cheap first look for
# _shouting_spans that never misses a run it would find (it may find one that is not)
_SHOUT_HINT = re.compile(r"[^\W\d_a-z]{2,}[\W\d_]+(?:[^\W\d_a-z]{2,}|[AI])[\W\d_]+(?:[^\W\d_a-z]{2,}|[AI])"
                         r"(?![^\W\d_])")
_SHOUT_HINT_ASCII = re.compile(_SHOUT_HINT.pattern, re.ASCII)
# the word just before a name: r"([^\W\d_]+)\W*$", matched on the reversed text at its start
_PREV_WORD_REV = re.compile(r"\W*([^\W\d_]+)")
_NUMBER_AFTER = re.compile(r"\s+\d")  # "Hide Caption 3 of 10"
_INITIAL = re.compile(r"[^\W\d_]\.")  # a middle initial: "M."
_FURNITURE_WORDS = 8  # a line this short with no sentence end is page furniture or a pasted headline
_CREDIT = re.compile(r"/|\bby\b|\b(?:Photo|Photos|Credit|Image)\b")  # ... unless it credits someone


@dataclass(slots=True)
class _Evidence:
    """Counts of what surrounds one surface form in the corpus."""

    n: int = 0
    titled: int = 0  # after a person title ("Sen.", "Mr.", "Governor")
    said: int = 0  # before "said", after "said"/"according to", before ", 45,"
    the: int = 0  # after "the"
    prep: int = 0  # after "in", "from", "at"...
    inside: int = 0  # not at the start of a sentence
    initialled: int = 0  # with a middle initial ("William M. Welch"): a person's name
    numbered: int = 0  # followed by a number ("Hide Caption 3 of 10"): furniture, not a name
    furniture: int = 0  # in a short line with no sentence end ("Sign up for Daily Newsletters")
    titles: Counter | None = None  # title written before it -> count (None: none yet)
    neighbours: Counter | None = None  # names beside it in a list ("A, B and C")

    def add(self, other: _Evidence) -> None:
        self.n += other.n
        self.titled += other.titled
        self.said += other.said
        self.the += other.the
        self.prep += other.prep
        self.inside += other.inside
        self.numbered += other.numbered
        self.furniture += other.furniture
        self.initialled += other.initialled
        if other.titles:  # in place: a frequent name adds thousands of times
            if self.titles is None:
                self.titles = Counter(other.titles)
            else:
                self.titles.update(other.titles)
        if other.neighbours:
            if self.neighbours is None:
                self.neighbours = Counter(other.neighbours)
            else:
                self.neighbours.update(other.neighbours)


_TITLE_PREFIXES = frozenset("ex vice deputy under prime".split())  # "Ex-Senator", "Vice-President"


@lru_cache(maxsize=CACHE_SIZE)  # the same title words come back all through a corpus
def _is_title(tok: str) -> bool:
    """Tell whether a token is a title or role, hyphenated ones included ("Secretary-General").

    A hyphenated token is a title when every part is a title word or a prefix such as "Vice",
    so "Secretary-General" and "Vice-President" are, "King-Smith" is not.
    """
    low = tok.lower()
    if low in PERSON_TITLES:
        return True
    return "-" in low and all(p in PERSON_TITLES or p in _TITLE_PREFIXES for p in low.split("-"))


_TITLE_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")


def _title_case_line(text: str, stop: frozenset[str], rough: list[str] | None = None) -> bool:
    """Tell whether a sentence is a headline-like line in title case ("Brett Kavanaugh Sworn In As ...").

    Most of its words are capitalised, function words too ("In", "As"; not "The", which
    starts names of papers): a credit line ("Contributing: David Jackson in Washington")
    is not one. `rough` is ``text.split()`` when the caller has it already. O(characters).
    """
    rough = text.split() if rough is None else rough  # a cheap first look: most sentences stop here
    if len(rough) < 6 or sum(1 for w in rough if w[:1].isupper()) < 0.5 * len(rough):
        return False
    words = _TITLE_WORD.findall(text)
    if len(words) < 6:
        return False
    caps = sum(1 for w in words[1:] if w[0].isupper())
    if caps / (len(words) - 1) < _HEADLINE_SHARE:
        return False  # (the share first: the function-word scan is the dearer test)
    return any(w[0].isupper() and not w.isupper() and w.lower() in stop for w in words[1:])


@lru_cache(maxsize=CACHE_SIZE)  # the same tokens come back all through a corpus
def _token_facts(tok: str) -> tuple[str, bool, bool, bool, str | None, bool]:
    """Return what :func:`_segments` asks of one token, which depends on the token alone.

    (folded key without final dots, a calendar word or party tag, a dotted acronym, in
    capitals (two letters or more), the head a scraper glued to it ("" when glued at its
    start, None when not glued), whether it ends in a possessive). O(token's length).
    """
    bare = tok.rstrip(".")
    low = _key(bare)
    g = _GLUED.search(tok)
    return (low, low in _CALENDAR or bool(_PARTY_TAG.match(tok)), bool(_DOTTED.match(tok)),
            bare.isupper() and len(bare) > 1 and bare.isalpha(),
            None if g is None else (tok[:g.end() - 1] if g.start() else ""),
            bool(_POSSESSIVE.search(tok) and tok[-1] in "s'’" and len(tok) > 2 and tok[-2] in "'’"
                 or tok.endswith(("'", "’"))))


def _segments(tokens: list[str], stop: frozenset[str]) -> list[tuple[int, int]]:
    """Cut a capitalised run at calendar words, party tags, acronyms, shouted and glued tokens.

    Returns (first, last + 1) token index pairs of the pieces that may hold a name.
    O(tokens); what each token is (:func:`_token_facts`) is cached.
    """
    mixed = any(not t.isupper() for t in tokens if t[0].isalpha() and len(t) > 1)
    out, begin = [], 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        low, cut_here, dotted, shouted, glued, possessive = _token_facts(tok)
        if cut_here:
            pass
        elif dotted or (mixed and shouted):
            # an acronym ("U.S.", "CNN") or a shouted word ("UNLESS", "IS") stands alone
            if i > begin:
                out.append((begin, i))
            if low not in stop and not (mixed and len(tokens) > 1 and low in stop):
                out.append((i, i + 1))
            begin = i + 1
            i += 1
            continue
        elif glued is not None:
            # "Nancy Pelosi Nancy PelosiMnuchin": keep the run up to the first copy of the glued head
            prev = [j for j in range(begin, i) if tokens[j] == glued]
            end = prev[0] + 1 if prev else i
            if end > begin:
                out.append((begin, end))
            return out
        elif i > begin and low in _ARTICLES and tok[0].isupper():
            out.append((begin, i))  # "House The Hill": an article starts a new name
            begin = i
        elif i > begin and tok[0].isupper() and len(low) > 1 and low in stop and low not in _ARTICLES:
            # a capitalised function word inside a run: a title-case line ("Sworn In As"): drop it all
            return []
        if cut_here:
            if i > begin:
                out.append((begin, i))
            begin = i + 1
        elif possessive:
            out.append((begin, i + 1))  # "Obama’s Iowa juggernaut": a possessive ends the name
            begin = i + 1
        i += 1
    if begin < len(tokens):
        out.append((begin, len(tokens)))
    return out


def _clean_segment(toks: list[str], stop: frozenset[str], common: frozenset[str], initial: bool):
    """Return (name tokens, title, after_the) of one segment, or None when nothing is left."""
    after_the = False
    while toks and (toks[0].islower() or _MODIFIER.match(toks[0]) and len(toks) > 1):
        toks = toks[1:]  # "Chicago-based United", "Iran-backed Hezbollah": a compound modifier
    while toks and (_key(toks[0]) in _ARTICLES or _key(toks[0]) in stop and not _is_title(toks[0])
                    or initial and _key(toks[0]) in common and not _is_title(toks[0])
                    or _MODIFIER.match(toks[0]) and len(toks) > 1):
        after_the = after_the or _key(toks[0]) == "the"
        toks = toks[1:]  # "The US"; "When Donald Trump"; sentence-initial common words ("Meanwhile")
        initial = False
    last_title = next((i for i in range(len(toks) - 1, -1, -1) if _is_title(toks[i])), -1)  # from the end
    title = ""
    if last_title >= 0:
        whole = toks
        toks = toks[last_title + 1:]
        while len(toks) > 1 and toks[0] in {"of", "for"}:  # "Secretary of State Hillary Clinton"
            toks = toks[2:]
        title = " ".join(whole[:len(whole) - len(toks)])
    else:
        lead = 0
        while lead < len(toks) - 2 and _key(toks[lead]) in _DESCRIPTORS:
            lead += 1  # "Republican John Kasich"; not "Republican Party" (kept whole, 2 tokens)
        if lead and not any(_key(t) in ORG_WORDS for t in toks[lead:]):
            title = " ".join(toks[:lead])
            toks = toks[lead:]
    while toks and (_key(toks[-1]) in _SUFFIXES or toks[-1].islower() or _MODIFIER.match(toks[-1])):
        toks = toks[:-1]  # "Karl Rove-backed"
    if toks:
        toks = toks[:-1] + [_POSSESSIVE.sub("", toks[-1])]
    toks = [t for t in toks if t]
    if not toks:
        return None
    return toks, title, after_the


_LETTERS = re.compile(r"[^\W\d_]+")
_SHOUT_RUN = 3  # this many all-caps words in a row is shouting, not names ("NO MORE OIL")


def _shouting_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans of runs of three or more all-caps words ("NO MORE OIL ... ZERO")."""
    words = list(_LETTERS.finditer(text))
    spans, run = [], []
    for w in words + [None]:
        if w is not None and (w.group().isupper() and len(w.group()) > 1 or run and w.group() in {"A", "I"}):
            run.append(w)
            continue
        if len(run) >= _SHOUT_RUN:
            spans.append((run[0].start(), run[-1].end()))
        run = []
    return spans


def _split_of(toks: list[str], common: frozenset[str] = frozenset()) -> list[list[str]]:
    """Split "Jeanne Shaheen of New Hampshire" at "of", unless the words say it is one organisation or place.

    Not split either when the part after "of" is ordinary words the corpus writes in lower case
    ("Provisional Rules of Procedure").
    """
    words = {_key(t) for t in (toks[1:] if _key(toks[0]) in _GIVEN_NAME_WORDS else toks)}  # "Bill Frist of ..."
    if "of" not in toks or words & (ORG_WORDS | PLACE_WORDS):
        return [toks]
    tail = toks[len(toks) - toks[::-1].index("of"):]
    if tail and all(_key(t) in common for t in tail):
        return [toks]
    parts, cur = [], []
    for t in toks:
        if t == "of":
            parts.append(cur)
            cur = []
        else:
            cur.append(t)
    parts.append(cur)
    return [x for x in parts if x]


def _pieces(tokens: tuple[str, ...], initial: bool, stop: frozenset[str], common: frozenset[str]):
    """Return the names one capitalised run gives, as ((name tokens, ...) per segment, title, after_the).

    A pure function of the run's tokens and whether it starts a sentence, so
    :func:`_candidates` memoises it: the same runs ("White House", "Obama") come back all
    through a corpus.
    """
    out = []
    for a, b in _segments(list(tokens), stop):
        cleaned = _clean_segment(list(tokens[a:b]), stop, common, initial and a == 0)
        if cleaned is None:
            out.append((a, None))
            continue
        all_toks, title, after_the = cleaned
        parts = []
        for part, toks in enumerate(_split_of(all_toks, common)):
            name = " ".join(toks)
            key = _key(name)
            skip = len(key) < 2 or key in common or key in _CALENDAR or bool(_PARTY_TAG.match(name))
            parts.append((part, toks, name, skip))
        out.append((a, (parts, title, after_the, len(all_toks))))
    return out


# the fields of one use of a name, as _candidates gives them (after name and title; see _Evidence)
USE_FIELDS = ("the", "prep", "titled", "said", "inside", "numbered", "furniture", "initialled")


def _run_names(run: str, initial: bool, stop: frozenset[str], common: frozenset[str]) -> tuple:
    """Return what one capitalised run gives wherever it stands, one tuple per name in it.

    Each tuple: (first, end) character offsets of the name in `run`, the name, the title
    written before it ("" if none), whether that title holds a person title, whether "the"
    led the segment, whether the name follows a full name and "of" ("Jeanne Shaheen of New
    Hampshire"), whether it is inside its sentence (not the first word of a sentence-initial
    run), whether it has a middle initial, whether it is its whole segment (for lists), and
    whether a particle before it may join it ("de Blasio"). A pure function of the run's
    text and of `initial`, so :func:`_candidates` memoises it per corpus. O(run's tokens).
    """
    tokens = run.split()
    starts, pos = [], 0
    for t in tokens:  # character offset of each token in the run
        pos = run.index(t, pos)
        starts.append(pos)
        pos += len(t)
    out = []
    for a, cleaned in _pieces(tuple(tokens), initial, stop, common):
        if cleaned is None:
            continue
        parts, title, after_the, n_all = cleaned
        seg_start = starts[a]
        seg_initial = initial and a == 0  # a later segment follows a word of the run: never initial
        cursor = seg_start
        for part, toks, name, skip in parts:
            first = run.index(toks[0], cursor)
            end = run.index(toks[-1], first) + len(toks[-1])
            cursor = end
            if skip:
                continue
            t_part = title if part == 0 else ""
            out.append((first, end, name, t_part, int(any(_is_title(t) for t in t_part.split())),
                        part == 0 and after_the, bool(part and len(parts[part - 1][1]) >= 2),
                        int(not (seg_initial and first == seg_start)),
                        int(len(toks) >= 3 and any(_INITIAL.fullmatch(t) for t in toks[1:-1])),
                        n_all == len(toks), not t_part and len(toks) == 1))
    return tuple(out)


def _candidates(text: str, stop: frozenset[str], common: frozenset[str], memo: dict | None = None) -> list[tuple]:
    """Return one tuple per use of a name candidate in one sentence, in the order of the text.

    Each tuple: (name, title, then the counts of :data:`USE_FIELDS` for this one use, 0 or
    1 each, then the merge keys of the names listed beside it, or None). `memo` (one dict
    per corpus) keeps what each capitalised run gives (:func:`_run_names`); a single word
    that gives nothing is skipped at once the next time.

    Notes
    -----
    O(characters of the sentence) for the regex passes, plus O(1) regex matches per name
    (the look-backs match the reversed 40 characters before the name at their start, the
    look-aheads the 60 characters after it); the per-run work (:func:`_pieces`) is paid
    once per distinct run and corpus. Independent of every other sentence given `stop`,
    `common` and the memo (which only caches).
    """
    memo = {} if memo is None else memo
    ascii_only = text.isascii()  # (O(1): CPython keeps the flag)
    # a single word that never gives a name ("The", "But"), whatever precedes it, is the
    # commonest run; a sentence with no other gives nothing, so its other tests are skipped
    runs = [m for m in (_SEQ_ASCII if ascii_only else _SEQ).finditer(text) if memo.get(m.group()) is not False]
    if not runs:
        return []
    rough = text.split()
    if _title_case_line(text, stop, rough):
        return []
    lead = len(text) - len(text.lstrip(" \t\"'“‘«(—–-"))
    last = rough[-1][-1:] if rough else ""
    furniture = int(len(rough) <= _FURNITURE_WORDS and last not in ".!?\"”’'"
                    and not _CREDIT.search(text))  # a photo credit names real people
    found = []
    shout = _shouting_spans(text) if (_SHOUT_HINT_ASCII if ascii_only else _SHOUT_HINT).search(text) else []
    for m in runs:
        ms = m.start()
        if shout and any(a <= ms < b for a, b in shout):
            continue
        run = m.group()
        # whether the run starts a sentence; only its first segment can (see _pieces)
        initial = ms == lead or text[max(0, ms - 8):ms].rstrip().endswith(("“", "‘", '"', ":", "—"))
        got = memo.get((run, initial))
        if got is None:
            got = memo[(run, initial)] = _run_names(run, initial, stop, common)
            if not got and " " not in run and "\t" not in run and "\u00a0" not in run:
                memo[run] = False  # gives nothing, whatever precedes it
        for first, end, name, t_part, titled, the_led, of_place, inside, initialled, whole, lone in got:
            first += ms
            end += ms
            left = text[max(0, first - 40):first]  # the words just before the name
            if lone:
                particle = _PARTICLE_BEFORE.search(left)
                if particle:
                    name = f"{particle.group(1)} {name}"  # "de Blasio said"
            after = text[end:end + 60]
            rev = left[::-1]
            # "the Obama administration", "in Obama's plan": the name modifies a noun, so
            # "the" and "in" say nothing about it
            if _MODIFIED.match(after):
                the = prep = 0
            else:
                prev_word = _PREV_WORD_REV.match(rev)
                prev_low = prev_word.group(1)[::-1] if prev_word else ""
                the = int(the_led or prev_low == "the" or prev_low == "The" and first - len("The ") == lead)
                prep = int(prev_low in _PREP_PLACE)
            if of_place:
                prep = 1  # "Jeanne Shaheen of New Hampshire": after a full name and "of", a place
            said = int(bool(_SAID.match(after) or _AGE.match(after) or _SAID_BEFORE_REV.match(rev)))
            numbered = int(bool(_NUMBER_AFTER.match(after)))
            found.append([name, t_part, the, prep, titled, said, inside, numbered, furniture, initialled,
                          None, first, end, whole])
    # "Alabama, Oklahoma and South Carolina": list neighbours. A list has three items or a
    # conjunction; two names with only a comma between are not one ("In Illinois, Rauner said").
    if len(found) > 1:
        gaps = [(_LIST_GAP.match(text[found[i][12]:found[i + 1][11]]) if found[i][13] and found[i + 1][13]
                 else None) for i in range(len(found) - 1)]
        i = 0
        while i < len(gaps):
            if gaps[i] is None:
                i += 1
                continue
            j = i
            while j + 1 < len(gaps) and gaps[j + 1] is not None:
                j += 1  # gaps i..j link items i..j+1 into one chain
            if j > i or gaps[i].group().strip() != ",":
                for k in range(i, j + 1):
                    a, b = found[k], found[k + 1]
                    a[10] = (a[10] or []) + [_merge_key(b[0])]
                    b[10] = (b[10] or []) + [_merge_key(a[0])]
            i = j + 1
    return [tuple(f[:11]) for f in found]


_WORD = re.compile(r"(?<![\w’'@./])[^\W\d_]+")  # (x+, not xx*: the same words, a third faster)


_WORD_ASCII = re.compile(_WORD.pattern, re.ASCII)  # the same words in ASCII text, found faster


TEXT_BLOCK = 4096  # sentences read (and joined) at once: memory independent of the corpus


def _common_words(texts) -> tuple[frozenset[str], frozenset[str]]:
    """Return the words the corpus writes in lower case at least as often as capitalised mid-sentence.

    "meanwhile" is common; "brown" written once in lower case but five times as "Brown" is
    not, nor "david" seen only in an e-mail address. Also returns every word seen in lower
    case at all. `texts` is a list of sentence texts, or anything with ``len`` whose slices
    are such lists (:mod:`~analysis.entities.propose` reads a sentence column block by
    block). One regex pass per block of :data:`TEXT_BLOCK` sentences over their joined text,
    counted by ``Counter`` (O(characters) time; memory O(distinct words + one block), where
    one join and ``findall`` of the whole corpus held a Python string per word of it:
    153 MB at 4,142 articles); ASCII sentences are read with the ``re.ASCII`` form of the
    same pattern, which finds the same words there (no ``\\s`` in it) about a third faster.
    The counts equal one pass over the whole text: a word never spans the line break
    between two sentences, and the start of a block is a word start as the break is.
    """
    words: Counter = Counter()
    initial: Counter = Counter()  # a sentence's first word
    for i in range(0, len(texts), TEXT_BLOCK):
        block = texts[i:i + TEXT_BLOCK]
        words.update(_WORD_ASCII.findall("\n".join([t for t in block if t.isascii()])))
        words.update(_WORD.findall("\n".join([t for t in block if not t.isascii()])))
        initial.update(m.group() for m in map(_WORD.match, block) if m)
    low: Counter = Counter()
    cap: Counter = Counter()
    for w, n in words.items():
        if w[0].islower():
            low[w.lower()] += n
        else:
            cap[w.lower()] += n - initial.get(w, 0)
    return frozenset(_key(w) for w, n in low.items() if n >= cap.get(w, 0)), frozenset(_key(w) for w in low)


@lru_cache(maxsize=CACHE_SIZE)
def _merge_key(name: str) -> str:
    """Return the key that merges variants: folded, hyphens as spaces, initials dropped."""
    toks = _key(name).replace("-", " ").split()
    kept = [t for t in toks if not (len(t) == 2 and t[1] == "." and t[0].isalpha())]
    return " ".join(kept or toks)


def clear_caches() -> None:
    """Empty the per-token caches of this module.

    :func:`_key`, :func:`_is_title`, :func:`_token_facts` and :func:`_merge_key`:
    :func:`analysis.entities.propose_entities` calls it when it returns, so the strings of
    one corpus are not kept after its proposals are made.

    Notes
    -----
    O(entries).
    """
    for cached in (_key, _is_title, _token_facts, _merge_key):
        cached.cache_clear()
