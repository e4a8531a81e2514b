"""outlet_sentiment with `rescored`: both tables from the same draws, each the table of its own call."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import stats
from analysis.errors import ParameterError
from analysis.sentiment import aggregate as A


def _scores(seed: int, grouped: bool = False) -> pd.DataFrame:
    # two outlets large enough for the memory of replicates (1,000+ sentences), a few small
    # ones, an outlet of one article, articles of one sentence; 4-decimal compounds
    g = np.random.default_rng(seed)
    sizes = {"A": 1300, "B": 1100, "C": 40, "D": 7, "E": 1}
    outlet = np.repeat(list(sizes), list(sizes.values()))
    article = [f"{o}{int(a)}" for o, a in zip(outlet, g.integers(0, 60, len(outlet)), strict=True)]
    article[-8:-1] = ["D0"] * 7  # D: one article
    d = pd.DataFrame({"article_id": article, "outlet": outlet,
                      "compound": np.round(g.uniform(-1, 1, len(outlet)), 4)})
    if grouped:  # group_by: outlets become the first-stage clusters of a group
        d["source_outlet"] = d["outlet"]
        d["outlet"] = d["outlet"].map({"A": "left", "B": "right", "C": "left", "D": "right", "E": "left"})
    return d


def _rescored(d: pd.DataFrame, seed: int) -> pd.DataFrame:
    # a lexicon change: a few sentences scored otherwise, every other row as it was
    g = np.random.default_rng(seed)
    changed = g.random(len(d)) < 0.05
    return d.assign(compound=np.where(changed, np.round(g.uniform(-1, 1, len(d)), 4), d["compound"]))


@pytest.mark.parametrize(("seed", "grouped"), [(1, False), (2, False), (3, True)])
def test_rescored_table_equals_its_own_call(seed, grouped):
    d = _scores(seed, grouped)
    r = _rescored(d, seed)
    stats._MEMO.clear()
    got, got_r = A.outlet_sentiment(d, n_boot=300, seed=seed, rescored=r)
    stats._MEMO.clear()
    want = A.outlet_sentiment(d, n_boot=300, seed=seed)
    stats._MEMO.clear()
    want_r = A.outlet_sentiment(r, n_boot=300, seed=seed)
    assert got.to_csv(index=False) == want.to_csv(index=False)
    assert got_r.to_csv(index=False) == want_r.to_csv(index=False)
    assert not got_r.equals(got)  # the changed scores show


def test_rescored_draws_once_for_large_outlets(monkeypatch):
    d = _scores(4)
    calls = []
    real = stats._replicates
    monkeypatch.setattr(stats, "_replicates", lambda *a, **k: calls.append(np.shape(a[0])) or real(*a, **k))
    stats._MEMO.clear()
    A.outlet_sentiment(d, n_boot=300, rescored=_rescored(d, 4))
    assert calls[:2] == [(1300, 2), (1100, 2)]  # A and B: one call each for both columns


def test_differences_after_rescored_look_the_replicates_up():
    d = _scores(5)
    stats._MEMO.clear()
    fresh = A.outlet_differences(d, n_boot=300, pairs="rest")
    stats._MEMO.clear()
    A.outlet_sentiment(d, n_boot=300, rescored=_rescored(d, 5))
    assert A.outlet_differences(d, n_boot=300, pairs="rest").equals(fresh)


def test_rescored_must_be_the_same_sentences():
    d = _scores(6)
    with pytest.raises(ParameterError):
        A.outlet_sentiment(d, n_boot=300, rescored=d.iloc[::-1])
    with pytest.raises(ParameterError):
        A.outlet_sentiment(d, n_boot=300, rescored=d.iloc[1:])


def _share_table_of_python_strings(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    # the construction before session 33: every key row made a Python string first
    v = df["compound"]
    flags = pd.DataFrame({k: df[k].to_numpy() for k in keys} | {
        "share_pos": (v >= 0.05).to_numpy(), "share_neg": (v <= -0.05).to_numpy()})
    return flags.groupby(keys, sort=True)[["share_pos", "share_neg"]].mean()


@pytest.mark.parametrize("keys", [["outlet"], ["outlet", "entity"]])
def test_share_table_groups_text_in_its_own_storage(keys):
    # Arrow text keys (accents, capitals, a missing key), object and categorical keys, a shuffled index:
    # the same groups in the same order, the same shares bit for bit, the keys' names on the index
    g = np.random.default_rng(5)
    n = 3000
    d = pd.DataFrame({"outlet": g.choice(["b", "a", "Ä", "Z", "é", None], n),
                      "entity": g.choice(["x", "É", "y", "Y"], n),
                      "compound": np.round(g.uniform(-1, 1, n), 4)}, index=g.permutation(n))
    assert isinstance(d["outlet"].dtype, pd.StringDtype)
    for table in (d, d.astype({"outlet": object, "entity": object}), d.astype({"entity": "category"})):
        want, got = _share_table_of_python_strings(table, keys), A._share_table(table, keys)
        pd.testing.assert_index_equal(got.index, want.index, exact=False)
        assert list(got.index) == list(want.index) and list(got.index.names) == keys
        assert got.to_numpy().tobytes() == want.to_numpy().tobytes()
