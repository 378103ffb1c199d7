/**
 * The stream archiver's object store on S3: one PutObject per object, encrypted with the lake's
 * customer-managed key and an S3 Bucket Key (the bucket's default, restated on each request so a
 * changed bucket default never weakens the archive). A rejected put rejects: the archiver fails the
 * invocation and the event source mapping retries the batch, whose objects overwrite.
 *
 * The store calls S3 through a `PutObject` port (tests inject failures); {@link s3PutObject} is the
 * port over a real `@aws-sdk/client-s3` client (the bundle leaves `@aws-sdk/*` to the Lambda runtime).
 */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ArchiveObject, ObjectStore } from "../../core/stream-archive";

/** The PutObject input fields the store sets (a subset of `PutObjectCommandInput`). */
export interface PutObjectInput {
    Bucket: string;
    Key: string;
    Body: Uint8Array;
    ContentType: string;
    ServerSideEncryption: "aws:kms";
    SSEKMSKeyId: string;
    BucketKeyEnabled: true;
}

/** Sends one PutObject (e.g. `(input) => client.send(new PutObjectCommand(input))`). */
export type PutObject = (input: PutObjectInput) => Promise<unknown>;

export class S3ObjectStore implements ObjectStore {
    /**
     * @param putObject the S3 call
     * @param bucket the lake bucket
     * @param kmsKeyArn the lake's key
     */
    constructor(private readonly putObject: PutObject, private readonly bucket: string, private readonly kmsKeyArn: string) {}

    async put(object: ArchiveObject): Promise<void> {
        try {
            await this.putObject({
                Bucket: this.bucket,
                Key: object.key,
                Body: object.body,
                ContentType: object.contentType,
                ServerSideEncryption: "aws:kms",
                SSEKMSKeyId: this.kmsKeyArn,
                BucketKeyEnabled: true,
            });
        } catch (error) {
            const name = error instanceof Error ? error.name : "Error";
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`PutObject s3://${this.bucket}/${object.key} failed (${name}): ${message}`, { cause: error });
        }
    }
}

/** The PutObject port over a real S3 client. */
export function s3PutObject(client: S3Client): PutObject {
    return (input) => client.send(new PutObjectCommand(input));
}
