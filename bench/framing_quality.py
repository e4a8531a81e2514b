"""Precision of discovered label pairs and shown fact conflicts on held-out slices of abp-2013.

The hand-labelled samples (tests/data/labels_test.tsv, facts_test.tsv; how they were made:
tests/data/README.md) were drawn from runs that the development samples (labels_dev.tsv,
facts_dev.tsv) did not use:

* labels: ``align_sentences`` -> ``substitutions`` -> ``label_discovery_summary`` on each
  calendar month of abp-2013 separately (the dev sample ranked the whole year at once); every
  pair the summary states in any month, except pairs already labelled in labels_dev.tsv.
* facts: ``extract_facts`` without the ``topic`` column (a corpus without a story column, so
  figures are compared within ``max_days`` only; the dev sample used ``topic`` as the story),
  ``fact_conflicts`` at the default ``min_overlap`` 0.25 and at 0.15; every conflict not in
  facts_dev.tsv at 0.25, every conflict the summary rule states at 0.15, and 15 drawn
  (``random_state=16``) of those it does not state.

``score`` runs the pipeline again with the current rules and looks up the verdict of every
item the summary states (label pairs by their two labels, test sample first, then the dev
sample; conflicts by sentence ids and figures). Items no sample labels are counted as
"unlabelled" and left out of the precision: a rule change that surfaces new items must have
them labelled before its figure means anything. Precision has a 95% Clopper-Pearson interval.

``final`` scores the final rules on fresh slices neither earlier sample used (tests/data/labels_final.tsv,
facts_final.tsv, labelled after every rule change, before scoring): label pairs the summary states on
each two-week window, ISO week, quarter, topic and outlet-bias group of abp-2013 and on each news-day
folder; conflicts the summary states with the topic kept (max_days 3 at 0.15; max_days 7 at 0.25 and
0.15), without it at min_overlap 0.10, and on the news-day folders. Items already in a dev or test
file are left out ("fresh"); each distinct item is counted once.

``all`` runs the current rules on every run any of the six samples came from (dev: the whole of
abp-2013 and the news-day folders; test: the 12 months; final: the 165 slices and the folders;
facts likewise) and prints, per labelled file, the precision over that file's rows the rules
still state, the rows no longer stated (``--verbose`` lists them), the precision over every
stated item with a verdict from any file, and the dropped candidates by reason; ``--unlabelled``
writes the stated items that no file labels yet (one row per item, ``stated_in`` = its slices or
runs), which is what a labeller must label before a new figure means anything. Sentence
alignments do not depend on the screens and are cached with ``--cache DIR`` (first run ~6 min,
later runs ~4 min of CPU).

Usage::

    nice .venv/bin/python bench/framing_quality.py score        # both sections, ~4 min
    nice .venv/bin/python bench/framing_quality.py score --unlabelled new.tsv  # + stated rows to label
    nice .venv/bin/python bench/framing_quality.py samples      # candidate rows to label (TSV to stdout)
    nice .venv/bin/python bench/framing_quality.py final [--unlabelled new.tsv]  # final sample, ~6 min
    nice .venv/bin/python bench/framing_quality.py all --cache /tmp/framing_cache --unlabelled new.tsv [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd
from scipy.stats import binomtest

from analysis import corpus as C
from analysis import facts as FA
from analysis import labels as L

CORPUS = Path("/work/shared/corpus/abp-2013.jsonl")
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FACT_RUNS = {"no topic, max_days 3, min_overlap 0.25": 0.25, "no topic, max_days 3, min_overlap 0.15": 0.15}


def _load():
    articles = C.load_corpus(str(CORPUS))
    sentences = C.split_articles(articles)
    month = dict(zip(articles["article_id"], articles["published"].astype(str).str[:7], strict=True))
    return articles, sentences, sentences["article_id"].map(month)


def month_summaries(sentences: pd.DataFrame, month: pd.Series) -> pd.DataFrame:
    """Return the label pairs label_discovery_summary states for each month (one row per pair and month)."""
    parts = []
    for m, part in sentences.groupby(month.to_numpy(), sort=True):
        part = part.reset_index(drop=True)
        subs = L.substitutions(L.align_sentences(part), part)
        kept, _ = L.label_discovery_summary(subs, sentences=part)
        parts.append(kept.assign(slice=f"published {m}", rank=range(1, len(kept) + 1)))
    return pd.concat(parts, ignore_index=True)


def fact_runs(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Return every conflict of the held-out runs (no story column), with the run's name."""
    facts = FA.extract_facts(sentences, articles=articles.drop(columns=["topic"]))
    return pd.concat([FA.fact_conflicts(facts, articles=articles, sentences=sentences, min_overlap=mo).assign(run=run)
                      for run, mo in FACT_RUNS.items()], ignore_index=True)


