"""Tests for analysis.params: notebook parameter validation."""

from __future__ import annotations

import pytest

from analysis.errors import ParameterError
from analysis.params import Param, validate
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
