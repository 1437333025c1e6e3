"""HL019: hook features newer than the Argo CD version the application targets (docs/argocd.md#helm-hooks, docs/argocd.md#delete-hooks, docs/argocd.md#version-table)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.annotations import Annotation, Item
from hooklint.model import Finding, Rule, Severity
from hooklint.rules.context import Context

# docs/argocd.md#version-table's release table lives in argocd/annotations.py with the rest of the vocabulary.
Version = argo.Version
SYNC_WAVES = argo.SYNC_WAVES_SINCE
SYNC_FAIL = argo.SYNC_FAIL_SINCE
BEFORE_HOOK_CREATION = argo.BEFORE_HOOK_CREATION_SINCE
HELM_HOOKS = argo.HELM_HOOKS_SINCE
DELETE_HOOKS = argo.DELETE_HOOK_SINCE
DELETE_LISTS = argo.DELETE_LISTS_SINCE
DELETE_WITH_SYNC = argo.DELETE_WITH_SYNC_SINCE
supports = argo.supports


def _text(version: Version) -> str:
    return ".".join(str(part) for part in version)


def _needs(since: Version, backport: Version | None = None) -> str:
    if backport is None:
        return f"Argo CD {_text(since)}"
    return f"Argo CD {_text(backport)} on the {backport[0]}.{backport[1]} line or {_text(since)}"


def _helm_hook_ignored(item: Annotated, version: Version) -> bool:
    """docs/argocd.md#helm-hooks: before 1.3.0 a Helm hook (other than crd-install) was ignored; it matters only where Argo CD now
    reads it, i.e. without a valid Argo CD type (docs/argocd.md#hook-types) or as a delete hook."""
    helm = item.helm_hook
    if supports(version, HELM_HOOKS) or helm is None or helm.text == argo.HELM_CRD_INSTALL:
        return False
    mapped = {argo.HELM_TYPE_MAP.get(i.value) for i in helm.items()}
    return bool(mapped & set(argo.DELETE_TYPES)) or item.types_from_helm


def _waves_and_helm(ctx: Context, item: Annotated, version: Version) -> Iterator[Finding]:
    resource, shown = item.resource, _text(version)
    wave_annotation = item.annotations.get(item.wave_source)
    if wave_annotation is not None and item.wave != 0:
        if item.wave_source == argo.SYNC_WAVE and not supports(version, SYNC_WAVES):
            yield ctx.finding(
                wave_annotation.span,
                f"sync waves need {_needs(SYNC_WAVES)}; {shown} ignores {argo.SYNC_WAVE}, so {resource.ident} "
                f"is applied with the rest of its phase, not in wave {item.wave}",
                resource=resource,
            )
        # A Helm hook that is ignored as a whole is reported once, below, not for its weight too.
        elif item.wave_source == argo.HELM_HOOK_WEIGHT and not (
            supports(version, HELM_HOOKS) or _helm_hook_ignored(item, version)
        ):
            yield ctx.finding(
                wave_annotation.span,
                f"{argo.HELM_HOOK_WEIGHT} needs {_needs(HELM_HOOKS)}; {shown} ignores it, so {resource.ident} "
                f"is not in wave {item.wave}",
                resource=resource,
            )
    helm = item.helm_hook
    if helm is not None and _helm_hook_ignored(item, version):
        mapped = (argo.HELM_TYPE_MAP.get(i.value) for i in helm.items())
        phases = [
            *(item.helm_types if item.types_from_helm else ()),
            *(t for t in mapped if t in argo.DELETE_TYPES),
        ]
        yield ctx.finding(
            helm.span,
            f"Helm hooks need {_needs(HELM_HOOKS)}; {shown} ignores every {argo.HELM_HOOK} but crd-install, so "
            f"{resource.ident} does not run as a {'/'.join(phases)} hook",
            resource=resource,
        )
    policy = item.annotations.get(argo.HELM_HOOK_DELETE_POLICY)
    if (
        policy is None
        or not item.is_hook
        or supports(version, HELM_HOOKS)
        or _helm_hook_ignored(item, version)
    ):
        return
    for value in policy.items():
        if value.value in argo.HELM_POLICY_MAP:
            yield ctx.finding(
                value.span,
                f"Helm delete policies need {_needs(HELM_HOOKS)}; {shown} ignores {value.value!r} on "
                f"{resource.ident}",
                resource=resource,
            )


def _sync_fail_and_policies(ctx: Context, item: Annotated, version: Version) -> Iterator[Finding]:
    resource, shown = item.resource, _text(version)
    hook = item.argo_hook
    if hook is not None and not supports(version, SYNC_FAIL):
        others = [t for t in item.types if t != argo.SYNC_FAIL]
        consequence = (
            f"{resource.ident} runs only in {', '.join(others)}"
            if others
            else f"with no other type Argo CD never applies {resource.ident}"
        )
        for value in hook.items():
            if value.value == argo.SYNC_FAIL:
                yield ctx.finding(
                    value.span,
                    f"SyncFail hooks need {_needs(SYNC_FAIL)}; {shown} does not know the type and ignores it, "
                    f"so {consequence}",
                    resource=resource,
                )
    policy = item.annotations.get(argo.HOOK_DELETE_POLICY)
    if policy is None or supports(version, BEFORE_HOOK_CREATION) or not (item.is_hook or item.delete_types):
        return
    others = [p for p in item.explicit_policies if p != argo.BEFORE_HOOK_CREATION]
    rest = f"only {', '.join(others)} applies" if others else f"{resource.ident} has no delete policy"
    for value in policy.items():
        if value.value == argo.BEFORE_HOOK_CREATION:
            yield ctx.finding(
                value.span,
                f"BeforeHookCreation needs {_needs(BEFORE_HOOK_CREATION)}; {shown} does not know it and "
                f"ignores it, so {rest}",
                resource=resource,
            )


def _delete_values(item: Annotated, version: Version) -> list[tuple[Annotation, Item, str]]:
    """(annotation, item, delete type) for every PreDelete/PostDelete value, Argo CD's or Helm's (docs/argocd.md#delete-hooks)."""
    found: list[tuple[Annotation, Item, str]] = []
    if item.argo_hook is not None:
        found += [
            (item.argo_hook, i, i.value) for i in item.argo_hook.items() if i.value in argo.DELETE_TYPES
        ]
    if item.helm_hook is not None and not _helm_hook_ignored(item, version):
        for value in item.helm_hook.items():
            mapped = argo.HELM_TYPE_MAP.get(value.value)
            if mapped in argo.DELETE_TYPES:
                found.append((item.helm_hook, value, mapped))
    return found


def _recognized(annotation: Annotation, value: Item, delete_type: str, version: Version) -> bool:
    if not supports(version, DELETE_HOOKS[delete_type]):
        return False
    return supports(version, *DELETE_LISTS) or annotation.text == value.value


def _delete_hooks(ctx: Context, item: Annotated, version: Version) -> Iterator[Finding]:
    values = _delete_values(item, version)
    if not values:
        return
    resource, shown, types = item.resource, _text(version), item.types
    known = [_recognized(*value, version) for value in values]
    recognized = [value for value, ok in zip(values, known, strict=True) if ok]
    kept = "/".join(dict.fromkeys(t for _, _, t in recognized))
    if kept:
        consequence = f"{resource.ident} runs only as a {kept} hook"
    elif types:
        consequence = f"{resource.ident} runs only in {', '.join(types)}, never on Application deletion"
    else:
        consequence = f"{resource.ident} is never applied nor run"
    for (_, value, delete_type), ok in zip(values, known, strict=True):
        if ok:
            continue
        since = DELETE_HOOKS[delete_type]
        if not supports(version, since):
            cause = f"{delete_type} hooks need {_needs(since)}; {shown} does not know {value.value!r} and ignores it"
        else:
            cause = (
                f"a hook value listing {delete_type} among other values needs {_needs(*DELETE_LISTS)}; {shown} "
                f"takes only a value that is exactly {value.value!r} as a {delete_type} hook"
            )
        yield ctx.finding(value.span, f"{cause}, so {consequence}", resource=resource)
    if recognized and types and not supports(version, *DELETE_WITH_SYNC):
        _, value, delete_type = recognized[0]
        yield ctx.finding(
            value.span,
            f"a hook with both a sync phase and {delete_type} needs {_needs(*DELETE_WITH_SYNC)}; {shown} removes "
            f"{resource.ident} from syncs as a {delete_type} hook, so it never runs in {', '.join(types)}",
            resource=resource,
        )


def _knows_every_feature(version: Version) -> bool:
    """Whether `version` has every feature this rule checks for; then it has nothing to say."""
    return (
        all(supports(version, since) for since in (SYNC_WAVES, SYNC_FAIL, BEFORE_HOOK_CREATION, HELM_HOOKS))
        and all(supports(version, since) for since in DELETE_HOOKS.values())
        and supports(version, *DELETE_LISTS)
        and supports(version, *DELETE_WITH_SYNC)
    )


def _hook_needs_newer_argocd(ctx: Context) -> Iterator[Finding]:
    version = ctx.argocd_version
    if _knows_every_feature(version):
        return  # the newest release, the default, and most targets
    for item in ctx.annotated():
        yield from _waves_and_helm(ctx, item, version)
        yield from _sync_fail_and_policies(ctx, item, version)
        yield from _delete_hooks(ctx, item, version)


HOOK_NEEDS_NEWER_ARGOCD = Rule(
    id="HL019",
    name="hook-needs-newer-argocd",
    summary="A hook feature newer than the targeted Argo CD version (--argocd-version): that version ignores it.",
    severity=Severity.ERROR,
    check=_hook_needs_newer_argocd,
)

RULES: tuple[Rule, ...] = (HOOK_NEEDS_NEWER_ARGOCD,)
