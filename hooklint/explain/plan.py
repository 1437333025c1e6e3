"""Renders a Plan for people (text) and programs (json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hooklint.argocd.annotated import Annotated
from hooklint.model import GENERATED, Resource
from hooklint.sync.plan import NotApplied, Plan, Step, Task
from hooklint.util import jsontext
from hooklint.util.escape import joined

PHASE_NOTES = {
    "PreSync": "before any resource",
    "Sync": "",
    "PostSync": "after every Sync step is healthy",
}


def resource_json(resource: Resource, namespace: str, hook: bool) -> dict[str, Any]:
    """An object as every JSON output of explain names it."""
    return {
        "kind": resource.kind,
        "group": resource.group,
        "name": resource.name,
        "generate_name": resource.generate_name,
        "namespace": namespace,
        "hook": hook,
        "file": resource.path,
        "line": resource.span.line,
    }


def _object_json(annotated: Annotated, namespace: str, hook: bool, moved_by: str | None) -> dict[str, Any]:
    """The TASK of the explain contract (docs/design-notes.md#explain---format-json), keys in its order."""
    named = resource_json(annotated.resource, namespace, hook)
    return {
        **{key: named[key] for key in ("kind", "group", "name", "generate_name", "namespace", "hook")},
        "hook_types": list(annotated.types + annotated.delete_types) if hook else [],
        "delete_policies": list(annotated.policies) if hook else [],
        "moved_by": moved_by,
        "file": named["file"],
        "line": named["line"],
    }


def task_json(task: Task) -> dict[str, Any]:
    return _object_json(task.annotated, task.display_namespace, task.hook, task.moved_by)


def _not_applied_json(entry: NotApplied) -> dict[str, Any]:
    item = entry.annotated
    return {**_object_json(item, entry.namespace, item.is_hook, None), "reason": entry.reason}


def to_json(plan: Plan) -> str:
    document = {
        "version": 1,
        "namespace": plan.namespace,
        "precreated": [task_json(task) for task in plan.precreated],
        "steps": [
            {
                "phase": step.phase,
                "wave": step.wave,
                "gate": step.gate,
                "tasks": [task_json(t) for t in step.tasks],
                "prunes": [task_json(t) for t in step.prunes],
                "recreated": [task_json(t) for t in step.recreated],
            }
            for step in plan.steps
        ],
        "deleted_on_success": [task_json(task) for task in plan.deleted_on_success],
        "sync_fail": [task_json(task) for task in plan.sync_fail],
        "pre_delete": [task_json(task) for task in plan.pre_delete],
        "post_delete": [task_json(task) for task in plan.post_delete],
        "not_applied": [_not_applied_json(entry) for entry in plan.not_applied],
        "not_pruned": [_not_applied_json(entry) for entry in plan.unpruned],
    }
    return jsontext.dumps(document)


def _detail(task: Task) -> str:
    parts: list[str] = []
    if task.prune_skipped:
        parts.append("prune skipped: gone from Git, Prune=false leaves it in the cluster")
    elif task.prune:
        parts.append("prune: gone from Git" + ("; Prune=confirm: waits for approval" if task.confirm else ""))
    if task.synthetic:
        parts.append("made by CreateNamespace=true")
    if task.hook:
        parts.append("hook, delete policy " + ",".join(task.annotated.policies))
    if task.moved_by and task.pulled_for is not None:
        parts.append(f"pulled forward by {task.pulled_for.ident} ({task.moved_by})")
    return "; ".join(parts)


def _table(tasks: tuple[Task, ...], number_from: int = 1) -> list[str]:
    rows = [
        (
            str(n),
            task.label,
            task.display_namespace or "-",
            f"{task.resource.path}:{task.resource.span.line}",
            _detail(task),
        )
        for n, task in enumerate(tasks, start=number_from)
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = []
    for row in rows:
        cells = [row[0].rjust(widths[0])] + [row[c].ljust(widths[c]) for c in (1, 2, 3)]
        lines.append(("    " + "  ".join(cells) + ("  " + row[4] if row[4] else "")).rstrip())
    return lines


def _step_heading(number: int, step: Step) -> str:
    note = PHASE_NOTES.get(step.phase, "")
    return f"Step {number}: {step.phase} wave {step.wave}" + (f"  ({note})" if note else "")


def to_text(plan: Plan) -> str:
    lines: list[str] = []
    total = sum(len(step.tasks) for step in plan.steps)
    lines.append(
        f"Sync plan: {len(plan.steps)} step(s), {total} task(s), destination namespace {plan.namespace}"
        + ("" if plan.multi_step else " (single step: nothing waits for health)")
    )
    lines.append("    * marks a generateName prefix")
    if any(not item.resource.name for item in plan.annotated):
        lines.append(
            f"    {GENERATED}: a name Argo CD makes from the revision, the phase and the time the sync starts"
        )
    for task in plan.precreated:
        lines.append(f"Before the dry run: {task.label} (the destination namespace) is applied first")
    for number, step in enumerate(plan.steps, start=1):
        lines.append("")
        lines.append(_step_heading(number, step))
        lines.extend(_table(step.entries))
        if step.recreated:
            # docs/argocd.md#prune-waves: the deletion ends the round; the applies come in the next one.
            names = ", ".join(task.label for task in step.recreated)
            lines.append(
                f"    first deletes {names}, left by an earlier phase (BeforeHookCreation), then applies"
            )
        lines.append(f"    gate: {step.gate}")
    if not plan.steps:
        lines.append("")
        lines.append("Nothing to apply.")
    sections = (
        ("SyncFail: started all at once when any step fails (waves ignored)", plan.sync_fail),
        (
            "PreDelete: created all at once when the Application is deleted, before its resources",
            plan.pre_delete,
        ),
        ("PostDelete: created all at once after the Application's resources are gone", plan.post_delete),
    )
    for title, tasks in sections:
        if tasks:
            lines.append("")
            lines.append(title)
            lines.extend(_table(tasks))
    lines += _entries("Not applied by a sync", plan.not_applied)
    lines += _entries("Gone from Git but left in the cluster", plan.unpruned)
    return joined(lines) + "\n"


def _entries(title: str, entries: tuple[NotApplied, ...]) -> list[str]:
    if not entries:
        return []
    lines = ["", title]
    width = max(len(e.resource.ident) for e in entries)
    for entry in entries:
        resource = entry.resource
        where = f"{resource.path}:{resource.span.line}"
        lines.append(f"    {resource.ident.ljust(width)}  {where}  {entry.reason}: {entry.detail}")
    return lines


def _visual(name: str) -> Callable[[Plan], str]:
    def render(plan: Plan) -> str:
        from hooklint.explain import visual as explain_visual  # markdown and mermaid load only when asked for

        result: str = getattr(explain_visual, name)(plan)
        return result

    return render


RENDERERS: dict[str, Callable[[Plan], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": _visual("to_markdown"),
    "mermaid": _visual("to_mermaid"),
}
