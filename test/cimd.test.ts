import { afterEach, describe, expect, it, vi } from "vitest";
import { CIMD_MAX_BYTES, cimdUrlProblem, guardedFetch } from "../src/oauth/cimd-guard";
import { call, json, tenantUrl } from "./helpers/gateway";
import { Browser, authorizeUrl, pkcePair, tenantWithUser } from "./helpers/oauth-extra";

/** Client ID Metadata Document fetches: where the gateway lets the OAuth library go, and how. */
const BASE = "mcp.example.com";
const LIBRARY = { "User-Agent": "workers-oauth-provider/1.2.3 (+https://github.com/cloudflare/workers-oauth-provider)" };

const REFUSED = [
  ["IPv4 loopback", "https://127.0.0.1/client.json"],
  ["IPv4 loopback written as one number", "https://2130706433/client.json"],
  ["IPv4 loopback in hex", "https://0x7f.1/client.json"],
  ["IPv6 loopback", "https://[::1]/client.json"],
  ["IPv4-mapped IPv6 loopback", "https://[::ffff:127.0.0.1]/client.json"],
  ["a private address", "https://10.0.0.5/client.json"],
  ["another private address", "https://192.168.1.20/client.json"],
  ["link-local (cloud metadata)", "https://169.254.169.254/latest/meta-data"],
  ["IPv6 link-local", "https://[fe80::1]/client.json"],
  ["localhost", "https://localhost/client.json"],
  ["a *.localhost name", "https://tool.localhost/client.json"],
  ["an mDNS name", "https://printer.local/client.json"],
  ["a single-label name", "https://intranet/client.json"],
  ["the gateway's apex", "https://mcp.example.com/client.json"],
  ["another tenant of the gateway", "https://other-org.mcp.example.com/register"],
  ["a non-default port", "https://client.example.com:8443/client.json"],
] as const;

describe("which metadata document URLs are fetched", () => {
  it.each(REFUSED)("refuses %s", (_why, url) => {
    expect(cimdUrlProblem(url, BASE)).toBeTruthy();
  });

  it.each([
    "https://vscode.dev/oauth/client-metadata.json",
    "https://claude.ai/oauth/mcp-oauth-client-metadata",
    "https://client.example.com/oauth/client.json",
  ])("allows the public https URL %s", (url) => expect(cimdUrlProblem(url, BASE)).toBeUndefined());

  it("ignores a port in BASE_DOMAIN when comparing with our own domain", () => {
    expect(cimdUrlProblem("https://demo.localhost/client.json", "localhost:8787")).toBeTruthy();
    expect(cimdUrlProblem("https://mcp.example.com/c.json", "mcp.example.com:8787")).toBeTruthy();
  });
});

describe("how the OAuth library's fetches are made", () => {
  const url = "https://client.example.com/oauth/client.json";
  const ok = () => new Response(JSON.stringify({ client_id: url }), { headers: { "content-type": "application/json" } });

  it("never follows a redirect: the request is manual and a 3xx fails", async () => {
    const inner = vi.fn(
      async (_input: RequestInfo | URL, _init?: RequestInit) =>
        new Response(null, { status: 302, headers: { location: "https://169.254.169.254/" } }),
    );
    const guarded = guardedFetch(inner, () => BASE);
    await expect(guarded(url, { headers: LIBRARY })).rejects.toThrow(/redirect/);
    expect(inner).toHaveBeenCalledTimes(1);
    expect(inner.mock.calls[0]?.[1]?.redirect).toBe("manual");
  });

  it("refuses a local address without sending anything", async () => {
    const inner = vi.fn(async () => ok());
    await expect(guardedFetch(inner, () => BASE)("https://127.0.0.1/client.json", { headers: LIBRARY })).rejects.toThrow(/IP address/);
    expect(inner).not.toHaveBeenCalled();
  });

  it("gives up on a server that does not answer in time", async () => {
    const hanging = (_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    await expect(guardedFetch(hanging, () => BASE, 50)(url, { headers: LIBRARY })).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("refuses a document that declares more than the size cap", async () => {
    const big = async () => new Response("x".repeat(CIMD_MAX_BYTES + 1), { headers: { "content-length": String(CIMD_MAX_BYTES + 1) } });
    await expect(guardedFetch(big, () => BASE)(url, { headers: LIBRARY })).rejects.toThrow(/larger/);
  });

  it("passes an allowed document through, and leaves every other request alone", async () => {
    const inner = vi.fn(async () => ok());
    const guarded = guardedFetch(inner, () => BASE);
    expect((await guarded(url, { headers: LIBRARY })).status).toBe(200);
    // Not the library's request (e.g. Entra or Graph): untouched, local addresses and redirects included.
    await guarded("http://127.0.0.1:8790/token", { method: "POST" });
    expect(inner.mock.calls[1]).toEqual(["http://127.0.0.1:8790/token", { method: "POST" }]);
  });
});

describe("metadata document client IDs at the gateway", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(REFUSED)("answers /authorize for %s with a local page and fetches nothing", async (_why, clientId) => {
    const tenant = await tenantWithUser();
    const { challenge } = await pkcePair();
    const warn = vi.spyOn(console, "warn");
    const response = await new Browser().fetch(authorizeUrl(tenant.slug, clientId, challenge));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    const page = await response.text();
    expect(page).toContain("does not fetch");
    expect(page).not.toContain(clientId);
    expect(warn.mock.calls.flat().join(" ")).not.toContain("CIMD fetch failed");
  });

  it("answers a token request from a local-address client ID with invalid_client, the library's fetch refused by the guard", async () => {
    const tenant = await tenantWithUser();
    const warn = vi.spyOn(console, "warn");
    const response = await call(tenantUrl(tenant.slug, "/token"), {
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_id: "https://127.0.0.1/client.json" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(401);
    expect((await json(response)).error).toBe("invalid_client");
    expect(warn.mock.calls.flat().join(" ")).toContain("client metadata not fetched: it is an IP address");
  });
});
