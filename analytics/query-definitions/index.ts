/** One definition of the 11 sample queries, rendered for Athena, Redshift, BigQuery and the local PostgreSQL. */
export * from "./dialect";
export * from "./definitions";
export * from "./athena";
export * from "./warehouse-sql";
export * from "./redshift";
export * from "./local-postgres";
export * from "./bigquery";
