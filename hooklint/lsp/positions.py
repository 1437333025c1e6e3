"""Positions between hooklint and the protocol: hooklint counts lines from 1 and columns in characters (code
points) from 1, and edits in character offsets; LSP counts both from 0 and columns in UTF-16 code units, and
ends a line at \\n, \\r\\n or \\r."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

_BREAK = re.compile(r"\r\n|\r|\n")


class Position(NamedTuple):
    """An LSP position: 0-based line, 0-based column in UTF-16 code units."""

    line: int
    character: int


def _units(text: str) -> int:
    """The UTF-16 code units of `text`: one per character, two for a character beyond the BMP."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class Lines:
    """One text's lines, to convert offsets and hooklint's line and column to LSP positions and back."""

    def __init__(self, text: str) -> None:
        self.text = text
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
        return Position(line, _units(self.text[start:offset]))

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
            units += 2 if ord(self.text[index]) > 0xFFFF else 1
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
