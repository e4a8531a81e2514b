"""Select what is compared: outlets, dates, column values, the largest outlets, groups."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.clean import parse_date
from analysis.errors import ParameterError


def select_articles(
    articles: pd.DataFrame,
    *,
    outlets: Iterable[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    where: dict | None = None,
    top_outlets: int = 0,
    other_outlets: bool = True,
    group_by: str = "",
) -> pd.DataFrame:
    """Return the articles of some outlets, dates and values, optionally grouped.

    Parameters
    ----------
    articles : pandas.DataFrame
        The canonical articles (or any table with ``outlet`` and ``published``).
    outlets : iterable of str, optional
        Outlets to keep; None or empty keeps all. An unknown outlet raises.
    date_from, date_to : str, optional
        Inclusive ISO dates. Articles without a date are kept only when neither is given.
    where : dict, optional
        Column name to condition, all of which must hold: a list keeps rows whose value is
        in it; a string starting with ``~`` is a case-insensitive regular expression searched
        in the value (``{"headline": "~caucus"}``); any other value must be equal
        (``{"topic": "elections"}``). Selects one story from a multi-story export.
    top_outlets : int, default 0
        Keep the N outlets with most (selected) articles, ties broken by name; 0 keeps all.
    other_outlets : bool, default True
        With `top_outlets`, group the remaining outlets as one outlet labelled
        :data:`analysis.schema.OTHER_OUTLETS` (True) or leave them out (False).
    group_by : str, default ""
        A column (``bias``, ``topic``...) whose values replace ``outlet`` as the compared
        unit; the article's own outlet moves to ``source_outlet``. Applied after
        `top_outlets`. Articles with no value in that column are left out (counted).

    Returns
    -------
    pandas.DataFrame
        The selected rows, in their original order, index reset. ``attrs["selection"]``
        says what was kept and left out (articles and outlets before and after), for the
        report to state on its pages.

    Raises
    ------
    ParameterError
        For an unknown outlet or column, a date that is not YYYY-MM-DD, a bad regular
        expression, or a selection that keeps no article.

    Notes
    -----
    O(articles). Grouping makes every comparison in the report one between groups; the
    outlets inside a group stay visible in ``source_outlet``.

    Examples
    --------
    >>> arts = pd.DataFrame({"outlet": ["A", "A", "B", "C"], "published": ["2026-01-01"] * 4,
    ...                      "bias": ["left", "left", "right", None]})
    >>> select_articles(arts, top_outlets=1)["outlet"].tolist()
    ['A', 'A', 'other outlets', 'other outlets']
    >>> sel = select_articles(arts, group_by="bias")
    >>> sel["outlet"].tolist(), sel["source_outlet"].tolist(), sel.attrs["selection"]["no_group_value"]
    (['left', 'left', 'right'], ['A', 'A', 'B'], 1)
    """
    import re

    keep = pd.Series(True, index=articles.index)
    if outlets:
        known = sorted(set(articles[S.OUTLET]))
        unknown = [o for o in outlets if o not in known]
        if unknown:
            raise ParameterError(f"outlets: unknown {unknown}; valid: {known}")
        keep &= articles[S.OUTLET].isin(list(outlets))
    for name, value, op in (("date_from", date_from, "ge"), ("date_to", date_to, "le")):
        if value:
            if parse_date(value) != value:
                raise ParameterError(f"{name}: {value!r} is not a YYYY-MM-DD date")
            pub = articles[S.PUBLISHED].fillna("")
            keep &= (pub != "") & getattr(pub, op)(value)
    for col, cond in (where or {}).items():
        if col not in articles.columns:
            raise ParameterError(f"where: no column {col!r}; columns: {', '.join(map(str, articles.columns))}")
        values = articles[col]
        if isinstance(cond, list):
            keep &= values.isin(cond) | values.astype("string").isin([str(c) for c in cond])
        elif isinstance(cond, str) and cond.startswith("~"):
            try:
                pattern = re.compile(cond[1:], re.I)
            except re.error as exc:
                raise ParameterError(f"where: {col}: {cond!r} is not a regular expression ({exc})") from None
            keep &= values.astype("string").fillna("").map(pattern.search).notna()
        else:
            keep &= (values == cond) | (values.astype("string") == str(cond))
    selected = articles[keep.fillna(False)].reset_index(drop=True)
    info = {"articles_before": len(articles), "outlets_before": int(articles[S.OUTLET].nunique()),
            "articles_selected": len(selected), "top_outlets": top_outlets,
            "other_outlets": bool(other_outlets), "group_by": group_by, "where": where or {}}
    if not len(selected):
        raise ParameterError(f"the selection keeps no article of {len(articles)} (outlets={list(outlets or [])}, "
                             f"date_from={date_from!r}, date_to={date_to!r}, where={where or {}}); loosen it")
    if top_outlets and selected[S.OUTLET].nunique() > top_outlets:
        sizes = selected[S.OUTLET].value_counts()
        order = sorted(sizes.index, key=lambda o: (-sizes[o], o))
        top = set(order[:top_outlets])
        info["outlets_beyond_top"] = len(order) - top_outlets
        info["articles_beyond_top"] = int((~selected[S.OUTLET].isin(top)).sum())
        if other_outlets:
            selected = selected.assign(**{S.SOURCE_OUTLET: selected[S.OUTLET]})
            selected[S.OUTLET] = selected[S.OUTLET].where(selected[S.OUTLET].isin(top), S.OTHER_OUTLETS)
        else:
            selected = selected[selected[S.OUTLET].isin(top)].reset_index(drop=True)
    if group_by:
        if group_by not in selected.columns:
            raise ParameterError(f"group_by: no column {group_by!r}; columns: "
                                 f"{', '.join(map(str, selected.columns))}")
        has = selected[group_by].notna() & (selected[group_by].astype("string").str.strip() != "")
        info["no_group_value"] = int((~has).sum())
        selected = selected[has].reset_index(drop=True)
        if S.SOURCE_OUTLET not in selected.columns:
            selected = selected.assign(**{S.SOURCE_OUTLET: selected[S.OUTLET]})
        selected[S.OUTLET] = selected[group_by].astype(str)
    info.update(articles=len(selected), outlets=int(selected[S.OUTLET].nunique()))
    selected.attrs["selection"] = info
    return selected


def selection_lines(articles: pd.DataFrame) -> list[str]:
    """Return plain sentences saying what :func:`select_articles` kept, for a report page.

    Parameters
    ----------
    articles : pandas.DataFrame
        The result of :func:`select_articles` (or :func:`open_corpus`).

    Returns
    -------
    list of str
        Empty when everything was kept as it is.

    Examples
    --------
    >>> arts = pd.DataFrame({"outlet": ["A", "A", "B", "C"], "published": ["2026-01-01"] * 4})
    >>> for line in selection_lines(select_articles(arts, top_outlets=1, other_outlets=False)):
    ...     print(line)
    Only the 1 outlet(s) with most articles are compared; 2 outlet(s) with 2 article(s) are left out.
    """
    info = articles.attrs.get("selection")
    if not info:
        return []
    lines = []
    if info["articles_selected"] != info["articles_before"]:
        lines.append(f"{info['articles_selected']:,} of {info['articles_before']:,} articles selected "
                     f"(from {info['outlets_before']:,} outlets).")
    if info.get("where"):
        lines.append("Selected where " + "; ".join(f"{k} {v}" for k, v in info["where"].items()) + ".")
    if info.get("outlets_beyond_top"):
        rest = (f"grouped as '{S.OTHER_OUTLETS}'" if info["other_outlets"] else "left out")
        lines.append(f"Only the {info['top_outlets']} outlet(s) with most articles are compared; "
                     f"{info['outlets_beyond_top']:,} outlet(s) with {info['articles_beyond_top']:,} "
                     f"article(s) are {rest}.")
    if info.get("group_by"):
        lines.append(f"Outlets are grouped by '{info['group_by']}' ({info['outlets']} groups); each "
                     f"article's own outlet is in '{S.SOURCE_OUTLET}'"
                     + (f"; {info['no_group_value']:,} article(s) without a value are left out."
                        if info.get("no_group_value") else "."))
    return lines


def publication_days(articles: pd.DataFrame) -> np.ndarray:
    """Return each article's publication date as a day number (NaN when undated), in table order.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table; ``published`` holds ISO dates ("YYYY-MM-DD", as ``prepare``
        writes them) or timestamps (their calendar date is used). Without the column every
        article is undated.

    Returns
    -------
    numpy.ndarray
        float64 days since 1970-01-01; NaN for a missing or unreadable date.

    Examples
    --------
    >>> publication_days(pd.DataFrame({"published": ["1970-01-03", None, "1970-01-01T23:59:00"]})).tolist()
    [2.0, nan, 0.0]

    Notes
    -----
    O(articles). Used wherever articles are compared by how far apart they were published
    (:func:`analysis.reuse.shared_passages`' window, :func:`analysis.facts.fact_conflicts`' days).
    """
    if S.PUBLISHED not in articles.columns:
        return np.full(len(articles), np.nan)
    dates = pd.to_datetime(articles[S.PUBLISHED].astype("string").str.slice(0, 10), format="%Y-%m-%d",
                           errors="coerce")
    return ((dates - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype=float, na_value=np.nan)
