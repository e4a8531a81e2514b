"""Define the exceptions newsframes raises.

Every error is an :class:`AnalysisError`, so a caller can catch them all at once; the
command line turns any of them into one message and exit status 2, with no traceback.
Messages name the file (and line or row) or the argument, the bad value and what is valid.
"""

from __future__ import annotations


class AnalysisError(Exception):
    """Base class of every error newsframes raises on purpose."""


class CorpusError(AnalysisError):
    """A corpus cannot be read: missing, empty or undecodable files, bad manifest rows."""


class SchemaError(AnalysisError):
    """A table lacks columns a function needs, or holds values outside their contract."""


class ParameterError(AnalysisError, ValueError):
    """A function or notebook parameter has an unknown name, a wrong type or a bad value."""


class ResourceError(AnalysisError):
    """An offline resource (VADER lexicon, stopword list, lexicon file) is missing or corrupt."""


class ReportError(AnalysisError):
    """A report notebook failed; the message names the notebook and the failing cell."""


class OutputError(AnalysisError):
    """An output (prepared tables, a report) cannot be written: no space, no permission, a lock."""
