"""Extract direct quotations, attribute them to speakers, and measure who gets a voice.

Three steps, each a function on tidy tables:

1. :func:`analysis.sentences.scan_quotes` finds quotation spans in one text: curly and straight double quotes,
   doubled single quotes (``''like this''``), guillemets, top-level single quotes (British
   style and headlines), single quotes nested inside double ones (kept inside), quotations
   that run over several sentences or paragraphs (the paragraph convention: no closing mark
   at the end of the paragraph, an opening mark at the start of the next). Unbalanced marks
   are reported as problems and skipped; an unclosed mark never swallows more than its own
   paragraph, and scanning resumes right after it.
2. :func:`extract_quotes` attributes every quotation to a speaker, merged through
   :mod:`analysis.entities` (one implementation of "who is who"): "X said", "said X",
   "X wrote:", "X told reporters", "according to X", "X posted on ...", a clause naming X
   before a colon or comma, pronouns and roles ("he added", "the agency added") resolved to
   the most recent compatible speaker, institutional speakers. It records the reporting
   verb (as a lemma) and its class, neutral or loaded (:data:`VERB_CLASSES`).
3. :func:`voice_share`, :func:`verb_profile`, :func:`quote_coverage` and
   :func:`link_quotes` summarise per outlet and link one quotation across outlets (who
   quoted it, who paraphrased it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from itertools import accumulate

import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.params import ENTITIES_FILE, Param
from analysis.sentences import paragraph_spans as _paragraphs
from analysis.sentences import scan_quotes

# Parameters of notebooks/40_voices_reuse.ipynb (besides params.COMMON).
PARAMETERS: dict[str, Param] = {
    "entities_file": ENTITIES_FILE,
    "ngram": Param(int, "words per shingle: shared passages are at least this long", min=2, max=20),
    "similarity": Param((int, float), "minimum similarity (difflib ratio of words) of aligned sentences",
                        min=0.05, max=1.0),
    "min_shared": Param(int, "distinct shared shingles an article pair needs to be compared", min=1),
    "max_df": Param(int, "shingles found in more articles than this are boilerplate", min=2),
    "link_threshold": Param((int, float), "word overlap linking one quotation across outlets", min=0.05,
                            max=1.0),
    "top_speakers": Param(int, "speakers shown by name in the figures", min=1, max=20),
    "fact_units": Param(list, "units shown in the fact matrix; [] shows all", item_type=str),
}

# --- columns of the quotes table (tables/quotes.csv) -----------------------------------------
QUOTE_ID = "quote_id"  # "<article_id>/q<k>" (k counts from 0 in text order; headline first)
SPEAKER = "speaker"  # canonical entity name, an unlisted name as written, or UNATTRIBUTED
VERB = "verb"  # reporting verb as a lemma ("say", "claim", "according to"), "" if none
VERB_CLASS = "verb_class"  # "neutral", "loaded" or "none"
QUOTE = "quote"  # the quoted words, without the outer marks (paragraph breaks -> one space)
N_WORDS = "n_words"  # words in the quotation
START_CHAR = "start_char"  # offset of the opening mark in articles.text (or headline)
END_CHAR = "end_char"  # offset one past the closing mark
LOCATION = "location"  # "text" or "headline" (offsets then point into articles.headline)
SPEAKER_TYPE = "speaker_type"  # "person", "organization", "place", "unknown" or "none"
SPEAKER_KIND = "speaker_kind"  # how the speaker was named: name/surname/role/pronoun/generic/unlisted/none
SPEAKER_SURFACE = "speaker_surface"  # the words that named the speaker here ("he", "the agency")
CUE = "cue"  # which rule attributed it: before, after, according, clause, same-sentence, continuation, none
GROUP = "group"  # quote_id of the first piece of a quotation interrupted by attribution
QUOTE_COLUMNS = (S.ARTICLE_ID, S.OUTLET, SPEAKER, VERB, VERB_CLASS, QUOTE, N_WORDS, START_CHAR,
                 END_CHAR, QUOTE_ID, LOCATION, SPEAKER_TYPE, SPEAKER_KIND, SPEAKER_SURFACE, CUE,
                 GROUP)
UNATTRIBUTED = "(unattributed)"  # speaker of a quotation no rule could attribute

# --- columns of the problems table ------------------------------------------------------------
MARK = "mark"  # the offending quotation mark
PROBLEM = "problem"  # "unclosed" or "unopened"
CONTEXT = "context"  # up to 40 characters either side of the mark
PROBLEM_COLUMNS = (S.ARTICLE_ID, S.OUTLET, LOCATION, START_CHAR, MARK, PROBLEM, CONTEXT)

# Reporting verbs by class. Neutral: verbs that report without judging (the list,
# plus the usual attribution verbs of news style guides). Loaded: verbs that signal doubt,
# emphasis, conflict or emotion (the list, extended from the AP Stylebook's
# warning about "said" substitutes). A verb's class is a property of the word, not of
# its use: "warned" is loaded even when the speaker really warned.
NEUTRAL_VERBS = ("say", "tell", "write", "add", "state", "note", "post", "explain", "reply",
                 "respond", "report", "indicate", "announce", "describe", "ask", "continue",
                 "comment", "tweet", "mention", "reference", "observe", "recall", "remark",
                 "answer", "confirm", "reiterate", "speak", "suggest", "according to")
LOADED_VERBS = ("claim", "insist", "admit", "warn", "vow", "deny", "concede", "declare", "slam",
                "criticize", "criticise", "condemn", "reject", "blast", "boast", "threaten",
                "accuse", "allege", "assert", "emphasize", "emphasise", "stress", "argue", "urge",
                "demand", "hint", "acknowledge", "complain", "charge", "proclaim", "lament",
                "retort", "scoff", "fume", "brag", "lash out")
VERB_CLASSES = {**{v: "neutral" for v in NEUTRAL_VERBS}, **{v: "loaded" for v in LOADED_VERBS}}
_IRREGULAR = {"say": ("say", "says", "said", "saying"), "tell": ("tell", "tells", "told", "telling"),
              "write": ("write", "writes", "wrote", "written", "writing"),
              "speak": ("speak", "speaks", "spoke", "speaking"),
              "lash out": ("lash out", "lashes out", "lashed out", "lashing out")}
_DOUBLING = ("admit", "slam", "brag", "commit")  # final consonant doubles: admitted


def _forms(lemma: str) -> tuple[str, ...]:
    """Return the inflected forms of a reporting verb."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma == "according to":
        return ("according to",)
    if lemma in _DOUBLING:
        return lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    if lemma.endswith("e"):
        return lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    if lemma.endswith(("ss", "sh", "ch", "x")):
        return lemma, lemma + "es", lemma + "ed", lemma + "ing"
    return lemma, lemma + "s", lemma + "ed", lemma + "ing"


