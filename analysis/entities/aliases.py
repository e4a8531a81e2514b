"""Read, validate and write alias files: the hand-made (or edited) list of entities.

An *alias file* (YAML) lists each entity once with every surface form that refers to it:
full names ("Miguel Díaz-Canel"), surnames ("Díaz-Canel") and roles ("the Cuban leader").
:func:`load_aliases` reads one into the alias table; :func:`aliases_yaml` and
:func:`write_aliases` write an alias table (for example proposals from
:func:`analysis.entities.propose_entities`) back as a file a user can edit, which
:func:`load_aliases` reads back unchanged.

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
        note: free text              # optional, ignored

Accent and case variants need not be listed (matching folds them); hyphen and space
variants ("Díaz Canel" / "Díaz-Canel") must be, because a hyphen is not a space.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.corpus import read_yaml
from analysis.errors import ResourceError

# --- columns of the alias and mention tables --------------------------------------------
ENTITY = "entity"  # canonical entity name ("Miguel Díaz-Canel")
ENTITY_TYPE = "type"  # "person", "organization", "place" or "other"
ALIAS_KIND = "kind"  # "name", "surname" or "role": how the alias refers to the entity
ALIAS = "alias"  # a surface form as written in the alias file or found in the text
COUNT = "count"  # occurrences of a proposed alias in the sentences
TITLE = "title"  # proposals: the title or role most often written before the alias
SURFACE = "surface"  # the mention exactly as written in the text
ALIAS_COLUMNS = (ENTITY, ENTITY_TYPE, ALIAS_KIND, ALIAS)
MENTION_COLUMNS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, ENTITY, ENTITY_TYPE, ALIAS_KIND,
                   SURFACE, S.START, S.END)
# the sentence columns find_mentions reads (and so the key of the mentions kept per corpus)
MENTION_INPUTS = (S.SENTENCE_ID, S.ARTICLE_ID, S.OUTLET, S.START, S.SENTENCE_TEXT)

KINDS = ("name", "surname", "role")  # also the precedence when two kinds share a form
TYPES = ("person", "organization", "place", "other")
_YAML_KEYS = {"name", "type", "aliases", "surnames", "roles", "note"}

# The alias file shipped for the bundled corpus (Cuba-US, January-February 2026).
SHIPPED_ALIASES = Path(__file__).resolve().parents[1] / "lexicons" / "cuba-us-2026" / "entities.yaml"


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


def aliases_yaml(aliases: pd.DataFrame, *, corpus: str | None = None) -> str:
    """Return an alias table as the text of an alias file (the format :func:`load_aliases` reads).

    Parameters
    ----------
    aliases : pandas.DataFrame
        ``entity``, ``type``, ``kind``, ``alias`` (from :func:`load_aliases` or
        :func:`analysis.entities.propose_entities`); with a ``count`` column, entities are
        written most mentioned first and each gets a note with its count; a ``title``
        column adds the titles seen before the name to the note.
    corpus : str, optional
        Written as the file's ``corpus:`` line.

    Returns
    -------
    str
        YAML text. :func:`load_aliases` of it gives back the same (entity, type, kind,
        alias) rows, names before surnames before roles, less the variants of one entity
        that differ only in accents or case ("Nicolas Maduro" beside "Nicolás Maduro"),
        which are written once since matching folds them.

    Raises
    ------
    AliasError
        When a type or kind is not one the file format knows.

    Examples
    --------
    >>> t = pd.DataFrame({"entity": ["Ana Pérez"] * 2, "type": "person",
    ...                   "kind": ["name", "surname"], "alias": ["Ana Pérez", "Pérez"]})
    >>> print(aliases_yaml(t).split("entities:")[1])  # doctest: +NORMALIZE_WHITESPACE
    - name: Ana Pérez
      type: person
      surnames: [Pérez]

    Notes
    -----
    O(rows). Strings are written as YAML double-quoted scalars when plain ones would be
    misread (a colon, a quote, "yes", a leading dash...), by PyYAML's own emitter.
    """
    import yaml

    S.check_columns(aliases, ALIAS_COLUMNS, table="aliases")
    bad_t = sorted(set(aliases[ENTITY_TYPE].astype(str)) - set(TYPES))
    bad_k = sorted(set(aliases[ALIAS_KIND].astype(str)) - set(KINDS))
    if bad_t or bad_k:
        raise AliasError(f"aliases: type(s) {bad_t} / kind(s) {bad_k} unknown; valid types "
                         f"{list(TYPES)}, kinds {list(KINDS)}")
    t = aliases.reset_index(drop=True)
    order = list(dict.fromkeys(t[ENTITY]))
    if COUNT in t.columns:
        totals = t.groupby(ENTITY, sort=False)[COUNT].sum()
        order = sorted(order, key=lambda e: (-int(totals[e]), order.index(e)))
    entries = []
    by_entity = {e: part for e, part in t.groupby(ENTITY, sort=False)}
    for name in order:
        part = by_entity[name]
        entry = {"name": str(name), "type": str(part[ENTITY_TYPE].iloc[0])}
        seen = {_key(str(name))}
        for field, kind in (("aliases", "name"), ("surnames", "surname"), ("roles", "role")):
            vals = []
            for a in part.loc[part[ALIAS_KIND] == kind, ALIAS].astype(str):
                if _key(a) not in seen:  # accent and case variants: matching folds them anyway
                    seen.add(_key(a))
                    vals.append(a)
            if vals:
                entry[field] = vals
        notes = []
        if COUNT in part.columns:
            notes.append(f"proposed from {int(part[COUNT].sum())} mention(s)")
        if TITLE in part.columns:
            titles = sorted({str(x) for x in part[TITLE] if isinstance(x, str) and x})
            if titles:
                notes.append("titles seen: " + "; ".join(titles))
        if notes:
            entry["note"] = ", ".join(notes)
        entries.append(entry)
    head = ("# Alias file (see analysis/entities/aliases.py for the format). Edit freely: fix a type,\n"
            "# move an alias to the right entity, delete junk; a written file always wins over\n"
            "# proposals. Names are matched ignoring accents and case.\n")
    body = {"corpus": corpus} if corpus else {}
    body["entities"] = entries
    return head + yaml.dump(body, Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=100,
                            default_flow_style=False)


def _dumper():
    """Return a safe YAML dumper writing lists of strings on one line ("surnames: [Cruz]")."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def seq(dumper, value):
        flow = all(isinstance(v, str) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(list, seq)
    return Dumper


def write_aliases(aliases: pd.DataFrame, path: str | os.PathLike, *, corpus: str | None = None) -> Path:
    """Write an alias table as an alias file, atomically (a temp file, then a rename).

    Parameters
    ----------
    aliases : pandas.DataFrame
        As for :func:`aliases_yaml`.
    path : str or os.PathLike
        The file to write; its folder is created if needed.
    corpus : str, optional
        Written as the file's ``corpus:`` line.

    Returns
    -------
    pathlib.Path
        `path`.

    Notes
    -----
    O(rows). Refusing to write into a corpus folder is the caller's job
    (:func:`analysis.corpus.check_output_folder` on the file's folder).
    """
    from analysis.corpus import atomic_write_bytes

    atomic_write_bytes(path, aliases_yaml(aliases, corpus=corpus).encode("utf-8"))
    return Path(path)
