"""Build the report: prepare once, run the notebooks with papermill, render offline HTML.

``build_report`` writes into a staging folder beside the output and moves the finished
pieces into place only when every notebook succeeded, so a failed run never destroys the
previous complete report; the failed run's staging folder (with the partial executed
notebook) is kept for debugging and named in the error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis import corpus as C
from analysis._paths import notebooks_dir
from analysis.errors import OutputError, ParameterError, ReportError
from analysis.resources import versions

NOTEBOOK_DIR = notebooks_dir().resolve()  # package data: analysis/notebooks (notebooks/ in the repository)
REPORT_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"  # report notebooks: 00_corpus.ipynb, 10_terms...
# set by the report, not by --set (scheduler: by --workers/--scheduler)
INJECTED = ("corpus", "processed_dir", "out_dir", "scheduler")
KERNEL = "python3"  # without a kernel manager; report kernels use analysis.kernel.kernel_name()
OVERVIEW_NOTEBOOK = "00_corpus"  # the one report notebook that does not compare outlets
KERNEL_TIMEOUT = 120  # seconds for a kernel to start or import its notebook's modules
# Report kernels keep no IPython history: concurrent kernels would share one SQLite file in
# ~/.ipython (lock contention), it would fill with report runs, and it costs ~0.07 s CPU each.
KERNEL_ARGS = ("--HistoryManager.enabled=False",)
DEFAULT_JOBS = (os.cpu_count() or 1) + 1  # one kernel more than cores: it fills the others' waits
# kernels start longest notebook first (bench/scale.py, 1,000 articles: 127, 93, 52, 28, 3 s), so
# the longest is not queued behind short ones; other notebooks start after these
LONGEST_FIRST = ("40_voices_reuse", "20_sentiment", "30_framing", "10_terms", OVERVIEW_NOTEBOOK)


def report_notebooks(folder: str | os.PathLike = NOTEBOOK_DIR) -> list[Path]:
    """Return the report notebooks in `folder`, in name order.

    Parameters
    ----------
    folder : str or os.PathLike
        Folder holding ``NN_name.ipynb`` notebooks.

    Returns
    -------
    list of pathlib.Path
    """
    return sorted(Path(folder).glob(REPORT_NOTEBOOK_GLOB))


def notebook_parameters(path: str | os.PathLike) -> dict[str, dict]:
    """Return a notebook's declared parameters: name to ``{"default", "type", "help"}``.

    Parameters
    ----------
    path : str or os.PathLike
        A notebook with a cell tagged ``parameters``.

    Returns
    -------
    dict
        As read by :func:`papermill.inspect_notebook` from the parameters cell; a report
        inspects each notebook file once (cached by path and modification time), though
        :func:`resolve_parameters` and :func:`validate_parameters` both ask.
    """
    import copy

    path = Path(path)
    return copy.deepcopy(_inspect(str(path.resolve()), path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=64)
def _inspect(path: str, mtime_ns: int) -> dict[str, dict]:
    import papermill as pm

    return {
        name: {"default": p["default"], "type": p["inferred_type_name"], "help": p["help"]}
        for name, p in pm.inspect_notebook(path).items()
    }


def load_yaml(text: str):
    """Parse YAML safely, leaving dates as strings ("2026-01-12" stays a str).

    Parameters
    ----------
    text : str
        YAML source.

    Returns
    -------
    object
        The parsed value.

    Examples
    --------
    >>> load_yaml("date_from: 2026-01-12\\nn: 3")
    {'date_from': '2026-01-12', 'n': 3}

    Raises
    ------
    ParameterError
        For more than :data:`MAX_PARAM_CHARS` characters or :data:`MAX_PARAM_ITEMS` items.
    yaml.YAMLError
        For invalid YAML, and for any alias (``*name``): 433 bytes of nested aliases can
        stand for a billion items.
    """
    import yaml

    if len(text) > MAX_PARAM_CHARS:
        raise ParameterError(f"parameters: {len(text):,} characters of YAML; at most "
                             f"{MAX_PARAM_CHARS:,} are read")

    class _NoDates(yaml.SafeLoader):
        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):  # `*name`: the way to a billion-item alias bomb
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(f"line {mark.line + 1}: YAML aliases (*name) are not "
                                     "accepted in parameters; write the value out")
            return super().compose_node(parent, index)

    _NoDates.yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    value = yaml.load(text, Loader=_NoDates)  # noqa: S506 - a SafeLoader subclass
    _check_size(value)
    return value


MAX_PARAM_CHARS = 1_000_000  # characters of YAML in a parameter file or --set value
MAX_PARAM_ITEMS = 100_000  # list items and mapping entries, all values together


def _check_size(value, budget: list | None = None) -> None:
    """Raise ParameterError when `value` holds more than MAX_PARAM_ITEMS items in all."""
    budget = [MAX_PARAM_ITEMS] if budget is None else budget
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        budget[0] -= 1
        if budget[0] < 0:
            raise ParameterError(f"parameters: more than {MAX_PARAM_ITEMS:,} items in all; "
                                 "pass large selections as a column filter instead")
        _check_size(item, budget)


def resolve_parameters(notebooks: list[Path], params_file: str | None,
                       sets: list[str]) -> dict[str, dict]:
    """Merge a YAML parameter file and ``key=value`` overrides, per notebook.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        The report notebooks.
    params_file : str or None
        YAML mapping of parameter to value; applies to every notebook that declares it.
    sets : list of str
        ``key=value`` strings; values are parsed as YAML ("3", "[a, b]", "true").

    Returns
    -------
    dict
        Notebook stem to the parameters to inject into it.

    Raises
    ------
    ParameterError
        For a parameter no notebook declares (listing the valid ones), or one the report
        sets itself (``corpus``, ``processed_dir``, ``out_dir``).
    """
    import yaml

    given: dict = {}
    if params_file:
        try:
            loaded = load_yaml(Path(params_file).read_text(encoding="utf-8")) or {}
        except UnicodeDecodeError as exc:
            raise ParameterError(f"--params {params_file}: not UTF-8 (byte {exc.start}: "
                                 f"{exc.object[exc.start:exc.start + 1]!r}); save it as UTF-8") from None
        except (OSError, yaml.YAMLError) as exc:
            raise ParameterError(f"--params {params_file}: cannot read YAML ({exc})") from None
        if not isinstance(loaded, dict):
            raise ParameterError(f"--params {params_file}: expected a mapping of name: value")
        given.update(loaded)
    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--set {item!r}: expected key=value")
        try:
            given[key.strip()] = load_yaml(value) if value.strip() else ""
        except yaml.YAMLError as exc:
            raise ParameterError(f"--set {item!r}: the value is not YAML ({exc}); quote text "
                                 "that has colons or brackets") from None
    declared = {nb.stem: notebook_parameters(nb) for nb in notebooks}
    valid = sorted({k for d in declared.values() for k in d} - set(INJECTED))
    bad = sorted(k for k in given if k not in valid)
    if bad:
        raise ParameterError(f"unknown parameter(s) {bad}; valid: {', '.join(valid)}")
    return {stem: {k: v for k, v in given.items() if k in d} for stem, d in declared.items()}


def _validation_spec(nb_path: Path):
    """Return the parameter spec a notebook validates against (``X.PARAMETERS``), or None.

    Read from the notebook's own ``params.validate(X.PARAMETERS, ...)`` call and the
    ``from analysis import x as X`` that names ``X``: the notebook stays the one place that
    says which spec it uses.
    """
    import ast
    import importlib

    import nbformat

    modules: dict[str, str] = {}
    for tree in _code_trees(nbformat.read(nb_path, as_version=4)):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
            elif isinstance(node, ast.Import):
                modules.update({a.asname or a.name: a.name for a in node.names})
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "validate" and node.args
                  and isinstance(node.args[0], ast.Attribute) and isinstance(node.args[0].value, ast.Name)
                  and node.args[0].value.id in modules):
                module = importlib.import_module(modules[node.args[0].value.id])
                return getattr(module, node.args[0].attr, None)
    return None


def validate_parameters(notebooks: list[Path], per_nb: dict[str, dict], injected: dict) -> None:
    """Validate every notebook's parameters, as its own validating call will, before any runs.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        The report notebooks.
    per_nb : dict
        Notebook stem to the given parameters (from :func:`resolve_parameters`).
    injected : dict
        What the report sets itself (``corpus``, ``processed_dir``, ``out_dir``).

    Raises
    ------
    ParameterError
        Naming the notebook, the parameter, the bad value and what is valid.

    Notes
    -----
    The defaults are the literals of each notebook's ``parameters`` cell; the spec is the
    one its ``params.validate(X.PARAMETERS, ...)`` call names. A notebook without such a
    call is only checked by papermill. Cost: importing each notebook's analysis module.
    """
    import ast

    from analysis import params

    for nb in notebooks:
        spec = _validation_spec(nb)
        if spec is None:
            continue
        declared = notebook_parameters(nb)
        values = {}
        for name, info in declared.items():
            try:
                values[name] = ast.literal_eval(info["default"])
            except (ValueError, SyntaxError):
                values[name] = info["default"]
        values.update(per_nb.get(nb.stem, {}))
        values.update({k: v for k, v in injected.items() if k in declared})
        try:
            params.validate(spec, **values)
        except ParameterError as exc:
            raise ParameterError(f"{nb.stem}: {exc}") from None


def _select_notebooks(only) -> list[Path]:
    available = report_notebooks()
    if not available:
        raise ReportError(f"no report notebooks ({REPORT_NOTEBOOK_GLOB}) in {NOTEBOOK_DIR}: the installed "
                          "package is incomplete; reinstall newsframes-analysis")
    if not only:
        return available
    by_stem = {nb.stem: nb for nb in available}
    chosen = []
    for item in only:
        if item in by_stem:
            chosen.append(by_stem[item])
        elif Path(item).suffix == ".ipynb" and Path(item).exists():
            chosen.append(Path(item).resolve())
        else:
            raise ParameterError(f"--only {item!r}: no such report notebook; valid: {', '.join(by_stem)}")
    return chosen


# CPython 3.11 builds Python AST objects with one recursion counter per interpreter: two
# threads in ast.parse at once can raise "SystemError: AST constructor recursion depth
# mismatch" (seen in CI when the report warmed two kernels at once). One parse at a time.
_AST_LOCK = threading.Lock()


def _code_trees(nb):
    """Yield the syntax tree of each code cell; cells with IPython magics are left to the notebook."""
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code":
            try:
                with _AST_LOCK:
                    tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            yield tree


def import_statements(nb) -> str:
    r"""Return the notebook's top-level imports as code that imports without binding names.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook.

    Returns
    -------
    str
        One ``__import__`` call per distinct top-level ``import`` or absolute ``from ...
        import`` statement of its code cells, in order. Running it imports what the notebook
        will import, and leaves the kernel's namespace as it was.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "import pandas as pd\nfrom analysis import plots, terms\nx = 1"),
    ...     nbformat.v4.new_code_cell("%time import numpy")])  # a magic: left to the notebook
    >>> print(import_statements(nb))
    __import__('pandas')
    __import__('analysis', fromlist=['plots', 'terms'])
    """
    import ast

    calls: dict[str, None] = {}
    for tree in _code_trees(nb):
        for node in tree.body:
            if isinstance(node, ast.Import):
                calls.update({f"__import__({a.name!r})": None for a in node.names})
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                calls[f"__import__({node.module!r}, fromlist={[a.name for a in node.names]!r})"] = None
    return "\n".join(calls)


def _start_kernel():
    """Start a kernel for a report notebook (in the calling thread's event loop)."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from analysis.kernel import kernel_name, transport_encryption

    km = AsyncKernelManager(kernel_name=kernel_name(), transport_encryption=transport_encryption())
    run_sync(km.start_kernel)(extra_arguments=list(KERNEL_ARGS))
    return km


def _warm_up(km, code: str) -> None:
    """Run `code` silently in the kernel of `km` once it is ready.

    The report passes the notebook's own imports (see :func:`import_statements`), so they
    load while the corpus is still being prepared. A failing import is not reported here:
    the notebook's own cell reports it.
    """
    from jupyter_core.utils import run_sync

    if not code:
        return
    kc = km.client()
    kc.start_channels()
    try:
        run_sync(kc.wait_for_ready)(timeout=KERNEL_TIMEOUT)
        run_sync(kc.execute_interactive)(code, silent=True, store_history=False, timeout=KERNEL_TIMEOUT)
    finally:
        kc.stop_channels()


def _stop_kernel(km) -> None:
    """Stop a kernel started by :func:`_start_kernel` and remove its connection file."""
    from jupyter_core.utils import run_sync

    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)  # its notebook's files are already written
    finally:
        run_sync(km.cleanup_resources)()


