"""Compare the words outlets choose for the same thing: concept files and discovered pairs.

A *concept file* (YAML) maps each concept to the competing labels outlets use for it::

    concepts:
      maduro_removal:
        description: The US action that removed Nicolás Maduro
        labels:
          abduction: [abduct*]            # a label and the cues that count as it
          capture: [captur*]
          raid: [raid, raids]
        exclude: [special operations]     # phrases that look like a label but are not

A label may also be given as a plain list (``labels: [abducted, captured]``), each entry
its own label. Cues follow the frame-lexicon syntax (:mod:`analysis.frames`): words,
``stem*`` and phrases, accent- and case-insensitive, leftmost-longest within one concept,
so a span is counted once. An ``exclude`` phrase consumes its span without being counted.

:func:`find_labels` returns every label hit (traceable with :func:`analysis.frames.trace`
or :func:`analysis.kwic.kwic`); :func:`label_table` gives the outlet x concept x label
counts, zeros included. Without a concept file, :func:`align_sentences` pairs near-
identical sentences of different outlets (TF-IDF cosine) and
:func:`substitutions` / :func:`candidate_labels` list the words one outlet replaced with
another's, as candidate label pairs for a concept file.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import frames as F
from analysis import schema as S
from analysis.corpus import BUNDLED_CORPUS, SHIPPED_LEXICONS, read_yaml, resolve_corpus_file  # noqa: F401 (re-exported)
from analysis.errors import ParameterError, ResourceError

# --- columns -----------------------------------------------------------------------------
CONCEPT = "concept"  # concept id ("maduro_removal")
LABEL = "label"  # label name within the concept ("abduction")
DESCRIPTION = "description"  # what the concept refers to
COUNTED = "counted"  # False for exclude phrases (they consume text but are not counted)
COUNT = "count"  # label hits
QUOTED = "quoted"  # label hits inside a direct quotation (the speaker's word)
IN_QUOTE = "in_quote"  # per hit: inside a direct quotation
SHARE = "share"  # count / all label hits of the concept in the outlet
SIMILARITY = "similarity"  # TF-IDF cosine of two aligned sentences
PAIRS = "pairs"  # aligned sentence pairs showing a substitution

CONCEPT_COLUMNS = (CONCEPT, LABEL, F.CUE, F.CUE_KIND, COUNTED, DESCRIPTION)
LABEL_HIT_COLUMNS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, CONCEPT, LABEL, F.CUE, F.SURFACE,
                     S.START, S.END, IN_QUOTE)
TABLE_COLUMNS = (CONCEPT, S.OUTLET, LABEL, COUNT, QUOTED, SHARE)
ALIGN_COLUMNS = ("sentence_a", "sentence_b", "outlet_a", "outlet_b", SIMILARITY)
SUBSTITUTION_COLUMNS = ("sentence_a", "sentence_b", "outlet_a", "outlet_b", SIMILARITY,
                        "label_a", "label_b", "context_a", "context_b")
CANDIDATE_COLUMNS = ("label_a", "label_b", PAIRS, SIMILARITY, "outlets_a", "outlets_b",
                     "example_a", "example_b", "context_a", "context_b")

SHIPPED_DIR = SHIPPED_LEXICONS  # per-corpus files for the bundled corpus
CONCEPTS_FILE = "concepts.yaml"
EXCLUDED = "(excluded)"  # label name of exclude phrases in the concept table
# Cosine a mutual-best sentence pair needs. On the bundled corpus reworded wire copy scores
# 0.3-0.9 ("make an agreement"/"make a deal" is 0.31); below 0.3 pairs share a topic only.
DEFAULT_MIN_SIMILARITY = 0.3
MAX_SPAN = 3  # longest substitution (in words) reported on each side
MIN_WORDS = 6  # sentences shorter than this are not aligned (too little to compare)
MAX_DF = 100  # align_sentences compares sentences sharing a term found in at most this many sentences
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_YAML_CONCEPT = {"description", "labels", "exclude", "note"}


def empty_concepts() -> pd.DataFrame:
    """Return a concept table with no concepts (for a corpus without a concept file).

    Examples
    --------
    >>> empty_concepts().columns.tolist()
    ['concept', 'label', 'cue', 'cue_kind', 'counted', 'description']
    """
    return pd.DataFrame({c: pd.Series(dtype=bool if c == COUNTED else "str") for c in CONCEPT_COLUMNS})


def _concept_rows(path: Path, concept: str, spec) -> list[tuple]:
    where = f"concept file {path}, concept {concept!r}"
    if not isinstance(spec, dict) or "labels" not in spec:
        raise ResourceError(f"{where}: expected a mapping with 'labels', got {spec!r}")
    unknown = sorted(set(spec) - _YAML_CONCEPT)
    if unknown:
        raise ResourceError(f"{where}: unknown key(s) {unknown}; valid: {sorted(_YAML_CONCEPT)}")
    labels = spec["labels"]
    if isinstance(labels, list):
        labels = {str(v): [v] for v in labels}
    if not isinstance(labels, dict) or not labels:
        raise ResourceError(f"{where}: 'labels' must be a non-empty mapping or list")
    description = str(spec.get("description") or "")
    rows = []
    groups = [(str(k), v, True) for k, v in labels.items()]
    groups.append((EXCLUDED, spec.get("exclude") or [], False))
    for label, cues, counted in groups:
        cues = [cues] if isinstance(cues, str) else cues
        if not isinstance(cues, list) or (counted and not cues):
            raise ResourceError(f"{where}, label {label!r}: expected a non-empty list of cues, got {cues!r}")
        for cue in cues:
            try:
                kind = F.cue_kind(str(cue))
            except ParameterError as exc:
                raise ResourceError(f"{where}, label {label!r}: {exc}") from exc
            rows.append((concept, label, str(cue).strip(), kind, counted, description))
    return rows


def load_concepts(path) -> pd.DataFrame:
    """Read and validate a concept file; return one row per (concept, label, cue).

    Parameters
    ----------
    path : str or os.PathLike
        A YAML file in the format of the module docstring.

    Returns
    -------
    pandas.DataFrame
        Columns ``concept``, ``label``, ``cue``, ``cue_kind``, ``counted`` (False for the
        ``exclude`` phrases, labelled "(excluded)"), ``description``; in file order.

    Raises
    ------
    ResourceError
        Naming the file, concept and label: unreadable YAML, no ``concepts`` mapping,
        unknown keys, an empty label, a bad cue, or one cue under two labels of a concept.

    Examples
    --------
    >>> c = load_concepts(SHIPPED_DIR / "concepts.yaml")
    >>> c[c.concept == "maduro_removal"].label.unique().tolist()[:4]
    ['abduction', 'capture', 'ouster', 'raid']
    """
    path = Path(path)
    data = read_yaml(path, what="concept file")
    concepts = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(concepts, dict) or not concepts:
        raise ResourceError(f"concept file {path}: expected a top-level 'concepts:' mapping")
    rows = [r for name, spec in concepts.items() for r in _concept_rows(path, str(name), spec)]
    table = pd.DataFrame(rows, columns=list(CONCEPT_COLUMNS))
    seen: dict[tuple, str] = {}
    for concept, label, cue in table[[CONCEPT, LABEL, F.CUE]].itertuples(index=False):
        key = (concept, *F.cue_key(cue))
        if key in seen and seen[key] != label:
            raise ResourceError(f"concept file {path}, concept {concept!r}: cue {cue!r} is under "
                                f"labels {seen[key]!r} and {label!r}; a cue may count for one label")
        seen[key] = label
    return table


# ----------------------------------------------------------------------------- counting
def mark_quoted(hits: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """Return, for each hit, whether it lies inside a direct quotation.

    Parameters
    ----------
    hits : pandas.DataFrame
        Any hit table with ``article_id``, ``start``, ``end``.
    articles : pandas.DataFrame
        The articles table (``article_id``, ``text``).

    Returns
    -------
    pandas.Series of bool
        Aligned with `hits`: True when the hit's span lies within a quotation found by
        :func:`analysis.sentences.scan_quotes`.

    Examples
    --------
    >>> a = pd.DataFrame({"article_id": ["a"], "text": ["He said “a deal” was near; no deal."]})
    >>> h = pd.DataFrame({"article_id": ["a", "a"], "start": [11, 30], "end": [15, 34]})
    >>> mark_quoted(h, a).tolist()
    [True, False]
    """
    from analysis.sentences import scan_quotes

    S.check_columns(hits, [S.ARTICLE_ID, S.START, S.END], table="hits")
    S.check_columns(articles, [S.ARTICLE_ID, S.TEXT], table="articles")
    wanted = set(hits[S.ARTICLE_ID])
    spans = {aid: scan_quotes(str(text))[0] for aid, text in zip(articles[S.ARTICLE_ID], articles[S.TEXT],
                                                                strict=True) if aid in wanted}
    inside = [any(a <= s and e <= b for a, b in spans.get(aid, ()))
              for aid, s, e in zip(hits[S.ARTICLE_ID], hits[S.START], hits[S.END], strict=True)]
    return pd.Series(inside, index=hits.index, dtype=bool)


def find_labels(sentences: pd.DataFrame, concepts: pd.DataFrame, *,
                articles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every label of every concept in a sentence table; return one row per hit.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table.
    concepts : pandas.DataFrame
        From :func:`load_concepts`.
    articles : pandas.DataFrame, optional
        The articles table; when given, ``in_quote`` says whether each hit lies inside a
        direct quotation (else it is False throughout).

    Returns
    -------
    pandas.DataFrame
        One row per counted hit: ``sentence_id``, ``article_id``, ``outlet``, ``concept``,
        ``label``, ``cue``, ``surface``, ``start``, ``end`` (offsets into
        ``articles.text``), ``in_quote``. Concept order, then sentence order.

    Notes
    -----
    Concepts are matched independently (a word may be a label of two concepts); within
    a concept a span counts once, and exclude phrases win over the labels they contain.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...     "start": [0], "sentence_text": ["The regime, not the US government, fell."]})
    >>> c = pd.DataFrame({"concept": ["gov"] * 3, "label": ["regime", "government", "(excluded)"],
    ...     "cue": ["regime", "government", "US government"], "counted": [True, True, False]})
    >>> find_labels(s, c)[["label", "surface", "start"]].values.tolist()
    [['regime', 'regime', 4]]
    """
    S.check_columns(concepts, [CONCEPT, LABEL, F.CUE, COUNTED], table="concepts")
    lexicon = concepts.rename(columns={CONCEPT: F.SCHEME, LABEL: F.FRAME})
    lexicon = lexicon.assign(**{F.FRAME: [lab if ok else f"\x00{lab}" for lab, ok in
                                          zip(lexicon[F.FRAME], concepts[COUNTED], strict=True)]})
    hits = F.find_cues(sentences, lexicon=lexicon)
    hits = hits[~hits[F.FRAME].str.startswith("\x00")]
    hits = hits.rename(columns={F.SCHEME: CONCEPT, F.FRAME: LABEL}).reset_index(drop=True)
    hits[IN_QUOTE] = mark_quoted(hits, articles) if articles is not None and len(hits) else False
    return hits[list(LABEL_HIT_COLUMNS)]


