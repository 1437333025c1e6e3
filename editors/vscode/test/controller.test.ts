import assert from "node:assert/strict";
import { test } from "node:test";

import { Controller, OPEN_SETTINGS, SHOW_OUTPUT, type Client, type Host } from "../src/controller";
import type { DocumentFilter } from "../src/selector";
import type { ServerCommand } from "../src/server";
import { DEFAULT_SETTINGS, type ServerSettings, type Settings } from "../src/settings";

/** A host that records what the controller asks of VS Code, in order. */
class FakeHost implements Host {
    readonly events: string[] = [];
    readonly servers: { server: ServerCommand; selector: DocumentFilter[]; options: ServerSettings }[] = [];
    current: Settings = DEFAULT_SETTINGS;
    executables = new Set(["/usr/bin/hooklint"]);
    startError: Error | undefined;
    answer: string | undefined;

    settings(): Settings {
        return this.current;
    }
    workspaceFolder(): string | undefined {
        return "/repo";
    }
    environment() {
        return { path: "/usr/local/bin:/usr/bin", pathExt: undefined, platform: "linux" as const };
    }
    isExecutable(file: string): boolean {
        return this.executables.has(file);
    }
    createClient(server: ServerCommand, selector: DocumentFilter[], options: ServerSettings): Client {
        const number = this.servers.push({ server, selector, options });
        return {
            start: () => {
                this.events.push(`start ${number}`);
                return this.startError === undefined ? Promise.resolve() : Promise.reject(this.startError);
            },
            stop: () => {
                this.events.push(`stop ${number}`);
                return Promise.resolve();
            },
            sendSettings: (settings) => {
                this.events.push(`settings ${number} ${JSON.stringify(settings)}`);
                return Promise.resolve();
            },
        };
    }
    showError(message: string, actions: readonly string[]): Promise<string | undefined> {
        this.events.push(`error [${actions.join(", ")}] ${message}`);
        return Promise.resolve(this.answer);
    }
    openSettings(): void {
        this.events.push("open settings");
    }
    showOutput(): void {
        this.events.push("show output");
    }
    log(line: string): void {
        this.events.push(`log ${line}`);
    }
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

const MISSING =
    "hooklint's language server cannot start: `hooklint` was not found on PATH. Install it with " +
    "`pipx install 'hooklint[lsp]'` (or `pip install 'hooklint[lsp]'` in the project's environment), or set " +
    "`hooklint.path` to the hooklint executable.";

test("start runs the executable found on PATH for YAML and Helm templates", async () => {
    const host = new FakeHost();
    const controller = new Controller(host);
    await controller.start();
    assert.deepEqual(host.events, ["log starting /usr/bin/hooklint lsp", "start 1"]);
    assert.deepEqual(host.servers, [
        {
            server: { command: "/usr/bin/hooklint", args: ["lsp"], cwd: "/repo" },
            selector: [
                { scheme: "file", language: "yaml" },
                { scheme: "file", language: "helm" },
                { scheme: "file", pattern: "**/templates/**/*.yaml" },
                { scheme: "file", pattern: "**/templates/**/*.yml" },
                { scheme: "file", pattern: "**/templates/**/*.tpl" },
            ],
            options: { configFile: null, debounceMs: 50, codeLens: true },
        },
    ]);
    assert.equal(controller.running, true);
});

test("a missing executable starts no client and says how to install hooklint[lsp]", async () => {
    const host = new FakeHost();
    host.executables.clear();
    host.answer = OPEN_SETTINGS;
    const controller = new Controller(host);
    await controller.start();
    await settled();
    assert.deepEqual(host.events, [`log ${MISSING}`, `error [${OPEN_SETTINGS}] ${MISSING}`, "open settings"]);
    assert.deepEqual([host.servers.length, controller.running], [0, false]);
});

test("a missing executable named by a relative path is reported with the path it was looked for at", async () => {
    const host = new FakeHost();
    host.current = { ...DEFAULT_SETTINGS, path: ".venv/bin/hooklint" };
    await new Controller(host).start();
    assert.equal(
        host.events[0],
        "log hooklint's language server cannot start: `/repo/.venv/bin/hooklint` does not exist or cannot " +
            "run. Install it with `pipx install 'hooklint[lsp]'` (or `pip install 'hooklint[lsp]'` in the " +
            "project's environment), or set `hooklint.path` to the hooklint executable.",
    );
});

test("a server that fails to start is stopped, reported, and the output offered", async () => {
    const host = new FakeHost();
    host.startError = new Error("Connection to server got closed");
    host.answer = SHOW_OUTPUT;
    const controller = new Controller(host);
    await controller.start();
    await settled();
    const message =
        "hooklint's language server (`hooklint lsp`) did not start: Connection to server got closed. The " +
        "hooklint output shows what it printed; `hooklint lsp` needs the lsp extra: `pip install 'hooklint[lsp]'`.";
    assert.deepEqual(host.events, [
        "log starting /usr/bin/hooklint lsp",
        "start 1",
        `log ${message}`,
        `error [${SHOW_OUTPUT}] ${message}`,
        "stop 1",
        "show output",
    ]);
    assert.equal(controller.running, false);
});

test("a change of the executable or its arguments restarts the server with the new command", async () => {
    const host = new FakeHost();
    host.executables.add("/repo/.venv/bin/hooklint");
    const controller = new Controller(host);
    await controller.start();
    host.current = { ...DEFAULT_SETTINGS, path: ".venv/bin/hooklint", args: ["--verbose"] };
    await controller.settingsChanged((section) => section === "hooklint.path");
    assert.deepEqual(host.events.slice(2), ["stop 1", "log starting /repo/.venv/bin/hooklint lsp --verbose", "start 2"]);
    assert.deepEqual(host.servers[1]?.server, {
        command: "/repo/.venv/bin/hooklint",
        args: ["lsp", "--verbose"],
        cwd: "/repo",
    });
});

test("a change of the server's own settings sends them to the running server, without a restart", async () => {
    const host = new FakeHost();
    const controller = new Controller(host);
    await controller.start();
    host.current = { ...DEFAULT_SETTINGS, server: { configFile: "ci/hooklint.yaml", debounceMs: 200, codeLens: false } };
    await controller.settingsChanged((section) => section === "hooklint.codeLens" || section === "hooklint");
    assert.deepEqual(host.events.slice(2), ['settings 1 {"configFile":"ci/hooklint.yaml","debounceMs":200,"codeLens":false}']);
});

test("a change of the trace setting, which the language client reads itself, does nothing", async () => {
    const host = new FakeHost();
    const controller = new Controller(host);
    await controller.start();
    await controller.settingsChanged((section) => section === "hooklint.trace.server" || section === "hooklint");
    assert.deepEqual(host.events, ["log starting /usr/bin/hooklint lsp", "start 1"]);
});

test("settings changed while no server runs are sent to none, and the next start passes them on", async () => {
    const host = new FakeHost();
    host.executables.clear();
    const controller = new Controller(host);
    await controller.start();
    host.current = { ...DEFAULT_SETTINGS, server: { ...DEFAULT_SETTINGS.server, debounceMs: 10 } };
    await controller.settingsChanged((section) => section === "hooklint.debounceMs");
    assert.equal(host.events.filter((event) => event.startsWith("settings")).length, 0);
    host.executables.add("/usr/bin/hooklint");
    await controller.restart();
    assert.deepEqual(host.servers[0]?.options, { configFile: null, debounceMs: 10, codeLens: true });
});

test("restarts asked for at once run one after the other and leave one server", async () => {
    const host = new FakeHost();
    const controller = new Controller(host);
    await Promise.all([controller.start(), controller.restart(), controller.restart()]);
    assert.deepEqual(
        host.events.filter((event) => !event.startsWith("log")),
        ["start 1", "stop 1", "start 2", "stop 2", "start 3"],
    );
    await controller.stop();
    assert.deepEqual([host.events.at(-1), controller.running], ["stop 3", false]);
});
