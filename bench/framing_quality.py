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

``fourth`` makes the fourth, held-out sample after the third pass of rule changes: it runs the current
rules on slices and runs no earlier sample used and writes (``--unlabelled``) every stated item that no
labelled file labels, one row per item with ``stated_in`` (the same "unlabelled" logic as ``all``). Labels:
``label_discovery_summary`` on abp-2013 by calendar month x outlet-bias group (36 slices), by 10-day
windows (days 1-10, 11-20, 21-end of each month) and by 3-day windows (counted from 2013-01-01)
(:data:`FOURTH_LABEL_SLICES`); as these stated only 5 fresh pairs, also by topic x bias group, topic x
quarter, bias group x quarter, two bias groups together, two-month windows, 5-day windows and single
days, then larger ones (see :data:`FOURTH_EXTRA_LABEL_SLICES`). Facts: ``conflict_summary`` of
:data:`FOURTH_FACT_RUNS` (topic kept with max_days 1 and 14; topic kept at min_overlap 0.20; no topic at
0.25 and 0.20; no topic with max_days 7 and 14; added: topic kept with 7 or 14 days at 0.20 and 30 days
at 0.25, no topic with 30 days) and each calendar quarter and month with the topic kept at the default
settings. Its labels are tests/data/labels_fourth.tsv and facts_fourth.tsv; ``fourth`` also scores the
stated fresh items against them when they exist.

Since the learned filter (``analysis.labels.model``, issue 16 fourth pass) every mode states what
``label_discovery_summary`` states by default: the rules, then the filter; ``--rules-only`` states what the
rules alone keep (as before the filter). The filter was trained on all four labelled label files, so its
figures from ``all`` and ``fourth`` are development figures; its held-out figures are leave-one-file-out
(``python -m analysis.train_labels``).

Usage::

    nice .venv/bin/python bench/framing_quality.py score        # both sections, ~4 min
    nice .venv/bin/python bench/framing_quality.py score --unlabelled new.tsv  # + stated rows to label
    nice .venv/bin/python bench/framing_quality.py samples      # candidate rows to label (TSV to stdout)
    nice .venv/bin/python bench/framing_quality.py final [--unlabelled new.tsv]  # final sample, ~6 min
    nice .venv/bin/python bench/framing_quality.py all --cache /tmp/framing_cache --unlabelled new.tsv [--verbose]
    nice .venv/bin/python bench/framing_quality.py fourth --cache /tmp/framing_cache --unlabelled fresh.tsv
    nice .venv/bin/python bench/framing_quality.py context --unlabelled label_context.tsv [--slice]  # ~5 min
    nice .venv/bin/python bench/framing_quality.py filter --labels tests/data/labels_X.tsv [--unlabelled scored.tsv]

