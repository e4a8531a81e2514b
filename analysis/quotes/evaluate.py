"""Score speakers against hand-labelled quotations: the rule that decides "same speaker", and matching.

The scorer of issue 17's labelled sets (``tests/data/speakers_*.tsv``): a labelled quotation is
found when an extracted quotation of its article contains its snippet, and the speaker is
right by :func:`same_speaker`. :mod:`analysis.train_speakers` labels its training candidates
with the same rule, so the model learns what the tests score.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.clean import fold_for_matching
from analysis.quotes.columns import QUOTE, SPEAKER, UNATTRIBUTED

TITLE_TOKENS = frozenset("mr mrs ms dr sen senator rep gov governor president speaker general gen adm lt col".split())


def _name_tokens(name: str) -> list[str]:
    folded = re.sub(r"['’]s\b", "", fold_for_matching(name).lower())  # "Bush's campaign" is the Bush campaign
    words = re.findall(r"[a-z0-9]+(?:['’-][a-z0-9]+)*", folded)
    return words[1:] if words[:1] == ["the"] and len(words) > 1 else words  # "The New York Times" is "New York Times"


def same_speaker(predicted: str, gold: str) -> bool:
    """Tell whether `predicted` names the speaker `gold` ("A|B": any of the spellings).

    People: the surnames (last words) agree and, if the prediction has a first name too, it is
    the gold one's first name ("Cruz", "Sen. Ted Cruz" and "Ted Cruz" are Ted Cruz; "Fred
    Turnbaugh" is not Diana Turnbaugh). Organisations: the same words, a leading "the" aside.
    "(unattributed)" is right
    when it is one of the alternatives ("California High-Speed Rail Authority|(unattributed)"
    accepts either, as the labelled files' headers say).

    Parameters
    ----------
    predicted : str
        A speaker as extracted.
    gold : str
        The labelled speaker, spellings separated by ``|``.

    Returns
    -------
    bool

    Notes
    -----
    Title words (:data:`TITLE_TOKENS`) are dropped from the prediction; accents and case are
    folded. O(length of the names).

    Examples
    --------
    >>> same_speaker("Sen. Ted Cruz", "Ted Cruz"), same_speaker("Fred Turnbaugh", "Diana Turnbaugh")
    (True, False)
    >>> same_speaker("(unattributed)", "Amtrak|(unattributed)"), same_speaker("(unattributed)", "Amtrak")
    (True, False)
    """
    alternatives = gold.split("|")
    if predicted == UNATTRIBUTED:
        return UNATTRIBUTED in alternatives
    pred = [w for w in _name_tokens(predicted) if w not in TITLE_TOKENS]
    for alt in alternatives:
        if alt == UNATTRIBUTED:
            continue
        want = _name_tokens(alt)
        if pred == want:
            return True
        if pred and want and pred[-1] == want[-1] and (len(pred) == 1 or want[0] in pred):
            return True
    return False


def match_labels(labels: pd.DataFrame, quotes: pd.DataFrame) -> list:
    """Return, for each labelled quotation in order, the index of the extracted quotation holding it (or None).

    Parameters
    ----------
    labels : pandas.DataFrame
        ``corpus``, ``article_id``, ``quote`` (a snippet); one row per labelled quotation.
    quotes : pandas.DataFrame
        Extracted quotations, ``article_id`` as ``"<corpus>/<article_id>"``.

    Returns
    -------
    list
        One entry per row of `labels`: an index label of `quotes`, or None when not found.

    Notes
    -----
    Each label takes the first quotation holding its snippet (accents, case and quote marks
    folded) that no label has taken yet (a snippet repeated in the article takes the next
    one); only when there is none may it share a quotation another snippet took: one quotation
    running over three paragraphs, labelled paragraph by paragraph, is found three times.
    O(labels x quotations).

    Examples
    --------
    >>> lab = pd.DataFrame({"corpus": "c", "article_id": "a", "quote": ["one", "two"]})
    >>> match_labels(lab, pd.DataFrame({"article_id": "c/a", "quote": ["One. Two."]}))
    [0, 0]
    """
    text = quotes[QUOTE].map(lambda t: fold_for_matching(t).lower())
    used: set[tuple[int, str]] = set()
    out = []
    for r in labels.itertuples(index=False):
        snippet = fold_for_matching(r.quote).lower()
        mine = (quotes["article_id"] == f"{r.corpus}/{r.article_id}") & text.str.contains(snippet, regex=False)
        taken = {i for i, _ in used}
        hit = [i for i in quotes.index[mine] if i not in taken] or \
            [i for i in quotes.index[mine] if (i, snippet) not in used]
        if not hit:
            out.append(None)
            continue
        used.add((hit[0], snippet))
        out.append(hit[0])
    return out


def score_speakers(labels: pd.DataFrame, quotes: pd.DataFrame) -> tuple[float, float, list, int]:
    """Return (recall, speaker accuracy among found, errors, labelled) for labelled quotations.

    Parameters
    ----------
    labels : pandas.DataFrame
        ``corpus``, ``article_id``, ``quote``, ``speaker``.
    quotes : pandas.DataFrame
        :func:`analysis.quotes.extract_quotes` output, ``article_id`` as ``"<corpus>/<article_id>"``.

    Returns
    -------
    tuple
        Recall (found / labelled), accuracy (right / found), the errors as tuples
        ``(article_id, snippet, gold, predicted, cue)`` or ``(..., "NOT FOUND")``, and the
        number of labels.

    Notes
    -----
    Matching by :func:`match_labels`, rightness by :func:`same_speaker`. O(labels x quotations).

    Examples
    --------
    >>> lab = pd.DataFrame({"corpus": "c", "article_id": "a", "quote": ["one"], "speaker": ["Ted Cruz"]})
    >>> q = pd.DataFrame({"article_id": "c/a", "quote": ["One."], "speaker": ["Cruz"], "cue": ["after"]})
    >>> score_speakers(lab, q)[:2]
    (1.0, 1.0)
    """
    found = correct = 0
    errors = []
    for r, i in zip(labels.itertuples(index=False), match_labels(labels, quotes), strict=True):
        if i is None:
            errors.append((r.article_id, r.quote, r.speaker, "NOT FOUND"))
            continue
        found += 1
        got = quotes.at[i, SPEAKER]
        if same_speaker(got, r.speaker):
            correct += 1
        else:
            errors.append((r.article_id, r.quote, r.speaker, got, quotes.at[i, "cue"]))
    return found / len(labels), correct / max(found, 1), errors, len(labels)
