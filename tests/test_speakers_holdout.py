"""The speaker set ``speakers_holdout.tsv`` (issue 17): held out in the third pass, development data since.

The set was labelled by reading, before any score was computed (see ``tests/data/README.md``). These
tests check that it is what its header says: 110 quotations from 19 articles of 19 outlets and two
corpora, every snippet copied from its stored article text, no article (and no outlet) of the earlier
speaker and entity sets, the article texts unchanged from ``shared/corpus`` and the draw reproducible
(the last two only where the shared corpus is present). It was scored once as a held-out set (rules
0.629 = 66/105, learned chooser 0.657 = 69/105); in the fourth pass its errors were read and it became
training data of the learned chooser, so the last two tests are regression guards, not held-out figures.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

DATA = Path(__file__).parent / "data"
LABELS = DATA / "speakers_holdout.tsv"
ARTICLES = DATA / "speakers_holdout_articles.jsonl"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NEWS_DAYS = ("iowa-caucus-2016", "midterms-2014", "stimulus-2020")
EARLIER_TSV = ("speakers_dev.tsv", "speakers_test.tsv", "speakers_final.tsv", "entities_test.tsv")
SEED = 1214


def read_set(path: Path) -> pd.DataFrame:
    """A stored speaker set's labels (``.tsv``, every column text) or articles (``.jsonl``)."""
    if Path(path).suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")


def read_labels() -> pd.DataFrame:
    return read_set(LABELS)


def read_articles() -> pd.DataFrame:
    return read_set(ARTICLES)


