// The extension's settings, read through a getter so that this module does not import `vscode` and the unit
// tests can give it any value a user's settings.json may hold.

/** What the server reads from `initializationOptions` and the `hooklint` section of didChangeConfiguration. */
export interface ServerSettings {
    /** The configuration file, as `--config` takes it; null: found as `hooklint lint` finds it. */
    readonly configFile: string | null;
    readonly debounceMs: number;
    readonly codeLens: boolean;
}

export interface Settings {
    /** The hooklint executable: a name looked up on PATH, an absolute path, or one relative to the workspace. */
    readonly path: string;
    /** Arguments after `hooklint lsp`. */
    readonly args: readonly string[];
    /** Helm chart templates, which other extensions give the language `helm` or none that hooklint asks for. */
    readonly helmTemplatePatterns: readonly string[];
    readonly server: ServerSettings;
}

export const DEFAULT_SETTINGS: Settings = {
    path: "hooklint",
    args: [],
    helmTemplatePatterns: ["**/templates/**/*.yaml", "**/templates/**/*.yml", "**/templates/**/*.tpl"],
    server: { configFile: null, debounceMs: 50, codeLens: true },
};

/** The settings that change how the server is started: a change of any of them restarts it. */
export const RESTARTING_SETTINGS = ["hooklint.path", "hooklint.args", "hooklint.helmTemplatePatterns"] as const;

/** The settings the running server is sent when they change. */
export const SERVER_SETTINGS = ["hooklint.configFile", "hooklint.debounceMs", "hooklint.codeLens"] as const;

function strings(value: unknown): string[] | undefined {
    if (!Array.isArray(value)) {
        return undefined;
    }
    const items: unknown[] = value;
    return items.every((item): item is string => typeof item === "string") ? items : undefined;
}

/**
 * The settings from `get(key)` (a key below `hooklint.`), each one that is missing or of the wrong type
 * (settings.json is edited by hand) replaced by its default.
 */
export function readSettings(get: (key: string) => unknown): Settings {
    const path = get("path");
    const configFile = get("configFile");
    const debounceMs = get("debounceMs");
    const codeLens = get("codeLens");
    const defaults = DEFAULT_SETTINGS.server;
    return {
        path: typeof path === "string" && path.trim() !== "" ? path.trim() : DEFAULT_SETTINGS.path,
        args: strings(get("args")) ?? DEFAULT_SETTINGS.args,
        helmTemplatePatterns: strings(get("helmTemplatePatterns")) ?? DEFAULT_SETTINGS.helmTemplatePatterns,
        server: {
            configFile: typeof configFile === "string" && configFile.trim() !== "" ? configFile : defaults.configFile,
            debounceMs:
                typeof debounceMs === "number" && Number.isFinite(debounceMs) && debounceMs >= 0
                    ? debounceMs
                    : defaults.debounceMs,
            codeLens: typeof codeLens === "boolean" ? codeLens : defaults.codeLens,
        },
    };
}
