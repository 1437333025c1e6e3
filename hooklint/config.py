"""Run settings: destination namespace, target Argo CD version, rule selection, severities and options."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hooklint.model import Severity
from hooklint.rules.base import Rule
from hooklint.scheduler import DEFAULT_NAMESPACE

# The newest Argo CD release ARGOCD.md was checked against (§0).
NEWEST_ARGOCD = "3.5.1"


class ConfigError(Exception):
    """A setting that cannot be used; the CLI reports it and exits 2."""


@dataclass(frozen=True)
class Settings:
    namespace: str = DEFAULT_NAMESPACE
    argocd_version: str = NEWEST_ARGOCD
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR

    def active(self, rules: Iterable[Rule]) -> list[Rule]:
        """`select` replaces the default set (rules on by default), `extend_select` adds to it, `ignore` removes;
        each selector is a rule id, a rule name or an id prefix such as HL2."""
        rules = list(rules)
        for selector in (*self.select, *self.extend_select, *self.ignore, *self.severity, *self.options):
            if not any(_matches(selector, rule) for rule in rules):
                raise ConfigError(f"unknown rule {selector!r}")
        chosen = []
        for rule in rules:
            selected = any(_matches(s, rule) for s in self.select) if self.select else rule.enabled_by_default
            selected = selected or any(_matches(s, rule) for s in self.extend_select)
            if selected and not any(_matches(s, rule) for s in self.ignore):
                chosen.append(rule)
        return chosen

    def severity_for(self, rule: Rule) -> Severity:
        for selector, severity in self.severity.items():
            if _matches(selector, rule):
                return severity
        return rule.severity

    def options_for(self, rule: Rule) -> dict[str, Any]:
        merged = {name: spec.get("default") for name, spec in rule.options.items()}
        for selector, values in self.options.items():
            if _matches(selector, rule):
                merged.update(values)
        return merged


def _matches(selector: str, rule: Rule) -> bool:
    selector = selector.strip()
    if selector == rule.name:
        return True
    upper = selector.upper()
    return upper.startswith("HL") and rule.id.startswith(upper)


def parse_version(text: str) -> tuple[int, int, int]:
    """ "3.4", "v2.10.1" -> (3, 4, 0), (2, 10, 1)."""
    parts = text.strip().lstrip("v").split(".")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        raise ConfigError(f"not an Argo CD version: {text!r} (expected e.g. 3.5.1)") from None
    if not 1 <= len(numbers) <= 3:
        raise ConfigError(f"not an Argo CD version: {text!r} (expected e.g. 3.5.1)")
    numbers += [0] * (3 - len(numbers))
    return numbers[0], numbers[1], numbers[2]
