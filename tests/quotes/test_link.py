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
    monkeypatch.setattr(L, "_PRODUCT", 3)  # products of a few (group, sentence) pairs, a group alone
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


@pytest.mark.parametrize("threshold", [0.1, 0.25, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0, 2 / 3, 1 / 3])
def test_least_shared_is_the_least_count_whose_ratio_reaches_the_threshold(threshold):
    ns = list(range(1, 400))
    want = [next(k for k in range(n + 1) if k / n >= threshold) for n in ns]
    assert L._least_shared(threshold, ns).tolist() == want
    assert [L._least_shared(threshold, n) for n in (1, 7, 10)] == [want[0], want[6], want[9]]


def _groups_exhaustively(q: pd.DataFrame, threshold: float) -> list[list[int]]:
    """_quote_groups by its definition: each quotation (longest first) against every group's reference."""
    toks = [L._tokens(t) for t in q["quote"]]
    arts, speakers = q["article_id"].tolist(), q["speaker"].tolist()
    refs, groups = [], {}
    for i in sorted(range(len(toks)), key=lambda i: (-len(toks[i]), i)):
        for r in refs:
            if arts[r] != arts[i] and len(toks[r]) <= L.MAX_LENGTH_RATIO * len(toks[i]) \
                    and (speakers[r] == speakers[i] or L.UNATTRIBUTED in (speakers[r], speakers[i])) \
                    and L._overlap(toks[i], toks[r]) >= threshold:
                groups[r].append(i)
                break
        else:
            refs.append(i)
            groups[i] = [i]
    return [sorted(groups[r]) for r in refs if len({arts[i] for i in groups[r]}) > 1]


def _copied_quotes(seed: int, n: int = 160):
    """Quotations copied, trimmed and reworded across few articles (so same-article copies occur)."""
    rng = random.Random(seed)
    words = WORDS + ["we", "will", "not", "it", "is", "a", "to", "and"]
    bases = [[rng.choice(words) for _ in range(rng.randint(3, 14))] for _ in range(12)]
    rows = []
    for k in range(n):
        base = list(rng.choice(bases))
        if rng.random() < 0.3:
            base = base[rng.randint(0, 2):]
        if rng.random() < 0.3:
            base[rng.randrange(len(base))] = rng.choice(words)
        if rng.random() < 0.1:
            rng.shuffle(base)
        aid = f"a{rng.randint(0, 7)}"
        rows.append((aid, f"O{aid[1:]}", rng.choice(["T", "T", "R", "unattributed"]), " ".join(base), f"{aid}/q{k}"))
    return pd.DataFrame(rows, columns=["article_id", "outlet", "speaker", "quote", "quote_id"])


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.75, 1.0])
def test_quote_groups_equal_the_exhaustive_comparison(monkeypatch, seed, threshold):
    q = _copied_quotes(seed)
    want = _groups_exhaustively(q, threshold)
    assert L._quote_groups(q, threshold) == want
    monkeypatch.setattr(L, "_CHUNK", 7)  # candidate pairs 7 quotations at a time
    monkeypatch.setattr(L, "_PAIRS", 5)
    monkeypatch.setattr(L, "_MATCHERS", 3)
    monkeypatch.setattr(L, "_SIGNED", 4)
    assert L._quote_groups(q, threshold) == want
    monkeypatch.setattr(L, "_PRODUCT", 5)  # products of a few rows, or one heavier row alone
    assert L._quote_groups(q, threshold) == want
    if seed == 0 and threshold == 0.6:
        assert len(want) >= 20 and max(map(len, want)) >= 8  # the fixture does group copies


@pytest.mark.parametrize("seed", range(20))
def test_cuts_cover_the_rows_in_order_within_the_budget(seed):
    rng = random.Random(seed)
    weights = [rng.choice([0, 0, 1, 2, 5, 9, 40]) for _ in range(rng.randint(0, 60))]
    budget = rng.randint(1, 30)
    parts = L._cuts(weights, budget)
    assert [i for a, b in parts for i in range(a, b)] == list(range(len(weights)))  # every row once, in order
    for a, b in parts:
        assert b > a and (sum(weights[a:b]) <= budget or b == a + 1)  # within budget, or one heavy row
    for (a, _b), (c, _) in zip(parts, parts[1:]):
        assert sum(weights[a:c + 1]) > budget  # greedy: the next row would not have fitted


def test_paraphrase_rows_leave_out_every_quoting_article():
    # the reference's content words in a sentence of a quoting article (a) and of an article
    # no sentence table row names as quoting (c): only c is a paraphrase
    q = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "speaker": ["T", "T"],
                      "quote": ["talks resume on the island", "talks resume on the island"],
                      "quote_id": ["a/q0", "b/q0"]})
    s = pd.DataFrame({"article_id": ["a", "c", "b", "c"], "outlet": ["X", "Z", "Y", "Z"],
                      "quoted": ["none", "none", "none", "full"],
                      "sentence_text": ["Island talks resume.", "Talks resume, island says.", "talks resume island",
                                        "talks resume island"]})
    links = L.link_quotes(q, s, threshold=0.6)
    para = links[links["status"] == "paraphrased"]
    assert para[["article_id", "text"]].values.tolist() == [["c", "Talks resume, island says."]]


@pytest.mark.parametrize("dtype", ["object", "str", "string[pyarrow]"])
@pytest.mark.parametrize("missing", [False, True])
def test_taken_equals_iloc_tolist(dtype, missing):
    import numpy as np
    import pyarrow as pa

    values = [f"s{k} ü" for k in range(50)]
    if missing:
        values[7] = None
    chunks = pa.chunked_array([values[:20], values[20:35], values[35:]])
    column = pd.Series(values, dtype=dtype) if dtype == "object" else \
        pd.Series(pd.array(chunks, dtype=dtype) if dtype != "str" else pd.Series(values, dtype="str"))
    at = np.array([40, 3, 7, 7, 21, 0, 49])
    got, want = L._taken(column, at), column.iloc[at].tolist()
    assert [(type(g), repr(g)) for g in got] == [(type(w), repr(w)) for w in want]  # NaN / NA as pandas gives them
