"""Generate large, real-looking news corpora for the benchmarks (never for unit tests).

Articles are built from the sentences of the bundled corpus (data/raw): shuffled, with
names, numbers and one word in eight replaced from a Zipf-distributed vocabulary of
pseudo-words, so the vocabulary grows with the corpus as real news vocabulary does.
Deterministic for a given seed.

:func:`fresh_articles` builds larger corpora whose reuse grows with the corpus as real news does
(linearly: wire copy within a story), for the scale benchmark. Drawing sentences with replacement
from a fixed pool (:func:`synth_articles`) gives every sentence about ``n x length / pool``
near-copies, so the number of near-duplicate pairs, and every step that compares them, grows with
the square of the corpus: a stress test of reuse, not a model of news.
"""

from __future__ import annotations

import string
import zlib
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


def _renamed(word: str, cycle: int, stop: set, vocab: np.ndarray, renamed: dict) -> str:
    """Return `word`, or its pseudo-word in this cycle when it is not a stopword (crc32: deterministic).

    Case is kept on the first letter and trailing punctuation stays.
    """
    if word not in renamed:
        bare = word.lower().strip(".,;:!?\"'()")
        new = vocab[zlib.crc32(f"{bare}\0{cycle}".encode()) % len(vocab)]
        new = new.capitalize() if word[:1].isupper() else new  # names and sentence starts stay capitalised
        renamed[word] = word if bare in stop or not bare else new + word[len(word.rstrip(".,;:!?\"')")):]
    return renamed[word]


def fresh_articles(n_articles: int, *, base: list[str], outlets: tuple[str, ...], seed: int = 0,
                   sentences_per_article: int = 39, copy_share: float = 0.1) -> pd.DataFrame:
    """Return `n_articles` generated articles whose sentences are not reused beyond real rates.

    Sentences are dealt from `base` without replacement. Each time the pool is used up a new
    cycle starts, in which every word that is not an NLTK stopword is replaced by a
    pseudo-word, the same one for the same word within the cycle (so word frequencies keep
    their shape): a sentence of a later cycle shares its stopwords and punctuation with its
    source, not its content. One article in ten (`copy_share`) then copies two to four
    consecutive sentences of one of the 200 articles before it (wire copy), so shared
    passages grow linearly. Outlets are assigned in turn, dates over 365 days.
    """
    from analysis.resources import stopwords

    rng = np.random.default_rng(seed)
    stop = set(stopwords("english"))
    vocab = _vocabulary(rng, 400_000)
    order, cycle, at = rng.permutation(len(base)), 0, 0
    rows, texts, renamed = [], [], {}
    for i in range(n_articles):
        k = max(3, int(rng.normal(sentences_per_article, 8)))
        sents = []
        for _ in range(k):
            if at == len(order):
                order, cycle, at, renamed = rng.permutation(len(base)), cycle + 1, 0, {}
            sentence = base[order[at]]
            at += 1
            if cycle:
                sentence = " ".join(_renamed(w, cycle, stop, vocab, renamed) for w in sentence.split(" "))
            sents.append(sentence)
        if texts and rng.random() < copy_share:
            source = texts[int(rng.integers(max(0, len(texts) - 200), len(texts)))]
            start = int(rng.integers(0, max(1, len(source) - 4)))
            where = int(rng.integers(0, len(sents)))
            sents[where:where] = source[start:start + int(rng.integers(2, 5))]
        texts.append(sents)
        paras = [" ".join(sents[j:j + 2]) for j in range(0, len(sents), 2)]
        day = np.datetime64("2026-01-01") + int(i * 365 / max(1, n_articles))
        rows.append((f"g{i:06d}", outlets[i % len(outlets)], str(day), "\n\n".join(paras)))
    return pd.DataFrame(rows, columns=["article_id", "outlet", "published", "text"])
