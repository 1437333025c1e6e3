"""Honest exits: each run that cannot do what was asked says so in one line and exits as
docs/design-notes.md#exit-codes says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import NAMED_HOOK, invoke, write


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["rules"], id="rules"),
        pytest.param(["lint", "job.yaml"], id="lint"),
        pytest.param(["explain", "job.yaml"], id="explain"),
        pytest.param(["fix", "--diff", "job.yaml"], id="fix-diff"),
    ],
)
def test_a_pipe_closed_before_the_output_ends_the_run_quietly(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "job.yaml").write_text(NAMED_HOOK)
    read, written = os.pipe()
    os.close(read)  # the reader is gone before hooklint writes a byte: every write meets a closed pipe
    try:
        done = subprocess.run(
            [sys.executable, "-m", "hooklint", *args],
            cwd=tmp_path,
            stdout=written,
            stderr=subprocess.PIPE,
            check=False,
            timeout=60,
        )
    finally:
        os.close(written)
    assert (done.returncode, done.stderr) == (141, b"")
    assert (tmp_path / "job.yaml").read_text() == NAMED_HOOK


def test_two_formats_printed_to_standard_output_are_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(NAMED_HOOK)
    assert invoke(["lint", "--format", "json", "--format", "sarif", str(tmp_path)]) == (
        2,
        "",
        "hooklint: --format json and --format sarif would all print to standard output: give each but one "
        "an --output\n",
    )


def test_formats_with_an_output_each_but_one_are_reported(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(NAMED_HOOK)
    sarif = tmp_path / "out.sarif"
    code, out, err = invoke(
        ["lint", "--format", "sarif", "--format", "json", "--output", str(sarif), str(tmp_path)]
    )
    assert (code, err) == (1, "")
    assert json.loads(out)["summary"]["error"] == 1
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        pytest.param(
            "select: [\n",
            ":2:1: not valid YAML: while parsing a flow node, expected the node content, but found "
            "'<stream end>'",
            id="unclosed-list",
        ),
        pytest.param(
            "select: [HL1]\n  ignore: [HL2]\n",
            ":2:3: not valid YAML: while parsing a block mapping, expected <block end>, but found "
            "'<block mapping start>'",
            id="indent",
        ),
        pytest.param(b"namespace: \xff\n", ": not UTF-8 text (byte 12)", id="not-utf8"),
        pytest.param(b"\xef\xbb\xbfnamespace: \xff\n", ": not UTF-8 text (byte 15)", id="not-utf8-after-bom"),
    ],
)
def test_an_invalid_yaml_configuration_is_one_line_with_its_position(
    tmp_path: Path, text: str | bytes, said: str
) -> None:
    config = tmp_path / ".hooklint.yaml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text)
    assert invoke(["lint", "--config", str(config), "-"], "") == (2, "", f"hooklint: {config}{said}\n")


def test_unsafe_fixes_without_fix_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(NAMED_HOOK)
    assert invoke(["lint", "--unsafe-fixes", str(tmp_path)]) == (
        2,
        "",
        "hooklint: --unsafe-fixes applies fixes: add --fix (or --diff to see them)\n",
    )
    assert invoke(["lint", "--unsafe-fixes", "--diff", str(tmp_path)])[0] == 1


def test_rules_with_an_id_prefix_lists_the_rules_it_selects() -> None:
    code, out, err = invoke(["rules", "hl11"])
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == ["id", *(f"HL{n}" for n in range(110, 117))]
    assert invoke(["rules", "HL9"]) == (2, "", "hooklint: unknown rule 'HL9'\n")


def test_rules_marks_the_rules_off_by_default_only_when_it_lists_one() -> None:
    out = invoke(["rules", "HL20"])[1]
    assert out.splitlines()[-1] == (
        "* off by default: turn on with --extend-select or `extend-select` in the configuration"
    )
    assert invoke(["rules", "HL11"])[1].splitlines()[-1].startswith("HL116 ")


def test_only_baseline_entries_of_selected_rules_are_called_stale(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(NAMED_HOOK)
    baseline = tmp_path / "baseline.json"
    entries = [
        {"rule": "HL101", "resource": "batch/Job/default/gone", "message": "m"},
        {"rule": "HL201", "resource": "batch/Job/default/gone", "message": "m"},
    ]
    baseline.write_text(json.dumps({"version": 1, "findings": entries}))
    args = ["lint", "-v", "--baseline", str(baseline), str(tmp_path / "job.yaml")]
    assert invoke([*args, "--select", "HL2"])[2] == (
        "hooklint: stale baseline entry HL201 batch/Job/default/gone: m\n"
    )
    assert invoke([*args, "--select", "HL1"])[2] == (
        "hooklint: stale baseline entry HL101 batch/Job/default/gone: m\n"
    )


UNBOUNDED_HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
"""


