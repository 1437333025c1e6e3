"""The sync plan's diff with the findings the change introduces and resolves (`explain --base`): the plan's
part is computed in hooklint.sync.plandiff, the findings' here, where the rules run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from hooklint.argocd.application import AppSettings
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Finding, StableEntry, stable_entry
from hooklint.sources.input import LoadResult
from hooklint.sync.changes import Changes
from hooklint.sync.plandiff import PlanDiff, plan_diff


def sync_diff(
    changes: Changes,
    loaded: LoadResult,
    settings: Settings,
    app: AppSettings | None,
    inputs: Sequence[str],
    prune: frozenset[str] = frozenset(),
) -> PlanDiff:
    """The plan's diff since `changes.base` for the input read from `inputs`, the findings included: the
    base is linted as read at its revision, with the same settings and Application."""
    from hooklint.sources import git

    before = git.load_at(changes.base, inputs, prune)
    # The Application itself is left out of the changes, so of the plan at the base: of its lint too.
    spans = {resource.span for resource in changes.before}
    before = replace(before, resources=tuple(r for r in before.resources if r.span in spans))
    introduced, resolved = diff_findings(before, loaded, settings, app, changes, git.same_file(changes.base))
    found = plan_diff(changes, loaded.resources, settings.namespace, app)
    return replace(found, introduced=tuple(introduced), resolved=tuple(resolved))


def diff_findings(
    before: LoadResult,
    after: LoadResult,
    settings: Settings,
    app: AppSettings | None,
    changes: Changes,
    same_file: Callable[[str], str],
) -> tuple[list[Finding], list[Finding]]:
    """(introduced, resolved): the findings of the input now that were not at the base, and those at the
    base that are gone, matched by rule and object (see _unmatched), which ignores positions. A finding about
    a whole file is matched by its file, which `same_file` names alike on both sides (the base's files are
    `REF:path`)."""
    old = lint(before, settings, app=app)
    new = lint(after, settings, app=app, changes=changes)
    return _unmatched(new, old, same_file), _unmatched(old, new, same_file)


def _unmatched(
    found: Sequence[Finding], other: Sequence[Finding], same_file: Callable[[str], str]
) -> list[Finding]:
    """The findings of `found` beyond those of `other` by the same rule about the same object (or file), as
    many times as it has them. Messages name where an object runs (its phase and wave), so a hook that only
    moves keeps its findings under other words: the message only decides which of an object's findings
    pair, the same words first."""

    def entry(finding: Finding) -> StableEntry:
        stable = stable_entry(finding)
        return (
            stable if finding.resource is not None else replace(stable, resource=same_file(stable.resource))
        )

    left = Counter(entry(finding) for finding in other)
    worded = []
    for finding in found:
        key = entry(finding)
        if left[key]:
            left[key] -= 1
        else:
            worded.append((finding, key))
    # What the same words left unpaired, paired by rule and object alone.
    loose: Counter[tuple[str, str]] = Counter()
    for key, count in left.items():
        loose[key.rule, key.resource] += count
    kept = []
    for finding, key in worded:
        if loose[key.rule, key.resource]:
            loose[key.rule, key.resource] -= 1
        else:
            kept.append(finding)
    return kept
