"""The real tools themselves: the versions Argo CD ships, and what happens when one is missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.realtools.conftest import require


@pytest.mark.parametrize("ci", ["true", None, "false"], ids=["ci", "no-ci", "ci-false"])
def test_a_missing_tool_skips_except_in_ci_where_it_fails(
    ci: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci == "true" else pytest.skip.Exception
    with pytest.raises(outcome) as raised:
        require("helm")
    assert str(raised.value) == (
        "helm is not on PATH, and CI=true: the tests against the real helm must run in CI, so put helm on PATH"
        if ci == "true"
        else "helm is not on PATH"
    )


def test_a_tool_on_path_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = tmp_path / "helm"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    assert require("helm") == str(tool)


def test_helm_is_version_4_as_argo_cd_3_5_ships_it(helm: str) -> None:
    version = subprocess.run([helm, "version", "--short"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v4."), (
        f"`helm version --short` says {version.strip()!r}: these tests expect Helm 4 (Argo CD 3.5 ships 4.2.1)"
    )


def test_kustomize_is_version_5_as_argo_cd_3_5_ships_it(kustomize: str) -> None:
    version = subprocess.run([kustomize, "version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v5."), (
        f"`kustomize version` says {version.strip()!r}: these tests expect kustomize 5 (Argo CD 3.5 ships 5.8.1)"
    )


def test_version_names_the_real_helm_and_kustomize_as_they_name_themselves() -> None:
    from tests.helpers import invoke

    helm, kustomize = require("helm"), require("kustomize")
    helm_says = subprocess.run([helm, "version", "--short"], capture_output=True, text=True, check=True)
    kustomize_says = subprocess.run([kustomize, "version"], capture_output=True, text=True, check=True)
    code, out, _ = invoke(["--version"])
    assert code == 0
    assert out.splitlines()[3:] == [
        f"helm {helm_says.stdout.splitlines()[0].strip()} ({helm})",
        f"kustomize {kustomize_says.stdout.splitlines()[0].strip()} ({kustomize})",
    ]
