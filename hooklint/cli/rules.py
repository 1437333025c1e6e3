"""The `rules` verb: every rule in a table, or one rule's page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from hooklint.cli.common import EXIT_OK, EXIT_USAGE, note

if TYPE_CHECKING:
    from hooklint.model import Rule


@click.command(name="rules")
@click.argument("rule", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text: a table, or the rule's page; json: each rule's metadata (id, name, severity, fix, summary, "
    "options schema, enabled_by_default).",
)
def rules_command(rule: str | None, output_format: str) -> int:
    """List every rule, or print one rule's page (by id or name), or list the rules an id prefix (HL1)
    selects."""
    from importlib import resources as package_files

    from hooklint.rules import ALL_RULES, get

    if output_format == "json":
        return _rules_json(rule)
    if rule is None:
        _table(ALL_RULES)
        return EXIT_OK
    found = get(rule)
    if found is None:
        from hooklint.config.settings import matches

        # An id prefix selects rules everywhere else (--select HL1): here it lists them.
        chosen = [item for item in ALL_RULES if matches(rule, item)]
        if not chosen:
            note(f"hooklint: unknown rule {rule!r}")
            return EXIT_USAGE
        _table(chosen)
        return EXIT_OK
    page = package_files.files("hooklint").joinpath(f"pages/{found.id}-{found.name}.md")
    from hooklint.report.pages import rule_page

    click.echo(rule_page(page.read_text("utf-8"), f"rules/{found.id}-{found.name}.md"), nl=False)
    return EXIT_OK


def _rules_json(rule: str | None) -> int:
    """Every rule's metadata as JSON, or the one rule's."""
    from hooklint.config.file import options_schema
    from hooklint.rules import ALL_RULES, get
    from hooklint.util import jsontext

    chosen = ALL_RULES if rule is None else [found] if (found := get(rule)) is not None else []
    if not chosen:
        note(f"hooklint: unknown rule {rule!r}")
        return EXIT_USAGE
    described = [
        {
            "id": item.id,
            "name": item.name,
            "severity": item.severity.value,
            "fix": item.fix.value,
            "summary": item.summary,
            "options": options_schema(item),
            "enabled_by_default": item.enabled_by_default,
        }
        for item in chosen
    ]
    click.echo(jsontext.dumps(described), nl=False)
    return EXIT_OK


def _table(chosen: Sequence[Rule]) -> None:
    click.echo(f"{'id':<6} {'name':<42} {'severity':<8} {'fix':<9} summary")
    for item in chosen:
        severity = item.severity.value + ("" if item.enabled_by_default else "*")
        click.echo(f"{item.id:<6} {item.name:<42} {severity:<8} {item.fix.value:<9} {item.summary}")
    if not all(item.enabled_by_default for item in chosen):
        click.echo("\n* off by default: turn on with --extend-select or `extend-select` in the configuration")
