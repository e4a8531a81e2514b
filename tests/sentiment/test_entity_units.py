"""entity_scores' unit texts are taken from the sentence column in its own storage (Arrow strings stay Arrow)."""

from __future__ import annotations

import pytest

from analysis import entities as E
from analysis import sentiment as V
from analysis.errors import SchemaError


@pytest.fixture(scope="module")
def tables(bundled_sentences):
    s = bundled_sentences
    arrow = s.assign(**{c: s[c].astype("string[pyarrow]") for c in
                        ("sentence_id", "article_id", "outlet", "sentence_text")})
    mentions = E.find_mentions(arrow, aliases=E.load_aliases(E.SHIPPED_ALIASES))
    return s, arrow, mentions


def test_unit_text_is_each_units_sentence(tables):
    s, arrow, mentions = tables
    units = V.entity_scores(mentions, arrow)
    text_of = dict(zip(s["sentence_id"], s["sentence_text"], strict=True))
    assert len(units) > 100
    assert units["unit_text"].tolist() == [text_of[i] for i in units["sentence_id"]]  # by hand, via a dict
    assert units["unit_text"].dtype == arrow["sentence_text"].dtype  # not a Python string per unit


def test_same_units_as_python_strings(tables):
    s, arrow, mentions = tables
    plain = V.entity_scores(mentions.astype({c: object for c in mentions.columns[:7]}), s.astype(
        {c: object for c in ("sentence_id", "article_id", "outlet", "sentence_text")}))
    units = V.entity_scores(mentions, arrow)
    assert units.astype(object).to_csv() == plain.astype(object).to_csv()
    scores = V.score_sentences(s)
    given = V.entity_scores(mentions, arrow, scores=scores)
    assert given.astype(object).to_csv() == plain.astype(object).to_csv()


def test_unknown_sentence_still_refused(tables):
    s, arrow, mentions = tables
    with pytest.raises(KeyError):
        V.entity_scores(mentions.assign(sentence_id="no/such"), arrow)


def test_without_unit_text_the_same_other_columns(tables):
    s, arrow, mentions = tables
    scores = V.score_sentences(s)
    full = V.entity_scores(mentions, arrow, scores=scores)
    bare = V.entity_scores(mentions, arrow, scores=scores, unit_text=False)
    assert "unit_text" not in bare.columns
    assert bare.to_csv() == full.drop(columns="unit_text").to_csv()
    by_full, by_bare = V.entity_sentiment(full, n_boot=200), V.entity_sentiment(bare, n_boot=200)
    assert by_bare.to_csv() == by_full.to_csv()
    scored_here = V.entity_scores(mentions, arrow, unit_text=False)  # no scores: texts read to score, then dropped
    assert scored_here.to_csv() == bare.to_csv()


@pytest.mark.parametrize("unit", ["sentence", "window"])
def test_units_of_selected_mentions_are_the_units_of_all_filtered(tables, unit):
    # the notebook scores only the mentions of the entities it shows, ENTITY_INPUTS' columns only
    from analysis import partition

    s, arrow, mentions = tables
    scores = V.score_sentences(s)
    every = partition.per_article(V.entity_scores, mentions, arrow, unit=unit, window=4, scores=scores)
    typed = mentions["type"].isin(["person"])
    frequent = mentions["entity"][typed].value_counts().loc[lambda n: n >= 3].index
    shown = typed & mentions["entity"].isin(frequent)
    assert 0 < shown.sum() < len(mentions)
    expected = every[every["type"].isin(["person"]) & every["entity"].isin(frequent)].reset_index(drop=True)
    for chunk in (0, 1, 2):
        units = partition.per_article(V.entity_scores, mentions.loc[shown, list(V.ENTITY_INPUTS)], arrow,
                                      unit=unit, window=4, chunk_articles=chunk, split={"scores": scores})
        assert units.to_csv() == expected.to_csv()
        assert units.dtypes.equals(expected.dtypes)
        flagged = mentions[list(V.ENTITY_INPUTS)].assign(shown=shown)  # a flag instead of a copy: the same
        units = partition.per_article(V.entity_scores, flagged, arrow, only="shown", unit=unit, window=4,
                                      chunk_articles=chunk, split={"scores": scores})
        assert units.to_csv() == expected.to_csv()
        assert units.dtypes.equals(expected.dtypes)
    by_all = V.entity_sentiment(every[every["type"].isin(["person"]) & every["entity"].isin(frequent)], n_boot=200)
    assert V.entity_sentiment(units, n_boot=200).to_csv() == by_all.to_csv()
    with pytest.raises(SchemaError, match="end"):  # a window needs the mention's offsets
        V.entity_scores(mentions.drop(columns="end"), arrow, unit="window")
    V.entity_scores(mentions.drop(columns=["kind", "surface", "start", "end"]), arrow)  # a sentence does not
