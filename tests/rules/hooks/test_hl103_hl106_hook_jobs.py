"""Tests of HL103 hook-job-backoff-limit, HL104 hook-without-deadline, HL105 hook-cannot-complete and HL106 job-ttl-after-finished."""

from __future__ import annotations

import pytest

from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.fix import fixer
from hooklint.model import Finding, Severity
from tests.helpers import job, lint_with, loaded, rows
from tests.rules.hooks.lifecycle import MIGRATE, PRESYNC
from tests.rules.hooks.lifecycle import pod as _pod


def _with_severity(text: str, rule: str) -> list[tuple[str, int, int, str, str, Severity]]:
    found: list[Finding] = lint_with(rule, text)
    return [(f.span.path, f.span.line, f.span.column, f.rule, f.message, f.severity) for f in found]


def test_hook_job_with_default_backoff_limit_is_flagged_at_spec() -> None:
    assert rows(lint_with("HL103", job(annotations=PRESYNC, containers=MIGRATE))) == [
        (
            "app.yaml",
            7,
            1,
            "HL103",
            "Job/migrate (PreSync wave 0) has backoffLimit 6 (the default): up to 6 retries and 10.5 min of "
            "back-off before the hook fails",
        )
    ]


@pytest.mark.parametrize(
    ("limit", "delay"),
    [(6, "10.5 min"), (7, "16.5 min"), (30, "2.6 h")],
    ids=["6-the-default-written-out", "7-past-the-cap", "30-hours"],
)
def test_explicit_backoff_limit_above_max_states_the_back_off(limit: int, delay: str) -> None:
    assert rows(
        lint_with("HL103", job(annotations=PRESYNC, spec=f"  backoffLimit: {limit}\n", containers=MIGRATE))
    ) == [
        (
            "app.yaml",
            8,
            17,
            "HL103",
            f"Job/migrate (PreSync wave 0) has backoffLimit {limit}: up to {limit} retries and {delay} of "
            "back-off before the hook fails",
        )
    ]


def test_on_failure_job_back_off_uses_the_kubelet_cap() -> None:
    text = job(annotations=PRESYNC, containers=MIGRATE).replace(
        "restartPolicy: Never", "restartPolicy: OnFailure"
    )
    found = rows(lint_with("HL103", text))
    assert [message.split(": ", 1)[1] for *_, message in found] == [
        "up to 6 retries and 10.2 min of back-off before the hook fails"
    ]


def test_malformed_specs_are_left_to_other_rules() -> None:
    broken = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n" + PRESYNC + "spec: []\n"
    )
    pod = _pod(PRESYNC, "  restartPolicy: {policy: Never}\n")
    odd = job(
        annotations=PRESYNC,
        spec="  backoffLimit: '3'\n  suspend: 'true'\n  activeDeadlineSeconds: 60\n",
        containers=MIGRATE,
    )
    assert [rows(lint_with(rule, broken))[0][1:4] for rule in ("HL103", "HL104")] == [
        (7, 1, "HL103"),
        (7, 1, "HL104"),
    ]
    assert [rows(lint_with(rule, text)) for text in (pod, odd) for rule in ("HL103", "HL105", "HL106")] == [
        []
    ] * 6


def test_backoff_limit_option_max_is_honoured() -> None:
    text = job(annotations=PRESYNC, spec="  backoffLimit: 1\n", containers=MIGRATE)
    assert rows(lint_with("HL103", text)) == []
    found = rows(lint_with("HL103", text, options={"max": 0}))
    assert [message.split(": ", 1)[1] for *_, message in found] == [
        "up to 1 retry and 10 s of back-off before the hook fails"
    ]
    assert (
        rows(
            lint_with(
                "HL103",
                job(annotations=PRESYNC, spec="  backoffLimit: 3\n", containers=MIGRATE),
                options={"max": 3},
            )
        )
        == []
    )


