"""VADER scores identical to NLTK's, fast: the analyzer, lexicon overrides, sentence scores.

NLTK is imported with this module (VADER is what it is for), not on the first score, so
that the report's kernels load it while the corpus is still being prepared; the lexicon
itself is read on first use.
"""

from __future__ import annotations

import functools
import math
import string
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis._nltk import SentimentIntensityAnalyzer, SentiText  # NLTK's VADER, without scipy.stats/sklearn
from analysis.corpus import read_yaml
from analysis.errors import ParameterError, ResourceError
from analysis.sentiment.columns import (
    LEXICON_VALENCE,
    SCORE_COLUMNS,
    VALENCE,
    WORD,
)


# ------------------------------------------------------------------------ the analyzer
def _check_overrides(overrides: dict | None, source: str = "overrides") -> dict:
    out = {}
    for word, val in (overrides or {}).items():
        if isinstance(word, bool):
            raise ParameterError(f"{source}: YAML read a word as {word!r}: quote words such as "
                                 "'no', 'yes', 'on', 'off' (\"no\": null)")
        if not isinstance(word, str) or not word.strip() or word != word.strip():
            raise ParameterError(f"{source}: word {word!r}; use a non-empty word with no spaces "
                                 "around it")
        if val is not None and (isinstance(val, bool) or not isinstance(val, int | float)
                                or not -4 <= val <= 4 or val == 0):
            raise ParameterError(f"{source}: {word!r}: {val!r}; use a non-zero valence in "
                                 "[-4, 4], or null to remove the word from the lexicon")
        out[word.lower()] = None if val is None else float(val)
    return out


@functools.cache
def _analyzer(overrides: tuple = ()):
    """Return one SentimentIntensityAnalyzer per distinct set of overrides."""
    from analysis.resources import ensure_nltk_data

    ensure_nltk_data()
    try:
        sia = SentimentIntensityAnalyzer()
    except LookupError as exc:  # pragma: no cover - ensure_nltk_data provisions it
        raise ResourceError(f"VADER lexicon not found on nltk.data.path: {exc}") from exc
    for word, val in overrides:
        if val is None:
            sia.lexicon.pop(word, None)
        else:
            sia.lexicon[word] = val
    return sia


def analyzer(overrides: dict | None = None):
    """Return NLTK's VADER analyzer, lexicon provisioned offline, with `overrides` applied.

    Parameters
    ----------
    overrides : dict of str to float or None, optional
        Lower-case lexicon word to new valence (non-zero, in [-4, 4]); None removes the
        word. See :func:`load_overrides`.

    Returns
    -------
    nltk.sentiment.vader.SentimentIntensityAnalyzer
        Shared and cached per set of overrides: do not modify it.

    Examples
    --------
    >>> analyzer().polarity_scores("A good day.")["compound"]
    0.4404
    >>> analyzer({"good": None}).polarity_scores("A good day.")["compound"]
    0.0
    """
    return _analyzer(tuple(sorted(_check_overrides(overrides).items())))


def load_overrides(path) -> dict[str, float | None]:
    """Read lexicon overrides from a YAML file; return word -> valence (None removes).

    Parameters
    ----------
    path : str or os.PathLike
        YAML with a top-level ``overrides:`` mapping of word to valence (a non-zero
        number in [-4, 4]) or ``null`` (remove the word); "" means no overrides.

    Returns
    -------
    dict
        Lower-case word to float or None, in file order.

    Raises
    ------
    ResourceError
        If the file is missing or not YAML with an ``overrides`` mapping.
    ParameterError
        For a bad word or valence, naming the file and the word.

    Examples
    --------
    >>> from analysis.sentiment import EXAMPLE_OVERRIDES
    >>> load_overrides(EXAMPLE_OVERRIDES)["united"] is None
    True
    """
    if not path:
        return {}
    path = Path(path)
    data = read_yaml(path, what="overrides file")
    if not isinstance(data, dict) or not isinstance(data.get("overrides"), dict):
        raise ResourceError(f"overrides file {path}: expected a top-level 'overrides:' mapping "
                            "of word: valence (or null)")
    return _check_overrides(data["overrides"], f"overrides file {path}")


