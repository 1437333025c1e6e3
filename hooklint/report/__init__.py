"""Formatters: each turns findings into one output format behind the Reporter protocol."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import field
from typing import Protocol

from hooklint.model import Finding, Rule, Severity
from hooklint.util.frozen import frozen

PROJECT_URL = "https://github.com/hooklint/hooklint"
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
_MODULES = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
}
# The formats that print source lines: only they need the contents of the files in Summary.texts (the others
# read its keys at most, the files linted).
SHOWS_SOURCE = frozenset({"text"})


@frozen
class Summary:
    files: int
    resources: int
    findings: Sequence[Finding]
    texts: dict[str, str] = field(default_factory=dict)  # file contents, for source lines
    color: bool = False
    fail_on: Severity = (
        Severity.ERROR
    )  # findings below it do not fail the run (JUnit keeps them out of failures)
    summary_line: bool = True  # the text report ends with the counts (not with --quiet)

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    @property
    def line(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s.value}" for s in Severity)
        return f"{len(self.findings)} finding(s) ({counts}) in {self.files} file(s), {self.resources} resource(s)"


class Reporter(Protocol):
    def __call__(self, summary: Summary, rules: Sequence[Rule]) -> str: ...


def reporter(name: str) -> Reporter:
    """The formatter for `name`, imported only when asked for, to keep start-up short."""
    module = importlib.import_module(f"hooklint.report.{_MODULES[name]}")
    render: Reporter = module.render
    return render


def display_path(path: str) -> str:
    """A path as CI systems want it: relative, forward slashes; standard input gets a placeholder name."""
    return "stdin" if path.startswith("<") else path.removeprefix("./")
