"""The `explain` verb: the sync plan Argo CD would run, and the questions asked of it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from hooklint.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    ReadOptions,
    app_option,
    base_option,
    config_option,
    confined,
    held,
    load_settings,
    namespace_option,
    note,
    nothing_checked,
    paths_argument,
    takes,
    values_option,
    verbose_option,
)
from hooklint.sources.app_input import AppInput, read_application
from hooklint.util.frozen import frozen

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hooklint.argocd.application import AppSettings
    from hooklint.config.settings import Settings
    from hooklint.explain.modes import Question
    from hooklint.sources.partition import Part
    from hooklint.sync.plan import Plan


@frozen(eq=False)
class ExplainOptions(ReadOptions):
    """explain's options beyond the reading: the format, the question asked, and --values."""

    output_format: str
    timeline: bool
    fail_target: str | None
    selective: bool
    delete_app: bool
    apply_error: bool
    values: tuple[str, ...]


@click.command(name="explain")
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
@click.option(
    "--apply-error",
    is_flag=True,
    help="With --fail: its apply fails (an API error), instead of the object ending Failed or Degraded.",
)
@click.option("--selective", is_flag=True, help="A selective or apply-strategy sync: no hook runs.")
@click.option("--delete", "delete_app", is_flag=True, help="The Application's deletion plan (cascade).")
@values_option
@verbose_option
@takes(ExplainOptions)
def explain_command(options: ExplainOptions) -> int:
    """Print the sync plan Argo CD would run for the manifests under PATHS."""
    from hooklint.engine.run import build_plan

    question = None
    if (
        options.timeline
        or options.selective
        or options.delete_app
        or options.apply_error
        or options.fail_target is not None
    ):
        from hooklint.explain.modes import Question

        question = Question(
            options.timeline, options.fail_target, options.selective, options.delete_app, options.apply_error
        )
        if question.conflict is not None:
            note(f"hooklint: {question.conflict}")
            return EXIT_USAGE
    settings = confined(
        options.paths, load_settings(options.config_file, options.verbose, namespace=options.namespace)
    )
    kept = held(options, settings)
    if kept is None:
        return nothing_checked(options.paths, settings)
    options = kept
    paths, prune, known = options.paths, frozenset[str](), None
    if "-" not in paths and not options.app_file and not options.values:
        from hooklint.sources import partition

        parts = partition.applications(paths, settings.applications, settings)
        if parts is not None and len(parts) > 1 and question is None and _each_application(options):
            return _explain_applications(options, settings, parts)
        if parts is not None and len(parts) == 1 and not settings.applications:
            # The one application found below the input (a kustomization in a repository): its plan.
            paths, prune, known = parts[0].paths, parts[0].prune, parts[0].app
        elif parts is not None and len(parts) > 1 and not settings.applications:
            note(
                f"hooklint: the input holds {len(parts)} applications; this plan syncs them as one. "
                "Give one application's folder for its own plan."
            )
    if settings.applications and "-" not in options.paths:
        known = _deployer(options.paths, settings, warn_only=bool(options.app_file))
    read = read_application(
        paths,
        settings,
        options.input(options.values),
        verbose=options.verbose,
        tell=note,
        prune=prune,
        known=known,
    )
    _tell_problems(read)
    if read.loaded.read_nothing:
        return nothing_checked(options.paths, settings)
    if read.loaded.unrendered:
        note(_not_rendered(read.loaded.unrendered))
        return EXIT_USAGE
    result = build_plan(read.loaded, read.settings, read.app, read.changes)
    if question is not None:
        return _answer(question, result, options.output_format)
    click.echo(_shown(_rendered(read, result, options.output_format, paths), options.output_format), nl=False)
    return EXIT_OK


def _tell_problems(read: AppInput) -> None:
    """What the reading met (no finding is reported by explain), on standard error."""
    from hooklint.util.escape import terminal

    for problem in read.loaded.problems:
        span = problem.span
        note(f"{terminal(span.path)}:{span.line}:{span.column}: {terminal(problem.message)}")


def _not_rendered(folders: Sequence[str]) -> str:
    """The line for an application whose chart or kustomization could not be rendered (the tool's message
    is the line before): Argo CD syncs nothing of it, so no plan of its other files is shown."""
    from hooklint.util.escape import terminal

    return (
        f"hooklint: no sync plan: {terminal(', '.join(folders))} could not be rendered, "
        "and Argo CD syncs nothing of an application whose manifests it cannot generate"
    )


