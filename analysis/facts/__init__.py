"""Extract numeric facts (counts, barrels a day, money, dates, percentages) and compare outlets.

:func:`extract_facts` finds numeric claims in each sentence — "35,000 barrels of oil a day",
"30 to 50 million barrels", "$2.8 billion", "at least 100 people", "dozens of arrests",
"January 3, 2026", "5%" — and normalises each to (value, value_high, unit, qualifier) with
the words that say what it counts. :func:`fact_matrix` shows which outlet reports which
figure; :func:`fact_conflicts` lists figures for what looks like the same quantity that
differ between outlets (:mod:`analysis.facts.conflicts`, where :func:`conflict_summary` keeps
what a summary page may state).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import parse_date

# --- columns of the facts table (tables/facts.csv) ----------------------------------------------
SURFACE = "surface"  # the figure as written ("about 5,500 barrels of oil per day")
VALUE = "value"  # the number (lower end of a range); NaN for dates
VALUE_HIGH = "value_high"  # upper end of a range, else equal to value
UNIT = "unit"  # barrels/day, barrels, USD, %, date, year, casualties, or the counted noun
QUALIFIER = "qualifier"  # exact, at least, more than, about, up to, less than, range, vague
COUNTS = "counts"  # the words after the figure that say what it counts ("members of the Cuban ...")
SUBJECT = "subject"  # first capitalised word of the figure's clause ("Mexico"), or ""
FACT = "fact"  # normalised label without qualifier ("5,500 barrels/day"); key of the outlet x fact matrix
DATE = "date"  # ISO date for unit "date" ("2026-01-03"; year from the article if not written)
QUANTITY = "quantity"  # what is counted, from the noun the number modifies ("people killed", "votes"); "" = none
STORY = "story"  # the article's story: its `story` or `topic` column, else "" (see fact_conflicts)
KEYWORDS = "keywords"  # the sentence's content words, sorted, space-separated (for comparing contexts)
FACT_COLUMNS = (S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, S.START, S.END, SURFACE, VALUE, VALUE_HIGH, UNIT,
                QUALIFIER, COUNTS, SUBJECT, FACT, DATE, QUANTITY, STORY, KEYWORDS)
CONFLICT_COLUMNS = (UNIT, QUANTITY, "outlet_a", "fact_a", "surface_a", "outlet_b", "fact_b", "surface_b",
                    "sentence_a", "sentence_b", STORY, "overlap", "text_a", "text_b")
STORY_COLUMNS = ("story", "topic")  # article columns that name the story, first found wins
MAX_DAYS = 3  # without a story column, figures are compared only between articles this many days apart
MIN_OVERLAP = 0.25  # Jaccard overlap of the two sentences' content words a compared pair needs

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                     "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
               "a hundred": 100, "a thousand": 1000, "a dozen": 12})
# Vague quantity words: the smallest value each can mean (dozens >= 24), qualifier "vague".
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000,
          "hundreds of thousands": 200000, "millions": 2e6}
_QUALIFIERS = {"at least": "at least", "more than": "more than", "over": "more than", "nearly": "about",
               "almost": "about", "about": "about", "around": "about", "roughly": "about", "approximately": "about",
               "some": "about", "an estimated": "about", "estimated": "about", "up to": "up to",
               "as many as": "up to", "fewer than": "less than", "less than": "less than", "at most": "up to"}
_CASUALTY = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|casualt(?:y|ies)|wounded|injured|fatalit(?:y|ies))\b",
                       re.I)
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_WORDNUM = rf"{_TENS}[-‐‑](?:{_UNITS})|" + "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?"
    rf"(?:(?P<date>{_MONTHS}\s+\d{{1,2}}(?:,\s*(?P<dyear>\d{{4}}))?)"
    rf"|(?P<money>(?:US)?\$\s?(?P<mnum>{_NUM})(?:\s*(?P<mscale>thousand|million|billion|trillion|bn|mn)\b)?)"
    rf"|(?:between\s+)?(?P<lo>{_NUM}|\b(?:{_WORDNUM})\b)"
    rf"(?:\s*(?:to|-|–|and)\s*(?P<hi>{_NUM}))?"
    rf"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    rf"(?P<pct>\s*%|\s+percent\b|\s+per cent\b)?"
    rf"|(?P<vague>\b(?:hundreds of thousands|tens of thousands|dozens|scores|hundreds|thousands|millions)\b))",
    re.I)
_COUNTS = re.compile(r"\s*(?:of\s+)?((?:[\w’'-]+\s+){0,5}?[\w’'-]+?)(?=\s+(?:that|which|who|before|after|while|"
                     r"in|on|at|to|from|by|for|with|since|during|stationed|killed|was|were|is|are|has|have|had|worth|"
                     r"should|could|would|will|can|may|might|must)\b|[,.;:!?)]|$)")
_CLAUSE_BREAK = re.compile(r"[,;:(]|\b(?:while|and|but|whereas)\b")
_NOT_COUNTS = ("one", "zero")  # number words too ambiguous to read as counts ("one of the few")
# compiled once (the module-level re functions look each pattern up in a cache on every call)
_OF_SPLIT = re.compile(r"\s+of\s+")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")
_MONTH_RE = re.compile(_MONTHS)
_COUNT_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_KEYWORD = re.compile(r"[a-z][a-z'-]+")
_NOT_SUBJECTS = frozenset("The A An In On At After Before But And He She It They We I This That".split())


def _number(text: str) -> float:
    t = text.lower().strip()
    if t in _WORDS:
        return float(_WORDS[t])
    tens, _, unit = re.sub(r"[‐‑]", "-", t).partition("-")
    if unit and tens in _WORDS and unit in _WORDS:  # "forty-five"
        return float(_WORDS[tens] + _WORDS[unit])
    return float(t.replace(",", ""))


def _unit(m: re.Match, after: str, sentence: str) -> tuple[str, str, str]:
    """Return (unit, qualifier override or "", counted words) of one matched figure."""
    counts_m = _COUNTS.match(after)
    counts = counts_m.group(1) if counts_m else ""
    before_of = _OF_SPLIT.split(counts)[0].split()
    lower = [w for w in before_of if w[:1].islower()]  # "two Venezuelan dictators" -> dictators
    head = lower[0] if lower else (before_of[0].lower() if before_of else "")
    if any(w.lower().startswith("barrel") for w in before_of):
        head = "barrels"
    if m.group("date"):
        return "date", "", ""
    if m.group("money"):
        return "USD", "", counts
    if m.group("pct"):
        return "%", "", counts
    if m.group("vague"):
        return ("casualties" if _CASUALTY.search(sentence) else head or "count"), "vague", counts
    if head.startswith("barrel") or head == "bpd":
        per_day = re.search(r"\b(?:a|per)\s+day\b|\bdaily\b|\bbpd\b", counts)
        return ("barrels/day" if per_day else "barrels"), "", counts
    lo = m.group("lo")
    if re.fullmatch(r"(?:19|20)\d\d", lo or "") and not m.group("hi") and head not in ("people", "barrels"):
        return "year", "", ""
    if _CASUALTY.search(sentence) and head not in ("years", "days", "months", "year", "day", "month"):
        return "casualties", "", counts
    return (head if head not in ("date", "year") else f"{head}s") or "count", "", counts


def _subject(sentence: str, pos: int) -> str:
    """Return the first capitalised word of the clause that holds `pos` ("" if none)."""
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, pos)]
    clause = sentence[starts[-1] if starts else 0:pos]
    for w in _CAPITALISED.findall(clause):
        if w not in _NOT_SUBJECTS and not _MONTH_RE.fullmatch(w):
            return w
    return ""


_KILLED = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|deaths?|fatalit(?:y|ies))\b", re.I)
_WOUNDED = re.compile(r"\b(?:wound(?:ed|ing|s)?|injur(?:ed|ing|y|ies)|hurt)\b", re.I)
_AUX = re.compile(r"\b(?:were|was|are|is|have|has|had|been|being|people|others|persons)\b")
_DIGIT_OR_NUMBER = re.compile(rf"\d|\b(?:{'|'.join(w for w in _WORDS if ' ' not in w)})\b", re.I)
_AGE = re.compile(r"\b[A-Z][\w’'-]*\.?,\s*$")  # "Tsarnaev, 26, died", "Donahue Jr., 33, was": an age in apposition
# "ranged in age from 46 to 73", "aged 33": the number is an age, not a count of anything
_AGE_OF = re.compile(r"\b(?:age[sd]?|ag(?:ing|e\s+range))\b(?:\s+(?:of|from|between|range[sd]?|in))*\s*$", re.I)
# a part of a total, not a total: "100 of the injured were released", "3 of the 10 dead"
_PART_AFTER = re.compile(r"\s+of\s+(?:the|those|them|these|whom|all)\b", re.I)
# "Of the 22 people killed Friday, ... 12 died in Alexandria": a sentence opening with a casualty total
# makes the figures after it parts of that total ("Of those, 355 died" names no casualty: a toll)
_PART_FRAME = re.compile(r"^\W*(?:of|among)\s+(?:the|those|these|them)\b([^,;]*),", re.I)
_NEAR = 20  # characters between a figure and its casualty word ("killing three", "three people dead")
_CASUALTY_WORDS = frozenset("killed killing kills dead died death deaths wounded injured injuries hurt "
                            "casualties casualty fatalities others".split())
_DURATIONS = frozenset("second minute hour day week month year decade centurie century".split())
_STOP = frozenset("""a an the and or but of in on at to from by for with over under about after before into than
this that these those his her its their our your my some any each every other another more most less least
per via as is are was were be been being has have had do does did not no nor so too very""".split())
_NOT_QUANTITY = frozenset({"count", "year", "date", "times", "time", "of", "a", "an", "the", "other", "more", "than",
                           "percent", "per", "cent"})


def _part_of_a_named_total(sentence: str, start: int) -> bool:
    """Whether the figure at `start` follows an opening "Of the 22 people killed," (a part of that total)."""
    m = _PART_FRAME.match(sentence)
    return bool(m) and start >= m.end() and bool(_CASUALTY.search(m.group(1)))


def _quantity(unit: str, counts: str, sentence: str, start: int, end: int) -> str:
    """Return what a figure counts ("people killed", "barrels a day", "vote %"), or "" if unknown."""
    if unit not in ("date", "year", "%", "USD", "barrels", "barrels/day") and (
            _AGE_OF.search(sentence[max(0, start - 40):start]) or _PART_AFTER.match(sentence, end)
            or _part_of_a_named_total(sentence, start)):
        return ""  # an age ("ranged in age from 46 to 73") or a part of a total ("100 of the injured")
    words = [w.lower().strip("’'") for w in _COUNT_WORD.findall(counts)]
    words = [w for w in words if w not in _NOT_QUANTITY and w not in _STOP and len(w) > 2]
    head = words[0] if words else ""
    if unit == "casualties":  # the casualty word nearest the figure, at most 20 characters away
        between = [(sentence[end:m.start()] if m.start() >= end else sentence[m.end():start], m.start() < end, name)
                   for name, rx in (("killed", _KILLED), ("wounded", _WOUNDED)) for m in rx.finditer(sentence)]
        near = [(len(_AUX.sub("", text).strip()), before, name) for text, before, name in between
                if before or not _DIGIT_OR_NUMBER.search(text)]  # "211, when 161 people were killed": 161's
        if (not near or min(near)[0] > _NEAR or re.match(r"\s*(?:-|–)?\s*year|:\d|\s*[ap]\.?m\b", sentence[end:])
                or sentence[max(0, start - 1):start] == ":" or _AGE.search(sentence[:start]) and
                re.match(r"\s*,", sentence[end:])):
            return ""  # "Tsarnaev, 26, was killed", "the 19-year-old": not a casualty count
        who = head if head and head not in _CASUALTY_WORDS else "people"
        return f"{who[:-1] if who.endswith('s') and who != 'people' else who} {min(near)[2]}"
    if unit in ("date", "year", "count"):
        return ""
    if unit in ("barrels", "barrels/day"):
        return unit
    if unit in ("USD", "%"):
        return f"{head.rstrip('s')} {unit}" if head else ""
    if not unit.isalpha() or len(unit) < 3 or unit in _STOP or unit.rstrip("s") in _DURATIONS or "year" in unit:
        return ""  # "30 a", "2 p", "26 years": no counted noun, or a duration
    return unit[:-1] if unit.endswith("s") and not unit.endswith("ss") and len(unit) > 3 else unit


def _fmt(v: float) -> str:
    """Format a number for a label: 35,000 / 2.8 billion / 30 million / 0.5."""
    for scale, word in ((1e9, " billion"), (1e6, " million")):
        if abs(v) >= scale:
            return f"{v / scale:g}{word}"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0")


def _label(lo: float, hi: float, unit: str, date: str) -> str:
    """Return the normalised label of a figure, without its qualifier ("100 casualties")."""
    if unit == "date":
        return date
    if unit == "year":
        return f"{lo:.0f}"
    if hi != lo:
        a, b = _fmt(lo), _fmt(hi)
        value = f"{a.split()[0]}–{b}" if a.split()[1:] == b.split()[1:] else f"{a}–{b}"
    else:
        value = _fmt(lo)
    return f"${value}" if unit == "USD" else f"{value}{'' if unit == '%' else ' '}{unit}"


# Every match of _FIGURE begins with one of these literals (case-folded) or a digit: a qualifier,
# a month, "between", money, a number word or a vague quantity word.
_STARTS = (tuple(_QUALIFIERS) + tuple(_MONTHS[3:-1].lower().split("|")) + ("between", "us$", "$")
           + tuple(_WORDS) + tuple(_VAGUE) + tuple("0123456789"))


@functools.lru_cache(maxsize=1)
def _start_automaton():
    """Return the Aho-Corasick automaton of :data:`_STARTS` (pyahocorasick), built once."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for key in set(_STARTS):
        auto.add_word(key, len(key))
    auto.make_automaton()
    return auto