def test_fix_lists_each_finding_that_remains(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(UNBOUNDED_HOOK)
    code, out, err = invoke(["fix", "--select", "HL104", str(tmp_path)])
    path = f"{tmp_path}/job.yaml"
    assert (code, out) == (0, "")
    assert err.splitlines() == [
        "hooklint: fixed 0 finding(s) in 0 file(s); 1 remain:",
        f"  {path}:1:1: HL104 Job/migrate (PreSync wave 0) has no activeDeadlineSeconds, and Argo CD has no "
        "default sync timeout: if it hangs, it holds up the sync forever",
        "hooklint: 1 of them can be fixed with --unsafe-fixes:",
        f"  {path}:1:1: HL104 Add activeDeadlineSeconds: 600",
    ]


def test_lint_fix_leaves_the_remaining_findings_to_its_report(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(UNBOUNDED_HOOK)
    code, out, err = invoke(["lint", "--fix", "--select", "HL104", str(tmp_path)])
    assert code == 0
    assert err.splitlines()[0] == "hooklint: fixed 0 finding(s) in 0 file(s); 1 remain"
    assert out.splitlines()[0].startswith(f"{tmp_path}/job.yaml:1:1: warning HL104 ")


def test_configured_paths_are_read_from_the_configuration_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".hooklint.yaml": "paths: [apps]\nexclude: [apps/vendor]\n",
            "apps/job.yaml": NAMED_HOOK,
            "apps/vendor/job.yaml": NAMED_HOOK,
            "docs/readme.yaml": "a: 1\n",
        },
    )
    code, out, err = invoke(["lint", "--select", "HL101"], cwd=tmp_path / "docs")
    assert (code, err) == (1, "")
    assert out.splitlines()[0].startswith("../apps/job.yaml:7:44: error HL101 ")
    assert out.splitlines()[-1] == "1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)"


def test_a_configured_path_that_leads_out_of_the_repository_from_a_subfolder_is_not_read(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "repo/.git/HEAD": "ref: refs/heads/main\n",
            "repo/.hooklint.yaml": "paths: [../outside, apps]\n",
            "repo/apps/job.yaml": NAMED_HOOK,
            "outside/job.yaml": NAMED_HOOK,
        },
    )
    code, out, err = invoke(["lint", "--select", "HL101"], cwd=tmp_path / "repo" / "apps")
    assert err == "hooklint: ../../outside lies outside the repository: not read\n"
    assert (code, out.splitlines()[-1]) == (
        1,
        "1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)",
    )


@pytest.mark.parametrize("verb", ["lint", "explain"])
def test_an_empty_folder_is_exit_2_as_nothing_was_checked(tmp_path: Path, verb: str) -> None:
    (tmp_path / "empty").mkdir()
    assert invoke([verb, "empty"], cwd=tmp_path) == (
        2,
        "",
        "hooklint: nothing was checked: no manifest could be read from empty\n",
    )


def test_a_kustomization_without_its_tools_and_nothing_else_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: [job.yaml]\n"})
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    not_built = "hooklint: neither kustomize nor kubectl is on PATH, so app is not built: its files are linted as they are\n"
    nothing = "hooklint: nothing was checked: no manifest could be read from app\n"
    for verb in ("lint", "explain"):
        assert invoke([verb, "app"], cwd=tmp_path) == (2, "", not_built + nothing)


def test_a_kustomization_without_its_tools_lints_its_plain_manifests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"app/kustomization.yaml": "resources: [job.yaml]\n", "app/job.yaml": NAMED_HOOK})
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    code, out, err = invoke(["lint", "--select", "HL101", "app"], cwd=tmp_path)
    assert (code, out.splitlines()[-1]) == (
        1,
        "1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)",
    )
    assert err.startswith("hooklint: neither kustomize nor kubectl is on PATH")


def test_a_chart_without_helm_has_its_templates_checked_so_it_is_no_empty_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n"})
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    assert invoke(["lint", "chart"], cwd=tmp_path)[0] == 0


def test_affected_files_outside_every_application_check_nothing_and_pass(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".hooklint.yaml": "applications: ['apps/*']\n",
            "apps/a/job.yaml": NAMED_HOOK,
            "docs/notes.txt": "x\n",
        },
    )
    for verb in (["lint"], ["lint", "--fix"]):
        assert invoke([*verb, "--affected", "--", "docs/notes.txt"], cwd=tmp_path)[0] == 0
