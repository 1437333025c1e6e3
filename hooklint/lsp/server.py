"""The language server over stdio (pygls): diagnostics, hover, code lens, code actions, definitions and
document symbols for the YAML files of the workspace (docs/lsp.md)."""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from hooklint import __version__
from hooklint.config.settings import ConfigError
from hooklint.lsp import describe
from hooklint.lsp.analysis import Analysis, Workspace, display_path, fix_alone, fixed_texts, is_manifest
from hooklint.lsp.positions import Lines, Position
from hooklint.model import Edit, Finding, Severity, Span

SOURCE = "hooklint"
FIX_ALL = "source.fixAll.hooklint"
PAGES = "https://hooklint.github.io/hooklint/rules/"
CONFIG_NAMES = (".hooklint.yaml", ".hooklint.yml", "pyproject.toml")
_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


class HooklintServer(LanguageServer):
    """The server's state: the workspace, its options, and the analyses waiting out their debounce."""

    def __init__(self) -> None:
        super().__init__(
            "hooklint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental
        )
        self.workspace_state = Workspace(tell=self.log)
        self.debounce = 0.05  # docs/lsp.md#settings: debounceMs
        self.code_lens = True
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.ready = False

    def lines(self, text: str) -> Lines:
        """`text`'s lines, positions counted in the encoding agreed with the client."""
        encoding = self.workspace.position_encoding
        if isinstance(encoding, lsp.PositionEncodingKind):
            encoding = encoding.value
        return Lines(text, encoding or "utf-16")

    def log(self, line: str) -> None:
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Log, line))

    def configure(self, options: Any) -> None:
        """The settings of docs/lsp.md#settings; a key left out keeps its value."""
        if not isinstance(options, dict):
            return
        if "configFile" in options:
            given = options["configFile"]
            self.workspace_state.config_file = given if isinstance(given, str) and given else None
        debounce = options.get("debounceMs")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and debounce >= 0:
            self.debounce = debounce / 1000
        if isinstance(options.get("codeLens"), bool):
            self.code_lens = options["codeLens"]

    def reload_settings(self) -> None:
        try:
            self.workspace_state.reload_settings()
        except ConfigError as error:
            self.window_show_message(
                lsp.ShowMessageParams(lsp.MessageType.Error, f"hooklint: {error}: the previous settings stay")
            )
            self.workspace_state.forget()

    def path_of(self, uri: str) -> str | None:
        """The display path of a document of the workspace, or None (another scheme, outside it, not YAML)."""
        fs_path = to_fs_path(uri)
        if fs_path is None or not is_manifest(fs_path):
            return None
        return display_path(fs_path)

    def sync_buffers(self) -> None:
        buffers = {}
        for uri, document in self.workspace.text_documents.items():
            path = self.path_of(uri)
            if path is not None:
                buffers[path] = document.source
        self.workspace_state.buffers = buffers

    def analyse(self, uri: str) -> Analysis | None:
        """The analysis of the document's application with every open buffer; None when there is none, or
        when analysing failed (logged: the previous diagnostics stay)."""
        path = self.path_of(uri)
        if path is None or not self.ready:
            return None
        self.sync_buffers()
        try:
            return self.workspace_state.analyse(path)
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            self.log(
                f"hooklint: analysing {path} failed: {type(error).__name__}: {error} "
                f"({os.path.basename(where.filename)}:{where.lineno})"
            )
            return None

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Analyse the document's application and publish once `delay` (the debounce) passed without change."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(self.debounce if delay is None else delay, self.publish, uri)

    def publish(self, uri: str) -> None:
        """Publish the diagnostics of every open document of the application that holds `uri`."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return
        analysis = self.analyse(uri)
        if analysis is None:
            if self.path_of(uri) is None:
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
            return
        for other, document in list(self.workspace.text_documents.items()):
            path = self.path_of(other)
            if path is None or (other != uri and path not in analysis.load.texts):
                continue
            lines = self.lines(document.source)
            found = [diagnostic(f, lines, analysis.load.texts) for f in analysis.findings_in(path)]
            version = document.version
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(other, found, version))

    def publish_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri)


def uri_of(path: str) -> str:
    return from_fs_path(os.path.abspath(path)) or path


def to_range(span: Span, lines: Lines) -> lsp.Range:
    start, end = lines.at(span.line, span.column), lines.at(span.end_line, span.end_column)
    return lsp.Range(lsp.Position(*start), lsp.Position(*end))


def diagnostic(finding: Finding, lines: Lines, texts: Mapping[str, str] | None = None) -> lsp.Diagnostic:
    """The finding as the editor shows it; `texts` (the analysed files, buffers included) place its related
    locations in other files."""
    related = [
        lsp.DiagnosticRelatedInformation(
            lsp.Location(uri_of(item.span.path), _related_range(item.span, lines, finding.span.path, texts)),
            item.message,
        )
        for item in finding.related
    ]
    return lsp.Diagnostic(
        range=to_range(finding.span, lines),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.rule,
        code_description=lsp.CodeDescription(f"{PAGES}{finding.rule}-{finding.name}/"),
        source=SOURCE,
        related_information=related or None,
    )


def _related_range(span: Span, lines: Lines, own: str, texts: Mapping[str, str] | None) -> lsp.Range:
    """A related place, in the finding's own file or another one the analysis read; elsewhere (a file
    outside the application), columns as characters, which differ from UTF-16 only past the BMP."""
    if span.path == own:
        return to_range(span, lines)
    text = texts.get(span.path) if texts is not None else None
    if text is not None:
        return to_range(span, _lines_of_text(text, lines.encoding))
    return lsp.Range(
        lsp.Position(span.line - 1, span.column - 1), lsp.Position(span.end_line - 1, span.end_column - 1)
    )


@functools.lru_cache(maxsize=16)
def _lines_of_text(text: str, encoding: str) -> Lines:
    """Another file's lines, split once for all the related locations a publication places in it."""
    return Lines(text, encoding)


