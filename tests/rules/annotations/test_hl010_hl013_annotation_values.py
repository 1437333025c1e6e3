"""Tests of HL010 unknown-hook-type, HL011 unknown-delete-policy, HL012 invalid-sync-wave and HL013 non-string-annotation."""

from __future__ import annotations

import pytest

from hooklint.model import Severity
from tests.helpers import job, lint_with, rows
from tests.rules.annotations.values import obj as _obj


def test_a_hook_with_no_valid_type_is_an_error_at_the_item_with_a_suggestion() -> None:
    assert rows(
        lint_with("HL010", job(annotations="    argocd.argoproj.io/hook: Presync\n", document=True))
    ) == [
        (
            "app.yaml",
            7,
            30,
            "HL010",
            "'Presync' is not an Argo CD hook type (did you mean 'PreSync'?): Job/migrate is a hook with no valid "
            "type, so Argo CD silently drops it: never applied",
        )
    ]


def test_an_empty_hook_value_is_an_error_at_the_value() -> None:
    assert rows(lint_with("HL010", job(annotations='    argocd.argoproj.io/hook: ""\n', document=True))) == [
        (
            "app.yaml",
            7,
            30,
            "HL010",
            "empty hook type: Job/migrate is a hook with no valid type, so Argo CD silently drops it: never applied",
        )
    ]


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("post-install", "PostSync"),
        ("pre-upgrade", "PreSync"),
        ("Pre-Sync", "PreSync"),
        ("SYNCFAIL", "SyncFail"),
        ("PostSynk", "PostSync"),
        ("postdelete", "PostDelete"),
    ],
    ids=["helm-post", "helm-pre", "hyphen", "upper", "spelling", "delete-case"],
)
def test_unknown_hook_types_get_the_known_type_they_were_meant_as(value: str, suggestion: str) -> None:
    (row,) = rows(
        lint_with("HL010", job(annotations=f"    argocd.argoproj.io/hook: {value}\n", document=True))
    )
    assert f"(did you mean {suggestion!r}?)" in row[4]


def test_an_unknown_type_with_no_close_match_gets_no_suggestion() -> None:
    (row,) = rows(
        lint_with("HL010", job(annotations="    argocd.argoproj.io/hook: Garbage\n", document=True))
    )
    assert row[4].startswith("'Garbage' is not an Argo CD hook type: ")


def test_unknown_items_next_to_a_valid_type_are_warnings_at_their_own_columns() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: Sync,Garbage, PostSynk\n", document=True)
    assert [
        (f.span.line, f.span.column, f.span.end_column, f.severity) for f in lint_with("HL010", text)
    ] == [(7, 35, 42, Severity.WARNING), (7, 44, 52, Severity.WARNING)]
    assert rows(lint_with("HL010", text))[1][4] == (
        "'PostSynk' is not an Argo CD hook type (did you mean 'PostSync'?): Argo CD drops this item; Job/migrate "
        "runs in Sync wave 0"
    )


def test_an_unknown_argo_type_over_a_valid_helm_type_is_a_warning() -> None:
    text = job(
        annotations="    argocd.argoproj.io/hook: Presync\n    helm.sh/hook: pre-upgrade\n", document=True
    )
    assert [(f.message, f.severity) for f in lint_with("HL010", {"app.yaml": text})] == [
        (
            "'Presync' is not an Argo CD hook type (did you mean 'PreSync'?): Argo CD drops this item; Job/migrate "
            "runs in PreSync wave 0 (from helm.sh/hook)",
            Severity.WARNING,
        )
    ]


def test_a_configured_severity_applies_to_the_milder_case_too() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: Sync,Garbage\n", document=True)
    findings = lint_with("HL010", {"app.yaml": text}, severity={"HL010": Severity.INFO})
    assert [f.severity for f in findings] == [Severity.INFO]


@pytest.mark.parametrize(
    "annotations",
    [
        "    argocd.argoproj.io/hook: PreSync, PostSync\n",
        "    argocd.argoproj.io/hook: Skip\n",
        "    argocd.argoproj.io/hook: PreDelete\n",
        "    argocd.argoproj.io/hook: Skip,PreSync\n",
        "    argocd.argoproj.io/hook: 5\n",
        "    helm.sh/hook: test\n",
    ],
    ids=["valid-list", "skip", "delete-hook", "skip-mixed-is-hl015", "non-string-is-hl013", "helm-only"],
)
def test_known_types_and_other_rules_cases_are_not_hl010(annotations: str) -> None:
    assert rows(lint_with("HL010", job(annotations=annotations, document=True))) == []


