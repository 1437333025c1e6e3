"""Prune tasks: live objects gone from Git, with Argo CD's reversed prune waves and PruneLast (docs/argocd.md#prune-waves)."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.argocd.annotated import Annotated

PRUNE_LAST = "PruneLast=true"
PRUNE_DISABLED = "Prune=false"
PRUNE_CONFIRM = "Prune=confirm"


def prunable(item: Annotated) -> str | None:
    """Why a live object is not pruned, or None when it is: live hooks never are (docs/argocd.md#tasks), Skip objects have no
    task (docs/argocd.md#classification), and `Prune=false` leaves the object OutOfSync (docs/argocd.md#drift-and-sync-status)."""
    if item.is_hook or item.delete_types:
        return "a hook: live hooks are never pruned"
    if item.skip:
        return "annotated Skip: never pruned"
    if item.sync_options.value("Prune") == "false":
        return "Prune=false: left in the cluster, the app stays OutOfSync"
    return None


def rewrite_waves(prune_waves: Sequence[int]) -> dict[int, int]:
    """docs/argocd.md#prune-waves (v2.11.0+): the distinct prune waves swapped end for end, so the highest wave is pruned first,
    in the slot of the lowest."""
    waves = sorted(set(prune_waves))
    return {wave: waves[len(waves) - 1 - index] for index, wave in enumerate(waves)}


def prune_last_wave(sync_waves: Sequence[int]) -> int:
    """docs/argocd.md#prunelast: one after the highest Sync-phase wave (swapped prune tasks included), and never below 1."""
    return max([0, *sync_waves]) + 1
