"""Benchmark quotation extraction and linking: time growth on real articles, and the long-paragraph case.

Usage::

    python bench/quotes.py                          # 100, 1,000 and 4,000 articles of abp-2013
    python bench/quotes.py --sizes 100 300 1000     # quicker
    python bench/quotes.py --paragraph 500 2000     # only the one-paragraph case (issue 14)

Times are CPU seconds of the process (``time.process_time``), not wall time: on a shared
machine wall time swings with the load. Each size runs in a fresh subprocess: the first N articles (file order) of
``/work/shared/corpus/abp-2013.jsonl`` (or ``--corpus``), loaded with
:func:`analysis.corpus.load_corpus` and split with :func:`analysis.sentences.split_sentences`.
Timed per size: the sentence split (the baseline: a linear pass over the same text, in the
same run), :func:`analysis.quotes.extract_quotes` with a fixed alias table (the shipped one,
so that the timing is the quotation code's, not the entity proposals'; ``--propose`` times
it with proposals as a report without an alias file does), and
:func:`analysis.quotes.link_quotes`. Printed: seconds, quotations, links, each step's time
divided by the baseline's, and the fitted growth exponent (slope of log time on log
articles) of each step and of the baseline. The floor (issue 15) is an exponent <= 1.2 for
extraction and linking; a ratio to the baseline that stays flat says the same on a busy
machine.

The paragraph case times one paragraph of ``Trump said “no.”`` repeated N times, and the
same quotations with a paragraph break between each, in the same process: the ratio should
stay near 1 (it was 1,500 at N = 2,000 before the fix).

``--compare REF`` times the notebook's path (issue 15) against commit REF in the same run: the
first N articles of ``--corpus`` (each of ``--sizes``) are loaded, split and given their
proposed entities once (the working tree's code, as ``notebooks/40_voices_reuse.ipynb`` does
with no alias file), then each version runs :func:`analysis.partition.per_article` of
``extract_quotes`` and ``link_quotes`` in its own subprocess (``git archive`` of REF),
alternating, ``--repeats`` times. Printed: CPU seconds of each, their ratio (the median over
the repeats), and whether the two versions' tables are identical (``DataFrame.equals``, the
dtypes and the CSV bytes)::

    python bench/quotes.py --compare 53b277f --sizes 1000 4142
    python bench/quotes.py --compare 53b277f --corpus /tmp/b23/k10/corpus-10000.jsonl --sizes 10000 --repeats 1

``--lengths N`` times the attribution of each text of the first N articles of ``--corpus``
(:func:`analysis.quotes.attribute.attribute_article`, with the mentions of the names proposed
from those articles, as the notebook finds them with no alias file) and fits the exponent of
time on the text's length: 1 means linear in article length (issue 15's question whether long
or generated articles cost more per character)::

    python bench/quotes.py --lengths 1000
    python bench/quotes.py --lengths 1000 --tail --corpus /tmp/b23/k10/corpus-10000.jsonl

(``--tail``: the last N articles; a generated corpus renames words only once the real
sentences are used up, after about 4,150 articles.)

``--quote-tables CORPUS PROCESSED OUT`` writes the notebook's tables once, as
``notebooks/40_voices_reuse.ipynb`` makes them (``open_corpus``, ``entity_aliases`` with
``entities_file="auto"`` computed here, ``per_article(extract_quotes)``), as Parquet into OUT
(``articles``, ``sentences``, ``quotes``, ``aliases``; PROCESSED "" loads CORPUS in memory),
and prints the extraction's CPU seconds and peak memory (``VmHWM``, reset before the step).
``--link-tables DIR ... --against REF`` then times :func:`analysis.quotes.link_quotes` on
those quotations, REF's package (``git archive``) and the working tree's alternately in fresh
processes, ``--repeats`` times: CPU seconds, the step's peak and working memory (peak minus
resident before), rows, whether the CSV bytes and dtypes are identical, and the growth exponent
of each version's median over the folders' article counts (issue 15: at most 1.2)::

    python bench/quotes.py --quote-tables /tmp/k/k4142/corpus-4142.jsonl /tmp/k/k4142/p4142 /tmp/q/t4142
    python bench/quotes.py --link-tables /tmp/q/t1000 /tmp/q/t4142 /tmp/q/t10000 --against 77d3a1a

``--speakers [REF]`` scores speaker attribution instead (issue 17): the six labelled sets
(``speakers_dev.tsv`` when ``/work/shared/corpus`` is there, ``speakers_test.tsv``,
``speakers_final.tsv``, ``speakers_holdout.tsv``, ``speakers_fresh.tsv``, ``speakers_blind.tsv``),
with today's scorer
(``tests/test_quotes.score_speakers``), by ``speakers="rules"`` and ``"model"`` where the
package has that option (else its only method, "default"), for the
package of the working tree or, given a git ref, for ``analysis/`` as of that commit (``git
archive`` into a temporary directory, extraction in a subprocess that imports it first)::

    python bench/quotes.py --speakers            # the working tree
    python bench/quotes.py --speakers 708d65b    # the start of issue 17's third pass
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from revision import package_at  # noqa: E402

CORPUS = Path("/work/shared/corpus/abp-2013.jsonl")


def run_size(n: int, corpus: Path, propose: bool) -> dict:
    """Time the steps on the first `n` articles; return one result row."""
    sys.path.insert(0, str(ROOT))
    from analysis import corpus as C
    from analysis import entities as E
    from analysis import quotes as Q
    from analysis.sentences import split_sentences

    arts = C.load_corpus(corpus).iloc[:n].reset_index(drop=True)
    aliases = None if propose else E.load_aliases(E.SHIPPED_ALIASES)
    t0 = time.process_time()
    sents = split_sentences(arts)
    t1 = time.process_time()
    quotes = Q.extract_quotes(arts, sents, aliases=aliases)
    t2 = time.process_time()
    links = Q.link_quotes(quotes, sents)
    t3 = time.process_time()
    return {"articles": len(arts), "sentences": len(sents), "quotes": len(quotes), "links": len(links),
            "unattributed": round(float((quotes["speaker"] == Q.UNATTRIBUTED).mean()), 3),
            "split_s": t1 - t0, "extract_s": t2 - t1, "link_s": t3 - t2}


def run_paragraph(n: int) -> dict:
    """Time one paragraph of `n` quotations against `n` one-quotation paragraphs."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from analysis import quotes as Q

    aliases = pd.DataFrame({"entity": ["Donald Trump"], "type": ["person"], "kind": ["surname"], "alias": ["Trump"]})
    warm = pd.DataFrame({"article_id": ["w"], "outlet": ["X"], "text": ["Trump said “no.”"]})
    Q.extract_quotes(warm, warm.assign(sentence_id="w/0", start=0, sentence_text=warm["text"]), aliases=aliases)
    out = {"quotations": n}
    for name, sep in (("one_paragraph_s", " "), ("paragraphs_s", "\n\n")):
        text = sep.join(["Trump said “no.”"] * n)
        arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
        sents = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "start": [0],
                              "sentence_text": [text]})
        t = time.process_time()
        q = Q.extract_quotes(arts, sents, aliases=aliases, headlines=False)
        out[name] = time.process_time() - t
        assert len(q) == n and (q["speaker"] == "Donald Trump").all()
    out["ratio"] = out["one_paragraph_s"] / out["paragraphs_s"]
    return out


