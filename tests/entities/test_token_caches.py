"""propose_entities' per-token caches: emptied after each call, same proposals whatever they hold."""

from __future__ import annotations

import pandas as pd

from analysis.entities import candidates as K
from analysis.entities import propose_entities

CACHED = (K._key, K._is_title, K._token_facts, K._merge_key)


def test_caches_are_emptied_after_proposing(bundled_sentences):
    first = propose_entities(bundled_sentences)
    assert [f.cache_info().currsize for f in CACHED] == [0, 0, 0, 0]  # nothing of the corpus kept after the call
    assert len(first) > 50


def test_same_proposals_whatever_the_caches_hold(bundled_sentences):
    cold = propose_entities(bundled_sentences)
    for word in ("Trump", "Sen.", "Díaz-Canel", "Mr. Rubio", "the White House"):  # warm caches before a call
        K._key(word), K._is_title(word), K._token_facts(word), K._merge_key(word)
    warm = propose_entities(bundled_sentences)
    pd.testing.assert_frame_equal(cold, warm)
    assert cold.to_csv() == warm.to_csv()


def test_clear_caches_empties_each_cache():
    K._key("Marco Rubio"), K._merge_key("Marco Rubio"), K._is_title("Senator"), K._token_facts("Rubio")
    assert all(f.cache_info().currsize > 0 for f in CACHED)
    K.clear_caches()
    assert all(f.cache_info().currsize == 0 for f in CACHED)
