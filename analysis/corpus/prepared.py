"""Prepare a corpus into Parquet tables, stream it on one machine or a Dask cluster, read it back."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import schema as S
from analysis.corpus import read as R
from analysis.corpus.files import _make_folder, _remove_stale_temps, check_output_folder
from analysis.corpus.read import _clean_or_report, _problem_message, iter_raw, load_corpus
from analysis.corpus.select import select_articles
from analysis.errors import CorpusError, OutputError, ParameterError
from analysis.kernel import release_memory
from analysis.sentences import split_sentences

ARTICLES_FILE = "articles.parquet"
SENTENCES_FILE = "sentences.parquet"
PROGRESS_MIN = 500  # show a progress bar from this many articles on


@dataclass(frozen=True)
class Prepared:
    """What :func:`prepare` wrote: counts and paths."""

    articles: int
    sentences: int
    outlets: int
    articles_path: Path
    sentences_path: Path


def _schema(df: pd.DataFrame, fixed: dict) -> pa.Schema:
    """Arrow schema: `fixed` types for known columns, inferred types for extras (null -> string)."""
    fields = []
    for col in df.columns:
        if col in fixed:
            fields.append(pa.field(col, fixed[col]))
        else:
            inferred = pa.Schema.from_pandas(df[[col]], preserve_index=False).field(col).type
            fields.append(pa.field(col, pa.string() if inferred == pa.null() else inferred))
    return pa.schema(fields)


_ARTICLE_TYPES = {c: pa.string() for c in S.ARTICLE_COLUMNS}
_SENTENCE_TYPES = {**{c: pa.string() for c in S.SENTENCE_COLUMNS},
                   **{c: pa.int64() for c in (S.PARAGRAPH, S.SENTENCE, S.START, S.END)},
                   S.QUOTE_SHARE: pa.float64()}


def prepare_chunk(raw: pd.DataFrame) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[str]]:
    """Clean and split one chunk of raw articles: the per-article step of :func:`prepare`.

    Parameters
    ----------
    raw : pandas.DataFrame
        A chunk from :func:`iter_raw`.

    Returns
    -------
    (articles, sentences, problems)
        The cleaned articles and their sentences, or (None, None, problems) when cleaning
        found problems (one message per article). Pure: the same chunk gives the same
        tables in any process, which is what lets Dask workers run it.

    Notes
    -----
    O(characters of the chunk).
    """
    problems: list[str] = []
    arts = _clean_or_report(raw, problems)
    if arts is None:
        return None, None, problems
    return arts, split_sentences(arts), problems


def map_ordered(fn, items, *, client=None, window: int | None = None, processes: int = 1):
    """Yield ``fn(item)`` for each item, in order, here, in local processes or on a Dask cluster.

    Parameters
    ----------
    fn : callable
        A pure, importable function (workers import it from the installed package).
    items : iterable
        Its inputs, consumed lazily.
    client : distributed.Client, optional
        Run `fn` on the cluster's workers through Dask futures; None runs it here.
    window : int, optional
        Items in flight at once on the cluster or the processes (default: twice the workers),
        which bounds the memory the driver holds while results come back in order.
    processes : int, default 1
        Without a client, run `fn` in this many local processes (the standard library's
        ``ProcessPoolExecutor``, started fresh with ``spawn``) once there is a second item;
        1 runs everything here.

    Yields
    ------
    object
        The results, in the order of `items`, whichever worker finished first.

    Examples
    --------
    >>> list(map_ordered(len, ["a", "bb"]))
    [1, 2]

    Notes
    -----
    Each process starts by importing `fn`'s module (about a second), so a single item
    never starts one. Items and results are pickled to and from the processes.
    """
    if client is None and processes <= 1:
        for item in items:
            yield fn(item)
        return
    from collections import deque

    items = iter(items)
    if client is None:
        first = next(items, _NOTHING)
        second = next(items, _NOTHING)
        if second is _NOTHING:  # one item (or none): not worth starting processes
            if first is not _NOTHING:
                yield fn(first)
            return
        import itertools
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        items = itertools.chain([first, second], items)
        executor = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
        submit, window = executor.submit, window or 2 * processes
    else:
        executor = None
        submit = functools.partial(client.submit, pure=False)
        window = window or max(2, 2 * len(client.scheduler_info().get("workers", {})))
    pending: deque = deque()
    try:
        for item in items:
            pending.append(submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


_NOTHING = object()


def prepare(corpus: str | os.PathLike, out: str | os.PathLike = "data/processed", *,
            dayfirst: bool | None = None, client=None, jobs: int = 1) -> Prepared:
    """Load, clean and split a corpus; write articles and sentences to `out`.

    Parameters
    ----------
    corpus : str or os.PathLike
        A corpus folder or table.
    out : str or os.PathLike
        Output folder; gets ``articles.parquet`` and ``sentences.parquet``.
    dayfirst : bool or None, keyword-only
        How to read ambiguous numeric dates (see :func:`read_raw`).
    client : distributed.Client, optional
        Clean and split the chunks on this Dask cluster (:func:`analysis.cluster.dask_client`);
        the tables are byte-identical to those made here.
    jobs : int, default 1, keyword-only
        Without a client, clean and split the chunks in this many local processes (from the
        second chunk on); the tables are byte-identical. Cleaning and splitting are most of
        the time (26 of 27 CPU s on the 4,142 abp-2013 articles), so 2 on two cores nearly
        halves it.

    Returns
    -------
    Prepared
        Counts of articles, sentences and outlets, and the two paths.

    Raises
    ------
    CorpusError
        As :func:`load_corpus`; nothing is written then.
    ParameterError
        If `out` is inside the corpus (raw data is never written to), a file, or not
        writable (see :func:`check_output_folder`).

    Notes
    -----
    Streams the corpus :data:`R.CHUNK` articles at a time (:func:`iter_raw`): reads, cleans,
    splits and appends row groups to temporary Parquet files that are renamed into place
    only when every chunk succeeded, so peak memory is bounded by the chunk, not the corpus.
    Every problem in the whole corpus is reported at once (after the first, chunks are only
    checked). A progress bar counts articles beyond the first chunk. Temp files left by a
    killed run are removed first. The same corpus always gives byte-identical files.
    O(bytes) time.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"--jobs {jobs!r}: expected a whole number of processes, 1 or more")
    out = Path(out)
    check_output_folder(out, corpus, what="--out")
    created = not out.exists()
    _make_folder(out, "--out")
    paths = (out / ARTICLES_FILE, out / SENTENCES_FILE)
    _remove_stale_temps(out)
    tmps = [p.with_name(f".{p.name}.{os.getpid()}.tmp") for p in paths]
    writers: list = [None, None]
    n_art, n_sent, outlets, problems = 0, 0, set(), []
    bar = None
    try:
        chunks = iter_raw(corpus, problems, dayfirst=dayfirst)
        for arts, sents, chunk_problems in map_ordered(prepare_chunk, chunks, client=client, processes=jobs):
            problems.extend(chunk_problems)
            if bar is None and arts is not None and len(arts) == R.CHUNK:
                bar = _progress_bar()
            if arts is None or problems:
                continue  # once anything is wrong, only look for more problems
            for k, (df, fixed) in enumerate(((arts, _ARTICLE_TYPES), (sents, _SENTENCE_TYPES))):
                table = pa.Table.from_pandas(df, preserve_index=False)
                if writers[k] is None:
                    writers[k] = pq.ParquetWriter(tmps[k], _schema(df, fixed), compression="zstd")
                writers[k].write_table(_conform(table, writers[k].schema, corpus))
            n_art, n_sent = n_art + len(arts), n_sent + len(sents)
            outlets.update(arts[S.OUTLET])
            if bar is not None:
                bar.update(len(arts))
        if problems:
            raise CorpusError(_problem_message(corpus, problems))
        for w in writers:
            w.close()
        for tmp, path in zip(tmps, paths):
            os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write ({exc.strerror or exc}); nothing was "
                          "replaced") from None
    finally:
        if bar is not None:
            bar.close()
        for w, tmp in zip(writers, tmps):
            if w is not None and tmp.exists():
                w.close()
                tmp.unlink()
        if created and out.exists() and not any(out.iterdir()):
            out.rmdir()  # a failed first run leaves no empty folder behind
    return Prepared(n_art, n_sent, len(outlets), *paths)


