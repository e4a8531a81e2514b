"""Shared fixtures: the bundled corpus, a tiny fixture corpus, and notebook execution."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY = FIXTURES / "tiny"  # three outlets, four short articles written for the tests


@pytest.fixture(scope="session")
def bundled_articles():
    """The bundled corpus, loaded and cleaned (do not mutate)."""
    from analysis.corpus import load_corpus

    return load_corpus(BUNDLED)


@pytest.fixture(scope="session")
def bundled_sentences(bundled_articles):
    """The bundled corpus's sentence table (do not mutate)."""
    from analysis.sentences import split_sentences

    return split_sentences(bundled_articles)


@pytest.fixture(scope="session")
def bundled_processed(tmp_path_factory):
    """A folder with the bundled corpus prepared (articles/sentences.parquet)."""
    from analysis.corpus import prepare

    out = tmp_path_factory.mktemp("processed")
    prepare(BUNDLED, out)
    return out


@pytest.fixture()
def tiny_corpus(tmp_path):
    """A writable copy of the tiny fixture corpus folder."""
    dest = tmp_path / "tiny"
    shutil.copytree(TINY, dest)
    return dest


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory):
    """Execute a report notebook with papermill; return its output folder.

    Usage: ``out = run_notebook("00_corpus", corpus=..., processed_dir=..., **params)``;
    tables are in ``out / "tables"``, the executed notebook in ``out / "<stem>.ipynb"``.
    """
    import papermill as pm

    def run(stem: str, **params) -> Path:
        out = tmp_path_factory.mktemp(stem)
        nb = ROOT / "notebooks" / f"{stem}.ipynb"
        params = {"out_dir": str(out), **params}
        pm.execute_notebook(str(nb), str(out / f"{stem}.ipynb"), parameters=params,
                            kernel_name="python3", cwd=str(nb.parent), progress_bar=False)
        return out

    return run
