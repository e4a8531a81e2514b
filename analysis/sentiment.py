"""Score sentiment with NLTK's VADER at sentence, article and outlet level, with intervals.

Every number traces back to sentences: :func:`score_sentences` gives each sentence NLTK's
own ``polarity_scores`` (neg, neu, pos, compound), unchanged; articles and outlets are
explicit aggregates of those sentence scores (:func:`article_sentiment`,
:func:`outlet_sentiment`), outlets with two-stage bootstrap intervals and pairwise
differences (:func:`outlet_differences`). :func:`entity_scores` and
:func:`entity_sentiment` give the sentiment of the sentences (or word windows) that mention
each person or organisation (found by :mod:`analysis.entities`); :func:`voice_sentiment`
splits quoted speech from narration; :func:`extreme_sentences` and
:func:`word_contributions` are the evidence a reader needs to audit the scores; users can
override lexicon entries (:func:`load_overrides`, recorded by :func:`overrides_table`).

VADER (Hutto & Gilbert 2014) was built for short social-media text: its lexicon rates
words out of context, so in news it reads "United States" as positive ("united" +1.8),
"security forces" as positive and "a critical lifeline" as negative. Read
:func:`word_contributions` before reading a difference between outlets.

NLTK is imported with this module (VADER is what it is for), not on the first score, so
that the report's kernels load it while the corpus is still being prepared; the lexicon
itself is read on first use.
"""

from __future__ import annotations

import functools
import math
import re
import string
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis import stats
from analysis._nltk import SentimentIntensityAnalyzer, SentiText  # NLTK's VADER, without scipy.stats/sklearn
from analysis.corpus import read_yaml
from analysis.errors import ParameterError, ResourceError
from analysis.params import ENTITIES_FILE, Param

# --- columns --------------------------------------------------------------------------
NEG, NEU, POS, COMPOUND = "neg", "neu", "pos", "compound"  # VADER's own names
N_OUTLETS = "n_outlets"  # outlets in a group (group_by): the bootstrap's first-stage clusters
SCORE_COLUMNS = (NEG, NEU, POS, COMPOUND)
SENTENCE_SCORE_COLUMNS = (S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, S.SENTENCE, *SCORE_COLUMNS,
                          S.QUOTED, S.SENTENCE_TEXT)
MEAN_COMPOUND = "mean_compound"  # mean of sentence compound scores
SHARE_POS = "share_pos"  # share of units with compound >= POS_THRESHOLD
SHARE_NEG = "share_neg"  # share of units with compound <= NEG_THRESHOLD
N_ARTICLES = "n_articles"
N_SENTENCES = "n_sentences"
N_MENTIONS = "n_mentions"
N_UNITS = "n_units"  # sentences (unit="sentence") or mention windows (unit="window")
UNIT_TEXT = "unit_text"  # the text that was scored for an entity unit
VOICE = "voice"  # "narration", "mixed" or "quoted"
WORD = "word"
VALENCE = "valence"  # a lexicon word's valence in a sentence, after VADER's rules
LEXICON_VALENCE = "lexicon_valence"  # the word's valence in the lexicon (context-free)

# Hutto's recommended cut-offs for a positive / negative compound score
# (vaderSentiment README, "About the Scoring").
POS_THRESHOLD = 0.05
NEG_THRESHOLD = -0.05
DEFAULT_WINDOW = 10  # words each side of a mention in the "window" unit
UNITS = ("sentence", "window")
# Sentence-table "quoted" value -> voice: wholly quoted speech, narration, or both.
VOICES = {"none": "narration", "partial": "mixed", "whole": "quoted"}

