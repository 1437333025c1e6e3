"""The workspace as the server sees it: the settings, each open file's application (its root found as `lint`
finds it), read from disk once and kept while its files do not change, with the editor's buffers laid over
it, then planned and linted as `lint` does."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import field, replace
from typing import TYPE_CHECKING, TypeVar, cast

from hooklint import rules as registry
from hooklint.config import file as configfile
from hooklint.config.settings import Settings, parse_version
from hooklint.engine.run import build_plan, run_rules
from hooklint.fix import fixer
from hooklint.manifests.discovery import YAML_SUFFIXES
from hooklint.model import Finding, Resource
from hooklint.rules.context import Shared
from hooklint.sources import partition
from hooklint.sources.app_input import AppInput, InputOptions, read_application
from hooklint.util import confine
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.argocd.application import AppSettings
    from hooklint.graph import Graph
    from hooklint.sources.input import LoadResult
    from hooklint.sync.plan import Plan

Tell = Callable[[str], None]
T = TypeVar("T")


@frozen(eq=False)
class Analysis:
    """One application as the editor shows it: its input (buffers over the disk), plan, graph and findings."""

    load: LoadResult
    settings: Settings
    app: AppSettings | None
    plan: Plan
    shared: Shared
    findings: list[Finding]
    # What code actions worked out for this analysis (each re-lints): asked again on every cursor move.
    memos: dict[object, object] = field(default_factory=dict)

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        if key not in self.memos:
            self.memos[key] = compute()
        return cast(T, self.memos[key])

    @property
    def graph(self) -> Graph:
        return self.shared.graph

    def resources_in(self, path: str) -> list[Resource]:
        return [resource for resource in self.load.resources if resource.path == path]

    def findings_in(self, path: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.span.path == path]

    def lint(self, load: LoadResult, settings: Settings) -> list[Finding]:
        """The lint the fixer runs again after each round: this application's, as `hooklint fix` runs it."""
        return lint(load, settings, self.app)[2]


def lint(load: LoadResult, settings: Settings, app: AppSettings | None) -> tuple[Plan, Shared, list[Finding]]:
    """The plan, what the rules share, and the findings of one application, as the engine lints it."""
    plan = build_plan(load, settings, app)
    shared = Shared(load, plan, parse_version(settings.argocd_version))
    return plan, shared, run_rules(shared, settings)


def load_settings(config_file: str | None) -> Settings:
    """The configuration in force for the workspace (the current folder), held to its repository, as the
    command line reads it without options. A bad configuration raises ConfigError."""
    path = config_file or configfile.find()
    settings = configfile.load(path, registry.ALL_RULES) if path else Settings()
    parse_version(settings.argocd_version)
    settings.active(registry.ALL_RULES)  # unknown selectors are an error before any work
    roots = confine.roots_for((), settings.source)
    kept = tuple(path for path in settings.paths if confine.allowed(path, roots))
    return replace(settings, paths=kept, confined_to=roots)


def display_path(fs_path: str) -> str | None:
    """A file's path as hooklint names it, relative to the workspace (the current folder); None outside it."""
    relative = os.path.relpath(os.path.abspath(fs_path))
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


@frozen(eq=False)
class _Disk:
    """An application as read from disk, and the state of its files then."""

    read: AppInput
    stamps: dict[str, tuple[int, int]]

    def current(self) -> bool:
        return all(_stamp(path) == stamp for path, stamp in self.stamps.items())


def _stamp(path: str) -> tuple[int, int]:
    try:
        status = os.stat(path)
    except OSError:
        return (-1, -1)
    return (status.st_mtime_ns, status.st_size)


PartKey = tuple[tuple[str, ...], frozenset[str]]


