"""align_sentences' compact word occurrences and per-article prefilter, against difflib and plain sets."""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd
import pytest

from analysis.reuse import align as A
from analysis.reuse.columns import _PREFILTER


def _random_articles(seed: int, n_articles: int = 6, vocab: int = 12):
    """Word ids of random articles (a few sentences each, short and repetitive, some empty)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 6, n_articles)
    sentences = [rng.integers(0, vocab, rng.integers(0, 9)).tolist() for _ in range(int(lengths.sum()))]
    return lengths.tolist(), sentences


@pytest.mark.parametrize("block", [1, 3, 10**9])
@pytest.mark.parametrize("seed", range(5))
def test_occurrences_give_back_the_words_and_count_distinct_ones(seed, block):
    _, sentences = _random_articles(seed)
    wid = np.array([w for s in sentences for w in s], dtype=np.int32)
    counts = np.array([len(s) for s in sentences], dtype=np.int64)
    occ = A._Occurrences(wid, counts, block=block)
    assert [occ.words(k) for k in range(len(sentences))] == [tuple(s) for s in sentences]
    np.testing.assert_array_equal(occ.sizes, [len(set(s)) for s in sentences])
    np.testing.assert_array_equal(occ.n_tokens, counts)
    for k, s in enumerate(sentences):  # a column stands for one (word, k-th repeat): the same in every sentence
        cols = occ.occ[occ.bounds[k]:occ.bounds[k + 1]].tolist()
        seen: dict[int, int] = {}
        for w, c in zip(s, cols):
            assert (c < occ.n_words) == (w not in seen)
            seen[w] = seen.get(w, 0) + 1
    pairs = {}
    for s, k in zip(sentences, range(len(sentences))):
        nth: dict[int, int] = {}
        for w, c in zip(s, occ.occ[occ.bounds[k]:occ.bounds[k + 1]].tolist()):
            pairs.setdefault((w, nth.get(w, 0)), set()).add(c)
            nth[w] = nth.get(w, 0) + 1
    assert all(len(c) == 1 for c in pairs.values())
    assert len({next(iter(c)) for c in pairs.values()}) == len(pairs)
    assert (occ._lut == -1).all()
    keys = [occ.key(k) for k in range(len(sentences))]  # the ratio cache's key: equal exactly when the words are
    for x in range(len(sentences)):
        for y in range(len(sentences)):
            assert (keys[x] == keys[y]) == (sentences[x] == sentences[y])


def _prefilter_by_difflib(sa, sb, threshold):
    """The pairs the prefilter keeps, from difflib's own bounds and Python sets (reference)."""
    out = []
    for i, x in enumerate(sa):
        for j, y in enumerate(sb):
            inter = len(set(x) & set(y))
            if not inter:
                continue
            m = difflib.SequenceMatcher(None, x, y, autojunk=False)
            if inter / len(set(x) | set(y)) >= _PREFILTER and m.real_quick_ratio() >= threshold \
                    and m.quick_ratio() >= threshold:
                out.append((i, j))
    return out


@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("seed", range(4))
def test_candidates_are_the_pairs_difflib_bounds_keep(monkeypatch, seed, threshold):
    lengths, sentences = _random_articles(seed, n_articles=9, vocab=8)
    starts = np.r_[0, np.cumsum(lengths)][:-1]
    lengths = np.array(lengths, dtype=np.int64)
    wid = np.array([w for s in sentences for w in s], dtype=np.int32)
    n = len(lengths)
    pairs = [(a, b) for a in range(n) for b in range(n) if b != a] + [(0, 3), (0, 5), (2, 1)]  # runs of a, twice
    pair_a, pair_b = (np.array(c, dtype=np.int64) for c in zip(*pairs))
    want = []
    for k, (a, b) in enumerate(pairs):
        sa, sb = sentences[starts[a]:starts[a] + lengths[a]], sentences[starts[b]:starts[b] + lengths[b]]
        want.extend((k, i, j) for i, j in _prefilter_by_difflib(sa, sb, threshold))
    for frequent in (0, 3, 16):  # no column, some, or every one counted by bit masks
        monkeypatch.setattr(A, "_FREQUENT", frequent)
        occ = A._Occurrences(wid.copy(), np.array([len(s) for s in sentences], dtype=np.int64), block=4)
        for budget in (1, 30, 10**9):  # a run per batch, several runs, all at once
            got = []
            for lo, hi in A._batches(lengths, pair_a, pair_b, budget):
                kk, ii, jj = A._candidates(occ, starts, lengths, pair_a[lo:hi], pair_b[lo:hi], threshold)
                got.extend(zip((kk + lo).tolist(), ii.tolist(), jj.tolist()))
            assert got == want, (frequent, budget)
            assert (occ._lut == -1).all()


