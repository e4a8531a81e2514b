"""Propose entities from a corpus without an alias file: names, their variants, their types.

The rules are measured on hand-labelled articles of the development corpora (see the
README's entities section and ``tests/data/entities_dev.yaml``), not on the bundled one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis import schema as S
from analysis.entities.aliases import ALIAS_COLUMNS, ALIAS_KIND, COUNT, ENTITY, TITLE
from analysis.entities.aliases import _key as _fold_key

__all__ = ["propose_entities"]
_key = lru_cache(maxsize=1 << 16)(_fold_key)  # the same tokens come back all through a corpus

# --- name tokens ------------------------------------------------------------------------
_CAP = r"[^\W\d_a-z]"  # an upper-case (or title-case) letter, accents included
# abbreviations written with a final dot that belong to a name run ("Sen. Ted Cruz", "Ed Jr.")
_ABBREV = (r"(?:Mrs|Mr|Ms|Mmes|Dr|Sens|Sen|Reps|Rep|Govs|Gov|Gens|Gen|Lt|Col|Sgt|Capt|Adm|Cmdr|Rev|Prof|Atty|"
           r"Supt|Jr|Sr|St)\.")
_TOKEN = (rf"(?:{_ABBREV}|(?:{_CAP}\.){{2,4}}|{_CAP}\.(?=[ \t\u00a0]+{_CAP})"
          rf"|{_CAP}[^\W\d_]*(?:['’‐‑-][^\W\d_]+)*)")
_CONNECT = r"(?:of|de|del|la|los|las|da|do|dos|van|von|der|al|bin)"  # inside names only
_SP = r"[ \t\u00a0]+"  # a run never crosses a line break (captions, furniture lines)
_SEQ = re.compile(rf"(?<![@#\w./]){_TOKEN}(?:{_SP}(?:{_CONNECT}{_SP})?{_TOKEN})*")
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
    "then-senator then-sen. then-president then-governor then-gov. then-rep. cmdr. atty. "
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
# the word just before a name: r"([^\W\d_]+)\W*$", matched on the reversed text at its start
_PREV_WORD_REV = re.compile(r"\W*([^\W\d_]+)")
_NUMBER_AFTER = re.compile(r"\s+\d")  # "Hide Caption 3 of 10"
_INITIAL = re.compile(r"[^\W\d_]\.")  # a middle initial: "M."
_FURNITURE_WORDS = 8  # a line this short with no sentence end is page furniture or a pasted headline
_CREDIT = re.compile(r"/|\bby\b|\b(?:Photo|Photos|Credit|Image)\b")  # ... unless it credits someone
_DOMINANT = 3.0  # a shared surname goes to a full name mentioned this many times more than the next
_MIN_SHARE_PLACE = 0.25  # this share of "in/from X" or "the X" uses makes a name a place/organisation


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


def _is_title(tok: str) -> bool:
    """Tell whether a token is a title or role, hyphenated ones included ("Secretary-General").

    A hyphenated token is a title when every part is a title word or a prefix such as "Vice",
    so "Secretary-General" and "Vice-President" are, "King-Smith" is not.
    """
    low = tok.lower()
    if low in PERSON_TITLES:
        return True
    return "-" in low and all(p in PERSON_TITLES or p in _TITLE_PREFIXES for p in low.split("-"))


def _title_case_line(text: str, stop: frozenset[str]) -> bool:
    """Tell whether a sentence is a headline-like line in title case ("Brett Kavanaugh Sworn In As ...").

    Most of its words are capitalised, function words too ("In", "As"; not "The", which
    starts names of papers): a credit line ("Contributing: David Jackson in Washington")
    is not one.
    """
    rough = text.split()  # a cheap first look: most sentences stop here
    if len(rough) < 6 or sum(1 for w in rough if w[:1].isupper()) < 0.5 * len(rough):
        return False
    words = re.findall(r"[^\W\d_][^\W\d_'’-]*", text)
    if len(words) < 6:
        return False
    caps = sum(1 for w in words[1:] if w[0].isupper())
    function = any(w[0].isupper() and not w.isupper() and w.lower() in stop for w in words[1:])
    return function and caps / (len(words) - 1) >= _HEADLINE_SHARE


def _segments(tokens: list[str], stop: frozenset[str]) -> list[tuple[int, int]]:
    """Cut a capitalised run at calendar words, party tags, acronyms, shouted and glued tokens.

    Returns (first, last + 1) token index pairs of the pieces that may hold a name.
    """
    mixed = any(not t.isupper() for t in tokens if t[0].isalpha() and len(t) > 1)
    out, begin = [], 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        bare = tok.rstrip(".")
        low = _key(bare)
        cut_here = False
        if low in _CALENDAR or _PARTY_TAG.match(tok):
            cut_here = True
        elif _DOTTED.match(tok) or (mixed and bare.isupper() and len(bare) > 1 and bare.isalpha()):
            # an acronym ("U.S.", "CNN") or a shouted word ("UNLESS", "IS") stands alone
            if i > begin:
                out.append((begin, i))
            if low not in stop and not (mixed and len(tokens) > 1 and low in stop):
                out.append((i, i + 1))
            begin = i + 1
            i += 1
            continue
        elif _GLUED.search(tok):
            # "Nancy Pelosi Nancy PelosiMnuchin": keep the run up to the first copy of the glued head
            g = _GLUED.search(tok)
            head_word = tok[:g.end() - 1] if g.start() else ""
            prev = [j for j in range(begin, i) if tokens[j] == head_word]
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
        elif _POSSESSIVE.search(tok) and tok[-1] in "s'’" and len(tok) > 2 and tok[-2] in "'’" \
                or tok.endswith(("'", "’")):
            out.append((begin, i + 1))  # "Obama’s Iowa juggernaut": a possessive ends the name
            begin = i + 1
        i += 1
    if begin < len(tokens):
        out.append((begin, len(tokens)))
    return out


def _clean_segment(toks: list[str], stop: frozenset[str], common: frozenset[str], initial: bool):
    """Return (name tokens, title, after_the) of one segment, or None when nothing is left."""
    after_the = False
    while toks and (toks[0].islower() or toks[0].endswith(("-based", "-born"))):  # "Chicago-based United"
        toks = toks[1:]
    while toks and (_key(toks[0]) in _ARTICLES or _key(toks[0]) in stop and not _is_title(toks[0])
                    or initial and _key(toks[0]) in common and not _is_title(toks[0])):
        after_the = after_the or _key(toks[0]) == "the"
        toks = toks[1:]  # "The US"; "When Donald Trump"; sentence-initial common words ("Meanwhile")
        initial = False
    last_title = max((i for i, t in enumerate(toks) if _is_title(t)), default=-1)
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
    while toks and (_key(toks[-1]) in _SUFFIXES or toks[-1].islower()):
        toks = toks[:-1]
    if toks:
        toks = toks[:-1] + [_POSSESSIVE.sub("", toks[-1])]
    toks = [t for t in toks if t]
    if not toks:
        return None
    return toks, title, after_the


_SHOUT_RUN = 3  # this many all-caps words in a row is shouting, not names ("NO MORE OIL")


def _shouting_spans(text: str) -> list[tuple[int, int]]:
    """Return the character spans of runs of three or more all-caps words ("NO MORE OIL ... ZERO")."""
    words = list(re.finditer(r"[^\W\d_]+", text))
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
    if "of" not in toks or {_key(t) for t in toks} & (ORG_WORDS | PLACE_WORDS):
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


def _candidates(text: str, stop: frozenset[str], common: frozenset[str], memo: dict | None = None):
    """Yield (name, title, evidence-of-one) for each name candidate in one sentence.

    `memo` (one dict per corpus) keeps what each capitalised run gives (:func:`_pieces`).
    """
    if _title_case_line(text, stop):
        return
    memo = {} if memo is None else memo
    lead = len(text) - len(text.lstrip(" \t\"'“‘«(—–-"))
    line = text.rstrip()
    furniture = int(len(line.split()) <= _FURNITURE_WORDS and line[-1:] not in ".!?\"”’'"
                    and not _CREDIT.search(line))  # a photo credit names real people
    found = []  # (name, title, evidence, first, end)
    shout = _shouting_spans(text) if _SHOUT_HINT.search(text) else []
    for m in _SEQ.finditer(text):
        if shout and any(a <= m.start() < b for a, b in shout):
            continue
        tokens = tuple(m.group().split())
        if len(tokens) == 1 and tokens[0] in memo and memo[tokens[0]] is None:
            continue  # a single word that never gives a name ("The", "But"): the commonest case
        pos, starts = m.start(), []
        for t in tokens:  # character offset of each token
            pos = text.index(t, pos)
            starts.append(pos)
            pos += len(t)
        # whether each segment starts a sentence; only the first segment can (see _pieces)
        seg_start = starts[0]
        before = text[max(0, seg_start - 8):seg_start].rstrip()
        initial = seg_start == lead or before.endswith(("“", "‘", '"', ":", "—"))
        got = memo.get((tokens, initial))
        if got is None:
            got = memo[(tokens, initial)] = _pieces(tokens, initial, stop, common)
            if len(tokens) == 1 and all(c is None or all(p[3] for p in c[0]) for _, c in got):
                memo[tokens[0]] = None  # gives nothing, whatever precedes it
        for a, cleaned in got:
            if cleaned is None:
                continue
            parts, title, after_the, n_all = cleaned
            seg_start = starts[a]
            seg_initial = initial and a == 0  # a later segment follows a word of the run: never initial
            cursor = seg_start
            for part, toks, name, skip in parts:
                first = text.index(toks[0], cursor)
                end = text.index(toks[-1], first) + len(toks[-1])
                cursor = end
                if skip:
                    continue
                t_part = title if part == 0 else ""
                left = text[max(0, first - 40):first]  # the words just before the name
                if not t_part and len(toks) == 1:
                    particle = _PARTICLE_BEFORE.search(left)
                    if particle:
                        name = f"{particle.group(1)} {name}"  # "de Blasio said"
                ev = _Evidence(n=1)
                after = text[end:end + 60]
                # "the Obama administration", "in Obama's plan": the name modifies a noun, so
                # "the" and "in" say nothing about it
                modifier = bool(_MODIFIED.match(after))
                rev = left[::-1]
                prev_word = _PREV_WORD_REV.match(rev)
                prev_low = prev_word.group(1)[::-1] if prev_word else ""
                if not modifier:
                    ev.the = int(part == 0 and after_the or prev_low == "the"
                                 or prev_low == "The" and first - len("The ") == lead)
                    ev.prep = int(prev_low in _PREP_PLACE)
                if part and len(parts[part - 1][1]) >= 2:
                    ev.prep = 1  # "Jeanne Shaheen of New Hampshire": after a full name and "of", a place
                if t_part:
                    ev.titled = int(any(_is_title(t) for t in t_part.split()))
                    ev.titles = Counter({t_part: 1})
                ev.said = int(bool(_SAID.match(after) or _AGE.match(after) or _SAID_BEFORE_REV.match(rev)))
                ev.inside = int(not (seg_initial and first == seg_start))
                ev.numbered = int(bool(_NUMBER_AFTER.match(after)))
                ev.furniture = furniture
                ev.initialled = int(len(toks) >= 3 and any(_INITIAL.fullmatch(t) for t in toks[1:-1]))
                found.append((name, t_part, ev, first, end, n_all == len(toks)))
    # "Alabama, Oklahoma and South Carolina": list neighbours. A list has three items or a
    # conjunction; two names with only a comma between are not one ("In Illinois, Rauner said").
    gaps = [(_LIST_GAP.match(text[found[i][4]:found[i + 1][3]]) if found[i][5] and found[i + 1][5] else None)
            for i in range(len(found) - 1)]
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
                a[2].neighbours = (a[2].neighbours or Counter()) + Counter({_merge_key(b[0]): 1})
                b[2].neighbours = (b[2].neighbours or Counter()) + Counter({_merge_key(a[0]): 1})
        i = j + 1
    for name, title, ev, *_ in found:
        yield name, title, ev


_WORD = re.compile(r"(?<![\w’'@./])[^\W\d_][^\W\d_]*")


def _common_words(texts) -> tuple[frozenset[str], frozenset[str]]:
    """Return the words the corpus writes in lower case at least as often as capitalised mid-sentence.

    "meanwhile" is common; "brown" written once in lower case but five times as "Brown" is
    not, nor "david" seen only in an e-mail address. Also returns every word seen in lower
    case at all. One regex pass over the joined text, counted by ``Counter`` (O(characters)).
    """
    words = Counter(_WORD.findall("\n".join(texts)))
    initial = Counter(m.group() for m in map(_WORD.match, texts) if m)  # a sentence's first word
    low: Counter = Counter()
    cap: Counter = Counter()
    for w, n in words.items():
        if w[0].islower():
            low[w.lower()] += n
        else:
            cap[w.lower()] += n - initial.get(w, 0)
    return frozenset(_key(w) for w, n in low.items() if n >= cap.get(w, 0)), frozenset(_key(w) for w in low)


def _merge_key(name: str) -> str:
    """Return the key that merges variants: folded, hyphens as spaces, initials dropped."""
    toks = _key(name).replace("-", " ").split()
    kept = [t for t in toks if not (len(t) == 2 and t[1] == "." and t[0].isalpha())]
    return " ".join(kept or toks)


def _word_type(key: str) -> str | None:
    """Return "organization" or "place" when a name's own words say so ("Party", "County", "CNN")."""
    toks = key.split()
    words = set(toks[1:]) if toks and toks[0] in _GIVEN_NAME_WORDS else set(toks)  # "Bill Clinton", not a bill
    if words & OTHER_WORDS:
        return "other"
    if words & ORG_WORDS:
        return "organization"
    if words & PLACE_WORDS:
        return "place"
    return None


