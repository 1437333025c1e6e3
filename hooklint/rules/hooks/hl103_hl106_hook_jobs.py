"""HL103-HL106: hook workloads that retry long, hang, complete early or vanish (docs/argocd.md#tasks, docs/argocd.md#sync-loop to docs/argocd.md#health-checks, docs/argocd.md#version-table)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.model import Finding, Fix, FixAvailability, Resource, Rule, Severity
from hooklint.rules import blocks, edits
from hooklint.rules.context import Context
from hooklint.sync.backoff import (
    CONTAINER_BACKOFF_CAP,
    DEFAULT_BACKOFF_LIMIT,
    POD_BACKOFF_CAP,
    backoff_seconds,
)

# docs/argocd.md#version-table: the first releases that run each delete-hook type; older ones never run it.

# docs/argocd.md#tasks, docs/argocd.md#version-table: the hook finalizer keeps a finished hook Job until Argo CD has read its result.
_FINALIZER_SINCE, _FINALIZER_ALSO_IN = argo.HOOK_FINALIZER_SINCE, argo.HOOK_FINALIZER_ALSO_IN

_SPEC_DEADLINE = ("spec", "activeDeadlineSeconds")
_TEMPLATE_DEADLINE = ("spec", "template", "spec", "activeDeadlineSeconds")


def _is_job(resource: Resource) -> bool:
    return (resource.group, resource.kind) == ("batch", "Job")


def _is_pod(resource: Resource) -> bool:
    return (resource.group, resource.kind) == ("", "Pod")


def _suspended(resource: Resource) -> bool:
    return _is_job(resource) and resource.get(("spec", "suspend")) is True


def _is_load_balancer(resource: Resource) -> bool:
    return (resource.group, resource.kind) == ("", "Service") and resource.get(
        ("spec", "type")
    ) == "LoadBalancer"


def _has(resource: Resource, *paths: tuple[str, ...]) -> bool:
    return any(resource.get(path) is not None for path in paths)


def _hooks(ctx: Context) -> list[tuple[Annotated, str, str]]:
    """Every hook that runs, with where ("PreSync wave -2, PostDelete") and what it holds up until it finishes:
    found once per run for the rules of this module."""
    return ctx.memo("running-hooks", lambda: list(_find_hooks(ctx)))


def _find_hooks(ctx: Context) -> Iterator[tuple[Annotated, str, str]]:
    for item in ctx.hook_annotated():
        places = [task.where for task in ctx.plan.tasks_of(item.resource) if task.hook]
        deletes = [kind for kind in item.delete_types if ctx.argocd_version >= argo.DELETE_HOOK_SINCE[kind]]
        if not places and not deletes:
            continue  # not a hook, Skip, dropped (docs/argocd.md#hook-types), or a delete hook the targeted version ignores
        # docs/argocd.md#step-gates, docs/argocd.md#failure-and-syncfail: a running sync hook holds the operation; docs/argocd.md#delete-hooks: a delete hook holds the app's deletion.
        held = [
            what for what, used in (("the sync", places), ("the Application's deletion", deletes)) if used
        ]
        yield item, ", ".join(places + deletes), " and ".join(held)


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f}".removesuffix(".0") + " min"
    return f"{seconds / 3600:.1f}".removesuffix(".0") + " h"


def _hook_job_backoff_limit(ctx: Context) -> Iterator[Finding]:
    # An explicit limit up to `max` is a choice someone made; the unset default of 6 is nobody's (HL103's page).
    most = ctx.options["max"]
    written = min(ctx.options["fix-limit"], most)
    for item, where, _ in _hooks(ctx):
        resource = item.resource
        # With backoffLimitPerIndex each index has its own limit; a suspended Job does not run (HL105).
        if not _is_job(resource) or _suspended(resource) or _has(resource, ("spec", "backoffLimitPerIndex")):
            continue
        value = resource.get(("spec", "backoffLimit"))
        if value is None:
            limit, note = DEFAULT_BACKOFF_LIMIT, " (the default)"
        elif isinstance(value, int) and not isinstance(value, bool):
            limit, note = value, ""
        else:
            continue
        if limit <= most:
            continue
        retries = "retry" if limit == 1 else "retries"
        on_failure = resource.get(("spec", "template", "spec", "restartPolicy")) == "OnFailure"
        cap = CONTAINER_BACKOFF_CAP if on_failure else POD_BACKOFF_CAP
        yield ctx.finding(
            resource.span_at(("spec", "backoffLimit")),
            f"{resource.ident} ({where}) has backoffLimit {limit}{note}: up to {limit} {retries} and "
            f"{_duration(backoff_seconds(limit, cap))} of back-off before the hook fails",
            resource=resource,
            fix=_set_spec(ctx, resource, "backoffLimit", written, f"Set backoffLimit to {written}"),
        )


def _set_spec(ctx: Context, resource: Resource, key: str, value: int, title: str) -> Fix | None:
    """Unsafe: the right number is a judgment about the hook's work, which the option only guesses."""
    text = edits.source(ctx, resource.path)
    # activeDeadlineSeconds goes after backoffLimit, the two bounds of a Job side by side.
    after = "backoffLimit" if key != "backoffLimit" else None
    edit = blocks.set_field(resource.path, text, resource.node, ("spec",), key, str(value), after=after)
    return Fix(title, False, (edit,)) if edit else None