def label_table(hits: pd.DataFrame, concepts: pd.DataFrame, *, outlets=None) -> pd.DataFrame:
    """Count labels per concept and outlet; every label of every concept for every outlet.

    Parameters
    ----------
    hits : pandas.DataFrame
        From :func:`find_labels`.
    concepts : pandas.DataFrame
        From :func:`load_concepts` (its labels define the rows, hit or not).
    outlets : iterable of str, optional
        Outlets to list (e.g. every outlet of the corpus, so that an outlet with no label
        still appears with zeros); default: the outlets in `hits`.

    Returns
    -------
    pandas.DataFrame
        One row per concept x outlet x label: ``concept``, ``outlet``, ``label``,
        ``count``, ``quoted`` (of which inside direct quotations), ``share`` (count /
        all counted label hits of that concept in that outlet; NaN when it has none).
        Concept and label in file order, outlets sorted.

    Examples
    --------
    >>> c = pd.DataFrame({"concept": ["gov", "gov"], "label": ["regime", "government"],
    ...                   "counted": [True, True]})
    >>> h = pd.DataFrame({"concept": ["gov"], "outlet": ["X"], "label": ["regime"], "in_quote": [True]})
    >>> label_table(h, c, outlets=["X", "Y"]).values.tolist()
    [['gov', 'X', 'regime', 1, 1, 1.0], ['gov', 'X', 'government', 0, 0, 0.0], \
['gov', 'Y', 'regime', 0, 0, nan], ['gov', 'Y', 'government', 0, 0, nan]]
    """
    S.check_columns(hits, [CONCEPT, S.OUTLET, LABEL, IN_QUOTE], table="label hits")
    S.check_columns(concepts, [CONCEPT, LABEL, COUNTED], table="concepts")
    labels = concepts.loc[concepts[COUNTED], [CONCEPT, LABEL]].drop_duplicates()
    labels = labels.assign(_order=np.arange(len(labels)))
    outlets = sorted(set(hits[S.OUTLET]) if outlets is None else set(outlets))
    grid = labels.merge(pd.DataFrame({S.OUTLET: outlets}), how="cross")
    counts = hits.groupby([CONCEPT, S.OUTLET, LABEL]).agg(**{COUNT: (IN_QUOTE, "size"),
                                                            QUOTED: (IN_QUOTE, "sum")}).reset_index()
    out = grid.merge(counts, how="left", on=[CONCEPT, S.OUTLET, LABEL])
    out[[COUNT, QUOTED]] = out[[COUNT, QUOTED]].fillna(0).astype("int64")
    total = out.groupby([CONCEPT, S.OUTLET])[COUNT].transform("sum")
    out[SHARE] = (out[COUNT] / total.where(total > 0)).astype(float)
    out["_c"] = out[CONCEPT].map({c: i for i, c in enumerate(dict.fromkeys(labels[CONCEPT]))})
    out = out.sort_values(["_c", S.OUTLET, "_order"], kind="stable").reset_index(drop=True)
    return out[list(TABLE_COLUMNS)]


