"""Memory of opening a prepared corpus (``corpus.open_corpus``), old revision against new (issue 15).

Every report kernel opens the prepared corpus before its analyses, so what that holds and its
transient peak are paid by each of the two kernels that run at once. For each revision (``--against
REV``, extracted with ``bench/revision.package_at``, and the working tree) a fresh process imports
what the notebooks import (the baseline of ``bench/memory.py``), opens the corpus and prints its
resident memory after the imports, after ``open_corpus``, after ``analysis.kernel.release_memory``
(what the report's kernels run after every cell), its peak (``VmHWM``), the frames' own size
(``memory_usage(deep=True)``) and a digest of each frame (columns, dtypes, index and every value):
equal digests mean the same tables downstream. The processes alternate old, new, old, new...
(``--repeat``); memory does not depend on the machine's load, seconds do.

    python bench/open_corpus.py --processed /tmp/b31k/p40000 --against c84a671
    python bench/open_corpus.py --processed DIR --against c84a671 --text 0
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from revision import ROOT, package_at, worker_json  # noqa: E402

WORKER = r"""
import hashlib, json, sys, time
from pathlib import Path

def status(key):
    return int(Path("/proc/self/status").read_text().split(key + ":")[1].split()[0]) / 1024

from analysis import actors, entities, frames, labels, quotes, reuse, sentiment, terms  # noqa: F401
from analysis import corpus as C
from analysis.kernel import release_memory
import pandas as pd

processed, text = sys.argv[1], sys.argv[2] == "1"
imports = status("VmRSS")
t0 = time.perf_counter()
articles, sentences = C.open_corpus("", processed_dir=processed, text=text)
seconds = time.perf_counter() - t0
opened = status("VmRSS")
release_memory()
released = status("VmRSS")

def digest(df):
    h = hashlib.sha256(repr((list(df.columns), [str(t) for t in df.dtypes], repr(df.index))).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]

print(json.dumps({"imports_mb": round(imports), "opened_mb": round(opened), "released_mb": round(released),
                  "peak_mb": round(status("VmHWM")), "seconds": round(seconds, 1),
                  "frames_mb": round((articles.memory_usage(deep=True).sum()
                                      + sentences.memory_usage(deep=True).sum()) / 2**20),
                  "articles": digest(articles), "sentences": digest(sentences)}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--processed", required=True, help="a folder written by `newsframes prepare`")
    ap.add_argument("--against", default="c84a671", help="the old revision (default: session 31's start)")
    ap.add_argument("--text", type=int, default=1, help="open_corpus(text=...): 1 (default) or 0")
    ap.add_argument("--repeat", type=int, default=1, help="old/new pairs (default 1)")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = package_at(args.against, Path(tmp) / "old")
        for _ in range(args.repeat):
            for name, package in ((args.against, old), ("working tree", ROOT)):
                row = worker_json(package, WORKER, str(Path(args.processed).resolve()), str(args.text))
                rows.append({"revision": name, **row})
                print(json.dumps(rows[-1]), flush=True)
    same = {(r["articles"], r["sentences"]) for r in rows}
    print("frames identical (columns, dtypes, index, values):", "yes" if len(same) == 1 else "NO")
    return 0 if len(same) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
