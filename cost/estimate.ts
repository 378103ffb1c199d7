/**
 * The cost model's entry point: settings + workload + design -> line items and a monthly total.
 */
import type { PipelineSettings } from "../components/contracts/settings";
import { buildContext } from "./context";
import { type ApiType, type Design, type DesignName, designFor } from "./design";
import type { LineItem } from "./line-item";
import { archiverLines, withArchiver } from "./lines/archiver";
import { deliveryLines } from "./lines/delivery";
import { icebergDeliveryLines } from "./lines/iceberg";
import { ingestLines } from "./lines/ingest";
import { lakeLines } from "./lines/lake";
import { operationsLines } from "./lines/operations";
import { openSearchDestinationLines } from "./lines/realtime-opensearch";
import { streamLines } from "./lines/stream";
import { warehouseLines } from "./lines/warehouse";
import { roundCents } from "./units";
import type { Workload } from "./workload";

/** The guidance's published monthly totals for what this project does not implement (REFERENCE section 7). */

export const NOT_IMPLEMENTED_PUBLISHED_USD = Object.freeze({ ICEBERG: 65.88, REDSHIFT: 252.5 });

/** Thrown for settings the model cannot price (the pipeline does not build them either). */
export class NotModelledError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "NotModelledError";
    }
}

export interface Estimate {
    totalUsdPerMonth: number;
    lineItems: LineItem[];
    workload: Workload;
    settings: PipelineSettings;
    design: { name: DesignName; apiType: ApiType; firehosePacking: boolean; kinesisPacking: boolean };
}

export interface EstimateOptions {
    design?: DesignName;
    apiType?: ApiType;
}

/** Prices one month of `workload` on a pipeline with `settings`. */
export function estimate(settings: PipelineSettings, workload: Workload, options: EstimateOptions = {}): Estimate {
    const name = options.design ?? "ours";
    if (name === "guidance" && options.apiType === "http") {
        throw new NotModelledError("--api-type http applies to --design ours only: the guidance deploys a REST API");
    }
    const design: Design = designFor(name, settings, options);
    const c = buildContext(settings, workload, design);
    // REDSHIFT (ours): the stream archiver is the raw copy, not Firehose (cost/lines/archiver.ts).
    const archived = settings.dataStack === "REDSHIFT" && design.name === "ours" && c.kinesis !== undefined ? withArchiver(c) : undefined;
    const lineItems = settings.tableFormat === "ICEBERG"
        ? [...ingestLines(c), ...streamLines(c), ...icebergDeliveryLines(c), ...operationsLines(c), ...warehouseLines(c)]
        : archived
            ? [...ingestLines(c), ...streamLines(c), ...archiverLines(archived), ...lakeLines(archived), ...operationsLines(archived), ...warehouseLines(c)]
            : [...ingestLines(c), ...streamLines(c), ...deliveryLines(c), ...lakeLines(c), ...operationsLines(c), ...warehouseLines(c)];
    // realTimeDestination OPENSEARCH (ours; the guidance design prices its own Flink + OpenSearch lines).
    if (settings.realTimeAnalytics && settings.realTimeDestination === "OPENSEARCH" && design.realtime === "lambda-tumbling-windows") lineItems.push(...openSearchDestinationLines(c));
    const total = lineItems.reduce((sum, l) => sum + l.usdPerMonth, 0);
    return {
        totalUsdPerMonth: roundCents(total),
        lineItems,
        workload,
        settings,
        design: { name, apiType: design.apiType, firehosePacking: design.firehosePacking, kinesisPacking: design.kinesisPacking },
    };
}

/** Sum of the lines of one service (e.g. "Data Firehose"), USD/month. */
export function serviceTotal(e: Estimate, service: string): number {
    return e.lineItems.filter((l) => l.service === service).reduce((sum, l) => sum + l.usdPerMonth, 0);
}
