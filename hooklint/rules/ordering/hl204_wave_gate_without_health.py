"""HL204: a wave gate that does not wait for an object a later step needs, or one that provisions something, because it has no health check (docs/argocd.md#sync-loop, docs/argocd.md#health-checks)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.health import has_health
from hooklint.argocd.kinds import BUILTIN_GROUPS, provisions
from hooklint.graph import Reference
from hooklint.model import Finding, FixAvailability, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.sync.plan import Task

APPLICATION = ("argoproj.io", "Application")
APPLICATION_SET = ("argoproj.io", "ApplicationSet")

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


def _waited_job_or_pod(task: Task) -> bool:
    # The kind first: whether the task waits is the costlier question, and most tasks are neither.
    resource = task.resource
    return (resource.group, resource.kind) in _JOB_OR_POD and task.waits


_JOB_OR_POD = (("batch", "Job"), ("", "Pod"))


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
            written_only = kind == APPLICATION_SET and not _rolling(resource)
            if resource.group in BUILTIN_GROUPS or f"{kind[0]}/{kind[1]}" in configured:
                continue
            if has_health(*kind) and not written_only:
                continue
            if kind in CONFIG_ONLY_KINDS or resource.group in CONFIG_ONLY_GROUPS:
                continue
            if kind == APPLICATION and old_application_health:
                continue
            item = task.annotated
            # Only an explicit wave shows the author meant this object to finish before what follows.
            if not item.wave_source or task.moved_by is not None:
                continue
            # Configuration nothing waits on is done once applied, rightly: only an object that a later step
            # needs, or that is known to provision something, makes the gate's not waiting a problem.
            needed = _needed_later(ctx, task, index)
            if needed is None and kind != APPLICATION and not written_only and not provisions(resource):
                continue
            if kind == APPLICATION:
                why = "Argo CD has no health check for Application since v1.8"
            elif written_only:
                why = (
                    "Argo CD's health check of an ApplicationSet reads its own conditions: it is Healthy once "
                    "its Applications are written, not synced, unless a RollingSync is in progress"
                )
            else:
                why = f"Argo CD has no health check for {resource.group}/{resource.kind}"
            related = [Related(following.entries[0].resource.span, f"{following.where} starts here")]
            if needed is not None:
                source = needed.source
                where = ctx.plan.steps[ctx.plan.first_step(source) or 0].where
                related.append(Related(needed.span, f"{source.ident} in {where} needs it ({needed.field})"))
            yield ctx.finding(
                item.annotations[item.wave_source].span,
                f"{resource.ident} in {step.where} is counted done as soon as it is applied ({why}): "
                f"{following.where} starts without waiting for it to be ready",
                resource=resource,
                related=related,
            )


def _rolling(resource: Resource) -> bool:
    """Whether the ApplicationSet syncs its Applications by a progressive RollingSync, during which its
    health is Progressing (docs/argocd.md#health-checks)."""
    return bool(resource.get(("spec", "strategy", "type")) == "RollingSync")


def _needed_later(ctx: Context, task: Task, index: int) -> Reference | None:
    """The first reference to the task's object from one applied in a later step (the graph's edges)."""
    for ref in ctx.graph.referrers(task.resource):
        step = ctx.plan.first_step(ref.source)
        if ref.source is not task.resource and step is not None and step > index:
            return ref
    return None


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


RULES: tuple[Rule, ...] = (WAVE_GATE_WITHOUT_HEALTH,)
