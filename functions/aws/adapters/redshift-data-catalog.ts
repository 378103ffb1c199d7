/**
 * The warehouse catalog (functions/core/redshift-setup.ts `WarehouseCatalog`) over the Redshift
 * Data API's `ListTables`: a synchronous metadata call (no statement to start and poll), paged.
 *
 * Authentication: `WorkgroupName` without `SecretArn`, so the Data API takes temporary database
 * credentials for the caller's IAM role (`redshift-serverless:GetCredentials` on the workgroup);
 * the function never reads the admin secret. Catalog metadata is listed for any database user.
 *
 * Errors: the workgroup not answering (a usage limit's "deactivate", a connection failure,
 * throttling, a service fault) is a {@link WarehouseUnavailableError} (503 upstream); a wrong
 * workgroup or database name (`ValidationException`, `ResourceNotFoundException`) is a wiring
 * mistake and is rethrown.
 */
import { ListTablesCommand, type ListTablesCommandOutput } from "@aws-sdk/client-redshift-data";
import { type WarehouseCatalog, type WarehouseRelation, WarehouseUnavailableError } from "../../core/redshift-setup";

/** The part of `RedshiftDataClient` the adapter uses (a real client, or a test's). */
export interface RedshiftDataSender {
    send(command: ListTablesCommand): Promise<ListTablesCommandOutput>;
}

/** Where the catalog is. */
export interface RedshiftDataTarget {
    /** Redshift Serverless workgroup name. */
    workgroupName: string;
    /** Database of the views. */
    database: string;
}

/** Error names meaning "the warehouse cannot answer now". */
export const UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
    "DatabaseConnectionException", "InternalServerException", "ThrottlingException",
    "ActiveSessionsExceededException", "ActiveStatementsExceededException", "ActiveWaitingRequestsExceededException",
    "QueryTimeoutException", "ServiceUnavailableException", "TimeoutError",
]);

/** Largest page ListTables returns. */
const PAGE_SIZE = 1000;
/** A schema holds about 13 relations; more pages than this means a loop in the tokens. */
const MAX_PAGES = 50;

/** Lists a schema's relations through the Data API. */
export class RedshiftDataCatalog implements WarehouseCatalog {
    constructor(private readonly client: RedshiftDataSender, private readonly target: RedshiftDataTarget) {}

    async listRelations(schema: string): Promise<WarehouseRelation[]> {
        const relations: WarehouseRelation[] = [];
        let nextToken: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
            let out: ListTablesCommandOutput;
            try {
                out = await this.client.send(new ListTablesCommand({
                    WorkgroupName: this.target.workgroupName,
                    Database: this.target.database,
                    // "_" and "%" are wildcards in the pattern: escape them so only this schema matches.
                    SchemaPattern: schema.replace(/[\\%_]/g, (c) => `\\${c}`),
                    MaxResults: PAGE_SIZE,
                    NextToken: nextToken,
                }));
            } catch (error) {
                throw unavailable(error);
            }
            for (const t of out.Tables ?? []) {
                if (t.name !== undefined && (t.schema === undefined || t.schema === schema)) relations.push({ name: t.name, type: t.type ?? "UNKNOWN" });
            }
            nextToken = out.NextToken || undefined;
            if (nextToken === undefined) return relations;
        }
        throw new WarehouseUnavailableError(`ListTables returned more than ${MAX_PAGES} pages for schema ${schema}`);
    }
}

/** Maps the service's "cannot answer now" errors to WarehouseUnavailableError; others pass. */
export function unavailable(error: unknown): unknown {
    const name = (error as { name?: string } | undefined)?.name ?? "";
    if (UNAVAILABLE_ERRORS.has(name)) return new WarehouseUnavailableError(`${name}: ${(error as Error).message}`);
    return error;
}
