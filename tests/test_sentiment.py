"""Tests for analysis.sentiment: exact agreement with NLTK, aggregation, intervals, audit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from nltk.sentiment.vader import SentimentIntensityAnalyzer, SentiText

from analysis import entities as E
from analysis import schema as S
from analysis import sentiment as V
from analysis.errors import AnalysisError, ParameterError, ResourceError
from analysis.resources import ensure_nltk_data
from analysis.sentiment import vader

DATA = Path(__file__).parent / "data"

# Tricky inputs for exact agreement with NLTK: each exercises one VADER rule.
TRICKY = [
    "The book was good.", "The book was not good.", "The book wasn't very good at all.",
    "The plot was good, but the characters are uncompelling.",  # "but" shifts weight
    "VADER is VERY SMART, handsome, and FUNNY!!!",  # capitals + exclamation marks
    "It was extremely good", "It was marginally good", "It was kind of good.",  # boosters
    "Great day 😀", ":) and :D", "Today sux!", "Today kinda sux! But I'll get by, lol",
    "No problems, no worries.", "He has no money and no friends",  # "no" + repeated words
    "Never good, never bad, never good.", "Good food, not good service.",  # repeats
    "At least it isn't a horrible book.", "Cuba is a “free, independent and sovereign” nation.",
    "THERE WILL BE NO MORE OIL OR MONEY GOING TO CUBA – ZERO!", "Really?!? Really!?!?",
    "'Sovereign' equality...", "#BAD hashtag", "http://example.com is fine", "", "   ", "!!!",
    "Without doubt the best", "The deal was far from terrible", "He is the bomb.",
    "Not only good but great", "Díaz-Canel: “We are ready.”", "a" * 5, "x " * 300,
]


@pytest.fixture(scope="module")
def nltk_sia():
    ensure_nltk_data()
    return SentimentIntensityAnalyzer()  # a fresh NLTK instance, independent of ours


def _nltk(sia, texts):
    return np.array([[d[k] for k in ("neg", "neu", "pos", "compound")]
                     for d in map(sia.polarity_scores, texts)]).reshape(-1, 4)


@pytest.fixture(scope="module")
def scores(bundled_sentences):
    return V.score_sentences(bundled_sentences)


# ----------------------------------------------------------- exact agreement with NLTK
def test_every_bundled_sentence_equals_nltk(bundled_sentences, scores, nltk_sia):
    expected = _nltk(nltk_sia, bundled_sentences[S.SENTENCE_TEXT])
    assert len(scores) == len(bundled_sentences) == 107
    np.testing.assert_array_equal(scores[list(V.SCORE_COLUMNS)].to_numpy(), expected)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_cases_equal_nltk(text, nltk_sia):
    np.testing.assert_array_equal(V.score_texts([text]), _nltk(nltk_sia, [text]))


def test_fast_tokens_equal_nltk_tokens(bundled_sentences):
    consts = V.analyzer().constants
    fast = vader._fast_sentitext()
    for text in [*bundled_sentences[S.SENTENCE_TEXT], *TRICKY]:
        a = SentiText(text, consts.PUNC_LIST, consts.REGEX_REMOVE_PUNCTUATION)
        b = fast(text, consts.PUNC_LIST, consts.REGEX_REMOVE_PUNCTUATION)
        assert (b.words_and_emoticons, b.is_cap_diff) == (a.words_and_emoticons, a.is_cap_diff)


def test_fallback_to_nltk_when_fast_path_disagrees(monkeypatch):
    vader._scorer.cache_clear()
    monkeypatch.setattr(vader, "_lexicon_valences", lambda sia, st: [4.0])  # a broken fast path
    try:
        assert vader._scorer(())("A good day.")[3] == 0.4404  # NLTK's own value, not the broken one
    finally:
        vader._scorer.cache_clear()


def test_duplicates_order_and_two_processes(nltk_sia):
    texts = [f"Day {i % 7} was {'good' if i % 3 else 'bad'}!" for i in range(60)]
    one = V.score_texts(texts)
    np.testing.assert_array_equal(one, _nltk(nltk_sia, texts))
    np.testing.assert_array_equal(V.score_texts(texts, workers=2), one)
    with pytest.raises(ParameterError, match="workers"):
        V.score_texts(texts, workers=0)


def test_score_sentences_columns(scores, bundled_sentences):
    assert list(scores.columns) == list(V.SENTENCE_SCORE_COLUMNS)
    assert scores[S.SENTENCE_ID].tolist() == bundled_sentences[S.SENTENCE_ID].tolist()
    assert set(scores[S.QUOTED]) <= set(S.QUOTED_VALUES)


def test_score_sentences_blocks_and_shared_columns(bundled_sentences, scores, nltk_sia, monkeypatch):
    # blocks of 10 (107 sentences: the last block short) give NLTK's scores, as one block does
    monkeypatch.setattr(vader, "SCORE_BLOCK", 10)
    blocked = V.score_sentences(bundled_sentences)
    pd.testing.assert_frame_equal(blocked, scores)
    expected = _nltk(nltk_sia, bundled_sentences[S.SENTENCE_TEXT])
    np.testing.assert_array_equal(blocked[list(V.SCORE_COLUMNS)].to_numpy(), expected)
    # a text column is the sentence table's own storage, not a copy; equal to assigning to_numpy()
    text = bundled_sentences[S.SENTENCE_TEXT]
    if isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow":
        mine, theirs = blocked[S.SENTENCE_TEXT].array._pa_array, text.array._pa_array
        assert mine.chunks[0].buffers()[-1].address == theirs.chunks[0].buffers()[-1].address
    assert blocked[S.SENTENCE_TEXT].dtype == pd.Series(text.to_numpy()).dtype
    as_objects = bundled_sentences.astype({S.SENTENCE_TEXT: object, S.QUOTED: object})
    old_way = V.score_sentences(as_objects)  # object columns: assigned as arrays, inferred as before
    for col in (S.SENTENCE_TEXT, S.QUOTED):
        assert old_way[col].dtype == pd.Series(as_objects[col].to_numpy()).dtype
        assert old_way[col].tolist() == scores[col].tolist()


def test_token_valences_rebuild_nltk_scores(bundled_sentences, nltk_sia):
    sia = V.analyzer()
    for text in [*bundled_sentences[S.SENTENCE_TEXT], *TRICKY]:
        vals = [v for _, v in V.token_valences(text)]
        assert sia.score_valence(vals, text) == nltk_sia.polarity_scores(text)


def test_token_valences_tokens_are_nltks(bundled_sentences):
    from analysis._nltk import SentiText

    sia = V.analyzer()
    for text in [*bundled_sentences[S.SENTENCE_TEXT], *TRICKY]:  # NLTK's own (slow) tokens
        words = SentiText(text, sia.constants.PUNC_LIST, sia.constants.REGEX_REMOVE_PUNCTUATION).words_and_emoticons
        assert [w for w, _ in V.token_valences(text)] == words


# ------------------------------------------------------------------------- overrides
def test_example_overrides_file():
    o = V.load_overrides(V.EXAMPLE_OVERRIDES)
    assert o == {"united": None, "party": None, "security": None, "critical": None, "no": None}
    assert V.load_overrides("") == {}


def test_overrides_change_scores_without_touching_default():
    text = "The United States and Cuba held talks."
    assert V.score_texts([text])[0, 3] == 0.4215  # "united" +1.8 in VADER's lexicon
    assert V.score_texts([text], overrides={"united": None})[0, 3] == 0.0
    assert V.score_texts([text], overrides={"talks": -2.0})[0, 3] < 0
    assert V.analyzer().lexicon["united"] == 1.8  # the shared default is unchanged


@pytest.mark.parametrize("text, error, message", [
    ("overrides: [", ResourceError, "not valid UTF-8 YAML"),
    ("words: {}", ResourceError, "top-level 'overrides:'"),
    ("overrides:\n  no: null\n", ParameterError, "quote words"),
    ("overrides:\n  good: 0\n", ParameterError, "non-zero valence"),
    ("overrides:\n  good: 9\n", ParameterError, "'good': 9"),
    ("overrides:\n  good: yes please\n", ParameterError, "'good'"),
])
def test_bad_overrides_files(tmp_path, text, error, message):
    path = tmp_path / "o.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error, match=message) as err:
        V.load_overrides(path)
    assert str(path) in str(err.value)


def test_missing_overrides_file(tmp_path):
    with pytest.raises(AnalysisError, match="not found"):
        V.load_overrides(tmp_path / "none.yaml")


def test_overrides_table():
    t = V.overrides_table({"united": None, "Blockade": -1.5}, source="x.yaml")
    assert t.word.tolist() == ["blockade", "united"] and (t.source == "x.yaml").all()
    assert np.isnan(t.loc[0, V.LEXICON_VALENCE]) and t.loc[0, V.VALENCE] == -1.5
    assert t.loc[1].tolist()[:2] == ["united", 1.8] and np.isnan(t.loc[1, V.VALENCE])
    assert V.overrides_table(None).empty


# ----------------------------------------------------------------------- aggregation
def _toy():
    # outlet A: article a1 (0.5, -0.5, 0.9), a2 (0.2); outlet B: b1 (-0.6, 0.0)
    return pd.DataFrame({
        S.ARTICLE_ID: ["a1", "a1", "a1", "a2", "b1", "b1"], S.OUTLET: list("AAAABB"),
        S.SENTENCE_ID: ["a1/0", "a1/1", "a1/2", "a2/0", "b1/0", "b1/1"],
        V.COMPOUND: [0.5, -0.5, 0.9, 0.2, -0.6, 0.0],
        S.QUOTED: ["none", "whole", "partial", "none", "whole", "none"],
        S.SENTENCE_TEXT: ["Good.", "Bad.", "Great!", "Fine.", "Awful.", "So."],
    })


def test_article_sentiment_by_hand():
    got = V.article_sentiment(_toy())
    assert got.values.tolist() == [["a1", "A", 3, 0.3, 2 / 3, 1 / 3], ["a2", "A", 1, 0.2, 1.0, 0.0],
                                   ["b1", "B", 2, -0.3, 0.0, 0.5]]


def test_outlet_sentiment_by_hand_and_reproducible():
    got = V.outlet_sentiment(_toy(), n_boot=500, seed=3)
    assert list(got.columns) == ["outlet", "n_articles", "n_sentences", "mean_compound", "ci_low",
                                 "ci_high", "share_pos", "share_neg"]
    assert got[["outlet", "n_articles", "n_sentences"]].values.tolist() == [["A", 2, 4], ["B", 1, 2]]
    assert got["mean_compound"].tolist() == [0.275, -0.3]  # (0.5-0.5+0.9+0.2)/4, (-0.6+0)/2
    assert got["share_pos"].tolist() == [0.75, 0.0] and got["share_neg"].tolist() == [0.25, 0.5]
    assert (got.ci_low <= got.mean_compound).all() and (got.mean_compound <= got.ci_high).all()
    pd.testing.assert_frame_equal(got, V.outlet_sentiment(_toy(), n_boot=500, seed=3))
    assert not got.equals(V.outlet_sentiment(_toy(), n_boot=500, seed=4))
    # B has one article: the interval comes from resampling its two sentences only
    assert got.loc[1, "ci_low"] == -0.6 and got.loc[1, "ci_high"] == 0.0


def test_outlet_differences():
    got = V.outlet_differences(_toy(), n_boot=500)
    assert got[["a", "b", "n_a", "n_b"]].values.tolist() == [["A", "B", 4, 2]]
    assert got.loc[0, "estimate"] == pytest.approx(0.575)


def test_voice_sentiment_by_hand():
    got = V.voice_sentiment(_toy(), n_boot=200)
    assert got[["outlet", "voice", "n_sentences", "mean_compound"]].values.tolist() == [
        ["A", "mixed", 1, 0.9], ["A", "narration", 2, 0.35], ["A", "quoted", 1, -0.5],
        ["B", "narration", 1, 0.0], ["B", "quoted", 1, -0.6]]
    with pytest.raises(ParameterError, match="quoted column"):
        V.voice_sentiment(_toy().assign(quoted="maybe"), n_boot=200)


def test_extreme_sentences():
    got = V.extreme_sentences(_toy(), n=2)
    assert got[["outlet", "direction", "rank", "sentence_id"]].values.tolist() == [
        ["A", "negative", 1, "a1/1"], ["A", "positive", 1, "a1/2"], ["A", "positive", 2, "a1/0"],
        ["B", "negative", 1, "b1/0"]]  # 0.0 is past neither threshold
    with pytest.raises(ParameterError):
        V.extreme_sentences(_toy(), n=0)


def test_word_contributions_audit(scores):
    got = V.word_contributions(scores, top=50)
    # VADER reads "United States" as positive: the audit table must show it
    united = got[(got.word == "united") & (got.direction == "positive")]
    assert len(united) >= 4 and (united.lexicon_valence == 1.8).all()
    one = scores[scores.outlet == scores.outlet.iloc[0]]
    total = sum(v for t in one[S.SENTENCE_TEXT] for w, v in V.token_valences(t) if w.lower() == "united")
    row = got[(got.outlet == one.outlet.iloc[0]) & (got.word == "united")]
    assert row.valence.iloc[0] == pytest.approx(total)
    assert V.word_contributions(scores, overrides={"united": None}).query("word == 'united'").empty


# --------------------------------------------------------------------------- entities
def _sents(text):
    return pd.DataFrame({S.SENTENCE_ID: ["a/0"], S.ARTICLE_ID: ["a"], S.OUTLET: ["X"],
                         S.START: [5], S.SENTENCE_TEXT: [text]})


def test_entity_scores_units():
    s = _sents("Trump called Trump's plan a great success, but Rubio feared a terrible defeat.")
    m = E.find_mentions(s, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    by_sentence = V.entity_scores(m, s)
    assert by_sentence[["entity", "n_mentions"]].values.tolist() == [["Donald Trump", 2],
                                                                     ["Marco Rubio", 1]]
    whole = V.score_texts(s[S.SENTENCE_TEXT])[0, 3]
    assert (by_sentence.compound == whole).all()  # both get the whole sentence's score
    win = V.entity_scores(m, s, unit="window", window=3)
    # one unit per mention: the mention plus three words each side, within the sentence
    assert win.unit_text.tolist() == ["Trump called Trump's plan", "Trump called Trump's plan a great",
                                      "great success, but Rubio feared a terrible"]
    assert win.loc[2, "compound"] < 0 < win.loc[1, "compound"]
    with pytest.raises(ParameterError, match="unit"):
        V.entity_scores(m, s, unit="paragraph")
    with pytest.raises(ParameterError, match="window"):
        V.entity_scores(m, s, unit="window", window=0)


def test_entity_sentiment_by_hand():
    u = pd.DataFrame({S.OUTLET: ["X"] * 4, S.ARTICLE_ID: ["a", "a", "b", "b"],
                      E.ENTITY: ["T", "T", "T", "R"], E.ENTITY_TYPE: ["person"] * 4,
                      V.N_MENTIONS: [2, 1, 1, 1], V.COMPOUND: [0.4, 0.0, -0.1, -0.5]})
    got = V.entity_sentiment(u, n_boot=200)
    assert got[["entity", "n_mentions", "n_units", "n_articles"]].values.tolist() == [
        ["R", 1, 1, 1], ["T", 4, 3, 2]]
    assert got.mean_compound.tolist() == [-0.5, 0.1]
    assert V.entity_sentiment(u.iloc[:0], n_boot=200).empty


def test_bundled_entity_sentiment(bundled_sentences, scores):
    m = E.find_mentions(bundled_sentences, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    units = V.entity_scores(m, bundled_sentences)
    got = V.entity_sentiment(units, n_boot=200)
    dc = got[got.entity == "Miguel Díaz-Canel"]
    assert dc.n_mentions.sum() == 17 and len(dc) == 4
    # each unit's score is exactly its sentence's score
    merged = units.merge(scores[[S.SENTENCE_ID, V.COMPOUND]], on=S.SENTENCE_ID)
    assert (merged.compound_x == merged.compound_y).all()


# ---------------------------------------------------------------------------- validity
def test_validity_against_human_ratings():
    """Our splitting + scoring keeps VADER's r = 0.49 (paper) on rated NYT editorial text."""
    from scipy.stats import pearsonr

    from analysis.sentences import split_sentences

    data = pd.read_csv(DATA / "nyt_editorial_snippets_sample.tsv", sep="\t", header=None,
                       names=["id", "rating", "text"], quoting=3, dtype={"id": str})
    assert len(data) == 403
    data["doc"] = data.id.str.split("_").str[0]
    arts, spans = [], []
    for doc, part in data.groupby("doc", sort=False):
        pos = 0
        for snippet in part.text:
            spans.append((doc, pos, pos + len(snippet)))
            pos += len(snippet) + 1
        arts.append((doc, "nyt", " ".join(part.text)))
    sents = split_sentences(pd.DataFrame(arts, columns=[S.ARTICLE_ID, S.OUTLET, S.TEXT]))
    sents["c"] = V.score_texts(sents[S.SENTENCE_TEXT])[:, 3]
    ours = []
    for doc, s, e in spans:
        g = sents[sents[S.ARTICLE_ID] == doc]
        overlap = (np.minimum(g[S.END], e) - np.maximum(g[S.START], s)).clip(lower=0)
        ours.append(np.average(g["c"], weights=overlap))
    r = pearsonr(data.rating, ours)[0]
    assert 0.45 <= r <= 0.53  # measured 0.485 (bootstrap 95% CI 0.39-0.57); paper 0.49


