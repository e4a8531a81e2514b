"""The wheel alone, in a fresh environment, from another directory: the user's `pip install` path.

One module-scoped fixture builds the wheel from a copy of the sources, creates a virtual
environment that does not see the checkout (the pinned third-party packages come from the
project's .venv through a plain path entry, so nothing is downloaded), installs the wheel
there with ``--no-deps`` and runs everything from a temporary working directory. 38 s of CPU
(wall time 2 min on the shared two-core machine), most of it the report's five kernels and
the papermill run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY

SOURCES = ("pyproject.toml", "README.md", "analysis", "notebooks", "data/raw", "share")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "nltk_data")


def _run(args, *, cwd, env, check=True, timeout=300):
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, python, bin folder, environment variables, working directory) of a fresh install."""
    base = tmp_path_factory.mktemp("packaging")
    src = base / "src"
    for name in SOURCES:
        target = src / name
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target, symlinks=True, ignore=_IGNORE)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER"))}
    env["JUPYTER_DATA_DIR"] = str(base / "jupyter-user")  # a user kernelspec must not leak in or out
    env["HOME"] = str(base / "home")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--disable-pip-version-check", "-w", base / "dist", src], cwd=src, env=env)
    wheel = next((base / "dist").glob("newsframes_analysis-*.whl"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=base, env=env)
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=base, env=env).stdout.strip())
    # The pinned dependencies, without the editable checkout: a path line is added to sys.path
    # but the .pth files inside it (the editable finder) are not processed.
    (site / "_pinned_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # ... and their Jupyter data files (nbconvert's templates), which pip would install into the
    # new prefix; not the kernelspecs, which name the project's .venv interpreter.
    share = Path(sys.prefix) / "share" / "jupyter"
    (venv / "share" / "jupyter").mkdir(parents=True)
    for entry in share.iterdir():
        if entry.name != "kernels":
            (venv / "share" / "jupyter" / entry.name).symlink_to(entry)
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
          "--disable-pip-version-check", wheel], cwd=base, env=env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = base / "work"
    work.mkdir()
    return wheel, python, venv / "bin", env, work


def test_wheel_carries_every_subpackage_notebook_lesson_and_data_file(installed):
    wheel = installed[0]
    names = set(zipfile.ZipFile(wheel).namelist())
    for pkg in (p for p in (ROOT / "analysis").rglob("__init__.py") if "nltk_data" not in p.parts):
        assert f"analysis/{pkg.relative_to(ROOT / 'analysis').as_posix()}" in names
    shipped = {  # checkout folder -> where it is in the package
        "notebooks": "analysis/notebooks", "data/raw": "analysis/bundled_corpus",
        "analysis/lexicons": "analysis/lexicons", "analysis/resource_files": "analysis/resource_files",
    }
    for folder, inside in shipped.items():
        files = [p for p in (ROOT / folder).rglob("*") if p.is_file() and "nltk_data" not in p.parts
                 and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts]
        assert files, folder
        for f in files:
            assert f"{inside}/{f.relative_to(ROOT / folder).as_posix()}" in names, f
    assert any(n.endswith("data/share/jupyter/kernels/newsframes/kernel.json") for n in names)
    assert not [n for n in names if "nltk_data" in n or "__pycache__" in n or "checkpoints" in n]


def test_installed_package_is_imported_from_the_new_environment_not_the_checkout(installed):
    _, python, _, env, work = installed
    out = _run([python, "-c", "import analysis, sys; print(analysis.__file__); print(sys.prefix)"],
               cwd=work, env=env).stdout.split()
    assert out[0].startswith(out[1]) and not out[0].startswith(str(ROOT)), out


def test_report_from_another_directory_on_a_small_corpus(installed):
    _, python, bin_dir, env, work = installed
    corpus = work / "tiny"
    shutil.copytree(TINY, corpus)
    smoke = _run([python, "-c", "from analysis._paths import params_dir; print(params_dir() / 'smoke.yaml')"],
                 cwd=work, env=env).stdout.strip()
    done = _run([bin_dir / "newsframes", "report", "tiny", "--out", "rep", "--params", smoke], cwd=work, env=env)
    run = json.loads((work / "rep" / "run.json").read_text())
    assert run["notebooks"] == [p.name for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
    assert run["n_articles"] == 4 and run["n_outlets"] == 3
    index = (work / "rep" / "index.html").read_text()
    assert index.count('<li><a href="notebooks/') == len(run["notebooks"])
    assert (work / "rep" / "tables" / "findings.csv").is_file()
    assert "without encryption" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_papermill_on_an_installed_notebook_refuses_a_misspelt_parameter(installed):
    _, python, bin_dir, env, work = installed
    nb = _run([python, "-c", "from analysis._paths import notebooks_dir; print(notebooks_dir() / '00_corpus.ipynb')"],
              cwd=work, env=env).stdout.strip()
    done = _run([python, "-m", "papermill", nb, work / "out.ipynb", "-p", "outlet", "A"],
                cwd=work, env=env, check=False)
    assert done.returncode != 0
    assert "unknown parameter(s) ['outlet'] injected by papermill; valid: corpus, date_from" in done.stderr
    assert "Executing notebook with kernel: newsframes" in done.stderr  # the kernelspec the wheel ships


def test_workshop_copies_the_lessons_out_of_the_installed_package(installed):
    _, _, bin_dir, env, work = installed
    _run([bin_dir / "newsframes", "workshop", "class"], cwd=work, env=env)
    copied = sorted(p.relative_to(work / "class").as_posix() for p in (work / "class").rglob("*.ipynb"))
    lessons = ROOT / "notebooks" / "workshop"
    expected = sorted(p.relative_to(lessons).as_posix() for p in lessons.rglob("*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts)
    assert copied == expected
    spec = json.loads((Path(env["JUPYTER_DATA_DIR"]) / "kernels" / "newsframes" / "kernel.json").read_text())
    assert spec["argv"][0] == str(bin_dir / "python")  # the user's Jupyter starts this environment
    again = _run([bin_dir / "newsframes", "workshop", "class", "--no-kernel"], cwd=work, env=env, check=False)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "exist already" in again.stderr


def test_report_refuses_a_missing_notebook_with_one_message_naming_the_valid_ones(installed):
    _, _, bin_dir, env, work = installed
    done = _run([bin_dir / "newsframes", "report", str(TINY), "--out", "rep3", "--only", "10_term"],
                cwd=work, env=env, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and not (work / "rep3").exists()
    assert done.stderr.startswith("error: --only '10_term': no such report notebook; valid: 00_corpus, 10_terms")


def test_report_refuses_when_the_installed_package_has_no_notebooks(installed):
    _, python, bin_dir, env, work = installed
    folder = Path(_run([python, "-c", "from analysis._paths import notebooks_dir; print(notebooks_dir())"],
                       cwd=work, env=env).stdout.strip())
    hidden = folder.with_name("notebooks.hidden")
    folder.rename(hidden)
    try:
        done = _run([bin_dir / "newsframes", "report", str(TINY), "--out", "rep2"], cwd=work, env=env, check=False)
    finally:
        hidden.rename(folder)
    assert done.returncode == 2 and done.stderr.startswith("error: no report notebooks")
    assert done.stderr.count("\n") == 1 and not (work / "rep2").exists()
