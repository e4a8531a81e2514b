"""Turn a report's tables into plain-language findings, honest about what they support.

Each ``*_findings`` function reads the tables one notebook wrote and returns one row per
finding (:data:`FINDING_COLUMNS`). A finding is ``supported`` only when its numbers
support it (a difference whose confidence interval excludes zero, non-overlapping
intervals, a q-value under :data:`Q_LEVEL`, a label that one outlet alone uses); every other
finding is still listed, worded as what the data *cannot* tell. Each carries the numbers,
the figure, the notebook section and one sentence of evidence behind it.
"""

from __future__ import annotations

import pandas as pd

Q_LEVEL = 0.05  # false-discovery rate under which a keyness difference is called supported
FINDING_COLUMNS = ("section", "outlet", "finding", "supported", "evidence", "figure", "notebook", "heading")


def _row(section, outlet, finding, supported, evidence="", figure="", notebook="", heading=""):
    return dict(zip(FINDING_COLUMNS, (section, outlet, finding, bool(supported), evidence, figure,
                                      notebook, heading)))


def _kwic_line(lines: pd.DataFrame) -> str:
    """Return the first KWIC line of `lines` as "…left[match]right…", or "" when there is none."""
    if lines.empty:
        return ""
    first = lines.iloc[0]
    return f"…{first['left']}[{first['match']}]{first['right']}…"


def _ci(est, low, high, digits=2) -> str:
    return f"{est:+.{digits}f} (95% CI {low:+.{digits}f} to {high:+.{digits}f})"


def corpus_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Describe the corpus: articles per outlet, and what one article per outlet implies.

    Parameters
    ----------
    tables : dict
        Report tables by name; uses ``corpus``.

    Returns
    -------
    list of dict
        Rows with :data:`FINDING_COLUMNS`.
    """
    corpus = tables.get("corpus")
    if corpus is None or corpus.empty:
        return []
    per = corpus.groupby("outlet").size()
    text = (f"{len(corpus)} articles from {len(per)} outlets, {corpus['words'].sum():,} words "
            f"({per.min()}–{per.max()} articles per outlet).")
    if per.max() == 1:
        text += (" With one article per outlet, every outlet difference below is also a difference "
                 "between two single articles, written on different days.")
    return [_row("corpus", "", text, True, figure="corpus_size", notebook="00_corpus", heading="Outlets")]


def term_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """State each outlet's most distinctive term, and whether it survives correction.

    Parameters
    ----------
    tables : dict
        Uses ``terms_keyness`` (and ``terms_keyness_kwic`` for evidence).

    Returns
    -------
    list of dict
        One row per outlet, plus one per term with q below :data:`Q_LEVEL`.
    """
    k = tables.get("terms_keyness")
    if k is None or k.empty:
        return []
    k = k[k["comparison"] == "vs rest"]
    lines = tables.get("terms_keyness_kwic", pd.DataFrame(columns=["outlet", "query", "left", "match", "right"]))
    rows = []
    for outlet, part in k.groupby("outlet", sort=True):
        top = part.sort_values("log_odds_z", ascending=False, kind="stable").iloc[0]
        ok = top["q_value"] < Q_LEVEL
        ev = lines[(lines["outlet"] == outlet) & (lines["query"] == top["term"])]
        evidence = _kwic_line(ev)
        text = (f"{outlet}'s most distinctive term is '{top['term']}': {int(top['count'])} uses "
                f"({top['per_1k']:.1f} per 1,000 words) against {int(top['count_rest'])} in the rest "
                f"({top['per_1k_rest']:.1f}); log-odds z = {top['log_odds_z']:.2f}, q = {top['q_value']:.2f}.")
        if not ok:
            text += " No difference this size survives correction for the number of terms tested."
        rows.append(_row("terms", outlet, text, ok, evidence, "terms_distinctive", "10_terms", "Distinctive"))
    for r in k[k["q_value"] < Q_LEVEL].itertuples():
        direction = "more" if r.log_odds_z > 0 else "less"
        rows.append(_row("terms", r.outlet, f"{r.outlet} uses '{r.term}' {direction} than the rest: "
                         f"{int(r.count)} against {int(r.count_rest)} (q = {r.q_value:.3f}).", True,
                         figure="terms_distinctive", notebook="10_terms", heading="Distinctive"))
    return rows


def sentiment_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Compare the most negative and most positive outlets, and sentiment toward the main actor.

    Parameters
    ----------
    tables : dict
        Uses ``sentiment_outlets``, ``sentiment_differences`` and ``sentiment_entities``.

    Returns
    -------
    list of dict
        The outlet comparison, then the most-mentioned entity's comparison.
    """
    o = tables.get("sentiment_outlets")
    if o is None or len(o) < 2:
        return []
    o = o.sort_values("mean_compound", kind="stable")
    lo, hi = o.iloc[0], o.iloc[-1]
    d = tables.get("sentiment_differences", pd.DataFrame(columns=["a", "b", "excludes_zero"]))
    pair = d[((d["a"] == lo.outlet) & (d["b"] == hi.outlet)) | ((d["a"] == hi.outlet) & (d["b"] == lo.outlet))]
    ok = bool(len(pair) and pair.iloc[0]["excludes_zero"])
    text = (f"Mean sentence tone (VADER compound, −1 to +1) ranges from {lo.outlet} "
            f"{_ci(lo.mean_compound, lo.ci_low, lo.ci_high)}, n = {int(lo.n_sentences)} sentences, to "
            f"{hi.outlet} {_ci(hi.mean_compound, hi.ci_low, hi.ci_high)}, n = {int(hi.n_sentences)}.")
    text += (" The difference between them is supported (its interval excludes zero)." if ok else
             " Their intervals overlap: this corpus cannot tell the outlets' tone apart.")
    rows = [_row("sentiment", "", text, ok, figure="sentiment_outlets", notebook="20_sentiment", heading="Outlets")]
    e = tables.get("sentiment_entities")
    if e is not None and len(e):
        top = e.groupby("entity")["n_mentions"].sum().sort_values(ascending=False, kind="stable").index[0]
        part = e[(e["entity"] == top) & (e["n_units"] >= 2)].sort_values("mean_compound", kind="stable")
        if len(part) >= 2:
            a, b = part.iloc[0], part.iloc[-1]
            ok = a.ci_high < b.ci_low
            text = (f"Sentences mentioning {top} are most negative in {a.outlet} "
                    f"{_ci(a.mean_compound, a.ci_low, a.ci_high)}, n = {int(a.n_units)}, and least in "
                    f"{b.outlet} {_ci(b.mean_compound, b.ci_low, b.ci_high)}, n = {int(b.n_units)}. ")
            text += ("The intervals do not overlap." if ok else
                     "The intervals overlap, so no outlet difference toward him or it is supported.")
            rows.append(_row("sentiment", "", text, ok, figure="sentiment_entities", notebook="20_sentiment",
                             heading="entities"))
    return rows


