"""Renders the answer to --fail: what a failing task runs, stops, deletes and leaves (text, json, markdown,
mermaid)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hooklint.argocd import annotations as argo
from hooklint.explain.plan import task_json
from hooklint.sync.plan import Step, Task
from hooklint.sync.whatif import Failure
from hooklint.util import jsontext
from hooklint.util.escape import code_span, joined, markdown, mermaid

# What becomes of a hook the failed run leaves, by its policies (docs/argocd.md#hook-lifecycle, docs/argocd.md#docs-versus-code, item 2).
_STAYS = {
    argo.HOOK_SUCCEEDED: "only a successful sync deletes it (HookSucceeded)",
    argo.BEFORE_HOOK_CREATION: "the next sync that runs it replaces it (BeforeHookCreation)",
}


def _names(tasks: Sequence[Task]) -> str:
    return ", ".join(t.label for t in tasks) or "none"


def _kept_note(task: Task) -> str:
    policies = task.annotated.policies
    return next((_STAYS[p] for p in (argo.HOOK_SUCCEEDED, argo.BEFORE_HOOK_CREATION) if p in policies), "")


def _headline(failure: Failure) -> str:
    task, steps = failure.task, len(failure.plan.steps)
    scenario = " in a selective sync, which runs no hook" if failure.selective else ""
    if failure.step is None:
        return f"What if {task.label} fails{scenario}: it is the destination namespace, applied before the dry run"
    return (
        f"What if {task.label} fails{scenario}: it runs in {task.where} (step {failure.step + 1} of {steps})"
    )


def _how(failure: Failure) -> list[str]:
    """How the failure comes about and what Argo CD does first, as notes."""
    task = failure.task
    if failure.step is None:
        return ["The operation fails at once: nothing else is applied and no SyncFail hook runs."]
    notes = []
    # docs/argocd.md#task-status: no health check means done once applied; docs/argocd.md#sync-success: the final hook-free step is never assessed.
    if not task.waits:
        notes.append(
            f"{task.label} has no health check, so it is done once applied: only an error applying it "
            "fails the sync."
        )
    elif not failure.waited:
        notes.append(
            f"Nothing waits for {task.label}'s health: only an error applying it fails the sync; if it "
            "degrades later, the sync has already succeeded."
        )
    # docs/argocd.md#step-gates: the wait for running tasks comes before the failure check; docs/argocd.md#failure-and-syncfail: no later step starts.
    notes.append(
        "Argo CD handles the failure once nothing else in the step is running: the rest of the step "
        "finishes first, and no later step starts."
    )
    return notes


def _step_names(step: Step, failing: Task | None = None) -> str:
    names = [t.label + " (prune)" for t in step.prunes]
    names += [t.label + (" (fails)" if t is failing else "") for t in step.tasks]
    return ", ".join(names)


def _step_lines(steps: Sequence[Step], first: int, failing: Task | None = None) -> list[str]:
    width = max((len(step.where) for step in steps), default=0)
    return [
        f"    {number}  {step.where.ljust(width)}  {_step_names(step, failing)}"
        for number, step in enumerate(steps, start=first)
    ]


def failure_text(failure: Failure) -> str:
    lines = [_headline(failure), *(f"    {note}" for note in _how(failure))]
    if failure.failing is not None:
        lines += ["", "Steps that run", *_step_lines([*failure.done, failure.failing], 1, failure.task)]
    lines += ["", "Steps that never run" if failure.never_run else "Steps that never run: none"]
    first = (failure.step + 2) if failure.step is not None else 1
    lines += _step_lines(failure.never_run, first)
    if failure.step is not None:
        lines += ["", f"SyncFail hooks, started all at once: {_names(failure.sync_fail)}"]
        if failure.sync_fail:
            lines.append("    the sync stays Running until every one is done, then fails")
        if failure.sync_fail_failed:
            lines.append(f"    {_names(failure.sync_fail_failed)}: {_UNAPPLIED}")
        if failure.recreated:
            lines.append(
                f"    each of {_names(failure.recreated)} first deletes the object its earlier phase left "
                "(BeforeHookCreation)"
            )
        lines.append(f"Deleted by HookFailed, whether they succeeded or not: {_names(failure.deleted)}")
        if failure.deleted_later:
            lines.append(f"    and, once they are done, the SyncFail hooks {_names(failure.deleted_later)}")
        if failure.stuck:
            lines += ["", *_stuck_lines(failure)]
    lines += ["", "Left in the cluster"]
    lines.append(f"    applied by this sync: {_names(failure.applied)}")
    if failure.pruned:
        lines.append(f"    (pruned by this sync, so gone: {_names(failure.pruned)})")
    if failure.not_pruned:
        lines.append(
            f"    gone from Git but never pruned, as the steps that prune them never run: {_names(failure.not_pruned)}"
        )
    for task in failure.kept_hooks:
        lines.append(f"    hook {task.label}: {_kept_note(task)}")
    if failure.untouched:
        lines.append(
            f"    never applied, whatever version is live stays (none on a first install): {_names(failure.untouched)}"
        )
    return joined(lines) + "\n"


# docs/argocd.md#failure-and-syncfail, docs/argocd.md#crds-and-namespaces
_UNAPPLIED = "fail to apply (the object that fails, or a kind whose CRD is not served then)"


def _stuck_lines(failure: Failure) -> list[str]:
    """Argo CD before v3.4.0 never ends such a sync (docs/argocd.md#failure-and-syncfail)."""
    lines = ["Argo CD before v3.4.0 never ends this sync:"]
    step = [t for t in failure.stuck if t.phase != argo.SYNC_FAIL]
    if step:
        lines.append(
            f"    HookFailed deletes {_names(step)} in the call its {step[0].phase} task applied it again,"
        )
    if len(step) < len(failure.stuck):
        # docs/argocd.md#crds-and-namespaces: the object goes with its terminating CRD.
        lines.append(
            f"    the SyncFail apply of {_names(failure.stuck[len(step) :])} meets a CRD that HookFailed has just "
            "deleted, and the object goes with it,"
        )
    return [
        *lines,
        f'    so that task waits for ever: the Application stays Syncing ("{failure.waiting}")',
        "    until someone terminates the operation; since v3.4.0 the sync fails as above",
    ]


def _step_json(number: int, step: Step) -> dict[str, Any]:
    return {
        "step": number,
        "phase": step.phase,
        "wave": step.wave,
        "prunes": [task_json(t) for t in step.prunes],
        "tasks": [task_json(t) for t in step.tasks],
    }


def failure_json(failure: Failure) -> str:
    task = failure.task
    first = (failure.step + 1) if failure.step is not None else 1
    ran = [*failure.done, failure.failing] if failure.failing else []
    document = {
        "version": 1,
        "fails": {
            **task_json(task),
            "phase": task.phase,
            "wave": task.wave,
            "step": first if failure.step is not None else None,
            "waited": failure.waited,
        },
        "never_ends_before_v3_4_0": [task_json(t) for t in failure.stuck],
        "notes": _how(failure),
        "ran": [_step_json(n, s) for n, s in enumerate(ran, start=1)],
        "never_run": [_step_json(n, s) for n, s in enumerate(failure.never_run, start=first + 1)],
        "sync_fail": [task_json(t) for t in failure.sync_fail],
        "sync_fail_apply_failed": [task_json(t) for t in failure.sync_fail_failed],
        "deleted": [task_json(t) for t in failure.deleted],
        "deleted_after_sync_fail": [task_json(t) for t in failure.deleted_later],
        "left": {
            "applied": [task_json(t) for t in failure.applied],
            "hooks": [task_json(t) for t in failure.kept_hooks],
            "never_applied": [task_json(t) for t in failure.untouched],
            "not_pruned": [task_json(t) for t in failure.not_pruned],
        },
        "pruned": [task_json(t) for t in failure.pruned],
    }
    return jsontext.dumps(document)


def _ticks(tasks: Sequence[Task]) -> str:
    return ", ".join(code_span(t.label) for t in tasks) or "none"


def failure_markdown(failure: Failure) -> str:
    lines = [f"## {markdown(_headline(failure))}", "", *map(markdown, _how(failure)), ""]
    if failure.step is not None:
        lines += ["| step | ran | tasks |", "|---|---|---|"]
        ran = [*failure.done, failure.failing] if failure.failing else []
        for number, step in enumerate(ran, start=1):
            mark = "fails" if number == failure.step + 1 else "yes"
            lines.append(f"| {number}. {step.where} | {mark} | {_ticks(step.tasks)} |")
        for number, step in enumerate(failure.never_run, start=failure.step + 2):
            lines.append(f"| {number}. {step.where} | never | {_ticks(step.tasks)} |")
        lines += [
            "",
            f"- **SyncFail hooks, started all at once:** {_ticks(failure.sync_fail)}"
            + (f"; {_ticks(failure.sync_fail_failed)} {_UNAPPLIED}" if failure.sync_fail_failed else ""),
            f"- **Deleted by HookFailed, whether they succeeded or not:** {_ticks(failure.deleted)}"
            + (f"; once done, {_ticks(failure.deleted_later)}" if failure.deleted_later else ""),
        ]
    lines += [
        f"- **Left in the cluster, applied by this sync:** {_ticks(failure.applied)}",
        *(
            f"- **Hook left in the cluster:** {code_span(t.label)}: {_kept_note(t)}"
            for t in failure.kept_hooks
        ),
        f"- **Never applied (the live version stays):** {_ticks(failure.untouched)}",
        *(
            [f"- **Never pruned (those steps never run):** {_ticks(failure.not_pruned)}"]
            if failure.not_pruned
            else []
        ),
        "",
    ]
    return joined(lines)


label = mermaid


def step_node(node: str, number: int, step: Step) -> str:
    return f"  {node}[{label(f'{number}. {step.where}: ' + _step_names(step))}]"


CLASSES = (
    "  classDef ran fill:#dcfce7,stroke:#15803d",
    "  classDef failed fill:#fee2e2,stroke:#b91c1c",
    "  classDef never fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4 4",
    "  classDef hook fill:#fef3c7,stroke:#b45309",
)


def failure_mermaid(failure: Failure) -> str:
    lines = ["flowchart TD"]
    ran = [*failure.done, failure.failing] if failure.failing else []
    steps = [*ran, *failure.never_run]
    for number, step in enumerate(steps, start=1):
        lines.append(step_node(f"step{number}", number, step))
    failed = failure.step + 1 if failure.step is not None else 0
    lines.append("  failed((Failed))")
    if failed == 0:
        lines.insert(1, f"  precreate[{label(f'before the dry run: {failure.task.label}')}]")
        lines.append(f"  precreate -->|{label('fails')}| failed")
    for number in range(1, failed):
        lines.append(f"  step{number} --> step{number + 1}")
    if failure.sync_fail:
        lines.append(f"  syncfail[{label('SyncFail, all at once: ' + _names(failure.sync_fail))}]")
        lines.append(f"  step{failed} -->|{label(failure.task.label + ' fails')}| syncfail --> failed")
    elif failed:
        lines.append(f"  step{failed} -->|{label(failure.task.label + ' fails')}| failed")
    for number in range(max(failed, 1), len(steps)):
        lines.append(f"  step{number} -.-x|never| step{number + 1}")
    classes = [
        ("ran", [n for n in range(1, failed)]),
        ("failed", [failed] if failed else []),
        ("never", list(range(failed + 1, len(steps) + 1))),
    ]
    lines += CLASSES[:3]
    lines += [
        f"  class {','.join(f'step{n}' for n in numbers)} {name}" for name, numbers in classes if numbers
    ]
    return joined(lines) + "\n"


FAILURE_RENDERERS: dict[str, Callable[[Failure], str]] = {
    "text": failure_text,
    "json": failure_json,
    "markdown": failure_markdown,
    "mermaid": failure_mermaid,
}
