import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_SETTINGS } from "../src/settings";
import { locateExecutable, serverCommand, type Environment } from "../src/server";

const linux = (path: string): Environment => ({ path, pathExt: undefined, platform: "linux" });

test("the default runs `hooklint lsp` from the workspace folder", () => {
    assert.deepEqual(serverCommand(DEFAULT_SETTINGS, "/repo", "linux"), {
        command: "hooklint",
        args: ["lsp"],
        cwd: "/repo",
    });
});

test("extra arguments follow `lsp`; without a folder there is no cwd", () => {
    const settings = { ...DEFAULT_SETTINGS, path: "/opt/hooklint/bin/hooklint", args: ["--log-level", "debug"] };
    assert.deepEqual(serverCommand(settings, undefined, "linux"), {
        command: "/opt/hooklint/bin/hooklint",
        args: ["lsp", "--log-level", "debug"],
    });
});

test("a relative path with a folder in it is taken from the workspace folder", () => {
    const settings = { ...DEFAULT_SETTINGS, path: ".venv/bin/hooklint" };
    assert.equal(serverCommand(settings, "/repo", "linux").command, "/repo/.venv/bin/hooklint");
});

test("a relative Windows path is taken from the workspace folder", () => {
    const settings = { ...DEFAULT_SETTINGS, path: ".venv\\Scripts\\hooklint.exe" };
    assert.equal(serverCommand(settings, "C:\\repo", "win32").command, "C:\\repo\\.venv\\Scripts\\hooklint.exe");
});

test("a bare name is found in the first PATH folder that has it", () => {
    const files = new Set(["/usr/bin/hooklint", "/home/me/.local/bin/hooklint"]);
    assert.equal(
        locateExecutable("hooklint", linux("/bin::/home/me/.local/bin:/usr/bin"), (file) => files.has(file)),
        "/home/me/.local/bin/hooklint",
    );
});

test("a bare name on no PATH folder is missing", () => {
    assert.equal(locateExecutable("hooklint", linux("/bin:/usr/bin"), () => false), undefined);
    assert.equal(locateExecutable("hooklint", { ...linux(""), path: undefined }, () => true), undefined);
});

test("a path is checked as it is, not looked up on PATH", () => {
    const asked: string[] = [];
    const found = locateExecutable("/repo/.venv/bin/hooklint", linux("/usr/bin"), (file) => {
        asked.push(file);
        return false;
    });
    assert.deepEqual([found, asked], [undefined, ["/repo/.venv/bin/hooklint"]]);
});

test("on Windows each PATHEXT extension is tried", () => {
    const environment: Environment = { path: "C:\\Python\\Scripts;C:\\tools", pathExt: ".COM;.EXE", platform: "win32" };
    const files = new Set(["C:\\tools\\hooklint.EXE"]);
    assert.equal(locateExecutable("hooklint", environment, (file) => files.has(file)), "C:\\tools\\hooklint.EXE");
});
