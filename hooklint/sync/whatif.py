"""What-if questions asked of a Plan: a named task fails (docs/argocd.md#step-gates, docs/argocd.md#failure-and-syncfail, docs/argocd.md#hook-lifecycle, docs/argocd.md#docs-versus-code (items 2 and 3)), or a sync
runs without hooks (docs/argocd.md#selective-sync)."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.identity import identity_namespace
from hooklint.model import Resource
from hooklint.sync import pruning
from hooklint.sync.plan import DUPLICATE, IN_SYNC, Plan, Step, Task, defined_kind, identity, kind_of
from hooklint.sync.scheduler import plan
from hooklint.sync.timeline import waited_on
from hooklint.util.frozen import frozen
from hooklint.util.spelling import close_matches


class WhatIfError(Exception):
    """A question hooklint cannot answer as asked: a name it cannot find, or an object outside the scenario."""


def _identity(resource: Resource, namespace: str) -> tuple[str, str, str]:
    shown = identity_namespace(resource, namespace)
    return resource.kind, shown, resource.name


def find(target: str, the_plan: Plan) -> Resource:
    """The object `KIND/NAME` or `KIND/NAMESPACE/NAME` names; kinds match in any case, a generateName prefix
    with or without its `*`. Unknown or ambiguous names raise WhatIfError with the close matches."""
    parts = target.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise WhatIfError(f"--fail takes KIND/NAME or KIND/NAMESPACE/NAME, not {target!r}")
    kind, name = parts[0].lower(), parts[-1].removesuffix("*")
    namespace = parts[1] if len(parts) == 3 else None
    found: dict[tuple[str, str, str], list[Resource]] = {}
    for item in the_plan.annotated:
        resource = item.resource
        identity = _identity(resource, the_plan.namespace)
        if resource.kind.lower() == kind and resource.name == name and namespace in (None, identity[1]):
            found.setdefault(identity, []).append(resource)
    if not found:
        labels = sorted(
            {_label(item.resource, the_plan.namespace, len(parts) == 3) for item in the_plan.annotated}
        )
        close = close_matches(target.removesuffix("*"), labels, n=3, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise WhatIfError(f"no object {target} among the manifests{hint}")
    if len(found) > 1:
        names = ", ".join(f"{k}/{ns or '-'}/{n}" for k, ns, n in sorted(found))
        raise WhatIfError(f"{target} names {len(found)} objects: name one as KIND/NAMESPACE/NAME: {names}")
    copies = next(iter(found.values()))
    # Of several manifests of one object Argo CD syncs the last (the plan's duplicates).
    kept = [r for r in copies if (entry := the_plan.not_applied_of(r)) is None or entry.reason != DUPLICATE]
    return (kept or copies)[-1]


def _label(resource: Resource, namespace: str, with_namespace: bool) -> str:
    kind, shown, name = _identity(resource, namespace)
    return f"{kind}/{shown or '-'}/{name}" if with_namespace else f"{kind}/{name}"


def _not_in_flow(resource: Resource, the_plan: Plan, selective: bool) -> str:
    """Why `resource` has no task of the normal flow, as the error says it."""
    ident = resource.ident
    if any(task.resource is resource for task in the_plan.sync_fail):
        return f"{ident} is a SyncFail hook: it runs only once another task has failed"
    entry = the_plan.not_applied_of(resource)
    if entry is not None and entry.reason == "delete-only-hook":
        return f"{ident} runs only when the Application is deleted: ask with --delete --fail"
    if entry is not None:
        return f"{ident} is never applied by a sync ({entry.reason}: {entry.detail})"
    if selective:
        return f"{ident} is a hook: a selective sync runs no hook"
    return f"{ident} is never applied by a sync"


@frozen
class Failure:
    """A sync in which `task` fails. Steps are 0-based positions in `plan.steps`."""

    plan: Plan
    task: Task
    step: (
        int | None
    )  # None: the destination Namespace, applied before the dry run (docs/argocd.md#operation-start)
    waited: bool  # whether Argo CD waits for its health; if not, only an apply error fails it
    sync_fail: tuple[Task, ...]  # started all at once
    deleted: tuple[Task, ...]  # completed hooks with HookFailed, deleted as the failure is handled
    deleted_later: tuple[Task, ...]  # SyncFail hooks with HookFailed, deleted once they complete
    kept_hooks: tuple[Task, ...]  # hook objects this run leaves in the cluster
    applied: tuple[Task, ...]  # resources applied in this run, which stay as applied
    untouched: tuple[Task, ...]  # resources of the steps that never run: their live version stays
    pruned: tuple[Task, ...] = ()  # live objects gone from Git that the steps that ran deleted
    not_pruned: tuple[Task, ...] = ()  # prunes of the steps that never run: those objects stay
    selective: bool = (
        False  # a selective or apply-strategy sync, which runs no hook (docs/argocd.md#selective-sync)
    )
    # SyncFail hooks whose object a hook of an earlier phase left: deleted first (BeforeHookCreation), then applied
    recreated: tuple[Task, ...] = ()
    # Argo CD before v3.4.0 only: hook tasks of the failing step whose object HookFailed deleted right after they
    # applied it, and SyncFail tasks whose object a terminating CRD takes with it (docs/argocd.md#crds-and-namespaces);
    # each stays running with no object, so the operation never ends (docs/argocd.md#failure-and-syncfail)
    stuck: tuple[Task, ...] = ()
    # SyncFail tasks whose apply fails: the failing object's own after an apply error, and custom resources whose
    # CRD is not served then (docs/argocd.md#crds-and-namespaces)
    sync_fail_failed: tuple[Task, ...] = ()

    @property
    def done(self) -> tuple[Step, ...]:
        return self.plan.steps[: self.step] if self.step is not None else ()

    @property
    def failing(self) -> Step | None:
        return self.plan.steps[self.step] if self.step is not None else None

    @property
    def waiting(self) -> str:
        """The message of an operation that never ends (`stuck`), as sync_context.go setRunningPhase words it."""
        if not self.stuck:
            return ""
        first = self.stuck[0]
        more = f" and {len(self.stuck) - 1} more hooks" if len(self.stuck) > 1 else ""
        return f"waiting for completion of hook {first.resource.group}/{first.kind}/{first.name}{more}"

    @property
    def never_run(self) -> tuple[Step, ...]:
        return self.plan.steps[self.step + 1 :] if self.step is not None else self.plan.steps


def fail(
    the_plan: Plan, resource: Resource, *, selective: bool = False, apply_error: bool = False
) -> Failure:
    """What Argo CD does when `resource` fails in its first step: the rest of that step finishes first (a
    failure is handled once nothing is running, docs/argocd.md#step-gates), later steps never start, completed HookFailed hooks are
    deleted whether they succeeded or not, and every SyncFail hook starts at once (docs/argocd.md#failure-and-syncfail, docs/argocd.md#hook-lifecycle, docs/argocd.md#docs-versus-code (items 2 and 3)).

    By default it fails as a Job or Pod that ends Failed, or a Degraded resource, does; `apply_error` makes its
    apply fail instead: then its object is never created, and the failure is handled in the call that applied the
    step, before the engine has seen the step's other new objects."""
    if the_plan.is_precreated(resource):
        # docs/argocd.md#operation-start: the destination Namespace is applied before the dry run; its failure ends the operation
        # there, with no SyncFail hook (sync_context.go passes none).
        task = next(t for t in the_plan.precreated if t.resource is resource)
        untouched = tuple(t for s in the_plan.steps for t in s.tasks if not t.hook and t is not task)
        prunes = the_plan.prunes
        return Failure(the_plan, task, None, False, (), (), (), (), (), untouched, (), prunes, selective)
    tasks = [t for t in the_plan.tasks_of(resource) if the_plan.step_index(t) is not None]
    if not tasks:
        raise WhatIfError(_not_in_flow(resource, the_plan, selective))
    task = tasks[0]
    number = the_plan.step_index(task)
    assert number is not None
    step = the_plan.steps[number]
    ran = [t for s in the_plan.steps[: number + 1] for t in s.tasks]
    later = [t for s in the_plan.steps[number + 1 :] for t in s.tasks]
    ran_ids = {id(t.resource) for t in ran}
    hooks = _unique([t for t in ran if t.hook and not (apply_error and t.object_key == task.object_key)])
    deleted = tuple(t for t in hooks if argo.HOOK_FAILED in t.annotated.policies)
    sync_fail = the_plan.sync_fail
    # docs/argocd.md#failure-and-syncfail: the HookFailed deletions come first, so a SyncFail hook finds only the
    # objects they spared.
    seen = [t for t in hooks if not (apply_error and the_plan.step_index(t) == number)]
    left = {t.object_key for t in seen} - {t.object_key for t in deleted}
    recreated = tuple(t for t in sync_fail if pruning.recreated(t, left))
    # docs/argocd.md#failure-and-syncfail: without a re-creation to wait for, the SyncFail hooks of an apply error
    # are applied in the failing call, after the HookFailed deletions and before the deletions that follow their
    # completion, which find an object the failing step made and its SyncFail phase applied again only once.
    fresh = {
        t.object_key for t in deleted if apply_error and not recreated and the_plan.step_index(t) == number
    }
    # What the cluster holds when the SyncFail hooks are applied: with a re-creation to wait for, in the next call,
    # after every HookFailed deletion, those of the failing call done (gone) and those of that call terminating.
    made = {t.object_key for t in hooks}
    if recreated:
        later_round = {t.object_key for t in deleted if apply_error and the_plan.step_index(t) == number}
        removed = {t.object_key for t in (*deleted, *recreated)} - later_round
        cluster = _Cluster(made - removed - later_round, later_round, removed)
    else:
        removed = {t.object_key for t in deleted} - fresh
        cluster = _Cluster(made - removed, removed, set())
    applies = _sync_fail_applies(
        the_plan, ran, task if apply_error else None, [*deleted, *recreated], cluster
    )
    unapplied, vanished = applies.failed, applies.vanished
    started = _unique([t for t in sync_fail if t not in unapplied])
    lost = {t.object_key for t in vanished}
    deleted_later = tuple(
        t
        for t in started
        if argo.HOOK_FAILED in t.annotated.policies and t.object_key not in fresh and t.object_key not in lost
    )
    gone = {t.object_key for t in (*deleted, *deleted_later, *vanished)}
    # docs/argocd.md#failure-and-syncfail, docs/argocd.md#docs-versus-code, item 2: the operation fails, so HookSucceeded never fires: every other hook that ran stays.
    kept = tuple(t for t in _unique([*hooks, *started]) if t.object_key not in gone)
    applied = tuple(t for t in ran if not t.hook)
    untouched = tuple(t for t in _unique([t for t in later if not t.hook]) if id(t.resource) not in ran_ids)
    pruned = tuple(t for s in the_plan.steps[: number + 1] for t in s.prunes)
    not_pruned = tuple(t for s in the_plan.steps[number + 1 :] for t in s.prunes)
    waited = apply_error or waited_on(step, task)
    stuck: tuple[Task, ...] = ()
    if sync_fail and not unapplied:
        # A SyncFail apply that fails ends the operation at once, before v3.4.0 (docs/argocd.md#failure-and-syncfail).
        if apply_error:
            deleted_first = {t.object_key for t in seen} & {t.object_key for t in deleted}
            stuck = _stuck(step, task, deleted_first, () if recreated else started)
        if not (stuck and recreated):
            # Those hooks are waited for before the SyncFail hooks of a later call are applied.
            stuck = (*stuck, *vanished)
    return Failure(
        the_plan,
        task,
        number,
        waited,
        sync_fail,
        deleted,
        deleted_later,
        kept,
        applied,
        untouched,
        pruned,
        not_pruned,
        selective,
        recreated,
        stuck,
        unapplied,
    )


@frozen
class _Cluster:
    """The hook objects the cluster holds as the SyncFail hooks are applied (docs/argocd.md#crds-and-namespaces)."""

    present: set[tuple[str, str, str, str, str]]
    terminating: set[tuple[str, str, str, str, str]]  # deleted by HookFailed, not yet gone
    gone: set[tuple[str, str, str, str, str]]  # deleted in an earlier call


@frozen
class _Applies:
    failed: tuple[Task, ...]  # the apply fails: nothing of the object is created
    vanished: tuple[Task, ...]  # applied to an object that its terminating CRD takes with it


def _sync_fail_applies(
    the_plan: Plan, ran: Sequence[Task], failing: Task | None, deleted: Sequence[Task], cluster: _Cluster
) -> _Applies:
    """The SyncFail tasks whose apply fails, and those whose object then vanishes. An apply error fails the
    object's every apply (`failing`). A custom resource of a kind one of the application's CRDs defines is created
    only while its CRD serves the kind (docs/argocd.md#crds-and-namespaces): in the cluster before the sync, applied
    by a step that ran or by an earlier SyncFail task, and not terminating, HookFailed having deleted it. An apply
    to an object that exists is an update, which a terminating CRD allows; but the object goes with that CRD, as
    does a terminating CRD that a SyncFail task applies again (an apply takes back no deletion)."""
    failed_keys = {failing.object_key} if failing is not None else set()
    defined = {kind for item in the_plan.annotated if (kind := defined_kind(item.resource)) is not None}
    by_key = {t.object_key: kind for t in deleted if (kind := defined_kind(t.resource)) is not None}
    terminating = {kind for key, kind in by_key.items() if key in cluster.terminating}
    gone = {kind for key, kind in by_key.items() if key in cluster.gone}
    served = set(the_plan.served)
    served.update(kind for t in ran if t.object_key not in failed_keys and (kind := defined_kind(t.resource)))
    served -= gone
    failed: list[Task] = []
    vanished: list[Task] = []
    for task in the_plan.sync_fail:
        key, kind, makes = task.object_key, kind_of(task.resource), defined_kind(task.resource)
        if key in failed_keys:
            failed.append(task)
        elif makes is not None:
            if key in cluster.terminating:
                vanished.append(task)
            else:
                served.add(makes)
        elif kind in defined:
            if key in cluster.present and kind not in gone:
                if kind in terminating:
                    vanished.append(task)
            elif kind in terminating or kind not in served:
                failed.append(task)
    return _Applies(tuple(failed), tuple(vanished))


def _stuck(
    step: Step, task: Task, deleted_first: set[tuple[str, str, str, str, str]], applied: Sequence[Task]
) -> tuple[Task, ...]:
    """Before v3.4.0: the hooks of the failing step that applied an object an earlier phase left, which HookFailed
    then deletes in the same call (`deleted_first`) and no SyncFail hook `applied` in that call makes again."""
    again = {t.object_key for t in applied}
    return tuple(
        t
        for t in step.tasks
        if t.hook
        and t.object_key != task.object_key
        and t.object_key in deleted_first
        and t.object_key not in again
        and t not in step.recreated
    )


def _unique(tasks: Sequence[Task]) -> list[Task]:
    """One task per object (a named hook in several phases is one object, an unnamed one an object per phase),
    the first kept."""
    seen: set[tuple[str, str, str, str, str]] = set()
    found = []
    for task in tasks:
        if task.object_key not in seen:
            seen.add(task.object_key)
            found.append(task)
    return found


@frozen
class HookNeed:
    """A resource of a hook-less sync that refers to an object only hooks create."""

    source: Resource
    field: str
    target: str  # Kind/name
    hard: bool  # the source cannot start or work without it
    hooks: tuple[Resource, ...]
    places: str  # where the hooks run in a full sync
    present: str  # when the object is in the cluster, by the hooks' delete policies (docs/argocd.md#hook-lifecycle)


@frozen
class Selective:
    plan: Plan  # the sync with every hook left out
    skipped: tuple[Task, ...]  # the full sync's hook tasks, SyncFail included, none of which runs
    needs: tuple[HookNeed, ...]


def manifests(the_plan: Plan) -> tuple[Annotated, ...]:
    """The input the plan was made from: without the Namespace that CreateNamespace=true adds (docs/argocd.md#crds-and-namespaces)."""
    synthetic = {id(t.annotated) for t in the_plan.tasks if t.synthetic}
    return tuple(item for item in the_plan.annotated if id(item) not in synthetic)


def selective(the_plan: Plan) -> Selective:
    """A selective sync or an apply-strategy sync: no hook of any phase runs (docs/argocd.md#selective-sync). The scheduler plans the
    hook-free input with the same Application, prunes and in-sync objects, so Namespace pulls and steps are
    its own. Duplicate copies are left out first, so an object whose kept copy is a hook does not come back
    through an earlier copy."""
    items = manifests(the_plan)
    kept = [
        item.resource
        for item in items
        if not item.is_hook
        and ((entry := the_plan.not_applied_of(item.resource)) is None or entry.reason != DUPLICATE)
    ]
    in_sync = frozenset(
        identity(n.resource, the_plan.namespace) for n in the_plan.not_applied if n.reason == IN_SYNC
    )
    pruned = [t.resource for t in the_plan.prunes] + [n.resource for n in the_plan.unpruned]
    hookless = plan(kept, the_plan.namespace, app=the_plan.app, pruned=pruned, in_sync=in_sync or None)
    skipped = tuple(t for t in the_plan.tasks if t.hook)
    resources = [item.resource for item in items]
    return Selective(hookless, skipped, tuple(_hook_needs(the_plan, hookless, resources)))


def _present(the_plan: Plan, hooks: Sequence[Resource]) -> str:
    """When an object made only by hooks is in the cluster between full syncs (docs/argocd.md#hook-lifecycle, docs/argocd.md#docs-versus-code (items 1 and 3))."""
    policies = {p for r in hooks for p in the_plan.annotated_of(r).policies}
    phases = {t.phase for r in hooks for t in the_plan.tasks_of(r)}
    if not phases:
        return "no sync ever creates it"
    if phases == {argo.SYNC_FAIL}:
        if argo.HOOK_FAILED in policies:
            return "never there: only a failed sync creates it, and deletes it again (HookFailed)"
        return "there only after a failed full sync"
    if argo.HOOK_SUCCEEDED in policies:
        return "missing after every successful full sync, which deletes it (HookSucceeded)"
    if argo.HOOK_FAILED in policies:
        return "there after a successful full sync, missing after a failed one (HookFailed)"
    return "there once a full sync has run it (BeforeHookCreation replaces it on the next one)"


def _hook_needs(the_plan: Plan, hookless: Plan, resources: Sequence[Resource]) -> list[HookNeed]:
    from hooklint.graph import Graph  # networkx loads only for --selective

    graph = Graph(resources, the_plan.namespace)
    found: list[HookNeed] = []
    for source in resources:
        if not hookless.tasks_of(source):
            continue
        seen: set[object] = set()
        for ref in graph.references(source):
            targets = graph.resources(ref.target)
            if ref.optional or ref.target in seen or not targets:
                continue
            if not all(the_plan.annotated_of(r).is_hook for r in targets):
                continue
            seen.add(ref.target)
            found.append(
                HookNeed(
                    source,
                    ref.field,
                    str(ref.target),
                    ref.hard,
                    tuple(targets),
                    ", ".join(dict.fromkeys(the_plan.places(r) for r in targets if the_plan.places(r)))
                    or "never",
                    _present(the_plan, targets),
                )
            )
    return found
