"""HL201-HL203: dependencies the sync applies too late, never, or only as hooks (docs/argocd.md#sort-order to docs/argocd.md#health-checks, docs/argocd.md#selective-sync)."""

from __future__ import annotations

import enum
import graphlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from hooklint.argocd import annotations as argo
from hooklint.model import Finding, Related, Resource, ResourceKey, Rule, Severity, Span
from hooklint.rules.context import Context
from hooklint.rules.ordering.dependency_kinds import MISSABLE
from hooklint.sync.plan import NotApplied, Plan, Step, Task
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    import networkx as nx

    from hooklint.graph import Graph, Reference

POD_DEPENDENCIES = MISSABLE | {("scheduling.k8s.io", "PriorityClass"), ("storage.k8s.io", "StorageClass")}
PULLED_FORWARD = frozenset({("", "Namespace"), ("apiextensions.k8s.io", "CustomResourceDefinition")})
# Kinds that only create pods later (on a schedule, or when something submits them): applying them
# waits for nothing their pods need, so a dependency arriving in a later step is there in time.
PODS_LATER = frozenset({("batch", "CronJob")}) | {
    ("argoproj.io", kind) for kind in ("CronWorkflow", "WorkflowTemplate", "ClusterWorkflowTemplate")
}


class Verdict(enum.Enum):
    LATER = "later"  # HL201: first applied in a later step, which waits for the dependent
    NEVER = "never"  # HL201: never applied by a sync that succeeds
    AFTER_SYNC = "after-sync"  # HL202: only a PostSync hook, needed by a waited-on PreSync or Sync task
    ON_FAILURE = "on-failure"  # HL202: only a SyncFail hook, needed by a waited-on task
    CYCLE = "cycle"  # HL202: a hard dependency cycle across steps


@frozen
class Judgement:
    """One dependency of one resource that the plan does not provide in time: HL201's or HL202's."""

    ref: Reference  # the first field of the source naming the target
    task: Task  # the source's first task that lacks the target
    verdict: Verdict
    target: Resource  # the manifest of the target the message speaks of
    target_step: Step | None  # where the target is first applied, for LATER and CYCLE
    detail: str  # why it is never applied, or the cycle


def _blocks(task: Task) -> bool:
    """Whether the task's step waits for it (docs/argocd.md#task-status to docs/argocd.md#step-gates) and it cannot get healthy while its dependency is
    missing: kinds without a health check count as done once applied, and nothing waits for pods that
    only start later."""
    resource = task.resource
    if (resource.group, resource.kind) in PODS_LATER or resource.get(("spec", "replicas")) == 0:
        return False
    return task.waits


class _Cycles:
    """Strongly connected components of the hard references between the application's own resources."""

    def __init__(self, resources: Sequence[Resource], graph: Graph) -> None:
        edges: dict[ResourceKey, dict[ResourceKey, None]] = {}  # ordered, so paths are deterministic
        for source in resources:
            for ref in graph.references(source):
                target = ref.target
                if ref.hard and (target.group, target.kind) not in PULLED_FORWARD and graph.resources(target):
                    edges.setdefault(graph.key(source), {})[target] = None
        self.component: dict[ResourceKey, int] = {}
        self.hard: nx.DiGraph[ResourceKey] | None = None
        # A cycle needs a target that names something in turn; most applications' targets (ConfigMaps,
        # Secrets, ServiceAccounts) name nothing, and graphlib is not asked.
        if not any(target in edges for targets in edges.values() for target in targets):
            return
        try:
            graphlib.TopologicalSorter(edges).prepare()
        except graphlib.CycleError:
            # Cycles are rare: networkx (slow to import) loads only to name their members and paths.
            import networkx as nx

            self.hard = nx.DiGraph(
                [(source, target) for source, targets in edges.items() for target in targets]
            )
            for number, members in enumerate(nx.strongly_connected_components(self.hard)):
                if len(members) > 1:
                    self.component.update(dict.fromkeys(members, number))

    def contains(self, source: ResourceKey, target: ResourceKey) -> bool:
        number = self.component.get(source)
        return number is not None and self.component.get(target) == number

    def path(self, source: ResourceKey, target: ResourceKey) -> str:
        """source → target → ... → source: any way back stays inside the component."""
        import networkx as nx

        assert self.hard is not None  # only asked of two members of one component
        back: list[ResourceKey] = nx.shortest_path(self.hard, target, source)
        return " → ".join(str(key) for key in (source, *back))


def judge(ctx: Context) -> list[Judgement]:
    """Every dependency edge classified once per run: HL201, HL202 and HL203 share the verdicts."""
    return ctx.memo("dependency-judgements", lambda: list(_judge_all(ctx)))