PARAMETERS: dict[str, Param] = {
    "unit": Param(str, "what an entity's sentiment is measured on", choices=UNITS),
    "window": Param(int, "words each side of a mention when unit='window'", min=1, max=100),
    "entities_file": ENTITIES_FILE,
    "entity_types": Param(list, "entity types to show (person, organization, place, other)",
                          item_type=str),
    "min_mentions": Param(int, "show entities with at least this many mentions", min=1),
    "overrides_file": Param(str, "YAML file of lexicon overrides; 'example' = the shipped news "
                                 "example; '' uses VADER unchanged"),
    "n_boot": Param(int, "bootstrap replicates", min=100, max=100_000),
    "seed": Param(int, "seed of the bootstrap", min=0),
    "n_extreme": Param(int, "most positive/negative sentences shown per outlet", min=1, max=50),
}


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
EXAMPLE_OVERRIDES = Path(__file__).resolve().parent / "lexicons" / "vader_overrides_news.yaml"


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
)


def _valences(sia, sentitext) -> list[float]:
    """Return VADER's per-token valences: the loop of NLTK's ``polarity_scores``."""
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


@functools.cache
def _fast_sentitext():
    """Return a SentiText whose punctuation stripping is a lookup, not a product table."""

    class FastSentiText(SentiText):
        def _words_and_emoticons(self):
            # NLTK builds {p+w: w, w+p: w} for every word w and every p in PUNC_LIST; as
            # no w holds ASCII punctuation, a token's only candidate is its whole leading
            # or trailing punctuation run, so one lookup per token gives the same words.
            words = {w for w in self.REGEX_REMOVE_PUNCTUATION.sub("", self.text).split()
                     if len(w) > 1}
            punc = set(self.PUNC_LIST)
            out = []
            for we in self.text.split():
                if len(we) < 2:
                    continue
                core = we.rstrip(_ASCII_PUNCT)
                if core != we and we[len(core):] in punc and core in words:
                    out.append(core)
                    continue
                core = we.lstrip(_ASCII_PUNCT)
                if core != we and we[:len(we) - len(core)] in punc and core in words:
                    out.append(core)
                    continue
                out.append(we)
            return out

    return FastSentiText


@functools.cache
def _scorer(key: tuple):
    """Return text -> (neg, neu, pos, compound), equal to NLTK's ``polarity_scores``.

    The fast path is checked against NLTK on :data:`_PROBES`; if any differs (a future
    NLTK), NLTK's own method is used instead.
    """
    sia = _analyzer(key)
    fast_cls = _fast_sentitext()
    consts = sia.constants

    def fast(text: str) -> tuple:
        st = fast_cls(text, consts.PUNC_LIST, consts.REGEX_REMOVE_PUNCTUATION)
        return tuple(sia.score_valence(_valences(sia, st), text).values())

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

    Examples
    --------
    >>> score_texts(["A good day.", "", "A good day."]).tolist()
    [[0.0, 0.256, 0.744, 0.4404], [0.0, 0.0, 0.0, 0.0], [0.0, 0.256, 0.744, 0.4404]]
    """
    texts = ["" if t is None or t is pd.NA else str(t) for t in texts]
    key = tuple(sorted(_check_overrides(overrides).items()))
    codes, unique = pd.factorize(pd.Series(texts, dtype=object), sort=False)
    unique = list(unique)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ParameterError(f"workers: {workers!r}; use an integer >= 1")
    if workers == 1 or len(unique) < 2:
        scored = list(map(_scorer(key), unique))
    else:
        import multiprocessing as mp

        size = math.ceil(len(unique) / (workers * 8))
        chunks = [unique[i:i + size] for i in range(0, len(unique), size)]
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)
        with ctx.Pool(workers, initializer=_init_worker, initargs=(key,)) as pool:
            scored = [row for part in pool.map(_score_chunk, chunks) for row in part]
    table = np.asarray(scored, dtype=float).reshape(-1, 4)
    return table[codes] if len(texts) else np.empty((0, 4))


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
    scores = score_texts(sentences[S.SENTENCE_TEXT].tolist(), overrides=overrides,
                         workers=workers)
    keep = [S.ARTICLE_ID, S.OUTLET, *([S.SOURCE_OUTLET] if S.SOURCE_OUTLET in sentences else []),
            S.SENTENCE_ID, S.SENTENCE]  # source_outlet: the bootstrap's clusters when outlets are grouped
    out = sentences[keep].reset_index(drop=True)
    for j, col in enumerate(SCORE_COLUMNS):
        out[col] = scores[:, j]
    out[S.QUOTED] = sentences[S.QUOTED].to_numpy()
    out[S.SENTENCE_TEXT] = sentences[S.SENTENCE_TEXT].to_numpy()
    return out


# ------------------------------------------------------------------------ aggregation
def _shares(compound: pd.Series) -> tuple[float, float]:
    return float((compound >= POS_THRESHOLD).mean()), float((compound <= NEG_THRESHOLD).mean())


def article_sentiment(scores: pd.DataFrame) -> pd.DataFrame:
    """Aggregate sentence scores to articles; return one row per article.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``outlet``, ``n_sentences``, ``mean_compound`` (mean of the
        sentence compounds), ``share_pos`` / ``share_neg`` (share of sentences with
        compound >= 0.05 / <= -0.05); sorted by outlet, article.

    Notes
    -----
    An article's score is never VADER run on the whole article as one string: VADER's
    compound saturates towards +-1 on long texts, so a long article would look extreme.

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": ["a", "a", "b"], "outlet": ["X", "X", "Y"],
    ...                   "compound": [0.5, -0.3, 0.0]})
    >>> article_sentiment(d).values.tolist()
    [['a', 'X', 2, 0.1, 0.5, 0.5], ['b', 'Y', 1, 0.0, 0.0, 0.0]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="sentence scores")
    rows = []
    for (outlet, article), part in scores.groupby([S.OUTLET, S.ARTICLE_ID], sort=True):
        rows.append((article, outlet, len(part), round(float(part[COMPOUND].mean()), 6),
                     *_shares(part[COMPOUND])))
    return pd.DataFrame(rows, columns=[S.ARTICLE_ID, S.OUTLET, N_SENTENCES, MEAN_COMPOUND,
                                       SHARE_POS, SHARE_NEG])


