/**
 * What one AWS tier hands another beyond the contract outputs, when only AWS needs it. Declared
 * here, apart from both tiers, so that no tier imports another.
 */

/** What the AWS storage tier hands the AWS processing tier about the lake. */
export interface AwsLakeWiring {
    /**
     * Folder of the Glue jobs' scratch files (storage expires it after 7 days).
     * @example "glueetl-tmp"
     */
    readonly glueTmpPrefix: string;
    /**
     * Folder of the Iceberg table (ICEBERG only): the Firehose role may write there.
     * @default undefined (HIVE)
     * @example "iceberg/raw_events"
     */
    readonly icebergTablePrefix?: string;
}
