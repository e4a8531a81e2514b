"""Trace table cells to their sentences, and validate a dictionary against a human coder."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import ParameterError, SchemaError
from analysis.frames.columns import CODER_PREFIX, FRAME, HITS, PREDICTED, SCHEME
from analysis.frames.lexicon import find_cues, frames_of, load_lexicon

_USED_IN_EXAMPLES = (find_cues,)  # names the docstring examples call


# ------------------------------------------------------------------------ traceability
def trace(hits: pd.DataFrame, sentences: pd.DataFrame, **where) -> pd.DataFrame:
    """Return the sentences behind one cell of a table: the hits matching `where`.

    Parameters
    ----------
    hits : pandas.DataFrame
        Any hit table with ``sentence_id``, ``start``, ``end`` and ``surface`` (cue hits,
        label hits, entity mentions).
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``start``, ``sentence_text``).
    **where
        Column=value filters on `hits` (``outlet="X", frame="conflict"``); a list value
        means "any of".

    Returns
    -------
    pandas.DataFrame
        One row per sentence with at least one matching hit: ``sentence_id``, ``outlet``,
        ``hits`` (number of matching hits), ``marked`` (the sentence with each hit
        wrapped in ``[[ ]]``); in sentence-table order.

    Raises
    ------
    SchemaError
        When a filter names a column `hits` lacks.

    Notes
    -----
    Cost: O(hits + sentences + characters of the traced sentences).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...                   "start": [0], "sentence_text": ["New sanctions, no deal."]})
    >>> trace(find_cues(s), s, frame="economic").marked.tolist()
    ['New [[sanctions]], no deal.']
    """
    S.check_columns(hits, [S.SENTENCE_ID, S.START, S.END, *where], table="hits")
    S.check_columns(sentences, [S.SENTENCE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT], table="sentences")
    mask = pd.Series(True, index=hits.index)
    for col, value in where.items():
        values = value if isinstance(value, list | tuple | set) else [value]
        mask &= hits[col].isin(list(values))
    chosen = hits[mask]
    spans: dict[str, list[tuple[int, int]]] = {}
    for sid, a, b in zip(chosen[S.SENTENCE_ID], chosen[S.START], chosen[S.END], strict=True):
        spans.setdefault(sid, []).append((int(a), int(b)))
    rows = []
    for sid, outlet, base, text in sentences[[S.SENTENCE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT]].itertuples(
            index=False):
        if sid in spans:
            marked = str(text)
            for a, b in sorted(set(spans[sid]), reverse=True):
                a, b = a - int(base), b - int(base)
                marked = f"{marked[:a]}[[{marked[a:b]}]]{marked[b:]}"
            rows.append((sid, outlet, len(spans[sid]), marked))
    return pd.DataFrame(rows, columns=[S.SENTENCE_ID, S.OUTLET, HITS, "marked"])


# ------------------------------------------------------------------------------ validation
_YES = frozenset({"1", "x", "yes", "y", "true", "1.0"})
_NO = frozenset({"0", "no", "n", "false", "", "0.0"})


def coding_sheet(sentences: pd.DataFrame, hits: pd.DataFrame, *, scheme: str = "semetko_valkenburg",
                 lexicon: pd.DataFrame | None = None, n: int = 200, seed: int = 0) -> pd.DataFrame:
    """Return a coding sheet: sampled sentences, predicted frames, empty coder columns.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table.
    hits : pandas.DataFrame
        From :func:`find_cues` on `sentences`.
    scheme : str, default "semetko_valkenburg"
        The scheme to code (one coder column per frame with cues).
    lexicon : pandas.DataFrame, optional
        The lexicon used; None = shipped lexicons.
    n : int, default 200
        Sentences to sample (simple random sample, seeded); 0 or more than available
        means all.
    seed : int, default 0
        Sampling seed.

    Returns
    -------
    pandas.DataFrame
        One row per sampled sentence, in sentence-table order: ``sentence_id``,
        ``outlet``, ``sentence_text``, ``predicted`` (the scheme's frames with a cue in the
        sentence, "; "-separated, "" for none), then one empty ``coder_<frame>`` column
        per frame. Save it with :func:`analysis.corpus.save_table`.

    Raises
    ------
    ParameterError
        For an unknown scheme or a negative `n`.

    Notes
    -----
    The coder writes 1 (frame present) or 0 (absent) in every frame column of a sentence
    they code; rows left wholly blank count as not coded. Hide the ``predicted`` column
    while coding, or the coder is anchored by it. A simple random sample estimates the
    dictionary's precision and recall over the whole corpus; most sentences carry no
    frame, so rare frames need large samples (or oversampling, which then must be
    weighted back). The unit is the sentence; Semetko & Valkenburg coded whole stories.
    Cost: O(sentences + hits).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "article_id": ["a", "a"],
    ...     "outlet": ["X", "X"], "start": [0, 20],
    ...     "sentence_text": ["Sanctions hurt them.", "Both sides refused."]})
    >>> sheet = coding_sheet(s, find_cues(s), n=0)
    >>> sheet.columns.tolist()[3:6], sheet.predicted.tolist()
    (['predicted', 'coder_conflict', 'coder_human_interest'], ['economic', 'conflict'])
    """
    frames = frames_of(load_lexicon() if lexicon is None else lexicon)
    frames = frames[(frames[SCHEME] == scheme) & frames["has_cues"]]
    if not len(frames):
        raise ParameterError(f"scheme: {scheme!r} has no frames with cues in the lexicon")
    if not isinstance(n, int) or n < 0:
        raise ParameterError(f"n: {n!r}; use an integer >= 0 (0 = all sentences)")
    S.check_columns(sentences, [S.SENTENCE_ID, S.OUTLET, S.SENTENCE_TEXT], table="sentences")
    S.check_columns(hits, [S.SENTENCE_ID, SCHEME, FRAME], table="hits")
    picked = sentences
    if 0 < n < len(sentences):
        idx = np.sort(np.random.default_rng(seed).choice(len(sentences), size=n, replace=False))
        picked = sentences.iloc[idx]
    names = frames[FRAME].tolist()
    mine = hits[hits[SCHEME] == scheme]
    have = mine.groupby(S.SENTENCE_ID)[FRAME].agg(set).to_dict()
    sheet = pd.DataFrame({
        S.SENTENCE_ID: picked[S.SENTENCE_ID].to_numpy(), S.OUTLET: picked[S.OUTLET].to_numpy(),
        S.SENTENCE_TEXT: picked[S.SENTENCE_TEXT].to_numpy(),
        PREDICTED: ["; ".join(f for f in names if f in have.get(sid, ())) for sid in picked[S.SENTENCE_ID]]})
    for f in names:
        sheet[CODER_PREFIX + f] = ""
    return sheet


def _coder_value(value, row: int, column: str) -> float:
    text = "" if pd.isna(value) else str(value).strip().lower()
    if text in _YES:
        return 1.0
    if text in _NO:
        return 0.0 if text else np.nan
    raise SchemaError(f"coding sheet row {row + 1}, column {column!r}: {value!r} is not 1/0 "
                      "(also accepted: x, yes/no, y/n, true/false, or blank)")


def _alpha(pred: np.ndarray, coder: np.ndarray) -> float:
    import krippendorff

    if len(np.unique(np.concatenate([pred, coder]))) < 2:
        return np.nan  # no variation: alpha is undefined
    return float(krippendorff.alpha(reliability_data=np.vstack([pred, coder]),
                                    level_of_measurement="nominal"))


def coding_agreement(sheet: pd.DataFrame) -> pd.DataFrame:
    """Compare a filled coding sheet with the dictionary: one row per frame.

    Parameters
    ----------
    sheet : pandas.DataFrame
        A sheet from :func:`coding_sheet` (e.g. read back with ``pandas.read_csv(...,
        dtype=str, keep_default_na=False)``) with the coder columns filled: 1 for
        present, 0 for absent; rows whose coder cells are all blank are not coded.

    Returns
    -------
    pandas.DataFrame
        One row per frame: ``frame``, ``n`` (coded sentences), ``dictionary`` and
        ``coder`` (sentences each says carry the frame), ``both``, ``precision``
        (both / dictionary), ``recall`` (both / coder), ``alpha`` (Krippendorff's alpha,
        nominal, dictionary vs coder). NaN where undefined (no positives; no variation).

    Raises
    ------
    SchemaError
        If the sheet lacks ``predicted`` or coder columns, no row is coded (every coder
        column blank, e.g. the codes went into columns without the ``coder_`` prefix), a
        coded row leaves a frame blank (named), or a cell is not a recognised 1/0 value.

    Notes
    -----
    Alpha treats the dictionary as a second coder: 1 is perfect agreement, 0 is
    agreement at chance level; values below about 0.667 are usually judged too low to
    rely on (Krippendorff 2004). With few coded sentences or a rare frame, all three
    numbers are very uncertain: read ``n`` and ``coder`` first.
    Cost: O(rows x frames).

    Examples
    --------
    >>> sheet = pd.DataFrame({"predicted": ["conflict", "conflict", "", ""],
    ...                       "coder_conflict": ["1", "0", "0", "0"]})
    >>> coding_agreement(sheet).round(4).values.tolist()
    [['conflict', 4, 2, 1, 1, 0.5, 1.0, 0.5333]]
    """
    coder_cols = [c for c in sheet.columns if str(c).startswith(CODER_PREFIX)]
    if PREDICTED not in sheet.columns or not coder_cols:
        raise SchemaError(f"coding sheet lacks '{PREDICTED}' or '{CODER_PREFIX}<frame>' columns; it has: "
                          + ", ".join(map(repr, sheet.columns)))
    values = np.array([[_coder_value(v, i, c) for v, c in zip(row, coder_cols, strict=True)]
                       for i, row in enumerate(sheet[coder_cols].itertuples(index=False))],
                      dtype=float).reshape(len(sheet), len(coder_cols))
    coded = ~np.isnan(values).all(axis=1)
    if len(sheet) and not coded.any():  # e.g. codes assigned to columns without the prefix: no silent zeros
        ignored = [str(c) for c in sheet.columns if c not in coder_cols and c != PREDICTED]
        raise SchemaError(f"coding sheet: no row is coded: every column {', '.join(coder_cols)} is blank; "
                          f"fill those with 1/0 (other columns are not read: {', '.join(ignored) or 'none'})")
    partial = coded & np.isnan(values).any(axis=1)
    if partial.any():
        row = int(np.flatnonzero(partial)[0])
        blank = [c for c, v in zip(coder_cols, values[row], strict=True) if np.isnan(v)]
        raise SchemaError(f"coding sheet row {row + 1}: some frame columns are blank ({', '.join(blank)}); "
                          "write 0 for absent (a wholly blank row counts as not coded)")
    predicted = [set(filter(None, (p.strip() for p in str(v).split(";")))) if not pd.isna(v) else set()
                 for v in sheet[PREDICTED]]
    rows = []
    for j, col in enumerate(coder_cols):
        frame = col[len(CODER_PREFIX):]
        pred = np.array([frame in p for p, c in zip(predicted, coded, strict=True) if c], dtype=float)
        human = values[coded, j]
        both = int(((pred == 1) & (human == 1)).sum())
        n_pred, n_human = int(pred.sum()), int(human.sum())
        rows.append((frame, int(coded.sum()), n_pred, n_human, both,
                     both / n_pred if n_pred else np.nan, both / n_human if n_human else np.nan,
                     _alpha(pred, human)))
    return pd.DataFrame(rows, columns=[FRAME, S.N, "dictionary", "coder", "both", "precision", "recall",
                                       "alpha"])