def _hook_without_deadline(ctx: Context) -> Iterator[Finding]:
    # docs/argocd.md#failure-and-syncfail: no default operation timeout; a hook stuck in Progressing blocks indefinitely.
    deadline = ctx.options["deadline"]
    for item, where, held in _hooks(ctx):
        resource = item.resource
        if _is_job(resource):
            # A suspended Job's deadline clock does not run: HL105 reports it.
            if _suspended(resource) or _has(resource, _SPEC_DEADLINE, _TEMPLATE_DEADLINE):
                continue
        elif not _is_pod(resource) or _has(resource, _SPEC_DEADLINE):
            continue
        yield ctx.finding(
            resource.span_at(_SPEC_DEADLINE),
            f"{resource.ident} ({where}) has no activeDeadlineSeconds, and Argo CD has no default sync timeout: "
            f"if it hangs, it holds up {held} forever",
            resource=resource,
            fix=_set_spec(
                ctx, resource, "activeDeadlineSeconds", deadline, f"Add activeDeadlineSeconds: {deadline}"
            ),
        )


def _hook_cannot_complete(ctx: Context) -> Iterator[Finding]:
    for item, where, held in _hooks(ctx):
        resource = item.resource
        head = f"{resource.ident} ({where})"
        if _suspended(resource):
            # docs/argocd.md#hook-health, docs/argocd.md#health-checks: Suspended maps to Running for a hook, so Argo CD waits for it.
            yield ctx.finding(
                resource.span_at(("spec", "suspend")),
                f"{head} is a suspended Job: Argo CD counts Suspended as still running, so it holds up {held} "
                "forever",
                resource=resource,
            )
        elif _is_pod(resource):
            yield from _pod_cannot_complete(ctx, resource, head, held)
        elif resource.kind == "Ingress" and resource.group in ("networking.k8s.io", "extensions"):
            annotation = item.helm_hook if item.types_from_helm or item.argo_hook is None else item.argo_hook
            # docs/argocd.md#health-checks, docs/argocd.md#health-and-waves: Ingress health waits for a load-balancer address in its status.
            yield ctx.finding(
                annotation.span if annotation else resource.span,
                f"{head} is an Ingress hook: it completes only once its status has a load balancer address, "
                f"which may never come, holding up {held} until then",
                resource=resource,
            )
        elif _is_load_balancer(resource):
            yield ctx.finding(
                resource.span_at(("spec", "type")),
                f"{head} is a LoadBalancer Service hook: it completes only once its status has a load balancer "
                f"address, which may never come, holding up {held} until then",
                resource=resource,
            )


def _pod_cannot_complete(ctx: Context, resource: Resource, head: str, held: str) -> Iterator[Finding]:
    policy = resource.get(("spec", "restartPolicy"))
    span = resource.span_at(("spec", "restartPolicy"))
    if policy is None or policy == "Always":
        # docs/argocd.md#hook-health, docs/argocd.md#health-checks: an Always Pod is Healthy once Ready, whatever its command is doing.
        default = " (the Pod default)" if policy is None else ""
        yield ctx.finding(
            span,
            f"{head} is a Pod hook with restartPolicy Always{default}: it counts as complete once it is Ready, "
            "not when its command finishes",
            resource=resource,
        )
    elif policy == "OnFailure" and not _has(resource, _SPEC_DEADLINE):
        # docs/argocd.md#health-checks: only an Always Pod's crash back-off reads as Degraded; an OnFailure Pod whose container keeps
        # failing stays Running, so Progressing, and never fails. A deadline makes the Pod Failed.
        yield ctx.finding(
            span,
            f"{head} is a Pod hook with restartPolicy OnFailure: a failing container is restarted forever and the "
            f"Pod never fails, so it holds up {held} forever",
            resource=resource,
            severity=Severity.WARNING,
        )


