"""Find text reuse between articles: shared passages, aligned paraphrases, originality.

Two articles reuse each other's text when they share word n-grams ("shingles"). Instead of
comparing every pair of articles (quadratic), :func:`shared_passages` indexes every
shingle of the corpus once, keeps those found in at least two and at most `max_df`
articles (more is boilerplate shared by everyone, which says nothing about who copied
whom), and compares only the pairs that share at least `min_shared` of them; the cost
grows with the number of shingles, not with the number of pairs (see ``bench/reuse.py``).
For each candidate pair it reports the shared passages with character offsets.

:func:`align_sentences` then aligns the sentences of each candidate pair one to one
(word-sequence similarity, :mod:`difflib`), labels each aligned pair identical or
paraphrase, and shows a word-level diff, so a reader sees exactly what an outlet changed.
:func:`reuse_pairs` summarises each pair (share of each article covered by shared text)
and :func:`originality` gives each article its share of sentences with no counterpart
elsewhere and a likely source (an earlier article it shares text with, or a wire credit).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import ParameterError, SchemaError

# --- columns -----------------------------------------------------------------------------
ARTICLE_A = "article_a"  # first article of a pair (earlier in the articles table)
ARTICLE_B = "article_b"  # second article of the pair
START_A, END_A = "start_a", "end_a"  # character offsets of a passage in article_a's text
START_B, END_B = "start_b", "end_b"  # ... and in article_b's text
N_WORDS = "n_words"  # words in the passage (in article_a)
TEXT_A, TEXT_B = "text_a", "text_b"  # the passage as written in each article
SHINGLE = "shingle"  # 64-bit hash of the n words starting at a word (shingle_table)
PASSAGE_COLUMNS = (ARTICLE_A, ARTICLE_B, START_A, END_A, START_B, END_B, N_WORDS, TEXT_A, TEXT_B)
SENTENCE_A, SENTENCE_B = "sentence_a", "sentence_b"  # sentence ids of an aligned pair
SIMILARITY = "similarity"  # difflib ratio of the two sentences' word sequences (0-1)
ALIGN_KIND = "kind"  # "identical" (same words) or "paraphrase"
DIFF = "diff"  # word diff: [-removed-] {+added+}
ALIGN_COLUMNS = (ARTICLE_A, ARTICLE_B, SENTENCE_A, SENTENCE_B, SIMILARITY, ALIGN_KIND, TEXT_A, TEXT_B, DIFF)
SHARED_SHARE_A = "shared_share_a"  # share of article_a's words inside passages shared with article_b
SHARED_SHARE_B = "shared_share_b"  # share of article_b's words inside those passages
N_PASSAGES = "n_passages"  # shared passages
N_ALIGNED = "n_aligned"  # aligned sentence pairs (identical + paraphrase)
N_PARAPHRASED = "n_paraphrased"  # aligned pairs that are not identical
PAIR_COLUMNS = (ARTICLE_A, ARTICLE_B, SHARED_SHARE_A, SHARED_SHARE_B, N_PASSAGES, N_ALIGNED, N_PARAPHRASED,
                "shared_words_a", "shared_words_b", "words_a", "words_b")
ORIGINALITY = "originality"  # share of the article's sentences with no counterpart elsewhere
LIKELY_SOURCE = "likely_source"  # article id or wire name, or "" when nothing suggests one
SOURCE_EVIDENCE = "source_evidence"  # why

# --- defaults ------------------------------------------------------------------------------
NGRAM = 5  # words per shingle: 5 keeps common phrases ("the United States and") rare enough
MAX_DF = 50  # a shingle in more articles than this is boilerplate and does not make a pair
WINDOW_DAYS = 30  # the report's default: articles published further apart are not compared (None: all)
MIN_SHARED = 2  # distinct shared shingles a pair needs to be compared
THRESHOLD = 0.5  # sentence similarity (difflib ratio of words) for an aligned pair
_PREFILTER = 0.2  # word-set Jaccard below which two sentences are not compared with difflib
_HASH_BASE = np.uint64(1_000_003)  # rolling-hash multiplier (a prime); arithmetic mod 2**64
_WORD_RE = re.compile(r"\w+(?:[’'.-]\w+)*")


def _words(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return the folded words of `text` with their start and end offsets."""
    folded = fold_for_matching(text)  # already lower case (lower() is idempotent)
    spans = np.array([m.span() for m in _WORD_RE.finditer(folded)], dtype=np.int64).reshape(-1, 2)
    return _WORD_RE.findall(folded), spans[:, 0].copy(), spans[:, 1].copy()


