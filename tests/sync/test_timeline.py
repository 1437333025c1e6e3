from __future__ import annotations

import pytest
from click.testing import CliRunner

from hooklint.argocd import application
from hooklint.cli.main import cli
from hooklint.sync.backoff import backoff_seconds
from hooklint.sync.scheduler import plan
from hooklint.sync.timeline import Duration, human, task_duration, timeline
from tests.helpers import ROOT, plan_of, resources
from tests.sync.samples import TIMED


@pytest.mark.parametrize(
    ("retries", "cap", "seconds"),
    [
        (0, 360, 0),
        (1, 360, 10),
        (6, 360, 10 + 20 + 40 + 80 + 160 + 320),
        (8, 360, 630 + 360 + 360),
        (6, 300, 10 + 20 + 40 + 80 + 160 + 300),
    ],
    ids=["none", "one", "default-limit", "past-the-cap", "container-cap"],
)
def test_backoff_doubles_from_ten_seconds_up_to_the_cap(retries: int, cap: int, seconds: int) -> None:
    assert backoff_seconds(retries, cap) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "unbounded"),
        (0, "0 s"),
        (119, "119 s"),
        (120, "2 min"),
        (728, "12 min 8 s"),
        (7200, "2 h"),
        (7290, "2 h 1 min"),
    ],
)
def test_human_durations(seconds: int | None, text: str) -> None:
    assert human(seconds) == text


def _hook(kind: str, spec: str, api: str = "batch/v1", phase: str = "PreSync") -> str:
    return (
        f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: x\n  annotations:\n"
        f"    argocd.argoproj.io/hook: {phase}\n{spec}"
    )


def _duration(text: str) -> Duration:
    return task_duration(plan_of(text).steps[0].tasks[0])


JOB_CASES = [
    (
        "spec:\n  activeDeadlineSeconds: 600\n  backoffLimit: 1\n",
        Duration(0, 600, "activeDeadlineSeconds 600 ends it, retries and all", 10),
    ),
    (
        "spec:\n  activeDeadlineSeconds: 30\n",
        Duration(0, 30, "activeDeadlineSeconds 30 ends it, retries and all", 30),
    ),
    (
        "spec:\n  template:\n    spec:\n      activeDeadlineSeconds: 100\n",
        Duration(
            0,
            7 * 100 + 630,
            "up to 7 attempt(s) of at most 100 s (pod activeDeadlineSeconds) and 10 min 30 s of back-off "
            "(backoffLimit 6 (the default))",
            630,
        ),
    ),
    (
        "spec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: OnFailure\n",
        Duration(0, None, "no activeDeadlineSeconds: a hung pod holds it forever", 30),
    ),
    (
        "spec:\n  suspend: true\n  activeDeadlineSeconds: 60\n",
        Duration(0, None, "a suspended Job: Argo CD waits until someone resumes it"),
    ),
    (
        "spec:\n  podFailurePolicy:\n    rules:\n      - action: Ignore\n"
        "  template:\n    spec:\n      activeDeadlineSeconds: 10\n",
        Duration(0, None, "podFailurePolicy ignores some failures, so retries never run out"),
    ),
    (
        "spec:\n  completions: 2\n  backoffLimitPerIndex: 1\n"
        "  template:\n    spec:\n      activeDeadlineSeconds: 10\n",
        Duration(
            0,
            2 * 2 * 10 + 2 * 10,
            "up to 4 attempt(s) of at most 10 s (pod activeDeadlineSeconds) and 20 s of back-off "
            "(backoffLimitPerIndex 1)",
            20,
        ),
    ),
]


@pytest.mark.parametrize(
    ("spec", "expected"),
    JOB_CASES,
    ids=[
        "deadline",
        "deadline-cuts-back-off",
        "pod-deadline",
        "no-deadline",
        "suspended",
        "ignore",
        "per-index",
    ],
)
def test_job_worst_case_comes_from_its_deadlines_and_back_off(spec: str, expected: Duration) -> None:
    assert _duration(_hook("Job", spec)) == expected


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("spec:\n  activeDeadlineSeconds: 45\n", Duration(0, 45, "activeDeadlineSeconds 45")),
        (
            "spec:\n  restartPolicy: OnFailure\n",
            Duration(0, None, "restartPolicy OnFailure restarts a failing container forever"),
        ),
        (
            "spec:\n  restartPolicy: Never\n",
            Duration(0, None, "no activeDeadlineSeconds: a hung container holds it forever"),
        ),
        (
            "spec: {}\n",
            Duration(0, None, "done once ready, which may never happen, and no activeDeadlineSeconds"),
        ),
    ],
    ids=["deadline", "on-failure", "never", "always"],
)
def test_pod_hook_is_bounded_only_by_its_deadline(spec: str, expected: Duration) -> None:
    assert _duration(_hook("Pod", spec, api="v1")) == expected


