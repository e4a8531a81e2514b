"""A learned filter over the label pairs the summary rules state: features, a shipped logistic regression.

The rules of :func:`analysis.labels.label_discovery_summary` scored about 0.95 on the rows they
were written on and about 0.6 on every fresh sample (README, labels). This filter is measured for
generalisation instead: a logistic regression over features of a candidate pair, its example
sentences and the corpus (:data:`FEATURES`), trained by ``python -m analysis.train_labels`` on every
hand-labelled label row (``tests/data/labels_*.tsv``, five files), evaluated by nested leave-one-file-out
(the threshold chosen inside the training files), its coefficients shipped as JSON
(``resource_files/label_model.json``) and applied here with numpy. The summary states a pair only
when its score reaches that threshold (:func:`score_pairs`).

Features (one row per candidate pair, from ``label_a``/``label_b``, ``text_a``/``text_b``,
``outlets``, ``pairs``): how many words both sentences share right before and after the run (all,
and content words, up to 5 each side), whether both sides hold a content word, how alike the two
sentences are (difflib ratio of their terms, number of differing blocks, length ratio), where the
run starts in the sentence, whether the runs are names, inside a quotation, their lengths, how
alike the two labels are letter by letter, the word class of the run (:func:`word_kind`), the
log of the outlets and sentence pairs supporting the pair, and ``context``: how alike the words
around the two labels are elsewhere in the corpus (:func:`context_similarity`, distributional
similarity; the largest coefficient). No part-of-speech tagger ships (NLTK's needs a download), so
the kind of phrase stays the suffix test.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import ParameterError, ResourceError
from analysis.labels.screens import word_kind
from analysis.reuse.matcher import SequenceMatcher  # difflib's, compiled when cydifflib is installed

MODEL_FILE = Path(__file__).resolve().parent.parent / "resource_files" / "label_model.json"
KINDS = ("noun", "verb-ed", "verb-ing", "adjective", "adverb", "name")
FEATURES = ("ratio", "ops", "left", "right", "left_content", "right_content", "both_sides_content", "pos",
            "names", "quote", "len", "len_diff", "char_ratio", "log_outlets", "log_pairs",
            *(f"kind_{k}" for k in KINDS), "len_text_ratio", "context")
SHARED_WIDTH = 5  # shared words counted on each side of the run
_QUOTE = re.compile(r"[\"“”]")


def _find(terms: list[str], run: list[str]) -> tuple[int, int] | None:
    """Return the first token span of `run` in `terms`, or None."""
    n = len(run)
    for i in range(len(terms) - n + 1):
        if terms[i:i + n] == run:
            return i, i + n
    return None


def _features(label_a: str, label_b: str, text_a: str, text_b: str, outlets: int, pairs: int) -> list[float]:
    from analysis.labels.discovery import _tokens
    from analysis.resources import stopwords

    stop = stopwords("english")
    la, lb = str(label_a).split(), str(label_b).split()
    ka, kb = _tokens(str(text_a)), _tokens(str(text_b))
    sa, sb = [t[0] for t in ka], [t[0] for t in kb]
    a, b = _find(sa, la), _find(sb, lb)
    if a is None or b is None:  # the example may hold the labels the other way round
        a2, b2 = _find(sa, lb), _find(sb, la)
        if a2 is not None and b2 is not None:
            a, b = a2, b2
    m = SequenceMatcher(None, sa, sb, autojunk=False)
    left = right = left_c = right_c = quote = names = 0
    pos, kind = 0.5, ""
    if a is not None and b is not None:
        (a0, a1), (b0, b1) = a, b
        k = 1
        while k <= SHARED_WIDTH and a0 - k >= 0 and b0 - k >= 0 and sa[a0 - k] == sb[b0 - k]:
            left, left_c = left + 1, left_c + (sa[a0 - k] not in stop)
            k += 1
        k = 0
        while k < SHARED_WIDTH and a1 + k < len(sa) and b1 + k < len(sb) and sa[a1 + k] == sb[b1 + k]:
            right, right_c = right + 1, right_c + (sa[a1 + k] not in stop)
            k += 1
        pos = a[0] / max(len(sa), 1)
        wa = [text_a[s:e] for _, s, e in ka[a[0]:a[1]]]
        wb = [text_b[s:e] for _, s, e in kb[b[0]:b[1]]]
        kind = word_kind(wa)
        names = (kind == "name") + (word_kind(wb) == "name")
        quote = (len(_QUOTE.findall(text_a[:ka[a[0]][1]])) % 2) + (len(_QUOTE.findall(text_b[:kb[b[0]][1]])) % 2)
    return [m.ratio(), sum(op[0] != "equal" for op in m.get_opcodes()), left, right, left_c, right_c,
            float(left_c > 0 and right_c > 0), pos, names, quote, len(la) + len(lb), abs(len(la) - len(lb)),
            SequenceMatcher(None, str(label_a), str(label_b)).ratio(),
            math.log(max(int(outlets), 1)), math.log(max(int(pairs), 1)),
            *(float(kind == k) for k in KINDS), min(len(sa), len(sb)) / max(len(sa), len(sb), 1)]


def pair_features(candidates: pd.DataFrame, *, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the learned filter's features of each candidate label pair.

    Parameters
    ----------
    candidates : pandas.DataFrame
        Rows of :func:`analysis.labels.candidate_labels` (or a labelled file): ``label_a``,
        ``label_b``, ``outlets``, ``pairs``, ``text_a``, ``text_b`` (the example's two
        sentences, ``text_a`` holding ``label_a``), and ``context`` unless `sentences` is given.
    sentences : pandas.DataFrame, optional
        The sentence table the candidates were found in: ``context`` is then computed from it
        (:func:`context_similarity`) instead of read from `candidates`.

    Returns
    -------
    pandas.DataFrame
        One row per candidate (same index), one float column per name of :data:`FEATURES`.
        The input is not changed.

    Notes
    -----
    Shared words are counted from the edges of the run as the rules trimmed it (stopwords
    off): in "make a deal" / "make an agreement" the next words left ("a" / "an") already
    differ, so ``left`` is 0. Counting outside the whole differing block instead was tried
    and scored worse by leave-one-file-out (pooled 81/114 = 0.71 against 131/167 = 0.78).
    Shared words are compared as the project's terms (:func:`analysis.tokens.normalise_term`),
    so "U.S." equals "us". When a label is not found in its example sentence (a sentence cut
    short), the context features are 0 and ``pos`` is 0.5. Cost: O(words of the two sentences)
    per candidate (difflib on two sentences).

    Examples
    --------
    >>> c = pd.DataFrame({"label_a": ["deal"], "label_b": ["agreement"], "outlets": [3], "pairs": [2],
    ...     "text_a": ["Trump urged Havana to make a deal before it is too late."],
    ...     "text_b": ["Trump urged Havana to make an agreement before it is too late."]})
    >>> f = pair_features(c.assign(context=0.5))
    >>> f.loc[0, ["left", "right", "left_content", "right_content", "names", "context"]].tolist()
    [0.0, 5.0, 0.0, 1.0, 0.0, 0.5]
    """
    S.check_columns(candidates, ["label_a", "label_b", "outlets", "pairs", "text_a", "text_b"], table="candidates")
    if sentences is not None:
        context = context_similarity(candidates, sentences)
    elif "context" in candidates.columns:
        context = candidates["context"].astype(float)
    else:
        raise ParameterError("candidates: no 'context' column and no sentences; give the sentence table the "
                             "candidates were found in (sentences=...)")
    rows = [[*_features(*r), c] for r, c in zip(candidates[["label_a", "label_b", "text_a", "text_b", "outlets",
                                                            "pairs"]].itertuples(index=False, name=None),
                                                context, strict=True)]
    return pd.DataFrame(np.array(rows, dtype=float).reshape(len(rows), len(FEATURES)), columns=list(FEATURES),
                        index=candidates.index)


