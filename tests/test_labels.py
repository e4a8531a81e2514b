"""Tests for analysis.labels: concept files, label counts, sentence alignment and substitutions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import frames as F
from analysis import labels as L
from analysis.errors import ParameterError, ResourceError

SHIPPED = L.SHIPPED_DIR / "concepts.yaml"


def _sentences(texts: dict[str, str]) -> pd.DataFrame:
    """One sentence per article: {"outlet": text}."""
    return pd.DataFrame({"sentence_id": [f"{o}/0" for o in texts], "article_id": list(texts),
                         "outlet": list(texts), "start": 0, "sentence_text": list(texts.values())})


@pytest.fixture(scope="module")
def bundled_labels(bundled_articles, bundled_sentences):
    concepts = L.load_concepts(SHIPPED)
    hits = L.find_labels(bundled_sentences, concepts, articles=bundled_articles)
    return concepts, hits, L.label_table(hits, concepts, outlets=bundled_articles.outlet.unique())


def test_concept_file_list_and_mapping_forms(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("concepts:\n  gov:\n    labels: [regime, government]\n"
                    "  removal:\n    description: d\n    labels: {capture: [captur*]}\n"
                    "    exclude: [capture the flag]\n",
                    encoding="utf-8")
    c = L.load_concepts(path)
    assert c[["concept", "label", "cue", "counted"]].values.tolist() == [
        ["gov", "regime", "regime", True], ["gov", "government", "government", True],
        ["removal", "capture", "captur*", True], ["removal", L.EXCLUDED, "capture the flag", False]]


@pytest.mark.parametrize(("text", "message"), [
    ("concepts: {a: {labels: {x: [war], y: [War]}}}", "under labels 'x' and 'y'"),
    ("concepts: {a: {labels: {x: []}}}", "non-empty list"),
    ("concepts: {a: {cues: [war]}}", "expected a mapping with 'labels'"),
    ("labels: [a]", "top-level 'concepts:'"),
])
def test_bad_concept_files_raise(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResourceError, match=message):
        L.load_concepts(path)


def test_exclude_phrases_consume_their_span():
    s = _sentences({"A": "The US government and the Cuban government met; regime change next."})
    c = pd.DataFrame({"concept": "gov", "label": ["government", "regime", L.EXCLUDED, L.EXCLUDED],
                      "cue": ["government", "regime", "US government", "regime change"],
                      "counted": [True, True, False, False]})
    hits = L.find_labels(s, c)
    assert hits.surface.tolist() == ["government"] and hits.start.tolist() == [32]


def test_bundled_label_counts_match_the_articles(bundled_labels, bundled_articles, bundled_sentences):
    concepts, hits, table = bundled_labels
    assert list(table.columns[:4]) == ["concept", "outlet", "label", "count"]
    cell = table.set_index(["concept", "outlet", "label"])["count"]
    # golden cases, read in data/raw: 002 calls it an "intervention" three times; 000 "abducted"
    assert cell["maduro_removal", "unidentified-002", "intervention"] == 3
    assert cell["maduro_removal", "unidentified-000", "abduction"] == 1
    assert cell["us_pressure", "unidentified-000", "intimidation"] == 1
    assert cell["us_pressure", "Wyoming Star", "intimidation"] == 0
    # 003's "no conversations with the US government" is excluded; "Cuba's government" counts
    assert cell["cuba_government", "unidentified-003", "government"] == 2
    # every concept x label for every outlet, zeros included
    n_labels = concepts[concepts.counted].groupby("concept").label.nunique().sum()
    assert len(table) == n_labels * bundled_articles.outlet.nunique()
    # every count traces to its sentences, and each hit's offsets are valid
    traced = F.trace(hits, bundled_sentences, concept="maduro_removal", outlet="unidentified-002",
                     label="intervention")
    assert traced.hits.sum() == 3 and all("intervention]]" in m for m in traced.marked)
    text = bundled_articles.set_index("article_id").text
    assert all(text[a][s:e] == sur for a, s, e, sur in zip(hits.article_id, hits.start, hits.end, hits.surface))


def test_quoted_labels_are_counted_apart(bundled_labels):
    _, hits, table = bundled_labels
    row = table[(table.concept == "us_pressure") & (table.outlet == "unidentified-000")
                & (table.label == "intimidation")].iloc[0]
    assert row["quoted"] == 1  # Díaz-Canel's words: “hostility, intimidation, or economic coercion.”
    shares = table.dropna(subset=["share"]).groupby(["concept", "outlet"]).share.sum()
    assert shares.round(9).eq(1).all()


def test_alignment_finds_the_issue_examples(bundled_sentences):
    aligned = L.align_sentences(bundled_sentences)
    assert (aligned.outlet_a < aligned.outlet_b).all() and (aligned.similarity >= 0.3).all()
    subs = L.substitutions(aligned, bundled_sentences)
    pairs = {(a, b) for a, b in zip(subs.label_a, subs.label_b, strict=True)}
    # 000 vs Wyoming Star (001): “hostility, intimidation, or economic coercion” / “threats”,
    # and “make an agreement” / “make a deal”
    assert {("intimidation", "threats"), ("agreement", "deal")} <= {tuple(sorted(p)) for p in pairs}
    cand = L.candidate_labels(subs)
    row = cand[(cand.label_a == "agreement") & (cand.label_b == "deal")].iloc[0]
    assert "make an agreement" in row.context_a and "make a deal" in row.context_b
    assert row.outlets_a == "unidentified-000" and row.outlets_b == "Wyoming Star"


@pytest.mark.parametrize("texts", [
    ["oil oil cuba", "cuba", "the the"],  # hand values in the docstring; a row of stopwords only
    None,  # the bundled corpus's sentences
])
def test_tfidf_matches_scikit_learn(bundled_sentences, texts):
    # independent implementation: scikit-learn's TfidfVectorizer with the same analyzer
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = texts or bundled_sentences.sentence_text.tolist()
    analyzer = L._analyzer()
    ours = L.tfidf_rows(texts, analyzer)
    theirs = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit_transform(texts)
    assert ours.shape == theirs.shape
    assert np.allclose(ours.toarray(), theirs.toarray(), rtol=0, atol=1e-12)
    assert L.tfidf_rows(["the", "a"], analyzer) is None  # no term at all


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("He rejected hostility, intimidation or economic coercion today.",
     "He rejected hostility, threats and economic coercion today.", [("intimidation", "threats")]),
    ("Trump said Cuba should make an agreement with the United States soon.",
     "Trump said Cuba should make a deal with Washington soon.",
     [("agreement", "deal"), ("united states", "washington")]),
    # forms of one word and stopword swaps are not label choices
    ("Trump threatened Cuba with new tariffs on the oil trade.",
     "Trump threatens Cuba with new tariffs on an oil trade.", []),
])
def test_substitutions_parametrized(a, b, expected):
    s = _sentences({"A": a, "B": b})
    subs = L.substitutions(L.align_sentences(s, min_similarity=0.1), s)
    assert list(zip(subs.label_a, subs.label_b, strict=True)) == expected


def test_alignment_needs_two_outlets_and_valid_similarity():
    s = _sentences({"A": "One outlet only says this long enough sentence here."})
    assert L.align_sentences(s).empty
    with pytest.raises(ParameterError):
        L.align_sentences(s, min_similarity=0)


def test_resolve_corpus_file(tmp_path, tiny_corpus):
    assert L.resolve_corpus_file("auto", corpus=L.BUNDLED_CORPUS, filename="concepts.yaml") == SHIPPED
    assert L.resolve_corpus_file("auto", corpus=tiny_corpus, filename="concepts.yaml") is None
    (tiny_corpus / "concepts.yaml").write_text("concepts: {}", encoding="utf-8")
    assert L.resolve_corpus_file("auto", corpus=tiny_corpus, filename="concepts.yaml") == tiny_corpus / "concepts.yaml"
    assert L.resolve_corpus_file("", corpus=tiny_corpus, filename="concepts.yaml") is None
    with pytest.raises(ParameterError, match="does not exist"):
        L.resolve_corpus_file(str(tmp_path / "nope.yaml"), corpus=tiny_corpus, filename="concepts.yaml")


def test_empty_concepts_give_empty_tables(bundled_sentences):
    c = L.empty_concepts()
    hits = L.find_labels(bundled_sentences, c)
    assert hits.empty and list(hits.columns) == list(L.LABEL_HIT_COLUMNS)
    assert L.label_table(hits, c, outlets=["A"]).empty


def _brute_force_alignment(sentences, min_similarity=0.3):
    """Every pair compared (dense cosine), mutual best per other outlet: the old quadratic rule."""
    texts = sentences.sentence_text.tolist()
    keep = [len(L._WORD.findall(t)) >= L.MIN_WORDS for t in texts]
    sent = sentences[keep].reset_index(drop=True)
    X = L.tfidf_rows(sent.sentence_text.tolist(), L._analyzer()).toarray()
    sim = X @ X.T
    outlet = sent.outlet.to_numpy()
    sim[outlet[:, None] == outlet[None, :]] = -1
    best = {}
    for i in range(len(sent)):
        for o in set(outlet) - {outlet[i]}:
            cols = np.flatnonzero(outlet == o)
            j = cols[np.argmax(sim[i, cols])]  # first of equal maxima = lowest index
            if sim[i, j] >= min_similarity - 1e-12:
                best[i, o] = j
    pairs = {(sent.sentence_id[i], sent.sentence_id[j]) for (i, o), j in best.items()
             if best.get((j, outlet[i])) == i and outlet[i] < outlet[j]}
    return pairs


@pytest.mark.parametrize("max_df", [5, 100])
def test_indexed_alignment_against_brute_force(bundled_sentences, max_df):
    got = L.align_sentences(bundled_sentences, max_df=max_df)
    pairs = set(zip(got.sentence_a, got.sentence_b, strict=True))
    expected = _brute_force_alignment(bundled_sentences)
    if max_df >= 100:  # every term of the bundled corpus is rare at 100: the exhaustive result
        assert pairs == expected
    else:  # fewer candidates: never a pair the cosine rejects, and the clearest pairs survive
        assert (got.similarity >= 0.3).all() and len(pairs) >= 0.5 * len(expected)
    with pytest.raises(ParameterError, match="max_df"):
        L.align_sentences(bundled_sentences, max_df=1)


# --- screening and the hand-labelled development sample (tests/data/labels_dev.tsv) ---------------
@pytest.mark.parametrize(("a", "b", "reason"), [
    ("Trump told reporters on Sunday that Cuba must now make a deal.",
     "Trump said to reporters on Sunday that Cuba must now make a deal.", "reporting verb"),
    ("The senator spoke on Monday about the new tax exempt rules today.",
     "The senator spoke on Tuesday about the new tax exempt rules today.", "date or time word"),
    ("Officials said the tax exempt status of the group was revoked.",
     "Officials said the tax-exempt status of the group was revoked.", None),  # spelling: not even listed
    ("He said the National Security Agency collects phone records of millions.",
     "He said the NSA collects phone records of millions of Americans.", "abbreviation"),
    ("Lawmakers awarded the delegates through a formula based on the vote.",
     "Lawmakers awarded the delegates proportionally based on the vote.", "different kinds of word"),
])
def test_substitution_screening(a, b, reason):
    s = _sentences({"A": a, "B": b})
    subs = L.substitutions(L.align_sentences(s, min_similarity=0.1), s)
    got = set(subs.reason)
    assert (reason in got) if reason else (got <= {"spelling variant"})
    assert L.candidate_labels(subs).empty or reason is None


def test_dev_sample_precision_floors():
    # hand labels of the ranked candidates (how they were made: tests/data/README.md)
    d = pd.read_csv(Path(__file__).parent / "data" / "labels_dev.tsv", sep="\t")
    assert len(d) >= 50 and set(d.verdict) == {"right", "wrong"}
    top = d[(d.corpus == "abp-2013.jsonl") & (d["rank"] <= 20)]
    assert len(top) == 20 and (top.verdict == "right").mean() >= 0.7
    shown = d[(d.outlets >= L.MIN_FINDING_OUTLETS) & (d.pairs >= L.MIN_FINDING_PAIRS)]
    assert (shown.verdict == "right").mean() >= 0.7
    # the labels' own rules: each labelled pair passes the screen it was ranked under
    for r in d.head(10).itertuples():
        assert L._verdict(r.label_a.split(), r.label_b.split(), r.context_a.split()[1:2] or ["x"],
                          r.context_b.split()[1:2] or ["x"]) in ("", "different kinds of word")


def test_label_discovery_summary_counts_drops():
    subs = pd.DataFrame({"sentence_a": [f"a/{i}" for i in range(5)], "sentence_b": [f"b/{i}" for i in range(5)],
                         "outlet_a": ["A", "A", "C", "A", "A"], "outlet_b": ["B", "B", "D", "B", "B"],
                         "similarity": 0.8, "label_a": ["gop", "gop", "gop", "said", "gay"],
                         "label_b": ["republican"] * 3 + ["told", "same-sex"], "context_a": "x", "context_b": "y",
                         "reason": ["", "", "", "reporting verb", ""]})
    kept, dropped = L.label_discovery_summary(subs)
    assert kept[["label_a", "label_b", "outlets", "pairs"]].values.tolist() == [["gop", "republican", 4, 3]]
    d = dropped.set_index("reason")
    assert d.loc["reporting verb", "substitutions"] == 1
    assert d.loc["fewer than 3 outlets or 2 sentence pairs", "candidates"] == 1  # gay / same-sex: one pair


def test_summary_reads_a_saved_substitution_table(tmp_path):
    subs = pd.DataFrame({"sentence_a": ["a/0", "a/1", "a/2"], "sentence_b": ["b/0", "c/1", "d/2"],
                         "outlet_a": ["A", "A", "A"], "outlet_b": ["B", "C", "D"], "similarity": 0.7,
                         "label_a": ["gop"] * 3, "label_b": ["republican"] * 3, "context_a": "x", "context_b": "y",
                         "reason": ["", "", ""]})
    subs.to_csv(tmp_path / "s.csv", index=False)
    kept, _ = L.label_discovery_summary(pd.read_csv(tmp_path / "s.csv"))  # "" comes back as NaN
    assert kept[["label_a", "outlets", "pairs"]].values.tolist() == [["gop", 4, 3]]


# --- the held-out sample (tests/data/labels_test.tsv) and the summary's same-slot check -------
def test_same_slot_check_separates_statements():
    stop = __import__("analysis.resources", fromlist=["stopwords"]).stopwords("english")
    same = L._pair_subs("The rebels fired on the inspectors near Damascus, officials said.",
                        "The terrorists fired on the inspectors near Damascus, officials said.", 3, stop, 0.0)
    other = L._pair_subs("It is the right thing to do.", "It is the same sort of thing.", 3, stop, 0.0)
    assert [(s[0], s[1], s[5]) for s in same] == [("rebels", "terrorists", L.NO_SHARED_CONTEXT)]  # no left words
    same = L._pair_subs("Syria accused the rebels of firing at the team on Monday.",
                        "Syria accused the terrorists of firing at the team on Monday.", 3, stop, 0.0)
    assert [(s[0], s[1], s[4], s[5]) for s in same] == [("rebels", "terrorists", "", "")]
    assert all(s[5] == L.NO_SHARED_CONTEXT for s in other)  # only stopwords ("it is the", "thing") around the run
    # a near-identical pair needs no shared content word
    assert L._pair_subs("It is the right thing to do.", "It is the good thing to do.", 3, stop, 0.9)[0][5] == ""


def test_summary_drops_substitutions_outside_one_statement():
    s = pd.DataFrame({"sentence_id": ["a/0", "b/0", "a/1", "c/1", "d/1", "e/1", "f/1"], "article_id": list("abacdef"),
                      "outlet": list("ABACDEF"), "start": 0,
                      "sentence_text": ["Syria accused the rebels of firing at the team on Monday.",
                                        "Syria accused the terrorists of firing at the team on Monday.",
                                        "Syria accused the rebels of firing at the team on Tuesday.",
                                        "Syria accused the terrorists of firing at the team on Tuesday.",
                                        "It is the right thing to do.", "It is the same sort of thing.",
                                        "It is the same sort of thing."]})
    subs = pd.DataFrame({"sentence_a": ["a/0", "a/1", "d/1", "d/1"], "sentence_b": ["b/0", "c/1", "e/1", "e/1"],
                         "outlet_a": ["A", "A", "D", "D"], "outlet_b": ["B", "C", "E", "E"], "similarity": 0.5,
                         "label_a": ["rebels", "rebels", "right", "right"],
                         "label_b": ["terrorists", "terrorists", "sort", "sort"], "context_a": "x", "context_b": "y",
                         "reason": ""})
    subs.loc[3, ["sentence_b", "outlet_b"]] = ["f/1", "F"]  # a third outlet for right / sort
    kept, dropped = L.label_discovery_summary(subs, sentences=s, model=None)  # the rules (the filter: below)
    assert kept[["label_a", "label_b"]].values.tolist() == [["rebels", "terrorists"]]
    d = dropped.set_index("reason")
    assert d.loc[L.NO_SHARED_CONTEXT, "substitutions"] == 2 and d.loc[L.NO_SHARED_CONTEXT, "candidates"] == 1
    kept, _ = L.label_discovery_summary(subs)  # without the sentences the check is skipped
    assert len(kept) == 2


@pytest.mark.parametrize(("a", "b", "reason"), [
    (["anything"], ["something"], "function word or title"),
    (["four"], ["six"], "number"),
    (["gay"], ["gays"], "forms of one word"),
    (["guy", "goes"], ["guys"], "forms of one word"),
    (["out-of-pocket"], ["pocket"], "spelling variant"),
    (["c"], ["tax-exempt"], "abbreviation"),
    (["rebels"], ["terrorists"], ""),
    (["high-capacity"], ["large"], ""),
])
def test_new_screens(a, b, reason):
    assert L._verdict(a, b, a, b) == reason


def test_held_out_sample_precision():
    # labelled before the rules changed (tests/data/README.md); the current rules, applied to
    # each row's example sentences, keep mostly right pairs and drop mostly wrong ones
    from analysis.resources import stopwords

    t = pd.read_csv(Path(__file__).parent / "data" / "labels_test.tsv", sep="\t")
    assert len(t) >= 60 and set(t.verdict) == {"right", "wrong"}
    before = t[t.labelled == "before any rule change"]
    assert len(before) == 114 and (before.verdict == "right").sum() == 68  # the untuned figure: 0.60
    stop = stopwords("english")
    kept = []
    for r in t.itertuples():
        sim = 0.0 if pd.isna(r.similarity) else r.similarity
        hit = [x for x in L._pair_subs(r.text_a, r.text_b, L.MAX_SPAN, stop, sim)
               if {x[0], x[1]} == {r.label_a, r.label_b}]
        kept.append(bool(hit) and hit[0][4] == "" and any(x[5] == "" for x in hit))
    kept = np.array(kept)
    right = (t.verdict == "right").to_numpy()
    assert kept.sum() >= 40 and right[kept].mean() >= 0.7
    assert right[kept].mean() - right[~kept].mean() >= 0.2


# --- final-sample failure classes (tests/data/labels_final.tsv), fixed by the structure of the two sentences ---
def _summary_reason(a: str, b: str, label_a: str, common=frozenset({"committee", "oversight"})):
    stop = __import__("analysis.resources", fromlist=["stopwords"]).stopwords("english")
    hit = [s for s in L._pair_subs(a, b, L.MAX_SPAN, stop, 0.9, common) if label_a in (s[0], s[1])]
    assert hit, (a, b)
    return hit[0][4] or hit[0][5]


@pytest.mark.parametrize(("a", "b", "label_a", "reason"), [
    # two committees one senator sits on: the name goes on with a word the corpus writes in lower case
    ("Sessions, who sits on the Senate Budget Committee, opposed the bill on Monday.",
     "Sessions, who sits on the Senate Judiciary Committee, opposed the bill on Monday.", "budget",
     L.DIFFERENT_NAMES),
    # one person's two titles before the person's name: the head of the name is the person
    ("The plan was backed by Senate Minority Leader Mitch McConnell on Monday.",
     "The plan was backed by Senate Republican Leader Mitch McConnell on Monday.", "minority", ""),
    # the same first words, then different last words: two organisations
    ("The jobs figures the Labor Department published on Friday surprised economists.",
     "The jobs figures the Labor Statistics published on Friday surprised economists.", "department",
     L.DIFFERENT_NAMES),
    # two speakers of one reporting verb are two people
    ("This is a game changer for the talks, Kerry said on Monday in Geneva.",
     "This is a game changer for the talks, Obama said on Monday in Geneva.", "kerry", L.DIFFERENT_SPEAKERS),
    # a pronoun's contraction is a function word; so is "whose"
    ("I think that legislation is going to pass the House next week.",
     "I think they're going to pass the House next week.", "legislation", "function word or title"),
    # after a first word-by-word pair, a function word facing a content word ends the pairing
    ("The rule lets gun buyers to skirt background checks at shows, critics say.",
     "The rule lets gun purchasers pass federal background checks at shows, critics say.", "skirt", L.MISALIGNED),
    ("The rule lets gun buyers to skirt background checks at shows, critics say.",
     "The rule lets gun purchasers pass federal background checks at shows, critics say.", "buyers", ""),
    # common nouns are untouched by the name rules
    ("Syria accused the rebels of firing at the team on Monday.",
     "Syria accused the terrorists of firing at the team on Monday.", "rebels", ""),
])
def test_referent_and_alignment_screens(a, b, label_a, reason):
    assert _summary_reason(a, b, label_a) == reason


def test_lower_case_words_are_read_from_the_corpus():
    got = L.discovery._lower_case_words(pd.Series(["The Senate Budget Committee met.", "A committee of the house."]))
    assert {"committee", "house", "of", "the", "met"} <= got and not {"budget", "senate", "a"} & got


# --- the learned filter over stated pairs (analysis.labels.model, analysis.train_labels) -----------------

def _candidate(label_a, label_b, text_a, text_b, outlets=3, pairs=2, context=0.25):
    return pd.DataFrame({"label_a": [label_a], "label_b": [label_b], "outlets": [outlets], "pairs": [pairs],
                         "text_a": [text_a], "text_b": [text_b], "context": [context]})


def test_pair_features_by_hand():
    c = _candidate("deal", "agreement", "Trump urged Havana to make a deal before it is too late.",
                   "Trump urged Havana to make an agreement before it is too late.", outlets=4, pairs=3)
    f = L.pair_features(c).iloc[0]
    # terms: trump urged havana to make a|an deal|agreement before it is too late. Left of the run the
    # next words already differ ("a" / "an"), so no shared word is counted there (the feature as trained:
    # README says so); right: "before it is too late", 5 words, one of them ("late") not a stopword
    assert (f.left, f.left_content, f.right, f.right_content, f.both_sides_content) == (0, 0, 5, 1, 0)
    assert f.ratio == pytest.approx(2 * 10 / 24) and f.ops == 1 and f.pos == pytest.approx(6 / 12)
    assert f.log_outlets == pytest.approx(np.log(4)) and f.log_pairs == pytest.approx(np.log(3))
    assert (f.names, f.kind_noun, f["len"], f.len_diff, f.context) == (0, 1, 2, 0, 0.25)
    names = L.pair_features(_candidate("coburn", "cole", "Sen. Tom Coburn, R-Okla., said no.",
                                       "Rep. Tom Cole, R-Okla., said no."))
    assert names.iloc[0]["names"] == 2 and names.iloc[0]["kind_name"] == 1
    with pytest.raises(ParameterError, match="sentences"):
        L.pair_features(c.drop(columns="context"))


def test_context_similarity_by_hand():
    s = _sentences({"A": "Officials said the bill passed easily.", "B": "Officials said the measure passed narrowly.",
                    "C": "The bill failed."})
    # width 3, stopwords ("the") and numbers left out: bill has officials, said, passed, easily (A) and
    # failed (C): 5 context terms; measure has officials, said, passed, narrowly: 4. Terms in all: 15
    # (officials 2, said 2, the 3, bill 2, passed 2, easily, measure, narrowly, failed 1 each).
    # PPMI = log(k * 15 / (n_label * count(term)))
    bill = {"officials": np.log(15 / 10), "said": np.log(15 / 10), "passed": np.log(15 / 10),
            "easily": np.log(3), "failed": np.log(3)}
    measure = {"officials": np.log(15 / 8), "said": np.log(15 / 8), "passed": np.log(15 / 8),
               "narrowly": np.log(15 / 4)}
    want = sum(v * measure.get(w, 0) for w, v in bill.items()) / (
        np.sqrt(sum(v * v for v in bill.values())) * np.sqrt(sum(v * v for v in measure.values())))
    pair = pd.DataFrame({"label_a": ["bill", "bill"], "label_b": ["measure", "failed"]})
    got = L.context_similarity(pair, s)
    assert got.iloc[0] == pytest.approx(want) and 0.2 < want < 0.3
    assert got.iloc[1] == 0.0  # "failed" has no content word around it but "bill" (a label, not a context of bill)
    # with the example sentences, the words both share (officials, said, the, passed) are left out of both
    # vectors: bill keeps easily, failed; measure keeps narrowly: nothing in common
    ex = pair.iloc[:1].assign(text_a=s.sentence_text[0], text_b=s.sentence_text[1])
    assert L.context_similarity(ex, s).iloc[0] == 0.0
    with pytest.raises(ParameterError, match="width"):
        L.context_similarity(pair, s, width=0)


def test_score_pairs_is_the_logistic_formula_of_the_shipped_file():
    import json

    model = json.loads(L.MODEL_FILE.read_text(encoding="utf-8"))
    c = pd.concat([_candidate("deal", "agreement", "Trump urged Havana to make a deal before it is too late.",
                              "Trump urged Havana to make an agreement before it is too late.", context=0.2),
                   _candidate("coburn", "cole", "Sen. Tom Coburn, R-Okla., on the same show, was skeptical.",
                              "Rep. Tom Cole, R-Okla., on Saturday said so.", context=0.05)], ignore_index=True)
    x = L.pair_features(c).to_numpy()
    want = [1 / (1 + np.exp(-(sum((v - m) / s * w for v, m, s, w in zip(row, model["mean"], model["scale"],
                                                                          model["coef"], strict=True))
                               + model["intercept"]))) for row in x]
    assert L.score_pairs(c).tolist() == pytest.approx(want)
    assert list(model["features"]) == list(L.FEATURES) and 0 < model["threshold"] < 1
    with pytest.raises(ParameterError, match="model"):
        L.score_pairs(c, model=3)


def test_summary_states_only_pairs_the_filter_passes():
    s = _sentences({"A": "Syria accused the rebels of firing at the team on Tuesday.",
                    "B": "Syria accused the terrorists of firing at the team on Tuesday.",
                    "C": "Syria accused the terrorists of firing at the team on Tuesday."})
    subs = pd.DataFrame({"sentence_a": ["A/0", "A/0"], "sentence_b": ["B/0", "C/0"], "outlet_a": "A",
                         "outlet_b": ["B", "C"], "similarity": 0.8, "label_a": "rebels", "label_b": "terrorists",
                         "context_a": "x", "context_b": "y", "reason": ""})
    cand = L.label_discovery_summary(subs, sentences=s, model=None)[0]
    score = float(L.score_pairs(cand, sentences=s).iloc[0])
    base = dict(L.load_label_model())
    for threshold, stated in ((score - 0.01, 1), (score + 0.01, 0)):
        kept, dropped = L.label_discovery_summary(subs, sentences=s, model={**base, "threshold": threshold})
        assert len(kept) == stated
        d = dropped.set_index("reason")
        assert (L.LEARNED_FILTER in d.index) == (not stated)
        if not stated:
            assert d.loc[L.LEARNED_FILTER, "candidates"] == 1
    # the context is measured on context_sentences when given: two more sentences where both labels have
    # words around them that the example sentences do not share (those are left out): similarity > 0
    more = pd.concat([s, _sentences({"D": "The rebels shelled the airport overnight.",
                                     "E": "The terrorists shelled the airport overnight."})], ignore_index=True)
    assert float(L.context_similarity(cand, s).iloc[0]) == 0 < float(L.context_similarity(cand, more).iloc[0])
    other = float(L.score_pairs(cand, sentences=more).iloc[0])
    assert other != score
    t = (score + other) / 2
    kept = [len(L.label_discovery_summary(subs, sentences=s, model={**base, "threshold": t},
                                          context_sentences=c)[0]) for c in (None, more)]
    assert kept == ([1, 0] if score > other else [0, 1])
    # without sentences (no example texts) the filter is not applied
    assert len(L.label_discovery_summary(subs, model={**base, "threshold": 1.0})[0]) == 1


def test_threshold_needs_the_lower_bound():
    from analysis import train_labels as T

    s = np.arange(30, 0, -1) / 30
    y = np.array([1] * 11 + [0] + [1] * 3 + [0] * 15)
    # 11/11 right: lower bound 0.715 >= 0.7 at the 11th score; lower thresholds add the wrong row
    # (14/15: 0.68) and then wrong rows only
    assert T.choose_threshold(s, y) == pytest.approx(s[10])
    assert T.choose_threshold(s, y, floor=0.75) == 1.0  # never reached
    assert T.choose_threshold(s[:8], y[:8]) == 1.0  # fewer than 10 rows stated


def test_rules_replay_keeps_the_final_files_rows():
    from analysis import train_labels as T

    d = T.labelled_rows()
    final = d[d.file == "final"]
    # the same replay as tests/test_framing_final.py: 41 rows still stated, 30 of them right
    assert (int(final.still.sum()), int(final.y[final.still].sum())) == (41, 30)
    assert d[d.file == "fifth"].still.all()  # stated by the frozen rules, which are the current ones


def test_label_model_file_says_its_nested_figures():
    """The shipped file's CV figures (python -m analysis.train_labels): pinned, so a retrain shows in review.

    Leave one file out, nested (threshold chosen inside the other four files, on their fresh files' rows:
    the lowest score whose 95% lower bound reaches 0.7 with at least 10 stated), over the rows the current
    rules still state: dev 11/12, test 0/0, final 6/6, fourth 11/11, fifth 17/23; pooled 45/52 = 0.87
    (0.74-0.94), where the rules alone state 162/233 = 0.70; the two fresh files 28/34 = 0.82 (0.65-0.93).
    Grouped by slice (5 folds, nested): 20/24 = 0.83 (0.63-0.95).
    """
    from scipy.stats import binomtest

    cv = L.load_label_model()["cv"]
    lofo = {r["file"]: (r["right"], r["stated"], r["base_right"], r["still"], r["rows"])
            for r in cv["leave_one_file_out"]}
    assert lofo == {"dev": (11, 12, 26, 32, 56), "test": (0, 0, 45, 56, 123), "final": (6, 6, 30, 41, 51),
                    "fourth": (11, 11, 33, 54, 57), "fifth": (17, 23, 28, 50, 50), "pooled": (45, 52, 162, 233, 337)}
    assert binomtest(45, 52).proportion_ci(0.95, method="exact").low >= 0.7
    fresh = binomtest(11 + 17, 11 + 23).proportion_ci(0.95, method="exact")
    assert round(fresh.low, 2) == 0.65 and (11 + 17) / (11 + 23) > 28 / 50  # the fifth's rules+old filter: 28/50
    g = {r["file"]: (r["right"], r["stated"]) for r in cv["grouped_by_slice"]}
    assert g["pooled"] == (20, 24)


def test_train_labels_reproduces_the_shipped_model(tmp_path):
    pytest.importorskip("sklearn")
    from analysis import train_labels as T

    out = tmp_path / "m.json"
    T.main(["--out", str(out)])
    assert out.read_bytes() == L.MODEL_FILE.read_bytes()  # deterministic, and the shipped file is current


# --- the faster paths of the label-discovery cell (issue 15) against the ways they replaced -------------------

def _context_by_sentence(texts, pairs, width=3, exclude=None):
    """The earlier context similarity: every sentence's terms read one by one (reference for the encoded path)."""
    import math
    from collections import Counter

    from analysis.resources import stopwords
    from analysis.tokens import TOKEN_RE, normalise_term

    stop = stopwords("english")
    term_lists = [[normalise_term(w) for w in TOKEN_RE.findall(str(t))] for t in texts]
    pairs = [(tuple(str(a).split()), tuple(str(b).split())) for a, b in pairs]
    ctx = {t: Counter() for p in pairs for t in p if t}
    uni = Counter(w for terms in term_lists for w in terms)
    for terms in term_lists:
        for i in range(len(terms)):
            for t in ctx:
                if tuple(terms[i:i + len(t)]) == t:
                    ctx[t].update(c for c in terms[max(0, i - width):i] + terms[i + len(t):i + len(t) + width]
                                  if c not in stop and not c.isdigit())
    total = sum(uni.values())

    def ppmi(t):
        c = ctx.get(t)
        n = sum(c.values()) if c else 0
        return {w: v for w, k in sorted(c.items()) if (v := math.log(k * total / (n * uni[w]))) > 0} if c else {}

    out = []
    for (a, b), drop in zip(pairs, exclude or [frozenset()] * len(pairs), strict=True):
        va = {w: v for w, v in ppmi(a).items() if w not in drop}
        vb = {w: v for w, v in ppmi(b).items() if w not in drop}
        na, nb = math.sqrt(sum(v * v for v in va.values())), math.sqrt(sum(v * v for v in vb.values()))
        dot = sum(v * vb[w] for w, v in sorted(va.items()) if w in vb)
        out.append(dot / (na * nb) if na and nb else 0.0)
    return out


