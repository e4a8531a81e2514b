"""Extract direct quotations, attribute them to speakers, and measure who gets a voice.

Three steps, each a function on tidy tables:

1. :func:`analysis.sentences.scan_quotes` finds quotation spans in one text: curly and straight double quotes,
   doubled single quotes (``''like this''``), guillemets, top-level single quotes (British
   style and headlines), single quotes nested inside double ones (kept inside), quotations
   that run over several sentences or paragraphs (the paragraph convention: no closing mark
   at the end of the paragraph, an opening mark at the start of the next). Unbalanced marks
   are reported as problems and skipped; an unclosed mark never swallows more than its own
   paragraph, and scanning resumes right after it.
2. :func:`extract_quotes` attributes every quotation to a speaker, merged through
   :mod:`analysis.entities` (one implementation of "who is who"): "X said", "said X",
   "X wrote:", "X told reporters", "according to X", "X posted on ...", a clause naming X
   before a colon or comma, pronouns and roles ("he added", "the agency added") resolved to
   the most recent compatible speaker, institutional speakers. It records the reporting
   verb (as a lemma) and its class, neutral or loaded (:data:`VERB_CLASSES`).
3. :func:`voice_share`, :func:`verb_profile`, :func:`quote_coverage` and
   :func:`link_quotes` summarise per outlet and link one quotation across outlets (who
   quoted it, who paraphrased it).
"""

from __future__ import annotations

from analysis.params import ENTITIES_FILE, Param
from analysis.quotes.columns import (
    CONTEXT,
    CUE,
    END_CHAR,
    GROUP,
    LOCATION,
    MARK,
    MENTIONS_READ,
    N_WORDS,
    PROBLEM,
    PROBLEM_COLUMNS,
    QUOTE,
    QUOTE_COLUMNS,
    QUOTE_ID,
    SPEAKER,
    SPEAKER_KIND,
    SPEAKER_ROLE,
    SPEAKER_SURFACE,
    SPEAKER_TYPE,
    START_CHAR,
    UNATTRIBUTED,
    VERB,
    VERB_CLASS,
)
from analysis.quotes.extract import extract_quotes, quote_problems
from analysis.quotes.link import (
    LINK_COLUMNS,
    LINK_ID,
    MAX_LENGTH_RATIO,
    MIN_LINK_WORDS,
    SIMILARITY,
    STATUS,
    link_quotes,
)
from analysis.quotes.summary import (
    ARTICLE_WORDS,
    N_ARTICLES,
    N_QUOTES,
    OUTLET_WORDS,
    QUOTED_SHARE,
    QUOTED_WORDS,
    VOICE_COLUMNS,
    VOICE_SHARE,
    quote_coverage,
    verb_profile,
    voice_share,
)
from analysis.quotes.verbs import LOADED_VERBS, NEUTRAL_VERBS, VERB_CLASSES
from analysis.sentences import scan_quotes

# Parameters of notebooks/40_voices_reuse.ipynb (besides params.COMMON).
PARAMETERS: dict[str, Param] = {
    "entities_file": ENTITIES_FILE,
    "ngram": Param(int, "words per shingle: shared passages are at least this long", min=2, max=20),
    "similarity": Param((int, float), "minimum similarity (difflib ratio of words) of aligned sentences",
                        min=0.05, max=1.0),
    "min_shared": Param(int, "distinct shared shingles an article pair needs to be compared", min=1),
    "max_df": Param(int, "shingles found in more articles than this are boilerplate", min=2),
    "window_days": Param(int, "days apart beyond which two dated articles are not compared for reuse; 0: no limit",
                         min=0),
    "link_threshold": Param((int, float), "word overlap linking one quotation across outlets", min=0.05,
                            max=1.0),
    "top_speakers": Param(int, "speakers shown by name in the figures", min=1, max=20),
    "fact_units": Param(list, "units shown in the fact matrix; [] shows all", item_type=str),
}

__all__ = [
    "PARAMETERS",
    "ARTICLE_WORDS",
    "CONTEXT",
    "CUE",
    "END_CHAR",
    "GROUP",
    "LINK_COLUMNS",
    "LINK_ID",
    "LOADED_VERBS",
    "LOCATION",
    "MARK",
    "MENTIONS_READ",
    "MAX_LENGTH_RATIO",
    "MIN_LINK_WORDS",
    "NEUTRAL_VERBS",
    "N_ARTICLES",
    "N_QUOTES",
    "N_WORDS",
    "OUTLET_WORDS",
    "PROBLEM",
    "PROBLEM_COLUMNS",
    "QUOTE",
    "QUOTED_SHARE",
    "QUOTED_WORDS",
    "QUOTE_COLUMNS",
    "QUOTE_ID",
    "SIMILARITY",
    "SPEAKER",
    "SPEAKER_KIND",
    "SPEAKER_ROLE",
    "SPEAKER_SURFACE",
    "SPEAKER_TYPE",
    "START_CHAR",
    "STATUS",
    "UNATTRIBUTED",
    "VERB",
    "VERB_CLASS",
    "VERB_CLASSES",
    "VOICE_COLUMNS",
    "VOICE_SHARE",
    "extract_quotes",
    "link_quotes",
    "quote_coverage",
    "quote_problems",
    "scan_quotes",
    "verb_profile",
    "voice_share",
]
