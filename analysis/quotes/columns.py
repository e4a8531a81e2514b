"""Column names of the quotes and quotation-problems tables, and the unattributed speaker."""

from __future__ import annotations

from analysis import schema as S
from analysis.entities.aliases import ALIAS_KIND, ENTITY, ENTITY_TYPE

# --- columns of the quotes table (tables/quotes.csv) -----------------------------------------
QUOTE_ID = "quote_id"  # "<article_id>/q<k>" (k counts from 0 in text order; headline first)
SPEAKER = "speaker"  # canonical entity name, an unlisted name as written, or UNATTRIBUTED
VERB = "verb"  # reporting verb as a lemma ("say", "claim", "according to"), "" if none
VERB_CLASS = "verb_class"  # "neutral", "loaded" or "none"
QUOTE = "quote"  # the quoted words, without the outer marks (paragraph breaks -> one space)
N_WORDS = "n_words"  # words in the quotation
START_CHAR = "start_char"  # offset of the opening mark in articles.text (or headline)
END_CHAR = "end_char"  # offset one past the closing mark
LOCATION = "location"  # "text" or "headline" (offsets then point into articles.headline)
SPEAKER_TYPE = "speaker_type"  # "person", "organization", "place", "unknown" or "none"
SPEAKER_KIND = "speaker_kind"  # how the speaker was named: name/surname/role/pronoun/generic/unlisted/none
SPEAKER_SURFACE = "speaker_surface"  # the words that named the speaker here ("he", "the agency")
CUE = "cue"  # which rule attributed it: before, after, according, clause, same-sentence, continuation, none
GROUP = "group"  # quote_id of the first piece of a quotation interrupted by attribution
SPEAKER_ROLE = S.SPEAKER_ROLE  # title/role words before the speaker's name here ("Republican strategist"), or ""
QUOTE_COLUMNS = (S.ARTICLE_ID, S.OUTLET, SPEAKER, VERB, VERB_CLASS, QUOTE, N_WORDS, START_CHAR,
                 END_CHAR, QUOTE_ID, LOCATION, SPEAKER_TYPE, SPEAKER_KIND, SPEAKER_SURFACE, CUE,
                 GROUP, SPEAKER_ROLE)
UNATTRIBUTED = "(unattributed)"  # speaker of a quotation no rule could attribute
# the columns of the entity mentions (entities.MENTION_COLUMNS) that extract_quotes reads when they
# are passed as `mentions=`: a page reads only these (entities.entity_mentions(columns=...))
MENTIONS_READ = (S.ARTICLE_ID, S.START, S.END, ENTITY, ENTITY_TYPE, ALIAS_KIND)

# --- columns of the problems table ------------------------------------------------------------
MARK = "mark"  # the offending quotation mark
PROBLEM = "problem"  # "unclosed" or "unopened"
CONTEXT = "context"  # up to 40 characters either side of the mark
PROBLEM_COLUMNS = (S.ARTICLE_ID, S.OUTLET, LOCATION, START_CHAR, MARK, PROBLEM, CONTEXT)
