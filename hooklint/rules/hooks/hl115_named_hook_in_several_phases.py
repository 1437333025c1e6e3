"""HL115: one named hook in several phases (docs/argocd.md#hook-lifecycle)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.model import Finding, FixAvailability, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.hooks.task_places import where


def _named_hook_in_several_phases(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        resource = item.resource
        if len(item.types) < 2 or resource.generate_name:
            continue
        # docs/argocd.md#delete-policies: no explicit policy means BeforeHookCreation, which re-creates the object for each phase (docs/argocd.md#hook-lifecycle).
        policies = item.explicit_policies
        if not policies or argo.BEFORE_HOOK_CREATION in policies:
            continue
        tasks = ctx.plan.tasks_of(resource)
        # Re-applying an object with nothing to wait for (a ConfigMap, RBAC) is all its later phases do anyway.
        if len(tasks) < 2 or not any(task.waits for task in tasks):
            continue
        annotation = item.policy_annotation
        if annotation is None:
            continue
        later = " and ".join(task.phase for task in tasks[1:])
        yield ctx.finding(
            annotation.span,
            f"{resource.ident} runs in {where(tasks)} as one named object whose delete policy "
            f"{','.join(policies)} lacks BeforeHookCreation: the {later} run finds the {tasks[0].phase} object "
            "live, re-applies it and takes over its completed status, so it does not run again",
            resource=resource,
        )


NAMED_HOOK_IN_SEVERAL_PHASES = Rule(
    id="HL115",
    name="named-hook-in-several-phases",
    summary="A named hook in several phases without BeforeHookCreation: the later phases reuse the first run.",
    severity=Severity.WARNING,
    check=_named_hook_in_several_phases,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (NAMED_HOOK_IN_SEVERAL_PHASES,)
