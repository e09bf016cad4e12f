/**
 * One Durable Object per (tenant, user), named `<tenantId>:<tid>.<oid>` from
 * verified claims only (`agentName`) and reached with `getByName`. Every Graph
 * call of that user passes through it, so it can cap concurrent calls per
 * mailbox (Outlook allows 4), refresh the user's Graph token once for all
 * callers, and retry throttling. The MCP refresh_token grant refreshes the
 * Entra tokens here too (`refreshGrant`), so parallel refreshes of one grant
 * share one Entra refresh.
 *
 * A plain `DurableObject`: it needs only its storage's synchronous KV, `env`
 * and RPC. It reads its own name from its id (`ctx.id.name`, set by
 * `getByName`), and checks that every call's claims make that same name.
 *
 * @module
 */
import { DurableObject } from "cloudflare:workers";
import { readConfig } from "../config";
import type { Env } from "../env";
import { callGraph, type GraphRequest, type GraphResponse } from "../graph/client";
import type { EntraFailure } from "../entra/aadsts";
import { recordEntraFailure, toolReply } from "../entra/failure";
import { isEntraFailure, refreshTokens } from "../entra/token";
import { userIdOf } from "../oauth/props";
import { refreshScopesFor } from "../oauth/scopes";
import { tenantEntraApp } from "../oauth/tenant-secret";
import { agentName } from "../tenancy/agent-name";
import { tenantRegistry } from "../tenancy/registry";
import { DeadGrants } from "./dead-grants";
import { auditRecorder } from "../audit/record";
import { personActor, refreshFailedEvent } from "../audit/events";
import { RefreshGate, refreshTokenKey, type GateTokens } from "./refresh-gate";
import { countInWindow, minuteWindow, type QuotaCheck } from "./quota";
import { Semaphore, SingleFlight } from "./semaphore";
import { cloudEndpoints, type Cloud } from "../tenancy/clouds";

export interface AgentAuth {
  tenantId: string;
  tid: string;
  oid: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** Scopes Entra granted at sign-in; a refresh never asks for more. */
  grantedScopes: string[];
  /** The organization's Microsoft cloud, whose Graph this user's calls go to. */
  cloud: Cloud;
}

interface StoredToken {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

export const MAILBOX_CONCURRENCY = 4;
const REFRESH_MARGIN_SECONDS = 60;
const TOKEN_KEY = "graph-token";

/** An MCP refresh of grant `grantId`: the Entra refresh token its props hold. */
export interface GrantRefresh extends Omit<AgentAuth, "accessToken" | "expiresAt" | "refreshToken" | "cloud"> {
  grantId: string;
  refreshToken: string;
}

export type GrantRefreshOutcome = { ok: true; tokens: GateTokens } | { ok: false; kind: EntraFailure["kind"] };

export class UserGraphAgent extends DurableObject<Env> {
  readonly #mailbox = new Semaphore(MAILBOX_CONCURRENCY);
  readonly #refresh = new SingleFlight<StoredToken | GraphResponse>();
  readonly #gate = new RefreshGate<EntraFailure>();
  readonly #deadGrants = new DeadGrants(this.ctx.storage.kv);
  /** Storage's token, read once per instance: this object is its only writer. */
  #stored: StoredToken | null | undefined;

  /** Whether these claims name this object: callers derive the name from the same claims. */
  #serves(claims: Pick<AgentAuth, "tenantId" | "tid" | "oid">): boolean {
    return agentName(claims.tenantId, userIdOf(claims)) === this.ctx.id.name;
  }

  /** Sends one Graph request for this agent's user. */
  async graph(request: GraphRequest, auth: AgentAuth): Promise<GraphResponse> {
    if (!this.#serves(auth)) {
      // The caller derives the name from the same claims; this only catches a wiring mistake.
      return { ok: false, status: 403, code: "WrongAgent", message: "This request belongs to another user" };
    }
    const { graphBase } = cloudEndpoints(readConfig(this.env), auth.cloud);
    let token = this.#freshest(auth);
    let refreshedThisCall = false;
    if (token.expiresAt - REFRESH_MARGIN_SECONDS <= Date.now() / 1000) {
      const refreshed = await this.#refresh.run(() => this.#refreshToken(auth, token));
      if (!("accessToken" in refreshed)) return refreshed;
      token = refreshed;
      refreshedThisCall = true;
    }
    const first = await this.#mailbox.run(() => callGraph(request, { graphBase, accessToken: token.accessToken }));
    // A 401 right after a successful refresh is not a stale token: do not loop.
    if (first.ok || first.status !== 401 || refreshedThisCall) return first;
    const refreshed = await this.#refresh.run(() => this.#refreshToken(auth, token));
    if (!("accessToken" in refreshed)) return refreshed;
    return this.#mailbox.run(() => callGraph(request, { graphBase, accessToken: refreshed.accessToken }));
  }