# Verbs match in lower case or all capitals (headlines); title case ("Says") only for verbs
# whose title-case forms are not common nouns or names ("States", "Reports", "Posts").
_NO_TITLE_CASE = ("state", "post", "note", "charge", "report", "answer", "demand", "stress",
                  "comment", "continue", "speak", "reference", "mention", "add", "blast", "tweet")
_VERB_LEMMA = {f: lemma for lemma in VERB_CLASSES for f in _forms(lemma)}
_VERB_SURFACES = {**{f: lem for f, lem in _VERB_LEMMA.items()},
                  **{f.upper(): lem for f, lem in _VERB_LEMMA.items()},
                  **{f[0].upper() + f[1:]: lem for f, lem in _VERB_LEMMA.items() if lem not in _NO_TITLE_CASE}}
_VERB_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _VERB_SURFACES), key=len, reverse=True))
                      + r")(?![\w-])")

# Words that refer back to a speaker, with the speaker type they can refer to.
_PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "organization"}
# Generic nouns that name a speaker by role; resolved to the most recent compatible speaker.
# Institutional ones (ministry, department, bureau, agency ...) resolve to an organisation,
# preferring one whose name contains the same word.
_GENERIC_ORG = ("ministry", "department", "bureau", "agency", "government", "embassy", "office",
                "administration", "commission", "council", "party", "army", "military", "white house")
_GENERIC_PERSON = ("president", "leader", "minister", "secretary", "spokesman", "spokeswoman",
                   "spokesperson", "official", "diplomat", "ambassador", "envoy", "senator",
                   "governor", "mayor", "chief")
_GENERIC_WORDS = _GENERIC_ORG + _GENERIC_PERSON
_GENERIC_RE = re.compile(r"\b(?:the|this|that)\s+(?:[a-z][\w-]*\s+){0,2}?(" + "|".join(
    _GENERIC_ORG + _GENERIC_PERSON) + r")\b", re.I)
# An unlisted name (not in the alias file) right next to a reporting verb, and an
# unlisted institution ("the Foreign Ministry", "Bureau of Consular Affairs").
_INSTITUTION_WORDS = ("Ministry", "Department", "Bureau", "Agency", "Office", "Embassy", "Commission",
                      "Council", "Service", "Institute", "Party", "Government")
_NAME_RE = re.compile(r"(?:[A-Z][\w’'.-]*[A-Za-z]\s+){0,3}[A-Z][\w’'-]*[A-Za-z]")
_NOT_NAMES = frozenset("the a an in on at after before but and meanwhile however for as within aboard this "
                       "that these those it he she they we i you there here then later earlier also "
                       "monday tuesday wednesday thursday friday saturday sunday".split())
_PREPOSITIONS = frozenset("to with by from of against on about for at in into over under than like "
                          "between among toward towards including".split())
_ADVERBS = r"(?:(?:has|had|have|also|later|then|further|again|quickly|once|earlier|repeatedly|" \
           r"openly|publicly|firmly|previously|simply|reportedly|would|will|did|not)\s+){0,3}"

def _possessive(text: str, end: int) -> bool:
    """Tell whether the name ending at `end` is possessive ("Trump’s", "the Cubans’")."""
    return text[end:end + 2] in ("’s", "'s") or (
        text[end:end + 1] in ("’", "'") and not text[end + 1:end + 2].isalnum())


