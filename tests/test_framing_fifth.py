"""The fifth, held-out sample of discovered label pairs (tests/data/labels_fifth.tsv).

Made after the framing rules were frozen (the commit in the file's header; the rules had been changed
after reading every wrong row of labels_dev/test/final/fourth.tsv), by a labeller who neither wrote nor
tuned them, from slices of the development corpora no earlier sample used (``bench/framing_fifth.py fifth``
regenerates the stated rows). Every stated pair no earlier file labels was labelled before any score was
computed, and scored once (``bench/framing_fifth.py score``). These tests pin the stored verdicts, so the
held-out figures cannot drift silently, and check that the rows are fresh; they need no shared corpus.

**No longer held out.** After that score (28/50 = 0.56, below the issue's 0.7 floor) every wrong row was read
and classed by cause, and the file became training data of the rebuilt learned filter (issue 16, fifth pass:
``python -m analysis.train_labels``; README, labels). The figures pinned here are the frozen rules' and old
filter's held-out ones of that time; what the new filter does on this file is a development figure, except its
nested leave-one-file-out score (17 right of 23 stated, pinned in ``tests/test_labels.py``).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import beta, binomtest

from tests.test_framing_final import LABEL_COLUMNS
from tests.test_framing_fourth import _header, _read

DATA = Path(__file__).parent / "data"
BENCH = Path(__file__).parent.parent / "bench" / "framing_fifth.py"
EARLIER = ("labels_dev.tsv", "labels_test.tsv", "labels_final.tsv", "labels_fourth.tsv")
RULES_COMMIT = "598e5fdac5c125b6ac518782dcfed24a4fef31c5"  # frozen rules + filter (/tmp/coord/framing-frozen)
# (right, labelled) and the 95% Clopper-Pearson interval (2 decimals), counted once from the verdicts, after every
# row was labelled: 28/50 = 0.56 (0.41-0.70); every stated pair is in the top 20 of its slice (the summary states
# at most 20), so (b) equals (a)
WANT = {
    "(a) all fresh stated pairs": ((28, 50), (0.41, 0.70)),
    "(b) fresh pairs in the top 20 of their slice": ((28, 50), (0.41, 0.70)),
}
# slice names bench/framing_fifth.py gives (news-day folders by bias; abp-2013 random parts, seeds 8-40)
SLICE = re.compile(r"(?:(?:iowa-caucus-2016|midterms-2014|stimulus-2020) (?:bias \w+|two bias groups \w+\+\w+)"
                   r"|bias \w+ x random half seed (\d+) [ab]|random third seed (\d+) [abc]"
                   r"|random half seed (\d+) [ab])")


def _key(d):
    return [tuple(sorted(p)) for p in zip(d.label_a, d.label_b, strict=True)]


def _subsets() -> dict[str, pd.Series]:
    d = _read("labels_fifth.tsv")
    return {"(a) all fresh stated pairs": d.verdict,
            "(b) fresh pairs in the top 20 of their slice": d.verdict[d["rank"] <= 20]}


def test_fifth_sample_is_fresh_and_complete():
    d = _read("labels_fifth.tsv")
    assert d.columns.tolist() == LABEL_COLUMNS
    assert len(d) >= 50
    assert set(d.verdict) == {"right", "wrong"} and d.why.str.len().gt(10).all()
    assert not pd.Series(_key(d)).duplicated().any()  # each stated pair once
    seen = {k for f in EARLIER for k in _key(_read(f))}
    assert not seen & set(_key(d))  # nothing an earlier file labels
    assert all(s in x.split("; ") for s, x in zip(d["slice"], d.stated_in, strict=True))
    assert d["rank"].between(1, 20).all()
    head = _header("labels_fifth.tsv")
    assert RULES_COMMIT in head and "labelled before any score was computed" in head


def slices_of(name: str, earlier: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """The slices stating (or keeping) a pair of label file `name`, and every slice the `earlier` files used."""
    used = set()
    for f in earlier:
        got = _read(f)
        for s in got["stated_in" if "stated_in" in got else "slice"]:
            used |= set(s.split("; "))
    return {s for x in _read(name).stated_in for s in x.split("; ")}, used


def test_fifth_slices_were_not_used_before():
    mine, used = slices_of("labels_fifth.tsv", ("labels_test.tsv", "labels_final.tsv", "labels_fourth.tsv"))
    assert mine and not mine & used
    for s in mine:
        m = SLICE.fullmatch(s)
        assert m, s
        assert all(8 <= int(g) <= 40 for g in m.groups() if g)  # the fourth sample used seeds 1-7


def test_fifth_slices_are_the_benchs():
    spec = importlib.util.spec_from_file_location("framing_fifth_bench", BENCH)
    fifth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fifth)
    seeds = {s for _, _, group in fifth.TIERS for s in group}
    assert seeds == set(range(8, 41))
    # the random cut is the documented one: sorted ids, shuffled with the seed, cut into nearly equal parts
    ids = pd.Series([f"id{i:02d}" for i in range(10)]).sample(frac=1, random_state=0)
    parts = fifth._cut(ids, 8, 3)
    assert [len(p) for p in parts] == [4, 3, 3] and set().union(*parts) == set(ids)
    want = pd.Series(sorted(ids)).sample(frac=1, random_state=8).tolist()
    assert parts[0] == set(want[:4])


@pytest.mark.parametrize("what", list(WANT))
def test_fifth_precision_is_pinned(what):
    verdicts = _subsets()[what]
    (k, n), (low, high) = WANT[what]
    assert (int((verdicts == "right").sum()), len(verdicts)) == (k, n)
    # exact (Clopper-Pearson) interval from scipy against the beta-quantile formula
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    want_low = beta.ppf(0.025, k, n - k + 1) if k else 0.0
    want_high = beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    assert ci.low == pytest.approx(want_low) and ci.high == pytest.approx(want_high)
    assert (round(ci.low, 2), round(ci.high, 2)) == (low, high)
