"""Every annotation-parsing fact of docs/argocd.md#annotations, one test each."""

from __future__ import annotations

import pytest

from hooklint.argocd import annotations as argo
from hooklint.argocd.annotated import Annotated
from hooklint.argocd.annotations import atoi
from hooklint.model import Span
from tests.helpers import resources


def annotated(
    annotations: dict[str, str], kind: str = "Job", api: str = "batch/v1", name: str = "x"
) -> Annotated:
    lines = "".join(f"    {key}: {value}\n" for key, value in annotations.items())
    text = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  annotations:\n{lines}"
    if not annotations:
        text = f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n"
    (resource,) = resources(text)
    return Annotated(resource)


def hook(value: str, **more: str) -> Annotated:
    return annotated({argo.HOOK: value, **more})


@pytest.mark.parametrize(
    ("value", "types"),
    [
        ('"PreSync"', ("PreSync",)),
        ('"PreSync,PostSync"', ("PreSync", "PostSync")),
        ('" PreSync , PostSync "', ("PreSync", "PostSync")),
        ('"Sync,Sync"', ("Sync",)),
        ('"Sync,Garbage"', ("Sync",)),
        ('"PostSync,,PreSync,"', ("PostSync", "PreSync")),
        ('"SyncFail"', ("SyncFail",)),
    ],
    ids=["one", "two", "trimmed", "repeat", "garbage-dropped", "empties", "syncfail"],
)
def test_hook_types_are_csv_trimmed_deduplicated(value: str, types: tuple[str, ...]) -> None:
    item = hook(value)
    assert (item.is_hook, item.types) == (True, types)


@pytest.mark.parametrize("value", ['"Presync"', '"presync"', '"Pre-Sync"', '""', '"PRESYNC"'])
def test_unknown_hook_type_makes_a_typeless_hook_that_argo_drops(value: str) -> None:
    item = hook(value)
    assert (item.is_hook, item.types, item.typeless) == (True, (), True)


def test_dropped_hook_values_carry_their_own_column() -> None:
    item = hook('"PreSync,Postsync"')
    assert [(d.value, d.reason, d.span) for d in item.dropped_types] == [
        ("Postsync", argo.UNKNOWN, Span("app.yaml", 6, 39, 6, 47))
    ]


def test_unquoted_lists_give_each_item_its_own_column() -> None:
    item = hook("PreSync, Postsync")
    assert [(d.value, d.span) for d in item.dropped_types] == [("Postsync", Span("app.yaml", 6, 39, 6, 47))]


def test_skip_alone_skips_and_is_not_a_hook() -> None:
    item = hook('"Skip"')
    assert (item.skip, item.is_hook, item.types) == (True, False, ())


def test_skip_mixed_with_types_does_not_skip() -> None:
    item = hook('"Skip,PreSync,PostSync"')
    assert (item.skip, item.is_hook, item.types) == (False, True, ("PreSync", "PostSync"))
    assert [(d.value, d.reason) for d in item.dropped_types] == [("Skip", argo.SKIP_IGNORED)]


@pytest.mark.parametrize(
    ("value", "types", "delete_types"),
    [
        ('"pre-install"', ("PreSync",), ()),
        ('"pre-install,pre-upgrade"', ("PreSync",), ()),
        ('"post-install,post-upgrade"', ("PostSync",), ()),
        ('"pre-delete"', (), ("PreDelete",)),
        ('"post-delete"', (), ("PostDelete",)),
        ('"pre-install,post-delete"', ("PreSync",), ("PostDelete",)),
    ],
    ids=[
        "pre-install",
        "install-and-upgrade-one-task",
        "post",
        "pre-delete",
        "post-delete",
        "sync-and-delete",
    ],
)
def test_helm_hooks_map_to_argo_phases(
    value: str, types: tuple[str, ...], delete_types: tuple[str, ...]
) -> None:
    item = annotated({argo.HELM_HOOK: value})
    assert (item.is_hook, item.types, item.delete_types, item.types_from_helm) == (
        True,
        types,
        delete_types,
        bool(types),
    )


@pytest.mark.parametrize(
    "value", ['"test"', '"test-success"', '"pre-rollback"', '"post-rollback"', '"Pre-Install"']
)
def test_unmapped_helm_hooks_are_dropped(value: str) -> None:
    item = annotated({argo.HELM_HOOK: value})
    assert (item.is_hook, item.typeless) == (True, True)
    assert [d.reason for d in item.dropped_types] == [argo.HELM_UNMAPPED]


def test_helm_crd_install_alone_is_not_a_hook() -> None:
    item = annotated({argo.HELM_HOOK: '"crd-install"'})
    assert (item.is_hook, item.typeless, item.dropped_types) == (False, False, ())


def test_helm_types_are_ignored_when_the_object_has_a_valid_argo_type() -> None:
    item = annotated({argo.HOOK: '"PostSync"', argo.HELM_HOOK: '"pre-install"'})
    assert item.types == ("PostSync",)
    assert [(d.value, d.reason) for d in item.dropped_types] == [("pre-install", argo.HELM_OVERRIDDEN)]


