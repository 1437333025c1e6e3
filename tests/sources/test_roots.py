"""A repository with no configuration: its application roots found as Argo CD sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.sources.partition import applications
from hooklint.sources.roots import Root, discover, go_path_match
from tests.sources.test_partition import CONFIG, HOOK

APPS = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: shop
spec:
  destination: {namespace: shop}
  source: {repoURL: https://example.com/repo.git, path: teams/shop}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: everything
spec:
  destination: {namespace: all}
  source: {repoURL: https://example.com/repo.git, path: deep, directory: {recurse: true}}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: services
spec:
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://example.com/repo.git
              revision: HEAD
              directories:
                - path: services/*
                - path: services/legacy
                  exclude: true
          - list: {elements: [{cluster: one}]}
  template:
    metadata: {name: "{{path.basename}}"}
    spec:
      source: {repoURL: https://example.com/repo.git, path: "{{path}}"}
      destination: {namespace: "{{path.basename}}"}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "argocd/apps.yaml": APPS,
            "teams/shop/config.yaml": CONFIG.format(wave=1),
            "teams/shop/jobs/hook.yaml": HOOK,  # not deployed by shop, which does not recurse
            "deep/config.yaml": CONFIG.format(wave=2),
            "deep/more/hook.yaml": HOOK,  # deployed by `everything`, which recurses
            "services/api/config.yaml": CONFIG.format(wave=3),
            "services/legacy/config.yaml": CONFIG.format(wave=4),
            "services/empty/README.md": "no manifests\n",
            "overlays/prod/kustomization.yaml": "resources:\n  - ../../base\n",
            "base/kustomization.yaml": "resources:\n  - hook.yaml\n",
            "base/hook.yaml": HOOK,
            "base/patches/replicas.yaml": "spec:\n  replicas: 2\n",
            "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
            "charts/web/templates/job.yaml": CONFIG.format(wave=6).replace("settings", "web"),
            "charts/web/templates/sub/cm.yaml": CONFIG.format(wave=5),
            ".github/workflows/ci.yaml": "on: push\njobs: {}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_roots_come_from_applications_then_kustomizations_and_charts_then_plain_folders(repo: Path) -> None:
    roots, apps = discover(".", Settings())
    assert roots == [
        Root("argocd"),
        Root("charts/web"),  # its templates are the chart's
        Root("deep"),  # recurse: true, so deep/more is its own
        Root("overlays/prod"),  # base is what it builds: no root of its own
        Root("services/api"),  # the ApplicationSet's git directories, legacy excluded
        Root("services/legacy"),  # excluded from the ApplicationSet, yet a folder of manifests
        Root("teams/shop", frozenset({"teams/shop/jobs"})),  # a directory source reads no subfolder
        Root("teams/shop/jobs"),
    ]
    assert [app.name for app in apps] == ["shop", "everything"]


def test_a_folder_selected_that_holds_no_manifest_is_no_root(repo: Path) -> None:
    (repo / "services" / "empty" / "nested").mkdir()
    (repo / "services" / "empty" / "nested" / "cm.yaml").write_text(CONFIG.format(wave=6))
    roots, _ = discover(".", Settings())
    assert [root.folder for root in roots if root.folder.startswith("services/empty")] == [
        "services/empty/nested"
    ]


def test_a_root_nested_in_a_recursing_root_is_pruned_from_it(repo: Path) -> None:
    (repo / "argocd" / "more.yaml").write_text(
        APPS.split("---")[0].replace("teams/shop", "deep/more").replace("name: shop", "name: more")
    )
    roots, _ = discover(".", Settings())
    assert Root("deep", frozenset({"deep/more"})) in roots
    assert Root("deep/more") in roots


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("apps/*", "apps/shop", True),
        ("apps/*", "apps/shop/jobs", False),
        ("*", "apps", True),
        ("apps/s?op", "apps/shop", True),
        ("apps/[a-r]*", "apps/shop", False),
        ("apps/[^a-r]*", "apps/shop", True),
        ("apps/**", "apps/shop/jobs", False),
    ],
    ids=["star", "star-one-level", "top", "question", "class", "negated-class", "no-double-star"],
)
def test_directory_globs_match_as_go_path_match_does(pattern: str, name: str, matches: bool) -> None:
    assert go_path_match(pattern, name) is matches


def lint(*args: str) -> list[tuple[str, str, int]]:
    result = CliRunner().invoke(
        cli, ["lint", "--format", "json", "--select", "HL004", "--select", "HL101", *args]
    )
    assert result.exit_code in (0, 1), result.output
    return [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_each_root_is_linted_on_its_own(repo: Path) -> None:
    # As one application (--app names the Application of the whole input), the ConfigMaps and the hooks
    # that share a name are HL004 duplicates.
    assert ("HL004", "services/api/config.yaml", 4) in lint("--app", "argocd/apps.yaml", ".")
    assert lint(".") == [
        ("HL101", "base/hook.yaml", 8),
        ("HL101", "deep/more/hook.yaml", 8),
        ("HL101", "teams/shop/jobs/hook.yaml", 8),
    ]


def test_configured_application_roots_win(repo: Path) -> None:
    (repo / ".hooklint.yaml").write_text("applications: ['teams/*']\n")
    # teams/shop is one application, its jobs folder included; the rest is one more.
    found = lint(".")
    assert ("HL004", "services/legacy/config.yaml", 4) in found
    assert ("HL101", "teams/shop/jobs/hook.yaml", 8) in found


def test_an_application_deploying_a_root_gives_it_its_destination(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["explain", "--format", "json", "."])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert [(a["name"], a["path"]) for a in shown["applications"]] == [
        ("argocd", "argocd"),
        ("charts/web", "charts/web"),
        ("everything", "deep"),
        ("overlays/prod", "overlays/prod"),
        ("services/api", "services/api"),
        ("services/legacy", "services/legacy"),
        ("shop", "teams/shop"),
        ("teams/shop/jobs", "teams/shop/jobs"),
    ]
    plans = {a["name"]: a["plan"] for a in shown["applications"]}
    assert plans["shop"]["namespace"] == "shop"
    assert plans["everything"]["namespace"] == "all"


def touched(*changed: str) -> list[tuple[tuple[str, ...], str | None]]:
    parts = applications(list(changed), (), Settings(), affected=True)
    assert parts is not None
    return [(part.paths, part.app.resource.name if part.app else None) for part in parts]


def test_affected_without_configuration_lints_each_found_root_holding_a_change_whole(repo: Path) -> None:
    # deep recurses: its hook in a subfolder is linted with the changed file beside it.
    assert lint("--affected", "deep/config.yaml") == [("HL101", "deep/more/hook.yaml", 8)]
    assert touched("deep/config.yaml") == [(("deep",), "everything")]
    # shop does not recurse: its jobs folder is a root of its own, untouched by a change in shop.
    assert touched("teams/shop/config.yaml") == [(("teams/shop",), "shop")]
    assert lint("--affected", "teams/shop/config.yaml") == []
    assert touched("teams/shop/jobs/hook.yaml", "services/api/gone.yaml") == [
        (("services/api",), None),  # generated by the ApplicationSet, which gives no settings
        (("teams/shop/jobs",), None),
    ]


def test_affected_without_configuration_takes_folders_and_skips_what_no_walk_reads(repo: Path) -> None:
    assert touched("teams") == [(("teams/shop",), "shop"), (("teams/shop/jobs",), None)]
    assert touched(".github/workflows/ci.yaml", "README.md", "elsewhere/x.yaml") == []
    (repo / "linked").symlink_to(repo / "deep")
    assert touched("linked/config.yaml") == []
    result = CliRunner().invoke(cli, ["lint", "--affected", ".github/workflows/ci.yaml"])
    assert (result.exit_code, result.stdout) == (
        0,
        "0 finding(s) (0 error, 0 warning, 0 info) in 0 file(s), 0 resource(s)\n",
    )


def test_other_tools_yaml_in_a_repository_is_left_out_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  web: {image: nginx}\n",
            "mkdocs.yml": "site_name: Docs\n",
            ".pre-commit-config.yaml": "repos: []\n",
            ".github/workflows/ci.yml": "on: push\n",
            "deploy/cm.yaml": CONFIG.format(wave=1),
            "deploy/broken.yaml": "kind: Job\nmetadata: {name: j}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", "-v", "--format", "json", "."])
    assert [(f["rule"], f["file"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [
        ("HL002", "deploy/broken.yaml", 1)
    ]
    assert [line for line in result.stderr.splitlines() if "not a Kubernetes object" in line] == [
        "hooklint: left out docker-compose.yml:1: a YAML document with no apiVersion, kind, metadata or spec: "
        "not a Kubernetes object",
        "hooklint: left out mkdocs.yml:1: a YAML document with no apiVersion, kind, metadata or spec: "
        "not a Kubernetes object",
    ]


GENERATED = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: teams
spec:
  generators:
    - list:
        elements:
          - {team: billing}
          - {team: search, values: {tier: gold}}
  template:
    metadata: {name: "{{team}}"}
    spec:
      source: {repoURL: https://example.com/repo.git, path: "teams/{{ team }}", directory: {recurse: true}}
      destination: {namespace: "{{team}}"}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: platform
spec:
  goTemplate: true
  generators:
    - clusters:
        values: {stack: edge, name: "{{name}}"}
    - list:
        elements:
          - {stack: {folder: core}}
  template:
    metadata: {name: "platform-{{.name}}"}
    spec:
      sources:
        - {repoURL: https://example.com/repo.git, path: "platform/{{.values.stack}}", directory: {recurse: true}}
        - {repoURL: https://example.com/repo.git, path: "platform/{{ .stack.folder }}", directory: {recurse: true}}
      destination: {namespace: platform}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: services
spec:
  generators:
    - git:
        repoURL: https://example.com/repo.git
        revision: HEAD
        files:
          - path: "config/**/app.json"
          - path: "config/retired/app.json"
            exclude: true
  template:
    metadata: {name: "{{path.basename}}"}
    spec:
      source: {repoURL: https://example.com/repo.git, path: "services/{{service.folder}}", directory: {recurse: true}}
      destination: {namespace: "{{path.basename}}"}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: unknowable
spec:
  generators:
    - clusters: {}
  template:
    metadata: {name: "{{name}}"}
    spec:
      source: {repoURL: https://example.com/repo.git, path: "clusters/{{name}}", directory: {recurse: true}}
      destination: {namespace: x}
"""


