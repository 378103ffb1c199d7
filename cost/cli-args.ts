/**
 * Command-line flags of `npm run cost`: parsing and validation with errors that name the flag.
 */
import { DATA_STACKS, INGEST_MODES, TABLE_FORMATS } from "../components/contracts/settings";
import { API_TYPES, type ApiType, DESIGN_NAMES, type DesignName } from "./design";
import { MIN_EVENT_SIZE_BYTES } from "./record-sizes";
import { DEFAULT_WORKLOAD, type Workload } from "./workload";

/** A bad command line; the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
    constructor(readonly flag: string, detail: string) {
        super(`${flag}: ${detail}`);
        this.name = "UsageError";
    }
}

export interface CliOptions {
    workload: Workload;
    /** Stack whose Pulumi.<stack>.yaml to read; undefined = the settings' defaults. */
    stack?: string;
    /** Settings overrides (raw strings as in stack config). */
    overrides: { ingestMode?: string; dataStack?: string; tableFormat?: string; realTimeAnalytics?: string; cloud?: string };
    design: DesignName;
    apiType?: ApiType;
    json: boolean;
    help: boolean;
}

/** Largest API Gateway request payload. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Largest event that fits one record of either sink with its wrapper. */
const MAX_EVENT_SIZE_BYTES = 1_000_000;

type NumberRule = { flag: string; key: keyof Workload; integer: boolean; min: number; max: number };
const NUMBER_FLAGS: NumberRule[] = [
    { flag: "--events-per-second", key: "eventsPerSecond", integer: false, min: 0.001, max: 10_000_000 },
    { flag: "--event-size", key: "eventSizeBytes", integer: true, min: MIN_EVENT_SIZE_BYTES, max: MAX_EVENT_SIZE_BYTES },
    { flag: "--events-per-request", key: "eventsPerRequest", integer: true, min: 1, max: 10_000 },
    { flag: "--hours-per-month", key: "hoursPerMonth", integer: true, min: 1, max: 744 },
    { flag: "--applications", key: "applications", integer: true, min: 1, max: 100_000 },
    { flag: "--api-keys", key: "apiKeys", integer: true, min: 1, max: 10_000_000 },
    { flag: "--athena-queries-per-day", key: "athenaQueriesPerDay", integer: false, min: 0, max: 1_000_000 },
    { flag: "--athena-query-days", key: "athenaQueryDays", integer: false, min: 0.01, max: 3650 },
];

const CHOICE_FLAGS: Record<string, { key: keyof CliOptions["overrides"]; choices: readonly string[] }> = {
    "--ingest-mode": { key: "ingestMode", choices: INGEST_MODES },
    "--data-stack": { key: "dataStack", choices: DATA_STACKS },
    "--table-format": { key: "tableFormat", choices: TABLE_FORMATS },
    "--real-time": { key: "realTimeAnalytics", choices: ["true", "false"] },
    "--cloud": { key: "cloud", choices: ["aws", "gcp"] },
};

const BOOLEAN_FLAGS = new Set(["--json", "--help", "-h"]);

export const USAGE = `Usage: npm run cost -- [flags]
Estimates the monthly AWS bill (us-east-1 list prices) of a pipeline, line item by line item.

Workload:
  --events-per-second <n>      average events per second (default ${DEFAULT_WORKLOAD.eventsPerSecond})
  --event-size <bytes>         JSON size of one event (default ${DEFAULT_WORKLOAD.eventSizeBytes}, min ${MIN_EVENT_SIZE_BYTES})
  --events-per-request <n>     events per POST (default ${DEFAULT_WORKLOAD.eventsPerRequest}, max 10000)
  --hours-per-month <h>        720 = 30 days (default), 730 = AWS calculator month
  --applications <n>           games sending events (default ${DEFAULT_WORKLOAD.applications})
  --api-keys <n>               distinct API keys in use (default ${DEFAULT_WORKLOAD.apiKeys})
  --athena-queries-per-day <n> (default ${DEFAULT_WORKLOAD.athenaQueriesPerDay})
  --athena-query-days <n>      days of data each query reads (default ${DEFAULT_WORKLOAD.athenaQueryDays})
Settings:
  --stack <name>               read Pulumi.<name>.yaml (game-analytics:* keys); defaults if absent
  --ingest-mode KINESIS_DATA_STREAMS|DIRECT_BATCH
  --data-stack DATA_LAKE|REDSHIFT   --table-format HIVE|ICEBERG   --real-time true|false
  --cloud aws|gcp              price on this cloud (default: the stack's game-analytics:cloud, else aws)
Design:
  --design ours|guidance       this project (default) or the guidance's design, same prices
  --api-type rest|http         REST API (default) or HTTP API (cheaper, loses WAF and per-method throttling)
Output:
  --json                       one JSON object {totalUsdPerMonth, lineItems, workload, settings, ...}
Exit codes: 0 ok, 2 bad flag or settings.`;