def outlet_sentiment(scores: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT,
                     seed: int = 0, level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Aggregate sentence scores to outlets with bootstrap intervals; one row per outlet.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.
    n_boot, seed, level
        Bootstrap replicates, seed and confidence level (:func:`analysis.stats.bootstrap_means`).

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``n_articles``, ``n_sentences``, ``mean_compound`` (mean over all the
        outlet's sentences), ``ci_low``, ``ci_high``, ``share_pos``, ``share_neg``; sorted
        by outlet.

    Notes
    -----
    The mean weights every sentence equally, so long articles weigh more. The interval
    resamples the outlet's articles, then sentences within each drawn article; with one
    article it only reflects sentence-to-sentence variation inside that article, not how
    the outlet's other articles might differ.

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": list("aabb"), "outlet": ["X"] * 4,
    ...                   "compound": [0.5, 0.1, -0.2, 0.0]})
    >>> r = outlet_sentiment(d, n_boot=200)
    >>> r[["outlet", "n_articles", "n_sentences", "mean_compound", "share_pos"]].values.tolist()
    [['X', 2, 4, 0.1, 0.5]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="sentence scores")
    boot = stats.bootstrap_means(scores, value=COMPOUND, group=S.OUTLET, cluster=_cluster(scores),
                                 n_boot=n_boot, seed=seed, level=level)
    shares = scores.groupby(S.OUTLET, sort=True)[COMPOUND].apply(_shares)
    n_articles = scores.groupby(S.OUTLET, sort=True)[S.ARTICLE_ID].nunique()
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], N_ARTICLES: n_articles.loc[boot[S.OUTLET]].to_numpy(),
        N_SENTENCES: boot[S.N],
        MEAN_COMPOUND: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW], S.CI_HIGH: boot[S.CI_HIGH],
        SHARE_POS: [shares[o][0] for o in boot[S.OUTLET]],
        SHARE_NEG: [shares[o][1] for o in boot[S.OUTLET]],
    })
    if S.SOURCE_OUTLET in scores.columns:  # grouped: the outlets are the first-stage clusters
        out.insert(1, N_OUTLETS, boot[stats.N_CLUSTERS].to_numpy())
    return _round(out)


