"""Benchmark sentence scoring against NLTK's VADER, and every sentiment step of the report.

    python bench/sentiment.py                      # quick: 20,000 sentences
    python bench/sentiment.py --sentences 200000   # the size issue 5 asks for
    python bench/sentiment.py --compare-vadersentiment   # NLTK vs vaderSentiment, % differing
    python bench/sentiment.py --validity           # r against human ratings (tests/data)
    python bench/sentiment.py --steps --sizes 1000 4142            # issue 15: each step, exponent
    python bench/sentiment.py --steps --sizes 1000 4142 --against b9012b4   # ... and the old code
    python bench/sentiment.py --cpu-against 53b277f --sizes 1000 --repeats 2  # the notebook's steps, CPU s, interleaved
    python bench/sentiment.py --memory PREPARED --against 5f31a9f   # the notebook's steps: peak and kept memory
    python bench/sentiment.py --memory PREPARED --groups scores --against 5f31a9f   # score_sentences alone
    python bench/sentiment.py --memory PREPARED --groups entities --against 77d3a1a   # the entity cell alone
    python bench/sentiment.py --memory PREPARED --groups scores_whole --against c84a671   # whole (new), chunked (old)
    python bench/sentiment.py --cells CORPUS PREPARED --against c2893e0   # each cell's own peak, tables compared
    python bench/sentiment.py --cells CORPUS PREPARED --against c84a671 --old-notebook   # ... old run: REV's notebook

Sentences come from bench/synth.py (real-looking news built from the bundled corpus), split
by our own splitter. The baseline is NLTK's ``SentimentIntensityAnalyzer.polarity_scores``
called once per sentence in this process; ours is :func:`analysis.sentiment.score_texts`
(each distinct sentence once, on two processes). Every score is checked identical.

``--steps`` (issue 15) runs the library calls of ``notebooks/20_sentiment.ipynb`` as the
notebook makes them (no overrides, n_boot 2000, seed 0) on the first N articles of the real
year ``shared/corpus/abp-2013.jsonl`` (prepared by ``newsframes prepare``), each size in a
fresh process, and prints CPU seconds per step, the growth exponent between the sizes (log-log
slope) and each step's ratio to a baseline timed in the same process: ``nltk.sent_tokenize``
over the same articles. Entities are proposed once per size (``propose_entities``, the people
helper's step, timed apart) and the same alias table is given to every run. With ``--against
REV`` the same steps run on the package as it was at git revision REV (``git archive``), in
their own processes on the same inputs, and every table is compared byte for byte.
``bench/toward.py --steps`` and ``bench/terms.py --steps`` do the same for the toward and
terms steps (this file's :func:`step_bench`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from revision import package_at  # noqa: E402

VALIDITY_FILE = ROOT / "tests" / "data" / "nyt_editorial_snippets_sample.tsv"


def corpus_sentences(n: int, seed: int = 0) -> list[str]:
    """Return `n` sentences of synthetic news, split by our splitter."""
    from synth import synth_articles

    from analysis.sentences import split_sentences

    per = 25
    arts = synth_articles(n // per + 50, seed=seed, sentences_per_article=per)
    sents = split_sentences(arts)["sentence_text"].tolist()
    while len(sents) < n:  # pragma: no cover - only if the generator makes short articles
        sents += sents[: n - len(sents)]
    return sents[:n]


def bench_speed(texts: list[str], workers: int) -> None:
    """Time the NLTK baseline and ours on the same sentences; check identical scores."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    from analysis.resources import ensure_nltk_data
    from analysis.sentiment import score_texts

    ensure_nltk_data()
    n = len(texts)
    print(f"{n:,} sentences, {len(set(texts)):,} distinct")
    sia = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    base = [sia.polarity_scores(t) for t in texts]
    t_base = time.perf_counter() - t0
    base = np.array([[d["neg"], d["neu"], d["pos"], d["compound"]] for d in base])
    print(f"NLTK polarity_scores, sentence by sentence: {t_base:8.2f} s  {n / t_base:10,.0f} "
          "sentences/s")
    for w in (1, workers):
        t0 = time.perf_counter()
        ours = score_texts(texts, workers=w)
        t = time.perf_counter() - t0
        same = np.array_equal(ours, base)
        print(f"newsframes score_texts, workers={w}:         {t:8.2f} s  {n / t:10,.0f} "
              f"sentences/s  x{t_base / t:.2f}  identical={same}")
        if not same:
            raise SystemExit("scores differ from NLTK's")


