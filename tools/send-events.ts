/**
 * `npm run send-events`: sends realistic synthetic events to the events API (local or deployed).
 *
 *     npm run send-events -- --count 10000 [--rate 500] [--batch-size 100] [--concurrency 4]
 *                            [--invalid-ratio 0.05] [--dry-run] [--console] [--seed 42]
 *     npm run send-events -- --endpoint https://<api>/live --application-id <id> --api-key <key> --count 1000
 *
 * Without --endpoint/--application-id/--api-key they are read from the local mode's
 * `.gap/<stack>/credentials.json` (written by `npm start`).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { readCredentials } from "../local/credentials";
import { dataFolder } from "../local/data-folder";
import { CliError, numberOption, runCli } from "./cli-common";
import { SendSummary, sendEvents } from "./event-sender";
import { SyntheticEventGenerator } from "./synthetic-events";

const USAGE = `Usage: npm run send-events -- [--endpoint URL --application-id ID --api-key KEY] [--count N] [--rate R]
       [--batch-size B] [--concurrency C] [--invalid-ratio X] [--seed S] [--dry-run] [--console] [--stack dev] [--data-dir .gap]`;

function progressBar(total: number): (sent: number) => void {
    if (!process.stderr.isTTY) return () => undefined;
    return (sent) => {
        const width = 30;
        const filled = Math.round((sent / total) * width);
        process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${sent}/${total}`);
        if (sent >= total) process.stderr.write("\n");
    };
}

function printSummary(s: SendSummary): void {
    const lines = [
        `sent:      ${s.sent} events in ${s.requests} requests, ${(s.elapsedMs / 1000).toFixed(1)} s (${s.eventsPerSecond} events/s)`,
        `accepted:  ${s.accepted}`,
        `rejected:  ${s.rejected}  (generated invalid on purpose: ${s.generatedInvalid})`,
    ];
    const errors = Object.entries(s.errors).sort((a, b) => b[1] - a[1]);
    if (errors.length > 0) {
        lines.push("errors by code:");
        for (const [code, n] of errors) lines.push(`  ${code.padEnd(28)} ${n}`);
    }
    console.log(lines.join("\n"));
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            endpoint: { type: "string" },
            "application-id": { type: "string" },
            "api-key": { type: "string" },
            count: { type: "string" },
            rate: { type: "string" },
            "batch-size": { type: "string" },
            concurrency: { type: "string" },
            "invalid-ratio": { type: "string" },
            seed: { type: "string" },
            "dry-run": { type: "boolean" },
            console: { type: "boolean" },
            stack: { type: "string" },
            "data-dir": { type: "string" },
            help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const count = numberOption("--count", values.count, 1000, { min: 1, integer: true });
    const rate = numberOption("--rate", values.rate, 0, { min: 0 });
    const batchSize = numberOption("--batch-size", values["batch-size"], 100, { min: 1, max: 10_000, integer: true });
    const concurrency = numberOption("--concurrency", values.concurrency, 4, { min: 1, max: 256, integer: true });
    const invalidRatio = numberOption("--invalid-ratio", values["invalid-ratio"], 0, { min: 0, max: 1 });
    const seed = values.seed === undefined ? undefined : numberOption("--seed", values.seed, 0, { min: 0, integer: true });
    const generator = new SyntheticEventGenerator({ seed, invalidRatio });

    if (values["dry-run"]) {
        const events = generator.batch(count);
        if (values.console) for (const g of events) console.log(JSON.stringify(g.event));
        const invalid = events.filter((g) => !g.valid).length;
        console.log(`dry run: generated ${count} events (${invalid} invalid on purpose); nothing sent`);
        return;
    }

    let endpoint = values.endpoint;
    let applicationId = values["application-id"];
    let apiKey = values["api-key"];
    if (endpoint === undefined || applicationId === undefined || apiKey === undefined) {
        const stack = values.stack ?? process.env.GAP_STACK ?? "dev";
        const file = dataFolder(values["data-dir"] ?? path.join(process.cwd(), ".gap"), stack).credentialsFile;
        const credentials = readCredentials(file);
        if (!credentials) {
            throw new CliError(`no --endpoint/--application-id/--api-key given and no local credentials at ${file}; ` +
                "start the local mode first (npm start) or pass all three options");
        }
        endpoint ??= credentials.endpoint;
        applicationId ??= credentials.applicationId;
        apiKey ??= credentials.apiKeyValue;
    }
    const summary = await sendEvents({
        endpoint, applicationId, apiKey, count, rate, batchSize, concurrency, generator,
        onProgress: progressBar(count),
        onBatch: values.console ? (batch) => batch.forEach((g) => console.log(JSON.stringify(g.event))) : undefined,
    });
    printSummary(summary);
    const transportErrors = Object.keys(summary.errors).filter((k) => k.startsWith("HTTP") || k.startsWith("network"));
    if (transportErrors.length > 0) process.exitCode = 1;
}

runCli(main);
