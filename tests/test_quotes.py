"""Tests for analysis.quotes: quotation scanning, attribution, voice share, cross-outlet links."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import entities as E
from analysis import quotes as Q
from analysis.quotes.evaluate import same_speaker, score_speakers  # the scorer (also imported from here)
from analysis.sentences import split_sentences

DC, TR, RU, SH = "Miguel Díaz-Canel", "Donald Trump", "Marco Rubio", "Claudia Sheinbaum"
RO, HA = "Bruno Rodríguez", "Mike Hammer"
MIN = "Cuban Ministry of Foreign Affairs"
BUR = "Bureau of Western Hemisphere Affairs"
GOV = "Cuban government"

# Hand-labelled gold list, written by reading data/raw/*.txt (not from the extractor's
# output): (article prefix, first words of the quotation, speaker). Every direct
# quotation of the five articles, including short fragments ("too late").
GOLD = [
    ("000", "We remain ready", DC), ("000", "hostility, intimidation", DC), ("000", "make an agreement", TR),
    ("000", "too late", TR), ("000", "talking to Cuba", TR), ("000", "free, independent and", DC),
    ("000", "to the last drop of our", DC), ("000", "I had a very good", SH), ("000", "regarding the sovereignty", SH),
    ("000", "Cooperation and collaboration", SH),
    ("001", "We have always been", DC), ("001", "hostility, threats", DC), ("001", "make a deal", TR),
    ("001", "talking to Cuba", TR), ("001", "free, independent, and", DC), ("001", "to the last drop of blood", DC),
    ("001", "We had a very good", SH), ("001", "Collaboration and cooperation", SH),
    ("002", "Cuba is a free", DC), ("002", "does not aggress", DC), ("002", "turn everything into", DC),
    ("002", "Cuba lived, for many", TR), ("002", "I strongly suggest", TR), ("002", "in combat actions", GOV),
    ("002", "absolute right", RO), ("002", "The US is behaving", RO), ("002", "talking to Cuba", TR),
    ("002", "were forced out", TR), ("002", "a lot of trouble", RU), ("002", "Sounds good to me", TR),
    ("002", "sovereign equality, mutual", DC),
    ("003", "make a deal", TR), ("003", "There are no conversations", DC), ("003", "We’re talking with Cuba", TR),
    ("003", "THERE WILL BE NO MORE", TR), ("003", "I strongly suggest", TR),
    ("003", "ready to defend the homeland", DC),
    ("003", "ready to fall", TR), ("003", "If I lived in Havana", RU), ("003", "Most importantly", TR),
    ("004", "Cuba is a failing nation", TR), ("004", "So we're talking", TR), ("004", "threat to the security", MIN),
    ("004", "host any foreign", MIN), ("004", "maintain a respectful", MIN), ("004", "shouted some insults", HA),
    ("004", "I think they belong", HA), ("004", "The illegitimate Cuban regime", BUR), ("004", "Our diplomats", BUR),
    ("004", "make a deal soon", TR), ("004", "NO MORE OIL OR MONEY", TR), ("004", "ready to fall", TR),
    ("004", "food and other products", SH), ("004", "We never discussed", SH),
]


@pytest.fixture(scope="module")
def bundled_quotes(bundled_articles, bundled_sentences):
    return Q.extract_quotes(bundled_articles, bundled_sentences, aliases=E.load_aliases(E.SHIPPED_ALIASES))


def _score(quotes: pd.DataFrame) -> tuple[float, float, list]:
    """Return (recall, speaker accuracy among found, misses) against GOLD."""
    found, correct, misses = 0, 0, []
    used: set[tuple[int, str]] = set()
    for art, start, speaker in GOLD:
        cand = quotes[quotes["article_id"].str.startswith(art) & quotes["quote"].str.startswith(start)]
        cand = cand[~cand.index.isin(used)]
        if cand.empty:
            misses.append((art, start, "not found"))
            continue
        found += 1
        used.add(cand.index[0])
        if cand["speaker"].iloc[0] == speaker:
            correct += 1
        else:
            misses.append((art, start, cand["speaker"].iloc[0]))
    return found / len(GOLD), correct / max(found, 1), misses


def test_bundled_recall_and_speaker_accuracy(bundled_quotes):
    recall, accuracy, misses = _score(bundled_quotes)
    print(f"gold quotations {len(GOLD)}: recall {recall:.3f}, speaker accuracy {accuracy:.3f}; misses {misses}")
    assert recall >= 0.9 and accuracy >= 0.9, misses
    assert len(bundled_quotes) <= len(GOLD) + 2  # no flood of false quotations


@pytest.mark.parametrize("speaker", [DC, TR, RU, SH, RO, HA, MIN, BUR])
def test_every_required_speaker_is_attributed(bundled_quotes, speaker):
    gold = sum(s == speaker for _, _, s in GOLD)
    got = (bundled_quotes["speaker"] == speaker).sum()
    assert got >= 1 and abs(got - gold) <= 1


def test_quote_offsets_point_into_the_text(bundled_quotes, bundled_articles):
    text = dict(zip(bundled_articles["article_id"], bundled_articles["text"]))
    for r in bundled_quotes.itertuples():
        span = text[r.article_id][r.start_char:r.end_char]
        assert span[0] in "“\"'‘«„" and span[-1] in "”\"'’»"
        assert r.quote.split()[0] in span


# --- scanning: (text, expected quotations as written, expected problems) --------------------
@pytest.mark.parametrize("text, spans, problems", [
    ("He said “no talks” today.", ["“no talks”"], []),  # curly
    ('He said "no talks" today.', ['"no talks"'], []),  # straight
    ("He said ''no talks'' today.", ["''no talks''"], []),  # doubled single
    ("“He told me ‘never’ twice,” she said.", ["“He told me ‘never’ twice,”"], []),  # single inside double
    ("“One. Two! Three?” he asked.", ["“One. Two! Three?”"], []),  # several sentences
    ("“First paragraph.\n\n“Second paragraph,” he said.", ["“First paragraph.\n\n“Second paragraph,”"], []),
    ("“We are ready,” she said, “and calm.”", ["“We are ready,”", "“and calm.”"], []),  # interrupted
    ("Trump says Cuba 'ready to fall'", ["'ready to fall'"], []),  # headline style
    ("“NO MORE OIL – ZERO!” he wrote.", ["“NO MORE OIL – ZERO!”"], []),  # all caps
    ("Cuba’s rock ’n’ roll and the ’90s", [], []),  # apostrophes are not quotes
    ("He said «basta» loudly.", ["«basta»"], []),  # guillemets
    ("He said “no talks.\n\nNext paragraph “is fine” here.", ["“is fine”"], [(8, "“", "unclosed")]),
    ("He said ” stray then “ok” end.", ["“ok”"], [(8, "”", "unopened")]),
    ("A “stray and “real one” here.", ["“real one”"], [(2, "“", "unclosed")]),
])
def test_scan_quotes(text, spans, problems):
    found, probs = Q.scan_quotes(text)
    assert [text[s:e] for s, e in found] == spans
    assert probs == problems


# --- attribution: one sentence each, expected (speaker, verb lemma, cue) -----------------------
@pytest.mark.parametrize("text, speaker, verb, cue", [
    ("“We are ready,” Jane Doe said.", "Jane Doe", "say", "after"),  # X said
    ("“We are ready,” said Jane Doe.", "Jane Doe", "say", "after"),  # said X
    ("Jane Doe wrote: “We are ready.”", "Jane Doe", "write", "before"),  # X wrote:
    ("“We are ready,” Jane Doe told reporters.", "Jane Doe", "tell", "after"),  # X told reporters
    ("“We are ready,” according to Jane Doe.", "Jane Doe", "according to", "according"),
    ("“NO MORE!” Jane Doe posted on X.", "Jane Doe", "post", "after"),  # X posted on ...
    ("Jane Doe: “No deal.”", "Jane Doe", "", "colon"),  # a colon after a clause naming X
    ("Jane Doe spoke. “We are ready,” she added.", "Jane Doe", "add", "after"),  # pronoun
    ("Jane Doe claimed that Cuba was “ready to fall.”", "Jane Doe", "claim", "clause"),
    ("The Foreign Ministry said: “No.”", "Foreign Ministry", "say", "before"),  # institution (proposed name)
    ("It rained. “Nobody knows.”", Q.UNATTRIBUTED, "", "none"),
])
def test_attribution_rules(text, speaker, verb, cue):
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    q = Q.extract_quotes(arts, split_sentences(arts))
    assert q[["speaker", "verb", "cue"]].iloc[-1].tolist() == [speaker, verb, cue]


def test_role_and_institution_resolve_to_recent_named_speaker():
    text = ("The Bureau of Western Hemisphere Affairs said in a statement: “Stop.”\n\n"
            "“We will continue,” the agency added. The Cuban leader Miguel Díaz-Canel met aides. "
            "“We are ready,” he said.")
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    q = Q.extract_quotes(arts, split_sentences(arts), aliases=E.load_aliases(E.SHIPPED_ALIASES))
    assert q["speaker"].tolist() == [BUR, BUR, DC]
    assert q["speaker_kind"].tolist() == ["name", "generic", "pronoun"]


def test_interrupted_quote_shares_group():
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"],
                         "text": ["“We are ready,” Jane Doe said, “and we are calm.”"]})
    q = Q.extract_quotes(arts, split_sentences(arts))
    assert q["speaker"].tolist() == ["Jane Doe", "Jane Doe"]
    assert q["group"].nunique() == 1


def test_headline_quotes_are_extracted():
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "headline": ["Trump says Cuba 'ready to fall'"],
                         "text": ["Body without quotations."]})
    q = Q.extract_quotes(arts, split_sentences(arts), aliases=E.load_aliases(E.SHIPPED_ALIASES))
    assert q[["location", "speaker", "verb", "quote"]].values.tolist() == [
        ["headline", TR, "say", "ready to fall"]]


@pytest.mark.parametrize("verb, cls", [("said", "neutral"), ("told", "neutral"), ("claimed", "loaded"),
                                       ("insisted", "loaded"), ("admitted", "loaded"), ("denied", "loaded"),
                                       ("slammed", "loaded"), ("wrote", "neutral"), ("vowed", "loaded")])
def test_verb_classes(verb, cls):
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [f"“Fine,” Jane Doe {verb}."]})
    assert Q.extract_quotes(arts, split_sentences(arts))["verb_class"].tolist() == [cls]


def test_voice_share_matches_hand_count(bundled_quotes):
    v = Q.voice_share(bundled_quotes)
    for outlet, grp in bundled_quotes.groupby("outlet"):
        total = grp["n_words"].sum()
        mine = v[v["outlet"] == outlet]
        assert mine["voice_share"].sum() == pytest.approx(1.0, abs=1e-5)
        for r in mine.itertuples():  # independent count from the quotes table
            assert r.n_words == grp.loc[grp["speaker"] == r.speaker, "n_words"].sum()
            assert r.voice_share == pytest.approx(r.n_words / total, abs=1e-6)


def test_quote_coverage_counts_words(bundled_articles, bundled_quotes):
    cov = Q.quote_coverage(bundled_articles, bundled_quotes)
    assert (cov["quoted_share"].between(0, 1)).all()
    row = cov[cov["article_id"].str.startswith("003")].iloc[0]
    assert row["n_quotes"] == 9 and row["quoted_words"] == bundled_quotes[
        bundled_quotes["article_id"].str.startswith("003")]["n_words"].sum()


def test_link_quotes_finds_talking_to_cuba_across_outlets(bundled_quotes, bundled_sentences):
    links = Q.link_quotes(bundled_quotes, bundled_sentences)
    groups = links[links["status"] == "quoted"].groupby("quote_group")["article_id"].nunique()
    assert groups.max() >= 3  # "talking to Cuba" is quoted by 000, 001, 002 (and 003 "talking with Cuba")
    dc = links[links["text"].str.contains("sovereign equality", na=False)]
    assert dc["article_id"].nunique() >= 2
    quoted = links[links["status"] == "quoted"]
    assert (quoted.groupby("quote_group")["speaker"].nunique() == 1).all()  # no chaining across speakers
    talking = quoted[quoted["text"].str.startswith("talking to Cuba")]
    assert talking["quote_group"].nunique() == 1 and talking["article_id"].str[:3].tolist() == ["000", "001", "002"]


def test_missing_column_raises():
    from analysis.errors import SchemaError

    with pytest.raises(SchemaError, match="text"):
        Q.extract_quotes(pd.DataFrame({"article_id": ["a"], "outlet": ["X"]}), pd.DataFrame())


# --- generated input: never crash, never swallow across paragraphs ----------------------------
_ALPHABET = st.sampled_from(list("ab Cd.,:\n") + ["“", "”", "‘", "’", "'", '"', "''", "«", "»", "„", "\n\n",
                                                   " said ", " Trump ", " he "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_scan_quotes_never_crashes_on_generated_text(text):
    spans, problems = Q.scan_quotes(text)
    last = -1
    for s, e in spans:
        assert 0 <= s < e <= len(text) and s >= last  # in order, not overlapping
        last = e
        inner = text[s:e]
        for brk in [i for i in range(len(inner)) if inner.startswith("\n\n", i)]:
            rest = inner[brk:].lstrip()
            assert rest[:1] in "“„«\"'`”"  # crosses a paragraph only into a continuation
    for pos, mark, problem in problems:
        assert text[pos:pos + len(mark)] == mark and problem in ("unclosed", "unopened")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_extract_quotes_never_crashes_on_generated_articles(text):
    arts = pd.DataFrame({"article_id": ["g"], "outlet": ["X"], "headline": [text[:30]], "text": [text]})
    q = Q.extract_quotes(arts, split_sentences(arts))
    assert set(q["verb_class"]) <= {"neutral", "loaded", "none"}
    Q.quote_problems(arts)


# --- cost: attribution is linear in paragraph length (issue 14) -------------------------------
def _calls_in_quotes(monkeypatch, n: int) -> tuple[int, pd.DataFrame]:
    """Extract quotations from one paragraph of `n` attributed quotations; count Python calls
    made inside analysis.quotes (generator steps included), the work a quadratic scan repeats."""
    import sys
    from pathlib import Path

    root = str(Path(Q.__file__).parent if Q.__file__.endswith("__init__.py") else Q.__file__)
    text = " ".join(["Trump said “no.”"] * n)
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    sents = pd.DataFrame({"sentence_id": ["a/0"], "article_id": ["a"], "outlet": ["X"], "start": [0],
                          "sentence_text": [text]})  # one sentence row: mentions only need offsets
    aliases = pd.DataFrame({"entity": ["Donald Trump"], "type": ["person"], "kind": ["surname"],
                            "alias": ["Trump"]})
    calls = [0]

    def count(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(root):
            calls[0] += 1
    sys.setprofile(count)
    try:
        q = Q.extract_quotes(arts, sents, aliases=aliases, headlines=False)
    finally:
        sys.setprofile(None)
    return calls[0], q


def test_attribution_work_grows_linearly_with_paragraph_length(monkeypatch):
    small, q_small = _calls_in_quotes(monkeypatch, 150)
    large, q_large = _calls_in_quotes(monkeypatch, 600)
    assert len(q_large) == 600 and (q_large["speaker"] == "Donald Trump").all()
    assert (q_large["quote"] == "no.").all() and q_large["start_char"].is_monotonic_increasing
    # four times the text, at most ~four times the calls (the quadratic scan made 16x, 9.7M at 300)
    assert large <= 4.4 * small, (small, large)


# --- the title-case screen: same strings as the plain pattern, no catastrophic backtracking ----
# The plain (backtracking) form of attribute._TITLE_CASE, kept here as the reference.
_PLAIN_TITLE_CASE = re.compile(r"\W*(?:(?:[A-Z0-9][\w’'-]*|a|an|the|of|in|on|for|to|and|or|with|at|by)"
                               r"[\s,:.!?—–-]*)+[”\"’'»]?")


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(list("ABx19 ,’'-.”—\né_") + ["a", "an", "the", "of", "and"]), max_size=10))
def test_title_case_screen_matches_what_the_plain_pattern_matches(pieces):
    from analysis.quotes.attribute import _TITLE_CASE
    text = "".join(pieces)
    assert bool(_TITLE_CASE.fullmatch(text)) == bool(_PLAIN_TITLE_CASE.fullmatch(text))


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard needs SIGALRM (POSIX)")
def test_all_capitals_quotation_does_not_backtrack():
    # With the plain pattern this one sentence took hours (2^(letters) ways to split the capitals
    # once the final lower-case word fails); it stopped the 4,142-article year slice. The alarm
    # only guards against a hang: the call takes milliseconds.
    text = "The crowd carried signs reading “STOPTHEGOVERNMENTSHUTDOWNNOWANDFOREVER today” on Monday."
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    old = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("title-case screen backtracks"))
    signal.alarm(60)
    try:
        q = Q.extract_quotes(arts, split_sentences(arts))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert q[["speaker", "cue"]].values.tolist() == [[Q.UNATTRIBUTED, "none"]]


# --- speakers on real articles of other stories (issue 17) --------------------------------------
DEV_LABELS = Path(__file__).parent / "data" / "speakers_dev.tsv"
DEV_CORPORA = Path("/work/shared/corpus")


def load_dev_labels() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (labels, quotes extracted by the rules with no alias file from the labelled articles only)."""
    from analysis.train_speakers import _dev_articles

    labels = pd.read_csv(DEV_LABELS, sep="\t", dtype=str, keep_default_na=False)
    arts = _dev_articles(labels, DEV_CORPORA)
    return labels, Q.extract_quotes(arts, split_sentences(arts), aliases=None, speakers="rules")


