"""Generate the workshop's exercise notebooks from their solutions, so the two never drift.

The solutions ``notebooks/workshop/NN_name_solution.ipynb`` are the single source; each
exercise notebook ``NN_name.ipynb`` sits beside its solution, so relative paths are the same. In a solution, a
code cell tagged ``solution`` starts with comment lines that state the task (and hints);
its participant copy keeps those comments and replaces the code with ``...`` — valid
Python that does nothing, so the exercise notebook still runs top to bottom. Every other
cell is copied unchanged. Run ``python -m analysis.workshop`` after editing a solution; a
test fails when a committed exercise differs from what its solution generates.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from analysis.corpus import atomic_write_bytes

WORKSHOP_DIR = Path(__file__).resolve().parent.parent / "notebooks" / "workshop"
SOLUTION_TAG = "solution"  # cells whose code participants write themselves
SOLUTION_SUFFIX = "_solution"  # NN_name_solution.ipynb generates NN_name.ipynb
PLACEHOLDER = "...  # your code here"


def exercise_notebook(solution):
    """Return the participant's copy of a solution notebook.

    Parameters
    ----------
    solution : nbformat.NotebookNode
        A notebook whose exercise cells are tagged ``solution``.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook: solution cells keep their leading comment lines and get
        :data:`PLACEHOLDER` instead of code (tag ``exercise``); outputs are cleared.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> nb.cells = [nbformat.v4.new_code_cell("# Exercise: add 1 and 1.\\n1 + 1",
    ...                                       metadata={"tags": ["solution"]})]
    >>> exercise_notebook(nb).cells[0].source
    '# Exercise: add 1 and 1.\\n...  # your code here'
    """
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        tags = cell.metadata.get("tags", [])
        if SOLUTION_TAG in tags:
            lines = cell.source.splitlines()
            task = [ln for ln in lines[: next((i for i, ln in enumerate(lines)
                                                if not ln.startswith("#")), len(lines))]]
            cell.source = "\n".join([*task, PLACEHOLDER])
            cell.metadata["tags"] = [t if t != SOLUTION_TAG else "exercise" for t in tags]
    return nb


def build_exercises(folder: str | Path = WORKSHOP_DIR) -> list[Path]:
    """Write ``folder/<name>.ipynb`` for every ``folder/<name>_solution.ipynb``.

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

    folder = Path(folder)
    written = []
    for path in sorted(folder.glob(f"*{SOLUTION_SUFFIX}.ipynb")):
        nb = exercise_notebook(nbformat.read(path, as_version=4))
        target = folder / f"{path.stem.removesuffix(SOLUTION_SUFFIX)}.ipynb"
        atomic_write_bytes(target, (nbformat.writes(nb) + "\n").encode("utf-8"))
        written.append(target)
    return written


if __name__ == "__main__":
    for p in build_exercises(sys.argv[1] if len(sys.argv) > 1 else WORKSHOP_DIR):
        print(f"wrote {p}")
