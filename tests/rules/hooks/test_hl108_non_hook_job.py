"""Tests of HL108 non-hook-job."""

from __future__ import annotations

from tests.helpers import job, lint_with, rows
from tests.rules.hooks.jobs import TOOLS


def test_named_job_synced_as_a_resource_is_flagged_at_its_kind() -> None:
    assert rows(
        lint_with(
            "HL108",
            job("create-buckets", '    argocd.argoproj.io/sync-wave: "1"\n', containers=TOOLS, document=True),
        )
    ) == [
        (
            "app.yaml",
            3,
            7,
            "HL108",
            "Job/create-buckets is a Job applied as a plain resource (Sync wave 1): its pod template is "
            'immutable, so the first sync after the template changes fails with "field is immutable"',
        )
    ]


def test_replace_alone_does_not_help_a_job() -> None:
    text = job("seed", "    argocd.argoproj.io/sync-options: Replace=true\n", containers=TOOLS, document=True)
    assert [r[3] for r in rows(lint_with("HL108", text))] == ["HL108"]


def test_jobs_that_cannot_hit_the_immutable_template_are_not_flagged() -> None:
    forced = job(
        "seed",
        "    argocd.argoproj.io/sync-options: Replace=true,Force=true\n",
        containers=TOOLS,
        document=True,
    )
    hook = job("seed", "    argocd.argoproj.io/hook: Sync\n", containers=TOOLS, document=True)
    skipped = job("seed", "    argocd.argoproj.io/hook: Skip\n", containers=TOOLS, document=True)
    expiring = job("seed", spec="  ttlSecondsAfterFinished: 300\n", containers=TOOLS, document=True)
    assert (
        rows(lint_with("HL108", forced + hook.replace("seed", "seed-hook") + skipped.replace("seed", "s2")))
        == []
    )
    assert rows(lint_with("HL108", expiring)) == []


WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: {name}
{meta}spec:
  entrypoint: seed
  templates:
    - name: seed
      container:
        image: registry.example.com/shop/seed:1.2.0
        command: ["./seed"]
"""

PIPELINE_RUN = """\
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: build-catalog
spec:
  pipelineRef:
    name: build
"""


def test_argo_workflow_synced_as_a_resource_is_flagged_at_its_kind() -> None:
    text = WORKFLOW.format(
        name="seed-catalog", meta='  annotations:\n    argocd.argoproj.io/sync-wave: "3"\n'
    )
    assert rows(lint_with("HL108", text)) == [
        (
            "app.yaml",
            2,
            7,
            "HL108",
            "Workflow/seed-catalog is a Workflow applied as a plain resource (Sync wave 3): it runs once, on the "
            "sync that creates it; a later change to it is patched into the finished Workflow and runs nothing, "
            "since a Workflow runs when it is created",
        )
    ]


def test_tekton_run_synced_as_a_resource_is_flagged_at_its_kind() -> None:
    assert rows(lint_with("HL108", PIPELINE_RUN)) == [
        (
            "app.yaml",
            2,
            7,
            "HL108",
            "PipelineRun/build-catalog is a PipelineRun applied as a plain resource (Sync wave 0): it runs "
            "once, on the sync that creates it; a later change to it fails the sync, since the spec of a "
            "started PipelineRun cannot change",
        )
    ]


def test_run_once_kinds_as_hooks_forced_or_of_another_group_are_not_flagged() -> None:
    hook = WORKFLOW.format(name="seed", meta="  annotations:\n    argocd.argoproj.io/hook: PostSync\n")
    forced = WORKFLOW.format(
        name="seed", meta="  annotations:\n    argocd.argoproj.io/sync-options: Replace=true,Force=true\n"
    )
    template = WORKFLOW.format(name="seed", meta="").replace("kind: Workflow", "kind: WorkflowTemplate")
    other_group = PIPELINE_RUN.replace("tekton.dev/v1", "example.com/v1")
    assert rows(lint_with("HL108", hook)) == []
    assert rows(lint_with("HL108", forced)) == []
    assert rows(lint_with("HL108", template)) == []
    assert rows(lint_with("HL108", other_group)) == []
