"""Working memory of shared_passages' three parts, old code against new, and the passages' md5.

Usage::

    python bench/reuse_passages_memory.py --ref 14f2ce8 --processed /tmp/b10/processed

In a fresh process per version (REF's ``analysis/`` by ``git archive``, and the working tree):
shingles by ``per_article(shingle_table)``, then ``shared_passages`` (30-day window, the
report's call) with ``_index``, ``candidate_pairs`` and ``_runs`` wrapped so that each prints
its CPU seconds and its peak resident memory above its start (``VmHWM``, reset through
``/proc/self/clear_refs`` when the part starts); since session 31 the new code's parts are
``_index``, ``shared`` (``_Shared``: the sort of the hashes shared by the two others),
``candidate_pairs`` (``_Shared.pairs``) and ``_runs`` (``_Shared.runs``). Ends with the passages' row count and the
md5 of their CSV text and dtypes, which must be the same for both (exit status 1 if not).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import gc, hashlib, json, sys, time
from pathlib import Path
from analysis import corpus as C, partition, reuse as R
import analysis.reuse.passages as P

def mb(field):
    return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0]) / 1024

arts, _ = C.open_corpus(str(C.BUNDLED_CORPUS), processed_dir=sys.argv[1])
sh = partition.per_article(R.shingle_table, arts, n=5)
stats = {}
# the parts: before session 31 three functions; since, _Shared's sort and its two methods (the same work)
parts = ([("_index", P, "_index"), ("shared", P._Shared, "__init__"), ("candidate_pairs", P._Shared, "pairs"),
          ("_runs", P._Shared, "runs")] if hasattr(P, "_Shared") else
         [("_index", P, "_index"), ("candidate_pairs", P, "candidate_pairs"), ("_runs", P, "_runs")])
for name, owner, attr in parts:
    def wrapped(*args, _f=getattr(owner, attr), _name=name, **kwargs):
        gc.collect()
        before = mb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")
        t = time.process_time()
        out = _f(*args, **kwargs)
        stats[_name] = {"seconds": time.process_time() - t, "peak": mb("VmHWM") - before}
        return out
    setattr(owner, attr, wrapped)
p = R.shared_passages(arts, n=5, max_df=50, min_shared=2, shingles=sh, window_days=30)
text = p.to_csv(index=False).encode() + str(p.dtypes.to_dict()).encode()
print(json.dumps({"stats": stats, "digest": f"{len(p)} {hashlib.md5(text).hexdigest()}"}))
"""


def run(package: Path, processed: str) -> dict:
    from revision import worker_json  # (bench/ is on sys.path: the script's folder)

    return worker_json(package, WORKER, processed, env={"TQDM_DISABLE": "1"})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", required=True, help="old revision (git archive of analysis/)")
    ap.add_argument("--processed", required=True, help="folder written by `newsframes prepare`")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from revision import package_at

    with tempfile.TemporaryDirectory() as tmp:
        runs = {"old": run(package_at(args.ref, Path(tmp) / "ref"), args.processed), "new": run(ROOT, args.processed)}
    print(f"{'part':16s} {'version':7s} {'CPU s':>6s} {'peak +MB':>8s}")
    for part in dict.fromkeys([*runs["old"]["stats"], *runs["new"]["stats"]]):
        for name, r in runs.items():
            if part in r["stats"]:  # (a part one version does not have is left out)
                print(f"{part:16s} {name:7s} {r['stats'][part]['seconds']:6.1f} {r['stats'][part]['peak']:8.0f}")
    same = runs["old"]["digest"] == runs["new"]["digest"]
    print(f"passages {'identical' if same else 'DIFFERENT'}: old {runs['old']['digest']}, new {runs['new']['digest']}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