def _conform(table: pa.Table, schema: pa.Schema, corpus) -> pa.Table:
    """Cast a chunk to the schema of the first chunk; a column that cannot be is one message."""
    table = table.select([f.name for f in schema]) if set(table.column_names) >= set(schema.names) else table
    try:
        return table.cast(schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError) as exc:
        raise CorpusError(f"{corpus}: a column's values change type between rows ({exc}); make each "
                          "column's values all text or all numbers") from None


def _progress_bar(desc: str = "preparing", total: int | None = None):
    """Return a progress bar (stderr) counting articles, for corpora larger than one chunk."""
    from tqdm.auto import tqdm

    return tqdm(desc=desc, total=total, unit=" articles", file=sys.stderr)


def split_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Split articles into sentences, with a progress bar for large corpora.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles table.

    Returns
    -------
    pandas.DataFrame
        The sentence table (see :func:`analysis.sentences.split_sentences`).
    """
    if len(articles) < PROGRESS_MIN:
        return split_sentences(articles)
    parts = []
    with _progress_bar("splitting", total=len(articles)) as bar:
        for i in range(0, len(articles), R.CHUNK):
            parts.append(split_sentences(articles.iloc[i:i + R.CHUNK]))
            bar.update(min(R.CHUNK, len(articles) - i))
    return pd.concat(parts, ignore_index=True)


def read_processed(folder: str | os.PathLike = "data/processed", *, raw_text: bool = False, text: bool = True):
    """Read the articles and sentences tables that :func:`prepare` wrote.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder given to :func:`prepare`.
    raw_text : bool, default False, keyword-only
        Also read ``raw_text``, the articles as they were before cleaning: only cleaning
        needs it, and it holds as much text again as the rest of the corpus.
    text : bool, default True, keyword-only
        Read the articles' ``text``; False leaves it out (the sentences hold the same words),
        for steps that need only the articles' other columns.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Articles and sentences.

    Raises
    ------
    CorpusError
        If either file is missing (run ``newsframes prepare`` first).

    Notes
    -----
    O(bytes read). Strings come back as pandas' Arrow-backed strings, a fraction of the
    memory of Python objects.
    """
    folder = Path(folder)
    for name in (ARTICLES_FILE, SENTENCES_FILE):
        if not (folder / name).exists():
            raise CorpusError(f"{folder / name}: missing; run `newsframes prepare CORPUS "
                              f"--out {folder}` first")
    names = pq.ParquetFile(folder / ARTICLES_FILE).schema_arrow.names
    left_out = ({S.RAW_TEXT} if not raw_text else set()) | ({S.TEXT} if not text else set())
    columns = [c for c in names if c not in left_out]
    return _read_frame(folder / ARTICLES_FILE, columns), _read_frame(folder / SENTENCES_FILE)


def _read_frame(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a Parquet file as ``pandas.read_parquet`` would, holding little more than the frame.

    Parameters
    ----------
    path : pathlib.Path
        A Parquet file written by :func:`prepare`.
    columns : list of str, optional
        The columns to read, in this order; None reads all.

    Returns
    -------
    pandas.DataFrame
        The same frame as ``pandas.read_parquet(path, columns=columns)``: the same columns,
        dtypes (Arrow-backed strings, NumPy numbers), values and ``RangeIndex``.

    Notes
    -----
    O(bytes read) time. Memory: the frame, plus while it is made the file's Arrow table and
    the decoding buffers of one row group (bounded by the largest file, not the sum of both).
    Pandas' reader (``pyarrow.parquet.read_table``) pre-buffers the compressed column
    chunks, decodes with threads and then widens the string offsets to 64 bits, all in
    Arrow's default pool (mimalloc), which keeps much of what is freed. Here the row groups
    are read one after another without pre-buffering into Arrow's system pool (the C
    library's ``malloc``), the strings are widened there, and the freed pages are given
    back (:func:`analysis.kernel.release_memory`: ``malloc_trim``) before the next file.
    Opening 40,000 generated articles (562 MB of frames, imports 143 MB): peak 1,042-1,077
    -> 941 MB, held after ``release_memory`` 836-843 -> 748 MB (``bench/open_corpus.py``).
    Each column is then one Arrow chunk (joined a column at a time, so the transient is the
    largest column): pyarrow 26's ``take`` from a column of several chunks (one per row group)
    first joins the whole column (apache/arrow#39565), and pandas takes for ``iloc`` with
    positions and for a DataFrame's boolean mask (``sentences[mask]``), so every such
    selection of the opened corpus copied the sentence texts (205 MB at 40,000 generated
    articles). A file with pandas metadata (an index to restore) is read by pandas itself.
    """
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    meta = pq.ParquetFile(path).metadata  # the footer, read once: the schema and each column's size
    schema = meta.schema.to_arrow_schema()
    if schema.metadata and b"pandas" in schema.metadata:
        return pd.read_parquet(path, columns=columns)
    fmt = ds.ParquetFileFormat(default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False))
    pool = pa.system_memory_pool()
    dataset = ds.dataset(path, format=fmt, schema=schema)
    names = list(columns) if columns is not None else schema.names
    # a column at a time, largest first (while little else is held), each made one chunk: strings
    # cast to large_string as pandas holds them (the cast shares the characters, only the offsets
    # widen), then its row groups joined, all in the same pool
    size = {meta.schema.column(i).name: sum(meta.row_group(g).column(i).total_uncompressed_size
                                            for g in range(meta.num_row_groups)) for i in range(meta.num_columns)}
    read = {}
    for name in sorted(names, key=lambda c: -size.get(c, 0)):
        col = dataset.to_table(columns=[name], use_threads=False, memory_pool=pool).column(0)
        if pa.types.is_string(col.type):  # first: a column of over 2 GiB of text joins only with 64-bit offsets
            col = pc.cast(col, pa.large_string(), memory_pool=pool)
        if col.num_chunks > 1:
            col = pa.chunked_array([col.combine_chunks(memory_pool=pool)])
        read[name] = col
        del col
    table = pa.table([read.pop(c) for c in names], names=names, metadata=schema.metadata)
    frame = table.to_pandas()
    del table
    release_memory()  # the freed pages and decompression buffers, before the next file is read
    return frame


