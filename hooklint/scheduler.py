"""Resources to the sync Plan, in the order Argo CD runs them (ARGOCD.md §2-§7, §10-§12, §15)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from hooklint import application, argo, pruning
from hooklint.application import AppSettings
from hooklint.argo import Annotated
from hooklint.health import INSTANT, done_when, has_health
from hooklint.kinds import is_cluster_scoped
from hooklint.lazy import cached
from hooklint.model import Resource

DEFAULT_NAMESPACE = "default"
WAVE_DELAY_SECONDS = 2  # ARGOCD_SYNC_WAVE_DELAY default (§6.5)

# §5.1: phase precedence; any other phase counts as Sync.
PHASE_ORDER = {argo.PRE_SYNC: -1, argo.SYNC: 0, argo.POST_SYNC: 1, argo.SYNC_FAIL: 2}

# §5.2: the kind order; the value is the index minus 35, kinds not listed are 0. Kind string only.
_KIND_LIST = (
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
)
KIND_ORDER = {kind: index - len(_KIND_LIST) for index, kind in enumerate(_KIND_LIST)}

# Reasons an object is not applied by a sync (DESIGN.md explain contract).
SKIP = "skip"
UNKNOWN_HOOK_TYPE = "unknown-hook-type"
HELM_HOOK_DROPPED = "helm-hook-dropped"
DELETE_ONLY_HOOK = "delete-only-hook"
DUPLICATE = "duplicate"
IN_SYNC = "in-sync"
# Why a live object gone from Git stays in the cluster.
NOT_PRUNED = "not-pruned"


@dataclass(frozen=True, eq=False)
class Task:
    """One apply in the sync: a resource in Sync, or a hook in one of its phases."""

    annotated: Annotated = field(repr=False)
    phase: str
    wave: int
    namespace: str  # metadata.namespace, or the destination namespace (§3), even for cluster-scoped kinds
    hook: bool
    moved_by: str | None = None  # "namespace" or "crd" when pulled forward (§5.3)
    pulled_for: Task | None = field(default=None, repr=False)
    prune: bool = False  # deletes a live object no longer in Git (§4)
    synthetic: bool = False  # made by Argo CD itself: CreateNamespace=true's Namespace (§11)

    @property
    def resource(self) -> Resource:
        return self.annotated.resource

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def ident(self) -> str:
        return self.resource.ident

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """The comparator of §5.1: phase, wave, kind, name (byte-wise)."""
        return (PHASE_ORDER.get(self.phase, 0), self.wave, KIND_ORDER.get(self.kind, 0), self.name)

    @property
    def done_when(self) -> str:
        return done_when(self.resource, hook=self.hook)

    @property
    def where(self) -> str:
        """Its place in the plan as messages say it: "PreSync wave -2"."""
        return f"{self.phase} wave {self.wave}"

    @property
    def label(self) -> str:
        return self.resource.label

    @property
    def waits(self) -> bool:
        """Whether Argo CD has to wait for this task after applying it: it has a health assessment (§6.2) that
        is not met the moment it is applied."""
        return has_health(self.resource.group, self.kind) and self.done_when != INSTANT

    @property
    def display_namespace(self) -> str:
        """The namespace as people read it: empty for cluster-scoped kinds."""
        return "" if is_cluster_scoped(self.resource.group, self.kind) else self.namespace


_KeyOf = Callable[[Task], str | None]


@dataclass(frozen=True, eq=False)
class Step:
    """All tasks of one (phase, wave): its prunes first, then its applies in list order (§6.4)."""

    phase: str
    wave: int
    tasks: tuple[Task, ...]  # the applies
    final: bool
    multi_step: bool
    prunes: tuple[Task, ...] = ()  # deletions of live objects gone from Git (§4)

    @property
    def where(self) -> str:
        """The step as messages name it: "PreSync wave -2"."""
        return f"{self.phase} wave {self.wave}"

    @property
    def has_hooks(self) -> bool:
        return any(task.hook for task in self.tasks)

    @property
    def gated(self) -> bool:
        """Whether anything waits for this step's tasks: every non-final step of a multi-step sync, and a final
        step with hooks (§6.3, §6.6)."""
        return not self.final or self.has_hooks

    @property
    def gate(self) -> str:
        waiting = [task for task in self.tasks if task.waits and (task.hook or self.multi_step)]
        what = (
            ", ".join(f"{task.label} {task.done_when}" for task in waiting)
            or "nothing: all done once applied"
        )
        until = f"healthy or complete: {what}"
        if self.prunes:
            # §6.3: the next step starts only once every pruned object is gone.
            until = (
                "the pruned objects are gone" if not waiting else f"{until}, and the pruned objects are gone"
            )
        if not self.final:
            return f"{WAVE_DELAY_SECONDS} s delay, then waits until {until}"
        if not self.has_hooks:
            return "final step, not waited on: the sync succeeds as soon as it is applied"
        return f"final step: the sync succeeds once these are done: {what}"


@dataclass(frozen=True)
class NotApplied:
    annotated: Annotated
    reason: str
    detail: str
    namespace: str

    @property
    def resource(self) -> Resource:
        return self.annotated.resource


@dataclass(frozen=True, eq=False)
class Plan:
    """The whole simulated operation. Rules and renderers query it; nothing else derives order."""

    namespace: str
    steps: tuple[Step, ...]
    sync_fail: tuple[Task, ...]
    pre_delete: tuple[Task, ...]
    post_delete: tuple[Task, ...]
    not_applied: tuple[NotApplied, ...]
    precreated: tuple[Task, ...]  # the destination Namespace, applied before the dry run (§6.1)
    annotated: tuple[Annotated, ...]
    app: AppSettings | None = None
    unpruned: tuple[NotApplied, ...] = ()  # live objects gone from Git that a sync leaves in place

    @cached
    def _by_resource(self) -> dict[int, list[Task]]:
        index: dict[int, list[Task]] = {}
        for task in self.tasks:
            index.setdefault(id(task.resource), []).append(task)
        return index

    @cached
    def _step_of(self) -> dict[int, int]:
        return {id(task): number for number, step in enumerate(self.steps) for task in step.tasks}

    @cached
    def _annotated_of(self) -> dict[int, Annotated]:
        return {id(a.resource): a for a in self.annotated}

    @cached
    def tasks(self) -> tuple[Task, ...]:
        """Every sync task in execution order, then the SyncFail tasks."""
        return tuple(task for step in self.steps for task in step.tasks) + self.sync_fail

    @property
    def prunes(self) -> tuple[Task, ...]:
        """Every prune task, in execution order."""
        return tuple(task for step in self.steps for task in step.prunes)

    @property
    def multi_step(self) -> bool:
        return bool(self.steps) and self.steps[0].multi_step

    def annotated_of(self, resource: Resource) -> Annotated:
        return self._annotated_of[id(resource)]

    def tasks_of(self, resource: Resource) -> tuple[Task, ...]:
        return tuple(self._by_resource.get(id(resource), ()))

    def step_index(self, task: Task) -> int | None:
        """The 0-based step a sync task runs in; None for SyncFail and delete hooks."""
        return self._step_of.get(id(task))

    def first_step(self, resource: Resource) -> int | None:
        """The first step in which `resource` is applied, or None when no step applies it."""
        steps = [self._step_of[id(t)] for t in self.tasks_of(resource) if id(t) in self._step_of]
        return min(steps) if steps else None

    @cached
    def _not_applied_of(self) -> dict[int, NotApplied]:
        return {id(entry.resource): entry for entry in self.not_applied}

    def not_applied_of(self, resource: Resource) -> NotApplied | None:
        """Why a sync never applies `resource`, or None when it does."""
        return self._not_applied_of.get(id(resource))

    def places(self, resource: Resource) -> str:
        """Every place `resource` runs, sync steps and delete phases: "PreSync wave -2, PostDelete"."""
        places = [task.where for task in self.tasks_of(resource)]
        places += [task.phase for task in (*self.pre_delete, *self.post_delete) if task.resource is resource]
        return ", ".join(dict.fromkeys(places))

    def standing(self, resource: Resource) -> str:
        """Where a resource stands, as messages say it: "Job/migrate runs in PreSync wave -2"."""
        tasks = self.tasks_of(resource)
        if tasks:
            verb = "runs" if tasks[0].hook else "is applied"
            return f"{resource.ident} {verb} in {', '.join(task.where for task in tasks)}"
        skipped = self.not_applied_of(resource)
        if skipped is not None and skipped.reason == DELETE_ONLY_HOOK:
            return f"{resource.ident} runs only when the Application is deleted"
        if skipped is not None and skipped.reason == SKIP:
            return f"{resource.ident} is never applied (Skip)"
        return f"{resource.ident} is never applied"

    def is_precreated(self, resource: Resource) -> bool:
        return any(task.resource is resource for task in self.precreated)


def effective_namespace(resource: Resource, destination: str) -> str:
    """metadata.namespace, else the destination namespace (§3)."""
    return resource.namespace or destination


def identity_namespace(resource: Resource, destination: str) -> str:
    """The namespace part of an object's identity: empty for cluster-scoped kinds."""
    return (
        "" if is_cluster_scoped(resource.group, resource.kind) else effective_namespace(resource, destination)
    )