def _dev_articles():
    """Return the articles of ``speakers_dev.tsv`` from the shared corpus (with any version's ``analysis``).

    The same rows as :func:`analysis.train_speakers._dev_articles`, which an old version of the
    package does not have.
    """
    import tempfile

    import pandas as pd

    from analysis.corpus import load_corpus

    corpora = Path("/work/shared/corpus")
    labels = pd.read_csv(ROOT / "tests" / "data" / "speakers_dev.tsv", sep="\t", dtype=str, keep_default_na=False)
    parts = []
    for corpus, ids in labels.groupby("corpus")["article_id"]:
        if corpus.endswith(".jsonl"):  # a 4,142-article table: read only the labelled rows
            with open(corpora / corpus, encoding="utf-8") as f:
                rows = [r for r in map(json.loads, f) if r["id"] in set(ids)]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / corpus
                path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
                arts = load_corpus(path)
        else:
            arts = load_corpus(corpora / corpus)
        arts = arts[arts["article_id"].isin(set(ids))]
        parts.append(arts.assign(article_id=corpus + "/" + arts["article_id"]))
    return pd.concat(parts, ignore_index=True)


def extract_speaker_sets(out: str) -> None:
    """Extract the quotations of the six labelled speaker sets; pickle them to `out`.

    Keys are (set, method): "rules" and "model" where the package has ``speakers=``, else
    "default".
    """
    import inspect
    import pickle

    import pandas as pd

    from analysis import quotes as Q
    from analysis.sentences import split_sentences

    data = ROOT / "tests" / "data"
    sets = {}
    for name in ("test", "final", "holdout", "fresh", "blind"):
        arts = pd.read_json(data / f"speakers_{name}_articles.jsonl", lines=True, dtype=False)
        sets[name] = arts.assign(article_id=arts["corpus"] + "/" + arts["article_id"])[
            ["article_id", "outlet", "headline", "text"]]
    methods = ("rules", "model") if "speakers" in inspect.signature(Q.extract_quotes).parameters else ("default",)
    quotes = {}
    for method in methods:
        kw = {} if method == "default" else {"speakers": method}
        for name, arts in sets.items():
            q = Q.extract_quotes(arts, split_sentences(arts), aliases=None, **kw)
            quotes[name, method] = q[q[Q.LOCATION] == "text"].reset_index(drop=True)  # body labels only
        if Path("/work/shared/corpus").is_dir():
            arts = _dev_articles()
            quotes["dev", method] = Q.extract_quotes(arts, split_sentences(arts), aliases=None, **kw)
    with open(out, "wb") as f:
        pickle.dump(quotes, f)