def test_context_similarity_equals_reading_every_sentence(bundled_sentences):
    extra = _sentences({"A": "The U.S. bill’s sponsors, Díaz-Canel's aides and 1,000 others backed the bill.",
                        "B": "The U.S. measure's sponsors and 1,000 others backed the White House measure.",
                        "C": "White House aides said the white house was quiet; bill-backers left.",
                        "D": "Aides of the administration backed the measure in 2013."})
    s = pd.concat([bundled_sentences, extra], ignore_index=True)
    pairs = pd.DataFrame({"label_a": ["bill", "white house", "us", "administration", "nowhere", "aides"],
                          "label_b": ["measure", "administration", "measure", "white house", "bill", "sponsors"]})
    got = L.context_similarity(pairs, s).tolist()
    want = _context_by_sentence(s.sentence_text, zip(pairs.label_a, pairs.label_b, strict=True))
    assert got == want  # exactly: same counts, same order of summation
    assert sum(v > 0 for v in got) >= 3 and got[4] == 0.0  # a label absent from the corpus has no context


def test_summary_same_with_and_without_the_runs_substitutions_kept():
    from analysis.labels import discovery as D

    s = _sentences({"A": "Senate Budget Committee chairman Paul Ryan said the deal would cut spending.",
                    "B": "Senate Judiciary Committee chairman Paul Ryan said the agreement would cut spending.",
                    "C": "Senate Budget Committee chairman Paul Ryan said the accord would cut spending.",
                    "D": "The committee met on Monday."})
    subs = L.substitutions(L.align_sentences(s), s)
    assert (subs.reason == "").sum() >= 2 and len(D._SLOTS) >= 1  # kept rows: their pairs' runs are kept
    screened = D._screen_context(subs, s)  # with the runs
    with_runs = L.label_discovery_summary(subs, sentences=s, model=None, min_outlets=1, min_pairs=1)
    assert not D._SLOTS  # the summary frees the runs once read
    again = L.label_discovery_summary(subs, sentences=s, model=None, min_outlets=1, min_pairs=1)  # compares again
    for x, y in zip(with_runs, again, strict=True):
        pd.testing.assert_frame_equal(x, y)
    pd.testing.assert_frame_equal(screened, D._screen_context(subs, s))
    # "Budget" / "Judiciary": modifiers of two committees ("committee" is written in lower case in D)
    assert L.DIFFERENT_NAMES in set(screened.reason)


