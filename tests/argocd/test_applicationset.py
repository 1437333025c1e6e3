"""Tests of reading ApplicationSets: template waves, RollingSync steps and the Applications of list generators."""

from __future__ import annotations

import pytest

from hooklint.argocd.applicationset import Expression, rollout, template_wave
from tests.helpers import resources

APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: platform
spec:
{go}  generators:
    - list:
        elements:
          - {{name: cert-manager, tier: infra}}
          - {{name: shop, tier: apps, canary: "true"}}
          - {{name: docs}}
          - {{name: blog, tier: web}}
    - git:
        repoURL: https://git.example.com/apps.git
        directories: [{{path: "apps/*"}}]
  strategy:
    type: {kind}
    rollingSync:
      steps:
        - matchExpressions:
            - {{key: tier, operator: In, values: [infra]}}
        - matchExpressions:
            - {{key: canary, operator: NotIn, values: ["false"]}}
          maxUpdate: 25%
        - matchExpressions: []
          maxUpdate: 2
  template:
    metadata:
      name: {name}
      labels:
        tier: {tier}
    spec:
      project: default
"""


def appset(kind: str = "RollingSync", go: bool = False) -> str:
    if go:
        return APPSET.format(go="  goTemplate: true\n", kind=kind, name="'{{ .name }}'", tier="'{{.tier}}'")
    return APPSET.format(go="", kind=kind, name="'{{name}}'", tier="'{{ tier }}'")


@pytest.mark.parametrize(
    ("expression", "labels", "passes"),
    [
        (Expression("tier", "In", ("infra",)), {"tier": "infra"}, True),
        (Expression("tier", "In", ("infra",)), {"tier": "apps"}, False),
        (Expression("tier", "In", ("infra",)), {}, False),
        (Expression("tier", "NotIn", ("infra",)), {"tier": "apps"}, True),
        (Expression("tier", "NotIn", ("infra",)), {"tier": "infra"}, False),
        (Expression("tier", "NotIn", ("infra",)), {}, True),
        (Expression("tier", "Exists", ()), {"tier": "infra"}, False),
        (Expression("tier", "Exists", ()), {}, True),
    ],
    ids=["in", "in-other", "in-absent", "notin", "notin-listed", "notin-absent", "bad-op", "bad-op-absent"],
)
def test_match_expression_reads_labels_as_the_applicationset_controller(
    expression: Expression, labels: dict[str, str], passes: bool
) -> None:
    assert expression.matches(labels) is passes


@pytest.mark.parametrize("go", [False, True], ids=["fasttemplate", "go-template"])
def test_rolling_sync_places_list_applications_in_the_first_step_that_takes_them(go: bool) -> None:
    found = rollout(resources(appset(go=go))[0])
    assert found is not None
    assert [(s.number, s.max_update, len(s.expressions)) for s in found.steps] == [
        (1, None, 1),
        (2, "25%", 1),
        (3, 2, 0),
    ]
    # Step 2 takes shop (canary is not false) and blog (no canary label: NotIn passes); docs has no tier, so
    # its labels are unknown and no step is known to take it.
    assert [(app.name, found.step_of(app)) for app in found.generated] == [
        ("cert-manager", 1),
        ("shop", 2),
        ("docs", None),
        ("blog", 2),
    ]
    assert found.unlisted_generators == 1


def test_placeholder_without_parameter_leaves_labels_unknown() -> None:
    found = rollout(resources(appset())[0])
    assert found is not None
    docs = found.generated[2]
    assert (docs.name, docs.labels, docs.span.line) == ("docs", None, 11)


@pytest.mark.parametrize("kind", ["AllAtOnce", "rollingsync", ""], ids=["all-at-once", "wrong-case", "empty"])
def test_only_rolling_sync_with_steps_is_a_rollout(kind: str) -> None:
    assert rollout(resources(appset(kind=kind))[0]) is None


def test_template_wave_is_found_at_its_key() -> None:
    text = appset().replace(
        "      labels:\n", "      annotations: {argocd.argoproj.io/sync-wave: '1'}\n      labels:\n"
    )
    span = template_wave(resources(text)[0])
    assert span is not None and (span.line, span.column) == (30, 21)
    assert template_wave(resources(appset())[0]) is None
