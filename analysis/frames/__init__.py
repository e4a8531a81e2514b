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

The package is split by concern, and every name is importable from ``analysis.frames``:
:mod:`~analysis.frames.columns` (column names, shipped lexicon paths),
:mod:`~analysis.frames.matching` (cue syntax, :class:`CueMatcher`, :func:`find_cues`),
:mod:`~analysis.frames.lexicon` (:func:`load_lexicon`, :func:`frames_of`),
:mod:`~analysis.frames.profile` (:func:`frame_profile` and its bootstrap) and
:mod:`~analysis.frames.coding` (:func:`trace`, :func:`coding_sheet`,
:func:`coding_agreement`).
"""

from __future__ import annotations

from analysis.frames.coding import CODER_PREFIX, _alpha, _coder_value, coding_agreement, coding_sheet, trace  # noqa: F401
from analysis.frames.columns import *  # noqa: F403
from analysis.frames.columns import __all__ as _columns
from analysis.frames.lexicon import _check_duplicates, _frame_rows, find_cues, frames_of, load_lexicon  # noqa: F401
from analysis.frames.matching import (  # noqa: F401
    _NONWORD,
    _SEP,
    CueMatcher,
    _non_overlapping,
    cue_key,
    cue_kind,
    match_text,
    prepare_texts,
)
from analysis.frames.profile import _unit_keys, _words_per_unit, binomial_cluster_bootstrap, frame_profile  # noqa: F401
from analysis.params import ENTITIES_FILE, Param

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

__all__ = [*_columns, "CueMatcher", "cue_key", "cue_kind", "match_text", "prepare_texts", "find_cues", "load_lexicon",
           "frames_of",
           "frame_profile", "binomial_cluster_bootstrap", "trace", "coding_sheet", "coding_agreement", "PARAMETERS"]
