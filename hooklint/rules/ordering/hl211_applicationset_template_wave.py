"""HL211: a sync wave in an ApplicationSet's template, which orders nothing (docs/argocd.md#applicationset-progressive-sync)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import applicationset
from hooklint.model import Finding, FixAvailability, Rule, Severity
from hooklint.rules.context import Context


def _template_wave(ctx: Context) -> Iterator[Finding]:
    for resource in ctx.resources:
        if not applicationset.is_application_set(resource):
            continue
        span = applicationset.template_wave(resource)
        if span is None:
            continue
        strategy = applicationset.strategy_type(resource)
        if applicationset.rollout(resource) is not None:
            how = "its RollingSync steps alone decide the order"
        elif strategy == applicationset.ROLLING_SYNC:
            how = "its RollingSync strategy lists no steps"
        else:
            how = f"with strategy {strategy or 'AllAtOnce'} they are all updated at once"
        yield ctx.finding(
            span,
            f"argocd.argoproj.io/sync-wave in {resource.ident}'s template orders nothing: the ApplicationSet "
            f"controller creates its Applications itself and no parent Application syncs them; {how}",
            resource=resource,
        )


APPLICATIONSET_TEMPLATE_WAVE = Rule(
    id="HL211",
    name="applicationset-template-wave",
    summary="A sync wave in an ApplicationSet's template: generated Applications are not synced by a parent, so it orders nothing.",
    severity=Severity.WARNING,
    check=_template_wave,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (APPLICATIONSET_TEMPLATE_WAVE,)
