"""Tests of HL209 webhook-before-backend."""

from __future__ import annotations

from textwrap import dedent

import pytest

from tests.rules.ordering.steps import findings_of as _findings

WEBHOOK = dedent("""\
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata:
      name: policy-validation
      annotations:
        argocd.argoproj.io/sync-wave: "-1"
    webhooks:
      - name: validate.policy.example.com
        clientConfig:
          service: {name: policy-webhook, namespace: shop, path: /validate}
        rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
        admissionReviewVersions: [v1]
        sideEffects: None
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: policy-webhook
      annotations:
        argocd.argoproj.io/sync-wave: "-1"
    spec:
      selector: {app: policy-webhook}
      ports: [{port: 443, targetPort: 9443}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: policy-webhook
    spec:
      selector: {matchLabels: {app: policy-webhook}}
      template:
        metadata: {labels: {app: policy-webhook, tier: admission}}
        spec:
          containers: [{name: webhook, image: registry.example.com/policy-webhook:0.9.1}]
    """)


def test_webhook_before_the_workload_behind_its_service_is_flagged() -> None:
    assert _findings(WEBHOOK, "HL209") == [
        (
            "app.yaml",
            10,
            23,
            "HL209",
            "ValidatingWebhookConfiguration/policy-validation is applied in Sync wave -1, but its backend "
            "Deployment/policy-webhook (behind Service/policy-webhook) is first applied in Sync wave 0: until it "
            "is up, the API server rejects every request webhook validate.policy.example.com intercepts "
            "(failurePolicy Fail)",
        )
    ]


def test_webhook_before_its_service_names_the_service() -> None:
    text = WEBHOOK.replace('  annotations:\n    argocd.argoproj.io/sync-wave: "-1"\nspec:\n', "spec:\n")
    assert [row[4].split(": until")[0] for row in _findings(text, "HL209")] == [
        "ValidatingWebhookConfiguration/policy-validation is applied in Sync wave -1, but its backend "
        "Service/policy-webhook is first applied in Sync wave 0"
    ]


def test_webhook_in_the_same_step_as_its_backend_is_fine() -> None:
    assert _findings(WEBHOOK.replace('"-1"', '"0"'), "HL209") == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("    sideEffects: None\n", "    sideEffects: None\n    failurePolicy: Ignore\n"),
        ("admissionregistration.k8s.io/v1\n", "admissionregistration.k8s.io/v1beta1\n"),
    ],
    ids=["failure-policy-ignore", "v1beta1-defaults-to-ignore"],
)
def test_webhooks_that_fail_open_are_fine(before: str, after: str) -> None:
    assert _findings(WEBHOOK.replace(before, after), "HL209") == []


def test_apiservice_before_its_backend_waits_forever() -> None:
    text = """\
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata:
          name: v1beta1.metrics.k8s.io
        spec:
          group: metrics.k8s.io
          version: v1beta1
          service: {name: metrics-server, namespace: kube-system}
          groupPriorityMinimum: 100
          versionPriority: 100
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: metrics-server
          namespace: kube-system
          annotations:
            argocd.argoproj.io/sync-wave: "1"
        spec:
          ports: [{port: 443}]
        """
    assert _findings(text, "HL209") == [
        (
            "app.yaml",
            8,
            19,
            "HL209",
            "APIService/v1beta1.metrics.k8s.io is applied in Sync wave 0, but its backend Service/metrics-server "
            "is first applied in Sync wave 1: the APIService never becomes Available before that, so the sync "
            "waits for it forever",
        )
    ]
