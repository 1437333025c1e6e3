"""`explain --base`: the sync plan's diff, end to end in a throwaway git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import invoke, write
from tests.sources.test_git import git

MIGRATE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: {hook}
{extra}spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
"""
SMOKE = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: smoke
  annotations:
    argocd.argoproj.io/hook: PostSync
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
"""
CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
"""
BASE = {
    ".hooklint.yaml": "select: [HL104]\n",
    "app/migrate.yaml": MIGRATE.format(hook="PreSync", extra=""),
    "app/smoke.yaml": SMOKE,
    "app/settings.yaml": CONFIG.format(name="settings", wave=1),
    "app/legacy.yaml": CONFIG.format(name="legacy", wave=3),
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, BASE)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def change(repo: Path) -> None:
    """Every kind of change at once: a hook moved to another phase and wave with another delete policy, a
    hook without a deadline removed and one added, a resource added and one gone."""
    extra = (
        '    argocd.argoproj.io/sync-wave: "1"\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n'
    )
    (repo / "app/migrate.yaml").write_text(MIGRATE.format(hook="Sync", extra=extra))
    (repo / "app/smoke.yaml").unlink()
    (repo / "app/legacy.yaml").unlink()
    (repo / "app/seed.yaml").write_text(SMOKE.replace("smoke", "seed").replace("PostSync", "PreSync"))
    (repo / "app/flags.yaml").write_text(CONFIG.format(name="flags", wave=2))


DEADLINE = "has no activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up the sync forever"
TEXT = (
    "Sync plan changes since HEAD: 2 tasks added, 1 task removed, 1 task moved, 1 hook changed, 1 prune, 1 step added, 1 step removed, 1 finding introduced, 1 finding resolved\n"
    "\n"
    "Tasks added\n"
    "    ConfigMap/flags: Sync wave 2  app/flags.yaml:1\n"
    "    Job/seed: PreSync wave 0  app/seed.yaml:1\n"
    "\n"
    "Tasks removed\n"
    "    Job/smoke: PostSync wave 0  HEAD:app/smoke.yaml:1  (gone from Git)\n"
    "\n"
    "Tasks moved\n"
    "    Job/migrate: PreSync wave 0 → Sync wave 1\n"
    "\n"
    "Hooks changed\n"
    "    Job/migrate: hook PreSync → Sync; delete policy BeforeHookCreation → HookSucceeded\n"
    "\n"
    "Prunes (gone from Git)\n"
    "    ConfigMap/legacy: Sync wave 3  HEAD:app/legacy.yaml:1\n"
    "\n"
    "Steps added\n"
    "    Sync wave 2\n"
    "\n"
    "Steps removed\n"
    "    PostSync wave 0\n"
    "\n"
    "Findings introduced\n"
    "    app/seed.yaml:7:1: HL104 warning: Job/seed (PreSync wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up the sync forever\n"
    "\n"
    "Findings resolved\n"
    "    HEAD:app/smoke.yaml:7:1: HL104 warning: Job/smoke (PostSync wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up the sync forever\n"
)
MARKDOWN = (
    "**Sync plan changes since HEAD: 2 tasks added, 1 task removed, 1 task moved, 1 hook changed, 1 prune, 1 step added, 1 step removed, 1 finding introduced, 1 finding resolved**\n"
    "\n"
    "| Change | Object | Before | After |\n"
    "|---|---|---|---|\n"
    "| task added | `ConfigMap/flags` |  | Sync wave 2 |\n"
    "| task added | `Job/seed` |  | PreSync wave 0 |\n"
    "| task removed | `Job/smoke` | PostSync wave 0 | gone from Git |\n"
    "| task moved | `Job/migrate` | PreSync wave 0 | Sync wave 1 |\n"
    "| hook changed | `Job/migrate` | PreSync | Sync |\n"
    "| delete policy changed | `Job/migrate` | BeforeHookCreation | HookSucceeded |\n"
    "| pruned | `ConfigMap/legacy` |  | Sync wave 3 |\n"
    "| step added |  |  | Sync wave 2 |\n"
    "| step removed |  | PostSync wave 0 |  |\n"
    "\n"
    "| Finding | Rule | Where | Message |\n"
    "|---|---|---|---|\n"
    "| introduced | HL104 warning | `app/seed.yaml:7` | Job/seed (PreSync wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up the sync forever |\n"
    "| resolved | HL104 warning | `HEAD:app/smoke.yaml:7` | Job/smoke (PostSync wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up the sync forever |\n"
)