class Workspace:
    """The settings and the applications read so far; `buffers` maps each open file (display path) to its
    text in the editor."""

    def __init__(self, config_file: str | None = None, tell: Tell | None = None) -> None:
        self.config_file = config_file
        self.tell: Tell = tell or (lambda _line: None)
        self.buffers: dict[str, str] = {}
        self.settings = Settings()
        self._parts: dict[str, partition.Part] = {}
        self._found: list[partition.Part] | None = None  # the roots found, without configured globs
        self._disk: dict[PartKey, _Disk] = {}
        self._done: dict[PartKey, tuple[dict[str, str], Analysis]] = {}

    def reload_settings(self) -> None:
        """Read the configuration again (raises ConfigError) and forget everything read with the old one."""
        self.settings = load_settings(self.config_file)
        self.forget()

    def forget(self, layout: bool = True) -> None:
        """Forget what was read from disk; with `layout`, also which application each file belongs to."""
        if layout:
            self._parts.clear()
            self._found = None
        self._disk.clear()
        self._done.clear()

    def part_of(self, path: str) -> partition.Part:
        """The application `path` belongs to, as `lint` finds it: its root under the configured
        `applications` globs (the files outside every root are one more application); without globs, the
        deepest of the roots found as Argo CD sees the repository that holds it; a file outside them all
        is an application alone."""
        part = self._parts.get(path)
        if part is None:
            part = self._holding(path) or self._configured(path)
            self._parts[path] = part
        return part

    def _configured(self, path: str) -> partition.Part:
        parts = partition.parts_of([path], self.settings.applications, self.settings, affected=True)
        return parts[0] if parts else partition.Part((path,))

    def _holding(self, path: str) -> partition.Part | None:
        if self.settings.applications:
            return None
        if self._found is None:
            given = partition.scope((), self.settings, affected=True)
            self._found = partition.discovered([p for p in given if os.path.isdir(p)], self.settings)
        holding = [part for part in self._found if part.holds(path)]
        return max(holding, key=lambda part: len(part.paths[0]), default=None)

    def analyse(self, path: str) -> Analysis:
        """The analysis of the application holding `path`, with the open files' buffers; worked out again
        only when a buffer or a file on disk changed."""
        part = self.part_of(path)
        key: PartKey = (part.paths, part.prune)
        disk = self._disk.get(key)
        if disk is None or not disk.current():
            disk = self._disk[key] = self._read(part)
            self._done.pop(key, None)
        loaded = disk.read.loaded
        overlay = {
            p: text for p, text in self.buffers.items() if p in loaded.texts and text != loaded.texts[p]
        }
        done = self._done.get(key)
        if done is not None and done[0] == overlay:
            return done[1]
        load = fixer.reload(loaded, overlay) if overlay else loaded
        settings = disk.read.settings
        plan, shared, findings = lint(load, settings, disk.read.app)
        analysis = Analysis(load, settings, disk.read.app, plan, shared, findings)
        self._done[key] = (overlay, analysis)
        return analysis

    def _read(self, part: partition.Part) -> _Disk:
        read = read_application(
            part.paths,
            self.settings,
            InputOptions(),
            verbose=False,
            tell=self.tell,
            prune=part.prune,
            known=part.app,
        )
        return _Disk(read, {path: _stamp(path) for path in read.loaded.files})


def is_manifest(path: str) -> bool:
    return path.endswith(YAML_SUFFIXES)


def fixed_texts(analysis: Analysis, unsafe: bool = False) -> Mapping[str, str]:
    """Every file's text after `hooklint fix` (with `unsafe`, `--unsafe-fixes`) on this application."""
    return analysis.memo(
        ("fix", unsafe),
        lambda: fixer.fix(analysis.load, analysis.settings, analysis.lint, unsafe=unsafe).texts,
    )


def fix_alone(analysis: Analysis, finding: Finding) -> Finding | None:
    """The finding with its fix as `hooklint fix` applies it alone, or None (fixer.alone)."""
    return analysis.memo(
        ("alone", id(finding)),
        lambda: fixer.alone(analysis.load, analysis.settings, analysis.lint, analysis.findings, finding),
    )