def text_edit(edit: Edit, lines: Lines) -> lsp.TextEdit:
    start, end = lines.position(edit.start), lines.position(edit.end)
    return lsp.TextEdit(lsp.Range(lsp.Position(*start), lsp.Position(*end)), edit.text)


server = HooklintServer()


@server.feature(lsp.INITIALIZE)
def initialize(ls: HooklintServer, params: lsp.InitializeParams) -> None:
    folders = params.workspace_folders or []
    root = to_fs_path(folders[0].uri) if folders else None
    if root is None and params.root_uri:
        root = to_fs_path(params.root_uri)
    if root is None:
        root = params.root_path
    if root and os.path.isdir(root):
        os.chdir(root)
    ls.configure(params.initialization_options)


@server.feature(lsp.INITIALIZED)
async def initialized(ls: HooklintServer, params: lsp.InitializedParams) -> None:
    ls.reload_settings()
    ls.ready = True
    ls.publish_all()
    capabilities = ls.client_capabilities
    watched = capabilities.workspace.did_change_watched_files if capabilities.workspace else None
    if watched is not None and watched.dynamic_registration:
        watchers = [
            lsp.FileSystemWatcher(glob_pattern=pattern)
            for pattern in (
                "**/*.yaml",
                "**/*.yml",
                "**/.hooklint.yaml",
                "**/.hooklint.yml",
                "**/pyproject.toml",
            )
        ]
        registration = lsp.Registration(
            id="hooklint-watched-files",
            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams([registration]))
        except Exception as error:  # the client said it could, and did not: saving still reads a file again
            ls.log(f"hooklint: the client refused to watch files: {error}")


@server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: HooklintServer, params: lsp.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get("hooklint"), dict):
        ls.configure(settings["hooklint"])
        ls.reload_settings()
        ls.publish_all()


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: HooklintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    names = [os.path.basename(to_fs_path(change.uri) or "") for change in params.changes]
    if any(name in CONFIG_NAMES for name in names):
        ls.reload_settings()
    else:
        created = any(change.type != lsp.FileChangeType.Changed for change in params.changes)
        ls.workspace_state.forget(layout=created)
    ls.publish_all()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: HooklintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: HooklintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: HooklintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: HooklintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    waiting = ls.pending.pop(uri, None)
    if waiting is not None:
        waiting.cancel()
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
    # The other open files of its application read it from disk again.
    ls.publish_all()


