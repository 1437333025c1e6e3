"""The output formats of `lint`: the registry the CLI's --format choices come from, and the Reporter each
format's module provides (report/summary.py). Importing it loads nothing else (the CLI reads FORMATS at
start-up); a format's module is imported only when its report is asked for."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hooklint.report.summary import Reporter

# Each format and the module of hooklint.report that renders it, in the order `--help` lists them.
_MODULES = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
}
FORMATS = tuple(_MODULES)
# The formats that print source lines: only they need the contents of the files in Summary.texts (the others
# read its keys at most, the files linted).
SHOWS_SOURCE = frozenset({"text"})


def reporter(name: str) -> Reporter:
    """The formatter for `name`, imported only when asked for, to keep start-up short."""
    module = importlib.import_module(f"hooklint.report.{_MODULES[name]}")
    render: Reporter = module.render
    return render