def test_a_case_slip_leaves_the_default_policy() -> None:
    text = job(
        annotations="    argocd.argoproj.io/hook: PostSync\n    argocd.argoproj.io/hook-delete-policy: hooksucceeded\n",
        document=True,
    )
    assert rows(lint_with("HL011", text)) == [
        (
            "app.yaml",
            8,
            44,
            "HL011",
            "'hooksucceeded' is not a delete policy Argo CD knows in argocd.argoproj.io/hook-delete-policy (did you "
            "mean 'HookSucceeded'?): dropped, so Job/migrate has no valid policy left and gets the default "
            "BeforeHookCreation",
        )
    ]


def test_each_dropped_policy_is_reported_at_its_item_with_what_is_left() -> None:
    text = job(
        annotations="    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,hook-failed,OnSuccess\n",
        document=True,
    )
    assert [
        (column, message.split(": dropped")[0].split("(")[1])
        for _, _, column, _, message in rows(lint_with("HL011", text))
    ] == [
        (63, "did you mean 'HookFailed'?)"),
        (75, "did you mean 'HookSucceeded'?)"),
    ]
    assert rows(lint_with("HL011", text))[0][4].endswith(
        "so Job/migrate's delete policy is BeforeHookCreation"
    )


def test_argo_spelling_in_the_helm_key_suggests_the_helm_spelling() -> None:
    text = job(
        annotations="    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: HookSucceeded\n",
        document=True,
    )
    (row,) = rows(lint_with("HL011", text))
    assert (row[1], row[2]) == (8, 33)
    assert "in helm.sh/hook-delete-policy (did you mean 'hook-succeeded'?)" in row[4]


@pytest.mark.parametrize(
    "annotations",
    [
        "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded,HookFailed\n",
        "    helm.sh/hook: post-install\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n",
        "    argocd.argoproj.io/hook-delete-policy: hooksucceeded\n",
        "    argocd.argoproj.io/hook: Skip\n    argocd.argoproj.io/hook-delete-policy: never\n",
    ],
    ids=["valid-argo", "valid-helm", "plain-resource", "skipped"],
)
def test_valid_policies_and_policies_on_non_hooks_are_not_hl011(annotations: str) -> None:
    assert rows(lint_with("HL011", job(annotations=annotations, document=True))) == []


def test_a_rejected_wave_falls_back_to_zero() -> None:
    assert rows(
        lint_with("HL012", job(annotations='    argocd.argoproj.io/sync-wave: " 1"\n', document=True))
    ) == [
        (
            "app.yaml",
            7,
            35,
            "HL012",
            "argocd.argoproj.io/sync-wave ' 1' is not an integer to Argo CD (Go strconv.Atoi): ignored, so "
            "Job/migrate gets the default wave 0 and runs in Sync wave 0",
        )
    ]


def test_a_rejected_wave_falls_back_to_the_helm_weight() -> None:
    text = job(
        annotations='    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-wave: "1e3"\n'
        '    helm.sh/hook-weight: "-5"\n',
        document=True,
    )
    (row,) = rows(lint_with("HL012", text))
    assert row[4].endswith("so Job/migrate gets wave -5 from helm.sh/hook-weight and runs in PreSync wave -5")


def test_both_rejected_values_are_reported() -> None:
    text = job(
        annotations='    argocd.argoproj.io/sync-wave: "one"\n    helm.sh/hook-weight: "1.0"\n', document=True
    )
    assert [
        (line, message.split(" is not")[0]) for _, line, _, _, message in rows(lint_with("HL012", text))
    ] == [
        (7, "argocd.argoproj.io/sync-wave 'one'"),
        (8, "helm.sh/hook-weight '1.0'"),
    ]