def _shouted(surface: str) -> bool:
    """Tell whether a surface is written in capitals (an acronym: "CNN", "F.B.I.")."""
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _type_of(key: str, ev: _Evidence, common: frozenset[str], first_names: frozenset[str], *,
             spaced: bool = True) -> str:
    """Guess the type of a name without organisation or place words (see propose_entities Notes).

    `spaced` is False for a name only ever written with hyphens ("Hatch-Klobuchar"): a compound,
    not a first name and a surname.
    """
    toks = key.split() if spaced else [key]
    place_like = ev.prep + ev.the
    if ev.titled >= max(1.0, 0.5 * place_like) or ev.initialled > place_like:
        return "person"
    if place_like >= max(1.0, _MIN_SHARE_PLACE * ev.n):
        return "place" if ev.prep >= ev.the else "organization"
    if 2 * ev.numbered >= ev.n or len(toks) >= 2 and toks[0] not in first_names and all(t in common for t in toks):
        return "other"  # "Hide Caption 3", "Story Continued Below": ordinary words in title case
    if ev.furniture >= ev.n and not ev.said:
        return "other"  # only ever in furniture lines: "Sign up for Daily Newsletters", a pasted headline
    if len(toks) >= 2 and toks[0] in _PLACE_HEADS:
        return "place"  # "South Carolina", "New York", "El Centro": a place's first word, never a first name
    if ev.said and len(toks) >= 2:
        return "person"
    if 2 <= len(toks) <= 4 and (toks[0] in first_names or toks[-1] not in common):
        return "person"
    return "other"


