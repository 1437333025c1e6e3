"""The command line: parses options, runs the pipeline and maps the outcome to an exit code (DESIGN.md)."""

from __future__ import annotations

import gc
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


def _read(
    paths: Sequence[str], verbose: bool, settings: Any, values: Sequence[str] = (), app: Any = None
) -> Any:
    """Load the input; a chart or kustomization folder among PATHS is rendered (helm gets the --values, then
    the Application's own Helm settings when `app` is given)."""
    import os

    from hooklint.loader import RenderOptions, load

    paths = list(paths) or list(settings.paths) or ["."]
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    render = RenderOptions(tuple(values), settings.namespace)
    if app is not None:
        # Argo CD reads valueFiles relative to the chart (its source path), after which come the inline
        # values and the parameters; the release is named after the Application unless releaseName says.
        charts = [p for p in paths if os.path.isfile(os.path.join(p, "Chart.yaml"))]
        own = tuple(os.path.join(charts[0], f) for f in app.value_files) if charts else ()
        render = RenderOptions(
            (*own, *values),
            settings.namespace,
            release=app.release or app.name,
            values_text=app.values_text,
            parameters=app.parameters,
        )
    result = load(paths, stdin, settings.excluded if settings.exclude else None, render)
    for note in result.notes:
        click.echo(note, err=True)
    if verbose:
        for skipped in result.skipped:
            click.echo(f"hooklint: left out {skipped.path}: {skipped.reason}", err=True)
    return result


def _settings(config_file: str | None, verbose: bool, **overrides: Any) -> Any:
    """The config file's settings (given, or found from here upwards), then the command line's on top."""
    from dataclasses import replace

    from hooklint import configfile
    from hooklint.config import Settings
    from hooklint.rules import ALL_RULES

    path = config_file or configfile.find()
    settings = configfile.load(path, ALL_RULES) if path else Settings()
    if verbose and path:
        click.echo(f"hooklint: using the configuration in {path}", err=True)
    changes = {key: value for key, value in overrides.items() if value not in (None, ())}
    for key in ("extend_select", "ignore"):
        if key in changes:
            changes[key] = (*getattr(settings, key), *changes[key])
    settings = replace(settings, **changes)
    settings.active(ALL_RULES)  # unknown selectors are a usage error before any work
    return settings


def _application_and_changes(
    paths: Sequence[str],
    loaded: Any,
    settings: Any,
    app_file: str | None,
    base: str | None,
    namespace: str | None,
    verbose: bool = False,
    values: Sequence[str] = (),
) -> tuple[Any, Any, Any, Any]:
    """The Application (from --app, else the input's Application whose source path is an input folder), the
    settings with its destination namespace (unless --namespace says otherwise), and the changes since
    --base."""
    import os
    from dataclasses import replace

    from hooklint import application
    from hooklint.config import ConfigError
    from hooklint.loader import load

    app = None
    if app_file:
        found = [r for r in load([app_file]).resources if application.is_application(r)]
        if not found:
            raise ConfigError(f"--app: {app_file} holds no argoproj.io Application")
        app = application.read(found[0])
    else:
        inputs = list(paths) or list(settings.paths) or ["."]
        app = application.choose(loaded.resources, inputs)
        if app is not None and not application.inside_source(app, inputs):
            # The Application describes the manifests; it is not one of them unless it lives among them.
            loaded = replace(loaded, resources=tuple(r for r in loaded.resources if r is not app.resource))
    if app is not None and app.namespace and not namespace:
        settings = replace(settings, namespace=app.namespace)
    inputs = list(paths) or list(settings.paths) or ["."]
    if (
        app is not None
        and "-" not in inputs
        and any(os.path.isfile(os.path.join(p, "Chart.yaml")) for p in inputs)
    ):
        # The chart is rendered again as the Application renders it: its namespace, release and values.
        chosen = app.resource
        loaded = _read(paths, verbose, settings, values, app)
        loaded = replace(loaded, resources=tuple(r for r in loaded.resources if not _same(r, chosen)))
    changes = None
    if base:
        from hooklint import changes as diff
        from hooklint import gitsource

        before = gitsource.load_at(base, list(paths) or list(settings.paths) or ["."]).resources
        if app is not None and app.resource not in loaded.resources:
            same = (app.resource.group, app.resource.kind, app.resource.name)
            before = tuple(r for r in before if (r.group, r.kind, r.name) != same)
        changes = diff.compare(base, before, loaded.resources, settings.namespace)
    return app, settings, changes, loaded


