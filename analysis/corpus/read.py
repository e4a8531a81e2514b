"""Read corpora: folders with a manifest, folders of .txt, CSV / JSON Lines / Parquet tables.

Streaming (:func:`iter_raw`), strict (every problem named by file and line or row) and
confined to the corpus folder (paths and links resolving outside it are refused).
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import schema as S
from analysis.clean import DateError, clean_articles, parse_published
from analysis.errors import CorpusError

MANIFEST = "manifest.csv"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
CHUNK = 2000  # articles cleaned, split and written at a time: bounds peak memory


class CorpusWarning(UserWarning):
    """A corpus loads, but something about it deserves the user's attention."""


def _read_text_file(path: Path, problems: list[str]) -> str | None:
    if not path.is_file():
        problems.append(f"{path}: file does not exist")
        return None
    before = len(problems)
    text = "".join(_decoded_lines(path, problems))  # the one UTF-8 decoder, naming the bad line
    if len(problems) > before:
        return None
    if not text.replace("\x00", "").strip():
        problems.append(f"{path}: file is empty" if "\x00" not in text else
                        f"{path}: file holds only NUL bytes, not text")
        return None
    return text


def _check_date(value, where: str, problems: list[str], dayfirst: bool | None = None) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None  # a missing date is undated, not unparseable
    try:
        return parse_published(str(value), dayfirst=dayfirst)
    except DateError as exc:
        problems.append(f"{where}: {exc}")
        return None


def _inside(path: Path, folder: Path) -> bool:
    """Tell whether `path`, links followed, lies inside `folder` (links followed)."""
    return path.resolve().is_relative_to(folder.resolve())


def _outside_message(path: Path, folder: Path) -> str:
    return (f"resolves to {path.resolve()}, outside the corpus folder {folder}; every file must "
            "be inside it (copy the file in, links may not point out)")


def _folder_chunks(folder: Path, problems: list[str], dayfirst: bool | None, size: int):
    """Yield the articles of a corpus folder, `size` files at a time (the manifest is read whole)."""
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    for p in files:
        if not _inside(p, folder):
            problems.append(f"{p}: {_outside_message(p, folder)}")
    files = [p for p in files if _inside(p, folder) and p.is_file()]
    manifest_path = folder / MANIFEST
    lines: list[int] = []
    if not manifest_path.exists():
        if files:
            warnings.warn(f"{folder}: no {MANIFEST}; each file is its own outlet (file stem)",
                          CorpusWarning, stacklevel=5)
        manifest = pd.DataFrame([{"file": p.name, S.OUTLET: p.stem} for p in files],
                                columns=["file", S.OUTLET])
    else:
        if not _inside(manifest_path, folder):
            problems.append(f"{manifest_path}: {_outside_message(manifest_path, folder)}")
            return
        manifest, lines = _read_manifest(manifest_path, problems)
        if "file" not in manifest.columns:
            return  # the missing column is the problem; no row can be matched
        listed = set(manifest["file"])
        for p in files:
            if p.name not in listed:
                problems.append(f"{p}: file has no row in {manifest_path}")
    records = []
    for k, rec in enumerate(manifest.to_dict("records")):
        where = f"{manifest_path}: line {lines[k]}" if lines else str(folder / rec["file"])
        name = rec["file"]
        target = folder / name
        if not name.strip():
            continue  # reported by _read_manifest
        if "\x00" in name:  # no file system accepts it; resolving the path would raise
            problems.append(f"{where}: file {name!r} contains a NUL character (\\x00), which no file name "
                            "can hold; write the file's name as it is in the folder")
            continue
        if Path(name).is_absolute() or not _inside(target, folder):
            problems.append(f"{where}: file {name!r} {_outside_message(target, folder)}")
            continue
        raw = _read_text_file(target, problems)
        if raw is None:
            continue
        rec = {k: v for k, v in rec.items() if k != "file"}
        rec[S.PUBLISHED] = _check_date(rec.get(S.PUBLISHED), where, problems, dayfirst)
        rec.update({S.ARTICLE_ID: Path(name).stem, S.RAW_TEXT: raw, S.SOURCE: name})
        records.append(rec)
        if len(records) == size:
            yield pd.DataFrame(records)
            records = []
    if records:
        yield pd.DataFrame(records)


