"""Helm chart templates read as text: the values each document uses, and HL109 at the source (no helm needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.config.settings import ConfigSuppression, Settings
from hooklint.engine.run import lint
from hooklint.model import Severity
from hooklint.sources.charts import HOOK, NOT_APPLIED, RESOURCE, TEMPLATED, analyse
from hooklint.sources.load import load
from tests.helpers import CORPUS, ROOT, findings, loaded, write

CHART = ROOT / "fixtures" / "chart"
ONLY_HL109 = Settings(select=("HL109",))  # the chart's other findings come from its static reading
UNSEEN = (
    "changing it alone leaves the application Synced and automated sync does not run the hook. Reference it "
    "from a ConfigMap that is not a hook, so that a change to it is drift"
)


@pytest.fixture(autouse=True)
def no_tools(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No helm, kustomize or kubectl: these tests must not depend on what the machine has installed."""
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-bin")))


def uses(
    files: dict[str, str],
) -> list[tuple[str, str, tuple[str, ...], list[tuple[str, int, int, list[int]]]]]:
    """Per document: its template, kind, phases, and (value, line, column, include lines) per use."""
    chart = analyse("c", {f"c/templates/{name}": text for name, text in files.items()})
    return [
        (
            doc.path.removeprefix("c/templates/"),
            doc.kind,
            doc.phases,
            [(u.value, u.span.line, u.span.column, [v.line for v in u.via]) for u in doc.uses],
        )
        for doc in chart.documents
    ]


HOOK_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      containers:
        - name: migrate
          image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
          env:
            - name: TIMEOUT
              value: {{ .Values.migration.timeout | quote }}
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      containers:
        - name: api
          image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