def _round(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Round float columns so saved tables are byte-identical across platforms."""
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    return df.assign(**{c: df[c].round(digits) for c in floats})


MAX_PAIRWISE = 12  # outlets up to which every pair is compared; beyond, each outlet against the rest
REST = "all other outlets"  # the `b` of a comparison against the rest of the corpus


def _cluster(scores: pd.DataFrame) -> str | list[str]:
    """Bootstrap clusters: articles, or [outlet, article] when outlets are grouped (group_by)."""
    return [S.SOURCE_OUTLET, S.ARTICLE_ID] if S.SOURCE_OUTLET in scores.columns else S.ARTICLE_ID


def outlet_differences(scores: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT,
                       seed: int = 0, level: float = stats.DEFAULT_LEVEL,
                       pairs: str = "auto") -> pd.DataFrame:
    """Return differences of outlet mean compounds with bootstrap intervals.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.
    n_boot, seed, level
        As in :func:`outlet_sentiment`.
    pairs : {"auto", "all", "rest"}, default "auto"
        "all": every pair of outlets; "rest": each outlet against all other outlets
        together (``b`` is :data:`REST`); "auto": "all" up to :data:`MAX_PAIRWISE` outlets,
        else "rest".

    Returns
    -------
    pandas.DataFrame
        One row per comparison: ``a``, ``b``, ``n_a``, ``n_b`` (sentences), ``estimate``
        (mean a minus mean b), ``ci_low``, ``ci_high``, ``excludes_zero``.

    Notes
    -----
    With many outlets some intervals exclude zero by chance (10 pairs at 95%: about one
    in two corpora shows at least one). Treat them as leads to read, not findings.
    "all" costs O(n_boot x (sentences + outlets^2)); "rest" O(n_boot x (sentences +
    outlets)): each outlet is resampled once (articles, then sentences; outlets, then
    articles, when grouped), and "the rest" is the mean of the other outlets' replicates
    weighted by their sentence counts (a stratified bootstrap of the pooled mean).

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": list("aabb"), "outlet": list("XXYY"),
    ...                   "compound": [0.5, 0.3, -0.2, 0.0]})
    >>> outlet_differences(d, n_boot=200)[["a", "b", "estimate"]].values.tolist()
    [['X', 'Y', 0.5]]
    >>> outlet_differences(d, n_boot=200, pairs="rest")[["a", "b", "estimate"]].values.tolist()
    [['X', 'all other outlets', 0.5], ['Y', 'all other outlets', -0.5]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND], table="sentence scores")
    if pairs not in ("auto", "all", "rest"):
        raise ParameterError(f"pairs: {pairs!r} is not one of 'auto', 'all', 'rest'")
    n_outlets = scores[S.OUTLET].nunique()
    if pairs == "all" or (pairs == "auto" and n_outlets <= MAX_PAIRWISE):
        return _round(stats.bootstrap_differences(scores, value=COMPOUND, group=S.OUTLET,
                                                  cluster=_cluster(scores), n_boot=n_boot, seed=seed,
                                                  level=level))
    return _round(_versus_rest(scores, n_boot=n_boot, seed=seed, level=level))


