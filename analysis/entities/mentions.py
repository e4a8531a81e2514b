"""Find every mention of the alias table's entities in a sentence table, in one pass.

Matching is done on :func:`analysis.clean.fold_for_matching` text (one character for one
character), so "Díaz-Canel", "DIAZ-CANEL" and "Diaz-Canel" match the same alias and every
offset stays valid in the original text.
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
from collections import OrderedDict
from itertools import chain
from typing import NamedTuple

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
    MENTION_INPUTS,
    SHIPPED_ALIASES,
    SURFACE,
    load_aliases,
)

__all__ = ["find_mentions"]
_SEP = "\n\n"  # between sentences in the joined text: never part of an alias, a word boundary


class _Keys(NamedTuple):
    """An Aho-Corasick automaton whose value for a key is its row in the arrays beside it."""

    auto: object
    length: np.ndarray  # int64, characters of the key
    entity: np.ndarray  # object
    etype: np.ndarray  # object
    kind: np.ndarray  # object
    acronym: np.ndarray  # bool
    roles: bool  # any key of kind "role"


def _automaton(aliases: pd.DataFrame, *, titled: bool = False) -> _Keys | None:
    """Build an Aho-Corasick automaton from folded alias keys to their row in :class:`_Keys`' arrays.

    Each key's row holds (length, entity, type, kind, acronym). With `titled`, keys are
    title-cased (:func:`_titled`), for a text marked the same way; None when a key changes
    length under title case (then the caller matches unmarked text).
    """
    import ahocorasick

    auto = ahocorasick.Automaton()
    rows: list[tuple] = []
    for entity, etype, kind, alias in aliases[list(ALIAS_COLUMNS)].itertuples(index=False):
        key = fold_for_matching(unicodedata.normalize("NFC", str(alias)).strip())
        if titled:
            marked = key.title()
            if len(marked) != len(key):
                return None
            key = marked
        if key and key not in auto:  # first wins: load_aliases already put names first
            acronym = str(alias).isupper() and sum(c.isalpha() for c in str(alias)) <= 6
            auto.add_word(key, len(rows))
            rows.append((len(key), entity, etype, kind, acronym))
    auto.make_automaton()
    columns = list(zip(*rows)) if rows else [(), (), (), (), ()]

    def objects(values) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        out[:] = list(values)
        return out

    return _Keys(auto, np.array(columns[0], dtype=np.int64), objects(columns[1]), objects(columns[2]),
                 objects(columns[3]), np.array(columns[4], dtype=bool), "role" in columns[3])


# Automata already built, by alias table content: find_mentions runs once per chunk of articles
# (partition.per_article) with the same table, and a build is O(total alias length) (about 1 s at
# 79,000 proposed aliases), which made the chunked path O(chunks x aliases). Keyed by a digest of
# the table's rows in order, so an edited table is a new key; the last _KEEP tables are kept.
_BUILT: OrderedDict = OrderedDict()
_KEEP = 4


# Alias tables whose digest is already known, by id: (the table, its digest). Filled only for the
# length of a with-block of _known_digest (entity_mentions, which keys its cache by that digest and
# holds the table unchanged while its chunks run), so the chunks of one corpus do not hash it again.
_DIGESTS: dict = {}


@contextlib.contextmanager
def _known_digest(aliases: pd.DataFrame, digest: str):
    """Within the block, :func:`_cached_automaton` takes `digest` as `aliases`' digest instead of hashing it.

    The caller vouches that `digest` identifies the table's alias columns (as
    :func:`_alias_digest`'s does) and that the table is not changed inside the block. O(1).
    """
    _DIGESTS[id(aliases)] = (aliases, digest)
    try:
        yield
    finally:
        _DIGESTS.pop(id(aliases), None)


def _alias_digest(aliases: pd.DataFrame) -> str:
    """Return a digest of the table's alias columns, row by row in order. O(alias characters)."""
    rows = pd.util.hash_pandas_object(aliases[list(ALIAS_COLUMNS)], index=False).to_numpy()
    return f"{len(rows)}-{hashlib.blake2b(rows.tobytes(), digest_size=16).hexdigest()}"


