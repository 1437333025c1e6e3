"""`hooklint lsp` end to end: a real client (pytest-lsp) talks to the server process over stdio, on a copy
of the demo application."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

DEMO = Path(__file__).parents[2] / "fixtures" / "demo"
SERVER = [sys.executable, "-m", "hooklint", "lsp"]


def copy_demo(folder: Path) -> Path:
    folder.mkdir()
    for manifest in DEMO.glob("*.yaml"):
        shutil.copy(manifest, folder / manifest.name)
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "shop")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    """A client that started `hooklint lsp` in the copy of the demo, without a debounce."""

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        lsp_client.registered.extend(params.registrations)  # type: ignore[attr-defined]

    lsp_client.registered = []  # type: ignore[attr-defined]
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[lsp.WorkspaceFolder(workspace.as_uri(), "shop")],
            initialization_options={"debounceMs": 0},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    """Open `path` (with `text` in the buffer, else its own) and wait for its diagnostics."""
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "yaml", 1, path.read_text("utf-8") if text is None else text)
        )
    )
    await diagnostics_of(client, uri)
    return uri


async def diagnostics_of(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    while uri not in client.diagnostics:
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return list(client.diagnostics[uri])


async def replace_text(client: LanguageClient, uri: str, version: int, text: str) -> list[lsp.Diagnostic]:
    """Replace the whole buffer (as an editor does for a paste) and wait for the diagnostics that follow."""
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await diagnostics_of(client, uri)


def shown(diagnostics: list[lsp.Diagnostic]) -> list[tuple[object, int, int, int, int, str]]:
    return [
        (
            d.code,
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message[:40],
        )
        for d in diagnostics
    ]


def apply_edits(text: str, edits: list[lsp.TextEdit]) -> str:
    """The text with LSP edits applied, columns counted in UTF-16 code units (written apart from the
    server's own conversion, so that the two check each other)."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(position: lsp.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = line.encode("utf-16-le")[: 2 * position.character].decode("utf-16-le")
        return before + len(units)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def hooklint_fix(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hooklint", "fix", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.asyncio
async def test_diagnostics_of_the_demo_are_lints_findings_with_exact_ranges(
    client: LanguageClient, workspace: Path
) -> None:
    uri = await open_file(client, workspace / "migrate.yaml")
    assert shown(client.diagnostics[uri]) == [
        ("HL101", 9, 43, 9, 56, "Job/db-migrate is a named hook (PreSync "),
        ("HL201", 22, 22, 22, 33, "Job/db-migrate runs in PreSync wave 0 bu"),
        ("HL201", 24, 22, 24, 36, "Job/db-migrate runs in PreSync wave 0 bu"),
    ]
    first = client.diagnostics[uri][0]
    assert (first.source, first.severity) == ("hooklint", lsp.DiagnosticSeverity.Error)
    assert first.code_description is not None
    assert first.code_description.href.endswith("/rules/HL101-named-hook-without-before-hook-creation/")
    other = await open_file(client, workspace / "config.yaml")
    assert list(client.diagnostics[other]) == []
    assert [r.method for r in client.registered] == ["workspace/didChangeWatchedFiles"]  # type: ignore[attr-defined]


TEAM_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: report
  namespace: reports
  annotations:
    argocd.argoproj.io/hook: PostSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  activeDeadlineSeconds: 600
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: report, image: "busybox:1.36"}
"""


@pytest.mark.asyncio
async def test_each_file_is_analysed_with_its_own_application_as_lint_finds_it(
    client: LanguageClient, workspace: Path
) -> None:
    # Without configuration, the two teams' folders are applications of their own (a directory source does
    # not take its subfolders): the same Job in both is no duplicate (HL004), as `hooklint lint` says too.
    for team in ("team-a", "team-b"):
        (workspace / team).mkdir()
        (workspace / team / "job.yaml").write_text(TEAM_JOB)
    lint = subprocess.run(
        [sys.executable, "-m", "hooklint", "lint", "--format", "json", "."],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    expected = [
        (f["rule"], f["line"] - 1)
        for f in json.loads(lint.stdout)["findings"]
        if f["file"] == "team-a/job.yaml"
    ]
    uri = await open_file(client, workspace / "team-a" / "job.yaml")
    found = [(d.code, d.range.start.line) for d in client.diagnostics[uri]]
    assert found == expected == [("HL110", 6)]


@pytest.mark.asyncio
async def test_diagnostics_use_the_unsaved_buffer_and_clear_when_fixed(
    client: LanguageClient, workspace: Path
) -> None:
    migrate = workspace / "migrate.yaml"
    uri = await open_file(client, migrate)
    text = migrate.read_text("utf-8")
    fixed = text.replace("hook-delete-policy: HookSucceeded", "hook-delete-policy: BeforeHookCreation")
    found = await replace_text(client, uri, 2, fixed)
    assert [d.code for d in found] == ["HL201", "HL201"]
    # The ConfigMap the Job needs moves to PreSync in the buffer of another file: the Job's findings go.
    config_uri = await open_file(client, workspace / "config.yaml")
    config = (workspace / "config.yaml").read_text("utf-8")
    wave = '    argocd.argoproj.io/sync-wave: "0"\ndata:'
    assert wave in config
    earlier = config.replace(
        wave, '    argocd.argoproj.io/sync-wave: "-5"\n    argocd.argoproj.io/hook: PreSync\ndata:', 1
    )
    client.diagnostics.pop(uri, None)
    await replace_text(client, config_uri, 2, earlier)
    assert [d.code for d in await diagnostics_of(client, uri)] == ["HL201"]
    assert migrate.read_text("utf-8") == text  # nothing written


@pytest.mark.asyncio
async def test_a_broken_document_is_reported_and_the_server_recovers(
    client: LanguageClient, workspace: Path
) -> None:
    migrate_uri = await open_file(client, workspace / "migrate.yaml")
    api = workspace / "api.yaml"
    uri = await open_file(client, api)
    text = api.read_text("utf-8")
    broken = await replace_text(client, uri, 2, text + "  bad: [unclosed\n\t- ]]:\n")
    assert [d.code for d in broken] == ["HL001"]
    # The other file keeps its findings, and every request still answers.
    assert [d.code for d in client.diagnostics[migrate_uri]] == ["HL101", "HL201", "HL201"]
    # The documents before the broken one still read: the Deployment keeps its lens and hover, the
    # Service after it is gone.
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri)))
    assert [lens.command.title for lens in lenses or [] if lens.command] == ["Sync · wave 2 · step 4 of 6"]
    assert (await hover_text(client, uri, 1, 0)).startswith(
        "**Deployment/api** · Sync · wave 2 · step 4 of 6"
    )
    assert await replace_text(client, uri, 3, text) == []
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri)))
    assert [lens.command.title for lens in lenses or [] if lens.command] == [
        "Sync · wave 2 · step 4 of 6",
        "Sync · wave 2 · step 4 of 6",
    ]


@pytest.mark.asyncio
async def test_code_lens_at_the_top_of_each_document(client: LanguageClient, workspace: Path) -> None:
    titles = {}
    for name in ("migrate.yaml", "database.yaml", "notify-failure.yaml"):
        uri = await open_file(client, workspace / name)
        lenses = await client.text_document_code_lens_async(
            lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri))
        )
        titles[name] = [(lens.range.start.line, lens.command.title) for lens in lenses or [] if lens.command]
    assert titles == {
        "migrate.yaml": [(2, "PreSync · wave 0 · step 1 of 6")],
        "database.yaml": [(1, "Sync · wave 1 · step 3 of 6"), (14, "Sync · wave 1 · step 3 of 6")],
        "notify-failure.yaml": [(1, "SyncFail · when a step fails (waves ignored)")],
    }


@pytest.mark.asyncio
async def test_code_lens_of_a_skipped_object(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "skipped.yaml"
    path.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n  namespace: shop\n"
        "  annotations:\n    argocd.argoproj.io/hook: Skip\n",
        "utf-8",
    )
    uri = await open_file(client, path)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri)))
    assert [(lens.range.start.line, lens.command.title) for lens in lenses or [] if lens.command] == [
        (0, "not applied: Skip")
    ]


async def hover_text(client: LanguageClient, uri: str, line: int, character: int) -> str:
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(line, character))
    )
    assert hover is not None
    assert isinstance(hover.contents, lsp.MarkupContent)
    return hover.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_resource_shows_its_place_in_the_plan(
    client: LanguageClient, workspace: Path
) -> None:
    uri = await open_file(client, workspace / "database.yaml")
    lines = (workspace / "database.yaml").read_text("utf-8").splitlines()
    kind = lines.index("kind: StatefulSet")
    expected = (
        "**StatefulSet/postgres** · Sync · wave 1 · step 3 of 6\n\n"
        "Applied after step 2 (Sync wave 0): Secret/db-credentials, ConfigMap/shop-config; "
        "in its step after Service/postgres\n\n"
        "Then: 2 s delay, then waits until healthy or complete: StatefulSet/postgres rolled out\n\n"
        "Needs: Namespace/shop (PreSync wave 0, step 1 of 6; namespace.yaml:2); "
        "Secret/db-credentials (Sync wave 0, step 2 of 6; config.yaml:14)"
    )
    assert await hover_text(client, uri, kind, 2) == expected
    name = next(n for n, line in enumerate(lines) if n > kind and line.startswith("  name: postgres"))
    assert await hover_text(client, uri, name, 10) == expected


@pytest.mark.asyncio
async def test_hover_on_hook_annotations_says_what_argo_cd_reads(
    client: LanguageClient, workspace: Path
) -> None:
    path = workspace / "warm.yaml"
    path.write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: warm\n  namespace: shop\n  annotations:\n"
        "    argocd.argoproj.io/hook: PostSync,Postsync\n"
        "    argocd.argoproj.io/sync-wave: 'two'\n"
        "    helm.sh/hook-weight: '3'\n"
        "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
        "      containers:\n        - name: warm\n          image: busybox:1.36\n",
        "utf-8",
    )
    uri = await open_file(client, path)
    assert await hover_text(client, uri, 6, 8) == (
        "**argocd.argoproj.io/hook**: `PostSync,Postsync`\n\n"
        "Argo CD reads hook types: PostSync\n\n"
        "`Postsync`: not a value Argo CD knows: ignored\n\n"
        "Delete policies in force: BeforeHookCreation (the default: no valid policy is given)"
    )
    assert await hover_text(client, uri, 7, 40) == (
        "**argocd.argoproj.io/sync-wave**: `two`\n\n"
        "Wave used: 3 (from helm.sh/hook-weight)\n\n"
        "`two` is not an integer as Argo CD reads one (Go's strconv.Atoi): ignored"
    )


@pytest.mark.asyncio
async def test_hover_and_definition_on_a_reference(client: LanguageClient, workspace: Path) -> None:
    uri = await open_file(client, workspace / "migrate.yaml")
    lines = (workspace / "migrate.yaml").read_text("utf-8").splitlines()
    assert lines[22].strip() == "name: shop-config"
    assert await hover_text(client, uri, 22, 24) == (
        "**envFrom configMapRef**: reference to ConfigMap/shop-config (Sync wave 0, step 2 of 6; config.yaml:2)"
        "\n\nJob/db-migrate: PreSync · wave 0 · step 1 of 6"
    )
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(22, 24))
    )
    assert isinstance(found, list)
    config = (workspace / "config.yaml").as_uri()
    assert [(loc.uri, loc.range.start.line, loc.range.start.character) for loc in found] == [(config, 1, 0)]
    assert found[0].range.end.line == 12
    nothing = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(1, 2))
    )
    assert nothing is None


@pytest.mark.asyncio
async def test_document_symbols_list_the_files_resources(client: LanguageClient, workspace: Path) -> None:
    uri = await open_file(client, workspace / "database.yaml")
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(lsp.TextDocumentIdentifier(uri))
    )
    assert symbols is not None
    assert [
        (
            s.name,
            s.detail,
            s.range.start.line,
            s.selection_range.start.line,
            s.selection_range.start.character,
        )
        for s in symbols
        if isinstance(s, lsp.DocumentSymbol)
    ] == [
        ("Service/postgres", "Sync · wave 1 · step 3 of 6", 1, 4, 8),
        ("StatefulSet/postgres", "Sync · wave 1 · step 3 of 6", 14, 17, 8),
    ]


async def actions_at(client: LanguageClient, uri: str, line: int) -> list[lsp.CodeAction]:
    found = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(line, 0), lsp.Position(line, 200)),
            lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    return [action for action in found or [] if isinstance(action, lsp.CodeAction)]


def edits_of(action: lsp.CodeAction, uri: str) -> list[lsp.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    assert list(action.edit.changes) == [uri]
    return [edit for edit in action.edit.changes[uri] if isinstance(edit, lsp.TextEdit)]


@pytest.mark.asyncio
async def test_code_actions_make_the_edit_hooklint_fix_makes(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    migrate = workspace / "migrate.yaml"
    text = migrate.read_text("utf-8")
    uri = await open_file(client, migrate)
    actions = await actions_at(client, uri, 9)
    assert [a.title for a in actions] == [
        "HL101: Add BeforeHookCreation to argocd.argoproj.io/hook-delete-policy",
        "Suppress HL101 on this line",
        "Suppress HL101 for this document",
    ]
    fixed = apply_edits(text, edits_of(actions[0], uri))
    other = copy_demo(tmp_path / "by-fix")
    hooklint_fix(other)
    assert fixed == (other / "migrate.yaml").read_text("utf-8")
    assert fixed != text
    on_line = apply_edits(text, edits_of(actions[1], uri))
    assert on_line.splitlines()[9:11] == [
        "    # hooklint: ignore HL101 -- <reason>",
        "    argocd.argoproj.io/hook-delete-policy: HookSucceeded",
    ]
    for_document = apply_edits(text, edits_of(actions[2], uri))
    assert for_document.splitlines()[:2] == [
        "# hooklint: ignore-document HL101 -- <reason>",
        text.splitlines()[0],
    ]
    # Each suppression does what it says.
    assert [d.code for d in await replace_text(client, uri, 2, on_line)] == ["HL201", "HL201"]
    assert [d.code for d in await replace_text(client, uri, 3, for_document)] == ["HL201", "HL201"]


@pytest.mark.asyncio
async def test_code_action_edits_count_columns_in_utf16_and_match_hooklint_fix(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    manifest = (
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: rocket\n  namespace: shop\n"
        '  annotations: {note: "🚀🚀 é", argocd.argoproj.io/hook: Presync, '
        "argocd.argoproj.io/hook-delete-policy: BeforeHookCreation}\n"
        "spec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 60\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n        - name: go\n"
        "          image: busybox@sha256:" + "a" * 64 + "\n"
        "          resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 100m, memory: 64Mi}}\n"
    )
    (workspace / "rocket.yaml").write_text(manifest, "utf-8")
    uri = await open_file(client, workspace / "rocket.yaml")
    hl010 = [d for d in client.diagnostics[uri] if d.code == "HL010"]
    assert [(d.range.start.line, d.range.start.character, d.range.end.character) for d in hl010] == [
        (5, 57, 64)
    ]  # 55 characters before, two of them beyond the BMP
    actions = await actions_at(client, uri, 5)
    fix = next(a for a in actions if a.title.startswith("HL010"))
    fixed = apply_edits(manifest, edits_of(fix, uri))
    other = tmp_path / "by-fix"
    other.mkdir()
    (other / "rocket.yaml").write_text(manifest, "utf-8")
    hooklint_fix(other, "--select", "HL010", "--unsafe-fixes")
    assert fixed == (other / "rocket.yaml").read_text("utf-8")
    assert "argocd.argoproj.io/hook: PreSync," in fixed


@pytest.mark.asyncio
async def test_fix_all_gives_the_file_hooklint_fix_writes(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    migrate = workspace / "migrate.yaml"
    text = migrate.read_text("utf-8")
    uri = await open_file(client, migrate)
    found = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
            lsp.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    actions = [a for a in found or [] if isinstance(a, lsp.CodeAction)]
    assert [a.title for a in actions] == ["hooklint: apply every safe fix"]
    other = copy_demo(tmp_path / "by-fix")
    hooklint_fix(other)
    assert apply_edits(text, edits_of(actions[0], uri)) == (other / "migrate.yaml").read_text("utf-8")


@pytest.mark.asyncio
async def test_configuration_changes_are_read_again(client: LanguageClient, workspace: Path) -> None:
    uri = await open_file(client, workspace / "migrate.yaml")
    (workspace / ".hooklint.yaml").write_text("ignore: [HL201]\n", "utf-8")
    client.diagnostics.pop(uri, None)
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            [lsp.FileEvent((workspace / ".hooklint.yaml").as_uri(), lsp.FileChangeType.Created)]
        )
    )
    assert [d.code for d in await diagnostics_of(client, uri)] == ["HL101"]


@pytest.mark.asyncio
async def test_a_file_changed_on_disk_is_read_again(client: LanguageClient, workspace: Path) -> None:
    uri = await open_file(client, workspace / "migrate.yaml")
    config = workspace / "config.yaml"
    wave = '    argocd.argoproj.io/sync-wave: "0"\ndata:'
    config.write_text(
        config.read_text("utf-8").replace(
            wave, '    argocd.argoproj.io/sync-wave: "-5"\n    argocd.argoproj.io/hook: PreSync\ndata:', 1
        ),
        "utf-8",
    )
    client.diagnostics.pop(uri, None)
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams([lsp.FileEvent(config.as_uri(), lsp.FileChangeType.Changed)])
    )
    assert [d.code for d in await diagnostics_of(client, uri)] == ["HL101", "HL201"]


HELM_JOB = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: scratch, namespace: shop}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: seed
  namespace: shop
  annotations:
    helm.sh/hook: pre-install,test
    helm.sh/hook-delete-policy: hook-succeeded
spec:
  template:
    spec:
      restartPolicy: Never
      serviceAccountName: seeder
      containers: [{name: seed, image: busybox:1.36}]
      volumes:
        - name: scratch
          persistentVolumeClaim: {claimName: scratch}
"""


@pytest.mark.asyncio
async def test_hover_on_helm_hook_annotations_and_on_more_references(
    client: LanguageClient, workspace: Path
) -> None:
    (workspace / "seed.yaml").write_text(HELM_JOB, "utf-8")
    uri = await open_file(client, workspace / "seed.yaml")
    assert await hover_text(client, uri, 11, 6) == (
        "**helm.sh/hook**: `pre-install,test`\n\n"
        "Argo CD maps pre-install → PreSync\n\n"
        "Argo CD reads hook types: PreSync\n\n"
        "`test`: a Helm hook Argo CD does not map: ignored\n\n"
        "Delete policies in force: HookSucceeded"
    )
    assert await hover_text(client, uri, 12, 6) == (
        "**helm.sh/hook-delete-policy**: `hook-succeeded`\n\n"
        "Argo CD maps hook-succeeded → HookSucceeded\n\n"
        "Delete policies in force: HookSucceeded"
    )
    assert await hover_text(client, uri, 17, 28) == (
        "**serviceAccountName**: reference to ServiceAccount/seeder (not in this application)"
        "\n\nJob/seed: PreSync · wave 0 · step 1 of 6"
    )
    assert await hover_text(client, uri, 21, 46) == (
        "**volume persistentVolumeClaim**: reference to PersistentVolumeClaim/scratch "
        "(Sync wave 0, step 2 of 6; seed.yaml:1)\n\nJob/seed: PreSync · wave 0 · step 1 of 6"
    )
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(21, 46))
    )
    assert isinstance(found, list)
    assert [(loc.uri, loc.range.start.line) for loc in found] == [(uri, 0)]
    failure = await open_file(client, workspace / "notify-failure.yaml")
    assert await hover_text(client, failure, 21, 25) == (
        "**env secretKeyRef**: reference to Secret/team-webhook (not in this application)"
        "\n\nJob/notify-failure: SyncFail · when a step fails (waves ignored)"
    )


