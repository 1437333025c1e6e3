"""What every reporter reads and is: the run's Summary, the Reporter protocol, and the paths and rule pages as
reports name them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from typing import Protocol

from hooklint.model import Finding, Rule, Severity
from hooklint.util.frozen import frozen

PROJECT_URL = "https://github.com/hooklint/hooklint"


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
    """A format's `render`: the report's text."""

    def __call__(self, summary: Summary, rules: Sequence[Rule]) -> str: ...


def display_path(path: str) -> str:
    """A path as CI systems want it: relative, forward slashes; standard input gets a placeholder name."""
    return "stdin" if path.startswith("<") else path.removeprefix("./")
