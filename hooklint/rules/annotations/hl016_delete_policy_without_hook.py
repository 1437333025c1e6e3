"""HL016: delete policies on an object that is not a hook, which Argo CD does not act on (docs/argocd.md#delete-policies)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.model import Finding, Rule, Severity
from hooklint.rules.annotations.near_misses import near_miss
from hooklint.rules.context import Context


def _why_not_a_hook(item: Annotated) -> str:
    if item.skip:
        return "annotated Skip"
    helm = item.helm_hook
    if helm is not None and helm.text == argo.HELM_CRD_INSTALL:
        return "helm.sh/hook: crd-install makes no hook"
    return "no hook annotation"


def _delete_policy_without_hook(ctx: Context) -> Iterator[Finding]:
    for item in ctx.annotated():
        if (
            argo.HOOK_DELETE_POLICY not in item.annotations
            and argo.HELM_HOOK_DELETE_POLICY not in item.annotations
        ):
            continue  # no delete policy at all (most objects)
        # docs/argocd.md#delete-policies: only hooks are deleted by policy. Skip-only objects keep their delete types (Skip,PostDelete
        # is still a delete hook), so both conditions are needed.
        if item.is_hook or item.delete_types:
            continue
        # A misspelled hook key is the real mistake there, and HL014 reports it.
        if any(near_miss(key) in (argo.HOOK, argo.HELM_HOOK) for key in item.annotations):
            continue
        for key in (argo.HOOK_DELETE_POLICY, argo.HELM_HOOK_DELETE_POLICY):
            annotation = item.annotations.get(key)
            if annotation is None:
                continue
            if (
                key == argo.HELM_HOOK_DELETE_POLICY
                and item.helm_hook is None
                and argo.HOOK not in item.annotations
            ):
                # Helm ignores its delete policy on an object with no hook too: the chart syncs as it installs.
                continue
            yield ctx.finding(
                annotation.key_span,
                f"{key} on {item.resource.ident}, which is not a hook ({_why_not_a_hook(item)}): delete "
                f"policies apply only to hooks, so it has no effect; "
                f"{ctx.plan.standing(item.resource)}",
                resource=item.resource,
            )


DELETE_POLICY_WITHOUT_HOOK = Rule(
    id="HL016",
    name="delete-policy-without-hook",
    summary="A hook delete policy on an object that is not a hook: Argo CD ignores it.",
    severity=Severity.WARNING,
    check=_delete_policy_without_hook,
)


RULES: tuple[Rule, ...] = (DELETE_POLICY_WITHOUT_HOOK,)