@pytest.mark.parametrize("predicted, gold, same", [
    ("Cruz", "Ted Cruz", True), ("Sen. Ted Cruz", "Ted Cruz", True), ("Ted Cruz", "Ted Cruz", True),
    ("Fred Turnbaugh", "Diana Turnbaugh", False), ("Turnbaugh", "Diana Turnbaugh", True),
    ("Bernie Sanders", "Bernard Sanders|Bernie Sanders", True), ("Democratic", "Richard Blumenthal", False),
    ("White House", "Raj Shah", False), (Q.UNATTRIBUTED, "Raj Shah", False), ("Díaz-Canel", "Miguel Diaz-Canel", True),
    ("Bush’s campaign", "Bush campaign|Jeb Bush campaign", True), ("Bush", "Bush campaign", False),
])
def test_same_speaker_rule(predicted, gold, same):
    assert same_speaker(predicted, gold) is same


@pytest.fixture(scope="module")
def dev_speakers():
    if not DEV_CORPORA.is_dir():
        pytest.skip(f"development corpora not found at {DEV_CORPORA}")
    return load_dev_labels()


def test_speakers_on_dev_corpora(dev_speakers):
    """Speaker accuracy and recall on 157 hand-labelled quotations of 16 real articles, 14 outlets.

    Issue 17's floors are recall >= 0.95 and speaker accuracy >= 0.87; the floors here sit just
    below what the rules (``speakers="rules"``, which were written on this set) score (all 0.962 =
    150/156 since mixed quotation marks pair, recall 0.994) as a regression guard of the rules:
    every split is development data ("holdout" was labelled after the rules were tuned on "tune"
    and "test", and scored 0.743 at first sight). The learned chooser is scored in
    tests/test_speaker_model.py.
    """
    labels, quotes = dev_speakers
    recall, accuracy, errors, n = score_speakers(labels, quotes)
    print(f"all: {n} labelled quotations, recall {recall:.3f}, speaker accuracy {accuracy:.3f}")
    for split, part in labels.groupby("split", sort=False):
        r, a, e, m = score_speakers(part, quotes)
        print(f"{split}: {m} labelled, recall {r:.3f}, speaker accuracy {a:.3f}; errors {e}")
        assert a >= 0.88, (split, e)
    assert labels["outlet"].nunique() >= 5 and n >= 80
    assert recall >= 0.95, errors
    assert accuracy >= 0.94, errors


