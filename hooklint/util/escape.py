"""One escaping function per kind of output, for the names and values a repository puts into it.

Everything a manifest, a file name or a folder name holds is written by someone untrusted: a name may carry
terminal control sequences, a newline followed by a GitHub workflow command, characters XML 1.0 forbids,
backticks and pipes that break Markdown, quotes that end a Mermaid label. Each function below makes a value
safe for one kind of output, so that it shows as the text it is and never changes the output around it."""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0 and C1 controls, DEL, lone surrogates (undecodable bytes of a file name), the Unicode line and paragraph
# separators and the bidirectional overrides that reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What XML 1.0 forbids beyond the controls and surrogates `terminal` escapes.
_NOT_XML = re.compile("[\ufffe\uffff]")
# A line a GitHub runner reads as a workflow command: `::` after leading white space.
_COMMAND_LINE = re.compile(r"^([ \t\f\v]*):(?=:)", re.MULTILINE)
_BACKTICKS = re.compile("`+")
# Markup that could do more than emphasise: code, links and images, HTML, entities, table cells.
_MARKDOWN = re.compile(r"([\\`\[\]<>|&])")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: str) -> str:
    """A value for text meant for people and terminals: every control character shown as an escape (`\\x1b`,
    `\\n`), so it cannot move the cursor, recolour, link, ring, or start a new line."""
    return _CONTROL.sub(_visible, value)


def lines(output: str) -> str:
    """Text hooklint wrote, its values escaped with `terminal`, made safe as a whole: any control character
    but the line breaks hooklint meant is shown escaped, and no line starts a GitHub workflow command (`::`),
    which hooklint writes only in its github format."""
    return no_commands(_CONTROL.sub(lambda m: "\n" if m.group() == "\n" else _visible(m), output))


def no_commands(output: str) -> str:
    """Output with no line that a GitHub runner reads as a workflow command: a leading `::` gets its first
    colon shown as `\\x3a`."""
    return _COMMAND_LINE.sub(r"\1\\x3a", output)


def note(message: str) -> str:
    """A one-line note for standard error: every control character shown escaped (a line break a value
    brought in too), and no workflow command at its start, as under GitHub Actions it would be read as one."""
    return no_commands(terminal(message))


def github_data(value: str) -> str:
    """A workflow command's data, escaped as GitHub documents (% CR LF); other control characters shown."""
    shown = _CONTROL.sub(lambda m: m.group() if m.group() in "\r\n" else _visible(m), value)
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(value: str) -> str:
    """A workflow command's property value: as data, and `:` and `,` too."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def xml(value: str) -> str:
    """A value for XML 1.0 text or attributes (the serializer escapes `<`, `&` and quotes): as `terminal`,
    and U+FFFE and U+FFFF, so the document stays well-formed and a value never starts a line of it."""
    return _NOT_XML.sub(_visible, terminal(value))


def code_span(value: str) -> str:
    """A value as a Markdown code span, also inside a table cell: fenced by more backticks than it holds,
    control characters shown escaped, pipes escaped (GitHub splits table cells at a pipe even in code)."""
    shown = terminal(value).replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def markdown(value: str) -> str:
    """A value as Markdown prose or a table cell: control characters shown escaped and the characters that
    would start code, a link or image, HTML, an entity or a new cell escaped with a backslash."""
    return _MARKDOWN.sub(r"\\\1", terminal(value))


def mermaid(value: str) -> str:
    """A value as a quoted Mermaid label, quotes included: the characters that end a label, start an entity
    or HTML written as Mermaid entities, control characters shown escaped."""
    shown = terminal(value).replace("#", "#35;")
    for char, entity in (
        ('"', "#quot;"),
        ("&", "#amp;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("`", "#96;"),
        ("|", "#124;"),
    ):
        shown = shown.replace(char, entity)
    return f'"{shown}"'


def joined(lines: Iterable[str]) -> str:
    """Lines hooklint built for people, one value-bearing line each, joined: each `terminal`-escaped, so a
    newline or control character a value brought in shows as an escape and never starts a line."""
    return "\n".join(map(terminal, lines))
