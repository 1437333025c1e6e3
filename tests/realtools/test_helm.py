"""Charts rendered by the real helm: every finding and plan task at the template (or CRD file) it came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hooklint.argocd.application import release_for
from hooklint.cli.main import cli
from hooklint.sources import render
from hooklint.sources.load import load
from tests.helpers import ROOT
from tests.realtools.conftest import explain, findings, steps

CHART = "fixtures/chart"
PLATFORM = "fixtures/realtools/platform"
APP = "fixtures/realtools/apps/platform-prod.yaml"
BROKEN = "fixtures/realtools/broken"

BHC_LACKING = (
    "whose delete policy HookSucceeded lacks BeforeHookCreation: when an earlier run's object is left behind, "
    "the next sync applies over it and fails on immutable fields or reuses the old result"
)


def test_fixture_chart_findings_stand_at_its_templates(helm: str) -> None:
    assert findings(CHART) == [
        (
            "HL109",
            f"{CHART}/templates/migrate-job.yaml",
            26,
            13,
            "Job/chart-migrate (PreSync wave 0) sets env LOCK_TIMEOUT (container migrate) to a literal that "
            "appears in no non-hook resource; changing it alone leaves the application Synced and automated "
            "sync does not run the hook",
        )
    ]


def test_fixture_chart_plan(helm: str) -> None:
    assert explain(CHART) == (
        "Sync plan: 2 step(s), 3 task(s), destination namespace default\n"
        "    * marks a generateName prefix\n"
        "\n"
        "Step 1: PreSync wave 0  (before any resource)\n"
        f"    1  Job/chart-migrate  default  {CHART}/templates/migrate-job.yaml:1  hook, delete policy "
        "BeforeHookCreation,HookSucceeded\n"
        "    gate: 2 s delay, then waits until healthy or complete: Job/chart-migrate complete\n"
        "\n"
        "Step 2: Sync wave 0\n"
        f"    1  ConfigMap/chart-config  default  {CHART}/templates/configmap.yaml:1\n"
        f"    2  Deployment/chart-api    default  {CHART}/templates/deployment.yaml:1\n"
        "    gate: final step, not waited on: the sync succeeds as soon as it is applied\n"
    )


PLATFORM_FINDINGS = [
    # The subchart's own template, not the parent's.
    (
        "HL101",
        f"{PLATFORM}/charts/cache/templates/warmup-job.yaml",
        7,
        44,
        f"Job/platform-cache-warmup is a named hook (Sync wave 2) {BHC_LACKING}",
    ),
    # The CRD helm printed with --include-crds, at its file in crds/.
    (
        "HL012",
        f"{PLATFORM}/crds/widgets.yaml",
        6,
        35,
        "argocd.argoproj.io/sync-wave 'first' is not an integer to Argo CD (Go strconv.Atoi): ignored, so "
        "CustomResourceDefinition/widgets.platform.example.com gets the default wave 0 and runs in Sync wave 0",
    ),
    # `.Values.migration.weight`, which only the hook's own hook-weight annotation reads, is plumbing: no HL109.
    (
        "HL018",
        f"{PLATFORM}/templates/seed-job.yaml",
        6,
        19,
        "helm.sh/hook 'post-install' makes Job/platform-seed run in PostSync wave 3 on every sync, not once on "
        "install: Argo CD cannot tell an install from an upgrade",
    ),
]


def test_crds_subchart_and_helm_hooks_are_found_at_their_own_files(helm: str) -> None:
    assert findings(PLATFORM) == PLATFORM_FINDINGS


def test_helm_hooks_and_weights_become_phases_and_waves_and_the_crd_is_planned(helm: str) -> None:
    # pre-install,pre-upgrade is one PreSync task at its hook-weight (-5, a template's output); post-install is
    # PostSync at weight 3; the subchart's Argo CD hook keeps its sync-wave 2; the CRD is a resource in wave 0.
    assert steps(PLATFORM) == [
        ("PreSync", -5, [("Job/platform-migrate", "default", f"{PLATFORM}/templates/migrate-job.yaml", 1)]),
        (
            "Sync",
            0,
            [
                (
                    "CustomResourceDefinition/widgets.platform.example.com",
                    "",
                    f"{PLATFORM}/crds/widgets.yaml",
                    1,
                ),
                ("Deployment/platform-api", "default", f"{PLATFORM}/templates/deployment.yaml", 1),
            ],
        ),
        (
            "Sync",
            2,
            [
                (
                    "Job/platform-cache-warmup",
                    "default",
                    f"{PLATFORM}/charts/cache/templates/warmup-job.yaml",
                    1,
                )
            ],
        ),
        ("PostSync", 3, [("Job/platform-seed", "default", f"{PLATFORM}/templates/seed-job.yaml", 1)]),
    ]


def test_the_applications_values_files_values_and_parameters_change_the_rendering(helm: str) -> None:
    # values-prod.yaml enables the smoke test (a Helm `test` hook Argo CD drops), the inline values move the
    # migration to weight -10, and the parameter image.tag=latest leaves the hooks' images unpinned; the
    # release is named after the Application, in its destination namespace.
    assert findings("--app", APP, PLATFORM) == [
        (
            "HL101",
            f"{PLATFORM}/charts/cache/templates/warmup-job.yaml",
            7,
            44,
            f"Job/platform-prod-cache-warmup is a named hook (Sync wave 2) {BHC_LACKING}",
        ),
        PLATFORM_FINDINGS[1],
        (
            "HL301",
            f"{PLATFORM}/templates/migrate-job.yaml",
            19,
            18,
            "Job/platform-prod-migrate (PreSync wave -10) container migrate uses image "
            "registry.example.com/platform/api:latest with the tag latest: each run of the hook may pull a "
            "different image",
        ),
        (
            "HL018",
            f"{PLATFORM}/templates/seed-job.yaml",
            6,
            19,
            "helm.sh/hook 'post-install' makes Job/platform-prod-seed run in PostSync wave 3 on every sync, not "
            "once on install: Argo CD cannot tell an install from an upgrade",
        ),
        (
            "HL301",
            f"{PLATFORM}/templates/seed-job.yaml",
            16,
            18,
            "Job/platform-prod-seed (PostSync wave 3) container seed uses image "
            "registry.example.com/platform/api:latest with the tag latest: each run of the hook may pull a "
            "different image",
        ),
        (
            "HL017",
            f"{PLATFORM}/templates/smoke-test.yaml",
            7,
            19,
            "helm.sh/hook value 'test' has no Argo CD equivalent: no value of it maps, so Argo CD never applies "
            "Pod/platform-prod-smoke-test",
        ),
    ]
    assert [
        (phase, wave, [task[:2] for task in tasks]) for phase, wave, tasks in steps("--app", APP, PLATFORM)
    ] == [
        ("PreSync", -10, [("Job/platform-prod-migrate", "platform")]),
        (
            "Sync",
            0,
            [
                ("CustomResourceDefinition/widgets.platform.example.com", ""),
                ("Deployment/platform-prod-api", "platform"),
            ],
        ),
        ("Sync", 2, [("Job/platform-prod-cache-warmup", "platform")]),
        ("PostSync", 3, [("Job/platform-prod-seed", "platform")]),
    ]


TEMPLATE_HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n"


@pytest.mark.parametrize(
    ("line", "helm_says", "where"),
    [
        ('  level: {{ nosuchfunc "debug" }}\n', 'function "nosuchfunc" not defined', (6, 1)),
        # Helm 4 writes this error over three lines: the position, what it executed, why.
        (
            "  level: {{ .Values.image.repository.name }}\n",
            "can't evaluate field name in type interface {}",
            (6, 19),
        ),
        ('  level: {{ fail "no level" }}\n', "no level", (6, 12)),
    ],
    ids=["undefined-function", "field-of-a-string", "fail"],
)
def test_a_template_helm_cannot_render_is_hl003_at_the_position_helm_names(
    helm: str, line: str, helm_says: str, where: tuple[int, int], tmp_path: Path
) -> None:
    chart = tmp_path / "shop"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("image:\n  repository: registry.example.com/shop/api\n")
    (chart / "templates" / "settings.yaml").write_text(TEMPLATE_HEAD + line)
    ((rule, path, *position, message),) = findings(str(chart))
    assert (rule, path, *position) == ("HL003", f"{chart}/templates/settings.yaml", *where)
    assert message.startswith("helm template failed: ")
    assert helm_says in message


def test_a_required_value_that_is_missing_is_hl003_at_the_required_call(helm: str) -> None:
    # The hook's image values are its own (no non-hook template shares them): no HL109 without its option.
    ((rule, path, line, column, message),) = findings(BROKEN)
    assert (rule, path, line, column) == ("HL003", f"{BROKEN}/templates/job.yaml", 13, 52)
    assert message.startswith("helm template failed: ")
    assert message.endswith("image.tag is required")


def test_a_release_name_written_as_an_option_stays_a_name_to_the_real_helm(helm: str, tmp_path: Path) -> None:
    # helm reads options anywhere on its command line: before the end of options a release name such as
    # `--output-dir=…` makes helm write the chart's output wherever it says.
    hostile = f"--output-dir={tmp_path / 'pwned'}"
    command = render.helm_command(CHART, hostile, (), None)
    assert command is not None and command[-3:] == ["--", hostile, str(ROOT / CHART)]
    refused = render.run(command, 60)
    assert isinstance(refused, render.Failed) and not (tmp_path / "pwned").exists()
    before_the_end = [helm, "template", hostile, str(ROOT / CHART)]
    assert isinstance(render.run(before_the_end, 60), render.Rendered) and (tmp_path / "pwned").is_dir()


def test_a_chart_folder_whose_name_is_no_release_name_still_renders(helm: str, tmp_path: Path) -> None:
    # Without an Application the release is named after the folder; `Shop_Chart` is no name helm accepts,
    # so the name is made valid (`shop-chart`) rather than the chart reported as unrenderable.
    folder = tmp_path / "Shop_Chart"
    shutil.copytree(ROOT / CHART, folder)
    loaded = load([str(folder)])
    assert [problem.rule for problem in loaded.problems] == []
    assert {resource.name for resource in loaded.resources} == {
        "shop-chart-api",
        "shop-chart-config",
        "shop-chart-migrate",
    }


@pytest.mark.parametrize(
    ("folder", "release"),
    [
        ("shop", "shop"),
        ("hashicorp__vault-helm", "hashicorp-vault-helm"),
        ("Shop_Chart", "shop-chart"),
        ("a..b", "a.b"),
        ("-x-", "x"),
        ("..", "release"),
        ("x" * 60, "x" * 53),
    ],
)
def test_release_names_made_from_folder_names_are_ones_helm_accepts(folder: str, release: str) -> None:
    assert release_for(folder) == release


def test_a_chart_helm_cannot_render_is_no_plan_and_exit_2(
    helm: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Argo CD syncs nothing of a chart it cannot render: no plan of the chart's other files either.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop" / "templates").mkdir(parents=True)
    (tmp_path / "shop" / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 0.1.0\n")
    (tmp_path / "shop" / "templates" / "settings.yaml").write_text(
        TEMPLATE_HEAD + '  level: {{ fail "no level" }}\n'
    )
    explained = CliRunner().invoke(cli, ["explain", "shop"])
    assert (explained.exit_code, explained.stdout) == (2, "")
    assert explained.stderr == (
        "shop/templates/settings.yaml:6:12: helm template failed: execution error at "
        "(shop/templates/settings.yaml:6:12): no level\n"
        "hooklint: no sync plan: shop could not be rendered, and Argo CD syncs nothing of an application whose "
        "manifests it cannot generate\n"
    )
