"""The selective-sync renderers (hooklint/explain/selective.py): the hook-free plan and what it needs."""

from __future__ import annotations

from hooklint.explain.selective import selective_markdown, selective_mermaid
from hooklint.sync.whatif import selective
from tests.helpers import plan_of
from tests.sync.samples import SELECTIVE


def test_selective_markdown_and_mermaid_show_the_hook_free_plan_and_the_needs() -> None:
    result = selective(plan_of(SELECTIVE))
    markdown = selective_markdown(result)
    assert markdown.startswith("## Selective sync or apply strategy: no hook runs\n\n### Sync\n\n")
    assert markdown.endswith(
        "### Hooks that do not run\n\n- `ConfigMap/migrations` (PreSync wave 0)\n\n"
        "### Resources that need objects only hooks create\n\n"
        "- Deployment/api needs ConfigMap/migrations (envFrom configMapRef): it exists only as a hook "
        "(PreSync wave 0): missing after every successful full sync, which deletes it (HookSucceeded)\n"
    )
    assert selective_mermaid(result) == (
        "flowchart TD\n"
        '  step1["1. Sync wave -1: Namespace/shop"]\n'
        '  step2["2. Sync wave 0: Deployment/api"]\n'
        "  step1 --> step2\n"
        '  subgraph hooks["hooks: not run"]\n'
        '    h1(["ConfigMap/migrations"])\n'
        "  end\n"
        '  step2 -.->|"Deployment/api needs"| h1\n'
        "  classDef hook fill:#fef3c7,stroke:#b45309\n"
        "  class h1 hook\n"
    )