def _figures(sentence: str):
    """Yield the matches of _FIGURE in `sentence`, as ``_FIGURE.finditer`` does, trying only possible starts.

    ``finditer`` tries the long pattern at every character; a match can only begin where one
    of :data:`_STARTS` begins, so the positions are found in one Aho-Corasick pass over the
    lower-cased sentence and the pattern is tried there only, left to right, each search
    resuming after the last match (``finditer``'s rule). The matches are the same (tests
    compare both on real sentences). A sentence whose lower-casing changes its length
    ("İ"), or that holds a character the case-insensitive pattern equates with an ASCII
    letter without lower-casing to it ("ı", "ſ"), takes ``finditer``.
    """
    lower = sentence.lower()
    if len(lower) != len(sentence) or ("ı" in sentence or "ſ" in sentence):
        yield from _FIGURE.finditer(sentence)
        return
    starts = sorted({end - length + 1 for end, length in _start_automaton().iter(lower)})
    pos = 0
    for p in starts:
        if p < pos:
            continue
        m = _FIGURE.match(sentence, p)
        if m:
            yield m
            pos = m.end()


def _sentence_facts(sentence: str, year: str | None) -> list[tuple]:
    """Return (offset, end, surface, lo, hi, unit, qualifier, counts, subject, label, date) per figure."""
    out = []
    for m in _figures(sentence):
        if not any(m.group(g) for g in ("date", "money", "lo", "vague")):
            continue
        word = m.group("lo") if m.group("lo") and not m.group("lo")[0].isdigit() else ""
        if word and (word.isupper() or (word[0].isupper() and m.start() > 0) or word.lower() in _NOT_COUNTS):
            continue  # "One", "ZERO", "no one": not counts
        after = sentence[m.end():]
        unit, qual_override, counts = _unit(m, after, sentence)
        qual = _QUALIFIERS.get((m.group("qual") or "").lower(), "exact")
        lo = hi = np.nan
        date = ""
        if m.group("date"):  # (a counted noun "date", as in "two dates", is not a date)
            yr = m.group("dyear") or year
            date = parse_date(f"{m.group('date').split(',')[0]}, {yr}") or "" if yr else ""
            date = date or m.group("date")
        elif m.group("money"):
            lo = hi = _number(m.group("mnum")) * _SCALE.get((m.group("mscale") or "").lower(), 1)
        elif m.group("vague"):
            lo = hi = float(_VAGUE[m.group("vague").lower()])
        else:
            scale = _SCALE.get((m.group("scale") or "").lower(), 1)
            lo = _number(m.group("lo")) * scale
            hi = _number(m.group("hi")) * scale if m.group("hi") else lo
            if m.group("hi") and qual == "exact":
                qual = "range"
        qual = qual_override or qual
        end = m.end() + (len(after) - len(after.lstrip()) + len(counts) if counts and unit not in ("date", "year")
                         else 0)
        out.append((m.start(), end, sentence[m.start():end], lo, hi, unit, qual, counts,
                    _subject(sentence, m.start()), _label(lo, hi, unit, date), date,
                    _quantity(unit, counts, sentence, m.start(), m.end())))
    return out