MIXED = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: mixed
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: Skip,PostSync
    argocd.argoproj.io/sync-wave: 5
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 60
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: go
          image: busybox:1.36
"""


@pytest.mark.asyncio
async def test_safe_fixes_come_first_and_unsafe_ones_are_labelled(
    client: LanguageClient, workspace: Path, tmp_path: Path
) -> None:
    (workspace / "mixed.yaml").write_text(MIXED, "utf-8")
    uri = await open_file(client, workspace / "mixed.yaml")
    found = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            lsp.Range(lsp.Position(6, 0), lsp.Position(7, 40)),
            lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    fixes = [a for a in found or [] if isinstance(a, lsp.CodeAction) and a.title.startswith("HL0")]
    assert [(a.title, a.is_preferred) for a in fixes] == [
        ('HL013: Quote the value: "5"', True),
        ("HL015: Remove Skip, keeping the hook running as it does today (unsafe)", False),
    ]
    for action, args in zip(
        fixes, (["--select", "HL013"], ["--select", "HL015", "--unsafe-fixes"]), strict=True
    ):
        other = tmp_path / f"by-fix-{args[1]}"
        other.mkdir()
        (other / "mixed.yaml").write_text(MIXED, "utf-8")
        hooklint_fix(other, *args)
        assert apply_edits(MIXED, edits_of(action, uri)) == (other / "mixed.yaml").read_text("utf-8")
        assert (other / "mixed.yaml").read_text("utf-8") != MIXED


@pytest.mark.asyncio
async def test_typing_with_the_debounce_publishes_the_last_texts_diagnostics(
    client: LanguageClient, workspace: Path
) -> None:
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams({"hooklint": {"debounceMs": 50, "codeLens": False}})
    )
    migrate = workspace / "migrate.yaml"
    uri = await open_file(client, migrate)
    text = migrate.read_text("utf-8")
    typed = [
        text.replace("hook: PreSync", "hook: Pre"),
        text.replace("hook: PreSync", "hook: PreSyn"),
        text.replace("hook-delete-policy: HookSucceeded", "hook-delete-policy: BeforeHookCreation"),
    ]
    for version, each in enumerate(typed, start=2):
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [lsp.TextDocumentContentChangeWholeDocument(text=each)],
            )
        )

    async def settled() -> None:
        while [d.code for d in client.diagnostics.get(uri, ())] != ["HL201", "HL201"]:
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(settled(), 60)
    lenses = await client.text_document_code_lens_async(lsp.CodeLensParams(lsp.TextDocumentIdentifier(uri)))
    assert lenses is None  # codeLens: false
