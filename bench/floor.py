#!/usr/bin/env python3
"""The floor for any YAML-reading Python tool: compose every document under a
folder with libyaml (PyYAML's CSafeLoader), one process, and do nothing else.

Usage: floor.py DIR  (needs PyYAML built with libyaml)

A linter's time on the same folder divided by this time is its overhead ratio.
"""

from __future__ import annotations

import os
import sys

import yaml


def main() -> None:
    if not yaml.__with_libyaml__:
        sys.exit("PyYAML was built without libyaml; the floor would be meaningless")
    documents = 0
    for root, dirs, files in os.walk(sys.argv[1]):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                with open(os.path.join(root, name), "rb") as fh:
                    documents += sum(1 for node in yaml.compose_all(fh, Loader=yaml.CSafeLoader) if node)
    print(f"{documents} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
