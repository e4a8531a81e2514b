"""Validate notebook parameters: unknown names and bad values raise.

papermill only warns about a parameter the notebook does not declare; our notebooks call
:func:`validate` right after their ``parameters`` cell, so a typo or a bad value stops the
run with a message naming the parameter, the bad value and what is valid. Each analysis
module declares its notebook's extra parameters as a dict of :class:`Param`; the shared
ones are :data:`COMMON`.
"""

from __future__ import annotations

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
    "corpus": Param(str, "corpus folder or .csv/.jsonl/.parquet table"),
    "processed_dir": Param(str, "folder with articles/sentences.parquet from `prepare`; "
                                "'' loads the corpus in memory"),
    "out_dir": Param(str, "report folder for tables/ and figures/; '' saves nothing"),
    "outlets": Param(list, "outlets to include; [] means all", item_type=str),
    "date_from": Param(str, "first publication date to include (YYYY-MM-DD) or ''"),
    "date_to": Param(str, "last publication date to include (YYYY-MM-DD) or ''"),
}


# Shared by every notebook that finds people and organisations (terms, sentiment, framing, voices).
ENTITIES_FILE = Param(str, "entity alias YAML: 'auto' (entities.yaml in the corpus folder, or the shipped "
                           "file for data/raw), a path, or '' to propose names from the text")


def validate(spec: dict[str, Param], **values: Any) -> dict[str, Any]:
    """Check notebook parameters against `spec` (plus :data:`COMMON`); return them.

    Parameters
    ----------
    spec : dict of str to Param
        The notebook's own parameters.
    **values
        Every parameter of the notebook, by name.

    Returns
    -------
    dict
        The values, unchanged.

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
    """
    full = {**COMMON, **spec}
    unknown = sorted(set(values) - set(full))
    if unknown:
        raise ParameterError(f"unknown parameter(s) {unknown}; valid: {', '.join(sorted(full))}")
    missing = sorted(set(full) - set(values))
    if missing:
        raise ParameterError(f"missing parameter(s) {missing}")
    for name, param in full.items():
        param.check(name, values[name])
    _date_or_empty("date_from", values["date_from"])
    _date_or_empty("date_to", values["date_to"])
    if not Path(values["corpus"]).exists():
        raise ParameterError(f"parameter corpus: {values['corpus']!r} does not exist "
                             f"(working directory {Path.cwd()})")
    return values
