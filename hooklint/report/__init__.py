"""Formatters: each turns findings into one output format behind the Reporter protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from hooklint.model import Finding, Severity
from hooklint.rules.base import Rule


@dataclass(frozen=True)
class Summary:
    files: int
    resources: int
    findings: Sequence[Finding]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


class Reporter(Protocol):
    def __call__(self, summary: Summary, rules: Sequence[Rule], texts: dict[str, str]) -> str: ...


def reporter(name: str) -> Reporter:
    """The formatter for `name`; imported only when asked for, to keep start-up short."""
    if name == "json":
        from hooklint.report import json_report

        return json_report.render
    from hooklint.report import text

    return text.render


FORMATS = ("text", "json")
