"""The model's values (hooklint/model.py): the order findings are reported in."""

from __future__ import annotations

from hooklint.model import Finding, Severity, in_order
from tests.report.sample import FINDINGS


def test_findings_are_put_in_order_once_each_and_ties_keep_the_order_they_came_in() -> None:
    job, cm = FINDINGS[0], FINDINGS[1]
    # Alike in place, rule and message, different otherwise: both stay, in the order they came.
    other = Finding(job.rule, job.name, Severity.WARNING, job.message, job.span, None)
    assert in_order([job, cm, other, job, cm]) == [cm, job, other]
    assert in_order([other, cm, job]) == [cm, other, job]
    assert in_order([]) == []
