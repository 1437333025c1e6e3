"""The timeline renderers (hooklint/explain/timeline.py): text, JSON, markdown and a mermaid gantt."""

from __future__ import annotations

import json

from hooklint.explain.timeline import to_json, to_markdown, to_mermaid, to_text
from hooklint.sync.timeline import timeline
from tests.helpers import plan_of
from tests.sync.samples import TIMED


def test_text_timeline_of_a_small_app() -> None:
    assert to_text(timeline(plan_of(TIMED))) == (
        "Sync timeline: 3 step(s), best 4 s, worst 5 min 2 s\n"
        "    best: every task succeeds at its first attempt the moment it starts; worst: the longest each manifest\n"
        "    lets its task run before it completes or fails. Neither counts scheduling, image pulls, the time\n"
        "    containers run or API latency. A step takes the longer of its tasks and the 2 s wave delay, which runs\n"
        "    alongside them.\n"
        "\n"
        "Step 1: PreSync wave 0  best 2 s, worst 5 min\n"
        "    Job/migrate  0 s .. 5 min  activeDeadlineSeconds 300 ends it, retries and all; if every attempt fails "
        "at once, it fails after 5 min\n"
        "\n"
        "Step 2: Sync wave 0  best 2 s, worst 2 s\n"
        "    the 2 s wave delay\n"
        "\n"
        "Step 3: Sync wave 1  best 0 s, worst 0 s\n"
        "    final step, not waited on: the sync succeeds once it is applied\n"
        "\n"
        "Total: best 4 s, worst 5 min 2 s\n"
        "Critical path (worst case): Job/migrate 5 min → wave delay 2 s → not waited on 0 s\n"
        "If a step fails: SyncFail hooks start all at once and the sync fails once they are done: "
        "Job/notify (0 s .. 30 s)\n"
    )


def test_json_timeline_carries_seconds_null_for_unbounded_and_the_critical_path() -> None:
    document = json.loads(to_json(timeline(plan_of(TIMED))))
    assert {k: document[k] for k in ("version", "selective", "best_seconds", "worst_seconds")} == {
        "version": 1,
        "selective": False,
        "best_seconds": 4,
        "worst_seconds": 302,
    }
    first = document["steps"][0]
    assert {
        k: first[k] for k in ("phase", "wave", "delay_seconds", "best_seconds", "worst_seconds", "critical")
    } == {
        "phase": "PreSync",
        "wave": 0,
        "delay_seconds": 2,
        "best_seconds": 2,
        "worst_seconds": 300,
        "critical": {"kind": "Job", "namespace": "default", "name": "migrate"},
    }
    assert {
        k: first["waited"][0][k] for k in ("name", "best_seconds", "worst_seconds", "fails_after_seconds")
    } == {
        "name": "migrate",
        "best_seconds": 0,
        "worst_seconds": 300,
        "fails_after_seconds": 300,
    }
    assert document["critical_path"] == [
        {"step": 1, "what": "Job/migrate", "worst_seconds": 300},
        {"step": 2, "what": "wave delay", "worst_seconds": 2},
        {"step": 3, "what": "not waited on", "worst_seconds": 0},
    ]
    assert document["sync_fail"]["worst_seconds"] == 30


def test_markdown_timeline_is_a_table_with_the_total() -> None:
    text = to_markdown(timeline(plan_of(TIMED)))
    assert text.startswith(
        "## Sync timeline\n\nBest 4 s, worst 5 min 2 s.\n\n"
        "| step | best | worst | set by |\n|---|---|---|---|\n"
        "| 1. PreSync wave 0 | 2 s | 5 min | Job/migrate: activeDeadlineSeconds 300 ends it, retries and all |\n"
        "| 2. Sync wave 0 | 2 s | 2 s | the 2 s wave delay |\n"
        "| 3. Sync wave 1 | 0 s | 0 s | final step, not waited on: the sync succeeds once it is applied |\n"
        "| **total** | **4 s** | **5 min 2 s** | |\n\n"
        "**Critical path (worst case):** Job/migrate 5 min → wave delay 2 s → not waited on 0 s\n\n"
    )


def test_mermaid_gantt_draws_the_worst_case_with_the_critical_bars_marked() -> None:
    assert to_mermaid(timeline(plan_of(TIMED))) == (
        "gantt\n"
        "    title Sync timeline, worst case in seconds (unbounded drawn as 5 min)\n"
        "    dateFormat X\n"
        "    axisFormat %s\n"
        "    section 1. PreSync wave 0\n"
        "    Job/migrate 5 min :crit, s1t1, 0, 300\n"
        "    wave delay 2 s :s1d, 0, 2\n"
        "    section 2. Sync wave 0\n"
        "    wave delay 2 s :crit, s2d, 300, 302\n"
        "    section 3. Sync wave 1\n"
        "    not waited on :crit, milestone, s3d, 302, 302\n"
        "    %% SyncFail hooks are not drawn: they start only once a step has failed\n"
    )
