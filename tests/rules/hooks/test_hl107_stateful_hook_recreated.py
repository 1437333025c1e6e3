"""Tests of HL107 stateful-hook-recreated."""

from __future__ import annotations

from hooklint.model import Severity
from tests.helpers import job, lint_with, rows
from tests.rules.hooks.jobs import TOOLS

PVC_HOOK = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: backup
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 10Gi
"""


def test_pvc_hook_with_the_default_policy_is_an_error_at_the_hook_value() -> None:
    (found,) = lint_with("HL107", PVC_HOOK)
    assert (found.span.line, found.span.column, found.severity) == (6, 30, Severity.ERROR)
    assert found.message == (
        "PersistentVolumeClaim/backup is a hook (PreSync wave 0) with delete policy BeforeHookCreation "
        "(the default): every sync deletes it and creates it again, so the data on its volume is lost"
    )


def test_stateful_set_hook_that_deletes_its_claims_says_so() -> None:
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  annotations:
    argocd.argoproj.io/hook: Sync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
"""
    assert rows(lint_with("HL107", text)) == [
        (
            "app.yaml",
            6,
            30,
            "HL107",
            "StatefulSet/cache is a hook (Sync wave 0) with delete policy BeforeHookCreation: every sync "
            "deletes it and creates it again, so all its pods are stopped and its claims deleted, with their data",
        )
    ]


def test_namespace_hook_holding_the_applications_resources_is_flagged() -> None:
    text = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
"""
    assert [(r[1], r[2]) for r in rows(lint_with("HL107", text))] == [(6, 30)]
    assert (
        "everything inside it, the application's resources included, is deleted"
        in rows(lint_with("HL107", text))[0][4]
    )


def test_scratch_namespace_holding_only_hooks_is_not_flagged() -> None:
    text = """\
apiVersion: v1
kind: Namespace
metadata:
  name: presync-scratch
  annotations:
    argocd.argoproj.io/hook: PreSync
"""
    assert (
        rows(
            lint_with(
                "HL107",
                text
                + job(
                    "wait",
                    "    argocd.argoproj.io/hook: PreSync\n",
                    meta="  namespace: presync-scratch\n",
                    containers=TOOLS,
                    document=True,
                ),
            )
        )
        == []
    )


def test_helm_hook_is_reported_at_the_helm_annotation() -> None:
    text = PVC_HOOK.replace("argocd.argoproj.io/hook: PreSync", "helm.sh/hook: pre-install")
    assert [(r[1], r[2]) for r in rows(lint_with("HL107", text))] == [(6, 19)]


def test_empty_secret_hook_is_a_warning() -> None:
    text = """\
apiVersion: v1
kind: Secret
metadata:
  name: unseal-keys
  annotations:
    argocd.argoproj.io/hook: PreSync
type: Opaque
"""
    (found,) = lint_with("HL107", text)
    assert found.severity == Severity.WARNING
    assert found.message.endswith("so whatever was written into it at runtime is lost")


def test_config_map_hook_whose_content_comes_from_git_is_not_flagged() -> None:
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: migrate-config
  annotations:
    argocd.argoproj.io/hook: PreSync
data:
  DATABASE: orders
"""
    assert rows(lint_with("HL107", text)) == []


def test_pvc_hook_kept_between_syncs_or_never_matched_is_not_flagged() -> None:
    kept = PVC_HOOK.replace("PreSync\n", "PreSync\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n")
    unnamed = PVC_HOOK.replace("name: backup", "generateName: backup-")
    plain = PVC_HOOK.replace("    argocd.argoproj.io/hook: PreSync\n", "    team: storage\n")
    assert (
        rows(lint_with("HL107", kept))
        == rows(lint_with("HL107", unnamed))
        == rows(lint_with("HL107", plain))
        == []
    )
