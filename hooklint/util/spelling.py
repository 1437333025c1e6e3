"""Close spellings for "did you mean" hints, at a cost bounded by the candidates' length, whatever the word.

difflib's ratio is 2*M/T, where M (the matching characters) is at most the shorter length: a candidate whose
length differs too much can never reach the cutoff, and comparing it with a word of hundreds of kilobytes
from a manifest took seconds. Those are left out before difflib sees them, with the same result."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, candidates: Iterable[str], n: int, cutoff: float) -> list[str]:
    """`difflib.get_close_matches(word, candidates, n, cutoff)`, comparing only candidates of a length that
    can reach the cutoff."""
    import difflib  # loaded only when a value is not one Argo CD knows

    reachable = [c for c in candidates if 2 * min(len(c), len(word)) >= cutoff * (len(c) + len(word))]
    return difflib.get_close_matches(word, reachable, n=n, cutoff=cutoff) if reachable else []
