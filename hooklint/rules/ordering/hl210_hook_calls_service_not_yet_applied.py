"""HL210: a hook that calls a Service applied after it, or a SyncFail hook that calls one a failure leaves missing or broken (docs/argocd.md#sync-loop, docs/argocd.md#failure-and-syncfail)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd.identity import identity_namespace
from hooklint.model import Finding, FixAvailability, Path, Related, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.ordering.backends import Backends
from hooklint.rules.ordering.service_calls import literals, service_names
from hooklint.sync.plan import Task


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
    for path, text in literals(task.resource):
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
    failing = next((i for i in range(ready[0]) if plan.steps[i].can_fail), None)
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
