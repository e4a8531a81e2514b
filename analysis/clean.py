"""Clean raw article text conservatively, and record everything that was removed.

Cleaning strips page furniture (related-story boxes, "Published <date>" lines, letters
footers, staff bylines, "Advertisement:", stray ``date YYYY-MM-DD`` prefixes, a repeated
headline, section navigation above it, crossheads), extracts the dateline, the wire credit
and the publication date, and normalises Unicode to NFC. Every removal is recorded with its
line number and text, so nothing disappears silently: see :func:`removals`.

The cleaned text keeps the source's own characters (curly quotes stay curly); matching
code uses :func:`fold_for_matching`, which maps each character to exactly one character,
so offsets found in the folded text are valid in the cleaned text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from analysis import schema as S
from analysis.errors import CorpusError

# Month names for "January 12, 2026" and "Jan. 12, 2026" dates (English news style).
_MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?" \
    r"|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_DATE_RE = rf"(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"

# Wire services recognised in credits and datelines.
_WIRES = r"AFP|AP|Reuters|EFE|dpa|ANSA|Xinhua|Bloomberg|Agence France-Presse|Associated Press"

# Line patterns, each a kind of page furniture; matched against the stripped line.
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("date-prefix", re.compile(r"^date (?P<iso>\d{4}-\d{2}-\d{2})\b\s*")),
    ("published-line", re.compile(rf"^\W*(?:Published|Updated|Posted)(?: on)?:?\s+{_DATE_RE}.*$")),
    ("wire-credit", re.compile(rf"^(?:Source|Credit|Via)\s*:\s*(?P<wire>{_WIRES})\.?$", re.I)),
    ("furniture", re.compile(
        r"^(?:Recommended stories|Related stories|Read more:?|Advertisement:?|"
        r"list of \d+ items?(?:end of list)?|end of list|Share this article|Skip to content)$",
        re.I,
    )),
    ("footer", re.compile(
        r"(?:publishes letters|letters to the editor|does not necessarily reflect the opinions)",
        re.I,
    )),
    ("byline", re.compile(r"^(?:By\s+[A-Z][\w.'’ -]{1,60}|[A-Z][\w.'’ -]{1,60}\s+Staff)$")),
    ("crosshead", re.compile(r"^-\s+\S.{0,80}\s+-$")),
)

_DATELINE_RES = (
    # "Havana, January 12, 2026 — " (place, date, dash)
    re.compile(rf"^(?P<place>[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){{0,3}}),\s+{_DATE_RE}\s*[—–-]+\s*"),
    # "HAVANA (AFP) — " or "HAVANA (AP) -"
    re.compile(rf"^(?P<place>[A-Z][A-Z’'. -]{{1,40}}?)\s*\((?P<wire>{_WIRES})\)\s*[—–:-]+\s*"),
    # "HAVANA: " (upper-case place and a colon)
    re.compile(r"^(?P<place>[A-Z][A-Z’'. -]{1,40}?):\s+"),
)

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SENTENCE_END = ("." , "?", "!", "”", '"', "’", "'", ":", ")", ";")


@dataclass
class Cleaned:
    """The result of cleaning one article (see :func:`clean_text`)."""

    text: str
    headline: str | None = None
    dateline: str | None = None
    wire: str | None = None
    published: str | None = None
    removed: list[dict] = field(default_factory=list)


def parse_date(text: str) -> str | None:
    """Return the ISO date ("YYYY-MM-DD") of an English news date, or None.

    Parameters
    ----------
    text : str
        "January 12, 2026", "Jan. 12 2026" or "2026-01-12".

    Returns
    -------
    str or None
        The ISO date, or None when `text` holds no valid date.

    Examples
    --------
    >>> parse_date("Published January 12, 2026")
    '2026-01-12'
    >>> parse_date("2026-02-30") is None
    True
    """
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.search(_DATE_RE, text)
        if not m:
            return None
        y, d = int(m["year"]), int(m["day"])
        mo = _MONTHS[m["month"].rstrip(".").lower()]
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})\s*$")
_DAY_MONTH_YEAR = re.compile(rf"^\s*(?:\w+,?\s+)?(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_RE}),?\s+(?P<year>\d{{4}})\b")
_ISO_START = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d{2}:\d{2})")


class DateError(CorpusError):
    """A metadata date that cannot be read, or a numeric date whose day and month cannot be told apart."""


def _year(y: str) -> int:
    if len(y) == 4:
        return int(y)
    pivot = dt.date.today().year % 100 + 1  # two-digit years: up to next year is 20yy, else 19yy
    return 2000 + int(y) if int(y) <= pivot else 1900 + int(y)


def parse_published(value: str, *, dayfirst: bool | None = None) -> str | None:
    """Return the ISO date of a publication date as news data carries it, or None if empty.

    Parameters
    ----------
    value : str
        A date from a manifest or table: ISO dates and timestamps (with or without a time
        zone), "January 12, 2026", "Jan. 12, 2026", "12 January 2026", RFC 2822
        ("Mon, 12 Jan 2026 10:00:00 -0500") or numeric "7/23/17", "23/07/2017", "23.07.2017".
    dayfirst : bool or None, keyword-only
        How to read a numeric date whose first two numbers could both be a month: True for
        day/month/year, False for month/day/year, None to refuse such a date.

    Returns
    -------
    str or None
        "YYYY-MM-DD", the date as published (a timestamp keeps its own local date: no time
        zone conversion moves an article to another day); None for an empty value.

    Raises
    ------
    DateError
        For a value that is no date, an impossible date, or an ambiguous numeric date
        ("3/4/2017") when `dayfirst` is None. The message says what is valid.

    Notes
    -----
    O(len(value)). A numeric date is unambiguous when one number is above 12 ("7/23/17" is
    July 23) or both are equal. Two-digit years up to next year's are 20yy, others 19yy.

    Examples
    --------
    >>> parse_published("2013-05-24T14:03:00-04:00"), parse_published("7/23/17")
    ('2013-05-24', '2017-07-23')
    >>> parse_published("12 January 2026"), parse_published("Mon, 12 Jan 2026 23:30:00 -0500")
    ('2026-01-12', '2026-01-12')
    >>> parse_published("3/4/2017", dayfirst=True)
    '2017-04-03'
    >>> parse_published("3/4/2017")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.clean.DateError: ambiguous date '3/4/2017': day and month could be either; ...
    """
    text = value.strip()
    if not text:
        return None
    m = _ISO_START.match(text)
    if m:
        parts = tuple(int(g) for g in m.groups())
    elif m := _NUMERIC_DATE.match(text):
        a, b, year = int(m.group(1)), int(m.group(3)), _year(m.group(4))
        if a > 12 or (dayfirst is True and b <= 12):
            day, month = a, b
        elif b > 12 or a == b or dayfirst is False:
            day, month = b, a
        else:
            raise DateError(f"ambiguous date {value!r}: day and month could be either; "
                            "pass --dayfirst (day/month/year) or --monthfirst (month/day/year)")
        parts = (year, month, day)
    elif m := _DAY_MONTH_YEAR.match(text):
        parts = (int(m["year"]), _MONTHS[m["month"].rstrip(".").lower()], int(m["day"]))
    elif iso := parse_date(text):
        return iso
    else:
        raise DateError(f"cannot parse date {value!r}; use YYYY-MM-DD (timestamps too), "
                        "'January 12, 2026', '12 January 2026', RFC 2822 or numeric 7/23/2017")
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        raise DateError(f"cannot parse date {value!r}: no such day") from None


def _tidy_line(line: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _norm(s: str) -> str:
    return _tidy_line(fold_for_matching(unicodedata.normalize("NFC", s)))


MAX_HEADLINE = 300  # characters: a longer line is never taken for a (repeated) headline


def _find_headline(lines: list[str], given: str | None) -> int | None:
    """Return the index of the headline line among the first content lines, or None."""
    content = [i for i, ln in enumerate(lines) if ln][:8]
    if given:
        target = _norm(given)
        for i in content[:4]:
            if len(lines[i]) <= 2 * len(given) + 20 and _norm(lines[i]) == target:
                return i
    seen: dict[str, int] = {}
    for i in content:
        if len(lines[i]) > MAX_HEADLINE:
            continue  # a paragraph, not a headline: skip the normalising
        key = _norm(lines[i])
        if key in seen and len(key.split()) >= 4:
            return seen[key]
        seen.setdefault(key, i)
    return None


def _is_navigation(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 8 and all(w[0].isupper() for w in words) and line[-1] not in ".?!"


def _take_dateline(first: str, out: Cleaned, line_no: int) -> str:
    for pattern in _DATELINE_RES:
        m = pattern.match(first)
        if m and len(first) > m.end():
            out.dateline = m["place"].strip()
            if "wire" in m.groupdict() and m["wire"] and not out.wire:
                out.wire = m["wire"]
            if out.published is None and "year" in m.groupdict():
                out.published = parse_date(m.group(0))
            out.removed.append({"kind": "dateline", "line": line_no, "text": m.group(0).strip()})
            return first[m.end():]
    return first


def clean_text(raw: str, *, headline: str | None = None) -> Cleaned:
    """Clean one article's raw text and record what was removed.

    Parameters
    ----------
    raw : str
        The article as read from its source.
    headline : str, optional
        The known headline; a first line equal to it is moved out of the body.

    Returns
    -------
    Cleaned
        Cleaned text (paragraphs separated by a blank line), headline, dateline, wire
        credit, publication date and the list of removals ({"kind", "line", "text"}).

    Notes
    -----
    Conservative by design: a line is removed only when it matches a furniture pattern
    (``_LINE_RULES``), repeats the headline, or is short title-case navigation above a
    detected headline. Soft-wrapped lines (no sentence-final mark, next line lower-case)
    are joined. Undetected furniture stays in the text; check :func:`removals`.

    Examples
    --------
    >>> c = clean_text("Recommended stories\\nHAVANA: Talks stalled.\\nSource: AFP")
    >>> c.text, c.dateline, c.wire
    ('Talks stalled.', 'HAVANA', 'AFP')
    >>> [r["kind"] for r in c.removed]
    ['furniture', 'dateline', 'wire-credit']
    """
    out = Cleaned(text="")
    nfc = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [ln.strip() for ln in _SPACES.sub(" ", _INVISIBLE.sub("", nfc)).split("\n")]  # = _tidy_line
    head_i = _find_headline(lines, headline)
    keep: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if not line:
            keep.append((i, ""))
            continue
        if head_i is not None and i <= head_i + 6 and i != head_i and _norm(line) == _norm(
            lines[head_i]
        ):
            out.removed.append({"kind": "repeated-headline", "line": i + 1, "text": line})
            continue
        if head_i is not None and i < head_i and _is_navigation(line):
            out.removed.append({"kind": "navigation", "line": i + 1, "text": line})
            continue
        if i == head_i:
            out.headline = line
            out.removed.append({"kind": "headline", "line": i + 1, "text": line})
            continue
        line = _apply_line_rules(line, i + 1, out)
        keep.append((i, line))
    paragraphs = _paragraphs(keep)
    if paragraphs:
        first_line, first = paragraphs[0]
        paragraphs[0] = (first_line, _take_dateline(first, out, first_line + 1))
    out.text = "\n\n".join(p for _, p in paragraphs if p)
    out.removed.sort(key=lambda r: (r["line"], r["kind"]))
    return out


# A cheap necessary condition per rule, checked before its regex: most lines are prose that
# no rule can match, and this keeps cleaning a small share of prepare's time.
_HINTS = {
    "date-prefix": lambda line, low: line.startswith("date "),
    "published-line": lambda line, low: any(w in line[:60] for w in ("Published", "Updated", "Posted")),
    "wire-credit": lambda line, low: len(line) < 60 and ":" in line,
    "furniture": lambda line, low: len(line) < 40,
    "footer": lambda line, low: "letters" in low or "necessarily reflect" in low,
    "byline": lambda line, low: len(line) <= 70,
    "crosshead": lambda line, low: line.startswith("-") and line.endswith("-"),
}


def _apply_line_rules(line: str, line_no: int, out: Cleaned) -> str:
    """Remove furniture from one line; return what is left (possibly "")."""
    low = line.lower()
    for kind, pattern in _LINE_RULES:
        if not _HINTS[kind](line, low):
            continue
        m = pattern.search(line) if kind == "footer" else pattern.match(line)
        if not m:
            continue
        if kind == "date-prefix":
            out.published = out.published or parse_date(m["iso"])
            out.removed.append({"kind": kind, "line": line_no, "text": m.group(0).strip()})
            return line[m.end():]
        if kind == "published-line":
            out.published = out.published or parse_date(line)
        if kind == "wire-credit":
            out.wire = out.wire or m["wire"]
        out.removed.append({"kind": kind, "line": line_no, "text": line})
        return ""
    return line


def _paragraphs(keep: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Group kept lines into paragraphs: one per line, soft-wrapped lines joined."""
    paras: list[tuple[int, str]] = []
    prev_blank = True
    for i, line in keep:
        if not line:
            prev_blank = True
            continue
        soft_wrap = (
            paras and not prev_blank and not paras[-1][1].endswith(_SENTENCE_END)
            and line[0].islower()
        )
        if soft_wrap:
            paras[-1] = (paras[-1][0], paras[-1][1] + " " + line)
        else:
            paras.append((i, line))
        prev_blank = False
    return paras