def compare_vadersentiment(texts: list[str]) -> None:
    """Print how often NLTK's VADER and the reference vaderSentiment disagree."""
    from nltk.sentiment.vader import SentimentIntensityAnalyzer as Nltk
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as Reference

    from analysis.resources import ensure_nltk_data

    ensure_nltk_data()
    a, b = Nltk(), Reference()
    diff = [(t, a.polarity_scores(t)["compound"], b.polarity_scores(t)["compound"])
            for t in texts]
    diff = [d for d in diff if d[1] != d[2]]
    print(f"compound differs on {len(diff):,} of {len(texts):,} sentences "
          f"({100 * len(diff) / len(texts):.1f}%); first examples (NLTK, vaderSentiment):")
    for t, x, y in diff[:8]:
        print(f"  {x:+.4f} {y:+.4f}  {t[:100]}")


def validity(path: Path = VALIDITY_FILE, seed: int = 0) -> dict:
    """Return Pearson r (with a bootstrap CI) of our pipeline against human ratings.

    Snippets of each editorial are joined into running prose, split by our splitter, and
    each rated snippet gets the compound of the sentence(s) covering it (the mean, weighted
    by overlap), so splitting errors count against us.
    """
    import pandas as pd
    from scipy import stats as st

    from analysis.sentences import split_sentences
    from analysis.sentiment import score_texts

    data = pd.read_csv(path, sep="\t", header=None, names=["id", "rating", "text"],
                       dtype={"id": str, "rating": float, "text": str}, quoting=3)
    data["doc"] = data["id"].str.split("_").str[0]
    rows, spans = [], []
    for doc, part in data.groupby("doc", sort=False):
        pos, text = 0, []
        for _id, snippet in part[["id", "text"]].itertuples(index=False):
            spans.append((doc, _id, pos, pos + len(snippet)))
            text.append(snippet)
            pos += len(snippet) + 1
        rows.append({"id": doc, "outlet": "nyt", "text": " ".join(text)})
    sents = split_sentences(pd.DataFrame(rows).rename(columns={"id": "article_id"}))
    sents["compound"] = score_texts(sents["sentence_text"].tolist())[:, 3]
    by_doc = {d: g for d, g in sents.groupby("article_id")}
    ours, exact = [], 0
    for doc, _id, s, e in spans:
        g = by_doc[doc]
        ov = (np.minimum(g["end"], e) - np.maximum(g["start"], s)).clip(lower=0)
        ours.append(float(np.average(g["compound"], weights=ov)))
        exact += bool(((g["start"] == s) & (g["end"] == e)).any())
    given = score_texts(data["text"].tolist())[:, 3]
    human = data["rating"].to_numpy()
    r = st.pearsonr(human, ours)[0]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(human), size=(2000, len(human)))
    boots = [st.pearsonr(human[i], np.asarray(ours)[i])[0] for i in idx]
    return {"n": len(human), "n_docs": data["doc"].nunique(), "r_pipeline": r,
            "ci": tuple(np.quantile(boots, [0.025, 0.975])),
            "r_given_snippets": st.pearsonr(human, given)[0], "exact_splits": exact / len(spans)}


# ------------------------------------------------------------------ steps (issue 15)
YEAR = ROOT.parent / "shared" / "corpus" / "abp-2013.jsonl"


def _sentiment_steps(articles, sentences, aliases, step) -> None:
    """The library calls of notebooks/20_sentiment.ipynb, in its order (overrides_file '')."""
    from analysis import entities as E
    from analysis import sentiment as V

    n_boot, seed, overrides = 2000, 0, {}
    scores = step("score_sentences", lambda: V.score_sentences(sentences, overrides=overrides))
    step("outlet_sentiment", lambda: V.outlet_sentiment(scores, n_boot=n_boot, seed=seed))
    step("outlet_differences", lambda: V.outlet_differences(scores, n_boot=n_boot, seed=seed))
    step("article_sentiment", lambda: V.article_sentiment(scores))
    mentions = step("find_mentions", lambda: E.find_mentions(sentences, aliases=aliases))
    units = step("entity_scores", lambda: V.entity_scores(mentions, sentences, unit="sentence",
                                                          overrides=overrides))
    units = units[units["type"].isin(["person", "organization"])]
    frequent = units.groupby("entity")["n_mentions"].sum().loc[lambda n: n >= 2].index
    step("entity_sentiment", lambda: V.entity_sentiment(units[units["entity"].isin(frequent)],
                                                        n_boot=n_boot, seed=seed))
    step("voice_sentiment", lambda: V.voice_sentiment(scores, n_boot=n_boot, seed=seed))
    step("word_contributions", lambda: V.word_contributions(scores, overrides=overrides, top=8))
    example = V.load_overrides(V.EXAMPLE_OVERRIDES)
    rescored = step("rescore", lambda: V.rescore(scores, overrides={**overrides, **example}))
    step("outlet_sentiment_rescored", lambda: V.outlet_sentiment(rescored, n_boot=n_boot, seed=seed))
    step("extreme_sentences", lambda: V.extreme_sentences(scores, n=3))


