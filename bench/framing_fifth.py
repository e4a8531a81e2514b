"""The fifth, held-out sample of discovered label pairs: the frozen rules on slices no earlier sample used.

Issue 16. The framing rules were changed after reading every wrong row of the four labelled label files
(tests/data/labels_dev/test/final/fourth.tsv), so those are development data. This script runs the rules as
frozen (``/tmp/coord/framing-frozen`` names the commit) on slices of the development corpora that no earlier
sample used, and writes every pair ``label_discovery_summary`` states there that no labelled file labels
("fresh"), one row per pair with ``stated_in`` (every slice stating it) and its rank in its slice. Those rows
are hand-labelled (tests/data/labels_fifth.tsv) before any precision is computed, and scored once.

Slices (none used before; the earlier samples used the whole file, months, two-week windows, ISO weeks,
quarters, topics, bias groups, the whole news-day folders, month x bias, 10-, 5- and 3-day windows, days,
topic x bias, topic x quarter, bias x quarter, two bias groups, two-, three- and four-month windows,
half-years, bias x half-year and random halves with seeds 1-7), in tiers run in this order (:data:`TIERS`):

1. each news-day folder (``iowa-caucus-2016``, ``midterms-2014``, ``stimulus-2020``) split by outlet bias
   (``iowa-caucus-2016 bias left`` ...) and by two bias groups together (``... two bias groups center+left``);
2. abp-2013: each outlet-bias group cut into random halves, seeds 8-10 (article ids of the group sorted,
   shuffled with the seed, cut in two: ``bias left x random half seed 8 a|b``);
3. abp-2013: random thirds of the articles, seeds 8-10 (ids sorted, shuffled with the seed, cut in three with
   ``numpy.array_split``: ``random third seed 8 a|b|c``);
4. abp-2013: random halves, seeds 8-10 (as the fourth sample's seeds 1-7: ``random half seed 8 a|b``);
5. -34. the same three kinds with seeds 11-13, then 14-16, ... up to 38-40 (:data:`SEED_GROUPS`).

Stopping rule, fixed before any run: tiers are run whole, in order, until at least ``--min-fresh`` (50)
distinct fresh pairs are stated, or until ``--until HH:MM`` (UTC), after which no new slice is started (the
slices run are listed). When more than 100 pairs are fresh, the pairs to label are a random 100
(``random_state`` :data:`SAMPLE_SEED`) plus every pair ranked in the top 20 of its slice (``to_label``).

Only sentence alignments (which do not depend on the screens) are cached (``--cache DIR``), one file per
slice named by a hash of the slice's sentence table and of the alignment code, so an alignment made from
other sentences or by other alignment code is never read.

Run once, 2026-12-01, on the rules and learned filter frozen at 598e5fd: tiers 1-12 (144 slices; the news-day
slices state nothing), 162 distinct pairs stated, 50 fresh, all labelled before any score; scored once: 28/50 right
= 0.56 (95% Clopper-Pearson 0.41-0.70), all 50 in the top 20 of their slice (README, labels; tests/data/README.md).
About 28 minutes on the shared machine (the alignments of tiers 1-2, computed before the freeze with `--align-only`,
were read from the cache: their keys, which hash the sentences and the alignment code, matched).

Usage (the frozen code, from a ``git archive`` of the frozen commit so later edits of the working tree do
not count)::

    git archive $(cat /tmp/coord/framing-frozen) | tar -x -C /tmp/fifth_frozen
    PYTHONPATH=/tmp/fifth_frozen nice .venv/bin/python bench/framing_fifth.py fifth \\
        --cache /tmp/fifth_cache --unlabelled /tmp/fifth_fresh.tsv
    nice .venv/bin/python bench/framing_fifth.py score      # precision from tests/data/labels_fifth.tsv only
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

import analysis
from analysis import corpus as C
from analysis import labels as L

_FQ_PATH = Path(__file__).resolve().parent / "framing_quality.py"  # corpus paths, read_labelled, _slices_of
_spec = importlib.util.spec_from_file_location("framing_quality", _FQ_PATH)
fq = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fq)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
EARLIER = ("labels_dev.tsv", "labels_test.tsv", "labels_final.tsv", "labels_fourth.tsv")
LABELS = DATA / "labels_fifth.tsv"
SAMPLE_SEED = 2027  # draws the 100 pairs to label when more than 100 are fresh
TOP = 20
# (tier, kind, seeds); kinds: "news-day bias" and "news-day two bias groups" (each news-day folder),
# "bias x random half", "random third", "random half" (abp-2013). Tier 1 is the news days; then, for each
# group of three seeds (8-10, 11-13, ..., 38-40), one tier per kind in that order: each tier is about one
# year of articles (about a minute of CPU), so the stopping rule overshoots 50 by little.
SEED_GROUPS = tuple(tuple(range(s, s + 3)) for s in range(8, 41, 3))
KINDS = ("bias x random half", "random third", "random half")
TIERS = ((1, "news-day bias", ()), (1, "news-day two bias groups", ()),
         *((2 + 3 * g + i, kind, seeds) for g, seeds in enumerate(SEED_GROUPS) for i, kind in enumerate(KINDS)))
BIAS_PAIRS = (("center", "left"), ("center", "right"), ("left", "right"))


def _cut(ids: pd.Series, seed: int, parts: int) -> list[set]:
    """Sort `ids`, shuffle them with `seed` and cut them into `parts` nearly equal sets (named a, b, c)."""
    shuffled = ids.sort_values().reset_index(drop=True).sample(frac=1, random_state=seed).to_numpy()
    return [set(x) for x in np.array_split(shuffled, parts)]


def tier_slices(kind: str, seeds: tuple, corpora: dict) -> list[tuple[str, str, set]]:
    """Return (corpus, slice name, article ids) of one tier entry of :data:`TIERS`."""
    out = []
    if kind.startswith("news-day"):
        for name in (d.name for d in fq.NEWS_DAYS):
            a = corpora[name]
            bias = a["bias"].fillna("")
            if kind == "news-day bias":
                for b in sorted(bias.unique()):
                    out.append((name, f"{name} bias {b}", set(a["article_id"][(bias == b).to_numpy()])))
            else:
                for left, right in BIAS_PAIRS:
                    out.append((name, f"{name} two bias groups {left}+{right}",
                                set(a["article_id"][bias.isin([left, right]).to_numpy()])))
        return out
    a = corpora[fq.CORPUS.name]
    for seed in seeds:
        if kind == "bias x random half":
            bias = a["bias"].fillna("")
            for b in sorted(bias.unique()):
                for which, ids in zip("ab", _cut(a["article_id"][(bias == b).to_numpy()], seed, 2), strict=True):
                    out.append((fq.CORPUS.name, f"bias {b} x random half seed {seed} {which}", ids))
        else:
            parts = 3 if kind == "random third" else 2
            for which, ids in zip("abc", _cut(a["article_id"], seed, parts), strict=False):
                out.append((fq.CORPUS.name, f"{kind} seed {seed} {which}", ids))
    return out


def _code_fingerprint() -> bytes:
    """Hash of the alignment code (functions, constants, stopwords): part of every cache file's name."""
    from analysis import frames, terms
    from analysis.labels import align as D
    from analysis.resources import stopwords

    h = hashlib.sha256()
    for f in (D.align_sentences, D._close_pairs, D.tfidf_rows, D._analyzer, frames.match_text, terms.smoothed_idf):
        h.update(inspect.getsource(f).encode())
    h.update(repr((D.DEFAULT_MIN_SIMILARITY, D.MIN_WORDS, D.MAX_DF, sorted(stopwords("english")))).encode())
    return h.digest()


