"""Placeholder: filled in by the rule catalogue work."""

from __future__ import annotations

from hooklint.rules.base import Rule

RULES: tuple[Rule, ...] = ()
