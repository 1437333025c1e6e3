"""Where a hook's tasks run, as the hook rules' messages say it."""

from __future__ import annotations

from hooklint.sync.plan import Task


def where(tasks: tuple[Task, ...]) -> str:
    return " and ".join(task.where for task in tasks)