# ---------------------------------------------------------------------------- discovery
def _analyzer():
    from analysis.resources import stopwords

    stop = stopwords("english")
    return lambda text: [w for w in F.match_text(text).split() if w not in stop]


def tfidf_rows(texts, analyzer):
    """Return the L2-normalised TF-IDF matrix of `texts` (rows) over their sorted vocabulary.

    Parameters
    ----------
    texts : sequence of str
        The documents (here: sentences).
    analyzer : callable
        Text -> list of terms.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(1 + ln tf) * (ln((1 + n) / (1 + df)) + 1)``, each row scaled to unit length (rows
        without terms stay zero); columns are the terms in sorted order. ``None`` when no
        text has a term.

    Notes
    -----
    The same numbers as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` (the tests
    compare the matrices); written with scipy.sparse because importing scikit-learn takes
    about a second in the framing notebook's kernel.

    Examples
    --------
    By hand: columns (cuba, oil); idf = (ln(3/3) + 1, ln(3/2) + 1) = (1, 1.4055); row 1 is
    (1, (1 + ln 2) * 1.4055) = (1, 2.3797), of length 2.5813.

    >>> X = tfidf_rows(["oil oil cuba", "cuba"], str.split)
    >>> X.toarray().round(4).tolist()
    [[0.3874, 0.9219], [1.0, 0.0]]
    """
    import scipy.sparse as sp

    from analysis.terms import smoothed_idf

    docs = [analyzer(t) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
    if not vocab:
        return None
    rows = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    cols = np.fromiter((vocab[w] for d in docs for w in d), dtype=np.int64, count=len(rows))
    X = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(docs), len(vocab)))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=len(vocab))
    X.data = (1.0 + np.log(X.data)) * smoothed_idf(len(docs), df)[X.indices]
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return (sp.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ X).tocsr()