CONTEXT_WIDTH = 3  # terms on each side of a label occurrence counted as its context


def _sentence_terms(texts) -> list[list[str]]:
    """Return the project's terms (:func:`analysis.tokens.normalise_term`) of each text, in order."""
    from analysis.labels.discovery import _term
    from analysis.tokens import TOKEN_RE

    return [list(map(_term, TOKEN_RE.findall(str(t)))) for t in texts]  # one group: findall gives the token


CONTEXT_BATCH = 20_000  # sentences encoded at a time by _context_similarity


def _context_similarity(texts, pairs, *, width: int = CONTEXT_WIDTH, exclude=None,
                        batch: int = CONTEXT_BATCH) -> list[float]:
    """PPMI-weighted cosine of the two labels' context vectors over `texts` (one text per sentence).

    `exclude`: per pair, terms left out of both vectors (the words both example sentences share).
    The texts are encoded `batch` at a time by one :class:`analysis.tokens.Encoder` (the project's
    terms, each distinct whitespace chunk tokenised once, term ids shared by every batch), which
    gives every term's count; only the sentences holding a label's first term are read term by
    term for its context. The same numbers as reading every sentence's terms
    (:func:`_sentence_terms`) and counting them one by one, which took 8 s of the summary's 15 s on
    the 4,142 abp-2013 articles (tests compare the two), and as encoding all texts in one batch
    (tests compare): counts and contexts are sums over sentences.

    Notes
    -----
    Cost: O(tokens) in numpy and C, plus O(terms of the sentences holding a label) in Python.
    Memory O(tokens of one batch) plus the encoder's dictionaries (O(distinct whitespace chunks)):
    one batch of the whole corpus (its per-token arrays and the text list) took 790 MB at 10,000
    generated articles.
    """
    from collections import Counter

    from analysis.resources import stopwords
    from analysis.tokens import Encoder

    stop = stopwords("english")
    pairs = [(tuple(str(a).split()), tuple(str(b).split())) for a, b in pairs]
    by_first: dict[str, set] = {}
    for t in {t for p in pairs for t in p if t}:
        by_first.setdefault(t[0], set()).add(t)
    ctx: dict[tuple, Counter] = {t: Counter() for ts in by_first.values() for t in ts}
    enc = Encoder(stopwords=None)  # = encode(texts, stopwords=None), batch by batch
    vocab: list[str] = []  # term of each id seen so far
    first: list[int] = []  # ids of the labels' first terms seen so far
    total = 0
    it = iter(texts)
    while block := list(map(str, itertools.islice(it, batch))):
        ids, lengths = enc.add(block)
        del block
        total += int(lengths.sum())
        if enc.n_terms > len(vocab):
            new = enc.terms[len(vocab):].tolist()
            first.extend(len(vocab) + k for k, w in enumerate(new) if w in by_first)
            vocab.extend(new)
        if not first:
            continue
        ends = np.cumsum(lengths)
        hits = np.flatnonzero(np.isin(ids, np.asarray(first, dtype=ids.dtype)))
        terms_of = np.asarray(vocab, dtype=object)
        for d in np.unique(np.searchsorted(ends, hits, side="right")).tolist():
            terms = terms_of[ids[ends[d] - lengths[d]:ends[d]]].tolist()
            for i, w in enumerate(terms):
                for t in by_first.get(w, ()):
                    n = len(t)
                    if tuple(terms[i:i + n]) == t:
                        ctx[t].update(c for c in terms[max(0, i - width):i] + terms[i + n:i + n + width]
                                      if c not in stop and not c.isdigit())
        del ids, lengths, terms_of
    counts = enc.finish().counts
    term_id = dict(zip(vocab, range(len(vocab))))

    def ppmi(t):
        c = ctx.get(t)
        if not c:
            return {}
        n = sum(c.values())
        return {w: v for w, k in sorted(c.items())
                if (v := math.log(k * total / (n * int(counts[term_id[w]])))) > 0}

    vec = {t: ppmi(t) for t in ctx}
    out = []
    for (a, b), drop in zip(pairs, exclude if exclude is not None else [frozenset()] * len(pairs), strict=True):
        va = {w: v for w, v in vec.get(a, {}).items() if w not in drop}
        vb = {w: v for w, v in vec.get(b, {}).items() if w not in drop}
        na, nb = math.sqrt(sum(v * v for v in va.values())), math.sqrt(sum(v * v for v in vb.values()))
        dot = sum(v * vb[w] for w, v in sorted(va.items()) if w in vb)
        out.append(dot / (na * nb) if na and nb else 0.0)
    return out


