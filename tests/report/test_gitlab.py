"""The gitlab format (hooklint/report/gitlab.py): Code Quality issues whose fingerprints survive moved lines."""

from __future__ import annotations

import json

from hooklint.model import Finding, Span
from hooklint.report import reporter
from hooklint.report.summary import Summary
from hooklint.rules import ALL_RULES
from tests.report.sample import FINDINGS, summary


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
