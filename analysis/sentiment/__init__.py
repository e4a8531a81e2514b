"""Score sentiment with NLTK's VADER at sentence, article and outlet level, with intervals.

Every number traces back to sentences: :func:`score_sentences` gives each sentence NLTK's
own ``polarity_scores`` (neg, neu, pos, compound), unchanged; articles and outlets are
explicit aggregates of those sentence scores (:func:`article_sentiment`,
:func:`outlet_sentiment`), outlets with two-stage bootstrap intervals and pairwise
differences (:func:`outlet_differences`). :func:`entity_scores` and
:func:`entity_sentiment` give the sentiment of the sentences (or word windows) that mention
each person or organisation (found by :mod:`analysis.entities`); :func:`voice_sentiment`
splits quoted speech from narration; :func:`extreme_sentences` and
:func:`word_contributions` are the evidence a reader needs to audit the scores; users can
override lexicon entries (:func:`load_overrides`, recorded by :func:`overrides_table`).

VADER (Hutto & Gilbert 2014) was built for short social-media text: its lexicon rates
words out of context, so in news it reads "United States" as positive ("united" +1.8),
"security forces" as positive and "a critical lifeline" as negative. Read
:func:`word_contributions` before reading a difference between outlets.

Modules: :mod:`~analysis.sentiment.vader` (the analyzer, overrides, sentence scores),
:mod:`~analysis.sentiment.aggregate` (articles, outlets, differences, voices),
:mod:`~analysis.sentiment.people` (entity units and their sentiment, and :func:`toward`, the
tone toward a person), :mod:`~analysis.sentiment.audit` (extreme sentences, word
contributions), :mod:`~analysis.sentiment.columns` (column names). ``analysis.sentiment.X``
names every public function and column. NLTK is imported with this package (VADER is what it
is for), so that the report's kernels load it while the corpus is still being prepared.
"""

from __future__ import annotations

from analysis.params import ENTITIES_FILE, Param
from analysis.sentiment.aggregate import (
                                          MAX_PAIRWISE,
                                          REST,
                                          article_sentiment,
                                          outlet_differences,
                                          outlet_sentiment,
                                          voice_sentiment,
)
from analysis.sentiment.audit import extreme_sentences, word_contributions
from analysis.sentiment.columns import (
                                          COMPOUND,
                                          DEFAULT_WINDOW,
                                          LEXICON_VALENCE,
                                          MEAN_COMPOUND,
                                          N_ARTICLES,
                                          N_MENTIONS,
                                          N_OUTLETS,
                                          N_SENTENCES,
                                          N_UNITS,
                                          NEG,
                                          NEG_THRESHOLD,
                                          NEU,
                                          POS,
                                          POS_THRESHOLD,
                                          SCORE_COLUMNS,
                                          SENTENCE_SCORE_COLUMNS,
                                          SHARE_NEG,
                                          SHARE_POS,
                                          UNIT_TEXT,
                                          UNITS,
                                          VALENCE,
                                          VOICE,
                                          VOICES,
                                          WORD,
)
from analysis.sentiment.people import ENTITY_INPUTS, entity_scores, entity_sentiment, toward
from analysis.sentiment.vader import (
                                          EXAMPLE_OVERRIDES,
                                          analyzer,
                                          load_overrides,
                                          overrides_table,
                                          rescore,
                                          score_sentences,
                                          score_texts,
                                          token_valences,
)

__all__ = [
    "COMPOUND", "DEFAULT_WINDOW", "ENTITY_INPUTS", "EXAMPLE_OVERRIDES", "LEXICON_VALENCE", "MAX_PAIRWISE",
    "MEAN_COMPOUND",
    "N_ARTICLES", "N_MENTIONS", "N_OUTLETS", "N_SENTENCES", "N_UNITS", "NEG", "NEG_THRESHOLD", "NEU",
    "PARAMETERS", "POS", "POS_THRESHOLD", "REST", "SCORE_COLUMNS", "SENTENCE_SCORE_COLUMNS", "SHARE_NEG",
    "SHARE_POS", "UNIT_TEXT", "UNITS", "VALENCE", "VOICE", "VOICES", "WORD", "analyzer", "article_sentiment",
    "entity_scores", "entity_sentiment", "extreme_sentences", "load_overrides", "outlet_differences",
    "outlet_sentiment", "overrides_table", "rescore", "score_sentences", "score_texts", "token_valences", "toward",
    "voice_sentiment", "word_contributions",
]

PARAMETERS: dict[str, Param] = {
    "unit": Param(str, "what an entity's sentiment is measured on", choices=UNITS),
    "window": Param(int, "words each side of a mention when unit='window'", min=1, max=100),
    "entities_file": ENTITIES_FILE,
    "entity_types": Param(list, "entity types to show (person, organization, place, other)",
                          item_type=str),
    "min_mentions": Param(int, "show entities with at least this many mentions", min=1),
    "overrides_file": Param(str, "YAML file of lexicon overrides; 'example' = the shipped news "
                                 "example; '' uses VADER unchanged"),
    "n_boot": Param(int, "bootstrap replicates", min=100, max=100_000),
    "seed": Param(int, "seed of the bootstrap", min=0),
    "n_extreme": Param(int, "most positive/negative sentences shown per outlet", min=1, max=50),
}