# An example overrides file for news text (see its comments for the reasons).
EXAMPLE_OVERRIDES = Path(__file__).resolve().parent.parent / "lexicons" / "vader_overrides_news.yaml"


def overrides_table(overrides: dict | None, *, source: str = "") -> pd.DataFrame:
    """Return one row per override: the word, its VADER valence and the one used instead.

    Parameters
    ----------
    overrides : dict or None
        From :func:`load_overrides`.
    source : str, default ""
        Where the overrides came from (file name), copied into every row.

    Returns
    -------
    pandas.DataFrame
        ``word``, ``lexicon_valence`` (NaN if not in VADER's lexicon), ``valence`` (NaN
        when removed), ``source``; sorted by word. Empty (same columns) with no overrides.

    Examples
    --------
    >>> overrides_table({"united": None, "blockade": -1.5}).values.tolist()
    [['blockade', nan, -1.5, ''], ['united', 1.8, nan, '']]
    """
    checked = _check_overrides(overrides)
    lexicon = analyzer().lexicon
    rows = [(w, lexicon.get(w, np.nan), np.nan if v is None else v, source)
            for w, v in sorted(checked.items())]
    return pd.DataFrame(rows, columns=[WORD, LEXICON_VALENCE, VALENCE, "source"]).astype(
        {LEXICON_VALENCE: float, VALENCE: float})


# ---------------------------------------------------------------------------- scoring
_ASCII_PUNCT = string.punctuation  # what NLTK's REGEX_REMOVE_PUNCTUATION removes
# Sentences on which the fast path is checked against NLTK before first use: punctuation,
# capitals, boosters, negation, "but", "kind of", repeats, emoticons, emoji, curly quotes.
_PROBES = (
    "VADER is VERY SMART, handsome, and FUNNY!!!", "The plot was good, but the characters "
    "are uncompelling and the dialog is not great.", "At least it isn't a horrible book.",
    "Today kinda sux! But I'll get by, lol", ":) and :D", "It was kind of good...", "",
    "No problems, no worries, no talks?!?", "“Cuba is a free, independent nation,” he said.",
    "Never good, never bad, never good.", "Great day 😀 -- not!", "'Sovereign' equality.",
    "The committee met on Tuesday in Washington.", "I a", "Very much so, kind of -- (fine)",
)


def _valences(sia, sentitext) -> list[float]:
    """Return VADER's per-token valences: the loop of NLTK's ``polarity_scores``.

    The reference for :func:`_lexicon_valences` (the one scoring uses), which must equal it.
    O(tokens) calls of NLTK's ``sentiment_valence``.
    """
    words = sentitext.words_and_emoticons
    first: dict[str, int] = {}
    for k, w in enumerate(words):
        first.setdefault(w, k)  # NLTK uses a token's first position for every repeat
    sentiments: list[float] = []
    boosters = sia.constants.BOOSTER_DICT
    for item in words:
        i = first[item]
        low = item.lower()
        if (i < len(words) - 1 and low == "kind" and words[i + 1].lower() == "of") \
                or low in boosters:
            sentiments.append(0)
            continue
        sentiments = sia.sentiment_valence(0, sentitext, item, i, sentiments)
    return sia._but_check(words, sentiments)


# Words that cannot complete a VADER idiom or multi-word booster alone: the rarer words do
_FUNCTION_WORDS = frozenset({"the", "of", "to", "a", "an", "and", "in", "for"})


