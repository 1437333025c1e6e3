// The extension's behaviour behind a seam: `Host` is all it asks of VS Code and the language client, so the
// unit tests drive it with a fake host, and src/extension.ts is the only module that imports `vscode`.

import { missingExecutableMessage, startFailedMessage } from "./messages";
import { documentSelector, type DocumentFilter } from "./selector";
import { RESTARTING_SETTINGS, SERVER_SETTINGS, type ServerSettings, type Settings } from "./settings";
import { locateExecutable, serverCommand, type Environment, type ServerCommand } from "./server";

export interface Client {
    start(): Promise<void>;
    stop(): Promise<void>;
    /** workspace/didChangeConfiguration with the `hooklint` section. */
    sendSettings(settings: ServerSettings): Promise<void>;
}

export const OPEN_SETTINGS = "Open Settings";
export const SHOW_OUTPUT = "Show Output";

export interface Host {
    settings(): Settings;
    workspaceFolder(): string | undefined;
    environment(): Environment;
    isExecutable(file: string): boolean;
    /** A client that has not started; `options` become the server's initializationOptions. */
    createClient(server: ServerCommand, selector: DocumentFilter[], options: ServerSettings): Client;
    /** An error notification; resolves to the action the user chose, if any. */
    showError(message: string, actions: readonly string[]): Thenable<string | undefined>;
    openSettings(): void;
    showOutput(): void;
    log(line: string): void;
}

export class Controller {
    private client: Client | undefined;
    // Starts and stops run one after the other: settings saved twice in a row must not leave two servers.
    private queue: Promise<void> = Promise.resolve();

    constructor(private readonly host: Host) {}

    start(): Promise<void> {
        return this.enqueue(() => this.doStart());
    }

    stop(): Promise<void> {
        return this.enqueue(() => this.doStop());
    }

    restart(): Promise<void> {
        return this.enqueue(async () => {
            await this.doStop();
            await this.doStart();
        });
    }

    /**
     * Restarts when a setting that shapes the server's command line or documents changed; sends the server
     * its own settings when one of those changed.
     */
    settingsChanged(affects: (section: string) => boolean): Promise<void> {
        if (RESTARTING_SETTINGS.some(affects)) {
            return this.restart();
        }
        if (SERVER_SETTINGS.some(affects)) {
            return this.enqueue(() => this.doSendSettings());
        }
        return Promise.resolve();
    }

    get running(): boolean {
        return this.client !== undefined;
    }

    private enqueue(step: () => Promise<void>): Promise<void> {
        this.queue = this.queue.then(step, step);
        return this.queue;
    }

    private async doStart(): Promise<void> {
        const settings = this.host.settings();
        const environment = this.host.environment();
        const server = serverCommand(settings, this.host.workspaceFolder(), environment.platform);
        const executable = locateExecutable(server.command, environment, (file) => this.host.isExecutable(file));
        if (executable === undefined) {
            const message = missingExecutableMessage(settings.path, server.command);
            this.host.log(message);
            this.ask(message, OPEN_SETTINGS);
            return;
        }
        const resolved = { ...server, command: executable };
        this.host.log(`starting ${[executable, ...resolved.args].join(" ")}`);
        const selector = documentSelector(settings.helmTemplatePatterns);
        const client = this.host.createClient(resolved, selector, settings.server);
        try {
            await client.start();
            this.client = client;
        } catch (error) {
            const message = startFailedMessage(settings.path, error);
            this.host.log(message);
            this.ask(message, SHOW_OUTPUT);
            await client.stop().catch(() => undefined);
        }
    }

    private async doStop(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client !== undefined) {
            await client.stop().catch((error: unknown) => {
                this.host.log(`stopping the server failed: ${String(error)}`);
            });
        }
    }

    private async doSendSettings(): Promise<void> {
        if (this.client !== undefined) {
            await this.client.sendSettings(this.host.settings().server).catch((error: unknown) => {
                this.host.log(`sending the settings failed: ${String(error)}`);
            });
        }
    }

    // Not awaited: the notification stays until the user answers, which must not hold up the queue.
    private ask(message: string, action: string): void {
        void this.host.showError(message, [action]).then((choice) => {
            if (choice === OPEN_SETTINGS) {
                this.host.openSettings();
            } else if (choice === SHOW_OUTPUT) {
                this.host.showOutput();
            }
        });
    }
}
