"""The command line: the `hooklint` group of verbs, the one place a verb's run becomes an exit code (its own,
or the one an error maps to), and the process's end (docs/design-notes.md#exit-codes)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Mapping

import click

from hooklint import __version__
from hooklint.cli import version
from hooklint.cli.common import (
    EXIT_CLOSED_PIPE,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    ISSUES_URL,
    note,
)
from hooklint.cli.explain import explain_command
from hooklint.cli.fix import fix_command
from hooklint.cli.lint import lint
from hooklint.cli.lsp import lsp_command
from hooklint.cli.rules import rules_command
from hooklint.cli.schema import schema_command

__all__ = [
    "EXIT_CLOSED_PIPE",
    "EXIT_FINDINGS",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "ISSUES_URL",
    "cli",
    "main",
]


class _Verbs(click.Group):
    """The group of verbs, and the one place a run that ends in a usage error (exit 2, click's own parsing
    of the verb's options included) or an internal error (exit 3) removes the reports its command line asked
    for: an earlier run's, uploaded as this one's, would pass for it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_GIVEN] = list(args)  # the verb and its words, before click consumes them
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except SystemExit as ended:
            if ended.code in (EXIT_USAGE, EXIT_INTERNAL):
                _remove_reports(self, ctx.meta.get(_GIVEN, []))
            raise
        except click.ClickException as failed:  # without standalone mode, click raises its errors
            if failed.exit_code == EXIT_USAGE:
                _remove_reports(self, ctx.meta.get(_GIVEN, []))
            raise


_GIVEN = "hooklint.given"


@click.group(cls=_Verbs, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=version.show,
    help="Show the versions of hooklint, Python, the targeted Argo CD, helm and kustomize, and exit.",
)
def cli() -> None:
    """Lint Argo CD resource hooks and sync waves, and explain the sync plan."""
    from hooklint.sources import ignored

    ignored.forget()  # what git ignored for an earlier command run in this process may have changed


def guarded(command: click.Command) -> click.Command:
    """The verb exits with the code it returns. Usage and configuration errors exit 2 with one line; anything
    unexpected is a bug: exit 3 with a report (and _Verbs removes the run's reports)."""
    verb = command.callback
    assert verb is not None

    def run(**params: object) -> None:
        sys.exit(_exit_code(verb, params))

    command.callback = run
    return command


def _exit_code(verb: Callable[..., int], params: Mapping[str, object]) -> int:
    """The verb's exit code, or the one its error maps to; click's own ends pass through."""
    from hooklint.config.settings import ConfigError
    from hooklint.manifests.discovery import PathNotFound

    try:
        code: int = verb(**params)
    except BrokenPipeError:
        return _closed_pipe()
    except PathNotFound as error:
        note(f"hooklint: no such file or directory: {error}")
        return EXIT_USAGE
    except ConfigError as error:
        note(f"hooklint: {error}")
        return EXIT_USAGE
    except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
        raise
    except Exception as error:
        _internal_error(error)
        return EXIT_INTERNAL
    return code


def _closed_pipe() -> int:
    """The reader of standard output stopped reading (`hooklint rules | head -1`): nothing is wrong with the
    run, so nothing is said; the code is a shell's for a process a closed pipe ended. Standard output is
    pointed at the null device, so that flushing what is left at exit raises nothing more."""
    # Without a file descriptor behind standard output (a test's capture) no pipe is flushed at exit.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_CLOSED_PIPE


def _internal_error(error: Exception) -> None:
    """Say what went wrong, where in hooklint, and where to report it."""
    import traceback

    from hooklint.util.workers import WorkerError, WorkerKilled

    if isinstance(error, WorkerKilled):
        click.echo(
            "hooklint: a worker process was killed (SIGKILL), most likely by the system for lack of "
            "memory: run with fewer --jobs, or with more memory",
            err=True,
        )
        return
    if isinstance(error, WorkerError):  # raised in a worker process: told as it was raised there
        kind, (filename, line, function) = error.kind, error.where
    else:
        kind, last = type(error).__name__, traceback.extract_tb(error.__traceback__)[-1]
        filename, line, function = last.filename, last.lineno or 0, last.name
    note(f"hooklint {__version__}: internal error: {kind}: {error}")
    # Where in hooklint, as its package lays the code out (engine/run.py), and no machine path.
    shown = filename.rsplit("/hooklint/", 1)[-1] if "/hooklint/" in filename else filename.rsplit("/", 1)[-1]
    note(f"  at {shown}:{line} in {function}")
    note(f"This is a bug in hooklint. Please report it with the command and the input at {ISSUES_URL}")


def _remove_reports(group: click.Group, args: list[str]) -> None:
    """Remove the files this command line names with --output and --write-baseline, read from `args` by the
    verb's own parser as leniently as click can (no error stops it: the run has failed already), so that
    `--bogus`, `--jobs x` or a missing --config name the same files a good run would have written."""
    from hooklint.util import reportfile

    # The group's own options (--version, --help) take no value: the first other word is the verb.
    at = next((i for i, arg in enumerate(args) if not arg.startswith("-")), len(args))
    command = group.commands.get(args[at]) if at < len(args) else None
    if command is None:
        return
    try:
        context = command.make_context(
            args[at], args[at + 1 :], resilient_parsing=True, ignore_unknown_options=True
        )
    except (click.ClickException, click.exceptions.Exit):
        return
    outputs, baseline = context.params.get("outputs"), context.params.get("write_baseline")
    named = [
        *(outputs if isinstance(outputs, tuple) else ()),
        *([baseline] if isinstance(baseline, str) else []),
    ]
    reportfile.remove([path for path in named if isinstance(path, str)])


for _command in (lint, rules_command, explain_command, fix_command, schema_command, lsp_command):
    cli.add_command(guarded(_command))


def main() -> None:
    # A run builds millions of long-lived, acyclic objects (YAML nodes and their data); the cyclic collector
    # would rescan them over and over (it took three quarters of the time on large repositories). A run is
    # short, so nothing is lost by leaving cycles to the end of the process.
    gc.disable()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        cli()  # a profiler or a coverage tracer writes its data at exit: let the interpreter end as usual
        return
    try:
        cli()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    # Tearing the interpreter down frees every object one by one, for nothing: the process ends here, once
    # its output is out.
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = _closed_pipe()
    os._exit(code or 0)
