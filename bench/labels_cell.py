"""The framing notebook's label-discovery cell as the notebook runs it, timed part by part (issue 15).

``align_sentences``, ``save_substitutions`` (the table written block by block), ``candidate_labels``
and ``label_discovery_summary`` (with ``screened``), on the sentences of a prepared folder read by
``open_corpus`` as the notebook reads them; the four label tables are saved under ``OUT/tables`` and,
with ``--reference``, compared byte for byte with a report's ``tables`` folder. Prints one JSON line:
CPU seconds per part, and the cell's peak resident memory above its start (the peak is reset, via
``/proc/self/clear_refs``, once the corpus is loaded). One process per run: interleave the trees.
``bench/labels_speed.py`` times ``substitutions`` instead (the table held, no screened counts).

    python bench/labels_cell.py --corpus /tmp/b34/corpus-40000.jsonl --processed /tmp/b34/p40000 \\
        --out /tmp/cell40000 --reference /tmp/b34/r40000/tables
    PYTHONPATH=/tmp/base python bench/labels_cell.py ...      # another tree's package (its analysis first)
"""

from __future__ import annotations

import argparse
import filecmp
import gc
import json
import time
from pathlib import Path

TABLES = ("label_substitutions", "label_candidates", "label_pairs", "label_dropped")


def _rss_mb() -> float:
    """Resident memory of this process now, in MB (/proc/self/statm)."""
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    """The process's peak resident memory since the last reset, in MB (VmHWM)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1e3 for line in f if line.startswith("VmHWM"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="the corpus the prepared folder was made from")
    ap.add_argument("--processed", required=True, help="prepared folder (newsframes prepare)")
    ap.add_argument("--out", required=True, type=Path, help="report folder the tables are saved in (tables/)")
    ap.add_argument("--reference", type=Path, help="a tables folder to compare the four label tables with")
    args = ap.parse_args()
    import analysis
    from analysis import corpus as C
    from analysis import labels

    articles, sentences = C.open_corpus(args.corpus, processed_dir=args.processed)
    del articles
    warm = sentences.head(2000)  # lazy imports loaded before the baseline
    labels.label_discovery_summary(labels.substitutions(labels.align_sentences(warm), warm), sentences=warm)
    gc.collect()
    before = _rss_mb()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # VmHWM from here: the cell's own peak
    out = str(args.out)
    secs = {}

    def part(name, f):
        t = time.process_time()
        r = f()
        secs[name] = round(time.process_time() - t, 2)
        return r

    aligned = part("align_sentences", lambda: labels.align_sentences(sentences))
    subs, screened = part("save_substitutions", lambda a=aligned: labels.save_substitutions(a, sentences, out))
    del aligned
    cand = part("candidate_labels", lambda: labels.candidate_labels(subs, sentences=sentences))
    pairs, dropped = part("label_discovery_summary",
                          lambda: labels.label_discovery_summary(subs, sentences=sentences, screened=screened))
    C.save_table(cand, "label_candidates", out)
    C.save_table(pairs, "label_pairs", out)
    C.save_table(dropped, "label_dropped", out)
    res = {"package": str(Path(analysis.__file__).parent), "seconds": secs, "total": round(sum(secs.values()), 2),
           "peak_over_start_mb": round(_peak_mb() - before)}
    if args.reference:
        files = sorted(p.name for p in args.reference.iterdir() if p.name.split(".")[0] in TABLES)
        res["identical"] = {f: (args.out / "tables" / f).exists()
                            and filecmp.cmp(args.reference / f, args.out / "tables" / f, shallow=False) for f in files}
    print(json.dumps(res))


if __name__ == "__main__":
    main()
