"""The site's build (mkdocs.yml names this file in `hooks`): the pages that live outside docs/ are read at
build time, nothing is copied by hand.

The README is the home page; CONTRIBUTING.md, SECURITY.md and every rule page in rules/ become pages, and a
table of the rules introduces them. Every page then goes through hooklint's own page renderer, the one
`hooklint rules HL101` prints with: the rule pages' test markup becomes captions and findings, and links
between the repository's files become links between the site's pages (checked by `mkdocs build --strict`)
or to the repository.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hooklint.report.pages import SITE_PAGES, site_page, user_page
from hooklint.rules import ALL_RULES

ROOT = Path(__file__).resolve().parent.parent
# The site's pages that docs/ does not hold, by their path on the site: the repository file each comes from.
OUTSIDE = {
    page: path for path, page in SITE_PAGES.items() if not path.startswith("docs/") and path != "rules"
}


def rule_pages() -> dict[str, str]:
    """Each rule's page, by its path on the site: the repository file."""
    pages = {}
    for rule in ALL_RULES:
        path = f"rules/{rule.id}-{rule.name}.md"
        found = site_page(path)
        assert found is not None, path
        pages[found] = path
    return pages


def rules_index() -> str:
    lines = [
        "# Rules",
        "",
        "Every rule, with its default severity and whether `hooklint fix` mends it. Rules marked "
        "*off by default* are turned on with `--extend-select` or `extend-select` in the configuration.",
        "",
        "| id | name | severity | fix | summary |",
        "|---|---|---|---|---|",
    ]
    for rule in ALL_RULES:
        severity = rule.severity.value + ("" if rule.enabled_by_default else " (off by default)")
        page = f"{rule.id}-{rule.name}.md"
        lines.append(
            f"| [{rule.id}]({page}) | {rule.name} | {severity} | {rule.fix.value} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    rules = [{Path(page).stem.replace("-", " ", 1): page} for page in rule_pages()]
    config.nav = [
        {"Home": "index.md"},
        {"Rules": [{"All rules": "rules/index.md"}, *rules]},
        {"Editors": "editors.md"},
        {"GitHub Action": "github-action.md"},
        {"Language server": "lsp.md"},
        {"How Argo CD syncs": "argocd.md"},
        {"Design notes": "design-notes.md"},
        {"Contributing": "contributing.md"},
        {"Security": "security.md"},
    ]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for page, path in {**OUTSIDE, **rule_pages()}.items():
        files.append(File.generated(config, page, content=(ROOT / path).read_text("utf-8")))
    files.append(File.generated(config, "rules/index.md", content=rules_index()))
    return files


def on_page_markdown(markdown: str, page: Page, **kwargs: Any) -> str:
    if page.file.src_uri == "rules/index.md":
        return markdown  # written above for the site
    source = {**OUTSIDE, **rule_pages()}.get(page.file.src_uri, f"docs/{page.file.src_uri}")
    return user_page(markdown, source, absolute=False)
