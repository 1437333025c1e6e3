"""What the commands share: options, exit codes, the guard that maps errors to them, and reading the input."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

import click

from hooklint import __version__
from hooklint.util.frozen import frozen

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES_URL = "https://github.com/hooklint/hooklint/issues"

F = TypeVar("F", bound=Callable[..., Any])


def note(text: str) -> None:
    """Print a one-line note on standard error, the names and values in it escaped (`escape.note`)."""
    from hooklint.util import escape

    click.echo(escape.note(text), err=True)


def guarded(command: F) -> F:
    """Usage and configuration errors exit 2 with one line; anything unexpected is a bug: exit 3 with a report."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from hooklint.config.settings import ConfigError
        from hooklint.manifests.discovery import PathNotFound

        try:
            return command(*args, **kwargs)
        except PathNotFound as error:
            note(f"hooklint: no such file or directory: {error}")
            sys.exit(EXIT_USAGE)
        except ConfigError as error:
            note(f"hooklint: {error}")
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:
            from hooklint.util.workers import WorkerError, WorkerKilled

            if isinstance(error, WorkerKilled):
                click.echo(
                    "hooklint: a worker process was killed (SIGKILL), most likely by the system for lack of "
                    "memory: run with fewer --jobs, or with more memory",
                    err=True,
                )
                sys.exit(EXIT_INTERNAL)

            if isinstance(error, WorkerError):  # raised in a worker process: told as it was raised there
                kind, (filename, line, function) = error.kind, error.where
            else:
                kind, last = type(error).__name__, traceback.extract_tb(error.__traceback__)[-1]
                filename, line, function = last.filename, last.lineno or 0, last.name
            note(f"hooklint {__version__}: internal error: {kind}: {error}")
            # Where in hooklint, as its package lays the code out (engine/run.py), and no machine path.
            shown = (
                filename.rsplit("/hooklint/", 1)[-1]
                if "/hooklint/" in filename
                else filename.rsplit("/", 1)[-1]
            )
            note(f"  at {shown}:{line} in {function}")
            note(
                f"This is a bug in hooklint. Please report it with the command and the input at {ISSUES_URL}"
            )
            sys.exit(EXIT_INTERNAL)

    @wraps(command)
    def reported(*args: Any, **kwargs: Any) -> Any:
        try:
            return run(*args, **kwargs)
        except (SystemExit, click.ClickException) as ended:
            code = ended.code if isinstance(ended, SystemExit) else ended.exit_code
            if code in (EXIT_USAGE, EXIT_INTERNAL):
                # A failed run leaves no report where its own was asked for: an earlier run's, uploaded
                # as this one's, would pass for it.
                from hooklint.util import reportfile

                reportfile.remove(kwargs.get("outputs") or ())
            raise

    return reported  # type: ignore[return-value]


def read_input(
    paths: Sequence[str],
    verbose: bool,
    settings: Any,
    values: Sequence[str] = (),
    app: Any = None,
    notes: list[str] | None = None,
    prune: frozenset[str] = frozenset(),
) -> Any:
    """Load the input; a chart or kustomization folder among PATHS is rendered (helm gets the --values, then
    the Application's own Helm settings when `app` is given). What it has to say (a missing tool, and with
    `verbose` every file left out) goes to standard error, or into `notes` when given."""

    from hooklint.argocd import application
    from hooklint.sources.input import RenderOptions
    from hooklint.sources.load import load
    from hooklint.util import confine

    # Sorted, so that which copy of a duplicate comes first (HL004) does not depend on the order given.
    paths = sorted(paths) or list(settings.paths) or ["."]
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    root = confine.repository_root(os.curdir, settings.source)
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
    said = list(result.notes)
    if verbose:
        said += [f"hooklint: left out {skipped.path}: {skipped.reason}" for skipped in result.skipped]
    if notes is not None:
        notes += said
    for line in said if notes is None else ():
        note(line)
    return result


