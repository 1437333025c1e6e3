"""Run settings: destination namespace, target Argo CD version, rule selection, severities and options."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from functools import lru_cache
from typing import Any

from hooklint.argocd.identity import DEFAULT_NAMESPACE
from hooklint.model import Rule, Severity
from hooklint.util.frozen import frozen

# The newest Argo CD release docs/argocd.md was checked against (docs/argocd.md#sources).
NEWEST_ARGOCD = "3.5.1"


class ConfigError(Exception):
    """A setting that cannot be used; the CLI reports it and exits 2."""


@frozen
class PathOverride:
    """`per-path`: what changes for the files a glob matches."""

    pattern: str
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)


@frozen
class ConfigSuppression:
    """`suppress`: findings of `rules` on objects matching every given field (globs) are suppressed."""

    rules: tuple[str, ...]
    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    path: str | None = None
    reason: str = ""
    line: int = 0  # where it stands in the config file, for HL000


@frozen
class Settings:
    namespace: str = DEFAULT_NAMESPACE
    argocd_version: str = NEWEST_ARGOCD
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    paths: tuple[str, ...] = ()
    applications: tuple[str, ...] = ()  # globs of application root folders in a repository of many
    exclude: tuple[str, ...] = ()
    per_path: tuple[PathOverride, ...] = ()
    suppress: tuple[ConfigSuppression, ...] = ()
    require_reason: bool = False
    inline_suppressions: bool = True
    root: str = ""  # the folder of the config file: globs are relative to it
    source: str | None = None  # the config file, when there is one
    # The folders a run may read and write (hooklint.util.confine.roots_for); none confines nothing.
    confined_to: tuple[str, ...] = ()

    def active(self, rules: Iterable[Rule]) -> list[Rule]:
        """`select` replaces the default set (rules on by default), `extend_select` adds to it, `ignore` removes;
        each selector is a rule id, a rule name or an id prefix such as HL2."""
        rules = list(rules)
        per_path = [s for o in self.per_path for s in (*o.select, *o.ignore, *o.severity)]
        suppressed = [s for entry in self.suppress for s in entry.rules]
        for selector in (
            *self.select,
            *self.extend_select,
            *self.ignore,
            *self.severity,
            *self.options,
            *per_path,
            *suppressed,
        ):
            if not any(_matches(selector, rule) for rule in rules):
                raise ConfigError(f"unknown rule {selector!r}")
        # A rule selected only for some paths still has to run; `allows` filters its findings per file.
        extra = [s for override in self.per_path for s in override.select]
        return [rule for rule in rules if self.globally_active(rule) or any(_matches(s, rule) for s in extra)]

    def globally_active(self, rule: Rule) -> bool:
        selected = any(_matches(s, rule) for s in self.select) if self.select else rule.enabled_by_default
        selected = selected or any(_matches(s, rule) for s in self.extend_select)
        return selected and not any(_matches(s, rule) for s in self.ignore)

    def allows(self, rule: Rule, path: str) -> bool:
        """Whether findings of `rule` are reported in `path`, per-path overrides included (the last match wins)."""
        allowed = self.globally_active(rule)
        for override in self.overrides_for(path):
            if any(_matches(s, rule) for s in override.select):
                allowed = True
            if any(_matches(s, rule) for s in override.ignore):
                allowed = False
        return allowed

    def path_severity(self, rule: Rule, path: str) -> Severity | None:
        """The severity a `per-path` override sets for `rule` in `path` (the last match wins), if any."""
        severity = None
        for override in self.overrides_for(path):
            for selector, value in override.severity.items():
                if _matches(selector, rule):
                    severity = value
        return severity

    def overrides_for(self, path: str) -> list[PathOverride]:
        if not self.per_path:
            return []
        relative = self.relative(path)
        return [o for o in self.per_path if glob_match(o.pattern, relative)]

    def relative(self, path: str) -> str:
        """`path` relative to the config's folder, as globs see it."""
        if not self.root or path.startswith("<"):
            return path
        return os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")

    def excluded(self, path: str) -> bool:
        relative = self.relative(path)
        return any(
            glob_match(pattern, relative) or glob_match(pattern + "/**", relative) for pattern in self.exclude
        )

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

    def rule_setup(self, rules: Sequence[Rule]) -> RuleSetup:
        """`active`, `severity_for` and `options_for` for every active rule at once. Worked out once for all
        settings that share their selection: the settings of each application of a repository differ in
        the destination namespace only, and share every other field's object (dataclasses.replace)."""
        owners = (
            self.select,
            self.extend_select,
            self.ignore,
            self.severity,
            self.options,
            self.per_path,
            self.suppress,
            rules,
        )
        key = tuple(map(id, owners))
        known = _SETUPS.get(key)
        # Each cached entry holds its owners, so no id in a key can be reused by another object meanwhile.
        if known is not None and all(a is b for a, b in zip(known[0], owners, strict=True)):
            return known[1]
        active = tuple(self.active(rules))
        setup = RuleSetup(
            active,
            {rule.id: self.severity_for(rule) for rule in active},
            {rule.id: self.options_for(rule) for rule in active},
        )
        if len(_SETUPS) >= _SETUPS_KEPT:
            _SETUPS.clear()
        _SETUPS[key] = (owners, setup)
        return setup


