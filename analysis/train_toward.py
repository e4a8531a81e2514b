"""Train and cross-validate the toward-a-person sentiment model on NewsMTSC.

    python -m analysis.train_toward --data ../shared/data/newsmtsc/train.jsonl \\
        --holdout tests/data/newsmtsc_sample.jsonl --out analysis/resource_files/toward_model.json

Reads the NewsMTSC training split (Hamborg & Donnay, "NewsMTSC: A Dataset for
(Multi-)Target-dependent Sentiment Classification in Political News Articles", EACL 2021;
MIT licence; github.com/fhamborg/NewsMTSC), one JSON sentence per line with its labelled
targets (polarity 2.0 negative, 4.0 neutral, 6.0 positive). Runs 5-fold cross-validation
grouped by source article (sentences of one article never on both sides of a fold), prints
macro-F1 per fold and per-class precision, recall and F1 beside two baselines measured on
the same folds (VADER on the sentence; logistic regression on masked word n-grams plus
VADER left and right of the target), then fits on all rows and writes the vocabulary, idf,
coefficients and those figures as JSON for :mod:`analysis.toward` (numpy inference).

Needs scikit-learn (a development dependency); inference does not. Deterministic: the
same data gives a byte-identical model file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import toward as T
from analysis.errors import AnalysisError, ParameterError, ResourceError

LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}  # NewsMTSC polarity codes
C = 1.0  # inverse regularisation of the logistic regression (chosen by grouped CV)
NUMERIC_WEIGHT = 1.0  # scale of the dense VADER features beside the L2-normalised TF-IDF row
MIN_DF = 2  # keep features seen in at least this many training mentions
SIG_DIGITS = 8  # significant digits of the floats written to the model file
PAPER_MACRO_F1 = 0.83  # the published transformer model (GRU-TSC) on NewsMTSC's test sets


def article_id(gid: str) -> str:
    """Return the source article of a NewsMTSC ``primary_gid``.

    Parameters
    ----------
    gid : str
        "allsides_<article>_<event>_<sentence>_<target>_..." or
        "polusa_v1_<article>_-1_<sentence>_<target>_...".

    Returns
    -------
    str
        Its first three underscore-separated fields.

    Examples
    --------
    >>> article_id("allsides_1000_401_25_Reality Leigh Winner_0_6")
    'allsides_1000_401'
    >>> article_id("polusa_v1_113704059_-1_35_Northam_148_155")
    'polusa_v1_113704059'
    """
    parts = gid.split("_")
    if len(parts) < 4 or parts[0] not in ("allsides", "polusa"):
        raise ResourceError(f"NewsMTSC primary_gid {gid!r}: expected allsides_... or polusa_...")
    return "_".join(parts[:3])


def read_newsmtsc(path) -> pd.DataFrame:
    """Read a NewsMTSC jsonl split; return one row per labelled target mention.

    Parameters
    ----------
    path : str or os.PathLike
        The ``train.jsonl`` file.

    Returns
    -------
    pandas.DataFrame
        ``text``, ``start``, ``end``, ``label`` (negative/neutral/positive), ``article``,
        ``group`` (article, merged with any other article holding the same sentence text),
        ``others`` (spans of all targets in the sentence); in file order.

    Raises
    ------
    ResourceError
        On a missing file, a bad line or an unknown polarity, naming the line.
    """
    path = Path(path)
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"NewsMTSC file {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            text, art = r["sentence_normalized"], article_id(r["primary_gid"])
            spans = [(int(t["from"]), int(t["to"])) for t in r["targets"]]
            for t, (a, b) in zip(r["targets"], spans, strict=True):
                if t["polarity"] not in LABELS:
                    raise ValueError(f"polarity {t['polarity']!r}; valid: {sorted(LABELS)}")
                rows.append((text, a, b, LABELS[t["polarity"]], art, spans))
        except (KeyError, TypeError, ValueError, AnalysisError) as exc:
            raise ResourceError(f"NewsMTSC file {path}, line {n}: {exc}") from exc
    df = pd.DataFrame(rows, columns=["text", "start", "end", "label", "article", "others"])
    df["group"] = _merge_groups(df["article"], df["text"])
    return df


def _merge_groups(articles: pd.Series, texts: pd.Series) -> np.ndarray:
    """Union articles that share a sentence text, so a repeated sentence stays in one fold."""
    parent: dict[str, str] = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    first: dict[str, str] = {}
    for art, text in zip(articles, texts, strict=True):
        ra, rb = find(art), find(first.setdefault(text, art))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(a) for a in articles])


def holdout_lines(path, *, n: int = 200) -> list[str]:
    """Return whole articles' lines of a NewsMTSC file, at least `n` lines, as the test sample.

    Articles are taken in order of the SHA-256 of their id (a fixed pseudo-random order),
    all their lines in file order, until `n` lines are reached; the lines are returned
    in file order, unchanged. ``tests/data/newsmtsc_sample.jsonl`` was made by this
    function with n=200, and ``--holdout`` keeps its articles out of the shipped model.
    """
    lines = [x for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]
    arts = [article_id(json.loads(x)["primary_gid"]) for x in lines]
    order = sorted(set(arts), key=lambda a: hashlib.sha256(a.encode()).hexdigest())
    chosen, count = set(), 0
    for a in order:
        if count >= n:
            break
        chosen.add(a)
        count += arts.count(a)
    return [x for x, a in zip(lines, arts, strict=True) if a in chosen]


def featurize(df: pd.DataFrame) -> tuple[list[list[str]], np.ndarray]:
    """Return the feature lists and dense features of every row of :func:`read_newsmtsc`."""
    return T._features_table(df["text"].tolist(), df["start"].tolist(), df["end"].tolist(),
                             df["others"].tolist())


def fit(docs, dense, y, *, c: float = C, numeric_weight: float = NUMERIC_WEIGHT,
        min_df: int = MIN_DF):
    """Fit TF-IDF + dense features + multinomial logistic regression (scikit-learn).

    Returns
    -------
    (TfidfVectorizer, LogisticRegression)
        The fitted vectorizer and classifier.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True, lowercase=False)
    X = _design(vec.fit_transform(docs), dense, numeric_weight)
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(X, np.asarray(y))
    return vec, clf


