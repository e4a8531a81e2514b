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
from analysis.clean import clean_articles, parse_date
from analysis.errors import AnalysisError, CorpusError, ParameterError, ResourceError
from analysis.sentences import split_sentences

MANIFEST = "manifest.csv"
TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
ARTICLES_FILE = "articles.parquet"
SENTENCES_FILE = "sentences.parquet"
PROGRESS_MIN = 500  # show a progress bar from this many articles on


BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "raw"  # the corpus shipped in the repo
SHIPPED_LEXICONS = Path(__file__).resolve().parent / "lexicons" / "cuba-us-2026"  # its alias/concept files


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
    if text is not None and not text.strip():
        problems.append(f"{path}: file is empty")
        return None
    return text


def _check_date(value: str, where: str, problems: list[str]) -> str | None:
    if not value.strip():
        return None
    iso = parse_date(value)
    if iso is None:
        problems.append(f"{where}: cannot parse date {value!r}; use YYYY-MM-DD or "
                        "'January 12, 2026'")
    return iso


def _read_folder(folder: Path, problems: list[str]) -> pd.DataFrame:
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        if files:
            warnings.warn(f"{folder}: no {MANIFEST}; each file is its own outlet (file stem)",
                          CorpusWarning, stacklevel=3)
        rows = [{"file": p.name, S.OUTLET: p.stem} for p in files]
        manifest = pd.DataFrame(rows, columns=["file", S.OUTLET])
    else:
        manifest = _read_manifest(manifest_path, problems)
        listed = set(manifest["file"])
        for p in files:
            if p.name not in listed:
                problems.append(f"{p}: file has no row in {manifest_path}")
    records = []
    for i, rec in enumerate(manifest.to_dict("records"), start=2):
        where = f"{manifest_path}: line {i}" if manifest_path.exists() else str(folder)
        raw = _read_text_file(folder / rec["file"], problems)
        if raw is None:
            continue
        rec = {k: v for k, v in rec.items() if k != "file"}
        rec[S.PUBLISHED] = _check_date(str(rec.get(S.PUBLISHED) or ""), where, problems)
        rec.update({S.ARTICLE_ID: Path(manifest.loc[i - 2, "file"]).stem, S.RAW_TEXT: raw,
                    S.SOURCE: manifest.loc[i - 2, "file"]})
        records.append(rec)
    return pd.DataFrame(records)


def _read_manifest(path: Path, problems: list[str]) -> pd.DataFrame:
    text = _decode(path.read_bytes(), str(path), problems)
    if text is None:
        return pd.DataFrame(columns=["file", S.OUTLET])
    import io

    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    missing = [c for c in ("file", S.OUTLET) if c not in df.columns]
    if missing:
        problems.append(f"{path}: missing column(s) {', '.join(missing)}; "
                        f"required: file, outlet; found: {', '.join(df.columns)}")
        return pd.DataFrame(columns=["file", S.OUTLET])
    for i, (f, o) in enumerate(zip(df["file"], df[S.OUTLET]), start=2):
        if not f.strip():
            problems.append(f"{path}: line {i}: empty 'file'")
        if not o.strip():
            problems.append(f"{path}: line {i}: empty 'outlet' for file {f!r}")
    for f in sorted(set(df["file"][df["file"].duplicated()])):
        problems.append(f"{path}: file {f!r} is listed more than once")
    return df


def _read_table(path: Path, problems: list[str]) -> pd.DataFrame:
    if not path.is_file():
        problems.append(f"{path}: file does not exist")
        return pd.DataFrame()
    if path.stat().st_size == 0:
        problems.append(f"{path}: file is empty")
        return pd.DataFrame()
    if path.suffix == ".parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types for a bad file
            problems.append(f"{path}: not a readable Parquet file ({exc})")
            return pd.DataFrame()
        return df.astype({c: "string" for c in df.columns if df[c].dtype == object})
    text = _decode(path.read_bytes(), str(path), problems)
    if text is None:
        return pd.DataFrame()
    if path.suffix == ".csv":
        import io

        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}: line {i}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path}: line {i}: expected a JSON object, got {type(row).__name__}")
            continue
        rows.append(row)
    return pd.DataFrame(rows)


