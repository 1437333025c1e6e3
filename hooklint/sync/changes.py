"""What changed between the manifests at a base revision and now, by object identity."""

from __future__ import annotations

from collections.abc import Sequence

from hooklint.argocd.annotated import Annotated
from hooklint.argocd.identity import normalized_body
from hooklint.model import Resource
from hooklint.sync.plan import identity
from hooklint.util.frozen import frozen

Identity = tuple[str, str, str, str]


@frozen
class Changes:
    base: str  # the revision compared with
    before: tuple[Resource, ...]  # every manifest at the base
    added: tuple[Resource, ...]
    removed: tuple[Resource, ...]  # as they were at the base: the live objects a sync would prune
    modified: tuple[tuple[Resource, Resource], ...]  # (at the base, now)
    unchanged: frozenset[Identity]

    @property
    def touched(self) -> tuple[Resource, ...]:
        """Every object the change adds, removes or modifies (the current manifest where there is one)."""
        return self.added + tuple(new for _, new in self.modified) + self.removed


def compare(base: str, before: Sequence[Resource], after: Sequence[Resource], namespace: str) -> Changes:
    """Objects matched by identity; generateName objects by their prefix. The last manifest of an identity
    stands for it, as Argo CD keeps the last of duplicates."""
    old = {identity(r, namespace): r for r in before}

    def same(then: Resource, now: Resource) -> bool:
        return then.body == now.body or normalized_body(then, namespace) == normalized_body(now, namespace)

    new = {identity(r, namespace): r for r in after}
    return Changes(
        base=base,
        before=tuple(before),
        added=tuple(r for key, r in new.items() if key not in old),
        removed=tuple(r for key, r in old.items() if key not in new),
        modified=tuple((old[key], r) for key, r in new.items() if key in old and not same(old[key], r)),
        unchanged=frozenset(key for key, r in new.items() if key in old and same(old[key], r)),
    )


def hook_only(changes: Changes) -> bool:
    """Whether every object the change touches is a hook, in its old or its new form (docs/argocd.md#drift-and-sync-status: hooks have no sync
    status, so such a change leaves the application Synced)."""
    touched = [*changes.added, *changes.removed, *(r for pair in changes.modified for r in pair)]
    return bool(touched) and all(Annotated(r).is_hook or Annotated(r).delete_types for r in touched)
