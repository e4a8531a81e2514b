"""Link one quotation across the articles that quote it, and find who paraphrased it."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.errors import ParameterError
from analysis.quotes.columns import QUOTE, QUOTE_ID, SPEAKER, UNATTRIBUTED
from analysis.quotes.extract import _WORD_RE

# ------------------------------------------------------------------------ cross-outlet links
LINK_ID = "quote_group"  # id of a quotation reported in several articles ("g0", "g1", ...)
STATUS = "status"  # "quoted" (quotation marks) or "paraphrased" (same words, no marks)
SIMILARITY = "similarity"  # word overlap with the group's reference quotation (0-1)
LINK_COLUMNS = (LINK_ID, S.ARTICLE_ID, S.OUTLET, STATUS, SPEAKER, "text", SIMILARITY, QUOTE_ID)
MIN_LINK_WORDS = 3  # quotations must share at least this many words (in order) to be linked
MAX_LENGTH_RATIO = 4  # a fragment links to a quotation at most this many times longer


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(fold_for_matching(text))]


def _overlap(a: list[str], b: list[str]) -> float:
    """Return matched words (difflib blocks, order kept) / length of the shorter list."""
    from difflib import SequenceMatcher

    if min(len(a), len(b)) < MIN_LINK_WORDS:
        return 0.0
    matched = sum(b.size for b in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return matched / min(len(a), len(b)) if matched >= MIN_LINK_WORDS else 0.0


def _prefix_words(words: list[str], need: int, rank: dict[str, int]) -> set[str]:
    """Return the distinct words among the ``len(words) - need + 1`` rarest occurrences.

    Prefix filtering (Chaudhuri et al., 2006; Bayardo et al., 2007): a text that shares at
    least `need` of the occurrences in `words` shares at least one of these, since at most
    ``len(words) - need`` of them can be missed. Rarest first (by `rank`, then the word), so
    the inverted lists looked up are short.
    """
    if need > len(words):
        return set()
    return set(sorted(words, key=lambda w: (rank.get(w, 0), w))[:len(words) - need + 1])


def _postings(token_lists) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Return an inverted index word -> ids of the lists holding it, and each word's list count."""
    index: dict[str, list[int]] = {}
    for k, toks in enumerate(token_lists):
        for w in dict.fromkeys(toks):
            index.setdefault(w, []).append(k)
    return index, {w: len(ids) for w, ids in index.items()}


def _shared(a: Counter, b: Counter) -> int:
    """Return the words two bags share, counted with repeats: an upper bound of difflib's matches."""
    if len(a) > len(b):
        a, b = b, a
    return sum(min(n, b[w]) for w, n in a.items() if w in b)


