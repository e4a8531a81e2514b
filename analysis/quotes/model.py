"""A learned speaker chooser: score every name near a quotation, the rules' pick among them.

The rules (:mod:`analysis.quotes.attribute`) give each quotation one speaker and the rule
that applied (``cue``). :func:`quotation_candidates` lists the alternatives: the rules' pick,
every person or organisation mentioned (outside quotations) in the quotation's sentence, the
sentence after and the three paragraphs before, and "(unattributed)". Each candidate is
described by binary features of the sentence's shape, not of its words: whether the rules
chose it and by which cue, distance in sentences, paragraphs and characters (binned), before
or after the quotation, a reporting verb right after or right before the name or between the
name and the quotation, subject position, preposition or possessive before or after it,
entity type and kind, title words before it, how often it was named so far, whether it spoke
the previous quotation. A name that only modifies the next one ("Republican" of "said
Republican strategist Ron Bonjean", :func:`_modifies`) is no candidate: the noun phrase's
position and verb are its head's, and a rules' pick of it passes to the head. A logistic
regression over these features, trained by
:mod:`analysis.train_speakers` on the labelled sets and shipped as JSON
(``resource_files/speaker_model.json``), scores the candidates; the highest wins.

The only word lists the features use are the package's closed classes: the reporting verbs
(:data:`analysis.quotes.VERB_CLASSES`), prepositions, and title words
(:data:`analysis.quotes.speakers.TITLE_WORDS`); none was fitted to the labelled articles.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.errors import ResourceError
from analysis.quotes.columns import UNATTRIBUTED
from analysis.quotes.context import (
    _PREPOSITIONS,
    _Article,
    _in_parentheses,
    _possessive,
    _sentence_end,
    _sentence_start,
)
from analysis.quotes.speakers import TITLE_WORDS
from analysis.quotes.verbs import _VERB_RE

MODEL_FILE = Path(__file__).resolve().parent.parent / "resource_files" / "speaker_model.json"
PARAGRAPHS_BACK = 3  # candidates are looked for this many paragraphs before the quotation's
MAX_MENTIONS = 60  # ... among at most this many mentions before the window's end (a long paragraph stays linear)
_NAMED_KINDS = ("name", "surname", "role", "unlisted")
_SPEAKER_TYPES = ("person", "organization")


@dataclass(frozen=True)
class Candidate:
    """One possible speaker of one quotation, with the binary features the model scores."""

    name: str  # entity name, or UNATTRIBUTED
    type: str  # person / organization / ... ("none" for UNATTRIBUTED)
    kind: str  # name / surname / unlisted / ... ("none" for UNATTRIBUTED)
    surface: str  # the words that named it at its nearest mention
    role: str  # the rules' role words when the rules chose it, else ""
    rule: bool  # the rules' pick
    features: tuple[str, ...]
    head: str = ""  # the name this one only modifies ("Republican" of "Republican strategist Ron Bonjean"), else ""


def _bin(x: float, edges: tuple) -> str:
    """Return the label of the bin of `x`: ``"<e"`` for the first edge above it, else ``">=last"``."""
    for e in edges:
        if x < e:
            return f"<{e}"
    return f">={edges[-1]}"


def _paragraph_index(art: _Article, pos: int) -> int:
    return max(0, bisect_right(art.paragraphs, (pos, math.inf)) - 1)


def _sentence_index(art: _Article, pos: int) -> int:
    """Return a running sentence number of `pos` (sentence breaks and paragraph starts counted); O(log n)."""
    return bisect_right(art.breaks, pos) + _paragraph_index(art, pos)


_WORD_BEFORE = re.compile(r"([\w.’'-]+)\W{0,3}$")


def _word_before(text: str, pos: int) -> str:
    m = _WORD_BEFORE.search(text, max(0, pos - 30), pos)
    return m.group(1).lower() if m else ""


_PHRASE_BREAK = re.compile(r"[,;:()“”\"\n]|\.\s")


def _modifies(text: str, end: int, start: int) -> bool:
    """Tell whether the words in ``text[end:start]`` join two names into one noun phrase.

    True when at most 40 characters with no comma, colon, bracket, quotation mark or
    sentence stop lie between and each word is capitalised or a title word ("Republican
    strategist Ron Bonjean", "Virginia Gov.-elect Terry McAuliffe", "White House spokesman
    Raj Shah"): the first name then only modifies the second. O(start - end).
    """
    between = text[end:start]
    if len(between) > 40 or _PHRASE_BREAK.search(between):
        return False
    for word in between.split():
        parts = [w.rstrip(".") for w in re.split(r"[-’']", word.lower()) if w]
        if not word[0].isupper() and not all(w in TITLE_WORDS or w in ("elect", "s") for w in parts):
            return False
    return True


def _mention_features(art: _Article, c, qs: int, qe: int, first_in_sentence: bool,
                      phrase_start: int | None = None) -> list[str]:
    """Return the position and shape features of the mention `c` relative to the quotation ``[qs, qe)``.

    `phrase_start`: where the noun phrase that `c` heads begins, when other names modify it
    ("Republican strategist Ron Bonjean"); the word before the phrase is read there.
    """
    text = art.text
    before = c.end <= qs
    gap = qs - c.end if before else max(0, c.start - qe)
    side = "before" if before else "after"
    dsent = abs(_sentence_index(art, qs if before else qe - 1) - _sentence_index(art, c.start))
    dpar = abs(_paragraph_index(art, qs) - _paragraph_index(art, c.start))
    f = [f"side={side}", f"dchar={_bin(gap, (3, 20, 60, 150, 400, 1000))}", f"dsent={_bin(dsent, (1, 2, 3, 5))}",
         f"dpar={_bin(dpar, (1, 2, 3))}", f"dsent={_bin(dsent, (1, 2, 3, 5))}|{side}"]
    verb_after = _VERB_RE.match(text, c.end + (1 if text[c.end:c.end + 1] == " " else 0))
    near = text[c.end:c.end + 40]
    if verb_after is not None:
        f.append("verb_right_after")
    elif _VERB_RE.search(near) and "“" not in near and '"' not in near:
        f.append("verb_soon_after")
    word = _word_before(text, c.start if phrase_start is None else phrase_start)
    if _VERB_RE.fullmatch(word):
        f.append("verb_right_before")
    if before and dsent == 0 and any(not art.inside(m.start()) for m in _VERB_RE.finditer(text, c.end, qs)):
        f.append("verb_between")
    if not before and dsent == 0 and any(not art.inside(m.start()) for m in _VERB_RE.finditer(text, qe, c.start)):
        f.append("verb_between")
    if word in _PREPOSITIONS or (word in ("the", "a", "an") and _word_before(text, c.start - len(word) - 1)
                                 in _PREPOSITIONS):
        f.append("after_preposition")
    if word.rstrip(".") in TITLE_WORDS or word in TITLE_WORDS:
        f.append("title_before")
    if _possessive(text, c.end):
        f.append("possessive")
    if _in_parentheses(text, c.start):
        f.append("parentheses")
    if first_in_sentence:
        f.append("subject")
    if text[c.end:c.end + 1] == ",":
        f.append("comma_after")
    return f


_CROSSED = ("verb_right_after", "verb_right_before", "last_speaking_before", "gender=other")
_PRONOUN_VERB = re.compile(r"[\s,—–-]*(he|she|they|it)\s+(?:[a-z]+ly\s+|also\s+|later\s+)?(\w+)", re.I)
_NAME_VERB = re.compile(r"[\s,—–-]*(?:[A-Z][\w’'.-]*\s+){1,4}(\w+)")
_VERB_NAME = re.compile(r"[\s,—–-]*(\w+(?: to)?)\s+(?:the\s+)?[A-Z]")


def _speaking(art: _Article, c) -> bool:
    """Tell whether a reporting verb follows the mention `c` within two words ("X said", "X, 45, said")."""
    m = _VERB_RE.search(art.text, c.end, min(len(art.text), c.end + 25))
    return m is not None and not any(ch in art.text[c.end:m.start()] for ch in "“”\".")


def _quote_context(art: _Article, qs: int, qe: int) -> tuple[list[str], str]:
    """Return the quotation's shape features ("q:...") and the gender of a he/she right after it."""
    text = art.text
    sent = _sentence_start(art, qs)
    lead = text[sent:qs].strip()
    out, gender = [], "?"
    if not lead:
        out.append("q:opens_paragraph" if sent == art.paragraph_of(qs)[0] else "q:opens_sentence")
    elif lead.endswith(":"):
        out.append("q:colon")
    elif any(not art.inside(m.start()) for m in _VERB_RE.finditer(text, sent, qs)):
        out.append("q:verb_before")
    else:
        out.append("q:inside_sentence")
    tail = text[qe:qe + 60]
    pv, nv, vn = _PRONOUN_VERB.match(tail), _NAME_VERB.match(tail), _VERB_NAME.match(tail)
    if pv and _VERB_RE.fullmatch(pv.group(2)):
        out.append("q:then_pronoun_verb")
        gender = {"he": "m", "she": "f"}.get(pv.group(1).lower(), "?")
    elif vn and _VERB_RE.fullmatch(vn.group(1)):
        out.append("q:then_verb_name")
    elif nv and _VERB_RE.fullmatch(nv.group(1)):
        out.append("q:then_name_verb")
    elif text[qe - 2:qe - 1] in (".", "!", "?") or text[qe:qe + 1] in (".",):
        out.append("q:then_sentence_end")
    else:
        out.append("q:then_other")
    return out, gender


def _quote_shape(quote: str) -> list[str]:
    """Return features of the quoted words themselves: their number, case and closing punctuation.

    A scare quote, a term or a title ("“testing”", "“Iron Lady”") is short, often in title case,
    and ends without punctuation; reported speech is a clause. Read only by the unattributed
    candidate (:data:`UNATTRIBUTED` fits quotations that are no speech). O(length of the quotation).
    """
    words = quote.split()
    out = [f"w:words={_bin(len(words), (2, 3, 5, 9))}"]
    if words and all(w[:1].isupper() or not w[:1].isalpha() or w in _SMALL_WORDS for w in words):
        out.append("w:title_case")
    if quote[-1:] in ".!?,":
        out.append("w:ends_" + {".": "stop", "!": "stop", "?": "stop", ",": "comma"}[quote[-1]])
    if quote[:1].isupper():
        out.append("w:capital")
    return out


_SMALL_WORDS = frozenset("a an the of in on for to and or with at by".split())


def quotation_candidates(art: _Article, records: list[dict], *, rules: bool = True) -> list[list[Candidate]]:
    """Return the speaker candidates of each quotation record, with their features.

    Parameters
    ----------
    art : analysis.quotes.context._Article
        The indexed text (:func:`analysis.quotes.attribute.attribute_article`).
    records : list of dict
        Its quotation records, in text order.
    rules : bool, default True
        Add the features of the rules' pick (:func:`with_rules`); False gives the shape
        features only (for training on another version's rules).

    Returns
    -------
    list of list of Candidate
        One list per record: the rules' pick (if any) first, then the other named persons
        and organisations of the window in order of first mention, then UNATTRIBUTED.
        Candidates are distinct by name; a name's features are those of its nearest mention.

    Notes
    -----
    The window is the quotation's sentence, the sentence after it and the
    :data:`PARAGRAPHS_BACK` paragraphs before its own, capped at the :data:`MAX_MENTIONS`
    mentions nearest its end (a paragraph of hundreds of quotations stays linear; the cap
    never binds on the labelled sets). O(quotations x window candidates x log n).
    Known failure: a speaker never mentioned in the window (or not proposed as an entity)
    can only come from the rules.
    """
    text = art.text
    named = [c for c in art.cands if c.kind in _NAMED_KINDS and c.type in _SPEAKER_TYPES]
    starts = [c.start for c in named]
    first_of_sentence: set[int] = set()
    seen_sentence: set[int] = set()
    for c in named:  # the first named person or organisation of each sentence
        k = _sentence_index(art, c.start)
        if k not in seen_sentence and not art.inside(c.start):
            seen_sentence.add(k)
            first_of_sentence.add(c.start)
    head_of: dict[int, int] = {}  # start of a modifying mention -> start of the name it modifies
    for c, n in zip(named, named[1:]):
        if n.type == "person" and n.start >= c.end and _modifies(text, c.end, n.start):
            head_of[c.start] = n.start
    phrase_start: dict[int, int] = {}  # start of a modified name -> start of its noun phrase
    for m in sorted(head_of, reverse=True):
        phrase_start[head_of[m]] = phrase_start.get(m, m)
    for m, h in head_of.items():  # the phrase's first name stands for the sentence's subject
        if m in first_of_sentence and phrase_start.get(h) == m:
            first_of_sentence.add(h)
    entity_at = {c.start: c.entity for c in named}
    counts: dict[str, list[int]] = {}
    for c in named:
        counts.setdefault(c.entity, []).append(c.start)
    out: list[list[Candidate]] = []
    for rec in records:
        qs, qe = rec["start"], rec["end"]
        p = _paragraph_index(art, qs)
        lo = art.paragraphs[max(0, p - PARAGRAPHS_BACK)][0] if art.paragraphs else 0
        end = _sentence_end(art, qe - 1)
        hi = _sentence_end(art, end) if end < len(text) and art.paragraph_of(end)[0] == art.paragraph_of(qe - 1)[0] \
            else end
        hi = max(hi, _sentence_start(art, qe - 1))
        top = bisect_left(starts, hi)
        window = named[max(bisect_left(starts, lo), top - MAX_MENTIONS):top]
        by_name: dict[str, tuple] = {}
        for c in window:
            gap = qs - c.end if c.end <= qs else c.start - qe
            if c.entity not in by_name or gap < by_name[c.entity][0]:
                by_name[c.entity] = (gap, c)
        order = sorted(by_name, key=lambda n: (by_name[n][0], n))
        rank = {n: i for i, n in enumerate(order)}
        context, gender = _quote_context(art, qs, qe)
        before_rank = {n: i for i, n in enumerate(x for x in order if by_name[x][1].end <= qs)}
        last_speaking = next((x for x in order if by_name[x][1].end <= qs and _speaking(art, by_name[x][1])), None)
        cands: list[Candidate] = []
        for name in dict.fromkeys(c.entity for c in window):
            c = by_name[name][1]
            if c.start in head_of:  # it only modifies the next name: the phrase's verb and position are the head's
                f = ["modifies_name", *(x for x in _mention_features(art, c, qs, qe, False)
                                        if x not in ("verb_right_before", "verb_right_after", "verb_soon_after"))]
            else:
                f = _mention_features(art, c, qs, qe, c.start in first_of_sentence, phrase_start.get(c.start))
            f += [f"rank={min(rank[name], 3)}", f"type={c.type}", f"kind={c.kind}"]
            if name in before_rank:
                f.append(f"rank_before={min(before_rank[name], 2)}")
            if name == last_speaking:
                f.append("last_speaking_before")
            if gender != "?" and c.type == "person":
                g = art.genders.get(name.split()[-1], "?") if name.split() else "?"
                f.append("gender=" + ("same" if g == gender else "other" if g != "?" else "unknown"))
            keys = [k for k in f if k in _CROSSED]
            keys.append(next(k for k in f if k.startswith("dsent=") and "|" in k))
            f += [f"{q}&{k}" for q in context for k in keys]
            f.append(f"mentions_before={_bin(bisect_left(counts.get(name, []), qs), (1, 2, 4))}")
            head = entity_at[head_of[c.start]] if c.start in head_of else ""
            cands.append(Candidate(name, c.type, c.kind, c.surface, "", False, tuple(f), head))
        unattr = ["unattributed", f"unattributed|n={_bin(len(cands), (1, 2, 4))}"]
        unattr += [f"{q}&unattributed" for q in context] + [f"{q}&unattributed" for q in _quote_shape(rec["quote"])]
        cands.append(Candidate(UNATTRIBUTED, "none", "none", "", "", False, tuple(unattr)))
        if not rules:
            out.append(cands)
            continue
        res, cand = rec["resolved"], rec["cand"]
        if res is None or res.kind in ("pronoun", "generic"):
            pick = RulePick(UNATTRIBUTED if res is None else res.entity, "none", "none", "", "", rec["cue"],
                            cand.kind if cand is not None else "none")
        else:
            pick = RulePick(res.entity, res.type, res.kind, cand.surface, res.role, rec["cue"], cand.kind)
        out.append(with_rules(cands, pick))
    return out


@dataclass(frozen=True)
class RulePick:
    """What the rules said of one quotation: the speaker (as the quotes table gives it) and how."""

    name: str  # speaker; UNATTRIBUTED, or a pronoun / generic noun left unresolved
    type: str
    kind: str
    surface: str
    role: str
    cue: str
    via: str  # the kind of the words that named it (pronoun, generic, name, ...)


def with_rules(cands: list[Candidate], pick: RulePick) -> list[Candidate]:
    """Return `cands` (mentions then UNATTRIBUTED) with the features of the rules' pick.

    The candidate the rules chose (the same name, else the first whose surname agrees) gets
    "rule", "rule|cue=..." and "rule|via=..."; the others "other|cue=..."; a name the rules
    read that no mention gives is added first ("unmentioned"). A pronoun or generic noun the
    rules could not resolve counts as UNATTRIBUTED ("unattributed|rule_unresolved").
    """
    unresolved = pick.kind in ("pronoun", "generic") or (pick.name != UNATTRIBUTED and pick.type == "none")
    name = UNATTRIBUTED if unresolved else pick.name
    at = next((i for i, c in enumerate(cands) if c.name == name), None)
    if at is None and name != UNATTRIBUTED:
        at = next((i for i, c in enumerate(cands[:-1]) if _surname(c.name) == _surname(name)), None)
    if at is not None and cands[at].head:  # the rules read a name that only modifies the next one
        at = next((i for i, c in enumerate(cands) if c.name == cands[at].head), at)
    tags = ("rule", f"rule|cue={pick.cue}", f"rule|via={pick.via}")
    out = []
    if at is None:
        out.append(Candidate(name, pick.type, pick.kind, pick.surface, pick.role, True,
                             ("unmentioned", f"type={pick.type}", f"kind={pick.kind}", *tags)))
    for i, c in enumerate(cands):
        if c.head and i != at:
            continue  # a modifier is no candidate of its own
        extra = tags if i == at else (f"other|cue={pick.cue}",)
        if c.name == UNATTRIBUTED:
            extra += (f"unattributed|cue={pick.cue}",) + (("unattributed|rule_unresolved",) if unresolved else ())
        out.append(Candidate(c.name, c.type, c.kind, c.surface, pick.role if i == at else c.role, i == at,
                             c.features + extra))
    return out


def _surname(name: str) -> str:
    words = re.findall(r"\w[\w’'-]*", name.lower())
    return words[-1] if words else ""


class SpeakerModel:
    """A fitted speaker chooser: one weight per feature and an intercept, read from JSON.

    Parameters
    ----------
    data : dict
        ``{"weights": {feature: weight}, "intercept": float, ...}`` as written by
        :mod:`analysis.train_speakers`.
    """

    def __init__(self, data: dict):
        try:
            self.weights = {str(k): float(v) for k, v in data["weights"].items()}
            self.intercept = float(data["intercept"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ResourceError(f"speaker model: needs 'weights' (feature -> number) and 'intercept'; {exc!r}") \
                from exc
        self.meta = {k: v for k, v in data.items() if k not in ("weights", "intercept")}

    def score(self, cand: Candidate) -> float:
        """Return the candidate's logit (sum of its features' weights plus the intercept); O(features)."""
        return self.intercept + sum(self.weights.get(f, 0.0) for f in cand.features)

    def choose(self, cands: list[Candidate]) -> int:
        """Return the index of the highest-scoring candidate (the first on ties); O(candidates x features)."""
        scores = [self.score(c) for c in cands]
        return max(range(len(cands)), key=lambda i: (scores[i], -i))

    def choose_text(self, art: _Article, records: list[dict], cands: list[list[Candidate]]) -> list[Candidate]:
        """Return the pick for each quotation of one text, in order, each seeing the previous pick.

        The previous quotation's pick, when it lies in the same paragraph or the one before,
        adds :func:`with_previous` features. O(quotations x candidates x features).
        """
        picks: list[Candidate] = []
        for k, options in enumerate(cands):
            prev = picks[-1].name if picks and _close(art, records[k - 1], records[k]) else None
            options = with_previous(options, prev)
            picks.append(options[self.choose(options)])
        return picks


def _close(art: _Article, before: dict, rec: dict) -> bool:
    """Tell whether quotation `before` ends in the paragraph of `rec` or the one before it."""
    return _paragraph_index(art, rec["start"]) - _paragraph_index(art, before["end"] - 1) <= 1


def with_previous(cands: list[Candidate], previous: str | None) -> list[Candidate]:
    """Return `cands` with the features of the previous quotation's speaker `previous` (None: unknown).

    The candidate named `previous` gets "previous_pick" and its crosses with the quotation's
    shape ("q:opens_paragraph&previous_pick": a quotation continuing over paragraphs).
    """
    if previous is None:
        return cands
    context = [f for f in cands[-1].features if f.startswith("q:") and f.endswith("&unattributed")]
    out = []
    for c in cands:
        if c.name == previous:
            tag = "previous_unattributed" if previous == UNATTRIBUTED else "previous_pick"
            extra = (tag, *(q.replace("&unattributed", "&" + tag) for q in context))
            c = Candidate(c.name, c.type, c.kind, c.surface, c.role, c.rule, c.features + extra)
        out.append(c)
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> SpeakerModel:
    from analysis.resources import read_model_json

    return SpeakerModel(read_model_json(path, what="speaker model", rebuild="python -m analysis.train_speakers"))


def load_model(path=None) -> SpeakerModel:
    """Return the speaker model at `path` (default: the shipped :data:`MODEL_FILE`), cached.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A JSON file written by :mod:`analysis.train_speakers`.

    Returns
    -------
    SpeakerModel

    Raises
    ------
    ResourceError
        If the file cannot be read or lacks weights.

    Examples
    --------
    >>> m = load_model()
    >>> sorted(m.weights)[:1] != []
    True
    """
    return _load(str(Path(path) if path is not None else MODEL_FILE))
