"""Resolve people, organisations and places in sentences, with or without an alias file.

One package, shared by sentiment, framing and quotes, answers "which sentence mentions whom,
where". An *alias file* (YAML, see :func:`load_aliases`) lists each entity once with every
surface form that refers to it. Without a file, :func:`propose_entities` proposes entities
from capitalised names in the body text, merging accent, case, hyphen, initial, title and
surname-only variants into the full name, and guessing each one's type (person,
organisation, place); :func:`write_aliases` writes proposals as an alias file to edit
(``newsframes propose-entities``). :func:`find_mentions` finds every mention in a sentence
table, with character offsets into ``articles.text`` (:func:`entity_mentions`: once per
selection of a prepared corpus, for every notebook); :func:`score_proposals` measures
proposals against hand-labelled articles (:func:`score_articles` on the stored held-out
articles, :func:`score_dev_corpora` on the development corpora).

Modules: :mod:`~analysis.entities.aliases` (alias files), :mod:`~analysis.entities.candidates`
(names read from each sentence), :mod:`~analysis.entities.propose` (variants merged, names
typed), :mod:`~analysis.entities.mentions` (matching), :mod:`~analysis.entities.evaluate`
(scores against labelled data).
"""

from analysis.entities.aliases import (
                                       ALIAS,
                                       ALIAS_COLUMNS,
                                       ALIAS_KIND,
                                       COUNT,
                                       ENTITY,
                                       ENTITY_TYPE,
                                       KINDS,
                                       MENTION_COLUMNS,
                                       MENTION_INPUTS,
                                       SHIPPED_ALIASES,
                                       SURFACE,
                                       TITLE,
                                       TYPES,
                                       AliasError,
                                       aliases_for,
                                       aliases_yaml,
                                       load_aliases,
                                       write_aliases,
)
from analysis.entities.evaluate import load_gold, score_articles, score_dev_corpora, score_proposals
from analysis.entities.mentions import find_mentions
from analysis.entities.propose import propose_entities
from analysis.entities.resolve import entity_aliases, entity_mentions

__all__ = ["ALIAS", "ALIAS_COLUMNS", "ALIAS_KIND", "COUNT", "ENTITY", "ENTITY_TYPE", "KINDS", "MENTION_COLUMNS",
           "MENTION_INPUTS",
           "SHIPPED_ALIASES", "SURFACE", "TITLE", "TYPES", "AliasError", "aliases_for", "aliases_yaml",
           "entity_aliases", "entity_mentions", "find_mentions", "load_aliases", "load_gold", "propose_entities",
           "score_articles", "score_dev_corpora", "score_proposals", "write_aliases"]