SLOW_CELL = 10.0  # seconds: a cell running longer is announced, then every HEARTBEAT seconds
HEARTBEAT = 30.0


class CellProgress:
    """Say which cell of a notebook is running when one takes long (a line per step).

    ``start``/``done`` are called by the report's papermill engine around every cell; a
    watcher thread logs ``"30_framing: cell 22/41 running for 40 s (aligned = ...)"`` once
    a cell has run :data:`SLOW_CELL` seconds and every :data:`HEARTBEAT` seconds after, and
    the cell's time when it ends, so a long report never goes quiet for minutes.
    """

    def __init__(self, name: str, log, *, slow: float | None = None, every: float | None = None):
        slow = SLOW_CELL if slow is None else slow
        every = HEARTBEAT if every is None else every
        self.name, self.log, self.slow, self.every = name, log, slow, every
        self.cell: tuple | None = None
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def start(self, cell, index, total) -> None:
        """Note that cell `index` (0-based) of `total` starts now."""
        first = next((ln.strip() for ln in str(cell.get("source", "")).splitlines() if ln.strip()), "")
        with self.lock:
            self.cell = (index + 1, total, first[:60], time.monotonic(), [0.0])

    def done(self, index) -> None:
        """Note that the running cell ended; log its time if it was slow."""
        with self.lock:
            cell, self.cell = self.cell, None
        if cell and time.monotonic() - cell[3] >= self.slow:
            self.log(f"{self.name}: cell {cell[0]}/{cell[1]} took {time.monotonic() - cell[3]:.0f} s")

    def _watch(self) -> None:
        while not self.stop.wait(1.0):
            with self.lock:
                cell = self.cell
            if cell is None:
                continue
            elapsed = time.monotonic() - cell[3]
            announced = cell[4]
            if elapsed >= self.slow and (not announced[0] or elapsed - announced[0] >= self.every):
                announced[0] = elapsed
                self.log(f"{self.name}: cell {cell[0]}/{cell[1]} running for {elapsed:.0f} s ({cell[2]})")


