"""Inputs for the hook lifecycle rule tests (HL101-HL106): one file linted with one rule and its options."""

from __future__ import annotations

from typing import Any

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Severity
from tests.helpers import Row, findings, loaded

PRESYNC = "    argocd.argoproj.io/hook: PreSync\n"
GENERATED = "  generateName: migrate-\n"


def _settings(rule: str, version: str, options: dict[str, Any] | None) -> Settings:
    return Settings(select=(rule,), argocd_version=version, options={rule: options or {}})


def findings_of(
    text: str, rule: str, *, version: str = "3.5.1", options: dict[str, Any] | None = None
) -> list[Row]:
    return findings(loaded({"app.yaml": text}, clean=True), _settings(rule, version, options))


def with_severity(
    text: str, rule: str, *, version: str = "3.5.1", options: dict[str, Any] | None = None
) -> list[tuple[str, int, int, str, str, Severity]]:
    found = lint(loaded({"app.yaml": text}, clean=True), _settings(rule, version, options))
    return [(f.span.path, f.span.line, f.span.column, f.rule, f.message, f.severity) for f in found]


def job(annotations: str, spec: str = "", *, meta: str = "  name: migrate\n") -> str:
    """A Job with the given annotation lines (4-space indented) and extra spec lines (2-space indented)."""
    return (
        "apiVersion: batch/v1\n"
        "kind: Job\n"
        "metadata:\n"
        f"{meta}"
        "  annotations:\n"
        f"{annotations}"
        "spec:\n"
        f"{spec}"
        "  template:\n"
        "    spec:\n"
        "      restartPolicy: Never\n"
        "      containers:\n"
        "        - name: migrate\n"
        "          image: registry.example.com/shop/api:1.4.2\n"
    )


def pod(annotations: str, spec: str = "") -> str:
    return (
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata:\n"
        "  name: smoke-test\n"
        "  annotations:\n"
        f"{annotations}"
        "spec:\n"
        f"{spec}"
        "  containers:\n"
        "    - name: curl\n"
        "      image: curlimages/curl:8.8.0\n"
    )
