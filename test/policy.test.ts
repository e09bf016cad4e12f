import { describe, expect, it } from "vitest";
import { toolsUnderPolicy } from "../src/agent/register-tools";
import { ALL_TOOLS } from "../src/graph/tools";
import { applyPolicyPatch, DEFAULT_POLICY, type TenantPolicyPatch } from "../src/tenancy/policy";
import { call, tenantUrl } from "./helpers/gateway";
import { connectedUser } from "./helpers/mcp";

/** Per-tenant policy and the user's granted scopes decide the catalogue, in tools/list and tools/call. */
const groupOf = new Map(ALL_TOOLS.map((tool) => [tool.name, tool.group]));
const writeTools = ALL_TOOLS.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name);

describe("tenant policy and granted scopes", () => {
  it("lists every tool of the default groups for a tenant with the default policy", async () => {
    const user = await connectedUser();
    const names = (await user.listTools()).map((tool) => tool.name).sort();
    const defaults = ALL_TOOLS.filter((tool) => tool.group === "profile" || DEFAULT_POLICY.enabledGroups.includes(tool.group));
    expect(names).toEqual(defaults.map((tool) => tool.name).sort());
  });

  it("hides and refuses every tool that is not read-only when the tenant is read-only", async () => {
    const user = await connectedUser({ policy: { readOnly: true } });
    const tools = await user.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    for (const name of writeTools.slice(0, 5)) {
      const result = await user.callTool(name, {});
      expect(result.isError, name).toBe(true);
    }
  });

  it("shows only the enabled groups' tools (and the profile)", async () => {
    const user = await connectedUser({ policy: { enabledGroups: ["tasks"] } });
    const groups = new Set((await user.listTools()).map((tool) => groupOf.get(tool.name)));
    expect([...groups].sort()).toEqual(["profile", "tasks"].filter((group) => [...groupOf.values()].includes(group as never)).sort());
  });

  it("keeps tools hidden whose permissions the user's sign-in lacks, even after the admin enables their group", async () => {
    const user = await connectedUser({ policy: { enabledGroups: ["tasks"] } });
    const patched = await call(tenantUrl(user.tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: { enabledGroups: ["mail", "calendar", "contacts", "teams", "files", "tasks"] },
      bearer: user.tenant.adminKey,
    });
    expect(patched.status).toBe(200);
    // The grant carries only the scopes Entra granted at sign-in: no Mail.*, Calendars.*, …
    const groups = new Set((await user.listTools()).map((tool) => groupOf.get(tool.name)));
    expect(groups.has("mail")).toBe(false);
    expect(groups.has("calendar")).toBe(false);
    expect(groups.has("tasks")).toBe(true);
  });

  it("what the org's pages say users get is exactly what tools/list gives a user who granted every permission", async () => {
    const patches: TenantPolicyPatch[] = [
      {},
      { readOnly: true },
      { enabledGroups: ["mail", "files"] },
      { enabledGroups: ["tasks"], readOnly: true },
    ];
    for (const patch of patches) {
      const user = await connectedUser({ policy: patch });
      const listed = (await user.listTools()).map((tool) => tool.name).sort();
      const shown = toolsUnderPolicy(applyPolicyPatch(DEFAULT_POLICY, patch)).map((tool) => tool.name);
      expect(shown.sort(), JSON.stringify(patch)).toEqual(listed);
    }
  });

  it("drops every tool of a group the admin disables after sign-in", async () => {
    const user = await connectedUser();
    await call(tenantUrl(user.tenant.slug, "/api/admin/policy"), {
      method: "PATCH",
      json: { enabledGroups: ["tasks"] },
      bearer: user.tenant.adminKey,
    });
    const groups = new Set((await user.listTools()).map((tool) => groupOf.get(tool.name)));
    expect([...groups].every((group) => group === "tasks" || group === "profile")).toBe(true);
  });
});

describe("stored policies from older releases", () => {
  it("drops tool groups a release no longer knows and fills missing fields, instead of failing the tenant", async () => {
    const { parseStoredPolicy } = await import("../src/tenancy/policy");
    expect(parseStoredPolicy(JSON.stringify({ enabledGroups: ["mail", "fax"], readOnly: true }))).toEqual({
      readOnly: true,
      enabledGroups: ["mail"],
      allowCustomSchemeRedirects: false,
    });
    expect(parseStoredPolicy("not json")).toEqual({ readOnly: true, enabledGroups: [], allowCustomSchemeRedirects: false });
  });
});