@pytest.mark.parametrize("text, speaker, role", [
    ("“We will vote no,” said Democratic Senator Richard Blumenthal.", "Richard Blumenthal", "Democratic Senator"),
    ("“No comment,” White House spokesman Raj Shah said.", "Raj Shah", "White House spokesman"),
    ("“It is over,” said Republican strategist Ron Bonjean. “Done.”", "Ron Bonjean", "Republican strategist"),
    ("“We are ready,” said Paul Begala, who advised the president.", "Paul Begala", ""),
    ("Jane Doe, the head of the agency, said: “We are ready.”", "Jane Doe", ""),
    ("“We have an obligation,” Sen. Mitch McConnell, R-Ky., majority-leader-in-waiting said.", "Mitch McConnell",
     "Sen."),
    ("Asked about Republicans, former Virginia Rep. Tom Davis said: “Absolutely.”", "Tom Davis", "Virginia Rep."),
    ("“We can’t wait two years for a vaccine” to be developed, said Stephen Morse.", "Stephen Morse", ""),
    ("“The deal is dead,” the White House said.", "White House", ""),
    ("Ted Cruz won. “It is a victory,” Cruz said.", "Ted Cruz", ""),  # surname -> the article's full name
    # pronouns: the gender the text marks, and a recent speaker over a name in passing
    ("Mrs. Clinton said she was relieved. She will debate Mr. Sanders next. “It is rare,” she said.", "Clinton",
     ""),
    ("Sanders said he was happy. Clinton spoke later.\n\n“We came from nowhere,” he said.", "Sanders", ""),
])
def test_speaker_sentence_shapes(text, speaker, role):
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    q = Q.extract_quotes(arts, split_sentences(arts))
    assert q[["speaker", "speaker_role"]].iloc[-1].tolist() == [speaker, role]


