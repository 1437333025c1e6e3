"""Renders the Application deletion plan and a failure during it: text, json, markdown and mermaid."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from hooklint.argocd import annotations as argo
from hooklint.explain.plan import resource_json, task_json
from hooklint.explain.whatif import label
from hooklint.model import Resource
from hooklint.sync.deletion import Deletion, DeletionFailure, Doomed, Kept
from hooklint.sync.plan import Task
from hooklint.util import jsontext
from hooklint.util.escape import code_span, joined, markdown

# docs/argocd.md#cascade-deletion (cascade order) and docs/argocd.md#delete-hooks (delete hooks, cleanup), as the deletion plan's headings say them.
_CASCADE = (
    "Cascade: one wave at a time, highest first; each batch waits until every object of the one before is "
    "gone"
)
_PRE = "PreDelete hooks (Argo CD 3.3+): created all at once, no wave order; the deletion waits until all are healthy"
_POST = "PostDelete hooks (Argo CD 2.10+): created all at once after every batch is gone, then waited on"
_CLEANUP = "Cleanup: a delete hook is removed only when its policy matches the outcome (HookSucceeded)"


def _rows(
    rows: Sequence[tuple[str, str, str, str]], indent: str, widths: Sequence[int] | None = None
) -> list[str]:
    widths = widths or [max((len(row[c]) for row in rows), default=0) for c in range(3)]
    return [
        (indent + "  ".join(row[c].ljust(widths[c]) for c in range(3)) + "  " + row[3]).rstrip()
        for row in rows
    ]


def _where(resource: Resource) -> str:
    return f"{resource.path}:{resource.span.line}"


def _doomed_note(item: Doomed) -> str:
    notes = [item.condition] if item.condition else []
    if item.confirm:
        notes.append(f"{item.confirm_by}: waits for approval")
    return "; ".join(notes)


def _task_rows(tasks: Sequence[Task]) -> list[tuple[str, str, str, str]]:
    return [(t.label, t.display_namespace or "-", _where(t.resource), "") for t in tasks]


def _kept_rows(items: Sequence[Kept]) -> list[tuple[str, str, str, str]]:
    return [(k.resource.label, k.namespace or "-", _where(k.resource), k.reason) for k in items]


def deletion_text(plan: Deletion) -> str:
    lines = ["Deletion plan: what Argo CD does when the Application is deleted with cascade", ""]
    lines.append("1. " + _PRE + (":" if plan.pre_delete else ": none"))
    lines += _rows(_task_rows(plan.pre_delete), "       ")
    lines.append("2. " + _CASCADE + (":" if plan.batches else ": nothing to delete"))
    rows = {
        wave: [(d.resource.label, d.namespace or "-", _where(d.resource), _doomed_note(d)) for d in objects]
        for wave, objects in plan.batches
    }
    every = [row for batch in rows.values() for row in batch]
    widths = [max((len(row[c]) for row in every), default=0) for c in range(3)]
    margin = max((len(f"   wave {wave}  ") for wave in rows), default=0)
    for wave, batch in rows.items():
        body = _rows(batch, "", widths)
        lines.append(f"   wave {wave}".ljust(margin) + body[0])
        lines += [" " * margin + line for line in body[1:]]
    lines.append("   never deleted:" + ("" if plan.kept else " none"))
    lines += _rows(_kept_rows(plan.kept), "       ")
    lines.append("3. " + _POST + (":" if plan.post_delete else ": none"))
    lines += _rows(_task_rows(plan.post_delete), "       ")
    lines.append("4. " + _CLEANUP + "; left behind" + (":" if plan.left_behind else ": none"))
    lines += _rows(_kept_rows(plan.left_behind), "       ")
    return joined(lines) + "\n"


def _doomed_json(item: Doomed) -> dict[str, Any]:
    hook = item.annotated.is_hook
    return {
        **resource_json(item.resource, item.namespace, hook),
        "condition": item.condition,
        "confirm": item.confirm,
    }


def _kept_json(item: Kept) -> dict[str, Any]:
    return {**resource_json(item.resource, item.namespace, item.annotated.is_hook), "reason": item.reason}


def _deletion_document(plan: Deletion) -> dict[str, Any]:
    return {
        "pre_delete": [task_json(t) for t in plan.pre_delete],
        "batches": [
            {"wave": w, "objects": [_doomed_json(d) for d in objects]} for w, objects in plan.batches
        ],
        "never_deleted": [_kept_json(k) for k in plan.kept],
        "post_delete": [task_json(t) for t in plan.post_delete],
        "left_behind": [_kept_json(k) for k in plan.left_behind],
    }


def deletion_json(plan: Deletion) -> str:
    return jsontext.dumps({"version": 1, "delete": _deletion_document(plan)})


def _ticks(labels: Sequence[str]) -> str:
    return ", ".join(code_span(label) for label in labels) or "none"


def deletion_markdown(plan: Deletion) -> str:
    lines = ["## Deletion plan (Application deleted with cascade)", ""]
    lines.append(f"1. **PreDelete hooks**, all at once: {_ticks([t.label for t in plan.pre_delete])}")
    lines.append("2. **Cascade**, one wave at a time, highest first:")
    for wave, objects in plan.batches:
        names = ", ".join(
            code_span(d.resource.label) + (f" ({markdown(_doomed_note(d))})" if _doomed_note(d) else "")
            for d in objects
        )
        lines.append(f"   - wave {wave}: {names}")
    kept = ", ".join(f"{code_span(k.resource.label)} ({markdown(k.reason)})" for k in plan.kept) or "none"
    lines.append(f"   - never deleted: {kept}")
    lines.append(f"3. **PostDelete hooks**, all at once: {_ticks([t.label for t in plan.post_delete])}")
    left = (
        ", ".join(f"{code_span(k.resource.label)} ({markdown(k.reason)})" for k in plan.left_behind) or "none"
    )
    lines += [f"4. **Left behind** after the cleanup: {left}", ""]
    return joined(lines)


def deletion_mermaid(plan: Deletion) -> str:
    lines = ["flowchart TD"]
    chain = [("pre", "PreDelete, all at once: " + (", ".join(t.label for t in plan.pre_delete) or "none"))]
    for number, (wave, objects) in enumerate(plan.batches, start=1):
        chain.append((f"b{number}", f"wave {wave}: " + ", ".join(d.resource.label for d in objects)))
    chain.append(
        ("post", "PostDelete, all at once: " + (", ".join(t.label for t in plan.post_delete) or "none"))
    )
    chain.append(
        (
            "cleanup",
            "cleanup; left behind: " + (", ".join(k.resource.label for k in plan.left_behind) or "none"),
        )
    )
    lines += [f"  {node}[{label(text)}]" for node, text in chain]
    for (before, _), (after, _) in itertools.pairwise(chain):
        # A batch hands over only once every object in it is gone (docs/argocd.md#cascade-deletion).
        edge = f" -->|{label('all gone')}| " if before.startswith("b") else " --> "
        lines.append(f"  {before}{edge}{after}")
    if plan.kept:
        lines.append(f"  kept[{label('never deleted: ' + ', '.join(k.resource.label for k in plan.kept))}]")
        lines.append("  classDef kept fill:#f3f4f6,stroke:#9ca3af")
        lines.append("  class kept kept")
    return joined(lines) + "\n"


# --delete --fail ------------------------------------------------------------------------------------


def _stage(failure: DeletionFailure) -> str:
    ident = failure.resource.label
    if failure.stage == "cascade":
        return (
            f"{ident}'s deletion never finishes (a finalizer holds it): the deletion waits for it, and no later "
            "batch starts"
        )
    return (
        f"{ident} is a {failure.stage} hook: Argo CD deletes it when it is Degraded, so a fixed manifest can be "
        "retried, and blocks the Application's deletion with a DeletionError condition"
    )


def _never(failure: DeletionFailure) -> list[str]:
    found = [f"cascade batch wave {w}" for w in failure.never]
    if not failure.post_delete_runs and failure.deletion.post_delete:
        found.append("PostDelete hooks " + ", ".join(t.label for t in failure.deletion.post_delete))
    return [*found, "the cleanup of delete hooks", "the removal of the Application"]


def _conditional(failure: DeletionFailure, resources: Sequence[Resource]) -> str:
    """Labels, each with when the object is there at all when that is not certain."""
    conditions = {id(d.resource): d.condition for _, batch in failure.deletion.batches for d in batch}
    found = [r.label + (f" ({conditions[id(r)]})" if conditions.get(id(r)) else "") for r in resources]
    return ", ".join(found) or "none"


def deletion_failure_text(failure: DeletionFailure) -> str:
    lines = [
        f"What if {failure.resource.label} fails when the Application is deleted",
        f"    {_stage(failure)}",
        "",
    ]
    lines.append("Deleted before it stops: " + _conditional(failure, failure.deleted))
    lines.append("Never happens: " + "; ".join(_never(failure)))
    lines.append("Left in the cluster: " + _conditional(failure, failure.stays))
    if failure.deletion.kept:
        lines.append(
            "    and what the deletion never deletes: "
            + ", ".join(k.resource.label for k in failure.deletion.kept)
        )
    return joined(lines) + "\n"


def deletion_failure_json(failure: DeletionFailure) -> str:
    document = {
        "version": 1,
        "delete": _deletion_document(failure.deletion),
        "fails": {"kind": failure.resource.kind, "name": failure.resource.name, "stage": failure.stage},
        "notes": [_stage(failure)],
        "deleted": [_resource_ref(r) for r in failure.deleted],
        "never": _never(failure),
        "left": [_resource_ref(r) for r in failure.stays],
    }
    return jsontext.dumps(document)


def _resource_ref(resource: Resource) -> dict[str, Any]:
    return {"kind": resource.kind, "name": resource.name, "file": resource.path, "line": resource.span.line}


def deletion_failure_markdown(failure: DeletionFailure) -> str:
    return joined(
        [
            f"## What if {code_span(failure.resource.label)} fails when the Application is deleted",
            "",
            markdown(_stage(failure)),
            "",
            f"- **Deleted before it stops:** {markdown(_conditional(failure, failure.deleted))}",
            f"- **Never happens:** {markdown('; '.join(_never(failure)))}",
            f"- **Left in the cluster:** {markdown(_conditional(failure, failure.stays))}",
            "",
        ]
    )


def deletion_failure_mermaid(failure: DeletionFailure) -> str:
    lines = deletion_mermaid(failure.deletion).rstrip("\n").split("\n")
    node = {argo.PRE_DELETE: "pre", argo.POST_DELETE: "post"}.get(failure.stage)
    if node is None:
        batch = len(failure.deletion.batches) - len(failure.never)
        node = f"b{batch}"
    lines.append(f"  {node} -->|{label(failure.resource.label + ' fails')}| stuck((Deletion blocked))")
    lines.append("  classDef failed fill:#fee2e2,stroke:#b91c1c")
    lines.append(f"  class {node} failed")
    return joined(lines) + "\n"


DELETION_RENDERERS: dict[str, Callable[[Deletion], str]] = {
    "text": deletion_text,
    "json": deletion_json,
    "markdown": deletion_markdown,
    "mermaid": deletion_mermaid,
}
DELETION_FAILURE_RENDERERS: dict[str, Callable[[DeletionFailure], str]] = {
    "text": deletion_failure_text,
    "json": deletion_failure_json,
    "markdown": deletion_failure_markdown,
    "mermaid": deletion_failure_mermaid,
}
