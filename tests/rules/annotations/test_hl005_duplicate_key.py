"""Tests of HL005 duplicate-key: the finding as lint reports it, beside what the lost annotations cause."""

from __future__ import annotations

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Severity
from tests.helpers import findings, loaded

JOB = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
  annotations:
    owner: payments
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.example.com/shop/api:1.4.2
"""


def test_lost_hook_annotations_are_hl005_at_the_duplicate_beside_the_non_hook_job_they_cause() -> None:
    assert findings(loaded({"job.yaml": JOB}), Settings(select=("HL005", "HL108"))) == [
        (
            "job.yaml",
            2,
            7,
            "HL108",
            "Job/migrate is a Job applied as a plain resource (Sync wave 0): its pod template is immutable, so "
            'the first sync after the template changes fails with "field is immutable"',
        ),
        (
            "job.yaml",
            7,
            3,
            "HL005",
            "`annotations` is written again in this mapping (first at line 5): Argo CD reads only this value "
            "and drops the earlier one, and with it argocd.argoproj.io/hook",
        ),
    ]


def test_hl005_is_an_error_on_by_default_and_can_be_ignored() -> None:
    found = [(f.rule, f.span.line, f.severity) for f in lint(loaded({"job.yaml": JOB}), Settings())]
    assert ("HL005", 7, Severity.ERROR) in found
    assert findings(loaded({"job.yaml": JOB}), Settings(select=("HL005",), ignore=("HL005",))) == []
