"""newsframes: compare how news outlets cover the same story.

The import package is ``analysis``; each module is one step of the chain from
``data/raw`` to ``reports/`` (see README.md). Nothing is read or written at import time.
"""

__version__ = "0.1.0"