def _precision(verdicts: pd.Series) -> str:
    known = verdicts.dropna()
    k, n = int((known == "right").sum()), len(known)
    if not n:
        return f"0 labelled of {len(verdicts)} shown"
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    return (f"{k}/{n} = {k / n:.2f} (95% CI {ci.low:.2f}-{ci.high:.2f}); "
            f"{len(verdicts) - n} shown but unlabelled")


def score(unlabelled: str = "") -> None:
    articles, sentences, month = _load()
    test = pd.read_csv(DATA / "labels_test.tsv", sep="\t")
    dev = pd.read_csv(DATA / "labels_dev.tsv", sep="\t")
    key = lambda d: [tuple(sorted(p)) for p in zip(d["label_a"], d["label_b"], strict=True)]  # noqa: E731
    test_v, dev_v = dict(zip(key(test), test["verdict"], strict=True)), dict(zip(key(dev), dev["verdict"], strict=True))
    shown = month_summaries(sentences, month)
    k = key(shown)
    held_out = pd.Series([test_v.get(x) for x in k], dtype=object)
    either = pd.Series([test_v.get(x, dev_v.get(x)) for x in k], dtype=object)
    print(f"label pairs the summary states, 12 monthly runs of abp-2013 ({len(shown)} rows, top <= 20 per month):")
    print(f"  pairs not in the dev sample (held out):  {_precision(held_out[[x not in dev_v for x in k]])}")
    print(f"  all stated rows (dev verdicts reused):   {_precision(either)}")
    if unlabelled:
        cols = ["slice", "rank", "label_a", "label_b", "outlets", "pairs", "context_a", "context_b", "text_a", "text_b"]
        shown.loc[either.isna().to_numpy(), cols].to_csv(unlabelled, sep="\t", index=False)
    ftest = pd.read_csv(DATA / "facts_test.tsv", sep="\t")
    fdev = pd.read_csv(DATA / "facts_dev.tsv", sep="\t")
    fkey = lambda d: list(zip(d["sentence_a"], d["sentence_b"], d["fact_a"], d["fact_b"], strict=True))  # noqa: E731
    dev_fv = dict(zip(fkey(fdev), fdev["verdict"], strict=True))
    fv = {**dev_fv, **dict(zip(fkey(ftest), ftest["verdict"], strict=True))}
    conflicts = fact_runs(articles, sentences)
    for run, part in conflicts.groupby("run", sort=False):
        kept, dropped = FA.conflict_summary(part.drop(columns="run"))
        new = [x for x in fkey(kept) if x not in dev_fv]
        print(f"fact conflicts, {run}: {len(part)} proposed, {len(kept)} stated")
        print("  stated, not in the dev sample (held out): "
              f"{_precision(pd.Series([fv.get(x) for x in new], dtype=object))}")
        print(f"  stated, all (dev verdicts reused):        "
              f"{_precision(pd.Series([fv.get(x) for x in fkey(kept)], dtype=object))}")
        print(f"  all proposed:                             "
              f"{_precision(pd.Series([fv.get(x) for x in fkey(part)], dtype=object))}")
        print("  dropped: " + "; ".join(f"{r.reason}: {r.conflicts}" for r in dropped.itertuples()))


def samples() -> None:
    articles, sentences, month = _load()
    shown = month_summaries(sentences, month)
    shown.to_csv(sys.stdout, sep="\t", index=False)
    fact_runs(articles, sentences).to_csv(sys.stdout, sep="\t", index=False)


NEWS_DAYS = [CORPUS.parent / d for d in ("iowa-caucus-2016", "midterms-2014", "stimulus-2020")]
FINAL_FACT_RUNS = [  # (run name, keep topic, max_days, min_overlap): settings neither earlier sample used
    ("topic kept, max_days 3, min_overlap 0.15", True, 3, 0.15),
    ("topic kept, max_days 7, min_overlap 0.25", True, 7, 0.25),
    ("topic kept, max_days 7, min_overlap 0.15", True, 7, 0.15),
    ("no topic, max_days 3, min_overlap 0.10", False, 3, 0.10),
]
LABEL_SLICES = ("published", "topic", "published week", "published quarter", "outlet bias")


