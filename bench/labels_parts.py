"""Parts of label discovery changed in session 30, old way vs new way in one process (issue 15).

On a prepared folder's sentences and their alignment, times (CPU seconds, best of ``--repeat``) and
checks equal results of:

* the corpus's lower-case words: one regular-expression pass over the texts joined 20,000 at a time
  (before) vs over the distinct white-space pieces of each chunk (``screens._lower_case_words``);
* the aligned sentences' rows: pandas' ``Series.isin`` (before) vs ``discovery._isin`` (Arrow's ``is_in``);
* the rows of the first ``--pairs`` aligned pairs, tokens given: terms read off the token tuples and the
  shared-context test for every replacement (before, as ``tests/test_labels.py`` keeps it) vs
  ``discovery._pair_rows`` given the term lists.

    python bench/labels_parts.py --processed /tmp/b10/processed
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(f, repeat: int):
    """Return (result, least CPU seconds of `repeat` calls of f)."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        out = f()
        times.append(time.process_time() - t)
    return out, min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processed", required=True, help="prepared folder (sentences.parquet)")
    ap.add_argument("--pairs", type=int, default=100_000, help="aligned pairs whose rows are compared")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    import numpy as np
    import pandas as pd
    import test_labels

    from analysis import labels
    from analysis.labels import discovery as D
    from analysis.labels.screens import _LOWER_WORD, _lower_case_words
    from analysis.resources import stopwords

    sentences = pd.read_parquet(Path(args.processed) / "sentences.parquet")
    col = sentences["sentence_text"]

    def lower_before(chunk=20_000):
        words: set[str] = set()
        for lo in range(0, len(col), chunk):
            words.update(_LOWER_WORD.findall(" ".join(col.iloc[lo:lo + chunk].astype(str).tolist())))
        return frozenset(words)

    rows = []
    (a, ta), (b, tb) = best(lower_before, args.repeat), best(lambda: _lower_case_words(col), args.repeat)
    rows.append(("lower-case words", ta, tb, a == b, f"{len(b)} words, {len(col)} sentences"))

    aligned = labels.align_sentences(sentences)
    ids = pd.unique(np.asarray(aligned["sentence_a"].tolist() + aligned["sentence_b"].tolist(), dtype=object))
    (a, ta), (b, tb) = (best(lambda: sentences["sentence_id"].isin(ids).to_numpy(), args.repeat),
                        best(lambda: D._isin(sentences["sentence_id"], ids), args.repeat))
    rows.append(("rows of the aligned ids", ta, tb, bool((a == b).all()), f"{len(ids)} ids"))

    text = D._texts(sentences, ids)
    terms: dict[str, str] = {}  # word form -> term, as substitutions() fills it
    stop = stopwords("english")
    part = aligned.head(args.pairs)
    pairs = [(text[x], text[y], s >= D.SAME_STATEMENT)
             for x, y, s in zip(part["sentence_a"], part["sentence_b"], part["similarity"], strict=True)]
    tok = {t: D._tokenize(t, terms) for p in pairs for t in p[:2]}
    tl = {t: [k[0] for k in v] for t, v in tok.items()}
    caption = {t: "photo caption or credit" if D._CAPTION.search(t) else "" for t in tok}

    def rows_before():
        saved = D._tokenize
        D._tokenize = lambda t, terms=None: tok[t]  # the reference tokenises; give it the same tokens, untimed
        try:
            return [test_labels._pair_rows_by_tokens(x, y, D.MAX_SPAN, stop, same, caption[x] or caption[y])
                    for x, y, same in pairs]
        finally:
            D._tokenize = saved

    def rows_after():
        return [D._pair_rows(x, y, D.MAX_SPAN, stop, same, caption[x] or caption[y], ka=tok[x], kb=tok[y],
                             terms_a=tl[x], terms_b=tl[y]) for x, y, same in pairs]

    (a, ta), (b, tb) = best(rows_before, args.repeat), best(rows_after, args.repeat)
    rows.append(("rows of aligned pairs", ta, tb, a == b, f"{len(pairs)} pairs, {sum(map(len, b))} rows"))
    for name, ta, tb, same, what in rows:
        print(f"{name:34s} before {ta:6.2f} s  now {tb:6.2f} s  ratio {ta / tb:4.2f}  same: {same}  ({what})")


if __name__ == "__main__":
    main()