def extract_facts(sentences: pd.DataFrame, *, articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Extract the numeric facts of every sentence, normalised to (value, unit, qualifier).

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``article_id``, ``outlet``, ``start``,
        ``sentence_text``).
    articles : pandas.DataFrame, optional
        The articles table; its ``published`` year completes dates written without one
        ("January 3").

    Returns
    -------
    pandas.DataFrame
        One row per figure, columns :data:`FACT_COLUMNS`; ``start``/``end`` are offsets
        into ``articles.text``. In sentence order.

    Notes
    -----
    Recognised: digits with thousands separators and decimals, number words up to twenty
    and the tens, "thousand/million/billion" scales, ranges ("30 to 50 million barrels",
    "between 10 and 20"), money in dollars ("$2.8 billion"), percentages, month-day dates,
    years (1900-2099 alone), vague quantities ("dozens" = at least 24, qualifier "vague"),
    and qualifiers (at least, more than, about, up to, less than). Units: barrels/day when
    "a day", "per day" or "daily" follows, casualties when the sentence speaks of killing
    or deaths, else the counted noun. A number that is an age ("Donahue Jr., 33,", "ranged
    in age from 46 to 73") or a part of a total ("100 of the injured", "3 of the 10 dead")
    counts nothing (``quantity`` ""). Known failures: a number word that is not a count
    ("one of the few") is read as 1; units of an elliptical phrase ("Russia supplies 7,500
    barrels", meaning a day) are taken literally.
    Cost: O(characters + possible starts): one Aho-Corasick pass per sentence finds where a
    figure can begin (a digit, "$", a number, qualifier, month or vague word), and the
    figure pattern is tried there only (:func:`_figures`; the same matches as a full
    regular-expression scan, 4.2x faster on abp-2013: bench/framing.py).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "start": [0],
    ...     "sentence_text": ["The raid killed at least 100 people; Venezuela will send 30 to 50 million "
    ...                       "barrels worth up to $2.8 billion, about 35,000 barrels of oil a day."]})
    >>> extract_facts(s)[["value", "value_high", "unit", "qualifier", "fact"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [[100.0, 100.0, 'casualties', 'at least', '100 casualties'],
     [30000000.0, 50000000.0, 'barrels', 'range', '30–50 million barrels'],
     [2800000000.0, 2800000000.0, 'USD', 'up to', '$2.8 billion'],
     [35000.0, 35000.0, 'barrels/day', 'about', '35,000 barrels/day']]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT], table="sentences")
    from analysis.resources import stopwords

    stop = stopwords("english")
    years, story = {}, {}
    if articles is not None and S.PUBLISHED in articles.columns:
        years = {a: str(p)[:4] for a, p in zip(articles[S.ARTICLE_ID], articles[S.PUBLISHED]) if isinstance(p, str)}
    column = next((c for c in STORY_COLUMNS if articles is not None and c in articles.columns), None)
    if column:
        story = {a: "" if pd.isna(t) else str(t) for a, t in zip(articles[S.ARTICLE_ID], articles[column])}
    rows = []
    columns = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT)
    for sid, aid, outlet, offset, text in zip(*(sentences[c].tolist() for c in columns)):  # not itertuples:
        # iterating an Arrow-backed column yields one value per call, 5x slower than tolist (same values)
        found = _sentence_facts(str(text), years.get(aid))
        if not found:
            continue
        keywords = " ".join(sorted({w for w in _KEYWORD.findall(str(text).lower()) if w not in stop}))
        for start, end, *rest in found:
            rows.append((aid, outlet, sid, int(offset) + start, int(offset) + end, *rest, story.get(aid, ""),
                         keywords))
    out = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    return out.astype({S.START: "int64", S.END: "int64", VALUE: "float64", VALUE_HIGH: "float64"})


