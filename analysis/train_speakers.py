"""Train the speaker chooser (:mod:`analysis.quotes.model`) on the labelled quotations; cross-validate it.

Usage::

    python -m analysis.train_speakers                          # write analysis/resource_files/speaker_model.json
    python -m analysis.train_speakers --cv --out /tmp/m.json   # also print the cross-validation report
    python -m analysis.train_speakers --cv --rules today --out /tmp/m.json   # rule features from today's rules

Training data: the six labelled speaker sets of issue 17 (``tests/data/speakers_dev.tsv``,
whose article texts are read from ``/work/shared/corpus`` or ``--corpora``;
``speakers_test.tsv``, ``speakers_final.tsv``, ``speakers_holdout.tsv``, ``speakers_fresh.tsv``
and ``speakers_blind.tsv`` with their stored texts). Each set is
extracted on its own with no alias file (entities proposed from that set's sentences), as
the tests do. Every candidate of every labelled quotation is labelled right or wrong by the
scorer's rule (:func:`analysis.quotes.evaluate.same_speaker`); a logistic regression
(scikit-learn, a development dependency) is fitted on the binary features, and its weights are
written as JSON, rounded, with sorted keys, so retraining gives the same bytes.

Today's rules were written on these sets (0.93-0.96 on the first three and the sixth, 0.69-0.80 on the
fourth and fifth), so a
model shown their picks learns to trust them far more than they deserve on new text. By
default (``--rules fresh``) the rule features of each set come from the package as it was
before that set was labelled (:data:`FRESH_RULES`, run from ``git archive`` of the commit):
rules that had not seen the set, as reliable there as today's are on new articles. ``--rules
none`` trains on the shape features alone.

Cross-validation (``--cv``): 5 folds grouped by article over the six sets (no article on both
sides), today's rules, the fresh rules and the model scored on the same folds with the tests'
scorer; and leave-one-set-out (train on five sets, test on the sixth), which chose :data:`C`. Accuracy is over labelled
quotations found, with Wilson 95% intervals, and a bootstrap over articles of the differences.
Cost: three extractions of each set (today's, the fresh commit's) and a few seconds of fitting.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.quotes.columns import LOCATION, SPEAKER, UNATTRIBUTED
from analysis.quotes.evaluate import match_labels, same_speaker
from analysis.quotes.model import (
    MODEL_FILE,
    RulePick,
    SpeakerModel,
    _close,
    quotation_candidates,
    with_previous,
    with_rules,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CORPORA = Path("/work/shared/corpus")
SETS = ("dev", "test", "final", "holdout", "fresh", "blind")
_MISSING = RulePick(UNATTRIBUTED, "none", "none", "", "", "missing", "none")  # the old package did not find it
# inverse regularisation strength, chosen by leave-one-set-out over the five sets (right of 550 found:
# C=1 405, 0.1 410, 0.03 417, 0.01 415; a flat curve, and chosen on the figures it is reported with);
# on six sets (661 found) C=0.1 508, 0.03 509, 0.01 507: kept
C = 0.03
FOLDS = 5
# train on the quotations of no speech too (README: leave-one-set-out, 391 instead of 417 of 550 speakers right,
# 109 instead of 7 of 138 quotations of no speech left unattributed; off: the measure is the first)
NEGATIVES = False
SEED = 0


def _dev_articles(labels: pd.DataFrame, corpora: Path) -> pd.DataFrame:
    """Return the articles of ``speakers_dev.tsv`` from the development corpora, keyed "corpus/article_id"."""
    from analysis.corpus import load_corpus

    parts = []
    for corpus, ids in labels.groupby("corpus")["article_id"]:
        if corpus.endswith(".jsonl"):  # a 4,142-article table: read only the labelled rows
            with open(corpora / corpus, encoding="utf-8") as f:
                rows = [r for r in map(json.loads, f) if r["id"] in set(ids)]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / corpus
                path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
                arts = load_corpus(path)
        else:
            arts = load_corpus(corpora / corpus)
        arts = arts[arts["article_id"].isin(set(ids))]
        parts.append(arts.assign(article_id=corpus + "/" + arts["article_id"]))
    return pd.concat(parts, ignore_index=True)


def load_set(name: str, *, corpora: Path = CORPORA) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Return (labels, articles, body_only) of one labelled speaker set (a name of :data:`SETS`)."""
    if name == "dev":
        labels = pd.read_csv(DATA / "speakers_dev.tsv", sep="\t", dtype=str, keep_default_na=False)
        return labels, _dev_articles(labels, corpora), False
    labels = pd.read_csv(DATA / f"speakers_{name}.tsv", sep="\t", dtype=str, keep_default_na=False, comment="#")
    arts = pd.read_json(DATA / f"speakers_{name}_articles.jsonl", lines=True, dtype=False)
    arts = arts.assign(article_id=arts["corpus"] + "/" + arts["article_id"])
    return labels, arts[["article_id", "outlet", "headline", "text"]], True


