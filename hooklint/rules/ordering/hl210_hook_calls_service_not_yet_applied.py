"""HL210: a hook that calls a Service applied after it, or a SyncFail hook that calls one a failure leaves missing or broken (docs/argocd.md#sync-loop, docs/argocd.md#failure-and-syncfail)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from hooklint.argocd.identity import identity_namespace
from hooklint.argocd.kinds import containers
from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.ordering.backends import Backends
from hooklint.rules.ordering.hl207_hl208_hooks_missing_what_they_need import can_fail
from hooklint.sync.plan import Task

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
        for path, name, namespace, found in _calls(task, services):
            ready = backends.ready_step(tuple(found))
            if ready is None or ready[0] <= index:
                continue
            backend, late = ready[1], plan.steps[ready[0]]
            behind = "" if backend.kind == "Service" else f", which Service/{name} sends to,"
            yield ctx.finding(
                task.resource.span_at(path),
                f"{task.resource.ident} runs in {task.where} and calls Service/{name} in namespace {namespace}, "
                f"but {backend.ident}{behind} is first applied in {late.where}: "
                "on a first install the connection fails",
                resource=task.resource,
                related=[Related(backend.span, f"{backend.ident} is first applied in {late.where}")],
            )
    for task in plan.sync_fail:
        for path, name, namespace, found in _calls(task, services):
            yield from _sync_fail_call(ctx, backends, task, path, name, namespace, tuple(found))


def _calls(
    task: Task, services: dict[tuple[str, str], list[Resource]]
) -> Iterator[tuple[Path, str, str, list[Resource]]]:
    """Each of the application's Services a hook's literals call, once per literal, with the literal's path."""
    for path, text in _literals(task.resource):
        seen: set[tuple[str, str]] = set()
        for name, namespace in service_names(text, task.namespace):
            found = services.get((name, namespace))
            if found is not None and (name, namespace) not in seen:
                seen.add((name, namespace))
                yield path, name, namespace, found


def _sync_fail_call(
    ctx: Context,
    backends: Backends,
    task: Task,
    path: Path,
    name: str,
    namespace: str,
    services: tuple[Resource, ...],
) -> Iterator[Finding]:
    """A SyncFail hook runs once a step has failed (docs/argocd.md#failure-and-syncfail): a backend applied after
    that step was never applied, and a backend the failed step waited on may be what failed."""
    plan, hook = ctx.plan, task.resource
    ready = backends.ready_step(services)
    if ready is None:
        return
    head = f"{hook.ident} runs when the sync fails and calls Service/{name} in namespace {namespace}"
    backend, late = ready[1], plan.steps[ready[0]]
    failing = next((i for i in range(ready[0]) if can_fail(plan.steps[i])), None)
    if failing is not None:
        behind = "" if backend.kind == "Service" else f", which Service/{name} sends to,"
        yield ctx.finding(
            hook.span_at(path),
            f"{head}, but {backend.ident}{behind} is first applied in {late.where}: a failure in "
            f"{plan.steps[failing].where} leaves it missing and the connection fails",
            resource=hook,
            related=[Related(backend.span, f"{backend.ident} is first applied in {late.where}")],
        )
        return
    # The workloads behind the Service that a step gate waits on (docs/argocd.md#step-gates): when one of them does
    # not become healthy the sync fails, and nothing answers the hook.
    waited = [
        (step, workload)
        for service in services
        for workload in backends.workloads(service)
        for t in plan.tasks_of(workload)
        if not t.hook
        and t.waits
        and (step := plan.step_index(t)) is not None
        and plan.steps[step].gated
        and plan.steps[step].multi_step
    ]
    if waited:
        step, workload = min(waited, key=lambda pair: pair[0])
        where = plan.steps[step].where
        yield ctx.finding(
            hook.span_at(path),
            f"{head}, which sends to {workload.ident} ({where}): when the sync fails because {workload.ident} "
            "does not become healthy, as on a first install whose pods never start, nothing answers the call",
            resource=hook,
            related=[Related(workload.span, f"{workload.ident} is applied in {where} and waited on")],
        )


HOOK_CALLS_SERVICE_NOT_YET_APPLIED = Rule(
    id="HL210",
    name="hook-calls-service-not-yet-applied",
    summary="A hook calls an in-cluster Service of the app that a later step applies, or a SyncFail hook calls one at all.",
    severity=Severity.WARNING,
    check=_hook_calls_service_not_yet_applied,
    fix=FixAvailability.NONE,
)
RULES: tuple[Rule, ...] = (HOOK_CALLS_SERVICE_NOT_YET_APPLIED,)
