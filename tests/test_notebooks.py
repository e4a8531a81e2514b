"""Tests over every committed notebook: no outputs, thin-driver rules, declared parameters."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from analysis.report import notebook_parameters
from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]
REPORT = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", REPORT, ids=lambda p: p.name)
def test_report_notebook_is_a_thin_driver(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse(params[0].source)
    for node in tree.body:
        # typed literals only: `name: type = literal  # comment`
        assert isinstance(node, ast.AnnAssign), ast.dump(node)
        ast.literal_eval(node.value)
    for line in params[0].source.splitlines():
        assert "#" in line, f"parameter without a comment: {line}"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "params.validate(" in code, "the notebook must validate its parameters"
    for node in ast.walk(ast.parse(code)):
        assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), "no def/class"
        assert not isinstance(node, ast.For | ast.While), "no loops in a notebook"
    assert not re.search(r"nltk\.download", code)


@pytest.mark.parametrize("path", REPORT, ids=lambda p: p.name)
def test_report_notebook_declares_common_parameters_with_help(path):
    declared = notebook_parameters(path)
    assert {"corpus", "processed_dir", "out_dir", "outlets", "date_from", "date_to"} <= set(declared)
    assert all(p["help"] for p in declared.values())
    # every parameter must be readable by papermill (`papermill --help-notebook`, `--set` checks):
    # papermill's parser gives up on a line whose comment contains " = "
    cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    names = [node.target.id for node in ast.parse(cell.source).body]
    assert set(names) == set(declared), f"papermill cannot parse: {sorted(set(names) - set(declared))}"


def test_corpus_notebook_on_bundled_corpus(run_notebook, bundled_processed):
    import pandas as pd

    out = run_notebook("00_corpus", corpus=str(ROOT / "data" / "raw"), processed_dir=str(bundled_processed))
    t = pd.read_csv(out / "tables" / "corpus.csv")
    assert len(t) == 5 and t["outlet"].nunique() == 5
    assert t.set_index("outlet").loc["Wyoming Star", "wire"] == "AFP"
    assert (t["words"] > 300).all() and (t["sentences"] >= 10).all()
    rem = pd.read_csv(out / "tables" / "corpus_removals.csv")
    assert "footer" in set(rem["kind"])
    assert (out / "figures" / "corpus_timeline.svg").exists()


def test_corpus_notebook_on_a_csv_corpus_with_outlet_and_date_filters(run_notebook, tmp_path):
    import pandas as pd

    csv = tmp_path / "c.csv"
    pd.DataFrame({"outlet": ["A", "A", "B"], "published": ["2026-01-01", "2026-02-01", "2026-01-05"],
                  "text": ["One sentence. Two.", "Three here.", "Four “quoted” words."]}).to_csv(csv, index=False)
    out = run_notebook("00_corpus", corpus=str(csv), outlets=["A"], date_to="2026-01-31")
    t = pd.read_csv(out / "tables" / "corpus.csv")
    assert t["article_id"].tolist() == ["c-00001"] and t.loc[0, "sentences"] == 2


def test_notebook_rejects_bad_parameter(run_notebook):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError, match="parameter outlets"):
        run_notebook("00_corpus", corpus=str(ROOT / "data" / "raw"), outlets="Wyoming Star")


ALL = REPORT + sorted((ROOT / "notebooks" / "workshop").rglob("*.ipynb"))


@pytest.mark.parametrize("path", [p for p in ALL if ".ipynb_checkpoints" not in p.parts], ids=lambda p: p.name)
def test_notebook_names_the_project_kernel_and_has_no_relative_default_path(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"] == {"name": "newsframes", "display_name": "Python (newsframes)",
                                         "language": "python"}
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert 'corpus: str = ""' in params.source  # "" is the bundled corpus, wherever the notebook runs
    assert "../" not in params.source, "defaults must not depend on the working directory"


@pytest.mark.parametrize("path", REPORT, ids=lambda p: p.name)
def test_report_notebook_validates_what_papermill_injected(path):
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert re.search(r'^corpus = params\.validate\([\w.{}]+, globals\(\)\)\["corpus"\]', code, re.M)


def test_papermill_refuses_a_misspelt_parameter_naming_it_and_the_valid_ones(tmp_path):
    """papermill itself only warns about an undeclared parameter; the validation call refuses it."""
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(ROOT / "notebooks" / "00_corpus.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"outlet": ["A"]}, kernel_name="python3", progress_bar=False)
    assert err.value.ename == "ParameterError"
    assert err.value.evalue.startswith("unknown parameter(s) ['outlet'] injected by papermill; valid: corpus, ")
    assert "outlets" in err.value.evalue


def test_corpus_notebook_runs_with_its_defaults_from_the_repository_root(tmp_path):
    """The default corpus ("") does not depend on the working directory (the other notebooks run
    from notebooks/ in their own tests, and from a temporary directory in test_packaging)."""
    import pandas as pd
    import papermill as pm

    pm.execute_notebook(str(ROOT / "notebooks" / "00_corpus.ipynb"), str(tmp_path / "out.ipynb"),
                        parameters={"out_dir": str(tmp_path)}, kernel_name="python3", cwd=str(ROOT),
                        progress_bar=False)
    assert len(pd.read_csv(tmp_path / "tables" / "corpus.csv")) == 5  # the bundled corpus
