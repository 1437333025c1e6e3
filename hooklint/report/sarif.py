"""SARIF 2.1.0, for code scanning: the rules with their pages, results with regions and related locations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hooklint import __version__
from hooklint.model import Finding, Rule, Severity, Span
from hooklint.report.pages import site_url, user_page
from hooklint.report.summary import PROJECT_URL, Summary, display_path
from hooklint.util import jsontext

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(span: Span) -> dict[str, Any]:
    region = {"startLine": span.line, "startColumn": span.column}
    if (span.end_line, span.end_column) > (span.line, span.column):
        region.update(endLine=span.end_line, endColumn=span.end_column)
    return {"physicalLocation": {"artifactLocation": {"uri": display_path(span.path)}, "region": region}}


# GitHub code scanning ranks the alerts of rules tagged `security` by this score (0.1 to 10.0: over 9.0
# critical, 7.0 high, 4.0 medium, else low). hooklint's error is a high (a literal credential in a hook),
# its warning a medium (a privileged or unpinned hook container), its info a low.
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def _rule(rule: Rule) -> dict[str, Any]:
    described: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.id} {rule.name}: {rule.summary} See the rule page for examples."},
        "helpUri": page_url(rule),
        "help": {"text": f"{rule.summary} See {page_url(rule)}", "markdown": _page(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled_by_default},
    }
    if rule.id.startswith("HL3"):  # the hook containers' security rules
        described["properties"] = {
            "tags": ["security"],
            "security-severity": SECURITY_SEVERITY[rule.severity],
        }
    return described


def page_url(rule: Rule) -> str:
    """The rule's page on the docs site, as users read it (the repository's file holds the test markup)."""
    return site_url(f"rules/{rule.id}-{rule.name}.md")


def _page(rule: Rule) -> str:
    """The rule's page, packaged with hooklint, in markdown as users read it (no test markup, full links)."""
    from importlib import resources as package_files

    name = f"{rule.id}-{rule.name}.md"
    return user_page(
        package_files.files("hooklint").joinpath(f"pages/{name}").read_text("utf-8"),
        f"rules/{name}",
        absolute=True,
    )


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