def identity(resource: Resource, destination: str) -> tuple[str, str, str, str]:
    """(group, kind, namespace, name): what makes two manifests the same object."""
    return (resource.group, resource.kind, identity_namespace(resource, destination), resource.name)


def plan(
    resources: Iterable[Resource],
    namespace: str = DEFAULT_NAMESPACE,
    *,
    app: AppSettings | None = None,
    pruned: Iterable[Resource] = (),
    in_sync: frozenset[tuple[str, str, str, str]] | None = None,
) -> Plan:
    """Simulate a full (non-selective) sync with the newest Argo CD release's semantics (§15).

    `app` is the Application's settings when known; `pruned` are live objects no longer in Git (their
    manifests as last applied); `in_sync` the identities unchanged since then, which ApplyOutOfSyncOnly
    skips (§10).
    """
    annotated = tuple(Annotated(resource) for resource in resources)
    synthetic: Annotated | None = None
    if app is not None and app.create_namespace:
        # §11: CreateNamespace=true adds a synthetic PreSync wave 0 Namespace task.
        synthetic = Annotated(application.synthetic_namespace(app, namespace))
        annotated = (synthetic, *annotated)
    tasks: list[Task] = []
    not_applied: list[NotApplied] = []
    delete_hooks: list[Task] = []
    # controller/state.go (DeduplicateTargetObjects): of several manifests of one object, only the last is
    # synced; generateName objects are always distinct.
    last = {identity(item.resource, namespace): item for item in annotated if not item.resource.generate_name}
    skip_in_sync = app is not None and app.apply_out_of_sync_only and in_sync is not None
    for item in annotated:
        resource = item.resource
        ns = effective_namespace(resource, namespace)
        shown = identity_namespace(resource, namespace)
        winner = last.get(identity(resource, namespace)) if not resource.generate_name else item
        if winner is not item:
            assert winner is not None
            where = f"{winner.resource.path}:{winner.resource.span.line}"
            not_applied.append(
                NotApplied(item, DUPLICATE, f"another manifest of the same object wins ({where})", shown)
            )
            continue
        # §2.1: delete hooks leave the sync unless they also carry a sync-phase type (v3.3.5+/v3.4.0+).
        delete_hooks.extend(Task(item, phase, 0, ns, hook=True) for phase in item.delete_types)
        if item.delete_only:
            not_applied.append(
                NotApplied(item, DELETE_ONLY_HOOK, "runs only when the Application is deleted", shown)
            )
        elif item.skip:
            not_applied.append(NotApplied(item, SKIP, "annotated Skip: Argo CD never applies it", shown))
        elif item.typeless:
            not_applied.append(_typeless(item, shown))
        elif item.is_hook:
            # §1.3: one task per distinct phase.
            tasks.extend(Task(item, phase, item.wave, ns, hook=True) for phase in item.types)
        elif skip_in_sync and in_sync is not None and identity(resource, namespace) in in_sync:
            # §10: ApplyOutOfSyncOnly leaves in-sync resources out; hooks always run.
            not_applied.append(
                NotApplied(item, IN_SYNC, "unchanged, so ApplyOutOfSyncOnly leaves it out", shown)
            )
        elif item is synthetic:
            tasks.append(Task(item, argo.PRE_SYNC, 0, ns, hook=False, synthetic=True))
        else:
            tasks.append(Task(item, argo.SYNC, item.wave, ns, hook=False))

    prunes, unpruned = _prune_tasks(pruned, namespace, app, tasks)
    ordered = sort_tasks([*tasks, *prunes])
    sync_fail = tuple(task for task in ordered if task.phase == argo.SYNC_FAIL)
    sync_tasks = [task for task in ordered if task.phase != argo.SYNC_FAIL]
    # §6.3 (sync_tasks.go multiStep): the first and the last task of the whole list, SyncFail included.
    multi_step = bool(ordered) and (ordered[0].phase, ordered[0].wave) != (
        ordered[-1].phase,
        ordered[-1].wave,
    )
    steps = _steps(sync_tasks, multi_step)
    precreated = tuple(
        task
        for task in sync_tasks
        if not task.prune
        and task.resource.group == ""
        and task.kind == "Namespace"
        and task.name == namespace
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
    )


