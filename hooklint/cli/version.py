"""`hooklint --version`: hooklint's version, the Python it runs on, the Argo CD version it targets by
default, and the helm and kustomize it would render charts and kustomizations with."""

from __future__ import annotations

import click

from hooklint import __version__

# `--version` asks each tool for its version; one that hangs must not hold up the answer.
TOOL_TIMEOUT = 3.0
TOOLS = (("helm", ("version", "--short")), ("kustomize", ("version",)))


def report() -> str:
    import platform

    from hooklint.config.settings import NEWEST_ARGOCD

    lines = [
        f"hooklint {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Argo CD {NEWEST_ARGOCD} targeted (unless --argocd-version or the configuration names another)",
        *(tool_line(name, args) for name, args in TOOLS),
    ]
    return "".join(line + "\n" for line in lines)


def tool_line(name: str, args: tuple[str, ...]) -> str:
    """`name`'s version and where it is, as the tool says it (its first line, escaped), or why not."""
    import shutil
    import subprocess

    from hooklint.util import spawn
    from hooklint.util.escape import terminal

    found = shutil.which(name)
    if found is None:
        extra = (
            " (kubectl kustomize renders kustomizations)"
            if name == "kustomize" and shutil.which("kubectl")
            else ""
        )
        return f"{name} not found{extra}"
    where = terminal(found)
    try:
        done = spawn.execute([found, *args], TOOL_TIMEOUT, spawn.renderer_environment())
    except subprocess.TimeoutExpired:
        return f"{name} {where}: no version within {TOOL_TIMEOUT:g} s"
    except OSError as error:
        return f"{name} {where}: cannot run: {error.strerror}"
    said = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if done.code != 0 or not said:
        return f"{name} {where}: no version (exit {done.code})"
    return f"{name} {terminal(said[0].strip())} ({where})"


def show(context: click.Context, _parameter: click.Parameter, asked: bool) -> None:
    """The eager --version option's callback: print the report and end."""
    if not asked or context.resilient_parsing:
        return
    click.echo(report(), nl=False)
    context.exit()