def _judge_all(ctx: Context) -> Iterator[Judgement]:
    """Every hard dependency a sync task lacks when its step runs; in a multi-step sync no later step
    starts before that one is healthy (docs/argocd.md#step-gates). HL201 and HL202 both read this, so an edge is one rule's or
    the other's, never both."""
    plan, graph = ctx.plan, ctx.graph
    cycles = _Cycles(ctx.resources, graph)
    skipped = {id(n.resource): n for n in plan.not_applied}
    for source in ctx.resources:
        # Only what a pod needs, or a reference inside a cycle, can be lacking; most objects name neither.
        refs = [
            ref
            for ref in graph.references(source)
            if ref.hard
            and (
                (ref.target.group, ref.target.kind) in POD_DEPENDENCIES
                or (cycles.component and cycles.contains(graph.key(source), ref.target))
            )
        ]
        # SyncFail tasks are HL208's and delete hooks HL207's: only tasks of the normal flow count.
        tasks = [t for t in plan.tasks_of(source) if plan.step_index(t) is not None] if refs else []
        seen: set[ResourceKey] = set()
        for ref in refs if tasks else ():
            target = ref.target
            if target in seen:
                continue
            seen.add(target)
            cyclic = bool(cycles.component) and cycles.contains(graph.key(source), target)
            pod_dependency = (target.group, target.kind) in POD_DEPENDENCIES
            targets = [r for r in graph.resources(target) if r is not source]
            if not targets:
                continue  # absent targets are HL206's
            for task in tasks:
                found = _judge_task(plan, task, targets, skipped)
                if found is None:
                    continue
                verdict, resource, step, detail = found
                if verdict is Verdict.LATER and cyclic:
                    verdict, detail = Verdict.CYCLE, cycles.path(graph.key(source), target)
                if pod_dependency or verdict is Verdict.CYCLE:
                    yield Judgement(ref, task, verdict, resource, step, detail)
                break  # the first task that lacks it: the sync never gets further


def _judge_task(
    plan: Plan, task: Task, targets: Sequence[Resource], skipped: dict[int, NotApplied]
) -> tuple[Verdict, Resource, Step | None, str] | None:
    number = plan.step_index(task)
    assert number is not None
    applied = [(step, r) for r in targets if (step := plan.first_step(r)) is not None]
    if applied:
        # Most dependencies are one object: its step needs no comparing.
        first, resource = applied[0] if len(applied) == 1 else min(applied, key=lambda pair: pair[0])
        # The same or an earlier step is fine: kind order applies it first (docs/argocd.md#running-a-step) or the controller
        # retries within seconds; a hook of an earlier step exists until the operation ends (docs/argocd.md#hook-lifecycle).
        if first <= number or not _blocks(task):
            return None
        phases = {t.phase for r in targets for t in plan.tasks_of(r) if plan.step_index(t) is not None}
        if phases == {argo.POST_SYNC} and task.phase != argo.POST_SYNC:
            # docs/argocd.md#step-gates: PostSync starts only after every PreSync and Sync step is healthy.
            return Verdict.AFTER_SYNC, resource, plan.steps[first], ""
        return Verdict.LATER, resource, plan.steps[first], ""
    for resource in targets:
        if any(t.phase == argo.SYNC_FAIL for t in plan.tasks_of(resource)):
            # docs/argocd.md#failure-and-syncfail: SyncFail hooks start only once a step has failed.
            waited = plan.steps[number].gated and _blocks(task)
            verdict = Verdict.ON_FAILURE if waited else Verdict.NEVER
            return verdict, resource, None, "it exists only as a SyncFail hook, applied after a sync fails"
    reasons = [skipped[id(r)] for r in targets if id(r) in skipped]
    if not reasons:
        return None
    return Verdict.NEVER, reasons[0].resource, None, reasons[0].detail


DEADLOCKS = frozenset({Verdict.AFTER_SYNC, Verdict.ON_FAILURE, Verdict.CYCLE})


def _hook_span(plan: Plan, resource: Resource) -> Span:
    """The annotation that makes `resource` a hook (or keeps it out of the sync), else the object."""
    item = plan.annotated_of(resource)
    hook = item.argo_hook or item.helm_hook
    return hook.span if hook is not None else resource.span


