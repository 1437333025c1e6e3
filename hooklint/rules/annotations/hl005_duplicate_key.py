"""HL005: a key written twice in one mapping, whose first value Argo CD drops (docs/argocd.md#duplicate-keys)."""

from __future__ import annotations

from hooklint import model
from hooklint.model import Rule, Severity
from hooklint.rules.context import input_problems

DUPLICATE_KEY = Rule(
    id=model.DUPLICATE_KEY,
    name="duplicate-key",
    summary="A key written twice in one mapping: Argo CD keeps the last value and silently drops the first.",
    severity=Severity.ERROR,
    check=input_problems,
)

RULES: tuple[Rule, ...] = (DUPLICATE_KEY,)
