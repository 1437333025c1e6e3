"""Chart and kustomization folders given as input (hooklint/sources/rendered.py), on a machine without helm,
kustomize or kubectl: which paths are walked as plain files, a chart read as text with the values it is given,
and what is said. Rendering by the real tools is tested in tests/realtools."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooklint.model import Problem, Span
from hooklint.sources.input import RenderOptions
from hooklint.sources.rendered import Contribution, chart, folders, kustomization
from tests.helpers import write

CONFIG = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"
FILES = {
    "shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
    "shop/values.yaml": "migrate: false\n",
    "shop/templates/job.yaml": (
        "{{- if .Values.migrate }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n{{- end }}\n"
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
    ),
    "app/kustomization.yaml": "resources:\n- config.yaml\n",
    "app/config.yaml": CONFIG,
    "plain/config.yaml": CONFIG,
}
HELM_NOTE = (
    "hooklint: helm is not on PATH, so shop is read without it: template actions are placeholders, "
    "and findings say so"
)
KUSTOMIZE_NOTE = "hooklint: neither kustomize nor kubectl is on PATH, so app is not built: its files are linted as they are"
# The ConfigMap's name is a template action: a placeholder stands for it, at the action.
CONFIG_MAP = ("ConfigMap/hlpv1x", Span("shop/templates/job.yaml", 8, 1, 8, 11))
PLACEHOLDERS = {"shop/templates/job.yaml": (Span("shop/templates/job.yaml", 11, 9, 11, 28),)}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with a chart, a kustomization and a plain folder, entered, with no tool on PATH."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    return write(tmp_path, FILES)


def test_folders_reads_charts_as_text_and_leaves_the_rest_to_walk(repo: Path) -> None:
    out, plain = folders(["plain", "shop", "app", "plain/config.yaml"], RenderOptions(root="."))
    # The kustomization that cannot be built is walked as plain files, in the order given.
    assert plain == ["plain", "app", "plain/config.yaml"]
    assert [(r.ident, r.span) for r in out.resources] == [CONFIG_MAP]
    assert out.notes == [HELM_NOTE, KUSTOMIZE_NOTE]
    assert (out.problems, out.unrendered, out.left_out) == ([], [], 0)
    assert [c.path for c in out.charts] == ["shop"]
    assert out.texts == {"shop/templates/job.yaml": FILES["shop/templates/job.yaml"]}
    assert out.placeholders == PLACEHOLDERS


def test_the_applications_refused_helm_settings_are_told_once_however_many_charts(repo: Path) -> None:
    refused = Problem(
        "HL003", Span.point("apps/shop.yaml", 9, 7), "helm.valueFiles reaches outside the repository"
    )
    out, plain = folders(["shop", "shop"], RenderOptions(root=".", refused=(refused,)))
    assert (out.problems, plain) == ([refused], [])
    assert out.notes == [HELM_NOTE, HELM_NOTE]


def test_a_chart_is_read_with_the_applications_values(repo: Path) -> None:
    out = chart("shop", "shop", RenderOptions(root=".", release="shop", values_text="migrate: true\n"))
    assert [(r.ident, r.span) for r in out.resources] == [
        ("Job/migrate", Span("shop/templates/job.yaml", 2, 1, 2, 11)),
        CONFIG_MAP,
    ]
    assert out.notes == [HELM_NOTE]
    assert out.placeholders == PLACEHOLDERS


def test_a_kustomization_without_kustomize_falls_back_to_its_files(repo: Path) -> None:
    assert kustomization("app", "app", RenderOptions(root=".")) == Contribution(
        notes=[KUSTOMIZE_NOTE], fallback=True
    )
