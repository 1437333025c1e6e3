"""YAML nodes to edit and the text an edit leaves, for the edit and block tests."""

from __future__ import annotations

import yaml

from hooklint.fix.fixer import apply
from hooklint.model import Edit, node_at


def root(text: str) -> yaml.Node:
    node: yaml.Node = yaml.compose(text, Loader=yaml.CSafeLoader)
    return node


def at(text: str | yaml.Node, *path: str | int, key: bool = False) -> yaml.Node:
    """The node at `path` of `text` composed afresh, or of an already composed tree (nodes compared by identity
    must come from one tree)."""
    found = node_at(root(text) if isinstance(text, str) else text, path, key=key)
    assert found is not None
    return found


def spliced(text: str, edit: Edit | tuple[Edit, ...] | None) -> str:
    assert edit is not None
    return apply(text, edit if isinstance(edit, tuple) else (edit,))
