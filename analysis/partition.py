"""Per-article steps and how they run: whole, in chunks of articles, or on a Dask cluster.

Every analysis splits into a *per-article step* (text in, a tidy partial table out: sentence
scores, mentions, cue hits, quotations, tokens) and a *combining step* (partials in, the
statistic out: outlet means with bootstrap intervals, keyness, frame profiles). A per-article
step gives the same rows for an article whatever other articles it is run with, so the
corpus can be cut into chunks of whole articles, each chunk run anywhere, and the partial
tables concatenated in order: the result is the table one call on the whole corpus gives,
byte for byte (``tests/test_partition.py`` checks each step, on one chunk per article and on
a two-worker Dask cluster).

:func:`per_article` is the one function the notebooks call to run a per-article step; it
picks the path:

- no client: chunks of :data:`LOCAL_CHUNK` articles one after another in this process, so a
  step's working memory (its tokens, its intermediate joins) is that of 1,000 articles
  whatever the corpus; a smaller corpus is one call on the whole tables (the pandas path);
  ``chunk_articles=N`` sets another size;
- a ``distributed.Client`` (:func:`analysis.cluster.connect`): the chunks are Dask tasks on
  the cluster's workers, results gathered in order (``corpus.map_ordered``).

A step run in more than one chunk shows a progress bar (``tqdm.auto``: a widget in
JupyterLab, a line on stderr elsewhere) unless the environment sets
``NEWSFRAMES_PROGRESS=0``, as ``newsframes report`` does for its kernels (it prints its own
line per long cell).

:data:`PER_ARTICLE` lists the steps known to have that property.
"""

from __future__ import annotations

import functools
import os

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.entities.aliases import ENTITY
from analysis.errors import ParameterError


def _sorted_by(*columns):
    def combine(table: pd.DataFrame, options: dict) -> pd.DataFrame:
        return table.sort_values(list(columns), kind="stable", ignore_index=True)
    return combine


def _scheme_order(table: pd.DataFrame, options: dict) -> pd.DataFrame:
    from analysis.frames import SCHEME, load_lexicon

    lexicon = options.get("lexicon")
    lexicon = load_lexicon() if lexicon is None else lexicon
    rank = {scheme: i for i, scheme in enumerate(dict.fromkeys(lexicon[SCHEME]))}
    return table.sort_values(SCHEME, key=lambda col: col.map(rank), kind="stable", ignore_index=True)


def _concatenated(table: pd.DataFrame, options: dict) -> pd.DataFrame:
    return table


def _added_pair_counts(table: pd.DataFrame, options: dict) -> pd.DataFrame:
    from analysis.terms import add_pair_counts

    return add_pair_counts(table)


def _added_word_counts(table: pd.DataFrame, options: dict) -> pd.DataFrame:
    from analysis.actors import add_word_counts

    return add_word_counts(table)


# The library's per-article steps (module, function) and how the concatenated chunks are put
# back in the order one call on the whole tables gives: most keep article order; a step that
# sorts its output is re-sorted the same way (a stable sort of chunks in article order
# restores it); counts are added up. per_article refuses any other function; the tests
# check each one.
PER_ARTICLE = {
    ("analysis.sentiment.vader", "score_sentences"): _concatenated,
    ("analysis.entities.mentions", "find_mentions"): _concatenated,
    ("analysis.sentiment.people", "entity_scores"): _sorted_by(S.OUTLET, ENTITY, S.SENTENCE_ID),
    ("analysis.sentiment.people", "toward"): _concatenated,
    ("analysis.frames.lexicon", "find_cues"): _scheme_order,
    ("analysis.actors", "actor_mentions"): _concatenated,
    ("analysis.actors", "actor_word_counts"): _added_word_counts,
    ("analysis.tokens", "tokenize"): _concatenated,
    ("analysis.tokens", "word_counts"): _concatenated,
    ("analysis.terms.context", "collocation_counts"): _added_pair_counts,
    ("analysis.terms.context", "term_contexts"): _sorted_by(S.OUTLET, S.ARTICLE_ID, S.START, S.END),
    ("analysis.quotes.extract", "extract_quotes"): _concatenated,
    ("analysis.facts", "extract_facts"): _concatenated,
    ("analysis.reuse.passages", "shingle_table"): _concatenated,
}
# combining steps that add counts up: partial sums combine to the same table (per_article folds them)
_ADDITIVE = (_added_pair_counts, _added_word_counts)
DEFAULT_CHUNK = 500  # most articles per Dask task: enough to amortise a task, few enough to balance
# Articles per chunk in this process: a step's working memory stays that of 1,000 articles. At 4,142 abp-2013
# articles (bench: same tables either way) 1,000 instead of 2,000 cut the peak that collocation_counts adds
# from 0.95 to 0.57 GB and actor_word_counts' from 0.64 to 0.28 GB at the same CPU time (500: 0.51, 0.29 GB;
# python bench/chunks.py).
LOCAL_CHUNK = 1000
PROGRESS_ENV = "NEWSFRAMES_PROGRESS"  # "0": no progress bar (the report's kernels)