def test_referent_parts_settle_as_the_referent_check():
    from analysis.labels import discovery as D
    from analysis.labels import screens as SC

    names, speakers = L.DIFFERENT_NAMES, L.DIFFERENT_SPEAKERS
    # (sentence a, sentence b, run a, run b, verdict without / with "committee" among the lower-case words), by hand
    cases = [("Senate Budget Committee chairman", "Senate Judiciary Committee chairman", (1, 2), (1, 2), "", names),
             ("Mr. Kerry said no.", "Obama said no.", (1, 2), (0, 1), speakers, speakers),
             ("the Labor Department report", "the Labor Statistics report", (2, 3), (2, 3), names, names),
             ("He met Tom Cole there.", "He met Tom Coburn there.", (3, 4), (3, 4), names, names),
             ("He met the Senate delegation.", "He met the House delegation.", (3, 4), (3, 4), "", "")]
    for ta, tb, a, b, without, with_common in cases:
        ka, kb = D._tokens(ta), D._tokens(tb)
        parts = SC._referent_parts(ta, ka, a, tb, kb, b)
        got = [SC._resolve_referent(parts, c) for c in (frozenset(), frozenset({"committee"}))]
        assert got == [without, with_common]
        assert SC._referent(ta, ka, a, tb, kb, b, frozenset({"committee"})) == with_common
    ta, tb = cases[0][:2]  # the word is settled later, by the corpus's lower-case words
    assert SC._referent_parts(ta, D._tokens(ta), (1, 2), tb, D._tokens(tb), (1, 2)) == ("", "committee")