def _quote_groups(quotes: pd.DataFrame, threshold: float) -> list[list[int]]:
    """Group quotations of different articles around a reference quotation (no chaining).

    Longest quotations first; each joins the first group whose reference (its longest
    member) it overlaps by at least `threshold`, with the same speaker (or either
    unattributed), else it starts a group. Only groups spanning two articles are kept.

    Notes
    -----
    A quotation of n words joins a reference only if they share ``need = max(3,
    floor(threshold x n))`` words (difflib matches no more words than the two share), and
    the reference is at most four times longer. Prefix filtering (Chaudhuri et al., ICDE
    2006; Xiao et al., "PPJoin", WWW 2008) makes the comparison indexed: word occurrences
    are ordered rarest first, each reference is indexed by the words of its first ``len -
    need_min + 1`` occurrences (``need_min``: the least any quotation it may take asks
    for), each quotation looks up those of its first ``n - need + 1``; a pair sharing
    ``need`` occurrences shares a word of both prefixes. References are indexed by speaker
    too, so a quotation meets only references it may join. Candidates are checked (shared
    words, then difflib) in the order the groups were made: the same groups as comparing
    each quotation with every group. Cost: O(words x log) to sort and index, plus the
    pairs sharing a rare word in both prefixes, instead of O(quotations x groups); short
    quotations of common words ("we are going to") still meet many references, so the
    pair count grows faster than the corpus when many quotations are unattributed.
    """
    toks = [_tokens(q) for q in quotes[QUOTE]]
    arts, speakers = quotes[S.ARTICLE_ID].tolist(), quotes[SPEAKER].tolist()
    _, rank = _postings(toks)
    bags = [Counter(t) for t in toks]
    sets = [b.keys() for b in bags]
    plain = [len(b) == len(t) for b, t in zip(bags, toks)]  # no repeated word: shared words = set intersection
    order = sorted(range(len(toks)), key=lambda i: (-len(toks[i]), i))
    groups: list[list[int]] = []
    by_speaker: dict[str, dict[str, list[int]]] = {}  # reference speaker -> word -> groups (creation order)
    anyone: dict[str, list[int]] = {}  # word -> groups of every speaker
    for i in order:
        n = len(toks[i])
        if n < MIN_LINK_WORDS:  # overlap 0 with anything: never joins, never joined
            groups.append([i])
            continue
        need = max(MIN_LINK_WORDS, math.floor(threshold * n))  # shared words any match needs
        probe = _prefix_words(toks[i], need, rank)
        indexes = (anyone,) if speakers[i] == UNATTRIBUTED else (by_speaker.get(speakers[i], {}),
                                                                  by_speaker.get(UNATTRIBUTED, {}))
        found = {g for index in indexes for w in probe for g in index.get(w, ())}
        for gid in sorted(found):
            g = groups[gid]
            ref = g[0]
            close = len(toks[ref]) <= MAX_LENGTH_RATIO * n  # "make a deal" is not a 30-word speech
            if close and arts[i] != arts[ref] and (
                    len(sets[i] & sets[ref]) if plain[i] or plain[ref] else _shared(bags[i], bags[ref])) >= need \
                    and _overlap(toks[i], toks[ref]) >= threshold:
                g.append(i)
                break
        else:
            groups.append([i])
            shortest = math.ceil(n / MAX_LENGTH_RATIO)  # the shortest quotation that may join it
            need_min = max(MIN_LINK_WORDS, math.floor(threshold * shortest))
            own = by_speaker.setdefault(speakers[i], {})
            for w in _prefix_words(toks[i], need_min, rank):
                anyone.setdefault(w, []).append(len(groups) - 1)
                own.setdefault(w, []).append(len(groups) - 1)
    return [sorted(g) for g in groups if len({arts[i] for i in g}) > 1]


