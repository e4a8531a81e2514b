"""The sixth, held-out sample of discovered label pairs: the rules' CANDIDATES (before any filter) on unused slices.

Issue 16. Label-pair discovery has two stages: the rules keep at most 20 candidate pairs per slice
(``label_discovery_summary(subs, sentences=..., model=None)``), then a learned filter states some of them
(``model="shipped"``). The filter is being rebuilt on all five labelled files (tests/data/labels_dev/test/
final/fourth/fifth.tsv), so none of them can score it. This script makes a sixth sample that can: it runs the
discovery rules of the current commit (frozen for the session; the labelled file's header names it) on slices of
the development corpora that no earlier sample used, with ``model=None`` (no filter is ever run here), and writes
every candidate pair no labelled file labels ("fresh"), one row per distinct pair with ``stated_in`` (every slice
keeping it), its best rank and the slice of that rank (first on ties). The rows are hand-labelled
(tests/data/labels_sixth.tsv) before any filter is scored on them; this script computes no precision.

Slices (none used before: the earlier samples used the whole file, months, two-week windows, ISO weeks, quarters,
topics, bias groups, the whole news-day folders, month x bias, 10-, 5- and 3-day windows, days, topic x bias, topic x
quarter, bias x quarter, two bias groups, two-, three- and four-month windows, half-years, bias x half-year, random
halves with seeds 1-16, bias x random half and random thirds with seeds 8-19, the news-day folders by bias and by two
bias groups), in tiers run in this order (:data:`TIERS`), per group of three seeds (41-43, then 44-46, ... 62-64):

1. each news-day folder (``iowa-caucus-2016``, ``midterms-2014``, ``stimulus-2020``) cut into outlet halves
   (the folder's outlets sorted, shuffled with the seed, cut in two; a slice is the articles of one half's
   outlets: ``midterms-2014 outlet half seed 41 a``);
2. abp-2013: each outlet-bias group cut into random halves of its articles (ids sorted, shuffled with the seed,
   cut: ``bias left x random half seed 41 a``), as bench/framing_fifth.py;
3. abp-2013: random thirds of the articles (``random third seed 41 a|b|c``);
4. abp-2013: random halves of the articles (``random half seed 41 a|b``);
5. abp-2013: outlet halves (the 69 outlets sorted, shuffled with the seed, cut in two: ``outlet half seed 41 a|b``);

then tiers 6-10 the same five kinds with seeds 44-46, and so on (:data:`SEED_GROUPS`).

Stopping rule, fixed before any run: tiers are run whole, in order, until at least ``--min-fresh`` (150) distinct
fresh candidate pairs are kept, or until ``--until HH:MM`` (UTC; 19:00 for the sixth sample), after which no new slice
is started (the slices run are listed). If at most :data:`MAX_LABEL` (200) pairs are fresh, all are labelled;
otherwise a random 200 (``DataFrame.sample(200, random_state=SAMPLE_SEED)``, :data:`SAMPLE_SEED` = 2028, on the fresh
rows in the order written), marked in ``to_label``.

Sentence alignments (independent of every screen and filter) are cached with ``--cache DIR`` exactly as
bench/framing_fifth.py caches them (file name = slice name + hash of the slice's sentences and the alignment code).

Run once, 2026-12-01 18:22-19:00 UTC, on the rules of commit 5def254 (``model=None``): tiers 1-13 whole (seeds 41-49)
and the first slice of tier 14 (``random half seed 47 a``, started before 19:00), 160 slices; the news-day outlet
halves keep nothing. 1,077 candidate rows, 209 distinct pairs, 54 fresh, all labelled (tests/data/labels_sixth.tsv),
no filter run and no score computed. About 38 minutes of wall time on the shared machine, alignments not cached before.

Usage (from a ``git archive`` of the commit, so that edits other agents make to the working tree meanwhile do not
count; the archive is the working tree when it is clean)::

    git archive $(git rev-parse HEAD) | tar -x -C /tmp/sixth_frozen
    PYTHONPATH=/tmp/sixth_frozen nice .venv/bin/python bench/framing_sixth.py \\
        --cache /tmp/sixth_cache --until 19:00 --unlabelled /tmp/sixth_fresh.tsv
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

import analysis
from analysis import corpus as C
from analysis import labels as L

_HERE = Path(__file__).resolve().parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, _HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


fq = _load("framing_quality")  # corpus paths, read_labelled, _slices_of
ff = _load("framing_fifth")  # _cut, _cache_path, _aligned, _code_fingerprint, _key

DATA = _HERE.parent / "tests" / "data"
EARLIER = ("labels_dev.tsv", "labels_test.tsv", "labels_final.tsv", "labels_fourth.tsv", "labels_fifth.tsv")
SAMPLE_SEED = 2028  # draws the 200 pairs to label when more than 200 are fresh
MAX_LABEL = 200
SEED_GROUPS = tuple(tuple(range(s, s + 3)) for s in range(41, 63, 3))  # (41, 42, 43), ..., (62, 63, 64)
KINDS = ("news-day outlet half", "bias x random half", "random third", "random half", "outlet half")
TIERS = tuple((1 + len(KINDS) * g + i, kind, seeds) for g, seeds in enumerate(SEED_GROUPS)
              for i, kind in enumerate(KINDS))


def _outlet_halves(a: pd.DataFrame, seed: int) -> list[set]:
    """Article ids of each half of `a`'s outlets (outlets sorted, shuffled with `seed`, cut in two)."""
    outlets = ff._cut(pd.Series(a["outlet"].unique()), seed, 2)
    return [set(a["article_id"][a["outlet"].isin(o).to_numpy()]) for o in outlets]


