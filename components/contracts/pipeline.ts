/**
 * What a cloud's implementation of the whole pipeline gives back: the outputs of every tier, in
 * the contracts' words. `GameAnalyticsPipeline` exposes these, whatever the cloud.
 */
import type { IngestTierOutputs } from "./ingest";
import type { OperationsTierOutputs } from "./operations";
import type { ProcessingTierOutputs } from "./processing";
import type { RealTimeTierOutputs } from "./realtime";
import type { RegistryTierOutputs } from "./registry";
import type { StorageTierOutputs } from "./storage";
import type { StreamTierOutputs } from "./stream";
import type { WarehouseTierOutputs } from "./warehouse";

/** The tiers of one deployed pipeline. */
export interface PipelineTiers {
    storage: StorageTierOutputs;
    /** Present in KINESIS_DATA_STREAMS mode. */
    stream?: StreamTierOutputs;
    registry: RegistryTierOutputs;
    processing: ProcessingTierOutputs;
    ingest: IngestTierOutputs;
    /** Present with real-time analytics. */
    realTime?: RealTimeTierOutputs;
    operations: OperationsTierOutputs;
    /** Present with the REDSHIFT data stack. */
    warehouse?: WarehouseTierOutputs;
}
