// The extension's settings, read through a getter so that this module does not import `vscode` and the unit
// tests can give it any value a user's settings.json may hold.

export interface Settings {
    /** The hooklint executable: a name looked up on PATH, an absolute path, or one relative to the workspace. */
    readonly path: string;
    /** Arguments after `hooklint lsp`. */
    readonly args: readonly string[];
    /** Helm chart templates, which other extensions give the language `helm` or none that hooklint asks for. */
    readonly helmTemplatePatterns: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = {
    path: "hooklint",
    args: [],
    helmTemplatePatterns: ["**/templates/**/*.yaml", "**/templates/**/*.yml", "**/templates/**/*.tpl"],
};

/** The settings that change how the server is started: a change of any of them restarts it. */
export const RESTARTING_SETTINGS = ["hooklint.path", "hooklint.args", "hooklint.helmTemplatePatterns"] as const;

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
    return {
        path: typeof path === "string" && path.trim() !== "" ? path.trim() : DEFAULT_SETTINGS.path,
        args: strings(get("args")) ?? DEFAULT_SETTINGS.args,
        helmTemplatePatterns: strings(get("helmTemplatePatterns")) ?? DEFAULT_SETTINGS.helmTemplatePatterns,
    };
}