def obj(kind: str, name: str, file: str, hook: bool) -> dict[str, object]:
    group = "batch" if kind == "Job" else ""
    return {
        "kind": kind,
        "group": group,
        "name": name,
        "generate_name": False,
        "namespace": "default",
        "hook": hook,
        "file": file,
        "line": 1,
    }


def finding(name: str, file: str, phase: str) -> dict[str, object]:
    return {
        "rule": "HL104",
        "severity": "warning",
        "message": f"Job/{name} ({phase} wave 0) {DEADLINE}",
        "file": file,
        "line": 7,
        "column": 1,
        "resource": {"kind": "Job", "name": name, "namespace": "default", "group": "batch"},
    }


@pytest.mark.parametrize(
    ("output_format", "expected"), [("text", TEXT), ("markdown", MARKDOWN)], ids=["text", "markdown"]
)
def test_every_kind_of_change(repo: Path, output_format: str, expected: str) -> None:
    change(repo)
    assert invoke(["explain", "--base", "HEAD", "--format", output_format, "app"]) == (0, expected, "")


def test_json_holds_every_kind_of_change(repo: Path) -> None:
    change(repo)
    code, out, err = invoke(["explain", "--base", "HEAD", "--format", "json", "app"])
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "version": 1,
        "base": "HEAD",
        "namespace": "default",
        "summary": TEXT.splitlines()[0],
        "tasks_added": [
            {
                **obj("ConfigMap", "flags", "app/flags.yaml", False),
                "before": [],
                "after": ["Sync wave 2"],
                "reason": None,
            },
            {
                **obj("Job", "seed", "app/seed.yaml", True),
                "before": [],
                "after": ["PreSync wave 0"],
                "reason": None,
            },
        ],
        "tasks_removed": [
            {
                **obj("Job", "smoke", "HEAD:app/smoke.yaml", True),
                "before": ["PostSync wave 0"],
                "after": [],
                "reason": "gone from Git",
            }
        ],
        "tasks_moved": [
            {
                **obj("Job", "migrate", "app/migrate.yaml", True),
                "before": ["PreSync wave 0"],
                "after": ["Sync wave 1"],
                "reason": None,
            }
        ],
        "hooks_changed": [
            {
                **obj("Job", "migrate", "app/migrate.yaml", True),
                "hook_types": {"before": ["PreSync"], "after": ["Sync"]},
                "delete_policies": {"before": ["BeforeHookCreation"], "after": ["HookSucceeded"]},
            }
        ],
        "prunes": [{**obj("ConfigMap", "legacy", "HEAD:app/legacy.yaml", False), "phase": "Sync", "wave": 3}],
        "not_pruned": [],
        "steps_added": [{"phase": "Sync", "wave": 2}],
        "steps_removed": [{"phase": "PostSync", "wave": 0}],
        "findings_introduced": [finding("seed", "app/seed.yaml", "PreSync")],
        "findings_resolved": [finding("smoke", "HEAD:app/smoke.yaml", "PostSync")],
    }


def test_a_finding_that_only_moves_lines_is_neither_introduced_nor_resolved(repo: Path) -> None:
    (repo / "app/smoke.yaml").write_text("# the smoke test\n" + SMOKE)
    assert invoke(["explain", "--base", "HEAD", "app"]) == (0, "No change to the sync plan since HEAD\n", "")


def test_no_change_is_one_line(repo: Path) -> None:
    assert invoke(["explain", "--base", "HEAD", "app"]) == (0, "No change to the sync plan since HEAD\n", "")


