import type { McpServer, ToolAnnotations } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { ToolDefinition, ToolContext } from "../graph/tools/types";
import { ToolError } from "../graph/tools/types";
import { CursorError } from "../graph/cursor";
import { delegatedPermissions } from "../graph/tool-groups";
import { ALL_TOOLS } from "../graph/tools";
import { PathSegmentError } from "../graph/path";
import { logError, logEvent } from "../lib/log";
import { normalizeScope } from "../oauth/scopes";
import { leanAnnotations, leanInputSchema } from "./lean-schema";
import type { ToolCallQuota } from "./quota";
import type { TenantPolicy } from "../tenancy/policy";

/**
 * @module The only caller of `registerTool`: decides which tools a user sees (tenant
 * policy, granted scopes), validates input with zod so errors name the field,
 * and turns every failure into an `isError` result without stack traces.
 */

/** `grantedScopes` in normalizeScope's form. */
export function toolVisible(tool: ToolDefinition, policy: TenantPolicy, grantedScopes: ReadonlySet<string>): boolean {
  if (tool.group !== "profile" && !policy.enabledGroups.includes(tool.group)) return false;
  if (policy.readOnly && !tool.annotations.readOnlyHint) return false;
  return tool.scopes.length === 0 || tool.scopes.some((scope) => grantedScopes.has(normalizeScope(scope)));
}

export function visibleTools(tools: readonly ToolDefinition[], policy: TenantPolicy, grantedScopes: readonly string[]) {
  const granted = new Set(grantedScopes.map(normalizeScope));
  return tools.filter((tool) => toolVisible(tool, policy, granted));
}

/**
 * The tools a user of an organization with this policy gets once they
 * granted every permission the policy asks for: what the org's pages show
 * (landing page, admin console) comes from the same rule as `tools/list`.
 */
export function toolsUnderPolicy(policy: TenantPolicy): readonly ToolDefinition[] {
  return visibleTools(ALL_TOOLS, policy, delegatedPermissions(policy.enabledGroups, policy.readOnly));
}

function errorResult(text: string) {
  return { isError: true, content: [{ type: "text" as const, text }] };
}

export function inputErrorText(error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.join(".") || "(arguments)"}: ${issue.message}`);
  return `Invalid arguments: ${issues.join("; ")}`;
}

interface PreparedTool {
  schema: z.ZodObject;
  config: { description: string; inputSchema: ReturnType<typeof leanInputSchema<z.ZodObject>>; annotations: ToolAnnotations };
}

/**
 * A tool's zod schema and advertised JSON Schema depend only on its
 * definition, and converting 43 schemas took ~3 ms, so every MCP request
 * (which builds a server for its user) reuses them for the isolate's life.
 */
const prepared = new WeakMap<ToolDefinition, PreparedTool>();

function prepare(tool: ToolDefinition): PreparedTool {
  const cached = prepared.get(tool);
  if (cached) return cached;
  const schema = z.strictObject(tool.input);
  const entry = {
    schema,
    config: { description: tool.description, inputSchema: leanInputSchema(schema), annotations: leanAnnotations(tool.annotations) },
  };
  prepared.set(tool, entry);
  return entry;
}

export function registerTools(
  server: McpServer,
  tools: readonly ToolDefinition[],
  context: ToolContext,
  audit: { tenantId: string },
  quota?: ToolCallQuota,
): void {
  for (const tool of tools) {
    const { schema, config } = prepare(tool);
    server.registerTool(tool.name, config, async (args: unknown) => {
      const parsed = schema.safeParse(args ?? {});
      if (!parsed.success) return errorResult(inputErrorText(parsed.error));
      // The operator's quotas, only when set: a refusal says which limit and when calls resume.
      const refusal = await quota?.();
      if (refusal) return errorResult(refusal);
      const started = Date.now();
      try {
        // The tool's own name, so no tool spells it out for its cursors or continuation lines.
        const text = await tool.run({ ...context, tool: tool.name }, parsed.data);
        logEvent("tool_call", { tenantId: audit.tenantId, tool: tool.name, ok: true, ms: Date.now() - started });
        return { content: [{ type: "text" as const, text }] };
      } catch (error) {
        logEvent("tool_call", { tenantId: audit.tenantId, tool: tool.name, ok: false, ms: Date.now() - started });
        if (error instanceof ToolError) return errorResult(error.hint ? `${error.message}\nHint: ${error.hint}` : error.message);
        if (error instanceof CursorError) return errorResult(`Invalid arguments: cursor: ${error.message}`);
        if (error instanceof PathSegmentError) return errorResult(`Invalid arguments: ${error.message}`);
        logError("tool_failed", error, { tenantId: audit.tenantId, tool: tool.name });
        return errorResult(`${tool.name} failed unexpectedly; try again.`);
      }
    });
  }
}
