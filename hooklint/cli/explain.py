"""The `explain` command: the sync plan Argo CD would run, and the questions asked of it."""

from __future__ import annotations

import sys
from typing import Any

import click

from hooklint.cli.common import (
    EXIT_USAGE,
    InputOptions,
    app_option,
    base_option,
    config_option,
    confined,
    guarded,
    load_settings,
    namespace_option,
    note,
    paths_argument,
    read_application,
    values_option,
    verbose_option,
)


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
@click.option("--selective", is_flag=True, help="A selective or apply-strategy sync: no hook runs.")
@click.option("--delete", "delete_app", is_flag=True, help="The Application's deletion plan (cascade).")
@values_option
@verbose_option
@guarded
def explain_command(
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
    from hooklint.engine.run import build_plan
    from hooklint.explain import plan as render

    question = None
    if timeline or selective or delete_app or fail_target is not None:
        from hooklint.explain.modes import Question

        question = Question(timeline, fail_target, selective, delete_app)
        if question.conflict is not None:
            note(f"hooklint: {question.conflict}")
            sys.exit(EXIT_USAGE)
    settings = confined(paths, load_settings(config_file, verbose, namespace=namespace))
    known = None
    if settings.applications and "-" not in paths:
        known = _deployer(paths, settings, warn_only=bool(app_file))
    options = InputOptions(values, app_file, base, namespace)
    app, settings, changes, loaded = read_application(paths, verbose, settings, options, known=known)
    from hooklint.util.escape import terminal

    for problem in loaded.problems:
        note(
            f"{terminal(problem.span.path)}:{problem.span.line}:{problem.span.column}: {terminal(problem.message)}"
        )
    result = build_plan(loaded, settings, app, changes)
    if question is not None:
        from hooklint.sync.whatif import WhatIfError

        try:
            click.echo(_shown(question.answer(result, output_format), output_format), nl=False)
        except WhatIfError as error:
            note(f"hooklint: {error}")
            sys.exit(EXIT_USAGE)
        return
    if changes is not None and output_format != "mermaid":
        from hooklint.engine.plandiff import sync_diff
        from hooklint.explain import plandiff

        found = sync_diff(changes, loaded, settings, app, list(paths) or list(settings.paths) or ["."])
        click.echo(_shown(plandiff.RENDERERS[output_format](found), output_format), nl=False)
        return
    rendered = render.RENDERERS[output_format](result)
    if app is not None:
        from hooklint.explain import changes as explain_changes

        rendered = explain_changes.extend(output_format, rendered, result)
    click.echo(_shown(rendered, output_format), nl=False)


def _shown(rendered: str, output_format: str) -> str:
    """The answer as printed: JSON is safe as json writes it; the formats for people get the final check
    that no line starts a GitHub workflow command."""
    from hooklint.util import escape

    return rendered if output_format == "json" else escape.lines(rendered)


def _deployer(paths: tuple[str, ...], settings: Any, warn_only: bool) -> Any:
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