def test_objects_a_sync_starts_or_stops_applying_and_an_object_left_in_the_cluster(repo: Path) -> None:
    skipped = CONFIG.format(name="toggled", wave=0) + "    argocd.argoproj.io/hook: Skip\n"
    kept = CONFIG.format(name="kept", wave=0) + "    argocd.argoproj.io/sync-options: Prune=false\n"
    write(
        repo,
        {
            "app/toggled.yaml": skipped,
            "app/kept.yaml": kept,
        },
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")
    (repo / "app/toggled.yaml").write_text(CONFIG.format(name="toggled", wave=0))
    (repo / "app/kept.yaml").unlink()
    (repo / "app/settings.yaml").write_text(
        CONFIG.format(name="settings", wave=1) + "    argocd.argoproj.io/hook: Skip\n"
    )
    code, out, _ = invoke(["explain", "--base", "HEAD", "app"])
    assert code == 0
    assert out == (
        "Sync plan changes since HEAD: 1 task added, 1 task removed, 1 object left unpruned, 1 step removed\n"
        "\nTasks added\n    ConfigMap/toggled: Sync wave 0  app/toggled.yaml:1  (was not applied: skip)\n"
        "\nTasks removed\n    ConfigMap/settings: Sync wave 1  app/settings.yaml:1  (not applied: skip)\n"
        "\nPrunes (gone from Git)\n"
        "    ConfigMap/kept: not pruned (Prune=false: left in the cluster, the app stays OutOfSync)  HEAD:app/kept.yaml:1\n"
        "\nSteps removed\n    Sync wave 1\n"
    )


def test_a_file_finding_is_matched_by_its_path_in_the_repository(repo: Path) -> None:
    write(repo, {"app/broken.yaml": "a: [\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "broken")
    write(repo, {".hooklint.yaml": "select: [HL001]\n", "app/broken.yaml": "a: [\n"})
    assert invoke(["explain", "--base", "HEAD", "app"])[1] == "No change to the sync plan since HEAD\n"
    (repo / "app/broken.yaml").write_text("a: []\n")
    out = invoke(["explain", "--base", "HEAD", "app"])[1]
    assert out.startswith(
        "Sync plan changes since HEAD: 1 finding resolved\n\nFindings resolved\n    HEAD:app/broken.yaml:2:1: HL001 error: "
    )


def test_markdown_escapes_the_names_and_messages_it_shows(repo: Path) -> None:
    write(repo, {"app/odd.yaml": CONFIG.format(name="a|b`<i>", wave=1)})
    out = invoke(["explain", "--base", "HEAD", "--format", "markdown", "app"])[1]
    assert out == (
        "**Sync plan changes since HEAD: 1 task added**\n"
        "\n| Change | Object | Before | After |\n|---|---|---|---|\n"
        "| task added | ``ConfigMap/a\\|b`<i>`` |  | Sync wave 1 |\n"
    )


def commit(repo: Path, files: dict[str, str]) -> None:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "more")


def test_a_hook_moved_to_another_wave_keeps_its_finding(repo: Path) -> None:
    (repo / "app/smoke.yaml").write_text(
        SMOKE.replace("PostSync\n", 'PostSync\n    argocd.argoproj.io/sync-wave: "1"\n')
    )
    assert invoke(["explain", "--base", "HEAD", "app"]) == (
        0,
        "Sync plan changes since HEAD: 1 task moved, 1 step added, 1 step removed\n"
        "\nTasks moved\n    Job/smoke: PostSync wave 0 → PostSync wave 1\n"
        "\nSteps added\n    PostSync wave 1\n"
        "\nSteps removed\n    PostSync wave 0\n",
        "",
    )


def test_a_hook_moved_from_presync_to_sync_keeps_its_finding(repo: Path) -> None:
    seed = SMOKE.replace("smoke", "seed")
    commit(repo, {"app/seed.yaml": seed.replace("PostSync", "PreSync")})
    (repo / "app/seed.yaml").write_text(seed.replace("PostSync", "Sync"))
    assert invoke(["explain", "--base", "HEAD", "app"]) == (
        0,
        "Sync plan changes since HEAD: 1 task moved, 1 hook changed, 1 step added\n"
        "\nTasks moved\n    Job/seed: PreSync wave 0 → Sync wave 0\n"
        "\nHooks changed\n    Job/seed: hook PreSync → Sync\n"
        "\nSteps added\n    Sync wave 0\n",
        "",
    )


def test_a_moved_hook_that_gains_a_finding_shows_it_introduced(repo: Path) -> None:
    # migrate moves and loses its deadline: its HL104 is new; smoke's, which moves too, persists.
    (repo / "app/migrate.yaml").write_text(
        MIGRATE.format(hook="Sync", extra="").replace("  activeDeadlineSeconds: 60\n", "")
    )
    (repo / "app/smoke.yaml").write_text(SMOKE.replace("PostSync", "Sync"))
    assert invoke(["explain", "--base", "HEAD", "app"]) == (
        0,
        "Sync plan changes since HEAD: 2 tasks moved, 2 hooks changed, 1 step added, 2 steps removed, "
        "1 finding introduced\n"
        "\nTasks moved\n    Job/migrate: PreSync wave 0 → Sync wave 0\n    Job/smoke: PostSync wave 0 → Sync wave 0\n"
        "\nHooks changed\n    Job/migrate: hook PreSync → Sync\n    Job/smoke: hook PostSync → Sync\n"
        "\nSteps added\n    Sync wave 0\n"
        "\nSteps removed\n    PreSync wave 0\n    PostSync wave 0\n"
        f"\nFindings introduced\n    app/migrate.yaml:7:1: HL104 warning: Job/migrate (Sync wave 0) {DEADLINE}\n",
        "",
    )
