import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { DEFAULT_SETTINGS, RESTARTING_SETTINGS, SERVER_SETTINGS, readSettings } from "../src/settings";

const ROOT = path.join(__dirname, "..", "..");

interface Manifest {
    activationEvents: string[];
    contributes: { configuration: { properties: Record<string, { default: unknown }> } };
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf-8")) as Manifest;

test("missing settings give the defaults", () => {
    assert.deepEqual(readSettings(() => undefined), DEFAULT_SETTINGS);
});

test("settings of the right type are taken, the path trimmed", () => {
    const values: Record<string, unknown> = {
        path: " .venv/bin/hooklint ",
        args: ["--log-level", "debug"],
        helmTemplatePatterns: ["charts/*/templates/*.yaml"],
        configFile: "ci/hooklint.yaml",
        debounceMs: 0,
        codeLens: false,
    };
    assert.deepEqual(readSettings((key) => values[key]), {
        path: ".venv/bin/hooklint",
        args: ["--log-level", "debug"],
        helmTemplatePatterns: ["charts/*/templates/*.yaml"],
        server: { configFile: "ci/hooklint.yaml", debounceMs: 0, codeLens: false },
    });
});

test("settings of the wrong type fall back to their defaults", () => {
    const values: Record<string, unknown> = {
        path: "  ",
        args: ["--x", 3],
        helmTemplatePatterns: "templates/*.yaml",
        configFile: "",
        debounceMs: -5,
        codeLens: "no",
    };
    assert.deepEqual(readSettings((key) => values[key]), DEFAULT_SETTINGS);
});

test("the manifest declares the defaults the code falls back to", () => {
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual(
        {
            path: properties["hooklint.path"]?.default,
            args: properties["hooklint.args"]?.default,
            helmTemplatePatterns: properties["hooklint.helmTemplatePatterns"]?.default,
            server: {
                configFile: properties["hooklint.configFile"]?.default,
                debounceMs: properties["hooklint.debounceMs"]?.default,
                codeLens: properties["hooklint.codeLens"]?.default,
            },
        },
        DEFAULT_SETTINGS,
    );
    for (const setting of [...RESTARTING_SETTINGS, ...SERVER_SETTINGS]) {
        assert.ok(setting in properties, setting);
    }
});

test("the extension activates for the languages of the document selector", () => {
    assert.deepEqual(manifest.activationEvents, ["onLanguage:yaml", "onLanguage:helm"]);
});

test("only src/extension.ts imports vscode, so the rest runs in these tests", () => {
    const importers = fs
        .readdirSync(path.join(ROOT, "src"))
        .filter((file) => /from "vscode(-languageclient[^"]*)?"/.test(fs.readFileSync(path.join(ROOT, "src", file), "utf-8")));
    assert.deepEqual(importers, ["extension.ts"]);
});