@functools.cache
def _engine() -> str:
    """Register (once) a papermill engine that reports cell progress; return its name."""
    from papermill.engines import NBClientEngine, papermill_engines

    class _ProgressEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            progress = kwargs.pop("progress", None)
            if progress is not None:
                start, complete = nb_man.cell_start, nb_man.cell_complete

                def cell_start(cell, cell_index=None, **kw):
                    progress.start(cell, cell_index or 0, len(nb_man.nb.cells))
                    return start(cell, cell_index, **kw)

                def cell_complete(cell, cell_index=None, **kw):
                    progress.done(cell_index)
                    return complete(cell, cell_index, **kw)

                nb_man.cell_start, nb_man.cell_complete = cell_start, cell_complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register("newsframes", _ProgressEngine)
    return "newsframes"


def _run_notebook(nb: Path, staging: Path, params: dict, km=None, log=None) -> None:
    import papermill as pm

    target = staging / "notebooks" / nb.name
    progress = CellProgress(nb.stem, log) if log is not None else None
    try:
        # No cwd=: papermill implements it with os.chdir, which is process-wide and races between
        # the notebooks running in parallel threads. Kernels start in the caller's directory,
        # so relative paths given with --set mean what the user typed.
        # request_save_on_cell_execute=False: papermill would otherwise re-serialise the whole
        # notebook (images included) twice per cell; it still writes it on error and at the end.
        with progress or contextlib.nullcontext():
            pm.execute_notebook(str(nb), str(target), parameters=params,
                                kernel_name=KERNEL if km is None else km.kernel_name,
                                progress_bar=False, log_output=False,
                                request_save_on_cell_execute=False, km=km,
                                engine_name=_engine(), progress=progress)
    except pm.PapermillExecutionError as exc:
        first = (exc.source or "").strip().splitlines()[:1]
        raise ReportError(
            f"notebook {nb.name} failed in cell {exc.cell_index + 1} of the executed notebook "
            f"({first[0] if first else 'empty cell'}): {exc.ename}: {exc.evalue}\n"
            f"  partial executed notebook kept at {target}"
        ) from None


