"""Inputs for the duplicate and annotation value rule tests (HL004, HL010-HL013, HL015)."""

from __future__ import annotations

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Finding, Severity
from tests.helpers import Row, loaded, rows


def lint_files(
    files: dict[str, str], rule: str, namespace: str = "default", severity: dict[str, Severity] | None = None
) -> list[Finding]:
    return lint(
        loaded(files, clean=True), Settings(select=(rule,), namespace=namespace, severity=severity or {})
    )


def rows_of(text: str, rule: str, namespace: str = "default") -> list[Row]:
    return rows(lint_files({"app.yaml": text}, rule, namespace))


def where(text: str, rule: str) -> list[tuple[int, int, int, Severity]]:
    """(line, column, end column, severity) of each finding: the positions, without the messages."""
    return [
        (f.span.line, f.span.column, f.span.end_column, f.severity)
        for f in lint_files({"app.yaml": text}, rule)
    ]


def obj(kind: str, name: str, annotations: str = "", *, api: str = "v1", extra: str = "") -> str:
    """A document; `annotations` are lines indented by 4, `extra` top-level lines after metadata."""
    meta = f"  name: {name}\n" + (f"  annotations:\n{annotations}" if annotations else "")
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}{extra}"


def job(annotations: str, name: str = "migrate") -> str:
    spec = "spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: []\n"
    return obj("Job", name, annotations, api="batch/v1", extra=spec)
