"""Score generic news frames with editable cue lexicons, and validate them by hand coding.

A *frame lexicon* (YAML, see :func:`load_lexicon`) lists, for each frame of a scheme, the
cues that signal it: whole words (``crisis``), stems (``sanction*``) and phrases
(``make a deal``, ``human right*``). Two lexicons ship with the package: Semetko &
Valkenburg's (2000) five generic news frames and the 15 dimensions of the Policy Frames
Codebook (Boydstun et al. 2014); both cite their sources in comments.

:func:`find_cues` returns every cue hit with its sentence and character offsets (pass the
hits to :func:`analysis.kwic.kwic` to read each one in context); :func:`frame_profile`
turns hits into cue hits per 1,000 words and the share of sentences carrying each frame,
with cluster-bootstrap intervals, per outlet or per article. :func:`coding_sheet` exports
sentences for a human coder and :func:`coding_agreement` compares the filled sheet with
the dictionary (precision, recall, Krippendorff's alpha).

Matching rules, shared with :mod:`analysis.labels`: accent- and case-insensitive (via
:func:`analysis.clean.fold_for_matching`, one character for one character, so offsets stay
valid); whole words only; a punctuation mark between two words of a phrase counts as the
one separator ("U.S." matches ``u.s.`` and ``u s``; "deal-making" matches ``deal making``);
within one scheme, overlapping cues are never double-counted: the leftmost match wins, and
of two starting at the same place the longer one. Matching uses an Aho-Corasick automaton
(pyahocorasick), so its cost grows with the text, not with the number of cues.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.corpus import read_yaml
from analysis.errors import ParameterError, ResourceError, SchemaError
from analysis.params import ENTITIES_FILE, Param

# --- columns -----------------------------------------------------------------------------
SCHEME = "scheme"  # frame scheme id ("semetko_valkenburg", "policy_frames")
FRAME = "frame"  # frame id within the scheme ("conflict", "human_interest")
LABEL = "label"  # human-readable frame name ("Human interest")
CUE = "cue"  # the lexicon entry as written ("sanction*")
CUE_KIND = "cue_kind"  # "word", "stem" or "phrase"
SOURCE_FILE = "source_file"  # lexicon file the cue came from
SURFACE = "surface"  # the matched text exactly as written
HITS = "hits"  # number of cue hits
WORDS = "words"  # words in the unit (analysis.tokens.word_counts)
PER_1K = "per_1k"  # cue hits per 1,000 words
SHARE_SENTENCES = "share_sentences"  # share of sentences with >= 1 cue of the frame
SENTENCES = "sentences"  # sentences in the unit
SENTENCES_WITH_FRAME = "sentences_with_frame"  # sentences with >= 1 cue of the frame
ARTICLES = "articles"  # articles in the unit
PREDICTED = "predicted"  # coding sheet: frames the dictionary found, "; "-separated
CODER_PREFIX = "coder_"  # coding sheet: one empty column per frame, "coder_<frame>"

LEXICON_COLUMNS = (SCHEME, FRAME, LABEL, CUE, CUE_KIND, SOURCE_FILE)
HIT_COLUMNS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, SCHEME, FRAME, CUE, SURFACE, S.START, S.END)
PROFILE_COLUMNS = (S.OUTLET, SCHEME, FRAME, HITS, PER_1K, SHARE_SENTENCES, S.CI_LOW, S.CI_HIGH,
                   WORDS, SENTENCES, SENTENCES_WITH_FRAME, ARTICLES)

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
SEMETKO_VALKENBURG = LEXICON_DIR / "frames_semetko_valkenburg.yaml"  # 5 generic frames (2000)
POLICY_FRAMES = LEXICON_DIR / "frames_policy_boydstun.yaml"  # Boydstun et al. (2014), 15 dims
BUILTIN_LEXICONS = (SEMETKO_VALKENBURG, POLICY_FRAMES)

PER_WORDS = 1000  # rates are per 1,000 words
_NONWORD = re.compile(r"[^\w ]")  # every non-word character is a separator (one for one)
_SEP = "  "  # between texts: two spaces, which no cue key contains, so no match crosses
_YAML_TOP = {"scheme", "source", "frames"}
_YAML_FRAME = {"label", "questions", "definition", "cues"}

# Parameters of notebooks/30_framing.ipynb beyond analysis.params.COMMON.
PARAMETERS: dict[str, Param] = {
    "frames_files": Param(list, "frame lexicon YAML files; [] uses the two shipped lexicons",
                          item_type=str),
    "concepts_file": Param(str, "concept/label YAML file; 'auto' looks for concepts.yaml in "
                                "the corpus folder (or the shipped one for data/raw); '' none"),
    "entities_file": ENTITIES_FILE,
    "n_boot": Param(int, "bootstrap replicates for intervals", min=100, max=100_000),
    "seed": Param(int, "random seed (bootstrap, coding-sheet sample)", min=0),
    "coding_sample": Param(int, "sentences in the exported coding sheet; 0 = all", min=0),
}


# ------------------------------------------------------------------------------ cue syntax
def cue_key(cue: str) -> tuple[str, bool]:
    """Return the matching key of a cue and whether it is a stem.

    Parameters
    ----------
    cue : str
        A lexicon entry: a word, a stem ending in ``*``, or a phrase.

    Returns
    -------
    (str, bool)
        The folded key (accents and case folded, every non-word character a space, spaces
        collapsed) and True when the entry ended in ``*``.

    Raises
    ------
    ParameterError
        For an empty entry or a ``*`` anywhere but at the end.

    Examples
    --------
    >>> cue_key("Sanction*")
    ('sanction', True)
    >>> cue_key("  U.S.  Díaz-Canel ")
    ('u s diaz canel', False)
    """
    text = str(cue).strip()
    stem = text.endswith("*")
    body = text[:-1] if stem else text
    if "*" in body:
        raise ParameterError(f"cue {cue!r}: '*' is only allowed at the end (a stem)")
    key = " ".join(_NONWORD.sub(" ", fold_for_matching(body)).split())
    if not key:
        raise ParameterError(f"cue {cue!r}: empty after removing punctuation")
    return key, stem


def cue_kind(cue: str) -> str:
    """Return "phrase", "stem" or "word" for a lexicon entry.

    Examples
    --------
    >>> [cue_kind(c) for c in ["war", "sanction*", "make a deal", "human right*"]]
    ['word', 'stem', 'phrase', 'phrase']
    """
    key, stem = cue_key(cue)
    return "phrase" if " " in key else "stem" if stem else "word"


def match_text(text: str) -> str:
    """Return `text` as the matcher sees it: folded, every non-word character a space.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Same length as `text` (offsets stay valid).

    Notes
    -----
    Pure-ASCII text is only lower-cased: for it, :func:`analysis.clean.fold_for_matching`
    differs from ``str.lower`` only on characters that become spaces anyway (a backtick),
    and skipping the folding table makes matching several times faster.

    Examples
    --------
    >>> match_text("Díaz-Canel’s “make a deal”")
    'diaz canel s  make a deal '
    """
    folded = text.lower() if text.isascii() else fold_for_matching(text)
    return _NONWORD.sub(" ", folded)


class CueMatcher:
    """Find cues in texts: whole words, leftmost-longest, never overlapping.

    Parameters
    ----------
    cues : sequence of str
        Lexicon entries (see :func:`cue_key`). Results refer to them by position.

    Examples
    --------
    >>> m = CueMatcher(["deal", "make a deal", "sanction*"])
    >>> m.find(["They must make a deal.", "New sanctions, no deal"])
    [(0, 10, 21, 1), (1, 4, 13, 2), (1, 18, 22, 0)]
    """

    def __init__(self, cues: Sequence[str]):
        import ahocorasick

        self.cues = [str(c) for c in cues]
        keys: dict[str, list[int]] = {}  # key -> [word cue index, stem cue index], -1 if none
        for i, cue in enumerate(self.cues):
            key, stem = cue_key(cue)
            slot = keys.setdefault(" " + key, [-1, -1])
            if slot[stem] < 0:  # the first of two identical entries wins
                slot[stem] = i
        self._auto = ahocorasick.Automaton()
        for kid, key in enumerate(keys):
            self._auto.add_word(key, kid)
        self._length = np.array([len(k) for k in keys], dtype=np.int64)
        self._entry = np.array(list(keys.values()), dtype=np.int64).reshape(-1, 2)
        if keys:
            self._auto.make_automaton()

    def find(self, texts: Iterable[str]) -> list[tuple[int, int, int, int]]:
        """Return ``(text index, start, end, cue index)`` for every match, in text order.

        A word or phrase matches when a non-word character (or the text's edge) lies on
        both sides; a stem extends to the end of the word. Of overlapping candidates the
        leftmost wins, then the longest, then a word over a stem of the same span.
        """
        texts = [str(t) for t in texts]
        if not texts or not len(self._length):
            return []
        joined = " " + _SEP.join(match_text(t) for t in texts) + " "
        found = np.array(list(self._auto.iter(joined)), dtype=np.int64).reshape(-1, 2)
        if not len(found):
            return []
        chars = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8)  # 1 byte/char
        spaces = np.flatnonzero(chars == 32)
        last, kid = found[:, 0], found[:, 1]
        begin, end = last - self._length[kid] + 2, last + 1
        word, stem = self._entry[kid, 0], self._entry[kid, 1]
        is_word = (word >= 0) & (chars[end] == 32)
        is_stem = stem >= 0
        stem_end = spaces[np.searchsorted(spaces, end[is_stem])]
        cand = np.concatenate([
            np.stack([begin[is_word], end[is_word], np.zeros(is_word.sum(), np.int64), word[is_word]], 1),
            np.stack([begin[is_stem], stem_end, np.ones(is_stem.sum(), np.int64), stem[is_stem]], 1)])
        cand = cand[np.lexsort((cand[:, 3], cand[:, 2], -cand[:, 1], cand[:, 0]))]
        cand = cand[_non_overlapping(cand[:, 0], cand[:, 1])]
        lengths = np.fromiter((len(t) + len(_SEP) for t in texts), dtype=np.int64, count=len(texts))
        starts = np.concatenate([[1], 1 + np.cumsum(lengths)[:-1]])
        which = np.searchsorted(starts, cand[:, 0], side="right") - 1
        local = cand[:, :2] - starts[which][:, None]
        return list(zip(which.tolist(), local[:, 0].tolist(), local[:, 1].tolist(),
                        cand[:, 3].tolist(), strict=True))


def _non_overlapping(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Return the mask of spans a greedy left-to-right pass keeps (none overlapping).

    Spans must be sorted by begin, then by preference (longest first). A span that no
    earlier span reaches is certainly kept, and resets the pass; that part is vectorised.
    Only spans reached by an earlier one (rare in text) are decided one by one, each from
    the end of the last kept span of its run.
    """
    if not len(begin):
        return np.zeros(0, dtype=bool)
    reach_all = np.concatenate([[np.iinfo(np.int64).min], np.maximum.accumulate(end)[:-1]])
    keep = begin >= reach_all
    run_start = np.flatnonzero(keep)
    run_of = np.cumsum(keep) - 1
    begins, ends, runs = begin.tolist(), end.tolist(), run_of.tolist()
    current, reach = -1, 0
    for i in np.flatnonzero(~keep).tolist():
        if runs[i] != current:
            current, reach = runs[i], ends[run_start[runs[i]]]
        if begins[i] >= reach:
            keep[i] = True
            reach = ends[i]
    return keep


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
    parts = []
    for scheme, lex in lexicon.dropna(subset=[CUE]).groupby(SCHEME, sort=False):
        cues, frame_of = lex[CUE].tolist(), lex[FRAME].tolist()
        found = CueMatcher(cues).find(texts)
        if not found:
            continue
        arr = np.array(found, dtype=np.int64).reshape(-1, 4)
        rows = sentences.iloc[arr[:, 0]]
        parts.append(pd.DataFrame({
            S.SENTENCE_ID: rows[S.SENTENCE_ID].to_numpy(), S.ARTICLE_ID: rows[S.ARTICLE_ID].to_numpy(),
            S.OUTLET: rows[S.OUTLET].to_numpy(), SCHEME: scheme,
            FRAME: [frame_of[i] for i in arr[:, 3]], CUE: [cues[i] for i in arr[:, 3]],
            SURFACE: [texts[t][a:b] for t, a, b in arr[:, :3]],
            S.START: offsets[arr[:, 0]] + arr[:, 1], S.END: offsets[arr[:, 0]] + arr[:, 2]}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in (S.START, S.END) else "str")
                             for c in HIT_COLUMNS})
    return pd.concat(parts, ignore_index=True)


