/**
 * @module
 * The one client for the emulator's control API (`/_emulator`, served by
 * control.ts and the downloads routes): one typed method per endpoint, used
 * by the tests inside workerd and by the bench under Node. Plain `fetch`
 * only; any answer other than 2xx throws a `ControlError` that names the
 * endpoint and the status.
 */
import type { z } from "zod";
import type { EmulatorServices } from "./context";
import type { AppSchema, CertificateSchema, FaultSchema, MintTokenSchema, TenantSchema, TenantSettingsSchema, UserSchema } from "./control";
import type { EmulatedUser, IdTokenFault } from "./state";

export type TenantInput = z.input<typeof TenantSchema>;
export type TenantSettings = z.input<typeof TenantSettingsSchema>;
export type AppInput = z.input<typeof AppSchema>;
export type UserInput = z.input<typeof UserSchema>;
export type CertificateInput = z.input<typeof CertificateSchema>;
/** An uploaded certificate as the control API shows it (ISO dates). */
export interface UploadedCertificate {
  thumbprint: string;
  x5t: string;
  x5tS256: string;
  notBefore: string;
  notAfter: string;
}
export type MintTokenInput = z.input<typeof MintTokenSchema>;
export type FaultInput = z.input<typeof FaultSchema>;
export type PendingFault = ReturnType<EmulatorServices["faults"]["pending"]>[number];
export type ExpireGrantsInput = Parameters<EmulatorServices["state"]["grants"]["expire"]>[0];
export type RefreshCount = ReturnType<EmulatorServices["state"]["grants"]["refreshCount"]>;
export type DownloadSettings = ReturnType<EmulatorServices["downloads"]["settings"]>;
export type DownloadStats = ReturnType<EmulatorServices["downloads"]["stats"]>;
export type { IdTokenFault };

/** Whatever sends a request: the global `fetch`, or a Node client bound to its own sockets. */
export type FetchFn = (request: Request) => Promise<Response>;

/** A control call the emulator refused; `body` is the answer's JSON when it was JSON, else its text. */
export class ControlError extends Error {
  override readonly name = "ControlError";

  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`emulator control ${endpoint}: HTTP ${status} ${typeof body === "string" ? body.slice(0, 500) : JSON.stringify(body)}`);
  }
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type ControlClient = ReturnType<typeof controlClient>;

