"""Run the command line: ``python -m analysis`` is the same as ``newsframes``."""

from analysis.cli import main

raise SystemExit(main())