def _job_ttl_after_finished(ctx: Context) -> Iterator[Finding]:
    version = ctx.argocd_version
    finalizer = version >= _FINALIZER_SINCE or version == _FINALIZER_ALSO_IN
    for item in ctx.annotated():
        resource = item.resource
        if not _is_job(resource):
            continue
        ttl = resource.get(("spec", "ttlSecondsAfterFinished"))
        tasks = ctx.plan.tasks_of(resource)
        # Skip, dropped and delete-only hooks are never synced: Argo CD does not track what TTL removes.
        if ttl is None or not tasks:
            continue
        where = ", ".join(task.where for task in tasks)
        if not tasks[0].hook:
            # docs/argocd.md#drift-and-sync-status: a tracked non-hook object that disappears makes the app OutOfSync, and auto-sync applies it again.
            message = (
                f"{resource.ident} ({where}) is not a hook and sets ttlSecondsAfterFinished {ttl}: when Kubernetes "
                "deletes the finished Job, Argo CD finds it missing and the app OutOfSync, and auto-sync creates "
                "and runs it again, over and over"
            )
        elif not finalizer:
            message = (
                f"{resource.ident} is a hook ({where}) with ttlSecondsAfterFinished {ttl}, and Argo CD "
                f"{'.'.join(map(str, version))} has no hook finalizer: Kubernetes can delete the finished Job "
                "before Argo CD reads its result, leaving the sync stuck"
            )
        else:
            continue
        yield ctx.finding(resource.span_at(("spec", "ttlSecondsAfterFinished")), message, resource=resource)


HOOK_JOB_BACKOFF_LIMIT = Rule(
    id="HL103",
    name="hook-job-backoff-limit",
    summary="A hook Job left at the default backoffLimit of 6, or set above 5: over ten minutes of back-off before it fails.",
    severity=Severity.WARNING,
    check=_hook_job_backoff_limit,
    fix=FixAvailability.ALWAYS,
    options={
        "max": {
            "type": "integer",
            "minimum": 0,
            "default": 5,
            "description": "The highest backoffLimit accepted on a hook Job; the unset default counts as 6.",
        },
        "fix-limit": {
            "type": "integer",
            "minimum": 0,
            "default": 2,
            "description": "The backoffLimit the fix writes (at most max).",
        },
    },
)
HOOK_WITHOUT_DEADLINE = Rule(
    id="HL104",
    name="hook-without-deadline",
    summary="A hook Job or Pod without activeDeadlineSeconds: with no sync timeout, a hung hook blocks forever.",
    severity=Severity.WARNING,
    check=_hook_without_deadline,
    fix=FixAvailability.ALWAYS,
    options={
        "deadline": {
            "type": "integer",
            "minimum": 1,
            "default": 600,
            "description": "The activeDeadlineSeconds the fix writes.",
        }
    },
)
HOOK_CANNOT_COMPLETE = Rule(
    id="HL105",
    name="hook-cannot-complete",
    summary="A hook that never completes or completes early: suspended Job, restartPolicy Always Pod, Ingress, LB.",
    severity=Severity.ERROR,
    check=_hook_cannot_complete,
    fix=FixAvailability.NONE,
)
JOB_TTL_AFTER_FINISHED = Rule(
    id="HL106",
    name="job-ttl-after-finished",
    summary="ttlSecondsAfterFinished on a non-hook Job (re-created on every sync), or on a hook before Argo CD 3.0.",
    severity=Severity.WARNING,
    check=_job_ttl_after_finished,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (
    HOOK_JOB_BACKOFF_LIMIT,
    HOOK_WITHOUT_DEADLINE,
    HOOK_CANNOT_COMPLETE,
    JOB_TTL_AFTER_FINISHED,
)
