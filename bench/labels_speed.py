"""The framing notebook's label-discovery cell, part by part, against a given git revision (issue 15).

The cell runs ``align_sentences``, ``substitutions``, ``candidate_labels`` and
``label_discovery_summary`` (with ``sentences=``, so the learned filter runs). For each size this
times each part (CPU seconds) for the code of this working tree and for the code of ``--base``
(checked out in a temporary ``git worktree``), each run in a fresh process, the two interleaved
``--repeat`` times, and compares the five tables (aligned, substitutions, candidates, stated
pairs, dropped counts) byte for byte (CSV bytes and dtypes). Then the ratio base / new per part
(median over the repeats) and each part's growth exponent (least squares of log seconds on log
articles; from the smallest to the largest size given).

Sizes up to 4,142 are the first N articles of ``shared/corpus/abp-2013.jsonl``; larger ones are
generated as in ``bench/scale.py`` (``corpus_of``; that generator's reuse, and so the number of
aligned pairs, grows faster than a real year's). Sentences are split once per size (by this
tree's code) and given to both revisions.

    python bench/labels_speed.py                                  # 1,000 and 4,142 against HEAD
    python bench/labels_speed.py --sizes 1000 4142 10000 --base 98bd572 --repeat 2
    nice python bench/labels_speed.py --sizes 1000 4142 10000 --base 5f31a9f \
        --processed 4142=/tmp/b22/keep/p4142 10000=/tmp/b24/k10/p10000   # prepared folders, not regenerated

Memory per run: the process's peak, and its resident growth over the cell (with the five tables
held, and once they are deleted and the freed heap trimmed: what the cell leaves behind in caches).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
YEAR = ROOT.parent / "shared" / "corpus" / "abp-2013.jsonl"
PARTS = ("align_sentences", "substitutions", "candidate_labels", "label_discovery_summary")


def sentences_of(n: int, cache: Path, processed: Path | None = None) -> Path:
    """Return a pickle of the sentence table of the n-article corpus (written once into `cache`).

    `processed`: a prepared folder of that corpus (``sentences.parquet``, as ``newsframes prepare``
    writes it) to read instead of generating and splitting the corpus again.
    """
    if processed is not None:
        path = cache / f"sentences-{n}-{hashlib.md5(str(processed.resolve()).encode()).hexdigest()[:8]}.pkl"
        if not path.exists():
            pd.read_parquet(processed / "sentences.parquet").to_pickle(path)
        return path
    path = cache / f"sentences-{n}.pkl"
    if not path.exists():
        sys.path.insert(0, str(ROOT))
        sys.path.insert(0, str(ROOT / "bench"))
        from scale import corpus_of

        from analysis.corpus import load_corpus
        from analysis.sentences import split_sentences

        split_sentences(load_corpus(str(corpus_of(n, cache)))).to_pickle(path)
    return path


def digest(table: pd.DataFrame) -> str:
    """MD5 of the table's CSV bytes and dtypes: equal digests mean byte-identical saved tables."""
    raw = table.to_csv(index=False).encode() + repr(list(table.dtypes.astype(str))).encode()
    return hashlib.md5(raw).hexdigest()[:16]