def _same(one: Any, other: Any) -> bool:
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
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say which files were left out and why.")
diff_option = click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
unsafe_fixes_option = click.option("--unsafe-fixes", is_flag=True, help="Also apply the fixes marked unsafe.")
paths_argument = click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hooklint")
def cli() -> None:
    """Lint Argo CD resource hooks and sync waves, and explain the sync plan."""


@cli.command()
@paths_argument
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["text", "json", "sarif", "github", "junit", "gitlab"]),
    help="Output format; repeatable, paired in order with --output (default: text, or github on GitHub Actions).",
)
@click.option(
    "--output", "outputs", multiple=True, type=click.Path(dir_okay=False), help="Write the format here."
)
@config_option
@click.option(
    "--select", multiple=True, help="Only these rules (id, name or id prefix such as HL2); repeatable."
)
@click.option("--extend-select", multiple=True, help="Add rules to the default set; repeatable.")
@click.option("--ignore", multiple=True, help="Leave these rules out; repeatable.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a finding has this severity or a higher one (default: error).",
)
@click.option(
    "--argocd-version", default=None, help="The Argo CD version the application targets (default: newest)."
)
@click.option(
    "--baseline", type=click.Path(exists=True, dir_okay=False), help="Report only findings not in it."
)
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record today's findings and exit 0.")
@click.option("--no-inline-suppressions", is_flag=True, help="Only the configuration may suppress findings.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the rules on inputs of 2000 objects or more (default 1: see bench/README.md).",
)
@click.option("--color/--no-color", default=None, help="Colour the text output (default: on a terminal).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes first, then report what remains.")
@diff_option
@unsafe_fixes_option
@app_option
@base_option
@namespace_option
@values_option
@verbose_option
@_guarded
def lint(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    config_file: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    argocd_version: str | None,
    baseline: str | None,
    write_baseline: str | None,
    no_inline_suppressions: bool,
    jobs: int | None,
    color: bool | None,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
    app_file: str | None,
    base: str | None,
    namespace: str | None,
    values: tuple[str, ...],
    verbose: bool,
) -> None:
    """Report hook and sync-wave pitfalls in the manifests under PATHS ('-' reads standard input)."""
    import os

    from hooklint import baseline as baselines
    from hooklint.config import ConfigError, parse_version
    from hooklint.engine import lint as run_lint
    from hooklint.model import Severity
    from hooklint.report import Summary, reporter
    from hooklint.rules import ALL_RULES

    if len(outputs) > max(len(formats), 1):
        raise click.UsageError("more --output than --format options: pair each output with a format")
    settings = _settings(
        config_file,
        verbose,
        namespace=namespace,
        argocd_version=argocd_version.lstrip("v") if argocd_version else None,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        fail_on=Severity(fail_on) if fail_on else None,
        inline_suppressions=False if no_inline_suppressions else None,
    )
    parse_version(settings.argocd_version)
    if (fix or diff) and write_baseline:
        raise click.UsageError("--write-baseline records findings as they are: leave out --fix and --diff")
    bom = _stdin_bom(paths) if fix else False
    loaded = _read(paths, verbose, settings, values)
    app, settings, changes, loaded = _application_and_changes(
        paths, loaded, settings, app_file, base, namespace, verbose, values
    )
    unwritten, report_to_stderr = 0, False
    if fix or diff:
        outcome, unwritten = _fix(
            loaded, settings, _linter(app, changes), unsafe=unsafe_fixes, diff=diff, bom=bom
        )
        if diff:
            failing = any(f.severity.rank >= settings.fail_on.rank for f in outcome.remaining)
            sys.exit(EXIT_FINDINGS if failing or outcome.changed else EXIT_OK)
        # Fixed standard input went to standard output; the report must not mix with it.
        loaded, findings, report_to_stderr = outcome.load, outcome.remaining, "-" in paths
    else:
        findings = run_lint(loaded, settings, app=app, changes=changes, jobs=jobs or 1)
    if write_baseline:
        baselines.write(write_baseline, findings)
        click.echo(f"hooklint: recorded {len(findings)} finding(s) in {write_baseline}", err=True)
        sys.exit(EXIT_OK)
    if baseline:
        findings, stale = baselines.subtract(findings, baselines.read(baseline))
        if verbose:
            for entry in stale:
                click.echo(
                    f"hooklint: stale baseline entry {entry.rule} {entry.resource}: {entry.message}", err=True
                )
    default = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    pairs = list(zip(formats or (default,), [*outputs, *[None] * len(formats or (default,))], strict=False))
    for output_format, output in pairs:
        colored = (
            color
            if color is not None
            else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        )
        summary = Summary(len(loaded.files), len(loaded.resources), findings, loaded.texts, bool(colored))
        text = reporter(output_format)(summary, ALL_RULES)
        if output is None:
            click.echo(text, nl=False, err=report_to_stderr)
            continue
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise ConfigError(f"cannot write {output}: {error.strerror}") from None
    failing = any(f.severity.rank >= settings.fail_on.rank for f in findings)
    sys.exit(EXIT_FINDINGS if failing or unwritten else EXIT_OK)