# --- issue 17, third pass: sentence shapes of real news (invented names; expected speaker and cue) ---
@pytest.mark.parametrize("text, k, speaker, cue", [
    # no reporting verb: the sentence's subject, or the previous sentence's for a quotation of its own
    ("Jane Doe spoke first. She thanked the nurses for putting patients “first.”", -1, "Jane Doe", "subject"),
    ("Late on Tuesday, Jane Doe allowed herself a smile. “We won the argument.”", -1, "Jane Doe", "previous-subject"),
    ("Jane Doe has released a new book, “Immigration Wars,” this week.", -1, Q.UNATTRIBUTED, "none"),  # a title
    ("WASHINGTON — The plan to erase the “stain” failed.", -1, Q.UNATTRIBUTED, "none"),  # a place is no speaker
    # an attribution at the end of the sentence covers its earlier quotations
    ("Smith and Jones have not “closed the deal” yet, but are “moving closer,” Jane Doe said.", 0, "Jane Doe",
     "later"),
    # a colon: the name before its verb, and a colon ending the paragraph before
    ("As John Roe watched, one of the guests, Jane Doe, sang: “Happy days.”", -1, "Jane Doe", "colon"),
    ("Jane Doe sent a statement to reporters:\n\n“We are ready.”", -1, "Jane Doe", "colon"),
    # who is the subject: an aside, a relative "who", a subordinate clause, not the listener of "told"
    ("Rep. John Roe of Michigan, the committee's ranking Democrat, said, “We fear the worst.”", -1, "John Roe",
     "before"),
    ("Critics point to remarks by Jane Doe, the ambassador, who called the attack a “spontaneous protest.”", -1,
     "Jane Doe", "clause"),
    ("While John Roe predicted a win, Sen. Jane Doe, R-Fla., came out against it.\n\n“It is a bad deal,” she said.",
     -1, "Jane Doe", "after"),
    ("An anonymous official told reporter John Roe that they have “axes to grind.”", -1, Q.UNATTRIBUTED, "none"),
    ("As the historian Jane Doe put it, “We are too ill to bear our cures.”", -1, "Jane Doe", "before"),
    ("“We are stuck,” Jane Doe, director of the Acme Center told The Times.", -1, "Jane Doe", "after"),  # no comma
    ("Jane Doe of the Acme Institute spoke.\n\n“It is too late,” said the analyst.", -1, "Jane Doe", "after"),
    # organisations and documents
    ("“We will win,” the Doe campaign wrote in a memo.\n\n“Iowa is not decisive,” the memo concludes.", -1,
     "Doe campaign", "after"),
    ("“Stop this now,” said the letter signed by Sen. Jane Doe.", -1, "Jane Doe", "after"),
    # issue 17, fifth pass: any verb after a comma-closed quotation; "as X put it"; a modifier gives way
    ("Jane Doe spoke at noon.\n\n“Statistics are not on your side,” Doe lectured.", -1, "Jane Doe", "after"),
    ("Jane Doe wrote.\n\n“Workers turn to prayer,” laments The Washington Post.", -1, "Washington Post", "after"),
    ("“An independent voice,” praised the paper on Monday.", -1, Q.UNATTRIBUTED, "none"),  # no name after
    ("The count was close, “a virtual tie,” as Jane Doe put it.", 0, "Jane Doe", "after"),
    ("“We have to improve training,” said Virginia Gov.-elect Jane Doe.", -1, "Jane Doe", "after"),
    ("“They came on in the same old way,” the Duke of Wellington said.", -1, "Duke of Wellington", "later"),
    # a speaker named by a common noun only names no one; nor does a pronoun with no antecedent
    ("Jane Doe spoke first.\n\n“This has gone on for years,” the reporter said.", -1, Q.UNATTRIBUTED, "after"),
    ("“We have seen it double,” he said.", -1, Q.UNATTRIBUTED, "after"),
    # issue 17, sixth pass: a past tense ends the subject's phrase; credits, relays, possessive speech nouns,
    # passive agents, a copula's appositive, glued sentences
    ("Jane Doe dinged President John Roe for the “sequester” fiasco.\n\n“No one can call it a success,” he said.", -1,
     "Jane Doe", "after"),
    ("toggle caption Jack Poe/AP\n\nThe hopes he stated that the vote would “break the fever” failed.", -1,
     Q.UNATTRIBUTED, "clause"),
    ("Jane Doe, the leader of a group, said she was “happy to see it,” the Associated Press reported.", -1,
     "Jane Doe", "clause"),
    ("Attorney General John Roe Jr.’s April 24 statement that the law is a “matter of civil rights” stands.", -1,
     "John Roe", "possessive"),
    ("The Acme Group labeled John Roe’s speech “harshly ideological” on Monday.", -1, "Acme Group", "subject"),
    ("The amendment was quashed as a “poison pill” by Majority Leader John Roe.", -1, "John Roe", "agent"),
    ("It’s not a “revival tour,” as the Daily Beast’s Jane Doe tongue-in-cheeks it.", -1, "Jane Doe", "after"),
    ("John Roe spoke first.\n\nOne of them is Jack Poe, president of a company. He told a hearing about it.\n\n"
     "“It does not meet the standards,” he said.", -1, "Jack Poe", "after"),
    ("Justice John Roe Jr. vehemently disagreed, writing in his dissent: “We cannot rewrite it.”", -1, "John Roe",
     "before"),
    ("John Roe ran. Jack Poe spoke first. “We won,” he said. The vote was next year.Roe made it clear that he will "
     "not quit. “I thought we were friends,” he told reporters.", -1, "John Roe", "after"),  # a scraper glued these
    ("“It was a good day,” Jane Doe, a senior fellow at the Center for International Security and Cooperation at "
     "Stanford University, said this week.", -1, "Jane Doe", "after"),
])
def test_news_sentence_shapes(text, k, speaker, cue):
    """The rules on each shape (``speakers="rules"``, the default; the learned chooser may overrule them)."""
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text]})
    q = Q.extract_quotes(arts, split_sentences(arts), speakers="rules")
    assert q[["speaker", "cue"]].iloc[k].tolist() == [speaker, cue]


