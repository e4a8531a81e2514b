"""originality's choice of a likely source, all articles at once, against choosing per article."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import schema as S
from analysis.reuse import originality
from analysis.reuse.columns import (
    ARTICLE_A,
    ARTICLE_B,
    LIKELY_SOURCE,
    ORIGINALITY,
    SENTENCE_A,
    SENTENCE_B,
    SHARED_SHARE_A,
    SHARED_SHARE_B,
    SOURCE_EVIDENCE,
)


def _originality_per_article(articles, sentences, pairs, alignments):
    """originality as of commit 9d2d9d2: each article's partners sorted in Python (reference)."""
    matched = set(alignments[SENTENCE_A]) | set(alignments[SENTENCE_B])
    n_sent = sentences.groupby(S.ARTICLE_ID).size().to_dict()
    n_match = sentences[sentences[S.SENTENCE_ID].isin(matched)].groupby(S.ARTICLE_ID).size().to_dict()
    date = dict(zip(articles[S.ARTICLE_ID], articles[S.PUBLISHED])) if S.PUBLISHED in articles else {}
    # each pair seen from both sides: (article, partner, share of the article's words)
    side_a = pairs[[ARTICLE_A, ARTICLE_B, SHARED_SHARE_A]].to_numpy().tolist()
    side_b = pairs[[ARTICLE_B, ARTICLE_A, SHARED_SHARE_B]].to_numpy().tolist()
    partners_of: dict = {}
    for aid, other, share in side_a + side_b:
        partners_of.setdefault(aid, []).append((share, other))
    rows = []
    for aid, outlet, wire in zip(articles[S.ARTICLE_ID], articles[S.OUTLET],
                                 articles[S.WIRE] if S.WIRE in articles else [None] * len(articles)):
        n, m = int(n_sent.get(aid, 0)), int(n_match.get(aid, 0))
        partners = partners_of.get(aid, [])
        mine = date.get(aid)
        earlier = sorted((-share, other) for share, other in partners
                         if isinstance(mine, str) and isinstance(date.get(other), str) and date[other] < mine)
        source, evidence = "", "no earlier article shares text with it; no wire credit"
        if earlier:
            source = earlier[0][1]
            evidence = (f"published {date[source]}, before this article ({mine}); shares "
                        f"{-earlier[0][0]:.0%} of this article's words")
        if isinstance(wire, str) and wire:
            evidence = f"credits {wire}" if not source else f"{evidence}; credits {wire}"
            source = source or wire
        rows.append((aid, outlet, n, m, round(1 - m / n, 6) if n else np.nan, source, evidence))
    return pd.DataFrame(rows, columns=[S.ARTICLE_ID, S.OUTLET, "n_sentences", "n_with_counterpart",
                                       ORIGINALITY, LIKELY_SOURCE, SOURCE_EVIDENCE])


def _random_case(seed: int):
    rng = np.random.default_rng(seed)
    ids = [f"x{k:02d}" for k in range(30)]
    dates = [None if k % 7 == 0 else f"2013-05-{1 + int(rng.integers(0, 6)):02d}" for k in range(30)]
    articles = pd.DataFrame({"article_id": ids, "outlet": [f"O{k % 4}" for k in range(30)], "published": dates,
                             "wire": [None if k % 5 else "AFP" for k in range(30)]})
    sentences = pd.DataFrame({"article_id": np.repeat(ids, 3),
                              "sentence_id": [f"{a}/{j}" for a in ids for j in range(3)]})
    sentences = sentences.iloc[:-2]  # the last article has one sentence
    pick = rng.choice(len(ids), size=(80, 2))
    pick = pick[pick[:, 0] != pick[:, 1]]
    share = rng.choice([0.1, 0.25, 0.25, 0.5, 0.0, -0.0], size=(len(pick), 2))  # ties and signed zeros
    pairs = pd.DataFrame({ARTICLE_A: [ids[i] for i in pick[:, 0]], ARTICLE_B: [ids[j] for j in pick[:, 1]],
                          SHARED_SHARE_A: share[:, 0], SHARED_SHARE_B: share[:, 1]})
    al = sentences.sample(20, random_state=seed)["sentence_id"].tolist()
    alignments = pd.DataFrame({SENTENCE_A: al[:10], SENTENCE_B: al[10:]})
    return articles, sentences, pairs, alignments


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_originality_equals_choosing_per_article(seed):
    articles, sentences, pairs, alignments = _random_case(seed)
    got = originality(articles, sentences, pairs, alignments)
    want = _originality_per_article(articles, sentences, pairs, alignments)
    assert (got[LIKELY_SOURCE] != "").sum() > 5 and got[SOURCE_EVIDENCE].str.contains("published").any()
    assert got.to_csv(index=False) == want.to_csv(index=False) and got.dtypes.equals(want.dtypes)
    with_nan = pairs.assign(**{SHARED_SHARE_A: pairs[SHARED_SHARE_A].where(pairs.index % 4 != 0)})  # NaN shares
    got = originality(articles, sentences, with_nan, alignments)
    want = _originality_per_article(articles, sentences, with_nan, alignments)
    assert got.to_csv(index=False) == want.to_csv(index=False)
    undated = articles.drop(columns="published")
    assert originality(undated, sentences, pairs, alignments).equals(
        _originality_per_article(undated, sentences, pairs, alignments))


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_word_starts_read_in_chunks_equal_tokenising_each_text(monkeypatch, chunk):
    """Without shingles: the last row of a repeated id, as dict(zip(ids, texts)) gives it; each article once."""
    from analysis.reuse import passages as P
    from analysis.reuse import summary as SU

    arts = pd.DataFrame({"article_id": ["a", "b", "c", "b", "d"],
                         "text": ["one two", "x", "Él dijo: «three four»", "five six seven", ""]})
    text = dict(zip(arts["article_id"], arts["text"]))
    monkeypatch.setattr(P, "_CHUNK", chunk)
    got = dict(SU._word_starts(arts, ["d", "b", "a", "b"]))
    assert sorted(got) == ["a", "b", "d"]
    for a, starts in got.items():
        np.testing.assert_array_equal(starts, P._words(text[a])[1])
    with pytest.raises(KeyError):
        list(SU._word_starts(arts, ["zz"]))


