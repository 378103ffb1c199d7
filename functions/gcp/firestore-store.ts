/**
 * ApplicationRegistry and KeyStore over Firestore (native mode), behind the same ports as the
 * DynamoDB adapters. Applications: document id = application id. Keys: document id = the key's
 * SHA-256 hash, so `getKeyByHash` (the authorizer's only call) is one document read. Listings
 * are ordered by document id (applications) or by ApiKeyId (keys of one application) and page
 * with an opaque token holding the last id.
 *
 * The adapter talks to the small subset of @google-cloud/firestore below (its documented
 * method names and shapes), so tests can check it without the emulator, which does not run here.
 */
import { AlreadyExistsError, type Application, type ApplicationChanges, type ApplicationRegistry, InvalidPageTokenError, type KeyStore, type Page, type StoredApiKey } from "../core/ports";

/** A document snapshot (`DocumentSnapshot`). */
export interface DocSnapshot {
    readonly exists: boolean;
    readonly id: string;
    data(): Record<string, unknown> | undefined;
}
/** A document reference (`DocumentReference`). */
export interface DocRef {
    get(): Promise<DocSnapshot>;
    create(data: Record<string, unknown>): Promise<unknown>;
    update(data: Record<string, unknown>): Promise<unknown>;
    delete(): Promise<unknown>;
}
/** A query (`Query`). */
export interface FsQuery {
    where(field: string, op: "==", value: unknown): FsQuery;
    orderBy(field: string): FsQuery;
    startAfter(value: unknown): FsQuery;
    limit(n: number): FsQuery;
    get(): Promise<{ docs: DocSnapshot[] }>;
}
/** A collection (`CollectionReference`). */
export interface FsCollection extends FsQuery {
    doc(id: string): DocRef;
}
/** The database (`Firestore`). */
export interface FsDatabase {
    collection(path: string): FsCollection;
}

/** gRPC status ALREADY_EXISTS, which `create` rejects with when the document exists. */
export const GRPC_ALREADY_EXISTS = 6;
/** gRPC status NOT_FOUND, which `update` rejects with when the document is missing. */
export const GRPC_NOT_FOUND = 5;

/** Field path of a document id in queries (`FieldPath.documentId()` renders as this). */
export const DOCUMENT_ID = "__name__";

function encodeToken(lastId: string, kind: string): string {
    return Buffer.from(JSON.stringify({ k: kind, last: lastId }), "utf8").toString("base64url");
}

function decodeToken(token: string, kind: string): string {
    try {
        const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { k?: unknown; last?: unknown };
        if (parsed.k === kind && typeof parsed.last === "string" && parsed.last !== "") return parsed.last;
    } catch {
        // falls through to the error below
    }
    throw new InvalidPageTokenError(`not a token of this ${kind} listing`);
}

function code(err: unknown): unknown {
    return (err as { code?: unknown })?.code;
}

export class FirestoreApplicationRegistry implements ApplicationRegistry {
    constructor(private readonly db: FsDatabase, private readonly collection: string) {}

    async createApplication(app: Application): Promise<void> {
        try {
            await this.db.collection(this.collection).doc(app.ApplicationId).create({ ...app });
        } catch (err) {
            if (code(err) === GRPC_ALREADY_EXISTS) throw new AlreadyExistsError(`application ${app.ApplicationId}`);
            throw err;
        }
    }

    async getApplication(applicationId: string): Promise<Application | undefined> {
        const snap = await this.db.collection(this.collection).doc(applicationId).get();
        return snap.exists ? (snap.data() as unknown as Application) : undefined;
    }

    async updateApplication(applicationId: string, changes: ApplicationChanges): Promise<Application | undefined> {
        const ref = this.db.collection(this.collection).doc(applicationId);
        const update = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
        try {
            await ref.update(update);
        } catch (err) {
            if (code(err) === GRPC_NOT_FOUND) return undefined;
            throw err;
        }
        const snap = await ref.get();
        return snap.exists ? (snap.data() as unknown as Application) : undefined;
    }

