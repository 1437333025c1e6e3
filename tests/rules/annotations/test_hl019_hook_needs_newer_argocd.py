"""HL014, HL016-HL020: annotation keys, Helm hook values, delete policies, sync options and version gates."""

from __future__ import annotations

import pytest

from hooklint.argocd import annotations as argo
from hooklint.config.settings import Settings
from hooklint.engine.run import lint
from hooklint.manifests.parse import load_text
from hooklint.rules.annotations.hl019_hook_needs_newer_argocd import supports
from hooklint.rules.annotations.near_misses import near_miss, osa_distance
from hooklint.sources.input import LoadResult

Row = tuple[str, int, int, str, str]


def run(rule: str, text: str, version: str = "3.5.1", path: str = "app.yaml") -> list[Row]:
    result = load_text(path, text)
    assert not result.problems, result.problems
    load = LoadResult(result.resources, result.problems, (path,), (), {path: text})
    findings = lint(load, Settings(select=(rule,), argocd_version=version))
    return [(f.span.path, f.span.line, f.span.column, f.rule, f.message) for f in findings]


def job(annotations: str = "", labels: str = "", template: str = "", name: str = "migrate") -> str:
    """A Job whose metadata blocks are given as already indented YAML lines."""
    meta = f"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\n"
    if labels:
        meta += "  labels:\n" + labels
    if annotations:
        meta += "  annotations:\n" + annotations
    spec = "spec:\n  template:\n"
    if template:
        spec += "    metadata:\n" + template
    return meta + spec + "    spec:\n      restartPolicy: Never\n      containers: []\n"


# HL014 misplaced-argocd-annotation


def test_sync_wave_written_as_a_label_is_flagged_at_the_label_key() -> None:
    text = job(labels='    argocd.argoproj.io/sync-wave: "-1"\n')
    assert run("HL014", text) == [
        (
            "app.yaml",
            6,
            5,
            "HL014",
            "argocd.argoproj.io/sync-wave is a label of Job/migrate; Argo CD reads it only from "
            "metadata.annotations, so it has no effect: Job/migrate is applied in Sync wave 0",
        )
    ]


def test_hook_on_the_pod_template_is_flagged_at_its_key() -> None:
    text = job(template="      annotations:\n        argocd.argoproj.io/hook: PreSync\n")
    assert run("HL014", text) == [
        (
            "app.yaml",
            9,
            9,
            "HL014",
            "argocd.argoproj.io/hook is in Job/migrate's template metadata (spec.template.metadata.annotations); "
            "Argo CD reads it only from the object's own metadata.annotations, so it has no effect: "
            "Job/migrate is applied in Sync wave 0",
        )
    ]


def test_cronjob_job_template_and_pod_template_are_both_checked() -> None:
    text = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: report\nspec:\n  schedule: '@daily'\n"
        "  jobTemplate:\n    metadata:\n      labels:\n        argocd.argoproj.io/sync-wave: '1'\n"
        "    spec:\n      template:\n        metadata:\n          annotations:\n"
        "            helm.sh/hook: pre-install\n"
        "        spec:\n          restartPolicy: Never\n          containers: []\n"
    )
    assert [(line, column) for _, line, column, _, _ in run("HL014", text)] == [(10, 9), (15, 13)]


