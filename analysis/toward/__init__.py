"""Score the sentiment of a sentence toward each person it names, learned from NewsMTSC.

VADER scores a sentence, not the people in it: "Díaz-Canel rejected Trump's threats" is
negative for both men. :func:`toward` gives each *mention* its own polarity (negative,
neutral, positive) from a logistic regression trained on NewsMTSC (Hamborg & Donnay,
"NewsMTSC: A Dataset for (Multi-)Target-dependent Sentiment Classification in Political
News Articles", EACL 2021; MIT licence), whose annotators rated how each sentence portrays
each named target. :func:`toward_by_outlet` averages the scores per outlet and person with
bootstrap intervals.

The features (:func:`mention_features`) are the sentence's words (Porter stems) and word
pairs with the target masked (other mentions masked apart), the words just before and after
the target and in its clause, flags for quotation, reporting verbs and sentence position,
and VADER's per-word valences by side of and distance from the target (VADER run once per
sentence, exactly NLTK's rules).
The fitted vocabulary, idf weights and coefficients ship as JSON
(``resource_files/toward_model.json``, written by ``python -m analysis.train_toward``);
inference here is numpy only, and the model is read on first use, not at import.

Modules: :mod:`~analysis.toward.features` (a mention's features, as strings for training
and as model columns, mention by mention: the reference), :mod:`~analysis.toward.batch`
(the same model columns for a batch of mentions with numpy: scoring's path, tested equal),
:mod:`~analysis.toward.model` (the fitted model and its numpy inference),
:mod:`~analysis.toward.score` (:func:`toward`, a per-article step, and
:func:`toward_by_outlet`, its combining step).
"""

from analysis.toward.features import FEATURE_VERSION, N_NUMERIC, OTHER, TARGET, mention_features
from analysis.toward.features import _features_table as _features_table  # training's input (train_toward)
from analysis.toward.model import CLASSES, MODEL_FILE, TowardModel, load_model
from analysis.toward.score import (
    BATCH_MENTIONS,
    BY_OUTLET_COLUMNS,
    MEAN_SCORE,
    N_ARTICLES,
    N_MENTIONS,
    P_NEGATIVE,
    P_NEUTRAL,
    P_POSITIVE,
    POLARITY,
    SCORE,
    SHARE_NEG,
    SHARE_POS,
    SUMMARY_INPUTS,
    TOWARD_COLUMNS,
    TOWARD_INPUTS,
    toward,
    toward_by_outlet,
)

__all__ = [
    "BATCH_MENTIONS", "BY_OUTLET_COLUMNS", "CLASSES", "FEATURE_VERSION", "MEAN_SCORE", "MODEL_FILE", "N_ARTICLES",
    "N_MENTIONS", "N_NUMERIC", "OTHER", "P_NEGATIVE", "P_NEUTRAL", "P_POSITIVE", "POLARITY", "SCORE", "SHARE_NEG",
    "SHARE_POS", "SUMMARY_INPUTS", "TARGET", "TOWARD_COLUMNS", "TOWARD_INPUTS", "TowardModel", "load_model",
    "mention_features", "toward", "toward_by_outlet",
]