def _label_slices(articles: pd.DataFrame, sentences: pd.DataFrame, kinds=LABEL_SLICES):
    """Yield (slice name, sentences) for the final label sample: each value of each kind of slice."""
    pub = pd.to_datetime(articles["published"].astype(str).str[:10], errors="coerce")
    half = pub.dt.strftime("%Y-%m") + pd.Series(["-01..15", "-16..31"], dtype=object).iloc[
        (pub.dt.day > 15).astype(int).to_numpy()].to_numpy()
    keys = {"published": half, "topic": articles["topic"].fillna(""),
            "published week": pub.dt.strftime("%G-W%V"), "published quarter": pub.dt.to_period("Q").astype(str),
            "outlet bias": articles["bias"].fillna("")}
    for name in kinds:
        key = keys[name]
        by = sentences["article_id"].map(dict(zip(articles["article_id"], key, strict=True)))
        for value, part in sentences.groupby(by.to_numpy(), sort=True):
            yield f"{name} {value}", part.reset_index(drop=True)


def final_samples() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return every label pair and conflict the summary rules state on the final (fresh) slices.

    Labels: ``label_discovery_summary`` on each two-week window and each topic of abp-2013 and on
    each news-day folder. Facts: ``conflict_summary`` of :data:`FINAL_FACT_RUNS` on abp-2013 and
    of the default and 0.15 runs on each news-day folder. One row per stated item and slice; the
    third table has one row per slice or run tried (``corpus``, ``slice``, ``stated``, ``proposed``).
    """
    articles = C.load_corpus(str(CORPUS))
    sentences = C.split_articles(articles)
    corpora = [(CORPUS.name, articles, sentences)]
    for day in NEWS_DAYS:
        a = C.load_corpus(str(day))
        corpora.append((day.name, a, C.split_articles(a)))
    labels, facts, tried = [], [], []
    slices = [(CORPUS.name, n, p) for n, p in _label_slices(articles, sentences)]
    slices += [(name, "whole folder", s) for name, _, s in corpora[1:]]
    for corpus, name, part in slices:
        subs = L.substitutions(L.align_sentences(part), part)
        kept, _ = L.label_discovery_summary(subs, sentences=part)
        labels.append(kept.assign(corpus=corpus, slice=name, rank=range(1, len(kept) + 1)))
        tried.append(("labels", corpus, name, len(kept), int(L.candidate_labels(subs, sentences=None).shape[0])))
    runs = [(CORPUS.name, articles, sentences, *r) for r in FINAL_FACT_RUNS]
    runs += [(name, a, s, f"whole folder, min_overlap {mo:.2f}", False, 3, mo)
             for name, a, s in corpora[1:] for mo in (0.25, 0.15)]
    extracted = {}
    for corpus, a, s, run, topic, days, mo in runs:
        if (corpus, topic) not in extracted:
            extracted[corpus, topic] = FA.extract_facts(s, articles=a if topic else a.drop(columns=["topic"],
                                                                                           errors="ignore"))
        conflicts = FA.fact_conflicts(extracted[corpus, topic], articles=a, sentences=s, max_days=days,
                                      min_overlap=mo)
        kept, _ = FA.conflict_summary(conflicts)
        facts.append(kept.assign(corpus=corpus, run=run, proposed=len(conflicts)))
        tried.append(("facts", corpus, run, len(kept), len(conflicts)))
    return (pd.concat(labels, ignore_index=True), pd.concat(facts, ignore_index=True),
            pd.DataFrame(tried, columns=["what", "corpus", "slice", "stated", "proposed"]))


def _slices_of(stated: pd.DataFrame, key, where: str) -> dict:
    """Map each stated item's key to the "; "-joined slices (or runs) that state it, in order."""
    out = {}
    for k, w in zip(key(stated), stated[where], strict=True):
        out.setdefault(k, [])
        if w not in out[k]:
            out[k].append(w)
    return {k: "; ".join(v) for k, v in out.items()}