def test_tfidf_vocabulary_sorted_as_python_sorts():
    texts = ["Zoë zebra apple", "Ärger apple zebra zebra", "éclair Zoë"]
    X = L.tfidf_rows(texts, str.split)
    vocab = sorted({w for t in texts for w in t.split()})
    assert X.shape == (3, len(vocab))
    # row 0 holds apple, zebra, Zoë: their columns are their ranks in sorted()
    assert sorted(X[0].indices.tolist()) == sorted(vocab.index(w) for w in ("Zoë", "zebra", "apple"))


_ODD_TEXTS = ["The U.S. bill’s sponsors — and Díaz-Canel's aides — said “no”.", "", "the a of",
              "Zoë\u00a0Ärger\tmet\nİstanbul officials; `quoted` words_with_underscores 1,000 times.",
              "İİ ß ǅ ﬁ ΣΑΣ ΌΣΟΣ   spaced   out  ", "the the oil oil cuba"]


@pytest.mark.parametrize("extra", [[], _ODD_TEXTS])
def test_alignment_terms_equal_the_analyzer(bundled_sentences, extra):
    # align_sentences numbers the terms with Arrow (one stopword test per distinct word): the same
    # matrix, bit for bit, as tfidf_rows with the analyzer called on each text
    from analysis.labels import align as A

    texts = bundled_sentences.sentence_text.tolist() + extra
    want = L.tfidf_rows(texts, L._analyzer())
    for chunk in (1, 7, A.MATCH_CHUNK):  # texts numbered chunk by chunk: the same matrix
        got = A._tfidf_codes(*A._match_terms(texts, chunk=chunk), len(texts))
        assert got.shape == want.shape and got.nnz == want.nnz > 0
        for part in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, part), getattr(want, part))
    assert A._tfidf_codes(*A._match_terms(["the", "a of"]), 2) is None and A._match_terms([])[2].size == 0


