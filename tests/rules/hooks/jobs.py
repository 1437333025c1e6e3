"""Inputs for the hook object rule tests (HL107, HL108, HL110-HL115): app.yaml and more files, one rule on."""

from __future__ import annotations

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Finding
from tests import helpers
from tests.helpers import Row


def findings(rule: str, text: str, *, version: str = "3.5.1", **more: str) -> list[Finding]:
    files = {"app.yaml": text, **{f"{name}.yaml": body for name, body in more.items()}}
    return lint(helpers.loaded(files, clean=True), Settings(select=(rule,), argocd_version=version))


def rows(rule: str, text: str, *, version: str = "3.5.1", **more: str) -> list[Row]:
    return helpers.rows(findings(rule, text, version=version, **more))


def job(name: str, annotations: str = "", *, meta: str = "", spec: str = "") -> str:
    """A batch Job; `annotations` are indented lines under metadata.annotations."""
    notes = f"  annotations:\n{annotations}" if annotations else ""
    return f"""\
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
{meta}{notes}spec:
{spec}  template:
    spec:
      restartPolicy: Never
      containers:
        - name: run
          image: registry.example.com/tools:1.0
"""
