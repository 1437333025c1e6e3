"""Block edits: entries removed and added, fields set and documents appended, in the file's own style."""

from __future__ import annotations

import pytest

from hooklint.rules import blocks
from tests.rules.splicing import at, root, spliced

JOB = """\
metadata:
  name: migrate  # the name
  labels:
    app: shop
    argocd.argoproj.io/sync-wave: "-1"   # misplaced

  # the annotations
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
    template: {}
"""


def test_remove_entry_takes_its_whole_line_with_its_comment() -> None:
    node = root(JOB)
    chain = [
        (node, at(node, "metadata", key=True)),
        (at(node, "metadata"), at(node, "metadata", "labels", key=True)),
        (
            at(node, "metadata", "labels"),
            at(node, "metadata", "labels", "argocd.argoproj.io/sync-wave", key=True),
        ),
    ]
    removed = blocks.remove_entry("f", JOB, chain)
    assert spliced(JOB, removed) == JOB.replace('    argocd.argoproj.io/sync-wave: "-1"   # misplaced\n', "")


def test_remove_entry_takes_a_mapping_it_empties_with_it() -> None:
    text = "metadata:\n  name: x\n  labels:\n    only: one\n\n  # kept\n  annotations: {}\n"
    node = root(text)
    chain = [
        (node, at(node, "metadata", key=True)),
        (at(node, "metadata"), at(node, "metadata", "labels", key=True)),
        (at(node, "metadata", "labels"), at(node, "metadata", "labels", "only", key=True)),
    ]
    assert (
        spliced(text, blocks.remove_entry("f", text, chain))
        == "metadata:\n  name: x\n\n  # kept\n  annotations: {}\n"
    )


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("m: {a: 1, b: 2, c: 3}\n", "b", "m: {a: 1, c: 3}\n"),
        ("m: {a: 1, b: 2}\n", "b", "m: {a: 1}\n"),
        ("m: {a: 1}\n", "a", "m: {}\n"),
    ],
)
def test_remove_entry_in_a_flow_mapping(text: str, key: str, expected: str) -> None:
    node = root(text)
    chain = [(node, at(node, "m", key=True)), (at(node, "m"), at(node, "m", key, key=True))]
    assert spliced(text, blocks.remove_entry("f", text, chain)) == expected


def test_remove_entry_keeps_a_missing_final_line_break_missing() -> None:
    text = "a: 1\nb: 2"
    node = root(text)
    assert spliced(text, blocks.remove_entry("f", text, [(node, at(node, "b", key=True))])) == "a: 1"


def test_add_entry_goes_after_the_last_line_of_the_last_entry_before_blank_lines_and_comments() -> None:
    edit = blocks.add_entry("f", JOB, at(JOB, "metadata", "labels"), "team", "web")
    assert spliced(JOB, edit) == JOB.replace("# misplaced\n", "# misplaced\n    team: web\n")


def test_add_entry_after_a_key_and_first_use_the_mapping_indentation() -> None:
    spec = at(JOB, "spec")
    first = blocks.add_entry("f", JOB, spec, "backoffLimit", "2", first=True)
    assert spliced(JOB, first) == JOB.replace("spec:\n", "spec:\n    backoffLimit: 2\n")
    node = root(JOB)
    anchor = at(node, "metadata", "name", key=True)
    after = blocks.add_entry("f", JOB, at(node, "metadata"), "namespace", "shop", after=anchor)
    assert spliced(JOB, after) == JOB.replace("# the name\n", "# the name\n  namespace: shop\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("m: {a: 1}\n", "m: {a: 1, k: v}\n"),
        ("m: {}\n", "m: {k: v}\n"),
        ("m:\nn: 1\n", "m: {k: v}\nn: 1\n"),
        ("m: ~\n", "m: {k: v}\n"),
        ("m:\n  a: 1", "m:\n  a: 1\n  k: v"),
        ("m:\r\n  a: 1\r\n", "m:\r\n  a: 1\r\n  k: v\r\n"),
    ],
    ids=["flow", "empty-flow", "null", "tilde", "no-final-newline", "crlf"],
)
def test_add_entry_fits_the_mapping_as_written(text: str, expected: str) -> None:
    assert spliced(text, blocks.add_entry("f", text, at(text, "m"), "k", "v")) == expected


def test_add_entry_after_a_literal_block_scalar_keeps_its_content() -> None:
    text = "m:\n  a: |\n    line\n\n  # note\nz: 1\n"
    assert spliced(text, blocks.add_entry("f", text, at(text, "m"), "k", "v")) == (
        "m:\n  a: |\n    line\n  k: v\n\n  # note\nz: 1\n"
    )


def test_add_annotation_creates_the_annotations_at_the_files_indentation() -> None:
    text = "kind: Job\nmetadata:\n    name: x\nspec: {}\n"
    edit = blocks.add_annotation("f", text, root(text), "argocd.argoproj.io/sync-wave", "-1")
    assert spliced(text, edit) == (
        'kind: Job\nmetadata:\n    name: x\n    annotations:\n        argocd.argoproj.io/sync-wave: "-1"\nspec: {}\n'
    )


def test_add_annotation_after_another_one() -> None:
    text = "metadata:\n  annotations:\n    a: x\n    hook: PreSync\n    z: y\n"
    edit = blocks.add_annotation("f", text, root(text), "policy", "HookSucceeded", after="hook")
    assert (
        spliced(text, edit)
        == "metadata:\n  annotations:\n    a: x\n    hook: PreSync\n    policy: HookSucceeded\n    z: y\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spec:\n  backoffLimit: 6\n", "spec:\n  backoffLimit: 2\n"),
        ("spec:\n  backoffLimit:\n", "spec:\n  backoffLimit: 2\n"),
        ("spec:\n  template: {}\n", "spec:\n  backoffLimit: 2\n  template: {}\n"),
        ("kind: Job\n", "kind: Job\nspec:\n  backoffLimit: 2\n"),
    ],
    ids=["replace", "empty", "first", "missing-spec"],
)
def test_set_field(text: str, expected: str) -> None:
    assert spliced(text, blocks.set_field("f", text, root(text), ("spec",), "backoffLimit", "2")) == expected


def test_set_field_goes_after_the_named_key() -> None:
    text = "spec:\n  backoffLimit: 0\n  template: {}\n"
    edit = blocks.set_field(
        "f", text, root(text), ("spec",), "activeDeadlineSeconds", "600", after="backoffLimit"
    )
    assert spliced(text, edit) == "spec:\n  backoffLimit: 0\n  activeDeadlineSeconds: 600\n  template: {}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\n", "a: 1\n---\nb: 2\n"),
        ("a: 1", "a: 1\n---\nb: 2"),
        ("a: 1\r\n", "a: 1\r\n---\r\nb: 2\r\n"),
        ("", "---\nb: 2\n"),
    ],
    ids=["newline", "no-final-newline", "crlf", "empty"],
)
def test_append_document_follows_the_files_line_endings(text: str, expected: str) -> None:
    assert spliced(text, blocks.append_document("f", text, ["b: 2"])) == expected
