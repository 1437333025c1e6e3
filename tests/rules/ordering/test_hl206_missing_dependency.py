"""Tests of HL206 missing-dependency."""

from __future__ import annotations

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from tests.helpers import lint_with, loaded, rows
from tests.rules.ordering.references import RUNNER_ACCOUNT, notify, plain, workload

NOTIFY = notify(
    "            - name: WEBHOOK_URL\n"
    "              valueFrom:\n"
    "                secretKeyRef:\n"
    "                  name: team-webhook\n"
    "                  key: url\n"
    "            - name: WEBHOOK_TOKEN\n"
    "              valueFrom:\n"
    "                secretKeyRef:\n"
    "                  name: team-webhook\n"
    "                  key: token\n"
)


def test_missing_secret_is_reported_once_per_resource_at_its_first_reference() -> None:
    assert rows(lint_with("HL206", {"notify.yaml": NOTIFY})) == [
        (
            "notify.yaml",
            18,
            25,
            "HL206",
            "Job/notify needs Secret/team-webhook (env secretKeyRef), which is not among the manifests",
        )
    ]


def test_missing_dependency_is_off_by_default() -> None:
    found = lint(loaded({"notify.yaml": NOTIFY}, clean=True, texts={}), Settings())
    assert [f for f in found if f.rule == "HL206"] == []


def test_custom_resource_without_its_crd_is_reported_at_its_kind() -> None:
    monitor = plain("ServiceMonitor", "api", api="monitoring.coreos.com/v1", body="spec: {}\n")
    assert rows(lint_with("HL206", {"monitor.yaml": monitor})) == [
        (
            "monitor.yaml",
            2,
            7,
            "HL206",
            "ServiceMonitor/api is a custom resource of monitoring.coreos.com, whose CustomResourceDefinition is "
            "not among the manifests",
        )
    ]


def test_provided_produced_optional_and_elsewhere_namespaced_objects_are_not_missing() -> None:
    uses = (
        "      serviceAccountName: default\n"
        "      volumes:\n"
        "        - name: a\n          secret:\n            secretName: sealed\n"
        "        - name: b\n          secret:\n            secretName: tls-cert\n"
        "        - name: c\n          secret:\n            secretName: external\n"
        "        - name: d\n          configMap:\n            name: kube-root-ca.crt\n"
        "        - name: e\n          configMap:\n            name: maybe\n            optional: true\n"
        "        - name: f\n          configMap:\n            name: in-tools\n"
    )
    deployment = workload("Deployment", "api", spec=uses)
    sealed = plain("SealedSecret", "sealed", api="bitnami.com/v1alpha1", body="spec: {}\n")
    certificate = plain(
        "Certificate", "tls", api="cert-manager.io/v1", body="spec:\n  secretName: tls-cert\n"
    )
    external = plain(
        "ExternalSecret",
        "ext",
        api="external-secrets.io/v1beta1",
        body="spec:\n  target:\n    name: external\n",
    )
    in_tools = plain("ConfigMap", "in-tools").replace(
        "  name: in-tools\n", "  name: in-tools\n  namespace: tools\n"
    )
    skipped = workload(
        "Job", "manual", annotations='    argocd.argoproj.io/hook: "Skip"\n', spec=RUNNER_ACCOUNT
    )
    application = plain("Application", "child", api="argoproj.io/v1alpha1", body="spec: {}\n")
    route = plain(
        "Route", "api", api="route.openshift.io/v1", body="spec:\n  to:\n    kind: Service\n    name: api\n"
    )
    crds = "".join(
        "---\n"
        + plain(
            "CustomResourceDefinition",
            f"{plural}.{group}",
            api="apiextensions.k8s.io/v1",
            body=f"spec:\n  group: {group}\n  scope: Namespaced\n  names:\n    kind: {kind}\n",
        )
        for plural, group, kind in (
            ("sealedsecrets", "bitnami.com", "SealedSecret"),
            ("certificates", "cert-manager.io", "Certificate"),
            ("externalsecrets", "external-secrets.io", "ExternalSecret"),
        )
    )
    assert (
        lint_with(
            "HL206",
            {
                "app.yaml": deployment,
                "sealed.yaml": sealed,
                "cert.yaml": certificate,
                "external.yaml": external,
                "tools.yaml": in_tools,
                "manual.yaml": skipped,
                "application.yaml": application,
                "route.yaml": route,
                "crds.yaml": crds,
            },
        )
        == []
    )
