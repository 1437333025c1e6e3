from __future__ import annotations

import os
from pathlib import Path

import pytest

from hooklint.config import file as configfile
from hooklint.config.settings import ConfigError, Settings, glob_match
from hooklint.model import Severity
from hooklint.rules import ALL_RULES
from tests.helpers import NAMED_HOOK_ANNOTATIONS, container, invoke, job, write

HOOK = job(
    "migrate", NAMED_HOOK_ANNOTATIONS, containers=container("migrate", "registry.example.com/migrate:1.0.0")
)


def load_error(tmp_path: Path, text: str, name: str = ".hooklint.yaml") -> str:
    write(tmp_path, {name: text})
    with pytest.raises(ConfigError) as raised:
        configfile.load(str(tmp_path / name), ALL_RULES)
    return str(raised.value).replace(str(tmp_path) + "/", "")


def test_config_is_found_from_a_subfolder_upwards_and_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "outer/.hooklint.yaml": "fail-on: info\n",
            "outer/repo/.git/HEAD": "",
            "outer/repo/apps/x/a.yaml": "",
        },
    )
    assert configfile.find(str(tmp_path / "outer/repo/apps/x")) is None
    write(tmp_path, {"outer/repo/.hooklint.yml": "fail-on: info\n"})
    assert configfile.find(str(tmp_path / "outer/repo/apps/x")) == str(tmp_path / "outer/repo/.hooklint.yml")


def test_pyproject_counts_only_with_a_tool_hooklint_table(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "", "pyproject.toml": "[tool.ruff]\nline-length = 100\n"})
    assert configfile.find(str(tmp_path)) is None
    write(tmp_path, {"pyproject.toml": '[tool.hooklint]\nfail-on = "warning"\nnamespace = "shop"\n'})
    settings = configfile.load(str(tmp_path / "pyproject.toml"), ALL_RULES)
    assert (settings.fail_on, settings.namespace) == (Severity.WARNING, "shop")


def test_every_key_is_read() -> None:
    text = """\
paths: [apps]
exclude: ["vendor/**"]
select: [HL1]
extend-select: [HL206]
ignore: [HL111]
severity: {HL104: error}
options: {HL103: {max: 3}}
per-path:
  "apps/legacy/**": {ignore: [HL101], severity: {HL102: info}}
fail-on: warning
argocd-version: v2.14.1
namespace: shop
require-reason: true
inline-suppressions: false
suppress:
  - rules: [HL301]
    kind: Job
    path: "charts/vendor/**"
    reason: vendored chart
"""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".hooklint.yaml"
        path.write_text(text)
        s = configfile.load(str(path), ALL_RULES)
    assert (s.paths, s.exclude, s.select, s.extend_select, s.ignore) == (
        (os.path.relpath(Path(folder) / "apps"),),  # from the configuration's folder, as reached from here
        ("vendor/**",),
        ("HL1",),
        ("HL206",),
        ("HL111",),
    )
    assert (dict(s.severity), dict(s.options), s.fail_on) == (
        {"HL104": Severity.ERROR},
        {"HL103": {"max": 3}},
        Severity.WARNING,
    )
    assert (s.argocd_version, s.namespace, s.require_reason, s.inline_suppressions) == (
        "2.14.1",
        "shop",
        True,
        False,
    )
    assert [(o.pattern, o.ignore, dict(o.severity)) for o in s.per_path] == [
        ("apps/legacy/**", ("HL101",), {"HL102": Severity.INFO})
    ]
    assert [(e.rules, e.kind, e.path, e.reason, e.line) for e in s.suppress] == [
        (("HL301",), "Job", "charts/vendor/**", "vendored chart", 16)
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "fail-on: warning\nselct: [HL1]\n",
            ".hooklint.yaml:2: unknown key 'selct' (did you mean 'select'?)",
        ),
        ("fail-on: fatal\n", ".hooklint.yaml:1: fail-on: 'fatal' is not one of 'error', 'warning', 'info'"),
        ("ignore: [HL999]\n", ".hooklint.yaml:1: unknown rule 'HL999'"),
        (
            "select:\n  - HL101\n  - named-hook-without-before-hook-creaton\n",
            ".hooklint.yaml:3: unknown rule 'named-hook-without-before-hook-creaton' (did you mean 'named-hook-without-before-hook-creation'?)",
        ),
        ("options:\n  HL999: {max: 1}\n", ".hooklint.yaml:2: unknown rule 'HL999' in options"),
        (
            "argocd-version: latest\n",
            ".hooklint.yaml:1: argocd-version: 'latest' does not have the form ^v?[0-9]+(\\.[0-9]+){0,2}$",
        ),
        (
            "per-path:\n  'a/**': {ignre: [HL1]}\n",
            ".hooklint.yaml:2: unknown key 'ignre' (did you mean 'ignore'?)",
        ),
        ("- just a list\n", ".hooklint.yaml:1: the configuration must be a mapping"),
        ("namespace: ''\n", ".hooklint.yaml:1: namespace: must not be empty"),
        ("options:\n  HL103: {max: -1}\n", ".hooklint.yaml:2: options.HL103.max: -1 is less than 0"),
        ("select: HL101\n", ".hooklint.yaml:1: select: 'HL101' is not a list"),
        ("suppress:\n  - {reason: x}\n", ".hooklint.yaml:2: suppress.0: 'rules' is required"),
    ],
    ids=[
        "typo-key",
        "bad-enum",
        "unknown-rule",
        "misspelled-name",
        "unknown-options-rule",
        "bad-version",
        "per-path-typo",
        "not-mapping",
        "empty-string",
        "below-minimum",
        "not-a-list",
        "missing-required",
    ],
)
def test_invalid_config_names_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    assert load_error(tmp_path, text) == message


