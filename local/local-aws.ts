/**
 * AWS SDK client settings for the embedded local services: a fixed region and dummy credentials,
 * so the SDK never looks for real credentials or contacts AWS.
 */
export const LOCAL_AWS_CLIENT_CONFIG = {
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 3,
} as const;

/**
 * Silences the SDK's Node-version notice in the local tools: it concerns future SDK releases,
 * not the local services, and would bury the start banner. Call before creating clients.
 */
export function silenceSdkVersionNotice(): void {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

