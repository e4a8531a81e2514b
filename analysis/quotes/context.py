"""What attribution knows about one text: speaker candidates, sentences and antecedents.

:class:`_Article` holds one text's quotation spans, candidates (entity mentions, pronouns,
generic nouns such as "the ministry" or "the memo"), paragraphs and sentence starts, and the
antecedents a pronoun can point to (:class:`_Antecedents`); every lookup is a bisection. The
rules that use them are in :mod:`analysis.quotes.attribute`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from analysis.quotes.speakers import article_people

# Words that refer back to a speaker, with the speaker type they can refer to.
_PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "organization"}
# Generic nouns that name a speaker by role; resolved to the most recent compatible speaker.
# Institutional ones (ministry, department, bureau, agency ...) resolve to an organisation,
# preferring one whose name contains the same word.
_GENERIC_ORG = ("ministry", "department", "bureau", "agency", "government", "embassy", "office", "group",
                "administration", "commission", "council", "party", "army", "military", "white house", "campaign")
# Documents that speak for whoever issued them ("the memo concludes", "according to the Russian
# statement", "said the letter signed by Sen. X"): resolved to the letter's signer, else the most
# recent speaker.
_GENERIC_DOC = ("memo", "memorandum", "letter", "statement", "e-mail", "email", "release")
_GENERIC_PERSON = ("president", "leader", "minister", "secretary", "spokesman", "spokeswoman",
                   "spokesperson", "official", "diplomat", "ambassador", "envoy", "senator",
                   "governor", "mayor", "chief", "republican", "democrat", "chairman", "chairwoman",
                   "director", "adviser", "strategist", "speaker", "analyst", "expert", "economist", "professor",
                   "lawmaker", "congressman", "congresswoman", "judge", "general", "candidate", "attorney", "lawyer",
                   "prosecutor", "executive", "activist")
_GENERIC_WORDS = _GENERIC_ORG + _GENERIC_PERSON
_GENERIC_RE = re.compile(r"\b(?:the|this|that)\s+(?:[a-z][\w-]*\s+){0,4}?(" + "|".join(
    _GENERIC_ORG + _GENERIC_PERSON + _GENERIC_DOC) + r")\b", re.I)
_DOC_WORD_RE = re.compile(r"\b(" + "|".join(_GENERIC_DOC) + r")\b", re.I)
_SIGNED_BY = re.compile(r",?\s+(?:signed|sent|written|issued)\s+by\s+")
# An unlisted name (not in the alias file) right next to a reporting verb, and an
# unlisted institution ("the Foreign Ministry", "Bureau of Consular Affairs").
_INSTITUTION_WORDS = ("Ministry", "Department", "Bureau", "Agency", "Office", "Embassy", "Commission",
                      "Council", "Service", "Institute", "Party", "Government")
_NAME_RE = re.compile(r"(?:[A-Z][\w’'.-]*[A-Za-z]\s+){0,3}[A-Z][\w’'-]*[A-Za-z]")
_NOT_NAMES = frozenset("the a an in on at after before but and meanwhile however for as within aboard this "
                       "that these those it he she they we i you there here then later earlier also "
                       "monday tuesday wednesday thursday friday saturday sunday another one some many most "
                       "several each every both".split())
_SUBORDINATORS = frozenset("while although though because if when whereas unless once since until as after before "
                           "despite".split())
_PREPOSITIONS = frozenset("to with by from of against on about for at in into over under than like "
                          "between among toward towards including via per despite during through amid "
                          "without within across".split())
_ADVERBS = r"(?:(?:has|had|have|also|later|then|further|again|quickly|once|earlier|repeatedly|" \
           r"openly|publicly|firmly|previously|simply|reportedly|would|will|did|not)\s+){0,3}"

def _possessive(text: str, end: int) -> bool:
    """Tell whether the name ending at `end` is possessive ("Trump’s", "the Cubans’")."""
    return text[end:end + 2] in ("’s", "'s") or (
        text[end:end + 1] in ("’", "'") and not text[end + 1:end + 2].isalnum())


# ------------------------------------------------------------------------- attribution
_WORD_RE = re.compile(r"\w+(?:[’'-]\w+)*")
_PRONOUN_RE = re.compile(r"\b(he|she|they|it)\b", re.I)
# also “... politics.”The NRA, and "... next year.Enzi made it clear" (paragraphs a scraper glued: a
# lower-case word, a full stop, then a capitalised word with no space)
# Written with the mark first in every branch (the glued case checks its two letters after the mark),
# so the engine skips to the next . ! or ? instead of trying the look-behind at every character: 6.6x
# faster, the same matches as "[.!?][”"’'»]?\s+(?=\S)|[.!?][”"»](?=[A-Z])|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])"
# (compared on every paragraph of abp-2013 and in tests/test_quotes.py).
_SENT_END_RE = re.compile(r"[.!?](?:[”\"’'»]?\s+(?=\S)|[”\"»](?=[A-Z])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]))")
_ABBREVIATION_RE = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Prof|No|vs|Jr|Sr|"
                              r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$")
_LEADING = re.compile(r"[\s,;:—–-]*")
_APPOSITIVE = re.compile(r",[^,“”\"«»]{1,120},")
_ROLE_WORD_RE = re.compile(r"\s+[a-z][\w-]*(?=\s)")


def _appositive_ends(text: str, pos: int, limit: int) -> list[int]:
    """Return where a verb may follow "Name, R-Ky., majority-leader-in-waiting" (up to two commas)."""
    out, at = [], pos
    for _ in range(2):
        if text[at:at + 1] != ",":
            break
        nxt = text.find(",", at + 1, min(limit, at + 61))
        if nxt < 0 or any(ch in text[at:nxt] for ch in "“”\"«»"):
            break
        out.append(nxt + 1)
        end = nxt + 1
        for _ in range(2):  # then one or two lower-case role words: "majority-leader-in-waiting said"
            role = _ROLE_WORD_RE.match(text, end)
            if not role:
                break
            end = role.end()
            out.append(end)
        at = nxt
    return out
# "... for a COVID-19 vaccine” to be developed, said Stephen Morse": the attribution after a few words
_LATE_ATTRIBUTION = re.compile(r"[^.!?“”\"«»]{1,80}?,\s+(?=\S)")
_ADVERB_RE = re.compile(r"\s+" + _ADVERBS)


@dataclass(frozen=True)
class _Cand:
    """A possible speaker in the text: an entity mention, a pronoun or a generic noun."""

    start: int
    end: int
    entity: str  # canonical name, or the surface for pronouns/generic/unlisted
    type: str  # person / organization / place / any / unknown
    kind: str  # name / surname / role / pronoun / generic / unlisted
    surface: str
    keyword: str = ""  # the generic noun ("agency"), for matching institutions
    role: str = ""  # title and role words before the name where it was read ("Republican strategist")


@dataclass
class _Article:
    """What attribution needs about one text: its quotations, candidates and antecedents.

    Built once per text in O(text + candidates); every lookup afterwards is a bisection,
    so attributing all quotations of a text is O(text + quotations x log(candidates)).
    """

    text: str
    spans: list[tuple[int, int]]
    cands: list[_Cand]
    paragraphs: list[tuple[int, int]]
    speakers: list[tuple[int, _Cand]] = field(default_factory=list)  # attributed so far
    issuers: dict[str, list[tuple[int, int, _Cand]]] = field(default_factory=dict)  # document noun -> who issued it
    named: dict[tuple[int, bool], _Cand | None] = field(default_factory=dict)  # _cand_at's answers, by (pos, places)
    starts: list[int] = field(init=False)  # candidate start offsets (cands are sorted by start)
    breaks: list[int] = field(init=False)  # offsets where a sentence starts (after a sentence end)
    antecedents: _Antecedents = field(init=False)
    full_names: dict[str, str] = field(init=False)  # surname -> the one full name the article gives it
    genders: dict[str, str] = field(init=False)  # surname -> "f" / "m" where the text makes it plain
    work: int = field(init=False, default=0)  # candidates and characters examined (for the tests)

    def __post_init__(self) -> None:
        """Index candidate starts, sentence starts, people and antecedents once per text."""
        self.starts = [c.start for c in self.cands]
        self.breaks = _sentence_breaks(self)
        self.full_names, self.genders = article_people(self.text)
        self.antecedents = _Antecedents(self)

    def gender(self, c: _Cand) -> str:
        """Return "f", "m" or "?" for a person candidate (by its surname in this article)."""
        if c.type != "person" or not c.entity.split():
            return "?"
        return self.genders.get(c.entity.split()[-1], "?")

    def inside(self, pos: int) -> bool:
        """Tell whether offset `pos` lies strictly inside a quotation."""
        i = bisect_right(self.spans, (pos, float("inf"))) - 1
        return i >= 0 and self.spans[i][0] < pos < self.spans[i][1]

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        """Return the (start, end) of the paragraph holding `pos`."""
        i = max(0, bisect_right(self.paragraphs, (pos, float("inf"))) - 1)
        return self.paragraphs[i] if self.paragraphs else (0, len(self.text))

    def cands_from(self, lo: int):
        """Yield the candidates starting at or after `lo`, in text order."""
        for i in range(bisect_left(self.starts, lo), len(self.cands)):
            self.work += 1
            yield self.cands[i]


_GERUND_RE = re.compile(r"[A-Z][a-z]{3,}ing\s")  # "Overtaking South Korea ...": a sentence-initial gerund, not a name
def _after_preposition(text: str, pos: int) -> bool:
    """Tell whether the name at `pos` follows a preposition ("at the Marriott East hotel"); O(1)."""
    words = text[max(0, pos - 20):pos].lower().split()
    if words and words[-1] in ("the", "a", "an"):
        words.pop()
    return bool(words) and words[-1] in _PREPOSITIONS



_SPEAKER_TYPES = ("person", "organization", "place", "unknown", "any")


def _in_parentheses(text: str, pos: int) -> bool:
    """Tell whether `pos` lies inside parentheses opened on its line ("(Photo: Jessica Ebelhar/...)")."""
    line = text.rfind("\n", 0, pos) + 1
    return text.rfind("(", line, pos) > text.rfind(")", line, pos)


# a person introduced by a copula and an appositive role: "One of them is David Allen, president of a
# company ...", "Among them is Randy Page, chairman of ..."
_COPULA_BEFORE = re.compile(r"\b(?:is|was)[ \t]+$")
_INTRODUCED = re.compile(r",[ \t]+(?:(?:a|an|the)[ \t]+|[a-z][\w-]*[ \t]+(?:of|at|for)[ \t]+)")


def _credit(text: str, c: _Cand) -> bool:
    """Tell whether candidate `c` is a photo or agency credit ("Tony Gutierrez/AP", "AP Photo/Evan Vucci"); O(1).

    News credits join a photographer and an agency with a slash; a name glued to one is nobody's
    antecedent.
    """
    return "/" in c.surface or text[c.end:c.end + 1] == "/" or text[max(0, c.start - 1):c.start] == "/"


@lru_cache(maxsize=65536)
def _generic_words_in(name: str) -> tuple[str, ...]:
    """Return the generic words (:data:`_GENERIC_WORDS`) found in `name` (substrings), in list order.

    Cached: one article enters the same few names many times, and a corpus the same
    canonical names in every article.
    """
    return tuple(word for word in _GENERIC_WORDS if word in name)


class _Antecedents:
    """The named speakers a pronoun or generic noun can refer back to, indexed by type.

    Three pools: the article's named candidates (persons and organisations, not possessive)
    in subject position ("named") and after a preposition ("object"), and the speakers:
    subjects of reporting verbs and of sentences, and speakers attributed so far. Each is
    indexed by type, by type and gender, and by generic keyword, under ``(offset, order)``;
    :meth:`best` returns the most recent fitting one before an offset in O(log n), the same
    choice as scanning all of them for the highest ``(keyword in name, offset)``, ties to
    the earliest entered.
    """

    def __init__(self, art: _Article) -> None:
        self.art = art
        self.lists: dict[tuple, list] = {}
        self.cands: list[_Cand] = []  # entered antecedents; entries of the lists are (offset, index)
        self.order = 0
        for c in art.cands:
            if c.kind in ("name", "surname", "role", "unlisted") and c.type in ("person", "organization") \
                    and not _possessive(art.text, c.end) and not _in_parentheses(art.text, c.start) \
                    and not _GERUND_RE.match(c.entity + " ") and not _credit(art.text, c):
                pool = "object" if _after_preposition(art.text, c.start) else "named"
                if c.type == "person" and _INTRODUCED.match(art.text, c.end) \
                        and _COPULA_BEFORE.search(art.text, max(0, c.start - 8), c.start):
                    pool = "spoken"  # "One of them is David Allen, president of a company ...": a new source
                self.add(c.start, c, pool=pool)

    def add(self, at: int, c: _Cand, *, pool: str = "spoken") -> None:
        """Enter candidate `c` as an antecedent at offset `at` in `pool` ("named", "object" or "spoken")."""
        key = (at, self.order)
        self.cands.append(c)
        self.order += 1
        low = c.entity.lower()
        gender = self.art.gender(c)
        for typ in (c.type, "any"):
            for k in ((pool, typ), (pool, typ, gender)):
                insort(self.lists.setdefault(k, []), key)
            for word in _generic_words_in(low):
                insort(self.lists.setdefault((pool, typ, "kw", word), []), key)

    def _last(self, key: tuple, pos: int) -> tuple[int, int] | None:
        """Return the (offset, index) with the largest offset below `pos` (earliest entered on ties)."""
        items = self.lists.get(key, [])
        i = bisect_left(items, (pos,)) - 1
        if i < 0:
            return None
        return items[bisect_left(items, (items[i][0],))]

    def _best(self, pool: str, want: str, keyword: str, gender: str, pos: int) -> tuple[int, int] | None:
        if keyword:
            hit = self._last((pool, want, "kw", keyword), pos)
            if hit is not None:
                return hit
        if gender in ("f", "m"):
            hits = [h for h in (self._last((pool, want, gender), pos), self._last((pool, want, "?"), pos)) if h]
            return max(hits, key=lambda h: (h[0], -h[1])) if hits else None
        return self._last((pool, want), pos)

    def best(self, want: str, keyword: str, pos: int, *, gender: str = "?", since: int = 0,
             named: bool = True) -> _Cand | None:
        """Return the antecedent of type `want` (and `gender`) a reference at `pos` points to.

        The most recent speaker (subject of a reporting verb, or attributed) at or after
        `since`; else the most recent named candidate (unless `named` is False), one in subject
        position ("Manchin ... says") before one after a preposition ("at the Marriott East
        hotel"); a `keyword` ("ministry") prefers names holding it.
        """
        spoken = self._best("spoken", want, keyword, gender, pos)
        if spoken is not None and spoken[0] >= since:
            return self.cands[spoken[1]]
        if not named:
            return None
        plain = self._best("named", want, keyword, gender, pos)
        obj = self._best("object", want, keyword, gender, pos)  # "at the Marriott East hotel"
        for hit in (plain, obj):
            if hit is not None and hit[0] >= since:
                return self.cands[hit[1]]
        hit = plain or obj or spoken
        return self.cands[hit[1]] if hit else None


# the case-insensitive patterns above, for text already lower-cased (see _case_folded_matches)
_PRONOUN_LOWER_RE = re.compile(_PRONOUN_RE.pattern)
_GENERIC_LOWER_RE = re.compile(_GENERIC_RE.pattern)


def _case_folded_matches(text: str) -> tuple:
    """Return the matches of :data:`_PRONOUN_RE` and :data:`_GENERIC_RE` in `text`: spans and groups' offsets.

    The case-insensitive patterns run on the lower-cased text as case-sensitive ones (2x
    faster: ``re.I`` compares every character both ways); the offsets are the same because
    lower-casing keeps each character in place, and the same characters match because every
    character that ``re.I`` equates with an ASCII letter lower-cases to it, except "ı" and
    "ſ" (checked over all of Unicode). A text whose lower-casing changes its length ("İ") or
    that holds those two takes the original patterns. Read offsets and the groups lower-cased,
    not the surface, from these matches. O(text).
    """
    lower = text.lower()
    if len(lower) != len(text) or "ı" in text or "ſ" in text:
        return _PRONOUN_RE.finditer(text), _GENERIC_RE.finditer(text)
    return _PRONOUN_LOWER_RE.finditer(lower), _GENERIC_LOWER_RE.finditer(lower)


def _candidates(text: str, mentions: list[tuple], spans: list[tuple[int, int]]) -> list[_Cand]:
    """Build speaker candidates outside quotations: mentions, pronouns, generic nouns.

    O((text + candidates) x log(quotations + candidates)): each candidate is placed by bisection;
    pronouns and generic nouns are found in the lower-cased text (:func:`_case_folded_matches`).
    """
    def inside(a: int) -> bool:
        i = bisect_right(spans, (a, float("inf"))) - 1
        return i >= 0 and spans[i][0] < a < spans[i][1]
    out = [_Cand(a, b, ent, typ, kind, text[a:b]) for a, b, ent, typ, kind in mentions if not inside(a)]
    taken = sorted((c.start, c.end) for c in out)
    taken_starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))  # furthest end among mentions starting so far
    pronouns, generics = _case_folded_matches(text)
    for m in pronouns:
        if not inside(m.start()):
            word = m.group(1).lower()
            surface = text[m.start():m.end()]
            out.append(_Cand(m.start(), m.end(), surface, _PRONOUNS[word], "pronoun", surface))
    places = sorted((a, b) for a, b, _, typ, _ in mentions if typ in ("place", "other"))  # "Russian", "Cuba"
    for m in generics:
        k = bisect_left(taken_starts, m.end())  # mentions starting before the match ends ...
        word = m.group(1).lower()
        if inside(m.start()):
            continue
        if k and reach[k - 1] > m.start():  # ... overlap it if one ends after its start
            j = bisect_left(places, (m.start(),))
            inner = j < len(places) and places[j][1] <= m.start(1) and bisect_left(taken_starts, m.start()) == k - 1
            if not inner:  # only a place or nationality may modify the noun ("the Russian ministry")
                continue
        typ = "organization" if word in _GENERIC_ORG else "any" if word in _GENERIC_DOC else "person"
        surface = text[m.start():m.end()]
        out.append(_Cand(m.start(), m.end(), surface, typ, "generic", surface, word))
    return sorted(out, key=lambda c: (c.start, -c.end))


def _sentence_breaks(art: _Article) -> list[int]:
    """Return the offsets where a new sentence starts inside a paragraph, in order (one pass).

    A sentence ends at . ! or ? followed by space, unless it ends an abbreviation or lies
    inside a quotation that it does not close; quotations are opaque.
    """
    text, out = art.text, []
    ends = {e for _, e in art.spans}
    for p_start, p_end in art.paragraphs:
        for m in _SENT_END_RE.finditer(text, p_start, p_end):
            if _ABBREVIATION_RE.search(text[max(p_start, m.start() - 6):m.start() + 1]):
                continue
            closes_quote = m.start() + 2 in ends and text[m.start() + 1] in "”\"’'»"
            if not art.inside(m.start()) or closes_quote:
                out.append(m.end())
    return out


def _sentence_end(art: _Article, pos: int) -> int:
    """Return the offset where the sentence holding `pos` ends (the next sentence start or the paragraph end)."""
    i = bisect_right(art.breaks, pos)
    p_end = art.paragraph_of(pos)[1]
    return min(art.breaks[i], p_end) if i < len(art.breaks) else p_end


def _sentence_start(art: _Article, pos: int) -> int:
    """Return the offset where the sentence holding `pos` starts (quotations are opaque); O(log n)."""
    p_start, _ = art.paragraph_of(pos)
    i = bisect_right(art.breaks, pos) - 1  # a break at `pos` itself starts this sentence
    return art.breaks[i] if i >= 0 and art.breaks[i] > p_start else p_start


def _since(art: _Article, pos: int) -> int:
    """Return where the window of antecedents for a reference at `pos` starts: three paragraphs back."""
    i = max(0, bisect_right(art.paragraphs, (pos, float("inf"))) - 4)
    return art.paragraphs[i][0] if art.paragraphs else 0