def final(unlabelled: str = "") -> None:
    """Score the summary rules on the final samples (labels_final.tsv, facts_final.tsv), per slice."""
    labels, facts, tried = final_samples()
    print(f"slices tried: {len(tried)}; per slice, stated of proposed (candidate pairs / conflicts):")
    for (what, corpus), part in tried.groupby(["what", "corpus"], sort=False):
        print(f"  {what}, {corpus}: {len(part)} slices, {int((part.stated > 0).sum())} state something; "
              + ", ".join(f"{r.slice} {r.stated}/{r.proposed}" for r in part.itertuples()))
    lkey = lambda d: [tuple(sorted(p)) for p in zip(d["label_a"], d["label_b"], strict=True)]  # noqa: E731
    fkey = lambda d: list(zip(d["sentence_a"], d["sentence_b"], d["fact_a"], d["fact_b"], strict=True))  # noqa: E731
    earlier_l = {k for f in ("labels_dev.tsv", "labels_test.tsv") for k in lkey(pd.read_csv(DATA / f, sep="\t"))}
    earlier_f = {k for f in ("facts_dev.tsv", "facts_test.tsv") for k in fkey(pd.read_csv(DATA / f, sep="\t"))}
    out = []
    for what, stated, key, earlier, where, path in (
            ("label pairs", labels, lkey, earlier_l, "slice", "labels_final.tsv"),
            ("fact conflicts", facts, fkey, earlier_f, "run", "facts_final.tsv")):
        got = pd.read_csv(DATA / path, sep="\t")
        verdict = dict(zip(key(got), got["verdict"], strict=True))
        k = key(stated)
        stated = stated.assign(fresh=[x not in earlier for x in k], verdict=[verdict.get(x) for x in k])
        print(f"{what} the summary states on the final slices ({len(stated)} stated rows):")
        for (corpus, where_), part in stated.groupby(["corpus", where], sort=False):
            if len(part):
                print(f"  {corpus} {where_}: {len(part)} stated, {int(part.fresh.sum())} not in an earlier sample; "
                      f"fresh {_precision(part.verdict[part.fresh])}")
        fresh = stated[stated.fresh]
        once = fresh[~pd.Series(key(fresh), index=fresh.index).duplicated()]
        print(f"  distinct fresh items (each counted once): {_precision(once.verdict)}")
        new = once[once.verdict.isna()]
        if len(new):
            slices = _slices_of(fresh, key, where)
            out.append(new.assign(stated_in=[slices[x] for x in key(new)]))
    if unlabelled and out:
        pd.concat(out, ignore_index=True).to_csv(unlabelled, sep="\t", index=False)


def _label_run_sets(articles: pd.DataFrame, sentences: pd.DataFrame, days: list) -> dict:
    """Return {labelled file: [(corpus, slice name, sentences)]}: the runs each label sample was drawn from."""
    month = sentences["article_id"].map(dict(zip(articles["article_id"], articles["published"].astype(str).str[:7],
                                                 strict=True)))
    months = [(CORPUS.name, f"published {m}", p.reset_index(drop=True))
              for m, p in sentences.groupby(month.to_numpy(), sort=True)]
    folders = [(name, "whole folder", s) for name, s in days]
    return {"labels_dev.tsv": [(CORPUS.name, "whole file", sentences), *folders],
            "labels_test.tsv": months,
            "labels_final.tsv": [(CORPUS.name, n, p) for n, p in _label_slices(articles, sentences)] + folders}


def _aligned(corpus: str, name: str, part: pd.DataFrame, cache: Path | None) -> pd.DataFrame:
    """Return align_sentences(part), read from / written to `cache` (alignment does not depend on the screens)."""
    if cache is None:
        return L.align_sentences(part)
    path = cache / (re.sub(r"[^\w.-]+", "_", f"{corpus}__{name}") + ".parquet")
    if path.exists():
        return pd.read_parquet(path)
    got = L.align_sentences(part)
    got.to_parquet(path)
    return got