def _shingles(ids: np.ndarray, n: int) -> np.ndarray:
    """Return one 64-bit rolling hash per word n-gram of a word-id sequence."""
    if len(ids) < n:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(len(ids) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = h * _HASH_BASE + ids[k:len(ids) - n + 1 + k].astype(np.uint64)
    return h


SHINGLE_COLUMNS = (S.ARTICLE_ID, S.START, S.END, SHINGLE)


def shingle_table(articles: pd.DataFrame, *, n: int = NGRAM) -> pd.DataFrame:
    """Return every word of every article with the hash of the shingle it starts: a per-article step.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).
    n : int, default :data:`NGRAM`
        Words per shingle.

    Returns
    -------
    pandas.DataFrame
        One row per word, in article and text order: ``article_id``, ``start``, ``end``
        (int32 offsets of the word in ``text``) and ``shingle``, the 64-bit hash of the `n` words
        starting there (0 for an article's last ``n - 1`` words, which start none). Words are
        folded (:func:`analysis.clean.fold_for_matching`) and hashed by their letters
        (:func:`pandas.util.hash_array`), so an article's rows depend on that article alone
        and :func:`analysis.partition.per_article` can shingle a corpus in chunks or on a
        cluster; :func:`shared_passages` takes the table whole.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a"], "text": ["Talks resume next week"]})
    >>> t = shingle_table(a, n=3)
    >>> t[["start", "end"]].values.tolist(), (t["shingle"] > 0).tolist()
    ([[0, 5], [6, 12], [13, 17], [18, 22]], [True, True, False, False])

    Notes
    -----
    O(words): one regex pass per article and one vectorised hash of the distinct words;
    about 45 bytes a word (the id as Arrow text, offsets as int32, the hash as uint64).
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    _check_params(n)
    words = [_words(text) for text in articles[S.TEXT].astype(str)]
    sizes = np.array([len(toks) for toks, _, _ in words], dtype=np.int64)
    flat = np.array([t for toks, _, _ in words for t in toks], dtype=object)
    word_hash = pd.util.hash_array(flat) if len(flat) else np.zeros(0, np.uint64)  # each distinct word once
    bounds = np.r_[0, np.cumsum(sizes)]
    h = np.zeros(len(flat), dtype=np.uint64)
    for k in range(len(words)):
        sh = _shingles(word_hash[bounds[k]:bounds[k + 1]], n)
        h[bounds[k]:bounds[k] + len(sh)] = sh
    out = pd.DataFrame({S.ARTICLE_ID: np.repeat(articles[S.ARTICLE_ID].astype(str).to_numpy(dtype=object), sizes),
                        S.START: np.concatenate([np.zeros(0, np.int64), *(w[1] for w in words)]).astype(np.int32),
                        S.END: np.concatenate([np.zeros(0, np.int64), *(w[2] for w in words)]).astype(np.int32),
                        SHINGLE: h})
    return out.astype({S.ARTICLE_ID: "str"})


def _index(articles: pd.DataFrame, shingles: pd.DataFrame, n: int):
    """Return (word bounds per article, word starts, word ends, shingle hashes per article).

    `shingles` is :func:`shingle_table` of `articles`, in any article order; the result
    follows `articles`. O(words).
    """
    ids = articles[S.ARTICLE_ID].astype(str)
    codes = pd.Index(ids).get_indexer(shingles[S.ARTICLE_ID].astype(str))
    if (codes < 0).any():
        bad = shingles[S.ARTICLE_ID].iloc[int(np.flatnonzero(codes < 0)[0])]
        raise SchemaError(f"shingles table has article_id {bad!r}, which is not in the articles table; "
                          "pass shingle_table(articles) of the same articles")
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(ids))
    bounds = np.r_[0, np.cumsum(counts)]
    starts = shingles[S.START].to_numpy(dtype=np.int64)[order]
    ends = shingles[S.END].to_numpy(dtype=np.int64)[order]
    h = shingles[SHINGLE].to_numpy(dtype=np.uint64)[order]
    hashes = [h[bounds[k]:bounds[k] + max(0, counts[k] - n + 1)] for k in range(len(ids))]
    return bounds, starts, ends, hashes


def _max_df(max_df: int | float, n_articles: int) -> int:
    """Return the document-frequency cap in articles: an int as is, a float as a share of the corpus."""
    if isinstance(max_df, float) and 0 < max_df <= 1:
        return max(2, int(max_df * n_articles))
    if isinstance(max_df, bool) or not isinstance(max_df, int) or max_df < 2:
        raise ParameterError(f"max_df must be an int >= 2 (articles) or a float in (0, 1] (share of "
                             f"articles); got {max_df!r}")
    return max_df


def _check_window(window_days) -> None:
    if window_days is not None and (isinstance(window_days, bool) or not isinstance(window_days, int)
                                    or window_days < 0):
        raise ParameterError(f"window_days must be None (compare every pair) or an int >= 0 (days); "
                             f"got {window_days!r}")


def candidate_pairs(hashes: list[np.ndarray], *, max_df: int | float = MAX_DF,
                    min_shared: int = MIN_SHARED, days: np.ndarray | None = None,
                    window_days: int | None = None) -> np.ndarray:
    """Return the article pairs that share enough rare shingles, without comparing all pairs.

    Parameters
    ----------
    hashes : list of numpy.ndarray
        Shingle hashes of each article (any order, repeats allowed).
    max_df : int or float, default :data:`MAX_DF`
        Shingles found in more articles are ignored (boilerplate); a float in (0, 1] is
        a share of the articles (at least 2).
    min_shared : int, default :data:`MIN_SHARED`
        Distinct shared shingles a pair needs.
    days : numpy.ndarray, optional
        Publication day of each article (:func:`analysis.corpus.publication_days`; NaN when
        undated).
    window_days : int, optional
        With `days`: two dated articles published more than this many days apart are not
        a pair (0: the same day only); an undated article pairs with any. None: no window.

    Returns
    -------
    numpy.ndarray
        Shape (k, 3): article index a < b and the number of shared shingles, sorted.

    Notes
    -----
    Sorts all (shingle, article) entries once and emits pairs only inside groups of at
    most `max_df` articles, so the work is O(S log S + S * max_df) for S shingles. The
    window is applied to the emitted pairs (O(pairs)); what it saves is the per-pair work
    downstream (passages, sentence alignment), which otherwise grows with the pairs of
    articles anywhere in the corpus that share a common phrase.

    Examples
    --------
    >>> h = [np.array([1, 2, 3], dtype=np.uint64), np.array([2, 3, 9], dtype=np.uint64),
    ...      np.array([7], dtype=np.uint64)]
    >>> candidate_pairs(h).tolist()
    [[0, 1, 2]]
    """
    max_df = _max_df(max_df, len(hashes))
    if min_shared < 1:
        raise ParameterError(f"min_shared must be >= 1; got {min_shared!r}")
    _check_window(window_days)
    if not hashes:
        return np.zeros((0, 3), dtype=np.int64)
    art = np.repeat(np.arange(len(hashes), dtype=np.int64), [len(h) for h in hashes])
    sh = np.concatenate(hashes).astype(np.uint64)
    order = np.lexsort((art, sh))
    sh, art = sh[order], art[order]
    once = np.r_[True, (sh[1:] != sh[:-1]) | (art[1:] != art[:-1])]  # each shingle once per article
    sh, art = sh[once], art[once]
    bounds = np.flatnonzero(np.r_[True, sh[1:] != sh[:-1], True])
    sizes = np.diff(bounds)
    firsts = bounds[:-1]
    keys = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_df)]):
        starts = firsts[sizes == size]
        members = art[starts[:, None] + np.arange(size)[None, :]]
        for i, j in combinations(range(int(size)), 2):
            keys.append(members[:, i] * len(hashes) + members[:, j])
    if not keys:
        return np.zeros((0, 3), dtype=np.int64)
    pair_keys, counts = np.unique(np.concatenate(keys), return_counts=True)
    keep = counts >= min_shared
    if window_days is not None and days is not None:
        gap = np.abs(np.asarray(days, dtype=float)[pair_keys // len(hashes)]
                     - np.asarray(days, dtype=float)[pair_keys % len(hashes)])
        keep &= ~(gap > window_days)  # NaN (an undated article) is never further than the window
    pair_keys, counts = pair_keys[keep], counts[keep]
    return np.stack([pair_keys // len(hashes), pair_keys % len(hashes), counts], axis=1).astype(np.int64)


def _runs(hashes: list[np.ndarray], pairs: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return (pair, start in a, start in b, shingles) of each diagonal run of shared shingles.

    For each pair (a, b), every shingle of a that b also holds is matched to its first
    occurrence in b; a run is a maximal sequence of matches with consecutive positions in
    both. All pairs at once: shingles are numbered densely, (article, shingle) keys sorted
    once, and each pair's lookups are one :func:`numpy.searchsorted` over the shingles of a
    that some other article holds. O(S log S + sum over pairs of a's shared shingles).
    """
    empty = np.zeros(0, dtype=np.int64)
    if not len(pairs):
        return empty, empty, empty, empty
    art = np.repeat(np.arange(len(hashes), dtype=np.int64), [len(h) for h in hashes])
    pos = np.concatenate([np.arange(len(h), dtype=np.int64) for h in hashes])
    uniq, hid, count = np.unique(np.concatenate(hashes), return_inverse=True, return_counts=True)
    hid = hid.astype(np.int64).ravel()
    repeated = count[hid] >= 2  # a shingle seen once can be shared by no pair
    art, pos, hid = art[repeated], pos[repeated], hid[repeated]
    key = art * len(uniq) + hid
    order = np.argsort(key, kind="stable")  # by (article, shingle), first occurrence first
    key_sorted = key[order]
    first = np.r_[True, key_sorted[1:] != key_sorted[:-1]]
    table, table_pos = key_sorted[first], pos[order][first]  # (article, shingle) -> first position
    df = np.bincount(table % len(uniq), minlength=len(uniq))
    shared = df[hid] >= 2  # held by another article too
    s_pos, s_hid = pos[shared], hid[shared]
    s_bounds = np.r_[0, np.cumsum(np.bincount(art[shared], minlength=len(hashes)))]
    a_idx, b_idx = pairs[:, 0], pairs[:, 1]
    out = []
    step = 2_000  # pairs at a time: bounded memory
    for lo in range(0, len(pairs), step):
        a, b = a_idx[lo:lo + step], b_idx[lo:lo + step]
        sizes = s_bounds[a + 1] - s_bounds[a]
        pair = np.repeat(np.arange(lo, lo + len(a)), sizes)
        at = np.repeat(s_bounds[a] - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(int(sizes.sum()))
        i, h = s_pos[at], s_hid[at]
        query = np.repeat(b, sizes) * len(uniq) + h
        k = np.minimum(np.searchsorted(table, query), len(table) - 1)
        hit = table[k] == query
        pair, i, j = pair[hit], i[hit], table_pos[k[hit]]
        if not len(pair):
            continue
        new = np.r_[True, (pair[1:] != pair[:-1]) | (i[1:] != i[:-1] + 1) | (j[1:] != j[:-1] + 1)]
        starts = np.flatnonzero(new)
        out.append((pair[starts], i[starts], j[starts], np.diff(np.r_[starts, len(pair)])))
    if not out:
        return empty, empty, empty, empty
    return tuple(np.concatenate(parts) for parts in zip(*out))


def _check_params(n: int, threshold: float | None = None) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or not 2 <= n <= 20:
        raise ParameterError(f"n (words per shingle) must be an int in [2, 20]; got {n!r}")
    if threshold is not None and not 0 < threshold <= 1:
        raise ParameterError(f"threshold (sentence similarity) must be in (0, 1]; got {threshold!r}")


def shared_passages(articles: pd.DataFrame, *, n: int = NGRAM, max_df: int | float = MAX_DF,
                    min_shared: int = MIN_SHARED, shingles: pd.DataFrame | None = None,
                    window_days: int | None = None) -> pd.DataFrame:
    """Find the word passages each pair of articles shares.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).
    n : int, default :data:`NGRAM`
        Words per shingle; a passage is at least `n` words long.
    max_df : int or float, default :data:`MAX_DF`
        Shingles in more articles than this do not make a pair a candidate (they still
        count inside a candidate pair's passages); a float in (0, 1] is a share of the
        articles.
    min_shared : int, default :data:`MIN_SHARED`
        Distinct shared shingles a pair needs before its passages are listed.
    shingles : pandas.DataFrame, optional
        :func:`shingle_table` of `articles` with the same `n`, made beforehand (in chunks or on
        a cluster with :func:`analysis.partition.per_article`); made here when omitted.
    window_days : int, optional
        Compare only articles published at most this many days apart (``published``; 0:
        the same day); an undated article is compared with every article. None (default)
        compares every pair; the report uses :data:`WINDOW_DAYS`.

    Returns
    -------
    pandas.DataFrame
        One row per shared passage, columns :data:`PASSAGE_COLUMNS`: the two articles
        (article_a earlier in the table), character offsets of the passage in each text
        (``text[start:end]``), its length in words and the passage as written in each.
        Sorted by pair (table order), then start_a.

    Raises
    ------
    ParameterError
        For `n` outside [2, 20], `max_df` neither an int >= 2 nor a float in (0, 1],
        `min_shared` < 1, or `window_days` neither None nor an int >= 0.

    Notes
    -----
    Words are compared after folding case, accents, quotes and dashes
    (:func:`analysis.clean.fold_for_matching`), so "Díaz-Canel" = "Diaz-Canel". A passage
    is a maximal run of consecutive shared n-grams at the same relative offset in both
    texts; a repeated phrase maps to its first occurrence in article_b. A pair that shares
    only reworded sentences and no n-gram of `n` words is not found (lower `n`). With
    `window_days`, text an outlet re-runs months later is not found either; on a year of
    articles (abp-2013, 4,142) a 30-day window keeps 22,885 of the 68,782 pairs, and pairs
    further apart share a median of 10 words (a stock phrase more often than a copy).

    Cost: O(words) to tokenise and hash, O(S log S) to sort the S shingles and find the
    candidate pairs (:func:`candidate_pairs`), and O(S log S + sum over candidate pairs of
    the first article's shingles that another article also holds) to find the runs, all
    pairs at once in numpy (:func:`_runs`); plus the passages' text.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "text": [
    ...     "Officials said the talks would resume next week in Havana, sources said.",
    ...     "The talks would resume next week in Havana, according to diplomats."]})
    >>> shared_passages(arts)[["article_a", "article_b", "n_words", "text_b"]].values.tolist()
    [['a', 'b', 8, 'The talks would resume next week in Havana']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    _check_params(n)
    ids = articles[S.ARTICLE_ID].astype(str).tolist()
    texts = articles[S.TEXT].astype(str).tolist()
    shingles = shingle_table(articles, n=n) if shingles is None else shingles
    w_bounds, starts, ends, hashes = _index(articles, shingles, n)
    if window_days is not None:
        from analysis.corpus import publication_days
    pairs = candidate_pairs(hashes, max_df=max_df, min_shared=min_shared, window_days=window_days,
                            days=None if window_days is None else publication_days(articles))
    pair, i, j, k = _runs(hashes, pairs)
    a, b = pairs[pair, 0], pairs[pair, 1]
    last = k + n - 2  # index of the run's last word, relative to its first
    sa, ea = starts[w_bounds[a] + i], ends[w_bounds[a] + i + last]
    sb, eb = starts[w_bounds[b] + j], ends[w_bounds[b] + j + last]
    columns = {ARTICLE_A: [ids[x] for x in a.tolist()], ARTICLE_B: [ids[x] for x in b.tolist()],
               START_A: sa, END_A: ea, START_B: sb, END_B: eb, N_WORDS: last + 1,
               TEXT_A: [texts[x][s:e] for x, s, e in zip(a.tolist(), sa.tolist(), ea.tolist())],
               TEXT_B: [texts[x][s:e] for x, s, e in zip(b.tolist(), sb.tolist(), eb.tolist())]}
    out = pd.DataFrame(columns, columns=list(PASSAGE_COLUMNS))
    return out.astype({c: "int64" for c in (START_A, END_A, START_B, END_B, N_WORDS)})


def word_diff(a: str, b: str) -> str:
    """Return a word-level diff of two sentences: ``[-removed-]`` and ``{+added+}``.

    Parameters
    ----------
    a, b : str
        The two sentences (a is the "before").

    Returns
    -------
    str
        `a` with the words `b` removed marked ``[-...-]`` and the words `b` added marked
        ``{+...+}``; unchanged words as written in `b`. Words are compared after folding
        case, accents and quotes.

    Examples
    --------
    >>> word_diff("Russia supplies 7,500 barrels.", "Russia provides roughly 7,500 barrels.")
    'Russia [-supplies-] {+provides roughly+} 7,500 barrels.'
    """
    wa, wb = a.split(), b.split()
    fa = [fold_for_matching(w).lower().strip(".,;:!?“”\"'") for w in wa]
    fb = [fold_for_matching(w).lower().strip(".,;:!?“”\"'") for w in wb]
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, fa, fb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(wb[j1:j2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(wa[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(wb[j1:j2]) + "+}")
    return " ".join(out)


def _align_pair(sa: list, sb: list, threshold: float, candidates: list) -> list[tuple[int, int, float]]:
    """Align two lists of (tokens, token set) one to one; return (i, j, similarity).

    `candidates` (i, j) are the sentence pairs whose word sets pass the Jaccard prefilter
    and whose difflib upper bounds (``real_quick_ratio``, ``quick_ratio``) reach
    `threshold`, found by sparse products (:func:`_prefiltered`); only their exact ratio
    is computed here.
    """
    scored = []
    for i, j in candidates:
        ratio = SequenceMatcher(None, sa[i][0], sb[j][0], autojunk=False).ratio()
        if ratio >= threshold:
            scored.append((-ratio, i, j))
    scored.sort()
    used_a, used_b, out = set(), set(), []
    for neg, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, -neg))
    return sorted(out)


_SET_BIT = 1 << 24  # a first occurrence weighs this much in the occurrence matrix (see _word_sets)


def _word_sets(by_article: dict[str, tuple[list, list]]):
    """One sentence x word-occurrence matrix (CSR) over every article's sentences, and the rows.

    Columns are word occurrences: the k-th repeat of a word in a sentence is its own
    column, so a product counts shared words with repeats, as difflib's ``quick_ratio``
    does. A first occurrence (k = 0) holds ``1 + _SET_BIT``, a repeat 1: the product of a
    row with a binary row gives shared occurrences + ``_SET_BIT`` x shared distinct words
    (sentences are far shorter than ``_SET_BIT`` words). Returns the matrix, its binary
    pattern, the word-set sizes, the token counts and the first row of each article. O(words).
    """
    from scipy import sparse

    starts, n = {}, 0
    for aid, (_, toks) in by_article.items():
        starts[aid] = n
        n += len(toks)
    token_lists = [t for _, toks in by_article.values() for t, _ in toks]
    counts = np.array([len(t) for t in token_lists], dtype=np.int64)
    row = np.repeat(np.arange(n, dtype=np.int64), counts)
    flat = pd.Series([w for t in token_lists for w in t], dtype=object)
    wid = pd.factorize(flat)[0].astype(np.int64) if len(flat) else np.zeros(0, dtype=np.int64)
    key = row * (int(wid.max(initial=-1)) + 2) + wid
    repeat = pd.Series(key).groupby(key).cumcount().to_numpy() if len(key) else key
    occ_cols, occ_col = np.unique(wid * (int(counts.max(initial=0)) + 1) + repeat, return_inverse=True)
    shape = (n, max(len(occ_cols), 1))
    weighted = sparse.csr_matrix((np.where(repeat == 0, 1 + _SET_BIT, 1).astype(np.int64), (row, occ_col.ravel())),
                                 shape=shape)
    binary = sparse.csr_matrix((np.ones(len(row), dtype=np.int64), (row, occ_col.ravel())), shape=shape)
    return weighted, binary, np.bincount(row[repeat == 0], minlength=n), counts, starts


def _prefiltered(matrices: tuple, starts: dict, lengths: dict, a: str, partners: list[str],
                 threshold: float) -> dict:
    """Sentence pairs (i, j) of article `a` and each partner worth comparing with difflib.

    A pair is kept when its word sets overlap >= _PREFILTER (Jaccard) and difflib's two
    upper bounds of the ratio reach `threshold`: ``real_quick_ratio`` (2 min(la, lb) / (la
    + lb), from the lengths) and ``quick_ratio`` (2 x shared words with repeats / (la +
    lb)); the same float operations as :mod:`difflib`, so the same pairs pass. One sparse
    product per article `a` against all its partners' sentences at once (not one per
    pair: scipy's per-call overhead dominated) gives both counts (:func:`_word_sets`),
    split back by partner.
    """
    weighted, binary, sizes, n_tokens = matrices
    ra = np.arange(starts[a], starts[a] + lengths[a])
    rb = np.concatenate([np.arange(starts[b], starts[b] + lengths[b]) for b in partners])
    owner = np.repeat(np.arange(len(partners)), [lengths[b] for b in partners])
    local = rb - np.repeat([starts[b] for b in partners], [lengths[b] for b in partners])
    product = (weighted[ra] @ binary[rb].T).tocoo()
    rows, cols = product.row.astype(np.int64), product.col.astype(np.int64)
    inter, shared = product.data // _SET_BIT, product.data % _SET_BIT
    union = sizes[ra][rows] + sizes[rb][cols] - inter
    la, lb = n_tokens[ra][rows], n_tokens[rb][cols]
    length = (la + lb).astype(np.float64)
    keep = (inter / union >= _PREFILTER) & (2.0 * np.minimum(la, lb) / length >= threshold) \
        & (2.0 * shared / length >= threshold)
    rows, cols = rows[keep], cols[keep]
    order = np.lexsort((local[cols], rows, owner[cols]))  # by partner, then (i, j)
    rows, cols, who = rows[order], local[cols[order]], owner[cols[order]]
    bounds = np.searchsorted(who, np.arange(len(partners) + 1))
    rows, cols = rows.tolist(), cols.tolist()
    return {b: list(zip(rows[bounds[k]:bounds[k + 1]], cols[bounds[k]:bounds[k + 1]]))
            for k, b in enumerate(partners)}


def align_sentences(sentences: pd.DataFrame, passages: pd.DataFrame, *, threshold: float = THRESHOLD) -> pd.DataFrame:
    """Align the sentences of every article pair that shares passages, one to one.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``article_id``, ``sentence_text``).
    passages : pandas.DataFrame
        From :func:`shared_passages`; its pairs are the ones aligned.
    threshold : float, default :data:`THRESHOLD`
        Minimum similarity: difflib's ratio of the two word sequences (2 * matched words
        / total words), in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per aligned sentence pair, columns :data:`ALIGN_COLUMNS`: ``kind`` is
        "identical" when the words are the same (after folding), else "paraphrase";
        ``diff`` marks what article_b removed ``[-...-]`` and added ``{+...+}``. Sorted
        by pair, then sentence order in article_a.

    Raises
    ------
    ParameterError
        For a threshold outside (0, 1].

    Notes
    -----
    Greedy one-to-one matching, best similarity first; sentences whose word sets overlap
    less than 0.2 (Jaccard) are not compared: the overlaps of a pair's sentences come from
    one sparse product of their word occurrences, which also gives difflib's two upper
    bounds of the ratio (``real_quick_ratio``, ``quick_ratio``), so difflib runs only on the
    sentence pairs that can reach `threshold`. Cost: O(words) to index, O(pairs x sentence
    pairs sharing a word) in the sparse products, plus difflib on the pairs that pass.
    Similarity counts shared words in order, so a sentence that moves a clause scores lower
    than one that swaps a word. A sentence
    split in two by the other outlet aligns with one half only.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"],
    ...     "sentence_text": ["Russia supplies 7,500 barrels of oil.", "Russia provides 7,500 barrels of oil."]})
    >>> p = pd.DataFrame({"article_a": ["a"], "article_b": ["b"]})
    >>> align_sentences(s, p)[["sentence_a", "sentence_b", "similarity", "kind"]].values.tolist()
    [['a/0', 'b/0', 0.857143, 'paraphrase']]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.SENTENCE_TEXT], table="sentences")
    S.check_columns(passages, [ARTICLE_A, ARTICLE_B], table="passages")
    _check_params(NGRAM, threshold)
    pairs = passages[[ARTICLE_A, ARTICLE_B]].drop_duplicates()
    needed = set(pairs[ARTICLE_A]) | set(pairs[ARTICLE_B])
    by_article: dict[str, tuple[list, list]] = {}
    sub = sentences[sentences[S.ARTICLE_ID].isin(needed)]
    for sid, aid, text in zip(sub[S.SENTENCE_ID].tolist(), sub[S.ARTICLE_ID].tolist(),
                              sub[S.SENTENCE_TEXT].astype(str).tolist()):
        toks = _WORD_RE.findall(fold_for_matching(text))  # folded words are lower case already
        entry = by_article.setdefault(aid, ([], []))
        entry[0].append((sid, text))
        entry[1].append((toks, set(toks)))
    weighted, binary, sizes, n_tokens, starts = _word_sets(by_article)
    lengths = {aid: len(entry[1]) for aid, entry in by_article.items()}
    present = [(a, b) for a, b in pairs.itertuples(index=False) if lengths.get(a) and lengths.get(b)]
    partners: dict[str, list[str]] = {}
    for a, b in present:
        partners.setdefault(a, []).append(b)
    candidates = {a: _prefiltered((weighted, binary, sizes, n_tokens), starts, lengths, a, bs, threshold)
                  for a, bs in partners.items()}
    rows = []
    for a, b in present:
        (ids_a, toks_a), (ids_b, toks_b) = by_article[a], by_article[b]
        for i, j, sim in _align_pair(toks_a, toks_b, threshold, candidates[a][b]):
            kind = "identical" if toks_a[i][0] == toks_b[j][0] else "paraphrase"
            ta, tb = ids_a[i][1], ids_b[j][1]
            rows.append((a, b, ids_a[i][0], ids_b[j][0], round(sim, 6), kind, ta, tb,
                         "" if kind == "identical" else word_diff(ta, tb)))
    return pd.DataFrame(rows, columns=list(ALIGN_COLUMNS)).astype({SIMILARITY: "float64"})


