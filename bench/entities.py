"""Benchmark entity proposals, mention finding and actor words on real news, and their quality.

Usage::

    python bench/entities.py                  # 100 / 1000 / 4000 articles of abp-2013, growth exponents
    python bench/entities.py --sizes 100 400  # quicker
    python bench/entities.py --quality        # precision / recall on the hand-labelled dev articles
    python bench/entities.py --against b9012b4 --sizes 1000 4142   # propose: this tree vs a revision
    python bench/entities.py --against 77d3a1a --processed /tmp/k/k10000/p10000   # ... on a prepared corpus

What is measured
----------------
For the first N articles of ``shared/corpus/abp-2013.jsonl`` (4,142 articles of 69 outlets,
many stories; prepared once with ``load_corpus`` + ``split_sentences``, not timed), the wall
time of each step, best of ``--repeat`` runs:

* ``propose``: :func:`analysis.entities.propose_entities` on the sentences (no alias file);
* ``mentions``: :func:`analysis.actors.actor_mentions` with those proposals (body + headlines);
* ``actor words``: :func:`analysis.actors.actor_words` (tokens computed beforehand, not timed);
* ``baseline``: one plain linear pass over the same text in the same run — every capitalised
  word found by one regex (``re.findall``) — so each step is also given as a multiple of it,
  which the machine's load affects alike.
* ``per-sentence mentions`` (reference): the same matches found sentence by sentence (the
  former path of ``find_mentions``), to show what the single pass over the joined text saves.

The growth exponent of each step is the least-squares slope of log(time) on log(articles).
Floor (issue 15): every step at most 1.2 (near-linear). ``--quality`` prints the scores of
:func:`analysis.entities.score_dev_corpora` and, on the held-out articles stored in
``tests/data``, of :func:`analysis.entities.score_articles` (README, entities section).

``--against REV`` times :func:`analysis.entities.propose_entities` of this tree against the
``analysis/entities/propose.py`` and ``candidates.py`` of git revision REV (loaded beside them, the
rest of the package shared), alternately in the same process, best of ``--repeat``, in CPU seconds of this process
(``time.process_time``: less swayed by other work on a shared machine than wall time), and says
whether both give the same table (``same_table``: the CSV text of both, byte for byte) and how many
cache entries each left behind (``kept_rev``, ``kept_tree``: entries of the candidates module's
per-token caches after the call). With ``--processed DIR`` (a ``newsframes prepare`` folder, such as
the generated 10,000 and 40,000 articles) the whole prepared corpus is read instead of the first N
articles of the year (``--sizes`` is ignored).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus"
FLOOR = 1.2


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _per_sentence(sentences, aliases) -> int:
    from analysis.clean import fold_for_matching
    from analysis.entities.mentions import _automaton, _sentence_matches

    auto = _automaton(aliases)
    return sum(len(_sentence_matches(t, fold_for_matching(t), auto)) for t in sentences["sentence_text"])


def _one_size(table: pd.DataFrame, n: int, repeat: int) -> list[tuple]:
    """Time each step on the first `n` rows of `table`; one tuple per step."""
    from analysis import actors as A
    from analysis import entities as E
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences
    from analysis.tokens import tokenize

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "abp.jsonl"
        table.head(n).to_json(path, orient="records", lines=True, force_ascii=False)
        articles = load_corpus(path)
    sentences = split_sentences(articles)
    tokens = tokenize(sentences)
    chars = int(sentences["sentence_text"].str.len().sum())
    cap = re.compile(r"\b[A-Z][a-z]+")
    t_base, _ = _best(lambda: sum(len(cap.findall(t)) for t in sentences["sentence_text"]), repeat)
    t_prop, aliases = _best(lambda: E.propose_entities(sentences), repeat)
    t_ment, mentions = _best(lambda: A.actor_mentions(sentences, articles, aliases=aliases), repeat)
    t_words, words = _best(lambda: A.actor_words(mentions, sentences, tokens=tokens), repeat)
    t_sent, _ = _best(lambda: _per_sentence(sentences, aliases), repeat)
    t_one, _ = _best(lambda: E.find_mentions(sentences, aliases=aliases), repeat)
    print(f"{n:5d} articles, {len(sentences):6d} sentences: propose {t_prop:.2f}s, mentions {t_ment:.2f}s "
          f"({len(mentions)} rows), actor words {t_words:.2f}s ({len(words)} rows), baseline {t_base:.3f}s",
          flush=True)
    return [(n, len(sentences), chars, step, t, t / t_base)
            for step, t in (("baseline", t_base), ("propose", t_prop), ("mentions", t_ment),
                            ("actor words", t_words), ("find_mentions one pass", t_one),
                            ("per-sentence mentions", t_sent))]


def timings(sizes: list[int], repeat: int) -> pd.DataFrame:
    """Time each step on the first N articles of abp-2013; one row per size x step."""
    table = pd.read_json(CORPUS / "abp-2013.jsonl", lines=True, dtype={"id": str})
    rows = []
    for n in sizes:
        rows += _one_size(table, n, repeat)
    return pd.DataFrame(rows, columns=["articles", "sentences", "chars", "step", "seconds", "x_baseline"])


def exponents(t: pd.DataFrame) -> pd.DataFrame:
    """Fit log(seconds) = a + b log(articles) per step; one row per step with b."""
    out = []
    for step, part in t.groupby("step", sort=False):
        b = np.polyfit(np.log(part["articles"]), np.log(part["seconds"]), 1)[0]
        out.append((step, round(float(b), 3), "ok" if b <= FLOOR else f"ABOVE {FLOOR}"))
    return pd.DataFrame(out, columns=["step", "growth_exponent", f"floor <= {FLOOR}"])


def against(rev: str, sizes: list[int], repeat: int, processed: str | None = None) -> pd.DataFrame:
    """Time propose_entities of this tree and of revision `rev` on the first N articles; one row per size."""
    import importlib.util
    import subprocess

    from analysis import entities as E
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    def show(path: str) -> str | None:
        got = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True, text=True)
        return got.stdout if got.returncode == 0 else None

    def load(name: str, source: str, tmp: str):
        path = Path(tmp) / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        return module

    source = show("analysis/entities/propose.py")
    candidates = show("analysis/entities/candidates.py")  # the revision's, when it has the module
    table = None if processed else pd.read_json(CORPUS / "abp-2013.jsonl", lines=True, dtype={"id": str})
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if candidates is not None:
            load("candidates_at_rev", candidates, tmp)
            source = source.replace("from analysis.entities.candidates import", "from candidates_at_rev import")
        old = load("propose_at_rev", source, tmp)
        mods = {"rev": sys.modules.get("candidates_at_rev"), "tree": sys.modules["analysis.entities.candidates"]}

        def kept(tag: str) -> int:
            mod = mods[tag]
            return sum(f.cache_info().currsize for f in vars(mod).values() if hasattr(f, "cache_info")) if mod else 0

        for n in [0] if processed else sizes:
            if processed:
                from analysis.corpus import read_processed

                articles, sentences = read_processed(processed, text=False)
                n = len(articles)
                del articles
            else:
                data = Path(tmp) / "abp.jsonl"
                table.head(n).to_json(data, orient="records", lines=True, force_ascii=False)
                sentences = split_sentences(load_corpus(data))
            best = {"rev": float("inf"), "tree": float("inf")}
            left = {}
            for _ in range(repeat):
                for tag, fn in (("rev", old.propose_entities), ("tree", E.propose_entities)):
                    t0 = time.process_time()
                    out = fn(sentences)
                    best[tag] = min(best[tag], time.process_time() - t0)
                    left[tag] = kept(tag)
                    if tag == "rev":
                        ref = out
            rows.append((n, len(sentences), round(best["rev"], 2), round(best["tree"], 2),
                         round(best["rev"] / best["tree"], 2), ref.to_csv() == out.to_csv(), left["rev"],
                         left["tree"]))
            print(rows[-1], flush=True)
    return pd.DataFrame(rows, columns=["articles", "sentences", f"cpu_s_{rev}", "cpu_s_tree", "ratio",
                                       "same_table", "kept_rev", "kept_tree"])


def main(argv=None) -> int:
    """Run the benchmark; return 1 when a step grows faster than the floor."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 4000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--quality", action="store_true", help="print precision/recall on the labelled dev articles")
    ap.add_argument("--against", metavar="REV", help="time propose_entities against git revision REV's")
    ap.add_argument("--processed", metavar="DIR", help="with --against: a prepared corpus folder, read whole")
    args = ap.parse_args(argv)
    if args.against:
        print(against(args.against, args.sizes, args.repeat, args.processed).to_string(index=False))
        return 0
    if args.quality:
        from analysis.entities import score_articles, score_dev_corpora

        scores, junk = score_dev_corpora(CORPUS)
        print(scores.round(3).to_string(index=False))
        print("listed junk proposed as a person:", junk.values.tolist() or "none")
        scores, junk = score_articles()  # the 10 held-out articles stored in tests/data
        print(scores.round(3).to_string(index=False))
        print("junk of the held-out set proposed as a person:", junk["junk"].tolist() or "none")
        return 0
    t = timings(args.sizes, args.repeat)
    print(t.round(3).to_string(index=False))
    e = exponents(t)
    print(e.to_string(index=False))
    steps = ["propose", "mentions", "actor words", "find_mentions one pass"]
    return int(bool((e.set_index("step").loc[steps, "growth_exponent"] > FLOOR).any()))


if __name__ == "__main__":
    raise SystemExit(main())
