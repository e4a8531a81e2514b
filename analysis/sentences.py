"""Split cleaned articles into sentences, with offsets and quotation flags.

The splitter is NLTK's Punkt algorithm with our own parameters
(:func:`analysis.resources.punkt_parameters`: no training data, no download), run on
each paragraph, followed by one repair: a "sentence" that starts with a lower-case letter
continues the previous one (``“Is it over?” he asked.``). Quotation spans come from
:func:`scan_quotes`, the one quotation scanner of the package (:mod:`analysis.quotes`
and :mod:`analysis.labels` use it too): curly, straight, low-9, guillemet and doubled
single quotes; unbalanced marks are reported and skipped, never swallowing text.
"""

from __future__ import annotations

import bisect
import functools
import re

import pandas as pd

from analysis import schema as S

# Reporting verbs that, after a closing quotation mark, continue the sentence:
# “... ZERO!” Trump posted on Truth Social. (A name of up to four words, then the verb;
# a capitalised pronoun starts a new sentence: “... sovereign.” He said.)
_ATTRIBUTION = re.compile(
    r"^(?!(?:He|She|They|It|We|I|You|This|That)\b)(?:[A-Z][\w’'.-]*\s+){1,4}(?:said|says|posted|wrote|writes|added|adds|told|stated|"
    r"asked|declared|insisted|warned|claimed|replied|tweeted|vowed|noted|continued)\b"
)
_CLOSERS = ("”", '"', "’", "'", "»")


@functools.cache
def _punkt():
    from analysis._nltk import PunktSentenceTokenizer
    from analysis.resources import punkt_parameters

    return PunktSentenceTokenizer(punkt_parameters())


