"""align_sentences alone, old code against new: CPU per stage, peak memory, the same rows and saved file.

Usage::

    python bench/reuse_align.py --ref 8963795 --processed /tmp/terms/p10000
    python bench/reuse_align.py --ref 8963795 --processed /tmp/b32f/p40000 \\
        --passages /tmp/b31k/r40000/tables/reuse_passages.parquet --reference /tmp/b31k/r40000/tables

Runs ``align_sentences(sentences, passages, threshold=0.5, texts=False)`` as the voices
notebook's alignment cell does, in a fresh process per version (REF's ``analysis/`` by ``git
archive``, then the working tree; ``--repeats`` alternates them), on a folder ``newsframes
prepare`` wrote. The passages are ``shared_passages``' of the corpus (the notebook's
parameters), or with ``--passages`` the article columns of a saved passages table (a report's
``reuse_passages.parquet``: align reads only ``article_a`` and ``article_b``), which skips
that step. Printed per version: CPU seconds of the call and of its stages (the module's
functions that exist in that version, wrapped), the resident memory at its start (after
``analysis.kernel.release_memory``, as a report kernel) and its peak above that (``VmHWM``
reset through ``/proc/self/clear_refs``), the rows; then whether every version gave the same
rows (md5 of the frame's CSV text and dtypes; exit status 1 if not). With ``--reference DIR``
each version also saves the table with its texts as the notebook does
(``corpus.save_table_parts(alignment_parts(...))``) and compares the file's md5 with DIR's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import gc, hashlib, json, sys, tempfile, time
from pathlib import Path

def mb(field):
    return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0]) / 1024

from analysis import corpus as C, reuse as R
from analysis.kernel import release_memory
import analysis.reuse.align as A
processed, passages, reference = sys.argv[1:4]
arts, sents = C.open_corpus(str(C.BUNDLED_CORPUS), processed_dir=processed)
if passages:
    import pyarrow.parquet as pq
    p = pq.read_table(passages, columns=["article_a", "article_b"]).to_pandas().astype("str")
else:
    p = R.shared_passages(arts, n=5, max_df=50, min_shared=2, window_days=30, texts=False)
stages = {}

def wrap(name):
    f = getattr(A, name, None)
    if f is None:
        return
    def g(*a, **k):
        t = time.process_time()
        r = f(*a, **k)
        stages[name] = stages.get(name, 0) + time.process_time() - t
        return r
    setattr(A, name, g)

for name in ("_word_ids", "_Occurrences", "_prefiltered", "_candidates", "_align_pair", "_aligned_rows",
             "_alignment_table"):
    wrap(name)
gc.collect()
release_memory()
before = mb("VmRSS")
Path("/proc/self/clear_refs").write_text("5")
t = time.process_time()
al = R.align_sentences(sents, p, threshold=0.5, texts=False)
out = {"seconds": time.process_time() - t, "before": before, "peak": mb("VmHWM") - before, "rows": len(al),
       "stages": stages,
       "digest": hashlib.md5(al.to_csv(index=False).encode() + str(al.dtypes.to_dict()).encode()).hexdigest()}
if reference:
    with tempfile.TemporaryDirectory() as tmp:
        C.save_table_parts(R.alignment_parts(sents, al), "reuse_alignments", tmp)
        (saved,) = Path(tmp, "tables").iterdir()
        out["file"] = saved.name
        out["file_md5"] = hashlib.md5(saved.read_bytes()).hexdigest()
        ref = Path(reference, saved.name)
        out["reference_md5"] = hashlib.md5(ref.read_bytes()).hexdigest() if ref.exists() else None
print(json.dumps(out))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", required=True, help="old revision (git archive of analysis/)")
    ap.add_argument("--processed", required=True, help="folder written by `newsframes prepare`")
    ap.add_argument("--passages", default="", help="a saved passages table (its article columns are read)")
    ap.add_argument("--reference", default="", help="a report's tables folder: compare the saved alignments file")
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from revision import package_at, worker_json

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        old = package_at(args.ref, Path(tmp) / "ref")
        for _ in range(args.repeats):
            for name, package in (("old", old), ("new", ROOT)):
                r = worker_json(package, WORKER, args.processed, args.passages, args.reference,
                                env={"TQDM_DISABLE": "1"})
                runs.append((name, r))
                stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())
                print(f"{name}: {r['seconds']:.1f} CPU s, before {r['before']:.0f} MB, peak +{r['peak']:.0f} MB, "
                      f"{r['rows']} rows, digest {r['digest']} ({stages})", flush=True)
                if args.reference:
                    same = r["file_md5"] == r["reference_md5"]
                    print(f"  {r['file']} {r['file_md5']} {'identical' if same else 'DIFFERENT'} to {args.reference}")
    digests = {r["digest"] for _, r in runs}
    files = all(r["file_md5"] == r["reference_md5"] for _, r in runs) if args.reference else True
    print("rows", "identical" if len(digests) == 1 else "DIFFERENT")
    return 0 if len(digests) == 1 and files else 1


if __name__ == "__main__":
    sys.exit(main())
