"""The fixes of HL010, HL011, HL013 and HL015: annotation values corrected, quoted or trimmed in place."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.annotations import Annotation
from hooklint.model import Fix, Resource, Span
from hooklint.rules import edits
from hooklint.rules.annotations.near_misses import osa_distance
from hooklint.rules.context import Context

# Values shorter than this tolerate one slip, longer ones two: `Sink` is as near to Skip as to Sync.
_SHORT = 6


def squash(value: str) -> str:
    return "".join(c for c in value.lower() if c not in "-_ ")


def correction(value: str, known: Sequence[str]) -> str | None:
    """The one known value `value` slips from: the same letters in another case or with separators
    (`presync`, `Pre-Sync`, `hook-succeeded` for HookSucceeded), else a single nearest spelling (`PostSynk`);
    None when no value, or more than one, is that near."""
    same = [k for k in known if squash(k) == squash(value)]
    if len(same) == 1:
        return same[0]
    limit = 1 if len(value) < _SHORT else 2
    ranked = sorted((osa_distance(value.lower(), k.lower(), limit), k) for k in known)
    if not ranked or ranked[0][0] > limit or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def _annotations_flow(resource: Resource) -> bool:
    return edits.is_flow(resource.node_at(("metadata", "annotations")))


def replace_item(ctx: Context, resource: Resource, annotation: Annotation, old: str, new: str) -> Fix | None:
    """HL010, HL011: `old` becomes `new` in the annotation's list, or goes when `new` is already there."""
    if edits.is_alias(annotation.key_span, annotation.node):
        return None
    text, flow = edits.source(ctx, resource.path), _annotations_flow(resource)
    if any(item.value == new for item in annotation.items()):
        edit = edits.csv_remove(resource.path, annotation.node, old, flow=flow, text=text)
        title = f"Remove {old!r}: {new} is already listed"
    else:
        edit = edits.csv_replace(resource.path, annotation.node, old, new, flow=flow, text=text)
        title = f"Replace {old!r} with {new!r}"
    return Fix(title, True, (edit,)) if edit else None


def quote_value(resource: Resource, node: yaml.Node, key_span: Span) -> Fix | None:
    """HL013: a number or boolean quoted as written (`5` becomes "5"), an empty value "". Null written as `~`
    or `null`, and lists and mappings, have no string they obviously mean."""
    if not isinstance(node, yaml.ScalarNode) or edits.is_alias(key_span, node):
        return None
    if node.tag.endswith(":null") and node.value:
        return None
    edit = edits.quote(resource.path, node)
    if edit is None:
        return None
    shown = '""' if not node.value else edits.quoted(node.value)
    return Fix(f"Quote the value: {shown}", True, (edit,))


def drop_skip(ctx: Context, item: Annotated) -> Fix | None:
    """HL015: Skip out of the list, which keeps what Argo CD does today (it runs as a hook of the others). Unsafe:
    whoever wrote Skip may have meant to switch the hook off instead."""
    annotation, resource = item.argo_hook, item.resource
    if annotation is None or edits.is_alias(annotation.key_span, annotation.node):
        return None
    text = edits.source(ctx, resource.path)
    edit = edits.csv_remove(
        resource.path, annotation.node, argo.SKIP, flow=_annotations_flow(resource), text=text
    )
    return Fix("Remove Skip, keeping the hook running as it does today", False, (edit,)) if edit else None