@pytest.mark.parametrize(
    ("spec", "options", "written"),
    [
        pytest.param("", {}, "2", id="default-unset"),
        pytest.param("  backoffLimit: 9\n", {}, "2", id="explicit-above-max"),
        pytest.param("", {"max": 1}, "1", id="never-above-max"),
        pytest.param("", {"fix-limit": 0}, "0", id="fix-limit"),
    ],
)
def test_the_fix_writes_the_fix_limit_never_above_max(
    spec: str, options: dict[str, int], written: str
) -> None:
    text = job(annotations=PRESYNC, spec=spec, containers=MIGRATE)
    settings = Settings(select=("HL103",), options={"HL103": options})
    outcome = fixer.fix(loaded({"app.yaml": text}), settings, lint, unsafe=True)
    # backoffLimit is the first field of spec, where the fix puts it or replaces it.
    expected = text.replace(spec, "").replace("spec:\n", f"spec:\n  backoffLimit: {written}\n", 1)
    assert outcome.texts["app.yaml"] == expected
    assert [f.fix.title for f in lint(loaded({"app.yaml": text}), settings) if f.fix] == [
        f"Set backoffLimit to {written}"
    ]


def test_delete_hook_job_is_flagged_only_where_the_version_runs_it() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: PreDelete\n", containers=MIGRATE)
    found = rows(lint_with("HL103", text))
    assert [message.split(" has ")[0] for *_, message in found] == ["Job/migrate (PreDelete)"]
    assert rows(lint_with("HL103", text, argocd_version="3.2.0")) == []


@pytest.mark.parametrize(
    ("annotations", "spec"),
    [
        pytest.param(PRESYNC, "  backoffLimit: 5\n", id="at-max"),
        pytest.param(PRESYNC, "  backoffLimit: 3\n", id="deliberate-3"),
        pytest.param(PRESYNC, "  backoffLimit: 0\n", id="zero"),
        pytest.param("    argocd.argoproj.io/sync-wave: '1'\n", "", id="not-a-hook"),
        pytest.param(PRESYNC, "  backoffLimitPerIndex: 1\n  completionMode: Indexed\n", id="per-index"),
        pytest.param(PRESYNC, "  suspend: true\n", id="suspended-is-hl105s"),
        pytest.param("    argocd.argoproj.io/hook: Presync\n", "", id="dropped-typo"),
    ],
)
def test_job_that_does_not_retry_long_as_a_hook_is_not_flagged(annotations: str, spec: str) -> None:
    assert rows(lint_with("HL103", job(annotations=annotations, spec=spec, containers=MIGRATE))) == []


def test_hook_job_without_deadline_is_flagged_at_spec() -> None:
    assert rows(lint_with("HL104", job(annotations=PRESYNC, containers=MIGRATE))) == [
        (
            "app.yaml",
            7,
            1,
            "HL104",
            "Job/migrate (PreSync wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync "
            "timeout: if it hangs, it holds up the sync forever",
        )
    ]


def test_hook_pod_without_deadline_in_sync_and_delete_names_both() -> None:
    found = rows(
        lint_with(
            "HL104", _pod("    argocd.argoproj.io/hook: PostSync,PostDelete\n", "  restartPolicy: Never\n")
        )
    )
    assert found == [
        (
            "app.yaml",
            7,
            1,
            "HL104",
            "Pod/smoke-test (PostSync wave 0, PostDelete) has no activeDeadlineSeconds, and Argo CD has no "
            "default sync timeout: if it hangs, it holds up the sync and the Application's deletion forever",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            job(annotations=PRESYNC, spec="  activeDeadlineSeconds: 600\n", containers=MIGRATE),
            id="job-deadline",
        ),
        pytest.param(
            job(annotations=PRESYNC, containers=MIGRATE).replace(
                "      restartPolicy: Never\n",
                "      activeDeadlineSeconds: 300\n      restartPolicy: Never\n",
            ),
            id="pod-template-deadline",
        ),
        pytest.param(
            _pod(PRESYNC, "  activeDeadlineSeconds: 120\n  restartPolicy: Never\n"), id="pod-deadline"
        ),
        pytest.param(
            job(annotations="    argocd.argoproj.io/sync-wave: '2'\n", containers=MIGRATE), id="not-a-hook"
        ),
        pytest.param(
            job(annotations=PRESYNC, spec="  suspend: true\n", containers=MIGRATE), id="suspended-is-hl105s"
        ),
        pytest.param(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n" + PRESYNC,
            id="configmap",
        ),
    ],
)
def test_bounded_or_non_workload_hook_is_not_flagged_by_hl104(text: str) -> None:
    assert rows(lint_with("HL104", text)) == []


