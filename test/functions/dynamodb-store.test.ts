import { strict as assert } from "node:assert";
import { DynamoDbApplicationRegistry, DynamoDbKeyStore } from "../../functions/aws/adapters/dynamodb-store";
import { AlreadyExistsError, type StoredApiKey } from "../../functions/core/ports";
import { generateApiKey, newUuid } from "../../functions/core/api-keys";
import { type DynamoFixture, startDynamo } from "./support/servers";

describe("DynamoDB adapters (dynalite)", () => {
    let db: DynamoFixture;
    let batchWrites = 0;
    let unprocessedLeft = 0;

    before(async () => {
        db = await startDynamo();
        // Fault injection: the next `unprocessedLeft` BatchWriteItem calls process nothing.
        db.client.middlewareStack.add(
            (next, context) => async (args) => {
                if (context.commandName !== "BatchWriteItemCommand") return next(args);
                batchWrites++;
                if (unprocessedLeft > 0) {
                    unprocessedLeft--;
                    const input = args.input as { RequestItems: unknown };
                    return { output: { $metadata: {}, UnprocessedItems: input.RequestItems }, response: {} } as never;
                }
                return next(args);
            },
            { step: "initialize", name: "unprocessedItems" },
        );
    });
    after(async () => db.stop());

    function key(applicationId: string): StoredApiKey {
        const generated = generateApiKey();
        return {
            ApiKeyId: newUuid(),
            ApiKeyHash: generated.hash,
            ApiKeyHint: generated.hint,
            ApiKeyName: "k",
            ApiKeyDescription: "",
            ApplicationId: applicationId,
            CreatedAt: "t",
            UpdatedAt: "t",
            Enabled: true,
        };
    }

    it("refuses to create an application whose id exists", async () => {
        const registry = new DynamoDbApplicationRegistry(db.doc, db.appsTable);
        const app = { ApplicationId: newUuid(), ApplicationName: "a", Description: "", CreatedAt: "t", UpdatedAt: "t" };
        await registry.createApplication(app);
        await assert.rejects(registry.createApplication({ ...app, ApplicationName: "b" }), AlreadyExistsError);
        assert.equal((await registry.getApplication(app.ApplicationId))?.ApplicationName, "a");
    });

    it("retries unprocessed BatchWrite items until every key of the application is deleted", async () => {
        const keys = new DynamoDbKeyStore(db.doc, db.keysTable);
        const app = newUuid();
        const other = newUuid();
        for (let i = 0; i < 27; i++) await keys.putKey(key(app));
        const survivor = key(other);
        await keys.putKey(survivor);
        batchWrites = 0;
        unprocessedLeft = 2;
        assert.equal(await keys.deleteKeysOfApplication(app), 27);
        assert.equal(batchWrites, 4, "2 batches of 25+2, the first retried twice");
        assert.deepEqual((await keys.listKeys(app, 100)).items, []);
        assert.equal((await keys.getKeyByHash(survivor.ApiKeyHash))?.ApiKeyId, survivor.ApiKeyId, "other applications' keys stay");
    });

    it("does not update or delete a key through another application's id", async () => {
        const keys = new DynamoDbKeyStore(db.doc, db.keysTable);
        const stored = key(newUuid());
        await keys.putKey(stored);
        const stranger = newUuid();
        assert.equal(await keys.setKeyEnabled(stranger, stored.ApiKeyId, false, "t2"), undefined);
        assert.equal(await keys.deleteKey(stranger, stored.ApiKeyId), false);
        assert.equal((await keys.getKeyByHash(stored.ApiKeyHash))?.Enabled, true);
    });
});
