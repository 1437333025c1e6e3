"""SARIF 2.1.0, for code scanning: the rules with their pages, results with regions and related locations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hooklint import __version__
from hooklint.model import Finding, Rule, Severity, Span
from hooklint.report import PROJECT_URL, Summary, display_path, page_url
from hooklint.util import jsontext

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(span: Span) -> dict[str, Any]:
    region = {"startLine": span.line, "startColumn": span.column}
    if (span.end_line, span.end_column) > (span.line, span.column):
        region.update(endLine=span.end_line, endColumn=span.end_column)
    return {"physicalLocation": {"artifactLocation": {"uri": display_path(span.path)}, "region": region}}


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.id} {rule.name}: {rule.summary} See the rule page for examples."},
        "helpUri": page_url(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled_by_default},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.span)],
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, **_location(related.span), "message": {"text": related.message}}
            for number, related in enumerate(finding.related, start=1)
        ]
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [
            {
                "description": {"text": finding.fix.title + ("" if finding.fix.safe else " (unsafe)")},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": display_path(edit.path)},
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "charOffset": edit.start,
                                    "charLength": edit.end - edit.start,
                                },
                                "insertedContent": {"text": edit.text},
                            }
                        ],
                    }
                    for edit in finding.fix.edits
                ],
            }
        ]
    return result


def render(summary: Summary, rules: Sequence[Rule]) -> str:
    index = {rule.id: number for number, rule in enumerate(rules)}
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hooklint",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index) for finding in summary.findings],
            }
        ],
    }
    return jsontext.dumps(document)
