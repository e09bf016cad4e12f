import type { McpServer } from "@modelcontextprotocol/server";
import { formatProfile, PROFILE_SELECT } from "../graph/tools/profile.tools";
import type { ToolContext } from "../graph/tools/types";

/** @module The `profile://me` MCP resource, read from Graph's /me as the profile tool reads it. */

/** `profile://me`: the signed-in user's profile as a resource clients can attach. */
export function registerProfileResource(server: McpServer, context: ToolContext): void {
  server.registerResource(
    "profile",
    "profile://me",
    { title: "Your Microsoft 365 profile", description: "Name, account, email, title and time zone", mimeType: "text/plain" },
    async (uri) => {
      const response = await context.graph({ method: "GET", path: "/me", query: { $select: PROFILE_SELECT } });
      const text = response.ok
        ? formatProfile(response.body as Record<string, string>, await context.timeZone())
        : `Profile unavailable: Microsoft Graph answered ${response.status} ${response.code}`;
      return { contents: [{ uri: uri.href, mimeType: "text/plain", text }] };
    },
  );
}
