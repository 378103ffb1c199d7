/**
 * The admin API (REFERENCE section 2): applications and their API keys. Same paths and JSON
 * shapes as the guidance, with these deliberate differences: the key value appears only in the
 * create response (listings show `ApiKeyHint`), listings paginate, deleting an application
 * deletes its keys, and enabling/disabling a key says when the change takes effect.
 */
import { generateApiKey, isWellFormedId } from "./api-keys";
import {
    type PageRequest,
    validateApplicationInput,
    validateApplicationUpdate,
    validateEnabled,
    validateNameAndDescription,
    validatePageRequest,
} from "./admin-validation";
import type { HttpRequest, HttpResponse } from "./contracts";
import { badRequest, jsonResponse, methodNotAllowed, notFound, parseJsonBody } from "./http";
import {
    type Application,
    type ApplicationRegistry,
    type Clock,
    InvalidPageTokenError,
    type KeyStore,
    type Page,
    type StoredApiKey,
} from "./ports";
import { DEFAULT_AUTH_MODES } from "./player-auth/player-authorizer";
import { handleRedshiftSetup, type RedshiftSetupDeps } from "./redshift-setup";
import { checkBodySize } from "./request-limits";
import { ADMIN_ROUTES, APPLICATION, APPLICATIONS, AUTHORIZATION, AUTHORIZATIONS, REDSHIFT_SETUP } from "./routes";

/** What the admin API needs. */
export interface AdminDeps {
    registry: ApplicationRegistry;
    keys: KeyStore;
    clock: Clock;
    /** New application / key id (UUID v4). */
    newId(): string;
    /**
     * How long API Gateway caches the authorizer's result (its `authorizerResultTtlInSeconds`);
     * 0 where no gateway caches (local mode).
     */
    authorizerCacheTtlSeconds: number;
    /**
     * How long the authorizer itself caches a decision in memory (its DecisionCache).
     * A disabled key keeps working at most the sum of both caches (see {@link keyChangeEffectiveWithinSeconds}).
     * @default 0
     */
    decisionCacheTtlSeconds?: number;
    /**
     * `POST /redshift/setup`: the data stack and, in REDSHIFT, the warehouse catalog (functions/core/redshift-setup.ts).
     * @default undefined (answers 400 naming dataStack, as a DATA_LAKE stack)
     */
    warehouse?: RedshiftSetupDeps;
}

/** An API key as listed: everything but the value and the hash. */
export type ApiKeyView = Omit<StoredApiKey, "ApiKeyHash">;

/** Body returned by a successful DELETE (as in the guidance). */
export const DELETE_SUCCESSFUL = "Delete Successful";

/**
 * Handles one admin request. `req.resource` is the route template.
 * @returns 200 with the guidance's JSON shapes; 400/404/405 with `{error, error_detail}`.
 */
export async function handleAdminRequest(req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const allowed = Object.hasOwn(ADMIN_ROUTES, req.resource) ? ADMIN_ROUTES[req.resource] : undefined;
    if (allowed === undefined) return notFound(`no such resource: ${req.resource}`);
    const method = req.method.toUpperCase();
    if (!allowed.includes(method)) return methodNotAllowed(method, req.resource, allowed);
    const tooLarge = checkBodySize(req.body);
    if (tooLarge) return tooLarge;
    try {
        return await route(method, req, deps);
    } catch (err) {
        if (err instanceof InvalidPageTokenError) return badRequest(err.message);
        throw err;
    }
}

async function route(method: string, req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    if (req.resource === REDSHIFT_SETUP) return handleRedshiftSetup(deps.warehouse);
    if (req.resource === APPLICATIONS) return method === "POST" ? createApplication(req, deps) : listApplications(req, deps);
    const applicationId = req.pathParameters.applicationId;
    if (!isWellFormedId(applicationId)) return applicationNotFound(applicationId);
    if (req.resource === APPLICATION) {
        if (method === "PUT") return updateApplication(applicationId, req, deps);
        return method === "GET" ? getApplication(applicationId, deps) : deleteApplication(applicationId, deps);
    }
    if (req.resource === AUTHORIZATIONS) {
        return method === "POST" ? createKey(applicationId, req, deps) : listKeys(applicationId, req, deps);
    }
    if (req.resource !== AUTHORIZATION) return notFound(`no such resource: ${req.resource}`);
    const apiKeyId = req.pathParameters.apiKeyId;
    if (!isWellFormedId(apiKeyId)) return keyNotFound(applicationId, apiKeyId);
    if (method === "GET") return getKey(applicationId, apiKeyId, deps);
    if (method === "PUT") return setKeyEnabled(applicationId, apiKeyId, req, deps);
    return deleteKey(applicationId, apiKeyId, deps);
}

