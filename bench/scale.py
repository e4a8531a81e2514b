"""Scale benchmark (issue 15): prepare and every report notebook at 1k, 4k and 40k articles.

Sizes up to 4,142 are real: the first N articles of ``shared/corpus/abp-2013.jsonl`` (one year,
69 outlets, many stories). Larger sizes are generated (``bench/synth.fresh_articles``) from that
year's own sentences dealt without replacement; once they are used up, later copies have every
non-stopword renamed to a pseudo-word, and one article in ten copies a few sentences of a recent
one (wire copy), so reuse grows linearly with the corpus as in real news. (An earlier generator
drew sentences with replacement, which gives every sentence ~n/4,000 near-copies: the reuse and
label sections then grow with the square of the corpus whatever the code does.)

For each size it runs ``newsframes prepare`` and then ``newsframes report`` in fresh processes,
and prints wall time per step (prepare; each notebook's cells, from papermill's per-cell
timings), the peak memory of the whole process tree (sampled, summed over processes) and the
report's size on disk; then the fitted growth exponent of each step (least squares of log time
on log articles). Baseline in the same run: ``nltk.sent_tokenize`` over the same texts (the
floor any splitting pipeline pays), so ratios survive a busy machine.

    python bench/scale.py                          # 1000 real articles (make bench)
    python bench/scale.py --sizes 1000 4142 40000  # the issue's three sizes (long)
    python bench/scale.py --workers 0 1 2          # the Dask path (report --workers N) beside the
                                                   # single-process path (0), same corpus, same run
    python bench/scale.py --sizes 4142 --jobs 2    # report --jobs 2: fewer kernels at once

Besides the summed peak (``report_peak_mb``; ``peak_parts_mb``: what each process held at that
moment, ``peak_at_s`` seconds into the report) it prints ``largest_process_mb``, the largest single process's own peak
(what ``report --jobs 1`` needs at least), and ``process_peaks_mb``, every process's own peak of
50 MB or more, largest first (the kernels, the report process itself); under each report, each
notebook's kernel peak and the cell that reached it (the report keeps the kernel's memory after
every cell in the executed notebooks); ``bench/memory.py`` maps a kernel cell by cell.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
YEAR = ROOT.parent / "shared" / "corpus" / "abp-2013.jsonl"
FLOORS = {"exponent": 1.2, "report_1k_s": 120, "report_40k_s": 1200, "peak_40k_mb": 4096}


def corpus_of(n: int, folder: Path, year_path: Path = YEAR) -> Path:
    """Write an n-article corpus (real up to the year's size, generated beyond) and return it."""
    year = pd.read_json(year_path, lines=True, dtype=False)
    path = folder / f"corpus-{n}.jsonl"
    if n <= len(year):
        year.head(n).to_json(path, orient="records", lines=True, force_ascii=False)
        return path
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import fresh_articles

    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    base = split_sentences(load_corpus(year_path))["sentence_text"].tolist()
    outlets = tuple(sorted(year["outlet"].unique()))
    arts = fresh_articles(n, base=base, outlets=outlets)
    arts.rename(columns={"article_id": "id"}).to_json(path, orient="records", lines=True, force_ascii=False)
    return path


def _tree_rss(pid: int, each: dict | None = None, now: dict | None = None) -> int:
    """Return the resident memory of `pid` and its descendants (each one's peak into `each`, its memory into `now`)."""
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            rss = p.memory_info().rss
        except psutil.Error:
            continue
        total += rss
        if now is not None:
            now[p.pid] = rss
        if each is not None:
            each[p.pid] = max(each.get(p.pid, 0), rss)
    return total


def run(cmd: list[str], timeout: float, each: dict | None = None,
        at_peak: dict | None = None) -> tuple[float, float, int]:
    """Run `cmd`; return (seconds, peak MB of its process tree summed, exit code).

    `each`, if given, receives every process's own peak (bytes, by pid): the largest is what
    ``report --jobs 1`` would need at most. `at_peak`, if given, receives the moment of the
    summed peak: ``seconds`` after the start and ``parts``, each process's memory then (bytes,
    largest first) — which processes the peak is made of.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            now: dict = {}
            total = _tree_rss(proc.pid, each, now)
            if total > peak[0]:
                peak[0] = total
                if at_peak is not None:
                    at_peak.update(seconds=time.perf_counter() - t0, parts=sorted(now.values(), reverse=True))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return time.perf_counter() - t0, peak[0] / 2**20, -1
    sampler.join()
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
    return time.perf_counter() - t0, peak[0] / 2**20, proc.returncode


def cell_seconds(out: Path) -> dict[str, float]:
    """Return papermill's duration of every code cell, keyed ``notebook:cell index first line``."""
    times = {}
    for nb in sorted(out.glob("notebooks/*.ipynb")) or sorted(out.glob(".versions/*/notebooks/*.ipynb")):
        cells = [c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
        for i, c in enumerate(cells):
            first = "".join(c["source"]).strip().split("\n")[0][:60]
            times[f"{nb.stem}:{i:02d} {first}"] = c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
    return times


def kernel_peaks(out: Path) -> dict[str, str]:
    """Return each notebook's kernel peak (MB) and the cell that reached it, from the executed notebooks.

    The report keeps the kernel's resident memory and high-water mark after every cell in the
    cell's metadata (``analysis.report.running.MEMORY_KEY``); the peak's cell is the first whose
    high-water mark equals the notebook's last, its "+N" the rise of the mark in that cell.
    """
    from analysis.report.running import MEMORY_KEY

    peaks = {}
    for nb in sorted(out.glob("notebooks/*.ipynb")) or sorted(out.glob(".versions/*/notebooks/*.ipynb")):
        cells = [c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
        marks = [(i, c["metadata"][MEMORY_KEY]["peak_mb"], "".join(c["source"]).strip().split("\n")[0][:40])
                 for i, c in enumerate(cells) if MEMORY_KEY in c.get("metadata", {})]
        if not marks:
            continue
        top = marks[-1][1]
        at = next(k for k, m in enumerate(marks) if m[1] == top)
        rise = top - (marks[at - 1][1] if at else 0)
        peaks[nb.stem] = f"{top} MB at cell {marks[at][0]:02d} (+{rise}) {marks[at][2]}"
    return peaks


def notebook_seconds(cells: dict[str, float], slowest: int = 3) -> dict[str, float]:
    """Sum the cell durations of each notebook (:func:`cell_seconds`); print its slowest cells."""
    times: dict[str, float] = {}
    for key, t in cells.items():
        times[key.split(":")[0]] = times.get(key.split(":")[0], 0.0) + t
    for name in times:
        mine = sorted(((t, k) for k, t in cells.items() if k.startswith(name + ":")), reverse=True)[:slowest]
        for t, key in mine:
            print(f"    {name}: {t:7.1f} s  {key.split(' ', 1)[1]}", flush=True)
    return times


def cell_exponents(per_size: dict[int, dict[str, float]], min_s: float = 5.0) -> pd.DataFrame:
    """Growth exponent of every cell that takes at least `min_s` seconds at the largest size.

    One row per cell: its seconds at each size and the least-squares exponent. A cell that
    waits for another notebook (entity proposals are computed once, under a lock, for three
    notebooks) counts the wait as its own time.
    """
    sizes = sorted(per_size)
    if len(sizes) < 2:
        return pd.DataFrame()
    top = per_size[sizes[-1]]
    rows = [{"cell": key, **{f"{n}": per_size[n].get(key, float("nan")) for n in sizes},
             "exponent": exponent(sizes, [per_size[n].get(key, float("nan")) for n in sizes])}
            for key, t in top.items() if t >= min_s]
    if not rows:
        return pd.DataFrame()
    return pd.DataFrame(rows).sort_values(f"{sizes[-1]}", ascending=False, ignore_index=True)


def baseline_seconds(corpus: Path) -> float:
    code = ("import sys, time, pandas as pd, nltk; from analysis.resources import ensure_nltk_data; "
            "ensure_nltk_data(); "
            "t = pd.read_json(sys.argv[1], lines=True, dtype=False)['text']; s = time.perf_counter(); "
            "[nltk.sent_tokenize(x) for x in t]; print(time.perf_counter() - s)")
    out = subprocess.run([sys.executable, "-c", code, str(corpus)], cwd=ROOT, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    return float(lines[-1]) if lines else float("nan")


def du_mb(folder: Path) -> float:
    target = (folder / ".current").resolve() if (folder / ".current").exists() else folder
    return sum(p.stat().st_size for p in target.rglob("*") if p.is_file()) / 2**20


def exponent(sizes, seconds) -> float:
    ok = [(n, t) for n, t in zip(sizes, seconds) if t and t > 0 and np.isfinite(t)]
    if len(ok) < 2:
        return float("nan")
    x, y = np.log([n for n, _ in ok]), np.log([t for _, t in ok])
    return float(np.polyfit(x, y, 1)[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--year", type=Path, default=YEAR, help="the real year of articles (abp-2013.jsonl)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per command")
    ap.add_argument("--params", default=None, help="YAML parameters for the report (e.g. top_outlets)")
    ap.add_argument("--keep", type=Path, default=None, help="keep corpora and reports in this folder")
    ap.add_argument("--workers", type=int, nargs="+", default=[0],
                    help="report --workers N for each N (0: the single-process path)")
    ap.add_argument("--jobs", type=int, default=None, help="report --jobs N (notebooks run at once)")
    args = ap.parse_args()
    exe = [sys.executable, "-m", "analysis"]
    rows, per_cell = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        tmp = args.keep or Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            corpus = corpus_of(n, tmp, args.year)
            base = baseline_seconds(corpus)
            t_prep, m_prep, rc = run([*exe, "prepare", str(corpus), "--out", str(tmp / f"p{n}")], args.timeout)
            for workers in args.workers:
                out = tmp / (f"r{n}" if not workers else f"r{n}-w{workers}")
                extra = ["--params", args.params] if args.params else []
                extra += ["--workers", str(workers)] if workers else []
                extra += ["--jobs", str(args.jobs)] if args.jobs else []
                each: dict = {}
                at_peak: dict = {}
                t_rep, m_rep, rc_rep = run([*exe, "report", str(corpus), "--out", str(out), *extra], args.timeout,
                                           each, at_peak)
                cells = cell_seconds(out)
                if workers == min(args.workers):
                    per_cell[n] = cells
                row = {"articles": n, "workers": workers, "baseline_s": base, "prepare_s": t_prep,
                       "prepare_peak_mb": m_prep, "report_s": t_rep, "report_peak_mb": m_rep,
                       "largest_process_mb": max(each.values(), default=0) / 2**20,
                       "process_peaks_mb": " ".join(f"{b / 2**20:.0f}" for b in sorted(each.values(), reverse=True)
                                                    if b >= 50 * 2**20),
                       "peak_at_s": at_peak.get("seconds", 0.0),
                       "peak_parts_mb": " ".join(f"{b / 2**20:.0f}" for b in at_peak.get("parts", [])
                                                 if b >= 50 * 2**20),
                       "report_mb": du_mb(out) if out.exists() else 0, "report_ok": rc_rep == 0,
                       **{f"{k}_s": v for k, v in notebook_seconds(cells).items()}}
                rows.append(row)
                for name, said in kernel_peaks(out).items():
                    print(f"    {name} kernel peak: {said}", flush=True)
                print(json.dumps({k: round(v, 1) if isinstance(v, float) else v for k, v in row.items()}),
                      flush=True)
    everything = pd.DataFrame(rows)
    print()
    print(everything.drop(columns=["process_peaks_mb", "peak_parts_mb"]).round(1).to_string(index=False))
    if everything["workers"].nunique() > 1:
        single = everything[everything["workers"] == 0].set_index("articles")["report_s"]
        print("\nDask path: report time of the single-process path / with N workers (same corpus, same run):")
        for _, r in everything[everything["workers"] > 0].iterrows():
            print(f"  {r['articles']:>6,} articles, {r['workers']} workers: {r['report_s']:.0f} s, "
                  f"speed-up {single.get(r['articles'], float('nan')) / r['report_s']:.2f}x")
    table = everything[everything["workers"] == everything["workers"].min()]
    steps = [c for c in table.columns if c.endswith("_s")]
    print("\ngrowth exponents (time ~ articles^k, least squares on log-log):")
    for step in steps:
        k = exponent(table["articles"], table[step])
        flag = "" if not np.isfinite(k) or k <= FLOORS["exponent"] else "  ABOVE FLOOR 1.2"
        print(f"  {step:24s} {k:5.2f}{flag}")
    by_cell = cell_exponents(per_cell)
    if len(by_cell):
        print("\ngrowth exponents of the cells taking 5 s or more at the largest size (seconds per size):")
        by_cell["flag"] = np.where(by_cell["exponent"] > FLOORS["exponent"], "ABOVE FLOOR 1.2", "")
        print(by_cell.round(2).to_string(index=False))
    ratios = (table["report_s"] / table["baseline_s"]).round(1).tolist()
    print(f"\nreport / baseline (nltk.sent_tokenize of the same texts): {ratios}")
    for _, r in table.iterrows():
        if r["articles"] == 1000:
            print(f"floor: report on 1,000 articles {r['report_s']:.0f} s (floor {FLOORS['report_1k_s']} s), "
                  f"{r['report_mb']:.0f} MB on disk (floor 50 MB)")
        if r["articles"] >= 40000:
            print(f"floor: report on {r['articles']:,} articles {r['report_s']:.0f} s "
                  f"(floor {FLOORS['report_40k_s']} s), peak {r['report_peak_mb']:.0f} MB "
                  f"(floor {FLOORS['peak_40k_mb']} MB)")


if __name__ == "__main__":
    main()
