"""Tests for analysis.actors: positions, prominence, associated words, with and without aliases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import actors as A
from analysis import entities as E
from analysis.actors import fold as F
from analysis.errors import ParameterError
from analysis.sentences import split_sentences


def _articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a", "b"], "outlet": ["X", "Y"], "headline": ["Díaz-Canel rejects talks", None],
        "text": ["Cuba said no. Marco Rubio warned Havana.\n\nDiaz-Canel replied. Rubio spoke again.",
                 "Marco Rubio warned Cuba.\n\nMiguel Díaz-Canel answered."]})


ALIASES = pd.DataFrame({"entity": ["Miguel Díaz-Canel", "Miguel Díaz-Canel", "Marco Rubio", "Marco Rubio"],
                        "type": "person", "kind": ["name", "surname", "name", "surname"],
                        "alias": ["Miguel Díaz-Canel", "Díaz-Canel", "Marco Rubio", "Rubio"]})


@pytest.mark.parametrize(("aliases",), [(ALIASES,), (None,)])
def test_positions_and_prominence_by_hand(aliases):
    a = _articles()
    m = A.actor_mentions(split_sentences(a), a, aliases=aliases)
    got = m[["article_id", "actor", "position"]].values.tolist()
    names = {x for x in m.actor}
    dc = next(x for x in names if x.startswith("Miguel"))
    assert got == [["a", dc, "headline"], ["a", "Marco Rubio", "first_paragraph"], ["a", dc, "later"],
                   ["a", "Marco Rubio", "later"], ["b", "Marco Rubio", "lead"], ["b", dc, "later"]]
    p = A.actor_prominence(m, a).set_index(["outlet", "actor"])
    # X: Rubio 2 body mentions, Díaz-Canel 1 (the headline is not body text) -> shares 2/3, 1/3
    assert p.loc[("X", "Marco Rubio"), "mentions"] == 2
    assert p.loc[("X", "Marco Rubio"), "share"] == pytest.approx(2 / 3)
    assert p.loc[("X", dc), "first_position"] == "headline" and p.loc[("X", dc), "in_headline"] == 1
    assert p.loc[("Y", "Marco Rubio"), "first_position"] == "lead"
    assert list(A.actor_prominence(m, a).columns[:5]) == ["outlet", "actor", "mentions", "share", "first_position"]


def test_name_variants_are_merged_without_an_alias_file():
    a = _articles()
    m = A.actor_mentions(split_sentences(a), a)
    assert m[m.surface.isin(["Díaz-Canel", "Diaz-Canel", "Miguel Díaz-Canel"])].actor.nunique() == 1


def test_first_position_is_the_median_over_articles():
    m = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": "X", "actor": "T",
                      "position": ["headline", "later", "later"]})
    arts = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "outlet": "X"})
    row = A.actor_prominence(m, arts).iloc[0]
    assert row.first_position == "later" and row.articles_mentioning == 3 and row.articles == 4
    with pytest.raises(ParameterError, match="position values"):
        A.actor_prominence(m.assign(position="top"), arts)


def test_actor_words_by_hand():
    s = pd.DataFrame({"sentence_id": ["a/0", "a/1", "a/2", "a/3"], "article_id": "a", "outlet": "X",
                      "start": [0, 40, 80, 120],
                      "sentence_text": ["Rubio praised sanctions loudly.", "Rubio praised sanctions again.",
                                        "Havana rejected sanctions.", "Rain fell."]})
    m = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "outlet": "X", "actor": "Rubio", "start": [0, 40],
                      "end": [5, 45], "position": ["lead", "later"]})
    w = A.actor_words(m, s)
    # in: praised 2, sanctions 2, loudly 1 (5 tokens: "Rubio" is the mention, "again" a stopword);
    # out: havana, rejected, sanctions, rain, fell (5 tokens). log2((2 + .5) / (5 + 1) / ((0 + .5) / (5 + 1)))
    assert w[["term", "count", "other"]].values.tolist() == [["praised", 2, 0], ["sanctions", 2, 1]]
    import math
    assert w.log_ratio.iloc[0] == pytest.approx(math.log2((2.5 / 6) / (0.5 / 6)))


def test_bundled_actors_with_the_shipped_alias_file(bundled_articles, bundled_sentences):
    m = A.actor_mentions(bundled_sentences, bundled_articles, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    p = A.actor_prominence(m, bundled_articles)
    top = p.sort_values("mentions", ascending=False).groupby("outlet").head(1)
    assert set(top.actor) == {"Donald Trump"}  # Trump is the most named actor in every article
    assert p.groupby("outlet").share.sum().round(9).eq(1).all()
    text = bundled_articles.set_index("article_id")
    body = m[m.position != "headline"]
    assert all(text.text[a][s:e] == sur for a, s, e, sur in zip(body.article_id, body.start, body.end, body.surface))


def test_headlines_are_searched_not_mined_for_names():
    a = pd.DataFrame({"article_id": ["a"], "outlet": ["X"],
                      "headline": ["Brett Kavanaugh Sworn In As Newest Supreme Court Justice"],
                      "text": ["Judge Brett Kavanaugh took the oath. Kavanaugh thanked Senator Susan Collins."]})
    m = A.actor_mentions(split_sentences(a), a)
    assert set(m.actor) == {"Brett Kavanaugh", "Susan Collins"}
    assert m.loc[m.position == "headline", "surface"].tolist() == ["Brett Kavanaugh"]


def test_trump_and_donald_trump_are_one_actor():
    a = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"], "headline": [None, None],
                      "text": ["President Donald Trump spoke. Trump left.", "Trump said no. Donald Trump smiled."]})
    m = A.actor_mentions(split_sentences(a), a)
    assert m.actor.unique().tolist() == ["Donald Trump"] and len(m) == 4


def test_actor_words_matches_a_per_actor_count():
    # an independent per-outlet, per-actor count (the former implementation) on a small corpus
    import math

    from analysis.tokens import IS_STOPWORD, TOKEN_KIND, tokenize

    a = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "X"], "headline": [None, None],
                      "text": ["Marco Rubio praised the sanctions. Rubio praised Havana again. Havana rejected "
                               "the sanctions. Miguel Díaz-Canel rejected Rubio.",
                               "Rubio praised sanctions. Díaz-Canel rejected sanctions and rejected talks."]})
    s = split_sentences(a)
    m = A.actor_mentions(s, a)
    got = A.actor_words(m, s, min_count=1, top=50)
    toks = tokenize(s)
    spans = list(zip(m.sentence_id, m.start, m.end, strict=True))
    keep = [not st and k == "word" and not any(sid == t_sid and a0 <= t0 and t1 <= b0 for t_sid, a0, b0 in spans)
            for sid, t0, t1, st, k in zip(toks.sentence_id, toks.start, toks.end, toks[IS_STOPWORD],
                                          toks[TOKEN_KIND], strict=True)]
    toks = toks[keep]
    for (outlet, actor), part in got.groupby(["outlet", "actor"]):
        sids = set(m.loc[(m.actor == actor) & (m.outlet == outlet), "sentence_id"])
        inn = toks[toks.sentence_id.isin(sids)]
        out = toks[~toks.sentence_id.isin(sids)]
        for term, c, o, lr in zip(part.term, part["count"], part.other, part.log_ratio, strict=True):
            assert c == (inn.term == term).sum() and o == (out.term == term).sum()
            assert lr == pytest.approx(math.log2(((c + 0.5) / (len(inn) + 1)) / ((o + 0.5) / (len(out) + 1))))
    assert set(got.actor) == {"Marco Rubio", "Miguel Díaz-Canel"}


def test_word_counts_of_two_halves_added_up_give_the_words_of_the_whole(bundled_articles, bundled_sentences):
    m = A.actor_mentions(bundled_sentences, bundled_articles, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    first = bundled_articles["article_id"].iloc[:2]
    halves = [A.actor_word_counts(m[m.article_id.isin(first) == side],
                                  bundled_sentences[bundled_sentences.article_id.isin(first) == side])
              for side in (True, False)]
    added = A.add_word_counts(pd.concat(halves, ignore_index=True))
    whole = A.actor_word_counts(m, bundled_sentences)
    pd.testing.assert_frame_equal(added, whole)
    assert added["count"].sum() == sum(h["count"].sum() for h in halves)
    pd.testing.assert_frame_equal(A.words_by_actor(added, min_count=1, top=5),
                                  A.actor_words(m, bundled_sentences, min_count=1, top=5))


def test_folded_actor_words_equal_the_per_article_path(bundled_articles, bundled_sentences, monkeypatch):
    from analysis import partition

    m = A.actor_mentions(bundled_sentences, bundled_articles)  # names proposed from the text: many actors
    for top, min_count in ((8, 2), (3, 1)):
        expected = A.words_by_actor(partition.per_article(A.actor_word_counts, m, bundled_sentences,
                                                          chunk_articles=2), top=top, min_count=min_count)
        assert len(expected) > 20
        for chunk, block in ((1, 1), (1, 7), (2, F._BLOCK), (1000, F._BLOCK)):
            monkeypatch.setattr(F, "_BLOCK", block)  # old keys moved 1 or 7 at a time: many blocks per merge
            got = A.actor_words_folded(m, bundled_sentences, top=top, min_count=min_count, chunk_articles=chunk)
            pd.testing.assert_frame_equal(got, expected)
            assert got.to_csv(index=False) == expected.to_csv(index=False)


def test_folded_actor_words_by_hand_and_edge_cases():
    # X: a (Trump, tariffs tariffs), b (Trump, tariffs cuba); counts by hand: Trump/tariffs 3 in Trump's
    # sentences, 0 elsewhere; cuba 1 (below min_count 2)
    s = pd.DataFrame({"sentence_id": ["a/0", "a/1", "b/0"], "article_id": ["a", "a", "b"], "outlet": ["X"] * 3,
                      "start": [0, 40, 0], "sentence_text": ["Trump threatened tariffs, tariffs.",
                                                             "Havana answered calmly.", "Trump named tariffs, Cuba."]})
    m = pd.DataFrame({"sentence_id": ["a/0", "b/0"], "article_id": ["a", "b"], "outlet": ["X", "X"],
                      "actor": ["Trump", "Trump"], "start": [0, 0], "end": [5, 5], "position": ["lead", "lead"]})
    got = A.actor_words_folded(m, s, chunk_articles=1)
    assert got[["actor", "term", "count", "other"]].values.tolist() == [["Trump", "tariffs", 3, 0]]
    # rates: 3 of Trump's 6 counted words (threatened, tariffs x2, named, tariffs, cuba); 0 of 3 others
    assert got["log_ratio"].iloc[0] == pytest.approx(math.log2((3.5 / 7) / (0.5 / 4)))
    pd.testing.assert_frame_equal(got, A.actor_words(m, s))
    empty = A.actor_words_folded(m.iloc[:0], s.iloc[:0])
    pd.testing.assert_frame_equal(empty, A.actor_words(m.iloc[:0], s.iloc[:0]))
    with pytest.raises(ParameterError, match="chunk_articles"):
        A.actor_words_folded(m, s, chunk_articles=0)


def test_folded_actor_words_refuse_more_codes_than_the_packed_key_holds(monkeypatch):
    s = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "start": [0],
                      "sentence_text": ["Trump threatened tariffs on Cuba."]})
    m = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "actor": ["Trump"],
                      "start": [0], "end": [5], "position": ["lead"]})
    monkeypatch.setattr(F, "_MASK", 3)  # at most 3 codes of each kind (outlets, actors, words)
    A.actor_words_folded(m, s.assign(sentence_text="Trump threatened tariffs."))  # 2 words: fits
    with pytest.raises(ParameterError, match="more than 3 distinct"):
        A.actor_words_folded(m, s.assign(sentence_text="Trump threatened tariffs on Cuba, Mexico."))


def test_fold_of_packed_keys_against_a_group_sum_on_random_chunks(monkeypatch):
    # _summed + _added_into (merge of new keys into the sorted sum) against pandas' group sum of all rows
    import numpy as np

    rng = np.random.default_rng(7)
    for trial in range(200):
        monkeypatch.setattr(F, "_BLOCK", [1, 3, 64][trial % 3])
        span, shift = int(rng.integers(1, 200)), int(rng.integers(0, 43))
        keys = [rng.integers(0, span, int(rng.integers(0, 60))) << shift for _ in range(int(rng.integers(1, 8)))]
        chunks = [(k, rng.integers(1, 9, len(k))) for k in keys]
        total = None
        for k, c in chunks:
            if len(k):
                total = F._added_into(total, *F._summed(k.astype(np.int64), c.astype(np.int64)))
        rows = pd.DataFrame({"k": np.concatenate([k for k, _ in chunks]).astype(np.int64),
                             "c": np.concatenate([c for _, c in chunks]).astype(np.int64)})
        expected = rows.groupby("k", sort=True)["c"].sum()
        if total is None:
            assert expected.empty
            continue
        assert total[0].dtype == np.int64 and total[1].dtype == np.int64
        assert total[0].tolist() == expected.index.tolist()
        assert total[1].tolist() == expected.tolist()


def _random_mentions(sentences: pd.DataFrame, rng) -> pd.DataFrame:
    """Random mention spans over `sentences`: overlapping, repeated, in headlines, of another outlet."""
    import numpy as np

    pick = rng.integers(0, len(sentences), 3 * len(sentences))
    s = sentences.iloc[pick].reset_index(drop=True)
    length = s["sentence_text"].str.len().to_numpy()
    a = s["start"].to_numpy() + (rng.random(len(s)) * length).astype(int)
    b = a + rng.integers(0, 30, len(s))
    return pd.DataFrame({
        "sentence_id": s["sentence_id"].to_numpy(), "article_id": s["article_id"].to_numpy(),
        "outlet": np.where(rng.random(len(s)) < 0.05, "elsewhere", s["outlet"].to_numpy()),
        "actor": rng.choice(["Trump", "Rubio", "Cuba", ""], len(s)),  # "" adds into the outlet rows, as before
        "start": a, "end": b, "position": rng.choice(["headline", "lead", "later"], len(s))})


def test_integer_fold_equals_the_table_fold_on_random_mentions(bundled_sentences, monkeypatch):
    # the integer path (one tokenizer across chunks, renewed; pending chunks merged together) against
    # the per-article table path of actor_word_counts, on random spans, outlets and actor names
    import numpy as np

    from analysis import partition

    rng = np.random.default_rng(3)
    for trial in range(6):
        m = _random_mentions(bundled_sentences, rng)
        expected = A.words_by_actor(partition.per_article(A.actor_word_counts, m, bundled_sentences,
                                                          chunk_articles=2), top=5, min_count=1)
        assert len(expected) > 20
        monkeypatch.setattr(F, "_PENDING_MIN", [1, 5, 1 << 18][trial % 3])  # merge per chunk, now and then, once
        monkeypatch.setattr(F, "_ENCODER_TERMS", [10, 1 << 16][trial % 2])  # a fresh tokenizer every chunk or never
        got = A.actor_words_folded(m, bundled_sentences, top=5, min_count=1, chunk_articles=int(rng.integers(1, 4)))
        assert got.to_csv(index=False) == expected.to_csv(index=False)
        pd.testing.assert_frame_equal(got, expected)


def test_chunk_keys_are_the_packed_word_counts(bundled_sentences):
    # one chunk's summed keys decode to actor_word_counts' rows (an independent path: merges of strings)
    import numpy as np

    rng = np.random.default_rng(11)
    m = _random_mentions(bundled_sentences, rng)
    codes = F._Codes()
    key, c = F._chunk_keys(codes, m, bundled_sentences)
    assert (np.diff(key) > 0).all()
    o, a, t = key >> 42, (key >> 21) & F._MASK, key & F._MASK
    got = pd.DataFrame({"outlet": codes.outlet.decode(o), "actor": codes.actor.decode(a),
                        "term": codes.decode_words(t), "count": c})
    got = got.sort_values(["outlet", "actor", "term"], ignore_index=True)
    expected = A.add_word_counts(A.actor_word_counts(m, bundled_sentences))
    assert got.astype(str).values.tolist() == expected.astype(str).values.tolist()


def test_folded_actor_words_with_repeated_sentence_ids_take_the_table_path(bundled_articles, bundled_sentences):
    from analysis import partition

    m = A.actor_mentions(bundled_sentences, bundled_articles)
    twice = pd.concat([bundled_sentences, bundled_sentences.head(3)], ignore_index=True)  # ids repeated
    expected = A.words_by_actor(partition.per_article(A.actor_word_counts, m, twice), top=4, min_count=1)
    pd.testing.assert_frame_equal(A.actor_words_folded(m, twice, top=4, min_count=1), expected)


def _many_outlets(bundled_articles) -> tuple[pd.DataFrame, pd.DataFrame]:
    """18 articles (the bundled five, renamed) in 4 outlets whose first-seen order is not their names' order,
    their sentence columns in several Arrow chunks (a concatenation, as a prepared corpus is read)."""
    outlets = ["b", "Wyoming Star", "a", "A"]
    arts = pd.concat([bundled_articles.assign(article_id=bundled_articles["article_id"] + f"-{k}",
                                              outlet=[outlets[(k + i) % 4] for i in range(len(bundled_articles))])
                      for k in range(4)], ignore_index=True).head(18)
    sentences = split_sentences(arts)
    parts = [sentences.iloc[i:i + 40] for i in range(0, len(sentences), 40)]
    sentences = pd.concat(parts, ignore_index=True)
    assert sentences["sentence_text"].array.__arrow_array__().num_chunks > 1
    return arts, sentences


def test_taken_equals_iloc_without_joining_arrow_chunks():
    import numpy as np

    from analysis.partition import take_rows

    text = pd.concat([pd.Series(["a", None, "c"]), pd.Series(["d"]), pd.Series(["e", "f"])], ignore_index=True)
    assert text.array.__arrow_array__().num_chunks == 3
    ints = pd.Series([1, 2, None, 4, 5, 6], dtype="int64[pyarrow]")
    plain = pd.Series([10, 11, 12, 13, 14, 15])
    for rows in ([], [0], [1, 2, 3], [0, 3, 5], [2, 3, 4, 5], list(range(6))):
        rows = np.array(rows, dtype=np.int64)
        for column in (text, ints, plain):
            got = take_rows(column, rows)
            pd.testing.assert_series_equal(got, column.iloc[rows].reset_index(drop=True))


def test_outlet_chunks_hold_whole_articles_outlet_by_outlet(bundled_articles):
    import numpy as np

    arts, sentences = _many_outlets(bundled_articles)
    mentions = A.actor_mentions(sentences, arts)
    mentions = pd.concat([mentions, mentions.head(2).assign(article_id="nowhere")], ignore_index=True)
    for size in (1, 2, 5, 100):
        body = (mentions["position"] != "headline").to_numpy()
        by_outlet, chunks = F._outlet_chunks([sentences, mentions], size, kept=[None, body])
        assert by_outlet
        seen = []
        for k, (s, m) in enumerate(chunks):
            assert s["article_id"].nunique() == min(size, 18 - k * size)  # whole chunks but the last
            assert set(m["article_id"]) <= set(s["article_id"]) and (m["position"] != "headline").all()
            seen.append(s.assign(chunk=k))
            for table, whole in ((s, sentences), (m, mentions[body])):  # every row of the chunk's articles, in order
                expected = whole[whole["article_id"].isin(set(s["article_id"]))].reset_index(drop=True)
                pd.testing.assert_frame_equal(table, expected)
        got = pd.concat(seen, ignore_index=True)
        assert sorted(got["sentence_id"]) == sorted(sentences["sentence_id"])
        assert not np.isin(got["article_id"], ["nowhere"]).any()
        # outlet by outlet in the order of their names (the chunks of one outlet follow the previous
        # outlet's), within an outlet the articles in the order the sentences first name them
        per = got.groupby("outlet")["chunk"].agg(["min", "max"]).sort_index()
        assert list(per.index) == sorted(per.index) and (per["max"].to_numpy()[:-1] <= per["min"].to_numpy()[1:]).all()
        articles = got.drop_duplicates("article_id").set_index("article_id")
        for _, run in sentences.drop_duplicates("article_id").groupby("outlet"):
            assert articles.loc[run["article_id"], "chunk"].is_monotonic_increasing


def test_outlet_chunks_keep_one_sum_when_an_article_names_two_outlets(bundled_articles):
    arts, sentences = _many_outlets(bundled_articles)
    mixed = sentences.copy()
    mixed.loc[1, "outlet"] = "elsewhere" if mixed.loc[0, "article_id"] == mixed.loc[1, "article_id"] else None
    assert mixed.loc[1, "outlet"] == "elsewhere"
    none = mixed["article_id"].iloc[-1]
    mixed.loc[mixed["article_id"] == none, "outlet"] = None  # an article of no outlet: not counted
    by_outlet, chunks = F._outlet_chunks([mixed], 3)
    assert not by_outlet
    got = pd.concat([s for (s,) in chunks], ignore_index=True)
    expected = mixed[mixed["article_id"] != none].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected)  # the sentences' order: one fold, as before
    m = A.actor_mentions(sentences, arts)
    for s in (sentences, mixed):
        want = A.words_by_actor(partition_counts(m, s), top=4, min_count=1)
        for chunk in (1, 4, 1000):
            got = A.actor_words_folded(m, s, top=4, min_count=1, chunk_articles=chunk)
            assert got.to_csv(index=False) == want.to_csv(index=False)
            pd.testing.assert_frame_equal(got, want)
            pd.testing.assert_frame_equal(F._words_of(F._folded_tables(m, s, None, chunk), m, s, top=4,
                                                      min_count=1), want)


def partition_counts(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    from analysis import partition

    return partition.per_article(A.actor_word_counts, mentions, sentences, chunk_articles=2)


def test_folded_actor_words_of_many_outlets_equal_the_per_article_path(bundled_articles, monkeypatch):
    # outlets summed and ranked one by one (in their names' order) give the table of all outlets at once
    import numpy as np

    arts, sentences = _many_outlets(bundled_articles)
    rng = np.random.default_rng(5)
    for trial, m in enumerate([A.actor_mentions(sentences, arts)] + [_random_mentions(sentences, rng)
                                                                     for _ in range(3)]):
        monkeypatch.setattr(F, "_PENDING_MIN", [1, 1 << 18][trial % 2])
        want = A.words_by_actor(partition_counts(m, sentences), top=3, min_count=1 + trial % 2)
        assert want["outlet"].nunique() == 4
        for chunk in (1, 3, 7, 1000):
            got = A.actor_words_folded(m, sentences, top=3, min_count=1 + trial % 2, chunk_articles=chunk)
            assert got.to_csv(index=False) == want.to_csv(index=False)
            pd.testing.assert_frame_equal(got, want)
            tables = F._words_of(F._folded_tables(m, sentences, None, chunk), m, sentences, top=3,
                                 min_count=1 + trial % 2)
            pd.testing.assert_frame_equal(tables, want)
