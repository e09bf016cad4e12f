import { McpServer } from "@modelcontextprotocol/server";
import { createMcpHandler } from "agents/mcp/server";
import { GATEWAY_VERSION } from "../env";
import { logError } from "../lib/log";
import { grantOfBearer, recordLastUse } from "../oauth/last-use";
import { GrantPropsSchema, userIdOf, type GrantProps } from "../oauth/props";
import type { ProviderEnv } from "../oauth/provider-env";
import { ALL_TOOLS } from "../graph/tools";
import { registerProfileResource } from "./profile-resource";
import { registerTools, visibleTools, type ToolCallAudit } from "./register-tools";
import { auditRecorder } from "../audit/record";
import { auditClient, auditSource, personActor } from "../audit/events";
import { calledToolName, readMcpBody } from "./mcp-request";
import { isLegacyPost, serveLegacyAsJson } from "./legacy-json-lane";
import { toolCallQuota } from "./quota";
import { toolContext } from "./tool-context";

/**
 * @module `/mcp` behind the tenant's OAuth provider. The grant's props are parsed,
 * and must name the tenant whose host received the request, before any tool
 * runs; the browser Origin must be the tenant host or a local client.
 */

/** Where the tenant's OAuth provider routes bearer-token requests, and the path this handler serves. */
export const MCP_PATH = "/mcp";

function forbidden(message: string): Response {
  return Response.json({ error: "forbidden", message }, { status: 403 });
}

/**
 * The user's server for one request. A `tools/call` gets only the tool it
 * names (when the user may see it): the answer is the same as with the whole
 * catalogue registered, and registering 43 tools was a third of the request.
 */
function buildServer(props: GrantProps, env: ProviderEnv, calledTool: string | undefined, audit: ToolCallAudit): McpServer {
  const { tenant } = env.TENANT;
  // A server lives for one request and can never send a list-changed
  // notification, so it must not invite clients to hold a listen stream open for one.
  const server = new McpServer(
    { name: `${tenant.displayName} Microsoft 365`, version: GATEWAY_VERSION },
    { capabilities: { tools: { listChanged: false }, resources: { listChanged: false } } },
  );
  const context = toolContext(props, env);
  const visible = visibleTools(ALL_TOOLS, tenant.policy, props.grantedScopes);
  const called = visible.filter((tool) => tool.name === calledTool);
  // A hidden or unknown tool keeps the whole list, so the SDK answers "Tool <name> not found".
  registerTools(server, called.length > 0 ? called : visible, context, audit, toolCallQuota(tenant, props, env));
  registerProfileResource(server, context);
  return server;
}

/** Who calls tools in this request (the grant's user, through its client, from this address) and the recorder of their events. */
function toolCallAudit(request: Request, env: ProviderEnv, ctx: ExecutionContext, props: GrantProps): ToolCallAudit {
  const client = props.client ? auditClient(props.client.id, props.client.name) : undefined;
  const source = auditSource(request.headers);
  return {
    recorder: auditRecorder(env, ctx),
    tenantId: env.TENANT.tenant.id,
    actor: personActor("user", userIdOf(props), props.upn),
    ...(client ? { client } : {}),
    ...(source ? { source } : {}),
  };
}

/**
 * The SDK validates the Host header; the edge always sends one, but a request
 * built from a URL alone (service bindings, tests) has none. The URL's host was
 * already resolved to this tenant, so it is the truthful value.
 */
function withHostHeader(request: Request): Request {
  if (request.headers.has("host")) return request;
  const headers = new Headers(request.headers);
  headers.set("host", new URL(request.url).host);
  return new Request(request, { headers });
}

/**
 * Notes when this grant was last used, for the org's admins (at most one KV
 * write an hour per grant and isolate; see last-use.ts). A failure to note
 * it never fails the request.
 */
async function noteLastUse(request: Request, env: ProviderEnv, props: GrantProps): Promise<void> {
  const grant = grantOfBearer(request.headers.get("authorization"));
  if (!grant || grant.userId !== userIdOf(props)) return;
  try {
    await recordLastUse(env.OAUTH_KV, env.TENANT.tenant.id, grant.userId, grant.grantId);
  } catch (error) {
    logError("last_use_not_recorded", error, { tenantId: env.TENANT.tenant.id });
  }
}

export const mcpApiHandler: ExportedHandler<ProviderEnv> & { fetch: NonNullable<ExportedHandler<ProviderEnv>["fetch"]> } = {
  async fetch(request, env, ctx) {
    const props = GrantPropsSchema.safeParse((ctx as ExecutionContext & { props?: unknown }).props);
    if (!props.success) return forbidden("This access token carries no usable sign-in");
    if (props.data.tenantId !== env.TENANT.tenant.id) return forbidden("This access token belongs to another organization");
    await noteLastUse(request, env, props.data);
    const { hostname: host, pathname } = new URL(request.url);
    const body = await readMcpBody(withHostHeader(request));
    const calledTool = calledToolName(body.parsedBody);
    const allowedOriginHostnames = [host, "localhost", "127.0.0.1"];
    const audit = toolCallAudit(request, env, ctx, props.data);
    if (pathname === MCP_PATH && (await isLegacyPost(body.request, body.parsedBody))) {
      const server = buildServer(props.data, env, calledTool, audit);
      return serveLegacyAsJson(body.request, body.parsedBody, server, { host, allowedOriginHostnames });
    }
    const handler = createMcpHandler(() => buildServer(props.data, env, calledTool, audit), {
      route: MCP_PATH,
      allowedHostnames: [host],
      allowedOriginHostnames,
      corsOptions: false,
    });
    // No tool reads the SDK's auth info or auth context: each is built from the checked props above.
    return handler.fetch(body.request, body.parsedBody === undefined ? undefined : { parsedBody: body.parsedBody });
  },
};
