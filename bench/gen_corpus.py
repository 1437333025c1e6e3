#!/usr/bin/env python3
"""Write a deterministic synthetic GitOps repository for benchmarks.

Usage: gen_corpus.py OUT_DIR [--apps N] [--seed S]

Each application is a folder of about a dozen Kubernetes documents spread over
several files: a Namespace, RBAC, ConfigMap and Secret in early waves,
Deployments and Services in the Sync phase, a PreSync migration Job, a PostSync
smoke test and a SyncFail notifier, and in every fifth app a CRD with one of its
custom resources. A fixed share of apps carries known pitfalls (a PreSync hook
that needs a later ConfigMap, a named hook whose delete policy lacks
BeforeHookCreation, a high backoffLimit), so a linter has real work to do.
Only the standard library is used; the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import os
import random

NAMESPACE = """apiVersion: v1
kind: Namespace
metadata:
  name: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-10"
"""

RBAC = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: migrator
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "{sa_wave}"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: migrator
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-5"
rules:
  - apiGroups: [""]
    resources: ["configmaps", "pods"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: migrator
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-5"
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: migrator
subjects:
  - kind: ServiceAccount
    name: migrator
    namespace: {ns}
"""

CONFIG = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "{cm_wave}"
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout"
  DB_HOST: postgres.{ns}.svc.cluster.local
---
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "-3"
type: Opaque
stringData:
  username: app
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {svc}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {svc}
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {svc}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {svc}
    spec:
      containers:
        - name: {svc}
          image: registry.example.com/{svc}:1.{minor}.0
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: settings
          env:
            - name: DB_USER
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: username
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 512Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: {svc}
  namespace: {ns}
spec:
  selector:
    app.kubernetes.io/name: {svc}
  ports:
    - port: 80
      targetPort: 8080
"""

HOOKS = """apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  namespace: {ns}
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: "-2"
    argocd.argoproj.io/hook-delete-policy: {policy}
spec:
  backoffLimit: {backoff}
  activeDeadlineSeconds: 300
  template:
    spec:
      serviceAccountName: migrator
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/migrations:2.{minor}.1
          args: ["migrate", "--target", "{target}"]
          envFrom:
            - configMapRef:
                name: settings
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: smoke-test-
  namespace: {ns}
  annotations:
    argocd.argoproj.io/hook: PostSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 120
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: curl
          image: curlimages/curl:8.10.1
          args: ["-fsS", "http://{first}.{ns}.svc.cluster.local/healthz"]
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: notify-failure-
  namespace: {ns}
  annotations:
    argocd.argoproj.io/hook: SyncFail
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: notify
          image: curlimages/curl:8.10.1
          args: ["-fsS", "-X", "POST", "http://alerts.monitoring.svc.cluster.local/hook"]
"""

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: caches.example.com
  annotations:
    argocd.argoproj.io/sync-wave: "-8"
spec:
  group: example.com
  scope: Namespaced
  names:
    kind: Cache
    plural: caches
    singular: cache
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
---
apiVersion: example.com/v1
kind: Cache
metadata:
  name: sessions
  namespace: {ns}
  annotations:
    argocd.argoproj.io/sync-wave: "1"
spec:
  size: 3
"""


def write_app(out: str, index: int, rng: random.Random) -> None:
    ns = f"team-{index:04d}"
    folder = os.path.join(out, "apps", ns)
    os.makedirs(folder, exist_ok=True)
    pitfall = index % 10
    files = {
        "namespace.yaml": NAMESPACE.format(ns=ns),
        "rbac.yaml": RBAC.format(ns=ns, sa_wave="-5" if pitfall != 3 else "2"),
        "config.yaml": CONFIG.format(ns=ns, cm_wave="-4" if pitfall != 1 else "3"),
        "hooks.yaml": HOOKS.format(
            ns=ns,
            policy="BeforeHookCreation" if pitfall != 2 else "HookSucceeded",
            backoff=1 if pitfall != 4 else 6,
            minor=rng.randint(0, 40),
            target=rng.randint(100, 999),
            first=f"svc-{index}-0",
        ),
    }
    for n in range(3):
        svc = f"svc-{index}-{n}"
        files[f"{svc}.yaml"] = DEPLOYMENT.format(
            ns=ns,
            svc=svc,
            wave=rng.choice([0, 0, 1, 2]),
            replicas=rng.randint(1, 5),
            minor=rng.randint(0, 40),
        )
    if index % 5 == 0:
        files["cache.yaml"] = (
            CRD.format(ns=ns)
            .replace("caches.example.com", f"caches{index}.example.com")
            .replace("group: example.com", f"group: example{index}.com")
            .replace("apiVersion: example.com/v1", f"apiVersion: example{index}.com/v1")
        )
    for name, text in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--apps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=73492971)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for index in range(args.apps):
        write_app(args.out, index, rng)


if __name__ == "__main__":
    main()
