"""Adds to a rendered plan what the Application says and what changed since the base revision."""

from __future__ import annotations

import json
from typing import Any

from hooklint.argocd import application
from hooklint.sync.changes import Changes, moved
from hooklint.sync.plan import Plan
from hooklint.util import jsontext
from hooklint.util.escape import joined, markdown


def _app_lines(plan: Plan) -> list[str]:
    app = plan.app
    lines: list[str] = []
    if app is not None:
        options = ", ".join(item.value for item in app.sync_options) or "none"
        sync = "automated" + (" with self-heal" if app.self_heal else "") if app.automated else "manual"
        lines += [
            f"Application {app.name} ({app.resource.path}:{app.resource.span.line}): destination namespace "
            f"{app.namespace or plan.namespace}, {sync} sync, sync options {options}",
        ]
    children = [item.resource for item in plan.annotated if application.is_application(item.resource)]
    children = [child for child in children if app is None or child is not app.resource]
    if children:
        lines.append(
            "Child Applications (no health check since Argo CD 1.8: a wave of them does not wait, docs/argocd.md#health-checks)"
        )
        for child in children:
            settings = application.read(child)
            where = plan.places(child) or "not applied"
            target = ", ".join(settings.paths) or "?"
            sync = "automated" if settings.automated else "manual"
            lines.append(f"    {child.label}  {where}  -> {target} in {settings.namespace or '?'} ({sync})")
    return lines


def _change_lines(plan: Plan, changes: Changes, before: Plan) -> list[str]:
    lines = [f"Changes since {changes.base}"]
    for title, objects in (("added", changes.added), ("removed", changes.removed)):
        for resource in objects:
            kind = "hook" if _is_hook(resource) else "resource"
            lines.append(f"    {title:<8} {kind:<8} {resource.label}  {resource.path}:{resource.span.line}")
    for _, resource in changes.modified:
        lines.append(
            f"    modified {'hook' if _is_hook(resource) else 'resource':<8} {resource.label}  {resource.path}:{resource.span.line}"
        )
    for resource, was, now in moved(changes, before, plan):
        lines.append(f"    moved    {resource.label}: {was} -> {now}")
    if len(lines) == 1:
        lines.append("    nothing")
    return lines


def _is_hook(resource: Any) -> bool:
    from hooklint.argocd.annotated import Annotated

    item = Annotated(resource)
    return item.is_hook or bool(item.delete_types)


def extend(
    output_format: str, rendered: str, plan: Plan, changes: Changes | None, before: Plan | None
) -> str:
    """The rendered plan with the Application and the changes added, in the same format."""
    app_lines = _app_lines(plan)
    change_lines = _change_lines(plan, changes, before) if changes is not None and before is not None else []
    if output_format == "json":
        document = json.loads(rendered)
        if plan.app is not None:
            document["application"] = {
                "name": plan.app.name,
                "file": plan.app.resource.path,
                "automated": plan.app.automated,
                "sync_options": [item.value for item in plan.app.sync_options],
            }
        if changes is not None:
            document["changes"] = {
                "base": changes.base,
                "added": [r.label for r in changes.added],
                "removed": [r.label for r in changes.removed],
                "modified": [new.label for _, new in changes.modified],
            }
        return jsontext.dumps(document)
    if output_format == "mermaid":
        return rendered
    sections = [lines for lines in (app_lines, change_lines) if lines]
    if output_format == "markdown":
        return rendered + "".join(
            "\n### "
            + markdown(lines[0])
            + "\n\n"
            + joined(f"- {markdown(line.strip())}" for line in lines[1:])
            + "\n"
            for lines in sections
        )
    return rendered + "".join("\n" + joined(lines) + "\n" for lines in sections)
