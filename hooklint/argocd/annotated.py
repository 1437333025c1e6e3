"""What a resource's Argo CD annotations make of it, exactly as Argo CD reads them (docs/argocd.md#annotations): hook
phases, delete policies, wave and sync options, and every value Argo CD drops."""

from __future__ import annotations

from collections.abc import Iterator

from hooklint.argocd.annotations import (
    BEFORE_HOOK_CREATION,
    DELETE_POLICIES,
    DELETE_TYPES,
    HELM_CRD_INSTALL,
    HELM_HOOK,
    HELM_HOOK_DELETE_POLICY,
    HELM_HOOK_WEIGHT,
    HELM_OVERRIDDEN,
    HELM_POLICY_MAP,
    HELM_TYPE_MAP,
    HELM_UNMAPPED,
    HOOK,
    HOOK_DELETE_POLICY,
    HOOK_TYPES,
    SKIP,
    SKIP_IGNORED,
    SYNC_OPTIONS,
    SYNC_PHASE_TYPES,
    SYNC_WAVE,
    UNKNOWN,
    Annotation,
    Dropped,
    SyncOptions,
    atoi,
    read_annotations,
)
from hooklint.model import Resource
from hooklint.util.frozen import frozen
from hooklint.util.lazy import cached


@frozen(eq=False)
class Annotated:
    """A Resource with its Argo CD annotations parsed (docs/argocd.md#annotations); every field says what Argo CD will do."""

    resource: Resource

    @cached
    def annotations(self) -> dict[str, Annotation]:
        return read_annotations(self.resource)

    @property
    def hook_annotated(self) -> bool:
        """Whether it carries a hook annotation, Argo CD's or Helm's; without one, it is no hook, no delete
        hook and no Skip (docs/argocd.md#hook-types, docs/argocd.md#helm-hooks, docs/argocd.md#classification)."""
        annotations = self.annotations
        return HOOK in annotations or HELM_HOOK in annotations

    @cached
    def argo_hook(self) -> Annotation | None:
        return self.annotations.get(HOOK)

    @cached
    def helm_hook(self) -> Annotation | None:
        return self.annotations.get(HELM_HOOK)

    @cached
    def _hook_values(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        argo, helm = self.argo_hook, self.helm_hook
        return (argo.values if argo else ()), (helm.values if helm else ())

    @cached
    def argo_types(self) -> tuple[str, ...]:
        """Valid gitops-engine types in the Argo CD annotation, Skip included (docs/argocd.md#hook-types)."""
        return tuple(v for v in self._hook_values[0] if v in (*SYNC_PHASE_TYPES, SKIP))

    @cached
    def helm_types(self) -> tuple[str, ...]:
        """Helm values mapped to sync phases (docs/argocd.md#helm-hooks)."""
        mapped = (HELM_TYPE_MAP.get(v) for v in self._hook_values[1])
        return tuple(dict.fromkeys(t for t in mapped if t in SYNC_PHASE_TYPES))

    @cached
    def types_from_helm(self) -> bool:
        return not self.argo_types and bool(self.helm_types)

    @cached
    def types(self) -> tuple[str, ...]:
        """The sync phases this object runs in as a hook; Helm types only without a valid Argo CD type."""
        chosen = self.argo_types or self.helm_types
        return tuple(t for t in chosen if t != SKIP)

    @cached
    def skip(self) -> bool:
        """Skip only when it is the only valid type (docs/argocd.md#hook-types)."""
        return self.argo_types == (SKIP,)

    @cached
    def is_hook(self) -> bool:
        """gitops-engine's IsHook (docs/argocd.md#hook-types): the Argo CD key present (any value) unless Skip-only, else a Helm
        hook other than exactly `crd-install`."""
        annotations = self.annotations  # asked of every object, most of which carry no hook annotation
        if HOOK in annotations:
            return not self.skip
        helm = annotations.get(HELM_HOOK)
        return helm is not None and helm.text != HELM_CRD_INSTALL

    @cached
    def delete_types(self) -> tuple[str, ...]:
        """PreDelete/PostDelete from either annotation (docs/argocd.md#classification, docs/argocd.md#delete-hooks)."""
        argo, helm = self._hook_values
        found = [v for v in argo if v in DELETE_TYPES]
        found += [HELM_TYPE_MAP[v] for v in helm if HELM_TYPE_MAP.get(v) in DELETE_TYPES]
        return tuple(dict.fromkeys(found))

    @cached
    def delete_only(self) -> bool:
        """A delete hook without a sync phase is removed from the sync (docs/argocd.md#classification)."""
        return bool(self.delete_types) and not self.types

    @cached
    def runs(self) -> bool:
        """A hook Argo CD runs in some phase, sync or delete; typeless hooks are dropped (docs/argocd.md#hook-types) and never run."""
        return self.is_hook and bool(self.types or self.delete_types)

    @cached
    def typeless(self) -> bool:
        """A hook with no type at all: Argo CD drops it silently (docs/argocd.md#hook-types)."""
        return self.is_hook and not self.types and not self.delete_types

    @cached
    def dropped_types(self) -> tuple[Dropped, ...]:
        """Hook values Argo CD ignores on this object, each with its reason."""
        argo, helm = self._hook_values
        dropped: list[_Drop] = [(0, n, UNKNOWN) for n, v in enumerate(argo) if v not in HOOK_TYPES]
        if SKIP in self.argo_types and len(self.argo_types) > 1:
            dropped += [(0, n, SKIP_IGNORED) for n, v in enumerate(argo) if v == SKIP]
        helm_whole_crd = self.helm_hook is not None and self.helm_hook.text == HELM_CRD_INSTALL
        for n, value in enumerate(helm):
            if value not in HELM_TYPE_MAP:
                if not helm_whole_crd:
                    dropped.append((1, n, HELM_UNMAPPED))
            elif self.argo_types and HELM_TYPE_MAP[value] in SYNC_PHASE_TYPES:
                dropped.append((1, n, HELM_OVERRIDDEN))
        return _dropped((self.argo_hook, self.helm_hook), dropped)

    @property
    def hook_annotation(self) -> Annotation:
        """The annotation the sync phases come from: Argo CD's when it names a valid type, else Helm's (docs/argocd.md#hook-types).
        Only for an object with sync phases."""
        return self.annotations[HOOK if self.argo_types else HELM_HOOK]

    @property
    def delete_hook_annotation(self) -> Annotation:
        """The annotation that makes this a PreDelete/PostDelete hook, Argo CD's before Helm's (docs/argocd.md#delete-hooks). Only
        for an object with delete types."""
        own = self.argo_hook
        if own is not None and any(v in DELETE_TYPES for v in own.values):
            return own
        return self.annotations[HELM_HOOK]

    @property
    def policy_annotation(self) -> Annotation | None:
        """The delete-policy annotation that gives a valid policy, Argo CD's before Helm's (docs/argocd.md#delete-policies)."""
        for key, valid in (
            (HOOK_DELETE_POLICY, DELETE_POLICIES),
            (HELM_HOOK_DELETE_POLICY, tuple(HELM_POLICY_MAP)),
        ):
            annotation = self.annotations.get(key)
            if annotation is not None and any(v in valid for v in annotation.values):
                return annotation
        return None

    @cached
    def _policy_annotations(self) -> tuple[Annotation | None, Annotation | None]:
        return self.annotations.get(HOOK_DELETE_POLICY), self.annotations.get(HELM_HOOK_DELETE_POLICY)

    @cached
    def explicit_policies(self) -> tuple[str, ...]:
        """Argo CD and mapped Helm policies, unioned (docs/argocd.md#delete-policies), as written (invalid values left out)."""
        argo, helm = self._policy_annotations
        found = [v for v in argo.values if v in DELETE_POLICIES] if argo else []
        found += [HELM_POLICY_MAP[v] for v in helm.values if v in HELM_POLICY_MAP] if helm else []
        return tuple(dict.fromkeys(found))

    @property
    def policies(self) -> tuple[str, ...]:
        """The effective policies: an empty set means BeforeHookCreation (docs/argocd.md#delete-policies, since v1.4.0)."""
        return self.explicit_policies or (BEFORE_HOOK_CREATION,)

    @cached
    def dropped_policies(self) -> tuple[Dropped, ...]:
        argo, helm = self._policy_annotations
        dropped: list[_Drop] = [
            (0, n, UNKNOWN) for n, v in enumerate(argo.values if argo else ()) if v not in DELETE_POLICIES
        ]
        dropped += [
            (1, n, UNKNOWN) for n, v in enumerate(helm.values if helm else ()) if v not in HELM_POLICY_MAP
        ]
        return _dropped((argo, helm), dropped)

    @cached
    def _wave(self) -> tuple[int, str, tuple[Annotation, ...]]:
        rejected: list[Annotation] = []
        for key in (SYNC_WAVE, HELM_HOOK_WEIGHT):
            annotation = self.annotations.get(key)
            if annotation is None:
                continue
            wave = atoi(annotation.text)
            if wave is not None:
                return wave, key, tuple(rejected)
            rejected.append(annotation)
        return 0, "", tuple(rejected)

    @property
    def wave(self) -> int:
        """sync-wave by Go's Atoi, else helm.sh/hook-weight, else 0 (docs/argocd.md#sync-waves)."""
        return self._wave[0]

    @property
    def wave_source(self) -> str:
        """The annotation key the wave came from, or "" for the default."""
        return self._wave[1]

    @property
    def rejected_waves(self) -> tuple[Annotation, ...]:
        """Wave annotations Atoi rejected, which Argo CD silently passed over."""
        return self._wave[2]

    @cached
    def sync_options(self) -> SyncOptions:
        annotation = self.annotations.get(SYNC_OPTIONS)
        return SyncOptions(tuple(annotation.items()) if annotation else ())

    def iter_annotations(self) -> Iterator[Annotation]:
        return iter(self.annotations.values())


# A dropped value as found: which of two annotations (0 or 1), the item's place among its values, and why.
_Drop = tuple[int, int, str]


def _dropped(
    annotations: tuple[Annotation | None, Annotation | None], found: list[_Drop]
) -> tuple[Dropped, ...]:
    """The values found dropped, with their spans. Values are read without positions: the items, each with
    its span, are made only for an annotation with a value to report, which most have not."""
    if not found:
        return ()
    items = [annotation.items() if annotation else [] for annotation in annotations]
    return tuple(Dropped(items[side][n].value, items[side][n].span, reason) for side, n, reason in found)


def named_at_sync(resource: Resource) -> bool:
    """Whether Argo CD names an object that has neither metadata.name nor generateName: a hook with a sync phase
    gets one made of the revision, the phase and the operation's start (docs/argocd.md#tasks). Every other such
    object reaches the API server without a name, which refuses it; a delete hook too, as the controller
    creates it as written (docs/argocd.md#delete-hooks)."""
    item = Annotated(resource)
    return item.is_hook and bool(item.types)
