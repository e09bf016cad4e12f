import { type Context, Hono } from "hono";
import { z } from "zod";
import type { GraphEnv } from "../../context";
import { scopes } from "../auth";
import { readGraphBody } from "../body";
import { graphError } from "../errors";
import { pick, seededRandom } from "../random";

/**
 * @module
 * Graph v1.0 presence: `/users/{id}/presence` and
 * `POST /communications/getPresencesByUserId` (at most 650 ids). Each user
 * of the tenant has a stable presence; an id that is no user of the tenant
 * answers availability `PresenceUnknown`, as Teams does.
 */
const READ_ALL = ["Presence.Read.All"];

const STATES: readonly [availability: string, activity: string][] = [
  ["Available", "Available"],
  ["Busy", "InACall"],
  ["Busy", "InAMeeting"],
  ["DoNotDisturb", "Presenting"],
  ["Away", "Away"],
  ["BeRightBack", "BeRightBack"],
  ["Offline", "OffWork"],
];

function presenceOf(c: Context<GraphEnv>, id: string): Record<string, unknown> {
  const { tenant } = c.get("caller");
  if (!tenant.users.has(id)) return { id, availability: "PresenceUnknown", activity: "PresenceUnknown", statusMessage: null };
  const [availability, activity] = pick(seededRandom(`presence:${tenant.tenantId}:${id}`), STATES);
  return { id, availability, activity, statusMessage: null };
}

const PresenceRequest = z.strictObject({ ids: z.array(z.string().min(1)).min(1).max(650) });

export const presenceRoutes = new Hono<GraphEnv>()
  .get("/users/:userId/presence", scopes(...READ_ALL), (c) => {
    const id = c.req.param("userId");
    if (!c.get("caller").tenant.users.has(id)) return graphError(404, "NotFound", "The user was not found.");
    return c.json(presenceOf(c, id));
  })
  .post("/communications/getPresencesByUserId", scopes(...READ_ALL), async (c) => {
    const input = await readGraphBody(c, PresenceRequest);
    if (input instanceof Response) return input;
    return c.json({ value: input.ids.map((id) => presenceOf(c, id)) });
  });
