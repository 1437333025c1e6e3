"""docs/argocd.md holds together: every anchor of it that the repository cites (code comments, rule pages, the
other docs, its own links) names one of its headings, and every section names the Argo CD source file its
facts were read from."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest

from tests.helpers import ROOT

DOC = ROOT / "docs" / "argocd.md"
# Where citations live; build output, virtual environments and caches are not the repository's own text.
SKIPPED_DIRS = {".git", ".venv", "__pycache__", "site", "node_modules", ".mypy_cache", ".ruff_cache"}
TEXT_SUFFIXES = {".py", ".md", ".txt", ".toml", ".yml", ".yaml", ".json", ".lua", ".el", ".vim", ".sh"}
CITATION = re.compile(r"argocd\.md#([A-Za-z0-9_-]+)")
OWN_LINK = re.compile(r"\]\(#([A-Za-z0-9_-]+)\)")
# A source file as the page writes it: a back-quoted path of Go, Lua or YAML, or a {a,b}.go group.
SOURCE_FILE = re.compile(r"`[^`\s]*\.(?:go|lua|yaml)`|`[^`\s]*\{[^`]*\}\.go`")


def github_anchor(heading: str) -> str:
    """The anchor GitHub (and the docs site's toc) gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def headings(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#{1,6} ", line)]


def anchors(text: str) -> set[str]:
    """Every heading's anchor; a repeated heading gets -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    result = set()
    for heading in headings(text):
        anchor = github_anchor(heading)
        if anchor in seen:
            seen[anchor] += 1
            anchor = f"{anchor}-{seen[anchor]}"
        else:
            seen[anchor] = 0
        result.add(anchor)
    return result


def sections(text: str) -> dict[str, str]:
    """The level-2 sections: heading -> body up to the next level-2 heading."""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {part.partition("\n")[0].strip(): part.partition("\n")[2] for part in parts}


def repository_text_files() -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        files.extend(
            Path(folder, name)
            for name in sorted(names)
            if Path(name).suffix in TEXT_SUFFIXES or name == "run"
        )
    return files


@functools.cache
def citations() -> dict[str, set[str]]:
    """anchor -> the files (relative to the repository) that cite it."""
    cited: dict[str, set[str]] = {}
    for path in repository_text_files():
        text = path.read_text("utf-8", errors="replace")
        found = set(CITATION.findall(text))
        if path == DOC:
            found |= set(OWN_LINK.findall(text))
        for anchor in found:
            cited.setdefault(anchor, set()).add(str(path.relative_to(ROOT)))
    return cited


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        pytest.param("Hook types", "hook-types", id="words"),
        pytest.param("Failure and SyncFail", "failure-and-syncfail", id="capitals"),
        pytest.param("ignore-healthcheck", "ignore-healthcheck", id="hyphen-kept"),
        pytest.param("Argo CD service accounts", "argo-cd-service-accounts", id="two-capitals"),
        pytest.param("What's new (v2.0)?", "whats-new-v20", id="punctuation-dropped"),
        pytest.param("hook_finalizer", "hook_finalizer", id="underscore-kept"),
    ],
)
def test_a_heading_gets_githubs_anchor(heading: str, anchor: str) -> None:
    assert github_anchor(heading) == anchor


def test_a_repeated_heading_gets_a_numbered_anchor() -> None:
    assert anchors("# Page\n## Notes\ntext\n## Notes\n") == {"page", "notes", "notes-1"}


def test_every_cited_anchor_names_a_heading_of_the_page() -> None:
    cited = citations()
    known = anchors(DOC.read_text("utf-8"))
    assert {anchor: sorted(files) for anchor, files in cited.items() if anchor not in known} == {}


def test_code_rule_pages_and_docs_all_cite_the_page() -> None:
    # Guards the scan above: a pattern or a walk that found nothing would let every anchor pass.
    cited_from = {Path(file).parts[0] for files in citations().values() for file in files}
    assert {"hooklint", "rules", "docs"} <= cited_from


def test_every_section_names_an_argo_cd_source_file() -> None:
    bodies = sections(DOC.read_text("utf-8"))
    assert len(bodies) > 40
    assert [heading for heading, body in bodies.items() if not SOURCE_FILE.search(body)] == []


def test_no_line_of_the_page_is_read_as_a_heading_by_accident() -> None:
    # The docs site's Markdown takes "#26996 ..." at the start of a line for a heading; GitHub does not.
    lines = DOC.read_text("utf-8").splitlines()
    assert [line for line in lines if line.startswith("#") and not re.match(r"#{1,6} ", line)] == []