# -------------------------------------------------------------------------------- scores
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
    interval is for ``share_sentences`` only. With one article per outlet the interval
    reflects sentence-to-sentence variation within that article, not how the outlet's
    other articles would differ. A frame with no cues (the residual "other") gets NaN
    scores, not zeros. Range: ``per_1k`` >= 0, ``share_sentences`` in [0, 1].

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
    from analysis.stats import bootstrap_means

    keys = _unit_keys(by)
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.SENTENCE_TEXT], table="sentences")
    S.check_columns(hits, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, SCHEME, FRAME], table="hits")
    frames = frames_of(load_lexicon() if lexicon is None else lexicon)
    order = {(sc, fr): i for i, (sc, fr) in enumerate(zip(frames[SCHEME], frames[FRAME], strict=True))}
    if not len(sentences):
        return pd.DataFrame(columns=[*keys, *PROFILE_COLUMNS[1:]])
    sent = sentences[[S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET]]
    carry = hits[[S.SENTENCE_ID, SCHEME, FRAME]].drop_duplicates().assign(_carry=1.0)
    grid = sent.merge(frames[[SCHEME, FRAME]], how="cross").merge(carry, how="left",
                                                                  on=[S.SENTENCE_ID, SCHEME, FRAME])
    grid["_carry"] = grid["_carry"].fillna(0.0)
    group = [*keys, SCHEME, FRAME]
    out = bootstrap_means(grid, value="_carry", group=group, cluster=S.ARTICLE_ID if by == "outlet" else None,
                          n_boot=n_boot, seed=seed, level=level)
    counts = hits.groupby(group, sort=False).size().rename(HITS).reset_index()
    out = out.merge(counts, how="left", on=group).merge(_words_per_unit(sentences, words, keys),
                                                        how="left", on=keys)
    out[HITS] = out[HITS].fillna(0).astype("int64")
    out[WORDS] = out[WORDS].fillna(0).astype("int64")
    out[PER_1K] = np.where(out[WORDS] > 0, out[HITS] * PER_WORDS / out[WORDS].where(out[WORDS] > 0, 1), np.nan)
    out[SENTENCES_WITH_FRAME] = (out["estimate"] * out[S.N]).round().astype("int64")
    out = out.rename(columns={"estimate": SHARE_SENTENCES, S.N: SENTENCES, "n_clusters": ARTICLES})
    has_cues = frames.set_index([SCHEME, FRAME])["has_cues"].astype(bool)
    no_cues = ~pd.MultiIndex.from_arrays([out[SCHEME], out[FRAME]]).map(has_cues).to_numpy(dtype=bool)
    out.loc[no_cues, [PER_1K, SHARE_SENTENCES, S.CI_LOW, S.CI_HIGH]] = np.nan
    out["_order"] = [order[(a, b)] for a, b in zip(out[SCHEME], out[FRAME], strict=True)]
    out = out.sort_values([*keys, "_order"], kind="stable").reset_index(drop=True)
    return out[[*keys, *PROFILE_COLUMNS[1:]]]


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
        If the sheet lacks ``predicted`` or coder columns, a coded row leaves a frame
        blank, or a cell is not a recognised 1/0 value.

    Notes
    -----
    Alpha treats the dictionary as a second coder: 1 is perfect agreement, 0 is
    agreement at chance level; values below about 0.667 are usually judged too low to
    rely on (Krippendorff 2004). With few coded sentences or a rare frame, all three
    numbers are very uncertain: read ``n`` and ``coder`` first.

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
    partial = coded & np.isnan(values).any(axis=1)
    if partial.any():
        row = int(np.flatnonzero(partial)[0])
        raise SchemaError(f"coding sheet row {row + 1}: some frame columns are blank; write 0 for "
                          "absent (a wholly blank row counts as not coded)")
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
