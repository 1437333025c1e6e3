from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint import rules as registry
from hooklint.cli.main import cli
from hooklint.model import Rule, Severity
from tests.helpers import invoke

BROKEN = "apiVersion: v1\nkind: Pod\nmetadata: {name: [x\n"
GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n"


def test_lint_reports_findings_as_file_line_col_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BROKEN)
    (tmp_path / "good.yaml").write_text(GOOD)
    code, out, _ = invoke(["lint", str(tmp_path)])
    path = f"{tmp_path}/bad.yaml"
    assert code == 1
    assert out.splitlines()[0].startswith(f"{path}:4:1: error HL001 invalid-yaml: invalid YAML: ")
    assert out.splitlines()[-1] == "1 finding(s) (1 error, 0 warning, 0 info) in 2 file(s), 1 resource(s)"


def test_clean_input_exits_0() -> None:
    assert invoke(["lint", "-"], GOOD) == (
        0,
        "0 finding(s) (0 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)\n",
        "",
    )


def test_lint_json_follows_the_contract() -> None:
    code, out, _ = invoke(["lint", "--format", "json", "-"], "- kind: not an object\n")
    assert code == 1
    assert json.loads(out) == {
        "version": 1,
        "findings": [
            {
                "rule": "HL002",
                "name": "not-a-kubernetes-object",
                "severity": "error",
                "message": "not a Kubernetes object: the document is a list, not a mapping",
                "file": "<stdin>",
                "line": 1,
                "column": 1,
                "end_line": 2,
                "end_column": 1,
                "resource": None,
                "related": [],
                "fix": None,
            }
        ],
        "summary": {"files": 1, "resources": 0, "error": 1, "warning": 0, "info": 0},
    }


def test_missing_path_is_exit_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = invoke(["lint", str(tmp_path / "nope")])
    assert (code, out, err) == (2, "", f"hooklint: no such file or directory: {tmp_path}/nope\n")
    assert invoke(["explain", str(tmp_path / "nope")])[0] == 2


def test_unknown_rule_selector_is_exit_2() -> None:
    assert invoke(["lint", "--select", "HL999", "-"], GOOD) == (2, "", "hooklint: unknown rule 'HL999'\n")


def test_ignore_removes_a_rule() -> None:
    code, out, _ = invoke(["lint", "--ignore", "invalid-yaml", "-"], BROKEN)
    assert (code, out.splitlines()[-1]) == (
        0,
        "0 finding(s) (0 error, 0 warning, 0 info) in 1 file(s), 0 resource(s)",
    )


def test_fail_on_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    warn = Rule(
        "HL998",
        "always-warns",
        "test",
        Severity.WARNING,
        lambda ctx: [ctx.finding(ctx.resources[0].span, "w")],
    )
    monkeypatch.setattr(registry, "ALL_RULES", (*registry.ALL_RULES, warn))
    assert invoke(["lint", "-"], GOOD)[0] == 0
    assert invoke(["lint", "--fail-on", "warning", "-"], GOOD)[0] == 1


def test_a_crashing_rule_is_an_internal_error_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx: object) -> list[object]:
        raise KeyError("spec")

    crash = Rule("HL997", "crashes", "test", Severity.ERROR, boom)  # type: ignore[arg-type]
    monkeypatch.setattr(registry, "ALL_RULES", (*registry.ALL_RULES, crash))
    code, out, err = invoke(["lint", "-"], GOOD)
    assert (code, out) == (3, "")
    assert err.startswith(
        "hooklint 0.1.0: internal error: RuleCrashed: rule HL997 (crashes) crashed: KeyError: 'spec'\n"
    )
    assert "This is a bug in hooklint." in err


def test_explain_reads_stdin_and_reports_broken_input_on_stderr() -> None:
    code, out, err = invoke(["explain", "-"], GOOD + "---\n" + BROKEN)
    assert code == 0
    assert "1  ConfigMap/ok  default  <stdin>:1" in out
    assert err.startswith("<stdin>:9:1: invalid YAML: ")


def test_rules_lists_every_rule_and_prints_a_page() -> None:
    code, out, _ = invoke(["rules"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "name", "severity", "fix", "summary"]
    assert lines[1].split()[:4] == ["HL000", "unused-suppression", "warning", "none"]
    code, out, _ = invoke(["rules", "hl003"])
    assert (code, out.splitlines()[0]) == (0, "# HL003 unrendered-template")
    assert "## Why is this bad?" in out
    code, out, _ = invoke(["rules", "named-hook-without-before-hook-creation"])
    assert out.startswith("# HL101 named-hook-without-before-hook-creation\n")
    assert invoke(["rules", "nope"]) == (2, "", "hooklint: unknown rule 'nope'\n")


@pytest.mark.parametrize("command", ["lint", "fix"])
def test_an_argocd_version_that_is_no_version_is_exit_2(command: str) -> None:
    assert invoke([command, "--argocd-version", "latest", "-"], GOOD) == (
        2,
        "",
        "hooklint: not an Argo CD version: 'latest' (expected e.g. 3.5.1)\n",
    )


def test_the_process_ends_with_its_output_flushed_and_its_exit_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.helpers import ROOT

    demo = str(ROOT / "fixtures" / "demo")
    done = subprocess.run([sys.executable, "-m", "hooklint", "lint", demo], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.endswith("in 8 file(s), 12 resource(s)\n")
    # Under a profiler (or a coverage tracer) the interpreter ends as usual, so the profile is written
    # (cProfile itself swallows the exit code).
    profile = tmp_path / "lint.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "hooklint", "lint", demo]
    profiled = subprocess.run(command, capture_output=True, text=True, check=False)
    assert profiled.stdout.endswith("in 8 file(s), 12 resource(s)\n")
    assert profile.stat().st_size > 0


def test_which_copy_of_a_duplicate_is_first_does_not_depend_on_the_order_of_the_paths(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n")
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    outputs = {
        CliRunner().invoke(cli, ["lint", "--select", "HL004", *order]).stdout for order in ([a, b], [b, a])
    }
    [output] = outputs
    assert output.startswith(f"{b}:4:9: error HL004 duplicate-resource: ConfigMap/same")


def test_the_format_choices_of_lint_are_the_report_registry() -> None:
    from hooklint.cli.lint import lint
    from hooklint.report import FORMATS

    [option] = [param for param in lint.params if param.name == "formats"]
    assert tuple(option.type.choices) == FORMATS  # type: ignore[attr-defined]
