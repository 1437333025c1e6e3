"""Tests of the RollingSync steps that explain adds for ApplicationSets, in text, JSON and markdown."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import invoke

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
          - {name: cert-manager, tier: infra}
          - {name: shop, tier: apps}
          - {name: legacy, tier: old}
    - clusters: {}
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions:
            - {key: tier, operator: In, values: [infra]}
        - matchExpressions:
            - {key: tier, operator: In, values: [apps]}
          maxUpdate: 50%
  template:
    metadata:
      name: "{{name}}"
      labels:
        tier: "{{tier}}"
    spec:
      project: default
"""


def explain(tmp_path: Path, *options: str) -> str:
    (tmp_path / "appset.yaml").write_text(APPSET)
    code, out, err = invoke(["explain", *options, "appset.yaml"], cwd=tmp_path)
    assert (code, err) == (0, "")
    return out


def test_text_shows_each_step_its_selector_its_limit_and_its_applications(tmp_path: Path) -> None:
    out = explain(tmp_path)
    assert out.endswith(
        "\nApplicationSet platform (appset.yaml:1): RollingSync in 2 step(s), each after every Application of "
        "the one before is healthy\n"
        "    step 1: tier In (infra); maxUpdate unset (no limit)\n"
        "        cert-manager\n"
        "    step 2: tier In (apps); maxUpdate 50%\n"
        "        shop\n"
        "    in no step, never synced by the rollout: legacy\n"
        "    1 generator(s) other than a literal list: their Applications are not known\n"
    )


def test_json_lists_the_steps_under_application_sets(tmp_path: Path) -> None:
    document = json.loads(explain(tmp_path, "--format", "json"))
    assert document["application_sets"] == [
        {
            "name": "platform",
            "file": "appset.yaml",
            "line": 1,
            "steps": [
                {
                    "step": 1,
                    "match_expressions": [{"key": "tier", "operator": "In", "values": ["infra"]}],
                    "max_update": None,
                    "applications": ["cert-manager"],
                },
                {
                    "step": 2,
                    "match_expressions": [{"key": "tier", "operator": "In", "values": ["apps"]}],
                    "max_update": "50%",
                    "applications": ["shop"],
                },
            ],
            "in_no_step": ["legacy"],
            "labels_unknown": [],
            "unlisted_generators": 1,
        }
    ]


def test_markdown_gives_each_applicationset_a_section(tmp_path: Path) -> None:
    out = explain(tmp_path, "--format", "markdown")
    assert "\n### ApplicationSet platform (appset.yaml:1): RollingSync in 2 step(s)" in out
    assert "\n- step 2: tier In (apps); maxUpdate 50%\n  - shop\n" in out


def test_plan_without_rolling_sync_has_no_application_sets(tmp_path: Path) -> None:
    (tmp_path / "appset.yaml").write_text(APPSET.replace("type: RollingSync", "type: AllAtOnce"))
    code, out, _ = invoke(["explain", "--format", "json", "appset.yaml"], cwd=tmp_path)
    assert code == 0 and "application_sets" not in json.loads(out)


def test_hostile_names_and_unknown_labels_are_shown_escaped(tmp_path: Path) -> None:
    text = APPSET.replace("{name: legacy, tier: old}", '{name: "evil\\e]8;;x\\a"}')
    (tmp_path / "appset.yaml").write_text(text)
    code, out, _ = invoke(["explain", "appset.yaml"], cwd=tmp_path)
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "\n    labels not known statically: evil\\x1b]8;;x\\x07\n" in out
