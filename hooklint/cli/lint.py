"""The `lint` verb: the findings of the input (after its fixes with --fix), reported in each format asked."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from hooklint.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    FilesLastCommand,
    FixOptions,
    affected_option,
    app_option,
    application_roots,
    applications_option,
    base_option,
    config_option,
    diff_option,
    held,
    held_file,
    namespace_option,
    note,
    nothing_checked,
    paths_argument,
    selection_options,
    takes,
    unsafe_fixes_option,
    values_option,
    verbose_option,
)
from hooklint.cli.fix import Fixed, fix, stdin_bom
from hooklint.report import FORMATS, SHOWS_SOURCE
from hooklint.sources.app_input import InputOptions, read_application
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.config.settings import Settings
    from hooklint.model import Finding
    from hooklint.sources import partition


@frozen(eq=False)
class LintOptions(FixOptions):
    """lint's options beyond fix's: the reports, the baseline, inline suppressions, processes, --fix and
    --values."""

    formats: tuple[str, ...]
    outputs: tuple[str, ...]
    baseline: str | None
    write_baseline: str | None
    no_inline_suppressions: bool
    jobs: int | None
    color: bool | None
    fix: bool
    values: tuple[str, ...]
    statistics: bool
    exit_zero: bool
    quiet: bool


@frozen(eq=False)
class Linted:
    """The findings to report, the counts and texts of the files read, how many fixed files could not be
    written, and whether the report goes to standard error (fixed standard input went to standard output)."""

    findings: list[Finding]
    files: int
    resources: int
    texts: dict[str, str]
    unwritten: int = 0
    report_to_stderr: bool = False
    checked: bool = True  # whether any manifest could be read (docs/design-notes.md#exit-codes)


@click.command(name="lint", cls=FilesLastCommand)
@paths_argument
@click.option(
    "--format",
    "--output-format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
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
@click.option("--exit-zero", is_flag=True, help="Exit 0 whatever the findings.")
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule has, instead of the findings (text or json).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print the findings alone: no summary line.")
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
    help="Processes: one application each in a repository of several (default: the cores), else the "
    "rules of a large input (default 1; see bench/README.md).",
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
@takes(LintOptions)
def lint(options: LintOptions) -> int:
    """Report hook and sync-wave pitfalls in the manifests under PATHS ('-' reads standard input)."""

    if len(options.outputs) > max(len(options.formats), 1):
        raise click.UsageError("more --output than --format options: pair each output with a format")
    if options.unsafe_fixes and not (options.fix or options.diff):
        # Refused rather than noted: a note scrolls by in a CI log, and the run would pass for one that fixed.
        note("hooklint: --unsafe-fixes applies fixes: add --fix (or --diff to see them)")
        return EXIT_USAGE
    printed = options.formats[len(options.outputs) :]
    if len(printed) > 1:
        # Two documents on one standard output would be neither format: no reader could take them.
        shown = " and ".join(f"--format {name}" for name in printed)
        note(f"hooklint: {shown} would all print to standard output: give each but one an --output")
        return EXIT_USAGE
    settings = options.settings(inline_suppressions=False if options.no_inline_suppressions else None)
    kept = held(options, settings)
    if kept is None:
        return nothing_checked(options.paths, settings)
    options = kept
    if options.baseline is not None:
        held_file(options.baseline, options.paths, settings)
    if (options.fix or options.diff) and options.write_baseline:
        raise click.UsageError("--write-baseline records findings as they are: leave out --fix and --diff")
    bom = stdin_bom(options.paths) if options.fix else False
    globs = application_roots(options.application_globs, settings, options.affected, options.paths)
    formats = options.formats or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",)
    reading = options.input(options.values)
    if options.statistics:
        _check_statistics(formats, len(options.outputs))
    if options.fix or options.diff:
        fixed = fix(options, reading, settings, globs, bom)
        if options.diff:
            return _exit_zero(options, fixed.exit_code(settings, diff=True))
        linted = _after_fixes(fixed, options.paths, options.affected)
    else:
        from hooklint.manifests.parse import read_ahead
        from hooklint.sources import partition

        one = bool(options.app_file or options.values)
        with read_ahead() as ahead:  # the files read to find the roots are not read again
            parts = partition.applications(options.paths, globs, settings, options.affected, one, ahead)
            if parts is None:
                ahead.clear()
                linted = _lint_one(options, reading, settings)
            else:
                sources = not SHOWS_SOURCE.isdisjoint(formats)
                linted = _lint_applications(options, reading, settings, parts, sources)
    if not linted.checked:
        return nothing_checked(options.paths, settings, linted.findings)
    if options.write_baseline:
        from hooklint.config import baseline as baselines

        baselines.write(options.write_baseline, linted.findings)
        note(f"hooklint: recorded {len(linted.findings)} finding(s) in {options.write_baseline}")
        return EXIT_OK
    findings = _report(options, settings, formats, linted)
    failing = any(f.severity.rank >= settings.fail_on.rank for f in findings)
    if linted.unwritten:
        return EXIT_FINDINGS  # a file --fix could not write is a failed run, not a finding
    return _exit_zero(options, EXIT_FINDINGS if failing else EXIT_OK)


def _exit_zero(options: LintOptions, code: int) -> int:
    """With --exit-zero, findings exit 0."""
    return EXIT_OK if options.exit_zero and code == EXIT_FINDINGS else code


def _check_statistics(formats: Sequence[str], outputs: int) -> None:
    """--statistics replaces the report printed on standard output, in text or json; reports written to
    --output files are written as usual."""
    printed = formats[outputs:]
    if not printed or any(name not in ("text", "json") for name in printed):
        raise click.UsageError("--statistics prints text or json on standard output: --format text or json")


def _report(
    options: LintOptions, settings: Settings, formats: Sequence[str], linted: Linted
) -> list[Finding]:
    """Print or write the report in each format, --baseline's findings left out; returns the findings
    reported."""
    from hooklint.config import baseline as baselines
    from hooklint.config.settings import ConfigError
    from hooklint.report import reporter, statistics
    from hooklint.report.summary import Summary
    from hooklint.rules import ALL_RULES
    from hooklint.util import reportfile

    findings = linted.findings
    if options.baseline:
        findings, stale = baselines.subtract(findings, baselines.read(options.baseline))
        if options.verbose:
            # An entry of a rule this run did not select found nothing to match because nothing was looked for.
            ran = {rule.id for rule in settings.active(ALL_RULES)}
            for entry in (entry for entry in stale if entry.rule in ran):
                note(f"hooklint: stale baseline entry {entry.rule} {entry.resource}: {entry.message}")
    outputs: list[str | None] = [*options.outputs, *[None] * len(formats)]
    for output_format, output in zip(formats, outputs, strict=False):
        colored = (
            options.color
            if options.color is not None
            else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        )
        summary = Summary(
            linted.files,
            linted.resources,
            findings,
            linted.texts,
            bool(colored),
            fail_on=settings.fail_on,
            summary_line=not options.quiet,
        )
        if output is None and options.statistics:
            click.echo(statistics.render(findings, output_format), nl=False, err=linted.report_to_stderr)
            continue
        text = reporter(output_format)(summary, ALL_RULES)
        if output is None:
            # click strips escapes from text bound for a pipe unless told: --color colours it all the same.
            click.echo(text, nl=False, err=linted.report_to_stderr, color=bool(colored))
            continue
        try:
            reportfile.write(output, text)
        except OSError as error:
            raise ConfigError(f"cannot write {output}: {error.strerror}") from None
    return findings


def _lint_one(options: LintOptions, reading: InputOptions, settings: Settings) -> Linted:
    """The input as one application."""
    from hooklint.engine.run import lint as run_lint

    read = read_application(options.paths, settings, reading, verbose=options.verbose, tell=note)
    findings = run_lint(
        read.loaded, read.settings, app=read.app, changes=read.changes, jobs=options.jobs or 1
    )
    loaded = read.loaded
    return Linted(
        findings, len(loaded.files), len(loaded.resources), loaded.texts, checked=not loaded.read_nothing
    )


def _after_fixes(fixed: Fixed, paths: Sequence[str], affected: bool) -> Linted:
    """What remains after `lint --fix`. Fixed standard input went to standard output; the report must not
    mix with it. With --affected, reading nothing may mean that no application was touched: that is no
    failure."""
    loaded = fixed.outcome.load
    return Linted(
        fixed.outcome.remaining,
        len(loaded.files),
        len(loaded.resources),
        loaded.texts,
        fixed.unwritten,
        report_to_stderr="-" in paths,
        checked=affected or not loaded.read_nothing,
    )


def _lint_applications(
    options: LintOptions,
    reading: InputOptions,
    settings: Settings,
    parts: Sequence[partition.Part],
    sources: bool,
) -> Linted:
    """Each application root on its own (and the files outside every root as one more application); with
    --affected, PATHS are changed files and only the parts of the configured paths they touch are linted.
    Without `sources` (no report prints source lines) the files' texts are not sent back."""
    from hooklint.engine.run import lint as run_lint
    from hooklint.sources import git as gitsource
    from hooklint.sources import partition

    def lint_part(part: partition.Part) -> partition.PartResult:
        notes: list[str] = []
        read = read_application(
            part.paths,
            settings,
            reading,
            verbose=options.verbose,
            tell=notes.append,
            prune=part.prune,
            known=part.app,
        )
        found = run_lint(read.loaded, read.settings, app=read.app, changes=read.changes)
        # Only the texts of files with findings are sent back, and only for reports with source lines; every
        # other file read is named with an empty text, so reports that list clean files (JUnit) still list them.
        with_findings = {f.span.path for f in found} if sources else set()
        texts = {path: text if path in with_findings else "" for path, text in read.loaded.texts.items()}
        loaded = read.loaded
        return partition.PartResult(
            found, len(loaded.files), len(loaded.resources), texts, notes, loaded.read_nothing
        )

    paths, affected = options.paths, options.affected
    # Every application compares with the same revision: git is asked once, before the workers fork.
    with gitsource.preloaded(reading.base, partition.scope(paths, settings, affected)):
        results = partition.run(parts, lint_part, options.jobs or os.cpu_count() or 1)
    # What the workers had to say, in the order of the parts, whichever worker finished first.
    for result in results:
        for said in result.notes:
            note(said)
    merged = partition.merge(results, settings.source)
    # No part at all: --affected and no changed file in an application, so nothing was asked.
    checked = not results or not all(result.read_nothing for result in results)
    return Linted(merged.findings, merged.files, merged.resources, merged.texts, checked=checked)
