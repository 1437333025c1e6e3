"""Where rendered objects came from (hooklint/sources/sourcemap.py): helm's output split by source, and rendered lines
aligned with their templates."""

from __future__ import annotations

from hooklint.sources import sourcemap


def test_helm_output_splits_into_one_group_per_source_in_order() -> None:
    output = (
        "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nkind: B\n"
        "---\n# Source: c/templates/a.yaml\nkind: A2\n---\n# Source: c/templates/empty.yaml\n# only a comment\n"
    )
    assert sourcemap.split_helm(output) == [
        sourcemap.Group("c/templates/a.yaml", "kind: A\n---\nkind: A2\n"),
        sourcemap.Group("c/templates/b.yaml", "kind: B\n"),
    ]


def test_alignment_follows_range_loops_and_ignores_lines_at_another_indentation() -> None:
    template = (
        "metadata:\n"
        "  labels:\n"
        '    {{- include "x.labels" . | nindent 4 }}\n'
        "spec:\n"
        "  ports:\n"
        "  {{- range .Values.ports }}\n"
        "  - name: {{ .name }}\n"
        "    port: {{ .port }}\n"
        "  {{- end }}\n"
        "  selector:\n"
        "    name: x\n"
    )
    rendered = (
        "metadata:\n  labels:\n    name: x\nspec:\n  ports:\n  - name: http\n    port: 80\n"
        "  - name: https\n    port: 443\n  selector:\n    name: x\n"
    )
    locate = sourcemap.align(rendered, template)
    assert [locate(line, 0)[0] + 1 for line in range(11)] == [1, 2, 3, 4, 5, 7, 8, 7, 8, 10, 11]