def test_suspended_hook_job_is_flagged_at_suspend() -> None:
    assert rows(
        lint_with("HL105", job(annotations=PRESYNC, spec="  suspend: true\n", containers=MIGRATE))
    ) == [
        (
            "app.yaml",
            8,
            12,
            "HL105",
            "Job/migrate (PreSync wave 0) is a suspended Job: Argo CD counts Suspended as still running, so it "
            "holds up the sync forever",
        )
    ]


def test_pod_hook_with_default_restart_policy_is_flagged_at_spec() -> None:
    assert rows(lint_with("HL105", _pod(PRESYNC))) == [
        (
            "app.yaml",
            7,
            1,
            "HL105",
            "Pod/smoke-test (PreSync wave 0) is a Pod hook with restartPolicy Always (the Pod default): it counts "
            "as complete once it is Ready, not when its command finishes",
        )
    ]


def test_pod_hook_with_explicit_always_is_flagged_at_the_value() -> None:
    found = rows(
        lint_with("HL105", _pod("    argocd.argoproj.io/hook: PreDelete\n", "  restartPolicy: Always\n"))
    )
    assert found == [
        (
            "app.yaml",
            8,
            18,
            "HL105",
            "Pod/smoke-test (PreDelete) is a Pod hook with restartPolicy Always: it counts as complete once it "
            "is Ready, not when its command finishes",
        )
    ]


def test_pod_hook_with_on_failure_and_no_deadline_is_a_warning() -> None:
    found = _with_severity(_pod(PRESYNC, "  restartPolicy: OnFailure\n"), "HL105")
    assert found == [
        (
            "app.yaml",
            8,
            18,
            "HL105",
            "Pod/smoke-test (PreSync wave 0) is a Pod hook with restartPolicy OnFailure: a failing container is "
            "restarted forever and the Pod never fails, so it holds up the sync forever",
            Severity.WARNING,
        )
    ]


def test_ingress_hook_is_flagged_at_the_hook_annotation() -> None:
    text = (
        "apiVersion: networking.k8s.io/v1\n"
        "kind: Ingress\n"
        "metadata:\n"
        "  name: preview\n"
        "  annotations:\n"
        "    argocd.argoproj.io/hook: PostSync\n"
        "spec:\n"
        "  rules:\n"
        "    - host: preview.example.com\n"
    )
    assert rows(lint_with("HL105", text)) == [
        (
            "app.yaml",
            6,
            30,
            "HL105",
            "Ingress/preview (PostSync wave 0) is an Ingress hook: it completes only once its status has a load "
            "balancer address, which may never come, holding up the sync until then",
        )
    ]


def test_load_balancer_service_hook_is_flagged_at_the_type() -> None:
    text = (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  name: preview\n"
        "  annotations:\n"
        "    argocd.argoproj.io/hook: Sync\n"
        "spec:\n"
        "  type: LoadBalancer\n"
        "  ports:\n"
        "    - port: 80\n"
    )
    found = _with_severity(text, "HL105")
    assert [(line, column, severity) for _, line, column, _, _, severity in found] == [(8, 9, Severity.ERROR)]
    assert found[0][4].startswith("Service/preview (Sync wave 0) is a LoadBalancer Service hook:")


