"""HL004 (duplicates.py) and HL010-HL015 (values.py): exact findings, and the cases a careful engineer leaves alone."""

from __future__ import annotations

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.manifests.parse import load_text
from hooklint.model import Finding, Resource, Severity
from hooklint.sources.input import LoadResult
from hooklint.sources.load import load
from tests.helpers import CORPUS, needs_corpus

Row = tuple[str, int, int, str, str]


def _lint(
    files: dict[str, str], rule: str, namespace: str = "default", severity: dict[str, Severity] | None = None
) -> list[Finding]:
    resources: list[Resource] = []
    for name, text in files.items():
        result = load_text(name, text)
        assert not result.problems, result.problems
        resources.extend(result.resources)
    loaded = LoadResult(tuple(resources), (), tuple(files), (), dict(files))
    return lint(loaded, Settings(select=(rule,), namespace=namespace, severity=severity or {}))


def _rows(text: str, rule: str, namespace: str = "default") -> list[Row]:
    return [
        (f.span.path, f.span.line, f.span.column, f.rule, f.message)
        for f in _lint({"app.yaml": text}, rule, namespace)
    ]


def _where(text: str, rule: str) -> list[tuple[int, int, int, Severity]]:
    """(line, column, end column, severity) of each finding: the positions, without the messages."""
    return [
        (f.span.line, f.span.column, f.span.end_column, f.severity) for f in _lint({"app.yaml": text}, rule)
    ]


def _obj(kind: str, name: str, annotations: str = "", *, api: str = "v1", extra: str = "") -> str:
    """A document; `annotations` are lines indented by 4, `extra` top-level lines after metadata."""
    meta = f"  name: {name}\n" + (f"  annotations:\n{annotations}" if annotations else "")
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}{extra}"


def _job(annotations: str, name: str = "migrate") -> str:
    spec = "spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: []\n"
    return _obj("Job", name, annotations, api="batch/v1", extra=spec)


# HL004 duplicate-resource


def test_later_copy_is_flagged_at_its_name_with_the_first_as_related() -> None:
    first = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: migrator\n  namespace: shop\n"
    second = first + "  labels:\n    team: db\n"
    (finding,) = _lint({"base.yaml": first, "db.yaml": second}, "HL004")
    assert (finding.span.path, finding.span.line, finding.span.column, finding.span.end_column) == (
        "db.yaml",
        4,
        9,
        17,
    )
    assert finding.message == (
        "ServiceAccount/migrator in namespace shop is defined 2 times in this application: again at db.yaml:4 "
        "(different from the first), first at base.yaml:4; Argo CD reports RepeatedResourceWarning and applies "
        "only the last copy (this one)"
    )
    assert [(r.span.path, r.span.line, r.span.column, r.message) for r in finding.related] == [
        ("base.yaml", 4, 9, "first definition of ServiceAccount/migrator")
    ]


def test_every_later_copy_is_flagged_and_names_the_copy_argo_keeps() -> None:
    text = _obj("ConfigMap", "settings") * 3
    assert [(line, message.split(": again")[1]) for _, line, _, _, message in _rows(text, "HL004")] == [
        (
            10,
            " at app.yaml:10 (identical to the first), first at app.yaml:5; Argo CD reports "
            "RepeatedResourceWarning and applies only the last copy (app.yaml:15)",
        ),
        (
            15,
            " at app.yaml:15 (identical to the first), first at app.yaml:5; Argo CD reports "
            "RepeatedResourceWarning and applies only the last copy (this one)",
        ),
    ]


def test_an_omitted_namespace_is_the_destination_namespace() -> None:
    text = _obj("ConfigMap", "settings") + _obj("ConfigMap", "settings", extra="data: {}\n").replace(
        "  name: settings\n", "  name: settings\n  namespace: shop\n"
    )
    assert [line for _, line, _, _, _ in _rows(text, "HL004", namespace="shop")] == [10]
    assert _rows(text, "HL004", namespace="default") == []


CLUSTER_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: clusterdummies.argoproj.io
spec:
  group: argoproj.io
  names: {kind: ClusterDummy, plural: clusterdummies}
  scope: Cluster
"""
DUMMIES = """\
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterDummy
metadata:
  name: dummy
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterDummy
metadata:
  name: dummy
  namespace: default
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterDummy
metadata:
  name: dummy
  namespace: kube-system
