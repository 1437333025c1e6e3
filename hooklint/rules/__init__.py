"""The rule registry: every rule module, listed explicitly; rules are kept in id order."""

from __future__ import annotations

from hooklint.model import Rule
from hooklint.rules import (
    dependencies,
    diff,
    drift,
    duplicates,
    failure_and_deletion,
    helm,
    hooks,
    hygiene,
    jobs,
    lifecycle,
    misplaced,
    missing,
    options,
    ordering,
    ordering_hooks,
    suppression,
    values,
    versions,
)
from hooklint.rules import input as input_rules

ALL_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *suppression.RULES,
            *input_rules.RULES,
            *duplicates.RULES,
            *values.RULES,
            *misplaced.RULES,
            *helm.RULES,
            *options.RULES,
            *versions.RULES,
            *lifecycle.RULES,
            *jobs.RULES,
            *hooks.RULES,
            *diff.RULES,
            *failure_and_deletion.RULES,
            *drift.RULES,
            *dependencies.RULES,
            *missing.RULES,
            *ordering.RULES,
            *ordering_hooks.RULES,
            *hygiene.RULES,
        ),
        key=lambda rule: rule.id,
    )
)


def get(selector: str) -> Rule | None:
    """A rule by id (any case) or name."""
    for rule in ALL_RULES:
        if selector.upper() == rule.id or selector == rule.name:
            return rule
    return None
