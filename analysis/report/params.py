"""The report's notebooks and their parameters: discovery, parameter files, validation."""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

from analysis._paths import notebooks_dir
from analysis.errors import ParameterError, ReportError

NOTEBOOK_DIR = notebooks_dir().resolve()  # package data: analysis/notebooks (notebooks/ in the repository)
REPORT_NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"  # report notebooks: 00_corpus.ipynb, 10_terms...
# set by the report, not by --set (scheduler: by --workers/--scheduler)
OVERVIEW_NOTEBOOK = "00_corpus"  # the one report notebook that does not compare outlets
INJECTED = ("corpus", "processed_dir", "out_dir", "scheduler")


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
