/**
 * How resources of the pipeline are replaced. Pulumi creates a replacement before deleting the
 * old resource by default; under a fixed physical name (a Lambda function name, a Firehose stream
 * name, a Glue job name, ...) the create fails with "already exists". So:
 *
 * - stateless resources with a fixed name are deleted first (`deleteBeforeReplace`), e.g. the
 *   Firehose stream when `ingestMode` switches (its source, destination and dynamic partitioning
 *   are replace-on-change);
 * - stateful resources (tables, the bucket, the stream, KMS keys, the Glue database and tables)
 *   are never deleted to be replaced: in production they are `protect`ed (a replacing change
 *   fails at preview instead of losing data) and `retainOnDelete` (even an explicit removal leaves
 *   the data in the account). Development stacks stay destroyable.
 *
 * Settings that would replace a stateful resource (docs/deploy.md "Changes that replace data"):
 * `workloadName` (every name), `eventsDatabase` (the Glue database and table), `rawEventsTable`,
 * `ingestMode` (creates or removes the Kinesis stream and its key), `streamProvisioned` does not
 * (updated in place).
 */
import * as pulumi from "@pulumi/pulumi";
import { FIXED_NAME_STATELESS_TYPES, STATEFUL_TYPES } from "../../policy/rules/replacement";

// One list for the program and the policy pack's replacement rules (policy/rules/replacement.ts).
export { FIXED_NAME_STATELESS_TYPES, STATEFUL_TYPES } from "../../policy/rules/replacement";

/**
 * A transformation for a component (it applies to every descendant) setting the replacement
 * options above.
 * @param protectData protect and retain stateful resources (production).
 * @example new ProcessingTier("p", args, { transformations: [replacementPolicy(true)] })
 */
export function replacementPolicy(protectData: boolean): pulumi.ResourceTransformation {
    return (args) => {
        if (STATEFUL_TYPES.includes(args.type)) {
            return {
                props: args.props,
                opts: pulumi.mergeOptions(args.opts, {
                    deleteBeforeReplace: false,
                    ...(protectData ? { protect: true, retainOnDelete: true } : {}),
                }),
            };
        }
        if (FIXED_NAME_STATELESS_TYPES.includes(args.type)) {
            return { props: args.props, opts: pulumi.mergeOptions(args.opts, { deleteBeforeReplace: true }) };
        }
        return undefined;
    };
}