def test_application_sets_list_cluster_and_git_files_generators_name_their_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {"argocd/appsets.yaml": GENERATED}
    # Each generated source recurses, so a subfolder of a folder it names is no root of its own.
    for folder in (
        "teams/billing",
        "teams/search",
        "teams/other",
        "platform/edge",
        "platform/core",
        "services/payments",
        "services/legacy",
        "clusters/prod",
    ):
        files[f"{folder}/config.yaml"] = CONFIG.format(wave=1)
        files[f"{folder}/sub/config.yaml"] = CONFIG.format(wave=2)
    files["config/eu/payments/app.json"] = json.dumps({"service": {"folder": "payments"}})
    files["config/retired/app.json"] = json.dumps({"service": {"folder": "legacy"}})
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    roots, _ = discover(".", Settings())
    recursing = {"teams/billing", "teams/search", "platform/edge", "platform/core", "services/payments"}
    assert [root.folder for root in roots] == sorted(
        [
            "argocd",
            *recursing,
            *(
                f"{folder}{sub}"
                for folder in ("teams/other", "services/legacy", "clusters/prod")
                for sub in ("", "/sub")
            ),
        ]
    )
    # A list element whose field is no string fails the whole generator in Argo CD: it names nothing.
    write(
        tmp_path, {"argocd/appsets.yaml": GENERATED.replace("{team: billing}", "{team: billing, count: 2}")}
    )
    roots, _ = discover(".", Settings())
    assert "teams/billing/sub" in [root.folder for root in roots]
