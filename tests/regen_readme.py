"""Rewrites the README's rules table, and the configuration schema in docs/, from the registry:
python -m tests.regen_readme"""

from __future__ import annotations

from hooklint.config.file import schema
from hooklint.rules import ALL_RULES
from hooklint.util import jsontext
from tests.helpers import ROOT
from tests.test_readme import rules_table


def main() -> None:
    path = ROOT / "README.md"
    text = path.read_text()
    start, end = "<!-- rules-table:start -->\n", "\n<!-- rules-table:end -->"
    head, tail = text[: text.index(start) + len(start)], text[text.index(end) :]
    path.write_text(head + rules_table() + tail)
    (ROOT / "docs" / "config.schema.json").write_text(jsontext.dumps(schema(ALL_RULES)))


if __name__ == "__main__":
    main()