def _close_pairs(X, outlet: np.ndarray, max_df: int, min_similarity: float, chunk: int = 4000):
    """Yield (i, j, cosine) arrays of close sentence pairs of different outlets, i < j.

    Terms are split into rare ones (in 2 to `max_df` sentences) and common ones. Candidate
    pairs share a rare term: the sparse product of the rare columns, in row chunks, gives
    their rare part of the cosine. Cauchy-Schwarz bounds the common part by the product
    of the rows' common-term norms, so only pairs that could still reach
    `min_similarity` get their common part computed, pair by pair (vectorised).
    """
    df = np.bincount(X.indices, minlength=X.shape[1])
    rare = X[:, np.flatnonzero((df >= 2) & (df <= max_df))].tocsr()
    common = X[:, np.flatnonzero(df > max_df)].tocsr()
    common_norm = np.sqrt(np.asarray(common.multiply(common).sum(axis=1)).ravel())
    rare_t = rare.T.tocsr()
    for lo in range(0, rare.shape[0], chunk):
        part = (rare[lo:lo + chunk] @ rare_t).tocoo()
        i, j, sim = part.row + lo, part.col, part.data
        ok = (i < j) & (outlet[i] != outlet[j]) & (sim + common_norm[i] * common_norm[j] >= min_similarity - 1e-12)
        i, j, sim = i[ok], j[ok], sim[ok]
        for k in range(0, len(i), 500_000):
            a, b = i[k:k + 500_000], j[k:k + 500_000]
            sim[k:k + 500_000] += np.asarray(common[a].multiply(common[b]).sum(axis=1)).ravel()
        ok = sim >= min_similarity - 1e-12
        yield i[ok], j[ok], sim[ok]


