"""Plain text: one line a finding, `file:line:col: severity HLnnn name: message`, then a summary."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.model import Severity
from hooklint.report import Summary
from hooklint.rules.base import Rule


def render(summary: Summary, rules: Sequence[Rule], texts: dict[str, str]) -> str:
    lines = []
    for finding in summary.findings:
        span = finding.span
        lines.append(
            f"{span.path}:{span.line}:{span.column}: {finding.severity.value} "
            f"{finding.rule} {finding.name}: {finding.message}"
        )
    counts = ", ".join(f"{summary.count(s)} {s.value}" for s in Severity)
    if summary.findings:
        lines.append("")
    lines.append(
        f"{len(summary.findings)} finding(s) ({counts}) in {summary.files} file(s), {summary.resources} resource(s)"
    )
    return "\n".join(lines) + "\n"
