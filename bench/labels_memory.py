"""The label-discovery cell step by step: CPU seconds and memory of each step, old code vs new (issue 15).

For each step of the framing notebook's label cell (``align_sentences``, ``substitutions``,
``candidate_labels``, ``label_discovery_summary``) this reports, in a fresh process per code
version: CPU seconds; the resident memory above the process's start (after a warm-up) when the
step starts, its peak during the step (the kernel's peak counter reset before each step), and
what stays once freed heap is trimmed; then what stays after the tables are deleted. The tables
are compared by MD5 of their CSV bytes and dtypes (equal digests: byte-identical saved tables).
The old code is ``--base``'s package (``bench/revision.package_at``); both read the same prepared folder.
Each run mirrors the notebook's cell for its package (the substitution table saved block by block by
``labels.save_substitutions`` when the package has it), saves included (step "save"); ``--against``
compares the saved files with a report's ``tables`` folder (e.g. c84a671's report of the same corpus).

    python bench/labels_memory.py --processed /tmp/b10/processed --base 3e236f4
    python bench/labels_memory.py --processed /tmp/finb/p4142 --base 3e236f4 --repeat 2
    python bench/labels_memory.py --processed /tmp/labels/p4142 --base c84a671 --save /tmp/labels/saved
    python bench/labels_memory.py --one . /tmp/b31k/p40000 /tmp/labels/s40k /tmp/b31k/r40000/tables

Session 32 at 40,000 generated articles (083215c, under the lock): align +1,035 MB, substitutions with
the Parquet file written +1,870 (+1,352 when nothing is written: bench/labels_peaks.py), candidates
+1,004, summary +800, left after the cell +189; every saved label table equal to c84a671's report's.
Session 33 (d805996's package, /tmp/b32f/p40000, under the lock, load ~4): align +519, substitutions with the
file +1,294 (start +197), candidates +638, summary +769, left +491; every saved label table equal again.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(tree: str, processed: str, save: str = "", against: str = "") -> dict:
    """Run the cell with the package in `tree` on `processed`/sentences.parquet; return per-step figures.

    The cell as the framing notebook runs it with that package: with ``save_substitutions`` the
    substitution table is saved block by block and the summary reads its kept rows and screened
    counts, else the whole table is made, read and saved. The tables are saved under `save` (a
    temporary folder when ""); `against`: a ``tables`` folder whose files the saved ones must equal.
    """
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
    from analysis import corpus as C

    own = "" if save else tempfile.mkdtemp(prefix="labels_memory_")  # removed at the end
    folder = Path(save or own) / Path(tree).name
    blocks = hasattr(labels, "save_substitutions")  # the cell saves the substitutions block by block
    if blocks:
        labels.save_substitutions(labels.align_sentences(warm), warm, "")
    base = trim()
    out: dict = {}
    digests = {}

    def substitutions():
        aligned = out.pop("align_sentences")  # the cell frees it after the substitutions (5c90ff6)
        if blocks:
            return labels.save_substitutions(aligned, sentences, folder)
        return labels.substitutions(aligned, sentences)

    def summary():
        if blocks:
            kept, screened = out["substitutions"]
            return labels.label_discovery_summary(kept, sentences=sentences, screened=screened)
        return labels.label_discovery_summary(out["substitutions"], sentences=sentences)

    def saved():  # the cell's saves, in its order
        C.save_table(out["candidate_labels"], "label_candidates", folder)
        if not blocks:
            C.save_table(out["substitutions"], "label_substitutions", folder)
        C.save_table(out["label_discovery_summary"][0], "label_pairs", folder)
        C.save_table(out["label_discovery_summary"][1], "label_dropped", folder)

    steps = {"align_sentences": lambda: labels.align_sentences(sentences),
             "substitutions": substitutions,
             "candidate_labels": lambda: labels.candidate_labels(
                 out["substitutions"][0] if blocks else out["substitutions"], sentences=sentences),
             "label_discovery_summary": summary,
             "save": saved}
    figures = {}
    rows = {}
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
        if name == "align_sentences":  # digested now: the next step frees it
            digests[name], rows[name] = digest(out[name]), len(out[name])
    out.pop("save")
    out["label_pairs"], out["label_dropped"] = out.pop("label_discovery_summary")
    if blocks:
        kept, screened = out.pop("substitutions")
        rows["substitutions"] = len(kept) + int(screened["substitutions"].sum())
        del kept, screened
    else:
        rows["substitutions"] = len(out["substitutions"])
        digests["substitutions"] = digest(out.pop("substitutions"))
    digests.update({k: digest(v) for k, v in out.items()})
    rows.update({k: len(v) for k, v in out.items()})
    for path in sorted((folder / "tables").iterdir()):  # the bytes the report saves (C.save_table)
        digests[f"saved {path.name}"] = hashlib.md5(path.read_bytes()).hexdigest()[:16]
    if against:
        for path in sorted((folder / "tables").iterdir()):
            digests[f"as {against}/{path.name}"] = path.read_bytes() == (Path(against) / path.name).read_bytes()
    out.clear()
    if own:
        import shutil

        shutil.rmtree(own)
    return {"steps": figures, "digests": digests, "rows": rows, "left_after_del_mb": round(trim() - base)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processed", help="prepared folder (sentences.parquet)")
    ap.add_argument("--base", default="HEAD", help="git revision of the old code")
    ap.add_argument("--repeat", type=int, default=1, help="interleaved rounds (base, new)")
    ap.add_argument("--save", default="", help="also save each table as the report does (C.save_table) under this "
                    "folder and compare the saved files' bytes")
    ap.add_argument("--against", default="", help="a report's tables folder the saved files must equal")
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)  # tree folder [save [against]]: run here
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
                                      f"{args.save}/{name}" if args.save else "", args.against],
                                     capture_output=True, text=True, check=True)
                got = json.loads(res.stdout.strip().splitlines()[-1])
                runs.append((name, got))
                print(f"round {r} {name}: left after del +{got['left_after_del_mb']} MB; rows {got['rows']}")
                for step, f in got["steps"].items():
                    print(f"  {step:24s} cpu {f['cpu_s']:6.1f} s  start +{f['start_mb']:5d}  "
                          f"peak +{f['peak_mb']:5d}  held +{f['held_mb']:5d} MB", flush=True)
    # the old cell digests its whole substitution table too; the new one never holds it: its saved file is compared
    first = runs[0][1]["digests"]
    shared = set.intersection(*(set(got["digests"]) for _, got in runs))
    same = all({k: got["digests"][k] for k in shared} == {k: first[k] for k in shared} for _, got in runs)
    same = same and all(k in shared for _, got in runs for k in got["digests"] if k.startswith("saved "))
    print("tables byte-identical (every run):", same, {k: first[k] for k in sorted(shared)})


if __name__ == "__main__":
    main()
