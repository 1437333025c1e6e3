"""Inputs for the step ordering rule tests (HL204, HL205, HL207-HL210): one dedented file, one rule on."""

from __future__ import annotations

from textwrap import dedent
from typing import Any

from hooklint.config.settings import Settings
from tests.helpers import Row, findings, loaded


def findings_of(
    text: str,
    rule: str,
    *,
    version: str = "3.5.1",
    namespace: str = "shop",
    options: dict[str, Any] | None = None,
) -> list[Row]:
    settings = Settings(
        select=(rule,), argocd_version=version, namespace=namespace, options={rule: options or {}}
    )
    return findings(loaded({"app.yaml": dedent(text)}, clean=True), settings)


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
