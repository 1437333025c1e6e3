// The wiring to VS Code and vscode-languageclient; what it wires is src/controller.ts, tested without VS Code.

import * as fs from "node:fs";

import * as vscode from "vscode";
import {
    DidChangeConfigurationNotification,
    LanguageClient,
    TransportKind,
    type LanguageClientOptions,
    type ServerOptions,
} from "vscode-languageclient/node";

import { Controller, type Host } from "./controller";
import { readSettings } from "./settings";

let controller: Controller | undefined;

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

export function activate(context: vscode.ExtensionContext): Promise<void> {
    const output = vscode.window.createOutputChannel("hooklint", { log: true });
    const host: Host = {
        settings: () => {
            const configuration = vscode.workspace.getConfiguration("hooklint");
            return readSettings((key) => configuration.get(key));
        },
        workspaceFolder: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
        environment: () => ({ path: process.env.PATH, pathExt: process.env.PATHEXT, platform: process.platform }),
        isExecutable,
        createClient: (server, selector, options) => {
            const serverOptions: ServerOptions = {
                command: server.command,
                args: [...server.args],
                transport: TransportKind.stdio,
                ...(server.cwd === undefined ? {} : { options: { cwd: server.cwd } }),
            };
            const clientOptions: LanguageClientOptions = {
                documentSelector: selector,
                outputChannel: output,
                initializationOptions: options,
                // No synchronize.fileEvents: the server registers its file watchers itself (docs/lsp.md).
            };
            const client = new LanguageClient("hooklint", "hooklint", serverOptions, clientOptions);
            return {
                start: () => client.start(),
                stop: () => client.stop(),
                sendSettings: (settings) =>
                    client.sendNotification(DidChangeConfigurationNotification.type, { settings: { hooklint: settings } }),
            };
        },
        showError: (message, actions) => vscode.window.showErrorMessage(message, ...actions),
        openSettings: () => {
            void vscode.commands.executeCommand("workbench.action.openSettings", "hooklint.");
        },
        showOutput: () => {
            output.show(true);
        },
        log: (line) => {
            output.info(line);
        },
    };
    const started = new Controller(host);
    controller = started;
    context.subscriptions.push(
        output,
        vscode.commands.registerCommand("hooklint.restart", () => started.restart()),
        vscode.commands.registerCommand("hooklint.showOutput", () => {
            output.show(true);
        }),
        vscode.workspace.onDidChangeConfiguration((event) =>
            started.settingsChanged((section) => event.affectsConfiguration(section)),
        ),
    );
    return started.start();
}

export function deactivate(): Promise<void> | undefined {
    return controller?.stop();
}
