"""Split cleaned articles into sentences, with offsets and quotation flags.

The splitter is NLTK's Punkt algorithm with our own parameters
(:func:`analysis.resources.punkt_parameters`: no training data, no download), run on
each paragraph, followed by one repair: a "sentence" that starts with a lower-case letter
continues the previous one (``“Is it over?” he asked.``). Quotation spans come from
:func:`quote_spans`, a small scanner for curly, straight and doubled-single quotes.
"""

from __future__ import annotations

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


def _paragraph_quotes(par: str, offset: int) -> list[tuple[int, int, bool]]:
    out: list[tuple[int, int, bool]] = []
    i, n = 0, len(par)
    open_at, closer = None, ""
    while i < n:
        ch = par[i]
        two = par[i:i + 2]
        if open_at is None:
            if two == "''" and (i == 0 or not par[i - 1].isalnum()):
                open_at, closer, i = i, "''", i + 2
                continue
            if ch in _OPEN_D or ch == '"':
                open_at, closer = i, ch if ch == '"' else "”»"
            elif ch in (_SINGLE_OPEN, "'") and (i == 0 or par[i - 1] in " \t(—–-[") and (
                i + 1 < n and par[i + 1].isalnum()
            ):
                open_at, closer = i, "’'"
        elif closer == "''" and two == "''":
            out.append((offset + open_at, offset + i + 2, True))
            open_at, i = None, i + 2
            continue
        elif closer != "''" and ch in closer and not (
            closer == "’'" and i + 1 < n and par[i + 1].isalpha()
        ):
            out.append((offset + open_at, offset + i + 1, True))
            open_at = None
        i += 1
    if open_at is not None:
        out.append((offset + open_at, offset + n, False))
    return out


def _overlap(start: int, end: int, quotes: list[tuple[int, int, bool]]) -> int:
    return sum(max(0, min(end, qe) - max(start, qs)) for qs, qe, _ in quotes)


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
        k = 0
        for p, pm in enumerate(re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", text, re.S)):
            base = pm.start()
            for s, e in split_spans(pm.group(0)):
                start, end = base + s, base + e
                sent = text[start:end]
                inside = _overlap(start, end, quotes)
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
