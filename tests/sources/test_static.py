"""Charts read without helm: template actions as placeholders typed by where they stand, control structures
walked with the chart's values, literal YAML at its template positions, and no finding on a placeholder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.cli.main import cli
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.sources.load import load
from hooklint.sources.static import read_templates, values_of
from tests.helpers import rows, write

SUFFIX = " (chart read without helm)"
CHART_YAML = "apiVersion: v2\nname: shop\nversion: 0.1.0\n"
MIGRATE = """{{- if .Values.migration.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  labels:
    {{- include "shop.labels" . | nindent 4 }}
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: {{ .Values.image }}
          {{- /* the command depends on the database */}}
          {{- if .Values.postgres }}
          command: [migrate, postgres]
          {{- else }}
          command: [migrate, sqlite]
          {{- end }}
{{- end }}
"""
SEED = """{{- if .Values.seed.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: seed
  annotations:
    helm.sh/hook: post-install
spec:
  template:
    spec:
      containers:
        - name: seed
          image: busybox
{{- end }}
"""
VALUES = "migration:\n  enabled: true\nseed:\n  enabled: false\nimage: shop:1.2\n"


@pytest.fixture(autouse=True)
def no_helm(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("bin")
    monkeypatch.setenv("PATH", str(folder))
    return folder


def shop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, templates: dict[str, str], values: str = VALUES
) -> str:
    files = {"Chart.yaml": CHART_YAML, "values.yaml": values, "templates/_helpers.tpl": HELPERS}
    files.update({f"templates/{name}": text for name, text in templates.items()})
    write(tmp_path, {f"shop/{path}": text for path, text in files.items()})
    monkeypatch.chdir(tmp_path)
    return "shop"


HELPERS = '{{- define "shop.labels" -}}\napp: shop\n{{- end }}\n'


def read(text: str, values: dict[str, object] | None = None) -> list[dict[str, object]]:
    reading = read_templates({"c/templates/t.yaml": text}, values or {})
    return [dict(resource.body) for resource in reading.resources]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("  a: {{ .Values.x }}\n", {"a": "hlpv1x"}),
        ('  a: "{{ .Values.x }}:{{ .Values.y }}"\n', {"a": "hlpv1x:hlpv2x"}),
        ("  a:\n    {{- toYaml .Values.x | nindent 4 }}\n", {"a": "hlpb1x"}),
        ('  a:\n    b: 1\n    {{- include "x" . | nindent 4 }}\n', {"a": {"b": 1, "hlpb1x": "hlpb1x"}}),
        ("  a:\n    - b\n    {{- toYaml .Values.x | nindent 4 }}\n", {"a": ["b", "hlpb1x"]}),
        (
            "  a:\n    - b: 1\n      {{- toYaml .Values.x | nindent 6 }}\n",
            {"a": [{"b": 1, "hlpb1x": "hlpb1x"}]},
        ),
        ("  a:\n{{ toYaml .Values.x | indent 4 }}\n", {"a": "hlpb1x"}),
    ],
    ids=[
        "whole-scalar",
        "part-of-a-scalar",
        "whole-block",
        "entries-beside-keys",
        "items-beside-items",
        "entries-of-an-item",
        "indent",
    ],
)
def test_an_action_is_a_placeholder_typed_by_where_it_stands(data: str, expected: dict[str, object]) -> None:
    ((resource,),) = [read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + data)]
    assert resource["data"] == expected


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        (".Values.on", {"on": True}, ["first"]),
        (".Values.on", {}, ["second"]),
        ("and .Values.a (not .Values.b)", {"a": 1, "b": False}, ["first"]),
        ("or .Values.a .Values.b", {}, ["second"]),
        ('eq .Values.mode "fast"', {"mode": "fast"}, ["first"]),
        ('.Capabilities.APIVersions.Has "batch/v1"', {}, ["hlpv1x"]),
        ('.Values.x | default "a"', {}, ["hlpv1x"]),
        ("gt (len .Values.labels) 0", {"labels": {}}, ["second"]),
        ("gt (len .Values.labels) 0", {"labels": {"a": "b"}}, ["first"]),
        ("gt (len .Values.labels) 0", {}, ["hlpv1x"]),
    ],
    ids=[
        "true",
        "missing-is-false",
        "and-not",
        "or-missing",
        "eq",
        "unknown-both-branches",
        "pipeline-unknown",
        "len-of-an-empty-map",
        "len-of-a-map",
        "len-of-nothing-unknown",
    ],
)
def test_conditions_are_worked_out_with_the_values_where_simple(
    condition: str, values: dict[str, object], expected: list[str]
) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
        f"{{{{- if {condition} }}}}\n  answer: first\n{{{{- else }}}}\n  answer: second\n{{{{- end }}}}\n"
    )
    # Both branches, each writing `answer`: helm writes one of them, so its value is unknown.
    assert [body["data"]["answer"] for body in read(text, values)] == expected  # type: ignore[index]


def test_ranges_over_known_values_are_walked_per_element_with_once_and_defines_write_nothing() -> None:
    text = (
        '{{- define "x" }}\nkind: Secret\n{{- end }}\n'
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
        "  {{- range $k, $v := .Values.map }}\n  {{ $k }}: {{ $v }}\n  {{- end }}\n"
        "  {{- with .Values.extra }}\n  extra: {{ .Values.ignored }}\n  {{- end }}\n"
        "  {{- range .Values.empty }}\n  never: here\n  {{- end }}\n"
    )
    # Each element's value is known where it is a whole scalar; a key written by an action stays unknown.
    assert read(text, {"map": {"b": 2, "a": 1}, "extra": "x", "empty": []}) == [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c"},
            "data": {"hlpv1x": 1, "hlpv2x": 2, "extra": "hlpv3x"},
        }
    ]
    # A range over what the values do not say is walked once, its element unknown.
    unknown = text.replace(".Values.map", ".Capabilities.APIVersions")
    assert read(unknown, {"extra": "x", "empty": []})[0]["data"] == {"hlpv1x": "hlpv2x", "extra": "hlpv3x"}


def test_literal_fields_keep_their_template_position() -> None:
    reading = read_templates({"c/templates/migrate.yaml": MIGRATE}, {"migration": {"enabled": True}})
    (job,) = reading.resources
    container = ("spec", "template", "spec", "containers", 0)
    assert (job.path, job.span.line, job.span.column) == ("c/templates/migrate.yaml", 2, 1)
    assert job.span_at((*container, "name"))[1:3] == (15, 17)
    assert job.span_at(("spec", "template", "spec", "restartPolicy"))[1:3] == (13, 22)
    # the placeholder of the image stands at its action
    assert job.span_at((*container, "image"))[1:3] == (16, 18)
    assert reading.placeholders["c/templates/migrate.yaml"][2][1:] == (16, 18, 16, 37)


def test_findings_of_a_chart_read_without_helm_stand_at_the_templates_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = shop(tmp_path, monkeypatch, {"migrate.yaml": MIGRATE, "seed.yaml": SEED})
    assert [row for row in rows(lint(load([chart]), Settings())) if row[3] != "HL109"] == [
        (
            "shop/templates/migrate.yaml",
            9,
            30,
            "HL110",
            "every object this application syncs is a hook (Job/{{…}}-migrate), and hooks get no sync status: the "
            "application is never OutOfSync, so a change to these hooks never starts an automated sync"
            + SUFFIX,
        ),
        (
            "shop/templates/migrate.yaml",
            10,
            1,
            "HL103",
            "Job/{{…}}-migrate (PreSync wave 0) has backoffLimit 6 (the default): up to 6 retries and 10.5 min "
            "of back-off before the hook fails" + SUFFIX,
        ),
        (
            "shop/templates/migrate.yaml",
            10,
            1,
            "HL104",
            "Job/{{…}}-migrate (PreSync wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync "
            "timeout: if it hangs, it holds up the sync forever" + SUFFIX,
        ),
    ]


def test_notes_name_the_hook_templates_off_by_default_and_the_documents_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  {{ .Values.key }}: [unclosed\n"
    chart = shop(tmp_path, monkeypatch, {"migrate.yaml": MIGRATE, "seed.yaml": SEED, "broken.yaml": broken})
    assert load([chart]).notes == (
        "hooklint: helm is not on PATH, so shop is read without it: template actions are placeholders, and "
        "findings say so",
        "hooklint: shop/templates/broken.yaml:7:1: read without helm, this document is left out: invalid YAML: "
        "did not find expected ',' or ']'",
        "hooklint: shop: with the chart's default values these templates write hook annotations but render "
        "nothing, so their hooks are not checked: shop/templates/seed.yaml",
    )


def test_no_finding_rests_on_a_placeholder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    configmaps = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Values.name }}}}\n{extra}"
        for extra in ("", "", '  annotations:\n    argocd.argoproj.io/sync-wave: "{{ .Values.wave }}"\n')
    )
    hook = SEED.replace("busybox", "{{ .Values.image }}").replace("seed.enabled", "migration.enabled")
    chart = shop(tmp_path, monkeypatch, {"configmaps.yaml": configmaps, "seed.yaml": hook})
    loaded = load([chart])
    # The object whose wave is a placeholder is left out: where it goes in the sync is unknown.
    assert [resource.ident for resource in loaded.resources] == [
        "ConfigMap/hlpv1x",
        "ConfigMap/hlpv2x",
        "Job/seed",
    ]
    found = {row[3] for row in rows(lint(loaded, Settings()))}
    # Two names that are placeholders are no duplicate (HL004), a wave that is one is not invalid (HL012),
    # an image that is one has no missing tag (HL301).
    assert found & {"HL004", "HL012", "HL301"} == set()


def test_a_helm_that_cannot_be_run_reads_the_chart_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_helm: Path
) -> None:
    helm = no_helm / "helm"
    helm.write_text("#!/nonexistent/interpreter\n")
    helm.chmod(0o755)
    chart = shop(tmp_path, monkeypatch, {"migrate.yaml": MIGRATE})
    loaded = load([chart])
    assert loaded.notes[0].startswith("hooklint: helm could not be run (cannot run it: ")
    assert loaded.notes[0].endswith(
        "), so shop is read without it: template actions are placeholders, and findings say so"
    )
    assert [resource.ident for resource in loaded.resources] == ["Job/hlpv1x-migrate"]


def test_text_and_json_reports_say_the_chart_was_read_without_helm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = shop(tmp_path, monkeypatch, {"migrate.yaml": MIGRATE})
    text = CliRunner().invoke(cli, ["lint", "--select", "HL104", chart])
    assert text.stdout.splitlines()[0] == (
        "shop/templates/migrate.yaml:10:1: warning HL104 hook-without-deadline: Job/{{…}}-migrate (PreSync "
        "wave 0) has no activeDeadlineSeconds, and Argo CD has no default sync timeout: if it hangs, it holds up "
        "the sync forever (chart read without helm)"
    )
    report = CliRunner().invoke(cli, ["lint", "--format", "json", "--select", "HL104", chart])
    (finding,) = json.loads(report.stdout)["findings"]
    assert (finding["file"], finding["line"], finding["column"]) == ("shop/templates/migrate.yaml", 10, 1)
    assert finding["message"].endswith("holds up the sync forever (chart read without helm)")


def test_findings_that_rest_on_an_absent_object_go_when_a_document_was_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Deployment's annotations are all a placeholder: whether it is a hook is unknown, so it is left
    # out, and "only hooks" (HL110) could be wrong.
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  annotations:\n"
        "    {{- toYaml .Values.annotations | nindent 4 }}\n"
    )
    chart = shop(tmp_path, monkeypatch, {"migrate.yaml": MIGRATE, "api.yaml": deployment})
    loaded = load([chart])
    assert (loaded.left_out, [resource.ident for resource in loaded.resources]) == (1, ["Job/hlpv2x-migrate"])
    assert [row[3] for row in rows(lint(loaded, Settings()))] == ["HL103", "HL104"]


CHECK = """{{- if .Values.check.enabled }}
apiVersion: batch/v1
kind: Job
metadata:
  name: check
  {{- with .Values.check.jobAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  backoffLimit: {{ .Values.check.backoffLimit }}
  {{- if gt (int .Values.check.deadline) 0 }}
  activeDeadlineSeconds: {{ .Values.check.deadline }}
  {{- end }}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: check
          image: {{ .Values.check.image | quote }}
{{- end }}
"""
CHECK_VALUES = """check:
  enabled: true
  deadline: 0
  backoffLimit: 4
  jobAnnotations:
    helm.sh/hook: post-install,post-upgrade
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
"""


def test_hook_annotations_and_scalars_the_values_make_known_are_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = shop(tmp_path, monkeypatch, {"check.yaml": CHECK}, values=CHECK_VALUES)
    loaded = load([chart])
    (job,) = loaded.resources
    assert dict(job.annotations) == {
        "helm.sh/hook": "post-install,post-upgrade",
        "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded",
    }
    assert job.get(("spec", "backoffLimit")) == 4
    # No deadline (0 is off), and a value the template pipes through a function stays a placeholder.
    assert job.get(("spec", "activeDeadlineSeconds")) is None
    assert job.get(("spec", "template", "spec", "containers", 0, "image")) == "hlpv1x"
    # The annotations the values wrote stand at the action that wrote them.
    assert [row[:4] for row in rows(lint(loaded, Settings()))] == [
        ("shop/templates/check.yaml", 8, 5, "HL110"),
        ("shop/templates/check.yaml", 10, 1, "HL104"),
    ]


def test_a_key_both_branches_write_is_one_unknown_value_and_no_document_is_left_out() -> None:
    # The two `value:` keys are helm's choice of one, not a duplicate key (HL005) that would leave the
    # document out and silence the rules that rest on every object being read.
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
        '  {{- if .Capabilities.APIVersions.Has "batch/v1" }}\n  value: fast\n  {{- else }}\n  value: slow\n'
        "  {{- end }}\n"
    )
    reading = read_templates({"c/templates/t.yaml": text}, {})
    assert (reading.left_out, reading.notes) == (0, ())
    assert [dict(resource.body)["data"] for resource in reading.resources] == [{"value": "hlpv1x"}]


SCHEMA = """apiVersion: batch/v1
kind: Job
metadata:
  name: schema
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 100
  activeDeadlineSeconds: 600
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: schema
          image: busybox:1.36
          {{- if eq (lower .Values.driver) "cassandra" }}
          command: [cassandra-tool, create]
          {{- else if eq (lower .Values.driver) "sql" }}
          command: [sql-tool, create]
          {{- else -}}
            {{- fail (printf "no schema tool for %s" .Values.driver) -}}
          {{- end }}
          env: []
"""


def test_a_branch_that_calls_fail_is_in_no_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `{{- else -}}` trims the line break after `[sql-tool, create]`: were the failing branch written, its
    # action would stand on that line and the Job would be left out.
    chart = shop(tmp_path, monkeypatch, {"schema.yaml": SCHEMA})
    loaded = load([chart])
    assert loaded.notes[1:] == ()
    assert [row[:4] for row in rows(lint(loaded, Settings())) if row[3] in ("HL103", "HL104")] == [
        ("shop/templates/schema.yaml", 8, 17, "HL103")
    ]


def test_a_template_that_fails_unconditionally_yields_nothing() -> None:
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{{ fail "this chart is retired" }}\n'
    reading = read_templates({"c/templates/t.yaml": text}, {})
    assert (reading.resources, reading.left_out, reading.notes) == ((), 0, ())


MODE_HELPERS = """{{- define "shop.mode" -}}
  {{- /* records the mode on the context, writes nothing */ -}}
  {{- if .Values.external -}}
    {{- $_ := set . "mode" "external" -}}
  {{- else -}}
    {{- template "shop.server" . -}}
  {{- end -}}
{{- end -}}
{{- define "shop.server" -}}
  {{- $_ := set . "mode" "server" -}}
{{- end -}}
{{- define "shop.spaced" }}
  {{- $_ := set . "mode" "server" }}
{{ end -}}
{{- define "shop.release" -}}
  {{- .Release.Name -}}
{{- end -}}
"""
MODE_TEST = """{{ template "shop.HELPER" . }}
{{- if ne .mode "external" -}}
apiVersion: v1
kind: Pod
metadata:
  name: server-test
  annotations:
    helm.sh/hook: test
spec:
  containers:
    - name: test
      image: busybox:1.36
{{- end }}
"""


@pytest.mark.parametrize(
    ("helper", "expected"),
    [
        ("shop.mode", [("shop/templates/test.yaml", 8, 19, "HL017")]),
        ("shop.spaced", [("shop/templates/test.yaml", 8, 19, "HL017")]),
        ("shop.release", []),
        ("shop.undefined", []),
    ],
    ids=["writes-nothing", "writes-a-line-break", "writes-a-value", "not-in-the-chart"],
)
def test_a_helper_call_that_writes_nothing_leaves_no_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: str, expected: list[tuple[object, ...]]
) -> None:
    # A helper whose text is all trimmed away and whose actions only assign or call such helpers writes
    # nothing; one that writes a line break is written as helm writes it. One that writes a value, or one
    # hooklint cannot read, stays a placeholder that here runs into `apiVersion`, and the Pod is left out.
    templates = {"_modes.tpl": MODE_HELPERS, "test.yaml": MODE_TEST.replace("shop.HELPER", helper)}
    chart = shop(tmp_path, monkeypatch, templates)
    assert [row[:4] for row in rows(lint(load([chart]), Settings()))] == expected


DEADLINE = SCHEMA.replace("600", "{{ .Values.deadline }}").replace("100", "4")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("deadline: null\n", [("shop/templates/schema.yaml", 9, 25, "HL104")]),
        ("deadline:\n", [("shop/templates/schema.yaml", 9, 25, "HL104")]),
        ("deadline: 600\n", []),
        ("{}\n", []),
    ],
    ids=["declared-null", "declared-empty", "declared-number", "not-declared"],
)
def test_a_value_the_values_declare_null_is_written_as_null(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: str, expected: list[tuple[object, ...]]
) -> None:
    # helm writes a null value as nothing, so `activeDeadlineSeconds:` is null; a value the values leave out
    # is often given where the chart is deployed, and stays a placeholder.
    chart = shop(tmp_path, monkeypatch, {"schema.yaml": DEADLINE}, values=values)
    assert [row[:4] for row in rows(lint(load([chart]), Settings())) if row[3] == "HL104"] == expected


APPSETS = """{{- $project := .Values.project }}
{{- range $name, $addon := .Values.addons }}
{{- if $addon.enabled }}
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: {{ $name }}
  annotations:
    {{- include "shop.annotations" $ | nindent 4 }}
    {{- if $addon.annotations }}{{- toYaml $addon.annotations | nindent 4 }}{{- end }}
spec:
  generators:
    - clusters: {}
  template:
    metadata:
      name: '{{`{{.name}}`}}-{{ $name }}'
    spec:
      project: {{ $project }}
      source:
        repoURL: https://example.com/addons.git
        path: {{ $name }}
      destination:
        name: '{{`{{.name}}`}}'
---
{{- end }}
{{- end }}
"""
APPSET_HELPERS = """{{- define "shop.annotations" -}}
helm.sh/chart: {{ .Chart.Name }}
{{- if .Values.annotations }}
{{ toYaml .Values.annotations }}
{{- end }}
{{- end }}
"""
APPSET_VALUES = """project: addons
addons:
  cert_manager:
    enabled: true
    annotations:
      argocd.argoproj.io/sync-wave: "-1"
  ingress:
    enabled: true
  retired:
    enabled: false
    annotations:
      argocd.argoproj.io/sync-wave: "-5"
"""


def test_a_range_over_known_values_writes_one_document_per_element_with_its_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The annotations helper reads as YAML on its own, so it is written where it is included (before,
    # its placeholder key could have been a hook annotation, and every ApplicationSet was left out); each
    # enabled addon's own annotations come from the values.
    files = {"_appsets.tpl": APPSET_HELPERS, "appsets.yaml": APPSETS}
    chart = shop(tmp_path, monkeypatch, files, values=APPSET_VALUES)
    loaded = load([chart])
    assert loaded.left_out == 0
    # Each inclusion of the helper writes placeholders of its own: no two stand for the same value.
    assert [
        (r.get(("spec", "template", "spec", "source", "path")), dict(r.annotations)) for r in loaded.resources
    ] == [
        ("cert_manager", {"helm.sh/chart": "hlpv2x", "argocd.argoproj.io/sync-wave": "-1"}),
        ("ingress", {"helm.sh/chart": "hlpv6x"}),
    ]
    assert [row[:4] for row in rows(lint(loaded, Settings())) if row[3] == "HL204"] == [
        ("shop/templates/appsets.yaml", 10, 33, "HL204")
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("", "fast"),
        ('{{- if .Capabilities.APIVersions.Has "v2" }}{{- $mode = "slow" }}{{- end }}\n', "hlpv1x"),
        ('{{- if .Values.off }}{{- $mode := "slow" }}{{- end }}\n', "fast"),
    ],
    ids=["declared", "changed-in-a-branch-that-may-run", "declared-inside-a-branch"],
)
def test_variables_hold_the_values_they_are_given_where_known(change: str, expected: str) -> None:
    text = (
        "{{- $mode := .Values.mode }}\n" + change + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        "data:\n  mode: {{ $mode }}\n"
    )
    assert [body["data"]["mode"] for body in read(text, {"mode": "fast"})] == [expected]  # type: ignore[index]


def test_an_applications_parameters_are_values_as_helm_sets_them(tmp_path: Path) -> None:
    write(tmp_path, {"values.yaml": "migration:\n  enabled: false\n  timeout: 30\nports: [80]\n"})
    parameters = [
        ("migration.enabled", "true", False),
        ("migration.timeout", "60", True),
        ("ports[0]", "8080", False),
        ("image.tag", "null", False),
    ]
    values = values_of(str(tmp_path), [], None, parameters)
    assert {key: values[key] for key in ("migration", "image")} == {
        "migration": {"enabled": True, "timeout": "60"},
        "image": {"tag": None},
    }
    # A name with an index or an escape makes its value unknown: a condition on it takes both branches.
    text = "{{- if .Values.ports }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{{- end }}\n"
    assert [
        resource.ident for resource in read_templates({"c/templates/t.yaml": text}, values).resources
    ] == ["ConfigMap/c"]
    assert read_templates({"c/templates/t.yaml": text.replace("ports", "nothing")}, values).resources == ()