def _identity(doc):
    return doc


def _design(tfidf, dense, numeric_weight):
    import scipy.sparse as sp

    return sp.hstack([tfidf, numeric_weight * np.asarray(dense, dtype=float)]).tocsr()


def sklearn_proba(vec, clf, docs, dense, numeric_weight: float = NUMERIC_WEIGHT) -> np.ndarray:
    """Return scikit-learn's class probabilities (negative, neutral, positive) for new rows."""
    p = clf.predict_proba(_design(vec.transform(docs), dense, numeric_weight))
    return p[:, [list(clf.classes_).index(c) for c in T.CLASSES]]


def _round(x) -> list:
    return [float(f"{v:.{SIG_DIGITS}g}") for v in np.asarray(x, dtype=float).ravel()]


def export_model(vec, clf, *, numeric_weight: float = NUMERIC_WEIGHT,
                 metadata: dict | None = None) -> dict:
    """Return the model as plain data for :class:`analysis.toward.TowardModel` (JSON-ready).

    Floats keep :data:`SIG_DIGITS` significant digits; rows of ``coef`` follow
    :data:`analysis.toward.CLASSES`.
    """
    order = [list(clf.classes_).index(c) for c in T.CLASSES]
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    return {
        "feature_version": T.FEATURE_VERSION,
        "classes": list(T.CLASSES),
        "numeric_weight": numeric_weight,
        "vocabulary": vocab,
        "idf": _round(vec.idf_),
        "coef": [_round(clf.coef_[k]) for k in order],
        "intercept": _round(clf.intercept_[order]),
        "metadata": metadata or {},
    }


def _class_report(y_true, y_pred) -> dict:
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, n = precision_recall_fscore_support(y_true, y_pred, labels=list(T.CLASSES),
                                                 zero_division=0)
    return {c: {"precision": round(float(p[k]), 4), "recall": round(float(r[k]), 4),
                "f1": round(float(f[k]), 4), "n": int(n[k])} for k, c in enumerate(T.CLASSES)}


def vader_baseline(texts) -> np.ndarray:
    """Label each sentence by VADER's compound (>= 0.05 positive, <= -0.05 negative)."""
    from analysis.sentiment import NEG_THRESHOLD, POS_THRESHOLD, score_texts

    comp = score_texts(list(texts))[:, 3]
    return np.where(comp >= POS_THRESHOLD, "positive",
                    np.where(comp <= NEG_THRESHOLD, "negative", "neutral"))