def _toward_steps(articles, sentences, aliases, step) -> None:
    """The toward cell of notebooks/20_sentiment.ipynb (people named at least twice)."""
    from analysis import entities as E
    from analysis import sentiment as V
    from analysis import toward as T

    mentions = E.find_mentions(sentences, aliases=aliases)
    T.load_model()
    scored = step("toward", lambda: V.toward(mentions, sentences))
    frequent = mentions.groupby("entity").size().loc[lambda n: n >= 2].index  # = units' n_mentions summed
    people = scored[scored["type"].isin(["person", "organization"]) & scored["entity"].isin(frequent)]
    step("toward_by_outlet", lambda: T.toward_by_outlet(people, n_boot=2000, seed=0))


def _terms_steps(articles, sentences, aliases, step) -> None:
    """The library calls of notebooks/10_terms.ipynb with its default parameters."""
    import pandas as pd

    from analysis import kwic
    from analysis import terms as M
    from analysis import tokens as TK

    phrases = None  # as the notebook on a corpus without entities.yaml (abp-2013): aliases_for gives None
    options = M.token_options("english", [], False, phrases)
    tokens = step("tokenize", lambda: TK.tokenize(sentences, **options, keep_numbers=False))
    words = step("word_counts", lambda: TK.word_counts(sentences))
    kw = dict(ngram_range=[1, 2], min_count=5, keep_numbers=False, stopwords=options["stopwords"],
              stem=False, phrases=phrases)
    counts = step("term_counts", lambda: M.term_counts(sentences, **kw))
    step("tf_idf", lambda: M.tf_idf(counts, top=8))
    pairs = [tuple(words.groupby("outlet")["words"].sum().sort_values(ascending=False, kind="stable").index[:2])]
    keyness = step("keyness", lambda: M.keyness(sentences, pairs=pairs, prior_size=100.0, min_docs=2, **kw))
    step("keyness_summary", lambda: M.keyness_summary(keyness[list(M.KEYNESS_COLUMNS)]))
    leads = keyness[(keyness.comparison == M.REST) & (keyness.log_odds_z > 0)].groupby("outlet").head(3)
    step("kwic leads (kwic.py, not ours)", lambda: kwic.kwic_terms(
        tokens, articles, leads.term.unique().tolist(), sentences=sentences, stem=False))
    step("collocations", lambda: pd.concat([M.collocations(tokens, measure="likelihood", top=8),
                                            M.collocations(tokens, measure="pmi", top=8)], ignore_index=True))
    inspect = ["Díaz-Canel", "oil", "sovereignty", "regime"]
    occurrences = step("dispersion", lambda: M.dispersion(tokens, inspect, stem=False))
    step("dispersion_summary", lambda: M.dispersion_summary(occurrences, articles))


def _notebook_steps(articles, sentences, aliases, step) -> None:
    """The sentiment notebook's library calls in its order, per-article steps through partition.per_article.

    As ``notebooks/20_sentiment.ipynb`` makes them with its defaults (no overrides, unit
    "sentence", people and organisations named twice or more, n_boot 2000, seed 0); the
    mentions are found outside the timed steps (the entities helper's step). A package
    whose ``entity_scores`` takes ``scores`` is given the sentence scores (split by article
    with the mentions), as the notebook does since session 25; an older one scores again.
    """
    from analysis import entities as E
    from analysis import partition
    from analysis import sentiment as V
    from analysis import toward as T

    n_boot, seed, overrides, types = 2000, 0, {}, ["person", "organization"]
    mentions = partition.per_article(E.find_mentions, sentences, aliases=aliases)
    T.load_model()
    scores = step("score_sentences", lambda: partition.per_article(V.score_sentences, sentences, overrides=overrides))
    step("outlet_sentiment", lambda: V.outlet_sentiment(scores, n_boot=n_boot, seed=seed))
    step("outlet_differences", lambda: V.outlet_differences(scores, n_boot=n_boot, seed=seed))
    step("article_sentiment", lambda: V.article_sentiment(scores))
    import inspect

    given = {"split": {"scores": scores}} if "scores" in inspect.signature(V.entity_scores).parameters else {}
    units = step("entity_scores", lambda: partition.per_article(V.entity_scores, mentions, sentences, unit="sentence",
                                                                window=10, overrides=overrides, **given))
    units = units[units["type"].isin(types)]
    frequent = units.groupby("entity")["n_mentions"].sum().loc[lambda n: n >= 2].index
    shown = units[units["entity"].isin(frequent)]
    step("entity_sentiment", lambda: V.entity_sentiment(shown, n_boot=n_boot, seed=seed))
    to_score = mentions["type"].isin(types) & mentions["entity"].isin(frequent)
    people = step("toward", lambda: partition.per_article(V.toward, mentions[to_score], sentences,
                                                          split={"context": mentions}))
    step("toward_by_outlet", lambda: T.toward_by_outlet(people, n_boot=n_boot, seed=seed))
    step("voice_sentiment", lambda: V.voice_sentiment(scores, n_boot=n_boot, seed=seed))
    step("word_contributions", lambda: V.word_contributions(scores, overrides=overrides, top=8))
    example = V.load_overrides(V.EXAMPLE_OVERRIDES)
    step("rescore_outlets", lambda: V.outlet_sentiment(V.rescore(scores, overrides={**overrides, **example}),
                                                        n_boot=n_boot, seed=seed))
    step("extreme_sentences", lambda: V.extreme_sentences(scores, n=3))


