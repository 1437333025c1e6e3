"""The command line: parses options, runs the pipeline and maps the outcome to an exit code (DESIGN.md)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

import click

from hooklint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
ISSUES_URL = "https://github.com/hooklint/hooklint/issues"

F = TypeVar("F", bound=Callable[..., Any])


def _guarded(command: F) -> F:
    """Usage and configuration errors exit 2 with one line; anything unexpected is a bug: exit 3 with a report."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from hooklint.config import ConfigError
        from hooklint.loader import PathNotFound

        try:
            return command(*args, **kwargs)
        except PathNotFound as error:
            click.echo(f"hooklint: no such file or directory: {error}", err=True)
            sys.exit(EXIT_USAGE)
        except ConfigError as error:
            click.echo(f"hooklint: {error}", err=True)
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            click.echo(
                f"hooklint {__version__}: internal error: {type(error).__name__}: {error}\n"
                f"  at {where.filename.rsplit('/', 1)[-1]}:{where.lineno} in {where.name}\n"
                f"This is a bug in hooklint. Please report it with the command and the input at {ISSUES_URL}",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return run  # type: ignore[return-value]


def _read(paths: Sequence[str], verbose: bool) -> Any:
    from hooklint.loader import load

    stdin = sys.stdin.buffer.read() if "-" in paths else None
    result = load(list(paths) or ["."], stdin)
    if verbose:
        for skipped in result.skipped:
            click.echo(f"hooklint: left out {skipped.path}: {skipped.reason}", err=True)
    return result


namespace_option = click.option(
    "--namespace",
    "-n",
    default="default",
    show_default=True,
    help="The Application's destination namespace, for objects that name none.",
)
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say which files were left out and why.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hooklint")
def cli() -> None:
    """Lint Argo CD resource hooks and sync waves, and explain the sync plan."""


@cli.command()
@paths_argument
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--select", multiple=True, help="Only these rules (id, name or id prefix such as HL2); repeatable."
)
@click.option("--extend-select", multiple=True, help="Add rules to the default set; repeatable.")
@click.option("--ignore", multiple=True, help="Leave these rules out; repeatable.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option(
    "--argocd-version", default=None, help="The Argo CD version the application targets (default: newest)."
)
@namespace_option
@verbose_option
@_guarded
def lint(
    paths: tuple[str, ...],
    output_format: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    argocd_version: str | None,
    namespace: str,
    verbose: bool,
) -> None:
    """Report hook and sync-wave pitfalls in the manifests under PATHS ('-' reads standard input)."""
    from hooklint.config import NEWEST_ARGOCD, Settings
    from hooklint.engine import lint as run_lint
    from hooklint.model import Severity
    from hooklint.report import Summary, reporter
    from hooklint.rules import ALL_RULES

    settings = Settings(
        namespace=namespace,
        argocd_version=argocd_version or NEWEST_ARGOCD,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        fail_on=Severity(fail_on),
    )
    settings.active(ALL_RULES)  # unknown selectors are a usage error before any work
    loaded = _read(paths, verbose)
    findings = run_lint(loaded, settings)
    summary = Summary(len(loaded.files), len(loaded.resources), findings)
    click.echo(reporter(output_format)(summary, ALL_RULES, loaded.texts), nl=False)
    failing = any(f.severity.rank >= settings.fail_on.rank for f in findings)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


@cli.command()
@paths_argument
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@namespace_option
@verbose_option
@_guarded
def explain(paths: tuple[str, ...], output_format: str, namespace: str, verbose: bool) -> None:
    """Print the sync plan Argo CD would run for the manifests under PATHS."""
    from hooklint import explain as render
    from hooklint.scheduler import plan

    loaded = _read(paths, verbose)
    for problem in loaded.problems:
        click.echo(
            f"{problem.span.path}:{problem.span.line}:{problem.span.column}: {problem.message}", err=True
        )
    result = plan(loaded.resources, namespace)
    click.echo(render.to_json(result) if output_format == "json" else render.to_text(result), nl=False)


@cli.command(name="rules")
@click.argument("rule", required=False)
@_guarded
def rules_command(rule: str | None) -> None:
    """List every rule, or show one by id or name."""
    from hooklint.rules import ALL_RULES, get

    if rule is None:
        for item in ALL_RULES:
            default = "" if item.enabled_by_default else "  (off by default)"
            click.echo(f"{item.id}  {item.name:<42} {item.severity.value:<8} {item.summary}{default}")
        return
    found = get(rule)
    if found is None:
        click.echo(f"hooklint: unknown rule {rule!r}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"{found.id} {found.name} ({found.severity.value}, fix: {found.fix.value})\n\n{found.summary}")


def main() -> None:
    cli()
