"""Runs the active rules over one application, applies per-path settings and suppressions, and returns the
findings in a fixed order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hooklint import rules as registry
from hooklint import scheduler, suppress
from hooklint.config import Settings, parse_version
from hooklint.loader import LoadResult
from hooklint.model import Finding
from hooklint.rules.base import Context, Rule, Shared
from hooklint.rules.suppression import UNUSED_SUPPRESSION


class RuleCrashed(Exception):
    """A rule raised: a bug in hooklint, reported as an internal error (exit 3), never swallowed."""

    def __init__(self, rule: Rule, error: BaseException) -> None:
        super().__init__(f"rule {rule.id} ({rule.name}) crashed: {type(error).__name__}: {error}")
        self.rule = rule


def lint(load: LoadResult, settings: Settings, rules: Sequence[Rule] | None = None) -> list[Finding]:
    plan = scheduler.plan(load.resources, settings.namespace)
    return run_rules(Shared(load, plan, parse_version(settings.argocd_version)), settings, rules)


def run_rules(shared: Shared, settings: Settings, rules: Sequence[Rule] | None = None) -> list[Finding]:
    rules = registry.ALL_RULES if rules is None else rules
    active = settings.active(rules)
    findings: list[Finding] = []
    for rule in active:
        if rule.id != UNUSED_SUPPRESSION.id:
            findings.extend(_run(rule, shared, settings))
    suppressions = suppress.collect(shared.load, settings)
    findings, shared.unused_suppressions = suppress.apply(findings, suppressions, settings, rules)
    if any(rule.id == UNUSED_SUPPRESSION.id for rule in active):
        findings.extend(_run(UNUSED_SUPPRESSION, shared, settings))
    return sorted(set(findings), key=lambda f: f.sort_key)


def _run(rule: Rule, shared: Shared, settings: Settings) -> list[Finding]:
    context = Context(shared, rule, settings.severity_for(rule), settings.options_for(rule))
    try:
        found = list(rule.check(context))
    except Exception as error:
        raise RuleCrashed(rule, error) from error
    kept = []
    for finding in found:
        path = finding.span.path
        if not settings.allows(rule, path):
            continue
        severity = settings.path_severity(rule, path)
        kept.append(finding if severity is None else replace(finding, severity=severity))
    return kept
