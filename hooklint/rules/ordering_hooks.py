"""HL207, HL208, HL210: hooks that run when what they need is gone or not there yet (docs/argocd.md#failure-and-syncfail, docs/argocd.md#application-deletion)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.identity import identity_namespace
from hooklint.argocd.kinds import containers
from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.ordering import Backends
from hooklint.sync.plan import Plan, Step, Task

CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")


def _kept_on_app_deletion(plan: Plan, target: Resource) -> bool:
    """docs/argocd.md#cascade-deletion: the cascade never deletes CRDs, objects with Delete=false, or helm.sh/resource-policy: keep."""
    if (target.group, target.kind) == CRD:
        return True
    item = plan.annotated_of(target)
    if item.sync_options.value("Delete") == "false":
        return True
    policy = item.annotations.get(argo.HELM_RESOURCE_POLICY)
    return policy is not None and policy.text.strip() == "keep"


def _deleted_before_post_delete(plan: Plan, target: Resource) -> bool:
    """Whether the cascade of docs/argocd.md#delete-hooks step 2 removes `target` before PostDelete hooks are created (step 3)."""
    item = plan.annotated_of(target)
    if argo.POST_DELETE in item.delete_types:
        return False  # created along with the PostDelete hooks
    if _kept_on_app_deletion(plan, target):
        return False
    # Live objects the app applied (hooks included) and PreDelete hooks are deleted; objects no sync applies
    # (Skip, dropped hooks) are not the app's to delete.
    return bool(plan.tasks_of(target)) or argo.PRE_DELETE in item.delete_types


def _delete_hook_needs_deleted_resource(ctx: Context) -> Iterator[Finding]:
    if ctx.argocd_version < argo.DELETE_HOOK_SINCE[argo.POST_DELETE]:
        return  # docs/argocd.md#version-table: PostDelete hooks are ignored before v2.10.0
    plan, graph = ctx.plan, ctx.graph
    for task in plan.post_delete:
        hook = task.resource
        for ref in graph.references(hook):
            targets = graph.resources(ref.target)
            if not ref.hard or not targets:
                continue
            if not all(_deleted_before_post_delete(plan, target) for target in targets):
                continue
            yield ctx.finding(
                ref.span,
                f"{hook.ident} runs after the Application is deleted (PostDelete), but needs {ref.target} "
                f"({ref.field}), which the deletion removes before PostDelete hooks run",
                resource=hook,
                related=[
                    Related(targets[0].span, f"{ref.target} is deleted with the Application's resources")
                ],
            )


def _can_fail(step: Step) -> bool:
    """A step that can fail after its applies went through: a hook or resource in it is waited on and can turn
    Degraded (docs/argocd.md#task-status, docs/argocd.md#step-gates). A step of objects done once applied fails only on an apply error."""
    return any(task.waits for task in step.tasks)


def _syncfail_hook_needs_later_resource(ctx: Context) -> Iterator[Finding]:
    plan, graph = ctx.plan, ctx.graph
    for task in plan.sync_fail:
        hook = task.resource
        for ref in graph.references(hook):
            targets = graph.resources(ref.target)
            if not ref.hard or not targets:
                continue
            # Another SyncFail hook starts with this one, in kind order (docs/argocd.md#failure-and-syncfail); the destination namespace is
            # created before anything else (docs/argocd.md#operation-start).
            if any(argo.SYNC_FAIL in plan.annotated_of(t).types or plan.is_precreated(t) for t in targets):
                continue
            steps = [step for t in targets if (step := plan.first_step(t)) is not None]
            if not steps:
                continue
            first = min(steps)
            failing = next((i for i in range(first) if _can_fail(plan.steps[i])), None)
            if failing is None:
                continue
            applied = plan.steps[first].where
            yield ctx.finding(
                ref.span,
                f"{hook.ident} runs when the sync fails, but needs {ref.target}, applied in {applied}: "
                f"a failure in {plan.steps[failing].where} leaves it missing",
                resource=hook,
                related=[Related(targets[0].span, f"{ref.target} is first applied in {applied}")],
            )


# A host name: DNS labels, not glued to a preceding or following name character.
_HOST = re.compile(
    r"(?<![A-Za-z0-9_.-])(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"\.?(?P<port>:[0-9]{1,5})?(?![A-Za-z0-9_.-])"
)
# What makes a host of one or two labels a URL host: a scheme, and maybe user info, just before it.
_URL_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^\s/@]*@)?\Z")
_AUTHORITY_REST = re.compile(r"[^\s/?#]*")
_SCHEME_WINDOW = 256  # how far back a scheme is looked for: keeps long embedded scripts linear


