import { z } from "zod";
import { TOOL_GROUPS, type ToolGroup } from "../graph/tool-groups";

/**
 * @module Tenant policy: what the org admin decides (read-only, tool groups,
 * custom-scheme redirects), how a stored policy is read, and which
 * private-use redirect schemes a client may register.
 */

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

/**
 * The groups a new organization starts with: the everyday core, whose
 * permissions users can consent to themselves in a default Entra tenant.
 * Groups added later (and any that need an administrator's consent) are
 * turned on by the org admin in the policy, never by an upgrade.
 */
export const DEFAULT_GROUPS: readonly ToolGroup[] = ["mail", "calendar", "contacts", "teams", "files", "tasks"];

export const DEFAULT_POLICY: TenantPolicy = {
  readOnly: false,
  enabledGroups: TOOL_GROUPS.filter((group) => DEFAULT_GROUPS.includes(group)),
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

/**
 * Single-word schemes of known MCP clients, allowed although RFC 8252 §7.1
 * says a native app's scheme MUST be a reverse domain name it controls
 * (`com.example.app`). Cursor's callback is `cursor://anysphere.cursor-mcp/…`;
 * refusing it would leave Cursor users no way to connect.
 */
export const KNOWN_CLIENT_SCHEMES: readonly string[] = ["cursor"];

/** RFC 3986 scheme characters, with at least one period: a reverse domain name such as `com.example.app`. */
const REVERSE_DNS_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/**
 * Which private-use URI schemes (RFC 8252 §7.1) a client may redirect to once
 * the org admin sets `allowCustomSchemeRedirects`: reverse-domain-name
 * schemes, and the known clients' schemes above. Never anything else:
 * `javascript:`, `data:`, `file:`, `ws:`/`wss:`, `ftp:`, browser-internal
 * (`about:`, `chrome:`, `view-source:`) and Office (`ms-word:`…) schemes have
 * no period and are not in the list. `http` and `https` are not private-use.
 */
export function isAllowedPrivateUseScheme(scheme: string): boolean {
  const name = scheme.toLowerCase().replace(/:$/, "");
  return KNOWN_CLIENT_SCHEMES.includes(name) || REVERSE_DNS_SCHEME.test(name);
}