_RENDER_LOCK = threading.Lock()  # an exporter keeps per-call state: one page at a time


NO_ALT = "No description has been provided for this image"  # nbconvert's own alt text
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
_FOCUSABLE = re.compile(r'(<div class="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*")(?=[\s>])')


def _accessible(page: str) -> str:
    """Add what nbconvert's BeautifulSoup pass adds: a default alt text, focusable cells."""
    page = _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', page)
    return _FOCUSABLE.sub(r'\1 tabindex="0"', page)


@functools.cache
def _exporter():
    """Return the one HTML exporter every page uses (its templates compile once).

    nbconvert's ``HTMLExporter`` ends by parsing its own page with BeautifulSoup to add
    alt texts and ``tabindex`` attributes: 60 % of its time on our pages (0.6 s per
    report). This subclass renders the same template and adds them with two anchored
    regular expressions instead; the tests compare both pages element by element.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class _Exporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7.17) without its soup pass
            lang = nb.metadata.get("language_info", {})
            lexer = lang.get("pygments_lexer", lang.get("name", None))
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

    return _Exporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                     exclude_output_prompt=True, embed_images=True)  # scripts go in _strip_remote


def render_html(executed: Path) -> str:
    """Render an executed notebook to standalone offline HTML without code cells.

    Parameters
    ----------
    executed : pathlib.Path
        The executed ``.ipynb``.

    Returns
    -------
    str
        The page's title (the notebook's first heading). The page is the ``.html`` beside
        `executed`; it loads nothing from the network: no MathJax, require.js or mermaid
        scripts, images embedded.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    title = _title(nb)
    with _RENDER_LOCK:
        body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    C.atomic_write_bytes(executed.with_suffix(".html"), _strip_remote(body, executed.stem).encode("utf-8"))
    return title


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ftp://...
_LOADING_ATTRS = {"src", "srcset", "data", "poster", "background", "action", "formaction"}


