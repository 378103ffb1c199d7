/**
 * Helpers of the Iceberg tests: sample rows, an independent reader (icebird, fed local files
 * through a `file:` fetch), and the Debian `avrocat` decoder when it is installed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EventRow } from "../../../functions/core/contracts";
import { metadataFileName } from "../../../local/iceberg/metadata";

const DAY = 86_400;
const TYPES = ["level_started", "level_completed", "level_failed", "user_sentiment", "user_report", "login", "iap_transaction", "user_registration"];

/**
 * `count` rows spread over `days` UTC days ending today and over `apps` applications; ids unique
 * per `seed`. Deterministic.
 */
export function sampleRows(count: number, seed: string, days = 3, apps = 2, nowSeconds = Math.floor(Date.now() / 1000)): EventRow[] {
    const rows: EventRow[] = [];
    for (let i = 0; i < count; i++) {
        const type = TYPES[i % TYPES.length];
        const data: Record<string, unknown> = { level_id: `L${i % 3}`, user_rating: (i % 5) + 1, report_reason: ["cheat", "spam"][i % 2], transaction_id: `t${i % 7}` };
        rows.push({
            event_id: `${seed}-${String(i).padStart(6, "0")}`,
            event_type: type,
            event_name: type,
            event_version: "1.0.0",
            event_timestamp: nowSeconds - (i % days) * DAY - (i % 60),
            app_version: i % 3 === 0 ? null : "1.1.0",
            application_id: `app-${Math.floor(i / days) % apps}`,
            application_name: `Game ${Math.floor(i / days) % apps}`,
            event_data: JSON.stringify(data),
            metadata: JSON.stringify({ ingestion_id: `${seed}-${i}`, processing_status: "ok" }),
            // Every other row is a player's (JWT traffic), the others API-key traffic.
            player_id: i % 2 === 0 ? `player-${i % 5}` : null,
            source_event_id: i % 4 === 0 ? String(i).padStart(5, "0") : null,
        });
    }
    return rows;
}

/** Newline-delimited JSON of rows (the transform's output form). */
export function jsonLines(rows: readonly EventRow[]): string {
    return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** Serves `file:` URLs (with Range) from disk while `work` runs; other URLs go to the real fetch. */
export async function withFileFetch<T>(work: () => Promise<T>): Promise<T> {
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        if (!url.startsWith("file:")) return realFetch(input, init);
        const file = decodeURIComponent(new URL(url).pathname);
        if (!fs.existsSync(file)) return new Response("not found", { status: 404, statusText: "Not Found" });
        const bytes = fs.readFileSync(file);
        const range = new Headers(init?.headers).get("Range");
        const match = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
        if (match) {
            const start = Number(match[1]);
            const end = match[2] === "" ? bytes.length : Number(match[2]) + 1;
            return new Response(bytes.subarray(start, end), { status: 206 });
        }
        return new Response(bytes, { status: 200 });
    }) as typeof fetch;
    try {
        return await work();
    } finally {
        globalThis.fetch = realFetch;
    }
}

/** icebird, loaded once (an ES module). */
// eslint-disable-next-line @typescript-eslint/consistent-type-imports
export function icebird(): Promise<typeof import("icebird")> {
    return import("icebird");
}

/** Table URL icebird is given: the table folder as a `file:` URL. */
export function tableUrl(tableDir: string): string {
    return new URL(`file://${path.resolve(tableDir)}`).href;
}

/** Rows of the table read by icebird (current version per version-hint, or a given metadata version). */
export async function icebirdRows(tableDir: string, version?: number): Promise<Record<string, unknown>[]> {
    const { icebergRead } = await icebird();
    return withFileFetch(() => icebergRead({ tableUrl: tableUrl(tableDir), metadataFileName: version === undefined ? undefined : metadataFileName(version) }));
}

/** Data files (path, partition, record count) of the current snapshot, as icebird decodes the manifests. */
export async function icebirdDataFiles(tableDir: string): Promise<{ path: string; partition: Record<string, unknown>; records: number; status: number }[]> {
    const { icebergMetadata, icebergManifests } = await icebird();
    return withFileFetch(async () => {
        const metadata = await icebergMetadata({ tableUrl: tableUrl(tableDir) });
        const manifests = await icebergManifests(metadata);
        return manifests.flatMap((m) => m.entries.map((e) => ({
            path: e.data_file.file_path,
            partition: e.data_file.partition as Record<string, unknown>,
            records: Number(e.data_file.record_count),
            status: e.status,
        })));
    });
}

/** Whether Debian's avrocat (package avro-bin) is on the PATH. */
export function avrocatAvailable(): boolean {
    return spawnSync("avrocat", ["--help"], { stdio: "ignore" }).error === undefined;
}

/** Records of an Avro file decoded by avrocat (one JSON document per line). */
export function avrocat(file: string): unknown[] {
    const run = spawnSync("avrocat", [file], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`avrocat ${file} failed: ${run.stderr}`);
    return run.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as unknown);
}

/** Rows sorted by event_id with only the stored columns, values as plain JSON (for comparisons). */
export function normalise(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
    return rows
        .map((r) => ({
            event_id: r.event_id, event_type: r.event_type, event_name: r.event_name, event_version: r.event_version ?? null,
            event_timestamp: r.event_timestamp instanceof Date ? Math.floor(r.event_timestamp.getTime() / 1000) : Number(r.event_timestamp),
            app_version: r.app_version ?? null, application_id: r.application_id, application_name: r.application_name ?? null,
            event_data: r.event_data ?? null, metadata: r.metadata ?? null,
            player_id: r.player_id ?? null, source_event_id: r.source_event_id ?? null,
        }))
        .sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
}

/**
 * The header metadata of an Avro object container file, parsed here from the bytes (spec: magic
 * "Obj\x01", then a map of bytes values as zig-zag varint counts and lengths), independent of avsc.
 */
export function avroHeader(file: string): Record<string, string> {
    const bytes = fs.readFileSync(file);
    if (bytes.subarray(0, 4).toString("latin1") !== "Obj\x01") throw new Error(`${file} is not an Avro object container file`);
    let pos = 4;
    const long = (): number => {
        let result = 0;
        let shift = 0;
        for (;;) {
            const b = bytes[pos++];
            result += (b & 0x7f) * 2 ** shift;
            if ((b & 0x80) === 0) break;
            shift += 7;
        }
        return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    };
    const text = (): string => {
        const length = long();
        const out = bytes.subarray(pos, pos + length).toString("utf8");
        pos += length;
        return out;
    };
    const header: Record<string, string> = {};
    for (let count = long(); count !== 0; count = long()) {
        if (count < 0) {
            long(); // block size in bytes
            count = -count;
        }
        for (let i = 0; i < count; i++) header[text()] = text();
    }
    return header;
}