"""


def test_fixture_chart_reports_the_values_only_its_hook_uses_once_per_hook_template() -> None:
    assert findings(CHART) == [
        (
            "templates/migrate-job.yaml",
            22,
            23,
            "HL109",
            "`.Values.migration.args` and 1 other value(s) (`.Values.migration.lockTimeout`) are used by the "
            "PreSync hook template templates/migrate-job.yaml and by no non-hook template; changing them alone "
            "leaves the application Synced and automated sync does not run the hook. Reference them from a "
            "ConfigMap that is not a hook, so that a change to them is drift",
        ),
    ]


@pytest.mark.parametrize("gate", ["migration.enabled", "migration.run", "runMigrations"])
def test_a_gate_that_turns_the_hook_on_or_off_is_plumbing_and_not_named(tmp_path: Path, gate: str) -> None:
    hook = f"{{{{- if .Values.{gate} }}}}\n" + HOOK_JOB + "{{- end }}\n"
    chart = write(
        tmp_path, {"Chart.yaml": "name: c\n", "templates/job.yaml": hook, "templates/api.yaml": DEPLOYMENT}
    )
    ((path, line, column, rule, message),) = findings(chart, ONLY_HL109)
    assert (path, line, column, rule) == ("templates/job.yaml", 16, 25, "HL109")
    assert message.startswith("`.Values.migration.timeout` is used by the PreSync hook template")
    alone = hook.replace("{{ .Values.migration.timeout | quote }}", '"30s"')
    assert findings(write(tmp_path, {"templates/job.yaml": alone})) == []


def test_value_used_by_a_resource_template_or_an_ancestor_of_it_is_tracked(tmp_path: Path) -> None:
    deployment = DEPLOYMENT + "          env: {{- toYaml .Values.migration | nindent 12 }}\n"
    chart = write(
        tmp_path,
        {"Chart.yaml": "name: c\n", "templates/job.yaml": HOOK_JOB, "templates/api.yaml": deployment},
    )
    assert findings(chart, ONLY_HL109) == []


def test_every_hook_only_value_is_reported_once_with_the_other_hook_uses_related(tmp_path: Path) -> None:
    chart = write(
        tmp_path,
        {
            "Chart.yaml": "name: c\n",
            "templates/a-job.yaml": HOOK_JOB,
            "templates/b-job.yaml": HOOK_JOB.replace("PreSync", "PostSync"),
            "templates/api.yaml": DEPLOYMENT,
        },
    )
    loaded = load([str(chart)])
    (finding,) = lint(loaded, ONLY_HL109)
    assert (finding.span.path, finding.span.line, finding.span.column) == (
        f"{chart}/templates/a-job.yaml",
        15,
        25,
    )
    assert finding.message.startswith(
        "`.Values.migration.timeout` is used by the PreSync hook template templates/a-job.yaml and by no"
    )
    assert [(r.span.path, r.span.line, r.message) for r in finding.related] == [
        (f"{chart}/templates/b-job.yaml", 15, "also used by the hook template templates/b-job.yaml")
    ]


def test_helpers_count_for_every_template_that_includes_them_transitively() -> None:
    helpers = (
        '{{- define "c.env" -}}\n'
        '{{ template "c.inner" . }}\n'
        "{{- end }}\n"
        '{{- define "c.inner" -}}\n'
        "- name: A\n"
        "  value: {{ .Values.a }}\n"
        "{{- end }}\n"
    )
    hook = 'metadata:\n  annotations:\n    helm.sh/hook: pre-upgrade\nenv:\n  {{- include "c.env" . | nindent 2 }}\n'
    assert uses({"_helpers.tpl": helpers, "job.yaml": hook}) == [
        ("job.yaml", HOOK, ("PreSync",), [("a", 6, 13, [5, 2])])
    ]
    chart = {"_helpers.tpl": helpers, "job.yaml": hook, "cm.yaml": 'data: {{ include "c.env" . }}\n'}
    assert [doc[3] for doc in uses(chart)] == [[("a", 6, 13, [1, 2])], [("a", 6, 13, [5, 2])]]


def test_with_range_variables_and_index_resolve_to_value_paths() -> None:
    text = (
        "{{- with .Values.migration }}\n"
        "timeout: {{ .timeout }}\n"
        "opts: {{ toYaml . }}\n"
        "{{- end }}\n"
        "{{- $db := .Values.database }}\n"
        "host: {{ $db.host }}\n"
        "{{- range $name, $port := .Values.ports }}\n"
        "- {{ $name }}: {{ $port.number }}\n"
        "{{- end }}\n"
        'key: {{ index .Values "odd-key" "inner" }}\n'
        "root: {{ $.Values.global.registry }}\n"
        "{{/* .Values.commented */}}\n"
        'text: {{ "}} .Values.quoted" }}\n'
    )
    assert uses({"cm.yaml": text}) == [
        (
            "cm.yaml",
            RESOURCE,
            (),
            [
                ("migration", 1, 10, []),
                ("migration.timeout", 2, 13, []),
                ("database.host", 6, 10, []),
                ("ports", 8, 19, []),
                ("odd-key.inner", 10, 9, []),
                ("global.registry", 11, 10, []),
            ],
        )
    ]


def test_a_helper_given_a_value_reads_its_fields_under_that_value() -> None:
    helpers = '{{- define "c.conn" -}}\nhost: {{ .host }}\nport: {{ .port }}\n{{- end }}\n'
    hook = 'metadata:\n  annotations:\n    argocd.argoproj.io/hook: Sync\n{{ include "c.conn" .Values.db }}\n'
    assert uses({"_helpers.tpl": helpers, "job.yaml": hook}) == [
        ("job.yaml", HOOK, ("Sync",), [("db.host", 2, 10, [4]), ("db.port", 3, 10, [4])])
    ]


@pytest.mark.parametrize(
    ("annotation", "kind", "phases"),
    [
        ("argocd.argoproj.io/hook: PreSync,PostSync", HOOK, ("PreSync", "PostSync")),
        ('"helm.sh/hook": post-install,post-upgrade', HOOK, ("PostSync",)),
        ("helm.sh/hook: post-delete", HOOK, ("PostDelete",)),
        ("argocd.argoproj.io/hook: {{ .Values.hookType }}", HOOK, (TEMPLATED,)),
        ("helm.sh/hook: crd-install", RESOURCE, ()),
        ("helm.sh/hook: test", NOT_APPLIED, ()),
        ("argocd.argoproj.io/hook: Skip", NOT_APPLIED, ()),
        ("argocd.argoproj.io/hook-delete-policy: HookSucceeded", RESOURCE, ()),
        ("# argocd.argoproj.io/hook: PreSync", RESOURCE, ()),
    ],
    ids=["argo", "helm", "delete", "templated", "crd-install", "helm-test", "skip", "policy-only", "comment"],
)
def test_hook_annotations_are_read_as_argo_cd_reads_them(
    annotation: str, kind: str, phases: tuple[str, ...]
) -> None:
    text = f"metadata:\n  annotations:\n    {annotation}\ndata: {{{{ .Values.x }}}}\n"
    (document,) = uses({"t.yaml": text})
    assert document[1:3] == (kind, phases)


def test_documents_of_one_template_are_judged_one_by_one_and_partials_render_nothing() -> None:
    text = "kind: ConfigMap\ndata: {{ .Values.a }}\n---\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\nx: {{ .Values.b }}\n"
    files = {
        "both.yaml": text,
        "_partial.yaml": "kind: ConfigMap\ndata: {{ .Values.c }}\n",
        "NOTES.txt": "{{ .Values.d }}\n",
    }
    assert uses(files) == [
        ("both.yaml", RESOURCE, (), [("a", 2, 10, [])]),
        ("both.yaml", HOOK, ("PreSync",), [("b", 7, 7, [])]),
    ]


def test_only_sync_phase_hooks_are_judged(tmp_path: Path) -> None:
    hook = HOOK_JOB.replace("argocd.argoproj.io/hook: PreSync", "helm.sh/hook: post-delete")
    chart = write(
        tmp_path, {"Chart.yaml": "name: c\n", "templates/job.yaml": hook, "templates/api.yaml": DEPLOYMENT}
    )
    assert findings(chart, ONLY_HL109) == []


def test_chart_met_while_walking_keeps_hl003_and_is_read_for_hl109(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "charts/shop/Chart.yaml": "name: shop\n",
            "charts/shop/templates/job.yaml": HOOK_JOB,
            "charts/shop/templates/api.yaml": DEPLOYMENT,
            "apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
        },
    )
    assert [(path, line, rule) for path, line, _, rule, _ in findings(tmp_path)] == [
        ("charts/shop/Chart.yaml", 1, "HL003"),
        ("charts/shop/templates/job.yaml", 15, "HL109"),
    ]


def test_a_template_file_given_alone_is_still_hl003() -> None:
    loaded = load([str(CHART / "templates" / "migrate-job.yaml")])
    assert [(p.rule, p.span.line, p.span.column) for p in loaded.problems] == [("HL003", 4, 9)]
    assert (loaded.resources, loaded.charts, loaded.notes) == ((), (), ())


def test_comments_in_a_chart_read_without_helm_suppress_as_in_a_rendered_one(tmp_path: Path) -> None:
    hook = "# hooklint: ignore-document HL103,HL104,HL303 -- migrations are quick\n" + HOOK_JOB
    chart = write(
        tmp_path, {"Chart.yaml": "name: c\n", "templates/job.yaml": hook, "templates/api.yaml": DEPLOYMENT}
    )
    assert [rule for _, _, _, rule, _ in findings(chart)] == ["HL109"]


def test_static_findings_follow_selection_severity_and_config_suppression(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {"c/Chart.yaml": "name: c\n", "c/templates/job.yaml": HOOK_JOB, "c/templates/api.yaml": DEPLOYMENT},
    )
    monkeypatch.chdir(tmp_path)
    loaded = load(["c"])
    assert [(f.rule, f.span.path, f.severity) for f in lint(loaded, ONLY_HL109)] == [
        ("HL109", "c/templates/job.yaml", Severity.WARNING)
    ]
    assert lint(loaded, Settings(select=("HL109",), ignore=("HL109",))) == []
    severity = Settings(select=("HL109",), severity={"HL109": Severity.ERROR})
    assert [f.severity for f in lint(loaded, severity)] == [Severity.ERROR]
    rules = ("HL103", "HL104", "HL109", "HL303")
    suppress = (ConfigSuppression(rules=rules, path="c/templates/*.yaml", reason="vendored"),)
    assert lint(loaded, Settings(suppress=suppress)) == []


def test_lint_json_of_a_chart_without_helm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "fixtures/chart"])
    assert result.exit_code == 0
    assert result.stderr == (
        "hooklint: helm is not on PATH, so fixtures/chart is read without it: template actions are placeholders, "
        "and findings say so\n"
    )
    report = json.loads(result.stdout)
    assert [
        (
            f["file"],
            f["line"],
            f["column"],
            f["end_column"],
            f["resource"],
            [(r["file"], r["line"]) for r in f["related"]],
        )
        for f in report["findings"]
    ] == [
        (
            "fixtures/chart/templates/migrate-job.yaml",
            22,
            23,
            45,
            None,
            [("fixtures/chart/templates/_helpers.tpl", 8)],
        ),
    ]
    assert report["summary"] == {"files": 4, "resources": 3, "error": 0, "warning": 1, "info": 0}


HL109_PAGE = ROOT / "rules" / "HL109-drift-blind-hook.md"
CHART_BLOCK = re.compile(r"^```yaml chart-(bad|good) file=(\S+)\n(.*?)^```\s*$", re.M | re.S)


@pytest.mark.parametrize("kind", ["bad", "good"])
def test_rule_page_chart_examples_run(kind: str) -> None:
    files = {
        m.group(2): m.group(3) for m in CHART_BLOCK.finditer(HL109_PAGE.read_text()) if m.group(1) == kind
    }
    assert files, "the page shows a chart example of this kind"
    chart = analyse("chart", {f"chart/{name}": text for name, text in files.items()})
    result = lint(loaded({}, (chart,)), Settings(select=("HL109",)))
    expected = {
        (f"chart/{name}", number)
        for name, text in files.items()
        for number, line in enumerate(text.splitlines(), 1)
        if re.search(r"#\s*expect:\s*HL109", line)
    }
    assert {(f.span.path, f.span.line) for f in result} == expected
    assert (kind == "bad") == bool(expected)


@pytest.mark.parametrize(
    "path",
    sorted((CORPUS / "helm-templates").glob("*.yaml")),
    ids=lambda p: p.name[:60],
)
def test_real_hook_templates_read_as_hooks_without_a_crash(path: Path) -> None:
    chart = analyse("c", {"c/templates/t.yaml": path.read_text()})
    assert any(doc.kind == HOOK for doc in chart.documents)


PLUMBING = ROOT / "fixtures" / "hl109-plumbing"


def test_a_chart_whose_hook_only_values_are_plumbing_has_no_drift_blind_hook() -> None:
    # Its migration hook alone reads the gate, namespace, annotations, ServiceAccount, node architecture,
    # config file path and data folder; the values it applies are copied into a tracked ConfigMap.
    assert findings(PLUMBING, Settings(select=("HL109",))) == []


def test_configuration_beside_plumbing_is_still_reported_at_its_value(tmp_path: Path) -> None:
    job = (PLUMBING / "templates" / "migrate-job.yaml").read_text()
    job = job.replace(
        "            - name: DATA_DIR\n",
        "            - name: LOCK_TIMEOUT\n              value: {{ .Values.migrations.lockTimeout | quote }}\n"
        "            - name: DATA_DIR\n",
    )
    chart = write(tmp_path, {p.name: p.read_text() for p in PLUMBING.iterdir() if p.is_file()})
    write(chart, {f"templates/{p.name}": p.read_text() for p in (PLUMBING / "templates").iterdir()})
    write(chart, {"templates/migrate-job.yaml": job})
    assert findings(chart, Settings(select=("HL109",))) == [
        (
            "templates/migrate-job.yaml",
            32,
            25,
            "HL109",
            "`.Values.migrations.lockTimeout` is used by the PreSync hook template templates/migrate-job.yaml "
            "and by no non-hook template; " + UNSEEN,
        )
    ]


HOOK_HEAD = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
"""
POD_HEAD = """spec:
  template:
    spec:
      restartPolicy: Never
"""
CONTAINER = """      containers:
        - name: migrate
          image: {{ .Values.image.repository }}:{{ .Values.image.tag }}
"""


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(
            HOOK_HEAD.replace("metadata:\n", "metadata:\n  namespace: {{ .Values.ns }}\n")
            + POD_HEAD
            + CONTAINER,
            id="namespace-field",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + "      serviceAccountName: {{ .Values.migrator.account }}\n" + CONTAINER,
            id="service-account-field",
        ),
        pytest.param(
            HOOK_HEAD
            + POD_HEAD
            + "      nodeSelector:\n        kubernetes.io/arch: {{ .Values.cpu }}\n"
            + CONTAINER,
            id="architecture-node-selector",
        ),
        pytest.param(
            HOOK_HEAD
            + POD_HEAD
            + CONTAINER.replace(
                ":{{ .Values.image.tag }}", ":{{ .Values.image.tag }}-{{ .Values.image.arch }}"
            ),
            id="architecture-in-the-tag",
        ),
        pytest.param(
            HOOK_HEAD
            + "    {{- toYaml .Values.migration.extraAnnotations | nindent 4 }}\n"
            + POD_HEAD
            + CONTAINER,
            id="own-annotations",
        ),
        pytest.param(
            HOOK_HEAD
            + POD_HEAD
            + CONTAINER
            + "          args: [--config, {{ .Values.migration.configFile }}]\n",
            id="file-path-by-name",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + CONTAINER + "          volumeMounts:\n            - name: scripts\n"
            "              mountPath: {{ .Values.scripts }}\n",
            id="mount-path-field",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + CONTAINER + "          env:\n            - name: POD_NAMESPACE\n"
            "              value: {{ .Values.target }}\n",
            id="namespace-env",
        ),
        pytest.param(
            "{{- if .Values.jobs.migrate }}\n" + HOOK_HEAD + POD_HEAD + CONTAINER + "{{- end }}\n",
            id="gate-not-named-enabled",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + CONTAINER + "          {{- if .Values.shims.tool }}\n"
            "          args: [--with-tool]\n          {{- end }}\n",
            id="gate-of-a-part-indented",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + CONTAINER + "          env:\n            - name: PULL\n"
            "              value: {{ .Values.migration.imagePullPolicy }}\n",
            id="camel-case-words-run-together",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + CONTAINER + "          env:\n            - name: PASSWORD_FROM\n"
            "              value: {{ .Values.elasticsearchCredentialSecret }}\n",
            id="secret-name",
        ),
        pytest.param(
            '{{- $name := ternary "schema" (printf "schema-%d" .Release.Revision) .Values.schema.hooks }}\n'
            + HOOK_HEAD.replace("{{ .Release.Name }}-migrate", "{{ $name }}")
            + POD_HEAD
            + CONTAINER,
            id="ternary-condition",
        ),
        pytest.param(
            HOOK_HEAD + POD_HEAD + CONTAINER.replace(".Values.image.", ".Values.crds.image."),
            id="own-tool-image",
        ),
    ],
)
def test_plumbing_a_hook_alone_reads_is_not_reported(tmp_path: Path, template: str) -> None:
    chart = write(
        tmp_path,
        {"Chart.yaml": "name: c\n", "templates/job.yaml": template, "templates/api.yaml": DEPLOYMENT},
    )
    assert findings(chart, Settings(select=("HL109",))) == []


