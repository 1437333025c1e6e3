"""--applications: a repository of many applications, each planned and linted on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli import cli
from hooklint.config import Settings
from hooklint.partition import split

CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shared
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
"""
HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shared
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for app, wave in (("a", 1), ("b", 2)):
        (tmp_path / "apps" / app).mkdir(parents=True)
        (tmp_path / "apps" / app / "config.yaml").write_text(CONFIG.format(wave=wave))
    (tmp_path / "apps" / "a" / "hook.yaml").write_text(HOOK)
    (tmp_path / "loose.yaml").write_text(CONFIG.format(wave=0).replace("settings", "loose"))
    return tmp_path


def findings(args: list[str]) -> list[tuple[str, str]]:
    result = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--select", "HL004", "--select", "HL101", *args]
    )
    return [
        (f["rule"], f["file"].rsplit("/", 2)[-2] + "/" + f["file"].rsplit("/", 1)[-1])
        for f in json.loads(result.stdout)["findings"]
    ]


def test_roots_are_split_out_and_the_rest_is_one_more_part(repo: Path) -> None:
    parts = split([str(repo)], ["apps/*"], Settings())
    assert parts == [(str(repo / "apps" / "a"),), (str(repo / "apps" / "b"),), (str(repo / "loose.yaml"),)]


def test_applications_are_not_compared_with_each_other(repo: Path) -> None:
    # As one application, the two apps' ConfigMaps in the same namespace look like a duplicate.
    assert findings([str(repo)]) == [("HL101", "a/hook.yaml"), ("HL004", "b/config.yaml")]
    assert findings(["--applications", "apps/*", str(repo)]) == [("HL101", "a/hook.yaml")]


def test_jobs_do_not_change_the_output(repo: Path) -> None:
    one = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--applications", "apps/*", "--jobs", "1", str(repo)]
    )
    two = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--applications", "apps/*", "--jobs", "2", str(repo)]
    )
    assert (one.exit_code, one.stdout) == (two.exit_code, two.stdout)
    assert json.loads(one.stdout)["summary"] == {
        "files": 4,
        "resources": 4,
        "error": 1,
        "warning": 2,
        "info": 0,
    }


def test_a_config_suppression_used_by_one_application_is_not_unused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".git").mkdir()
    (repo / ".hooklint.yaml").write_text(
        "applications: ['apps/*']\nselect: [HL101, HL000]\nsuppress:\n  - rules: [HL101]\n    name: migrate\n    reason: legacy\n"
        "  - rules: [HL101]\n    name: nothing-matches\n    reason: stale\n"
    )
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "."])
    found = [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("HL000", f"{repo}/.hooklint.yaml", 7)]