def _place(
    ls: HooklintServer, uri: str, position: lsp.Position
) -> tuple[Analysis, describe.Place, Lines] | None:
    analysis = ls.analyse(uri)
    path = ls.path_of(uri)
    if analysis is None or path is None:
        return None
    lines = ls.lines(ls.workspace.get_text_document(uri).source)
    line, column = lines.mark(Position(position.line, position.character))
    place = describe.place_at(analysis.resources_in(path), line, column)
    return None if place is None else (analysis, place, lines)


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: HooklintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = _place(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    analysis, place, _ = found
    path = place.path
    text = None
    if len(path) >= 3 and path[:2] == ("metadata", "annotations") and isinstance(path[2], str):
        text = describe.annotation_hover(analysis, place.resource, path[2])
    if text is None:
        reference = describe.reference_at(analysis, place)
        if reference is not None:
            text = describe.reference_hover(analysis, reference)
    if text is None:
        text = describe.resource_hover(analysis, place.resource)
    return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text))


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: HooklintServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    found = _place(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    analysis, place, _ = found
    reference = describe.reference_at(analysis, place)
    if reference is None:
        return None
    targets = analysis.graph.resources(reference.target)
    return [_location(ls, target.path, Span.of_node(target.path, target.node)) for target in targets] or None


def _location(ls: HooklintServer, path: str, span: Span) -> lsp.Location:
    uri = uri_of(path)
    return lsp.Location(uri, to_range(span, _lines_of(ls, uri, path)))


def _lines_of(ls: HooklintServer, uri: str, path: str) -> Lines:
    """The lines of a file as the editor has it: its buffer when open, else the disk."""
    document = ls.workspace.text_documents.get(uri)
    if document is not None:
        return ls.lines(document.source)
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            return ls.lines(file.read())
    except (OSError, UnicodeDecodeError):
        return ls.lines("")


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: HooklintServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    uri = params.text_document.uri
    analysis, path = ls.analyse(uri), ls.path_of(uri)
    if analysis is None or path is None:
        return None
    lines = ls.lines(ls.workspace.get_text_document(uri).source)
    symbols = []
    for resource in analysis.resources_in(path):
        whole = to_range(Span.of_node(path, resource.node), lines)
        name_node = resource.node_at(("metadata", "name")) or resource.node_at(("metadata", "generateName"))
        chosen = to_range(Span.of_node(path, name_node), lines) if name_node is not None else whole
        symbols.append(
            lsp.DocumentSymbol(
                name=resource.label,
                kind=lsp.SymbolKind.Object,
                range=whole,
                selection_range=chosen,
                detail=describe.lens(analysis, resource),
            )
        )
    return symbols


@server.feature(lsp.TEXT_DOCUMENT_CODE_LENS)
def code_lens(ls: HooklintServer, params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
    uri = params.text_document.uri
    analysis, path = ls.analyse(uri), ls.path_of(uri)
    if analysis is None or path is None or not ls.code_lens:
        return None
    lines = ls.lines(ls.workspace.get_text_document(uri).source)
    lenses = []
    for resource in analysis.resources_in(path):
        start = lines.at(resource.node.start_mark.line + 1, 1)
        where = lsp.Range(lsp.Position(*start), lsp.Position(*start))
        lenses.append(lsp.CodeLens(where, lsp.Command(describe.lens(analysis, resource), "")))
    return lenses


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]),
)
def code_action(ls: HooklintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
    uri = params.text_document.uri
    analysis, path = ls.analyse(uri), ls.path_of(uri)
    if analysis is None or path is None:
        return None
    text = ls.workspace.get_text_document(uri).source
    lines = ls.lines(text)
    asked = params.context.only
    actions: list[lsp.CodeAction] = []
    if not asked or any(kind.startswith(lsp.CodeActionKind.QuickFix) for kind in asked):
        here = [f for f in analysis.findings_in(path) if _overlaps(to_range(f.span, lines), params.range)]
        actions += _fixes(analysis, here, uri, lines)
        actions += _suppressions(here, uri, text, lines)
    # Only when asked for by kind: a request without `only` comes with every move of the cursor, and fixing
    # the whole application lints it a few times.
    if asked and any(FIX_ALL.startswith(kind) for kind in asked):
        actions += _fix_all(analysis, path, uri, text, lines)
    return actions


def _overlaps(one: lsp.Range, other: lsp.Range) -> bool:
    def key(position: lsp.Position) -> tuple[int, int]:
        return (position.line, position.character)

    return key(one.start) <= key(other.end) and key(other.start) <= key(one.end)


def _fixes(analysis: Analysis, here: Sequence[Finding], uri: str, lines: Lines) -> list[lsp.CodeAction]:
    """Each finding's fix as `hooklint fix` applies it: safe ones first, unsafe ones labelled."""
    actions = []
    fixable = [f for f in here if f.fix is not None]
    for finding in sorted(fixable, key=lambda f: not (f.fix and f.fix.safe)):
        applied = fix_alone(analysis, finding)
        if applied is None or applied.fix is None:
            continue
        fix = applied.fix
        edits = [text_edit(edit, lines) for edit in fix.edits if edit.path == finding.span.path]
        if len(edits) != len(fix.edits):
            continue  # a fix that edits another file too is left to `hooklint fix`
        title = f"{finding.rule}: {fix.title}" + ("" if fix.safe else " (unsafe)")
        actions.append(
            lsp.CodeAction(
                title,
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic(finding, lines)],
                is_preferred=fix.safe,
                edit=lsp.WorkspaceEdit(changes={uri: edits}),
            )
        )
    return actions


