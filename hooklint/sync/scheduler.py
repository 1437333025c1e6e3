"""Resources to the sync Plan, in the order Argo CD runs them (docs/argocd.md#classification to docs/argocd.md#hook-lifecycle, docs/argocd.md#selective-sync to docs/argocd.md#application-deletion, docs/argocd.md#simulation-recipe)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from hooklint.argocd import annotations as argo
from hooklint.argocd import application
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.application import AppSettings
from hooklint.argocd.identity import DEFAULT_NAMESPACE, effective_namespace, identity_namespace
from hooklint.model import Resource
from hooklint.sync import pruning
from hooklint.sync.plan import (
    DELETE_ONLY_HOOK,
    DUPLICATE,
    HELM_HOOK_DROPPED,
    IN_SYNC,
    NOT_PRUNED,
    SKIP,
    UNKNOWN_HOOK_TYPE,
    NotApplied,
    Plan,
    Step,
    Task,
    defined_kind,
    identity,
    kind_of,
)

_KeyOf = Callable[[Task], "str | None"]


def plan(
    resources: Iterable[Resource],
    namespace: str = DEFAULT_NAMESPACE,
    *,
    app: AppSettings | None = None,
    pruned: Iterable[Resource] = (),
    in_sync: frozenset[tuple[str, str, str, str]] | None = None,
) -> Plan:
    """Simulate a full (non-selective) sync with the newest Argo CD release's semantics (docs/argocd.md#simulation-recipe).

    `app` is the Application's settings when known; `pruned` are live objects no longer in Git (their
    manifests as last applied); `in_sync` the identities unchanged since then, which ApplyOutOfSyncOnly
    skips (docs/argocd.md#selective-sync).
    """
    annotated = tuple(Annotated(resource) for resource in resources)
    synthetic: Annotated | None = None
    if app is not None and app.create_namespace and not any(_is_destination(i, namespace) for i in annotated):
        # docs/argocd.md#crds-and-namespaces: CreateNamespace=true adds a synthetic PreSync wave 0 Namespace task.
        synthetic = Annotated(application.synthetic_namespace(app, namespace))
        annotated = (synthetic, *annotated)
    tasks: list[Task] = []
    not_applied: list[NotApplied] = []
    unchanged: set[int] = set()  # the Annotated of in-sync objects under ApplyOutOfSyncOnly, by id
    delete_hooks: list[Task] = []
    # controller/state.go (NormalizeTargetObjects): of several manifests of one object, only the last is
    # synced; generateName objects are always distinct, but hooks without any name share the empty one.
    # The synthetic Namespace is no manifest: gitops-engine adds it after, beside a Namespace hook.
    identities = [
        None
        if item is synthetic or (item.resource.generate_name and item.resource.name)
        else identity(item.resource, namespace)
        for item in annotated
    ]
    last = {key: item for key, item in zip(identities, annotated, strict=True) if key is not None}
    skip_in_sync = app is not None and app.apply_out_of_sync_only and in_sync is not None
    for item, key in zip(annotated, identities, strict=True):
        resource = item.resource
        ns = effective_namespace(resource, namespace)
        shown = identity_namespace(resource, namespace) if key is None else key[2]
        winner = item if key is None else last.get(key)
        if winner is not item:
            assert winner is not None
            where = f"{winner.resource.path}:{winner.resource.span.line}"
            not_applied.append(
                NotApplied(item, DUPLICATE, f"another manifest of the same object wins ({where})", shown)
            )
            continue
        # Without a hook annotation an object is no hook, no delete hook and no Skip (docs/argocd.md#hook-types, docs/argocd.md#helm-hooks, docs/argocd.md#classification): most
        # objects are not asked what hook they are.
        hooked = item.hook_annotated
        if hooked:
            # docs/argocd.md#delete-hooks-in-the-sync: delete hooks leave the sync unless they also carry a sync-phase type (v3.3.5+/v3.4.0+).
            delete_hooks.extend(Task(item, phase, 0, ns, hook=True) for phase in item.delete_types)
        if hooked and item.delete_only:
            not_applied.append(
                NotApplied(item, DELETE_ONLY_HOOK, "runs only when the Application is deleted", shown)
            )
        elif hooked and item.skip:
            not_applied.append(NotApplied(item, SKIP, "annotated Skip: Argo CD never applies it", shown))
        elif hooked and item.typeless:
            not_applied.append(_typeless(item, shown))
        elif hooked and item.is_hook:
            # docs/argocd.md#hook-types: one task per distinct phase.
            tasks.extend(Task(item, phase, item.wave, ns, hook=True) for phase in item.types)
        elif skip_in_sync and in_sync is not None and identity(resource, namespace) in in_sync:
            # docs/argocd.md#selective-sync: ApplyOutOfSyncOnly leaves in-sync resources out; hooks always run.
            # The task still counts in PruneLast, the sort and the pulls; it is dropped only from the steps.
            not_applied.append(
                NotApplied(item, IN_SYNC, "unchanged, so ApplyOutOfSyncOnly leaves it out", shown)
            )
            if item is not synthetic:
                unchanged.add(id(item))
                tasks.append(Task(item, argo.SYNC, item.wave, ns, hook=False))
        elif item is synthetic:
            tasks.append(Task(item, argo.PRE_SYNC, 0, ns, hook=False, synthetic=True))
        else:
            tasks.append(Task(item, argo.SYNC, item.wave, ns, hook=False))

    prunes, unpruned = _prune_tasks(pruned, namespace, app)
    sync_waves = [task.wave for task in tasks if task.phase == argo.SYNC]
    prune_last = app is not None and app.prune_last
    ordered = sort_tasks([*tasks, *pruning.call_waves(prunes, sync_waves, prune_last)])
    sync_fail = tuple(task for task in ordered if task.phase == argo.SYNC_FAIL)
    sync_tasks = [task for task in ordered if task.phase != argo.SYNC_FAIL]
    # docs/argocd.md#step-gates (sync_tasks.go multiStep): the first and the last task of the whole list, SyncFail included.
    multi_step = bool(ordered) and (ordered[0].phase, ordered[0].wave) != (
        ordered[-1].phase,
        ordered[-1].wave,
    )
    applies = [task for task in _runnable(sync_tasks, unchanged) if not task.prune]
    revived = {id(task.annotated) for task in applies if id(task.annotated) in unchanged}
    if revived:
        not_applied = [n for n in not_applied if not (n.reason == IN_SYNC and id(n.annotated) in revived)]
    # docs/argocd.md#crds-and-namespaces: the first Sync() call creates the synthetic Namespace on its own, before
    # the dry run and any step, even one of a negative PreSync wave.
    first = [[task] for task in applies if task.synthetic]
    applies = [task for task in applies if not task.synthetic]
    calls = pruning.calls(applies, prunes, sync_waves, prune_last, sort_tasks)
    steps = _steps([*first, *calls], multi_step, prunes=bool(prunes))
    precreated = tuple(
        task
        for task in sync_tasks
        if not task.prune
        and task.resource.group == ""
        and task.kind == "Namespace"
        and task.name == namespace
    )
    # docs/argocd.md#crds-and-namespaces: an unchanged CRD is in the cluster before the sync starts.
    served = frozenset(
        kind
        for item in annotated
        if in_sync is not None
        and (kind := defined_kind(item.resource)) is not None
        and identity(item.resource, namespace) in in_sync
    )
    return Plan(
        namespace=namespace,
        steps=steps,
        sync_fail=sync_fail,
        pre_delete=tuple(sorted((t for t in delete_hooks if t.phase == argo.PRE_DELETE), key=_by_name)),
        post_delete=tuple(sorted((t for t in delete_hooks if t.phase == argo.POST_DELETE), key=_by_name)),
        not_applied=tuple(not_applied),
        precreated=precreated,
        annotated=annotated,
        app=app,
        unpruned=tuple(unpruned),
        served=served,
    )


def _is_destination(item: Annotated, namespace: str) -> bool:
    """Whether a manifest is the destination Namespace among the resources, which spares the synthetic one
    (sync_context.go autoCreateNamespace). Hooks do not count: it means to look at them and never does."""
    resource = item.resource
    return (
        (resource.group, resource.kind, resource.name) == ("", "Namespace", namespace)
        and not item.is_hook
        and not item.delete_only
    )


def _by_name(task: Task) -> tuple[str, str]:
    return (task.name, task.kind)


def _prune_tasks(
    pruned: Iterable[Resource], namespace: str, app: AppSettings | None
) -> tuple[list[Task], list[NotApplied]]:
    """Prune tasks for live objects gone from Git, with the live object's own wave (docs/argocd.md#sync-waves): each
    Sync() call swaps them anew (pruning.calls). Hooks and Skip objects get no task; Prune=false ones a task that deletes nothing
    (docs/argocd.md#prune-disabled). Every object left in the cluster is listed as not pruned."""
    prunes: list[Task] = []
    unpruned: list[NotApplied] = []
    for resource in pruned:
        item = Annotated(resource)
        shown = identity_namespace(resource, namespace)
        reason = pruning.no_task(item)
        if reason is None:
            # gitops-engine getSyncTasks keeps a prune task for every live object without a target, Prune=false
            # ones included: they take part in the wave swap and PruneLast and run as (empty) deletions.
            reason = pruning.prune_skipped(item, app)
            prunes.append(
                Task(
                    item,
                    argo.SYNC,
                    item.wave,
                    effective_namespace(resource, namespace),
                    hook=False,
                    prune=True,
                    prune_skipped=reason is not None,
                    confirm=reason is None and pruning.prune_confirm(item, app),
                )
            )
        if reason is not None:
            unpruned.append(NotApplied(item, NOT_PRUNED, reason, shown))
    return prunes, unpruned


def _typeless(item: Annotated, namespace: str) -> NotApplied:
    if item.argo_hook is not None:
        values = (
            ", ".join(repr(d.value) for d in item.dropped_types if d.reason == argo.UNKNOWN)
            or "an empty value"
        )
        return NotApplied(
            item, UNKNOWN_HOOK_TYPE, f"hook type {values} is not one Argo CD knows: dropped", namespace
        )
    helm = item.helm_hook.text if item.helm_hook else ""
    return NotApplied(
        item, HELM_HOOK_DROPPED, f"Helm hook {helm!r} has no Argo CD equivalent: dropped", namespace
    )


def sort_tasks(tasks: Sequence[Task]) -> list[Task]:
    """docs/argocd.md#sort-order comparator, then the Namespace and CRD pulls of docs/argocd.md#dependency-adjustments.

    Go's sort is not stable, so Argo CD leaves ties (same phase, wave, kind and name) in no fixed order;
    hooklint breaks them by namespace, file and position so that its output is deterministic.
    """
    ordered = sorted(tasks, key=_order)
    ordered = _pull(ordered, "namespace", "Namespace", _namespace_dep, _namespace_ref)
    return _pull(ordered, "crd", "CustomResourceDefinition", _crd_dep, _crd_ref)


def _order(task: Task) -> tuple[tuple[int, int, int, str], str, str, str, int]:
    # Read through `annotated`: most tasks are new here, and their cached `resource` is not made yet.
    resource = task.annotated.resource
    return (task.sort_key, task.namespace, resource.group, resource.path, resource.index)


def _namespace_dep(task: Task) -> str | None:
    resource = task.resource
    return resource.name if resource.kind == "Namespace" and resource.group == "" else None


def _namespace_ref(task: Task) -> str | None:
    return task.namespace


def _crd_dep(task: Task) -> str | None:
    return defined_kind(task.resource)


def _crd_ref(task: Task) -> str | None:
    return kind_of(task.resource)


def _pull(ordered: list[Task], reason: str, kind: str, dep_key: _KeyOf, ref_key: _KeyOf) -> list[Task]:
    """One adjustDeps pass (docs/argocd.md#dependency-adjustments): a dependency moves to just before the first earlier task that refers to
    it and takes that task's phase and wave. It only ever moves earlier.

    A move shifts only the tasks between its two places, so the task at each position is the one `ordered`
    has there; and no task after the last dependency can be referred to before one. Only tasks of `kind`
    can be dependencies: `dep_key` is asked of them alone."""
    # Only tasks with a target object take part (docs/argocd.md#dependency-adjustments).
    deps = [dep_key(task) if task.resource.kind == kind and not task.prune else None for task in ordered]
    last = max((position for position, key in enumerate(deps) if key is not None), default=-1)
    if last < 0:
        return ordered
    tasks = list(ordered)
    first_ref: dict[str, int] = {}
    for position in range(last + 1):
        task = ordered[position]
        if task.prune:
            continue
        key = deps[position]
        if key is not None:
            target = first_ref.get(key)
            if target is None:
                continue
            anchor = tasks[target]
            moved = replace(task, phase=anchor.phase, wave=anchor.wave, moved_by=reason, pulled_for=anchor)
            del tasks[position]
            tasks.insert(target, moved)
            for other, index in first_ref.items():
                if index >= target:
                    first_ref[other] = index + 1
        else:
            ref = ref_key(task)
            if ref is not None and ref not in first_ref:
                first_ref[ref] = position
    return tasks


def _runnable(tasks: Sequence[Task], unchanged: set[int]) -> list[Task]:
    """The tasks a step runs (docs/argocd.md#running-a-step): not those of unchanged objects under
    ApplyOutOfSyncOnly (docs/argocd.md#selective-sync), nor a task whose result key (object and phase) an
    earlier step has already completed, as when a pull moves a CRD hook's task into its other phase
    (docs/argocd.md#dependency-adjustments).

    An unchanged custom resource runs after all once a step has re-created its CRD (BeforeHookCreation): the
    API server deletes every object of a CRD's kind with it, so the engine finds it gone
    (docs/argocd.md#crds-and-namespaces)."""
    done: set[tuple[str, str, str, str, str]] = set()
    step: list[tuple[str, str, str, str, str]] = []
    where: tuple[str, int] | None = None
    kept: list[Task] = []
    live_hooks: set[tuple[str, str, str, str, str]] = set()  # hook objects of the steps before
    step_hooks: list[tuple[str, str, str, str, str]] = []
    wiped: set[str] = set()  # the kinds of CRDs deleted so far, as group/kind
    for task in tasks:
        if (task.phase, task.wave) != where:
            done.update(step)
            live_hooks.update(step_hooks)
            step, step_hooks, where = [], [], (task.phase, task.wave)
        if id(task.annotated) in unchanged and _crd_ref(task) not in wiped:
            continue
        resource = task.resource
        # Hooks without a name get one per phase from the engine, so they never share a result key.
        key = (resource.group, resource.kind, task.namespace, resource.name, task.phase)
        if resource.name and not resource.generate_name and not task.prune and key in done:
            continue
        if task.hook:
            step_hooks.append(task.object_key)
            crd = _crd_dep(task)
            if crd is not None and pruning.recreated(task, live_hooks):
                wiped.add(crd)
        step.append(key)
        kept.append(task)
    return kept


def _steps(calls: Sequence[Sequence[Task]], multi_step: bool, *, prunes: bool) -> tuple[Step, ...]:
    """One step per Sync() call, each with every task of its phase and wave (docs/argocd.md#running-a-step); a
    step that first deletes hook objects of earlier steps (BeforeHookCreation) says which. `prunes` tells
    whether any call holds a prune task."""
    steps: list[Step] = []
    live_hooks: set[tuple[str, str, str, str, str]] = set()
    for number, tasks in enumerate(calls):
        # Most syncs prune nothing, most steps hold no hook, and no hook can be recreated before a step has
        # left one.
        applies = tuple([t for t in tasks if not t.prune]) if prunes else tuple(tasks)
        pruned = len(applies) < len(tasks)
        hooks = [t for t in applies if t.hook]
        steps.append(
            Step(
                tasks[0].phase,
                tasks[0].wave,
                applies,
                final=number == len(calls) - 1,
                multi_step=multi_step,
                prunes=tuple(t for t in tasks if t.prune and not t.prune_skipped) if pruned else (),
                skipped_prunes=tuple(t for t in tasks if t.prune_skipped) if pruned else (),
                recreated=(
                    tuple([t for t in hooks if pruning.recreated(t, live_hooks)])
                    if hooks and live_hooks
                    else ()
                ),
            )
        )
        if hooks:
            live_hooks.update([t.object_key for t in hooks])
    return tuple(steps)