def _word_starts(texts: dict[str, str], ids) -> dict[str, np.ndarray]:
    """Return the start offsets of the words of each article in `ids` (tokenised once each)."""
    return {a: _words(texts[a])[1] for a in dict.fromkeys(ids)}


def _covered(passages: pd.DataFrame, pair: np.ndarray, art: str, start: str, end: str,
             starts: dict[str, np.ndarray]) -> np.ndarray:
    """Count, per pair, the words of its article `art` that start inside any of its passages.

    The passages of one pair on one side are merged into disjoint runs (sorted by start,
    a run continues while a passage starts before the furthest end so far); each run
    counts the word starts in it by bisection. O(passages log passages + words).
    """
    n_pairs = int(pair.max()) + 1 if len(pair) else 0
    if not n_pairs:
        return np.zeros(0, dtype=np.int64)
    ids = passages[art].astype(str).to_numpy()
    order = np.lexsort((passages[start].to_numpy(), pair))  # by pair, then start
    pair, ids = pair[order], ids[order]
    lo, hi = passages[start].to_numpy(np.int64)[order], passages[end].to_numpy(np.int64)[order]
    reach = pd.Series(hi).groupby(pair).cummax().to_numpy()  # furthest end so far within the pair
    first = np.r_[True, pair[1:] != pair[:-1]]
    new_run = first | (lo >= np.r_[0, reach[:-1]])
    run = np.cumsum(new_run) - 1
    run_lo = lo[new_run]
    run_hi = pd.Series(hi).groupby(run).max().to_numpy()
    run_pair, run_art = pair[new_run], ids[new_run]
    counts = np.fromiter((np.searchsorted(starts[a], h) - np.searchsorted(starts[a], s)
                          for a, s, h in zip(run_art.tolist(), run_lo.tolist(), run_hi.tolist())),
                         dtype=np.int64, count=len(run_lo))
    return np.bincount(run_pair, weights=counts, minlength=n_pairs).astype(np.int64)


