"""Per-pair reuse summaries and per-article originality, from passages and alignments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.reuse.align import _distinct
from analysis.reuse.columns import (
    ALIGN_KIND,
    ARTICLE_A,
    ARTICLE_B,
    END_A,
    END_B,
    LIKELY_SOURCE,
    ORIGINALITY,
    PAIR_COLUMNS,
    SENTENCE_A,
    SENTENCE_B,
    SHARED_SHARE_A,
    SHARED_SHARE_B,
    SOURCE_EVIDENCE,
    START_A,
    START_B,
    _sorted_unique,
)
from analysis.reuse.passages import _article_codes, _chunk, _words


def _word_starts(articles: pd.DataFrame, ids, shingles: pd.DataFrame | None = None):
    """Yield (article, start offsets of its words) for each article in `ids`, once each.

    With `shingles` (:func:`~analysis.reuse.passages.shingle_table` of the articles, which
    holds every word's start) they are read from it: a table whose articles' rows are
    together (the notebook's) is read in place (views of its start column, no sorted copy).
    Without, the articles' texts are read :data:`~analysis.reuse.passages._CHUNK` rows at a
    time (the last row of an id, as a dict of the table gives it) and each article tokenised
    when its turn comes, its offsets dropped after it: the same offsets, since both come
    from one tokeniser, and memory for one chunk's texts and one article's words, not the
    corpus'. O(words).
    """
    wanted = dict.fromkeys(ids)
    if shingles is None:
        row = {a: k for k, a in enumerate(articles[S.ARTICLE_ID].astype(str).tolist())}
        at = np.array(sorted(row[a] for a in wanted), dtype=np.int64)  # KeyError: an id not in the articles
        name = {row[a]: a for a in wanted}
        done = 0
        while done < len(at):
            first = int(at[done])
            texts = _chunk(articles[S.TEXT], first)  # the rows from `first` on, a chunk of them
            hi = int(np.searchsorted(at, first + len(texts)))
            for k in at[done:hi].tolist():
                yield name[k], _words(texts[k - first])[1]
            done = hi
        return
    codes, names = _article_codes(shingles[S.ARTICLE_ID])  # from the dictionary: no text copy per word
    bounds = np.r_[0, np.cumsum(np.bincount(codes, minlength=len(names)))]
    where = {a: k for k, a in enumerate(names.tolist())}
    start = shingles[S.START].to_numpy()
    if len(codes) and (codes[1:] < codes[:-1]).any():  # rows of an article apart: gather them (else read in place)
        start = start[np.argsort(codes, kind="stable")]
    del codes
    empty = np.zeros(0, dtype=np.int64)
    for a in wanted:
        yield a, start[bounds[where[a]]:bounds[where[a] + 1]] if a in where else empty


def _runs_of(passages: pd.DataFrame, pair: np.ndarray, art: np.ndarray, start: str,
             end: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (pair, article, start, end) of the disjoint runs the passages of each pair make on one side.

    `art` is the side's article of each passage as an int code. The passages of one pair on
    that side are merged (sorted by start, a run continues while a passage starts before the
    furthest end so far). O(passages log passages).
    """
    order = np.lexsort((passages[start].to_numpy(), pair))  # by pair, then start
    pair, art = pair[order], art[order]
    lo, hi = passages[start].to_numpy(np.int64)[order], passages[end].to_numpy(np.int64)[order]
    reach = pd.Series(hi).groupby(pair).cummax().to_numpy()  # furthest end so far within the pair
    first = np.r_[True, pair[1:] != pair[:-1]]
    new_run = first | (lo >= np.r_[0, reach[:-1]])
    run = np.cumsum(new_run) - 1
    run_hi = pd.Series(hi).groupby(run).max().to_numpy()
    return pair[new_run], art[new_run], lo[new_run], run_hi


def _covered(runs: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]], n_pairs: int,
             word_starts, names: list[str]) -> tuple[list[np.ndarray], np.ndarray]:
    """Count, per pair and side, the words that start inside its runs; and each article's words.

    `runs` are :func:`_runs_of` of each side (articles as codes into `names`), `word_starts`
    yields (article, word starts) for every article of `names` (:func:`_word_starts`). The
    runs are grouped by article, so each article's starts are read once, for all its runs of
    both sides, by bisection, and dropped. Returns the counts of each side (int64 per pair)
    and the words of each article of `names` (int64). O(runs log runs + words); memory the
    runs and one article's words.
    """
    arts = np.concatenate([np.zeros(0, np.int64), *(r[1] for r in runs)])
    lo = np.concatenate([np.zeros(0, np.int64), *(r[2] for r in runs)])
    hi = np.concatenate([np.zeros(0, np.int64), *(r[3] for r in runs)])
    order = np.argsort(arts, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(arts, minlength=len(names)))]
    del arts
    where = {a: k for k, a in enumerate(names)}
    counts = np.zeros(len(lo), dtype=np.int64)
    n_words = np.zeros(len(names), dtype=np.int64)
    for a, starts in word_starts:
        k = where[a]
        n_words[k] = len(starts)
        at = order[bounds[k]:bounds[k + 1]]
        counts[at] = np.searchsorted(starts, hi[at]) - np.searchsorted(starts, lo[at])
    out, first = [], 0
    for r in runs:
        side = counts[first:first + len(r[0])]
        out.append(np.bincount(r[0], weights=side, minlength=n_pairs).astype(np.int64))
        first += len(r[0])
    return out, n_words


