"""Memory and time of the framing notebook's heavy steps, old code against new, in one run (issue 15).

For each prepared corpus and each step, two fresh processes run the step: one with the package
of ``--base`` (``bench/revision.package_at``) calling it as the notebook did at that revision,
one with this working tree calling it as the notebook does after the change. Each prints the
CPU seconds of the step, its peak resident memory above the memory held before it (``VmHWM``
reset through ``/proc/self/clear_refs`` just before the step, so the corpus and the inputs are
not counted), what it still holds after, and an MD5 of each table it returns (CSV bytes and
dtypes): equal digests mean byte-identical saved tables.

Steps:

- ``actors``: the actor-words cell. Old: ``actor_words_folded(mentions, sentences)`` of the
  base revision when it has it, else ``words_by_actor(per_article(actor_word_counts, mentions,
  sentences))``; new: ``actor_words_folded(mentions, sentences)``. The mentions are
  computed once per corpus by this tree (``per_article(actor_mentions, ...)``) and cached.
- ``align``: ``labels.align_sentences(sentences)``.
- ``profile``: the two ``frames.frame_profile`` calls of the frame-hits cell (per outlet and per
  article, ``n_boot=2000``), from cue hits and word counts each process computes before the
  step (``find_cues`` and ``word_counts`` in chunks, as the notebook); the digests cover both
  profiles and the hits.
- ``labels``: the whole label-discovery cell (``align_sentences``, ``substitutions``,
  ``candidate_labels``, ``label_discovery_summary`` with ``sentences=``), as the notebook calls
  it at both revisions. Besides the cell's CPU and peak: ``parts``, the CPU seconds and the peak
  above the cell's starting memory of each part (``VmHWM`` reset before each part; the cell's peak
  is the largest of them), and a digest of each of the five tables the cell saves or prints.

``--save DIR`` also saves each table as the report does (``corpus.save_table``: CSV, or Parquet past
20,000 rows) into ``DIR/<code>/`` and prints whether the old and new files are the same bytes; with
``--reference DIR`` (e.g. a report's ``tables/`` folder) the new files are compared with those too.

Usage::

    nice .venv/bin/python bench/framing_memory.py --steps actors align \\
        --prepared /tmp/b26/k4142/corpus-4142.jsonl=/tmp/b26/k4142/p4142 \\
                   /tmp/b26/k10/corpus-10000.jsonl=/tmp/b26/k10/p10000 --base c2893e0
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
STEPS = ("actors", "align", "labels", "profile")


def digest(table: pd.DataFrame) -> str:
    """MD5 of the table's CSV bytes and dtypes."""
    raw = table.to_csv(index=False).encode() + repr(list(table.dtypes.astype(str))).encode()
    return hashlib.md5(raw).hexdigest()[:16]


def _status(key: str) -> float:
    return int(Path("/proc/self/status").read_text().split(key + ":")[1].split()[0]) / 1024


def child(tree: str, code: str, step: str, corpus: str, processed: str, cache: str, save: str = "-") -> dict:
    """Run one step in this process with the package in `tree`; return seconds, MB and digests."""
    import gc
    import time

    sys.path.insert(0, tree)
    from analysis import corpus as C

    articles, sentences = C.open_corpus(corpus, processed_dir=processed)
    inputs = {}
    if step == "actors":
        inputs["mentions"] = pd.read_pickle(cache)
    if step == "profile":
        from analysis import frames, partition
        from analysis.tokens import word_counts

        inputs["lexicon"] = frames.load_lexicon([])
        inputs["words"] = partition.per_article(word_counts, sentences)
        inputs["hits"] = partition.per_article(frames.find_cues, sentences, lexicon=inputs["lexicon"])
    gc.collect()
    before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS: the peak from here on
    t = time.process_time()
    if step == "actors":
        from analysis import actors, partition

        if code == "old" and hasattr(actors, "actor_words_folded"):  # the notebook's call since session 27
            out = {"actors_words": actors.actor_words_folded(inputs["mentions"], sentences)}
        elif code == "old":
            counts = partition.per_article(actors.actor_word_counts, inputs["mentions"], sentences)
            out = {"actors_words": actors.words_by_actor(counts)}
            del counts
        else:
            out = {"actors_words": actors.actor_words_folded(inputs["mentions"], sentences)}
    elif step == "profile":
        from analysis import frames

        out = {"frame_hits": inputs["hits"],
               "frames": frames.frame_profile(inputs["hits"], sentences, lexicon=inputs["lexicon"],
                                              words=inputs["words"], n_boot=2000, seed=0),
               "frames_articles": frames.frame_profile(inputs["hits"], sentences, lexicon=inputs["lexicon"],
                                                       by="article", words=inputs["words"], n_boot=2000, seed=0)}
    elif step == "align":
        from analysis import labels

        out = {"aligned": labels.align_sentences(sentences)}
    elif step == "labels":
        from analysis import labels

        out, parts, peaks = {}, {}, []

        def part(name, f):
            Path("/proc/self/clear_refs").write_text("5")
            t0 = time.process_time()
            got = f()
            parts[name] = [round(time.process_time() - t0, 1), round(_status("VmHWM") - before)]
            peaks.append(_status("VmHWM"))
            return got

        out["aligned"] = part("align", lambda: labels.align_sentences(sentences))
        out["subs"] = part("substitutions", lambda: labels.substitutions(out["aligned"], sentences))
        out["candidates"] = part("candidates", lambda: labels.candidate_labels(out["subs"], sentences=sentences))
        out["label_pairs"], out["label_dropped"] = part(
            "summary", lambda: labels.label_discovery_summary(out["subs"], sentences=sentences))
    else:
        raise SystemExit(f"unknown step {step!r}")
    seconds = time.process_time() - t
    peak = (max(peaks) if step == "labels" else _status("VmHWM")) - before
    if save != "-":
        folder = Path(save) / code
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in out.items():
            C.save_table(table, name, folder)
    gc.collect()
    return {"seconds": round(seconds, 1), "peak_mb": round(peak), "after_mb": round(_status("VmRSS") - before),
            **({"parts": parts} if step == "labels" else {}),
            "rows": {k: len(v) for k, v in out.items()}, "md5": {k: digest(v) for k, v in out.items()}}