function applicationNotFound(applicationId: string | undefined): HttpResponse {
    return notFound(`applicationId: no application ${JSON.stringify(applicationId ?? "")}`);
}

function keyNotFound(applicationId: string, apiKeyId: string | undefined): HttpResponse {
    return notFound(`apiKeyId: no API key ${JSON.stringify(apiKeyId ?? "")} in application ${applicationId}`);
}

function pageRequest(req: HttpRequest): { ok: true; page: PageRequest } | { ok: false; response: HttpResponse } {
    const page = validatePageRequest(req.queryStringParameters);
    return page.ok ? { ok: true, page: page.value } : { ok: false, response: badRequest(page.message) };
}

function listing<T>(field: string, page: Page<T>): HttpResponse {
    const body: Record<string, unknown> = { [field]: page.items, Count: page.items.length };
    if (page.nextToken !== undefined) body.NextToken = page.nextToken;
    return jsonResponse(200, body);
}

function toKeyView(key: StoredApiKey): ApiKeyView {
    return {
        ApiKeyId: key.ApiKeyId,
        ApiKeyHint: key.ApiKeyHint,
        ApiKeyName: key.ApiKeyName,
        ApiKeyDescription: key.ApiKeyDescription,
        ApplicationId: key.ApplicationId,
        CreatedAt: key.CreatedAt,
        UpdatedAt: key.UpdatedAt,
        Enabled: key.Enabled,
    };
}

async function createApplication(req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const body = parseJsonBody(req.body);
    if (!body.ok) return body.response;
    const input = validateApplicationInput(body.value);
    if (!input.ok) return badRequest(input.message);
    const now = new Date(deps.clock.now()).toISOString();
    const app: Application = {
        ApplicationId: deps.newId(),
        ApplicationName: input.value.Name,
        Description: input.value.Description,
        CreatedAt: now,
        UpdatedAt: now,
        AuthModes: input.value.AuthModes,
    };
    await deps.registry.createApplication(app);
    return jsonResponse(200, app);
}

/** An application as answered: AuthModes always present (absent in the store = API keys only). */
function applicationView(app: Application): Application {
    return { ...app, AuthModes: app.AuthModes ?? [...DEFAULT_AUTH_MODES] };
}

async function listApplications(req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const page = pageRequest(req);
    if (!page.ok) return page.response;
    const apps = await deps.registry.listApplications(page.page.limit, page.page.nextToken);
    return listing("Applications", { ...apps, items: apps.items.map(applicationView) });
}

async function getApplication(applicationId: string, deps: AdminDeps): Promise<HttpResponse> {
    const app = await deps.registry.getApplication(applicationId);
    return app ? jsonResponse(200, applicationView(app)) : applicationNotFound(applicationId);
}

/**
 * PUT /applications/{applicationId}: name, description and AuthModes. A change of AuthModes
 * reaches the authorizers within their application cache (APPLICATION_CACHE_TTL_SECONDS).
 */
async function updateApplication(applicationId: string, req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const body = parseJsonBody(req.body);
    if (!body.ok) return body.response;
    const input = validateApplicationUpdate(body.value);
    if (!input.ok) return badRequest(input.message);
    const updated = await deps.registry.updateApplication(applicationId, {
        ApplicationName: input.value.Name,
        Description: input.value.Description,
        AuthModes: input.value.AuthModes,
        UpdatedAt: new Date(deps.clock.now()).toISOString(),
    });
    return updated ? jsonResponse(200, applicationView(updated)) : applicationNotFound(applicationId);
}

async function deleteApplication(applicationId: string, deps: AdminDeps): Promise<HttpResponse> {
    if (!(await deps.registry.getApplication(applicationId))) return applicationNotFound(applicationId);
    // Keys first: if this fails half-way the application still exists and the call can be repeated.
    await deps.keys.deleteKeysOfApplication(applicationId);
    await deps.registry.deleteApplication(applicationId);
    return jsonResponse(200, DELETE_SUCCESSFUL);
}

