"""Peak memory and CPU of the chunked path (``partition.per_article``) by chunk size, on the real year.

Issue 15. Without a Dask client, a per-article step runs in chunks of ``partition.LOCAL_CHUNK``
articles, so its working memory (tokens, joins) is that of one chunk. For each chunk size this runs
the two steps with the largest working memory in the report (``terms.collocation_counts``, and
``actors.actor_word_counts`` on proposed names) in a fresh process, on the first ``--size`` articles
of ``shared/corpus/abp-2013.jsonl``, and prints the CPU seconds, the peak resident memory the step
added, and a digest of its table (the same for every chunk size: chunks change memory, not results).

    python bench/chunks.py                       # 4,142 articles, chunks of 2,000, 1,000 and 500
    python bench/chunks.py --size 1000 --chunks 250 1000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = ROOT.parent / "shared" / "corpus" / "abp-2013.jsonl"


def one(step: str, chunk: int, size: int, year: str) -> dict:
    """Run `step` with `chunk` articles per chunk in this process; return its figures."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from analysis import actors, entities, partition
    from analysis import terms as M
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    articles = load_corpus(year).head(size).reset_index(drop=True)
    sentences = split_sentences(articles)
    if step == "actor_word_counts":
        aliases = entities.entity_aliases(sentences, corpus=year, entities_file="")
        mentions = partition.per_article(actors.actor_mentions, sentences, articles, aliases=aliases)
        args = (mentions, sentences)
        func, options = actors.actor_word_counts, {}
    else:
        args, func, options = (sentences,), M.collocation_counts, {"tokenize": {}}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    t = time.process_time()
    out = partition.per_article(func, *args, chunk_articles=chunk, **options)
    cpu = time.process_time() - t
    added = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3 - before
    digest = hashlib.md5(pd.util.hash_pandas_object(out, index=True).to_numpy().tobytes()).hexdigest()[:12]
    return {"step": step, "chunk": chunk, "cpu_s": round(cpu, 1), "peak_added_mb": round(added), "rows": len(out),
            "digest": digest}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=4142, help="first N articles of the year")
    ap.add_argument("--chunks", type=int, nargs="+", default=[2000, 1000, 500])
    ap.add_argument("--year", default=str(YEAR))
    ap.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # step chunk: run in this process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]), args.size, args.year)))
        return
    import pandas as pd

    rows = []
    for step in ("collocation_counts", "actor_word_counts"):
        for chunk in args.chunks:  # a fresh process each: its peak is this run's own
            res = subprocess.run([sys.executable, __file__, "--one", step, str(chunk), "--size", str(args.size),
                                  "--year", args.year], capture_output=True, text=True, check=True)
            rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
            print(rows[-1], flush=True)
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
