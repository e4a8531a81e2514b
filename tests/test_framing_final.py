"""The final held-out samples of the label and fact summaries (tests/data/labels_final.tsv, facts_final.tsv).

Labelled after every rule change of issue 16, before any score was computed, from slices of
``/work/shared/corpus`` that neither the dev nor the test samples used (``python
bench/framing_quality.py final`` regenerates the stated rows and scores them). These tests pin the
stored verdicts, so the held-out figures cannot drift silently; they need no shared corpus.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import beta, binomtest

DATA = Path(__file__).parent / "data"
LABEL_COLUMNS = ["corpus", "slice", "rank", "label_a", "label_b", "outlets", "pairs", "similarity", "verdict", "why",
                 "context_a", "context_b", "text_a", "text_b", "labelled", "stated_in"]
FACT_COLUMNS = ["corpus", "run", "sentence_a", "sentence_b", "outlet_a", "outlet_b", "unit", "quantity", "fact_a",
                "fact_b", "surface_a", "surface_b", "overlap", "shown_untuned", "verdict", "why", "text_a", "text_b",
                "stated_in"]
# file: (right, labelled), the final held-out figures (labels 31/51 = 0.61, 95% CI 0.46-0.74;
# conflicts 33/60 = 0.55, 0.42-0.68); counted from the verdicts when they were written
WANT = {"labels_final.tsv": (31, 51), "facts_final.tsv": (33, 60)}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, sep="\t")


def _label_key(d):
    return [tuple(sorted(p)) for p in zip(d.label_a, d.label_b, strict=True)]


def _fact_key(d):
    return list(zip(d.sentence_a, d.sentence_b, d.fact_a, d.fact_b, strict=True))


@pytest.mark.parametrize(("name", "columns", "key", "earlier"), [
    ("labels_final.tsv", LABEL_COLUMNS, _label_key, ("labels_dev.tsv", "labels_test.tsv")),
    ("facts_final.tsv", FACT_COLUMNS, _fact_key, ("facts_dev.tsv", "facts_test.tsv")),
])
def test_final_samples_are_fresh_and_complete(name, columns, key, earlier):
    d = _read(name)
    assert d.columns.tolist() == columns
    assert set(d.verdict) == {"right", "wrong"} and d.why.str.len().gt(10).all()
    assert not pd.Series(key(d)).duplicated().any()  # each stated item once
    seen = {k for f in earlier for k in key(_read(f))}
    assert not seen & set(key(d))  # nothing labelled before
    first = d["slice"] if "slice" in d else d["run"]
    assert all(f in s.split("; ") for f, s in zip(first, d.stated_in, strict=True))


@pytest.mark.parametrize("name", list(WANT))
def test_final_precision_is_pinned(name):
    d = _read(name)
    k, n = int((d.verdict == "right").sum()), len(d)
    assert (k, n) == WANT[name]
    # exact (Clopper-Pearson) interval from scipy against the beta-quantile formula
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    assert ci.low == pytest.approx(beta.ppf(0.025, k, n - k + 1))
    assert ci.high == pytest.approx(beta.ppf(0.975, k + 1, n - k))
