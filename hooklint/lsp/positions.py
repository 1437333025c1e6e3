"""Positions between hooklint and the protocol: hooklint counts lines from 1 and columns in characters (code
points) from 1, and edits in character offsets; LSP counts both from 0 and columns in the code units of the
position encoding agreed at start (UTF-16 unless the client prefers UTF-8 or UTF-32), and ends a line at
\\n, \\r\\n or \\r."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

_BREAK = re.compile(r"\r\n|\r|\n")


class Position(NamedTuple):
    """An LSP position: 0-based line, 0-based column in code units."""

    line: int
    character: int


UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _width(char: str, encoding: str) -> int:
    """The code units of one character in `encoding`."""
    code = ord(char)
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 2 if code > 0xFFFF else 1


def _units(text: str, encoding: str) -> int:
    if encoding == UTF32 or text.isascii():
        return len(text)
    return sum(_width(char, encoding) for char in text)


class Lines:
    """One text's lines, to convert offsets and hooklint's line and column to LSP positions and back."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0, *(match.end() for match in _BREAK.finditer(text))]

    def _line_end(self, line: int) -> int:
        """The offset where `line`'s text ends (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.text.startswith("\r\n", end - 2) else 1)
        return len(self.text)

    def position(self, offset: int) -> Position:
        """The position of the character offset `offset` (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return Position(line, _units(self.text[start:offset], self.encoding))

    def offset(self, position: Position) -> int:
        """The character offset of an LSP position; a column past the line's end is its end."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = max(0, self.starts[max(position.line, 0)])
        end = self._line_end(max(position.line, 0))
        units = 0
        for index in range(start, end):
            if units >= position.character:
                return index
            units += _width(self.text[index], self.encoding)
        return end

    def at(self, line: int, column: int) -> Position:
        """The position of hooklint's 1-based `line` and character `column` (clamped to the line)."""
        if line > len(self.starts):
            return self.position(len(self.text))
        start = self.starts[max(line, 1) - 1]
        end = self._line_end(max(line, 1) - 1)
        return self.position(min(start + max(column, 1) - 1, end))

    def mark(self, position: Position) -> tuple[int, int]:
        """The 0-based line and character column of an LSP position, as YAML marks count them."""
        offset = self.offset(position)
        line = bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]
