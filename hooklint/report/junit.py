"""JUnit XML: per file, a test case for each rule with findings there, or one passing case. A case fails when
one of its findings fails the run (at or above --fail-on); the others pass, their findings in <system-out>:
CI systems (GitLab, Jenkins, Azure DevOps, the GitHub test-report actions) show a passing case's output with
it, whereas <skipped> would read as a check that did not run."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from hooklint.model import Finding, Rule
from hooklint.report.summary import Summary, display_path
from hooklint.util.escape import xml


def render(summary: Summary, rules: Sequence[Rule]) -> str:
    names = {rule.id: rule.name for rule in rules}
    grouped: dict[str, dict[str, list[Finding]]] = {}
    for path in summary.texts:
        grouped.setdefault(xml(display_path(path)), {})
    for finding in summary.findings:
        grouped.setdefault(xml(display_path(finding.span.path)), {}).setdefault(finding.rule, []).append(
            finding
        )
    rank = summary.fail_on.rank
    cases = sum(max(1, len(by_rule)) for by_rule in grouped.values())
    failures = sum(
        any(f.severity.rank >= rank for f in found)
        for by_rule in grouped.values()
        for found in by_rule.values()
    )
    suites = ElementTree.Element("testsuites", name="hooklint", tests=str(cases), failures=str(failures))
    suite = ElementTree.SubElement(
        suites, "testsuite", name="hooklint", tests=str(cases), failures=str(failures)
    )
    for path in sorted(grouped):
        by_rule = grouped[path]
        if not by_rule:
            ElementTree.SubElement(suite, "testcase", classname=path, name="hooklint")
            continue
        for rule in sorted(by_rule):
            case = ElementTree.SubElement(
                suite, "testcase", classname=path, name=f"{rule} {names.get(rule, '')}".strip()
            )
            found = by_rule[rule]
            text = "\n".join(
                f"{path}:{f.span.line}:{f.span.column}: {f.severity.value} {f.rule}: {xml(f.message)}"
                for f in found
            )
            failing = [f for f in found if f.severity.rank >= rank]
            if failing:
                failure = ElementTree.SubElement(
                    case, "failure", message=xml(failing[0].message), type=failing[0].severity.value
                )
                failure.text = text
            else:
                ElementTree.SubElement(case, "system-out").text = text
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
    )
