import type { Context } from "hono";
import { z } from "zod";
import type { ApexEnv } from "../context";
import { ApiError } from "../errors";
import type { Tenant } from "../../tenancy/tenant";

/** @module The tenant an operator route names by `:id`; an unknown or malformed id answers 404. */

export async function tenantById(c: Context<ApexEnv>): Promise<Tenant> {
  const id = c.req.param("id") ?? "";
  const tenant = z.uuid().safeParse(id).success ? await c.get("registry").findById(id) : undefined;
  if (!tenant) throw new ApiError(404, "tenant_not_found", `No tenant has id "${id}"`);
  return tenant;
}
