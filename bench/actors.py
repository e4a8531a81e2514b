"""Variants of actor_words_folded's integer path, each in a fresh process (issue 15): CPU, peak, digest.

Each variant runs ``actors.actor_words_folded(mentions, sentences)`` of this tree on the
mentions ``bench/framing_memory.py`` caches, and prints the CPU seconds of the call, its peak
resident memory above the memory held before it (``VmHWM`` reset through
``/proc/self/clear_refs``), what it still holds after, and the MD5 of the table (equal digests:
the same saved table). Variants:

- ``default``: as the notebook calls it.
- ``release``: ``kernel.release_memory()`` after every merge of the waiting chunks (session 28
  released after every chunk; this asks whether returning freed heap is worth its CPU).
- ``pending16``: chunks wait until they are 1/16 of the sum's rows (default 1/8).
- ``chunk1000``: 1,000 articles per chunk (default :data:`analysis.actors.FOLD_CHUNK`).
- ``encoder_never``: one tokenizer for the whole corpus (never renewed).
- ``encoder16``, ``encoder18``: a fresh tokenizer after 2**16 or 2**18 terms (default 2**17).

Usage::

    nice .venv/bin/python bench/actors.py --prepared /tmp/b10/corpus-10000.jsonl=/tmp/b10/processed \\
        --cache /tmp/actw/cache --variants default release
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("default", "release", "pending16", "chunk1000", "encoder_never", "encoder16", "encoder18")


def child(variant: str, corpus: str, processed: str, cache: str) -> dict:
    """Run one variant in this process; return seconds, MB and the digest."""
    import gc

    import pandas as pd

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from framing_memory import _status, digest

    from analysis import actors
    from analysis import corpus as C
    from analysis.actors import fold

    articles, sentences = C.open_corpus(corpus, processed_dir=processed)
    mentions = pd.read_pickle(cache)
    chunk = 1000 if variant == "chunk1000" else actors.FOLD_CHUNK
    if variant == "pending16":
        fold._PENDING = 16
    if variant == "encoder_never":
        fold._ENCODER_TERMS = 1 << 40
    if variant in ("encoder16", "encoder18"):
        fold._ENCODER_TERMS = 1 << int(variant[-2:])
    if variant == "release":
        from analysis.kernel import release_memory

        merged = fold._merged

        def released(total, pending):
            out = merged(total, pending)
            release_memory()
            return out

        fold._merged = released
    gc.collect()
    before = _status("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    t = time.process_time()
    out = actors.actor_words_folded(mentions, sentences, chunk_articles=chunk)
    seconds = time.process_time() - t
    peak = _status("VmHWM") - before
    gc.collect()
    return {"seconds": round(seconds, 1), "peak_mb": round(peak), "after_mb": round(_status("VmRSS") - before),
            "rows": len(out), "md5": digest(out)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prepared", nargs="+", default=[], metavar="CORPUS=DIR")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each variant (alternating)")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "framing_memory")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from framing_memory import mentions_cache

    args.cache.mkdir(parents=True, exist_ok=True)
    for pair in args.prepared:
        corpus, processed = pair.split("=", 1)
        cache = mentions_cache(corpus, processed, args.cache)
        for _ in range(args.repeat):
            for variant in args.variants:
                res = subprocess.run([sys.executable, __file__, "--child", variant, corpus, processed, str(cache)],
                                     capture_output=True, text=True,
                                     env={"NEWSFRAMES_PROGRESS": "0", "PATH": "/usr/bin:/bin"})
                if res.returncode:
                    print(res.stderr[-2000:], file=sys.stderr)
                    continue
                got = json.loads(res.stdout.strip().splitlines()[-1])
                print(json.dumps({"corpus": Path(processed).name, "variant": variant, **got}), flush=True)


if __name__ == "__main__":
    main()
