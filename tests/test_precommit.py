"""The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit against this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT, git

BAD = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""


def snapshot(target: Path) -> str:
    """This checkout's working tree (committed or not) as a commit of a throwaway repository."""
    files = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    for name in files:
        source = ROOT / name
        if not os.path.lexists(source):
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, destination)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return git(target, "rev-parse", "HEAD")


@dataclass(frozen=True)
class Hooks:
    """One snapshot of this checkout and one pre-commit cache for the module: pre-commit builds the hooks'
    environment once, keyed by repository and revision, instead of once per test."""

    repo: Path
    rev: str
    cache: Path

    def config(self, hook: str, args: str = "") -> str:
        extra = f"        args: {args}\n" if args else ""
        return f"repos:\n  - repo: {self.repo}\n    rev: {self.rev}\n    hooks:\n      - id: {hook}\n{extra}"

    def run(self, project: Path, *options: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PRE_COMMIT_HOME": str(self.cache)}
        command = [sys.executable, "-m", "pre_commit", "run", *options, "--color", "never"]
        return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    if shutil.which("git") is None:
        pytest.skip("needs git")
    folder = tmp_path_factory.mktemp("pre-commit")
    repo = folder / "hooklint"
    return Hooks(repo, snapshot(repo), folder / "cache")


def test_pre_commit_hook_fails_on_the_finding_then_passes_once_fixed(tmp_path: Path, hooks: Hooks) -> None:
    project = tmp_path / "project"
    (project / "apps").mkdir(parents=True)
    (project / "apps" / "job.yaml").write_text(BAD)
    (project / ".pre-commit-config.yaml").write_text(hooks.config("hooklint", "[--select, HL101]"))
    git(project, "init", "-q")
    git(project, "add", "-A")
    failed = hooks.run(project, "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "apps/job.yaml:7:44: error HL101 named-hook-without-before-hook-creation" in failed.stdout
    (project / "apps" / "job.yaml").write_text(
        BAD.replace("HookSucceeded", "BeforeHookCreation,HookSucceeded")
    )
    git(project, "add", "-A")
    passed = hooks.run(project, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "hooklint" in passed.stdout and "Passed" in passed.stdout


def test_pre_commit_fix_hook_fixes_the_file_and_fails_then_passes(tmp_path: Path, hooks: Hooks) -> None:
    project = tmp_path / "project"
    (project / "apps").mkdir(parents=True)
    (project / "apps" / "job.yaml").write_text(BAD)
    (project / ".pre-commit-config.yaml").write_text(hooks.config("hooklint-fix", "[--select, HL101]"))
    git(project, "init", "-q")
    git(project, "add", "-A")
    fixed = hooks.run(project, "--all-files")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "hooklint fix" in fixed.stdout and "Failed" in fixed.stdout
    assert "- files were modified by this hook" in fixed.stdout
    assert "hooklint: fixed 1 finding(s) in 1 file(s) (HL101 ×1); 0 remain" in fixed.stdout
    assert (project / "apps" / "job.yaml").read_text() == BAD.replace(
        "hook-delete-policy: HookSucceeded", "hook-delete-policy: BeforeHookCreation,HookSucceeded"
    )
    git(project, "add", "-A")
    passed = hooks.run(project, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "hooklint fix" in passed.stdout and "Passed" in passed.stdout


def test_pre_commit_affected_hook_lints_only_the_applications_a_commit_changes(
    tmp_path: Path, hooks: Hooks
) -> None:
    project = tmp_path / "project"
    for app in ("a", "b"):
        (project / "apps" / app).mkdir(parents=True)
        (project / "apps" / app / "job.yaml").write_text(BAD)
    (project / ".hooklint.yaml").write_text("applications: ['apps/*']\nselect: [HL101]\n")
    (project / ".pre-commit-config.yaml").write_text(hooks.config("hooklint-affected"))
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "two applications, both with the pitfall")
    # A text file that is no manifest (a chart helper, a patch) still touches its application.
    (project / "apps" / "b" / "_helpers.tpl").write_text('{{- define "b.name" -}}b{{- end }}\n')
    git(project, "add", "-A")
    failed = hooks.run(project)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    # The staged file's application is linted whole, its unchanged Job included; the other is not.
    assert "apps/b/job.yaml:7:44: error HL101" in failed.stdout
    assert "apps/a/" not in failed.stdout
    assert "1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)" in failed.stdout


def test_every_hook_runs_an_existing_command_with_options_hooklint_knows() -> None:
    import yaml
    from click.testing import CliRunner

    from hooklint.cli.main import cli

    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()):
        program, *arguments = hook["entry"].split()
        assert program == "hooklint"
        # --help after the hook's own options parses them without running anything.
        result = CliRunner().invoke(cli, [*arguments, "--help"])
        assert result.exit_code == 0, (hook["id"], result.output)
        assert hook["pass_filenames"] == ("--affected" in arguments), hook["id"]


def test_a_committed_file_named_like_an_option_does_not_turn_the_affected_hook_green(
    tmp_path: Path, hooks: Hooks
) -> None:
    project = tmp_path / "project"
    (project / "apps" / "a").mkdir(parents=True)
    (project / "apps" / "a" / "job.yaml").write_text(BAD)
    (project / "--select=HL000").write_text("")
    (project / ".hooklint.yaml").write_text("applications: ['apps/*']\nselect: [HL101]\n")
    (project / ".pre-commit-config.yaml").write_text(hooks.config("hooklint-affected"))
    git(project, "init", "-q")
    git(project, "add", "-A")
    failed = hooks.run(project)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "apps/a/job.yaml:7:44: error HL101" in failed.stdout
