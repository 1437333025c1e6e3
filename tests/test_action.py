"""The composite GitHub Action: its steps run as GitHub would, in a simulated runner.

The runner expands `${{ inputs.x }}` and `${{ steps.x.outputs.y }}` (an input action.yml does not declare,
or an output its step did not set, fails the test), reads each step's GITHUB_OUTPUT, runs steps in their
working directory, skips those after a failure unless their condition says otherwise, and evaluates the
upload step's condition. The actions a step `uses` are simulated, and the `with` each is given recorded:
setup-python gives a Python whose virtual environment records what pip is asked to install (no network)
and runs everything else with the Python of the tests, where hooklint is installed."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT
from tests.realtools.conftest import require

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
ANNOTATION = "::error file={},line=7,col=44,endLine=7,endColumn=57,title=HL101 named-hook-without-before-hook-creation::"
TABLE_HEAD = "| severity | rule | file | line | message |\n|---|---|---|---|---|\n"
ROW = (
    "| {} | HL101 `named-hook-without-before-hook-creation` | `{}` | 7:44 | Job/migrate is a named hook (PreSync "
    "wave 0) whose delete policy HookSucceeded lacks BeforeHookCreation: when an earlier run's object is left "
    "behind, the next sync applies over it and fails on immutable fields or reuses the old result |\n"
)


STEP_IDS = [step["id"] for step in ACTION["runs"]["steps"] if "id" in step]


def expand(text: str, context: dict[str, Any]) -> str:
    """GitHub's `${{ inputs.x }}` and `${{ steps.x.outputs.y }}`, substituted before the shell sees the text.
    A name action.yml cannot mean fails the test: an undeclared input, an unknown step, or an output that
    its step ran without setting. A step that did not run (skipped after a failure) has empty outputs."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        parts = name.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            assert parts[1] in ACTION["inputs"], f"action.yml uses the undeclared input {name}"
            return str(context["inputs"][parts[1]])
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            assert parts[1] in STEP_IDS, f"action.yml uses {name} of no step"
            if parts[1] not in context["steps"]:
                return ""
            outputs = context["steps"][parts[1]]["outputs"]
            assert parts[3] in outputs, f"action.yml uses {name}, which that step did not set"
            return str(outputs[parts[3]])
        raise AssertionError(f"the simulated runner does not know {name}")

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", value, text)


def with_values(step: dict[str, Any], context: dict[str, Any]) -> dict[str, str]:
    """A `uses` step's `with`, expanded, its values as the action reads them (YAML's false is "false")."""
    return {
        key: expand(str(value).lower() if isinstance(value, bool) else str(value), context)
        for key, value in step.get("with", {}).items()
    }


def condition(text: str, context: dict[str, Any]) -> bool:
    """The `if:` forms action.yml uses: `!cancelled()` and comparisons of a context value with a string,
    joined by `&&`; any other form fails the test, so that the simulation keeps up with action.yml."""
    inner = re.fullmatch(r"\$\{\{\s*(.*?)\s*\}\}", text)
    assert inner is not None, text
    result = True
    for term in inner.group(1).split("&&"):
        term = term.strip()
        if term == "!cancelled()":
            continue
        compared = re.fullmatch(r"([\w.-]+) (==|!=) '([^']*)'", term)
        assert compared is not None, f"the simulated runner cannot evaluate {term!r}"
        name, operator, literal = compared.groups()
        equal = expand(f"${{{{ {name} }}}}", context) == literal
        result = result and (equal if operator == "==" else not equal)
    return result