# The package as it was before each set was labelled: its rules had not seen that set, so their
# picks there are as reliable as the rules are on new text (speaker accuracy 0.55, 0.58, 0.60, 0.61, 0.67).
FRESH_RULES = {"dev": "ddb78ba", "test": "b9012b4", "final": "708d65b", "holdout": "cc7734f", "fresh": "060955a",
               "blind": "2d1ab11"}
_OLD_EXTRACT = """
import sys
sys.path.insert(0, sys.argv[1])
import inspect
import pandas as pd
from analysis import quotes as Q
from analysis.sentences import split_sentences
arts = pd.read_pickle(sys.argv[2])
kw = {"speakers": "rules"} if "speakers" in inspect.signature(Q.extract_quotes).parameters else {}
Q.extract_quotes(arts, split_sentences(arts), aliases=None, **kw).to_pickle(sys.argv[3])
"""


def rules_at(ref: str, articles: pd.DataFrame) -> pd.DataFrame:
    """Return the quotes table the package at git commit `ref` extracts from `articles` (no alias file).

    ``git archive`` of that commit's ``analysis/`` into a temporary directory, run in a
    subprocess that imports it first.
    """
    import subprocess

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(root), "archive", ref, "analysis"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        articles.to_pickle(Path(tmp) / "in.pkl")
        subprocess.run([sys.executable, "-c", _OLD_EXTRACT, tmp, str(Path(tmp) / "in.pkl"),
                        str(Path(tmp) / "out.pkl")], check=True, cwd=tmp)
        return pd.read_pickle(Path(tmp) / "out.pkl")


