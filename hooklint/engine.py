"""Runs the active rules over one application and returns their findings in a fixed order."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint import rules as registry
from hooklint import scheduler
from hooklint.config import Settings, parse_version
from hooklint.loader import LoadResult
from hooklint.model import Finding
from hooklint.rules.base import Context, Rule, Shared


class RuleCrashed(Exception):
    """A rule raised: a bug in hooklint, reported as an internal error (exit 3), never swallowed."""

    def __init__(self, rule: Rule, error: BaseException) -> None:
        super().__init__(f"rule {rule.id} ({rule.name}) crashed: {type(error).__name__}: {error}")
        self.rule = rule


def lint(load: LoadResult, settings: Settings, rules: Sequence[Rule] | None = None) -> list[Finding]:
    plan = scheduler.plan(load.resources, settings.namespace)
    return run_rules(Shared(load, plan, parse_version(settings.argocd_version)), settings, rules)


def run_rules(shared: Shared, settings: Settings, rules: Sequence[Rule] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for rule in settings.active(registry.ALL_RULES if rules is None else rules):
        context = Context(shared, rule, settings.severity_for(rule), settings.options_for(rule))
        try:
            findings.extend(rule.check(context))
        except Exception as error:
            raise RuleCrashed(rule, error) from error
    return sorted(set(findings), key=lambda f: f.sort_key)