def split_spans(paragraph: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences of one paragraph.

    Parameters
    ----------
    paragraph : str
        One paragraph of cleaned text.

    Returns
    -------
    list of (int, int)
        Offsets into `paragraph`, in order; ``paragraph[start:end]`` is a sentence
        without surrounding white space.

    Notes
    -----
    Does not split after the abbreviations in :data:`analysis.resources.ABBREVIATIONS`
    ("U.S.", "Mr.", "Jan.", "a.m.", single-letter initials) unless a capitalised common
    sentence starter follows ("the U.S. He said" splits). Does not split before a
    lower-case continuation (``“Why?” he asked``) or before an attribution after a
    closing quotation mark (``“... ZERO!” Trump posted``). Known failures: an abbreviation that
    really ends a sentence before a name ("... in the U.S. Trump said") is not split.

    Examples
    --------
    >>> p = "Mr. Díaz-Canel met U.S. officials at 9 a.m. on Jan. 12. He said “we are sovereign.” They left."
    >>> [p[s:e] for s, e in split_spans(p)]
    ['Mr. Díaz-Canel met U.S. officials at 9 a.m. on Jan. 12.', 'He said “we are sovereign.”', 'They left.']
    """
    return [(start, end) for start, end, _ in _text_spans(paragraph)]


_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")  # what separates two paragraphs, with the white space around it


def _text_spans(text: str) -> list[tuple[int, int, int]]:
    """Return (start, end, paragraph) of every sentence of a text.

    Punkt runs per paragraph (measured: 13% faster than once over the whole text, as it
    checks fewer candidate boundaries), then the continuation repairs of
    :func:`split_spans` apply within the paragraph.
    """
    out: list[tuple[int, int, int]] = []
    for p, (base, end) in enumerate(paragraph_spans(text)):
        body = text[base:end]
        merged: list[tuple[int, int]] = []
        for s, e in _punkt().span_tokenize(body):
            if merged and _continues(body[s:e], body[merged[-1][0]:merged[-1][1]]):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        out.extend((base + s, base + e, p) for s, e in merged)
    return out


def _continues(sentence: str, previous: str) -> bool:
    """Tell whether a split-off piece continues the previous sentence.

    It does when it starts lower-case, or when the previous piece ends with a closing
    quotation mark and this one is an attribution (“... ZERO!” Trump posted).
    """
    if previous.endswith(_CLOSERS) and _ATTRIBUTION.match(sentence):
        return True
    for ch in sentence:
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


# Quotation marks: each opener with the marks that close it. Straight marks and ” open
# after a space or an opening bracket and before a non-space; otherwise they close.
_DOUBLE_CLOSERS = {"“": ("”",), "„": ("“", "”"), "«": ("»",), '"': ('"',), "''": ("''", "”"),
                   "``": ("''", "”"), "”": ("”",)}
_SINGLE_CLOSERS = {"‘": ("’",), "'": ("'", "’")}
_OPENING_CONTEXT = " \t\n([{—–-/:;,"


_MARK_RE = re.compile(r"''|``|[“”„«»\"‘’']")  # two-character marks first, as a scan would see them


def _marks(par: str) -> list[tuple[int, str]]:
    """Return (offset, mark) for every character that may be a quotation mark."""
    return [(m.start(), m.group(0)) for m in _MARK_RE.finditer(par)]


def _opens(par: str, i: int, mark: str) -> bool:
    """Tell whether `mark` at `par[i]` can open a quotation."""
    before = par[i - 1] if i > 0 else " "
    after = par[i + len(mark)] if i + len(mark) < len(par) else " "
    if mark in ("‘", "'"):  # a single mark opens after a space, before a letter or digit
        return before in _OPENING_CONTEXT and (after.isalnum() or after in "…¿¡")
    if mark in ('"', "''", "”"):
        if mark == '"' and before in '.!?"' and after.isupper():  # paragraphs glued by a scraper:
            return True  # 'in the bank."Money-raising has ...', 'bad form.""I don't know ...'
        return before in _OPENING_CONTEXT and not after.isspace()
    return mark in "“„«`"


def _closes(par: str, i: int, mark: str, opener: str) -> bool:
    """Tell whether `mark` at `par[i]` closes a quotation opened by `opener`."""
    closers = _DOUBLE_CLOSERS.get(opener) or _SINGLE_CLOSERS[opener]
    if mark not in closers:
        return False
    after = par[i + len(mark)] if i + len(mark) < len(par) else " "
    if mark in ("’", "'") and after.isalnum():  # an apostrophe inside a word: Cuba’s
        return False
    before = par[i - 1] if i > 0 else " "
    return not (mark in ('"', "''") and before.isspace() and not after.isspace())


# Mixed marks: a double opener closed by a mark of the other family (``“...,"``, ``"...”``,
# ``"...''``), typed by hand or pasted from two sources. Each opener's "other" closers:
_MIXED_CLOSERS = {"“": ('"', "''"), "„": ('"', "''"), "«": ('"', "''"), '"': ("”", "''"),
                  "''": ('"',), "``": ('"',)}
# What may follow such a closer: the end of the paragraph, or (after an optional comma or
# full stop) a space and an attribution or a new sentence: a pronoun, a capitalised word or
# a reporting verb ("...,'' Capito said", "...," he said, "...." He did not ...). Fixed-width
# pieces, no nested quantifiers.
_AFTER_MIXED = re.compile(r"[,.]?(?:\s*$|\s+(?:[A-Z]|(?:he|she|they|we|it|said|says|told|added|wrote)\b))")


def _mixed_closer(par: str, start: int, opener: str, stop: int) -> int | None:
    """Return the offset of the first mark of the other family closing the opener at `start`, or None.

    Looked for in ``par[start + len(opener):stop]``: the mark must follow a non-space
    character and be followed by what :data:`_AFTER_MIXED` allows. O(stop - start).
    """
    closers = _MIXED_CLOSERS.get(opener, ())
    for m in _MARK_RE.finditer(par, start + len(opener), stop):
        mark = m.group(0)
        if mark in closers and not par[m.start() - 1].isspace() and _AFTER_MIXED.match(par, m.end()):
            return m.start()
    return None


def _scan_paragraph(par: str, base: int = 0) -> tuple[list[tuple[int, int]], list[tuple[int, str, str]], int | None]:
    """Scan one paragraph from offset `base`; return (closed spans, problems, offset of a trailing open double mark).

    A double mark still open at the paragraph's end is returned, not reported: the caller
    decides whether the next paragraph continues the quotation. An opener that would be
    reported unclosed is first paired with a mark of the other family (:func:`_mixed_closer`),
    and scanning resumes after that mark.
    """
    spans: list[tuple[int, int]] = []
    problems: list[tuple[int, str, str]] = []
    outer: tuple[int, str] | None = None
    nested: str | None = None
    for pos, mark in _marks(par):
        if pos < base:
            continue
        if outer is None:
            if _opens(par, pos, mark):
                outer, nested = (pos, mark), None
            elif mark in "”»" or (mark in ('"', "''") and not par[pos - 1:pos].isspace()):
                problems.append((pos, mark, "unopened"))
            continue
        if nested is not None:
            if _closes(par, pos, mark, nested):
                nested = None
                continue
        if _closes(par, pos, mark, outer[1]):
            spans.append((outer[0], pos + len(mark)))
            outer = None
        elif (mark in _DOUBLE_CLOSERS) == (outer[1] in _DOUBLE_CLOSERS) and _opens(par, pos, mark) \
                and mark not in ("‘", "'"):
            mixed = _mixed_closer(par, outer[0], outer[1], pos)
            if mixed is not None:  # closed by a mark of the other family before this opener
                spans.append((outer[0], mixed + len(_MARK_RE.match(par, mixed).group(0))))
            else:
                problems.append((outer[0], outer[1], "unclosed"))  # a new opener of the same kind:
            outer, nested = (pos, mark), None  # the first one was stray; start again here
        elif nested is None and _opens(par, pos, mark):
            nested = mark
    if outer is not None and outer[1] in _DOUBLE_CLOSERS:
        mixed = _mixed_closer(par, outer[0], outer[1], len(par))
        if mixed is None:
            return spans, problems, outer[0]
        end = mixed + len(_MARK_RE.match(par, mixed).group(0))
        more, more_problems, open_at = _scan_paragraph(par, end)  # the rest of the paragraph
        return spans + [(outer[0], end)] + more, problems + more_problems, open_at
    return spans, problems, None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph: runs of text between blank lines, trimmed.

    Parameters
    ----------
    text : str
        Cleaned text.

    Returns
    -------
    list of (int, int)
        Offsets of each paragraph, in order, without leading or trailing white space. The
        one definition of a paragraph: sentence splitting, quotation scanning and quote
        attribution all use it.

    Notes
    -----
    O(characters): the text is cut at each run of white space holding two line breaks and
    each piece trimmed. The same spans as the lazy pattern used before (a non-space, as
    little as possible, up to a non-space followed by a blank line or the end), which
    tested its look-ahead at every character and took 2.8 times as long on abp-2013; a
    test compares the two.

    Examples
    --------
    >>> paragraph_spans("  One.\\n \\n\\nTwo three.  \\nFour.\\n\\n")
    [(2, 6), (10, 28)]
    """
    spans, at = [], 0
    cuts = [*((m.start(), m.end()) for m in _BLANK_LINES.finditer(text)), (len(text), len(text))]
    for cut_start, cut_end in cuts:  # each paragraph runs from the last cut's end to this cut's start
        piece = text[at:cut_start]
        body = piece.strip()
        if body:
            lead = len(piece) - len(piece.lstrip())
            spans.append((at + lead, at + lead + len(body)))
        at = cut_end
    return spans


def scan_quotes(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str, str]]]:
    """Find the direct quotations in one text; return (spans, problems).

    Parameters
    ----------
    text : str
        Cleaned text; paragraphs are separated by blank lines.

    Returns
    -------
    spans : list of (int, int)
        ``text[start:end]`` runs from the opening mark to the closing mark inclusive;
        outermost quotations only, in order.
    problems : list of (int, str, str)
        (offset, mark, problem) for every mark that was skipped: "unclosed" (an opener
        with no closer in its paragraph, and no continuation in the next) or "unopened"
        (a closing mark with nothing open).

    Notes
    -----
    Curly, straight, low-9 („) and guillemet (« ») double quotes, doubled single quotes
    (``''...''`` and ``` ``...'' ```), and single quotes (curly or straight) that open
    after a space and close before a non-letter. A single quote inside a double one (or
    the reverse) is part of the outer quotation. A double quotation open at the end of a
    paragraph continues when the next paragraph starts with an opening mark (news
    convention for multi-paragraph quotations); otherwise it is reported and skipped, and
    scanning resumes right after it, so one stray mark never swallows the rest of a
    paragraph, let alone of the article. An unmatched single mark is taken for an
    apostrophe ('90s) and is not reported. An opener that would be reported unclosed is
    first paired with the first closing mark of the other family in its paragraph (``“...,"
    he said``, ``"...''`` at the paragraph's end, ``"...”``) when that mark follows a
    non-space and is followed by the paragraph's end or, after an optional comma or full
    stop, a space and a pronoun, a capitalised word or a reporting verb; a mark of the other
    family inside a clause ("“a turning point\" for the state") is not paired. Known
    failures: a plural possessive inside a single-quoted quotation (‘the Cubans’ rights’)
    ends it early; straight double quotes typed without spaces around them pair in order of
    appearance; a closing mark of the other family at a paragraph's end now closes the
    quotation, so a multi-paragraph quotation typed that way is split in two (22 spans of
    abp-2013).

    Examples
    --------
    >>> t = '“We are ready,” she said, “and calm.” He said "no. Then ' + "''fine''."
    >>> spans, problems = scan_quotes(t)
    >>> [t[s:e] for s, e in spans], problems
    (['“We are ready,”', '“and calm.”', "''fine''"], [(46, '"', 'unclosed')])
    >>> t = "“First part.\\n\\n“Second part,” he said."
    >>> [t[s:e] for s, e in scan_quotes(t)[0]]
    ['“First part.\\n\\n“Second part,”']
    """
    spans: list[tuple[int, int]] = []
    problems: list[tuple[int, str, str]] = []
    pending: tuple[int, str] | None = None  # (offset, mark) of a quotation left open
    for p_start, p_end in paragraph_spans(text):
        par = text[p_start:p_end]
        found, probs, open_at = _scan_paragraph(par)
        lead = len(par) - len(par.lstrip())
        if pending is not None:
            if found and found[0][0] == lead:  # the next paragraph continues the quotation
                found[0] = (pending[0] - p_start, found[0][1])
            elif open_at == lead and not found:
                open_at = pending[0] - p_start
            else:
                problems.append((pending[0], pending[1], "unclosed"))
            pending = None
        spans.extend((p_start + s, p_start + e) for s, e in found)
        problems.extend((p_start + o, m, w) for o, m, w in probs)
        if open_at is not None:
            pending = (p_start + open_at, text[p_start + open_at])
    if pending is not None:
        problems.append((pending[0], pending[1], "unclosed"))
    return spans, sorted(problems)


