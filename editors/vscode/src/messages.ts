// The words the user reads when the server cannot start.

export const INSTALL_HINT =
    "Install it with `pipx install 'hooklint[lsp]'` (or `pip install 'hooklint[lsp]'` in the project's " +
    "environment), or set `hooklint.path` to the hooklint executable.";

/** `path` is the setting as the user wrote it, `command` what it was looked for as. */
export function missingExecutableMessage(path: string, command: string): string {
    const where = path === command ? `\`${path}\` was not found on PATH` : `\`${command}\` does not exist or cannot run`;
    return `hooklint's language server cannot start: ${where}. ${INSTALL_HINT}`;
}

export function startFailedMessage(command: string, error: unknown): string {
    const reason = error instanceof Error ? error.message : String(error);
    return (
        `hooklint's language server (\`${command} lsp\`) did not start: ${reason}. The hooklint output shows ` +
        "what it printed; `hooklint lsp` needs the lsp extra: `pip install 'hooklint[lsp]'`."
    );
}
