"""JUnit XML: per file, a failing test case for each rule with findings there, or one passing case."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from hooklint.model import Finding, Rule
from hooklint.report import Summary, display_path
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
    cases = sum(max(1, len(by_rule)) for by_rule in grouped.values())
    failures = sum(len(by_rule) for by_rule in grouped.values())
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
            failure = ElementTree.SubElement(
                case, "failure", message=xml(found[0].message), type=found[0].severity.value
            )
            failure.text = "\n".join(
                f"{path}:{f.span.line}:{f.span.column}: {f.severity.value} {f.rule}: {xml(f.message)}"
                for f in found
            )
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
    )
