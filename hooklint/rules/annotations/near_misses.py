"""Annotation keys one slip away from a key Argo CD or Helm reads, and the edit distance that measures it."""

from __future__ import annotations

from hooklint.argocd import annotations as argo

# The family a prefix's keys are compared in: `argoproj.io/hook` is a slip for `argocd.argoproj.io/hook`.
_FAMILY = {
    argo.ARGOCD_KEY_PREFIX: argo.ARGOCD_KEY_PREFIX,
    argo.SHORT_ARGO_KEY_PREFIX: argo.ARGOCD_KEY_PREFIX,
    argo.HELM_KEY_PREFIX: argo.HELM_KEY_PREFIX,
}
_LEGITIMATE = frozenset((*argo.KNOWN_KEYS, *argo.OTHER_LEGITIMATE_KEYS))
# Suffixes this long tolerate one more edit: `hook-deletion-policy`, `hook-delete-policies` are 3 away.
_LONG_SUFFIX = 15


def osa_distance(a: str, b: str, limit: int = 1 << 62) -> int:
    """Edit distance counting an adjacent transposition as one edit (optimal string alignment), or `limit` + 1
    for anything farther. The lengths' difference is a lower bound, so a value of hundreds of kilobytes from a
    manifest is never compared letter by letter with a short known one."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)


def _split(key: str) -> tuple[str, str] | None:
    """(canonical family prefix, suffix) when the key's prefix is one HL014 looks at, in any case."""
    lowered = key.lower()
    for prefix, family in _FAMILY.items():
        if lowered.startswith(prefix):
            return family, key[len(prefix) :]
    return None


def _distance(split: tuple[str, str], other: str) -> int | None:
    """How far a key is from `other`, or None when it is out of reach: within a family by edit distance on the
    suffix, across families only for the same suffix (`argocd.argoproj.io/hook-weight`)."""
    other_split = _split(other)
    if other_split is None:
        return None
    (family, suffix), (other_family, other_suffix) = split, other_split
    suffix, other_suffix = suffix.lower(), other_suffix.lower()
    if family != other_family:
        return 0 if suffix == other_suffix else None
    limit = 3 if len(other_suffix) >= _LONG_SUFFIX else 2
    distance = osa_distance(suffix, other_suffix, limit)
    return distance if distance <= limit else None


def near_miss(key: str, *, unambiguous: bool = False) -> str | None:
    """The known key this one misspells, or None. A key as near to another legitimate key is left alone, and
    with `unambiguous` so is one as near to two known keys."""
    if key in _LEGITIMATE:
        return None
    split = _split(key)
    if split is None:
        return None
    best: tuple[int, str] | None = None
    for known in argo.KNOWN_KEYS:
        distance = _distance(split, known)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, known)
    if best is None:
        return None
    others = [k for k in argo.OTHER_LEGITIMATE_KEYS if k != best[1]]
    if unambiguous:
        others += [k for k in argo.KNOWN_KEYS if k != best[1]]
    for other in others:
        distance = _distance(split, other)
        if distance is not None and distance <= best[0]:
            return None
    return best[1]
