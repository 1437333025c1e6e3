from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import invoke, named_hook


def lint(args: list[str]) -> tuple[int, str, str]:
    return invoke(["lint", "--select", "HL101", *args])


def test_baseline_hides_recorded_findings_even_after_lines_move(tmp_path: Path) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(named_hook("old"))
    baseline = tmp_path / "baseline.json"
    code, out, err = lint(["--write-baseline", str(baseline), str(app)])
    assert (code, out, err) == (0, "", f"hooklint: recorded 1 finding(s) in {baseline}\n")
    assert json.loads(baseline.read_text())["findings"] == [
        {
            "rule": "HL101",
            "resource": "batch/Job/default/old",
            "message": "Job/old is a named hook (PreSync wave 0) whose delete policy HookSucceeded lacks "
            "BeforeHookCreation: when an earlier run's object is left behind, the next sync applies over it "
            "and fails on immutable fields or reuses the old result",
        }
    ]
    app.write_text("# a comment\n\n" + named_hook("old") + "---\n" + named_hook("new"))
    code, out, _ = lint(["--format", "json", "--baseline", str(baseline), str(app)])
    assert code == 1
    assert [(f["line"], f["resource"]["name"]) for f in json.loads(out)["findings"]] == [(17, "new")]


def test_stale_entries_are_listed_in_verbose_mode(tmp_path: Path) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(named_hook("old"))
    baseline = tmp_path / "baseline.json"
    lint(["--write-baseline", str(baseline), str(app)])
    app.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    code, _, err = lint(["-v", "--baseline", str(baseline), str(app)])
    assert code == 0
    assert "hooklint: stale baseline entry HL101 batch/Job/default/old: Job/old is a named hook" in err


def test_a_broken_baseline_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text("[]")
    code, _, err = lint(["--baseline", str(bad), "-"])
    assert code == 2
    assert err.startswith(f"hooklint: {bad}: not a hooklint baseline")
