"""HL001-HL003: input that is not a usable manifest (the loader's Problems)."""

from __future__ import annotations

from hooklint import model
from hooklint.model import Rule, Severity
from hooklint.rules.context import input_problems

INVALID_YAML = Rule(
    id=model.INVALID_YAML,
    name="invalid-yaml",
    summary="A file that is not valid YAML (or not UTF-8 text): Argo CD cannot render the application.",
    severity=Severity.ERROR,
    check=input_problems,
    unreadable_file=True,
)
NOT_A_KUBERNETES_OBJECT = Rule(
    id=model.NOT_A_KUBERNETES_OBJECT,
    name="not-a-kubernetes-object",
    summary="A document that is not a mapping with apiVersion, kind and metadata.name or generateName.",
    severity=Severity.ERROR,
    check=input_problems,
)
UNRENDERED_TEMPLATE = Rule(
    id=model.UNRENDERED_TEMPLATE,
    name="unrendered-template",
    summary="Helm/Go template syntax in a manifest: render it first and lint the output.",
    severity=Severity.ERROR,
    check=input_problems,
    unreadable_file=True,
)

RULES: tuple[Rule, ...] = (INVALID_YAML, NOT_A_KUBERNETES_OBJECT, UNRENDERED_TEMPLATE)
