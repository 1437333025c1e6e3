"""helm, kustomize, kubectl and git as a pull request would turn them: flags in names, files outside the
repository, remote bases, `# Source:` lines that point away, children that outlive a timeout, and the
environment the tools inherit."""

from __future__ import annotations

import os
import sys
import time

import pytest

from hooklint.sources.input import RenderOptions
from hooklint.sources.load import load
from tests.security.harness import Sandbox, processes

CHART_YAML = "apiVersion: v2\nname: shop\nversion: 0.1.0\n"
TEMPLATE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
RENDERED = "---\n# Source: shop/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n"
HL003 = "error HL003 unrendered-template"


def chart(box: Sandbox, helm: str, release: str | None = None, value_files: str | None = None) -> None:
    """A chart `shop/` and the Application `apps/shop.yaml` that renders it with these Helm settings."""
    box.write("shop/Chart.yaml", CHART_YAML)
    box.write("shop/templates/cm.yaml", TEMPLATE)
    settings = ""
    if release is not None:
        settings += f"      releaseName: {release}\n"
    if value_files is not None:
        settings += f"      valueFiles:\n{value_files}"
    box.write(
        "apps/shop.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n"
        "  destination: {namespace: shop}\n  source:\n    path: shop\n    helm:\n" + settings,
    )
    box.tool("helm", stdout=helm)


def lint(box: Sandbox, *args: str) -> tuple[int, list[str], str]:
    result = box.run(["lint", "--jobs", "1", "--select", "HL0", *args])
    box.confined(result)
    return result.code, [line for line in result.stdout.splitlines()[:-1] if line], result.stderr


# 1. The release name ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "release",
    ['"--post-renderer=bash"', '"--set-file=k=/etc/passwd"', "Shop_Prod", "a" * 54, '"-shop"'],
    ids=["post-renderer", "set-file", "uppercase", "too-long", "leading-dash"],
)
def test_a_release_name_helm_refuses_is_hl003_at_the_field_and_helm_never_runs(
    box: Sandbox, release: str
) -> None:
    chart(box, RENDERED, release=release)
    code, lines, _ = lint(box, "--app", "apps/shop.yaml", "shop")
    name = release.strip('"')
    assert box.argv("helm") == []
    assert (code, lines) == (
        1,
        [
            f"apps/shop.yaml:10:20: {HL003}: spec.source.helm.releaseName {name!r} is not a release name "
            "helm accepts (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, "
            "at most 53 characters): Argo CD cannot render the chart, and hooklint does not render it"
        ],
    )


@pytest.mark.parametrize("name", ["a" * 54, "shop_prod"], ids=["too-long", "underscore"])
def test_an_application_name_helm_refuses_as_release_is_hl003_at_the_name_and_helm_never_runs(
    box: Sandbox, name: str
) -> None:
    chart(box, RENDERED)
    shop = box.root / "apps" / "shop.yaml"
    shop.write_text(shop.read_text().replace("name: shop\n", f"name: {name}\n", 1))
    code, lines, _ = lint(box, "--app", "apps/shop.yaml", "shop")
    assert box.argv("helm") == []
    assert (code, lines) == (
        1,
        [
            f"apps/shop.yaml:4:9: {HL003}: metadata.name {name!r}, the release name Argo CD gives helm without "
            "helm.releaseName, is not a release name helm accepts (lowercase letters, digits, '-' and '.', "
            "starting and ending with a letter or digit, at most 53 characters): Argo CD cannot render the "
            "chart, and hooklint does not render it"
        ],
    )


def test_the_release_and_chart_come_after_the_end_of_options(box: Sandbox) -> None:
    chart(box, RENDERED, release="shop.v2-prod")
    code, lines, stderr = lint(box, "--app", "apps/shop.yaml", "shop")
    assert (code, lines, stderr) == (0, [], "")
    assert box.argv("helm") == [
        [
            "template",
            "--include-crds",
            "--skip-schema-validation",
            "--namespace",
            "shop",
            "--",
            "shop.v2-prod",
            str(box.root / "shop"),
        ]
    ]