def load_settings(config_file: str | None, verbose: bool, **overrides: Any) -> Any:
    """The config file's settings (given, or found from here upwards), then the command line's on top. The
    command line's `argocd_version` and `fail_on` come as typed; a version Argo CD never had is exit 2."""
    from dataclasses import replace

    from hooklint.config import file as configfile
    from hooklint.config.settings import Settings, parse_version
    from hooklint.model import Severity
    from hooklint.rules import ALL_RULES

    path = config_file or configfile.find()
    settings = configfile.load(path, ALL_RULES) if path else Settings()
    if verbose and path:
        note(f"hooklint: using the configuration in {path}")
    changes = {key: value for key, value in overrides.items() if value not in (None, ())}
    for key in ("extend_select", "ignore"):
        if key in changes:
            changes[key] = (*getattr(settings, key), *changes[key])
    if "argocd_version" in changes:
        changes["argocd_version"] = changes["argocd_version"].lstrip("v")
    if isinstance(changes.get("fail_on"), str):
        changes["fail_on"] = Severity(changes["fail_on"])
    settings = replace(settings, **changes)
    parse_version(settings.argocd_version)
    settings.active(ALL_RULES)  # unknown selectors are a usage error before any work
    return settings


def confined(paths: Sequence[str], settings: Any) -> Any:
    """`settings` held to the repository (hooklint.util.confine): the folders the run may read and write, and
    the configured paths that lie inside them; each one outside is a note, and is not read."""
    from dataclasses import replace

    from hooklint.util import confine

    roots = confine.roots_for(paths, settings.source)
    kept = []
    for path in settings.paths:
        if confine.allowed(path, roots):
            kept.append(path)
        else:
            click.echo(f"hooklint: {path} lies outside the repository: not read", err=True)
    return replace(settings, paths=tuple(kept), confined_to=roots)


def selection_options(command: F) -> F:
    """The rule selection and the targeted Argo CD version, as lint and fix take them."""
    for option in reversed(
        (
            click.option(
                "--select",
                multiple=True,
                help="Only these rules (id, name or id prefix such as HL2); repeatable.",
            ),
            click.option("--extend-select", multiple=True, help="Add rules to the default set; repeatable."),
            click.option("--ignore", multiple=True, help="Leave these rules out; repeatable."),
            click.option(
                "--argocd-version",
                default=None,
                help="The Argo CD version the application targets (default: newest).",
            ),
        )
    ):
        command = option(command)
    return command


@frozen
class InputOptions:
    """How the commands read their input: --values, --app, --base and --namespace."""

    values: Sequence[str] = ()
    app_file: str | None = None
    base: str | None = None
    namespace: str | None = None


def read_application(
    paths: Sequence[str],
    verbose: bool,
    settings: Any,
    options: InputOptions,
    notes: list[str] | None = None,
    prune: frozenset[str] = frozenset(),
    known: Any = None,
) -> tuple[Any, Any, Any, Any]:
    """The input read as its Application syncs it: (the Application, the settings with its destination
    namespace unless --namespace says otherwise, the changes since --base, the loaded input).

    The Application is the one --app names, else the one `known` beforehand (found elsewhere in a
    repository of applications): either is read first, so a chart folder is rendered once, as that
    Application renders it. Else it is the input's own Application whose source path is an input folder.
    Folders in `prune` (other applications) are not entered, now or at --base."""
    from dataclasses import replace

    def read(settings: Any, app: Any) -> Any:
        return read_input(paths, verbose, settings, options.values, app, notes, prune)

    def destination(settings: Any, app: Any) -> Any:
        if app is None or not app.namespace or options.namespace:
            return settings
        return replace(settings, namespace=app.namespace)

    app = read_app_file(options.app_file) if options.app_file else known
    settings = destination(settings, app)
    loaded = read(settings, app)
    inputs = list(paths) or list(settings.paths) or ["."]
    read_for_app = app is not None
    if app is None:
        from hooklint.argocd import application

        app = application.choose(loaded.resources, inputs)
        if app is not None and not application.inside_source(app, inputs):
            # The Application describes the manifests; it is not one of them unless it lives among them.
            loaded = replace(loaded, resources=tuple(r for r in loaded.resources if r is not app.resource))
        settings = destination(settings, app)
    if app is not None and _chart_given(inputs):
        if not read_for_app:
            loaded = read(settings, app)  # the chart again, as the Application renders it
        chosen = app.resource
        loaded = replace(loaded, resources=tuple(r for r in loaded.resources if not same_object(r, chosen)))
    changes = _changes(options.base, inputs, loaded, settings, app, prune) if options.base else None
    return app, settings, changes, loaded


