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


def test_a_related_location_in_another_file_counts_that_files_utf16_units() -> None:
    from hooklint.lsp.server import diagnostic
    from hooklint.model import Finding, Related, Severity, Span

    finding = Finding(
        rule="HL201",
        name="dependency-in-later-wave",
        severity=Severity.ERROR,
        message="needs a later object",
        span=Span("a.yaml", 1, 1, 1, 5),
        related=(Related(Span("b.yaml", 2, 9, 2, 13), "applied later"),),
    )
    # `x-cm`, after two characters past the BMP that take two UTF-16 units each.
    other = "kind: ConfigMap\nname: \U0001f680\U0001f680x-cm\n"
    shown = diagnostic(finding, Lines("kind: Job\n"), {"b.yaml": other})
    assert shown.related_information is not None
    place = shown.related_information[0].location.range
    assert (place.start.line, place.start.character, place.end.character) == (1, 10, 14)
    unknown = diagnostic(finding, Lines("kind: Job\n"), {})
    assert unknown.related_information is not None
    place = unknown.related_information[0].location.range
    assert (place.start.line, place.start.character, place.end.character) == (1, 8, 12)