@pytest.mark.parametrize(
    ("key", "intended"),
    [
        ("argocd.argoproj.io/sync-waves", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/syncwave", "argocd.argoproj.io/sync-wave"),
        ("argocd.argoproj.io/hooks", "argocd.argoproj.io/hook"),
        ("argocd.argoproj.io/Hook", "argocd.argoproj.io/hook"),
        ("argoproj.io/hook", "argocd.argoproj.io/hook"),
        ("argocd.argoproj.io/hook-deletion-policy", "argocd.argoproj.io/hook-delete-policy"),
        ("argocd.argoproj.io/hook-delete-ploicy", "argocd.argoproj.io/hook-delete-policy"),
        ("helm.sh/hook-delete-policies", "helm.sh/hook-delete-policy"),
        ("helm.sh/hooks", "helm.sh/hook"),
        ("argocd.argoproj.io/sync-option", "argocd.argoproj.io/sync-options"),
        ("ArgoCD.argoproj.io/sync-wave", "argocd.argoproj.io/sync-wave"),
        ("helm.sh/sync-wave", "argocd.argoproj.io/sync-wave"),
    ],
    ids=lambda value: str(value),
)
def test_misspelled_key_names_the_key_it_means(key: str, intended: str) -> None:
    text = job(annotations=f"    {key}: PreSync\n")
    assert run("HL014", text) == [
        (
            "app.yaml",
            6,
            5,
            "HL014",
            f"{key} is not an annotation Argo CD reads; did you mean {intended}? "
            "It has no effect: Job/migrate is applied in Sync wave 0",
        )
    ]


def test_argo_hook_weight_suggests_helm_weight_and_the_sync_wave() -> None:
    text = job(annotations='    argocd.argoproj.io/hook-weight: "2"\n')
    (row,) = run("HL014", text)
    assert "did you mean helm.sh/hook-weight (or argocd.argoproj.io/sync-wave)?" in row[4]


def test_misspelled_key_reports_where_the_object_now_stands() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-waves: '-2'\n")
    (row,) = run("HL014", text)
    assert row[4].endswith("It has no effect: Job/migrate runs in PreSync wave 0")


LEGITIMATE_ANNOTATIONS = (
    "argocd.argoproj.io/tracking-id",
    "argocd.argoproj.io/compare-options",
    "argocd.argoproj.io/refresh",
    "argocd.argoproj.io/manifest-generate-paths",
    "argocd.argoproj.io/managed-by",
    "argocd.argoproj.io/skip-reconcile",
    "argocd.argoproj.io/application-set-refresh",
    "argocd.argoproj.io/sync-options",
    "argocd.argoproj.io/installation-id",
    "argocd.argoproj.io/hydrate",
    "notifications.argoproj.io/subscribe.on-sync-succeeded.slack",
    "link.argocd.argoproj.io/dashboard",
    "argocd-image-updater.argoproj.io/image-list",
    "workflows.argoproj.io/description",
    "rollout.argoproj.io/revision",
    "meta.helm.sh/release-name",
    "helm.sh/resource-policy",
    "helm.sh/hook-output-log-policy",
)


@pytest.mark.parametrize("key", LEGITIMATE_ANNOTATIONS)
def test_legitimate_annotation_is_not_flagged(key: str) -> None:
    assert run("HL014", job(annotations=f"    {key}: x\n")) == []


@pytest.mark.parametrize(
    "key",
    [
        "argocd.argoproj.io/instance",
        "argocd.argoproj.io/secret-type",
        "app.kubernetes.io/instance",
        "argocd.argoproj.io/hook-type",  # Argo CD's own e2e data selects its hooks by this label
        "helm.sh/chart",
    ],
)
def test_legitimate_label_is_not_flagged(key: str) -> None:
    assert run("HL014", job(labels=f"    {key}: x\n")) == []


def test_ignore_restart_policy_on_the_pod_template_is_not_flagged() -> None:
    text = job(template='      annotations:\n        argocd.argoproj.io/ignore-restart-policy: "true"\n')
    assert run("HL014", text) == []


def test_a_copy_of_a_key_the_object_also_carries_is_not_flagged() -> None:
    text = job(
        annotations="    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hooks: PreSync\n",
        labels="    argocd.argoproj.io/hook: PreSync\n",
        template="      annotations:\n        argocd.argoproj.io/hook: PreSync\n",
    )
    assert run("HL014", text) == []


def test_pod_template_of_a_kind_without_pods_is_not_read() -> None:
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: shops\nspec:\n"
        "  template:\n    metadata:\n      name: shop\n      annotations:\n"
        "        argocd.argoproj.io/sync-wave: '1'\n"
    )
    assert run("HL014", text) == []


@pytest.mark.parametrize("key", sorted({*argo.KNOWN_KEYS, *argo.OTHER_LEGITIMATE_KEYS}))
def test_no_legitimate_key_is_a_near_miss(key: str) -> None:
    assert near_miss(key) is None


def test_transposition_is_one_edit() -> None:
    assert (osa_distance("policy", "ploicy"), osa_distance("delete", "deletion")) == (1, 3)


# HL016 delete-policy-without-hook


def test_delete_policy_on_a_plain_job_is_flagged_at_the_key() -> None:
    text = job(annotations="    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n")
    assert run("HL016", text) == [
        (
            "app.yaml",
            6,
            5,
            "HL016",
            "argocd.argoproj.io/hook-delete-policy on Job/migrate, which is not a hook (no hook annotation): "
            "delete policies apply only to hooks, so it has no effect; Job/migrate is applied in Sync wave 0",
        )
    ]


