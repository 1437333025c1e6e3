"""The ruff-style controls of `lint`: --statistics, --exit-zero, --quiet, --output-format, --color."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import invoke

JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  backoffLimit: 0
{deadline}  template:
    spec:
      containers: [{{name: a, image: {image}}}]
"""
# Two HL101, one HL104 (b has no deadline), one HL110, one HL301 (a's image has no tag).
TWO_JOBS = (
    JOB.format(name="a", deadline="  activeDeadlineSeconds: 60\n", image="busybox")
    + "---\n"
    + JOB.format(name="b", deadline="", image="busybox:1.36")
)
SELECT = ["--select", "HL1", "--select", "HL301"]


def test_statistics_count_findings_by_rule_largest_count_first_then_by_id() -> None:
    assert invoke(["lint", "--statistics", *SELECT, "-"], TWO_JOBS) == (
        1,
        "2\tHL101\tnamed-hook-without-before-hook-creation\n"
        "1\tHL104\thook-without-deadline\n"
        "1\tHL110\thooks-only-application\n"
        "1\tHL301\thook-image-not-pinned\n",
        "",
    )


def test_statistics_in_json_and_none_for_clean_input() -> None:
    code, out, _ = invoke(
        ["lint", "--statistics", "--output-format", "json", "--select", "HL101", "-"], TWO_JOBS
    )
    assert (code, json.loads(out)) == (
        1,
        [{"count": 2, "rule": "HL101", "name": "named-hook-without-before-hook-creation"}],
    )
    assert invoke(["lint", "--statistics", "--select", "HL206", "-"], TWO_JOBS) == (0, "", "")


def test_statistics_with_a_report_format_on_standard_output_is_a_usage_error() -> None:
    code, out, err = invoke(["lint", "--statistics", "--format", "sarif", "-"], TWO_JOBS)
    assert (code, out) == (2, "")
    assert err.endswith("Error: --statistics prints text or json on standard output: --format text or json\n")


def test_statistics_leave_the_reports_written_to_files_whole(tmp_path: Path) -> None:
    sarif = tmp_path / "out.sarif"
    args = ["lint", "--statistics", "--select", "HL101", "--format", "sarif", "--output", str(sarif)]
    code, out, _ = invoke([*args, "--format", "text", "-"], TWO_JOBS)
    assert (code, out) == (1, "2\tHL101\tnamed-hook-without-before-hook-creation\n")
    assert [r["ruleId"] for r in json.loads(sarif.read_text())["runs"][0]["results"]] == ["HL101", "HL101"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["lint"], 1, id="findings-exit-1"),
        pytest.param(["lint", "--exit-zero"], 0, id="exit-zero"),
        pytest.param(["lint", "--exit-zero", "--diff"], 0, id="exit-zero-with-diff"),
        pytest.param(["lint", "--diff"], 1, id="diff-exit-1"),
    ],
)
def test_exit_zero_exits_0_whatever_the_findings(args: list[str], code: int) -> None:
    assert invoke([*args, "--select", "HL101", "-"], TWO_JOBS)[0] == code


def test_exit_zero_leaves_usage_errors_exit_2() -> None:
    assert invoke(["lint", "--exit-zero", "--select", "HL999", "-"], TWO_JOBS)[0] == 2


@pytest.mark.parametrize("flag", ["--quiet", "-q"])
def test_quiet_prints_the_findings_and_no_summary_line(flag: str) -> None:
    code, out, err = invoke(["lint", flag, "--select", "HL104", "-"], TWO_JOBS)
    assert (code, err) == (0, "")
    assert out == (
        "<stdin>:22:1: warning HL104 hook-without-deadline: Job/b (PreSync wave 0) has no "
        "activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up the sync forever\n"
        "    spec:\n"
        "    ^^^^\n"
    )
    assert invoke(["lint", flag, "--select", "HL206", "-"], TWO_JOBS) == (0, "", "")


def test_output_format_is_the_same_option_as_format() -> None:
    by_format = invoke(["lint", "--format", "github", "--select", "HL101", "-"], TWO_JOBS)
    by_output_format = invoke(["lint", "--output-format", "github", "--select", "HL101", "-"], TWO_JOBS)
    assert by_format == by_output_format
    assert by_format[1].startswith("::error file=stdin,line=7,col=44,")


def _lint_colored(args: list[str], *, terminal: bool, no_color: bool = False) -> bytes:
    """hooklint's standard output in a real process, into a pipe or a pseudo-terminal."""
    env = {name: value for name, value in os.environ.items() if name != "NO_COLOR"}
    if no_color:
        env["NO_COLOR"] = "1"
    command = [sys.executable, "-m", "hooklint", "lint", *args, "--select", "HL101", "-"]
    if not terminal:
        return subprocess.run(command, input=TWO_JOBS.encode(), capture_output=True, env=env).stdout
    import pty

    leader, follower = pty.openpty()
    try:
        subprocess.run(command, input=TWO_JOBS.encode(), stdout=follower, env=env)
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all is read
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        os.close(leader)


@pytest.mark.parametrize(
    ("args", "terminal", "no_color", "colored"),
    [
        pytest.param(["--color"], False, False, True, id="color-into-a-pipe"),
        pytest.param(["--color"], False, True, True, id="color-wins-over-NO_COLOR"),
        pytest.param([], False, False, False, id="pipe"),
        pytest.param([], True, False, True, id="terminal"),
        pytest.param([], True, True, False, id="terminal-with-NO_COLOR"),
        pytest.param(["--no-color"], True, False, False, id="no-color-on-a-terminal"),
    ],
)
def test_color_is_forced_by_color_and_kept_off_by_no_color_and_NO_COLOR(
    args: list[str], terminal: bool, no_color: bool, colored: bool
) -> None:
    out = _lint_colored(args, terminal=terminal, no_color=no_color)
    assert b"HL101" in out
    assert (b"\x1b[31merror\x1b[0m" in out) is colored
    assert (b"\x1b[" in out) is colored


HL103_JSON = {
    "id": "HL103",
    "name": "hook-job-backoff-limit",
    "severity": "warning",
    "fix": "always",
    "summary": "A hook Job left at the default backoffLimit of 6, or set above 5: over ten minutes of back-off before it fails.",
    "options": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "max": {
                "type": "integer",
                "minimum": 0,
                "default": 5,
                "description": "The highest backoffLimit accepted on a hook Job; the unset default counts as 6.",
            },
            "fix-limit": {
                "type": "integer",
                "minimum": 0,
                "default": 2,
                "description": "The backoffLimit the fix writes (at most max).",
            },
        },
    },
    "enabled_by_default": True,
}


def test_rules_format_json_gives_every_rules_metadata() -> None:
    from hooklint.rules import ALL_RULES

    code, out, err = invoke(["rules", "--format", "json"])
    rules = json.loads(out)
    assert (code, err) == (0, "")
    assert [(r["id"], r["name"], r["enabled_by_default"]) for r in rules] == [
        (r.id, r.name, r.enabled_by_default) for r in ALL_RULES
    ]
    assert next(r for r in rules if r["id"] == "HL103") == HL103_JSON
    assert next(r for r in rules if r["id"] == "HL206")["enabled_by_default"] is False


def test_rules_format_json_for_one_rule_and_an_unknown_one() -> None:
    code, out, _ = invoke(["rules", "--format", "json", "hook-job-backoff-limit"])
    assert (code, json.loads(out)) == (0, [HL103_JSON])
    assert invoke(["rules", "--format", "json", "HL999"]) == (2, "", "hooklint: unknown rule 'HL999'\n")
