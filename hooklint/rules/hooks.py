"""HL107, HL108, HL110, HL115: what happens to hook objects (and Jobs) from one sync to the next (docs/argocd.md#hook-lifecycle, docs/argocd.md#drift-and-sync-status)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hooklint.argocd import annotations as argo
from hooklint.model import Finding, FixAvailability, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.sync.plan import Task


def where(tasks: tuple[Task, ...]) -> str:
    return " and ".join(task.where for task in tasks)


# HL107 ----------------------------------------------------------------------------------------------

_RUNTIME_FILLED = (("", "Secret"), ("", "ConfigMap"))
_CONTENT_FIELDS = ("data", "stringData", "binaryData")


def _re_creation_loss(resource: Resource, occupied: set[str]) -> tuple[str, Severity] | None:
    """What deleting and re-creating `resource` destroys, and how bad that is; None when nothing of note.
    `occupied` holds the namespaces the application's non-hook resources live in."""
    kind = (resource.group, resource.kind)
    if kind == ("", "PersistentVolumeClaim"):
        return "the data on its volume is lost", Severity.ERROR
    if kind == ("", "Namespace"):
        # A namespace that holds only hooks is scratch space, re-created with them; one that holds the
        # application's resources takes them down on every sync.
        if resource.name in occupied:
            return "everything inside it, the application's resources included, is deleted", Severity.ERROR
        return None
    if kind == ("apps", "StatefulSet"):
        # Kubernetes keeps volumeClaimTemplates' claims when a StatefulSet is deleted unless told otherwise.
        if resource.get(("spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted")) == "Delete":
            return "all its pods are stopped and its claims deleted, with their data", Severity.ERROR
        return "all its pods are stopped and started again", Severity.ERROR
    if kind in _RUNTIME_FILLED:
        # Content written in Git comes back on re-creation; only an object Git leaves empty is meant to
        # be filled at runtime (by a Job, an operator, the token controller), and that content is lost.
        content = [resource.get((name,)) for name in _CONTENT_FIELDS]
        if not any(isinstance(value, Mapping) and value for value in content):
            return "whatever was written into it at runtime is lost", Severity.WARNING
    return None


def _stateful_hook_recreated(ctx: Context) -> Iterator[Finding]:
    occupied = {task.display_namespace for task in ctx.plan.tasks if not task.hook} | {ctx.namespace}
    for item in ctx.hook_annotated():
        resource = item.resource
        # docs/argocd.md#tasks, docs/argocd.md#hook-lifecycle: BeforeHookCreation finds the previous run's object by name; a generateName hook never matches.
        if not item.types or resource.generate_name or argo.BEFORE_HOOK_CREATION not in item.policies:
            continue
        loss = _re_creation_loss(resource, occupied)
        if loss is None:
            continue
        what, severity = loss
        default = "" if item.explicit_policies else " (the default)"
        # docs/argocd.md#running-a-step, docs/argocd.md#hook-lifecycle: at the start of the hook's step, the live object is deleted, awaited, then created anew.
        yield ctx.finding(
            item.hook_annotation.span,
            f"{resource.ident} is a hook ({where(ctx.plan.tasks_of(resource))}) with delete policy "
            f"BeforeHookCreation{default}: every sync deletes it and creates it again, so {what}",
            resource=resource,
            severity=severity,
        )


STATEFUL_HOOK_RECREATED = Rule(
    id="HL107",
    name="stateful-hook-recreated",
    summary="A PVC, Namespace or StatefulSet hook (or a runtime-filled Secret/ConfigMap) that BeforeHookCreation "
    "deletes and re-creates on every sync.",
    severity=Severity.ERROR,
    check=_stateful_hook_recreated,
    fix=FixAvailability.NONE,
)


# HL108 ----------------------------------------------------------------------------------------------


