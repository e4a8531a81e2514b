"""link_quotes' paraphrase search, read block by block, against an exhaustive comparison."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from analysis.quotes import link as L

WORDS = ["talks", "island", "embargo", "oil", "barrels", "people", "trade", "visit", "resume", "week",
         "the", "of", "Havana", "Trump", "ships", "deal", "sanctions", "port", "rum", "cigars"]


def _corpus(seed: int):
    """Quotations copied (and trimmed) across articles, and plain sentences mixing their words."""
    rng = random.Random(seed)
    quotes, sentences = [], []
    for g in range(6):
        base = rng.sample(WORDS, rng.randint(5, 9))
        for k in range(rng.randint(2, 4)):
            aid = f"a{rng.randint(0, 9)}"
            words = base[:len(base) - rng.randint(0, 1)]
            quotes.append((aid, f"O{aid[1:]}", rng.choice(["T", "T", "unattributed"]), " ".join(words),
                           f"{aid}/q{g}{k}"))
    for _ in range(60):
        aid = f"a{rng.randint(0, 9)}"
        words = rng.sample(WORDS, rng.randint(2, 10))
        sentences.append((aid, f"O{aid[1:]}", " ".join(words) + ".", rng.choice(["none", "none", "full"])))
    q = pd.DataFrame(quotes, columns=["article_id", "outlet", "speaker", "quote", "quote_id"])
    s = pd.DataFrame(sentences, columns=["article_id", "outlet", "sentence_text", "quoted"])
    return q, s


def _exhaustive(links: pd.DataFrame, sentences: pd.DataFrame, threshold: float) -> list[tuple]:
    """Every (group, plain sentence of a non-quoting article) holding `threshold` of the content words."""
    from analysis.resources import stopwords

    stop = stopwords("english")
    quoted = links[links["status"] == "quoted"]
    out = []
    for gid, members in quoted.groupby("quote_group", sort=True):
        ref = max(members["text"], key=lambda t: (len(L._tokens(t)), t))
        content = [L.fold_for_matching(w).lower() for w in L._WORD_RE.findall(ref)
                   if w[:1].islower() and L.fold_for_matching(w).lower() not in stop]
        if len(content) < L.MIN_LINK_WORDS:
            continue
        for row in sentences.itertuples(index=False):
            if row.quoted != "none" or row.article_id in set(members["article_id"]):
                continue
            held = set(L._tokens(row.sentence_text))
            share = sum(w in held for w in content) / len(content)
            if share >= threshold:
                out.append((gid, row.article_id, row.sentence_text, round(share, 6)))
    return sorted(out)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("threshold", [0.4, 0.6])
def test_paraphrases_equal_the_exhaustive_comparison_in_small_blocks(monkeypatch, seed, threshold):
    q, s = _corpus(seed)
    whole = L.link_quotes(q, s, threshold=threshold)
    monkeypatch.setattr(L, "_BLOCK", 7)  # 60 sentences in 9 blocks
    monkeypatch.setattr(L, "_CHUNK", 2)  # groups 2 at a time
    blocks = L.link_quotes(q, s, threshold=threshold)
    pd.testing.assert_frame_equal(whole, blocks)
    para = blocks[blocks["status"] == "paraphrased"]
    got = sorted(zip(para["quote_group"], para["article_id"], para["text"], para["similarity"]))
    want = _exhaustive(blocks, s, threshold)
    assert got == want
    if seed == 0 and threshold == 0.4:
        assert len(want) >= 3  # the fixture does exercise the search


def test_paraphrase_share_counts_repeated_content_words():
    # content words of the reference: talks, resume, talks, island (4); a plain sentence holding
    # "talks" and "island" holds 3 of the 4 occurrences: 0.75
    q = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "speaker": ["T", "T"],
                      "quote": ["talks resume and talks on the island", "talks resume and talks"],
                      "quote_id": ["a/q0", "b/q0"]})
    s = pd.DataFrame({"article_id": ["c", "d", "a"], "outlet": ["Z", "W", "X"], "quoted": ["none", "none", "none"],
                      "sentence_text": ["The talks on the island.", "The island.", "talks on the island"]})
    links = L.link_quotes(q, s, threshold=0.6)
    para = links[links["status"] == "paraphrased"]
    assert para[["article_id", "similarity"]].values.tolist() == [["c", 0.75]]  # d: 1/4; a quotes it
    assert math.isclose(para["similarity"].iloc[0], 3 / 4)
