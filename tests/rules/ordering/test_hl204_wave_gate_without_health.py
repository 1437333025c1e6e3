"""Tests of HL204 wave-gate-without-health."""

from __future__ import annotations

from textwrap import dedent

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from tests.helpers import loaded
from tests.rules.ordering.steps import application as _application
from tests.rules.ordering.steps import findings_of as _findings

APP_OF_APPS = "---\n".join(
    [_application("cert-manager", "-1"), _application("ingress", "0"), _application("shop", "1")]
)


def test_child_applications_in_waves_do_not_wait_for_each_other() -> None:
    message = (
        "Application/{} in Sync wave {} is counted done as soon as it is applied (Argo CD has no health check for "
        "Application since v1.8): Sync wave {} starts without waiting for it to be ready"
    )
    assert _findings(APP_OF_APPS, "HL204") == [
        ("app.yaml", 7, 35, "HL204", message.format("cert-manager", -1, 0)),
        ("app.yaml", 19, 35, "HL204", message.format("ingress", 0, 1)),
    ]


def test_application_health_configured_in_argocd_cm_is_not_flagged() -> None:
    options = {"custom-health-kinds": ["argoproj.io/Application"]}
    assert _findings(APP_OF_APPS, "HL204", options=options) == []


def test_application_before_v1_8_had_a_health_check() -> None:
    assert _findings(APP_OF_APPS, "HL204", version="1.7.14") == []


def test_custom_resource_without_health_named_with_its_kind_group() -> None:
    text = """\
        apiVersion: platform.stackrox.io/v1alpha1
        kind: Central
        metadata:
          name: central
          annotations:
            helm.sh/hook-weight: "1"
        spec: {}
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: init-bundle
          annotations:
            argocd.argoproj.io/sync-wave: "2"
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: init, image: registry.example.com/cli:4.15}]
        """
    assert _findings(text, "HL204") == [
        (
            "app.yaml",
            6,
            26,
            "HL204",
            "Central/central in Sync wave 1 is counted done as soon as it is applied (Argo CD has no health "
            "check for platform.stackrox.io/Central): Sync wave 2 starts without waiting for it to be ready",
        )
    ]


def test_application_without_a_wave_annotation_is_not_flagged() -> None:
    # Sync wave 0 is followed by a PostSync hook, but nothing says the author meant the child to finish first.
    text = _application("shop", None) + dedent("""\
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: smoke-test
          annotations:
            argocd.argoproj.io/hook: PostSync
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: test, image: registry.example.com/smoke:1.0}]
        """)
    assert _findings(text, "HL204") == []


def test_application_in_the_final_step_is_not_flagged() -> None:
    text = "---\n".join([_application("ingress", "0"), _application("shop", "1")])
    assert [row[4].split(" ")[0] for row in _findings(text, "HL204")] == ["Application/ingress"]


DONE_WHEN_APPLIED_OR_WITH_HEALTH = [
    ("v1", "ConfigMap", ""),
    ("v1", "Secret", ""),
    ("v1", "ServiceAccount", ""),
    ("v1", "Namespace", ""),
    ("v1", "Service", "spec: {ports: [{port: 80}]}\n"),
    ("policy/v1", "PodDisruptionBudget", ""),
    ("networking.k8s.io/v1", "NetworkPolicy", ""),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", ""),
    ("scheduling.k8s.io/v1", "PriorityClass", "value: 1000\n"),
    ("storage.k8s.io/v1", "StorageClass", "provisioner: ebs.csi.aws.com\n"),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", ""),
    ("cert-manager.io/v1", "ClusterIssuer", ""),
    ("argoproj.io/v1alpha1", "AppProject", ""),
    ("monitoring.coreos.com/v1", "ServiceMonitor", ""),
    ("networking.istio.io/v1", "VirtualService", ""),
]


@pytest.mark.parametrize(
    ("api_version", "kind", "extra"),
    DONE_WHEN_APPLIED_OR_WITH_HEALTH,
    ids=[row[1] for row in DONE_WHEN_APPLIED_OR_WITH_HEALTH],
)
def test_kinds_done_when_applied_or_with_a_health_check_are_never_flagged(
    api_version: str, kind: str, extra: str
) -> None:
    text = (
        f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: first\n"
        f"  annotations:\n    argocd.argoproj.io/sync-wave: '-1'\n{extra}---\n" + _application("shop", "0")
    )
    assert _findings(text, "HL204") == []


def test_a_wait_job_in_the_same_step_holds_the_gate() -> None:
    text = (
        _application("vault", "20")
        + dedent("""\
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: wait-vault-unseal
          annotations:
            argocd.argoproj.io/sync-wave: "20"
        spec:
          template:
            spec:
              restartPolicy: OnFailure
              containers: [{name: wait, image: registry.example.com/toolkit:0.0.8, args: [wait-for, vault]}]
        ---
        """)
        + _application("vault-config", "21")
    )
    assert _findings(text, "HL204") == []


