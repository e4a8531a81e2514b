"""Tests for the workshop: exercises generated from solutions, every lesson runs offline and fast."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from analysis.errors import OutputError
from analysis.workshop import (
    SOLUTION_PREFIX,
    WORKSHOP_DIR,
    copy_lessons,
    exercise_notebook,
    exercise_path,
    placeholder,
    solutions,
)

SOLUTIONS = solutions()
HEADER_ITEMS = ("You will learn", "Prerequisites", "Time", "Data", "Caveats")


def test_there_are_at_least_three_lessons():
    assert len(SOLUTIONS) >= 3, [p.name for p in SOLUTIONS]


def test_exercise_and_solution_names_differ_at_the_start_and_by_folder():
    """Lab's file browser truncates long names at the end: the two must not share their start."""
    for sol in SOLUTIONS:
        ex = exercise_path(sol)
        assert sol.parent.name == "solutions" and ex.parent == WORKSHOP_DIR
        assert sol.name.startswith(SOLUTION_PREFIX) and not ex.name.startswith(SOLUTION_PREFIX)
        assert sol.name[:10] != ex.name[:10]


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_committed_exercise_is_generated_from_its_solution(solution):
    exercise = exercise_path(solution)
    assert exercise.exists(), f"run `python -m analysis.workshop` to generate {exercise.name}"
    expected = exercise_notebook(nbformat.read(solution, as_version=4))
    assert nbformat.read(exercise, as_version=4) == expected, (
        f"{exercise.name} differs from what {solution.name} generates: run `python -m analysis.workshop`")
    cells = [c for c in expected.cells if "exercise" in c.metadata.get("tags", [])]
    assert len(cells) >= 2
    for i, cell in enumerate(cells, 1):  # each placeholder names its own task, in order
        assert cell.source.endswith(placeholder(f"Exercise {i}")), cell.source


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_lesson_opens_with_a_header_and_runs_on_the_project_kernel(solution):
    nb = nbformat.read(solution, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# Lesson")
    for item in HEADER_ITEMS:
        assert item in first.source, f"header lacks '{item}'"
    assert f"solutions/{solution.name}" in first.source  # says where its solution is
    assert nb.metadata["kernelspec"]["name"] == "newsframes"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_runs_top_to_bottom_offline_from_another_directory(solution, tmp_path):
    """Solutions run top to bottom (their time is measured in bench/report.py); the default
    corpus ("") is the bundled one, so the working directory does not matter."""
    import papermill as pm

    out = pm.execute_notebook(str(solution), str(tmp_path / solution.name), kernel_name="python3",
                              cwd=str(tmp_path), progress_bar=False)
    errors = [o for c in out.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_unfinished_exercise_stops_and_names_its_task(solution, tmp_path):
    import papermill as pm

    exercise = exercise_path(solution)
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(exercise), str(tmp_path / exercise.name), kernel_name="python3",
                            cwd=str(tmp_path), progress_bar=False)
    assert err.value.ename == "NotImplementedError"
    assert err.value.evalue == "Exercise 1 is not done yet: replace this line with your code"


def test_exercise_keeps_task_comments_and_drops_code():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# Exercise 3: count.\n# Hint: len().\nlen('abc')\nprint(1)",
                                          metadata={"tags": ["solution"]}),
                nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell("# no task named\n2", metadata={"tags": ["solution"]})]
    out = exercise_notebook(nb)
    assert out.cells[0].source == "# Exercise 3: count.\n# Hint: len().\n" + placeholder("Exercise 3")
    assert out.cells[0].metadata["tags"] == ["exercise"]
    assert out.cells[1].source == "x = 1"
    assert out.cells[2].source.endswith(placeholder("The exercise in cell 3"))
    assert nb.cells[0].source.endswith("print(1)")  # the solution is not modified


def test_copy_lessons_copies_guide_exercises_and_solutions_and_never_overwrites(tmp_path):
    written = copy_lessons(tmp_path / "class")
    names = sorted(p.relative_to(tmp_path / "class").as_posix() for p in written)
    expected = sorted([exercise_path(s).name for s in SOLUTIONS] + [f"solutions/{s.name}" for s in SOLUTIONS]
                      + ["README.md"])
    assert names == expected
    assert (tmp_path / "class" / "README.md").read_bytes() == (WORKSHOP_DIR / "README.md").read_bytes()
    (tmp_path / "class" / names[0]).write_text("participant's work")
    with pytest.raises(OutputError, match=r"lesson file\(s\) exist already"):
        copy_lessons(tmp_path / "class")
    assert (tmp_path / "class" / names[0]).read_text() == "participant's work"


