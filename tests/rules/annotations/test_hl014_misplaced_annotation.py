"""Tests of HL014 misplaced-argocd-annotation."""

from __future__ import annotations

import pytest

from tests.helpers import job, lint_with, rows


def test_sync_wave_written_as_a_label_is_flagged_at_the_label_key() -> None:
    text = job(labels='    argocd.argoproj.io/sync-wave: "-1"\n')
    assert rows(lint_with("HL014", text)) == [
        (
            "app.yaml",
            6,
            5,
            "HL014",
            "argocd.argoproj.io/sync-wave is a label of Job/migrate; Argo CD reads it only from "
            "metadata.annotations, so it has no effect: Job/migrate is applied in Sync wave 0",
        )
    ]


def test_hook_on_the_pod_template_is_flagged_at_its_key() -> None:
    text = job(template="      annotations:\n        argocd.argoproj.io/hook: PreSync\n")
    assert rows(lint_with("HL014", text)) == [
        (
            "app.yaml",
            9,
            9,
            "HL014",
            "argocd.argoproj.io/hook is in Job/migrate's template metadata (spec.template.metadata.annotations); "
            "Argo CD reads it only from the object's own metadata.annotations, so it has no effect: "
            "Job/migrate is applied in Sync wave 0",
        )
    ]


def test_cronjob_job_template_and_pod_template_are_both_checked() -> None:
    text = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: '@daily'\n"
        "  jobTemplate:\n    metadata:\n      labels:\n        argocd.argoproj.io/sync-wave: '1'\n"
        "    spec:\n      template:\n        metadata:\n          annotations:\n"
        "            helm.sh/hook: pre-install\n"
        "        spec:\n          restartPolicy: Never\n          containers: []\n"
    )
    assert [(line, column) for _, line, column, _, _ in rows(lint_with("HL014", text))] == [(10, 9), (15, 13)]


@pytest.mark.parametrize(
    ("key", "intended"),
    [
        ("argocd.argoproj.io/sync-waves", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/syncwave", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/hooks", "argocd.argoproj.io/hook"),
        ("argocd.argoproj.io/Hook", "argocd.argoproj.io/hook"),
        ("argoproj.io/hook", "argocd.argoproj.io/hook"),
        ("argocd.argoproj.io/hook-deletion-policy", "argocd.argoproj.io/hook-delete-policy"),
        ("argocd.argoproj.io/hook-delete-ploicy", "argocd.argoproj.io/hook-delete-policy"),
        ("helm.sh/hook-delete-policies", "helm.sh/hook-delete-policy"),
        ("helm.sh/hooks", "helm.sh/hook"),
        ("argocd.argoproj.io/sync-option", "argocd.argoproj.io/sync-options"),
        ("ArgoCD.argoproj.io/sync-wave", "argocd.argoproj.io/sync-wave"),
        ("helm.sh/sync-wave", "argocd.argoproj.io/sync-wave"),
    ],
    ids=lambda value: str(value),
)
def test_misspelled_key_names_the_key_it_means(key: str, intended: str) -> None:
    text = job(annotations=f"    {key}: PreSync\n")
    assert rows(lint_with("HL014", text)) == [
        (
            "app.yaml",
            6,
            5,
            "HL014",
            f"{key} is not an annotation Argo CD reads; did you mean {intended}? "
            "It has no effect: Job/migrate is applied in Sync wave 0",
        )
    ]


def test_argo_hook_weight_suggests_helm_weight_and_the_sync_wave() -> None:
    text = job(annotations='    argocd.argoproj.io/hook-weight: "2"\n')
    (row,) = rows(lint_with("HL014", text))
    assert "did you mean helm.sh/hook-weight (or argocd.argoproj.io/sync-wave)?" in row[4]


def test_misspelled_key_reports_where_the_object_now_stands() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-waves: '-2'\n")
    (row,) = rows(lint_with("HL014", text))
    assert row[4].endswith("It has no effect: Job/migrate runs in PreSync wave 0")


LEGITIMATE_ANNOTATIONS = (
    "argocd.argoproj.io/tracking-id",
    "argocd.argoproj.io/compare-options",
    "argocd.argoproj.io/refresh",
    "argocd.argoproj.io/manifest-generate-paths",
    "argocd.argoproj.io/managed-by",
    "argocd.argoproj.io/skip-reconcile",
    "argocd.argoproj.io/application-set-refresh",
    "argocd.argoproj.io/sync-options",
    "argocd.argoproj.io/installation-id",
    "argocd.argoproj.io/hydrate",
    "notifications.argoproj.io/subscribe.on-sync-succeeded.slack",
    "link.argocd.argoproj.io/dashboard",
    "argocd-image-updater.argoproj.io/image-list",
    "workflows.argoproj.io/description",
    "rollout.argoproj.io/revision",
    "meta.helm.sh/release-name",
    "helm.sh/resource-policy",
    "helm.sh/hook-output-log-policy",
)


@pytest.mark.parametrize("key", LEGITIMATE_ANNOTATIONS)
def test_legitimate_annotation_is_not_flagged(key: str) -> None:
    assert rows(lint_with("HL014", job(annotations=f"    {key}: x\n"))) == []


@pytest.mark.parametrize(
    "key",
    [
        "argocd.argoproj.io/instance",
        "argocd.argoproj.io/secret-type",
        "app.kubernetes.io/instance",
        "argocd.argoproj.io/hook-type",  # Argo CD's own e2e data selects its hooks by this label
        "helm.sh/chart",
    ],
)
def test_legitimate_label_is_not_flagged(key: str) -> None:
    assert rows(lint_with("HL014", job(labels=f"    {key}: x\n"))) == []


def test_ignore_restart_policy_on_the_pod_template_is_not_flagged() -> None:
    text = job(template='      annotations:\n        argocd.argoproj.io/ignore-restart-policy: "true"\n')
    assert rows(lint_with("HL014", text)) == []


def test_a_copy_of_a_key_the_object_also_carries_is_not_flagged() -> None:
    text = job(
        annotations="    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hooks: PreSync\n",
        labels="    argocd.argoproj.io/hook: PreSync\n",
        template="      annotations:\n        argocd.argoproj.io/hook: PreSync\n",
    )
    assert rows(lint_with("HL014", text)) == []


def test_pod_template_of_a_kind_without_pods_is_not_read() -> None:
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: shops\nspec:\n"
        "  template:\n    metadata:\n      name: shop\n      annotations:\n"
        "        argocd.argoproj.io/sync-wave: '1'\n"
    )
    assert rows(lint_with("HL014", text)) == []