def open_corpus(
    corpus: str | os.PathLike,
    *,
    processed_dir: str | os.PathLike = "",
    outlets: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    where: dict | None = None,
    top_outlets: int = 0,
    other_outlets: bool = True,
    group_by: str = "",
    text: bool = True,
):
    """Return the (selected) articles and sentences of a corpus, as notebooks need them.

    Parameters
    ----------
    corpus : str or os.PathLike
        The corpus folder or table.
    processed_dir : str or os.PathLike, default ""
        A folder written by :func:`prepare`; "" (or a folder without the files) loads and
        splits the corpus in memory, writing nothing.
    outlets, date_from, date_to, where, top_outlets, other_outlets, group_by
        Passed to :func:`select_articles`; the sentences get the same ``outlet`` (and
        ``source_outlet``) as their article.
    text : bool, default True
        Keep the articles' ``text`` column; False leaves it out once the articles are
        selected (a `where` on ``text`` still applies), for notebooks that read only the
        sentences' text: it is as large as the sentence table's text (about 5 MB per 1,000
        news articles).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Articles and sentences, restricted to the selected articles.

    Notes
    -----
    O(bytes read). From a prepared folder without `text` (and no `where` on it) the
    column is never read, so it costs no memory at all.
    """
    if processed_dir and (Path(processed_dir) / ARTICLES_FILE).exists():
        articles, sentences = read_processed(processed_dir, text=text or S.TEXT in (where or {}))
    else:
        articles = load_corpus(corpus)
        sentences = split_articles(articles)
    articles = select_articles(articles, outlets=outlets, date_from=date_from or None,
                               date_to=date_to or None, where=where, top_outlets=top_outlets,
                               other_outlets=other_outlets, group_by=group_by)
    sentences = sentences[sentences[S.ARTICLE_ID].isin(articles[S.ARTICLE_ID])].reset_index(drop=True)
    if S.SOURCE_OUTLET in articles.columns:  # grouped: a sentence's outlet is its article's group
        by_id = articles.set_index(S.ARTICLE_ID)
        sentences[S.SOURCE_OUTLET] = sentences[S.OUTLET]
        sentences[S.OUTLET] = sentences[S.ARTICLE_ID].map(by_id[S.OUTLET])
    if not text and S.TEXT in articles.columns:
        articles = articles.drop(columns=S.TEXT)
    return articles, sentences


