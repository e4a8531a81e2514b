"""Find every mention of the alias table's entities in a sentence table, in one pass.

Matching is done on :func:`analysis.clean.fold_for_matching` text (one character for one
character), so "Díaz-Canel", "DIAZ-CANEL" and "Diaz-Canel" match the same alias and every
offset stays valid in the original text.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import OrderedDict

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.entities.aliases import (  # noqa: F401 (examples)
    ALIAS_COLUMNS,
    ALIAS_KIND,
    ENTITY,
    ENTITY_TYPE,
    MENTION_COLUMNS,
    SHIPPED_ALIASES,
    SURFACE,
    load_aliases,
)

__all__ = ["find_mentions"]
_SEP = "\n\n"  # between sentences in the joined text: never part of an alias, a word boundary


def _automaton(aliases: pd.DataFrame, *, titled: bool = False):
    """Build an Aho-Corasick automaton from folded alias keys to (length, entity, type, kind, acronym).

    With `titled`, keys are title-cased (:func:`_titled`), for a text marked the same way; None
    when a key changes length under title case (then the caller matches unmarked text).
    """
    import ahocorasick

    auto = ahocorasick.Automaton()
    for entity, etype, kind, alias in aliases[list(ALIAS_COLUMNS)].itertuples(index=False):
        key = fold_for_matching(unicodedata.normalize("NFC", str(alias)).strip())
        if titled:
            marked = key.title()
            if len(marked) != len(key):
                return None
            key = marked
        if key and key not in auto:  # first wins: load_aliases already put names first
            acronym = str(alias).isupper() and sum(c.isalpha() for c in str(alias)) <= 6
            auto.add_word(key, (len(key), entity, etype, kind, acronym))
    auto.make_automaton()
    return auto


# Automata already built, by alias table content: find_mentions runs once per chunk of articles
# (partition.per_article) with the same table, and a build is O(total alias length) (about 1 s at
# 79,000 proposed aliases), which made the chunked path O(chunks x aliases). Keyed by a digest of
# the table's rows in order, so an edited table is a new key; the last _KEEP tables are kept.
_BUILT: OrderedDict = OrderedDict()
_KEEP = 4


def _cached_automaton(aliases: pd.DataFrame, *, titled: bool = False):
    """Return :func:`_automaton` of `aliases`, built once per distinct table (O(alias characters) to key)."""
    rows = pd.util.hash_pandas_object(aliases[list(ALIAS_COLUMNS)], index=False).to_numpy()
    key = (titled, len(rows), hashlib.blake2b(rows.tobytes(), digest_size=16).hexdigest())
    if key in _BUILT:
        _BUILT.move_to_end(key)
        return _BUILT[key]
    auto = _BUILT[key] = _automaton(aliases, titled=titled)
    while len(_BUILT) > _KEEP:
        _BUILT.popitem(last=False)
    return auto


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _raw_matches(text: str, folded: str, auto, *, search: str | None = None) -> list[tuple]:
    """Return every whole-word match (start, end, entity, type, kind) in `text`, unordered.

    `search` is the string the automaton walks (default `folded`): the title-cased fold, in
    which a key can only start where a word starts, so the automaton reports few hits inside
    words for the checks below to reject.
    """
    found = []
    n = len(folded)
    for end_idx, (length, entity, etype, kind, acronym) in auto.iter(folded if search is None else search):
        start, end = end_idx - length + 1, end_idx + 1
        if start > 0 and _is_word_char(folded[start - 1]) and _is_word_char(folded[start]):
            continue
        if end < n and _is_word_char(folded[end]) and _is_word_char(folded[end - 1]):
            continue
        surface = text[start:end]
        if acronym and not surface.isupper():  # "US" must not match the pronoun "us"
            continue
        if kind != "role" and surface[:1].isalpha() and not surface[:1].isupper() \
                and not _particle_start(surface):
            continue  # names are capitalised: "hammer" is not Mike Hammer
        found.append((start, end, entity, etype, kind))
    return found


def _particle_start(surface: str) -> bool:
    """Tell whether a lower-case surface starts with a name particle before a capital ("de Blasio")."""
    head, _, rest = surface.partition(" ")
    return head in {"de", "van", "von", "da", "di", "del", "la", "le", "al", "bin"} and rest[:1].isupper()


def _leftmost_longest(found: list[tuple]) -> list[tuple]:
    """Keep non-overlapping matches, leftmost first and longest at one start."""
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen, last_end = [], -1
    for m in found:
        if m[0] >= last_end:
            chosen.append(m)
            last_end = m[1]
    return chosen


def _merge_titles(text: str, matches: list[tuple]) -> list[tuple]:
    """Merge a role directly followed by the same entity's name into one mention."""
    out: list[tuple] = []
    for m in matches:
        if out and out[-1][4] == "role" and m[4] != "role" and out[-1][2] == m[2] \
                and not text[out[-1][1]:m[0]].strip() and _SEP not in text[out[-1][1]:m[0]]:
            prev = out.pop()
            m = (prev[0], m[1], m[2], m[3], m[4])
        out.append(m)
    return out


def _sentence_matches(text: str, folded: str, auto) -> list[tuple]:
    """Return non-overlapping leftmost-longest whole-word matches in one sentence."""
    return _merge_titles(text, _leftmost_longest(_raw_matches(text, folded, auto)))


