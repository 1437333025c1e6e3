import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const ROOT = path.join(__dirname, "..", "..");

test("the extension's version and licence are the project's", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf-8")) as Record<string, unknown>;
    const pyproject = fs.readFileSync(path.join(ROOT, "..", "..", "pyproject.toml"), "utf-8");
    const field = (name: string) => new RegExp(`^${name} = "([^"]*)"$`, "m").exec(pyproject)?.[1];
    assert.deepEqual(
        [manifest.version, manifest.license, manifest.publisher],
        [field("version"), field("license"), field("name")],
    );
});

test("every dependency is pinned to one version, for package-lock.json to agree with", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf-8")) as Record<
        string,
        Record<string, string>
    >;
    const ranges = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
        ([, version]) => !/^\d+\.\d+\.\d+$/.test(version),
    );
    assert.deepEqual(ranges, []);
});
