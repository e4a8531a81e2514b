"""Model columns of a batch of mentions, built with numpy over the batch's token ids (scoring's path).

:func:`_feature_rows` gives the same features as
:func:`analysis.toward.features._feature_ids_table` (tested equal, pair for pair), as
(row, column) pairs: one short Python step per mention (find its masked sentence, its
target's position, its quotation and VADER sides), then every window, clause, flag and
valence feature of the whole batch as array operations over the masked sentences' token
ids, copied once per mention.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import numpy as np

from analysis.toward.features import (
    _CLAUSE_BREAKS,
    _NEAR,
    _PRONOUNS,
    _REPORTING,
    _VNAMES,
    _WINDOW,
    N_NUMERIC,
    OTHER,
    TARGET,
    _masked,
    _mentions,
    _sequence,
    _stems,
)

if TYPE_CHECKING:
    from analysis.toward.model import TowardModel

_FLAGS = ("f:clausefirst", "f:inquote", "f:hasquote", "f:first", "f:last", "f:saidafter", "f:saidbefore",
          "f:pron", "f:poss")
_POSS = ("'s", "’s")


def _norm(x: np.ndarray) -> np.ndarray:
    """VADER's normalisation, elementwise: the same operations as :func:`features._norm`, so the same bits."""
    return x / np.sqrt(x * x + 15)


def _lookup(names: list[str], table: dict) -> np.ndarray:
    """Return the model column of each name in `table` (-1 when absent): O(names)."""
    return np.fromiter(map(table.get, names, [-1] * len(names)), dtype=np.int64, count=len(names))


