import { describe, expect, it } from "vitest";
import { emulator, graph, signedInUser } from "../helpers/emulator";

const pending = (userKey: string) => emulator.pendingFaults(userKey);

describe("emulator control API: queued faults", () => {
  it("lists the faults still queued for a user, so a load test can tell how many were served", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    const userKey = `${tenantId}.${user.oid}`;
    await emulator.queueFault({ status: 503, count: 2, userKey, pathContains: "/me" });
    expect(await pending(userKey)).toEqual([{ status: 503, remaining: 2, pathContains: "/me", userKey }]);
    expect((await graph(token, "/me")).status).toBe(503);
    expect(await pending(userKey)).toMatchObject([{ remaining: 1 }]);
    expect((await graph(token, "/me")).status).toBe(503);
    expect(await pending(userKey)).toEqual([]);
    expect((await graph(token, "/me")).status).toBe(200);
  });

  it("sends exactly the Retry-After asked for on 429 and 503, and none when none was asked for", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    const userKey = `${tenantId}.${user.oid}`;
    await emulator.queueFault({ status: 429, retryAfterSeconds: 120, userKey });
    await emulator.queueFault({ status: 503, retryAfterSeconds: 30, userKey });
    await emulator.queueFault({ status: 429, userKey });
    await emulator.queueFault({ status: 503, userKey });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const response = await graph(token, "/me");
      answers.push([response.status, response.headers.get("retry-after")]);
    }
    expect(answers).toEqual([
      [429, "120"],
      [503, "30"],
      [429, null],
      [503, null],
    ]);
    expect((await graph(token, "/me")).status).toBe(200);
  });

  it("refuses a Retry-After that is not a whole number of seconds up to an hour", async () => {
    for (const retryAfterSeconds of [-1, 1.5, 3601, "10"]) {
      // @ts-expect-error -- "10" is a string: the control API must refuse it as the type does
      const refused = emulator.queueFault({ status: 429, retryAfterSeconds });
      await expect(refused).rejects.toMatchObject({ status: 400, body: { issues: [{ field: "retryAfterSeconds" }] } });
    }
  });

  it("does not list another user's faults under a user's key", async () => {
    const { tenantId, user, other } = await signedInUser(["User.Read"]);
    await emulator.queueFault({ status: 429, count: 1, userKey: `${tenantId}.${other.oid}` });
    expect(await pending(`${tenantId}.${user.oid}`)).toEqual([]);
    expect(await pending(`${tenantId}.${other.oid}`)).toMatchObject([{ status: 429, remaining: 1 }]);
  });

  it("answers a queued 403 once in Graph's access-denied shape with a request-id, then serves normally", async () => {
    const { tenantId, user, token } = await signedInUser(["User.Read"]);
    await emulator.queueFault({ status: 403, count: 1, userKey: `${tenantId}.${user.oid}` });
    const denied = await graph(token, "/me");
    expect(denied.status).toBe(403);
    expect(denied.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await denied.json()).toMatchObject({
      error: { code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." },
    });
    expect(await pending(`${tenantId}.${user.oid}`)).toEqual([]);
    expect((await graph(token, "/me")).status).toBe(200);
  });

  it("refuses a fault status it cannot serve", async () => {
    // @ts-expect-error -- 404 is not a status the control API can serve
    const refused = emulator.queueFault({ status: 404 });
    await expect(refused).rejects.toMatchObject({ status: 400, body: { issues: [{ field: "status" }] } });
    await expect(refused).rejects.toThrow(/^emulator control POST \/_emulator\/faults: HTTP 400 /);
  });

  it("clears only one user's faults when asked with their key", async () => {
    const { tenantId, user, other } = await signedInUser(["User.Read"]);
    const mine = `${tenantId}.${user.oid}`;
    const theirs = `${tenantId}.${other.oid}`;
    await emulator.queueFault({ status: 403, count: 3, userKey: mine });
    await emulator.queueFault({ status: 429, count: 1, userKey: theirs });
    await emulator.clearFaults(mine);
    expect(await pending(mine)).toEqual([]);
    expect(await pending(theirs)).toMatchObject([{ status: 429, remaining: 1 }]);
    await emulator.clearFaults(theirs);
  });
});
