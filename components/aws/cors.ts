/**
 * CORS of the events route: the preflight (OPTIONS) answer, built by API Gateway without a
 * Lambda. With a list of origins, the request's Origin is echoed back only when it is allowed.
 */

/** Headers a browser game client may send on the events route. */
export const CORS_ALLOWED_HEADERS = "Content-Type,Authorization,X-Amz-Date,X-Amz-Security-Token";
export const CORS_ALLOWED_METHODS = "OPTIONS,POST";

/** The static `Access-Control-Allow-Origin` value: `*` when every origin is allowed, else the first. */
export function staticAllowOrigin(origins: readonly string[]): string {
    return origins.includes("*") ? "*" : origins[0] ?? "*";
}

/**
 * Mapping template of the preflight's integration response. With explicit origins it overrides
 * `Access-Control-Allow-Origin` with the request's Origin when that origin is in the list.
 */
export function preflightResponseTemplate(origins: readonly string[]): string {
    if (origins.includes("*")) return "";
    const list = origins.map((o) => `"${o}"`).join(",");
    return [
        `#set($allowed = [${list}])`,
        `#set($origin = $input.params().header.get("Origin"))`,
        `#if($origin == "")#set($origin = $input.params().header.get("origin"))#end`,
        `#if($allowed.contains($origin))`,
        `#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)`,
        `#end`,
    ].join("\n");
}
