"""The input read as its Application syncs it: which Application deploys the paths, a chart folder rendered
as that Application renders it, and what changed since a git revision."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.argocd.application import AppSettings
    from hooklint.config.settings import Settings
    from hooklint.model import Resource
    from hooklint.sources.input import LoadResult
    from hooklint.sync.changes import Changes

Tell = Callable[[str], None]  # takes each line the reading has to say, for standard error


@frozen(eq=False)
class InputOptions:
    """How the input is read: --values, --app, --base and --namespace."""

    values: Sequence[str] = ()
    app_file: str | None = None
    base: str | None = None
    namespace: str | None = None


@frozen(eq=False)
class AppInput:
    """The loaded input, the Application that deploys it (when one does), the settings with that
    Application's destination namespace, and the changes since --base (when given)."""

    app: AppSettings | None
    settings: Settings
    changes: Changes | None
    loaded: LoadResult


def read_application(
    paths: Sequence[str],
    settings: Settings,
    options: InputOptions,
    *,
    verbose: bool,
    tell: Tell,
    prune: frozenset[str] = frozenset(),
    known: AppSettings | None = None,
) -> AppInput:
    """The input read as its Application syncs it, the settings with its destination namespace unless
    --namespace says otherwise.

    The Application is the one --app names, else the one `known` beforehand (found elsewhere in a
    repository of applications): either is read first, so a chart folder is rendered once, as that
    Application renders it. Else it is the input's own Application whose source path is an input folder.
    Folders in `prune` (other applications) are not entered, now or at --base. What the reading has to say
    goes to `tell`, line by line, as it is said."""

    told: set[str] = set()

    def once(line: str) -> None:  # a chart read again as its Application renders it says the same again
        if line not in told:
            told.add(line)
            tell(line)

    def read(settings: Settings, app: AppSettings | None) -> LoadResult:
        return _read_input(paths, settings, options.values, app, prune, verbose=verbose, tell=once)

    def destination(settings: Settings, app: AppSettings | None) -> Settings:
        if app is None or not app.namespace or options.namespace:
            return settings
        return replace(settings, namespace=app.namespace)

    inputs = list(paths) or list(settings.paths) or ["."]
    app = read_app_file(options.app_file, inputs) if options.app_file else known
    settings = destination(settings, app)
    loaded = read(settings, app)
    read_for_app = app is not None
    if app is None:
        from hooklint.argocd import application

        app = application.choose(loaded.resources, inputs)
        if app is not None and not application.inside_source(app, inputs):
            # The Application describes the manifests; it is not one of them unless it lives among them.
            chosen = app.resource
            loaded = replace(loaded, resources=tuple(r for r in loaded.resources if r is not chosen))
        settings = destination(settings, app)
    if app is not None and _chart_given(inputs):
        if not read_for_app:
            loaded = read(settings, app)  # the chart again, as the Application renders it
        chosen = app.resource
        loaded = replace(loaded, resources=tuple(r for r in loaded.resources if not _same_object(r, chosen)))
    changes = _changes(options.base, inputs, loaded, settings, app, prune) if options.base else None
    return AppInput(app, settings, changes, loaded)


def read_app_file(app_file: str, inputs: Sequence[str]) -> AppSettings:
    """The Argo CD Application in `app_file` (--app) that deploys an input folder (application.choose),
    else its first: one file may hold the Applications of several folders."""
    from hooklint.argocd import application
    from hooklint.config.settings import ConfigError
    from hooklint.sources.load import load

    found = [r for r in load([app_file]).resources if application.is_application(r)]
    if not found:
        raise ConfigError(f"--app: {app_file} holds no argoproj.io Application")
    return application.choose(found, inputs) or application.read(found[0])


def _read_input(
    paths: Sequence[str],
    settings: Settings,
    values: Sequence[str],
    app: AppSettings | None,
    prune: frozenset[str],
    *,
    verbose: bool,
    tell: Tell,
) -> LoadResult:
    """Load the input; a chart or kustomization folder among PATHS is rendered (helm gets the --values, then
    the Application's own Helm settings when `app` is given). What it has to say (a missing tool, and with
    `verbose` every file left out) goes to `tell`."""
    from hooklint.argocd import application
    from hooklint.sources.input import RenderOptions
    from hooklint.sources.load import load
    from hooklint.util import confine

    # Sorted, so that which copy of a duplicate comes first (HL004) does not depend on the order given.
    paths = sorted(paths) or list(settings.paths) or ["."]
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    # A confined run has found the repository holding the current folder already (confine.roots_for puts it
    # first): looking for it again climbed every parent folder once per application.
    root = (
        settings.confined_to[0]
        if settings.confined_to
        else confine.repository_root(os.curdir, settings.source)
    )
    render = RenderOptions(tuple(values), settings.namespace, root=root)
    if app is not None:
        # Argo CD reads valueFiles relative to the chart (its source path), after which come the inline
        # values and the parameters; the release is named after the Application unless releaseName says.
        charts = [p for p in paths if os.path.isfile(os.path.join(p, "Chart.yaml"))]
        own, refused = application.helm_inputs(app, charts[0], root) if charts else ((), ())
        render = RenderOptions(
            (*own, *values),
            settings.namespace,
            release=app.release or app.name,
            values_text=app.values_text,
            parameters=app.parameters,
            root=root,
            refused=refused,
        )
    result = load(
        paths, stdin, settings.excluded if settings.exclude else None, render, prune, settings.confined_to
    )
    for line in result.notes:
        tell(line)
    if verbose:
        for skipped in result.skipped:
            tell(f"hooklint: left out {skipped.path}: {skipped.reason}")
    return result


def _chart_given(inputs: Sequence[str]) -> bool:
    """Whether a chart folder is among the inputs; asked only when an Application deploys them."""
    return "-" not in inputs and any(os.path.isfile(os.path.join(p, "Chart.yaml")) for p in inputs)


def _changes(
    base: str,
    inputs: Sequence[str],
    loaded: LoadResult,
    settings: Settings,
    app: AppSettings | None,
    prune: frozenset[str],
) -> Changes:
    """What changed since the --base revision, the Application itself left out."""
    from hooklint.sources import git as gitsource
    from hooklint.sync import changes as diff

    before = gitsource.load_at(base, inputs, prune).resources
    if app is not None and app.resource not in loaded.resources:
        same = (app.resource.group, app.resource.kind, app.resource.name)
        before = tuple(r for r in before if (r.group, r.kind, r.name) != same)
    return diff.compare(base, before, loaded.resources, settings.namespace)


def _same_object(one: Resource, other: Resource) -> bool:
    return (one.group, one.kind, one.name, one.path) == (other.group, other.kind, other.name, other.path)
