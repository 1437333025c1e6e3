"""Tests of HL017 helm-hook-dropped and HL018 helm-install-hook-runs-every-sync."""

from __future__ import annotations

import pytest

from tests.helpers import job, lint_with, rows


def test_helm_test_hook_alone_is_never_applied() -> None:
    text = job(annotations="    helm.sh/hook: test\n")
    assert rows(lint_with("HL017", text)) == [
        (
            "app.yaml",
            6,
            19,
            "HL017",
            "helm.sh/hook value 'test' has no Argo CD equivalent: no value of it maps, so Argo CD never "
            "applies Job/migrate",
        )
    ]


def test_each_unmapped_value_beside_a_mapped_one_is_ignored_at_its_own_column() -> None:
    text = job(annotations="    helm.sh/hook: post-upgrade,pre-rollback,test-success\n")
    message = "helm.sh/hook value {!r} has no Argo CD equivalent: it is ignored; Job/migrate runs in PostSync wave 0"
    assert rows(lint_with("HL017", text)) == [
        ("app.yaml", 6, 32, "HL017", message.format("pre-rollback")),
        ("app.yaml", 6, 45, "HL017", message.format("test-success")),
    ]


@pytest.mark.parametrize(
    "value", ["pre-upgrade,pre-rollback", "post-install,post-rollback"], ids=["pre", "post"]
)
def test_a_rollback_value_beside_one_of_the_same_moment_loses_nothing(value: str) -> None:
    # A rollback under Argo CD is a sync of the older revision, which runs its PreSync and PostSync hooks.
    assert rows(lint_with("HL017", job(annotations=f"    helm.sh/hook: {value}\n"))) == []


def test_unmapped_value_on_a_delete_hook_says_when_it_runs() -> None:
    (row,) = rows(lint_with("HL017", job(annotations="    helm.sh/hook: post-delete,post-rollback\n")))
    assert row[4].endswith("it is ignored; Job/migrate runs only when the Application is deleted")


@pytest.mark.parametrize(
    "annotations",
    [
        "    argocd.argoproj.io/hook: PostSync\n    helm.sh/hook: test\n",
        "    argocd.argoproj.io/hook: Skip\n    helm.sh/hook: test\n",
        "    helm.sh/hook: crd-install\n",
        "    helm.sh/hook: pre-install,pre-upgrade,post-delete\n",
    ],
    ids=["argo-type-wins", "skip-wins", "crd-install", "all-mapped"],
)
def test_helm_values_that_argo_maps_or_ignores_wholesale_are_not_flagged(annotations: str) -> None:
    assert rows(lint_with("HL017", job(annotations=annotations))) == []


def test_post_install_without_post_upgrade_runs_every_sync() -> None:
    text = job(
        annotations='    helm.sh/hook: pre-install,post-install,post-upgrade\n    helm.sh/hook-weight: "-5"\n'
    )
    assert rows(lint_with("HL018", text)) == [
        (
            "app.yaml",
            6,
            19,
            "HL018",
            "helm.sh/hook 'pre-install' makes Job/migrate run in PreSync wave -5 on every sync, not once on "
            "install: Argo CD cannot tell an install from an upgrade",
        )
    ]


@pytest.mark.parametrize(
    "annotations",
    [
        "    helm.sh/hook: pre-install,pre-upgrade\n",
        "    helm.sh/hook: post-upgrade,post-install\n",
        "    argocd.argoproj.io/hook: Sync\n    helm.sh/hook: pre-install\n",
        "    helm.sh/hook: pre-upgrade\n",
    ],
    ids=["pre-pair", "post-pair", "argo-type-wins", "upgrade-only"],
)
def test_install_hook_with_its_upgrade_twin_or_overridden_is_not_flagged(annotations: str) -> None:
    assert rows(lint_with("HL018", job(annotations=annotations))) == []
