"""Tests of HL207 delete-hook-needs-deleted-resource and HL208 syncfail-hook-needs-later-resource."""

from __future__ import annotations

from textwrap import dedent

import pytest

from tests.rules.ordering.references import notify
from tests.rules.ordering.steps import findings_of as _findings

CLEANUP = dedent("""\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: deregister
      annotations:
        argocd.argoproj.io/hook: PostDelete
    spec:
      template:
        spec:
          serviceAccountName: deregister
          restartPolicy: Never
          containers:
            - name: deregister
              image: registry.example.com/dns-tool:2.3
              envFrom:
                - secretRef:
                    name: dns-api
                - configMapRef:
                    name: dns-zone
                    optional: true
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: deregister
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: dns-api
    stringData: {token: change-me}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: dns-zone
    data: {zone: example.com}
    """)


def test_post_delete_hook_needing_the_apps_own_objects_is_flagged() -> None:
    tail = "which the deletion removes before PostDelete hooks run"
    assert _findings(CLEANUP, "HL207") == [
        (
            "app.yaml",
            10,
            27,
            "HL207",
            "Job/deregister runs after the Application is deleted (PostDelete), but needs "
            f"ServiceAccount/deregister (serviceAccountName), {tail}",
        ),
        (
            "app.yaml",
            17,
            23,
            "HL207",
            f"Job/deregister runs after the Application is deleted (PostDelete), but needs Secret/dns-api "
            f"(envFrom secretRef), {tail}",
        ),
    ]


@pytest.mark.parametrize(
    "annotation",
    [
        "argocd.argoproj.io/hook: PostDelete",
        "argocd.argoproj.io/sync-options: Prune=false,Delete=false",
        "helm.sh/resource-policy: keep",
    ],
)
def test_targets_that_survive_app_deletion_are_fine(annotation: str) -> None:
    text = CLEANUP
    for kind, name in (("ServiceAccount", "deregister"), ("Secret", "dns-api")):
        head = f"kind: {kind}\nmetadata:\n  name: {name}\n"
        text = text.replace(head, f"{head}  annotations:\n    {annotation}\n")
    assert _findings(text, "HL207") == []


def test_pre_delete_hook_objects_are_gone_before_post_delete() -> None:
    text = CLEANUP.replace(
        "kind: Secret\nmetadata:\n  name: dns-api\n",
        "kind: Secret\nmetadata:\n  name: dns-api\n  annotations: {argocd.argoproj.io/hook: PreDelete}\n",
    )
    assert [row[1] for row in _findings(text, "HL207")] == [10, 17]


def test_post_delete_custom_resource_needing_its_crd_is_fine() -> None:
    text = """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: records.dns.example.com
        spec:
          group: dns.example.com
          names: {kind: Record, plural: records}
          scope: Namespaced
        ---
        apiVersion: dns.example.com/v1
        kind: Record
        metadata:
          name: tombstone
          annotations:
            argocd.argoproj.io/hook: PostDelete
        spec: {}
        """
    assert _findings(text, "HL207") == []


def test_post_delete_hooks_before_v2_10_never_run() -> None:
    assert _findings(CLEANUP, "HL207", version="2.9.3") == []


NOTIFY = notify(
    "            - name: WEBHOOK_URL\n"
    "              valueFrom:\n"
    "                secretKeyRef: {name: webhook, key: url}\n"
) + dedent("""\
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: webhook
    stringData: {url: https://hooks.example.com/T000}
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: migrate
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: migrate, image: registry.example.com/shop/api:1.4.2}]
    """)


def test_syncfail_hook_needing_a_secret_of_a_later_step_is_flagged() -> None:
    assert _findings(NOTIFY, "HL208") == [
        (
            "app.yaml",
            17,
            38,
            "HL208",
            "Job/notify runs when the sync fails, but needs Secret/webhook, applied in Sync wave 0: a failure in "
            "PreSync wave 0 leaves it missing",
        )
    ]


def test_syncfail_target_in_the_first_step_is_fine() -> None:
    text = NOTIFY.replace(
        "  name: webhook\n", "  name: webhook\n  annotations: {argocd.argoproj.io/hook: PreSync}\n"
    )
    assert _findings(text, "HL208") == []


def test_syncfail_target_that_is_a_syncfail_hook_too_is_fine() -> None:
    text = NOTIFY.replace(
        "  name: webhook\n", "  name: webhook\n  annotations: {argocd.argoproj.io/hook: SyncFail}\n"
    )
    assert _findings(text, "HL208") == []


def test_steps_that_can_fail_only_on_apply_do_not_count() -> None:
    # Sync wave -1 holds only a ConfigMap, done once applied; the Secret comes in the next step.
    text = NOTIFY.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/sync-wave: '1'") + dedent("""\
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          annotations: {argocd.argoproj.io/sync-wave: "-1"}
        """)
    assert _findings(text, "HL208") == []


def test_syncfail_hook_needing_a_namespace_of_a_later_step() -> None:
    text = NOTIFY.replace("  name: migrate\n", "  name: migrate\n  namespace: db\n") + dedent("""\
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: shop
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: alerts
        """)
    text = text.replace("  name: notify\n", "  name: notify\n  namespace: alerts\n")
    text = text.replace("  name: webhook\n", "  name: webhook\n  namespace: alerts\n")
    # The destination namespace (shop) is created before anything else (docs/argocd.md#operation-start); alerts is not.
    assert [row[4].split(":")[0] for row in _findings(text, "HL208")] == [
        "Job/notify runs when the sync fails, but needs Namespace/alerts, applied in Sync wave 0",
        "Job/notify runs when the sync fails, but needs Secret/webhook, applied in Sync wave 0",
    ]