def test_a_release_in_one_of_several_sources_is_placed_at_that_source(box: Sandbox) -> None:
    chart(box, RENDERED)
    box.write(
        "apps/shop.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n  sources:\n"
        "    - {repoURL: https://git.example.com/values.git, ref: values}\n"
        "    - path: shop\n      helm:\n        releaseName: --set-file=k=/etc/passwd\n",
    )
    code, lines, _ = lint(box, "--app", "apps/shop.yaml", "shop")
    assert box.argv("helm") == []
    assert (code, lines[0].split(": ", 2)[:2]) == (1, ["apps/shop.yaml:10:22", HL003])
    assert "spec.sources[1].helm.releaseName '--set-file=k=/etc/passwd'" in lines[0]


# 2. Value files -----------------------------------------------------------------------------------------

OUTSIDE = "lies outside the repository: Argo CD refuses it, and hooklint does not render the chart"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("../../outside/secret.txt", OUTSIDE),
        ("{outside}/secret.txt", OUTSIDE),
        ("link.yaml", OUTSIDE),
        (
            "https://example.com/values.yaml",
            "is a URL: hooklint fetches nothing, so it does not render the chart",
        ),
        ("file:///etc/passwd", "is a URL: hooklint fetches nothing, so it does not render the chart"),
    ],
    ids=["dot-dot", "absolute", "link-out", "https", "file-url"],
)
def test_a_value_file_outside_the_repository_or_remote_is_hl003_and_never_reaches_helm(
    box: Sandbox, entry: str, why: str
) -> None:
    entry = entry.format(outside=box.outside)
    chart(box, RENDERED, value_files=f"        - values-prod.yaml\n        - {entry}\n")
    box.write("shop/values-prod.yaml", "replicas: 2\n")
    (box.root / "shop" / "link.yaml").symlink_to(box.outside / "secret.txt")
    code, lines, _ = lint(box, "--app", "apps/shop.yaml", "shop")
    assert box.argv("helm") == []
    assert (code, lines) == (
        1,
        [f"apps/shop.yaml:12:11: {HL003}: spec.source.helm.valueFiles[1] {entry!r} {why}"],
    )


def test_value_files_inside_the_repository_reach_helm_resolved(box: Sandbox) -> None:
    chart(box, RENDERED, value_files="        - ../env/prod.yaml\n        - link.yaml\n")
    box.write("env/prod.yaml", "replicas: 2\n")
    (box.root / "shop" / "link.yaml").symlink_to(box.root / "env" / "prod.yaml")
    code, lines, _ = lint(box, "--app", "apps/shop.yaml", "shop")
    assert (code, lines) == (0, [])
    prod = os.path.realpath(box.root / "env" / "prod.yaml")
    assert box.argv("helm")[0][5:9] == ["--values", prod, "--values", prod]


# 3. Kustomize: remote entries and entries outside the repository -----------------------------------------

REMOTE = "is remote, and hooklint fetches nothing"
BASE = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\n"
NOTHING = "hooklint: nothing was checked: no manifest could be read from prod\n"


