"""HL101-HL115: hook lifecycle pitfalls: delete policies, completion, accumulation and drift (ARGOCD.md §7, §9)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint import argo
from hooklint.model import Finding, Severity
from hooklint.rules.base import Context, FixAvailability, Rule


def _named_hook_without_bhc(ctx: Context) -> Iterator[Finding]:
    for item in ctx.annotated():
        resource = item.resource
        # §7: only sync-phase hooks are re-applied over a leftover object; delete hooks are created (§7.1).
        # Several phases on one named object are HL115's case, with its own consequence.
        if len(item.types) != 1 or resource.generate_name or not item.explicit_policies:
            continue
        if argo.BEFORE_HOOK_CREATION in item.explicit_policies:
            continue
        annotation = (
            item.annotations.get(argo.HOOK_DELETE_POLICY) or item.annotations[argo.HELM_HOOK_DELETE_POLICY]
        )
        where = ", ".join(task.where for task in ctx.plan.tasks_of(resource))
        yield ctx.finding(
            annotation.span,
            f"{resource.ident} is a named hook ({where}) whose delete policy "
            f"{','.join(item.explicit_policies)} lacks BeforeHookCreation: when an earlier run's object is left "
            "behind, the next sync applies over it and fails on immutable fields or reuses the old result",
            resource=resource,
        )


NAMED_HOOK_WITHOUT_BEFORE_HOOK_CREATION = Rule(
    id="HL101",
    name="named-hook-without-before-hook-creation",
    summary="A named hook whose explicit delete policies lack BeforeHookCreation: the next sync applies over the leftover.",
    severity=Severity.ERROR,
    check=_named_hook_without_bhc,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (NAMED_HOOK_WITHOUT_BEFORE_HOOK_CREATION,)