def test_a_value_the_chart_copies_into_a_tracked_configmap_is_not_reported(tmp_path: Path) -> None:
    configmap = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-migration\ndata:\n"
        "  {{- range $key, $value := .Values.migration }}\n  {{ $key }}: {{ $value | quote }}\n  {{- end }}\n"
    )
    files = {"templates/job.yaml": HOOK_JOB, "templates/api.yaml": DEPLOYMENT, "templates/cm.yaml": configmap}
    assert findings(write(tmp_path, {"Chart.yaml": "name: c\n", **files}), Settings(select=("HL109",))) == []


@pytest.mark.parametrize(
    ("image", "settings", "expected"),
    [
        (
            "{{ .Values.image.repository }}:{{ .Values.migration.tag }}",
            ONLY_HL109,
            [("templates/job.yaml", 13, 52, "HL109")],
        ),
        ("{{ .Values.crds.repository }}:{{ .Values.crds.tag }}", ONLY_HL109, []),
        (
            "{{ .Values.crds.repository }}:{{ .Values.crds.tag }}",
            Settings(select=("HL109",), options={"HL109": {"report-unshared-images": True}}),
            [("templates/job.yaml", 13, 21, "HL109")],
        ),
    ],
    ids=["shares-the-workloads-repository", "own-tool-image", "own-tool-image-with-the-option"],
)
def test_a_hook_only_image_value_is_reported_as_for_rendered_hooks(
    tmp_path: Path, image: str, settings: Settings, expected: list[tuple[object, ...]]
) -> None:
    # As for a rendered hook: an image version a tracked workload's repository shares is the drift-blind
    # migration; a tool image of the hook's own is reported only with `report-unshared-images`.
    job = (
        HOOK_HEAD
        + POD_HEAD
        + CONTAINER.replace("{{ .Values.image.repository }}:{{ .Values.image.tag }}", image)
    )
    chart = write(
        tmp_path, {"Chart.yaml": "name: c\n", "templates/job.yaml": job, "templates/api.yaml": DEPLOYMENT}
    )
    assert [row[:4] for row in findings(chart, settings)] == expected
