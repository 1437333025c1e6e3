from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.model import Finding, Related, ResourceRef, Severity, Span, in_order
from hooklint.report import reporter
from hooklint.report.summary import Summary
from hooklint.rules import ALL_RULES
from tests.helpers import SARIF_SCHEMA, invoke

TEXT = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
REF = ResourceRef("Job", "migrate", "shop", "batch")
FINDINGS = [
    Finding(
        "HL101",
        "named-hook-without-before-hook-creation",
        Severity.ERROR,
        "Job/migrate lacks it",
        Span("apps/job.yaml", 6, 44, 6, 57),
        REF,
    ),
    Finding(
        "HL201",
        "dependency-applied-later",
        Severity.WARNING,
        "needs ConfigMap/x, applied later: a,b",
        Span("apps/job.yaml", 6, 5, 6, 42),
        REF,
        (Related(Span("apps/cm.yaml", 3, 9, 3, 10), "ConfigMap/x is here"),),
    ),
    Finding(
        "HL111",
        "hook-failed-policy-deletes-evidence",
        Severity.INFO,
        "100% gone\nlater",
        Span("<stdin>", 1, 1, 1, 1),
    ),
]


def summary(**kwargs: object) -> Summary:
    return Summary(2, 1, FINDINGS, {"apps/job.yaml": TEXT}, **kwargs)  # type: ignore[arg-type]


def test_json_writes_what_the_standard_encoder_writes_for_the_contract_data() -> None:
    from hooklint.model import Fix
    from hooklint.report.json_report import finding_json
    from hooklint.util import jsontext

    findings = [
        *FINDINGS,
        Finding(
            "HL109",
            "drift-blind-hook",
            Severity.WARNING,
            'ünïcode "quoted" \\ \t tab',
            Span("apps/ß.yaml", 2, 3, 4, 5),
            ResourceRef("Job", "j", "", ""),
            (Related(Span("a.yaml", 1, 1, 1, 1), "one"), Related(Span("b.yaml", 2, 2, 2, 2), "two")),
            Fix("Add a ConfigMap", False, ()),
        ),
    ]
    for found in ([], findings):
        report = Summary(3, 4, found, {})
        expected = {
            "version": 1,
            "findings": [finding_json(f) for f in found],
            "summary": {"files": 3, "resources": 4, **{s.value: report.count(s) for s in Severity}},
        }
        assert reporter("json")(report, ALL_RULES) == jsontext.dumps(expected)


def test_text_shows_each_finding_with_its_source_line_and_caret_grouped_by_file() -> None:
    assert reporter("text")(summary(), ALL_RULES) == (
        "apps/job.yaml:6:44: error HL101 named-hook-without-before-hook-creation: Job/migrate lacks it\n"
        "        argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "                                               ^^^^^^^^^^^^^\n"
        "apps/job.yaml:6:5: warning HL201 dependency-applied-later: needs ConfigMap/x, applied later: a,b\n"
        "        argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "\n"
        "<stdin>:1:1: info HL111 hook-failed-policy-deletes-evidence: 100% gone\\nlater\n"
        "\n"
        "3 finding(s) (1 error, 1 warning, 1 info) in 2 file(s), 1 resource(s)\n"
    )


def test_text_colours_only_when_asked() -> None:
    assert "\033[31merror\033[0m" in reporter("text")(summary(color=True), ALL_RULES)
    assert "\033[" not in reporter("text")(summary(), ALL_RULES)


def test_github_workflow_commands_escape_data_and_properties() -> None:
    assert reporter("github")(summary(), ALL_RULES) == (
        "::error file=apps/job.yaml,line=6,col=44,endLine=6,endColumn=57,title=HL101 named-hook-without-before-hook-creation::Job/migrate lacks it\n"
        "::warning file=apps/job.yaml,line=6,col=5,endLine=6,endColumn=42,title=HL201 dependency-applied-later::needs ConfigMap/x, applied later: a,b\n"
        "::notice file=stdin,line=1,col=1,title=HL111 hook-failed-policy-deletes-evidence::100%25 gone%0Alater\n"
    )


