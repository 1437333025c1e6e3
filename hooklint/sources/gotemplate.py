"""Go template text as Helm writes it: its actions, scopes and variables, and the values each part uses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from hooklint.util.frozen import frozen

# A reference's context: the root object, a value under .Values, a helper's argument (relative), or unknown.
ROOT, VALUES, RELATIVE, UNKNOWN = "root", "values", "relative", "unknown"


@frozen
class Ref:
    """What an operand stands for: the root, a value, a helper's argument (relative), or unknown."""

    kind: str
    path: tuple[str, ...] = ()
    element: bool = False  # the elements of a list ranged over: their fields count as the list
    # Where the value was written, for `.` and `$x` that stand for it (`with`, `range`, `$x :=`).
    origin: tuple[int, int] | None = field(default=None, compare=False)

    def field(self, names: tuple[str, ...]) -> Ref:
        if not names:
            return self
        if self.kind == ROOT or (self.kind == RELATIVE and not self.path and names[0] == "Values"):
            # Helpers are nearly always called with the root context: `.Values` in them is the chart's values.
            return Ref(VALUES, names[1:]) if names[0] == "Values" else Ref(UNKNOWN)
        if self.kind in (VALUES, RELATIVE):
            return self if self.element else Ref(self.kind, self.path + names)
        return self


@dataclass
class Part:
    """A document of a template or a helper (`define`): what it uses and includes, and where its text is."""

    path: str
    start: int
    end: int = -1
    absolute: list[tuple[tuple[str, ...], int, int]] = field(default_factory=list)
    relative: list[tuple[tuple[str, ...], int, int]] = field(default_factory=list)
    includes: list[tuple[str, Ref, int, int]] = field(default_factory=list)
    defines: list[tuple[int, int]] = field(default_factory=list)  # helper bodies inside a document, left out


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'')
_OPERAND = r"(?:\$[A-Za-z_]\w*|\$)?(?:\.[A-Za-z_]\w*)+|(?:\$[A-Za-z_]\w*|\$)|\."
_OPERAND_AT = re.compile(rf"(?<![\w.)\]$])(?:{_OPERAND})(?![\w])")
_INDEX = re.compile(rf"\b(?:index|get)\s+({_OPERAND})((?:\s+\"[^\"]*\")+)")
_INCLUDE = re.compile(rf"\b(?:include|template)\s+\"([^\"]+)\"(?:\s+({_OPERAND}|\()?)?")
_ASSIGN = re.compile(r"^\s*(\$[A-Za-z_]\w*)\s*:?=(?!=)")
_RANGE_VARS = re.compile(r"^\s*(\$[A-Za-z_]\w*)\s*(?:,\s*(\$[A-Za-z_]\w*)\s*)?:=")
_KEYWORD = re.compile(r"^\s*(if|else|end|range|with|define|block|template|break|continue)\b")
_NAME = re.compile(r'^\s*"([^"]+)"')
_SEPARATOR = re.compile(r"^---(?:\s|$)", re.M)


def actions(text: str, comments: bool = False) -> Iterator[tuple[int, int, int, int]]:
    """(action start, action end, body start, body end) of every `{{ }}` action; comments (unless
    `comments`) and quoted `}}` are skipped over."""
    position = 0
    while True:
        start = text.find("{{", position)
        if start < 0:
            return
        body = start + 2
        if text.startswith("-", body) and text[body + 1 : body + 2].isspace():
            body += 1
        cursor = body
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        if text.startswith("/*", cursor):
            close = text.find("*/", cursor + 2)
            end = text.find("}}", close) if close >= 0 else -1
            if end < 0:
                return
            if comments:
                inner_end = (
                    end - 1 if text[end - 1 : end] == "-" and text[end - 2 : end - 1].isspace() else end
                )
                yield start, end + 2, body, inner_end
            position = end + 2
            continue
        end = _close(text, body)
        if end < 0:
            return
        inner_end = end - 1 if text[end - 1 : end] == "-" and text[end - 2 : end - 1].isspace() else end
        yield start, end + 2, body, inner_end
        position = end + 2


