"""HL108: a Job that is not a hook, which Argo CD cannot re-run on the next sync (docs/argocd.md#hook-lifecycle)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.model import Finding, FixAvailability, Rule, Severity
from hooklint.rules.context import Context


def _non_hook_job(ctx: Context) -> Iterator[Finding]:
    for task in ctx.plan.tasks:
        resource = task.resource
        if task.hook or (resource.group, resource.kind) != ("batch", "Job"):
            continue
        # An unnamed non-hook fails the sync on its own (docs/argocd.md#tasks). A Job that deletes itself when finished is
        # usually gone before its template changes; its drift is another matter.
        if resource.generate_name or resource.get(("spec", "ttlSecondsAfterFinished")) is not None:
            continue
        # docs/argocd.md#sync-options: Force=true deletes and re-creates the object when a patch or replace is impossible.
        if task.annotated.sync_options.has("Force=true"):
            continue
        yield ctx.finding(
            resource.span_at(("kind",)),
            f"{resource.ident} is a Job applied as a plain resource ({task.where}): its pod template is "
            'immutable, so the first sync after the template changes fails with "field is immutable"',
            resource=resource,
        )


NON_HOOK_JOB = Rule(
    id="HL108",
    name="non-hook-job",
    summary="A named Job synced as a plain resource: the next change to its pod template fails the sync.",
    severity=Severity.WARNING,
    check=_non_hook_job,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (NON_HOOK_JOB,)
