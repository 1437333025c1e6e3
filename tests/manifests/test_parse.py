from __future__ import annotations

import pytest
import yaml

from hooklint.argocd.annotated import named_at_sync
from hooklint.manifests.parse import load_bytes, load_text
from hooklint.manifests.yamlnodes import Loader
from hooklint.model import Span

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n"


def problems(text: str) -> list[tuple[str, int, int, str]]:
    return [(p.rule, p.span.line, p.span.column, p.message) for p in load_text("f.yaml", text).problems]


def test_every_key_and_value_has_its_line_and_column() -> None:
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations:\n    a/b: "x"\ndata:\n  k: v\n'
    (cm,) = load_text("f.yaml", text).resources
    assert cm.span_at(("metadata", "annotations", "a/b")) == Span("f.yaml", 6, 10, 6, 13)
    assert cm.span_at(("metadata", "annotations", "a/b"), key=True) == Span("f.yaml", 6, 5, 6, 8)
    assert cm.span_at(("data", "k")) == Span("f.yaml", 8, 6, 8, 7)
    assert cm.span == Span("f.yaml", 1, 1, 1, 11)


def test_missing_path_falls_back_to_deepest_existing_ancestor() -> None:
    (pod,) = load_text("f.yaml", POD.format(name="p")).resources
    assert pod.span_at(("metadata", "labels", "x")) == Span("f.yaml", 3, 1, 3, 9)


def test_multi_document_file_keeps_document_order_and_positions() -> None:
    text = "---\n" + POD.format(name="a") + "---\n\n" + POD.format(name="b")
    result = load_text("f.yaml", text)
    assert [(r.name, r.index, r.span.line) for r in result.resources] == [("a", 0, 2), ("b", 1, 8)]


def test_kind_list_is_expanded_into_its_items() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: one\n"
        "- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: two\n"
    )
    result = load_text("f.yaml", text)
    assert [(r.ident, r.span.line, r.span.column) for r in result.resources] == [
        ("ConfigMap/one", 4, 3),
        ("Secret/two", 8, 3),
    ]


def test_bom_and_crlf_keep_positions_exact() -> None:
    data = "\ufeff".encode() + POD.format(name="p").replace("\n", "\r\n").encode()
    (pod,) = load_bytes("f.yaml", data).resources
    assert pod.span_at(("metadata", "name")) == Span("f.yaml", 4, 9, 4, 10)
    assert pod.name == "p"


def test_columns_count_characters_not_bytes() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata: {é: x, b: y}\n"
    (cm,) = load_text("f.yaml", text).resources
    assert cm.span_at(("data", "b")).column == 17


def test_invalid_yaml_is_hl001_at_the_parser_position_and_other_documents_survive() -> None:
    text = POD.format(name="ok") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: [x\n"
    result = load_text("f.yaml", text)
    assert [r.name for r in result.resources] == ["ok"]
    assert [(p.rule, p.span.line, p.span.column) for p in result.problems] == [("HL001", 9, 1)]
    assert result.problems[0].message.startswith("invalid YAML: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- kind: Pod\n- b\n",
            [("HL002", 1, 1, "not a Kubernetes object: the document is a list, not a mapping")],
        ),
        (
            "just text\n",
            [("HL002", 1, 1, "not a Kubernetes object: the document is a str value, not a mapping")],
        ),
        ("42\n", [("HL002", 1, 1, "not a Kubernetes object: the document is a int value, not a mapping")]),
        (
            "kind: Pod\nmetadata: {name: p}\n",
            [("HL002", 1, 1, "not a Kubernetes object: `apiVersion` is missing")],
        ),
        (
            "apiVersion: v1\nkind: 3\nmetadata: {name: p}\n",
            [("HL002", 2, 1, "not a Kubernetes object: `kind` is not a string")],
        ),
        ("apiVersion: v1\nkind: Pod\n", [("HL002", 1, 1, "not a Kubernetes object: `metadata` is missing")]),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: x\n",
            [("HL002", 3, 1, "not a Kubernetes object: `metadata` is not a mapping")],
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {}\n",
            [
                (
                    "HL002",
                    3,
                    1,
                    "not a Kubernetes object: neither `metadata.name` nor `metadata.generateName` is set",
                )
            ],
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: 7\n",
            [("HL002", 4, 9, "not a Kubernetes object: `metadata.name` is not a string")],
        ),
    ],
    ids=[
        "list",
        "string",
        "number",
        "no-apiversion",
        "kind-number",
        "no-metadata",
        "metadata-scalar",
        "no-name",
        "name-number",
    ],
)
def test_documents_that_are_not_objects_are_hl002(
    text: str, expected: list[tuple[str, int, int, str]]
) -> None:
    assert problems(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# only a comment\n", "---\n---\n", "~\n", "null\n", "--- null\n--- ~\n"],
    ids=["empty", "blank", "comment", "separators", "tilde", "null", "null-documents"],
)
def test_empty_and_null_documents_are_nothing(text: str) -> None:
    result = load_text("f.yaml", text)
    assert (result.resources, result.problems) == ((), ())


