"""Finds the configuration file, validates it against the JSON Schema and turns it into Settings."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import yaml

from hooklint.config.settings import ConfigError, ConfigSuppression, PathOverride, Settings, matches
from hooklint.manifests.yamlnodes import NodeError, build
from hooklint.model import Rule, Severity, node_at
from hooklint.util import confine

CONFIG_NAMES = (".hooklint.yaml", ".hooklint.yml")


def find(start: str = ".") -> str | None:
    """The config for `start`: .hooklint.yaml/.yml or a pyproject.toml with [tool.hooklint], looked for from
    `start` upwards, stopping at the repository root (the folder with .git)."""
    folder = os.path.abspath(start)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        # One that leads outside is not opened here: load refuses it, and says so.
        if os.path.isfile(pyproject) and (not held(pyproject) or _has_tool_section(pyproject)):
            return pyproject
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")) or parent == folder:
            return None
        folder = parent


def _has_tool_section(path: str) -> bool:
    with open(path, "rb") as handle:
        return re.search(rb"^\[tool\.hooklint[.\]]", handle.read(), re.M) is not None


def held(path: str) -> bool:
    """Whether the configuration file `path` may be read: it lies in the repository, links followed, or the
    user named it outside the repository on the command line (hooklint.util.confine.roots_for)."""
    return confine.allowed(path, confine.roots_for([path], path))


def load(path: str, rules: Sequence[Rule]) -> Settings:
    """Read and validate `path`; every problem is a ConfigError naming the file, the line and the key. A
    file that leads outside the repository through a link is not read: a ConfigError says so."""
    if not held(path):
        raise ConfigError(f"{path} lies outside the repository: not read")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ConfigError(f"cannot read the config {path}: {error.strerror}") from None
    if path.endswith(".toml"):
        document, locate = _read_toml(path, data)
    else:
        document, locate = _read_yaml(path, data)
    _validate(path, document, rules, locate)
    _check_selectors(path, document, rules, locate)
    return _settings(path, document, locate)


Locator = Any  # (path within the document, key?) -> line number


def _read_yaml(path: str, data: bytes) -> tuple[dict[str, Any], Locator]:
    try:
        text = data.decode()
        node = yaml.compose(text[1:] if text.startswith("\ufeff") else text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError as error:
        # decoded without the utf-8-sig codec, whose positions leave out a byte order mark's three bytes
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start + 1})") from None
    except yaml.MarkedYAMLError as error:
        raise ConfigError(_yaml_error(path, error)) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None
    try:
        document = build(node) if node is not None else {}
    except NodeError as error:
        raise ConfigError(f"{path}:{error.node.start_mark.line + 1}: {error}") from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping")

    def locate(where: Sequence[str | int], key: bool = False) -> int:
        for depth in range(len(where), -1, -1):
            found = node_at(node, tuple(where[:depth]), key=key and depth == len(where)) if node else None
            if found is not None:
                return int(found.start_mark.line) + 1
        return 1

    return document, locate


def _yaml_error(path: str, error: yaml.MarkedYAMLError) -> str:
    """One line: the file, the line and column of the problem, and PyYAML's words for it (its own rendering
    names the parsed string, not the file, and quotes the line over several lines)."""
    mark = error.problem_mark or error.context_mark
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else path
    said = [part for part in (error.context, error.problem) if part]
    return f"{where}: not valid YAML: {', '.join(said) or 'cannot be parsed'}"


def _read_toml(path: str, data: bytes) -> tuple[dict[str, Any], Locator]:
    # Imported here: a TOML parser (and the datetime module it brings) is start-up time most runs never use.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        document = tomllib.loads(data.decode("utf-8")).get("tool", {}).get("hooklint", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    lines = data.decode("utf-8", "replace").splitlines()
    header = next((n for n, line in enumerate(lines, 1) if line.strip().startswith("[tool.hooklint")), 1)

    def locate(where: Sequence[str | int], key: bool = False) -> int:
        # TOML parsers keep no positions: find the key's own line below the section header.
        names = [part for part in where if isinstance(part, str)]
        if names:
            pattern = re.compile(r"^\s*\"?" + re.escape(names[-1]) + r"\"?\s*=")
            for number in range(header, len(lines) + 1):
                if pattern.match(lines[number - 1]):
                    return number
        return header

    return document, locate


def schema(rules: Sequence[Rule]) -> dict[str, Any]:
    """The configuration schema, composed with every rule's options schema (by id and by name)."""
    from importlib import resources as package_files

    text = package_files.files("hooklint").joinpath("data/config.schema.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    options: dict[str, Any] = {}
    for rule in rules:
        options[rule.id] = options[rule.name] = options_schema(rule)
    document["properties"]["options"] = {
        "type": "object",
        "additionalProperties": False,
        "properties": options,
    }
    return document


def options_schema(rule: Rule) -> dict[str, Any]:
    """The JSON Schema of the rule's options, as `options: {HLnnn: ...}` in the configuration takes them."""
    return {"type": "object", "additionalProperties": False, "properties": dict(rule.options)}


def _validate(path: str, document: dict[str, Any], rules: Sequence[Rule], locate: Locator) -> None:
    from jsonschema import Draft7Validator  # loads only when a config file is used

    validator = Draft7Validator(schema(rules))
    errors = sorted(
        validator.iter_errors(document), key=lambda e: (len(e.absolute_path), list(map(str, e.path)))
    )
    if not errors:
        return
    error = errors[0]
    where = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        key = extra[0] if extra else "?"
        hint = _hint(str(key), allowed)
        scope = "rule options" if where[:1] == ["options"] else "key"
        message = f"unknown {scope} {key!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        if where[:1] == ["options"] and len(where) == 1:
            message = f"unknown rule {key!r} in options" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        raise ConfigError(f"{path}:{locate([*where, key], True)}: {message}")
    dotted = ".".join(str(part) for part in where) or "(top level)"
    raise ConfigError(
        f"{path}:{locate(where)}: {dotted}: {_say(error.validator, error.validator_value, error.instance)}"
    )


_TYPES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "empty",
}