def _with_exact_bounds(part: pd.DataFrame) -> pd.DataFrame:
    """Widen bootstrap intervals to at least the Clopper-Pearson interval of k of n sentences.

    A bootstrap of a share of 0 (or 1) has zero width, which would call "0 of 19 sentences"
    different from "2 of 20"; the exact binomial interval (0 to 18% for 0 of 19) does not.
    """
    from scipy.stats import binomtest

    exact = [binomtest(int(k), int(n)).proportion_ci(0.95, method="exact") if n else (0.0, 1.0)
             for k, n in zip(part["sentences_with_frame"], part["sentences"])]
    return part.assign(ci_low=[min(lo, e.low) for lo, e in zip(part["ci_low"], exact)],
                       ci_high=[max(hi, e.high) for hi, e in zip(part["ci_high"], exact)])


def frame_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Name, for each generic frame, the outlets that carry it most and least.

    Parameters
    ----------
    tables : dict
        Uses ``frames`` (scheme ``semetko_valkenburg``) and ``frames_kwic`` for evidence.

    Returns
    -------
    list of dict
        One row per generic frame present in at least one outlet.
    """
    f = tables.get("frames")
    if f is None or f.empty:
        return []
    f = f[f["scheme"] == "semetko_valkenburg"]
    kw = tables.get("frames_kwic", pd.DataFrame(columns=["outlet", "frame", "left", "match", "right"]))
    rows = []
    for frame, part in f.groupby("frame", sort=True):
        part = _with_exact_bounds(part.sort_values("share_sentences", kind="stable"))
        lo, hi = part.iloc[0], part.iloc[-1]
        if hi.share_sentences == 0 or len(part) < 2:
            continue
        ok = hi.ci_low > lo.ci_high
        ev = kw[(kw["outlet"] == hi.outlet) & (kw["frame"] == frame)]
        evidence = _kwic_line(ev)
        text = (f"The {frame.replace('_', ' ')} frame is cued in {hi.share_sentences:.0%} of {hi.outlet}'s "
                f"sentences (95% CI {hi.ci_low:.0%}–{hi.ci_high:.0%}, {int(hi.hits)} cue hits) and "
                f"{lo.share_sentences:.0%} of {lo.outlet}'s ({lo.ci_low:.0%}–{lo.ci_high:.0%}). ")
        text += "The intervals do not overlap." if ok else "The intervals overlap: no supported difference."
        rows.append(_row("framing", hi.outlet, text, ok, evidence, "frames_pointrange", "30_framing", "Frame-profile"))
    return rows


def label_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Find labels for a shared concept that only one or two outlets use.

    Parameters
    ----------
    tables : dict
        Uses ``labels`` (concept, outlet, label, count, quoted) and ``labels_kwic``.

    Returns
    -------
    list of dict
        One row per (concept, label) used by at most two outlets while at least two more
        outlets name the concept otherwise; most frequent labels first.
    """
    lab = tables.get("labels")
    if lab is None or lab.empty:
        return []
    kw = tables.get("labels_kwic", pd.DataFrame(columns=["outlet", "label", "left", "match", "right"]))
    used = lab[lab["count"] > 0]
    rows = []
    for (concept, label), part in used.groupby(["concept", "label"], sort=True):
        naming = used.loc[used["concept"] == concept, "outlet"].nunique()
        if len(part) > 2 or naming < len(part) + 2:
            continue
        count, quoted = int(part["count"].sum()), int(part["quoted"].fillna(0).sum())
        where = (" — all inside quotations: the word is a source's, not the outlets' own" if quoted == count
                 else f" ({quoted} inside quotations)" if quoted else " (in their own narration)")
        who = " and ".join(part["outlet"])
        verb = "uses" if len(part) == 1 else "use"
        ev = kw[kw["outlet"].isin(part["outlet"]) & (kw["label"] == label)]
        evidence = _kwic_line(ev)
        rows.append((count, _row("labels", who, f"Only {who} {verb} '{label}' for "
                                 f"{concept.replace('_', ' ')}: {count} time(s){where}; "
                                 f"{naming - len(part)} other outlet(s) name it otherwise.",
                                 True, evidence, "labels_heatmap", "30_framing", "labels")))
    return [r for _, r in sorted(rows, key=lambda cr: -cr[0])]