def _network_refs(page: str) -> list[str]:
    """Return the attributes of `page`'s elements that would load from the network.

    Parsed as HTML (elements and attributes), so text that merely *shows* markup, such as an
    escaped ``&lt;iframe src="https://…"&gt;`` quoted in an article, is not a reference.
    Links a reader may click (``<a href>``) are not loads; ``<link href>`` is.
    """
    from html.parser import HTMLParser

    found: list[str] = []

    class _Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                loads = name in _LOADING_ATTRS or (name == "href" and tag == "link")
                if loads and value and any(_REMOTE.match(v) for v in value.split(",")):
                    found.append(f"<{tag} {name}={value[:80]!r}>")

        handle_startendtag = handle_starttag

    _Parser(convert_charrefs=True).feed(page)
    return found


def _strip_remote(page: str, name: str = "page") -> str:
    """Remove every script (MathJax, require.js, mermaid: none is needed for our outputs).

    Raises
    ------
    ReportError
        If any element of the page `name` would still load from the network.
    """
    page = _COMMENT.sub("", _SCRIPT.sub("", page))
    refs = _network_refs(page)
    if refs:
        raise ReportError(f"{name}: the rendered page would load from the network: {refs[0]}"
                          f"{f' (and {len(refs) - 1} more)' if len(refs) > 1 else ''}; a notebook "
                          "cell outputs remote content")
    return page


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=NOTEBOOK_DIR.parent, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


