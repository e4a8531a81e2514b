"""Benchmark frame-cue matching against tokenising the same text.

The issue's requirement: matching a lexicon of 1,000 entries over 50 MB of text is not
slower than tokenising it. The script generates a corpus with bench/synth.py, cuts it into
paragraph "sentences" (one row each, offsets into the article text), builds a 1,000-entry
lexicon from the corpus's own vocabulary (words of every frequency, stems and phrases),
and times, in the same process:

* ``regex tokens``   -- a plain regular-expression word tokenizer (``re.findall``), the
  cheapest possible tokenisation: a floor, not the project's tokenizer;
* ``tokens.tokenize`` -- the project's tokenizer (analysis.tokens): the token table;
* ``tokens.encode``  -- its fast path for counting (term ids, no table);
* ``CueMatcher.find`` -- the Aho-Corasick cue matcher alone (build + match);
* ``find_cues``      -- the library call: matcher plus the tidy hit table.

Usage::

    .venv/bin/python bench/frames.py            # quick: 5 MB
    .venv/bin/python bench/frames.py --mb 50    # the issue's size
    .venv/bin/python bench/frames.py --mb 50 --lexicon shipped   # realistic hit rate
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import synth_articles  # noqa: E402

from analysis import frames  # noqa: E402

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
BYTES_PER_ARTICLE = 3900  # synth articles average about this many characters


def paragraph_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Return one row per paragraph, shaped like the sentence table (offsets kept)."""
    rows = []
    for aid, outlet, text in articles[["article_id", "outlet", "text"]].itertuples(index=False):
        pos = 0
        for k, par in enumerate(text.split("\n\n")):
            rows.append((f"{aid}/{k}", aid, outlet, 0, k, pos, pos + len(par), par, "none", 0.0))
            pos += len(par) + 2
    return pd.DataFrame(rows, columns=["sentence_id", "article_id", "outlet", "paragraph", "sentence",
                                       "start", "end", "sentence_text", "quoted", "quote_share"])


def make_lexicon(texts: list[str], n_entries: int, seed: int) -> list[str]:
    """Return `n_entries` cues: 70% words, 20% stems, 10% phrases, from the corpus itself.

    Words are drawn over all frequency ranks from the 100th on (a frame lexicon lists
    content words, not "the"); stems are 5-letter prefixes of frequent long words; phrases
    are the most frequent word bigrams (these do include function words: "of the").
    """
    rng = np.random.default_rng(seed)
    counts = Counter(w.lower() for t in texts[:2000] for w in WORD.findall(t))
    vocab = [w for w, _ in counts.most_common() if w.isalpha() and len(w) > 2]
    n_words, n_stems = int(n_entries * 0.7), int(n_entries * 0.2)
    ranks = np.unique(np.geomspace(100, len(vocab) - 1, n_words * 3).astype(int))
    words = [vocab[i] for i in rng.choice(ranks, size=min(n_words, len(ranks)), replace=False)]
    stems = sorted({w[:5] + "*" for w in vocab[:4000] if len(w) > 6})
    stems = list(rng.choice(stems, size=min(n_stems, len(stems)), replace=False))
    bigrams = Counter(" ".join(p) for t in texts[:2000]
                      for p in zip(t.lower().split()[:-1], t.lower().split()[1:], strict=True)
                      if all(x.isalpha() for x in p))
    phrases = [b for b, _ in bigrams.most_common(n_entries)][: n_entries - len(words) - len(stems)]
    lexicon = list(dict.fromkeys([*words, *stems, *phrases]))
    return lexicon[:n_entries]


def timed(label: str, fn, mb: float, results: dict) -> object:
    """Run `fn` once, print its time and throughput, and store the seconds."""
    t0 = time.perf_counter()
    out = fn()
    sec = time.perf_counter() - t0
    results[label] = sec
    print(f"{label:<18} {sec:8.2f} s  {mb / sec:7.1f} MB/s")
    return out


def main() -> None:
    """Parse arguments, run the benchmark and print figures and ratios."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="corpus size in MB of text (default 5)")
    ap.add_argument("--entries", type=int, default=1000, help="lexicon entries (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lexicon", choices=["synthetic", "shipped"], default="synthetic",
                    help="synthetic: --entries cues from the corpus vocabulary (a stress test, about a "
                         "third of all tokens match); shipped: the two shipped frame lexicons")
    args = ap.parse_args()

    n_articles = max(10, int(args.mb * 1e6 / BYTES_PER_ARTICLE))
    t0 = time.perf_counter()
    articles = synth_articles(n_articles, seed=args.seed)
    table = paragraph_table(articles)
    texts = table["sentence_text"].tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    if args.lexicon == "shipped":
        lexicon = frames.load_lexicon().dropna(subset=[frames.CUE])
        cues = lexicon[frames.CUE].tolist()
    else:
        cues = make_lexicon(texts, args.entries, args.seed)
        lexicon = pd.DataFrame({frames.SCHEME: "bench", frames.FRAME: [f"f{i % 20}" for i in range(len(cues))],
                                frames.LABEL: "", frames.CUE: cues,
                                frames.CUE_KIND: [frames.cue_kind(c) for c in cues], frames.SOURCE_FILE: ""})
    kinds = Counter(frames.cue_kind(c) for c in cues)
    print(f"corpus: {len(articles)} articles, {len(texts)} paragraphs, {mb:.1f} MB "
          f"(generated in {time.perf_counter() - t0:.0f} s); lexicon: {len(cues)} entries {dict(kinds)}")

    results: dict[str, float] = {}
    tokens = timed("regex tokens", lambda: sum(len(WORD.findall(t)) for t in texts), mb, results)
    from analysis.tokens import encode, tokenize

    timed("tokens.tokenize", lambda: len(tokenize(table)), mb, results)
    timed("tokens.encode", lambda: len(encode(table["sentence_text"], stopwords=None).ids), mb, results)
    found = timed("CueMatcher.find", lambda: frames.CueMatcher(cues).find(texts), mb, results)
    hits = timed("find_cues", lambda: frames.find_cues(table, lexicon=lexicon), mb, results)
    print(f"{tokens} regex tokens; {len(found)} matches; {len(hits)} hit rows")
    for base in ("regex tokens", "tokens.encode", "tokens.tokenize"):
        if base in results:
            for label in ("CueMatcher.find", "find_cues"):
                print(f"{label} / {base}: {results[label] / results[base]:.2f}x the time")


if __name__ == "__main__":
    main()