def link_quotes(quotes: pd.DataFrame, sentences: pd.DataFrame, *, threshold: float = 0.6) -> pd.DataFrame:
    """Link one quotation across the outlets that quote it, and find who paraphrased it.

    Parameters
    ----------
    quotes : pandas.DataFrame
        From :func:`extract_quotes`.
    sentences : pandas.DataFrame
        The sentence table (``article_id``, ``outlet``, ``sentence_text``, ``quoted``).
    threshold : float, default 0.6
        Minimum word overlap (matched words in order / words of the shorter text), in (0, 1].

    Returns
    -------
    pandas.DataFrame
        One row per (quotation group, article), columns :data:`LINK_COLUMNS`, for groups
        quoted by at least two articles: "quoted" rows carry the quotation, "paraphrased"
        rows a sentence with no quotation marks in another article that repeats at least
        `threshold` of the group's longest quotation's content words. Sorted by group
        size (largest first), group, status, article.

    Notes
    -----
    Groups form around the longest quotation, with the same speaker, so fragments do not
    chain unrelated quotations together; a fragment of fewer than three words ("too
    late") is never linked, nor a fragment to a quotation more than four times its
    length. Paraphrase detection counts the quotation's lower-case content words only
    (names are in every sentence about the story). Paraphrase here means the same
    content words without quotation marks; a reworded paraphrase is found by
    :mod:`analysis.reuse` instead.

    Cost: grouping is O(quotations x log(quotations)) plus one difflib comparison per
    (quotation, group reference) pair sharing one of the quotation's rarest words (see
    :func:`_quote_groups`); paraphrases are looked up in an inverted index of the plain
    sentences' content words, so each group checks only the sentences holding one of its
    rarest content words: O(sentence words + groups x candidate sentences), not
    O(groups x sentences). Same result as the exhaustive comparison (prefix filtering
    only skips pairs that cannot reach `threshold`).

    Raises
    ------
    SchemaError
        If a table lacks a required column.
    ParameterError
        If `threshold` is not a number in (0, 1].

    Examples
    --------
    >>> q = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "speaker": ["T", "T"],
    ...                   "quote": ["We are talking to the people of the island", "talking to the people"],
    ...                   "quote_id": ["a/q0", "b/q0"]})
    >>> s = pd.DataFrame({"article_id": ["c"], "outlet": ["Z"], "quoted": ["none"],
    ...                   "sentence_text": ["He said they were talking to people on the island."]})
    >>> link_quotes(q, s)[["article_id", "status", "similarity"]].values.tolist()
    [['a', 'quoted', 1.0], ['b', 'quoted', 1.0], ['c', 'paraphrased', 1.0]]
    """
    from analysis.resources import stopwords

    S.check_columns(quotes, [S.ARTICLE_ID, S.OUTLET, SPEAKER, QUOTE, QUOTE_ID], table="quotes")
    S.check_columns(sentences, [S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT, S.QUOTED], table="sentences")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise ParameterError(f"link_quotes: threshold {threshold!r}; use a number in (0, 1]")
    stop = stopwords("english")
    plain = sentences[sentences[S.QUOTED] == "none"]  # carrying the words without any quotation marks
    plain_rows = list(plain[[S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT]].itertuples(index=False))
    sent_words = [{w for w in _tokens(t) if w not in stop} for _, _, t in plain_rows]
    index, rank = _postings(sent_words)  # content word -> plain sentences holding it
    quotes = quotes.reset_index(drop=True)
    rows = []
    for members in _quote_groups(quotes, threshold):
        sub = quotes.iloc[members]
        ref = max(sub[QUOTE], key=lambda t: (len(_tokens(t)), t))
        ref_toks = _tokens(ref)
        gid = min(sub[QUOTE_ID])
        for r in sub.itertuples(index=False):
            rows.append((gid, getattr(r, S.ARTICLE_ID), getattr(r, S.OUTLET), "quoted", getattr(r, SPEAKER),
                         getattr(r, QUOTE), round(_overlap(_tokens(getattr(r, QUOTE)), ref_toks), 6),
                         getattr(r, QUOTE_ID)))
        content = [fold_for_matching(w).lower() for w in _WORD_RE.findall(ref)  # names do not count:
                   if w[:1].islower() and fold_for_matching(w).lower() not in stop]  # "Donald Trump" is everywhere
        if len(content) < MIN_LINK_WORDS:
            continue
        quoting = set(sub[S.ARTICLE_ID])
        need = max(1, math.floor(threshold * len(content)))  # content words a paraphrase must hold
        for k in sorted({k for w in _prefix_words(content, need, rank) for k in index.get(w, ())}):
            aid, outlet, text = plain_rows[k]
            if aid in quoting:
                continue
            share = sum(w in sent_words[k] for w in content) / len(content)
            if share >= threshold:
                rows.append((gid, aid, outlet, "paraphrased", "", text, round(share, 6), ""))
    out = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    size = out.groupby(LINK_ID)[S.ARTICLE_ID].transform("nunique")
    out = out.assign(_size=size).sort_values(["_size", LINK_ID, STATUS, S.ARTICLE_ID],
                                             ascending=[False, True, False, True], kind="stable")
    return out.drop(columns="_size").reset_index(drop=True)
