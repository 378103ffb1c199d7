/**
 * Real OIDC issuers on 127.0.0.1 for the player-auth tests: oauth2-mock-server (discovery, JWKS,
 * RS256 / ES256 / PS256 / EdDSA keys) and a counting fetch of JSON documents.
 */
import { OAuth2Server } from "oauth2-mock-server";
import { fetchJsonDocument, type JsonFetcher } from "../../../../functions/core/player-auth/jwks-cache";
import type { OidcSettings } from "../../../../functions/core/player-auth/oidc-settings";
import { ASYMMETRIC_ALGORITHMS } from "../../../../functions/core/player-auth/oidc-settings";

export const AUDIENCE = "gamebackend";
export const APP = "0b5f8c9e-7a51-4c6f-9f0e-1d2c3b4a5968";
export const OTHER_APP = "6d1f3a2b-9c8e-4f7a-8b6c-5d4e3f2a1b0c";

/** An oauth2-mock-server started on 127.0.0.1 with one RS256 key of kid "rsa-1". */
export async function startMockIssuer(): Promise<OAuth2Server> {
    const server = new OAuth2Server();
    await server.issuer.keys.generate("RS256", { kid: "rsa-1" });
    await server.start(0, "127.0.0.1");
    // The library names the issuer "localhost"; pin the address it listens on.
    server.issuer.url = `http://127.0.0.1:${server.address().port}`;
    return server;
}

/** Settings for `issuerUrl`: audience "gamebackend", application claim "app_id". */
export function settingsFor(issuerUrl: string, overrides: Partial<OidcSettings> = {}): OidcSettings {
    return {
        issuerUrl,
        audiences: [AUDIENCE],
        playerIdClaim: "sub",
        applicationClaim: "app_id",
        clockSkewSeconds: 60,
        algorithms: [...ASYMMETRIC_ALGORITHMS],
        ...overrides,
    };
}

/** fetchJsonDocument that counts the URLs it fetched. */
export function countingFetch(): JsonFetcher & { urls: string[] } {
    const urls: string[] = [];
    const fetcher = (async (url: string) => {
        urls.push(url);
        return fetchJsonDocument(url);
    }) as JsonFetcher & { urls: string[] };
    fetcher.urls = urls;
    return fetcher;
}

/** A clock that starts at the real time (the mock server stamps tokens with Date.now()) and moves by hand. */
export class OffsetClock {
    offset = 0;
    now(): number {
        return Date.now() + this.offset;
    }
    advance(ms: number): void {
        this.offset += ms;
    }
}

/** base64url of a JSON value. */
export function b64url(value: unknown): string {
    return Buffer.from(JSON.stringify(value)).toString("base64url");
}
