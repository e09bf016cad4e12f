import { describe, expect, it } from "vitest";
import { control, graph, signedInUser } from "../helpers/emulator";

interface PendingFault {
  status: number;
  remaining: number;
  retryAfterSeconds: number;
  pathContains?: string;
  userKey?: string;
}

async function pending(userKey: string): Promise<PendingFault[]> {
  const response = await control(`/faults?userKey=${encodeURIComponent(userKey)}`, undefined, "GET");
  expect(response.status).toBe(200);
  return ((await response.json()) as { pending: PendingFault[] }).pending;
}

describe("emulator control API: queued faults", () => {
  it("lists the faults still queued for a user, so a load test can tell how many were served", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    const userKey = `${tenantId}.${user.oid}`;
    await control("/faults", { status: 503, count: 2, userKey, pathContains: "/me" });
    expect(await pending(userKey)).toEqual([{ status: 503, remaining: 2, retryAfterSeconds: 1, pathContains: "/me", userKey }]);
    expect((await graph(token, "/me")).status).toBe(503);
    expect(await pending(userKey)).toMatchObject([{ remaining: 1 }]);
    expect((await graph(token, "/me")).status).toBe(503);
    expect(await pending(userKey)).toEqual([]);
    expect((await graph(token, "/me")).status).toBe(200);
  });

  it("does not list another user's faults under a user's key", async () => {
    const { tenantId, user, other } = await signedInUser(["User.Read"]);
    await control("/faults", { status: 429, count: 1, userKey: `${tenantId}.${other.oid}` });
    expect(await pending(`${tenantId}.${user.oid}`)).toEqual([]);
    expect(await pending(`${tenantId}.${other.oid}`)).toMatchObject([{ status: 429, remaining: 1 }]);
  });
});
