"""HL109's plumbing: what in a hook decides where, as whom and whether it runs, not what it applies.

A change to plumbing alone (the namespace, the ServiceAccount, the node architecture, a path inside the
container, the hook's own labels and annotations, an on/off gate) is no change a user expects a hook to run
again for, so HL109 does not ask for it to be tracked.
"""

from __future__ import annotations

import re

# Pod and object fields that place, identify or run the hook: a value written under one is plumbing.
PLUMBING_FIELDS = frozenset(
    {
        "metadata",  # the object's and the pod template's name, namespace, labels and annotations
        "namespace",
        "serviceAccount",
        "serviceAccountName",
        "automountServiceAccountToken",
        "imagePullSecrets",
        "imagePullPolicy",
        "nodeSelector",
        "affinity",
        "tolerations",
        "topologySpreadConstraints",
        "priorityClassName",
        "runtimeClassName",
        "securityContext",
        "resources",
        "volumes",
        "volumeMounts",
        "mountPath",
        "subPath",
        "workingDir",
        "restartPolicy",
        "backoffLimit",
        "activeDeadlineSeconds",
        "ttlSecondsAfterFinished",
        "terminationGracePeriodSeconds",
        "dnsPolicy",
        "hostNetwork",
    }
)

# The words of a value's name (`.Values.migration.serviceAccount.name`) or an env variable's name that say it
# is plumbing whatever field it is written to: anywhere in the name, or as its last word.
_PLUMBING_WORDS = (
    ("namespace",),
    ("service", "account"),
    ("serviceaccount",),
    ("argocd", "app"),  # ARGOCD_APP_NAME and its kin: the identity of the application, not configuration
)
_PLUMBING_LAST = frozenset(
    {
        "arch",
        "architecture",
        "platform",
        "path",
        "dir",
        "directory",
        "file",
        "filename",
        "mount",
        "annotations",
        "labels",
        "nodeselector",
        "tolerations",
        "affinity",
        "resources",
        "securitycontext",
        "imagepullsecrets",
        "pullpolicy",
        "priorityclassname",
        "enabled",
        "enable",
        "disabled",
        # The name of a Secret the hook reads (`existingSecret`, `credentialSecret`, `secretName`): a change
        # to what it holds is that Secret's drift, and naming another one is a reference, not configuration.
        "secret",
        "secretname",
    }
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Values whose text is plumbing: an absolute path inside the container, a CPU architecture.
_ABSOLUTE_PATH = re.compile(r"/(?:[\w.@+-]+/)*[\w.@+-]*")
_ARCHITECTURES = frozenset({"amd64", "arm64", "arm", "386", "ppc64le", "s390x", "x86_64", "aarch64"})

# The patterns that read chart templates are compiled on first use (re keeps them), not at start-up: only
# applications with Helm charts have templates to read.
_KEY = r"""(\s*)(?:-\s+)?(?:"([^"]+)"|'([^']+)'|([A-Za-z_][\w.\-/]*))\s*:(?:\s|$)"""
_ACTION_ONLY = r"\s*(?:\{\{.*\}\}\s*)*$"
_CONDITION = r"\{\{-?\s*(?:else\s+)?if\b"


def plumbing_name(name: str) -> bool:
    """Whether a value's dotted name or an env variable's name names plumbing: `namespaceOverride`,
    `migration.serviceAccount.name`, `image.arch`, `configPath`, `DATA_DIR`, `hooks.enabled`,
    `containerSecurityContext`, `existingSecret`, `ARGOCD_APP_NAME`."""
    words = [word.lower() for word in _WORD.findall(name)]
    # The last word, or the last words run together (`containerSecurityContext` ends in `securitycontext`).
    if any("".join(words[-count:]) in _PLUMBING_LAST for count in range(1, min(len(words), 3) + 1)):
        return True
    return any(
        words[i : i + len(phrase)] == list(phrase) for phrase in _PLUMBING_WORDS for i in range(len(words))
    )


def plumbing_text(value: str, namespaces: set[str]) -> bool:
    """Whether a literal is plumbing by its text: an absolute path, an architecture, a namespace's name."""
    return _ABSOLUTE_PATH.fullmatch(value) is not None or value in _ARCHITECTURES or value in namespaces


def fields(text: str, line: int, column: int) -> list[str]:
    """The YAML keys a template's position (1-based) stands under, outermost first, read by indentation:
    lines that hold only template actions or comments are skipped."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return []
    key_at, action_only = re.compile(_KEY).match, re.compile(_ACTION_ONLY).match
    current = lines[line - 1]
    found: list[str] = []
    indent = len(current) - len(current.lstrip())
    own = key_at(current)
    if own is not None and own.end() <= column:
        found.append(own.group(2) or own.group(3) or own.group(4))
        indent = len(own.group(1))
    elif current.lstrip().startswith("- "):
        indent = len(current) - len(current.lstrip())
    for number in range(line - 2, -1, -1):
        text_line = lines[number]
        stripped = text_line.strip()
        if not stripped or stripped.startswith("#") or action_only(text_line):
            continue
        key = key_at(text_line)
        width = len(text_line) - len(text_line.lstrip())
        if width >= indent:
            continue
        # A list item's first key (`- name: x`) is a sibling of the keys under it: the list's key is above.
        if key is not None and not stripped.startswith("-"):
            found.append(key.group(2) or key.group(3) or key.group(4))
        indent = width
        if indent == 0:
            break
    return found[::-1]


def gate(text: str, line: int, column: int) -> bool:
    """Whether the position is in the condition of an `if`, or is the condition of a `ternary` (its
    expression form): the value turns the hook, or a part of it, on or off, or picks one of two written
    alternatives, and is never itself written into what the hook applies."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    current = lines[line - 1]
    start = current.rfind("{{", 0, column)
    if start < 0 or "}}" in current[start:column]:
        return False
    condition = re.compile(_CONDITION).match(current, start)
    return condition is not None or _ternary_condition(current, start, column - 1)


_TOKEN = r'"(?:[^"\\]|\\.)*"|`[^`]*`|[()|]|\}\}|[^\s()|"`]+'


def _ternary_condition(line: str, start: int, at: int) -> bool:
    """Whether the operand at `at` in the action from `start` is the condition of a `ternary`: its last
    argument (`ternary A B COND`), or the command piped into it (`COND | ternary A B`)."""
    groups: list[list[list[tuple[int, str]]]] = [[[]]]  # per open parenthesis: its commands, their words
    for token in re.compile(_TOKEN).finditer(line, start + 2):
        word = token.group()
        if word == "}}":
            break
        if word == "(":
            groups.append([[]])
            continue
        if word == ")":
            if len(groups) == 1:
                return False
            groups.pop()
            groups[-1][-1].append((-1, "()"))  # a parenthesized argument: one word of its command
            continue
        if word == "|":
            groups[-1].append([])
            continue
        groups[-1][-1].append((token.start(), word))
        if token.start() == at:
            return _is_condition(groups[-1][-1], line, token.end())
    return False


def _is_condition(command: list[tuple[int, str]], line: str, after: int) -> bool:
    """Whether the last word of a command read so far is a ternary's condition, given the text after it."""
    if command and command[0][1] == "-":
        command = command[1:]
    if len(command) >= 2 and command[0][1].startswith("$") and command[1][1] in (":=", "="):
        command = command[2:]
    if len(command) == 4 and command[0][1] == "ternary":
        rest = line[after:].lstrip()
        return rest.startswith(("}}", "-}}", ")", "|"))
    if len(command) == 1:
        piped = re.match(r"\s*\|\s*ternary\s+(\S+)\s+(\S+)\s*(?:-?\}\}|\))", line[after:])
        return piped is not None
    return False


_ENV_NAME = r"\s*-\s+name:\s*[\"']?([A-Za-z_][\w.-]*)"


def env_name(text: str, line: int) -> str | None:
    """The name of the env variable whose `value:` stands at `line` (1-based): the `- name:` just above it."""
    lines = text.splitlines()
    name_at = re.compile(_ENV_NAME).match
    for number in range(line - 2, max(line - 5, -1), -1):
        match = name_at(lines[number]) if number < len(lines) else None
        if match is not None:
            return match.group(1)
    return None