def shared_terms(candidates: pd.DataFrame) -> list[frozenset]:
    """Return, per candidate, the terms both example sentences (``text_a``, ``text_b``) hold (empty without them)."""
    if not {"text_a", "text_b"} <= set(candidates.columns):
        return [frozenset()] * len(candidates)
    ta = _sentence_terms(candidates["text_a"].fillna(""))
    tb = _sentence_terms(candidates["text_b"].fillna(""))
    return [frozenset(a) & frozenset(b) for a, b in zip(ta, tb, strict=True)]


def context_similarity(candidates: pd.DataFrame, sentences: pd.DataFrame, *, width: int = CONTEXT_WIDTH) -> pd.Series:
    """Return how alike the words around each candidate's two labels are in `sentences` (distributional similarity).

    Parameters
    ----------
    candidates : pandas.DataFrame
        ``label_a`` and ``label_b`` (folded terms, as :func:`analysis.labels.candidate_labels` gives them).
    sentences : pandas.DataFrame
        The sentence table the candidates were found in (``sentence_text``): the corpus or slice the
        summary runs on.
    width : int, default 3
        Terms on each side of an occurrence of a label counted as its context.

    Returns
    -------
    pandas.Series
        One float in [0, 1] per candidate (same index), named ``context``: the cosine of the two
        labels' context vectors, each context term weighted by its positive pointwise mutual
        information with the label (``max(0, log(P(term | label) / P(term)))``, P(term) over every
        term of `sentences`). 0 when a label has no context term.

    Notes
    -----
    Context terms are the project's terms (:func:`analysis.tokens.normalise_term`) within `width`
    of the label inside one sentence, stopwords and bare numbers left out; a label of several words
    is matched as a phrase. Two words for one thing ("bill" / "measure") are used among the same
    words; so are opposites and two things of one kind ("right" / "wrong", "house" / "senate"), which
    this cannot tell apart. The aligned sentences themselves count, so rare labels share at least the
    words of their own slot. The values depend on the sentences given: the same pair scores lower, on
    average, in a small slice (fewer occurrences) than in a whole year. Cost: O(terms of
    `sentences`) (one pass) plus O(context terms) per candidate; memory O(one batch of
    :data:`CONTEXT_BATCH` sentences) beyond the encoder's dictionaries (the column is read as a
    list batch by batch).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_text": ["The bill passed the Senate.", "The measure passed the Senate.",
    ...                                     "The house voted on Monday."]})
    >>> c = pd.DataFrame({"label_a": ["bill", "bill"], "label_b": ["measure", "house"]})
    >>> context_similarity(c, s).round(3).tolist()
    [1.0, 0.0]
    """
    S.check_columns(candidates, ["label_a", "label_b"], table="candidates")
    S.check_columns(sentences, [S.SENTENCE_TEXT], table="sentences")
    if not isinstance(width, int) or width < 1:
        raise ParameterError(f"width: {width!r}; use an integer >= 1")
    col = sentences[S.SENTENCE_TEXT]
    texts = itertools.chain.from_iterable(col.iloc[lo:lo + CONTEXT_BATCH].tolist()  # a list per batch, not one
                                          for lo in range(0, len(col), CONTEXT_BATCH))  # of the whole column
    got = _context_similarity(texts,
                              zip(candidates["label_a"], candidates["label_b"], strict=True), width=width,
                              exclude=shared_terms(candidates))
    return pd.Series(got, index=candidates.index, name="context", dtype=float)


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict:
    from analysis.resources import read_model_json

    data = read_model_json(path, what="label model", rebuild="python -m analysis.train_labels")
    if tuple(data.get("features", ())) != FEATURES:
        raise ResourceError(f"label model {path}: features {data.get('features')!r} differ from this version's "
                            f"{list(FEATURES)!r}; rebuild it with python -m analysis.train_labels")
    return data


