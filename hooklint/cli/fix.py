"""The `fix` verb, and the fix step `lint --fix` shares with it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from hooklint.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
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
    namespace_option,
    note,
    nothing_checked,
    paths_argument,
    selection_options,
    takes,
    unsafe_fixes_option,
    verbose_option,
)
from hooklint.sources.app_input import InputOptions, read_application
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from hooklint.argocd.application import AppSettings
    from hooklint.config.settings import Settings
    from hooklint.fix.fixer import Lint, Outcome
    from hooklint.sync.changes import Changes


@frozen(eq=False)
class Fixed:
    """The fixer's outcome, and how many of the files it changed could not be written."""

    outcome: Outcome
    unwritten: int

    def exit_code(self, settings: Settings, diff: bool) -> int:
        """1 when findings at or above --fail-on remain, a file was left unwritten, or with --diff when there
        is something to fix."""
        failing = any(f.severity.rank >= settings.fail_on.rank for f in self.outcome.remaining)
        return EXIT_FINDINGS if failing or self.unwritten or (diff and self.outcome.changed) else EXIT_OK


@click.command(name="fix", cls=FilesLastCommand)
@paths_argument
@diff_option
@unsafe_fixes_option
@config_option
@selection_options
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a remaining finding has this severity or a higher one (default: error).",
)
@app_option
@base_option
@namespace_option
@applications_option
@affected_option
@verbose_option
@takes(FixOptions)
def fix_command(options: FixOptions) -> int:
    """Apply the safe fixes to the manifests under PATHS ('-' reads standard input and writes the fixed text
    to standard output). Exit 1 when findings at or above --fail-on remain, or with --diff when there is
    something to fix."""
    settings = options.settings()
    kept = held(options, settings)
    if kept is None:
        return nothing_checked(options.paths, settings)
    options = kept
    globs = application_roots(options.application_globs, settings, options.affected, options.paths)
    bom = stdin_bom(options.paths)
    # No report follows, as it does `lint --fix`: the summary lists what remains (the pre-commit hook's
    # failure would otherwise not say why).
    fixed = fix(options, options.input(), settings, globs, bom, listed=True)
    return fixed.exit_code(settings, options.diff)


def fix(
    options: FixOptions,
    reading: InputOptions,
    settings: Settings,
    globs: Sequence[str],
    bom: bool,
    *,
    listed: bool = False,
) -> Fixed:
    """Fix the input, each application root apart with `globs`, and write the files it changed (or print
    the diff); with `listed`, the summary lists each finding that remains."""
    unsafe = options.unsafe_fixes
    outcome = fix_input(options, reading, settings, globs)
    unwritten = apply_fixes(
        outcome, unsafe=unsafe, diff=options.diff, bom=bom, roots=settings.confined_to, listed=listed
    )
    return Fixed(outcome, unwritten)


def stdin_bom(paths: Sequence[str]) -> bool:
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


def linter_for(app: AppSettings | None, changes: Changes | None) -> Lint:
    """The lint the fixer re-runs after each round: the same Application, and the changes since --base
    compared afresh with the fixed manifests."""
    from hooklint.engine.run import lint as run_lint
    from hooklint.model import Finding
    from hooklint.sources.input import LoadResult

    def run(loaded: LoadResult, settings: Settings) -> list[Finding]:
        current = changes
        if changes is not None:
            from hooklint.sync import changes as diff

            current = diff.compare(changes.base, changes.before, loaded.resources, settings.namespace)
        return run_lint(loaded, settings, app=app, changes=current)

    return run


def fix_input(
    options: FixOptions, reading: InputOptions, settings: Settings, globs: Sequence[str]
) -> Outcome:
    """The fixer's outcome for the input, nothing written yet. With application roots (`globs`), each
    application is fixed and linted apart, as `lint` plans it, so no fix answers a finding that only
    comparing unrelated applications made; with --affected, only those holding a changed file."""
    from hooklint.fix import fixer
    from hooklint.sources import git as gitsource
    from hooklint.sources import partition

    paths, verbose, unsafe = options.paths, options.verbose, options.unsafe_fixes
    parts = partition.applications(paths, globs, settings, options.affected, one=bool(options.app_file))
    if parts is not None:
        outcomes = []
        with gitsource.preloaded(reading.base, partition.scope(paths, settings, options.affected)):
            for part in parts:
                read = read_application(
                    part.paths,
                    settings,
                    reading,
                    verbose=verbose,
                    tell=note,
                    prune=part.prune,
                    known=part.app,
                )
                linter = linter_for(read.app, read.changes)
                outcomes.append(fixer.fix(read.loaded, read.settings, linter, unsafe=unsafe))
        remaining = partition.merge_findings([o.remaining for o in outcomes], settings.source)
        return fixer.combine(outcomes, remaining)
    read = read_application(paths, settings, reading, verbose=verbose, tell=note)
    return fixer.fix(read.loaded, read.settings, linter_for(read.app, read.changes), unsafe=unsafe)


def apply_fixes(
    outcome: Outcome,
    *,
    unsafe: bool,
    diff: bool,
    bom: bool,
    roots: tuple[str, ...] = (),
    listed: bool = False,
) -> int:
    """Write each file the fixer changed (or print the diff) and say on standard error what was fixed and
    what remains. Fixed standard input goes to standard output; a file outside `roots` (the repository)
    is never written. Returns how many files could not be written."""
    from hooklint.fix import output as fixoutput
    from hooklint.manifests.discovery import STDIN
    from hooklint.report.summary import display_path
    from hooklint.util.confine import allowed

    unwritten = 0
    for path in outcome.changed:
        before, after = outcome.original[path], outcome.texts[path]
        if diff:
            click.echo(fixoutput.unified_diff(display_path(path), before, after), nl=False)
        elif path != STDIN and not allowed(path, roots):
            click.echo(f"hooklint: {path} lies outside the repository: not written", err=True)
            unwritten += 1
        elif path != STDIN:
            try:
                fixoutput.write(path, before, after)
            except fixoutput.Refused as refused:
                click.echo(f"hooklint: {path} {refused}: left as it is", err=True)
                unwritten += 1
            except fixoutput.ChangedSinceRead:
                note(f"hooklint: {path} changed while it was being fixed; left as it is")
                unwritten += 1
            except OSError as error:
                note(f"hooklint: cannot write {path}: {error.strerror}")
                unwritten += 1
    if not diff and STDIN in outcome.texts:
        click.echo(("\ufeff" if bom else "") + outcome.texts[STDIN], nl=False)
    for line in fixoutput.summary(outcome, unsafe=unsafe, dry_run=diff, listed=listed):
        note(line)
    return unwritten