@pytest.mark.parametrize(
    ("annotations", "why", "standing"),
    [
        ("    argocd.argoproj.io/hook: Skip\n", "annotated Skip", "is never applied (Skip)"),
        (
            "    helm.sh/hook: crd-install\n",
            "helm.sh/hook: crd-install makes no hook",
            "is applied in Sync wave 0",
        ),
    ],
    ids=["skip", "crd-install"],
)
def test_skip_and_crd_install_objects_are_not_hooks(annotations: str, why: str, standing: str) -> None:
    text = job(annotations=annotations + "    helm.sh/hook-delete-policy: before-hook-creation\n")
    assert run("HL016", text) == [
        (
            "app.yaml",
            7,
            5,
            "HL016",
            f"helm.sh/hook-delete-policy on Job/migrate, which is not a hook ({why}): delete policies apply "
            f"only to hooks, so it has no effect; Job/migrate {standing}",
        )
    ]


@pytest.mark.parametrize(
    "annotations",
    [
        "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        "    argocd.argoproj.io/hook: PostDelete\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        "    argocd.argoproj.io/hook: Skip,PostDelete\n    argocd.argoproj.io/hook-delete-policy: HookFailed\n",
        "    helm.sh/hook: pre-install\n    helm.sh/hook-delete-policy: hook-succeeded\n",
        "    argocd.argoproj.io/hook: Presync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
        "    argocd.argoproj.io/hooks: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
    ],
    ids=["presync", "post-delete", "skip-and-delete", "helm-hook", "typo-value", "typo-key-left-to-hl014"],
)
def test_delete_policy_on_a_hook_is_not_flagged(annotations: str) -> None:
    assert run("HL016", job(annotations=annotations)) == []


# HL017 helm-hook-dropped


def test_helm_test_hook_alone_is_never_applied() -> None:
    text = job(annotations="    helm.sh/hook: test\n")
    assert run("HL017", text) == [
        (
            "app.yaml",
            6,
            19,
            "HL017",
            "helm.sh/hook value 'test' has no Argo CD equivalent: no value of it maps, so Argo CD never "
            "applies Job/migrate",
        )
    ]


def test_each_unmapped_value_beside_a_mapped_one_is_ignored_at_its_own_column() -> None:
    text = job(annotations="    helm.sh/hook: pre-upgrade,pre-rollback,test-success\n")
    message = (
        "helm.sh/hook value {!r} has no Argo CD equivalent: it is ignored; Job/migrate runs in PreSync wave 0"
    )
    assert run("HL017", text) == [
        ("app.yaml", 6, 31, "HL017", message.format("pre-rollback")),
        ("app.yaml", 6, 44, "HL017", message.format("test-success")),
    ]


def test_unmapped_value_on_a_delete_hook_says_when_it_runs() -> None:
    (row,) = run("HL017", job(annotations="    helm.sh/hook: post-delete,post-rollback\n"))
    assert row[4].endswith("it is ignored; Job/migrate runs only when the Application is deleted")


@pytest.mark.parametrize(
    "annotations",
    [
        "    argocd.argoproj.io/hook: PostSync\n    helm.sh/hook: test\n",
        "    argocd.argoproj.io/hook: Skip\n    helm.sh/hook: test\n",
        "    helm.sh/hook: crd-install\n",
        "    helm.sh/hook: pre-install,pre-upgrade,post-delete\n",
    ],
    ids=["argo-type-wins", "skip-wins", "crd-install", "all-mapped"],
)
def test_helm_values_that_argo_maps_or_ignores_wholesale_are_not_flagged(annotations: str) -> None:
    assert run("HL017", job(annotations=annotations)) == []


# HL018 helm-install-hook-runs-every-sync


def test_post_install_without_post_upgrade_runs_every_sync() -> None:
    text = job(
        annotations='    helm.sh/hook: pre-install,post-install,post-upgrade\n    helm.sh/hook-weight: "-5"\n'
    )
    assert run("HL018", text) == [
        (
            "app.yaml",
            6,
            19,
            "HL018",
            "helm.sh/hook 'pre-install' makes Job/migrate run in PreSync wave -5 on every sync, not once on "
            "install: Argo CD cannot tell an install from an upgrade",
        )
    ]


@pytest.mark.parametrize(
    "annotations",
    [
        "    helm.sh/hook: pre-install,pre-upgrade\n",
        "    helm.sh/hook: post-upgrade,post-install\n",
        "    argocd.argoproj.io/hook: Sync\n    helm.sh/hook: pre-install\n",
        "    helm.sh/hook: pre-upgrade\n",
    ],
    ids=["pre-pair", "post-pair", "argo-type-wins", "upgrade-only"],
)
def test_install_hook_with_its_upgrade_twin_or_overridden_is_not_flagged(annotations: str) -> None:
    assert run("HL018", job(annotations=annotations)) == []


# HL019 hook-needs-newer-argocd


