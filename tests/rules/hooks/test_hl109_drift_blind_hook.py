"""HL109 drift-blind-hook: hook configuration that no non-hook resource carries."""

from __future__ import annotations

from typing import Any

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Finding
from hooklint.sources.load import load
from tests.helpers import ROOT, loaded, rows

UNSEEN = "changing it alone leaves the application Synced and automated sync does not run the hook"


def run(files: dict[str, str], **options: Any) -> list[Finding]:
    return lint(loaded(files, clean=True), Settings(select=("HL109",), options={"HL109": options}))


def hook(
    image: str = "registry.example.com/shop/api:1.4.2",
    env: str = "",
    phase: str = "PreSync",
    name: str = "db-migrate",
) -> str:
    return f"""\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/hook: {phase}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: {image}
{env}"""


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app.kubernetes.io/version: "2024.06"
spec:
  template:
    spec:
      containers:
        - name: api
          image: registry.example.com/shop/api:1.4.2
          envFrom:
            - configMapRef:
                name: shop-config
"""

CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  DB_HOST: postgres.shop.svc
"""


def test_hook_running_another_tag_of_a_tracked_workloads_image_is_flagged_with_the_workload() -> None:
    findings = run({"migrate.yaml": hook("registry.example.com/shop/api:1.4.3"), "api.yaml": DEPLOYMENT})
    assert rows(findings) == [
        (
            "migrate.yaml",
            13,
            18,
            "HL109",
            "Job/db-migrate (PreSync wave 0) runs registry.example.com/shop/api:1.4.3 (container migrate), but "
            "no non-hook resource has its version 1.4.3: Deployment/api runs registry.example.com/shop/api:1.4.2; "
            + UNSEEN,
        )
    ]
    related = findings[0].related[0]
    assert (related.span.path, related.span.line, related.span.column) == ("api.yaml", 12, 18)
    assert related.message == "Deployment/api runs registry.example.com/shop/api:1.4.2"


def test_hook_running_the_tracked_workloads_image_is_not_flagged() -> None:
    assert run({"migrate.yaml": hook(), "api.yaml": DEPLOYMENT}) == []


def test_sibling_image_with_the_tracked_tag_moves_with_the_release_and_is_not_flagged() -> None:
    files = {"migrate.yaml": hook("registry.example.com/shop/migrations:1.4.2"), "api.yaml": DEPLOYMENT}
    assert run(files) == []


def test_image_version_found_in_a_tracked_label_is_not_flagged() -> None:
    files = {"migrate.yaml": hook("registry.example.com/shop/api:2024.06"), "api.yaml": DEPLOYMENT}
    assert run(files) == []


def test_tool_image_of_its_own_repository_is_reported_only_with_the_option() -> None:
    files = {"migrate.yaml": hook("bitnami/kubectl:1.30.2"), "api.yaml": DEPLOYMENT}
    assert run(files) == []
    assert rows(run(files, **{"report-unshared-images": True})) == [
        (
            "migrate.yaml",
            13,
            18,
            "HL109",
            "Job/db-migrate (PreSync wave 0) runs bitnami/kubectl:1.30.2 (container migrate), whose version "
            "1.30.2 appears in no non-hook resource; " + UNSEEN,
        )
    ]


def test_unversioned_images_are_left_to_hl301() -> None:
    for image in ("registry.example.com/shop/api", "registry.example.com/shop/api:latest"):
        files = {"migrate.yaml": hook(image), "api.yaml": DEPLOYMENT}
        assert run(files, **{"report-unshared-images": True}) == []


ENV = """\
          env:
            - name: DB_HOST
              value: postgres.shop.svc
            - name: POD_NAME
              valueFrom:
                fieldRef: {fieldPath: metadata.name}
            - name: SELF
              value: $(POD_NAME)
            - name: API_HOST_NAME
              value: api.prod.example.com
            - name: REGION
              value: eu-west-1
"""


