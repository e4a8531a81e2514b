"""The sequence matcher that sentence alignment and quotation linking compare words with.

:class:`SequenceMatcher` is :class:`cydifflib.SequenceMatcher` (the standard library's
Ratcliff-Obershelp algorithm, junk heuristic and tie-breaking, compiled) when the package is
installed, else :class:`difflib.SequenceMatcher`. The two give the same matching blocks,
opcodes and ratios (tests/test_reuse.py compares them on random word sequences and on real
sentences); the compiled one is 5-7x faster on the word lists of news sentences.
"""

from __future__ import annotations

try:  # the compiled port of difflib (same results, faster); optional
    from cydifflib import SequenceMatcher
except ImportError:  # pragma: no cover - depends on what is installed
    from difflib import SequenceMatcher

__all__ = ["SequenceMatcher"]
