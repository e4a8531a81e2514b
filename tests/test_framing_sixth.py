"""The sixth, held-out sample of label-pair candidates (tests/data/labels_sixth.tsv): data checks only.

Made while the learned filter over candidate pairs was being rebuilt on all five earlier label files, so that a
filter can be scored once on pairs none of them holds. The rows are what the discovery rules keep BEFORE any
filter (``label_discovery_summary(..., model=None)``) on slices of the development corpora no earlier sample used
(``bench/framing_sixth.py`` regenerates them; the rules' commit is in the file's header), hand-labelled right/wrong
with the earlier files' criterion before any score was computed. These tests compute no score: they check the
file's shape, that every row is fresh (no earlier file labels the pair, no earlier sample used the slices) and
that the count matches the run, so that the stored verdicts cannot drift silently before the one scoring.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd

from tests.test_framing_final import LABEL_COLUMNS
from tests.test_framing_fourth import _header, _read

BENCH = Path(__file__).parent.parent / "bench" / "framing_sixth.py"
EARLIER = ("labels_dev.tsv", "labels_test.tsv", "labels_final.tsv", "labels_fourth.tsv", "labels_fifth.tsv")
RULES_COMMIT = "5def25456e109db58f5cfadf9c074615c38ada70"  # git rev-parse HEAD when the candidates were made
N_FRESH = 54  # distinct fresh candidate pairs when the run stopped; all labelled (no draw: at most 200)
# slice names bench/framing_sixth.py gives: news-day folders and abp-2013 by outlet halves, abp-2013 random parts
SLICE = re.compile(r"(?:(?:iowa-caucus-2016|midterms-2014|stimulus-2020) )?outlet half seed (\d+) [ab]"
                   r"|bias \w+ x random half seed (\d+) [ab]|random third seed (\d+) [abc]|random half seed (\d+) [ab]")


def _key(d):
    return [tuple(sorted(p)) for p in zip(d.label_a, d.label_b, strict=True)]


def _bench():
    spec = importlib.util.spec_from_file_location("framing_sixth_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_sixth_sample_shape_and_verdicts():
    d = _read("labels_sixth.tsv")
    assert d.columns.tolist() == LABEL_COLUMNS
    assert len(d) == N_FRESH  # every fresh candidate labelled
    assert set(d.verdict) <= {"right", "wrong"} and d.verdict.notna().all()
    assert d.why.notna().all() and d.why.str.strip().str.len().gt(10).all()  # every verdict says what was read
    assert d.text_a.str.len().gt(0).all() and d.text_b.str.len().gt(0).all()
    assert d["rank"].between(1, 20).all()  # the rules keep at most 20 candidates per slice
    assert all(s in x.split("; ") for s, x in zip(d["slice"], d.stated_in, strict=True))
    head = _header("labels_sixth.tsv")
    assert RULES_COMMIT in head and "model=None" in head
    assert "candidates before any filter; labelled before any score was computed" in head


def test_sixth_sample_is_fresh():
    d = _read("labels_sixth.tsv")
    assert not pd.Series(_key(d)).duplicated().any()  # one row per distinct pair
    seen = {k for f in EARLIER for k in _key(_read(f))}
    assert not seen & set(_key(d))  # nothing an earlier file labels


def test_sixth_slices_were_not_used_before():
    from tests.test_framing_fifth import slices_of

    mine, used = slices_of("labels_sixth.tsv", ("labels_test.tsv", "labels_final.tsv", "labels_fourth.tsv",
                                                "labels_fifth.tsv"))
    assert mine and not mine & used
    for s in mine:
        m = SLICE.fullmatch(s)
        assert m, s
        assert all(int(g) >= 41 for g in m.groups() if g)  # the earlier samples used seeds 1-19


def test_sixth_slices_are_the_benchs():
    sixth = _bench()
    assert {s for _, _, group in sixth.TIERS for s in group} == set(range(41, 65))
    assert sixth.EARLIER == EARLIER
    # outlet halves: the outlets sorted, shuffled with the seed, cut in two; a half is all its outlets' articles
    a = pd.DataFrame({"article_id": [f"a{i}" for i in range(7)], "outlet": list("xyzxwyv")})
    halves = sixth._outlet_halves(a, 41)
    want = pd.Series(sorted("vwxyz")).sample(frac=1, random_state=41).tolist()
    assert halves[0] == set(a.article_id[a.outlet.isin(want[:3])]) and halves[1] | halves[0] == set(a.article_id)
    assert not halves[0] & halves[1]


FILTER = Path(__file__).parent / "data" / "labels_sixth_filter.tsv"


def _scored():
    scored = pd.read_csv(FILTER, sep="\t", comment="#", dtype={"context": float, "score": float})
    rows = _read("labels_sixth.tsv")
    rows = rows[rows["verdict"].isin(["right", "wrong"])].reset_index(drop=True)
    return rows, scored


def test_the_one_scoring_is_of_these_rows_and_the_shipped_filter():
    """The stored scores are the shipped filter's on these rows, given each row's stored corpus context.

    The context feature needs the whole corpus (about 2 minutes), so it is stored; everything else is
    recomputed from the labelled rows and the shipped model here.
    """
    from analysis.labels import load_label_model, score_pairs

    rows, scored = _scored()
    assert _key(rows) == _key(scored) and rows["verdict"].tolist() == scored["verdict"].tolist()
    for c in ("text_a", "text_b"):
        rows[c] = rows[c].fillna("").astype(str)
    model = load_label_model()
    got = score_pairs(rows.assign(context=scored["context"]), model=model)
    assert abs(got.round(6) - scored["score"]).max() < 1e-5
    assert ((got >= float(model["threshold"])) == scored["stated"]).all()


def test_sixth_sample_precision_is_pinned():
    """Held out: rules keep 54 candidates, 21 right; the filter states 9, 8 right (0.89, 0.52-1.00)."""
    from scipy.stats import binomtest

    _, scored = _scored()
    right = scored["verdict"] == "right"
    assert (int(right.sum()), len(scored)) == (21, 54)
    stated = scored[scored["stated"]]
    assert (int((stated["verdict"] == "right").sum()), len(stated)) == (8, 9)
    assert sorted(stated.loc[stated["verdict"] == "wrong", "label_a"]) == ["democratic"]
    low, high = binomtest(8, 9).proportion_ci(method="exact")
    assert (round(low, 2), round(high, 2)) == (0.52, 1.0)