def test_first_untracked_literal_env_value_is_flagged_once_per_hook() -> None:
    files = {"migrate.yaml": hook(env=ENV, phase="PostSync"), "api.yaml": DEPLOYMENT, "config.yaml": CONFIG}
    assert rows(run(files)) == [
        (
            "migrate.yaml",
            23,
            22,
            "HL109",
            "Job/db-migrate (PostSync wave 0) sets env API_HOST_NAME (container migrate) to a literal that "
            "appears in no non-hook resource; " + UNSEEN,
        )
    ]


def test_env_values_held_by_a_tracked_configmap_or_secret_are_not_flagged() -> None:
    secret = """\
apiVersion: v1
kind: Secret
metadata:
  name: hosts
data:
  API_HOST_NAME: YXBpLnByb2QuZXhhbXBsZS5jb20=
stringData:
  REGION: eu-west-1
"""
    files = {
        "migrate.yaml": hook(env=ENV),
        "api.yaml": DEPLOYMENT,
        "config.yaml": CONFIG,
        "hosts.yaml": secret,
    }
    assert run(files) == []


def test_a_skip_configmap_tracks_nothing() -> None:
    skipped = CONFIG.replace(
        "  name: shop-config\n", "  name: shop-config\n  annotations:\n    argocd.argoproj.io/hook: Skip\n"
    )
    env = "          env:\n            - name: DB_HOST\n              value: postgres.shop.svc\n"
    files = {"migrate.yaml": hook(env=env), "api.yaml": DEPLOYMENT, "config.yaml": skipped}
    assert [(f.span.line, f.rule) for f in run(files)] == [(16, "HL109")]


def test_syncfail_and_delete_hooks_are_out_of_scope() -> None:
    files = {
        "fail.yaml": hook("registry.example.com/shop/api:9.9.9", phase="SyncFail", name="notify"),
        "gone.yaml": hook("registry.example.com/shop/api:9.9.9", phase="PostDelete", name="cleanup"),
        "api.yaml": DEPLOYMENT,
    }
    assert run(files) == []


def test_application_of_hooks_only_is_left_to_hl110() -> None:
    assert run({"migrate.yaml": hook("registry.example.com/shop/api:1.4.3", env=ENV)}) == []


def test_demo_application_has_no_drift_blind_hook() -> None:
    loaded = load([str(ROOT / "fixtures" / "demo")])
    assert lint(loaded, Settings(select=("HL109",), namespace="shop")) == []


PLUMBING_ENV = """\
          env:
            - name: TARGET_NAMESPACE
              value: shop-prod
            - name: CONFIG
              value: /etc/shop/migrate.yaml
            - name: ARCH
              value: arm64
            - name: RUNNER
              value: db-migrator
            - name: TARGET
              value: shop
            - name: ARGOCD_APP_NAME
              value: shop-prod-db
"""
ACCOUNT = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: db-migrator
  namespace: shop
"""


def test_plumbing_env_values_of_a_rendered_hook_are_not_flagged() -> None:
    # By name (a namespace), by text (a path in the container, an architecture), or naming the application's
    # ServiceAccount or namespace.
    files = {"migrate.yaml": hook(env=PLUMBING_ENV), "api.yaml": DEPLOYMENT, "sa.yaml": ACCOUNT}
    assert run(files) == []


def test_an_env_value_written_inside_a_tracked_config_file_is_tracked() -> None:
    config = CONFIG + "  migrate.properties: |\n    lock.timeout=45s\n    host=api.prod.example.com\n"
    env = "          env:\n            - name: API_HOST_NAME\n              value: api.prod.example.com\n"
    files = {"migrate.yaml": hook(env=env), "api.yaml": DEPLOYMENT, "config.yaml": config}
    assert run(files) == []
    part = env.replace("api.prod.example.com", "prod.example")
    assert [(f.span.line, f.rule) for f in run({**files, "migrate.yaml": hook(env=part)})] == [(16, "HL109")]
