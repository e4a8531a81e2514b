"""Summarise a corpus: one row per article and one row per outlet.

Word counts here use :data:`WORD_RE` (runs of letters and digits, with inner hyphens and
apostrophes), the same rule on every article, so lengths compare across outlets.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from analysis import schema as S

WORD_RE = re.compile(r"\w+(?:[-’'‐]\w+)*")  # "Díaz-Canel" and "Cuba’s" are one word each


def corpus_overview(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Return one row per article with its metadata and size.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles table.
    sentences : pandas.DataFrame
        The sentence table of the same articles.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id, outlet, published, headline, dateline, wire, words,
        sentences, paragraphs, quoted_sentences, removed_items``, in article order.

    Examples
    --------
    >>> from analysis.sentences import split_sentences
    >>> a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "published": [None],
    ...     "headline": [None], "dateline": [None], "wire": [None], "removed": ["[]"],
    ...     "text": ["“No,” he said. Díaz-Canel’s aides left.\\n\\nEnd."]})
    >>> corpus_overview(a, split_sentences(a))[["words", "sentences", "paragraphs",
    ...                                         "quoted_sentences"]].values.tolist()
    [[7, 3, 2, 1]]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT, S.REMOVED], table="articles")
    S.check_columns(sentences, [S.ARTICLE_ID, S.PARAGRAPH, S.QUOTED], table="sentences")
    per = sentences.groupby(S.ARTICLE_ID).agg(
        sentences=(S.PARAGRAPH, "size"),
        paragraphs=(S.PARAGRAPH, "nunique"),
        quoted_sentences=(S.QUOTED, lambda q: int((q != "none").sum())),
    )
    out = articles[[S.ARTICLE_ID, S.OUTLET, S.PUBLISHED, S.HEADLINE, S.DATELINE, S.WIRE]].copy()
    out["words"] = articles[S.TEXT].map(lambda t: len(WORD_RE.findall(t))).astype("int64")
    out = out.join(per, on=S.ARTICLE_ID)
    out["removed_items"] = articles[S.REMOVED].map(lambda r: len(json.loads(r))).astype("int64")
    cols = ["sentences", "paragraphs", "quoted_sentences"]
    out[cols] = out[cols].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def outlet_summary(overview: pd.DataFrame) -> pd.DataFrame:
    """Return one row per outlet: articles, words, sentences and dates covered.

    Parameters
    ----------
    overview : pandas.DataFrame
        The output of :func:`corpus_overview`.

    Returns
    -------
    pandas.DataFrame
        Columns ``outlet, articles, words, sentences, quoted_sentences, first_published,
        last_published``, sorted by outlet.
    """
    S.check_columns(overview, [S.OUTLET, "words", "sentences"], table="overview")
    g = overview.groupby(S.OUTLET, sort=True)
    return pd.DataFrame({
        "articles": g.size(),
        "words": g["words"].sum(),
        "sentences": g["sentences"].sum(),
        "quoted_sentences": g["quoted_sentences"].sum(),
        "first_published": g[S.PUBLISHED].min(),
        "last_published": g[S.PUBLISHED].max(),
    }).reset_index()
