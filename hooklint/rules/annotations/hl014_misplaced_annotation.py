"""HL014: Argo CD and Helm hook keys where Argo CD never reads them: labels, pod templates, misspellings (docs/argocd.md#annotations)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import yaml

from hooklint.argocd import annotations as argo
from hooklint.argocd import kinds
from hooklint.model import (
    Finding,
    Fix,
    FixAvailability,
    Path,
    Resource,
    Rule,
    Severity,
    Span,
    iter_mapping,
    node_at,
)
from hooklint.rules import blocks, edits
from hooklint.rules.annotations.near_misses import near_miss
from hooklint.rules.context import Context

# The tracking id is Argo CD's own bookkeeping, which it also reads from live objects, not an instruction an
# author places; everything else in KNOWN_KEYS is read only from the object's own annotations (docs/argocd.md#annotations).
_TRACKING_ID = "argocd.argoproj.io/tracking-id"
_LABEL_KEYS = frozenset(key for key in argo.KNOWN_KEYS if key != _TRACKING_ID)
_TEMPLATE_KEYS = frozenset(key for key in _LABEL_KEYS if key not in argo.POD_LEVEL_KEYS)
# Argo CD's own key for what a cross-family slip names in Helm's words (docs/argocd.md#sync-waves).
_ALSO = {argo.HELM_HOOK_WEIGHT: argo.SYNC_WAVE}


def _move(ctx: Context, resource: Resource, where: Path, key: str, claimed: set[str]) -> Fix | None:
    """Move `key` from the mapping at `where` to the object's metadata.annotations; a mapping left empty goes
    with it. None when the key was claimed by an earlier fix of this object, or its value is no scalar."""
    full = (*where, key)
    value = resource.node_at(full)
    key_node = resource.node_at(full, key=True)
    if key in claimed or not isinstance(value, yaml.ScalarNode) or key_node is None:
        return None
    # A template label the selector matches on must stay, or the workload no longer selects its own pods.
    selected = [resource.get(("spec", "selector")), resource.get(("spec", "selector", "matchLabels"))]
    if where[-1] == "labels" and any(isinstance(keys, Mapping) and key in keys for keys in selected):
        return None
    if edits.is_alias(Span.of_node(resource.path, key_node), value):
        return None
    claimed.add(key)
    text = edits.source(ctx, resource.path)
    chain = []
    for depth in range(1, len(full) + 1):
        mapping = node_at(resource.node, full[: depth - 1])
        found = node_at(resource.node, full[:depth], key=True)
        if not isinstance(mapping, yaml.MappingNode) or found is None:
            return None
        chain.append((mapping, found))
    removed = blocks.remove_entry(resource.path, text, chain)
    added = blocks.add_annotation(resource.path, text, resource.node, key, value)
    if removed is None or added is None:
        return None
    place = ".".join(str(part) for part in where)
    return Fix(f"Move {key} from {place} to metadata.annotations", True, (*removed, added))


def _rename(ctx: Context, resource: Resource, key: str, intended: str, claimed: set[str]) -> Fix | None:
    """Rename a misspelled annotation key to the one it means (docs/argocd.md#csv-values: keys match exactly)."""
    key_node = resource.node_at(("metadata", "annotations", key), key=True)
    if intended in claimed or near_miss(key, unambiguous=True) != intended or key_node is None:
        return None
    claimed.add(intended)
    flow = edits.is_flow(resource.node_at(("metadata", "annotations")))
    edit = edits.scalar(resource.path, key_node, intended, flow=flow)
    return Fix(f"Rename the key to {intended}", True, (edit,)) if edit else None


def _template_metadata(spec: Path) -> tuple[Path, ...]:
    """The metadata of every template between an object and its pods, given their pod spec's path (a CronJob
    has two: the Job's and the Pod's); what is written there lands on objects Argo CD does not manage."""
    return tuple(
        (*spec[: depth + 1], "metadata")
        for depth, part in enumerate(spec[:-1])
        if part in ("template", "jobTemplate")
    )


# Worked out once per kind with a pod spec, at import (a handful of kinds).
_TEMPLATE_METADATA = {kind: _template_metadata(spec) for kind, spec in kinds.POD_SPEC_PATHS.items()}


def _misplaced(ctx: Context) -> Iterator[Finding]:
    for item in ctx.annotated():
        resource = item.resource
        own = item.annotations
        claimed: set[str] = set()  # keys a fix of this object adds to its annotations: each one only once
        # A key also on the object's own annotations is a harmless copy: nothing is lost.
        # The data's keys are the nodes' (these keys never read as anything but strings): the nodes are looked
        # at only where an Argo CD key stands in the wrong place.
        labels = (
            resource.node_at(("metadata", "labels")) if not _LABEL_KEYS.isdisjoint(resource.labels) else None
        )
        for key_node, _ in iter_mapping(labels) if labels is not None else ():
            key = key_node.value
            if key in _LABEL_KEYS and key not in own:
                yield ctx.finding(
                    resource.span_at(("metadata", "labels", key), key=True),
                    f"{key} is a label of {resource.ident}; Argo CD reads it only from metadata.annotations, "
                    f"so it has no effect: {ctx.plan.standing(resource)}",
                    resource=resource,
                    fix=_move(ctx, resource, ("metadata", "labels"), key, claimed),
                )
        for metadata in _TEMPLATE_METADATA.get((resource.group, resource.kind), ()):
            fields = resource.get(metadata)
            if type(fields) is not dict:
                continue
            for field in ("annotations", "labels"):
                written = fields.get(field)
                if type(written) is not dict or _TEMPLATE_KEYS.isdisjoint(written):
                    continue
                path = (*metadata, field)
                node = resource.node_at(path)
                for key_node, _ in iter_mapping(node) if node is not None else ():
                    key = key_node.value
                    if key not in _TEMPLATE_KEYS or key in own:
                        continue
                    where = ".".join(str(part) for part in path)
                    yield ctx.finding(
                        resource.span_at((*path, key), key=True),
                        f"{key} is in {resource.ident}'s template metadata ({where}); Argo CD reads it only "
                        f"from the object's own metadata.annotations, so it has no effect: "
                        f"{ctx.plan.standing(resource)}",
                        resource=resource,
                        fix=_move(ctx, resource, path, key, claimed),
                    )
        for annotation in item.iter_annotations():
            intended = near_miss(annotation.key)
            if intended is None or intended in own:
                continue
            also = f" (or {_ALSO[intended]})" if intended in _ALSO else ""
            yield ctx.finding(
                annotation.key_span,
                f"{annotation.key} is not an annotation Argo CD reads; did you mean {intended}{also}? "
                f"It has no effect: {ctx.plan.standing(resource)}",
                resource=resource,
                fix=None if also else _rename(ctx, resource, annotation.key, intended, claimed),
            )


MISPLACED_ARGOCD_ANNOTATION = Rule(
    id="HL014",
    name="misplaced-argocd-annotation",
    summary="An Argo CD or Helm hook key as a label, on a pod template or misspelled: Argo CD never reads it.",
    severity=Severity.ERROR,
    check=_misplaced,
    fix=FixAvailability.SOMETIMES,
    fix_reveals=True,
)

RULES: tuple[Rule, ...] = (MISPLACED_ARGOCD_ANNOTATION,)
