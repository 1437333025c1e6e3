"""Inputs for the annotation key and value rule tests (HL014, HL016-HL020): one Job linted with one rule."""

from __future__ import annotations

from hooklint.config.settings import Settings
from tests.helpers import Row, findings


def run(rule: str, text: str, version: str = "3.5.1", path: str = "app.yaml") -> list[Row]:
    return findings({path: text}, Settings(select=(rule,), argocd_version=version))


def job(annotations: str = "", labels: str = "", template: str = "", name: str = "migrate") -> str:
    """A Job whose metadata blocks are given as already indented YAML lines."""
    meta = f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n"
    if labels:
        meta += "  labels:\n" + labels
    if annotations:
        meta += "  annotations:\n" + annotations
    spec = "spec:\n  template:\n"
    if template:
        spec += "    metadata:\n" + template
    return meta + spec + "    spec:\n      restartPolicy: Never\n      containers: []\n"
