"""The `fix` command and the fix step of `lint --fix`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from hooklint.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
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
    verbose_option,
)


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


def linter_for(app: Any, changes: Any) -> Callable[[Any, Any], Any]:
    """The lint the fixer re-runs after each round: the same Application, and the changes since --base
    compared afresh with the fixed manifests."""
    from hooklint.engine.run import lint as run_lint

    def run(loaded: Any, settings: Any) -> Any:
        current = changes
        if changes is not None:
            from hooklint.sync import changes as diff

            current = diff.compare(changes.base, changes.before, loaded.resources, settings.namespace)
        return run_lint(loaded, settings, app=app, changes=current)

    return run


def fix_input(
    paths: Sequence[str],
    verbose: bool,
    settings: Any,
    options: InputOptions,
    globs: Sequence[str],
    affected: bool = False,
    *,
    unsafe: bool,
) -> Any:
    """The fixer's outcome for the input, nothing written yet. With application roots (`globs`), each
    application is fixed and linted apart, as `lint` plans it, so no fix answers a finding that only
    comparing unrelated applications made; with `affected`, only those holding a changed file."""
    from hooklint.fix import fixer
    from hooklint.sources import git as gitsource
    from hooklint.sources import partition

    if globs and "-" not in paths:
        outcomes = []
        parts = partition.parts_of(paths, globs, settings, affected)
        with gitsource.preloaded(options.base, partition.scope(paths, settings, affected)):
            for part in parts:
                app, part_settings, changes, loaded = read_application(
                    part.paths, verbose, settings, options, prune=part.prune, known=part.app
                )
                outcomes.append(fixer.fix(loaded, part_settings, linter_for(app, changes), unsafe=unsafe))
        remaining = partition.merge_findings([o.remaining for o in outcomes], settings.source)
        return fixer.combine(outcomes, remaining)
    app, settings, changes, loaded = read_application(paths, verbose, settings, options)
    return fixer.fix(loaded, settings, linter_for(app, changes), unsafe=unsafe)


def apply_fixes(outcome: Any, *, unsafe: bool, diff: bool, bom: bool, roots: tuple[str, ...] = ()) -> int:
    """Write each file the fixer changed (or print the diff) and say on standard error what was fixed and
    what remains. Fixed standard input goes to standard output; a file outside `roots` (the repository)
    is never written. Returns how many files could not be written."""
    from hooklint.fix import output as fixoutput
    from hooklint.manifests.discovery import STDIN
    from hooklint.report import display_path
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
    for line in fixoutput.summary(outcome, unsafe=unsafe, dry_run=diff):
        note(line)
    return unwritten


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
@guarded
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
    application_globs: tuple[str, ...],
    affected: bool,
    verbose: bool,
) -> None:
    """Apply the safe fixes to the manifests under PATHS ('-' reads standard input and writes the fixed text
    to standard output). Exit 1 when findings at or above --fail-on remain, or with --diff when there is
    something to fix."""
    settings = load_settings(
        config_file,
        verbose,
        namespace=namespace,
        argocd_version=argocd_version,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        fail_on=fail_on,
    )
    settings = confined(paths, settings)
    globs = application_roots(application_globs, settings, affected, paths)
    bom = stdin_bom(paths)
    options = InputOptions(app_file=app_file, base=base, namespace=namespace)
    outcome = fix_input(paths, verbose, settings, options, globs, affected, unsafe=unsafe_fixes)
    unwritten = apply_fixes(outcome, unsafe=unsafe_fixes, diff=diff, bom=bom, roots=settings.confined_to)
    failing = any(f.severity.rank >= settings.fail_on.rank for f in outcome.remaining)
    sys.exit(EXIT_FINDINGS if failing or unwritten or (diff and outcome.changed) else EXIT_OK)
