"""Each security test gets a fresh attacker's repository; see harness.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.realtools.conftest import require
from tests.security.harness import Sandbox, sandbox


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Sandbox]:
    with sandbox(tmp_path) as made:
        yield made


@pytest.fixture
def git_box(tmp_path: Path) -> Iterator[Sandbox]:
    with sandbox(tmp_path, git=True) as made:
        yield made


@pytest.fixture
def helm_box(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox whose `helm` is the real one, found before PATH is narrowed to the sandbox's tools (skipped
    without it, failed under CI=true)."""
    helm = require("helm")
    with sandbox(tmp_path) as made:
        made.real("helm", helm)
        yield made
