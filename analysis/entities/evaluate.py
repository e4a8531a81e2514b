"""Measure proposed entities against hand-labelled articles: precision, recall, merges.

The labelled file (``tests/data/entities_dev.yaml``) lists, for each article, every real
person with the surface forms the article uses, and the organisations and places.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.entities.aliases import ALIAS, ALIAS_COLUMNS, ENTITY, ENTITY_TYPE, AliasError, _key

__all__ = ["load_gold", "score_articles", "score_dev_corpora", "score_proposals"]
GOLD_COLUMNS = ("set", "corpus", S.ARTICLE_ID, ENTITY, ENTITY_TYPE, ALIAS)
SCORE_COLUMNS = ("measure", "hits", "total", "value")
DEV_GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "entities_dev.yaml"
TEST_GOLD = DEV_GOLD.with_name("entities_test.tsv")
TEST_ARTICLES = DEV_GOLD.with_name("speakers_test_articles.jsonl")


def load_gold(path=DEV_GOLD) -> tuple[pd.DataFrame, list[str]]:
    """Read a hand-labelled entity file; return its rows and its junk list.

    Parameters
    ----------
    path : str or os.PathLike
        A YAML file with ``articles`` (each: ``corpus``, ``id``, ``people`` mapping a
        canonical name to its surface forms, ``organizations``, ``places``), optionally
        ``heldout`` (articles in the same format, labelled after the rules were tuned), and
        ``junk``.

    Returns
    -------
    (pandas.DataFrame, list of str)
        One row per (article, entity, surface form): ``set`` ("dev" or "held-out"),
        ``corpus``, ``article_id``,
        ``entity``, ``type`` ("person", "organization", "place"), ``alias`` (for
        organisations and places, the name itself); and the strings that must never be
        proposed as a person.

    Raises
    ------
    AliasError
        When the file lacks ``articles`` or an article lacks ``corpus``/``id``.

    Examples
    --------
    >>> gold, junk = load_gold()
    >>> sorted(gold.loc[gold.entity == "Ted Cruz", "alias"].unique())
    ['Cruz', 'Ted Cruz']
    """
    from analysis.corpus import read_yaml

    if str(path).endswith(".tsv"):
        return _load_gold_table(path)
    data = read_yaml(path, what="labelled entity file", error=AliasError)
    arts = data.get("articles") if isinstance(data, dict) else None
    if not isinstance(arts, list):
        raise AliasError(f"labelled entity file {path}: expected a top-level 'articles:' list")
    rows = []
    held = data.get("heldout") or []
    for i, (which, art) in enumerate([("dev", a) for a in arts] + [("held-out", a) for a in held]):
        if not isinstance(art, dict) or not art.get("corpus") or not art.get("id"):
            raise AliasError(f"labelled entity file {path}: article #{i + 1} needs 'corpus' and 'id'")
        for name, surfaces in (art.get("people") or {}).items():
            for s in surfaces or [name]:
                rows.append((which, art["corpus"], str(art["id"]), name, "person", s))
        for field, etype in (("organizations", "organization"), ("places", "place")):
            for name in art.get(field) or []:
                rows.append((which, art["corpus"], str(art["id"]), name, etype, name))
    return pd.DataFrame(rows, columns=list(GOLD_COLUMNS)), [str(j) for j in data.get("junk") or []]


def _load_gold_table(path) -> tuple[pd.DataFrame, list[str]]:
    """Read the tab-separated labelled file (``tests/data/entities_test.tsv``); see :func:`load_gold`.

    Columns ``corpus, article_id, name, label, person`` (``#`` lines are comments): a person
    row is one surface form of the real person ``person``; organization and place rows
    name one thing; junk rows are strings that must never be proposed as a person.
    """
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    need = ["corpus", "article_id", "name", "label", "person"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise AliasError(f"labelled entity file {path}: missing column(s) {missing}; expected {need}")
    bad = table.loc[~table["label"].isin(["person", "organization", "place", "junk"]), "label"]
    if len(bad):
        raise AliasError(f"labelled entity file {path}: label {bad.iloc[0]!r} in row {bad.index[0] + 1}; "
                         "expected person, organization, place or junk")
    keep = table[table["label"] != "junk"]
    entity = keep["person"].where(keep["label"] == "person", keep["name"])
    rows = pd.DataFrame({"set": "test", "corpus": keep["corpus"], S.ARTICLE_ID: keep["article_id"],
                         ENTITY: entity, ENTITY_TYPE: keep["label"], ALIAS: keep["name"]})
    junk = list(dict.fromkeys(table.loc[table["label"] == "junk", "name"]))
    return rows.reset_index(drop=True), junk


def _pair_counts(labels: dict[str, str | None], gold: dict[str, str]) -> tuple[int, int, int]:
    """Return (pairs together in both, together in the system, together in the gold)."""
    both = sys_n = gold_n = 0
    for a, b in combinations(sorted(gold), 2):
        same_gold = gold[a] == gold[b]
        same_sys = labels[a] is not None and labels[a] == labels[b]
        both += same_gold and same_sys
        sys_n += same_sys
        gold_n += same_gold
    return both, sys_n, gold_n


def score_proposals(aliases: pd.DataFrame, mentions: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Score proposed entities against the labelled articles they were found in.

    Parameters
    ----------
    aliases : pandas.DataFrame
        Proposals (or any alias table) for the corpus: ``entity``, ``type``, ``kind``,
        ``alias``.
    mentions : pandas.DataFrame
        :func:`analysis.entities.find_mentions` of the labelled articles' sentences with
        `aliases`.
    gold : pandas.DataFrame
        :func:`load_gold` rows of those articles.

    Returns
    -------
    pandas.DataFrame
        One row per measure: ``measure``, ``hits``, ``total``, ``value`` (hits / total,
        NaN when total is 0). Measures, each counted per (article, entity):
        ``person_precision`` (proposed people found in an article that are real people
        of its gold list: the entity's name is one of that person's labelled forms),
        ``person_recall`` (gold people found as a proposed person under one of their
        forms), ``merge_precision`` / ``merge_recall`` (pairs of labelled surface forms
        of people in one article put under one entity by the proposals, against pairs
        the gold puts together), ``org_place_as_person`` (labelled organisations and
        places proposed as people; lower is better).

    Examples
    --------
    >>> a = pd.DataFrame({"entity": ["Ted Cruz", "Ted Cruz", "Iowa"], "type": ["person", "person", "person"],
    ...                   "kind": ["name", "surname", "name"], "alias": ["Ted Cruz", "Cruz", "Iowa"]})
    >>> m = pd.DataFrame({"article_id": ["x", "x"], "entity": ["Ted Cruz", "Iowa"], "type": ["person"] * 2})
    >>> g = pd.DataFrame({"set": "dev", "corpus": "c", "article_id": "x", "entity": ["Ted Cruz", "Ted Cruz", "Iowa"],
    ...                   "type": ["person", "person", "place"], "alias": ["Ted Cruz", "Cruz", "Iowa"]})
    >>> score_proposals(a, m, g).set_index("measure").value.round(2).to_dict()
    {'person_precision': 0.5, 'person_recall': 1.0, 'merge_precision': 1.0, 'merge_recall': 1.0, \
'org_place_as_person': 1.0}

    Notes
    -----
    O(labelled surface forms squared per article) for the pairs, O(rows) otherwise.
    Names and forms are compared folded (accents, case, spaces), so "Patiño" and
    "Patino" are one form.
    """
    S.check_columns(aliases, ALIAS_COLUMNS, table="aliases")
    S.check_columns(mentions, [S.ARTICLE_ID, ENTITY, ENTITY_TYPE], table="mentions")
    S.check_columns(gold, GOLD_COLUMNS, table="gold")
    owner = {}
    for entity, alias in aliases[[ENTITY, ALIAS]].itertuples(index=False):
        owner.setdefault(_key(alias), entity)
    etype = dict(zip(aliases[ENTITY], aliases[ENTITY_TYPE], strict=True))
    prec = [0, 0]
    rec = [0, 0]
    merge = [0, 0, 0]
    orgs = [0, 0]
    found = mentions[mentions[ENTITY_TYPE] == "person"].groupby(S.ARTICLE_ID)[ENTITY].apply(set).to_dict()
    for aid, g in gold.groupby(S.ARTICLE_ID, sort=True):
        people = g[g[ENTITY_TYPE] == "person"]
        forms: dict[str, set[str]] = {}
        for name, part in people.groupby(ENTITY):
            forms[name] = {_key(s) for s in part[ALIAS]} | {_key(name)}
        proposed = found.get(aid, set())
        for ent in proposed:
            prec[1] += 1
            prec[0] += any(_key(ent) in f for f in forms.values())
        for f in forms.values():
            rec[1] += 1
            rec[0] += any(_key(ent) in f for ent in proposed)
        labels = {_key(s): owner.get(_key(s)) for s in people[ALIAS]}
        truth = {_key(s): n for s, n in zip(people[ALIAS], people[ENTITY], strict=True)}
        both, sys_n, gold_n = _pair_counts(labels, truth)
        merge[0] += both
        merge[1] += sys_n
        merge[2] += gold_n
        for name in g.loc[g[ENTITY_TYPE] != "person", ENTITY].unique():
            ent = owner.get(_key(name))
            if ent is not None:
                orgs[1] += 1
                orgs[0] += etype.get(ent) == "person"
    rows = [("person_precision", *prec), ("person_recall", *rec), ("merge_precision", merge[0], merge[1]),
            ("merge_recall", merge[0], merge[2]), ("org_place_as_person", *orgs)]
    out = pd.DataFrame(rows, columns=list(SCORE_COLUMNS[:3]))
    out["value"] = out["hits"] / out["total"].where(out["total"] > 0)
    return out


def score_dev_corpora(corpus_root, *, gold_path=DEV_GOLD) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Propose entities on each labelled corpus and score them; return scores and junk found.

    Parameters
    ----------
    corpus_root : str or os.PathLike
        The folder holding the corpora the labelled file names (``shared/corpus``).
    gold_path : str or os.PathLike, default the shipped ``tests/data/entities_dev.yaml``
        The labelled file (see :func:`load_gold`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Scores: one row per set ("dev", "held-out") x corpus x measure (``set``,
        ``corpus``, then the columns of :func:`score_proposals`), plus rows with corpus
        "all" summing hits and totals over each set's corpora.
        Junk: one row per (corpus, junk string) proposed as a person (empty is good).

    Notes
    -----
    A folder corpus is proposed on whole (every article of the news day is context for
    merging names); a table corpus (``abp-2013.jsonl``, 4,142 articles of many stories)
    is reduced to its labelled articles first. O(characters of the corpora).
    """
    import json
    import tempfile

    from analysis.corpus import load_corpus
    from analysis.entities.mentions import find_mentions
    from analysis.entities.propose import propose_entities
    from analysis.sentences import split_sentences

    gold, junk = load_gold(gold_path)
    root = Path(corpus_root)
    scores, bad = [], []
    for (which, corpus), g in gold.groupby(["set", "corpus"], sort=False):
        ids = set(g[S.ARTICLE_ID])
        path = root / corpus
        with tempfile.TemporaryDirectory() as tmp:
            if path.is_file():
                keep = Path(tmp) / path.name
                with open(path, encoding="utf-8") as src, open(keep, "w", encoding="utf-8") as dst:
                    dst.writelines(line for line in src if line.strip() and json.loads(line).get("id") in ids)
                path = keep
            articles = load_corpus(path)
        sentences = split_sentences(articles)
        aliases = propose_entities(sentences)
        mentions = find_mentions(sentences[sentences[S.ARTICLE_ID].isin(ids)], aliases=aliases)
        scores.append(score_proposals(aliases, mentions, g).assign(set=which, corpus=corpus))
        people = set(aliases.loc[aliases[ENTITY_TYPE] == "person", ALIAS].map(_key))
        bad += [(corpus, j) for j in junk if _key(j) in people and (corpus, j) not in bad]
    out = pd.concat(scores, ignore_index=True)
    total = out.groupby(["set", "measure"], sort=False)[["hits", "total"]].sum().reset_index().assign(corpus="all")
    out = pd.concat([out, total], ignore_index=True)
    out["value"] = out["hits"] / out["total"].where(out["total"] > 0)
    return out[["set", "corpus", *SCORE_COLUMNS]], pd.DataFrame(bad, columns=["corpus", "junk"])


def score_articles(articles: pd.DataFrame | None = None, *, gold_path=TEST_GOLD) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Propose entities on stored labelled articles, per corpus, and score them; no corpus folder needed.

    Parameters
    ----------
    articles : pandas.DataFrame, optional
        The labelled articles with their texts: ``corpus``, ``article_id``, ``outlet``,
        ``headline``, ``text``. Default: ``tests/data/speakers_test_articles.jsonl``, the
        10 held-out articles of ``tests/data/entities_test.tsv``.
    gold_path : str or os.PathLike, default the shipped ``tests/data/entities_test.tsv``
        The labelled file (see :func:`load_gold`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Scores as :func:`score_dev_corpora` (one row per set x corpus x measure, plus corpus
        "all"), and one row per (corpus, article, junk string) proposed as a person in an
        article where it is labelled junk.

    Notes
    -----
    Each corpus's articles are proposed on together (the only context a user with these
    articles would have), so merges rest on fewer mentions than on a whole news day.
    O(characters of the articles).

    Examples
    --------
    >>> scores, junk = score_articles()
    >>> sorted(scores["measure"].unique())[:2]
    ['merge_precision', 'merge_recall']
    """
    from analysis.entities.mentions import find_mentions
    from analysis.entities.propose import propose_entities
    from analysis.sentences import split_sentences

    if articles is None:
        articles = pd.read_json(TEST_ARTICLES, lines=True, dtype=False)
    gold, _ = load_gold(gold_path)
    table = pd.read_csv(gold_path, sep="\t", dtype=str, keep_default_na=False, comment="#")
    junk = table[table["label"] == "junk"]
    scores, bad = [], []
    for corpus, arts in articles.groupby("corpus", sort=False):
        arts = arts.drop(columns="corpus").reset_index(drop=True)
        sentences = split_sentences(arts)
        aliases = propose_entities(sentences)
        mentions = find_mentions(sentences, aliases=aliases)
        g = gold[gold["corpus"] == corpus]
        scores.append(score_proposals(aliases, mentions, g).assign(set="test", corpus=corpus))
        people = mentions[mentions[ENTITY_TYPE] == "person"]
        proposed = {(a, _key(e)) for a, e in zip(people[S.ARTICLE_ID], people[ENTITY], strict=True)}
        mine = junk[junk["corpus"] == corpus]
        bad += [(corpus, a, j) for a, j in zip(mine["article_id"], mine["name"], strict=True)
                if (a, _key(j)) in proposed]
    out = pd.concat(scores, ignore_index=True)
    total = out.groupby(["set", "measure"], sort=False)[["hits", "total"]].sum().reset_index().assign(corpus="all")
    out = pd.concat([out, total], ignore_index=True)
    out["value"] = out["hits"] / out["total"].where(out["total"] > 0)
    return out[["set", "corpus", *SCORE_COLUMNS]], pd.DataFrame(bad, columns=["corpus", S.ARTICLE_ID, "junk"])