def _say(validator: object, expected: Any, value: Any) -> str:
    """What is wrong, in hooklint's words: the schema library's messages change from release to release."""
    if validator == "type":
        wanted = [expected] if isinstance(expected, str) else list(expected)
        return f"{value!r} is not " + " or ".join(_TYPES.get(t, t) for t in wanted)
    if validator == "enum":
        return f"{value!r} is not one of " + ", ".join(repr(choice) for choice in expected)
    if validator == "pattern":
        return f"{value!r} does not have the form {expected}"
    if validator == "minimum":
        return f"{value!r} is less than {expected}"
    if validator == "minLength":
        return "must not be empty" if expected == 1 else f"must be at least {expected} characters long"
    if validator == "required":
        missing = [name for name in expected if not isinstance(value, dict) or name not in value]
        return f"{', '.join(map(repr, missing))} is required"
    return f"{value!r} is not allowed here (schema keyword {validator})"


def _hint(word: str, candidates: Sequence[str]) -> list[str]:
    """A close spelling, for names only: `HL999` is not a typo of `HL209`."""
    if re.fullmatch(r"(?i)HL\d*", word):
        return []
    from hooklint.util.spelling import close_matches

    return close_matches(word, [c for c in candidates if not c.startswith("HL")], n=1, cutoff=0.6)


def _check_selectors(path: str, document: dict[str, Any], rules: Sequence[Rule], locate: Locator) -> None:
    """Unknown rule ids or names are errors, not silence."""
    places: list[tuple[list[str | int], str]] = []
    for key in ("select", "extend-select", "ignore"):
        places += [([key, i], s) for i, s in enumerate(document.get(key, []))]
    places += [(["severity", s], s) for s in document.get("severity", {})]
    for pattern, value in document.get("per-path", {}).items():
        for key in ("select", "ignore"):
            places += [(["per-path", pattern, key, i], s) for i, s in enumerate(value.get(key, []))]
        places += [(["per-path", pattern, "severity", s], s) for s in value.get("severity", {})]
    for index, entry in enumerate(document.get("suppress", [])):
        places += [(["suppress", index, "rules", i], s) for i, s in enumerate(entry.get("rules", []))]
    names = [rule.id for rule in rules] + [rule.name for rule in rules]
    for where, selector in places:
        if not any(matches(selector, rule) for rule in rules):
            hint = _hint(selector, names)
            suffix = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ConfigError(
                f"{path}:{locate(where, isinstance(where[-1], str))}: unknown rule {selector!r}{suffix}"
            )


def _settings(path: str, document: dict[str, Any], locate: Locator) -> Settings:
    def strings(key: str, source: dict[str, Any] = document) -> tuple[str, ...]:
        return tuple(source.get(key, ()))

    def severities(source: dict[str, Any]) -> dict[str, Severity]:
        return {rule: Severity(value) for rule, value in source.get("severity", {}).items()}

    root = os.path.dirname(os.path.abspath(path))
    settings = Settings(
        namespace=document.get("namespace", Settings.namespace),
        argocd_version=document.get("argocd-version", Settings.argocd_version).lstrip("v"),
        select=strings("select"),
        extend_select=strings("extend-select"),
        ignore=strings("ignore"),
        severity=severities(document),
        options=document.get("options", {}),
        fail_on=Severity(document.get("fail-on", "error")),
        paths=tuple(_from_folder(root, given) for given in strings("paths")),
        applications=strings("applications"),
        exclude=strings("exclude"),
        per_path=tuple(
            PathOverride(pattern, strings("select", value), strings("ignore", value), severities(value))
            for pattern, value in document.get("per-path", {}).items()
        ),
        suppress=tuple(
            ConfigSuppression(
                rules=tuple(entry["rules"]),
                kind=entry.get("kind"),
                name=entry.get("name"),
                namespace=entry.get("namespace"),
                path=entry.get("path"),
                reason=entry.get("reason", ""),
                line=locate(["suppress", index]),
            )
            for index, entry in enumerate(document.get("suppress", []))
        ),
        require_reason=bool(document.get("require-reason", False)),
        inline_suppressions=bool(document.get("inline-suppressions", True)),
        root=root,
        source=path,
    )
    return settings


def _from_folder(root: str, given: str) -> str:
    """A configured path, relative to the configuration's folder `root` as every path in it is, as the
    current folder reaches it: the run may start in a subfolder. An absolute path stays as written. Where
    it leads is confined afterwards, as any path is (cli.common.confined)."""
    if os.path.isabs(given):
        return given
    return os.path.relpath(os.path.join(root, given))
