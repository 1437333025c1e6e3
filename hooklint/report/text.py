"""Plain text: `file:line:col: severity HLnnn name: message`, the source line with a caret, per file."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.model import Finding, Rule, Severity
from hooklint.report.summary import Summary
from hooklint.util.escape import lines as safe_lines
from hooklint.util.escape import no_commands, terminal

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _source(finding: Finding, summary: Summary, split: dict[str, list[str]]) -> list[str]:
    path = finding.span.path
    if path not in split:
        # Split once per file: a file with thousands of findings is not split again for each.
        split[path] = summary.texts.get(path, "").splitlines()
    lines = split[path]
    if not 1 <= finding.span.line <= len(lines):
        return []
    raw = lines[finding.span.line - 1].expandtabs(1)
    # The line as shown, control characters escaped; the caret moves with the escapes before it.
    line = terminal(raw)
    start = len(terminal(raw[: finding.span.column - 1]))
    if finding.span.end_line == finding.span.line and finding.span.end_column > finding.span.column:
        width = len(terminal(raw[finding.span.column - 1 : finding.span.end_column - 1]))
    else:
        width = max(1, len(line.rstrip()) - start)
    caret = " " * start + "^" * max(1, min(width, max(1, len(line) - start)))
    if summary.color:
        caret = _DIM + caret + _RESET
    return [f"    {line}", f"    {caret}"]


def render(summary: Summary, rules: Sequence[Rule]) -> str:
    lines: list[str] = []
    split: dict[str, list[str]] = {}
    previous = None
    for finding in summary.findings:
        span = finding.span
        if previous is not None and span.path != previous:
            lines.append("")
        previous = span.path
        severity = finding.severity.value
        where = f"{terminal(span.path)}:{span.line}:{span.column}:"
        if summary.color:
            severity = _COLORS[finding.severity] + severity + _RESET
            where = _BOLD + where + _RESET
        lines.append(f"{where} {severity} {finding.rule} {finding.name}: {terminal(finding.message)}")
        lines.extend(_source(finding, summary, split))
    if summary.summary_line:
        if summary.findings:
            lines.append("")
        lines.append(summary.line)
    text = "".join(line + "\n" for line in lines)
    # The colours are hooklint's own escapes; without them the whole report gets the final check.
    return no_commands(text) if summary.color else safe_lines(text)
