"""HL001 invalid-yaml, HL002 not-a-kubernetes-object and HL003 unrendered-template
(hooklint/rules/annotations/hl001_hl003_input_problems.py): the reading's problems, each reported by the rule
whose id it carries."""

from __future__ import annotations

import pytest

from hooklint.model import Severity
from tests.helpers import lint_with, rows

FILES = {
    "broken.yaml": "kind: [unclosed\n",
    "pod.yaml": "apiVersion: v1\nkind: Pod\n",
    "templated.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n",
}


@pytest.mark.parametrize(
    ("rule", "row"),
    [
        (
            "HL001",
            (
                "broken.yaml",
                2,
                1,
                "HL001",
                "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence started at line 1, "
                "column 7)",
            ),
        ),
        ("HL002", ("pod.yaml", 1, 1, "HL002", "not a Kubernetes object: `metadata` is missing")),
        (
            "HL003",
            (
                "templated.yaml",
                4,
                9,
                "HL003",
                "Helm/Go template syntax: this file is a template, not a manifest; render it first (helm template "
                "RELEASE CHART | hooklint lint -)",
            ),
        ),
    ],
    ids=["invalid-yaml", "not-a-kubernetes-object", "unrendered-template"],
)
def test_each_input_rule_reports_only_the_problems_of_its_id_as_errors(
    rule: str, row: tuple[str, int, int, str, str]
) -> None:
    found = lint_with(rule, FILES, clean=False)
    assert rows(found) == [row]
    assert [f.severity for f in found] == [Severity.ERROR]
