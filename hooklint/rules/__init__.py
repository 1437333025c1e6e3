"""The rule registry: every rule module, listed explicitly; rules are kept in id order."""

from __future__ import annotations

from hooklint.rules import (
    dependencies,
    drift,
    duplicates,
    helm,
    hooks,
    hygiene,
    lifecycle,
    misplaced,
    options,
    ordering,
    values,
    versions,
)
from hooklint.rules import input as input_rules
from hooklint.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *input_rules.RULES,
            *duplicates.RULES,
            *values.RULES,
            *misplaced.RULES,
            *helm.RULES,
            *options.RULES,
            *versions.RULES,
            *lifecycle.RULES,
            *hooks.RULES,
            *drift.RULES,
            *dependencies.RULES,
            *ordering.RULES,
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