@functools.cache
def _rule_words(constants) -> frozenset[str]:
    """Return the lower-case words near which NLTK's rules may change a lexicon word's valence.

    Negations, boosters and dampeners, "never", "so", "this", "least", and every word of a
    multi-word booster or idiom except :data:`_FUNCTION_WORDS` (each such phrase keeps at
    least one word here, checked: a phrase can only match where all its words are). Read
    from NLTK's own constants, so a future NLTK's lists are honoured. O(lists) once.
    """
    words = {w.lower() for w in constants.NEGATE} | {"never", "so", "this", "least"}
    for phrase in [*constants.BOOSTER_DICT, *constants.SPECIAL_CASE_IDIOMS]:
        parts = phrase.lower().split()
        rare = [w for w in parts if w not in _FUNCTION_WORDS]
        words.update(rare if rare and len(parts) > 1 else parts)
    return frozenset(words)


def _lexicon_valences(sia, sentitext) -> list[float]:
    """Return :func:`_valences`, calling NLTK's rules only on lexicon words that need them.

    NLTK's ``sentiment_valence`` gives 0 to a word outside the lexicon (about 93% of news
    words) and reads no other valence, and a booster or a "kind" before "of" gets 0 without
    it; so only lexicon words are looked at, each at the position NLTK gives it (a token's
    first occurrence). A lexicon word not in capitals with no word of :func:`_rule_words`
    (and none containing "n't") among the three words before it, itself and the two after
    (all that NLTK's negation, booster, idiom, "never so" and "least" rules read) keeps its
    lexicon valence: NLTK adds 0.0 to it and multiplies nothing. The others go through
    NLTK's ``sentiment_valence``, and the "but" rule then runs on the whole list as NLTK's
    does. Checked equal to :func:`_valences` on :data:`_PROBES` before first use (else NLTK's
    own method is used), and in the tests on NewsMTSC's sample sentences; ``bench/
    sentiment.py`` compares every sentence of a real corpus with NLTK's ``polarity_scores``.
    O(tokens) plus, per lexicon word, a look-up of six words, and NLTK's rules for the
    few near a rule word.
    """
    words = sentitext.words_and_emoticons
    lows = [w.lower() for w in words]
    lexicon, boosters = sia.lexicon, sia.constants.BOOSTER_DICT
    rule_words = _rule_words(sia.constants)
    sentiments: list[float] = [0] * len(words)
    first: dict[str, int] | None = None
    for k, low in enumerate(lows):
        if low not in lexicon:
            continue
        if first is None:
            first = {}
            for j, w in enumerate(words):
                first.setdefault(w, j)  # NLTK uses a token's first position for every repeat
        item = words[k]
        i = first[item]
        if (i < len(words) - 1 and low == "kind" and lows[i + 1] == "of") or low in boosters:
            continue
        near = lows[max(0, i - 3):i + 3]
        if item.isupper() or not rule_words.isdisjoint(near) or any("n't" in w for w in near):
            sentiments[k] = sia.sentiment_valence(0, sentitext, item, i, [])[0]
        else:  # no rule applies: NLTK's valence is the lexicon's
            sentiments[k] = lexicon[low]
    return sia._but_check(words, sentiments) if "but" in lows else sentiments  # NLTK's returns it unchanged


def _may_have_valence(lexicon, text: str) -> bool:
    """Return False when no VADER token of `text` can be in `lexicon` (a dict's keys): every valence is then 0.

    A token's VADER word is the whitespace token or it without a leading or trailing run of
    ASCII punctuation (NLTK's ``SentiText``), lower-cased for the lexicon; only lexicon
    words get a non-zero valence (boosters, negations and "but" only change those). This
    tests each lower-cased token and it stripped at both ends, a superset of VADER's words
    (True may still give only zeros). O(characters); about 30% of abp-2013's sentences
    have no lexicon word.
    """
    low = [w.lower() for w in text.split()]
    return not lexicon.isdisjoint(low) or not lexicon.isdisjoint([w.strip(_ASCII_PUNCT) for w in low])


@functools.cache
def _punc_set(punc_list: tuple) -> frozenset:
    return frozenset(punc_list)