def fact_matrix(facts: pd.DataFrame, *, units: list[str] | None = None,
                outlets: list[str] | None = None) -> pd.DataFrame:
    """Return the outlet x fact matrix: how often each outlet reports each figure.

    Parameters
    ----------
    facts : pandas.DataFrame
        From :func:`extract_facts`.
    units : list of str, optional
        Keep only these units (e.g. ``["barrels/day", "casualties"]``); None keeps all.
    outlets : list of str, optional
        Outlet columns to show (an outlet with no figure gets a column of zeros); None
        shows the outlets found in `facts`.

    Returns
    -------
    pandas.DataFrame
        One row per fact label (``fact``, ``unit``, ``value``, then one column per outlet
        holding the number of mentions, 0 when absent, and ``n_outlets``). Sorted by
        unit, value, fact.

    Notes
    -----
    Cost: O(facts + facts' labels x outlets).

    Examples
    --------
    >>> f = pd.DataFrame({"outlet": ["X", "Y", "Y"], "fact": ["32 casualties", "32 casualties", "5%"],
    ...                   "unit": ["casualties", "casualties", "%"], "value": [32.0, 32.0, 5.0]})
    >>> fact_matrix(f).values.tolist()
    [['5%', '%', 5.0, 0, 1, 1], ['32 casualties', 'casualties', 32.0, 1, 1, 2]]
    """
    S.check_columns(facts, [S.OUTLET, FACT, UNIT, VALUE], table="facts")
    sub = facts if units is None else facts[facts[UNIT].isin(units)]
    wide = pd.crosstab([sub[FACT], sub[UNIT], sub[VALUE].fillna(-1.0)], sub[S.OUTLET])
    wide.columns = [str(c) for c in wide.columns]
    if outlets is not None:
        wide = wide.reindex(columns=[str(o) for o in outlets], fill_value=0)
    wide["n_outlets"] = (wide > 0).sum(axis=1)
    out = wide.reset_index().rename(columns={"row_2": VALUE})
    out[VALUE] = out[VALUE].replace(-1.0, np.nan)
    return out.sort_values([UNIT, VALUE, FACT], kind="stable").reset_index(drop=True)


# comparing figures between outlets lives in its own module; its names stay importable from here
from analysis.facts.conflicts import (  # noqa: E402
    _VAGUE_WORDS,  # noqa: F401
    MAX_SHOWN_RATIO,  # noqa: F401
    MIN_SHOWN_VALUE,  # noqa: F401
    SHOWN_QUANTITIES,  # noqa: F401
    _bounds,  # noqa: F401
    _other_years,  # noqa: F401
    conflict_summary,  # noqa: F401
    fact_conflicts,  # noqa: F401
    select_conflicts,  # noqa: F401
)