def _first_names(groups: dict[str, Counter], common: frozenset[str], place_like: set[str]) -> frozenset[str]:
    """Return first tokens shared by two or more distinct two- or three-word names ("John", "Mike")."""
    seen: dict[str, set[str]] = defaultdict(set)
    for key in groups:
        toks = key.split()
        if 2 <= len(toks) <= 3 and _word_type(key) is None:  # "Washington Post" shows no first name
            seen[toks[0]].add(toks[-1])
    return frozenset(t for t, lasts in seen.items() if len(lasts) >= 2 and t not in common
                     and t not in place_like and len(t) > 2)


def _parents(keys: list[str], persons: set[str]) -> dict[str, list[str]]:
    """Map each key to the person keys it is the token tail of ("cruz" -> ["ted cruz"])."""
    by_tail: dict[tuple, list[str]] = defaultdict(list)
    for k in persons:
        toks = tuple(k.split())
        for i in range(1, len(toks)):
            by_tail[toks[i:]].append(k)
    return {k: sorted(by_tail[tuple(k.split())]) for k in keys if tuple(k.split()) in by_tail}


def _swapped_surnames(keys: list[str], persons: set[str]) -> dict[str, str]:
    """Map a one-word name to the one full name whose last word it is with two letters swapped.

    A typo of the writer's: "Priebus" beside "Reince Preibus" (the same article spells the name
    both ways). Only words of six letters or more, only two neighbouring letters swapped, and
    only when exactly one full name fits. O(keys x letters).
    """
    last: dict[str, list[str]] = defaultdict(list)
    for k in persons:
        last[k.split()[-1]].append(k)
    out = {}
    for k in keys:
        if " " in k or len(k) < 6 or k in last:
            continue
        fits = {p for i in range(len(k) - 1) if k[i] != k[i + 1]
                for p in last.get(k[:i] + k[i + 1] + k[i] + k[i + 2:], ())}
        if len(fits) == 1:
            out[k] = fits.pop()
    return out


