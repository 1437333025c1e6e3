"""--applications: a repository of many applications, each planned and linted on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.sources.partition import Part, split

CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shared
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
"""
HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shared
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for app, wave in (("a", 1), ("b", 2)):
        (tmp_path / "apps" / app).mkdir(parents=True)
        (tmp_path / "apps" / app / "config.yaml").write_text(CONFIG.format(wave=wave))
    (tmp_path / "apps" / "a" / "hook.yaml").write_text(HOOK)
    (tmp_path / "loose.yaml").write_text(CONFIG.format(wave=0).replace("settings", "loose"))
    return tmp_path


def findings(args: list[str]) -> list[tuple[str, str]]:
    result = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--select", "HL004", "--select", "HL101", *args]
    )
    return [
        (f["rule"], f["file"].rsplit("/", 2)[-2] + "/" + f["file"].rsplit("/", 1)[-1])
        for f in json.loads(result.stdout)["findings"]
    ]


def test_roots_are_split_out_and_the_rest_is_one_more_part(repo: Path) -> None:
    roots = str(repo / "apps" / "a"), str(repo / "apps" / "b")
    # The rest is the repository read as given, without entering the roots: the loader walks it.
    assert split([str(repo)], ["apps/*"], Settings()) == [
        Part((roots[0],)),
        Part((roots[1],)),
        Part((str(repo),), frozenset(roots)),
    ]
    assert split([roots[0], str(repo / "loose.yaml")], ["apps/*"], Settings()) == [
        Part((roots[0], str(repo / "loose.yaml")), frozenset())
    ]


def test_applications_are_not_compared_with_each_other(repo: Path) -> None:
    # As one application, the two apps' ConfigMaps in the same namespace look like a duplicate.
    both = [str(repo / "apps" / "a" / "config.yaml"), str(repo / "apps" / "b" / "config.yaml")]
    assert findings(both) == [("HL004", "b/config.yaml")]
    assert findings(["--applications", "apps/*", str(repo)]) == [("HL101", "a/hook.yaml")]
    # With no configuration each folder of plain manifests is an application, as Argo CD deploys it.
    assert findings([str(repo)]) == [("HL101", "a/hook.yaml")]


def test_source_lines_come_back_from_the_workers_for_the_reports_that_print_them(repo: Path) -> None:
    out = repo / "report.json"
    args = ["lint", "--applications", "apps/*", "--select", "HL101", "--jobs", "2"]
    both = CliRunner().invoke(
        cli, [*args, "--format", "json", "--output", str(out), "--format", "text", str(repo)]
    )
    assert "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n" in both.stdout
    assert [f["rule"] for f in json.loads(out.read_text())["findings"]] == ["HL101"]
    junit = CliRunner().invoke(cli, [*args, "--format", "junit", str(repo)])
    # Without source lines the texts stay home, but every file linted is still listed.
    assert junit.stdout.count("<testcase ") == 4


