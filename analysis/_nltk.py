"""NLTK, imported without the optional scipy.stats and scikit-learn imports of its ``__init__``.

Any ``from nltk.x import y`` first runs ``nltk/__init__.py``, which imports every NLTK
subpackage; two of them try optional libraries we never use through NLTK:
``nltk.metrics`` imports ``scipy.stats`` (for ``fisher_exact`` and ``betai``) and
``nltk.classify.scikitlearn`` imports scikit-learn when it is installed (it is, with the
``[dev]`` extra). Together they made ``import analysis.sentiment`` take 2-3 times as long
(README, "Import cost"). :func:`load` imports NLTK with those two marked unavailable for the
duration of that one import, as NLTK's own ``try/except ImportError`` fallbacks expect;
afterwards both import normally for whoever needs them.

The analysis modules take NLTK's classes from here (``from analysis._nltk import
SentimentIntensityAnalyzer``), so whichever of them imports NLTK first in a process does
it this way.

Notes
-----
Once NLTK is loaded like this, ``nltk.classify.SklearnClassifier`` and
``nltk.metrics.association``'s Fisher test are unavailable in that process (NLTK's own
fallbacks: NameError / NotImplementedError). Nothing in this package uses them. If NLTK
was already imported by the caller, it is used as it is.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

OPTIONAL = ("sklearn", "scipy.stats")  # imported by nltk/__init__.py only to offer wrappers we do not use
_WHERE = {  # name -> NLTK module that defines it
    "SentimentIntensityAnalyzer": "nltk.sentiment.vader",
    "SentiText": "nltk.sentiment.vader",
    "PunktParameters": "nltk.tokenize.punkt",
    "PunktSentenceTokenizer": "nltk.tokenize.punkt",
    "PorterStemmer": "nltk.stem.porter",
}


def load() -> ModuleType:
    """Import NLTK (once) without importing :data:`OPTIONAL`; return the ``nltk`` module.

    Returns
    -------
    module
        ``nltk``.

    Examples
    --------
    >>> load().__name__
    'nltk'
    """
    if "nltk" in sys.modules:
        return sys.modules["nltk"]
    blocked = [name for name in OPTIONAL if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # `import name` raises ImportError while this is set
    try:
        import nltk
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return nltk


def __getattr__(name: str):
    """Return ``nltk`` or one of the NLTK classes in :data:`_WHERE`, loading NLTK via :func:`load`."""
    if name == "nltk":
        return load()
    if name in _WHERE:
        load()
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