def clean_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Clean every article and return the canonical articles table.

    Parameters
    ----------
    articles : pandas.DataFrame
        One row per article with at least ``article_id``, ``outlet`` and ``raw_text``;
        ``headline``, ``published``, ``dateline``, ``wire``, ``url``, ``source`` and extra
        columns are used or kept when present. Given values win over detected ones.

    Returns
    -------
    pandas.DataFrame
        One row per article: :data:`analysis.schema.ARTICLE_COLUMNS` first, then the
        input's extra columns. The input is not modified.

    Raises
    ------
    CorpusError
        When articles are empty after cleaning (one line naming each one's source).
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.RAW_TEXT], table="articles")
    rows, empty = [], []
    for rec in articles.to_dict("records"):
        given = {k: _given(rec.get(k)) for k in (S.HEADLINE, S.PUBLISHED, S.DATELINE, S.WIRE)}
        c = clean_text(rec[S.RAW_TEXT], headline=given[S.HEADLINE])
        if not c.text.strip():
            empty.append(f"{rec.get(S.SOURCE) or rec[S.ARTICLE_ID]}: no text left after cleaning "
                         "(only page furniture or blank lines)")
        rows.append({
            **rec,
            S.HEADLINE: given[S.HEADLINE] or c.headline,
            S.PUBLISHED: given[S.PUBLISHED] or c.published,
            S.DATELINE: given[S.DATELINE] or c.dateline,
            S.WIRE: given[S.WIRE] or c.wire,
            S.URL: _given(rec.get(S.URL)),
            S.SOURCE: rec.get(S.SOURCE) or rec[S.ARTICLE_ID],
            S.TEXT: c.text,
            S.REMOVED: json.dumps(c.removed, ensure_ascii=False),
        })
    if empty:
        raise CorpusError("\n".join(empty))
    out = pd.DataFrame(rows)
    extra = [c for c in out.columns if c not in S.ARTICLE_COLUMNS]
    return out[list(S.ARTICLE_COLUMNS) + extra].reset_index(drop=True)


