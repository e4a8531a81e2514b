"""Cue syntax and matching: whole words, stems, phrases; leftmost-longest, never overlapping."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from analysis.clean import fold_for_matching
from analysis.errors import ParameterError

_NONWORD = re.compile(r"[^\w ]")  # every non-word character is a separator (one for one)
_SEP = "  "  # between texts: two spaces, which no cue key contains, so no match crosses


# ------------------------------------------------------------------------------ cue syntax
def cue_key(cue: str) -> tuple[str, bool]:
    """Return the matching key of a cue and whether it is a stem.

    Parameters
    ----------
    cue : str
        A lexicon entry: a word, a stem ending in ``*``, or a phrase.

    Returns
    -------
    (str, bool)
        The folded key (accents and case folded, every non-word character a space, spaces
        collapsed) and True when the entry ended in ``*``.

    Raises
    ------
    ParameterError
        For an empty entry or a ``*`` anywhere but at the end.

    Notes
    -----
    Cost: O(length of the cue).

    Examples
    --------
    >>> cue_key("Sanction*")
    ('sanction', True)
    >>> cue_key("  U.S.  Díaz-Canel ")
    ('u s diaz canel', False)
    """
    text = str(cue).strip()
    stem = text.endswith("*")
    body = text[:-1] if stem else text
    if "*" in body:
        raise ParameterError(f"cue {cue!r}: '*' is only allowed at the end (a stem)")
    key = " ".join(_NONWORD.sub(" ", fold_for_matching(body)).split())
    if not key:
        raise ParameterError(f"cue {cue!r}: empty after removing punctuation")
    return key, stem


def cue_kind(cue: str) -> str:
    """Return "phrase", "stem" or "word" for a lexicon entry.

    Notes
    -----
    Cost: O(length of the cue).

    Examples
    --------
    >>> [cue_kind(c) for c in ["war", "sanction*", "make a deal", "human right*"]]
    ['word', 'stem', 'phrase', 'phrase']
    """
    key, stem = cue_key(cue)
    return "phrase" if " " in key else "stem" if stem else "word"


def match_text(text: str) -> str:
    """Return `text` as the matcher sees it: folded, every non-word character a space.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        Same length as `text` (offsets stay valid).

    Notes
    -----
    Pure-ASCII text is only lower-cased: for it, :func:`analysis.clean.fold_for_matching`
    differs from ``str.lower`` only on characters that become spaces anyway (a backtick),
    and skipping the folding table makes matching several times faster.
    Cost: O(length of the text).

    Examples
    --------
    >>> match_text("Díaz-Canel’s “make a deal”")
    'diaz canel s  make a deal '
    """
    folded = text.lower() if text.isascii() else fold_for_matching(text)
    return _NONWORD.sub(" ", folded)


class CueMatcher:
    """Find cues in texts: whole words, leftmost-longest, never overlapping.

    Parameters
    ----------
    cues : sequence of str
        Lexicon entries (see :func:`cue_key`). Results refer to them by position.

    Notes
    -----
    Cost: building the automaton O(total length of the cues); ``find`` O(characters plus
    candidate matches x log of them) (one folding pass over all texts, Aho-Corasick, then a
    vectorised overlap pass), independent of the number of cues.

    Examples
    --------
    >>> m = CueMatcher(["deal", "make a deal", "sanction*"])
    >>> m.find(["They must make a deal.", "New sanctions, no deal"])
    [(0, 10, 21, 1), (1, 4, 13, 2), (1, 18, 22, 0)]
    """

    def __init__(self, cues: Sequence[str]):
        import ahocorasick

        self.cues = [str(c) for c in cues]
        keys: dict[str, list[int]] = {}  # key -> [word cue index, stem cue index], -1 if none
        for i, cue in enumerate(self.cues):
            key, stem = cue_key(cue)
            slot = keys.setdefault(" " + key, [-1, -1])
            if slot[stem] < 0:  # the first of two identical entries wins
                slot[stem] = i
        self._auto = ahocorasick.Automaton()
        for kid, key in enumerate(keys):
            self._auto.add_word(key, kid)
        self._length = np.array([len(k) for k in keys], dtype=np.int64)
        self._entry = np.array(list(keys.values()), dtype=np.int64).reshape(-1, 2)
        if keys:
            self._auto.make_automaton()

    def find(self, texts: Iterable[str]) -> list[tuple[int, int, int, int]]:
        """Return ``(text index, start, end, cue index)`` for every match, in text order.

        A word or phrase matches when a non-word character (or the text's edge) lies on
        both sides; a stem extends to the end of the word. Of overlapping candidates the
        leftmost wins, then the longest, then a word over a stem of the same span.
        """
        return self.find_prepared(prepare_texts(texts))

    def find_prepared(self, prepared: tuple[str, np.ndarray]) -> list[tuple[int, int, int, int]]:
        """Return what :meth:`find` returns, for texts already passed through :func:`prepare_texts`.

        One preparation serves several matchers (:func:`analysis.frames.find_cues` matches
        each scheme of a lexicon in the same prepared texts).
        """
        joined, starts = prepared
        if not len(starts) or not len(self._length):
            return []
        found = np.array(list(self._auto.iter(joined)), dtype=np.int64).reshape(-1, 2)
        if not len(found):
            return []
        chars = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8)  # 1 byte/char
        spaces = np.flatnonzero(chars == 32)
        last, kid = found[:, 0], found[:, 1]
        begin, end = last - self._length[kid] + 2, last + 1
        word, stem = self._entry[kid, 0], self._entry[kid, 1]
        is_word = (word >= 0) & (chars[end] == 32)
        is_stem = stem >= 0
        stem_end = spaces[np.searchsorted(spaces, end[is_stem])]
        cand = np.concatenate([
            np.stack([begin[is_word], end[is_word], np.zeros(is_word.sum(), np.int64), word[is_word]], 1),
            np.stack([begin[is_stem], stem_end, np.ones(is_stem.sum(), np.int64), stem[is_stem]], 1)])
        cand = cand[np.lexsort((cand[:, 3], cand[:, 2], -cand[:, 1], cand[:, 0]))]
        cand = cand[_non_overlapping(cand[:, 0], cand[:, 1])]
        which = np.searchsorted(starts, cand[:, 0], side="right") - 1
        local = cand[:, :2] - starts[which][:, None]
        return list(zip(which.tolist(), local[:, 0].tolist(), local[:, 1].tolist(),
                        cand[:, 3].tolist(), strict=True))


def prepare_texts(texts: Iterable[str]) -> tuple[str, np.ndarray]:
    """Return the texts as the matcher reads them: one folded string, and where each text starts in it.

    Parameters
    ----------
    texts : iterable of str
        The texts (sentences).

    Returns
    -------
    (str, numpy.ndarray)
        ``" " + match_text(text_0) + "  " + match_text(text_1) + ... + " "`` and the offset
        of each text in it.

    Notes
    -----
    Each text is folded as :func:`match_text` folds it (ASCII text only lower-cased), then
    the non-word characters of the joined string become spaces in one pass (folding maps
    one character to one and the separator is spaces, so this equals ``match_text`` text
    by text). Cost: O(characters).

    Examples
    --------
    >>> joined, starts = prepare_texts(["A deal.", "Sanctions!"])
    >>> joined, starts.tolist()
    (' a deal   sanctions  ', [1, 10])
    """
    texts = [str(t) for t in texts]
    if not texts:
        return " ", np.zeros(0, dtype=np.int64)
    folded = _SEP.join(t.lower() if t.isascii() else fold_for_matching(t) for t in texts)
    joined = " " + _NONWORD.sub(" ", folded) + " "  # one substitution pass instead of one per text
    lengths = np.fromiter((len(t) + len(_SEP) for t in texts), dtype=np.int64, count=len(texts))
    return joined, np.concatenate([[1], 1 + np.cumsum(lengths)[:-1]])


def _non_overlapping(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Return the mask of spans a greedy left-to-right pass keeps (none overlapping).

    Spans must be sorted by begin, then by preference (longest first). A span that no
    earlier span reaches is certainly kept, and resets the pass; that part is vectorised.
    Only spans reached by an earlier one (rare in text) are decided one by one, each from
    the end of the last kept span of its run.
    """
    if not len(begin):
        return np.zeros(0, dtype=bool)
    reach_all = np.concatenate([[np.iinfo(np.int64).min], np.maximum.accumulate(end)[:-1]])
    keep = begin >= reach_all
    run_start = np.flatnonzero(keep)
    run_of = np.cumsum(keep) - 1
    begins, ends, runs = begin.tolist(), end.tolist(), run_of.tolist()
    current, reach = -1, 0
    for i in np.flatnonzero(~keep).tolist():
        if runs[i] != current:
            current, reach = runs[i], ends[run_start[runs[i]]]
        if begins[i] >= reach:
            keep[i] = True
            reach = ends[i]
    return keep
