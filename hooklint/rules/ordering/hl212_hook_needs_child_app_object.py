"""HL212: a hook that needs an object only a child Application deploys, which nothing makes it wait for
(docs/argocd.md#health-checks, docs/argocd.md#step-gates)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd import application
from hooklint.argocd.identity import effective_namespace
from hooklint.model import Finding, FixAvailability, Related, Resource, ResourceKey, Rule, Severity, Span
from hooklint.rules.context import Context
from hooklint.rules.ordering.dependency_kinds import MISSABLE
from hooklint.rules.ordering.service_calls import literals, service_names
from hooklint.util.frozen import frozen


@frozen
class _Need:
    """One object a hook needs: the field that names it (or calls it, for a Service) and the hook's step."""

    hook: Resource
    step: int
    target: ResourceKey
    span: Span
    field: str


def _needs(ctx: Context) -> list[_Need]:
    """What each hook that runs in a sync step needs to start or to do its work: the objects its hard
    references name, and the in-cluster Services its literal env values, commands and arguments call."""
    found = []
    for item in ctx.hook_annotated():
        hook = item.resource
        step = ctx.plan.first_step(hook) if item.runs else None
        if step is None:
            continue
        for ref in ctx.graph.references(hook):
            if ref.hard and (ref.target.group, ref.target.kind) in MISSABLE:
                found.append(_Need(hook, step, ref.target, ref.span, ref.field))
        own = effective_namespace(hook, ctx.namespace)
        for path, text in literals(hook):
            for name, namespace in dict.fromkeys(service_names(text, own)):
                target = ResourceKey("", "Service", namespace, name)
                found.append(_Need(hook, step, target, hook.span_at(path), "called by name"))
    return found


def _needs_child_object(ctx: Context) -> Iterator[Finding]:
    plan, graph = ctx.plan, ctx.graph
    parent = plan.app.resource if plan.app is not None else None
    if not any(application.is_application(r) and r is not parent for r in ctx.resources):
        return
    needs = _needs(ctx)
    if not needs:
        return
    from hooklint.sources.child_apps import Children

    kids = ctx.memo("child-apps", lambda: Children(ctx.resources, parent, ctx.namespace))
    health = (
        bool(ctx.options.get("application-health")) or ctx.argocd_version < argo.APPLICATION_HEALTH_REMOVED
    )
    for need in needs:
        if kids.owner(need.hook) is not None:
            continue  # a child's own hook: that child syncs it with its own objects
        if any(kids.owner(r) is None for r in graph.resources(need.target)):
            continue  # the application defines it itself
        found = kids.deploying(need.target)
        if found is None:
            continue
        child, target = found
        hook, app = need.hook, child.app.resource
        applied = plan.first_step(app)
        if applied is None:
            why = "this sync does not apply that Application, so nothing orders the two"
        elif applied >= need.step:
            why = f"that Application is applied in {plan.steps[applied].where}, not before the hook"
        elif not health:
            why = (
                f"that Application is applied in {plan.steps[applied].where}, but Argo CD has no health check "
                "for Application since v1.8: the hook starts without waiting for the child's sync"
            )
        else:
            continue
        yield ctx.finding(
            need.span,
            f"{hook.ident} ({plan.places(hook)}) needs {need.target} ({need.field}), which only child Application "
            f"{app.name} deploys (source path {child.path}); {why}",
            resource=hook,
            related=[Related(target.span, f"{need.target} is deployed by child Application {app.name}")],
        )


HOOK_NEEDS_CHILD_APP_OBJECT = Rule(
    id="HL212",
    name="hook-needs-child-app-object",
    summary="A hook needs an object only a child Application deploys: nothing waits for the child's sync.",
    severity=Severity.WARNING,
    check=_needs_child_object,
    fix=FixAvailability.NONE,
    # An object of the parent left out of a chart read without helm may be the one the hook needs.
    needs_every_object=True,
    options={
        "application-health": {
            "type": "boolean",
            "default": False,
            "description": "argocd-cm gives argoproj.io/Application a health check "
            "(resource.customizations.health.argoproj.io_Application), so a sync step waits for a child "
            "Application to be healthy.",
        }
    },
)

RULES: tuple[Rule, ...] = (HOOK_NEEDS_CHILD_APP_OBJECT,)
