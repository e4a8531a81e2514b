"""Define every column name and table contract once.

Each table is a pandas DataFrame with a fixed set of columns. Other modules import the
names from here instead of spelling string literals, so a rename happens in one place,
and :func:`check_columns` gives one clear error when a table lacks what a function needs.

Tables
------
articles
    One row per article (``ARTICLE_COLUMNS``), written by :mod:`analysis.corpus`.
sentences
    One row per sentence (``SENTENCE_COLUMNS``), written by :mod:`analysis.sentences`.
removals
    One row per piece of text that cleaning removed (``REMOVAL_COLUMNS``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.errors import SchemaError

# --- articles: one row per article -------------------------------------------------
ARTICLE_ID = "article_id"  # stable id: file stem, or the `id` column of a table corpus
OUTLET = "outlet"  # outlet label, as given by the manifest or table
PUBLISHED = "published"  # ISO date "YYYY-MM-DD", or missing when unknown
HEADLINE = "headline"  # headline, from manifest/table or detected in the text
DATELINE = "dateline"  # place of the dateline ("HAVANA"), or missing
WIRE = "wire"  # wire credit ("AFP"), or missing
URL = "url"  # source URL, or missing
TEXT = "text"  # cleaned body text (NFC); all character offsets point into this
RAW_TEXT = "raw_text"  # the text exactly as read (decoded), before cleaning
REMOVED = "removed"  # JSON list of {"kind", "line", "text"}: what cleaning removed
SOURCE = "source"  # where the row came from: "file.txt" or "table.csv:row 7"
SOURCE_OUTLET = "source_outlet"  # the article's own outlet when `outlet` holds a group (group_by,
#   top_outlets' "other outlets"): comparisons are between groups, bootstraps cluster on this
OTHER_OUTLETS = "other outlets"  # the group label of outlets beyond top_outlets

ARTICLE_COLUMNS = (
    ARTICLE_ID,
    OUTLET,
    PUBLISHED,
    HEADLINE,
    DATELINE,
    WIRE,
    URL,
    TEXT,
    RAW_TEXT,
    REMOVED,
    SOURCE,
)

# --- sentences: one row per sentence -------------------------------------------------
SENTENCE_ID = "sentence_id"  # "<article_id>/<sentence index>", unique in the corpus
PARAGRAPH = "paragraph"  # 0-based paragraph index within the article's cleaned text
SENTENCE = "sentence"  # 0-based sentence index within the article
START = "start"  # character offset of the sentence's first char in articles.text
END = "end"  # offset one past its last char (text[start:end] is the sentence)
SENTENCE_TEXT = "sentence_text"  # the sentence itself (== text[start:end])
QUOTED = "quoted"  # "none", "partial" or "whole": overlap with a direct quotation
QUOTE_SHARE = "quote_share"  # share of the sentence's characters inside quotation marks

QUOTED_VALUES = ("none", "partial", "whole")

SENTENCE_COLUMNS = (
    SENTENCE_ID,
    ARTICLE_ID,
    OUTLET,
    PARAGRAPH,
    SENTENCE,
    START,
    END,
    SENTENCE_TEXT,
    QUOTED,
    QUOTE_SHARE,
)

# --- removals: one row per removed piece of text ----------------------------------------
KIND = "kind"  # what was removed: "furniture", "byline", "dateline", ...
LINE = "line"  # 1-based line number in raw_text
REMOVED_TEXT = "removed_text"  # the removed text itself

REMOVAL_COLUMNS = (ARTICLE_ID, OUTLET, LINE, KIND, REMOVED_TEXT)

# --- quotes: one row per quotation (the other columns: analysis.quotes.columns) -----------------
SPEAKER_ROLE = "speaker_role"  # title/role words before the speaker's name ("Republican strategist"), or ""

# --- shared by later tables -------------------------------------------------------------
N = "n"  # sample size beside a statistic
CI_LOW = "ci_low"  # lower bound of a confidence interval
CI_HIGH = "ci_high"  # upper bound of a confidence interval


def check_columns(df: pd.DataFrame, required: Iterable[str], *, table: str) -> None:
    """Raise :class:`SchemaError` unless `df` has every column in `required`.

    Parameters
    ----------
    df : pandas.DataFrame
        The table to check.
    required : iterable of str
        Column names that must be present.
    table : str
        Name of the table, used in the message ("sentences").

    Raises
    ------
    SchemaError
        Naming the missing columns and the columns that were found.

    Examples
    --------
    >>> import pandas as pd
    >>> check_columns(pd.DataFrame({"a": [1]}), ["a"], table="demo")
    >>> check_columns(pd.DataFrame({"a": [1]}), ["a", "b"], table="demo")
    Traceback (most recent call last):
    ...
    analysis.errors.SchemaError: demo table lacks column(s) 'b'; it has: 'a'
    """
    missing = [c for c in required if c not in df.columns]
    if missing:
        have = ", ".join(repr(c) for c in df.columns) or "no columns"
        raise SchemaError(
            f"{table} table lacks column(s) {', '.join(repr(c) for c in missing)}; it has: {have}"
        )
