"""Tests for analysis.tokens: the token rule, terms, offsets, the fast encoder, word counts."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from analysis import tokens as T
from analysis.errors import ParameterError, SchemaError


def _sents(*texts, article="a", outlet="X"):
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return pd.DataFrame({"sentence_id": [f"{article}/{i}" for i in range(len(texts))],
                         "article_id": article, "outlet": outlet, "start": starts,
                         "sentence_text": list(texts)})


@pytest.mark.parametrize(("text", "terms"), [
    ("Díaz-Canel’s aides", ["diaz-canel", "aides"]),  # possessive dropped, hyphen name whole
    ("Diaz-Canel's aides", ["diaz-canel", "aides"]),  # same term without accent / straight '
    ("US–Cuba talks", ["us", "cuba", "talks"]),  # en dash separates
    ("U.S. forces", ["us", "forces"]),  # initialism
    ("35,000 barrels, 3.5 m", ["35000", "barrels", "3.5", "m"]),  # numbers
    ("O’Brien don’t", ["o'brien", "don't"]),  # inner apostrophes
    ("“No,” he said — (AFP)", ["no", "he", "said", "afp"]),  # punctuation never a token
    ("Cubans’ lives", ["cubans", "lives"]),  # plural possessive
    ("", []),
])
def test_terms(text, terms):
    assert T.tokenize(_sents(text)).term.tolist() == terms


def test_offsets_point_into_article_text():
    text = "He said: “No.” Díaz-Canel’s 1,000 men."
    s = pd.DataFrame({"sentence_id": ["a/0", "a/1"], "article_id": "a", "outlet": "X",
                      "start": [0, 15], "sentence_text": [text[:14], text[15:]]})
    tok = T.tokenize(s)
    assert [text[a:b] for a, b in zip(tok.start, tok.end)] == tok.token.tolist()
    assert tok.position.tolist() == list(range(6))
    assert tok.kind.tolist() == ["word"] * 4 + ["number", "word"]
    assert tok.is_stopword.tolist() == [True, False, True, False, False, False]


def test_keep_numbers_false_leaves_position_gap():
    tok = T.tokenize(_sents("about 500 men"), keep_numbers=False)
    assert tok.term.tolist() == ["about", "men"] and tok.position.tolist() == [0, 2]


def test_stem_and_custom_stopwords():
    tok = T.tokenize(_sents("Threats threatened Cuba"), stem=True, stopwords=["cuba"])
    assert tok.term.tolist() == ["threat", "threaten", "cuba"]
    assert tok.is_stopword.tolist() == [False, False, True]


def test_phrases_alias_and_join():
    phrases = {"Díaz-Canel": ["Miguel Díaz Canel", "Díaz Canel"], "United States": []}
    tok = T.tokenize(_sents("Miguel Díaz Canel met the United States envoy and Diaz-Canel left."),
                     phrases=phrases)
    assert tok.term.tolist() == ["diaz-canel", "met", "the", "united_states", "envoy", "and",
                                 "diaz-canel", "left"]
    assert tok.token.tolist()[0] == "Miguel Díaz Canel"


def test_lowercase_false_keeps_case_but_folds_accents():
    assert T.tokenize(_sents("Díaz met"), lowercase=False).term.tolist() == ["Diaz", "met"]
    assert T.tokenize(_sents("Díaz met"), fold_accents=False).term.tolist() == ["díaz", "met"]


def test_encode_equals_tokenize(bundled_sentences):
    # the fast path and the table path must give exactly the same terms
    for opts in ({}, {"stem": True}, {"phrases": ["United States", "Donald Trump"]}):
        tok = T.tokenize(bundled_sentences, **opts)
        enc = T.encode(bundled_sentences.sentence_text, **opts)
        assert enc.terms[enc.ids].tolist() == tok.term.tolist()
        assert enc.lengths.sum() == len(tok)
    surface = dict(zip(enc.terms, enc.surfaces))
    forms = tok[tok.term == "diaz-canel"].token.value_counts()
    assert forms.index[0] == "Diaz-Canel" and forms.iloc[0] > forms.get("Díaz-Canel")  # 12 vs 4
    assert surface["diaz-canel"] == "Diaz-Canel" and surface["united_states"] == "United States"


def test_word_counts_match_token_table(bundled_sentences):
    wc = T.word_counts(bundled_sentences)
    tok = T.tokenize(bundled_sentences, stopwords=None)
    assert dict(zip(wc.article_id, wc.words)) == dict(Counter(tok.article_id))
    assert wc.words.dtype == "int64" and len(wc) == 5


def test_long_string_is_linear():
    # one 2-million-character "word" and a pathological digit/period run: no ReDoS, no timeout
    text = "a-" * 1_000_000 + "b " + "1." * 200_000
    e = T.encode([text], stopwords=None)
    assert e.lengths.tolist() == [2] and e.kinds.tolist() == ["word", "number"]


def test_bad_input():
    with pytest.raises(SchemaError):
        T.tokenize(pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError):
        T.tokenize(_sents("a"), stopwords=5)
    with pytest.raises(ParameterError):
        T.tokenize(_sents("a"), phrases="United States")
    with pytest.raises(ParameterError):
        T.encode(["ok", None])
    with pytest.raises(ParameterError):
        T.tokenize(_sents("a"), stem="yes")


def test_normalise_term():
    assert T.normalise_term("Miguel DÍAZ-CANEL’s") == "miguel diaz-canel"
    assert T.normalise_term("threats", stem=True) == "threat"


def test_phrase_finder_equals_the_alternation_regex():
    """Aho-Corasick phrase spans equal the regex they replaced (longest alternative first)."""
    import random
    import re

    from analysis.tokens import _Phrases

    phrases = {"new york", "new york times", "york times", "los angeles", "san jose", "jose maria",
               "el paso", "u s a", "a b", "b c", "ana pérez", "joão silva"}
    alts = "|".join(re.escape(p) for p in sorted(phrases, key=lambda p: (-len(p), p)))
    reference = re.compile(rf"(?<![^\W_])(?:{alts})(?![^\W_])")
    finder = _Phrases(phrases)
    pieces = ["new", "york", "times", "los", "angeles", "san", "jose", "maria", "el", "paso", "u", "s",
              "a", "b", "c", "ana", "pérez", "joão", "silva", "x", "_", "9", "é"]
    rng = random.Random(0)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice([" ", " ", " ", "", "-", ", ", "_"]) for _ in range(12))
        assert finder.spans(text) == [m.span() for m in reference.finditer(text)], text


def _finditer_tokens(sentences: pd.DataFrame, phrases=None, **options) -> list[tuple]:
    """The token loop tokenize ran before its chunk scan: ``TOKEN_RE.finditer`` over each text."""
    phrase_re, norm = T._check_options(options.get("stopwords", "english"), phrases, True, True,
                                       options.get("stem", False))
    rows = []
    for sid, start, text in zip(sentences["sentence_id"], sentences["start"], sentences["sentence_text"]):
        for m in T.TOKEN_RE.finditer(T._join_phrases(text, phrase_re)):
            s, e = m.span(1)
            rows.append((sid, start + s, start + e, text[s:e], *norm(m.group(1))))
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_tokenize_equals_finditer_over_each_text(seed):
    # random texts over an alphabet of every case the chunk scan must get right: ASCII and
    # Unicode whitespace (no-break and em spaces, \x1c, line breaks), possessives, initialisms,
    # numbers, hyphens and underscores of the text's own, accents, empty texts
    import numpy as np

    rng = np.random.default_rng(seed)
    pieces = ["Trump", "Donald", " ", "  ", "\u00a0", "\u2003", "\x1c", "\n", "\t", "'s", "’s", "U.S.", "a.m.",
              "1,000", "3.5", "-", "_", "Díaz", "Canel", "oil", ".", ",", "the", "said", "x_y", "—", "'"]
    texts = ["".join(rng.choice(pieces, size=rng.integers(0, 25))) for _ in range(60)] + ["", " ", "\u00a0x"]
    s = pd.DataFrame({"sentence_id": [f"a/{i}" for i in range(len(texts))], "article_id": "a", "outlet": "X",
                      "start": np.arange(len(texts)) * 100, "sentence_text": texts})
    for phrases in (None, {"Donald Trump": ["Trump"], "Díaz Canel": []}):
        got = T.tokenize(s, phrases=phrases, stem=bool(seed % 2))
        want = _finditer_tokens(s, phrases=phrases, stem=bool(seed % 2))
        assert list(zip(got.sentence_id, got.start, got.end, got.token, got.term, got.kind, got.is_stopword)) == want
        assert got.position.tolist() == list(range(len(got)))  # one article: positions count every token


def test_encoder_split_numbers_chunks_as_str_split_and_a_dict():
    # Arrow's white space against Python's at every code point str.isspace accepts, at the
    # ends of texts and in runs, and first-seen numbering across batches
    import sys

    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    texts = ["", " ", "x", *(f"{s}a{s}{s}b{s}" for s in spaces), "a\u200bb", "b a  a\x85c ", "\x1c\x1d\x1ea\x1f"]
    enc = T.Encoder(stopwords=None)
    ids, lengths = enc._split(texts)
    vocab: dict[str, int] = {}
    want = [vocab.setdefault(p, len(vocab)) for t in texts for p in t.split()]
    assert ids.tolist() == want
    assert lengths == [len(t.split()) for t in texts]
    more, _ = enc._split(["c new a"])
    assert more.tolist() == [vocab["c"], len(vocab), vocab["a"]]



def test_encoder_is_freed_without_the_cyclic_collector():
    # the chunk dictionary once had its own __len__ as default factory (a reference cycle), so
    # every encoder's distinct chunks stayed until gc ran; now dropping the encoder frees them
    import gc

    enc = T.Encoder(stopwords=None)
    enc.add(["oil cuba oil", "cuba  said"])
    assert enc._chunks == {"oil": 0, "cuba": 1, "said": 2}  # numbered on first sight
    gc.collect()
    gc.disable()
    try:
        del enc
        assert gc.collect() == 0  # freed at once: nothing was left for the collector
    finally:
        gc.enable()

@pytest.mark.parametrize("seed", range(3))
def test_token_counts_equal_encoded_lengths(seed):
    # word_counts' count-only path against the encoder's lengths, on texts of every tricky piece
    import numpy as np

    rng = np.random.default_rng(seed)
    pieces = ["Trump", " ", "\u00a0", "\x1c", "\n", "'s", "’s", "U.S.", "a.m.", "1,000", "3.5", "-", "_", "Díaz",
              "oil", ".", ",", "—", "'", "x_y", "--"]
    texts = ["".join(rng.choice(pieces, size=rng.integers(0, 30))) for _ in range(80)] + ["", " "]
    assert T._token_counts(texts).tolist() == T.encode(texts, stopwords=None).lengths.tolist()
    assert sum(T._token_counts(texts)) > 50
