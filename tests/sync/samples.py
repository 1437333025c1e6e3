"""Applications the sync tests ask their what-if questions of and time, and the explain renderer tests render."""

from __future__ import annotations

from tests.helpers import ROOT

DEMO = str(ROOT / "fixtures" / "demo")


def hook(name: str, types: str, policy: str | None = None, wave: int = 0, kind: str = "Job") -> str:
    api = "batch/v1" if kind == "Job" else "v1"
    lines = [f"apiVersion: {api}", f"kind: {kind}", "metadata:", f"  name: {name}", "  annotations:"]
    lines.append(f"    argocd.argoproj.io/hook: {types}")
    if policy:
        lines.append(f"    argocd.argoproj.io/hook-delete-policy: {policy}")
    if wave:
        lines.append(f'    argocd.argoproj.io/sync-wave: "{wave}"')
    return "\n".join(lines) + "\n"


def obj(kind: str, name: str, wave: int = 0, api: str = "v1", extra: str = "") -> str:
    text = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n"
    if wave or extra:
        text += "  annotations:\n"
    if wave:
        text += f'    argocd.argoproj.io/sync-wave: "{wave}"\n'
    return text + extra


WHAT_IF = "---\n".join(
    [
        hook("schema", "PreSync", "HookFailed"),
        hook("backup", "PreSync", "HookSucceeded"),
        obj("ConfigMap", "settings"),
        obj("Deployment", "api", 1, "apps/v1"),
        hook("smoke", "PostSync", "HookSucceeded"),
        hook("alert", "SyncFail", "HookFailed"),
        hook("page", "SyncFail"),
    ]
)


SELECTIVE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: migrations
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: api
          envFrom:
            - configMapRef: {name: migrations}
"""


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget}
"""


DELETION = "---\n".join(
    [
        CRD,
        obj("Namespace", "shop", -5),
        obj("ConfigMap", "keep-me", extra="    argocd.argoproj.io/sync-options: Delete=false\n").replace(
            "name: keep-me\n", "name: keep-me\n  namespace: shop\n"
        ),
        obj("Secret", "helm-kept", extra="    helm.sh/resource-policy: keep\n"),
        obj("Deployment", "api", 2, "apps/v1"),
        obj("Service", "api", 2, extra="    argocd.argoproj.io/sync-options: Delete=confirm\n"),
        hook("drain", "PreDelete", "HookSucceeded"),
        hook("goodbye", "PostDelete"),
        hook("tidy", "PostDelete", "HookSucceeded"),
        hook("report", "PostSync"),
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: seed-\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n",
        hook("alert", "SyncFail", "HookFailed"),
    ]
)


TIMED = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  activeDeadlineSeconds: 300
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
    argocd.argoproj.io/sync-wave: "1"
---
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  annotations:
    argocd.argoproj.io/hook: SyncFail
spec:
  activeDeadlineSeconds: 30
"""
