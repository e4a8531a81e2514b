"""Frame scores per outlet or article, with a vectorised cluster bootstrap on aggregated counts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import ParameterError
from analysis.frames.columns import (
    ARTICLES,
    FRAME,
    HITS,
    PER_1K,
    PER_WORDS,
    PROFILE_COLUMNS,
    SCHEME,
    SEMETKO_VALKENBURG,
    SENTENCES,
    SENTENCES_WITH_FRAME,
    SHARE_SENTENCES,
    WORDS,
)
from analysis.frames.lexicon import find_cues, frames_of, load_lexicon

_USED_IN_EXAMPLES = (SEMETKO_VALKENBURG, find_cues)  # names the docstring examples call


def _unit_keys(by: str) -> list[str]:
    if by == "outlet":
        return [S.OUTLET]
    if by == "article":
        return [S.ARTICLE_ID, S.OUTLET]
    raise ParameterError(f"by: {by!r}; use 'outlet' or 'article'")


def _words_per_unit(sentences: pd.DataFrame, words: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
    if words is None:
        from analysis.tokens import word_counts

        words = word_counts(sentences)
    S.check_columns(words, [S.ARTICLE_ID, S.OUTLET, WORDS], table="words")
    return words.groupby(keys, sort=False)[WORDS].sum().reset_index()


def _check_boot(n_boot: int, level: float) -> None:
    if not isinstance(n_boot, int) or isinstance(n_boot, bool) or n_boot < 100:
        raise ParameterError(f"n_boot: {n_boot!r}; use an integer >= 100")
    if not 0.5 <= level < 1:
        raise ParameterError(f"level: {level!r}; use a number in [0.5, 1)")


def binomial_cluster_bootstrap(n: np.ndarray, k: np.ndarray, *, n_boot: int, rng: np.random.Generator,
                               level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Return percentile bootstrap bounds of pooled shares k/n, clusters resampled then units.

    Parameters
    ----------
    n : numpy.ndarray of int, shape (clusters,)
        Units (sentences) per cluster (article), all > 0.
    k : numpy.ndarray of int, shape (rows, clusters)
        Units carrying each row's property (a frame) per cluster; ``0 <= k <= n``.
    n_boot : int
        Replicates (>= 100).
    rng : numpy.random.Generator
        Source of randomness (one per group keeps a group's interval independent of the
        other groups).
    level : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds, one per row of `k`.

    Notes
    -----
    The same resampling as :func:`analysis.stats.bootstrap_means` with a cluster column
    (draw the clusters with replacement, then the units of each drawn cluster with
    replacement), computed from counts: for 0/1 values, the units drawn from a cluster of
    ``n`` units of which ``k`` carry the property carry it ``Binomial(n, k/n)`` times, so a
    replicate is ``sum_c Binomial(n_c, k_c/n_c) / sum_c n_c`` over the drawn clusters. The
    replicates have exactly the distribution of the unit-level two-stage bootstrap (not the
    same random stream, so bounds differ from it by Monte Carlo error, about 0.5 pp at
    2,000 replicates). One cluster: the units are resampled (the within-article interval).
    A cluster drawn ``m`` times adds ``Binomial(m n_c, p_c)``: the cluster draws are one
    multinomial per replicate, shared by the rows, and only clusters with ``0 < k < n``
    need binomial draws. Cost: O(n_boot x clusters) for the cluster draws plus
    O(n_boot x clusters with 0 < k < n) per row, vectorised; linear in the number of
    articles, independent of the number of sentences. One cluster: O(rows x (n_boot + n))
    for the draws and their percentiles, read from counts of the draws
    (:func:`_quantiles_of_counts`, the same bounds as ``np.quantile`` bit for bit).

    Examples
    --------
    >>> lo, hi = binomial_cluster_bootstrap(np.array([4, 4]), np.array([[0, 4], [2, 2]]), n_boot=2000,
    ...                                     rng=np.random.default_rng(0))
    >>> lo.round(2).tolist(), hi.round(2).tolist()  # clusters all-or-nothing: wide; alike: narrower
    ([0.0, 0.12], [1.0, 0.88])
    """
    n = np.asarray(n, dtype=np.int64)
    k_all = np.atleast_2d(np.asarray(k, dtype=np.int64))
    alpha = (1 - level) / 2
    share = k_all.sum(axis=1) / n.sum()
    low_all, high_all = share.copy(), share.copy()
    vary = (share > 0) & (share < 1)  # all-0 or all-1 rows replicate to themselves
    if not vary.any():
        return low_all, high_all
    k = k_all[vary]
    p = k / n
    if len(n) == 1:  # one cluster: resample its units
        draws = rng.binomial(n[0], np.repeat(p, n_boot, axis=1))
        low_all[vary], high_all[vary] = _quantiles_of_counts(draws, int(n[0]), [alpha, 1 - alpha])
        return low_all, high_all
    # times each cluster is drawn in each replicate; a cluster drawn m times adds
    # Binomial(m * n_c, p_c) units carrying the property, so only clusters with
    # 0 < p_c < 1 need random draws (p_c = 1 adds m * n_c, p_c = 0 nothing)
    drawn = rng.multinomial(len(n), np.full(len(n), 1 / len(n)), size=n_boot)
    total = drawn @ n
    reps = np.empty((len(k), n_boot))
    for row, (kr, pr) in enumerate(zip(k, p, strict=True)):
        mixed = np.flatnonzero((kr > 0) & (kr < n))
        full = np.flatnonzero(kr == n)
        carried = drawn[:, full] @ n[full]
        if len(mixed):
            carried = carried + rng.binomial(drawn[:, mixed] * n[mixed], pr[mixed]).sum(axis=1)
        reps[row] = carried / total
    low_all[vary], high_all[vary] = np.quantile(reps, [alpha, 1 - alpha], axis=1)
    return low_all, high_all