@pytest.mark.parametrize(
    ("kustomization", "said"),
    [
        ("resources:\n- https://example.com/all.yaml\n", "resources entry 'https://example.com/all.yaml' " + REMOTE),
        ("resources:\n- github.com/acme/deploy\n", "resources entry 'github.com/acme/deploy' " + REMOTE),
        ("resources:\n- git@github.com:acme/deploy.git\n", "resources entry 'git@github.com:acme/deploy.git' " + REMOTE),
        ("resources:\n- file:///srv/other-repo\n", "resources entry 'file:///srv/other-repo' " + REMOTE),
        ("resources:\n- ssh://git.example.com/deploy\n", "resources entry 'ssh://git.example.com/deploy' " + REMOTE),
        ("resources:\n- ../base?ref=main\n", "resources entry '../base?ref=main' " + REMOTE),
        ("bases:\n- gh:acme/deploy\n", "bases entry 'gh:acme/deploy' " + REMOTE),
        ("components:\n- https://example.com/c\n", "components entry 'https://example.com/c' " + REMOTE),
        ("generators:\n- https://example.com/g.yaml\n", "generators entry 'https://example.com/g.yaml' " + REMOTE),
        ("transformers:\n- github.com/a/b/t.yaml\n", "transformers entry 'github.com/a/b/t.yaml' " + REMOTE),
        ("validators:\n- https://example.com/v.yaml\n", "validators entry 'https://example.com/v.yaml' " + REMOTE),
        ("crds:\n- https://example.com/crd.yaml\n", "crds entry 'https://example.com/crd.yaml' " + REMOTE),
        ("openapi:\n  path: https://example.com/schema.json\n", "openapi entry 'https://example.com/schema.json' " + REMOTE),
        ("patches:\n- path: https://example.com/p.yaml\n", "patches entry 'https://example.com/p.yaml' " + REMOTE),
        (
            "helmCharts:\n- {name: redis, repo: charts.example.com}\n",
            "helmCharts repo entry 'charts.example.com' " + REMOTE,
        ),
        ("resources:\n- ../../outside\n", "resources entry '../../outside' lies outside the repository"),
        (
            "configMapGenerator:\n- {name: x, files: [k=../../outside/secret.txt]}\n",
            "configMapGenerator entry '../../outside/secret.txt' lies outside the repository",
        ),
    ],
    ids=[
        "https", "github", "scp", "file", "ssh", "ref", "gh", "components", "generators", "transformers",
        "validators", "crds", "openapi", "patches", "helm-repo", "outside", "generator-file",
    ],
)  # fmt: skip
def test_a_kustomization_that_reaches_beyond_the_repository_is_not_built(
    box: Sandbox, kustomization: str, said: str
) -> None:
    box.write("prod/kustomization.yaml", kustomization)
    box.write("prod/cm.yaml", BASE)
    code, lines, stderr = lint(box, "prod")
    assert box.argv("kustomize") == [] and box.argv("git") == []
    assert stderr == (
        f"hooklint: prod is not built: prod/kustomization.yaml's {said}; its files are linted as they are\n"
    )
    assert (code, lines) == (0, [])


def test_a_remote_entry_in_a_local_base_stops_the_build_too(box: Sandbox) -> None:
    box.write("prod/kustomization.yaml", "resources:\n- ../base\n")
    box.write("base/kustomization.yaml", "resources:\n- cm.yaml\n- https://example.com/all.yaml\n")
    box.write("base/cm.yaml", BASE)
    code, _, stderr = lint(box, "prod")
    # Nothing beside the kustomization in prod: nothing could be checked.
    assert (code, box.argv("kustomize")) == (2, [])
    assert stderr == (
        "hooklint: prod is not built: base/kustomization.yaml's resources entry 'https://example.com/all.yaml' "
        f"{REMOTE}; its files are linted as they are\n" + NOTHING
    )


def test_a_base_linked_to_a_folder_outside_is_not_read(box: Sandbox) -> None:
    (box.outside / "kustomization.yaml").write_text("resources: [secret.txt]\n")
    (box.root / "base").symlink_to(box.outside)
    box.write("prod/kustomization.yaml", "resources:\n- ../base\n")
    code, _, stderr = lint(box, "prod")
    assert (code, box.argv("kustomize")) == (2, [])
    assert stderr == (
        "hooklint: prod is not built: prod/kustomization.yaml's resources entry '../base' lies outside the "
        "repository; its files are linted as they are\n" + NOTHING
    )


KUSTOMIZATION = "prod/kustomization.yaml"
PATCH_TRANSFORMER = (
    "apiVersion: builtin\nkind: PatchTransformer\nmetadata: {name: p}\npath: https://example.com/p.yaml\n"
)


