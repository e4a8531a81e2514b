"""Benchmark term counting and keyness against scikit-learn's CountVectorizer.

Usage::

    python bench/terms.py              # quick: 5 MB
    python bench/terms.py --mb 50      # the size issue 4 requires
    python bench/terms.py --mb 60 --real /work/shared/corpus/abp-2013.jsonl   # real news text (issue 15)
    python bench/terms.py --steps --sizes 1000 4142 --against b9012b4   # each 10_terms step, exponent, old code
    python bench/terms.py --notebook bundled /work/shared/corpus/abp-2013.jsonl --against 5f31a9f  # 10_terms' calls
    python bench/terms.py --collocations bundled CORPUS:PREPARED --repeats 1   # collocation cell, two paths
    python bench/terms.py --kernel CORPUS:PREPARED --save   # 10_terms' cells in one process: CPU, peak per cell
    python bench/terms.py --tfidf bundled CORPUS:PREPARED ... --against 77d3a1a   # the tf_idf cell, old vs new

``--notebook`` runs the library calls of ``notebooks/10_terms.ipynb`` as the notebook makes
them (defaults, per-article steps through ``partition.per_article``) in fresh processes, this
tree and the package at ``--against`` interleaved (``--repeats`` pairs), and prints CPU
seconds per step, old/new ratios, peak RSS, and whether every saved table is byte-identical.

``--collocations`` runs the collocation cell both ways in fresh processes (the string pair
counts of ``per_article(collocation_counts)`` scored by ``collocations``, and
``collocation_table``'s integer counts folded chunk by chunk), after a process that only opens
the corpus: peak memory (VmHWM) over that baseline, CPU seconds, tables compared byte for byte.

``--kernel`` runs the code cells of ``notebooks/10_terms.ipynb`` in one fresh process as its
kernel would (``bench/memory.py``'s child, with freed memory released after each cell), and with
``--save`` an ``out_dir`` in a temporary folder, so the tables are written as in a report (the
memory bench saves nothing). Per cell: CPU seconds, resident memory after it and the cell's own
peak (``VmHWM`` reset before each cell through ``/proc/self/clear_refs``), and the largest
tables held at the end. ``--against REV`` runs the same cells with the package at REV as well,
alternately, and compares every saved table byte for byte.

``--tfidf`` counts each corpus as the notebook does (``term_counts`` on ``article_counts``), then
runs the notebook's ``tf_idf(counts, top=8)`` with this tree's function and with the one at
``--against`` alternately in one process (``--repeats`` each), prints CPU seconds and whether the
tables are byte-identical, and the growth exponent of each over the corpora's article counts.

``--steps`` times the library calls of ``notebooks/10_terms.ipynb`` (default parameters) at
each size of the real year ``shared/corpus/abp-2013.jsonl``, with a baseline in the same run
(``nltk.sent_tokenize`` over the same articles) and, with ``--against REV``, the package at
REV on the same inputs, every table compared byte for byte (``bench/sentiment.py``'s
:func:`step_bench`).

What is measured
----------------
* Counting: each contender turns the same texts into a document-term matrix of counts
  (``analysis.terms.count_matrix`` with stopwords off, vs ``CountVectorizer().fit_transform``),
  unigrams and then 1-3-grams. Throughput = MB of UTF-8 text / seconds of that call.
* Peak memory: every contender runs in its own fresh subprocess that loads the texts from a
  parquet file, runs once, and reports ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (the
  process's peak resident set, which includes the interpreter and the texts). A "load only"
  subprocess gives the baseline; we print both the peak and the peak above that baseline.
* For reference, NLTK's ``RegexpTokenizer`` (whose regexes NLTK 3.10 runs under the
  ``nltk.redos`` timeout wrapper) tokenising and counting unigrams with a ``Counter``.
* Keyness: ``analysis.terms.keyness_arrays`` for 10 outlets x 100,000 terms (each vs rest plus
  one pair, every term tested), plus Benjamini-Hochberg over all p-values, in this process; and
  112 outlets of lognormal sizes x 200,000 Zipf terms as sparse counts, each vs rest, testing
  every term (``min_expected=0``, O(outlets x terms)) against ``min_expected=1`` (O(non-zero
  cells + expected terms)), in the same run.

Floors (issue 4): unigram throughput >= CountVectorizer's; 1-3-grams >= half of it; keyness in
seconds. Issue 15: peak memory <= CountVectorizer's (``count_matrix`` encodes and counts in
batches of :data:`analysis.terms.BATCH_TOKENS` tokens, so only one batch's per-token arrays are
alive). ``--real`` repeats the articles of a real table (``text`` column) up to ``--mb``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _worker(name: str, data: str) -> None:
    texts = pd.read_parquet(data)["text"].tolist()
    t0 = time.perf_counter()
    if name == "load":
        n_terms = 0
    elif name.startswith("ours"):
        from analysis.terms import count_matrix

        rng = (1, 1) if name.endswith("1") else (1, 3)
        n_terms = count_matrix(texts, ngram_range=rng, stopwords=None).matrix.shape[1]
    elif name.startswith("cv"):
        from sklearn.feature_extraction.text import CountVectorizer

        rng = (1, 1) if name.endswith("1") else (1, 3)
        n_terms = CountVectorizer(ngram_range=rng).fit_transform(texts).shape[1]
    elif name == "nltk-regexp-1":
        from collections import Counter

        from nltk.tokenize import RegexpTokenizer

        tok = RegexpTokenizer(r"\w+(?:[-'’]\w+)*")
        counts: Counter = Counter()
        for t in texts:
            counts.update(tok.tokenize(t.lower()))
        n_terms = len(counts)
    else:
        raise SystemExit(f"unknown contender {name}")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps({"name": name, "seconds": seconds, "peak_mb": peak_mb, "terms": n_terms}))


def _run(name: str, data: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", name, "--data", str(data)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _corpus(mb: float, path: Path, real: str | None = None) -> float:
    if real:
        table = pd.read_json(real, lines=True) if real.endswith(".jsonl") else pd.read_parquet(real)
        one = table["text"].astype(str)
        per = one.str.encode("utf-8").str.len().sum()
        text = pd.concat([one] * max(1, int(np.ceil(mb * 1e6 / per))), ignore_index=True)
        size = np.cumsum(text.str.encode("utf-8").str.len().to_numpy())
        text = text[: int(np.searchsorted(size, mb * 1e6)) + 1]
        pd.DataFrame({"text": text}).to_parquet(path)
        return float(text.str.encode("utf-8").str.len().sum()) / 1e6
    from bench.synth import synth_articles

    parts, size, seed = [], 0, 0
    while size < mb * 1e6:
        part = synth_articles(1000, seed=seed)
        part["article_id"] = part["article_id"] + f"-{seed}"
        parts.append(part)
        size += sum(len(t.encode("utf-8")) for t in part["text"])
        seed += 1
    pd.concat(parts, ignore_index=True).to_parquet(path)
    return size / 1e6


def _notebook_worker(pkg: str, corpus: str, processed: str, out: str, aliases: str) -> None:
    """Run the library calls of notebooks/10_terms.ipynb (default parameters) with the package in `pkg`.

    Per-article steps go through ``partition.per_article`` as in the notebook (no client:
    chunks of ``LOCAL_CHUNK`` articles). Prints one JSON line: CPU seconds per step and the
    process's peak RSS; writes every table the notebook saves (and the pair counts) to `out`.
    """
    sys.path.insert(0, pkg)
    from analysis import corpus as C
    from analysis import partition
    from analysis import terms as M
    from analysis import tokens as T

    assert M.__file__.startswith(pkg), M.__file__
    seconds: dict[str, float] = {}
    peaks: dict[str, float] = {}  # the process's peak RSS (MB) after each step: which step raised it

    def step(name, call):
        t0 = time.process_time()
        value = call()
        seconds[name] = round(time.process_time() - t0, 2)
        peaks[name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return value

    articles, sentences = C.open_corpus(corpus, processed_dir=processed or None)
    phrases = M.phrases_from_aliases(pd.read_pickle(aliases)) if aliases else None
    options = M.token_options("english", [], False, phrases)
    tokenized = dict(options, keep_numbers=False)
    top_n, inspect = 8, ["Díaz-Canel", "oil", "sovereignty", "regime"]
    kw_count = dict(ngram_range=[1, 2], keep_numbers=False, stopwords=options["stopwords"], stem=False, phrases=phrases)
    kw = dict(kw_count)
    words = step("word_counts", lambda: partition.per_article(T.word_counts, sentences))
    if hasattr(M, "article_counts"):  # the notebook as requests-terms.md asks: the corpus counted once for both
        counted = step("article_counts", lambda: M.article_counts(sentences, **kw_count))
        kw = dict(kw, counted=counted)
    counts = step("term_counts", lambda: M.term_counts(sentences, min_count=5, **kw))
    tfidf = step("tf_idf", lambda: M.tf_idf(counts, top=top_n))
    pairs = [tuple(words.groupby("outlet")["words"].sum().sort_values(ascending=False, kind="stable").index[:2])]
    keyness = step("keyness", lambda: M.keyness(sentences, pairs=pairs, prior_size=100.0, min_count=5, min_docs=2,
                                                **kw))
    kw = counted = None  # the notebook deletes the per-article counts once both tables have them
    summary = step("keyness_summary", lambda: M.keyness_summary(keyness[list(M.KEYNESS_COLUMNS)]))
    leads = keyness[(keyness.comparison == M.REST) & (keyness.log_odds_z > 0)].groupby("outlet").head(3)
    contexts = step("term_contexts", lambda: partition.per_article(
        M.term_contexts, sentences, split={"articles": articles}, terms=list(dict.fromkeys([*leads.term, *inspect])),
        tokenize=tokenized))
    if hasattr(M, "collocation_table"):  # the notebook as requests-terms.md asks: integer counts, folded
        pair_counts = pd.DataFrame()
        colloc = step("collocations", lambda: M.collocation_table(sentences, tokenize=tokenized, top=top_n))
    else:
        pair_counts = step("collocation_counts", lambda: partition.per_article(M.collocation_counts, sentences,
                                                                                tokenize=tokenized))
        colloc = step("collocations", lambda: pd.concat([M.collocations(pair_counts, measure="likelihood",
                                                                        top=top_n),
                                                         M.collocations(pair_counts, measure="pmi", top=top_n)],
                                                        ignore_index=True))
    occurrences = contexts[contexts["query"].isin(inspect)].sort_values(["outlet", "article_id", "position"],
                                                                         kind="stable", ignore_index=True)
    spread = step("dispersion_summary", lambda: M.dispersion_summary(occurrences, articles))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    folder = Path(out)
    for name, table in [("terms_counts", counts[list(M.COUNTS_COLUMNS)]), ("terms_tfidf", tfidf),
                        ("terms_keyness", keyness[list(M.KEYNESS_COLUMNS)]), ("terms_keyness_summary", summary),
                        ("terms_contexts", contexts),
                        *([("terms_pair_counts", pair_counts)] if len(pair_counts) else []),
                        ("terms_collocations", colloc), ("terms_dispersion", spread)]:
        table.to_csv(folder / f"{name}.csv", index=False)
    keyness.to_parquet(folder / "terms_keyness.parquet")
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "peak_after": peaks}))


def _collocation_worker(path: str, corpus: str, processed: str, out: str) -> None:
    """Run one collocation path of the terms notebook in this fresh process; print its memory and CPU.

    `path` is "open" (the corpus opened, nothing else: the baseline), "strings" (the string
    pair counts of ``per_article(collocation_counts)`` scored by ``collocations``, as the
    notebook did) or "codes" (``collocation_table``: integer counts folded chunk by chunk).
    Writes the table to `out` and prints one JSON line: peak (VmHWM) and resident MB after.
    """
    from analysis import corpus as C
    from analysis import entities, partition
    from analysis import terms as M

    def status(field):
        return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0]) / 1024

    articles, sentences = C.open_corpus(corpus, processed_dir=processed or None)
    aliases = entities.aliases_for(corpus, "auto")
    phrases = M.phrases_from_aliases(aliases) if aliases is not None else None
    tokenized = dict(M.token_options("english", [], False, phrases), keep_numbers=False)
    opened = status("VmHWM")
    t0 = time.process_time()
    table = None
    if path == "strings":
        pair_counts = partition.per_article(M.collocation_counts, sentences, tokenize=tokenized)
        table = pd.concat([M.collocations(pair_counts, measure="likelihood", top=8),
                           M.collocations(pair_counts, measure="pmi", top=8)], ignore_index=True)
    elif path == "codes":
        table = M.collocation_table(sentences, tokenize=tokenized, top=8)
    seconds = time.process_time() - t0
    if table is not None:
        table.to_csv(out, index=False)
    print(json.dumps({"path": path, "opened_mb": opened, "peak_mb": status("VmHWM"), "rss_mb": status("VmRSS"),
                      "cpu_s": round(seconds, 2), "articles": int(sentences["article_id"].nunique())}))


def _kernel_worker(pkg: str, corpus: str, processed: str, out: str) -> None:
    """Run the terms notebook's code cells with the package in `pkg`; print one JSON line per cell.

    `out` is the ``out_dir`` given to the notebook ("" saves nothing). Each cell's peak is the
    process's ``VmHWM`` after the cell, reset before it (``/proc/self/clear_refs``).
    """
    sys.path.insert(0, pkg)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    from analysis import terms as M

    assert M.__file__.startswith(pkg), M.__file__
    if not hasattr(M, "top_rows"):  # a revision before top_rows: the pandas selection it replaced (tested equal)
        def top_rows(keyness, n=8, *, comparison=M.REST, over=False, by="outlet"):
            keep = keyness[M.COMPARISON] == comparison
            return keyness[keep & (keyness[M.LOG_ODDS_Z] > 0) if over else keep].groupby(by).head(n)

        M.top_rows = top_rows
    try:
        from analysis.kernel import release_memory
    except ImportError:
        release_memory = lambda: None  # noqa: E731

    def status(field):
        return int(Path("/proc/self/status").read_text().split(field + ":")[1].split()[0]) / 1024

    nb = nbformat.read(ROOT / "notebooks" / "10_terms.ipynb", as_version=4)
    scope: dict = {}
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
        t0 = time.process_time()
        exec(cell.source, scope)  # noqa: S102 (the project's own notebook)
        if "parameters" in cell.metadata.get("tags", []):
            scope.update(corpus=corpus, processed_dir=processed, out_dir=out)
        plt.close("all")
        cpu = time.process_time() - t0
        peak = status("VmHWM")
        release_memory()
        first = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ""
        print(json.dumps({"cell": i, "cpu_s": round(cpu, 2), "peak_mb": round(peak), "rss_mb": round(status("VmRSS")),
                          "source": first}), flush=True)
    tables = sorted(((name, value.memory_usage(deep=True).sum() / 2**20) for name, value in scope.items()
                     if isinstance(value, pd.DataFrame)), key=lambda x: -x[1])[:4]
    print(json.dumps({"tables": ", ".join(f"{n} {mb:.0f} MB" for n, mb in tables)}), flush=True)


def kernel_bench(corpora: list[str], save: bool, rev: str | None) -> bool:
    """The terms notebook's cells per corpus: CPU and peak per cell, this tree (and `rev`, alternately).

    Returns True when every table saved by both revisions is byte-identical (or `rev` is None).
    """
    from bench.revision import package_at

    same = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pkgs = {"new": str(ROOT), **({"old": str(package_at(rev, tmp / "old"))} if rev else {})}
        for name in ("bundled_corpus", "notebooks"):  # links git archive leaves out: the shipped alias file
            link = tmp / "old" / "analysis" / name
            if rev and not link.exists():  # absent, or a relative link into the archive's missing data/
                link.unlink(missing_ok=True)
                link.symlink_to((ROOT / "analysis" / name).resolve())
        for k, spec in enumerate(corpora):
            corpus, _, processed = spec.partition(":")
            corpus = corpus if corpus not in ("", "bundled") else str(ROOT / "data" / "raw")
            runs = {}
            for tag in (list(pkgs) if k % 2 == 0 else list(pkgs)[::-1]):
                out = tmp / f"{tag}-{k}"
                env = {**os.environ, "NEWSFRAMES_PROGRESS": "0"}
                cmd = ["nice", sys.executable, __file__, "--kernel-worker", pkgs[tag], "--data", corpus,
                       "--processed", processed, "--out", str(out) if save else ""]
                done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT, env=env)
                runs[tag] = [json.loads(ln) for ln in done.stdout.splitlines() if ln.startswith("{")]
            print(f"{spec or 'bundled'}: per cell CPU s, peak MB during the cell, resident MB after"
                  + (" (new | old)" if rev else ""))
            for row in (r for r in runs["new"] if "cell" in r):
                line = f"  {row['cell']:2d} {row['cpu_s']:7.1f} s {row['peak_mb']:6d} {row['rss_mb']:6d}"
                if rev:
                    o = next(r for r in runs["old"] if r.get("cell") == row["cell"])
                    line += f"  | {o['cpu_s']:7.1f} s {o['peak_mb']:6d} {o['rss_mb']:6d}"
                print(line + "  " + row["source"])
            for tag, rows in runs.items():
                cells = [r for r in rows if "cell" in r]
                print(f"  {tag}: CPU {sum(r['cpu_s'] for r in cells):.1f} s, kernel peak "
                      f"{max(r['peak_mb'] for r in cells)} MB; held at the end: {rows[-1]['tables']}")
            if rev and save:
                new_t, old_t = tmp / f"new-{k}" / "tables", tmp / f"old-{k}" / "tables"
                names = sorted({f.name for f in new_t.iterdir()} | {f.name for f in old_t.iterdir()})
                differs = [n for n in names if not (new_t / n).exists() or not (old_t / n).exists()
                           or (new_t / n).read_bytes() != (old_t / n).read_bytes()]
                same &= not differs
                print(f"  {len(names)} saved tables: " + ("byte-identical" if not differs else
                                                           "DIFFER: " + ", ".join(differs)), flush=True)
            for tag in pkgs:
                shutil.rmtree(tmp / f"{tag}-{k}", ignore_errors=True)
    return same


def _tfidf_worker(old_file: str, corpus: str, processed: str, repeats: int) -> None:
    """Count `corpus` as the terms notebook does, then time tf_idf old (`old_file`) and new alternately.

    Prints one JSON line: articles, rows of the counts table, CPU seconds of each call, and
    whether every old and new table was byte-identical (``to_csv``).
    """
    import importlib.util

    from analysis import corpus as C
    from analysis import entities
    from analysis import terms as M

    spec = importlib.util.spec_from_file_location("old_counting", old_file)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)  # the old module; the modules it imports are this tree's
    articles, sentences = C.open_corpus(corpus, processed_dir=processed or None)
    aliases = entities.aliases_for(corpus, "auto")
    options = M.token_options("english", [], False, M.phrases_from_aliases(aliases) if aliases is not None else None)
    kw = dict(ngram_range=[1, 2], keep_numbers=False, stopwords=options["stopwords"], stem=False,
              phrases=options["phrases"])
    counted = M.article_counts(sentences, **kw)
    counts = M.term_counts(sentences, min_count=5, counted=counted, **kw)
    del counted, sentences
    seconds: dict[str, list] = {"old": [], "new": []}
    tables: dict[str, set] = {"old": set(), "new": set()}
    for r in range(repeats):
        for tag in ("old", "new") if r % 2 == 0 else ("new", "old"):
            fn = old.tf_idf if tag == "old" else M.tf_idf
            t0 = time.process_time()
            table = fn(counts, top=8)
            seconds[tag].append(round(time.process_time() - t0, 3))
            tables[tag].add(table.to_csv(index=False))
    same = len(tables["old"]) == 1 and tables["old"] == tables["new"]
    print(json.dumps({"articles": len(articles), "rows": len(counts), "old": seconds["old"], "new": seconds["new"],
                      "identical": same}))


def tfidf_bench(rev: str, corpora: list[str], repeats: int) -> bool:
    """The notebook's tf_idf call, this tree against `rev`, per corpus in a fresh process; exponents.

    Returns True when every table is byte-identical.
    """
    from bench.revision import package_at

    same, rows = True, []
    with tempfile.TemporaryDirectory() as tmp:
        old_file = package_at(rev, Path(tmp) / "old") / "analysis" / "terms" / "counting.py"
        for spec in corpora:
            corpus, _, processed = spec.partition(":")
            corpus = corpus if corpus not in ("", "bundled") else str(ROOT / "data" / "raw")
            cmd = ["nice", sys.executable, __file__, "--tfidf-worker", str(old_file), "--data", corpus,
                   "--processed", processed, "--repeats", str(repeats)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
            res = json.loads(done.stdout.strip().splitlines()[-1])
            same &= res["identical"]
            rows.append(res)
            print(f"{spec or 'bundled'}: {res['articles']:,} articles, {res['rows']:,} rows; tf_idf CPU s "
                  f"old {res['old']}, new {res['new']}; tables "
                  f"{'byte-identical' if res['identical'] else 'DIFFER'}", flush=True)
    rows = [r for r in rows if r["articles"] >= 1000]  # the exponent of issue 15: 1,000 articles and more
    if len({r["articles"] for r in rows}) > 1:
        n = np.log([r["articles"] for r in rows])
        for tag in ("old", "new"):
            k = np.polyfit(n, np.log([max(min(r[tag]), 1e-4) for r in rows]), 1)[0]
            print(f"growth exponent of tf_idf CPU over articles (corpora of 1,000 or more), {tag}: {k:.2f}")
        k = np.polyfit(n, np.log([r["rows"] for r in rows]), 1)[0]
        print(f"growth exponent of the counts table's rows over articles: {k:.2f}")
    return same


def collocations_bench(corpora: list[str], repeats: int) -> bool:
    """The collocation cell's two paths in fresh processes, interleaved: peak memory, CPU, tables equal.

    Memory does not depend on the machine's load; CPU seconds do (read the ratio of one run).
    Returns True when the two tables are byte-identical on every corpus and repeat.
    """
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for k, spec in enumerate(corpora):
            corpus, _, processed = spec.partition(":")
            corpus = corpus if corpus not in ("", "bundled") else str(ROOT / "data" / "raw")
            for r in range(repeats):
                res = {}
                for path in ("open", *(("strings", "codes") if r % 2 == 0 else ("codes", "strings"))):
                    cmd = ["nice", sys.executable, __file__, "--collocation-worker", path, "--data", corpus,
                           "--processed", processed, "--out", str(Path(tmp) / f"{path}-{k}-{r}.csv")]
                    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
                    res[path] = json.loads(done.stdout.strip().splitlines()[-1])
                equal = ((Path(tmp) / f"strings-{k}-{r}.csv").read_bytes()
                         == (Path(tmp) / f"codes-{k}-{r}.csv").read_bytes())
                same &= equal
                base = res["open"]["peak_mb"]
                print(f"{spec or 'bundled'} ({res['open']['articles']:,} articles), run {r + 1}: corpus opened "
                      f"{base:.0f} MB; tables {'byte-identical' if equal else 'DIFFER'}")
                for path in ("strings", "codes"):
                    x = res[path]
                    print(f"  {path:<8} peak {x['peak_mb']:6.0f} MB (+{x['peak_mb'] - base:5.0f} over opened), "
                          f"rss after {x['rss_mb']:6.0f} MB, CPU {x['cpu_s']:6.2f} s")
                s_, c_ = res["strings"], res["codes"]
                print(f"  strings/codes: added peak x{(s_['peak_mb'] - base) / max(c_['peak_mb'] - base, 1):.2f}, "
                      f"CPU x{s_['cpu_s'] / max(c_['cpu_s'], 1e-9):.2f}", flush=True)
    return same


def notebook_against(rev: str, corpora: list[str], repeats: int) -> bool:
    """Time the terms notebook's steps, this tree against `rev`, interleaved; compare every table byte for byte.

    Each corpus is ``TABLE_OR_FOLDER[:PREPARED_DIR]``; "" (or "bundled") is ``data/raw`` with its
    shipped alias file (the same phrases for both packages). Returns True when all tables are equal.
    """
    from bench.revision import package_at

    same = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_pkg = package_at(rev, tmp / "old")
        for k, spec in enumerate(corpora):
            corpus, _, processed = spec.partition(":")
            aliases = ""
            if corpus in ("", "bundled"):
                from analysis import entities

                corpus = str(ROOT / "data" / "raw")
                aliases = str(tmp / "aliases.pkl")
                entities.aliases_for(corpus, "auto").to_pickle(aliases)
            for r in range(repeats):
                res = {}
                for tag in ("new", "old") if r % 2 == 0 else ("old", "new"):
                    out = tmp / f"{tag}-{k}-{r}"
                    out.mkdir(parents=True, exist_ok=True)
                    pkg = str(ROOT if tag == "new" else old_pkg)
                    cmd = ["nice", sys.executable, __file__, "--notebook-worker", pkg, "--data", corpus,
                           "--processed", processed, "--out", str(out), "--aliases", aliases]
                    done = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
                    res[tag] = json.loads(done.stdout.strip().splitlines()[-1])
                new_out, old_out = tmp / f"new-{k}-{r}", tmp / f"old-{k}-{r}"
                differs = [f.name for f in sorted(new_out.iterdir())  # pair counts: only the old path has them
                           if (old_out / f.name).exists() and f.read_bytes() != (old_out / f.name).read_bytes()]
                same &= not differs
                print(f"{spec or 'bundled'}, pair {r + 1}: step, CPU s new, old, old/new")
                for name, t in res["new"]["seconds"].items():
                    o = res["old"]["seconds"].get(name, 0.0)  # article_counts: a step of the new cells only
                    print(f"  {name:<22}{t:8.2f}{o:8.2f}  x{o / max(t, 1e-9):.2f}")
                total = sum(res["new"]["seconds"].values()), sum(res["old"]["seconds"].values())
                print(f"  {'all':<22}{total[0]:8.2f}{total[1]:8.2f}  x{total[1] / max(total[0], 1e-9):.2f}")
                print(f"  peak RSS MB new {res['new']['peak_mb']:.0f}, old {res['old']['peak_mb']:.0f}; tables "
                      + ("byte-identical" if not differs else "DIFFER: " + ", ".join(differs)), flush=True)
                for tag in ("new", "old"):
                    print(f"  {tag} peak after each step (MB): "
                          + ", ".join(f"{k} {v}" for k, v in res[tag].get("peak_after", {}).items()))
    return same


def _keyness_bench(n_outlets: int = 10, n_terms: int = 100_000) -> tuple[float, int]:
    from analysis import stats
    from analysis.terms import keyness_arrays

    rng = np.random.default_rng(0)
    rate = 50_000 / np.arange(1, n_terms + 1) ** 1.1  # Zipf-like term frequencies
    counts = rng.poisson(rate[None, :] * rng.uniform(0.5, 1.5, size=(n_outlets, 1)))
    docs = np.minimum(counts, rng.integers(1, 200, size=counts.shape))
    words = counts.sum(axis=1) * 2
    t0 = time.perf_counter()
    res = keyness_arrays(counts, docs, words, pairs=[(0, 1)], min_count=1, min_docs=1)
    p = np.concatenate([cols["p_value"] for _, _, cols in res])
    stats.adjust_pvalues(p)
    return time.perf_counter() - t0, len(p)


def _keyness_groups_bench(n_groups: int = 112, n_terms: int = 200_000) -> list[tuple[str, float, int]]:
    """Each of `n_groups` sparse groups vs the rest: every term (min_expected=0) against min_expected=1."""
    import scipy.sparse as sp

    from analysis.terms import keyness_arrays

    rng = np.random.default_rng(1)
    rate = 20_000 / np.arange(1, n_terms + 1) ** 1.1  # Zipf-like corpus frequencies
    size = rng.lognormal(0, 1, size=n_groups)  # outlets of very different sizes
    counts = sp.csr_matrix(rng.poisson(np.outer(size / size.sum(), rate * n_groups / 10)))
    docs = counts.minimum(1)
    words = np.asarray(counts.sum(axis=1)).ravel() * 2
    out = []
    for floor in (0.0, 1.0):
        t0 = time.perf_counter()
        res = keyness_arrays(counts, docs, words, min_count=5, min_docs=2, min_expected=floor)
        out.append((f"min_expected={floor:g}", time.perf_counter() - t0, sum(len(c["term_index"]) for *_, c in res)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in MB of UTF-8 text")
    ap.add_argument("--no-ngrams", action="store_true", help="skip the 1-3-gram runs")
    ap.add_argument("--real", help="a .jsonl/.parquet table with a text column to repeat instead of synth")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--steps", action="store_true", help="time each 10_terms step at --sizes (issue 15)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4142])
    ap.add_argument("--against", help="git revision whose package runs the same steps")
    ap.add_argument("--notebook", nargs="+", metavar="CORPUS[:PREPARED]",
                    help="time 10_terms' steps on these corpora ('bundled', a table or folder, ':' then its "
                         "prepared folder), this tree against --against, interleaved, tables compared")
    ap.add_argument("--repeats", type=int, default=2, help="interleaved pairs per corpus (with --notebook)")
    ap.add_argument("--collocations", nargs="+", metavar="CORPUS[:PREPARED]",
                    help="the collocation cell: string pair counts against integer codes, memory, CPU, tables")
    ap.add_argument("--collocation-worker", help=argparse.SUPPRESS)
    ap.add_argument("--tfidf", nargs="+", metavar="CORPUS[:PREPARED]",
                    help="the tf_idf cell on these corpora, this tree against --against, tables compared")
    ap.add_argument("--tfidf-worker", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", nargs="+", metavar="CORPUS[:PREPARED]",
                    help="the notebook's cells in one process per corpus: CPU and peak memory per cell")
    ap.add_argument("--save", action="store_true", help="with --kernel: save the tables (an out_dir)")
    ap.add_argument("--kernel-worker", help=argparse.SUPPRESS)
    ap.add_argument("--notebook-worker", help=argparse.SUPPRESS)
    ap.add_argument("--processed", default="", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--aliases", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(args.worker, args.data)
        return
    if args.notebook_worker:
        _notebook_worker(args.notebook_worker, args.data, args.processed, args.out, args.aliases)
        return
    if args.kernel_worker:
        _kernel_worker(args.kernel_worker, args.data, args.processed, args.out or "")
        return
    if args.kernel:
        if not kernel_bench(args.kernel, args.save, args.against):
            raise SystemExit("FAILED: a saved table differs from the old code's")
        return
    if args.tfidf_worker:
        _tfidf_worker(args.tfidf_worker, args.data, args.processed, args.repeats)
        return
    if args.tfidf:
        if not args.against:
            raise SystemExit("--tfidf needs --against REV (the commit to compare with)")
        if not tfidf_bench(args.against, args.tfidf, args.repeats):
            raise SystemExit("FAILED: a tf_idf table differs from the old code's")
        return
    if args.collocation_worker:
        _collocation_worker(args.collocation_worker, args.data, args.processed, args.out)
        return
    if args.collocations:
        if not collocations_bench(args.collocations, args.repeats):
            raise SystemExit("FAILED: the integer path's table differs from the string path's")
        return
    if args.notebook:
        if not args.against:
            raise SystemExit("--notebook needs --against REV (the commit to compare with)")
        if not notebook_against(args.against, args.notebook, args.repeats):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    if args.steps:
        sys.path.insert(0, str(ROOT / "bench"))
        from sentiment import step_bench

        if not step_bench(["terms"], args.sizes, against=args.against):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "corpus.parquet"
        t0 = time.perf_counter()
        mb = _corpus(args.mb, data, args.real)
        source = f"text from {args.real}" if args.real else "generated news text (bench/synth.py)"
        print(f"corpus: {mb:.1f} MB of {source}, "
              f"{time.perf_counter() - t0:.0f} s to generate")
        base = _run("load", data)
        print(f"baseline (python + pandas + texts loaded): peak {base['peak_mb']:.0f} MB")
        names = ["cv-1", "ours-1", "nltk-regexp-1"] + ([] if args.no_ngrams else ["cv-13", "ours-13"])
        res = {n: _run(n, data) for n in names}
        print(f"{'contender':<15}{'MB/s':>8}{'seconds':>9}{'peak MB':>9}{'above base':>11}{'terms':>11}")
        for n, r in res.items():
            print(f"{n:<15}{mb / r['seconds']:>8.1f}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}"
                  f"{r['peak_mb'] - base['peak_mb']:>11.0f}{r['terms']:>11}")
        for order in ["1"] + ([] if args.no_ngrams else ["13"]):
            ours, cv = res[f"ours-{order}"], res[f"cv-{order}"]
            floor = 1.0 if order == "1" else 0.5
            speed = cv["seconds"] / ours["seconds"]
            memory = ours["peak_mb"] / cv["peak_mb"]
            print(f"ratio {'unigrams' if order == '1' else '1-3-grams'}: throughput {speed:.2f}x "
                  f"CountVectorizer (floor {floor}x) {'OK' if speed >= floor else 'BELOW'}; "
                  f"peak memory {memory:.2f}x (ceiling 1x) {'OK' if memory <= 1 else 'ABOVE'}")
    seconds, tests = _keyness_bench()
    print(f"keyness: 10 outlets x 100,000 terms, {tests:,} tests (each vs rest + 1 pair) "
          f"with BH: {seconds:.2f} s")
    runs = _keyness_groups_bench()
    for name, sec, rows in runs:
        print(f"keyness, 112 outlets x 200,000 terms (sparse), each vs rest, {name}: {rows:,} rows, {sec:.2f} s")
    print(f"ratio: min_expected=1 (the default above 1,000,000 rows) takes {runs[1][1] / runs[0][1]:.2f}x the "
          f"time and {runs[1][2] / runs[0][2]:.2f}x the rows of testing every term")


if __name__ == "__main__":
    main()