def test_generate_name_is_the_name_with_a_flag() -> None:
    (job,) = load_text(
        "f.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: smoke-\n"
    ).resources
    assert (job.name, job.generate_name, job.group) == ("smoke-", True, "batch")


def test_helm_template_is_hl003_at_the_first_template_action() -> None:
    text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include "x.fullname" . }}\n'
    assert problems(text) == [
        (
            "HL003",
            4,
            9,
            "Helm/Go template syntax: this file is a template, not a manifest; render it first "
            "(helm template RELEASE CHART | hooklint lint -)",
        )
    ]


def test_template_control_line_is_hl003() -> None:
    text = "{{- if .Values.enabled }}\n" + POD.format(name="p") + "{{- end }}\n"
    assert [(r, line, col) for r, line, col, _ in problems(text)] == [("HL003", 1, 1)]


@pytest.mark.parametrize(
    "value",
    ['"{{ $labels.instance }} is down"', '"{{inputs.parameters.message}}"', '"{{path.basename}}"'],
    ids=["prometheus", "argo-workflows", "applicationset"],
)
def test_rendered_templates_of_other_tools_are_not_hl003(value: str) -> None:
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  v: {value}\n"
    assert problems(text) == []


def test_binary_file_is_hl001() -> None:
    result = load_bytes("f.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert [(p.rule, p.span.line, p.message) for p in result.problems] == [
        ("HL001", 1, "binary file, not YAML text")
    ]


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"apiVersion: v1\nkind: \xff\n", 2, 7),
        (b"\xef\xbb\xbfkind: \xff\n", 1, 7),
        (b"\xef\xbb\xbfapiVersion: v1\nkind: \xff\n", 2, 7),
        ("kind: \u00e9\u00e9 ".encode() + b"\xff", 1, 10),
    ],
    ids=[
        "plain",
        "after-byte-order-mark",
        "byte-order-mark-on-an-earlier-line",
        "after-multibyte-characters",
    ],
)
def test_invalid_utf8_is_hl001_at_the_byte(data: bytes, line: int, column: int) -> None:
    result = load_bytes("f.yaml", data)
    assert [(p.rule, p.span.line, p.span.column, p.message) for p in result.problems] == [
        ("HL001", line, column, "not valid UTF-8 (byte 0xff)")
    ]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"
        + "\n".join("  " + x for x in lines)
        + "\n"
    )
    result = load_text("f.yaml", text)
    assert result.resources == ()
    assert [p.rule for p in result.problems] == ["HL001"]
    assert "aliases included" in result.problems[0].message


def test_deep_nesting_is_a_finding_not_a_crash() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: " + "[" * 5000 + "]" * 5000 + "\n"
    result = load_text("f.yaml", text)
    assert result.resources == ()
    assert [p.rule for p in result.problems] == ["HL001"]


@pytest.mark.parametrize("anchor", ["", "&m "])
def test_collections_nest_at_most_200_levels_below_the_document_whatever_their_leaves(anchor: str) -> None:
    # The document's own mapping is level 0; `data`'s list is level 1.
    def nested(levels: int, leaf: str) -> str:
        return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {anchor}{{name: d}}\ndata: {'[' * levels}{leaf}{']' * levels}\n"

    for leaf in ("x", "1", ""):
        assert [p.rule for p in load_text("f.yaml", nested(200, leaf)).problems] == []
        refused = load_text("f.yaml", nested(201, leaf)).problems
        assert [(p.rule, p.message) for p in refused] == [
            ("HL001", "invalid YAML: nested deeper than 200 levels")
        ]


