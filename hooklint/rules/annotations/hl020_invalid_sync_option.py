"""HL020: sync options Argo CD does not act on (docs/argocd.md#csv-values, docs/argocd.md#sync-options)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotations import Item
from hooklint.model import Finding, Rule, Severity
from hooklint.rules.context import Context

# docs/argocd.md#csv-values: Argo CD compares options exactly; a case slip or stray space is a different, unknown option.
_CANONICAL = {
    option.lower().replace(" ", ""): option
    for option in (*argo.RESOURCE_SYNC_OPTIONS, *argo.NOOP_SYNC_OPTIONS)
}
_KNOWN_KEYS = {option.split("=", 1)[0] for option in _CANONICAL.values()}
_APP_ONLY = {key.lower(): key for key in argo.APP_ONLY_SYNC_OPTION_KEYS}
# docs/argocd.md#csv-values: these are read with a prefix match on `Key=`, and the first matching item wins.
_FIRST_WINS = ("Prune", "Delete")


def _option_problem(option: Item, earlier: dict[str, str]) -> str | None:
    """Why Argo CD does not act on one item of the sync-options annotation, or None when it does."""
    value = option.value
    key = value.split("=", 1)[0].strip()
    if value in argo.RESOURCE_SYNC_OPTIONS or value in argo.NOOP_SYNC_OPTIONS:
        if key in _FIRST_WINS and key in earlier and earlier[key] != value:
            return f"{value!r} is ignored: Argo CD reads only the first {key}= item, {earlier[key]!r}"
        return None
    canonical = _CANONICAL.get(value.lower().replace(" ", ""))
    if canonical is not None:
        return f"{value!r} is not {canonical!r}: Argo CD matches sync options exactly, so it is ignored"
    app_only = _APP_ONLY.get(key.lower())
    if app_only is not None:
        return (
            f"{value!r} is read only from the Application's spec.syncPolicy.syncOptions, never from "
            "a resource's annotation: it is ignored"
        )
    for known in _KNOWN_KEYS:
        if key.lower() == known.lower():
            choices = " or ".join(repr(o) for o in argo.RESOURCE_SYNC_OPTIONS if o.startswith(known + "="))
            return f"{value!r} is not a value Argo CD acts on (it reads {choices}): ignored"
    return f"{value!r} is not a sync option Argo CD knows: ignored"


def _invalid_sync_option(ctx: Context) -> Iterator[Finding]:
    for item in ctx.annotated():
        if argo.SYNC_OPTIONS not in item.annotations:
            continue  # most objects: no options to read
        earlier: dict[str, str] = {}
        for option in item.sync_options.items:
            problem = _option_problem(option, earlier)
            key = option.value.split("=", 1)[0]
            earlier.setdefault(key, option.value)
            if problem is not None:
                yield ctx.finding(
                    option.span,
                    f"{item.resource.ident}: sync option {problem}",
                    resource=item.resource,
                )


INVALID_SYNC_OPTION = Rule(
    id="HL020",
    name="invalid-sync-option",
    summary="A sync option Argo CD does not act on per resource: a case slip, an app-level option or unknown.",
    severity=Severity.WARNING,
    check=_invalid_sync_option,
)
RULES: tuple[Rule, ...] = (INVALID_SYNC_OPTION,)
