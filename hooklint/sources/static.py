"""A Helm chart read without helm: each template's Go actions replaced by placeholders typed by where they
stand, its control structures walked, and the YAML left parsed into resources whose literal keys and values
keep their template position (docs/design-notes.md#charts-without-helm)."""

from __future__ import annotations

import itertools
import json
import os
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from hooklint.argocd.annotated import named_at_sync
from hooklint.manifests.parse import parse_text
from hooklint.model import DUPLICATE_KEY, Finding, Resource, Span
from hooklint.sources import sourcemap
from hooklint.sources.gotemplate import actions
from hooklint.util import confine
from hooklint.util.frozen import frozen

# What stands for a template action: a plain scalar that is a valid name, equal to nothing else and to no
# other placeholder, so that no comparison ever matches it. `hlpv` for a value, `hlpb` for a block.
PLACEHOLDER = re.compile(r"hlp[vb]\d+x")
_BLOCK = re.compile(r"^hlpb\d+x$")
SUFFIX = " (chart read without helm)"

_KEYWORD = re.compile(r"^\s*(if|else|end|range|with|define|block|template|break|continue)\b")
_INDENT = re.compile(r"\|\s*(n?indent)\s+(\d+)\s*(?:\||$)")
_BLOCKISH = re.compile(r"^\s*(?:toYaml|include|template|tpl)\b")
_VARIABLE = re.compile(r"^\s*\$\w*\s*:?=(?!=)")
_SEPARATOR = re.compile(r"^---(?:[ \t].*)?$", re.M)
_STARTED = re.compile(r" \([^()]* started at line \d+, column \d+\)")  # positions in hooklint's text
_ITEM = re.compile(r"^(\s*)((?:-\s+)*)")
_KEY_LINE = re.compile(r"^(?:\"[^\"]*\"|'[^']*'|[^\s:#\"'][^:#]*?)\s*:(?:\s|$)")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_CONDITION_VALUE = re.compile(r"^(\$?)\.Values((?:\.[A-Za-z_]\w*)*)$")
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"$|^(true|false)$|^(-?\d+)$')


@frozen
class Reading:
    """What the static reading of one chart adds to the load."""

    resources: tuple[Resource, ...]
    placeholders: dict[str, tuple[Span, ...]]  # per template: where each action stood
    notes: tuple[str, ...]
    silent_hooks: tuple[str, ...]  # templates whose documents wrote hook annotations but yielded nothing
    left_out: int  # documents that could not be read, or whose kind or hook annotations are placeholders


@dataclass
class _Frame:
    keyword: str
    outer: bool  # whether the enclosing text was being written
    taking: bool = True
    decided: bool = False  # a branch known to be taken: the later ones are not
    dot: Any = None  # what `.` is inside: the root (_ROOT), a known value, or _UNKNOWN
    pieces_at: int = 0  # where the branch being walked began in the output, and in the placeholders
    spans_at: int = 0
    saved: dict[str, Any] = field(default_factory=dict)  # the variables outside, restored at its end
    items: list[tuple[Any, Any]] = field(default_factory=list)  # a known range's elements still to walk
    names: tuple[str | None, str | None] = (None, None)  # the range's variables
    loop: tuple[int, int, bool] | None = None  # where a known range's body starts: action, text, trim


@dataclass
class _Piece:
    text: str
    source: int  # the template offset of its first character (an action's start for a placeholder)
    literal: bool


@dataclass
class _Helpers:
    """The chart's helpers (`define`), read when a template first calls one, and which of them write
    nothing at all."""

    texts: Mapping[str, str]
    defined: dict[str, tuple[str, int, int]] | None = None  # name: (text, body start, body end)
    silent: dict[str, bool] = field(default_factory=dict)
    written: dict[str, tuple[list[str], bool] | None] = field(default_factory=dict)  # _helper_output's
    walks: int = 0

    def body(self, name: str) -> str | None:
        """A helper's text as it writes it: the whitespace its `define` and `end` trim taken off."""
        self._read()
        assert self.defined is not None
        found = self.defined.get(name)
        if found is None or found[2] < found[1]:
            return None
        text, start, end = found
        written = text[start:end]
        written = written.lstrip() if _trims_after(text, start) else written
        return written.rstrip() if _trims_before(text, end) else written

    def _read(self) -> None:
        if self.defined is None:
            from hooklint.sources.gotemplate import read

            self.defined = {}
            for path in sorted(self.texts):
                text = self.texts[path]
                for helper, part in read(path, text)[1].items():
                    self.defined[helper] = (text, part.start, part.end)

    def writes_nothing(self, name: str, calling: frozenset[str] = frozenset()) -> bool:
        """Whether a helper's output is empty whatever the values: all its text trimmed away, every action
        a control structure, an assignment, a comment or a call of a helper that writes nothing."""
        if name in self.silent:
            return self.silent[name]
        self._read()
        assert self.defined is not None
        found = self.defined.get(name)
        if found is None or name in calling or found[2] < found[1]:
            return False
        text, start, end = found
        silent = all(
            not literal and (action is None or _silent_action(action, self, calling | {name}))
            for literal, action in _literals(text, start, end)
        )
        self.silent[name] = silent
        return silent