def _quantiles_of_counts(draws: np.ndarray, n: int, q) -> np.ndarray:
    """Return ``np.quantile(draws / n, q, axis=1)`` from counts of the values, without sorting.

    Parameters
    ----------
    draws : numpy.ndarray of int, shape (rows, replicates)
        Integers in ``[0, n]`` (binomial draws of `n` units).
    n : int
        Units per draw (> 0).
    q : sequence of float
        Quantiles in [0, 1].

    Returns
    -------
    numpy.ndarray, shape (len(q), rows)
        Bit for bit what ``np.quantile`` (method "linear") returns: the same two order
        statistics and the same interpolation (``numpy.lib._function_base_impl._lerp``).

    Notes
    -----
    ``draws / n`` takes at most ``n + 1`` values, ordered as the integers are, so the j-th
    smallest is the number of values whose running count up to it is <= j. Cost:
    O(rows x (replicates + n)) (one ``bincount``, one cumulative sum), against
    ``np.quantile``'s partition of every row: at 10,000 generated articles the two profiles
    of the framing notebook took 28.8 CPU s against 30.1 (``bench/framing_memory.py --steps
    profile``; the binomial draws themselves are most of the rest).
    """
    rows, reps = draws.shape
    virtual = (reps - 1) * np.asarray(q, dtype=np.float64)  # numpy's "linear" virtual index
    before = np.floor(virtual)
    after = before + 1
    at_end = virtual >= reps - 1
    before[at_end] = after[at_end] = reps - 1
    gamma = (virtual - before).reshape(-1, 1)
    counts = np.bincount((draws + (n + 1) * np.arange(rows)[:, None]).ravel(), minlength=rows * (n + 1))
    running = counts.reshape(rows, n + 1).cumsum(axis=1)
    a = np.stack([(running <= j).sum(axis=1) for j in before.astype(np.int64)]) / n
    b = np.stack([(running <= j).sum(axis=1) for j in after.astype(np.int64)]) / n
    diff = b - a  # numpy's _lerp, operation for operation
    out = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=out, where=np.broadcast_to(gamma >= 0.5, out.shape))
    return out