def _pairs_by_hand(articles, passages, alignments):
    """reuse_pairs by counting each pair's words inside any of its passages, one pair at a time (reference)."""
    from analysis.reuse import passages as P
    from analysis.reuse.columns import PAIR_COLUMNS

    starts = {a: P._words(t)[1] for a, t in zip(articles["article_id"], articles["text"])}
    n_aligned = alignments.groupby([ARTICLE_A, ARTICLE_B]).size().to_dict()
    n_para = alignments[alignments["kind"] == "paraphrase"].groupby([ARTICLE_A, ARTICLE_B]).size().to_dict()
    spans = {}
    for r in passages.itertuples(index=False):
        spans.setdefault((r.article_a, r.article_b), []).append(r)
    rows = []
    for (a, b), ps in spans.items():
        wa = sum(any(p.start_a <= s < p.end_a for p in ps) for s in starts[a].tolist())
        wb = sum(any(p.start_b <= s < p.end_b for p in ps) for s in starts[b].tolist())
        na, nb = len(starts[a]), len(starts[b])
        rows.append((a, b, round(wa / na, 6), round(wb / nb, 6), len(ps), n_aligned.get((a, b), 0),
                     n_para.get((a, b), 0), wa, wb, na, nb))
    out = pd.DataFrame(rows, columns=list(PAIR_COLUMNS))
    top = out[[SHARED_SHARE_A, SHARED_SHARE_B]].max(axis=1)
    return out.assign(_top=top).sort_values(["_top", ARTICLE_A, ARTICLE_B], ascending=[False, True, True],
                                            kind="stable").drop(columns="_top").reset_index(drop=True)


def test_reuse_pairs_equal_counting_each_pair_by_hand(bundled_articles, bundled_sentences):
    from analysis import reuse as R

    passages = R.shared_passages(bundled_articles, n=4, texts=False)
    aligned = R.align_sentences(bundled_sentences, passages, threshold=0.3, texts=False)
    shuffled = passages.sample(frac=1, random_state=2)  # pairs in another order, passages of a pair apart
    for p in (passages, shuffled):
        got, want = R.reuse_pairs(bundled_articles, p, aligned), _pairs_by_hand(bundled_articles, p, aligned)
        assert len(got) >= 10 and got["n_aligned"].sum() == len(aligned) and (got["n_paraphrased"] > 0).any()
        assert got.to_csv(index=False) == want.to_csv(index=False) and got.dtypes.equals(want.dtypes)
    none = R.reuse_pairs(bundled_articles, passages.iloc[:0], aligned.iloc[:0])
    assert none.empty and none.dtypes.equals(pd.DataFrame([], columns=none.columns).dtypes)
    extra = aligned.assign(article_b="not an article")  # alignments of no pair count for none
    assert R.reuse_pairs(bundled_articles, passages, extra)["n_aligned"].eq(0).all()
