"""Running helm and kustomize: which binary, the command line, a timeout, and the output or one error line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence

from hooklint.manifests.discovery import KUSTOMIZATIONS
from hooklint.util import spawn
from hooklint.util.frozen import frozen

# A klog line (kubectl): `E1201 12:00:00.000000   12345 run.go:72] ...`.
_KLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [^\s\]]+\] ")
_COMMAND_FAILED = re.compile(r'^"command failed" err=(.*)$')
SKIP_SCHEMA = "--skip-schema-validation"  # helm 3.16 and later


@frozen
class Rendered:
    command: str  # as people would type it, for messages
    output: str


@frozen
class Failed:
    command: str
    error: str  # one line: the tool's first error line, or why it could not run
    ran: bool = True  # False: the tool could not be started at all


def helm_command(
    chart: str,
    release: str,
    values: Sequence[str],
    namespace: str | None,
    parameters: Sequence[tuple[str, str, bool]] = (),
) -> list[str] | None:
    """`helm template` as Argo CD runs it but for the values schema, which helm may not check (it would fetch
    what the schema refers to), or None when helm is not on PATH. Values files come first (`-`:
    standard input), then the parameters, which override them (`--set`, or `--set-string` with forceString).

    helm reads a flag anywhere on its command line, so the release and the chart come last, after `--`, and
    every path is absolute: no name a repository chose is ever read as an option."""
    helm = shutil.which("helm")
    if helm is None:
        return None
    # Argo CD renders with --include-crds unless skipCrds is set (docs/argocd.md#helm-rendering), so the
    # chart's crds/ are part of the application. The values schema is not checked: helm resolves a schema's
    # references as URLs, over the network (http, https) and on the machine (file, and a relative one
    # against `file:///`), in the chart, its subcharts and their archives alike.
    command = [helm, "template", "--include-crds", SKIP_SCHEMA]
    if namespace:
        command += ["--namespace", namespace]
    for values_file in values:
        command += ["--values", values_file if values_file == "-" else os.path.abspath(values_file)]
    for name, value, force_string in parameters:
        command += ["--set-string" if force_string else "--set", f"{name}={value}"]
    return [*command, "--", release, os.path.abspath(chart)]


def kustomize_command(folder: str) -> list[str] | None:
    """`kustomize build`, else `kubectl kustomize`, or None when neither is on PATH. The folder is absolute
    and after `--`: a folder named `--output=x` is no option, and one named `github.com/org/repo` is no
    remote (kustomize reads a relative path of that form as a repository to clone)."""
    kustomize = shutil.which("kustomize")
    if kustomize is not None:
        return [kustomize, "build", "--", os.path.abspath(folder)]
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        return [kubectl, "kustomize", "--", os.path.abspath(folder)]
    return None


def kustomization_file(folder: str) -> str | None:
    for name in KUSTOMIZATIONS:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def run(command: Sequence[str], timeout: float, data: bytes | None = None) -> Rendered | Failed:
    """Run `command` (no shell; `data` on its standard input, else none) in the renderers' environment and
    return its standard output, or why it failed."""
    shown = " ".join([os.path.basename(command[0]), *command[1:]])
    try:
        done = spawn.execute(command, timeout, spawn.renderer_environment(), data=data)
    except subprocess.TimeoutExpired:
        return Failed(shown, f"did not finish within {timeout:g} s")
    except OSError as error:
        return Failed(shown, f"cannot run it: {error.strerror or error}", ran=False)
    if done.code != 0:
        return Failed(shown, first_line(done.stderr) or first_line(done.stdout) or f"exit {done.code}")
    try:
        return Rendered(shown, done.stdout.decode("utf-8"))
    except UnicodeDecodeError:
        return Failed(shown, "its output is not UTF-8 text")


def first_line(data: bytes) -> str:
    """The tool's error message: its first `Error: ` line (warnings may come before it), else its first error
    logged by kubectl (klog's prefix and `"command failed" err=` taken off), else its first non-empty line.
    Helm 4 writes a template's execution error over several lines, the ones after the first indented (the
    template position, then what it was executing, then why): they are joined into the one line."""
    lines = [line.rstrip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    start = next((n for n, line in enumerate(lines) if line.startswith("Error: ")), None)
    if start is not None:
        end = start + 1
        while end < len(lines) and lines[end][:1].isspace():
            end += 1
        return " ".join(line.strip() for line in lines[start:end]).removeprefix("Error: ")
    lines = [line.strip() for line in lines]
    for number, line in enumerate(lines):
        if _KLOG.match(line) and line.startswith(("E", "F")):
            return _logged(_KLOG.sub("", line), lines[number + 1 :])
    return lines[0] if lines else ""


def _logged(message: str, following: list[str]) -> str:
    """kubectl's logged error: `error: text`, `"command failed" err="quoted text"`, or `err=<` with the text
    on the lines after it."""
    failed = _COMMAND_FAILED.match(message)
    if failed is not None:
        value = failed.group(1)
        if value == "<":
            message = next((line for line in following if line != ">"), "")
        else:
            try:
                decoded = json.loads(value)  # Go quotes strings as JSON does for what kubectl prints
            except ValueError:
                decoded = value
            message = decoded if isinstance(decoded, str) else value
    return message.removeprefix("error: ").strip()
