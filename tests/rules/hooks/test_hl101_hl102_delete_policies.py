"""Tests of HL101 named-hook-without-before-hook-creation and HL102 generated-hook-accumulates."""

from __future__ import annotations

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from tests.helpers import findings, job, lint_with, loaded, rows
from tests.rules.hooks.lifecycle import GENERATED, MIGRATE, PRESYNC


def test_generated_hook_without_policy_is_flagged_at_generate_name() -> None:
    assert rows(lint_with("HL102", job(None, PRESYNC, meta=GENERATED, containers=MIGRATE))) == [
        (
            "app.yaml",
            4,
            17,
            "HL102",
            "Job/migrate-* is a generateName hook (PreSync wave 0) with delete policy BeforeHookCreation "
            "(the default): every sync creates a new object under a new name and none is ever deleted, "
            "so they pile up",
        )
    ]


def test_hook_without_any_name_accumulates_like_a_generated_one() -> None:
    """gitops-engine pkg/sync/sync_context.go getSyncTasks names a hook without metadata.name anew for every
    operation (revision, phase, start time), so BeforeHookCreation never finds an earlier run's object."""
    assert rows(lint_with("HL102", job(None, PRESYNC, meta="", containers=MIGRATE))) == [
        (
            "app.yaml",
            3,
            1,
            "HL102",
            "Job/<generated> is an unnamed hook (PreSync wave 0) with delete policy "
            "BeforeHookCreation (the default): every sync creates a new object under a new name and none is "
            "ever deleted, so they pile up",
        )
    ]


def test_generated_hook_with_only_hook_failed_is_flagged_at_the_policy() -> None:
    annotations = PRESYNC + "    argocd.argoproj.io/hook-delete-policy: HookFailed\n"
    assert rows(lint_with("HL102", job(None, annotations, meta=GENERATED, containers=MIGRATE))) == [
        (
            "app.yaml",
            7,
            44,
            "HL102",
            "Job/migrate-* is a generateName hook (PreSync wave 0) with delete policy HookFailed: every sync "
            "creates a new object under a new name and only a failed sync deletes it, so one is left behind "
            "by every successful sync",
        )
    ]


def test_generated_helm_hook_with_before_hook_creation_is_flagged_at_the_helm_policy() -> None:
    annotations = (
        "    helm.sh/hook: post-install,post-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation\n"
    )
    found = rows(lint_with("HL102", job(None, annotations, meta=GENERATED, containers=MIGRATE)))
    assert [(line, column) for _, line, column, _, _ in found] == [(7, 33)]
    assert "(PostSync wave 0) with delete policy BeforeHookCreation:" in found[0][4]


@pytest.mark.parametrize(
    "annotations",
    [
        pytest.param(
            PRESYNC + "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n", id="hook-succeeded"
        ),
        pytest.param(
            PRESYNC + "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded\n",
            id="bhc-and-hook-succeeded",
        ),
        pytest.param(
            "    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-succeeded\n", id="helm"
        ),
        pytest.param("    argocd.argoproj.io/hook: PostDelete\n", id="delete-hook-is-hl113s"),
        pytest.param("    helm.sh/hook: test\n", id="dropped-helm-test-hook"),
        pytest.param("    argocd.argoproj.io/hook: Skip\n", id="skip"),
    ],
)
def test_generated_object_that_does_not_accumulate_is_not_flagged(annotations: str) -> None:
    assert rows(lint_with("HL102", job(None, annotations, meta=GENERATED, containers=MIGRATE))) == []


def test_named_hook_without_policy_is_not_flagged_by_hl102() -> None:
    assert rows(lint_with("HL102", job(annotations=PRESYNC, containers=MIGRATE))) == []


def test_name_beside_generate_name_wins_and_is_not_flagged() -> None:
    assert (
        rows(lint_with("HL102", job(None, PRESYNC, meta="  name: migrate\n" + GENERATED, containers=MIGRATE)))
        == []
    )


def test_hl101_leaves_hooks_without_a_health_check_alone() -> None:
    # docs/argocd.md#hook-health: a ServiceAccount or RBAC hook is done once applied; applying over a leftover changes nothing.
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: migrator
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""
    load = loaded({"sa.yaml": text})
    assert lint(load, Settings(select=("HL101",))) == []


def test_several_unnamed_hooks_of_one_kind_are_one_object_and_hl102_speaks_of_the_one_that_runs() -> None:
    # Found by the fuzz test: Argo CD keeps the last of several unnamed hooks of one kind and namespace
    # (controller/state.go NormalizeTargetObjects), so the first has no task and HL102 must pass it over.
    hook = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  labels: {{a: b}}\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
    )
    text = "---\n".join([hook.format(), hook.format()])
    found = findings({"app.yaml": text}, Settings(select=("HL102",)))
    assert [(path, line, rule) for path, line, _, rule, _ in found] == [("app.yaml", 10, "HL102")]
