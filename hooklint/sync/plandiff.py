"""The sync plan's diff: what a change does to the sync, between the plan at a base revision and the plan now
(`explain --base`, docs/design-notes.md#explain---base---format-json)."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.argocd.annotated import Annotated
from hooklint.argocd.application import AppSettings
from hooklint.model import Finding, Resource
from hooklint.sync import scheduler
from hooklint.sync.changes import Changes
from hooklint.sync.plan import NotApplied, Plan, Task, identity
from hooklint.util.frozen import frozen


@frozen
class TaskChange:
    """An object whose tasks the change adds, removes or moves: where it ran at the base and where it runs
    now ("PreSync wave 0", "PostDelete"), empty where it does not."""

    resource: Resource  # now; as it was at the base when it is gone
    namespace: str
    hook: bool
    before: tuple[str, ...]
    after: tuple[str, ...]
    reason: str | None = None  # why it is not applied on the side it is missing from, when it is there


@frozen
class HookChange:
    """A hook whose types or delete policies the change alters."""

    resource: Resource
    namespace: str
    types_before: tuple[str, ...]
    types_after: tuple[str, ...]
    policies_before: tuple[str, ...]
    policies_after: tuple[str, ...]


@frozen
class StepName:
    phase: str
    wave: int

    @property
    def where(self) -> str:
        return f"{self.phase} wave {self.wave}"


@frozen
class PlanDiff:
    base: str
    namespace: str
    added: tuple[TaskChange, ...]
    removed: tuple[TaskChange, ...]
    moved: tuple[TaskChange, ...]
    hooks: tuple[HookChange, ...]
    prunes: tuple[Task, ...]  # the objects gone since the base that the sync deletes, in execution order
    not_pruned: tuple[NotApplied, ...]  # gone since the base, left in the cluster
    steps_added: tuple[StepName, ...]
    steps_removed: tuple[StepName, ...]
    # Filled in where the rules run (hooklint.engine.plandiff.diff_findings): matched by rule and object.
    introduced: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.moved,
                self.hooks,
                self.prunes,
                self.not_pruned,
                self.steps_added,
                self.steps_removed,
                self.introduced,
                self.resolved,
            )
        )


def plan_diff(
    changes: Changes, after: Sequence[Resource], namespace: str, app: AppSettings | None = None
) -> PlanDiff:
    """The diff of a full sync's plan at the base (nothing to prune there) and now (the objects gone since
    the base pruned). ApplyOutOfSyncOnly is left out on both sides: it would make every unchanged object
    look removed."""
    old = scheduler.plan(changes.before, namespace, app=app)
    new = scheduler.plan(after, namespace, app=app, pruned=changes.removed)
    return diff(changes.base, old, new)


def diff(base: str, old: Plan, new: Plan) -> PlanDiff:
    old_objects = {identity(a.resource, old.namespace): a for a in old.annotated}
    new_objects = {identity(a.resource, new.namespace): a for a in new.annotated}
    added: list[TaskChange] = []
    moved: list[TaskChange] = []
    hooks: list[HookChange] = []
    for key, item in new_objects.items():
        was_item = old_objects.get(key)
        now = _places(new, item.resource)
        was = _places(old, was_item.resource) if was_item is not None else ()
        namespace = key[2]
        if now and not was:
            reason = _not_applied(old, was_item.resource) if was_item is not None else None
            added.append(TaskChange(item.resource, namespace, _hook(item), was, now, reason))
        elif now and was and now != was:
            moved.append(TaskChange(item.resource, namespace, _hook(item), was, now))
        if was_item is not None and (_hook(item) or _hook(was_item)):
            types = (_types(was_item), _types(item))
            policies = (_policies(was_item), _policies(item))
            if types[0] != types[1] or policies[0] != policies[1]:
                hooks.append(HookChange(item.resource, namespace, *types, *policies))
    # A hook gone from Git is a task removed: live hooks are never pruned, nor kept in the plan.
    unpruned = tuple(entry for entry in new.unpruned if not _hook(entry.annotated))
    gone = {identity(task.resource, new.namespace) for task in new.prunes}
    gone |= {identity(entry.resource, new.namespace) for entry in unpruned}
    removed: list[TaskChange] = []
    for key, item in old_objects.items():
        was = _places(old, item.resource)
        if not was or key in gone:
            continue
        now_item = new_objects.get(key)
        if now_item is None:
            removed.append(TaskChange(item.resource, key[2], _hook(item), was, (), "gone from Git"))
        elif not _places(new, now_item.resource):
            reason = _not_applied(new, now_item.resource)
            removed.append(TaskChange(now_item.resource, key[2], _hook(now_item), was, (), reason))
    old_steps = [StepName(step.phase, step.wave) for step in old.steps]
    new_steps = [StepName(step.phase, step.wave) for step in new.steps]
    return PlanDiff(
        base=base,
        namespace=new.namespace,
        added=tuple(added),
        removed=tuple(removed),
        moved=tuple(moved),
        hooks=tuple(hooks),
        prunes=new.prunes,
        not_pruned=unpruned,
        steps_added=tuple(step for step in new_steps if step not in old_steps),
        steps_removed=tuple(step for step in old_steps if step not in new_steps),
    )


def _places(plan: Plan, resource: Resource) -> tuple[str, ...]:
    places = plan.places(resource)
    return tuple(places.split(", ")) if places else ()


def _not_applied(plan: Plan, resource: Resource) -> str | None:
    entry = plan.not_applied_of(resource)
    return None if entry is None else f"not applied: {entry.reason}"


def _hook(item: Annotated) -> bool:
    return item.is_hook or bool(item.delete_types)


def _types(item: Annotated) -> tuple[str, ...]:
    return item.types + item.delete_types if _hook(item) else ()


def _policies(item: Annotated) -> tuple[str, ...]:
    return tuple(item.policies) if _hook(item) else ()
