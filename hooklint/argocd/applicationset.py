"""The Argo CD ApplicationSet object: its template's annotations, its RollingSync steps, and the Applications
its list generators make, grouped into those steps as the ApplicationSet controller groups them
(docs/argocd.md#applicationset-progressive-sync)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from hooklint.model import Resource, Span
from hooklint.util.frozen import frozen

GROUP, KIND = "argoproj.io", "ApplicationSet"
ROLLING_SYNC = "RollingSync"
TEMPLATE_ANNOTATIONS = ("spec", "template", "metadata", "annotations")

# A placeholder of the fasttemplate syntax (`{{name}}`, spaces trimmed) or of a Go template that only reads
# a parameter (`{{ .name }}`): the only forms hooklint fills in; anything else leaves a name unknown.
_PLAIN = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_GO = re.compile(r"\{\{-?\s*\.([A-Za-z_][A-Za-z0-9_.]*)\s*-?\}\}")


def is_application_set(resource: Resource) -> bool:
    return resource.group == GROUP and resource.kind == KIND


@frozen
class Expression:
    """One matchExpression of a step: a label key, In or NotIn, and values."""

    key: str
    operator: str
    values: tuple[str, ...]

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Whether an Application with `labels` passes this expression, as buildAppDependencyList reads it: a
        missing key fails In and passes anything else; a present key passes In when its value is listed and
        NotIn when it is not, and fails any other operator."""
        if self.key not in labels:
            return self.operator != "In"
        if self.operator not in ("In", "NotIn"):
            return False
        return (labels[self.key] in self.values) == (self.operator == "In")

    @property
    def text(self) -> str:
        return f"{self.key} {self.operator} ({', '.join(self.values)})"


@frozen
class RolloutStep:
    """One step of spec.strategy.rollingSync.steps."""

    number: int  # from 1, as Argo CD counts steps in its status
    expressions: tuple[Expression, ...]
    max_update: int | str | None  # as written (an integer or a percentage), None when unset: no limit
    span: Span


@frozen
class Generated:
    """An Application a list generator element makes: its name and labels with the element's values filled in
    (None when a placeholder stays unfilled)."""

    name: str | None
    labels: Mapping[str, str] | None
    span: Span  # the element


@frozen
class Rollout:
    """An ApplicationSet with a RollingSync strategy: its steps, the Applications known statically and which
    steps take each, and how many generators make Applications hooklint cannot list."""

    resource: Resource
    steps: tuple[RolloutStep, ...]
    generated: tuple[Generated, ...]
    unlisted_generators: int

    def step_of(self, app: Generated) -> int | None:
        """The number of the first step whose every expression passes the Application's labels; None when no
        step takes it (or its labels are unknown). Argo CD counts an Application in the first such step."""
        if app.labels is None:
            return None
        for step in self.steps:
            if all(expression.matches(app.labels) for expression in step.expressions):
                return step.number
        return None


def template_wave(resource: Resource) -> Span | None:
    """Where the template of an ApplicationSet writes argocd.argoproj.io/sync-wave (the key), if it does."""
    from hooklint.argocd.annotations import SYNC_WAVE

    annotations = resource.get(TEMPLATE_ANNOTATIONS)
    if not isinstance(annotations, Mapping) or SYNC_WAVE not in annotations:
        return None
    return resource.span_at((*TEMPLATE_ANNOTATIONS, SYNC_WAVE), key=True)


def strategy_type(resource: Resource) -> str:
    kind = resource.get(("spec", "strategy", "type"))
    return kind if isinstance(kind, str) else ""


def rollout(resource: Resource) -> Rollout | None:
    """The RollingSync rollout of an ApplicationSet; None unless the strategy is RollingSync with a rollingSync
    block and at least one step (RollingSyncStrategyEnabled). Malformed fields read as absent."""
    raw_steps = resource.get(("spec", "strategy", "rollingSync", "steps"))
    if strategy_type(resource) != ROLLING_SYNC or not isinstance(raw_steps, list) or not raw_steps:
        return None
    steps = [
        _step(resource, number, raw) for number, raw in enumerate(raw_steps, start=1) if isinstance(raw, dict)
    ]
    generated: list[Generated] = []
    unlisted = 0
    generators = resource.get(("spec", "generators"))
    go_template = resource.get(("spec", "goTemplate")) is True
    for index, generator in enumerate(generators if isinstance(generators, list) else ()):
        listed = generator.get("list") if isinstance(generator, dict) else None
        elements = listed.get("elements") if isinstance(listed, dict) else None
        if not isinstance(elements, list) or len(generator) != 1:
            unlisted += 1  # another generator, or a list with a selector or elementsYaml
            continue
        for number, element in enumerate(elements):
            path = ("spec", "generators", index, "list", "elements", number)
            generated.append(_generated(resource, element, go_template, resource.span_at(path)))
    return Rollout(resource, tuple(steps), tuple(generated), unlisted)


def _step(resource: Resource, number: int, raw: dict[str, Any]) -> RolloutStep:
    expressions = []
    for entry in raw.get("matchExpressions") or ():
        if not isinstance(entry, dict):
            continue
        values = entry.get("values")
        expressions.append(
            Expression(
                str(entry.get("key", "")),
                str(entry.get("operator", "")),
                tuple(str(v) for v in values) if isinstance(values, list) else (),
            )
        )
    limit = raw.get("maxUpdate")
    max_update = limit if isinstance(limit, (int, str)) and not isinstance(limit, bool) else None
    span = resource.span_at(("spec", "strategy", "rollingSync", "steps", number - 1))
    return RolloutStep(number, tuple(expressions), max_update, span)


def _generated(resource: Resource, element: Any, go_template: bool, span: Span) -> Generated:
    params = {k: v for k, v in element.items() if isinstance(k, str)} if isinstance(element, dict) else {}
    name = _fill(resource.get(("spec", "template", "metadata", "name")), params, go_template)
    raw_labels = resource.get(("spec", "template", "metadata", "labels"))
    labels: dict[str, str] | None = {}
    for key, value in raw_labels.items() if isinstance(raw_labels, dict) else ():
        filled_key, filled = _fill(key, params, go_template), _fill(value, params, go_template)
        if filled_key is None or filled is None or labels is None:
            labels = None
            continue
        labels[filled_key] = filled
    return Generated(name, labels, span)


def _fill(text: Any, params: Mapping[str, Any], go_template: bool) -> str | None:
    """`text` with each placeholder replaced by its parameter; None when one has no scalar parameter."""
    if not isinstance(text, str):
        return None if isinstance(text, (dict, list)) or text is None else str(text)
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        found = params.get(match.group(1))
        if found is None or isinstance(found, (dict, list)):
            missing = True
            return ""
        return str(found).lower() if isinstance(found, bool) else str(found)

    filled = (_GO if go_template else _PLAIN).sub(value, text)
    return None if missing or "{{" in filled else filled


def rollouts(resources: Sequence[Resource]) -> list[Rollout]:
    """Every ApplicationSet among `resources` with a RollingSync rollout, in input order."""
    found = (rollout(r) for r in resources if is_application_set(r))
    return [r for r in found if r is not None]
