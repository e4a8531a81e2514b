"""Propose entities from a corpus without an alias file: names, their variants, their types.

:mod:`~analysis.entities.candidates` reads the candidate names of each sentence; here their
variants are merged ("Cruz", "Ted Cruz", "Sen. Cruz") and each name is typed from the evidence
of all its uses. The rules are measured on hand-labelled articles of the development corpora
(see the README's entities section and ``tests/data/entities_dev.yaml``), not on the bundled one.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.entities.aliases import ALIAS_COLUMNS, ALIAS_KIND, COUNT, ENTITY, TITLE
from analysis.entities.candidates import (
    _GIVEN_NAME_WORDS,
    _INITIAL,
    _PLACE_HEADS,
    _SUFFIXES,
    ORG_WORDS,
    OTHER_WORDS,
    PLACE_WORDS,
    TEXT_BLOCK,
    USE_FIELDS,
    _candidates,
    _common_words,
    _Evidence,
    _key,
    _merge_key,
    clear_caches,
)
from analysis.kernel import collector_paused

__all__ = ["propose_entities"]
_DOMINANT = 3.0  # a shared surname goes to a full name mentioned this many times more than the next
_MIN_SHARE_PLACE = 0.25  # this share of "in/from X" or "the X" uses makes a name a place/organisation


def _word_type(key: str) -> str | None:
    """Return "organization" or "place" when a name's own words say so ("Party", "County", "CNN")."""
    toks = key.split()
    words = set(toks[1:]) if toks and toks[0] in _GIVEN_NAME_WORDS else set(toks)  # "Bill Clinton", not a bill
    if words & OTHER_WORDS:
        return "other"
    if words & ORG_WORDS:
        return "organization"
    if words & PLACE_WORDS:
        return "place"
    return None


def _shouted(surface: str) -> bool:
    """Tell whether a surface is written in capitals (an acronym: "CNN", "F.B.I.")."""
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _type_of(key: str, ev: _Evidence, common: frozenset[str], first_names: frozenset[str], *,
             spaced: bool = True) -> str:
    """Guess the type of a name without organisation or place words (see propose_entities Notes).

    `spaced` is False for a name only ever written with hyphens ("Hatch-Klobuchar"): a compound,
    not a first name and a surname.
    """
    toks = key.split() if spaced else [key]
    place_like = ev.prep + ev.the
    if ev.titled >= max(1.0, 0.5 * place_like) or ev.initialled > place_like:
        return "person"
    if place_like >= max(1.0, _MIN_SHARE_PLACE * ev.n):
        return "place" if ev.prep >= ev.the else "organization"
    if 2 * ev.numbered >= ev.n or len(toks) >= 2 and toks[0] not in first_names and all(t in common for t in toks):
        return "other"  # "Hide Caption 3", "Story Continued Below": ordinary words in title case
    if ev.furniture >= ev.n and not ev.said:
        return "other"  # only ever in furniture lines: "Sign up for Daily Newsletters", a pasted headline
    if len(toks) >= 2 and toks[0] in _PLACE_HEADS:
        return "place"  # "South Carolina", "New York", "El Centro": a place's first word, never a first name
    if ev.said and len(toks) >= 2:
        return "person"
    if 2 <= len(toks) <= 4 and (toks[0] in first_names or toks[-1] not in common):
        return "person"
    return "other"


def _first_names(groups: dict[str, Counter], common: frozenset[str], place_like: set[str]) -> frozenset[str]:
    """Return first tokens shared by two or more distinct two- or three-word names ("John", "Mike")."""
    seen: dict[str, set[str]] = defaultdict(set)
    for key in groups:
        toks = key.split()
        if 2 <= len(toks) <= 3 and _word_type(key) is None:  # "Washington Post" shows no first name
            seen[toks[0]].add(toks[-1])
    return frozenset(t for t, lasts in seen.items() if len(lasts) >= 2 and t not in common
                     and t not in place_like and len(t) > 2)