# --- issue 15: many outlets and grouped outlets ------------------------------------------------

def _scores(n_outlets=3, per=6, seed=1, effect=0.1):
    rng = np.random.default_rng(seed)
    rows = [(f"O{o}", f"O{o}-a{a}", rng.normal(effect * (o % 3), 0.3)) for o in range(n_outlets)
            for a in range(per) for _ in range(3)]
    return pd.DataFrame(rows, columns=["outlet", "article_id", "compound"])


def test_versus_rest_with_two_outlets_is_the_pairwise_difference():
    d = _scores(2)
    pair = V.outlet_differences(d, n_boot=400, pairs="all").iloc[0]
    rest = V.outlet_differences(d, n_boot=400, pairs="rest").set_index("a").loc["O0"]
    assert rest["b"] == V.REST and rest["n_b"] == pair["n_b"]
    cols = ["estimate", "ci_low", "ci_high"]
    assert rest[cols].tolist() == pytest.approx(pair[cols].tolist())


def test_versus_rest_estimate_is_the_mean_of_the_other_outlets_sentences():
    d = _scores(20)
    out = V.outlet_differences(d, n_boot=200)  # auto: 20 outlets > MAX_PAIRWISE -> one row per outlet
    assert len(out) == 20 and set(out["b"]) == {V.REST}
    row = out.set_index("a").loc["O7"]
    expected = d[d.outlet == "O7"].compound.mean() - d[d.outlet != "O7"].compound.mean()
    assert row["estimate"] == pytest.approx(expected, abs=1e-6) and row["ci_low"] <= row["estimate"] <= row["ci_high"]
    with pytest.raises(ParameterError, match="pairs: 'some'"):
        V.outlet_differences(d, pairs="some")