def _cached_automaton(aliases: pd.DataFrame, *, titled: bool = False):
    """Return :func:`_automaton` of `aliases`, built once per distinct table.

    O(alias characters) to key it, or O(1) inside :func:`_known_digest` for this table.
    """
    known = _DIGESTS.get(id(aliases))
    key = (titled, known[1] if known is not None and known[0] is aliases else _alias_digest(aliases))
    if key in _BUILT:
        _BUILT.move_to_end(key)
        return _BUILT[key]
    auto = _BUILT[key] = _automaton(aliases, titled=titled)
    while len(_BUILT) > _KEEP:
        _BUILT.popitem(last=False)
    return auto


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _raw_matches(text: str, folded: str, keys: _Keys, *, search: str | None = None) -> list[tuple]:
    """Return every whole-word match (start, end, entity, type, kind) in `text`, unordered.

    `search` is the string the automaton walks (default `folded`): the title-cased fold, in
    which a key can only start where a word starts, so the automaton reports few hits inside
    words for the checks below to reject. One Python step per hit: the per-sentence reference
    of :func:`_hits` (which :func:`find_mentions` uses).
    """
    found = []
    n = len(folded)
    for end_idx, i in keys.auto.iter(folded if search is None else search):
        length, entity, etype, kind, acronym = (int(keys.length[i]), keys.entity[i], keys.etype[i],
                                                keys.kind[i], bool(keys.acronym[i]))
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


_BLOCK = 1 << 22  # characters turned into code points at once by _codes_at


