"""Tests of HL210 hook-calls-service-not-yet-applied."""

from __future__ import annotations

from textwrap import dedent

import pytest

from hooklint.rules.ordering.service_calls import service_names
from tests.rules.ordering.steps import findings_of as _findings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgres.shop.svc", [("postgres", "shop")]),
        ("postgres.shop.svc.cluster.local", [("postgres", "shop")]),
        ("jdbc:postgresql://postgres.shop.svc.cluster.local:5432/app", [("postgres", "shop")]),
        ("postgres-0.postgres.shop.svc.cluster.local", [("postgres", "shop")]),
        ("api.shop:8080", [("api", "shop")]),
        ("http://api.shop/healthz", [("api", "shop")]),
        ("http://api:8080/healthz", [("api", "own")]),
        ("https://api", [("api", "own")]),
        ("redis://:secret@redis:6379/0", [("redis", "own")]),
        ("curl -sf http://api/ready && echo ok", [("api", "own")]),
        ("api", []),
        ("api:8080", []),
        ("postgres:16.4", []),
        ("api.shop", []),
        ("registry.example.com/shop/api:1.4.2", []),
        ("myapi.shop.svcs", []),
        ("x.api.shop.example.com", []),
        ("http://user@api.example.com", []),
        ("postgres://api:secret@db.internal:5432", [("db", "internal")]),
        ("shop_api.shop.svc", []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_service_dns_names_are_matched_strictly(text: str, expected: list[tuple[str, str]]) -> None:
    assert list(service_names(text, "own")) == expected


SMOKE = dedent("""\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: seed
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: seed
              image: registry.example.com/shop/seed:1.4.2
              args: ["--db", "postgres://seed@postgres.shop.svc.cluster.local:5432/shop"]
              env:
                - name: API_URL
                  value: http://api:8080
                - name: POSTGRES_IMAGE
                  value: postgres:16.4
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: postgres
    spec:
      selector: {app: postgres}
      ports: [{port: 5432}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: api
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      selector: {app: api}
      ports: [{port: 8080}]
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
    """)


def test_presync_hook_calling_services_of_later_steps_is_flagged() -> None:
    start = "Job/seed runs in PreSync wave 0 and calls Service/{} in namespace shop, but {}"
    assert _findings(SMOKE, "HL210") == [
        (
            "app.yaml",
            14,
            26,
            "HL210",
            start.format("postgres", "Service/postgres")
            + " is first applied in Sync wave 0: on a first install the connection fails",
        ),
        (
            "app.yaml",
            17,
            22,
            "HL210",
            start.format("api", "Deployment/api, which Service/api sends to,")
            + " is first applied in Sync wave 2: on a first install the connection fails",
        ),
    ]


def test_hook_after_the_services_step_is_fine() -> None:
    text = SMOKE.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/hook: PostSync", 1)
    assert _findings(text, "HL210") == []


def test_a_non_hook_calling_a_later_service_is_not_this_rules_case() -> None:
    text = SMOKE.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/sync-wave: '-1'", 1)
    assert _findings(text, "HL210") == []


NOTIFY = dedent("""\
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: notify
      namespace: shop
      annotations:
        argocd.argoproj.io/hook: SyncFail
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: notify
              image: curlimages/curl:8.8.0
              args: ["-X", "POST", "http://alerts.shop.svc:9093/api/v2/alerts"]
    ---
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: migrate
      namespace: shop
      annotations:
        argocd.argoproj.io/hook: PreSync
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: migrate, image: registry.example.com/shop/api:1.4.2}]
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: alerts
      namespace: shop
    spec:
      selector: {app: alerts}
      ports: [{port: 9093}]
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: alerts
      namespace: shop
    spec:
      selector: {matchLabels: {app: alerts}}
      template:
        metadata: {labels: {app: alerts}}
        spec:
          containers: [{name: alerts, image: registry.example.com/shop/alerts:0.27.0}]
    """)
SYNC_FAIL_HEAD = "Job/notify runs when the sync fails and calls Service/alerts in namespace shop"


def test_syncfail_hook_calling_a_service_a_failing_presync_hook_leaves_missing_is_flagged() -> None:
    assert _findings(NOTIFY, "HL210") == [
        (
            "app.yaml",
            15,
            32,
            "HL210",
            SYNC_FAIL_HEAD
            + ", but Service/alerts is first applied in Sync wave 0: a failure in PreSync wave 0 "
            "leaves it missing and the connection fails",
        )
    ]


def test_syncfail_hook_calling_a_service_whose_waited_workload_may_be_what_failed_is_flagged() -> None:
    # No PreSync hook: the Service and its Deployment come first, and a later wave waits on the Deployment.
    text = NOTIFY.replace("argocd.argoproj.io/hook: PreSync", 'argocd.argoproj.io/sync-wave: "1"')
    assert _findings(text, "HL210") == [
        (
            "app.yaml",
            15,
            32,
            "HL210",
            SYNC_FAIL_HEAD + ", which sends to Deployment/alerts (Sync wave 0): when the sync fails because "
            "Deployment/alerts does not become healthy, as on a first install whose pods never start, nothing "
            "answers the call",
        )
    ]


def test_syncfail_hook_calling_a_service_nothing_can_break_first_is_not_flagged() -> None:
    # One step, not waited on: the sync fails only if an apply fails, and the Service was applied with the rest.
    alone = NOTIFY.replace("argocd.argoproj.io/hook: PreSync", "argocd.argoproj.io/hook: Skip")
    outside = NOTIFY.replace("http://alerts.shop.svc:9093", "http://alerts.monitoring.svc:9093")
    assert _findings(alone, "HL210") == []
    assert _findings(outside, "HL210") == []