def _pick(short: str, parents: list[str], totals: dict[str, int], titles: dict[str, Counter]) -> str | None:
    """Choose the one full name a shared surname belongs to, or None when the corpus does not say."""
    if len(parents) == 1:
        return parents[0]
    ranked = sorted(parents, key=lambda p: (-totals[p], p))
    if totals[ranked[0]] >= _DOMINANT * max(1, totals[ranked[1]]):
        return ranked[0]
    mine = {t.split()[-1].lower() for t in titles.get(short, ())}  # "President Trump" -> president
    if mine:
        agree = [p for p in parents if mine & {t.split()[-1].lower() for t in titles.get(p, ())}]
        if len(agree) == 1:
            return agree[0]
    return None


def propose_entities(sentences: pd.DataFrame, *, min_count: int = 1) -> pd.DataFrame:
    """Propose entities from capitalised names in the body text, merging their variants.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (needs ``sentence_text``): body text only. Headlines are not
        mined for names (title case makes every word look like one).
    min_count : int, default 1
        Keep entities mentioned at least this often (all variants together).

    Returns
    -------
    pandas.DataFrame
        One row per (entity, alias): ``entity``, ``type`` ("person", "organization",
        "place" or "other"), ``kind`` ("name" or "surname"), ``alias``, ``count``
        (occurrences of that surface form) and ``title`` (the title or role most often
        written before it, "" if none: "Sen.", "Former Arkansas Governor"). ``entity`` is
        the most frequent full form (ties: fewest initials, most accented letters, then
        alphabetical).
        Sorted by entity, kind, alias.

    Notes
    -----
    Candidates are runs of capitalised tokens (hyphens, apostrophes, accents, initials
    and abbreviations such as "Sen." included; particles such as "de" inside) on one
    line of one sentence. Each run is cut at weekday and month words ("Kavanaugh
    Friday"), party-state tags ("R-AK", "D-Calif."), acronyms and shouted words
    ("UNLESS Jeff Flake"), possessives, and words glued by a scraper
    ("PelosiMnuchin"); a run holding a capitalised function word ("Sworn In As") and a
    sentence whose words are mostly capitalised are title-case lines and give nothing.
    Leading articles and function words are dropped ("When Donald Trump"), and at the
    start of a sentence any word the corpus also writes in lower case ("Meanwhile").
    Titles and roles are cut after the last title word ("Former Arkansas Governor Mike
    Huckabee" is Mike Huckabee, title kept in ``title``), and leading party words
    ("Republican John Kasich").

    Variants are merged: same folded form with hyphens as spaces and initials dropped
    ("Donald J. Trump" = "Donald Trump"); a name that is the token tail of exactly one
    person's full name becomes its surname ("Kavanaugh", "Mr. Kavanaugh"), and a tail
    shared by several full names goes to one of them only when the corpus makes it
    clear: that name has at least three times the mentions of the next, or the titles
    written before the bare surname ("President Trump") were written before that full
    name only; otherwise it stays separate ("Castro" with one "Fidel Castro" and one
    "Raúl Castro"). A single first name used alone goes to the one person of that first
    name ("Hillary", "Bernie"), under the same rule.

    A person's last name that the body never writes alone is added as a surname with
    count 0 (unless another entity or a second person has it, another name starts with it,
    or the corpus writes it in lower case), so a headline "Rubio speaks" finds Marco Rubio.

    ``type`` is read from the corpus: a name with an organisation or place word
    ("Party", "News", "County") or in capitals is an organisation or place ("Bill" as a
    first word is a first name); one written after a person title (hyphenated ones too:
    "Secretary-General") is a person; one written after "in"/"at"/"near"/"across" or "the"
    in a quarter of its uses or more, not counting uses where it modifies a noun ("the
    Obama administration"; a pronoun or time word after it starts a clause instead: "at
    Sandy Hook last December"), or written after a full name and "of" ("Jeanne Shaheen of
    New Hampshire"), or listed beside such places (unless it looks like "First Last"), is a
    place or an organisation; a name whose first word starts place names and never a
    person's ("South", "New", "San", "El", "Fort") is a place; ordinary words in title
    case ("Hide Caption") are "other", and so is a name found only in short lines with no
    sentence end that are not photo credits ("Sign up for Daily Newsletters"); one followed
    by "said" or an age is a person, as is a two- to four-word name whose first word is a
    first name of two names or whose last word the corpus never writes in lower case. Measured precision and recall on
    hand-labelled articles are in the README (about 0.86 precision and 0.94 recall of
    people on 10 articles not used to write the rules' first version); check the types,
    and write an alias file for anything that matters. Known misses: names written in
    lower case, one-word names without a title, two people sharing one full name,
    organisations and places without a telling word or use ("Heritage Action", "Sierra
    Leone"), headline and link text pasted into the body ("Contagion Rages").

    Cost: O(characters) to find candidates, O(distinct names x words per name) to merge
    them (surnames are looked up by their token tail in a dict, not compared pairwise).
    What each capitalised run gives is worked out once per corpus (memoised on the run's
    words), and a sentence repeated verbatim is read once; per name found, the look-back
    regexes match the reversed 40 characters before it at their start (no search).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_text": [
    ...     "Cuban President Miguel Díaz-Canel spoke.", "Diaz-Canel’s reply came fast.",
    ...     "The reply angered Donald Trump.", "Trump said so."]})
    >>> p = propose_entities(s)
    >>> p[["entity", "type", "kind", "alias", "count"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Donald Trump', 'person', 'name', 'Donald Trump', 1],
     ['Donald Trump', 'person', 'surname', 'Trump', 1],
     ['Miguel Díaz-Canel', 'person', 'name', 'Miguel Díaz-Canel', 1],
     ['Miguel Díaz-Canel', 'person', 'surname', 'Diaz-Canel', 1]]
    """
    S.check_columns(sentences, [S.SENTENCE_TEXT], table="sentences")
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        from analysis.errors import ParameterError

        raise ParameterError(f"min_count: {min_count!r}; use an integer >= 1")
    from analysis.resources import stopwords

    texts = sentences[S.SENTENCE_TEXT].astype(str).tolist()
    stop = frozenset(stopwords("english"))
    common, seen_lower = _common_words(texts)
    common = common | stop
    surfaces: Counter = Counter()
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    memo: dict = {}  # what each capitalised run gives (_pieces), shared by the corpus's sentences
    done: dict[str, list] = {}  # a sentence repeated verbatim (furniture, wire copy) is read once
    for text in texts:
        got = done.get(text)
        if got is None:
            got = done[text] = list(_candidates(text, stop, common, memo))
        for name, _title, ev in got:
            surfaces[name] += 1
            evidence[name].add(ev)
    groups: dict[str, Counter] = defaultdict(Counter)
    for surface, n in surfaces.items():
        groups[_merge_key(surface)][surface] += n
    groups = _split_leading_places(groups)
    gev: dict[str, _Evidence] = {}
    for key, variants in groups.items():
        ev = _Evidence()
        for s in variants:
            ev.add(evidence.get(s) or _Evidence(n=variants[s]))
        gev[key] = ev
    place_like = {k for k, ev in gev.items() if ev.prep + ev.the >= max(1.0, _MIN_SHARE_PLACE * ev.n)}
    first_names = _first_names(groups, common, place_like)
    lower_words = seen_lower | stop
    for k, ev in gev.items():  # listed beside places more often than not: a place ("Oklahoma and South Carolina")
        if " " in k and k.split()[0] not in lower_words:
            continue  # "Asa Hutchinson in Arkansas, Bruce Rauner in Illinois": people listed with their places
        nbs = ev.neighbours or {}
        near = sum(n for nb, n in nbs.items() if nb in place_like and gev[nb].prep >= gev[nb].the)
        if k not in place_like and near and 2 * near >= sum(nbs.values()) and not ev.titled \
                and not ev.initialled \
                and k.split()[0] not in first_names:
            ev.prep += near
            place_like.add(k)
    common_tokens = lower_words - first_names
    fixed = {k: _word_type(k) or ("organization" if all(_shouted(v) for v in groups[k]) else None)
             for k in groups}  # "organization"/"place" by their words or capitals ("CNN"), else None
    totals = {k: sum(v.values()) for k, v in groups.items()}
    titles = {k: gev[k].titles or Counter() for k in groups}
    # 1. a tail goes to the full name it belongs to ("Cruz" -> "Ted Cruz"), before typing
    open_keys = [k for k in groups if fixed[k] is None and k not in place_like]
    parent: dict[str, str] = {}
    heads = {k for k in open_keys if " " in k and (k.split()[0] in first_names or k.split()[0] not in common_tokens)}
    for short, cands in _parents(open_keys, heads).items():
        chosen = _pick(short, [c for c in cands if c != short], totals, titles)
        if chosen:
            parent[short] = chosen
    parent.update(_swapped_surnames([k for k in open_keys if k not in parent], heads))
    # 2. type each full name on the evidence of all its variants
    combined: dict[str, _Evidence] = defaultdict(_Evidence)
    for k in groups:
        combined[parent.get(k, k)].add(gev[k])
    types = {k: fixed[k] or _type_of(k, combined[k], common_tokens, first_names,
                                     spaced=any(" " in v for v in groups[k])) for k in combined}
    # 3. a first name used alone goes to the one person of that first name ("Hillary", "Bernie")
    by_first: dict[str, list[str]] = defaultdict(list)
    for k, t in types.items():
        if t == "person" and " " in k:
            by_first[k.split()[0]].append(k)
    has_child = set(parent.values())
    # a word that starts an organisation's or a place's name ("Washington Post") is no first name:
    # alone it is that place, not the "Washington Examiner" that only its shape made a person
    name_heads = {k.split()[0] for k in groups if " " in k and fixed[k] in ("organization", "place")}
    for key in groups:
        if " " not in key and key not in parent and key not in has_child and key in by_first \
                and fixed[key] is None and key not in common and types.get(key) != "place":
            chosen = _pick(key, sorted(by_first[key]), totals, titles)
            if chosen and (key in first_names or key not in name_heads):
                parent[key] = chosen
    for key in [k for k in groups if " " not in k and not gev[k].inside and k not in parent]:
        del groups[key]  # one word only ever sentence-initial, and no surname: "Sounds"
    rows = []
    for key, variants in groups.items():
        full = parent.get(key, key)
        while full in parent and parent[full] != full:
            full = parent[full]
        fvar = groups[full]
        canonical = max(fvar, key=lambda v: (fvar[v], -_initials(v), _accents(v), [-ord(c) for c in v]))
        etype = types[full]
        first_name = full != key and key == full.split()[0]
        for surface, n in variants.items():
            ev = evidence.get(surface)
            title = ev.titles.most_common(1)[0][0] if ev is not None and ev.titles else ""
            kind = "name" if key == full or first_name else "surname"
            rows.append((canonical, etype, kind, surface, n, title))
    rows += _implied_surnames(rows, common_tokens)
    out = pd.DataFrame(rows, columns=[*ALIAS_COLUMNS, COUNT, TITLE])
    totals_e = out.groupby(ENTITY)[COUNT].transform("sum")
    out = out[totals_e >= min_count]
    return out.sort_values([ENTITY, ALIAS_KIND, "alias"]).reset_index(drop=True)


