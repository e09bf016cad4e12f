import type { PendingFault } from "../../emulator/control-client";
import type { FaultStatus } from "../../emulator/graph/faults";
import { emulator, TEST_OIDS } from "./emulator";
import { call, json, tenantUrl } from "./gateway";
import { delegatedPermissions, graphScope, TOOL_GROUPS, type ToolGroup } from "../../src/graph/tool-groups";
import { workerFetch } from "./browser";
import { grantAdminConsent } from "./oauth-browser";
import { authorizeInBrowser, authorizeUrl, Browser, exchangeCode, pkcePair, registerClient, tenantWithUser } from "./oauth-flow";

/**
 * A user of a fresh tenant, signed in through the real OAuth bridge, with
 * helpers that speak MCP JSON-RPC to the tenant's /mcp.
 */
/** What MCP says a client must assume for a hint the server did not send. */
export const MCP_ANNOTATION_DEFAULTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

export interface ToolCallResult {
  isError: boolean;
  text: string;
}

async function readRpc(response: Response): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string } }> {
  const body = await response.text();
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const data =
      body
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trim())
        .pop() ?? "{}";
    return JSON.parse(data);
  }
  return JSON.parse(body);
}

/** Signs `upn` in to the gateway tenant `slug` through the real OAuth bridge; MCP calls with its token. */
export async function mcpSession(slug: string, upn: string) {
  const client = await registerClient(slug);
  const { verifier, challenge } = await pkcePair();
  const back = await authorizeInBrowser(new Browser(), authorizeUrl(slug, client.client_id, challenge), upn);
  const tokens = await json<{ access_token: string }>(
    await exchangeCode(slug, client.client_id, back.searchParams.get("code") ?? "", verifier),
  );
  let id = 0;
  const rpc = async (method: string, params: Record<string, unknown> = {}) => {
    id += 1;
    const response = await call(tenantUrl(slug, "/mcp"), {
      json: { jsonrpc: "2.0", id, method, params },
      bearer: tokens.access_token,
      headers: { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" },
    });
    if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
    return readRpc(response);
  };
  return {
    accessToken: tokens.access_token,
    rpc,
    async callTool(name: string, args: Record<string, unknown> = {}): Promise<ToolCallResult> {
      const reply = await rpc("tools/call", { name, arguments: args });
      if (reply.error) return { isError: true, text: reply.error.message };
      const result = reply.result as { isError?: boolean; content?: { type: string; text?: string }[] };
      return { isError: Boolean(result.isError), text: (result.content ?? []).map((c) => c.text ?? "").join("\n") };
    },
  };
}

/** Adds a colleague (Sam) to the user's Entra tenant and signs them in to the same gateway tenant. */
export async function colleagueOf(user: { tenant: { slug: string }; entra: { tenantId: string } }) {
  const colleague = { oid: TEST_OIDS.sam, userPrincipalName: `sam@${user.tenant.slug}.example`, displayName: "Sam Okafor" };
  await emulator.addUser(user.entra.tenantId, colleague);
  const session = await mcpSession(user.tenant.slug, colleague.userPrincipalName);
  return { user: colleague, entra: { tenantId: user.entra.tenantId, oid: colleague.oid }, callTool: session.callTool };
}

export async function connectedUser(options: { policy?: Record<string, unknown> } = {}) {
  const tenant = await tenantWithUser();
  if (options.policy) {
    const patched = await call(tenantUrl(tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: options.policy,
      bearer: tenant.adminKey,
    });
    if (patched.status !== 200) throw new Error(`policy: ${patched.status} ${await patched.text()}`);
    if (Array.isArray(options.policy.enabledGroups))
      await grantConsentFor(tenant, options.policy.enabledGroups, options.policy.readOnly === true);
  }
  const { accessToken, rpc, callTool } = await mcpSession(tenant.slug, tenant.user.userPrincipalName);
  return {
    tenant,
    user: tenant.user,
    accessToken,
    /** Emulator-side ids, for seeding or inspecting data through the control API. */
    entra: { tenantId: tenant.entraTenantId, oid: tenant.user.oid },
    rpc,
    /**
     * tools/list as a client reads it: the server leaves out hints equal to
     * MCP's defaults, so `annotations` here has the defaults filled in;
     * `wireAnnotations` is what was actually sent.
     */
    async listTools(): Promise<
      {
        name: string;
        annotations: Record<string, boolean>;
        wireAnnotations?: Record<string, boolean>;
        inputSchema: unknown;
        description?: string;
      }[]
    > {
      const reply = await rpc("tools/list");
      const tools = (reply.result?.tools ?? []) as {
        name: string;
        annotations?: Record<string, boolean>;
        inputSchema: unknown;
        description?: string;
      }[];
      return tools.map((tool) => ({
        ...tool,
        wireAnnotations: tool.annotations,
        annotations: { ...MCP_ANNOTATION_DEFAULTS, ...tool.annotations },
      }));
    },
    callTool,
  };
}

/**
 * The org admin grants what the policy's groups need, as after turning a
 * group on (some, such as OnlineMeetingTranscript.Read.All, only an admin can
 * grant): the signup link's consent with the policy's permissions.
 */
async function grantConsentFor(tenant: { adminConsentUrl: string }, groups: unknown[], readOnly: boolean): Promise<void> {
  const url = new URL(tenant.adminConsentUrl);
  const resource = new URL((url.searchParams.get("scope") ?? "").split(" ").find((scope) => scope.includes("://")) ?? "").origin;
  const enabled = TOOL_GROUPS.filter((group: ToolGroup) => groups.includes(group));
  url.searchParams.set(
    "scope",
    delegatedPermissions(enabled, readOnly)
      .map((permission) => graphScope(permission, resource))
      .join(" "),
  );
  await grantAdminConsent(workerFetch, url.toString());
}

type FaultUser = { entra: { tenantId: string; oid: string } };

const faultUserKey = (user: FaultUser) => `${user.entra.tenantId}.${user.entra.oid}`;

/** Queue a Graph fault on the emulator for this user only (403 access denied, 429 or 503). */
export async function injectGraphFault(
  user: FaultUser,
  fault: {
    status: FaultStatus;
    count?: number;
    retryAfterSeconds?: number;
    pathContains?: string;
    method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  },
) {
  await emulator.queueFault({ ...fault, userKey: faultUserKey(user) });
}

/** This user's queued faults the emulator has not served yet. */
export function pendingGraphFaults(user: FaultUser): Promise<PendingFault[]> {
  return emulator.pendingFaults(faultUserKey(user));
}

/** Drops this user's queued faults only; other tests' faults on the shared emulator stay. */
export function clearGraphFaults(user: FaultUser): Promise<void> {
  return emulator.clearFaults(faultUserKey(user));
}

/** A tool's answer text, failing the test with the tool, its arguments and its answer when it is an error. */
export async function okText(
  user: { callTool(tool: string, args: Record<string, unknown>): Promise<ToolCallResult> },
  tool: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const result = await user.callTool(tool, args);
  if (result.isError) throw new Error(`${tool} ${JSON.stringify(args)}: ${result.text}`);
  return result.text;
}

/** The value after `label: ` on the first line of a tool's answer matching `pattern`. */
export function valueIn(text: string, pattern: RegExp, label: string): string {
  const line = text.split("\n").find((candidate) => pattern.test(candidate));
  const value = new RegExp(`${label}: ([^\\s·]+)`).exec(line ?? "")?.[1];
  if (!value) throw new Error(`no ${label} for ${pattern} in:\n${text}`);
  return value;
}