def test_batches_are_whole_runs_within_the_budget():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 9, 30)
    pair_a = np.sort(rng.integers(0, 30, 200))
    pair_b = rng.integers(0, 30, 200)
    work = lengths[pair_a] * lengths[pair_b]
    for budget in (1, 50, 400, 10**9):
        cuts = A._batches(lengths, pair_a, pair_b, budget)
        assert cuts[0][0] == 0 and cuts[-1][1] == len(pair_a)
        assert all(hi == lo2 for (_, hi), (lo2, _) in zip(cuts[:-1], cuts[1:]))
        for lo, hi in cuts:
            assert lo == 0 or pair_a[lo] != pair_a[lo - 1]  # whole runs
            assert work[lo:hi].sum() <= budget or len(set(pair_a[lo:hi].tolist())) == 1
    assert A._batches(lengths, pair_a[:0], pair_b[:0]) == []


def test_align_sentences_on_random_wire_copy_matches_pairwise_difflib():
    rng = np.random.default_rng(7)
    words = "the minister said oil prices would rise again after talks in vienna on friday".split()
    rows = []
    for art in range(8):
        for k in range(5):
            n = int(rng.integers(3, 10))
            rows.append((f"s{art}/{k}", f"s{art}", " ".join(rng.choice(words[:n + 3], n).tolist()) + "."))
    sents = pd.DataFrame(rows, columns=["sentence_id", "article_id", "sentence_text"])
    pairs = pd.DataFrame([(f"s{a}", f"s{b}") for a in range(8) for b in range(a + 1, 8)],
                         columns=["article_a", "article_b"])
    got = A.align_sentences(sents, pairs, threshold=0.5)
    # reference: every sentence pair of every article pair through difflib, greedy one-to-one
    fold = {r[0]: A._WORD_RE.findall(A.fold_for_matching(r[2])) for r in rows}
    by_art = sents.groupby("article_id")["sentence_id"].apply(list).to_dict()
    want = []
    for a, b in pairs.itertuples(index=False):
        scored = sorted((-difflib.SequenceMatcher(None, fold[x], fold[y], autojunk=False).ratio(), i, j)
                        for i, x in enumerate(by_art[a]) for j, y in enumerate(by_art[b]))
        used_a, used_b, out = set(), set(), []
        for neg, i, j in scored:
            if -neg >= 0.5 and i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                out.append((a, b, by_art[a][i], by_art[b][j], round(-neg, 6)))
        want.extend(sorted(out, key=lambda r: r[2:4]))
    assert [tuple(r) for r in got[["article_a", "article_b", "sentence_a", "sentence_b", "similarity"]]
            .itertuples(index=False)] == want


@pytest.mark.parametrize("mark", [None, "oil"])  # "oil": a marker folded text has, so each text is read alone
@pytest.mark.parametrize("block", [1, 3, 20_000])
def test_word_ids_number_words_in_order_of_first_appearance(monkeypatch, block, mark):
    rng = np.random.default_rng(block)
    words = ["Oil", "oil", "Díaz-Canel", "diaz-canel", "talks", "O'Neil", "7,500", "the", "ß", "Q", "q", "-", "’",
             "x-", "'y", "Q.", "İ"]
    texts = pd.Series([" ".join(rng.choice(words, int(rng.integers(0, 8))).tolist()) + "." for _ in range(40)]
                      + ["", "Q", "x-", "’y", "oil"])
    monkeypatch.setattr(A, "_BLOCK", block)
    if mark is not None:
        monkeypatch.setattr(A, "_MARK", mark)
    wid, counts = A._word_ids(texts)
    # reference: every text's folded words, numbered by a dict in order of first appearance
    vocab, expected = {}, []
    for text in texts:
        toks = A._WORD_RE.findall(A.fold_for_matching(text))
        expected.extend(vocab.setdefault(w, len(vocab)) for w in toks)
    assert wid.dtype == np.int32 and wid.tolist() == expected
    assert counts.tolist() == [len(A._WORD_RE.findall(A.fold_for_matching(t))) for t in texts]