def actor_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Name each outlet's most-mentioned actor, with its share of the outlet's mentions.

    Parameters
    ----------
    tables : dict
        Uses ``actors`` (outlet, actor, mentions, share, first_position).

    Returns
    -------
    list of dict
        One row per outlet (descriptive counts: always ``supported``).
    """
    a = tables.get("actors")
    if a is None or a.empty:
        return []
    rows = []
    for outlet, part in a.groupby("outlet", sort=True):
        top = part.sort_values(["mentions", "actor"], ascending=[False, True], kind="stable").iloc[0]
        rows.append(_row("actors", outlet, f"{outlet} mentions {top.actor} most: {int(top.mentions)} of "
                         f"{int(part['mentions'].sum())} actor mentions ({top.share:.0%}), first in the "
                         f"{top.first_position}.", True, figure="actors_prominence", notebook="30_framing",
                         heading="Actors"))
    return rows


def voice_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """Compare whose words each outlet quotes: the two most-quoted speakers, outlet by outlet.

    Parameters
    ----------
    tables : dict
        Uses ``voices`` (outlet, speaker, n_quotes, n_words, outlet_quoted_words, voice_share).

    Returns
    -------
    list of dict
        One row per outlet quoting either speaker (descriptive counts: ``supported``).
    """
    v = tables.get("voices")
    if v is None or v.empty:
        return []
    top = v.groupby("speaker")["n_words"].sum().sort_values(ascending=False, kind="stable").index[:2].tolist()
    if len(top) < 2:
        return []
    a, b = top
    rows = []
    for outlet, part in v.groupby("outlet", sort=True):
        words = part.set_index("speaker")["n_words"]
        wa, wb = int(words.get(a, 0)), int(words.get(b, 0))
        if wa == wb == 0:
            continue
        total = int(part["outlet_quoted_words"].iloc[0])
        if wa and wb:
            ratio = wa / wb if wa >= wb else wb / wa
            more, less = (a, b) if wa >= wb else (b, a)
            text = (f"{outlet} quotes about as many words of {more} as of {less}" if ratio < 1.2 else
                    f"{outlet} quotes {ratio:.1f} times as many words of {more} as of {less}")
        else:
            text = f"{outlet} quotes {a if wa else b} and never {b if wa else a}"
        rows.append(_row("voices", outlet, f"{text} ({a}: {wa}, {b}: {wb} of {total} quoted words).", True,
                         figure="voices_share", notebook="40_voices_reuse", heading="voice"))
    return rows


def reuse_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """State the most closely related pair of articles and what the next pair shares.

    Parameters
    ----------
    tables : dict
        Uses ``reuse_pairs``, ``reuse_alignments`` (evidence) and ``corpus`` (outlets).

    Returns
    -------
    list of dict
        One row, or none without shared text.
    """
    pairs = tables.get("reuse_pairs")
    if pairs is None or pairs.empty:
        return []
    pairs = pairs.assign(_share=pairs[["shared_share_a", "shared_share_b"]].max(axis=1))
    pairs = pairs.sort_values("_share", ascending=False, kind="stable")
    top = pairs.iloc[0]
    outlet = tables.get("corpus", pd.DataFrame(columns=["article_id", "outlet"])).set_index("article_id")["outlet"]
    name = lambda art: f"{art[:3]} ({outlet.get(art, '?')})"  # noqa: E731
    text = (f"Articles {name(top.article_a)} and {name(top.article_b)} share {top.shared_share_a:.0%} and "
            f"{top.shared_share_b:.0%} of their words in {int(top.n_passages)} passages, with "
            f"{int(top.n_aligned)} reworded sentences aligned")
    text += f"; no other pair shares more than {pairs.iloc[1]['_share']:.0%}." if len(pairs) > 1 else "."
    al = tables.get("reuse_alignments", pd.DataFrame(columns=["article_a", "article_b", "diff"]))
    al = al[(al["article_a"] == top.article_a) & (al["article_b"] == top.article_b)]
    evidence = str(al.iloc[0]["diff"]) if len(al) else ""
    return [_row("reuse", "", text, True, evidence, "reuse_matrix", "40_voices_reuse", "reuse")]


def fact_findings(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """List figures only one outlet reports, and any conflicting figures.

    Parameters
    ----------
    tables : dict
        Uses ``fact_matrix`` (fact, unit, value, one column per outlet, n_outlets) and
        ``fact_conflicts``.

    Returns
    -------
    list of dict
        Conflicts first, then one row per outlet with figures no other outlet reports.
    """
    m = tables.get("fact_matrix")
    if m is None or m.empty:
        return []
    rows = [_row("facts", f"{c.outlet_a} / {c.outlet_b}", f"{c.outlet_a} reports {c.fact_a} where {c.outlet_b} "
                 f"reports {c.fact_b} for {c.quantity}.", True, f"{c.surface_a} / {c.surface_b}",
                 "facts_matrix", "40_voices_reuse", "Facts")
            for c in tables.get("fact_conflicts", pd.DataFrame()).itertuples()]
    outlets = [c for c in m.columns if c not in ("fact", "unit", "value", "n_outlets")]
    for outlet in outlets:
        only = m[(m["n_outlets"] == 1) & (m[outlet] > 0)]["fact"].tolist()
        if only:
            rows.append(_row("facts", outlet, f"Only {outlet} reports {', '.join(only)}.", True,
                             figure="facts_matrix", notebook="40_voices_reuse", heading="Facts"))
    return rows


SECTIONS = (corpus_findings, term_findings, sentiment_findings, frame_findings, label_findings, actor_findings,
            voice_findings, reuse_findings, fact_findings)


def collect_findings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return every finding the report's tables support or fail to support.

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The report's tables by name (see :func:`analysis.corpus.read_tables`); sections
        whose tables are missing give no findings.

    Returns
    -------
    pandas.DataFrame
        One row per finding, columns :data:`FINDING_COLUMNS`, in section order.

    Examples
    --------
    >>> t = {"labels": pd.DataFrame({"concept": ["gov"] * 3, "outlet": ["A", "B", "B"],
    ...                              "label": ["regime", "government", "regime"], "count": [0, 2, 1],
    ...                              "quoted": [0, 0, 1]}),
    ...      "corpus": pd.DataFrame({"outlet": ["A", "B"], "words": [10, 20]})}
    >>> collect_findings(t)["finding"].tolist()[0]
    '2 articles from 2 outlets, 30 words (1–1 articles per outlet). With one article per outlet, \
every outlet difference below is also a difference between two single articles, written on different days.'
    """
    rows = [row for section in SECTIONS for row in section(tables)]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
