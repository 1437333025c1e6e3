"""HL116: a change that touches only hooks, which Argo CD does not see as drift (docs/argocd.md#drift-and-sync-status)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.model import Finding, Related, Rule, Severity
from hooklint.rules.context import Context
from hooklint.sync.changes import hook_only


def _hook_only_change(ctx: Context) -> Iterator[Finding]:
    changes = ctx.changes
    if changes is None or not hook_only(changes):
        return
    touched = changes.touched
    first = touched[0]
    names = ", ".join(r.label for r in touched[:4]) + (
        f" and {len(touched) - 4} more" if len(touched) > 4 else ""
    )
    app = ctx.plan.app
    if app is not None and not app.automated:
        consequence = "nothing shows the change until someone syncs by hand"
    else:
        consequence = (
            "automated sync never starts, so the new hook does not run until some other resource changes"
        )
    span = first.span if first in changes.removed else first.span_at(("metadata", "annotations"), key=True)
    yield ctx.finding(
        span,
        f"since {changes.base} only hooks changed ({names}): hooks have no sync status, so the application stays "
        f"Synced and {consequence}",
        resource=first,
        related=[Related(r.span, f"{r.label} changed too") for r in touched[1:4]],
    )


HOOK_ONLY_CHANGE = Rule(
    id="HL116",
    name="hook-only-change",
    summary="A change (against --base) that touches only hook objects: the app stays Synced and auto-sync never runs it.",
    severity=Severity.WARNING,
    check=_hook_only_change,
)

RULES: tuple[Rule, ...] = (HOOK_ONLY_CHANGE,)
