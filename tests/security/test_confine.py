"""Item 6: a run reads and writes nothing outside the repository, whatever the configuration, the paths
given or the links met say; outside is a note on standard error and no read, and never a write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import NAMED_HOOK
from tests.security.harness import Sandbox, sandbox

JOB = NAMED_HOOK


def test_configured_paths_outside_the_repository_are_not_read(box: Sandbox) -> None:
    secret = box.outside / "secret.txt"
    box.write(".hooklint.yaml", f'paths: ["{secret}", "../outside", "app"]\n')
    box.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = box.run(["lint", "--jobs", "1", "--format", "json"])
    assert result.code == 0
    assert "stolen" not in result.stdout
    assert result.stderr == (
        f"hooklint: {secret} lies outside the repository: not read\n"
        "hooklint: ../outside lies outside the repository: not read\n"
    )
    box.confined(result)


def test_a_link_given_as_a_path_that_points_outside_is_not_read(box: Sandbox) -> None:
    (box.root / "job.yaml").symlink_to(box.outside / "secret.txt")
    result = box.run(["lint", "--jobs", "1", "job.yaml"])
    assert "stolen" not in result.stdout
    assert (result.code, result.stderr) == (
        2,
        "hooklint: job.yaml lies outside the repository: not read\n"
        "hooklint: nothing was checked: no manifest could be read from job.yaml\n",
    )
    box.confined(result)


def test_fix_does_not_write_through_a_link_that_points_outside(box: Sandbox) -> None:
    target = box.outside / "job.yaml"
    target.write_text(JOB)
    (box.root / "job.yaml").symlink_to(target)
    result = box.run(["fix", "job.yaml"])
    assert target.read_text() == JOB
    assert os.path.islink(box.root / "job.yaml")
    assert result.stderr.startswith("hooklint: job.yaml lies outside the repository: not read\n")
    box.confined(result)


def test_fix_does_not_rewrite_a_kustomization_base_outside_the_repository(box: Sandbox) -> None:
    base = box.outside / "base"
    base.mkdir()
    (base / "kustomization.yaml").write_text("resources: [job.yaml]\n")
    (base / "job.yaml").write_text(JOB)
    box.write("app/kustomization.yaml", "resources: [../../outside/base]\n")
    box.tool("kustomize", stdout=JOB)
    result = box.run(["fix", "app"])
    assert (base / "job.yaml").read_text() == JOB
    assert box.writes_outside(result.events) == []
    # The kustomization is looked at before any build: a base outside the repository means no build.
    assert result.stderr == (
        "hooklint: app is not built: app/kustomization.yaml's resources entry '../../outside/base' lies "
        "outside the repository; its files are linted as they are\n"
        "hooklint: fixed 0 finding(s) in 0 file(s); 0 remain\n"
    )
    assert box.argv("kustomize") == []
    box.confined(result)


def test_a_link_met_in_a_walk_is_not_followed(box: Sandbox) -> None:
    (box.root / "app").mkdir()
    (box.root / "app" / "job.yaml").symlink_to(box.outside / "secret.txt")
    (box.root / "app" / "out").symlink_to(box.outside)
    result = box.run(["fix", "app"])
    assert (result.code, result.stdout) == (0, "")
    box.confined(result)


# Gap D: what links lead to, before anything lists or reads it -------------------------------------------

APP = (
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop}\n"
    "spec: {destination: {namespace: shop}, source: {path: .}}\n"
)
HL101 = "job.yaml:7:44: error HL101 named-hook-without-before-hook-creation"


@pytest.mark.parametrize("name", [".hooklint.yaml", "pyproject.toml"])
@pytest.mark.parametrize("git", [False, True], ids=["folder", "git"])
def test_a_configuration_file_that_links_outside_is_not_read(tmp_path: Path, name: str, git: bool) -> None:
    with sandbox(tmp_path, git=git) as box:
        (box.outside / name).write_text('apiVersion: v1\n[tool.hooklint]\nselect = ["HL1"]\n')
        (box.root / name).symlink_to(box.outside / name)
        box.write("job.yaml", JOB)
        result = box.run(["lint", "--jobs", "1", "job.yaml"])
        shown = os.path.join(os.path.realpath(box.root), name)
        assert (result.code, result.stdout) == (2, "")
        assert result.stderr == f"hooklint: {shown} lies outside the repository: not read\n"
        box.confined(result)


def test_a_configuration_named_outside_the_repository_on_the_command_line_is_read(git_box: Sandbox) -> None:
    box = git_box
    (box.outside / "strict.yaml").write_text("select: [HL101]\n")
    box.write("job.yaml", JOB)
    result = box.run(["lint", "--jobs", "1", "--config", str(box.outside / "strict.yaml"), "job.yaml"])
    assert (result.code, result.stderr) == (1, "")
    assert [line.split(":", 3)[:3] for line in result.stdout.splitlines() if " HL" in line] == [
        ["job.yaml", "7", "44"]
    ]
    assert result.stdout.startswith(HL101)


@pytest.mark.parametrize(
    "verb", [["lint", "--jobs", "1"], ["fix"], ["explain"]], ids=["lint", "fix", "explain"]
)
def test_a_folder_given_as_a_link_that_points_outside_is_not_listed(box: Sandbox, verb: list[str]) -> None:
    (box.outside / "job.yaml").write_text(JOB)
    (box.root / "linked").symlink_to(box.outside)
    box.write("job.yaml", JOB)
    result = box.run([*verb, "linked", "job.yaml"])
    assert result.stderr.startswith("hooklint: linked lies outside the repository: not read\n")
    assert "linked/" not in result.stdout + result.stderr
    box.confined(result)
    alone = box.run([*verb, "linked"])
    assert (alone.code, alone.stdout, alone.stderr) == (
        2,
        "",
        "hooklint: linked lies outside the repository: not read\n"
        "hooklint: nothing was checked: no manifest could be read from linked\n",
    )
    box.confined(alone)


@pytest.mark.parametrize(
    ("verb", "option"),
    [
        (["lint", "--jobs", "1"], "--app"),
        (["fix"], "--app"),
        (["explain"], "--app"),
        (["lint"], "--baseline"),
    ],
    ids=["lint-app", "fix-app", "explain-app", "lint-baseline"],
)
def test_a_file_named_by_an_option_that_links_outside_is_not_read(
    box: Sandbox, verb: list[str], option: str
) -> None:
    (box.outside / "app.yaml").write_text(APP)
    (box.root / "app.yaml").symlink_to(box.outside / "app.yaml")
    box.write("job.yaml", JOB)
    result = box.run([*verb, option, "app.yaml", "job.yaml"])
    assert (result.code, result.stdout, result.stderr) == (
        2,
        "",
        "hooklint: app.yaml lies outside the repository: not read\n",
    )
    box.confined(result)
