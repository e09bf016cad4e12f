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
import type { EventParty } from "../audit/events";
import type { AuditRecorder } from "../audit/record";
import { failedOutcome, toolCallDetail, type ToolCallFacts } from "../audit/tool-call";
import { tracedGraph } from "../graph/client";

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

/** A refusal of the call's arguments: a bad cursor or id, or a tool's own check of its arguments. */
function isArgumentError(error: unknown): boolean {
  if (error instanceof CursorError || error instanceof PathSegmentError) return true;
  return error instanceof ToolError && error.message.startsWith("Invalid arguments:");
}

/** Who calls the tools of one MCP request, and where their `tool_call` audit events go. */
export interface ToolCallAudit extends EventParty {
  recorder: AuditRecorder;
}

/** Records one call's audit event; what it carries comes from the tool's declaration (src/audit/tool-call.ts). */
function recordCall(audit: ToolCallAudit, facts: ToolCallFacts): void {
  const { recorder, ...party } = audit;
  recorder.record({ ...party, kind: "tool_call", detail: toolCallDetail(facts) });
}

type InputSchema = PreparedTool["config"]["inputSchema"];

/**
 * The SDK checks a call's arguments with the advertised schema before the
 * handler runs, and answers a refusal itself: this copy of the schema notes
 * each refusal first, so a call with invalid arguments is audited too.
 */
function noticingRefusals(schema: InputSchema, onRefused: () => void): InputSchema {
  const standard = schema["~standard"];
  const validate: typeof standard.validate = (value) => {
    const result = standard.validate(value);
    if (result instanceof Promise) {
      return result.then((settled) => {
        if (settled.issues) onRefused();
        return settled;
      });
    }
    if (result.issues) onRefused();
    return result;
  };
  return { "~standard": { ...standard, validate } };
}

export function registerTools(
  server: McpServer,
  tools: readonly ToolDefinition[],
  context: ToolContext,
  audit: ToolCallAudit,
  quota?: ToolCallQuota,
): void {
  for (const tool of tools) {
    const { schema, config: shared } = prepare(tool);
    const refused = () => recordCall(audit, { tool, args: undefined, outcome: "invalid_arguments", latencyMs: 0 });
    const config = { ...shared, inputSchema: noticingRefusals(shared.inputSchema, refused) };
    server.registerTool(tool.name, config, async (args: unknown) => {
      const started = Date.now();
      const parsed = schema.safeParse(args ?? {});
      if (!parsed.success) {
        recordCall(audit, { tool, args: undefined, outcome: "invalid_arguments", latencyMs: Date.now() - started });
        return errorResult(inputErrorText(parsed.error));
      }
      // The operator's quotas, only when set: a refusal says which limit and when calls resume.
      const refusal = await quota?.();
      if (refusal) {
        recordCall(audit, { tool, args: parsed.data, outcome: "throttled", latencyMs: Date.now() - started });
        return errorResult(refusal);
      }
      // This call's own view of Graph: the last status and request-id, and what its writes created, for the audit event.
      const { graph, trace } = tracedGraph(context.graph);
      const done = (outcome: ToolCallFacts["outcome"]) =>
        recordCall(audit, { tool, args: parsed.data, outcome, graph: trace, latencyMs: Date.now() - started });
      try {
        // The tool's own name, so no tool spells it out for its cursors or continuation lines.
        const text = await tool.run({ ...context, graph, tool: tool.name }, parsed.data);
        logEvent("tool_call", { tenantId: audit.tenantId, tool: tool.name, ok: true, ms: Date.now() - started });
        done("ok");
        return { content: [{ type: "text" as const, text }] };
      } catch (error) {
        logEvent("tool_call", { tenantId: audit.tenantId, tool: tool.name, ok: false, ms: Date.now() - started });
        done(failedOutcome(trace, isArgumentError(error)));
        if (error instanceof ToolError) return errorResult(error.hint ? `${error.message}\nHint: ${error.hint}` : error.message);
        if (error instanceof CursorError) return errorResult(`Invalid arguments: cursor: ${error.message}`);
        if (error instanceof PathSegmentError) return errorResult(`Invalid arguments: ${error.message}`);
        logError("tool_failed", error, { tenantId: audit.tenantId, tool: tool.name });
        return errorResult(`${tool.name} failed unexpectedly; try again.`);
      }
    });
  }
}
