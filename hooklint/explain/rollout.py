"""Adds to a rendered plan the RollingSync steps of each ApplicationSet in it: the label selectors of each step,
its maxUpdate, and the Applications of list generators that fall in it (docs/argocd.md#applicationset-progressive-sync)."""

from __future__ import annotations

import json
from typing import Any

from hooklint.argocd.applicationset import Generated, Rollout, RolloutStep, rollouts
from hooklint.explain.sections import appended
from hooklint.sync.plan import Plan
from hooklint.util import jsontext


def _selector(step: RolloutStep) -> str:
    return "; ".join(e.text for e in step.expressions) or "every Application"


def _limit(step: RolloutStep) -> str:
    return f"maxUpdate {step.max_update}" if step.max_update is not None else "maxUpdate unset (no limit)"


def _name(app: Generated) -> str:
    return app.name if app.name is not None else f"(name not known, element at line {app.span.line})"


def _placed(rollout: Rollout) -> tuple[dict[int, list[Generated]], list[Generated], list[Generated]]:
    """The generated Applications by step number, those no step takes, and those whose labels are unknown."""
    by_step: dict[int, list[Generated]] = {step.number: [] for step in rollout.steps}
    nowhere: list[Generated] = []
    unknown: list[Generated] = []
    for app in rollout.generated:
        number = rollout.step_of(app)
        if app.labels is None:
            unknown.append(app)
        elif number is None:
            nowhere.append(app)
        else:
            by_step[number].append(app)
    return by_step, nowhere, unknown


def _lines(rollout: Rollout) -> list[str]:
    resource = rollout.resource
    lines = [
        f"ApplicationSet {resource.name} ({resource.path}:{resource.span.line}): RollingSync in "
        f"{len(rollout.steps)} step(s), each after every Application of the one before is healthy"
    ]
    by_step, nowhere, unknown = _placed(rollout)
    for step in rollout.steps:
        lines.append(f"    step {step.number}: {_selector(step)}; {_limit(step)}")
        lines += [f"        {_name(app)}" for app in by_step[step.number]]
    if nowhere:
        lines.append("    in no step, never synced by the rollout: " + ", ".join(map(_name, nowhere)))
    if unknown:
        lines.append("    labels not known statically: " + ", ".join(map(_name, unknown)))
    if rollout.unlisted_generators:
        lines.append(
            f"    {rollout.unlisted_generators} generator(s) other than a literal list: their Applications are not known"
        )
    return lines


def _json(rollout: Rollout) -> dict[str, Any]:
    by_step, nowhere, unknown = _placed(rollout)
    return {
        "name": rollout.resource.name,
        "file": rollout.resource.path,
        "line": rollout.resource.span.line,
        "steps": [
            {
                "step": step.number,
                "match_expressions": [
                    {"key": e.key, "operator": e.operator, "values": list(e.values)} for e in step.expressions
                ],
                "max_update": step.max_update,
                "applications": [app.name for app in by_step[step.number]],
            }
            for step in rollout.steps
        ],
        "in_no_step": [app.name for app in nowhere],
        "labels_unknown": [app.name for app in unknown],
        "unlisted_generators": rollout.unlisted_generators,
    }


def _depth(line: str) -> int:
    """How deep a text line is nested under its section (four spaces a level), for a markdown list."""
    return (len(line) - len(line.lstrip(" "))) // 4 - 1


def extend(output_format: str, rendered: str, plan: Plan) -> str:
    """The rendered plan with each RollingSync ApplicationSet's steps added, in the same format; unchanged when
    the plan holds none."""
    found = rollouts([item.resource for item in plan.annotated])
    if not found or output_format == "mermaid":
        return rendered
    if output_format == "json":
        document = json.loads(rendered)
        document["application_sets"] = [_json(rollout) for rollout in found]
        return jsontext.dumps(document)
    return appended(rendered, [_lines(rollout) for rollout in found], output_format, _depth)