# kustomize decodes its kustomization as JSON into a Go type: a key matches its field whatever its case, the last
# of two equal keys wins, an unknown tag is dropped. Each of these was built, and kustomize fetched the URL.
@pytest.mark.parametrize(
    ("kustomization", "said"),
    [
        ("Resources:\n- https://example.com/all.yaml\n", KUSTOMIZATION + " has the key 'Resources' at line 1, which kustomize reads as 'resources'"),
        ("RESOURCES:\n- github.com/acme/deploy\n", KUSTOMIZATION + " has the key 'RESOURCES' at line 1, which kustomize reads as 'resources'"),
        ("re\u017fources:\n- https://example.com/all.yaml\n", KUSTOMIZATION + " has the key 're\u017fources' at line 1, which kustomize reads as 'resources'"),
        ("patches:\n- Path: https://example.com/p.yaml\n", KUSTOMIZATION + " has the key 'Path' in patches at line 2, which kustomize reads as 'path'"),
        ("resourcez:\n- cm.yaml\n", KUSTOMIZATION + " has the key 'resourcez' at line 1, which hooklint does not know"),
        ("resources: !x\n- https://example.com/all.yaml\n", KUSTOMIZATION + " uses the tag '!x' at line 1, which hooklint does not read"),
        (
            "resources:\n- !!binary aHR0cHM6Ly9leGFtcGxlLmNvbS9hbGwueWFtbA==\n",
            KUSTOMIZATION + " uses the tag 'tag:yaml.org,2002:binary' at line 2, which hooklint does not read",
        ),
        ("resources:\n- cm.yaml\nresources:\n- https://example.com/all.yaml\n", KUSTOMIZATION + " has the key 'resources' twice, at lines 1 and 3"),
        ("<<: {resources: [https://example.com/all.yaml]}\n", KUSTOMIZATION + " merges a mapping at line 1, which hooklint does not read"),
        ("resources: [cm.yaml]\n---\nresources: [https://example.com/all.yaml]\n", KUSTOMIZATION + " holds more than one YAML document"),
        ("resources: https://example.com/all.yaml\n", KUSTOMIZATION + " has a resources field that is no list"),
        ("resources:\n- {url: https://example.com/all.yaml}\n", KUSTOMIZATION + " has a resources entry that is no string"),
        (
            "transformers:\n- |\n" + "".join("  " + line + "\n" for line in PATCH_TRANSFORMER.splitlines()),
            KUSTOMIZATION + "'s inline transformers entry names 'https://example.com/p.yaml', which is remote, and hooklint fetches nothing",
        ),
        (
            "transformers:\n- t.yaml\n",
            "prod/t.yaml, a transformers entry of prod/kustomization.yaml, names 'https://example.com/p.yaml', which is remote, and hooklint fetches nothing",
        ),
    ],
    ids=[
        "capital", "upper-case", "long-s", "nested-key", "unknown-key", "unknown-tag", "binary", "duplicate-key",
        "merge-key", "two-documents", "string", "mapping-entry", "inline-plugin", "plugin-file",
    ],
)  # fmt: skip
def test_a_kustomization_hooklint_cannot_read_as_kustomize_does_is_not_built(
    box: Sandbox, kustomization: str, said: str
) -> None:
    box.write("prod/kustomization.yaml", kustomization)
    box.write("prod/cm.yaml", BASE)
    box.write("prod/t.yaml", PATCH_TRANSFORMER)
    code, lines, stderr = lint(box, "prod")
    assert box.argv("kustomize") == [] and box.argv("git") == []
    assert stderr == f"hooklint: prod is not built: {said}; its files are linted as they are\n"
    assert (code, lines) == (0, [])


# kustomize fails on these too ("invalid Kustomization", "kustomization.yaml is empty"), so Argo CD cannot
# build the application: an HL001 at the place, as for a failed build, and kustomize never runs.
@pytest.mark.parametrize(
    ("kustomization", "where", "said"),
    [
        ("resources: [cm.yaml\n", "2:1", "is not valid YAML (did not find expected ',' or ']' at line 2)"),
        ("- https://example.com/all.yaml\n", "1:1", "holds no YAML mapping"),
        ("", "1:1", "is empty"),
    ],
    ids=["broken", "sequence", "empty"],
)
def test_a_kustomization_kustomize_cannot_read_either_is_a_finding_at_its_place(
    box: Sandbox, kustomization: str, where: str, said: str
) -> None:
    box.write("prod/kustomization.yaml", kustomization)
    box.write("prod/cm.yaml", BASE)
    code, lines, stderr = lint(box, "prod")
    assert box.argv("kustomize") == [] and box.argv("git") == []
    assert (code, lines, stderr) == (
        1,
        [
            f"{KUSTOMIZATION}:{where}: error HL001 invalid-yaml: {KUSTOMIZATION} {said}: kustomize cannot build prod"
        ],
        "",
    )
    # Argo CD generates no manifests for it: no plan of the plain files beside it.
    explained = box.run(["explain", "prod"])
    box.confined(explained)
    assert (explained.code, explained.stdout, explained.stderr) == (
        2,
        "",
        f"{KUSTOMIZATION}:{where}: {KUSTOMIZATION} {said}: kustomize cannot build prod\n"
        "hooklint: no sync plan: prod could not be rendered, and Argo CD syncs nothing of an application whose "
        "manifests it cannot generate\n",
    )


