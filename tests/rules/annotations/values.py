"""A document builder for the duplicate and annotation value rule tests (HL004, HL010-HL013): any kind."""

from __future__ import annotations


def obj(kind: str, name: str, annotations: str = "", *, api: str = "v1", extra: str = "") -> str:
    """A document; `annotations` are lines indented by 4, `extra` top-level lines after metadata."""
    meta = f"  name: {name}\n" + (f"  annotations:\n{annotations}" if annotations else "")
    return f"---\napiVersion: {api}\nkind: {kind}\nmetadata:\n{meta}{extra}"