# --- the speed-ups keep the answers: one mention call for texts and headlines, kept phrase readings ---
def test_one_mention_call_gives_each_location_the_mentions_two_calls_give():
    from analysis.quotes.extract import _headline_table, _mentions_by_article

    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "Y", "Y"],
                         "headline": ["Trump meets Rubio", None, "Rubio: “No.”"],
                         "text": ["Rubio said “yes.” Trump agreed.", "Trump said “no.”", "Nothing here."]})
    sents = split_sentences(arts)
    aliases = E.load_aliases(E.SHIPPED_ALIASES)
    got = _mentions_by_article(sents, _headline_table(arts), aliases)
    want: dict = {}  # the independent answer: one find_mentions call per location
    for location, table in (("text", sents), ("headline", _headline_table(arts))):
        for r in E.find_mentions(table, aliases=aliases).itertuples(index=False):
            want.setdefault((r.article_id, location), []).append((r.start, r.end, r.entity, r.type, r.kind))
    assert got == want
    assert [m[2] for m in got["a", "headline"]] == [TR, RU] and ("b", "headline") not in got
    assert got["a", "text"][0][:3] == (0, 5, RU)  # offsets into the text, not the headline


def test_kept_phrase_readings_equal_fresh_ones():
    from analysis.quotes.attribute import attribute_article
    from analysis.quotes.names import _cand_at, _read_cand_at

    text = ("Republican strategist Ron Bonjean said “no.” The Virginia Chamber of Commerce agreed, and "
            "Virginia Gov.-elect Terry McAuliffe said “yes,” as did the White House.")
    art, _ = attribute_article(text, [])  # the rules have filled art.named
    assert art.named
    fresh, _ = attribute_article(text, [])
    for m in re.finditer(r"\b\w", text):
        for places in (True, False):
            kept = _cand_at(art, m.start(), places=places)
            assert kept == _read_cand_at(fresh, m.start(), places)  # read anew from the text
            assert _cand_at(art, m.start(), places=places) is kept  # asked again: the kept answer