def _workload(kind: str) -> str:
    return (
        "apiVersion: apps/v1\n"
        f"kind: {kind}\n"
        "metadata:\n"
        "  name: warmup\n"
        "  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n"
        "spec:\n"
        "  selector:\n"
        "    matchLabels: {app: warmup}\n"
        "  template:\n"
        "    metadata:\n"
        "      labels: {app: warmup}\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: warmup\n"
        "          image: registry.example.com/warmup:1.0\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_pod(PRESYNC, "  restartPolicy: Never\n"), id="pod-never"),
        pytest.param(
            _pod(PRESYNC, "  activeDeadlineSeconds: 60\n  restartPolicy: OnFailure\n"),
            id="on-failure-deadline",
        ),
        pytest.param(_pod("    argocd.argoproj.io/sync-wave: '1'\n"), id="non-hook-pod"),
        pytest.param(_pod("    helm.sh/hook: test\n"), id="helm-test-pod-is-dropped"),
        pytest.param(
            job(annotations=PRESYNC, spec="  suspend: false\n", containers=MIGRATE), id="job-not-suspended"
        ),
        pytest.param(
            job(
                annotations="    argocd.argoproj.io/sync-wave: '1'\n",
                spec="  suspend: true\n",
                containers=MIGRATE,
            ),
            id="non-hook-suspended-job",
        ),
        pytest.param(_workload("Deployment"), id="deployment"),
        pytest.param(_workload("StatefulSet"), id="statefulset"),
        pytest.param(_workload("DaemonSet"), id="daemonset"),
        pytest.param(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n"
            + PRESYNC
            + "spec:\n  type: ClusterIP\n  ports:\n    - port: 80\n",
            id="clusterip-service",
        ),
    ],
)
def test_hook_that_completes_properly_is_not_flagged_by_hl105(text: str) -> None:
    assert rows(lint_with("HL105", text)) == []


TTL = "  ttlSecondsAfterFinished: 100\n"


def test_ttl_on_non_hook_job_is_flagged_at_the_value() -> None:
    assert rows(
        lint_with(
            "HL106", job(annotations="    argocd.argoproj.io/sync-wave: '1'\n", spec=TTL, containers=MIGRATE)
        )
    ) == [
        (
            "app.yaml",
            8,
            28,
            "HL106",
            "Job/migrate (Sync wave 1) is not a hook and sets ttlSecondsAfterFinished 100: when Kubernetes "
            "deletes the finished Job, Argo CD finds it missing and the app OutOfSync, and auto-sync creates "
            "and runs it again, over and over",
        )
    ]


def test_ttl_on_hook_job_is_flagged_before_the_hook_finalizer() -> None:
    assert rows(
        lint_with("HL106", job(annotations=PRESYNC, spec=TTL, containers=MIGRATE), argocd_version="2.9.0")
    ) == [
        (
            "app.yaml",
            8,
            28,
            "HL106",
            "Job/migrate is a hook (PreSync wave 0) with ttlSecondsAfterFinished 100, and Argo CD 2.9.0 has no "
            "hook finalizer: Kubernetes can delete the finished Job before Argo CD reads its result, leaving "
            "the sync stuck",
        )
    ]


@pytest.mark.parametrize(
    ("version", "flagged"),
    [("2.14.2", True), ("2.14.3", False), ("2.14.4", True), ("3.0.0", False), ("3.5.1", False)],
)
def test_ttl_on_hook_job_depends_on_the_hook_finalizer(version: str, flagged: bool) -> None:
    assert (
        bool(
            rows(
                lint_with(
                    "HL106", job(annotations=PRESYNC, spec=TTL, containers=MIGRATE), argocd_version=version
                )
            )
        )
        is flagged
    )


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(job(annotations=PRESYNC, containers=MIGRATE), id="hook-without-ttl"),
        pytest.param(
            job(annotations="    argocd.argoproj.io/hook: Skip\n", spec=TTL, containers=MIGRATE),
            id="skip-is-never-synced",
        ),
        pytest.param(
            job(annotations="    argocd.argoproj.io/hook: PostDelete\n", spec=TTL, containers=MIGRATE),
            id="delete-only-hook",
        ),
        pytest.param(
            "apiVersion: batch/v1\n"
            "kind: CronJob\n"
            "metadata:\n"
            "  name: nightly\n"
            "spec:\n"
            "  schedule: '0 3 * * *'\n"
            "  jobTemplate:\n"
            "    spec:\n"
            "      ttlSecondsAfterFinished: 3600\n"
            "      template:\n"
            "        spec:\n"
            "          restartPolicy: Never\n"
            "          containers:\n"
            "            - name: report\n"
            "              image: registry.example.com/report:2.0\n",
            id="cronjob-template",
        ),
    ],
)
def test_job_whose_ttl_argo_cd_does_not_notice_is_not_flagged(text: str) -> None:
    assert rows(lint_with("HL106", text, argocd_version="2.9.0")) == []
