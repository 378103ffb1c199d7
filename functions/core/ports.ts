/**
 * Ports: the small interfaces the business logic talks through. AWS adapters (functions/aws/adapters)
 * and the local mode (local/) implement them; tests can too.
 */

/** Wall clock, injectable for tests. */
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A registered game or application, as the admin API returns it. */
export interface Application {
    ApplicationId: string;
    ApplicationName: string;
    Description: string;
    /** ISO-8601 timestamps. */
    CreatedAt: string;
    UpdatedAt: string;
    /**
     * Credentials the application accepts: API keys, player JWTs (the stack's OIDC issuer) or both.
     * Absent on applications stored before player authentication: API keys only.
     * @default ["API_KEY"]
     */
    AuthModes?: ("API_KEY" | "JWT")[];
}

/** What PUT /applications/{applicationId} changes; absent fields are kept. */
export interface ApplicationChanges {
    ApplicationName?: string;
    Description?: string;
    AuthModes?: ("API_KEY" | "JWT")[];
    UpdatedAt: string;
}

/** An API key as stored: the value itself is never stored, only its SHA-256 hash and a short hint. */
export interface StoredApiKey {
    ApiKeyId: string;
    /** Hex SHA-256 of the key value; the lookup key of the authorizer. */
    ApiKeyHash: string;
    /** First 4 and last 4 characters of the value, for humans telling keys apart. */
    ApiKeyHint: string;
    ApiKeyName: string;
    ApiKeyDescription: string;
    ApplicationId: string;
    CreatedAt: string;
    UpdatedAt: string;
    Enabled: boolean;
}

/** One page of a listing. `nextToken` is opaque; absent on the last page. */
export interface Page<T> {
    items: T[];
    nextToken?: string;
}

/** Registry of applications (DynamoDB applications table in AWS). */
export interface ApplicationRegistry {
    /** Creates the application; rejects if the id exists. */
    createApplication(app: Application): Promise<void>;
    getApplication(applicationId: string): Promise<Application | undefined>;
    listApplications(limit: number, nextToken?: string): Promise<Page<Application>>;
    /** Applies `changes`; returns the updated application, or undefined when it does not exist. */
    updateApplication(applicationId: string, changes: ApplicationChanges): Promise<Application | undefined>;
    /** Returns false when the application did not exist. */
    deleteApplication(applicationId: string): Promise<boolean>;
}

/** Store of API keys (DynamoDB authorizations table in AWS, keyed by hash). */
export interface KeyStore {
    putKey(key: StoredApiKey): Promise<void>;
    /** One point lookup by hash: the authorizer's only call. */
    getKeyByHash(apiKeyHash: string): Promise<StoredApiKey | undefined>;
    getKey(applicationId: string, apiKeyId: string): Promise<StoredApiKey | undefined>;
    listKeys(applicationId: string, limit: number, nextToken?: string): Promise<Page<StoredApiKey>>;
    /** Returns the updated key, or undefined when it does not exist. */
    setKeyEnabled(applicationId: string, apiKeyId: string, enabled: boolean, updatedAt: string): Promise<StoredApiKey | undefined>;
    deleteKey(applicationId: string, apiKeyId: string): Promise<boolean>;
    /** Deletes every key of the application; returns how many were deleted. */
    deleteKeysOfApplication(applicationId: string): Promise<number>;
}

/** One record handed to a sink: newline-delimited JSON documents (see contracts.ts IngestRecord). */
export interface SinkRecord {
    /** UTF-8 bytes of the record. */
    data: Buffer;
    /** Partition key (Kinesis); ignored by Firehose. */
    partitionKey: string;
}

/** Outcome of one record of a batch put, in input order. */
export interface SinkRecordResult {
    ok: boolean;
    /** Error code from the service when not ok (e.g. ProvisionedThroughputExceededException). */
    errorCode?: string;
    errorMessage?: string;
}

/**
 * Where accepted events go: Firehose PutRecordBatch (DIRECT_BATCH), Kinesis PutRecords
 * (KINESIS_DATA_STREAMS) or the local mode's spool. One call takes at most `maxRecordsPerCall`
 * records and `maxBytesPerCall` bytes; the caller chunks.
 */
export interface EventSink {
    readonly maxRecordsPerCall: number;
    readonly maxBytesPerCall: number;
    /** Largest single record in bytes. */
    readonly maxRecordBytes: number;
    /** Whether several events may be packed into one record (newline-delimited). */
    readonly packsEvents: boolean;
    putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]>;
}

/**
 * Thrown by a listing when `nextToken` is not one it issued (malformed, or from another listing).
 * The admin API answers it with 400.
 */
export class InvalidPageTokenError extends Error {
    constructor(detail: string) {
        super(`nextToken: ${detail}`);
        this.name = "InvalidPageTokenError";
    }
}

/** Thrown by a create when the id (or key hash) already exists. */
export class AlreadyExistsError extends Error {
    constructor(what: string) {
        super(`${what} already exists`);
        this.name = "AlreadyExistsError";
    }
}
