"""Sections added after a rendered plan (the Application, RollingSync steps), the same way in every format that
reads as text."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hooklint.util.escape import joined, markdown


def appended(
    rendered: str,
    sections: Sequence[Sequence[str]],
    output_format: str,
    depth: Callable[[str], int] | None = None,
) -> str:
    """The rendered plan, text or markdown, with each section of lines after a blank line. In markdown a
    section's first line is a heading and the rest a list: flat, or nested by `depth` of each line."""
    if output_format == "markdown":
        return rendered + "".join(
            "\n### "
            + markdown(lines[0])
            + "\n\n"
            + joined(
                f"{'  ' * (depth(line) if depth else 0)}- {markdown(line.strip())}" for line in lines[1:]
            )
            + "\n"
            for lines in sections
        )
    return rendered + "".join("\n" + joined(lines) + "\n" for lines in sections)