def candidate_table(name: str, *, corpora: Path = CORPORA, rules: str = "fresh") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (labelled quotations, candidates) of one set.

    Quotations: one row per label found (``set``, ``article``, ``label``, ``qid``, ``gold``,
    ``rules``: today's rules' speaker, ``fresh``: the speaker of the package before the set
    was labelled). Candidates: one row per (quotation, candidate) of every quotation found,
    labelled or not: ``qid``, ``name``, ``rule``, ``base`` (features), ``features`` (with the
    previous quotation's right speaker, when labelled), ``labelled``, ``right`` (by
    :func:`same_speaker` against the quotation's first label), ``prev_qid``. `rules` says
    whose pick the rule features describe: "fresh" (:data:`FRESH_RULES`), "today" or "none".
    A body-text quotation that holds no labelled snippet is labelled too (``negative`` True), its
    right candidate :data:`UNATTRIBUTED`: the labellers read every quotation mark of these
    articles and left out only scare quotes, terms and titles, so it is no reported speech;
    :func:`fit` learns from these rows only when asked (``negatives``).
    """
    from analysis.quotes.columns import QUOTE_COLUMNS
    from analysis.quotes.extract import _record_row, attributed_texts
    from analysis.sentences import split_sentences

    labels, arts, body_only = load_set(name, corpora=corpora)
    old = rules_at(FRESH_RULES[name], arts) if rules == "fresh" else None
    old_pick = {} if old is None else {
        (a, loc, int(st)): RulePick(sp, ty, ki if ki not in ("pronoun", "generic") or sp == su else "resolved",
                                    su, "", cue, ki)
        for a, loc, st, sp, ty, ki, su, cue in old[["article_id", LOCATION, "start_char", SPEAKER, "speaker_type",
                                                    "speaker_kind", "speaker_surface", "cue"]].itertuples(index=False)}
    rows, cands, raw = [], {}, {}
    row_of = None
    for n, aid, outlet, location, art, records in attributed_texts(arts, split_sentences(arts), aliases=None):
        if n != row_of:
            row_of, k = n, 0
        shapes = quotation_candidates(art, records, rules=False)
        today = quotation_candidates(art, records)
        for j, (rec, shape, mine) in enumerate(zip(records, shapes, today, strict=True)):
            qid = f"{aid}/q{k}"
            rows.append(_record_row(aid, outlet, location, k, rec, qid))
            if rules == "fresh":
                pick = old_pick.get((aid, location, rec["start"]), _MISSING)
                options = with_rules(shape, pick)
                unresolved = pick.kind in ("pronoun", "generic") or (pick.name != UNATTRIBUTED and pick.type == "none")
                raw[qid] = UNATTRIBUTED if unresolved else pick.name  # what that package said, unmapped
            else:
                options = mine if rules == "today" else shape
            prev_qid = f"{aid}/q{k - 1}" if j and _close(art, records[j - 1], rec) else None
            cands[qid] = (options, prev_qid)
            k += 1
    quotes = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    if body_only:
        quotes = quotes[quotes[LOCATION] == "text"].reset_index(drop=True)
    hits = match_labels(labels, quotes)
    gold = {}
    for r, i in zip(labels.itertuples(index=False), hits, strict=True):
        if i is not None:
            gold.setdefault(quotes.at[i, "quote_id"], r.speaker)
    fresh = {qid: raw.get(qid, next((c.name for c in cands[qid][0] if c.rule), UNATTRIBUTED)) for qid in cands}
    qrows = [(name, f"{r.corpus}/{r.article_id}", j, quotes.at[i, "quote_id"], r.speaker, quotes.at[i, SPEAKER],
              fresh[quotes.at[i, "quote_id"]], quotes.at[i, "cue"])
             for j, (r, i) in enumerate(zip(labels.itertuples(index=False), hits, strict=True)) if i is not None]
    crows = []
    kept = set(quotes["quote_id"])
    body = set(quotes.loc[quotes[LOCATION] == "text", "quote_id"])
    for qid, (options, prev_qid) in cands.items():  # every quotation, in text order
        if qid not in kept:
            continue
        want = gold.get(qid)
        negative = want is None and qid in body
        want = UNATTRIBUTED if negative else want
        prev_gold = gold.get(prev_qid)  # teacher forcing: the previous quotation's right candidate, when labelled
        prev = next((c.name for c in cands[prev_qid][0] if same_speaker(c.name, prev_gold)), None) \
            if prev_gold is not None else None
        for c, t in zip(options, with_previous(options, prev), strict=True):
            crows.append((qid, c.name, c.rule, c.features, t.features, want is not None,
                          want is not None and same_speaker(c.name, want), prev_qid, negative))
    q = pd.DataFrame(qrows, columns=["set", "article", "label", "qid", "gold", "rules", "fresh", "cue"])
    c = pd.DataFrame(crows, columns=["qid", "name", "rule", "base", "features", "labelled", "right", "prev_qid",
                                     "negative"])
    c = c.assign(qid=name + ":" + c["qid"], prev_qid=(name + ":" + c["prev_qid"]).where(c["prev_qid"].notna()))
    return q.assign(qid=name + ":" + q["qid"]), c


def load_all(*, corpora: Path = CORPORA, rules: str = "fresh") -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Return (quotations, candidates, labelled) of the six sets together."""
    qs, cs, n = [], [], 0
    for name in SETS:
        q, c = candidate_table(name, corpora=corpora, rules=rules)
        qs.append(q)
        cs.append(c)
        n += len(load_set(name, corpora=corpora)[0]) if name != "dev" else \
            len(pd.read_csv(DATA / "speakers_dev.tsv", sep="\t", dtype=str))
    return pd.concat(qs, ignore_index=True), pd.concat(cs, ignore_index=True), n


def fit(cands: pd.DataFrame, *, c: float = C, negatives: bool = NEGATIVES) -> dict:
    """Fit the logistic regression on candidate rows; return the model as a JSON-ready dict.

    Labelled quotations of reported speech, and with `negatives` the quotations of no speech
    too (their right answer :data:`UNATTRIBUTED`).
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    cands = cands[cands["labelled"] & (negatives | ~cands["negative"])]
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([dict.fromkeys(f, 1) for f in cands["features"]])
    clf = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    clf.fit(x, cands["right"].astype(int).to_numpy())
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 6) for n, w in zip(names, clf.coef_[0], strict=True) if round(float(w), 6)}
    return {"weights": weights, "intercept": round(float(clf.intercept_[0]), 6), "c": c,
            "n_candidates": int(len(cands)), "n_right": int(cands["right"].sum()),
            "n_quotations": int(cands["qid"].nunique()),
            "trained_on": "tests/data/speakers_dev.tsv, speakers_test.tsv, speakers_final.tsv, speakers_holdout.tsv, "
                          "speakers_fresh.tsv, speakers_blind.tsv"}


def predict(model: dict, cands: pd.DataFrame) -> dict:
    """Return {qid: chosen name} for every quotation of `cands`, decided in text order.

    Each quotation sees the pick of the quotation before it (:func:`with_previous`), as in
    :meth:`analysis.quotes.model.SpeakerModel.choose_text`.
    """
    from analysis.quotes.model import Candidate

    m = SpeakerModel(model)
    out: dict = {}
    for qid, part in cands.groupby("qid", sort=False):
        opts = [Candidate(n, "", "", "", "", r, f) for n, r, f in zip(part["name"], part["rule"], part["base"],
                                                                        strict=True)]
        prev = part["prev_qid"].iloc[0]
        opts = with_previous(opts, out.get(prev) if isinstance(prev, str) else None)
        out[qid] = opts[m.choose(opts)].name
    return out


def _wilson(k: int, n: int) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    return round(float(lo), 3), round(float(hi), 3)


def _accuracy(quotes: pd.DataFrame, chosen: pd.Series) -> dict:
    right = [same_speaker(p, g) for p, g in zip(chosen, quotes["gold"], strict=True)]
    k, n = int(sum(right)), len(right)
    return {"right": k, "n": n, "accuracy": round(k / max(n, 1), 3), "ci95": _wilson(k, n)}


def _bootstrap_difference(quotes: pd.DataFrame, a: pd.Series, b: pd.Series, *, n_boot: int = 2000) -> list:
    """95% percentile interval of accuracy(b) - accuracy(a), resampling articles."""
    ra = np.array([same_speaker(p, g) for p, g in zip(a, quotes["gold"], strict=True)], dtype=float)
    rb = np.array([same_speaker(p, g) for p, g in zip(b, quotes["gold"], strict=True)], dtype=float)
    arts = quotes["article"].to_numpy()
    groups = [np.flatnonzero(arts == x) for x in sorted(set(arts))]
    rng = np.random.default_rng(SEED)
    diffs = []
    for _ in range(n_boot):
        idx = np.concatenate([groups[i] for i in rng.integers(0, len(groups), len(groups))])
        diffs.append(rb[idx].mean() - ra[idx].mean())
    return [round(float(np.percentile(diffs, 2.5)), 3), round(float(np.percentile(diffs, 97.5)), 3)]


def cross_validate(quotes: pd.DataFrame, cands: pd.DataFrame, *, folds: int = FOLDS, c: float = C,
                   negatives: bool = NEGATIVES) -> dict:
    """Score rules and model on the same article-grouped folds and leave-one-set-out splits."""
    from sklearn.model_selection import GroupKFold

    arts = sorted(quotes["article"].unique())
    cand_art = cands["qid"].str.split(":", n=1).str[1].str.rsplit("/q", n=1).str[0]
    pred = pd.Series(index=quotes.index, dtype=object)
    per_fold = []
    splitter = GroupKFold(n_splits=folds)
    for k, (_, test_idx) in enumerate(splitter.split(arts, groups=arts)):
        test_arts = {arts[i] for i in test_idx}
        model = fit(cands[~cand_art.isin(test_arts)], c=c, negatives=negatives)
        chosen = predict(model, cands[cand_art.isin(test_arts)])
        mask = quotes["article"].isin(test_arts)
        pred[mask] = quotes.loc[mask, "qid"].map(chosen)
        per_fold.append({"fold": k, "articles": len(test_arts),
                         "rules": _accuracy(quotes[mask], quotes.loc[mask, "rules"]),
                         "fresh_rules": _accuracy(quotes[mask], quotes.loc[mask, "fresh"]),
                         "model": _accuracy(quotes[mask], pred[mask])})
    loso = []
    fresh_pick = cands[cands["rule"]].groupby("qid")["name"].first()
    for name in SETS:
        test = quotes["set"] == name
        model = fit(cands[~cands["qid"].str.startswith(name + ":")], c=c, negatives=negatives)
        chosen = predict(model, cands[cands["qid"].str.startswith(name + ":")])
        negq = cands.loc[cands["negative"] & cands["qid"].str.startswith(name + ":"), "qid"].unique()
        loso.append({"test_set": name, "rules": _accuracy(quotes[test], quotes.loc[test, "rules"]),
                     "fresh_rules": _accuracy(quotes[test], quotes.loc[test, "fresh"]),
                     "model": _accuracy(quotes[test], quotes.loc[test, "qid"].map(chosen)),
                     "no_speech": {"n": len(negq),  # quotations of no reported speech left unattributed
                                   "fresh_rules": int(sum(fresh_pick.get(q, UNATTRIBUTED) == UNATTRIBUTED
                                                          for q in negq)),
                                   "model": int(sum(chosen[q] == UNATTRIBUTED for q in negq))}})
    oracle = cands.groupby("qid")["right"].any()
    oracle_k = int(quotes["qid"].map(oracle).fillna(False).sum())
    return {"quotations_found": len(quotes), "articles": len(arts),
            "oracle": {"right": oracle_k, "n": len(quotes), "share": round(oracle_k / len(quotes), 3)},
            "grouped_cv": {"rules": _accuracy(quotes, quotes["rules"]),
                           "fresh_rules": _accuracy(quotes, quotes["fresh"]), "model": _accuracy(quotes, pred),
                           "model_minus_rules_ci95": _bootstrap_difference(quotes, quotes["rules"], pred),
                           "model_minus_fresh_rules_ci95": _bootstrap_difference(quotes, quotes["fresh"], pred),
                           "folds": per_fold},
            "leave_one_set_out": loso, "cv_predictions": pred}


def per_cue(quotes: pd.DataFrame, pred: pd.Series, cues: pd.Series) -> pd.DataFrame:
    """Return rules and cross-validated model accuracy by the rules' cue."""
    df = quotes.assign(cue=cues.to_numpy(),
                       rules_ok=[same_speaker(p, g) for p, g in zip(quotes["rules"], quotes["gold"], strict=True)],
                       model_ok=[same_speaker(p, g) for p, g in zip(pred, quotes["gold"], strict=True)])
    return df.groupby("cue").agg(n=("gold", "size"), rules=("rules_ok", "sum"), model=("model_ok", "sum")) \
        .sort_values("n", ascending=False)


def dumps(model: dict) -> str:
    """Serialise the model deterministically (sorted keys, fixed separators)."""
    return json.dumps(model, sort_keys=True, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n"


def main(argv=None) -> int:
    """Train (and optionally cross-validate) the speaker model; write its JSON."""
    ap = argparse.ArgumentParser(prog="python -m analysis.train_speakers", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(MODEL_FILE), help="where to write the model JSON")
    ap.add_argument("--corpora", default=str(CORPORA), help="the development corpora (for speakers_dev.tsv)")
    ap.add_argument("--cv", action="store_true", help="print the cross-validation report")
    ap.add_argument("-C", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--negatives", action="store_true", default=NEGATIVES,
                    help="also learn from the quotations of no reported speech (right answer: unattributed)")
    ap.add_argument("--rules", choices=("fresh", "today", "none"), default="fresh",
                    help="whose picks the rule features describe in training: the package before each set was "
                         "labelled (fresh), today's rules, or none (shape features only)")
    args = ap.parse_args(argv)
    quotes, cands, _ = load_all(corpora=Path(args.corpora), rules=args.rules)
    if args.cv:
        report = cross_validate(quotes, cands, c=args.C, negatives=args.negatives)
        pred = report.pop("cv_predictions")
        print(json.dumps(report, indent=1))
        print(per_cue(quotes, pred, quotes["cue"]).to_string())
    model = fit(cands, c=args.C, negatives=args.negatives)
    model["rule_features_from"] = {"fresh": dict(FRESH_RULES), "today": "working tree", "none": "none"}[args.rules]
    Path(args.out).write_text(dumps(model), encoding="utf-8")
    print(f"wrote {args.out}: {len(model['weights'])} weights from {model['n_quotations']} quotations",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
