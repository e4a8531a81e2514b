"""Benchmark `prepare` (load, clean, split, write) against NLTK's Punkt alone.

Generates a large real-looking corpus (bench/synth.py), saves it as a Parquet table, then
runs, each in a fresh child process so that peak memory (ru_maxrss) is honest:

* baseline: ``nltk.sent_tokenize`` (Punkt, with the offline parameters we ship) on every
  article text, nothing else;
* ours: ``analysis.corpus.prepare`` on the table: read, validate, clean, split into
  sentences with offsets and quotation flags, write two Parquet files atomically.

Prints articles/s, MB/s, peak memory and the ratio ours/baseline. Floors (issue 3): our
throughput at least half of Punkt's; our peak memory under 3 GB.

Usage: python bench/prepare.py [--articles 40000] [--sentences 42] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def child(mode: str, table: str, out: str) -> None:
    import pandas as pd

    t0 = time.perf_counter()
    if mode == "punkt":
        import nltk

        from analysis.resources import ensure_nltk_data

        ensure_nltk_data()
        texts = pd.read_parquet(table, columns=["text"])["text"]
        n = sum(len(nltk.sent_tokenize(t)) for t in texts)
    else:
        from analysis.corpus import prepare

        n = prepare(table, out).sentences
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "sentences": n, "peak_mb": peak_mb}))


def run_child(mode: str, table: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, str(table), str(out)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--sentences", type=int, default=42, help="mean sentences per article")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--child", nargs=3, metavar=("MODE", "TABLE", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    from synth import synth_articles

    t0 = time.perf_counter()
    corpus = synth_articles(args.articles, seed=args.seed, sentences_per_article=args.sentences)
    mb = corpus["text"].str.len().sum() / 1e6
    print(f"generated {len(corpus):,} articles, {mb:,.1f} MB of text in {time.perf_counter() - t0:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "corpus.parquet"
        corpus.to_parquet(table, index=False)
        del corpus
        base = run_child("punkt", table, Path(tmp) / "unused")
        ours = run_child("ours", table, Path(tmp) / "processed")
    for name, r in (("punkt (sent_tokenize only)", base), ("newsframes prepare", ours)):
        print(f"{name:28s} {r['seconds']:8.1f} s  {args.articles / r['seconds']:8.0f} articles/s  "
              f"{mb / r['seconds']:6.2f} MB/s  peak {r['peak_mb']:7.0f} MB  {r['sentences']:,} sentences")
    ratio = base["seconds"] / ours["seconds"]
    print(f"throughput ours/punkt: {ratio:.2f} (floor 0.50: {'PASS' if ratio >= 0.5 else 'FAIL'}); "
          f"peak memory {ours['peak_mb']:.0f} MB (floor < 3072 MB: {'PASS' if ours['peak_mb'] < 3072 else 'FAIL'})")


if __name__ == "__main__":
    main()
