"""Validate notebook parameters: unknown names and bad values raise.

papermill only warns about a parameter the notebook does not declare, and injects it all
the same (in a cell tagged ``injected-parameters``). Our notebooks call
``params.validate(SPEC, globals())`` right after their ``parameters`` cell: it reads the
names that injected cell set (from IPython's input history, so ``papermill -p n_bot 5``
is caught as well as ``newsframes report --set``) and refuses any the notebook does not
declare, then checks every declared value. A typo or a bad value stops the run with a
message naming the parameter, the bad value and what is valid. Each analysis module
declares its notebook's extra parameters as a dict of :class:`Param`; the shared ones are
:data:`COMMON`. An empty ``corpus`` means the corpus shipped with the package, so every
notebook runs with its defaults from any directory.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.clean import parse_date
from analysis.errors import ParameterError


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its type, its meaning and its valid values."""

    type: type | tuple[type, ...]
    help: str
    choices: tuple | None = None
    min: float | None = None
    max: float | None = None
    item_type: type | None = None  # for lists: the type of each item

    def check(self, name: str, value: Any) -> None:
        """Raise :class:`ParameterError` unless `value` is valid for parameter `name`."""
        types = self.type if isinstance(self.type, tuple) else (self.type,)
        if isinstance(value, bool) and bool not in types:
            raise ParameterError(f"parameter {name}: {value!r} is a bool; expected "
                                 f"{' or '.join(t.__name__ for t in types)} ({self.help})")
        if not isinstance(value, types):
            raise ParameterError(f"parameter {name}: {value!r} is {type(value).__name__}; "
                                 f"expected {' or '.join(t.__name__ for t in types)} ({self.help})")
        if self.choices is not None and value not in self.choices:
            raise ParameterError(f"parameter {name}: {value!r} is not one of {list(self.choices)}")
        if self.min is not None and value < self.min or self.max is not None and value > self.max:
            raise ParameterError(f"parameter {name}: {value!r} is outside [{self.min}, {self.max}]")
        if self.item_type is not None:
            bad = [v for v in value if not isinstance(v, self.item_type)]
            if bad:
                raise ParameterError(f"parameter {name}: items {bad!r} are not "
                                     f"{self.item_type.__name__}")


def _date_or_empty(name: str, value: str) -> None:
    if value and parse_date(value) != value:
        raise ParameterError(f"parameter {name}: {value!r} is not a YYYY-MM-DD date or ''")


# Parameters every report notebook has.
COMMON: dict[str, Param] = {
    "corpus": Param(str, "corpus folder or .csv/.jsonl/.parquet table; '' means the bundled corpus"),
    "processed_dir": Param(str, "folder with articles/sentences.parquet from `prepare`; "
                                "'' loads the corpus in memory"),
    "out_dir": Param(str, "report folder for tables/ and figures/; '' saves nothing"),
    "outlets": Param(list, "outlets to include; [] means all", item_type=str),
    "date_from": Param(str, "first publication date to include (YYYY-MM-DD) or ''"),
    "date_to": Param(str, "last publication date to include (YYYY-MM-DD) or ''"),
    "where": Param(dict, "column to value(s) an article must have: a list keeps any of them, "
                         "'~text' is a case-insensitive regular expression; {} keeps all"),
    "top_outlets": Param(int, "compare only the N outlets with most articles; 0 compares all", min=0),
    "other_outlets": Param(bool, "with top_outlets, group the rest as 'other outlets' (else leave them out)"),
    "group_by": Param(str, "an article column whose values are compared instead of outlets; '' for outlets"),
    "scheduler": Param(str, "Dask scheduler address that runs the per-article steps (e.g. 'tcp://10.0.0.5:8786'); "
                            "'' runs them in this kernel"),
}
# Selection parameters added after the first notebooks: a caller that does not pass them gets these.
SELECTION_DEFAULTS: dict[str, Any] = {"where": {}, "top_outlets": 0, "other_outlets": True, "group_by": ""}
# Every parameter added to COMMON after the first notebooks, with the value a notebook without it gets.
LATER_DEFAULTS: dict[str, Any] = {**SELECTION_DEFAULTS, "scheduler": ""}


# Shared by every notebook that finds people and organisations (terms, sentiment, framing, voices).
ENTITIES_FILE = Param(str, "entity alias YAML: 'auto' (entities.yaml in the corpus folder, or the shipped "
                           "file for data/raw), a path, or '' to propose names from the text")


INJECTED_HEADER = "# Parameters\n"  # first line of the cell papermill injects (its Python translator)