def test_verb_trie_matches_the_sorted_alternation(bundled_articles):
    """_VERB_RE (a trie) finds what the alternation of the surfaces, longest first, finds."""
    import random

    from analysis.quotes.verbs import _VERB_RE, _VERB_SURFACES

    plain = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _VERB_SURFACES), key=len, reverse=True))
                       + r")(?![\w-])")
    rng = random.Random(3)
    texts = bundled_articles["text"].tolist() + [
        "He said, “no.” SAYS who? Says Ms. Doe, saying-so; according to them, as she put it, lashed out at",
        "stated states statement reads read-out told tells telling"]
    for text in texts:
        assert [(m.span(), m.group(1)) for m in _VERB_RE.finditer(text)] == \
            [(m.span(), m.group(1)) for m in plain.finditer(text)]
        for _ in range(50):
            a = rng.randrange(len(text) + 1)
            b = rng.randrange(a, len(text) + 1)
            for how in ("search", "match", "fullmatch"):
                ours, ref = getattr(_VERB_RE, how)(text, a, b), getattr(plain, how)(text, a, b)
                assert (ours and (ours.span(), ours.group(1))) == (ref and (ref.span(), ref.group(1)))
    for surface in _VERB_SURFACES:
        for tail in ("", "s", "-", "ed", " to", " it"):
            for how in ("match", "fullmatch"):
                ours, ref = getattr(_VERB_RE, how)(surface + tail), getattr(plain, how)(surface + tail)
                assert (ours and ours.group(1)) == (ref and ref.group(1))


