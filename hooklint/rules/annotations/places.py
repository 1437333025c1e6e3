"""Where an annotated object runs, as the annotation rules' messages say it."""

from __future__ import annotations

from hooklint.argocd.annotated import Annotated
from hooklint.rules.context import Context


def places(ctx: Context, item: Annotated) -> str:
    """Every place the object runs in: its sync tasks, then its delete hooks."""
    places = [task.where for task in ctx.plan.tasks_of(item.resource)]
    places += [f"{kind} on Application deletion" for kind in item.delete_types]
    return ", ".join(places)
