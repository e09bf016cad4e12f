import { Hono } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { validationError } from "../errors";
import { spendBudget } from "../rate-limit";
import { SlugSchema, slugProblem } from "../../tenancy/slug";

/**
 * @module GET /api/signup/availability?slug=… on the apex: whether an address
 * can be taken, for the signup form to say so while it is typed. It tells
 * nothing about another organization but that the name is taken: not who
 * holds it, not its state, and a name the operator blocked is only "not
 * available".
 */

const QuerySchema = z.object({
  slug: z.string({ error: "expected ?slug= with the address to check" }).max(200, "at most 200 characters"),
});

export type Availability =
  | { slug: string; available: true; message: string }
  | { slug: string; available: false; reason: "taken" | "blocked" | "invalid" | "reserved"; message: string };

export const signupAvailabilityRoute = new Hono<ApexEnv>().get("/api/signup/availability", async (c) => {
  const query = QuerySchema.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error, "query");
  await spendBudget(c.req.raw, c.env, {
    limiter: "SIGNUP_CHECK_RATE_LIMITER",
    scope: "signup-check",
    message: "Too many address checks from this address; wait a minute and try again",
  });
  return c.json(await availability(c.get("registry"), query.data.slug), 200, { "cache-control": "no-store" });
});

type Registry = ApexEnv["Variables"]["registry"];

async function availability(registry: Registry, raw: string): Promise<Availability> {
  const parsed = SlugSchema.safeParse(raw);
  if (!parsed.success) {
    const slug = raw.trim().toLowerCase();
    const message = parsed.error.issues[0]?.message ?? "This address cannot be used";
    return { slug, available: false, reason: slugProblem(slug) === "reserved" ? "reserved" : "invalid", message };
  }
  const slug = parsed.data;
  if (await registry.findBySlug(slug)) {
    return { slug, available: false, reason: "taken", message: "This address is already taken; choose another" };
  }
  if ((await registry.blockedFields({ slug })).length > 0) {
    return { slug, available: false, reason: "blocked", message: "This address is not available; choose another" };
  }
  return { slug, available: true, message: `${slug} is available` };
}