@functools.cache
def _fast_sentitext():
    """Return a SentiText whose punctuation stripping is a lookup, not a product table."""

    class FastSentiText(SentiText):
        def _words_and_emoticons(self):
            # NLTK builds {p+w: w, w+p: w} for every word w (of two or more characters, from
            # the text with its punctuation removed) and every p in PUNC_LIST; as no w holds
            # ASCII punctuation, a token's only candidate is it without its whole leading or
            # trailing punctuation run, which is such a w exactly when it is two or more
            # characters free of that punctuation: one lookup and one search per token that
            # has punctuation at an end. O(characters).
            has_punct = self.REGEX_REMOVE_PUNCTUATION.search
            punc = _punc_set(tuple(self.PUNC_LIST))
            out = []
            for we in self.text.split():
                if len(we) < 2:
                    continue
                if we[-1] in _ASCII_PUNCT:
                    core = we.rstrip(_ASCII_PUNCT)
                    if we[len(core):] in punc and len(core) > 1 and not has_punct(core):
                        out.append(core)
                        continue
                if we[0] in _ASCII_PUNCT:
                    core = we.lstrip(_ASCII_PUNCT)
                    if we[:len(we) - len(core)] in punc and len(core) > 1 and not has_punct(core):
                        out.append(core)
                        continue
                out.append(we)
            return out

    return FastSentiText


@functools.cache
def _punctuation_re():
    """NLTK's punctuation class compiled with ``re``, not NLTK's timed ``regex`` wrapper.

    NLTK 3.10 wraps its patterns in ``nltk.redos.TimedPattern`` (the ``regex`` engine under
    a wall-clock timeout); the pattern is one character class, so ``re`` finds the same
    characters (checked with the rest of the fast path on :data:`_PROBES`).
    """
    import re

    return re.compile(_analyzer(()).constants.REGEX_REMOVE_PUNCTUATION.pattern)


@functools.cache
def _scorer(key: tuple):
    """Return text -> (neg, neu, pos, compound), equal to NLTK's ``polarity_scores``.

    The fast path: a text none of whose tokens can be a lexicon word
    (:func:`_may_have_valence`) gets NLTK's score of all-zero valences without its rules
    (neutral, or all 0 without a token of two characters); any other text is tokenised by
    :func:`_fast_sentitext` and NLTK's rules run on its lexicon words only
    (:func:`_lexicon_valences`). It is checked against NLTK on :data:`_PROBES`; if any
    differs (a future NLTK), NLTK's own method is used instead. O(characters) per text,
    plus NLTK's rules per lexicon word.
    """
    sia = _analyzer(key)
    fast_cls = _fast_sentitext()
    consts = sia.constants
    punctuation = _punctuation_re()
    lexicon = sia.lexicon.keys()
    # NLTK's score of a text without lexicon words: its tokens (if any) all neutral
    neutral, empty = (0.0, 1.0, 0.0, 0.0), (0.0, 0.0, 0.0, 0.0)

    def fast(text: str) -> tuple:
        if not _may_have_valence(lexicon, text):  # every valence 0: no need for VADER's rules
            return neutral if any(len(w) > 1 for w in text.split()) else empty
        st = fast_cls(text, consts.PUNC_LIST, punctuation)
        return tuple(sia.score_valence(_lexicon_valences(sia, st), text).values())

    def slow(text: str) -> tuple:
        return tuple(sia.polarity_scores(text).values())

    return fast if all(fast(t) == slow(t) for t in _PROBES) else slow


_WORKER_SCORE = None


def _init_worker(overrides: tuple) -> None:
    global _WORKER_SCORE
    _WORKER_SCORE = _scorer(overrides)


def _score_chunk(texts: list[str]) -> list[tuple]:
    return list(map(_WORKER_SCORE, texts))