The summaries here measure the filter's ``context`` feature on each slice's own sentences (the default of
``label_discovery_summary``; over the whole corpus, as trained, would cost about 10 s per slice), so their
filter figures state fewer pairs than the trained setting would; ``filter`` measures it as trained.
``context`` writes each labelled label row's ``context`` feature (the filter's distributional similarity,
measured over the whole corpus the row's slice was cut from; ``--slice``: over the slice itself) for
``python -m analysis.train_labels --context``; ``filter`` scores the shipped filter on a labelled file
(context over each row's whole corpus, as in training) and prints what it states, right, and the interval.
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
LABEL_MODEL = "shipped"  # the summary's learned filter (analysis.labels.model); --rules-only sets None
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
        kept, _ = L.label_discovery_summary(subs, sentences=part, model=LABEL_MODEL)
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
        kept, _ = L.label_discovery_summary(subs, sentences=part, model=LABEL_MODEL)
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
            kept, drop = L.label_discovery_summary(subs, sentences=part, model=LABEL_MODEL)
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


FOURTH_LABEL_SLICES = ("month x bias", "10-day window", "3-day window")
# the three kinds above stated only 5 pairs no file labels, so these slicings (none used before) were added
FOURTH_EXTRA_LABEL_SLICES = ("topic x bias", "topic x quarter", "bias x quarter", "two bias groups",
                             "two-month window", "5-day window", "day",
                             # these still stated only 22 fresh pairs (mostly ranks 10-20 of large slices),
                             # so larger slices, none used before, were added last
                             "two-month window from February", "three-month window from February",
                             "four-month window", "half-year", "bias x half-year", "two bias groups x half-year",
                             # 38 fresh pairs after those; last, to reach 50: two bias groups per quarter and
                             # random halves of the year's articles (each half and its complement); seeds 1-3
                             # gave 48 fresh pairs, so seeds 4-7 were added
                             "two bias groups x quarter", "random half")
RANDOM_HALF_SEEDS = (1, 2, 3, 4, 5, 6, 7)
FOURTH_FACT_RUNS = [  # (run name, keep topic, max_days, min_overlap): settings no earlier sample used
    ("topic kept, max_days 1, min_overlap 0.25", True, 1, 0.25),
    ("topic kept, max_days 14, min_overlap 0.25", True, 14, 0.25),
    ("topic kept, max_days 3, min_overlap 0.20", True, 3, 0.20),
    # no topic at max_days 3: 0.25 is the test run and at 0.20 conflict_summary keeps only pairs >= 0.25
    # (its no-story rule), so these two state the test run's items; 7 and 14 days are new
    ("no topic, max_days 3, min_overlap 0.25", False, 3, 0.25),
    ("no topic, max_days 3, min_overlap 0.20", False, 3, 0.20),
    ("no topic, max_days 7, min_overlap 0.25", False, 7, 0.25),
    ("no topic, max_days 14, min_overlap 0.25", False, 14, 0.25),
    # added because the runs above state few conflicts no file labels
    ("topic kept, max_days 7, min_overlap 0.20", True, 7, 0.20),
    ("topic kept, max_days 14, min_overlap 0.20", True, 14, 0.20),
    ("topic kept, max_days 30, min_overlap 0.25", True, 30, 0.25),
    ("no topic, max_days 30, min_overlap 0.25", False, 30, 0.25),
]


def _fourth_label_slices(articles: pd.DataFrame, sentences: pd.DataFrame,
                         kinds=FOURTH_LABEL_SLICES + FOURTH_EXTRA_LABEL_SLICES):
    """Yield (slice name, sentences) for the fourth label sample: each value of each kind of slice."""
    pub = pd.to_datetime(articles["published"].astype(str).str[:10], errors="coerce")
    month = pub.dt.strftime("%Y-%m")
    bias, quarter = articles["bias"].fillna(""), pub.dt.to_period("Q").astype(str)
    tenth = pd.Series(["01..10", "11..20", "21..end"], dtype=object).iloc[
        ((pub.dt.day > 10).astype(int) + (pub.dt.day > 20).astype(int)).to_numpy()].to_numpy()
    day = (pub - pd.Timestamp("2013-01-01")).dt.days

    def window(n):  # consecutive n-day windows counted from 2013-01-01, named by their first day
        return (pub - pd.to_timedelta(day % n, unit="D")).dt.strftime("%Y-%m-%d") + f"+{n}d"

    keys = {"month x bias": month + " " + bias,
            "10-day window": month + "-" + tenth,
            "3-day window": window(3),
            "topic x bias": articles["topic"].fillna("") + " " + bias,
            "topic x quarter": articles["topic"].fillna("") + " " + quarter,
            "bias x quarter": bias + " " + quarter,
            "two-month window": pub.dt.strftime("%Y-") + ((pub.dt.month + 1) // 2 * 2 - 1).map("{:02d}".format)
            + "+2m",
            "5-day window": window(5),
            "day": pub.dt.strftime("%Y-%m-%d"),
            "two-month window from February": pub.dt.strftime("%Y-") + (pub.dt.month // 2 * 2).clip(lower=1).map(
                "{:02d}".format) + "+2m",
            "three-month window from February": pub.dt.strftime("%Y-") + ((pub.dt.month + 1) // 3 * 3 - 1).clip(
                lower=1).map("{:02d}".format) + "+3m",
            "four-month window": pub.dt.strftime("%Y-") + ((pub.dt.month - 1) // 4 * 4 + 1).map("{:02d}".format)
            + "+4m",
            "half-year": pub.dt.strftime("%Y-H") + ((pub.dt.month > 6) + 1).astype(str),
            "bias x half-year": bias + " " + pub.dt.strftime("%Y-H") + ((pub.dt.month > 6) + 1).astype(str)}
    for name in kinds:
        if name == "random half":  # articles sorted by id, shuffled with the seed, cut in two
            ids = articles["article_id"].sort_values().reset_index(drop=True)
            for seed in RANDOM_HALF_SEEDS:
                first = set(ids.sample(frac=1, random_state=seed).iloc[: len(ids) // 2])
                for which, pick in (("a", sentences["article_id"].isin(first)),
                                    ("b", ~sentences["article_id"].isin(first))):
                    yield f"{name} seed {seed} {which}", sentences[pick.to_numpy()].reset_index(drop=True)
            continue
        if name.startswith("two bias groups"):  # the articles of two of the three outlet-bias groups together
            half = pub.dt.strftime("%Y-H") + ((pub.dt.month > 6) + 1).astype(str)
            period = quarter if name.endswith("quarter") else half
            for left, right in (("center", "left"), ("center", "right"), ("left", "right")):
                for h in (sorted(period.unique()) if name != "two bias groups" else [""]):
                    pick = bias.isin([left, right]) & ((period == h) if h else True)
                    ids = set(articles["article_id"][pick.to_numpy()])
                    yield (f"{name} {left}+{right}{' ' + h if h else ''}",
                           sentences[sentences["article_id"].isin(ids)].reset_index(drop=True))
            continue
        by = sentences["article_id"].map(dict(zip(articles["article_id"], keys[name], strict=True)))
        for value, part in sentences.groupby(by.to_numpy(), sort=True):
            if "from February" in name and value in ("2013-01+2m", "2013-12+2m", "2013-01+3m"):
                continue  # January or December alone: a month of the test sample
            yield f"{name} {value}", part.reset_index(drop=True)


def fourth_samples(cache: str = "") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return every label pair and conflict the summary rules state on the fourth sample's slices and runs.

    One row per stated item and slice (labels: ``corpus``, ``slice``, ``rank`` and the columns of
    ``candidate_labels``; facts: ``corpus``, ``run``, ``proposed`` and the columns of ``fact_conflicts``);
    the third table has one row per slice or run (``what``, ``corpus``, ``slice``, ``stated``, ``proposed``).
    """
    cache_dir = Path(cache) if cache else None
    if cache_dir:
        cache_dir.mkdir(parents=True, exist_ok=True)
    articles = C.load_corpus(str(CORPUS))
    sentences = C.split_articles(articles)
    labels, facts, tried = [], [], []
    for name, part in _fourth_label_slices(articles, sentences):
        subs = L.substitutions(_aligned(CORPUS.name, name, part, cache_dir), part)
        kept, _ = L.label_discovery_summary(subs, sentences=part, model=LABEL_MODEL)
        labels.append(kept.assign(corpus=CORPUS.name, slice=name, rank=range(1, len(kept) + 1)))
        tried.append(("labels", CORPUS.name, name, len(kept), int(L.candidate_labels(subs, sentences=None).shape[0])))
    quarter = pd.to_datetime(articles["published"].astype(str).str[:10], errors="coerce").dt.to_period("Q").astype(str)
    runs = [(articles, sentences, *r) for r in FOURTH_FACT_RUNS]
    month = pd.to_datetime(articles["published"].astype(str).str[:10], errors="coerce").dt.strftime("%Y-%m")
    for kind, period in (("quarter", quarter), ("month", month)):  # months: added, as the extra runs above
        for q in sorted(period.unique()):
            a = articles[(period == q).to_numpy()].reset_index(drop=True)
            s = sentences[sentences["article_id"].isin(set(a["article_id"]))].reset_index(drop=True)
            runs.append((a, s, f"{kind} {q}, topic kept, max_days 3, min_overlap 0.25 (defaults)", True, 3, 0.25))
    extracted = {}
    for a, s, run, topic, days, mo in runs:
        part = run.split(",")[0] if run.startswith(("quarter", "month")) else "whole file"
        if (part, topic) not in extracted:
            extracted[part, topic] = FA.extract_facts(s, articles=a if topic else a.drop(columns=["topic"]))
        conflicts = FA.fact_conflicts(extracted[part, topic], articles=a, sentences=s, max_days=days, min_overlap=mo)
        kept, _ = FA.conflict_summary(conflicts)
        facts.append(kept.assign(corpus=CORPUS.name, run=run, proposed=len(conflicts)))
        tried.append(("facts", CORPUS.name, run, len(kept), len(conflicts)))
    return (pd.concat(labels, ignore_index=True), pd.concat(facts, ignore_index=True),
            pd.DataFrame(tried, columns=["what", "corpus", "slice", "stated", "proposed"]))


def read_labelled(path: Path) -> pd.DataFrame:
    """Read a labelled TSV whose first lines may be a ``#`` header: :func:`analysis.train_labels.read_labelled`."""
    from analysis.train_labels import read_labelled as read

    return read(path)


def fourth(unlabelled: str = "", cache: str = "") -> None:
    """Run the fourth sample's slices; write the stated items no labelled file labels; score them if labelled.

    An item is "fresh" when none of labels_dev/test/final (facts_dev/test/final) labels it; each
    fresh item is one row (first slice or run that states it, its ``rank`` there, ``best_rank`` over
    all, ``stated_in`` all of them). With labels_fourth.tsv / facts_fourth.tsv present, prints the
    precision of (a) all fresh stated pairs, (b) those ranked in the top 20 of a slice, (c) all fresh
    stated conflicts, (d) those stated by a run at the report's default settings.
    """
    labels, facts, tried = fourth_samples(cache)
    prefixes = sorted((*FOURTH_LABEL_SLICES, *FOURTH_EXTRA_LABEL_SLICES, "quarter", "month"), key=len, reverse=True)
    kinds = tried["slice"].map(lambda x: next((p for p in prefixes if x.startswith(p + " ")), "whole file"))
    for (what, kind), part in tried.groupby(["what", kinds], sort=False):
        print(f"{what}, {kind}...: {len(part)} slices/runs, {int((part.stated > 0).sum())} state something, "
              f"{int(part.stated.sum())} stated rows, {int(part.proposed.sum())} proposed")
    if len(tried) and (tried.what == "facts").any():
        for r in tried[tried.what == "facts"].itertuples():
            print(f"  {r.slice}: {r.stated} stated of {r.proposed}")
    lkey = lambda d: [tuple(sorted(p)) for p in zip(d["label_a"], d["label_b"], strict=True)]  # noqa: E731
    fkey = lambda d: list(zip(d["sentence_a"], d["sentence_b"], d["fact_a"], d["fact_b"], strict=True))  # noqa: E731
    out = []
    for what, stated, key, files, where, path in (
            ("label pairs", labels, lkey, ("labels_dev.tsv", "labels_test.tsv", "labels_final.tsv"), "slice",
             "labels_fourth.tsv"),
            ("fact conflicts", facts, fkey, ("facts_dev.tsv", "facts_test.tsv", "facts_final.tsv"), "run",
             "facts_fourth.tsv")):
        earlier = {k for f in files for k in key(pd.read_csv(DATA / f, sep="\t"))}
        k = key(stated)
        fresh = stated[[x not in earlier for x in k]]
        once = fresh[~pd.Series(key(fresh), index=fresh.index).duplicated()]
        slices = _slices_of(fresh, key, where)
        once = once.assign(stated_in=[slices[x] for x in key(once)])
        if where == "slice":
            best = fresh.groupby(pd.Series(key(fresh), index=fresh.index).map(str))["rank"].min()
            once = once.assign(best_rank=[int(best[str(x)]) for x in key(once)])
        print(f"{what}: {len(stated)} stated rows, {len(set(k))} distinct, {len(once)} fresh (no labelled file)")
        out.append(once.assign(kind=what))
        if (DATA / path).exists():
            got = read_labelled(DATA / path)
            verdict = dict(zip(key(got), got["verdict"], strict=True))
            v = pd.Series([verdict.get(x) for x in key(once)], dtype=object, index=once.index)
            print(f"  all fresh stated: {_precision(v)}")
            if where == "slice":
                print(f"  fresh, top 20 of a slice: {_precision(v[once.best_rank <= 20])}")
            else:
                default = once.stated_in.str.contains(r"\(defaults\)")
                print(f"  fresh, stated at the report's default settings: {_precision(v[default])}")
    if unlabelled:
        pd.concat(out, ignore_index=True).to_csv(unlabelled, sep="\t", index=False)


def _slice_ids(articles: pd.DataFrame, news: dict) -> dict:
    """Return {(corpus, slice name): article ids} for every slice any labelled label file names.

    The slices are rebuilt with the generators that made them (months for the test file; this file's
    final and fourth slicings; ``bench/framing_fifth.py``'s tiers), fed one row per article.
    """
    import importlib.util

    one = articles[["article_id"]]
    out = {(CORPUS.name, f"whole {CORPUS.name}"): set(articles["article_id"])}
    out.update({(name, f"whole {name}"): set(a["article_id"]) for name, a in news.items()})
    month = articles["published"].astype(str).str[:7]
    out.update({(CORPUS.name, f"published {m}"): set(articles["article_id"][month == m]) for m in month.unique()})
    for gen in (_label_slices(articles, one), _fourth_label_slices(articles, one)):
        out.update({(CORPUS.name, name): set(part["article_id"]) for name, part in gen})
    spec = importlib.util.spec_from_file_location("framing_fifth", Path(__file__).resolve().parent / "framing_fifth.py")
    fifth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fifth)
    corpora = {CORPUS.name: articles, **news}
    for _, kind, seeds in fifth.TIERS:
        out.update({(c, name): ids for c, name, ids in fifth.tier_slices(kind, seeds, corpora)})
    return out


def context(out: str, scope: str = "corpus") -> None:
    """Write each labelled label row's ``context`` feature (``python -m analysis.train_labels --context``).

    :func:`analysis.labels.model.context_similarity` over the sentences of the whole corpus the row's slice
    was cut from (`scope` "corpus", what the filter is trained with), or of the slice itself (`scope`
    "slice": rebuilt with the generators that made it; measured, not used), leaving out the terms both example
    sentences share. About 5 minutes (sentence splitting of abp-2013 and each news day, then one pass per
    corpus or per slice).
    """
    from analysis import train_labels as T
    from analysis.labels.model import _context_similarity, _sentence_terms, shared_terms

    rows = T.labelled_rows()
    articles, sentences, _ = _load()
    news, terms = {}, {}
    for d in NEWS_DAYS:
        a = C.load_corpus(str(d))
        news[d.name] = a
        s = C.split_articles(a)
        terms[d.name] = (s["article_id"].to_numpy(), _sentence_terms(s["sentence_text"]))
    terms[CORPUS.name] = (sentences["article_id"].to_numpy(), _sentence_terms(sentences["sentence_text"]))
    ids = _slice_ids(articles, news) if scope == "slice" else {}
    name = rows["slice"].str.split(": ", n=1).str[1] if scope == "slice" else rows["corpus"]
    got = []
    for (corpus, where), part in rows.groupby([rows["corpus"], name], sort=True):
        aid, lists = terms[corpus]
        if scope == "slice":
            if (corpus, where) not in ids:
                raise SystemExit(f"slice {where!r} of {corpus}: not rebuilt")
            keep = pd.Series(aid).isin(ids[(corpus, where)]).to_numpy()
            lists = [t for t, k in zip(lists, keep, strict=True) if k]
        sims = _context_similarity(lists, list(zip(part["label_a"], part["label_b"], strict=True)),
                                   exclude=shared_terms(part))
        got.append(part[["file", "corpus", "slice", "label_a", "label_b"]].assign(context=sims))
        print(f"{corpus} {where}: {len(lists)} sentences, {len(part)} rows", file=sys.stderr)
    pd.concat(got).sort_index().to_csv(out, sep="\t", index=False, float_format="%.6f")


def filter_labelled(path: str) -> pd.DataFrame:
    """Score the shipped learned filter on a labelled label file and print what it states (held-out use).

    Each row (``corpus``, ``label_a``, ``label_b``, ``outlets``, ``pairs``, ``text_a``, ``text_b``,
    ``verdict``) gets the filter's features, its ``context`` measured over the whole corpus named in
    ``corpus`` (:func:`analysis.labels.model.context_similarity`, as in training), its score
    (:func:`analysis.labels.score_pairs`) and ``stated`` (score at or above the model's threshold).
    Prints stated, right and precision with the exact 95% interval, beside the rules' precision (every
    row). About 2 minutes (sentence splitting of abp-2013).
    """
    from analysis import train_labels as T

    rows = T.read_labelled(path)
    rows = rows[rows["verdict"].isin(["right", "wrong"])].reset_index(drop=True)
    for c in ("text_a", "text_b"):
        rows[c] = rows[c].fillna("").astype(str)
    model = L.load_label_model()
    scores = pd.Series(float("nan"), index=rows.index)
    for corpus, part in rows.groupby("corpus", sort=True):
        src = CORPUS if corpus == CORPUS.name else CORPUS.parent / str(corpus)
        sentences = _load()[1] if src == CORPUS else C.split_articles(C.load_corpus(str(src)))
        scores[part.index] = L.score_pairs(part, model=model, sentences=sentences)
    out = rows.assign(score=scores.round(4), stated=scores >= float(model["threshold"]))
    right = out["verdict"] == "right"
    print(f"{path}: {len(out)} labelled rows, rules {_precision(out['verdict'])}")
    print(f"learned filter (threshold {model['threshold']:.4f}): stated {_precision(out['verdict'][out['stated']])}; "
          f"dropped {int((~out['stated'] & ~right).sum())} wrong and {int((~out['stated'] & right).sum())} right")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["score", "samples", "final", "all", "fourth", "context", "filter"])
    ap.add_argument("--unlabelled", default="", help="write the stated rows no sample labels to this TSV")
    ap.add_argument("--cache", default="", help="all, fourth: folder for cached sentence alignments (parquet)")
    ap.add_argument("--verbose", action="store_true", help="all: list each labelled row no longer stated")
    ap.add_argument("--labels", default="", help="filter: a labelled label file (tests/data/labels_*.tsv layout)")
    ap.add_argument("--slice", action="store_true", help="context: measure over each row's slice, not its corpus")
    ap.add_argument("--rules-only", action="store_true", help="label pairs: the rules alone, without the filter")
    args = ap.parse_args()
    if args.rules_only:
        global LABEL_MODEL
        LABEL_MODEL = None
    if args.what == "all":
        everything(args.unlabelled, args.cache, args.verbose)
        return
    if args.what == "fourth":
        fourth(args.unlabelled, args.cache)
        return
    if args.what == "filter":
        out = filter_labelled(args.labels)
        if args.unlabelled:
            out.to_csv(args.unlabelled, sep="\t", index=False)
        return
    if args.what == "context":
        context(args.unlabelled or "label_context.tsv", "slice" if args.slice else "corpus")
        return
    {"score": score, "samples": lambda _: samples(), "final": final}[args.what](args.unlabelled)


if __name__ == "__main__":
    main()