def tier_slices(kind: str, seeds: tuple, corpora: dict) -> list[tuple[str, str, set]]:
    """Return (corpus, slice name, article ids) of one tier entry of :data:`TIERS`."""
    out = []
    for seed in seeds:
        if kind == "news-day outlet half":
            for name in (d.name for d in fq.NEWS_DAYS):
                for which, ids in zip("ab", _outlet_halves(corpora[name], seed), strict=True):
                    out.append((name, f"{name} outlet half seed {seed} {which}", ids))
            continue
        a = corpora[fq.CORPUS.name]
        if kind == "outlet half":
            for which, ids in zip("ab", _outlet_halves(a, seed), strict=True):
                out.append((fq.CORPUS.name, f"outlet half seed {seed} {which}", ids))
        elif kind == "bias x random half":
            bias = a["bias"].fillna("")
            for b in sorted(bias.unique()):
                for which, ids in zip("ab", ff._cut(a["article_id"][(bias == b).to_numpy()], seed, 2), strict=True):
                    out.append((fq.CORPUS.name, f"bias {b} x random half seed {seed} {which}", ids))
        else:
            parts = 3 if kind == "random third" else 2
            for which, ids in zip("abc", ff._cut(a["article_id"], seed, parts), strict=False):
                out.append((fq.CORPUS.name, f"{kind} seed {seed} {which}", ids))
    return out


def earlier_pairs() -> set:
    """Every label pair any earlier labelled file (labels_dev/test/final/fourth/fifth) labels."""
    return {k for f in EARLIER for k in ff._key(fq.read_labelled(DATA / f))}