def score_texts(texts, *, overrides: dict | None = None, workers: int = 1) -> np.ndarray:
    """Score texts with NLTK's ``polarity_scores``, once per distinct text, on 1-2 cores.

    Parameters
    ----------
    texts : iterable of str
        Sentences (or any texts).
    overrides : dict, optional
        Lexicon overrides (:func:`load_overrides`).
    workers : int, default 1
        Processes to use. A second process pays off only when a second core is free
        (measured: x1.0 on a shared two-core machine), so the default is one.

    Returns
    -------
    numpy.ndarray
        Shape (n, 4): neg, neu, pos, compound, in input order, each exactly NLTK's value.

    Notes
    -----
    O(characters) for each distinct text of the call (:func:`_scorer`: about 30-60 us a
    news sentence, NLTK's rules run only on the lexicon words they can change), plus a
    hash per text. Nothing is kept between calls: to reuse scores already made, pass them
    (``entity_scores(..., scores=...)`` takes :func:`score_sentences`' table).

    Examples
    --------
    >>> score_texts(["A good day.", "", "A good day."]).tolist()
    [[0.0, 0.256, 0.744, 0.4404], [0.0, 0.0, 0.0, 0.0], [0.0, 0.256, 0.744, 0.4404]]
    """
    texts = ["" if t is None or t is pd.NA else str(t) for t in texts]
    key = tuple(sorted(_check_overrides(overrides).items()))
    codes, unique = pd.factorize(pd.Series(texts, dtype=object), sort=False)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ParameterError(f"workers: {workers!r}; use an integer >= 1")
    fresh = unique.tolist()
    if workers == 1 or len(fresh) < 2:
        scored = list(map(_scorer(key), fresh))
    else:
        import multiprocessing as mp

        size = math.ceil(len(fresh) / (workers * 8))
        chunks = [fresh[i:i + size] for i in range(0, len(fresh), size)]
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
        with ctx.Pool(workers, initializer=_init_worker, initargs=(key,)) as pool:
            scored = [row for part in pool.map(_score_chunk, chunks) for row in part]
    table = np.asarray(scored, dtype=float).reshape(-1, 4)
    return table[codes] if len(texts) else np.empty((0, 4))


def rescore(scores: pd.DataFrame, *, overrides: dict | None) -> pd.DataFrame:
    """Return `scores` as :func:`score_sentences` would give them with `overrides`, rescoring less.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences` (with any overrides, or none).
    overrides : dict or None
        The lexicon overrides wanted now (:func:`load_overrides`).

    Returns
    -------
    pandas.DataFrame
        A new table, same rows and columns: the sentences whose lower-cased text contains an
        overridden word (as any substring, a superset of VADER's token matches) are scored
        again; every other sentence's score cannot change and is kept.

    Notes
    -----
    O(characters) for the substring test (one regular expression of the overridden words
    over each lower-cased sentence) plus scoring the matches; equal to scoring every
    sentence again (tested), which is what comparing a lexicon change across a large corpus
    would otherwise cost.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "a"], "outlet": ["X", "X"], "sentence_id": ["a/0", "a/1"],
    ...                   "sentence": [0, 1], "sentence_text": ["A united front.", "A calm day."],
    ...                   "quoted": ["none", "none"]})
    >>> rescore(score_sentences(s), overrides={"united": None})["compound"].tolist()
    [0.0, 0.3182]
    """
    S.check_columns(scores, [S.SENTENCE_TEXT, *SCORE_COLUMNS], table="sentence scores")
    words = [w.lower() for w in (overrides or {})]
    out = scores.copy()
    texts = scores[S.SENTENCE_TEXT].astype(str).tolist()
    if not words:
        hit = np.ones(len(scores), dtype=bool)
    else:  # one pass: any overridden word in the lower-cased text (no lower-cased copy kept)
        import re

        find = re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))).search
        hit = np.fromiter((find(t.lower()) is not None for t in texts), dtype=bool, count=len(texts))
    if hit.any():
        fresh = score_texts([texts[i] for i in np.flatnonzero(hit)], overrides=overrides)
        for j, col in enumerate(SCORE_COLUMNS):
            values = out[col].to_numpy(dtype=float, copy=True)
            values[hit] = fresh[:, j]
            out[col] = values
    return out


