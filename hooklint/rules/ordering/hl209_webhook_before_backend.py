"""HL209: a webhook or APIService applied before the workload that serves it (docs/argocd.md#sync-loop)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.ordering.backends import Backends
from hooklint.sync.plan import Plan

WEBHOOK_CONFIGURATIONS = frozenset({"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"})
ADMISSION = "admissionregistration.k8s.io"
BACKEND_FIELDS = ("webhook service", "apiservice service")


def _fails_closed(resource: Resource, path: Path) -> bool:
    """Whether the webhook at `path` rejects requests while its backend is down (an APIService always fails)."""
    if resource.kind not in WEBHOOK_CONFIGURATIONS:
        return True
    policy = resource.get(("webhooks", path[1], "failurePolicy"))
    if policy is None:
        # The default is Fail in admissionregistration.k8s.io/v1, Ignore in v1beta1.
        return resource.api_version != f"{ADMISSION}/v1beta1"
    return bool(policy != "Ignore")


def _webhook_before_backend(ctx: Context) -> Iterator[Finding]:
    plan: Plan = ctx.plan
    backends: Backends | None = None
    for resource in ctx.resources:
        is_webhook = resource.group == ADMISSION and resource.kind in WEBHOOK_CONFIGURATIONS
        if not (is_webhook or (resource.group, resource.kind) == ("apiregistration.k8s.io", "APIService")):
            continue
        first = plan.first_step(resource)
        if first is None:
            continue
        for ref in ctx.graph.references(resource):
            if ref.field not in BACKEND_FIELDS or not _fails_closed(resource, ref.path):
                continue
            backends = backends or Backends(ctx)
            ready = backends.ready_step(ctx.graph.resources(ref.target))
            if ready is None or ready[0] <= first:
                continue
            late, backend = plan.steps[ready[0]], ready[1]
            behind = "" if backend.kind == "Service" else f" (behind Service/{ref.target.name})"
            head = (
                f"{resource.ident} is applied in {plan.steps[first].where}, but its backend {backend.ident}"
                f"{behind} is first applied in {late.where}"
            )
            if is_webhook:
                webhook = resource.get(("webhooks", ref.path[1], "name"))
                tail = (
                    f": until it is up, the API server rejects every request webhook {webhook} intercepts "
                    "(failurePolicy Fail)"
                )
            else:
                # docs/argocd.md#health-checks: an APIService is healthy once Available; the gate of its step waits for that.
                tail = (
                    ": the APIService never becomes Available before that, so the sync waits for it forever"
                )
            yield ctx.finding(
                ref.span,
                head + tail,
                resource=resource,
                related=[Related(backend.span, f"{backend.ident} is first applied in {late.where}")],
            )


WEBHOOK_BEFORE_BACKEND = Rule(
    id="HL209",
    name="webhook-before-backend",
    summary="A webhook configuration or APIService is applied in an earlier step than the Service or workload serving it.",
    severity=Severity.ERROR,
    check=_webhook_before_backend,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (WEBHOOK_BEFORE_BACKEND,)
