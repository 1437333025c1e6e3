"""The kinds a pod or claim cannot start or be admitted without, which an application may leave to others."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


# What a pod (or a claim) cannot start or be admitted without: HL201's and HL202's targets. The first
# four are what HL206 expects an application to leave to others. Namespaces and CRDs are pulled in
# front of their first user by Argo CD itself (docs/argocd.md#dependency-adjustments); Services named by webhooks and APIServices are HL209's.
MISSABLE = frozenset(
    ("", kind) for kind in ("ConfigMap", "Secret", "ServiceAccount", "PersistentVolumeClaim")
)
