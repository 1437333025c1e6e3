"""Offsets and hooklint's lines and columns to LSP positions and back, in each position encoding."""

from __future__ import annotations

import pytest

from hooklint.lsp.positions import Lines, Position

TEXT = 'a: 1\r\nb: "🚀é" # x\rc: ok\n'


@pytest.mark.parametrize(
    ("encoding", "column"),
    [("utf-16", 8), ("utf-8", 11), ("utf-32", 7)],
    ids=["utf-16", "utf-8", "utf-32"],
)
def test_a_column_after_wide_characters_counts_the_encodings_units(encoding: str, column: int) -> None:
    lines = Lines(TEXT, encoding)
    offset = TEXT.index(" # x")
    assert lines.position(offset) == Position(1, column)
    assert lines.offset(Position(1, column)) == offset
    assert lines.at(2, 8) == Position(1, column)  # hooklint's line 2, character column 8


def test_lines_end_at_crlf_cr_and_lf_and_columns_past_the_end_clamp() -> None:
    lines = Lines(TEXT)
    assert [lines.position(TEXT.index(word)) for word in ("a:", "b:", "c:")] == [
        Position(0, 0),
        Position(1, 0),
        Position(2, 0),
    ]
    assert lines.offset(Position(0, 99)) == TEXT.index("\r\n")
    assert lines.at(1, 99) == Position(0, 4)
    assert lines.position(len(TEXT)) == Position(3, 0)
    assert lines.mark(Position(2, 3)) == (2, 3)
