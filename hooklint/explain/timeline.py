"""Renders a Timeline: text, json, a Markdown table and a Mermaid gantt chart."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from hooklint.explain.plan import task_json
from hooklint.sync.plan import WAVE_DELAY_SECONDS
from hooklint.sync.timeline import Duration, StepTime, Timed, Timeline, human
from hooklint.util import jsontext
from hooklint.util.escape import joined, markdown, terminal

LEGEND = (
    "best: every task succeeds at its first attempt the moment it starts; worst: the longest each manifest "
    "lets its task run before it completes or fails. Neither counts scheduling, image pulls, the time "
    f"containers run or API latency. A step takes the longer of its tasks and the {WAVE_DELAY_SECONDS} s wave "
    "delay, which runs alongside them."
)


def _why(duration: Duration) -> str:
    text = duration.basis
    if duration.fails_after is not None:
        text += f"; if every attempt fails at once, it fails after {human(duration.fails_after)}"
    return text


def _range(duration: Duration) -> str:
    return f"{human(duration.best)} .. {human(duration.worst)}"


def _set_by(step: StepTime) -> str:
    """What sets a step's worst case, in a few words."""
    if step.critical is not None:
        return f"{step.critical.label}: {step.critical.duration.basis}"
    if step.delay:
        return f"the {step.delay} s wave delay"
    if not step.step.gated:
        return "final step, not waited on: the sync succeeds once it is applied"
    return "nothing to wait for"


def _path(timeline: Timeline) -> list[tuple[StepTime, str]]:
    """The critical path, worst case: what sets each step's worst case, step by step."""
    found = []
    for step in timeline.steps:
        if step.critical is not None:
            found.append((step, step.critical.label))
        elif step.delay:
            found.append((step, "wave delay"))
        else:
            found.append((step, "not waited on" if not step.step.gated else "nothing to wait for"))
    return found


def _path_text(timeline: Timeline) -> str:
    return " → ".join(f"{what} {human(step.worst)}" for step, what in _path(timeline))


def _total(timeline: Timeline) -> str:
    text = f"best {human(timeline.best)}, worst {human(timeline.worst)}"
    unbounded = timeline.unbounded
    if unbounded:
        text += (
            f" ({len(unbounded)} task(s) have no bound; everything else adds up to "
            f"{human(timeline.bounded_worst)})"
        )
    return text


def _sync_fail(timeline: Timeline) -> str:
    names = ", ".join(f"{t.label} ({_range(t.duration)})" for t in timeline.sync_fail)
    longest = f"; together at worst {human(timeline.sync_fail_worst)}" if len(timeline.sync_fail) > 1 else ""
    return f"SyncFail hooks start all at once and the sync fails once they are done: {names}{longest}"


def _title(timeline: Timeline) -> str:
    return "Sync timeline" + (" (selective sync: no hook runs)" if timeline.selective else "")


def to_text(timeline: Timeline) -> str:
    lines = [f"{_title(timeline)}: {len(timeline.steps)} step(s), {_total(timeline)}"]
    lines += textwrap.wrap(LEGEND, 106, initial_indent="    ", subsequent_indent="    ")
    for step in timeline.steps:
        head = f"Step {step.number}: {step.step.where}  best {human(step.best)}, worst {human(step.worst)}"
        if step.step.final and step.step.gated:
            head += "  (final step: no wave delay)"
        lines += ["", head]
        width = max((len(t.label) for t in step.waited), default=0)
        for timed in step.waited:
            lines.append(f"    {timed.label.ljust(width)}  {_range(timed.duration)}  {_why(timed.duration)}")
        if not step.waited:
            lines.append(f"    {_set_by(step)}")
    if not timeline.steps:
        lines += ["", "Nothing to apply."]
    lines += ["", f"Total: {_total(timeline)}"]
    if timeline.steps:
        lines.append("Critical path (worst case): " + _path_text(timeline))
    if timeline.sync_fail:
        lines.append("If a step fails: " + _sync_fail(timeline))
    return joined(lines) + "\n"


def _duration_json(duration: Duration) -> dict[str, Any]:
    return {
        "best_seconds": duration.best,
        "worst_seconds": duration.worst,
        "basis": duration.basis,
        "fails_after_seconds": duration.fails_after,
    }