def _suppressions(here: Sequence[Finding], uri: str, text: str, lines: Lines) -> list[lsp.CodeAction]:
    """A `# hooklint: ignore` comment above the finding's line, and an `ignore-document` one at the top of
    its document, each with a reason to complete (config/suppress.py reads them)."""
    actions = []
    for rule in dict.fromkeys(f.rule for f in here):
        finding = next(f for f in here if f.rule == rule)
        line = finding.span.line - 1
        start = lines.starts[line] if line < len(lines.starts) else len(text)
        current = text[
            start : lines.offset(Position(line + 1, 0)) if line + 1 < len(lines.starts) else len(text)
        ]
        indent = current[: len(current) - len(current.lstrip(" "))]
        at = lsp.Position(line, 0)
        edit = lsp.TextEdit(lsp.Range(at, at), f"{indent}# hooklint: ignore {rule} -- <reason>\n")
        actions.append(_suppression(f"Suppress {rule} on this line", finding, uri, edit, lines))
        top = _document_top(text, lines, line)
        edit = lsp.TextEdit(lsp.Range(top, top), f"# hooklint: ignore-document {rule} -- <reason>\n")
        actions.append(_suppression(f"Suppress {rule} for this document", finding, uri, edit, lines))
    return actions


def _suppression(title: str, finding: Finding, uri: str, edit: lsp.TextEdit, lines: Lines) -> lsp.CodeAction:
    return lsp.CodeAction(
        title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(finding, lines)],
        edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
    )


def _document_top(text: str, lines: Lines, line: int) -> lsp.Position:
    """Where a comment covers the whole document holding 0-based `line`: after its `---`, else the file's
    first line."""
    for number in range(min(line, len(lines.starts) - 1), -1, -1):
        start = lines.starts[number]
        head = text[start : start + 4]
        if head.rstrip("\r\n") == "---" or head.startswith(("--- ", "---\t")):
            return lsp.Position(number + 1, 0)
    return lsp.Position(0, 0)


def _fix_all(analysis: Analysis, path: str, uri: str, text: str, lines: Lines) -> list[lsp.CodeAction]:
    """Every safe fix of the application, as `hooklint fix` makes them, for this file: one edit that
    replaces what changed."""
    fixed = fixed_texts(analysis).get(path)
    if fixed is None or fixed == text:
        return []
    prefix = 0
    limit = min(len(text), len(fixed))
    while prefix < limit and text[prefix] == fixed[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and text[-1 - suffix] == fixed[-1 - suffix]:
        suffix += 1
    edit = Edit(path, prefix, len(text) - suffix, fixed[prefix : len(fixed) - suffix])
    return [
        lsp.CodeAction(
            "hooklint: apply every safe fix",
            kind=FIX_ALL,
            edit=lsp.WorkspaceEdit(changes={uri: [text_edit(edit, lines)]}),
        )
    ]


def serve() -> int:
    """Serve on standard input and output until the client ends the session; 0 after a clean exit."""
    # A long-lived process: cycles are collected as usual (the command line turns the collector off).
    gc.enable()
    out = sys.stdout.buffer
    # Nothing but the protocol may reach standard output: a stray print goes to standard error.
    sys.stdout = sys.stderr
    server.start_io(sys.stdin.buffer, out)
    return 0
