"""fact_conflicts joins row numbers only: the same table as joining every column (the path before session 27)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import schema as S
from analysis.facts import (
    CONFLICT_COLUMNS,
    FACT,
    KEYWORDS,
    QUALIFIER,
    QUANTITY,
    STORY,
    SUBJECT,
    SURFACE,
    UNIT,
    VALUE,
    VALUE_HIGH,
    extract_facts,
)
from analysis.facts import conflicts as conflicts_module
from analysis.facts.conflicts import _bounds, _join_rows, _other_years, fact_conflicts


def _joined_every_column(facts, *, articles=None, sentences=None, max_days=3, min_overlap=0.25):
    """fact_conflicts as of commit 9d2d9d2: three merges of the whole figure tables (reference)."""
    S.check_columns(facts, [S.ARTICLE_ID, S.OUTLET, UNIT, QUANTITY, SUBJECT, FACT, VALUE, VALUE_HIGH, SURFACE,
                            QUALIFIER, STORY, KEYWORDS, S.SENTENCE_ID], table="facts")
    if not isinstance(max_days, int) or max_days < 0:
        raise ValueError(f"max_days: {max_days!r}; use an integer >= 0")
    if not 0 <= min_overlap <= 1:
        raise ValueError(f"min_overlap: {min_overlap!r}; use a number in [0, 1]")
    f = facts[(facts[QUANTITY] != "") & facts[VALUE].notna()].reset_index(drop=True)
    f = f.drop_duplicates([S.OUTLET, S.SENTENCE_ID, FACT]).reset_index(drop=True)
    years = _other_years(facts, articles)
    f = f.assign(_years=[years.get(i, "") for i in f[S.SENTENCE_ID]])
    lo, hi = _bounds(f[VALUE].to_numpy(float), f[VALUE_HIGH].to_numpy(float), f[QUALIFIER].to_numpy(),
                     f[SURFACE].to_numpy())
    day = np.full(len(f), np.nan)
    if articles is not None and S.PUBLISHED in articles.columns:
        from analysis.corpus import publication_days

        published = pd.Series(publication_days(articles), index=articles[S.ARTICLE_ID])
        day = f[S.ARTICLE_ID].map(published).to_numpy(dtype=float)
    # dated figures are joined within time buckets of max_days + 1 days (a pair at most max_days
    # apart lies in one bucket or two neighbouring ones), so the join grows with the figures of
    # a few days, not of the whole story; undated figures are compared with undated ones only
    bucket = np.where(np.isnan(day), -1, np.floor(np.nan_to_num(day) / (max_days + 1))).astype(np.int64)
    f = f.assign(_lo=lo, _hi=hi, _day=day, _bucket=bucket)
    key = [STORY, UNIT, QUANTITY, SUBJECT, "_years", "_bucket"]
    later = f[f["_bucket"] >= 0].assign(_bucket=lambda d: d["_bucket"] - 1)
    pairs = pd.concat([f.merge(f, on=key, suffixes=("_a", "_b")),
                       f.merge(later, on=key, suffixes=("_a", "_b")),
                       later.merge(f, on=key, suffixes=("_a", "_b"))], ignore_index=True)
    pairs = pairs[(pairs["outlet_a"] < pairs["outlet_b"]) & ((pairs["_hi_a"] < pairs["_lo_b"])
                                                              | (pairs["_hi_b"] < pairs["_lo_a"]))]
    apart = (pairs["_day_a"] - pairs["_day_b"]).abs()
    pairs = pairs[apart.isna() | (apart <= max_days)]
    wa = [set(k.split()) for k in pairs["keywords_a"]]
    wb = [set(k.split()) for k in pairs["keywords_b"]]
    overlap = np.array([len(a & b) / len(a | b) if a | b else 0.0 for a, b in zip(wa, wb, strict=True)])
    pairs = pairs.assign(overlap=overlap)[overlap >= min_overlap] if len(pairs) else pairs.assign(overlap=[])
    if sentences is None:
        text = {}
    else:  # only the pairs' sentences (not a dict of every sentence of the corpus); the last of a repeated id wins
        sub = sentences[sentences[S.SENTENCE_ID].isin(pd.unique(np.r_[pairs["sentence_id_a"].to_numpy(dtype=object),
                                                                      pairs["sentence_id_b"].to_numpy(dtype=object)]))]
        text = dict(zip(sub[S.SENTENCE_ID], sub[S.SENTENCE_TEXT].astype(str), strict=True))
    out = pd.DataFrame({
        UNIT: pairs[UNIT].to_numpy(), QUANTITY: pairs[QUANTITY].to_numpy(),
        "outlet_a": pairs["outlet_a"].to_numpy(), "fact_a": pairs["fact_a"].to_numpy(),
        "surface_a": pairs["surface_a"].to_numpy(), "outlet_b": pairs["outlet_b"].to_numpy(),
        "fact_b": pairs["fact_b"].to_numpy(), "surface_b": pairs["surface_b"].to_numpy(),
        "sentence_a": pairs["sentence_id_a"].to_numpy(), "sentence_b": pairs["sentence_id_b"].to_numpy(),
        STORY: pairs[STORY].to_numpy(), "overlap": pairs["overlap"].to_numpy(dtype=float),
        "text_a": [text.get(i, "") for i in pairs["sentence_id_a"]],
        "text_b": [text.get(i, "") for i in pairs["sentence_id_b"]]}, columns=list(CONFLICT_COLUMNS))
    return out.sort_values([STORY, QUANTITY, "outlet_a", "outlet_b", "fact_a", "fact_b", "sentence_a", "sentence_b"],
                           kind="stable").reset_index(drop=True)


def _corpus(seed: int, n_articles: int = 60, story: bool = False):
    rng = np.random.default_rng(seed)
    outlets = ["Alpha", "Beta", "Gamma", "Delta"]
    templates = ["The blast in Boston killed {a} people and injured {b}.",
                 "Officials said at least {a} people were killed in Boston and about {b} injured.",
                 "The storm killed {a} people in 1996, and {b} were wounded.",
                 "Police said {a} people were wounded in the raid in Cairo.",
                 "Up to {a} people died, and the bill costs ${b} million."]
    arts, sents = [], []
    for k in range(n_articles):
        aid = f"art{k:03d}"
        day = None if k % 11 == 0 else f"2013-04-{1 + int(rng.integers(0, 9)):02d}"
        arts.append({"article_id": aid, "outlet": outlets[k % 4], "published": day,
                     **({"story": ["boston", "cairo", ""][k % 3]} if story else {})})
        for j in range(3):
            text = templates[int(rng.integers(len(templates)))].format(a=int(rng.choice([3, 4, 30, 170, 264])),
                                                                       b=int(rng.choice([2, 100, 260, 1000])))
            sents.append({"sentence_id": f"{aid}/{j}", "article_id": aid, "outlet": outlets[k % 4],
                          "start": 100 * j, "sentence_text": text})
    return pd.DataFrame(arts), pd.DataFrame(sents)


@pytest.mark.parametrize("seed,story", [(0, False), (1, False), (2, True)])
@pytest.mark.parametrize("max_days,min_overlap", [(3, 0.25), (0, 0.0), (10, 0.5)])
@pytest.mark.parametrize("block", [7, 1_000_000])
def test_conflicts_equal_the_join_of_every_column(monkeypatch, seed, story, max_days, min_overlap, block):
    monkeypatch.setattr(conflicts_module, "_JOIN_BLOCK", block)  # candidate pairs in many blocks, or one
    articles, sentences = _corpus(seed, story=story)
    facts = extract_facts(sentences, articles=articles)
    kw = {"max_days": max_days, "min_overlap": min_overlap}
    got = fact_conflicts(facts, articles=articles, sentences=sentences, **kw)
    want = _joined_every_column(facts, articles=articles, sentences=sentences, **kw)
    assert len(want) > 10  # the corpus has conflicts to compare
    assert got.to_csv(index=False) == want.to_csv(index=False)
    assert got.dtypes.equals(want.dtypes)
    undated = fact_conflicts(facts, sentences=None, **kw)  # no articles: every figure undated, no texts
    ref = _joined_every_column(facts, sentences=None, **kw)
    assert undated.to_csv(index=False) == ref.to_csv(index=False) and undated.dtypes.equals(ref.dtypes)


def test_no_pairs_gives_the_same_empty_table():
    articles, sentences = _corpus(3, n_articles=2)
    facts = extract_facts(sentences.iloc[:1], articles=articles)
    got = fact_conflicts(facts, articles=articles, sentences=sentences)
    want = _joined_every_column(facts, articles=articles, sentences=sentences)
    assert got.empty and list(got.columns) == list(CONFLICT_COLUMNS)
    assert got.to_csv(index=False) == want.to_csv(index=False) and got.dtypes.equals(want.dtypes)


@pytest.mark.parametrize("block", [1, 5, 100])
def test_join_rows_gives_the_inner_join_pairs_that_pass(block):
    rng = np.random.default_rng(block)
    left = (rng.integers(0, 6, 40), np.arange(40) * 10)
    right = (rng.integers(0, 6, 25), np.arange(25) + 1000)
    keep = lambda ra, rb: (ra // 10 + rb) % 3 != 0  # noqa: E731
    got = _join_rows(left, right, keep, block=block)
    merged = pd.DataFrame({"k": left[0], "a": left[1]}).merge(pd.DataFrame({"k": right[0], "b": right[1]}), on="k")
    merged = merged[keep(merged["a"].to_numpy(), merged["b"].to_numpy())]
    assert sorted(zip(*(x.tolist() for x in got))) == sorted(zip(merged["a"], merged["b"]))
    assert len(got[0]) > 20
