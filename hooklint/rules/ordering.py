"""HL204, HL205, HL209: waves whose gates do not wait, wait forever, or open too early (docs/argocd.md#sync-loop, docs/argocd.md#health-checks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hooklint.argocd import annotations as argo
from hooklint.argocd.health import has_health
from hooklint.argocd.identity import identity_namespace
from hooklint.argocd.kinds import BUILTIN_GROUPS
from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity, Span
from hooklint.rules.context import Context
from hooklint.sync.plan import Plan, Task

APPLICATION = ("argoproj.io", "Application")

# Custom kinds without a health check that are configuration a controller reads: there is nothing to wait for,
# so being done once applied is exactly right. AppProject is read by Argo CD itself when an Application syncs.
CONFIG_ONLY_KINDS = frozenset(
    {
        ("argoproj.io", "AppProject"),
        ("monitoring.coreos.com", "ServiceMonitor"),
        ("monitoring.coreos.com", "PodMonitor"),
        ("monitoring.coreos.com", "PrometheusRule"),
        ("monitoring.coreos.com", "Probe"),
        ("monitoring.coreos.com", "ScrapeConfig"),
        ("monitoring.coreos.com", "AlertmanagerConfig"),
    }
)
# Istio and Traefik routing and policy kinds are all configuration.
CONFIG_ONLY_GROUPS = frozenset(
    {
        "networking.istio.io",
        "security.istio.io",
        "telemetry.istio.io",
        "traefik.io",
        "traefik.containo.us",
    }
)

# Workloads whose pods stand behind a Service (matched by pod template labels).
BACKEND_KINDS = frozenset(
    {("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"), ("argoproj.io", "Rollout")}
)
WEBHOOK_CONFIGURATIONS = frozenset({"ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"})
ADMISSION = "admissionregistration.k8s.io"
BACKEND_FIELDS = ("webhook service", "apiservice service")


class Backends:
    """The workloads behind each Service: same namespace, pod template labels matching `spec.selector`."""

    def __init__(self, ctx: Context) -> None:
        self.plan = ctx.plan
        self.namespace = ctx.namespace
        self._by_namespace: dict[str, list[Resource]] = {}
        for resource in ctx.resources:
            if (resource.group, resource.kind) in BACKEND_KINDS:
                ns = identity_namespace(resource, ctx.namespace)
                self._by_namespace.setdefault(ns, []).append(resource)

    def workloads(self, service: Resource) -> list[Resource]:
        selector = service.get(("spec", "selector"))
        if not isinstance(selector, Mapping) or not selector:
            return []  # no selector: endpoints are managed by hand, no workload to find
        found = []
        for workload in self._by_namespace.get(identity_namespace(service, self.namespace), ()):
            labels = workload.get(("spec", "template", "metadata", "labels"))
            if isinstance(labels, Mapping) and all(labels.get(k) == v for k, v in selector.items()):
                found.append(workload)
        return found

    def ready_step(self, services: tuple[Resource, ...]) -> tuple[int, Resource] | None:
        """The step in which the backend is complete: its Service and one workload behind it both applied. Returns
        that step's index and whichever of the two comes last; None when no step applies the Service."""
        applied = [(step, s) for s in services if (step := self.plan.first_step(s)) is not None]
        if not applied:
            return None
        late = min(applied, key=lambda pair: pair[0])
        behind = [
            (step, w)
            for service in services
            for w in self.workloads(service)
            if (step := self.plan.first_step(w)) is not None
        ]
        if behind:
            workload = min(behind, key=lambda pair: pair[0])
            if workload[0] > late[0]:
                late = workload
        return late


def _waited_job_or_pod(task: Task) -> bool:
    return task.waits and (task.resource.group, task.kind) in (("batch", "Job"), ("", "Pod"))


def _wave_gate_without_health(ctx: Context) -> Iterator[Finding]:

    plan = ctx.plan
    configured = {str(kind) for kind in ctx.options.get("custom-health-kinds") or ()}
    old_application_health = ctx.argocd_version < argo.APPLICATION_HEALTH_REMOVED
    for index, step in enumerate(plan.steps[:-1]):
        following = plan.steps[index + 1]
        if any(_waited_job_or_pod(task) for task in step.tasks):
            continue  # the gate waits for that Job or Pod, typically a wait-for written for this very reason
        for task in step.tasks:
            resource = task.resource
            kind = (resource.group, resource.kind)
            if resource.group in BUILTIN_GROUPS or has_health(*kind) or f"{kind[0]}/{kind[1]}" in configured:
                continue
            if kind in CONFIG_ONLY_KINDS or resource.group in CONFIG_ONLY_GROUPS:
                continue
            if kind == APPLICATION and old_application_health:
                continue
            item = task.annotated
            # Only an explicit wave shows the author meant this object to finish before what follows.
            if not item.wave_source or task.moved_by is not None:
                continue
            why = (
                "Argo CD has no health check for Application since v1.8"
                if kind == APPLICATION
                else f"Argo CD has no health check for {resource.group}/{resource.kind}"
            )
            yield ctx.finding(
                item.annotations[item.wave_source].span,
                f"{resource.ident} in {step.where} is counted done as soon as it is applied ({why}): "
                f"{following.where} starts without waiting for it to be ready",
                resource=resource,
                related=[Related(following.tasks[0].resource.span, f"{following.where} starts here")],
            )


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
                related = [Related(following.tasks[0].resource.span, f"{following.where} starts here")]
            yield ctx.finding(span, message, resource=resource, related=related)


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


WAVE_GATE_WITHOUT_HEALTH = Rule(
    id="HL204",
    name="wave-gate-without-health",
    summary="A custom resource or Application ordered by an explicit wave has no health check: later waves do not wait for it.",
    severity=Severity.WARNING,
    check=_wave_gate_without_health,
    fix=FixAvailability.NONE,
    options={
        "custom-health-kinds": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[^/]*/[^/]+$"},
            "default": [],
            "description": "group/Kind entries that have a health check configured in argocd-cm "
            "(resource.customizations.health), e.g. argoproj.io/Application.",
        }
    },
)

WAVE_BLOCKED_BY_LOAD_BALANCER = Rule(
    id="HL205",
    name="wave-blocked-by-load-balancer",
    summary="An Ingress or LoadBalancer Service in a waited-on step holds back every later step until it gets an address.",
    severity=Severity.WARNING,
    check=_wave_blocked_by_load_balancer,
    fix=FixAvailability.NONE,
)

WEBHOOK_BEFORE_BACKEND = Rule(
    id="HL209",
    name="webhook-before-backend",
    summary="A webhook configuration or APIService is applied in an earlier step than the Service or workload serving it.",
    severity=Severity.ERROR,
    check=_webhook_before_backend,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (WAVE_GATE_WITHOUT_HEALTH, WAVE_BLOCKED_BY_LOAD_BALANCER, WEBHOOK_BEFORE_BACKEND)