def _parents(keys: list[str], persons: set[str]) -> dict[str, list[str]]:
    """Map each key to the person keys it is the token tail of ("cruz" -> ["ted cruz"])."""
    by_tail: dict[tuple, list[str]] = defaultdict(list)
    for k in persons:
        toks = tuple(k.split())
        for i in range(1, len(toks)):
            by_tail[toks[i:]].append(k)
    return {k: sorted(by_tail[tuple(k.split())]) for k in keys if tuple(k.split()) in by_tail}


def _swapped_surnames(keys: list[str], persons: set[str]) -> dict[str, str]:
    """Map a one-word name to the one full name whose last word it is with two letters swapped.

    A typo of the writer's: "Priebus" beside "Reince Preibus" (the same article spells the name
    both ways). Only words of six letters or more, only two neighbouring letters swapped, and
    only when exactly one full name fits. O(keys x letters).
    """
    last: dict[str, list[str]] = defaultdict(list)
    for k in persons:
        last[k.split()[-1]].append(k)
    out = {}
    for k in keys:
        if " " in k or len(k) < 6 or k in last:
            continue
        fits = {p for i in range(len(k) - 1) if k[i] != k[i + 1]
                for p in last.get(k[:i] + k[i + 1] + k[i] + k[i + 2:], ())}
        if len(fits) == 1:
            out[k] = fits.pop()
    return out


def _pick(short: str, parents: list[str], totals: dict[str, int], titles: dict[str, Counter]) -> str | None:
    """Choose the one full name a shared surname belongs to, or None when the corpus does not say."""
    if len(parents) == 1:
        return parents[0]
    ranked = sorted(parents, key=lambda p: (-totals[p], p))
    if totals[ranked[0]] >= _DOMINANT * max(1, totals[ranked[1]]):
        return ranked[0]
    mine = {t.split()[-1].lower() for t in titles.get(short, ())}  # "President Trump" -> president
    if mine:
        agree = [p for p in parents if mine & {t.split()[-1].lower() for t in titles.get(p, ())}]
        if len(agree) == 1:
            return agree[0]
    return None


