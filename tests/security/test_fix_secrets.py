"""Item 13: HL109's tracking ConfigMap (a plain object, and the fix's text in SARIF) never holds a value
HL302 calls a credential: it holds its digest, which changes when the value does."""

from __future__ import annotations

import hashlib
import json

from tests.security.harness import Sandbox

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox:1.36
          env:
            - name: DB_PASSWORD
              value: hunter2
            - name: DB_HOST
              value: db.internal
"""
DIGEST = "sha256:" + hashlib.sha256(b"hunter2").hexdigest()
CONFIGMAP = f"""\
---
# Holds Job/migrate's configuration: Argo CD compares this ConfigMap, so changing a value here
# makes the application OutOfSync and the next sync runs the hook (hooklint HL109).
apiVersion: v1
kind: ConfigMap
metadata:
  name: migrate-hook-config
data:
  image: busybox:1.36
  DB_PASSWORD: {DIGEST}
  DB_HOST: db.internal
"""


def test_the_unsafe_hl109_fix_writes_a_credential_as_its_digest(box: Sandbox) -> None:
    box.write("app/job.yaml", JOB)
    box.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
    result = box.run(["fix", "--unsafe-fixes", "--select", "HL109", "app"])
    assert (box.root / "app" / "job.yaml").read_text() == JOB + CONFIGMAP
    assert result.code == 0
    box.confined(result)


def test_sarif_carries_no_credential_in_a_fix(box: Sandbox) -> None:
    box.write("app/job.yaml", JOB)
    box.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
    result = box.run(["lint", "--jobs", "1", "--select", "HL109", "--format", "sarif", "app"])
    [run] = json.loads(result.stdout)["runs"]
    inserted = [
        replacement["insertedContent"]["text"]
        for finding in run["results"]
        for fix in finding.get("fixes", [])
        for change in fix["artifactChanges"]
        for replacement in change["replacements"]
    ]
    assert inserted == [CONFIGMAP]
    assert "hunter2" not in "".join(inserted)