def score_speaker_sets(ref: str | None) -> None:
    """Print recall and speaker accuracy of the six sets for the working tree or commit `ref`."""
    import pickle
    import tempfile

    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from tests.test_quotes import DEV_LABELS, score_speakers

    with tempfile.TemporaryDirectory() as tmp:
        root = ROOT
        if ref:
            root = package_at(ref, Path(tmp))
        out = Path(tmp) / "quotes.pkl"
        subprocess.run([sys.executable, __file__, "--worker", f"speakers:{out}", "--root", str(root)], check=True)
        with open(out, "rb") as f:
            quotes = pickle.load(f)
    data = ROOT / "tests" / "data"
    labels = {"dev": DEV_LABELS, "test": data / "speakers_test.tsv", "final": data / "speakers_final.tsv",
              "holdout": data / "speakers_holdout.tsv", "fresh": data / "speakers_fresh.tsv",
              "blind": data / "speakers_blind.tsv"}
    for name, method in sorted(quotes, key=lambda k: (k[1], list(labels).index(k[0]))):
        lab = pd.read_csv(labels[name], sep="\t", dtype=str, keep_default_na=False, comment="#")
        recall, accuracy, _, n = score_speakers(lab, quotes[name, method])
        found = round(recall * n)
        print(f"{ref or 'working tree'} {method} {name}: {n} labelled, recall {recall:.3f} ({found}/{n}), "
              f"speaker accuracy {accuracy:.3f} ({round(accuracy * found)}/{found})", flush=True)
    if not any(k[0] == "dev" for k in quotes):
        print("dev: skipped (no /work/shared/corpus)")


def _prepare(n: int, corpus: Path, folder: Path) -> None:
    """Write the first `n` articles of `corpus`, their sentences and proposed entities as Parquet in `folder`."""
    sys.path.insert(0, str(ROOT))
    from analysis import corpus as C
    from analysis import entities as E
    from analysis.sentences import split_sentences

    arts = C.load_corpus(corpus).iloc[:n].reset_index(drop=True)
    sents = split_sentences(arts)
    arts.to_parquet(folder / "articles.parquet")
    sents.to_parquet(folder / "sentences.parquet")
    E.entity_aliases(sents, corpus=corpus, entities_file="").to_parquet(folder / "aliases.parquet")


def run_compare(folder: Path, out: Path) -> dict:
    """Time the notebook's quotation steps on the tables in `folder`; pickle the tables to `out`."""
    import pandas as pd

    from analysis import partition
    from analysis import quotes as Q

    arts, sents, aliases = (pd.read_parquet(folder / f"{name}.parquet")
                            for name in ("articles", "sentences", "aliases"))
    t0 = time.process_time()
    quotes = partition.per_article(Q.extract_quotes, arts, sents, aliases=aliases)
    t1 = time.process_time()
    links = Q.link_quotes(quotes, sents)
    t2 = time.process_time()
    pd.to_pickle((quotes, links), out)
    return {"articles": len(arts), "aliases": len(aliases), "quotes": len(quotes), "links": len(links),
            "extract_s": t1 - t0, "link_s": t2 - t1, "package": str(Path(Q.__file__).parent.parent)}


