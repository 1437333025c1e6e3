"""HL109's fix: a tracking ConfigMap beside the hook that holds its configuration, so a change to it is drift."""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml

from hooklint.argocd.kinds import containers, parse_image
from hooklint.model import Fix, Resource
from hooklint.rules import blocks, edits
from hooklint.rules.context import Context
from hooklint.sync.plan import identity

# ConfigMap data keys (Kubernetes validation).
_DATA_KEY = re.compile(r"[-._a-zA-Z0-9]{1,253}")
_SUFFIX = "-hook-config"


def hook_values(resource: Resource, references_only: re.Pattern[str]) -> dict[str, str] | None:
    """The hook's configuration by data key: each container's versioned image and literal env values, keyed
    `image` and by variable name (prefixed with the container name when there are several); None when two
    would share a key or a name is no valid key."""
    found = list(containers(resource))
    values: dict[str, str] = {}
    for position, (_, container) in enumerate(found):
        name = container.get("name")
        prefix = f"{name if isinstance(name, str) and name else position}." if len(found) > 1 else ""
        pairs: list[tuple[object, object]] = []
        image = container.get("image")
        ref = parse_image(image) if isinstance(image, str) else None
        # The same images HL109 compares: one with no version has nothing a change could move.
        if ref is not None and ref.versions not in ((), ("latest",)):
            pairs.append(("image", image))
        env = container.get("env")
        for var in env if isinstance(env, list) else []:
            value = var.get("value") if isinstance(var, Mapping) else None
            if isinstance(value, str) and value and not references_only.fullmatch(value):
                pairs.append((var.get("name"), value))
        for key, value in pairs:
            full = f"{prefix}{key}"
            if not isinstance(key, str) or not _DATA_KEY.fullmatch(full) or full in values:
                return None
            values[full] = tracked_value(key, str(value))
    return values or None


def tracked_value(name: object, value: str) -> str:
    """What the tracking ConfigMap holds for env `name`'s `value`: the value, or for one HL302 calls a
    credential its digest, so that the ConfigMap (a plain object, and the fix's text in SARIF) never
    holds the secret, yet changes with it."""
    from hooklint.rules.credentials import flags_env

    return digest(value) if flags_env(name, value) else value


def digest(value: str) -> str:
    import hashlib  # loaded only for a credential in a hook's env: most runs never need it

    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def tracking_configmap(ctx: Context, resource: Resource, references_only: re.Pattern[str]) -> Fix | None:
    """A new document after the hook's: ConfigMap/<hook>-hook-config in the hook's namespace holding its
    values. It is no hook, so Argo CD compares it (docs/argocd.md#drift-and-sync-status): bumping a value there makes the application OutOfSync.
    Unsafe: it adds an object to the cluster. None when an object of that name is already in the input."""
    values = hook_values(resource, references_only)
    name = resource.name.rstrip("-.") + _SUFFIX
    if values is None:
        return None
    key = ("", "ConfigMap", identity(resource, ctx.namespace)[2], name)
    if any(identity(other, ctx.namespace) == key for other in ctx.resources):
        return None
    metadata = resource.node_at(("metadata",))
    step = 2
    if isinstance(metadata, yaml.MappingNode):  # indented like the hook's own metadata
        step = blocks.indent_step(metadata, resource.node_at(("metadata",), key=True))
    indent = " " * step
    lines = [
        f"# Holds {resource.label}'s configuration: Argo CD compares this ConfigMap, so changing a value here",
        "# makes the application OutOfSync and the next sync runs the hook (hooklint HL109).",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        f"{indent}name: {name}",
        *([f"{indent}namespace: {edits.render(resource.namespace)}"] if resource.namespace else []),
        "data:",
        *(f"{indent}{edits.render_key(k)}: {edits.render(v)}" for k, v in values.items()),
    ]
    edit = blocks.append_document(resource.path, edits.source(ctx, resource.path), lines)
    return Fix(f"Add ConfigMap/{name} holding the hook's image and env values", False, (edit,))
