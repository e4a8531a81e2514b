"""Benchmark text-reuse detection: time and memory growth, and recall of planted reuse.

Usage::

    python bench/reuse.py                      # quick: 100 and 1,000 articles
    python bench/reuse.py --sizes 100 1000 10000

Each size runs in a fresh subprocess (so peak memory is that size's own). The corpus is
bench/synth.py's generated articles; into it we plant reuse pairs: one article in ten
gets a partner that either copies a block of its paragraphs verbatim into its own text
("copy") or rewrites every sentence of it, replacing or dropping about one word in six
("paraphrase"). Reported per size: seconds for shared_passages + align_sentences +
reuse_pairs (sentence splitting is a prerequisite, timed apart), peak memory added by
that step, candidate pairs, and recall of the planted pairs. The baseline, run in the same
process up to 1,000 articles, compares every pair of articles' shingle sets (quadratic).
The fitted exponent is the slope of log(time) on log(articles).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
PLANT_EVERY = 10  # one planted pair per this many articles
REWRITE_RATE = 1 / 6  # share of words replaced or dropped in a planted paraphrase
BASELINE_MAX = 1000  # all-pairs baseline only up to this size (quadratic)
# Candidate settings for a large corpus. bench/synth.py builds every article from the same
# ~110 bundled sentences, so any two articles share some 5-grams; a pair must share this
# many rare 5-grams (about one common passage of 24+ words) to be compared, and a 5-gram
# found in more than MAX_DF of the articles (1%) is boilerplate. The library defaults
# (2 and 50 articles) suit small corpora such as the bundled one.
MIN_SHARED = 20
MAX_DF = 0.01


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _paraphrase(text: str, rng: np.random.Generator) -> str:
    fillers = ("reportedly", "also", "now", "still", "further", "officially")
    paras = []
    for para in text.split("\n\n"):
        words = []
        for w in para.split(" "):
            r = rng.random()
            if r < REWRITE_RATE / 2:
                continue
            words.append(fillers[int(rng.integers(len(fillers)))] if r < REWRITE_RATE else w)
        paras.append(" ".join(words))
    return "\n\n".join(paras)


def planted_corpus(n: int, seed: int = 0):
    """Return (articles, planted pairs as a set of sorted id tuples)."""
    from synth import synth_articles

    arts = synth_articles(n, seed=seed)
    rng = np.random.default_rng(seed + 1)
    n_pairs = max(5, n // PLANT_EVERY)
    idx = rng.permutation(n)[:2 * n_pairs]
    texts = arts["text"].tolist()
    planted = set()
    for k in range(n_pairs):
        src, dst = int(idx[2 * k]), int(idx[2 * k + 1])
        paras = texts[src].split("\n\n")
        if k % 2 == 0:  # copy a block of half the source's paragraphs into dst's own text
            size = max(2, len(paras) // 2)
            at = int(rng.integers(0, max(1, len(paras) - size + 1)))
            own = texts[dst].split("\n\n")
            texts[dst] = "\n\n".join(own[: len(own) // 2] + paras[at:at + size] + own[len(own) // 2:])
        else:
            texts[dst] = _paraphrase(texts[src], rng)
        planted.add(tuple(sorted((arts["article_id"][src], arts["article_id"][dst]))))
    return arts.assign(text=texts), planted


def _baseline(articles, min_shared: int) -> tuple[float, int]:
    """Compare every pair's shingle sets (the quadratic method); return (seconds, pairs found)."""
    from analysis import reuse as R
    from analysis.reuse.passages import _index

    *_, hashes = _index(articles, R.shingle_table(articles), R.NGRAM)
    sets = [set(h.tolist()) for h in hashes]
    t0 = time.perf_counter()
    found = sum(1 for a, b in combinations(range(len(sets)), 2) if len(sets[a] & sets[b]) >= min_shared)
    return time.perf_counter() - t0, found


def run_one(n: int, seed: int, min_shared: int = MIN_SHARED, max_df: int = MAX_DF) -> dict:
    from analysis import reuse as R
    from analysis.sentences import split_sentences

    arts, planted = planted_corpus(n, seed)
    t0 = time.perf_counter()
    sents = split_sentences(arts)
    t_split = time.perf_counter() - t0
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    passages = R.shared_passages(arts, max_df=max_df, min_shared=min_shared)
    t_pass = time.perf_counter() - t0
    aligned = R.align_sentences(sents, passages)
    pairs = R.reuse_pairs(arts, passages, aligned)
    t_reuse = time.perf_counter() - t0
    found = set(zip(pairs["article_a"], pairs["article_b"]))
    found |= {(b, a) for a, b in found}
    out = {"n": n, "split_s": t_split, "passages_s": t_pass, "reuse_s": t_reuse,
           "peak_added_mb": max(0.0, _rss_mb() - rss0), "pairs": len(pairs), "planted": len(planted),
           "recall": sum(p in found for p in planted) / len(planted),
           "aligned": len(aligned), "words": int(sum(len(t.split()) for t in arts["text"]))}
    if n <= BASELINE_MAX:
        out["baseline_s"], out["baseline_pairs"] = _baseline(arts, min_shared)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--min-shared", type=int, default=MIN_SHARED, help="rare 5-grams a pair must share")
    ap.add_argument("--max-df", type=float, default=MAX_DF,
                    help="5-grams in more than this share of the articles are boilerplate")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.min_shared, args.max_df)))
        return 0
    results = []
    print(f"candidate settings: min_shared={args.min_shared}, max_df={args.max_df}; seed {args.seed}")
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed),
                               "--min-shared", str(args.min_shared), "--max-df", str(args.max_df)],
                              capture_output=True, text=True, check=True)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = results[-1]
        base = f"  baseline all-pairs {r['baseline_s']:.2f}s ({r['baseline_s'] / r['reuse_s']:.1f}x)" \
            if "baseline_s" in r else ""
        print(f"n={n:>6}  words={r['words']:>9,}  split {r['split_s']:7.1f}s  reuse {r['reuse_s']:7.2f}s "
              f"(passages {r['passages_s']:.2f}s)  +{r['peak_added_mb']:.0f} MB  pairs={r['pairs']:>6}  "
              f"aligned={r['aligned']:>6}  recall={r['recall']:.3f} ({r['planted']} planted){base}", flush=True)
    if len(results) >= 2:
        ns = np.log([r["n"] for r in results])
        slope = np.polyfit(ns, np.log([r["reuse_s"] for r in results]), 1)[0]
        mem = [max(r["peak_added_mb"], 1.0) for r in results]
        mslope = np.polyfit(ns, np.log(mem), 1)[0]
        print(f"fitted exponent: time ~ n^{slope:.2f}, added memory ~ n^{mslope:.2f} (quadratic = 2)")
        with_base = [r for r in results if "baseline_s" in r]
        if len(with_base) >= 2:
            bslope = np.polyfit(np.log([r["n"] for r in with_base]),
                                np.log([max(r["baseline_s"], 1e-6) for r in with_base]), 1)[0]
            print(f"baseline all-pairs exponent: n^{bslope:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