    async listApplications(limit: number, nextToken?: string): Promise<Page<Application>> {
        let query: FsQuery = this.db.collection(this.collection).orderBy(DOCUMENT_ID);
        if (nextToken !== undefined) query = query.startAfter(decodeToken(nextToken, "applications"));
        const { docs } = await query.limit(limit + 1).get();
        const items = docs.slice(0, limit).map((d) => d.data() as unknown as Application);
        return docs.length > limit ? { items, nextToken: encodeToken(docs[limit - 1]!.id, "applications") } : { items };
    }

    async deleteApplication(applicationId: string): Promise<boolean> {
        const ref = this.db.collection(this.collection).doc(applicationId);
        const snap = await ref.get();
        if (!snap.exists) return false;
        await ref.delete();
        return true;
    }
}

export class FirestoreKeyStore implements KeyStore {
    constructor(private readonly db: FsDatabase, private readonly collection: string) {}

    private keys(): FsCollection {
        return this.db.collection(this.collection);
    }

    async putKey(key: StoredApiKey): Promise<void> {
        try {
            await this.keys().doc(key.ApiKeyHash).create({ ...key });
        } catch (err) {
            if (code(err) === GRPC_ALREADY_EXISTS) throw new AlreadyExistsError("API key hash");
            throw err;
        }
    }

    async getKeyByHash(apiKeyHash: string): Promise<StoredApiKey | undefined> {
        const snap = await this.keys().doc(apiKeyHash).get();
        return snap.exists ? (snap.data() as unknown as StoredApiKey) : undefined;
    }

    private async find(applicationId: string, apiKeyId: string): Promise<DocSnapshot | undefined> {
        const { docs } = await this.keys().where("ApplicationId", "==", applicationId).where("ApiKeyId", "==", apiKeyId).limit(1).get();
        return docs[0];
    }

    async getKey(applicationId: string, apiKeyId: string): Promise<StoredApiKey | undefined> {
        return (await this.find(applicationId, apiKeyId))?.data() as unknown as StoredApiKey | undefined;
    }

    async listKeys(applicationId: string, limit: number, nextToken?: string): Promise<Page<StoredApiKey>> {
        let query = this.keys().where("ApplicationId", "==", applicationId).orderBy("ApiKeyId");
        if (nextToken !== undefined) query = query.startAfter(decodeToken(nextToken, `keys:${applicationId}`));
        const { docs } = await query.limit(limit + 1).get();
        const items = docs.slice(0, limit).map((d) => d.data() as unknown as StoredApiKey);
        return docs.length > limit ? { items, nextToken: encodeToken(items[limit - 1]!.ApiKeyId, `keys:${applicationId}`) } : { items };
    }

    async setKeyEnabled(applicationId: string, apiKeyId: string, enabled: boolean, updatedAt: string): Promise<StoredApiKey | undefined> {
        const snap = await this.find(applicationId, apiKeyId);
        if (!snap) return undefined;
        try {
            await this.keys().doc(snap.id).update({ Enabled: enabled, UpdatedAt: updatedAt });
        } catch (err) {
            if (code(err) === GRPC_NOT_FOUND) return undefined;
            throw err;
        }
        return { ...(snap.data() as unknown as StoredApiKey), Enabled: enabled, UpdatedAt: updatedAt };
    }

    async deleteKey(applicationId: string, apiKeyId: string): Promise<boolean> {
        const snap = await this.find(applicationId, apiKeyId);
        if (!snap) return false;
        await this.keys().doc(snap.id).delete();
        return true;
    }

    async deleteKeysOfApplication(applicationId: string): Promise<number> {
        const { docs } = await this.keys().where("ApplicationId", "==", applicationId).get();
        await Promise.all(docs.map((d) => this.keys().doc(d.id).delete()));
        return docs.length;
    }
}
