"""Tests for analysis.params: notebook parameter validation."""

from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from analysis.params import Param, corpus_path, injected_names, validate
from tests.conftest import BUNDLED

BASE = dict(corpus=str(BUNDLED), processed_dir="", out_dir="", outlets=[], date_from="", date_to="")
SPEC = {"n_boot": Param(int, "bootstrap samples", min=100), "unit": Param(str, "unit", choices=("sentence", "window")),
        "ngram": Param(list, "n-gram range", item_type=int)}
GOOD = dict(n_boot=1000, unit="sentence", ngram=[1, 2])


def test_valid_parameters_pass_through():
    assert validate(SPEC, **BASE, **GOOD) == {**BASE, **GOOD}


@pytest.mark.parametrize(("change", "msg"), [
    ({"n_boot": "1000"}, "parameter n_boot: '1000' is str; expected int"),
    ({"n_boot": True}, "parameter n_boot: True is a bool"),
    ({"n_boot": 10}, r"parameter n_boot: 10 is outside \[100, None\]"),
    ({"unit": "paragraph"}, r"parameter unit: 'paragraph' is not one of \['sentence', 'window'\]"),
    ({"ngram": [1, "2"]}, r"parameter ngram: items \['2'\] are not int"),
    ({"outlets": "Wyoming Star"}, "parameter outlets: 'Wyoming Star' is str; expected list"),
    ({"date_from": "12 Jan"}, "parameter date_from: '12 Jan' is not a YYYY-MM-DD date"),
    ({"corpus": "no/such/folder"}, "parameter corpus: 'no/such/folder' does not exist"),
    ({"colour": "red"}, r"unknown parameter\(s\) \['colour'\]; valid: corpus, date_from"),
])
def test_bad_parameters_raise_with_name_value_and_valid(change, msg):
    with pytest.raises(ParameterError, match=msg):
        validate(SPEC, **{**BASE, **GOOD, **change})


def test_missing_parameter():
    with pytest.raises(ParameterError, match=r"missing parameter\(s\) \['unit'\]"):
        validate(SPEC, **BASE, n_boot=1000, ngram=[1])


def _namespace(**extra):
    """A notebook's globals() after papermill injected `extra` (IPython keeps each cell's source in In)."""
    injected = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in extra.items())
    return {**BASE, **GOOD, **extra, "In": ["", "corpus = ''", injected, "validate(...)"],
            "pd": object(), "_": None}


def test_namespace_mode_reads_declared_values_and_ignores_other_globals():
    ns = _namespace(n_boot=500)
    assert validate(SPEC, ns) == {**BASE, **GOOD, "n_boot": 500}


def test_namespace_mode_refuses_an_injected_name_the_notebook_does_not_declare():
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['n_bot'\] injected by papermill; "
                                             r"valid: corpus, date_from, .*n_boot"):
        validate(SPEC, _namespace(n_bot=5))


def test_namespace_mode_without_papermill_accepts_later_globals():
    """Re-running the validation cell in JupyterLab after later cells defined more names is fine."""
    ns = {**BASE, **GOOD, "In": ["", "corpus = ''", "articles = 1"], "articles": 1, "tokens": 2}
    assert validate(SPEC, ns)["n_boot"] == 1000


def test_injected_names_reads_only_the_last_injected_cell():
    ns = {"In": ["# Parameters\nold = 1\n", "x = 2", "# Parameters\nn_boot = 3\nunit = 'window'\n"]}
    assert injected_names(ns) == ["n_boot", "unit"]
    assert injected_names({}) == [] and injected_names({"In": ["x = 1"]}) == []


def test_empty_corpus_is_the_bundled_corpus_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert validate(SPEC, **{**BASE, **GOOD, "corpus": ""})["corpus"] == str(BUNDLED)
    assert corpus_path("") == str(BUNDLED)
    with pytest.raises(ParameterError, match=r"'data/raw' does not exist \(working directory .*'' means the bundled"):
        corpus_path("data/raw")
