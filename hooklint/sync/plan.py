"""The simulated sync as data: tasks, steps, the plan and the queries rules and renderers ask of it."""

from __future__ import annotations

from dataclasses import field

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.application import AppSettings
from hooklint.argocd.health import INSTANT, done_when, has_health
from hooklint.argocd.identity import identity_namespace
from hooklint.argocd.kinds import is_cluster_scoped
from hooklint.model import Resource
from hooklint.util.frozen import frozen
from hooklint.util.lazy import cached

WAVE_DELAY_SECONDS = 2  # ARGOCD_SYNC_WAVE_DELAY default (docs/argocd.md#wave-delay)

# docs/argocd.md#sort-order: phase precedence; any other phase counts as Sync.
PHASE_ORDER = {argo.PRE_SYNC: -1, argo.SYNC: 0, argo.POST_SYNC: 1, argo.SYNC_FAIL: 2}

# docs/argocd.md#kind-order: the kind order; the value is the index minus 35, kinds not listed are 0. Kind string only.
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

# Reasons an object is not applied by a sync (docs/design-notes.md#explain---format-json).
SKIP = "skip"
UNKNOWN_HOOK_TYPE = "unknown-hook-type"
HELM_HOOK_DROPPED = "helm-hook-dropped"
DELETE_ONLY_HOOK = "delete-only-hook"
DUPLICATE = "duplicate"
IN_SYNC = "in-sync"
# Why a live object gone from Git stays in the cluster.
NOT_PRUNED = "not-pruned"


@frozen(eq=False)
class Task:
    """One apply in the sync: a resource in Sync, or a hook in one of its phases."""

    annotated: Annotated = field(repr=False)
    phase: str
    wave: int
    namespace: str  # metadata.namespace, or the destination namespace (docs/argocd.md#tasks), even for cluster-scoped kinds
    hook: bool
    moved_by: str | None = (
        None  # "namespace" or "crd" when pulled forward (docs/argocd.md#dependency-adjustments)
    )
    pulled_for: Task | None = field(default=None, repr=False)
    prune: bool = False  # deletes a live object no longer in Git (docs/argocd.md#prune-waves)
    prune_skipped: bool = (
        False  # a prune task that deletes nothing: Prune=false (docs/argocd.md#prune-disabled)
    )
    confirm: bool = False  # a prune that waits for approval: Prune=confirm (docs/argocd.md#prune-disabled)
    synthetic: bool = (
        False  # made by Argo CD itself: CreateNamespace=true's Namespace (docs/argocd.md#crds-and-namespaces)
    )

    @cached
    def resource(self) -> Resource:
        return self.annotated.resource  # asked for hundreds of thousands of times per 1000 applications

    # Kept once read, as `resource` is: rules ask a task's kind and name several times each, and a kept value
    # is read from the instance without a call.
    @cached
    def kind(self) -> str:
        return self.resource.kind

    @cached
    def name(self) -> str:
        return self.resource.name

    @property
    def ident(self) -> str:
        return self.resource.ident

    @property
    def object_key(self) -> tuple[str, str, str, str, str]:
        """The object the task applies (group, kind, namespace, name, and the phase of a hook Argo CD names): the
        tasks of a named hook's phases share it, a hook without a name or with generateName gets one object per
        phase (docs/argocd.md#tasks)."""
        resource = self.resource
        named = bool(resource.name) and not resource.generate_name
        return (
            resource.group,
            self.kind,
            self.namespace,
            self.name,
            "" if named or not self.hook else self.phase,
        )

    @cached
    def sort_key(self) -> tuple[int, int, int, str]:
        """The comparator of docs/argocd.md#sort-order: phase, wave, kind, name (byte-wise). Kept once made: every
        sort of the plan and every Sync() call of pruning.calls asks for it again."""
        # Read through `annotated`: the sort asks this of new tasks, whose cached `resource` is not made yet.
        resource = self.annotated.resource
        return (PHASE_ORDER.get(self.phase, 0), self.wave, KIND_ORDER.get(resource.kind, 0), resource.name)

    @property
    def done_when(self) -> str:
        return done_when(self.resource, hook=self.hook)

    @cached
    def where(self) -> str:
        """Its place in the plan as messages say it: "PreSync wave -2"."""
        return f"{self.phase} wave {self.wave}"

    @property
    def label(self) -> str:
        return self.resource.label

    @cached
    def waits(self) -> bool:
        """Whether Argo CD has to wait for this task after applying it: it has a health assessment (docs/argocd.md#task-status) that
        is not met the moment it is applied."""
        return has_health(self.resource.group, self.kind) and self.done_when != INSTANT

    @property
    def display_namespace(self) -> str:
        """The namespace as people read it: empty for cluster-scoped kinds."""
        return "" if is_cluster_scoped(self.resource.group, self.kind) else self.namespace