def find_mentions(sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every entity mention in a sentence table; return one row per mention.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``article_id``, ``outlet``, ``start``,
        ``sentence_text``).
    aliases : pandas.DataFrame, optional
        From :func:`load_aliases` (or :func:`analysis.entities.propose_entities`); None
        proposes entities from `sentences` themselves.

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``sentence_id``, ``article_id``, ``outlet``, ``entity``,
        ``type``, ``kind``, ``surface`` (as written), ``start``, ``end`` (offsets into
        ``articles.text``: ``text[start:end] == surface``). In sentence-table order, then
        by offset.

    Notes
    -----
    Matching is accent- and case-insensitive, whole words only, leftmost-longest and
    never overlapping: in "the Trump administration" an organisation alias of that name
    wins over "Trump". Two guards against false hits: a name or surname must start with a
    capital letter in the text (or a particle before one: "de Blasio"), so "hammer" is
    not Mike Hammer, and an alias written in capitals in the file ("US", "CDA") matches
    only capitals (not the pronoun "us"). A role directly followed by the same entity's
    name ("Mexican President Claudia Sheinbaum") is one mention spanning both, not two.
    Roles are only as reliable as the file: "Cuba's president" can mean a hypothetical
    one ("Rubio could become Cuba's president"), so ship only roles that are unambiguous
    in the corpus. Pronouns ("he") are not resolved.

    Cost: O(characters + hits) after an O(total alias length) automaton build (once per
    distinct alias table: later calls with an equal table, such as the chunks of one
    corpus, reuse it after hashing the table's rows), where hits
    are alias occurrences starting at a word start (keys and text are title-cased to mark
    word starts, so occurrences inside words are not reported): the
    sentences are folded and joined once and the Aho-Corasick automaton (pyahocorasick)
    walks the joined text once, whatever the number of entities; overlaps are resolved in
    one sorted pass and matches mapped back to their sentences by binary search.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"],
    ...                   "start": [10], "sentence_text": ["Cuban President Miguel Diaz-Canel "
    ...                   "met DÍAZ-CANEL’s critics, the Cuban leader said."]})
    >>> m = find_mentions(s, aliases=load_aliases(SHIPPED_ALIASES))
    >>> m[["entity", "kind", "surface", "start"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Miguel Díaz-Canel', 'name', 'Cuban President Miguel Diaz-Canel', 10],
     ['Miguel Díaz-Canel', 'surname', 'DÍAZ-CANEL', 48],
     ['Miguel Díaz-Canel', 'role', 'the Cuban leader', 70]]
    """
    S.check_columns(sentences, [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT],
                    table="sentences")
    if aliases is None:
        from analysis.entities.propose import propose_entities

        aliases = propose_entities(sentences)
    S.check_columns(aliases, ALIAS_COLUMNS, table="aliases")
    empty = pd.DataFrame({c: pd.Series(dtype="int64" if c in (S.START, S.END) else object)
                          for c in MENTION_COLUMNS})
    if not len(aliases) or not len(sentences):
        return empty
    texts = sentences[S.SENTENCE_TEXT].astype(str).tolist()
    # a sentence never contains the separator's folded form as part of a match: "\n\n" is not
    # a word character, so a match cannot span two sentences unless an alias holds "\n\n"
    joined = _SEP.join(texts)
    # folded sentence by sentence: most are ASCII and take fold_for_matching's fast path
    folded = _SEP.join(fold_for_matching(t) for t in texts)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths + len(_SEP))[:-1]])
    # title case marks word starts one character for one character ("donald trump" ->
    # "Donald Trump", "ostrump" -> "Ostrump"), so a title-cased key can only be found where a
    # word starts: far fewer hits inside words than on the plain fold, same whole-word matches
    marked = folded.title()
    auto = _cached_automaton(aliases, titled=True) if len(marked) == len(folded) else None
    if auto is None:
        auto, marked = _cached_automaton(aliases), None
    found = _raw_matches(joined, folded, auto, search=marked)
    if not found:
        return empty
    # leftmost-longest over the whole joined text: a match never spans a separator (checked
    # below), so choosing globally is choosing within each sentence
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen, last_end = [], -1
    for m in found:
        if m[0] >= last_end:
            chosen.append(m)
            last_end = m[1]
    chosen = _merge_titles(joined, chosen)
    arr = np.array([(m[0], m[1]) for m in chosen], dtype=np.int64).reshape(-1, 2)
    row = np.searchsorted(starts, arr[:, 0], side="right") - 1
    ok = arr[:, 1] <= starts[row] + lengths[row]  # drop any match across a separator
    arr, row = arr[ok], row[ok]
    chosen = [m for m, k in zip(chosen, ok.tolist(), strict=True) if k]
    offset = sentences[S.START].to_numpy(dtype=np.int64)[row] - starts[row]
    out = pd.DataFrame({
        S.SENTENCE_ID: sentences[S.SENTENCE_ID].to_numpy()[row],
        S.ARTICLE_ID: sentences[S.ARTICLE_ID].to_numpy()[row],
        S.OUTLET: sentences[S.OUTLET].to_numpy()[row],
        ENTITY: [m[2] for m in chosen], ENTITY_TYPE: [m[3] for m in chosen], ALIAS_KIND: [m[4] for m in chosen],
        SURFACE: [joined[a:b] for a, b in arr.tolist()],
        S.START: arr[:, 0] + offset, S.END: arr[:, 1] + offset}, columns=list(MENTION_COLUMNS))
    return out.astype({S.START: "int64", S.END: "int64"})