def _entity_steps(articles, sentences, aliases, step) -> None:
    """The notebook's entity cell alone (its defaults), the sentence scores made beforehand, untimed.

    ``find_mentions``, ``entity_scores`` (given the scores), the notebook's two filters and
    ``entity_sentiment``: the cell that sets the sentiment kernel's peak (session 27: +873 MB over
    its start at 10,000 generated articles). A package whose ``entity_scores`` takes ``unit_text``
    is called with ``unit_text=False``, as the notebook is asked to (the units' texts are not
    kept); each step's table is saved, the units without ``unit_text``, so ``--memory --groups
    entities --against REV`` compares them byte for byte.
    """
    import inspect

    from analysis import entities as E
    from analysis import partition
    from analysis import sentiment as V

    scores = partition.per_article(V.score_sentences, sentences, overrides={})
    mentions = step("find_mentions", lambda: partition.per_article(E.find_mentions, sentences, aliases=aliases))
    bare = {"unit_text": False} if "unit_text" in inspect.signature(V.entity_scores).parameters else {}
    units = step("entity_scores", lambda: partition.per_article(V.entity_scores, mentions, sentences, unit="sentence",
                                                                window=10, overrides={}, split={"scores": scores},
                                                                **bare).drop(columns="unit_text", errors="ignore"))
    units = units[units["type"].isin(["person", "organization"])]
    frequent = units.groupby("entity")["n_mentions"].sum().loc[lambda n: n >= 2].index
    shown = step("units_shown", lambda u=units: u[u["entity"].isin(frequent)])
    step("entity_sentiment", lambda: V.entity_sentiment(shown, n_boot=2000, seed=0))


def _score_steps(articles, sentences, aliases, step) -> None:
    """The notebook's first per-article step alone: every sentence scored in chunks (what filled the old memo)."""
    from analysis import partition
    from analysis import sentiment as V

    step("score_sentences", lambda: partition.per_article(V.score_sentences, sentences, overrides={}))


def _whole_score_steps(articles, sentences, aliases, step) -> None:
    """The notebook's scores as session 31 asks for them: one call on the whole table (blocks inside).

    A package with ``vader.SCORE_BLOCK`` (session 31: Python strings of one block at a time,
    the output sharing the sentence table's columns) is called whole, as the notebook does
    without a cluster; an older one in chunks of articles, as its notebook did. The table
    is also saved as Parquet (``save_table``, the report's writer) for the byte comparison.
    """
    from analysis import corpus as C
    from analysis import partition
    from analysis import sentiment as V

    whole = hasattr(V.vader, "SCORE_BLOCK")
    scores = step("score_sentences", lambda: V.score_sentences(sentences, overrides={}) if whole
                  else partition.per_article(V.score_sentences, sentences, overrides={}))
    if _OUT:
        C.save_table(scores, "sentiment_sentences", _OUT)


_OUT = ""  # the worker's output folder (set by _step_worker), for groups that save Parquet
STEP_GROUPS = {"sentiment": _sentiment_steps, "toward": _toward_steps, "terms": _terms_steps,
               "notebook": _notebook_steps, "scores": _score_steps, "entities": _entity_steps,
               "scores_whole": _whole_score_steps}


