"""The `lsp` verb: the language server for editors on standard input and output (docs/lsp.md)."""

from __future__ import annotations

import click

from hooklint.cli.common import EXIT_USAGE, note


@click.command(name="lsp")
def lsp_command() -> int:
    """Run the language server on standard input and output, for an editor to start (needs hooklint[lsp])."""
    import importlib.util  # here, not at start-up: every other verb would pay for it

    if importlib.util.find_spec("pygls") is None:
        note("hooklint: the language server needs pygls: pip install 'hooklint[lsp]'")
        return EXIT_USAGE
    from hooklint.lsp.server import serve

    return serve()
