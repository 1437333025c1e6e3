"""GitHub Actions workflow commands: one annotation per finding, on the changed file's line."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.model import Rule, Severity
from hooklint.report.summary import Summary, display_path
from hooklint.util.escape import github_data as _data
from hooklint.util.escape import github_property as _property

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(summary: Summary, rules: Sequence[Rule]) -> str:
    lines = []
    for finding in summary.findings:
        span = finding.span
        properties = [
            f"file={_property(display_path(span.path))}",
            f"line={span.line}",
            f"col={span.column}",
        ]
        if span.end_line == span.line and span.end_column > span.column:
            properties += [f"endLine={span.end_line}", f"endColumn={span.end_column}"]
        properties.append(f"title={_property(f'{finding.rule} {finding.name}')}")
        lines.append(f"::{COMMANDS[finding.severity]} {','.join(properties)}::{_data(finding.message)}")
    return "".join(line + "\n" for line in lines)
