"""The fitted toward model (vocabulary, idf, coefficients) read from JSON, and numpy inference."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import numpy as np

from analysis.errors import ResourceError
from analysis.toward.features import FEATURE_VERSION, N_NUMERIC

MODEL_FILE = Path(__file__).resolve().parent.parent / "resource_files" / "toward_model.json"
CLASSES = ("negative", "neutral", "positive")


class TowardModel:
    """A fitted model: vocabulary, idf, coefficients and metadata, read from JSON.

    Parameters
    ----------
    data : dict
        The parsed model file (see :func:`analysis.train_toward.export_model`).
    """

    def __init__(self, data: dict):
        try:
            if data["feature_version"] != FEATURE_VERSION:
                raise ResourceError(f"toward model: feature_version {data['feature_version']} "
                                    f"does not match this code's {FEATURE_VERSION}; retrain with "
                                    "python -m analysis.train_toward")
            self.vocabulary = {w: i for i, w in enumerate(data["vocabulary"])}
            self.idf = np.asarray(data["idf"], dtype=float)
            self.coef = np.asarray(data["coef"], dtype=float)  # (3, n_vocab + N_NUMERIC)
            self.intercept = np.asarray(data["intercept"], dtype=float)
            self.numeric_weight = float(data["numeric_weight"])
            self.classes = tuple(data["classes"])
            self.metadata = data.get("metadata", {})
        except (KeyError, TypeError, ValueError) as exc:
            raise ResourceError(f"toward model: malformed model data ({exc!r})") from exc
        if self.classes != CLASSES or self.coef.shape != (3, len(self.idf) + N_NUMERIC):
            raise ResourceError(f"toward model: classes {self.classes} / coefficient shape "
                                f"{self.coef.shape} do not fit {len(self.idf)} terms")

    def predict_proba(self, docs: list[list[str]], dense: np.ndarray) -> np.ndarray:
        """Return class probabilities (n, 3) for feature lists and dense features.

        Parameters
        ----------
        docs : list of list of str
            Feature strings per mention (:func:`mention_features`).
        dense : numpy.ndarray
            Shape (n, N_NUMERIC).

        Returns
        -------
        numpy.ndarray
            Probabilities of negative, neutral, positive; rows sum to 1.

        Notes
        -----
        TF-IDF as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``: term weight
        ``(1 + ln tf) * idf``, each row L2-normalised, unknown features ignored; then the
        dense features times ``numeric_weight``, then a multinomial logistic regression
        (softmax of ``X @ coef.T + intercept``). O(total features).
        """
        n = len(docs)
        flat = itertools.chain.from_iterable(docs)
        cols = np.fromiter(map(self.vocabulary.get, flat, itertools.repeat(-1)), dtype=np.int64)
        return self._proba(cols, np.fromiter(map(len, docs), dtype=np.int64, count=n), dense)

    @functools.cached_property
    def columns(self) -> dict[str, dict]:
        """Return the vocabulary by feature kind: suffix (a stem pair for ``b``) -> column.

        ``fixed`` holds the ``f:`` and ``v:`` features under their whole names. Built
        once per model, O(vocabulary); used by :func:`_feature_ids_table`.
        """
        out: dict[str, dict] = {k: {} for k in ("w", "b", "l1", "l2", "l3", "r1", "r2", "r3", "L", "R",
                                                 "l12", "r12", "C", "fixed")}
        for name, j in self.vocabulary.items():
            kind, _, rest = name.partition(":")
            if kind in ("f", "v"):
                out["fixed"][name] = j
            elif kind == "b":
                pair = tuple(rest.split(" "))
                if len(pair) == 2:  # stems hold no spaces: every bigram the features make has two
                    out["b"][pair] = j
            elif kind in out:
                out[kind][rest] = j
        return out

    @functools.cached_property
    def pairs(self) -> tuple[dict[str, int], dict[str, tuple[np.ndarray, np.ndarray]]]:
        """Return the two-token features (``b``, ``l12``, ``r12``) as sorted integer codes.

        ``(stems, {kind: (codes, columns)})``: ``stems`` numbers every stem these features
        name; a pair of stem numbers ``x, y`` (-1: no token, at the sentence's edge) has
        code ``(x + 1) * (len(stems) + 1) + y + 1``. An ``l12`` name of one stem is
        (no token, stem), an ``r12`` one (stem, no token). Built once per model,
        O(vocabulary log vocabulary); used by :func:`analysis.toward.batch._feature_rows`.
        """
        stems: dict[str, int] = {}
        keyed: dict[str, list[tuple[int, int, int]]] = {}
        for kind in ("b", "l12", "r12"):
            keyed[kind] = []
            for key, j in self.columns[kind].items():
                if kind == "b":
                    pair = key
                else:
                    parts = key.split(" ") if key else []
                    if len(parts) > 2:
                        continue
                    pair = ([None] * (2 - len(parts)) + parts) if kind == "l12" else (parts + [None] * (2 - len(parts)))
                x, y = (-1 if t is None else stems.setdefault(t, len(stems)) for t in pair)
                keyed[kind].append((x, y, j))
        width = len(stems) + 1
        out = {}
        for kind, rows in keyed.items():
            code = np.array([(x + 1) * width + y + 1 for x, y, _ in rows], dtype=np.int64)
            col = np.array([j for _, _, j in rows], dtype=np.int64)
            order = np.argsort(code, kind="stable")
            out[kind] = (code[order], col[order])
        return stems, out

    def _proba(self, cols: np.ndarray, counts: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """Return :meth:`predict_proba` given each row's feature columns (-1: unknown) in row order.

        O(features log features) (one sort of the row x column pairs).
        """
        n = len(counts)
        return self._proba_rows(np.repeat(np.arange(n, dtype=np.int64), counts), cols, n, dense)

    def _proba_rows(self, rows: np.ndarray, cols: np.ndarray, n: int, dense: np.ndarray) -> np.ndarray:
        """Return :meth:`predict_proba` of `n` rows given (row, column) pairs in any order (column -1: unknown).

        A row's features are a multiset: the pairs are sorted here, so their order does not
        change a bit of the result. O(features log features).
        """
        known = cols >= 0
        rows, cols = rows[known], cols[known]
        logits = np.tile(self.intercept, (n, 1))
        if len(rows):
            pair = rows * len(self.idf) + cols
            keys, tf = np.unique(pair, return_counts=True)
            r, c = keys // len(self.idf), keys % len(self.idf)
            val = (1.0 + np.log(tf)) * self.idf[c]
            norm = np.sqrt(np.bincount(r, weights=val * val, minlength=n))
            val = val / norm[r]
            for k in range(len(self.classes)):
                logits[:, k] += np.bincount(r, weights=val * self.coef[k, c], minlength=n)
        if n:
            logits += (self.numeric_weight * np.asarray(dense, dtype=float)) \
                @ self.coef[:, len(self.idf):].T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


@functools.cache
def _load(path: str) -> TowardModel:
    from analysis.resources import read_model_json

    return TowardModel(read_model_json(path, what="toward model", rebuild="python -m analysis.train_toward "
                                       "--data NEWSMTSC_TRAIN --out PATH"))


def load_model(path=None) -> TowardModel:
    """Return the toward model at `path` (default: the shipped one), read once and cached.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A model file written by ``python -m analysis.train_toward``.

    Returns
    -------
    TowardModel
        Shared: do not modify it. ``metadata`` holds the cross-validated figures.

    Raises
    ------
    ResourceError
        If the file is missing, unreadable, or made for other features.

    Examples
    --------
    >>> load_model().classes
    ('negative', 'neutral', 'positive')
    """
    return _load(str(Path(path or MODEL_FILE).resolve()))