def test_helm_types_are_used_when_the_argo_value_is_a_typo() -> None:
    item = annotated({argo.HOOK: '"Presync"', argo.HELM_HOOK: '"pre-upgrade"'})
    assert (item.types, item.typeless) == (("PreSync",), False)


def test_argo_delete_types_and_sync_types_together() -> None:
    item = hook('"PostSync,PostDelete"')
    assert (item.types, item.delete_types, item.delete_only) == (("PostSync",), ("PostDelete",), False)
    assert hook('"PreDelete"').delete_only


@pytest.mark.parametrize(
    ("annotations", "policies", "explicit"),
    [
        ({}, ("BeforeHookCreation",), ()),
        ({argo.HOOK_DELETE_POLICY: '"HookSucceeded"'}, ("HookSucceeded",), ("HookSucceeded",)),
        ({argo.HOOK_DELETE_POLICY: '"garbage"'}, ("BeforeHookCreation",), ()),
        ({argo.HOOK_DELETE_POLICY: '"hooksucceeded"'}, ("BeforeHookCreation",), ()),
        (
            {
                argo.HOOK_DELETE_POLICY: '"HookSucceeded"',
                argo.HELM_HOOK_DELETE_POLICY: '"before-hook-creation"',
            },
            ("HookSucceeded", "BeforeHookCreation"),
            ("HookSucceeded", "BeforeHookCreation"),
        ),
        (
            {argo.HOOK_DELETE_POLICY: '" HookFailed , HookSucceeded "'},
            ("HookFailed", "HookSucceeded"),
            ("HookFailed", "HookSucceeded"),
        ),
    ],
    ids=[
        "default",
        "explicit-replaces-default",
        "garbage-means-default",
        "case-matters",
        "helm-union",
        "csv",
    ],
)
def test_delete_policies(
    annotations: dict[str, str], policies: tuple[str, ...], explicit: tuple[str, ...]
) -> None:
    item = hook('"PreSync"', **annotations)
    assert (item.policies, item.explicit_policies) == (policies, explicit)


def test_invalid_delete_policies_are_reported_as_dropped() -> None:
    item = hook('"PreSync"', **{argo.HOOK_DELETE_POLICY: '"HookSucceeded,OnSuccess"'})
    assert [(d.value, d.reason) for d in item.dropped_policies] == [("OnSuccess", argo.UNKNOWN)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("-3", -3),
        ("+7", 7),
        ("007", 7),
        (" 1", None),
        ("1 ", None),
        ("1.0", None),
        ("1e3", None),
        ("0x10", None),
        ("one", None),
        ("", None),
        ("1_000", None),
        ("٣", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
    ],
)
def test_atoi_matches_go(text: str, value: int | None) -> None:
    assert atoi(text) == value


@pytest.mark.parametrize(
    ("annotations", "wave", "source"),
    [
        ({}, 0, ""),
        ({argo.SYNC_WAVE: '"-2"'}, -2, argo.SYNC_WAVE),
        ({argo.SYNC_WAVE: '" 1"', argo.HELM_HOOK_WEIGHT: '"4"'}, 4, argo.HELM_HOOK_WEIGHT),
        ({argo.SYNC_WAVE: '"1.0"'}, 0, ""),
        ({argo.HELM_HOOK_WEIGHT: '"-5"'}, -5, argo.HELM_HOOK_WEIGHT),
        ({argo.SYNC_WAVE: '"3"', argo.HELM_HOOK_WEIGHT: '"9"'}, 3, argo.SYNC_WAVE),
        ({argo.SYNC_WAVE: "5"}, 5, argo.SYNC_WAVE),
    ],
    ids=[
        "default",
        "wave",
        "invalid-falls-back-to-weight",
        "invalid-falls-back-to-zero",
        "weight",
        "wave-wins",
        "unquoted",
    ],
)
def test_waves(annotations: dict[str, str], wave: int, source: str) -> None:
    item = annotated(annotations, kind="ConfigMap", api="v1")
    assert (item.wave, item.wave_source) == (wave, source)


def test_rejected_waves_are_remembered() -> None:
    item = annotated({argo.SYNC_WAVE: '"one"'}, kind="ConfigMap", api="v1")
    assert [(a.key, a.text) for a in item.rejected_waves] == [(argo.SYNC_WAVE, "one")]


def test_non_string_annotation_is_seen_with_its_text() -> None:
    item = annotated({argo.SYNC_WAVE: "5", argo.HOOK: "true"})
    wave = item.annotations[argo.SYNC_WAVE]
    assert (wave.text, wave.is_string) == ("5", False)
    assert item.annotations[argo.HOOK].is_string is False


def test_sync_options_first_match_wins_and_case_matters() -> None:
    item = annotated(
        {argo.SYNC_OPTIONS: '"Prune=confirm,Prune=false,replace=true"'}, kind="ConfigMap", api="v1"
    )
    assert item.sync_options.value("Prune") == "confirm"
    assert not item.sync_options.has("Replace=true")
    assert [i.value for i in item.sync_options.items] == ["Prune=confirm", "Prune=false", "replace=true"]