def _read_manifest(path: Path, problems: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Read a manifest strictly (:func:`_csv_rows`): its rows and the line each starts on."""
    rows = _csv_rows(path, problems)
    header = next(rows, None)
    if header is None:
        return pd.DataFrame(), []
    body = list(rows)
    df = pd.DataFrame([row for _, _, row in body], columns=header, dtype=object)
    lines = [line for _, line, _ in body]
    missing = [c for c in ("file", S.OUTLET) if c not in df.columns]
    if missing:
        problems.append(f"{path}: missing column(s) {', '.join(missing)}; "
                        f"required: file, outlet; found: {', '.join(df.columns)}")
        return pd.DataFrame(), []
    for line, f, o in zip(lines, df["file"], df[S.OUTLET]):
        if not f.strip():
            problems.append(f"{path}: line {line}: empty 'file'")
        if not o.strip():
            problems.append(f"{path}: line {line}: empty 'outlet' for file {f!r}")
    for f in sorted(set(df["file"][df["file"].duplicated()])):
        problems.append(f"{path}: file {f!r} is listed more than once")
    return df, lines


def _decoded_lines(path: Path, problems: list[str]):
    """Yield `path`'s lines as text (line endings kept), stopping at bytes that are not UTF-8."""
    with open(path, "rb") as fh:
        for i, raw in enumerate(fh, start=1):
            try:
                yield raw.decode("utf-8-sig" if i == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                problems.append(f"{path}: line {i}: bytes that are not UTF-8 "
                                f"({raw[exc.start:exc.start + 4]!r}); save the file as UTF-8")
                return


def _jsonl_rows(path: Path, problems: list[str]):
    """Yield (physical line number, object) for each line of a JSON Lines file."""
    for i, line in enumerate(_decoded_lines(path, problems), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}: line {i}: not valid JSON ({exc.msg})")
            continue
        except ValueError as exc:  # e.g. an integer longer than Python converts
            problems.append(f"{path}: line {i}: not readable JSON ({exc})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path}: line {i}: expected a JSON object, got {type(row).__name__}")
            continue
        try:
            json.dumps(row, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            problems.append(f"{path}: line {i}: holds {exc.object[exc.start:exc.end]!r}, a lone "
                            "UTF-16 surrogate (\\ud800-\\udfff) that is not text")
            continue
        yield i, row


def _csv_rows(path: Path, problems: list[str]):
    """Yield the header, then (row number, line number, list of fields) for each data row.

    Strict: a header with a column twice (then nothing is yielded), a ragged row (more or
    fewer fields than the header) or an unclosed quote is a problem naming its physical
    line, never a silently merged or shifted row. Used for manifests and CSV tables alike.
    """
    import csv

    reader = csv.reader(_decoded_lines(path, problems), strict=True)
    start, n = 1, 0
    try:
        header = next(reader, None)
        if header is None:
            problems.append(f"{path}: no header row")
            return
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            problems.append(f"{path}: line 1: column(s) {', '.join(map(repr, dupes))} appear more than once")
            return
        yield header
        start = reader.line_num + 1
        for row in reader:
            if row:  # not a blank line
                n += 1
                if len(row) != len(header):
                    problems.append(f"{path}: line {start}: {len(row)} field(s), the header has "
                                    f"{len(header)}; quote values that contain commas")
                else:
                    yield n, start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(f"{path}: line {start}: {exc} (an unclosed quote?); nothing after it "
                        "can be read")


def _table_chunks(path: Path, problems: list[str], dayfirst: bool | None, size: int):
    """Yield a table corpus's articles `size` rows at a time; memory does not grow with the file."""
    if not path.is_file():
        problems.append(f"{path}: file does not exist")
        return
    if path.stat().st_size == 0:
        problems.append(f"{path}: file is empty")
        return
    if path.suffix == ".parquet":
        yield from _parquet_chunks(path, problems, dayfirst, size)
        return
    if path.suffix == ".csv":
        rows = _csv_rows(path, problems)
        header = next(rows, None)
        if header is None:
            return
        records = ((n, dict(zip(header, row))) for n, _, row in rows)
    else:
        records = _jsonl_rows(path, problems)
    batch: list = []
    index = 0
    for number, row in records:
        index += 1
        batch.append((index, number, row))
        if len(batch) == size:
            yield _records_frame(batch, path, problems, dayfirst)
            batch = []
    if batch:
        yield _records_frame(batch, path, problems, dayfirst)


def _parquet_chunks(path: Path, problems: list[str], dayfirst: bool | None, size: int):
    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=size)
        first = 1
        for batch in batches:
            df = batch.to_pandas()
            numbers = list(range(first, first + len(df)))
            first += len(df)
            yield _table_records(df, path, problems, dayfirst, numbers, numbers)
    except (OSError, pa.ArrowException) as exc:  # pyarrow raises several types for a bad file
        problems.append(f"{path}: not a readable Parquet file ({exc})")


def _records_frame(batch: list, path: Path, problems: list[str], dayfirst) -> pd.DataFrame:
    df = pd.DataFrame([row for _, _, row in batch], dtype=object)
    return _table_records(df, path, problems, dayfirst, [i for i, _, _ in batch], [n for _, n, _ in batch])


def _is_missing(value) -> bool:
    return value is None or (not isinstance(value, str | list | dict) and bool(pd.isna(value)))


def _text_problem(value) -> str | None:
    """Why `value` cannot be an article's text (or outlet), or None when it can."""
    if not isinstance(value, str):
        return f"is a {type(value).__name__} ({str(value)[:40]!r}), not text"
    if not value.replace("\x00", "").strip():
        return "is empty" if "\x00" not in value else "holds only NUL bytes, not text"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds {value[exc.start:exc.end]!r}, a lone UTF-16 surrogate that is not text"
    return None


def _scalar_label(value, what: str, where: str, problems: list[str], converted: list[str]) -> str | None:
    """Return an outlet or id as a string: numbers converted (and reported), other types refused."""
    if isinstance(value, str):
        why = _text_problem(value)
        if why:
            problems.append(f"{where}: '{what}' {why}")
            return None
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and not _is_missing(value):
        text = str(int(value)) if float(value).is_integer() else str(value)
        converted.append(f"{where}: '{what}' {value!r} -> {text!r}")
        return text
    problems.append(f"{where}: '{what}' is a {type(value).__name__} ({str(value)[:40]!r}); "
                    "expected text")
    return None


def _extras_as_text(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Extra columns whose values mix types or hold lists/objects become JSON text (warned)."""
    out = df
    for col in df.columns:
        if df[col].dtype != object:
            continue
        kinds = {type(v) for v in df[col] if not _is_missing(v)}
        if len(kinds) > 1 or kinds & {list, dict}:
            out = out.copy() if out is df else out
            out[col] = [None if _is_missing(v) else v if isinstance(v, str) else
                        json.dumps(v, ensure_ascii=False, sort_keys=True, default=str) for v in df[col]]
            warnings.warn(f"{path}: column {col!r} mixes {', '.join(sorted(k.__name__ for k in kinds))}; "
                          "kept as text (lists and objects as JSON)", CorpusWarning, stacklevel=4)
    return out


def _table_records(df: pd.DataFrame, path: Path, problems: list[str], dayfirst: bool | None,
                   indices: list[int], numbers: list[int]) -> pd.DataFrame:
    """Validate one chunk of table rows into article records.

    `indices` number the records (default ids); `numbers` are what messages cite (JSONL:
    physical lines; CSV and Parquet: data rows).
    """
    missing = [c for c in (S.OUTLET, S.TEXT) if c not in df.columns]
    if missing:
        message = (f"{path}: missing column(s) {', '.join(missing)}; required: outlet, "
                   f"text; found: {', '.join(map(str, df.columns)) or 'none'}")
        if message not in problems:
            problems.append(message)
        return pd.DataFrame()
    unit = "line" if path.suffix == ".jsonl" else "row"
    records, converted = [], []
    extras = _extras_as_text(df.drop(columns=[c for c in (S.TEXT, S.OUTLET, "id") if c in df]), path)
    for index, i, rec, text, outlet, art_id in zip(
            indices, numbers, extras.to_dict("records"), df[S.TEXT], df[S.OUTLET],
            df["id"] if "id" in df else [None] * len(df)):
        where = f"{path}: {unit} {i}"
        if _is_missing(outlet) or (isinstance(outlet, str) and not outlet.strip()):
            problems.append(f"{where}: empty 'outlet'")
        else:
            outlet = _scalar_label(outlet, "outlet", where, problems, converted)
        why = "is empty" if _is_missing(text) else _text_problem(text)
        if why:
            problems.append(f"{where}: empty 'text'" if why == "is empty" else f"{where}: 'text' {why}")
            continue
        art_id = (f"{path.stem}-{index:05d}" if _is_missing(art_id)
                  else _scalar_label(art_id, "id", where, problems, converted))
        rec[S.PUBLISHED] = _check_date(rec.get(S.PUBLISHED), where, problems, dayfirst)
        rec.update({S.ARTICLE_ID: art_id, S.OUTLET: outlet, S.RAW_TEXT: text,
                    S.SOURCE: f"{path.name}:{unit} {i}"})
        records.append(rec)
    if converted:
        warnings.warn(f"{path}: {len(converted)} number(s) used as text labels, e.g. {converted[0]}",
                      CorpusWarning, stacklevel=3)
    return pd.DataFrame(records)


def iter_raw(path: str | os.PathLike, problems: list[str], *, dayfirst: bool | None = None,
             size: int | None = None):
    """Read a corpus without cleaning it, `size` articles at a time, collecting every problem.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or a ``.csv``/``.jsonl``/``.parquet`` table.
    problems : list of str
        Receives one message per problem, each naming the file and line or row; complete
        only once the generator is exhausted (duplicate ids are known at the end).
    dayfirst : bool or None, keyword-only
        How to read numeric dates such as "3/4/2017" (see
        :func:`analysis.clean.parse_published`); None reports them as ambiguous.
    size : int, optional
        Articles per chunk; default :data:`CHUNK`.

    Yields
    ------
    pandas.DataFrame
        One row per readable article: ``article_id, outlet, raw_text, source`` and the
        given optional columns.

    Notes
    -----
    Streams: JSON Lines and CSV are read line by line, Parquet by row groups, folders file by
    file, so memory grows with `size`, not with the file (ids are kept for the duplicate
    check). Files named in a manifest, and ``.txt`` files (links followed), must lie inside
    the corpus folder: anything resolving outside it is a problem, never read. O(bytes).
    """
    path, size = Path(path), size or CHUNK
    if path.is_dir():
        chunks = _folder_chunks(path, problems, dayfirst, size)
    elif path.suffix in TABLE_SUFFIXES:
        chunks = _table_chunks(path, problems, dayfirst, size)
    elif not path.exists():
        problems.append(f"{path}: no such corpus folder or file")
        return
    else:
        problems.append(f"{path}: not a corpus; use a folder of .txt files or a "
                        f"{', '.join(TABLE_SUFFIXES)} table")
        return
    seen: dict[str, list[str]] = {}
    n = 0
    for df in chunks:
        if not len(df):
            continue
        for art_id, source in zip(df[S.ARTICLE_ID], df[S.SOURCE]):
            seen.setdefault(art_id, []).append(source)
        n += len(df)
        yield df
    if not n and not problems:
        problems.append(f"{path}: empty corpus (no articles found)")
    for art_id in sorted(k for k, v in seen.items() if len(v) > 1):
        problems.append(f"{path}: duplicate id {art_id!r} ({', '.join(seen[art_id])})")


def read_raw(path: str | os.PathLike, *, dayfirst: bool | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Read a whole corpus without cleaning it, and collect every problem found.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or a ``.csv``/``.jsonl``/``.parquet`` table.
    dayfirst : bool or None, keyword-only
        As :func:`iter_raw`.

    Returns
    -------
    articles : pandas.DataFrame
        One row per readable article (see :func:`iter_raw`).
    problems : list of str
        One message per problem, each naming the file and line or row.

    Notes
    -----
    Holds the whole corpus; :func:`prepare` and :func:`check_corpus` stream instead.
    """
    problems: list[str] = []
    chunks = list(iter_raw(path, problems, dayfirst=dayfirst))
    return (pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame()), problems


def check_corpus(path: str | os.PathLike, *, dayfirst: bool | None = None) -> list[str]:
    """Return every problem with a corpus, reading but writing nothing.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or table.
    dayfirst : bool or None, keyword-only
        As :func:`read_raw`.

    Returns
    -------
    list of str
        Empty when the corpus loads; else one message per problem.
    """
    problems: list[str] = []
    for chunk in iter_raw(path, problems, dayfirst=dayfirst):
        _clean_or_report(chunk, problems)
    return problems


def _clean_or_report(raw: pd.DataFrame, problems: list[str]) -> pd.DataFrame | None:
    """Clean `raw`, or add cleaning's problems (one per article) to `problems` and return None."""
    try:
        return clean_articles(raw)
    except CorpusError as exc:
        problems.extend(str(exc).split("\n"))
        return None


def load_corpus(path: str | os.PathLike, *, dayfirst: bool | None = None) -> pd.DataFrame:
    """Load, validate and clean a corpus into the canonical articles table.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or table.
    dayfirst : bool or None, keyword-only
        As :func:`read_raw`.

    Returns
    -------
    pandas.DataFrame
        One row per article, columns :data:`analysis.schema.ARTICLE_COLUMNS` then extras.

    Raises
    ------
    CorpusError
        Naming every problem found (file and line or row, what is wrong).

    Examples
    --------
    >>> arts = load_corpus("data/raw")
    >>> len(arts), arts["outlet"].nunique()
    (5, 5)
    """
    df, problems = read_raw(path, dayfirst=dayfirst)
    if problems:
        raise CorpusError(_problem_message(path, problems))
    return clean_articles(df)


def _problem_message(path, problems: list[str]) -> str:
    head = f"corpus {path} has {len(problems)} problem(s):" if len(problems) > 1 else ""
    return "\n".join([head, *("  " + p for p in problems)]).strip() if head else problems[0]