def _rng(seed: int, key: str) -> np.random.Generator:
    import zlib

    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


def frame_profile(hits: pd.DataFrame, sentences: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
                  by: str = "outlet", words: pd.DataFrame | None = None, n_boot: int = 2000,
                  seed: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Score every frame for every outlet (or article): hits per 1,000 words, sentence share.

    Parameters
    ----------
    hits : pandas.DataFrame
        From :func:`find_cues` on `sentences`.
    sentences : pandas.DataFrame
        The sentence table the hits came from (``sentence_id``, ``article_id``, ``outlet``,
        ``sentence_text``).
    lexicon : pandas.DataFrame, optional
        The lexicon used (all its frames are scored, hit or not); None = shipped lexicons.
    by : {"outlet", "article"}, default "outlet"
        The unit: per outlet (articles resampled as clusters) or per article (sentences
        resampled).
    words : pandas.DataFrame, optional
        :func:`analysis.tokens.word_counts` of `sentences`; computed when omitted.
    n_boot, seed, level
        As in :func:`analysis.stats.bootstrap_means`.

    Returns
    -------
    pandas.DataFrame
        One row per unit x (scheme, frame): ``outlet`` (and ``article_id`` when
        ``by="article"``), ``scheme``, ``frame``, ``hits``, ``per_1k`` (hits per 1,000
        words), ``share_sentences`` (share of sentences with at least one cue of the frame),
        ``ci_low``/``ci_high`` (bootstrap interval of ``share_sentences``), then the
        counts behind them: ``words``, ``sentences``, ``sentences_with_frame``,
        ``articles``. Sorted by unit, then lexicon order of schemes and frames.

    Notes
    -----
    ``per_1k`` counts every hit; ``share_sentences`` counts a sentence once however many
    cues it has, so one cue-heavy sentence moves the first more than the second. The
    interval is for ``share_sentences`` only: the two-stage cluster bootstrap of
    :mod:`analysis.stats` (articles, then sentences within them; per article: sentences),
    computed from per-article counts by :func:`binomial_cluster_bootstrap`, one seeded
    generator per outlet (per article with ``by="article"``), so a unit's interval does
    not depend on the other units. With one article per outlet the interval
    reflects sentence-to-sentence variation within that article, not how the outlet's
    other articles would differ. A frame with no cues (the residual "other") gets NaN
    scores, not zeros. Range: ``per_1k`` >= 0, ``share_sentences`` in [0, 1].
    Cost: O(sentences + hits) to aggregate, plus O(n_boot x articles x frames) vectorised
    binomial draws; no cross join of sentences and frames. Until 2026-12 the interval
    was resampled sentence by sentence in a Python loop (601 s of the framing notebook on
    1,000 articles); bounds now differ from those by Monte Carlo error only.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "article_id": ["a", "a"],
    ...     "outlet": ["X", "X"], "start": [0, 24],
    ...     "sentence_text": ["Sanctions hurt the economy.", "Both sides refused."]})
    >>> lex = load_lexicon(SEMETKO_VALKENBURG)
    >>> p = frame_profile(find_cues(s, lexicon=lex), s, lexicon=lex, n_boot=200)
    >>> p[["frame", "hits", "per_1k", "share_sentences", "words"]].head(3).round(1).values.tolist()
    [['conflict', 1, 142.9, 0.5, 7], ['human_interest', 0, 0.0, 0.0, 7], ['economic', 2, 285.7, 0.5, 7]]
    """
    keys = _unit_keys(by)
    _check_boot(n_boot, level)
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT], table="sentences")
    S.check_columns(hits, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, SCHEME, FRAME], table="hits")
    frames = frames_of(load_lexicon() if lexicon is None else lexicon)
    columns = [*keys, *PROFILE_COLUMNS[1:]]
    if not len(sentences):
        return pd.DataFrame(columns=columns)
    n_frames = len(frames)
    frame_index = pd.MultiIndex.from_arrays([frames[SCHEME], frames[FRAME]])
    # sentences per article, and sentences carrying each frame per article (articles x frames)
    sent = sentences[[S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET]]
    arts = sent.groupby([S.ARTICLE_ID, S.OUTLET], sort=True).size().rename("_n").reset_index()
    art_pos = pd.Series(np.arange(len(arts)), index=pd.MultiIndex.from_frame(arts[[S.ARTICLE_ID, S.OUTLET]]))
    carry = hits[[S.SENTENCE_ID, SCHEME, FRAME]]  # the inner merge below keeps hits of `sentences` only
    carry = carry.drop_duplicates().merge(sent, on=S.SENTENCE_ID, how="inner")
    fpos = frame_index.get_indexer(pd.MultiIndex.from_arrays([carry[SCHEME], carry[FRAME]]))
    apos = art_pos.reindex(pd.MultiIndex.from_arrays([carry[S.ARTICLE_ID], carry[S.OUTLET]])).to_numpy()
    ok = fpos >= 0
    K = np.zeros((len(arts), n_frames), dtype=np.int64)
    np.add.at(K, (apos[ok].astype(np.int64), fpos[ok]), 1)
    N = arts["_n"].to_numpy(dtype=np.int64)
    units = arts.groupby(keys, sort=True).indices if by == "outlet" else {
        (a, o): np.array([i]) for i, (a, o) in enumerate(zip(arts[S.ARTICLE_ID], arts[S.OUTLET], strict=True))}
    names, est, low, high, total, carried, n_articles = [], [], [], [], [], [], []
    for name, rows in units.items():
        n, k = N[rows], K[rows].T  # (articles,), (frames, articles)
        names.append(name if isinstance(name, tuple) else (name,))
        total.append(int(n.sum()))
        carried.append(k.sum(axis=1))
        est.append(carried[-1] / total[-1])
        n_articles.append(len(rows))
        if total[-1] > 1:
            lo, hi = binomial_cluster_bootstrap(n, k, n_boot=n_boot, level=level,
                                                rng=_rng(seed, "\x1f".join(map(str, names[-1]))))
        else:
            lo = hi = est[-1]
        low.append(lo)
        high.append(hi)
    reps = len(names)
    out = pd.DataFrame({**{key: np.repeat(np.array([nm[i] for nm in names], dtype=object), n_frames)
                           for i, key in enumerate(keys)},
                        SCHEME: np.tile(frames[SCHEME].to_numpy(), reps),
                        FRAME: np.tile(frames[FRAME].to_numpy(), reps),
                        SHARE_SENTENCES: np.concatenate(est), S.CI_LOW: np.concatenate(low),
                        S.CI_HIGH: np.concatenate(high), SENTENCES: np.repeat(total, n_frames),
                        SENTENCES_WITH_FRAME: np.concatenate(carried), ARTICLES: np.repeat(n_articles, n_frames),
                        "_order": np.tile(np.arange(n_frames), reps)})
    group = [*keys, SCHEME, FRAME]
    counts = hits.groupby(group, sort=False).size().rename(HITS).reset_index()
    out = out.merge(counts, how="left", on=group).merge(_words_per_unit(sentences, words, keys), how="left", on=keys)
    out[HITS] = out[HITS].fillna(0).astype("int64")
    out[WORDS] = out[WORDS].fillna(0).astype("int64")
    out[PER_1K] = np.where(out[WORDS] > 0, out[HITS] * PER_WORDS / out[WORDS].where(out[WORDS] > 0, 1), np.nan)
    has_cues = frames["has_cues"].astype(bool).to_numpy()
    no_cues = ~has_cues[out["_order"].to_numpy()]
    out.loc[no_cues, [PER_1K, SHARE_SENTENCES, S.CI_LOW, S.CI_HIGH]] = np.nan
    out = out.sort_values([*keys, "_order"], kind="stable").reset_index(drop=True)
    return out[columns].astype({SENTENCES: "int64", SENTENCES_WITH_FRAME: "int64", ARTICLES: "int64"})