def test_a_remote_in_a_plugin_configuration_of_a_generators_folder_stops_the_build(box: Sandbox) -> None:
    box.write("prod/kustomization.yaml", "resources:\n- cm.yaml\ngenerators:\n- gen\n")
    box.write("prod/cm.yaml", BASE)
    box.write("prod/gen/kustomization.yaml", "resources:\n- g.yaml\n")
    box.write(
        "prod/gen/g.yaml",
        "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata: {name: g}\nfiles: [https://example.com/x]\n",
    )
    code, lines, stderr = lint(box, "prod")
    assert box.argv("kustomize") == []
    assert stderr == (
        "hooklint: prod is not built: prod/gen/g.yaml, a resources entry of prod/gen/kustomization.yaml, names "
        "'https://example.com/x', which is remote, and hooklint fetches nothing; its files are linted as they are\n"
    )
    assert (code, lines) == (0, [])


def test_a_kustomization_with_every_field_spelled_as_kustomize_spells_it_is_built(box: Sandbox) -> None:
    box.write(
        "prod/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata: {name: prod}\n"
        "namespace: shop\ncommonLabels: {App: a, app: b}\nresources: [cm.yaml]\ntransformers: [t.yaml]\n"
        "patches:\n- path: patch.yaml\n  target: {kind: ConfigMap}\n"
        "configMapGenerator:\n- name: settings\n  files: [k=cm.yaml]\n  options: {disableNameSuffixHash: true}\n",
    )
    box.write("prod/cm.yaml", BASE)
    box.write("prod/patch.yaml", BASE)
    box.write("prod/t.yaml", PATCH_TRANSFORMER.replace("https://example.com/p.yaml", "patch.yaml"))
    box.tool("kustomize", stdout=BASE)
    code, lines, stderr = lint(box, "prod")
    assert (code, lines, stderr) == (0, [], "")
    assert box.argv("kustomize") == [["build", "--", str(box.root / "prod")]]


def test_a_local_kustomization_is_built(box: Sandbox) -> None:
    box.write("prod/kustomization.yaml", "resources:\n- ../base\npatches:\n- path: patch.yaml\n")
    box.write("prod/patch.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base}\n")
    box.write("base/kustomization.yaml", "resources:\n- cm.yaml\n")
    box.write("base/cm.yaml", BASE)
    box.tool("kustomize", stdout=BASE)
    code, lines, stderr = lint(box, "prod")
    assert (code, lines, stderr) == (0, [], "")
    assert box.argv("kustomize") == [["build", "--", str(box.root / "prod")]]


# 4. Folder names are never options or remotes ------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", ["--output=pwned.txt", "github.com/acme/deploy"], ids=["flag", "remote-form"]
)
def test_a_folder_name_reaches_kustomize_as_an_absolute_path(box: Sandbox, folder: str) -> None:
    box.write(f"{folder}/kustomization.yaml", "resources:\n- cm.yaml\n")
    box.write(f"{folder}/cm.yaml", BASE)
    box.tool("kustomize", stdout=BASE)
    code, _, stderr = lint(box, "--", folder)
    assert (code, stderr) == (0, "")
    assert box.argv("kustomize") == [["build", "--", str(box.root / folder)]]