def test_sarif_is_valid_2_1_0_with_rules_regions_and_related_locations() -> None:
    document = json.loads(reporter("sarif")(summary(), ALL_RULES))
    schema_path = SARIF_SCHEMA
    if schema_path.exists():
        from jsonschema import Draft4Validator

        errors = list(Draft4Validator(json.loads(schema_path.read_text())).iter_errors(document))
        assert errors == []
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in ALL_RULES]
    hl101 = next(r for r in rules if r["id"] == "HL101")
    assert (
        hl101["helpUri"]
        == "https://github.com/hooklint/hooklint/blob/main/rules/HL101-named-hook-without-before-hook-creation.md"
    )
    assert run["results"][1] == {
        "ruleId": "HL201",
        "level": "warning",
        "message": {"text": "needs ConfigMap/x, applied later: a,b"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "apps/job.yaml"},
                    "region": {"startLine": 6, "startColumn": 5, "endLine": 6, "endColumn": 42},
                }
            }
        ],
        "ruleIndex": [r.id for r in ALL_RULES].index("HL201"),
        "relatedLocations": [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "apps/cm.yaml"},
                    "region": {"startLine": 3, "startColumn": 9, "endLine": 3, "endColumn": 10},
                },
                "message": {"text": "ConfigMap/x is here"},
            }
        ],
    }
    assert run["results"][2]["level"] == "note"


def test_sarif_rules_carry_their_page_as_help_and_a_security_severity_for_hl3xx() -> None:
    from hooklint.report.pages import user_page
    from tests.helpers import ROOT

    rules = json.loads(reporter("sarif")(summary(), ALL_RULES))["runs"][0]["tool"]["driver"]["rules"]
    hl101 = next(r for r in rules if r["id"] == "HL101")
    page = ROOT / "hooklint" / "pages" / "HL101-named-hook-without-before-hook-creation.md"
    assert hl101["help"] == {
        "text": "A named hook whose explicit delete policies lack BeforeHookCreation: the next sync applies "
        "over the leftover. See https://github.com/hooklint/hooklint/blob/main/rules/HL101-named-hook-without-before-hook-creation.md",
        "markdown": user_page(
            page.read_text(), "rules/HL101-named-hook-without-before-hook-creation.md", absolute=True
        ),
    }
    markdown = hl101["help"]["markdown"]
    assert markdown.startswith("# HL101 named-hook-without-before-hook-creation\n")
    assert ("# expect:" in markdown, "yaml bad file=" in markdown) == (False, False)
    security = {r["id"]: r["properties"] for r in rules if "properties" in r}
    assert security == {
        "HL301": {"tags": ["security"], "security-severity": "5.0"},
        "HL302": {"tags": ["security"], "security-severity": "8.0"},
        "HL303": {"tags": ["security"], "security-severity": "2.0"},
        "HL304": {"tags": ["security"], "security-severity": "5.0"},
        "HL305": {"tags": ["security"], "security-severity": "8.0"},
    }


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


def test_gitlab_code_quality_fingerprints_are_stable_when_lines_move() -> None:
    first = json.loads(reporter("gitlab")(summary(), ALL_RULES))
    moved = [
        Finding(
            f.rule,
            f.name,
            f.severity,
            f.message,
            Span(f.span.path, f.span.line + 5, 1, f.span.line + 5, 2),
            f.resource,
            f.related,
        )
        for f in FINDINGS
    ]
    second = json.loads(reporter("gitlab")(Summary(2, 1, moved), ALL_RULES))
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    assert len({i["fingerprint"] for i in first}) == 3
    assert first[0] | {"fingerprint": "-"} == {
        "description": "HL101 named-hook-without-before-hook-creation: Job/migrate lacks it",
        "check_name": "HL101",
        "fingerprint": "-",
        "severity": "major",
        "location": {"path": "apps/job.yaml", "lines": {"begin": 6}},
    }


BAD = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"


def test_several_formats_and_outputs_in_one_run(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = CliRunner().invoke(
        cli,
        [
            "lint",
            "--select",
            "HL101",
            "--format",
            "sarif",
            "--output",
            str(sarif),
            "--format",
            "junit",
            "--output",
            str(junit),
            "--format",
            "github",
            "-",
        ],
        input=BAD,
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=stdin,line=7,col=44,")
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "HL101"
    assert ElementTree.fromstring(junit.read_text()).get("failures") == "1"


def test_github_is_the_default_format_on_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunner().invoke(cli, ["lint", "--select", "HL101", "-"], input=BAD)
    assert result.stdout.startswith("::error ")


def test_more_outputs_than_formats_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["lint", "--output", "a", "--output", "b", "-"], input=BAD)
    assert result.exit_code == 2


def test_findings_are_put_in_order_once_each_and_ties_keep_the_order_they_came_in() -> None:
    job, cm = FINDINGS[0], FINDINGS[1]
    # Alike in place, rule and message, different otherwise: both stay, in the order they came.
    other = Finding(job.rule, job.name, Severity.WARNING, job.message, job.span, None)
    assert in_order([job, cm, other, job, cm]) == [cm, job, other]
    assert in_order([other, cm, job]) == [cm, other, job]
    assert in_order([]) == []
