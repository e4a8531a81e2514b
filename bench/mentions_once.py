"""Entity mentions found once per report (entities.entity_mentions) against once per notebook.

Usage::

    python bench/mentions_once.py /tmp/b10/processed                     # notebooks' calls, old and new
    python bench/mentions_once.py /tmp/b10/processed --against 14f2ce8   # ... and REV's package (old calls)
    python bench/mentions_once.py /tmp/b10/processed --mentions-only     # skip actor_mentions and quotes
    python bench/mentions_once.py /tmp/b10/processed --new-only          # only entity_mentions' calls
    python bench/mentions_once.py P --aliases cache/proposed-entities-KEY.parquet  # an alias table as is

What is measured
----------------
The three notebook cells that find the same mentions, each in a fresh process as the
report's kernels are, in report order: the sentiment page's mentions (text-less corpus, as
that page opens it), the framing page's ``actor_mentions`` and the voices page's
``extract_quotes``, all through ``partition.per_article`` without a client.

- ``old``: as the notebooks call them at the session start (each finds the mentions itself;
  this tree's functions without ``mentions``; with ``--against REV`` also REV's package);
- ``new``: ``entities.entity_mentions`` (the first process finds and keeps them in the
  folder's ``cache/``, the later ones read them) passed as ``split={"mentions": ...}``.

Per step: CPU seconds (``time.process_time``) from after the corpus and alias table are
loaded, the growth of the process's peak RSS over the step, and the md5 of the step's
table (CSV text and dtypes), which must be the same for old and new. The prepared folder is
never written: each run uses a temporary folder of links to its parquet files and to its
``cache/`` proposals.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("sentiment", "framing", "voices")


def _md5(table) -> str:
    return hashlib.md5(table.to_csv().encode() + str(table.dtypes.to_dict()).encode()).hexdigest()[:16]


def _one(folder: str, mode: str, step: str, aliases_file: str) -> None:
    import pandas as pd

    from analysis import corpus as C
    from analysis import entities as E
    from analysis import partition

    os.environ["NEWSFRAMES_PROGRESS"] = "0"
    articles, sentences = C.open_corpus("-", processed_dir=folder, text=step != "sentiment")
    aliases = pd.read_parquet(aliases_file) if aliases_file else \
        E.entity_aliases(sentences, corpus="-", entities_file="", processed_dir=folder)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.process_time()
    split = {}
    if mode == "new":
        split = {"mentions": E.entity_mentions(sentences, aliases=aliases, processed_dir=folder)}
    if step == "sentiment":
        out = split["mentions"] if mode == "new" else \
            partition.per_article(E.find_mentions, sentences, aliases=aliases)
    elif step == "framing":
        from analysis import actors

        out = partition.per_article(actors.actor_mentions, sentences, articles, aliases=aliases, split=split)
    else:
        from analysis import quotes as Q

        out = partition.per_article(Q.extract_quotes, articles, sentences, aliases=aliases, split=split)
    cpu = time.process_time() - t0
    grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    print(f"{cpu:.2f} {grew:.0f} {len(out)} {_md5(out)}")


def _run(root: Path, folder: str, mode: str, step: str, aliases_file: str) -> list[str]:
    cmd = [sys.executable, str(ROOT / "bench" / "mentions_once.py"), folder, "--one", mode, step]
    if aliases_file:
        cmd += ["--aliases", aliases_file]
    out = subprocess.run(cmd, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, cwd=root,
                         capture_output=True, text=True, check=True).stdout.split()
    return out[-4:]


def _linked(processed: Path, folder: Path) -> str:
    """A prepared folder of links to `processed`'s tables and kept proposals, with its own cache."""
    (folder / "cache").mkdir(parents=True)
    for name in ("articles.parquet", "sentences.parquet", "manifest.json"):
        if (processed / name).exists():
            (folder / name).symlink_to(processed / name)
    for kept in (processed / "cache").glob("proposed-entities-*.parquet"):
        (folder / "cache" / kept.name).symlink_to(kept)
    return str(folder)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("processed")
    ap.add_argument("--against", default="", help="also run this git revision's package (old calls)")
    ap.add_argument("--aliases", default="", help="an alias table (parquet) to use as is")
    ap.add_argument("--mentions-only", action="store_true", help="only the sentiment page's step")
    ap.add_argument("--new-only", action="store_true", help="only the new calls (the old ones timed before)")
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    aliases = str(Path(args.aliases).resolve()) if args.aliases else ""
    if args.one:
        return _one(args.processed, *args.one, aliases)
    steps = STEPS[:1] if args.mentions_only else STEPS
    with tempfile.TemporaryDirectory(prefix="mentions-once-") as tmp:
        runs = [("tree", ROOT, "new")] if args.new_only else [("tree", ROOT, "old"), ("tree", ROOT, "new")]
        if args.against:
            sys.path.insert(0, str(ROOT / "bench"))
            from revision import package_at

            runs.insert(0, (args.against, package_at(args.against, Path(tmp) / "rev"), "old"))
        for name, root, mode in runs:
            folder = _linked(Path(args.processed).resolve(), Path(tmp) / f"{name}-{mode}")
            for step in steps:
                cpu, grew, rows, digest = _run(root, folder, mode, step, aliases)
                print(f"{name:>8} {mode}  {step:<9}  CPU {float(cpu):8.2f} s  peak +{grew:>5} MB  "
                      f"rows {int(rows):>9,}  md5 {digest}", flush=True)
            if mode == "new":  # the page that found them, again: reads them
                cpu, grew, rows, digest = _run(root, folder, mode, "sentiment", aliases)
                print(f"{name:>8} {mode}  {'(read)':<9}  CPU {float(cpu):8.2f} s  peak +{grew:>5} MB  "
                      f"rows {int(rows):>9,}  md5 {digest}", flush=True)


if __name__ == "__main__":
    main()
