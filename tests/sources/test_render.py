"""Chart and kustomization folders rendered by helm and kustomize, here fake executables on PATH that print a
fixed rendering, and the objects placed back at their templates and files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.model import Span
from hooklint.sources.input import LoadResult, RenderOptions
from hooklint.sources.load import load
from tests.helpers import ROOT, write

CHART = "fixtures/chart"
# What `helm template chart fixtures/chart` prints for the fixture chart (helm 3 output, hooks last).
RENDERED_CHART = """---
# Source: shop/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: chart-config
  labels:
    app.kubernetes.io/name: shop
    app.kubernetes.io/instance: chart
data:
  LOG_LEVEL: "info"
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: chart-api
  labels:
    app.kubernetes.io/name: shop
    app.kubernetes.io/instance: chart
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: shop
  template:
    metadata:
      labels:
        app.kubernetes.io/name: shop
        app.kubernetes.io/instance: chart
    spec:
      containers:
        - name: api
          image: "registry.example.com/shop/api:1.4.2"
          envFrom:
            - configMapRef:
                name: chart-config
          resources:
            requests: {cpu: 100m, memory: 128Mi}
---
# Source: shop/templates/migrate-job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: chart-migrate
  labels:
    app.kubernetes.io/name: shop
    app.kubernetes.io/instance: chart
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "registry.example.com/shop/api:1.4.2"
          args:
            - ./migrate
            - up
            - "--verbose"
          env:
            - name: LOCK_TIMEOUT
              value: "30"
          resources:
            requests: {cpu: 100m, memory: 128Mi}
"""


class Tools:
    """Fake executables in a folder that is the whole PATH: each logs its arguments and prints what it is
    told to. So the tests depend neither on a real helm nor on the kubectl this machine may have."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, name: str, stdout: str = "", stderr: str = "", code: int = 0, sleep: float = 0) -> None:
        script = self.folder / name
        log = self.folder / f"{name}.log"
        script.write_text(
            f"#!{sys.executable}\n"
            "import json, sys, time\n"
            f"with open({str(log)!r}, 'a') as log:\n"
            "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
            f"time.sleep({sleep})\n"
            f"sys.stdout.write({stdout!r})\n"
            f"sys.stderr.write({stderr!r})\n"
            f"sys.exit({code})\n"
        )
        script.chmod(0o755)

    def calls(self, name: str) -> list[list[str]]:
        log = self.folder / f"{name}.log"
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def tools(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Tools:
    folder = tmp_path_factory.mktemp("bin")
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.chdir(ROOT)
    return Tools(folder)


def located(loaded: LoadResult) -> list[tuple[str, str, int, int]]:
    return [(r.ident, r.path, r.span.line, r.span.column) for r in loaded.resources]


def test_chart_is_rendered_by_helm_and_its_objects_stand_at_their_templates(tools: Tools) -> None:
    tools.add("helm", RENDERED_CHART)
    loaded = load([CHART], render=RenderOptions(("values-prod.yaml",), "shop"))
    assert tools.calls("helm") == [
        [
            "template",
            "--include-crds",
            "--skip-schema-validation",
            "--namespace",
            "shop",
            "--values",
            str(ROOT / "values-prod.yaml"),
            "--",
            "chart",
            str(ROOT / CHART),
        ]
    ]
    assert located(loaded) == [
        ("ConfigMap/chart-config", f"{CHART}/templates/configmap.yaml", 1, 1),
        ("Deployment/chart-api", f"{CHART}/templates/deployment.yaml", 1, 1),
        ("Job/chart-migrate", f"{CHART}/templates/migrate-job.yaml", 1, 1),
    ]
    job = loaded.resources[2]
    spec = ("spec", "template", "spec", "containers", 0)
    assert [
        (path[-1], job.span_at(path).line, job.span_at(path).column)
        for path in [
            (*spec, "image"),
            (*spec, "args", 2),
            (*spec, "env", 0, "value"),
            ("metadata", "labels", "app.kubernetes.io/name"),
            ("metadata", "annotations", "argocd.argoproj.io/hook"),
        ]
    ] == [
        ("image", 18, 18),
        (2, 23, 15),
        ("value", 26, 13),
        ("app.kubernetes.io/name", 6, 5),
        ("argocd.argoproj.io/hook", 8, 30),
    ]
    assert loaded.notes == ()
    assert loaded.files == (
        f"{CHART}/templates/_helpers.tpl",
        f"{CHART}/templates/configmap.yaml",
        f"{CHART}/templates/deployment.yaml",
        f"{CHART}/templates/migrate-job.yaml",
    )


def test_rendered_findings_and_static_ones_share_the_templates_without_doubles(tools: Tools) -> None:
    tools.add("helm", RENDERED_CHART)
    found = lint(load([CHART]), Settings())
    # One finding per hook: the rendered object's, not a second one from reading the template.
    assert [(f.span.path, f.span.line, f.span.column, f.rule, f.message[:60]) for f in found] == [
        (
            f"{CHART}/templates/migrate-job.yaml",
            26,
            13,
            "HL109",
            "Job/chart-migrate (PreSync wave 0) sets env LOCK_TIMEOUT (co",
        ),
    ]


def test_a_suppression_comment_in_a_template_covers_the_rendered_finding(
    tools: Tools, tmp_path: Path
) -> None:
    chart = tmp_path / "chart"
    for source in (ROOT / CHART).rglob("*"):
        if source.is_file():
            target = chart / source.relative_to(ROOT / CHART)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text())
    job = chart / "templates" / "migrate-job.yaml"
    job.write_text(
        job.read_text().replace(
            "          env:\n",
            "          env:\n            # hooklint: ignore HL109 -- the timeout needs no re-run\n",
        )
    )
    tools.add(
        "helm",
        RENDERED_CHART.replace(
            "          env:\n",
            "          env:\n            # hooklint: ignore HL109 -- the timeout needs no re-run\n",
        ),
    )
    loaded = load([str(chart)])
    # Unsuppressed, the hook has one finding, from its rendered object; the comment covers it, and the
    # template gets no second finding from being read as text.
    assert [(f.span.line, f.rule) for f in lint(loaded, Settings(inline_suppressions=False))] == [
        (27, "HL109")
    ]
    assert lint(loaded, Settings()) == []


