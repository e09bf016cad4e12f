import { z } from "zod";
import { cleanDisplayName } from "./names";

/** @module Field schemas shared by signup and the tenant admin API. */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MULTI_TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);

export const EntraTenantIdSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    if (GUID.test(value)) return;
    const lower = value.toLowerCase();
    const message = MULTI_TENANT_ALIASES.has(lower)
      ? `"${lower}" is a multi-tenant alias; enter your Directory (tenant) ID, a GUID`
      : lower.includes(".")
        ? "enter the Directory (tenant) ID GUID, not a domain name"
        : "expected the Directory (tenant) ID, a GUID like 00000000-0000-0000-0000-000000000000";
    ctx.addIssue({ code: "custom", message });
  })
  .transform((value) => value.toLowerCase());

export const ClientIdSchema = z
  .string()
  .trim()
  .regex(GUID, "expected the Application (client) ID, a GUID like 00000000-0000-0000-0000-000000000000")
  .transform((value) => value.toLowerCase());

/** Entra secrets are 40 characters today; 256 leaves room without inviting abuse. */
export const ClientSecretSchema = z
  .string({ error: "expected the client secret's Value as a string" })
  .min(1, "expected the client secret's Value")
  .max(256, "a client secret is at most 256 characters")
  .refine((value) => value.trim() === value, "remove spaces before or after the secret");

export const SecretExpirySchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "expected an ISO 8601 date such as 2027-06-30",
  })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() > Date.now(), "this date is in the past: the secret has already expired");

/** The organization's name as its users will see it: invisible and bidi characters are dropped first. */
export const OrgNameSchema = z
  .string({ error: "expected the organization's name as a string" })
  .transform(cleanDisplayName)
  .pipe(z.string().min(2, "expected at least 2 characters, not counting invisible ones").max(100, "at most 100 characters"));
