"""The json format (hooklint/report/json_report.py): the contract's document, byte for byte."""

from __future__ import annotations

from hooklint.model import Finding, Related, ResourceRef, Severity, Span
from hooklint.report import reporter
from hooklint.report.summary import Summary
from hooklint.rules import ALL_RULES
from tests.report.sample import FINDINGS


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
