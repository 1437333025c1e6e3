"""Rules run in forked worker processes that share the loaded input, the plan and the graph copy-on-write."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any

from hooklint.model import Finding
from hooklint.rules.base import Rule

# Below this many objects a fork costs more than it saves (a pre-commit run on one app stays in one process).
MIN_RESOURCES = 2000

Runner = Callable[[Rule], list[Finding]]
_state: tuple[Runner, Sequence[Rule]] | None = None  # set just before forking; workers inherit it


def usable(jobs: int, resources: int) -> bool:
    return jobs > 1 and resources >= MIN_RESOURCES and "fork" in multiprocessing.get_all_start_methods()


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


def _work(batch: list[int]) -> list[tuple[str, Any]]:
    assert _state is not None
    run, rules = _state
    results: list[tuple[str, Any]] = []
    for index in batch:
        try:
            results.append(("ok", run(rules[index])))
        except Exception as error:  # handed back as text (rules and their errors may not pickle)
            results.append(("error", str(error)))
    return results


def run_rules(run: Runner, rules: Sequence[Rule], jobs: int) -> list[tuple[Rule, list[Finding] | str]]:
    """Each rule's findings (or, when `run` raised, the error's text), computed by `jobs` forked workers."""
    global _state
    batches = _batches(rules, jobs)
    _state = (run, rules)
    try:
        with multiprocessing.get_context("fork").Pool(len(batches)) as pool:
            outcomes = pool.map(_work, batches)
    finally:
        _state = None
    results: list[tuple[Rule, list[Finding] | str]] = []
    for batch, outcome in zip(batches, outcomes, strict=True):
        for index, (_, value) in zip(batch, outcome, strict=True):
            results.append((rules[index], value))
    return results