def _versus_rest(scores: pd.DataFrame, *, n_boot: int, seed: int, level: float) -> pd.DataFrame:
    cluster = _cluster(scores)
    cols = [cluster] if isinstance(cluster, str) else cluster
    names, reps, means, sizes = [], [], [], []
    for name, part in scores.groupby(S.OUTLET, sort=True):
        vals = part[COMPOUND].to_numpy(dtype=float)
        names.append(name)
        reps.append(stats._group_replicates(part, COMPOUND, cols, n_boot, stats._rng(seed, str(name))))
        means.append(vals.mean())
        sizes.append(len(vals))
    reps_m, means_a, sizes_a = np.vstack(reps), np.array(means), np.array(sizes, dtype=float)
    total_rep, total = (reps_m * sizes_a[:, None]).sum(axis=0), (means_a * sizes_a).sum()
    rest_n = sizes_a.sum() - sizes_a
    rest_rep = (total_rep[None, :] - reps_m * sizes_a[:, None]) / rest_n[:, None]
    diff = reps_m - rest_rep
    alpha = (1 - level) / 2
    low, high = np.quantile(diff, [alpha, 1 - alpha], axis=1)
    estimate = means_a - (total - means_a * sizes_a) / rest_n
    return pd.DataFrame({"a": names, "b": REST, "n_a": sizes_a.astype(int), "n_b": rest_n.astype(int),
                         stats.ESTIMATE: estimate, S.CI_LOW: low, S.CI_HIGH: high,
                         "excludes_zero": (low > 0) | (high < 0)})


