"""Column names and shipped paths of the frames package."""

from __future__ import annotations

from pathlib import Path

from analysis import schema as S

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

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"
SEMETKO_VALKENBURG = LEXICON_DIR / "frames_semetko_valkenburg.yaml"  # 5 generic frames (2000)
POLICY_FRAMES = LEXICON_DIR / "frames_policy_boydstun.yaml"  # Boydstun et al. (2014), 15 dims
BUILTIN_LEXICONS = (SEMETKO_VALKENBURG, POLICY_FRAMES)

PER_WORDS = 1000  # rates are per 1,000 words

__all__ = ["SCHEME", "FRAME", "LABEL", "CUE", "CUE_KIND", "SOURCE_FILE", "SURFACE", "HITS", "WORDS", "PER_1K",
           "SHARE_SENTENCES", "SENTENCES", "SENTENCES_WITH_FRAME", "ARTICLES", "PREDICTED", "CODER_PREFIX",
           "LEXICON_COLUMNS", "HIT_COLUMNS", "PROFILE_COLUMNS", "LEXICON_DIR", "SEMETKO_VALKENBURG",
           "POLICY_FRAMES", "BUILTIN_LEXICONS", "PER_WORDS"]
