"""`hooklint --version`: hooklint, Python, the targeted Argo CD, and the helm and kustomize on PATH."""

from __future__ import annotations

import platform
import shutil
from pathlib import Path

import pytest

from hooklint.cli import version
from tests.helpers import invoke

PYTHON = f"Python {platform.python_version()} ({platform.python_implementation()})"
ARGOCD = "Argo CD 3.5.1 targeted (unless --argocd-version or the configuration names another)"


def fake(folder: Path, name: str, body: str) -> Path:
    """An executable `name` in `folder` that records its arguments in `name`.calls, then runs `body`."""
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f'#!/bin/sh\necho "$@" >> "{folder / name}.calls"\n{body}\n')
    tool.chmod(0o755)
    return tool


def test_version_names_python_argocd_and_the_tools_on_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_ = tmp_path / "bin"
    helm = fake(bin_, "helm", "echo v3.15.2+g1a500d5")
    kustomize = fake(bin_, "kustomize", "echo v5.4.3; echo more")
    monkeypatch.setenv("PATH", str(bin_))
    assert invoke(["--version"]) == (
        0,
        f"hooklint 0.1.0\n{PYTHON}\n{ARGOCD}\nhelm v3.15.2+g1a500d5 ({helm})\nkustomize v5.4.3 ({kustomize})\n",
        "",
    )
    assert (bin_ / "helm.calls").read_text() == "version --short\n"
    assert (bin_ / "kustomize.calls").read_text() == "version\n"


def test_version_says_not_found_and_runs_no_tool_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty, bin_ = tmp_path / "empty", tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert invoke(["--version"])[1].endswith(f"{ARGOCD}\nhelm not found\nkustomize not found\n")
    fake(bin_, "kubectl", "exit 0")
    monkeypatch.setenv("PATH", str(bin_))
    assert invoke(["--version"])[1].endswith(
        "\nhelm not found\nkustomize not found (kubectl kustomize renders kustomizations)\n"
    )
    assert not (bin_ / "kubectl.calls").exists()
    fake(bin_, "helm", "echo v3")
    assert invoke(["rules"])[0] == 0
    assert not (bin_ / "helm.calls").exists()


@pytest.mark.parametrize(
    ("body", "said"),
    [
        pytest.param(f"exec {shutil.which('sleep')} 30", "no version within 0.5 s", id="hangs"),
        pytest.param("echo broken >&2; exit 4", "no version (exit 4)", id="fails"),
        pytest.param("exit 0", "no version (exit 0)", id="says-nothing"),
        pytest.param("printf 'v1\\033[2J\\n'", "v1\\x1b[2J", id="control-characters-escaped"),
    ],
)
def test_a_tool_that_hangs_fails_or_says_nothing_is_told_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, said: str
) -> None:
    helm = fake(tmp_path / "bin", "helm", body)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(version, "TOOL_TIMEOUT", 0.5)
    line = invoke(["--version"])[1].splitlines()[3]
    assert line == (f"helm {said} ({helm})" if said.startswith("v1") else f"helm {helm}: {said}")
