"""Tests of HL212 hook-needs-child-app-object."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hooklint.config.settings import Settings
from tests.helpers import findings, invoke

HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: {phase}
spec:
  template:
    spec:
      serviceAccountName: migrator
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox:1.36
          envFrom:
            - configMapRef:
                name: settings
                optional: true
            - secretRef:
                name: db-credentials
"""
CHILD = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: database
  namespace: argocd{annotations}
spec:
  project: default
  source:
    repoURL: https://git.example.com/platform/apps.git
    path: {path}
  destination:
    server: https://kubernetes.default.svc
    namespace: shop
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
"""
ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: migrator
"""
WAVE = '\n  annotations:\n    argocd.argoproj.io/sync-wave: "-1"'


def files(phase: str = "PreSync", annotations: str = "", path: str = "apps/database") -> dict[str, str]:
    return {
        "apps/root/migrate.yaml": HOOK.format(phase=phase),
        "apps/root/database.yaml": CHILD.format(annotations=annotations, path=path),
        "apps/database/secret.yaml": SECRET + ACCOUNT.replace("apiVersion", "---\napiVersion"),
    }


def lint(given: dict[str, str], **settings: object) -> list[tuple[str, int, int, str, str]]:
    return findings(given, Settings(select=("HL212",), **settings))  # type: ignore[arg-type]


PREFIX = (
    "Job/migrate ({where}) needs {target} ({field}), which only child Application database deploys "
    "(source path apps/database); "
)


def test_presync_hook_needing_child_objects_is_flagged_at_each_reference() -> None:
    why = "that Application is applied in Sync wave 0, not before the hook"
    assert lint(files()) == [
        (
            "apps/root/migrate.yaml",
            11,
            27,
            "HL212",
            PREFIX.format(
                where="PreSync wave 0", target="ServiceAccount/migrator", field="serviceAccountName"
            )
            + why,
        ),
        (
            "apps/root/migrate.yaml",
            21,
            23,
            "HL212",
            PREFIX.format(where="PreSync wave 0", target="Secret/db-credentials", field="envFrom secretRef")
            + why,
        ),
    ]


def test_later_hook_is_flagged_because_application_has_no_health_check() -> None:
    found = lint(files(phase="PostSync", annotations=WAVE))
    assert [row[:4] for row in found] == [
        ("apps/root/migrate.yaml", 11, 27, "HL212"),
        ("apps/root/migrate.yaml", 21, 23, "HL212"),
    ]
    assert found[1][4].endswith(
        "that Application is applied in Sync wave -1, but Argo CD has no health check for Application since "
        "v1.8: the hook starts without waiting for the child's sync"
    )


@pytest.mark.parametrize(
    "settings",
    [{"options": {"HL212": {"application-health": True}}}, {"argocd_version": "1.7.14"}],
    ids=["health-configured", "before-1.8"],
)
def test_child_applied_earlier_with_a_health_check_is_waited_for(settings: dict[str, object]) -> None:
    assert lint(files(phase="PostSync", annotations=WAVE), **settings) == []


def test_health_check_does_not_help_a_hook_that_runs_before_the_child() -> None:
    found = lint(files(), options={"HL212": {"application-health": True}})
    assert [row[:4] for row in found] == [
        ("apps/root/migrate.yaml", 11, 27, "HL212"),
        ("apps/root/migrate.yaml", 21, 23, "HL212"),
    ]


def test_object_the_parent_defines_itself_is_not_flagged() -> None:
    given = files()
    given["apps/root/secret.yaml"] = SECRET + "  namespace: shop\n---\n" + ACCOUNT + "  namespace: shop\n"
    assert lint(given) == []


@pytest.mark.parametrize(
    "path", ["apps/other", "../apps/database", "."], ids=["elsewhere", "climbs-out", "root"]
)
def test_child_whose_source_holds_no_such_object_is_not_blamed(path: str) -> None:
    assert lint(files(path=path)) == []


def repository(tmp_path: Path, path: str = "apps/database") -> Path:
    (tmp_path / ".git").mkdir()
    for name, text in files(path=path).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def lint_folder(repo: Path) -> tuple[int, list[tuple[str, int, int, str, str]]]:
    code, out, _ = invoke(["lint", "--select", "HL212", "--format", "json", "apps/root"], cwd=repo)
    found = json.loads(out)["findings"]
    return code, [(f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in found]


def test_child_manifests_outside_the_input_are_read_from_the_repository(tmp_path: Path) -> None:
    why = "that Application is applied in Sync wave 0, not before the hook"
    assert lint_folder(repository(tmp_path)) == (
        0,
        [
            (
                "apps/root/migrate.yaml",
                11,
                27,
                "HL212",
                PREFIX.format(
                    where="PreSync wave 0", target="ServiceAccount/migrator", field="serviceAccountName"
                )
                + why,
            ),
            (
                "apps/root/migrate.yaml",
                21,
                23,
                "HL212",
                PREFIX.format(
                    where="PreSync wave 0", target="Secret/db-credentials", field="envFrom secretRef"
                )
                + why,
            ),
        ],
    )


def test_child_source_behind_a_link_out_of_the_repository_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET + "---\n" + ACCOUNT)
    repo = tmp_path / "repo"
    repo.mkdir()
    repository(repo, path="apps/linked")
    os.symlink(outside, repo / "apps" / "linked")
    assert lint_folder(repo) == (0, [])


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports: [{port: 5432}]
"""


def test_service_the_hook_calls_that_only_the_child_deploys_is_flagged_at_the_value() -> None:
    given = files()
    given["apps/root/migrate.yaml"] = given["apps/root/migrate.yaml"].replace(
        "          envFrom:\n",
        "          env:\n            - name: DB_URL\n              value: postgres://db.shop.svc:5432/shop\n"
        "          envFrom:\n",
    )
    given["apps/database/service.yaml"] = SERVICE
    found = lint(given)
    assert [row[:4] for row in found] == [
        ("apps/root/migrate.yaml", 11, 27, "HL212"),
        ("apps/root/migrate.yaml", 18, 22, "HL212"),
        ("apps/root/migrate.yaml", 24, 23, "HL212"),
    ]
    assert found[1][4] == (
        PREFIX.format(where="PreSync wave 0", target="Service/db", field="called by name")
        + "that Application is applied in Sync wave 0, not before the hook"
    )


def test_hook_of_a_child_linted_with_the_parent_is_the_child_own() -> None:
    # The whole repository read as one application: the child's hook needs the child's own objects.
    given = files()
    given["apps/database/migrate.yaml"] = given.pop("apps/root/migrate.yaml")
    assert lint(given) == []


def test_deepest_source_path_owns_a_file() -> None:
    # apps/database/secrets is a child of its own inside the database child's folder.
    given = files()
    given["apps/root/secrets.yaml"] = CHILD.format(annotations="", path="apps/database/secrets").replace(
        "name: database", "name: secrets"
    )
    given["apps/database/secrets/secret.yaml"] = SECRET
    given["apps/database/secret.yaml"] = ACCOUNT
    found = lint(given)
    assert [(row[1], row[4].split("; ")[0].split("which ")[1]) for row in found] == [
        (11, "only child Application database deploys (source path apps/database)"),
        (21, "only child Application secrets deploys (source path apps/database/secrets)"),
    ]
