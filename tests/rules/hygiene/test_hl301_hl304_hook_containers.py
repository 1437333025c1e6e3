"""Tests of HL301 hook-image-not-pinned, HL302 hook-secret-literal, HL303 hook-without-resources and HL304 hook-privileged."""

from __future__ import annotations

import pytest

from hooklint.model import Finding
from tests import helpers
from tests.helpers import lint_with


def run(rule: str, *texts: str) -> list[Finding]:
    return lint_with(rule, {f"f{i}.yaml": text for i, text in enumerate(texts)})


def rows(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    return [(f.span.path, f.span.line, f.span.column, f.message) for f in findings]


def job(
    container: str, annotations: str = "argocd.argoproj.io/hook: PreSync", namespace: str = "shop"
) -> str:
    """Job/task in namespace; `container` is the lines of its container main after its name."""
    return helpers.job(
        "task",
        f"    {annotations}\n",
        meta=f"  namespace: {namespace}\n",
        containers="      containers:\n        - name: main\n" + container,
    )


@pytest.mark.parametrize(
    ("image", "how"),
    [
        ("busybox", "no tag or digest, which means latest"),
        ("busybox:latest", "the tag latest"),
        ("registry.example.com:5000/tools/kubectl", "no tag or digest, which means latest"),
    ],
    ids=["no-tag", "latest", "registry-port"],
)
def test_unpinned_hook_image_is_flagged(image: str, how: str) -> None:
    findings = run("HL301", job(f"          image: {image}\n"))
    assert rows(findings) == [
        (
            "f0.yaml",
            14,
            18,
            f"Job/task (PreSync wave 0) container main uses image {image} with {how}: each run of the hook may "
            "pull a different image",
        )
    ]


@pytest.mark.parametrize(
    "image",
    [
        "busybox:1.36.1",
        "registry.example.com:5000/tools/kubectl:1.30.2",
        "busybox@sha256:" + "a" * 64,
        "busybox:latest@sha256:" + "b" * 64,
    ],
    ids=["tag", "registry-port-and-tag", "digest", "latest-with-digest"],
)
def test_pinned_hook_image_is_not_flagged(image: str) -> None:
    assert run("HL301", job(f"          image: {image}\n")) == []


def test_delete_hooks_are_checked_and_dropped_or_non_hook_objects_are_not() -> None:
    delete = job("          image: busybox\n", "argocd.argoproj.io/hook: PostDelete")
    helm_test = job("          image: busybox\n", "helm.sh/hook: test").replace("name: task", "name: test")
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx
"""
    findings = run("HL301", delete, helm_test, deployment)
    assert [(f.span.path, f.span.line, f.message.split(" container")[0]) for f in findings] == [
        ("f0.yaml", 14, "Job/task (PostDelete)")
    ]


SECRET_ENV = """\
          image: registry.example.com/shop/api:1.4.2
          env:
            - name: DB_PASSWORD
              value: hunter22
            - name: DATABASE_URL
              value: "postgres://shop:s3cr3t@postgres:5432/shop"
            - name: TOKEN_FILE
              value: /var/run/secrets/token
            - name: SECRET_NAME
              value: db-credentials
            - name: PASSWORD_PATH
              value: db/password
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: {name: api, key: token}
            - name: GITHUB_TOKEN
              value: $(TOKEN)
            - name: ADMIN_PASSWORD
              value: changeme
            - name: USE_TOKEN
              value: "true"
"""


def test_literal_credentials_in_env_are_flagged_without_printing_them() -> None:
    findings = run("HL302", job(SECRET_ENV))
    assert rows(findings) == [
        (
            "f0.yaml",
            17,
            22,
            "Job/task (PreSync wave 0) container main sets env DB_PASSWORD to a literal credential",
        ),
        (
            "f0.yaml",
            19,
            39,
            "Job/task (PreSync wave 0) container main has a URL with an embedded password in env DATABASE_URL",
        ),
    ]
    assert (findings[1].span.end_line, findings[1].span.end_column) == (19, 45)
    assert all("hunter22" not in f.message and "s3cr3t" not in f.message for f in findings)


SECRET_ARGS = """\
          image: registry.example.com/tools/cli:2.1.0
          args:
            - --api-key
            - k3y-0f-the-api
            - --token=t0ken-value
            - --password-file=/run/secrets/password
            - --password
            - $(DB_PASSWORD)
        - name: notify
          image: curlimages/curl:8.10.1
          command:
            - sh
            - -c
            - |
              kubectl create secret generic db --from-literal=password=Pa55word
              curl -d '{"text":"synced"}' https://hooks.slack.com/services/T024BE7LD/B08C2H4KQ9R/xq7JWk2mZbR4vT9n
              curl -d '{}' https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX
              oc login --token="$(cat /var/run/secrets/token)"
"""


def test_literal_credentials_in_args_and_scripts_are_flagged() -> None:
    findings = run("HL302", job(SECRET_ARGS, "argocd.argoproj.io/hook: SyncFail"))
    head = "Job/task (SyncFail wave 0) container"
    assert rows(findings) == [
        ("f0.yaml", 17, 15, f"{head} main has a literal for --api-key in args[1]"),
        ("f0.yaml", 18, 23, f"{head} main has a literal for --token in args[2]"),
        (
            "f0.yaml",
            27,
            15,
            f"{head} notify has a Slack webhook URL with its secret path in command[2] (line 2 of the value)",
        ),
        (
            "f0.yaml",
            27,
            15,
            f"{head} notify has a literal for --from-literal key password in command[2] (line 1 of the value)",
        ),
    ]


def test_secrets_in_non_hook_workloads_are_not_this_rules_business() -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: main\n"
        + SECRET_ENV
    )
    assert run("HL302", deployment) == []


def test_hook_container_without_requests_or_limits_is_flagged_at_its_name() -> None:
    findings = run("HL303", job("          image: busybox:1.36.1\n          resources: {}\n"))
    assert rows(findings) == [
        (
            "f0.yaml",
            13,
            17,
            "Job/task (PreSync wave 0) container main sets no resource requests or limits, and namespace shop "
            "has no LimitRange in the application",
        )
    ]


def test_requests_alone_are_enough() -> None:
    container = "          image: busybox:1.36.1\n          resources:\n            requests: {cpu: 10m}\n"
    assert run("HL303", job(container)) == []


LIMIT_RANGE = """\
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: shop
spec:
  limits:
    - type: Container
      defaultRequest: {cpu: 50m, memory: 64Mi}
"""


def test_a_limitrange_in_the_hooks_namespace_supplies_defaults() -> None:
    container = "          image: busybox:1.36.1\n"
    assert run("HL303", job(container), LIMIT_RANGE) == []
    other = run("HL303", job(container, namespace="jobs"), LIMIT_RANGE)
    assert [(f.span.line, f.message.rsplit(", ", 1)[1]) for f in other] == [
        (13, "and namespace jobs has no LimitRange in the application")
    ]


def test_privileged_and_privilege_escalation_are_flagged_at_their_values() -> None:
    container = """\
          image: busybox:1.36.1
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true
"""
    assert rows(run("HL304", job(container, "argocd.argoproj.io/hook: PreDelete"))) == [
        ("f0.yaml", 16, 25, "Job/task (PreDelete) container main runs privileged (privileged: true)"),
        (
            "f0.yaml",
            17,
            39,
            "Job/task (PreDelete) container main allows privilege escalation (allowPrivilegeEscalation: true)",
        ),
    ]


def test_explicit_false_or_omitted_privileges_are_not_flagged() -> None:
    container = """\
          image: busybox:1.36.1
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
        - name: sidecar
          image: busybox:1.36.1
"""
    assert run("HL304", job(container)) == []


def test_pod_level_resources_bound_every_container() -> None:
    text = job("          image: busybox:1.36.1\n").replace(
        "      restartPolicy: Never\n",
        "      restartPolicy: Never\n      resources:\n        limits: {memory: 256Mi}\n",
    )
    assert run("HL303", text) == []
