"""HL108: a Job or another run-once kind that is not a hook, which Argo CD cannot re-run on the next sync (docs/argocd.md#hook-lifecycle, docs/argocd.md#run-once-kinds)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd.kinds import RUN_ONCE_KINDS
from hooklint.model import Finding, FixAvailability, Rule, Severity
from hooklint.rules.context import Context


def _non_hook_job(ctx: Context) -> Iterator[Finding]:
    for task in ctx.plan.tasks:
        resource = task.resource
        run_once = RUN_ONCE_KINDS.get((resource.group, resource.kind))
        if task.hook or run_once is None:
            continue
        # An unnamed non-hook fails the sync on its own (docs/argocd.md#tasks). A Job that deletes itself when finished is
        # usually gone before its template changes; its drift is another matter.
        if resource.generate_name or resource.get(("spec", "ttlSecondsAfterFinished")) is not None:
            continue
        # docs/argocd.md#sync-options: Force=true deletes and re-creates the object when a patch or replace is impossible.
        if task.annotated.sync_options.has("Force=true"):
            continue
        if resource.kind == "Job":
            message = (
                f"{resource.ident} is a Job applied as a plain resource ({task.where}): its pod template is "
                'immutable, so the first sync after the template changes fails with "field is immutable"'
            )
        else:
            message = (
                f"{resource.ident} is a {resource.kind} applied as a plain resource ({task.where}): it runs "
                f"once, on the sync that creates it; a later change to it {run_once.changed}"
            )
        yield ctx.finding(resource.span_at(("kind",)), message, resource=resource)


NON_HOOK_JOB = Rule(
    id="HL108",
    name="non-hook-job",
    summary="A named Job, Argo Workflow or Tekton run synced as a plain resource: it never runs again when it changes.",
    severity=Severity.WARNING,
    check=_non_hook_job,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (NON_HOOK_JOB,)
