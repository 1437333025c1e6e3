"""HL107: a stateful hook object deleted and created again on every sync, losing what was filled in at run time (docs/argocd.md#hook-lifecycle)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet

from hooklint.argocd import annotations as argo
from hooklint.model import Finding, FixAvailability, Resource, Rule, Severity
from hooklint.rules.context import Context
from hooklint.rules.hooks.task_places import where

_RUNTIME_FILLED = (("", "Secret"), ("", "ConfigMap"))
_CONTENT_FIELDS = ("data", "stringData", "binaryData")


def _re_creation_loss(resource: Resource, occupied: AbstractSet[str]) -> tuple[str, Severity] | None:
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
    occupied: AbstractSet[str] = frozenset()
    for item in ctx.hook_annotated():
        resource = item.resource
        # docs/argocd.md#tasks, docs/argocd.md#hook-lifecycle: BeforeHookCreation finds the previous run's object by name; a generateName hook never matches.
        if not item.types or resource.generate_name or argo.BEFORE_HOOK_CREATION not in item.policies:
            continue
        if not occupied and (resource.group, resource.kind) == ("", "Namespace"):
            # Only a Namespace hook asks where the application's resources live, and most applications have none.
            occupied = {task.display_namespace for task in ctx.plan.tasks if not task.hook} | {ctx.namespace}
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


RULES: tuple[Rule, ...] = (STATEFUL_HOOK_RECREATED,)