def reuse_pairs(articles: pd.DataFrame, passages: pd.DataFrame, alignments: pd.DataFrame, *,
                shingles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Summarise reuse per article pair: shared share each way, passages, aligned sentences.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).
    passages : pandas.DataFrame
        From :func:`shared_passages`.
    alignments : pandas.DataFrame
        From :func:`align_sentences`.
    shingles : pandas.DataFrame, optional
        :func:`shingle_table` of the same articles (the one :func:`shared_passages` used):
        the words' offsets are read from it instead of tokenising every article again.

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
    tokenised once (not once per pair; not at all with `shingles`), and the passages of each
    pair are merged into disjoint runs whose words are counted by bisection, an article's
    runs of both sides at once. Memory: the runs and one article's word offsets at a time
    (:func:`_covered`), not every article's.

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
    # every article of the passages as a code into `names` (first seen first), and the pairs in order of
    # first appearance (as groupby(sort=False) gives them): no Python string per passage
    codes, names = pd.factorize(pd.concat([passages[ARTICLE_A], passages[ARTICLE_B]], ignore_index=True).astype(str))
    codes = np.asarray(codes, dtype=np.int64)
    n = max(len(names), 1)
    code_a, code_b = codes[:len(passages)], codes[len(passages):]
    del codes
    pair, keys = pd.factorize(code_a * n + code_b)
    pair, keys = np.asarray(pair, dtype=np.int64), np.asarray(keys, dtype=np.int64)
    runs = [_runs_of(passages, pair, code_a, START_A, END_A), _runs_of(passages, pair, code_b, START_B, END_B)]
    del code_a, code_b
    names = names.tolist()
    (wa, wb), n_words = _covered(runs, len(keys), _word_starts(articles, names, shingles), names)
    del runs
    n_aligned, n_para = _aligned_per_pair(alignments, pd.Index(names, dtype=object), keys, n)
    n_pass = np.bincount(pair, minlength=len(keys))
    del pair
    a, b = keys // n, keys % n
    na, nb = n_words[a], n_words[b]
    if not len(keys):  # (the empty table as a frame of no rows makes it: every column object)
        out = pd.DataFrame([], columns=list(PAIR_COLUMNS))
    else:  # the columns a frame of one tuple per pair typed: Python's round of Python floats, int64 counts
        share_a = [round(x / y, 6) if y else np.nan for x, y in zip(wa.tolist(), na.tolist())]
        share_b = [round(x / y, 6) if y else np.nan for x, y in zip(wb.tolist(), nb.tolist())]
        values = (pd.Series([names[x] for x in a.tolist()]), pd.Series([names[x] for x in b.tolist()]),
                  np.array(share_a, dtype=np.float64), np.array(share_b, dtype=np.float64), n_pass,
                  n_aligned, n_para, wa, wb, na, nb)
        del share_a, share_b
        out = pd.DataFrame(dict(zip(PAIR_COLUMNS, values)), columns=list(PAIR_COLUMNS))
        del values
    top = out[[SHARED_SHARE_A, SHARED_SHARE_B]].max(axis=1)
    out = out.assign(_top=top).sort_values(["_top", ARTICLE_A, ARTICLE_B], ascending=[False, True, True],
                                           kind="stable")
    return out.drop(columns="_top").reset_index(drop=True)


