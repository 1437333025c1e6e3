"""JSON documents as the reports and explain print them: exactly `json.dumps(value, indent=2)` plus a newline.

With `indent`, the standard library encodes in pure Python, one generator step per value, which made
rendering a large report a serial cost of every run. This writes the same bytes in one recursive pass,
with the C string escaper."""

from __future__ import annotations

import json
from json.encoder import encode_basestring_ascii as _string
from typing import Any


def dumps(value: Any) -> str:
    """`json.dumps(value, indent=2) + "\\n"`, byte for byte."""
    out: list[str] = []
    _value(value, "\n", out)
    out.append("\n")
    return "".join(out)


def _value(value: Any, newline: str, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            separator = "," + inner
            out.append(_string(key) if type(key) is str else _key(key))
            out.append(": ")
            if type(item) is str:
                out.append(_string(item))
            else:
                _value(item, inner, out)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            separator = "," + inner
            _value(item, inner, out)
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif isinstance(value, (dict, list, tuple)):
        # Subclasses (rare) are encoded as their base type is.
        base = dict if isinstance(value, dict) else list
        _value(base(value), newline, out)
    else:
        # Floats, str and int subclasses (enums): the standard encoder's own text.
        out.append(json.dumps(value))


def _key(key: Any) -> str:
    """A key that is not a plain string, as the standard encoder writes it (or refuses it)."""
    if isinstance(key, str):
        return _string(key)
    if key is True or key is False or key is None:
        text = {True: "true", False: "false", None: "null"}[key]
    elif isinstance(key, (int, float)):
        text = json.dumps(key)
    else:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return f'"{text}"'