def read_outputs(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT file: `key=value` lines and `key<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text().splitlines()) if path.exists() else iter(())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            outputs[key] = "\n".join(block)
        else:
            key, value = line.split("=", 1)
            outputs[key] = value
    return outputs


class Run:
    """One run of the Action: its exit code, log, step summary, outputs, uploads and pip's installs."""

    def __init__(
        self,
        code: int,
        log: str,
        summary: str,
        outputs: dict[str, str],
        uses: list[tuple[str, dict[str, str]]],
        pip: list[str],
    ) -> None:
        self.code, self.log, self.summary, self.outputs, self.uses, self.pip = (
            code,
            log,
            summary,
            outputs,
            uses,
            pip,
        )

    @property
    def uploads(self) -> list[dict[str, str]]:
        """The `with` of each run of the upload-sarif action."""
        return [
            given for action, given in self.uses if action.startswith("github/codeql-action/upload-sarif@")
        ]


def fake_python(temp: Path) -> tuple[Path, Path]:
    """setup-python's Python: `-m venv DIR` makes a virtual environment whose python logs pip's arguments
    (and PIP_CACHE_DIR) and runs anything else with the tests' own Python."""
    log = temp / "pip.log"
    venv_python = f"""#!/bin/bash
if [ "$1 $2" = "-m pip" ]; then printf '%s | %s\\n' "$PIP_CACHE_DIR" "$*" >> '{log}'; exit 0; fi
exec '{sys.executable}' "$@"
"""
    script = temp / "setup-python" / "python3"
    script.parent.mkdir(parents=True)
    script.write_text(
        f"""#!/bin/bash
[ "$1 $2" = "-m venv" ] || exit 99
mkdir -p "$3/bin"
cat > "$3/bin/python" <<'VENV'
{venv_python}VENV
chmod +x "$3/bin/python"
"""
    )
    script.chmod(0o755)
    return script, log


def run_action(workspace: Path, *, event: str = "push", base_ref: str = "", **given: str) -> Run:
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | given
    temp = workspace.parent / f"{workspace.name}-runner"
    temp.mkdir()
    python, pip_log = fake_python(temp)
    summary = temp / "summary.md"
    context: dict[str, Any] = {"inputs": inputs, "steps": {}}
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(temp),
        "RUNNER_OS": "Linux",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_BASE_REF": base_ref,
    }
    log, code = "", 0
    uses_given: list[tuple[str, dict[str, str]]] = []
    for index, step in enumerate(ACTION["runs"]["steps"]):
        # A step without a condition runs only while every step before it succeeded (success()); the
        # conditions of action.yml say !cancelled(), which a failure leaves true.
        if "if" not in step and code != 0:
            continue
        if "if" in step and not condition(step["if"], context):
            continue
        uses = step.get("uses", "")
        if uses:
            uses_given.append((uses, with_values(step, context)))
        if uses.startswith("actions/setup-python@"):
            outputs = {"python-path": str(python), "python-version": "3.12.9"}
        elif uses.startswith(("actions/cache@", "github/codeql-action/upload-sarif@")):
            outputs = {}
        else:
            assert not uses, f"the simulated runner does not know {uses}"
            output_file = temp / f"output-{index}"
            step_env = env | {"GITHUB_OUTPUT": str(output_file)}
            step_env |= {key: expand(str(value), context) for key, value in step.get("env", {}).items()}
            result = subprocess.run(
                ["bash", "-e", "-c", expand(step["run"], context)],
                cwd=workspace / expand(step.get("working-directory", "."), context),
                env=step_env,
                capture_output=True,
                text=True,
            )
            log += result.stdout
            outputs = read_outputs(output_file)
            code = code or result.returncode
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs}
    action_outputs = {name: expand(spec["value"], context) for name, spec in ACTION["outputs"].items()}
    pip = pip_log.read_text().splitlines() if pip_log.exists() else []
    return Run(code, log, summary.read_text() if summary.exists() else "", action_outputs, uses_given, pip)


def counts(
    errors: str, warnings: str, infos: str, code: str, sarif: str, plan_diff: str = ""
) -> dict[str, str]:
    return {
        "errors": errors,
        "warnings": warnings,
        "infos": infos,
        "exit-code": code,
        "sarif-file": sarif,
        "plan-diff-file": plan_diff,
    }


def test_action_installs_the_action_checkout_into_a_virtual_environment_with_the_pip_cache(
    tmp_path: Path,
) -> None:
    (tmp_path / "job.yaml").write_text(BAD.replace("HookSucceeded", "BeforeHookCreation"))
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, explain="false")
    cache = f"{tmp_path}-runner/hooklint-pip-cache"
    assert run.pip == [f"{cache} | -m pip install --quiet -c {ROOT}/requirements/test.txt {ROOT}"]
    assert (run.code, run.outputs) == (0, counts("0", "0", "0", "0", "hooklint.sarif"))


def test_action_installs_the_release_a_version_names(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD.replace("HookSucceeded", "BeforeHookCreation"))
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, version="v0.2.0", explain="false")
    assert run.pip == [f"{tmp_path}-runner/hooklint-pip-cache | -m pip install --quiet hooklint==0.2.0"]


@pytest.mark.parametrize(
    "version", ["--index-url=https://example.com", "0.2.0 other", "latest"], ids=["option", "two", "word"]
)
def test_action_refuses_a_version_that_is_not_a_release_number(tmp_path: Path, version: str) -> None:
    run = run_action(tmp_path, version=version)
    assert (
        run.log == "::error title=hooklint::the version input is not a release number: use one like 0.2.0\n"
    )
    assert (run.code, run.pip, run.uploads, run.outputs) == (2, [], [], counts("", "", "", "", ""))


def test_action_sets_up_the_python_the_input_names_and_caches_pip_under_its_key(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD.replace("HookSucceeded", "BeforeHookCreation"))
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, explain="false", **{"python-version": "3.11", "upload-sarif": "false"})
    assert run.code == 0
    (python, given_python), (cache, given_cache) = run.uses
    assert (python.split("@")[0], given_python) == (
        "actions/setup-python",
        {"python-version": "3.11", "update-environment": "false"},
    )
    assert cache.split("@")[0] == "actions/cache"
    assert given_cache["path"] == f"{tmp_path}-runner/hooklint-pip-cache"
    # The version setup-python reports, not the one asked for, keys the cache.
    assert re.fullmatch(r"hooklint-pip-Linux-3\.12\.9-[0-9a-f]{16}", given_cache["key"])


@pytest.mark.parametrize(
    "name",
    ["inputs.nope", "steps.nope.outputs.dir", "steps.cache-key.outputs.nope", "github.token"],
    ids=["input", "step", "output", "context"],
)
def test_the_simulated_runner_refuses_what_action_yml_cannot_mean(name: str) -> None:
    context = {"inputs": {}, "steps": {"cache-key": {"outputs": {"dir": "/cache"}}}}
    with pytest.raises(AssertionError):
        expand(f"${{{{ {name} }}}}", context)
    assert expand("${{ steps.cache-key.outputs.dir }} ${{ steps.lint.outputs.errors }}", context) == "/cache "


@pytest.mark.parametrize(
    "step",
    [step for step in ACTION["runs"]["steps"] if "run" in step],
    ids=lambda step: str(step.get("id", step.get("name"))),
)
def test_each_script_of_the_action_is_valid_bash(step: dict[str, Any]) -> None:
    assert step["shell"] == "bash"
    result = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_cache_key_names_the_runner_python_and_the_hooklint_installed() -> None:
    step = next(step for step in ACTION["runs"]["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert step["with"] == {
        "path": "${{ steps.cache-key.outputs.dir }}",
        "key": "${{ steps.cache-key.outputs.key }}",
    }
    env = {**os.environ, "GITHUB_ACTION_PATH": str(ROOT), "RUNNER_OS": "Linux", "RUNNER_TEMP": "/runner/temp"}
    key_step = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "cache-key")
    keys = []
    for version in ("", "0.2.0"):
        out = subprocess.run(
            ["bash", "-e", "-c", key_step["run"].replace('>> "$GITHUB_OUTPUT"', "")],
            env=env | {"HOOKLINT_VERSION": version, "HOOKLINT_PYTHON_VERSION": "3.12.9"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        keys.append(out)
    assert re.fullmatch(
        r"key=hooklint-pip-Linux-3\.12\.9-[0-9a-f]{16}\ndir=/runner/temp/hooklint-pip-cache\n", keys[0]
    )
    assert keys[1] == "key=hooklint-pip-Linux-3.12.9-pypi-0.2.0\ndir=/runner/temp/hooklint-pip-cache\n"


def test_action_annotates_writes_sarif_summarises_uploads_and_fails(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "job.yaml").write_text(BAD)
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, paths="apps")
    assert run.code == 1
    assert run.log.startswith(ANNOTATION.format("apps/job.yaml"))
    assert run.outputs == counts("1", "0", "0", "1", "hooklint.sarif")
    sarif = json.loads((tmp_path / "hooklint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["HL101"]
    assert run.uploads == [{"sarif_file": "hooklint.sarif", "category": "hooklint"}]
    assert run.summary.startswith(
        "## hooklint: 1 error(s), 0 warning(s), 0 info(s)\n\n"
        + TABLE_HEAD
        + ROW.format("error", "apps/job.yaml")
    )
    plan = run.summary.index("\n\n## Sync plan\n\n### PreSync\n")
    assert run.summary.index("\n```mermaid\nflowchart TD\n") > plan and run.summary.endswith("```\n\n")


def test_action_passes_below_the_threshold_and_skips_the_plan_and_the_upload(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD)
    (tmp_path / "policy.yaml").write_text("select: [HL101]\nseverity: {HL101: warning}\n")
    run = run_action(tmp_path, config="policy.yaml", explain="false", **{"upload-sarif": "false"})
    assert (run.code, run.uploads, run.outputs) == (0, [], counts("0", "1", "0", "0", "hooklint.sarif"))
    assert run.log.startswith("::warning file=job.yaml,line=7")
    assert (
        run.summary
        == "## hooklint: 0 error(s), 1 warning(s), 0 info(s)\n\n"
        + TABLE_HEAD
        + ROW.format("warning", "job.yaml")
        + "\n"
    )


def test_action_counts_info_findings(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD)
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\nseverity: {HL101: info}\n")
    run = run_action(tmp_path, explain="false")
    assert (run.code, run.outputs) == (0, counts("0", "0", "1", "0", "hooklint.sarif"))
    assert run.log.startswith("::notice file=job.yaml,line=7,col=44,")
    assert run.summary == (
        "## hooklint: 0 error(s), 0 warning(s), 1 info(s)\n\n"
        + TABLE_HEAD
        + ROW.format("info", "job.yaml")
        + "\n"
    )


def test_action_fails_on_the_severity_fail_on_names_and_writes_the_sarif_file_named(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD)
    (tmp_path / "policy.yaml").write_text("select: [HL101]\nseverity: {HL101: warning}\n")
    run = run_action(
        tmp_path, config="policy.yaml", explain="false", **{"fail-on": "warning", "sarif-file": "out.sarif"}
    )
    assert (run.code, run.outputs) == (1, counts("0", "1", "0", "1", "out.sarif"))
    assert run.uploads == [{"sarif_file": "out.sarif", "category": "hooklint"}]
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"][0]["level"] == "warning"


def test_action_reads_args_as_shell_words_and_never_evaluates_them(tmp_path: Path) -> None:
    (tmp_path / "job.yaml").write_text(BAD)
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    subprocess.run(
        [sys.executable, "-m", "hooklint", "lint", "--write-baseline", "old findings.json", "job.yaml"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    run = run_action(tmp_path, args="--baseline 'old findings.json'", explain="false")
    assert (run.code, run.log, run.outputs) == (0, "", counts("0", "0", "0", "0", "hooklint.sarif"))
    injected = tmp_path / "injected"
    injected.mkdir()
    (injected / "job.yaml").write_text(BAD)
    run = run_action(injected, args="--namespace $(touch pwned) `touch pwned2`")
    assert not (injected / "pwned").exists() and not (injected / "pwned2").exists()
    assert (run.code, run.outputs["exit-code"], run.uploads) == (2, "2", [])


def test_action_refuses_args_that_are_not_shell_words(tmp_path: Path) -> None:
    run = run_action(tmp_path, args="--namespace 'shop")
    assert (
        run.log
        == "::error title=hooklint::the args input is not a list of shell words: No closing quotation\n"
    )
    assert (run.code, run.uploads, run.outputs) == (2, [], counts("", "", "", "2", ""))


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ("--format json", "--format"),
        ("--output-format=text", "--output-format"),
        ("--output out.txt", "--output"),
    ],
    ids=["format", "output-format", "output"],
)
def test_action_refuses_report_options_in_args(tmp_path: Path, args: str, name: str) -> None:
    (tmp_path / "job.yaml").write_text(BAD)
    run = run_action(tmp_path, args=f"--namespace shop {args}")
    assert run.log == (
        f"::error title=hooklint::the args input cannot hold {name}: the Action chooses lint's reports itself "
        "(the annotations, the SARIF file of sarif-file, the job summary)\n"
    )
    assert (run.code, run.uploads, run.outputs) == (2, [], counts("", "", "", "2", ""))


@pytest.mark.parametrize(
    "paths", ["my apps\nother apps\n", "'my apps' \"other apps\""], ids=["lines", "words"]
)
def test_action_takes_paths_with_spaces(tmp_path: Path, paths: str) -> None:
    for folder in ("my apps", "other apps"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "job.yaml").write_text(BAD.replace("migrate", folder.replace(" ", "-")))
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, paths=paths, explain="false")
    assert [line.split(",")[0] for line in run.log.splitlines()] == [
        "::error file=my apps/job.yaml",
        "::error file=other apps/job.yaml",
    ]
    assert (run.code, run.outputs) == (1, counts("2", "0", "0", "1", "hooklint.sarif"))


def test_action_runs_in_the_working_directory_and_names_files_from_the_repository_root(
    tmp_path: Path,
) -> None:
    (tmp_path / "infra" / "apps").mkdir(parents=True)
    (tmp_path / "infra" / "apps" / "job.yaml").write_text(BAD)
    (tmp_path / "infra" / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, **{"working-directory": "infra", "explain": "false"})
    assert run.log.startswith(ANNOTATION.format("infra/apps/job.yaml"))
    assert (run.code, run.outputs) == (1, counts("1", "0", "0", "1", "infra/hooklint.sarif"))
    assert run.uploads == [{"sarif_file": "infra/hooklint.sarif", "category": "hooklint"}]
    sarif = json.loads((tmp_path / "infra" / "hooklint.sarif").read_text())
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "infra/apps/job.yaml"}
    assert "| `apps/job.yaml` | 7:44 |" in run.summary


APP = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
"""


@pytest.mark.parametrize("where", ["args", "config"])
def test_action_summarises_each_application_plan_under_its_name(tmp_path: Path, where: str) -> None:
    for name in ("billing", "shop"):
        (tmp_path / "apps" / name).mkdir(parents=True)
        (tmp_path / "apps" / name / "job.yaml").write_text(APP.format(name=f"{name}-migrate"))
    config = "select: [HL101]\n" + ("applications: ['apps/*']\n" if where == "config" else "")
    (tmp_path / ".hooklint.yaml").write_text(config)
    run = run_action(tmp_path, args="--applications 'apps/*'" if where == "args" else "")
    assert (run.code, run.outputs) == (0, counts("0", "0", "0", "0", "hooklint.sarif"))
    headings = [line for line in run.summary.splitlines() if line.startswith("#")]
    assert headings == [
        "## hooklint: 0 error(s), 0 warning(s), 0 info(s)",
        "## Application `apps/billing`",
        "### Sync plan",
        "#### PreSync",
        "#### Gates",
        "## Application `apps/shop`",
        "### Sync plan",
        "#### PreSync",
        "#### Gates",
    ]
    billing, shop = run.summary.split("## Application `apps/shop`")
    assert "`Job/billing-migrate`" in billing and "shop-migrate" not in billing
    assert "`Job/shop-migrate`" in shop and "billing-migrate" not in shop
    assert run.summary.count("```mermaid\nflowchart TD\n") == 2


def load_step_script() -> Any:
    spec = importlib.util.spec_from_file_location("hooklint_action_run", ROOT / "action" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_failed_explain_is_a_warning_and_the_step_keeps_lint_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """explain failing where lint does not cannot be made with real input, so its run is replaced."""
    step = load_step_script()
    real = step.hooklint

    def failing_explain(*args: str) -> subprocess.CompletedProcess[str]:
        if args[0] == "explain":
            return subprocess.CompletedProcess(args, 3, "", "hooklint 0.1.0: internal error: KeyError: 'x'\n")
        return real(*args)  # type: ignore[no-any-return]

    (tmp_path / "job.yaml").write_text(BAD)
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(step, "hooklint", failing_explain)
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    for name, value in {
        "GITHUB_OUTPUT": tmp_path / "out",
        "GITHUB_STEP_SUMMARY": tmp_path / "summary.md",
        "GITHUB_WORKSPACE": tmp_path,
        "RUNNER_TEMP": tmp_path,
    }.items():
        monkeypatch.setenv(name, str(value))
    assert step.main() == 1
    assert read_outputs(tmp_path / "out") == counts("1", "0", "0", "1", "hooklint.sarif")
    warning = "hooklint explain failed (exit 3): hooklint 0.1.0: internal error: KeyError: 'x'"
    assert capsys.readouterr().out.endswith(f"::warning title=hooklint explain::{warning}\n")
    summary = (tmp_path / "summary.md").read_text()
    assert summary.endswith(
        ROW.format("error", "job.yaml")
        + "\nThe sync plan could not be made: hooklint 0.1.0: internal error: KeyError: 'x'\n\n"
    )


def example_workflows() -> dict[str, str]:
    """The workflows the docs show: docs/github-action.md's example and each of the README's."""
    docs = (ROOT / "docs" / "github-action.md").read_text()
    example = re.search(r"<!-- example-workflow -->\n```yaml\n(.*?)```", docs, re.S)
    assert example is not None
    readme = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    found = {"docs-github-action.yml": example.group(1)}
    workflows = [text for text in readme if "\njobs:\n" in text]
    found |= {f"readme-{n}.yml": text for n, text in enumerate(workflows, start=1)}
    assert len(found) == 3  # the Action's and the sync plan's workflows of the README
    return found


def test_actionlint_passes_the_action_and_the_example_workflows_of_the_docs(tmp_path: Path) -> None:
    actionlint = require("actionlint")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for name, workflow in example_workflows().items():
        # The workflows use this checkout's action, so actionlint checks their inputs against action.yml.
        (tmp_path / ".github" / "workflows" / name).write_text(
            re.sub(r"hooklint/hooklint@v[\w.]+", "./", workflow)
        )
    # And the repository's own workflows (the docs site's publishing).
    for own in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        (tmp_path / ".github" / "workflows" / f"own-{own.name}").write_text(own.read_text())
    (tmp_path / "action.yml").write_text((ROOT / "action.yml").read_text())
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = subprocess.run([actionlint, "-no-color"], cwd=tmp_path, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_the_docs_and_the_action_use_one_version_of_each_action() -> None:
    own = [path.read_text() for path in sorted((ROOT / ".github" / "workflows").glob("*.yml"))]
    texts = [*example_workflows().values(), *own, (ROOT / "action.yml").read_text()]
    used = sorted({use for text in texts for use in re.findall(r"uses: ([\w.-]+/[\w./-]+@[\w.]+)", text)})
    assert used == [
        "actions/cache@v5",
        "actions/checkout@v5",
        "actions/deploy-pages@v4",
        "actions/setup-python@v6",
        "actions/upload-pages-artifact@v4",
        "github/codeql-action/upload-sarif@v4",
        "hooklint/hooklint@v0.1.0",
        "marocchino/sticky-pull-request-comment@v2",
    ]


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def pull_request(repo: Path) -> None:
    """A repository of two applications as a pull request's checkout with `fetch-depth: 0` holds it: the
    base branch fetched as origin/main, and the pull request's change committed on top."""
    for name in ("billing", "shop"):
        (repo / "apps" / name).mkdir(parents=True)
        (repo / "apps" / name / "job.yaml").write_text(APP.format(name=f"{name}-migrate"))
    (repo / ".hooklint.yaml").write_text("select: [HL101]\napplications: ['apps/*']\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "change")
    (repo / "apps" / "shop" / "job.yaml").write_text(
        APP.format(name="shop-migrate").replace("PreSync", "Sync") + '    argocd.argoproj.io/sync-wave: "1"\n'
    )
    git(repo, "commit", "-q", "-am", "change")


SHOP_DIFF = (
    "## Application `apps/shop`\n\n"
    "**Sync plan changes since origin/main: 1 task moved, 1 hook changed, 1 step added, 1 step removed**\n\n"
    "| Change | Object | Before | After |\n|---|---|---|---|\n"
    "| task moved | `Job/shop-migrate` | PreSync wave 0 | Sync wave 1 |\n"
    "| hook changed | `Job/shop-migrate` | PreSync | Sync |\n"
    "| step added |  |  | Sync wave 1 |\n"
    "| step removed |  | PreSync wave 0 |  |\n\n"
)
BILLING_DIFF = "## Application `apps/billing`\n\n**No change to the sync plan since origin/main**\n\n"


@pytest.mark.parametrize("event", ["pull_request", "pull_request_target"])
def test_action_on_a_pull_request_writes_each_application_plan_diff_and_folds_the_plans(
    tmp_path: Path, event: str
) -> None:
    pull_request(tmp_path)
    run = run_action(tmp_path, event=event, base_ref="main")
    diff_file = f"{tmp_path}-runner/hooklint-plan-diff.md"
    assert (run.code, run.log) == (0, "")
    assert run.outputs == counts("0", "0", "0", "0", "hooklint.sarif", diff_file)
    assert Path(diff_file).read_text() == BILLING_DIFF + SHOP_DIFF
    billing, shop = run.summary.split("## Application `apps/shop`")
    assert billing.startswith(
        "## hooklint: 0 error(s), 0 warning(s), 0 info(s)\n\nNo findings.\n\n"
        + BILLING_DIFF
        + "<details><summary>The sync plan of apps/billing</summary>\n\n### Sync plan\n\n#### PreSync\n"
    )
    assert billing.endswith("```\n\n</details>\n\n")
    assert ("## Application `apps/shop`" + shop).startswith(
        SHOP_DIFF + "<details><summary>The sync plan of apps/shop</summary>\n\n### Sync plan\n\n#### Sync\n"
    )
    assert shop.endswith("```\n\n</details>\n\n")


def test_action_on_a_pull_request_of_a_shallow_clone_says_to_fetch_the_history(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    pull_request(origin)
    (origin / "apps" / "shop" / "job.yaml").write_text(BAD)
    (origin / ".hooklint.yaml").write_text("select: [HL101]\n")
    git(origin, "commit", "-q", "-am", "no applications, a finding")
    # actions/checkout's default: the pull request's commit alone, no branch of the base.
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "change", f"file://{origin}", "clone"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    run = run_action(tmp_path / "clone", event="pull_request", base_ref="main")
    missing = (
        "The sync plan's diff is left out: the base branch `main` is not in this clone. Check out the whole "
        "history, `fetch-depth: 0` in `actions/checkout`, to compare the pull request with its base."
    )
    diff_file = f"{tmp_path}/clone-runner/hooklint-plan-diff.md"
    assert run.code == 1
    assert run.outputs == counts("1", "0", "0", "1", "hooklint.sarif", diff_file)
    assert run.log.endswith(f"::warning title=hooklint explain::{missing}\n")
    assert Path(diff_file).read_text() == missing + "\n\n"
    assert run.summary.startswith(
        "## hooklint: 1 error(s), 0 warning(s), 0 info(s)\n\n"
        + TABLE_HEAD
        + ROW.format("error", "apps/shop/job.yaml")
        + "\n"
        + missing
        # No applications configured: hooklint finds the two, each with its own plan.
        + "\n\n## Application `apps/billing`\n\n### Sync plan\n\n#### PreSync\n"
    )
    assert "<details>" not in run.summary


def test_action_on_a_push_writes_no_plan_diff(tmp_path: Path) -> None:
    pull_request(tmp_path)
    run = run_action(tmp_path, event="push", base_ref="")
    assert (run.code, run.outputs) == (0, counts("0", "0", "0", "0", "hooklint.sarif"))
    assert not Path(f"{tmp_path}-runner/hooklint-plan-diff.md").exists()
    headings = [line for line in run.summary.splitlines() if line.startswith("#")]
    assert headings == [
        "## hooklint: 0 error(s), 0 warning(s), 0 info(s)",
        "## Application `apps/billing`",
        "### Sync plan",
        "#### PreSync",
        "#### Gates",
        "## Application `apps/shop`",
        "### Sync plan",
        "#### Sync",
        "#### Gates",
    ]
    assert "since origin/main" not in run.summary and "<details>" not in run.summary


def application(name: str) -> str:
    return (
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
        f"metadata:\n  name: {name}\n  namespace: argocd\n"
        f"spec:\n  project: default\n  source:\n    repoURL: https://example.com/repo.git\n    path: apps/{name}\n"
        f"  destination:\n    server: https://kubernetes.default.svc\n    namespace: {name}-ns\n"
    )


def test_action_plans_each_application_with_its_application_manifest_kept_elsewhere(tmp_path: Path) -> None:
    """The Applications in argocd/ give each plan its destination namespace, as for lint and `explain .`;
    the pull request's ConfigMap with `namespace: shop-ns` is a duplicate only there."""
    pull_request(tmp_path)
    (tmp_path / "argocd").mkdir()
    for name in ("billing", "shop"):
        (tmp_path / "argocd" / f"{name}.yaml").write_text(application(name))
    (tmp_path / ".hooklint.yaml").write_text("select: [HL004, HL101]\n")
    (tmp_path / "apps" / "shop" / "config.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n"
    )
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Applications")
    git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    (tmp_path / "apps" / "shop" / "more.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n  namespace: shop-ns\n"
    )
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "change")
    run = run_action(tmp_path, event="pull_request", base_ref="main")
    assert (run.code, run.outputs["errors"]) == (1, "1")
    duplicate = (
        "ConfigMap/shop in namespace shop-ns is defined 2 times in this application: again at "
        "apps/shop/more.yaml:4 (different from the first), first at apps/shop/config.yaml:4; Argo CD reports "
        "RepeatedResourceWarning and applies only the last copy (this one)"
    )
    assert f"| `apps/shop/more.yaml` | 4:9 | {duplicate} |\n" in run.summary
    diff = Path(run.outputs["plan-diff-file"]).read_text()
    assert diff == (
        BILLING_DIFF + "## Application `apps/shop`\n\n"
        "**Sync plan changes since origin/main: 1 finding introduced**\n\n"
        "| Finding | Rule | Where | Message |\n|---|---|---|---|\n"
        f"| introduced | HL004 error | `apps/shop/more.yaml:4` | {duplicate} |\n\n"
        "## Application `argocd`\n\n**No change to the sync plan since origin/main**\n\n"
    )
    shop = run.summary.split("## Application `apps/shop`")[1]
    assert "| `Job/shop-migrate` | shop-ns | hook |" in shop
    assert "#### Application shop (argocd/shop.yaml:1): destination namespace shop-ns," in shop
    billing = run.summary.split("## Application `apps/billing`")[1].split("## Application")[0]
    assert "| `Job/billing-migrate` | billing-ns | hook |" in billing
    assert "| default |" not in billing + shop


def test_action_plans_the_input_as_one_application_when_args_name_its_application(tmp_path: Path) -> None:
    for name in ("billing", "shop"):
        (tmp_path / "apps" / name).mkdir(parents=True)
        (tmp_path / "apps" / name / "job.yaml").write_text(APP.format(name=f"{name}-migrate"))
    (tmp_path / "shop.yaml").write_text(application("shop"))
    (tmp_path / ".hooklint.yaml").write_text("select: [HL101]\n")
    run = run_action(tmp_path, paths="apps", args="--app shop.yaml")
    assert (run.code, run.outputs) == (0, counts("0", "0", "0", "0", "hooklint.sarif"))
    assert "## Application `" not in run.summary
    assert "| `Job/billing-migrate` | shop-ns | hook |" in run.summary
    assert "| `Job/shop-migrate` | shop-ns | hook |" in run.summary
