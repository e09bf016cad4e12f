import { z } from "zod";
import { TOOL_GROUPS } from "../graph/tool-groups";

/** What a tenant admin decides for the whole organization. */
export const TenantPolicySchema = z.strictObject({
  readOnly: z.boolean(),
  enabledGroups: z
    .array(z.enum(TOOL_GROUPS))
    .min(1, "enable at least one tool group")
    .transform((groups) => TOOL_GROUPS.filter((group) => groups.includes(group))),
  /** Private-use URI scheme redirects (e.g. `cursor://`) for MCP clients. */
  allowCustomSchemeRedirects: z.boolean(),
});
export type TenantPolicy = z.infer<typeof TenantPolicySchema>;

export const TenantPolicyPatchSchema = TenantPolicySchema.partial();
export type TenantPolicyPatch = z.infer<typeof TenantPolicyPatchSchema>;

export const DEFAULT_POLICY: TenantPolicy = {
  readOnly: false,
  enabledGroups: [...TOOL_GROUPS],
  allowCustomSchemeRedirects: false,
};

/** Rows written before a policy field existed get that field's default. */
export function parseStoredPolicy(json: string): TenantPolicy {
  return TenantPolicySchema.parse({ ...DEFAULT_POLICY, ...JSON.parse(json) });
}

export function applyPolicyPatch(policy: TenantPolicy, patch: TenantPolicyPatch): TenantPolicy {
  return TenantPolicySchema.parse({ ...policy, ...patch });
}