export function controlClient(baseUrl: string, fetchFn: FetchFn = (request) => fetch(request)) {
  const root = `${baseUrl.replace(/\/+$/, "")}/_emulator`;
  const id = encodeURIComponent;

  async function send(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<Response> {
    const request = new Request(`${root}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      // oxlint-disable-next-line unicorn/no-invalid-fetch-options -- only POST and PATCH calls pass a body; every GET leaves it undefined
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const response = await fetchFn(request);
    if (!response.ok) throw new ControlError(`${method} /_emulator${path}`, response.status, await bodyOf(response));
    return response;
  }

  async function json<T>(method: "GET" | "POST" | "PATCH", path: string, body?: unknown): Promise<T> {
    return (await (await send(method, path, body)).json()) as T;
  }

  async function done(method: "POST" | "DELETE", path: string, body?: unknown): Promise<void> {
    await (await send(method, path, body)).body?.cancel();
  }

  const userKeyQuery = (userKey?: string) => (userKey === undefined ? "" : `?userKey=${id(userKey)}`);

  return {
    /** `POST /tenants`: creates (or renames) an Entra tenant. */
    createTenant: (input: TenantInput) => json<{ tenantId: string; displayName: string }>("POST", "/tenants", input),

    /** `PATCH /tenants/{tid}`: the tenant's "User consent for applications" setting. */
    setTenantSettings: (tenantId: string, settings: TenantSettings) =>
      json<{ tenantId: string; userConsent: TenantSettings["userConsent"] }>("PATCH", `/tenants/${id(tenantId)}`, settings),

    /** `POST /tenants/{tid}/apps`: registers an app, or replaces every field of an existing one. */
    registerApp: (tenantId: string, app: AppInput) =>
      json<{ clientId: string; secrets: number; redirectUris: string[] }>("POST", `/tenants/${id(tenantId)}/apps`, app),

    /** `POST /tenants/{tid}/apps/{clientId}/certificates`: uploads a certificate (PEM or base64 DER) to the app. */
    uploadCertificate: (tenantId: string, clientId: string, certificate: string) =>
      json<UploadedCertificate>("POST", `/tenants/${id(tenantId)}/apps/${id(clientId)}/certificates`, {
        certificate,
      } satisfies CertificateInput),

    /** `GET /tenants/{tid}/apps/{clientId}/certificates`: the app's uploaded certificates. */
    certificates: async (tenantId: string, clientId: string) =>
      (await json<{ certificates: UploadedCertificate[] }>("GET", `/tenants/${id(tenantId)}/apps/${id(clientId)}/certificates`))
        .certificates,

    /** `DELETE /tenants/{tid}/apps/{clientId}/certificates/{thumbprint}`: removes a certificate; its assertions stop working. */
    removeCertificate: (tenantId: string, clientId: string, thumbprint: string) =>
      done("DELETE", `/tenants/${id(tenantId)}/apps/${id(clientId)}/certificates/${id(thumbprint)}`),

    /** `POST /tenants/{tid}/users`: adds a user, or replaces an existing one with the same oid. */
    addUser: (tenantId: string, user: UserInput) => json<EmulatedUser>("POST", `/tenants/${id(tenantId)}/users`, user),

    /** `POST /tenants/{tid}/users/{oid}/revoke`: ends every access and refresh token of the user. */
    revokeUser: (tenantId: string, oid: string) => done("POST", `/tenants/${id(tenantId)}/users/${id(oid)}/revoke`),

    /** `GET /tenants/{tid}/users/{oid}/refreshes`: refresh-token requests for the user that issued tokens or were refused. */
    refreshes: (tenantId: string, oid: string) => json<RefreshCount>("GET", `/tenants/${id(tenantId)}/users/${id(oid)}/refreshes`),

    /** `POST /tenants/{tid}/apps/{clientId}/id-token-fault`: the next id_token issued to the app is broken this way. */
    breakNextIdToken: (tenantId: string, clientId: string, fault: IdTokenFault) =>
      done("POST", `/tenants/${id(tenantId)}/apps/${id(clientId)}/id-token-fault`, { fault }),

    /** `POST /tokens`: a Graph access token for a user, without the sign-in. */
    mintToken: (input: MintTokenInput) => json<{ access_token: string; expires_in: number }>("POST", "/tokens", input),

    /** `POST /faults`: the next `count` matching Graph calls answer with this status. */
    queueFault: (fault: FaultInput) => json<{ queued: number }>("POST", "/faults", fault),

    /** `GET /faults`: faults queued and not yet served, all of them or one user's (`tenantId.oid`). */
    pendingFaults: async (userKey?: string) => (await json<{ pending: PendingFault[] }>("GET", `/faults${userKeyQuery(userKey)}`)).pending,

    /** `DELETE /faults`: drops every queued fault, or only one user's. */
    clearFaults: (userKey?: string) => done("DELETE", `/faults${userKeyQuery(userKey)}`),

    /** `POST /grants/expire`: makes matching authorization codes and/or refresh tokens expired; answers how many. */
    expireGrants: (filter: ExpireGrantsInput) => json<{ expired: number }>("POST", "/grants/expire", filter),

    /** `POST /keys/rotate`: a new current signing key; the old one stays published. */
    rotateKeys: () => json<{ kid: string }>("POST", "/keys/rotate"),

    /** `POST /downloads`: a tenant's download URLs ignore Range, or live this long. */
    setDownloads: (tenantId: string, change: Partial<DownloadSettings>) =>
      json<DownloadSettings>("POST", "/downloads", { tenantId, ...change }),

    /** `GET /downloads?tenantId=`: a tenant's download settings, downloads served and refused. */
    downloads: (tenantId: string) => json<DownloadSettings & DownloadStats>("GET", `/downloads?tenantId=${id(tenantId)}`),

    /** `GET /seed`: the day seeded content is laid out around. */
    seed: () => json<{ seedDate: string }>("GET", "/seed"),

    /** `GET /health`. */
    health: () => json<{ status: string; tenants: number }>("GET", "/health"),
  };
}