"""


def test_a_custom_kind_is_cluster_scoped_when_its_crd_says_so() -> None:
    rows = _rows(CLUSTER_CRD + DUMMIES, "HL004")
    assert [(line, message.split(" is defined")[0]) for _, line, _, _, message in rows] == [
        (18, "ClusterDummy/dummy (cluster-scoped)"),
        (24, "ClusterDummy/dummy (cluster-scoped)"),
    ]


def test_a_custom_kind_without_its_crd_is_namespaced() -> None:
    rows = _rows(DUMMIES, "HL004")
    assert [(line, message.split(" is defined")[0]) for _, line, _, _, message in rows] == [
        (10, "ClusterDummy/dummy in namespace default")
    ]


@needs_corpus()
def test_argo_cds_own_duplicate_fixture() -> None:
    path = CORPUS / "argoproj__argo-cd" / "test__e2e__testdata__duplicated-resources__duplicates-cluster.yaml"
    findings = lint(load([str(path)]), Settings(select=("HL004",)))
    assert [(f.span.line, f.related[0].span.line) for f in findings] == [(50, 44), (57, 44)]


def test_distinct_objects_and_generate_name_objects_are_not_duplicates() -> None:
    hook = "    argocd.argoproj.io/hook: PostSync\n"
    generated = _job(hook).replace("  name: migrate\n", "  generateName: smoke-\n")
    text = (
        _obj("ConfigMap", "settings").replace("  name: settings\n", "  name: settings\n  namespace: shop\n")
        + _obj("ConfigMap", "settings").replace(
            "  name: settings\n", "  name: settings\n  namespace: billing\n"
        )
        + _obj("Secret", "settings")
        + generated
        + generated
    )
    assert _rows(text, "HL004") == []


def test_a_hook_in_several_phases_is_one_object() -> None:
    assert _rows(_job('    argocd.argoproj.io/hook: "PreSync,PostSync"\n'), "HL004") == []


# HL010 unknown-hook-type


def test_a_hook_with_no_valid_type_is_an_error_at_the_item_with_a_suggestion() -> None:
    assert _rows(_job("    argocd.argoproj.io/hook: Presync\n"), "HL010") == [
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
    assert _rows(_job('    argocd.argoproj.io/hook: ""\n'), "HL010") == [
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
    (row,) = _rows(_job(f"    argocd.argoproj.io/hook: {value}\n"), "HL010")
    assert f"(did you mean {suggestion!r}?)" in row[4]


def test_an_unknown_type_with_no_close_match_gets_no_suggestion() -> None:
    (row,) = _rows(_job("    argocd.argoproj.io/hook: Garbage\n"), "HL010")
    assert row[4].startswith("'Garbage' is not an Argo CD hook type: ")


def test_unknown_items_next_to_a_valid_type_are_warnings_at_their_own_columns() -> None:
    text = _job("    argocd.argoproj.io/hook: Sync,Garbage, PostSynk\n")
    assert _where(text, "HL010") == [(7, 35, 42, Severity.WARNING), (7, 44, 52, Severity.WARNING)]
    assert _rows(text, "HL010")[1][4] == (
        "'PostSynk' is not an Argo CD hook type (did you mean 'PostSync'?): Argo CD drops this item; Job/migrate "
        "runs in Sync wave 0"
    )


def test_an_unknown_argo_type_over_a_valid_helm_type_is_a_warning() -> None:
    text = _job("    argocd.argoproj.io/hook: Presync\n    helm.sh/hook: pre-upgrade\n")
    assert [(f.message, f.severity) for f in _lint({"app.yaml": text}, "HL010")] == [
        (
            "'Presync' is not an Argo CD hook type (did you mean 'PreSync'?): Argo CD drops this item; Job/migrate "
            "runs in PreSync wave 0 (from helm.sh/hook)",
            Severity.WARNING,
        )
    ]


def test_a_configured_severity_applies_to_the_milder_case_too() -> None:
    text = _job("    argocd.argoproj.io/hook: Sync,Garbage\n")
    findings = _lint({"app.yaml": text}, "HL010", severity={"HL010": Severity.INFO})
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
    assert _rows(_job(annotations), "HL010") == []


# HL011 unknown-delete-policy


def test_a_case_slip_leaves_the_default_policy() -> None:
    text = _job(
        "    argocd.argoproj.io/hook: PostSync\n    argocd.argoproj.io/hook-delete-policy: hooksucceeded\n"
    )
    assert _rows(text, "HL011") == [
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
    text = _job(
        "    argocd.argoproj.io/hook: PreSync\n"
        "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,hook-failed,OnSuccess\n"
    )
    assert [
        (column, message.split(": dropped")[0].split("(")[1])
        for _, _, column, _, message in _rows(text, "HL011")
    ] == [
        (63, "did you mean 'HookFailed'?)"),
        (75, "did you mean 'HookSucceeded'?)"),
    ]
    assert _rows(text, "HL011")[0][4].endswith("so Job/migrate's delete policy is BeforeHookCreation")


def test_argo_spelling_in_the_helm_key_suggests_the_helm_spelling() -> None:
    text = _job("    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: HookSucceeded\n")
    (row,) = _rows(text, "HL011")
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
    assert _rows(_job(annotations), "HL011") == []


# HL012 invalid-sync-wave


def test_a_rejected_wave_falls_back_to_zero() -> None:
    assert _rows(_job('    argocd.argoproj.io/sync-wave: " 1"\n'), "HL012") == [
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
    text = _job(
        '    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-wave: "1e3"\n'
        '    helm.sh/hook-weight: "-5"\n'
    )
    (row,) = _rows(text, "HL012")
    assert row[4].endswith("so Job/migrate gets wave -5 from helm.sh/hook-weight and runs in PreSync wave -5")


def test_both_rejected_values_are_reported() -> None:
    text = _job('    argocd.argoproj.io/sync-wave: "one"\n    helm.sh/hook-weight: "1.0"\n')
    assert [(line, message.split(" is not")[0]) for _, line, _, _, message in _rows(text, "HL012")] == [
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
    assert _rows(_job(annotations), "HL012") == []


# HL013 non-string-annotation


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
    text = _job(
        "    argocd.argoproj.io/sync-wave: 5\n"
        "    helm.sh/hook-weight: -5\n"
        "    some/flag: true\n"
        "    legacy/enabled: yes\n"
        "    some/mode: 010\n"
        "    some/ratio: 1.5\n"
        "    some/empty:\n"
        "    some/tilde: ~\n"
        "    some/list: [a, b]\n"
    )
    rows = {(row[1], row[2]): row[4] for row in _rows(text, "HL013")}
    assert len(rows) == 9
    assert rows[(line, column)].startswith(message + ", not a string: ")


def test_the_message_says_the_object_is_rejected() -> None:
    (row,) = _rows(_job("    argocd.argoproj.io/sync-wave: 5\n"), "HL013")
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
        for _, line, column, _, message in _rows(deployment + cronjob, "HL013")
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
    assert _rows(text, "HL013") == []


def test_a_merge_key_is_not_a_mapping_value() -> None:
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: &common\n"
        "    team: shop\n    tier: 1\n"
        "spec:\n  template:\n    metadata:\n      annotations:\n        <<: *common\n"
        '        owner: "web"\n    spec:\n      containers: []\n'
    )
    assert [(line, message.split(",")[0]) for _, line, _, _, message in _rows(text, "HL013")] == [
        (7, "metadata.annotations tier: 1 is read as an integer")
    ]


# HL015 skip-mixed-with-hook-types


def test_skip_next_to_other_types_is_flagged_at_the_skip_item() -> None:
    text = _job("    argocd.argoproj.io/hook: PreSync,Skip,PostSync\n")
    assert _rows(text, "HL015") == [
        (
            "app.yaml",
            7,
            38,
            "HL015",
            "Skip is ignored next to PreSync,PostSync: Job/migrate is not skipped, it runs as a hook in PreSync "
            "wave 0, PostSync wave 0",
        )
    ]


def test_skip_next_to_a_delete_type_and_a_sync_type_names_both() -> None:
    (row,) = _rows(_job('    argocd.argoproj.io/hook: "Skip,SyncFail,PostDelete"\n'), "HL015")
    assert row[4].endswith("it runs as a hook in SyncFail wave 0, PostDelete on Application deletion")


@pytest.mark.parametrize(
    "value",
    ["Skip", "Skip,Garbage", "Skip,Skip", "PreSync,PostSync"],
    ids=["skip-alone", "skip-and-garbage", "skip-repeated", "no-skip"],
)
def test_skip_alone_is_not_hl015(value: str) -> None:
    assert _rows(_job(f"    argocd.argoproj.io/hook: {value}\n"), "HL015") == []
