"""Runs the active rules over one application, applies per-path settings and suppressions, and returns the
findings in a fixed order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hooklint import rules as registry
from hooklint.argocd.application import AppSettings
from hooklint.config import suppress
from hooklint.config.settings import RuleSetup, Settings, parse_version
from hooklint.engine import parallel
from hooklint.model import Finding, Rule, in_order
from hooklint.rules.annotations.hl000_unused_suppression import UNUSED_SUPPRESSION
from hooklint.rules.context import Context, Shared
from hooklint.sources.input import LoadResult
from hooklint.sync import scheduler
from hooklint.sync.changes import Changes
from hooklint.sync.plan import Plan


class RuleCrashed(Exception):
    """A rule raised: a bug in hooklint, reported as an internal error (exit 3), never swallowed."""

    def __init__(self, rule: Rule, error: BaseException | str) -> None:
        # From a worker process the error arrives as this very message.
        what = (
            error
            if isinstance(error, str)
            else f"rule {rule.id} ({rule.name}) crashed: {type(error).__name__}: {error}"
        )
        super().__init__(what)
        self.rule = rule


def lint(
    load: LoadResult,
    settings: Settings,
    rules: Sequence[Rule] | None = None,
    *,
    app: AppSettings | None = None,
    changes: Changes | None = None,
    jobs: int = 1,
) -> list[Finding]:
    """Lint one application. `app` is its Application's settings and `changes` what changed since a base
    revision, when known: both shape the plan (docs/argocd.md#prune-waves, docs/argocd.md#selective-sync, docs/argocd.md#crds-and-namespaces)."""
    plan = build_plan(load, settings, app, changes)
    return run_rules(
        Shared(load, plan, parse_version(settings.argocd_version), changes), settings, rules, jobs
    )


def build_plan(
    load: LoadResult, settings: Settings, app: AppSettings | None = None, changes: Changes | None = None
) -> Plan:
    return scheduler.plan(
        load.resources,
        settings.namespace,
        app=app,
        pruned=changes.removed if changes else (),
        in_sync=changes.unchanged if changes else None,
    )


def run_rules(
    shared: Shared, settings: Settings, rules: Sequence[Rule] | None = None, jobs: int = 1
) -> list[Finding]:
    """The findings of the active rules, in `jobs` processes when the input is large enough to gain."""
    rules = registry.ALL_RULES if rules is None else rules
    setup = settings.rule_setup(rules)
    main = [rule for rule in setup.active if rule.id != UNUSED_SUPPRESSION.id]
    findings: list[Finding] = []
    if parallel.usable(jobs, len(shared.load.resources)):
        shared.graph  # built once before the fork, so every worker shares it  # noqa: B018
        for rule, outcome in parallel.run_rules(lambda rule: _run(rule, shared, settings, setup), main, jobs):
            if isinstance(outcome, str):
                raise RuleCrashed(rule, outcome)
            findings.extend(outcome)
    else:
        for rule in main:
            findings.extend(_run(rule, shared, settings, setup))
    if shared.load.placeholders:
        from hooklint.sources.static import screen

        textual = frozenset(rule.id for rule in main if rule.reads_templates)
        absent = frozenset(rule.id for rule in main if rule.needs_every_object and shared.load.left_out)
        findings = screen(findings, shared.load.placeholders, textual, absent)
    suppressions = suppress.collect(shared.load.texts, shared.load.resources, settings)
    findings, shared.unused_suppressions = suppress.apply(findings, suppressions, settings, rules)
    if any(rule.id == UNUSED_SUPPRESSION.id for rule in setup.active):
        findings.extend(_run(UNUSED_SUPPRESSION, shared, settings, setup))
    return in_order(findings)


def _run(rule: Rule, shared: Shared, settings: Settings, setup: RuleSetup) -> list[Finding]:
    context = Context(shared, rule, setup.severity[rule.id], setup.options[rule.id])
    try:
        found = list(rule.check(context))
    except Exception as error:
        raise RuleCrashed(rule, error) from error
    if not settings.per_path:
        # Without per-path overrides every rule that runs is active everywhere (Settings.active).
        return found
    kept = []
    for finding in found:
        path = finding.span.path
        if not settings.allows(rule, path):
            continue
        severity = settings.path_severity(rule, path)
        kept.append(finding if severity is None else replace(finding, severity=severity))
    return kept