def everything(unlabelled: str = "", cache: str = "", verbose: bool = False) -> None:
    """Score the current rules on every run any sample came from: per file, the labelled rows still stated.

    For each labelled file (labels_dev/test/final, facts_dev/test/final) the runs it was drawn from are
    run again with the current rules; the rows of the file that are still stated are scored
    (right / wrong, Clopper-Pearson interval), and the stated items that no file labels are counted
    (and written to `unlabelled`, one row per item with the runs that state it).
    """
    cache_dir = Path(cache) if cache else None
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
    articles = C.load_corpus(str(CORPUS))
    sentences = C.split_articles(articles)
    days = []
    for day in NEWS_DAYS:
        a = C.load_corpus(str(day))
        days.append((day.name, a, C.split_articles(a)))
    lkey = lambda d: [tuple(sorted(p)) for p in zip(d["label_a"], d["label_b"], strict=True)]  # noqa: E731
    fkey = lambda d: list(zip(d["sentence_a"], d["sentence_b"], d["fact_a"], d["fact_b"], strict=True))  # noqa: E731
    files = {f: pd.read_csv(DATA / f, sep="\t") for f in ("labels_dev.tsv", "labels_test.tsv", "labels_final.tsv",
                                                            "facts_dev.tsv", "facts_test.tsv", "facts_final.tsv")}
    new = []
    summary = {}
    for f, runs in _label_run_sets(articles, sentences, [(n, s) for n, _, s in days]).items():
        stated, dropped = [], {}
        for corpus, name, part in runs:
            subs = L.substitutions(_aligned(corpus, name, part, cache_dir), part)
            kept, drop = L.label_discovery_summary(subs, sentences=part)
            stated.append(kept.assign(corpus=corpus, slice=name, rank=range(1, len(kept) + 1)))
            for r in drop.itertuples():
                dropped[r.reason] = dropped.get(r.reason, 0) + int(r.candidates)
        summary[f] = (pd.concat(stated, ignore_index=True), dropped)
    fruns = {"facts_dev.tsv": [(CORPUS.name, articles, sentences, "topic kept, max_days 3, min_overlap 0.25", True,
                                3, 0.25)],
             "facts_test.tsv": [(CORPUS.name, articles, sentences, f"no topic, max_days 3, min_overlap {mo:.2f}", False,
                                 3, mo) for mo in (0.25, 0.15)],
             "facts_final.tsv": [(CORPUS.name, articles, sentences, *r) for r in FINAL_FACT_RUNS]
             + [(name, a, s, f"whole folder, min_overlap {mo:.2f}", False, 3, mo) for name, a, s in days
                for mo in (0.25, 0.15)]}
    extracted = {}
    for f, runs in fruns.items():
        stated, dropped = [], {}
        for corpus, a, s, run, topic, ndays, mo in runs:
            if (corpus, topic) not in extracted:
                extracted[corpus, topic] = FA.extract_facts(
                    s, articles=a if topic else a.drop(columns=["topic"], errors="ignore"))
            conflicts = FA.fact_conflicts(extracted[corpus, topic], articles=a, sentences=s, max_days=ndays,
                                          min_overlap=mo)
            kept, drop = FA.conflict_summary(conflicts)
            stated.append(kept.assign(corpus=corpus, run=run, proposed=len(conflicts)))
            for r in drop.itertuples():
                dropped[r.reason] = dropped.get(r.reason, 0) + int(r.conflicts)
        summary[f] = (pd.concat(stated, ignore_index=True), dropped)
    for kind, key, where in (("labels", lkey, "slice"), ("facts", fkey, "run")):
        labelled = {}
        for f in files:
            if f.startswith(kind):
                labelled.update({k: v for k, v in zip(key(files[f]), files[f]["verdict"], strict=True)
                                 if k not in labelled})
        for f in [f for f in files if f.startswith(kind)]:
            stated, dropped = summary[f]
            ks = key(stated)
            distinct = list(dict.fromkeys(ks))
            own = dict(zip(key(files[f]), files[f]["verdict"], strict=True))
            mine = pd.Series([own.get(k) for k in distinct], dtype=object)
            anyv = pd.Series([labelled.get(k) for k in distinct], dtype=object)
            print(f"{f}: {len(files[f])} labelled rows; current rules on its runs state {len(distinct)} distinct items")
            print(f"  this file's rows still stated: {_precision(mine)}")
            gone = files[f][[k not in set(distinct) for k in key(files[f])]]
            print(f"  this file's rows no longer stated: {len(gone)} ({int((gone.verdict == 'right').sum())} right, "
                  f"{int((gone.verdict == 'wrong').sum())} wrong)")
            if verbose:
                for r in gone.itertuples():
                    print(f"    - {r.verdict}: {getattr(r, 'label_a', getattr(r, 'fact_a', ''))} / "
                          f"{getattr(r, 'label_b', getattr(r, 'fact_b', ''))}  ({r.why if 'why' in gone else ''})")
            print(f"  stated, verdict from any file: {_precision(anyv)}")
            print("  dropped (candidates by reason, summed over runs): "
                  + "; ".join(f"{r}: {n:,}" for r, n in sorted(dropped.items())))
            if anyv.isna().any():
                todo = stated[[k not in labelled for k in ks]]
                slices = _slices_of(todo, key, where)
                once = todo[~pd.Series(key(todo), index=todo.index).duplicated()]
                new.append(once.assign(kind=kind, sample_runs=f, stated_in=[slices[k] for k in key(once)]))
    if unlabelled and new:
        pd.concat(new, ignore_index=True).to_csv(unlabelled, sep="\t", index=False)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["score", "samples", "final", "all"])
    ap.add_argument("--unlabelled", default="", help="write the stated rows no sample labels to this TSV")
    ap.add_argument("--cache", default="", help="all: folder for cached sentence alignments (parquet)")
    ap.add_argument("--verbose", action="store_true", help="all: list each labelled row no longer stated")
    args = ap.parse_args()
    if args.what == "all":
        everything(args.unlabelled, args.cache, args.verbose)
        return
    {"score": score, "samples": lambda _: samples(), "final": final}[args.what](args.unlabelled)


if __name__ == "__main__":
    main()
