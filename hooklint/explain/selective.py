"""Renders the answer to --selective: the plan without hooks, the hooks that do not run, and what needs the
objects only hooks create (text, json, markdown, mermaid)."""

from __future__ import annotations

import json
from collections.abc import Callable

from hooklint.argocd import annotations as argo
from hooklint.explain.plan import task_json
from hooklint.explain.whatif import CLASSES, label, step_node
from hooklint.sync.whatif import HookNeed, Selective
from hooklint.util import jsontext
from hooklint.util.escape import code_span, joined, markdown


def _need_text(need: HookNeed) -> str:
    strength = "" if need.hard else ", which it does not strictly need"
    return f"{need.source.ident} needs {need.target} ({need.field}{strength}): it exists only as a hook ({need.places}): {need.present}"


def selective_text(result: Selective) -> str:
    from hooklint.explain.plan import to_text

    lines = ["Selective sync or apply strategy: no hook of any phase runs", ""]
    lines += to_text(result.plan).rstrip("\n").split("\n")
    lines += [
        "",
        f"Hooks that do not run: {len(result.skipped)}" if result.skipped else "Hooks that do not run: none",
    ]
    width = max((len(t.label) for t in result.skipped), default=0)
    for task in result.skipped:
        note = "  (a failure runs no SyncFail hook either)" if task.phase == argo.SYNC_FAIL else ""
        lines.append(f"    {task.label.ljust(width)}  {task.where}{note}")
    lines += ["", "Resources that need objects only hooks create" + ("" if result.needs else ": none")]
    lines += [f"    {_need_text(need)}" for need in result.needs]
    return joined(lines) + "\n"


def selective_json(result: Selective) -> str:
    from hooklint.explain.plan import to_json

    document = {
        "version": 1,
        "selective": True,
        "plan": json.loads(to_json(result.plan)),
        "hooks_not_run": [{**task_json(t), "phase": t.phase, "wave": t.wave} for t in result.skipped],
        "needs_hook_objects": [
            {
                "kind": need.source.kind,
                "name": need.source.name,
                "file": need.source.path,
                "line": need.source.span.line,
                "field": need.field,
                "hard": need.hard,
                "target": need.target,
                "hooks": [f"{r.path}:{r.span.line}" for r in need.hooks],
                "runs_in": need.places,
                "present": need.present,
            }
            for need in result.needs
        ],
    }
    return jsontext.dumps(document)


def selective_markdown(result: Selective) -> str:
    from hooklint.explain.visual import to_markdown

    lines = ["## Selective sync or apply strategy: no hook runs", ""]
    lines += [*to_markdown(result.plan).removeprefix("## Sync plan\n\n").rstrip("\n").split("\n"), ""]
    lines += ["### Hooks that do not run", ""]
    lines += [f"- {code_span(t.label)} ({t.where})" for t in result.skipped] or ["None."]
    lines += ["", "### Resources that need objects only hooks create", ""]
    lines += [f"- {markdown(_need_text(need))}" for need in result.needs] or ["None."]
    return joined(lines) + "\n"


def selective_mermaid(result: Selective) -> str:
    lines = ["flowchart TD"]
    steps = result.plan.steps
    for number, step in enumerate(steps, start=1):
        lines.append(step_node(f"step{number}", number, step))
    for number in range(1, len(steps)):
        lines.append(f"  step{number} --> step{number + 1}")
    if result.skipped:
        lines.append(f"  subgraph hooks[{label('hooks: not run')}]")
        hooks: dict[int, str] = {}
        for task in result.skipped:
            if id(task.resource) not in hooks:
                hooks[id(task.resource)] = f"h{len(hooks) + 1}"
                lines.append(f"    {hooks[id(task.resource)]}([{label(task.label)}])")
        lines.append("  end")
        for need in result.needs:
            at = next(
                (n for n, s in enumerate(steps, 1) if any(t.resource is need.source for t in s.tasks)), None
            )
            for hook in need.hooks:
                if at is not None and id(hook) in hooks:
                    lines.append(f"  step{at} -.->|{label(need.source.ident + ' needs')}| {hooks[id(hook)]}")
        lines += [CLASSES[3], f"  class {','.join(hooks.values())} hook"]
    return joined(lines) + "\n"


RENDERERS: dict[str, Callable[[Selective], str]] = {
    "text": selective_text,
    "json": selective_json,
    "markdown": selective_markdown,
    "mermaid": selective_mermaid,
}
