"""Tests of HL205 wave-blocked-by-load-balancer."""

from __future__ import annotations

from textwrap import dedent

from tests.rules.ordering.steps import findings_of as _findings

WEB = dedent("""\
    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
    spec:
      ingressClassName: nginx
      rules:
        - host: shop.example.com
          http:
            paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: edge
    spec:
      type: LoadBalancer
      ports: [{port: 443}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      type: NodePort
      ports: [{port: 80}]
    """)


LATER_WAVE = dedent("""\
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: worker
      annotations:
        argocd.argoproj.io/sync-wave: "1"
    spec:
      selector: {matchLabels: {app: worker}}
      template:
        metadata: {labels: {app: worker}}
        spec:
          containers: [{name: worker, image: registry.example.com/shop/worker:1.4.2}]
    """)


SYNC_HOOK = dedent("""\
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: smoke-test
      annotations:
        argocd.argoproj.io/hook: Sync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: test, image: registry.example.com/smoke:1.0}]
    """)


def test_ingress_and_load_balancer_in_a_waited_step_block_the_next_one() -> None:
    stuck = "in Sync wave 0 stays Progressing until a load balancer address is assigned"
    assert _findings(WEB + LATER_WAVE, "HL205") == [
        ("app.yaml", 2, 7, "HL205", f"Ingress/web {stuck}: Sync wave 1 and every later step wait for it"),
        ("app.yaml", 18, 9, "HL205", f"Service/edge {stuck}: Sync wave 1 and every later step wait for it"),
    ]


def test_final_step_with_hooks_waits_for_the_load_balancer() -> None:
    findings = _findings(WEB + SYNC_HOOK + LATER_WAVE.replace('"1"', '"-1"'), "HL205")
    assert [(line, message) for _, line, _, _, message in findings] == [
        (
            2,
            "Ingress/web in Sync wave 0 stays Progressing until a load balancer address is assigned, and the "
            "sync waits for it with the step's hooks before it can finish",
        ),
        (
            18,
            "Service/edge in Sync wave 0 stays Progressing until a load balancer address is assigned, and the "
            "sync waits for it with the step's hooks before it can finish",
        ),
    ]


def test_final_hook_free_step_is_not_waited_on() -> None:
    assert _findings(WEB + LATER_WAVE.replace('"1"', '"-1"'), "HL205") == []


def test_single_step_with_a_hook_does_not_wait_for_resources() -> None:
    assert _findings(WEB + SYNC_HOOK, "HL205") == []


def test_ingress_as_a_hook_is_left_to_hl105() -> None:
    hook = WEB.replace("  name: web\n", "  name: web\n  annotations: {argocd.argoproj.io/hook: PreSync}\n", 1)
    assert [row[1] for row in _findings(hook + LATER_WAVE, "HL205")] == [19]
