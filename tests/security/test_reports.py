"""Item 12: report files (--output, --write-baseline) are written whole or not at all, never through a link,
and a run that fails (exit 2 or 3) leaves no report of an earlier run where its own was asked for."""

from __future__ import annotations

import json
import os

import pytest

from hooklint import rules as registry
from hooklint.model import Rule, Severity
from tests.security.harness import Event, Sandbox

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"


def _opened_for_writing(events: list[Event], path: str) -> bool:
    return any(
        event.name == "open"
        and isinstance(event.args[0], str)
        and os.path.realpath(os.path.join(event.cwd, os.fsdecode(event.args[0])))  # type: ignore[arg-type]
        == path
        and isinstance(event.args[1], str)
        and "w" in event.args[1]
        for event in events
    )


@pytest.mark.parametrize("option", ["--output", "--write-baseline"], ids=["output", "baseline"])
def test_a_report_path_that_is_a_link_is_replaced_not_written_through(box: Sandbox, option: str) -> None:
    box.write("app/cm.yaml", CM)
    target = box.outside / "report.json"
    target.write_text("theirs\n")
    (box.root / "report.json").symlink_to(target)
    args = (
        ["--format", "json", "--output", "report.json"] if option == "--output" else [option, "report.json"]
    )
    result = box.run(["lint", "--jobs", "1", *args, "app"])
    assert result.code == 0
    assert target.read_text() == "theirs\n"
    assert not os.path.islink(box.root / "report.json")
    json.loads((box.root / "report.json").read_text())
    box.confined(result)


@pytest.mark.parametrize("option", ["--output", "--write-baseline"], ids=["output", "baseline"])
def test_a_report_is_written_to_a_temporary_file_then_renamed(box: Sandbox, option: str) -> None:
    box.write("app/cm.yaml", CM)
    args = (
        ["--format", "json", "--output", "report.json"] if option == "--output" else [option, "report.json"]
    )
    result = box.run(["lint", "--jobs", "1", *args, "app"])
    path = os.path.realpath(box.root / "report.json")
    assert result.code == 0
    assert not _opened_for_writing(result.events, path)
    renames = [e for e in result.events if e.name == "os.rename"]
    assert [os.path.realpath(os.path.join(e.cwd, os.fsdecode(e.args[1]))) for e in renames] == [path]  # type: ignore[arg-type]
    assert os.path.basename(os.fsdecode(renames[0].args[0])).startswith(".hooklint-")  # type: ignore[arg-type]
    assert sorted(os.listdir(box.root)) == ["app", "report.json"]


@pytest.mark.parametrize("option", ["--output", "--write-baseline"], ids=["output", "baseline"])
def test_a_usage_error_removes_the_report_of_an_earlier_run(box: Sandbox, option: str) -> None:
    box.write("app/cm.yaml", CM)
    box.write("report.sarif", '{"stale": true}\n')
    target = (
        ["--format", "sarif", "--output", "report.sarif"]
        if option == "--output"
        else [option, "report.sarif"]
    )
    result = box.run(["lint", "--jobs", "1", *target, "--select", "HL999", "app"])
    assert result.code == 2
    assert not os.path.lexists(box.root / "report.sarif")


def test_an_internal_error_removes_the_report_of_an_earlier_run(
    box: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(ctx: object) -> list[object]:
        raise KeyError("spec")

    crash = Rule("HL997", "crashes", "test", Severity.ERROR, boom)  # type: ignore[arg-type]
    monkeypatch.setattr(registry, "ALL_RULES", (*registry.ALL_RULES, crash))
    box.write("app/cm.yaml", CM)
    box.write("report.sarif", '{"stale": true}\n')
    result = box.run(
        ["lint", "--jobs", "1", "--format", "sarif", "--output", "report.sarif", "--select", "HL997", "app"]
    )
    assert result.code == 3
    assert not os.path.lexists(box.root / "report.sarif")


# Errors click raises while it reads the command line end the run before any verb runs: the same exit 2.
PARSE_ERRORS = {
    "unknown-option": ["--bogus"],
    "bad-choice": ["--fail-on", "nope"],
    "bad-number": ["--jobs", "x"],
    "missing-config": ["--config", "missing.yaml"],
}


@pytest.mark.parametrize("option", ["--output", "--write-baseline"], ids=["output", "baseline"])
@pytest.mark.parametrize("error", list(PARSE_ERRORS.values()), ids=list(PARSE_ERRORS))
def test_an_error_in_the_command_line_removes_the_report_of_an_earlier_run(
    box: Sandbox, error: list[str], option: str
) -> None:
    box.write("app/cm.yaml", CM)
    box.write("report.sarif", '{"stale": true}\n')
    box.write("kept.sarif", '{"stale": true}\n')
    target = (
        ["--format", "sarif", "--output", "report.sarif"]
        if option == "--output"
        else [option, "report.sarif"]
    )
    result = box.run(["lint", *target, *error, "--", "app", "kept.sarif"])
    assert result.code == 2
    assert not os.path.lexists(box.root / "report.sarif")
    assert (box.root / "kept.sarif").exists()  # a path, not a report
    box.confined(result)


def test_a_report_link_is_removed_and_what_it_points_to_is_kept(box: Sandbox) -> None:
    target = box.outside / "report.sarif"
    target.write_text("theirs\n")
    (box.root / "report.sarif").symlink_to(target)
    result = box.run(["lint", "--format", "sarif", "--output", "report.sarif", "--bogus", "."])
    assert result.code == 2
    assert not os.path.lexists(box.root / "report.sarif")
    assert target.read_text() == "theirs\n"
    box.confined(result)


def test_a_report_in_a_folder_that_links_outside_is_not_removed(box: Sandbox) -> None:
    target = box.outside / "report.sarif"
    target.write_text("theirs\n")
    (box.root / "out").symlink_to(box.outside)
    result = box.run(["lint", "--format", "sarif", "--output", "out/report.sarif", "--bogus", "."])
    assert result.code == 2
    assert target.read_text() == "theirs\n"
    box.confined(result)


def test_help_removes_nothing(box: Sandbox) -> None:
    box.write("report.sarif", '{"stale": true}\n')
    result = box.run(["lint", "--output", "report.sarif", "--help"])
    assert result.code == 0
    assert (box.root / "report.sarif").exists()