def propose_entities(sentences: pd.DataFrame, *, min_count: int = 1) -> pd.DataFrame:
    """Propose entities from capitalised names in the body text, merging their variants.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (needs ``sentence_text``): body text only. Headlines are not
        mined for names (title case makes every word look like one).
    min_count : int, default 1
        Keep entities mentioned at least this often (all variants together).

    Returns
    -------
    pandas.DataFrame
        One row per (entity, alias): ``entity``, ``type`` ("person", "organization",
        "place" or "other"), ``kind`` ("name" or "surname"), ``alias``, ``count``
        (occurrences of that surface form) and ``title`` (the title or role most often
        written before it, "" if none: "Sen.", "Former Arkansas Governor"). ``entity`` is
        the most frequent full form (ties: fewest initials, most accented letters, then
        alphabetical).
        Sorted by entity, kind, alias.

    Notes
    -----
    Candidates are runs of capitalised tokens (hyphens, apostrophes, accents, initials
    and abbreviations such as "Sen." included; particles such as "de" inside) on one
    line of one sentence. Each run is cut at weekday and month words ("Kavanaugh
    Friday"), party-state tags ("R-AK", "D-Calif."), acronyms and shouted words
    ("UNLESS Jeff Flake"), possessives, and words glued by a scraper
    ("PelosiMnuchin"); a run holding a capitalised function word ("Sworn In As") and a
    sentence whose words are mostly capitalised are title-case lines and give nothing.
    Leading articles and function words are dropped ("When Donald Trump"), and at the
    start of a sentence any word the corpus also writes in lower case ("Meanwhile"); so
    are compound modifiers ("Iran-backed Hezbollah", "Todd Akin-style"; hyphenated given
    names such as "Ki-moon" stay). A lower-case Arabic article joined by a hyphen is part
    of the name ("Anwar al-Awlaki"). Before a name whose surname the corpus writes alone,
    an organisation's name is split off ("National Border Patrol Council Shawn Moran"),
    and so are title-case words the corpus writes in lower case when what is left is
    written alone elsewhere ("Acting Administrator Bob Perciasepe").
    Titles and roles are cut after the last title word ("Former Arkansas Governor Mike
    Huckabee" is Mike Huckabee, title kept in ``title``), and leading party words
    ("Republican John Kasich").

    Variants are merged: a full name written as separate words is never made the tail of a
    rarer, longer name ("Susan Rice" of "Security Adviser Susan Rice"); same folded form
    with hyphens as spaces and initials dropped
    ("Donald J. Trump" = "Donald Trump"); a name that is the token tail of exactly one
    person's full name becomes its surname ("Kavanaugh", "Mr. Kavanaugh"), and a tail
    shared by several full names goes to one of them only when the corpus makes it
    clear: that name has at least three times the mentions of the next, or the titles
    written before the bare surname ("President Trump") were written before that full
    name only; otherwise it stays separate ("Castro" with one "Fidel Castro" and one
    "Raúl Castro"). A single first name used alone goes to the one person of that first
    name ("Hillary", "Bernie"), under the same rule.

    A person's last name that the body never writes alone is added as a surname with
    count 0 (unless another entity or a second person has it, another name starts with it,
    or the corpus writes it in lower case), so a headline "Rubio speaks" finds Marco Rubio.

    ``type`` is read from the corpus: a name with an organisation or place word
    ("Party", "News", "County") or in capitals is an organisation or place ("Bill" as a
    first word is a first name); one written after a person title (hyphenated ones too:
    "Secretary-General") is a person; one written after "in"/"at"/"near"/"across" or "the"
    in a quarter of its uses or more, not counting uses where it modifies a noun ("the
    Obama administration"; a pronoun or time word after it starts a clause instead: "at
    Sandy Hook last December"), or written after a full name and "of" ("Jeanne Shaheen of
    New Hampshire"), or listed beside such places (unless it looks like "First Last"), is a
    place or an organisation; a name whose first word starts place names and never a
    person's ("South", "New", "San", "El", "Fort") is a place; ordinary words in title
    case ("Hide Caption") are "other", and so is a name found only in short lines with no
    sentence end that are not photo credits ("Sign up for Daily Newsletters"); one followed
    by "said" or an age is a person, as is a two- to four-word name whose first word is a
    first name of two names or whose last word the corpus never writes in lower case. Measured precision and recall on
    hand-labelled articles are in the README (about 0.86 precision and 0.94 recall of
    people on 10 articles not used to write the rules' first version); check the types,
    and write an alias file for anything that matters. Known misses: names written in
    lower case, one-word names without a title, two people sharing one full name,
    organisations and places without a telling word or use ("Heritage Action", "Sierra
    Leone"), headline and link text pasted into the body ("Contagion Rages").

    Cost: O(characters) to find candidates, O(distinct names x words per name) to merge
    them (surnames are looked up by their token tail in a dict, not compared pairwise).
    What each capitalised run gives is worked out once per corpus (memoised on the run's
    text), and a sentence repeated verbatim is read once; per name found, the look-back
    regexes match the reversed 40 characters before it at their start (no search). Each
    use is a plain tuple, summed per surface by ``numpy.bincount`` (no object per use), and
    the garbage collector is paused while the function runs (restored after; its passes
    over the working tables cost 15-20%). What each token and name folds to is cached (65,536
    entries per cache) and the caches are emptied when the call returns
    (:func:`~analysis.entities.candidates.clear_caches`: they kept up to 4 x 65,536 entries in the
    process after it). The candidates of a sentence depend on that
    sentence and the corpus's common words only. Memory: O(distinct names and capitalised
    runs) plus one block of :data:`~analysis.entities.candidates.TEXT_BLOCK` sentences (their
    Python strings, words and uses) and the texts written more than once; the sentences are
    read from their column block by block, twice (words, then names), never as one list.
    Measured (rise of the process's peak): 75 MB at 4,142 abp-2013 articles (213 MB when
    the whole corpus's texts, words and uses were held at once), 215 MB at 10,000 (608 MB).

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_text": [
    ...     "Cuban President Miguel Díaz-Canel spoke.", "Diaz-Canel’s reply came fast.",
    ...     "The reply angered Donald Trump.", "Trump said so."]})
    >>> p = propose_entities(s)
    >>> p[["entity", "type", "kind", "alias", "count"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Donald Trump', 'person', 'name', 'Donald Trump', 1],
     ['Donald Trump', 'person', 'surname', 'Trump', 1],
     ['Miguel Díaz-Canel', 'person', 'name', 'Miguel Díaz-Canel', 1],
     ['Miguel Díaz-Canel', 'person', 'surname', 'Diaz-Canel', 1]]
    """
    S.check_columns(sentences, [S.SENTENCE_TEXT], table="sentences")
    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        from analysis.errors import ParameterError

        raise ParameterError(f"min_count: {min_count!r}; use an integer >= 1")
    column = sentences[S.SENTENCE_TEXT]
    texts = _TextColumn(column)  # Python strings one block at a time, never the whole corpus's
    repeated = _repeated(texts)
    try:
        with collector_paused():  # millions of small acyclic tuples: its passes over them cost 15-20% (measured)
            return _propose(texts, min_count, repeated)  # (its working tables are freed on return, never traversed)
    finally:
        clear_caches()  # nothing of this corpus's tokens is kept after the call