@frozen
class RuleSetup:
    """The active rules of some settings, with each one's severity and options (by rule id). The options are
    shared by every run with these settings: rules read them, never change them."""

    active: tuple[Rule, ...]
    severity: Mapping[str, Severity]
    options: Mapping[str, Mapping[str, Any]]


_SETUPS: dict[tuple[int, ...], tuple[tuple[object, ...], RuleSetup]] = {}
_SETUPS_KEPT = 16


def matches(selector: str, rule: Rule) -> bool:
    """Whether a selector (id, name or id prefix) names `rule`."""
    return _matches(selector, rule)


def glob_match(pattern: str, path: str) -> bool:
    """Glob with `**` for any number of folders, `*` and `?` within one name."""
    tokens = _glob_tokens(pattern.strip("/"))
    if sum(token in _STARS for token in tokens) <= 1:
        # One star cannot backtrack more than once over the path: the regular expression is safe and fast.
        return _glob(tokens).fullmatch(path) is not None
    return _glob_walk(tokens, path)


_STARS = ("*", "**", "**/")


@lru_cache(maxsize=256)
def _glob_tokens(pattern: str) -> tuple[str, ...]:
    """The pattern as tokens: `**/`, `**`, `*`, `?`, or one literal character."""
    tokens: list[str] = []
    index = 0
    while index < len(pattern):
        token = next(t for t in ("**/", "**", pattern[index]) if pattern.startswith(t, index))
        tokens.append(token)
        index += len(token)
    return tuple(tokens)


@lru_cache(maxsize=256)
def _glob(tokens: tuple[str, ...]) -> re.Pattern[str]:
    parts = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(parts.get(token) or re.escape(token) for token in tokens))


def _glob_walk(tokens: tuple[str, ...], path: str) -> bool:
    """The glob matched as an automaton, every way at once: time linear in the path for a given pattern,
    where a regular expression with several stars backtracks exponentially. A state is the index of the
    token to match next; -1-k is inside the folders a `**/` at k skips (left only at a `/`)."""
    end = len(tokens)

    def closure(states: set[int]) -> set[int]:
        pending = list(states)
        while pending:
            state = pending.pop()
            if 0 <= state < end and tokens[state] in _STARS:
                for reached in (state + 1, -1 - state) if tokens[state] == "**/" else (state + 1,):
                    if reached not in states:
                        states.add(reached)
                        pending.append(reached)
        return states

    states = closure({0})
    for char in path:
        following: set[int] = set()
        for state in states:
            if state < 0:
                following.add(state)
                if char == "/":
                    following.add(-state)  # -1-k inside, k+1 after: the same number negated
                continue
            if state == end:
                continue
            token = tokens[state]
            if token == "**" or (token == "*" and char != "/"):
                following.add(state)
            elif token == char or (token == "?" and char != "/"):
                following.add(state + 1)
        if not following:
            return False
        states = closure(following)
    return end in states


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