def _by_name(task: Task) -> tuple[str, str]:
    return (task.name, task.kind)


def _prune_tasks(
    pruned: Iterable[Resource], namespace: str, app: AppSettings | None, tasks: Sequence[Task]
) -> tuple[list[Task], list[NotApplied]]:
    """Prune tasks for live objects gone from Git: the live object's wave (§1.6), reversed (§4.1), then
    PruneLast (§4.2). Hooks, Skip objects and Prune=false objects are left in the cluster."""
    prunes: list[Task] = []
    unpruned: list[NotApplied] = []
    for resource in pruned:
        item = Annotated(resource)
        shown = identity_namespace(resource, namespace)
        reason = pruning.prunable(item)
        if reason is not None:
            unpruned.append(NotApplied(item, NOT_PRUNED, reason, shown))
        else:
            prunes.append(
                Task(
                    item,
                    argo.SYNC,
                    item.wave,
                    effective_namespace(resource, namespace),
                    hook=False,
                    prune=True,
                )
            )
    swap = pruning.rewrite_waves([task.wave for task in prunes])
    prunes = [replace(task, wave=swap[task.wave]) for task in prunes]
    sync_waves = [task.wave for task in tasks if task.phase == argo.SYNC] + [task.wave for task in prunes]
    last = pruning.prune_last_wave(sync_waves)
    app_prune_last = app is not None and app.prune_last
    return [
        replace(task, wave=last)
        if app_prune_last or task.annotated.sync_options.has(pruning.PRUNE_LAST)
        else task
        for task in prunes
    ], unpruned


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
    """§5.1 comparator, then the Namespace and CRD pulls of §5.3.

    Go's sort is not stable, so Argo CD leaves ties (same phase, wave, kind and name) in no fixed order;
    hooklint breaks them by namespace, file and position so that its output is deterministic.
    """
    ordered = sorted(
        tasks, key=lambda t: (*t.sort_key, t.namespace, t.resource.group, t.resource.path, t.resource.index)
    )
    ordered = _pull(ordered, "namespace", _namespace_dep, _namespace_ref)
    return _pull(ordered, "crd", _crd_dep, _crd_ref)