def align_sentences(sentences: pd.DataFrame, *, min_similarity: float = DEFAULT_MIN_SIMILARITY,
                    min_words: int = MIN_WORDS, max_df: int = MAX_DF) -> pd.DataFrame:
    """Pair near-identical sentences of different outlets (mutual best TF-IDF match).

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``outlet``, ``sentence_text``).
    min_similarity : float, default 0.3
        Cosine similarity (TF-IDF, stopwords removed) a pair needs, in (0, 1].
    min_words : int, default 6
        Sentences with fewer words are not aligned.
    max_df : int, default 100
        Only sentences sharing at least one term found in at most this many sentences are
        compared (an inverted index of rare terms chooses the candidate pairs).

    Returns
    -------
    pandas.DataFrame
        One row per aligned pair: ``sentence_a``, ``sentence_b`` (ids), ``outlet_a`` <
        ``outlet_b``, ``similarity``; each sentence is the other's best match among the
        other outlet's candidate sentences. Sorted by similarity (descending), then ids.

    Raises
    ------
    ParameterError
        For a similarity outside (0, 1] or a `max_df` below 2.

    Notes
    -----
    Aligned sentences are usually the same statement or the same wire copy, reworded; the
    pairs feed :func:`substitutions`. IDF is fitted on the given sentences. The cosine
    of a candidate pair is computed on all its terms; pairs whose shared terms are all
    common (each in more than `max_df` sentences) are never compared. With at most
    `max_df` sentences every pair sharing a term is a candidate, so the result is that
    of the exhaustive comparison. Cost: O(pairs sharing a rare term) <= O(max_df x term
    occurrences): linear in the corpus for a fixed `max_df` (the exhaustive comparison
    was quadratic and refused more than 50,000 sentences).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "b/1"], "outlet": ["A", "B", "B"],
    ...     "sentence_text": ["Trump urged Havana to make a deal before it is too late.",
    ...                       "Trump urged Havana to make an agreement before it is too late.",
    ...                       "Oil shipments from Mexico continued through the weekend."]})
    >>> align_sentences(s).round(2).values.tolist()
    [['a/0', 'b/0', 'A', 'B', 0.74]]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.OUTLET, S.SENTENCE_TEXT], table="sentences")
    if not 0 < min_similarity <= 1:
        raise ParameterError(f"min_similarity: {min_similarity!r}; use a number in (0, 1]")
    if not isinstance(max_df, int) or max_df < 2:
        raise ParameterError(f"max_df: {max_df!r}; use an integer >= 2")
    empty = pd.DataFrame(columns=list(ALIGN_COLUMNS))
    texts = sentences[S.SENTENCE_TEXT].astype(str)
    keep = np.array([len(_WORD.findall(t)) >= min_words for t in texts], dtype=bool)
    sent = sentences.loc[keep, [S.SENTENCE_ID, S.OUTLET, S.SENTENCE_TEXT]].reset_index(drop=True)
    if sent[S.OUTLET].nunique() < 2:
        return empty
    X = tfidf_rows(sent[S.SENTENCE_TEXT].tolist(), _analyzer())
    if X is None:  # empty vocabulary: nothing to compare
        return empty
    outlet = sent[S.OUTLET].to_numpy()
    parts = []
    for i, j, sim in _close_pairs(X, outlet, max_df, min_similarity):
        parts.append(pd.DataFrame({"i": np.r_[i, j], "j": np.r_[j, i], SIMILARITY: np.r_[sim, sim]}))
    if not parts:
        return empty
    pairs = pd.concat(parts, ignore_index=True)
    pairs["oj"] = outlet[pairs["j"].to_numpy()]
    pairs = pairs.sort_values([SIMILARITY, "j"], ascending=[False, True], kind="stable")
    best = pairs.drop_duplicates(["i", "oj"])  # i's best match in each other outlet
    mutual = best.merge(best[["i", "j"]].rename(columns={"i": "j", "j": "i"}), on=["i", "j"])
    mutual = mutual[outlet[mutual["i"].to_numpy()] < outlet[mutual["j"].to_numpy()]]
    ids = sent[S.SENTENCE_ID].to_numpy()
    out = pd.DataFrame({"sentence_a": ids[mutual["i"].to_numpy()], "sentence_b": ids[mutual["j"].to_numpy()],
                        "outlet_a": outlet[mutual["i"].to_numpy()], "outlet_b": outlet[mutual["j"].to_numpy()],
                        SIMILARITY: mutual[SIMILARITY].to_numpy()})
    return out.sort_values([SIMILARITY, "sentence_a", "sentence_b"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Return (term, start, end) per token, with the project's token rule ("U.S." -> "us")."""
    from analysis.tokens import TOKEN_RE, normalise_term

    return [(normalise_term(m.group(1)), *m.span(1)) for m in TOKEN_RE.finditer(text)]


