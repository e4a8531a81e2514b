"""Tests for analysis.kwic: KWIC lines from offsets and from terms."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import kwic as K
from analysis import tokens as T
from analysis.errors import ParameterError, SchemaError
from analysis.sentences import split_sentences

ARTS = pd.DataFrame({
    "article_id": ["b1", "a1"], "outlet": ["Beta", "Alpha"],
    "text": ["Oil supplies fell.\n\nTrump spoke of oil supplies again.",
             "Díaz-Canel rejected it. Cuba’s oil is scarce."],
})


def test_kwic_lines_and_order():
    hits = pd.DataFrame({"article_id": ["b1", "a1", "b1"], "start": [20, 31, 0], "end": [25, 34, 3],
                         "frame": ["who", "what", "what"]})
    out = K.kwic(ARTS, hits, width=10)
    assert out.columns.tolist() == ["outlet", "article_id", "sentence_id", "start", "end", "frame",
                                    "left", "match", "right"]
    # golden: sorted by outlet then start; paragraph break shown as one space
    assert out.values.tolist() == [
        ["Alpha", "a1", "a1/1", 31, 34, "what", "t. Cuba’s ", "oil", " is scarce"],
        ["Beta", "b1", "b1/0", 0, 3, "what", "", "Oil", " supplies "],
        ["Beta", "b1", "b1/1", 20, 25, "who", "es fell. ", "Trump", " spoke of "],
    ]


def test_kwic_uses_given_sentences_and_hits_sentence_id():
    hits = pd.DataFrame({"article_id": ["a1"], "start": [0], "end": [10]})
    s = split_sentences(ARTS)
    assert K.kwic(ARTS, hits, sentences=s).sentence_id.tolist() == ["a1/0"]
    hits2 = hits.assign(sentence_id=["given"])
    assert K.kwic(ARTS, hits2).sentence_id.tolist() == ["given"]


@pytest.mark.parametrize(("hits", "err"), [
    (pd.DataFrame({"article_id": ["zz"], "start": [0], "end": [1]}), SchemaError),
    (pd.DataFrame({"article_id": ["a1"], "start": [5], "end": [999]}), SchemaError),
    (pd.DataFrame({"article_id": ["a1"], "start": [5], "end": [2]}), SchemaError),
    (pd.DataFrame({"article_id": ["a1"], "start": [5]}), SchemaError),
])
def test_kwic_bad_hits(hits, err):
    with pytest.raises(err):
        K.kwic(ARTS, hits)


def test_kwic_bad_width():
    with pytest.raises(ParameterError):
        K.kwic(ARTS, pd.DataFrame({"article_id": ["a1"], "start": [0], "end": [1]}), width=-1)


def test_kwic_terms_words_ngrams_and_folding():
    s = split_sentences(ARTS)
    tok = T.tokenize(s)
    out = K.kwic_terms(tok, ARTS, ["oil supplies", "Diaz-Canel", "cuba"], sentences=s, width=5)
    assert out[["outlet", "query", "match"]].values.tolist() == [
        ["Alpha", "Diaz-Canel", "Díaz-Canel"], ["Alpha", "cuba", "Cuba"],
        ["Beta", "oil supplies", "Oil supplies"], ["Beta", "oil supplies", "oil supplies"]]
    # every match is the text at its offsets
    text = ARTS.set_index("article_id").text
    assert all(text[a][s:e] == m for a, s, e, m in zip(out.article_id, out.start, out.end, out.match))


def test_ngram_does_not_cross_sentences():
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": ["We want oil. Supplies came."]})
    tok = T.tokenize(split_sentences(arts))
    assert K.term_hits(tok, ["oil supplies"]).empty


def test_kwic_terms_on_bundled(bundled_articles, bundled_sentences):
    tok = T.tokenize(bundled_sentences)
    out = K.kwic_terms(tok, bundled_articles, ["Díaz-Canel"], sentences=bundled_sentences)
    assert len(out) == int((tok.term == "diaz-canel").sum()) > 5
    assert out.sentence_id.notna().all()
    assert set(out.match.str.replace("í", "i")) == {"Diaz-Canel"}


def test_term_hits_rejects_string():
    with pytest.raises(ParameterError):
        K.term_hits(T.tokenize(split_sentences(ARTS)), "oil")


def test_squash_equals_the_whitespace_pattern_on_every_kind_of_space():
    """The shortcut (texts without a double space or a non-printable character are kept) gives
    what ``re.sub(r"\\s+", " ", ...)`` gives, for each of Python's 29 whitespace characters."""
    import random
    import re

    from analysis.kwic import _squash

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    assert len(spaces) == 29
    alphabet = [*"ab .,\u200b\x00", *spaces]
    rng = random.Random(0)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(20000)]
    assert _squash(texts) == [re.sub(r"\s+", " ", t) for t in texts]
    assert _squash(["a\u00a0b", "a  b", "a b", "a\u200bb"]) == ["a b", "a b", "a b", "a\u200bb"]


def test_lines_are_the_sorted_table_built_block_by_block(monkeypatch):
    # independent path: every line built by slicing, then one stable sort of the whole table
    texts = {"a1": "Alpha  beta gamma.\nDelta epsilon, zeta eta theta.", "a2": "Iota kappa lambda mu."}
    arts = pd.DataFrame({"article_id": ["a2", "a1"], "outlet": ["Z", "A"], "text": [texts["a2"], texts["a1"]]})
    hits = pd.DataFrame({"article_id": ["a2", "a1", "a1", "a1", "a2"], "start": [5, 19, 0, 19, 0],
                         "end": [10, 24, 5, 32, 4], "sentence_id": ["s", "t", "u", "v", "w"],
                         "cue": pd.Series(["k", "d", "a", "de", "i"], dtype="str"), "n": [1, 2, 3, 4, 5]})
    monkeypatch.setattr(K, "_BLOCK", 2)  # three blocks of context strings
    got = K.kwic(arts, hits, width=6)
    outlet = {"a1": "A", "a2": "Z"}
    rows = [(outlet[a], a, sid, s, e, c, n, re.sub(r"\s+", " ", texts[a][max(0, s - 6):s]), texts[a][s:e],
             re.sub(r"\s+", " ", texts[a][e:e + 6]))
            for a, s, e, sid, c, n in zip(hits.article_id, hits.start, hits.end, hits.sentence_id, hits.cue,
                                          hits.n, strict=True)]
    rows.sort(key=lambda r: (r[0], r[1], r[3], r[4]))
    assert [tuple(r) for r in got.itertuples(index=False)] == rows
    assert got["match"].tolist() == ["Alpha", "Delta", "Delta epsilon", "Iota", "kappa"]