def test_substitutions_tokenise_each_sentence_once_as_pair_by_pair(bundled_sentences):
    # the call's own token table (each aligned sentence once, the equal-terms shortcut) gives the rows
    # that comparing every pair on its own gives (_pair_subs: tokens, difflib, screens)
    from analysis.labels import discovery as D
    from analysis.resources import stopwords

    s = pd.concat([bundled_sentences, _sentences({"X": bundled_sentences.sentence_text.iloc[3],  # a copy
                                                  "Y": bundled_sentences.sentence_text.iloc[3] + " ."})],
                  ignore_index=True)
    aligned = L.align_sentences(s)
    subs = L.substitutions(aligned, s)
    text = dict(zip(s.sentence_id, s.sentence_text, strict=True))
    stop = stopwords("english")
    want = [(a, b, *row[:5]) for a, b, sim in zip(aligned.sentence_a, aligned.sentence_b, aligned.similarity,
                                                   strict=True)
            for row in D._pair_subs(text[a], text[b], D.MAX_SPAN, stop, sim)]
    got = [(a, b, *rest) for a, b, _, _, _, *rest in subs.itertuples(index=False)]
    assert got == want and len(got) >= 64  # the bundled corpus alone gives 64 rows
    pairs = set(zip(aligned.sentence_a, aligned.sentence_b, strict=True))
    assert ("X/0", "Y/0") in pairs  # the copy and the copy with a full stop: aligned, equal terms, no row
    assert not ((subs.sentence_a == "X/0") & (subs.sentence_b == "Y/0")).any()
    assert D._tokens.cache_info().maxsize <= 4096  # no corpus-sized cache left behind