def _pair_columns(a: np.ndarray, b: np.ndarray, stem: np.ndarray, width: int,
                  table: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Return the model column of each token pair (a, b) in `table` (-1 when absent), by binary search.

    `a` and `b` are batch token ids (-1: no token), `stem` their number among the stems
    of the model's pair features (-2: none of them; :attr:`TowardModel.pairs`), `table`
    the sorted codes and columns of one kind. O(pairs log vocabulary), no Python per pair.
    """
    x = np.where(a >= 0, stem[a], -1)
    y = np.where(b >= 0, stem[b], -1)
    code = (x + 1) * width + y + 1
    codes, columns = table
    if not len(codes):
        return np.full(len(a), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
    return np.where((x != -2) & (y != -2) & (codes[at] == code), columns[at], -1)


def _feature_rows(model: TowardModel, texts, starts, ends, others) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (row, model column) pairs of every mention's features and the dense features (n, N_NUMERIC).

    Parameters are as :func:`analysis.toward.features._feature_ids_table`'s (one batch of
    mentions: sentence texts, offsets in them, other spans to mask); each row's features
    are the same multiset of columns (-1 for a feature the model does not know), in
    another order, and the dense features are the same numbers, bit for bit (tested).

    Notes
    -----
    O(characters) per distinct sentence (tokens, VADER, masking: :func:`_mentions`),
    O(log tokens) Python per mention (its masked sentence and target position, quotation
    and VADER side by bisection, its side sums), then O(tokens of its sentence) per
    mention in numpy: each mention's masked sentence is copied with its ``<o>`` set to
    ``<t>`` and every feature is a mask over these copies (position relative to the
    target, clause bounds by running maximum / minimum of break positions, flags by
    per-row counts). Distinct tokens and word pairs are looked up in the model once per
    batch. A mention whose token another mention also overlaps builds its own sequence
    (:func:`~analysis.toward.features._sequence`), as before.
    """
    lookup = model.columns
    ids: dict[str, int] = {TARGET: 0, OTHER: 1}
    flat: list[int] = []  # token ids of every masked sentence (and fallback sequence), one after another
    bases: dict[int, tuple | None] = {}  # id(owners) -> (offset, length, runs) or None
    off, length, tpos_l, quote, hasq, pron, poss, has_v = ([] for _ in range(8))
    sums: list[list[float]] = []  # the 8 side sums of mentions whose sentence has VADER valences
    totals: list[float] = []
    vsent: dict[int, tuple] = {}  # id(sentence) -> (values, positives, negatives, count, offset in vflat)
    vflat: list[float] = []  # the valences of every sentence with VADER valences, one after another
    sides: list[tuple[int, int, int, int]] = []  # (k, j, n, offset): left vals[:k], right vals[j:n]

    def put(seq: list[str]) -> int:
        at = len(flat)
        flat.extend([ids.setdefault(x, len(ids)) for x in seq])
        return at

    for sent, s, e, oth, owners in _mentions(texts, starts, ends, others):
        key = id(owners)
        if key not in bases:
            masked = _masked(sent.tokens, oth, owners)
            bases[key] = None if masked is None else (put(masked[0]), len(masked[0]), masked[1])
        base = bases[key]
        tpos = None if base is None else base[2].get((s, e))
        if tpos is None:
            seq, tpos = _sequence(sent.tokens, oth, owners, s, e)
            off.append(put(seq))
            length.append(len(seq))
        else:
            off.append(base[0])
            length.append(base[1])
        tpos_l.append(tpos)
        text = sent.text
        quote.append(bisect.bisect_left(sent.quotes, s) % 2 == 1)
        hasq.append(sent.has_quote)
        mention = text[s:e].lower()
        pron.append(mention in _PRONOUNS)
        poss.append(text[e:e + 2] in _POSS or mention.endswith(_POSS))
        if sent.vader is None:
            has_v.append(False)
            continue
        has_v.append(True)
        v = vsent.get(id(sent))
        if v is None:
            vals = sent.vader[1]
            n = min(len(sent.vader[0]), len(vals))
            v = vsent[id(sent)] = (vals, [x if x > 0 else 0.0 for x in vals], [x if x < 0 else 0.0 for x in vals],
                                   n, len(vflat))
            vflat.extend(vals[:n])
        vals, pos, neg, n, voff = v
        k = min(n, bisect.bisect_right(sent.bounds[1], s))  # left side: vals[:k]
        j = min(n, bisect.bisect_left(sent.bounds[0], e))  # right side: vals[j:n]
        # Python sums, left to right, as features._numbers: the same bits (adding 0.0 changes no sum)
        sums.append([sum(vals[:k]), sum(vals[j:n]), sum(vals[max(0, k - _NEAR):k]), sum(vals[j:min(n, j + _NEAR)]),
                     sum(pos[:k]), sum(neg[:k]), sum(pos[j:n]), sum(neg[j:n])])
        sides.append((k, j, n, voff))
        totals.append(sent.total)
    n_rows = len(off)
    dense = np.zeros((n_rows, N_NUMERIC))
    if not n_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), dense
    names = list(ids)
    stems, pairs = model.pairs
    stem = np.fromiter(map(stems.get, names, [-2] * len(names)), dtype=np.int64, count=len(names))
    width = len(stems) + 1
    tables = {k: _lookup(names, lookup[k]) for k in ("w", "l1", "l2", "l3", "r1", "r2", "r3", "L", "R", "C")}
    first = [x[0] for x in names]
    alnum = np.fromiter(map(str.isalnum, first), dtype=bool, count=len(names))
    word = alnum | (np.asarray(first, dtype=object) == "<")
    breaks, reporting = _stems(_CLAUSE_BREAKS), _stems(_REPORTING)
    brk = np.fromiter((x in breaks for x in names), dtype=bool, count=len(names))
    rep = np.fromiter((x in reporting for x in names), dtype=bool, count=len(names))

    # every mention's sequence, one after another, its target set to <t>
    length_a = np.asarray(length, dtype=np.int64)
    seg_start = np.cumsum(length_a) - length_a
    seg = np.repeat(np.arange(n_rows, dtype=np.int64), length_a)
    total = int(length_a.sum())
    at = np.arange(total, dtype=np.int64)
    tok = np.asarray(flat, dtype=np.int64)[at - seg_start[seg] + np.asarray(off, dtype=np.int64)[seg]]
    tg = seg_start + np.asarray(tpos_l, dtype=np.int64)  # the target's place (within its row: tpos < length)
    tok[tg] = ids[TARGET]
    rel = at - tg[seg]  # position relative to the target
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []

    def add(mask: np.ndarray, values: np.ndarray) -> None:
        rows.append(seg[mask])
        cols.append(values)

    is_word, is_alnum = word[tok], alnum[tok]
    add(is_word, tables["w"][tok[is_word]])  # w: the sentence's words
    wi = np.flatnonzero(is_word)  # b: consecutive words of one row
    same = seg[wi[:-1]] == seg[wi[1:]]
    a, b = wi[:-1][same], wi[1:][same]
    rows.append(seg[a])
    cols.append(_pair_columns(tok[a], tok[b], stem, width, pairs["b"]))
    side = (rel < 0) & (rel >= -3)  # l1..l3, r1..r3: the three tokens each side
    add(side, np.stack([tables["l1"], tables["l2"], tables["l3"]])[-rel[side] - 1, tok[side]])
    side = (rel > 0) & (rel <= 3)
    add(side, np.stack([tables["r1"], tables["r2"], tables["r3"]])[rel[side] - 1, tok[side]])
    side = (rel < 0) & (rel >= -_WINDOW) & is_alnum  # L, R: the words among the four tokens each side
    add(side, tables["L"][tok[side]])
    side = (rel > 0) & (rel <= _WINDOW) & is_alnum
    add(side, tables["R"][tok[side]])
    seg_end = seg_start + length_a
    padded = np.append(tok, -1)  # -1: no token (the row's edge)
    tpos = tg - seg_start
    l2 = np.where(tpos >= 2, padded[tg - 2], -1)
    l1 = np.where(tpos >= 1, padded[tg - 1], -1)
    r1 = np.where(tg + 1 < seg_end, padded[np.minimum(tg + 1, total)], -1)
    r2 = np.where(tg + 2 < seg_end, padded[np.minimum(tg + 2, total)], -1)
    every = np.arange(n_rows, dtype=np.int64)
    rows += [every, every]
    cols += [_pair_columns(l2, l1, stem, width, pairs["l12"]), _pair_columns(r1, r2, stem, width, pairs["r12"])]
    # C: the words of the target's clause, between the nearest breaks (or the row's edges)
    is_brk = brk[tok]
    last = np.maximum.accumulate(np.where(is_brk, at, -1))
    nxt = np.minimum.accumulate(np.where(is_brk, at, total)[::-1])[::-1]
    lo = np.where(tpos > 0, np.maximum(np.append(last, -1)[tg - 1] + 1, seg_start), tg)
    hi = np.minimum(np.append(nxt, total)[tg + 1], seg_end)
    side = (at >= lo[seg]) & (at < hi[seg]) & (rel != 0) & is_alnum
    add(side, tables["C"][tok[side]])
    # f: flags, in _flags' terms
    fixed = lookup["fixed"]
    left_words = np.bincount(seg, weights=is_alnum & (rel < 0), minlength=n_rows)
    right_words = np.bincount(seg, weights=is_alnum & (rel > 0), minlength=n_rows)
    is_rep = rep[tok]
    said_after = np.bincount(seg, weights=is_rep & (rel > 0) & (rel <= 3), minlength=n_rows)
    said_before = np.bincount(seg, weights=is_rep & (rel < 0) & (rel >= -3), minlength=n_rows)
    flags = (lo == tg, np.asarray(quote), np.asarray(hasq), left_words == 0, right_words == 0, said_after > 0,
             said_before > 0, np.asarray(pron), np.asarray(poss))
    for name, on in zip(_FLAGS, flags, strict=True):
        rows.append(every[on])
        cols.append(np.full(int(on.sum()), fixed.get(name, -1), dtype=np.int64))
    if sums:
        where = np.flatnonzero(np.asarray(has_v))
        dense[where, :4] = _norm(np.asarray(sums)[:, :4])
        dense[where, 4] = totals
        dense[where, 5:] = _norm(np.asarray(sums)[:, 4:])
        _valence_columns(np.asarray(vflat, dtype=float), np.asarray(sides, dtype=np.int64), where, fixed, rows, cols)
    return np.concatenate(rows), np.concatenate(cols), dense