def _describe(plan: Plan, j: Judgement) -> tuple[str, Related]:
    """The message and the related location of a judgement, naming both sides and their steps."""
    needs, ident = f"{j.task.label} runs in {j.task.where} but needs {j.ref.target}", j.target.ident
    later = f"{j.target_step.phase} wave {j.target_step.wave}" if j.target_step else ""
    stuck = f"so the sync never gets past {j.task.where}"
    if j.verdict is Verdict.LATER:
        return f"{needs}, applied in {later}", Related(j.target.span, f"{ident} is first applied in {later}")
    if j.verdict is Verdict.NEVER:
        message = f"{needs}, which the sync never applies: {j.detail}"
        return message, Related(_hook_span(plan, j.target), f"{ident} is never applied")
    if j.verdict is Verdict.AFTER_SYNC:
        message = (
            f"{needs}, which exists only as a PostSync hook ({later}): PostSync starts only after every "
            f"PreSync and Sync step is healthy, {stuck}"
        )
        return message, Related(_hook_span(plan, j.target), f"{ident} is applied only in PostSync")
    if j.verdict is Verdict.ON_FAILURE:
        message = f"{needs}, which exists only as a SyncFail hook: SyncFail hooks start only after a step fails, {stuck}"
        return message, Related(_hook_span(plan, j.target), f"{ident} is applied only when a sync fails")
    message = (
        f"{needs}, applied in {later}, which needs it in turn ({j.detail}): the cycle spans steps, {stuck}"
    )
    return message, Related(j.target.span, f"{ident} is first applied in {later}")


def _report(ctx: Context, deadlocks: bool) -> Iterator[Finding]:
    for j in judge(ctx):
        if (j.verdict in DEADLOCKS) == deadlocks:
            message, related = _describe(ctx.plan, j)
            yield ctx.finding(j.ref.span, message, resource=j.ref.source, related=[related])


def _applied_later(ctx: Context) -> Iterator[Finding]:
    return _report(ctx, deadlocks=False)


def _sync_deadlock(ctx: Context) -> Iterator[Finding]:
    return _report(ctx, deadlocks=True)


def _consequences(policies: set[str]) -> str:
    """What happens to a hook object between syncs, by its delete policies (docs/argocd.md#hook-lifecycle, docs/argocd.md#selective-sync)."""
    found = ["a selective sync or the apply strategy runs no hook, so it does not create it"]
    if argo.HOOK_SUCCEEDED in policies:
        found.append("every successful sync deletes it at the end")
    if argo.BEFORE_HOOK_CREATION in policies:
        found.append("every sync deletes and re-creates it, so it is missing for a while")
    if argo.HOOK_FAILED in policies:
        found.append("every failed sync deletes it")
    return "; ".join(found)


def _dependency_on_hook(ctx: Context) -> Iterator[Finding]:
    plan, graph = ctx.plan, ctx.graph
    # Only a key some hook has can name objects that are all hooks: most references name none, and are
    # passed over without their objects.
    hook_keys = {graph.key(item.resource) for item in ctx.hook_annotated() if item.is_hook}
    if not hook_keys:
        return
    reported = {(id(j.ref.source), j.ref.target) for j in judge(ctx)}  # HL201's or HL202's
    for source in ctx.resources:
        if plan.annotated_of(source).is_hook or not plan.tasks_of(source):
            continue
        seen: set[ResourceKey] = set()
        for ref in graph.references(source):
            target = ref.target
            if target not in hook_keys or ref.optional or (target.group, target.kind) in PULLED_FORWARD:
                continue
            if target in seen:
                continue
            seen.add(target)
            targets = graph.resources(target)
            if not targets or (id(source), target) in reported:
                continue
            if not all(plan.annotated_of(r).is_hook for r in targets):
                continue
            tasks = [t for r in targets for t in plan.tasks_of(r) if plan.step_index(t) is not None]
            if not tasks:
                continue  # never applied in a normal sync: HL201's and HL202's case for hard references
            policies = {p for r in targets for p in plan.annotated_of(r).policies}
            wheres = ", ".join(dict.fromkeys(t.where for t in tasks))
            yield ctx.finding(
                ref.span,
                f"{source.ident} needs {target}, which exists only as a hook ({wheres}, delete policy "
                f"{','.join(sorted(policies))}): {_consequences(policies)}",
                resource=source,
                related=[Related(_hook_span(plan, tasks[0].resource), f"{tasks[0].label} is a hook")],
            )


DEPENDENCY_APPLIED_LATER = Rule(
    id="HL201",
    name="dependency-applied-later",
    summary="A resource or hook needs a ServiceAccount, ConfigMap, Secret, claim or class that the sync applies only later, or never.",
    severity=Severity.ERROR,
    check=_applied_later,
    needs_every_object=True,
)

SYNC_DEADLOCK = Rule(
    id="HL202",
    name="sync-deadlock",
    summary="A waited-on task needs an object that only a PostSync or SyncFail hook creates, or a cycle spans steps: the sync never finishes.",
    severity=Severity.ERROR,
    check=_sync_deadlock,
)

DEPENDENCY_ON_HOOK = Rule(
    id="HL203",
    name="dependency-on-hook",
    summary="A non-hook resource needs an object that exists only as a hook, which selective syncs skip and delete policies remove.",
    severity=Severity.WARNING,
    check=_dependency_on_hook,
)

RULES: tuple[Rule, ...] = (DEPENDENCY_APPLIED_LATER, SYNC_DEADLOCK, DEPENDENCY_ON_HOOK)