def load_label_model(path=None) -> dict:
    """Return the shipped (or given) label-pair model: features, scaling, coefficients, threshold, CV figures.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A JSON file written by ``python -m analysis.train_labels``; default the shipped one.

    Returns
    -------
    dict
        ``features``, ``mean``, ``scale``, ``coef``, ``intercept``, ``threshold`` and the
        cross-validation figures the threshold was chosen with (``cv``).

    Raises
    ------
    ResourceError
        When the file cannot be read or was written for other features.

    Examples
    --------
    >>> 0 < load_label_model()["threshold"] < 1
    True
    """
    return _load(str(MODEL_FILE if path is None else path))


def score_pairs(candidates: pd.DataFrame, *, model=None, sentences: pd.DataFrame | None = None) -> pd.Series:
    """Return the learned filter's probability that each candidate pair is two labels for one thing.

    Parameters
    ----------
    candidates : pandas.DataFrame
        As for :func:`pair_features`.
    model : dict, str or os.PathLike, optional
        A model from :func:`load_label_model`, or its path; default the shipped model.
    sentences : pandas.DataFrame, optional
        As for :func:`pair_features` (needed unless `candidates` has ``context``).

    Returns
    -------
    pandas.Series
        One float in [0, 1] per candidate (same index), named ``score``. The summary states a
        pair only when ``score >= model["threshold"]``.

    Notes
    -----
    Logistic regression on standardised features: ``1 / (1 + exp(-(z @ coef + intercept)))``
    with ``z = (x - mean) / scale``. Measured by nested leave-one-file-out over the five labelled
    files (README, labels; ``model["cv"]``). Trained with ``context`` measured over the whole
    corpus each labelled slice was cut from: give that corpus as `sentences` (a slice's own
    sentences give lower, noisier values). What it cannot tell: opposites and two things of one
    kind are used among the same words as synonyms ("right" / "wrong" direction), and two
    people of one title look like one person's two titles. Cost: O(words of the example
    sentences) per candidate, plus O(words of `sentences`) once for ``context``.

    Examples
    --------
    >>> c = pd.DataFrame({"label_a": ["deal"], "label_b": ["agreement"], "outlets": [3], "pairs": [2],
    ...     "text_a": ["Trump urged Havana to make a deal before it is too late."],
    ...     "text_b": ["Trump urged Havana to make an agreement before it is too late."]})
    >>> bool(0 <= score_pairs(c, sentences=pd.DataFrame({"sentence_text": c["text_a"]})).iloc[0] <= 1)
    True
    """
    if model is None or isinstance(model, (str, Path)):
        model = load_label_model(model)
    if not isinstance(model, dict) or "coef" not in model:
        raise ParameterError(f"model: {type(model).__name__}; give a dict from load_label_model, a path, or None")
    X = pair_features(candidates, sentences=sentences).to_numpy()
    z = (X - np.asarray(model["mean"])) / np.asarray(model["scale"])
    logit = z @ np.asarray(model["coef"]) + float(model["intercept"])
    return pd.Series(1.0 / (1.0 + np.exp(-logit)), index=candidates.index, name="score")


__all__ = ["FEATURES", "MODEL_FILE", "CONTEXT_WIDTH", "context_similarity", "pair_features", "load_label_model",
           "score_pairs"]
