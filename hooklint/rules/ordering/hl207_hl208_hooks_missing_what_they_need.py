"""HL207-HL208: delete and SyncFail hooks that run when what they need is gone or not there yet (docs/argocd.md#failure-and-syncfail, docs/argocd.md#application-deletion)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.model import Finding, FixAvailability, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.sync.plan import Plan

CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")


def _kept_on_app_deletion(plan: Plan, target: Resource) -> bool:
    """docs/argocd.md#cascade-deletion: the cascade never deletes CRDs, objects with Delete=false, or helm.sh/resource-policy: keep."""
    if (target.group, target.kind) == CRD:
        return True
    item = plan.annotated_of(target)
    if item.sync_options.value("Delete") == "false":
        return True
    policy = item.annotations.get(argo.HELM_RESOURCE_POLICY)
    return policy is not None and policy.text.strip() == "keep"


def _deleted_before_post_delete(plan: Plan, target: Resource) -> bool:
    """Whether the cascade of docs/argocd.md#delete-hooks step 2 removes `target` before PostDelete hooks are created (step 3)."""
    item = plan.annotated_of(target)
    if argo.POST_DELETE in item.delete_types:
        return False  # created along with the PostDelete hooks
    if _kept_on_app_deletion(plan, target):
        return False
    # Live objects the app applied (hooks included) and PreDelete hooks are deleted; objects no sync applies
    # (Skip, dropped hooks) are not the app's to delete.
    return bool(plan.tasks_of(target)) or argo.PRE_DELETE in item.delete_types


def _delete_hook_needs_deleted_resource(ctx: Context) -> Iterator[Finding]:
    if ctx.argocd_version < argo.DELETE_HOOK_SINCE[argo.POST_DELETE]:
        return  # docs/argocd.md#version-table: PostDelete hooks are ignored before v2.10.0
    plan, graph = ctx.plan, ctx.graph
    for task in plan.post_delete:
        hook = task.resource
        for ref in graph.references(hook):
            targets = graph.resources(ref.target)
            if not ref.hard or not targets:
                continue
            if not all(_deleted_before_post_delete(plan, target) for target in targets):
                continue
            yield ctx.finding(
                ref.span,
                f"{hook.ident} runs after the Application is deleted (PostDelete), but needs {ref.target} "
                f"({ref.field}), which the deletion removes before PostDelete hooks run",
                resource=hook,
                related=[
                    Related(targets[0].span, f"{ref.target} is deleted with the Application's resources")
                ],
            )


def _syncfail_hook_needs_later_resource(ctx: Context) -> Iterator[Finding]:
    plan, graph = ctx.plan, ctx.graph
    for task in plan.sync_fail:
        hook = task.resource
        for ref in graph.references(hook):
            targets = graph.resources(ref.target)
            if not ref.hard or not targets:
                continue
            # Another SyncFail hook starts with this one, in kind order (docs/argocd.md#failure-and-syncfail); the destination namespace is
            # created before anything else (docs/argocd.md#operation-start).
            if any(argo.SYNC_FAIL in plan.annotated_of(t).types or plan.is_precreated(t) for t in targets):
                continue
            steps = [step for t in targets if (step := plan.first_step(t)) is not None]
            if not steps:
                continue
            first = min(steps)
            failing = next((i for i in range(first) if plan.steps[i].can_fail), None)
            if failing is None:
                continue
            applied = plan.steps[first].where
            yield ctx.finding(
                ref.span,
                f"{hook.ident} runs when the sync fails, but needs {ref.target}, applied in {applied}: "
                f"a failure in {plan.steps[failing].where} leaves it missing",
                resource=hook,
                related=[Related(targets[0].span, f"{ref.target} is first applied in {applied}")],
            )


DELETE_HOOK_NEEDS_DELETED_RESOURCE = Rule(
    id="HL207",
    name="delete-hook-needs-deleted-resource",
    summary="A PostDelete hook needs one of the app's resources, which the app deletion removes before it runs.",
    severity=Severity.ERROR,
    check=_delete_hook_needs_deleted_resource,
    fix=FixAvailability.NONE,
)

SYNCFAIL_HOOK_NEEDS_LATER_RESOURCE = Rule(
    id="HL208",
    name="syncfail-hook-needs-later-resource",
    summary="A SyncFail hook needs an object applied after the first step: an earlier failure leaves it missing.",
    severity=Severity.WARNING,
    check=_syncfail_hook_needs_later_resource,
    fix=FixAvailability.NONE,
)


RULES: tuple[Rule, ...] = (
    DELETE_HOOK_NEEDS_DELETED_RESOURCE,
    SYNCFAIL_HOOK_NEEDS_LATER_RESOURCE,
)
