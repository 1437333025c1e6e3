"""A repository walk leaves out what git ignores, asked of the real git; files named on the command line
are read whatever git says."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.sources import ignored
from tests.helpers import named_hook


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    files = {
        ".gitignore": "build/\n*.local.yaml\n",
        "app/job.yaml": named_hook("app"),
        "app/dev.local.yaml": named_hook("local"),
        "build/out/job.yaml": named_hook("built"),
        "tracked/job.local.yaml": named_hook("tracked"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    # A file git tracks is not ignored, whatever the patterns say.
    subprocess.run(["git", "-C", str(tmp_path), "add", "-f", "tracked/job.local.yaml"], check=True)
    monkeypatch.chdir(tmp_path)
    ignored.forget()
    yield tmp_path
    ignored.forget()


def lint(*args: str) -> tuple[list[str], str]:
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "--select", "HL101", *args])
    assert result.exit_code in (0, 1), result.output
    return [f["file"] for f in json.loads(result.stdout)["findings"]], result.stderr


def test_a_walk_leaves_out_what_git_ignores_and_says_so_under_verbose(repo: Path) -> None:
    files, said = lint("-v", "app")
    assert files == ["app/job.yaml"]
    assert "hooklint: left out app/dev.local.yaml: ignored by git\n" in said


def test_a_repository_root_leaves_out_ignored_folders_but_not_tracked_files(repo: Path) -> None:
    assert lint(".")[0] == ["app/job.yaml", "tracked/job.local.yaml"]


def test_files_named_on_the_command_line_are_read_even_when_ignored(repo: Path) -> None:
    assert lint("app/dev.local.yaml", "build/out/job.yaml")[0] == ["app/dev.local.yaml", "build/out/job.yaml"]


def test_outside_a_git_repository_nothing_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "build" / "job.yaml").write_text(named_hook("built"))
    monkeypatch.chdir(tmp_path)
    ignored.forget()
    assert ignored.paths(".") == frozenset()
    assert lint(".")[0] == ["build/job.yaml"]
