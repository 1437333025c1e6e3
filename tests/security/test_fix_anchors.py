"""Item 10: fix refuses an edit inside an anchored node that an alias or a merge key uses elsewhere (it would
change every use while counting one fix); the finding stays, a note says why, and the rest is fixed."""

from __future__ import annotations

from tests.security.harness import Sandbox
from tests.security.test_confine import JOB

# A List holds both Jobs: anchors and aliases reach only within one YAML document.
MIGRATE = """\
apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: migrate
"""

ALIASED = (
    MIGRATE
    + """\
    annotations:
      argocd.argoproj.io/hook: PreSync
      argocd.argoproj.io/hook-delete-policy: &policy HookSucceeded
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: seed
    annotations:
      argocd.argoproj.io/hook: PreSync
      argocd.argoproj.io/hook-delete-policy: *policy
"""
)

MERGED = (
    MIGRATE
    + """\
    annotations: &defaults
      argocd.argoproj.io/hook: PreSync
      argocd.argoproj.io/hook-delete-policy: HookSucceeded
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: seed
    annotations:
      <<: *defaults
      argocd.argoproj.io/sync-wave: "1"
"""
)

OTHER = JOB.replace("migrate", "other")
OTHER_FIXED = OTHER.replace("HookSucceeded", "BeforeHookCreation,HookSucceeded")


def _refused(box: Sandbox, text: str, note: str, remain: int) -> None:
    path = box.write("app/job.yaml", text)
    other = box.write("app/other.yaml", OTHER)
    result = box.run(["fix", "--diff", "app"])
    assert result.stdout == (
        "--- a/app/other.yaml\n+++ b/app/other.yaml\n@@ -4,4 +4,4 @@\n"
        "   name: other\n   annotations:\n     argocd.argoproj.io/hook: PreSync\n"
        "-    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n"
        "+    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded\n"
    )
    assert result.code == 1
    result = box.run(["fix", "app"])
    assert path.read_bytes() == text.encode()
    assert other.read_text() == OTHER_FIXED
    assert result.stderr.splitlines()[:2] == [
        note,
        f"hooklint: fixed 1 finding(s) in 1 file(s) (HL101 ×1); {remain} remain:",
    ]
    assert result.code == 1
    box.confined(result)


def test_a_value_an_alias_uses_is_not_fixed(box: Sandbox) -> None:
    _refused(
        box,
        ALIASED,
        "hooklint: app/job.yaml:10: not fixed: the value is anchored (&policy) and used by 1 alias; "
        "edit it by hand",
        9,
    )


def test_a_mapping_a_merge_key_uses_is_not_fixed(box: Sandbox) -> None:
    _refused(
        box,
        MERGED,
        "hooklint: app/job.yaml:10: not fixed: the value is anchored (&defaults) and used by 1 merge key; "
        "edit it by hand",
        6,
    )


def test_an_anchor_no_alias_uses_is_fixed_and_kept(box: Sandbox) -> None:
    text = ALIASED.replace("*policy", "BeforeHookCreation,HookSucceeded")
    path = box.write("app/job.yaml", text)
    result = box.run(["fix", "app"])
    assert path.read_text() == text.replace(
        "&policy HookSucceeded", "&policy BeforeHookCreation,HookSucceeded"
    )
    assert result.stderr.splitlines()[0].startswith("hooklint: fixed 1 finding(s) in 1 file(s) (HL101 ×1); ")
    assert result.code == 0


def test_a_file_without_anchors_is_fixed_as_before(box: Sandbox) -> None:
    text = ALIASED.replace("&policy ", "").replace("*policy", "HookSucceeded")
    path = box.write("app/job.yaml", text)
    result = box.run(["fix", "app"])
    assert path.read_text() == text.replace("HookSucceeded", "BeforeHookCreation,HookSucceeded")
    assert result.stderr.splitlines()[0] == (
        "hooklint: fixed 2 finding(s) in 1 file(s) (HL101 ×2); 5 remain:"
    )
    assert result.code == 0
