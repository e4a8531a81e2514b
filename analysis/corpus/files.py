"""Files: atomic writes, tables, YAML, output-folder checks, the bundled corpus's paths.

Every file newsframes writes goes through :func:`atomic_write_bytes` (temp file, then
rename, with the user's umask); nothing here writes to a corpus.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from analysis._paths import bundled_corpus, package_path
from analysis.errors import AnalysisError, ParameterError, ResourceError

BUNDLED_CORPUS = bundled_corpus()  # data/raw, shipped in the package (analysis/bundled_corpus)
SHIPPED_LEXICONS = package_path("lexicons", "cuba-us-2026")  # its alias/concept files


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it; set back at once (module import time)
    os.umask(mask)
    return mask


UMASK = _umask()  # files are written with the user's umask, like any other program's


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder, then rename.

    Parameters
    ----------
    path : str or os.PathLike
        Destination; its folder is created if needed.
    data : bytes
        The complete content.
    """
    with _atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


@contextmanager
def _atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temp file's name beside `path`; on success give it the umask's mode and rename it.

    On any error the temp file is removed and `path` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~UMASK)  # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """Return a ZIP archive of `members` (name to bytes) that is the same on every run.

    Parameters
    ----------
    members : dict of str to bytes
        Archive names and contents, written in the dict's order.

    Returns
    -------
    bytes
        The archive; every entry is deflated and time-stamped 2026-01-01 00:00.
    """
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # fixed: reproducible
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table atomically as ``.parquet`` or ``.csv`` (by suffix); return the path.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; written without its index.
    path : str or os.PathLike
        Destination ending in ``.parquet`` or ``.csv``.

    Returns
    -------
    pathlib.Path
        The written path. The same table always gives the same bytes.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        # written straight to the temp file (the same bytes): written into a BytesIO, the writer's
        # buffers came on top of the table (+191 against +57 MB for the 2-million-row keyness
        # table of 10,000 generated articles)
        with _atomic_path(path) as tmp:
            _write_parquet([df], tmp, what=f"write_table({path.name!r})")
    elif path.suffix == ".csv":
        atomic_write_bytes(path, _csv_bytes(df))
    else:
        raise ParameterError(f"{path}: unknown table format; use .parquet or .csv")
    return path


def _csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


def check_output_folder(out: str | os.PathLike, corpus: str | os.PathLike, *, what: str) -> Path:
    """Refuse an output folder that would write into the corpus or cannot be a folder.

    Parameters
    ----------
    out : str or os.PathLike
        The intended output folder (it may not exist yet).
    corpus : str or os.PathLike
        The corpus folder or table, which is never written to.
    what : str
        The option's name for messages ("--out", "--processed").

    Returns
    -------
    pathlib.Path
        `out`, resolved (links followed).

    Raises
    ------
    ParameterError
        When `out`, in any spelling (relative, ``..``, through a link), is the corpus
        folder or inside it, is the corpus table, or is (or lies under) a file.

    Examples
    --------
    >>> check_output_folder("data/raw/../raw/x", "data/raw", what="--out")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: --out data/raw/../raw/x: inside the corpus data/raw; ...
    """
    resolved, corpus_path = Path(out).resolve(), Path(corpus).resolve()
    if resolved == corpus_path or resolved.is_relative_to(corpus_path) and corpus_path.is_dir():
        raise ParameterError(f"{what} {out}: inside the corpus {corpus}; raw data is never written "
                             "to, choose a folder outside it")
    for parent in (resolved, *resolved.parents):
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError(f"{what} {out}: {parent} is a file, not a folder; choose a folder")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ParameterError(f"{what} {out}: {parent} is not writable; choose another folder")
            break
    return resolved


def _make_folder(path: Path, what: str) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"{what} {path}: cannot create the folder ({exc.strerror})") from None


def _remove_stale_temps(folder: Path) -> None:
    """Delete temp files a killed run left (``.name.<pid>.tmp`` whose process is gone)."""
    for tmp in folder.glob(".*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def cached_table(folder: str | os.PathLike, name: str, key: str, compute, *,
                 columns: list[str] | None = None) -> pd.DataFrame:
    """Return ``compute()``, computed once per `key` and kept as ``<folder>/cache/<name>-<key>.parquet``.

    Notebooks that run at the same time and need the same costly table (the entities
    proposed from one selection of a corpus) compute it once: the first takes a lock on the
    key, computes and writes the file atomically; the others wait on the lock, then read it.

    Parameters
    ----------
    folder : str or os.PathLike
        The prepared corpus folder (``processed_dir``); "" computes without a cache.
    name : str
        What the table is, part of the file name.
    key : str
        Identifies the inputs and the code (e.g. a hash of the sentences and of the module
        that computes it): a new key computes anew, stale files are never read.
    compute : callable
        Returns the table, or an iterator of its consecutive parts (each with the same
        columns and dtypes, as ``partition.per_article_parts`` yields): the parts are
        written to the file as they come (one row group held at a time, never the whole
        table) and the table is read back from it. Called at most once per key while the
        file exists.
    columns : list of str, optional
        Only these columns of the table, in this order (the whole table is still computed
        and kept): a kept file is read column by column, so the others are never loaded.

    Returns
    -------
    pandas.DataFrame
        Equal to ``compute()`` (values, dtypes and index; the Parquet round trip is checked
        by the tests), or to ``compute()[columns]``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> calls = []
    >>> def compute():
    ...     calls.append(1)
    ...     return pd.DataFrame({"a": [1, 2]})
    >>> first = cached_table(folder, "demo", "k1", compute)
    >>> again = cached_table(folder, "demo", "k1", compute)
    >>> again.equals(first), len(calls)
    (True, 1)

    Notes
    -----
    O(table) to read or write (O(the chosen columns) to read with `columns`), plus one
    ``compute()`` per key. Without ``fcntl`` (Windows) there is no lock: concurrent notebooks
    may each compute, with the same result. Parts are refused (:class:`ParameterError`,
    nothing kept) when their columns differ from the first part's.
    """
    columns = None if columns is None else list(columns)

    def chosen(table: pd.DataFrame) -> pd.DataFrame:
        return table if columns is None else table[columns]

    if not folder:
        table = compute()
        if not isinstance(table, pd.DataFrame):
            table = pd.concat(list(table), ignore_index=True)
        return chosen(table)
    path = Path(folder) / "cache" / f"{name}-{key}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None
    with open(path.with_suffix(".lock"), "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if path.exists():
            return pd.read_parquet(path, columns=columns)
        table = compute()
        if isinstance(table, pd.DataFrame):
            write_table(table, path)
            return chosen(table)
        with _atomic_path(path) as tmp:
            _write_parquet(table, tmp, what=f"cached_table({name!r})")
        del table
        return pd.read_parquet(path, columns=columns)


def content_key(df: pd.DataFrame, *parts: str | bytes) -> str:
    """Return a short hex key of a table's values (in order) and of `parts`.

    Parameters
    ----------
    df : pandas.DataFrame
        Hashed row by row with :func:`pandas.util.hash_pandas_object` (index left out).
    *parts : str or bytes
        More that the key depends on: parameters, a module's source.

    Returns
    -------
    str
        24 hex digits; equal tables and parts give equal keys.

    Examples
    --------
    >>> a = pd.DataFrame({"t": ["x", "y"]})
    >>> content_key(a, "v1") == content_key(a.copy(), "v1"), content_key(a, "v1") == content_key(a, "v2")
    (True, False)

    Notes
    -----
    O(cells), vectorised (about 1 s for 1.5 million sentences).
    """
    digest = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def corpus_hash(path: str | os.PathLike) -> str:
    """Return a SHA-256 over the corpus files' names and bytes (folder) or bytes (table).

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or table.

    Returns
    -------
    str
        Hex digest; the same files always give the same hash.
    """
    path = Path(path)
    h = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def save_table(df: pd.DataFrame, name: str, out_dir: str | os.PathLike, *, parquet: bool = False) -> None:
    """Save `df` as ``out_dir/tables/<name>.csv`` atomically; "" saves nothing.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    name : str
        File name without suffix ("corpus").
    out_dir : str or os.PathLike
        The report folder, or "".
    parquet : bool, default False
        Write ``<name>.parquet`` (zstd, pyarrow) instead of the CSV: for tables too large to
        read as text (e.g. the full keyness table beside its readable CSV summary). Tables of
        more than :data:`LARGE_TABLE_ROWS` rows or :data:`LARGE_TABLE_BYTES` bytes of CSV
        are always written as Parquet (every row kept, about a fifth of the bytes;
        ``pandas.read_parquet`` or R's ``arrow::read_parquet`` reads them), which keeps a
        report of a large corpus a size one can share.

    Returns
    -------
    None
        Nothing, so that as the last line of a notebook cell it adds no output (a path
        there would leak the report's staging folder into the HTML).
    """
    if not out_dir:
        return
    folder = Path(out_dir) / "tables"
    if not parquet and len(df) <= LARGE_TABLE_ROWS:
        text = _csv_bytes(df)
        if len(text) <= LARGE_TABLE_BYTES:
            atomic_write_bytes(folder / f"{name}.csv", text)
            return
    write_table(df, folder / f"{name}.parquet")



def save_table_parts(parts: Iterable[pd.DataFrame], name: str, out_dir: str | os.PathLike, *,
                     parquet: bool = False) -> None:
    """Save a table given as consecutive parts: the file :func:`save_table` writes for their concatenation.

    Parameters
    ----------
    parts : iterable of pandas.DataFrame
        The table's rows in order, a block at a time (a generator, so that the caller never holds
        the whole table). Every part has the same columns and dtypes; at least one part (it may
        be empty). Consumed whole even when `out_dir` is "" (so a generator's side effects, such
        as keeping the rows a page shows, still happen).
    name : str
        File name without suffix.
    out_dir : str or os.PathLike
        The report folder, or "" (nothing is written).
    parquet : bool, default False
        As in :func:`save_table`: Parquet even when the table is small.

    Returns
    -------
    None

    Raises
    ------
    ParameterError
        No parts, or a part whose columns or Arrow types differ from the first part's.

    Notes
    -----
    The file is byte for byte the one ``save_table(pd.concat(parts), name, out_dir,
    parquet=parquet)`` writes (tested): a table of at most :data:`LARGE_TABLE_ROWS` rows is
    concatenated and handed to :func:`save_table` (CSV when small enough); a larger one is
    written as Parquet row group by row group (:data:`PARQUET_ROW_GROUP` rows, where
    :func:`write_table` cuts them), through a temp file renamed at the end, so an error in a
    part leaves no file. Memory: the part being added plus about one row group of Arrow
    rows (copied into one chunk per column a column at a time), not the table. O(rows) time.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> out = tempfile.mkdtemp()
    >>> save_table_parts((pd.DataFrame({"n": [i, i + 1]}) for i in (0, 2)), "t", out)
    >>> print((Path(out) / "tables" / "t.csv").read_text(), end="")
    n
    0
    1
    2
    3
    """
    if not out_dir:
        if sum(1 for _ in parts) == 0:  # every part read
            raise ParameterError(f"save_table_parts({name!r}): no parts; give at least one (it may be empty)")
        return
    parts = iter(parts)
    small: list[pd.DataFrame] = []
    n_rows = 0
    for part in parts:
        small.append(part)
        n_rows += len(part)
        if parquet or n_rows > LARGE_TABLE_ROWS:
            break
    else:  # every part read: small enough for save_table's own choice of CSV or Parquet
        if not small:
            raise ParameterError(f"save_table_parts({name!r}): no parts; give at least one (it may be empty)")
        save_table(pd.concat(small, ignore_index=True), name, out_dir, parquet=parquet)
        return
    del part  # the parts read so far are handed over one by one (popped: not held once converted)
    rest = itertools.chain((small.pop(0) for _ in range(len(small))), parts)
    with _atomic_path(Path(out_dir) / "tables" / f"{name}.parquet") as tmp:
        _write_parquet(rest, tmp, what=f"save_table_parts({name!r})")


def _write_parquet(frames: Iterable[pd.DataFrame], where: str, *, what: str) -> None:
    """Write consecutive frames to `where` as one Parquet file, a row group at a time.

    The bytes of ``pq.write_table`` of their concatenation with one chunk per column: row groups
    of :data:`PARQUET_ROW_GROUP` rows, each made one chunk per column on its own (a table
    concatenated from chunks of articles, as ``partition.per_article`` returns, holds its text
    in several Arrow chunks, which Parquet would encode page by page differently), so only one
    row group is ever copied, not the table. Frames whose Arrow columns differ from the first's
    are refused (``what`` names the caller).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = writer = None
    pending: list[pa.Table] = []
    n_pending = written = 0
    try:
        for i, frame in enumerate(frames):
            table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
            del frame  # a converted part is not held twice
            if schema is None:
                schema = table.schema
                writer = pq.ParquetWriter(where, schema, compression="zstd")
            elif not table.schema.equals(schema, check_metadata=True):
                raise ParameterError(f"{what}: part {i} has columns {_fields(table.schema, schema)} where the "
                                     f"first part had {_fields(schema, table.schema)}; give every part the same dtypes")
            pending.append(table)
            n_pending += len(table)
            del table
            while n_pending >= PARQUET_ROW_GROUP:
                group, rest = _cut_group(pending, PARQUET_ROW_GROUP, schema)
                writer.write_table(group, row_group_size=PARQUET_ROW_GROUP)
                del group
                written += PARQUET_ROW_GROUP
                n_pending -= PARQUET_ROW_GROUP
                if n_pending:  # an empty slice would keep the written rows' buffers alive
                    pending.append(rest)
                del rest
        if writer is None:
            raise ParameterError(f"{what}: no table to write (no parts)")
        if n_pending or not written:  # the last, shorter row group (an empty table: one empty group)
            writer.write_table(_cut_group(pending, n_pending, schema)[0], row_group_size=PARQUET_ROW_GROUP)
    finally:
        if writer is not None:
            writer.close()


def _cut_group(parts: list, length: int, schema) -> tuple:
    """Empty `parts` (Arrow tables, in order) into their first `length` rows and the rest.

    The first rows come one chunk per column (a Parquet row group), the rest as slices of the
    parts' chunks. Made a column at a time: each column of the parts is let go once its rows are
    copied, so the parts and their copy are not both held whole (labels helper: about -250 MB at
    40,000 generated articles for the 1,048,576-row groups of the substitution table).
    """
    import pyarrow as pa

    rows = pa.concat_tables(parts)  # no copy: the parts' chunks
    parts.clear()
    if not rows.num_columns:
        return rows.slice(0, length).combine_chunks(), rows.slice(length)
    group, rest = [], []
    while rows.num_columns:
        column = rows.column(0)
        rows = rows.remove_column(0)
        group.append(column.slice(0, length).combine_chunks())
        rest.append(column.slice(length))
        del column
    return pa.Table.from_arrays(group, schema=schema), pa.Table.from_arrays(rest, schema=schema)


def _fields(schema, other) -> str:
    """List the fields of `schema` that differ from `other`'s (all of them when only the metadata differs)."""
    fields = [f"{f.name}: {f.type}" for f in schema if f.name not in other.names or other.field(f.name) != f]
    return ", ".join(fields) or ", ".join(f"{f.name}: {f.type}" for f in schema) + " (other pandas metadata)"


# rows per Parquet row group: pyarrow's own default, named so that a table saved part by part
# (save_table_parts) cuts its row groups where write_table does
PARQUET_ROW_GROUP = 1_048_576
# a table larger than either is saved as Parquet: all of it, about a fifth of the bytes
LARGE_TABLE_ROWS = 20_000
LARGE_TABLE_BYTES = 1_000_000  # 1 MB of CSV: 1,000 articles' facts, quotations, passages...


def read_tables(folder: str | os.PathLike, *, lazy: bool = False,
                first_of: dict[str, list[str]] | None = None):
    """Read every ``*.csv`` of a report's ``tables/`` folder, and each ``*.parquet`` without a CSV.

    Parameters
    ----------
    folder : str or os.PathLike
        The ``tables`` folder of a report.
    lazy : bool, default False, keyword-only
        Return a read-only mapping that reads a table when it is first asked for (and keeps
        it), so a caller holds only the tables it uses.
    first_of : dict of str to list of str, optional, keyword-only
        For these tables, keep only the first row of each combination of the given columns
        (file order), read 100,000 rows at a time: a caller that needs one example line per outlet
        and frame of a KWIC table holds those lines, not the table.

    Returns
    -------
    dict or collections.abc.Mapping of str to pandas.DataFrame
        Table name (file stem) to table, sorted by name; empty when the folder does not
        exist.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> save_table(pd.DataFrame({"outlet": ["A", "A", "B"], "line": [1, 2, 3]}), "kwic", out)
    >>> read_tables(Path(out) / "tables", first_of={"kwic": ["outlet"]})["kwic"]["line"].tolist()
    [1, 3]

    Notes
    -----
    O(bytes of the tables read). Memory: the tables read; with `first_of`, one Parquet
    100,000 rows at a time plus the rows kept.
    """
    folder = Path(folder)
    files = {p.stem: p for p in sorted(folder.glob("*.parquet"))} if folder.is_dir() else {}
    files.update({p.stem: p for p in sorted(folder.glob("*.csv"))} if folder.is_dir() else {})
    tables = _TableFolder(dict(sorted(files.items())), first_of or {})  # a CSV beside a Parquet is its summary
    return tables if lazy else dict(tables.items())


class _TableFolder(Mapping):
    """The tables of a folder by name, each read when first asked for (:func:`read_tables`)."""

    def __init__(self, files: dict[str, Path], first_of: dict[str, list[str]]):
        self._files, self._first_of, self._read = files, first_of, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._read:
            self._read[name] = _read_table(self._files[name], self._first_of.get(name))
        return self._read[name]

    def __iter__(self):
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def _read_table(path: Path, keys: list[str] | None) -> pd.DataFrame:
    """Read one table; with `keys`, only the first row of each combination of those columns."""
    csv = path.suffix == ".csv"
    if keys is None:
        return pd.read_csv(path, keep_default_na=False, na_values=[""]) if csv else pd.read_parquet(path)
    if csv:
        parts = pd.read_csv(path, keep_default_na=False, na_values=[""], chunksize=100_000)
    else:
        import pyarrow.parquet as pq

        parts = (batch.to_pandas() for batch in pq.ParquetFile(path).iter_batches(batch_size=100_000))
    kept = None
    for part in parts:
        kept = part if kept is None else pd.concat([kept, part], ignore_index=True)
        kept = kept.drop_duplicates(keys, ignore_index=True)
    return kept if kept is not None else pd.read_parquet(path)


def read_yaml(path: str | os.PathLike, *, what: str, error: type[AnalysisError] = ResourceError):
    """Parse a UTF-8 YAML file with a safe loader; errors name the file and what it is.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    what : str
        What the file is meant to be ("alias file", "frame lexicon"...), for messages.
    error : type, default ResourceError
        The :class:`~analysis.errors.AnalysisError` subclass to raise.

    Returns
    -------
    object
        The parsed document (None for an empty file).

    Raises
    ------
    AnalysisError
        Of type `error`, for a missing file, bytes that are not UTF-8, invalid YAML (with
        the parser's line and column) or a YAML alias (``*name``, the way to an alias bomb).

    Notes
    -----
    Uses libyaml's ``CSafeLoader`` when PyYAML was built with it (the wheels are): the same
    documents as ``yaml.safe_load``, about ten times faster.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "f.yaml"
    ...     _ = p.write_text("a: [1, 2]\\n", encoding="utf-8")
    ...     read_yaml(p, what="example file")
    {'a': [1, 2]}
    """
    import yaml

    path = Path(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
        alias = next((e for e in yaml.parse(text, Loader=loader) if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:  # nested aliases let a few hundred bytes stand for a billion items
            raise error(f"{what} {path}: line {alias.start_mark.line + 1}: YAML aliases (*name) are not "
                        "accepted; write the value out")
        return yaml.load(text, Loader=loader)  # noqa: S506 - safe loaders only
    except FileNotFoundError as exc:
        raise error(f"{what} {path}: not found") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise error(f"{what} {path}: not valid UTF-8 YAML ({exc})") from exc


def resolve_corpus_file(value: str, *, corpus: str | os.PathLike, filename: str) -> Path | None:
    """Resolve a notebook's lexicon-file parameter ("auto", "" or a path) to a file or None.

    Parameters
    ----------
    value : str
        "" (no file), "auto", or a path.
    corpus : str or os.PathLike
        The corpus the notebook reads.
    filename : str
        The per-corpus file name ("concepts.yaml", "entities.yaml").

    Returns
    -------
    pathlib.Path or None
        For "auto": ``<corpus folder>/<filename>`` if it exists, else the shipped file
        when `corpus` is the bundled ``data/raw``, else None. For a path: that path.

    Raises
    ------
    ParameterError
        When a given path does not exist.

    Examples
    --------
    >>> resolve_corpus_file("auto", corpus=BUNDLED_CORPUS, filename="concepts.yaml").name
    'concepts.yaml'
    >>> resolve_corpus_file("", corpus=BUNDLED_CORPUS, filename="concepts.yaml") is None
    True
    """
    if not value:
        return None
    if value == "auto":
        folder = Path(corpus)
        if folder.is_dir() and (folder / filename).is_file():
            return folder / filename
        shipped = SHIPPED_LEXICONS / filename
        if folder.exists() and folder.resolve() == BUNDLED_CORPUS and shipped.is_file():
            return shipped
        return None
    if not Path(value).is_file():
        raise ParameterError(f"{filename} file {value!r} does not exist (working directory "
                             f"{Path.cwd()}); use 'auto', '' or an existing file")
    return Path(value)