def test_labels_found_chunk_by_chunk_equal_one_match_of_every_sentence(bundled_articles, bundled_sentences,
                                                                       monkeypatch):
    from analysis import partition

    concepts = L.load_concepts(SHIPPED)
    whole = L.find_labels(bundled_sentences, concepts, articles=bundled_articles)
    monkeypatch.setattr(partition, "LOCAL_CHUNK", 1)  # one article per chunk
    chunked = L.find_labels(bundled_sentences, concepts, articles=bundled_articles)
    assert len(whole) > 50
    pd.testing.assert_frame_equal(chunked, whole)
    # and the same hits as matching every sentence at once (the path before chunking)
    lexicon = concepts.rename(columns={"concept": F.SCHEME, "label": F.FRAME})
    lexicon[F.FRAME] = [lab if ok else f"\x00{lab}" for lab, ok in zip(lexicon[F.FRAME], concepts["counted"],
                                                                        strict=True)]
    once = F.find_cues(bundled_sentences, lexicon=lexicon)
    once = once[~once[F.FRAME].str.startswith("\x00")]
    assert once["start"].tolist() == whole["start"].tolist()
    assert once["cue"].tolist() == whole["cue"].tolist()


def test_context_similarity_in_batches_equals_one_batch(bundled_sentences):
    from analysis.labels.model import _context_similarity

    extra = _sentences({"A": "The U.S. bill’s sponsors, Díaz-Canel's aides and 1,000 others backed the bill.",
                        "B": "The U.S. measure's sponsors and 1,000 others backed the White House measure.",
                        "C": "White House aides said the white house was quiet; bill-backers left."})
    texts = pd.concat([bundled_sentences, extra], ignore_index=True).sentence_text.tolist()
    pairs = [("bill", "measure"), ("white house", "administration"), ("us", "measure"), ("aides", "sponsors"),
             ("trump", "president")]
    whole = _context_similarity(texts, pairs, batch=len(texts))
    assert sum(v > 0 for v in whole) >= 3
    for batch in (1, 2, 7, 500):  # a label's first term first seen in a later batch, batches of one sentence
        assert _context_similarity(iter(texts), pairs, batch=batch) == whole  # exactly: the same sums
    assert _context_similarity([], pairs) == [0.0] * len(pairs)


def test_lower_case_words_in_chunks_equal_one_pass(bundled_sentences):
    import re

    texts = pd.concat([bundled_sentences.sentence_text,
                       pd.Series(["ends with a dash-", "abc starts lower", "’tis o'clock", "x-ray", "-tail"])],
                      ignore_index=True)
    one_pass = frozenset(re.findall(r"(?<![\w’'-])[a-z][a-z’'-]*", " ".join(texts.astype(str).tolist())))
    assert len(one_pass) > 100
    for chunk in (1, 2, 3, 1000, len(texts) + 1):
        assert L.discovery._lower_case_words(texts, chunk=chunk) == one_pass


