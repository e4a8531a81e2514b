"""The blind held-out speaker set ``speakers_blind.tsv`` (issue 17, fifth sample): its data only.

The set was labelled by reading, before any score was computed, while another helper changed the
speaker rules (see ``tests/data/README.md`` and the file's header). These tests check that it is what
its header says: 113 quotations from 14 articles of 14 outlets and two corpora, every snippet copied
from its stored article text and unique there, no article of an earlier speaker or entity set, the
article texts unchanged from ``shared/corpus`` and the draw reproducible (the last two only where the
shared corpus is present), and the one score of the speaker rules and the learned chooser on it.

Scored once by the lead at 2d1ab11, after issue 17's fifth pass was committed by a helper who never
opened the set (``test_speakers_on_the_blind_set_scored_once``). Development data from then on: the
sixth pass read its errors, changed the rules for their causes and trains the learned chooser on it,
so the counts pinned there now are regression guards, not held-out figures.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.test_speakers_holdout import (
    check_articles_and_header,
    check_rows,
    check_texts_copied,
    draw_pool,
    read_set,
    shared_corpus,
)
from tests.test_speakers_holdout import earlier_articles as _earlier

DATA = Path(__file__).parent / "data"
LABELS = DATA / "speakers_blind.tsv"
ARTICLES = DATA / "speakers_blind_articles.jsonl"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EARLIER_TSV = ("speakers_dev.tsv", "speakers_test.tsv", "speakers_final.tsv", "speakers_holdout.tsv",
               "speakers_fresh.tsv", "entities_test.tsv", "entities_holdout.tsv", "entities_fresh.tsv")
SEED = 1220
# the stop rule of the draw: read until this many labelled quotations and kept outlets
STOP_ROWS, STOP_OUTLETS = 110, 12
# drawn articles read but giving no row (only scare quotes, terms, titles, teaser links) and the one
# skipped because every quotation in it is anonymous, as the header lists them
NO_ROW = {("abp-2013.jsonl", "7LDxJTQNnA15uR9L"), ("abp-2013.jsonl", "MB8ylZdoVtf6L19G"),
          ("abp-2013.jsonl", "HeMdKDUx1s9W6eAM"), ("abp-2013.jsonl", "q3CDqTelzTbaT9Y5"),
          ("abp-2013.jsonl", "TsQAlDTpq255xvm6"), ("iowa-caucus-2016", "06_guest-writer-right"),
          ("midterms-2014", "10_cnn-web-news"), ("stimulus-2020", "07_the-atlantic"),
          ("abp-2013.jsonl", "ZXNDL9PIh8xryOlU")}
ALL_ANONYMOUS = {("abp-2013.jsonl", "8VeVzE9v9gv9G7ja")}


def read_labels() -> pd.DataFrame:
    return read_set(LABELS)


def read_articles() -> pd.DataFrame:
    return read_set(ARTICLES)


def earlier_articles() -> tuple[set[tuple[str, str]], set[str]]:
    """(corpus, article_id) pairs and outlets of every earlier speaker or entity set."""
    return _earlier(EARLIER_TSV)


def test_counts_and_header():
    labels, arts = read_labels(), read_articles()
    check_rows(labels, n_rows=113, per_corpus={"abp-2013.jsonl": 13, "midterms-2014": 1}, unattributed=(2, 0),
               per_article=[6, 1, 2, 19, 4, 19, 15, 4, 3, 8, 3, 11, 11, 7])
    check_articles_and_header(labels, arts, LABELS, SEED)


def test_snippets_occur_once_in_their_texts():
    labels, arts = read_labels(), read_articles()
    text = {(r.corpus, r.article_id): r.text for r in arts.itertuples(index=False)}
    counts = [text[(r.corpus, r.article_id)].count(r.quote) for r in labels.itertuples(index=False)]
    assert counts == [1] * len(labels), [q for q, n in zip(labels["quote"], counts, strict=True) if n != 1]
    assert not labels.duplicated(["corpus", "article_id", "quote"]).any()
    # rows follow the text within each article
    at = [text[(r.corpus, r.article_id)].index(r.quote) for r in labels.itertuples(index=False)]
    for _, group in pd.Series(at).groupby(labels["article_id"].to_numpy()):
        assert group.is_monotonic_increasing


def test_no_article_of_earlier_sets():
    labels = read_labels()
    pairs, outlets = earlier_articles()
    assert len(pairs) >= 80  # the earlier files were read (16 + 20 + 10 + 5 + 19 + 21 articles, some shared)
    mine = set(zip(labels["corpus"], labels["article_id"], strict=True))
    assert not mine & pairs, mine & pairs
    assert not (NO_ROW | ALL_ANONYMOUS) & pairs
    assert set(labels["outlet"]) - outlets == {"Rand Paul"}  # the one outlet new to the earlier files


@pytest.fixture(scope="module")
def corpus():
    if not (CORPUS / "abp-2013.jsonl").exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return shared_corpus()


def test_texts_are_copied_unchanged(corpus):
    check_texts_copied(read_articles(), corpus)


def test_draw_is_reproducible(corpus):
    """Re-draw with the stated rule and seed and walk it: the articles read are the kept ones and the header's."""
    pool, used = draw_pool(corpus, *earlier_articles())
    new = pool[~pool["outlet"].isin(used)]
    assert len(new) == 13 and new["outlet"].nunique() == 8
    rest = pool[pool["outlet"].isin(used)]
    days = rest[rest["corpus"] != "abp-2013.jsonl"]
    assert len(days) == 3
    abp = rest[rest["corpus"] == "abp-2013.jsonl"]
    order = pd.concat([s.sample(frac=1, random_state=SEED) for s in (new, days, abp)])
    labels = read_labels()
    rows = labels.groupby(["corpus", "article_id"]).size().to_dict()
    kept = list(dict.fromkeys(zip(labels["corpus"], labels["article_id"], strict=True)))
    read, outlets_kept, n = [], set(), 0
    for r in order.itertuples(index=False):
        if n >= STOP_ROWS and len(outlets_kept) >= STOP_OUTLETS:
            break
        if r.outlet in outlets_kept:  # one kept article per outlet
            continue
        read.append((r.corpus, r.article_id))
        if (r.corpus, r.article_id) in rows:
            outlets_kept.add(r.outlet)
            n += rows[(r.corpus, r.article_id)]
    assert len(read) == 24 and n == len(labels) == 113
    assert [k for k in read if k in rows] == kept  # every labelled article was read, in draw order
    assert set(read) - set(kept) == NO_ROW | ALL_ANONYMOUS
    # the last article read was needed: the count before it was under 110
    assert (labels["article_id"] != kept[-1][1]).sum() == 106 < STOP_ROWS


