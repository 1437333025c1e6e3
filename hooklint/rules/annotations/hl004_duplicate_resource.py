"""HL004: the same object (group, kind, namespace, name) defined more than once in one application."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.model import Finding, FixAvailability, Related, Resource, ResourceKey, Rule, Severity, Span
from hooklint.rules.context import Context


def _name_span(resource: Resource) -> Span:
    return resource.span_at(("metadata", "name"))


def _at(span: Span) -> str:
    return f"{span.path}:{span.line}"


def _duplicate_resource(ctx: Context) -> Iterator[Finding]:
    # Argo CD keys every rendered manifest, hooks included, by group, kind, namespace (empty when the kind
    # is cluster-scoped, the destination namespace when omitted, docs/argocd.md#tasks) and name, before it splits
    # off the hooks; a generateName object gets a key of its own per manifest, so it never collides, while
    # hooks with neither name nor generateName share the empty name
    # (controller/state.go DeduplicateTargetObjects, NormalizeTargetObjects from v3.5; docs/argocd.md#duplicate-manifests). One manifest is one object however
    # many phases it runs in: count resources, never plan tasks.
    copies: dict[ResourceKey, list[Resource]] = {}
    key_of = ctx.graph.key
    for resource in ctx.resources:
        if not (resource.generate_name and resource.name):
            copies.setdefault(key_of(resource), []).append(resource)
    for key, found in copies.items():
        if len(found) < 2:
            continue
        first, last = found[0], found[-1]
        first_span, last_span = _name_span(first), _name_span(last)
        scope = f"in namespace {key.namespace}" if key.namespace else "(cluster-scoped)"
        for copy in found[1:]:
            span = _name_span(copy)
            same = "identical to the first" if copy.body == first.body else "different from the first"
            # Argo CD raises a RepeatedResourceWarning condition and keeps only the last manifest of the key.
            kept = "this one" if copy is last else _at(last_span)
            yield ctx.finding(
                span,
                f"{first.ident} {scope} is defined {len(found)} times in this application: "
                f"again at {_at(span)} ({same}), first at {_at(first_span)}; Argo CD reports "
                f"RepeatedResourceWarning and applies only the last copy ({kept})",
                resource=copy,
                related=[Related(first_span, f"first definition of {first.ident}")],
            )


DUPLICATE_RESOURCE = Rule(
    id="HL004",
    name="duplicate-resource",
    summary="The same group/kind/namespace/name defined twice in one application: Argo CD keeps only one copy.",
    severity=Severity.ERROR,
    check=_duplicate_resource,
    fix=FixAvailability.NONE,
)

RULES: tuple[Rule, ...] = (DUPLICATE_RESOURCE,)
