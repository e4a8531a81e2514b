"""Frame lexicons: read and validate the YAML files, list their frames, find their cues in sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.corpus import read_yaml
from analysis.errors import ParameterError, ResourceError
from analysis.frames.columns import (
    BUILTIN_LEXICONS,
    CUE,
    FRAME,
    HIT_COLUMNS,
    LABEL,
    LEXICON_COLUMNS,
    SCHEME,
    SEMETKO_VALKENBURG,
    SOURCE_FILE,
    SURFACE,
)
from analysis.frames.matching import CueMatcher, cue_key, cue_kind, prepare_texts

_USED_IN_EXAMPLES = (SEMETKO_VALKENBURG,)  # names the docstring examples call
_YAML_TOP = {"scheme", "source", "frames"}
_YAML_FRAME = {"label", "questions", "definition", "cues"}


# -------------------------------------------------------------------------------- lexicons
def _frame_rows(path: Path, scheme: str, frame: str, spec) -> list[tuple]:
    where = f"frame lexicon {path}, frame {frame!r}"
    if not isinstance(spec, dict):
        raise ResourceError(f"{where}: expected a mapping with 'cues', got {spec!r}")
    unknown = sorted(set(spec) - _YAML_FRAME)
    if unknown:
        raise ResourceError(f"{where}: unknown key(s) {unknown}; valid: {sorted(_YAML_FRAME)}")
    cues = spec.get("cues")
    if cues is None or isinstance(cues, str) or not isinstance(cues, list):
        raise ResourceError(f"{where}: 'cues' must be a list (possibly empty), got {cues!r}")
    label = str(spec.get("label") or frame)
    if not cues:  # a residual frame ("other"): kept, scored as NaN
        return [(scheme, frame, label, pd.NA, pd.NA, str(path))]
    rows = []
    for cue in cues:
        if not isinstance(cue, str):
            raise ResourceError(f"{where}: cue {cue!r} is not a string (quote it in the YAML)")
        try:
            kind = cue_kind(cue)
        except ParameterError as exc:
            raise ResourceError(f"{where}: {exc}") from exc
        rows.append((scheme, frame, label, cue.strip(), kind, str(path)))
    return rows


def _check_duplicates(lexicon: pd.DataFrame) -> None:
    seen: dict[tuple, tuple] = {}
    for scheme, frame, cue, src in lexicon[[SCHEME, FRAME, CUE, SOURCE_FILE]].dropna().itertuples(
            index=False):
        key = (scheme, *cue_key(cue))
        if key in seen and seen[key][0] != frame:
            raise ResourceError(
                f"frame lexicon {src}: cue {cue!r} of frame {frame!r} is also a cue of frame "
                f"{seen[key][0]!r} ({seen[key][1]!r}) in scheme {scheme!r}; a cue may signal one "
                "frame per scheme")
        seen.setdefault(key, (frame, cue))


def load_lexicon(paths=None) -> pd.DataFrame:
    """Read and validate frame lexicon files; return one row per (scheme, frame, cue).

    Parameters
    ----------
    paths : str, os.PathLike or list of them, optional
        YAML files (format: see ``analysis/lexicons/frames_semetko_valkenburg.yaml``);
        None or [] reads the two shipped lexicons (:data:`BUILTIN_LEXICONS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``scheme``, ``frame``, ``label``, ``cue``, ``cue_kind`` ("word", "stem",
        "phrase"), ``source_file``; frames in file order. A frame with no cues (the Policy
        Frames Codebook's residual "other") has one row with a missing cue, so it is still
        listed (and scored as NaN, not zero).

    Raises
    ------
    ResourceError
        Naming the file and frame: missing file, invalid YAML, no ``scheme``/``frames``,
        unknown keys, a non-list ``cues``, a bad cue (``*`` not at the end, empty), a cue
        that signals two frames of one scheme, or a scheme defined in two files.

    Examples
    --------
    >>> lex = load_lexicon()
    >>> lex.groupby("scheme", sort=False)["frame"].nunique().to_dict()
    {'semetko_valkenburg': 5, 'policy_frames': 15}
    >>> lex.loc[lex.cue == "sanction*", ["scheme", "frame", "cue_kind"]].values.tolist()
    [['semetko_valkenburg', 'economic', 'stem'], ['policy_frames', 'policy_prescription', 'stem']]

    Notes
    -----
    Two spellings of one cue in one frame ("cooperation" and "cooperat*") are allowed: the
    overlap rule counts a hit once. Accent and case variants need not be listed.
    Cost: O(cues).
    """
    if paths is None or (isinstance(paths, list | tuple) and not paths):
        paths = list(BUILTIN_LEXICONS)
    elif isinstance(paths, str | Path):
        paths = [paths]
    rows, schemes = [], {}
    for path in map(Path, paths):
        data = read_yaml(path, what="frame lexicon")
        if not isinstance(data, dict) or not isinstance(data.get("frames"), dict) or not data["frames"]:
            raise ResourceError(f"frame lexicon {path}: expected top-level 'scheme:' and a "
                                "non-empty 'frames:' mapping")
        unknown = sorted(set(data) - _YAML_TOP)
        if unknown:
            raise ResourceError(f"frame lexicon {path}: unknown key(s) {unknown}; valid: "
                                f"{sorted(_YAML_TOP)}")
        scheme = str(data.get("scheme") or path.stem)
        if scheme in schemes:
            raise ResourceError(f"frame lexicon {path}: scheme {scheme!r} is already defined in "
                                f"{schemes[scheme]}; give each file its own scheme")
        schemes[scheme] = path
        for frame, spec in data["frames"].items():
            rows.extend(_frame_rows(path, scheme, str(frame), spec))
    lexicon = pd.DataFrame(rows, columns=list(LEXICON_COLUMNS))
    _check_duplicates(lexicon)
    return lexicon


def frames_of(lexicon: pd.DataFrame) -> pd.DataFrame:
    """Return one row per (scheme, frame) of a lexicon, in lexicon order.

    Notes
    -----
    Cost: O(cues).

    Examples
    --------
    >>> frames_of(load_lexicon(SEMETKO_VALKENBURG)).frame.tolist()
    ['conflict', 'human_interest', 'economic', 'morality', 'responsibility']
    """
    S.check_columns(lexicon, [SCHEME, FRAME, LABEL, CUE], table="lexicon")
    out = lexicon.assign(has_cues=lexicon[CUE].notna())
    out = out.groupby([SCHEME, FRAME], sort=False).agg(label=(LABEL, "first"),
                                                       has_cues=("has_cues", "any"))
    return out.reset_index()


# ------------------------------------------------------------------------------- matching
def find_cues(sentences: pd.DataFrame, *, lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every frame cue in a sentence table; return one row per hit.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``article_id``, ``outlet``, ``start``,
        ``sentence_text``).
    lexicon : pandas.DataFrame, optional
        From :func:`load_lexicon`; None loads the shipped lexicons.

    Returns
    -------
    pandas.DataFrame
        One row per hit: ``sentence_id``, ``article_id``, ``outlet``, ``scheme``,
        ``frame``, ``cue`` (the entry that matched), ``surface`` (the text as written),
        ``start``, ``end`` (offsets into ``articles.text``, so
        ``text[start:end] == surface``). Sorted by scheme (lexicon order), then sentence
        order, then offset.

    Notes
    -----
    Schemes are matched independently (a word can be a cue in each); within a scheme a
    span of text is counted at most once (leftmost-longest, see :class:`CueMatcher`).
    No match crosses a sentence boundary. A cue inside a direct quotation counts like
    any other: join with the sentence table's ``quoted`` column to separate them.
    Cost: O(characters) to fold the texts once, then O(characters + hits x log hits) per
    scheme (see :class:`CueMatcher`).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...     "start": [0], "sentence_text": ["New U.S. sanctions hit the economy, both sides said."]})
    >>> h = find_cues(s, lexicon=load_lexicon(SEMETKO_VALKENBURG))
    >>> h[["frame", "cue", "surface", "start"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['economic', 'sanction*', 'sanctions', 9], ['economic', 'econom*', 'economy', 27],
     ['conflict', 'both sides', 'both sides', 36]]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    lexicon = load_lexicon() if lexicon is None else lexicon
    S.check_columns(lexicon, [SCHEME, FRAME, CUE], table="lexicon")
    texts = sentences[S.SENTENCE_TEXT].astype(str).tolist()
    offsets = sentences[S.START].to_numpy(dtype=np.int64)
    prepared = prepare_texts(texts)  # folded once, matched once per scheme
    parts = []
    for scheme, lex in lexicon.dropna(subset=[CUE]).groupby(SCHEME, sort=False):
        cues, frame_of = lex[CUE].tolist(), lex[FRAME].tolist()
        found = CueMatcher(cues).find_prepared(prepared)
        if not found:
            continue
        arr = np.array(found, dtype=np.int64).reshape(-1, 4)
        rows = sentences.iloc[arr[:, 0]]
        which, begin, end, cue = (arr[:, k].tolist() for k in range(4))
        parts.append(pd.DataFrame({
            S.SENTENCE_ID: rows[S.SENTENCE_ID].to_numpy(), S.ARTICLE_ID: rows[S.ARTICLE_ID].to_numpy(),
            S.OUTLET: rows[S.OUTLET].to_numpy(), SCHEME: scheme,
            FRAME: [frame_of[i] for i in cue], CUE: [cues[i] for i in cue],
            SURFACE: [texts[t][a:b] for t, a, b in zip(which, begin, end, strict=True)],
            S.START: offsets[arr[:, 0]] + arr[:, 1], S.END: offsets[arr[:, 0]] + arr[:, 2]}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in (S.START, S.END) else "str")
                             for c in HIT_COLUMNS})
    return pd.concat(parts, ignore_index=True)


