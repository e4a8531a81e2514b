"""Column names and thresholds of the sentiment tables, defined once."""

from __future__ import annotations

from analysis import schema as S

# --- columns --------------------------------------------------------------------------
NEG, NEU, POS, COMPOUND = "neg", "neu", "pos", "compound"  # VADER's own names
N_OUTLETS = "n_outlets"  # outlets in a group (group_by): the bootstrap's first-stage clusters
SCORE_COLUMNS = (NEG, NEU, POS, COMPOUND)
SENTENCE_SCORE_COLUMNS = (S.ARTICLE_ID, S.OUTLET, S.SENTENCE_ID, S.SENTENCE, *SCORE_COLUMNS,
                          S.QUOTED, S.SENTENCE_TEXT)
MEAN_COMPOUND = "mean_compound"  # mean of sentence compound scores
SHARE_POS = "share_pos"  # share of units with compound >= POS_THRESHOLD
SHARE_NEG = "share_neg"  # share of units with compound <= NEG_THRESHOLD
N_ARTICLES = "n_articles"
N_SENTENCES = "n_sentences"
N_MENTIONS = "n_mentions"
N_UNITS = "n_units"  # sentences (unit="sentence") or mention windows (unit="window")
UNIT_TEXT = "unit_text"  # the text that was scored for an entity unit
VOICE = "voice"  # "narration", "mixed" or "quoted"
WORD = "word"
VALENCE = "valence"  # a lexicon word's valence in a sentence, after VADER's rules
LEXICON_VALENCE = "lexicon_valence"  # the word's valence in the lexicon (context-free)

# Hutto's recommended cut-offs for a positive / negative compound score
# (vaderSentiment README, "About the Scoring").
POS_THRESHOLD = 0.05
NEG_THRESHOLD = -0.05
DEFAULT_WINDOW = 10  # words each side of a mention in the "window" unit
UNITS = ("sentence", "window")
# Sentence-table "quoted" value -> voice: wholly quoted speech, narration, or both.
VOICES = {"none": "narration", "partial": "mixed", "whole": "quoted"}