def _propose(texts, min_count: int, repeated=None) -> pd.DataFrame:
    """Do the work of :func:`propose_entities` on the sentence texts (see its Notes for the cost)."""
    from analysis.resources import stopwords

    stop = frozenset(stopwords("english"))
    common, seen_lower = _common_words(texts)
    common = common | stop
    surfaces, evidence = _gather(texts, stop, common, repeated)
    groups: dict[str, Counter] = defaultdict(Counter)
    for surface, n in surfaces.items():
        groups[_merge_key(surface)][surface] += n
    groups = _split_leading_words(groups, common, evidence)
    gev: dict[str, _Evidence] = {}
    for key, variants in groups.items():
        ev = _Evidence()
        for s in variants:
            ev.add(evidence.get(s) or _Evidence(n=variants[s]))
        gev[key] = ev
    place_like = {k for k, ev in gev.items() if ev.prep + ev.the >= max(1.0, _MIN_SHARE_PLACE * ev.n)}
    first_names = _first_names(groups, common, place_like)
    lower_words = seen_lower | stop
    for k, ev in gev.items():  # listed beside places more often than not: a place ("Oklahoma and South Carolina")
        if " " in k and k.split()[0] not in lower_words:
            continue  # "Asa Hutchinson in Arkansas, Bruce Rauner in Illinois": people listed with their places
        nbs = ev.neighbours or {}
        near = sum(n for nb, n in nbs.items() if nb in place_like and gev[nb].prep >= gev[nb].the)
        if k not in place_like and near and 2 * near >= sum(nbs.values()) and not ev.titled \
                and not ev.initialled \
                and k.split()[0] not in first_names:
            ev.prep += near
            place_like.add(k)
    common_tokens = lower_words - first_names
    fixed = {k: _word_type(k) or ("organization" if all(_shouted(v) for v in groups[k]) else None)
             for k in groups}  # "organization"/"place" by their words or capitals ("CNN"), else None
    totals = {k: sum(v.values()) for k, v in groups.items()}
    titles = {k: gev[k].titles or Counter() for k in groups}
    # 1. a tail goes to the full name it belongs to ("Cruz" -> "Ted Cruz"), before typing
    open_keys = [k for k in groups if fixed[k] is None and k not in place_like]
    parent: dict[str, str] = {}
    heads = {k for k in open_keys if " " in k and (k.split()[0] in first_names or k.split()[0] not in common_tokens)}
    for short, cands in _parents(open_keys, heads).items():
        chosen = _pick(short, [c for c in cands if c != short], totals, titles)
        spaced = all(" " in v for v in groups[short])  # "Susan Rice", not the one word "Díaz-Canel"
        if chosen and not (spaced and totals[short] > totals[chosen]):
            parent[short] = chosen  # a full name is no tail of a rarer, longer one ("Security Adviser Susan Rice")
    parent.update(_swapped_surnames([k for k in open_keys if k not in parent], heads))
    # 2. type each full name on the evidence of all its variants
    combined: dict[str, _Evidence] = defaultdict(_Evidence)
    for k in groups:
        combined[parent.get(k, k)].add(gev[k])
    types = {k: fixed[k] or _type_of(k, combined[k], common_tokens, first_names,
                                     spaced=any(" " in v for v in groups[k])) for k in combined}
    # 3. a first name used alone goes to the one person of that first name ("Hillary", "Bernie")
    by_first: dict[str, list[str]] = defaultdict(list)
    for k, t in types.items():
        if t == "person" and " " in k:
            by_first[k.split()[0]].append(k)
    has_child = set(parent.values())
    # a word that starts an organisation's or a place's name ("Washington Post") is no first name:
    # alone it is that place, not the "Washington Examiner" that only its shape made a person
    name_heads = {k.split()[0] for k in groups if " " in k and fixed[k] in ("organization", "place")}
    for key in groups:
        if " " not in key and key not in parent and key not in has_child and key in by_first \
                and fixed[key] is None and key not in common and types.get(key) != "place":
            chosen = _pick(key, sorted(by_first[key]), totals, titles)
            if chosen and (key in first_names or key not in name_heads):
                parent[key] = chosen
    for key in [k for k in groups if " " not in k and not gev[k].inside and k not in parent]:
        del groups[key]  # one word only ever sentence-initial, and no surname: "Sounds"
    rows = []
    for key, variants in groups.items():
        full = parent.get(key, key)
        while full in parent and parent[full] != full:
            full = parent[full]
        fvar = groups[full]
        canonical = max(fvar, key=lambda v: (fvar[v], -_initials(v), _accents(v), [-ord(c) for c in v]))
        etype = types[full]
        first_name = full != key and key == full.split()[0]
        for surface, n in variants.items():
            ev = evidence.get(surface)
            title = ev.titles.most_common(1)[0][0] if ev is not None and ev.titles else ""
            kind = "name" if key == full or first_name else "surname"
            rows.append((canonical, etype, kind, surface, n, title))
    rows += _implied_surnames(rows, common_tokens)
    out = pd.DataFrame(rows, columns=[*ALIAS_COLUMNS, COUNT, TITLE])
    totals_e = out.groupby(ENTITY)[COUNT].transform("sum")
    out = out[totals_e >= min_count]
    return out.sort_values([ENTITY, ALIAS_KIND, "alias"]).reset_index(drop=True)


