"""The pages as users read them: the rule pages' test markup becomes captions and findings, and links between
the repository's files become links to the docs site (relative on the site itself)."""

from __future__ import annotations

import pytest

from hooklint.report.pages import rule_page, site_url, user_page
from tests.helpers import ROOT, invoke

HL000 = "rules/HL000-unused-suppression.md"

HL000_FOR_USERS = """\
# HL000 unused-suppression

Default severity: **warning**. Fix: none.

## What it does
Reports a suppression that suppresses nothing: a `# hooklint: ignore ...` comment, a
`hooklint.dev/ignore` annotation or a `suppress` entry of the configuration whose rules report
nothing where it applies, a suppression naming a rule that does not exist, and (with
`require-reason: true` in the configuration) a suppression without a reason after `--`.
Rules that are not enabled in the run are not counted as unused.

## Why is this bad?
Suppressions outlive the problems they were written for. A stale one hides the next real finding
at the same place, and one naming a misspelled rule never worked at all.

## Example
Configuration (`.hooklint.yaml`):

```yaml
select: [HL012]
```

Bad: `config.yaml`

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: "1"  # hooklint: ignore HL012 -- the wave is valid
data:
  LOG_LEVEL: info
```

Findings: `config.yaml:6` HL000.

## Use instead
Remove the suppression, or keep one that still suppresses a finding:

Good: `config.yaml`

```yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: "1"
data:
  LOG_LEVEL: info
```

## Options
None. The configuration keys `require-reason` and `inline-suppressions` (see [Configuration](https://hooklint.github.io/hooklint/#configuration)) shape what
counts as a valid suppression.

## References
- [Suppressions](https://hooklint.github.io/hooklint/#suppressions) in the README.

On the web: https://hooklint.github.io/hooklint/rules/HL000-unused-suppression/
"""


def test_a_rule_page_for_the_terminal_has_captions_findings_and_site_links() -> None:
    assert rule_page((ROOT / HL000).read_text("utf-8"), HL000) == HL000_FOR_USERS


EXAMPLES = """\
```yaml bad file=a.yaml app=x
kind: Job  # expect: HL101, HL104
name: x    #   expect:HL201
```
```yaml fixed file=a.yaml app=x
kind: Job
```
```yaml base file=old.yaml
kind: Job
```
```yaml chart-good file=templates/job.yaml
kind: Job
```
```yaml good
kind: Job # not a marker: expect: HL101 is prose
```
```sh
hooklint lint  # expect: HL101
```
"""

EXAMPLES_FOR_USERS = """\
Bad: `a.yaml`

```yaml
kind: Job
name: x
```

Findings: `a.yaml:1` HL101, `a.yaml:1` HL104, `a.yaml:2` HL201.
After `hooklint fix`: `a.yaml`

```yaml
kind: Job
```
At the base revision (`--base`): `old.yaml`

```yaml
kind: Job
```
Good, in a chart: `templates/job.yaml`

```yaml
kind: Job
```
Good: `good.yaml`

```yaml
kind: Job # not a marker: expect: HL101 is prose
```
```sh
hooklint lint  # expect: HL101
```
"""


def test_examples_lose_their_test_markup_and_list_the_marked_findings() -> None:
    assert user_page(EXAMPLES, "rules/HL101-x.md", absolute=False) == EXAMPLES_FOR_USERS


LINKS = (
    "[a](../docs/argocd.md#hook-types) [b](HL102-generated-hook-accumulates.md) [c](../README.md) "
    "[d](../hooklint/rules/context.py) [e](#example) [f](https://example.com/x.md) [g](../rules/)\n"
    "`[not](../docs/argocd.md)` is code, and so is\n```\n[this](../README.md)\n```\n"
)


@pytest.mark.parametrize(
    ("absolute", "expected"),
    [
        pytest.param(
            False,
            "[a](../argocd.md#hook-types) [b](HL102-generated-hook-accumulates.md) [c](../index.md) "
            "[d](https://github.com/hooklint/hooklint/blob/main/hooklint/rules/context.py) [e](#example) "
            "[f](https://example.com/x.md) [g](index.md)\n",
            id="site",
        ),
        pytest.param(
            True,
            "[a](https://hooklint.github.io/hooklint/argocd/#hook-types) "
            "[b](https://hooklint.github.io/hooklint/rules/HL102-generated-hook-accumulates/) "
            "[c](https://hooklint.github.io/hooklint/) "
            "[d](https://github.com/hooklint/hooklint/blob/main/hooklint/rules/context.py) "
            "[e](https://hooklint.github.io/hooklint/rules/HL101-x/#example) "
            "[f](https://example.com/x.md) [g](https://hooklint.github.io/hooklint/rules/)\n",
            id="terminal",
        ),
    ],
)
def test_links_to_repository_files_become_site_links(absolute: bool, expected: str) -> None:
    rendered = user_page(LINKS, "rules/HL101-x.md", absolute=absolute)
    assert rendered.splitlines(keepends=True)[0] == expected
    assert rendered.splitlines(keepends=True)[1:] == LINKS.splitlines(keepends=True)[1:]


@pytest.mark.parametrize(
    ("page", "url"),
    [
        pytest.param("index.md", "https://hooklint.github.io/hooklint/", id="home"),
        pytest.param("rules/index.md", "https://hooklint.github.io/hooklint/rules/", id="folder"),
        pytest.param("argocd.md", "https://hooklint.github.io/hooklint/argocd/", id="page"),
    ],
)
def test_site_urls_are_directory_urls(page: str, url: str) -> None:
    assert site_url(page) == url


def test_rules_prints_a_page_for_users() -> None:
    code, out, err = invoke(["rules", "HL101"])
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "# HL101 named-hook-without-before-hook-creation",
        "",
        "Default severity: **error**. Fix: always, safe: `BeforeHookCreation` is added to the list.",
    ]
    assert out.splitlines()[21:25] == ["## Example", "Bad: `migrate.yaml`", "", "```yaml"]
    assert out.splitlines()[-1] == (
        "On the web: https://hooklint.github.io/hooklint/rules/HL101-named-hook-without-before-hook-creation/"
    )
    assert ("expect:" in out, "yaml bad" in out, "../docs/" in out) == (False, False, False)