def _close(text: str, position: int) -> int:
    """Where the action's `}}` is, quoted ones skipped: a `"` or `'` string ends at its quote or at the
    line's end (a backslash escapes the next character), a raw string at its backquote. Regular
    expressions jump between the characters that matter."""
    while True:
        found = _OUTSIDE.search(text, position)
        if found is None:
            return -1
        if found.group() == "}}":
            return found.start()
        quote, position = found.group(), found.end()
        if quote == "`":
            end = text.find("`", position)
            if end < 0:
                return -1
            position = end + 1
            continue
        inside = (_IN_DOUBLE if quote == '"' else _IN_SINGLE).match(text, position)
        if inside is None:
            return -1
        position = inside.end()


_OUTSIDE = re.compile(r"[\"`']|\}\}")
# Inside a string: an escape pair is stepped over; the string ends at its quote or at a line's end.
_IN_DOUBLE = re.compile(r'(?:[^"\\\n]|\\[\s\S])*(?:["\n]|\Z)')
_IN_SINGLE = re.compile(r"(?:[^'\\\n]|\\[\s\S])*(?:['\n]|\Z)")


@dataclass
class _Scope:
    keyword: str
    dot: Ref
    variables: dict[str, Ref]
    owner: Part | None = None  # for a define: the part to return to


def read(path: str, text: str) -> tuple[list[Part], dict[str, Part]]:
    """The documents of one template file and the helpers it defines."""
    documents = [Part(path, 0)]
    helpers: dict[str, Part] = {}
    current = documents[0]
    dot, variables = Ref(ROOT), {"$": Ref(ROOT)}
    stack: list[_Scope] = []
    position = 0

    def split_documents(upto: int) -> None:
        nonlocal current
        if stack and any(scope.keyword in ("define", "block") for scope in stack):
            return
        for match in _SEPARATOR.finditer(text, position, upto):
            if match.start() == 0 or text[match.start() - 1] == "\n":
                current.end = match.start()
                current = Part(path, match.end())
                documents.append(current)

    for start, end, body_start, body_end in actions(text):
        split_documents(start)
        position = end
        body = text[body_start:body_end]
        keyword_match = _KEYWORD.match(body)
        keyword = keyword_match.group(1) if keyword_match else ""
        rest = body[keyword_match.end() :] if keyword_match else body
        offset = body_start + (keyword_match.end() if keyword_match else 0)
        if keyword in ("define", "block"):
            name = _NAME.match(rest)
            helper = Part(path, end)
            if keyword == "block" and name:
                argument = _operand(rest[name.end() :], dot, variables)
                current.includes.append((name.group(1), argument, start, end))
            stack.append(_Scope(keyword, dot, variables, current))
            current.defines.append((start, -1))
            if name:
                helpers[name.group(1)] = helper
            current, dot, variables = helper, Ref(RELATIVE), {"$": Ref(RELATIVE)}
            continue
        if keyword == "end":
            if not stack:
                continue
            scope = stack.pop()
            dot, variables = scope.dot, scope.variables
            if scope.keyword in ("define", "block") and scope.owner is not None:
                current.end = start
                current = scope.owner
                current.defines[-1] = (current.defines[-1][0], end)
            continue
        if keyword == "else":
            dot = stack[-1].dot if stack else dot
            inner = _KEYWORD.match(rest)
            if inner and inner.group(1) in ("if", "with"):
                offset += inner.end()
                rest = rest[inner.end() :]
                if inner.group(1) == "with":
                    dot = _uses(current, rest, offset, dot, variables, subject=True)
                    continue
            _uses(current, rest, offset, dot, variables)
            continue
        if keyword in ("if", "with", "range"):
            stack.append(_Scope(keyword, dot, dict(variables)))
            if keyword == "if":
                _uses(current, rest, offset, dot, variables)
                continue
            bound = _RANGE_VARS.match(rest) if keyword == "range" else _ASSIGN.match(rest)
            if bound:
                offset += bound.end()
                rest = rest[bound.end() :]
            subject = _uses(current, rest, offset, dot, variables, subject=True)
            if keyword == "range":
                subject = replace(subject, element=True)
                if bound and bound.lastindex == 2:
                    variables[bound.group(1)], variables[bound.group(2)] = Ref(UNKNOWN), subject
                elif bound:
                    variables[bound.group(1)] = subject
            elif bound:
                variables[bound.group(1)] = subject
            dot = subject
            continue
        assign = _ASSIGN.match(body)
        if assign:
            variables[assign.group(1)] = _uses(
                current, body[assign.end() :], body_start + assign.end(), dot, variables, subject=True
            )
            continue
        # `template "x" .` is a call like include: its keyword is part of what _uses reads.
        _uses(current, body, body_start, dot, variables)
    split_documents(len(text))
    current.end = len(text)
    return [d for d in documents if d.end > d.start], helpers


