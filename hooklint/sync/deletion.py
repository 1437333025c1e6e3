"""The Application deletion plan: PreDelete hooks, cascade batches, PostDelete hooks and the cleanup that
follows (docs/argocd.md#application-deletion), and what a failure at any point of it leaves (docs/argocd.md#delete-hooks)."""

from __future__ import annotations

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.application import AppSettings, own_or_app
from hooklint.argocd.identity import identity_namespace
from hooklint.model import Resource
from hooklint.sync.plan import IN_SYNC, Plan, Task
from hooklint.sync.whatif import WhatIfError
from hooklint.util.frozen import frozen

CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")


@frozen
class Doomed:
    """A live object the cascade deletes."""

    annotated: Annotated
    namespace: str  # empty for cluster-scoped kinds
    wave: int  # from its own annotations, as sort_delete.go reads the live object (docs/argocd.md#cascade-deletion)
    condition: str  # "" when it is there for sure, else when it is
    confirm: bool  # Delete=confirm or Prune=confirm: waits for approval
    confirm_by: str = (
        ""  # the option that asks for approval: "Delete=confirm", "Prune=confirm (the Application's default)"
    )

    @property
    def resource(self) -> Resource:
        return self.annotated.resource


@frozen
class Kept:
    annotated: Annotated
    namespace: str
    reason: str

    @property
    def resource(self) -> Resource:
        return self.annotated.resource


@frozen
class Deletion:
    pre_delete: tuple[Task, ...]  # created all at once; the deletion waits until all are healthy
    batches: tuple[tuple[int, tuple[Doomed, ...]], ...]  # (wave, objects), highest wave first
    kept: tuple[Kept, ...]  # never deleted: CRDs, Delete=false, helm.sh/resource-policy: keep
    post_delete: tuple[Task, ...]  # created all at once once every batch is gone
    left_behind: tuple[Kept, ...]  # delete hooks the final cleanup leaves in the cluster


def _sync_hook_condition(item: Annotated) -> str | None:
    """Whether a sync hook's object is live when the Application is deleted (docs/argocd.md#sync-success to docs/argocd.md#failure-and-syncfail, docs/argocd.md#hook-lifecycle): None when no
    sync leaves it, "" when the last successful sync did, else when it is there."""
    policies = item.policies
    if not item.types:
        return None  # a delete hook only: no sync creates it
    leaves_on_failure = argo.HOOK_FAILED not in policies
    if set(item.types) - {argo.SYNC_FAIL} and argo.HOOK_SUCCEEDED not in policies:
        return "" if not item.resource.generate_name else "one object per sync that ran it: generateName"
    return "if a failed sync left it" if leaves_on_failure else None


def _unpruned(plan: Plan) -> list[tuple[Annotated, str]]:
    """Objects gone from Git that the sync leaves, still the app's (docs/argocd.md#tasks, docs/argocd.md#drift-and-sync-status): Prune=false ones, and hook objects
    earlier syncs left (never pruned). Skip objects were never applied."""
    found = []
    for entry in plan.unpruned:
        item = entry.annotated
        if item.skip:
            continue
        if not item.is_hook:
            found.append((item, "gone from Git, left by Prune=false"))
        elif (condition := _sync_hook_condition(item)) is not None:
            found.append(
                (item, "gone from Git, a hook never pruned" + (f"; {condition}" if condition else ""))
            )
    return found


def _never_deleted(item: Annotated, app: AppSettings | None) -> str | None:
    """docs/argocd.md#cascade-deletion: CRDs, Delete=false (the object's own value, else the Application's: controller
    appcontroller.go shouldBeDeleted) and helm.sh/resource-policy: keep are never deleted with the Application."""
    resource = item.resource
    if (resource.group, resource.kind) == CRD:
        return "a CustomResourceDefinition: Argo CD never deletes one"
    if own_or_app(item.sync_options, app, "Delete") == "false":
        own = item.sync_options.value("Delete") is not None
        return "Delete=false" if own else "Delete=false (the Application's default)"
    policy = item.annotations.get(argo.HELM_RESOURCE_POLICY)
    if policy is not None and any(i.value == "keep" for i in policy.items()):
        return "helm.sh/resource-policy: keep"
    return None


def needs_confirmation(item: Annotated, app: AppSettings | None) -> str:
    """docs/argocd.md#cascade-deletion: the deletion waits for approval when Delete or Prune is `confirm`, each the
    object's own value first, else the Application's (controller state.go isObjRequiresDeletionConfirmation). The
    option that asks for it, Delete's first, or "" when none does."""
    for key in ("Delete", "Prune"):
        if own_or_app(item.sync_options, app, key) == "confirm":
            own = item.sync_options.value(key) is not None
            return f"{key}=confirm" + ("" if own else " (the Application's default)")
    return ""


