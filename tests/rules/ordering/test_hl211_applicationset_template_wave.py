"""Tests of HL211 applicationset-template-wave."""

from __future__ import annotations

import pytest

from hooklint.config.settings import Settings
from tests.helpers import findings

APPSET = """\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: platform
  namespace: argocd
spec:
  generators:
    - list:
        elements:
          - name: infra
{strategy}  template:
    metadata:
      name: "{{{{name}}}}"
      annotations:
        argocd.argoproj.io/sync-wave: "1"
    spec:
      project: default
"""
STEPS = """\
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions:
            - {key: tier, operator: In, values: [infra]}
"""


def lint(text: str) -> list[tuple[str, int, int, str, str]]:
    return findings({"appset.yaml": text}, Settings(select=("HL211",)))


@pytest.mark.parametrize(
    ("strategy", "line", "how"),
    [
        ("", 15, "with strategy AllAtOnce they are all updated at once"),
        ("  strategy:\n    type: AllAtOnce\n", 17, "with strategy AllAtOnce they are all updated at once"),
        (STEPS, 21, "its RollingSync steps alone decide the order"),
        (
            "  strategy:\n    type: RollingSync\n    rollingSync: {}\n",
            18,
            "its RollingSync strategy lists no steps",
        ),
    ],
    ids=["no-strategy", "all-at-once", "rolling-sync", "rolling-sync-without-steps"],
)
def test_wave_in_an_applicationset_template_is_flagged_at_the_key(strategy: str, line: int, how: str) -> None:
    assert lint(APPSET.format(strategy=strategy)) == [
        (
            "appset.yaml",
            line,
            9,
            "HL211",
            "argocd.argoproj.io/sync-wave in ApplicationSet/platform's template orders nothing: the "
            f"ApplicationSet controller creates its Applications itself and no parent Application syncs them; {how}",
        )
    ]


def test_wave_on_the_applicationset_itself_is_left_alone() -> None:
    text = APPSET.format(strategy="").replace(
        "  namespace: argocd\n",
        "  namespace: argocd\n  annotations:\n    argocd.argoproj.io/sync-wave: '2'\n",
    )
    text = text.replace('      annotations:\n        argocd.argoproj.io/sync-wave: "1"\n', "")
    assert lint(text) == []


def test_wave_on_an_application_template_elsewhere_is_left_alone() -> None:
    text = APPSET.format(strategy="").replace("kind: ApplicationSet", "kind: Application")
    assert lint(text) == []
