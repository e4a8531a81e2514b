"""Provide NLTK's data offline: VADER lexicon, Punkt parameters and stopwords.

Nothing here downloads. The VADER lexicon is copied from the pinned ``vaderSentiment``
package (checked against a SHA-256 we recorded) into a project-local ``nltk_data``
directory, which is put first on ``nltk.data.path``; Punkt sentence-splitting parameters
are written by us (:data:`ABBREVIATIONS`, :data:`SENT_STARTERS`) both as an in-memory
:class:`~nltk.tokenize.punkt.PunktParameters` and as ``tokenizers/punkt_tab/english`` so
that NLTK's own ``sent_tokenize`` and ``word_tokenize`` also work offline; the English
stopword list ships in this package (``resource_files/stopwords_en.txt``).

Provisioning runs once at set-up (``newsframes resources``, called by the Makefile) and
again lazily, on first use, if the directory is missing. Importing this module does no I/O.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import os
from pathlib import Path

from analysis.errors import ResourceError

# SHA-256 of vader_lexicon.txt as shipped by vaderSentiment==3.3.2 (7,519 lines; the
# lexicon of Hutto & Gilbert 2014, https://github.com/cjhutto/vaderSentiment).
VADER_LEXICON_SHA256 = "1ec9c6e9ee19aade328f8beb393a6afa71a5bb3acf7d3cc22d4ef568df374bf5"
VADER_LEXICON_SOURCE = "vaderSentiment==3.3.2 (vaderSentiment/vader_lexicon.txt)"

# Where NLTK looks for VADER by default (nltk.sentiment.vader.SentimentIntensityAnalyzer).
VADER_RESOURCE = "sentiment/vader_lexicon.zip/vader_lexicon/vader_lexicon.txt"

# Abbreviations after which Punkt must not end a sentence, lower-case and without the
# final period, as Punkt stores them. Written by us for English news copy: titles, months,
# a few weekdays, common Latin and business abbreviations, US states that are not also
# everyday words, and every single letter (initials such as "J. Pinon").
ABBREVIATIONS = frozenset(
    """
    mr mrs ms messrs dr prof sen sens rep reps gov gen lt col maj capt sgt adm cmdr cdr pres
    st jr sr rev hon amb supt insp det atty gens brig cpl pvt
    jan feb mar apr jun jul aug sep sept oct nov dec tue tues thu thur thurs fri
    u.s u.s.a u.k u.n e.u d.c a.m p.m e.g i.e etc vs cf al approx ca dept univ
    inc ltd co corp bros plc llc assn intl natl
    ala ariz ark calif colo conn fla okla tenn tex minn mich wis wyo neb nev mont
    """.split()
) | frozenset("abcdefghijklmnopqrstuvwxyz")

# Words that, capitalised after an abbreviation, start a new sentence ("... the U.S. He
# said"): pronouns, articles and common sentence-initial connectives in news copy.
SENT_STARTERS = frozenset(
    """
    he she it they we i you his her its their our the a an this that these those
    but and however meanwhile still yet so then there here in on at after before when while
    """.split()
)

_ENV_DIR = "NEWSFRAMES_NLTK_DATA"  # set to put the nltk_data directory elsewhere


def nltk_data_dir() -> Path:
    """Return the project-local ``nltk_data`` directory (it may not exist yet).

    Returns
    -------
    pathlib.Path
        ``$NEWSFRAMES_NLTK_DATA`` if set; else ``analysis/resource_files/nltk_data`` when the
        package folder is writable; else ``~/.cache/newsframes/nltk_data``.
    """
    if os.environ.get(_ENV_DIR):
        return Path(os.environ[_ENV_DIR])
    here = Path(__file__).resolve().parent / "resource_files"
    if os.access(here, os.W_OK):
        return here / "nltk_data"
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "newsframes" / "nltk_data"


def _vader_source_bytes() -> bytes:
    try:
        ref = importlib.resources.files("vaderSentiment") / "vader_lexicon.txt"
        data = ref.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ResourceError(
            f"VADER lexicon not found: install the pinned {VADER_LEXICON_SOURCE} "
            "(make setup does this)"
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != VADER_LEXICON_SHA256:
        raise ResourceError(
            f"VADER lexicon from vaderSentiment has SHA-256 {digest}, expected "
            f"{VADER_LEXICON_SHA256} ({VADER_LEXICON_SOURCE}); reinstall from requirements.lock"
        )
    return data


def provision(target: Path | None = None) -> Path:
    """Write the offline NLTK resources into `target` and return it.

    Parameters
    ----------
    target : pathlib.Path, optional
        The ``nltk_data`` directory; default :func:`nltk_data_dir`.

    Returns
    -------
    pathlib.Path
        The directory, holding ``sentiment/vader_lexicon.zip`` and
        ``tokenizers/punkt_tab/english/``.

    Raises
    ------
    ResourceError
        If ``vaderSentiment`` is missing or its lexicon differs from the pinned one.

    Notes
    -----
    Idempotent, and every file is written atomically (temp file, then rename), so an
    interrupted run never leaves a half-written lexicon.
    """
    from analysis.corpus import atomic_write_bytes as _atomic_write  # the one module that writes files
    from analysis.corpus import zip_bytes

    target = Path(target) if target is not None else nltk_data_dir()
    lexicon = _vader_source_bytes()
    _atomic_write(
        target / "sentiment" / "vader_lexicon.zip",
        zip_bytes({"vader_lexicon/vader_lexicon.txt": lexicon}),
    )
    punkt = target / "tokenizers" / "punkt_tab" / "english"
    _atomic_write(punkt / "abbrev_types.txt", "\n".join(sorted(ABBREVIATIONS)).encode())
    _atomic_write(punkt / "sent_starters.txt", "\n".join(sorted(SENT_STARTERS)).encode())
    _atomic_write(punkt / "collocations.tab", b"")
    _atomic_write(punkt / "ortho_context.tab", b"")
    return target


@functools.cache
def ensure_nltk_data() -> Path:
    """Provision the resources if needed and put their directory first on ``nltk.data.path``.

    Returns
    -------
    pathlib.Path
        The ``nltk_data`` directory in use.

    Examples
    --------
    >>> import nltk
    >>> path = ensure_nltk_data()
    >>> nltk.data.path[0] == str(path)
    True
    """
    from analysis._nltk import nltk

    target = nltk_data_dir()
    if not (target / "sentiment" / "vader_lexicon.zip").exists() or not (
        target / "tokenizers" / "punkt_tab" / "english" / "abbrev_types.txt"
    ).exists():
        provision(target)
    if str(target) not in nltk.data.path:
        nltk.data.path.insert(0, str(target))
    return target


def punkt_parameters():
    """Return Punkt parameters built from :data:`ABBREVIATIONS` and :data:`SENT_STARTERS`.

    Returns
    -------
    nltk.tokenize.punkt.PunktParameters
        Parameters for :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer`; no training
        data, no download.
    """
    from analysis._nltk import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    params.sent_starters = set(SENT_STARTERS)
    return params


@functools.cache
def stopwords(language: str = "english") -> frozenset[str]:
    """Return the shipped stopword list for `language`.

    Parameters
    ----------
    language : {"english"}
        Only English ships today (NLTK's 179-word list).

    Returns
    -------
    frozenset of str
        Lower-case stopwords, with straight apostrophes ("don't").

    Raises
    ------
    ResourceError
        For a language with no shipped list.

    Examples
    --------
    >>> sw = stopwords()
    >>> len(sw), "the" in sw, "cuba" in sw
    (179, True, False)
    """
    files = {"english": "stopwords_en.txt"}
    if language not in files:
        raise ResourceError(f"no stopword list for language {language!r}; shipped: english")
    text = (importlib.resources.files("analysis") / "resource_files" / files[language]).read_text(
        encoding="utf-8"
    )
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


def read_model_json(path, *, what: str, rebuild: str) -> dict:
    """Read a shipped (or given) model file written as JSON by one of the training scripts.

    Parameters
    ----------
    path : str or os.PathLike
        The JSON file.
    what : str
        What the file is, for the message ("toward model", "label model").
    rebuild : str
        The command that writes it, for the message.

    Returns
    -------
    dict
        The parsed file.

    Raises
    ------
    ResourceError
        When the file is missing, unreadable or not JSON; the message names the file and
        the command that rebuilds it.

    Examples
    --------
    >>> read_model_json("/nonexistent.json", what="label model", rebuild="make models")
    Traceback (most recent call last):
    ...
    analysis.errors.ResourceError: label model /nonexistent.json: not found; rebuild it with make models

    Notes
    -----
    O(file size). The callers cache what they build from it.
    """
    import json

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ResourceError(f"{what} {path}: not found; rebuild it with {rebuild}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResourceError(f"{what} {path}: cannot read it ({exc}); rebuild it with {rebuild}") from exc


def versions() -> dict[str, str]:
    """Return the versions of the packages and resources that shape the numbers.

    Returns
    -------
    dict
        Package name to version, plus the VADER lexicon's source and SHA-256.
    """
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("newsframes", "nltk", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
                "papermill", "vaderSentiment", "pyarrow"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    out["vader_lexicon"] = f"{VADER_LEXICON_SOURCE} sha256:{VADER_LEXICON_SHA256}"
    return out
