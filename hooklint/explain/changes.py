"""Adds to a rendered plan what the Application says (the changes since a base revision are the plan's diff,
hooklint.explain.plandiff)."""

from __future__ import annotations

import json

from hooklint.argocd import application
from hooklint.explain.sections import appended
from hooklint.sync.plan import Plan
from hooklint.util import jsontext


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


def extend(output_format: str, rendered: str, plan: Plan) -> str:
    """The rendered plan with the Application added, in the same format."""
    app_lines = _app_lines(plan)
    if output_format == "json":
        document = json.loads(rendered)
        if plan.app is not None:
            document["application"] = {
                "name": plan.app.name,
                "file": plan.app.resource.path,
                "automated": plan.app.automated,
                "sync_options": [item.value for item in plan.app.sync_options],
            }
        return jsontext.dumps(document)
    if output_format == "mermaid":
        return rendered
    return appended(rendered, [app_lines] if app_lines else [], output_format)
