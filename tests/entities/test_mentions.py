"""find_mentions' array path against the one-Python-step-per-hit path it replaced, on random texts."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from analysis import entities as E
from analysis import schema as S
from analysis.clean import fold_for_matching
from analysis.entities import mentions as M

WORDS = ["Ana", "ana", "Pérez", "PEREZ", "perez", "de", "Blasio", "US", "us", "Us", "the", "Cuban",
         "leader", "President", "Díaz-Canel", "DÍAZ-CANEL", "Pr", "Press", "president", "Obama",
         "Obamacare", "x2", "2x", "_a", "ı", "ıx", "xi", "ß", "straße", "ⓐ", "Ⓐ", "ͅ", "Ι", "ι",
         "N.Y.", "U.S.", "’s", "“", "”", "—", "-", "'", "Wh", "White", "House", "white", "house"]
ALIASES = ["Ana Pérez", "Pérez", "de Blasio", "US", "the Cuban leader", "Miguel Díaz-Canel", "Díaz-Canel",
           "Pr", "President", "Obama", "Wh", "White House", "N.Y.", "U.S.", "x", "xi", "ι", "Ⓐ", "2x",
           "Us", "Press", "_a", "ıx"]


def _aliases(rng: random.Random, with_title_breaker: bool) -> pd.DataFrame:
    names = rng.sample(ALIASES, rng.randint(1, len(ALIASES)))
    if with_title_breaker:
        names.append("Straße")  # ß title-cases to "SS": no title-cased automaton
    rows = []
    for a in names:
        kind = rng.choice(["name", "surname", "role"])
        ent = rng.choice(["P1", "P2", a])
        rows.append((ent, rng.choice(["person", "organization", "place"]), kind, a))
        if kind == "role" and rng.random() < 0.5:  # the role's entity also has a name
            rows.append((ent, "person", "name", rng.choice(ALIASES)))
    return pd.DataFrame(rows, columns=list(E.ALIAS_COLUMNS))


def _sentences(rng: random.Random) -> pd.DataFrame:
    texts, glue = [], ["", " ", " ", " ", "-", ",", "\n"]
    for _ in range(rng.randint(1, 30)):
        texts.append("".join(rng.choice(WORDS) + rng.choice(glue) for _ in range(rng.randint(0, 12))))
    starts = np.cumsum([0] + [len(t) + 1 for t in texts])[:-1]
    return pd.DataFrame({S.SENTENCE_ID: [f"a{i // 3}/{i}" for i in range(len(texts))],
                         S.ARTICLE_ID: [f"a{i // 3}" for i in range(len(texts))], S.OUTLET: "X",
                         S.START: starts, S.SENTENCE_TEXT: texts})


def _reference(sentences: pd.DataFrame, aliases: pd.DataFrame) -> list[tuple]:
    """The former find_mentions: every automaton hit checked in Python (_raw_matches), then sorted."""
    texts = sentences[S.SENTENCE_TEXT].tolist()
    joined = M._SEP.join(texts)
    folded = M._SEP.join(fold_for_matching(t) for t in texts)
    lengths = np.array([len(t) for t in texts])
    starts = np.concatenate([[0], np.cumsum(lengths + len(M._SEP))[:-1]])
    marked = folded.title()
    auto = M._automaton(aliases, titled=True) if len(marked) == len(folded) else None
    if auto is None:
        auto, marked = M._automaton(aliases), None
    found = M._raw_matches(joined, folded, auto, search=marked)
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    chosen, last_end = [], -1
    for m in found:
        if m[0] >= last_end:
            chosen.append(m)
            last_end = m[1]
    out = []
    for a, b, ent, typ, kind in M._merge_titles(joined, chosen):
        row = int(np.searchsorted(starts, a, side="right") - 1)
        if b <= starts[row] + lengths[row]:
            off = int(sentences[S.START].iloc[row] - starts[row])
            out.append((sentences[S.SENTENCE_ID].iloc[row], ent, typ, kind, joined[a:b], a + off, b + off))
    return out


@pytest.mark.parametrize("seed", range(300))
def test_array_path_matches_the_per_hit_path(seed):
    rng = random.Random(seed)
    sentences, aliases = _sentences(rng), _aliases(rng, with_title_breaker=seed % 10 == 0)
    got = E.find_mentions(sentences, aliases=aliases)
    rows = list(zip(got[S.SENTENCE_ID], got[E.ENTITY], got[E.ENTITY_TYPE], got[E.ALIAS_KIND], got[E.SURFACE],
                    got[S.START], got[S.END], strict=True))
    assert rows == _reference(sentences, aliases)
    text = " ".join(sentences[S.SENTENCE_TEXT])
    assert all(text[a:b] == s for s, a, b in zip(got[E.SURFACE], got[S.START], got[S.END], strict=True))


def test_small_blocks_give_the_same_mentions(monkeypatch, bundled_sentences):
    shipped = E.load_aliases(E.SHIPPED_ALIASES)
    whole = E.find_mentions(bundled_sentences, aliases=shipped)
    monkeypatch.setattr(M, "_BLOCK", 7)  # code points read 7 characters at a time
    pd.testing.assert_frame_equal(E.find_mentions(bundled_sentences, aliases=shipped), whole)


def test_codes_at_and_char_test():
    text = "aÉ_ ⓐ\n9ı"
    pos = np.array([6, 0, 1, 7, 4, 2, 2], dtype=np.int64)
    codes = M._codes_at(text, pos)
    assert [chr(c) for c in codes.tolist()] == [text[p] for p in pos.tolist()]
    assert M._char_test(codes, M._is_word_char).tolist() == [M._is_word_char(text[p]) for p in pos.tolist()]
    assert M._char_test(codes, str.isupper).tolist() == [text[p].isupper() for p in pos.tolist()]
    assert M._codes_at(text, np.array([], dtype=np.int64)).tolist() == []
