"""The sentiment page's set-up, entity-mention and toward cells, step by step: each step's own peak and CPU.

    python bench/mentions_cells.py PREPARED CORPUS OUT [--form old|new] [--where] [--package DIR]

Runs the three heavy cells of ``notebooks/20_sentiment.ipynb`` (set-up with scoring, the
entity cell that finds the mentions, the toward cell) as the notebook writes them, with
``release_memory`` after each cell as the report does. ``--form old`` is the notebook before
session 33 (the whole mentions table kept until the toward cell, every toward column
returned); ``new`` the current one (only the flagged columns kept, ``toward(columns=)``).
The package is the one on ``sys.path`` (``--package DIR`` puts a snapshot first, e.g.
``git archive REV analysis | tar -x -C DIR``: the working tree is shared).

OUT gets a folder ``p`` of links to PREPARED's Parquet files and to its proposed-entities
cache, so the names are read, not proposed, and the mentions are found anew, as the first
report kernel does; the three saved tables (``OUT/tables``) and a copy of the mentions
cache (``OUT/mentions-cache.parquet``) are there to compare byte for byte (``cmp``) with
another run's or a report's.

Per step: CPU seconds, resident memory at its start, its own peak (``VmHWM`` reset before
each step through ``/proc/self/clear_refs``) and the resident memory after it; per cell its
peak over its start. ``--where`` samples the resident memory every 50 ms in a thread and
prints, per step, the six highest with the innermost ``analysis`` frames running then: which
line a step peaks at. Linux only.

Measured (session 33, 40,000 generated articles, proposals read from cache, under
``flock /tmp/coord/big.lock``; package 8963795 and form old against this tree and form new):
see the commit messages of ``analysis/sentiment/aggregate.py`` and ``notebooks/20_sentiment.ipynb``.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import threading
import time
from pathlib import Path

ENTITY_TYPES, MIN_MENTIONS, N_BOOT, SEED, UNIT, WINDOW = ["person", "organization"], 2, 2000, 0, "sentence", 10


def _hwm() -> float:
    return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024


class Steps:
    """Per-step CPU, start, own peak and end; per-cell peak; optional stack sampling."""

    def __init__(self, where: bool):
        import psutil

        self.me = psutil.Process()
        self.where, self.samples, self.kernel_peak = where, {}, 0.0
        self.main = threading.main_thread().ident
        if where:
            threading.Thread(target=self._sample, daemon=True).start()

    def rss(self) -> float:
        return self.me.memory_info().rss / 2**20

    def _frames(self) -> str:
        frame, chain = sys._current_frames().get(self.main), []
        while frame is not None:
            name = frame.f_code.co_filename
            if "/analysis/" in name:
                chain.append(f"{name.split('/analysis/')[1]}:{frame.f_code.co_name}:{frame.f_lineno}")
            frame = frame.f_back
        return " < ".join(chain[:3]) or "-"

    def _sample(self) -> None:
        while True:
            r, w = self.rss(), self._frames()
            if r > self.samples.get(w, 0):
                self.samples[w] = r
            time.sleep(0.05)

    def _reset(self) -> None:
        self.cell_peak = max(self.cell_peak, _hwm())
        Path("/proc/self/clear_refs").write_text("5")

    def begin(self) -> None:
        from analysis.kernel import release_memory

        gc.collect()
        release_memory()
        Path("/proc/self/clear_refs").write_text("5")
        self.t = self.step_t = time.process_time()
        self.s = self.step_s = self.rss()
        self.cell_peak = 0.0

    def mark(self, name: str) -> None:
        p = _hwm()
        print(f"  {name:18s} cpu {time.process_time() - self.step_t:6.1f} start {self.step_s:6.0f} peak {p:6.0f} "
              f"(+{p - self.step_s:5.0f}) rss {self.rss():6.0f}", flush=True)
        for w, r in sorted(self.samples.items(), key=lambda x: -x[1])[:6]:
            print(f"      {r:6.0f} {w}", flush=True)
        self.samples.clear()
        self._reset()
        self.step_t, self.step_s = time.process_time(), self.rss()

    def cell(self, name: str) -> None:
        self._reset()
        self.kernel_peak = max(self.kernel_peak, self.cell_peak)
        print(f"CELL {name:9s} cpu {time.process_time() - self.t:6.1f} start {self.s:6.0f} peak {self.cell_peak:6.0f} "
              f"(+{self.cell_peak - self.s:5.0f}) end {self.rss():6.0f}", flush=True)


def run(prepared: Path, corpus: str, out: Path, form: str, where: bool) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: F401  (the notebook's imports: their memory is the kernel's)

    import analysis
    from analysis import corpus as C
    from analysis import entities as E
    from analysis import partition
    from analysis import sentiment as V

    print("package", analysis.__file__, "form", form, flush=True)
    if out.exists():
        shutil.rmtree(out)
    proc = out / "p"
    (proc / "cache").mkdir(parents=True)
    for name in ("articles.parquet", "sentences.parquet", "manifest.json"):
        if (prepared / name).exists():
            (proc / name).symlink_to((prepared / name).resolve())
    for kept in (prepared / "cache").glob("proposed-entities-*.parquet"):
        (proc / "cache" / kept.name).symlink_to(kept.resolve())
    st = Steps(where)

    st.begin()
    articles, sentences = C.open_corpus(corpus, processed_dir=str(proc), text=False)
    st.mark("open")
    aliases = E.entity_aliases(sentences, corpus=corpus, entities_file="", processed_dir=str(proc))
    st.mark("aliases")
    scores = V.score_sentences(sentences, overrides={})
    st.mark("scores")
    C.save_table(scores, "sentiment_sentences", str(out))
    st.cell("setup")

    st.begin()
    mentions = E.entity_mentions(sentences, aliases=aliases, processed_dir=str(proc))
    st.mark("mentions")
    typed = mentions["type"].isin(ENTITY_TYPES)
    frequent = mentions["entity"][typed].value_counts().loc[lambda n: n >= MIN_MENTIONS].index
    flagged = mentions[list(V.ENTITY_INPUTS)].assign(shown=typed & mentions["entity"].isin(frequent))
    if form == "new":
        del mentions
        mentions = None
    del typed
    st.mark("flagged")
    units = partition.per_article(V.entity_scores, flagged, sentences, only="shown", unit=UNIT, window=WINDOW,
                                  overrides={}, unit_text=False, split={"scores": scores})
    st.mark("entity_scores")
    by_entity = V.entity_sentiment(units, n_boot=N_BOOT, seed=SEED)
    del units
    st.mark("entity_sentiment")
    C.save_table(by_entity, "sentiment_entities", str(out))
    st.cell("entity")

    st.begin()
    from analysis import toward as T

    extra = {"columns": list(T.SUMMARY_INPUTS)} if form == "new" else {}
    people = partition.per_article(V.toward, flagged[[*T.TOWARD_INPUTS, "shown"]], sentences, only="shown", **extra)
    st.mark("toward")
    toward_table = T.toward_by_outlet(people, n_boot=N_BOOT, seed=SEED).merge(
        by_entity[["outlet", "entity", "mean_compound"]], on=["outlet", "entity"], how="left")
    st.mark("by_outlet")
    C.save_table(toward_table, "sentiment_toward", str(out))
    del people, mentions, flagged, sentences
    st.cell("toward")
    for f in (proc / "cache").glob("entity-mentions-*.parquet"):
        shutil.copy(f, out / "mentions-cache.parquet")
    print("KERNEL PEAK", round(st.kernel_peak), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("prepared", type=Path, help="prepared corpus folder (read only: linked, never written)")
    ap.add_argument("corpus", help="the corpus file it was prepared from")
    ap.add_argument("out", type=Path, help="folder for the run's tables and links (emptied first)")
    ap.add_argument("--form", choices=["old", "new"], default="new",
                    help="the notebook's cells before / since session 33")
    ap.add_argument("--where", action="store_true", help="print the lines each step peaks at (stack sampling)")
    ap.add_argument("--package", type=Path, help="folder holding the analysis package to run (put first on sys.path)")
    args = ap.parse_args()
    if args.package:
        sys.path.insert(0, str(args.package))
    run(args.prepared, args.corpus, args.out, args.form, args.where)


if __name__ == "__main__":
    main()
