"""Tests of HL016 delete-policy-without-hook."""

from __future__ import annotations

import pytest

from tests.helpers import job, lint_with, rows


def test_delete_policy_on_a_plain_job_is_flagged_at_the_key() -> None:
    text = job(annotations="    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n")
    assert rows(lint_with("HL016", text)) == [
        (
            "app.yaml",
            6,
            5,
            "HL016",
            "argocd.argoproj.io/hook-delete-policy on Job/migrate, which is not a hook (no hook annotation): "
            "delete policies apply only to hooks, so it has no effect; Job/migrate is applied in Sync wave 0",
        )
    ]


@pytest.mark.parametrize(
    ("annotations", "why", "standing"),
    [
        ("    argocd.argoproj.io/hook: Skip\n", "annotated Skip", "is never applied (Skip)"),
        (
            "    helm.sh/hook: crd-install\n",
            "helm.sh/hook: crd-install makes no hook",
            "is applied in Sync wave 0",
        ),
    ],
    ids=["skip", "crd-install"],
)
def test_skip_and_crd_install_objects_are_not_hooks(annotations: str, why: str, standing: str) -> None:
    text = job(annotations=annotations + "    helm.sh/hook-delete-policy: before-hook-creation\n")
    assert rows(lint_with("HL016", text)) == [
        (
            "app.yaml",
            7,
            5,
            "HL016",
            f"helm.sh/hook-delete-policy on Job/migrate, which is not a hook ({why}): delete policies apply "
            f"only to hooks, so it has no effect; Job/migrate {standing}",
        )
    ]


@pytest.mark.parametrize(
    "annotations",
    [
        "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        "    argocd.argoproj.io/hook: PostDelete\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        "    argocd.argoproj.io/hook: Skip,PostDelete\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n",
        "    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-succeeded\n",
        "    argocd.argoproj.io/hook: Presync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        "    argocd.argoproj.io/hooks: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
    ],
    ids=["presync", "post-delete", "skip-and-delete", "helm-hook", "typo-value", "typo-key-left-to-hl014"],
)
def test_delete_policy_on_a_hook_is_not_flagged(annotations: str) -> None:
    assert rows(lint_with("HL016", job(annotations=annotations))) == []


def test_helms_policy_on_an_object_with_no_hook_at_all_is_left_alone_as_helm_leaves_it() -> None:
    # Helm ignores it there too: a hook Job's ServiceAccount carrying it is a plain resource either way.
    assert (
        rows(lint_with("HL016", job(annotations="    helm.sh/hook-delete-policy: before-hook-creation\n")))
        == []
    )
