"""The rule registry: every rule, explicitly, in id order."""

from __future__ import annotations

from hooklint.rules import input as input_rules
from hooklint.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    input_rules.INVALID_YAML,
    input_rules.NOT_A_KUBERNETES_OBJECT,
    input_rules.UNRENDERED_TEMPLATE,
)


def get(selector: str) -> Rule | None:
    """A rule by id (any case) or name."""
    for rule in ALL_RULES:
        if selector.upper() == rule.id or selector == rule.name:
            return rule
    return None