def test_speakers_on_the_blind_set_scored_once():
    """Scored once (no alias file, body text), before anything was changed for it.

    ===================== ===================== ==================================
    code (2d1ab11)        recall                speaker accuracy (Clopper-Pearson)
    ===================== ===================== ==================================
    rules (the default)   0.982 (111/113)       0.856 (95/111; 0.776-0.915)
    learned chooser       0.982 (111/113)       0.820 (91/111)
    ===================== ===================== ==================================

    Below the issue's 0.87 floor, above the earlier held-out sets (0.629, 0.679). The 16 rules errors:
    one article's five Romney quotations given to Obama or Fox News (pronouns and a paraphrase between
    them), "Hillary Rodham Clinton" proposed as "Rodham Clinton" (2), a photo credit and an AP credit as
    speakers, one article's quotations given to the wrong person named nearby (2), four unattributed
    where the text names the speaker or the justices.

    Sixth pass (development data now; the rules were changed for these errors' causes and the model
    is trained on this set): rules 107/111 (0.964), the model 100/111. Left wrong: "Rodham Clinton"
    (2, the entity proposals' name), the "47 percent" fundraiser quotation (an expletive "It" taken as
    Fox News), "The President passed off ..." resolved to the column's author, not the president named
    the sentence before; two not found (``a" silver-bullet"``, a quotation opened by a closing mark). The
    leave-one-set-out figures (rules before the set 95/111, the model trained on the other five
    91/111) are the comparison that is not tuned to this set. Pinned: a regression guard.
    """
    from tests.test_speakers import score_stored_set

    for speakers, right in (("rules", 107), ("model", 100)):
        recall, accuracy, errors, n = score_stored_set(LABELS, ARTICLES, speakers)
        assert (n, round(recall * n), round(accuracy * recall * n)) == (113, 111, right), (speakers, errors)
