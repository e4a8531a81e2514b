"""Tests for analysis.labels.save_substitutions: the substitution table saved block by block, and what it keeps.

The saved file must be the bytes ``save_table`` writes for :func:`substitutions`' whole table, and the
candidates, pairs and dropped counts read from the kept rows and the counted screened rows must equal
those read from the whole table.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis import corpus as C
from analysis import labels as L
from analysis.corpus import files
from analysis.errors import ParameterError
from analysis.labels import discovery as D


def _sentences(texts: dict[str, str]) -> pd.DataFrame:
    """One sentence per article: {"outlet": text}."""
    return pd.DataFrame({"sentence_id": [f"{o}/0" for o in texts], "article_id": list(texts),
                         "outlet": list(texts), "start": 0, "sentence_text": list(texts.values())})


SENATE = {"A": "Senate Budget Committee chairman Paul Ryan said the deal would cut spending.",
          "B": "Senate Judiciary Committee chairman Paul Ryan said the agreement would cut spending.",
          "C": "Senate Budget Committee chairman Paul Ryan said the accord would cut spending.",
          "D": "The committee met on Monday."}


@pytest.fixture(scope="module")
def corpus(bundled_sentences):
    """The bundled sentences, copies aligned again, and names whose verdict needs the lower-case words."""
    s = pd.concat([bundled_sentences, _sentences({"X": bundled_sentences.sentence_text.iloc[3],
                                                  "Y": bundled_sentences.sentence_text.iloc[3] + " ."}),
                   _sentences(SENATE)], ignore_index=True)
    aligned = L.align_sentences(s)
    return s, pd.concat([aligned, aligned.head(9)], ignore_index=True)  # the same texts aligned again


def _saved(folder, name="label_substitutions"):
    (path,) = (folder / "tables").glob(f"{name}.*")
    return path.name, path.read_bytes()


def _screened_by_pandas(subs: pd.DataFrame) -> list:
    """(reason, rows, distinct unordered label pairs) per reason of the dropped rows, by pandas groups."""
    rows = subs[subs.reason != ""]
    return [[r, len(p), len(set(D._unordered(p)))] for r, p in rows.groupby("reason", sort=True)]


@pytest.mark.parametrize("chunk", [1, 7, 50_000])
def test_kept_rows_and_counts_equal_the_whole_table(corpus, chunk):
    s, aligned = corpus
    whole = L.substitutions(aligned, s)
    kept, screened = L.save_substitutions(aligned, s, "", chunk=chunk)
    assert not D._SLOTS  # the kept rows carry their verdicts: no texts held for the summary
    want = whole[whole.reason == ""].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept[list(D.SUBSTITUTION_COLUMNS)], want)
    assert list(kept.columns) == [*D.SUBSTITUTION_COLUMNS, *D.SLOT_COLUMNS] and len(kept) >= 10
    assert screened.values.tolist() == _screened_by_pandas(whole) and len(screened) >= 5
    assert screened["substitutions"].sum() + len(kept) == len(whole)
    assert list(screened.columns) == ["reason", "substitutions", "candidates"]
    assert screened.dtypes.astype(str).tolist()[1:] == ["int64", "int64"]


@pytest.mark.parametrize("chunk", [7, 50_000])
def test_blocks_concatenated_are_the_whole_table(corpus, chunk):
    s, aligned = corpus
    ids = ["sentence_a", "sentence_b", "outlet_a", "outlet_b"]
    for a in (aligned, aligned.astype(dict.fromkeys(ids, object))):  # Arrow strings; object columns (the list path)
        blocks = list(D._table_blocks(a, s, D.MAX_SPAN, chunk, [], D._ScreenCounts()))
        pd.testing.assert_frame_equal(pd.concat(blocks, ignore_index=True), L.substitutions(a, s))
        assert len(blocks) == (1 if chunk == 50_000 else len(blocks)) and len(blocks) >= 1


@pytest.mark.parametrize(("rows", "group", "chunk"), [(40, 50, 7), (40, 1_048_576, 7), (100_000, 1_048_576, 50_000)])
def test_saved_file_is_the_whole_tables(corpus, tmp_path, monkeypatch, rows, group, chunk):
    # as Parquet (past `rows` rows), row groups crossing the blocks, and as CSV: the bytes save_table writes
    s, aligned = corpus
    monkeypatch.setattr(files, "LARGE_TABLE_ROWS", rows)
    monkeypatch.setattr(files, "PARQUET_ROW_GROUP", group)
    C.save_table(L.substitutions(aligned, s), "label_substitutions", tmp_path / "old")
    L.save_substitutions(aligned, s, tmp_path / "new", chunk=chunk)
    name, data = _saved(tmp_path / "new")
    assert (name, data) == _saved(tmp_path / "old")
    assert name.endswith(".csv" if rows == 100_000 else ".parquet")


def test_no_substitution_at_all_saves_the_empty_table(corpus, tmp_path):
    s, aligned = corpus
    none = aligned.assign(sentence_b=aligned.sentence_a)  # a sentence against itself: equal terms, no row
    for a in (none, aligned.head(0)):
        kept, screened = L.save_substitutions(a, s, tmp_path / "new")
        C.save_table(L.substitutions(a, s), "label_substitutions", tmp_path / "old")
        assert _saved(tmp_path / "new") == _saved(tmp_path / "old")
        assert kept.empty and screened.empty and list(screened.columns) == list(D.SCREENED_COLUMNS)
        got = L.label_discovery_summary(kept, sentences=s, screened=screened)
        want = L.label_discovery_summary(L.substitutions(a, s), sentences=s)
        for x, y in zip(got, want, strict=True):
            pd.testing.assert_frame_equal(x, y)


@pytest.mark.parametrize("kwargs", [dict(model=None, min_outlets=1, min_pairs=1), dict(model=None), dict()])
def test_summary_of_kept_and_screened_equals_the_whole_tables(corpus, kwargs):
    s, aligned = corpus
    kept, screened = L.save_substitutions(aligned, s, "", chunk=7)
    whole = L.substitutions(aligned, s)  # fills _SLOTS: its summary reads them
    want = L.label_discovery_summary(whole, sentences=s, **kwargs)
    got = L.label_discovery_summary(kept, sentences=s, screened=screened, **kwargs)
    for x, y in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(x, y)
    pd.testing.assert_frame_equal(L.candidate_labels(kept, sentences=s), L.candidate_labels(whole, sentences=s))
    without = L.label_discovery_summary(L.substitutions(aligned, s), **kwargs)  # no same-slot check
    for x, y in zip(L.label_discovery_summary(kept, screened=screened, **kwargs), without, strict=True):
        pd.testing.assert_frame_equal(x, y)
    if kwargs.get("min_outlets") == 1:
        dropped = got[1].set_index("reason")
        # the verdicts settled from the columns: names (with the corpus's lower-case words), no shared context
        assert {L.DIFFERENT_NAMES, L.NO_SHARED_CONTEXT} <= set(dropped.index) and len(got[0]) >= 3


def test_summary_with_columns_equals_comparing_again(corpus):
    # the verdict columns against the summary's own comparison of every pair (no columns, no _SLOTS)
    s, aligned = corpus
    kept, screened = L.save_substitutions(aligned, s, "")
    screened_again = D._screen_context(kept.drop(columns=list(D.SLOT_COLUMNS)), s)
    pd.testing.assert_frame_equal(D._screen_context(kept, s), screened_again.assign(
        **{c: kept[c] for c in D.SLOT_COLUMNS})[list(kept.columns)])
    assert (screened_again.reason != "").sum() >= 5
    # a verdict not settled (None) is compared again: the same reasons
    unsettled = kept.assign(same_slot=pd.array([None] * len(kept), dtype="str"))
    pd.testing.assert_series_equal(D._screen_context(unsettled, s).reason, D._screen_context(kept, s).reason)


def test_other_max_span_compares_again(corpus):
    s, aligned = corpus
    kept, screened = L.save_substitutions(aligned, s, "", max_span=2)
    assert list(kept.columns) == list(D.SUBSTITUTION_COLUMNS)  # no verdicts: the summary compares the pairs
    whole = L.substitutions(aligned, s, max_span=2)
    for x, y in zip(L.label_discovery_summary(kept, sentences=s, screened=screened, model=None, min_outlets=1),
                    L.label_discovery_summary(whole, sentences=s, model=None, min_outlets=1), strict=True):
        pd.testing.assert_frame_equal(x, y)


def _reference_verdicts(rows, common):
    """The summary's loop over a pair's runs (_screen_context before the verdicts): label pair -> reason."""
    labels = {(r[0], r[1]) for r in rows if r[4] == ""}
    slot: dict = {}
    for la, lb, *_, why in D._resolve([r for r in rows if (r[0], r[1]) in labels], common):
        slot[(la, lb)] = "" if slot.get((la, lb)) == "" else why
    return slot


def test_slot_verdicts_settle_as_the_summary_resolves_the_runs():
    # every sequence of up to three runs of two label pairs, each run of every kind _pair_rows gives
    kinds = [("", "", ("", "")), ("number", "", ("", "")), ("number", L.NO_SHARED_CONTEXT, ("", "")),
             ("", L.NO_SHARED_CONTEXT, ("", "")), ("", "", (L.DIFFERENT_SPEAKERS, "")),
             ("", "", (L.DIFFERENT_NAMES, "")), ("", "", ("", "committee")), ("", "", ("", "labor"))]
    labels = [("deal", "accord"), ("talks", "meeting")]
    commons = [frozenset(), frozenset({"committee"}), frozenset({"committee", "labor"})]
    seen = set()
    for n in (1, 2, 3):
        for runs in itertools.product(itertools.product(labels, kinds), repeat=n):
            rows = [(la, lb, "c", "c", reason, context, parts) for (la, lb), (reason, context, parts) in runs]
            if not any(r[4] == "" for r in rows):
                continue
            verdicts = D._slot_verdicts(rows)
            for common in commons:
                want = _reference_verdicts(rows, common)
                assert {k: D._settle(*v, common) for k, v in verdicts.items()} == want
                seen.update(want.values())
    assert seen == {"", L.NO_SHARED_CONTEXT, L.DIFFERENT_SPEAKERS, L.DIFFERENT_NAMES}
    # a verdict beside a word (never given by _referent_parts) is left to the summary's comparison
    rows = [("a", "b", "c", "c", "", "", (L.DIFFERENT_SPEAKERS, "committee"))]
    assert D._slot_verdicts(rows) == {("a", "b"): (None, "")}
    rows.append(("a", "b", "c", "c", "number", "", ("", "")))  # a later run of why "": settled
    assert D._slot_verdicts(rows) == {("a", "b"): ("", "")}


@pytest.mark.parametrize("blocks", [1, 3, 40])
def test_screen_counts_equal_the_dropped_counts_of_the_rows(blocks):
    # rows added a block at a time, labels numbered as they come: the counts of _dropped_counts on all rows
    import pyarrow as pa

    rng = np.random.default_rng(5)
    words = ["a", "b", "é", "z", "Zeta", "ab", "a b", "ä", "Ab"]
    n = 900
    subs = pd.DataFrame({"reason": rng.choice(["number", "edge of a sentence", "abbreviation"], n),
                         "label_a": rng.choice(words, n), "label_b": rng.choice(words, n)}).astype("str")
    counts = D._ScreenCounts()
    for part in np.array_split(np.arange(n), blocks):
        counts.add(*(pa.array(subs[c].iloc[part].tolist(), type=pa.large_string()) for c in subs.columns))
    counts.add(*(pa.array([], type=pa.large_string()) for _ in range(3)))  # an empty block: nothing
    assert counts.result() == D._dropped_counts(subs) == [tuple(r) for r in _screened_by_pandas(subs)]
    assert D._ScreenCounts().result() == []


def test_summary_refuses_screened_reasons_of_its_own(corpus):
    s, aligned = corpus
    kept, screened = L.save_substitutions(aligned, s, "")
    clash = pd.concat([screened, pd.DataFrame({"reason": [L.NO_SHARED_CONTEXT], "substitutions": [1],
                                               "candidates": [1]})], ignore_index=True)
    with pytest.raises(ParameterError, match="also the summary's"):
        L.label_discovery_summary(kept, sentences=s, screened=clash, model=None, min_outlets=1, min_pairs=1)


def test_compact_tokens_equal_the_token_tuples(bundled_sentences):
    """_tokenize_compact reads like _tokenize's tuples: items, negative items, slices, length, terms."""
    terms: dict[str, str] = {}
    texts = bundled_sentences.sentence_text.tolist()[:400] + ["", "U.S. officials' said: it's 3.5% — Müller's"]
    for text in texts:
        want = D._tokenize(text)
        got = D._tokenize_compact(text, terms)
        assert len(got) == len(want) and got.terms == [t[0] for t in want]
        assert [got[k] for k in range(len(got))] == list(want)
        assert all(got[a:b] == want[a:b] for a in range(-2, len(want) + 2) for b in (a + 1, a + 3, len(want)))
        if len(want):
            assert got[-1] == want[-1] and got[::2] == want[::2] and got[::-1] == want[::-1]


def test_is_caption_equals_the_pattern(bundled_sentences):
    # the literal pre-test never turns away a text the pattern matches (ASCII texts; others go to the pattern)
    from analysis.labels import screens as SC

    texts = bundled_sentences["sentence_text"].astype(str).tolist() + [
        "FILE PHOTO: a man", "Photographs by AP", "photos", "photographer", "Getty  Images", "AP\tPhoto",
        "REUTERS/Kevin Lamarque", "AFP/Getty", "Image credit: x", "image source", "CAPTION", "Click here",
        "SUBSCRIBE now", "Sign up", "sign-up", "signing up", "ſubscribe", "ſign up", "Ph\u200boto", "pHoTo",
        "the photon", "image  Credit", "", "ap photo", "clicks here"]
    got = [SC._is_caption(t) for t in texts]
    assert got == [SC._CAPTION.search(t) is not None for t in texts]
    assert sum(got) >= 15
