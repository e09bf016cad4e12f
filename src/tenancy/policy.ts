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

/**
 * Reads a stored policy leniently: a field written before it existed gets its
 * default, a tool group a later release removed is dropped, and a row that is
 * unreadable falls back to read-only with no groups but the profile, rather
 * than taking the tenant (and every sweep over all tenants) down.
 */
const StoredPolicySchema = z.object({
  readOnly: z.boolean().catch(DEFAULT_POLICY.readOnly),
  enabledGroups: z
    .array(z.string())
    .catch([...DEFAULT_POLICY.enabledGroups])
    .transform((groups) => TOOL_GROUPS.filter((group) => groups.includes(group))),
  allowCustomSchemeRedirects: z.boolean().catch(DEFAULT_POLICY.allowCustomSchemeRedirects),
});

export function parseStoredPolicy(json: string): TenantPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { readOnly: true, enabledGroups: [], allowCustomSchemeRedirects: false };
  }
  return StoredPolicySchema.parse({ ...DEFAULT_POLICY, ...(typeof raw === "object" && raw !== null ? raw : {}) });
}

export function applyPolicyPatch(policy: TenantPolicy, patch: TenantPolicyPatch): TenantPolicy {
  return TenantPolicySchema.parse({ ...policy, ...patch });
}
