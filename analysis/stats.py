"""Compute bootstrap intervals and multiple-comparison control, seeded and shared.

Small corpora need intervals and raw counts beside every score. The bootstrap here is a
two-stage cluster bootstrap: within each group (an outlet) it resamples clusters (its
articles) with replacement, then units (sentences) within each drawn cluster. With one
article in a group only the second stage varies, so the interval then says nothing about
how the outlet's *other* articles might differ: say so where it matters.
"""

from __future__ import annotations

import hashlib
import zlib

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.errors import ParameterError

DEFAULT_N_BOOT = 2000  # bootstrap replicates; ~0.5 pp Monte Carlo error on a 95% bound
DEFAULT_LEVEL = 0.95  # two-sided confidence level
ESTIMATE = "estimate"
N_CLUSTERS = "n_clusters"


def _rng(seed: int, key: str) -> np.random.Generator:
    """One generator per (seed, group name): a group's interval ignores the other groups."""
    return np.random.default_rng([seed, zlib.crc32(key.encode("utf-8"))])


DRAWS_PER_CHUNK = 2_000_000  # second-stage draws generated at once (bounds memory: ~50 MB)
RUN_SUMS_MIN = 4_096  # entries from which a replicate's sum is one cumsum of its draws, not a bincount share


DRAW_BLOCK = 1 << 16  # bounded draws converted at once by _integers_below (cache-sized: 512 KB of products)
FAST_DRAWS_MIN = 4_096  # draws from which _integers_below converts raw draws itself


