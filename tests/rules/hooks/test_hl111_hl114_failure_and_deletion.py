"""Tests of HL111 hook-failed-policy-deletes-evidence, HL112 syncfail-waves-ignored, HL113 delete-hook-generate-name and HL114 delete-hook-left-behind."""

from __future__ import annotations

from tests.helpers import job, lint_with, rows
from tests.rules.hooks.jobs import TOOLS


def test_hook_failed_is_reported_at_its_own_item() -> None:
    text = job(
        "migrate",
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation, HookFailed\n",
        containers=TOOLS,
        document=True,
    )
    assert rows(lint_with("HL111", text)) == [
        (
            "app.yaml",
            8,
            64,
            "HL111",
            "Job/migrate (PreSync wave 0) has delete policy HookFailed: when the sync fails or is terminated, "
            "Argo CD deletes it whether it failed or succeeded, and its status and logs go with it",
        )
    ]


def test_helm_hook_failed_is_reported_at_the_helm_item() -> None:
    text = job(
        "upgrade",
        "    helm.sh/hook: pre-upgrade\n    helm.sh/hook-delete-policy: hook-succeeded,hook-failed\n",
        containers=TOOLS,
        document=True,
    )
    assert [(r[1], r[2]) for r in rows(lint_with("HL111", text))] == [(8, 48)]


def test_hook_failed_on_hooks_with_nothing_to_run_or_on_delete_hooks_is_not_flagged() -> None:
    config = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookFailed
"""
    delete = job(
        "cleanup",
        "    argocd.argoproj.io/hook: PreDelete\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n",
        containers=TOOLS,
        document=True,
    )
    assert rows(lint_with("HL111", config + delete)) == []


def syncfail(name: str, wave: str | None) -> str:
    lines = "    argocd.argoproj.io/hook: SyncFail\n"
    if wave is not None:
        lines += f'    argocd.argoproj.io/sync-wave: "{wave}"\n'
    return job(name, lines, containers=TOOLS, document=True)


def test_syncfail_hooks_in_later_waves_are_reported_at_their_wave() -> None:
    (found,) = lint_with("HL112", syncfail("collect-logs", "0") + syncfail("notify", "5"))
    assert (found.span.path, found.span.line, found.span.column) == ("app.yaml", 23, 35)
    assert found.message == (
        "Job/notify is a SyncFail hook in wave 5, but Argo CD starts all SyncFail hooks at once: it runs "
        "alongside Job/collect-logs (wave 0), not after it"
    )
    assert [(r.span.line, r.span.column, r.message) for r in found.related] == [
        (8, 35, "Job/collect-logs, the lowest SyncFail wave (0)")
    ]


def test_syncfail_hook_in_the_default_wave_is_reported_at_its_hook_annotation() -> None:
    result = rows(lint_with("HL112", syncfail("first", "-1") + syncfail("second", None)))
    assert [(r[1], r[2]) for r in result] == [(22, 30)]


def test_syncfail_hooks_sharing_a_wave_or_alone_are_not_flagged() -> None:
    assert rows(lint_with("HL112", syncfail("a", "1") + syncfail("b", "1"))) == []
    assert rows(lint_with("HL112", syncfail("a", "3"))) == []


def test_delete_hook_with_generate_name_is_reported_at_it() -> None:
    text = job("x", "    argocd.argoproj.io/hook: PostDelete\n", containers=TOOLS, document=True).replace(
        "name: x", "generateName: cleanup-"
    )
    assert rows(lint_with("HL113", text)) == [
        (
            "app.yaml",
            5,
            17,
            "HL113",
            "Job/cleanup-* is a PostDelete hook with generateName and no name: Argo CD matches delete hooks to "
            "live objects by metadata.name, so it never recognises the object it created",
        )
    ]


def test_named_delete_hooks_and_unsupported_versions_are_not_flagged() -> None:
    named = job("cleanup", "    argocd.argoproj.io/hook: PreDelete\n", containers=TOOLS, document=True)
    unnamed = named.replace("name: cleanup", "generateName: cleanup-")
    assert rows(lint_with("HL113", named)) == []
    # PreDelete hooks run from v3.3.0 (docs/argocd.md#version-table): before that Argo CD ignores them.
    assert rows(lint_with("HL113", unnamed, argocd_version="3.2.0")) == []
    assert [r[3] for r in rows(lint_with("HL113", unnamed, argocd_version="3.3.0"))] == ["HL113"]


def test_post_delete_hook_without_policy_is_reported_at_the_hook_value() -> None:
    assert rows(
        lint_with(
            "HL114",
            job("cleanup", "    argocd.argoproj.io/hook: PostDelete\n", containers=TOOLS, document=True),
        )
    ) == [
        (
            "app.yaml",
            7,
            30,
            "HL114",
            "Job/cleanup is a PostDelete hook with no delete policy: the default, BeforeHookCreation, never "
            "removes it, so it stays in the cluster after the Application is deleted",
        )
    ]


def test_post_delete_hook_with_a_policy_lacking_hook_succeeded_is_reported_at_the_policy() -> None:
    text = job(
        "cleanup",
        "    helm.sh/hook: post-delete\n    helm.sh/hook-delete-policy: before-hook-creation\n",
        containers=TOOLS,
        document=True,
    )
    assert rows(lint_with("HL114", text)) == [
        (
            "app.yaml",
            8,
            33,
            "HL114",
            "Job/cleanup is a PostDelete hook whose delete policy BeforeHookCreation lacks HookSucceeded: after "
            "a successful run it stays in the cluster once the Application is deleted",
        )
    ]


def test_cleaned_up_or_cascade_deleted_delete_hooks_are_not_flagged() -> None:
    cleaned = job(
        "cleanup",
        "    argocd.argoproj.io/hook: PostDelete\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        containers=TOOLS,
        document=True,
    )
    pre_delete = job("drain", "    argocd.argoproj.io/hook: PreDelete\n", containers=TOOLS, document=True)
    assert rows(lint_with("HL114", cleaned + pre_delete)) == []
    # PostDelete hooks run from v2.10.0 (docs/argocd.md#version-table).
    assert (
        rows(
            lint_with(
                "HL114",
                job("cleanup", "    argocd.argoproj.io/hook: PostDelete\n", containers=TOOLS, document=True),
                argocd_version="2.9.0",
            )
        )
        == []
    )


def test_sync_and_delete_hook_without_any_name_is_reported_at_its_metadata() -> None:
    """gitops-engine pkg/sync/sync_context.go getSyncTasks names it for the sync; controller/hook.go
    executeHooks creates a delete hook as written, and the API server refuses it without a name."""
    text = job(
        "x", "    argocd.argoproj.io/hook: PreSync,PostDelete\n", containers=TOOLS, document=True
    ).replace("  name: x\n", "")
    assert rows(lint_with("HL113", text)) == [
        (
            "app.yaml",
            4,
            1,
            "HL113",
            "Job/<generated> is a PostDelete hook with neither name nor generateName: Argo CD names it only for "
            "the sync; when the Application is deleted it is created as written, and Kubernetes refuses an "
            "object without a name",
        )
    ]