async function createKey(applicationId: string, req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const body = parseJsonBody(req.body);
    if (!body.ok) return body.response;
    const input = validateNameAndDescription(body.value);
    if (!input.ok) return badRequest(input.message);
    if (!(await deps.registry.getApplication(applicationId))) return applicationNotFound(applicationId);
    const generated = generateApiKey();
    const now = new Date(deps.clock.now()).toISOString();
    const key: StoredApiKey = {
        ApiKeyId: deps.newId(),
        ApiKeyHash: generated.hash,
        ApiKeyHint: generated.hint,
        ApiKeyName: input.value.Name,
        ApiKeyDescription: input.value.Description,
        ApplicationId: applicationId,
        CreatedAt: now,
        UpdatedAt: now,
        Enabled: true,
    };
    await deps.keys.putKey(key);
    const view = toKeyView(key);
    return jsonResponse(200, {
        ApiKeyId: view.ApiKeyId,
        ApiKeyValue: generated.value,
        ApiKeyName: view.ApiKeyName,
        ApplicationId: view.ApplicationId,
        ApiKeyDescription: view.ApiKeyDescription,
        CreatedAt: view.CreatedAt,
        UpdatedAt: view.UpdatedAt,
        Enabled: view.Enabled,
        ApiKeyHint: view.ApiKeyHint,
    });
}

async function listKeys(applicationId: string, req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const page = pageRequest(req);
    if (!page.ok) return page.response;
    if (!(await deps.registry.getApplication(applicationId))) return applicationNotFound(applicationId);
    const keys = await deps.keys.listKeys(applicationId, page.page.limit, page.page.nextToken);
    return listing("Authorizations", { items: keys.items.map(toKeyView), nextToken: keys.nextToken });
}

async function getKey(applicationId: string, apiKeyId: string, deps: AdminDeps): Promise<HttpResponse> {
    const key = await deps.keys.getKey(applicationId, apiKeyId);
    return key ? jsonResponse(200, toKeyView(key)) : keyNotFound(applicationId, apiKeyId);
}

async function setKeyEnabled(applicationId: string, apiKeyId: string, req: HttpRequest, deps: AdminDeps): Promise<HttpResponse> {
    const body = parseJsonBody(req.body);
    if (!body.ok) return body.response;
    const enabled = validateEnabled(body.value);
    if (!enabled.ok) return badRequest(enabled.message);
    const updatedAt = new Date(deps.clock.now()).toISOString();
    const key = await deps.keys.setKeyEnabled(applicationId, apiKeyId, enabled.value, updatedAt);
    if (!key) return keyNotFound(applicationId, apiKeyId);
    const ttl = keyChangeEffectiveWithinSeconds(deps.authorizerCacheTtlSeconds, deps.decisionCacheTtlSeconds ?? 0);
    return jsonResponse(200, {
        Enabled: key.Enabled,
        ApiKeyId: key.ApiKeyId,
        ApplicationId: key.ApplicationId,
        UpdatedAt: key.UpdatedAt,
        EffectiveWithinSeconds: ttl,
        Note:
            ttl > 0
                ? `Authorizer decisions are cached: this change takes effect within ${ttl} seconds.`
                : "This change takes effect immediately (authorizer cache disabled).",
    });
}

/**
 * The bound after which a key change is seen by every request: the two caches are in series (API
 * Gateway may cache, for its whole TTL, a decision the authorizer took from its own cache just
 * before that entry expired), so the bound is their sum.
 * @example keyChangeEffectiveWithinSeconds(60, 60) // 120
 */
export function keyChangeEffectiveWithinSeconds(gatewayCacheTtlSeconds: number, decisionCacheTtlSeconds: number): number {
    return gatewayCacheTtlSeconds + decisionCacheTtlSeconds;
}

async function deleteKey(applicationId: string, apiKeyId: string, deps: AdminDeps): Promise<HttpResponse> {
    const deleted = await deps.keys.deleteKey(applicationId, apiKeyId);
    return deleted ? jsonResponse(200, DELETE_SUCCESSFUL) : keyNotFound(applicationId, apiKeyId);
}