def _timed_json(timed: Timed) -> dict[str, Any]:
    return {**task_json(timed.task), **_duration_json(timed.duration)}


def _identity(timed: Timed) -> dict[str, Any]:
    task = timed.task
    return {"kind": task.kind, "namespace": task.display_namespace, "name": task.name}


def to_json(timeline: Timeline) -> str:
    document = {
        "version": 1,
        "selective": timeline.selective,
        "best_seconds": timeline.best,
        "worst_seconds": timeline.worst,
        "bounded_worst_seconds": timeline.bounded_worst,
        "steps": [
            {
                "phase": step.step.phase,
                "wave": step.step.wave,
                "delay_seconds": step.delay,
                "best_seconds": step.best,
                "worst_seconds": step.worst,
                "critical": _identity(step.critical) if step.critical else None,
                "waited": [_timed_json(t) for t in step.waited],
            }
            for step in timeline.steps
        ],
        "critical_path": [
            {"step": step.number, "what": what, "worst_seconds": step.worst} for step, what in _path(timeline)
        ],
        "sync_fail": {
            "worst_seconds": timeline.sync_fail_worst,
            "tasks": [_timed_json(t) for t in timeline.sync_fail],
        },
    }
    return jsontext.dumps(document)


def _cell(text: str) -> str:
    return markdown(text)


def to_markdown(timeline: Timeline) -> str:
    lines = [f"## {_title(timeline)}", "", f"{_total(timeline).capitalize()}.", ""]
    lines += ["| step | best | worst | set by |", "|---|---|---|---|"]
    for step in timeline.steps:
        lines.append(
            f"| {step.number}. {step.step.where} | {human(step.best)} | {human(step.worst)} | {_cell(_set_by(step))} |"
        )
    lines += [f"| **total** | **{human(timeline.best)}** | **{human(timeline.worst)}** | |", ""]
    if timeline.steps:
        lines += ["**Critical path (worst case):** " + _cell(_path_text(timeline)), ""]
    if timeline.sync_fail:
        lines += ["**If a step fails:** " + _cell(_sync_fail(timeline)), ""]
    lines += [LEGEND, ""]
    return joined(lines)


def _bar(name: str) -> str:
    # A colon ends a gantt task's name, a # starts an entity, a quote would open a string; control
    # characters are shown escaped (`terminal`).
    return terminal(name).replace(":", " ").replace("#", " ").replace('"', "'")


def to_mermaid(timeline: Timeline) -> str:
    """A gantt chart of the worst case; an unbounded task is drawn as long as the longest bounded one (at
    least a minute), and what sets each step's worst case is marked critical."""
    bounded = [t.duration.worst for s in timeline.steps for t in s.waited if t.duration.worst is not None]
    drawn = max([60, *bounded])
    lines = [
        "gantt",
        f"    title {_title(timeline)}, worst case in seconds (unbounded drawn as {human(drawn)})",
        "    dateFormat X",
        "    axisFormat %s",
    ]
    start = 0
    for step in timeline.steps:
        lines.append(f"    section {step.number}. {_bar(step.step.where)}")
        end = start
        for index, timed in enumerate(step.waited, start=1):
            worst = timed.duration.worst
            length = drawn if worst is None else worst
            tags = ["crit"] if timed is step.critical else []
            tags += ["active"] if worst is None else []
            label = _bar(f"{timed.label} {human(worst)}")
            lines.append(
                f"    {label} :{', '.join([*tags, f's{step.number}t{index}'])}, {start}, {start + length}"
            )
            end = max(end, start + length)
        if step.delay or not step.waited:
            marks = "" if step.critical is not None else "crit, "
            what = f"wave delay {step.delay} s" if step.delay else "not waited on"
            marks += "" if step.delay else "milestone, "
            lines.append(f"    {what} :{marks}s{step.number}d, {start}, {start + step.delay}")
            end = max(end, start + step.delay)
        start = end
    if timeline.sync_fail:
        lines.append("    %% SyncFail hooks are not drawn: they start only once a step has failed")
    return joined(lines) + "\n"


RENDERERS: dict[str, Callable[[Timeline], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
    "mermaid": to_mermaid,
}