def compare(ref: str, sizes: list[int], corpus: Path, repeats: int) -> None:
    """Print CPU seconds of `ref` and the working tree on the same inputs, their ratio and table equality."""
    import hashlib
    import tempfile

    import pandas as pd

    def digest(table: pd.DataFrame) -> str:
        return hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()

    with tempfile.TemporaryDirectory() as tmp:
        old = package_at(ref, Path(tmp) / "ref")
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            folder.mkdir()
            _prepare(n, corpus, folder)
            times: dict[str, list[dict]] = {"ref": [], "new": []}
            for _ in range(repeats):
                for name, root in (("ref", old), ("new", ROOT)):
                    cmd = [sys.executable, __file__, "--worker", f"compare:{folder}:{Path(tmp) / name}.pkl",
                           "--root", str(root)]
                    times[name].append(json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                                                 text=True).stdout))
            (q_old, l_old), (q_new, l_new) = (pd.read_pickle(Path(tmp) / f"{name}.pkl") for name in ("ref", "new"))
            same = {kind: a.equals(b) and list(a.dtypes) == list(b.dtypes) and digest(a) == digest(b)
                    for kind, a, b in (("quotes", q_old, q_new), ("links", l_old, l_new))}
            r = times["new"][0]
            assert times["ref"][0]["package"] != r["package"], "both versions imported the same package"
            print(f"{r['articles']:>6} articles ({r['aliases']} proposed aliases), {r['quotes']} quotations, "
                  f"{r['links']} link rows", flush=True)
            for step in ("extract", "link"):
                old_s = [t[step + "_s"] for t in times["ref"]]
                new_s = [t[step + "_s"] for t in times["new"]]
                ratio = float(np.median([b / a for a, b in zip(old_s, new_s)]))
                print(f"  {step}: {ref} {', '.join(f'{x:.1f}' for x in old_s)} s | working tree "
                      f"{', '.join(f'{x:.1f}' for x in new_s)} s | ratio {ratio:.2f} | tables "
                      f"{'identical' if same['quotes' if step == 'extract' else 'links'] else 'DIFFER'}",
                      flush=True)


def _memory() -> tuple:
    """Return functions reading this process's resident memory and its peak (MB), and resetting the peak."""
    status = Path("/proc/self/status")
    read = lambda key: int(status.read_text().split(key + ":")[1].split()[0]) / 1024  # noqa: E731
    return (lambda: read("VmRSS")), (lambda: read("VmHWM")), (lambda: Path("/proc/self/clear_refs").write_text("5"))


def quote_tables(corpus: str, processed: str, out: Path) -> dict:
    """Write the notebook's articles, sentences, aliases and quotations into `out`; return the extraction's cost."""
    sys.path.insert(0, str(ROOT))
    from analysis import corpus as C
    from analysis import entities, partition
    from analysis import quotes as Q

    rss, peak, reset = _memory()
    arts, sents = C.open_corpus(corpus, processed_dir=processed)
    aliases = entities.entity_aliases(sents, corpus=corpus, entities_file="auto", processed_dir="")  # never
    before = rss()  # writes into the prepared folder
    reset()
    start = time.process_time()
    quotes = partition.per_article(Q.extract_quotes, arts, sents, aliases=aliases)
    row = {"articles": len(arts), "quotes": len(quotes), "extract_s": round(time.process_time() - start, 2),
           "before_mb": round(before), "peak_mb": round(peak()), "work_mb": round(peak() - before)}
    out.mkdir(parents=True, exist_ok=True)
    for name, table in (("articles", arts), ("sentences", sents), ("quotes", quotes), ("aliases", aliases)):
        table.to_parquet(out / f"{name}.parquet")
    return row


def run_link(folder: Path) -> dict:
    """Run link_quotes on the tables of `folder` (package first on sys.path); return its cost and table digest."""
    import gc
    import hashlib

    import pandas as pd

    from analysis import quotes as Q

    rss, peak, reset = _memory()
    quotes, sents = (pd.read_parquet(folder / f"{name}.parquet") for name in ("quotes", "sentences"))
    gc.collect()
    before = rss()
    reset()
    start = time.process_time()
    links = Q.link_quotes(quotes, sents)
    seconds = time.process_time() - start
    return {"articles": int(sents["article_id"].nunique()), "quotes": len(quotes), "rows": len(links),
            "seconds": seconds, "before_mb": before, "peak_mb": peak(), "work_mb": peak() - before,
            "digest": hashlib.sha256(links.to_csv(index=False).encode()).hexdigest()
            + hashlib.sha256(str(links.dtypes.to_dict()).encode()).hexdigest(),
            "package": str(Path(Q.__file__).parent.parent)}


