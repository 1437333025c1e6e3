"""HL116 hook-only-change (hooklint/rules/hooks/hl116_hook_only_change.py): a change since --base that touches
only hooks, in a throwaway git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import CONFIGS, SHOP_HOOK, invoke, shop_repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return shop_repo(tmp_path)


def test_a_change_to_the_hook_alone_is_hl116(repo: Path) -> None:
    (repo / "apps/shop/migrate.yaml").write_text(SHOP_HOOK.format(version="1.1.0"))
    code, out, _ = invoke(["lint", "--select", "HL116", "--format", "json", "--base", "HEAD", "apps/shop"])
    findings = json.loads(out)["findings"]
    assert code == 0
    assert [(f["file"], f["line"], f["rule"]) for f in findings] == [("apps/shop/migrate.yaml", 6, "HL116")]
    assert findings[0]["message"] == (
        "since HEAD only hooks changed (Job/db-migrate): hooks have no sync status, so the application stays Synced "
        "and automated sync never starts, so the new hook does not run until some other resource changes"
    )


def test_no_hl116_when_a_tracked_resource_changes_too(repo: Path) -> None:
    (repo / "apps/shop/migrate.yaml").write_text(SHOP_HOOK.format(version="1.1.0"))
    (repo / "apps/shop/configs.yaml").write_text(CONFIGS.replace('"1"', '"2"'))
    assert invoke(["lint", "--select", "HL116", "--base", "HEAD", "apps/shop"])[1].startswith("0 finding(s)")
