import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { tenantRegistry } from "../src/tenancy/registry";
import { openWithDataKey } from "../src/tenancy/secret-envelope";
import { emulator } from "./helpers/emulator";
import { createTenant, json } from "./helpers/gateway";
import { adminCall, gatewayKeyring } from "./helpers/tenants";

/**
 * Certificate credentials (private_key_jwt) for an org's Entra app: the
 * gateway generates the key pair and certificate, the admin uploads the
 * certificate to the app (here through the emulator's control API, as the
 * portal's Upload would), and every token request is then signed with it.
 */

const RECEIVER = inject("siemReceiverUrl");

describe("the tenant's data key", () => {
  it("survives a secret rotation: the audit stream's key still opens afterwards", async () => {
    const tenant = await createTenant();
    const { slug } = tenant.tenant;
    const stream = await adminCall(slug, "/audit/stream", tenant.adminKey, {
      method: "PUT",
      json: { url: `${RECEIVER}/inbox/${crypto.randomUUID()}` },
    });
    expect(stream.status).toBe(200);
    const { secret } = await json<{ secret: string }>(stream);

    const newSecret = `Rk9~${crypto.randomUUID().replace(/-/g, "")}`;
    await emulator.registerApp(String(tenant.input.entraTenantId), {
      clientId: String(tenant.input.clientId),
      secrets: [{ value: String(tenant.input.clientSecret) }, { value: newSecret }],
    });
    const rotated = await adminCall(slug, "/client-secret", tenant.adminKey, { method: "PUT", json: { clientSecret: newSecret } });
    expect(rotated.status).toBe(200);

    const row = await tenantRegistry(env.DB).findById(tenant.tenant.id);
    const sealed = row?.audit.stream?.sealedSecret;
    if (!row || !sealed) throw new Error("no sealed stream secret");
    expect(await openWithDataKey(sealed, row.envelope, { tenantId: row.id, purpose: "audit-stream" }, gatewayKeyring())).toBe(secret);
  });
});
