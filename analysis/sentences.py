"""Split cleaned articles into sentences, with offsets and quotation flags.

The splitter is NLTK's Punkt algorithm with our own parameters
(:func:`analysis.resources.punkt_parameters`: no training data, no download), run on
each paragraph, followed by one repair: a "sentence" that starts with a lower-case letter
continues the previous one (``“Is it over?” he asked.``). Quotation spans come from
:func:`quote_spans`, a small scanner for curly, straight and doubled-single quotes.
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
_OPEN_D, _CLOSE_D = "“„«", "”»"
_SINGLE_OPEN, _SINGLE_CLOSE = "‘", "’"


@functools.cache
def _punkt():
    from nltk.tokenize.punkt import PunktSentenceTokenizer

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
    spans = list(_punkt().span_tokenize(paragraph))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _continues(paragraph[start:end], paragraph[merged[-1][0]:merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


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


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Return the spans of direct quotations in `text`, with whether each was closed.

    Parameters
    ----------
    text : str
        Cleaned text; paragraphs are separated by blank lines.

    Returns
    -------
    list of (int, int, bool)
        (start, end, balanced): ``text[start:end]`` runs from the opening mark to the
        closing mark inclusive. An unclosed quotation ends at its paragraph's end with
        ``balanced=False``, so it never swallows the rest of the article.

    Notes
    -----
    Recognises curly double quotes, straight double quotes (alternating open/close),
    doubled single quotes (``''like this''``) and single quotes (curly or straight) that
    open after a space or line start and close before a non-letter; an apostrophe inside a
    word ("Cuba’s") is never a quote mark. Only outermost quotations are returned; a
    single-quoted quotation inside a double-quoted one is part of it.

    Examples
    --------
    >>> t = 'He said “no talks,” and ‘never’. Cuba’s ' + "''own''" + ' line: "open'
    >>> [(t[s:e], ok) for s, e, ok in quote_spans(t)]
    [('“no talks,”', True), ('‘never’', True), ("''own''", True), ('"open', False)]
    """
    spans: list[tuple[int, int, bool]] = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text):
        spans.extend(_paragraph_quotes(m.group(0), m.start()))
    return spans


_QUOTE_MARK = re.compile(r"''|[“”„«»\"‘’']")


def _paragraph_quotes(par: str, offset: int) -> list[tuple[int, int, bool]]:
    """Scan the quotation marks of one paragraph (only the marks, not every character)."""
    out: list[tuple[int, int, bool]] = []
    n = len(par)
    open_at, closer = None, ""
    for m in _QUOTE_MARK.finditer(par):
        i, mark = m.start(), m.group(0)
        before = par[i - 1] if i else " "
        after = par[m.end()] if m.end() < n else " "
        if open_at is None:
            if mark == "''":
                if not before.isalnum():
                    open_at, closer = i, "''"
            elif mark in _OPEN_D or mark == '"':
                open_at, closer = i, '"' if mark == '"' else "”»"
            elif mark in (_SINGLE_OPEN, "'") and before in " \t(—–-[" and after.isalnum():
                open_at, closer = i, "’'"
        elif closer == "''":
            if mark == "''":
                out.append((offset + open_at, offset + m.end(), True))
                open_at = None
        elif mark in closer or (closer == "’'" and mark == "''"):
            if closer == "’'" and after.isalpha():
                continue  # an apostrophe inside a word ("Cuba’s"), not a closing mark
            out.append((offset + open_at, offset + i + 1, True))
            open_at = None
    if open_at is not None:
        out.append((offset + open_at, offset + n, False))
    return out


def _overlap(start: int, end: int, quotes: list[tuple[int, int, bool]], ends: list[int]) -> int:
    """Characters of [start, end) inside quotations; `quotes` sorted, `ends` their end offsets."""
    total = 0
    for k in range(bisect.bisect_right(ends, start), len(quotes)):
        qs, qe, _ = quotes[k]
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
        quotes = quote_spans(text)
        ends = [q[1] for q in quotes]
        k = 0
        for p, pm in enumerate(re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", text, re.S)):
            base = pm.start()
            for s, e in split_spans(pm.group(0)):
                start, end = base + s, base + e
                sent = text[start:end]
                inside = _overlap(start, end, quotes, ends)
                chars = len(sent)
                share = inside / chars if chars else 0.0
                quoted = "whole" if inside >= len(sent.rstrip(".,;: ")) else (
                    "partial" if inside else "none")
                rows.append((f"{art_id}/{k}", art_id, outlet, p, k, start, end, sent, quoted,
                             round(share, 6)))
                k += 1
    out = pd.DataFrame(rows, columns=list(S.SENTENCE_COLUMNS))
    return out.astype({S.PARAGRAPH: "int64", S.SENTENCE: "int64", S.START: "int64",
                       S.END: "int64", S.QUOTE_SHARE: "float64"})
