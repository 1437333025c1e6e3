"""Tests of near_misses: how far a key is from the one it was meant as."""

from __future__ import annotations

import pytest

from hooklint.argocd import annotations as argo
from hooklint.rules.annotations.near_misses import near_miss, osa_distance


@pytest.mark.parametrize("key", sorted({*argo.KNOWN_KEYS, *argo.OTHER_LEGITIMATE_KEYS}))
def test_no_legitimate_key_is_a_near_miss(key: str) -> None:
    assert near_miss(key) is None


def test_transposition_is_one_edit() -> None:
    assert (osa_distance("policy", "ploicy"), osa_distance("delete", "deletion")) == (1, 3)
