"""The composite GitHub Action: its steps run as GitHub would, with a simulated runner environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import yaml

from tests.helpers import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())

BAD = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""


def expand(text: str, inputs: dict[str, str]) -> str:
    """GitHub's `${{ inputs.x }}` substitution, done before the shell sees the script."""
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], text)


def run_action(workspace: Path, **given: str) -> tuple[int, str, str]:
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | given
    summary = workspace / "summary.md"
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    out = ""
    for step in ACTION["runs"]["steps"]:
        if step["id"] == "install":
            continue  # the test environment has hooklint installed already
        step_env = env | {key: expand(str(value), inputs) for key, value in step.get("env", {}).items()}
        result = subprocess.run(
            ["bash", "-e", "-c", expand(step["run"], inputs)],
            cwd=workspace,
            env=step_env,
            capture_output=True,
            text=True,
        )
        out += result.stdout
        if result.returncode != 0:
            return result.returncode, out, summary.read_text() if summary.exists() else ""
    return 0, out, summary.read_text() if summary.exists() else ""


def test_install_step_installs_from_the_action_checkout() -> None:
    install = next(step for step in ACTION["runs"]["steps"] if step["id"] == "install")
    assert install["run"] == 'python3 -m pip install --quiet "$GITHUB_ACTION_PATH"'


def test_action_annotates_writes_sarif_summarises_the_plan_and_fails(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "job.yaml").write_text(BAD)
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    code, out, summary = run_action(tmp_path, paths="apps")
    assert code == 1
    assert out.startswith(
        "::error file=apps/job.yaml,line=7,col=44,endLine=7,endColumn=57,title=HL101 named-hook-without-before-hook-creation::"
    )
    sarif = json.loads((tmp_path / "hooklint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["HL101"]
    assert summary.startswith("## Sync plan\n\n### PreSync\n")
    assert "\n```mermaid\nflowchart TD\n" in summary and summary.endswith("```\n")


def test_action_passes_below_the_threshold_and_can_skip_the_summary(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD)
    (tmp_path / "policy.yaml").write_text("select: [HL101]\nseverity: {HL101: warning}\n")
    code, out, summary = run_action(tmp_path, config="policy.yaml", explain="false")
    assert (code, summary) == (0, "")
    assert out.startswith("::warning file=job.yaml,line=7")
    code, _, _ = run_action(tmp_path, config="policy.yaml", **{"fail-on": "warning"})
    assert code == 1