def link_tables(folders: list[Path], ref: str, repeats: int) -> int:
    """Print link_quotes' CPU and memory, `ref` against the working tree, per folder; 1 if a table differs."""
    import tempfile

    differ = 0
    medians: dict[str, list[float]] = {"ref": [], "new": []}
    sizes = []
    with tempfile.TemporaryDirectory() as tmp:
        roots = {"ref": package_at(ref, Path(tmp) / "ref"), "new": ROOT}
        for folder in folders:
            runs: dict[str, list[dict]] = {"ref": [], "new": []}
            for _ in range(repeats):
                for name, root in roots.items():
                    cmd = [sys.executable, __file__, "--worker", f"link:{folder}", "--root", str(root)]
                    runs[name].append(json.loads(subprocess.run(cmd, check=True, capture_output=True,
                                                                text=True).stdout.splitlines()[-1]))
            assert runs["ref"][0]["package"] != runs["new"][0]["package"], "both versions imported one package"
            same = len({r["digest"] for rs in runs.values() for r in rs}) == 1
            differ += not same
            r = runs["new"][0]
            sizes.append(r["articles"])
            print(f"{folder}: {r['articles']} articles, {r['quotes']} quotations, {r['rows']} link rows, "
                  f"tables {'identical' if same else 'DIFFER'}", flush=True)
            for name, rs in runs.items():
                medians[name].append(float(np.median([x["seconds"] for x in rs])))
                cpu, top, work = ([f"{x[key]:.{digits}f}" for x in rs] for key, digits in
                                  (("seconds", 2), ("peak_mb", 0), ("work_mb", 0)))
                print(f"  {ref if name == 'ref' else 'working tree':>12}: CPU {', '.join(cpu)} s | peak "
                      f"{', '.join(top)} MB | working {', '.join(work)} MB", flush=True)
    if len(sizes) >= 2:
        for name in ("ref", "new"):
            print(f"growth exponent ({ref if name == 'ref' else 'working tree'}): "
                  f"{exponent(sizes, medians[name]):.2f}")
    return int(differ > 0)


def per_text_lengths(n: int, corpus: Path, tail: bool = False) -> None:
    """Print CPU time per character of attributing each text, by length band, and the length exponent."""
    sys.path.insert(0, str(ROOT))
    from analysis import corpus as C
    from analysis import entities as E
    from analysis.quotes.attribute import attribute_article
    from analysis.quotes.extract import _headline_table, _mentions_by_article
    from analysis.sentences import split_sentences

    arts = C.load_corpus(corpus)
    arts = (arts.iloc[-n:] if tail else arts.iloc[:n]).reset_index(drop=True)
    sents = split_sentences(arts)
    aliases = E.entity_aliases(sents, corpus=corpus, entities_file="")
    mentions = _mentions_by_article(sents, _headline_table(arts.iloc[:0]), aliases)
    lengths, seconds = [], []
    for aid, text in zip(arts["article_id"], arts["text"]):
        t = time.process_time()
        attribute_article(text, mentions.get((aid, "text"), []))
        seconds.append(time.process_time() - t)
        lengths.append(len(text))
    lengths, seconds = np.array(lengths), np.array(seconds)
    timed = seconds > 0  # process_time ticks: a text faster than a tick reads 0
    print(f"{len(lengths)} texts ({'last' if tail else 'first'} articles) of {corpus.name}, "
          f"{lengths.sum():,} characters, {seconds.sum():.1f} s CPU; "
          f"exponent of time on length {exponent(lengths[timed], seconds[timed]):.2f} ({timed.sum()} timed texts)")
    for lo, hi in ((0, 2000), (2000, 5000), (5000, 10000), (10000, None)):
        band = (lengths >= lo) & ((lengths < hi) if hi else True)
        if band.any():
            print(f"  {lo:>6}-{hi or '':<6} characters: {band.sum():>5} texts, "
                  f"{seconds[band].sum() / lengths[band].sum() * 1e6:.2f} us per character")