@pytest.mark.parametrize(
    ("version", "since", "backport", "expected"),
    [
        ((3, 3, 2), (3, 4, 0), (3, 3, 3), False),
        ((3, 3, 3), (3, 4, 0), (3, 3, 3), True),
        ((3, 2, 9), (3, 4, 0), (3, 3, 3), False),
        ((3, 4, 0), (3, 4, 0), (3, 3, 3), True),
        ((2, 9, 9), (2, 10, 0), None, False),
        ((2, 10, 0), (2, 10, 0), None, True),
    ],
)
def test_supports_counts_backports_only_on_their_own_line(
    version: tuple[int, int, int],
    since: tuple[int, int, int],
    backport: tuple[int, int, int] | None,
    expected: bool,
) -> None:
    assert supports(version, since, backport) is expected


DELETE_CASES = [
    (
        "2.9.0",
        "PostDelete",
        30,
        "PostDelete hooks need Argo CD 2.10.0; 2.9.0 does not know 'PostDelete' and "
        "ignores it, so Job/migrate is never applied nor run",
    ),
    (
        "3.2.0",
        "PreSync,PreDelete",
        38,
        "PreDelete hooks need Argo CD 3.3.0; 3.2.0 does not know 'PreDelete' and "
        "ignores it, so Job/migrate runs only in PreSync, never on Application deletion",
    ),
    (
        "3.3.2",
        "PostSync,PostDelete",
        39,
        "a hook value listing PostDelete among other values needs Argo CD 3.3.3 "
        "on the 3.3 line or 3.4.0; 3.3.2 takes only a value that is exactly 'PostDelete' as a PostDelete hook, so "
        "Job/migrate runs only in PostSync, never on Application deletion",
    ),
    (
        "3.3.4",
        "PostSync,PostDelete",
        39,
        "a hook with both a sync phase and PostDelete needs Argo CD 3.3.5 on the "
        "3.3 line or 3.4.0; 3.3.4 removes Job/migrate from syncs as a PostDelete hook, so it never runs in PostSync",
    ),
    (
        "3.2.0",
        "PostDelete,PreSync",
        30,
        "a hook value listing PostDelete among other values needs Argo CD 3.3.3 "
        "on the 3.3 line or 3.4.0; 3.2.0 takes only a value that is exactly 'PostDelete' as a PostDelete hook, so "
        "Job/migrate runs only in PreSync, never on Application deletion",
    ),
]


@pytest.mark.parametrize(("version", "value", "column", "message"), DELETE_CASES)
def test_delete_hook_features_follow_the_targeted_version(
    version: str, value: str, column: int, message: str
) -> None:
    text = job(annotations=f"    argocd.argoproj.io/hook: {value}\n")
    assert run("HL019", text, version) == [("app.yaml", 6, column, "HL019", message)]


def test_helm_pre_delete_before_3_3_is_ignored() -> None:
    text = job(annotations="    helm.sh/hook: pre-delete\n")
    assert run("HL019", text, "3.2.0") == [
        (
            "app.yaml",
            6,
            19,
            "HL019",
            "PreDelete hooks need Argo CD 3.3.0; 3.2.0 does not know 'pre-delete' and ignores it, so Job/migrate "
            "is never applied nor run",
        )
    ]


def test_sync_hook_with_a_helm_delete_value_left_syncs_before_3_3_5() -> None:
    text = job(annotations="    argocd.argoproj.io/hook: PostSync\n    helm.sh/hook: post-delete\n")
    assert run("HL019", text, "3.0.0") == [
        (
            "app.yaml",
            7,
            19,
            "HL019",
            "a hook with both a sync phase and PostDelete needs Argo CD 3.3.5 on the 3.3 line or 3.4.0; 3.0.0 "
            "removes Job/migrate from syncs as a PostDelete hook, so it never runs in PostSync",
        )
    ]


@pytest.mark.parametrize(
    ("version", "annotations", "column", "message"),
    [
        (
            "1.1.0",
            "    argocd.argoproj.io/hook: SyncFail\n",
            30,
            "SyncFail hooks need Argo CD 1.2.0; 1.1.0 does "
            "not know the type and ignores it, so with no other type Argo CD never applies Job/migrate",
        ),
        (
            "1.2.0",
            "    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: "
            "HookSucceeded,BeforeHookCreation\n",
            58,
            "BeforeHookCreation needs Argo CD 1.3.0; 1.2.0 does not know "
            "it and ignores it, so only HookSucceeded applies",
        ),
        (
            "1.2.0",
            "    helm.sh/hook: pre-install,pre-upgrade\n",
            19,
            "Helm hooks need Argo CD 1.3.0; 1.2.0 ignores "
            "every helm.sh/hook but crd-install, so Job/migrate does not run as a PreSync hook",
        ),
        (
            "1.0.0",
            '    argocd.argoproj.io/sync-wave: "3"\n',
            35,
            "sync waves need Argo CD 1.1.0; 1.0.0 ignores "
            "argocd.argoproj.io/sync-wave, so Job/migrate is applied with the rest of its phase, not in wave 3",
        ),
    ],
    ids=["syncfail", "before-hook-creation", "helm", "waves"],
)
def test_older_features_follow_the_targeted_version(
    version: str, annotations: str, column: int, message: str
) -> None:
    rows = run("HL019", job(annotations=annotations), version)
    assert [(row[2], row[4]) for row in rows] == [(column, message)]