def test_copy_lessons_refuses_an_empty_source(tmp_path):
    with pytest.raises(OutputError, match="no workshop lessons"):
        copy_lessons(tmp_path / "class", source=tmp_path)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VISIBLE_KERNEL_NAMES = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName"


@pytest.fixture()
def lab(tmp_path):
    """A running `jupyter lab` on a class folder made by copy_lessons, with its own Jupyter dirs."""
    import socket
    import urllib.request

    copy_lessons(tmp_path / "class")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTER_DATA_DIR": str(tmp_path / "data")}  # the user's own kernels and settings stay out
    token = "workshop-test"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path / 'class'}",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=None",
         "--ServerApp.allow_root=True"],  # CI runs as root
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(f"jupyter lab exited: {proc.stderr.read()}") from None
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not found: install Debian's `chromium` "
                    "package to check in a real browser that JupyterLab opens the lessons on the project kernel")
def test_jupyterlab_opens_the_lessons_on_the_project_kernel_in_a_real_browser(lab):
    """The lessons' kernelspec names "Python (newsframes)": Lab starts it without asking (an
    exercise and a solution, in one Lab server; about 40 s, most of it Lab and two kernels)."""
    import json
    import urllib.request

    sync_api = pytest.importorskip("playwright.sync_api")
    base, token = lab
    shown, dialogs = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            for lesson in ("01_counting_words.ipynb", "solutions/solution_01_counting_words.ipynb"):
                page.goto(f"{base}/lab/tree/{lesson}?token={token}", wait_until="domcontentloaded", timeout=120_000)
                page.locator(VISIBLE_KERNEL_NAMES).first.wait_for(timeout=120_000)
                # Lab may restore the lesson opened before beside this one, and a panel's kernel name is
                # empty until its kernel starts: wait until every visible panel names the project kernel
                # (or a "Select Kernel" dialog shows) and read the names in that same step; reading
                # `.first` afterwards raced with the panels and read an empty name (CI, session 33).
                names = page.wait_for_function(
                    f"() => {{ const t = [...document.querySelectorAll('{VISIBLE_KERNEL_NAMES}')]"
                    ".map(e => e.textContent.trim());"
                    " const done = t.length && t.every(s => s.includes('newsframes'));"
                    " return done || document.querySelector('.jp-Dialog') ? t : null; }",
                    timeout=60_000).json_value()
                shown.append(sorted(set(names)))
                dialogs.append(page.locator(".jp-Dialog").count())  # "Select Kernel" when the kernel is unknown
        finally:
            browser.close()
    sessions = json.load(urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=10))
    assert shown == [["Python (newsframes)"]] * 2 and dialogs == [0, 0]
    assert sessions and {s["kernel"]["name"] for s in sessions} == {"newsframes"}


def test_lesson3_exercise4_with_misnamed_columns_raises_naming_the_coder_columns():
    """The trip point: codes assigned as `conflict=[...]` used to give zeros and NaN silently."""
    import pandas as pd

    from analysis import frames as Fr
    from analysis.errors import SchemaError

    sheet = pd.DataFrame({"sentence_id": ["s1", "s2"], "predicted": ["conflict", ""],
                          "coder_conflict": ["", ""], "coder_economic": ["", ""]})
    with pytest.raises(SchemaError, match=r"no row is coded: every column coder_conflict, coder_economic is "
                                          r"blank; .*not read: sentence_id, conflict, economic"):
        Fr.coding_agreement(sheet.assign(conflict=["1", "0"], economic=["0", "0"]))
    with pytest.raises(SchemaError, match=r"row 1: some frame columns are blank \(coder_economic\)"):
        Fr.coding_agreement(sheet.assign(coder_conflict=["1", "0"], coder_economy=["0", "0"]))
    exercise = nbformat.read(WORKSHOP_DIR / "03_framing.ipynb", as_version=4)
    task = [c.source for c in exercise.cells if "exercise" in c.metadata.get("tags", [])][3]
    for column in ("coder_conflict", "coder_human_interest", "coder_economic", "coder_morality",
                   "coder_responsibility"):
        assert column in task  # the exercise names the columns it needs