@cli.command()
@paths_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "mermaid"]),
    default="text",
    show_default=True,
)
@config_option
@app_option
@base_option
@namespace_option
@click.option(
    "--timeline", is_flag=True, help="Best and worst case time of each step, the total and the critical path."
)
@click.option(
    "--fail",
    "fail_target",
    metavar="KIND/NAME",
    help="What if this hook or resource fails (KIND/NAMESPACE/NAME when the name is ambiguous).",
)
@click.option("--selective", is_flag=True, help="A selective or apply-strategy sync: no hook runs.")
@click.option("--delete", "delete_app", is_flag=True, help="The Application's deletion plan (cascade).")
@values_option
@verbose_option
@_guarded
def explain(
    paths: tuple[str, ...],
    output_format: str,
    config_file: str | None,
    app_file: str | None,
    base: str | None,
    namespace: str | None,
    timeline: bool,
    fail_target: str | None,
    selective: bool,
    delete_app: bool,
    values: tuple[str, ...],
    verbose: bool,
) -> None:
    """Print the sync plan Argo CD would run for the manifests under PATHS."""
    from hooklint import explain as render
    from hooklint.engine import build_plan

    question = None
    if timeline or selective or delete_app or fail_target is not None:
        from hooklint.explain_modes import Question

        question = Question(timeline, fail_target, selective, delete_app)
        if question.conflict is not None:
            click.echo(f"hooklint: {question.conflict}", err=True)
            sys.exit(EXIT_USAGE)
    settings = _settings(config_file, verbose, namespace=namespace)
    loaded = _read(paths, verbose, settings, values)
    for problem in loaded.problems:
        click.echo(
            f"{problem.span.path}:{problem.span.line}:{problem.span.column}: {problem.message}", err=True
        )
    app, settings, changes, loaded = _application_and_changes(
        paths, loaded, settings, app_file, base, namespace, verbose, values
    )
    result = build_plan(loaded, settings, app, changes)
    if question is not None:
        from hooklint.whatif import WhatIfError

        try:
            click.echo(question.answer(result, output_format), nl=False)
        except WhatIfError as error:
            click.echo(f"hooklint: {error}", err=True)
            sys.exit(EXIT_USAGE)
        return
    rendered = render.RENDERERS[output_format](result)
    if changes is not None or app is not None:
        from hooklint import explain_changes
        from hooklint.scheduler import plan

        before = plan(changes.before, settings.namespace) if changes is not None else None
        rendered = explain_changes.extend(output_format, rendered, result, changes, before)
    click.echo(rendered, nl=False)


@cli.command(name="rules")
@click.argument("rule", required=False)
@_guarded
def rules_command(rule: str | None) -> None:
    """List every rule, or print one rule's page (by id or name)."""
    from importlib import resources as package_files

    from hooklint.rules import ALL_RULES, get

    if rule is None:
        click.echo(f"{'id':<6} {'name':<42} {'severity':<8} {'fix':<9} summary")
        for item in ALL_RULES:
            severity = item.severity.value + ("" if item.enabled_by_default else "*")
            click.echo(f"{item.id:<6} {item.name:<42} {severity:<8} {item.fix.value:<9} {item.summary}")
        click.echo("\n* off by default: turn on with --extend-select or `extend-select` in the configuration")
        return
    found = get(rule)
    if found is None:
        click.echo(f"hooklint: unknown rule {rule!r}", err=True)
        sys.exit(EXIT_USAGE)
    page = package_files.files("hooklint").joinpath(f"pages/{found.id}-{found.name}.md")
    click.echo(page.read_text("utf-8"), nl=False)


def _stdin_bom(paths: Sequence[str]) -> bool:
    """Whether standard input starts with a UTF-8 byte order mark (the loader drops it), looked at without
    reading it, so that the fixed text written back carries it too."""
    import codecs

    if "-" not in paths:
        return False
    buffer = sys.stdin.buffer
    peek = getattr(buffer, "peek", None)
    if peek is not None:
        return bytes(peek(3))[:3] == codecs.BOM_UTF8
    if buffer.seekable():
        position = buffer.tell()
        head = buffer.read(3)
        buffer.seek(position)
        return head == codecs.BOM_UTF8
    return False


