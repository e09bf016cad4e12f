import type { GraphRequest, GraphResponse } from "../graph/client";
import { cursorSealer } from "../graph/cursor";
import { assertGraphPath } from "../graph/path";
import { expectOk, type ToolContext } from "../graph/tools/types";
import { userIdOf, type GrantProps } from "../oauth/props";
import type { ProviderEnv } from "../oauth/provider-env";
import { agentName } from "../tenancy/agent-name";
import { cloudEndpoints } from "../tenancy/clouds";
import type { AgentAuth } from "./user-agent";

/** @module The tool context: a user's Graph calls through their agent, and their time zone. */

/**
 * What a tool gets for one MCP request: Graph calls routed through this
 * user's agent (named from the grant's verified claims), and the user's time
 * zone, looked up at most once per request.
 */
export function toolContext(props: GrantProps, env: ProviderEnv): ToolContext {
  const auth: AgentAuth = {
    tenantId: props.tenantId,
    tid: props.tid,
    oid: props.oid,
    accessToken: props.graph.accessToken,
    refreshToken: props.graph.refreshToken,
    expiresAt: props.graph.expiresAt,
    grantedScopes: props.grantedScopes,
    cloud: env.TENANT.tenant.cloud,
  };
  const agent = env.USER_AGENT.getByName(agentName(props.tenantId, userIdOf(props)));
  // RPC returns a structured-clone copy typed with Disposable mixed in; it is plain GraphResponse data.
  // The path is checked here too, so a refusal reaches the tool as a typed error rather than across RPC.
  const graph = async (request: GraphRequest): Promise<GraphResponse> => {
    assertGraphPath(request.path);
    return (await agent.graph(request, auth)) as GraphResponse;
  };
  const config = env.TENANT.config;
  const { graphBase } = cloudEndpoints(config, env.TENANT.tenant.cloud);
  let timeZone: Promise<string> | undefined;
  return {
    graph,
    graphBase,
    user: { name: props.name, upn: props.upn },
    tool: "",
    cursors: cursorSealer(config.CURSOR_SECRET, { tenantId: props.tenantId, user: `${props.tid}.${props.oid}` }, graphBase),
    pdfReader: env.PDF_READER,
    // Through the calling tool's own `graph` (the registration wrapper's per-call trace), so the lookup is in its audit event.
    timeZone(this: ToolContext) {
      timeZone ??= this.graph({ method: "GET", path: "/me/mailboxSettings", query: { $select: "timeZone" } }).then((response) => {
        // No permission to read mailbox settings, or none to read: UTC, which
        // every answer states through its offsets. A transient failure must
        // not quietly become UTC: an event created then would land hours off.
        if (!response.ok && response.status !== 403 && response.status !== 404) {
          timeZone = undefined;
          expectOk(response, "look up your mailbox time zone (pass timeZone explicitly to skip it)");
        }
        const zone = response.ok ? (response.body as { timeZone?: unknown } | null)?.timeZone : undefined;
        return typeof zone === "string" && zone ? zone : "UTC";
      });
      return timeZone;
    },
  };
}