DEPLOYMENT_IN_WAVE_2 = """\
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
      annotations:
        argocd.argoproj.io/sync-wave: "2"
    spec:
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          containers: [{name: api, image: registry.example.com/shop/api:1.4.2}]
    """


@pytest.mark.parametrize(
    "configuration",
    [
        pytest.param(
            """\
            apiVersion: postgresql.cnpg.io/v1
            kind: ScheduledBackup
            metadata:
              name: nightly
              annotations:
                argocd.argoproj.io/sync-wave: "1"
            spec:
              schedule: "0 0 2 * * *"
              cluster: {name: shop-db}
            """,
            id="cnpg-scheduled-backup",
        ),
        pytest.param(
            """\
            apiVersion: operators.coreos.com/v1
            kind: OperatorGroup
            metadata:
              name: shop
              annotations:
                argocd.argoproj.io/sync-wave: "1"
            spec:
              targetNamespaces: [shop]
            """,
            id="olm-operator-group",
        ),
    ],
)
def test_configuration_nothing_later_needs_is_not_flagged(configuration: str) -> None:
    assert _findings(dedent(configuration) + dedent(DEPLOYMENT_IN_WAVE_2), "HL204") == []


def test_a_crossplane_claim_provisions_and_is_flagged_by_its_fields() -> None:
    claim = dedent("""\
        apiVersion: database.example.org/v1alpha1
        kind: PostgreSQLInstance
        metadata:
          name: shop-db
          annotations:
            argocd.argoproj.io/sync-wave: "1"
        spec:
          parameters: {storageGB: 20}
          writeConnectionSecretToRef: {name: shop-db-conn}
        """)
    assert _findings(claim + dedent(DEPLOYMENT_IN_WAVE_2), "HL204") == [
        (
            "app.yaml",
            6,
            35,
            "HL204",
            "PostgreSQLInstance/shop-db in Sync wave 1 is counted done as soon as it is applied (Argo CD has no "
            "health check for database.example.org/PostgreSQLInstance): Sync wave 2 starts without waiting for "
            "it to be ready",
        )
    ]


def test_a_custom_resource_a_later_step_needs_is_flagged_with_the_reference_related() -> None:
    text = dedent("""\
        apiVersion: workers.example.com/v1
        kind: QueueWorker
        metadata:
          name: mailer
          annotations:
            argocd.argoproj.io/sync-wave: "1"
        spec: {queue: mail}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: mailer
          annotations:
            argocd.argoproj.io/sync-wave: "2"
        spec:
          scaleTargetRef: {apiVersion: workers.example.com/v1, kind: QueueWorker, name: mailer}
          minReplicas: 1
          maxReplicas: 5
        """)
    settings = Settings(select=("HL204",), namespace="shop")
    (finding,) = lint(loaded({"app.yaml": text}, clean=True), settings)
    assert (finding.span.line, finding.span.column, finding.rule) == (6, 35, "HL204")
    assert [(r.span.line, r.span.column, r.message) for r in finding.related] == [
        (9, 1, "Sync wave 2 starts here"),
        (16, 81, "HorizontalPodAutoscaler/mailer in Sync wave 2 needs it (scaleTargetRef)"),
    ]
    assert _findings(text.replace('"2"', '"1"'), "HL204") == []


def application_set(name: str, wave: str, strategy: str = "") -> str:
    return (
        f"apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: {name}\n"
        f'  namespace: argocd\n  annotations:\n    argocd.argoproj.io/sync-wave: "{wave}"\n'
        f"spec:\n{strategy}  generators:\n    - list:\n        elements: [{{cluster: a}}]\n"
        "  template:\n    metadata:\n      name: '{{cluster}}-" + name + "'\n"
        "    spec:\n      project: default\n      source: {repoURL: 'https://example.com/r.git', path: x}\n"
        "      destination: {server: 'https://kubernetes.default.svc', namespace: x}\n"
    )


def test_an_application_set_is_healthy_once_its_applications_are_written() -> None:
    # Its health check reads only its own conditions: the next wave does not wait for its Applications.
    text = "---\n".join([application_set("cert-manager", "-2"), application_set("addons", "0")])
    assert _findings(text, "HL204") == [
        (
            "app.yaml",
            7,
            35,
            "HL204",
            "ApplicationSet/cert-manager in Sync wave -2 is counted done as soon as it is applied (Argo CD's "
            "health check of an ApplicationSet reads its own conditions: it is Healthy once its Applications "
            "are written, not synced, unless a RollingSync is in progress): Sync wave 0 starts without "
            "waiting for it to be ready",
        )
    ]


def test_an_application_set_with_a_rolling_sync_is_progressing_while_it_rolls_out() -> None:
    rolling = "  strategy:\n    type: RollingSync\n    rollingSync:\n      steps: []\n"
    text = "---\n".join([application_set("cert-manager", "-2", rolling), application_set("addons", "0")])
    assert _findings(text, "HL204") == []
