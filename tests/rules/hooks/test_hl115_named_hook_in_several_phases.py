"""Tests of HL115 named-hook-in-several-phases."""

from __future__ import annotations

from tests.helpers import job, lint_with, rows
from tests.rules.hooks.jobs import TOOLS


def test_named_hook_in_two_phases_without_before_hook_creation_is_reported_at_the_policy() -> None:
    text = job(
        "smoke-test",
        "    argocd.argoproj.io/hook: PreSync,PostSync\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        containers=TOOLS,
        document=True,
    )
    assert rows(lint_with("HL115", text)) == [
        (
            "app.yaml",
            8,
            44,
            "HL115",
            "Job/smoke-test runs in PreSync wave 0 and PostSync wave 0 as one named object whose delete policy "
            "HookSucceeded lacks BeforeHookCreation: the PostSync run finds the PreSync object live, re-applies "
            "it and takes over its completed status, so it does not run again",
        )
    ]


def test_hooks_in_several_phases_that_are_re_created_or_have_nothing_to_run_are_not_flagged() -> None:
    default = job("a", "    argocd.argoproj.io/hook: PreSync,PostSync\n", containers=TOOLS, document=True)
    listed = job(
        "b",
        "    argocd.argoproj.io/hook: PreSync,PostSync\n"
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded,BeforeHookCreation\n",
        containers=TOOLS,
        document=True,
    )
    unnamed = job(
        "x",
        "    argocd.argoproj.io/hook: PreSync,PostSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        containers=TOOLS,
        document=True,
    ).replace("name: x", "generateName: c-")
    config = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/hook: PreSync,PostSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""
    assert rows(lint_with("HL115", default + listed + unnamed + config)) == []