def _align_by_pandas(sentences, min_similarity, close):
    """align_sentences as it was before session 27: every close pair kept, both ways, then pandas' sort,
    drop_duplicates and merge for the mutual best (the reference the per-chunk reduction must equal)."""
    from analysis.labels.align import _match_terms, _tfidf_codes

    keep = np.array([len(L._WORD.findall(t)) >= L.MIN_WORDS for t in sentences.sentence_text.tolist()])
    sent = sentences.loc[keep, ["sentence_id", "outlet", "sentence_text"]].reset_index(drop=True)
    X = _tfidf_codes(*_match_terms(sent.sentence_text.tolist()), len(sent))
    outlet = sent.outlet.to_numpy()
    parts = [pd.DataFrame({"i": np.r_[i, j], "j": np.r_[j, i], "similarity": np.r_[s, s]})
             for i, j, s in close(X, outlet, L.MAX_DF, min_similarity)]
    pairs = pd.concat(parts, ignore_index=True)
    pairs["oj"] = outlet[pairs["j"].to_numpy()]
    pairs = pairs.sort_values(["similarity", "j"], ascending=[False, True], kind="stable")
    best = pairs.drop_duplicates(["i", "oj"])
    mutual = best.merge(best[["i", "j"]].rename(columns={"i": "j", "j": "i"}), on=["i", "j"])
    mutual = mutual[outlet[mutual["i"].to_numpy()] < outlet[mutual["j"].to_numpy()]]
    ids = sent.sentence_id.to_numpy()
    out = pd.DataFrame({"sentence_a": ids[mutual["i"].to_numpy()], "sentence_b": ids[mutual["j"].to_numpy()],
                        "outlet_a": outlet[mutual["i"].to_numpy()], "outlet_b": outlet[mutual["j"].to_numpy()],
                        "similarity": mutual["similarity"].to_numpy()})
    return out.sort_values(["similarity", "sentence_a", "sentence_b"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("chunk", [3, 50, 4000])
@pytest.mark.parametrize("min_similarity", [0.05, 0.3])
def test_alignment_reduced_per_chunk_equals_pandas_path(bundled_sentences, monkeypatch, chunk, min_similarity):
    from analysis.labels import align as A

    original = A._close_pairs

    def close(*a, **k):
        return original(*a, **k, chunk=chunk)

    monkeypatch.setattr(A, "_close_pairs", close)
    # tied similarities: a sentence copied verbatim in two articles of one outlet is equally close to a third
    s = pd.concat([bundled_sentences, bundled_sentences.head(40).assign(
        sentence_id=lambda d: d.sentence_id + "-copy", article_id=lambda d: d.article_id + "-copy")],
        ignore_index=True)
    got = L.align_sentences(s, min_similarity=min_similarity)
    want = _align_by_pandas(s, min_similarity, close)
    assert len(got) > 20
    pd.testing.assert_frame_equal(got, want)
    assert got.to_csv().encode() == want.to_csv().encode()


def test_best_per_outlet_by_parts_equals_best_of_all():
    from analysis.labels.align import _best_per_outlet

    rng = np.random.default_rng(0)
    n = 3000
    i, j = rng.integers(0, 60, n), rng.integers(0, 60, n)
    ok = i != j
    key = np.unique(i[ok] * 100 + j[ok])  # distinct pairs, as the alignment gives them
    i, j = key // 100, key % 100
    sim = rng.choice([0.3, 0.5, 0.7, 0.9], len(i))  # many ties: the lowest j wins
    code = rng.integers(0, 4, 60)
    whole = _best_per_outlet(i, j, sim, code)
    ref = pd.DataFrame({"i": i, "j": j, "s": sim, "o": code[j]}).sort_values(["s", "j"], ascending=[False, True],
                                                                            kind="stable").drop_duplicates(["i", "o"])
    assert set(zip(*whole, strict=True)) == set(zip(ref.i, ref.j, ref.s, strict=True))
    cut = [0, 500, 501, 1700, len(i)]
    parts = [_best_per_outlet(i[a:b], j[a:b], sim[a:b], code) for a, b in zip(cut, cut[1:], strict=False)]
    again = _best_per_outlet(*(np.concatenate(x) for x in zip(*parts, strict=True)), code)
    for x, y in zip(whole, again, strict=True):
        np.testing.assert_array_equal(x, y)


def test_texts_of_chosen_ids_equal_the_whole_lookup_restricted(bundled_sentences):
    from analysis.labels.discovery import _texts

    s = pd.concat([bundled_sentences, bundled_sentences.head(2).assign(sentence_text=["again one", "again two"])],
                  ignore_index=True)  # two ids twice: the last text wins, as in the whole table's dict
    whole = _texts(s)
    ids = [*s.sentence_id.head(2), *s.sentence_id.sample(30, random_state=0), "no such id", s.sentence_id.iloc[5]]
    got = _texts(s, ids)
    assert got == {k: whole[k] for k in ids if k in whole}
    assert got[s.sentence_id.iloc[0]] == "again one" and _texts(s, []) == {}


@pytest.mark.parametrize("int_ids", [False, True])
def test_substitution_table_by_columns_equals_the_table_of_rows(bundled_sentences, int_ids):
    # substitutions() builds its table column by column (each pair's five values repeated by its rows);
    # the same frame, dtypes included, as one row tuple per substitution given to pandas
    from analysis.labels import discovery as D
    from analysis.resources import stopwords

    s = bundled_sentences.copy()
    if int_ids:  # ids pandas reads as integers from a list of rows: the columns must infer the same
        s["sentence_id"] = np.arange(len(s)) * 7 + 3
    aligned = L.align_sentences(s)
    text = dict(zip(s.sentence_id, s.sentence_text, strict=True))
    stop = stopwords("english")
    rows = [(a, b, oa, ob, float(sim), *row[:5])
            for a, b, oa, ob, sim in zip(*(aligned[c].tolist() for c in D.ALIGN_COLUMNS), strict=True)
            for row in D._pair_subs(text[a], text[b], D.MAX_SPAN, stop, sim)]
    want = pd.DataFrame(rows, columns=list(D.SUBSTITUTION_COLUMNS))
    got = L.substitutions(aligned, s)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) >= 64 and got.similarity.dtype == np.float64
    assert (got.sentence_a.dtype == np.int64) is int_ids
    # pairs without a row between pairs with rows; and no row at all: the empty table of rows
    none = aligned.assign(sentence_b=aligned.sentence_a)  # a sentence against itself: equal terms
    mixed = pd.concat([none.head(3), aligned.head(5), none.tail(2), aligned.tail(4)], ignore_index=True)
    rows = [(a, b, oa, ob, float(sim), *row[:5])
            for a, b, oa, ob, sim in zip(*(mixed[c].tolist() for c in D.ALIGN_COLUMNS), strict=True)
            for row in D._pair_subs(text[a], text[b], D.MAX_SPAN, stop, sim)]
    pd.testing.assert_frame_equal(L.substitutions(mixed, s), pd.DataFrame(rows, columns=list(D.SUBSTITUTION_COLUMNS)))
    pd.testing.assert_frame_equal(L.substitutions(none, s), pd.DataFrame([], columns=list(D.SUBSTITUTION_COLUMNS)))
    pd.testing.assert_frame_equal(L.substitutions(aligned.head(0), s),
                                  pd.DataFrame([], columns=list(D.SUBSTITUTION_COLUMNS)))


def _tokenize_by_match_list(text, terms=None):
    """The tokens as the matches listed first, then their words and spans read in three lists (the old way)."""
    from analysis.tokens import TOKEN_RE, normalise_term

    found = list(TOKEN_RE.finditer(text))
    return tuple((normalise_term(m[1]), m.start(1), m.end(1)) for m in found)


@pytest.mark.parametrize("with_table", [False, True])
def test_tokenize_equals_the_match_list(bundled_sentences, with_table):
    from analysis.labels import discovery as D

    texts = [*bundled_sentences.sentence_text.astype(str).tolist(), "", "   ", "U.S. a.m. Díaz-Canel’s 3,000.5 x_y",
             "Obama's son's 'quote' — it’s O'Neill's"]
    terms: dict[str, str] = {}
    for t in texts:
        got = D._tokenize(t, terms if with_table else None)
        assert got == _tokenize_by_match_list(t) and isinstance(got, tuple)


def _shared_context_of_tokens(ops, n, ka, stop, width=5):
    """discovery._shared_context as written before: the token tuples sliced."""
    before = ops[n - 1] if n > 0 and ops[n - 1][0] == "equal" else None
    after = ops[n + 1] if n + 1 < len(ops) and ops[n + 1][0] == "equal" else None
    if before is None or after is None:
        return False
    left = ka[max(before[1], before[2] - width):before[2]]
    right = ka[after[1]:min(after[2], after[1] + width)]
    return any(t[0] not in stop for t in left) and any(t[0] not in stop for t in right)


def _trim_of_tokens(toks, lo, hi, stop):
    """discovery._trim as written before: the token tuples read."""
    while lo < hi and (toks[lo][0] in stop or toks[lo][0].isdigit()):
        lo += 1
    while hi > lo and (toks[hi - 1][0] in stop or toks[hi - 1][0].isdigit()):
        hi -= 1
    return lo, hi


def _pair_rows_by_tokens(ta, tb, max_span, stop, same_statement, caption, referents=True):
    """_pair_rows as written before: terms read off the token tuples, the shared-context test for every replacement."""
    from analysis.labels import discovery as D
    from analysis.labels.screens import MISALIGNED, _referent_parts, _verdict
    from analysis.reuse.matcher import SequenceMatcher

    ka, kb = D._tokenize(ta), D._tokenize(tb)
    terms_a, terms_b = [t[0] for t in ka], [t[0] for t in kb]
    if terms_a == terms_b:
        return []
    ops = SequenceMatcher(None, terms_a, terms_b, autojunk=False).get_opcodes()
    out = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace":
            continue
        edge = "" if (i1 > 0 and j1 > 0 and i2 < len(ka) and j2 < len(kb)) else "edge of a sentence"
        context = "" if same_statement or _shared_context_of_tokens(ops, n, ka, stop) else D.NO_SHARED_CONTEXT
        misaligned = -1
        if i2 - i1 > max_span or j2 - j1 > max_span:
            spans, long = [(i1, i2, j1, j2)], "rewrite longer than max_span"
        elif i2 - i1 == j2 - j1:
            spans, long = [], ""
            for k in range(i2 - i1):
                if k and (ka[i1 + k][0] in stop) != (kb[j1 + k][0] in stop):
                    misaligned = len(spans)
                    spans.append((i1 + k, i2, j1 + k, j2))
                    break
                spans.append((i1 + k, i1 + k + 1, j1 + k, j1 + k + 1))
        else:
            spans, long = [(i1, i2, j1, j2)], ""
        for n_span, (a1, a2, b1, b2) in enumerate(spans):
            a1, a2 = _trim_of_tokens(ka, a1, a2, stop)
            b1, b2 = _trim_of_tokens(kb, b1, b2, stop)
            if a1 == a2 or b1 == b2:
                continue
            la, lb = [t[0] for t in ka[a1:a2]], [t[0] for t in kb[b1:b2]]
            if la == lb:
                continue
            reason = (long or caption or edge or (MISALIGNED if n_span == misaligned else "")
                      or _verdict(la, lb, [ta[s:e] for _, s, e in ka[a1:a2]], [tb[s:e] for _, s, e in kb[b1:b2]]))
            if reason == "forms of one word" and not (long or caption or edge):
                continue
            ca = ta[ka[max(i1 - 1, 0)][1]:ka[min(i2, len(ka) - 1)][2]]
            cb = tb[kb[max(j1 - 1, 0)][1]:kb[min(j2, len(kb) - 1)][2]]
            parts = (_referent_parts(ta, ka, (a1, a2), tb, kb, (b1, b2)) if referents and not (context or reason)
                     else ("", ""))
            out.append((" ".join(la), " ".join(lb), ca, cb, reason, context, parts))
    return out


def test_pair_rows_on_term_lists_equal_the_rows_read_off_the_tokens(bundled_sentences):
    # the terms read from lists given once per sentence, the shared-context test only for runs that give a row:
    # the same rows as before, on the bundled aligned pairs and on random rewrites of bundled sentences
    from analysis.labels import discovery as D
    from analysis.resources import stopwords

    stop = stopwords("english")
    aligned = L.align_sentences(bundled_sentences)
    text = dict(zip(bundled_sentences.sentence_id, bundled_sentences.sentence_text.astype(str), strict=True))
    pairs = [(text[a], text[b]) for a, b in zip(aligned.sentence_a, aligned.sentence_b, strict=True)]
    rng = np.random.default_rng(7)
    pool = " ".join(bundled_sentences.sentence_text.astype(str).head(300)).split()
    for t in bundled_sentences.sentence_text.astype(str).sample(min(300, len(bundled_sentences)), random_state=3):
        words = t.split()
        for _ in range(int(rng.integers(1, 5))):  # replace, drop or insert a few words
            k = int(rng.integers(0, len(words) + 1))
            op = rng.integers(0, 3)
            if op == 0 and k < len(words):
                words[k] = pool[int(rng.integers(0, len(pool)))]
            elif op == 1 and k < len(words):
                del words[k]
            else:
                words.insert(k, pool[int(rng.integers(0, len(pool)))])
        pairs.append((t, " ".join(words)))
    n_rows, contexts, referent_parts = 0, set(), 0
    for ta, tb in pairs:
        for same in (False, True):
            for caption in ("", "photo caption or credit"):
                want = _pair_rows_by_tokens(ta, tb, D.MAX_SPAN, stop, same, caption)
                ka, kb = D._tokenize(ta), D._tokenize(tb)
                assert D._pair_rows(ta, tb, D.MAX_SPAN, stop, same, caption) == want
                assert D._pair_rows(ta, tb, D.MAX_SPAN, stop, same, caption, ka=ka, kb=kb,
                                    terms_a=[t[0] for t in ka], terms_b=[t[0] for t in kb]) == want
                assert D._pair_rows(ta, tb, 1, stop, same, caption, referents=False) == \
                    _pair_rows_by_tokens(ta, tb, 1, stop, same, caption, referents=False)
                n_rows += len(want)
                contexts.update(row[5] for row in want)
                referent_parts += sum(row[6] != ("", "") for row in want)
    assert contexts == {"", D.NO_SHARED_CONTEXT} and referent_parts > 0
    assert n_rows > 300  # 368 rows: every branch (context reasons, referent parts, captions, long runs)


def test_lower_case_words_of_distinct_pieces_equal_one_pass_at_any_white_space(bundled_sentences):
    # the texts are split at white space (Arrow's Unicode white space) and each distinct piece searched once:
    # the words of one regular-expression pass over all texts joined, whatever the white space and repeats
    import re

    odd = ["tab\tsplit", "line\nbreak", "no\u00a0break space", "thin\u2009space", "para\u2029sep", "x\u3000ideo",
           "-dash\u00a0-lead", "a’b\u2028c", "\u00a0lead", "trail\u00a0", "", " ", "Caps then\u00a0lower",
           "word9abc\tdef", "éa\u00a0ab"]
    texts = pd.concat([bundled_sentences.sentence_text, bundled_sentences.sentence_text.head(50), pd.Series(odd)],
                      ignore_index=True)
    one_pass = frozenset(re.findall(r"(?<![\w’'-])[a-z][a-z’'-]*", " ".join(texts.astype(str).tolist())))
    assert {"split", "break", "space", "sep", "ideo", "lead", "lower", "def"} <= one_pass and "abc" not in one_pass
    for chunk in (1, 7, 1000, len(texts) + 1):
        assert L.discovery._lower_case_words(texts, chunk=chunk) == one_pass


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", "string[python]", object])
def test_isin_by_arrow_equals_pandas(dtype):
    from analysis.labels.discovery import _isin

    rng = np.random.default_rng(11)
    words = [f"s{k}/{k % 7}" for k in range(400)] + ["", "é/0", "a b"]
    column = pd.Series([words[k] for k in rng.integers(0, len(words), 2000)] + [None, None], dtype=dtype)
    for values in ([words[k] for k in rng.integers(0, len(words), 150)], ["nowhere"], [], ["s1/1", None],
                   ["s1/1", 3], words):
        values = np.asarray(values, dtype=object)
        want = column.isin(values).to_numpy()
        got = _isin(column, values)
        assert got.dtype == bool and got.shape == want.shape and (got == want).all()


def test_shared_context_on_terms_equals_the_token_tuples(bundled_sentences):
    from analysis.labels import discovery as D
    from analysis.resources import stopwords
    from analysis.reuse.matcher import SequenceMatcher

    stop = stopwords("english")
    texts = bundled_sentences.sentence_text.astype(str).tolist()
    seen = set()
    for ta, tb in zip(texts[:-1], texts[1:], strict=True):
        ka = D._tokenize(ta)
        ops = SequenceMatcher(None, [t[0] for t in ka], [t[0] for t in D._tokenize(tb)], autojunk=False).get_opcodes()
        for n in range(len(ops)):
            for width in (1, 5):
                got = D._shared_context(ops, n, [t[0] for t in ka], stop, width)
                assert got == _shared_context_of_tokens(ops, n, ka, stop, width)
                seen.add(got)
    assert seen == {False, True}


@pytest.mark.parametrize("chunk", [1, 7, 50_000])
def test_substitutions_read_in_blocks_equal_one_block(bundled_sentences, chunk):
    # the pairs are read, and their rows made Arrow strings, `chunk` pairs at a time: the same table
    s = pd.concat([bundled_sentences, _sentences({"X": bundled_sentences.sentence_text.iloc[3],  # copies: pairs
                                                  "Y": bundled_sentences.sentence_text.iloc[3] + " ."})],
                  ignore_index=True)
    aligned = L.align_sentences(s)
    twice = pd.concat([aligned, aligned.head(9)], ignore_index=True)  # the same texts aligned again
    want = L.substitutions(twice, s, chunk=len(twice))
    got = L.substitutions(twice, s, chunk=chunk)
    pd.testing.assert_frame_equal(got, want)
    assert len(got) >= 64 and got.label_a.array._pa_array.num_chunks == 1


def test_substitutions_on_object_columns_equal_str_columns(bundled_sentences):
    # object columns (a table built by hand, read without Arrow) take the list path: the same frame
    s = bundled_sentences
    aligned = L.align_sentences(s)
    want = L.substitutions(aligned, s)
    obj = aligned.astype({c: object for c in ["sentence_a", "sentence_b", "outlet_a", "outlet_b"]})
    pd.testing.assert_frame_equal(L.substitutions(obj, s.astype({"sentence_id": object, "sentence_text": object})),
                                  want)
    assert L.align_sentences(s.astype({"sentence_id": object, "outlet": object, "sentence_text": object})).equals(
        aligned)


def test_text_codes_take_the_last_text_of_a_repeated_id_and_refuse_a_missing_one():
    from analysis.labels.discovery import _text_codes

    s = pd.DataFrame({"sentence_id": ["a", "b", "a", "c"], "sentence_text": ["one", "two", "three", "two"]})
    aligned = pd.DataFrame({"sentence_a": ["a", "b"], "sentence_b": ["c", "a"]})
    for table in (s, s.astype(object)):
        code, texts = _text_codes(aligned if table is s else aligned.astype(object), table)
        assert [texts[k] for k in code] == ["three", "two", "two", "three"]
        assert code[1] == code[2]  # equal texts, one number
        with pytest.raises(KeyError):
            _text_codes(pd.DataFrame({"sentence_a": ["a"], "sentence_b": ["zz"]}), table)


@pytest.mark.parametrize("dtype", ["str", object])
def test_dropped_counts_by_numbers_equal_pandas_groups(dtype):
    # rows and distinct unordered label pairs per reason: by factorised numbers (str) as by pandas groups
    from analysis.labels.discovery import _dropped_counts, _unordered

    rng = np.random.default_rng(3)
    words = ["a", "b", "é", "z", "Zeta", "ab", "a b"]
    n = 400
    subs = pd.DataFrame({"reason": rng.choice(["", "number", "edge of a sentence", "abbreviation"], n),
                         "label_a": rng.choice(words, n), "label_b": rng.choice(words, n)}).astype(dtype)
    reasons = subs[subs.reason != ""]
    want = [(r, len(p), len(set(_unordered(p)))) for r, p in reasons.groupby("reason", sort=True)]
    assert _dropped_counts(subs) == want and len(want) == 3


def test_replaced_reason_equals_object_assignment():
    from analysis.labels.discovery import _replaced

    column = pd.Series(["", "x", "", "y", ""], dtype="str")
    where = np.array([True, False, True, False, False])
    got = _replaced(column, where, np.array(["r1", ""], dtype=object))
    assert pd.Series(got).tolist() == ["r1", "x", "", "y", ""] and pd.Series(got).dtype == "str"
    assert list(_replaced(column.astype(object), where, np.array(["r1", ""], dtype=object))) == ["r1", "x", "", "y", ""]


def test_own_term_equals_normalise_term_and_leaves_the_shared_memo_alone():
    from analysis import tokens
    from analysis.labels.discovery import _own_term, _tokenize

    words = ["Díaz-Canel’s", "U.S.", "Havana's", "CAPTURED", "naïve", "co-operate", "2026", "rock'n'roll"]
    terms: dict = {}
    tokens.clear_shared_memo()
    assert [_own_term(w, terms) for w in words] == [tokens.normalise_term(w) for w in words]
    tokens.clear_shared_memo()
    text = "Díaz-Canel’s U.S. envoy said it was naïve."
    assert _tokenize(text, {}) == _tokenize(text)  # the call's own table, or the cached terms: the same tokens
    assert not tokens._plain_normaliser().memo or "Díaz-Canel’s" not in tokens._plain_normaliser().memo