def service_names(text: str, own_namespace: str) -> Iterator[tuple[str, str]]:
    """(name, namespace) of every in-cluster Service DNS name in `text`: NAME.NS.svc[.domain],
    POD.NAME.NS.svc[.domain], NAME.NS with a port or as a URL host, or NAME as a URL host in `own_namespace`."""
    if ":" not in text and ".svc" not in text:
        return  # every form needs a .svc label, a port or a URL's scheme
    urls = "://" in text
    for match in _HOST.finditer(text):
        labels = match.group("host").split(".")
        # Most words name nothing whatever comes before them; only the rest pay for the look back for a scheme.
        if len(labels) >= 3 and labels[2] != "svc" and (len(labels) == 3 or labels[3] != "svc"):
            continue
        if len(labels) <= 2 and not urls and not (len(labels) == 2 and match.group("port")):
            continue
        in_url = (
            urls
            and _URL_PREFIX.search(text, max(0, match.start() - _SCHEME_WINDOW), match.start()) is not None
        )
        rest = _AUTHORITY_REST.match(text, match.end())
        if in_url and rest is not None and "@" in rest.group():
            continue  # the user info of a URL, not its host
        if len(labels) >= 3 and labels[2] == "svc":
            yield labels[0], labels[1]
        elif len(labels) >= 4 and labels[3] == "svc":
            yield labels[1], labels[2]  # a pod of a headless Service
        elif len(labels) == 2 and (in_url or match.group("port")):
            yield labels[0], labels[1]
        elif len(labels) == 1 and in_url:
            yield labels[0], own_namespace


def _literals(resource: Resource) -> Iterator[tuple[Path, str]]:
    """Literal env values, args and command items of every container."""
    for path, container in containers(resource):
        env = container.get("env")
        for i, variable in enumerate(env if isinstance(env, list) else ()):
            if isinstance(variable, dict) and isinstance(variable.get("value"), str):
                yield (*path, "env", i, "value"), variable["value"]
        for field in ("command", "args"):
            items = container.get(field)
            for i, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, str):
                    yield (*path, field, i), item


def _hook_calls_service_not_yet_applied(ctx: Context) -> Iterator[Finding]:
    plan = ctx.plan
    services: dict[tuple[str, str], list[Resource]] = {}
    for resource in ctx.resources:
        if (resource.group, resource.kind) == ("", "Service"):
            key = (resource.name, identity_namespace(resource, ctx.namespace))
            services.setdefault(key, []).append(resource)
    if not services:
        return
    backends = Backends(ctx)
    first_task: dict[int, tuple[int, Task]] = {}
    for index, step in enumerate(plan.steps):
        for task in step.tasks:
            if task.hook:
                first_task.setdefault(id(task.resource), (index, task))
    for index, task in first_task.values():
        hook = task.resource
        for path, text in _literals(hook):
            seen: set[tuple[str, str]] = set()
            for name, namespace in service_names(text, task.namespace):
                found = services.get((name, namespace))
                if found is None or (name, namespace) in seen:
                    continue
                seen.add((name, namespace))
                ready = backends.ready_step(tuple(found))
                if ready is None or ready[0] <= index:
                    continue
                backend, late = ready[1], plan.steps[ready[0]]
                behind = "" if backend.kind == "Service" else f", which Service/{name} sends to,"
                yield ctx.finding(
                    hook.span_at(path),
                    f"{hook.ident} runs in {task.where} and calls Service/{name} in namespace {namespace}, "
                    f"but {backend.ident}{behind} is first applied in {late.where}: "
                    "on a first install the connection fails",
                    resource=hook,
                    related=[Related(backend.span, f"{backend.ident} is first applied in {late.where}")],
                )


DELETE_HOOK_NEEDS_DELETED_RESOURCE = Rule(
    id="HL207",
    name="delete-hook-needs-deleted-resource",
    summary="A PostDelete hook needs one of the app's resources, which the app deletion removes before it runs.",
    severity=Severity.ERROR,
    check=_delete_hook_needs_deleted_resource,
    fix=FixAvailability.NONE,
)

SYNCFAIL_HOOK_NEEDS_LATER_RESOURCE = Rule(
    id="HL208",
    name="syncfail-hook-needs-later-resource",
    summary="A SyncFail hook needs an object applied after the first step: an earlier failure leaves it missing.",
    severity=Severity.WARNING,
    check=_syncfail_hook_needs_later_resource,
    fix=FixAvailability.NONE,
)

HOOK_CALLS_SERVICE_NOT_YET_APPLIED = Rule(
    id="HL210",
    name="hook-calls-service-not-yet-applied",
    summary="A hook calls an in-cluster Service of the app that a later step applies: it fails on a first install.",
    severity=Severity.WARNING,
    check=_hook_calls_service_not_yet_applied,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (
    DELETE_HOOK_NEEDS_DELETED_RESOURCE,
    SYNCFAIL_HOOK_NEEDS_LATER_RESOURCE,
    HOOK_CALLS_SERVICE_NOT_YET_APPLIED,
)