def with_text(articles: pd.DataFrame, *, corpus: str | os.PathLike = "",
              processed_dir: str | os.PathLike = "") -> pd.DataFrame:
    """Return `articles` with their ``text`` column again, for a cell that needs it.

    A notebook opens the corpus without the articles' text (``open_corpus(text=False)``)
    when only a few of its cells read it (KWIC lines, quotation marks): the text is then not
    held through the notebook's largest steps, only while such a cell runs.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles from :func:`open_corpus` (any selection), with or without ``text``.
    corpus, processed_dir : str or os.PathLike
        As given to :func:`open_corpus`: the text is read from the prepared folder when it
        has the articles file, else from the corpus.

    Returns
    -------
    pandas.DataFrame
        A new frame, one row per row of `articles` in the same order and index, with
        ``text`` where :func:`open_corpus` puts it: the very frame ``open_corpus(...,
        text=True)`` returns for the same arguments (tested equal). `articles` itself when
        it already has the column.

    Raises
    ------
    CorpusError
        If an article is not in the corpus (`articles` came from another corpus).

    Examples
    --------
    >>> from analysis.corpus import BUNDLED_CORPUS
    >>> bare, _ = open_corpus(BUNDLED_CORPUS, text=False)
    >>> full = with_text(bare, corpus=BUNDLED_CORPUS)
    >>> full.equals(open_corpus(BUNDLED_CORPUS)[0]), "text" in bare.columns
    (True, False)

    Notes
    -----
    O(articles in the file): reads the file's ``article_id`` and ``text`` (a prepared folder:
    those two columns only, each as one chunk, :func:`read_processed`'s reader) and takes the
    rows of `articles` (:func:`analysis.partition.take_rows`); memory: the whole file's text while it is
    read (about 5 MB per 1,000 news articles, 196 MB at 40,000 generated ones), then the
    selected rows'. Without a prepared folder the corpus is loaded and cleaned again
    (:func:`analysis.corpus.load_corpus`), as ``open_corpus`` does.
    """
    from analysis.partition import _positions, take_rows

    if S.TEXT in articles.columns:
        return articles
    folder = Path(processed_dir) if processed_dir else None
    if folder is not None and (folder / ARTICLES_FILE).exists():
        order = pq.ParquetFile(folder / ARTICLES_FILE).schema_arrow.names
        source = _read_frame(folder / ARTICLES_FILE, [S.ARTICLE_ID, S.TEXT])
    else:
        loaded = load_corpus(corpus)
        order, source = list(loaded.columns), loaded[[S.ARTICLE_ID, S.TEXT]]
        del loaded
    known = articles[S.ARTICLE_ID].isin(source[S.ARTICLE_ID])  # O(articles): one row per article
    if not known.all():
        raise CorpusError(f"article {articles[S.ARTICLE_ID][~known].iloc[0]!r}: not in "
                          f"{folder / ARTICLES_FILE if folder is not None else corpus}; pass the corpus "
                          "and processed_dir the articles were opened from")
    text = take_rows(source[S.TEXT], _positions(articles[S.ARTICLE_ID], source[S.ARTICLE_ID]))
    del source
    text.index = articles.index
    out = articles.copy(deep=False)
    before = set(order[:order.index(S.TEXT)]) if S.TEXT in order else set(order)
    at = sum(1 for c in out.columns if c in before)
    out.insert(at, S.TEXT, text)
    return out
