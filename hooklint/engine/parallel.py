"""Rules run in forked worker processes that share the loaded input, the plan and the graph copy-on-write."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hooklint.model import Finding, Rule
from hooklint.util import workers

# Below this many objects a fork costs more than it saves (a pre-commit run on one app stays in one process).
MIN_RESOURCES = 2000

Runner = Callable[[Rule], list[Finding]]


def usable(jobs: int, resources: int) -> bool:
    return jobs > 1 and resources >= MIN_RESOURCES and workers.available()


def _batches(rules: Sequence[Rule], jobs: int) -> list[list[int]]:
    """Rule indexes per worker. A family of rules in one module shares derived data (Context.memo), so a
    module's rules stay together; families are dealt out largest first."""
    families: dict[str, list[int]] = {}
    for index, rule in enumerate(rules):
        families.setdefault(getattr(rule.check, "__module__", rule.id), []).append(index)
    batches: list[list[int]] = [[] for _ in range(jobs)]
    for family in sorted(families.values(), key=len, reverse=True):
        min(batches, key=len).extend(family)
    return [batch for batch in batches if batch]


def run_rules(run: Runner, rules: Sequence[Rule], jobs: int) -> list[tuple[Rule, list[Finding] | str]]:
    """Each rule's findings (or, when `run` raised, the error's text), computed by `jobs` processes."""

    def work(batch: list[int]) -> list[list[Finding] | str]:
        outcomes: list[list[Finding] | str] = []
        for index in batch:
            try:
                outcomes.append(run(rules[index]))
            except Exception as error:  # handed back as text (rules and their errors may not pickle)
                outcomes.append(str(error))
        return outcomes

    batches = _batches(rules, jobs)
    results: list[tuple[Rule, list[Finding] | str]] = []
    for batch, outcome in zip(batches, workers.run(work, batches, len(batches)), strict=True):
        results += [(rules[index], value) for index, value in zip(batch, outcome, strict=True)]
    return results
