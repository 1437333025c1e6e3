"""The lint verb's reports (hooklint/cli/lint.py): several formats and outputs in one run, the default format."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from tests.report.sample import BAD


def test_several_formats_and_outputs_in_one_run(tmp_path: Path) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    result = CliRunner().invoke(
        cli,
        [
            "lint",
            "--select",
            "HL101",
            "--format",
            "sarif",
            "--output",
            str(sarif),
            "--format",
            "junit",
            "--output",
            str(junit),
            "--format",
            "github",
            "-",
        ],
        input=BAD,
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=stdin,line=7,col=44,")
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "HL101"
    assert ElementTree.fromstring(junit.read_text()).get("failures") == "1"


def test_github_is_the_default_format_on_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunner().invoke(cli, ["lint", "--select", "HL101", "-"], input=BAD)
    assert result.stdout.startswith("::error ")


def test_more_outputs_than_formats_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["lint", "--output", "a", "--output", "b", "-"], input=BAD)
    assert result.exit_code == 2
