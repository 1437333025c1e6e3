"""How long a sync can take: each task's best and worst case from its manifest, per step, in total, and the
critical path (docs/argocd.md#step-gates to docs/argocd.md#failure-and-syncfail, docs/argocd.md#hook-health, docs/argocd.md#health-checks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hooklint.argocd.health import INSTANT
from hooklint.argocd.kinds import POD_SPEC_PATHS
from hooklint.model import Resource
from hooklint.sync.backoff import (
    CONTAINER_BACKOFF_CAP,
    DEFAULT_BACKOFF_LIMIT,
    POD_BACKOFF_CAP,
    backoff_seconds,
)
from hooklint.sync.plan import WAVE_DELAY_SECONDS, Plan, Step, Task
from hooklint.util.frozen import frozen

# Kubernetes: a Deployment fails its rollout after progressDeadlineSeconds (600 when unset) without progress.
DEFAULT_PROGRESS_DEADLINE = 600


def human(seconds: int | None) -> str:
    """Exact and short: 90 -> "90 s", 728 -> "12 min 8 s", 7260 -> "2 h 1 min"; None -> "unbounded"."""
    if seconds is None:
        return "unbounded"
    if seconds < 120:
        return f"{seconds} s"
    big, small, units = (3600, 60, ("h", "min")) if seconds >= 7200 else (60, 1, ("min", "s"))
    whole, rest = divmod(seconds, big)
    rest //= small
    return f"{whole} {units[0]}" + (f" {rest} {units[1]}" if rest else "")


@frozen
class Duration:
    """How long Argo CD can wait for one task. `best`: it succeeds at its first attempt the moment it starts;
    `worst`: the longest its manifest lets it run before it completes or fails, None when nothing bounds it.
    Neither counts scheduling, image pulls, the time containers run or API latency: manifests do not say."""

    best: int
    worst: int | None
    basis: str  # why the worst case is what it is
    fails_after: int | None = None  # Jobs: the least time a run that keeps failing takes before it fails


def _seconds(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _job(resource: Resource) -> Duration:
    if resource.get(("spec", "suspend")) is True:
        # docs/argocd.md#hook-health: Suspended counts as still running.
        return Duration(0, None, "a suspended Job: Argo CD waits until someone resumes it")
    found = resource.get(("spec",))
    spec: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    job_deadline = _seconds(spec.get("activeDeadlineSeconds"))
    pod_deadline = _seconds(resource.get(("spec", "template", "spec", "activeDeadlineSeconds")))
    per_index = _seconds(spec.get("backoffLimitPerIndex"))
    limit = _seconds(spec.get("backoffLimit"))
    default = " (the default)" if limit is None and per_index is None else ""
    limit = per_index if per_index is not None else (DEFAULT_BACKOFF_LIMIT if limit is None else limit)
    completions = max(_seconds(spec.get("completions")) or 1, 1)
    on_failure = resource.get(("spec", "template", "spec", "restartPolicy")) == "OnFailure"
    back_off = backoff_seconds(limit, CONTAINER_BACKOFF_CAP if on_failure else POD_BACKOFF_CAP)
    if per_index is not None:
        back_off *= completions  # each index retries on its own
    rules = resource.get(("spec", "podFailurePolicy", "rules"))
    ignores = isinstance(rules, list) and any(
        isinstance(r, Mapping) and r.get("action") == "Ignore" for r in rules
    )
    limit_text = f"backoffLimit{'PerIndex' if per_index is not None else ''} {limit}{default}"
    fails_after = None if ignores else back_off
    if fails_after is not None and job_deadline is not None:
        fails_after = min(fails_after, job_deadline)
    bounds: list[tuple[int, str]] = []
    if job_deadline is not None:
        bounds.append((job_deadline, f"activeDeadlineSeconds {job_deadline} ends it, retries and all"))
    if pod_deadline is not None and not ignores:
        # Every attempt ends within the pod deadline; in the worst case they run one after another.
        attempts = completions * (limit + 1) if per_index is not None else limit + completions
        bounds.append(
            (
                attempts * pod_deadline + back_off,
                f"up to {attempts} attempt(s) of at most {pod_deadline} s (pod activeDeadlineSeconds) "
                f"and {human(back_off)} of back-off ({limit_text})",
            )
        )
    if bounds:
        worst, basis = min(bounds)
        return Duration(0, worst, basis, fails_after)
    if ignores:
        return Duration(0, None, "podFailurePolicy ignores some failures, so retries never run out", None)
    return Duration(0, None, "no activeDeadlineSeconds: a hung pod holds it forever", fails_after)


def _pod(resource: Resource) -> Duration:
    deadline = _seconds(resource.get(("spec", "activeDeadlineSeconds")))
    if deadline is not None:
        # docs/argocd.md#health-checks: a Pod past its deadline is Failed, so Degraded.
        return Duration(0, deadline, f"activeDeadlineSeconds {deadline}")
    policy = resource.get(("spec", "restartPolicy"), "Always")
    if policy == "OnFailure":
        return Duration(0, None, "restartPolicy OnFailure restarts a failing container forever")
    if policy == "Always":
        return Duration(0, None, "done once ready, which may never happen, and no activeDeadlineSeconds")
    return Duration(0, None, "no activeDeadlineSeconds: a hung container holds it forever")


def task_duration(task: Task) -> Duration:
    """Best and worst case of one task from what its manifest says (docs/argocd.md#task-status, docs/argocd.md#hook-health, docs/argocd.md#health-checks)."""
    resource = task.resource
    if not task.waits:
        what = "no health check" if task.done_when != INSTANT else "healthy at once"
        return Duration(0, 0, f"{what}: done once applied")
    kind = (resource.group, resource.kind)
    if kind == ("batch", "Job"):
        return _job(resource)
    if kind == ("", "Pod"):
        return _pod(resource)
    if kind == ("apps", "Deployment"):
        if resource.get(("spec", "paused")) is True:
            return Duration(0, None, "a paused Deployment stays Suspended")
        progress = _seconds(resource.get(("spec", "progressDeadlineSeconds")))
        progress = DEFAULT_PROGRESS_DEADLINE if progress is None else progress
        return Duration(
            0,
            None,
            f"a rollout has no time limit: it fails only after {human(progress)} without progress "
            "(progressDeadlineSeconds)",
        )
    return Duration(0, None, f"waits until {task.done_when}, with no time limit")


# Kinds whose deletion waits for other objects whatever the propagation policy: a Namespace for its content,
# a CRD for its custom resources, a claim for the pods using it. Workloads wait for their pods only under
# foreground deletion, the default PrunePropagationPolicy (docs/argocd.md#sync-options).
_SLOW_DELETION = frozenset(
    {("", "Namespace"), ("", "PersistentVolumeClaim"), ("apiextensions.k8s.io", "CustomResourceDefinition")}
)


def prune_duration(task: Task, *, foreground: bool = True) -> Duration:
    """A prune is done once the object is gone (docs/argocd.md#step-gates); only what holds a deletion up makes it slow."""
    resource = task.resource
    kind = (resource.group, resource.kind)
    if resource.get(("metadata", "finalizers")):
        return Duration(0, None, "pruned: its finalizers hold it until their controllers let go")
    if kind in _SLOW_DELETION or (foreground and kind in POD_SPEC_PATHS):
        return Duration(0, None, "pruned: its deletion waits for what it owns, with no time limit")
    return Duration(0, 0, "pruned: gone at once")


def waited_on(step: Step, task: Task) -> bool:
    """Whether the sync waits for `task` before it goes on: hooks always, resources in a multi-step sync, and
    nothing in a final step without hooks (docs/argocd.md#step-gates, docs/argocd.md#sync-success)."""
    return step.gated and task.waits and (task.hook or step.multi_step)


@frozen
class Timed:
    task: Task
    duration: Duration

    @property
    def label(self) -> str:
        return self.task.label + (" (prune)" if self.task.prune else "")


@frozen
class StepTime:
    """One step: the wave delay runs while its tasks work, so it takes the longer of the two (docs/argocd.md#wave-delay)."""

    number: int  # 1-based
    step: Step
    delay: int
    waited: tuple[Timed, ...]
    best: int
    worst: int | None
    critical: Timed | None  # what sets the worst case; None: the wave delay, or nothing at all


@frozen
class Timeline:
    steps: tuple[StepTime, ...]
    sync_fail: tuple[Timed, ...]
    sync_fail_worst: int | None
    selective: bool = False  # timed without hooks (docs/argocd.md#selective-sync)

    @property
    def best(self) -> int:
        return sum(step.best for step in self.steps)

    @property
    def worst(self) -> int | None:
        if any(step.worst is None for step in self.steps):
            return None
        return sum(step.worst or 0 for step in self.steps)

    @property
    def bounded_worst(self) -> int:
        """The worst case with every unbounded task taken as instant: what the rest adds up to."""
        return sum(max([step.delay, *(t.duration.worst or 0 for t in step.waited)]) for step in self.steps)

    @property
    def unbounded(self) -> tuple[Timed, ...]:
        return tuple(t for step in self.steps for t in step.waited if t.duration.worst is None)


def _step_time(number: int, step: Step, foreground: bool) -> StepTime:
    delay = (
        0 if step.final else WAVE_DELAY_SECONDS
    )  # docs/argocd.md#wave-delay: no delay after the final step
    waited = tuple(Timed(task, task_duration(task)) for task in step.tasks if waited_on(step, task))
    if step.gated:
        # docs/argocd.md#step-gates: the next step also waits until every pruned object is gone.
        waited += tuple(Timed(task, prune_duration(task, foreground=foreground)) for task in step.prunes)
    best = max([delay, *(t.duration.best for t in waited)])
    unbounded = [t for t in waited if t.duration.worst is None]
    if unbounded:
        return StepTime(number, step, delay, waited, best, None, unbounded[0])
    longest = max(waited, key=lambda t: t.duration.worst or 0, default=None)
    if longest is not None and (longest.duration.worst or 0) > delay:
        return StepTime(number, step, delay, waited, best, longest.duration.worst, longest)
    return StepTime(number, step, delay, waited, best, delay, None)


def timeline(plan: Plan, *, selective: bool = False) -> Timeline:
    """The plan's steps timed one after another: each starts once the previous one is done (docs/argocd.md#step-gates)."""
    # docs/argocd.md#csv-values: of several Key=value options the first wins.
    options = [i.value for i in plan.app.sync_options] if plan.app is not None else []
    policy = next((o.partition("=")[2] for o in options if o.startswith("PrunePropagationPolicy=")), None)
    foreground = policy in (None, "foreground")
    steps = tuple(_step_time(number, step, foreground) for number, step in enumerate(plan.steps, start=1))
    # docs/argocd.md#failure-and-syncfail: every SyncFail hook starts at once, and the operation fails once all of them are done.
    sync_fail = tuple(Timed(task, task_duration(task)) for task in plan.sync_fail)
    worsts = [t.duration.worst for t in sync_fail]
    sync_fail_worst = None if None in worsts else max([0, *(w or 0 for w in worsts)])
    return Timeline(steps, sync_fail, sync_fail_worst, selective)
