"""The GitHub Action's lint step: runs `hooklint lint`, sets the Action's outputs, writes the step summary.

The inputs come in environment variables, never spliced into a shell: `args` and `paths` are read as shell
words (or `paths` one per line) with no shell evaluation; so does a pull request's base branch
(GITHUB_BASE_REF), which reaches git and hooklint as one argument. The step exits with lint's exit code,
whatever happens to the sync plans and their diff in the summary. Run by the Python of the virtual environment hooklint was
installed into, so `python -m hooklint` is that hooklint."""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hooklint.util.escape import code_span, github_data, github_property, markdown, terminal

if TYPE_CHECKING:
    from hooklint.sources.partition import Part

SEVERITIES = ("error", "warning", "info")
# The options of `lint` that `explain` takes too, and that shape the plan.
PLAN_OPTIONS = ("--app", "--config", "--namespace", "--values")
# The options that make the input one application, for lint as for explain.
ONE_APPLICATION = ("--app", "--values")
# lint's reports are the Action's to choose: each format it passes is paired in order with its file, which
# a format in `args` would shift.
REPORT_OPTIONS = ("--format", "--output-format", "--output")
EXIT_USAGE = 2
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
PLAN_DIFF_FILE = "hooklint-plan-diff.md"


class InputError(Exception):
    """An input the Action cannot use: a usage error (exit 2) named in one annotation."""


def words(name: str, text: str) -> list[str]:
    """An input read as shell words, quotes and backslashes as a shell reads them, nothing expanded."""
    try:
        return shlex.split(text)
    except ValueError as error:
        raise InputError(f"the {name} input is not a list of shell words: {error}") from None


def lint_args(text: str) -> list[str]:
    """The `args` input as shell words, refusing the report options the Action sets itself."""
    args = words("args", text)
    for arg in args:
        if arg == "--":
            break
        name = arg.split("=", 1)[0]
        if name in REPORT_OPTIONS:
            raise InputError(
                f"the args input cannot hold {name}: the Action chooses lint's reports itself (the "
                "annotations, the SARIF file of sarif-file, the job summary)"
            )
    return args


def path_list(text: str) -> list[str]:
    """The `paths` input: one path a line when it has several lines (a path may hold spaces), else shell words."""
    if "\n" in text.strip():
        return [line.strip() for line in text.splitlines() if line.strip()]
    return words("paths", text)


def option_values(args: Sequence[str], name: str) -> list[str]:
    """The values given to the long option `name` in `args` (`--name VALUE` or `--name=VALUE`), in order."""
    found = []
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name and index + 1 < len(args):
            found.append(args[index + 1])
        elif arg.startswith(name + "="):
            found.append(arg[len(name) + 1 :])
    return found


def hooklint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooklint", *args], capture_output=True, text=True, check=False
    )


def from_workspace(path: str) -> str:
    """`path` (relative to the working directory) as the workflow's later steps and GitHub name it: relative
    to the workspace when inside it."""
    workspace = os.environ.get("GITHUB_WORKSPACE", "")
    absolute = os.path.abspath(path)
    if workspace:
        relative = os.path.relpath(absolute, workspace)
        if relative != ".." and not relative.startswith(".." + os.sep):
            return relative.replace(os.sep, "/")
    return absolute


