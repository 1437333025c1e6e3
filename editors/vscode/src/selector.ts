// The documents the server is told about: YAML files on disk, Helm templates under their own language id (the
// Kubernetes extension's `helm`), and the template patterns of the settings whatever their language.

export interface DocumentFilter {
    readonly scheme: string;
    readonly language?: string;
    readonly pattern?: string;
}

/** Only files: an untitled buffer belongs to no application root. */
export function documentSelector(helmTemplatePatterns: readonly string[]): DocumentFilter[] {
    return [
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "helm" },
        ...helmTemplatePatterns.map((pattern) => ({ scheme: "file", pattern })),
    ];
}