def _integers_below(rng: np.random.Generator, bounds: np.ndarray, *, smallest: int | None = None,
                    largest: int | None = None) -> np.ndarray:
    """Return ``rng.integers(0, bounds)``: the same integers, the generator left in the same state.

    NumPy draws an integer below an array bound b (``1 <= b < 2**32``) element by element
    with Lemire's method: a 32-bit word ``w`` (the low then the high half of each 64-bit
    output of PCG64, the unused half kept in the generator as ``has_uint32``/``uinteger``),
    ``m = w * b``, result ``m >> 32``; rejected (the next word tried) when the low 32 bits
    of ``m`` fall below ``(2**32 - b) % b``; a bound of 1 gives 0 and takes no word. Here
    the words come from one ``random_raw`` call and the products are formed a block of
    :data:`DRAW_BLOCK` at a time in numpy; the rare rejection (probability below
    ``b / 2**32``) is settled word by word, and the generator's state is then set as
    NumPy's would be. Anything else (another bit generator, a big-endian machine, a bound
    of 2**32 or more, fewer than :data:`FAST_DRAWS_MIN` draws) calls ``rng.integers``.
    The tests compare both, values and state, with bounds up to 3 x 2**30 (frequent
    rejections). `smallest` and `largest`, when the caller knows them (e.g. the smallest
    and largest cluster), spare the passes that find them; `bounds` may be any integer
    type (uint32 halves the memory read).

    Notes
    -----
    O(len(bounds)) in numpy, about 5 ns a draw where ``rng.integers`` with an array bound
    takes about 11 ns (2,000,000 draws of bounds 10-70; ``bench/bootstrap.py``); memory:
    the words (4 bytes a draw) and one block of products.
    """
    b = np.asarray(bounds)
    b = b if b.dtype.kind in "iu" else b.astype(np.int64)
    bg = rng.bit_generator
    if len(b) < FAST_DRAWS_MIN or not isinstance(bg, np.random.PCG64) or not np.little_endian:
        return rng.integers(0, b.astype(np.int64, copy=False))
    smallest = int(b.min()) if smallest is None else smallest
    largest = int(b.max()) if largest is None else largest
    if smallest < 1 or largest >= 2**32:
        return rng.integers(0, b.astype(np.int64, copy=False))
    idx = None if smallest > 1 else np.flatnonzero(b > 1)  # a bound of 1 takes no word
    bl = (b if idx is None else b[idx]).astype(np.uint32, copy=False)
    k = len(bl)
    out = np.empty(len(b), dtype=np.int64) if idx is None else np.zeros(len(b), dtype=np.int64)
    if k == 0:
        return out
    state = bg.state
    carry = 1 if state["has_uint32"] else 0
    raw = bg.random_raw((k - carry + 1) // 2)
    words = raw.view(np.uint32)  # low half first: little-endian
    if carry:
        words = np.concatenate([np.array([state["uinteger"]], dtype=np.uint32), words])
    last_high = int(raw[-1] >> np.uint64(32)) if len(raw) else state["uinteger"]
    res = out if idx is None else np.empty(k, dtype=np.int64)
    extra = 0  # words taken by rejections so far
    m = np.empty(DRAW_BLOCK, dtype=np.uint64)
    p = 0
    while p < k:
        e = min(p + DRAW_BLOCK, k)
        if e + extra > len(words):  # rejections took the spare words: draw more
            more = bg.random_raw((e + extra - len(words) + 1) // 2)
            last_high = int(more[-1] >> np.uint64(32))
            words = np.concatenate([words, more.view(np.uint32)])
        mb = m[:e - p]
        np.multiply(words[p + extra:e + extra], bl[p:e], out=mb, dtype=np.uint64)
        halves = mb.view(np.uint32)
        low, high = halves[0::2], halves[1::2]
        below = low < bl[p:e]  # a rejection needs low < (2**32 - b) % b < b
        first = None
        for j in (np.flatnonzero(below) if below.any() else ()):
            bj = int(bl[p + j])
            if int(low[j]) < (2**32 - bj) % bj:
                first = int(j)
                break
        if first is None:
            res[p:e] = high
            p = e
            continue
        res[p:p + first] = high[:first]
        bj = int(bl[p + first])
        threshold = (2**32 - bj) % bj
        q = p + first + extra + 1  # the next word
        while True:
            if q >= len(words):
                more = bg.random_raw(1)
                last_high = int(more[-1] >> np.uint64(32))
                words = np.concatenate([words, more.view(np.uint32)])
            x = int(words[q]) * bj
            if (x & 0xFFFFFFFF) >= threshold:
                break
            q += 1
        res[p + first] = x >> 32
        extra = q - (p + first)
        p += first + 1
    state = bg.state
    state["has_uint32"] = len(words) - (k + extra)  # 1: a high half left for the next 32-bit draw
    state["uinteger"] = last_high
    bg.state = state
    if idx is not None:
        out[idx] = res
    return out


def _replicate_sums(weights: np.ndarray, per_rep: np.ndarray, buf: np.ndarray | None = None) -> np.ndarray:
    """Return the sum of each replicate's run of `weights` (runs of ``per_rep`` entries, in order).

    The same floats as ``np.bincount(np.repeat(np.arange(len(per_rep)), per_rep),
    weights=weights)``: both add a run's entries one after another from the first (bincount
    from 0.0, which only turns a -0.0 sum into 0.0, as the final ``+ 0.0`` does here;
    ``np.add.reduceat`` or ``sum`` would add pairwise and give other bits). Used for long
    runs, where it skips the label array and bincount's passes over it. `buf` (at least the
    longest run) is reused for the running sums.

    Real `weights` are summed two runs at a time, as the real and imaginary parts of one
    complex running sum (numpy adds the parts apart, so each part has the bits of its own
    float sum; the shorter run padded with 0.0, which changes no sum but a -0.0, and the
    final ``+ 0.0`` turns that into 0.0 anyway): two independent additions a step instead
    of one, about a third less time than a cumsum per run (90 runs of 20,000-25,000).

    Notes
    -----
    O(entries) in numpy plus one Python step per replicate (so only for runs of
    :data:`RUN_SUMS_MIN` entries or more).
    """
    if weights.dtype.kind == "f" and len(per_rep) > 1:
        return _paired_sums(weights, per_rep)
    ends = np.cumsum(per_rep).tolist()
    longest = int(per_rep.max()) if len(per_rep) else 0
    buf = np.empty(longest, dtype=weights.dtype) if buf is None or len(buf) < longest else buf
    total = np.empty(len(per_rep), dtype=weights.dtype)
    a = 0
    for r, b in enumerate(ends):
        total[r] = np.cumsum(weights[a:b], out=buf[:b - a])[-1] if b > a else 0.0
        a = b
    return total + 0.0


def _paired_sums(weights: np.ndarray, per_rep: np.ndarray) -> np.ndarray:
    """:func:`_replicate_sums` of real `weights`, runs 2r and 2r + 1 as one complex running sum."""
    ends = np.cumsum(per_rep)
    starts = (ends - per_rep).tolist()
    ends = ends.tolist()
    both = np.empty(int(per_rep.max()) if len(per_rep) else 0, dtype=complex)
    total = np.zeros(len(per_rep))
    for r in range(0, len(per_rep), 2):
        if r + 1 == len(per_rep):  # an odd run out: alone
            total[r] = _replicate_sums(weights[starts[r]:ends[r]], per_rep[r:], None)[0]
            break
        la, lb = ends[r] - starts[r], ends[r + 1] - starts[r + 1]
        length = max(la, lb)
        if not length:
            continue
        run = both[:length]
        run.real[:la] = weights[starts[r]:ends[r]]
        run.real[la:] = 0.0
        run.imag[:lb] = weights[starts[r + 1]:ends[r + 1]]
        run.imag[lb:] = 0.0
        last = np.cumsum(run, out=run)[-1]
        total[r], total[r + 1] = last.real, last.imag
    return total + 0.0


def _replicates(values: np.ndarray, clusters: np.ndarray, n_boot: int,
                rng: np.random.Generator, counts: np.ndarray | None = None) -> np.ndarray:
    """Return `n_boot` bootstrap means of `values` (two-stage when several clusters).

    `values` of shape (entries, k) gives k columns of means from the same draws, shape
    (k, n_boot): each row the floats `values[:, j]` alone would give (the draws are drawn
    once and each column summed on its own). With `counts`, each entry of `values` is a
    *sum* over ``counts`` units (a whole inner cluster, e.g. an article's sentences) and
    the replicate mean is sum / units. `clusters` may be labels or integer codes in the
    labels' sorted order (the same draws either way).

    Notes
    -----
    Vectorised: O(n_boot x entries) time in chunks of :data:`DRAWS_PER_CHUNK` draws, no loop
    over rows. The draws are most of it (the second stage, one bound per draw: 60% of the
    time with ``rng.integers``, about 40% with :func:`_integers_below`, the same integers;
    one outlet of 600 articles of 38 sentences); around them each replicate's
    sum is a bincount over replicate labels for small groups, and for groups of
    :data:`RUN_SUMS_MIN` entries or more one ``cumsum`` per replicate
    (:func:`_replicate_sums`: the same floats without the label array, about 15% less CPU
    on one group of 151,148 entries in 4,000 clusters; ``bench/bootstrap.py``). Each
    further column of `values` adds its gather and sums, not its draws; two such columns
    (an outlet's scores with and without a lexicon change) are gathered and summed as one
    complex column, whose real and imaginary parts numpy adds apart, each with the bits of
    its own float sum (tested): one outlet of 600 articles of 38 sentences, 0.52 CPU s for
    both columns against 0.50 for one (0.82 summed apart).
    """
    values = np.asarray(values)
    cols = np.atleast_2d(values.T)  # one row per value column
    _, inverse = np.unique(clusters, return_inverse=True)
    n_clusters = int(inverse.max()) + 1 if len(inverse) else 0
    if n_clusters == 1 and counts is None:  # one cluster: resample units (the bundled corpus's case)
        idx = rng.integers(0, cols.shape[1], size=(n_boot, cols.shape[1]))
        means = np.stack([np.ascontiguousarray(c)[idx].mean(axis=1) for c in cols])
        return means if values.ndim == 2 else means[0]
    order = np.argsort(inverse, kind="stable")
    vals = cols[:, order].astype(float)  # (k, entries), each row contiguous
    units = None if counts is None else counts[order].astype(float)
    sizes = np.bincount(inverse, minlength=n_clusters)
    starts = np.cumsum(sizes) - sizes
    bound_type = np.uint32 if sizes.max() < 2**32 else np.int64
    smallest, largest = int(sizes.min()), int(sizes.max())
    out = np.empty((len(vals), n_boot))
    chunk = max(1, DRAWS_PER_CHUNK // max(vals.shape[1], 1))
    runs = vals.shape[1] >= RUN_SUMS_MIN
    buf = None
    paired = cbuf = None
    if runs and len(vals) == 2:  # two columns as one complex column: one gather, one cumsum for both
        paired = np.empty(vals.shape[1], dtype=complex)
        paired.real, paired.imag = vals
        cbuf = np.empty(vals.shape[1], dtype=complex)
    for b0 in range(0, n_boot, chunk):
        nb = min(chunk, n_boot - b0)
        drawn = rng.integers(0, n_clusters, size=(nb, n_clusters)).ravel()  # stage 1: clusters
        d_size = sizes[drawn]
        pick = _integers_below(rng, np.repeat(d_size.astype(bound_type), d_size),  # stage 2: a draw per entry
                               smallest=smallest, largest=largest)
        pick += np.repeat(starts[drawn], d_size)
        per_rep = d_size.reshape(nb, n_clusters).sum(axis=1)
        if runs:
            buf = np.empty(int(per_rep.max())) if buf is None or len(buf) < per_rep.max() else buf
            n = per_rep.astype(float) if units is None else _replicate_sums(units[pick], per_rep, buf)
            if paired is not None:
                both = _replicate_sums(paired[pick], per_rep, cbuf)
                out[0, b0:b0 + nb], out[1, b0:b0 + nb] = both.real / n, both.imag / n
                continue
            for j, v in enumerate(vals):
                out[j, b0:b0 + nb] = _replicate_sums(v[pick], per_rep, buf) / n
        else:
            rep = np.repeat(np.arange(nb), per_rep)
            # units drawn: a replicate's entry count (each entry one unit), or the drawn counts summed
            n = per_rep.astype(float) if units is None else np.bincount(rep, weights=units[pick], minlength=nb)
            for j, v in enumerate(vals):
                out[j, b0:b0 + nb] = np.bincount(rep, weights=v[pick], minlength=nb) / n
    return out if values.ndim == 2 else out[0]


def _cluster_columns(cluster) -> list[str]:
    if cluster is None:
        return []
    cols = [cluster] if isinstance(cluster, str) else list(cluster)
    if not 1 <= len(cols) <= 2 or not all(isinstance(c, str) for c in cols):
        raise ParameterError(f"cluster: {cluster!r}; use None, a column, or [outer, inner] columns "
                             "(e.g. ['outlet', 'article_id'])")
    return cols


def _group_replicates(part: pd.DataFrame, value: str, cols: list[str], n_boot: int,
                      rng: np.random.Generator) -> np.ndarray:
    """Bootstrap means of one group: units, one cluster level, or [outer, inner] levels."""
    vals = part[value].to_numpy(dtype=float)
    if not cols:
        return _replicates(vals, np.zeros(len(vals)), n_boot, rng)
    if len(cols) == 1:
        return _replicates(vals, part[cols[0]].astype(str).to_numpy(), n_boot, rng)
    outer, inner = (part[c].astype(str).to_numpy() for c in cols)
    key = pd.MultiIndex.from_arrays([outer, inner])
    codes, uniq = pd.factorize(key, sort=True)
    sums = np.bincount(codes, weights=vals, minlength=len(uniq))
    counts = np.bincount(codes, minlength=len(uniq))
    return _replicates(sums, uniq.get_level_values(0).to_numpy(), n_boot, rng, counts=counts)


class _Layout:
    """Rows of each group, and cluster codes, computed once for a whole table.

    Cluster labels are compared as strings (as :func:`_group_replicates` does); their codes
    follow the labels' sorted order, so a group's draws are those of its own labels. With
    ``[outer, inner]`` clusters, ``pair`` codes each (outer, inner) pair in sorted order and
    ``pair_outer`` gives each pair's outer code.
    """

    def __init__(self, df: pd.DataFrame, keys: list[str], ccols: list[str], *, dropna: bool):
        grouped = df.groupby(keys, sort=True, dropna=dropna)
        codes = grouped.ngroup().to_numpy(dtype=float)  # NaN: a row of a dropped (NaN) group
        sizes = grouped.size()
        self.names = [n if isinstance(n, tuple) else (n,) for n in sizes.index]
        kept = np.flatnonzero(~np.isnan(codes))
        order = kept[np.argsort(codes[kept], kind="stable")]  # rows by group, table order within
        bounds = np.cumsum(sizes.to_numpy())
        self.rows = np.split(order, bounds[:-1]) if len(bounds) else []
        self.lengths = np.array([len(r) for r in self.rows], dtype=np.int64)  # rows of each group
        self.outer = self.pair = self.pair_outer = None
        # Arrow text stays Arrow (no Python string per row: +144 -> +55 MB for 1.65 million article
        # ids); factorize sorts it in code-point order, as Python sorts the strings: the same codes
        labels = [df[c].astype(str).array for c in ccols]
        if len(ccols) >= 1:
            self.outer = pd.factorize(labels[0], sort=True)[0]
        if len(ccols) == 2:
            self.pair, uniq = pd.factorize(pd.MultiIndex.from_arrays(labels), sort=True)
            self.pair_outer = pd.factorize(uniq.get_level_values(0), sort=True)[0]

    def replicates(self, rows: np.ndarray, values: np.ndarray, n_boot: int, seed: int, key: str) -> np.ndarray:
        """Equal to :func:`_group_replicates` on the group's rows with ``_rng(seed, key)``.

        `values` of shape (rows, k): the k columns' replicates from the same draws, (k, n_boot).
        """
        vals = values[rows]
        if self.outer is None:
            return _memo_replicates(vals, np.zeros(len(vals), dtype=np.int64), n_boot, seed, key)
        if self.pair is None:
            return _memo_replicates(vals, np.unique(self.outer[rows], return_inverse=True)[1], n_boot, seed, key)
        uniq, codes = np.unique(self.pair[rows], return_inverse=True)
        if vals.ndim == 2:
            sums = np.column_stack([np.bincount(codes, weights=v, minlength=len(uniq)) for v in vals.T])
        else:
            sums = np.bincount(codes, weights=vals, minlength=len(uniq))
        counts = np.bincount(codes, minlength=len(uniq))
        outer = np.unique(self.pair_outer[uniq], return_inverse=True)[1]
        return _memo_replicates(sums, outer, n_boot, seed, key, counts=counts)

    def means(self, values: np.ndarray) -> np.ndarray:
        """Return each group's ``values[rows].mean()``, groups of one size at a time.

        The rows of the groups of one size, stacked, averaged along the rows: NumPy reduces
        each row of a C-ordered array as it reduces that row alone, so the same floats
        (tested against the group-by-group means). O(rows) plus a numpy call per distinct
        group size, where a call per group cost about 8 us (1.2 s for 155,000 outlet x
        entity groups).
        """
        lengths = self.lengths
        out = np.empty(len(self.rows))
        if not len(lengths):
            return out
        flat = np.concatenate(self.rows)
        offsets = np.cumsum(lengths) - lengths
        for size in np.unique(lengths):
            gs = np.flatnonzero(lengths == size)
            out[gs] = values[flat[offsets[gs][:, None] + np.arange(size)]].mean(axis=1)
        return out

    def _runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every group's rows sorted by cluster, and its clusters' sizes, for :meth:`many_replicates`.

        Returns ``order`` (the rows of each group in turn, by cluster code, table order
        within a cluster: the order :func:`_replicates` sorts a group's entries into),
        ``sizes`` (rows of each (group, cluster) run, runs in that order), ``first`` (each
        group's first run) and ``n_runs`` (its runs: its clusters). Without clusters a group
        is one run. O(rows log rows) once per table.
        """
        if getattr(self, "_run_cache", None) is None:
            lengths = self.lengths
            order = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
            group = np.repeat(np.arange(len(self.rows)), lengths)
            if self.outer is not None and len(order):
                key = group * (int(self.outer.max()) + 1) + self.outer[order]
                sort = np.argsort(key, kind="stable")  # by group, then cluster; table order within
                order, key = order[sort], key[sort]
            else:
                key = group
            new = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
            sizes = np.diff(np.r_[new, len(key)])
            n_runs = np.bincount(group[new], minlength=len(self.rows)) if len(new) else np.zeros(len(self.rows), int)
            first = np.cumsum(n_runs) - n_runs
            self._run_cache = (order, sizes, first, n_runs)
            self._run_starts = np.cumsum(sizes) - sizes  # each run's first position in `order`
        return self._run_cache

    def _alone(self, g: int, n_boot: int) -> bool:
        """Whether :meth:`many_replicates` leaves group `g` to :meth:`replicates` (not batched).

        Groups of :data:`MEMO_MIN_ENTRIES` entries or more, groups whose draws fill a chunk,
        ``[outer, inner]`` clusters, and two-stage groups filling a batch alone (batching
        saves nothing for them and its labels cost a pass over every draw: outlet x voice
        groups of a few hundred sentences took 1.4x the time of _replicates' own bincount).
        """
        small = DRAWS_PER_CHUNK // n_boot
        size = len(self.rows[g])
        if self.pair is not None or small < 2 or size >= MEMO_MIN_ENTRIES or size > small:
            return True
        c = int(self._runs()[3][g])
        return c not in (1, size) and n_boot * size >= BATCH_DRAWS

    def _many_columns(self, groups: list[int], values: np.ndarray, n_boot: int, seed: int,
                      keys: list[str]) -> np.ndarray:
        """:meth:`many_replicates` of each column of `values` (rows, k): shape (groups, k, n_boot).

        The groups :meth:`replicates` serves draw once for all k columns; the small batched
        groups (cheap: a few entries each) are drawn again for each column.
        """
        k = values.shape[1]
        out = np.empty((len(groups), k, n_boot))
        batched = []
        for i, g in enumerate(groups):
            if self._alone(g, n_boot):
                out[i] = self.replicates(self.rows[g], values, n_boot, seed, keys[i])
            else:
                batched.append(i)
        if batched:
            for j in range(k):
                column = np.ascontiguousarray(values[:, j])
                out[batched, j] = self.many_replicates([groups[i] for i in batched], column, n_boot, seed,
                                                       [keys[i] for i in batched])
        return out

    def many_replicates(self, groups: list[int], values: np.ndarray, n_boot: int, seed: int,
                        keys: list[str]) -> np.ndarray:
        """Return :meth:`replicates` of each group in `groups` (one row each), small groups batched.

        A group whose draws fit one chunk of :func:`_replicates` and that is too small for
        :func:`_memo_replicates` (the outlet x entity groups: tens of thousands of groups of a
        few sentences) draws from its own generator exactly as there: the first stage
        (clusters), then the second (an entry within each drawn cluster) in one
        ``rng.integers`` call each, or one call for the units of a group of one cluster.
        What :func:`_replicates` does around the draws is done here for many groups at once:
        the positions of the drawn entries, and each replicate's sum as one ``bincount`` over
        (group, replicate) labels, which adds each replicate's entries in the same order as
        the group's own ``bincount`` (the same floats). Larger groups, two-stage groups whose
        draws fill a batch alone (``n_boot x entries >= BATCH_DRAWS``: batching saves nothing
        for them and its labels cost a pass over every draw), and ``[outer, inner]``
        clusters, go through :meth:`replicates`.

        Notes
        -----
        O(n_boot x entries) in numpy, as :func:`_replicates`, in batches of at most
        :data:`DRAWS_PER_CHUNK` second-stage draws, plus per group a generator and about
        five numpy calls (where :func:`_replicates` and :meth:`replicates` made about
        twenty-five); a group of one-row clusters (most entity groups: each sentence its own
        article) adds its drawn values row by row, with no second-stage labels at all. The
        batches are cache-sized (:data:`BATCH_DRAWS`; 2,000,000 draws a batch was a third
        slower). ``bootstrap_means`` of the 154,697 outlet x entity groups (49,429
        bootstrapped) of 10,000 generated articles: 28-31 CPU s before, 18-21 s after, in a
        process holding the sentence scores as the kernel does (``bench/bootstrap_groups.py
        --in-process``); in a fresh process holding only the units both took 19-23 s.
        """
        if values.ndim == 2:
            return self._many_columns(groups, values, n_boot, seed, keys)
        out = np.empty((len(groups), n_boot))
        if not groups:
            return out
        small = DRAWS_PER_CHUNK // n_boot
        if self.pair is not None or small < 2:
            for i, g in enumerate(groups):
                out[i] = self.replicates(self.rows[g], values, n_boot, seed, keys[i])
            return out
        order, sizes, first, n_runs = self._runs()
        starts = self._run_starts
        if getattr(self, "_ordered_from", None) is not values:  # once per table of values, not per block
            self._ordered_from, self._ordered = values, values[order]
        ordered = self._ordered
        pending: list[tuple[int, np.ndarray, np.ndarray]] = []
        budget = 0

        def flush():
            if not pending:
                return
            where = np.array([i for i, _, _ in pending])
            drawn = np.concatenate([d for _, d, _ in pending])
            per_group = np.array([len(d) // n_boot for _, d, _ in pending])
            d_size = sizes[drawn]
            pick = np.concatenate([p for _, _, p in pending]) + np.repeat(starts[drawn], d_size)
            label = np.repeat(np.arange(len(pending) * n_boot), np.repeat(per_group, n_boot))
            total = np.bincount(np.repeat(label, d_size), weights=ordered[pick], minlength=len(pending) * n_boot)
            n = np.bincount(label, weights=d_size, minlength=len(pending) * n_boot)
            out[where] = (total / n).reshape(len(pending), n_boot)
            pending.clear()

        for i, g in enumerate(groups):
            if self._alone(g, n_boot):
                out[i] = self.replicates(self.rows[g], values, n_boot, seed, keys[i])
                continue
            size = len(self.rows[g])
            c, f = int(n_runs[g]), int(first[g])
            rng = _rng(seed, keys[i])
            if c == 1:  # one cluster: resample units (as _replicates does)
                own = ordered[starts[f]:starts[f] + size]
                out[i] = own[rng.integers(0, size, size=(n_boot, size))].mean(axis=1)
                continue
            drawn = rng.integers(0, c, size=(n_boot, c))  # stage 1: clusters
            if c == size:  # clusters of one row: stage 2 draws nothing (a bound of 1 takes no draw)
                own = ordered[starts[f]:starts[f] + size]
                # the sum of each replicate's draws in order, as bincount adds them (+ 0.0: its 0.0 start)
                picked = own[drawn.T]
                total = picked[0] + 0.0
                for row in picked[1:]:
                    total += row
                out[i] = total / c
                continue
            drawn = drawn.ravel()
            d_size = sizes[f:f + c][drawn]
            pending.append((i, drawn + f, rng.integers(0, np.repeat(d_size, d_size))))  # stage 2
            budget += n_boot * size
            if budget >= BATCH_DRAWS:
                flush()
                budget = 0
        flush()
        return out


BATCH_DRAWS = 100_000  # second-stage draws of small groups summed at once (cache-sized: 5 MB)
QUANTILE_BLOCK = 256  # groups whose replicates are held at once for their quantiles
MEMO_MIN_ENTRIES = 1_000  # groups of at least this many entries keep their replicates for the next call
MEMO_MAX_BYTES = 32_000_000  # ... up to this many bytes of replicates in all
_MEMO: dict[bytes, np.ndarray] = {}


def _memo_replicates(values: np.ndarray, inverse: np.ndarray, n_boot: int, seed: int, key: str,
                     counts: np.ndarray | None = None) -> np.ndarray:
    """:func:`_replicates` of a group, remembered for large groups by a digest of all its inputs.

    A report bootstraps the same outlets twice: their means (:func:`bootstrap_means`) and
    their differences (:func:`bootstrap_differences`, :func:`bootstrap_versus_rest`) draw
    the same replicates from the same seeds. A group of :data:`MEMO_MIN_ENTRIES` entries
    or more keeps them (the digest covers values, cluster codes, unit counts, n_boot, seed
    and group name, so only an identical computation is looked up); the memory is emptied
    when it would pass :data:`MEMO_MAX_BYTES`. `values` of shape (entries, k): each
    column is kept and looked up under the digest it has alone, and drawn (all columns
    from the same draws) unless every column is found.
    """
    if len(values) < MEMO_MIN_ENTRIES:
        return _replicates(values, inverse, n_boot, _rng(seed, key), counts=counts)
    cols = np.atleast_2d(np.asarray(values, dtype=float).T)
    names = [_memo_name(c, inverse, n_boot, seed, key, counts) for c in cols]
    if not all(name in _MEMO for name in names):
        reps = np.atleast_2d(_replicates(values, inverse, n_boot, _rng(seed, key), counts=counts))
        if sum(r.nbytes for r in _MEMO.values()) + reps.nbytes > MEMO_MAX_BYTES:
            _MEMO.clear()
        _MEMO.update(zip(names, reps, strict=True))
    got = np.stack([_MEMO[name] for name in names])  # a copy
    return got if np.ndim(values) == 2 else got[0]


def _memo_name(values: np.ndarray, inverse: np.ndarray, n_boot: int, seed: int, key: str,
               counts: np.ndarray | None) -> bytes:
    """Return the digest of one column's replicates' inputs (:func:`_memo_replicates`)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in (np.ascontiguousarray(values, dtype=float), np.asarray(inverse, dtype=np.int64),
                 np.asarray([] if counts is None else counts, dtype=np.int64)):
        digest.update(part.tobytes())
        digest.update(b"|")
    digest.update(f"{n_boot}|{seed}|{counts is None}|{key}".encode())
    return digest.digest()


def _check_boot(n_boot: int, level: float) -> None:
    if not isinstance(n_boot, int) or n_boot < 100:
        raise ParameterError(f"n_boot: {n_boot!r}; use an integer >= 100")
    if not 0.5 <= level < 1:
        raise ParameterError(f"level: {level!r}; use a number in [0.5, 1)")


def bootstrap_means(
    df: pd.DataFrame,
    *,
    value: str,
    group: str | list[str] = S.OUTLET,
    cluster: str | None = S.ARTICLE_ID,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Return the mean of `value` per group with a percentile bootstrap interval.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit (e.g. sentence).
    value : str
        Numeric column to average.
    group : str or list of str, default "outlet"
        Column(s) defining the groups.
    cluster : str, [str, str] or None, default "article_id"
        Column of the clusters resampled first, then the units within each drawn cluster;
        ``[outer, inner]`` (e.g. ``["outlet", "article_id"]`` when `group` is a column
        such as ``bias``) resamples outer clusters, then inner clusters within each, each
        drawn inner cluster taken whole; None resamples units only.
    n_boot : int, default 2000
        Bootstrap replicates (>= 100).
    seed : int, default 0
        Seed; the same seed gives the same intervals, whatever other groups exist.
    level : float, default 0.95
        Confidence level of the two-sided percentile interval.

    Returns
    -------
    pandas.DataFrame
        One row per group: the group column(s), ``n`` (units), ``n_clusters``,
        ``estimate`` (the plain mean), ``ci_low``, ``ci_high``. Sorted by group.

    Notes
    -----
    A group with a single unit gets ``ci_low == ci_high == estimate`` (no spread can be
    estimated); read its ``n`` before its interval. ``n_clusters`` counts the first-stage
    clusters (outlets when ``cluster=["outlet", "article_id"]``): with few of them, the
    interval cannot tell how the group's other outlets would differ. Cost: O(n_boot x
    units) in all, vectorised (no loop over replicates or rows), plus O(rows log rows) once
    to find every group's rows and cluster codes, and a few numpy calls per group: small
    groups draw from their own generators and are summed many at a time
    (:meth:`_Layout.many_replicates`; 49,429 bootstrapped outlet x entity groups of 10,000
    generated articles about 20 CPU s, mostly the draws), the means of all groups of one
    size are one call (:meth:`_Layout.means`); memory bounded by :data:`DRAWS_PER_CHUNK`
    and :data:`QUANTILE_BLOCK`.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["A"] * 4, "article_id": ["a", "a", "b", "b"],
    ...                   "x": [0.0, 1.0, 1.0, 1.0]})
    >>> r = bootstrap_means(d, value="x", n_boot=500)
    >>> r[["outlet", "n", "n_clusters", "estimate"]].values.tolist()
    [['A', 4, 2, 0.75]]
    >>> bool(r.ci_low.iloc[0] <= 0.75 <= r.ci_high.iloc[0])
    True
    """
    return bootstrap_means_of(df, values=[value], group=group, cluster=cluster, n_boot=n_boot, seed=seed,
                              level=level)[value]


def bootstrap_means_of(
    df: pd.DataFrame,
    *,
    values: list[str],
    group: str | list[str] = S.OUTLET,
    cluster: str | None = S.ARTICLE_ID,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> dict[str, pd.DataFrame]:
    """Return :func:`bootstrap_means` of each column in `values`, drawing the replicates once.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit.
    values : list of str
        Numeric columns to average (e.g. scores of the same sentences with and without a
        lexicon change).
    group, cluster, n_boot, seed, level
        As in :func:`bootstrap_means`.

    Returns
    -------
    dict of str to pandas.DataFrame
        For each column, the table ``bootstrap_means(df, value=column, ...)`` gives, byte for
        byte.

    Notes
    -----
    The draws depend only on the groups, clusters, seed and n_boot, never on the values,
    so the groups that :func:`_replicates` serves (an outlet's thousands of sentences) draw
    once and sum each column from the same draws; small batched groups draw again for each
    column. O(n_boot x units) draws once, plus O(n_boot x units) sums per column; memory as
    :func:`bootstrap_means`, times the columns for the replicates held.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["A"] * 4, "article_id": ["a", "a", "b", "b"],
    ...                   "x": [0.0, 1.0, 1.0, 1.0], "y": [1.0, 1.0, 0.0, 1.0]})
    >>> both = bootstrap_means_of(d, values=["x", "y"], n_boot=500)
    >>> both["y"].equals(bootstrap_means(d, value="y", n_boot=500))
    True
    """
    _check_boot(n_boot, level)
    keys = [group] if isinstance(group, str) else list(group)
    ccols = _cluster_columns(cluster)
    values = list(dict.fromkeys(values))
    if not values or not all(isinstance(v, str) for v in values):
        raise ParameterError(f"values: {values!r}; use a list of column names")
    S.check_columns(df, [*values, *keys, *ccols], table="input")
    alpha = (1 - level) / 2
    layout = _Layout(df, keys, ccols, dropna=False)
    if not layout.rows:
        return {v: pd.DataFrame([], columns=[*keys, S.N, N_CLUSTERS, ESTIMATE, S.CI_LOW, S.CI_HIGH])
                for v in values}
    columns = [df[v].to_numpy(dtype=float) for v in values]
    stacked = columns[0] if len(columns) == 1 else np.column_stack(columns)
    n_groups = len(layout.rows)
    mean = [layout.means(c) for c in columns]
    low, high = np.empty((len(values), n_groups)), np.empty((len(values), n_groups))
    for b0 in range(0, n_groups, QUANTILE_BLOCK):  # quantiles of a block of groups at once
        block = range(b0, min(b0 + QUANTILE_BLOCK, n_groups))
        booted = []
        for g in block:
            if len(layout.rows[g]) > 1:
                booted.append(g)
            else:
                low[:, g] = high[:, g] = [m[g] for m in mean]
        if booted:
            reps = layout.many_replicates(booted, stacked, n_boot, seed,
                                          ["\x1f".join(map(str, layout.names[g])) for g in booted])
            for j in range(len(values)):
                low[j, booted], high[j, booted] = np.quantile(reps if reps.ndim == 2 else reps[:, j],
                                                              [alpha, 1 - alpha], axis=1)
    sizes = layout.lengths
    n_clusters = sizes if layout.outer is None else layout._runs()[3].astype("int64")
    names = pd.DataFrame(layout.names, columns=keys)
    return {v: names.assign(**{S.N: sizes, N_CLUSTERS: n_clusters, ESTIMATE: mean[j], S.CI_LOW: low[j],
                               S.CI_HIGH: high[j]})
            for j, v in enumerate(values)}


def bootstrap_differences(
    df: pd.DataFrame,
    *,
    value: str,
    group: str = S.OUTLET,
    cluster: str | None = S.ARTICLE_ID,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Return every pairwise difference of group means with a bootstrap interval.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit.
    value, group, cluster, n_boot, seed, level
        As in :func:`bootstrap_means` (one group column).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (a < b): ``a``, ``b``, ``n_a``, ``n_b``,
        ``estimate`` (mean a minus mean b), ``ci_low``, ``ci_high`` and ``excludes_zero``
        (whether the interval lies wholly on one side of zero).

    Notes
    -----
    O(n_boot x units) for the replicates, then O(n_boot x groups^2) for the pairs: with
    many outlets, compare groups (``group="bias"``, ``cluster=["outlet", "article_id"]``)
    or a few chosen outlets. The intervals are per pair: picking the most extreme pair of
    many needs a multiple-comparison adjustment (see :mod:`analysis.findings`).

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["A"] * 3 + ["B"] * 3, "article_id": list("aaabbb"),
    ...                   "x": [1.0, 0.9, 0.8, 0.0, 0.1, -0.1]})
    >>> r = bootstrap_differences(d, value="x", n_boot=500)
    >>> r[["a", "b", "estimate", "excludes_zero"]].round(3).values.tolist()
    [['A', 'B', 0.9, True]]
    """
    reps, means, sizes = _per_group(df, value, group, cluster, n_boot, seed, level)
    alpha = (1 - level) / 2
    names = sorted(reps)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            low, high = np.quantile(reps[a] - reps[b], [alpha, 1 - alpha])
            rows.append((a, b, sizes[a], sizes[b], means[a] - means[b], low, high,
                         bool(low > 0 or high < 0)))
    return pd.DataFrame(rows, columns=["a", "b", "n_a", "n_b", ESTIMATE, S.CI_LOW, S.CI_HIGH,
                                       "excludes_zero"])


def _per_group(df, value, group, cluster, n_boot, seed, level) -> tuple[dict, dict, dict]:
    """Each group's bootstrap replicates of its mean, its mean and its size (seeded by name)."""
    _check_boot(n_boot, level)
    ccols = _cluster_columns(cluster)
    S.check_columns(df, [value, group, *ccols], table="input")
    layout = _Layout(df, [group], ccols, dropna=True)
    values = df[value].to_numpy(dtype=float)
    reps, means, sizes = {}, {}, {}
    for (name,), rows in zip(layout.names, layout.rows, strict=True):
        reps[name] = layout.replicates(rows, values, n_boot, seed, str(name))
        means[name], sizes[name] = values[rows].mean(), len(rows)
    return reps, means, sizes


def bootstrap_versus_rest(
    df: pd.DataFrame,
    *,
    value: str,
    group: str = S.OUTLET,
    cluster: str | list[str] | None = S.ARTICLE_ID,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
    rest: str = "all others",
) -> pd.DataFrame:
    """Return each group's mean minus the mean of all other groups, with a bootstrap interval.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per unit.
    value, group, cluster, n_boot, seed, level
        As in :func:`bootstrap_differences` (the same replicates, seeded by group name).
    rest : str, default "all others"
        The label of the other groups in column ``b``.

    Returns
    -------
    pandas.DataFrame
        One row per group, :func:`bootstrap_differences`' columns; ``b`` is `rest` and
        ``n_b`` the units of all other groups.

    Notes
    -----
    O(n_boot x (units + groups)), where all pairs cost O(n_boot x groups^2): each group is
    resampled once, and "the rest" in a replicate is the mean of the other groups'
    replicates weighted by their unit counts (a stratified bootstrap of the pooled mean).
    With two groups it equals :func:`bootstrap_differences`.

    Examples
    --------
    >>> d = pd.DataFrame({"outlet": ["A"] * 3 + ["B"] * 3, "article_id": list("aaabbb"),
    ...                   "x": [1.0, 0.9, 0.8, 0.0, 0.1, -0.1]})
    >>> r = bootstrap_versus_rest(d, value="x", n_boot=500)
    >>> r[["a", "b", "estimate"]].round(3).values.tolist()
    [['A', 'all others', 0.9], ['B', 'all others', -0.9]]
    """
    reps, means, sizes = _per_group(df, value, group, cluster, n_boot, seed, level)
    names = sorted(reps)
    reps_m = np.vstack([reps[n] for n in names])
    means_a = np.array([means[n] for n in names])
    sizes_a = np.array([sizes[n] for n in names], dtype=float)
    rest_n = sizes_a.sum() - sizes_a
    total_rep = (reps_m * sizes_a[:, None]).sum(axis=0)
    rest_rep = (total_rep[None, :] - reps_m * sizes_a[:, None]) / rest_n[:, None]
    alpha = (1 - level) / 2
    low, high = np.quantile(reps_m - rest_rep, [alpha, 1 - alpha], axis=1)
    estimate = means_a - ((means_a * sizes_a).sum() - means_a * sizes_a) / rest_n
    return pd.DataFrame({"a": names, "b": rest, "n_a": sizes_a.astype(int), "n_b": rest_n.astype(int),
                         ESTIMATE: estimate, S.CI_LOW: low, S.CI_HIGH: high,
                         "excludes_zero": (low > 0) | (high < 0)})


def adjust_pvalues(p_values, *, method: str = "fdr_bh", n_tests: int | None = None) -> np.ndarray:
    """Return p-values adjusted for multiple comparisons (default Benjamini-Hochberg).

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values; NaN entries stay NaN and are not counted as tests.
    method : str, default "fdr_bh"
        "fdr_bh", or any other method of :func:`statsmodels.stats.multitest.multipletests`.
    n_tests : int, optional
        For "fdr_bh" and "bonferroni": the number of tests made, when some were left out of
        `p_values` (e.g. terms a filter skipped). The left-out tests count as p = 1, which
        can only raise the adjusted values: conservative. Default: the non-NaN p-values.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (q-values for "fdr_bh"), same order as the input.

    Notes
    -----
    "fdr_bh" is the step-up ``q_(i) = min_{j >= i} min(1, p_(j) m / j)`` in numpy, because
    importing statsmodels costs about a second in every notebook kernel that needs it;
    the tests check it against statsmodels' ``multipletests`` on random and tied p-values.
    Other methods call statsmodels. O(m log m) for m p-values.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, float("nan")]).round(3).tolist()
    [0.03, 0.04, 0.04, nan]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    m = int(ok.sum()) if n_tests is None else int(n_tests)
    if m < ok.sum():
        raise ParameterError(f"n_tests: {n_tests!r}; it cannot be below the {int(ok.sum())} p-values given")
    if method == "bonferroni":
        out[ok] = np.minimum(p[ok] * m, 1.0)
        return out
    if method == "fdr_bh":
        x = p[ok]
        order = np.argsort(x, kind="stable")
        ranked = x[order] * m / np.arange(1, len(x) + 1)
        q = np.empty_like(x)
        q[order] = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
        out[ok] = q
        return out
    if n_tests is not None and m != ok.sum():
        raise ParameterError(f"n_tests: only with method 'fdr_bh' or 'bonferroni', not {method!r}")
    from statsmodels.stats.multitest import multipletests

    out[ok] = multipletests(p[ok], method=method)[1]
    return out