def _overlap(start: int, end: int, quotes: list[tuple[int, int]], ends: list[int]) -> int:
    """Characters of [start, end) inside quotations; `quotes` sorted, `ends` their end offsets."""
    total = 0
    for k in range(bisect.bisect_right(ends, start), len(quotes)):
        qs, qe = quotes[k]
        if qs >= end:
            break
        total += min(end, qe) - max(start, qs)
    return total


def split_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Split every article into sentences.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles table; uses ``article_id``, ``outlet`` and ``text``.

    Returns
    -------
    pandas.DataFrame
        One row per sentence, columns :data:`analysis.schema.SENTENCE_COLUMNS`, in article
        order. ``text[start:end] == sentence_text``; ``quoted`` is "whole" when every
        non-space character lies inside a quotation, "partial" when some do, else "none".

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"],
    ...                      "text": ["“We are ready,” he said. It rained.\\n\\nNext."]})
    >>> split_sentences(arts)[["sentence_id", "paragraph", "start", "end", "quoted"]].values.tolist()
    [['a/0', 0, 0, 24, 'partial'], ['a/1', 0, 25, 35, 'none'], ['a/2', 1, 37, 42, 'none']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    rows: list[tuple] = []
    for art_id, outlet, text in zip(articles[S.ARTICLE_ID], articles[S.OUTLET], articles[S.TEXT]):
        quotes = scan_quotes(text)[0]
        ends = [q[1] for q in quotes]
        for k, (start, end, p) in enumerate(_text_spans(text)):
            sent = text[start:end]
            inside = _overlap(start, end, quotes, ends)
            share = inside / len(sent) if sent else 0.0
            quoted = "whole" if inside >= len(sent.rstrip(".,;: ")) else ("partial" if inside else "none")
            rows.append((f"{art_id}/{k}", art_id, outlet, p, k, start, end, sent, quoted, round(share, 6)))
    out = pd.DataFrame(rows, columns=list(S.SENTENCE_COLUMNS))
    return out.astype({S.PARAGRAPH: "int64", S.SENTENCE: "int64", S.START: "int64",
                       S.END: "int64", S.QUOTE_SHARE: "float64"})
