"""Compare the words outlets choose for the same thing: concept files and discovered pairs.

A *concept file* (YAML) maps each concept to the competing labels outlets use for it::

    concepts:
      maduro_removal:
        description: The US action that removed Nicolás Maduro
        labels:
          abduction: [abduct*]            # a label and the cues that count as it
          capture: [captur*]
          raid: [raid, raids]
        exclude: [special operations]     # phrases that look like a label but are not

A label may also be given as a plain list (``labels: [abducted, captured]``), each entry
its own label. Cues follow the frame-lexicon syntax (:mod:`analysis.frames`): words,
``stem*`` and phrases, accent- and case-insensitive, leftmost-longest within one concept,
so a span is counted once. An ``exclude`` phrase consumes its span without being counted.

:func:`find_labels` returns every label hit (traceable with :func:`analysis.frames.trace`
or :func:`analysis.kwic.kwic`); :func:`label_table` gives the outlet x concept x label
counts, zeros included. Without a concept file, :func:`align_sentences` pairs near-
identical sentences of different outlets (TF-IDF cosine) and
:func:`substitutions` / :func:`candidate_labels` list the words one outlet replaced with
another's, as candidate label pairs for a concept file.

The package is split by concern; every name is importable from ``analysis.labels``:
:mod:`~analysis.labels.concepts` (concept files, :func:`find_labels`, :func:`label_table`)
:mod:`~analysis.labels.align` (:func:`align_sentences`: sentences of different outlets that say
the same thing), :mod:`~analysis.labels.discovery` (:func:`substitutions`,
:func:`candidate_labels`, :func:`label_discovery_summary`) and :mod:`~analysis.labels.screens`
(why a substitution is not a label pair: :func:`word_kind` and the screens behind ``reason``).
"""

from __future__ import annotations

from analysis.labels.align import _WORD, _analyzer, _close_pairs  # noqa: F401
from analysis.labels.concepts import *  # noqa: F403
from analysis.labels.concepts import _YAML_CONCEPT, _concept_rows  # noqa: F401
from analysis.labels.concepts import __all__ as _concepts
from analysis.labels.discovery import *  # noqa: F403
from analysis.labels.discovery import __all__ as _discovery
from analysis.labels.discovery import (  # noqa: F401
                                       _pair_subs,
                                       _tokens,
                                       _trim,
)
from analysis.labels.model import *  # noqa: F403
from analysis.labels.model import __all__ as _model
from analysis.labels.screens import *  # noqa: F403
from analysis.labels.screens import (  # noqa: F401
                                       _ADJ,
                                       _CAPTION,
                                       _FILLER,
                                       _REPORTING,
                                       _TIME,
                                       _inflection,
                                       _verdict,
)
from analysis.labels.screens import __all__ as _screens

__all__ = [*_concepts, *_discovery, *_screens, *_model]
