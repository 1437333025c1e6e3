"""Tests of HL110 hooks-only-application."""

from __future__ import annotations

from tests.helpers import job, lint_with, rows
from tests.rules.hooks.jobs import TOOLS

SERVICE_ACCOUNT_HOOK = """\
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: migrator
  annotations:
    argocd.argoproj.io/hook: PreSync
"""


def test_application_of_hooks_only_is_reported_once_at_the_first_hook() -> None:
    migrate = job(
        "migrate",
        "    argocd.argoproj.io/hook: PreSync\n",
        meta="  namespace: shop\n",
        containers=TOOLS,
        document=True,
    )
    assert rows(lint_with("HL110", migrate + SERVICE_ACCOUNT_HOOK)) == [
        (
            "app.yaml",
            22,
            30,
            "HL110",
            "every object this application syncs is a hook (ServiceAccount/migrator, Job/migrate), and hooks "
            "get no sync status: the application is never OutOfSync, so a change to these hooks never starts "
            "an automated sync",
        )
    ]


def test_skip_objects_and_delete_hooks_do_not_count_as_synced_resources() -> None:
    skipped = """\
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: manual
  annotations:
    argocd.argoproj.io/hook: Skip
"""
    cleanup = job("cleanup", "    argocd.argoproj.io/hook: PostDelete\n", containers=TOOLS, document=True)
    assert [r[3] for r in rows(lint_with("HL110", SERVICE_ACCOUNT_HOOK + skipped + cleanup))] == ["HL110"]


def test_application_with_a_resource_is_not_flagged() -> None:
    resource = "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
    assert rows(lint_with("HL110", SERVICE_ACCOUNT_HOOK + resource)) == []


def test_hooks_naming_objects_outside_the_input_are_taken_as_part_of_a_larger_application() -> None:
    spec = "  template:\n    spec:\n      serviceAccountName: deployer\n"
    partial = job("wait", "    argocd.argoproj.io/hook: PreSync\n", containers=TOOLS, document=True).replace(
        "  template:\n    spec:\n", spec
    )
    assert rows(lint_with("HL110", partial)) == []


def test_a_hook_running_as_argo_cds_own_account_is_no_sign_of_a_larger_application() -> None:
    # Argo CD's ServiceAccount is in the cluster whatever the application holds: naming it says nothing
    # about objects the input lacks.
    spec = "  template:\n    spec:\n      serviceAccountName: argocd-application-controller\n"
    hook = job("wait", "    argocd.argoproj.io/hook: PreSync\n", containers=TOOLS, document=True).replace(
        "  template:\n    spec:\n", spec
    )
    assert [row[3] for row in rows(lint_with("HL110", hook))] == ["HL110"]
