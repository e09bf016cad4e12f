import { describe, expect, it } from "vitest";
import { DEAD_FOR_MS, DeadGrants, SETTLE_MS } from "../src/agent/dead-grants";
import { PRODUCED_RESULT_MS, RECENT_RESULT_MS, RefreshGate, refreshTokenKey, type GateTokens } from "../src/agent/refresh-gate";

type Failure = { kind: "user" | "unavailable" };
const isTokens = (result: GateTokens | Failure): result is GateTokens => "accessToken" in result;

function tokens(name: string, now: number): GateTokens {
  return { accessToken: `at-${name}`, refreshToken: `rt-${name}`, expiresAt: Math.floor(now / 1000) + 3600, scope: ["User.Read"] };
}

function memoryKv() {
  const map = new Map<string, unknown>();
  return {
    map,
    get: <T>(key: string) => map.get(key) as T | undefined,
    put: <T>(key: string, value: T) => void map.set(key, value),
    delete: (key: string) => map.delete(key),
  };
}

describe("the refresh gate", () => {
  it("redeems one refresh token once for concurrent callers, and answers later ones with the same tokens for a while", async () => {
    let now = 1_000_000;
    const gate = new RefreshGate<Failure>(() => now);
    let redemptions = 0;
    const redeem = async () => {
      redemptions += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return tokens(String(redemptions), now);
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => gate.run("k", redeem, isTokens)));
    expect(new Set(results.map((r) => (isTokens(r) ? r.accessToken : "failed")))).toEqual(new Set(["at-1"]));
    now += RECENT_RESULT_MS - 1;
    expect(await gate.run("k", redeem, isTokens)).toMatchObject({ accessToken: "at-1" });
    expect(redemptions).toBe(1);
    now += 2;
    expect(await gate.run("k", redeem, isTokens)).toMatchObject({ accessToken: "at-2" });
  });

  it("answers a straggler bringing the token a redemption just produced with that redemption's tokens, for a few seconds only", async () => {
    let now = 1_000_000;
    const gate = new RefreshGate<Failure>(() => now);
    let redemptions = 0;
    const redeem = async () => tokens(String((redemptions += 1)), now);
    const first = await gate.run(await refreshTokenKey("rt-0"), redeem, isTokens);
    expect(first).toMatchObject({ accessToken: "at-1", refreshToken: "rt-1" });
    // A parallel request that read the grant after the first one stored rt-1.
    now += PRODUCED_RESULT_MS - 1;
    expect(await gate.run(await refreshTokenKey("rt-1"), redeem, isTokens)).toEqual(first);
    expect(redemptions).toBe(1);
    // Later, rt-1 is redeemed at Entra like any refresh token, so a revoked sign-in is noticed.
    now += 2;
    expect(await gate.run(await refreshTokenKey("rt-1"), redeem, isTokens)).toMatchObject({ accessToken: "at-2" });
    expect(redemptions).toBe(2);
  });

  it("never remembers a failure, nor tokens about to expire", async () => {
    const now = 1_000_000;
    const gate = new RefreshGate<Failure>(() => now);
    let calls = 0;
    const fail = async (): Promise<GateTokens | Failure> => ((calls += 1), { kind: "unavailable" });
    await gate.run("k", fail, isTokens);
    await gate.run("k", fail, isTokens);
    expect(calls).toBe(2);
    const dying = async () => ((calls += 1), { ...tokens("d", now), expiresAt: Math.floor(now / 1000) + 60 });
    await gate.run("d", dying, isTokens);
    await gate.run("d", dying, isTokens);
    expect(calls).toBe(4);
  });

  it("keys by a digest of the refresh token, never the token", async () => {
    const key = await refreshTokenKey("1.AR-secret");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain("secret");
  });
});

describe("dead grants", () => {
  it("holds the refusal until tokens just issued for the grant have settled, then refuses the grant until it expires", async () => {
    let now = 5_000_000;
    const slept: number[] = [];
    const kv = memoryKv();
    const dead = new DeadGrants(
      kv,
      () => now,
      async (ms) => void slept.push(ms),
    );
    dead.issued("g1");
    now += 1_000;
    await dead.markDead("g1");
    expect(slept).toEqual([SETTLE_MS - 1_000]);
    expect(dead.isDead("g1")).toBe(true);
    expect(dead.isDead("g2")).toBe(false);
    await dead.markDead("g2");
    expect(slept).toHaveLength(1);
    now += DEAD_FOR_MS;
    expect(dead.isDead("g1")).toBe(false);
    expect(kv.map.has("dead-grant:g1")).toBe(false);
  });
});