SECTION_TITLES = {  # section key of analysis.findings -> heading on the summary page
    "corpus": "The corpus", "terms": "Words", "sentiment": "Tone", "framing": "Generic frames",
    "labels": "Word choice: labels for the same thing", "actors": "Who is prominent",
    "voices": "Who gets a voice", "reuse": "What was copied", "facts": "Facts and figures",
}
MAX_PER_SECTION = 6  # findings shown per section on the summary page (all are in tables/findings.csv)
LIMITS = (
    "Every outlet here is represented by the articles in this corpus: with one article per outlet, an "
    "outlet difference is also a difference between single articles, days and reporters.",
    "Word counts, tone and frames are measured by dictionaries and rules (NLTK tokenizers, VADER, cue "
    "lexicons): they count words, they do not understand them. Each section shows the sentences behind "
    "its numbers; read them before you cite a number.",
    "Intervals are 95% bootstrap intervals (articles, then sentences, resampled; seeded). Where intervals "
    "overlap, a finding is listed as not supported: the data cannot tell the outlets apart.",
    "Distinctive terms are tested with G² and corrected for the number of terms tested "
    "(Benjamini–Hochberg); log-odds z-scores (Monroe et al. 2008) rank them.",
    "VADER was built for social-media text; on news it scores named things ('United States', 'security "
    "forces') as sentiment. The sentiment section lists the words that drive each outlet's score.",
)


def _anchor(page: str, keyword: str) -> str:
    """Return the id of the first h2 heading of `page` whose id contains `keyword`, or ""."""
    for hid in re.findall(r'<h2 id="([^"]+)"', page):
        if keyword.lower() in hid.lower():
            return hid
    return ""


def _findings_html(findings, pages_html: dict[str, str], figures: set[str]) -> str:
    parts = []
    for section, group in findings.groupby("section", sort=False):
        group = group.sort_values("supported", ascending=False, kind="stable")  # supported first
        first = group.iloc[0]
        anchor = _anchor(pages_html.get(first["notebook"], ""), first["heading"])
        link = f"notebooks/{first['notebook']}.html" + (f"#{anchor}" if anchor else "")
        items = []
        for r in group.head(MAX_PER_SECTION).itertuples():
            badge = "" if r.supported else '<span class="ns">not supported by the data</span> '
            ev = f'<blockquote>{html.escape(r.evidence)}</blockquote>' if r.evidence else ""
            items.append(f"<li>{badge}{html.escape(r.finding)}{ev}</li>")
        more = (f'<p class="more">{len(group) - MAX_PER_SECTION} more in '
                f'<a href="tables/findings.csv">tables/findings.csv</a>.</p>' if len(group) > MAX_PER_SECTION else "")
        fig = first["figure"]
        img = (f'<a href="figures/{fig}.svg"><img src="figures/{fig}.png" alt="figure {fig}"></a>'
               if fig in figures else "")
        parts.append(f'<section><h3>{html.escape(SECTION_TITLES.get(section, section))}</h3>'
                     f'<ul>{"".join(items)}</ul>{more}{img}<p><a href="{link}">The section, its tables and '
                     f'every sentence behind it →</a></p></section>')
    return "\n".join(parts)


