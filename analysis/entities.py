"""Resolve people, organisations and places in sentences, with or without an alias file.

One module, shared by sentiment, framing and quotes, answers "which sentence mentions whom,
where". An *alias file* (YAML, see :func:`load_aliases`) lists each entity once with every
surface form that refers to it: full names ("Miguel Díaz-Canel"), surnames ("Díaz-Canel")
and roles ("the Cuban leader"). Without a file, :func:`propose_entities` proposes entities
from capitalised name sequences, merging accent, case, hyphen and surname-only variants into
the full name. :func:`find_mentions` finds every mention in a sentence table, with
character offsets into ``articles.text``.

Matching is done on :func:`analysis.clean.fold_for_matching` text (one character for one
character), so "Díaz-Canel", "DIAZ-CANEL" and "Diaz-Canel" match the same alias and every
offset stays valid in the original text.

Alias file format
-----------------
::

    corpus: cuba-us-2026            # free text, optional
    entities:
      - name: Miguel Díaz-Canel      # canonical name (required, unique)
        type: person                 # person | organization | place | other
        aliases: [Miguel Díaz Canel] # other full names            -> kind "name"
        surnames: [Díaz-Canel]       # surname-only references     -> kind "surname"
        roles: [the Cuban leader]    # descriptions used as names  -> kind "role"

Accent and case variants need not be listed (matching folds them); hyphen and space
variants ("Díaz Canel" / "Díaz-Canel") must be, because a hyphen is not a space.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.corpus import read_yaml
from analysis.errors import ResourceError

# --- columns of the alias and mention tables --------------------------------------------
ENTITY = "entity"  # canonical entity name ("Miguel Díaz-Canel")
ENTITY_TYPE = "type"  # "person", "organization", "place" or "other" ("unknown" if proposed)
ALIAS_KIND = "kind"  # "name", "surname" or "role": how the alias refers to the entity
ALIAS = "alias"  # a surface form as written in the alias file or found in the text
COUNT = "count"  # occurrences of a proposed alias in the sentences
SURFACE = "surface"  # the mention exactly as written in the text
ALIAS_COLUMNS = (ENTITY, ENTITY_TYPE, ALIAS_KIND, ALIAS)
MENTION_COLUMNS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, ENTITY, ENTITY_TYPE, ALIAS_KIND,
                   SURFACE, S.START, S.END)

KINDS = ("name", "surname", "role")  # also the precedence when two kinds share a form
TYPES = ("person", "organization", "place", "other")
_YAML_KEYS = {"name", "type", "aliases", "surnames", "roles", "note"}

# The alias file shipped for the bundled corpus (Cuba-US, January-February 2026).
SHIPPED_ALIASES = Path(__file__).resolve().parent / "lexicons" / "cuba-us-2026" / "entities.yaml"


class AliasError(ResourceError):
    """An alias file is unreadable or invalid: the message names the file and the entry."""


# ------------------------------------------------------------------------------ aliases
def _key(alias: str) -> str:
    """Return the matching key of an alias: folded, spaces collapsed."""
    return " ".join(fold_for_matching(unicodedata.normalize("NFC", alias)).split())


def _entry_rows(path: Path, i: int, entry) -> list[tuple[str, str, str, str]]:
    """Validate one entry of an alias file; return its (entity, type, kind, alias) rows."""
    where = f"alias file {path}, entity #{i + 1}"
    if not isinstance(entry, dict):
        raise AliasError(f"{where}: expected a mapping with name/type/aliases, got {entry!r}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AliasError(f"{where}: missing or empty 'name' (got {name!r})")
    where = f"{where} ({name!r})"
    unknown = sorted(set(entry) - _YAML_KEYS)
    if unknown:
        raise AliasError(f"{where}: unknown key(s) {unknown}; valid: {sorted(_YAML_KEYS)}")
    etype = entry.get("type", "other")
    if etype not in TYPES:
        raise AliasError(f"{where}: type {etype!r} is not one of {list(TYPES)}")
    rows = [(name.strip(), etype, "name", name.strip())]
    for field, kind in (("aliases", "name"), ("surnames", "surname"), ("roles", "role")):
        values = entry.get(field) or []
        if isinstance(values, str) or not isinstance(values, list):
            raise AliasError(f"{where}: '{field}' must be a list of strings, got {values!r}")
        for v in values:
            if not isinstance(v, str) or not _key(v):
                raise AliasError(f"{where}: '{field}' holds {v!r}; use non-empty strings")
            rows.append((name.strip(), etype, kind, v.strip()))
    return rows


def load_aliases(path) -> pd.DataFrame:
    """Read and validate an alias file; return one row per (entity, alias).

    Parameters
    ----------
    path : str or os.PathLike
        A YAML file in the format described in the module docstring.

    Returns
    -------
    pandas.DataFrame
        Columns ``entity``, ``type``, ``kind`` ("name", "surname", "role"), ``alias``.
        The canonical name is itself an alias of kind "name". Variants that fold to the
        same form within one entity are kept once (the first, names before surnames
        before roles). Rows in file order.

    Raises
    ------
    AliasError
        Naming the file and the entry: unreadable YAML, no ``entities`` list, a missing
        name, an unknown key or type, a non-list alias field, a canonical name used twice,
        or one alias (after folding accents and case) claimed by two entities.

    Examples
    --------
    >>> a = load_aliases(SHIPPED_ALIASES)
    >>> a[a.entity == "Miguel Díaz-Canel"].kind.value_counts().sort_index().to_dict()
    {'name': 3, 'role': 3, 'surname': 3}

    Notes
    -----
    Matching folds accents and case, so "Díaz-Canel" and "DIAZ-CANEL" are one alias;
    listing both is harmless. A hyphen is not a space: list "Díaz Canel" separately.
    """
    path = Path(path)
    data = read_yaml(path, what="alias file", error=AliasError)
    entries = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise AliasError(f"alias file {path}: expected a top-level 'entities:' list of entries")
    rows, owner, names = [], {}, {}
    for i, entry in enumerate(entries):
        entry_rows = _entry_rows(path, i, entry)
        name = entry_rows[0][0]
        if name in names:
            raise AliasError(f"alias file {path}: entity #{i + 1} repeats the name {name!r} "
                             f"of entity #{names[name] + 1}; merge the two entries")
        names[name] = i
        entry_rows.sort(key=lambda r: KINDS.index(r[2]))  # stable: names first
        seen = set()
        for row in entry_rows:
            key = _key(row[3])
            if key in owner and owner[key] != name:
                raise AliasError(f"alias file {path}: alias {row[3]!r} of entity #{i + 1} "
                                 f"({name!r}) is already an alias of {owner[key]!r}; an alias "
                                 "must point to one entity")
            owner[key] = name
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return pd.DataFrame(rows, columns=list(ALIAS_COLUMNS))


# --------------------------------------------------------------------------- proposals
# A name token: a capital then letters (with inner hyphens/apostrophes: "Díaz-Canel",
# "O'Brien"), or an acronym of 2-6 capitals with optional dots ("US", "U.S.", "CDA").
_CAP = r"[^\W\d_a-z]"  # an upper-case (or title-case) letter, accents included
_TOKEN = rf"(?:(?:{_CAP}\.){{2,4}}|{_CAP}[^\W\d_]*(?:[-‐‑][^\W\d_]+)*)"
_CONNECT = r"(?:of|de|del|la|los|las|da|do|dos|van|von|der|al|bin)"  # inside names only
_SEQ = re.compile(rf"(?<![@#\w]){_TOKEN}(?:\s+(?:{_CONNECT}\s+)?{_TOKEN})*")
_ARTICLES = frozenset({"the", "a", "an"})  # never part of a proposed name ("The US")
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december".split()
)
_POSSESSIVE = re.compile(r"['’]s?$")
# Titles and role words that precede a name but are not part of it; everything up to the
# last of them is cut ("US Secretary of State Marco Rubio" -> "Marco Rubio").
_TITLE = re.compile(
    r"^(?:.*\s)?(?:President|Vice President|Secretary of State|Secretary|Minister|Foreign "
    r"Minister|Prime Minister|Chancellor|Senator|Sen\.?|Rep\.?|Representative|Governor|Gov\.?|"
    r"Mayor|Ambassador|Leader|Chief|General|Gen\.?|Pope|King|Queen|Prince|Mr\.?|Mrs\.?|Ms\.?|"
    r"Dr\.?|Judge|Justice|Spokesman|Spokeswoman|Spokesperson|CDA|Director|Commander)\s+",
)
_ORG_WORDS = frozenset(
    "ministry department bureau institute party university agency council administration "
    "government committee bank company corporation commission office embassy army navy "
    "court congress senate parliament union association foundation forces".split()
)
_SHOUT_RUN = 3  # this many all-caps words in a row is shouting, not names ("NO MORE OIL")


def _shouting_spans(text: str) -> list[tuple[int, int]]:
    words = list(re.finditer(r"[^\W\d_]+", text))
    spans, run = [], []
    for w in words + [None]:
        if w is not None and w.group().isupper() and len(w.group()) > 1 or (
                w is not None and run and w.group() in {"A", "I"}):
            run.append(w)
            continue
        if len(run) >= _SHOUT_RUN:
            spans.append((run[0].start(), run[-1].end()))
        run = []
    return spans


def _candidates(text: str, common: frozenset[str]) -> list[tuple[str, bool, bool]]:
    """Return (name, had_title, initial) for each capitalised name sequence in a sentence."""
    shout = _shouting_spans(text)
    lead = len(text) - len(text.lstrip(" \t\"'“‘«(—–-"))
    out = []
    for m in _SEQ.finditer(text):
        if any(a <= m.start() < b for a, b in shout):
            continue
        # an abbreviation's final dot ends a name ("the U.S. Mexico has ..."): keep the first
        # part, and let the title rule cut "U.S. President" from "U.S. President Donald Trump"
        parts = re.split(r"(?<=\.)\s+", m.group())
        name = _POSSESSIVE.sub("", parts[-1] if _TITLE.match(parts[-1] + " ") or len(
            parts) > 1 and _TITLE.match(" ".join(parts) + " ") else parts[0])
        tokens = name.split()
        before = text[:m.start()].rstrip()
        initial = m.start() == lead or before.endswith(("“", "‘", '"', ":"))
        n_tokens = len(tokens)
        while tokens and (_key(tokens[0]) in _ARTICLES or initial and _key(tokens[0]) in common):
            tokens = tokens[1:]  # "The US"; sentence-initial common words ("In", "Meanwhile")
        initial = initial and len(tokens) == n_tokens
        name = " ".join(tokens)
        stripped = _TITLE.sub("", name)
        had_title = stripped != name
        key = _key(stripped)
        if len(key) > 1 and key not in common and key not in _CALENDAR:
            out.append((stripped, had_title, initial and stripped == name))
    return out


def _common_words(texts) -> frozenset[str]:
    """Return stopwords and every word seen in lower case (so not a name)."""
    from analysis.resources import stopwords

    lower = {_key(w) for t in texts for w in re.findall(r"\b[^\W\d_A-Z][^\W\d_]*", t)
             if w[0].islower()}
    return frozenset(stopwords("english")) | lower


def _merge_key(name: str) -> str:
    return _key(name).replace("-", " ")


def _proposal_type(tokens: int, titled: bool, key: str) -> str:
    if set(key.split()) & _ORG_WORDS:
        return "organization"
    if titled or tokens in (2, 3):
        return "person"
    return "other"


def propose_entities(sentences: pd.DataFrame, *, min_count: int = 1) -> pd.DataFrame:
    """Propose entities from capitalised name sequences, merging their variants.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (needs ``sentence_text``).
    min_count : int, default 1
        Keep entities mentioned at least this often (all variants together).

    Returns
    -------
    pandas.DataFrame
        One row per (entity, alias): ``entity``, ``type``, ``kind``, ``alias``, ``count``
        (occurrences of that exact surface form). ``entity`` is the most frequent full
        form (ties: the one with most accented letters, then alphabetical). Sorted by
        entity, kind, alias.

    Notes
    -----
    Rules, in order: a name sequence is capitalised tokens (hyphens and accents
    included) joined by spaces or particles ("of", "de"); a possessive "’s" is cut;
    leading common words at the start of a sentence are dropped ("The", "In", or any
    word the corpus also writes in lower case); titles before a name are cut ("Cuban
    President Miguel Díaz Canel" -> "Miguel Díaz Canel"); runs of three or more
    all-caps words are shouting and skipped. Variants with the same folded form, hyphens
    read as spaces, are one entity ("Miguel Díaz Canel" = "Miguel Diaz-Canel"); a
    shorter candidate that is the tail of exactly one longer name becomes its surname
    ("Díaz-Canel", "Trump"), while a tail shared by two names stays separate
    ("Castro" with both "Fidel Castro" and "Raúl Castro"). ``type`` is a guess
    ("organization" by keyword, "person" for titled or 2-3-token names, else "other"):
    check it, and write an alias file for anything that matters. Known misses: names
    written in lower case, one-word names that only ever start sentences.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_text": [
    ...     "Cuban President Miguel Díaz-Canel spoke.", "Diaz-Canel’s reply came fast.",
    ...     "The reply angered Donald Trump.", "Trump said so."]})
    >>> p = propose_entities(s)
    >>> p[["entity", "kind", "alias", "count"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Donald Trump', 'name', 'Donald Trump', 1], ['Donald Trump', 'surname', 'Trump', 1],
     ['Miguel Díaz-Canel', 'name', 'Miguel Díaz-Canel', 1],
     ['Miguel Díaz-Canel', 'surname', 'Diaz-Canel', 1]]
    """
    S.check_columns(sentences, [S.SENTENCE_TEXT], table="sentences")
    if not isinstance(min_count, int) or min_count < 1:
        from analysis.errors import ParameterError

        raise ParameterError(f"min_count: {min_count!r}; use an integer >= 1")
    texts = sentences[S.SENTENCE_TEXT].astype(str).tolist()
    common = _common_words(texts)
    surfaces: Counter = Counter()
    titled, inside = set(), set()
    for text in texts:
        for name, had_title, initial in _candidates(text, common):
            surfaces[name] += 1
            if had_title:
                titled.add(_merge_key(name))
            if not initial:
                inside.add(_merge_key(name))
    groups: dict[str, Counter] = defaultdict(Counter)
    for surface, n in surfaces.items():
        groups[_merge_key(surface)][surface] += n
    groups = _split_leading_places(groups)
    spaced = [k for k, v in groups.items() if any(" " in s for s in v)]  # not "Cuba-Venezuela"
    parent = _surname_parents(list(groups), spaced)
    for key in [k for k in groups if " " not in k and k not in inside and k not in parent]:
        del groups[key]  # one word only ever sentence-initial, and no surname: "Sounds"
    rows = []
    for key, variants in groups.items():
        full = parent.get(key, key)
        fvar = groups[full]
        canonical = max(fvar, key=lambda v: (fvar[v], _accents(v), [-ord(c) for c in v]))
        etype = _proposal_type(len(full.split()), full in titled or key in titled, full)
        for surface, n in variants.items():
            rows.append((canonical, etype, "name" if key == full else "surname", surface, n))
    out = pd.DataFrame(rows, columns=[*ALIAS_COLUMNS, COUNT])
    totals = out.groupby(ENTITY)[COUNT].transform("sum")
    out = out[totals >= min_count]
    return out.sort_values([ENTITY, ALIAS_KIND, ALIAS]).reset_index(drop=True)


def _accents(s: str) -> int:
    return sum(1 for c in s if ord(c) > 127 and c.isalpha())


def _split_leading_places(groups: dict[str, Counter]) -> dict[str, Counter]:
    """Cut a leading stand-alone name from a longer one whose surname stands alone too.

    "US chief of mission in Cuba Mike Hammer" yields "Cuba Mike Hammer"; "Cuba" and
    "Hammer" are both candidates on their own, so the name is "Mike Hammer".
    """
    out: dict[str, Counter] = defaultdict(Counter)
    for key, variants in groups.items():
        toks = key.split()
        if len(toks) >= 3 and toks[0] in groups and toks[-1] in groups:
            for surface, n in variants.items():
                rest = surface.split(None, 1)[1]
                out[_merge_key(rest)][rest] += n
        else:
            out[key].update(variants)
    return out


def _surname_parents(keys: list[str], spaced: list[str]) -> dict[str, str]:
    """Map a key to the one longer spaced key it is the token-tail of (if exactly one)."""
    parents = {}
    for short in keys:
        toks = short.split()
        longer = [k for k in spaced if k != short and len(k.split()) > len(toks)
                  and k.split()[-len(toks):] == toks]
        if len(longer) == 1:
            parents[short] = longer[0]
        elif len(longer) > 1:  # "Castro" under "Fidel Castro" and "Raul Castro": ambiguous,
            roots = {_root(k, spaced) for k in longer}  # unless all are variants of one name
            if len(roots) == 1:
                parents[short] = roots.pop()
    return parents


def _root(key: str, keys: list[str]) -> str:
    """Return the one longer key that `key` is a tail of (itself if none or several)."""
    toks = key.split()
    longer = [k for k in keys if len(k.split()) > len(toks) and k.split()[-len(toks):] == toks]
    return longer[0] if len(longer) == 1 else key


# ---------------------------------------------------------------------------- mentions
def _automaton(aliases: pd.DataFrame):
    """Build an Aho-Corasick automaton from folded alias keys to (entity, type, kind, case)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for entity, etype, kind, alias in aliases[list(ALIAS_COLUMNS)].itertuples(index=False):
        key = fold_for_matching(unicodedata.normalize("NFC", str(alias)).strip())
        if key and key not in auto:  # first wins: load_aliases already put names first
            acronym = str(alias).isupper() and sum(c.isalpha() for c in str(alias)) <= 6
            auto.add_word(key, (len(key), entity, etype, kind, acronym))
    auto.make_automaton()
    return auto


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _sentence_matches(text: str, folded: str, auto) -> list[tuple]:
    """Return non-overlapping leftmost-longest whole-word matches in one sentence."""
    found = []
    for end_idx, (length, entity, etype, kind, acronym) in auto.iter(folded):
        start, end = end_idx - length + 1, end_idx + 1
        if start > 0 and _is_word_char(folded[start - 1]) and _is_word_char(folded[start]):
            continue
        if end < len(folded) and _is_word_char(folded[end]) and _is_word_char(folded[end - 1]):
            continue
        surface = text[start:end]
        if acronym and not surface.isupper():  # "US" must not match the pronoun "us"
            continue
        if kind != "role" and surface[:1].isalpha() and not surface[:1].isupper():
            continue  # names are capitalised: "hammer" is not Mike Hammer
        found.append((start, end, entity, etype, kind))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen, last_end = [], 0
    for m in found:
        if m[0] >= last_end:
            chosen.append(m)
            last_end = m[1]
    return _merge_titles(text, chosen)


def _merge_titles(text: str, matches: list[tuple]) -> list[tuple]:
    """Merge a role directly followed by the same entity's name into one mention."""
    out: list[tuple] = []
    for m in matches:
        if out and out[-1][4] == "role" and m[4] != "role" and out[-1][2] == m[2] \
                and not text[out[-1][1]:m[0]].strip():
            prev = out.pop()
            m = (prev[0], m[1], m[2], m[3], m[4])
        out.append(m)
    return out


def find_mentions(sentences: pd.DataFrame, *, aliases: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find every entity mention in a sentence table; return one row per mention.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table (``sentence_id``, ``article_id``, ``outlet``, ``start``,
        ``sentence_text``).
    aliases : pandas.DataFrame, optional
        From :func:`load_aliases` (or :func:`propose_entities`); None proposes entities
        from `sentences` themselves.

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
    capital letter in the text (so "hammer" is not Mike Hammer), and an alias written in
    capitals in the file ("US", "CDA") matches only capitals (not the pronoun "us").
    A role directly followed by the same entity's name ("Mexican President Claudia
    Sheinbaum") is one mention spanning both, not two. Roles are only as reliable as the
    file: "Cuba's president" can mean a hypothetical one ("Rubio could become Cuba's
    president"), so ship only roles that are unambiguous in the corpus. Pronouns ("he")
    are not resolved.

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
        aliases = propose_entities(sentences)
    S.check_columns(aliases, ALIAS_COLUMNS, table="aliases")
    rows = []
    if len(aliases):
        auto = _automaton(aliases)
        cols = [S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT]
        for sid, aid, outlet, offset, text in sentences[cols].itertuples(index=False):
            text = str(text)
            for start, end, entity, etype, kind in _sentence_matches(
                    text, fold_for_matching(text), auto):
                rows.append((sid, aid, outlet, entity, etype, kind, text[start:end],
                             int(offset) + start, int(offset) + end))
    out = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    return out.astype({S.START: "int64", S.END: "int64"})


def aliases_for(corpus, entities_file: str = "auto") -> pd.DataFrame | None:
    """Return the alias table a notebook's ``entities_file`` parameter names, or None.

    Parameters
    ----------
    corpus : str or os.PathLike
        The corpus the notebook reads.
    entities_file : str, default "auto"
        "auto" (``entities.yaml`` in the corpus folder, or the shipped file when the
        corpus is the bundled ``data/raw``), a path, or "" for none.

    Returns
    -------
    pandas.DataFrame or None
        As :func:`load_aliases`; None means "propose entities from the text".

    Raises
    ------
    ParameterError
        When a given path does not exist.

    Examples
    --------
    >>> from analysis.corpus import BUNDLED_CORPUS
    >>> "Donald Trump" in set(aliases_for(BUNDLED_CORPUS)["entity"])
    True
    >>> aliases_for(BUNDLED_CORPUS, "") is None
    True
    """
    from analysis.corpus import resolve_corpus_file

    path = resolve_corpus_file(entities_file, corpus=corpus, filename="entities.yaml")
    return load_aliases(path) if path else None