@pytest.mark.parametrize("seed", range(3))
def test_occurrences_of_word_id_blocks_equal_those_of_one_array(seed):
    _, sentences = _random_articles(seed)
    wid = np.array([w for s in sentences for w in s], dtype=np.int32)
    counts = np.array([len(s) for s in sentences], dtype=np.int64)
    parts = np.split(wid, [3, 3, 10])
    whole, blocks = A._Occurrences(wid.copy(), counts, block=5), A._Occurrences(parts, counts, block=5)
    assert parts == []  # each block dropped once copied
    for name in ("occ", "base", "sizes", "bounds"):
        np.testing.assert_array_equal(getattr(blocks, name), getattr(whole, name))


def test_word_ids_read_the_rows_asked_for_in_blocks(monkeypatch):
    texts = pd.Series(["Oil talks.", "", "Talks on oil resume", "x y z", "oil"])
    rows = np.array([4, 2, 0, 3])
    monkeypatch.setattr(A, "_BLOCK", 3)
    want, want_counts = A._word_ids(texts.iloc[rows].reset_index(drop=True))
    blocks, counts = A._word_ids(texts, rows, blocks=True)
    assert [len(b) for b in blocks] == [0, 7, 3]  # the leading empty block, then each block of 3 texts' words
    np.testing.assert_array_equal(np.concatenate(blocks), want)
    np.testing.assert_array_equal(counts, want_counts)


@pytest.mark.parametrize("mult", [None, 0, 1])  # 0 and 1: a weak hash, so that sentences collide
@pytest.mark.parametrize("block", [1, 4, 10**9])
@pytest.mark.parametrize("seed", range(4))
def test_sequence_ids_are_equal_exactly_when_the_words_are(monkeypatch, seed, block, mult):
    if mult is not None:
        monkeypatch.setattr(A, "_HASH_MULT", np.uint64(mult))
    _, sentences = _random_articles(seed, n_articles=12, vocab=4)
    sentences += sentences[:5] + [[], [3, 2], [2, 3]]  # repeats, an empty sentence, a permutation
    occ = np.array([w for s in sentences for w in s], dtype=np.int32)
    bounds = np.r_[0, np.cumsum([len(s) for s in sentences])]
    sid = A._sequence_ids(occ, bounds, block)
    assert sid.dtype == np.int32 and sorted(set(sid.tolist())) == list(range(len({tuple(s) for s in sentences})))
    for x in range(len(sentences)):
        for y in range(len(sentences)):
            assert (sid[x] == sid[y]) == (sentences[x] == sentences[y]), (x, y)


def test_alignment_table_made_in_blocks_is_the_table_made_at_once(monkeypatch):
    rng = np.random.default_rng(3)
    words = "the minister said oil prices would rise again after talks in vienna on friday".split()
    rows = [(f"s{art}/{k}", f"s{art}", " ".join(rng.choice(words, int(rng.integers(3, 9))).tolist()) + ".")
            for art in range(8) for k in range(4)]
    rows += [(f"s8/{k}", "s8", rows[k][2]) for k in range(4)]  # a copy of s0: identical sentences
    sents = pd.DataFrame(rows, columns=["sentence_id", "article_id", "sentence_text"])
    pairs = pd.DataFrame([(f"s{a}", f"s{b}") for a in range(9) for b in range(a + 1, 9)] * 2,
                         columns=["article_a", "article_b"])
    whole = A.align_sentences(sents, pairs, threshold=0.3)
    monkeypatch.setattr(A, "_ROWS", 3)
    blocks = A.align_sentences(sents, pairs, threshold=0.3)
    assert len(whole) > 10 and {"identical", "paraphrase"} <= set(whole["kind"])
    pd.testing.assert_frame_equal(blocks, whole)
    assert str(blocks["text_a"].dtype) == "str"
    assert all(blocks[c].array.__arrow_array__().num_chunks == 1 for c in ("article_a", "text_a", "diff"))
    none = A.align_sentences(sents, pairs.iloc[:0], threshold=0.3)
    assert list(none.columns) == list(A.ALIGN_COLUMNS) and none.empty


