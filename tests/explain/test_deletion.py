"""The deletion renderers (hooklint/explain/deletion.py): the deletion plan and a failed deletion."""

from __future__ import annotations

from hooklint.explain.deletion import (
    deletion_failure_markdown,
    deletion_failure_mermaid,
    deletion_failure_text,
    deletion_markdown,
    deletion_mermaid,
    deletion_text,
)
from hooklint.sync.deletion import deletion, fail_deletion
from hooklint.sync.whatif import find
from tests.helpers import plan_of
from tests.sync.samples import DELETION, hook, obj


def test_deletion_text_lists_each_phase_in_order() -> None:
    text = deletion_text(deletion(plan_of(DELETION)))
    assert text.splitlines()[2:9] == [
        "1. PreDelete hooks (Argo CD 3.3+): created all at once, no wave order; the deletion waits until all are "
        "healthy:",
        "       Job/drain  default  app.yaml:46",
        "2. Cascade: one wave at a time, highest first; each batch waits until every object of the one before is "
        "gone:",
        "   wave 2   Deployment/api  default  app.yaml:31",
        "            Service/api     default  app.yaml:38  Delete=confirm: waits for approval",
        "   wave 0   Job/drain       default  app.yaml:46  created by the PreDelete step",
        "            Job/report      default  app.yaml:69",
    ]


def test_deletion_mermaid_chains_the_phases() -> None:
    assert deletion_mermaid(
        deletion(plan_of(obj("ConfigMap", "a", 1) + "---\n" + hook("bye", "PostDelete")))
    ) == (
        "flowchart TD\n"
        '  pre["PreDelete, all at once: none"]\n'
        '  b1["wave 1: ConfigMap/a"]\n'
        '  post["PostDelete, all at once: Job/bye"]\n'
        '  cleanup["cleanup; left behind: Job/bye"]\n'
        "  pre --> b1\n"
        '  b1 -->|"all gone"| post\n'
        "  post --> cleanup\n"
    )


def test_deletion_failure_text_for_a_stuck_object() -> None:
    the_plan = plan_of(DELETION)
    assert deletion_failure_text(fail_deletion(the_plan, find("Service/api", the_plan))) == (
        "What if Service/api fails when the Application is deleted\n"
        "    Service/api's deletion never finishes (a finalizer holds it): the deletion waits for it, and no later "
        "batch starts\n"
        "\n"
        "Deleted before it stops: Deployment/api\n"
        "Never happens: cascade batch wave 0; cascade batch wave -5; PostDelete hooks Job/goodbye, Job/tidy; "
        "the cleanup of delete hooks; the removal of the Application\n"
        "Left in the cluster: Service/api, Job/drain (created by the PreDelete step), Job/report, Job/seed-* "
        "(one object per sync that ran it: generateName), Namespace/shop\n"
        "    and what the deletion never deletes: CustomResourceDefinition/widgets.example.com, ConfigMap/keep-me, "
        "Secret/helm-kept\n"
    )


def test_deletion_markdown_lists_each_phase() -> None:
    assert deletion_markdown(deletion(plan_of(DELETION))) == (
        "## Deletion plan (Application deleted with cascade)\n"
        "\n"
        "1. **PreDelete hooks**, all at once: `Job/drain`\n"
        "2. **Cascade**, one wave at a time, highest first:\n"
        "   - wave 2: `Deployment/api`, `Service/api` (Delete=confirm: waits for approval)\n"
        "   - wave 0: `Job/drain` (created by the PreDelete step), `Job/report`, `Job/seed-*` (one object per sync "
        "that ran it: generateName)\n"
        "   - wave -5: `Namespace/shop`\n"
        "   - never deleted: `CustomResourceDefinition/widgets.example.com` (a CustomResourceDefinition: Argo CD "
        "never deletes one), `ConfigMap/keep-me` (Delete=false, but deleting Namespace/shop (wave -5) removes it "
        "too), `Secret/helm-kept` (helm.sh/resource-policy: keep)\n"
        "3. **PostDelete hooks**, all at once: `Job/goodbye`, `Job/tidy`\n"
        "4. **Left behind** after the cleanup: `Job/goodbye` (PostDelete hook, delete policy BeforeHookCreation "
        "(the default): the cleanup removes it only with HookSucceeded)\n"
    )


def test_deletion_failure_mermaid_marks_the_stage_that_blocks() -> None:
    the_plan = plan_of(DELETION)
    lines = deletion_failure_mermaid(fail_deletion(the_plan, find("Service/api", the_plan))).splitlines()
    assert lines[-3:] == [
        '  b1 -->|"Service/api fails"| stuck((Deletion blocked))',
        "  classDef failed fill:#fee2e2,stroke:#b91c1c",
        "  class b1 failed",
    ]
    markdown = deletion_failure_markdown(fail_deletion(the_plan, find("Job/drain", the_plan)))
    assert markdown.splitlines()[-1] == (
        "- **Left in the cluster:** Deployment/api, Service/api, Job/report, Job/seed-* (one object per sync that "
        "ran it: generateName), Namespace/shop"
    )
