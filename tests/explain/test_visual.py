from __future__ import annotations

from hooklint.explain.visual import to_markdown, to_mermaid
from tests.helpers import plan_of

APP = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
---
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: SyncFail
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
"""


def test_markdown_has_a_table_per_phase_and_the_gates() -> None:
    assert to_markdown(plan_of(APP)) == (
        "## Sync plan\n\n"
        "### PreSync\n\n"
        "| step | object | namespace | hook | delete policy | source |\n|---|---|---|---|---|---|\n"
        "| 1 (wave 0) | `Namespace/shop` (pulled forward by `Job/migrate`) |  |  |  | `app.yaml:1` |\n"
        "| 1 (wave 0) | `Job/migrate` | shop | hook | BeforeHookCreation | `app.yaml:6` |\n\n"
        "### Sync\n\n"
        "| step | object | namespace | hook | delete policy | source |\n|---|---|---|---|---|---|\n"
        "| 2 (wave 0) | `Deployment/api` | shop |  |  | `app.yaml:14` |\n\n"
        "### Gates\n\n"
        "1. **PreSync wave 0**: 2 s delay, then waits until healthy or complete: Job/migrate complete\n"
        "2. **Sync wave 0**: final step, not waited on: the sync succeeds as soon as it is applied\n\n"
        "### SyncFail (started all at once when any step fails)\n\n"
        "| step | object | namespace | hook | delete policy | source |\n|---|---|---|---|---|---|\n"
        "|  | `Job/notify` | shop | hook | HookSucceeded | `app.yaml:20` |\n"
    )


def test_mermaid_draws_steps_hooks_apart_and_gates_on_the_edges() -> None:
    assert to_mermaid(plan_of(APP)) == (
        "flowchart TD\n"
        '  subgraph step1["1. PreSync wave 0"]\n'
        '    t1["Namespace/shop (namespace pull)"]\n'
        '    t2(["Job/migrate"])\n'
        "  end\n"
        '  subgraph step2["2. Sync wave 0"]\n'
        '    t3["Deployment/api"]\n'
        "  end\n"
        '  step1 -->|"Job/migrate complete"| step2\n'
        '  step2 -->|"not waited on"| synced((Synced))\n'
        '  subgraph syncfail["SyncFail: all at once"]\n'
        '    t4(["Job/notify"])\n'
        "  end\n"
        "  step1 -.->|fails| syncfail\n"
        "  step2 -.->|fails| syncfail\n"
        "  classDef hook fill:#fef3c7,stroke:#b45309\n"
        "  class t2,t4 hook\n"
    )
