"""JSON: the `lint --format json` contract (docs/design-notes.md#lint---format-json)."""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring_ascii as _string
from typing import Any

from hooklint.model import Finding, Related, ResourceRef, Rule, Severity
from hooklint.report.summary import Summary
from hooklint.util import jsontext


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding as the contract's data (`render` writes the same as text)."""
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
    """The document `jsontext.dumps` would write for the contract's data (a test holds them equal), with each
    finding written from one template: a large report is written at the end of every run, serially."""
    document = {
        "version": 1,
        "findings": [],
        "summary": {
            "files": summary.files,
            "resources": summary.resources,
            **{severity.value: summary.count(severity) for severity in Severity},
        },
    }
    text = jsontext.dumps(document)
    if not summary.findings:
        return text
    findings = ",".join(_finding_text(finding) for finding in summary.findings)
    return text.replace('"findings": []', f'"findings": [{findings}\n  ]', 1)


def _finding_text(finding: Finding) -> str:
    span, resource, fix = finding.span, finding.resource, finding.fix
    return (
        f'\n    {{\n      "rule": {_string(finding.rule)},\n      "name": {_string(finding.name)},\n'
        f'      "severity": {_string(finding.severity.value)},\n      "message": {_string(finding.message)},\n'
        f'      "file": {_string(span.path)},\n      "line": {span.line},\n      "column": {span.column},\n'
        f'      "end_line": {span.end_line},\n      "end_column": {span.end_column},\n'
        f'      "resource": {_resource_text(resource) if resource else "null"},\n'
        f'      "related": {_related_text(finding.related)},\n'
        f'      "fix": {_fix_text(fix.title, fix.safe) if fix else "null"}\n    }}'
    )


def _resource_text(ref: ResourceRef) -> str:
    return (
        f'{{\n        "kind": {_string(ref.kind)},\n        "name": {_string(ref.name)},\n'
        f'        "namespace": {_string(ref.namespace)},\n        "group": {_string(ref.group)}\n      }}'
    )


def _related_text(related: Sequence[Related]) -> str:
    if not related:
        return "[]"
    items = ",".join(
        f'\n        {{\n          "message": {_string(r.message)},\n          "file": {_string(r.span.path)},\n'
        f'          "line": {r.span.line},\n          "column": {r.span.column}\n        }}'
        for r in related
    )
    return f"[{items}\n      ]"


def _fix_text(title: str, safe: bool) -> str:
    return f'{{\n        "title": {_string(title)},\n        "safe": {"true" if safe else "false"}\n      }}'
