"""JSON: the `lint --format json` contract of DESIGN.md."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hooklint import jsontext
from hooklint.model import Finding, ResourceRef, Severity
from hooklint.report import Summary
from hooklint.rules.base import Rule


def finding_json(finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "rule": finding.rule,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "resource": _resource(finding.resource) if finding.resource else None,
        "related": [
            {"message": r.message, "file": r.span.path, "line": r.span.line, "column": r.span.column}
            for r in finding.related
        ],
        "fix": {"title": finding.fix.title, "safe": finding.fix.safe} if finding.fix else None,
    }


def _resource(ref: ResourceRef) -> dict[str, str]:
    return {"kind": ref.kind, "name": ref.name, "namespace": ref.namespace, "group": ref.group}


def render(summary: Summary, rules: Sequence[Rule]) -> str:
    document = {
        "version": 1,
        "findings": [finding_json(f) for f in summary.findings],
        "summary": {
            "files": summary.files,
            "resources": summary.resources,
            **{severity.value: summary.count(severity) for severity in Severity},
        },
    }
    return jsontext.dumps(document)
