"""Tests of HL305 hook-runs-with-admin-rights."""

from __future__ import annotations

import pytest

from hooklint.config.settings import Settings
from tests.helpers import findings

HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: {namespace}
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
{account}      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36
"""


def hook(account: str | None, namespace: str = "shop", automount: bool = True) -> str:
    lines = f"      serviceAccountName: {account}\n" if account else ""
    if not automount:
        lines += "      automountServiceAccountToken: false\n"
    return HOOK.format(namespace=namespace, account=lines)


def binding(kind: str, role: str, subject: str, namespace: str = "") -> str:
    own = f"\n  namespace: {namespace}" if namespace else ""
    return f"""\
apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata:
  name: migrator{own}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {role}
subjects:
{subject}
"""


SA_SUBJECT = "  - kind: ServiceAccount\n    name: migrator\n    namespace: shop"

WILDCARD_ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: everything
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"""


def lint(*texts: str, options: dict[str, object] | None = None) -> list[tuple[str, int, int, str, str]]:
    settings = Settings(select=("HL305",), options={"HL305": options or {}})
    return findings({f"f{i}.yaml": text for i, text in enumerate(texts)}, settings)


@pytest.mark.parametrize(
    "account",
    ["argocd-application-controller", "argocd-server", "argocd-applicationset-controller"],
    ids=["controller", "server", "applicationset-controller"],
)
def test_hook_running_as_argocd_own_account_is_flagged(account: str) -> None:
    assert lint(hook(account, namespace="argocd")) == [
        (
            "f0.yaml",
            11,
            27,
            "HL305",
            f"Job/migrate runs as ServiceAccount argocd/{account}, Argo CD's own: whoever can commit to "
            "the repository runs code with Argo CD's rights over the whole cluster",
        )
    ]


def test_argocd_account_name_in_another_namespace_is_not_argocd_own() -> None:
    assert lint(hook("argocd-server", namespace="shop")) == []


def test_argocd_namespaces_option_names_where_argocd_runs() -> None:
    found = lint(hook("argocd-server", namespace="gitops"), options={"argocd-namespaces": ["gitops"]})
    assert [row[:4] for row in found] == [("f0.yaml", 11, 27, "HL305")]


@pytest.mark.parametrize("namespace", ["openshift-gitops", "shop"])
def test_an_operator_instance_account_is_argocd_own_in_any_namespace(namespace: str) -> None:
    # The operator names an instance's accounts after the instance: OpenShift GitOps' default instance
    # `openshift-gitops` has `openshift-gitops-argocd-application-controller`.
    account = "openshift-gitops-argocd-application-controller"
    found = lint(hook(account, namespace=namespace))
    assert [row[:4] for row in found] == [("f0.yaml", 11, 27, "HL305")]
    assert found[0][4].startswith(f"Job/migrate runs as ServiceAccount {namespace}/{account}, Argo CD's own")


def test_a_name_that_merely_contains_an_argocd_account_is_not_argocd_own() -> None:
    assert lint(hook("argocd-server-reader", namespace="argocd")) == []


def test_hook_account_bound_to_cluster_admin_is_flagged_at_the_account() -> None:
    found = lint(hook("migrator"), binding("ClusterRoleBinding", "cluster-admin", SA_SUBJECT))
    assert found == [
        (
            "f0.yaml",
            11,
            27,
            "HL305",
            "Job/migrate runs as ServiceAccount shop/migrator, which ClusterRoleBinding/migrator binds to "
            "cluster-admin over the cluster: whoever can commit to the repository runs code with those rights",
        )
    ]


def test_rolebinding_to_an_input_clusterrole_with_every_right_is_flagged() -> None:
    subject = "  - kind: ServiceAccount\n    name: migrator"
    found = lint(hook("migrator"), binding("RoleBinding", "everything", subject, "shop"), WILDCARD_ROLE)
    assert found == [
        (
            "f0.yaml",
            11,
            27,
            "HL305",
            "Job/migrate runs as ServiceAccount shop/migrator, which RoleBinding/migrator binds to "
            "everything over namespace shop: whoever can commit to the repository runs code with those rights",
        )
    ]


def test_default_account_bound_by_a_group_is_flagged_at_the_pod_spec() -> None:
    subject = (
        "  - kind: Group\n    name: system:serviceaccounts:shop\n    apiGroup: rbac.authorization.k8s.io"
    )
    found = lint(hook(None), binding("ClusterRoleBinding", "cluster-admin", subject))
    assert [row[:4] for row in found] == [("f0.yaml", 10, 5, "HL305")]
    assert "ServiceAccount shop/default" in found[0][4]


@pytest.mark.parametrize(
    ("texts", "why"),
    [
        ((hook("migrator"), binding("ClusterRoleBinding", "view", SA_SUBJECT)), "a narrower role"),
        ((hook("other"), binding("ClusterRoleBinding", "cluster-admin", SA_SUBJECT)), "another account"),
        (
            (hook("migrator", automount=False), binding("ClusterRoleBinding", "cluster-admin", SA_SUBJECT)),
            "no token",
        ),
        (
            (hook("argocd-server", namespace="argocd").replace("hook: PreSync", "sync-wave: '1'"),),
            "not a hook",
        ),
    ],
    ids=["view-role", "other-account", "automount-off", "not-a-hook"],
)
def test_hooks_without_admin_rights_are_not_flagged(texts: tuple[str, ...], why: str) -> None:
    assert lint(*texts) == [], why
