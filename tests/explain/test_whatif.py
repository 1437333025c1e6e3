"""The what-if renderers (hooklint/explain/whatif.py): a failure's answer as text, mermaid and markdown."""

from __future__ import annotations

from hooklint.explain.whatif import failure_markdown, failure_mermaid, failure_text
from hooklint.sync.whatif import fail, find
from tests.helpers import plan_of
from tests.sync.samples import WHAT_IF


def test_failure_text_says_what_runs_what_never_does_and_what_stays() -> None:
    the_plan = plan_of(WHAT_IF)
    assert failure_text(fail(the_plan, find("Job/schema", the_plan))) == (
        "What if Job/schema fails: it runs in PreSync wave 0 (step 1 of 4)\n"
        "    Argo CD handles the failure once nothing else in the step is running: the rest of the step "
        "finishes first, and no later step starts.\n"
        "\n"
        "Steps that run\n"
        "    1  PreSync wave 0  Job/backup, Job/schema (fails)\n"
        "\n"
        "Steps that never run\n"
        "    2  Sync wave 0      ConfigMap/settings\n"
        "    3  Sync wave 1      Deployment/api\n"
        "    4  PostSync wave 0  Job/smoke\n"
        "\n"
        "SyncFail hooks, started all at once: Job/alert, Job/page\n"
        "    the sync stays Running until every one is done, then fails\n"
        "Deleted by HookFailed, whether they succeeded or not: Job/schema\n"
        "    and, once they are done, the SyncFail hooks Job/alert\n"
        "\n"
        "Left in the cluster\n"
        "    applied by this sync: none\n"
        "    hook Job/backup: only a successful sync deletes it (HookSucceeded)\n"
        "    hook Job/page: the next sync that runs it replaces it (BeforeHookCreation)\n"
        "    never applied, whatever version is live stays (none on a first install): ConfigMap/settings, "
        "Deployment/api\n"
    )


def test_failure_mermaid_colours_what_ran_what_failed_and_what_never_ran() -> None:
    the_plan = plan_of(WHAT_IF)
    assert failure_mermaid(fail(the_plan, find("ConfigMap/settings", the_plan))) == (
        "flowchart TD\n"
        '  step1["1. PreSync wave 0: Job/backup, Job/schema"]\n'
        '  step2["2. Sync wave 0: ConfigMap/settings"]\n'
        '  step3["3. Sync wave 1: Deployment/api"]\n'
        '  step4["4. PostSync wave 0: Job/smoke"]\n'
        "  failed((Failed))\n"
        "  step1 --> step2\n"
        '  syncfail["SyncFail, all at once: Job/alert, Job/page"]\n'
        '  step2 -->|"ConfigMap/settings fails"| syncfail --> failed\n'
        "  step2 -.-x|never| step3\n"
        "  step3 -.-x|never| step4\n"
        "  classDef ran fill:#dcfce7,stroke:#15803d\n"
        "  classDef failed fill:#fee2e2,stroke:#b91c1c\n"
        "  classDef never fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4 4\n"
        "  class step1 ran\n"
        "  class step2 failed\n"
        "  class step3,step4 never\n"
    )


def test_failure_markdown_is_a_step_table_and_a_list() -> None:
    the_plan = plan_of(WHAT_IF)
    assert failure_markdown(fail(the_plan, find("Deployment/api", the_plan))) == (
        "## What if Deployment/api fails: it runs in Sync wave 1 (step 3 of 4)\n"
        "\n"
        "Argo CD handles the failure once nothing else in the step is running: the rest of the step finishes "
        "first, and no later step starts.\n"
        "\n"
        "| step | ran | tasks |\n"
        "|---|---|---|\n"
        "| 1. PreSync wave 0 | yes | `Job/backup`, `Job/schema` |\n"
        "| 2. Sync wave 0 | yes | `ConfigMap/settings` |\n"
        "| 3. Sync wave 1 | fails | `Deployment/api` |\n"
        "| 4. PostSync wave 0 | never | `Job/smoke` |\n"
        "\n"
        "- **SyncFail hooks, started all at once:** `Job/alert`, `Job/page`\n"
        "- **Deleted by HookFailed, whether they succeeded or not:** `Job/schema`; once done, `Job/alert`\n"
        "- **Left in the cluster, applied by this sync:** `ConfigMap/settings`, `Deployment/api`\n"
        "- **Hook left in the cluster:** `Job/backup`: only a successful sync deletes it (HookSucceeded)\n"
        "- **Hook left in the cluster:** `Job/page`: the next sync that runs it replaces it (BeforeHookCreation)\n"
        "- **Never applied (the live version stays):** none\n"
    )