def _trim(toks: list, lo: int, hi: int, stop: frozenset[str]) -> tuple[int, int]:
    while lo < hi and (toks[lo][0] in stop or toks[lo][0].isdigit()):
        lo += 1
    while hi > lo and (toks[hi - 1][0] in stop or toks[hi - 1][0].isdigit()):
        hi -= 1
    return lo, hi


def _inflection(a: str, b: str) -> bool:
    """Whether two labels look like forms of one word ("threats"/"threatened")."""
    n = len(os.path.commonprefix([a, b]))
    return n >= 4 and n >= 0.6 * min(len(a), len(b))


def _pair_subs(ta: str, tb: str, max_span: int, stop: frozenset[str]) -> list[tuple[str, str, str, str]]:
    """Return (label_a, label_b, context_a, context_b) for each substitution in two sentences."""
    ka, kb = _tokens(ta), _tokens(tb)
    matcher = difflib.SequenceMatcher(None, [t[0] for t in ka], [t[0] for t in kb], autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 > max_span or j2 - j1 > max_span:
            continue
        spans = ([(i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1)] if i2 - i1 == j2 - j1
                 else [(i1, i2, j1, j2)])
        for a1, a2, b1, b2 in spans:
            a1, a2 = _trim(ka, a1, a2, stop)
            b1, b2 = _trim(kb, b1, b2, stop)
            if a1 == a2 or b1 == b2:
                continue
            la = " ".join(t[0] for t in ka[a1:a2])
            lb = " ".join(t[0] for t in kb[b1:b2])
            if la == lb or _inflection(la, lb):
                continue
            ca = ta[ka[max(i1 - 1, 0)][1]:ka[min(i2, len(ka) - 1)][2]]
            cb = tb[kb[max(j1 - 1, 0)][1]:kb[min(j2, len(kb) - 1)][2]]
            out.append((la, lb, ca, cb))
    return out


def substitutions(aligned: pd.DataFrame, sentences: pd.DataFrame, *, max_span: int = MAX_SPAN) -> pd.DataFrame:
    """List the words one outlet replaced with another's in aligned sentences.

    Parameters
    ----------
    aligned : pandas.DataFrame
        From :func:`align_sentences`.
    sentences : pandas.DataFrame
        The sentence table the alignment came from.
    max_span : int, default 3
        Longest replaced run of words considered on each side (longer runs are rewrites,
        not word choices).

    Returns
    -------
    pandas.DataFrame
        One row per substitution: the pair's ``sentence_a``, ``sentence_b``, ``outlet_a``,
        ``outlet_b``, ``similarity``, then ``label_a``/``label_b`` (the replaced words,
        folded, stopwords trimmed from the edges) and ``context_a``/``context_b`` (the
        replaced words with one word either side, as written).

    Notes
    -----
    Word runs are compared with :class:`difflib.SequenceMatcher`. Runs of equal length
    are paired word by word ("an agreement" / "a deal" gives "agreement" / "deal");
    pairs of stopwords or numbers, and forms of one word ("threats" / "threatened"), are
    dropped. Many candidates are paraphrase noise, not label choices: read them in
    context before putting a pair into a concept file.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "outlet": ["A", "B"],
    ...     "sentence_text": ["He rejected hostility, intimidation or economic coercion.",
    ...                       "He rejected hostility, threats and economic coercion."]})
    >>> substitutions(align_sentences(s), s)[["label_a", "label_b", "context_b"]].values.tolist()
    [['intimidation', 'threats', 'hostility, threats and economic']]
    """
    from analysis.resources import stopwords

    S.check_columns(aligned, ALIGN_COLUMNS, table="aligned")
    S.check_columns(sentences, [S.SENTENCE_ID, S.SENTENCE_TEXT], table="sentences")
    if not isinstance(max_span, int) or max_span < 1:
        raise ParameterError(f"max_span: {max_span!r}; use an integer >= 1")
    stop = stopwords("english")
    text = dict(zip(sentences[S.SENTENCE_ID], sentences[S.SENTENCE_TEXT].astype(str), strict=True))
    rows = []
    for a, b, oa, ob, sim in aligned[list(ALIGN_COLUMNS)].itertuples(index=False):
        for sub in _pair_subs(text[a], text[b], max_span, stop):
            rows.append((a, b, oa, ob, float(sim), *sub))
    return pd.DataFrame(rows, columns=list(SUBSTITUTION_COLUMNS))


def candidate_labels(subs: pd.DataFrame) -> pd.DataFrame:
    """Rank candidate label pairs: substitutions seen in the most aligned sentence pairs.

    Parameters
    ----------
    subs : pandas.DataFrame
        From :func:`substitutions`.

    Returns
    -------
    pandas.DataFrame
        One row per unordered label pair: ``label_a`` < ``label_b``, ``pairs`` (aligned
        sentence pairs showing it), ``similarity`` (their mean), ``outlets_a`` /
        ``outlets_b`` (outlets using each label, "; "-separated), ``example_a`` /
        ``example_b`` (sentence ids of the first pair) and ``context_a`` / ``context_b``.
        Sorted by pairs (descending), similarity (descending), then labels.

    Examples
    --------
    >>> subs = pd.DataFrame({"sentence_a": ["a/1"], "sentence_b": ["b/4"], "outlet_a": ["A"],
    ...     "outlet_b": ["B"], "similarity": [0.8], "label_a": ["threats"],
    ...     "label_b": ["intimidation"], "context_a": ["t"], "context_b": ["i"]})
    >>> candidate_labels(subs)[["label_a", "label_b", "outlets_a", "example_a"]].values.tolist()
    [['intimidation', 'threats', 'B', 'b/4']]
    """
    S.check_columns(subs, SUBSTITUTION_COLUMNS, table="substitutions")
    rows: dict[tuple[str, str], dict] = {}
    for r in subs.itertuples(index=False):
        flip = r.label_b < r.label_a
        key = (r.label_b, r.label_a) if flip else (r.label_a, r.label_b)
        side = [(r.outlet_b, r.sentence_b, r.context_b), (r.outlet_a, r.sentence_a, r.context_a)]
        first, second = side if flip else side[::-1]
        row = rows.setdefault(key, {"pairs": set(), "sims": [], "oa": set(), "ob": set(),
                                    "example": (first[1], second[1], first[2], second[2])})
        row["pairs"].add((r.sentence_a, r.sentence_b))
        row["sims"].append(r.similarity)
        row["oa"].add(first[0])
        row["ob"].add(second[0])
    out = pd.DataFrame(
        [(a, b, len(v["pairs"]), float(np.mean(v["sims"])), "; ".join(sorted(v["oa"])),
          "; ".join(sorted(v["ob"])), *v["example"]) for (a, b), v in rows.items()],
        columns=list(CANDIDATE_COLUMNS))
    return out.sort_values([PAIRS, SIMILARITY, "label_a", "label_b"], ascending=[False, False, True, True],
                           kind="stable").reset_index(drop=True)