def injected_names(namespace: Mapping[str, Any]) -> list[str]:
    """Return the names papermill's injected-parameters cell set in a notebook's namespace.

    Parameters
    ----------
    namespace : mapping
        The notebook's ``globals()``. IPython keeps the source of every executed cell in
        its ``In`` list (also with ``HistoryManager.enabled=False``); papermill's injected
        cell starts with ``# Parameters``.

    Returns
    -------
    list of str
        Names assigned by the most recent injected cell, in order; empty outside IPython or
        when nothing was injected (a notebook opened in JupyterLab).

    Examples
    --------
    >>> injected_names({"In": ["", "n = 1", "# Parameters\\nn = 2\\nn_bot = 5\\n", "validate()"]})
    ['n', 'n_bot']
    >>> injected_names({"n": 1})
    []
    """
    history = namespace.get("In")
    if not isinstance(history, list):
        return []
    source = next((s for s in reversed(history) if isinstance(s, str) and s.startswith(INJECTED_HEADER)), "")
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    return [t.id for node in body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]


def corpus_path(corpus: str) -> str:
    """Return the corpus a ``corpus`` parameter names: ``""`` is the bundled corpus.

    Parameters
    ----------
    corpus : str
        A corpus folder or table, or ``""`` for the five-article corpus shipped with the
        package (``data/raw`` in the repository).

    Returns
    -------
    str
        `corpus` unchanged, or the absolute path of the bundled corpus.

    Raises
    ------
    ParameterError
        If `corpus` is not empty and does not exist (relative paths are read from the
        working directory, which the message names).

    Examples
    --------
    >>> from pathlib import Path
    >>> (Path(corpus_path("")) / "manifest.csv").is_file()
    True
    >>> corpus_path("data/raw")
    'data/raw'
    """
    if corpus == "":
        from analysis.corpus import BUNDLED_CORPUS

        return str(BUNDLED_CORPUS)
    if not Path(corpus).exists():
        raise ParameterError(f"parameter corpus: {corpus!r} does not exist "
                             f"(working directory {Path.cwd()}; '' means the bundled corpus)")
    return corpus


def validate(spec: dict[str, Param], namespace: Mapping[str, Any] | None = None, /,
             **values: Any) -> dict[str, Any]:
    """Check notebook parameters against `spec` (plus :data:`COMMON`); return them.

    Parameters
    ----------
    spec : dict of str to Param
        The notebook's own parameters.
    namespace : mapping, optional
        The notebook's ``globals()``: the declared parameters are read from it, and any
        name papermill injected that is not declared is refused (see
        :func:`injected_names`). Other names in it (imports, later results) are ignored,
        so re-running the cell in JupyterLab is safe.
    **values
        Parameters by name (they take precedence over `namespace`); without `namespace`,
        every parameter of the notebook.

    Returns
    -------
    dict
        The declared values, unchanged except an empty ``corpus``, which becomes the path
        of the bundled corpus (:func:`corpus_path`).

    Raises
    ------
    ParameterError
        For a missing or unknown parameter (listing the valid ones), a wrong type, a value
        outside its choices or range, a bad date, or a corpus path that does not exist.

    Examples
    --------
    >>> validate({"n": Param(int, "a count", min=1)}, corpus="data/raw", processed_dir="",
    ...          out_dir="", outlets=[], date_from="", date_to="", n=3)["n"]
    3
    >>> validate({}, corpus="data/raw", processed_dir="", out_dir="", outlets=[],
    ...          date_from="", date_to="", colour="red")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: unknown parameter(s) ['colour']; valid: corpus, date_from, ...

    In a notebook, after papermill injected ``n_bot`` (a typo of ``n_boot``):

    >>> ns = dict(corpus="", processed_dir="", out_dir="", outlets=[], date_from="", date_to="",
    ...           In=["", "# Parameters\\nn_bot = 5\\n"], n_bot=5)
    >>> validate({}, ns)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analysis.errors.ParameterError: unknown parameter(s) ['n_bot'] injected by papermill; valid: corpus, ...
    """
    full = {**COMMON, **spec}
    valid = ", ".join(sorted(full))
    if namespace is not None:
        unknown = sorted(set(injected_names(namespace)) - set(full))
        if unknown:
            raise ParameterError(f"unknown parameter(s) {unknown} injected by papermill; valid: {valid}")
        values = {**{k: namespace[k] for k in full if k in namespace}, **values}
    unknown = sorted(set(values) - set(full))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {unknown}; valid: {valid}")
    given = values
    values = {**LATER_DEFAULTS, **values}
    missing = sorted(set(full) - set(values))
    if missing:
        raise ParameterError(f"missing parameter(s) {missing}")
    for name, param in full.items():
        param.check(name, values[name])
    values = given
    _date_or_empty("date_from", values["date_from"])
    _date_or_empty("date_to", values["date_to"])
    return {**values, "corpus": corpus_path(values["corpus"])}
