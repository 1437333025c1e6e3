"""The container of the hook object rule tests' Jobs (HL107, HL108, HL110-HL115): tests.helpers.job(containers=TOOLS)."""

from __future__ import annotations

from tests.helpers import container

TOOLS = container("run", "registry.example.com/tools:1.0")