# ------------------------------------------------------------------------- attribution
_WORD_RE = re.compile(r"\w+(?:[’'-]\w+)*")
_PRONOUN_RE = re.compile(r"\b(he|she|they|it)\b", re.I)
_SENT_END_RE = re.compile(r"[.!?][”\"’'»]?\s+(?=\S)")
_ABBREVIATION_RE = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Prof|No|vs|"
                              r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$")
_LEADING = re.compile(r"[\s,;:—–-]*")
_APPOSITIVE = re.compile(r",[^,“”\"«»]{1,80},")
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
    starts: list[int] = field(init=False)  # candidate start offsets (cands are sorted by start)
    breaks: list[int] = field(init=False)  # offsets where a sentence starts (after a sentence end)
    antecedents: _Antecedents = field(init=False)
    work: int = field(init=False, default=0)  # candidates and characters examined (for the tests)

    def __post_init__(self) -> None:
        """Index candidate starts, sentence starts and antecedents once per text."""
        self.starts = [c.start for c in self.cands]
        self.breaks = _sentence_breaks(self)
        self.antecedents = _Antecedents(self)

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


_SPEAKER_TYPES = ("person", "organization", "place", "unknown", "any")


class _Antecedents:
    """The named speakers a pronoun or generic noun can refer back to, indexed by type.

    Holds the article's named candidates (persons and organisations, not possessive) and
    every speaker attributed so far, each under ``(offset, order)``; :meth:`best` returns
    the most recent one before an offset in O(log n): the same choice as scanning all of
    them for the highest ``(keyword in name, offset)``, ties to the earliest entered.
    """

    def __init__(self, art: _Article) -> None:
        self.lists: dict[str, list] = {t: [] for t in _SPEAKER_TYPES}
        self.keyed: dict[tuple[str, str], list] = {}
        self.cands: list[_Cand] = []  # entered antecedents; entries of the lists are (offset, index)
        self.order = 0
        for c in art.cands:
            if c.kind in ("name", "surname", "role", "unlisted") and c.type in ("person", "organization") \
                    and not _possessive(art.text, c.end):
                self.add(c.start, c)

    def add(self, at: int, c: _Cand) -> None:
        """Enter candidate `c` as an antecedent at offset `at`."""
        key = (at, self.order)
        self.cands.append(c)
        self.order += 1
        low = c.entity.lower()
        for typ in (c.type, "any"):
            insort(self.lists.setdefault(typ, []), key)
            for word in _GENERIC_WORDS:
                if word in low:
                    insort(self.keyed.setdefault((typ, word), []), key)

    def _last(self, items: list, pos: int) -> _Cand | None:
        """Return the entry with the largest offset below `pos` (earliest entered on ties)."""
        i = bisect_left(items, (pos,)) - 1
        if i < 0:
            return None
        return self.cands[items[bisect_left(items, (items[i][0],))][1]]

    def best(self, want: str, keyword: str, pos: int) -> _Cand | None:
        """Return the most recent antecedent of type `want` before `pos`, naming `keyword` first."""
        if keyword:
            hit = self._last(self.keyed.get((want, keyword), []), pos)
            if hit is not None:
                return hit
        return self._last(self.lists.get(want, []), pos)


def _candidates(text: str, mentions: list[tuple], spans: list[tuple[int, int]]) -> list[_Cand]:
    """Build speaker candidates outside quotations: mentions, pronouns, generic nouns.

    O((text + candidates) x log(quotations + candidates)): each candidate is placed by bisection.
    """
    def inside(a: int) -> bool:
        i = bisect_right(spans, (a, float("inf"))) - 1
        return i >= 0 and spans[i][0] < a < spans[i][1]
    out = [_Cand(a, b, ent, typ, kind, text[a:b]) for a, b, ent, typ, kind in mentions if not inside(a)]
    taken = sorted((c.start, c.end) for c in out)
    taken_starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))  # furthest end among mentions starting so far
    for m in _PRONOUN_RE.finditer(text):
        if not inside(m.start()):
            word = m.group(1).lower()
            out.append(_Cand(m.start(), m.end(), m.group(0), _PRONOUNS[word], "pronoun", m.group(0)))
    for m in _GENERIC_RE.finditer(text):
        k = bisect_left(taken_starts, m.end())  # mentions starting before the match ends ...
        if inside(m.start()) or (k and reach[k - 1] > m.start()):  # ... overlap it if one ends after its start
            continue
        word = m.group(1).lower()
        typ = "organization" if word in _GENERIC_ORG else "person"
        out.append(_Cand(m.start(), m.end(), m.group(0), typ, "generic", m.group(0), word))
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


def _sentence_start(art: _Article, pos: int) -> int:
    """Return the offset where the sentence holding `pos` starts (quotations are opaque); O(log n)."""
    p_start, _ = art.paragraph_of(pos)
    i = bisect_right(art.breaks, pos) - 1  # a break at `pos` itself starts this sentence
    return art.breaks[i] if i >= 0 and art.breaks[i] > p_start else p_start