def test_helm_hook_ignored_before_1_3_is_reported_once_not_for_its_weight() -> None:
    text = job(annotations='    helm.sh/hook: post-install\n    helm.sh/hook-weight: "5"\n')
    assert [row[1] for row in run("HL019", text, "1.2.0")] == [6]


@pytest.mark.parametrize(
    ("version", "value"),
    [
        ("3.5.1", "PostSync,PreDelete,PostDelete"),
        ("3.4.0", "PostSync,PostDelete"),
        ("3.3.5", "PostSync,PostDelete"),
        ("3.3.3", "PreDelete,PostDelete"),
        ("3.3.0", "PreDelete"),
        ("2.10.0", "PostDelete"),
        ("1.0.0", "PreSync"),
    ],
)
def test_features_the_targeted_version_has_are_not_flagged(version: str, value: str) -> None:
    text = job(annotations=f"    argocd.argoproj.io/hook: {value}\n    argocd.argoproj.io/sync-wave: '0'\n")
    assert run("HL019", text, version) == []


# HL020 invalid-sync-option


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "prune=false",
            "'prune=false' is not 'Prune=false': Argo CD matches sync options exactly, so it is ignored",
        ),
        (
            "Prune=False",
            "'Prune=False' is not 'Prune=false': Argo CD matches sync options exactly, so it is ignored",
        ),
        (
            "replace=true",
            "'replace=true' is not 'Replace=true': Argo CD matches sync options exactly, so it is ignored",
        ),
        (
            "CreateNamespace=true",
            "'CreateNamespace=true' is read only from the Application's "
            "spec.syncPolicy.syncOptions, never from a resource's annotation: it is ignored",
        ),
        (
            "PrunePropagationPolicy=orphan",
            "'PrunePropagationPolicy=orphan' is read only from the Application's "
            "spec.syncPolicy.syncOptions, never from a resource's annotation: it is ignored",
        ),
        (
            "ServerSideApply=yes",
            "'ServerSideApply=yes' is not a value Argo CD acts on (it reads "
            "'ServerSideApply=true' or 'ServerSideApply=false'): ignored",
        ),
        ("SkipDryRun=true", "'SkipDryRun=true' is not a sync option Argo CD knows: ignored"),
    ],
)
def test_option_argo_does_not_act_on_is_flagged_with_the_reason(option: str, message: str) -> None:
    text = job(annotations=f"    argocd.argoproj.io/sync-options: {option}\n")
    assert run("HL020", text) == [("app.yaml", 6, 38, "HL020", f"Job/migrate: sync option {message}")]


def test_each_item_is_reported_at_its_own_column() -> None:
    text = job(annotations='    argocd.argoproj.io/sync-options: "Validate=false, prune=false,Foo"\n')
    assert [(row[1], row[2]) for row in run("HL020", text)] == [(6, 55), (6, 67)]


def test_a_second_prune_item_is_shadowed_by_the_first() -> None:
    text = job(annotations="    argocd.argoproj.io/sync-options: Prune=confirm,Prune=false\n")
    assert run("HL020", text) == [
        (
            "app.yaml",
            6,
            52,
            "HL020",
            "Job/migrate: sync option 'Prune=false' is ignored: Argo CD reads only the first Prune= item, "
            "'Prune=confirm'",
        )
    ]


@pytest.mark.parametrize(
    "options",
    [
        "Prune=confirm,Delete=confirm",
        "ServerSideApply=true",
        "ServerSideApply=false",
        "Replace=true,Force=true",
        "Validate=false,SkipDryRunOnMissingResource=true,PruneLast=true",
        "Prune=false,Delete=false",
        "Prune=true,Validate=true",
        "Prune=false,Prune=false",
    ],
)
def test_options_argo_acts_on_or_harmless_defaults_are_not_flagged(options: str) -> None:
    assert run("HL020", job(annotations=f"    argocd.argoproj.io/sync-options: {options}\n")) == []
