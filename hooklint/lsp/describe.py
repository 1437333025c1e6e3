"""What the editor shows about a place in a manifest, in words: the resource's place in the plan, what Argo CD
reads from a hook annotation, the object a reference names. Everything is asked of the plan, the annotated
resource and the graph (hooklint.sync, hooklint.argocd, hooklint.graph); nothing here re-derives Argo CD."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.graph import Reference
from hooklint.lsp.analysis import Analysis
from hooklint.model import Path, Resource
from hooklint.sync.plan import SKIP, Task
from hooklint.util.frozen import frozen

# How many objects a hover names in one list before it says how many more there are.
LISTED = 8

HOOK_KEYS = (
    argo.HOOK,
    argo.HOOK_DELETE_POLICY,
    argo.SYNC_WAVE,
    argo.HELM_HOOK,
    argo.HELM_HOOK_WEIGHT,
    argo.HELM_HOOK_DELETE_POLICY,
)

# What Argo CD makes of Helm's values (docs/argocd.md#helm-hooks, docs/argocd.md#delete-policies).
_HELM_MAPS = {argo.HELM_HOOK: argo.HELM_TYPE_MAP, argo.HELM_HOOK_DELETE_POLICY: argo.HELM_POLICY_MAP}

_DROPPED = {
    argo.UNKNOWN: "not a value Argo CD knows: ignored",
    argo.HELM_UNMAPPED: "a Helm hook Argo CD does not map: ignored",
    argo.HELM_OVERRIDDEN: "ignored: the Argo CD hook annotation names a type, and it wins",
    argo.SKIP_IGNORED: "Skip beside other types does not skip: ignored",
}


@frozen(eq=False)
class Place:
    """What lies at a position: the resource, and the path of the key or value there (the key's path is its
    value's)."""

    resource: Resource
    path: Path


def resource_at(resources: Sequence[Resource], line: int, column: int) -> Resource | None:
    """The resource whose mapping holds the 0-based `line` and character `column`."""
    return next((r for r in resources if _within(r.node, (line, column))), None)


def place_at(resources: Sequence[Resource], line: int, column: int) -> Place | None:
    """The resource at a position and the path of the deepest key or value there."""
    resource = resource_at(resources, line, column)
    if resource is None:
        return None
    return Place(resource, _path_in(resource.node, (line, column), ()))


def _within(node: yaml.Node, at: tuple[int, int]) -> bool:
    start, end = node.start_mark, node.end_mark
    return (start.line, start.column) <= at <= (end.line, end.column)


def _path_in(node: yaml.Node, at: tuple[int, int], path: Path) -> Path:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            if _within(key, at):
                return (*path, key.value)
            if _within(value, at):
                return _path_in(value, at, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if _within(item, at):
                return _path_in(item, at, (*path, index))
    return path


def reference_at(analysis: Analysis, place: Place) -> Reference | None:
    """The reference whose naming field is at `place` (its key or its value)."""
    for reference in analysis.graph.references(place.resource):
        if reference.path == place.path:
            return reference
    return None


def _names(tasks: Sequence[Task]) -> str:
    names = [task.label for task in tasks[:LISTED]]
    more = len(tasks) - LISTED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def lens(analysis: Analysis, resource: Resource) -> str:
    """The one line at the top of a document: "PreSync · wave -2 · step 1 of 6", or "not applied: Skip"."""
    plan = analysis.plan
    total = len(plan.steps)
    places = []
    for task in plan.tasks_of(resource):
        step = plan.step_index(task)
        if step is None:
            places.append(f"{task.phase} · when a step fails (waves ignored)")
        else:
            places.append(f"{task.phase} · wave {task.wave} · step {step + 1} of {total}")
    for task in (*plan.pre_delete, *plan.post_delete):
        if task.resource is resource:
            places.append(f"{task.phase} · when the Application is deleted")
    if plan.is_precreated(resource):
        places.insert(0, "before the dry run (the destination namespace)")
    if places:
        return " | ".join(places)
    skipped = plan.not_applied_of(resource)
    if skipped is None:
        return "not applied"
    return "not applied: " + ("Skip" if skipped.reason == SKIP else skipped.reason)


def resource_hover(analysis: Analysis, resource: Resource) -> str:
    """The resource's place in the plan: its step, what is applied before it, what the next step waits for,
    and the objects it needs."""
    plan = analysis.plan
    lines = [f"**{resource.label}** · {lens(analysis, resource)}"]
    for task in plan.tasks_of(resource):
        number = plan.step_index(task)
        if number is None:
            lines.append("SyncFail: started with every other SyncFail hook when any step fails.")
            continue
        step = plan.steps[number]
        before_in_step = list(step.entries[: step.entries.index(task)])
        if number > 0:
            previous = plan.steps[number - 1]
            lines.append(
                f"Applied after step {number} ({previous.where}): {_names(previous.entries)}"
                + (f"; in its step after {_names(before_in_step)}" if before_in_step else "")
            )
        elif before_in_step:
            lines.append(f"Applied after {_names(before_in_step)}, in the same step")
        else:
            lines.append("Applied first.")
        lines.append(f"Then: {step.gate}")
        if task.moved_by and task.pulled_for is not None:
            lines.append(f"Pulled forward by {task.pulled_for.ident} ({task.moved_by}).")
    skipped = plan.not_applied_of(resource)
    if skipped is not None:
        lines.append(f"Not applied by a sync ({skipped.reason}): {skipped.detail}")
    needs = [reference_target(analysis, ref) for ref in analysis.graph.references(resource)]
    if needs:
        lines.append("Needs: " + "; ".join(dict.fromkeys(needs)))
    return "\n\n".join(lines)


def reference_target(analysis: Analysis, reference: Reference) -> str:
    """The object a reference names and where the plan applies it."""
    targets = analysis.graph.resources(reference.target)
    name = f"{reference.target.kind}/{reference.target.name}"
    if not targets:
        return f"{name} (not in this application)"
    plan = analysis.plan
    target = targets[0]
    step = plan.first_step(target)
    where = plan.places(target) or lens(analysis, target)
    at = f"{target.path}:{target.span.line}"
    return (
        f"{name} ({where}"
        + (f", step {step + 1} of {len(plan.steps)}" if step is not None else "")
        + f"; {at})"
    )


def reference_hover(analysis: Analysis, reference: Reference) -> str:
    kind = "optional reference" if reference.optional else "reference"
    lines = [f"**{reference.field}**: {kind} to {reference_target(analysis, reference)}"]
    mine = analysis.plan.tasks_of(reference.source)
    if mine:
        lines.append(f"{reference.source.ident}: {lens(analysis, reference.source)}")
    return "\n\n".join(lines)


def annotation_hover(analysis: Analysis, resource: Resource, key: str) -> str | None:
    """What Argo CD reads from a hook, wave or delete-policy annotation; None for another key."""
    if key not in HOOK_KEYS:
        return None
    annotated = analysis.plan.annotated_of(resource)
    annotation = annotated.annotations.get(key)
    if annotation is None:
        return None
    lines = [f"**{key}**: `{annotation.text}`"]
    mapping = _HELM_MAPS.get(key, {})
    mapped = [f"{item.value} → {mapping[item.value]}" for item in annotation.items() if item.value in mapping]
    if mapped:
        lines.append("Argo CD maps " + ", ".join(mapped))
    if key in (argo.HOOK, argo.HELM_HOOK):
        lines += _hook_types(annotated, key)
    elif key in (argo.HOOK_DELETE_POLICY, argo.HELM_HOOK_DELETE_POLICY):
        lines += _policies(annotated, key)
    else:
        lines += _wave(annotated, key)
    return "\n\n".join(lines)


def _dropped(annotated: Annotated, key: str, dropped: Sequence[argo.Dropped]) -> list[str]:
    span = annotated.annotations[key].span
    own = [d for d in dropped if d.span.line >= span.line and d.span.end_line <= span.end_line]
    return [f"`{d.value}`: {_DROPPED.get(d.reason, d.reason)}" for d in own]


def _hook_types(annotated: Annotated, key: str) -> list[str]:
    lines = []
    types = [*annotated.types, *annotated.delete_types]
    if annotated.skip:
        lines.append("Argo CD reads: Skip: the object is never applied by a sync.")
    elif annotated.typeless:
        lines.append("Argo CD reads no hook type it knows: the hook is dropped and never runs.")
    elif types:
        source = "helm.sh/hook" if annotated.types_from_helm else "argocd.argoproj.io/hook"
        used = "" if key == source or not annotated.types else f" (from {source})"
        lines.append(f"Argo CD reads hook types: {', '.join(types)}{used}")
    elif not annotated.is_hook:
        lines.append("Argo CD reads no hook from it: the object is an ordinary resource.")
    lines += _dropped(annotated, key, annotated.dropped_types)
    if annotated.is_hook:
        lines.append(f"Delete policies in force: {_policy_words(annotated)}")
    return lines


def _policy_words(annotated: Annotated) -> str:
    policies = ", ".join(annotated.policies)
    return policies if annotated.explicit_policies else f"{policies} (the default: no valid policy is given)"


def _policies(annotated: Annotated, key: str) -> list[str]:
    lines = [f"Delete policies in force: {_policy_words(annotated)}"]
    if not annotated.is_hook:
        lines.append("The object is no hook: Argo CD reads no delete policy from it.")
    return lines + _dropped(annotated, key, annotated.dropped_policies)


def _wave(annotated: Annotated, key: str) -> list[str]:
    source = annotated.wave_source or "the default"
    lines = [f"Wave used: {annotated.wave} (from {source})"]
    if any(annotation.key == key for annotation in annotated.rejected_waves):
        lines.append(
            f"`{annotated.annotations[key].text}` is not an integer as Argo CD reads one (Go's strconv.Atoi): "
            "ignored"
        )
    elif annotated.wave_source and annotated.wave_source != key:
        lines.append(f"Ignored: {annotated.wave_source} gives the wave.")
    return lines