@frozen(eq=False)
class Step:
    """All tasks of one (phase, wave): its prunes first, then its applies in list order (docs/argocd.md#running-a-step)."""

    phase: str
    wave: int
    tasks: tuple[Task, ...]  # the applies
    final: bool
    multi_step: bool
    prunes: tuple[Task, ...] = ()  # deletions of live objects gone from Git (docs/argocd.md#prune-waves)
    # Prune tasks that delete nothing (Prune=false): Argo CD still runs their step (docs/argocd.md#prune-disabled).
    skipped_prunes: tuple[Task, ...] = ()
    # Hooks whose object an earlier step left: deleted first (BeforeHookCreation), applied in the next Sync() call
    # (docs/argocd.md#running-a-step).
    recreated: tuple[Task, ...] = ()

    @property
    def where(self) -> str:
        """The step as messages name it: "PreSync wave -2"."""
        return f"{self.phase} wave {self.wave}"

    @property
    def entries(self) -> tuple[Task, ...]:
        """Everything in the step in the order Argo CD takes it: prunes (skipped ones included), then applies. Never
        empty, though `tasks` may be."""
        return self.prunes + self.skipped_prunes + self.tasks

    @property
    def has_hooks(self) -> bool:
        return any(task.hook for task in self.tasks)

    @property
    def can_fail(self) -> bool:
        """Whether the step can fail after its applies went through: a hook or resource in it is waited on and can
        turn Degraded (docs/argocd.md#task-status, docs/argocd.md#step-gates). A step of objects done once applied
        fails only on an apply error."""
        return any(task.waits for task in self.tasks)

    @property
    def gated(self) -> bool:
        """Whether anything waits for this step's tasks: every non-final step of a multi-step sync, and a final
        step with hooks (docs/argocd.md#step-gates, docs/argocd.md#sync-success)."""
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
            # docs/argocd.md#step-gates: the next step starts only once every pruned object is gone.
            until = (
                "the pruned objects are gone" if not waiting else f"{until}, and the pruned objects are gone"
            )
        if not self.final:
            return f"{WAVE_DELAY_SECONDS} s delay, then waits until {until}"
        if not self.has_hooks:
            return "final step, not waited on: the sync succeeds as soon as it is applied"
        return f"final step: the sync succeeds once these are done: {what}"


@frozen
class NotApplied:
    annotated: Annotated
    reason: str
    detail: str
    namespace: str

    @property
    def resource(self) -> Resource:
        return self.annotated.resource


@frozen(eq=False)
class Plan:
    """The whole simulated operation. Rules and renderers query it; nothing else derives order."""

    namespace: str
    steps: tuple[Step, ...]
    sync_fail: tuple[Task, ...]
    pre_delete: tuple[Task, ...]
    post_delete: tuple[Task, ...]
    not_applied: tuple[NotApplied, ...]
    precreated: tuple[
        Task, ...
    ]  # the destination Namespace, applied before the dry run (docs/argocd.md#operation-start)
    annotated: tuple[Annotated, ...]
    app: AppSettings | None = None
    unpruned: tuple[NotApplied, ...] = ()  # live objects gone from Git that a sync leaves in place
    # the kinds (group/kind) that CRDs of the application already in the cluster serve: those unchanged since the
    # base revision (docs/argocd.md#crds-and-namespaces)
    served: frozenset[str] = frozenset()

    @cached
    def _by_resource(self) -> dict[int, tuple[Task, ...]]:
        index: dict[int, list[Task]] = {}
        for task in self.tasks:
            index.setdefault(id(task.resource), []).append(task)
        return {key: tuple(tasks) for key, tasks in index.items()}

    @cached
    def with_hook_annotation(self) -> tuple[Annotated, ...]:
        """The objects that carry a hook annotation, Argo CD's or Helm's, whatever it makes of them (hooks, Skip,
        dropped and delete-only ones), in input order: everything a hook, a hook type or a delete hook can
        come from (docs/argocd.md#hook-types, docs/argocd.md#helm-hooks, docs/argocd.md#classification). A fifth of a typical application."""
        return tuple(a for a in self.annotated if a.hook_annotated)

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
    def deleted_on_success(self) -> tuple[Task, ...]:
        """The hook objects a successful sync deletes at its end: every hook that ran whose policies include
        HookSucceeded, one task per object (docs/argocd.md#sync-success, docs/argocd.md#hook-lifecycle)."""
        found: dict[tuple[str, str, str, str, str], Task] = {}
        for task in self.tasks[: len(self.tasks) - len(self.sync_fail)]:
            if task.hook and argo.HOOK_SUCCEEDED in task.annotated.policies:
                found.setdefault(task.object_key, task)
        return tuple(found.values())

    @property
    def multi_step(self) -> bool:
        return bool(self.steps) and self.steps[0].multi_step

    def annotated_of(self, resource: Resource) -> Annotated:
        return self._annotated_of[id(resource)]

    def tasks_of(self, resource: Resource) -> tuple[Task, ...]:
        return self._by_resource.get(id(resource), ())

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


def defined_kind(resource: Resource) -> str | None:
    """The kind a CustomResourceDefinition defines, as group/kind; None for any other object, or a CRD that
    lacks either field (docs/argocd.md#dependency-adjustments)."""
    if resource.kind != "CustomResourceDefinition" or resource.group != "apiextensions.k8s.io":
        return None
    group, kind = resource.get(("spec", "group")), resource.get(("spec", "names", "kind"))
    return f"{group}/{kind}" if isinstance(group, str) and isinstance(kind, str) else None


def kind_of(resource: Resource) -> str:
    """An object's kind as group/kind, to match against defined_kind."""
    return f"{resource.group}/{resource.kind}"


def identity(resource: Resource, destination: str) -> tuple[str, str, str, str]:
    """(group, kind, namespace, name): what makes two manifests the same object."""
    return (resource.group, resource.kind, identity_namespace(resource, destination), resource.name)