def _cache_path(cache: Path, name: str, part: pd.DataFrame, code: bytes) -> Path:
    """Cache file of one slice: its name and a hash of its sentence table and of the alignment code."""
    h = hashlib.sha256(code)
    for col in ("sentence_id", "outlet", "sentence_text"):
        h.update(pd.util.hash_pandas_object(part[col].astype(str), index=False).to_numpy().tobytes())
    return cache / (name.replace(" ", "_").replace("+", "-") + f"__{h.hexdigest()[:16]}.parquet")


def _aligned(part: pd.DataFrame, path: Path | None) -> pd.DataFrame:
    if path is not None and path.exists():
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError):  # a file cut short by a stopped run: align again
            pass
    got = L.align_sentences(part)
    if path is not None:  # written under another name, then renamed: a stopped run leaves no partial file
        tmp = path.with_suffix(".tmp")
        got.to_parquet(tmp)
        tmp.replace(path)
    return got


def _key(d: pd.DataFrame) -> list[tuple[str, str]]:
    return [tuple(sorted(p)) for p in zip(d["label_a"], d["label_b"], strict=True)]


def earlier_pairs() -> set:
    """Every label pair any earlier labelled file (labels_dev/test/final/fourth) labels."""
    return {k for f in EARLIER for k in _key(fq.read_labelled(DATA / f))}


