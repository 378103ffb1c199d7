/**
 * In-memory implementations of the ports for the security tests: an application registry, a key
 * store (by hash, like the DynamoDB table) and an event sink that records every line it accepts
 * and can be told to fail calls.
 */
import type { Application, ApplicationChanges, ApplicationRegistry, EventSink, KeyStore, Page, SinkRecord, SinkRecordResult, StoredApiKey } from "../../../functions/core/ports";
import { AlreadyExistsError, InvalidPageTokenError } from "../../../functions/core/ports";

function page<T>(all: T[], limit: number, nextToken: string | undefined): Page<T> {
    const start = nextToken === undefined ? 0 : Number(nextToken);
    if (!Number.isInteger(start) || start < 0 || start > all.length || (nextToken !== undefined && String(start) !== nextToken)) {
        throw new InvalidPageTokenError("not a token of this listing");
    }
    const items = all.slice(start, start + limit);
    return start + limit < all.length ? { items, nextToken: String(start + limit) } : { items };
}

export class MemoryRegistry implements ApplicationRegistry {
    readonly apps = new Map<string, Application>();
    async createApplication(app: Application): Promise<void> {
        if (this.apps.has(app.ApplicationId)) throw new AlreadyExistsError(`application ${app.ApplicationId}`);
        this.apps.set(app.ApplicationId, { ...app });
    }
    async getApplication(id: string): Promise<Application | undefined> {
        const app = this.apps.get(id);
        return app && { ...app };
    }
    async listApplications(limit: number, nextToken?: string): Promise<Page<Application>> {
        return page([...this.apps.values()], limit, nextToken);
    }
    async updateApplication(id: string, changes: ApplicationChanges): Promise<Application | undefined> {
        const app = this.apps.get(id);
        if (app === undefined) return undefined;
        const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
        const updated = { ...app, ...defined };
        this.apps.set(id, updated);
        return { ...updated };
    }
    async deleteApplication(id: string): Promise<boolean> {
        return this.apps.delete(id);
    }
}

export class MemoryKeyStore implements KeyStore {
    readonly byHash = new Map<string, StoredApiKey>();
    async putKey(key: StoredApiKey): Promise<void> {
        if (this.byHash.has(key.ApiKeyHash)) throw new AlreadyExistsError("api key");
        this.byHash.set(key.ApiKeyHash, { ...key });
    }
    async getKeyByHash(hash: string): Promise<StoredApiKey | undefined> {
        const key = this.byHash.get(hash);
        return key && { ...key };
    }
    private find(applicationId: string, apiKeyId: string): StoredApiKey | undefined {
        return [...this.byHash.values()].find((k) => k.ApplicationId === applicationId && k.ApiKeyId === apiKeyId);
    }
    async getKey(applicationId: string, apiKeyId: string): Promise<StoredApiKey | undefined> {
        const key = this.find(applicationId, apiKeyId);
        return key && { ...key };
    }
    async listKeys(applicationId: string, limit: number, nextToken?: string): Promise<Page<StoredApiKey>> {
        return page([...this.byHash.values()].filter((k) => k.ApplicationId === applicationId), limit, nextToken);
    }
    async setKeyEnabled(applicationId: string, apiKeyId: string, enabled: boolean, updatedAt: string): Promise<StoredApiKey | undefined> {
        const key = this.find(applicationId, apiKeyId);
        if (!key) return undefined;
        key.Enabled = enabled;
        key.UpdatedAt = updatedAt;
        return { ...key };
    }
    async deleteKey(applicationId: string, apiKeyId: string): Promise<boolean> {
        const key = this.find(applicationId, apiKeyId);
        return key !== undefined && this.byHash.delete(key.ApiKeyHash);
    }
    async deleteKeysOfApplication(applicationId: string): Promise<number> {
        let n = 0;
        for (const [hash, key] of this.byHash) if (key.ApplicationId === applicationId && this.byHash.delete(hash)) n++;
        return n;
    }
}

/** A sink that keeps every accepted line; `failWhen` decides per call whether every record fails. */
export class RecordingSink implements EventSink {
    readonly lines: string[] = [];
    constructor(
        readonly maxRecordsPerCall = 500,
        readonly maxBytesPerCall = 4 * 1024 * 1024,
        readonly maxRecordBytes = 1024 * 1024,
        readonly packsEvents = true,
        private readonly failWhen: (call: number) => boolean = () => false,
    ) {}
    private calls = 0;
    async putRecords(records: SinkRecord[]): Promise<SinkRecordResult[]> {
        if (this.failWhen(this.calls++)) {
            return records.map(() => ({ ok: false, errorCode: "ProvisionedThroughputExceededException", errorMessage: "slow down" }));
        }
        for (const record of records) this.lines.push(...record.data.toString("utf8").split("\n").filter((l) => l !== ""));
        return records.map(() => ({ ok: true }));
    }
}