def one(tree: str, path: str) -> dict:
    """Run the cell with the package in `tree` on the pickled sentences; return seconds, rows and digests."""
    import ctypes
    import gc
    import resource
    import time

    sys.path.insert(0, tree)
    from analysis import labels

    sentences = pd.read_pickle(path)
    warm = sentences.head(2000)  # the cell once on a few sentences: lazy imports loaded before the baseline
    labels.label_discovery_summary(labels.substitutions(labels.align_sentences(warm), warm), sentences=warm)
    gc.collect()
    before = _rss_mb()
    out, secs = {}, {}
    t = time.process_time()
    out["aligned"] = labels.align_sentences(sentences)
    secs["align_sentences"] = time.process_time() - t
    t = time.process_time()
    out["subs"] = labels.substitutions(out["aligned"], sentences)
    secs["substitutions"] = time.process_time() - t
    t = time.process_time()
    out["candidates"] = labels.candidate_labels(out["subs"], sentences=sentences)
    secs["candidate_labels"] = time.process_time() - t
    t = time.process_time()
    out["label_pairs"], out["label_dropped"] = labels.label_discovery_summary(out["subs"], sentences=sentences)
    secs["label_discovery_summary"] = time.process_time() - t
    rows, digests = {k: len(v) for k, v in out.items()}, {k: digest(v) for k, v in out.items()}
    kept = _rss_mb() - before
    del out
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # freed heap back to the system: what is left is held
    return {"seconds": secs, "rows": rows, "digests": digests, "kept_mb": kept, "leftover_mb": _rss_mb() - before,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3}


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (/proc/self/statm)."""
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def exponent(sizes, seconds) -> float:
    """Least-squares slope of log seconds on log size."""
    return float(np.polyfit(np.log(sizes), np.log(np.maximum(seconds, 1e-3)), 1)[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4142])
    ap.add_argument("--base", default="HEAD", help="git revision to compare against")
    ap.add_argument("--repeat", type=int, default=2, help="interleaved rounds (base, new) per size")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "labels_speed",
                    help="folder for the generated corpora and sentence tables")
    ap.add_argument("--processed", nargs="+", default=[], metavar="N=DIR",
                    help="read size N's sentences from a prepared folder (DIR/sentences.parquet)")
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # tree pickle: run in this process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    processed = {int(k): Path(v) for k, v in (p.split("=", 1) for p in args.processed)}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            rows = []
            for n in args.sizes:
                path = sentences_of(n, args.cache, processed.get(n))
                for r in range(args.repeat):
                    for name, tree in (("base", base), ("new", ROOT)):
                        res = subprocess.run([sys.executable, __file__, "--one", str(tree), str(path)],
                                             capture_output=True, text=True, check=True)
                        got = json.loads(res.stdout.strip().splitlines()[-1])
                        rows.append({"articles": n, "code": name, "round": r, **got["seconds"],
                                     "total": sum(got["seconds"].values()), "peak_mb": round(got["peak_mb"]),
                                     "kept_mb": round(got["kept_mb"]), "leftover_mb": round(got["leftover_mb"]),
                                     **{f"rows_{k}": v for k, v in got["rows"].items()},
                                     **{f"md5_{k}": v for k, v in got["digests"].items()}})
                        print({k: (round(v, 1) if isinstance(v, float) else v) for k, v in rows[-1].items()
                               if not k.startswith("md5_")}, flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    table = pd.DataFrame(rows)
    md5 = [c for c in table.columns if c.startswith("md5_")]
    same = table.groupby("articles")[md5].nunique().eq(1).all(axis=1)
    print("\ntables byte-identical (base and new, every round):")
    print(same.to_string())
    cols = [*PARTS, "total"]
    med = table.groupby(["articles", "code"])[cols].median()
    ratio = (med.xs("base", level="code") / med.xs("new", level="code")).round(2)
    print("\nCPU seconds (median of the rounds):")
    print(med.round(1).to_string())
    print("\nbase / new (higher: the new code is faster):")
    print(ratio.to_string())
    if len(args.sizes) > 1:
        sizes = med.xs("new", level="code").index.to_numpy()
        exps = pd.DataFrame({code: [exponent(sizes, med.xs(code, level="code")[c].to_numpy()) for c in cols]
                             for code in ("base", "new")}, index=cols).round(2)
        print(f"\ngrowth exponent from {sizes.min()} to {sizes.max()} articles:")
        print(exps.to_string())
    print("\nMB of the process (median): peak; kept = resident growth over the cell with its five tables held;"
          " leftover = growth still there once the tables are deleted and freed heap is trimmed:")
    print(table.groupby(["articles", "code"])[["peak_mb", "kept_mb", "leftover_mb"]].median().to_string())


if __name__ == "__main__":
    main()
