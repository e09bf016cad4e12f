import { getAgentByName } from "agents";
import type { GraphRequest, GraphResponse } from "../graph/client";
import type { ToolContext } from "../graph/tools/types";
import type { GrantProps } from "../oauth/props";
import type { TenantEnv } from "../oauth/tenant-env";
import { agentName, type AgentAuth } from "./user-agent";

/**
 * What a tool gets for one MCP request: Graph calls routed through this
 * user's agent (named from the grant's verified claims), and the user's time
 * zone, looked up at most once per request.
 */
export function toolContext(props: GrantProps, env: TenantEnv): ToolContext {
  const auth: AgentAuth = {
    tenantId: props.tenantId,
    tid: props.tid,
    oid: props.oid,
    accessToken: props.graph.accessToken,
    refreshToken: props.graph.refreshToken,
    expiresAt: props.graph.expiresAt,
    grantedScopes: props.grantedScopes,
  };
  const agent = getAgentByName(env.USER_AGENT, agentName(auth));
  // RPC returns a structured-clone copy typed with Disposable mixed in; it is plain GraphResponse data.
  const graph = async (request: GraphRequest): Promise<GraphResponse> =>
    (await (await agent).graph(request, auth)) as GraphResponse;
  let timeZone: Promise<string> | undefined;
  return {
    graph,
    graphBase: env.TENANT.config.GRAPH_BASE,
    user: { name: props.name, upn: props.upn },
    timeZone() {
      timeZone ??= graph({ method: "GET", path: "/me/mailboxSettings", query: { $select: "timeZone" } }).then((response) => {
        const zone = response.ok ? (response.body as { timeZone?: unknown } | null)?.timeZone : undefined;
        return typeof zone === "string" && zone ? zone : "UTC";
      });
      return timeZone;
    },
  };
}