def mentions_cache(corpus: str, processed: str, folder: Path) -> Path:
    """Actor mentions of the corpus (this tree's code), computed once into `folder`."""
    path = folder / f"mentions-{Path(processed).name}.pkl"
    if not path.exists():
        from analysis import actors, entities, partition
        from analysis import corpus as C

        articles, sentences = C.open_corpus(corpus, processed_dir=processed)
        aliases = entities.entity_aliases(sentences, corpus=corpus, entities_file="auto", processed_dir=processed)
        partition.per_article(actors.actor_mentions, sentences, articles, aliases=aliases).to_pickle(path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prepared", nargs="+", default=[], metavar="CORPUS=DIR",
                    help="a corpus file and its `newsframes prepare` folder")
    ap.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    ap.add_argument("--base", default="c2893e0", help="git revision of the old code")
    ap.add_argument("--codes", nargs="+", default=["old", "new"], choices=["old", "new"],
                    help="run only these (compare digests with an earlier run's)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "framing_memory")
    ap.add_argument("--save", type=Path, help="save each table here (DIR/old, DIR/new) and compare the files")
    ap.add_argument("--reference", type=Path, help="a folder of saved tables to compare the new files with")
    ap.add_argument("--child", nargs=7, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from revision import package_at

    args.cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = package_at(args.base, Path(tmp) / "base")
        rows = []
        for pair in args.prepared:
            corpus, processed = pair.split("=", 1)
            n = len(pd.read_parquet(Path(processed) / "articles.parquet", columns=["article_id"]))
            for step in args.steps:
                cache = mentions_cache(corpus, processed, args.cache) if step == "actors" else Path("-")
                for code, tree in [(c, t) for c, t in (("old", base), ("new", ROOT)) if c in args.codes]:
                    res = subprocess.run([sys.executable, __file__, "--child", str(tree), code, step, corpus,
                                          processed, str(cache), str(args.save or "-")], capture_output=True,
                                         text=True,
                                         env={"NEWSFRAMES_PROGRESS": "0", "PATH": "/usr/bin:/bin"})
                    if res.returncode:
                        print(res.stderr[-2000:], file=sys.stderr)
                        continue
                    got = json.loads(res.stdout.strip().splitlines()[-1])
                    rows.append({"articles": n, "step": step, "code": code, **got})
                    print(json.dumps(rows[-1]), flush=True)
    table = pd.DataFrame(rows)
    table["md5"] = table["md5"].map(json.dumps)
    print()
    print(table.drop(columns=[c for c in ("rows", "md5", "parts") if c in table.columns]).to_string(index=False))
    same = table.groupby(["articles", "step"])["md5"].nunique().eq(1)
    print("\ntables byte-identical, old and new:")
    print(same.to_string())
    if args.save:
        for new in sorted((args.save / "new" / "tables").glob("*.*")):  # (save_table writes DIR/tables/)
            for other in [args.save / "old" / "tables" / new.name] + ([args.reference / new.name] if args.reference
                                                                      else []):
                verdict = ("same bytes" if other.exists() and other.read_bytes() == new.read_bytes()
                           else "DIFFERENT" if other.exists() else "missing")
                print(f"saved {new.name}: {verdict} as {other}")


if __name__ == "__main__":
    main()