def cross_validate(df: pd.DataFrame, docs, dense, *, folds: int = 5, seed: int = 0) -> dict:
    """Run grouped, stratified k-fold CV of the model and both baselines; return the figures."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedGroupKFold

    y = df["label"].to_numpy()
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(cv.split(np.zeros(len(y)), y, df["group"].to_numpy()))
    vader = vader_baseline(df["text"])
    plain_docs = [[w for w in d if w.startswith(("w:", "b:"))] for d in docs]
    plain_dense = np.hstack([dense[:, :2], np.zeros((len(y), dense.shape[1] - 2))])
    pred = {"model": np.empty(len(y), dtype=object), "lr_plain": np.empty(len(y), dtype=object)}
    per_fold = {"model": [], "lr_plain": [], "vader_sentence": []}
    for k, (tr, te) in enumerate(splits):
        for name, d, x in (("model", docs, dense), ("lr_plain", plain_docs, plain_dense)):
            vec, clf = fit([d[i] for i in tr], x[tr], y[tr])
            pred[name][te] = clf.predict(_design(vec.transform([d[i] for i in te]), x[te],
                                                 NUMERIC_WEIGHT))
            per_fold[name].append(f1_score(y[te], pred[name][te], average="macro"))
        per_fold["vader_sentence"].append(f1_score(y[te], vader[te], average="macro"))
        print(f"fold {k + 1}: test {len(te)} mentions; macro-F1 model "
              f"{per_fold['model'][-1]:.4f}, LR plain {per_fold['lr_plain'][-1]:.4f}, VADER "
              f"{per_fold['vader_sentence'][-1]:.4f}", file=sys.stderr, flush=True)
    pred["vader_sentence"] = vader
    out = {"folds": folds, "seed": seed, "grouped_by": "source article (primary_gid fields 1-3)",
           "n_mentions": int(len(y)), "n_groups": int(df["group"].nunique())}
    for name, scores in per_fold.items():
        out[name] = {"macro_f1_mean": round(float(np.mean(scores)), 4),
                     "macro_f1_sd": round(float(np.std(scores, ddof=1)), 4),
                     "macro_f1_folds": [round(float(s), 4) for s in scores],
                     "macro_f1_pooled": round(float(f1_score(y, pred[name], average="macro")), 4),
                     "per_class": _class_report(y, pred[name])}
    out["paper_macro_f1"] = PAPER_MACRO_F1
    return out


def train(data, *, folds: int = 5, seed: int = 0, cv: bool = True, holdout=None) -> dict:
    """Cross-validate on every row, fit on all rows but `holdout`'s articles; return the model.

    Parameters
    ----------
    data : str or os.PathLike
        NewsMTSC ``train.jsonl``.
    folds, seed : int
        Cross-validation folds and shuffling seed.
    cv : bool, default True
        Run the cross-validation (its figures go into ``metadata["cv"]``).
    holdout : str or os.PathLike, optional
        A NewsMTSC-format file whose articles are left out of the final fit (the test
        sample), so the tests measure the shipped model on mentions it never saw.

    Returns
    -------
    dict
        Model data (:func:`export_model`).
    """
    data = Path(data)
    df = read_newsmtsc(data)
    docs, dense = featurize(df)
    meta = {"data": "NewsMTSC train split (Hamborg & Donnay, EACL 2021; MIT licence)",
            "data_sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
            "n_mentions": int(len(df)),
            "labels": {k: int(v) for k, v in df["label"].value_counts().sort_index().items()},
            "C": C, "min_df": MIN_DF, "numeric_weight": NUMERIC_WEIGHT}
    if cv:
        meta["cv"] = cross_validate(df, docs, dense, folds=folds, seed=seed)
    keep = np.ones(len(df), dtype=bool)
    if holdout:
        held = set(read_newsmtsc(holdout)["article"])
        keep = ~df["article"].isin(held).to_numpy()
        meta["holdout"] = {"file": Path(holdout).name, "n_articles": len(held),
                           "n_mentions_left_out": int((~keep).sum())}
    meta["n_mentions_fitted"] = int(keep.sum())
    vec, clf = fit([d for d, k in zip(docs, keep, strict=True) if k], dense[keep],
                   df["label"].to_numpy()[keep])
    return export_model(vec, clf, metadata=meta)


def dumps(model: dict) -> str:
    """Serialise model data deterministically (sorted keys, compact, trailing newline)."""
    return json.dumps(model, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv=None) -> int:
    """Command-line entry point; see the module docstring."""
    ap = argparse.ArgumentParser(prog="python -m analysis.train_toward", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="NewsMTSC train.jsonl")
    ap.add_argument("--out", required=True, help="model file to write (.json)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    ap.add_argument("--holdout", default=None,
                    help="NewsMTSC-format file whose articles the final fit leaves out "
                         "(tests/data/newsmtsc_sample.jsonl)")
    args = ap.parse_args(argv)
    try:
        if args.folds < 2:
            raise ParameterError(f"--folds {args.folds}; use 2 or more")
        t0 = time.perf_counter()
        model = train(args.data, folds=args.folds, seed=args.seed, cv=not args.no_cv,
                      holdout=args.holdout)
        Path(args.out).write_text(dumps(model), encoding="utf-8")
    except AnalysisError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cv = model["metadata"].get("cv")
    if cv:
        print(format_cv(cv))
    print(f"wrote {args.out} ({Path(args.out).stat().st_size:,} bytes, "
          f"{len(model['vocabulary']):,} features) in {time.perf_counter() - t0:.0f} s")
    return 0


def format_cv(cv: dict) -> str:
    """Return the cross-validation figures as a Markdown table."""
    lines = [f"{cv['folds']}-fold CV grouped by article: {cv['n_mentions']} mentions, "
             f"{cv['n_groups']} groups", "",
             "| method | macro-F1 mean (sd) | folds | neg P/R/F1 | neu P/R/F1 | pos P/R/F1 |",
             "|---|---|---|---|---|---|"]
    for name in ("vader_sentence", "lr_plain", "model"):
        r = cv[name]
        cls = [f"{r['per_class'][c]['precision']:.2f}/{r['per_class'][c]['recall']:.2f}/"
               f"{r['per_class'][c]['f1']:.2f}" for c in T.CLASSES]
        folds = ", ".join(f"{s:.3f}" for s in r["macro_f1_folds"])
        lines.append(f"| {name} | {r['macro_f1_mean']:.3f} ({r['macro_f1_sd']:.3f}) | {folds} | "
                     + " | ".join(cls) + " |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