def test_case_folded_matches_are_the_case_insensitive_matches(bundled_articles):
    """Pronouns and generic nouns found in the lower-cased text: the spans and groups of the re.I patterns."""
    from analysis.quotes.context import _GENERIC_RE, _PRONOUN_RE, _case_folded_matches

    texts = bundled_articles["text"].tolist() + [
        "THE MINISTRY said; He and SHE, they: It. The Russian foreign Ministry, that agency",
        "İstanbul: the ministry said he", "ſhe and the agency", "The \u212aremlin office said ıt", ""]
    for text in texts:
        pronouns, generics = _case_folded_matches(text)
        for ours, pattern in ((pronouns, _PRONOUN_RE), (generics, _GENERIC_RE)):
            assert [(m.span(), m.span(1), m.group(1).lower()) for m in ours] == \
                [(m.span(), m.span(1), m.group(1).lower()) for m in pattern.finditer(text)]


def test_sentence_end_pattern_is_the_three_branch_original(bundled_articles):
    """_SENT_END_RE (the mark first in every branch) matches what the original alternation matches."""
    import random

    from analysis.quotes.context import _SENT_END_RE

    original = re.compile(r"[.!?][”\"’'»]?\s+(?=\S)|[.!?][”\"»](?=[A-Z])|(?<=[a-z]{2})[.!?](?=[A-Z][a-z])")
    rng = random.Random(11)
    texts = bundled_articles["text"].tolist() + [
        "It ended.”The NRA said. Next year.Enzi made it clear! Why?“No.” A.B. said x.Y ok. ab.Cd e!\n\nF",
        "a.B ab.C abc.De “x.”Z ‘y?’ w", "..  !! ?? .” .»A"]
    for text in texts:
        for _ in range(30):
            a = rng.randrange(len(text) + 1)
            b = rng.randrange(a, len(text) + 1)
            assert [(m.span(), m.group()) for m in _SENT_END_RE.finditer(text, a, b)] == \
                [(m.span(), m.group()) for m in original.finditer(text, a, b)]
        assert [m.span() for m in _SENT_END_RE.finditer(text)] == [m.span() for m in original.finditer(text)]


def test_name_run_and_honorific_patterns_are_the_originals(bundled_articles):
    """speakers._RUN and _HONORIFIC (a capital first, then a look-behind) match what the originals match."""
    from analysis.quotes.speakers import _HONORIFIC, _RUN

    run = re.compile(r"(?<![\w’'])(?:[A-Z][\w’'-]*\.?\s+){0,4}[A-Z][\w’'-]*[A-Za-z]")
    honorific = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z][\w’'-]*\s+){0,2}([A-Z][\w’'-]*[A-Za-z])")
    texts = bundled_articles["text"].tolist() + [
        "A", "AB", "xA Bc", "’Ab Cd", "A. B. Cc", "Ab-Cd Ef’s G.H. Ii", "É Ab", "Mr. A", "xMr. Abc Def",
        "Mrs Abc Def Ghi Jkl", "Miss Ab", "Ms.Ab", "_Mr. Ab", "Sen. Ted Cruz, Mrs. Clinton and Mr Obama"]
    for text in texts:
        assert [m.span() for m in _RUN.finditer(text)] == [m.span() for m in run.finditer(text)]
        assert [(m.span(), m.groups()) for m in _HONORIFIC.finditer(text)] == \
            [(m.span(), m.groups()) for m in honorific.finditer(text)]