def test_values_files_reach_helm_in_order_from_the_command_line(tools: Tools, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("replicas: 1\n")
    second.write_text("replicas: 3\n")
    tools.add("helm", RENDERED_CHART)
    result = CliRunner().invoke(cli, ["explain", "--values", str(first), "--values", str(second), CHART])
    assert result.exit_code == 0
    assert tools.calls("helm")[0][5:9] == ["--values", str(first), "--values", str(second)]
    assert f"Job/chart-migrate  default  {CHART}/templates/migrate-job.yaml:1" in result.stdout


def test_without_helm_one_line_says_so_and_the_templates_are_read(tools: Tools) -> None:
    result = CliRunner().invoke(cli, ["lint", "--select", "HL109", CHART])
    assert result.stderr == (
        f"hooklint: helm is not on PATH, so {CHART} is read without it: template actions are placeholders, "
        "and findings say so\n"
    )
    assert (
        result.stdout.splitlines()[-1]
        == "1 finding(s) (0 error, 1 warning, 0 info) in 4 file(s), 3 resource(s)"
    )


@pytest.mark.parametrize(
    ("stderr", "where"),
    [
        (
            'Error: template: shop/templates/migrate-job.yaml:18:22: executing "shop/templates/migrate-job.yaml" '
            "at <.Values.image.repository>: nil pointer evaluating interface {}.repository\n",
            ("templates/migrate-job.yaml", 18, 22),
        ),
        (
            "Error: parse error at (shop/templates/deployment.yaml:8): unexpected {{end}}\n",
            ("templates/deployment.yaml", 8, 1),
        ),
        ("Error: found in Chart.yaml, but missing in charts/ directory: postgresql\n", ("Chart.yaml", 1, 1)),
        (
            "walk.go:75: found symbolic link in path: /x resolves to /y\nError: chart requires kubeVersion: >=1.30\n",
            ("Chart.yaml", 1, 1),
        ),
    ],
    ids=["executing", "parse", "dependency", "after-a-warning"],
)
def test_helm_failure_is_hl003_at_the_position_its_error_names(
    tools: Tools, stderr: str, where: tuple[str, int, int]
) -> None:
    tools.add("helm", stderr=stderr, code=1)
    loaded = load([CHART])
    assert [(p.rule, p.span.path, p.span.line, p.span.column, p.message) for p in loaded.problems] == [
        (
            "HL003",
            f"{CHART}/{where[0]}",
            where[1],
            where[2],
            "helm template failed: " + stderr.split("Error: ")[1].strip(),
        )
    ]
    assert loaded.resources == ()
    assert len(loaded.charts) == 1


def test_helm_4_execution_error_over_several_lines_is_one_message_at_its_position(tools: Tools) -> None:
    tools.add(
        "helm",
        stderr="Error: shop/templates/migrate-job.yaml:18:22\n"
        '  executing "shop/templates/migrate-job.yaml" at <.Values.image.repository.name>:\n'
        "    can't evaluate field name in type interface {}\n\nUse --debug flag to render out invalid YAML\n",
        code=1,
    )
    assert [(p.rule, p.span.path, p.span.line, p.span.column, p.message) for p in load([CHART]).problems] == [
        (
            "HL003",
            f"{CHART}/templates/migrate-job.yaml",
            18,
            22,
            "helm template failed: shop/templates/migrate-job.yaml:18:22 executing "
            '"shop/templates/migrate-job.yaml" at <.Values.image.repository.name>: '
            "can't evaluate field name in type interface {}",
        )
    ]


def test_helm_that_hangs_is_stopped_by_the_timeout(tools: Tools) -> None:
    tools.add("helm", RENDERED_CHART, sleep=30)
    loaded = load([CHART], render=RenderOptions(timeout=0.5))
    assert [(p.rule, p.span.path, p.message) for p in loaded.problems] == [
        ("HL003", f"{CHART}/Chart.yaml", "helm template failed: did not finish within 0.5 s")
    ]


def test_template_of_a_packaged_subchart_keeps_its_rendered_text(tools: Tools) -> None:
    sub = "---\n# Source: shop/charts/redis/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\n"
    tools.add("helm", RENDERED_CHART + sub)
    loaded = load([CHART])
    path = f"{CHART}/charts/redis/templates/cm.yaml"
    assert located(loaded)[-1] == ("ConfigMap/redis", path, 1, 1)
    assert loaded.texts[path] == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\n"


def test_template_syntax_in_rendered_output_is_data(tools: Tools) -> None:
    alert = '---\n# Source: shop/templates/alert.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alert\ndata:\n  text: "{{ .Values.x }}"\n'
    tools.add("helm", RENDERED_CHART + alert)
    loaded = load([CHART])
    assert [r.ident for r in loaded.resources][-1] == "ConfigMap/alert"
    assert loaded.problems == ()


def test_helm_is_not_run_for_a_chart_met_while_walking(tools: Tools, tmp_path: Path) -> None:
    (tmp_path / "shop" / "templates").mkdir(parents=True)
    (tmp_path / "shop" / "Chart.yaml").write_text("name: shop\n")
    tools.add("helm", RENDERED_CHART)
    loaded = load([str(tmp_path)])
    assert tools.calls("helm") == []
    assert [(p.rule, p.span.path) for p in loaded.problems] == [("HL003", f"{tmp_path}/shop/Chart.yaml")]


BASE = {
    "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - job.yaml\n",
    "base/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          image: shop/api:1.4.2\n"
    ),
    "base/job.yaml": (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n"
        "        - name: migrate\n          image: shop/api:1.4.2\n"
    ),
    "prod/kustomization.yaml": (
        "namePrefix: prod-\nresources:\n  - ../base\n"
        "configMapGenerator:\n  - name: settings\n    literals: [LEVEL=info]\n"
    ),
    "prod/patch.yaml": "spec:\n  replicas: 3\n",
}
BUILT = """apiVersion: v1
data:
  LEVEL: info
kind: ConfigMap
metadata:
  name: prod-settings-5g7h8k2m9t
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    team: shop
  name: prod-api
spec:
  template:
    spec:
      containers:
      - image: shop/api:1.4.2
        name: api
---
apiVersion: batch/v1
kind: Job
metadata:
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
  name: prod-migrate
spec:
  template:
    spec:
      containers:
      - image: shop/api:1.4.2
        name: migrate
      restartPolicy: Never
"""