def test_python_tags_are_kept_as_text_never_constructed() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  x: !!python/object/apply:os.system [echo]\n  y: !!python/name:os.system ''\n"
    (cm,) = load_text("f.yaml", text).resources
    assert cm.get(("data", "y")) == ""
    assert cm.get(("data", "x")) == ["echo"]


def test_values_follow_yaml_1_1_like_the_kubernetes_decoder() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  a: yes\n  b: 010\n  c: 1.5\n  d: ~\n  e: '5'\n"
    (cm,) = load_text("f.yaml", text).resources
    assert cm.get(("data",)) == {"a": True, "b": 8, "c": 1.5, "d": None, "e": "5"}


SCALARS = (
    "a: yes\nb: No\nc: on\nd: OFF\ne: 010\nf: 0x1F\ng: 1_000\nh: 1:30\ni: .5\nj: -.inf\nk: .NaN\n"
    "l: ~\nm: null\nn: ''\no: '010'\np: !!str 5\nq: 2001-12-14\nr: =\ns: <<\nt: y\nu: name\n"
    'v: 1e3\nw: +12\n? [x]\n: 0b101\nnamespace: true\nx: ! 12\ny: ! [1, {a: "2"}]\nz: !custom 3\n'
)


@pytest.mark.parametrize("repeat", [1, 2])
def test_the_composer_tags_every_scalar_as_pyyaml_does(repeat: int) -> None:
    # The second pass reads each plain scalar's tag from the remembered ones.
    def tags(loader: object) -> list[tuple[str, str]]:
        root = yaml.compose(SCALARS, Loader=loader)  # type: ignore[arg-type]
        out: list[tuple[str, str]] = []
        pending = [root]
        while pending:
            node = pending.pop()
            out.append((node.tag, str(node.value) if isinstance(node, yaml.ScalarNode) else ""))
            if isinstance(node, yaml.MappingNode):
                pending += [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                pending += node.value
        return out

    for _ in range(repeat):
        assert tags(Loader) == tags(yaml.SafeLoader)


def test_merge_keys_are_applied() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\nbase: &b {x: 1, y: 2}\ndata:\n  <<: *b\n  y: 3\n"
    (cm,) = load_text("f.yaml", text).resources
    assert cm.get(("data",)) == {"x": 1, "y": 3}


UNNAMED = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  annotations:\n    {key}: {value}\n"


def test_an_object_without_name_is_kept_only_where_the_caller_says_it_gets_one() -> None:
    text = UNNAMED.format(key="argocd.argoproj.io/hook", value="PreSync")
    assert [p.rule for p in load_text("f.yaml", text).problems] == ["HL002"]
    (job,) = load_text("f.yaml", text, lambda resource: True).resources
    assert (job.name, job.generate_name, job.ident, job.label) == (
        "",
        True,
        "Job/<generated>",
        "Job/<generated>",
    )


@pytest.mark.parametrize(
    ("key", "value", "kept"),
    [
        ("argocd.argoproj.io/hook", "PreSync", True),
        ("argocd.argoproj.io/hook", "Sync,PostDelete", True),
        ("helm.sh/hook", "post-install", True),
        ("argocd.argoproj.io/hook", "PreDelete", False),
        ("argocd.argoproj.io/hook", "Skip", False),
        ("argocd.argoproj.io/hook", "Presync", False),
        ("helm.sh/hook", "crd-install", False),
        ("argocd.argoproj.io/sync-wave", '"1"', False),
    ],
    ids=[
        "hook",
        "sync-and-delete-hook",
        "helm-hook",
        "delete-hook",
        "skip",
        "typeless",
        "crd-install",
        "no-hook",
    ],
)
def test_argo_cd_names_an_unnamed_object_only_when_it_is_a_sync_hook(
    key: str, value: str, kept: bool
) -> None:
    """gitops-engine pkg/sync/sync_context.go getSyncTasks names a hook task without metadata.name
    (generateName, empty here, then revision, phase and start time); a non-hook is applied as written
    and the API server refuses it, and controller/hook.go executeHooks creates a delete hook as written."""
    result = load_text("f.yaml", UNNAMED.format(key=key, value=value), named_at_sync)
    assert (len(result.resources), [p.rule for p in result.problems]) == ((1, []) if kept else (0, ["HL002"]))


DUPLICATED = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
  labels: {app: shop}
  annotations:
    team: payments
spec:
  template:
    spec:
      containers:
        - {name: a, image: x, env: [{name: A, value: "1", value: "2"}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  1: one
  01: two
  "1": three
"""


def test_a_key_written_twice_is_hl005_at_the_later_key_and_the_last_value_is_read() -> None:
    result = load_text("f.yaml", DUPLICATED)
    assert [(p.rule, p.span.line, p.span.column, p.message) for p in result.problems] == [
        (
            "HL005",
            9,
            3,
            "`annotations` is written again in this mapping (first at line 5): Argo CD reads only this value "
            "and drops the earlier one, and with it argocd.argoproj.io/hook and "
            "argocd.argoproj.io/hook-delete-policy",
        ),
        (
            "HL005",
            15,
            59,
            "`value` is written again in this mapping (first at line 15): Argo CD reads only this value and "
            "drops the earlier one",
        ),
        (
            "HL005",
            22,
            3,
            "`01` is written again in this mapping (first at line 21): Argo CD reads only this value and "
            "drops the earlier one",
        ),
    ]
    job, config = result.resources
    assert job.get(("metadata", "annotations")) == {"team": "payments"}
    assert config.get(("data",)) == {1: "two", "1": "three"}


def test_duplicate_keys_are_found_in_documents_with_anchors_and_merge_keys_are_not_duplicates() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\nbase: &b {x: 1, y: 2}\n"
        "data:\n  <<: *b\n  y: 3\n  z: 4\n  z: 5\nother: *b\n"
    )
    assert problems(text) == [
        (
            "HL005",
            9,
            3,
            "`z` is written again in this mapping (first at line 8): Argo CD reads only this value and drops "
            "the earlier one",
        )
    ]


def test_a_hook_annotation_written_again_is_named_only_when_the_kept_value_lacks_it() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
        "    argocd.argoproj.io/hook: PreSync\n  annotations:\n    argocd.argoproj.io/hook: PostSync\n"
    )
    assert [message for *_, message in problems(text)] == [
        "`annotations` is written again in this mapping (first at line 5): Argo CD reads only this value and "
        "drops the earlier one"
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("services:\n  web:\n    image: nginx:1.27\n", [1]),
        ("site_name: Docs\nnav:\n  - Home: index.md\n", [1]),
        ("name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n", [1]),
        ("repos:\n  - repo: https://github.com/x/y\n    rev: v1\n    hooks: [{id: z}]\n", [1]),
        ("- hosts: all\n  tasks: []\n", [1]),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nreplicas: 3\n", [5]),
    ],
    ids=["compose", "mkdocs", "workflow", "pre-commit", "ansible", "after-an-object"],
)
def test_other_tools_yaml_is_no_object_and_no_problem(text: str, lines: list[int]) -> None:
    result = load_text("f.yaml", text)
    assert (result.problems, list(result.others)) == ((), lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("metadata: {name: p}\n", (1, 1, "`apiVersion` is missing")),
        ("spec:\n  replicas: 2\n", (1, 1, "`apiVersion` is missing")),
        ("apiVersion: v1\ndata: {a: b}\n", (1, 1, "`kind` is missing")),
        ("- apiVersion: v1\n  kind: Pod\n", (1, 1, "the document is a list, not a mapping")),
    ],
    ids=["metadata-only", "spec-only", "apiversion-only", "list-of-objects"],
)
def test_documents_that_look_like_manifests_stay_hl002(text: str, expected: tuple[int, int, str]) -> None:
    line, column, message = expected
    assert problems(text) == [("HL002", line, column, f"not a Kubernetes object: {message}")]
