"""Go template text as Helm writes it (hooklint/sources/gotemplate.py): its actions, the documents and the
helpers (`define`) of a template file, the values each uses, and what a helper's argument stands for."""

from __future__ import annotations

import pytest

from hooklint.sources.gotemplate import RELATIVE, ROOT, UNKNOWN, VALUES, Part, Ref, actions, compose, read

PATH = "shop/templates/job.yaml"
# A helper, a Job that includes it with the root, and a ConfigMap that calls it with a value.
TEMPLATE = (
    '{{- define "shop.labels" -}}\napp: {{ .Values.name }}\ntier: {{ .tier }}\n{{- end }}\n'
    'kind: Job\nmetadata:\n  labels: {{ include "shop.labels" . }}\n  name: {{ .Values.job.name }}\n'
    "---\n"
    "kind: ConfigMap\ndata:\n  {{- with .Values.config }}\n  a: {{ .a }}\n  {{- end }}\n"
    '  b: {{ template "shop.labels" .Values.sub }}\n'
)


def at(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def test_actions_give_each_action_and_its_body_skipping_comments_and_quoted_braces() -> None:
    text = 'a {{ .x }} b {{- /* c */ -}} d {{ "}}" }} e'
    assert list(actions(text)) == [(2, 10, 4, 8), (31, 41, 33, 39)]
    assert at(text, [(start, end) for start, end, _, _ in actions(text)]) == ["{{ .x }}", '{{ "}}" }}']
    assert at(text, [(start, end) for _, _, start, end in actions(text)]) == [" .x ", ' "}}" ']
    # Asked for, a comment is an action too; its trim markers are not part of its body.
    assert list(actions(text, comments=True)) == [(2, 10, 4, 8), (13, 28, 16, 25), (31, 41, 33, 39)]


def test_an_unclosed_action_ends_the_actions() -> None:
    assert list(actions("{{ .a }} {{ .b ")) == [(0, 8, 2, 6)]


def span(needle: str) -> tuple[int, int]:
    """Where the one `needle` in TEMPLATE starts and ends."""
    start = TEMPLATE.index(needle)
    assert TEMPLATE.count(needle) == 1, needle
    return start, start + len(needle)


def test_a_template_file_gives_its_documents_and_the_helpers_it_defines() -> None:
    documents, helpers = read(PATH, TEMPLATE)
    field = span(".a }}")[0]
    assert documents == [
        Part(
            PATH,
            0,
            span("---\n")[0],
            absolute=[(("job", "name"), *span(".Values.job.name"))],
            includes=[("shop.labels", Ref(ROOT), *span('include "shop.labels"'))],
            # The helper's body, from `define` to its `end`, is left out of the document.
            defines=[(0, span("{{- end }}\nkind")[0] + len("{{- end }}"))],
        ),
        Part(
            PATH,
            span("---\n")[1],
            len(TEMPLATE),
            # Inside `with .Values.config`, `.a` is the value config.a.
            absolute=[(("config", "a"), field, field + len(".a"))],
            includes=[("shop.labels", Ref(VALUES, ("sub",)), *span('template "shop.labels"'))],
        ),
    ]
    # A helper's `.Values` is the chart's values; its other fields are its argument's (relative).
    assert helpers == {
        "shop.labels": Part(
            PATH,
            span("-}}\napp:")[0] + 3,
            span("{{- end }}\nkind")[0],
            absolute=[(("name",), *span(".Values.name"))],
            relative=[(("tier",), *span(".tier"))],
        )
    }


@pytest.mark.parametrize(
    ("text", "uses"),
    [
        ("{{- range .Values.jobs }}\nname: {{ .name }}\n{{- end }}\n", [(("jobs",), ".Values.jobs")]),
        (
            "{{- $x := .Values.image }}\nimage: {{ $x }}\ntag: {{ $x.tag }}\n",
            [(("image",), ".Values.image"), (("image", "tag"), "$x.tag")],
        ),
        ('a: {{ index .Values "my-key" "b" }}\n', [(("my-key", "b"), 'index .Values "my-key" "b"')]),
        ('a: {{ .Values.a | default "{{ .Values.b }}" }}\n', [(("a",), ".Values.a")]),
    ],
    ids=["range-element-fields-count-as-the-list", "variable-at-its-value", "index-keys", "quoted-text"],
)
def test_the_values_a_document_uses_are_placed_where_they_are_written(
    text: str, uses: list[tuple[tuple[str, ...], str]]
) -> None:
    (document,), helpers = read("t.yaml", text)
    assert [(path, text[start:end]) for path, start, end in document.absolute] == uses
    assert (document.relative, helpers) == ([], {})


@pytest.mark.parametrize(
    ("caller", "argument", "expected"),
    [
        (Ref(VALUES, ("sub",)), Ref(RELATIVE, ("tier",)), Ref(VALUES, ("sub", "tier"))),
        (Ref(ROOT), Ref(RELATIVE, ("Values", "x")), Ref(VALUES, ("x",))),
        (Ref(ROOT), Ref(VALUES, ("y",)), Ref(VALUES, ("y",))),
        (Ref(UNKNOWN), Ref(RELATIVE, ("tier",)), Ref(UNKNOWN)),
        (Ref(VALUES, ("jobs",), element=True), Ref(RELATIVE), Ref(VALUES, ("jobs",), element=True)),
    ],
    ids=["value-argument", "root-argument", "absolute-stays", "unknown-caller", "list-element"],
)
def test_compose_tells_what_a_helpers_argument_stands_for(caller: Ref, argument: Ref, expected: Ref) -> None:
    assert compose(caller, argument) == expected
