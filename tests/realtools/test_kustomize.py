"""Kustomizations built by the real kustomize: every finding at the base, patch or generator that wrote it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from tests.helpers import ROOT
from tests.realtools.conftest import explain, findings, require, steps

# The real kustomize's words for a kustomization that lists a file that is not there (app/missing.yaml).
MISSING = (
    "accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure "
    "on 'app/missing.yaml' : lstat app/missing.yaml: no such file or directory': must build at directory: not "
    "a valid directory: evalsymlink failure on 'app/missing.yaml' : lstat app/missing.yaml: no such file or "
    "directory"
)
PROD = "fixtures/kustomize/prod"
STAGING = "fixtures/realtools/kustomize/staging"
BASE = "fixtures/realtools/kustomize/base"


def test_fixture_overlay_findings_stand_in_its_base(kustomize: str) -> None:
    assert findings(PROD) == [
        (
            "HL101",
            "fixtures/kustomize/base/migrate.yaml",
            7,
            44,
            "Job/prod-migrate is a named hook (PreSync wave 0) whose delete policy HookSucceeded lacks "
            "BeforeHookCreation: when an earlier run's object is left behind, the next sync applies over it and "
            "fails on immutable fields or reuses the old result",
        )
    ]


def test_fixture_overlay_plan(kustomize: str) -> None:
    assert explain(PROD) == (
        "Sync plan: 2 step(s), 3 task(s), destination namespace default\n"
        "    * marks a generateName prefix\n"
        "\n"
        "Step 1: PreSync wave 0  (before any resource)\n"
        "    1  Job/prod-migrate  shop  fixtures/kustomize/base/migrate.yaml:1  hook, delete policy HookSucceeded\n"
        "    gate: 2 s delay, then waits until healthy or complete: Job/prod-migrate complete\n"
        "\n"
        "Step 2: Sync wave 0\n"
        "    1  ConfigMap/prod-settings-hf678c7m2b  shop  fixtures/kustomize/prod/kustomization.yaml:6\n"
        "    2  Deployment/prod-api                 shop  fixtures/kustomize/base/api.yaml:1\n"
        "    gate: final step, not waited on: the sync succeeds as soon as it is applied\n"
    )


def test_fields_patches_wrote_stand_in_the_patches_and_generated_objects_at_their_generators(
    kustomize: str,
) -> None:
    assert findings(STAGING) == [
        # The base wrote the reference; the secretGenerator in the overlay made the Secret.
        (
            "HL201",
            f"{BASE}/migrate.yaml",
            22,
            25,
            "Job/staging-migrate runs in PreSync wave 0 but needs Secret/staging-db-c57987ttk4, applied in Sync "
            "wave 0",
        ),
        # A JSON 6902 patch file added the annotations.
        (
            "HL012",
            f"{STAGING}/api-wave.yaml",
            4,
            35,
            "argocd.argoproj.io/sync-wave '1.5' is not an integer to Argo CD (Go strconv.Atoi): ignored, so "
            "Deployment/staging-api gets the default wave 0 and runs in Sync wave 0",
        ),
        # A JSON 6902 patch written in the kustomization, for the targets its name pattern selects.
        (
            "HL304",
            f"{STAGING}/kustomization.yaml",
            18,
            23,
            "Job/staging-migrate (PreSync wave 0) container migrate runs privileged (privileged: true)",
        ),
        # The generated ConfigMap stands at its generator's name.
        (
            "HL012",
            f"{STAGING}/kustomization.yaml",
            20,
            3,
            "argocd.argoproj.io/sync-wave 'early' is not an integer to Argo CD (Go strconv.Atoi): ignored, so "
            "ConfigMap/staging-settings-47668c6k28 gets the default wave 0 and runs in Sync wave 0",
        ),
        # A strategic merge patch replaced the base's delete policy and the container's image.
        (
            "HL101",
            f"{STAGING}/migrate-policy.yaml",
            6,
            44,
            "Job/staging-migrate is a named hook (PreSync wave 0) whose delete policy HookSucceeded lacks "
            "BeforeHookCreation: when an earlier run's object is left behind, the next sync applies over it and "
            "fails on immutable fields or reuses the old result",
        ),
        (
            "HL301",
            f"{STAGING}/migrate-policy.yaml",
            12,
            18,
            "Job/staging-migrate (PreSync wave 0) container migrate uses image "
            "registry.example.com/shop/api:latest with the tag latest: each run of the hook may pull a different "
            "image",
        ),
    ]
    assert steps(STAGING) == [
        ("PreSync", 0, [("Job/staging-migrate", "shop-staging", f"{BASE}/migrate.yaml", 1)]),
        (
            "Sync",
            0,
            [
                ("Secret/staging-db-c57987ttk4", "shop-staging", f"{STAGING}/kustomization.yaml", 27),
                (
                    "ConfigMap/staging-settings-47668c6k28",
                    "shop-staging",
                    f"{STAGING}/kustomization.yaml",
                    20,
                ),
                ("Deployment/staging-api", "shop-staging", f"{BASE}/api.yaml", 1),
            ],
        ),
    ]


def test_fix_leaves_files_alone_where_patches_wrote_the_fields(kustomize: str, tmp_path: Path) -> None:
    # Offsets of patched fields are in the patches, not in the base files a fix would splice into.
    shutil.copytree(ROOT / "fixtures/realtools/kustomize", tmp_path / "kustomize")
    before = {p: p.read_bytes() for p in (tmp_path / "kustomize").rglob("*.yaml")}
    result = CliRunner().invoke(cli, ["fix", str(tmp_path / "kustomize/staging")])
    # Warnings remain (the JSON patch, a list of operations, is no Kubernetes object: no HL002).
    assert result.exit_code == 0, result.output
    assert "2 remain" in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "kustomize").rglob("*.yaml")} == before


def test_a_failed_build_with_nothing_else_to_read_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require("kustomize")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    nothing = "hooklint: nothing was checked: no manifest could be read from app\n"
    explained = CliRunner().invoke(cli, ["explain", "app"])
    assert (explained.exit_code, explained.stdout) == (2, "")
    assert explained.stderr == f"app/kustomization.yaml:1:1: kustomize build failed: {MISSING}\n" + nothing
    linted = CliRunner().invoke(cli, ["lint", "app"])
    assert (linted.exit_code, linted.stdout) == (2, "")
    assert linted.stderr == f"app/kustomization.yaml:1:1: HL001 kustomize build failed: {MISSING}\n" + nothing


def test_a_failed_build_beside_plain_manifests_is_no_plan_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Argo CD builds a folder with a kustomization with kustomize alone: when the build fails, it syncs
    nothing, not the folder's plain files. lint checks those files and reports the failure."""
    require("kustomize")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    (tmp_path / "app" / "extra.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n"
    )
    failed = f"app/kustomization.yaml:1:1: kustomize build failed: {MISSING}\n"
    for args in (["app"], ["--format", "markdown", "app"], ["--timeline", "app"]):
        explained = CliRunner().invoke(cli, ["explain", *args])
        assert (explained.exit_code, explained.stdout) == (2, ""), args
        assert explained.stderr == failed + (
            "hooklint: no sync plan: app could not be rendered, and Argo CD syncs nothing of an application "
            "whose manifests it cannot generate\n"
        )
    linted = CliRunner().invoke(cli, ["lint", "app"])
    assert (linted.exit_code, linted.stderr) == (1, "")
    assert linted.stdout == (
        failed.replace(": kustomize", ": error HL001 invalid-yaml: kustomize")
        + "\n1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)\n"
    )


