/**
 * CORS of the events route's responses: browser game clients (WebGL builds, web shells) can read
 * an answer only when it carries `Access-Control-Allow-Origin` for their origin. The preflight
 * (OPTIONS) is answered by API Gateway; these headers go on every POST answer, errors included.
 */

/**
 * Response headers for a request from `origin`, given the allowed origins (`*` for any).
 * @example corsResponseHeaders("https://game.example.com", ["https://game.example.com"])
 *   // { "Access-Control-Allow-Origin": "https://game.example.com", Vary: "Origin" }
 */
export function corsResponseHeaders(origin: string | undefined, allowedOrigins: readonly string[]): Record<string, string> {
    if (allowedOrigins.includes("*")) return { "Access-Control-Allow-Origin": "*" };
    if (origin !== undefined && allowedOrigins.includes(origin)) return { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
    return {};
}

/** Allowed origins from their comma-separated form (the CORS_ALLOW_ORIGINS variable); none when absent. */
export function parseAllowedOrigins(value: string | undefined): string[] {
    return (value ?? "").split(",").map((origin) => origin.trim()).filter((origin) => origin !== "");
}
