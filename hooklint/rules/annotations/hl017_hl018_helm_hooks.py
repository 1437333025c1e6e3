"""HL017 and HL018: Helm hook values as Argo CD maps them, and the ones it drops (docs/argocd.md#hook-types, docs/argocd.md#helm-hooks)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.kinds import RUN_ONCE_KINDS
from hooklint.model import Finding, Rule, Severity
from hooklint.rules.context import Context

# docs/argocd.md#helm-hooks: each install value and the upgrade value that makes "every sync" what the author asked for.
_UPGRADE_OF = {"pre-install": "pre-upgrade", "post-install": "post-upgrade"}
# A rollback under Argo CD is a sync of an older revision, which runs that revision's PreSync and PostSync hooks:
# a rollback value beside a value of the same moment loses nothing (docs/argocd.md#helm-hooks).
# Objects for which running on every sync differs from running once: those that run (a Job, a Pod, a
# Workflow), and Secrets, whose install-time values (generated passwords) are made anew. A ServiceAccount or
# a role beside an install Job is applied again unchanged, which costs nothing.
_RERUN_MATTERS = frozenset({*RUN_ONCE_KINDS, ("", "Pod"), ("", "Secret")})
_ROLLBACK_COVERED_BY = {"pre-rollback": "PreSync", "post-rollback": "PostSync"}


def _helm_hook_dropped(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        # docs/argocd.md#hook-types: a valid Argo CD type (Skip included) makes Argo CD ignore helm.sh/hook wholesale.
        if item.argo_types:
            continue
        unmapped = [
            d
            for d in item.dropped_types
            if d.reason == argo.HELM_UNMAPPED and _ROLLBACK_COVERED_BY.get(d.value) not in item.types
        ]
        resource = item.resource
        for dropped in unmapped:
            if item.typeless:
                consequence = f"no value of it maps, so Argo CD never applies {resource.ident}"
            else:
                consequence = f"it is ignored; {ctx.plan.standing(resource)}"
            yield ctx.finding(
                dropped.span,
                f"helm.sh/hook value {dropped.value!r} has no Argo CD equivalent: {consequence}",
                resource=resource,
            )


def _helm_install_hook_runs_every_sync(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        helm = item.helm_hook
        if helm is None or not item.types_from_helm:
            continue
        if (item.resource.group, item.resource.kind) not in _RERUN_MATTERS:
            continue
        values = {i.value for i in helm.items()}
        for value in helm.items():
            upgrade = _UPGRADE_OF.get(value.value)
            if upgrade is None or upgrade in values:
                continue
            phase = argo.HELM_TYPE_MAP[value.value]
            where = ", ".join(t.where for t in ctx.plan.tasks_of(item.resource) if t.phase == phase)
            yield ctx.finding(
                value.span,
                f"helm.sh/hook {value.value!r} makes {item.resource.ident} run in {where or phase} on every "
                f"sync, not once on install: Argo CD cannot tell an install from an upgrade",
                resource=item.resource,
            )


HELM_HOOK_DROPPED = Rule(
    id="HL017",
    name="helm-hook-dropped",
    summary="A helm.sh/hook value Argo CD does not map (test, pre-rollback, typos): it is dropped.",
    severity=Severity.WARNING,
    check=_helm_hook_dropped,
)
HELM_INSTALL_HOOK_RUNS_EVERY_SYNC = Rule(
    id="HL018",
    name="helm-install-hook-runs-every-sync",
    summary="A Helm pre-install/post-install Job, Pod or Secret without its upgrade twin: under Argo CD it runs on every sync.",
    severity=Severity.INFO,
    check=_helm_install_hook_runs_every_sync,
)

RULES: tuple[Rule, ...] = (HELM_HOOK_DROPPED, HELM_INSTALL_HOOK_RUNS_EVERY_SYNC)
