"""The docs site builds with `mkdocs build --strict`: every link and anchor between its pages resolves, and the
rule pages reach it rendered for users."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT


def require_package(name: str) -> None:
    """Skip the calling test when `name` is not installed, or fail when CI is "true" (CI builds the site)."""
    if importlib.util.find_spec(name) is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{name} is not installed, and CI=true: install the docs extra ('.[docs]')", pytrace=False
        )
    pytest.skip(f"{name} is not installed (the docs extra, '.[docs]')")


def test_the_site_builds_strictly_with_every_page(tmp_path: Path) -> None:
    require_package("mkdocs")
    require_package("material")
    site = tmp_path / "site"
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(ROOT / "mkdocs.yml"),
        "-d",
        str(site),
    ]
    built = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    )
    assert built.returncode == 0, built.stderr
    pages = sorted(str(page.relative_to(site)) for page in site.glob("*/index.html"))
    assert pages == [
        "argocd/index.html",
        "contributing/index.html",
        "design-notes/index.html",
        "editors/index.html",
        "github-action/index.html",
        "lsp/index.html",
        "rules/index.html",
        "security/index.html",
    ]
    rules = sorted(page.name for page in (ROOT / "rules").glob("HL*.md"))
    assert sorted(f"{page.parent.name}.md" for page in site.glob("rules/HL*/index.html")) == rules
    hl101 = (site / "rules/HL101-named-hook-without-before-hook-creation/index.html").read_text("utf-8")
    assert ("Findings:" in hl101, "expect:" in hl101, "yaml bad" in hl101) == (True, False, False)
    assert 'href="../../argocd/#delete-policies"' in hl101
