/**
 * A development OIDC issuer for the local mode and the tests: an ES256 key pair generated with
 * `jose` at start (held in memory only), discovery (`/.well-known/openid-configuration`) and the
 * JWKS (`/jwks`) served with node:http on a loopback address, and tokens minted for test players.
 * Not for production: it signs whatever it is asked to.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { type Clock, systemClock } from "../ports";

/** Hosts the issuer may listen on: loopback only (nothing public). */
export const DEV_ISSUER_HOSTS = ["127.0.0.1", "::1"] as const;
/** Default audience of minted tokens. */
export const DEV_ISSUER_AUDIENCE = "game-analytics-local";
/** Default lifetime of a minted token, seconds. */
export const DEV_TOKEN_TTL_SECONDS = 3600;

/** Options of {@link startDevIssuer}. */
export interface DevIssuerOptions {
    /** Loopback address to listen on. @default "127.0.0.1" */
    host?: (typeof DEV_ISSUER_HOSTS)[number];
    /** Port; 0 picks a free one. @default 0 */
    port?: number;
    /** `aud` of minted tokens. @default "game-analytics-local" */
    audience?: string;
    /** Claim that names the application in minted tokens (when a token is minted for one). @default "app_id" */
    applicationClaim?: string;
    /** Clock of `iat`/`exp`. @default the system clock */
    clock?: Clock;
}

/** What a minted token says. */
export interface MintOptions {
    /** `sub` of the token. */
    playerId: string;
    /** Value of the application claim; omitted when undefined. */
    applicationId?: string;
    /** Lifetime from now, seconds (negative: already expired). @default 3600 */
    ttlSeconds?: number;
    /** Extra or overriding claims (tests: a wrong `aud`, a future `nbf`, ...). */
    claims?: Record<string, unknown>;
}

/** A running development issuer. */
export interface DevIssuer {
    /** `http://127.0.0.1:<port>`: the `iss` of its tokens. */
    readonly issuerUrl: string;
    readonly jwksUrl: string;
    readonly audience: string;
    readonly applicationClaim: string;
    /** Key id tokens are signed with now. */
    readonly currentKid: string;
    /** JWKS documents served so far. */
    readonly jwksRequests: number;
    /** A signed token (ES256, header `kid`). */
    mintToken(options: MintOptions): Promise<string>;
    /** Generates a new signing key and publishes it; `retire` also unpublishes the older keys. Returns the new kid. */
    rotateKey(options?: { retire?: boolean }): Promise<string>;
    close(): Promise<void>;
}

interface SigningKey {
    kid: string;
    privateKey: CryptoKey;
    publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const kid = randomUUID();
    return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}

/**
 * Starts a development issuer on a loopback address.
 * @example const issuer = await startDevIssuer(); const token = await issuer.mintToken({ playerId: "player-1", applicationId });
 */
export async function startDevIssuer(options: DevIssuerOptions = {}): Promise<DevIssuer> {
    const host = options.host ?? "127.0.0.1";
    if (!(DEV_ISSUER_HOSTS as readonly string[]).includes(host)) throw new RangeError(`host: must be one of ${DEV_ISSUER_HOSTS.join(", ")} (got ${host})`);
    const clock = options.clock ?? systemClock;
    const audience = options.audience ?? DEV_ISSUER_AUDIENCE;
    const applicationClaim = options.applicationClaim ?? "app_id";
    let keys: SigningKey[] = [await newKey()];
    let jwksRequests = 0;
    let issuerUrl = "";

    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
        const path = (req.url ?? "/").split("?")[0];
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers });
            res.end(JSON.stringify(body));
        };
        if (req.method !== "GET") return send(405, { error: "method_not_allowed" }, { Allow: "GET" });
        if (path === "/.well-known/openid-configuration") {
            return send(200, {
                issuer: issuerUrl,
                jwks_uri: `${issuerUrl}/jwks`,
                id_token_signing_alg_values_supported: ["ES256"],
                subject_types_supported: ["public"],
                response_types_supported: ["id_token"],
            });
        }
        if (path === "/jwks") {
            jwksRequests++;
            return send(200, { keys: keys.map((k) => k.publicJwk) });
        }
        return send(404, { error: "not_found" });
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    issuerUrl = `http://${host === "::1" ? "[::1]" : host}:${port}`;

    return {
        issuerUrl,
        jwksUrl: `${issuerUrl}/jwks`,
        audience,
        applicationClaim,
        get currentKid() {
            return keys[keys.length - 1]!.kid;
        },
        get jwksRequests() {
            return jwksRequests;
        },
        async mintToken(mint: MintOptions): Promise<string> {
            const key = keys[keys.length - 1]!;
            const now = Math.floor(clock.now() / 1000);
            const claims: Record<string, unknown> = { ...(mint.applicationId !== undefined ? { [applicationClaim]: mint.applicationId } : {}), ...mint.claims };
            return new SignJWT(claims)
                .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" })
                .setIssuer(issuerUrl)
                .setAudience(typeof mint.claims?.aud === "string" || Array.isArray(mint.claims?.aud) ? (mint.claims.aud as string | string[]) : audience)
                .setSubject(mint.playerId)
                .setIssuedAt(now)
                .setExpirationTime(now + (mint.ttlSeconds ?? DEV_TOKEN_TTL_SECONDS))
                .setJti(randomUUID())
                .sign(key.privateKey);
        },
        async rotateKey(rotate: { retire?: boolean } = {}): Promise<string> {
            const key = await newKey();
            keys = rotate.retire ? [key] : [...keys, key];
            return key.kid;
        },
        close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    };
}
