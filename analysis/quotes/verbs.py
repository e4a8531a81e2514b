"""Reporting verbs: their lemmas, inflected forms and classes (neutral or loaded)."""

from __future__ import annotations

import re

# Reporting verbs by class. Neutral: verbs that report without judging (the list,
# plus the usual attribution verbs of news style guides). Loaded: verbs that signal doubt,
# emphasis, conflict or emotion (the list, extended from the AP Stylebook's
# warning about "said" substitutes). A verb's class is a property of the word, not of
# its use: "warned" is loaded even when the speaker really warned.
NEUTRAL_VERBS = ("say", "tell", "write", "add", "state", "note", "post", "explain", "reply",
                 "respond", "report", "indicate", "announce", "describe", "ask", "continue",
                 "comment", "tweet", "mention", "reference", "observe", "recall", "remark",
                 "answer", "confirm", "reiterate", "speak", "suggest", "according to", "promise", "pledge",
                 "predict", "testify", "recount", "point out", "call", "concur", "offer", "conclude",
                 "characterize", "read", "put it")
LOADED_VERBS = ("claim", "insist", "admit", "warn", "vow", "deny", "concede", "declare", "slam",
                "criticize", "criticise", "condemn", "reject", "blast", "boast", "threaten",
                "accuse", "allege", "assert", "emphasize", "emphasise", "stress", "argue", "urge",
                "demand", "hint", "acknowledge", "complain", "charge", "proclaim", "lament",
                "retort", "scoff", "fume", "brag", "lash out", "joke", "quip", "riff", "muse", "shout", "yell",
                "exclaim", "plead", "decry", "protest", "dismiss", "caution", "contend", "counter")
VERB_CLASSES = {**{v: "neutral" for v in NEUTRAL_VERBS}, **{v: "loaded" for v in LOADED_VERBS}}
_IRREGULAR = {"say": ("say", "says", "said", "saying"), "tell": ("tell", "tells", "told", "telling"),
              "write": ("write", "writes", "wrote", "written", "writing"),
              "speak": ("speak", "speaks", "spoke", "speaking"),
              "lash out": ("lash out", "lashes out", "lashed out", "lashing out"),
              "read": ("reads", "read"),
              "point out": ("point out", "points out", "pointed out", "pointing out"),
              "put it": ("put it", "puts it", "putting it")}  # "as Livy put it, “...”"
_DOUBLING = ("admit", "slam", "brag", "commit")  # final consonant doubles: admitted


def _forms(lemma: str) -> tuple[str, ...]:
    """Return the inflected forms of a reporting verb."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma == "according to":
        return ("according to",)
    if lemma in _DOUBLING:
        return lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    if lemma.endswith("e"):
        return lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    if lemma.endswith(("ss", "sh", "ch", "x")):
        return lemma, lemma + "es", lemma + "ed", lemma + "ing"
    return lemma, lemma + "s", lemma + "ed", lemma + "ing"


# Verbs match in lower case or all capitals (headlines); title case ("Says") only for verbs
# whose title-case forms are not common nouns or names ("States", "Reports", "Posts").
_NO_TITLE_CASE = ("state", "post", "note", "charge", "report", "answer", "demand", "stress",
                  "call", "offer", "counter", "protest", "read", "comment", "continue", "speak", "reference",
                  "mention", "add", "blast", "tweet")
_VERB_LEMMA = {f: lemma for lemma in VERB_CLASSES for f in _forms(lemma)}
_VERB_SURFACES = {**{f: lem for f, lem in _VERB_LEMMA.items()},
                  **{f.upper(): lem for f, lem in _VERB_LEMMA.items()},
                  **{f[0].upper() + f[1:]: lem for f, lem in _VERB_LEMMA.items() if lem not in _NO_TITLE_CASE}}


def _trie_pattern(words) -> str:
    """Return a regular expression matching exactly `words`, written as a character trie.

    ``said|says|saying`` becomes ``sa(?:i(?:d)|y(?:ing|s)?)``-like nesting: at each character
    the engine follows the one branch the text allows and tries the longer words first (a
    greedy optional tail), so a match at a position is the longest word there that the rest of
    the pattern accepts: what an alternation of the words sorted longest first gives, which
    tries every word at every position (600 surfaces: 10x slower on abp-2013 texts; the tests
    compare the two on real texts). O(total characters of the words).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        kids = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not kids:
            return ""
        body = kids[0] if len(kids) == 1 else "(?:" + "|".join(kids) + ")"
        if "" in node:  # a word ends here: the longer words first, then this one
            return "(?:" + body + ")?" if len(kids) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(trie)


# The longest verb form at a word start, not followed by a word character or hyphen (the
# alternation of the surfaces sorted longest first, written as a trie: _trie_pattern).
_VERB_RE = re.compile(r"\b(" + _trie_pattern(_VERB_SURFACES) + r")(?![\w-])")