def _each_application(options: ExplainOptions) -> bool:
    """Whether a repository of several applications shows each one's plan: the plain plan, in a format that
    holds several, of the manifests as they are (no --base, --app or --values)."""
    return (
        options.output_format != "mermaid"
        and not options.base
        and not options.app_file
        and not options.values
        and "-" not in options.paths
    )


def _explain_applications(options: ExplainOptions, settings: Settings, parts: Sequence[Part]) -> int:
    """Each application's plan under its name: its Application's, else its folder's."""
    from hooklint.engine.run import build_plan
    from hooklint.explain import plan as render
    from hooklint.explain.applications import Shown, render_all

    shown: list[Shown] = []
    failed = False
    for part in parts:
        read = read_application(
            part.paths,
            settings,
            options.input(),
            verbose=options.verbose,
            tell=note,
            prune=part.prune,
            known=part.app,
        )
        _tell_problems(read)
        if read.loaded.unrendered:
            # Told even where nothing else was read: that application is in the repository, unsynced.
            note(_not_rendered(read.loaded.unrendered))
            failed = True
            continue
        if read.loaded.read_nothing:
            continue
        path = ", ".join(os.path.normpath(p).replace(os.sep, "/") for p in part.paths)
        name = read.app.name if read.app is not None else path
        result = build_plan(read.loaded, read.settings, read.app, read.changes)
        shown.append(Shown(name, path, render.RENDERERS[options.output_format](result)))
    if not shown and not failed:
        return nothing_checked(options.paths, settings)
    if shown:
        click.echo(_shown(render_all(shown, options.output_format), options.output_format), nl=False)
    return EXIT_USAGE if failed else EXIT_OK


def _answer(question: Question, result: Plan, output_format: str) -> int:
    """Print the answer to the question asked of the plan; a question the plan cannot answer is exit 2."""
    from hooklint.sync.whatif import WhatIfError

    try:
        click.echo(_shown(question.answer(result, output_format), output_format), nl=False)
    except WhatIfError as error:
        note(f"hooklint: {error}")
        return EXIT_USAGE
    return EXIT_OK


def _rendered(read: AppInput, result: Plan, output_format: str, paths: tuple[str, ...]) -> str:
    """The plan in `output_format` and what the Application shapes, or with --base the plan's diff since then."""
    from hooklint.explain import plan as render

    changes, app = read.changes, read.app
    if changes is not None and output_format != "mermaid":
        from hooklint.engine.plandiff import sync_diff
        from hooklint.explain import plandiff

        found = sync_diff(
            changes, read.loaded, read.settings, app, list(paths) or list(read.settings.paths) or ["."]
        )
        return plandiff.RENDERERS[output_format](found)
    rendered = render.RENDERERS[output_format](result)
    if app is not None:
        from hooklint.explain import changes as explain_changes

        rendered = explain_changes.extend(output_format, rendered, result)
    from hooklint.explain import rollout

    return rollout.extend(output_format, rendered, result)


def _shown(rendered: str, output_format: str) -> str:
    """The answer as printed: JSON is safe as json writes it; the formats for people get the final check
    that no line starts a GitHub workflow command."""
    from hooklint.util import escape

    return rendered if output_format == "json" else escape.lines(rendered)


def _deployer(paths: tuple[str, ...], settings: Settings, warn_only: bool) -> AppSettings | None:
    """The Application that deploys the input when it is one of the configuration's application roots
    (none asked for with `warn_only`, as --app names one). A plan is one application's: say so when the
    input holds several roots."""
    from hooklint.sources import partition

    roots = partition.find_roots(
        list(paths) or list(settings.paths) or ["."], settings.applications, settings
    )
    if len(roots) > 1:
        shown = ", ".join(roots[:3]) + (", ..." if len(roots) > 3 else "")
        note(
            f"hooklint: the input holds {len(roots)} applications ({shown}); this plan syncs them as one. "
            "Give one application's folder for its own plan."
        )
    if warn_only or roots or len(paths) != 1:
        return None
    return partition.deployer_of(paths[0], settings.applications, settings)
