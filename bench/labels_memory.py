"""The label-discovery cell step by step: CPU seconds and memory of each step, old code vs new (issue 15).

For each step of the framing notebook's label cell (``align_sentences``, ``substitutions``,
``candidate_labels``, ``label_discovery_summary``) this reports, in a fresh process per code
version: CPU seconds; the resident memory above the process's start (after a warm-up) when the
step starts, its peak during the step (the kernel's peak counter reset before each step), and
what stays once freed heap is trimmed; then what stays after the tables are deleted. The tables
are compared by MD5 of their CSV bytes and dtypes (equal digests: byte-identical saved tables).
The old code is ``--base``'s package (``bench/revision.package_at``); both read the same prepared folder.

    python bench/labels_memory.py --processed /tmp/b10/processed --base 3e236f4
    python bench/labels_memory.py --processed /tmp/finb/p4142 --base 3e236f4 --repeat 2
    python bench/labels_memory.py --processed /tmp/labels/p4142 --base c84a671 --save /tmp/labels/saved
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(tree: str, processed: str, save: str = "") -> dict:
    """Run the cell with the package in `tree` on `processed`/sentences.parquet; return per-step figures."""
    import ctypes
    import gc
    import hashlib
    import time

    sys.path.insert(0, tree)
    import pandas as pd

    from analysis import labels

    def status() -> tuple[float, float]:
        with open("/proc/self/status") as f:
            d = {ln.split(":")[0]: int(ln.split()[1]) for ln in f if ln.startswith(("VmRSS", "VmHWM"))}
        return d["VmRSS"] / 1e3, d["VmHWM"] / 1e3

    def trim() -> float:
        gc.collect()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        return status()[0]

    def digest(t: pd.DataFrame) -> str:
        return hashlib.md5(t.to_csv(index=False).encode() + repr(list(t.dtypes.astype(str))).encode()).hexdigest()[:16]

    sentences = pd.read_parquet(Path(processed) / "sentences.parquet")
    warm = sentences.head(2000)  # lazy imports and small caches loaded before the baseline
    labels.label_discovery_summary(labels.substitutions(labels.align_sentences(warm), warm), sentences=warm)
    base = trim()
    out: dict = {}
    steps = {"align_sentences": lambda: labels.align_sentences(sentences),
             "substitutions": lambda: labels.substitutions(out["align_sentences"], sentences),
             "candidate_labels": lambda: labels.candidate_labels(out["substitutions"], sentences=sentences),
             "label_discovery_summary": lambda: labels.label_discovery_summary(out["substitutions"],
                                                                               sentences=sentences)}
    figures = {}
    for name, step in steps.items():
        start = trim()
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the peak (VmHWM) to the current resident size
        t = time.process_time()
        out[name] = step()
        cpu = time.process_time() - t
        peak = status()[1]
        figures[name] = {"cpu_s": round(cpu, 1), "start_mb": round(start - base), "peak_mb": round(peak - base),
                         "held_mb": round(trim() - base)}
    out["label_pairs"], out["label_dropped"] = out.pop("label_discovery_summary")
    digests = {k: digest(v) for k, v in out.items()}
    if save:  # the bytes the report saves: tables/<name>.csv, or .parquet for a large one (C.save_table)
        from analysis import corpus as C

        for k, v in out.items():
            folder = Path(save) / Path(tree).name
            C.save_table(v, k, folder)
            (saved,) = (folder / "tables").glob(f"{k}.*")
            digests[f"saved {saved.name}"] = hashlib.md5(saved.read_bytes()).hexdigest()[:16]
    rows = {k: len(v) for k, v in out.items()}
    out.clear()
    return {"steps": figures, "digests": digests, "rows": rows, "left_after_del_mb": round(trim() - base)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processed", help="prepared folder (sentences.parquet)")
    ap.add_argument("--base", default="HEAD", help="git revision of the old code")
    ap.add_argument("--repeat", type=int, default=1, help="interleaved rounds (base, new)")
    ap.add_argument("--save", default="", help="also save each table as the report does (C.save_table) under this "
                    "folder and compare the saved files' bytes")
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # tree folder [save]: run in this process
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        if (ROOT.parent / "shared").exists():  # the project's data folder beside the checkout, as for ROOT
            (Path(tmp) / "shared").symlink_to(ROOT.parent / "shared")
        sys.path.insert(0, str(ROOT / "bench"))
        from revision import package_at

        base = package_at(args.base, Path(tmp) / "base")
        runs = []
        for r in range(args.repeat):
            for name, tree in (("base", base), ("new", ROOT)):
                res = subprocess.run([sys.executable, __file__, "--one", str(tree), args.processed,
                                      *([f"{args.save}/{name}"] if args.save else [])],
                                     capture_output=True, text=True, check=True)
                got = json.loads(res.stdout.strip().splitlines()[-1])
                runs.append((name, got))
                print(f"round {r} {name}: left after del +{got['left_after_del_mb']} MB; rows {got['rows']}")
                for step, f in got["steps"].items():
                    print(f"  {step:24s} cpu {f['cpu_s']:6.1f} s  start +{f['start_mb']:5d}  "
                          f"peak +{f['peak_mb']:5d}  held +{f['held_mb']:5d} MB", flush=True)
    same = all(got["digests"] == runs[0][1]["digests"] for _, got in runs)
    print("tables byte-identical (every run):", same, runs[0][1]["digests"])


if __name__ == "__main__":
    main()