def _linter(app: Any, changes: Any) -> Callable[[Any, Any], Any]:
    """The lint the fixer re-runs after each round: the same Application, and the changes since --base
    compared afresh with the fixed manifests."""
    from hooklint.engine import lint as run_lint

    def run(loaded: Any, settings: Any) -> Any:
        current = changes
        if changes is not None:
            from hooklint import changes as diff

            current = diff.compare(changes.base, changes.before, loaded.resources, settings.namespace)
        return run_lint(loaded, settings, app=app, changes=current)

    return run


def _fix(loaded: Any, settings: Any, linter: Any, *, unsafe: bool, diff: bool, bom: bool) -> tuple[Any, int]:
    """Apply the fixes, then write each changed file (or print the diff) and say on standard error what was
    fixed and what remains. Fixed standard input goes to standard output. Returns the outcome and how many
    files could not be written."""
    from hooklint import fixer, fixoutput
    from hooklint.loader import STDIN
    from hooklint.report import display_path

    outcome = fixer.fix(loaded, settings, linter, unsafe=unsafe)
    unwritten = 0
    for path in outcome.changed:
        before, after = outcome.original[path], outcome.texts[path]
        if diff:
            click.echo(fixoutput.unified_diff(display_path(path), before, after), nl=False)
        elif path != STDIN:
            try:
                fixoutput.write(path, before, after)
            except fixoutput.ChangedSinceRead:
                click.echo(f"hooklint: {path} changed while it was being fixed; left as it is", err=True)
                unwritten += 1
            except OSError as error:
                click.echo(f"hooklint: cannot write {path}: {error.strerror}", err=True)
                unwritten += 1
    if not diff and STDIN in outcome.texts:
        click.echo(("\ufeff" if bom else "") + outcome.texts[STDIN], nl=False)
    for line in fixoutput.summary(outcome, unsafe=unsafe, dry_run=diff):
        click.echo(line, err=True)
    return outcome, unwritten


@cli.command(name="fix")
@paths_argument
@diff_option
@unsafe_fixes_option
@config_option
@click.option("--select", multiple=True, help="Only these rules (id, name or id prefix); repeatable.")
@click.option("--extend-select", multiple=True, help="Add rules to the default set; repeatable.")
@click.option("--ignore", multiple=True, help="Leave these rules out; repeatable.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a remaining finding has this severity or a higher one (default: error).",
)
@click.option(
    "--argocd-version", default=None, help="The Argo CD version the application targets (default: newest)."
)
@app_option
@base_option
@namespace_option
@verbose_option
@_guarded
def fix_command(
    paths: tuple[str, ...],
    diff: bool,
    unsafe_fixes: bool,
    config_file: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    argocd_version: str | None,
    app_file: str | None,
    base: str | None,
    namespace: str | None,
    verbose: bool,
) -> None:
    """Apply the safe fixes to the manifests under PATHS ('-' reads standard input and writes the fixed text
    to standard output). Exit 1 when findings at or above --fail-on remain, or with --diff when there is
    something to fix."""
    from hooklint.config import parse_version
    from hooklint.model import Severity

    settings = _settings(
        config_file,
        verbose,
        namespace=namespace,
        argocd_version=argocd_version.lstrip("v") if argocd_version else None,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        fail_on=Severity(fail_on) if fail_on else None,
    )
    parse_version(settings.argocd_version)
    bom = _stdin_bom(paths)
    loaded = _read(paths, verbose, settings)
    app, settings, changes, loaded = _application_and_changes(
        paths, loaded, settings, app_file, base, namespace, verbose
    )
    outcome, unwritten = _fix(
        loaded, settings, _linter(app, changes), unsafe=unsafe_fixes, diff=diff, bom=bom
    )
    failing = any(f.severity.rank >= settings.fail_on.rank for f in outcome.remaining)
    sys.exit(EXIT_FINDINGS if failing or unwritten or (diff and outcome.changed) else EXIT_OK)


def main() -> None:
    # A run builds millions of long-lived, acyclic objects (YAML nodes and their data); the cyclic collector
    # would rescan them over and over (it took three quarters of the time on large repositories). A run is
    # short, so nothing is lost by leaving cycles to the end of the process.
    gc.disable()
    cli()
