"""Where the package's own files are, found through :mod:`importlib.resources`.

Everything the package reads at run time ships inside it as package data: the report
notebooks and their parameter files (``analysis/notebooks``), the workshop lessons
(``analysis/notebooks/workshop``), the bundled five-article corpus
(``analysis/bundled_corpus``), lexicons and resource files. In the repository,
``analysis/notebooks`` and ``analysis/bundled_corpus`` are symbolic links to the top-level
``notebooks/`` and ``data/raw/`` (the layout the design card fixes), so an editable install
reads the working tree and a wheel carries copies; no path is computed from the checkout.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from analysis.errors import ResourceError

PACKAGE = "analysis"


def package_path(*parts: str) -> Path:
    """Return the path of a file or folder shipped in the package.

    Parameters
    ----------
    *parts : str
        Path components below the package folder, e.g. ``"notebooks", "params"``.

    Returns
    -------
    pathlib.Path
        A real file-system path (it may not exist: callers say what is missing).

    Raises
    ------
    ResourceError
        When the package is not installed as files (e.g. imported from a zip archive):
        papermill and Jupyter need real paths.

    Examples
    --------
    >>> package_path("notebooks").name
    'notebooks'
    >>> (package_path("notebooks") / "00_corpus.ipynb").is_file()
    True
    """
    ref = importlib.resources.files(PACKAGE).joinpath(*parts)
    if not isinstance(ref, Path):
        raise ResourceError(f"package {PACKAGE} is installed as {type(ref).__name__}, not as files; "
                            "install it with pip (a wheel), not as a zip archive")
    return ref


def notebooks_dir() -> Path:
    """Return the folder of the report notebooks (``notebooks/`` in the repository).

    Returns
    -------
    pathlib.Path
    """
    return package_path("notebooks")


def params_dir() -> Path:
    """Return the folder of the shipped parameter files (``notebooks/params``).

    Returns
    -------
    pathlib.Path
    """
    return package_path("notebooks", "params")


def workshop_dir() -> Path:
    """Return the folder of the workshop lessons (``notebooks/workshop``).

    Returns
    -------
    pathlib.Path
    """
    return package_path("notebooks", "workshop")


def bundled_corpus() -> Path:
    """Return the bundled five-article corpus (``data/raw`` in the repository), resolved.

    Returns
    -------
    pathlib.Path
        Resolved, so that it compares equal to ``Path("data/raw").resolve()`` in a checkout.
    """
    return package_path("bundled_corpus").resolve()
