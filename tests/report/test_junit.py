"""The junit format (hooklint/report/junit.py): a case per file and rule, failures as --fail-on says."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from hooklint.model import Severity
from hooklint.report import reporter
from hooklint.report.summary import Summary
from hooklint.rules import ALL_RULES
from tests.helpers import invoke
from tests.report.sample import BAD, FINDINGS, TEXT


def test_junit_has_a_failing_case_per_file_and_rule_and_a_passing_case_per_clean_file() -> None:
    report = Summary(
        3, 1, FINDINGS[:2], {"apps/job.yaml": TEXT, "apps/clean.yaml": ""}, fail_on=Severity.WARNING
    )
    root = ElementTree.fromstring(reporter("junit")(report, ALL_RULES))
    cases = [
        (c.get("classname"), c.get("name"), c.find("failure") is not None) for c in root.iter("testcase")
    ]
    assert cases == [
        ("apps/clean.yaml", "hooklint", False),
        ("apps/job.yaml", "HL101 named-hook-without-before-hook-creation", True),
        ("apps/job.yaml", "HL201 dependency-applied-later", True),
    ]
    assert (root.get("tests"), root.get("failures")) == ("3", "2")


def test_junit_findings_below_fail_on_pass_with_their_findings_in_system_out() -> None:
    report = Summary(2, 1, FINDINGS, {"apps/job.yaml": TEXT}, fail_on=Severity.WARNING)
    root = ElementTree.fromstring(reporter("junit")(report, ALL_RULES))
    cases = [
        (
            c.get("name"),
            [(child.tag, child.get("type")) for child in c],
            c.findtext("system-out"),
        )
        for c in root.iter("testcase")
    ]
    assert cases == [
        ("HL101 named-hook-without-before-hook-creation", [("failure", "error")], None),
        ("HL201 dependency-applied-later", [("failure", "warning")], None),
        (
            "HL111 hook-failed-policy-deletes-evidence",
            [("system-out", None)],
            "stdin:1:1: info HL111: 100% gone\\nlater",  # the message's line break escaped
        ),
    ]
    assert (root.get("tests"), root.get("failures")) == ("3", "2")


@pytest.mark.parametrize(("fail_on", "failures"), [("error", "1"), ("warning", "2")])
def test_junit_failures_follow_fail_on(fail_on: str, failures: str) -> None:
    warn = BAD.replace("HookSucceeded", "BeforeHookCreation") + "spec:\n  backoffLimit: 0\n"
    code, out, _ = invoke(
        ["lint", "--format", "junit", "--select", "HL101", "--select", "HL104", "--fail-on", fail_on, "-"],
        BAD + "---\n" + warn.replace("name: m", "name: n"),
    )
    root = ElementTree.fromstring(out)
    assert (code, root.get("failures")) == (1, failures)
    outputs = [c.find("system-out") is not None for c in root.iter("testcase")]
    assert outputs == ([False, True] if fail_on == "error" else [False, False])
