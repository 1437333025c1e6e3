#!/usr/bin/env python3
"""The YAML read paths hooklint could stand on, timed on one folder in one process.

Usage: python bench/parsers.py DIR [--repeat 3]

Each path reads every *.yaml file under DIR (the bytes are read first, outside the timing) and does what
its row says; medians of the repetitions are printed, in CPU seconds of this process (a busy neighbour
moves them less than wall time). Paths whose library is not installed are skipped (`pip install
ruamel.yaml ruamel.yaml.clib rapidyaml` for all of them). What a linter needs of its read path is plain
data and, for every value, a position; the rows say which of the two each path gives.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from hooklint.manifests import yamlnodes


def files_under(folder: Path) -> list[bytes]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith((".yaml", ".yml")):
                found.append(Path(root, name).read_bytes())
    return found


def each_document(read: Callable[[bytes], Any]) -> Callable[[list[bytes]], None]:
    """A path that runs `read` on every file and walks the documents it yields."""

    def run(texts: list[bytes]) -> None:
        for text in texts:
            for _ in read(text):
                pass

    return run


def composed_and_built(text: bytes) -> Any:
    anchors = b"&" in text
    return (
        yamlnodes.build(node, anchors) for node in yaml.compose_all(text, Loader=yamlnodes.Loader) if node
    )


def paths() -> dict[str, tuple[str, Callable[[list[bytes]], None]]]:
    found: dict[str, tuple[str, Callable[[list[bytes]], None]]] = {
        "PyYAML libyaml events": (
            "positions, no data",
            each_document(lambda text: yaml.parse(text, Loader=yaml.CSafeLoader)),
        ),
        "PyYAML libyaml compose (the floor)": (
            "positions, no data",
            each_document(lambda text: yaml.compose_all(text, Loader=yaml.CSafeLoader)),
        ),
        "hooklint's composer (libyaml, lighter resolver callbacks)": (
            "positions, no data",
            each_document(lambda text: yaml.compose_all(text, Loader=yamlnodes.Loader)),
        ),
        "hooklint's composer + hooklint's build (used)": (
            "data and positions",
            each_document(composed_and_built),
        ),
        "PyYAML libyaml safe load": (
            "data, no positions",
            each_document(lambda text: yaml.load_all(text, Loader=yaml.CSafeLoader)),
        ),
    }
    try:
        from ruamel.yaml import YAML

        found["ruamel.yaml safe load, C-backed"] = (
            "data, no positions",
            each_document(YAML(typ="safe", pure=False).load_all),
        )
        found["ruamel.yaml round-trip load"] = ("data and positions", each_document(YAML(typ="rt").load_all))
    except ImportError:
        pass
    try:
        import ryml

        def rapidyaml_parse(texts: list[bytes]) -> None:
            for text in texts:
                ryml.parse_in_arena(text)

        def rapidyaml_walk(texts: list[bytes]) -> None:
            for text in texts:
                tree = ryml.parse_in_arena(text)
                _walk(tree, tree.root_id())

        def rapidyaml_json(texts: list[bytes]) -> None:
            for text in texts:
                tree = ryml.parse_in_arena(text)
                root = tree.root_id()
                if tree.is_stream(root):
                    child = tree.first_child(root)
                    while child != ryml.NONE:
                        json.loads(ryml.emit_json(tree, child))
                        child = tree.next_sibling(child)
                else:
                    json.loads(ryml.emit_json(tree))

        def rapidyaml_faithful(texts: list[bytes]) -> None:
            for text in texts:
                if _differs_in_yaml_1_1(text.decode()):
                    continue  # left to libyaml (none of the generated repository's files are)
                tree = ryml.parse_in_arena(text)
                root = tree.root_id()
                child = tree.first_child(root) if tree.is_stream(root) else root
                while child != ryml.NONE:
                    _strict_json(ryml.emit_json(tree, child))
                    child = tree.next_sibling(child) if tree.is_stream(root) else ryml.NONE

        found["rapidyaml parse"] = ("a tree in C++, no Python data", rapidyaml_parse)
        found["rapidyaml screen only (what YAML 1.1 would read otherwise)"] = (
            "nothing: which files the JSON route may read",
            lambda texts: [_differs_in_yaml_1_1(text.decode()) for text in texts] and None,
        )
        found["rapidyaml screen + parse + JSON + json.loads with duplicate check"] = (
            "YAML 1.1 data, no positions",
            rapidyaml_faithful,
        )
        found["rapidyaml parse + Python walk to data"] = ("strings only, no positions", rapidyaml_walk)
        found["rapidyaml parse + JSON + json.loads"] = (
            "JSON types, not YAML 1.1; no positions",
            rapidyaml_json,
        )
    except ImportError:
        pass
    return found


# What it takes for rapidyaml's JSON to carry the data Kubernetes' YAML 1.1 decoder reads: a file holding any plain
# scalar the two read differently (YAML 1.1 booleans and nulls, octal, hexadecimal, sexagesimal, underscored and
# exponent numbers, infinities, timestamps), a key YAML 1.1 reads as no string, anchors, aliases, tags, merge
# keys, directives or characters YAML 1.1 reads as line breaks goes to libyaml. These are the fastest regular
# expressions found for it (each begins with a character class, so the engine skips to candidates).
_VALUE_START = r"[\n\[{,:?\-](?:(?<![:?\-])|(?= ))[ ]*"
_WHOLE = r"(?=[ ]*(?:$|#|,|\]|\}|:[ ]|:$))"
_WORDS = r"yes|Yes|YES|no|No|NO|True|TRUE|False|FALSE|on|On|ON|off|Off|OFF|Null|NULL|~|=|[-+]?\.?(?:inf|Inf|INF|nan|NaN|NAN)"
_NUMBERS = r"[-+]?0[0-9_xXbBoO]\S*|\+\S*|[-+]?\.?[0-9][0-9_.]*[_:eE]\S*|[-+]?\.[0-9]\S*"
_SCREENS = [
    re.compile(pattern, re.MULTILINE)
    for pattern in (
        _VALUE_START
        + rf"(?:(?=[yYnNtTfFoO~=0-9+.\-iI])(?:{_WORDS}|{_NUMBERS}){_WHOLE}|[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}(?![0-9])|[&*!@`])",
        r"[\n{,][ ]*(?:[-?][ ]+)*(?:[-+.]?[0-9][^\s:]*|true|false|null|[-+]?\.?(?:inf|nan)|~|=|<<|:|\?)[ ]*:(?:[ ]|$)",
        r"\n%|[\]}][ ]*:(?:[ ]|\n|$)|\\[uU]",
        "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]",
    )
]


def _differs_in_yaml_1_1(text: str) -> bool:
    text = "\n" + text
    return any(screen.search(text) for screen in _SCREENS)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise ValueError("duplicate key")  # HL005 needs libyaml's positions
    return mapping


_strict_json = json.JSONDecoder(object_pairs_hook=_unique_pairs).decode


def _walk(tree: Any, node: int) -> Any:
    import ryml

    if tree.is_map(node) or tree.is_seq(node) or tree.is_stream(node):
        mapping = tree.is_map(node)
        items: Any = {} if mapping else []
        child = tree.first_child(node)
        while child != ryml.NONE:
            if mapping:
                items[bytes(tree.key(child)).decode()] = _walk(tree, child)
            else:
                items.append(_walk(tree, child))
            child = tree.next_sibling(child)
        return items
    return bytes(tree.val(node)).decode() if tree.has_val(node) else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = files_under(args.folder)
    print(f"{len(texts)} files, {sum(map(len, texts)) / 1e6:.1f} MB")
    for name, (gives, run) in paths().items():
        times = []
        for _ in range(args.repeat):
            start = time.process_time()
            run(texts)
            times.append(time.process_time() - start)
        print(f"{statistics.median(times):7.3f} s  {name}  ({gives})")


if __name__ == "__main__":
    main()
