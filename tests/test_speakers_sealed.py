"""The sealed held-out speaker set ``speakers_sealed.tsv`` (issue 17, seventh speaker file): its data only.

The set was labelled by reading, before any score was computed, while another helper changed the
speaker rules (see ``tests/data/README.md`` and the file's header). These tests check that it is what
its header says: 114 quotations from 16 articles of 16 outlets and three corpora, every snippet copied
from its stored article text (unique there but for the three fragments the header names), no article of
an earlier speaker or entity set, the article texts unchanged from ``shared/corpus`` and the draw
reproducible (the last two only where the shared corpus is present).

Scored once, by the lead, after the sixth pass of speaker rules was committed (561ee1d, session 23):
rules 103/114 = 0.904 (Wilson 0.835-0.945), recall 114/114; the learned chooser 104/114 = 0.912.
The two scoring tests below pin those counts as a regression guard; once the rules are changed for
this set's errors it is development data like the others.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.test_speakers_holdout import (
    check_articles_and_header,
    check_rows,
    check_texts_copied,
    read_set,
    shared_corpus,
)
from tests.test_speakers_holdout import earlier_articles as _earlier

DATA = Path(__file__).parent / "data"
LABELS = DATA / "speakers_sealed.tsv"
ARTICLES = DATA / "speakers_sealed_articles.jsonl"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EARLIER_TSV = ("speakers_dev.tsv", "speakers_test.tsv", "speakers_final.tsv", "speakers_holdout.tsv",
               "speakers_fresh.tsv", "speakers_blind.tsv", "entities_test.tsv", "entities_holdout.tsv",
               "entities_fresh.tsv")
SEED = 1223
# the pool's word range (str.split): wider than the earlier sets' 300-1000, see the header
MIN_WORDS, MAX_WORDS = 300, 1500
# the stop rule of the draw: read until this many labelled quotations and kept outlets
STOP_ROWS, STOP_OUTLETS = 110, 12
# drawn articles read but giving no row, and the two skipped because every quotation is anonymous
NO_ROW = {("abp-2013.jsonl", "7LDxJTQNnA15uR9L"), ("abp-2013.jsonl", "q3CDqTelzTbaT9Y5"),
          ("abp-2013.jsonl", "TsQAlDTpq255xvm6"), ("iowa-caucus-2016", "06_guest-writer-right"),
          ("abp-2013.jsonl", "MB8ylZdoVtf6L19G"), ("abp-2013.jsonl", "Cvr9FwkG3gvbI621"),
          ("abp-2013.jsonl", "rCEizqqBNonG1QSe"), ("abp-2013.jsonl", "HeMdKDUx1s9W6eAM"),
          ("midterms-2014", "10_cnn-web-news"), ("stimulus-2020", "07_the-atlantic")}
ALL_ANONYMOUS = {("abp-2013.jsonl", "8VeVzE9v9gv9G7ja"), ("iowa-caucus-2016", "04_politico")}
# NewsBusters rows labelled after the last article was read (the header says why); the walk of the
# draw used the count without them
ADDED_AFTER_STOP = {("abp-2013.jsonl", "Rkur0kLQRi7mgsAi"): 4}
# the three short fragments that repeat in their article: the labelled quotation is the first occurrence
REPEATED = {("midterms-2014", "11_cnn-web-news", "progress on jobs"),
            ("abp-2013.jsonl", "sU0gQ2448OlP0iM2", "essential"),
            ("abp-2013.jsonl", "Rkur0kLQRi7mgsAi", "powerful")}
NEW_OUTLETS = {"Time Magazine", "TheBlaze.com", "NewsBusters", "ProPublica", "Ann Coulter", "National Review",
               "Newsmax - News"}


def read_labels() -> pd.DataFrame:
    return read_set(LABELS)


def read_articles() -> pd.DataFrame:
    return read_set(ARTICLES)


def earlier_articles() -> tuple[set[tuple[str, str]], set[str]]:
    """(corpus, article_id) pairs and outlets of every earlier speaker or entity set."""
    return _earlier(EARLIER_TSV)


def test_counts_and_header():
    labels, arts = read_labels(), read_articles()
    check_rows(labels, n_rows=114, per_corpus={"abp-2013.jsonl": 12, "midterms-2014": 3, "stimulus-2020": 1},
               unattributed=(7, 3), per_article=[3, 8, 27, 7, 4, 1, 12, 1, 6, 7, 4, 6, 5, 9, 11, 3])
    check_articles_and_header(labels, arts, LABELS, SEED)


def test_snippets_occur_once_in_their_texts():
    labels, arts = read_labels(), read_articles()
    text = {(r.corpus, r.article_id): r.text for r in arts.itertuples(index=False)}
    counts = {(r.corpus, r.article_id, r.quote): text[(r.corpus, r.article_id)].count(r.quote)
              for r in labels.itertuples(index=False)}
    assert {k for k, n in counts.items() if n != 1} == REPEATED
    assert all(counts[k] == 2 for k in REPEATED) and min(counts.values()) == 1
    assert not labels.duplicated(["corpus", "article_id", "quote"]).any()
    # rows follow the text within each article (a repeated fragment is labelled at its first occurrence)
    at = [text[(r.corpus, r.article_id)].index(r.quote) for r in labels.itertuples(index=False)]
    for _, group in pd.Series(at).groupby(labels["article_id"].to_numpy()):
        assert group.is_monotonic_increasing


def test_no_article_of_earlier_sets():
    labels = read_labels()
    pairs, outlets = earlier_articles()
    assert len(pairs) >= 90  # the earlier files were read (16 + 20 + 10 + 5 + 19 + 21 + 14 articles, some shared)
    mine = set(zip(labels["corpus"], labels["article_id"], strict=True))
    assert not mine & pairs, mine & pairs
    assert not (NO_ROW | ALL_ANONYMOUS) & pairs
    assert set(labels["outlet"]) - outlets == NEW_OUTLETS  # seven outlets new to the earlier files


@pytest.fixture(scope="module")
def corpus():
    if not (CORPUS / "abp-2013.jsonl").exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return shared_corpus()


def test_texts_are_copied_unchanged(corpus):
    check_texts_copied(read_articles(), corpus)


def test_draw_is_reproducible(corpus):
    """Re-draw with the stated rule and seed and walk it: the articles read are the kept ones and the header's."""
    pairs, outlets = earlier_articles()
    key = list(zip(corpus["corpus"], corpus["article_id"], strict=True))
    used = pd.Series([k in pairs for k in key], index=corpus.index)
    pool = corpus[~used & corpus["text"].str.split().str.len().between(MIN_WORDS, MAX_WORDS)
                  & corpus["text"].str.contains("[\"“”]")].sort_values(["corpus", "article_id"])
    seen = outlets | set(corpus.loc[used, "outlet"])
    new = pool[~pool["outlet"].isin(seen)]
    assert len(new) == 22 and new["outlet"].nunique() == 14
    rest = pool[pool["outlet"].isin(seen)]
    days = rest[rest["corpus"] != "abp-2013.jsonl"]
    assert len(days) == 8
    abp = rest[rest["corpus"] == "abp-2013.jsonl"]
    order = pd.concat([s.sample(frac=1, random_state=SEED) for s in (new, days, abp)])
    labels = read_labels()
    rows = labels.groupby(["corpus", "article_id"]).size().to_dict()
    at_walk = {k: n - ADDED_AFTER_STOP.get(k, 0) for k, n in rows.items()}
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
            n += at_walk[(r.corpus, r.article_id)]
    assert len(read) == 28 and n == 110 and len(labels) == 114
    assert [k for k in read if k in rows] == kept  # every labelled article was read, in draw order
    assert set(read) - set(kept) == NO_ROW | ALL_ANONYMOUS
    # the last article read was needed when it was read (107 before it); with the four rows added
    # after the stop, the count before it is 111
    before_last = sum(v for k, v in at_walk.items() if k != kept[-1])
    assert before_last == 107 < STOP_ROWS
    assert (labels["article_id"] != kept[-1][1]).sum() == 111


