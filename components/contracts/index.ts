/**
 * The pipeline's tier contracts: what each tier takes and gives, in the pipeline's words, with no
 * provider type. Each cloud folder (components/aws, ...) implements every tier against them.
 */
export * from "./access";
export * from "./common";
export * from "./registry";
export * from "./stream";
export * from "./storage";
export * from "./processing";
export * from "./ingest";
export * from "./realtime";
export * from "./operations";
export * from "./warehouse";
export * from "./schedule";
export * from "./namespace";
export * from "./names";
export * from "./pipeline";
export * from "./settings";