def earlier_articles(names: tuple[str, ...] = EARLIER_TSV) -> tuple[set[tuple[str, str]], set[str]]:
    """(corpus, article_id) pairs and outlets of the earlier speaker or entity sets `names` and entities_dev.yaml."""
    pairs, outlets = set(), set()
    for name in names:
        t = pd.read_csv(DATA / name, sep="\t", dtype=str, keep_default_na=False, comment="#")
        pairs |= set(zip(t["corpus"], t["article_id"], strict=True))
        if "outlet" in t:
            outlets |= set(t["outlet"])
    dev = yaml.safe_load((DATA / "entities_dev.yaml").read_text(encoding="utf-8"))

    def walk(node):
        if isinstance(node, dict):
            if "corpus" in node and "id" in node:
                pairs.add((node["corpus"], node["id"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(dev)
    return pairs, outlets


def check_rows(labels: pd.DataFrame, *, n_rows: int, per_corpus: dict, unattributed: tuple[int, int],
               per_article: list[int]) -> None:
    """Assert what every later labelled speaker file states of its rows.

    Its size; one article per outlet, so many per corpus; the columns; snippets trimmed, non-empty
    and without quotation marks; speakers and evidence non-empty, each ``|`` alternative trimmed;
    how many rows accept "(unattributed)" and how many accept only it; the rows of each article
    in draw order, as the header lists them.
    """
    assert len(labels) == n_rows and n_rows >= 100
    rows = labels.groupby(["corpus", "article_id"]).size()
    assert len(rows) == labels["outlet"].nunique() == sum(per_corpus.values())  # one article per outlet
    assert labels.groupby("corpus")["article_id"].nunique().to_dict() == per_corpus
    assert list(labels.columns) == ["corpus", "article_id", "outlet", "quote", "speaker", "evidence"]
    assert (labels["quote"].str.strip() == labels["quote"]).all() and (labels["quote"] != "").all()
    assert not labels["quote"].str.contains("[\"“”]").any()  # snippets are words inside the marks
    assert (labels["speaker"] != "").all() and (labels["evidence"] != "").all()
    alternatives = labels["speaker"].str.split("|").explode()
    assert (alternatives.str.strip() == alternatives).all() and (alternatives != "").all()
    assert (labels["speaker"].str.contains("(unattributed)", regex=False).sum(),
            (labels["speaker"] == "(unattributed)").sum()) == unattributed
    keys = list(dict.fromkeys(zip(labels["corpus"], labels["article_id"], strict=True)))
    assert rows.loc[keys].tolist() == per_article


def check_articles_and_header(labels: pd.DataFrame, arts: pd.DataFrame, path: Path, seed: int) -> None:
    """Assert the articles file holds exactly the labelled articles, and the header states seed, date and order."""
    # the articles file holds exactly the labelled articles, in label order, with the same outlets
    keys = list(dict.fromkeys(zip(labels["corpus"], labels["article_id"], labels["outlet"], strict=True)))
    assert list(zip(arts["corpus"], arts["article_id"], arts["outlet"], strict=True)) == keys
    assert list(arts.columns) == ["corpus", "article_id", "outlet", "headline", "text"]
    header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    assert f"seed {seed}" in header and "2026-12-01" in header
    assert "labelled before any score was computed" in header


def test_counts_and_header():
    labels, arts = read_labels(), read_articles()
    assert len(labels) == 110 and len(labels) >= 100
    per_article = labels.groupby(["corpus", "article_id"]).size()
    assert len(per_article) == 19 and labels["outlet"].nunique() == 19  # one article per outlet
    assert sorted(labels["corpus"].unique()) == ["abp-2013.jsonl", "stimulus-2020"]
    assert list(labels.columns) == ["corpus", "article_id", "outlet", "quote", "speaker", "evidence"]
    assert (labels["speaker"] != "").all() and (labels["evidence"] != "").all()
    check_articles_and_header(labels, arts, LABELS, SEED)


def test_snippets_are_in_their_texts():
    labels, arts = read_labels(), read_articles()
    text = {(r.corpus, r.article_id): r.text for r in arts.itertuples(index=False)}
    for (corpus, aid, quote), n in labels.groupby(["corpus", "article_id", "quote"]).size().items():
        assert text[(corpus, aid)].count(quote) >= n >= 1, (aid, quote)
    repeated = [(r.article_id, r.quote) for r in labels.itertuples(index=False)
                if text[(r.corpus, r.article_id)].count(r.quote) > 1]
    assert len(repeated) == 3, repeated  # the three the header names; the rest are unique in their article


def test_no_article_or_outlet_of_earlier_sets():
    labels = read_labels()
    pairs, outlets = earlier_articles()
    assert len(pairs) >= 40  # the earlier files were read (16 + 20 + 10 + 5 articles, some shared)
    mine = set(zip(labels["corpus"], labels["article_id"], strict=True))
    assert not mine & pairs, mine & pairs
    assert not set(labels["outlet"]) & outlets, set(labels["outlet"]) & outlets


def shared_corpus() -> pd.DataFrame:
    """Every article of the three news days and abp-2013.jsonl, as stored in ``shared/corpus``."""
    frames = []
    for day in NEWS_DAYS:
        m = pd.read_csv(CORPUS / day / "manifest.csv", dtype=str)
        frames.append(pd.DataFrame({
            "corpus": day, "article_id": m["file"].str.removesuffix(".txt"), "outlet": m["outlet"],
            "headline": m["headline"],
            "text": [(CORPUS / day / f).read_text(encoding="utf-8") for f in m["file"]],
        }))
    abp = pd.read_json(CORPUS / "abp-2013.jsonl", lines=True, dtype=False)
    frames.append(pd.DataFrame({"corpus": "abp-2013.jsonl", "article_id": abp["id"], "outlet": abp["outlet"],
                                "headline": abp["headline"], "text": abp["text"]}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def corpus():
    if not (CORPUS / "abp-2013.jsonl").exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return shared_corpus()


def check_texts_copied(arts: pd.DataFrame, corpus: pd.DataFrame) -> None:
    """Assert every stored article's outlet, headline and text are those of ``shared/corpus``."""
    src = corpus.set_index(["corpus", "article_id"])
    for r in arts.itertuples(index=False):
        s = src.loc[(r.corpus, r.article_id)]
        assert (s["outlet"], s["headline"], s["text"]) == (r.outlet, r.headline, r.text), r.article_id


def test_texts_are_copied_unchanged(corpus):
    check_texts_copied(read_articles(), corpus)


def draw_pool(corpus: pd.DataFrame, pairs: set, outlets: set) -> tuple[pd.DataFrame, set[str]]:
    """Return the articles a set may be drawn from, sorted, and the outlets earlier sets used.

    Drawable: not in an earlier set (`pairs`), 300-1,000 words, holding a quotation mark. The
    outlets are `outlets` and those of every article of an earlier set.
    """
    key = list(zip(corpus["corpus"], corpus["article_id"], strict=True))
    used = pd.Series([k in pairs for k in key], index=corpus.index)
    pool = corpus[~used & corpus["text"].str.split().str.len().between(300, 1000)
                  & corpus["text"].str.contains("[\"“”]")].sort_values(["corpus", "article_id"])
    return pool, outlets | set(corpus.loc[used, "outlet"])


def test_draw_is_reproducible(corpus):
    """Re-draw with the stated rule and seed: the labelled articles are the first ones read, in order."""
    pool, outlets = draw_pool(corpus, *earlier_articles())
    pool = pool[~pool["outlet"].isin(outlets)]
    days = pool[pool["corpus"] != "abp-2013.jsonl"].sample(frac=1, random_state=SEED).drop_duplicates("outlet")
    abp = pool[(pool["corpus"] == "abp-2013.jsonl") & ~pool["outlet"].isin(days["outlet"])]
    abp = abp.sample(frac=1, random_state=SEED).drop_duplicates("outlet")
    drawn = list(zip(pd.concat([days, abp])["corpus"], pd.concat([days, abp])["article_id"], strict=True))
    labels = read_labels()
    kept = list(dict.fromkeys(zip(labels["corpus"], labels["article_id"], strict=True)))
    read = drawn[: drawn.index(kept[-1]) + 1]  # articles read, in draw order, until 100 quotations
    not_kept = [k for k in read if k not in kept]
    assert [k for k in read if k in kept] == kept  # labelled articles appear in draw order
    assert len(read) == 28 and len(not_kept) == 9  # 8 with no reported speech, 1 all-anonymous (see header)
    # the set stops at the first article that takes it to 100 quotations
    n_before_last = (labels["article_id"] != kept[-1][1]).sum()
    assert n_before_last < 100 <= len(labels)


def _score(method: str) -> tuple[float, float, list, int]:
    from tests.test_speakers import score_stored_set

    return score_stored_set(LABELS, ARTICLES, method)


def test_rules_on_the_holdout_set():
    """``speakers="rules"``: scored once as held out after the third pass (cc7734f): 0.629 (66/105), recall 0.955.

    Since mixed quotation marks pair (``“...,"``), recall is 1.000 (110/110) and the rules get
    69/110 (0.627); the rules were not changed for this set's errors, but it is no longer held out
    (its errors were read in the fourth pass). Fifth pass: 70/110, from a change motivated by the
    fresh set (a name of unknown type that speaks is a person for the pronouns after it: "McKeon
    has criticized ..., saying" keeps the "he said" after it); 72/110 since a place or organisation
    that only modifies the person after it gives way to that person ("Virginia Gov.-elect Terry
    McAuliffe", motivated by this set); 73/110 since "“...,” the reporter said" names no one.
    Sixth pass (motivated by this set and the blind one): 76/110 from the owner of a speech noun
    ("Peggy Noonan’s ... column last week about how we’re “...”", "Obama’s own statement ... that
    ... “...”") and a passive agent ("smeared as a “liar” ... by ... E.J. Dionne").
    Pinned counts: a regression guard.
    """
    recall, accuracy, errors, n = _score("rules")
    print(f"holdout, rules: {n} quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    assert n == 110
    assert (round(recall * n), round(accuracy * recall * n)) == (110, 76), errors


def test_learned_speaker_chooser_on_the_holdout_set():
    """``speakers="model"``: scored once as held out (769e339): 0.657 (69/105).

    The shipped model is now trained on this set too (all four sets), so its score here is a
    training-set figure, not a held-out one: the held-out estimate is leave-one-set-out in
    ``python -m analysis.train_speakers --cv`` (trained on the other three sets: 71/110 = 0.645; fifth
    pass, trained on the other four: 72/110 = 0.655; sixth pass, trained on the other five: 72/110).
    Pinned counts: a regression guard.
    """
    recall, accuracy, errors, n = _score("model")
    print(f"holdout, model: {n} quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    assert (round(recall * n), round(accuracy * recall * n)) == (110, 75), errors
