/**
 * One SQL query through the Redshift Data API, which is asynchronous: `ExecuteStatement` starts
 * it, `DescribeStatement` is polled until FINISHED / FAILED / ABORTED or the caller's deadline
 * (then the statement is left to end by itself and the run fails), `GetStatementResult` pages the
 * rows, which come back as plain objects keyed by column label.
 *
 * Authentication: `WorkgroupName` and the namespace's managed admin `SecretArn` (see
 * functions/aws/sdk-usage.ts WAREHOUSE_SDK_USAGE for why the monitor needs the admin).
 */
import {
    DescribeStatementCommand, type DescribeStatementCommandOutput, ExecuteStatementCommand, type ExecuteStatementCommandOutput,
    type Field, GetStatementResultCommand, type GetStatementResultCommandOutput,
} from "@aws-sdk/client-redshift-data";

/** The part of `RedshiftDataClient` used here (a real client, or a test's). */
export interface RedshiftStatementSender {
    send(command: ExecuteStatementCommand): Promise<ExecuteStatementCommandOutput>;
    send(command: DescribeStatementCommand): Promise<DescribeStatementCommandOutput>;
    send(command: GetStatementResultCommand): Promise<GetStatementResultCommandOutput>;
}

export interface StatementTarget {
    workgroupName: string;
    database: string;
    /** Secrets Manager ARN of the database credentials. */
    secretArn: string;
}

export interface PollOptions {
    /** Milliseconds between DescribeStatement calls. @default 500 */
    intervalMs?: number;
    /** Give up after this many milliseconds from the start. @default 40_000 */
    deadlineMs?: number;
    /** Waits `ms` (injectable for tests). @default setTimeout */
    sleep?: (ms: number) => Promise<void>;
    /** Milliseconds now (injectable for tests). @default Date.now */
    now?: () => number;
}

/** A statement that did not finish: FAILED, ABORTED, or still running at the deadline. */
export class StatementError extends Error {
    constructor(readonly statementId: string, readonly status: string, detail: string) {
        super(`statement ${statementId} ${status}: ${detail}`);
        this.name = "StatementError";
    }
}

/** Runs queries and returns their rows. */
export class RedshiftDataQueryRunner {
    constructor(private readonly client: RedshiftStatementSender, private readonly target: StatementTarget, private readonly options: PollOptions = {}) {}

    async query(sql: string): Promise<Record<string, unknown>[]> {
        const intervalMs = this.options.intervalMs ?? 500;
        const deadlineMs = this.options.deadlineMs ?? 40_000;
        const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
        const now = this.options.now ?? Date.now;
        const started = now();
        const { Id: id } = await this.client.send(new ExecuteStatementCommand({
            WorkgroupName: this.target.workgroupName, Database: this.target.database, SecretArn: this.target.secretArn, Sql: sql,
        }));
        if (id === undefined) throw new Error("ExecuteStatement returned no statement id");
        for (;;) {
            const d = await this.client.send(new DescribeStatementCommand({ Id: id }));
            if (d.Status === "FINISHED") {
                if (!d.HasResultSet) return [];
                return this.rows(id);
            }
            if (d.Status === "FAILED" || d.Status === "ABORTED") throw new StatementError(id, d.Status, d.Error ?? "no error text");
            if (now() - started >= deadlineMs) throw new StatementError(id, d.Status ?? "UNKNOWN", `still running after ${deadlineMs} ms`);
            await sleep(intervalMs);
        }
    }

    private async rows(id: string): Promise<Record<string, unknown>[]> {
        const rows: Record<string, unknown>[] = [];
        let nextToken: string | undefined;
        do {
            const page = await this.client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken }));
            const columns = (page.ColumnMetadata ?? []).map((c, i) => c.label ?? c.name ?? `column${i}`);
            for (const record of page.Records ?? []) {
                rows.push(Object.fromEntries(record.map((field, i) => [columns[i] ?? `column${i}`, fieldValue(field)])));
            }
            nextToken = page.NextToken || undefined;
        } while (nextToken !== undefined);
        return rows;
    }
}

/** The plain value of a Data API field. */
export function fieldValue(field: Field): string | number | boolean | null {
    if (field.isNull) return null;
    if (field.stringValue !== undefined) return field.stringValue;
    if (field.longValue !== undefined) return field.longValue;
    if (field.doubleValue !== undefined) return field.doubleValue;
    if (field.booleanValue !== undefined) return field.booleanValue;
    if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString("base64");
    return null;
}