def _given(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    value = str(value).strip()
    return value or None


def removals(articles: pd.DataFrame) -> pd.DataFrame:
    """Return what cleaning removed, one row per removed piece of text.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles table (with ``removed``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.schema.REMOVAL_COLUMNS`, ordered by article and line.

    Examples
    --------
    >>> arts = clean_articles(pd.DataFrame({"article_id": ["a"], "outlet": ["X"],
    ...                                     "raw_text": ["Advertisement:\\nIt rained."]}))
    >>> removals(arts)[["line", "kind", "removed_text"]].to_dict("records")
    [{'line': 1, 'kind': 'furniture', 'removed_text': 'Advertisement:'}]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.REMOVED], table="articles")
    rows = [
        {S.ARTICLE_ID: a, S.OUTLET: o, S.LINE: r["line"], S.KIND: r["kind"],
         S.REMOVED_TEXT: r["text"]}
        for a, o, rem in zip(articles[S.ARTICLE_ID], articles[S.OUTLET], articles[S.REMOVED])
        for r in json.loads(rem)
    ]
    return pd.DataFrame(rows, columns=list(S.REMOVAL_COLUMNS))


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    for chars, to in (("‘’‚‛′`´", "'"), ("“”„‟″«»", '"'), ("‐‑‒–—―−", "-"), ("…", ".")):
        for ch in chars:
            table[ord(ch)] = to
    for cp in (0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
        table[cp] = " "
    table[0x130] = "I"  # "İ".lower() would become two characters
    return table


_FOLD = _fold_table()
# the characters _FOLD changes are all outside ASCII but the backtick: a text with few of them
# is folded by replacing those alone, a C-level scan with a call per character found
_FOLDABLE = re.compile("[^\x00-\x5f\x61-\x7f]")
_FOLD_CHAR = {chr(k): v if isinstance(v, str) else chr(v) for k, v in _FOLD.items()}


def _fold_char(match: re.Match) -> str:
    return _FOLD_CHAR.get(match.group(), match.group())


def fold_for_matching(text: str) -> str:
    """Fold case, accents, quotes, dashes and spaces, one character for one character.

    Parameters
    ----------
    text : str
        Any text (usually a cleaned article).

    Returns
    -------
    str
        Lower-case text of the same length in which "Díaz" is "diaz", curly quotes are
        straight, every dash is "-" and every space character is " ". Offsets found in the
        result are valid in `text`.

    Notes
    -----
    Accents are folded for Latin letters with a decomposition to an ASCII base
    (U+00C0-U+024F, U+1E00-U+1EFF); "ø", "ł" and non-Latin scripts are only lower-cased.
    O(characters): ASCII text is only lower-cased; text with a few non-ASCII characters (curly
    quotes, dashes, accents: most news) has those replaced by one scan; other text goes
    through the whole table (``str.translate``). The three give what the table gives.

    Examples
    --------
    >>> fold_for_matching("Díaz-Canel’s “regime” — İ")
    'diaz-canel\\'s "regime" - i'
    """
    if text.isascii():  # nothing to fold but case: skip the per-character table (most English text)
        return text.lower()
    if len(text.encode("utf-8", "surrogatepass")) - len(text) < len(text) // 8:  # a few curly quotes
        return _FOLDABLE.sub(_fold_char, text).lower()  # same as translate: 3-6x faster on news text
    return text.translate(_FOLD).lower()