def _table_records(df: pd.DataFrame, path: Path, problems: list[str]) -> pd.DataFrame:
    missing = [c for c in (S.OUTLET, S.TEXT) if c not in df.columns]
    if missing:
        problems.append(f"{path}: missing column(s) {', '.join(missing)}; required: outlet, "
                        f"text; found: {', '.join(map(str, df.columns)) or 'none'}")
        return pd.DataFrame()
    unit = "line" if path.suffix == ".jsonl" else "row"
    records = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        where = f"{path}: {unit} {i}"
        text, outlet = rec.pop(S.TEXT), rec.get(S.OUTLET)
        if outlet is None or pd.isna(outlet) or not str(outlet).strip():
            problems.append(f"{where}: empty 'outlet'")
        if text is None or pd.isna(text) or not str(text).strip():
            problems.append(f"{where}: empty 'text'")
            continue
        art_id = rec.pop("id", None)
        art_id = f"{path.stem}-{i:05d}" if art_id is None or pd.isna(art_id) else str(art_id)
        rec[S.PUBLISHED] = _check_date(str(rec.get(S.PUBLISHED) or ""), where, problems)
        rec.update({S.ARTICLE_ID: art_id, S.OUTLET: str(outlet), S.RAW_TEXT: str(text),
                    S.SOURCE: f"{path.name}:{unit} {i}"})
        records.append(rec)
    return pd.DataFrame(records)


def read_raw(path: str | os.PathLike) -> tuple[pd.DataFrame, list[str]]:
    """Read a corpus without cleaning it, and collect every problem found.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or a ``.csv``/``.jsonl``/``.parquet`` table.

    Returns
    -------
    articles : pandas.DataFrame
        One row per readable article: ``article_id, outlet, raw_text, source`` and the
        given optional columns.
    problems : list of str
        One message per problem, each naming the file and line or row.
    """
    path = Path(path)
    problems: list[str] = []
    if path.is_dir():
        df = _read_folder(path, problems)
    elif path.suffix in TABLE_SUFFIXES:
        before = len(problems)
        table = _read_table(path, problems)
        # a table that could not be read at all has no columns to check: one message, not two
        unreadable = table.columns.empty and len(problems) > before
        df = pd.DataFrame() if unreadable else _table_records(table, path, problems)
    elif not path.exists():
        problems.append(f"{path}: no such corpus folder or file")
        df = pd.DataFrame()
    else:
        problems.append(f"{path}: not a corpus; use a folder of .txt files or a "
                        f"{', '.join(TABLE_SUFFIXES)} table")
        df = pd.DataFrame()
    if not len(df) and not problems:
        problems.append(f"{path}: empty corpus (no articles found)")
    if len(df):
        for art_id in sorted(set(df[S.ARTICLE_ID][df[S.ARTICLE_ID].duplicated()])):
            where = ", ".join(df[S.SOURCE][df[S.ARTICLE_ID] == art_id])
            problems.append(f"{path}: duplicate id {art_id!r} ({where})")
    return df, problems


def check_corpus(path: str | os.PathLike) -> list[str]:
    """Return every problem with a corpus, reading but writing nothing.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or table.

    Returns
    -------
    list of str
        Empty when the corpus loads; else one message per problem.
    """
    df, problems = read_raw(path)
    if not problems:
        try:
            clean_articles(df)
        except CorpusError as exc:
            problems.extend(str(exc).split("\n"))
    return problems


