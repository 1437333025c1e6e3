"""What the report tests render: three findings of one job file (an error with its source line, a warning with a
related place, an info on standard input with a line break), and a bad hook Job for runs of the CLI."""

from __future__ import annotations

from hooklint.model import Finding, Related, ResourceRef, Severity, Span
from hooklint.report.summary import Summary

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


BAD = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
