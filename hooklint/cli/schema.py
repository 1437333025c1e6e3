"""The `schema` verb: the configuration's JSON Schema, every rule's options in it, for editors to validate
`.hooklint.yaml` with."""

from __future__ import annotations

import click

from hooklint.cli.common import EXIT_OK


@click.command(name="schema")
def schema_command() -> int:
    """Print the JSON Schema of the configuration (.hooklint.yaml, or [tool.hooklint] in pyproject.toml)."""
    from hooklint.config.file import schema
    from hooklint.rules import ALL_RULES
    from hooklint.util import jsontext

    click.echo(jsontext.dumps(schema(ALL_RULES)), nl=False)
    return EXIT_OK