def load_corpus(path: str | os.PathLike) -> pd.DataFrame:
    """Load, validate and clean a corpus into the canonical articles table.

    Parameters
    ----------
    path : str or os.PathLike
        A corpus folder or table.

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
    df, problems = read_raw(path)
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
) -> pd.DataFrame:
    """Return the articles of some outlets and dates.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles (or any table with ``outlet`` and ``published``).
    outlets : iterable of str, optional
        Outlets to keep; None or empty keeps all. An unknown outlet raises.
    date_from, date_to : str, optional
        Inclusive ISO dates. Articles without a date are kept only when neither is given.

    Returns
    -------
    pandas.DataFrame
        The selected rows, in their original order, index reset.

    Raises
    ------
    ParameterError
        For an unknown outlet or a date that is not YYYY-MM-DD.
    """
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
    return articles[keep].reset_index(drop=True)


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


def prepare(corpus: str | os.PathLike, out: str | os.PathLike = "data/processed") -> Prepared:
    """Load, clean and split a corpus; write articles and sentences to `out`.

    Parameters
    ----------
    corpus : str or os.PathLike
        A corpus folder or table.
    out : str or os.PathLike
        Output folder; gets ``articles.parquet`` and ``sentences.parquet``.

    Returns
    -------
    Prepared
        Counts of articles, sentences and outlets, and the two paths.

    Raises
    ------
    CorpusError
        As :func:`load_corpus`; nothing is written then.
    ParameterError
        If `out` is inside the corpus (raw data is never written to).

    Notes
    -----
    Works through the corpus :data:`CHUNK` articles at a time, appending row groups to
    temporary Parquet files that are renamed into place only when every chunk succeeded;
    a progress bar shows from :data:`PROGRESS_MIN` articles on. The same corpus always
    gives byte-identical files.
    """
    out = Path(out)
    if Path(corpus).is_dir() and Path(corpus).resolve() in (out.resolve(), *out.resolve().parents):
        raise ParameterError(f"--out {out}: inside the corpus {corpus}; raw data is never "
                             "written to, choose another folder")
    raw, problems = read_raw(corpus)
    if problems:
        raise CorpusError(_problem_message(corpus, problems))
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / ARTICLES_FILE, out / SENTENCES_FILE)
    tmps = [p.with_name(f".{p.name}.{os.getpid()}.tmp") for p in paths]
    writers: list = [None, None]
    n_sent, outlets = 0, set()
    try:
        for start in _progress(range(0, len(raw), CHUNK), len(raw)):
            arts = clean_articles(raw.iloc[start:start + CHUNK])
            sents = split_sentences(arts)
            for k, (df, fixed) in enumerate(((arts, _ARTICLE_TYPES), (sents, _SENTENCE_TYPES))):
                if writers[k] is None:
                    writers[k] = pq.ParquetWriter(tmps[k], _schema(df, fixed), compression="zstd")
                writers[k].write_table(pa.Table.from_pandas(df, schema=writers[k].schema,
                                                            preserve_index=False))
            n_sent += len(sents)
            outlets.update(arts[S.OUTLET])
        for w in writers:
            w.close()
        for tmp, path in zip(tmps, paths):
            os.replace(tmp, path)
    finally:
        for w, tmp in zip(writers, tmps):
            if w is not None and tmp.exists():
                w.close()
                tmp.unlink()
        if created and not any(out.iterdir()):
            out.rmdir()  # a failed first run leaves no empty folder behind
    return Prepared(len(raw), n_sent, len(outlets), *paths)


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


def read_processed(folder: str | os.PathLike = "data/processed"):
    """Read the articles and sentences tables that :func:`prepare` wrote.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder given to :func:`prepare`.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Articles and sentences.

    Raises
    ------
    CorpusError
        If either file is missing (run ``newsframes prepare`` first).
    """
    folder = Path(folder)
    tables = []
    for name in (ARTICLES_FILE, SENTENCES_FILE):
        if not (folder / name).exists():
            raise CorpusError(f"{folder / name}: missing; run `newsframes prepare CORPUS "
                              f"--out {folder}` first")
        tables.append(pd.read_parquet(folder / name))
    return tables[0], tables[1]


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
):
    """Return the (selected) articles and sentences of a corpus, as notebooks need them.

    Parameters
    ----------
    corpus : str or os.PathLike
        The corpus folder or table.
    processed_dir : str or os.PathLike, default ""
        A folder written by :func:`prepare`; "" (or a folder without the files) loads and
        splits the corpus in memory, writing nothing.
    outlets, date_from, date_to
        Passed to :func:`select_articles`.

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
                               date_to=date_to or None)
    sentences = sentences[sentences[S.ARTICLE_ID].isin(articles[S.ARTICLE_ID])]
    return articles, sentences.reset_index(drop=True)


def save_table(df: pd.DataFrame, name: str, out_dir: str | os.PathLike) -> None:
    """Save `df` as ``out_dir/tables/<name>.csv`` atomically; "" saves nothing.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    name : str
        File name without suffix ("corpus").
    out_dir : str or os.PathLike
        The report folder, or "".

    Returns
    -------
    None
        Nothing, so that as the last line of a notebook cell it adds no output (a path
        there would leak the report's staging folder into the HTML).
    """
    if out_dir:
        write_table(df, Path(out_dir) / "tables" / f"{name}.csv")


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
    ...     _ = p.write_text("a: [1, 2]\n", encoding="utf-8")
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