def _score(method: str) -> tuple[float, float, list, int]:
    from tests.test_speakers import score_stored_set  # imported here: it imports the extractor

    return score_stored_set(LABELS, ARTICLES, method)


def test_rules_on_the_sealed_set():
    """``speakers="rules"`` (the default): scored once as held out at 561ee1d, 103/114 = 0.904, recall 1.000.

    Against the issue's floor of 0.87 with recall >= 0.95. The 11 wrong: organisations and agencies
    read short or as the wrong body ("National Oceanic" for the National Oceanic and Atmospheric
    Administration, "NBC" for its reporter, "IRS", "Tea Party", "Union"), quotations left
    unattributed whose speaker is named paragraphs before (Obama twice, Jefferson, Christie, an IRS
    letter's signer), and a report's unattributed words given to the subject of the sentence.
    """
    recall, accuracy, errors, n = _score("rules")
    print(f"sealed, rules: {n} quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    assert n == 114
    assert (round(recall * n), round(accuracy * recall * n)) == (114, 103), errors


def test_learned_speaker_chooser_on_the_sealed_set():
    """``speakers="model"``: scored once as held out at 561ee1d (trained on the six earlier sets), 104/114 = 0.912."""
    recall, accuracy, errors, n = _score("model")
    print(f"sealed, model: {n} quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    assert (round(recall * n), round(accuracy * recall * n)) == (114, 104), errors