def _valence_columns(vflat: np.ndarray, sides: np.ndarray, where: np.ndarray, fixed: dict, rows: list,
                     cols: list) -> None:
    """Add the ``v:`` features of the mentions with VADER valences (rows `where`) to `rows` and `cols`.

    A mention's valences left of it are ``vflat[offset:offset + k]`` (read from the target
    outwards), right of it ``vflat[offset + j:offset + n]``; ``sides`` holds (k, j, n,
    offset). One feature per non-zero valence by side, distance (1st-2nd, 3rd-5th, further)
    and sign, as :func:`~analysis.toward.features._valence_names`, counted from running
    counts of positive and negative valences. O(mentions + valences).
    """
    k, j, n, at = sides.T
    counts = {1: np.concatenate([[0], np.cumsum(vflat > 0)]), 0: np.concatenate([[0], np.cumsum(vflat < 0)])}
    k2, k5, j2, j5 = np.maximum(k - 2, 0), np.maximum(k - 5, 0), np.minimum(j + 2, n), np.minimum(j + 5, n)
    ranges = {"L": ((k2, k), (k5, k2), (0 * k, k5)), "R": ((j, j2), (j2, j5), (j5, n))}  # distances 1-2, 3-5, 6+
    for side, bounds in ranges.items():
        for d, (a, b) in enumerate(bounds):
            for sign, run in counts.items():
                c = run[at + np.maximum(b, a)] - run[at + a]
                rows.append(np.repeat(where, c))
                cols.append(np.full(int(c.sum()), fixed.get(_VNAMES[side][d][sign], -1), dtype=np.int64))