def _operand(text: str, dot: Ref, variables: dict[str, Ref]) -> Ref:
    """The context a single operand (`.`, `$`, `$x.a`, `.Values.a`) stands for."""
    text = text.strip()
    if not text or text.startswith("("):
        return Ref(UNKNOWN)
    if text == ".":
        return dot
    head, _, tail = text.partition(".") if text.startswith("$") else ("", "", text[1:])
    base = variables.get(head, Ref(UNKNOWN)) if head else dot
    return base.field(tuple(tail.split("."))) if tail else base


def _uses(
    part: Part, text: str, offset: int, dot: Ref, variables: dict[str, Ref], subject: bool = False
) -> Ref:
    """Record the values and helpers a pipeline uses. With `subject`, a pipeline that is a single operand
    (`with .Values.a`, `range $v := .Values.list`, `$x := .Values.a`) is what it binds: it is returned and
    not recorded, since its uses are those of its parts."""
    masked = list(_STRING.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1], text))
    refs: list[tuple[Ref, int, int]] = []

    def blank(start: int, end: int) -> None:
        masked[start:end] = [" "] * (end - start)

    for match in _INCLUDE.finditer(text):
        argument = match.group(2)
        # `template "x"` with no argument passes nil; `(dict ...)` and other calls are not followed.
        ref = _operand(argument, dot, variables) if argument and argument != "(" else Ref(UNKNOWN)
        part.includes.append((match.group(1), ref, offset + match.start(), offset + match.end(1) + 1))
        blank(match.start(), match.end() - (1 if argument == "(" else 0))
    for match in _INDEX.finditer("".join(masked)):
        keys = tuple(json.loads(key) for key in re.findall(r'"[^"]*"', text[match.start(2) : match.end(2)]))
        refs.append((_keys(_operand(match.group(1), dot, variables), keys), match.start(), match.end()))
        blank(match.start(), match.end())
    rest = "".join(masked)
    for match in _OPERAND_AT.finditer(rest):
        refs.append((_operand(match.group(0), dot, variables), match.start(), match.end()))
    if subject and len(refs) == 1 and not rest.strip().replace(text[refs[0][1] : refs[0][2]], "", 1).strip():
        ref, start, end = refs[0]
        return replace(ref, origin=ref.origin or (offset + start, offset + end))
    for ref, start, end in refs:
        if ref.kind in (VALUES, RELATIVE):
            target = part.absolute if ref.kind == VALUES else part.relative
            bare = "." not in text[start:end].lstrip("$").lstrip(".") and ref.origin is not None
            start, end = ref.origin if bare and ref.origin else (offset + start, offset + end)
            target.append((ref.path, start, end))
    return Ref(UNKNOWN)


def _keys(base: Ref, keys: tuple[str, ...]) -> Ref:
    if base.kind in (VALUES, RELATIVE) and not base.element:
        return Ref(base.kind, base.path + keys)
    return base.field(keys) if base.kind == ROOT else base


def compose(caller: Ref, argument: Ref) -> Ref:
    """What a helper's argument stands for, given what the caller's own dot stands for."""
    if argument.kind != RELATIVE:
        return argument
    if caller.kind in (VALUES, RELATIVE):
        return Ref(caller.kind, caller.path + argument.path, caller.element)
    return caller if not argument.path else caller.field(argument.path)