def _cand_at(art: _Article, pos: int, *, places: bool = True) -> _Cand | None:
    """Return the candidate starting at `pos` (longest), or an unlisted name there."""
    for c in art.cands_from(pos):
        if c.start == pos and (places or c.type != "place"):
            return c
        if c.start > pos:
            break
    m = _NAME_RE.match(art.text, pos)
    if m and m.group(0).split()[0].lower() not in _NOT_NAMES and not _VERB_RE.fullmatch(m.group(0)):
        words = m.group(0)
        typ = "organization" if any(w in words for w in _INSTITUTION_WORDS) else "person"
        return _Cand(m.start(), m.end(), words, typ, "unlisted", words)
    return None


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
    criticized those who “...”) introduces that one instead and is not taken.
    """
    text = art.text
    found = _after_match(art, qe, limit)
    if found is None:
        return None
    if _ends_sentence(text, qe) and limit < art.paragraph_of(qe - 1)[1] \
            and not re.search(r"[.!?]", text[found[3]:limit]):
        return None
    return found[:3]


def _after_match(art: _Article, qe: int, limit: int) -> tuple[_Cand, str, str, int] | None:
    """Return (speaker, verb, cue, end of the match) for an attribution after a quotation."""
    text = art.text
    p = _LEADING.match(text, qe, limit).end()
    cand = _cand_at(art, p)
    if cand is not None and cand.end <= limit:
        pos = cand.end
        app = _APPOSITIVE.match(text, pos)
        for q in ((pos, app.end()) if app else (pos,)):
            verb = _verb_after(text, q)
            if verb and verb.end() <= limit:
                return cand, verb.group(1), "after", verb.end()
    verb = _VERB_RE.match(text, p)
    if verb and verb.end() < limit:
        cand = _cand_at(art, _LEADING.match(text, verb.end(), limit).end())
        if cand is not None and cand.end <= limit:
            cue = "according" if verb.group(1).lower() == "according to" else "after"
            return cand, verb.group(1), cue, cand.end
    return None


_NAME_WINDOW = 300  # characters before a verb searched for an unlisted subject name
_NAME_BEFORE_VERB = re.compile(r"([A-Z][\w’'.-]*[A-Za-z](?:\s+[A-Z][\w’'-]*[A-Za-z]){0,3})\s+" + _ADVERBS + r"$")


def _subject(art: _Article, lo: int, verb_start: int) -> _Cand | None:
    """Return the first plausible speaker in ``[lo, verb_start)``: the clause's subject."""
    text = art.text
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
        return c
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
            cand = _subject(art, sent, text.rindex(":", lo, qs))
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
        cand = _subject(art, sent, verb.start()) or _cand_at(art, _LEADING.match(text, verb.end(), qs).end())
    return (cand, verb.group(1), "before" if strong else "clause") if cand else None


def _resolve(art: _Article, cand: _Cand, pos: int) -> _Cand:
    """Resolve a pronoun or generic noun to the most recent compatible named speaker; O(log n)."""
    if cand.kind not in ("pronoun", "generic"):
        return cand
    return art.antecedents.best(cand.type, cand.keyword, pos) or cand


def _quote_text(text: str, start: int, end: int) -> str:
    """Return the quoted words without the outer marks; paragraph breaks become one space."""
    open_len = 2 if text[start:start + 2] in ("''", "``") else 1
    close_len = 2 if text[end - 2:end] == "''" else 1
    inner = text[start + open_len:end - close_len]
    return re.sub(r"\s*\n\s*\n\s*(?:''|``|[“„«\"])?", " ", inner).strip()


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
        found = _after(art, qe, limit) or found
    cand, verb, cue = found if found else (None, "", "none")
    if cand is None and same_sentence:
        cand, verb, cue = prev["cand"], verb or prev["verb"], "same-sentence"
    elif cand is None and prev is not None and not text[sent:qs].strip() and prev["cand"] is not None \
            and art.paragraph_of(prev["start"])[1] >= art.paragraph_of(qs)[0] - 3:
        cand, verb, cue = prev["cand"], "", "continuation"
    resolved = _resolve(art, cand, qs) if cand is not None else None
    if resolved is not None and resolved.kind not in ("pronoun", "generic"):
        art.speakers.append((max(qs, cand.start), resolved))
        art.antecedents.add(max(qs, cand.start), resolved)
    between = text[prev["end"]:qs] if same_sentence else ""
    interrupted = same_sentence and cue in ("before", "after", "same-sentence") and \
        len(_WORD_RE.findall(between)) <= 8 and prev["quote"].endswith(",")
    return {"start": qs, "end": qe, "cand": cand, "resolved": resolved, "verb": verb, "cue": cue,
            "quote": _quote_text(text, qs, qe), "interrupted": interrupted}


def _attribute_text(text: str, mentions: list[tuple]) -> list[dict]:
    """Find and attribute every quotation of one text; return one record per quotation."""
    spans, _ = scan_quotes(text)
    art = _Article(text, spans, _candidates(text, mentions, spans), _paragraphs(text))
    out: list[dict] = []
    for k in range(len(spans)):
        out.append(_attribute(art, k, out[-1] if out else None))
    return out


