"""What the suppression tests lint (tests/config/test_suppress.py, and HL000's in tests/rules/annotations): a named
PreSync hook whose delete-policy line can end in a comment, with HL101, HL000 and HL012 on."""

from __future__ import annotations

from typing import Any

from tests import helpers

SELECTED = ("HL101", "HL000", "HL012")


def run(files: dict[str, str], **settings: Any) -> list[tuple[str, int, str, str]]:
    """(file, line, rule, message) per finding."""
    found = helpers.rows(helpers.lint_with(SELECTED, files, clean=False, **settings))
    return [(path, line, rule, message) for path, line, _, rule, message in found]


def job(name: str = "migrate", trailing: str = "") -> str:
    """The hook; `trailing` ends the delete-policy line, HL101's line 7."""
    annotations = (
        "    argocd.argoproj.io/hook: PreSync\n"
        f"    argocd.argoproj.io/hook-delete-policy: HookSucceeded{trailing}\n"
    )
    return helpers.job(
        name, annotations, containers=helpers.container("main", "registry.example.com/job:1.0.0")
    )