def test_rule_options_are_validated_against_the_rules_schema(tmp_path: Path) -> None:
    assert (
        load_error(tmp_path, "options:\n  HL103:\n    max: lots\n")
        == ".hooklint.yaml:3: options.HL103.max: 'lots' is not a whole number"
    )
    assert (
        load_error(tmp_path, "options:\n  HL103:\n    maxx: 3\n")
        == ".hooklint.yaml:3: unknown rule options 'maxx' (did you mean 'max'?)"
    )


def test_toml_errors_point_at_the_key_line(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool.hooklint]\nfail-on = "warning"\nselct = ["HL1"]\n'
    assert (
        load_error(tmp_path, text, "pyproject.toml")
        == "pyproject.toml:6: unknown key 'selct' (did you mean 'select'?)"
    )


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        ("apps/**", "apps/a/b.yaml", True),
        ("apps/**", "apps/b.yaml", True),
        ("**/vendor/*.yaml", "x/y/vendor/a.yaml", True),
        ("**/vendor/*.yaml", "vendor/a.yaml", True),
        ("apps/*.yaml", "apps/a/b.yaml", False),
        ("apps/?.yaml", "apps/a.yaml", True),
        ("charts", "charts2/a.yaml", False),
    ],
)
def test_globs(pattern: str, path: str, matched: bool) -> None:
    assert glob_match(pattern, path) is matched


def test_cli_uses_the_found_config_and_command_line_overrides_it(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            ".hooklint.yaml": "paths: [apps]\nselect: [HL101]\n",
            "apps/job.yaml": HOOK,
            "other/job.yaml": HOOK,
        },
    )
    code, out, _ = invoke(["lint", "--format", "json"], cwd=tmp_path)
    assert code == 1
    assert '"file": "apps/job.yaml"' in out and "other/" not in out
    code, out, _ = invoke(["lint", "--ignore", "HL101", "apps"], cwd=tmp_path)
    assert (code, out) == (0, "0 finding(s) (0 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)\n")


def test_per_path_ignore_and_severity(tmp_path: Path) -> None:
    config = "select: [HL101]\nper-path:\n  'legacy/**': {ignore: [HL101]}\n  'soft/**': {severity: {HL101: info}}\n"
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            ".hooklint.yaml": config,
            **{
                f"{name}/job.yaml": HOOK.replace("name: migrate", f"name: {name}")
                for name in ("legacy", "soft", "main")
            },
        },
    )
    code, out, _ = invoke(["lint", "--format", "json", "."], cwd=tmp_path)
    import json

    found = [(f["file"], f["severity"]) for f in json.loads(out)["findings"]]
    assert (code, found) == (1, [("main/job.yaml", "error"), ("soft/job.yaml", "info")])


def test_exclude_leaves_files_out(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".git/HEAD": "",
            ".hooklint.yaml": "select: [HL101]\nexclude: [vendor]\n",
            "vendor/job.yaml": HOOK,
            "apps/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
        },
    )
    code, out, err = invoke(["lint", "-v", "."], cwd=tmp_path)
    assert (code, out) == (0, "0 finding(s) (0 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)\n")
    assert "hooklint: left out vendor/job.yaml: excluded by the configuration" in err


def test_invalid_config_is_exit_2(tmp_path: Path) -> None:
    write(tmp_path, {".git/HEAD": "", ".hooklint.yaml": "fail_on: error\n"})
    code, out, err = invoke(["lint", "."], cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == f"hooklint: {tmp_path}/.hooklint.yaml:1: unknown key 'fail_on' (did you mean 'fail-on'?)\n"


def test_default_settings_select_rules_on_by_default() -> None:
    active = {rule.id for rule in Settings().active(ALL_RULES)}
    assert "HL101" in active and all(rule.id in active for rule in ALL_RULES if rule.enabled_by_default)
    assert not any(rule.id in active for rule in ALL_RULES if not rule.enabled_by_default)
