import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { clientKey } from "../src/http/rate-limit";
import { APEX, call, createTenant, EDGE_CF, tenantUrl, uniqueIp } from "./helpers/gateway";
import { expectLimitedAfterBudget } from "./helpers/rate-limit";

/**
 * Who a request counts as for the rate limiters: the address Cloudflare's
 * edge saw, and only that; without one, something that is not the same for
 * every caller.
 */
function request(url: string, headers: Record<string, string>, cf?: Record<string, unknown>): Request {
  return new Request(url, { method: "POST", headers, cf });
}

describe("clientKey", () => {
  it("uses CF-Connecting-IP when the request came through the edge", async () => {
    expect(await clientKey(request(`${APEX}/api/signup`, { "cf-connecting-ip": "203.0.113.5" }, EDGE_CF))).toBe("ip:203.0.113.5");
    expect(await clientKey(request(`${APEX}/api/signup`, { "cf-connecting-ip": "2001:DB8::7" }, EDGE_CF))).toBe("ip:2001:db8::7");
  });

  it("ignores a CF-Connecting-IP on a request that has no request.cf (it did not pass the edge)", async () => {
    const forged = await clientKey(request(`${APEX}/api/signup`, { "cf-connecting-ip": "203.0.113.5", "user-agent": "curl/8" }));
    const plain = await clientKey(request(`${APEX}/api/signup`, { "user-agent": "curl/8" }));
    expect(forged).toBe(plain);
    expect(forged).toMatch(/^anon:[0-9a-f]{32}$/);
  });

  it.each(["https://localhost:8787", "https://demo.localhost:8787", "https://127.0.0.1:8787", "https://[::1]:8787"])(
    "ignores CF-Connecting-IP at the loopback host %s, where wrangler dev passes on what the client sent",
    async (origin) => {
      const forged = await clientKey(request(`${origin}/token`, { "cf-connecting-ip": "198.51.100.9", "user-agent": "curl/8" }, EDGE_CF));
      expect(forged).toBe(await clientKey(request(`${origin}/token`, { "user-agent": "curl/8" }, EDGE_CF)));
      expect(forged).toMatch(/^anon:/);
    },
  );

  it.each(["unknown", "203.0.113.5, 198.51.100.1", "999.1.1.1", "<script>", ""])(
    "ignores a CF-Connecting-IP that is not an address: %j",
    async (value) => {
      expect(await clientKey(request(`${APEX}/api/signup`, { "cf-connecting-ip": value }, EDGE_CF))).toMatch(/^anon:/);
    },
  );

  it("without an edge address, gives different clients different keys and one client the same key", async () => {
    const a = request(`${APEX}/api/signup`, { "user-agent": "client-a", "accept-language": "en" });
    const b = request(`${APEX}/api/signup`, { "user-agent": "client-b", "accept-language": "en" });
    const aAgain = request(`${APEX}/api/signup`, { "user-agent": "client-a", "accept-language": "en" });
    expect(await clientKey(a)).not.toBe(await clientKey(b));
    expect(await clientKey(a)).toBe(await clientKey(aAgain));
    expect(await clientKey(a)).not.toBe(
      await clientKey(request("https://org-a.mcp.example.com/token", { "user-agent": "client-a", "accept-language": "en" })),
    );
  });
});

/**
 * A signup that Entra refuses (an unknown directory): only a signup that
 * reaches Entra spends the budget, and only the limiter's answer matters here.
 */
function refusedSignup(headers: Record<string, string>, cf?: Record<string, unknown>) {
  const body = {
    orgName: "Limited Org",
    slug: "limited-org",
    entraTenantId: crypto.randomUUID(),
    clientId: crypto.randomUUID(),
    clientSecret: "not-checked-further",
    adminEmail: "it@limited.example",
  };
  return exports.default.fetch(
    new Request(`${APEX}/api/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      cf,
    }),
  );
}

describe("the signup limiter without the edge", () => {
  it("does not give a fresh budget to each CF-Connecting-IP a client makes up", async () => {
    const userAgent = `forger-${crypto.randomUUID()}`;
    await expectLimitedAfterBudget(5, 422, () => refusedSignup({ "user-agent": userAgent, "cf-connecting-ip": uniqueIp() }));
  });

  it("does not put every client without an address in one shared bucket", async () => {
    const flooder = `flooder-${crypto.randomUUID()}`;
    const limited = await expectLimitedAfterBudget(5, 422, () => refusedSignup({ "user-agent": flooder }));
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await refusedSignup({ "user-agent": `bystander-${crypto.randomUUID()}` })).status).toBe(422);
  });
});

describe("the registration limiter", () => {
  function register(slug: string, headers: Record<string, string>, cf?: Record<string, unknown>) {
    return exports.default.fetch(
      new Request(tenantUrl(slug, "/register"), {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: "{}",
        cf,
      }),
    );
  }

  it("does not give a fresh budget to each CF-Connecting-IP a client makes up", async () => {
    const tenant = await createTenant();
    const userAgent = `forger-${crypto.randomUUID()}`;
    await expectLimitedAfterBudget(10, 400, () =>
      register(tenant.tenant.slug, { "user-agent": userAgent, "cf-connecting-ip": uniqueIp() }),
    );
  });

  it("keeps one tenant's budget for an address apart from another tenant's", async () => {
    const [a, b] = [await createTenant(), await createTenant()];
    const ip = uniqueIp();
    await expectLimitedAfterBudget(10, 400, () => register(a.tenant.slug, { "cf-connecting-ip": ip }, EDGE_CF));
    expect((await register(b.tenant.slug, { "cf-connecting-ip": ip }, EDGE_CF)).status).toBe(400);
    // Through the shared test client too, which speaks as the edge when it names an address.
    expect((await call(tenantUrl(b.tenant.slug, "/register"), { json: {}, headers: { "cf-connecting-ip": ip } })).status).toBe(400);
  });
});
