"""What the verbs share: exit codes, notes on standard error, the options and the typed values they arrive
as, and the settings built from them."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

import click

from hooklint.sources.app_input import InputOptions
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.config.settings import Settings
    from hooklint.model import Finding

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, as a shell reports a process a closed pipe ended
ISSUES_URL = "https://github.com/hooklint/hooklint/issues"

Options = TypeVar("Options")
C = TypeVar("C", bound=Callable[..., object])


def note(text: str) -> None:
    """Print a one-line note on standard error, the names and values in it escaped (`escape.note`)."""
    from hooklint.util import escape

    click.echo(escape.note(text), err=True)


def takes(options: Callable[..., Options]) -> Callable[[Callable[[Options], int]], Callable[..., int]]:
    """The verb receives its click parameters as one typed value, built from them by name, and returns its
    exit code (cli.main exits with it)."""

    def decorate(verb: Callable[[Options], int]) -> Callable[..., int]:
        @wraps(verb)
        def run(**params: object) -> int:
            return verb(options(**params))

        return run

    return decorate


# The options values are built once per run and never compared: without eq and hash, the dataclass machinery
# generates two methods fewer per class at start-up, which every run pays (about 1 M instructions a class).
@frozen(eq=False)
class ReadOptions:
    """The options of every verb that reads manifests: PATHS, --config, --app, --base, --namespace and
    --verbose."""

    paths: tuple[str, ...]
    config_file: str | None
    app_file: str | None
    base: str | None
    namespace: str | None
    verbose: bool

    def input(self, values: Sequence[str] = ()) -> InputOptions:
        return InputOptions(values, self.app_file, self.base, self.namespace)


@frozen(eq=False)
class FixOptions(ReadOptions):
    """The options `fix` takes, and `lint` too: the rule selection, the Argo CD version, --fail-on, the
    application roots, and how fixes are applied."""

    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    argocd_version: str | None
    fail_on: str | None
    application_globs: tuple[str, ...]
    affected: bool
    diff: bool
    unsafe_fixes: bool

    def settings(self, inline_suppressions: bool | None = None) -> Settings:
        """The settings of the run, held to the repository."""
        loaded = load_settings(
            self.config_file,
            self.verbose,
            namespace=self.namespace,
            argocd_version=self.argocd_version,
            select=self.select,
            extend_select=self.extend_select,
            ignore=self.ignore,
            fail_on=self.fail_on,
            inline_suppressions=inline_suppressions,
        )
        return confined(self.paths, loaded)


def load_settings(
    config_file: str | None,
    verbose: bool,
    *,
    namespace: str | None = None,
    argocd_version: str | None = None,
    select: tuple[str, ...] = (),
    extend_select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    fail_on: str | None = None,
    inline_suppressions: bool | None = None,
) -> Settings:
    """The config file's settings (given, or found from here upwards), then the command line's on top: what
    it leaves out (None, or no selector) keeps the file's. A version Argo CD never had is exit 2."""
    from dataclasses import replace

    from hooklint.config import file as configfile
    from hooklint.config.settings import Settings, parse_version
    from hooklint.model import Severity
    from hooklint.rules import ALL_RULES

    path = config_file or configfile.find()
    settings = configfile.load(path, ALL_RULES) if path else Settings()
    if verbose and path:
        note(f"hooklint: using the configuration in {path}")
    settings = replace(
        settings,
        namespace=settings.namespace if namespace is None else namespace,
        argocd_version=settings.argocd_version if argocd_version is None else argocd_version.lstrip("v"),
        select=select or settings.select,
        extend_select=(*settings.extend_select, *extend_select),
        ignore=(*settings.ignore, *ignore),
        fail_on=settings.fail_on if fail_on is None else Severity(fail_on),
        inline_suppressions=settings.inline_suppressions
        if inline_suppressions is None
        else inline_suppressions,
    )
    parse_version(settings.argocd_version)
    settings.active(ALL_RULES)  # unknown selectors are a usage error before any work
    return settings


def confined(paths: Sequence[str], settings: Settings) -> Settings:
    """`settings` held to the repository (hooklint.util.confine): the folders the run may read and write, and
    the configured paths that lie inside them; each one outside is a note, and is not read."""
    from dataclasses import replace

    from hooklint.util import confine

    roots = confine.roots_for(paths, settings.source)
    return replace(settings, paths=_inside(settings.paths, roots), confined_to=roots)


def _inside(paths: Sequence[str], roots: tuple[str, ...], given: bool = False) -> tuple[str, ...]:
    """`paths` that lie inside `roots` (confine.allowed); each other one is a note and is left out. `given`:
    paths from the command line, where standard input and a path that does not exist pass (the latter is an
    error of its own, later)."""
    from hooklint.util import confine

    kept = []
    for path in paths:
        if (given and (path == "-" or not os.path.lexists(path))) or confine.allowed(path, roots):
            kept.append(path)
        else:
            click.echo(f"hooklint: {path} lies outside the repository: not read", err=True)
    return tuple(kept)


Read = TypeVar("Read", bound=ReadOptions)


def held(options: Read, settings: Settings) -> Read | None:
    """`options` held to the repository as `settings` are (confined), before anything lists or reads what
    they name: a path given on the command line that leads outside through a link is a note and is left
    out (None where none is left: nothing can be checked), and an --app file that does stops the run
    (held_file)."""
    from dataclasses import replace

    if options.app_file is not None:
        held_file(options.app_file, options.paths, settings)
    kept = _inside(options.paths, settings.confined_to, given=True)
    if options.paths and not kept:
        return None
    return replace(options, paths=kept)


def held_file(path: str, paths: Sequence[str], settings: Settings) -> None:
    """A ConfigError where a file named by an option (--app, --baseline) leads outside the repository through
    a link; named outside it by its own name, it is the user's choice and is read (confine.roots_for)."""
    from hooklint.config.settings import ConfigError
    from hooklint.util import confine

    if not confine.allowed(path, confine.roots_for([*paths, path], settings.source)):
        raise ConfigError(f"{path} lies outside the repository: not read")


def nothing_checked(paths: Sequence[str], settings: Settings, said: Sequence[Finding] = ()) -> int:
    """Exit 2 where nothing could be checked (docs/design-notes.md#exit-codes): what was found on the way
    (a failed build), then one line naming the input. A report of no finding would pass for a clean run."""
    for finding in said:
        span = finding.span
        note(f"{span.path}:{span.line}:{span.column}: {finding.rule} {finding.message}")
    shown = ", ".join(paths or settings.paths or ["."])
    note(f"hooklint: nothing was checked: no manifest could be read from {shown}")
    return EXIT_USAGE


def selection_options(command: C) -> C:
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


app_option = click.option(
    "--app",
    "app_file",
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "The Argo CD Application manifest: of several in the file, the one whose source path is an input "
        "folder, else the first (default: an input Application whose source path is an input folder)."
    ),
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
    help="Folders that are each one application (e.g. 'apps/*'), linted apart; repeatable "
    "(default: found as Argo CD sees the repository).",
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
    given: Sequence[str], settings: Settings, affected: bool, paths: Sequence[str]
) -> tuple[str, ...]:
    """The globs of the application roots: --applications, else the configuration's (none: the roots are
    found). --affected names changed files within application roots, not standard input; and an option
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
    if affected and "-" in paths:
        raise click.UsageError("--affected takes changed files, not standard input")
    return globs


verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say which files were left out and why.")
diff_option = click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
unsafe_fixes_option = click.option("--unsafe-fixes", is_flag=True, help="Also apply the fixes marked unsafe.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
