"""HL205: a wave that waits on a LoadBalancer Service no cloud gives an address (docs/argocd.md#health-checks)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.model import Finding, FixAvailability, Related, Resource, Rule, Severity, Span
from hooklint.rules.context import Context


def _load_balancer_span(resource: Resource) -> Span | None:
    if resource.kind == "Ingress" and resource.group in ("networking.k8s.io", "extensions"):
        return resource.span_at(("kind",))
    if (resource.group, resource.kind) == ("", "Service") and resource.get(
        ("spec", "type")
    ) == "LoadBalancer":
        return resource.span_at(("spec", "type"))
    return None


def _wave_blocked_by_load_balancer(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    for index, step in enumerate(plan.steps):
        # docs/argocd.md#step-gates, docs/argocd.md#sync-success: resources are waited on in every non-final step of a multi-step sync, and in a final step
        # with hooks; the final hook-free step is not waited on.
        if not (step.multi_step and step.gated):
            continue
        for task in step.tasks:
            span = None if task.hook else _load_balancer_span(task.resource)
            if span is None:
                continue
            resource = task.resource
            stuck = f"{resource.ident} in {step.where} stays Progressing until a load balancer address is assigned"
            if step.final:
                message = f"{stuck}, and the sync waits for it with the step's hooks before it can finish"
                related: list[Related] = []
            else:
                following = plan.steps[index + 1]
                message = f"{stuck}: {following.where} and every later step wait for it"
                related = [Related(following.entries[0].resource.span, f"{following.where} starts here")]
            yield ctx.finding(span, message, resource=resource, related=related)


WAVE_BLOCKED_BY_LOAD_BALANCER = Rule(
    id="HL205",
    name="wave-blocked-by-load-balancer",
    summary="An Ingress or LoadBalancer Service in a waited-on step holds back every later step until it gets an address.",
    severity=Severity.WARNING,
    check=_wave_blocked_by_load_balancer,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (WAVE_BLOCKED_BY_LOAD_BALANCER,)
