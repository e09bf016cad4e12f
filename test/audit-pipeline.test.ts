import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AuditEventSchema } from "../src/audit/event";
import { auditTenantPrefix } from "../src/tenancy/audit-names";
import { auditLog, deliver, storedTrail, toolCallEvent } from "./helpers/audit";
import { createTenant } from "./helpers/gateway";

describe("audit pipeline: queue → tenant log → R2", () => {
  it("stores delivered events in R2 at the contract key, one valid AuditEvent per line", async () => {
    const { tenant } = await createTenant();
    const events = [toolCallEvent(tenant.id), toolCallEvent(tenant.id, { tool: "send_mail" })];
    const result = await deliver(events);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await auditLog(tenant.id).flush()).toEqual({ objects: 1, events: 2 });
    const trail = await storedTrail(tenant.id);
    expect(trail).toHaveLength(1);
    const [object] = trail;
    const hour = events[0]?.time.slice(0, 13) ?? "";
    expect(object?.key).toMatch(
      new RegExp(`^${auditTenantPrefix(tenant.id)}${hour.slice(0, 10)}/${hour.slice(11, 13)}/\\d{12}-\\d{12}\\.ndjson\\.gz$`),
    );
    expect(object?.events.map((line) => AuditEventSchema.parse(line))).toEqual(events);
    expect(object?.metadata.count).toBe("2");
    expect(env.AUDIT_BUCKET).toBeDefined();
  });
});
