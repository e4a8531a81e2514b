"""Find the direct quotations of each article and attribute each to a speaker.

See :func:`extract_quotes` for the rules; :mod:`analysis.quotes.attribute` for the attribution
of one text and :mod:`analysis.quotes.speakers` for how a speaker's name is read from the words
around a reporting verb.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import entities as E
from analysis import schema as S
from analysis.entities import MENTION_INPUTS
from analysis.errors import ParameterError
from analysis.quotes.attribute import attribute_article
from analysis.quotes.columns import (
    END_CHAR,
    MENTIONS_READ,
    N_WORDS,
    PROBLEM_COLUMNS,
    QUOTE_COLUMNS,
    START_CHAR,
    UNATTRIBUTED,
)
from analysis.quotes.context import _WORD_RE
from analysis.quotes.model import Candidate, load_model, quotation_candidates
from analysis.quotes.verbs import _VERB_LEMMA, VERB_CLASSES
from analysis.sentences import scan_quotes


def _record_row(article_id: str, outlet: str, location: str, k: int, rec: dict, group: str) -> tuple:
    """Turn one attribution record into a row of the quotes table."""
    cand, res = rec["cand"], rec["resolved"]
    verb = _VERB_LEMMA.get(rec["verb"].lower(), "") if rec["verb"] else ""
    if res is None or res.kind in ("pronoun", "anonymous"):  # an unresolved "he", "the reporter said": no one
        speaker, stype, kind, surface, role = UNATTRIBUTED, "none", "none", "", ""
    else:
        speaker, kind, surface, role = res.entity, cand.kind, cand.surface, res.role
        stype = res.type if res.type in ("person", "organization", "place") else "unknown"
    return (article_id, outlet, speaker, verb, VERB_CLASSES.get(verb, "none"), rec["quote"],
            len(_WORD_RE.findall(rec["quote"])), rec["start"], rec["end"], f"{article_id}/q{k}",
            location, stype, kind, surface, rec["cue"], group, role)


def _mentions_by_article(sentences: pd.DataFrame, headlines: pd.DataFrame, aliases,
                         mentions: pd.DataFrame | None = None) -> dict:
    """Return {(article_id, location): [(start, end, entity, type, kind), ...]}.

    The sentences and the headlines go through one :func:`analysis.entities.find_mentions`
    call (its rows are numbered, so each mention's location is known): one pass over the
    joined texts. Mentions are per sentence, so the rows are the same as two calls give;
    with `mentions` (``find_mentions`` of `sentences`, found before) only the headlines are
    searched. (One exception, in find_mentions: a text holding a letter whose title case
    changes length, such as "ß", makes it match its whole call on the unmarked fold, which
    differs for rare letters such as "ı"; no sentence or headline of the abp-2013 or the
    generated corpora holds one.) O(find_mentions + mentions).
    """
    if aliases is None:
        aliases = E.propose_entities(sentences)[list(E.ALIAS_COLUMNS)]
    columns = list(E.MENTION_INPUTS)
    if mentions is not None:
        heads = E.find_mentions(headlines[columns], aliases=aliases) if len(headlines) else mentions.iloc[:0]
        parts = [(mentions, "text"), (heads, "headline")]
    else:
        tables = [t[columns] for t in (sentences, headlines) if len(t)]
        if not tables:
            return {}
        both = pd.concat(tables, ignore_index=True)
        both[S.SENTENCE_ID] = np.arange(len(both))  # the row number: below len(sentences), a text sentence
        m = E.find_mentions(both, aliases=aliases)
        text = m[S.SENTENCE_ID].to_numpy() < len(sentences)
        parts = [(m[text], "text"), (m[~text], "headline")]  # each in row order, as the rows were read
    out: dict = {}
    for m, location in parts:
        values = [m[c].tolist() for c in MENTIONS_READ]
        for aid, a, b, ent, typ, kind in zip(*values):
            out.setdefault((aid, location), []).append((int(a), int(b), ent, typ, kind))
    return out


def _headline_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the headlines as a one-sentence-per-article table (offsets into the headline)."""
    if S.HEADLINE not in articles.columns:
        return pd.DataFrame(columns=list(MENTION_INPUTS))
    h = articles[[S.ARTICLE_ID, S.OUTLET, S.HEADLINE]].dropna(subset=[S.HEADLINE])
    return pd.DataFrame({S.SENTENCE_ID: h[S.ARTICLE_ID].astype(str) + "/headline",
                         S.ARTICLE_ID: h[S.ARTICLE_ID], S.OUTLET: h[S.OUTLET], S.START: 0,
                         S.SENTENCE_TEXT: h[S.HEADLINE].astype(str)})


def attributed_texts(articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
                     headlines: bool = True, mentions: pd.DataFrame | None = None):
    """Yield ``(row, article_id, outlet, location, article, records)`` for every headline and text, in order.

    The rules' attribution of each text (:func:`analysis.quotes.attribute.attribute_article`),
    headline first; what :func:`extract_quotes` and :mod:`analysis.train_speakers` build on.
    `mentions`: as :func:`extract_quotes`'.
    """
    heads = _headline_table(articles) if headlines else _headline_table(articles.iloc[:0])
    mentions = _mentions_by_article(sentences, heads, aliases, mentions)
    head_text = dict(zip(heads[S.ARTICLE_ID], heads[S.SENTENCE_TEXT]))
    for n, (aid, outlet, text) in enumerate(articles[[S.ARTICLE_ID, S.OUTLET, S.TEXT]].itertuples(index=False)):
        for location, body in (("headline", head_text.get(aid)), ("text", text)):
            if isinstance(body, str) and body:
                art, records = attribute_article(body, mentions.get((aid, location), []))
                yield n, aid, outlet, location, art, records


def _model_row(row: tuple, pick: Candidate) -> tuple:
    """Return the quotes-table row with the model's pick as speaker (unchanged when it is the rules' pick)."""
    if pick.rule:
        return row
    row = list(row)
    if pick.name == UNATTRIBUTED:
        row[2], row[11:14], row[16] = UNATTRIBUTED, ["none", "none", ""], ""
    else:
        stype = pick.type if pick.type in ("person", "organization", "place") else "unknown"
        row[2], row[11:14], row[16] = pick.name, [stype, pick.kind, pick.surface], pick.role
    row[14] = "model"
    return tuple(row)


SPEAKER_METHODS = ("model", "rules")


def extract_quotes(articles: pd.DataFrame, sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None,
                   headlines: bool = True, speakers: str = "rules",
                   mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Extract and attribute the direct quotations of every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``text``; ``headline`` if present).
    sentences : pandas.DataFrame
        Its sentence table; entity mentions are found in it with :mod:`analysis.entities`.
    aliases : pandas.DataFrame, optional
        An alias table from :func:`analysis.entities.load_aliases`; None proposes entities
        from the sentences (:func:`analysis.entities.propose_entities`).
    headlines : bool, default True
        Also extract quotations from the headline column (``location`` "headline").
    speakers : {"rules", "model"}, default "rules"
        "rules": the rules below choose the speaker. "model": the learned chooser
        (:mod:`analysis.quotes.model`, shipped weights) picks among the rules' speaker, the
        people and organisations named in the quotation's sentence, the next one and the three
        paragraphs before, and :data:`UNATTRIBUTED`; where it overrules the rules, ``cue`` is
        "model" and ``speaker``, ``speaker_type``, ``speaker_kind``, ``speaker_surface`` and
        ``speaker_role`` describe its pick (``verb`` stays the rules'). Rows, their order and
        the other columns are the same either way. The model beats the rules as they were
        before each labelled set (leave one set out: 0.753 = 330/438 against 0.584 =
        256/438) but only ties today's rules on the one set they never saw (71 against 69 of
        110), and it gives scare quotes, titles and words put to a listener to a named person
        (labelled sets leave those out; on 300 abp-2013 articles it leaves 2% of quotations
        unattributed against the rules' 15%, and 9 of 15 changes read by hand went from right
        to wrong, 3 from wrong to right): the default stays "rules".
    mentions : pandas.DataFrame, optional
        ``find_mentions(sentences, aliases=aliases)`` found before (e.g. by
        :func:`analysis.entities.entity_mentions`, once for every notebook; with
        ``partition.per_article`` pass it as ``split={"mentions": ...}``): only the
        headlines are then searched. None finds them here. The same quotations either way.

    Returns
    -------
    pandas.DataFrame
        One row per quotation, columns :data:`QUOTE_COLUMNS`, in article order (headline
        first, then text order). ``speaker`` is the canonical entity name, an unlisted name
        as written, an unresolved pronoun or generic noun as written, or
        :data:`UNATTRIBUTED`. Interrupted quotations (“...,” she said, “...”) are two rows
        sharing ``group``.

    Raises
    ------
    SchemaError
        If `articles` or `sentences` lacks a required column.
    ParameterError
        If `speakers` is not "rules" or "model".
    ResourceError
        If `speakers` is "model" and the shipped model cannot be read.

    Notes
    -----
    Rules, in order (:mod:`analysis.quotes.attribute`; ``cue`` names the one that applied):
    an attribution ending in a comma or colon before the quotation (``X said:``, ``X
    declared,``, ``according to X,``: "before"); one right after it (``“...,” X said``,
    ``said X``, ``X, a spokesman, said``, ``X, R-Ky., majority leader said``, ``according
    to X``, or a few words later: ``...” to be developed, said X``: "after", "according");
    a reporting verb earlier in the sentence, whose subject is the name or pronoun right
    before it (also ``X, the Y of Z, said`` and ``X, the Y, who called it a “...”``), else
    the first person or organisation of the clause that is neither possessive nor after a
    preposition ("clause"); a colon after a clause naming the speaker, in the same
    paragraph or ending the one before (``one of the panelists, Pia Glenn, sang:``:
    "colon"); a reporting verb later in the same sentence (``“closed the deal” ..., but are
    “moving ...,” Mr. Durbin said``: "later"); for a quotation opening a sentence, the
    reporting verb of the sentence before ("previous-sentence"); the previous quotation of
    the same sentence ("same-sentence") or, for a quotation that is a sentence of its own,
    of the paragraph ("continuation"); the owner of a speech noun with its content before the
    quotation (``Holder's April 24 statement that ... is a “...”``: "possessive") or the agent
    of a passive (``quashed as a “poison pill” by X``: "agent"); last, with no reporting verb at all, the named
    subject of the quotation's sentence (``He thanked members ... for putting Americans
    “first.”``: "subject") or, for a quotation opening a sentence, of the sentence before
    ("previous-subject"), never a place, "it" or a title-case quotation. The subject of a
    sentence is looked for past an opening phrase or subordinate clause (``While Ryan
    predicted ..., Sen. Marco Rubio ...``); the name after "told" (a listener) or a
    participle (``accusing X of``) is not the speaker; a name that only modifies a role
    noun with no name after it (``China’s U.N. ambassador``, ``one senior House Republican
    source``) names no one. After a quotation closed by a comma, any verb attributes it
    (``“...,” Hudak lectured.``, ``“...,” laments The Washington Post.`` when the quotation
    opens its sentence; ``“...,” as Sanders put it`` anywhere: "after"). Names are read as
    phrases (:func:`analysis.quotes.speakers.read_speaker`): titles and roles go to
    ``speaker_role``, not the name; a place or organisation that only modifies the person
    after it (``Virginia Gov.-elect Terry McAuliffe``) gives way to that person, and an
    organisation's name runs on over "of"/"for" and capitals (``the Duke of Wellington``).
    A lower-case past tense or a dash ends a name's phrase (``Romney dinged President Obama``
    is Romney's); a name glued to a slash is a photo credit (``Tony Gutierrez/AP``), and a
    person a copula introduces with an appositive role (``One of them is X, president of
    ...``) a speaker for the pronouns after it; a relaying ``the Associated Press reported``
    after the quotation does not override the speaker its sentence names before it.
    A name of unknown type that speaks is a person for the pronouns after it. "“...,” the
    reporter said" (a common noun, no name) and a pronoun no rule resolves give
    "(unattributed)". Pronouns and
    generic nouns ("he", "the agency", "the Kentucky Republican", "the campaign") go to the
    most recent fitting speaker (subject of a reporting verb or of a sentence, or
    attributed) within four paragraphs, else the most
    recent named candidate in subject position, else one after a preposition: he/she to a
    person not marked as the other gender, it to an organisation, "the ministry"
    preferably to an organisation whose name contains "ministry". A document ("the memo
    concludes", "according to the Russian statement", "the letter signed by X") speaks
    for its signer, else for whoever the text last said issued one ("X wrote in a memo",
    "X issued a statement"), else for a recent speaker. Measured (README, "Quotations"):
    speaker accuracy 0.96 on the 157-quotation dev set, 0.95 on the 132-quotation test set,
    0.93 on the 40-quotation final set, 0.69 on the 110-quotation holdout set, 0.80 on the
    114-quotation fresh set and 0.96 on the 113-quotation blind set, all six now development
    data (the last three scored 0.63, 0.68 and 0.86 when first held out); the held-out figure
    is the lead's. The learned chooser (``speakers="model"``), leave-one-set-out over the six
    labelled sets with rule features from the package before each set was labelled: 0.770
    (509/661) against 0.640 (423/661) for those rules, but on the newest set, where those
    rules are the fifth pass's, 91/111 against their 95/111; it gives a speaker to all but 9
    of 169 quotations that are no speech (the rules leave 103 alone), and on the bundled
    corpus (written on by the rules) it overrules 2 of 54, both right to wrong, so the
    default stays "rules" (README, "Quotations"). Known failures: a speaker named only in
    a possessive pronoun ("his repeated assurances that") or a possessive the entity proposals
    typed a place ("Sanders’ message that the economy is “rigged”"); a quotation whose speaker is the
    object of a noun ("a demand by X that she apologise for her
    “disgusting” comments"); a scare quote or a term inside a sentence with a named subject
    and no reporting verb is attributed to that subject (check ``cue`` "subject"); a name
    the entity proposals miss is not a sentence subject.

    Cost: O(text + candidates x log) per article (sentence starts, candidates and
    antecedents are indexed once, every lookup is a bisection), plus entity mentions
    (:func:`analysis.entities.find_mentions`, one call for the texts and the headlines, or
    for the headlines only when `mentions` are given:
    O(characters + hits) after an O(aliases) automaton build, paid once per alias table,
    not per chunk) and, with no alias table, proposals
    (:func:`analysis.entities.propose_entities`). Linear in paragraph length: one
    paragraph of 2,000 quotations takes as long as 2,000 paragraphs (``bench/quotes.py``);
    linear in article length (about 2 µs per character on abp-2013, exponent 0.96:
    ``bench/quotes.py --lengths``) and in the corpus (14-15 ms per article from 1,000 to
    10,000 articles, CPU, before session 24's last pass; 10-12 ms at 1,000 and 4,142 after it:
    the reporting-verb, sentence-end, name-run and honorific patterns skip to their first
    literal, with the same matches; ``bench/voices.py --compare``).

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "headline": [None],
    ...     "text": ["“We are ready,” Jane Doe said. “Truly.”\\n\\nThe ministry said: “No.”"]})
    >>> from analysis.sentences import split_sentences
    >>> q = extract_quotes(arts, split_sentences(arts))
    >>> q[["speaker", "verb", "cue", "quote"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Jane Doe', 'say', 'after', 'We are ready,'], ['Jane Doe', '', 'continuation', 'Truly.'],
     ['The ministry', 'say', 'before', 'No.']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    S.check_columns(sentences, MENTION_INPUTS, table="sentences")
    if speakers not in SPEAKER_METHODS:
        raise ParameterError(f"extract_quotes: speakers={speakers!r}; valid: {', '.join(map(repr, SPEAKER_METHODS))}")
    chooser = load_model() if speakers == "model" else None
    rows = []
    row_of = None
    for n, aid, outlet, location, art, records in attributed_texts(articles, sentences, aliases=aliases,
                                                                    headlines=headlines, mentions=mentions):
        if n != row_of:  # quotation numbers and groups run over the headline and the text of one article
            row_of, k, groups = n, 0, []
        picks = chooser.choose_text(art, records, quotation_candidates(art, records)) if chooser is not None \
            else [None] * len(records)
        for rec, pick in zip(records, picks, strict=True):
            qid = f"{aid}/q{k}"
            group = groups[-1] if rec["interrupted"] and groups else qid
            groups.append(group)
            row = _record_row(aid, outlet, location, k, rec, group)
            if pick is not None:
                row = _model_row(row, pick)
            rows.append(row)
            k += 1
    out = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    return out.astype({N_WORDS: "int64", START_CHAR: "int64", END_CHAR: "int64"})


def quote_problems(articles: pd.DataFrame) -> pd.DataFrame:
    """List the quotation marks that were skipped because they are unbalanced.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``outlet``, ``text``; ``headline`` if present).

    Returns
    -------
    pandas.DataFrame
        One row per skipped mark, columns :data:`PROBLEM_COLUMNS`: where it is, the mark,
        "unclosed" or "unopened", and the text around it.

    Notes
    -----
    Cost: O(text) per article (one scan of its quotation marks).

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": ['He said “no. Then “yes,” she said.']})
    >>> quote_problems(arts)[["start_char", "mark", "problem"]].values.tolist()
    [[8, '“', 'unclosed']]
    """
    S.check_columns(articles, [S.ARTICLE_ID, S.OUTLET, S.TEXT], table="articles")
    table = _headline_table(articles)
    heads = dict(zip(table[S.ARTICLE_ID], table[S.SENTENCE_TEXT]))
    rows = []
    for aid, outlet, text in articles[[S.ARTICLE_ID, S.OUTLET, S.TEXT]].itertuples(index=False):
        for location, body in (("headline", heads.get(aid)), ("text", text)):
            if isinstance(body, str):
                for pos, mark, problem in scan_quotes(body)[1]:
                    rows.append((aid, outlet, location, pos, mark, problem,
                                 body[max(0, pos - 40):pos + 40].replace("\n", " ")))
    return pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS)).astype({START_CHAR: "int64"})
