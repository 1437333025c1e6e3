"""Inputs for the step ordering rule tests (HL204, HL205, HL207-HL210): one dedented file, one rule on."""

from __future__ import annotations

from textwrap import dedent
from typing import Any

from hooklint.config.settings import NEWEST_ARGOCD
from tests.helpers import Row, lint_with, rows


def findings_of(
    text: str,
    rule: str,
    *,
    version: str = NEWEST_ARGOCD,
    namespace: str = "shop",
    options: dict[str, Any] | None = None,
) -> list[Row]:
    """The text dedented as app.yaml, linted with one rule for the destination namespace shop."""
    return rows(lint_with(rule, dedent(text), argocd_version=version, namespace=namespace, options=options))


def application(name: str, wave: str | None) -> str:
    annotation = f"\n  annotations:\n    argocd.argoproj.io/sync-wave: {wave!r}" if wave is not None else ""
    return (
        "apiVersion: argoproj.io/v1alpha1\n"
        "kind: Application\n"
        "metadata:\n"
        f"  name: {name}\n"
        f"  namespace: argocd{annotation}\n"
        "spec:\n"
        "  project: platform\n"
        "  destination: {server: https://kubernetes.default.svc, namespace: " + name + "}\n"
        "  source: {repoURL: https://git.example.com/platform.git, path: "
        + name
        + ", targetRevision: main}\n"
    )