def _implied_surnames(rows: list[tuple], common: frozenset[str]) -> list[tuple]:
    """Return a surname row (count 0) for each person whose last name the body never writes alone.

    So a headline "Rubio speaks" finds Marco Rubio. Skipped when another entity has that form,
    when it starts another name ("Thomas" of "Warner Thomas" beside "Thomas Massie"), when two
    people share it, or when the corpus writes the word in lower case ("Will Folks").
    """
    taken = {_key(r[3]) for r in rows} | {_key(r[3].split()[0]) for r in rows if " " in r[3]}  # "Thomas Massie"
    last: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entity in dict.fromkeys(r[0] for r in rows if r[1] == "person"):
        toks = entity.split()
        if len(toks) >= 2 and toks[-1].rstrip(".").lower() not in _SUFFIXES:
            last[_key(toks[-1])].append((entity, toks[-1]))
    return [(owners[0][0], "person", "surname", owners[0][1], 0, "") for key, owners in last.items()
            if len(owners) == 1 and key not in taken and key not in common and len(key) > 2]


def _initials(s: str) -> int:
    return sum(1 for t in s.split() if re.fullmatch(r"[^\W\d_]\.", t))


def _accents(s: str) -> int:
    return sum(1 for c in s if ord(c) > 127 and c.isalpha())


def _split_leading_places(groups: dict[str, Counter]) -> dict[str, Counter]:
    """Cut a leading stand-alone name from a longer one whose surname stands alone too.

    "US chief of mission in Cuba Mike Hammer" yields "Cuba Mike Hammer"; "Cuba" and
    "Hammer" are both candidates on their own, so the name is "Mike Hammer".
    """
    out: dict[str, Counter] = defaultdict(Counter)
    for key, variants in groups.items():
        toks = key.split()
        if len(toks) >= 3 and toks[0] in groups and toks[-1] in groups:
            for surface, n in variants.items():
                parts = surface.split(None, 1)
                rest = parts[1] if len(parts) == 2 else surface  # "Cuba-Venezuela-Russia": no space to cut
                out[_merge_key(rest)][rest] += n
        else:
            out[key].update(variants)
    return out