@dataclass
class _Walk:
    path: str
    text: str
    values: Mapping[str, Any]
    helpers: _Helpers
    pieces: list[_Piece] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    counter: list[int] = field(default_factory=lambda: [0])
    passes: list[int] = field(default_factory=lambda: [0])  # passes of known ranges walked
    depth: int = 0  # helpers being written inside one another


def values_of(
    folder: str,
    files: Sequence[str],
    inline: str | None,
    parameters: Sequence[tuple[str, str, bool]] = (),
) -> dict[str, Any]:
    """The chart's default values with the given values files, inline values and parameters (an
    Application's `helm.parameters`, helm's `--set`) merged over them, as far as they can be read; what
    cannot be read counts as no values."""
    merged: dict[str, Any] = {}
    own = os.path.join(folder, "values.yaml")
    # The chart's own values file is read only inside the chart: a link out of it is no chart's values.
    for path in [*([own] if confine.inside(own, folder) else []), *(f for f in files if f != "-")]:
        try:
            with open(path, encoding="utf-8-sig") as handle:
                _merge(merged, _mapping(handle.read()))
        except (OSError, UnicodeDecodeError):
            continue
    if inline:
        _merge(merged, _mapping(inline))
    for name, value, force_string in parameters:
        _set(merged, name, value if force_string else _typed(value))
    return merged


_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$")


def _set(values: dict[str, Any], name: str, value: Any) -> None:
    """`--set name=value` for a dotted name. A name with list indexes or escapes makes what it sets
    unknown: its top-level value becomes unknown, so that no condition on it is decided."""
    if not _PLAIN_NAME.match(name):
        values[re.split(r"[.\[\\]", name, maxsplit=1)[0]] = _UNKNOWN
        return
    *parents, last = name.split(".")
    for parent in parents:
        child = values.get(parent)
        if not isinstance(child, dict):
            child = values[parent] = {}
        values = child
    values[last] = value


def _typed(value: str) -> Any:
    """A `--set` value as helm types it: true, false, null and integers; anything else a string. A list
    (`{a,b}`) is not read, and counts as unknown text."""
    if value in ("true", "false"):
        return value == "true"
    if value == "null":
        return None
    return int(value) if re.fullmatch(r"-?[1-9]\d*|0", value) else value


