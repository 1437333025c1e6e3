"""Renders the sync plan's diff (`explain --base`): text, compact markdown for a pull-request comment, and
JSON (docs/design-notes.md#explain---base---format-json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hooklint.explain.plan import resource_json
from hooklint.model import Finding
from hooklint.sync.plan import NotApplied, Task
from hooklint.sync.plandiff import HookChange, PlanDiff, StepName, TaskChange
from hooklint.util import jsontext
from hooklint.util.escape import code_span, joined, markdown

ARROW = "→"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary(diff: PlanDiff) -> str:
    """One line: what the change does to the sync, the kinds it does not change left out."""
    parts = [
        _count(len(items), one, many) + suffix
        for items, one, many, suffix in (
            (diff.added, "task", "tasks", " added"),
            (diff.removed, "task", "tasks", " removed"),
            (diff.moved, "task", "tasks", " moved"),
            (diff.hooks, "hook", "hooks", " changed"),
            (diff.prunes, "prune", "prunes", ""),
            (diff.not_pruned, "object", "objects", " left unpruned"),
            (diff.steps_added, "step", "steps", " added"),
            (diff.steps_removed, "step", "steps", " removed"),
            (diff.introduced, "finding", "findings", " introduced"),
            (diff.resolved, "finding", "findings", " resolved"),
        )
        if items
    ]
    if not parts:
        return f"No change to the sync plan since {diff.base}"
    return f"Sync plan changes since {diff.base}: " + ", ".join(parts)


def _places(places: tuple[str, ...]) -> str:
    return ", ".join(places) or "not applied"


def _file(resource: Any) -> str:
    return f"{resource.path}:{resource.span.line}"


def _hook_parts(change: HookChange) -> list[tuple[str, str, str]]:
    """(what, before, after) for the hook types and the delete policies that changed."""
    parts = []
    if change.types_before != change.types_after:
        parts.append(
            ("hook", ",".join(change.types_before) or "none", ",".join(change.types_after) or "none")
        )
    if change.policies_before != change.policies_after:
        parts.append(
            (
                "delete policy",
                ",".join(change.policies_before) or "none",
                ",".join(change.policies_after) or "none",
            )
        )
    return parts


def _finding_line(finding: Finding) -> str:
    span = finding.span
    return (
        f"{span.path}:{span.line}:{span.column}: {finding.rule} {finding.severity.value}: {finding.message}"
    )


def to_text(diff: PlanDiff) -> str:
    lines = [summary(diff)]

    def section(title: str, rows: list[str]) -> None:
        if rows:
            lines.extend(["", title, *(f"    {row}" for row in rows)])

    section(
        "Tasks added",
        [
            f"{c.resource.label}: {_places(c.after)}  {_file(c.resource)}"
            + (f"  (was {c.reason})" if c.reason else "")
            for c in diff.added
        ],
    )
    section(
        "Tasks removed",
        [f"{c.resource.label}: {_places(c.before)}  {_file(c.resource)}  ({c.reason})" for c in diff.removed],
    )
    section(
        "Tasks moved",
        [f"{c.resource.label}: {_places(c.before)} {ARROW} {_places(c.after)}" for c in diff.moved],
    )
    section(
        "Hooks changed",
        [
            f"{c.resource.label}: "
            + "; ".join(f"{what} {was} {ARROW} {now}" for what, was, now in _hook_parts(c))
            for c in diff.hooks
        ],
    )
    section(
        "Prunes (gone from Git)",
        [f"{t.label}: {t.where}  {_file(t.resource)}" for t in diff.prunes]
        + [f"{e.resource.label}: not pruned ({e.detail})  {_file(e.resource)}" for e in diff.not_pruned],
    )
    section("Steps added", [step.where for step in diff.steps_added])
    section("Steps removed", [step.where for step in diff.steps_removed])
    section("Findings introduced", [_finding_line(f) for f in diff.introduced])
    section("Findings resolved", [_finding_line(f) for f in diff.resolved])
    return joined(lines) + "\n"


def to_markdown(diff: PlanDiff) -> str:
    """A summary line and at most two tables, the plan's changes and the findings', short enough for a
    pull-request comment."""
    out = [f"**{markdown(summary(diff))}**\n"]
    rows: list[tuple[str, str, str, str]] = []
    for c in diff.added:
        rows.append(
            ("task added", code_span(c.resource.label), markdown(c.reason or ""), markdown(_places(c.after)))
        )
    for c in diff.removed:
        rows.append(
            (
                "task removed",
                code_span(c.resource.label),
                markdown(_places(c.before)),
                markdown(c.reason or ""),
            )
        )
    for c in diff.moved:
        rows.append(
            (
                "task moved",
                code_span(c.resource.label),
                markdown(_places(c.before)),
                markdown(_places(c.after)),
            )
        )
    for h in diff.hooks:
        for what, was, now in _hook_parts(h):
            rows.append((f"{what} changed", code_span(h.resource.label), markdown(was), markdown(now)))
    for t in diff.prunes:
        rows.append(("pruned", code_span(t.label), "", markdown(t.where)))
    for e in diff.not_pruned:
        rows.append(("not pruned", code_span(e.resource.label), "", markdown(e.detail)))
    for step in diff.steps_added:
        rows.append(("step added", "", "", markdown(step.where)))
    for step in diff.steps_removed:
        rows.append(("step removed", "", markdown(step.where), ""))
    if rows:
        out.append("\n| Change | Object | Before | After |\n|---|---|---|---|\n")
        out.extend(f"| {' | '.join(row)} |\n" for row in rows)
    findings = [("introduced", f) for f in diff.introduced] + [("resolved", f) for f in diff.resolved]
    if findings:
        out.append("\n| Finding | Rule | Where | Message |\n|---|---|---|---|\n")
        out.extend(
            f"| {change} | {finding.rule} {finding.severity.value} | "
            f"{code_span(f'{finding.span.path}:{finding.span.line}')} | {markdown(finding.message)} |\n"
            for change, finding in findings
        )
    return "".join(out)


def _change_json(change: TaskChange) -> dict[str, Any]:
    return {
        **resource_json(change.resource, change.namespace, change.hook),
        "before": list(change.before),
        "after": list(change.after),
        "reason": change.reason,
    }


def _hook_json(change: HookChange) -> dict[str, Any]:
    return {
        **resource_json(change.resource, change.namespace, True),
        "hook_types": {"before": list(change.types_before), "after": list(change.types_after)},
        "delete_policies": {"before": list(change.policies_before), "after": list(change.policies_after)},
    }


def _prune_json(task: Task) -> dict[str, Any]:
    return {
        **resource_json(task.resource, task.display_namespace, False),
        "phase": task.phase,
        "wave": task.wave,
    }


def _unpruned_json(entry: NotApplied) -> dict[str, Any]:
    return {**resource_json(entry.resource, entry.namespace, False), "detail": entry.detail}


def _step_json(step: StepName) -> dict[str, Any]:
    return {"phase": step.phase, "wave": step.wave}


def _finding_json(finding: Finding) -> dict[str, Any]:
    span, ref = finding.span, finding.resource
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": span.path,
        "line": span.line,
        "column": span.column,
        "resource": None
        if ref is None
        else {"kind": ref.kind, "name": ref.name, "namespace": ref.namespace, "group": ref.group},
    }


def to_json(diff: PlanDiff) -> str:
    document = {
        "version": 1,
        "base": diff.base,
        "namespace": diff.namespace,
        "summary": summary(diff),
        "tasks_added": [_change_json(c) for c in diff.added],
        "tasks_removed": [_change_json(c) for c in diff.removed],
        "tasks_moved": [_change_json(c) for c in diff.moved],
        "hooks_changed": [_hook_json(c) for c in diff.hooks],
        "prunes": [_prune_json(t) for t in diff.prunes],
        "not_pruned": [_unpruned_json(e) for e in diff.not_pruned],
        "steps_added": [_step_json(s) for s in diff.steps_added],
        "steps_removed": [_step_json(s) for s in diff.steps_removed],
        "findings_introduced": [_finding_json(f) for f in diff.introduced],
        "findings_resolved": [_finding_json(f) for f in diff.resolved],
    }
    return jsontext.dumps(document)


RENDERERS: dict[str, Callable[[PlanDiff], str]] = {"text": to_text, "markdown": to_markdown, "json": to_json}
