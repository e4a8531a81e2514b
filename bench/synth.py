"""Generate large, real-looking news corpora for the benchmarks (never for unit tests).

Articles are built from the sentences of the bundled corpus (data/raw): shuffled, with
names, numbers and one word in eight replaced from a Zipf-distributed vocabulary of
pseudo-words, so the vocabulary grows with the corpus as real news vocabulary does.
Deterministic for a given seed.
"""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = ("Daily Ledger", "Harbour Times", "Wire Service", "Evening Post", "Global Desk",
           "Capital Herald", "Morning Star", "Island Voice", "Continental", "Metro News")
FURNITURE = ("Recommended stories", "list of 3 itemsend of list", "Advertisement:")


def bundled_sentences() -> list[str]:
    """Return the sentences of the bundled corpus (after cleaning)."""
    from analysis.corpus import load_corpus
    from analysis.sentences import split_sentences

    return split_sentences(load_corpus(ROOT / "data" / "raw"))["sentence_text"].tolist()


def _vocabulary(rng: np.random.Generator, size: int) -> np.ndarray:
    letters = np.array(list(string.ascii_lowercase))
    lengths = rng.integers(3, 11, size=size)
    return np.array(["".join(rng.choice(letters, n)) for n in lengths])


def synth_articles(n_articles: int, *, seed: int = 0, sentences_per_article: int = 25,
                   n_outlets: int = 10, vocab_size: int = 200_000,
                   furniture: bool = True, base: list[str] | None = None,
                   outlets: tuple[str, ...] = OUTLETS) -> pd.DataFrame:
    """Return `n_articles` generated articles: columns article_id, outlet, published, text.

    Each article has about `sentences_per_article` sentences in paragraphs of one or two
    sentences; with `furniture`, one article in four carries page furniture and a
    "Published" line, as scraped news does. `base` gives the sentences to draw from (default:
    the bundled corpus's) and `outlets` the outlet labels (the first `n_outlets` are used).
    """
    rng = np.random.default_rng(seed)
    base = bundled_sentences() if base is None else base
    vocab = _vocabulary(rng, vocab_size)
    zipf = np.minimum(rng.zipf(1.3, size=n_articles * sentences_per_article * 4), vocab_size) - 1
    zi = 0
    rows = []
    for i in range(n_articles):
        k = max(3, int(rng.normal(sentences_per_article, 5)))
        picks = rng.integers(0, len(base), size=k)
        paras, current = [], []
        for j in picks:
            words = base[j].split(" ")
            for w in range(len(words)):
                if rng.random() < 0.125 and zi < len(zipf):
                    words[w] = vocab[zipf[zi]]
                    zi += 1
                elif words[w].isdigit():
                    words[w] = str(rng.integers(1, 100_000))
            current.append(" ".join(words))
            if len(current) == 2 or rng.random() < 0.4:
                paras.append(" ".join(current))
                current = []
        if current:
            paras.append(" ".join(current))
        if furniture and i % 4 == 0:
            paras = [f"Published January {1 + i % 28}, 2026", *FURNITURE[:2], *paras]
        rows.append((f"a{i:06d}", outlets[i % min(n_outlets, len(outlets))], f"2026-01-{1 + i % 28:02d}",
                     "\n\n".join(paras)))
    return pd.DataFrame(rows, columns=["article_id", "outlet", "published", "text"])