  /** The newer of the grant's token and one this agent refreshed since. */
  #freshest(auth: AgentAuth): StoredToken {
    if (this.#stored === undefined) this.#stored = this.ctx.storage.kv.get<StoredToken>(TOKEN_KEY) ?? null;
    const stored = this.#stored;
    return stored && stored.expiresAt > auth.expiresAt ? stored : auth;
  }

  /**
   * The MCP refresh_token grant's Entra refresh. A grant this agent saw
   * Microsoft refuse stays refused, and that refusal is answered only once the
   * callers it had just given tokens have had time to store them, so the
   * revocation that follows also removes the access tokens they were issued.
   */
  async refreshGrant(request: GrantRefresh): Promise<GrantRefreshOutcome> {
    if (!this.#serves(request)) return { ok: false, kind: "unavailable" };
    if (this.#deadGrants.isDead(request.grantId)) {
      this.#auditRefreshFailure(request, "gateway", "grant_ended");
      return { ok: false, kind: "user" };
    }
    const result = await this.#redeem(request, request.refreshToken);
    if (!isEntraFailure(result)) {
      if (this.#deadGrants.isDead(request.grantId)) return { ok: false, kind: "user" };
      this.#deadGrants.issued(request.grantId);
      return { ok: true, tokens: result };
    }
    if (result.kind === "user") await this.#deadGrants.markDead(request.grantId);
    return { ok: false, kind: result.kind };
  }

  /** A new token, or the Graph-shaped failure to answer every waiting call with. */
  async #refreshToken(auth: AgentAuth, current: StoredToken): Promise<StoredToken | GraphResponse> {
    const refreshToken = current.refreshToken ?? auth.refreshToken;
    if (!refreshToken) return toolReply("user");
    const result = await this.#redeem(auth, refreshToken);
    return isEntraFailure(result) ? toolReply(result.kind) : result;
  }

  /** One Entra redemption per refresh token, shared by tool calls and MCP refreshes alike. */
  async #redeem(auth: Omit<AgentAuth, "accessToken" | "expiresAt" | "cloud">, refreshToken: string): Promise<GateTokens | EntraFailure> {
    return this.#gate.run(
      await refreshTokenKey(refreshToken),
      () => this.#entraRefresh(auth, refreshToken),
      (r): r is GateTokens => !isEntraFailure(r),
    );
  }

  async #entraRefresh(
    auth: Omit<AgentAuth, "accessToken" | "expiresAt" | "cloud">,
    refreshToken: string,
  ): Promise<GateTokens | EntraFailure> {
    const config = readConfig(this.env);
    const registry = tenantRegistry(this.env.DB);
    const tenant = await registry.findById(auth.tenantId);
    if (!tenant) return { kind: "user", aadsts: undefined, reason: "The organization no longer exists" };
    // A suspension is undone by a resume: never a reason to end anyone's grant.
    if (tenant.status !== "active") return { kind: "unavailable", aadsts: undefined, reason: "The organization is suspended" };
    const endpoints = cloudEndpoints(config, tenant.cloud);
    const result = await refreshTokens(
      await tenantEntraApp(tenant, config, registry),
      refreshToken,
      refreshScopesFor(tenant.policy, auth.grantedScopes, endpoints.graphResource),
    );
    if (isEntraFailure(result)) {
      await recordEntraFailure(registry, { step: "refresh", tenantId: tenant.id, failure: result });
      if (result.kind !== "unavailable") this.#auditRefreshFailure(auth, "entra", result.aadsts ?? result.kind);
      return result;
    }
    const tokens: GateTokens = {
      accessToken: result.accessToken,
      refreshToken: result.refreshToken ?? refreshToken,
      expiresAt: result.expiresAt,
      scope: result.scope.length > 0 ? result.scope : auth.grantedScopes,
    };
    const stored = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt };
    this.ctx.storage.kv.put(TOKEN_KEY, stored);
    this.#stored = stored;
    return tokens;
  }

  /**
   * Audits a refresh that was refused: by Microsoft (recorded once per
   * redemption, however many tool calls or MCP refreshes waited on it), or by
   * the gateway for a grant it already saw Microsoft end.
   */
  #auditRefreshFailure(claims: Pick<AgentAuth, "tenantId" | "tid" | "oid">, side: "entra" | "gateway", reason: string): void {
    const event = refreshFailedEvent({ tenantId: claims.tenantId, actor: personActor("user", userIdOf(claims)) }, side, reason);
    auditRecorder(this.env, this.ctx).record(event);
  }

  /** The operator's per-user quota (quota.ts): counts one tool call this minute unless `limit` already were. */
  async countToolCall(claims: Pick<AgentAuth, "tenantId" | "tid" | "oid">, limit: number): Promise<QuotaCheck> {
    if (!this.#serves(claims)) return { ok: false, resumeAt: Date.now() + 60_000 };
    return countInWindow(this.ctx.storage.kv, "quota-minute", minuteWindow(Date.now()), limit);
  }

  /** Offboarding: forget every token and anything else this agent holds. */
  async forget(): Promise<void> {
    this.#stored = null;
    this.#gate.clear();
    this.#deadGrants.clear();
    await this.ctx.storage.deleteAll();
  }
}