def _gather(texts, stop: frozenset[str], common: frozenset[str], repeated=None):
    """Return (uses per surface, evidence per surface) of the name candidates of all sentences.

    Both in the order a surface is first found. `texts` is a list of sentence texts or
    anything with ``len`` whose slices are such lists (:class:`_TextColumn`); `repeated`
    (booleans, one per text) marks the texts written more than once, the only ones whose
    candidates are kept for reuse (None: keep every text's, as for a short list). The uses of
    each block of :data:`~analysis.entities.candidates.TEXT_BLOCK` sentences
    (:func:`~analysis.entities.candidates._candidates`) are plain tuples, summed per surface
    with ``pandas.factorize`` and ``numpy.bincount`` and added to the sums so far; titles and
    list neighbours are counted in the order first seen (the most common title of a surface,
    ties to the first seen, is its ``title``).
    O(characters + uses) time; memory O(surfaces + one block's uses + repeated texts), where
    holding every use and every text's candidates at once grew with the corpus (132 MB at
    4,142 articles). A sentence repeated verbatim (furniture, wire copy) is read once; every
    distinct text is read once, in the order first met, as before, so the memo of runs sees
    the same texts in the same order and the sums are the same integers.
    """
    memo: dict = {}  # what each capitalised run gives, shared by the corpus's sentences
    done: dict[str, list] = {}
    surfaces: Counter = Counter()
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    for b0 in range(0, len(texts), TEXT_BLOCK):
        uses: list[tuple] = []
        for i, text in enumerate(texts[b0:b0 + TEXT_BLOCK], start=b0):
            if repeated is not None and not repeated[i]:
                uses += _candidates(text, stop, common, memo)  # written once: read once, not kept
                continue
            got = done.get(text)
            if got is None:
                got = done[text] = _candidates(text, stop, common, memo)
            uses += got
        if uses:
            _add_uses(uses, surfaces, evidence)
    return surfaces, evidence