# ----------------------------------------------------------------------------- voices
def voice_sentiment(scores: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT,
                    seed: int = 0, level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Compare quoted speech with the reporter's narration; one row per (outlet, voice).

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences` (needs ``quoted``).
    n_boot, seed, level
        As in :func:`outlet_sentiment`.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``voice`` ("narration": no quotation; "mixed": partly quoted;
        "quoted": wholly inside quotation marks), ``n_articles``, ``n_sentences``,
        ``mean_compound``, ``ci_low``, ``ci_high``, ``share_pos``, ``share_neg``; sorted by
        outlet and voice.

    Notes
    -----
    "mixed" sentences hold both the quote and its attribution ("..., Díaz-Canel said"),
    so their score mixes both voices. Quotation marks are the only signal: reported
    speech without them ("he said talks were underway") counts as narration.

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": list("aaa"), "outlet": ["X"] * 3,
    ...                   "compound": [0.5, 0.3, -0.2], "quoted": ["none", "none", "whole"]})
    >>> voice_sentiment(d, n_boot=200)[["voice", "n_sentences", "mean_compound"]].values.tolist()
    [['narration', 2, 0.4], ['quoted', 1, -0.2]]
    """
    S.check_columns(scores, [S.ARTICLE_ID, S.OUTLET, COMPOUND, S.QUOTED], table="sentence scores")
    bad = sorted(set(scores[S.QUOTED].dropna()) - set(VOICES))
    if bad:
        raise ParameterError(f"quoted column holds {bad}; valid: {list(VOICES)}")
    df = scores.assign(**{VOICE: scores[S.QUOTED].map(VOICES)})
    boot = stats.bootstrap_means(df, value=COMPOUND, group=[S.OUTLET, VOICE],
                                 cluster=_cluster(df), n_boot=n_boot, seed=seed, level=level)
    shares = df.groupby([S.OUTLET, VOICE], sort=True)[COMPOUND].apply(_shares)
    keys = list(zip(boot[S.OUTLET], boot[VOICE], strict=True))
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], VOICE: boot[VOICE], N_ARTICLES: boot[stats.N_CLUSTERS],
        N_SENTENCES: boot[S.N], MEAN_COMPOUND: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW],
        S.CI_HIGH: boot[S.CI_HIGH], SHARE_POS: [shares[k][0] for k in keys],
        SHARE_NEG: [shares[k][1] for k in keys],
    })
    return _round(out)


# ---------------------------------------------------------------------------- entities
_WORD_RE = re.compile(r"\S+")


def _window_text(text: str, start: int, end: int, window: int) -> str:
    """Return the mention plus `window` whitespace-separated words on each side."""
    spans = [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    first = next((k for k, (_, e) in enumerate(spans) if e > start), len(spans))
    last = max((k for k, (s, _) in enumerate(spans) if s < end), default=first)
    lo, hi = max(0, first - window), min(len(spans), last + window + 1)
    return text[spans[lo][0]:spans[hi - 1][1]] if hi > lo else ""


def entity_scores(mentions: pd.DataFrame, sentences: pd.DataFrame, *, unit: str = "sentence",
                  window: int = DEFAULT_WINDOW, overrides: dict | None = None) -> pd.DataFrame:
    """Score the text around each entity's mentions; one row per (entity, unit).

    Parameters
    ----------
    mentions : pandas.DataFrame
        From :func:`analysis.entities.find_mentions`.
    sentences : pandas.DataFrame
        The sentence table the mentions were found in.
    unit : {"sentence", "window"}, default "sentence"
        "sentence": each sentence mentioning the entity is scored once, however many
        times it names the entity; "window": each mention is scored on itself plus
        `window` words either side, within its sentence.
    window : int, default 10
        Words each side of a mention (unit "window").
    overrides : dict, optional
        Lexicon overrides.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``article_id``, ``sentence_id``, ``entity``, ``type``, ``n_mentions``
        (in this unit), ``unit_text``, ``compound``; sorted by outlet, entity, sentence.

    Notes
    -----
    The scored text is the sentence (or window) around the name, not sentiment *toward*
    the entity: "Díaz-Canel rejected Trump's threats" is negative for both men. The
    window unit narrows the context, but VADER still cannot tell who is the target.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...                   "start": [0], "sentence_text": ["Trump praised the good deal, "
    ...                   "but Rubio warned of a terrible crisis."]})
    >>> m = E.find_mentions(s, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    >>> r = entity_scores(m, s, unit="window", window=3)
    >>> r[["entity", "unit_text", "compound"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Donald Trump', 'Trump praised the good', 0.7269],
     ['Marco Rubio', 'good deal, but Rubio warned of a', -0.1779]]
    """
    S.check_columns(mentions, E.MENTION_COLUMNS, table="mentions")
    S.check_columns(sentences, [S.SENTENCE_ID, S.START, S.SENTENCE_TEXT], table="sentences")
    if unit not in UNITS:
        raise ParameterError(f"unit: {unit!r}; use one of {list(UNITS)}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise ParameterError(f"window: {window!r}; use an integer >= 1")
    text = sentences.set_index(S.SENTENCE_ID)
    keys = [S.OUTLET, S.ARTICLE_ID, S.SENTENCE_ID, E.ENTITY, E.ENTITY_TYPE]
    if unit == "sentence":
        units = mentions.groupby(keys, sort=False).size().rename(N_MENTIONS).reset_index()
        units[UNIT_TEXT] = text.loc[units[S.SENTENCE_ID], S.SENTENCE_TEXT].to_numpy()
    else:
        units = mentions[keys].assign(**{N_MENTIONS: 1})
        offset = text.loc[mentions[S.SENTENCE_ID], S.START].to_numpy()
        units[UNIT_TEXT] = [
            _window_text(t, s - o, e - o, window) for t, s, e, o in zip(
                text.loc[mentions[S.SENTENCE_ID], S.SENTENCE_TEXT], mentions[S.START],
                mentions[S.END], offset, strict=True)]
    units[COMPOUND] = score_texts(units[UNIT_TEXT].tolist(), overrides=overrides)[:, 3] \
        if len(units) else []
    units[N_MENTIONS] = units[N_MENTIONS].astype("int64")
    return units.sort_values([S.OUTLET, E.ENTITY, S.SENTENCE_ID], kind="stable").reset_index(
        drop=True)


def entity_sentiment(units: pd.DataFrame, *, n_boot: int = stats.DEFAULT_N_BOOT, seed: int = 0,
                     level: float = stats.DEFAULT_LEVEL) -> pd.DataFrame:
    """Average entity units per outlet with bootstrap intervals; one row per (outlet, entity).

    Parameters
    ----------
    units : pandas.DataFrame
        From :func:`entity_scores`.
    n_boot, seed, level
        As in :func:`outlet_sentiment`.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``entity``, ``n_mentions``, ``mean_compound``, ``ci_low``, ``ci_high``,
        ``type``, ``n_units`` (sentences or windows averaged), ``n_articles``,
        ``share_pos``, ``share_neg``; sorted by outlet and entity.

    Notes
    -----
    An entity named in one sentence of an outlet gets that sentence's score and a
    zero-width interval: read ``n_units`` first.

    Examples
    --------
    >>> u = pd.DataFrame({"outlet": ["X"] * 3, "article_id": ["a"] * 3,
    ...                   "entity": ["T", "T", "R"], "type": ["person"] * 3,
    ...                   "n_mentions": [2, 1, 1], "compound": [0.4, 0.0, -0.5]})
    >>> entity_sentiment(u, n_boot=200)[["entity", "n_mentions", "n_units",
    ...                                  "mean_compound"]].values.tolist()
    [['R', 1, 1, -0.5], ['T', 3, 2, 0.2]]
    """
    S.check_columns(units, [S.OUTLET, S.ARTICLE_ID, E.ENTITY, E.ENTITY_TYPE, N_MENTIONS, COMPOUND],
                    table="entity units")
    cols = [S.OUTLET, E.ENTITY, N_MENTIONS, MEAN_COMPOUND, S.CI_LOW, S.CI_HIGH, E.ENTITY_TYPE,
            N_UNITS, N_ARTICLES, SHARE_POS, SHARE_NEG]  # the columns first
    if units.empty:
        return pd.DataFrame(columns=cols)
    boot = stats.bootstrap_means(units, value=COMPOUND, group=[S.OUTLET, E.ENTITY],
                                 cluster=_cluster(units), n_boot=n_boot, seed=seed, level=level)
    grouped = units.groupby([S.OUTLET, E.ENTITY], sort=True)
    keys = list(zip(boot[S.OUTLET], boot[E.ENTITY], strict=True))
    types, counts = grouped[E.ENTITY_TYPE].first(), grouped[N_MENTIONS].sum()
    shares = grouped[COMPOUND].apply(_shares)
    out = pd.DataFrame({
        S.OUTLET: boot[S.OUTLET], E.ENTITY: boot[E.ENTITY],
        E.ENTITY_TYPE: [types[k] for k in keys], N_MENTIONS: [int(counts[k]) for k in keys],
        N_UNITS: boot[S.N], N_ARTICLES: boot[stats.N_CLUSTERS],
        MEAN_COMPOUND: boot[stats.ESTIMATE], S.CI_LOW: boot[S.CI_LOW], S.CI_HIGH: boot[S.CI_HIGH],
        SHARE_POS: [shares[k][0] for k in keys], SHARE_NEG: [shares[k][1] for k in keys],
    })
    return _round(out[cols])


# ---------------------------------------------------------------------------- evidence
def extreme_sentences(scores: pd.DataFrame, *, n: int = 3) -> pd.DataFrame:
    """Return the `n` most positive and `n` most negative sentences of each outlet.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences`.
    n : int, default 3
        Sentences per outlet and direction.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``direction`` ("positive"/"negative"), ``rank`` (1 = most extreme),
        ``sentence_id``, ``compound``, ``quoted``, ``sentence_text``. Only sentences past
        the +-0.05 thresholds; ties broken by sentence id.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["X"] * 3, "sentence_id": ["a/0", "a/1", "a/2"],
    ...                   "compound": [0.5, -0.7, 0.0], "quoted": ["none"] * 3,
    ...                   "sentence_text": ["Good.", "Bad!", "So."]})
    >>> extreme_sentences(d, n=2)[["direction", "rank", "sentence_text"]].values.tolist()
    [['negative', 1, 'Bad!'], ['positive', 1, 'Good.']]
    """
    S.check_columns(scores, [S.OUTLET, S.SENTENCE_ID, COMPOUND, S.QUOTED, S.SENTENCE_TEXT],
                    table="sentence scores")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ParameterError(f"n: {n!r}; use an integer >= 1")
    parts = []
    for direction, sign, keep in (("negative", 1, scores[COMPOUND] <= NEG_THRESHOLD),
                                  ("positive", -1, scores[COMPOUND] >= POS_THRESHOLD)):
        d = scores[keep].assign(_key=scores[COMPOUND] * sign)
        d = d.sort_values([S.OUTLET, "_key", S.SENTENCE_ID]).groupby(S.OUTLET).head(n)
        d = d.assign(direction=direction, rank=d.groupby(S.OUTLET).cumcount() + 1)
        parts.append(d)
    out = pd.concat(parts).sort_values([S.OUTLET, "direction", "rank"])
    return out[[S.OUTLET, "direction", "rank", S.SENTENCE_ID, COMPOUND, S.QUOTED,
                S.SENTENCE_TEXT]].reset_index(drop=True)


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
    sia = analyzer(overrides)
    st = SentiText(text, sia.constants.PUNC_LIST, sia.constants.REGEX_REMOVE_PUNCTUATION)
    words, sentiments = st.words_and_emoticons, _valences(sia, st)
    return list(zip(words, sentiments, strict=True))


def word_contributions(scores: pd.DataFrame, *, overrides: dict | None = None,
                       top: int = 10) -> pd.DataFrame:
    """Return the words that push each outlet's sentences most positive and most negative.

    Parameters
    ----------
    scores : pandas.DataFrame
        From :func:`score_sentences` (needs ``outlet`` and ``sentence_text``).
    overrides : dict, optional
        The lexicon overrides the scores were made with.
    top : int, default 10
        Words per outlet and direction.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``direction``, ``rank``, ``word`` (lower case), ``count`` (sentences
        where it carried valence), ``lexicon_valence``, ``valence`` (its summed valence
        over the outlet's sentences, after VADER's rules), ``share`` (of the outlet's
        total absolute valence).

    Notes
    -----
    The compound is a non-linear function of the summed valences, so a word's share of
    the summed valence is an approximation of its weight in the compound. This is the
    audit table: look here for words VADER reads out of context ("united" in "United
    States", "party" in "Communist Party", "critical" meaning "crucial").

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["X", "X"], "sentence_text": ["A good day.",
    ...                   "A bad day, a good end."]})
    >>> word_contributions(d, top=1)[["direction", "word", "count", "valence"]].values.tolist()
    [['negative', 'bad', 1, -2.5], ['positive', 'good', 2, 3.8]]
    """
    S.check_columns(scores, [S.OUTLET, S.SENTENCE_TEXT], table="sentence scores")
    lexicon = analyzer(overrides).lexicon
    rows = []
    for outlet, text in scores[[S.OUTLET, S.SENTENCE_TEXT]].itertuples(index=False):
        for word, val in token_valences(str(text), overrides=overrides):
            if val:
                rows.append((outlet, word.lower(), float(val)))
    cols = [S.OUTLET, "direction", "rank", WORD, E.COUNT, LEXICON_VALENCE, VALENCE, "share"]
    if not rows:
        return pd.DataFrame(columns=cols)
    d = pd.DataFrame(rows, columns=[S.OUTLET, WORD, VALENCE])
    agg = d.groupby([S.OUTLET, WORD], sort=True).agg(
        **{E.COUNT: (VALENCE, "size"), VALENCE: (VALENCE, "sum")}).reset_index()
    total = d.assign(a=d[VALENCE].abs()).groupby(S.OUTLET)["a"].sum()
    agg["share"] = agg[VALENCE].abs() / agg[S.OUTLET].map(total)
    agg[LEXICON_VALENCE] = agg[WORD].map(lambda w: lexicon.get(w, np.nan)).astype(float)
    agg["direction"] = np.where(agg[VALENCE] > 0, "positive", "negative")
    agg = agg.assign(_k=-agg[VALENCE].abs()).sort_values([S.OUTLET, "direction", "_k", WORD])
    agg = agg.groupby([S.OUTLET, "direction"]).head(top)
    agg["rank"] = agg.groupby([S.OUTLET, "direction"]).cumcount() + 1
    return _round(agg[cols].reset_index(drop=True))