def score_sentences(sentences: pd.DataFrame, *, overrides: dict | None = None,
                    workers: int = 1) -> pd.DataFrame:
    """Score every sentence with VADER; return one row per sentence.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (:func:`analysis.sentences.split_sentences`).
    overrides : dict, optional
        Lexicon overrides (:func:`load_overrides`); None scores with VADER unchanged.
    workers : int, default 1
        Processes (see :func:`score_texts`).

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``outlet``, ``sentence_id``, ``sentence`` (index in the article),
        ``neg``, ``neu``, ``pos``, ``compound``, ``quoted``, ``sentence_text``; in the
        sentence table's order.

    Notes
    -----
    Scores are NLTK's ``SentimentIntensityAnalyzer.polarity_scores`` of the sentence text,
    unchanged: compound in [-1, 1] (the normalised sum of word valences, > 0 positive),
    neg/neu/pos the shares of the text's sentiment mass (they sum to 1, rounded to 3
    decimals). Use :data:`POS_THRESHOLD` / :data:`NEG_THRESHOLD` (+-0.05) to call a
    sentence positive or negative.

    Cost O(characters) per distinct sentence of each block of :data:`SCORE_BLOCK`
    sentences (:func:`score_texts`: NLTK's rules only on the lexicon words they can change;
    a sentence without a lexicon word, about 30% of news sentences, skips them). Memory:
    the four score columns (32 bytes a sentence) plus one block's Python strings; the
    other columns are the sentence table's own (pandas' copy on write; a text column's
    Arrow buffers are shared, not copied) when the table is scored whole: at 10,000
    generated articles (378,770 sentences) the step's own peak is +46 MB, against +186 MB
    in chunks of articles (``partition.per_article``, whose chunks are copies), same table
    (``bench/sentiment.py --memory DIR --groups scores_whole``). Pass the result to
    :func:`entity_scores` (``scores=``) to reuse these scores for the sentences naming
    each entity.

    **Which VADER this is.** NLTK 3.10.4 ships its own port of VADER, which differs from
    the reference ``vaderSentiment`` 3.3.2 package (same lexicon) on a few per cent of
    sentences; we report NLTK's values. Measured compound differences: 20 of the 403
    human-rated NYT editorial sentences in ``tests/data`` (5.0%), 4 of the 107 bundled
    sentences (3.7%), 543 of 20,000 synthetic news sentences (2.7%). The causes, with
    NLTK's compound first and vaderSentiment's second:

    * "no" before a lexicon word: vaderSentiment zeroes "no" and negates the next word,
      NLTK scores "no" itself (-1.2): "There are no problems here." -0.5994 vs +0.3089;
      "calls for no cuts in benefit levels" -0.1027 vs +0.5978.
    * Repeated words: NLTK gives every repeat of a token the position of its first
      occurrence (``list.index``), so negations and boosters are read at the wrong place:
      "He has no money and no friends" -0.0772 vs -0.5795; "Never good, never bad, never
      good." -0.7336 vs -0.4087.
    * Punctuation around a word: vaderSentiment strips it, NLTK only strips one listed
      mark on one side, so a quoted word scores 0 in NLTK: "is ''rich.''" 0.0 vs +0.5574.
      Neither strips curly quotes: "“free”" scores 0 in both, though "free" is +2.3. In
      news this mutes single words in quotation marks (scare quotes, quoted slogans).
    * Emoji: vaderSentiment translates them to words first, NLTK ignores them
      ("Great day 😀" 0.6249 vs 0.765).

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "sentence_id": ["a/0"],
    ...                   "sentence": [0], "sentence_text": ["No one dictates what we do."],
    ...                   "quoted": ["whole"]})
    >>> score_sentences(s)[["compound", "neg", "quoted"]].values.tolist()
    [[-0.296, 0.306, 'whole']]
    """
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, S.SENTENCE,
                                S.SENTENCE_TEXT, S.QUOTED], table="sentences")
    column = sentences[S.SENTENCE_TEXT]
    scores = np.empty((len(sentences), 4))
    for b0 in range(0, len(sentences), SCORE_BLOCK):  # Python strings of one block at a time
        scores[b0:b0 + SCORE_BLOCK] = score_texts(column.iloc[b0:b0 + SCORE_BLOCK].to_numpy(),
                                                  overrides=overrides, workers=workers)
    keep = [S.ARTICLE_ID, S.OUTLET, *([S.SOURCE_OUTLET] if S.SOURCE_OUTLET in sentences else []),
            S.SENTENCE_ID, S.SENTENCE]  # source_outlet: the bootstrap's clusters when outlets are grouped
    out = sentences[keep].reset_index(drop=True)  # (copy on write: shares the sentences' columns)
    for j, col in enumerate(SCORE_COLUMNS):
        out[col] = scores[:, j]
    out[S.QUOTED] = _shared(sentences[S.QUOTED])
    out[S.SENTENCE_TEXT] = _shared(column)
    return out