@pytest.mark.parametrize(
    "annotations",
    [
        '    argocd.argoproj.io/sync-wave: "+3"\n',
        '    argocd.argoproj.io/sync-wave: "-05"\n',
        '    argocd.argoproj.io/sync-wave: ""\n',
        "    argocd.argoproj.io/sync-wave: 1.0\n",
        '    argocd.argoproj.io/hook: Skip\n    argocd.argoproj.io/sync-wave: "later"\n',
        '    argocd.argoproj.io/hook: PostDelete\n    argocd.argoproj.io/sync-wave: "last"\n',
        '    argocd.argoproj.io/sync-wave: "2"\n    helm.sh/hook-weight: "2.5"\n',
    ],
    ids=[
        "plus",
        "leading-zero",
        "blank",
        "yaml-float-is-hl013",
        "skipped",
        "delete-only",
        "weight-never-read",
    ],
)
def test_valid_blank_unused_and_non_string_waves_are_not_hl012(annotations: str) -> None:
    assert rows(lint_with("HL012", job(annotations=annotations, document=True))) == []


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        (7, 35, "metadata.annotations argocd.argoproj.io/sync-wave: 5 is read as an integer"),
        (8, 26, "metadata.annotations helm.sh/hook-weight: -5 is read as an integer"),
        (9, 16, "metadata.annotations some/flag: true is read as a boolean"),
        (10, 21, "metadata.annotations legacy/enabled: yes is read as a boolean"),
        (11, 16, "metadata.annotations some/mode: 010 is read as an integer"),
        (12, 17, "metadata.annotations some/ratio: 1.5 is read as a floating-point number"),
        (13, 5, "metadata.annotations some/empty has no value, which YAML reads as null"),
        (14, 17, "metadata.annotations some/tilde: ~ is read as null"),
        (15, 16, "metadata.annotations some/list is read as a list"),
    ],
)
def test_non_string_values_are_flagged_at_the_value(line: int, column: int, message: str) -> None:
    text = job(
        annotations="    argocd.argoproj.io/sync-wave: 5\n"
        "    helm.sh/hook-weight: -5\n"
        "    some/flag: true\n"
        "    legacy/enabled: yes\n"
        "    some/mode: 010\n"
        "    some/ratio: 1.5\n"
        "    some/empty:\n"
        "    some/tilde: ~\n"
        "    some/list: [a, b]\n",
        document=True,
    )
    found = {(row[1], row[2]): row[4] for row in rows(lint_with("HL013", text))}
    assert len(found) == 9
    assert found[(line, column)].startswith(message + ", not a string: ")


def test_the_message_says_the_object_is_rejected() -> None:
    (row,) = rows(lint_with("HL013", job(annotations="    argocd.argoproj.io/sync-wave: 5\n", document=True)))
    assert row[4] == (
        "metadata.annotations argocd.argoproj.io/sync-wave: 5 is read as an integer, not a string: annotation "
        "values must be strings, so Kubernetes rejects Job/migrate and the sync fails"
    )


def test_pod_template_annotations_are_checked() -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n"
        '      annotations:\n        prometheus.io/scrape: true\n        prometheus.io/port: "8080"\n'
        "    spec:\n      containers: []\n"
    )
    cronjob = (
        "---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  jobTemplate:\n    spec:\n"
        "      template:\n        metadata:\n          annotations:\n            sidecar.istio.io/inject: false\n"
    )
    assert [
        (line, column, message.split(" is read")[0])
        for _, line, column, _, message in rows(lint_with("HL013", deployment + cronjob))
    ] == [
        (9, 31, "spec.template.metadata.annotations prometheus.io/scrape: true"),
        (24, 38, "spec.jobTemplate.spec.template.metadata.annotations sidecar.istio.io/inject: false"),
    ]


def test_strings_timestamps_and_labels_are_not_hl013() -> None:
    text = _obj(
        "ConfigMap",
        "settings",
        '    a: "5"\n'
        "    b: 'true'\n"
        "    c: |\n"
        "      5\n"
        "    d: >-\n"
        "      true\n"
        "    e: !!str 5\n"
        "    f: 2024-01-01\n"
        "    g: plain text\n",
        extra="  labels:\n    replicas: 3\n",
    )
    assert rows(lint_with("HL013", text)) == []


def test_a_merge_key_is_not_a_mapping_value() -> None:
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: &common\n"
        "    team: shop\n    tier: 1\n"
        "spec:\n  template:\n    metadata:\n      annotations:\n        <<: *common\n"
        '        owner: "web"\n    spec:\n      containers: []\n'
    )
    assert [(line, message.split(",")[0]) for _, line, _, _, message in rows(lint_with("HL013", text))] == [
        (7, "metadata.annotations tier: 1 is read as an integer")
    ]
