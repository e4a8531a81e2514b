"""Read and write corpora: the one module that touches files.

A corpus is any of:

* a folder of ``.txt`` files with ``manifest.csv`` (``file,outlet`` required;
  ``published, headline, url, wire, dateline`` and any other columns optional);
* a folder of ``.txt`` files without a manifest (one outlet per file stem, with a warning);
* a ``.csv``, ``.jsonl`` or ``.parquet`` table with ``outlet`` and ``text`` columns and
  optionally ``id, headline, published, url`` and extra columns, which are kept.

:func:`check_corpus` lists every problem at once and writes nothing; :func:`load_corpus`
raises one :class:`~analysis.errors.CorpusError` naming them all. Outputs are written
atomically (temp file, then rename). Nothing here writes to the corpus itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis import schema as S
from analysis._paths import bundled_corpus, package_path
from analysis.clean import DateError, clean_articles, parse_date, parse_published
from analysis.errors import AnalysisError, CorpusError, OutputError, ParameterError, ResourceError
from analysis.sentences import split_sentences

MANIFEST = "manifest.csv"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
ARTICLES_FILE = "articles.parquet"
SENTENCES_FILE = "sentences.parquet"
PROGRESS_MIN = 500  # show a progress bar from this many articles on


BUNDLED_CORPUS = bundled_corpus()  # data/raw, shipped in the package (analysis/bundled_corpus)
SHIPPED_LEXICONS = package_path("lexicons", "cuba-us-2026")  # its alias/concept files


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it; set back at once (module import time)
    os.umask(mask)
    return mask


UMASK = _umask()  # files are written with the user's umask, like any other program's


class CorpusWarning(UserWarning):
    """A corpus loads, but something about it deserves the user's attention."""