def test_jobs_do_not_change_the_output(repo: Path) -> None:
    one = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--applications", "apps/*", "--jobs", "1", str(repo)]
    )
    two = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--applications", "apps/*", "--jobs", "2", str(repo)]
    )
    assert (one.exit_code, one.stdout) == (two.exit_code, two.stdout)
    assert json.loads(one.stdout)["summary"] == {
        "files": 4,
        "resources": 4,
        "error": 1,
        "warning": 2,
        "info": 0,
    }


def test_a_config_suppression_used_by_one_application_is_not_unused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".git").mkdir()
    (repo / ".hooklint.yaml").write_text(
        "applications: ['apps/*']\nselect: [HL101, HL000]\nsuppress:\n  - rules: [HL101]\n    name: migrate\n    reason: legacy\n"
        "  - rules: [HL101]\n    name: nothing-matches\n    reason: stale\n"
    )
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "."])
    found = [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("HL000", f"{repo}/.hooklint.yaml", 7)]


@pytest.fixture
def monorepo(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository as pre-commit sees it: the configuration names the roots, files come relative."""
    (repo / ".git").mkdir()
    (repo / ".hooklint.yaml").write_text("applications: ['apps/*']\nselect: [HL004, HL101]\n")
    monkeypatch.chdir(repo)
    return repo


def affected(*changed: str) -> tuple[int, list[tuple[str, str]], int]:
    """Exit code, (rule, file) findings and the number of files read for `lint --affected CHANGED`."""
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "--affected", *changed])
    report = json.loads(result.stdout)
    return (
        result.exit_code,
        [(f["rule"], f["file"]) for f in report["findings"]],
        report["summary"]["files"],
    )


def parts(changed: list[str], paths: list[str] | None = None) -> list[tuple[str, ...]]:
    """The paths of each part `changed` touches; the rest (".") never enters the roots."""
    from hooklint.sources.partition import touched

    found = touched(changed, paths or ["."], ["apps/*"], Settings())
    assert all(p.prune in (frozenset(), {"apps/a", "apps/b"}) for p in found)
    return [p.paths for p in found]


def test_affected_lints_each_root_holding_a_changed_file_whole(monorepo: Path) -> None:
    # config.yaml changed; the hook beside it is linted too, as the root is linted whole.
    assert affected("apps/a/config.yaml") == (1, [("HL101", "apps/a/hook.yaml")], 2)
    assert parts(["apps/a/config.yaml", "apps/b/config.yaml", "apps/a/hook.yaml"]) == [
        ("apps/a",),
        ("apps/b",),
    ]


def test_affected_lints_only_the_files_outside_every_root_for_a_change_there(monorepo: Path) -> None:
    assert affected("loose.yaml") == (0, [], 1)
    assert parts(["loose.yaml"]) == [(".",)]


def test_a_deleted_file_still_touches_its_root(monorepo: Path) -> None:
    assert parts(["apps/b/gone.yaml"]) == [("apps/b",)]
    assert parts(["apps/c/gone.yaml"]) == []  # the whole application is gone: nothing left to lint


def test_changes_that_linting_never_reads_touch_nothing(monorepo: Path) -> None:
    (monorepo / ".github").mkdir()
    (monorepo / ".github" / "ci.yaml").write_text("on: push\n")
    (monorepo / "elsewhere").mkdir()
    (monorepo / "apps" / "linked").symlink_to(monorepo / "apps" / "a")
    assert parts([".github/ci.yaml", "README.md", "apps/linked/hook.yaml"]) == []
    assert parts(["apps/a/hook.yaml", "elsewhere/x.yaml"], ["apps"]) == [("apps/a",)]
    assert affected(".github/ci.yaml") == (0, [], 0)


def test_a_changed_folder_touches_the_roots_in_it_and_around_it(monorepo: Path) -> None:
    assert parts(["apps"]) == [("apps/a",), ("apps/b",), (".",)]
    assert parts(["apps/a"]) == [("apps/a",)]
    (monorepo / "apps" / "a" / "extra").mkdir()
    assert parts(["apps/a/extra"]) == [("apps/a",)]
    assert parts(["."]) == [("apps/a",), ("apps/b",), (".",)]


def test_roots_follow_the_configured_paths_and_the_configuration_folder(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (monorepo / "deploy" / "apps" / "c").mkdir(parents=True)
    (monorepo / "deploy" / "apps" / "c" / "hook.yaml").write_text(HOOK)
    (monorepo / ".hooklint.yaml").write_text("paths: [deploy]\napplications: ['apps/*']\nselect: [HL101]\n")
    # Configured paths are read from the configuration's folder, wherever hooklint runs.
    monkeypatch.chdir(monorepo / "deploy")
    result = CliRunner().invoke(cli, ["lint", "--affected", "apps/c/hook.yaml"])
    assert (result.exit_code, result.stderr, result.stdout.splitlines()[-1]) == (
        1,
        "",
        "1 finding(s) (1 error, 0 warning, 0 info) in 1 file(s), 1 resource(s)",
    )
    assert result.stdout.startswith("apps/c/hook.yaml:8:44: error HL101 ")
    monkeypatch.chdir(monorepo)
    assert affected("deploy/apps/c/hook.yaml", "apps/a/hook.yaml") == (
        1,
        [("HL101", "deploy/apps/c/hook.yaml")],
        1,
    )


def test_affected_takes_changed_files_not_standard_input(repo: Path) -> None:
    runner = CliRunner()
    for command in ("lint", "fix"):
        for args in (["--affected", "-"], ["--affected", "--applications", "apps/*", "-"]):
            result = runner.invoke(cli, [command, *args])
            assert (result.exit_code, result.output.splitlines()[-1]) == (
                2,
                "Error: --affected takes changed files, not standard input",
            )


def test_fix_affected_fixes_only_the_applications_holding_a_changed_file(monorepo: Path) -> None:
    (monorepo / "apps" / "b" / "hook.yaml").write_text(HOOK)
    result = CliRunner().invoke(cli, ["fix", "--affected", "apps/b/config.yaml"])
    assert (result.exit_code, result.stderr) == (
        0,
        "hooklint: fixed 1 finding(s) in 1 file(s) (HL101 ×1); 0 remain\n",
    )
    assert "BeforeHookCreation" in (monorepo / "apps" / "b" / "hook.yaml").read_text()
    assert (monorepo / "apps" / "a" / "hook.yaml").read_text() == HOOK
    result = CliRunner().invoke(
        cli, ["lint", "--fix", "--format", "json", "--affected", "apps/a/config.yaml"]
    )
    assert (result.exit_code, json.loads(result.stdout)["summary"]["files"]) == (0, 2)
    assert "BeforeHookCreation" in (monorepo / "apps" / "a" / "hook.yaml").read_text()


def test_lint_fix_fixes_and_reports_each_application_apart(repo: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "lint",
            "--fix",
            "--format",
            "json",
            "--select",
            "HL004",
            "--select",
            "HL101",
            "--applications",
            "apps/*",
            str(repo),
        ],
    )
    # HL101's fix is applied in app a; as one application, the two apps' ConfigMaps (one namespace, one
    # name) would still be reported as a duplicate: apart, nothing remains.
    assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, [])
    assert (
        "hook-delete-policy: BeforeHookCreation,HookSucceeded"
        in (repo / "apps" / "a" / "hook.yaml").read_text()
    )
    assert "fixed 1 finding(s) in 1 file(s) (HL101 ×1); 0 remain" in result.stderr


def test_fix_takes_the_applications_from_the_configuration(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".git").mkdir()
    (repo / ".hooklint.yaml").write_text("applications: ['apps/*']\nselect: [HL004, HL101]\n")
    monkeypatch.chdir(repo)
    diff = CliRunner().invoke(cli, ["fix", "--diff", "."])
    assert diff.exit_code == 1  # something to fix
    assert diff.stdout.startswith("--- a/apps/a/hook.yaml\n+++ b/apps/a/hook.yaml\n")
    assert "would fix 1 finding(s) in 1 file(s) (HL101 ×1); 0 remain" in diff.stderr
    assert CliRunner().invoke(cli, ["fix", "."]).exit_code == 0
    assert CliRunner().invoke(cli, ["lint", "."]).exit_code == 0


def test_a_chart_outside_every_root_is_reported_as_without_roots(repo: Path) -> None:
    chart = repo / "charts" / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (chart / "templates" / "job.yaml").write_text("{{- if .Values.migrate }}\n" + HOOK + "{{- end }}\n")

    def chart_findings(*args: str) -> list[tuple[str, str]]:
        result = CliRunner().invoke(cli, ["lint", "--format", "json", "--select", "HL003", *args, str(repo)])
        return [(f["rule"], f["file"]) for f in json.loads(result.stdout)["findings"]]

    assert chart_findings("--applications", "apps/*") == [("HL003", f"{chart}/Chart.yaml")]
    # With no configuration the chart is an application of its own, rendered (or read) as one.
    assert chart_findings("--applications", "apps/*", "--applications", "charts/*") == []
    assert chart_findings() == []


def test_reports_of_applications_linted_apart_list_every_file_read(repo: Path) -> None:
    def junit(*args: str) -> str:
        result = CliRunner().invoke(cli, ["lint", "--format", "junit", "--select", "HL101", *args, str(repo)])
        return result.stdout

    # A passing case per clean file, as when the repository is one application.
    assert junit("--applications", "apps/*") == junit()
    assert junit().count("<testcase") == 4


def test_explain_says_when_its_plan_mixes_the_configurations_applications(monorepo: Path) -> None:
    # The plain plan shows each application's; a question is asked of one plan.
    shown = CliRunner().invoke(cli, ["explain", "."])
    assert (shown.exit_code, shown.stderr) == (0, "")
    assert [line for line in shown.stdout.splitlines() if line.startswith("Application")] == [
        "Application apps/a",
        "Application apps/b",
        "Application .",  # the files outside every root
    ]
    result = CliRunner().invoke(cli, ["explain", "--timeline", "."])
    assert result.exit_code == 0
    assert result.stderr == (
        "hooklint: the input holds 2 applications (apps/a, apps/b); this plan syncs them as one. "
        "Give one application's folder for its own plan.\n"
    )
    assert CliRunner().invoke(cli, ["explain", "apps/a"]).stderr == ""


def test_an_application_outside_the_roots_deploys_the_root_its_source_names(monorepo: Path) -> None:
    (monorepo / "apps" / "a" / "job.yaml").write_text(
        HOOK.replace("migrate", "seed").replace("  namespace: shared\n", "")
    )
    (monorepo / "argocd").mkdir()
    (monorepo / "argocd" / "a.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  namespace: argocd\n"
        "spec:\n  destination: {namespace: team-a}\n  source: {repoURL: 'https://git.example/r', path: apps/a}\n"
    )

    def namespaces(*args: str) -> list[tuple[str, str]]:
        result = CliRunner().invoke(cli, ["lint", "--format", "json", *args])
        return [(f["file"], f["resource"]["namespace"]) for f in json.loads(result.stdout)["findings"]]

    # The Job that names no namespace goes to the Application's destination, as Argo CD sends it.
    expected = [("apps/a/hook.yaml", "shared"), ("apps/a/job.yaml", "team-a")]
    assert namespaces(".") == expected
    assert namespaces("--affected", "apps/a/job.yaml") == expected
    assert namespaces("apps/a") == expected  # the root given alone
    plan = CliRunner().invoke(cli, ["explain", "--format", "json", "apps/a"]).stdout
    assert json.loads(plan)["namespace"] == "team-a"
    (monorepo / "argocd" / "a.yaml").unlink()
    assert namespaces(".") == [("apps/a/hook.yaml", "shared"), ("apps/a/job.yaml", "default")]


def test_the_longest_source_path_that_names_a_folder_deploys_it(tmp_path: Path) -> None:
    from hooklint.argocd import application
    from hooklint.manifests.parse import load_text

    shop, cart = tmp_path / "apps" / "shop", tmp_path / "apps" / "cart"
    shop.mkdir(parents=True)
    text = "".join(
        f"---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n"
        f"spec:\n  source: {{path: {path}}}\n"
        for name, path in (
            ("short", "shop"),
            ("long", "apps/shop"),
            ("again", "/apps/shop/"),
            ("c", "apps/cart"),
        )
    )
    resources = load_text("apps.yaml", text).resources
    found = application.deployers(
        [application.read(r) for r in resources], [str(shop), str(cart), str(tmp_path)]
    )
    assert {folder: app.name for folder, app in found.items()} == {str(shop): "long", str(cart): "c"}
    # One rule for one application and for a repository of them.
    chosen = application.choose(resources, [str(shop)])
    assert chosen is not None and chosen.name == "long"


def test_app_takes_the_application_that_deploys_the_input_folder_from_a_file_of_several(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "apps" / "b").mkdir(parents=True)
    (tmp_path / "apps" / "b" / "config.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
    )
    apps = "---\n".join(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n"
        f"  name: {name}\nspec:\n  source:\n    path: apps/{name}\n  destination:\n    namespace: {name}-ns\n"
        for name in ("a", "b")
    )
    (tmp_path / "apps.yaml").write_text(apps)
    monkeypatch.chdir(tmp_path)
    # The file's first Application deploys apps/a: --app takes the one naming the input folder.
    result = CliRunner().invoke(cli, ["explain", "--format", "json", "--app", "apps.yaml", "apps/b"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert (plan["namespace"], plan["steps"][0]["tasks"][0]["namespace"]) == ("b-ns", "b-ns")


def test_an_application_file_given_beside_folders_deploys_the_folder_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for app in ("shop", "cart"):
        (tmp_path / "apps" / app).mkdir(parents=True)
        (tmp_path / "apps" / app / "job.yaml").write_text(HOOK.replace("  namespace: shared\n", ""))
    (tmp_path / "argocd").mkdir()
    (tmp_path / "argocd" / "shop.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\n  namespace: argocd\n"
        "spec:\n  destination: {namespace: shop-ns}\n  source: {repoURL: 'https://git.example/r', path: apps/shop}\n"
    )
    monkeypatch.chdir(tmp_path)

    def namespaces(*paths: str) -> list[tuple[str, str]]:
        result = CliRunner().invoke(cli, ["lint", "--format", "json", "--select", "HL101", *paths])
        return [(f["file"], f["resource"]["namespace"]) for f in json.loads(result.stdout)["findings"]]

    # As Argo CD sends it, and as a walk of the whole repository finds it: the Application's destination.
    expected = [("apps/cart/job.yaml", "default"), ("apps/shop/job.yaml", "shop-ns")]
    assert namespaces(".") == expected
    assert namespaces("apps/cart", "apps/shop", "argocd/shop.yaml") == expected
    explained = CliRunner().invoke(cli, ["explain", "apps/shop", "apps/cart", "argocd/shop.yaml"]).stdout
    assert [line for line in explained.splitlines() if line.startswith(("Application ", "Sync plan"))] == [
        "Application shop (apps/shop)",
        "Sync plan: 1 step(s), 1 task(s), destination namespace shop-ns (single step: nothing waits for health)",
        "Application apps/cart",
        "Sync plan: 1 step(s), 1 task(s), destination namespace default (single step: nothing waits for health)",
        "Application argocd/shop.yaml",
        "Sync plan: 1 step(s), 1 task(s), destination namespace default (single step: nothing waits for health)",
    ]
