/**
 * Player authentication of the local mode, in one call: either the configured issuer (the
 * `oidc*` settings, http allowed on loopback) or a development issuer started on 127.0.0.1 that
 * mints a token for a test player, printed at start next to the API key. Both go through the same
 * verifier as the cloud (jwt-verifier.ts).
 */
import type { Clock } from "../ports";
import { startDevIssuer, type DevIssuer } from "./dev-issuer";
import { createJwtVerifier, type JwtVerifier } from "./jwt-verifier";
import { type OidcSettings, type OidcSettingsProblem, validateOidcSettings } from "./oidc-settings";

/** Default player of the development issuer's test token. */
export const LOCAL_TEST_PLAYER = "local-test-player";

/** Options of {@link startLocalPlayerAuth}. */
export interface LocalPlayerAuthOptions {
    /**
     * `oidc*` settings of an issuer to use; ignored when `devIssuer` is true.
     * @default {} (no issuer: player authentication off unless devIssuer)
     */
    settings?: Record<string, unknown>;
    /**
     * Start a development issuer and mint a token for `testPlayerId` of `applicationId`.
     * @default false
     */
    devIssuer?: boolean;
    /** Application of the test token (the local mode's registered application). Required with devIssuer. */
    applicationId?: string;
    /** @default "local-test-player" */
    testPlayerId?: string;
    /** Lifetime of the test token, seconds. @default 86400 (a day of local play) */
    testTokenTtlSeconds?: number;
    clock: Clock;
}

/** Player authentication of a local run. */
export interface LocalPlayerAuth {
    settings: OidcSettings;
    verifier: JwtVerifier;
    /** The development issuer, when started. */
    devIssuer?: DevIssuer;
    /** The test player's token, when the development issuer was started. */
    testToken?: string;
    /** Lines to print at start (issuer, and the test token with a curl example). */
    banner(baseUrl: string): string[];
    close(): Promise<void>;
}

/** Thrown when the local `oidc*` settings are invalid; lists every problem. */
export class LocalPlayerAuthError extends Error {
    constructor(readonly problems: OidcSettingsProblem[]) {
        super(`Invalid player-auth settings:\n${problems.map((p) => `  - ${p.key} = ${JSON.stringify(p.value)}: ${p.rule}`).join("\n")}`);
        this.name = "LocalPlayerAuthError";
    }
}

/**
 * Sets up player authentication for the local mode.
 * @returns undefined when neither an issuer is configured nor the development issuer asked for
 * @throws LocalPlayerAuthError when the settings are invalid
 * @example const auth = await startLocalPlayerAuth({ devIssuer: true, applicationId, clock: systemClock }); console.log(auth!.banner("http://127.0.0.1:8080").join("\n"))
 */
export async function startLocalPlayerAuth(options: LocalPlayerAuthOptions): Promise<LocalPlayerAuth | undefined> {
    let devIssuer: DevIssuer | undefined;
    let raw = options.settings ?? {};
    if (options.devIssuer) {
        if (options.applicationId === undefined) throw new LocalPlayerAuthError([{ key: "applicationId", value: undefined, rule: "required with the development issuer (the application of the test token)" }]);
        devIssuer = await startDevIssuer({ clock: options.clock });
        raw = { oidcIssuerUrl: devIssuer.issuerUrl, oidcAudience: devIssuer.audience, oidcApplicationClaim: devIssuer.applicationClaim, oidcApplicationId: options.applicationId };
    }
    const { settings, problems } = validateOidcSettings(raw, { allowLoopbackHttp: true });
    if (problems.length > 0) {
        await devIssuer?.close();
        throw new LocalPlayerAuthError(problems);
    }
    if (settings === undefined) return undefined;
    const verifier = createJwtVerifier(settings, { clock: options.clock, allowLoopbackHttp: true });
    const playerId = options.testPlayerId ?? LOCAL_TEST_PLAYER;
    const testToken = devIssuer === undefined
        ? undefined
        : await devIssuer.mintToken({ playerId, applicationId: options.applicationId, ttlSeconds: options.testTokenTtlSeconds ?? 86_400 });
    return {
        settings,
        verifier,
        devIssuer,
        testToken,
        banner(baseUrl: string): string[] {
            const lines = [`Player tokens: issuer ${settings.issuerUrl} (audience ${settings.audiences.join(", ")})`];
            if (testToken !== undefined) {
                lines.push(
                    `Test player token (${playerId}, development issuer, local only):`,
                    `  ${testToken}`,
                    `  curl -X POST ${baseUrl}/put-record -H 'Authorization: ${testToken}' \\`,
                    `    -d '{"event_id":"00001","event_type":"Login","updated_at":"2024-02-22 03:03:02","event_data":"hello"}'`,
                );
            }
            return lines;
        },
        close: async () => {
            await devIssuer?.close();
        },
    };
}
