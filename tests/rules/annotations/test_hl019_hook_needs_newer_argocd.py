"""Tests of HL019 hook-needs-newer-argocd."""

from __future__ import annotations

import pytest

from hooklint.rules.annotations.hl019_hook_needs_newer_argocd import supports
from tests.helpers import job, lint_with, rows


@pytest.mark.parametrize(
    ("version", "since", "backport", "expected"),
    [
        ((3, 3, 2), (3, 4, 0), (3, 3, 3), False),
        ((3, 3, 3), (3, 4, 0), (3, 3, 3), True),
        ((3, 2, 9), (3, 4, 0), (3, 3, 3), False),
        ((3, 4, 0), (3, 4, 0), (3, 3, 3), True),
        ((2, 9, 9), (2, 10, 0), None, False),
        ((2, 10, 0), (2, 10, 0), None, True),
    ],
)
def test_supports_counts_backports_only_on_their_own_line(
    version: tuple[int, int, int],
    since: tuple[int, int, int],
    backport: tuple[int, int, int] | None,
    expected: bool,
) -> None:
    assert supports(version, since, backport) is expected


DELETE_CASES = [
    (
        "2.9.0",
        "PostDelete",
        30,
        "PostDelete hooks need Argo CD 2.10.0; 2.9.0 does not know 'PostDelete' and "
        "ignores it, so Job/migrate is never applied nor run",
    ),
    (
        "3.2.0",
        "PreSync,PreDelete",
        38,
        "PreDelete hooks need Argo CD 3.3.0; 3.2.0 does not know 'PreDelete' and "
        "ignores it, so Job/migrate runs only in PreSync, never on Application deletion",
    ),
    (
        "3.3.2",
        "PostSync,PostDelete",
        39,
        "a hook value listing PostDelete among other values needs Argo CD 3.3.3 "
        "on the 3.3 line or 3.4.0; 3.3.2 takes only a value that is exactly 'PostDelete' as a PostDelete hook, so "
        "Job/migrate runs only in PostSync, never on Application deletion",
    ),
    (
        "3.3.4",
        "PostSync,PostDelete",
        39,
        "a hook with both a sync phase and PostDelete needs Argo CD 3.3.5 on the "
        "3.3 line or 3.4.0; 3.3.4 removes Job/migrate from syncs as a PostDelete hook, so it never runs in PostSync",
    ),
    (
        "3.2.0",
        "PostDelete,PreSync",
        30,
        "a hook value listing PostDelete among other values needs Argo CD 3.3.3 "
        "on the 3.3 line or 3.4.0; 3.2.0 takes only a value that is exactly 'PostDelete' as a PostDelete hook, so "
        "Job/migrate runs only in PreSync, never on Application deletion",
    ),
]


@pytest.mark.parametrize(("version", "value", "column", "message"), DELETE_CASES)
def test_delete_hook_features_follow_the_targeted_version(
    version: str, value: str, column: int, message: str
) -> None:
    text = job(annotations=f"    argocd.argoproj.io/hook: {value}\n")
    assert rows(lint_with("HL019", text, argocd_version=version)) == [
        ("app.yaml", 6, column, "HL019", message)
    ]


def test_helm_pre_delete_before_3_3_is_ignored() -> None:
    text = job(annotations="    helm.sh/hook: pre-delete\n")
    assert rows(lint_with("HL019", text, argocd_version="3.2.0")) == [
        (
            "app.yaml",
            6,
            19,
            "HL019",
            "PreDelete hooks need Argo CD 3.3.0; 3.2.0 does not know 'pre-delete' and ignores it, so Job/migrate "
            "is never applied nor run",
        )
    ]


def test_sync_hook_with_a_helm_delete_value_left_syncs_before_3_3_5() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: PostSync\n    helm.sh/hook: post-delete\n")
    assert rows(lint_with("HL019", text, argocd_version="3.0.0")) == [
        (
            "app.yaml",
            7,
            19,
            "HL019",
            "a hook with both a sync phase and PostDelete needs Argo CD 3.3.5 on the 3.3 line or 3.4.0; 3.0.0 "
            "removes Job/migrate from syncs as a PostDelete hook, so it never runs in PostSync",
        )
    ]


@pytest.mark.parametrize(
    ("version", "annotations", "column", "message"),
    [
        (
            "1.1.0",
            "    argocd.argoproj.io/hook: SyncFail\n",
            30,
            "SyncFail hooks need Argo CD 1.2.0; 1.1.0 does "
            "not know the type and ignores it, so with no other type Argo CD never applies Job/migrate",
        ),
        (
            "1.2.0",
            "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: "
            "HookSucceeded,BeforeHookCreation\n",
            58,
            "BeforeHookCreation needs Argo CD 1.3.0; 1.2.0 does not know "
            "it and ignores it, so only HookSucceeded applies",
        ),
        (
            "1.2.0",
            "    helm.sh/hook: pre-install,pre-upgrade\n",
            19,
            "Helm hooks need Argo CD 1.3.0; 1.2.0 ignores "
            "every helm.sh/hook but crd-install, so Job/migrate does not run as a PreSync hook",
        ),
        (
            "1.0.0",
            '    argocd.argoproj.io/sync-wave: "3"\n',
            35,
            "sync waves need Argo CD 1.1.0; 1.0.0 ignores "
            "argocd.argoproj.io/sync-wave, so Job/migrate is applied with the rest of its phase, not in wave 3",
        ),
    ],
    ids=["syncfail", "before-hook-creation", "helm", "waves"],
)
def test_older_features_follow_the_targeted_version(
    version: str, annotations: str, column: int, message: str
) -> None:
    found = rows(lint_with("HL019", job(annotations=annotations), argocd_version=version))
    assert [(row[2], row[4]) for row in found] == [(column, message)]


def test_helm_hook_ignored_before_1_3_is_reported_once_not_for_its_weight() -> None:
    text = job(annotations='    helm.sh/hook: post-install\n    helm.sh/hook-weight: "5"\n')
    assert [row[1] for row in rows(lint_with("HL019", text, argocd_version="1.2.0"))] == [6]


@pytest.mark.parametrize(
    ("version", "value"),
    [
        ("3.5.1", "PostSync,PreDelete,PostDelete"),
        ("3.4.0", "PostSync,PostDelete"),
        ("3.3.5", "PostSync,PostDelete"),
        ("3.3.3", "PreDelete,PostDelete"),
        ("3.3.0", "PreDelete"),
        ("2.10.0", "PostDelete"),
        ("1.0.0", "PreSync"),
    ],
)
def test_features_the_targeted_version_has_are_not_flagged(version: str, value: str) -> None:
    text = job(annotations=f"    argocd.argoproj.io/hook: {value}\n    argocd.argoproj.io/sync-wave: '0'\n")
    assert rows(lint_with("HL019", text, argocd_version=version)) == []
