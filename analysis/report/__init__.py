"""Build the report: prepare once, run the notebooks with papermill, render offline HTML.

``build_report`` writes into a staging folder beside the output and moves the finished
pieces into place only when every notebook succeeded, so a failed run never destroys the
previous complete report; the failed run's staging folder (with the partial executed
notebook) is kept for debugging and named in the error.

The package is split by concern: :mod:`~analysis.report.params` (the report notebooks and their
parameters), :mod:`~analysis.report.running` (kernels, progress, the job pool),
:mod:`~analysis.report.pages` (offline HTML, the summary and index pages) and
:mod:`~analysis.report.install` (atomic install, zip); every name stays importable as
``analysis.report.X``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

from analysis import corpus as C
from analysis.errors import OutputError, ParameterError, ReportError
from analysis.kernel import release_memory
from analysis.report.install import (  # noqa: F401  (re-exported)
    CURRENT,
    LOCK,
    REPORT_ENTRIES,
    VERSIONS,
    _install,
    _Lock,
    _report_paths,
    write_zip,
)
from analysis.report.pages import (  # noqa: F401
    NO_ALT,
    _exporter,
    _findings_html,
    _git_commit,
    _index_page,
    _strip_remote,
    render_html,
)
from analysis.report.params import (  # noqa: F401
    _AST_LOCK,
    INJECTED,
    NOTEBOOK_DIR,
    OVERVIEW_NOTEBOOK,
    REPORT_NOTEBOOK_GLOB,
    _select_notebooks,
    import_statements,
    load_yaml,
    notebook_parameters,
    report_notebooks,
    resolve_parameters,
    validate_parameters,
)
from analysis.report.running import (  # noqa: F401
    DEFAULT_JOBS,
    KERNEL_TIMEOUT,
    LONGEST_FIRST,
    CellProgress,
    _run_all,
    _run_notebook,
    _warm_up,
    start_order,
)
from analysis.resources import versions


def build_report(corpus: str | os.PathLike, out: str | os.PathLike = "reports", *,
                 processed: str | os.PathLike | None = None, params_file: str | None = None,
                 sets: list[str] | tuple = (), jobs: int = DEFAULT_JOBS, only: list[str] | tuple = (),
                 zip_archive: bool = False, dayfirst: bool | None = None, workers: int | None = None,
                 scheduler: str | None = None, log=print) -> Path:
    """Prepare `corpus`, run every report notebook and write the report to `out`.

    Parameters
    ----------
    corpus : str or os.PathLike
        Corpus folder or table.
    out : str or os.PathLike, default "reports"
        Report folder: ``index.html``, ``notebooks/``, ``tables/``, ``figures/``,
        ``run.json``.
    processed : str or os.PathLike, optional
        Where the prepared tables go; default ``<out>/processed``.
    params_file : str, optional
        YAML parameter file (see ``notebooks/params/``).
    sets : sequence of str
        ``key=value`` parameter overrides.
    jobs : int, default DEFAULT_JOBS
        Notebooks run at once, each in its own kernel process; by default one per CPU core.
        On two cores, 3 instead of 2 took the same time relative to a baseline on 1,000 and
        4,142 real articles (interleaved runs; 0.8 s less on the five bundled ones) and 22-34%
        more summed memory. Fewer jobs: less memory, more time.
    only : sequence of str
        Run only these notebooks: stems ("00_corpus") or paths to other notebooks.
    zip_archive : bool, default False
        Also write ``<out>.zip`` beside `out`: the whole report in one archive.
    dayfirst : bool or None, default None
        How to read ambiguous numeric dates (see :func:`analysis.corpus.read_raw`).
    workers, scheduler : optional
        Prepare the corpus on a Dask cluster (:func:`analysis.cluster.dask_client`); the
        prepared tables, and so the report, are the same.
    log : callable
        Receives progress lines.

    Returns
    -------
    pathlib.Path
        ``out/index.html``.

    Raises
    ------
    CorpusError, ParameterError
        Before anything is written: a bad corpus, an unknown or invalid parameter (every
        notebook's parameters are validated first), `out` or `processed` inside the corpus
        (in any spelling), a file, or not writable.
    ReportError
        A notebook failed; its partial executed notebook is kept in
        ``out/.versions/<id>.partial/`` and the previous report is untouched.
    OutputError
        Another report is being written into `out` (named by its pid), or writing failed.

    Notes
    -----
    What a reader of `out` can rely on: ``out/index.html``, ``run.json``, ``notebooks/``,
    ``tables/``, ``figures/`` are links through ``out/.current`` to one complete report, and
    a new report replaces that one link atomically (see :func:`_install`): at any moment,
    killed or not, the folder shows the previous complete report or the new one. Files
    are written with the user's umask.
    """
    given_corpus, corpus = str(corpus), Path(corpus).resolve()
    out, staging = _report_paths(out)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"--jobs {jobs!r}: expected a whole number of notebooks run at once, 1 or more")
    C.check_output_folder(out, corpus, what="--out")
    if processed:
        processed = C.check_output_folder(processed, corpus, what="--processed")
    for name in (*REPORT_ENTRIES, VERSIONS):
        if corpus == (out / name).resolve() or corpus.is_relative_to((out / name).resolve()):
            raise ParameterError(f"--out {out}: the corpus {given_corpus} lies in its {name!r}, which "
                                 "a report replaces; choose another --out")
    notebooks = _select_notebooks(only)
    per_nb = resolve_parameters(notebooks, params_file, list(sets))
    processed = processed or staging / "processed"
    injected = {"corpus": str(corpus), "processed_dir": str(processed), "out_dir": str(staging)}
    validate_parameters(notebooks, per_nb, injected)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        with _Lock(out):
            index = _build(notebooks, per_nb, injected, given_corpus=given_corpus, corpus=corpus,
                           out=out, staging=staging, processed=processed, jobs=jobs, log=log,
                           dayfirst=dayfirst, cluster={"workers": workers, "scheduler": scheduler})
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot write the report ({exc.strerror or exc}); the "
                          "previous report, if any, is untouched") from None
    finally:
        failed_first_run = created and out.exists() and not (out / "index.html").exists()
        if failed_first_run and not any((out / VERSIONS).glob("*.partial")):
            shutil.rmtree(out)  # nothing worth keeping: no report, no partial notebook to debug
    if zip_archive:
        log(f"archive {write_zip(out)}")
    return index


def _selection(processed: Path, per_nb: dict[str, dict]) -> list[str]:
    """Say what the notebooks compare, from the selection parameters they were given."""
    import pandas as pd
    import pyarrow.parquet as pq

    from analysis import params as P
    from analysis import schema as S

    selection = set(P.COMMON) - set(INJECTED)  # outlets, dates, where, top_outlets, other_outlets, group_by
    given = {k: v for params in per_nb.values() for k, v in params.items() if k in selection}
    if not given:
        return []

    names = [c for c in pq.ParquetFile(processed / C.ARTICLES_FILE).schema_arrow.names
             if c not in (S.TEXT, S.RAW_TEXT, S.REMOVED)]
    articles = pd.read_parquet(processed / C.ARTICLES_FILE, columns=names)
    return C.selection_lines(C.select_articles(articles, **{**P.SELECTION_DEFAULTS, **given}))


def _build(notebooks, per_nb, injected, *, given_corpus, corpus, out, staging, processed, jobs, log,
           dayfirst, cluster) -> Path:
    """Run the notebooks into `staging` and install it into `out` (called under the lock)."""
    (staging / "notebooks").mkdir(parents=True)

    def prepare():
        log(f"preparing {given_corpus} -> {processed}")
        # the kernels only warm up meanwhile, so preparing uses as many processes as they will
        prepared = C.prepare(corpus, processed, dayfirst=dayfirst, client=client, jobs=jobs)
        # this process then holds only its imports while the kernels run (their sum is the
        # report's peak): 289 -> 137 MB after preparing 4,142 articles (bench in the commit)
        release_memory()
        comparing = [nb.name for nb in notebooks if nb.stem != OVERVIEW_NOTEBOOK]
        if prepared.outlets < 2 and comparing:
            shutil.rmtree(staging)
            raise ReportError(f"{given_corpus} has {prepared.outlets} outlet: {', '.join(comparing)} "
                              f"compare outlets and need at least two; for an overview alone use "
                              f"--only {OVERVIEW_NOTEBOOK}")
        return prepared

    def run(nb: Path, km) -> None:
        log(f"running {nb.name}")
        # per-article steps run on the preparation's cluster, in notebooks that take a scheduler
        address = ({"scheduler": cluster.get("scheduler") or client.scheduler.address}
                   if client is not None and "scheduler" in notebook_parameters(nb) else {})
        _run_notebook(nb, staging, {**per_nb[nb.stem], **injected, **address}, km=km, log=log)

    def render(nb: Path) -> None:
        titles[nb.stem] = render_html(staging / "notebooks" / nb.name)  # overlaps the other kernels
        release_memory()  # the page's notebook and HTML, freed, go back to the system
        log(f"finished {nb.name}")

    import nbformat

    def warm(nb: Path, km) -> None:
        _warm_up(km, import_statements(nbformat.read(nb, as_version=4)))

    titles: dict[str, str] = {}
    from analysis.cluster import dask_client

    with dask_client(**cluster) as client:
        prepared = _run_all(start_order(notebooks), prepare, run, jobs=jobs, warm=warm, after=render)
    pages = [(nb.stem, titles[nb.stem]) for nb in notebooks]
    run_info = {
        "corpus": given_corpus, "corpus_sha256": C.corpus_hash(corpus),
        "n_articles": prepared.articles, "n_outlets": prepared.outlets,
        "compared": _selection(processed, per_nb),
        "notebooks": [nb.name for nb in notebooks], "parameters": per_nb,
        "versions": versions(), "git_commit": _git_commit(),
        "python": sys.version.split()[0], "finished": dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"),
    }
    C.atomic_write_bytes(staging / "run.json", json.dumps(run_info, indent=2,
                                                         ensure_ascii=False).encode())
    from analysis.findings import FIRST_LINES, collect_findings

    # only the tables the findings use, and one example line per key of the KWIC tables: at 4,142
    # articles all tables took the report process to 587 MB, growing with the corpus
    findings = collect_findings(C.read_tables(staging / "tables", lazy=True, first_of=FIRST_LINES))
    C.save_table(findings, "findings", staging)
    pages_html = {name: (staging / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
                  for name, _ in pages}
    figures = {p.stem for p in (staging / "figures").glob("*.png")}
    body = _findings_html(findings, pages_html, figures)
    C.atomic_write_bytes(staging / "index.html", _index_page(run_info, pages, body).encode())
    _install(staging, out)
    return out / "index.html"
