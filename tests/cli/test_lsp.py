"""The `lsp` verb without its extra: a usage error that says what to install."""

from __future__ import annotations

import importlib.util

import pytest

from tests.helpers import invoke


def test_lsp_without_pygls_exits_2_and_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pygls" else found(name, *a)
    )
    assert invoke(["lsp"]) == (
        2,
        "",
        "hooklint: the language server needs pygls: pip install 'hooklint[lsp]'\n",
    )
