"""Time :func:`analysis.entities.find_mentions` on a prepared corpus, this tree against a revision.

Usage::

    python bench/mentions.py /tmp/b10/processed                    # this tree: CPU seconds, md5 of the table
    python bench/mentions.py /tmp/b10/processed --against 3e236f4  # ... and REV's, alternately, same run
    python bench/mentions.py /tmp/finb/p4142 --against 3e236f4 --repeats 2

What is measured
----------------
The mentions of the whole prepared corpus (``sentences.parquet``), found as the sentiment
notebook finds them: ``partition.per_article(find_mentions, sentences, aliases=aliases)``
(chunks of 1,000 articles), with the proposed entities kept in the folder's ``cache/``
(:func:`analysis.entities.entity_aliases`). CPU seconds of the call (``time.process_time``,
after one small call that builds the automaton, as every chunk after the first finds it
built) in a fresh process per run; the md5 of the table's CSV text and dtypes says whether
both trees give the same table byte for byte. With ``--against REV`` the script runs again
with REV's package (``bench/revision.package_at``, in a temporary folder), runs alternating.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _one(processed: str) -> None:
    import pandas as pd

    from analysis import entities as E
    from analysis import partition

    sentences = pd.read_parquet(Path(processed) / "sentences.parquet")
    aliases = E.entity_aliases(sentences, corpus="-", entities_file="", processed_dir=processed)
    E.find_mentions(sentences.iloc[:10], aliases=aliases)
    t0 = time.process_time()
    m = partition.per_article(E.find_mentions, sentences, aliases=aliases)
    cpu = time.process_time() - t0
    digest = hashlib.md5(m.to_csv().encode() + str(m.dtypes.to_dict()).encode()).hexdigest()[:16]
    print(f"{cpu:.2f} {len(m)} {digest}")


def _run(root: Path, processed: str) -> tuple[float, int, str]:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "mentions.py"), processed, "--one"],
                         env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, cwd=root,
                         capture_output=True, text=True, check=True).stdout.split()
    return float(out[-3]), int(out[-2]), out[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("processed")
    ap.add_argument("--against", default="")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return _one(args.processed)
    trees = {"tree": ROOT}
    with tempfile.TemporaryDirectory(prefix="mentions-bench-") as tmp:
        if args.against:
            sys.path.insert(0, str(ROOT / "bench"))
            from revision import package_at

            trees = {args.against: package_at(args.against, Path(tmp) / "rev"), "tree": ROOT}
        for r in range(args.repeats):
            for name, root in trees.items():
                cpu, rows, digest = _run(root, args.processed)
                print(f"run {r} {name:>10}: CPU {cpu:7.2f} s  mentions {rows:,}  md5 {digest}", flush=True)

if __name__ == "__main__":
    main()
