"""HL000: a suppression that suppresses nothing (or lacks the reason the config requires)."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint import model
from hooklint.model import Finding, Rule, Severity
from hooklint.rules.context import Context


def _unused(ctx: Context) -> Iterator[Finding]:
    # The engine runs this rule after the suppression pass, which records what went unused.
    for unused in ctx.unused_suppressions:
        yield ctx.finding(unused.span, unused.message)


UNUSED_SUPPRESSION = Rule(
    id=model.UNUSED_SUPPRESSION,
    name="unused-suppression",
    summary="A suppression comment, annotation or config entry that suppresses nothing.",
    severity=Severity.WARNING,
    check=_unused,
)

RULES: tuple[Rule, ...] = (UNUSED_SUPPRESSION,)
