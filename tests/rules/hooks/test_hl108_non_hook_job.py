"""Tests of HL108 non-hook-job."""

from __future__ import annotations

from tests.rules.hooks.jobs import job, rows


def test_named_job_synced_as_a_resource_is_flagged_at_its_kind() -> None:
    assert rows("HL108", job("create-buckets", '    argocd.argoproj.io/sync-wave: "1"\n')) == [
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
    text = job("seed", "    argocd.argoproj.io/sync-options: Replace=true\n")
    assert [r[3] for r in rows("HL108", text)] == ["HL108"]


def test_jobs_that_cannot_hit_the_immutable_template_are_not_flagged() -> None:
    forced = job("seed", "    argocd.argoproj.io/sync-options: Replace=true,Force=true\n")
    hook = job("seed", "    argocd.argoproj.io/hook: Sync\n")
    skipped = job("seed", "    argocd.argoproj.io/hook: Skip\n")
    expiring = job("seed", spec="  ttlSecondsAfterFinished: 300\n")
    assert rows("HL108", forced + hook.replace("seed", "seed-hook") + skipped.replace("seed", "s2")) == []
    assert rows("HL108", expiring) == []
