"""HL101-HL102: sync hooks whose delete policies leave old objects in the way or piling up (docs/argocd.md#hook-lifecycle)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.model import Finding, Fix, FixAvailability, Rule, Severity
from hooklint.rules import blocks, edits
from hooklint.rules.context import Context


def _add_policy(ctx: Context, item: Annotated, policy: str) -> Fix | None:
    """Put `policy` first in the hook's delete-policy list: Argo CD's key when it is there, else Helm's in
    Helm's spelling; a hook with neither gets the key its hook type came from (docs/argocd.md#delete-policies: the lists are unioned)."""
    resource = item.resource
    helm_policy = next(name for name, value in argo.HELM_POLICY_MAP.items() if value == policy)
    flow = edits.is_flow(resource.node_at(("metadata", "annotations")))
    text = edits.source(ctx, resource.path)
    for key, value in ((argo.HOOK_DELETE_POLICY, policy), (argo.HELM_HOOK_DELETE_POLICY, helm_policy)):
        annotation = item.annotations.get(key)
        if annotation is not None:
            if edits.is_alias(annotation.key_span, annotation.node):
                return None
            edit = edits.csv_prepend(resource.path, annotation.node, value, flow=flow, text=text)
            return Fix(f"Add {value} to {key}", True, (edit,)) if edit else None
    from_helm = item.argo_hook is None
    key, value = (
        (argo.HELM_HOOK_DELETE_POLICY, helm_policy) if from_helm else (argo.HOOK_DELETE_POLICY, policy)
    )
    after = argo.HELM_HOOK if from_helm else argo.HOOK
    edit = blocks.add_annotation(resource.path, text, resource.node, key, value, after=after)
    return Fix(f"Add {key}: {value}", True, (edit,)) if edit else None


def _named_hook_without_bhc(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        resource = item.resource
        # docs/argocd.md#hook-lifecycle: only sync-phase hooks are re-applied over a leftover object; delete hooks are created (docs/argocd.md#create-or-apply).
        # Several phases on one named object are HL115's case, with its own consequence.
        if len(item.types) != 1 or resource.generate_name or not item.explicit_policies:
            continue
        if argo.BEFORE_HOOK_CREATION in item.explicit_policies:
            continue
        tasks = ctx.plan.tasks_of(resource)
        # docs/argocd.md#hook-health: a hook without a health check (ServiceAccount, RBAC, ConfigMap) completes once applied, so
        # applying over a leftover copy changes nothing; only hooks Argo CD waits on can fail or be skipped.
        if not any(task.waits for task in tasks):
            continue
        annotation = (
            item.annotations.get(argo.HOOK_DELETE_POLICY) or item.annotations[argo.HELM_HOOK_DELETE_POLICY]
        )
        where = ", ".join(task.where for task in tasks)
        yield ctx.finding(
            annotation.span,
            f"{resource.ident} is a named hook ({where}) whose delete policy "
            f"{','.join(item.explicit_policies)} lacks BeforeHookCreation: when an earlier run's object is left "
            "behind, the next sync applies over it and fails on immutable fields or reuses the old result",
            resource=resource,
            fix=_add_policy(ctx, item, argo.BEFORE_HOOK_CREATION),
        )


NAMED_HOOK_WITHOUT_BEFORE_HOOK_CREATION = Rule(
    id="HL101",
    name="named-hook-without-before-hook-creation",
    summary="A named hook whose explicit delete policies lack BeforeHookCreation: the next sync applies over the leftover.",
    severity=Severity.ERROR,
    check=_named_hook_without_bhc,
    fix=FixAvailability.ALWAYS,
)


def _generated_hook_accumulates(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        resource = item.resource
        # Only sync-phase runs accumulate here; a generateName delete hook is HL113's (docs/argocd.md#delete-hooks).
        if not resource.generate_name or not item.types or argo.HOOK_SUCCEEDED in item.policies:
            continue
        # docs/argocd.md#hook-lifecycle: BeforeHookCreation matches by name, so it never finds an earlier run's object; HookFailed deletes
        # only when an operation fails; live hooks are never pruned (docs/argocd.md#tasks). Nothing else removes them.
        if argo.HOOK_FAILED in item.policies:
            fate = "only a failed sync deletes it, so one is left behind by every successful sync"
        else:
            fate = "none is ever deleted, so they pile up"
        annotation = item.annotations.get(argo.HOOK_DELETE_POLICY) or item.annotations.get(
            argo.HELM_HOOK_DELETE_POLICY
        )
        span = annotation.span if annotation else resource.span_at(("metadata", "generateName"))
        policies = ",".join(item.policies) + ("" if item.explicit_policies else " (the default)")
        tasks = ctx.plan.tasks_of(resource)
        if not tasks:
            continue  # a copy Argo CD drops before the sync (several unnamed hooks of one kind): HL004's
        where = ", ".join(task.where for task in tasks)
        what = "a generateName hook" if resource.name else "an unnamed hook"
        yield ctx.finding(
            span,
            f"{tasks[0].label} is {what} ({where}) with delete policy {policies}: every sync "
            f"creates a new object under a new name and {fate}",
            resource=resource,
            fix=_add_policy(ctx, item, argo.HOOK_SUCCEEDED),
        )


GENERATED_HOOK_ACCUMULATES = Rule(
    id="HL102",
    name="generated-hook-accumulates",
    summary="A generateName sync hook without HookSucceeded: its runs leave objects behind that nothing deletes.",
    severity=Severity.WARNING,
    check=_generated_hook_accumulates,
    fix=FixAvailability.ALWAYS,
)

RULES: tuple[Rule, ...] = (NAMED_HOOK_WITHOUT_BEFORE_HOOK_CREATION, GENERATED_HOOK_ACCUMULATES)