/** Parses argv (without node and script). Throws {@link UsageError}. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
    const options: CliOptions = { workload: { ...DEFAULT_WORKLOAD }, overrides: {}, design: "ours", json: false, help: false };
    const seen = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("-")) throw new UsageError(arg, "unexpected argument; flags start with --, see --help");
        const eq = arg.indexOf("=");
        const flag = eq > 0 ? arg.slice(0, eq) : arg;
        if (seen.has(flag)) throw new UsageError(flag, "given twice");
        seen.add(flag);
        if (BOOLEAN_FLAGS.has(flag)) {
            if (eq > 0) throw new UsageError(flag, "takes no value");
            if (flag === "--json") options.json = true;
            else options.help = true;
            continue;
        }
        const known = NUMBER_FLAGS.some((r) => r.flag === flag) || flag in CHOICE_FLAGS || ["--stack", "--design", "--api-type"].includes(flag);
        if (!known) throw new UsageError(flag, "unknown flag; see --help");
        let value: string | undefined;
        if (eq > 0) value = arg.slice(eq + 1);
        else {
            value = argv[i + 1];
            if (value === undefined || value.startsWith("--")) throw new UsageError(flag, "needs a value");
            i++;
        }
        applyValue(options, flag, value);
    }
    const w = options.workload;
    const body = w.eventsPerRequest * (w.eventSizeBytes + 1);
    if (body > MAX_REQUEST_BYTES) {
        throw new UsageError("--events-per-request", `${w.eventsPerRequest} events of ${w.eventSizeBytes} bytes make a ${body}-byte request; API Gateway accepts at most 10 MB`);
    }
    return options;
}

function applyValue(options: CliOptions, flag: string, value: string): void {
    const rule = NUMBER_FLAGS.find((r) => r.flag === flag);
    if (rule) {
        const n = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
        if (!Number.isFinite(n) || (rule.integer && !Number.isInteger(n)) || n < rule.min || n > rule.max) {
            throw new UsageError(flag, `must be a ${rule.integer ? "whole number" : "number"} from ${rule.min} to ${rule.max} (got "${value}")`);
        }
        (options.workload[rule.key] as number) = n;
        return;
    }
    const choice = CHOICE_FLAGS[flag];
    if (choice) {
        if (!choice.choices.includes(value)) throw new UsageError(flag, `must be one of ${choice.choices.join(", ")} (got "${value}")`);
        options.overrides[choice.key] = value;
        return;
    }
    if (flag === "--stack") {
        if (!/^[A-Za-z0-9_.-]{1,100}$/.test(value)) throw new UsageError(flag, `must be a stack name of letters, digits, ".", "_" or "-" (got "${value}")`);
        options.stack = value;
    } else if (flag === "--design") {
        if (!(DESIGN_NAMES as readonly string[]).includes(value)) throw new UsageError(flag, `must be one of ${DESIGN_NAMES.join(", ")} (got "${value}")`);
        options.design = value as DesignName;
    } else if (flag === "--api-type") {
        if (!(API_TYPES as readonly string[]).includes(value)) throw new UsageError(flag, `must be one of ${API_TYPES.join(", ")} (got "${value}")`);
        options.apiType = value as ApiType;
    }
}