def test_grouped_outlets_are_the_bootstrap_clusters():
    d = _scores(6, effect=0.5)  # outlets differ far more than their articles: clustering on them matters
    grouped = d.assign(source_outlet=d.outlet, outlet=d.outlet.map(lambda o: "left" if o < "O3" else "right"))
    by_articles = V.outlet_sentiment(grouped.drop(columns="source_outlet"), n_boot=1000)
    by_outlets = V.outlet_sentiment(grouped, n_boot=1000)
    assert by_outlets["n_outlets"].tolist() == [3, 3] and by_outlets["n_articles"].tolist() == [18, 18]
    assert by_outlets["mean_compound"].tolist() == pytest.approx(by_articles["mean_compound"].tolist())
    width = lambda t: (t.ci_high - t.ci_low).to_numpy()  # noqa: E731
    assert (width(by_outlets) > width(by_articles)).all()  # three outlets per group: honest, wider


def _counting(scorer, fresh: list):
    """Return a stand-in for ``vader._scorer`` whose scorers append each text they score to `fresh`."""
    def make(key):
        score = scorer(key)
        return lambda t: fresh.append(t) or score(t)
    return make


def test_entity_scores_reads_given_sentence_scores(bundled_sentences, monkeypatch):
    from analysis.sentiment import vader

    s = bundled_sentences.assign(**{S.START: 0})
    m = E.find_mentions(s, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    example = V.load_overrides(V.EXAMPLE_OVERRIDES)
    for overrides in (None, example):
        scored = V.score_sentences(s, overrides=overrides)
        plain = V.entity_scores(m, s, overrides=overrides)
        fresh = []
        monkeypatch.setattr(vader, "_scorer", _counting(vader._scorer, fresh))
        given = V.entity_scores(m, s, overrides=overrides, scores=scored)
        monkeypatch.undo()
        assert fresh == []  # nothing went through VADER
        pd.testing.assert_frame_equal(given, plain)  # the same table as scoring the units again
        assert given.compound.nunique() > 5
    window = V.entity_scores(m, s, unit="window", window=3)  # windows are other texts: scores ignored
    pd.testing.assert_frame_equal(V.entity_scores(m, s, unit="window", window=3, scores=scored), window)
    with pytest.raises(AnalysisError, match="no row for sentence_id"):
        V.entity_scores(m, s, scores=scored.iloc[1:])
    with pytest.raises(AnalysisError, match="compound"):
        V.entity_scores(m, s, scores=scored.drop(columns="compound"))
    with pytest.raises(AnalysisError, match="repeats sentence_id"):
        V.entity_scores(m, s, scores=pd.concat([scored, scored]))


def test_score_texts_keeps_nothing_between_calls(bundled_sentences, monkeypatch):
    from analysis.sentiment import vader

    texts = bundled_sentences[S.SENTENCE_TEXT].tolist()
    V.score_texts(texts)
    fresh = []
    real = vader._scorer(())
    monkeypatch.setattr(vader, "_scorer", lambda key: lambda t: fresh.append(t) or real(t))
    again = V.score_texts([*texts, texts[0]])
    assert fresh == list(dict.fromkeys(texts))  # every distinct text scored once, none looked up
    assert again[-1].tolist() == again[0].tolist()
    assert not hasattr(vader, "_SCORED")


def test_rescore_equals_scoring_everything_again(bundled_sentences):
    example = V.load_overrides(V.EXAMPLE_OVERRIDES)
    plain = V.score_sentences(bundled_sentences)
    again = V.score_sentences(bundled_sentences, overrides=example)
    fast = V.rescore(plain, overrides=example)
    pd.testing.assert_frame_equal(fast, again)
    assert (fast["compound"] != plain["compound"]).sum() > 3  # the overrides do change some sentences
    pd.testing.assert_frame_equal(V.rescore(again, overrides=None), plain)


def test_word_audit_reads_a_seeded_sample_of_large_outlets(scores):
    full = V.word_contributions(scores, top=5, max_sentences=None)
    capped = V.word_contributions(scores, top=5, max_sentences=10)
    assert (full.groupby("outlet")["n_read"].first() > 10).any()
    assert capped.groupby("outlet")["n_read"].first().max() == 10
    pd.testing.assert_frame_equal(capped, V.word_contributions(scores, top=5, max_sentences=10))  # same sample
    small = scores.groupby("outlet").filter(lambda g: len(g) <= 10)["outlet"].unique()
    pd.testing.assert_frame_equal(full[full.outlet.isin(small)].reset_index(drop=True),
                                  capped[capped.outlet.isin(small)].reset_index(drop=True))


def test_fast_path_branches_equal_nltk(bundled_sentences, nltk_sia):
    """Texts without a lexicon word skip VADER's rules; the others run them on lexicon words only."""
    sia = V.analyzer()
    consts = sia.constants
    texts = [*bundled_sentences[S.SENTENCE_TEXT], *TRICKY, *vader._PROBES, "The panel met in Havana.",
             "(Havana) – officials met.", "Officials -- met; again...", "I a b", "very much so",
             "kind of the (meeting)", "They met BUT left", "No.", "NO WAY, but yes"]
    skipped = [t for t in texts if not vader._may_have_valence(sia.lexicon.keys(), t)]
    assert len(skipped) > 8  # the branch without VADER's rules is exercised
    np.testing.assert_array_equal(V.score_texts(texts), _nltk(nltk_sia, texts))
    fast = vader._fast_sentitext()
    for text in texts:
        st = fast(text, consts.PUNC_LIST, vader._punctuation_re())
        assert vader._lexicon_valences(sia, st) == vader._valences(sia, st)
        if text in skipped:
            assert not any(vader._valences(sia, st))
