"""Shared test helpers: build applications from YAML text and find the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.manifests.parse import FileResult, load_text
from hooklint.model import Resource
from hooklint.sync.plan import Plan
from hooklint.sync.scheduler import plan

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def resources(text: str, path: str = "app.yaml") -> tuple[Resource, ...]:
    result: FileResult = load_text(path, text)
    assert not result.problems, result.problems
    return result.resources


def plan_of(text: str, namespace: str = "default") -> Plan:
    return plan(resources(text), namespace)


def steps_of(text: str, namespace: str = "default") -> list[tuple[str, int, list[str]]]:
    """(phase, wave, [Kind/name, ...]) per step, the shape most ordering tests assert."""
    return [(s.phase, s.wave, [t.ident for t in s.tasks]) for s in plan_of(text, namespace).steps]


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
