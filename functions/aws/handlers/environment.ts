/**
 * Reading the Lambda functions' environment. The names live in functions/core/environment-names.ts,
 * the one source the Pulumi components write them from.
 */

export { numberEnv, requiredEnv } from "../../core/environment-reading";
