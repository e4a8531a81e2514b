"""Import cost: what each notebook's imports load, and how long they take (fresh process each).

For every report notebook and workshop lesson, runs its own import statements (as the report's
warm-up does) in a new interpreter with ``-X importtime`` and reports the median, over
--repeat runs, of the cumulative import time of the top-level imports and of the process's
CPU time (less sensitive to a loaded machine than wall time), and whether the heavy
packages a notebook may not need were loaded. The baseline in the same run: ``import nltk``
as NLTK does it by itself, against :func:`analysis._nltk.load`.

Usage: python bench/imports.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sklearn", "scipy.stats", "nltk", "matplotlib", "nbconvert", "dask", "statsmodels")
_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)")


def measure(code: str, repeat: int) -> tuple[float, float, set[str]]:
    """Median import seconds (wall, -X importtime), median process CPU seconds, heavy packages loaded."""
    times, cpu, loaded = [], [], set()
    report = f"\nimport sys\nprint(' '.join(h for h in {HEAVY!r} if sys.modules.get(h) is not None))"
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code + report], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        # a top-level import's cumulative time includes everything below it; failed attempts
        # (the modules analysis._nltk marks unavailable) are listed too, at a few microseconds
        times.append(sum(int(cum) for cum, indent, _ in _LINE.findall(done.stderr) if not indent) / 1e6)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        loaded.update(done.stdout.split())
    return statistics.median(times), statistics.median(cpu), loaded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from analysis.report import import_statements

    rows = [("import nltk (NLTK's own __init__)", "import nltk"),
            ("analysis._nltk.load() (scipy.stats, sklearn skipped)", "from analysis._nltk import load; load()"),
            ("import analysis.sentiment, NLTK imported by itself first (before)",
             "import nltk\nimport analysis.sentiment"),
            ("import analysis.sentiment (now)", "import analysis.sentiment")]
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
        (ROOT / "notebooks" / "workshop" / "solutions").glob("*.ipynb"))
    rows += [(f"{nb.name} imports", import_statements(nbformat.read(nb, as_version=4))) for nb in notebooks]
    print(f"median of {args.repeat} fresh processes: import time (wall, -X importtime), CPU time of the "
          f"process (start-up included), heavy packages loaded among {', '.join(HEAVY)}")
    for label, code in rows:
        took, cpu, loaded = measure(code, args.repeat)
        print(f"{label:68s} {took:5.2f} s  cpu {cpu:5.2f} s  loads: {', '.join(sorted(loaded)) or '-'}")


if __name__ == "__main__":
    main()