def _record_row(article_id: str, outlet: str, location: str, k: int, rec: dict, group: str) -> tuple:
    """Turn one attribution record into a row of the quotes table."""
    cand, res = rec["cand"], rec["resolved"]
    verb = _VERB_LEMMA.get(rec["verb"].lower(), "") if rec["verb"] else ""
    if res is None:
        speaker, stype, kind, surface = UNATTRIBUTED, "none", "none", ""
    else:
        speaker, kind, surface = res.entity, cand.kind, cand.surface
        stype = res.type if res.type in ("person", "organization", "place") else "unknown"
    return (article_id, outlet, speaker, verb, VERB_CLASSES.get(verb, "none"), rec["quote"],
            len(_WORD_RE.findall(rec["quote"])), rec["start"], rec["end"], f"{article_id}/q{k}",
            location, stype, kind, surface, rec["cue"], group)


def _mentions_by_article(sentences: pd.DataFrame, headlines: pd.DataFrame, aliases) -> dict:
    """Return {(article_id, location): [(start, end, entity, type, kind), ...]}."""
    from analysis import entities as E

    if aliases is None:
        aliases = E.propose_entities(sentences)[list(E.ALIAS_COLUMNS)]
    out: dict = {}
    for location, table in (("text", sentences), ("headline", headlines)):
        if not len(table):
            continue
        m = E.find_mentions(table, aliases=aliases)
        for aid, a, b, ent, typ, kind in m[[S.ARTICLE_ID, S.START, S.END, E.ENTITY, E.ENTITY_TYPE,
                                           E.ALIAS_KIND]].itertuples(index=False):
            out.setdefault((aid, location), []).append((int(a), int(b), ent, typ, kind))
    return out


