/**
 * S3: every bucket has SSE-KMS default encryption, a public access block with all four settings
 * on, and a bucket policy denying requests not made over TLS. Each is a separate resource in
 * @pulumi/aws v7, so these are stack rules relating each bucket to its configuration resources.
 */
import { parsePolicyDocument } from "./policy-documents";
import { bucketIdentities, label, ofType, refersTo, sameTarget } from "./relations";
import { ResourceFacts, ResourceRule, StackRule, TYPES, Violation } from "./types";

const BUCKET_TYPES = [TYPES.bucket, TYPES.bucketV2];
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];
const PUBLIC_ACCESS_SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Checks each bucket against the configuration resources pointing at it. */
function perBucket(check: (bucket: ResourceFacts, configs: (type: string[]) => ResourceFacts[]) => string | undefined) {
    return (resources: readonly ResourceFacts[]): Violation[] => {
        const violations: Violation[] = [];
        for (const bucket of ofType(resources, ...BUCKET_TYPES)) {
            const identities = bucketIdentities(bucket);
            const configs = (types: string[]) => ofType(resources, ...types).filter((c) => refersTo(c, "bucket", bucket, identities));
            const message = check(bucket, configs);
            if (message !== undefined) violations.push({ message: `${label(bucket)}: ${message}`, urn: bucket.urn });
        }
        return violations;
    };
}

function usesKms(rules: unknown): boolean {
    return Array.isArray(rules) && rules.length > 0 && rules.every((rule) =>
        KMS_ALGORITHMS.includes(rule?.applyServerSideEncryptionByDefault?.sseAlgorithm));
}

export const s3BucketEncryptedWithKms: StackRule = {
    name: "s3-bucket-encrypted-with-kms",
    description: "Every S3 bucket has default server-side encryption with KMS (a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms).",
    check: perBucket((bucket, configs) => {
        const inline = bucket.props.serverSideEncryptionConfiguration?.rules ?? bucket.props.serverSideEncryptionConfiguration?.rule;
        if (inline !== undefined && usesKms(Array.isArray(inline) ? inline : [inline])) return undefined;
        const encryption = configs([TYPES.bucketEncryption, TYPES.bucketEncryptionV2]);
        if (encryption.length === 0) return "no BucketServerSideEncryptionConfiguration with SSE-KMS; add one with sseAlgorithm \"aws:kms\"";
        if (!encryption.every((e) => usesKms(e.props.rules))) {
            return "default encryption is not SSE-KMS; set applyServerSideEncryptionByDefault.sseAlgorithm to \"aws:kms\"";
        }
        return undefined;
    }),
};

export const s3PublicAccessBlocked: StackRule = {
    name: "s3-public-access-blocked",
    description: "Every S3 bucket has a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    check: perBucket((_bucket, configs) => {
        const blocks = configs([TYPES.bucketPublicAccessBlock]);
        if (blocks.length === 0) return "no BucketPublicAccessBlock; add one with all four settings true";
        const off = PUBLIC_ACCESS_SETTINGS.filter((setting) => !blocks.some((b) => b.props[setting] === true));
        return off.length === 0 ? undefined : `public access block leaves ${off.join(", ")} not true`;
    }),
};

/** Whether a bucket policy denies every S3 action to everyone when aws:SecureTransport is false. */
export function deniesInsecureTransport(policy: unknown): boolean {
    return parsePolicyDocument(policy).some((s) => {
        const everyone = s.principal === "*" || (s.principal as { AWS?: unknown } | undefined)?.AWS === "*";
        const allS3 = s.actions.some((a) => a === "s3:*" || a === "*");
        const secureTransport = s.condition?.Bool?.["aws:SecureTransport"];
        const whenInsecure = secureTransport === "false" || secureTransport === false
            || (Array.isArray(secureTransport) && secureTransport.length === 1 && String(secureTransport[0]) === "false");
        return s.effect === "Deny" && everyone && allS3 && whenInsecure;
    });
}

export const s3TlsOnly: StackRule = {
    name: "s3-tls-only",
    description: "Every S3 bucket has a bucket policy that denies s3:* to everyone when aws:SecureTransport is false.",
    check: perBucket((_bucket, configs) => {
        const policies = configs([TYPES.bucketPolicy]);
        if (policies.length === 0) return "no bucket policy; add one denying s3:* when aws:SecureTransport is \"false\"";
        return policies.some((p) => deniesInsecureTransport(p.props.policy))
            ? undefined
            : "bucket policy does not deny s3:* to Principal \"*\" on condition Bool aws:SecureTransport \"false\"";
    }),
};

/** Whether a lifecycle rule's filter names what it applies to (an empty filter `{}` is deprecated). */
function explicitFilter(rule: Record<string, any>): boolean {
    const filter = rule.filter;
    if (filter === undefined || filter === null || typeof filter !== "object") return false;
    return typeof filter.prefix === "string" || filter.tag !== undefined || filter.and !== undefined
        || filter.objectSizeGreaterThan !== undefined || filter.objectSizeLessThan !== undefined;
}

export const s3LifecycleExplicitFilter: ResourceRule = {
    name: "s3-lifecycle-explicit-filter",
    description: "Every S3 lifecycle rule has an explicit filter (a bucket-wide rule: prefix \"\"); the provider deprecates the empty filter {}.",
    types: [TYPES.bucketLifecycle],
    check: ({ props }) => (props.rules ?? []).filter((r: Record<string, any>) => !explicitFilter(r))
        .map((r: Record<string, any>) => `lifecycle rule "${r.id}" has no explicit filter; use filter: { prefix: "" } for a bucket-wide rule (the empty filter {} is deprecated)`),
};

export const s3VersionedBucketExpiresNoncurrent: StackRule = {
    name: "s3-versioned-bucket-expires-noncurrent",
    description: "A versioned bucket has a bucket-wide lifecycle rule expiring non-current versions and one removing expired delete markers; otherwise every overwritten or deleted object is kept forever.",
    check: (resources) => {
        const lifecycles = ofType(resources, TYPES.bucketLifecycle);
        const violations: Violation[] = [];
        for (const versioning of ofType(resources, TYPES.bucketVersioning).filter((v) => v.props.versioningConfiguration?.status === "Enabled")) {
            const rules = lifecycles.filter((l) => sameTarget(l, "bucket", versioning, "bucket")).flatMap((l) => l.props.rules ?? [])
                .filter((r: Record<string, any>) => r.status === "Enabled" && r.filter?.prefix === "" && r.filter.tag === undefined && r.filter.and === undefined);
            const noncurrent = rules.some((r: Record<string, any>) => r.noncurrentVersionExpiration?.noncurrentDays > 0);
            const markers = rules.some((r: Record<string, any>) => r.expiration?.expiredObjectDeleteMarker === true);
            if (!noncurrent || !markers) {
                violations.push({ urn: versioning.urn, message: `${label(versioning)}: the versioned bucket has no bucket-wide rule ${!noncurrent ? "expiring non-current versions (noncurrentVersionExpiration)" : ""}${!noncurrent && !markers ? " nor one " : ""}${!markers ? "removing expired delete markers (expiration.expiredObjectDeleteMarker)" : ""}; old versions are kept forever` });
            }
        }
        return violations;
    },
};