def _index_page(run: dict, pages: list[tuple[str, str]], findings_html: str) -> str:
    items = "\n".join(
        f'<li><a href="notebooks/{html.escape(name)}.html">{html.escape(title)}</a></li>'
        for name, title in pages
    )
    limits = "".join(f"<li>{html.escape(t)}</li>" for t in LIMITS)
    params = html.escape(json.dumps(run["parameters"], indent=1, ensure_ascii=False))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsframes report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222}} pre{{background:#f4f4f4;padding:.5rem;overflow:auto}}
section{{border-top:1px solid #ddd;padding-top:.5rem;overflow:auto}} img{{max-width:100%;max-height:26rem;
width:auto;height:auto;display:block;margin:.5rem 0}} blockquote{{margin:.2rem 0 .4rem 1rem;color:#555;font-size:.9em}}
.ns{{background:#eee;color:#555;border-radius:3px;padding:0 .3rem;font-size:.85em}} .more{{font-size:.9em}}
</style>
</head><body>
<h1>newsframes report</h1>
<p>Corpus <code>{html.escape(run["corpus"])}</code> (SHA-256 {run["corpus_sha256"][:12]}…):
{run["n_articles"]} articles from {run["n_outlets"]} outlets. {html.escape(" ".join(run.get("compared", [])))}
Findings below are generated from the report's tables; those the data cannot support are marked and
worded as such.</p>
<h2>Key findings</h2>
{findings_html}
<h2 id="methods-and-limits">Methods and limits</h2>
<ul>{limits}</ul>
<h2>Sections</h2>
<ul>
{items}
</ul>
<p>Tables (CSV) are in <a href="tables/">tables/</a>, figures (PNG and SVG) in
<a href="figures/">figures/</a>; <a href="run.json">run.json</a> records parameters,
versions and the corpus hash.</p>
<h2>Parameters</h2>
<pre>{params}</pre>
</body></html>
"""


def _title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return "newsframes notebook"


REPORT_ENTRIES = ("index.html", "run.json", "notebooks", "tables", "figures", "processed")
VERSIONS = ".versions"  # out/.versions/<id>/: one complete report each
CURRENT = ".current"  # out/.current -> .versions/<id>: the one link a new report swaps
LOCK = ".lock"


def _report_paths(out: Path) -> tuple[Path, Path]:
    """Return (`out` made absolute without following its last link, a fresh staging folder)."""
    out = Path(os.path.abspath(out))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return out, out / VERSIONS / f"{stamp}-{os.getpid()}.partial"


class _Lock:
    """An exclusive, non-blocking lock on a report folder (``out/.lock`` holds the pid)."""

    def __init__(self, out: Path):
        self.path, self.fh = out / LOCK, None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks here; runs are not serialised
            return self
        self.fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until __exit__
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "unknown"
            self.fh.close()
            raise OutputError(f"--out {self.path.parent}: another report (pid {holder}) is being "
                              "written there; wait for it to finish or choose another --out") from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()  # closing releases the lock


def _install(staging: Path, out: Path) -> Path:
    """Make the finished report in `staging` the one `out` shows, in one atomic step.

    `out` holds fixed links (``index.html -> .current/index.html``, ``tables ->
    .current/tables``...) and one link ``.current -> .versions/<id>``; installing renames
    the staging folder to its final name and replaces ``.current`` with ``os.replace``, so
    a reader of `out` sees the old report or the new one, never a mix, even if the process
    is killed at any point. A report folder from an older version (real folders instead of
    links) is converted once. Where the file system has no symbolic links, the entries are
    moved into place one by one (not atomic). Returns the installed version folder.
    """
    final = staging.with_name(staging.name.removesuffix(".partial"))
    staging.rename(final)
    link_tmp = out / f"{CURRENT}.{os.getpid()}.tmp"
    try:
        link_tmp.unlink(missing_ok=True)
        os.symlink(Path(VERSIONS) / final.name, link_tmp, target_is_directory=True)
    except OSError:
        return _install_by_moving(final, out)
    os.replace(link_tmp, out / CURRENT)
    for name in REPORT_ENTRIES:
        entry, target = out / name, Path(CURRENT) / name
        if entry.is_symlink() and Path(os.readlink(entry)) == target:
            continue
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
        elif entry.is_dir():  # a report written by an older version: converted once
            shutil.rmtree(entry)
        os.symlink(target, entry, target_is_directory=name not in ("index.html", "run.json"))
    for old in (out / VERSIONS).iterdir():
        if old != final:  # the previous report, and failed runs' staging folders
            shutil.rmtree(old, ignore_errors=True)
    return final


def _install_by_moving(final: Path, out: Path) -> Path:
    """Fallback without symbolic links: move each entry into `out` (index.html last)."""
    for entry in sorted(final.iterdir(), key=lambda e: e.name == "index.html"):
        dest, trash = out / entry.name, out / f".{entry.name}.old"
        if trash.exists():
            shutil.rmtree(trash) if trash.is_dir() else trash.unlink()
        if dest.exists():
            dest.rename(trash)
        entry.rename(dest)
        if trash.exists():
            shutil.rmtree(trash) if trash.is_dir() else trash.unlink()
    final.rmdir()
    return out


def start_order(notebooks: list[Path]) -> list[Path]:
    """Return the notebooks in the order their kernels start: :data:`LONGEST_FIRST`, then the rest.

    Examples
    --------
    >>> [p.stem for p in start_order([Path("00_corpus.ipynb"), Path("50_mine.ipynb"),
    ...                               Path("40_voices_reuse.ipynb")])]
    ['40_voices_reuse', '00_corpus', '50_mine']
    """
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    return sorted(notebooks, key=lambda nb: rank.get(nb.stem, len(rank)))


def _run_all(notebooks: list[Path], prepare, run, *, jobs: int, warm=None, after=None):
    """Call ``prepare()`` here while the first kernels start, then ``run(nb, km)`` for each.

    Each worker starts its notebook's kernel and calls ``warm(nb, km)`` (the report runs
    the notebook's imports) before waiting for the prepared tables, so kernel start-up and
    imports (about a second of CPU each) overlap preparation instead of following it.
    ``after(nb)`` (the report renders the page) runs on a thread of its own once ``run``
    returned, while the worker stops the kernel and moves on to the next notebook. If
    `prepare` raises, the started kernels are stopped and the queued notebooks never
    start; the first notebook error is raised after all have finished.
    """
    ready, failed = threading.Event(), threading.Event()
    afters: list = []

    with ThreadPoolExecutor(max_workers=1) as finishing, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        def work(nb: Path) -> None:
            km = _start_kernel()
            try:
                if warm is not None:
                    warm(nb, km)
                ready.wait()
                if not failed.is_set():
                    run(nb, km)
                    if after is not None:
                        afters.append(finishing.submit(after, nb))
            finally:
                _stop_kernel(km)

        futures = [pool.submit(work, nb) for nb in notebooks]
        try:
            prepared = prepare()
        except BaseException:
            failed.set()
            for fut in futures:
                fut.cancel()
            raise
        finally:
            ready.set()
        for fut in futures:
            fut.result()
        for fut in afters:
            fut.result()
    return prepared


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
        Notebooks run at once, each in its own kernel process; by default one more than
        the CPU cores (3 on two cores measured 0.8 s faster than 2: the extra kernel runs
        while another starts up or waits for the HTML renderer).
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
        prepared = C.prepare(corpus, processed, dayfirst=dayfirst, client=client)
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
    from analysis.findings import collect_findings

    findings = collect_findings(C.read_tables(staging / "tables"))
    C.save_table(findings, "findings", staging)
    pages_html = {name: (staging / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
                  for name, _ in pages}
    figures = {p.stem for p in (staging / "figures").glob("*.png")}
    body = _findings_html(findings, pages_html, figures)
    C.atomic_write_bytes(staging / "index.html", _index_page(run_info, pages, body).encode())
    _install(staging, out)
    return out / "index.html"


def write_zip(folder: Path) -> Path:
    """Write ``<folder>.zip`` holding every file of `folder`, atomically; return its path.

    Parameters
    ----------
    folder : pathlib.Path
        The report folder.

    Returns
    -------
    pathlib.Path
        The archive; entries are sorted and time-stamped 2026-01-01, so the same report
        always gives the same archive.
    """
    root = (folder / CURRENT).resolve() if (folder / CURRENT).is_symlink() else folder
    members = {f"{folder.name}/{path.relative_to(root).as_posix()}": path.read_bytes()
               for path in sorted(p for p in root.rglob("*") if p.is_file())
               if not path.relative_to(root).parts[0].startswith(".")}
    target = folder.with_suffix(".zip")
    C.atomic_write_bytes(target, C.zip_bytes(members))
    return target
