/**
 * The API's resource templates and a resolver from a concrete path to a template with its
 * path parameters (API Gateway does this in AWS; the local server uses {@link resolveRoute}).
 */

export const APPLICATIONS = "/applications";
export const APPLICATION = "/applications/{applicationId}";
export const AUTHORIZATIONS = "/applications/{applicationId}/authorizations";
export const AUTHORIZATION = "/applications/{applicationId}/authorizations/{apiKeyId}";
export const EVENTS = "/applications/{applicationId}/events";
export const REDSHIFT_SETUP = "/redshift/setup";
/** The seeds' player-facing route (issue 16; JWT only): functions/core/player-auth/put-record.ts. */
export const PUT_RECORD = "/put-record";

/** Methods each admin resource accepts (IAM-protected in AWS). */
export const ADMIN_ROUTES: Readonly<Record<string, readonly string[]>> = {
    [APPLICATIONS]: ["GET", "POST"],
    [APPLICATION]: ["GET", "PUT", "DELETE"],
    [AUTHORIZATIONS]: ["GET", "POST"],
    [AUTHORIZATION]: ["GET", "PUT", "DELETE"],
    [REDSHIFT_SETUP]: ["POST"],
};

/** Methods of the events resource (API key authorizer). */
export const EVENTS_ROUTES: Readonly<Record<string, readonly string[]>> = { [EVENTS]: ["POST"] };

/** A path matched to its resource template. */
export interface ResolvedRoute {
    resource: string;
    pathParameters: Record<string, string>;
}

/** Methods of the put-record resource (player JWT authorizer). */
export const PUT_RECORD_ROUTES: Readonly<Record<string, readonly string[]>> = { [PUT_RECORD]: ["POST"] };

const TEMPLATES = [APPLICATIONS, APPLICATION, AUTHORIZATIONS, AUTHORIZATION, EVENTS, REDSHIFT_SETUP, PUT_RECORD];

/**
 * Matches a concrete path (no query string, no stage) to a resource template.
 * @example resolveRoute("/applications/abc/events") // { resource: EVENTS, pathParameters: { applicationId: "abc" } }
 */
export function resolveRoute(path: string): ResolvedRoute | undefined {
    const segments = path.split("/").filter((s) => s !== "");
    for (const template of TEMPLATES) {
        const parts = template.split("/").filter((s) => s !== "");
        if (parts.length !== segments.length) continue;
        const pathParameters: Record<string, string> = {};
        let matched = true;
        for (let i = 0; i < parts.length && matched; i++) {
            const part = parts[i]!;
            if (part.startsWith("{")) pathParameters[part.slice(1, -1)] = decodeSegment(segments[i]!);
            else matched = part === segments[i];
        }
        if (matched) return { resource: template, pathParameters };
    }
    return undefined;
}

function decodeSegment(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}