def _aligned_per_pair(alignments: pd.DataFrame, names: pd.Index, keys: np.ndarray,
                      n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the aligned and the paraphrased sentence pairs of each pair (`keys`: a * n + b of codes into `names`).

    What ``alignments.groupby([article_a, article_b]).size()`` gives for each pair (0 for a pair
    without alignments; alignments of other pairs ignored), by codes: the alignments'
    articles looked up in `names`, their pairs in `keys`. O(alignments + pairs); int64 arrays.
    """
    if not len(alignments) or not len(keys):
        return np.zeros(len(keys), dtype=np.int64), np.zeros(len(keys), dtype=np.int64)
    a, b = names.get_indexer(alignments[ARTICLE_A]), names.get_indexer(alignments[ARTICLE_B])
    at = np.full(len(a), -1, dtype=np.int64)
    known = (a >= 0) & (b >= 0)
    at[known] = pd.Index(keys).get_indexer(a[known] * n + b[known])
    del a, b, known
    para = (alignments[ALIGN_KIND] == "paraphrase").to_numpy(dtype=bool)
    return (np.bincount(at[at >= 0], minlength=len(keys)).astype(np.int64),
            np.bincount(at[(at >= 0) & para], minlength=len(keys)).astype(np.int64))


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
    pairs log pairs): the earlier partners are chosen for all articles at once in numpy
    (:func:`_earlier_sources`), so no Python work is done per pair, whose number grows faster
    than the articles'.

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
    # the sentences with a counterpart, by membership in the two id columns (no Python string per id), and
    # only the article column of those rows (not a copy of the sentence table); the columns are read as
    # lists below (iterating an Arrow-backed column costs a call per value)
    matched = sentences[S.SENTENCE_ID].isin(_distinct(alignments[SENTENCE_A], alignments[SENTENCE_B]))
    matched = matched.to_numpy(dtype=bool)
    n_sent = sentences[S.ARTICLE_ID].value_counts().to_dict()
    n_match = sentences[S.ARTICLE_ID][matched].value_counts().to_dict()
    del matched
    ids = articles[S.ARTICLE_ID].tolist()
    date = dict(zip(ids, articles[S.PUBLISHED].tolist())) if S.PUBLISHED in articles else {}
    source_of = _earlier_sources(pairs, date)
    rows = []
    for aid, outlet, wire in zip(ids, articles[S.OUTLET].tolist(),
                                 articles[S.WIRE].tolist() if S.WIRE in articles else [None] * len(articles)):
        n, m = int(n_sent.get(aid, 0)), int(n_match.get(aid, 0))
        source, evidence = "", "no earlier article shares text with it; no wire credit"
        best = source_of.get(aid)
        if best is not None:
            source = best[1]
            evidence = (f"published {date[source]}, before this article ({date[aid]}); shares "
                        f"{best[0]:.0%} of this article's words")
        if isinstance(wire, str) and wire:
            evidence = f"credits {wire}" if not source else f"{evidence}; credits {wire}"
            source = source or wire
        rows.append((aid, outlet, n, m, round(1 - m / n, 6) if n else np.nan, source, evidence))
    return pd.DataFrame(rows, columns=[S.ARTICLE_ID, S.OUTLET, "n_sentences", "n_with_counterpart",
                                       ORIGINALITY, LIKELY_SOURCE, SOURCE_EVIDENCE])


def _earlier_sources(pairs: pd.DataFrame, date: dict) -> dict:
    """Return, per article, (share, partner) of the partner published strictly earlier that shares most of its words.

    Each pair is seen from both sides (article, partner, share of the article's words). A
    partner counts when both dates are text and the partner's is smaller; the best is the
    largest share, a tie going to the smallest partner id: the first of
    ``sorted((-share, partner))``, as :func:`originality` took it per article. Done by
    sorting all sides at once, the articles as codes (one factorization of the two id
    columns: no Python string per pair) and dates and ids compared through their ranks in
    sorted order, which is how Python compares the strings; an article whose candidates
    include a NaN share (a partner with no words) is decided by that ``sorted`` itself, since
    NaN does not order. O(pairs log pairs) in numpy, no Python work per pair.
    """
    n = len(pairs)
    if not n or not date:
        return {}
    texts = {k: v for k, v in date.items() if isinstance(v, str)}  # undated (None, NaN, a timestamp): never compared
    if not texts:
        return {}
    codes, names = pd.factorize(pd.concat([pairs[ARTICLE_A], pairs[ARTICLE_B]], ignore_index=True))
    codes = np.asarray(codes, dtype=np.int64)
    names = np.array(names.tolist(), dtype=object)  # Python strings: sorted (and compared) as Python does
    aid, other = codes, np.r_[codes[n:], codes[:n]]
    del codes
    share = np.r_[pairs[SHARED_SHARE_A].to_numpy(dtype=float), pairs[SHARED_SHARE_B].to_numpy(dtype=float)]
    day_codes, _ = pd.factorize(pd.Series(list(texts.values()), dtype=object), sort=True)
    rank = dict(zip(texts, day_codes.tolist()))
    day = pd.Series(names, dtype=object).map(rank).to_numpy(dtype=float)  # NaN: no text date
    earlier = np.flatnonzero(day[other] < day[aid])  # NaN compares False: an undated side is never earlier
    if not len(earlier):
        return {}
    aid, other, share = aid[earlier], other[earlier], share[earlier]
    del earlier
    id_rank = np.empty(len(names), dtype=np.int64)
    id_rank[np.argsort(names, kind="stable")] = np.arange(len(names))  # each id's place in sorted order
    order = np.lexsort((id_rank[other], -share, aid))  # per article: largest share first, then smallest id
    first = order[np.r_[True, aid[order][1:] != aid[order][:-1]]]
    best = {names[a]: (s, names[o]) for a, s, o in zip(aid[first].tolist(), share[first].tolist(),
                                                         other[first].tolist())}
    for a in _sorted_unique(aid[np.isnan(share)]).tolist():  # NaN shares: Python's sorted, on the candidates in
        at = np.flatnonzero(aid == a)                              # the order the pairs list them
        neg, o = sorted((-s, names[x]) for s, x in zip(share[at].tolist(), other[at].tolist()))[0]
        best[names[a]] = (-neg, o)
    return best