def _namespace_dep(task: Task) -> str | None:
    resource = task.resource
    return resource.name if resource.kind == "Namespace" and resource.group == "" else None


def _namespace_ref(task: Task) -> str | None:
    return task.namespace


def _crd_dep(task: Task) -> str | None:
    resource = task.resource
    if resource.kind != "CustomResourceDefinition" or resource.group != "apiextensions.k8s.io":
        return None
    group, kind = resource.get(("spec", "group")), resource.get(("spec", "names", "kind"))
    return f"{group}/{kind}" if isinstance(group, str) and isinstance(kind, str) else None


def _crd_ref(task: Task) -> str | None:
    return f"{task.resource.group}/{task.kind}"


def _pull(ordered: list[Task], reason: str, dep_key: _KeyOf, ref_key: _KeyOf) -> list[Task]:
    """One adjustDeps pass (§5.3): a dependency moves to just before the first earlier task that refers to
    it and takes that task's phase and wave. It only ever moves earlier."""
    tasks = list(ordered)
    first_ref: dict[str, int] = {}
    for position in range(len(tasks)):
        task = tasks[position]
        if task.prune:
            continue  # only tasks with a target object take part (§5.3)
        key = dep_key(task)
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


def _steps(tasks: Sequence[Task], multi_step: bool) -> tuple[Step, ...]:
    """Distinct (phase, wave) in list order, each with every task of that exact phase and wave (§6.4)."""
    groups: dict[tuple[str, int], list[Task]] = {}
    for task in tasks:
        groups.setdefault((task.phase, task.wave), []).append(task)
    keys = list(groups)
    return tuple(
        Step(
            phase,
            wave,
            tuple(t for t in groups[(phase, wave)] if not t.prune),
            final=number == len(keys) - 1,
            multi_step=multi_step,
            prunes=tuple(t for t in groups[(phase, wave)] if t.prune),
        )
        for number, (phase, wave) in enumerate(keys)
    )
