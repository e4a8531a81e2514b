"""Where the label-discovery steps reach their memory peaks: resident memory sampled with the running line.

A thread reads the process's resident memory (``/proc/self/statm``) every `--every` seconds and
notes the main thread's innermost frames inside ``analysis`` at that moment. Printed per step: its
peak above the memory before it, and the highest resident memory seen at each line of the package
(the lines where the peak builds up). Sampling misses spikes shorter than the interval; the
kernel's own peak counter (VmHWM, reset per step) is printed beside for that.

    python bench/labels_peaks.py /tmp/labels/p10000
    flock /tmp/coord/big.lock python bench/labels_peaks.py /tmp/b31k/p40000 --steps align
    flock /tmp/coord/big.lock python bench/labels_peaks.py /tmp/b32f/p40000 --tree /tmp/labels33/tree1 --save /tmp/x
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 1e6


def _hwm_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(ln.split()[1]) for ln in f if ln.startswith("VmHWM")) / 1e3


class Sampler:
    """Sample resident memory and the main thread's lines in the package (the innermost `depth`)."""

    def __init__(self, every: float, depth: int = 3):
        self.every, self.depth = every, depth
        self.main = threading.main_thread().ident
        self.by_line: dict[str, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.wait(self.every):
            rss = _rss_mb()
            frame = sys._current_frames().get(self.main)
            lines = []
            while frame is not None and len(lines) < self.depth:
                code = frame.f_code
                if "/analysis/" in code.co_filename:
                    lines.append(f"{Path(code.co_filename).stem}.{code.co_name}:{frame.f_lineno}")
                frame = frame.f_back
            key = " < ".join(lines) or "(outside analysis)"
            self.by_line[key] = max(self.by_line.get(key, 0.0), rss)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def trim() -> float:
    from analysis.kernel import release_memory

    gc.collect()
    release_memory()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    return _rss_mb()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("processed", help="prepared folder (sentences.parquet)")
    ap.add_argument("--steps", default="align,substitutions,candidates,summary",
                    help="comma-separated steps, in the cell's order (each needs the ones before)")
    ap.add_argument("--every", type=float, default=0.02, help="seconds between samples")
    ap.add_argument("--top", type=int, default=12, help="lines printed per step")
    ap.add_argument("--tree", default=str(ROOT), help="the checkout whose package is measured")
    ap.add_argument("--save", default="", help="folder the substitution table is saved in, as the report does "
                    "(default: not saved)")
    args = ap.parse_args()
    sys.path.insert(0, args.tree)
    import pandas as pd

    from analysis import labels

    sentences = pd.read_parquet(Path(args.processed) / "sentences.parquet")
    warm = sentences.head(2000)
    kept, screened = labels.save_substitutions(labels.align_sentences(warm), warm, "")
    labels.label_discovery_summary(kept, sentences=warm, screened=screened)
    del kept, screened
    base = trim()
    out: dict = {}
    steps = {"align": lambda: labels.align_sentences(sentences),
             "substitutions": lambda: labels.save_substitutions(out.pop("align"), sentences, args.save),
             "candidates": lambda: labels.candidate_labels(out["substitutions"][0], sentences=sentences),
             "summary": lambda: labels.label_discovery_summary(out["substitutions"][0], sentences=sentences,
                                                               screened=out["substitutions"][1])}
    for name in args.steps.split(","):
        start = trim()
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        t = time.process_time()
        with Sampler(args.every) as sampler:
            out[name] = steps[name]()
        cpu = time.process_time() - t
        print(f"{name}: start +{start - base:.0f} MB, peak +{_hwm_mb() - base:.0f} MB (VmHWM), "
              f"held +{trim() - base:.0f} MB, cpu {cpu:.1f} s", flush=True)
        for key, rss in sorted(sampler.by_line.items(), key=lambda kv: -kv[1])[:args.top]:
            print(f"  +{rss - base:6.0f}  {key}")


if __name__ == "__main__":
    main()