def deletion(plan: Plan) -> Deletion:
    """The order Argo CD deletes the Application in (docs/argocd.md#cascade-deletion to docs/argocd.md#delete-hooks). Live objects are the synced resources,
    the hook objects earlier syncs left (docs/argocd.md#hook-lifecycle), and the PreDelete hooks created in the first step."""
    pre_delete = {id(t.resource) for t in plan.pre_delete}
    in_sync = {id(n.resource) for n in plan.not_applied if n.reason == IN_SYNC}
    synthetic = {id(t.resource) for t in plan.tasks if t.synthetic}
    doomed: list[Doomed] = []
    kept: list[Kept] = []
    for item, note in [*((item, None) for item in plan.annotated), *_unpruned(plan)]:
        resource = item.resource
        namespace = identity_namespace(resource, plan.namespace)
        if id(resource) in synthetic:
            # docs/argocd.md#crds-and-namespaces: Argo CD adds this Namespace itself; it carries no tracking, so it is no managed object.
            kept.append(
                Kept(item, namespace, "created by CreateNamespace=true, which Argo CD does not track")
            )
            continue
        if note is not None:
            condition: str | None = note
        elif (plan.tasks_of(resource) and not item.is_hook) or id(resource) in in_sync:
            condition = ""
        elif id(resource) in pre_delete:
            condition = "created by the PreDelete step"
        elif plan.tasks_of(resource):
            condition = _sync_hook_condition(item)
        else:
            condition = None  # never applied, or only created after the cascade (PostDelete)
        if condition is None:
            continue
        reason = _never_deleted(item, plan.app)
        if reason is not None:
            kept.append(Kept(item, namespace, reason))
            continue
        confirm = needs_confirmation(item, plan.app)
        doomed.append(Doomed(item, namespace, item.wave, condition, bool(confirm), confirm))
    waves = sorted({d.wave for d in doomed}, reverse=True)
    batches = tuple(
        (wave, tuple(sorted((d for d in doomed if d.wave == wave), key=_order))) for wave in waves
    )
    kept = [_with_namespace_note(k, doomed) for k in kept]
    return Deletion(plan.pre_delete, batches, tuple(kept), plan.post_delete, _left_behind(plan, doomed))


def _order(item: Doomed | Kept) -> tuple[str, str, str]:
    return (item.resource.kind, item.namespace, item.resource.name)


def _with_namespace_note(item: Kept, doomed: list[Doomed]) -> Kept:
    for other in doomed:
        resource = other.resource
        if (resource.group, resource.kind, resource.name) == ("", "Namespace", item.namespace):
            # Kubernetes deletes everything in a Namespace with it, whatever Argo CD keeps.
            note = (
                f"{item.reason}, but deleting Namespace/{item.namespace} (wave {other.wave}) removes it too"
            )
            return Kept(item.annotated, item.namespace, note)
    return item


def _left_behind(plan: Plan, doomed: list[Doomed]) -> tuple[Kept, ...]:
    """docs/argocd.md#delete-hooks step 4: after a successful deletion a delete hook is removed only with HookSucceeded. PreDelete
    hooks went with the cascade unless it keeps them."""
    gone = {id(d.resource) for d in doomed}
    found: list[Kept] = []
    for task in (*plan.pre_delete, *plan.post_delete):
        item = task.annotated
        if id(task.resource) in gone and task.phase == argo.PRE_DELETE:
            continue
        if argo.HOOK_SUCCEEDED in item.policies or any(k.resource is task.resource for k in found):
            continue
        policies = ",".join(item.policies)
        default = " (the default)" if not item.explicit_policies else ""
        found.append(
            Kept(
                item,
                identity_namespace(task.resource, plan.namespace),
                f"{task.phase} hook, delete policy {policies}{default}: the cleanup removes it only with HookSucceeded",
            )
        )
    return tuple(found)


@frozen
class DeletionFailure:
    """The deletion when one delete hook fails, or one object's deletion never finishes (a finalizer holds
    it). Either way the Application stays, and Argo CD keeps retrying (docs/argocd.md#delete-hooks)."""

    deletion: Deletion
    resource: Resource
    stage: str  # PreDelete, cascade or PostDelete
    deleted: tuple[Resource, ...]  # what is deleted before the deletion stops, a failed hook included
    stays: tuple[Resource, ...]  # what is left (besides what the deletion never deletes: `deletion.kept`)
    never: tuple[int, ...]  # the waves of the cascade batches that never start
    post_delete_runs: bool


def fail_deletion(plan: Plan, resource: Resource) -> DeletionFailure:
    """docs/argocd.md#delete-hooks: a Degraded delete hook is deleted (so a fixed manifest can be retried) and blocks the deletion;
    docs/argocd.md#cascade-deletion: the next batch waits until every object of the current one is gone."""
    result = deletion(plan)
    pre = tuple(t.resource for t in result.pre_delete)
    post = tuple(t.resource for t in result.post_delete)
    batches = [tuple(d.resource for d in objects) for _, objects in result.batches]
    waves = tuple(wave for wave, _ in result.batches)
    if resource in pre:
        others = tuple(r for r in pre if r is not resource)
        stays = tuple(r for r in _unique((*(r for b in batches for r in b), *others)) if r is not resource)
        return DeletionFailure(result, resource, argo.PRE_DELETE, (resource,), stays, waves, False)
    for number, objects in enumerate(batches):
        if resource in objects:
            deleted = (*(r for b in batches[:number] for r in b), *(r for r in objects if r is not resource))
            stays = (resource, *(r for b in batches[number + 1 :] for r in b))
            return DeletionFailure(result, resource, "cascade", deleted, stays, waves[number + 1 :], False)
    if resource in post:
        deleted = (*(r for b in batches for r in b), resource)
        others = tuple(r for r in post if r is not resource)
        return DeletionFailure(result, resource, argo.POST_DELETE, deleted, others, (), True)
    reason = next((k.reason for k in result.kept if k.resource is resource), None)
    if reason is not None:
        raise WhatIfError(f"{resource.ident} is never deleted with the Application ({reason})")
    raise WhatIfError(
        f"{resource.ident} has no part in the Application's deletion: no sync leaves it in the cluster"
    )


def _unique(resources: tuple[Resource, ...]) -> tuple[Resource, ...]:
    return tuple({id(r): r for r in resources}.values())