def test_a_folder_name_reaches_kubectl_as_an_absolute_path(box: Sandbox) -> None:
    (box.bin / "kustomize").unlink()
    box.write("--output=pwned.txt/kustomization.yaml", "resources:\n- cm.yaml\n")
    box.write("--output=pwned.txt/cm.yaml", BASE)
    box.tool("kubectl", stdout=BASE)
    lint(box, "--", "--output=pwned.txt")
    assert box.argv("kubectl") == [["kustomize", "--", str(box.root / "--output=pwned.txt")]]


def test_a_chart_folder_name_reaches_helm_as_an_absolute_path(box: Sandbox) -> None:
    box.write("--output=x/Chart.yaml", CHART_YAML)
    box.write("--output=x/templates/cm.yaml", TEMPLATE)
    box.tool("helm", stdout=RENDERED.replace("shop/", "--output=x/"))
    lint(box, "--", "--output=x")
    assert box.argv("helm") == [
        [
            "template",
            "--include-crds",
            "--skip-schema-validation",
            "--namespace",
            "default",
            "--",
            "output-x",  # the release, named after the folder in a form helm accepts
            str(box.root / "--output=x"),
        ]
    ]


# 5. `# Source:` lines ------------------------------------------------------------------------------------


def test_a_source_line_naming_a_file_outside_the_chart_is_not_followed(box: Sandbox) -> None:
    job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: [migrate\n"
    chart(box, RENDERED + "---\n# Source: shop/../../outside/secret.txt\n" + job)
    result = box.run(["lint", "--jobs", "1", "--select", "HL0", "shop"])
    box.confined(result)
    assert "stolen" not in result.stdout
    assert result.stdout.splitlines()[0] == (
        "shop (helm template):5:1: error HL001 invalid-yaml: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence started at line 4, column 9)"
    )


def test_a_source_line_through_a_link_out_of_the_chart_is_not_followed(box: Sandbox) -> None:
    box.write("shop/templates/placeholder.yaml", "")
    (box.root / "shop" / "crds").mkdir(parents=True)
    (box.root / "shop" / "crds" / "secret.yaml").symlink_to(box.outside / "secret.txt")
    chart(box, "---\n# Source: shop/crds/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n")
    result = box.run(["lint", "--jobs", "1", "--format", "json", "shop"])
    box.confined(result)
    assert "stolen" not in result.stdout


# 11. Process groups and the environment ------------------------------------------------------------------


def test_a_timeout_kills_what_the_tool_started(box: Sandbox) -> None:
    marker = box.root / "grandchild-lived"
    box.write("shop/Chart.yaml", CHART_YAML)
    grandchild = f"import time; time.sleep(1); open({str(marker)!r}, 'w')"
    (box.bin / "helm").write_text(
        f"#!{sys.executable}\n"
        "import os, subprocess, sys, time\n"
        f"with open({str(box.bin / 'helm.session')!r}, 'w') as out:\n"
        "    out.write(str(os.getsid(0) == os.getpid()))\n"
        f"subprocess.Popen([sys.executable, '-c', {grandchild!r}])\n"
        "time.sleep(30)\n"
    )
    (box.bin / "helm").chmod(0o755)
    with box.watch() as events:
        loaded = load(["shop"], render=RenderOptions(timeout=0.3))
    assert [p.message for p in loaded.problems] == ["helm template failed: did not finish within 0.3 s"]
    assert len(processes(events)) == 1
    time.sleep(1.5)
    assert not marker.exists()
    assert (box.bin / "helm.session").read_text() == "True"


SECRETS = {
    "AWS_SECRET_ACCESS_KEY": "x",
    "GOOGLE_APPLICATION_CREDENTIALS": "/x.json",
    "AZURE_CLIENT_SECRET": "x",
    "GITHUB_TOKEN": "ghp_x",
    "KUBECONFIG": "/x",
    "HTTPS_PROXY": "http://proxy:3128",
    "HELM_REPOSITORY_CONFIG": "/home/u/repos.yaml",
    "GIT_ASKPASS": "/x",
}


@pytest.fixture
def hostile_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("LC_"):
            monkeypatch.delenv(name)
    for name, value in {**SECRETS, "LANG": "C.UTF-8", "LC_MESSAGES": "C"}.items():
        monkeypatch.setenv(name, value)


def _nowhere(name: str) -> str:
    return os.path.join(os.devnull, "hooklint", name.lower())


@pytest.mark.usefixtures("hostile_environment")
@pytest.mark.parametrize("tool", ["helm", "kustomize"])
def test_helm_and_kustomize_get_a_minimal_environment(box: Sandbox, tool: str) -> None:
    chart(box, RENDERED)
    box.write("prod/kustomization.yaml", "resources: []\n")
    lint(box, "shop" if tool == "helm" else "prod")
    (call,) = box.calls(tool)
    folders = (
        "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME", "HELM_PLUGINS", "HELM_REPOSITORY_CACHE",
        "KUSTOMIZE_PLUGIN_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
    )  # fmt: skip
    assert call["env"] == {
        "PATH": str(box.bin),
        "HOME": os.environ["HOME"],
        "LANG": "C.UTF-8",
        "LC_MESSAGES": "C",
        "GIT_ALLOW_PROTOCOL": "none",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "HELM_REPOSITORY_CONFIG": os.devnull,
        "HELM_REGISTRY_CONFIG": os.devnull,
        **{name: _nowhere(name) for name in folders},
    }


@pytest.mark.usefixtures("hostile_environment")
def test_git_gets_a_minimal_environment(git_box: Sandbox) -> None:
    git_box.write("app/cm.yaml", BASE)
    result = git_box.run(["lint", "--jobs", "1", "--base", "HEAD", "app"])
    calls = git_box.calls("git")
    assert calls and result.stderr.startswith("hooklint: --base: unknown git revision")
    kept = {
        name for name in os.environ if name in ("HOME", "LANG", "LANGUAGE", "PATH") or name.startswith("LC_")
    }
    offline = {"GIT_ALLOW_PROTOCOL": "none", "GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0"}
    for call in calls:
        env = call["env"]
        assert isinstance(env, dict) and set(env) == kept | set(offline)
        assert {name: env[name] for name in offline} == offline


# The error kustomize or kubectl gives, without its log prefix ------------------------------------------


@pytest.mark.parametrize(
    "stderr",
    [
        "Error: accumulating resources: missing.yaml: no such file\n",
        "E1201 12:00:00.000000   12345 run.go:72] error: accumulating resources: missing.yaml: no such file\n",
        'E1201 12:00:00.000000   12345 run.go:72] "command failed" err="accumulating resources: missing.yaml: '
        'no such file"\n',
        'E1201 12:00:00.000000   12345 run.go:72] "command failed" err=<\n'
        "\taccumulating resources: missing.yaml: no such file\n >\n",
    ],
    ids=["kustomize", "kubectl-error", "kubectl-quoted", "kubectl-block"],
)
def test_a_failed_build_shows_the_tools_message_without_its_log_prefix(box: Sandbox, stderr: str) -> None:
    (box.bin / "kustomize").unlink()
    box.tool("kubectl", stderr=stderr, code=1)
    box.write("prod/kustomization.yaml", "resources:\n- missing.yaml\n")
    box.write("prod/cm.yaml", BASE)  # read as it is: the run checked something
    code, lines, _ = lint(box, "prod")
    assert (code, lines) == (
        1,
        [
            "prod/kustomization.yaml:1:1: error HL001 invalid-yaml: kubectl kustomize failed: "
            "accumulating resources: missing.yaml: no such file"
        ],
    )


def test_a_failed_build_names_files_relative_to_the_current_folder(box: Sandbox) -> None:
    box.tool("kustomize", stderr=f"Error: lstat {box.root}/prod/missing.yaml: no such file\n", code=1)
    box.write("prod/kustomization.yaml", "resources:\n- missing.yaml\n")
    box.write("prod/cm.yaml", BASE)
    _, lines, _ = lint(box, "prod")
    assert lines == [
        "prod/kustomization.yaml:1:1: error HL001 invalid-yaml: kustomize build failed: lstat "
        "prod/missing.yaml: no such file"
    ]
