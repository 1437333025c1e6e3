"""The real helm and kustomize for the tests in this folder: found on PATH, else the test is skipped, except
in CI (CI=true), where a missing tool fails the test so that CI never passes without running them."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from tests.helpers import ROOT


def require(tool: str) -> str:
    """The path of `tool` on PATH. Absent, the calling test is skipped, or fails when CI is "true"."""
    found = shutil.which(tool)
    if found is not None:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{tool} is not on PATH, and CI=true: the tests against the real {tool} must run in CI, "
            f"so put {tool} on PATH",
            pytrace=False,
        )
    pytest.skip(f"{tool} is not on PATH")


@pytest.fixture
def helm(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    return require("helm")


@pytest.fixture
def kustomize(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(ROOT)
    return require("kustomize")


Finding = tuple[str, str, int, int, str]


def findings(*args: str) -> list[Finding]:
    """`hooklint lint --format json ARGS`: (rule, file, line, column, message) per finding, in order."""
    result = CliRunner().invoke(cli, ["lint", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [
        (f["rule"], f["file"], f["line"], f["column"], f["message"])
        for f in json.loads(result.stdout)["findings"]
    ]


Step = tuple[str, int, list[tuple[str, str, str, int]]]


def steps(*args: str) -> list[Step]:
    """`hooklint explain --format json ARGS`: (phase, wave, [(Kind/name, namespace, file, line), ...]) per step."""
    result = CliRunner().invoke(cli, ["explain", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return [
        (
            step["phase"],
            step["wave"],
            [(f"{t['kind']}/{t['name']}", t["namespace"], t["file"], t["line"]) for t in step["tasks"]],
        )
        for step in json.loads(result.stdout)["steps"]
    ]


def explain(*args: str) -> str:
    result = CliRunner().invoke(cli, ["explain", *args])
    assert result.exit_code == 0, result.output
    return result.stdout
