"""Concept files: the competing labels outlets use for one thing, found and counted."""

from __future__ import annotations

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

SHIPPED_DIR = SHIPPED_LEXICONS  # per-corpus files for the bundled corpus
CONCEPTS_FILE = "concepts.yaml"
EXCLUDED = "(excluded)"  # label name of exclude phrases in the concept table
_YAML_CONCEPT = {"description", "labels", "exclude", "note"}


def empty_concepts() -> pd.DataFrame:
    """Return a concept table with no concepts (for a corpus without a concept file).

    Notes
    -----
    Cost: O(1).

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

    Notes
    -----
    Cost: O(cues).

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

    Notes
    -----
    Cost: O(characters of the articles with hits + hits x quotations of their article).

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
    Cost: O(characters + hits x log hits), as :func:`analysis.frames.find_cues`; memory
    that of one chunk of :data:`analysis.partition.LOCAL_CHUNK` articles plus the hits (the
    texts are matched chunk by chunk with :func:`analysis.partition.per_article`).

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
    from analysis import partition

    # in chunks of articles (the same rows as one call): the folded texts of one chunk at a time,
    # not of the whole corpus (at 10,000 generated articles one call added 342 MB, with no concepts too)
    hits = partition.per_article(F.find_cues, sentences, lexicon=lexicon)
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

    Notes
    -----
    Cost: O(hits + concepts x labels x outlets).

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


__all__ = ["CONCEPT", "LABEL", "DESCRIPTION", "COUNTED", "COUNT", "QUOTED", "IN_QUOTE", "SHARE", "SIMILARITY", "PAIRS",
           "CONCEPT_COLUMNS", "LABEL_HIT_COLUMNS", "TABLE_COLUMNS", "SHIPPED_DIR", "CONCEPTS_FILE", "EXCLUDED",
           "BUNDLED_CORPUS", "SHIPPED_LEXICONS", "read_yaml", "resolve_corpus_file", "empty_concepts",
           "load_concepts", "mark_quoted", "find_labels", "label_table"]
