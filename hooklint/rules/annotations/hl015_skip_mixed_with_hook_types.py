"""HL015: Skip listed with other hook types, so the object runs as their hook (docs/argocd.md#hook-types)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.model import Finding, FixAvailability, Rule, Severity
from hooklint.rules.annotations.places import places
from hooklint.rules.annotations.value_fixes import drop_skip
from hooklint.rules.context import Context


def _skip_mixed_with_hook_types(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        for value in item.dropped_types:
            if value.reason != argo.SKIP_IGNORED:
                continue
            # docs/argocd.md#hook-types (TestSkipAndHook): Skip counts only alone; next to other types the object is their hook.
            others = ",".join(item.types + item.delete_types)
            yield ctx.finding(
                value.span,
                f"Skip is ignored next to {others}: {item.resource.ident} is not skipped, it runs as a hook in "
                f"{places(ctx, item)}",
                resource=item.resource,
                fix=drop_skip(ctx, item),
            )


SKIP_MIXED_WITH_HOOK_TYPES = Rule(
    id="HL015",
    name="skip-mixed-with-hook-types",
    summary="Skip listed with other hook types: the object is not skipped but runs as a hook of the others.",
    severity=Severity.WARNING,
    check=_skip_mixed_with_hook_types,
    fix=FixAvailability.ALWAYS,
)
RULES: tuple[Rule, ...] = (SKIP_MIXED_WITH_HOOK_TYPES,)
