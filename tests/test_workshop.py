"""Tests for the workshop: exercises generated from solutions, every lesson runs offline and fast."""

from __future__ import annotations

import nbformat
import pytest

from analysis.workshop import PLACEHOLDER, SOLUTION_SUFFIX, WORKSHOP_DIR, exercise_notebook

SOLUTIONS = sorted(WORKSHOP_DIR.glob(f"*{SOLUTION_SUFFIX}.ipynb"))
HEADER_ITEMS = ("You will learn", "Prerequisites", "Time", "Data", "Caveats")


def test_there_are_at_least_three_lessons():
    assert len(SOLUTIONS) >= 3, [p.name for p in SOLUTIONS]


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_committed_exercise_is_generated_from_its_solution(solution):
    exercise = WORKSHOP_DIR / f"{solution.stem.removesuffix(SOLUTION_SUFFIX)}.ipynb"
    assert exercise.exists(), f"run `python -m analysis.workshop` to generate {exercise.name}"
    expected = exercise_notebook(nbformat.read(solution, as_version=4))
    assert nbformat.read(exercise, as_version=4) == expected, (
        f"{exercise.name} differs from what {solution.name} generates: run `python -m analysis.workshop`")
    sol_cells = [c for c in expected.cells if "exercise" in c.metadata.get("tags", [])]
    assert len(sol_cells) >= 2 and all(c.source.endswith(PLACEHOLDER) for c in sol_cells)


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_lesson_opens_with_a_header(solution):
    first = nbformat.read(solution, as_version=4).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# Lesson")
    for item in HEADER_ITEMS:
        assert item in first.source, f"header lacks '{item}'"


@pytest.mark.parametrize("name", [p.name for p in SOLUTIONS]
                         + [p.name.replace(SOLUTION_SUFFIX, "") for p in SOLUTIONS])
def test_lesson_runs_top_to_bottom_offline(name, tmp_path):
    """Solutions and exercises both run top to bottom (their time is measured in bench/report.py)."""
    import papermill as pm

    out = pm.execute_notebook(str(WORKSHOP_DIR / name), str(tmp_path / name), kernel_name="python3",
                              cwd=str(WORKSHOP_DIR), progress_bar=False)
    errors = [o for c in out.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


def test_exercise_keeps_task_comments_and_drops_code():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# Exercise: count.\n# Hint: len().\nlen('abc')\nprint(1)",
                                          metadata={"tags": ["solution"]}),
                nbformat.v4.new_code_cell("x = 1")]
    out = exercise_notebook(nb)
    assert out.cells[0].source == "# Exercise: count.\n# Hint: len().\n" + PLACEHOLDER
    assert out.cells[0].metadata["tags"] == ["exercise"]
    assert out.cells[1].source == "x = 1"
    assert nb.cells[0].source.endswith("print(1)")  # the solution is not modified
