"""The alias table a notebook uses, and the mentions of its entities, each found once per corpus.

Three notebooks (sentiment, framing, voices) need the same entities; proposing them from the
text is the costliest step of each when no alias file is given. :func:`entity_aliases`
proposes them once per selection of a prepared corpus and keeps them beside it, so the
notebooks running at the same time share one computation. The three then find the same
mentions in the same sentences: :func:`entity_mentions` finds them once per selection and
alias table, kept the same way.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa

from analysis import schema as S
from analysis.entities.aliases import MENTION_COLUMNS, MENTION_INPUTS, aliases_for
from analysis.entities.propose import propose_entities
from analysis.errors import ParameterError
from analysis.kernel import release_memory

_CODE = ("aliases.py", "candidates.py", "propose.py")  # the modules whose code decides the proposals
# the modules whose code decides the mentions of an alias table (clean.py: fold_for_matching)
_MENTION_CODE = ("entities/aliases.py", "entities/mentions.py", "clean.py")


KEY_BLOCK = 16_384  # rows hashed at once by _texts_key


def _texts_key(table: pd.DataFrame, *parts: str) -> str:
    """Return :func:`analysis.corpus.content_key` of `table` and `parts`, hashing `table` block by block.

    The same key (row hashes are per row, so the digest of the blocks' hashes in order is
    the digest of the whole table's): caches written before stay valid. Memory O(one block),
    where hashing an Arrow text column whole made a Python string of every row first (a
    +322 MB peak for the 378,770 sentences of 10,000 articles). O(characters) time.
    """
    digest = hashlib.sha256()
    for i in range(0, len(table), KEY_BLOCK):
        digest.update(pd.util.hash_pandas_object(table.iloc[i:i + KEY_BLOCK], index=False).to_numpy().tobytes())
    for part in parts:  # (as content_key)
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _code_version(names: tuple = _CODE, folder: Path = Path(__file__).parent) -> str:
    return hashlib.sha256(b"".join((folder / name).read_bytes() for name in names)).hexdigest()


@contextmanager
def _finding(aliases: pd.DataFrame, digest: str):
    """Find mentions of `aliases` inside: the table hashed once; after: its automata dropped, memory given back.

    The alias table's digest is known to ``find_mentions`` while inside (every chunk's call
    finds its automaton without hashing the table again); once the chunks are done the
    automata are dropped, even on an error (the mentions are kept, the automaton is not needed
    again), and on success the automaton's nodes (C heap) and the chunks' freed memory are given
    back before the found columns are joined or written (Arrow's pool): one allocator cannot
    reuse what the other freed.
    """
    from analysis.entities.mentions import _BUILT, _known_digest

    with _known_digest(aliases, digest):
        try:
            yield
        finally:
            for titled in (True, False):
                _BUILT.pop((titled, digest), None)
    release_memory()


def _one_chunk(table: pd.DataFrame) -> pd.DataFrame:
    """Return `table` with each Arrow column's chunks joined into one, a column at a time (in place).

    ``partition.per_article`` concatenates the chunks' tables without copying, so each text
    column is an Arrow array of one piece per chunk of articles; ``corpus.write_table`` (the
    cache) makes each 1,048,576-row group one piece per column before writing it (the same
    Parquet bytes whatever the pieces), so writing the pieces as they are holds a copy of a row
    group (about a third of the 2.8 million mentions of 40,000 generated articles). Joined here
    one column after another, each column's pieces are freed as soon as its joined copy
    exists and the writer finds nothing to join: one column above the table instead, the
    same values, dtypes and file bytes. (Before session 32 the writer joined the whole table
    at once; this function was written against that.)

    Notes
    -----
    O(table) copying; memory above the table: one column (the largest, ``sentence_id``,
    is about a sixth of the mentions table).
    """
    pool = pa.default_memory_pool()
    for col in table.columns:
        values = table[col].array
        pieces = values.__arrow_array__() if hasattr(values, "__arrow_array__") else None
        if isinstance(pieces, pa.ChunkedArray) and pieces.num_chunks > 1:
            table[col] = pd.array(pieces.combine_chunks(), dtype=table[col].dtype)
            del values, pieces  # the pieces go before the next column is joined,
            pool.release_unused()  # and their pages back to the system (the pool would keep them)
    return table


def entity_aliases(sentences: pd.DataFrame, *, corpus, entities_file: str = "auto",
                   processed_dir: str = "") -> pd.DataFrame:
    """Return the alias file's table, or the entities proposed from `sentences`.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences the notebook compares (after its selection); proposals come from
        their ``sentence_text``.
    corpus : str or os.PathLike
        The corpus, where ``entities_file="auto"`` looks for ``entities.yaml``.
    entities_file : str, default "auto"
        As :func:`analysis.entities.aliases_for`: "auto", a path, or "" to propose.
    processed_dir : str, default ""
        The prepared corpus folder: proposals are kept in its ``cache/`` folder, keyed by
        the sentences' text and this package's proposing code, and computed once however
        many notebooks ask; "" computes them here.

    Returns
    -------
    pandas.DataFrame
        :func:`analysis.entities.load_aliases`'s table for a file, else
        :func:`analysis.entities.propose_entities` of `sentences` (its ``count`` and
        ``title`` columns included). Either is what ``find_mentions``,
        ``actor_mentions`` and ``extract_quotes`` take as ``aliases``; passing the
        proposals gives the same rows as passing None.

    Examples
    --------
    >>> from analysis.corpus import BUNDLED_CORPUS
    >>> s = pd.DataFrame({"sentence_text": ["Marco Rubio spoke.", "Rubio left."]})
    >>> entity_aliases(s, corpus=BUNDLED_CORPUS, entities_file="")[["entity", "alias"]].values.tolist()
    [['Marco Rubio', 'Marco Rubio'], ['Marco Rubio', 'Rubio']]

    Notes
    -----
    O(characters of the sentences) to hash them, plus one proposal per selection and code
    version (O(words)); a cached table is read in O(its rows). The sentences are hashed
    block by block (:func:`_texts_key`), so the key costs memory of one block, not of the
    corpus; proposing: see :func:`analysis.entities.propose_entities`.
    """
    aliases = aliases_for(corpus, entities_file)
    if aliases is not None:
        return aliases
    from analysis.corpus import cached_table

    key = _texts_key(sentences[[S.SENTENCE_TEXT]], _code_version())
    return cached_table(processed_dir, "proposed-entities", key, lambda: propose_entities(sentences))


def entity_mentions(sentences: pd.DataFrame, *, aliases: pd.DataFrame | None, processed_dir: str = "",
                    client=None, columns: list[str] | None = None) -> pd.DataFrame:
    """Return :func:`analysis.entities.find_mentions` of `sentences`, found once per selection and alias table.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentences the notebook compares (after its selection).
    aliases : pandas.DataFrame or None
        The alias table (:func:`entity_aliases`); None proposes entities from all of
        `sentences` first (:func:`analysis.entities.propose_entities`).
    processed_dir : str, default ""
        The prepared corpus folder: the mentions are kept in its ``cache/`` folder, keyed by
        the sentence columns ``find_mentions`` reads (:data:`MENTION_INPUTS`), the alias
        table's alias columns and the matching code, and found once however many notebooks
        ask (the others wait on the lock, then read them); "" finds them here.
    client : distributed.Client, optional
        Runs the chunks on a Dask cluster (:func:`analysis.partition.per_article`).
    columns : list of str, optional
        Only these of :data:`MENTION_COLUMNS` (all are still found and kept): a page that
        reads a few columns does not hold the others (at 40,000 generated articles the
        sentence ids, outlets and surfaces are about half of the 2.8 million rows' memory).

    Returns
    -------
    pandas.DataFrame
        Equal to ``partition.per_article(find_mentions, sentences, client=client,
        aliases=aliases)`` (values, dtypes, a fresh index), or to its `columns`: what
        ``actor_mentions`` (all columns) and ``extract_quotes`` (:data:`analysis.quotes.MENTIONS_READ`)
        take as ``mentions``.

    Examples
    --------
    >>> s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "start": [0],
    ...                   "sentence_text": ["Marco Rubio spoke."]})
    >>> from analysis.entities.aliases import SHIPPED_ALIASES, load_aliases
    >>> entity_mentions(s, aliases=load_aliases(SHIPPED_ALIASES))[["entity", "surface"]].values.tolist()
    [['Marco Rubio', 'Marco Rubio']]

    Notes
    -----
    O(characters of the sentences + alias characters) to hash the key, then either O(the
    table) to read the kept mentions or ``find_mentions``' cost once (chunks of
    ``partition.LOCAL_CHUNK`` articles; the alias table is hashed once for the key, not
    again by every chunk). At 10,000 generated articles (690,389 mentions, 93 MB) finding
    them costs 9 to 10 s CPU and reading them with the key 1.0 s, so the framing page's
    ``actor_mentions`` takes 2.9 s instead of 10.2 s and the voices page's
    ``extract_quotes`` 48.4 s instead of 54.8 s, the same tables (``bench/mentions_once.py``).
    At 40,000 (2,791,532 mentions): 57 s to find them per page, 3.0 s to read them (+327 MB).
    Memory: with `processed_dir`, one chunk's matching and one row group of the cache file
    while the mentions are found (each chunk's written as it comes), then the `columns` read
    back (at 40,000 generated articles the step peaks +617 MB over its start with the voices
    page's columns, +789 when the table was joined before it was written); without, the table
    and one column's copy while its chunks are joined (:func:`_one_chunk`). The alias table's
    automaton (tens of MB for the 79,040 proposed aliases of 10,000 generated articles, about
    190 MB for the 274,048 of 40,000) is dropped when the chunks are done, before the columns are joined (and its memory
    given back: :func:`analysis.kernel.release_memory`), rather than kept for the
    kernel's life.
    """
    from analysis import partition
    from analysis.entities.mentions import _alias_digest, find_mentions

    if columns is not None and set(columns) - set(MENTION_COLUMNS):
        raise ParameterError(f"entity_mentions: columns {sorted(set(columns) - set(MENTION_COLUMNS))} are not "
                             f"mention columns; valid: {list(MENTION_COLUMNS)}")
    if aliases is None:
        aliases = propose_entities(sentences)
    digest = _alias_digest(aliases)
    if not processed_dir:
        with _finding(aliases, digest):
            found = partition.per_article(find_mentions, sentences, client=client, aliases=aliases)
        found = _one_chunk(found)
        return found if columns is None else found[list(columns)]

    def parts():
        """Yield the chunks' mentions one at a time, for the cache file: the whole table is never held."""
        with _finding(aliases, digest):
            yield from partition.per_article_parts(find_mentions, sentences, client=client, aliases=aliases)

    from analysis.corpus import cached_table

    code = _code_version(_MENTION_CODE, Path(__file__).parent.parent)
    key = _texts_key(sentences[list(MENTION_INPUTS)], digest, code)
    return cached_table(processed_dir, "entity-mentions", key, parts, columns=columns)
