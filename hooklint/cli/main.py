"""The command line: parses options, runs the pipeline and maps the outcome to an exit code (DESIGN.md)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from hooklint import __version__
from hooklint.cli.common import (
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    ISSUES_URL,
    FilesLastCommand,
    InputOptions,
    affected_option,
    app_option,
    application_roots,
    applications_option,
    base_option,
    config_option,
    confined,
    diff_option,
    guarded,
    load_settings,
    namespace_option,
    note,
    paths_argument,
    read_application,
    selection_options,
    unsafe_fixes_option,
    values_option,
    verbose_option,
)
from hooklint.cli.explain import explain_command
from hooklint.cli.fix import apply_fixes, fix_command, fix_input, stdin_bom

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "ISSUES_URL", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hooklint")
def cli() -> None:
    """Lint Argo CD resource hooks and sync waves, and explain the sync plan."""


@cli.command(cls=FilesLastCommand)
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
@selection_options
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a finding has this severity or a higher one (default: error).",
)
@click.option(
    "--baseline", type=click.Path(exists=True, dir_okay=False), help="Report only findings not in it."
)
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record today's findings and exit 0.")
@click.option("--no-inline-suppressions", is_flag=True, help="Only the configuration may suppress findings.")
@applications_option
@affected_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes: one application each with --applications (default: the cores), else the rules "
    "of a large input (default 1; see bench/README.md).",
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
@guarded
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
    application_globs: tuple[str, ...],
    affected: bool,
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

    from hooklint.config import baseline as baselines
    from hooklint.config.settings import ConfigError
    from hooklint.report import SHOWS_SOURCE, Summary, reporter
    from hooklint.rules import ALL_RULES
    from hooklint.util import reportfile

    if len(outputs) > max(len(formats), 1):
        raise click.UsageError("more --output than --format options: pair each output with a format")
    settings = load_settings(
        config_file,
        verbose,
        namespace=namespace,
        argocd_version=argocd_version,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        fail_on=fail_on,
        inline_suppressions=False if no_inline_suppressions else None,
    )
    settings = confined(paths, settings)
    if (fix or diff) and write_baseline:
        raise click.UsageError("--write-baseline records findings as they are: leave out --fix and --diff")
    bom = stdin_bom(paths) if fix else False
    globs = application_roots(application_globs, settings, affected, paths)
    unwritten, report_to_stderr = 0, False
    default = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    options = InputOptions(values, app_file, base, namespace)
    if fix or diff:
        findings, files, resources, texts, unwritten, report_to_stderr = _fix_first(
            paths, globs, settings, options, verbose, affected, diff, unsafe_fixes, bom
        )
    elif globs and "-" not in paths:
        sources = not SHOWS_SOURCE.isdisjoint(formats or (default,))
        findings, files, resources, texts = _lint_applications(
            paths, globs, settings, options, jobs, affected, verbose, sources
        )
    else:
        findings, files, resources, texts = _lint_one(paths, settings, options, verbose, jobs)
    if write_baseline:
        baselines.write(write_baseline, findings)
        note(f"hooklint: recorded {len(findings)} finding(s) in {write_baseline}")
        sys.exit(EXIT_OK)
    if baseline:
        findings, stale = baselines.subtract(findings, baselines.read(baseline))
        if verbose:
            for entry in stale:
                note(f"hooklint: stale baseline entry {entry.rule} {entry.resource}: {entry.message}")
    pairs = list(zip(formats or (default,), [*outputs, *[None] * len(formats or (default,))], strict=False))
    for output_format, output in pairs:
        colored = (
            color
            if color is not None
            else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        )
        summary = Summary(files, resources, findings, texts, bool(colored))
        text = reporter(output_format)(summary, ALL_RULES)
        if output is None:
            click.echo(text, nl=False, err=report_to_stderr)
            continue
        try:
            reportfile.write(output, text)
        except OSError as error:
            raise ConfigError(f"cannot write {output}: {error.strerror}") from None
    failing = any(f.severity.rank >= settings.fail_on.rank for f in findings)
    sys.exit(EXIT_FINDINGS if failing or unwritten else EXIT_OK)


def _lint_one(
    paths: Sequence[str], settings: Any, options: InputOptions, verbose: bool, jobs: int | None
) -> tuple[list[Any], int, int, dict[str, str]]:
    """The input as one application: findings, file and object counts, and texts."""
    from hooklint.engine.run import lint as run_lint

    app, settings, changes, loaded = read_application(paths, verbose, settings, options)
    findings = run_lint(loaded, settings, app=app, changes=changes, jobs=jobs or 1)
    return findings, len(loaded.files), len(loaded.resources), loaded.texts


def _fix_first(
    paths: Sequence[str],
    globs: Sequence[str],
    settings: Any,
    options: InputOptions,
    verbose: bool,
    affected: bool,
    diff: bool,
    unsafe_fixes: bool,
    bom: bool,
) -> tuple[list[Any], int, int, dict[str, str], int, bool]:
    """`lint --fix` (or `--diff`, which exits here): the fixes applied, each application root apart with
    `globs`, then what remains. Returns the findings, file and object counts, texts, unwritten files, and
    whether the report goes to standard error (fixed standard input went to standard output)."""
    outcome = fix_input(paths, verbose, settings, options, globs, affected, unsafe=unsafe_fixes)
    unwritten = apply_fixes(outcome, unsafe=unsafe_fixes, diff=diff, bom=bom, roots=settings.confined_to)
    if diff:
        failing = any(f.severity.rank >= settings.fail_on.rank for f in outcome.remaining)
        sys.exit(EXIT_FINDINGS if failing or outcome.changed else EXIT_OK)
    # Fixed standard input went to standard output; the report must not mix with it.
    loaded, report_to_stderr = outcome.load, "-" in paths
    return (
        outcome.remaining,
        len(loaded.files),
        len(loaded.resources),
        loaded.texts,
        unwritten,
        report_to_stderr,
    )


def _lint_applications(
    paths: Sequence[str],
    globs: Sequence[str],
    settings: Any,
    options: InputOptions,
    jobs: int | None,
    affected: bool = False,
    verbose: bool = False,
    sources: bool = True,
) -> tuple[list[Any], int, int, dict[str, str]]:
    """Each application root on its own (and the files outside every root as one more application); with
    `affected`, PATHS are changed files and only the parts of the configured paths they touch are linted.
    Without `sources` (no report prints source lines) the files' texts are not sent back."""
    import os

    from hooklint.engine.run import lint as run_lint
    from hooklint.sources import git as gitsource
    from hooklint.sources import partition

    def lint_part(part: partition.Part) -> partition.PartResult:
        notes: list[str] = []
        app, part_settings, changes, loaded = read_application(
            part.paths, verbose, settings, options, notes, part.prune, part.app
        )
        found = run_lint(loaded, part_settings, app=app, changes=changes)
        # Only the texts of files with findings are sent back, and only for reports with source lines; every
        # other file read is named with an empty text, so reports that list clean files (JUnit) still list them.
        with_findings = {f.span.path for f in found} if sources else set()
        texts = {path: text if path in with_findings else "" for path, text in loaded.texts.items()}
        return partition.PartResult(found, len(loaded.files), len(loaded.resources), texts, notes)

    parts = partition.parts_of(paths, globs, settings, affected)
    # Every application compares with the same revision: git is asked once, before the workers fork.
    with gitsource.preloaded(options.base, partition.scope(paths, settings, affected)):
        results = partition.run(parts, lint_part, jobs or os.cpu_count() or 1)
    # What the workers had to say, in the order of the parts, whichever worker finished first.
    for result in results:
        for said in result.notes:
            note(said)
    return partition.merge(results, settings.source)


@cli.command(name="rules")
@click.argument("rule", required=False)
@guarded
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
        note(f"hooklint: unknown rule {rule!r}")
        sys.exit(EXIT_USAGE)
    page = package_files.files("hooklint").joinpath(f"pages/{found.id}-{found.name}.md")
    from hooklint.report.pages import rule_page

    click.echo(rule_page(page.read_text("utf-8"), f"rules/{found.id}-{found.name}.md"), nl=False)


cli.add_command(explain_command)
cli.add_command(fix_command)


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
        code = code or 1
    os._exit(code or 0)
