"""Per-pair reuse summaries and per-article originality, from passages and alignments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
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


def _runs_of(passages: pd.DataFrame, pair: np.ndarray, art: str, start: str,
             end: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (pair, article, start, end) of the disjoint runs the passages of each pair make on one side.

    The passages of one pair on side `art` are merged (sorted by start, a run continues
    while a passage starts before the furthest end so far). O(passages log passages).
    """
    ids = passages[art].astype(str).to_numpy()
    order = np.lexsort((passages[start].to_numpy(), pair))  # by pair, then start
    pair, ids = pair[order], ids[order]
    lo, hi = passages[start].to_numpy(np.int64)[order], passages[end].to_numpy(np.int64)[order]
    reach = pd.Series(hi).groupby(pair).cummax().to_numpy()  # furthest end so far within the pair
    first = np.r_[True, pair[1:] != pair[:-1]]
    new_run = first | (lo >= np.r_[0, reach[:-1]])
    run = np.cumsum(new_run) - 1
    run_hi = pd.Series(hi).groupby(run).max().to_numpy()
    return pair[new_run], ids[new_run], lo[new_run], run_hi


def _covered(runs: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]], n_pairs: int,
             word_starts) -> tuple[list[np.ndarray], dict[str, int]]:
    """Count, per pair and side, the words that start inside its runs; and each article's words.

    `runs` are :func:`_runs_of` of each side, `word_starts` yields (article, word starts)
    for every article of the runs (:func:`_word_starts`). The runs are grouped by article,
    so each article's starts are read once, for all its runs of both sides, by bisection,
    and dropped. O(runs log runs + words); memory the runs and one article's words.
    """
    arts = np.concatenate([np.zeros(0, dtype=object), *(r[1] for r in runs)])
    lo = np.concatenate([np.zeros(0, np.int64), *(r[2] for r in runs)])
    hi = np.concatenate([np.zeros(0, np.int64), *(r[3] for r in runs)])
    codes, names = pd.factorize(arts)
    order = np.argsort(codes, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(codes, minlength=len(names)))]
    where = {a: k for k, a in enumerate(names.tolist())}
    counts = np.zeros(len(arts), dtype=np.int64)
    n_words = {}
    for a, starts in word_starts:
        n_words[a] = len(starts)
        k = where.get(a)
        if k is not None:
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
    n_aligned = alignments.groupby([ARTICLE_A, ARTICLE_B]).size().to_dict()
    n_para = alignments[alignments[ALIGN_KIND] == "paraphrase"].groupby([ARTICLE_A, ARTICLE_B]).size().to_dict()
    # pairs in order of first appearance (as groupby(sort=False) gives them)
    pair, uniq = pd.MultiIndex.from_frame(passages[[ARTICLE_A, ARTICLE_B]]).factorize()
    pair = np.asarray(pair, dtype=np.int64)
    runs = [_runs_of(passages, pair, ARTICLE_A, START_A, END_A), _runs_of(passages, pair, ARTICLE_B, START_B, END_B)]
    starts = _word_starts(articles, [*passages[ARTICLE_A].tolist(), *passages[ARTICLE_B].tolist()], shingles)
    (wa, wb), n_words = _covered(runs, len(uniq), starts)
    wa, wb = wa.tolist(), wb.tolist()
    del runs, starts
    n_pass = np.bincount(pair, minlength=len(uniq)).tolist()
    rows = []
    for k, (a, b) in enumerate(uniq.tolist()):
        na, nb = n_words[a], n_words[b]
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
    # the columns are read as lists (iterating an Arrow-backed column costs a call per value)
    matched = pd.unique(np.r_[alignments[SENTENCE_A].to_numpy(dtype=object),
                              alignments[SENTENCE_B].to_numpy(dtype=object)])
    n_sent = sentences.groupby(S.ARTICLE_ID).size().to_dict()
    n_match = sentences[sentences[S.SENTENCE_ID].isin(matched)].groupby(S.ARTICLE_ID).size().to_dict()
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
    sorting all sides at once (dates and ids compared through their ranks in sorted order,
    which is how Python compares the strings); an article whose candidates include a NaN
    share (a partner with no words) is decided by that ``sorted`` itself, since NaN does
    not order. O(pairs log pairs) in numpy, no Python work per pair.
    """
    aid = np.r_[pairs[ARTICLE_A].to_numpy(dtype=object), pairs[ARTICLE_B].to_numpy(dtype=object)]
    other = np.r_[pairs[ARTICLE_B].to_numpy(dtype=object), pairs[ARTICLE_A].to_numpy(dtype=object)]
    share = np.r_[pairs[SHARED_SHARE_A].to_numpy(dtype=float), pairs[SHARED_SHARE_B].to_numpy(dtype=float)]
    if not len(aid) or not date:
        return {}
    texts = {k: v for k, v in date.items() if isinstance(v, str)}  # undated (None, NaN, a timestamp): never compared
    if not texts:
        return {}
    day_codes, _ = pd.factorize(pd.Series(list(texts.values()), dtype=object), sort=True)
    rank = dict(zip(texts, day_codes.tolist()))
    mine = pd.Series(aid, dtype=object).map(rank).to_numpy(dtype=float)  # NaN: no text date
    theirs = pd.Series(other, dtype=object).map(rank).to_numpy(dtype=float)
    earlier = np.flatnonzero(theirs < mine)  # NaN compares False: an undated side is never earlier
    if not len(earlier):
        return {}
    aid, other, share = aid[earlier], other[earlier], share[earlier]
    aid_code = pd.factorize(pd.Series(aid, dtype=object))[0]
    other_rank = pd.factorize(pd.Series(other, dtype=object), sort=True)[0]
    order = np.lexsort((other_rank, -share, aid_code))  # per article: largest share first, then smallest id
    first = order[np.r_[True, aid_code[order][1:] != aid_code[order][:-1]]]
    best = {a: (s, o) for a, s, o in zip(aid[first].tolist(), share[first].tolist(), other[first].tolist())}
    unordered = set(aid[np.isnan(share)].tolist())
    for a in unordered:  # NaN shares: Python's sorted, on the candidates in the order the pairs list them
        at = np.flatnonzero(aid == a)
        neg, o = sorted((-s, x) for s, x in zip(share[at].tolist(), other[at].tolist()))[0]
        best[a] = (-neg, o)
    return best