@pytest.mark.parametrize("rows", [1, 4, 10**6])
def test_alignments_without_texts_then_with_them_are_the_whole_table(bundled_sentences, monkeypatch, rows):
    from analysis import reuse as R
    from analysis.errors import SchemaError

    passages = pd.DataFrame({"article_a": bundled_sentences["article_id"].unique()[:-1],
                             "article_b": bundled_sentences["article_id"].unique()[1:]})
    whole = R.align_sentences(bundled_sentences, passages, threshold=0.3)
    monkeypatch.setattr(A, "_ROWS", 5)
    lean = R.align_sentences(bundled_sentences, passages, threshold=0.3, texts=False)
    assert list(lean.columns) == [c for c in R.ALIGN_COLUMNS if c not in ("text_a", "text_b")] and len(whole) > 10
    pd.testing.assert_frame_equal(lean, whole[lean.columns])
    pd.testing.assert_frame_equal(R.alignment_texts(bundled_sentences, lean), whole)
    parts = list(R.alignment_parts(bundled_sentences, lean, rows=rows))
    assert len(parts) == -(-len(whole) // rows)
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)
    picked = lean.sample(frac=0.5, random_state=1)
    pd.testing.assert_frame_equal(R.alignment_texts(bundled_sentences, picked), whole.loc[picked.index])
    as_objects = bundled_sentences.astype(object)  # texts and ids as Python strings: the same columns
    pd.testing.assert_frame_equal(R.alignment_texts(as_objects, lean), whole)
    assert str(bundled_sentences["sentence_text"].dtype) == "str"  # (the Arrow path above)
    empty = R.align_sentences(bundled_sentences, passages.iloc[:0])
    (only,) = R.alignment_parts(bundled_sentences, R.align_sentences(bundled_sentences, passages.iloc[:0], texts=False))
    pd.testing.assert_frame_equal(only, empty)
    with pytest.raises(SchemaError, match="not in the sentences"):
        R.alignment_texts(bundled_sentences[bundled_sentences["article_id"] != lean["article_a"].iloc[0]], lean)


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "object"])
def test_take_equals_iloc_without_joining_the_chunks(dtype):
    import pyarrow as pa

    from analysis.partition import take_rows

    words = ["oil", "", "Díaz-Canel", "talks", "ß", "x" * 40]
    chunked = pa.chunked_array([pa.array(words[:2]), pa.array([], type=pa.string()), pa.array(words[2:5]),
                                pa.array(words[5:])])
    column = pd.Series(words, dtype=dtype, name="t") if dtype == "object" else pd.Series(
        pd.array(chunked, dtype=dtype), name="t")
    rng = np.random.default_rng(0)
    for rows in ([], [3], [0, 1, 2, 3, 4, 5], [5, 0, 5, 2, 1], rng.integers(0, 6, 50).tolist()):
        got = take_rows(column, np.array(rows, dtype=np.int64))
        pd.testing.assert_series_equal(got, column.iloc[rows].reset_index(drop=True))


def test_folded_words_are_each_word_folded():
    rng = np.random.default_rng(5)
    pieces = ["Oil,", "“Díaz”", "`quoted'", "İstanbul", "O'NEIL.", "7,500", "—", "x\x1fy", "ß", "Straße!", "\u00a0",
              "a\tb", "Q", "e\u0301"]
    for _ in range(200):
        text = " ".join(rng.choice(pieces, int(rng.integers(0, 7))).tolist())
        for t in (text, text.encode("ascii", "ignore").decode()):  # with and without non-ASCII characters
            words = t.split()
            assert A._folded_words(t, words) == [A.fold_for_matching(w).lower().strip(A._STRIP) for w in words]
