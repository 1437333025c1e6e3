"""The findings of `explain --base`: which a change introduces and which it resolves."""

from __future__ import annotations

from dataclasses import replace

from hooklint.engine.plandiff import _unmatched
from hooklint.model import Finding, ResourceRef, Severity, Span

JOB = ResourceRef("Job", "migrate", "default", "batch")


def container(name: str, line: int, resource: ResourceRef | None = JOB) -> Finding:
    return Finding(
        "HL301",
        "hook-container",
        Severity.WARNING,
        f"Job/migrate container {name} has no resource limits",
        Span("app/migrate.yaml", line, 1, line, 5),
        resource,
    )


def test_findings_of_one_object_pair_by_message_before_pairing_at_all() -> None:
    # The base's finding about container `a` persists under its words, whatever lines moved; the second
    # container's is the new one, though a finding of the same rule and object was there before.
    before = [container("a", 9)]
    after = [container("b", 12), container("a", 10)]
    assert _unmatched(after, before, str) == [container("b", 12)]
    assert _unmatched(before, after, str) == []


def test_a_finding_of_another_object_or_rule_is_never_paired() -> None:
    seed = ResourceRef("Job", "seed", "default", "batch")
    before = [container("a", 9, seed), replace(container("a", 9), rule="HL302")]
    after = [container("a", 9)]
    assert _unmatched(after, before, str) == after
    assert _unmatched(before, after, str) == before
