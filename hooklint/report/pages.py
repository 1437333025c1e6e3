"""The project's markdown pages as users read them, on the docs site and from `hooklint rules HL101`.

The rule pages in rules/ are also tests: an example's fence says what it is (```yaml bad file=job.yaml
app=x) and `# expect: HL101` marks each line that must be flagged. For users, each example becomes a plain
yaml block with a caption, the markers are dropped and the findings they mark are listed under the
example (the tests hold the markers to exactly what the rules find). Links to files of the repository
become links to the site's pages, or to the repository for the files the site does not show.
"""

from __future__ import annotations

import posixpath
import re

from hooklint.report.summary import PROJECT_URL
from hooklint.util.frozen import frozen

# The docs site and the files of the repository (pyproject.toml's [project.urls]).
SITE = "https://hooklint.github.io/hooklint/"
REPOSITORY = f"{PROJECT_URL}/blob/main/"

# An example of a rule page: its kind, its attributes (`file=`, `app=`) and its text.
EXAMPLE = re.compile(
    r"^```yaml (bad|good|fixed|config|base|chart-bad|chart-good)([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S
)
# A test marker, with the spaces before it, and the rules it names.
MARKER = re.compile(r"[ \t]*#\s*expect:\s*([A-Z0-9, ]+)$", re.M)
# An inline link or image target (no title: the pages use none), or a code span, which is left as it is.
LINK = re.compile(r"(`+).*?\1|\]\(([^)\s]+)\)", re.S)
# Fenced code, whose text is left as it is.
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)

CAPTIONS = {
    "bad": "Bad",
    "good": "Good",
    "fixed": "After `hooklint fix`",
    "base": "At the base revision (`--base`)",
    "chart-bad": "Bad, in a chart",
    "chart-good": "Good, in a chart",
}

# The repository's pages on the site, by their path in the repository; rule pages keep theirs.
SITE_PAGES = {
    "README.md": "index.md",
    "docs/argocd.md": "argocd.md",
    "docs/design-notes.md": "design-notes.md",
    "docs/editors.md": "editors.md",
    "CONTRIBUTING.md": "contributing.md",
    "SECURITY.md": "security.md",
    "rules": "rules/index.md",
}


@frozen
class Mark:
    """A rule an example's `# expect:` marker names, on its line (1-based) of the example."""

    line: int
    rule: str


def marks(example: str) -> list[Mark]:
    """The findings an example's markers promise, in the order of the lines."""
    found: list[Mark] = []
    for number, line in enumerate(example.splitlines(), start=1):
        marker = MARKER.search(line)
        if marker is not None:
            found.extend(Mark(number, rule.strip()) for rule in marker.group(1).split(",") if rule.strip())
    return found


def site_page(path: str) -> str | None:
    """The site's page (a markdown path under the site's docs folder) for a repository path, if it has one."""
    path = path.rstrip("/")
    if path in SITE_PAGES:
        return SITE_PAGES[path]
    if posixpath.dirname(path) == "rules" and re.fullmatch(
        r"HL\d{3}-[a-z0-9-]+\.md", posixpath.basename(path)
    ):
        return path
    return None


def site_url(page: str) -> str:
    """The address of a site page (`rules/HL101-x.md`), with the site's directory URLs."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return SITE + stem
    return f"{SITE}{stem}/"


def user_page(text: str, source: str, *, absolute: bool) -> str:
    """The page at repository path `source` as users read it. `absolute`: links are full addresses (for the
    terminal); else links between site pages stay relative, so that the site's build checks them."""
    page = site_page(source)
    parts = []
    end = 0
    for fence in FENCE.finditer(text):
        parts.append(_links(text[end : fence.start()], source, page, absolute))
        parts.append(_example(fence.group(0)))
        end = fence.end()
    parts.append(_links(text[end:], source, page, absolute))
    return "".join(parts)


def rule_page(text: str, source: str) -> str:
    """A rule page for the terminal, ending with its address on the site."""
    page = site_page(source)
    online = f"\nOn the web: {site_url(page)}\n" if page is not None else ""
    return user_page(text, source, absolute=True) + online


def _links(text: str, source: str, page: str | None, absolute: bool) -> str:
    def target(match: re.Match[str]) -> str:
        url = match.group(2)
        if url is None or re.match(r"[a-z][a-z0-9+.-]*:", url):
            return match.group(0)
        if url.startswith("#"):
            return f"]({site_url(page)}{url})" if absolute and page is not None else match.group(0)
        path, hash_, fragment = url.partition("#")
        repository_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        found = site_page(repository_path)
        if found is None:
            address = REPOSITORY + repository_path
        elif absolute or page is None:
            address = site_url(found)
        else:
            address = posixpath.relpath(found, posixpath.dirname(page) or ".")
        return f"]({address}{hash_}{fragment})"

    return LINK.sub(target, text)


def _example(fence: str) -> str:
    """A rule page's example as users read it: a caption, the yaml without markers, then its findings."""
    match = EXAMPLE.fullmatch(fence)
    if match is None:
        return fence
    kind, attributes, body = match.group(1), match.group(2), match.group(3)
    attrs = dict(item.split("=", 1) for item in attributes.split() if "=" in item)
    name = attrs.get("file", f"{kind}.yaml")
    caption = "Configuration (`.hooklint.yaml`):" if kind == "config" else f"{CAPTIONS[kind]}: `{name}`"
    findings = [f"`{name}:{mark.line}` {mark.rule}" for mark in marks(body)]
    shown = f"{caption}\n\n```yaml\n{MARKER.sub('', body)}```"
    if findings:
        shown += "\n\nFindings: " + ", ".join(findings) + "."
    return shown