def prefixed_sarif(sarif_file: str, prefix: str) -> None:
    """The SARIF report with every relative location under `prefix` (the working directory within the
    workspace), since code scanning reads locations from the repository's root."""
    with open(sarif_file, encoding="utf-8") as handle:
        document = json.load(handle)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            location = node.get("artifactLocation")
            if isinstance(location, dict) and isinstance(location.get("uri"), str):
                uri = location["uri"]
                if uri != "stdin" and not uri.startswith("/") and "://" not in uri:
                    location["uri"] = f"{prefix}/{uri}"
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document)
    with open(sarif_file, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")


def prefixed_annotations(output: str, prefix: str) -> str:
    """The github format's annotations with each `file=` under `prefix`, as GitHub reads them from the
    repository's root."""
    escaped = github_property(prefix + "/")
    return re.sub(r"^(::(?:error|warning|notice) file=)", lambda m: m.group(1) + escaped, output, flags=re.M)


def findings_table(findings: Sequence[dict[str, Any]], counts: Counter[str]) -> str:
    head = ", ".join(f"{counts[severity]} {severity}(s)" for severity in SEVERITIES)
    lines = [f"## hooklint: {head}", ""]
    if not findings:
        return "\n".join([*lines, "No findings.", ""]) + "\n"
    lines += ["| severity | rule | file | line | message |", "|---|---|---|---|---|"]
    for finding in findings:
        cells = (
            markdown(str(finding["severity"])),
            f"{markdown(str(finding['rule']))} {code_span(str(finding['name']))}",
            code_span(str(finding["file"])),
            f"{finding['line']}:{finding['column']}",
            markdown(str(finding["message"])),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\n"


def demoted(text: str) -> str:
    """A plan's Markdown with its headings one level down, under the application's heading."""
    out, fenced = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if not fenced and re.match(r"#{1,5} ", line) else line)
    return "".join(out)


def application_roots(paths: Sequence[str], args: Sequence[str], config: str) -> list[Part]:
    """The application roots of the run as lint partitions it, each with the Application that deploys it
    from elsewhere in the repository: --applications in `args`, else the configuration's, else those
    hooklint finds as Argo CD sees the repository; none when the input is one application."""
    from hooklint.config import file as configfile
    from hooklint.config.settings import Settings
    from hooklint.rules import ALL_RULES
    from hooklint.sources import partition

    path = config or configfile.find()
    settings = configfile.load(path, ALL_RULES) if path else Settings()
    globs = option_values(args, "--applications") or list(settings.applications)
    if "-" in paths or any(option_values(args, name) for name in ONE_APPLICATION):
        return []
    if globs:
        return partition.root_parts(partition.scope(paths, settings), globs, settings)
    found = partition.applications(paths, (), settings) or []
    return [part for part in found if len(found) > 1 and len(part.paths) == 1]


def base_revision(branch: str) -> str | None:
    """The revision a pull request is compared with: its base branch as fetched (`origin/BRANCH`), else a
    local branch of that name; None when the clone holds neither, as a shallow checkout does not."""
    from hooklint.sources.git import has_commit

    return next((ref for ref in (f"origin/{branch}", branch) if branch and has_commit(ref)), None)


def missing_base(branch: str) -> str:
    """The summary's line when a pull request's base revision is not in the clone."""
    named = f"the base branch {code_span(branch)} is" if branch else "GITHUB_BASE_REF names no base branch:"
    return (
        f"The sync plan's diff is left out: {named} not in this clone. Check out the whole history, "
        "`fetch-depth: 0` in `actions/checkout`, to compare the pull request with its base.\n\n"
    )


class Plans:
    """The step summary's part after the findings, the plan diff's markdown (empty without a base), and the
    warnings to annotate for the plans and diffs that could not be made."""

    def __init__(self) -> None:
        self.summary: list[str] = []
        self.diff: list[str] = []
        self.warnings: list[str] = []

    def failed(self, command: str, what: str, shown: str, result: subprocess.CompletedProcess[str]) -> str:
        """The summary's line for an `explain` that failed; its reason becomes a warning."""
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        self.warnings.append(f"hooklint {command}{shown} failed (exit {result.returncode}): {reason}")
        return f"The {what}{markdown(shown)} could not be made: {markdown(reason)}\n\n"


def plans(paths: Sequence[str], args: Sequence[str], config: str, base: str | None = None) -> Plans:
    """The sync plans: one per application, under its name. With a `base`, a pull request's, each plan's
    diff since then comes first, and the plan itself folds away: the diff is what the pull request does,
    the plan where it lands, kept to read the diff against."""
    options = [*(["--config", config] if config else [])]
    for name in PLAN_OPTIONS:
        for value in option_values(args, name):
            options += [name, value]
    found = Plans()
    try:
        roots = application_roots(paths, args, config)
    except Exception as error:  # the configuration lint already judged: no plan, and lint's status stands
        found.warnings.append(f"the applications could not be found: {error}")
        return found
    parts = [(root.paths[0], root.app, [root.paths[0]]) for root in roots] or [("", None, list(paths))]
    for name, app, inputs in parts:
        # The Application that deploys the root, which explain of the folder alone would not find: its
        # destination namespace and sync options shape the plan, as they do lint's and `explain .`'s.
        given = [f"--app={app.resource.path}"] if app is not None else []
        given += ["--", *inputs] if inputs else []
        shown = f" of {name}" if name else ""
        heading = f"## Application {code_span(name)}\n\n" if name else ""
        found.summary.append(heading)
        if base is not None:
            # `--base=REF` as one argument: a branch name is never read as an option.
            diff = hooklint("explain", *options, f"--base={base}", "--format", "markdown", *given)
            text = (
                diff.stdout + "\n"
                if diff.returncode == 0
                else found.failed("explain --base", "sync plan's diff", shown, diff)
            )
            found.summary.append(text)
            found.diff.append(heading + text)
        made = hooklint("explain", *options, "--format", "markdown", *given)
        chart = hooklint("explain", *options, "--format", "mermaid", *given)
        failed = next((r for r in (made, chart) if r.returncode != 0), None)
        if failed is not None:
            found.summary.append(found.failed("explain", "sync plan", shown, failed))
            continue
        plan = demoted(made.stdout) if name else made.stdout
        text = f"{plan}\n```mermaid\n{chart.stdout}```\n\n"
        if base is not None:
            # HTML, where Markdown's escapes do not apply: the folder's name escaped as HTML.
            label = html.escape(terminal(f"The sync plan{shown}"))
            text = f"<details><summary>{label}</summary>\n\n{text}</details>\n\n"
        found.summary.append(text)
    return found


def write_outputs(values: dict[str, str]) -> None:
    """The step's outputs, each in GitHub's delimited form, so no value can start another output."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for key, value in values.items():
            delimiter = f"hooklint_{secrets.token_hex(16)}"
            handle.write(f"{key}<<{delimiter}\n{value}\n{delimiter}\n")


def append_summary(text: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target and text:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)


def main() -> int:
    """Lint, and the outputs of the run: the counts and the SARIF file only when lint ran to a report."""
    outputs = {
        "exit-code": str(EXIT_USAGE),
        "errors": "",
        "warnings": "",
        "infos": "",
        "sarif-file": "",
        "plan-diff-file": "",
    }
    try:
        status = lint_and_summarise(outputs)
    finally:
        write_outputs(outputs)
    return status


def lint_and_summarise(outputs: dict[str, str]) -> int:
    env = os.environ
    config, sarif_file = env.get("HOOKLINT_CONFIG", ""), env.get("HOOKLINT_SARIF", "") or "hooklint.sarif"
    try:
        args = lint_args(env.get("HOOKLINT_ARGS", ""))
        paths = path_list(env.get("HOOKLINT_PATHS", ""))
    except InputError as error:
        print(f"::error title=hooklint::{github_data(str(error))}")
        return EXIT_USAGE
    report = os.path.join(env.get("RUNNER_TEMP") or ".", "hooklint-findings.json")
    diff_file = os.path.abspath(os.path.join(env.get("RUNNER_TEMP") or ".", PLAN_DIFF_FILE))
    for stale in (report, diff_file):
        if os.path.exists(stale):
            os.remove(stale)
    if os.path.exists(sarif_file):
        os.remove(sarif_file)
    lint = hooklint(
        "lint",
        *(["--config", config] if config else []),
        "--fail-on",
        env.get("HOOKLINT_FAIL_ON", "") or "error",
        *args,
        "--format",
        "sarif",
        "--output",
        sarif_file,
        "--format",
        "json",
        "--output",
        report,
        "--format",
        "github",
        *(["--", *paths] if paths else []),
    )
    prefix = from_workspace(".")
    inside = prefix != "." and not os.path.isabs(prefix)
    sys.stdout.write(prefixed_annotations(lint.stdout, prefix) if inside else lint.stdout)
    sys.stderr.write(lint.stderr)
    sys.stdout.flush()
    if lint.returncode >= EXIT_USAGE or not os.path.exists(report):
        outputs["exit-code"] = str(lint.returncode or EXIT_USAGE)
        append_summary(f"## hooklint\n\nhooklint could not lint (exit {lint.returncode}); see the log.\n")
        return lint.returncode or EXIT_USAGE
    with open(report, encoding="utf-8") as handle:
        findings = json.load(handle)["findings"]
    counts = Counter(str(finding["severity"]) for finding in findings)
    if inside:
        prefixed_sarif(sarif_file, prefix)
    outputs.update(
        {
            "exit-code": str(lint.returncode),
            "errors": str(counts["error"]),
            "warnings": str(counts["warning"]),
            "infos": str(counts["info"]),
            "sarif-file": from_workspace(sarif_file),
        }
    )
    summary = findings_table(findings, counts)
    if env.get("HOOKLINT_EXPLAIN", "true") == "true":
        base, note = None, ""
        pull_request = env.get("GITHUB_EVENT_NAME", "") in PULL_REQUEST_EVENTS
        if pull_request:
            branch = env.get("GITHUB_BASE_REF", "")
            base = base_revision(branch)
            if base is None:
                note = missing_base(branch)
                print(f"::warning title=hooklint explain::{github_data(note.strip())}")
        found = plans(paths, args, config, base)
        summary += note + "".join(found.summary)
        for warning in found.warnings:
            print(f"::warning title=hooklint explain::{github_data(warning)}")
        if pull_request:
            with open(diff_file, "w", encoding="utf-8") as handle:
                handle.write(note + "".join(found.diff))
            outputs["plan-diff-file"] = diff_file
    append_summary(summary)
    return lint.returncode


if __name__ == "__main__":
    sys.exit(main())
