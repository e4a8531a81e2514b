"""Summaries of the quotes table: voice share, reporting verbs, quoted share of each article."""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.quotes.columns import LOCATION, N_WORDS, SPEAKER, SPEAKER_TYPE, VERB, VERB_CLASS
from analysis.quotes.context import _WORD_RE

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
    Cost: O(quotations) (one group-by).

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

    Notes
    -----
    Cost: O(quotations) (one group-by).

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

    Notes
    -----
    Cost: O(article text + quotations).

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