def article_chunks(tables: list[pd.DataFrame], size: int):
    """Yield lists of tables, each holding the rows of the same `size` articles.

    Parameters
    ----------
    tables : list of pandas.DataFrame
        Each with an ``article_id`` column. Articles are taken in the order they first
        appear in the first table (then any only in later tables); rows keep their order.
    size : int
        Articles per chunk, 1 or more.

    Yields
    ------
    list of pandas.DataFrame
        One slice of each table per chunk (possibly empty), with the original index.

    Examples
    --------
    >>> s = pd.DataFrame({"article_id": ["a", "a", "b", "c"], "n": [1, 2, 3, 4]})
    >>> [chunk[0]["n"].tolist() for chunk in article_chunks([s], 2)]
    [[1, 2, 3], [4]]

    Notes
    -----
    O(rows of all tables) to assign chunks (ids looked up in Arrow, no Python string per row),
    then one take per chunk, table and column (:func:`take_rows`: an Arrow column piece by
    piece, never joined whole).
    """
    ids = pd.unique(pd.concat([t[S.ARTICLE_ID] for t in tables], ignore_index=True))
    if not len(ids):
        yield list(tables)
        return
    n_chunks = -(-len(ids) // size)
    cuts = []
    for table in tables:
        codes = _positions(table[S.ARTICLE_ID], ids) // size
        order = np.argsort(codes, kind="stable")  # rows of each chunk, in their table order
        cuts.append((order, np.searchsorted(codes[order], np.arange(n_chunks + 1))))
    for k in range(n_chunks):
        chunk = []
        for t, (order, bounds) in zip(tables, cuts):
            rows = order[bounds[k]:bounds[k + 1]]  # increasing: table order within the chunk
            if not t.shape[1]:
                chunk.append(t.iloc[rows])
                continue
            columns = {j: take_rows(t.iloc[:, j], rows) for j in range(t.shape[1])}  # by position: any names
            chunk.append(pd.DataFrame(columns).set_axis(t.columns, axis=1).set_axis(t.index[rows]))
        yield chunk


def take_rows(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """Return ``column.iloc[rows]`` (the same values and dtype, a fresh index), each Arrow chunk taking its own rows.

    Parameters
    ----------
    column : pandas.Series
        Any column.
    rows : numpy.ndarray of int
        Positions, in any order.

    Returns
    -------
    pandas.Series
        ``column.iloc[rows].reset_index(drop=True)`` (tested equal).

    Notes
    -----
    pyarrow's ``take`` from a column of several chunks (a prepared corpus is read row group by
    row group) first concatenates every chunk (apache/arrow#39565): a copy of the whole column
    for every take, 51-54 MB for the sentence texts of 10,000 generated articles whichever rows
    are taken. Here the rows are grouped by chunk (one stable sort, skipped when they already
    go chunk after chunk), each chunk gives its rows and those are put back in the order asked.
    A column that is not Arrow-backed, or in one chunk, is read with ``iloc``. O(rows log rows)
    (O(rows) when ordered); memory: the rows' values, twice when they are reordered.

    Examples
    --------
    >>> s = pd.concat([pd.Series(["a", "b"], dtype="str"), pd.Series(["c"], dtype="str")], ignore_index=True)
    >>> take_rows(s, np.array([2, 0])).tolist()
    ['c', 'a']
    """
    import pyarrow as pa

    rows = np.asarray(rows, dtype=np.int64)
    values = column.array
    chunks = values.__arrow_array__() if isinstance(column.dtype, pd.ArrowDtype | pd.StringDtype) \
        and hasattr(values, "__arrow_array__") else None
    if not isinstance(chunks, pa.ChunkedArray) or chunks.num_chunks <= 1:
        return column.iloc[rows].reset_index(drop=True)
    starts = np.r_[0, np.cumsum([len(c) for c in chunks.chunks])]
    which = np.searchsorted(starts, rows, side="right") - 1
    ordered = bool(np.all(which[1:] >= which[:-1]))
    order = np.arange(len(rows)) if ordered else np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(chunks.num_chunks + 1))
    parts = [chunks.chunk(k).take(pa.array(rows[order[bounds[k]:bounds[k + 1]]] - starts[k]))
             for k in range(chunks.num_chunks) if bounds[k + 1] > bounds[k]]
    joined = pa.concat_arrays(parts) if parts else chunks.chunk(0).slice(0, 0)
    del parts
    if not ordered:
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.arange(len(order))
        joined = joined.take(pa.array(inverse))
    return pd.Series(pd.array(joined, dtype=column.dtype), name=column.name)


def _positions(column: pd.Series, ids) -> np.ndarray:
    """Return the position of each row's id in `ids` (every id is there).

    Arrow text is looked up by Arrow (``pyarrow.compute.index_in``: no Python string per row; at
    40,000 generated articles +51 against +226 MB for the sentences and mentions), other columns
    by ``Index.get_indexer``. O(rows + ids).
    """
    values = column.array
    if hasattr(values, "__arrow_array__") and hasattr(ids, "__arrow_array__"):
        import pyarrow as pa
        import pyarrow.compute as pc

        known = pa.chunked_array(ids.__arrow_array__()).combine_chunks()
        return pc.index_in(pa.chunked_array(values.__arrow_array__()), value_set=known).to_numpy()
    return pd.Index(ids).get_indexer(column)


def _run(step, options: dict, names: tuple, n_positional: int, chunk: list[pd.DataFrame]) -> pd.DataFrame:
    return step(*chunk[:n_positional], **options, **dict(zip(names, chunk[n_positional:])))


def per_article(step, *tables: pd.DataFrame, client=None, chunk_articles: int = 0,
                split: dict | None = None, **options) -> pd.DataFrame:
    """Return ``step(*tables, **options)``, run whole, in chunks of articles, or on a cluster.

    Parameters
    ----------
    step : callable
        A per-article step (:data:`PER_ARTICLE`): tables in, one tidy table out, each
        article's rows independent of the other articles. It must be importable by name
        (workers import it from the installed package).
    *tables : pandas.DataFrame
        Its table arguments, each with ``article_id`` (sentences, articles, mentions...).
    client : distributed.Client, optional
        Run the chunks as tasks on this Dask cluster (:func:`analysis.cluster.connect`).
    chunk_articles : int, default 0
        Articles per chunk; 0 means :data:`LOCAL_CHUNK` without a client (one call for a
        corpus of up to that many articles), and with one enough chunks for four per worker,
        of at most :data:`DEFAULT_CHUNK` articles.
    split : dict, optional
        Keyword arguments of `step` that are tables too (``{"articles": articles}``): cut
        into the same chunks as `tables`, so each task carries only its articles' rows.
    **options
        Keyword options of `step`, the same for every chunk.

    Returns
    -------
    pandas.DataFrame
        The partial tables concatenated in chunk order with a fresh index: equal to one
        call on the whole tables for a per-article step.

    Raises
    ------
    ParameterError
        For a chunk size below 0, or a `step` that is not in :data:`PER_ARTICLE`.

    Examples
    --------
    >>> from analysis.tokens import word_counts
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                   "sentence_text": ["Two words.", "Three more words."]})
    >>> per_article(word_counts, s, chunk_articles=1).equals(word_counts(s))
    True

    Notes
    -----
    O(the step's cost) plus O(rows) to cut and concatenate. On a cluster each chunk's
    tables and options travel to a worker and its result back (the driver holds at most
    twice the workers' chunks in flight). Empty partial tables are dropped before
    concatenation unless all are empty, so column types follow the non-empty ones.
    """
    combine, parts = _chunked(step, tables, client, chunk_articles, split or {}, options)
    if isinstance(parts, pd.DataFrame):
        return parts  # one chunk: the pandas path
    if combine in _ADDITIVE:
        return _folded(parts, combine, options)
    return combine(_concat(list(parts)), options)


def per_article_parts(step, *tables: pd.DataFrame, client=None, chunk_articles: int = 0,
                      split: dict | None = None, **options):
    """Yield the partial tables of a concatenated step chunk by chunk, for a caller that writes them as they come.

    Parameters
    ----------
    step, *tables, client, chunk_articles, split, **options
        As :func:`per_article`; `step` must be one whose partial tables are simply
        concatenated (:data:`PER_ARTICLE` maps it to no re-sorting or adding up).

    Yields
    ------
    pandas.DataFrame
        Each chunk's partial table, in chunk order, with the index the step gave it; the
        empty ones left out, unless all are empty (then the first). Their concatenation
        with a fresh index is :func:`per_article`'s table (the same values and, as long as
        no part is empty, the same dtypes: ``per_article`` also turns a text column that
        came out as objects in some part into text).

    Raises
    ------
    ParameterError
        As :func:`per_article`, and for a step whose parts are re-sorted or added up.

    Examples
    --------
    >>> from analysis.tokens import word_counts
    >>> s = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "Y"],
    ...                   "sentence_text": ["Two words.", "Three more words."]})
    >>> [len(p) for p in per_article_parts(word_counts, s, chunk_articles=1)]
    [1, 1]

    Notes
    -----
    O(the step's cost) plus O(rows) to cut; memory: one chunk's tables and result at a time
    (plus, on a cluster, the chunks in flight), never the whole result.
    """
    combine, parts = _chunked(step, tables, client, chunk_articles, split or {}, options)
    if combine is not _concatenated:
        raise ParameterError(f"per_article_parts: {step.__name__!r}'s partial tables are combined, not "
                             "concatenated; use per_article")
    if isinstance(parts, pd.DataFrame):
        yield parts
        return
    empty, rows = None, False
    for part in parts:
        if len(part):
            rows = True
            yield part
        elif empty is None:
            empty = part
    if not rows and empty is not None:
        yield empty


def _chunked(step, tables: tuple, client, chunk_articles, split: dict, options: dict):
    """Check the step and chunk size; return its combine and either one call's table or the parts' iterator."""
    if isinstance(chunk_articles, bool) or not isinstance(chunk_articles, int) or chunk_articles < 0:
        raise ParameterError(f"chunk_articles {chunk_articles!r}: expected 0 (the default size) or a "
                             "number of articles, 1 or more")
    combine = PER_ARTICLE.get((getattr(step, "__module__", ""), getattr(step, "__name__", "")))
    if combine is None:
        known = ", ".join(name for _, name in PER_ARTICLE)
        raise ParameterError(f"per_article: {getattr(step, '__name__', step)!r} is not a per-article step; "
                             f"known: {known}")
    size = chunk_articles or (_chunk_for(client, tables[0]) if client is not None else LOCAL_CHUNK)
    if client is None and tables[0][S.ARTICLE_ID].nunique() <= size:
        return combine, step(*tables, **options, **split)  # one chunk: the pandas path
    from analysis.corpus import map_ordered

    run = functools.partial(_run, step, options, tuple(split), len(tables))
    parts = map_ordered(run, article_chunks([*tables, *split.values()], size), client=client)
    return combine, _with_progress(parts, -(-tables[0][S.ARTICLE_ID].nunique() // size), step.__name__)


def _with_progress(parts, chunks: int, name: str):
    """Wrap the chunk results in a progress bar, unless :data:`PROGRESS_ENV` is "0" (or one chunk)."""
    if chunks < 2 or os.environ.get(PROGRESS_ENV, "1") == "0":
        return parts
    from tqdm.auto import tqdm

    return tqdm(parts, total=chunks, desc=name, unit=" chunks", leave=False)


def _folded(parts, combine, options: dict) -> pd.DataFrame:
    """Add up count tables as they arrive: the sum so far absorbs the new parts when they are as long.

    The same table as combining all the parts at once (integer sums; the combine sorts), but
    the parts of every chunk are never held together: memory stays about twice the summed
    table instead of the sum of the parts (one row per chunk a word or pair is seen in).
    O(rows of the parts x log chunks).
    """
    total, pending, waiting = None, [], 0
    for part in parts:
        pending.append(part)
        waiting += len(part)
        if waiting >= (len(total) if total is not None else 1) and len(pending) > (total is None):
            total = combine(_concat(([total] if total is not None else []) + pending), options)
            pending, waiting = [], 0
    return combine(_concat(([total] if total is not None else []) + pending), options)


def _chunk_for(client, table: pd.DataFrame) -> int:
    """Articles per task on a cluster: four tasks per worker at least, :data:`DEFAULT_CHUNK` at most."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    return int(min(DEFAULT_CHUNK, max(1, -(-table[S.ARTICLE_ID].nunique() // (4 * workers)))))


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate partial tables; a column that is text in any part stays text (not object)."""
    kept = [p for p in parts if len(p)] or parts[:1]
    out = pd.concat(kept, ignore_index=True)
    for col in out.columns[[dtype == np.dtype(object) for dtype in out.dtypes]]:
        text = next((p[col].dtype for p in kept if isinstance(p[col].dtype, pd.StringDtype)), None)
        if text is not None:
            out[col] = out[col].astype(text)
    return out


__all__ = ["DEFAULT_CHUNK", "PER_ARTICLE", "article_chunks", "per_article", "per_article_parts"]
