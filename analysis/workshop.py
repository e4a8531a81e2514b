"""The workshop: exercise notebooks generated from their solutions, and copied out for a class.

The solutions ``notebooks/workshop/solutions/solution_NN_name.ipynb`` are the single source;
each exercise ``notebooks/workshop/NN_name.ipynb`` is generated from its solution, so the two
never drift. Solutions live in their own folder with a ``solution_`` prefix, so JupyterLab's
file browser and tabs never show an exercise and its solution under the same (truncated)
name. In a solution, a code cell tagged ``solution`` starts with comment lines that state
the task (``# Exercise 2: ...``); its participant copy keeps those comments and replaces the
code with a line that raises ``NotImplementedError("Exercise 2 is not done yet ...")``, so
running an unfinished exercise stops there and says which task is missing, instead of
printing ``Ellipsis`` or carrying on with empty results. Run ``python -m analysis.workshop``
after editing a solution; a test fails when a committed exercise differs from what its
solution generates. ``newsframes workshop DIR`` copies the lessons out of the installed
package for a class (:func:`copy_lessons`).
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
from pathlib import Path

from analysis._paths import workshop_dir
from analysis.corpus import atomic_write_bytes
from analysis.errors import OutputError

WORKSHOP_DIR = workshop_dir()  # package data: analysis/notebooks/workshop (notebooks/workshop/ in the repository)
SOLUTIONS = "solutions"  # subfolder of the solutions
SOLUTION_PREFIX = "solution_"  # solutions/solution_NN_name.ipynb generates NN_name.ipynb
SOLUTION_TAG = "solution"  # cells whose code participants write themselves
_TASK = re.compile(r"#\s*(Exercise\s+\w+)")


def placeholder(task: str) -> str:
    """Return the line an exercise cell holds instead of its solution's code.

    Parameters
    ----------
    task : str
        The task's name, e.g. ``"Exercise 2"``.

    Returns
    -------
    str
        A ``raise NotImplementedError(...)`` line naming the task.

    Examples
    --------
    >>> placeholder("Exercise 2")
    'raise NotImplementedError("Exercise 2 is not done yet: replace this line with your code")'
    """
    return f'raise NotImplementedError("{task} is not done yet: replace this line with your code")'


def exercise_notebook(solution):
    """Return the participant's copy of a solution notebook.

    Parameters
    ----------
    solution : nbformat.NotebookNode
        A notebook whose exercise cells are tagged ``solution`` and start with comment
        lines, the first naming the task (``# Exercise 1: ...``).

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: solution cells keep their leading comment lines and get
        :func:`placeholder` instead of code (tag ``exercise``); outputs are cleared.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("# Exercise 1: add 1 and 1.\\n1 + 1",
    ...                                       metadata={"tags": ["solution"]})]
    >>> print(exercise_notebook(nb).cells[0].source)
    # Exercise 1: add 1 and 1.
    raise NotImplementedError("Exercise 1 is not done yet: replace this line with your code")
    """
    nb = copy.deepcopy(solution)
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        tags = cell.metadata.get("tags", [])
        if SOLUTION_TAG in tags:
            lines = cell.source.splitlines()
            task = lines[: next((i for i, ln in enumerate(lines) if not ln.startswith("#")), len(lines))]
            named = _TASK.match(task[0]) if task else None
            cell.source = "\n".join([*task, placeholder(named.group(1) if named else f"The exercise in cell {n + 1}")])
            cell.metadata["tags"] = [t if t != SOLUTION_TAG else "exercise" for t in tags]
    return nb


def solutions(folder: str | Path = WORKSHOP_DIR) -> list[Path]:
    """Return the solution notebooks of a workshop folder, in lesson order.

    Parameters
    ----------
    folder : str or pathlib.Path
        The workshop folder (holding ``solutions/``).

    Returns
    -------
    list of pathlib.Path
    """
    return sorted((Path(folder) / SOLUTIONS).glob(f"{SOLUTION_PREFIX}*.ipynb"))


def exercise_path(solution: Path) -> Path:
    """Return the exercise notebook generated from `solution` (one folder up, no prefix).

    Parameters
    ----------
    solution : pathlib.Path
        ``.../solutions/solution_NN_name.ipynb``.

    Returns
    -------
    pathlib.Path
        ``.../NN_name.ipynb``.

    Examples
    --------
    >>> exercise_path(Path("w/solutions/solution_01_counting_words.ipynb")).as_posix()
    'w/01_counting_words.ipynb'
    """
    return solution.parent.parent / solution.name.removeprefix(SOLUTION_PREFIX)


def build_exercises(folder: str | Path = WORKSHOP_DIR) -> list[Path]:
    """Write the exercise notebook of every solution in ``folder/solutions``.

    Parameters
    ----------
    folder : str or pathlib.Path
        The workshop folder.

    Returns
    -------
    list of pathlib.Path
        The exercise notebooks written (atomically).
    """
    import nbformat

    written = []
    for path in solutions(folder):
        nb = exercise_notebook(nbformat.read(path, as_version=4))
        target = exercise_path(path)
        atomic_write_bytes(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
        written.append(target)
    return written


def copy_lessons(dest: str | Path, *, source: str | Path = WORKSHOP_DIR) -> list[Path]:
    """Copy the workshop (guide, exercises, ``solutions/``) into `dest` for a class.

    Parameters
    ----------
    dest : str or pathlib.Path
        Target folder; created if missing. Nothing in it is overwritten.
    source : str or pathlib.Path
        The workshop folder; by default the one shipped in the package.

    Returns
    -------
    list of pathlib.Path
        The files written, in `dest`.

    Raises
    ------
    OutputError
        If `source` holds no lessons, or a file to be written already exists in `dest`
        (participants' work is never overwritten; the message names the files).

    Notes
    -----
    The lessons read the corpus shipped with the package (their ``corpus`` parameter is
    ``""``), so they run from wherever they are copied.
    """
    source, dest = Path(source), Path(dest)
    files = sorted(p.relative_to(source) for p in source.rglob("*")
                   if p.is_file() and p.suffix in {".ipynb", ".md"} and ".ipynb_checkpoints" not in p.parts)
    if not any(p.suffix == ".ipynb" for p in files):
        raise OutputError(f"no workshop lessons in {source}: the installed package is incomplete; "
                          "reinstall newsframes-analysis")
    clash = [str(p) for p in files if (dest / p).exists()]
    if clash:
        raise OutputError(f"{dest}: {len(clash)} lesson file(s) exist already ({', '.join(clash[:3])}"
                          f"{', ...' if len(clash) > 3 else ''}); choose an empty folder, or move them away first")
    written = []
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, dest / rel)
        written.append(dest / rel)
    return written


if __name__ == "__main__":
    for p in build_exercises(sys.argv[1] if len(sys.argv) > 1 else WORKSHOP_DIR):
        print(f"wrote {p}")
