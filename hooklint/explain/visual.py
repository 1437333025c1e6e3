"""Renders a Plan for people who would rather look than read: Markdown tables and a Mermaid flowchart."""

from __future__ import annotations

from hooklint.sync.plan import Plan, Step, Task
from hooklint.util.escape import code_span, joined, markdown, mermaid


def _cell(text: str) -> str:
    return markdown(text)


def _object(task: Task) -> str:
    text = code_span(task.label)
    if task.moved_by and task.pulled_for is not None:
        text += f" (pulled forward by {code_span(task.pulled_for.ident)})"
    return text


def _policies(task: Task) -> str:
    return ", ".join(task.annotated.policies) if task.hook else ""


def _rows(tasks: tuple[Task, ...], step: str = "") -> list[str]:
    return [
        f"| {step} | {_object(t)} | {_cell(t.display_namespace)} | {'hook' if t.hook else ''} "
        f"| {_cell(_policies(t))} | {code_span(f'{t.resource.path}:{t.resource.span.line}')} |"
        for t in tasks
    ]


_HEAD = ["| step | object | namespace | hook | delete policy | source |", "|---|---|---|---|---|---|"]


def to_markdown(plan: Plan) -> str:
    lines = ["## Sync plan", ""]
    if not plan.steps:
        lines.append("Nothing to apply.")
    phases: dict[str, list[tuple[int, Step]]] = {}
    for number, step in enumerate(plan.steps, start=1):
        phases.setdefault(step.phase, []).append((number, step))
    for phase, steps in phases.items():
        lines += [f"### {phase}", "", *_HEAD]
        for number, step in steps:
            lines += _rows(step.tasks, f"{number} (wave {step.wave})")
        lines.append("")
    if plan.steps:
        lines += ["### Gates", ""]
        lines += [f"{n}. **{s.phase} wave {s.wave}**: {_cell(s.gate)}" for n, s in enumerate(plan.steps, 1)]
        lines.append("")
    sections = (
        ("SyncFail (started all at once when any step fails)", plan.sync_fail),
        ("PreDelete (when the Application is deleted)", plan.pre_delete),
        ("PostDelete (after the Application's resources are gone)", plan.post_delete),
    )
    for title, tasks in sections:
        if tasks:
            lines += [f"### {title}", "", *_HEAD, *_rows(tasks), ""]
    if plan.not_applied:
        lines += ["### Not applied by a sync", "", "| object | reason | source |", "|---|---|---|"]
        for entry in plan.not_applied:
            resource = entry.resource
            lines.append(
                f"| {code_span(resource.ident)} | {_cell(entry.reason)}: {_cell(entry.detail)} "
                f"| {code_span(f'{resource.path}:{resource.span.line}')} |"
            )
        lines.append("")
    return joined(lines)


_label = mermaid


def _node(node_id: str, task: Task) -> str:
    text = _label(task.label + (f" ({task.moved_by} pull)" if task.moved_by else ""))
    # Hooks are drawn as stadiums, resources as boxes.
    return f"{node_id}([{text}])" if task.hook else f"{node_id}[{text}]"


def _gate_label(step: Step) -> str:
    waiting = [t for t in step.tasks if t.waits and (t.hook or step.multi_step)]
    if not waiting:
        return "applied"
    names = ", ".join(f"{t.label} {t.done_when}" for t in waiting[:3])
    return names + (f" +{len(waiting) - 3} more" if len(waiting) > 3 else "")


def to_mermaid(plan: Plan) -> str:
    lines = ["flowchart TD"]
    hooks: list[str] = []
    counter = 0

    def add_tasks(tasks: tuple[Task, ...]) -> None:
        nonlocal counter
        for task in tasks:
            counter += 1
            node_id = f"t{counter}"
            lines.append(f"    {_node(node_id, task)}")
            if task.hook:
                hooks.append(node_id)

    for number, step in enumerate(plan.steps, start=1):
        lines.append(f"  subgraph step{number}[{_label(f'{number}. {step.phase} wave {step.wave}')}]")
        add_tasks(step.tasks)
        lines.append("  end")
    for number, step in enumerate(plan.steps, start=1):
        if number < len(plan.steps):
            lines.append(f"  step{number} -->|{_label(_gate_label(step))}| step{number + 1}")
        elif step.gated:
            lines.append(f"  step{number} -->|{_label(_gate_label(step))}| synced((Synced))")
        else:
            lines.append(f"  step{number} -->|{_label('not waited on')}| synced((Synced))")
    if plan.sync_fail:
        lines.append(f"  subgraph syncfail[{_label('SyncFail: all at once')}]")
        add_tasks(plan.sync_fail)
        lines.append("  end")
        for number in range(1, len(plan.steps) + 1):
            lines.append(f"  step{number} -.->|fails| syncfail")
    for name, tasks in (("predelete", plan.pre_delete), ("postdelete", plan.post_delete)):
        if tasks:
            title = (
                "PreDelete: on Application deletion" if name == "predelete" else "PostDelete: after deletion"
            )
            lines.append(f"  subgraph {name}[{_label(title)}]")
            add_tasks(tasks)
            lines.append("  end")
    if plan.pre_delete and plan.post_delete:
        lines.append(f"  predelete -->|{_label('resources deleted, highest wave first')}| postdelete")
    lines.append("  classDef hook fill:#fef3c7,stroke:#b45309")
    if hooks:
        lines.append(f"  class {','.join(hooks)} hook")
    return joined(lines) + "\n"