def _codes_at(text: str, pos: np.ndarray) -> np.ndarray:
    """Return the code points of ``text[p]`` for every p in `pos` (each in ``range(len(text))``).

    O(len(text) + len(pos) log len(pos)); memory O(_BLOCK + len(pos)): the text is
    encoded as UTF-32 one block of characters at a time, not whole.
    """
    out = np.zeros(len(pos), dtype=np.uint32)
    if not len(pos):
        return out
    order = np.argsort(pos, kind="stable")
    sorted_pos = pos[order]
    lo_hi = np.searchsorted(sorted_pos, np.arange(0, len(text) + _BLOCK, _BLOCK))
    for b in range(len(lo_hi) - 1):
        lo, hi = lo_hi[b], lo_hi[b + 1]
        if lo == hi:
            continue
        base = b * _BLOCK
        codes = np.frombuffer(text[base:base + _BLOCK].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        out[order[lo:hi]] = codes[sorted_pos[lo:hi] - base]
    return out


def _char_test(codes: np.ndarray, test) -> np.ndarray:
    """Return ``test(chr(c))`` for every code point in `codes`, calling `test` once per distinct one.

    ASCII code points are looked up in a table of 128; the others are made distinct
    (``numpy.unique``) first. O(len(codes)) for ASCII text.
    """
    table = np.array([bool(test(chr(c))) for c in range(128)], dtype=bool)
    wide = codes >= 128
    out = table[np.where(wide, 0, codes)]
    if wide.any():
        distinct, inverse = np.unique(codes[wide], return_inverse=True)
        out[wide] = np.array([bool(test(chr(c))) for c in distinct.tolist()], dtype=bool)[inverse]
    return out


def _hits(text: str, folded: str, keys: _Keys, search: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the (start, end, key row) arrays of :func:`_raw_matches`' matches, in the automaton's order.

    The same matches as :func:`_raw_matches` (whose checks these are): the automaton's hits
    are read into one integer array in C (``itertools.chain`` into ``numpy.fromiter``) and
    the whole-word and capital checks are array operations on the code points at the
    hits' edges; only the few hits of an acronym key or starting with a lower-case letter
    look at their surface in Python. O(hits log hits) after the automaton's walk. The four
    edges of the hits (before and at the start, at and after the end) are read one after
    another, not as one array of four times the hits with its sort order and code points:
    a chunk of 1,000 generated articles (422,399 hits) traced 90.5 MB at the peak before,
    46.6 MB now, the same matches, CPU no higher (``/tmp/sentiment/s33/hits_probe.py``); the
    mentions step of 40,000 generated articles peaks +788 MB over its start instead of +843.
    """
    flat = np.fromiter(chain.from_iterable(keys.auto.iter(search)), dtype=np.int64)
    row = flat[1::2].copy()
    end = flat[0::2] + 1
    del flat  # the hits' pairs: start, end and row are all that is read below
    start = end - keys.length[row]
    n = len(folded)
    inner = start > 0  # start - 1 and end are characters of the text only where these hold
    after = end < n

    def word(pos: np.ndarray) -> np.ndarray:  # one edge of every hit at a time: a fourth of the arrays
        return _char_test(_codes_at(folded, pos), _is_word_char)

    ok = ~(inner & word(np.where(inner, start - 1, 0)) & word(start))
    ok &= ~(after & word(np.where(after, end, 0)) & word(end - 1))
    start, end, row = start[ok], end[ok], row[ok]
    first = _codes_at(text, start)  # the surface's first character, as written
    ok = np.ones(len(row), dtype=bool)
    acronym = np.flatnonzero(keys.acronym[row])
    if len(acronym):  # "US" must not match the pronoun "us"
        ok[acronym] = [text[a:b].isupper() for a, b in zip(start[acronym].tolist(), end[acronym].tolist())]
    lower = (keys.kind[row] != "role") & _char_test(first, str.isalpha) & ~_char_test(first, str.isupper)
    lower = np.flatnonzero(lower & ok)
    if len(lower):  # names are capitalised: "hammer" is not Mike Hammer (unless "de Blasio")
        ok[lower] = [_particle_start(text[a:b]) for a, b in zip(start[lower].tolist(), end[lower].tolist())]
    return start[ok], end[ok], row[ok]


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
    """Merge a role directly followed by the same entity's name into one mention.

    `matches` are (start, end, entity, type, kind, ...) tuples; a merged one is the name's
    tuple starting at the role's start.
    """
    out: list[tuple] = []
    for m in matches:
        if out and out[-1][4] == "role" and m[4] != "role" and out[-1][2] == m[2] \
                and not text[out[-1][1]:m[0]].strip() and _SEP not in text[out[-1][1]:m[0]]:
            prev = out.pop()
            m = (prev[0], *m[1:])  # the name's entity, type and kind (and anything after)
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
    corpus, reuse it after hashing the table's rows; inside
    :func:`analysis.entities.entity_mentions` not even that), where hits
    are alias occurrences starting at a word start (keys and text are title-cased to mark
    word starts, so occurrences inside words are not reported): the
    sentences are folded and joined once and the Aho-Corasick automaton (pyahocorasick)
    walks the joined text once, whatever the number of entities; overlaps are resolved in
    one sorted pass and matches mapped back to their sentences by binary search.
    The automaton's hits are read into one integer array in C and checked as arrays
    (:func:`_hits`: word edges and capitals from the code points at each hit's ends), so
    Python works once per chosen mention, not once per hit: 14.4 s against 23.0 s CPU for
    the 690,389 mentions of 10,000 generated articles (``bench/mentions.py``), the same table.

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
    S.check_columns(sentences, MENTION_INPUTS, table="sentences")
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
    start, end, row = _hits(joined, folded, auto, folded if marked is None else marked)
    if not len(row):
        return empty
    # leftmost-longest over the whole joined text: a match never spans a separator (checked
    # below), so choosing globally is choosing within each sentence. At one start, the
    # longest first; no two hits share start and end (the keys are distinct).
    order = np.lexsort((start - end, start))
    chosen, last_end = [], -1
    for i, a, b in zip(order.tolist(), start[order].tolist(), end[order].tolist()):
        if a >= last_end:
            chosen.append(i)
            last_end = b
    start, end, row = start[chosen], end[chosen], row[chosen]
    if auto.roles:  # a role directly followed by its entity's name: one mention
        merged = _merge_titles(joined, list(zip(start.tolist(), end.tolist(), auto.entity[row].tolist(),
                                                auto.etype[row].tolist(), auto.kind[row].tolist(),
                                                row.tolist())))
        start = np.array([m[0] for m in merged], dtype=np.int64)
        end = np.array([m[1] for m in merged], dtype=np.int64)
        row = np.array([m[5] for m in merged], dtype=np.int64)
    sentence = np.searchsorted(starts, start, side="right") - 1
    ok = end <= starts[sentence] + lengths[sentence]  # drop any match across a separator
    start, end, row, sentence = start[ok], end[ok], row[ok], sentence[ok]
    offset = sentences[S.START].to_numpy(dtype=np.int64)[sentence] - starts[sentence]
    out = pd.DataFrame({
        S.SENTENCE_ID: sentences[S.SENTENCE_ID].to_numpy()[sentence],
        S.ARTICLE_ID: sentences[S.ARTICLE_ID].to_numpy()[sentence],
        S.OUTLET: sentences[S.OUTLET].to_numpy()[sentence],
        ENTITY: auto.entity[row].tolist(), ENTITY_TYPE: auto.etype[row].tolist(),
        ALIAS_KIND: auto.kind[row].tolist(),
        SURFACE: [joined[a:b] for a, b in zip(start.tolist(), end.tolist())],
        S.START: start + offset, S.END: end + offset}, columns=list(MENTION_COLUMNS))
    return out.astype({S.START: "int64", S.END: "int64"})
