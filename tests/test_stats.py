"""Tests for analysis.stats: bootstrap intervals and multiple-comparison control."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.stats import adjust_pvalues, bootstrap_differences, bootstrap_means, bootstrap_versus_rest


def _bh_by_hand(p):
    """Benjamini-Hochberg step-up, written independently: q_(i) = min_{j>=i} p_(j) m / j."""
    p = np.asarray(p, float)
    m = len(p)
    order = np.argsort(p)
    q = np.empty(m)
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * m / rank)
        q[i] = running
    return q


@pytest.mark.parametrize("p", [
    [0.01, 0.02, 0.03, 0.04, 0.05],  # hand: every q is 0.05
    [0.001, 0.5, 0.04, 0.03, 0.9, 0.2],
    list(np.random.default_rng(1).uniform(size=200)),
])
def test_bh_matches_independent_implementation(p):
    assert np.allclose(adjust_pvalues(p), _bh_by_hand(p))


def test_bh_hand_values_and_nan():
    assert np.allclose(adjust_pvalues([0.01, 0.02, 0.03, 0.04, 0.05]), [0.05] * 5)
    out = adjust_pvalues([0.02, np.nan, 0.01])
    assert np.isnan(out[1]) and np.allclose(out[[0, 2]], [0.02, 0.02])


def _normal_frame(n=400, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"outlet": "A", "article_id": "a", "x": rng.normal(0.2, 1.0, n)})


def test_one_cluster_interval_matches_normal_theory():
    d = _normal_frame()
    r = bootstrap_means(d, value="x", n_boot=4000, seed=3).iloc[0]
    se = d["x"].std(ddof=1) / np.sqrt(len(d))
    assert r["estimate"] == pytest.approx(d["x"].mean())
    assert r["ci_low"] == pytest.approx(d["x"].mean() - 1.96 * se, abs=0.25 * se)
    assert r["ci_high"] == pytest.approx(d["x"].mean() + 1.96 * se, abs=0.25 * se)


def test_clustered_interval_is_wider_when_articles_differ():
    rng = np.random.default_rng(0)
    # 6 articles whose means differ a lot, 30 sentences each
    d = pd.DataFrame({"outlet": "A", "article_id": np.repeat(list("abcdef"), 30),
                      "x": np.repeat(rng.normal(0, 1, 6), 30) + rng.normal(0, 0.1, 180)})
    clustered = bootstrap_means(d, value="x", n_boot=1000).iloc[0]
    naive = bootstrap_means(d, value="x", cluster=None, n_boot=1000).iloc[0]
    assert (clustered.ci_high - clustered.ci_low) > 3 * (naive.ci_high - naive.ci_low)
    assert clustered["n_clusters"] == 6 and naive["n_clusters"] == 180


def test_seeded_reproducible_and_independent_of_other_groups():
    d = pd.concat([_normal_frame(50, 1), _normal_frame(60, 2).assign(outlet="B", article_id="b")])
    r1 = bootstrap_means(d, value="x", n_boot=300, seed=7)
    r2 = bootstrap_means(d, value="x", n_boot=300, seed=7)
    pd.testing.assert_frame_equal(r1, r2)
    only_a = bootstrap_means(d[d.outlet == "A"], value="x", n_boot=300, seed=7)
    pd.testing.assert_frame_equal(r1.iloc[:1], only_a)
    assert not r1.equals(bootstrap_means(d, value="x", n_boot=300, seed=8))


def test_single_unit_group_has_degenerate_interval_and_n():
    d = pd.DataFrame({"outlet": ["A"], "article_id": ["a"], "x": [0.4]})
    r = bootstrap_means(d, value="x", n_boot=200).iloc[0]
    assert (r["n"], r["estimate"], r["ci_low"], r["ci_high"]) == (1, 0.4, 0.4, 0.4)


def test_differences_sign_and_zero():
    rng = np.random.default_rng(0)
    d = pd.DataFrame({"outlet": ["A"] * 50 + ["B"] * 50 + ["C"] * 50, "article_id": "x",
                      "x": np.r_[rng.normal(1, 0.2, 50), rng.normal(0, 0.2, 50), rng.normal(0, 0.2, 50)]})
    r = bootstrap_differences(d, value="x", cluster=None, n_boot=500).set_index(["a", "b"])
    assert r.loc[("A", "B"), "excludes_zero"] and r.loc[("A", "B"), "estimate"] > 0.8
    assert not r.loc[("B", "C"), "excludes_zero"]
    assert list(r.index) == [("A", "B"), ("A", "C"), ("B", "C")]


@pytest.mark.parametrize(("kw", "msg"), [({"n_boot": 10}, "n_boot"), ({"level": 1.2}, "level")])
def test_bad_options(kw, msg):
    with pytest.raises(ParameterError, match=msg):
        bootstrap_means(_normal_frame(5), value="x", **kw)


@pytest.mark.parametrize("p", [
    list(np.random.default_rng(2).uniform(size=500)),
    [0.5, 0.01, 0.01, 0.2, 0.01, 1.0, 0.04],  # ties and a p of 1
    list(np.random.default_rng(3).uniform(0, 0.02, size=50)),  # all small: q capped, not > 1
    [0.9],  # one test: q = p
])
def test_bh_matches_statsmodels(p):
    from statsmodels.stats.multitest import multipletests

    assert np.allclose(adjust_pvalues(p), multipletests(p, method="fdr_bh")[1], rtol=0, atol=1e-15)


def test_other_methods_are_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = [0.01, 0.04, np.nan, 0.03]
    out = adjust_pvalues(p, method="holm")
    assert np.isnan(out[2])
    assert np.allclose(out[[0, 1, 3]], multipletests([0.01, 0.04, 0.03], method="holm")[1])


def test_two_stage_bootstrap_hand_case_distribution():
    # two clusters of constant values: the replicate mean is 0 (A,A), 0.5 (A,B or B,A) or 1 (B,B)
    # with probabilities 1/4, 1/2, 1/4 (the second stage cannot change a constant cluster)
    from analysis.stats import _replicates

    reps = _replicates(np.array([0.0, 0.0, 1.0, 1.0]), np.array(["A", "A", "B", "B"]), 8000,
                       np.random.default_rng(0))
    freq = pd.Series(reps).round(6).value_counts(normalize=True).sort_index()
    assert freq.index.tolist() == [0.0, 0.5, 1.0]
    assert np.allclose(freq.to_numpy(), [0.25, 0.5, 0.25], atol=0.02)


def test_two_stage_bootstrap_matches_plain_loop_in_distribution():
    # the vectorised replicates against the per-replicate loop it replaced (same design)
    from analysis.stats import _replicates

    rng = np.random.default_rng(4)
    clusters = np.repeat(np.arange(6), [1, 2, 3, 5, 8, 13])
    values = rng.normal(clusters * 0.3, 1.0)
    groups = [values[clusters == k] for k in range(6)]
    loop_rng, loop = np.random.default_rng(9), []
    for _ in range(4000):
        drawn = loop_rng.integers(0, 6, size=6)
        picked = np.concatenate([groups[k][loop_rng.integers(0, len(groups[k]), len(groups[k]))] for k in drawn])
        loop.append(picked.mean())
    fast = _replicates(values, clusters, 4000, np.random.default_rng(1))
    assert abs(fast.mean() - np.mean(loop)) < 0.03
    assert abs(fast.std() - np.std(loop)) < 0.1 * np.std(loop)


def test_nested_clusters_resample_outlets_then_whole_articles():
    # group "left": outlet P has articles a (two sentences of 1) and b (one of 0); outlet Q has c (three of 0).
    # Stage 1 draws two outlets, stage 2 draws that many articles within each, taken whole.
    # Enumerated exactly below: replicate mean = sum of drawn sentences' x / drawn sentences, over
    # every outlet draw (P,P), (P,Q), (Q,P), (Q,Q) and every article draw within the drawn outlets.
    from itertools import product

    d = pd.DataFrame({"bias": "left", "outlet": list("PPPQQQ"), "article_id": list("aabccc"),
                      "x": [1.0, 1.0, 0.0, 0.0, 0.0, 0.0]})
    art = {"a": (2.0, 2), "b": (0.0, 1), "c": (0.0, 3)}
    arts = {"P": ["a", "b"], "Q": ["c"]}
    exact = {}
    for outlets in product("PQ", repeat=2):
        draws = [list(product(arts[o], repeat=len(arts[o]))) for o in outlets]
        for combo in product(*draws):
            picked = [a for part in combo for a in part]
            m = sum(art[a][0] for a in picked) / sum(art[a][1] for a in picked)
            w = 0.25 / np.prod([len(x) for x in draws])
            exact[round(m, 6)] = exact.get(round(m, 6), 0) + w
    from analysis.stats import _group_replicates

    reps = _group_replicates(d, "x", ["outlet", "article_id"], 20000, np.random.default_rng(2))
    got = pd.Series(reps).round(6).value_counts(normalize=True)
    assert set(got.index) <= set(exact)
    for m, p in exact.items():
        assert got.get(m, 0.0) == pytest.approx(p, abs=0.015)
    r = bootstrap_means(d, value="x", group="bias", cluster=["outlet", "article_id"], n_boot=500)
    assert r[["bias", "n", "n_clusters"]].values.tolist() == [["left", 6, 2]]
    assert r.estimate.iloc[0] == pytest.approx(2 / 6)


def test_adjust_pvalues_with_left_out_tests_counts_them_as_one():
    from statsmodels.stats.multitest import multipletests

    p = np.array([0.001, 0.02, 0.04])
    full = multipletests(np.r_[p, [1.0, 1.0]], method="fdr_bh")[1][:3]
    assert np.allclose(adjust_pvalues(p, n_tests=5), full)
    assert np.allclose(adjust_pvalues(p, method="bonferroni", n_tests=5), np.minimum(p * 5, 1))
    with pytest.raises(ParameterError, match="n_tests"):
        adjust_pvalues(p, n_tests=2)


def _means_group_by_group(df, value, keys, cluster, n_boot, seed, level=0.95):
    """Reference: bootstrap_means as one pandas group at a time (the code before issue 15)."""
    from analysis.stats import _cluster_columns, _group_replicates, _rng

    ccols, rows = _cluster_columns(cluster), []
    for name, part in df.groupby(keys, sort=True, dropna=False):
        name = name if isinstance(name, tuple) else (name,)
        vals = part[value].to_numpy(dtype=float)
        n_clus = part[ccols[0]].astype(str).nunique() if ccols else len(part)
        if len(vals) > 1:
            reps = _group_replicates(part, value, ccols, n_boot, _rng(seed, "\x1f".join(map(str, name))))
            low, high = np.quantile(reps, [(1 - level) / 2, (1 + level) / 2])
        else:
            low = high = vals.mean()
        rows.append((*name, len(vals), n_clus, vals.mean(), low, high))
    return pd.DataFrame(rows, columns=[*keys, "n", "n_clusters", "estimate", "ci_low", "ci_high"])


@pytest.mark.parametrize("cluster", [None, "article_id", ["outlet", "article_id"]])
def test_bootstrap_means_equals_group_by_group_reference(cluster):
    rng = np.random.default_rng(7)
    n = 600  # 300 groups: more than one block of quantiles; singletons; ids that sort differently as text
    d = pd.DataFrame({"outlet": rng.choice(list("PQRS"), n), "g": rng.integers(0, 300, n),
                      "article_id": rng.integers(0, 40, n), "x": rng.normal(size=n)})
    d["bias"] = d["outlet"].map({"P": "left", "Q": "left", "R": "right", "S": "right"})
    keys = ["bias", "g"] if isinstance(cluster, list) else ["outlet", "g"]
    got = bootstrap_means(d, value="x", group=keys, cluster=cluster, n_boot=200, seed=3)
    want = _means_group_by_group(d, "x", keys, cluster, 200, 3)
    assert got.to_csv(index=False) == want.to_csv(index=False)
    assert (got["n"] == 1).any() and len(got) > 256


def test_large_groups_share_replicates_between_calls(monkeypatch):
    from analysis import stats

    rng = np.random.default_rng(5)
    d = pd.DataFrame({"outlet": np.repeat(["A", "B", "C"], [1500, 1200, 40]),
                      "article_id": rng.integers(0, 60, 2740).astype(str), "x": rng.normal(size=2740)})
    stats._MEMO.clear()
    fresh = bootstrap_versus_rest(d, value="x", n_boot=300, seed=1)
    assert len(stats._MEMO) == 2  # A and B are large enough to keep; C is not
    calls = []
    real = stats._replicates
    monkeypatch.setattr(stats, "_replicates", lambda *a, **k: calls.append(len(a[0])) or real(*a, **k))
    means = bootstrap_means(d, value="x", n_boot=300, seed=1)
    assert calls == []  # A and B looked up; C, small, drawn again in bootstrap_means' batch (not _replicates)
    assert bootstrap_versus_rest(d, value="x", n_boot=300, seed=1).equals(fresh)
    stats._MEMO.clear()
    assert bootstrap_means(d, value="x", n_boot=300, seed=1).equals(means)  # the same without the memory
    bootstrap_means(d.assign(x=d.x + 1), value="x", n_boot=300, seed=1)  # other values: drawn, not looked up
    assert calls[-2:] == [1500, 1200]


def _replicates_bincount(values, clusters, n_boot, rng, counts=None):
    """Reference: _replicates as it was before session 28 (every sum a bincount over replicate labels)."""
    _, inverse = np.unique(clusters, return_inverse=True)
    n_clusters = int(inverse.max()) + 1
    order = np.argsort(inverse, kind="stable")
    vals = values[order].astype(float)
    units = None if counts is None else counts[order].astype(float)
    sizes = np.bincount(inverse, minlength=n_clusters)
    starts = np.cumsum(sizes) - sizes
    out = np.empty(n_boot)
    chunk = max(1, 2_000_000 // len(vals))
    for b0 in range(0, n_boot, chunk):
        nb = min(chunk, n_boot - b0)
        drawn = rng.integers(0, n_clusters, size=(nb, n_clusters)).ravel()
        d_size = sizes[drawn]
        high = np.repeat(d_size, d_size)
        pick = np.repeat(starts[drawn], d_size) + rng.integers(0, high)
        per_rep = d_size.reshape(nb, n_clusters).sum(axis=1)
        rep = np.repeat(np.arange(nb), per_rep)
        total = np.bincount(rep, weights=vals[pick], minlength=nb)
        n = per_rep.astype(float) if units is None else np.bincount(rep, weights=units[pick], minlength=nb)
        out[b0:b0 + nb] = total / n
    return out


@pytest.mark.parametrize("trial", range(12))
def test_replicates_same_floats_as_bincount_reference(trial):
    # groups below and above RUN_SUMS_MIN, with and without unit counts, signed zeros and
    # rounded values (ties in the sums): bit for bit the replicates of the bincount code
    from analysis.stats import RUN_SUMS_MIN, _replicates

    g = np.random.default_rng(100 + trial)
    n = [50, RUN_SUMS_MIN - 1, RUN_SUMS_MIN, 3 * RUN_SUMS_MIN + 17][trial % 4]  # each size with each kind
    clusters = g.integers(0, int(g.choice([2, 7, 300])), n)
    kind = trial % 3
    values = g.normal(size=n) if kind == 0 else np.round(g.normal(size=n), 1)
    if kind == 2:
        values[g.random(n) < 0.5] = -0.0  # a replicate of -0.0 only must still come out 0.0
    counts = g.integers(1, 40, n) if trial % 2 else None
    n_boot = int(g.choice([100, 700]))
    got = _replicates(values, clusters, n_boot, np.random.default_rng(trial), counts=counts)
    want = _replicates_bincount(values, clusters, n_boot, np.random.default_rng(trial), counts=counts)
    assert got.tobytes() == want.tobytes()


def test_replicate_sums_equal_bincount_bits():
    from analysis.stats import _replicate_sums

    g = np.random.default_rng(11)
    for _ in range(200):
        per_rep = g.integers(0, 30, int(g.integers(1, 20)))
        w = g.normal(size=int(per_rep.sum())) * 10.0 ** g.integers(-8, 9, int(per_rep.sum()))
        w[g.random(len(w)) < 0.3] = -0.0
        want = np.bincount(np.repeat(np.arange(len(per_rep)), per_rep), weights=w, minlength=len(per_rep))
        assert _replicate_sums(w, per_rep).tobytes() == want.tobytes()
    assert _replicate_sums(np.array([-0.0, -0.0]), np.array([2])).tobytes() == np.array([0.0]).tobytes()


@pytest.mark.parametrize("trial", range(6))
def test_batched_small_groups_equal_group_by_group_reference(trial, monkeypatch):
    # many small groups (one cluster, several, singletons, a cluster of one row), a few
    # above MEMO_MIN_ENTRIES, and a small DRAWS_PER_CHUNK so that batches are flushed many
    # times and some groups take the per-group path: the same bytes as the reference
    from analysis import stats

    g = np.random.default_rng(300 + trial)
    monkeypatch.setattr(stats, "DRAWS_PER_CHUNK", int(g.choice([20_000, 60_000, 2_000_000])))
    sizes = np.r_[g.integers(1, 12, 400), g.integers(1000, 1300, trial % 3)]
    n = int(sizes.sum())
    d = pd.DataFrame({"outlet": np.repeat(np.arange(len(sizes)) % 7, sizes).astype(str),
                      "g": np.repeat(np.arange(len(sizes)), sizes),
                      "article_id": g.integers(0, int(g.choice([1, 3, 30])) + 1, n),
                      "x": np.round(g.normal(size=n), int(g.choice([1, 4])))})
    d.loc[g.random(n) < 0.1, "x"] = -0.0
    d = d.sample(frac=1.0, random_state=trial).reset_index(drop=True)  # a group's rows not adjacent
    cluster = [None, "article_id"][trial % 2]
    n_boot = int(g.choice([100, 250]))
    # a small BATCH_DRAWS sends the two-stage groups that fill a batch alone to the per-group path
    monkeypatch.setattr(stats, "BATCH_DRAWS", int(g.choice([500, 2_000, 100_000])))
    stats._MEMO.clear()
    got = bootstrap_means(d, value="x", group=["outlet", "g"], cluster=cluster, n_boot=n_boot, seed=trial)
    want = _means_group_by_group(d, "x", ["outlet", "g"], cluster, n_boot, trial)
    assert got.to_csv(index=False) == want.to_csv(index=False)


@pytest.mark.parametrize("trial", range(40))
def test_integers_below_equals_numpy_values_and_state(trial, monkeypatch):
    # NumPy's own rng.integers(0, bounds) is the reference: the same integers and the same
    # generator state after (a buffered half word or not), with bounds of 1 (no word taken),
    # bounds near 2**32 (rejections frequent, some settled past the words drawn up front),
    # and the draws before and after it in the same stream
    from analysis import stats

    monkeypatch.setattr(stats, "FAST_DRAWS_MIN", 0)
    monkeypatch.setattr(stats, "DRAW_BLOCK", [7, 64, 1 << 16][trial % 3])
    g = np.random.default_rng(900 + trial)
    n = int(g.integers(0, 3000))
    top = [3, 60, 2**31 + 2**30, 2**32 - 1][trial % 4]
    bounds = g.integers(1, top + 1, n)
    if trial % 5 == 0:
        bounds[g.random(n) < 0.5] = 1
    mine, ref = np.random.default_rng([trial, 1]), np.random.default_rng([trial, 1])
    if trial % 2:  # leave half a word in the generator
        mine.integers(0, 10)
        ref.integers(0, 10)
    hints = {"smallest": int(bounds.min()), "largest": int(bounds.max())} if n and trial % 3 == 1 else {}
    kind = np.uint32 if trial % 4 == 2 else np.int64  # the bootstrap passes uint32 bounds
    got, want = stats._integers_below(mine, bounds.astype(kind), **hints), ref.integers(0, bounds)
    assert got.dtype == want.dtype and got.tolist() == want.tolist()
    assert mine.bit_generator.state == ref.bit_generator.state
    assert mine.integers(0, 1000, 5).tolist() == ref.integers(0, 1000, 5).tolist()
    assert mine.integers(0, bounds[:50] + 1).tolist() == ref.integers(0, bounds[:50] + 1).tolist()


def test_integers_below_other_generators_call_numpy():
    from analysis.stats import _integers_below

    bounds = np.arange(1, 10_000)
    got = _integers_below(np.random.Generator(np.random.MT19937(3)), bounds)
    assert got.tolist() == np.random.Generator(np.random.MT19937(3)).integers(0, bounds).tolist()


@pytest.mark.parametrize("trial", range(8))
def test_means_of_columns_equal_one_column_at_a_time(trial, monkeypatch):
    # large groups (drawn once for both columns), small batched groups, a group of one
    # cluster, a single unit, NaN-free columns that differ in a few rows (as a lexicon
    # change does), each cluster kind: each table byte for byte bootstrap_means' own
    from analysis import stats
    from analysis.stats import bootstrap_means_of

    g = np.random.default_rng(700 + trial)
    monkeypatch.setattr(stats, "DRAWS_PER_CHUNK", int(g.choice([40_000, 2_000_000])))
    sizes = np.r_[g.integers(1, 9, 30), [1], g.integers(1000, 1400, 2)]
    n = int(sizes.sum())
    d = pd.DataFrame({"outlet": np.repeat(np.arange(len(sizes)), sizes).astype(str),
                      "article_id": g.integers(0, int(g.choice([1, 5, 60])), n),
                      "x": np.round(g.normal(size=n), 4)})
    d["bias"] = d["outlet"].astype(int) % 3
    d["y"] = d["x"].where(g.random(n) < 0.9, np.round(g.normal(size=n), 4))
    cluster = [None, "article_id", "article_id", ["outlet", "article_id"]][trial % 4]
    group = "bias" if trial % 4 == 3 else "outlet"
    stats._MEMO.clear()
    both = bootstrap_means_of(d, values=["x", "y"], group=group, cluster=cluster, n_boot=200, seed=trial)
    assert list(both) == ["x", "y"]
    stats._MEMO.clear()
    for v in ("x", "y"):
        want = bootstrap_means(d, value=v, group=group, cluster=cluster, n_boot=200, seed=trial)
        assert both[v].to_csv(index=False) == want.to_csv(index=False)


def test_means_of_columns_keeps_each_column_for_the_differences(monkeypatch):
    from analysis import stats
    from analysis.stats import bootstrap_means_of

    rng = np.random.default_rng(8)
    d = pd.DataFrame({"outlet": np.repeat(["A", "B"], [1500, 1100]),
                      "article_id": rng.integers(0, 50, 2600).astype(str), "x": rng.normal(size=2600)})
    d["y"] = d["x"] * 2
    stats._MEMO.clear()
    fresh = bootstrap_versus_rest(d, value="y", n_boot=300, seed=2)
    stats._MEMO.clear()
    bootstrap_means_of(d, values=["x", "y"], n_boot=300, seed=2)
    assert len(stats._MEMO) == 4  # two outlets x two columns, each under its own digest
    calls = []
    real = stats._replicates
    monkeypatch.setattr(stats, "_replicates", lambda *a, **k: calls.append(len(a[0])) or real(*a, **k))
    assert bootstrap_versus_rest(d, value="y", n_boot=300, seed=2).equals(fresh)
    assert calls == []  # looked up
    with pytest.raises(ParameterError):
        bootstrap_means_of(d, values=[], n_boot=300)
    empty = bootstrap_means_of(d.iloc[:0], values=["x", "y"], n_boot=300)
    assert empty["y"].to_csv(index=False) == bootstrap_means(d.iloc[:0], value="y", n_boot=300).to_csv(index=False)


@pytest.mark.parametrize("trial", range(4))
def test_replicates_of_two_columns_equal_each_alone(trial):
    # groups of RUN_SUMS_MIN entries or more sum two columns as one complex column: each
    # component the bits of its own column's sums (signed zeros, rounded values, unit counts)
    from analysis.stats import RUN_SUMS_MIN, _replicates

    g = np.random.default_rng(500 + trial)
    n = RUN_SUMS_MIN + int(g.integers(0, 3000))
    clusters = g.integers(0, int(g.choice([3, 80])), n)
    x = np.round(g.normal(size=n), 2)
    y = np.where(g.random(n) < 0.1, np.round(g.normal(size=n), 4), x)
    x[g.random(n) < 0.3] = -0.0
    counts = g.integers(1, 30, n) if trial % 2 else None
    both = _replicates(np.column_stack([x, y]), clusters, 300, np.random.default_rng(trial), counts=counts)
    for j, v in enumerate((x, y)):
        alone = _replicates(v, clusters, 300, np.random.default_rng(trial), counts=counts)
        assert both[j].tobytes() == alone.tobytes()


def test_layout_codes_clusters_as_python_sorts_their_labels():
    # Arrow text is factorized as it is (no Python string per row); the codes must be those of
    # Python's sorted strings: code-point order, with non-ASCII, case, digits and a missing label
    from analysis.stats import _Layout

    rng = np.random.default_rng(3)
    words = np.array(["b", "a", "B", "ä", "z1", "z10", "z2", "É", "日本", "a b"], dtype=object)
    outer, inner = words[rng.integers(0, 10, 500)], words[rng.integers(0, 10, 500)]
    inner[::37] = None
    df = pd.DataFrame({"g": rng.integers(0, 3, 500), "o": pd.array(outer, dtype="str"),
                       "i": pd.array(inner, dtype="str"), "n": rng.integers(0, 7, 500)})
    lay = _Layout(df, ["g"], ["o", "i"], dropna=True)
    as_py = [df[c].astype(str).to_numpy(dtype=object) for c in ("o", "i")]
    ref_outer = pd.factorize(as_py[0], sort=True)[0]
    ref_pair, uniq = pd.factorize(pd.MultiIndex.from_arrays(as_py), sort=True)
    np.testing.assert_array_equal(lay.outer, ref_outer)
    np.testing.assert_array_equal(lay.pair, ref_pair)
    np.testing.assert_array_equal(lay.pair_outer, pd.factorize(uniq.get_level_values(0), sort=True)[0])
    sorted_labels = sorted({x for x in outer})
    assert [sorted_labels[c] for c in lay.outer[:20]] == list(outer[:20])  # code k is the k-th sorted label
    numbers = _Layout(df, ["g"], ["n"], dropna=True)  # a non-text cluster column, compared as strings
    np.testing.assert_array_equal(numbers.outer, pd.factorize(df["n"].astype(str).to_numpy(dtype=object),
                                                              sort=True)[0])