def _decode(data: bytes, where: str, problems: list[str]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(f"{where}: line {line}: bytes that are not UTF-8 "
                        f"({data[exc.start:exc.start + 4]!r}); save the file as UTF-8")
        return None


def _read_text_file(path: Path, problems: list[str]) -> str | None:
    if not path.is_file():
        problems.append(f"{path}: file does not exist")
        return None
    text = _decode(path.read_bytes(), str(path), problems)
    if text is not None and not text.replace("\x00", "").strip():
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


def _read_csv(text: str, path: Path, problems: list[str]) -> tuple[pd.DataFrame, list[int]]:
    """Parse CSV text strictly: a table of strings and the physical line each row starts on.

    A ragged row (more or fewer fields than the header) or an unclosed quote is a problem
    naming its line, never a silently merged or shifted row. O(characters).
    """
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, lines = [], []
    try:
        header = next(reader, None)
        if header is None:
            problems.append(f"{path}: no header row")
            return pd.DataFrame(), []
        start = reader.line_num + 1
        for row in reader:
            if not row:  # a blank line
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                problems.append(f"{path}: line {start}: {len(row)} field(s), the header has "
                                f"{len(header)}; quote values that contain commas")
            else:
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(f"{path}: line {start}: {exc} (an unclosed quote?); nothing after it "
                        "can be read")
        return pd.DataFrame(columns=header), []
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        problems.append(f"{path}: line 1: column(s) {', '.join(map(repr, dupes))} appear more than once")
        return pd.DataFrame(columns=sorted(set(header))), []
    return pd.DataFrame(rows, columns=header, dtype=object), lines


def _read_manifest(path: Path, problems: list[str]) -> tuple[pd.DataFrame, list[int]]:
    text = _decode(path.read_bytes(), str(path), problems)
    if text is None:
        return pd.DataFrame(columns=["file", S.OUTLET]), []
    df, lines = _read_csv(text, path, problems)
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
    """Yield the header, then (row number, list of fields) for each data row of a CSV file.

    Strict: a ragged row (more or fewer fields than the header) or an unclosed quote is a
    problem naming its physical line, never a silently merged or shifted row.
    """
    import csv

    reader = csv.reader(_decoded_lines(path, problems), strict=True)
    start, n = 1, 0
    try:
        header = next(reader, None)
        if header is None:
            problems.append(f"{path}: no header row")
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
                    yield n, row
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
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            problems.append(f"{path}: line 1: column(s) {', '.join(map(repr, dupes))} appear more than once")
            return
        records = ((n, dict(zip(header, row))) for n, row in rows)
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


def select_articles(
    articles: pd.DataFrame,
    *,
    outlets: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    where: dict | None = None,
    top_outlets: int = 0,
    other_outlets: bool = True,
    group_by: str = "",
) -> pd.DataFrame:
    """Return the articles of some outlets, dates and values, optionally grouped.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles (or any table with ``outlet`` and ``published``).
    outlets : iterable of str, optional
        Outlets to keep; None or empty keeps all. An unknown outlet raises.
    date_from, date_to : str, optional
        Inclusive ISO dates. Articles without a date are kept only when neither is given.
    where : dict, optional
        Column name to condition, all of which must hold: a list keeps rows whose value is
        in it; a string starting with ``~`` is a case-insensitive regular expression searched
        in the value (``{"headline": "~caucus"}``); any other value must be equal
        (``{"topic": "elections"}``). Selects one story from a multi-story export.
    top_outlets : int, default 0
        Keep the N outlets with most (selected) articles, ties broken by name; 0 keeps all.
    other_outlets : bool, default True
        With `top_outlets`, group the remaining outlets as one outlet labelled
        :data:`analysis.schema.OTHER_OUTLETS` (True) or leave them out (False).
    group_by : str, default ""
        A column (``bias``, ``topic``...) whose values replace ``outlet`` as the compared
        unit; the article's own outlet moves to ``source_outlet``. Applied after
        `top_outlets`. Articles with no value in that column are left out (counted).

    Returns
    -------
    pandas.DataFrame
        The selected rows, in their original order, index reset. ``attrs["selection"]``
        says what was kept and left out (articles and outlets before and after), for the
        report to state on its pages.

    Raises
    ------
    ParameterError
        For an unknown outlet or column, a date that is not YYYY-MM-DD, a bad regular
        expression, or a selection that keeps no article.

    Notes
    -----
    O(articles). Grouping makes every comparison in the report one between groups; the
    outlets inside a group stay visible in ``source_outlet``.

    Examples
    --------
    >>> arts = pd.DataFrame({"outlet": ["A", "A", "B", "C"], "published": ["2026-01-01"] * 4,
    ...                      "bias": ["left", "left", "right", None]})
    >>> select_articles(arts, top_outlets=1)["outlet"].tolist()
    ['A', 'A', 'other outlets', 'other outlets']
    >>> sel = select_articles(arts, group_by="bias")
    >>> sel["outlet"].tolist(), sel["source_outlet"].tolist(), sel.attrs["selection"]["no_group_value"]
    (['left', 'left', 'right'], ['A', 'A', 'B'], 1)
    """
    import re

    keep = pd.Series(True, index=articles.index)
    if outlets:
        known = sorted(set(articles[S.OUTLET]))
        unknown = [o for o in outlets if o not in known]
        if unknown:
            raise ParameterError(f"outlets: unknown {unknown}; valid: {known}")
        keep &= articles[S.OUTLET].isin(list(outlets))
    for name, value, op in (("date_from", date_from, "ge"), ("date_to", date_to, "le")):
        if value:
            if parse_date(value) != value:
                raise ParameterError(f"{name}: {value!r} is not a YYYY-MM-DD date")
            pub = articles[S.PUBLISHED].fillna("")
            keep &= (pub != "") & getattr(pub, op)(value)
    for col, cond in (where or {}).items():
        if col not in articles.columns:
            raise ParameterError(f"where: no column {col!r}; columns: {', '.join(map(str, articles.columns))}")
        values = articles[col]
        if isinstance(cond, list):
            keep &= values.isin(cond) | values.astype("string").isin([str(c) for c in cond])
        elif isinstance(cond, str) and cond.startswith("~"):
            try:
                pattern = re.compile(cond[1:], re.I)
            except re.error as exc:
                raise ParameterError(f"where: {col}: {cond!r} is not a regular expression ({exc})") from None
            keep &= values.astype("string").fillna("").map(pattern.search).notna()
        else:
            keep &= (values == cond) | (values.astype("string") == str(cond))
    selected = articles[keep.fillna(False)].reset_index(drop=True)
    info = {"articles_before": len(articles), "outlets_before": int(articles[S.OUTLET].nunique()),
            "articles_selected": len(selected), "top_outlets": top_outlets,
            "other_outlets": bool(other_outlets), "group_by": group_by, "where": where or {}}
    if not len(selected):
        raise ParameterError(f"the selection keeps no article of {len(articles)} (outlets={list(outlets or [])}, "
                             f"date_from={date_from!r}, date_to={date_to!r}, where={where or {}}); loosen it")
    if top_outlets and selected[S.OUTLET].nunique() > top_outlets:
        sizes = selected[S.OUTLET].value_counts()
        order = sorted(sizes.index, key=lambda o: (-sizes[o], o))
        top = set(order[:top_outlets])
        info["outlets_beyond_top"] = len(order) - top_outlets
        info["articles_beyond_top"] = int((~selected[S.OUTLET].isin(top)).sum())
        if other_outlets:
            selected = selected.assign(**{S.SOURCE_OUTLET: selected[S.OUTLET]})
            selected[S.OUTLET] = selected[S.OUTLET].where(selected[S.OUTLET].isin(top), S.OTHER_OUTLETS)
        else:
            selected = selected[selected[S.OUTLET].isin(top)].reset_index(drop=True)
    if group_by:
        if group_by not in selected.columns:
            raise ParameterError(f"group_by: no column {group_by!r}; columns: "
                                 f"{', '.join(map(str, selected.columns))}")
        has = selected[group_by].notna() & (selected[group_by].astype("string").str.strip() != "")
        info["no_group_value"] = int((~has).sum())
        selected = selected[has].reset_index(drop=True)
        if S.SOURCE_OUTLET not in selected.columns:
            selected = selected.assign(**{S.SOURCE_OUTLET: selected[S.OUTLET]})
        selected[S.OUTLET] = selected[group_by].astype(str)
    info.update(articles=len(selected), outlets=int(selected[S.OUTLET].nunique()))
    selected.attrs["selection"] = info
    return selected


def selection_lines(articles: pd.DataFrame) -> list[str]:
    """Return plain sentences saying what :func:`select_articles` kept, for a report page.

    Parameters
    ----------
    articles : pandas.DataFrame
        The result of :func:`select_articles` (or :func:`open_corpus`).

    Returns
    -------
    list of str
        Empty when everything was kept as it is.

    Examples
    --------
    >>> arts = pd.DataFrame({"outlet": ["A", "A", "B", "C"], "published": ["2026-01-01"] * 4})
    >>> for line in selection_lines(select_articles(arts, top_outlets=1, other_outlets=False)):
    ...     print(line)
    Only the 1 outlet(s) with most articles are compared; 2 outlet(s) with 2 article(s) are left out.
    """
    info = articles.attrs.get("selection")
    if not info:
        return []
    lines = []
    if info["articles_selected"] != info["articles_before"]:
        lines.append(f"{info['articles_selected']:,} of {info['articles_before']:,} articles selected "
                     f"(from {info['outlets_before']:,} outlets).")
    if info.get("where"):
        lines.append("Selected where " + "; ".join(f"{k} {v}" for k, v in info["where"].items()) + ".")
    if info.get("outlets_beyond_top"):
        rest = (f"grouped as '{S.OTHER_OUTLETS}'" if info["other_outlets"] else "left out")
        lines.append(f"Only the {info['top_outlets']} outlet(s) with most articles are compared; "
                     f"{info['outlets_beyond_top']:,} outlet(s) with {info['articles_beyond_top']:,} "
                     f"article(s) are {rest}.")
    if info.get("group_by"):
        lines.append(f"Outlets are grouped by '{info['group_by']}' ({info['outlets']} groups); each "
                     f"article's own outlet is in '{S.SOURCE_OUTLET}'"
                     + (f"; {info['no_group_value']:,} article(s) without a value are left out."
                        if info.get("no_group_value") else "."))
    return lines


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder, then rename.

    Parameters
    ----------
    path : str or os.PathLike
        Destination; its folder is created if needed.
    data : bytes
        The complete content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
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
    import io

    path = Path(path)
    buf = io.BytesIO()
    if path.suffix == ".parquet":
        df.reset_index(drop=True).to_parquet(buf, index=False, engine="pyarrow",
                                             compression="zstd")
    elif path.suffix == ".csv":
        buf.write(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    else:
        raise ParameterError(f"{path}: unknown table format; use .parquet or .csv")
    atomic_write_bytes(path, buf.getvalue())
    return path


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
CHUNK = 2000  # articles cleaned, split and written at a time: bounds peak memory


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


def map_ordered(fn, items, *, client=None, window: int | None = None):
    """Yield ``fn(item)`` for each item, in order, here or on a Dask cluster.

    Parameters
    ----------
    fn : callable
        A pure, importable function (workers import it from the installed package).
    items : iterable
        Its inputs, consumed lazily.
    client : distributed.Client, optional
        Run `fn` on the cluster's workers through Dask futures; None runs it here.
    window : int, optional
        Items in flight at once on the cluster (default: twice the workers), which bounds
        the memory the driver holds while results come back in order.

    Yields
    ------
    object
        The results, in the order of `items`, whichever worker finished first.

    Examples
    --------
    >>> list(map_ordered(len, ["a", "bb"]))
    [1, 2]
    """
    if client is None:
        for item in items:
            yield fn(item)
        return
    from collections import deque

    window = window or max(2, 2 * len(client.scheduler_info().get("workers", {})))
    pending: deque = deque()
    for item in items:
        pending.append(client.submit(fn, item, pure=False))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def prepare(corpus: str | os.PathLike, out: str | os.PathLike = "data/processed", *,
            dayfirst: bool | None = None, client=None) -> Prepared:
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
    Streams the corpus :data:`CHUNK` articles at a time (:func:`iter_raw`): reads, cleans,
    splits and appends row groups to temporary Parquet files that are renamed into place
    only when every chunk succeeded, so peak memory is bounded by the chunk, not the corpus.
    Every problem in the whole corpus is reported at once (after the first, chunks are only
    checked). A progress bar counts articles beyond the first chunk. Temp files left by a
    killed run are removed first. The same corpus always gives byte-identical files.
    O(bytes) time.
    """
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
        for arts, sents, chunk_problems in map_ordered(prepare_chunk, chunks, client=client):
            problems.extend(chunk_problems)
            if bar is None and arts is not None and len(arts) == CHUNK:
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


def _progress_bar(desc: str = "preparing"):
    """Return a progress bar (stderr) counting articles, for corpora larger than one chunk."""
    from tqdm.auto import tqdm

    return tqdm(desc=desc, unit=" articles", file=sys.stderr)


def _progress(chunks: range, n_articles: int, desc: str = "preparing"):
    """Wrap `chunks` in a progress bar (on stderr) when the corpus is large enough to wait for."""
    if n_articles < PROGRESS_MIN:
        return chunks
    from tqdm.auto import tqdm

    return tqdm(chunks, desc=desc, unit="chunk", file=sys.stderr)


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
    parts = [split_sentences(articles.iloc[i:i + CHUNK])
             for i in _progress(range(0, len(articles), CHUNK), len(articles), "splitting")]
    return pd.concat(parts, ignore_index=True)


def read_processed(folder: str | os.PathLike = "data/processed", *, raw_text: bool = False):
    """Read the articles and sentences tables that :func:`prepare` wrote.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder given to :func:`prepare`.
    raw_text : bool, default False, keyword-only
        Also read ``raw_text``, the articles as they were before cleaning: only cleaning
        needs it, and it holds as much text again as the rest of the corpus.

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
    columns = names if raw_text else [c for c in names if c != S.RAW_TEXT]
    return pd.read_parquet(folder / ARTICLES_FILE, columns=columns), pd.read_parquet(folder / SENTENCES_FILE)


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

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Articles and sentences, restricted to the selected articles.
    """
    if processed_dir and (Path(processed_dir) / ARTICLES_FILE).exists():
        articles, sentences = read_processed(processed_dir)
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
    return articles, sentences


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
        read as text (e.g. the full keyness table beside its readable CSV summary).

    Returns
    -------
    None
        Nothing, so that as the last line of a notebook cell it adds no output (a path
        there would leak the report's staging folder into the HTML).
    """
    if out_dir:
        write_table(df, Path(out_dir) / "tables" / f"{name}.{'parquet' if parquet else 'csv'}")


def read_tables(folder: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """Read every ``*.csv`` of a report's ``tables/`` folder.

    Parameters
    ----------
    folder : str or os.PathLike
        The ``tables`` folder of a report.

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name (file stem) to table; empty when the folder does not exist.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {p.stem: pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in sorted(folder.glob("*.csv"))}


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
        Of type `error`, for a missing file, bytes that are not UTF-8 or invalid YAML
        (with the parser's line and column).

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
    try:
        return yaml.load(path.read_text(encoding="utf-8"),  # noqa: S506 - safe loaders only
                         Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