def _chart_given(inputs: Sequence[str]) -> bool:
    """Whether a chart folder is among the inputs; asked only when an Application deploys them."""
    return "-" not in inputs and any(os.path.isfile(os.path.join(p, "Chart.yaml")) for p in inputs)


def _changes(
    base: str, inputs: Sequence[str], loaded: Any, settings: Any, app: Any, prune: frozenset[str]
) -> Any:
    """What changed since the --base revision, the Application itself left out."""
    from hooklint.sources import git as gitsource
    from hooklint.sync import changes as diff

    before = gitsource.load_at(base, inputs, prune).resources
    if app is not None and app.resource not in loaded.resources:
        same = (app.resource.group, app.resource.kind, app.resource.name)
        before = tuple(r for r in before if (r.group, r.kind, r.name) != same)
    return diff.compare(base, before, loaded.resources, settings.namespace)


def read_app_file(app_file: str) -> Any:
    """The first Argo CD Application in `app_file` (--app)."""
    from hooklint.argocd import application
    from hooklint.config.settings import ConfigError
    from hooklint.sources.load import load

    found = [r for r in load([app_file]).resources if application.is_application(r)]
    if not found:
        raise ConfigError(f"--app: {app_file} holds no argoproj.io Application")
    return application.read(found[0])


def same_object(one: Any, other: Any) -> bool:
    return (one.group, one.kind, one.name, one.path) == (other.group, other.kind, other.name, other.path)


app_option = click.option(
    "--app",
    "app_file",
    type=click.Path(exists=True, dir_okay=False),
    help="The Argo CD Application manifest (default: an input Application whose source path is an input folder).",
)
base_option = click.option(
    "--base",
    default=None,
    metavar="REF",
    help="Compare with the manifests at this git revision: prune tasks for what is gone, and what changed.",
)
namespace_option = click.option(
    "--namespace",
    "-n",
    default=None,
    help="The Application's destination namespace, for objects that name none (default: default).",
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    help="The configuration file (default: .hooklint.yaml or pyproject.toml found from here upwards).",
)
values_option = click.option(
    "--values",
    "-f",
    "values",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A values file for `helm template` when a chart folder is given; repeatable, later files win.",
)
applications_option = click.option(
    "--applications",
    "application_globs",
    multiple=True,
    metavar="GLOB",
    help="Folders that are each one application (e.g. 'apps/*'), linted apart; repeatable.",
)
affected_option = click.option(
    "--affected",
    is_flag=True,
    help="PATHS are changed files: only each application root (--applications) holding one, whole, "
    "within the configured paths (for pre-commit in a repository of many applications).",
)


class FilesLastCommand(click.Command):
    """A command that remembers its arguments before `--`, where an option is read as one: pre-commit puts
    the changed files after the options, and a file may be named like one (see application_roots)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_BEFORE_END] = args[: args.index("--")] if "--" in args else list(args)
        return super().parse_args(ctx, args)


_BEFORE_END = "hooklint.before_end_of_options"


def application_roots(
    given: Sequence[str], settings: Any, affected: bool, paths: Sequence[str]
) -> tuple[str, ...]:
    """The globs of the application roots: --applications, else the configuration's. --affected names
    changed files within application roots: it needs the roots, and no standard input; and an option
    that is also a file's name is a usage error unless the options ended (`--`) before it, as a file
    committed as `--select=HL000` would otherwise choose the rules of the run."""
    if affected:
        context = click.get_current_context(silent=True)
        for arg in context.meta.get(_BEFORE_END, ()) if context is not None else ():
            if arg.startswith("-") and arg != "-" and os.path.lexists(arg):
                raise click.UsageError(
                    f"{arg!r} names a file, yet it was read as an option: with --affected, end the "
                    "options with `--` before the file names"
                )
    globs = tuple(given) or tuple(settings.applications)
    if affected and not globs:
        raise click.UsageError(
            "--affected needs application roots: --applications GLOB, or `applications` in the configuration"
        )
    if affected and "-" in paths:
        raise click.UsageError("--affected takes changed files, not standard input")
    return globs


verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say which files were left out and why.")
diff_option = click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
unsafe_fixes_option = click.option("--unsafe-fixes", is_flag=True, help="Also apply the fixes marked unsafe.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
