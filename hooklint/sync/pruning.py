"""Prune tasks: live objects gone from Git, with Argo CD's reversed prune waves and PruneLast (docs/argocd.md#prune-waves)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import groupby

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.application import AppSettings, own_or_app
from hooklint.sync.plan import PHASE_ORDER, Task

PRUNE_LAST = "PruneLast=true"


def no_task(item: Annotated) -> str | None:
    """Why a live object gone from Git gets no prune task at all, or None when it gets one: live hooks never
    do (docs/argocd.md#tasks), and Skip objects have no task (docs/argocd.md#classification)."""
    if item.is_hook or item.delete_types:
        return "a hook: live hooks are never pruned"
    if item.skip:
        return "annotated Skip: never pruned"
    return None


def prune_skipped(item: Annotated, app: AppSettings | None) -> str | None:
    """Why Argo CD's prune task for this object deletes nothing, or None when it deletes it (docs/argocd.md#prune-disabled):
    Prune=false, the object's own value first, else the Application's default (gitops-engine sync_context.go
    isPruningDisabled). The task stays in the plan: it counts in the prune-wave swap and PruneLast, and the app stays
    OutOfSync (docs/argocd.md#drift-and-sync-status)."""
    if own_or_app(item.sync_options, app, "Prune") != "false":
        return None
    where = "" if item.sync_options.value("Prune") is not None else " (the Application's default)"
    return f"Prune=false{where}: left in the cluster, the app stays OutOfSync"


def prune_confirm(item: Annotated, app: AppSettings | None) -> bool:
    """Whether the prune waits for the Application's deletion approval (docs/argocd.md#prune-disabled): Prune=confirm,
    the object's own value first, else the Application's (gitops-engine sync_context.go objRequiresPruneConfirmation)."""
    return own_or_app(item.sync_options, app, "Prune") == "confirm"


def rewrite_waves(prune_waves: Sequence[int]) -> dict[int, int]:
    """docs/argocd.md#prune-waves (v2.11.0+): the distinct prune waves swapped end for end, so the highest wave is pruned first,
    in the slot of the lowest."""
    waves = sorted(set(prune_waves))
    return {wave: waves[len(waves) - 1 - index] for index, wave in enumerate(waves)}


def prune_last_wave(sync_waves: Sequence[int]) -> int:
    """docs/argocd.md#prunelast: one after the highest Sync-phase wave (swapped prune tasks included), and never below 1."""
    return max([0, *sync_waves]) + 1


def call_waves(prunes: Sequence[Task], sync_waves: Sequence[int], prune_last: bool) -> list[Task]:
    """The live prunes with the waves one Sync() call gives them (gitops-engine sync_context.go getSyncTasks): their
    waves swapped (docs/argocd.md#prune-waves), then PruneLast (docs/argocd.md#prunelast). `sync_waves` are the
    Sync-phase waves of the tasks with a target; `prune_last` the Application's PruneLast."""
    swap = rewrite_waves([task.wave for task in prunes])
    swapped = [replace(task, wave=swap[task.wave]) for task in prunes]
    last = prune_last_wave([*sync_waves, *(task.wave for task in swapped)])
    return [
        replace(task, wave=last) if prune_last or task.annotated.sync_options.has(PRUNE_LAST) else task
        for task in swapped
    ]


def calls(
    applies: Sequence[Task],
    prunes: Sequence[Task],
    sync_waves: Sequence[int],
    prune_last: bool,
    order: Callable[[Sequence[Task]], list[Task]],
) -> list[list[Task]]:
    """The steps in the order Argo CD runs them, one Sync() call each (docs/argocd.md#prune-waves): `applies` are
    the tasks with a target in their final order, `prunes` carry their live objects' own waves. Every call swaps
    the waves of the prunes still live afresh, so once the first ones are gone the rest swap again. A Prune=false
    object stays live: its task, done, still counts in later swaps.

    A step that must first delete a hook object an earlier step left (BeforeHookCreation, docs/argocd.md#running-a-step)
    takes two calls: the first prunes and deletes, the second swaps the prunes still live again, prunes those
    that now fall in the same phase and wave, and applies. Both calls are one step."""
    if not prunes:
        # Most syncs prune nothing: then every step is one run of applies of one phase and wave, as the loop
        # below makes it (a call that deletes hooks first applies nothing, the next call applies the run).
        return [list(run) for _, run in groupby(applies, key=_head)]
    pending = list(applies)
    left = list(range(len(prunes)))
    stay: list[int] = []
    steps: list[list[Task]] = []
    live_hooks: set[tuple[str, str, str, str, str]] = set()  # hook objects applied by earlier steps
    recreating: tuple[int, int] | None = None  # the step whose hooks the previous call deleted
    sync_rank = PHASE_ORDER[argo.SYNC]
    while pending or left:
        live = sorted([*left, *stay])
        # Most syncs prune nothing: then there are no waves to swap, and no prunes to order, in any call.
        waves = (
            dict(zip(live, call_waves([prunes[i] for i in live], sync_waves, prune_last), strict=True))
            if live
            else {}
        )
        heads = [(sync_rank, waves[i].wave) for i in left]
        if pending:
            heads.append(pending[0].sort_key[:2])
        head = min(heads)
        now = [i for i in left if (sync_rank, waves[i].wave) == head]
        count = next((n for n, task in enumerate(pending) if task.sort_key[:2] != head), len(pending))
        deleted = {task.object_key for task in pending[:count] if recreated(task, live_hooks)}
        applied = [] if deleted else pending[:count]
        pruned = order([waves[i] for i in now]) if now else []
        if recreating == head:
            steps[-1].extend([*pruned, *applied])
        else:
            steps.append([*pruned, *applied])
        recreating = head if deleted else None
        live_hooks -= deleted
        live_hooks.update(task.object_key for task in applied if task.hook)
        pending = pending[len(applied) :]
        left = [i for i in left if i not in now]
        stay.extend(i for i in now if prunes[i].prune_skipped)
    return steps


def _head(task: Task) -> tuple[int, int]:
    return task.sort_key[:2]


def recreated(task: Task, live_hooks: set[tuple[str, str, str, str, str]]) -> bool:
    """Whether a hook task finds its object left by an earlier step and deletes it first (gitops-engine
    sync_task.go deleteBeforeCreation): a named hook in several phases whose policies include BeforeHookCreation.
    Hooks without a name get one per phase from the engine, so they never meet an earlier one."""
    resource = task.resource
    return (
        task.hook
        and bool(resource.name)
        and not resource.generate_name
        and argo.BEFORE_HOOK_CREATION in task.annotated.policies
        and task.object_key in live_hooks
    )