def _headline_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the headlines as a one-sentence-per-article table (offsets into the headline)."""
    if S.HEADLINE not in articles.columns:
        return pd.DataFrame(columns=[S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT])
    h = articles[[S.ARTICLE_ID, S.OUTLET, S.HEADLINE]].dropna(subset=[S.HEADLINE])
    return pd.DataFrame({S.SENTENCE_ID: h[S.ARTICLE_ID].astype(str) + "/headline",
                         S.ARTICLE_ID: h[S.ARTICLE_ID], S.OUTLET: h[S.OUTLET], S.START: 0,
                         S.SENTENCE_TEXT: h[S.HEADLINE].astype(str)})


def extract_quotes(articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
                   headlines: bool = True) -> pd.DataFrame:
    """Extract and attribute the direct quotations of every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``text``; ``headline`` if present).
    sentences : pandas.DataFrame
        Its sentence table; entity mentions are found in it with :mod:`analysis.entities`.
    aliases : pandas.DataFrame, optional
        An alias table from :func:`analysis.entities.load_aliases`; None proposes entities
        from the sentences (:func:`analysis.entities.propose_entities`).
    headlines : bool, default True
        Also extract quotations from the headline column (``location`` "headline").

    Returns
    -------
    pandas.DataFrame
        One row per quotation, columns :data:`QUOTE_COLUMNS`, in article order (headline
        first, then text order). ``speaker`` is the canonical entity name, an unlisted name
        as written, an unresolved pronoun or generic noun as written, or
        :data:`UNATTRIBUTED`. Interrupted quotations (“...,” she said, “...”) are two rows
        sharing ``group``.

    Raises
    ------
    SchemaError
        If `articles` or `sentences` lacks a required column.

    Notes
    -----
    Rules, in order: an attribution ending in a comma or colon before the quotation
    (``X said:``, ``X declared,``, ``according to X,``); one right after it
    (``“...,” X said``, ``said X``, ``X, a spokesman, said``, ``according to X``); a
    reporting verb earlier in the sentence, whose subject is the first person or
    organisation of the clause that is neither possessive nor after a preposition
    (``X said on Sunday that Cuba should “make a deal”``); the previous quotation of the
    same sentence; the previous quotation of the paragraph for a quotation that is a
    sentence of its own (continuation). Pronouns and generic nouns ("he", "the agency")
    go to the most recent compatible named speaker: he/she to a person, it to an
    organisation, "the ministry" preferably to an organisation whose name contains
    "ministry". Gender is not checked. Known failures: a subject that is neither in the
    alias file nor a capitalised name next to the verb is missed; a quotation introduced
    by a verb missing from :data:`VERB_CLASSES` is attributed only by position.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "headline": [None],
    ...     "text": ["“We are ready,” Jane Doe said. “Truly.”\\n\\nThe ministry said: “No.”"]})
    >>> from analysis.sentences import split_sentences
    >>> q = extract_quotes(arts, split_sentences(arts))
    >>> q[["speaker", "verb", "cue", "quote"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Jane Doe', 'say', 'after', 'We are ready,'], ['Jane Doe', '', 'continuation', 'Truly.'],
     ['The ministry', 'say', 'before', 'No.']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    heads = _headline_table(articles) if headlines else _headline_table(articles.iloc[:0])
    mentions = _mentions_by_article(sentences, heads, aliases)
    head_text = dict(zip(heads[S.ARTICLE_ID], heads[S.SENTENCE_TEXT]))
    rows = []
    for aid, outlet, text in articles[[S.ARTICLE_ID, S.OUTLET, S.TEXT]].itertuples(index=False):
        k, groups = 0, []
        for location, body in (("headline", head_text.get(aid)), ("text", text)):
            if not isinstance(body, str) or not body:
                continue
            for rec in _attribute_text(body, mentions.get((aid, location), [])):
                qid = f"{aid}/q{k}"
                group = groups[-1] if rec["interrupted"] and groups else qid
                groups.append(group)
                rows.append(_record_row(aid, outlet, location, k, rec, group))
                k += 1
    out = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    return out.astype({N_WORDS: "int64", START_CHAR: "int64", END_CHAR: "int64"})


def quote_problems(articles: pd.DataFrame) -> pd.DataFrame:
    """List the quotation marks that were skipped because they are unbalanced.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``text``; ``headline`` if present).

    Returns
    -------
    pandas.DataFrame
        One row per skipped mark, columns :data:`PROBLEM_COLUMNS`: where it is, the mark,
        "unclosed" or "unopened", and the text around it.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": ['He said “no. Then “yes,” she said.']})
    >>> quote_problems(arts)[["start_char", "mark", "problem"]].values.tolist()
    [[8, '“', 'unclosed']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    heads = dict(zip(_headline_table(articles)[S.ARTICLE_ID], _headline_table(articles)[S.SENTENCE_TEXT]))
    rows = []
    for aid, outlet, text in articles[[S.ARTICLE_ID, S.OUTLET, S.TEXT]].itertuples(index=False):
        for location, body in (("headline", heads.get(aid)), ("text", text)):
            if isinstance(body, str):
                for pos, mark, problem in scan_quotes(body)[1]:
                    rows.append((aid, outlet, location, pos, mark, problem,
                                 body[max(0, pos - 40):pos + 40].replace("\n", " ")))
    return pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS)).astype({START_CHAR: "int64"})


# --------------------------------------------------------------------------- summaries
VOICE_SHARE = "voice_share"  # share of the outlet's quoted words spoken by this speaker
N_QUOTES = "n_quotes"  # quotations
OUTLET_WORDS = "outlet_quoted_words"  # all quoted words of the outlet (the denominator)
N_ARTICLES = "n_articles"  # articles of the outlet in which the speaker is quoted
ARTICLE_WORDS = "article_words"  # words in the article text
QUOTED_WORDS = "quoted_words"  # words of the article inside quotations
QUOTED_SHARE = "quoted_share"  # quoted_words / article_words
VOICE_COLUMNS = (S.OUTLET, SPEAKER, SPEAKER_TYPE, N_ARTICLES, N_QUOTES, N_WORDS, OUTLET_WORDS, VOICE_SHARE)


def voice_share(quotes: pd.DataFrame) -> pd.DataFrame:
    """Count quotations and quoted words per outlet and speaker; return the voice share.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`extract_quotes` (``article_id``, ``outlet``, ``speaker``,
        ``speaker_type``, ``n_words``).

    Returns
    -------
    pandas.DataFrame
        One row per (outlet, speaker), columns :data:`VOICE_COLUMNS`: articles, quotations
        and quoted words, the outlet's quoted words, and ``voice_share`` = words / outlet
        words (sums to 1 within an outlet). Sorted by outlet, then share (largest first),
        then speaker. Unattributed quotations form their own speaker row.

    Notes
    -----
    Voice share is a share of quoted words, not of quotations: one long quotation weighs
    more than three short fragments. Both counts are in the table. With one article per
    outlet, a difference between outlets is a difference between two articles.

    Examples
    --------
    >>> q = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"],
    ...                   "speaker": ["Ann", "Bob", "Ann"], "speaker_type": ["person"] * 3,
    ...                   "n_words": [3, 1, 5]})
    >>> voice_share(q)[["outlet", "speaker", "n_words", "voice_share"]].values.tolist()
    [['X', 'Ann', 3, 0.75], ['X', 'Bob', 1, 0.25], ['Y', 'Ann', 5, 1.0]]
    """
    S.check_columns(quotes, [S.ARTICLE_ID, S.OUTLET, SPEAKER, SPEAKER_TYPE, N_WORDS], table="quotes")
    g = quotes.groupby([S.OUTLET, SPEAKER], sort=True)
    out = g.agg(**{SPEAKER_TYPE: (SPEAKER_TYPE, "first"), N_ARTICLES: (S.ARTICLE_ID, "nunique"),
                   N_QUOTES: (N_WORDS, "size"), N_WORDS: (N_WORDS, "sum")}).reset_index()
    out[OUTLET_WORDS] = out.groupby(S.OUTLET)[N_WORDS].transform("sum")
    out[VOICE_SHARE] = (out[N_WORDS] / out[OUTLET_WORDS].where(out[OUTLET_WORDS] > 0)).round(6)
    out = out.sort_values([S.OUTLET, VOICE_SHARE, SPEAKER], ascending=[True, False, True], kind="stable")
    return out[list(VOICE_COLUMNS)].reset_index(drop=True)


def verb_profile(quotes: pd.DataFrame) -> pd.DataFrame:
    """Count reporting verbs per outlet and speaker.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`extract_quotes` (``outlet``, ``speaker``, ``verb``, ``verb_class``).

    Returns
    -------
    pandas.DataFrame
        One row per (outlet, speaker, verb): ``verb_class``, ``n_quotes`` and
        ``speaker_quotes`` (all quotations of that speaker in that outlet, the
        denominator). Quotations without a verb (continuations) have verb "" and class
        "none". Sorted by outlet, speaker, verb.

    Examples
    --------
    >>> q = pd.DataFrame({"outlet": ["X"] * 3, "speaker": ["Ann"] * 3,
    ...                   "verb": ["say", "claim", "say"], "verb_class": ["neutral", "loaded", "neutral"]})
    >>> verb_profile(q)[["verb", "verb_class", "n_quotes", "speaker_quotes"]].values.tolist()
    [['claim', 'loaded', 1, 3], ['say', 'neutral', 2, 3]]
    """
    S.check_columns(quotes, [S.OUTLET, SPEAKER, VERB, VERB_CLASS], table="quotes")
    out = quotes.groupby([S.OUTLET, SPEAKER, VERB, VERB_CLASS], sort=True).size().rename(N_QUOTES).reset_index()
    out["speaker_quotes"] = out.groupby([S.OUTLET, SPEAKER])[N_QUOTES].transform("sum")
    return out.sort_values([S.OUTLET, SPEAKER, VERB], kind="stable").reset_index(drop=True)


def quote_coverage(articles: pd.DataFrame, quotes: pd.DataFrame) -> pd.DataFrame:
    """Return the share of each article's words that lie inside quotations.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``text``).
    quotes : pandas.DataFrame
        From :func:`extract_quotes`; only ``location == "text"`` rows count.

    Returns
    -------
    pandas.DataFrame
        One row per article: ``article_id``, ``outlet``, ``article_words``,
        ``quoted_words``, ``n_quotes`` and ``quoted_share``; in article order.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": ["“One two,” he said."]})
    >>> q = pd.DataFrame({"article_id": ["a"], "location": ["text"], "n_words": [2]})
    >>> quote_coverage(arts, q)[["article_words", "quoted_words", "quoted_share"]].values.tolist()
    [[4.0, 2.0, 0.5]]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    S.check_columns(quotes, [S.ARTICLE_ID, LOCATION, N_WORDS], table="quotes")
    inside = quotes[quotes[LOCATION] == "text"].groupby(S.ARTICLE_ID)[N_WORDS].agg(["sum", "size"])
    out = articles[[S.ARTICLE_ID, S.OUTLET]].copy()
    out[ARTICLE_WORDS] = [len(_WORD_RE.findall(str(t))) for t in articles[S.TEXT]]
    out[QUOTED_WORDS] = out[S.ARTICLE_ID].map(inside["sum"]).fillna(0).astype("int64")
    out[N_QUOTES] = out[S.ARTICLE_ID].map(inside["size"]).fillna(0).astype("int64")
    out[QUOTED_SHARE] = (out[QUOTED_WORDS] / out[ARTICLE_WORDS].where(out[ARTICLE_WORDS] > 0)).round(6)
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------ cross-outlet links
LINK_ID = "quote_group"  # id of a quotation reported in several articles ("g0", "g1", ...)
STATUS = "status"  # "quoted" (quotation marks) or "paraphrased" (same words, no marks)
SIMILARITY = "similarity"  # word overlap with the group's reference quotation (0-1)
LINK_COLUMNS = (LINK_ID, S.ARTICLE_ID, S.OUTLET, STATUS, SPEAKER, "text", SIMILARITY, QUOTE_ID)
MIN_LINK_WORDS = 3  # quotations must share at least this many words (in order) to be linked
MAX_LENGTH_RATIO = 4  # a fragment links to a quotation at most this many times longer


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(fold_for_matching(text))]


