// How the server process is started: the command line from the settings, and the executable found the way a
// shell would find it, so that a missing one is reported before the language client tries to spawn it.

import * as nodePath from "node:path";

import type { Settings } from "./settings";

export interface ServerCommand {
    readonly command: string;
    readonly args: readonly string[];
    /** The workspace folder, where the server starts; absent without a folder. */
    readonly cwd?: string;
}

/** What the executable is looked up in: the process's environment and platform. */
export interface Environment {
    readonly path: string | undefined;
    /** Windows' executable extensions (PATHEXT), unused elsewhere. */
    readonly pathExt: string | undefined;
    readonly platform: NodeJS.Platform;
}

function pathModule(platform: NodeJS.Platform): typeof nodePath.posix {
    return platform === "win32" ? nodePath.win32 : nodePath.posix;
}

function isBareName(command: string, platform: NodeJS.Platform): boolean {
    return !(command.includes("/") || (platform === "win32" && command.includes("\\")));
}

/**
 * `hooklint lsp` with the extra arguments. A relative path with a folder in it (`.venv/bin/hooklint`) is taken
 * from the workspace folder; a bare name is left for the PATH.
 */
export function serverCommand(
    settings: Settings,
    workspaceFolder: string | undefined,
    platform: NodeJS.Platform,
): ServerCommand {
    const path = pathModule(platform);
    let command = settings.path;
    if (!isBareName(command, platform) && !path.isAbsolute(command) && workspaceFolder !== undefined) {
        command = path.resolve(workspaceFolder, command);
    }
    const args = ["lsp", ...settings.args];
    return workspaceFolder === undefined ? { command, args } : { command, args, cwd: workspaceFolder };
}

/**
 * The file that runs for `command`: itself when it names a path, else the first match on the PATH (with each
 * PATHEXT extension on Windows); undefined when there is none.
 */
export function locateExecutable(
    command: string,
    environment: Environment,
    isExecutable: (file: string) => boolean,
): string | undefined {
    const path = pathModule(environment.platform);
    const windows = environment.platform === "win32";
    const extensions = windows
        ? ["", ...(environment.pathExt ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((ext) => ext !== "")]
        : [""];
    const candidates = (base: string): string[] => extensions.map((ext) => base + ext);
    if (!isBareName(command, environment.platform)) {
        return candidates(command).find(isExecutable);
    }
    const folders = (environment.path ?? "").split(windows ? ";" : ":").filter((folder) => folder !== "");
    for (const folder of folders) {
        const found = candidates(path.join(folder, command)).find(isExecutable);
        if (found !== undefined) {
            return found;
        }
    }
    return undefined;
}