def _add_uses(uses: list[tuple], surfaces: Counter, evidence: dict) -> None:
    """Add one block's uses to the uses and evidence per surface (new surfaces in the order found).

    O(uses) in numpy (one ``bincount`` per field), then O(distinct surfaces of the block) in
    Python, then O(uses with a title or neighbours).
    """
    columns = list(zip(*uses))  # name, title, the USE_FIELDS counts, neighbours
    codes, names = pd.factorize(pd.Series(columns[0], dtype=object), sort=False)  # in the order first found
    sums = [np.bincount(codes, minlength=len(names)).tolist()]
    sums += [np.bincount(codes, weights=np.array(c, dtype=np.float64), minlength=len(names)).astype(np.int64).tolist()
             for c in columns[2:2 + len(USE_FIELDS)]]  # (whole numbers far below 2**53: exact in float64)
    del columns
    for name, n, *counts in zip(names.tolist(), *sums):
        ev = evidence.get(name)
        if ev is None:
            surfaces[name] = n
            evidence[name] = _Evidence(n=n, **dict(zip(USE_FIELDS, counts)))
        else:
            surfaces[name] += n
            ev.add(_Evidence(n=n, **dict(zip(USE_FIELDS, counts))))
    for name, title, *_, neighbours in uses:
        if title:
            ev = evidence[name]
            if ev.titles is None:
                ev.titles = Counter()
            ev.titles[title] += 1
        if neighbours:
            ev = evidence[name]
            if ev.neighbours is None:
                ev.neighbours = Counter()
            ev.neighbours.update(neighbours)


def _repeated(texts) -> np.ndarray:
    """Flag the texts that may be written more than once: their hash (``hash(str)``) is not unique.

    Every text written twice is flagged (equal strings, equal hashes); a text flagged by a
    hash collision is only kept for reuse needlessly, so the flags can change memory, never
    results. O(characters) time (one block of Python strings at a time), 8 bytes per text,
    where ``Series.duplicated`` on the Arrow column made a Python string of every text
    (+119 MB at 10,000 articles).
    """
    hashes = [np.fromiter(map(hash, texts[i:i + TEXT_BLOCK]), dtype=np.int64)
              for i in range(0, len(texts), TEXT_BLOCK)]
    hashes = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.int64)
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    return counts[inverse] > 1


class _TextColumn:
    """A sentence column's texts as Python strings, made one slice at a time (``len`` and slices only).

    ``column.astype(str).tolist()`` of the whole column held a Python string per sentence of
    the corpus; a slice gives the same strings for its rows only.
    """

    def __init__(self, column: pd.Series):
        self.column = column

    def __len__(self) -> int:
        return len(self.column)

    def __getitem__(self, rows: slice) -> list[str]:
        if not isinstance(rows, slice):
            raise TypeError("_TextColumn takes slices only")
        return self.column.iloc[rows].astype(str).tolist()