def _overlap(a: list[str], b: list[str]) -> float:
    """Return matched words (difflib blocks, order kept) / length of the shorter list."""
    from difflib import SequenceMatcher

    if min(len(a), len(b)) < MIN_LINK_WORDS:
        return 0.0
    matched = sum(b.size for b in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / min(len(a), len(b)) if matched >= MIN_LINK_WORDS else 0.0


def _quote_groups(quotes: pd.DataFrame, threshold: float) -> list[list[int]]:
    """Group quotations of different articles around a reference quotation (no chaining).

    Longest quotations first; each joins the first group whose reference (its longest
    member) it overlaps by at least `threshold`, with the same speaker (or either
    unattributed), else it starts a group. Only groups spanning two articles are kept.
    """
    toks = [_tokens(q) for q in quotes[QUOTE]]
    arts, speakers = quotes[S.ARTICLE_ID].tolist(), quotes[SPEAKER].tolist()
    order = sorted(range(len(toks)), key=lambda i: (-len(toks[i]), i))
    groups: list[list[int]] = []
    for i in order:
        for g in groups:
            ref = g[0]
            same = speakers[i] == speakers[ref] or UNATTRIBUTED in (speakers[i], speakers[ref])
            close = len(toks[ref]) <= MAX_LENGTH_RATIO * len(toks[i])  # "make a deal" is not a 30-word speech
            if same and close and arts[i] != arts[ref] and _overlap(toks[i], toks[ref]) >= threshold:
                g.append(i)
                break
        else:
            groups.append([i])
    return [sorted(g) for g in groups if len({arts[i] for i in g}) > 1]


def link_quotes(quotes: pd.DataFrame, sentences: pd.DataFrame, *, threshold: float = 0.6) -> pd.DataFrame:
    """Link one quotation across the outlets that quote it, and find who paraphrased it.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`extract_quotes`.
    sentences : pandas.DataFrame
        The sentence table (``article_id``, ``outlet``, ``sentence_text``, ``quoted``).
    threshold : float, default 0.6
        Minimum word overlap (matched words in order / words of the shorter text).

    Returns
    -------
    pandas.DataFrame
        One row per (quotation group, article), columns :data:`LINK_COLUMNS`, for groups
        quoted by at least two articles: "quoted" rows carry the quotation, "paraphrased"
        rows a sentence with no quotation marks in another article that repeats at least
        `threshold` of the group's longest quotation's content words. Sorted by group
        size (largest first), group, status, article.

    Notes
    -----
    Groups form around the longest quotation, with the same speaker, so fragments do not
    chain unrelated quotations together; a fragment of fewer than three words ("too
    late") is never linked, nor a fragment to a quotation more than four times its
    length. Paraphrase detection counts the quotation's lower-case content words only
    (names are in every sentence about the story). Compares each quotation with each group (quadratic in the
    number of quotations: fine for hundreds of articles, not for tens of thousands). Paraphrase here means the same
    content words without quotation marks; a reworded paraphrase is found by
    :mod:`analysis.reuse` instead.

    Examples
    --------
    >>> q = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "speaker": ["T", "T"],
    ...                   "quote": ["We are talking to the people of the island", "talking to the people"],
    ...                   "quote_id": ["a/q0", "b/q0"]})
    >>> s = pd.DataFrame({"article_id": ["c"], "outlet": ["Z"], "quoted": ["none"],
    ...                   "sentence_text": ["He said they were talking to people on the island."]})
    >>> link_quotes(q, s)[["article_id", "status", "similarity"]].values.tolist()
    [['a', 'quoted', 1.0], ['b', 'quoted', 1.0], ['c', 'paraphrased', 1.0]]
    """
    from analysis.resources import stopwords

    S.check_columns(quotes, [S.ARTICLE_ID, S.OUTLET, SPEAKER, QUOTE, QUOTE_ID], table="quotes")
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT, S.QUOTED], table="sentences")
    stop = stopwords("english")
    plain = sentences[sentences[S.QUOTED] == "none"]  # carrying the words without any quotation marks
    sent_toks = [[w for w in _tokens(t) if w not in stop] for t in plain[S.SENTENCE_TEXT]]
    rows = []
    for members in _quote_groups(quotes.reset_index(drop=True), threshold):
        sub = quotes.reset_index(drop=True).iloc[members]
        ref = max(sub[QUOTE], key=lambda t: (len(_tokens(t)), t))
        ref_toks = _tokens(ref)
        gid = min(sub[QUOTE_ID])
        for r in sub.itertuples(index=False):
            rows.append((gid, getattr(r, S.ARTICLE_ID), getattr(r, S.OUTLET), "quoted", getattr(r, SPEAKER),
                         getattr(r, QUOTE), round(_overlap(_tokens(getattr(r, QUOTE)), ref_toks), 6),
                         getattr(r, QUOTE_ID)))
        content = [fold_for_matching(w).lower() for w in _WORD_RE.findall(ref)  # names do not count:
                   if w[:1].islower() and fold_for_matching(w).lower() not in stop]  # "Donald Trump" is everywhere
        quoting = set(sub[S.ARTICLE_ID])
        for (aid, outlet, text), toks in zip(plain[[S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT]].itertuples(
                index=False), sent_toks):
            if aid in quoting or len(content) < MIN_LINK_WORDS:
                continue
            share = sum(w in set(toks) for w in content) / len(content)
            if share >= threshold:
                rows.append((gid, aid, outlet, "paraphrased", "", text, round(share, 6), ""))
    out = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    size = out.groupby(LINK_ID)[S.ARTICLE_ID].transform("nunique")
    out = out.assign(_size=size).sort_values(["_size", LINK_ID, STATUS, S.ARTICLE_ID],
                                             ascending=[False, True, False, True], kind="stable")
    return out.drop(columns="_size").reset_index(drop=True)
