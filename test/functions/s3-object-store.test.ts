/**
 * The stream archiver's S3 store over a real `@aws-sdk/client-s3` client, against an HTTP listener
 * on 127.0.0.1 that records what reaches the wire (no S3 emulator is embedded here): the request
 * S3 would receive (path, body, SSE-KMS headers with the Bucket Key) and a refused put.
 */
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { S3Client } from "@aws-sdk/client-s3";
import { s3PutObject, S3ObjectStore } from "../../functions/aws/adapters/s3-object-store";
import { STREAM_ARCHIVER_SDK_USAGE } from "../../functions/aws/sdk-usage";

interface Received { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }

/** Listens on 127.0.0.1 and answers every request with `status`, recording it. */
async function listener(status: number): Promise<{ endpoint: string; received: Received[]; close(): Promise<void> }> {
    const received: Received[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
            if (status === 200) {
                res.writeHead(200, { ETag: '"d41d8cd98f00b204e9800998ecf8427e"' }).end();
            } else {
                res.writeHead(status, { "Content-Type": "application/xml" })
                    .end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>r1</RequestId></Error>`);
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { endpoint: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function client(endpoint: string): S3Client {
    return new S3Client({ endpoint, forcePathStyle: true, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
}

const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("S3ObjectStore over @aws-sdk/client-s3", () => {
    it("sends one PutObject per object: the key under the bucket, the bytes, SSE-KMS with the lake key and a Bucket Key", async () => {
        const s3 = await listener(200);
        try {
            const store = new S3ObjectStore(s3PutObject(client(s3.endpoint)), "lake-bucket", KEY_ARN);
            const body = new Uint8Array(Buffer.from("PAR1 parquet bytes PAR1"));
            await store.put({ key: "raw_events/year=2026/month=12/day=02/shardId-000000000000-4959.parquet", body, contentType: "application/vnd.apache.parquet", lines: 1 });
            assert.equal(s3.received.length, 1);
            const [put] = s3.received;
            assert.equal(put!.method, "PUT");
            assert.equal(decodeURIComponent(put!.url.split("?")[0]!), "/lake-bucket/raw_events/year=2026/month=12/day=02/shardId-000000000000-4959.parquet");
            assert.deepEqual(put!.body, Buffer.from(body));
            assert.equal(put!.headers["x-amz-server-side-encryption"], "aws:kms");
            assert.equal(put!.headers["x-amz-server-side-encryption-aws-kms-key-id"], KEY_ARN);
            assert.equal(put!.headers["x-amz-server-side-encryption-bucket-key-enabled"], "true");
            assert.equal(put!.headers["content-type"], "application/vnd.apache.parquet");
            assert.match(String(put!.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request/);
        } finally {
            await s3.close();
        }
    });

    it("rejects a refused put with the object's s3:// address and S3's error name, so the invocation fails and the batch is retried", async () => {
        const s3 = await listener(403);
        try {
            const store = new S3ObjectStore(s3PutObject(client(s3.endpoint)), "lake-bucket", KEY_ARN);
            await assert.rejects(store.put({ key: "raw_events/year=2026/month=12/day=02/a.parquet", body: new Uint8Array([1, 2, 3]), contentType: "application/vnd.apache.parquet", lines: 1 }),
                /PutObject s3:\/\/lake-bucket\/raw_events\/year=2026\/month=12\/day=02\/a\.parquet failed \(AccessDenied\)/);
        } finally {
            await s3.close();
        }
    });

    it("PutObject is the only S3 call the function's code makes, and SDK_USAGE declares it on the folders it writes", () => {
        const functionS3 = STREAM_ARCHIVER_SDK_USAGE.filter((u) => u.caller === "function" && u.actions.some((a) => a.startsWith("s3:")));
        assert.deepEqual(functionS3.map((u) => [u.resource, u.actions.join()]), [["rawEventsFolder", "s3:PutObject"], ["errorsFolder", "s3:PutObject"], ["rawBackupFolder", "s3:PutObject"]]);
    });
});