def test_kustomization_is_built_and_objects_stand_in_the_files_they_came_from(
    tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    tools.add("kustomize", BUILT)
    tools.add("kubectl", "unused")
    loaded = load(["prod"])
    assert tools.calls("kustomize") == [["build", "--", str(tmp_path / "prod")]]
    assert tools.calls("kubectl") == []
    assert located(loaded) == [
        ("ConfigMap/prod-settings-5g7h8k2m9t", "prod/kustomization.yaml", 5, 3),
        ("Deployment/prod-api", "base/deployment.yaml", 1, 1),
        ("Job/prod-migrate", "base/job.yaml", 1, 1),
    ]
    job = loaded.resources[2]
    assert job.span_at(("metadata", "annotations", "argocd.argoproj.io/hook-delete-policy")).line == 7
    deployment = loaded.resources[1]
    # A label a transformer added has no source: it stands where the source's metadata does.
    assert deployment.span_at(("metadata", "labels", "team")) == Span("base/deployment.yaml", 4, 3, 5, 1)
    assert [(f.span.path, f.span.line, f.rule) for f in lint(loaded, Settings(select=("HL101",)))] == [
        ("base/job.yaml", 7, "HL101")
    ]
    assert loaded.files == (
        "base/deployment.yaml",
        "base/job.yaml",
        "prod/kustomization.yaml",
        "base/kustomization.yaml",
    )


def test_kubectl_kustomize_builds_when_kustomize_is_absent(
    tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    tools.add("kubectl", BUILT)
    assert [r.ident for r in load(["prod"]).resources] == [
        "ConfigMap/prod-settings-5g7h8k2m9t",
        "Deployment/prod-api",
        "Job/prod-migrate",
    ]
    assert tools.calls("kubectl") == [["kustomize", "--", str(tmp_path / "prod")]]


def test_without_kustomize_one_line_says_so_and_the_files_are_linted_as_they_are(
    tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", "--select", "HL0", "prod"])
    assert result.stderr == (
        "hooklint: neither kustomize nor kubectl is on PATH, so prod is not built: its files are linted as they are\n"
    )
    assert result.stdout.splitlines()[0] == (
        "prod/patch.yaml:1:1: error HL002 not-a-kubernetes-object: not a Kubernetes object: `apiVersion` is missing"
    )


def test_kustomize_failure_is_hl001_and_the_files_are_linted_as_they_are(
    tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    tools.add(
        "kustomize", stderr="Error: accumulating resources: missing.yaml: no such file or directory\n", code=1
    )
    loaded = load(["prod"])
    assert [(p.rule, p.span.path, p.span.line, p.message) for p in loaded.problems] == [
        (
            "HL001",
            "prod/kustomization.yaml",
            1,
            "kustomize build failed: accumulating resources: missing.yaml: no such file or directory",
        ),
        ("HL002", "prod/patch.yaml", 1, "not a Kubernetes object: `apiVersion` is missing"),
    ]


def test_kustomization_met_while_walking_is_not_built(
    tools: Tools, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, BASE)
    monkeypatch.chdir(tmp_path)
    tools.add("kustomize", BUILT)
    assert [r.ident for r in load(["."]).resources] == ["Deployment/api", "Job/migrate"]
    assert tools.calls("kustomize") == []


def test_the_applications_helm_settings_reach_helm(tools: Tools, tmp_path: Path) -> None:
    app = tmp_path / "app.yaml"
    app.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop-prod\nspec:\n"
        "  destination: {namespace: shop}\n"
        "  source:\n    path: fixtures/chart\n    helm:\n      releaseName: shop\n"
        "      valueFiles: [values-prod.yaml]\n      values: |\n        replicas: 5\n"
        "      parameters:\n        - {name: image.tag, value: 1.5.0}\n        - {name: port, value: '8080', forceString: true}\n"
    )
    tools.add("helm", RENDERED_CHART)
    result = CliRunner().invoke(cli, ["explain", "--app", str(app), CHART])
    assert result.exit_code == 0, result.output
    # Named by --app, the Application is read first, so the chart is rendered once, as it renders it:
    # release, namespace, its values files, inline values, then the parameters that override them.
    (command,) = tools.calls("helm")
    # The inline values reach helm on its standard input; the release and the chart come last, after `--`.
    assert command == [
        "template",
        "--include-crds",
        "--skip-schema-validation",
        "--namespace",
        "shop",
        "--values",
        str(ROOT / CHART / "values-prod.yaml"),
        "--values",
        "-",
        "--set",
        "image.tag=1.5.0",
        "--set-string",
        "port=8080",
        "--",
        "shop",
        str(ROOT / CHART),
    ]


def test_a_chart_folder_given_as_a_path_is_rendered_whatever_application_roots_say(tools: Tools) -> None:
    tools.add("helm", RENDERED_CHART)
    outputs = [
        CliRunner().invoke(cli, ["lint", "--format", "json", *extra, CHART]).stdout
        for extra in ([], ["--applications", "fixtures/*"], ["--applications", "nothing/*"])
    ]
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["summary"]["resources"] > 0
    assert len(tools.calls("helm")) == 3
