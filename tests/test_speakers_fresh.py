"""The fresh held-out speaker set ``speakers_fresh.tsv`` (issue 17, fourth sample): its data only.

The set was labelled by reading, before any score was computed (see ``tests/data/README.md`` and the
file's header). These tests check that it is what its header says: 114 quotations from 21 articles of 21
outlets and three corpora, every snippet copied from its stored article text, no article of an earlier
speaker or entity set, the article texts unchanged from ``shared/corpus`` and the draw reproducible (the
last two only where the shared corpus is present), and the two methods' pinned counts on it.

Development data since issue 17's fifth pass: its errors were read and classified, two rule changes
were motivated by them, and it is training data of the learned chooser (``python -m
analysis.train_speakers``, all five sets). No figure on it is held out any more; the held-out
estimate is leave-one-set-out (README, "Quotations") and the lead's score of the blind set.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.test_speakers_holdout import (
    check_articles_and_header,
    check_texts_copied,
    draw_pool,
    read_set,
    shared_corpus,
)
from tests.test_speakers_holdout import earlier_articles as _earlier

DATA = Path(__file__).parent / "data"
LABELS = DATA / "speakers_fresh.tsv"
ARTICLES = DATA / "speakers_fresh_articles.jsonl"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EARLIER_TSV = ("speakers_dev.tsv", "speakers_test.tsv", "speakers_final.tsv", "speakers_holdout.tsv",
               "entities_test.tsv", "entities_holdout.tsv")
SEED = 1217
# drawn articles read but giving no row (only scare quotes, terms, titles) and the two skipped because
# every quotation in them is anonymous, as the header lists them
NO_ROW = {("abp-2013.jsonl", "DnsjaGOqzXEuXmWF"), ("iowa-caucus-2016", "06_guest-writer-right"),
          ("abp-2013.jsonl", "7LDxJTQNnA15uR9L"), ("abp-2013.jsonl", "TsQAlDTpq255xvm6"),
          ("abp-2013.jsonl", "HeMdKDUx1s9W6eAM"), ("abp-2013.jsonl", "MB8ylZdoVtf6L19G"),
          ("abp-2013.jsonl", "q3CDqTelzTbaT9Y5"), ("midterms-2014", "10_cnn-web-news")}
ALL_ANONYMOUS = {("abp-2013.jsonl", "8VeVzE9v9gv9G7ja"), ("abp-2013.jsonl", "uHcnkYw0aRDUDrju")}


def read_labels() -> pd.DataFrame:
    return read_set(LABELS)


def read_articles() -> pd.DataFrame:
    return read_set(ARTICLES)


def earlier_articles() -> tuple[set[tuple[str, str]], set[str]]:
    """(corpus, article_id) pairs and outlets of every earlier speaker or entity set."""
    return _earlier(EARLIER_TSV)


def test_counts_and_header():
    labels, arts = read_labels(), read_articles()
    assert len(labels) == 114 and len(labels) >= 100
    per_article = labels.groupby(["corpus", "article_id"]).size()
    assert len(per_article) == 21 and labels["outlet"].nunique() == 21  # one article per outlet
    assert labels.groupby("corpus")["article_id"].nunique().to_dict() == {
        "abp-2013.jsonl": 16, "iowa-caucus-2016": 1, "midterms-2014": 4}
    assert list(labels.columns) == ["corpus", "article_id", "outlet", "quote", "speaker", "evidence"]
    assert (labels["quote"].str.strip() == labels["quote"]).all() and (labels["quote"] != "").all()
    assert (labels["speaker"] != "").all() and (labels["evidence"] != "").all()
    alternatives = labels["speaker"].str.split("|").explode()
    assert (alternatives.str.strip() == alternatives).all() and (alternatives != "").all()
    assert labels["speaker"].str.contains("(unattributed)", regex=False).sum() == 7
    assert (labels["speaker"] == "(unattributed)").sum() == 4
    check_articles_and_header(labels, arts, LABELS, SEED)


def test_snippets_are_in_their_texts():
    labels, arts = read_labels(), read_articles()
    text = {(r.corpus, r.article_id): r.text for r in arts.itertuples(index=False)}
    for (corpus, aid, quote), n in labels.groupby(["corpus", "article_id", "quote"]).size().items():
        assert text[(corpus, aid)].count(quote) >= n >= 1, (aid, quote)
    repeated = sorted(r.quote for r in labels.itertuples(index=False)
                      if text[(r.corpus, r.article_id)].count(r.quote) > 1)
    # the two the header names; each labels the quotation-marked occurrence, as its evidence says
    assert repeated == ["I'm a big fan of Liz Cheney. But not in this race.", "on the ballot"]


def test_no_article_of_earlier_sets():
    labels = read_labels()
    pairs, outlets = earlier_articles()
    assert len(pairs) >= 60  # the earlier files were read (16 + 20 + 10 + 5 + 19 articles, some shared)
    mine = set(zip(labels["corpus"], labels["article_id"], strict=True))
    assert not mine & pairs, mine & pairs
    assert not (NO_ROW | ALL_ANONYMOUS) & pairs
    # outlets no earlier label file names; HotAir has an article in entities_dev.yaml (which has no
    # outlet column), so the draw counted it as used and the header lists only the other four as new
    new = set(labels["outlet"]) - outlets
    assert new == {"Media Research Center", "The Atlantic", "Reason Foundation", "William Bennett", "HotAir"}


@pytest.fixture(scope="module")
def corpus():
    if not (CORPUS / "abp-2013.jsonl").exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return shared_corpus()


def test_texts_are_copied_unchanged(corpus):
    check_texts_copied(read_articles(), corpus)


def test_draw_is_reproducible(corpus):
    """Re-draw with the stated rule and seed: the labelled articles are the ones read, in draw order."""
    pool, outlets = draw_pool(corpus, *earlier_articles())
    fresh = pool[~pool["outlet"].isin(outlets)]
    assert len(fresh) == 19 and fresh["outlet"].nunique() == 12
    fresh = fresh.sample(frac=1, random_state=SEED).drop_duplicates("outlet")
    rest = pool[~pool["outlet"].isin(fresh["outlet"])]
    days = rest[rest["corpus"] != "abp-2013.jsonl"].sample(frac=1, random_state=SEED).drop_duplicates("outlet")
    abp = rest[(rest["corpus"] == "abp-2013.jsonl") & ~rest["outlet"].isin(days["outlet"])]
    abp = abp.sample(frac=1, random_state=SEED).drop_duplicates("outlet")
    order = pd.concat([fresh, days, abp])
    drawn = list(zip(order["corpus"], order["article_id"], strict=True))
    labels = read_labels()
    kept = list(dict.fromkeys(zip(labels["corpus"], labels["article_id"], strict=True)))
    read = drawn[: drawn.index(kept[-1]) + 1]  # articles read, in draw order
    assert len(read) == 31
    assert [k for k in read if k in kept] == kept  # labelled articles appear in draw order
    assert {k for k in read if k not in kept} == NO_ROW | ALL_ANONYMOUS
    # the stop: 110 rows before the last article read (Media Matters), as the header explains
    assert (labels["article_id"] != kept[-1][1]).sum() == 110


def _scored(speakers: str):
    from tests.test_speakers import score_stored_set

    return score_stored_set(LABELS, ARTICLES, speakers)


def test_speakers_on_the_fresh_set_scored_once():
    """Scored once by the lead after issue 17's fourth pass (060955a), before anything was changed for it.

    ============================ ====================== ======================
    code                         recall (Wilson 95%)    speaker accuracy
    ============================ ====================== ======================
    session start (284e25a)      0.895 (102/114)        rules 0.667 (68/102),
                                                        model 0.608 (62/102)
    fourth pass, rules (default) 0.930 (106/114;        0.679 (72/106;
                                 0.868-0.964)           0.585-0.760)
    fourth pass, model           0.930                  0.670 (71/106)
    ============================ ====================== ======================

    The mixed-marks pairing raised recall; the rules' accuracy on unseen articles stays near
    two in three, far below the issue's 0.87, and recall is below its 0.95. Six of the eight
    quotations missed were in one article whose paragraphs a scraper had glued ('the bank."Money
    ...'); a straight mark right after a sentence's end and before a capital now opens one, after
    which (no longer held out) recall is 0.974 (111/114) and the rules' accuracy 0.694 (77/111).
    Fifth pass (development data now): the scorer accepts "(unattributed)" where a label lists it
    among its alternatives (78/111), and two rule changes made for this set's errors (a name of
    unknown type that speaks is a person for later pronouns; "“...,” Hudak lectured.") give 82/111
    (0.739); an organisation's name continued by "of"/"for" and capitals ("The Duke of Wellington")
    83/111 (0.748); "“...,” as Sanders put it" 85/111 (0.766); an unresolved "he" and "“...,” an
    agent told Townhall" name no one: 87/111 (0.784). Sixth pass: a full stop glued to the next
    sentence ends a sentence ("next year.Enzi made it clear") and an appositive may run to 120
    characters: 89/111 (0.802). Pinned counts: a regression guard, not a held-out figure.
    """
    recall, accuracy, errors, n = _scored("rules")
    print(f"fresh: {n} quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    assert n == 114
    assert (round(recall * n), round(accuracy * recall * n)) == (111, 89), errors


def test_learned_speaker_chooser_on_the_fresh_set_scored_once():
    """``speakers="model"`` (a16b6fe) scored once: 0.670 (71/106), one fewer than the rules.

    Since the fifth pass the shipped model is trained on this set too: 84/111 is a training-set
    figure (leave-one-set-out, trained on the other four: 80/111). 85/111 with the fifth pass's rules;
    87/111 with the sixth pass's rules and the model retrained on six sets (leave-one-set-out, trained
    on the other five: 81/111). Pinned: a regression guard.
    """
    recall, accuracy, errors, n = _scored("model")
    assert (round(recall * n), round(accuracy * recall * n)) == (111, 87), errors