def test_an_application_whose_build_fails_is_left_out_of_the_plans_of_a_repository_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require("kustomize")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "apps" / "app").mkdir(parents=True)
    (tmp_path / "apps" / "app" / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    (tmp_path / "apps" / "good").mkdir()
    (tmp_path / "apps" / "good" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n"
    )
    explained = CliRunner().invoke(cli, ["explain", "."])
    assert explained.exit_code == 2
    assert explained.stdout.startswith("Application apps/good\n\nSync plan: 1 step(s), 1 task(s)")
    assert "apps/app" not in explained.stdout
    assert explained.stderr == (
        "apps/app/kustomization.yaml:1:1: kustomize build failed: "
        + MISSING.replace("app/missing", "apps/app/missing")
        + "\nhooklint: no sync plan: apps/app could not be rendered, and Argo CD syncs nothing of an "
        "application whose manifests it cannot generate\n"
    )


JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: shop/migrate:1.0.0
"""


def test_a_kustomization_met_in_a_repository_root_is_built(
    kustomize: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "apps/shop/kustomization.yaml": "resources:\n  - job.yaml\npatches:\n  - path: patch.yaml\n",
        "apps/shop/job.yaml": JOB.format(name="migrate"),
        "apps/shop/patch.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  backoffLimit: 2\n",
        "apps/shop/left-out.yaml": JOB.format(name="forgotten"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    selected = ("--select", "HL004", "--select", "HL101")
    # The file the kustomization leaves out has no findings, and the patch is no duplicate of what it patches.
    assert [f[:4] for f in findings(*selected, ".")] == [("HL101", "apps/shop/job.yaml", 7, 44)]
    # Read as plain files, the patch is a second Job/migrate (which, applied last, is no hook) and the
    # forgotten Job a hook of its own.
    named = sorted(f"apps/shop/{name}" for name in ("job.yaml", "patch.yaml", "left-out.yaml"))
    assert [f[:3] for f in findings(*selected, *named)] == [
        ("HL101", "apps/shop/left-out.yaml", 7),
        ("HL004", "apps/shop/patch.yaml", 4),
    ]