def reuse_pairs(articles: pd.DataFrame, passages: pd.DataFrame, alignments: pd.DataFrame) -> pd.DataFrame:
    """Summarise reuse per article pair: shared share each way, passages, aligned sentences.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).
    passages : pandas.DataFrame
        From :func:`shared_passages`.
    alignments : pandas.DataFrame
        From :func:`align_sentences`.

    Returns
    -------
    pandas.DataFrame
        One row per pair with at least one shared passage, columns :data:`PAIR_COLUMNS`:
        ``shared_share_a`` = words of article_a inside passages shared with article_b /
        words of article_a (and the same for b), with the raw counts beside. Sorted by
        the larger share (largest first), then the pair.

    Notes
    -----
    Cost: O(words of the articles in a pair + passages log passages): each article is
    tokenised once (not once per pair), and the passages of each pair are merged into
    disjoint runs whose words are counted by bisection.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "text": ["one two three four five six", "x one two three"]})
    >>> p = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "start_a": [0], "end_a": [13],
    ...                   "start_b": [2], "end_b": [15]})
    >>> al = pd.DataFrame(columns=["article_a", "article_b", "kind"])
    >>> reuse_pairs(arts, p, al)[["shared_share_a", "shared_share_b", "n_passages"]].values.tolist()
    [[0.5, 0.75, 1.0]]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    S.check_columns(passages, [ARTICLE_A, ARTICLE_B, START_A, END_A, START_B, END_B], table="passages")
    S.check_columns(alignments, [ARTICLE_A, ARTICLE_B, ALIGN_KIND], table="alignments")
    text = dict(zip(articles[S.ARTICLE_ID].astype(str), articles[S.TEXT].astype(str)))
    n_aligned = alignments.groupby([ARTICLE_A, ARTICLE_B]).size().to_dict()
    n_para = alignments[alignments[ALIGN_KIND] == "paraphrase"].groupby([ARTICLE_A, ARTICLE_B]).size().to_dict()
    # pairs in order of first appearance (as groupby(sort=False) gives them)
    pair, uniq = pd.MultiIndex.from_frame(passages[[ARTICLE_A, ARTICLE_B]]).factorize()
    pair = np.asarray(pair, dtype=np.int64)
    starts = _word_starts(text, [*passages[ARTICLE_A].tolist(), *passages[ARTICLE_B].tolist()])
    wa = _covered(passages, pair, ARTICLE_A, START_A, END_A, starts).tolist()
    wb = _covered(passages, pair, ARTICLE_B, START_B, END_B, starts).tolist()
    n_pass = np.bincount(pair, minlength=len(uniq)).tolist()
    rows = []
    for k, (a, b) in enumerate(uniq.tolist()):
        na, nb = len(starts[a]), len(starts[b])
        rows.append((a, b, round(wa[k] / na, 6) if na else np.nan, round(wb[k] / nb, 6) if nb else np.nan,
                     n_pass[k], int(n_aligned.get((a, b), 0)), int(n_para.get((a, b), 0)), wa[k], wb[k], na, nb))
    out = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    top = out[[SHARED_SHARE_A, SHARED_SHARE_B]].max(axis=1)
    out = out.assign(_top=top).sort_values(["_top", ARTICLE_A, ARTICLE_B], ascending=[False, True, True],
                                           kind="stable")
    return out.drop(columns="_top").reset_index(drop=True)


def originality(articles: pd.DataFrame, sentences: pd.DataFrame, pairs: pd.DataFrame,
                alignments: pd.DataFrame) -> pd.DataFrame:
    """Score each article's originality and name its likely source.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``published``, ``wire``).
    sentences : pandas.DataFrame
        The sentence table (``article_id``, ``sentence_id``).
    pairs : pandas.DataFrame
        From :func:`reuse_pairs`.
    alignments : pandas.DataFrame
        From :func:`align_sentences`.

    Returns
    -------
    pandas.DataFrame
        One row per article: ``n_sentences``, ``n_with_counterpart`` (sentences aligned
        with a sentence of another article), ``originality`` = 1 - counterpart share,
        ``likely_source`` and ``source_evidence``. The likely source is the reuse partner
        published strictly earlier that shares the most of this article's words, else the
        wire credit, else "".

    Notes
    -----
    Originality is relative to the corpus: an article copied from a source outside it
    looks original. A partner with no date (or the same date) is never called the
    source; the evidence column says what was compared. Cost: O(articles + sentences +
    pairs) (each pair is entered under both its articles once).

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                      "published": ["2026-01-12", "2026-01-14"], "wire": [None, "AFP"]})
    >>> s = pd.DataFrame({"article_id": ["a", "a", "b"], "sentence_id": ["a/0", "a/1", "b/0"]})
    >>> pr = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "shared_share_a": [0.4], "shared_share_b": [0.9]})
    >>> al = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "sentence_a": ["a/0"], "sentence_b": ["b/0"]})
    >>> originality(arts, s, pr, al)[["article_id", "originality", "likely_source"]].values.tolist()
    [['a', 0.5, ''], ['b', 0.0, 'a']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET], table="articles")
    S.check_columns(sentences, [S.ARTICLE_ID, S.SENTENCE_ID], table="sentences")
    S.check_columns(pairs, [ARTICLE_A, ARTICLE_B, SHARED_SHARE_A, SHARED_SHARE_B], table="pairs")
    S.check_columns(alignments, [SENTENCE_A, SENTENCE_B], table="alignments")
    matched = set(alignments[SENTENCE_A]) | set(alignments[SENTENCE_B])
    n_sent = sentences.groupby(S.ARTICLE_ID).size().to_dict()
    n_match = sentences[sentences[S.SENTENCE_ID].isin(matched)].groupby(S.ARTICLE_ID).size().to_dict()
    date = dict(zip(articles[S.ARTICLE_ID], articles[S.PUBLISHED])) if S.PUBLISHED in articles else {}
    # each pair seen from both sides: (article, partner, share of the article's words)
    side_a = pairs[[ARTICLE_A, ARTICLE_B, SHARED_SHARE_A]].to_numpy().tolist()
    side_b = pairs[[ARTICLE_B, ARTICLE_A, SHARED_SHARE_B]].to_numpy().tolist()
    partners_of: dict = {}
    for aid, other, share in side_a + side_b:
        partners_of.setdefault(aid, []).append((share, other))
    rows = []
    for aid, outlet, wire in zip(articles[S.ARTICLE_ID], articles[S.OUTLET],
                                 articles[S.WIRE] if S.WIRE in articles else [None] * len(articles)):
        n, m = int(n_sent.get(aid, 0)), int(n_match.get(aid, 0))
        partners = partners_of.get(aid, [])
        mine = date.get(aid)
        earlier = sorted((-share, other) for share, other in partners
                         if isinstance(mine, str) and isinstance(date.get(other), str) and date[other] < mine)
        source, evidence = "", "no earlier article shares text with it; no wire credit"
        if earlier:
            source = earlier[0][1]
            evidence = (f"published {date[source]}, before this article ({mine}); shares "
                        f"{-earlier[0][0]:.0%} of this article's words")
        if isinstance(wire, str) and wire:
            evidence = f"credits {wire}" if not source else f"{evidence}; credits {wire}"
            source = source or wire
        rows.append((aid, outlet, n, m, round(1 - m / n, 6) if n else np.nan, source, evidence))
    return pd.DataFrame(rows, columns=[S.ARTICLE_ID, S.OUTLET, "n_sentences", "n_with_counterpart",
                                       ORIGINALITY, LIKELY_SOURCE, SOURCE_EVIDENCE])