SCORE_BLOCK = 65_536  # sentences whose texts score_sentences holds as Python strings at once


def _shared(column: pd.Series):
    """Return `column`'s values to assign to a new table: its own text storage when it is text, else an array.

    A text column (pandas' string dtype) is assigned as its array, whose Arrow buffers the new
    table shares (no copy); any other column as ``to_numpy()``, which pandas infers as before
    (an object array of strings becomes text). Either way the new column equals what
    assigning ``column.to_numpy()`` gave. O(1) for text, O(rows) otherwise.
    """
    return column.array if isinstance(column.dtype, pd.StringDtype) else column.to_numpy()


def token_valences(text: str, *, overrides: dict | None = None) -> list[tuple[str, float]]:
    """Return each token of `text` with the valence VADER gave it in this sentence.

    Parameters
    ----------
    text : str
        One sentence.
    overrides : dict, optional
        Lexicon overrides.

    Returns
    -------
    list of (str, float)
        VADER's tokens and their valences after its rules (boosters, negation, capitals,
        "but"), exactly the list NLTK sums into the compound score.

    Notes
    -----
    Replicates the loop of NLTK's ``polarity_scores`` with NLTK's own methods (tested:
    ``score_valence`` of these valences equals ``polarity_scores`` on every bundled
    sentence). A negated word carries the flipped valence: in "not good" the token
    "good" has a negative valence.

    Examples
    --------
    >>> [(w, round(v, 3)) for w, v in token_valences("Not a good deal") if v]
    [('good', -1.406)]
    """
    return _token_valer(tuple(sorted(_check_overrides(overrides).items())))(text)


@functools.cache
def _token_valer(key: tuple):
    """Return text -> [(token, valence)] for one set of overrides (:func:`token_valences`).

    Uses the fast SentiText and :func:`_lexicon_valences` of :func:`_scorer` when that
    passed its check against NLTK (NLTK's own SentiText and every word through its rules
    otherwise): NLTK's SentiText builds a table of every word with every punctuation mark
    and strips punctuation under a timed regex, 10 times slower. O(characters) plus NLTK's
    rules per lexicon word.
    """
    sia = _analyzer(key)
    consts = sia.constants
    if _scorer(key).__name__ == "fast":
        cls, punctuation, rules = _fast_sentitext(), _punctuation_re(), _lexicon_valences
    else:  # pragma: no cover - only if a future NLTK changes its tokens
        cls, punctuation, rules = SentiText, consts.REGEX_REMOVE_PUNCTUATION, _valences

    def valences(text: str) -> list[tuple[str, float]]:
        st = cls(text, consts.PUNC_LIST, punctuation)
        return list(zip(st.words_and_emoticons, rules(sia, st), strict=True))

    return valences
