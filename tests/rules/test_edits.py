"""Text splices: each edit changes its node and nothing else, in the file's own style."""

from __future__ import annotations

import pytest

from hooklint.model import Span
from hooklint.rules import edits
from tests.rules.splicing import at, spliced


@pytest.mark.parametrize(
    ("value", "flow", "expected"),
    [
        ("PreSync", False, "PreSync"),
        ("BeforeHookCreation,HookSucceeded", False, "BeforeHookCreation,HookSucceeded"),
        ("BeforeHookCreation,HookSucceeded", True, '"BeforeHookCreation,HookSucceeded"'),
        ("-1", False, '"-1"'),
        ("true", False, '"true"'),
        ("no", False, '"no"'),
        ("1.5", False, '"1.5"'),
        ("", False, '""'),
        ("a: b", False, '"a: b"'),
        ("x #y", False, '"x #y"'),
        (" padded", False, '" padded"'),
        ("registry.example.com/shop/api:1.4.3", False, "registry.example.com/shop/api:1.4.3"),
    ],
    ids=lambda v: repr(v),
)
def test_render_writes_plain_only_what_reads_back_as_the_same_string(
    value: str, flow: bool, expected: str
) -> None:
    assert edits.render(value, flow=flow) == expected


def test_csv_replace_changes_the_item_and_keeps_spacing_and_quotes() -> None:
    text = 'a:\n  h: "PreSync,  postsync" # keep\n'
    edit = edits.csv_replace("f", at(text, "a", "h"), "postsync", "PostSync", flow=False)
    assert spliced(text, edit) == 'a:\n  h: "PreSync,  PostSync" # keep\n'


def test_csv_replace_in_a_single_quoted_value_keeps_single_quotes() -> None:
    text = "h: 'Presync'\n"
    assert (
        spliced(text, edits.csv_replace("f", at(text, "h"), "Presync", "PreSync", flow=False))
        == "h: 'PreSync'\n"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("HookSucceeded", "BeforeHookCreation,HookSucceeded"),
        ("HookSucceeded, HookFailed", "BeforeHookCreation, HookSucceeded, HookFailed"),
        ("  HookFailed", "  BeforeHookCreation,HookFailed"),
    ],
)
def test_csv_prepend_separates_the_way_the_value_does(value: str, expected: str) -> None:
    text = f'p: "{value}"\n'
    edit = edits.csv_prepend("f", at(text, "p"), "BeforeHookCreation", flow=False)
    assert spliced(text, edit) == f'p: "{expected}"\n'


def test_csv_prepend_in_a_flow_mapping_quotes_the_new_list() -> None:
    text = "annotations: {p: HookSucceeded, q: x}\n"
    edit = edits.csv_prepend("f", at(text, "annotations", "p"), "BeforeHookCreation", flow=True)
    assert spliced(text, edit) == 'annotations: {p: "BeforeHookCreation,HookSucceeded", q: x}\n'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Skip,PostSync", "PostSync"),
        ("PreSync, Skip, PostSync", "PreSync, PostSync"),
        ("PreSync,Skip", "PreSync"),
        ("Skip,PreSync,Skip", "PreSync"),
    ],
)
def test_csv_remove_takes_the_item_with_its_separator(value: str, expected: str) -> None:
    text = f"h: {value}\n"
    assert spliced(text, edits.csv_remove("f", at(text, "h"), "Skip", flow=False)) == f"h: {expected}\n"


def test_csv_remove_leaves_no_empty_value() -> None:
    text = "h: Skip\n"
    assert edits.csv_remove("f", at(text, "h"), "Skip", flow=False) is None


def test_a_block_scalar_becomes_one_double_quoted_line_and_its_line_break_stays() -> None:
    text = "p: >-\n  HookSucceeded\nq: 1\n"
    edit = edits.csv_prepend("f", at(text, "p"), "BeforeHookCreation", flow=False, text=text)
    assert spliced(text, edit) == 'p: "BeforeHookCreation,HookSucceeded"\nq: 1\n'


def test_a_block_scalar_is_not_rewritten_without_the_text() -> None:
    text = "p: |\n  HookSucceeded\n"
    assert edits.csv_prepend("f", at(text, "p"), "BeforeHookCreation", flow=False) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("w: 5  # five\n", 'w: "5"  # five\n'),
        ("w: no\n", 'w: "no"\n'),
        ("w: -1.5\n", 'w: "-1.5"\n'),
        ("w:\nx: y\n", 'w: ""\nx: y\n'),
        ("{w: true, x: y}\n", '{w: "true", x: y}\n'),
    ],
)
def test_quote_wraps_the_value_as_written(text: str, expected: str) -> None:
    assert spliced(text, edits.quote("f", at(text, "w"))) == expected


def test_quote_leaves_multi_line_values_alone() -> None:
    text = "w: 1\n  2\n"
    assert edits.quote("f", at(text, "w")) is None


def test_an_alias_is_told_apart_from_a_value_written_in_place() -> None:
    text = "a: &x HookSucceeded\nb: *x\nc: HookFailed\n"
    key_b = Span.of_node("f", at(text, "b", key=True))
    key_c = Span.of_node("f", at(text, "c", key=True))
    assert edits.is_alias(key_b, at(text, "b"))
    assert not edits.is_alias(key_c, at(text, "c"))