def _implied_surnames(rows: list[tuple], common: frozenset[str]) -> list[tuple]:
    """Return a surname row (count 0) for each person whose last name the body never writes alone.

    So a headline "Rubio speaks" finds Marco Rubio. Skipped when another entity has that form,
    when it starts another name ("Thomas" of "Warner Thomas" beside "Thomas Massie"), when two
    people share it, or when the corpus writes the word in lower case ("Will Folks").
    """
    taken = {_key(r[3]) for r in rows} | {_key(r[3].split()[0]) for r in rows if " " in r[3]}  # "Thomas Massie"
    last: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entity in dict.fromkeys(r[0] for r in rows if r[1] == "person"):
        toks = entity.split()
        if len(toks) >= 2 and toks[-1].rstrip(".").lower() not in _SUFFIXES:
            last[_key(toks[-1])].append((entity, toks[-1]))
    return [(owners[0][0], "person", "surname", owners[0][1], 0, "") for key, owners in last.items()
            if len(owners) == 1 and key not in taken and key not in common and len(key) > 2]


def _initials(s: str) -> int:
    return sum(1 for t in s.split() if _INITIAL.fullmatch(t))


def _accents(s: str) -> int:
    return sum(1 for c in s if ord(c) > 127 and c.isalpha())


_ORG_PLACE = ORG_WORDS | PLACE_WORDS  # words that make a leading part an organisation's or a place's name
_NOT_A_NAME = _ORG_PLACE | OTHER_WORDS  # ... and that no person's name after it may hold


def _leading_cut(tokens: list[str], groups: dict[str, Counter], common: frozenset[str]) -> tuple[int, bool]:
    """Return how many leading tokens of a name are not the person's, and whether they name an organisation.

    Only for a name of three tokens or more whose last token stands alone in the corpus (a
    surname). After the last organisation or place word, when two or more tokens follow and
    none is such a word: "National Border Patrol Council Shawn Moran" -> "Shawn Moran" (the
    organisation is kept). Otherwise a first token that stands alone as a name ("Cuba Mike
    Hammer"), or the leading tokens the corpus writes in lower case at least as often as
    capitalised (a role in title case: "Acting Administrator Bob Perciasepe", "Story Highlights
    Hosni Mubarak") when what is left is written alone elsewhere in the corpus: not "Central
    African Republic", "Blue Dog Democrat".
    """
    keys = [_merge_key(t) for t in tokens]
    n = len(keys)
    if n < 3 or keys[-1] not in groups:
        return 0, False
    org = [i for i in range(n - 2) if set(keys[i].split()) & _ORG_PLACE]
    if org:
        rest = keys[org[-1] + 1:]
        if not any(set(k.split()) & _NOT_A_NAME for k in rest) and rest[0] not in common:
            return org[-1] + 1, True
        return 0, False
    if keys[0] in groups:
        return 1, False
    cut = 0
    while n - cut >= 3 and keys[cut] in common:
        cut += 1
    return (cut, False) if cut and " ".join(keys[cut:]) in groups else (0, False)


def _split_leading_words(groups: dict[str, Counter], common: frozenset[str],
                         evidence: dict) -> dict[str, Counter]:
    """Cut what :func:`_leading_cut` finds before a person's name from each variant; O(variants x tokens).

    What follows a cut variant ("said", a number) is counted for the name that is left; what
    precedes it ("the", "in", a title) belonged to the words cut off.
    """
    out: dict[str, Counter] = defaultdict(Counter)
    for key, variants in groups.items():
        if len(key.split()) < 3:
            out[key].update(variants)
            continue
        for surface, n in variants.items():
            toks = surface.split()
            cut, org = _leading_cut(toks, groups, common)
            if cut:
                rest = " ".join(toks[cut:])
                out[_merge_key(rest)][rest] += n
                ev = evidence.get(surface)
                if ev is not None:  # what follows the name is the person's; what precedes it is the lead's
                    evidence[rest].add(_Evidence(n=ev.n, said=ev.said, inside=ev.n, initialled=ev.initialled,
                                                 furniture=ev.furniture, numbered=ev.numbered))
                if org:
                    lead = " ".join(toks[:cut])
                    out[_merge_key(lead)][lead] += n
            else:
                out[key][surface] += n
    return out
