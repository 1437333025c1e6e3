"""HL010-HL013: annotation values Argo CD or Kubernetes read differently from what was written (docs/argocd.md#annotations)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import yaml

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.annotations import Annotation
from hooklint.argocd.kinds import pod_spec_path
from hooklint.model import Finding, Fix, FixAvailability, Path, Rule, Severity, Span, iter_mapping
from hooklint.rules.annotations.places import places
from hooklint.rules.annotations.value_fixes import correction, quote_value, replace_item
from hooklint.rules.annotations.value_fixes import squash as _squash
from hooklint.rules.context import Context
from hooklint.util.spelling import close_matches

# Values people write for a known one, mapped to the spelling Argo CD wants there.
# docs/argocd.md#version-table: the first delete policies were named OnSuccess and OnFailure.
_OLD_POLICIES = {"OnSuccess": argo.HOOK_SUCCEEDED, "OnFailure": argo.HOOK_FAILED}
_ARGO_TO_HELM_POLICY = {argo_name: helm for helm, argo_name in argo.HELM_POLICY_MAP.items()}


def _did_you_mean(value: str, known: Iterable[str], aliases: Mapping[str, str]) -> str:
    """A "did you mean" suffix naming the known value meant by a wrong case, a Helm or old name, or a close
    spelling; "" when nothing is close."""
    known = tuple(known)
    guess = aliases.get(value)
    if guess is None:
        squashed = {_squash(k): k for k in known}
        guess = squashed.get(_squash(value))
    if guess is None:
        lowered = {k.lower(): k for k in known}
        close = close_matches(value.lower(), lowered, n=1, cutoff=0.7)
        guess = lowered[close[0]] if close else None
    return f" (did you mean {guess!r}?)" if guess else ""


def _runs(ctx: Context, item: Annotated) -> str:
    """Where the object stands in the plan, as messages say it."""
    found = places(ctx, item)
    if found:
        return f"runs in {found}"
    if item.skip:
        return "is skipped: Argo CD never applies it"
    return "is never applied"


def _unknown_hook_type(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        annotation = item.argo_hook
        # A non-string value is HL013's: Kubernetes rejects the object before any type matters.
        if annotation is None or not annotation.is_string:
            continue
        resource = item.resource
        unknown = [d for d in item.dropped_types if d.reason == argo.UNKNOWN]
        if item.typeless:
            # docs/argocd.md#hook-types: the key makes it a hook, no valid type (and no valid Helm type) leaves it typeless, and
            # Reconcile drops it silently: never applied, never compared (docs/argocd.md#docs-versus-code, item 9).
            dropped = (
                f"{resource.ident} is a hook with no valid type, so Argo CD silently drops it: never applied"
            )
            if not unknown:
                yield ctx.finding(annotation.span, f"empty hook type: {dropped}", resource=resource)
            for value in unknown:
                hint = _did_you_mean(value.value, argo.HOOK_TYPES, argo.HELM_TYPE_MAP)
                yield ctx.finding(
                    value.span,
                    f"{value.value!r} is not an Argo CD hook type{hint}: {dropped}",
                    resource=resource,
                    fix=_corrected(ctx, item, annotation, value.value, argo.HOOK_TYPES),
                )
            continue
        # docs/argocd.md#hook-types: unknown items next to a valid type (or a valid Helm type) are dropped; the object still runs.
        source = " (from helm.sh/hook)" if item.types_from_helm else ""
        for value in unknown:
            hint = _did_you_mean(value.value, argo.HOOK_TYPES, argo.HELM_TYPE_MAP)
            yield ctx.finding(
                value.span,
                f"{value.value!r} is not an Argo CD hook type{hint}: Argo CD drops this item; {resource.ident} "
                f"{_runs(ctx, item)}{source}",
                resource=resource,
                severity=Severity.WARNING,
                fix=_corrected(ctx, item, annotation, value.value, argo.HOOK_TYPES),
            )


def _corrected(
    ctx: Context, item: Annotated, annotation: Annotation, value: str, known: Iterable[str]
) -> Fix | None:
    """The fix of an unknown item that is a plain slip of one known value (docs/argocd.md#csv-values: matching is exact)."""
    meant = correction(value, tuple(known))
    return replace_item(ctx, item.resource, annotation, value, meant) if meant else None


def _policy_hint(key: str, value: str) -> str:
    if key == argo.HELM_HOOK_DELETE_POLICY:
        return _did_you_mean(value, argo.HELM_POLICY_MAP, _ARGO_TO_HELM_POLICY)
    return _did_you_mean(value, argo.DELETE_POLICIES, {**argo.HELM_POLICY_MAP, **_OLD_POLICIES})


def _within(inner: Span, outer: Span) -> bool:
    start, end = (inner.line, inner.column), (inner.end_line, inner.end_column)
    return (outer.line, outer.column) <= start and end <= (outer.end_line, outer.end_column)


def _owner(annotations: Iterable[Annotation | None], span: Span) -> Annotation | None:
    """The annotation whose value holds `span` (an item of its CSV list)."""
    return next((a for a in annotations if a is not None and _within(span, a.span)), None)


def _unknown_delete_policy(ctx: Context) -> Iterator[Finding]:
    for item in ctx.hook_annotated():
        # docs/argocd.md#delete-policies: delete policies mean something only on hooks; a stray one on a plain resource is another matter.
        if not item.is_hook or not item.dropped_policies:
            continue
        resource = item.resource
        if item.explicit_policies:
            effective = f"{resource.ident}'s delete policy is {','.join(item.explicit_policies)}"
        else:
            # docs/argocd.md#delete-policies: nothing valid left means the default, BeforeHookCreation.
            effective = f"{resource.ident} has no valid policy left and gets the default BeforeHookCreation"
        keys = (
            item.annotations.get(argo.HOOK_DELETE_POLICY),
            item.annotations.get(argo.HELM_HOOK_DELETE_POLICY),
        )
        for value in item.dropped_policies:
            annotation = _owner(keys, value.span)
            # A non-string value is HL013's: Kubernetes rejects the object before any policy matters.
            if annotation is None or not annotation.is_string:
                continue
            hint = _policy_hint(annotation.key, value.value)
            helm = annotation.key == argo.HELM_HOOK_DELETE_POLICY
            known = tuple(argo.HELM_POLICY_MAP) if helm else argo.DELETE_POLICIES
            yield ctx.finding(
                value.span,
                f"{value.value!r} is not a delete policy Argo CD knows in {annotation.key}{hint}: dropped, so "
                f"{effective}",
                resource=resource,
                fix=_corrected(ctx, item, annotation, value.value, known),
            )


def _invalid_sync_wave(ctx: Context) -> Iterator[Finding]:
    for item in ctx.annotated():
        resource = item.resource
        # A wave orders sync tasks only: skipped, dropped and delete-only objects have none (docs/argocd.md#sync-waves, docs/argocd.md#delete-hooks).
        if not item.rejected_waves or not ctx.plan.tasks_of(resource):
            continue
        got = f"wave {item.wave} from {item.wave_source}" if item.wave_source else "the default wave 0"
        for annotation in item.rejected_waves:
            # Non-strings are HL013's; a blank value reads as no wave at all, which is what it says.
            if not annotation.is_string or not annotation.text.strip():
                continue
            # docs/argocd.md#sync-waves: Go's strconv.Atoi rejects it and Argo CD silently falls back to the Helm weight, else 0.
            yield ctx.finding(
                annotation.span,
                f"{annotation.key} {annotation.text!r} is not an integer to Argo CD (Go strconv.Atoi): ignored, "
                f"so {resource.ident} gets {got} and {_runs(ctx, item)}",
                resource=resource,
            )


_MERGE_KEY = "<<"
_TAG_NAMES = {
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a floating-point number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:null": "null",
}


def _yaml_type(node: yaml.Node) -> str | None:
    """What YAML reads a non-string value as; None for strings. Timestamps stay unflagged: Kubernetes' YAML to
    JSON conversion turns them into strings."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return _TAG_NAMES.get(node.tag)


def _template_annotations(item: Annotated) -> tuple[Path, list[tuple[yaml.ScalarNode, yaml.Node]]]:
    """The pod template's annotations (the last of a repeated key wins, as when decoding)."""
    spec = pod_spec_path(item.resource)
    if spec is None or len(spec) < 2:  # a bare Pod's metadata is the object's own
        return (), []
    path = (*spec[:-1], "metadata", "annotations")
    # Most templates carry no annotations: the data says so without a look for the node. (Empty data leaves
    # at most merge keys, which are no annotation.)
    if not item.resource.get(path):
        return path, []
    node = item.resource.node_at(path)
    last = {key.value: (key, value) for key, value in iter_mapping(node)} if node is not None else {}
    return path, list(last.values())


def _non_string_annotation(ctx: Context) -> Iterator[Finding]:
    for item in ctx.annotated():
        resource = item.resource
        # (where, key, value node, key node); spans are worked out only for the few values that are no string.
        # A value read as a string (most) is passed over without a look at its node.
        found: list[tuple[str, str, yaml.Node, yaml.Node]] = [
            ("metadata.annotations", key, a.node, a.key_node)
            for key, a in item.annotations.items()
            if not a.is_string
        ]
        path, template = _template_annotations(item)
        if template:
            place = ".".join(str(part) for part in path)
            found += [(place, key.value, node, key) for key, node in template]
        for where, key, node, key_node in found:
            read_as = _yaml_type(node)
            # `<<: *common` merges a mapping of annotations in (the merged values count, not the mapping).
            if read_as is None or key == _MERGE_KEY:
                continue
            key_span = Span.of_node(resource.path, key_node)
            if isinstance(node, yaml.ScalarNode) and not node.value:
                # `key:` with nothing after it: the empty value has no columns, so point at its key.
                span, what = key_span, f"{where} {key} has no value, which YAML reads as null, not a string"
            else:
                shown = f": {node.value}" if isinstance(node, yaml.ScalarNode) else ""
                span = Span.of_node(resource.path, node)
                what = f"{where} {key}{shown} is read as {read_as}, not a string"
            yield ctx.finding(
                span,
                f"{what}: annotation values must be strings, so Kubernetes rejects {resource.ident} and the sync "
                "fails",
                resource=resource,
                fix=quote_value(resource, node, key_span),
            )


UNKNOWN_HOOK_TYPE = Rule(
    id="HL010",
    name="unknown-hook-type",
    summary="An argocd.argoproj.io/hook value Argo CD does not know: with no valid type the object is never applied.",
    severity=Severity.ERROR,
    check=_unknown_hook_type,
    fix=FixAvailability.SOMETIMES,
    fix_reveals=True,
)
UNKNOWN_DELETE_POLICY = Rule(
    id="HL011",
    name="unknown-delete-policy",
    summary="A hook delete policy value Argo CD does not know: it is dropped silently.",
    severity=Severity.WARNING,
    check=_unknown_delete_policy,
    fix=FixAvailability.SOMETIMES,
    fix_reveals=True,
)
INVALID_SYNC_WAVE = Rule(
    id="HL012",
    name="invalid-sync-wave",
    summary="A sync-wave or hook-weight that is not a plain integer: Argo CD silently uses another wave.",
    severity=Severity.ERROR,
    check=_invalid_sync_wave,
    fix=FixAvailability.NONE,
)
NON_STRING_ANNOTATION = Rule(
    id="HL013",
    name="non-string-annotation",
    summary="An annotation value YAML reads as a number, boolean, null or structure: Kubernetes rejects the object.",
    severity=Severity.ERROR,
    check=_non_string_annotation,
    fix=FixAvailability.SOMETIMES,
)


RULES: tuple[Rule, ...] = (
    UNKNOWN_HOOK_TYPE,
    UNKNOWN_DELETE_POLICY,
    INVALID_SYNC_WAVE,
    NON_STRING_ANNOTATION,
)