def cpu_against(rev: str, sizes: list[int], repeats: int, year: Path = YEAR) -> bool:
    """Run the "notebook" steps with this tree's package and the package at `rev`, interleaved.

    Each run is a fresh process on the same prepared articles and proposed names; prints each
    step's CPU seconds, the old/new ratio per pair, and whether every table is byte-identical.
    Returns True when all are.
    """
    import tempfile

    same = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_pkg = package_at(rev, tmp / "old")
        for n in sizes:
            data, _ = _prepare(n, tmp, year)
            for r in range(repeats):
                times = {}
                for tag in ("new", "old") if r % 2 == 0 else ("old", "new"):
                    out = tmp / f"{tag}-{n}-{r}"
                    out.mkdir()
                    times[tag] = _run_worker("notebook", ROOT if tag == "new" else old_pkg, data, out)["seconds"]
                for f in sorted((tmp / f"new-{n}-{r}").iterdir()):
                    ok = f.read_bytes() == (tmp / f"old-{n}-{r}" / f.name).read_bytes()
                    same &= ok
                    if not ok:
                        print(f"  DIFFERS: {f.name}")
                print(f"{n:,} articles, pair {r + 1}: step, CPU s new, old, old/new")
                for name, t in times["new"].items():
                    print(f"  {name:<22}{t:8.2f}{times['old'][name]:8.2f}  x{times['old'][name] / max(t, 1e-9):.2f}")
                total = sum(times["new"].values()), sum(times["old"].values())
                print(f"  {'all':<22}{total[0]:8.2f}{total[1]:8.2f}  x{total[1] / total[0]:.2f}", flush=True)
    print(f"tables byte-identical: {same}")
    return same


def memory(data: Path, *, against: str | None = None, group: str = "notebook") -> bool:
    """Run the notebook's steps on a prepared corpus in a fresh process (this tree, then `against`); print memory.

    `data` is a ``newsframes prepare`` folder holding ``aliases.parquet`` (the proposed
    names); `group` one of :data:`STEP_GROUPS` ("scores": ``score_sentences`` alone, in
    chunks, the step that filled score_texts' former memo). Prints the process peak
    (``ru_maxrss``), what stays allocated once every table the steps made is dropped
    (``kept``: module state such as that memo), each step's RSS growth and CPU seconds;
    returns True when every table of the two packages is byte-identical (or no `against`).
    """
    import tempfile

    same = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = {"new": ROOT}
        if against:
            runs["old"] = package_at(against, tmp / "old")
        res = {}
        for tag, pkg in runs.items():
            (tmp / tag).mkdir(exist_ok=True)
            res[tag] = _run_worker(group, pkg, data, tmp / tag)
            r = res[tag]
            print(f"{tag}: peak {r['peak_mb']:.0f} MB, kept after the steps {r['kept_mb']:.0f} MB, "
                  f"score_texts memo {r['memo_texts']:,} texts", flush=True)
            print(f"  {'step':<22}{'CPU':>8}    {'RSS grew':>9}    {'own peak over start':>9}")
            for name, sec in r["seconds"].items():
                print(f"  {name:<22}{sec:8.2f} s  {r['grew_mb'][name]:+8.0f} MB  "
                      f"{r.get('rise_mb', {}).get(name, float('nan')):+8.0f} MB")
        if against:
            for f in sorted(x for x in (tmp / "new").rglob("*") if x.is_file()):  # (save_table writes tables/)
                name = f.relative_to(tmp / "new")
                ok = f.read_bytes() == (tmp / "old" / name).read_bytes()
                same &= ok
                if not ok:
                    print(f"  DIFFERS: {name}")
            print(f"tables byte-identical: {same}")
    return same


