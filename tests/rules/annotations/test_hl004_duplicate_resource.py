"""Tests of HL004 duplicate-resource."""

from __future__ import annotations

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.sources.load import load
from tests.helpers import CORPUS, job, lint_with, rows
from tests.rules.annotations.values import obj as _obj


def test_later_copy_is_flagged_at_its_name_with_the_first_as_related() -> None:
    first = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: migrator\n  namespace: shop\n"
    second = first + "  labels:\n    team: db\n"
    (finding,) = lint_with("HL004", {"base.yaml": first, "db.yaml": second})
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
    assert [
        (line, message.split(": again")[1]) for _, line, _, _, message in rows(lint_with("HL004", text))
    ] == [
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
    assert [line for _, line, _, _, _ in rows(lint_with("HL004", text, namespace="shop"))] == [10]
    assert rows(lint_with("HL004", text, namespace="default")) == []


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
    found = rows(lint_with("HL004", CLUSTER_CRD + DUMMIES))
    assert [(line, message.split(" is defined")[0]) for _, line, _, _, message in found] == [
        (18, "ClusterDummy/dummy (cluster-scoped)"),
        (24, "ClusterDummy/dummy (cluster-scoped)"),
    ]


def test_a_custom_kind_without_its_crd_is_namespaced() -> None:
    found = rows(lint_with("HL004", DUMMIES))
    assert [(line, message.split(" is defined")[0]) for _, line, _, _, message in found] == [
        (10, "ClusterDummy/dummy in namespace default")
    ]


def test_argo_cds_own_duplicate_fixture() -> None:
    path = CORPUS / "argoproj__argo-cd" / "test__e2e__testdata__duplicated-resources__duplicates-cluster.yaml"
    findings = lint(load([str(path)]), Settings(select=("HL004",)))
    assert [(f.span.line, f.related[0].span.line) for f in findings] == [(50, 44), (57, 44)]


def test_distinct_objects_and_generate_name_objects_are_not_duplicates() -> None:
    hook = "    argocd.argoproj.io/hook: PostSync\n"
    generated = job(annotations=hook, document=True).replace("  name: migrate\n", "  generateName: smoke-\n")
    text = (
        _obj("ConfigMap", "settings").replace("  name: settings\n", "  name: settings\n  namespace: shop\n")
        + _obj("ConfigMap", "settings").replace(
            "  name: settings\n", "  name: settings\n  namespace: billing\n"
        )
        + _obj("Secret", "settings")
        + generated
        + generated
    )
    assert rows(lint_with("HL004", text)) == []


def test_a_hook_in_several_phases_is_one_object() -> None:
    assert (
        rows(
            lint_with(
                "HL004", job(annotations='    argocd.argoproj.io/hook: "PreSync,PostSync"\n', document=True)
            )
        )
        == []
    )
