"""Prune tasks: live objects gone from Git, with Argo CD's reversed prune waves and PruneLast (docs/argocd.md#prune-waves)."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.argocd.annotated import Annotated
from hooklint.argocd.application import AppSettings, own_or_app

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