def _mapping(text: str) -> dict[str, Any]:
    from hooklint.manifests.yamlnodes import Loader, NodeError, build, refusal

    if refusal(text, Loader) is not None:
        return {}
    try:
        node = yaml.compose(text, Loader=Loader)
        data = build(node) if node is not None else None
    except (yaml.YAMLError, NodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _merge(into: dict[str, Any], over: Mapping[str, Any]) -> None:
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def read_templates(texts: Mapping[str, str], values: Mapping[str, Any]) -> Reading:
    """Every rendered template of a chart (display path to text) read statically."""
    resources: list[Resource] = []
    placeholders: dict[str, tuple[Span, ...]] = {}
    notes: list[str] = []
    silent: list[str] = []
    counter, left_out = [0], [0]
    helpers = _Helpers(texts)
    for path in sorted(texts):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("_") or not name.endswith((".yaml", ".yml")):
            continue
        text = texts[path]
        walk = _Walk(path, text, values, helpers, counter=counter)
        _write(walk)
        _type_blocks(walk.pieces)
        output = "".join(piece.text for piece in walk.pieces)
        starts = _line_starts(text)
        alternatives: list[Span] = []
        found = _documents(walk, output, starts, notes, alternatives, left_out)
        placeholders[path] = (
            *(Span(path, *_position(starts, s), *_position(starts, e)) for s, e in walk.spans),
            *alternatives,
        )
        if not output.strip() and _writes_hook(text):
            silent.append(path)
        resources += found
    return Reading(tuple(resources), placeholders, tuple(notes), tuple(silent), left_out[0])


def _writes_hook(text: str) -> bool:
    return bool(re.search(r"^\s*[\"']?(?:argocd\.argoproj\.io/hook|helm\.sh/hook)[\"']?\s*:", text, re.M))


def _write(walk: _Walk, dot: Any = None, scope: dict[str, Any] | None = None) -> None:
    """The template's output with every action replaced, as (text, source) pieces. `dot` and `scope` (the
    variables) are the root's, or a helper's when its text is written where it is included."""
    text, stack = walk.text, list[_Frame]()
    found = list(actions(text, comments=True))
    variables = scope if scope is not None else {}
    active, position, trim_next, failed, index = True, 0, False, False, 0
    while index < len(found):
        start, end, body_start, body_end = found[index]
        index += 1
        literal_start = position
        if trim_next:
            while literal_start < start and text[literal_start].isspace():
                literal_start += 1
        literal_end = start
        if _trims_before(text, start):
            while literal_end > literal_start and text[literal_end - 1].isspace():
                literal_end -= 1
        if active and literal_end > literal_start:
            walk.pieces.append(_Piece(text[literal_start:literal_end], literal_start, True))
        trim_next = body_end < end - 2
        position = end
        body = text[body_start:body_end]
        if body.lstrip().startswith("/*"):
            continue
        keyword = _KEYWORD.match(body)
        word = keyword.group(1) if keyword else ""
        rest = body[keyword.end() :] if keyword else body
        here = stack[-1].dot if stack else (_ROOT if dot is None else dot)
        if word in ("if", "with", "range"):
            frame = _Frame(word, active, dot=here if word == "if" else _UNKNOWN, saved=dict(variables))
            frame.pieces_at, frame.spans_at = len(walk.pieces), len(walk.spans)
            declared = _DECLARE.match(rest) if word != "if" else None
            subject = _evaluate(rest[declared.end() :] if declared else rest, walk.values, here, variables)
            frame.taking = subject is _UNKNOWN or _true(subject)
            frame.decided = subject is not _UNKNOWN and _true(subject)
            if word == "with" and frame.decided:
                frame.dot = subject
                if declared:
                    variables[declared.group(1)] = subject
            elif word == "range":
                items = _items(subject) if frame.decided and active else None
                if items is not None and walk.passes[0] + len(items) <= _PASSES:
                    # A range over a known list or map is walked once per element, as helm writes it.
                    walk.passes[0] += len(items)
                    frame.items = items
                    frame.names = (declared.group(1), declared.group(2)) if declared else (None, None)
                    frame.loop = (index, position, trim_next)
                    _next_item(frame, variables)
                elif declared:
                    for name in declared.groups():
                        if name:
                            variables[name] = _UNKNOWN
            elif declared:
                variables[declared.group(1)] = _UNKNOWN
            stack.append(frame)
        elif word in ("define", "block"):
            if word == "block" and active:
                _placeholder(walk, start, end, block=True)
            stack.append(
                _Frame(word, active, taking=False, decided=True, dot=_UNKNOWN, saved=dict(variables))
            )
        elif word == "else" and stack:
            frame = stack[-1]
            frame.pieces_at, frame.spans_at = len(walk.pieces), len(walk.spans)
            inner = _KEYWORD.match(rest)
            outer_dot = stack[-2].dot if len(stack) > 1 else (_ROOT if dot is None else dot)
            if frame.decided:
                frame.taking = False
            elif inner and inner.group(1) in ("if", "with"):
                subject = _evaluate(rest[inner.end() :], walk.values, outer_dot, variables)
                frame.taking = subject is _UNKNOWN or _true(subject)
                frame.decided = subject is not _UNKNOWN and _true(subject)
                known = inner.group(1) == "with" and frame.decided
                frame.dot = subject if known else outer_dot if inner.group(1) == "if" else _UNKNOWN
            else:
                frame.taking = True
                frame.dot = outer_dot
        elif word == "end" and stack:
            frame = stack[-1]
            if frame.items and frame.loop is not None and frame.outer and not failed:
                index, position, trim_next = frame.loop
                frame.pieces_at, frame.spans_at = len(walk.pieces), len(walk.spans)
                frame.taking = True
                _next_item(frame, variables)
            else:
                stack.pop()
                _restore(variables, frame.saved)
        elif word in ("break", "continue", "end", "else"):
            pass
        elif _VARIABLE.match(body):
            if active:
                _assign(body, walk, here, variables, stack)
        elif active and _FAIL.match(body):
            # helm stops at a `fail`: the branch that reaches it is in no rendering, and an unconditional
            # one leaves the template nothing.
            frame = stack[-1] if stack else _Frame("", True, taking=False)
            del walk.pieces[frame.pieces_at :], walk.spans[frame.spans_at :]
            frame.taking, failed = False, not stack
        elif active:
            _output(walk, start, end, body, here, variables)
        active = not failed and (all(frame.outer and frame.taking for frame in stack[-1:]) if stack else True)
    if active and position < len(text):
        start = position
        if trim_next:
            while start < len(text) and text[start].isspace():
                start += 1
        walk.pieces.append(_Piece(text[start:], start, True))


# How many passes of ranges over known values a template is walked with, at most: beyond, a range is
# walked once with its element unknown.
_PASSES = 256
_DECLARE = re.compile(r"^\s*(\$[A-Za-z_]\w*)\s*(?:,\s*(\$[A-Za-z_]\w*)\s*)?:=")
_ASSIGNMENT = re.compile(r"^\s*(\$[A-Za-z_]\w*)\s*(:?=)(?!=)")


def _items(subject: Any) -> list[tuple[Any, Any]] | None:
    """A known range subject's (key or index, element) pairs, as Go ranges over them (a map by sorted key)."""
    if isinstance(subject, dict) and all(isinstance(key, str) for key in subject):
        return [(key, subject[key]) for key in sorted(subject)]
    if isinstance(subject, list):
        return list(enumerate(subject))
    return None


def _next_item(frame: _Frame, variables: dict[str, Any]) -> None:
    key, element = frame.items.pop(0)
    frame.dot = element
    first, second = frame.names
    if first and second:
        variables[first], variables[second] = key, element
    elif first:
        variables[first] = element


def _assign(body: str, walk: _Walk, dot: Any, variables: dict[str, Any], stack: list[_Frame]) -> None:
    """`$x := value` declares a variable with the value where it is known; `$x = value` changes one, which
    after a branch that may not be taken is unknown."""
    found = _ASSIGNMENT.match(body)
    if found is None:
        return
    name, operator = found.groups()
    value = _evaluate(body[found.end() :], walk.values, dot, variables)
    if operator == "=":
        for frame in stack:
            if name in frame.saved:
                frame.saved[name] = _UNKNOWN
        value = value if not stack else _UNKNOWN
    variables[name] = value


def _restore(variables: dict[str, Any], saved: dict[str, Any]) -> None:
    """The variables as they were before a control structure: those it declared go out of scope."""
    variables.clear()
    variables.update(saved)


def _output(walk: _Walk, start: int, end: int, body: str, dot: Any, variables: Mapping[str, Any]) -> None:
    """What an action writes: a value of the chart's values where it is known and stands where its YAML
    can be written (`toYaml X | nindent N`, or a whole scalar), else a placeholder."""
    call = _CALL.match(body)
    if call is not None and walk.helpers.writes_nothing(call.group(1)):
        return
    if _include(walk, start, end, body, dot):
        return
    value = _known(body, walk.values, dot, variables)
    indent = _INDENT.search(body)
    if value is not _UNKNOWN and indent is not None and isinstance(value, (dict, list)) and value:
        width = int(indent.group(2))
        try:
            dumped = yaml.safe_dump(value, default_flow_style=False, sort_keys=True, width=1 << 16)
        except yaml.YAMLError:  # it holds a value a parameter made unknown
            _placeholder(walk, start, end, body=body)
            return
        dumped = dumped.rstrip("\n")
        lead = (
            "\n"
            if indent.group(1) == "nindent" or not walk.pieces[-1:] or not walk.pieces[-1].text.endswith("\n")
            else ""
        )
        lines = dumped.split("\n")
        walk.pieces.append(_Piece(lead + "\n".join(" " * width + line for line in lines), start, False))
        return
    if (
        value is not _UNKNOWN
        and indent is None
        and (_scalar(value) is not None or (value is None and _declared(body, walk.values, dot, variables)))
        and _whole_scalar(walk.text, start, end)
    ):
        # A value the values declare null is written as nothing (helm drops Go's "<no value>"): YAML's
        # null. One they leave out stays a placeholder: it is often given where the chart is deployed.
        walk.pieces.append(_Piece(_scalar(value) or "", start, False))
        return
    _placeholder(walk, start, end, body=body)


_FAIL = re.compile(r"^\s*fail\b")
# A helper's output as a whole action: what it writes, unchanged by a pipeline.
_CALL = re.compile(r'^\s*(?:template|include)\s+"([^"]+)"[^|]*$')


# `include "x" .` or `$` (piped into indent or nindent, or not): a helper given the root context.
_INCLUDE_ROOT = re.compile(
    r'^\s*(?:include|template)\s+"([^"]+)"\s+(\$|\.)\s*(?:\|\s*(n?indent)\s+(\d+)\s*)?$'
)
# How deep helpers are written inside one another, at most.
_DEPTH = 8


def _include(walk: _Walk, start: int, end: int, body: str, dot: Any) -> bool:
    """A helper the chart defines, called with the root context, written where it is included as helm
    writes it: its own text walked like a template's (its actions placeholders, its conditions worked
    out), indented as the pipeline says. What it writes stands at the action that includes it; where it
    wrote a placeholder, a finding there rests on one and is dropped."""
    called = _INCLUDE_ROOT.match(body)
    if called is None or walk.depth >= _DEPTH or (called.group(2) == "." and dot is not _ROOT):
        return False
    written = _helper_output(walk, called.group(1))
    if written is None:
        return False
    texts, placeholders = written
    pad = " " * int(called.group(4) or 0)
    if called.group(3) == "nindent":
        walk.pieces.append(_Piece("\n" + pad, start, False))
    elif called.group(3) == "indent":
        walk.pieces.append(_Piece(pad, start, False))
    # Each inclusion's placeholders are new ones: two never stand for the same unknown value.
    fresh: dict[str, str] = {}

    def renumber(token: re.Match[str]) -> str:
        if token.group() not in fresh:
            walk.counter[0] += 1
            fresh[token.group()] = f"{token.group()[:4]}{walk.counter[0]}x"
        return fresh[token.group()]

    for text in texts:
        walk.pieces.append(_Piece(PLACEHOLDER.sub(renumber, text).replace("\n", "\n" + pad), start, False))
    if placeholders:
        walk.spans.append((start, end))
    return True


# What a helper written where it is included may write at most, and how many helpers a chart's reading
# walks: past either, a helper is a placeholder.
_WRITTEN = 100_000
_HELPER_WALKS = 256


def _helper_output(walk: _Walk, name: str) -> tuple[list[str], bool] | None:
    """What a helper given the root context writes, as the texts of its pieces and whether any is a
    placeholder; None when it cannot be written (unknown, too large, or not YAML on its own). Walked once
    per chart: with the root context, its output is the same wherever it is included."""
    helpers = walk.helpers
    if name in helpers.written:
        return helpers.written[name]
    found = helpers.body(name)
    if found is None or helpers.walks >= _HELPER_WALKS:
        return None
    helpers.walks += 1
    inner = _Walk(walk.path, found, walk.values, helpers, counter=walk.counter, depth=walk.depth + 1)
    _write(inner)
    _type_blocks(inner.pieces)
    texts = [piece.text for piece in inner.pieces]
    size = sum(len(text) for text in texts)
    # The walk may join what helm writes apart (branches it takes one of): then a placeholder, as before.
    result = (texts, bool(inner.spans)) if size <= _WRITTEN and _fragment("".join(texts)) else None
    helpers.written[name] = result
    return result


def _fragment(text: str) -> bool:
    """Whether a helper's output reads as YAML on its own: a mapping, a list, or nothing."""
    from hooklint.manifests.yamlnodes import Loader, refusal

    if not text.strip():
        return True
    if refusal(text, Loader) is not None:
        return False
    try:
        node = yaml.compose(text, Loader=Loader)
    except (yaml.YAMLError, RecursionError):
        return False
    return isinstance(node, (yaml.MappingNode, yaml.SequenceNode))


def _literals(text: str, start: int, end: int) -> Iterator[tuple[str, str | None]]:
    """The text between `start` and `end` as Go writes it: each literal with its whitespace trimmed where
    an action's `{{- ` or ` -}}` says so, and the body of the action after it (None after the last)."""
    part = text[start:end]
    position, trim = 0, _trims_after(text, start)
    for action_start, action_end, body_start, body_end in actions(part, comments=True):
        yield (
            _trimmed(part[position:action_start], trim, _trims_before(part, action_start)),
            part[body_start:body_end],
        )
        position, trim = action_end, body_end < action_end - 2
    yield _trimmed(part[position:], trim, _trims_before(text, end)), None


def _trims_after(text: str, end: int) -> bool:
    """Whether the action that ends at `end` trims the whitespace after it (` -}}`)."""
    return end >= 4 and text[end - 3 : end] == "-}}" and text[end - 4].isspace()


def _trims_before(text: str, start: int) -> bool:
    """Whether the action that starts at `start` trims the whitespace before it (`{{- `)."""
    return text.startswith("{{-", start) and text[start + 3 : start + 4].isspace()


def _trimmed(literal: str, left: bool, right: bool) -> str:
    literal = literal.lstrip() if left else literal
    return literal.rstrip() if right else literal


def _silent_action(body: str, helpers: _Helpers, calling: frozenset[str]) -> bool:
    """Whether an action writes nothing: a comment, a control structure, an assignment, or a call of a
    helper that writes nothing."""
    keyword = _KEYWORD.match(body)
    if body.lstrip().startswith("/*") or _VARIABLE.match(body):
        return True
    if keyword is not None and keyword.group(1) in (
        "if",
        "else",
        "end",
        "range",
        "with",
        "break",
        "continue",
    ):
        return True
    call = _CALL.match(body)
    return call is not None and helpers.writes_nothing(call.group(1), calling)


_TO_YAML = re.compile(r"^\s*toYaml\s+(\S+)\s*\|\s*n?indent\s+\d+\s*$")
_BARE = re.compile(r"^\s*(\$?\.[\w.]*|\.|\$[A-Za-z_]\w*(?:\.\w+)*)\s*$")


def _known(body: str, values: Mapping[str, Any], dot: Any, variables: Mapping[str, Any]) -> Any:
    found = _TO_YAML.match(body) or _BARE.match(body)
    return _operand(found.group(1), values, dot, variables) if found else _UNKNOWN


def _declared(body: str, values: Mapping[str, Any], dot: Any, variables: Mapping[str, Any]) -> bool:
    """Whether the value a bare action writes is a key its mapping holds (null, for one whose value is)."""
    found = _BARE.match(body)
    if found is None or "." not in found.group(1).lstrip("$."):
        return False
    parent, _, name = found.group(1).rpartition(".")
    holder = _operand(parent, values, dot, variables)
    return isinstance(holder, dict) and name in holder


def _scalar(value: Any) -> str | None:
    """A value as a plain YAML scalar that reads back the same, or None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value and "\n" not in value:
        return json.dumps(value)
    return None


def _whole_scalar(text: str, start: int, end: int) -> bool:
    """Whether an action is all of a value on its line: after `key:` or `- `, nothing after it."""
    before = text[text.rfind("\n", 0, start) + 1 : start].rstrip()
    after_end = text.find("\n", end)
    after = text[end : after_end if after_end >= 0 else len(text)].strip()
    return not after and (before.endswith(":") or before.endswith("-"))


def _placeholder(walk: _Walk, start: int, end: int, body: str = "", block: bool = False) -> None:
    walk.counter[0] += 1
    number = walk.counter[0]
    walk.spans.append((start, end))
    indent = _INDENT.search(body)
    if indent is not None:
        width = int(indent.group(2))
        # `indent` right after other text on its line (a trimmed `{{-`) writes a block that starts with
        # its own line break, as the helpers written for this do.
        inline = bool(walk.pieces) and not walk.pieces[-1].text.endswith("\n")
        lead = ("\n" if indent.group(1) == "nindent" or inline else "") + " " * width
        walk.pieces.append(_Piece(lead, start, False))
        block = True
    elif _BLOCKISH.match(body) and _alone(walk.text, start, end):
        block = True
    walk.pieces.append(_Piece(f"hlp{'b' if block else 'v'}{number}x", start, False))


def _alone(text: str, start: int, end: int) -> bool:
    """Whether an action is the only thing on its line."""
    before = text.rfind("\n", 0, start) + 1
    after = text.find("\n", end)
    return not text[before:start].strip() and not text[end : after if after >= 0 else len(text)].strip()


def _evaluate(
    expression: str, values: Mapping[str, Any], dot: Any, variables: Mapping[str, Any] | None = None
) -> Any:
    """The value of an expression with the chart's values, or _UNKNOWN: only values, literals and `not`,
    `and`, `or`, `eq`, `ne`, `gt`, `lt`, `ge`, `le`, `int`, `len`, `empty` and `hasKey` of them (parenthesized
    or not) are worked out."""
    tokens = _TOKEN.findall(expression)
    if "".join(tokens).replace(" ", "") != re.sub(r"\s", "", expression):
        return _UNKNOWN  # a pipeline, a variable or a function hooklint does not evaluate
    value, rest = _call(tokens, values, dot, variables or {})
    return _UNKNOWN if rest else value


_TOKEN = re.compile(r'\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"]+')
_UNKNOWN = object()
_ROOT = object()
_FUNCTIONS = ("not", "and", "or", "eq", "ne", "gt", "lt", "ge", "le", "int", "len", "empty", "hasKey")


def _call(
    tokens: list[str], values: Mapping[str, Any], dot: Any, variables: Mapping[str, Any]
) -> tuple[Any, list[str]]:
    """The value of a command (a function and its arguments, or one operand) and the tokens after it."""
    if not tokens:
        return _UNKNOWN, []
    head = tokens[0]
    if head in _FUNCTIONS:
        arguments, rest = [], tokens[1:]
        while rest and rest[0] != ")":
            argument, rest = _argument(rest, values, dot, variables)
            arguments.append(argument)
        return _apply(head, arguments), rest
    return _argument(tokens, values, dot, variables)


def _argument(
    tokens: list[str], values: Mapping[str, Any], dot: Any, variables: Mapping[str, Any]
) -> tuple[Any, list[str]]:
    if tokens[0] == "(":
        value, rest = _call(tokens[1:], values, dot, variables)
        if not rest or rest[0] != ")":
            return _UNKNOWN, []
        return value, rest[1:]
    return _operand(tokens[0], values, dot, variables), tokens[1:]


def _apply(function: str, arguments: list[Any]) -> Any:
    if function in ("and", "or") and arguments:
        # Go's and/or give the first false (true) argument, else the last: an unknown one before the
        # argument that settles it leaves the outcome unknown.
        for argument in arguments:
            if argument is _UNKNOWN:
                return _UNKNOWN
            if _true(argument) == (function == "or"):
                return argument
        return arguments[-1]
    if any(argument is _UNKNOWN for argument in arguments):
        return _UNKNOWN
    if function in ("not", "empty") and len(arguments) == 1:
        return not _true(arguments[0])
    if function == "int" and len(arguments) == 1:
        return _integer(arguments[0])
    if function == "len" and len(arguments) == 1:
        # Go's len of a string, list or map; of anything else helm fails, which no reading here decides.
        return len(arguments[0]) if isinstance(arguments[0], (str, list, dict)) else _UNKNOWN
    if function == "hasKey" and len(arguments) == 2 and isinstance(arguments[0], dict):
        return arguments[1] in arguments[0]
    if len(arguments) != 2:
        return _UNKNOWN
    left, right = arguments
    if function in ("eq", "ne"):
        return bool(left == right) == (function == "eq")
    if not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in arguments):
        return _UNKNOWN
    return {"gt": left > right, "lt": left < right, "ge": left >= right, "le": left <= right}[function]


def _integer(value: Any) -> Any:
    """Sprig's int: numbers and numeric strings as integers, nil and other text as 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return int(value)
    if value is None:
        return 0
    if isinstance(value, str):
        return int(value) if re.fullmatch(r"-?\d+", value.strip()) else 0
    return _UNKNOWN


def _operand(
    text: str, values: Mapping[str, Any], dot: Any, variables: Mapping[str, Any] | None = None
) -> Any:
    literal = _LITERAL.match(text)
    if literal:
        if literal.group(1) is not None:
            return literal.group(1)
        return literal.group(2) == "true" if literal.group(2) else int(literal.group(3))
    if text == ".":
        return _UNKNOWN if dot is _ROOT else dot
    found = _CONDITION_VALUE.match(text)
    variable = _VARIABLE_FIELDS.match(text)
    if found is not None and (found.group(1) or dot is _ROOT):
        base: Any = values
        names = found.group(2).split(".")[1:]
    elif _FIELDS.match(text) and dot is not _ROOT and dot is not _UNKNOWN:
        base, names = dot, text.split(".")[1:]
    elif variable is not None and variables and variable.group(1) in variables:
        base, names = variables[variable.group(1)], variable.group(2).split(".")[1:]
        if base is _UNKNOWN or base is _ROOT:
            return _UNKNOWN
    else:
        return _UNKNOWN
    for name in names:
        if base is _UNKNOWN:
            return _UNKNOWN
        if not isinstance(base, dict):
            return None
        base = base.get(name)
    return base


_FIELDS = re.compile(r"^(?:\.[A-Za-z_]\w*)+$")
_VARIABLE_FIELDS = re.compile(r"^(\$[A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)*)$")


def _true(value: Any) -> bool:
    """Go templates' truth: false, 0, nil and empty values are false."""
    return (
        value is not None
        and value is not False
        and value != 0
        and value != ""
        and value != {}
        and value != []
    )


def _type_blocks(pieces: list[_Piece]) -> None:
    """A block placeholder alone on its line becomes what its neighbours at the same indentation are: a
    list item beside items, a mapping entry beside keys or beside another block, an item under a key at its
    own indentation (a sequence may sit there), else the key's whole value."""
    output = "".join(piece.text for piece in pieces)
    lines = output.split("\n")
    line_of: dict[str, str] = {}
    for number, line in enumerate(lines):
        if _BLOCK.match(line.strip()):
            column = len(line) - len(line.lstrip())
            before, after = _neighbour(lines, number, column, -1), _neighbour(lines, number, column, 1)
            if before == "parent":
                shape = "item"  # at its key's own indentation, only a sequence is the key's value
            else:
                shape = before if before in ("item", "entry") else after if after in ("item", "entry") else ""
            if not shape and "block" in (before, after):
                shape = "entry"
            line_of[line.strip()] = shape
    for piece in pieces:
        made = line_of.get(piece.text)
        if made == "item":
            piece.text = f"- {piece.text}"
        elif made == "entry":
            piece.text = f"{piece.text}: {piece.text}"


# How far a block placeholder looks for a neighbour at its indentation: far beyond a real template's
# blocks, and a bound on the work a template of nothing but such lines makes.
_REACH = 200


def _neighbour(lines: list[str], number: int, column: int, step: int) -> str | None:
    """What the nearest line at `column` before or after (`step`) is: an "item", an "entry", another
    "block", or (before) the "parent" key the block belongs to; None if none is."""
    cursor = number + step
    while 0 <= cursor < len(lines) and abs(cursor - number) <= _REACH:
        line = lines[cursor]
        cursor += step
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        marker = _ITEM.match(line)
        assert marker is not None
        indent, dashes = len(marker.group(1)), marker.group(2)
        content = len(marker.group(0))
        if indent == column and _BLOCK.match(line.strip()):
            return "block"
        if indent == column and dashes:
            return "item"
        if indent == column and _KEY_LINE.match(line[content:]):
            bare = line.rstrip().endswith(":") and step < 0
            return "parent" if bare else "entry"
        if indent == column:
            return None
        if dashes and content == column and _KEY_LINE.match(line[content:]):
            return "entry"
        if indent < column:
            return None
    return None


def _documents(
    walk: _Walk,
    output: str,
    starts: list[int],
    notes: list[str],
    alternatives: list[Span],
    left_out: list[int],
) -> list[Resource]:
    """The documents of the output parsed one by one, each node moved to its template position."""
    offsets: list[int] = []
    sources: list[tuple[int, bool]] = []
    cursor = 0
    for piece in walk.pieces:
        offsets.append(cursor)
        sources.append((piece.source, piece.literal))
        cursor += len(piece.text)
    found: list[Resource] = []
    separators = list(_SEPARATOR.finditer(output))
    bounds = [(0, separators[0].start() if separators else len(output))]
    bounds += [(m.end(), n.start()) for m, n in itertools.pairwise(separators)]
    bounds += [(separators[-1].end(), len(output))] if separators else []
    for begin, end in bounds:
        document = output[begin:end]
        if all(not line.strip() or line.lstrip().startswith("#") for line in document.split("\n")):
            continue
        result = parse_text(walk.path, document, named_at_sync)
        out_starts = _line_starts(document)

        def locate(
            line: int, column: int, begin: int = begin, out_starts: list[int] = out_starts
        ) -> tuple[int, int]:
            line = min(line, len(out_starts) - 1)
            offset = begin + out_starts[line] + column
            index = max(bisect_right(offsets, offset) - 1, 0)
            source, literal = sources[index] if sources else (0, True)
            target = source + (offset - offsets[index] if literal else 0)
            at = _position(starts, min(target, len(walk.text)))
            return at[0] - 1, at[1] - 1

        # A key written twice comes from branches of which helm writes one (`_alternatives`), not HL005.
        problems = [problem for problem in result.problems if problem.rule != DUPLICATE_KEY]
        left_out[0] += len(problems)
        for problem in problems:
            line, column = locate(problem.span.line - 1, problem.span.column - 1)
            notes.append(
                f"hooklint: {walk.path}:{line + 1}:{column + 1}: read without helm, this document is left out: "
                f"{_STARTED.sub('', problem.message)}"
            )
        for resource in result.resources:
            if _unknowable(resource):
                left_out[0] += 1
                continue
            placed = sourcemap.relocate(resource, walk.path, walk.text, locate, index=len(found))
            found.append(_alternatives(placed, walk, alternatives))
    return found


def _alternatives(resource: Resource, walk: _Walk, spans: list[Span]) -> Resource:
    """Keys written twice in one mapping come from branches of which helm writes one (`if`/`else`): the
    first key stays, its value a placeholder spanning every alternative."""
    changed = False
    for node in sourcemap.nodes(resource.node):
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[str, int] = {}
        kept: list[tuple[yaml.Node, yaml.Node]] = []
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value not in seen:
                if isinstance(key, yaml.ScalarNode):
                    seen[key.value] = len(kept)
                kept.append((key, value))
                continue
            first_key, first_value = kept[seen[key.value]]
            walk.counter[0] += 1
            token = yaml.ScalarNode(
                "tag:yaml.org,2002:str", f"hlpv{walk.counter[0]}x", first_value.start_mark, value.end_mark
            )
            kept[seen[key.value]] = (first_key, token)
            spans.append(Span.of_node(resource.path, token))
            changed = True
        node.value = kept
    if not changed:
        return resource
    from hooklint.manifests.yamlnodes import build

    return replace(resource, body=build(resource.node))


_ARGO_KEYS = ("argocd.argoproj.io/", "helm.sh/hook")


def _unknowable(resource: Resource) -> bool:
    """Whether what Argo CD makes of the object rests on a placeholder: its kind or API version, or an
    Argo CD or Helm hook annotation. Such an object is left out rather than guessed at."""
    if PLACEHOLDER.search(resource.kind) or PLACEHOLDER.search(resource.api_version):
        return True
    metadata = resource.body.get("metadata")
    written = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(written, str) and PLACEHOLDER.search(written):
        return True  # the annotations are all a placeholder: hook or not is unknown
    annotations = resource.annotations
    if any(PLACEHOLDER.search(str(key)) for key in annotations):
        return True
    return any(
        str(key).startswith(_ARGO_KEYS) and PLACEHOLDER.search(str(value))
        for key, value in annotations.items()
    )


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def screen(
    findings: list[Finding],
    placeholders: Mapping[str, tuple[Span, ...]],
    textual: frozenset[str] = frozenset(),
    absent: frozenset[str] = frozenset(),
) -> list[Finding]:
    """The findings that do not rest on a placeholder, those in templates read without helm saying so: a
    finding whose place overlaps a template action, or whose message quotes a placeholder other than in its
    object's name, is dropped. Their fixes are dropped too: a template is mended by hand. The findings of
    `textual` rules, which read the templates' text and point into actions, are dropped only for a quoted
    placeholder and keep their words. The findings of `absent` rules, which can rest on an object missing
    from the input, are dropped wherever they are: a chart read without helm left documents out."""
    kept = []
    by_line: dict[str, dict[int, list[Span]]] = {}
    for finding in findings:
        if finding.rule in absent:
            continue
        if finding.span.path not in placeholders:
            kept.append(finding)
            continue
        lines = by_line.get(finding.span.path)
        if lines is None:
            lines = by_line[finding.span.path] = _by_line(placeholders[finding.span.path])
        spans = [
            span
            for line in range(finding.span.line, finding.span.end_line + 1)
            for span in lines.get(line, ())
        ]
        name = finding.resource.name if finding.resource else ""
        if any(token not in name for token in PLACEHOLDER.findall(finding.message)):
            continue
        shown = _ACTION_SHOWN.join(PLACEHOLDER.split(finding.message))
        if finding.rule in textual:
            kept.append(replace(finding, message=shown))
        elif not any(_overlap(finding.span, span) for span in spans):
            kept.append(replace(finding, message=shown + SUFFIX, fix=None))
    return kept


_ACTION_SHOWN = "{{…}}"


def _by_line(spans: tuple[Span, ...]) -> dict[int, list[Span]]:
    """The placeholders by each line they cover: a finding is compared with those on its own lines."""
    found: dict[int, list[Span]] = {}
    for span in spans:
        for line in range(span.line, span.end_line + 1):
            found.setdefault(line, []).append(span)
    return found


def _overlap(one: Span, other: Span) -> bool:
    return (one.line, one.column) <= (other.end_line, other.end_column) and (other.line, other.column) <= (
        one.end_line,
        one.end_column,
    )
