"""HL110: an application of hooks alone (docs/argocd.md#drift-and-sync-status)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd.identity import argocd_account
from hooklint.model import Finding, FixAvailability, Rule, Severity
from hooklint.rules.context import Context
from hooklint.sync.plan import Task


def _looks_partial(ctx: Context, hooks: tuple[Task, ...]) -> bool:
    """Whether a hook names an object the input lacks: then the input is part of a larger application
    (a Kustomize component, a changed file) whose other resources are not in view. A manifest's namespace
    does not count: Argo CD may create it (CreateNamespace=true, docs/argocd.md#crds-and-namespaces); nor does
    Argo CD's own ServiceAccount, which every cluster Argo CD syncs to holds without any application."""
    graph = ctx.graph
    return any(
        ref.field != "namespace"
        and not graph.resources(ref.target)
        and not (ref.target.kind == "ServiceAccount" and argocd_account(ref.target.name))
        for task in hooks
        for ref in graph.references(task.resource)
    )


def _hooks_only_application(ctx: Context) -> Iterator[Finding]:
    tasks = ctx.plan.tasks
    # Skip objects and delete-only hooks produce no task and get no sync status either (docs/argocd.md#classification, docs/argocd.md#drift-and-sync-status).
    if not tasks or any(not task.hook for task in tasks) or _looks_partial(ctx, tasks):
        return
    first = tasks[0]
    names = dict.fromkeys(task.label for task in tasks)
    yield ctx.finding(
        first.annotated.hook_annotation.span,
        f"every object this application syncs is a hook ({', '.join(names)}), and hooks get no sync "
        "status: the application is never OutOfSync, so a change to these hooks never starts an automated sync",
        resource=first.resource,
    )


HOOKS_ONLY_APPLICATION = Rule(
    id="HL110",
    name="hooks-only-application",
    summary="An application that syncs only hooks: it is never OutOfSync, so automated sync never applies a change.",
    severity=Severity.WARNING,
    check=_hooks_only_application,
    fix=FixAvailability.NONE,
    needs_every_object=True,
)
RULES: tuple[Rule, ...] = (HOOKS_ONLY_APPLICATION,)