def _non_hook_job(ctx: Context) -> Iterator[Finding]:
    for task in ctx.plan.tasks:
        resource = task.resource
        if task.hook or (resource.group, resource.kind) != ("batch", "Job"):
            continue
        # An unnamed non-hook fails the sync on its own (docs/argocd.md#tasks). A Job that deletes itself when finished is
        # usually gone before its template changes; its drift is another matter.
        if resource.generate_name or resource.get(("spec", "ttlSecondsAfterFinished")) is not None:
            continue
        # docs/argocd.md#sync-options: Force=true deletes and re-creates the object when a patch or replace is impossible.
        if task.annotated.sync_options.has("Force=true"):
            continue
        yield ctx.finding(
            resource.span_at(("kind",)),
            f"{resource.ident} is a Job applied as a plain resource ({task.where}): its pod template is "
            'immutable, so the first sync after the template changes fails with "field is immutable"',
            resource=resource,
        )


NON_HOOK_JOB = Rule(
    id="HL108",
    name="non-hook-job",
    summary="A named Job synced as a plain resource: the next change to its pod template fails the sync.",
    severity=Severity.WARNING,
    check=_non_hook_job,
    fix=FixAvailability.NONE,
)


# HL110 ----------------------------------------------------------------------------------------------


def _looks_partial(ctx: Context, hooks: tuple[Task, ...]) -> bool:
    """Whether a hook names an object the input lacks: then the input is part of a larger application
    (a Kustomize component, a changed file) whose other resources are not in view. A manifest's namespace
    does not count: Argo CD may create it (CreateNamespace=true, docs/argocd.md#crds-and-namespaces)."""
    graph = ctx.graph
    return any(
        ref.field != "namespace" and not graph.resources(ref.target)
        for task in hooks
        for ref in graph.references(task.resource)
    )


def _hooks_only_application(ctx: Context) -> Iterator[Finding]:
    tasks = ctx.plan.tasks
    # Skip objects and delete-only hooks produce no task and get no sync status either (docs/argocd.md#classification, docs/argocd.md#drift-and-sync-status).
    if not tasks or any(not task.hook for task in tasks) or _looks_partial(ctx, tasks):
        return
    first = tasks[0]
    names = dict.fromkeys(task.label for task in tasks)
    yield ctx.finding(
        first.annotated.hook_annotation.span,
        f"every object this application syncs is a hook ({', '.join(names)}), and hooks get no sync "
        "status: the application is never OutOfSync, so a change to these hooks never starts an automated sync",
        resource=first.resource,
    )


HOOKS_ONLY_APPLICATION = Rule(
    id="HL110",
    name="hooks-only-application",
    summary="An application that syncs only hooks: it is never OutOfSync, so automated sync never applies a change.",
    severity=Severity.WARNING,
    check=_hooks_only_application,
    fix=FixAvailability.NONE,
)


# HL115 ----------------------------------------------------------------------------------------------


def _named_hook_in_several_phases(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        resource = item.resource
        if len(item.types) < 2 or resource.generate_name:
            continue
        # docs/argocd.md#delete-policies: no explicit policy means BeforeHookCreation, which re-creates the object for each phase (docs/argocd.md#hook-lifecycle).
        policies = item.explicit_policies
        if not policies or argo.BEFORE_HOOK_CREATION in policies:
            continue
        tasks = ctx.plan.tasks_of(resource)
        # Re-applying an object with nothing to wait for (a ConfigMap, RBAC) is all its later phases do anyway.
        if len(tasks) < 2 or not any(task.waits for task in tasks):
            continue
        annotation = item.policy_annotation
        if annotation is None:
            continue
        later = " and ".join(task.phase for task in tasks[1:])
        yield ctx.finding(
            annotation.span,
            f"{resource.ident} runs in {where(tasks)} as one named object whose delete policy "
            f"{','.join(policies)} lacks BeforeHookCreation: the {later} run finds the {tasks[0].phase} object "
            "live, re-applies it and takes over its completed status, so it does not run again",
            resource=resource,
        )


NAMED_HOOK_IN_SEVERAL_PHASES = Rule(
    id="HL115",
    name="named-hook-in-several-phases",
    summary="A named hook in several phases without BeforeHookCreation: the later phases reuse the first run.",
    severity=Severity.WARNING,
    check=_named_hook_in_several_phases,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (
    STATEFUL_HOOK_RECREATED,
    NON_HOOK_JOB,
    HOOKS_ONLY_APPLICATION,
    NAMED_HOOK_IN_SEVERAL_PHASES,
)
