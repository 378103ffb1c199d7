/**
 * The three OpenSearch Serverless policies of the real-time collection, as the JSON documents
 * AWS takes (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html,
 * serverless-network.html, serverless-data-access.html):
 * - encryption: the collection encrypted with a customer-managed KMS key (`AWSOwnedKey: false`);
 * - network: no public access (`AllowFromPublic: false`), the collection endpoint reachable only
 *   from the tier's OpenSearch Serverless VPC endpoint and from OpenSearch UI (AWS service access);
 *   the collection's own Dashboards endpoint from nowhere (OpenSearch UI replaces it);
 * - data access: the real-time function may create and describe its index and write documents,
 *   the readers may describe and read; named principals only, named permissions only.
 * Policy-pack rules (policy/rules/opensearch.ts) check the same properties on any stack.
 */

/** Service principal OpenSearch UI (aws.opensearch.Application) reaches collections through. */
export const OPENSEARCH_UI_SOURCE_SERVICE = "application.opensearchservice.amazonaws.com";

/** What the real-time function may do on its index (no aoss:*). */
export const WRITER_INDEX_PERMISSIONS = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:WriteDocument"] as const;
/** What a dashboard reader may do on the index. */
export const READER_INDEX_PERMISSIONS = ["aoss:DescribeIndex", "aoss:ReadDocument"] as const;
/** Collection-level permission both need (listing what the collection holds). */
export const COLLECTION_PERMISSIONS = ["aoss:DescribeCollectionItems"] as const;

/** Encryption policy: the collection `collectionName` with the customer-managed key `kmsKeyArn`. */
export function encryptionPolicy(collectionName: string, kmsKeyArn: string): string {
    return JSON.stringify({
        Rules: [{ ResourceType: "collection", Resource: [`collection/${collectionName}`] }],
        AWSOwnedKey: false,
        KmsARN: kmsKeyArn,
    });
}

/** Network policy: private collection endpoint (the VPC endpoint, OpenSearch UI), no Dashboards endpoint access. */
export function networkPolicy(collectionName: string, vpcEndpointId: string): string {
    return JSON.stringify([{
        Description: "Private: the real-time function through the VPC endpoint, OpenSearch UI as an AWS service; never public",
        Rules: [{ ResourceType: "collection", Resource: [`collection/${collectionName}`] }],
        AllowFromPublic: false,
        SourceVPCEs: [vpcEndpointId],
        SourceServices: [OPENSEARCH_UI_SOURCE_SERVICE],
    }]);
}

/** Data access policy: the writer on `index`, and the readers when there are any. */
export function dataAccessPolicy(collectionName: string, index: string, writerArn: string, readerArns: readonly string[]): string {
    const rules = (indexPermissions: readonly string[]) => [
        { ResourceType: "index", Resource: [`index/${collectionName}/${index}`], Permission: [...indexPermissions] },
        { ResourceType: "collection", Resource: [`collection/${collectionName}`], Permission: [...COLLECTION_PERMISSIONS] },
    ];
    const statements: object[] = [{ Description: "The real-time metrics function writes its index", Rules: rules(WRITER_INDEX_PERMISSIONS), Principal: [writerArn] }];
    if (readerArns.length > 0) statements.push({ Description: "Dashboard readers", Rules: rules(READER_INDEX_PERMISSIONS), Principal: [...readerArns] });
    return JSON.stringify(statements);
}