def fresh_rows(stated: pd.DataFrame, earlier: set) -> pd.DataFrame:
    """One row per stated pair no earlier file labels: its best-ranked slice (first on ties) and ``stated_in``."""
    if stated.empty:
        return stated.assign(stated_in=[], tier=[])
    k = pd.Series(_key(stated), index=stated.index)
    fresh = stated[[x not in earlier for x in k]]
    slices = fq._slices_of(fresh, _key, "slice")
    best = fresh.sort_values("rank", kind="stable")
    once = best[~pd.Series(_key(best), index=best.index).duplicated()].sort_index()
    return once.assign(stated_in=[slices[x] for x in _key(once)]).reset_index(drop=True)


def start(cache: str, until: str) -> tuple[Path | None, bytes, datetime | None]:
    """The alignment cache folder (made) and code fingerprint, and the UTC time after which no slice starts."""
    cache_dir, code = (Path(cache), _code_fingerprint()) if cache else (None, b"")
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    stop_at = None
    if until:
        hh, mm = (int(x) for x in until.split(":"))
        stop_at = datetime.now(UTC).replace(hour=hh, minute=mm, second=0, microsecond=0)
    return cache_dir, code, stop_at


def run(corpora: dict, sentences: dict, *, cache: str = "", min_fresh: int = 50, until: str = "",
        unlabelled: str = "", align_only: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the tiers in order (the stopping rule of the module docstring); return (fresh rows, slices tried).

    With `align_only` = N, only the sentence alignments of tiers 1..N are computed and cached (no
    substitution, no summary: nothing stated is seen).
    """
    cache_dir, code, stop_at = start(cache, until)
    earlier = earlier_pairs()
    stated, tried = [], []
    fresh = fresh_rows(pd.DataFrame(columns=["label_a", "label_b", "slice", "rank"]), earlier)
    columns = ["tier", "corpus", "slice", "articles", "stated", "proposed", "seconds"]
    for tier in sorted({t for t, _, _ in TIERS}):
        if len(fresh) >= min_fresh or (align_only and tier > align_only):
            break
        for corpus, name, ids in [x for t, kind, seeds in TIERS if t == tier
                                  for x in tier_slices(kind, seeds, corpora)]:
            if stop_at is not None and datetime.now(UTC) >= stop_at:
                print(f"--until {until} reached before {name}: stopped inside tier {tier}")
                fresh = fresh_rows(pd.concat(stated, ignore_index=True), earlier) if stated else fresh
                return fresh, pd.DataFrame(tried, columns=columns)
            t0 = time.perf_counter()
            s = sentences[corpus]
            part = s[s["article_id"].isin(ids).to_numpy()].reset_index(drop=True)
            path = None if cache_dir is None else _cache_path(cache_dir, name, part, code)
            aligned = _aligned(part, path)
            if align_only:
                print(f"aligned tier {tier} {name}: {len(aligned)} pairs ({time.perf_counter() - t0:.1f} s)",
                      flush=True)
                continue
            subs = L.substitutions(aligned, part)
            kept, _ = L.label_discovery_summary(subs, sentences=part)
            stated.append(kept.assign(corpus=corpus, slice=name, rank=range(1, len(kept) + 1), tier=tier))
            tried.append((tier, corpus, name, len(ids), len(kept),
                          int(L.candidate_labels(subs, sentences=None).shape[0]),
                          round(time.perf_counter() - t0, 1)))
            print(f"tier {tier} {name}: {len(ids)} articles, {len(kept)} stated ({tried[-1][-1]} s)", flush=True)
        if align_only:
            continue
        fresh = fresh_rows(pd.concat(stated, ignore_index=True), earlier)
        print(f"after tier {tier}: {sum(len(x) for x in stated)} stated rows, "
              f"{len(set(_key(pd.concat(stated))))} distinct pairs, {len(fresh)} fresh", flush=True)
        if unlabelled:
            write_unlabelled(fresh, unlabelled)
    return fresh, pd.DataFrame(tried, columns=columns)


def write_unlabelled(fresh: pd.DataFrame, path: str) -> None:
    """Write the fresh rows with ``to_label`` (all, or the random 100 + the top 20 of each slice)."""
    to_label = pd.Series(True, index=fresh.index)
    if len(fresh) > 100:
        drawn = set(fresh.sample(100, random_state=SAMPLE_SEED).index)
        to_label = pd.Series([i in drawn for i in fresh.index], index=fresh.index) | (fresh["rank"] <= TOP)
    fresh.assign(to_label=to_label).to_csv(path, sep="\t", index=False)


def precision(verdicts: pd.Series) -> tuple[int, int, float, float]:
    """Return (right, labelled, low, high): the 95% Clopper-Pearson interval of the share right."""
    from scipy.stats import binomtest

    k, n = int((verdicts == "right").sum()), int(verdicts.isin(["right", "wrong"]).sum())
    if not n:
        return 0, 0, float("nan"), float("nan")
    ci = binomtest(k, n).proportion_ci(0.95, method="exact")
    return k, n, ci.low, ci.high


def score() -> None:
    """Print the fifth sample's precision from the stored labels (all fresh pairs; top 20 of their slice)."""
    got = fq.read_labelled(LABELS)
    for what, v in (("(a) all fresh stated pairs", got.verdict),
                    (f"(b) fresh pairs in the top {TOP} of their slice", got.verdict[got["rank"] <= TOP])):
        k, n, lo, hi = precision(v)
        print(f"{what}: {k}/{n} right = {k / n:.3f} (95% Clopper-Pearson {lo:.3f}-{hi:.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["fifth", "score"])
    ap.add_argument("--unlabelled", default="", help="fifth: write the fresh stated pairs to this TSV")
    ap.add_argument("--cache", default="", help="fifth: folder for cached sentence alignments")
    ap.add_argument("--min-fresh", type=int, default=50, help="fifth: stop after the tier reaching this many")
    ap.add_argument("--until", default="", help="fifth: start no slice after this UTC time (HH:MM)")
    ap.add_argument("--align-only", type=int, default=0, help="fifth: only cache the alignments of tiers 1..N")
    args = ap.parse_args()
    if args.what == "score":
        score()
        return
    print(f"analysis from {Path(analysis.__file__).parent}; framing_quality from {_FQ_PATH}", flush=True)
    corpora = {fq.CORPUS.name: C.load_corpus(str(fq.CORPUS))}
    for day in fq.NEWS_DAYS:
        corpora[day.name] = C.load_corpus(str(day))
    sentences = {name: C.split_articles(a) for name, a in corpora.items()}
    fresh, tried = run(corpora, sentences, cache=args.cache, min_fresh=args.min_fresh, until=args.until,
                       unlabelled=args.unlabelled, align_only=args.align_only)
    if args.align_only:
        return
    for tier, part in tried.groupby("tier"):
        print(f"tier {tier}: {len(part)} slices, {int((part.stated > 0).sum())} state something, "
              f"{int(part.stated.sum())} stated rows, {part.seconds.sum():.0f} s")
    print(f"fresh distinct pairs: {len(fresh)}; in the top {TOP} of their slice: {int((fresh['rank'] <= TOP).sum())}")
    if args.unlabelled:
        write_unlabelled(fresh, args.unlabelled)
    if LABELS.exists():
        score()


if __name__ == "__main__":
    sys.exit(main())