def exponent(sizes, times) -> float:
    """Return the slope of log(time) on log(size)."""
    return float(np.polyfit(np.log(sizes), np.log(times), 1)[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 4000])
    ap.add_argument("--paragraph", type=int, nargs="*", default=[500, 2000])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--propose", action="store_true", help="propose entities instead of the shipped alias file")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--root", help=argparse.SUPPRESS)  # the directory whose analysis/ a speakers worker imports
    ap.add_argument("--compare", metavar="REF", help="time the notebook's quotation steps against commit REF")
    ap.add_argument("--repeats", type=int, default=2, help="alternating runs of each version (--compare)")
    ap.add_argument("--lengths", type=int, metavar="N", help="time per text against its length, first N articles")
    ap.add_argument("--tail", action="store_true", help="--lengths: the last N articles instead")
    ap.add_argument("--speakers", nargs="?", const="", metavar="REF",
                    help="score speaker attribution on the labelled sets (optionally for git commit REF)")
    ap.add_argument("--quote-tables", nargs=3, metavar=("CORPUS", "PROCESSED", "OUT"),
                    help="write the notebook's tables (and time extraction) into OUT")
    ap.add_argument("--link-tables", type=Path, nargs="+", metavar="DIR", help="time link_quotes on these tables")
    ap.add_argument("--against", metavar="REF", default="HEAD", help="--link-tables: the commit to compare with")
    args = ap.parse_args()
    if args.quote_tables:
        corpus, processed, out = args.quote_tables
        print(json.dumps(quote_tables(corpus, processed, Path(out))))
        return
    if args.link_tables:
        sys.exit(link_tables(args.link_tables, args.against, args.repeats))
    if args.worker and args.worker.startswith("link:"):
        sys.path.insert(0, args.root)  # the package under test
        print(json.dumps(run_link(Path(args.worker.split(":", 1)[1]))))
        return
    if args.speakers is not None:
        score_speaker_sets(args.speakers or None)
        return
    if args.lengths:
        per_text_lengths(args.lengths, args.corpus, args.tail)
        return
    if args.compare:
        compare(args.compare, args.sizes, args.corpus, args.repeats)
        return
    if args.worker and args.worker.startswith("compare:"):
        sys.path.insert(0, args.root)  # the package under test
        _, folder, out = args.worker.split(":", 2)
        print(json.dumps(run_compare(Path(folder), Path(out))))
        return
    if args.worker and args.worker.startswith("speakers:"):
        sys.path[:0] = [args.root, str(ROOT)]  # the package under test first, then tests/ of the working tree
        extract_speaker_sets(args.worker.split(":", 1)[1])
        return
    if args.worker:
        kind, n = args.worker.split(":")
        row = run_size(int(n), args.corpus, args.propose) if kind == "size" else run_paragraph(int(n))
        print(json.dumps(row))
        return
    for n in args.paragraph:
        row = json.loads(subprocess.run([sys.executable, __file__, "--worker", f"paragraph:{n}"], check=True,
                                        capture_output=True, text=True).stdout)
        print(f"paragraph of {n} quotations: {row['one_paragraph_s']:.2f} s; as {n} paragraphs: "
              f"{row['paragraphs_s']:.2f} s; ratio {row['ratio']:.2f}")
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--worker", f"size:{n}", "--corpus", str(args.corpus)]
        cmd += ["--propose"] if args.propose else []
        rows.append(json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout))
        r = rows[-1]
        print(f"{r['articles']:>6} articles {r['quotes']:>7} quotations ({r['unattributed']:.0%} unattributed) "
              f"{r['links']:>6} link rows | split {r['split_s']:7.2f} s | extract {r['extract_s']:7.2f} s "
              f"({r['extract_s'] / r['split_s']:.2f}x split) | link {r['link_s']:7.2f} s "
              f"({r['link_s'] / r['split_s']:.2f}x split)", flush=True)
    if len(rows) >= 2:
        sizes = [r["articles"] for r in rows]
        for step in ("split", "extract", "link"):
            print(f"growth exponent {step}: {exponent(sizes, [r[step + '_s'] for r in rows]):.2f}")
        for step in ("extract", "link"):
            print(f"growth exponent {step} / split: "
                  f"{exponent(sizes, [r[step + '_s'] / r['split_s'] for r in rows]) + 1:.2f} (ratio slope + 1)")


if __name__ == "__main__":
    main()