def _step_worker(group: str, data: str, out: str) -> None:
    """Run one group's steps in this process; print one JSON line of seconds and memory."""
    import gc
    import json
    import resource

    import pandas as pd
    import psutil

    from analysis import corpus as C

    global _OUT
    _OUT = out
    proc = psutil.Process()
    articles, sentences = C.open_corpus(data, processed_dir=data)
    aliases = pd.read_parquet(Path(data) / "aliases.parquet")
    result: dict = {"seconds": {}, "grew_mb": {}}

    def step(name, call):  # CPU seconds: a loaded shared machine inflates wall time 4-8 times, CPU time far less
        gc.collect()
        before = proc.memory_info().rss
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS: the step's own peak follows
        t0 = time.process_time()
        value = call()
        result["seconds"][name] = time.process_time() - t0
        result["grew_mb"][name] = (proc.memory_info().rss - before) / 1e6
        hwm = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) * 1024
        result.setdefault("rise_mb", {})[name] = (hwm - before) / 1e6
        if out:
            value.to_csv(Path(out) / f"{name.split()[0]}.csv", index=False)
        return value

    if group == "baseline":
        from nltk.tokenize import sent_tokenize

        from analysis.resources import ensure_nltk_data

        ensure_nltk_data()
        sent_tokenize("Warm up. Now.")
        t0 = time.process_time()
        for text in articles["text"]:
            sent_tokenize(text)
        result["seconds"]["nltk.sent_tokenize"] = time.process_time() - t0
    else:
        gc.collect()
        start = proc.memory_info().rss
        STEP_GROUPS[group](articles, sentences, aliases, step)
        gc.collect()  # every table the steps made is gone: what stays is module state (caches, memos)
        result["kept_mb"] = (proc.memory_info().rss - start) / 1e6
        from analysis.sentiment import vader

        memo = getattr(vader, "_SCORED", {})  # the memo of score_texts before session 25
        result["memo_texts"] = sum(len(t) for parts in memo.values() for t, _ in parts)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run_worker(group: str, pkg: Path, data: Path, out: Path | None) -> dict:
    import json
    import os
    import subprocess

    cmd = [sys.executable, str(Path(__file__).resolve()), "--step-worker", group, "--data", str(data),
           "--out", str(out or ""), "--pkg", str(pkg)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=pkg, env={**os.environ, "PYTHONHASHSEED": "0"})
    if done.returncode:
        raise SystemExit(f"{group} worker ({pkg}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _prepare(n: int, folder: Path, year: Path) -> tuple[Path, float]:
    """Prepare the first `n` articles of `year`, propose its entities once; return (folder, seconds of proposing)."""
    import subprocess

    import pandas as pd

    data = folder / f"p{n}"
    table = pd.read_json(year, lines=True, dtype=False).head(n)
    table.to_json(folder / f"c{n}.jsonl", orient="records", lines=True, force_ascii=False)
    subprocess.run([sys.executable, "-m", "analysis", "prepare", str(folder / f"c{n}.jsonl"), "--out", str(data)],
                   check=True, capture_output=True, cwd=ROOT)
    from analysis import corpus as C
    from analysis.entities.propose import propose_entities

    _, sentences = C.open_corpus(str(data), processed_dir=str(data))
    t0 = time.perf_counter()
    propose_entities(sentences).to_parquet(data / "aliases.parquet")
    return data, time.perf_counter() - t0


def step_bench(groups: list[str], sizes: list[int], *, against: str | None = None, year: Path = YEAR) -> bool:
    """Time `groups` of steps at each size (working tree, and the package at `against`); print the table.

    Returns True when every table of the old package equals the new one byte for byte (or
    no `against` was given).
    """
    import tempfile

    import numpy as np

    identical = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old_pkg = None
        if against:
            old_pkg = package_at(against, tmp / "old")
        rows: dict = {}
        for n in sizes:
            data, t_propose = _prepare(n, tmp, year)
            base = _run_worker("baseline", ROOT, data, None)["seconds"]["nltk.sent_tokenize"]
            print(f"{n:,} articles: baseline nltk.sent_tokenize {base:.2f} s; propose_entities "
                  f"(people helper's, not timed below) {t_propose:.1f} s", flush=True)
            for group in groups:
                outs = {}
                for tag, pkg in (("new", ROOT), ("old", old_pkg)):
                    if pkg is None:
                        continue
                    outs[tag] = tmp / f"{tag}-{group}-{n}"
                    outs[tag].mkdir()
                    res = _run_worker(group, pkg, data, outs[tag] if against else None)
                    print(f"  {tag} {group} at {n:,}: " + ", ".join(f"{k} {v:.2f}" for k, v in res["seconds"].items())
                          + f"; peak {res['peak_mb']:.0f} MB", flush=True)
                    for name, sec in res["seconds"].items():
                        rows.setdefault(name, {})[(tag, n)] = sec
                        rows[name][("grew", tag, n)] = res["grew_mb"][name]
                        rows[name][("base", n)] = base
                    rows.setdefault("(process peak, " + group + ")", {})[(tag, n)] = res["peak_mb"]
                if against:
                    for f in sorted(outs["new"].iterdir()):
                        same = f.read_bytes() == (outs["old"] / f.name).read_bytes()
                        identical &= same
                        rows_key = next(k for k in rows if k.split()[0] == f.stem)
                        rows[rows_key][("same", n)] = same
        n0, n1 = sizes[0], sizes[-1]
        head = f"{'step':<32}" + "".join(f"{'new ' + format(n, ','):>11}" for n in sizes)
        head += f"{'exp':>6}{'x base':>8}{'+MB':>6}"
        if against:
            head += "".join(f"{'old ' + format(n, ','):>11}" for n in sizes) + f"{'exp old':>8}  identical"
        print("\nCPU seconds per step (peaks in MB)\n" + head)
        for name, r in rows.items():
            def exp(tag, r=r):
                a, b = r.get((tag, n0)), r.get((tag, n1))
                return float(np.log(b / a) / np.log(n1 / n0)) if a and b and n1 != n0 and a > 0.02 else float("nan")
            line = f"{name:<32}" + "".join(f"{r.get(('new', n), float('nan')):>11.2f}" for n in sizes)
            ratio = r[("new", n1)] / r[("base", n1)] if ("base", n1) in r else float("nan")
            line += f"{exp('new'):>6.2f}{ratio:>8.2f}{r.get(('grew', 'new', n1), float('nan')):>6.0f}"
            if against:
                line += "".join(f"{r.get(('old', n), float('nan')):>11.2f}" for n in sizes) + f"{exp('old'):>8.2f}  "
                line += " ".join("yes" if r.get(("same", n)) else "NO" if ("same", n) in r else "-" for n in sizes)
            print(line)
        print("exp: growth exponent log(t2/t1)/log(n2/n1) (nan under 0.02 s); x base: seconds over the "
              f"baseline's at {n1:,}; +MB: RSS growth of the step at {n1:,}")
    return identical


# ------------------------------------------------------------ per-cell peaks (session 26)
def _cell_worker(notebook: str, corpus: str, processed: str, out: str) -> None:
    """Run `notebook`'s code cells as its kernel would; print one JSON line per cell.

    Before each cell the process's peak (``VmHWM``) is reset to its current resident memory
    (``/proc/self/clear_refs``), so each cell's peak is its own, above what the kernel held
    when it started; tables are saved in `out` (``out_dir``) for the byte comparison.
    """
    import json
    import resource

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    import psutil

    me = psutil.Process()

    def hwm() -> float:
        return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024

    path = Path(notebook) if notebook.endswith(".ipynb") else ROOT / "notebooks" / f"{notebook}.ipynb"
    nb = nbformat.read(path, as_version=4)
    scope: dict = {}
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        start = me.memory_info().rss / 2**20
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS
        t0, c0 = time.perf_counter(), time.process_time()
        exec(cell.source, scope)  # noqa: S102 (the project's own notebook)
        if "parameters" in cell.metadata.get("tags", []):
            scope.update(corpus=corpus, processed_dir=processed, out_dir=out)
        plt.close("all")
        first = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ""
        print(json.dumps({"cell": i, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                          "start_mb": start, "peak_mb": hwm(), "end_mb": me.memory_info().rss / 2**20,
                          "first": first}), flush=True)
    print(json.dumps({"cell": "all", "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def cell_peaks(corpus: Path, processed: Path, *, against: str | None = None, notebook: str = "20_sentiment",
               keep: Path | None = None, old_notebook: bool = False) -> bool:
    """Run the notebook on a prepared corpus with this tree's package (and `against`'s); print per-cell memory.

    Each run gets a fresh copy of the prepared folder's Parquet files (links), so cached
    proposals (``cache/``) of an earlier run are not read: every run proposes its names.
    With `old_notebook` the old run executes `against`'s notebook (``git show``), not this
    tree's: old notebook and package against new notebook and package, for notebook
    changes that call what the old package lacks.
    Prints per cell: wall and CPU seconds, resident memory at its start, its own peak and
    the peak's rise over the start; then whether every table (``tables/*``) is byte-identical.
    """
    import json
    import os
    import subprocess
    import tempfile

    same = True
    with tempfile.TemporaryDirectory() as tmp:
        tmp = keep or Path(tmp)
        runs = {"new": ROOT}
        if against:
            runs["old"] = package_at(against, tmp / "old")
        res = {}
        for tag, pkg in runs.items():
            data = tmp / f"data-{tag}"
            data.mkdir(parents=True, exist_ok=True)
            for f in processed.glob("*.parquet"):
                if not (data / f.name).exists():
                    os.link(f, data / f.name) if f.stat().st_dev == data.stat().st_dev else \
                        (data / f.name).write_bytes(f.read_bytes())
            out = tmp / f"out-{tag}"
            book = notebook
            if tag == "old" and old_notebook:
                book = str(tmp / f"old-{notebook}.ipynb")
                Path(book).write_bytes(subprocess.run(["git", "show", f"{against}:notebooks/{notebook}.ipynb"],
                                                      cwd=ROOT, check=True, capture_output=True).stdout)
            cmd = [sys.executable, str(Path(__file__).resolve()), "--cell-worker", book, str(corpus), str(data),
                   str(out), "--pkg", str(pkg)]
            env = {**os.environ, "PYTHONPATH": str(pkg), "NEWSFRAMES_PROGRESS": "0", "PYTHONHASHSEED": "0"}
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
            if done.returncode:
                raise SystemExit(f"{tag} cells ({pkg}) failed:\n{done.stderr[-3000:]}")
            lines = [json.loads(ln) for ln in done.stdout.splitlines() if ln.startswith("{")]
            res[tag] = lines
            print(f"{tag} ({pkg}): cell, wall s, CPU s, rss at start, own peak, rise, rss at end (MB)")
            for r in lines[:-1]:
                print(f"  {notebook}:{r['cell']:02d} {r['seconds']:7.1f} {r['cpu']:7.1f} {r['start_mb']:7.0f} "
                      f"{r['peak_mb']:7.0f} {r['peak_mb'] - r['start_mb']:+6.0f} {r['end_mb']:7.0f}  {r['first']}")
            print(f"  kernel peak {max(r['peak_mb'] for r in lines[:-1]):.0f} MB, CPU "
                  f"{sum(r['cpu'] for r in lines[:-1]):.1f} s, wall {sum(r['seconds'] for r in lines[:-1]):.1f} s",
                  flush=True)
        if against:
            names = sorted(f.relative_to(tmp / "out-new") for f in (tmp / "out-new" / "tables").iterdir())
            for name in names:
                ok = (tmp / "out-new" / name).read_bytes() == (tmp / "out-old" / name).read_bytes()
                same &= ok
                if not ok:
                    print(f"  DIFFERS: {name}")
            print(f"{len(names)} tables byte-identical: {same}")
    return same


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sentences", type=int, default=20_000, help="sentences to score")
    ap.add_argument("--workers", type=int, default=2, help="processes for ours")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compare-vadersentiment", action="store_true")
    ap.add_argument("--validity", action="store_true")
    ap.add_argument("--steps", action="store_true", help="time each step of 20_sentiment (issue 15)")
    ap.add_argument("--groups", nargs="+", choices=sorted(STEP_GROUPS),
                    help="step groups to time (with --steps, default sentiment): sentiment, toward, terms; "
                         "with --memory one group (default notebook)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 4142], help="articles (with --steps)")
    ap.add_argument("--against", help="git revision whose package runs the same steps (with --steps)")
    ap.add_argument("--cpu-against", help="git revision: the notebook's steps, CPU seconds, new and old interleaved "
                                          "at --sizes, tables compared")
    ap.add_argument("--repeats", type=int, default=2, help="interleaved pairs per size (with --cpu-against)")
    ap.add_argument("--year", default=str(YEAR), help="real corpus table (with --steps)")
    ap.add_argument("--memory", metavar="PROCESSED",
                    help="folder of `newsframes prepare` (with aliases.parquet): peak and kept memory of the "
                         "notebook's steps, this tree and --against REV")
    ap.add_argument("--cells", nargs=2, metavar=("CORPUS", "PROCESSED"),
                    help="per-cell wall/CPU seconds and own peak of notebooks/20_sentiment.ipynb on a prepared "
                         "corpus, this tree and --against REV, tables compared")
    ap.add_argument("--keep", type=Path, help="with --cells: keep the runs' folders (tables) here")
    ap.add_argument("--old-notebook", action="store_true",
                    help="with --cells --against REV: the old run executes REV's notebook, not this tree's")
    ap.add_argument("--cell-worker", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--step-worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--pkg", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cell_worker:
        sys.path.insert(0, args.pkg)  # the package under test: the working tree or an old revision
        _cell_worker(*args.cell_worker)
        return
    if args.cells:
        if not cell_peaks(Path(args.cells[0]), Path(args.cells[1]), against=args.against, keep=args.keep,
                          old_notebook=args.old_notebook):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    if args.step_worker:
        sys.path.insert(0, args.pkg)  # the package under test: the working tree or an old revision
        _step_worker(args.step_worker, args.data, args.out)
        return
    if args.memory:
        if not memory(Path(args.memory), against=args.against, group=(args.groups or ["notebook"])[0]):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    if args.cpu_against:
        if not cpu_against(args.cpu_against, args.sizes, args.repeats, year=Path(args.year)):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    if args.steps:
        if not step_bench(args.groups or ["sentiment"], args.sizes, against=args.against, year=Path(args.year)):
            raise SystemExit("FAILED: a table differs from the old code's")
        return
    if args.validity:
        v = validity(seed=args.seed)
        print(f"{v['n']} human-rated NYT editorial sentences from {v['n_docs']} editorials "
              f"(Hutto & Gilbert 2014)\n  our splitting + scoring: r = {v['r_pipeline']:.3f} "
              f"(95% bootstrap CI {v['ci'][0]:.3f} to {v['ci'][1]:.3f})\n  snippets as given: "
              f"r = {v['r_given_snippets']:.3f}\n  snippets our splitter reproduced exactly: "
              f"{100 * v['exact_splits']:.1f}%\n  paper, all 5,190 sentences: r = 0.49")
        return
    t0 = time.perf_counter()
    texts = corpus_sentences(args.sentences, seed=args.seed)
    print(f"corpus generated and split in {time.perf_counter() - t0:.1f} s")
    if args.compare_vadersentiment:
        compare_vadersentiment(texts)
        return
    bench_speed(texts, args.workers)


if __name__ == "__main__":
    main()