def run(corpora: dict, sentences: dict, *, cache: str = "", min_fresh: int = 150, until: str = "",
        unlabelled: str = "") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Run the tiers in order (the stopping rule of the module docstring).

    Return (fresh rows, every kept candidate row, slices tried). Only ``model=None``: no filter is run.
    """
    cache_dir, code, stop_at = ff.start(cache, until)
    earlier = earlier_pairs()
    kept_rows, tried = [], []
    fresh = ff.fresh_rows(pd.DataFrame(columns=["label_a", "label_b", "slice", "rank"]), earlier)
    columns = ["tier", "corpus", "slice", "articles", "kept", "seconds"]
    for tier in sorted({t for t, _, _ in TIERS}):
        if len(fresh) >= min_fresh:
            break
        for corpus, name, ids in [x for t, kind, seeds in TIERS if t == tier
                                  for x in tier_slices(kind, seeds, corpora)]:
            if stop_at is not None and datetime.now(UTC) >= stop_at:
                print(f"--until {until} reached before {name}: stopped inside tier {tier}", flush=True)
                fresh = _finish(kept_rows, earlier, fresh, unlabelled)
                return fresh, _all(kept_rows), pd.DataFrame(tried, columns=columns)
            t0 = time.perf_counter()
            s = sentences[corpus]
            part = s[s["article_id"].isin(ids).to_numpy()].reset_index(drop=True)
            path = None if cache_dir is None else ff._cache_path(cache_dir, name, part, code)
            aligned = ff._aligned(part, path)
            subs = L.substitutions(aligned, part)
            kept, _ = L.label_discovery_summary(subs, sentences=part, model=None)
            kept_rows.append(kept.assign(corpus=corpus, slice=name, rank=range(1, len(kept) + 1), tier=tier))
            tried.append((tier, corpus, name, len(ids), len(kept), round(time.perf_counter() - t0, 1)))
            print(f"tier {tier} {name}: {len(ids)} articles, {len(kept)} candidates ({tried[-1][-1]} s)", flush=True)
        fresh = _finish(kept_rows, earlier, fresh, unlabelled)
        every = _all(kept_rows)
        print(f"after tier {tier}: {len(every)} candidate rows, {len(set(ff._key(every)))} distinct pairs, "
              f"{len(fresh)} fresh", flush=True)
    return fresh, _all(kept_rows), pd.DataFrame(tried, columns=columns)


def _all(kept_rows: list) -> pd.DataFrame:
    return pd.concat(kept_rows, ignore_index=True) if kept_rows else pd.DataFrame(columns=["label_a", "label_b"])


def _finish(kept_rows: list, earlier: set, fresh: pd.DataFrame, unlabelled: str) -> pd.DataFrame:
    if kept_rows:
        fresh = ff.fresh_rows(_all(kept_rows), earlier)
    if unlabelled:
        write_unlabelled(fresh, unlabelled)
    return fresh


def write_unlabelled(fresh: pd.DataFrame, path: str) -> None:
    """Write the fresh rows with ``to_label``: all if at most :data:`MAX_LABEL`, else a random :data:`MAX_LABEL`."""
    to_label = pd.Series(True, index=fresh.index)
    if len(fresh) > MAX_LABEL:
        drawn = set(fresh.sample(MAX_LABEL, random_state=SAMPLE_SEED).index)
        to_label = pd.Series([i in drawn for i in fresh.index], index=fresh.index)
    fresh.assign(to_label=to_label).to_csv(path, sep="\t", index=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unlabelled", default="", help="write the fresh candidate pairs to this TSV")
    ap.add_argument("--candidates", default="", help="write every kept candidate row (all slices) to this TSV")
    ap.add_argument("--cache", default="", help="folder for cached sentence alignments")
    ap.add_argument("--min-fresh", type=int, default=150, help="stop after the tier reaching this many")
    ap.add_argument("--until", default="", help="start no slice after this UTC time (HH:MM)")
    args = ap.parse_args()
    print(f"analysis from {Path(analysis.__file__).parent}", flush=True)
    corpora = {fq.CORPUS.name: C.load_corpus(str(fq.CORPUS))}
    for day in fq.NEWS_DAYS:
        corpora[day.name] = C.load_corpus(str(day))
    sentences = {name: C.split_articles(a) for name, a in corpora.items()}
    fresh, every, tried = run(corpora, sentences, cache=args.cache, min_fresh=args.min_fresh, until=args.until,
                              unlabelled=args.unlabelled)
    for tier, part in tried.groupby("tier"):
        print(f"tier {tier}: {len(part)} slices, {int((part.kept > 0).sum())} keep something, "
              f"{int(part.kept.sum())} candidate rows, {part.seconds.sum():.0f} s")
    print(f"slices: {len(tried)}; candidate rows: {len(every)}; distinct pairs: {len(set(ff._key(every)))}; "
          f"fresh distinct pairs: {len(fresh)}; to label: {min(len(fresh), MAX_LABEL)}")
    if args.candidates:
        every.to_csv(args.candidates, sep="\t", index=False)


if __name__ == "__main__":
    sys.exit(main())
