from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.explain.plan import to_json, to_text
from hooklint.sync.scheduler import plan
from tests.helpers import ROOT, plan_of, resources


@pytest.mark.parametrize(("fmt", "golden"), [("text", "explain.txt"), ("json", "explain.json")])
def test_demo_plan_matches_its_golden_output(fmt: str, golden: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["explain", "--format", fmt, "fixtures/demo"])
    assert result.exit_code == 0, result.output
    assert result.output == (ROOT / "fixtures" / "demo" / golden).read_text()


APP = """\
apiVersion: batch/v1
kind: Job
metadata:
  generateName: seed-
  annotations:
    argocd.argoproj.io/hook: PostSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
  annotations:
    argocd.argoproj.io/hook: Postsync
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
"""


def test_json_plan_follows_the_contract_exactly() -> None:
    document = json.loads(to_json(plan_of(APP, "shop")))
    assert document == {
        "version": 1,
        "namespace": "shop",
        "precreated": [],
        "steps": [
            {
                "phase": "Sync",
                "wave": 0,
                "gate": "2 s delay, then waits until healthy or complete: nothing: all done once applied",
                "tasks": [
                    {
                        "kind": "ConfigMap",
                        "group": "",
                        "name": "settings",
                        "generate_name": False,
                        "namespace": "shop",
                        "hook": False,
                        "hook_types": [],
                        "delete_policies": [],
                        "moved_by": None,
                        "file": "app.yaml",
                        "line": 16,
                    }
                ],
                "prunes": [],
                "recreated": [],
            },
            {
                "phase": "PostSync",
                "wave": 0,
                "gate": "final step: the sync succeeds once these are done: Job/seed-* complete",
                "tasks": [
                    {
                        "kind": "Job",
                        "group": "batch",
                        "name": "seed-",
                        "generate_name": True,
                        "namespace": "shop",
                        "hook": True,
                        "hook_types": ["PostSync"],
                        "delete_policies": ["HookSucceeded"],
                        "moved_by": None,
                        "file": "app.yaml",
                        "line": 1,
                    }
                ],
                "prunes": [],
                "recreated": [],
            },
        ],
        "deleted_on_success": [
            {
                "kind": "Job",
                "group": "batch",
                "name": "seed-",
                "generate_name": True,
                "namespace": "shop",
                "hook": True,
                "hook_types": ["PostSync"],
                "delete_policies": ["HookSucceeded"],
                "moved_by": None,
                "file": "app.yaml",
                "line": 1,
            }
        ],
        "sync_fail": [],
        "pre_delete": [],
        "post_delete": [],
        "not_applied": [
            {
                "kind": "ConfigMap",
                "group": "",
                "name": "typo",
                "generate_name": False,
                "namespace": "shop",
                "hook": True,
                "hook_types": [],
                "delete_policies": ["BeforeHookCreation"],
                "moved_by": None,
                "file": "app.yaml",
                "line": 9,
                "reason": "unknown-hook-type",
            }
        ],
        "not_pruned": [],
    }


def test_text_plan_lists_what_is_not_applied_with_the_reason() -> None:
    text = to_text(plan_of(APP, "shop"))
    assert text.endswith(
        "Not applied by a sync\n"
        "    ConfigMap/typo  app.yaml:9  unknown-hook-type: hook type 'Postsync' is not one Argo CD knows: dropped\n"
    )


def test_empty_input_has_nothing_to_apply() -> None:
    assert to_text(plan_of("")) == (
        "Sync plan: 0 step(s), 0 task(s), destination namespace default (single step: nothing waits for health)\n"
        "    * marks a generateName prefix\n\nNothing to apply.\n"
    )


def test_demo_lint_shows_its_two_pitfalls_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "fixtures/demo"])
    assert result.exit_code == 1
    assert result.output == (ROOT / "fixtures" / "demo" / "findings.json").read_text()
    found = [(f["file"], f["line"], f["rule"]) for f in json.loads(result.output)["findings"]]
    assert found == [
        ("fixtures/demo/migrate.yaml", 10, "HL101"),
        ("fixtures/demo/migrate.yaml", 23, "HL201"),
        ("fixtures/demo/migrate.yaml", 25, "HL201"),
    ]


def test_text_lists_a_skipped_prune_in_its_step() -> None:
    """gitops-engine sync_context.go: a Prune=false object keeps its prune task (getSyncTasks), which pruneObject
    skips; its step is shown with the prune marked skipped."""
    live = resources(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  annotations:\n"
        '    argocd.argoproj.io/sync-options: "Prune=false"\n',
        "base.yaml",
    )
    lines = to_text(plan((), pruned=live)).splitlines()
    assert lines[2:6] == [
        "",
        "Step 1: Sync wave 0",
        "    1  ConfigMap/keep  default  base.yaml:1  prune skipped: gone from Git, Prune=false leaves it in the cluster",
        "    gate: final step, not waited on: the sync succeeds as soon as it is applied",
    ]


def test_text_plan_says_which_hooks_a_step_deletes_before_it_applies_them_again() -> None:
    text = (
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync,Sync\n"
    )
    lines = to_text(plan_of(text, "shop")).splitlines()
    step = lines.index("Step 2: Sync wave 0")
    assert lines[step + 2 : step + 4] == [
        "    first deletes ServiceAccount/runner, left by an earlier phase (BeforeHookCreation), then applies",
        "    gate: final step: the sync succeeds once these are done: nothing: all done once applied",
    ]


def test_json_plan_names_the_hooks_a_step_re_creates_and_those_a_successful_sync_deletes() -> None:
    text = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync,Sync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded\n"
    )
    document = json.loads(to_json(plan_of(text, "shop")))
    assert [
        (step["phase"], [(t["kind"], t["name"]) for t in step["recreated"]]) for step in document["steps"]
    ] == [("PreSync", []), ("Sync", [("Job", "migrate")])]
    assert [(t["kind"], t["name"], t["hook_types"]) for t in document["deleted_on_success"]] == [
        ("Job", "migrate", ["PreSync", "Sync"])
    ]