@pytest.mark.parametrize(
    ("kind", "api", "spec", "expected"),
    [
        ("ConfigMap", "v1", "", Duration(0, 0, "no health check: done once applied")),
        ("Service", "v1", "spec: {}\n", Duration(0, 0, "healthy at once: done once applied")),
        (
            "Service",
            "v1",
            "spec:\n  type: LoadBalancer\n",
            Duration(0, None, "waits until load balancer address assigned, with no time limit"),
        ),
        (
            "Deployment",
            "apps/v1",
            "spec:\n  progressDeadlineSeconds: 120\n",
            Duration(
                0,
                None,
                "a rollout has no time limit: it fails only after 2 min without progress (progressDeadlineSeconds)",
            ),
        ),
        (
            "Deployment",
            "apps/v1",
            "spec:\n  paused: true\n",
            Duration(0, None, "a paused Deployment stays Suspended"),
        ),
        (
            "StatefulSet",
            "apps/v1",
            "spec: {}\n",
            Duration(0, None, "waits until rolled out, with no time limit"),
        ),
    ],
    ids=["no-health", "cluster-ip", "load-balancer", "deployment", "paused", "statefulset"],
)
def test_other_kinds_are_instant_or_unbounded(kind: str, api: str, spec: str, expected: Duration) -> None:
    assert _duration(_hook(kind, spec, api=api)) == expected


def test_steps_take_the_longer_of_the_delay_and_their_tasks_and_the_final_hook_free_step_is_not_waited_on() -> (
    None
):
    timed = timeline(plan_of(TIMED))
    assert [(s.step.where, s.delay, s.best, s.worst) for s in timed.steps] == [
        ("PreSync wave 0", 2, 2, 300),
        ("Sync wave 0", 2, 2, 2),
        ("Sync wave 1", 0, 0, 0),
    ]
    assert [s.critical.label if s.critical else None for s in timed.steps] == ["Job/migrate", None, None]
    # Deployment/api is in the final step without hooks: the sync succeeds once it is applied.
    assert timed.steps[2].waited == ()
    assert (timed.best, timed.worst, timed.bounded_worst, timed.sync_fail_worst) == (4, 302, 302, 30)


def test_an_unbounded_task_makes_its_step_and_the_total_unbounded() -> None:
    text = TIMED.replace(
        'sync-wave: "1"',
        'sync-wave: "1"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: last\n  annotations:\n    argocd.argoproj.io/sync-wave: "2"',
    )
    timed = timeline(plan_of(text))
    assert [(s.step.where, s.worst) for s in timed.steps] == [
        ("PreSync wave 0", 300),
        ("Sync wave 0", 2),
        ("Sync wave 1", None),
        ("Sync wave 2", 0),
    ]
    assert (timed.worst, timed.bounded_worst) == (None, 304)
    assert [t.label for t in timed.unbounded] == ["Deployment/api"]


def test_a_single_step_sync_waits_only_for_its_hooks() -> None:
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n---\n" + _hook(
        "Job", "spec:\n  activeDeadlineSeconds: 20\n", phase="Sync"
    )
    (step,) = timeline(plan_of(text)).steps
    assert ([t.label for t in step.waited], step.delay, step.worst) == (["Job/x"], 0, 20)


PRUNED = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: old-settings
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: old-api
"""

APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  destination: {namespace: default}
  syncPolicy:
    syncOptions: [PrunePropagationPolicy=background]
"""


@pytest.mark.parametrize(
    ("background", "worst"), [(False, None), (True, 0)], ids=["foreground", "background"]
)
def test_a_pruned_workload_holds_its_step_until_its_pods_are_gone_only_under_foreground_deletion(
    background: bool, worst: int | None
) -> None:
    app = application.read(resources(APPLICATION, "app.yaml")[0]) if background else None
    # A PostSync hook keeps the Sync step, where the prunes run, from being the final one.
    current = resources(TIMED.split("---\n")[1] + "---\n" + _hook("Job", "spec: {}\n", phase="PostSync"))
    the_plan = plan(current, "default", app=app, pruned=resources(PRUNED, "old.yaml"))
    steps = timeline(the_plan).steps
    slow = "pruned: its deletion waits for what it owns, with no time limit"
    assert [(t.label, t.duration) for t in steps[0].waited] == [
        ("ConfigMap/old-settings (prune)", Duration(0, 0, "pruned: gone at once")),
        ("Deployment/old-api (prune)", Duration(0, worst, slow if worst is None else "pruned: gone at once")),
    ]


def test_demo_timeline_matches_its_golden_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for args, golden in (
        (["--timeline"], "timeline.txt"),
        (["--timeline", "--format", "mermaid"], "timeline-gantt.txt"),
    ):
        result = CliRunner().invoke(cli, ["explain", *args, "fixtures/demo"])
        assert result.exit_code == 0, result.output
        assert result.output == (ROOT / "fixtures" / "demo" / golden).read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--timeline", "--delete"],
            "hooklint: --timeline and --delete do not combine: --timeline times a sync\n",
        ),
        (
            ["--timeline", "--fail", "Job/db-migrate"],
            "hooklint: --timeline and --fail do not combine: how long a failing sync takes depends on when it fails\n",
        ),
    ],
    ids=["delete", "fail"],
)
def test_timeline_rejects_the_options_it_does_not_combine_with(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["explain", *args, str(ROOT / "fixtures" / "demo")])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_timeline_of_a_selective_sync_times_the_plan_without_hooks() -> None:
    result = CliRunner().invoke(
        cli, ["explain", "--timeline", "--selective", str(ROOT / "fixtures" / "demo")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Sync timeline (selective sync: no hook runs): 5 step(s), best 8 s, worst unbounded "
        "(2 task(s) have no bound; everything else adds up to 8 s)"
    )
    assert (
        "Critical path (worst case): wave delay 2 s → wave delay 2 s → StatefulSet/postgres unbounded → "
        in (result.output)
    )
