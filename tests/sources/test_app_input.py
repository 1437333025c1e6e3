"""The input read as its Application syncs it (hooklint/sources/app_input.py): the Application chosen for the
input folders from a file of several, its destination namespace in the settings, and a chart folder read with
its Helm values. helm is kept off PATH, so a chart is read as text, the same on every machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.config.settings import ConfigError, Settings
from hooklint.sources.app_input import AppInput, InputOptions, read_app_file, read_application
from tests.helpers import write


def application(name: str, path: str, extra: str = "") -> str:
    return (
        f"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\nspec:\n"
        f"  source:\n    path: {path}\n{extra}"
    )


SHOP = application(
    "shop",
    "apps/shop",
    "    helm:\n      values: |\n        migrate: true\n  destination:\n    namespace: shop\n",
)
DB = application("db", "apps/db")
CHART = {
    "apps/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
    "apps/shop/values.yaml": "migrate: false\n",
    # The Job exists only with migrate on: the Application's values turn it on.
    "apps/shop/templates/job.yaml": (
        "{{- if .Values.migrate }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n{{- end }}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
    ),
}
NOTE = (
    "hooklint: helm is not on PATH, so apps/shop is read without it: template actions are placeholders, "
    "and findings say so"
)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a file of two Applications and shop's chart and db's manifests, entered; no helm."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    return write(
        tmp_path,
        {
            "apps/apps.yaml": SHOP + "---\n" + DB,
            **CHART,
            "apps/db/job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: backup\n",
            "apps/db/values.yaml": "retention: 7\n",
        },
    )


def read(paths: list[str], options: InputOptions, verbose: bool = False) -> tuple[AppInput, list[str]]:
    said: list[str] = []
    return read_application(paths, Settings(), options, verbose=verbose, tell=said.append), said


@pytest.mark.parametrize(
    ("inputs", "chosen"),
    [(["apps/db"], "db"), (["apps/shop"], "shop"), (["apps/db", "apps/shop"], "db"), (["apps"], "shop")],
    ids=["second-deploys-the-folder", "first-deploys-the-folder", "first-folder-first", "none-the-first"],
)
def test_the_app_file_gives_the_application_that_deploys_an_input_folder(
    repo: Path, inputs: list[str], chosen: str
) -> None:
    assert read_app_file("apps/apps.yaml", inputs).name == chosen


def test_an_app_file_without_an_application_is_a_configuration_error(repo: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        read_app_file("apps/db/job.yaml", ["apps/db"])
    assert str(raised.value) == "--app: apps/db/job.yaml holds no argoproj.io Application"


def test_the_app_files_application_gives_its_destination_namespace_and_its_helm_values(repo: Path) -> None:
    read_in, said = read(["apps/shop"], InputOptions(app_file="apps/apps.yaml"))
    assert read_in.app is not None and read_in.app.name == "shop"
    assert read_in.settings.namespace == "shop"
    assert [r.ident for r in read_in.loaded.resources] == ["Job/migrate", "ConfigMap/settings"]
    assert (read_in.changes, said) == (None, [NOTE])


def test_namespace_given_keeps_the_settings_namespace(repo: Path) -> None:
    read_in, _ = read(["apps/shop"], InputOptions(app_file="apps/apps.yaml", namespace="other"))
    assert read_in.settings.namespace == "default"


def test_without_an_application_a_chart_is_read_with_its_own_values(repo: Path) -> None:
    read_in, said = read(["apps/shop"], InputOptions())
    assert read_in.app is None
    assert read_in.settings.namespace == "default"
    assert [r.ident for r in read_in.loaded.resources] == ["ConfigMap/settings"]
    assert said == [NOTE]


def test_an_application_among_the_inputs_that_lives_outside_its_folder_is_no_manifest(repo: Path) -> None:
    read_in, said = read(["apps/shop", "apps/apps.yaml"], InputOptions())
    assert read_in.app is not None and read_in.app.name == "shop"
    assert read_in.settings.namespace == "shop"
    assert said == [NOTE]  # told once, though the chart is read twice
    # The chart read again as shop renders it; shop itself left out, db (a child) kept.
    assert [(r.ident, r.path) for r in read_in.loaded.resources] == [
        ("Job/migrate", "apps/shop/templates/job.yaml"),
        ("ConfigMap/settings", "apps/shop/templates/job.yaml"),
        ("Application/db", "apps/apps.yaml"),
    ]


def test_a_self_managing_application_stays_among_its_manifests(repo: Path) -> None:
    write(repo, {"apps/db/app.yaml": DB})
    read_in, said = read(["apps/db"], InputOptions(), verbose=True)
    assert read_in.app is not None and read_in.app.name == "db"
    assert [(r.ident, r.path) for r in read_in.loaded.resources] == [
        ("Application/db", "apps/db/app.yaml"),
        ("Job/backup", "apps/db/job.yaml"),
    ]
    # verbose: every file left out is told.
    assert said == ["hooklint: left out apps/db/values.yaml: Helm values file"]


def test_an_application_given_beside_its_folder_describes_it_and_is_left_out(repo: Path) -> None:
    read_in, _ = read(["apps/db", "apps/apps.yaml"], InputOptions())
    assert read_in.app is not None and read_in.app.name == "db"
    assert [(r.ident, r.path) for r in read_in.loaded.resources] == [
        ("Application/shop", "apps/apps.yaml"),
        ("Job/backup", "apps/db/job.yaml"),
    ]
